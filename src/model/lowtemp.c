/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lowtemp.c -- where the branches of maxima of f = w - beta phi go as
 * T -> 0 (a vertex, an edge or an interior point of the square, with the
 * residual entropy and lim c/T there), and the Kauzmann-like point where
 * the supercooled liquid's w falls to the crystal's: the two order
 * parameters s = x + y, d = x - y handed to the k-dimensional analysis of
 * lowtemp_core.c (which the k blocks share).  Derivations:
 * docs/heat_capacity.md, sections 3 and 4.
 *
 * In s, d the square is [-1, 1]^2 and w = h(s) + h(d), h(u) = ln2/2 -
 * [(1+u)ln(1+u) + (1-u)ln(1-u)]/4, h'(u) = -atanh(u)/2. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lowtemp_core.h"
#include "thermo_private.h"

/* phi's gradient and Hessian in (s, d) at (s, d) */
static void phi_sd(const hl_model *m, double s, double d, double g[2], double H[2][2],
                   double *phi)
{
    hl_phi_derivs o;
    hl_model_phi_derivs(m, 0.5 * (s + d), 0.5 * (s - d), &o);
    g[0] = 0.5 * (o.phi_x + o.phi_y);
    g[1] = 0.5 * (o.phi_x - o.phi_y);
    H[0][0] = 0.25 * (o.phi_xx + 2 * o.phi_xy + o.phi_yy);
    H[1][1] = 0.25 * (o.phi_xx - 2 * o.phi_xy + o.phi_yy);
    H[0][1] = H[1][0] = 0.25 * (o.phi_xx - o.phi_yy);
    *phi = o.phi;
}

/* the model of the two order parameters (s, d) as the table of
 * lowtemp_core.h: w = h(s) + h(d), so each has weight r = 1/2 */
static int lt_cont(const void *ctx, double b0, double b1, double *t, double *b_last)
{
    return hl_continue_max(ctx, b0, b1, t, b_last);
}

static int lt_refine_fold(const void *ctx, double *t, double *beta)
{
    return hl_refine_fold(ctx, t, beta);
}

static void lt_phi_u(const void *ctx, const double *u, double *g, double *H, double *phi)
{
    double g2[2], H2[2][2];
    phi_sd(ctx, u[0], u[1], g2, H2, phi);
    g[0] = g2[0];
    g[1] = g2[1];
    H[0] = H2[0][0];
    H[1] = H2[0][1];
    H[2] = H2[1][0];
    H[3] = H2[1][1];
}

static double lt_w_t(const void *ctx, const double *t)
{
    (void)ctx;
    return hl_w_from_t(t[0], t[1]);
}

static double lt_heat_capacity(const void *ctx, double beta, const double *t)
{
    hl_stationary q;
    hl_fill_stationary(ctx, beta, t, &q);
    return q.heat_capacity;
}

static double lt_w_share(const void *ctx, int i, double u, double *dw)
{
    (void)ctx;
    *dw = -0.5 * atanh(u);
    return hl_w_from_t(i ? 0 : atanh(u), i ? atanh(u) : 0) - 0.5 * log(2.0);
}

static hl_lt_model lt_model(const hl_model *m)
{
    hl_lt_model o = {2, m, lt_cont, lt_refine_fold, lt_phi_u, lt_w_t, lt_heat_capacity,
                     lt_w_share};
    return o;
}

/* beta1 of the probe from the bound of |grad phi| on the square */
static double probe_beta(const hl_phases *p)
{
    double gs, gd;
    hl_model_gradient_bounds(p->model, &gs, &gd);
    return hl_lt_probe_beta(fmax(gs, gd), p->beta[p->nbeta - 1]);
}

static void t0_end(const hl_phases *p, int b, hl_t0_end *e)
{
    const hl_branch *br = &p->br[b];
    int last = p->nbeta - 1;
    hl_lt_end le;
    if (!br->exists[last]) {
        /* it dies at a fold (or a pitchfork, branch point) inside the range on
         * its way to larger beta */
        hl_lt_end_at_fold(&le, hl_lt_death_beta(p->folds, p->nfold, sizeof *p->folds,
                                                offsetof(hl_fold, branch),
                                                offsetof(hl_fold, birth),
                                                offsetof(hl_fold, beta), b, br->exists, p->beta,
                                                p->nbeta));
        hl_lt_end_at_bifurcation(&le, p->folds, p->nfold, sizeof *p->folds,
                                 offsetof(hl_fold, branch), offsetof(hl_fold, birth),
                                 offsetof(hl_fold, beta), offsetof(hl_fold, bifurcation),
                                 offsetof(hl_fold, through), b);
    } else {
        hl_lt_model o = lt_model(p->model);
        double t[2] = {br->t1[last], br->t2[last]};
        hl_lt_t0_end(&o, p->beta[last], t, probe_beta(p), &le);
    }
    memset(e, 0, sizeof *e);
    e->x = 0.5 * (le.u[0] + le.u[1]);
    e->y = 0.5 * (le.u[0] - le.u[1]);
    HL_LT_END_COPY(e, &le);
}

/* ------------------------------------------------------------ Kauzmann */

static void kauzmann(hl_phases *p)
{
    hl_kauzmann *k = &p->kz;
    memset(k, 0, sizeof *k);
    hl_lt_kauzmann lk;
    int L = hl_lt_find_name(p->br, p->nbranch, sizeof *p->br, offsetof(hl_branch, name), "liquid");
    int C = hl_lt_find_name(p->br, p->nbranch, sizeof *p->br, offsetof(hl_branch, name), "crystal");
    int q = hl_lt_first_melting(p->melts, p->nmelt, sizeof *p->melts,
                                offsetof(hl_melting, branch_a), offsetof(hl_melting, branch_b),
                                offsetof(hl_melting, beta), L, C);
    const hl_melting *ml = q >= 0 ? &p->melts[q] : NULL;
    hl_lt_model o = lt_model(p->model);
    double tl[2] = {ml ? ml->a.t1 : 0, ml ? ml->a.t2 : 0}, tc[2] = {ml ? ml->b.t1 : 0,
                                                                  ml ? ml->b.t2 : 0};
    hl_lt_kauzmann_for(&o, L, C, q, ml ? ml->beta : NAN, tl, tc, p->beta, p->nbeta,
                       2 * probe_beta(p), &lk);
    k->found = lk.found;
    k->beta = lk.beta;
    k->T = 1 / lk.beta;
    snprintf(k->reason, sizeof k->reason, "%s", lk.reason);
    if (lk.found) {
        hl_fill_stationary(p->model, lk.beta, lk.tl, &k->liquid);
        hl_fill_stationary(p->model, lk.beta, lk.tc, &k->crystal);
        k->liquid.branch = L;
        k->crystal.branch = C;
    }
}

int hl_find_low_temperature(hl_phases *p)
{
    p->t0 = calloc((size_t)(p->nbranch > 0 ? p->nbranch : 1), sizeof *p->t0);
    if (!p->t0)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (int b = 0; b < p->nbranch; b++)
        t0_end(p, b, &p->t0[b]);
    kauzmann(p);
    return HL_OK;
}

int hl_phases_t0_end(const hl_phases *p, int branch, hl_t0_end *out)
{
    if (!p || !out || branch < 0 || branch >= p->nbranch || !p->t0)
        return hl_fail(HL_EINVAL, "hl_phases_t0_end: branch %d out of range", branch);
    *out = p->t0[branch];
    return HL_OK;
}

int hl_phases_kauzmann(const hl_phases *p, hl_kauzmann *out)
{
    if (!p || !out)
        return hl_fail(HL_EINVAL, "hl_phases_kauzmann: NULL argument");
    *out = p->kz;
    return HL_OK;
}
