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

/* terms per double partial sum of the energy moments (then long double) */
#define SUM_CHUNK 1024

typedef struct {
    double lnz, lnz_err, mean, var, mean_lnc;
    double mean_bound, var_bound; /* rounding-error bounds (exact.h) */
    long ref;                     /* the largest term                 */
    double eref;                  /* the energy there                 */
    hl_m_result m;                /* moments of the energy (exact_private.h) */
} moments_1d;

/* One chain: weights C(h, k) e^{-bd e_k} (lv[k] = lnc[k] - bd e_k), the
 * moments of val and (in .m) of the energy e, relative to the largest term
 * (exponents as differences, hl_m_add).  Sums in long double: each term a
 * few roundings. */
static moments_1d sum_1d(const double *lv, const double *e, const double *val, const double *lnc,
                         double bd, long h)
{
    long r = 0;
    for (long k = 0; k <= h; k++)
        if (lv[k] > lv[r])
            r = k;
    long double s0 = 0, s1 = 0, s2 = 0, sa = 0;
    long double am[HL_M_N] = {0};
    double c0 = val[r];
    double pm[HL_M_N] = {0};
    for (long k = 0; k <= h; k++) {
        double dl = lnc[k] - lnc[r], de = e[k] - e[r], t = dl - bd * de;
        double err = fabs(lnc[k]) + fabs(lnc[r]) + fabs(t) + fabs(bd * de);
        double wgt = hl_m_add(pm, t, err, de, lnc[k], k != r, fabs(e[r]));
        if (k % SUM_CHUNK == SUM_CHUNK - 1 || k == h) { /* double partial sums */
            hl_m_merge(am, pm);
            memset(pm, 0, sizeof pm);
        }
        double u = val[k] - c0;
        s0 += wgt;
        s1 += wgt * u;
        sa += wgt * fabs(u);
        s2 += wgt * u * u;
    }
    moments_1d o;
    const double g = (SUM_CHUNK + 8) * DBL_EPSILON;
    hl_m_finish(am, g, fabs(e[r]), &o.m);
    o.ref = r;
    o.eref = e[r];
    o.lnz = lv[r] + o.m.ln_s0;
    o.lnz_err = 2 * DBL_EPSILON * (2 * fabs(lnc[r]) + fabs(bd * e[r]));
    double m1 = (double)(s1 / s0);
    o.mean = c0 + m1;
    o.var = (double)(s2 / s0) - m1 * m1;
    double werr = o.m.werr;
    o.mean_bound = (g + 2 * werr) * (double)(sa / s0) + g * fabs(m1) +
                   DBL_EPSILON * (fabs(c0) + fabs(m1));
    o.var_bound = (g + 2 * werr) * ((double)(s2 / s0) + 2 * m1 * m1) + DBL_EPSILON * fabs(o.var);
    if (o.var < 0)
        o.var = 0;
    o.mean_lnc = o.m.mean_lnw;
    return o;
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
    double bd = beta * D;
    moments_1d A = sum_1d(la, sv, sv, ex->lnc, bd, h);
    moments_1d Bd = sum_1d(lb, gv, sv, ex->lnc, bd, h);
    moments_1d Bg = sum_1d(lb, gv, gv, ex->lnc, bd, h);
    /* cov(d, g) under the b distribution is not needed: phi = s + g */
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
    {
        /* phi = s + g: the energies of the two chains */
        hl_m_result m = hl_m_product(&A.m, &Bg.m);
        hl_exact_set_thermo(r, A.lnz - A.m.ln_s0 + Bg.lnz - Bg.m.ln_s0, A.lnz_err + Bg.lnz_err,
                            A.eref + Bg.eref, &m);
    }
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
    double best_end[HL_MAX_BASINS];
    for (int k = 0; k < HL_MAX_BASINS; k++)
        best_end[k] = -INFINITY;
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
        if (lb[e] > best_end[k]) {
            best_end[k] = lb[e];
            r->basins[k].x = hl_class_x(h, astar, e);
            r->basins[k].y = hl_class_y(h, astar, e);
        }
    }
    /* each basin's own moments of g (phi = s + g; the s chain is shared by
     * every basin), relative to the basin's largest term (hl_m_add) */
    long bref[HL_MAX_BASINS];
    for (int k = 0; k < HL_MAX_BASINS; k++)
        bref[k] = -1;
    for (long b = 0; b <= h; b++)
        if (slot_of[b] >= 0 && (bref[slot_of[b]] < 0 || lb[b] > lb[bref[slot_of[b]]]))
            bref[slot_of[b]] = b;
    long double bacc[HL_MAX_BASINS][HL_M_N];
    double bpart[HL_MAX_BASINS][HL_M_N];
    memset(bacc, 0, sizeof bacc);
    memset(bpart, 0, sizeof bpart);
    for (long b = 0; b <= h; b++) {
        int k = slot_of[b];
        if (k < 0)
            continue;
        long q = bref[k];
        double dl = ex->lnc[b] - ex->lnc[q], de = gv[b] - gv[q], t = dl - bd * de;
        hl_m_add(bpart[k], t, fabs(ex->lnc[b]) + fabs(ex->lnc[q]) + fabs(t) + fabs(bd * de), de,
                 ex->lnc[b], b != q, fabs(gv[q]));
        if (b % SUM_CHUNK == SUM_CHUNK - 1)
            for (int j = 0; j < r->n_basins; j++) {
                hl_m_merge(bacc[j], bpart[j]);
                memset(bpart[j], 0, sizeof bpart[j]);
            }
    }
    for (int j = 0; j < r->n_basins; j++)
        hl_m_merge(bacc[j], bpart[j]);
    free(slot_of);
    for (int k = 0; k < r->n_basins; k++)
        if (bref[k] >= 0) {
            hl_m_result mb, m;
            hl_m_finish(bacc[k], (SUM_CHUNK + 8) * DBL_EPSILON, fabs(gv[bref[k]]), &mb);
            m = hl_m_product(&A.m, &mb);
            double lnb = lb[bref[k]] + mb.ln_s0;
            r->basins[k].ln_probability = lnb;
            /* every class is summed; only terms that underflow are lost */
            hl_exact_basin_thermo(r, k, A.lnz + lnb,
                                  A.lnz_err + 2 * DBL_EPSILON * (2 * fabs(ex->lnc[bref[k]]) +
                                                                 fabs(bd * gv[bref[k]])) + mb.werr,
                                  A.eref + gv[bref[k]], &m, (double)(h + 1) * 4.9e-324);
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
