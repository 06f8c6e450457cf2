/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spectrum_gtl.c -- the slowest relaxation rates of a connected reversible
 * chain by Lanczos on the pseudo-inverse, applied through the graph
 * transformation's factor (spectrum.h, hl_rchain_slow_rates_gtl).
 *
 * S = Pi^{-1/2} Q Pi^{-1/2} (Q the Laplacian of the conductances
 * C_ab = pi_a K(a -> b), Pi = diag(pi), pi normalised) has the rates
 * 0 = nu_0 < nu_1 <= ... as eigenvalues, with null vector sqrt(pi).  With
 * one state g held at zero (the state of largest pi), G = Q_FF^{-1} on the
 * other states F is the nonnegative inverse that the graph transformation
 * factors without a subtraction (gt_factor.h), and for v orthogonal to
 * sqrt(pi)
 *
 *   S^+ v = P (Pi^{1/2} [0; G (Pi^{1/2} v)_F]),   P = I - sqrt(pi) sqrt(pi)^T
 *
 * (w = Pi^{1/2} v sums to zero, so x = [0; G w_F] solves Q x = w, and
 * Pi^{1/2} x is a preimage of v under S; P takes the one orthogonal to the
 * null vector).  The eigenvalues of S^+ on that complement are 1 / nu_j:
 * the slow rates are its LARGEST eigenvalues, which Lanczos finds first,
 * with an absolute error of order eps / nu_1, i.e. a relative error of
 * order eps nu_j / nu_1 in nu_j: independent of the fast rates (the double
 * eigensolvers of spectrum.c have eps times the LARGEST rate instead, which
 * at low temperature is no digit at all).
 *
 * G w is applied as two solves with nonnegative right-hand sides (the
 * positive and negative parts of w), each accurate to a few ulps relative
 * entrywise; the one subtraction is where the rounding of the operator
 * comes from.  Values are carried in logs and rescaled by a fixed factor
 * e^{-s0} (s0 from the first application), so rates far outside the double
 * range work.  The chain's conductances use its unnormalised weights
 * (sum Z): the operator applied is S^+ / Z, which the rates undo.  Lanczos with full reorthogonalisation; a second run from
 * another start vector, deflated by the converged vectors, looks for a
 * copy of a repeated rate that the first run can miss (in exact arithmetic
 * a Krylov space holds one vector per distinct eigenvalue).
 *
 * Error bound of a rate (relative): (min(r, r^2 / gap) + delta) / theta,
 * with r the Ritz residual, gap the distance to the next Ritz value and
 * delta the operator's rounding, max(4u (2h + 8) theta_1, 2 times the
 * largest asymmetry |<v_{j-1}, A v_j> - beta_j| seen), u = 2^-53 and h the
 * height of the elimination tree (gt_factor.h).  The 4u (2h + 8): every
 * number of the factor and of the two solves is a sum of positive terms,
 * each a product or quotient of such numbers, and the relative error of a
 * sum of positive terms is at most the largest of its terms' plus one
 * rounding (Higham, Accuracy and Stability, 2nd ed., sec. 4.2, first
 * order).  An entry x_k of G b is reached from the b_j along a path of the
 * tree up (forward substitution, b_r += C_rk b_k / D_k: a quotient, a
 * product and a sum, each rounding once, on values of the factor that
 * themselves carry their elimination's rounding, about one ulp per level:
 * with the GTH pivots, sums of the eliminated conductances, the factor of
 * the perturbed chain is exact for a chain whose conductances are changed
 * by at most a few ulps relative, O'Cinneide 1993) and back down (x_k =
 * (b_k + sum C_rk x_r) / D_k, the same count): at most h levels each way,
 * at most 4 roundings per level, so 4u 2h; the 8 is the rest, 4u times the
 * conversions to and from logs (exp of ln sqrt(pi) + ln |v| into the
 * right-hand sides, ln of the solution, the exp back: a few ulps of the
 * argument's size each) and the scaling by powers of 2 (exact).  Per
 * entry: |fl(G b) - G b| <= 4u (2h + 8) G b for b >= 0, so the error of A v
 * (two such solves, b = (Pi^1/2 v)^+ and ^-) is at most 4u (2h + 8) |A| |v|
 * entrywise, whose norm is at most theta_1 |v| (|A| = A on the positive
 * parts: G >= 0); the same count as the first-passage times of
 * passage_gt.c.  The asymmetry measures what the rounding actually did.
 * Both are bounds to first order in u, not proofs: the tests compare with
 * mpmath (tests/cli/rounding_test.sh: one block at D = 500 .. 2000, h ~
 * D / 2) and with the other two methods.  A rate whose bound is above
 * max_rel is NaN: the caller uses another method for it. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "core.h"
#include "gt_factor.h"
#include "rng_stream.h"
#include "spectrum.h"
#include "timing.h"

/* stream of the start vectors (rng_stream.h: a reserved id per purpose) */
#define GTL_STREAM (HL_RNG_STREAM_RESERVED + 0x67746cu)
#define GTL_EXTRA_RUNS 2 /* deflated runs beyond one per wanted rate */
#define CHECK_TOL 1e-7   /* a deflated run's first tolerance              */

typedef struct {
    const hl_rchain *c;
    gt_t g;
    long na;       /* active states                                   */
    long *state;   /* na: the state of active index i                 */
    long *act;     /* n: active index of a state, -1 if inactive       */
    double *sq;    /* na: sqrt(pi_i), pi normalised                    */
    double *lsq;   /* na: ln sqrt(pi_i)                                */
    hl_xf *bp, *bm, *xp, *xm; /* nf work vectors                       */
    double s0;     /* values are scaled by e^{-s0}                     */
    int have_s0;
    long applies;
} gtl_op;

static void project(const gtl_op *o, double *y, const double *lock, long nlock)
{
    long na = o->na;
    for (int pass = 0; pass < 2; pass++) {
        double d = 0;
        for (long i = 0; i < na; i++)
            d += o->sq[i] * y[i];
        for (long i = 0; i < na; i++)
            y[i] -= d * o->sq[i];
        for (long q = 0; q < nlock; q++) {
            const double *u = lock + q * na;
            double e = 0;
            for (long i = 0; i < na; i++)
                e += u[i] * y[i];
            for (long i = 0; i < na; i++)
                y[i] -= e * u[i];
        }
    }
}

/* y = e^{-s0} S^+ v (before the projection) */
static void op_apply(gtl_op *o, const double *v, double *y)
{
    const gt_t *g = &o->g;
    for (long k = 0; k < g->nf; k++) {
        long i = o->act[g->glob[k]];
        double lw = v[i] != 0 ? o->lsq[i] + log(fabs(v[i])) : -INFINITY;
        o->bp[k] = v[i] > 0 ? hl_xf_exp(lw) : hl_xf_zero();
        o->bm[k] = v[i] < 0 ? hl_xf_exp(lw) : hl_xf_zero();
    }
    hl_gt_solve2(g, o->bp, o->xp, o->bm, o->xm);
    if (!o->have_s0) {
        double mx = -INFINITY;
        for (long k = 0; k < g->nf; k++) {
            long i = o->act[g->glob[k]];
            mx = fmax(mx, fmax(hl_xf_log(o->xp[k]), hl_xf_log(o->xm[k])) + o->lsq[i]);
        }
        o->s0 = isfinite(mx) ? mx - g->shift : 0.0;
        o->have_s0 = 1;
    }
    for (long i = 0; i < o->na; i++)
        y[i] = 0;
    for (long k = 0; k < g->nf; k++) {
        long i = o->act[g->glob[k]];
        double off = o->lsq[i] - g->shift - o->s0;
        y[i] = exp(hl_xf_log(o->xp[k]) + off) - exp(hl_xf_log(o->xm[k]) + off);
    }
    o->applies++;
}

static double dot(long n, const double *a, const double *b)
{
    double s = 0;
    for (long i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

typedef struct {
    long nconv;      /* top Ritz pairs returned                    */
    double *theta;   /* descending                                 */
    double *err;     /* absolute error bound of theta (Ritz part)  */
    double *vec;     /* nconv x na Ritz vectors                     */
    double asym;     /* largest asymmetry seen                      */
} gtl_run;

/* One Lanczos run on e^{-s0} S^+ deflated by `lock` (nlock x na): the top
 * `want` Ritz pairs, converged to rel_tol of theta or as far as mmax steps
 * take them */
static int lanczos(gtl_op *o, const double *lock, long nlock, long want, long mmax,
                   double rel_tol, uint64_t run_id, gtl_run *out)
{
    long na = o->na;
    long space = na - 1 - nlock; /* dimension of the deflated space */
    if (mmax > space)
        mmax = space;
    if (want > mmax)
        want = mmax;
    memset(out, 0, sizeof *out);
    if (want < 1)
        return HL_OK;
    double *V = malloc(sizeof(double) * (size_t)(na * (mmax + 1)));
    double *al = malloc(sizeof(double) * (size_t)mmax);
    double *be = calloc((size_t)mmax + 1, sizeof(double));
    double *d = malloc(sizeof(double) * (size_t)mmax), *e = malloc(sizeof(double) * (size_t)mmax);
    double *Z = malloc(sizeof(double) * (size_t)(mmax * mmax));
    double *y = malloc(sizeof(double) * (size_t)na);
    out->theta = malloc(sizeof(double) * (size_t)want);
    out->err = malloc(sizeof(double) * (size_t)want);
    out->vec = malloc(sizeof(double) * (size_t)(want * na));
    int st = HL_OK;
    if (!V || !al || !be || !d || !e || !Z || !y || !out->theta || !out->err || !out->vec) {
        st = hl_fail(HL_ENOMEM, "out of memory (Lanczos on %ld states)", na);
        goto done;
    }
    hl_rng_stream rs;
    hl_rng_stream_init(&rs, 0x5eedu, GTL_STREAM + run_id);
    for (long i = 0; i < na; i++)
        V[i] = hl_rng_stream_uniform(&rs) - 0.5;
    project(o, V, lock, nlock);
    double nv = sqrt(dot(na, V, V));
    for (long i = 0; i < na; i++)
        V[i] /= nv;
    long m = 0, done_conv = 0;
    while (m < mmax && !done_conv) {
        double *vj = V + m * na;
        op_apply(o, vj, y);
        project(o, y, lock, nlock);
        if (m > 0) /* symmetry of the operator: <v_{j-1}, A v_j> = beta_j */
            out->asym = fmax(out->asym, fabs(dot(na, V + (m - 1) * na, y) - be[m]));
        al[m] = dot(na, vj, y);
        for (long i = 0; i < na; i++)
            y[i] -= al[m] * vj[i] + (m > 0 ? be[m] * V[(m - 1) * na + i] : 0.0);
        for (int pass = 0; pass < 2; pass++) { /* full reorthogonalisation */
            for (long q = 0; q <= m; q++) {
                double c = dot(na, V + q * na, y);
                for (long i = 0; i < na; i++)
                    y[i] -= c * V[q * na + i];
            }
            project(o, y, lock, nlock);
        }
        be[m + 1] = sqrt(dot(na, y, y));
        m++;
        /* the Ritz values of T_m */
        for (long i = 0; i < m; i++) {
            d[i] = al[i];
            e[i] = i + 1 < m ? be[i + 1] : 0.0;
        }
        if (LAPACKE_dstev(LAPACK_COL_MAJOR, 'V', (lapack_int)m, d, e, Z, (lapack_int)m)) {
            st = hl_fail(HL_ENOCONV, "Lanczos: the tridiagonal eigensolver failed");
            goto done;
        }
        long top = want < m ? want : m;
        int ok = m >= want;
        double tmax = fabs(d[m - 1]);
        int invariant = be[m] <= 64 * DBL_EPSILON * tmax;
        for (long q = 0; q < top; q++) {
            long c = m - 1 - q; /* ascending order: the top is last */
            double r = invariant ? 0.0 : be[m] * fabs(Z[c * m + (m - 1)]);
            double gap = INFINITY;
            if (c + 1 < m)
                gap = fmin(gap, d[c + 1] - d[c]);
            if (c > 0)
                gap = fmin(gap, d[c] - d[c - 1]);
            /* r^2 / gap needs a gap to the rest of the spectrum: with no
             * other Ritz value there is none known (one Lanczos step would
             * otherwise count as converged), so then only r */
            double err = gap > 0 && isfinite(gap) ? fmin(r, r * r / gap) : r;
            out->theta[q] = d[c];
            out->err[q] = err;
            if (!(err <= rel_tol * fabs(d[c])))
                ok = 0;
        }
        out->nconv = top;
        if (ok || invariant || m == mmax) {
            for (long q = 0; q < top; q++) {
                long c = m - 1 - q;
                double *u = out->vec + q * na;
                for (long i = 0; i < na; i++) {
                    double s = 0;
                    for (long j = 0; j < m; j++)
                        s += V[j * na + i] * Z[c * m + j];
                    u[i] = s;
                }
            }
            done_conv = 1;
            break;
        }
        if (!(be[m] > 0)) /* breakdown without convergence: cannot go on */
            break;
        for (long i = 0; i < na; i++)
            V[m * na + i] = y[i] / be[m];
    }
done:
    free(V);
    free(al);
    free(be);
    free(d);
    free(e);
    free(Z);
    free(y);
    if (st) {
        free(out->theta);
        free(out->err);
        free(out->vec);
        memset(out, 0, sizeof *out);
    }
    return st;
}

static void run_free(gtl_run *r)
{
    free(r->theta);
    free(r->err);
    free(r->vec);
    memset(r, 0, sizeof *r);
}

int hl_rchain_slow_rates_gtl(const hl_rchain *c, int k, double max_rel, double *ln_rates,
                             double *rel_err, double *phi, long *applies, char *why,
                             size_t why_len)
{
    return hl_rchain_slow_rates_gtl_ritz(c, k, 0, max_rel, ln_rates, rel_err, NULL, phi, applies,
                                         why, why_len);
}

int hl_rchain_slow_rates_gtl_ritz(const hl_rchain *c, int k, int extra, double max_rel,
                                  double *ln_rates,
                                  double *rel_err, double *vec_err, double *phi, long *applies,
                                  char *why, size_t why_len)
{
    if (!c || !ln_rates || !rel_err || k < 1)
        return hl_fail(HL_EINVAL, "hl_rchain_slow_rates_gtl: bad argument");
    if (why && why_len)
        why[0] = 0;
    if (c->ln_exit)
        for (long a = 0; a < c->n; a++)
            if (c->ln_exit[a] > -INFINITY)
                return hl_fail(HL_EINVAL, "pseudo-inverse rates: the chain has exits");
    for (int q = 0; q < k; q++) {
        ln_rates[q] = NAN;
        rel_err[q] = NAN;
        if (vec_err)
            vec_err[2 * q] = vec_err[2 * q + 1] = q == 0 ? 0.0 : NAN;
    }
    ln_rates[0] = -INFINITY;
    rel_err[0] = 0;
    gtl_op o;
    memset(&o, 0, sizeof o);
    o.c = c;
    long n = c->n, gs = -1;
    double lz = -INFINITY;
    for (long a = 0; a < n; a++)
        if (c->ln_pi[a] > -INFINITY) {
            o.na++;
            lz = hl_lse(lz, c->ln_pi[a]);
            if (gs < 0 || c->ln_pi[a] > c->ln_pi[gs])
                gs = a;
        }
    long want = k - 1 < o.na - 1 ? k - 1 : o.na - 1;
    if (want < 1)
        return HL_OK;
    unsigned char *absorb = calloc((size_t)n, 1);
    o.state = malloc(sizeof(long) * (size_t)o.na);
    o.act = malloc(sizeof(long) * (size_t)n);
    o.sq = malloc(sizeof(double) * (size_t)o.na);
    o.lsq = malloc(sizeof(double) * (size_t)o.na);
    o.bp = malloc(sizeof(hl_xf) * (size_t)n);
    o.bm = malloc(sizeof(hl_xf) * (size_t)n);
    o.xp = malloc(sizeof(hl_xf) * (size_t)n);
    o.xm = malloc(sizeof(hl_xf) * (size_t)n);
    double *lock = NULL, *lth = NULL, *lerr = NULL;
    gtl_run run = {0};
    int st = HL_OK, have_g = 0;
    if (!absorb || !o.state || !o.act || !o.sq || !o.lsq || !o.bp || !o.bm || !o.xp || !o.xm) {
        st = hl_fail(HL_ENOMEM, "out of memory (pseudo-inverse rates of %ld states)", n);
        goto out;
    }
    for (long a = 0, i = 0; a < n; a++) {
        o.act[a] = -1;
        if (c->ln_pi[a] > -INFINITY) {
            o.state[i] = a;
            o.act[a] = i;
            o.lsq[i] = 0.5 * (c->ln_pi[a] - lz);
            o.sq[i] = exp(o.lsq[i]);
            i++;
        }
    }
    absorb[gs] = HL_PASS_TO_A;
    hl_pass_problem p = {c, absorb};
    double t0 = hl_now();
    if ((st = hl_gt_factor(&p, -INFINITY, &o.g, NULL)))
        goto out;
    have_g = 1;
    t0 = hl_stage_done("gt-lanczos: factor", t0, NULL);
    /* the operator's rounding, relative to |G| |w| (header) */
    const double gt_round = 4.0 * 0x1p-53 * (double)(2 * o.g.height + 8);
    /* locked (converged) pairs; each deflated run adds at most one (a copy
     * of a repeated rate), so want + GTL_EXTRA_RUNS runs can fill them all
     * (the star: one rate n - 2 times) */
    long runs = want + GTL_EXTRA_RUNS, cap = want + runs, nl = 0;
    lock = malloc(sizeof(double) * (size_t)(cap * o.na));
    lth = malloc(sizeof(double) * (size_t)cap);
    lerr = malloc(sizeof(double) * (size_t)cap);
    if (!lock || !lth || !lerr) {
        st = hl_fail(HL_ENOMEM, "out of memory (pseudo-inverse rates)");
        goto out;
    }
    const double tol = 1e-14;
    long mmax = 40 + 4 * want;
    double asym = 0;
    if ((st = lanczos(&o, NULL, 0, want, mmax, tol, 0, &run)))
        goto out;
    char note[80];
    snprintf(note, sizeof note, "(%ld operator applications)", o.applies);
    t0 = hl_stage_done("gt-lanczos: first run", t0, note);
    asym = fmax(asym, run.asym);
    for (long q = 0; q < run.nconv; q++, nl++) {
        memcpy(lock + nl * o.na, run.vec + q * o.na, sizeof(double) * (size_t)o.na);
        lth[nl] = run.theta[q];
        lerr[nl] = run.err[q];
    }
    run_free(&run);
    /* copies of repeated rates: the top of the deflated operator must not
     * rank among the wanted ones */
    /* the largest value of the operator beyond the locked ones, from above
     * (the top Ritz value of the last deflated run, which found no copy,
     * plus its error): NaN if unknown */
    double th_next = NAN;
    /* the extra rates only for a Rayleigh-Ritz step, i.e. when the others
     * are resolved at all: otherwise the runs as without them */
    long want_main = want - extra > 1 ? want - extra : 1;
    for (long r = 1; r < runs && nl > 0 && nl < o.na - 1; r++) {
        int hopeless = 0;
        for (long q = 0; extra > 0 && nl >= want_main && q < want_main; q++)
            hopeless |= !(lth[q] > 0 && (lerr[q] + 8 * DBL_EPSILON * lth[0]) / lth[q] <= max_rel);
        long wcur = hopeless ? want_main : want;
        if (hopeless && r >= want_main + GTL_EXTRA_RUNS)
            break;
        long a0 = o.applies;
        /* fewer than wanted so far (an invariant subspace: repeated
         * rates): any converged value is one more */
        double smallest = nl < wcur ? -INFINITY : lth[wcur - 1];
        /* first to CHECK_TOL (as shift-invert's check for missed rates):
         * a top value that far below the smallest wanted one is no copy
         * of it, and bounds the rest from above; only otherwise the run
         * again to tol (the same start, so the same run as before) */
        if (nl >= wcur && (st = lanczos(&o, lock, nl, 1, mmax, CHECK_TOL, (uint64_t)r, &run)))
            goto out;
        asym = fmax(asym, run.asym);
        if (nl >= wcur && run.nconv == 1 && run.err[0] <= CHECK_TOL * fabs(run.theta[0]) &&
            run.theta[0] + run.err[0] < smallest * (1 - 1e-6)) {
            th_next = fmax(run.theta[0], 0.0) + run.err[0];
            snprintf(note, sizeof note, "(%ld operator applications)", o.applies - a0);
            t0 = hl_stage_done("gt-lanczos: deflated run", t0, note);
            run_free(&run);
            break;
        }
        run_free(&run);
        if ((st = lanczos(&o, lock, nl, 1, mmax, tol, (uint64_t)r, &run)))
            goto out;
        snprintf(note, sizeof note, "(%ld operator applications)", o.applies - a0);
        t0 = hl_stage_done("gt-lanczos: deflated run", t0, note);
        asym = fmax(asym, run.asym);
        int missed = run.nconv == 1 && run.theta[0] > 0 &&
                     run.err[0] <= tol * run.theta[0] && run.theta[0] > smallest - run.err[0];
        if (missed) {
            memcpy(lock + nl * o.na, run.vec, sizeof(double) * (size_t)o.na);
            lth[nl] = run.theta[0];
            lerr[nl] = run.err[0];
            nl++;
            /* keep descending order (insertion) */
            for (long q = nl - 1; q > 0 && lth[q] > lth[q - 1]; q--) {
                double t = lth[q];
                lth[q] = lth[q - 1];
                lth[q - 1] = t;
                t = lerr[q];
                lerr[q] = lerr[q - 1];
                lerr[q - 1] = t;
                for (long i = 0; i < o.na; i++) {
                    t = lock[q * o.na + i];
                    lock[q * o.na + i] = lock[(q - 1) * o.na + i];
                    lock[(q - 1) * o.na + i] = t;
                }
            }
        }
        if (!missed && run.nconv == 1 && run.err[0] <= 1e-3 * fabs(run.theta[0]))
            th_next = fmax(run.theta[0], 0.0) + run.err[0];
        run_free(&run);
        if (!missed)
            break;
    }
    double delta = nl > 0 ? fmax(gt_round * lth[0], 2 * asym) : 0;
    /* the largest value outside the wanted ones: a locked one beyond them,
     * or the next */
    double th_out = th_next;
    if (nl > want && !(lth[want] + lerr[want] <= th_out))
        th_out = lth[want] + lerr[want];
    int unresolved = 0;
    for (long q = 0; q < want && q < nl; q++) {
        double th = lth[q];
        if (!(th > 0)) {
            unresolved++;
            continue;
        }
        double rel = (lerr[q] + delta) / th;
        /* the Rayleigh quotient's error from the modes j outside the
         * space: with rr the residual of the pair (Ritz part plus the
         * operator's rounding), a component at most rr / (th - th_j) of a
         * rate th / th_j - 1 times higher (relative), so in all at most
         * rr^2 max_j 1 / (th_j (th - th_j)): at the next value (th_out)
         * or at the fastest rate (th_j -> 1 / nu_max: the caller's) */
        if (vec_err && nl >= want && th > th_out) {
            double rr = lerr[q] + delta, gn = th - th_out;
            vec_err[2 * (q + 1)] = (rr / th) * (rr / th);
            vec_err[2 * (q + 1) + 1] = (rr / gn) * (rr / fmax(th_out, DBL_MIN));
        }
        if (rel <= max_rel) {
            ln_rates[q + 1] = -(log(th) + o.s0 + lz);
            rel_err[q + 1] = rel;
        } else {
            unresolved++;
        }
    }
    /* the right eigenvectors phi = u / sqrt(pi), also of the rates not
     * resolved (their vectors still mark the slow basins) */
    if (phi) {
        for (long q = 0; q < k; q++)
            for (long a = 0; a < n; a++)
                phi[q * n + a] = q == 0 && o.act[a] >= 0 ? 1.0 : 0.0;
        for (long q = 0; q < want && q < nl; q++)
            for (long i = 0; i < o.na; i++) {
                double v = lock[q * o.na + i];
                phi[(q + 1) * n + o.state[i]] =
                    v == 0 ? 0.0 : copysign(exp(log(fabs(v)) - o.lsq[i]), v);
            }
    }
    if (unresolved && why && why_len)
        snprintf(why, why_len, "%d of %ld rates below the pseudo-inverse's resolution (relative "
                               "to the slowest rate)", unresolved, want);
out:
    if (applies)
        *applies = o.applies;
    run_free(&run);
    if (have_g)
        hl_gt_free(&o.g);
    free(absorb);
    free(o.state);
    free(o.act);
    free(o.sq);
    free(o.lsq);
    free(o.bp);
    free(o.bm);
    free(o.xp);
    free(o.xm);
    free(lock);
    free(lth);
    free(lerr);
    return st;
}
