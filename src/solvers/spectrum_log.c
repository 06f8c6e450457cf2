/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spectrum_log.c -- the slowest relaxation rates of a connected reversible
 * chain in log space (spectrum.h, hl_rchain_slow_rates_log): rates far
 * below the double range, and below any eigensolver's absolute
 * resolution, each to a few ulps relative.
 *
 * The rates nu_0 = 0 < nu_1 <= nu_2 ... are the eigenvalues of the pencil
 * (Q, Pi): Q the Laplacian of the conductances C_ab = pi_a K(a -> b), Pi =
 * diag(pi).  For the j-th rate keep j + 1 representative states R and
 * eliminate the others F from Q - lambda Pi (the Schur complement onto R):
 * with the graph transformation's positive elimination (gt_factor.h) this
 * is exact while every pivot stays positive, i.e. lambda below the principal
 * Dirichlet eigenvalue of F, and it leaves the pencil of a Laplacian on R,
 *
 *   C'_rs = C_rs + sum_{a in F} C_ra h^s_a,   h^s = (Q_FF - lambda Pi_F)^{-1} C_Fs,
 *   m'_r  = pi_r + sum_{a in F} C_ra w_a,     w   = (Q_FF - lambda Pi_F)^{-1} pi_F,
 *
 * (sums of positive numbers; m' follows from the row sums of Q without a
 * difference).  lambda is an eigenvalue of the full pencil iff it is one of
 * the reduced pencil at that lambda; with every pivot of F positive,
 * Sylvester's law of inertia counts the eigenvalues below lambda on R
 * alone, so the fixed point lambda = theta_max(lambda), the largest
 * eigenvalue of the (j + 1)-state reduced pencil (with 0 and j - 1 others
 * below it), is exactly nu_j.  theta_max of the small symmetrised pencil is
 * its norm: LAPACK gives it to a few ulps relative whatever the grading.
 *
 * Representatives: R_0 = {the state of largest pi}; r_j maximises pi_a x_a,
 * x the principal Dirichlet eigenvector with R_{j-1} absorbing (positive
 * inverse iteration on the same factor), i.e. the bottom of the slowest
 * basin not yet represented; or, with approximate eigenvectors from
 * another method (hl_rchain_slow_rates_log_hint), the state where phi_j is
 * least explained by phi_0..phi_{j-1} on R_{j-1} (DEIM), which costs no
 * factor.  A pivot the shift nearly cancels (after / before below
 * MIN_MARGIN) counts as not positive: there lambda sits next to a
 * Dirichlet eigenvalue of the free states, a pole of the Schur complement,
 * and the iteration can settle on the pole itself, which is no eigenvalue
 * (seen on a random landscape: e^-4.168 returned for nu_1 = e^-2.318).  If a pivot is not positive at the fixed
 * point (the representatives miss a slow mode: weakly separated rates,
 * high temperature) or the iteration does not settle, the rate is NaN
 * with the reason, never a guess: the double-precision eigensolvers are
 * accurate there. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "core.h"
#include "gt_factor.h"
#include "spectrum.h"

#define MAX_FIXED 60 /* fixed-point iterations per rate */
#define INV_ITER 60  /* inverse iterations for a representative (at most) */
#define RETRIES 8    /* representatives tried per rate */
#define MIN_MARGIN 1e-4 /* smallest pivot after the shift / before: below it
                           the sign is unreliable (and the pivot's relative
                           error eps / margin above 2e-12) */

static double lnc(const hl_rchain *c, long e)
{
    return c->ln_c[e] + 0.5 * (c->ln_pi[c->ea[e]] + c->ln_pi[c->eb[e]]);
}

/* ln of the largest eigenvalue of the s-state Laplacian pencil (cp:
 * s x s ln C'_rs, -inf for none; lm: ln m'_r); NaN on failure */
static double reduced_top(long s, const double *lcp, const double *lm, double *work)
{
    /* S_rr = sum_{t != r} C'_rt / m'_r, S_rt = -C'_rt / sqrt(m'_r m'_t) */
    double *ls = work, *a = work + s * s, *ev = work + 2 * s * s;
    double mx = -INFINITY;
    for (long r = 0; r < s; r++)
        for (long t = 0; t < s; t++) {
            double v;
            if (r == t) {
                v = -INFINITY;
                for (long u = 0; u < s; u++)
                    if (u != r)
                        v = hl_lse(v, lcp[r * s + u]);
                v -= lm[r];
            } else {
                v = lcp[r * s + t] - 0.5 * (lm[r] + lm[t]);
            }
            ls[r * s + t] = v;
            mx = fmax(mx, v);
        }
    if (!isfinite(mx))
        return NAN;
    for (long r = 0; r < s; r++)
        for (long t = 0; t < s; t++)
            a[r * s + t] = (r == t ? 1.0 : -1.0) * exp(ls[r * s + t] - mx);
    if (LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int)s, a, (lapack_int)s, ev))
        return NAN;
    return ev[s - 1] > 0 ? log(ev[s - 1]) + mx : NAN;
}

typedef struct {
    const hl_rchain *c;
    unsigned char *absorb; /* HL_PASS_TO_A on R */
    long *rep;             /* R in order */
    long s;                /* |R| */
    hl_xf *b, *x;          /* nf work vectors */
    gt_t g;                /* the factor for the current R */
    int have_g;            /* 1: g holds R's pattern */
} slow_t;

static void drop_factor(slow_t *w)
{
    if (w->have_g)
        hl_gt_free(&w->g);
    w->have_g = 0;
}

/* b (local order of g) = exp(ln values) scaled by the factor's shift */
static void load_pi(const slow_t *w, const gt_t *g, hl_xf *b)
{
    for (long k = 0; k < g->nf; k++)
        b[k] = hl_xf_exp(w->c->ln_pi[g->glob[k]] - g->shift);
}

/* the next representative: argmax pi_a x_a, x the principal Dirichlet
 * vector with R absorbing; -1 when no state is free */
static int next_rep(slow_t *w, long *out)
{
    const hl_rchain *c = w->c;
    hl_pass_problem p = {c, w->absorb};
    gt_t g;
    int st = hl_gt_factor(&p, -INFINITY, &g, NULL);
    if (st)
        return st;
    load_pi(w, &g, w->b);
    hl_gt_solve(&g, w->b, w->x);
    long last = -1;
    int same = 0;
    for (int it = 1; it < INV_ITER && same < 3; it++) {
        /* b = pi x, normalised by the largest entry (ln) */
        double mx = -INFINITY;
        for (long k = 0; k < g.nf; k++)
            mx = fmax(mx, hl_xf_log(w->x[k]) + c->ln_pi[g.glob[k]]);
        for (long k = 0; k < g.nf; k++)
            w->b[k] = hl_xf_exp(hl_xf_log(w->x[k]) + c->ln_pi[g.glob[k]] - mx);
        hl_gt_solve(&g, w->b, w->x);
        /* until the argmax stays the same three times (it is only a
         * choice: the inertia check decides) */
        long am = -1;
        double av = -INFINITY;
        for (long k = 0; k < g.nf; k++) {
            double v = hl_xf_log(w->x[k]) + c->ln_pi[g.glob[k]];
            if (v > av) {
                av = v;
                am = k;
            }
        }
        same = am == last ? same + 1 : 0;
        last = am;
    }
    long best = -1;
    double bv = -INFINITY;
    for (long k = 0; k < g.nf; k++) {
        double v = hl_xf_log(w->x[k]) + c->ln_pi[g.glob[k]];
        if (v > bv) {
            bv = v;
            best = g.glob[k];
        }
    }
    hl_gt_free(&g);
    *out = best;
    return HL_OK;
}

/* theta_max of the pencil reduced onto R at ln lambda (-inf: 0); NaN with
 * HL_ERANGE when a pivot is not positive */
static int theta(slow_t *w, double ln_lam, double *ln_theta, double *lcp, double *lm,
                 double *work, long *bad)
{
    const hl_rchain *c = w->c;
    hl_pass_problem p = {c, w->absorb};
    int st;
    if (w->have_g) {
        st = hl_gt_refactor(&p, ln_lam, &w->g, bad);
    } else {
        st = hl_gt_factor(&p, ln_lam, &w->g, bad);
        w->have_g = !st;
    }
    if (st)
        return st;
    /* a pivot that the shift nearly cancels: lambda is at (or next to) a
     * Dirichlet eigenvalue of the free states, where the Schur complement
     * has a pole and the fixed point can settle on the pole itself, no
     * eigenvalue of the chain (a random landscape at T = 0.5: e^-4.168
     * for nu_1 = e^-2.318).  The pivot's sign is then round-off, so it
     * counts as not positive: its state is a slow basin without a
     * representative */
    if (w->g.margin < MIN_MARGIN) {
        if (bad)
            *bad = w->g.margin_state;
        return hl_fail(HL_ERANGE, "pivot of state %ld cancelled to %.2g of itself by the shift",
                       w->g.margin_state, w->g.margin);
    }
    gt_t g = w->g; /* a view: freed when R changes */
    long s = w->s, n = c->n;
    for (long i = 0; i < s * s; i++)
        lcp[i] = -INFINITY;
    /* rep index of each state (-1: not in R) */
    long *ri = malloc(sizeof(long) * (size_t)n);
    if (!ri) {
        return hl_fail(HL_ENOMEM, "out of memory (log-space rates)");
    }
    for (long a = 0; a < n; a++)
        ri[a] = -1;
    for (long r = 0; r < s; r++)
        ri[w->rep[r]] = r;
    /* m'_r = pi_r + sum_a C_ra w_a */
    load_pi(w, &g, w->b);
    hl_gt_solve(&g, w->b, w->x);
    for (long r = 0; r < s; r++)
        lm[r] = c->ln_pi[w->rep[r]] - g.shift;
    for (long e = 0; e < c->m; e++) {
        long a = c->ea[e], b = c->eb[e];
        if (c->ln_c[e] == -INFINITY || c->ln_pi[a] == -INFINITY || c->ln_pi[b] == -INFINITY)
            continue;
        for (int side = 0; side < 2; side++) {
            long r = side ? b : a, f = side ? a : b;
            if (ri[r] < 0)
                continue;
            if (ri[f] >= 0) { /* direct conductance between representatives */
                if (side == 0) {
                    double v = lnc(c, e) - g.shift;
                    lcp[ri[r] * s + ri[f]] = hl_lse(lcp[ri[r] * s + ri[f]], v);
                    lcp[ri[f] * s + ri[r]] = hl_lse(lcp[ri[f] * s + ri[r]], v);
                }
            } else if (g.loc[f] >= 0) {
                lm[ri[r]] = hl_lse(lm[ri[r]], lnc(c, e) - g.shift + hl_xf_log(w->x[g.loc[f]]));
            }
        }
    }
    /* C'_rt: h^t = solve(C_Ft) */
    for (long t = 0; t < s && !st; t++) {
        long rt = w->rep[t];
        for (long k = 0; k < g.nf; k++)
            w->b[k] = hl_xf_zero();
        for (long q = c->adj_start[rt]; q < c->adj_start[rt + 1]; q++) {
            long e = c->adj_edge[q], f = hl_rchain_other(c, e, rt);
            if (g.loc[f] >= 0 && c->ln_c[e] > -INFINITY && c->ln_pi[f] > -INFINITY)
                w->b[g.loc[f]] = hl_xf_add(w->b[g.loc[f]], hl_xf_exp(lnc(c, e) - g.shift));
        }
        hl_gt_solve(&g, w->b, w->x);
        for (long r = 0; r < s; r++) {
            if (r == t)
                continue;
            long rr = w->rep[r];
            double acc = lcp[r * s + t];
            for (long q = c->adj_start[rr]; q < c->adj_start[rr + 1]; q++) {
                long e = c->adj_edge[q], f = hl_rchain_other(c, e, rr);
                if (g.loc[f] >= 0 && c->ln_c[e] > -INFINITY && c->ln_pi[f] > -INFINITY)
                    acc = hl_lse(acc, lnc(c, e) - g.shift + hl_xf_log(w->x[g.loc[f]]));
            }
            lcp[r * s + t] = acc;
        }
    }
    /* symmetric in exact arithmetic: the mean of the two sums */
    for (long r = 0; r < s; r++)
        for (long t = 0; t < r; t++) {
            double u = lcp[r * s + t], v = lcp[t * s + r];
            double mval = (isfinite(u) && isfinite(v)) ? 0.5 * (u + v) : fmax(u, v);
            lcp[r * s + t] = lcp[t * s + r] = mval;
        }
    free(ri);
    *ln_theta = reduced_top(s, lcp, lm, work);
    if (isnan(*ln_theta))
        return hl_fail(HL_ENOCONV, "the reduced pencil of %ld states has no positive "
                                   "eigenvalue", s);
    return HL_OK;
}

/* the representative of rate j from approximate right eigenvectors phi
 * (k x n): phi_j interpolated on R by phi_0..phi_{j-1}, the state outside R
 * of largest sqrt(pi) |residual| (DEIM on the eigenvectors of S: the
 * bottom of the basin that the earlier modes do not explain); -1 if none
 * (or the interpolation is singular) */
static long deim_rep(const slow_t *w, const double *phi, long j, double *mat, double *rhs,
                     lapack_int *piv)
{
    const hl_rchain *c = w->c;
    long n = c->n, s = w->s; /* s = j representatives so far */
    for (long r = 0; r < s; r++) {
        for (long i = 0; i < j; i++)
            mat[r * j + i] = phi[i * n + w->rep[r]];
        rhs[r] = phi[j * n + w->rep[r]];
    }
    if (s != j || LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)j, 1, mat, (lapack_int)j, piv, rhs,
                                1))
        return -1;
    long best = -1;
    double bv = -INFINITY;
    for (long a = 0; a < n; a++) {
        if (w->absorb[a] || c->ln_pi[a] == -INFINITY)
            continue;
        double res = phi[j * n + a];
        for (long i = 0; i < j; i++)
            res -= rhs[i] * phi[i * n + a];
        if (res == 0 || !isfinite(res))
            continue;
        /* weight sqrt(pi): the residual of the unit eigenvectors u =
         * sqrt(pi) phi, whose round-off is uniform (weighting by pi lets
         * the noise of a heavy state in a represented basin win) */
        double v = 0.5 * c->ln_pi[a] + log(fabs(res));
        if (v > bv) {
            bv = v;
            best = a;
        }
    }
    return best;
}

int hl_rchain_slow_rates_log(const hl_rchain *c, int k, double *ln_rates, double *rel_res,
                             char *why, size_t why_len)
{
    return hl_rchain_slow_rates_log_hint(c, k, NULL, NULL, NULL, ln_rates, rel_res, why,
                                         why_len);
}

int hl_rchain_slow_rates_log_hint(const hl_rchain *c, int k, const double *phi,
                                  const double *ln_guess, const unsigned char *wanted,
                                  double *ln_rates, double *rel_res, char *why, size_t why_len)
{
    if (!c || !ln_rates || k < 1)
        return hl_fail(HL_EINVAL, "hl_rchain_slow_rates_log: bad argument");
    if (why && why_len)
        why[0] = 0;
    long n = c->n, act = 0, g = -1;
    for (long a = 0; a < n; a++)
        if (c->ln_pi[a] > -INFINITY) {
            act++;
            if (g < 0 || c->ln_pi[a] > c->ln_pi[g])
                g = a;
        }
    if (c->ln_exit)
        for (long a = 0; a < n; a++)
            if (c->ln_exit[a] > -INFINITY)
                return hl_fail(HL_EINVAL, "log-space rates: the chain has exits");
    if (!c->adj_start)
        return hl_fail(HL_EINVAL, "log-space rates: the chain is not indexed");
    for (int q = 0; q < k; q++)
        ln_rates[q] = NAN;
    ln_rates[0] = -INFINITY; /* the equilibrium (one component: checked by the
                                factor, a state that reaches no representative
                                is HL_ENOTFOUND) */
    slow_t w;
    memset(&w, 0, sizeof w);
    w.c = c;
    long kk = k < act ? k : act;
    w.absorb = calloc((size_t)n, 1);
    w.rep = malloc(sizeof(long) * (size_t)(kk + 1));
    w.b = malloc(sizeof(hl_xf) * (size_t)n);
    w.x = malloc(sizeof(hl_xf) * (size_t)n);
    double *lcp = malloc(sizeof(double) * (size_t)((kk + 1) * (kk + 1)));
    double *lm = malloc(sizeof(double) * (size_t)(kk + 1));
    double *work = malloc(sizeof(double) * (size_t)(2 * (kk + 1) * (kk + 1) + kk + 1));
    double *dmat = malloc(sizeof(double) * (size_t)((kk + 1) * (kk + 1)));
    double *drhs = malloc(sizeof(double) * (size_t)(kk + 1));
    lapack_int *dpiv = malloc(sizeof(lapack_int) * (size_t)(kk + 1));
    int st = HL_OK;
    double worst = 0;
    if (!w.absorb || !w.rep || !w.b || !w.x || !lcp || !lm || !work || !dmat || !drhs || !dpiv) {
        st = hl_fail(HL_ENOMEM, "out of memory (log-space rates of %ld states)", n);
        goto out;
    }
    w.rep[0] = g;
    w.s = 1;
    w.absorb[g] = HL_PASS_TO_A;
    for (long j = 1; j < kk; j++) {
        long r = phi ? deim_rep(&w, phi, j, dmat, drhs, dpiv) : -1;
        if (r < 0 && (st = next_rep(&w, &r)))
            goto out;
        if (r < 0)
            break;
        drop_factor(&w);
        w.rep[w.s++] = r;
        w.absorb[r] = HL_PASS_TO_A;
        if (wanted && !wanted[j])
            continue;
        /* from a guess just below the rate (the iteration rises to the
         * fixed point from below), else from 0 */
        double start = ln_guess && isfinite(ln_guess[j]) ? ln_guess[j] - 1e-6 : -INFINITY;
        double ll = start, prev = NAN, step0 = NAN;
        int ok = 0, tries = 0, retry = 0, hopeless = 0;
        while (!ok && tries < MAX_FIXED) {
            double lt = NAN;
            long bad = -1;
            int t = theta(&w, ll, &lt, lcp, lm, work, &bad);
            tries++;
            if (t == HL_ENOMEM) {
                st = t;
                goto out;
            }
            if (t == HL_ERANGE && bad >= 0 && retry < RETRIES) {
                /* a pivot went negative: its state lies in a slow basin that
                 * no representative holds; let it represent the j-th mode */
                drop_factor(&w);
                w.absorb[w.rep[w.s - 1]] = HL_PASS_FREE;
                w.rep[w.s - 1] = bad;
                w.absorb[bad] = HL_PASS_TO_A;
                retry++;
                ll = start;
                prev = step0 = NAN;
                hopeless = 0;
                continue;
            }
            if (t) {
                if (why && why_len && !why[0])
                    snprintf(why, why_len, "rate %ld: %s (the representatives do not separate "
                                           "the slow modes)", j, hl_errmsg());
                break;
            }
            prev = ll;
            ll = lt;
            double tol = 8 * DBL_EPSILON * fmax(1.0, fabs(ll)), step = fabs(ll - prev);
            ok = isfinite(prev) && step <= tol;
            /* the iteration converges linearly, by the factor theta'(lambda)
             * per step, close to 1 where the slow modes are not separated
             * (a degenerate pair: k = 4 blocks at D = 40, steps of 3e-11
             * that do not shrink).  When two steps in a row project the
             * rest of the iteration beyond MAX_FIXED it is stopped there:
             * it would end unsettled anyway, after up to MAX_FIXED factors */
            if (!ok && isfinite(step) && isfinite(step0) && step0 > 0) {
                double rho = step / step0;
                double need = rho < 1 ? log(tol / step) / log(rho) : INFINITY;
                hopeless = tries + need > MAX_FIXED ? hopeless + 1 : 0;
                if (hopeless >= 2)
                    break;
            }
            step0 = step;
        }
        if (ok) {
            ln_rates[j] = ll;
            /* the settling of the fixed point, and the ulp of ln lambda
             * itself (a relative error of the rate) */
            worst = fmax(worst, fmax(fabs(ll - prev), 2 * DBL_EPSILON * fabs(ll)));
        } else if (why && why_len && !why[0] && hopeless >= 2) {
            snprintf(why, why_len, "rate %ld: the fixed point converges too slowly to settle "
                                   "in %d steps (the slow modes are not separated)", j, MAX_FIXED);
        } else if (why && why_len && !why[0]) {
            snprintf(why, why_len, "rate %ld: the fixed point did not settle in %d steps", j,
                     MAX_FIXED);
        }
    }
out:
    drop_factor(&w);
    if (rel_res)
        *rel_res = worst + 64 * DBL_EPSILON;
    free(w.absorb);
    free(w.rep);
    free(w.b);
    free(w.x);
    free(lcp);
    free(lm);
    free(work);
    free(dmat);
    free(drhs);
    free(dpiv);
    return st;
}
