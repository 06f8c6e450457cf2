/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evolve_start.c -- the start distributions of hl_evolve (evolve.h): a
 * named basin's top class, the infinite-temperature state, an equilibrium,
 * the tilted equilibrium of linear response, or classes given by the
 * caller; on the product path as two factors P_a, P_b. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evolve_model.h"

/* the start class of a named basin at beta: the local maximum of ln Q_eq
 * with the largest ln Q_eq among those named 'name' */
static int start_class(const hl_evolve_sys *s, double beta, const char *name, long *sa, long *sb)
{
    long h = s->h, w = s->w;
    double D = (double)s->dim;
    hl_named_maxima c;
    int st = hl_named_maxima_get(s->m, beta, &c);
    if (st)
        return st;
    long best_a = -1, best_b = -1;
    double best = -INFINITY;
    if (s->product) {
        double *lpi = malloc(sizeof(double) * (size_t)w);
        long *end = malloc(sizeof(long) * (size_t)w);
        if (!lpi || !end) {
            free(lpi);
            free(end);
            return hl_fail(HL_ENOMEM, "out of memory");
        }
        long astar = 0;
        double la_best = -INFINITY;
        for (long k = 0; k <= h; k++) {
            double la = s->lnc[k] - beta * D * (2.0 * k / h - 1.0);
            if (la > la_best) {
                la_best = la;
                astar = k;
            }
            lpi[k] = s->lnc[k] - beta * D * s->g[k];
        }
        hl_ascent_1d(lpi, h, end);
        for (long b = 0; b <= h; b++)
            if (end[b] == b && !strcmp(hl_named_maxima_nearest(&c, hl_class_x(h, astar, b), hl_class_y(h, astar, b)), name) &&
                lpi[b] > best) {
                best = lpi[b];
                best_a = astar;
                best_b = b;
            }
        free(lpi);
        free(end);
    } else {
        long N = s->N;
        double *lq;
        long *lab;
        int st2 = hl_evolve_ascent_labels(s, beta, &lq, &lab);
        if (st2)
            return st2;
        for (long i = 0; i < N; i++)
            if (lab[i] == i && !strcmp(hl_named_maxima_nearest(&c, hl_class_x(h, i / w, i % w), hl_class_y(h, i / w, i % w)), name) &&
                lq[i] > best) {
                best = lq[i];
                best_a = i / w;
                best_b = i % w;
            }
        free(lq);
        free(lab);
    }
    if (best_a < 0)
        return hl_fail(HL_ENOTFOUND, "no '%s' basin to start from at D = %ld, beta = %g",
                       hl_clip(name, (char[HL_CLIP_BUF]){0}), s->dim, beta);
    *sa = best_a;
    *sb = best_b;
    return HL_OK;
}

int hl_evolve_set_start(const hl_evolve_sys *s, const hl_evolve_start *start, double beta0,
                        double *y, hl_evolve_info *info)
{
    long h = s->h, w = s->w, N = s->N;
    double D = (double)s->dim;
    for (long i = 0; i < N; i++)
        y[i] = 0;
    switch (start->kind) {
    case HL_START_BASIN: {
        long a = 0, b = 0;
        int st = start_class(s, beta0, start->basin, &a, &b);
        if (st)
            return st;
        if (s->product) {
            y[a] = 1;
            y[w + b] = 1;
        } else {
            y[a * w + b] = 1;
        }
        info->start_n = a + b;
        info->start_n1 = a;
        return HL_OK;
    }
    case HL_START_INFINITE_T:
    case HL_START_EQUILIBRIUM:
    case HL_START_TILTED: {
        double be = start->kind == HL_START_EQUILIBRIUM ? start->beta
                  : start->kind == HL_START_TILTED    ? beta0 : 0.0;
        double fx = 0, fy = 0;
        if (start->kind == HL_START_EQUILIBRIUM && (!isfinite(be) || !(be > 0) || be > 1e6))
            return hl_fail(HL_EDOM, "equilibrium start: beta = %g is not in (0, 1e6]", be);
        if (start->kind == HL_START_TILTED) {
            int st = hl_check_field(start->field);
            if (st)
                return st;
            fx = start->field[0];
            fy = start->field[1];
        }
        /* the field term D (fx x + fy y) = D ((fx + fy) s + (fx - fy) d) / 2 */
        double fs = 0.5 * (fx + fy), fd = 0.5 * (fx - fy);
        if (s->product) {
            for (long k = 0; k <= h; k++) {
                double sk = 2.0 * k / h - 1.0;
                y[k] = s->lnc[k] - be * D * sk + D * fs * sk;
                y[w + k] = s->lnc[k] - be * D * s->g[k] + D * fd * sk;
            }
            hl_ln_normalise(y, w);
            hl_ln_normalise(y + w, w);
        } else {
            for (long a = 0; a <= h; a++)
                for (long b = 0; b <= h; b++)
                    y[a * w + b] = s->lnc[a] + s->lnc[b] - be * s->Phi[a * w + b] +
                                   D * (fx * hl_class_x(h, a, b) + fy * hl_class_y(h, a, b));
            hl_ln_normalise(y, N);
        }
        return HL_OK;
    }
    case HL_START_CLASSES: {
        if (!start->q)
            return hl_fail(HL_EINVAL, "start distribution is NULL");
        double sum = 0;
        for (long i = 0; i < N; i++) {
            double v = start->q[i];
            if (!isfinite(v) || v < 0)
                return hl_fail(HL_EDOM, "start distribution: entry %g for class (n, n1) = "
                                        "(%ld, %ld) is not a non-negative number",
                               v, i / w + i % w, i / w);
            sum += v;
        }
        if (!(sum > 0) || !isfinite(sum))
            return hl_fail(HL_EDOM, "start distribution sums to %g", sum);
        for (long i = 0; i < N; i++)
            y[i] = start->q[i] / sum;
        return HL_OK;
    }
    default:
        return hl_fail(HL_EINVAL, "unknown start kind %d", start->kind);
    }
}
