/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rate_terms.c -- the directed rates of a chain as functions of beta
 * (rate_terms.h): evaluation, bounds over an interval of beta, and the
 * class lattice's terms (eq 5.2).  The public chain's terms are made in
 * chain.c, which owns its layout. */
#include "rate_terms.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "model_private.h"

void hl_rate_terms_free(hl_rate_terms *r)
{
    free(r->src_start);
    free(r->dst);
    free(r->term_start);
    free(r->ts);
    free(r->te);
    free(r->bx);
    free(r->by);
    memset(r, 0, sizeof *r);
}

static double affine_part(const hl_rate_terms *r, long j, double beta)
{
    long t0 = r->term_start[j], t1 = r->term_start[j + 1];
    if (t1 - t0 == 1)
        return r->ts[t0] - beta * r->te[t0];
    double mx = -INFINITY;
    for (long t = t0; t < t1; t++)
        mx = fmax(mx, r->ts[t] - beta * r->te[t]);
    if (mx == -INFINITY)
        return mx;
    double s = 0;
    for (long t = t0; t < t1; t++)
        s += exp(r->ts[t] - beta * r->te[t] - mx);
    return mx + log(s);
}

double hl_rate_terms_ln_rate(const hl_rate_terms *r, long j, double beta)
{
    double v = affine_part(r, j, beta);
    if (r->tdep_b)
        v += log(hl_model_transmission(r->model, r->bx[j], r->by[j], 1.0 / beta));
    return v;
}

int hl_rate_terms_ln_bound(const hl_rate_terms *r, long j, double b_lo, double b_hi,
                           double *ln_hi)
{
    /* convex in beta: the largest value is at an end of the interval */
    double v = fmax(affine_part(r, j, b_lo), affine_part(r, j, b_hi));
    if (r->tdep_b) {
        double lb;
        int st = hl_model_transmission_ln_bound(r->model, r->bx[j], r->by[j], 1.0 / b_hi,
                                                1.0 / b_lo, &lb);
        if (st)
            return st;
        v += lb;
    }
    *ln_hi = v;
    return HL_OK;
}

int hl_class_rate_terms(const hl_model *m, long dim, hl_rate_terms *r)
{
    memset(r, 0, sizeof *r);
    long h = dim / 2, w = h + 1, N = w * w;
    double D = (double)dim;
    int tdep = hl_model_transmission_uses_temperature(m);
    r->n = N;
    r->src_start = malloc(sizeof(long) * (size_t)(N + 1));
    r->dst = malloc(sizeof(long) * (size_t)(4 * N));
    r->term_start = malloc(sizeof(long) * (size_t)(4 * N + 1));
    r->ts = malloc(sizeof(double) * (size_t)(4 * N));
    r->te = malloc(sizeof(double) * (size_t)(4 * N));
    double *Phi = malloc(sizeof(double) * (size_t)N);
    if (tdep) {
        r->tdep_b = 1;
        r->model = m;
        r->bx = malloc(sizeof(double) * (size_t)(4 * N));
        r->by = malloc(sizeof(double) * (size_t)(4 * N));
    }
    int st = HL_OK;
    if (!r->src_start || !r->dst || !r->term_start || !r->ts || !r->te || !Phi ||
        (tdep && (!r->bx || !r->by))) {
        st = hl_fail(HL_ENOMEM, "out of memory (class lattice at D = %ld)", dim);
        goto done;
    }
    for (long a = 0; a <= h && !st; a++)
        for (long b = 0; b <= h && !st; b++) {
            double phi;
            st = hl_class_phi(m, h, a, b, &phi);
            Phi[a * w + b] = D * phi;
        }
    if (st)
        goto done;
    long j = 0;
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * w + b;
            r->src_start[i] = j;
            for (int q = 0; q < 4; q++) {
                long a2 = a + (q == 0) - (q == 1), b2 = b + (q == 2) - (q == 3);
                if (a2 < 0 || a2 > h || b2 < 0 || b2 > h)
                    continue;
                long k = a2 * w + b2;
                double cnt = q == 0 ? (double)(h - a) : q == 1 ? (double)a
                           : q == 2 ? (double)(h - b) : (double)b;
                double bx = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
                double by = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
                double lb = 0;
                if (tdep) {
                    r->bx[j] = bx;
                    r->by[j] = by;
                } else {
                    /* B does not depend on T: any T gives it */
                    double B = hl_model_transmission(m, bx, by, 1.0);
                    if ((st = hl_check_bond_b(B, a, b, a2, b2, bx, by, 1.0)))
                        goto done;
                    lb = log(B);
                }
                r->dst[j] = k;
                r->term_start[j] = j;
                r->ts[j] = log(cnt) + lb;
                r->te[j] = 0.5 * (Phi[k] - Phi[i]);
                j++;
            }
        }
    r->src_start[N] = j;
    r->term_start[j] = j;
    r->ne = j;
done:
    free(Phi);
    if (st)
        hl_rate_terms_free(r);
    return st;
}
