/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_melting.c -- melting points of k blocks (eq 4.14): the betas where
 * two branches of maxima have equal f, by Brent's method in beta, with the
 * crossings that cannot be refined kept as unresolved; the k-dimensional
 * form of melting.c, step for step. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include "blocks_thermo.h"

#define T_OF(p, br, i) ((br)->t + (size_t)(i) * (size_t)(p)->k)

/* --- melting: equal f on two branches, Brent in beta ---------------- */

typedef struct {
    const hl_blocks *m;
    int k;
    double b0;
    double ta[BK], tb[BK];
    int failed;
} melt_ctx;

static void ctx_init(melt_ctx *c, const hl_bphases *p, int a, int b, int ref)
{
    memset(c, 0, sizeof *c);
    c->m = p->b;
    c->k = p->k;
    c->b0 = p->beta[ref];
    memcpy(c->ta, T_OF(p, &p->br[a], ref), sizeof(double) * (size_t)p->k);
    memcpy(c->tb, T_OF(p, &p->br[b], ref), sizeof(double) * (size_t)p->k);
}

static double melt_fn(double beta, void *vp)
{
    melt_ctx *c = vp;
    double ta[BK], tb[BK];
    memcpy(ta, c->ta, sizeof ta);
    memcpy(tb, c->tb, sizeof tb);
    double bl;
    if (!hl_bl_continue(c->m, c->b0, beta, ta, &bl) ||
        !hl_bl_continue(c->m, c->b0, beta, tb, &bl)) {
        c->failed = 1;
        return 0;
    }
    return hl_bl_f(c->m, beta, ta) - hl_bl_f(c->m, beta, tb);
}

/* Refine one melting point of branches a, b bracketed by [lo_b, hi_b]
 * (d0 = f_a - f_b at lo_b), both continued from beta index ref; i is the
 * grid interval [i, i + 1] that holds it. */
/* Record a sign change of f_a - f_b in [lo_b, hi_b] that could not be
 * refined into a melting point. */
static int melt_unresolved(hl_bphases *p, int a, int b, double lo_b, double hi_b,
                           const char *reason)
{
    /* one record per pair and reason over adjacent intervals */
    for (int k = 0; k < p->nunres; k++) {
        hl_bmelting_unresolved *u = &p->unres[k];
        if (u->branch_a == a && u->branch_b == b && strcmp(u->reason, reason) == 0 &&
            lo_b <= u->beta_hi + 1e-12 * (1 + fabs(u->beta_hi)) &&
            hi_b >= u->beta_lo - 1e-12 * (1 + fabs(u->beta_lo))) {
            u->beta_lo = fmin(u->beta_lo, lo_b);
            u->beta_hi = fmax(u->beta_hi, hi_b);
            return HL_OK;
        }
    }
    if (!hl_bl_grow((void **)&p->unres, &p->cap_unres, p->nunres, sizeof(hl_bmelting_unresolved)))
        return hl_fail(HL_ENOMEM, "out of memory");
    hl_bmelting_unresolved *u = &p->unres[p->nunres++];
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
static int mirror_images(const hl_bphases *p, int a, int b, int ref)
{
    hl_bstat qa, qb;
    hl_blocks_stationary_fill(p->b, p->beta[ref], T_OF(p, &p->br[a], ref), &qa);
    hl_blocks_stationary_fill(p->b, p->beta[ref], T_OF(p, &p->br[b], ref), &qb);
    return fabs(qa.phi - qb.phi) < 1e-9 && fabs(qa.w - qb.w) < 1e-9;
}

/* Refine one melting point of branches a, b bracketed by [lo_b, hi_b]
 * (d0 = f_a - f_b at lo_b), both continued from beta index ref; i is the
 * grid interval [i, i + 1] that holds it.  A bracket that the continued
 * branches do not confirm, a failed continuation or no convergence is
 * recorded as unresolved (hl_phases_unresolved), never dropped. */
static int melt_root(hl_bphases *p, int a, int b, int ref, int i, double lo_b,
                     double hi_b, double d0)
{
    if (mirror_images(p, a, b, ref))
        return HL_OK;
    melt_ctx c;
    ctx_init(&c, p, a, b, ref);
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
    double ta[BK], tb[BK];
    memcpy(ta, c.ta, sizeof ta);
    memcpy(tb, c.tb, sizeof tb);
    double bl;
    hl_bl_continue(p->b, c.b0, root, ta, &bl);
    hl_bl_continue(p->b, c.b0, root, tb, &bl);
    if (!hl_bl_grow((void **)&p->melts, &p->cap_melt, p->nmelt,
              sizeof(hl_bmelting)))
        return hl_fail(HL_ENOMEM, "out of memory");
    hl_bmelting *ml = &p->melts[p->nmelt++];
    memset(ml, 0, sizeof *ml);
    ml->beta = root;
    /* a: the one with the larger f below the root (high T) */
    int a_first = d0 > 0;
    hl_bstat sa, sb;
    hl_blocks_stationary_fill(p->b, root, a_first ? ta : tb, &sa);
    hl_blocks_stationary_fill(p->b, root, a_first ? tb : ta, &sb);
    sa.branch = a_first ? a : b;
    sb.branch = a_first ? b : a;
    ml->branch_a = sa.branch;
    ml->branch_b = sb.branch;
    ml->a = sa;
    ml->b = sb;
    ml->latent_heat = sa.phi - sb.phi;
    ml->entropy_jump = sa.w - sb.w;
    /* global: is the stable phase a below and b above? */
    int stable_below = hl_bl_stable_branch(p, i), stable_above = hl_bl_stable_branch(p, i + 1);
    ml->global = stable_below == sa.branch && stable_above == sb.branch;
    /* melting points of one beta (e.g. of a separable phi) share a graph */
    if (!p->pass.all || !(fabs(p->pass.beta - root) <= 1e-12 * root)) {
        hl_bl_pass_graph_free(&p->pass);
        int gs = hl_bl_pass_graph_build(p->b, root, &p->pass);
        if (gs == HL_ENOMEM)
            return gs;
    }
    ml->has_saddle = p->pass.all &&
                     hl_bl_pass_query(p->b, &p->pass, root, &sa, &sb, &ml->saddle) == HL_OK;
    return HL_OK;
}

/* fold of branch c strictly inside (lo, hi), or NAN */
static double fold_inside(const hl_bphases *p, int c, double lo, double hi)
{
    for (int k = 0; k < p->nfold; k++)
        if (p->folds[k].branch == c && p->folds[k].beta > lo && p->folds[k].beta < hi)
            return p->folds[k].beta;
    return NAN;
}

int hl_bl_find_meltings(hl_bphases *p)
{
    for (int a = 0; a < p->nbranch; a++)
        for (int b = a + 1; b < p->nbranch; b++)
            for (int i = 0; i + 1 < p->nbeta; i++) {
                const hl_bl_branch *A = &p->br[a], *B = &p->br[b];
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
                        melt_ctx c;
                        ctx_init(&c, p, a, b, ref);
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
