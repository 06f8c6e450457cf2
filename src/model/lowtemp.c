/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lowtemp.c -- where the branches of maxima of f = w - beta phi go as
 * T -> 0 (a vertex, an edge or an interior point of the square, with the
 * residual entropy and lim c/T there), and the Kauzmann-like point where
 * the supercooled liquid's w falls to the crystal's.  Derivations:
 * docs/heat_capacity.md, sections 3 and 4.
 *
 * In s = x + y, d = x - y the square is [-1, 1]^2 and w = h(s) + h(d),
 * h(u) = ln2/2 - [(1+u)ln(1+u) + (1-u)ln(1-u)]/4, h'(u) = -atanh(u)/2.  A
 * maximum obeys t_u = atanh u = -2 beta phi_u: a coordinate whose phi_u
 * stays away from 0 runs to an edge (|t_u| grows like beta; 1 - |u| ~
 * 2 exp(-4 beta |phi_u|)); the others converge to a minimum of phi on that
 * face, x* + T [phi'']^{-1} grad w + O(T^2). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

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

/* beta1 of the probe: the pinned coordinates' t grow by 2 beta1 |phi_u| >= 1
 * between beta1 and 2 beta1 once |phi_u| >= G / 2e3 */
static double probe_beta(const hl_phases *p)
{
    double gs, gd;
    hl_model_gradient_bounds(p->model, &gs, &gd);
    double G = fmax(gs, gd);
    double b = G > 0 ? 1e3 / G : 2.5e5;
    b = fmax(b, 2 * p->beta[p->nbeta - 1]);
    return fmin(b, 2.5e5);
}

/* Newton for grad phi = 0 over the free coordinates (free[k] = 1) at the
 * pinned values of u; 1 on convergence. */
static int face_minimum(const hl_model *m, double u[2], const int free_[2])
{
    for (int it = 0; it < 60; it++) {
        double g[2], H[2][2], ph, du[2] = {0, 0};
        phi_sd(m, u[0], u[1], g, H, &ph);
        double scale = 1e-13 * (1 + fabs(g[0]) + fabs(g[1]) + fabs(H[0][0]) + fabs(H[1][1]));
        if ((!free_[0] || fabs(g[0]) <= scale) && (!free_[1] || fabs(g[1]) <= scale))
            return 1;
        if (free_[0] && free_[1]) {
            double det = H[0][0] * H[1][1] - H[0][1] * H[1][0];
            if (!(fabs(det) > 0))
                return 0;
            du[0] = -(H[1][1] * g[0] - H[0][1] * g[1]) / det;
            du[1] = -(-H[1][0] * g[0] + H[0][0] * g[1]) / det;
        } else {
            int k = free_[0] ? 0 : 1;
            if (!(fabs(H[k][k]) > 0))
                return 0;
            du[k] = -g[k] / H[k][k];
        }
        for (int k = 0; k < 2; k++) {
            u[k] += du[k];
            if (!(fabs(u[k]) < 1) && free_[k])
                return 0;
        }
    }
    return 0;
}

static void t0_none(hl_t0_end *e, const char *fmt, double v)
{
    e->kind = HL_T0_NONE;
    e->x = e->y = e->phi = e->residual_entropy = e->c_over_T = NAN;
    snprintf(e->reason, sizeof e->reason, fmt, v);
}

static void t0_end(const hl_phases *p, int b, hl_t0_end *e)
{
    memset(e, 0, sizeof *e);
    e->beta_probe = e->w_probe = e->c_over_T_probe = NAN;
    const hl_branch *br = &p->br[b];
    const hl_model *m = p->model;
    int last = p->nbeta - 1;
    if (!br->exists[last]) {
        /* it dies at a fold inside the range on its way to larger beta */
        double bf = NAN;
        for (int k = 0; k < p->nfold; k++)
            if (p->folds[k].branch == b && !p->folds[k].birth)
                bf = isnan(bf) ? p->folds[k].beta : fmax(bf, p->folds[k].beta);
        if (isnan(bf)) {
            int i = last;
            while (i > 0 && !br->exists[i])
                i--;
            bf = p->beta[i];
        }
        t0_none(e, "the branch ends at a fold (spinodal) at beta = %.10g before T -> 0", bf);
        return;
    }
    double b1 = probe_beta(p), b2 = 2 * b1, bl;
    double t1[2] = {br->t1[last], br->t2[last]};
    double t2[2];
    for (int leg = 0; leg < 2; leg++) {
        double *t = leg ? t2 : t1, from = leg ? b1 : p->beta[last], to = leg ? b2 : b1;
        if (leg) {
            t2[0] = t1[0];
            t2[1] = t1[1];
        }
        if (!hl_continue_max(m, from, to, t, &bl)) {
            double bf = bl, tf[2] = {t[0], t[1]};
            if (hl_refine_fold(m, tf, &bf))
                t0_none(e, "the branch ends at a fold (spinodal) at beta = %.10g, beyond the "
                           "range", bf);
            else
                t0_none(e, "the branch could not be followed beyond beta = %.6g (Newton "
                           "stopped converging there; no fold confirmed), so its T -> 0 end "
                           "is not known", bl);
            return;
        }
    }
    hl_stationary q;
    hl_fill_stationary(m, b2, t2, &q);
    e->beta_probe = b2;
    e->w_probe = q.w;
    e->c_over_T_probe = q.heat_capacity * b2;
    /* classify each of s, d: pinned on an edge or free */
    int free_[2];
    double u[2];
    for (int k = 0; k < 2; k++) {
        double dt = fabs(t2[k] - t1[k]);
        if (dt > 1) {
            free_[k] = 0;
            u[k] = t2[k] > 0 ? 1 : -1;
        } else if (dt < 0.1) {
            free_[k] = 1;
            u[k] = tanh(t2[k]);
        } else {
            t0_none(e, "cannot tell whether the branch ends on an edge: atanh of a coordinate "
                       "moves by %.3g between beta1 and 2 beta1 (pinned > 1, free < 0.1)",
                    dt);
            return;
        }
    }
    double u0[2] = {u[0], u[1]};
    if ((free_[0] || free_[1]) && !face_minimum(m, u, free_)) {
        t0_none(e, "Newton for the minimum of phi on the face where the branch ends did "
                   "not converge", 0);
        return;
    }
    if (fabs(u[0] - u0[0]) > 1e-2 || fabs(u[1] - u0[1]) > 1e-2) {
        t0_none(e, "the minimum of phi on the face is %.3g away from the branch at the "
                   "probe beta",
                fabs(u[0] - u0[0]) + fabs(u[1] - u0[1]));
        return;
    }
    double g[2], H[2][2], ph;
    phi_sd(m, u[0], u[1], g, H, &ph);
    e->kind = free_[0] && free_[1] ? HL_T0_INTERIOR : free_[0] || free_[1] ? HL_T0_EDGE
                                                                          : HL_T0_VERTEX;
    e->x = 0.5 * (u[0] + u[1]);
    e->y = 0.5 * (u[0] - u[1]);
    e->phi = ph;
    e->residual_entropy = 0;
    double wu[2] = {0, 0};
    for (int k = 0; k < 2; k++)
        if (free_[k]) {
            e->residual_entropy += hl_w_from_t(k ? 0 : atanh(u[0]), k ? atanh(u[1]) : 0) -
                                   0.5 * log(2.0);
            wu[k] = -0.5 * atanh(u[k]);
        }
    /* lim c/T = grad w^T [phi'']^{-1} grad w over the free coordinates; 0 at
     * a vertex (c vanishes like exp(-4 beta |phi_u|)) */
    e->c_over_T = 0;
    if (e->kind == HL_T0_INTERIOR) {
        double det = H[0][0] * H[1][1] - H[0][1] * H[1][0];
        if (det > 0 && H[0][0] > 0)
            e->c_over_T = (H[1][1] * wu[0] * wu[0] - 2 * H[0][1] * wu[0] * wu[1] +
                           H[0][0] * wu[1] * wu[1]) / det;
        else
            e->c_over_T = NAN;
    } else if (e->kind == HL_T0_EDGE) {
        int k = free_[0] ? 0 : 1;
        e->c_over_T = H[k][k] > 0 ? wu[k] * wu[k] / H[k][k] : NAN;
    }
    if (isnan(e->c_over_T))
        snprintf(e->reason, sizeof e->reason,
                 "the minimum of phi on the face is not quadratic (its Hessian is not "
                 "positive definite): c/T has no finite limit given here");
}

/* ------------------------------------------------------------ Kauzmann */

typedef struct {
    const hl_model *m;
    double b0;
    double tl[2], tc[2];
    int failed;
} kz_ctx;

static double kz_fn(double beta, void *vp)
{
    kz_ctx *c = vp;
    double tl[2] = {c->tl[0], c->tl[1]}, tc[2] = {c->tc[0], c->tc[1]}, bl;
    if (!hl_continue_max(c->m, c->b0, beta, tl, &bl) ||
        !hl_continue_max(c->m, c->b0, beta, tc, &bl)) {
        c->failed = 1;
        return 0;
    }
    return hl_w_from_t(tl[0], tl[1]) - hl_w_from_t(tc[0], tc[1]);
}

static int find_branch(const hl_phases *p, const char *name)
{
    for (int b = 0; b < p->nbranch; b++)
        if (!strcmp(p->br[b].name, name))
            return b;
    return -1;
}

static void kauzmann(hl_phases *p)
{
    hl_kauzmann *k = &p->kz;
    memset(k, 0, sizeof *k);
    k->beta = k->T = NAN;
    int L = find_branch(p, "liquid"), C = find_branch(p, "crystal");
    if (L < 0 || C < 0) {
        snprintf(k->reason, sizeof k->reason, "there is no %s branch",
                 L < 0 ? "liquid" : "crystal");
        return;
    }
    const hl_melting *ml = NULL;
    for (int q = 0; q < p->nmelt; q++)
        if (p->melts[q].branch_a == L && p->melts[q].branch_b == C &&
            (!ml || p->melts[q].beta < ml->beta))
            ml = &p->melts[q];
    if (!ml) {
        snprintf(k->reason, sizeof k->reason,
                 "the liquid and crystal branches have no melting point in the range, so "
                 "there is no supercooled liquid");
        return;
    }
    const hl_model *m = p->model;
    double beta = ml->beta;
    double tl[2] = {ml->a.t1, ml->a.t2}, tc[2] = {ml->b.t1, ml->b.t2};
    double stop = 2 * probe_beta(p);
    /* betas: the grid above beta_m, then steps of 1.1 up to the T -> 0 probe */
    int i = 0;
    while (i < p->nbeta && p->beta[i] <= beta)
        i++;
    for (int steps = 0; steps < 100000 && beta < stop; steps++) {
        double next = i < p->nbeta ? p->beta[i++] : fmin(stop, beta * 1.1);
        double nl[2] = {tl[0], tl[1]}, nc[2] = {tc[0], tc[1]}, bl;
        if (!hl_continue_max(m, beta, next, nl, &bl)) {
            snprintf(k->reason, sizeof k->reason,
                     "the supercooled liquid ends at a fold near beta = %.10g with its w still "
                     "above the crystal's", bl);
            return;
        }
        if (!hl_continue_max(m, beta, next, nc, &bl)) {
            snprintf(k->reason, sizeof k->reason,
                     "the crystal branch ends at a fold near beta = %.10g with the liquid's w "
                     "still above its own", bl);
            return;
        }
        double wl = hl_w_from_t(nl[0], nl[1]), wc = hl_w_from_t(nc[0], nc[1]);
        double gn = wl - wc;
        if (gn <= 0 && wl > 1e-280 && wc > 1e-280) {
            kz_ctx c = {m, beta, {tl[0], tl[1]}, {tc[0], tc[1]}, 0};
            gsl_function F = {kz_fn, &c};
            gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
            int ok = 0;
            if (s && gsl_root_fsolver_set(s, &F, beta, next) == GSL_SUCCESS && !c.failed) {
                for (int it = 0; it < 200 && !c.failed; it++) {
                    if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
                        break;
                    if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                               gsl_root_fsolver_x_upper(s), 0,
                                               1e-13) == GSL_SUCCESS) {
                        ok = !c.failed;
                        break;
                    }
                }
            }
            double root = s ? gsl_root_fsolver_root(s) : NAN;
            gsl_root_fsolver_free(s);
            if (!ok) {
                snprintf(k->reason, sizeof k->reason,
                         "w_liquid - w_crystal changes sign in beta in [%.10g, %.10g] but "
                         "Brent's method did not converge", beta, next);
                return;
            }
            double ql[2] = {tl[0], tl[1]}, qc[2] = {tc[0], tc[1]};
            hl_continue_max(m, beta, root, ql, &bl);
            hl_continue_max(m, beta, root, qc, &bl);
            k->found = 1;
            k->beta = root;
            k->T = 1 / root;
            hl_fill_stationary(m, root, ql, &k->liquid);
            hl_fill_stationary(m, root, qc, &k->crystal);
            k->liquid.branch = L;
            k->crystal.branch = C;
            return;
        }
        if (wl < 1e-280 || wc < 1e-280) {
            snprintf(k->reason, sizeof k->reason,
                     "w_liquid > w_crystal from the melting point down to T = %.6g, where "
                     "w falls below 1e-280", 1 / next);
            return;
        }
        beta = next;
        tl[0] = nl[0];
        tl[1] = nl[1];
        tc[0] = nc[0];
        tc[1] = nc[1];
    }
    snprintf(k->reason, sizeof k->reason,
             "w_liquid > w_crystal from the melting point down to T = %.6g (the T -> 0 probe); "
             "see t0_end for their limits", 1 / beta);
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
