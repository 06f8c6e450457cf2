/* SPDX-License-Identifier: GPL-3.0-or-later */
/* melting.c -- melting points (eq 4.14): the betas where two branches of
 * maxima have equal f, found by Brent's method in beta, with the crossings
 * that cannot be refined kept as unresolved. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include "thermo_private.h"

/* --- melting: equal f on two branches, Brent in beta ---------------- */

typedef struct {
    const hl_model *m;
    double b0;
    double ta[2], tb[2];
    int failed;
} melt_ctx;

static double melt_fn(double beta, void *vp)
{
    melt_ctx *c = vp;
    double ta[2] = {c->ta[0], c->ta[1]}, tb[2] = {c->tb[0], c->tb[1]};
    double bl;
    if (!hl_continue_max(c->m, c->b0, beta, ta, &bl) ||
        !hl_continue_max(c->m, c->b0, beta, tb, &bl)) {
        c->failed = 1;
        return 0;
    }
    return hl_f_value_t(c->m, beta, ta[0], ta[1]) - hl_f_value_t(c->m, beta, tb[0], tb[1]);
}

/* Refine one melting point of branches a, b bracketed by [lo_b, hi_b]
 * (d0 = f_a - f_b at lo_b), both continued from beta index ref; i is the
 * grid interval [i, i + 1] that holds it. */
/* Record a sign change of f_a - f_b in [lo_b, hi_b] that could not be
 * refined into a melting point. */
static int melt_unresolved(hl_phases *p, int a, int b, double lo_b, double hi_b,
                           const char *reason)
{
    /* one record per pair and reason over adjacent intervals */
    for (int k = 0; k < p->nunres; k++) {
        hl_melting_unresolved *u = &p->unres[k];
        if (u->branch_a == a && u->branch_b == b && strcmp(u->reason, reason) == 0 &&
            lo_b <= u->beta_hi + 1e-12 * (1 + fabs(u->beta_hi)) &&
            hi_b >= u->beta_lo - 1e-12 * (1 + fabs(u->beta_lo))) {
            u->beta_lo = fmin(u->beta_lo, lo_b);
            u->beta_hi = fmax(u->beta_hi, hi_b);
            return HL_OK;
        }
    }
    if (!hl_grow((void **)&p->unres, &p->cap_unres, p->nunres, sizeof(hl_melting_unresolved)))
        return hl_fail(HL_ENOMEM, "out of memory");
    hl_melting_unresolved *u = &p->unres[p->nunres++];
    memset(u, 0, sizeof *u);
    u->branch_a = a;
    u->branch_b = b;
    u->beta_lo = lo_b;
    u->beta_hi = hi_b;
    snprintf(u->reason, sizeof u->reason, "%s", reason);
    return HL_OK;
}

/* 1 if the maxima of branches a and b at beta index ref are mirror images
 * (equal phi and w, e.g. of a symmetric phi): their f are equal at every
 * beta, and a sign change of f_a - f_b is round-off, not a transition. */
static int mirror_images(const hl_phases *p, int a, int b, int ref)
{
    double ta[2] = {p->br[a].t1[ref], p->br[a].t2[ref]};
    double tb[2] = {p->br[b].t1[ref], p->br[b].t2[ref]};
    hl_stationary qa, qb;
    hl_fill_stationary(p->model, p->beta[ref], ta, &qa);
    hl_fill_stationary(p->model, p->beta[ref], tb, &qb);
    return fabs(qa.phi - qb.phi) < 1e-9 && fabs(qa.w - qb.w) < 1e-9;
}

/* Refine one melting point of branches a, b bracketed by [lo_b, hi_b]
 * (d0 = f_a - f_b at lo_b), both continued from beta index ref; i is the
 * grid interval [i, i + 1] that holds it.  A bracket that the continued
 * branches do not confirm, a failed continuation or no convergence is
 * recorded as unresolved (hl_phases_unresolved), never dropped. */
static int melt_root(hl_phases *p, int a, int b, int ref, int i, double lo_b,
                     double hi_b, double d0)
{
    if (mirror_images(p, a, b, ref))
        return HL_OK;
    melt_ctx c = {p->model, p->beta[ref], {p->br[a].t1[ref], p->br[a].t2[ref]},
                  {p->br[b].t1[ref], p->br[b].t2[ref]}, 0};
    gsl_function F = {melt_fn, &c};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    double root = 0.5 * (lo_b + hi_b);
    int ok = 0;
    const char *why = NULL;
    int gs = gsl_root_fsolver_set(s, &F, lo_b, hi_b);
    if (c.failed)
        why = "a branch cannot be continued to the ends of the bracket";
    else if (gs != GSL_SUCCESS)
        why = "the continued branches do not change order inside the bracket";
    else {
        for (int it = 0; it < 200; it++) {
            gs = gsl_root_fsolver_iterate(s);
            if (gs != GSL_SUCCESS || c.failed)
                break;
            root = gsl_root_fsolver_root(s);
            double lo = gsl_root_fsolver_x_lower(s);
            double hi = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(lo, hi, 1e-15, 1e-14) == GSL_SUCCESS) {
                ok = 1;
                break;
            }
        }
        if (c.failed)
            why = "a branch cannot be continued inside the bracket";
        else if (!ok)
            why = "Brent's method did not converge";
    }
    gsl_root_fsolver_free(s);
    if (why)
        return melt_unresolved(p, a, b, lo_b, hi_b, why);
    /* the maxima at the root */
    double ta[2] = {c.ta[0], c.ta[1]}, tb[2] = {c.tb[0], c.tb[1]};
    double bl;
    hl_continue_max(p->model, c.b0, root, ta, &bl);
    hl_continue_max(p->model, c.b0, root, tb, &bl);
    if (!hl_grow((void **)&p->melts, &p->cap_melt, p->nmelt,
              sizeof(hl_melting)))
        return hl_fail(HL_ENOMEM, "out of memory");
    hl_melting *ml = &p->melts[p->nmelt++];
    memset(ml, 0, sizeof *ml);
    ml->beta = root;
    /* a: the one with the larger f below the root (high T) */
    int a_first = d0 > 0;
    hl_stationary sa, sb;
    hl_fill_stationary(p->model, root, a_first ? ta : tb, &sa);
    hl_fill_stationary(p->model, root, a_first ? tb : ta, &sb);
    sa.branch = a_first ? a : b;
    sb.branch = a_first ? b : a;
    ml->branch_a = sa.branch;
    ml->branch_b = sb.branch;
    ml->a = sa;
    ml->b = sb;
    ml->latent_heat = sa.phi - sb.phi;
    ml->entropy_jump = sa.w - sb.w;
    /* global: is the stable phase a below and b above? */
    int stable_below = hl_stable_branch(p, i), stable_above = hl_stable_branch(p, i + 1);
    ml->global = stable_below == sa.branch && stable_above == sb.branch;
    ml->has_saddle =
        hl_saddle_between(p->model, root, &sa, &sb, &ml->saddle) == HL_OK;
    return HL_OK;
}

/* fold of branch c strictly inside (lo, hi), or NAN */
static double fold_inside(const hl_phases *p, int c, double lo, double hi)
{
    for (int k = 0; k < p->nfold; k++)
        if (p->folds[k].branch == c && p->folds[k].beta > lo && p->folds[k].beta < hi)
            return p->folds[k].beta;
    return NAN;
}

int hl_find_meltings(hl_phases *p)
{
    for (int a = 0; a < p->nbranch; a++)
        for (int b = a + 1; b < p->nbranch; b++)
            for (int i = 0; i + 1 < p->nbeta; i++) {
                const hl_branch *A = &p->br[a], *B = &p->br[b];
                int both0 = A->exists[i] && B->exists[i];
                int both1 = A->exists[i + 1] && B->exists[i + 1];
                int st = HL_OK;
                if (both0 && both1) {
                    double d0 = A->f[i] - B->f[i], d1 = A->f[i + 1] - B->f[i + 1];
                    if (d0 != 0 && (d0 > 0) != (d1 > 0))
                        st = melt_root(p, a, b, i, i, p->beta[i], p->beta[i + 1], d0);
                } else if (both0 || both1) {
                    /* one branch is born or dies inside the interval: sample
                     * between its fold and the end where both exist */
                    int ref = both1 ? i + 1 : i;
                    int missing = both1 ? (A->exists[i] ? b : a) : (A->exists[i + 1] ? b : a);
                    double edge = fold_inside(p, missing, p->beta[i], p->beta[i + 1]);
                    if (isnan(edge))
                        continue;
                    static const double q[] = {1e-9, 1e-6, 1e-3, 0.02, 0.1, 0.25, 0.5, 0.75, 1.0};
                    const int nq = (int)(sizeof q / sizeof q[0]);
                    double prev_b = NAN, prev_d = NAN;
                    for (int k = 0; k < nq; k++) {
                        double bk = edge + (p->beta[ref] - edge) * q[k];
                        melt_ctx c = {p->model, p->beta[ref], {A->t1[ref], A->t2[ref]},
                                      {B->t1[ref], B->t2[ref]}, 0};
                        double dk = melt_fn(bk, &c);
                        if (c.failed)
                            continue;
                        if (!isnan(prev_d) && prev_d != 0 && (prev_d > 0) != (dk > 0)) {
                            double lo_b = fmin(prev_b, bk), hi_b = fmax(prev_b, bk);
                            double dlo = prev_b < bk ? prev_d : dk;
                            st = melt_root(p, a, b, ref, i, lo_b, hi_b, dlo);
                            if (st)
                                break;
                        }
                        prev_b = bk;
                        prev_d = dk;
                    }
                }
                if (st)
                    return st;
            }
    return HL_OK;
}
