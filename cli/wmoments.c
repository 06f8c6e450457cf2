/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wmoments.c -- weighted moments from log weights (wmoments.h). */
#include <math.h>
#include <string.h>

#include "wmoments.h"

void cli_wmoments_init(cli_wmoments *o, int k)
{
    memset(o, 0, sizeof *o);
    o->k = k;
    o->lmax = -INFINITY;
}

void cli_wmoments_add(cli_wmoments *o, double ln_w, const double *d)
{
    int k = o->k;
    if (ln_w > o->lmax) { /* rescale what was summed so far */
        double r = exp(o->lmax - ln_w);
        o->s0 *= r;
        for (int i = 0; i < k; i++)
            o->s1[i] *= r;
        for (int i = 0; i < k * k; i++)
            o->s2[i] *= r;
        o->lmax = ln_w;
    }
    double w = exp(ln_w - o->lmax);
    o->s0 += w;
    for (int i = 0; i < k; i++)
        o->s1[i] += w * d[i];
    for (int i = 0; i < k; i++)
        for (int j = i; j < k; j++)
            o->s2[i * k + j] += w * d[i] * d[j];
}

int cli_wmoments_get(const cli_wmoments *o, double *mean, double *cov)
{
    int k = o->k;
    if (!(o->s0 > 0)) {
        for (int i = 0; i < k; i++)
            mean[i] = NAN;
        for (int i = 0; i < k * k; i++)
            cov[i] = NAN;
        return 0;
    }
    for (int i = 0; i < k; i++)
        mean[i] = o->s1[i] / o->s0;
    for (int i = 0; i < k; i++)
        for (int j = i; j < k; j++)
            cov[i * k + j] = cov[j * k + i] = o->s2[i * k + j] / o->s0 - mean[i] * mean[j];
    return 1;
}
