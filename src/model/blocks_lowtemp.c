/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_lowtemp.c -- where each branch of maxima of k blocks ends as
 * T -> 0 (a vertex, a face or an interior point of the k-cube, with the
 * residual entropy and lim c/T there) and the Kauzmann-like point where the
 * supercooled liquid's w falls to the crystal's (blocks_phases.h): the
 * model of k blocks handed to lowtemp_core.c, the analysis the two order
 * parameters of lowtemp.c take too.  w = sum_i r_i h(m_i), so the share of
 * block i is r_i h(m_i) with derivative -r_i atanh(m_i). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_thermo.h"
#include "lowtemp_core.h"

static int lt_cont(const void *ctx, double b0, double b1, double *t, double *b_last)
{
    return hl_bl_continue(ctx, b0, b1, t, b_last);
}

static int lt_refine_fold(const void *ctx, double *t, double *beta)
{
    return hl_bl_refine_fold(ctx, t, beta);
}

static void lt_phi_u(const void *ctx, const double *u, double *g, double *H, double *phi)
{
    *phi = hl_blocks_phi_derivs(ctx, u, g, H);
}

static double lt_w_t(const void *ctx, const double *t)
{
    const hl_blocks *b = ctx;
    double w = 0;
    for (int i = 0; i < hl_blocks_k(b); i++)
        w += hl_blocks_fraction(b, i) * hl_bl_h_t(t[i]);
    return w;
}

static double lt_heat_capacity(const void *ctx, double beta, const double *t)
{
    hl_bstat q;
    hl_blocks_stationary_fill(ctx, beta, t, &q);
    return q.heat_capacity;
}

static double lt_w_share(const void *ctx, int i, double u, double *dw)
{
    double r = hl_blocks_fraction(ctx, i);
    *dw = -r * atanh(u);
    return r * hl_bl_h_t(atanh(u));
}

static hl_lt_model lt_model(const hl_blocks *b)
{
    hl_lt_model o = {hl_blocks_k(b), b, lt_cont, lt_refine_fold, lt_phi_u, lt_w_t,
                     lt_heat_capacity, lt_w_share};
    return o;
}

/* G, the bound of |d phi / d m_i| over the cube that sets the probe
 * (blocks_phases.h): for k <= 8 sampled on a grid of n points per axis,
 * n^k <= 101^2 (n = 101 for k <= 2, the grid of the two order parameters,
 * so that two equal blocks probe at their beta), with their 10% margin;
 * for larger k the interval enclosure over the cube (0 if unbounded: the
 * probe is then at beta = 2.5e5). */
static double gradient_bound(const hl_blocks *b)
{
    int k = hl_blocks_k(b);
    int n = k <= 2 ? 101 : (int)floor(pow(10201.0, 1.0 / k) + 1e-9);
    double G = 0;
    if (n >= 3) {
        long total = 1;
        for (int i = 0; i < k; i++)
            total *= n;
        for (long idx = 0; idx < total; idx++) {
            double m[BK], g[BK];
            long r = idx;
            for (int i = k - 1; i >= 0; i--) {
                m[i] = -1.0 + 2.0 * (double)(r % n) / (n - 1);
                r /= n;
            }
            hl_blocks_phi_derivs(b, m, g, NULL);
            for (int i = 0; i < k; i++)
                if (fabs(g[i]) > G) /* NaN-safe */
                    G = fabs(g[i]);
        }
        return 1.1 * G + 1e-3;
    }
    double lo[BK], hi[BK];
    hl_interval gi[BK];
    for (int i = 0; i < k; i++) {
        lo[i] = -1;
        hi[i] = 1;
    }
    hl_blocks_derivs_box(b, lo, hi, gi, NULL);
    for (int i = 0; i < k; i++) {
        double a = fmax(fabs(gi[i].lo), fabs(gi[i].hi));
        if (gi[i].nan || !isfinite(a))
            return 0;
        G = fmax(G, a);
    }
    return G;
}

static void t0_end(const hl_bphases *p, int br, double b1, hl_bt0_end *e)
{
    const hl_bl_branch *B = &p->br[br];
    int last = p->nbeta - 1, k = p->k;
    hl_lt_end le;
    if (!B->exists[last]) {
        hl_lt_end_at_fold(&le, hl_lt_death_beta(p->folds, p->nfold, sizeof *p->folds,
                                                offsetof(hl_bfold, branch),
                                                offsetof(hl_bfold, birth),
                                                offsetof(hl_bfold, beta), br, B->exists, p->beta,
                                                p->nbeta));
        /* not a spinodal when it stops being a maximum at a pitchfork or
         * branch point (it goes on as a saddle, or merges) */
        hl_lt_end_at_bifurcation(&le, p->folds, p->nfold, sizeof *p->folds,
                                 offsetof(hl_bfold, branch), offsetof(hl_bfold, birth),
                                 offsetof(hl_bfold, beta), offsetof(hl_bfold, bifurcation),
                                 offsetof(hl_bfold, through), br);
    } else {
        hl_lt_model o = lt_model(p->b);
        hl_lt_t0_end(&o, p->beta[last], B->t + (size_t)last * (size_t)k, b1, &le);
    }
    memset(e, 0, sizeof *e);
    e->free_dims = le.free_dims;
    for (int i = 0; i < BK; i++)
        e->m[i] = i < k ? le.u[i] : NAN;
    e->x = e->y = NAN;
    if (hl_blocks_is_paper_pair(p->b)) {
        e->x = 0.5 * (le.u[0] + le.u[1]);
        e->y = 0.5 * (le.u[0] - le.u[1]);
    }
    HL_LT_END_COPY(e, &le);
}

static void kauzmann(hl_bphases *p, double b1)
{
    hl_bkauzmann *k = &p->kz;
    memset(k, 0, sizeof *k);
    hl_lt_kauzmann lk;
    int L = hl_lt_find_name(p->br, p->nbranch, sizeof *p->br, offsetof(hl_bl_branch, name), "liquid");
    int C = hl_lt_find_name(p->br, p->nbranch, sizeof *p->br, offsetof(hl_bl_branch, name), "crystal");
    int q = hl_lt_first_melting(p->melts, p->nmelt, sizeof *p->melts,
                                offsetof(hl_bmelting, branch_a), offsetof(hl_bmelting, branch_b),
                                offsetof(hl_bmelting, beta), L, C);
    hl_lt_model o = lt_model(p->b);
    hl_lt_kauzmann_for(&o, L, C, q, q >= 0 ? p->melts[q].beta : NAN,
                       q >= 0 ? p->melts[q].a.t : NULL, q >= 0 ? p->melts[q].b.t : NULL, p->beta,
                       p->nbeta, 2 * b1, &lk);
    k->found = lk.found;
    k->beta = lk.beta;
    k->T = 1 / lk.beta;
    snprintf(k->reason, sizeof k->reason, "%s", lk.reason);
    if (lk.found) {
        hl_blocks_stationary_fill(p->b, lk.beta, lk.tl, &k->liquid);
        hl_blocks_stationary_fill(p->b, lk.beta, lk.tc, &k->crystal);
        k->liquid.branch = L;
        k->crystal.branch = C;
    }
}

int hl_bl_find_low_temperature(hl_bphases *p)
{
    p->t0 = calloc((size_t)(p->nbranch > 0 ? p->nbranch : 1), sizeof *p->t0);
    if (!p->t0)
        return hl_fail(HL_ENOMEM, "out of memory");
    double b1 = hl_lt_probe_beta(gradient_bound(p->b), p->beta[p->nbeta - 1]);
    for (int b = 0; b < p->nbranch; b++)
        t0_end(p, b, b1, &p->t0[b]);
    kauzmann(p, b1);
    return HL_OK;
}

int hl_bphases_t0_end(const hl_bphases *p, int branch, hl_bt0_end *out)
{
    if (!p || !out || branch < 0 || branch >= p->nbranch || !p->t0)
        return hl_fail(HL_EINVAL, "hl_bphases_t0_end: branch %d out of range", branch);
    *out = p->t0[branch];
    return HL_OK;
}

int hl_bphases_kauzmann(const hl_bphases *p, hl_bkauzmann *out)
{
    if (!p || !out)
        return hl_fail(HL_EINVAL, "hl_bphases_kauzmann: NULL argument");
    *out = p->kz;
    return HL_OK;
}
