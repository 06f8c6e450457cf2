/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exact_separable.c -- the exact sums of exact.c on the separable path (the
 * paper's phi = s + g(d), s = x + y, d = x - y): Z factorises into two
 * one-dimensional sums over a = n1 and b = n - n1, and the steepest ascent
 * moves b exactly as a 1-D ascent of ln C(h, b) - beta D g(d_b). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact_private.h"

typedef struct {
    double lnz, mean, var, mean_lnc;
    double mean_bound, var_bound; /* rounding-error bounds (exact.h) */
} moments_1d;

static moments_1d sum_1d(const double *lv, const double *val, const double *lnc,
                         long h)
{
    double mx = -INFINITY;
    for (long k = 0; k <= h; k++)
        if (lv[k] > mx)
            mx = lv[k];
    long double s0 = 0, s1 = 0, s2 = 0, sc = 0, sa = 0;
    /* centre on the value at the largest term for stable variances */
    double c0 = 0;
    for (long k = 0; k <= h; k++)
        if (lv[k] == mx) {
            c0 = val[k];
            break;
        }
    for (long k = 0; k <= h; k++) {
        double wgt = exp(lv[k] - mx);
        double u = val[k] - c0;
        s0 += wgt;
        s1 += wgt * u;
        sa += wgt * fabs(u);
        s2 += wgt * u * u;
        sc += wgt * lnc[k];
    }
    moments_1d r;
    r.lnz = mx + log((double)s0);
    double m1 = (double)(s1 / s0);
    r.mean = c0 + m1;
    r.var = (double)(s2 / s0) - m1 * m1;
    /* each term a few roundings, summed in long double */
    const double g = 8 * DBL_EPSILON;
    r.mean_bound = g * ((double)(sa / s0) + fabs(m1)) + DBL_EPSILON * (fabs(c0) + fabs(m1));
    r.var_bound = g * ((double)(s2 / s0) + 2 * m1 * m1) + DBL_EPSILON * fabs(r.var);
    if (r.var < 0)
        r.var = 0;
    r.mean_lnc = (double)(sc / s0);
    return r;
}

/* ------------------------------------------------------------ separable */

int hl_exact_separable(hl_exact *ex, double beta, hl_exact_result *r,
                       const hl_named_maxima *c, hl_class_visitor visit,
                             void *ctx)
{
    long h = ex->h;
    double D = (double)ex->dim;
    /* s_k = d_k = 2k/h - 1 on both chains; g at b is the plan's gb */
    double *la = calloc((size_t)(h + 1) * 3, sizeof(double));
    long *end = malloc(sizeof(long) * (size_t)(h + 1) * 2);
    if (la == NULL || end == NULL) {
        free(la);
        free(end);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    double *lb = la + (h + 1), *sv = lb + (h + 1);
    const double *gv = ex->gb;
    for (long k = 0; k <= h; k++) {
        sv[k] = 2.0 * k / h - 1.0;
        la[k] = ex->lnc[k] - beta * D * sv[k];
        lb[k] = ex->lnc[k] - beta * D * gv[k];
    }
    moments_1d A = sum_1d(la, sv, ex->lnc, h);
    moments_1d Bd = sum_1d(lb, sv, ex->lnc, h);
    moments_1d Bg = sum_1d(lb, gv, ex->lnc, h);
    /* cov(d, g) under the b distribution is not needed: phi = s + g */
    r->ln_z_per_dim = (A.lnz + Bd.lnz) / D;
    double ms = A.mean, md = Bd.mean, vs = A.var, vd = Bd.var;
    r->mean_x = 0.5 * (ms + md);
    r->mean_y = 0.5 * (ms - md);
    r->cov_xx = 0.25 * (vs + vd);
    r->cov_yy = 0.25 * (vs + vd);
    r->cov_xy = 0.25 * (vs - vd);
    {
        const double eps = DBL_EPSILON;
        double bm = 0.5 * (A.mean_bound + Bd.mean_bound), bv = 0.25 * (A.var_bound + Bd.var_bound);
        r->mean_x_bound = bm + eps * fabs(r->mean_x);
        r->mean_y_bound = bm + eps * fabs(r->mean_y);
        r->cov_xx_bound = r->cov_yy_bound = bv + eps * fabs(r->cov_xx);
        r->cov_xy_bound = bv + eps * fabs(r->cov_xy);
        r->mean_x = hl_exact_roundoff(r->mean_x, r->mean_x_bound);
        r->mean_y = hl_exact_roundoff(r->mean_y, r->mean_y_bound);
        r->cov_xx = hl_exact_roundoff(r->cov_xx, r->cov_xx_bound);
        r->cov_yy = hl_exact_roundoff(r->cov_yy, r->cov_yy_bound);
        r->cov_xy = hl_exact_roundoff(r->cov_xy, r->cov_xy_bound);
    }
    r->mean_phi = A.mean + Bg.mean;
    r->heat_capacity_per_dim = hl_exact_heat_capacity(beta, D, vs + Bg.var);
    r->mean_w = (A.mean_lnc + Bd.mean_lnc) / D;
    r->classes_summed = (h + 1) * (h + 1);
    r->neglected_bound = 2.0 * (h + 1) * 4.9e-324; /* terms that underflow */
    r->separable_path = 1;

    /* basins: the a-ascent ends at the maximum of la (concave), the b-ascent
     * is the 1-D steepest ascent of lb */
    long *enda = end, *endb = end + (h + 1);
    hl_ascent_1d(la, h, enda);
    hl_ascent_1d(lb, h, endb);
    long astar = enda[0];
    hl_basins_init(r->basins, &r->n_basins, ex->model, c);
    double best_end[HL_MAX_BASINS], bmax[HL_MAX_BASINS];
    long double bsum[HL_MAX_BASINS];
    for (int k = 0; k < HL_MAX_BASINS; k++) {
        best_end[k] = bmax[k] = -INFINITY;
        bsum[k] = 0;
    }
    int *slot_of = malloc(sizeof(int) * (size_t)(h + 1));
    if (!slot_of) {
        free(la);
        free(end);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    for (long b = 0; b <= h; b++) {
        long e = endb[b];
        slot_of[b] = -1;
        int k = hl_basin_slot(r->basins, &r->n_basins, hl_named_maxima_nearest(c, hl_class_x(h, astar, e),
                                           hl_class_y(h, astar, e)));
        if (k < 0) {
            free(slot_of);
            free(la);
            free(end);
            return hl_fail(HL_ERANGE, "more than %d basins", HL_MAX_BASINS);
        }
        slot_of[b] = k;
        if (lb[b] > bmax[k])
            bmax[k] = lb[b];
        if (lb[e] > best_end[k]) {
            best_end[k] = lb[e];
            r->basins[k].x = hl_class_x(h, astar, e);
            r->basins[k].y = hl_class_y(h, astar, e);
        }
    }
    /* each basin's own moments of g (phi = s + g; the s chain is shared by
     * every basin): two passes, the second about the basin's mean */
    long double bs1[HL_MAX_BASINS] = {0}, bs2[HL_MAX_BASINS] = {0};
    for (long b = 0; b <= h; b++)
        if (slot_of[b] >= 0) {
            double wgt = exp(lb[b] - bmax[slot_of[b]]);
            bsum[slot_of[b]] += wgt;
            bs1[slot_of[b]] += wgt * gv[b];
        }
    double gmean[HL_MAX_BASINS];
    for (int k = 0; k < HL_MAX_BASINS; k++)
        gmean[k] = bsum[k] > 0 ? (double)(bs1[k] / bsum[k]) : NAN;
    for (long b = 0; b <= h; b++)
        if (slot_of[b] >= 0) {
            double u = gv[b] - gmean[slot_of[b]];
            bs2[slot_of[b]] += exp(lb[b] - bmax[slot_of[b]]) * u * u;
        }
    free(slot_of);
    for (int k = 0; k < r->n_basins; k++)
        if (bsum[k] > 0) {
            r->basins[k].ln_probability = bmax[k] + log((double)bsum[k]);
            /* every class is summed; only terms that underflow are lost */
            hl_exact_basin_thermo(r, k, A.lnz + r->basins[k].ln_probability, A.mean + gmean[k],
                                  A.var + (double)(bs2[k] / bsum[k]),
                                  (double)(h + 1) * 4.9e-324);
        }
    hl_exact_finish_basins(r, Bd.lnz);
    int st = HL_OK;
    if (visit) {
        double lnz = A.lnz + Bd.lnz;
        double mxa = -INFINITY, mxb = -INFINITY;
        for (long k = 0; k <= h; k++) {
            if (la[k] > mxa) mxa = la[k];
            if (lb[k] > mxb) mxb = lb[k];
        }
        for (long a = 0; a <= h && !st; a++) {
            if (la[a] + mxb - (mxa + mxb) < -HL_EXACT_LN_CUTOFF)
                continue;
            for (long b = 0; b <= h; b++) {
                if (la[a] + lb[b] - (mxa + mxb) < -HL_EXACT_LN_CUTOFF)
                    continue;
                const char *name = hl_named_maxima_nearest(c, hl_class_x(h, astar, endb[b]),
                                                hl_class_y(h, astar, endb[b]));
                if (visit(ctx, a + b, a, hl_class_x(h, a, b), hl_class_y(h, a, b),
                          la[a] + lb[b] - lnz, name)) {
                    st = hl_fail(HL_EINVAL, "class visitor stopped");
                    break;
                }
            }
        }
    }
    free(la);
    free(end);
    return st;
}
