/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spectrum_separable.c -- the spectrum of the separable model (the paper's
 * phi with B = 1): the contracted generator is the sum of two birth-death
 * chains, whose rates are squared singular values of bidiagonal matrices
 * (dqds or bisection, high relative accuracy), the slowest one by inverse
 * iteration in log space when it is below the range of doubles. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "kinetics_private.h"
#include "spectrum_methods.h"

/* Log-space inverse iteration for the slowest nonzero rate of a
 * birth-death chain (see hl_birth_death_ln_rates).  M = N - 1 bonds.  Returns ln
 * lambda_1; *ln_err: a bound on its absolute error in ln (the rounding of
 * every log-space operation, accumulated along the chain, plus the
 * iteration's convergence error from the gap ln_gap = ln lambda_2 (or +inf
 * when unknown)). */
static int chain_slowest_ln(const double *lp, const double *lq, long M, double ln_gap,
                            double *ln_rate, double *ln_err)
{
    double *buf = malloc(sizeof(double) * (size_t)M * 5);
    if (!buf)
        return hl_fail(HL_ENOMEM, "out of memory");
    double *ldel = buf, *lcoup = ldel + M, *lv = lcoup + M, *ly = lv + M, *lz = ly + M;
    /* Cholesky K = R R^T in logs: ln delta_j and ln of the coupling
     * |R_{j+1,j}| = sqrt(q_j p_{j+1} / delta_j); eps_0 = p_0,
     * eps_j = p_j eps_{j-1} / delta_{j-1}, delta_j = q_j + eps_j */
    double leps = lp[0], amax = 0;
    for (long j = 0; j < M; j++) {
        if (j > 0)
            leps = lp[j] + leps - ldel[j - 1];
        ldel[j] = hl_lse(lq[j], leps);
        if (j + 1 < M)
            lcoup[j] = 0.5 * (lq[j] + lp[j + 1] - ldel[j]);
        amax = fmax(amax, fmax(fabs(lp[j]) + fabs(lq[j]), fabs(leps) + fabs(ldel[j])));
    }
    for (long j = 0; j < M; j++)
        lv[j] = 0;
    /* y = K^{-1} v is huge when lambda_1 is tiny: y is carried as e^Y e^ly
     * with Y = -ln lambda of the previous round, so that the logs stay small
     * and round by eps of small numbers; only the last round's rounding
     * enters lambda at first order (errors in v enter at second order) */
    double lam = NAN, prev = NAN, ymax = 0, Y = 0;
    int it;
    for (it = 0; it < 2000; it++) {
        /* R z = v: z_j = (v_j + coup_{j-1} z_{j-1}) / sqrt(delta_j) */
        for (long j = 0; j < M; j++) {
            double t = lv[j];
            if (j > 0)
                t = hl_lse(t, lcoup[j - 1] + lz[j - 1]);
            lz[j] = t - 0.5 * ldel[j];
        }
        /* R^T y = z: y_j = (z_j + coup_j y_{j+1}) / sqrt(delta_j), in the
         * frame e^Y */
        ymax = 0;
        for (long j = M - 1; j >= 0; j--) {
            double t = lz[j] - Y;
            if (j + 1 < M)
                t = hl_lse(t, lcoup[j] + ly[j + 1]);
            ly[j] = t - 0.5 * ldel[j];
            ymax = fmax(ymax, fmax(fabs(ly[j]), fabs(lz[j])));
        }
        /* lambda ~ |v| / |y| (2-norms, in logs); then v = y / |y| */
        double nv = -INFINITY, ny = -INFINITY;
        for (long j = 0; j < M; j++) {
            nv = hl_lse(nv, 2 * lv[j]);
            ny = hl_lse(ny, 2 * ly[j]);
        }
        lam = 0.5 * (nv - ny) - Y;
        for (long j = 0; j < M; j++)
            lv[j] = ly[j] - 0.5 * ny;
        Y = -lam;
        if (it > 2 && fabs(lam - prev) < 1e-15 * (1 + fabs(lam)))
            break;
        prev = lam;
    }
    free(buf);
    /* every log-space step rounds by a few eps of the magnitudes involved,
     * and the errors add along the chain (forward, then back); the final
     * subtraction of Y rounds by eps |lambda| */
    double err = 8.0 * DBL_EPSILON * (double)(M + 2) * (amax + ymax + 1) +
                 2 * DBL_EPSILON * fabs(lam);
    /* |v| / |y| converges like (lambda_1 / lambda_2)^(2 it) */
    if (!isnan(ln_gap)) {
        double lr = lam - ln_gap; /* ln (lambda_1 / lambda_2) < 0 */
        if (!(lr < 0))
            err = INFINITY;
        else if (2.0 * lr * it > -745)
            err += 2 * exp(2.0 * lr * it);
    } else if (it > 8) {
        err = INFINITY; /* gap unknown and slow convergence: no bound */
    } else {
        /* converged to 1e-15 in <= 8 rounds: the ratio is below 0.02 per
         * round, and what is left is below the last change */
        err += 1e-15 * (1 + fabs(lam));
    }
    *ln_rate = lam;
    *ln_err = err;
    return HL_OK;
}

/* The k slowest relaxation rates of a birth-death chain on 0..N-1 with ln
 * rates lp[j] (j -> j+1) and lq[j] (j+1 -> j), j < N-1, as ln_rate[0..k-1]
 * ascending (ln_rate[0] = -inf, the stationary state), with rel_err[q] a
 * bound on the relative error of rate q (0 for the exact 0; NaN rate and
 * rel_err where the rate is not resolved).  lerr[j]: a bound on the
 * absolute error of lp[j] and lq[j] (the rates' own inputs).
 *
 * The symmetrised -S is G^T G with G the (N-1) x N bidiagonal bond matrix
 * (row j: sqrt(p_j) at j, sqrt(q_j) at j+1; signs do not change singular
 * values), so the nonzero rates are the squared singular values of G, or
 * of the N x N upper bidiagonal matrix with G's rows and a zero last row.
 * LAPACK's dqds (dbdsqr without vectors calls dlasq1) computes them to high
 * relative accuracy however small they are relative to |K| (Demmel-Kahan,
 * Fernando-Parlett), where the tridiagonal eigensolver dstevr only reached
 * eps |K|, and |K| grows like exp(2 beta max|g'|).  Relative error bound
 * of a rate: 2 [(2N - 1) eta + 8 N eps], eta the largest relative error of
 * an entry of G (Demmel-Kahan: relative perturbations eta of the entries
 * of a bidiagonal matrix move each singular value by at most (2N-1) eta
 * relative), 8 N eps for dqds itself (LAPACK's "p(n) eps" for bidiagonal
 * singular values).
 *
 * dqds works in doubles: the entries are scaled by the largest rate
 * e^c, and a rate below e^(c - SEP_RANGE) would come near underflow.  The
 * slowest rate, when that small (the tunnelling rate of a large D), comes
 * from inverse iteration with K = G G^T's Cholesky factor computed without
 * subtractions and positive vectors, all in log space: no cancellation and
 * no underflow.  Rates beyond both are NaN (*why says why). */
#define SEP_RANGE 1200.0

/* Chains of more bonds than this use bisection (dqds costs O(N^2)). */
static long sep_dqds_max = 2000;

long hl_separable_dqds_limit(long limit)
{
    long old = sep_dqds_max;
    if (limit >= 0)
        sep_dqds_max = limit;
    return old;
}

/* #{singular values of the (N-1) x N bidiagonal G below sg}: the
 * Golub-Kahan matrix (zero diagonal, off-diagonal d_0, e_0, d_1, e_1, ...,
 * size 2N - 1) has the eigenvalues +-sigma_i and 0, so that number is its
 * count of eigenvalues below sg minus N.  a2: the squared off-diagonal
 * (2N - 2 entries).  The plain Sturm recurrence on this matrix counts
 * exactly for a bidiagonal whose entries are perturbed by a few ulps
 * relative (Demmel-Kahan 1990, section 5), so bisection with it keeps high
 * relative accuracy. */
static long gk_count(const double *a2, long N, double sg)
{
    long neg = 0;
    double t = -sg;
    const double tiny = DBL_MIN / DBL_EPSILON;
    for (long i = 0;; i++) {
        if (t < 0)
            neg++;
        if (i == 2 * N - 2)
            break;
        if (fabs(t) < tiny)
            t = -tiny;
        t = -sg - a2[i] / t;
    }
    return neg - N;
}

/* The q-th smallest singular value (q >= 1) of G by bisection, or 0 when
 * below lo_lim (not resolved in doubles). */
static double gk_bisect(const double *a2, long N, long q, double lo_lim, double hi)
{
    if (gk_count(a2, N, lo_lim) >= q)
        return 0;
    double lo = lo_lim;
    while (hi > 2 * lo) { /* in ln sigma first */
        double mid = sqrt(lo) * sqrt(hi);
        if (gk_count(a2, N, mid) >= q)
            hi = mid;
        else
            lo = mid;
    }
    while (hi - lo > 2 * DBL_EPSILON * hi) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (gk_count(a2, N, mid) >= q)
            hi = mid;
        else
            lo = mid;
    }
    return 0.5 * (lo + hi);
}
int hl_birth_death_ln_rates(const double *lp, const double *lq, const double *lerr, long N,
                            int k, double *ln_rate, double *rel_err, const char **why)
{
    ln_rate[0] = -INFINITY;
    rel_err[0] = 0;
    for (int q = 1; q < k; q++)
        ln_rate[q] = rel_err[q] = NAN;
    if (N == 1 || k == 1)
        return HL_OK;
    long M = N - 1; /* bonds */
    double c = -INFINITY, eta = 0;
    for (long j = 0; j < M; j++)
        c = fmax(c, fmax(lp[j], lq[j]));
    int in_range = 1;
    double *d = malloc(sizeof(double) * (size_t)N * 2);
    if (!d)
        return hl_fail(HL_ENOMEM, "out of memory");
    double *e = d + N;
    for (long j = 0; j < M; j++) {
        double xp = 0.5 * (lp[j] - c), xq = 0.5 * (lq[j] - c);
        if (xp < -0.5 * SEP_RANGE || xq < -0.5 * SEP_RANGE)
            in_range = 0;
        d[j] = exp(xp);
        e[j] = exp(xq);
        /* entry = exp(0.5 (ln rate - c)): half the input error, the
         * rounding of the subtraction, and of exp */
        double t = 0.5 * lerr[j] + DBL_EPSILON * (fabs(xp) + fabs(xq) + 2);
        eta = fmax(eta, expm1(t));
    }
    d[M] = 0;
    e[M] = 0;
    double bound = 2.0 * ((2.0 * (double)N - 1) * eta + 8.0 * (double)N * DBL_EPSILON);
    if (in_range && M > sep_dqds_max) {
        /* bisection on the Golub-Kahan form, O(N) per count */
        double *a2 = malloc(sizeof(double) * (size_t)(2 * M));
        if (!a2) {
            free(d);
            return hl_fail(HL_ENOMEM, "out of memory");
        }
        int range2 = 1;
        for (long j = 0; j < M; j++) {
            a2[2 * j] = exp(lp[j] - c);
            a2[2 * j + 1] = exp(lq[j] - c);
            range2 = range2 && lp[j] - c > -700 && lq[j] - c > -700;
        }
        if (!range2) {
            *why = "the rates of a chain span more than exp(700): beyond the range of "
                   "the bisection in doubles";
        }
        /* entries <= 1: |G| <= 2.  Squares of entries and sigma^2 must stay
         * above e^-700 (normal doubles, no overflow of the recurrence) */
        double lo = exp(-350.0);
        for (int q = 1; range2 && q < k && q <= M; q++) {
            double sg = gk_bisect(a2, N, q, lo, 2.0);
            if (sg > 0) {
                ln_rate[q] = 2.0 * log(sg) + c;
                /* the bisection's last interval: 2 eps relative in sigma */
                rel_err[q] = bound + 8 * DBL_EPSILON;
            }
        }
        free(a2);
    } else if (in_range) {
        lapack_int info = LAPACKE_dbdsqr(LAPACK_COL_MAJOR, 'U', (lapack_int)N, 0, 0, 0, d, e,
                                         NULL, 1, NULL, 1, NULL, 1);
        if (info != 0) {
            free(d);
            return hl_fail(HL_ENOCONV, "LAPACK dbdsqr (dqds) failed (info %d)", (int)info);
        }
        /* d: singular values, descending; the last is the zero row's */
        for (int q = 1; q < k && q <= M; q++) {
            double sg = d[M - q];
            double l = 2.0 * log(sg) + c;
            if (!(sg > 0) || !(l - c > -SEP_RANGE))
                continue; /* near underflow in dqds: not resolved */
            ln_rate[q] = l;
            rel_err[q] = bound;
        }
    } else {
        *why = "the rates of a chain span more than exp(1200): beyond the range of the "
               "dqds singular values in doubles";
    }
    free(d);
    int slow_unbounded = 0;
    if (isnan(ln_rate[1])) {
        /* the slowest rate in log space, far below the others: the
         * iteration converges like (lambda_1 / lambda_2)^(2 it) */
        double l = NAN, lerr1 = INFINITY;
        double gap = k > 2 && !isnan(ln_rate[2]) ? ln_rate[2] : NAN;
        int st = chain_slowest_ln(lp, lq, M, gap, &l, &lerr1);
        if (st)
            return st;
        /* with the input errors: the same bidiagonal perturbation bound */
        double rb = expm1(lerr1) + bound;
        if (isfinite(rb) && rb < 1e-3) {
            ln_rate[1] = l;
            rel_err[1] = rb;
        } else {
            slow_unbounded = 1;
        }
    }
    int faster_missing = 0;
    for (int q = 2; q < k && q <= M; q++)
        faster_missing |= isnan(ln_rate[q]) != 0;
    if (!*why && slow_unbounded)
        *why = faster_missing
                   ? "the slowest rate: below the range of the dqds singular values, and its "
                     "log-space inverse iteration could not bound it within 1e-3 relative (the "
                     "bound grows with D); the faster ones: below that range and not the slowest"
                   : "the slowest rate: below the range of the dqds singular values, and its "
                     "log-space inverse iteration could not bound it within 1e-3 relative (the "
                     "bound grows with D)";
    else if (!*why && faster_missing)
        *why = "below the range of the dqds singular values in doubles (scaled by the "
               "fastest rate) and not the slowest rate";
    return HL_OK;
}

typedef struct {
    double ln, err;
} pair_rate;

static int cmp_pair(const void *a, const void *b)
{
    const pair_rate *p = a, *q = b;
    return (p->ln > q->ln) - (p->ln < q->ln);
}

/* ln rates of one chain of the separable model: k -> k+1 at (h - k)
 * e^(-half_k), k+1 -> k at (k + 1) e^(half_k); err: bound on the absolute
 * error of each ln rate (half_err plus the rounding of ln and the sum) */
static void chain_fill(long h, const double *half, const double *half_err, double *lp,
                       double *lq, double *err)
{
    for (long j = 0; j < h; j++) {
        double l1 = log((double)(h - j)), l2 = log((double)(j + 1));
        lp[j] = l1 - half[j];
        lq[j] = l2 + half[j];
        err[j] = half_err[j] + 2 * DBL_EPSILON * (fabs(l1) + fabs(l2) + 2 * fabs(half[j]) + 2);
    }
}

/* Separable path: phi = s + g(d), B = 1: the contracted generator is the
 * sum of the a chain (field s) and the b chain (g), so its rates are the
 * sums lambda_a + lambda_b of the two chains' rates (0 included). */
int hl_spectrum_separable(const hl_model *m, long dim, double beta, int k, double *rates,
                          double *ln_rates, double *rel_err, hl_spectrum_info *info)
{
    (void)m; /* the default phi: g from hl_default_g_step */
    long h = dim / 2, N = h + 1;
    double D = (double)dim;
    int kc = k < N ? k : (int)N;
    double *buf = calloc((size_t)N * 5 + (size_t)kc * 4, sizeof(double));
    pair_rate *cand = malloc(sizeof(pair_rate) * (size_t)kc * (size_t)kc);
    if (!buf || !cand) {
        free(buf);
        free(cand);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    double *lp = buf, *lq = lp + N, *err = lq + N, *half = err + N, *herr = half + N;
    double *la = herr + N, *ea = la + kc, *lb = ea + kc, *eb = lb + kc;
    const char *why_a = NULL, *why_b = NULL;
    /* a chain: phi changes by exactly Delta s = 2/h per step: half = 2 beta */
    for (long j = 0; j < h; j++) {
        half[j] = beta * (D / (double)h);
        herr[j] = DBL_EPSILON * half[j];
    }
    chain_fill(h, half, herr, lp, lq, err);
    int st = hl_birth_death_ln_rates(lp, lq, err, N, kc, la, ea, &why_a);
    /* b chain: g(d_{j+1}) - g(d_j) without cancellation */
    for (long j = 0; !st && j < h; j++) {
        double absg, dg = hl_default_g_step(2.0 * (double)j / (double)h - 1.0,
                                            2.0 / (double)h, &absg);
        half[j] = 0.5 * beta * D * dg;
        herr[j] = 8 * DBL_EPSILON * (0.5 * beta * D * absg + fabs(half[j]));
    }
    if (!st) {
        chain_fill(h, half, herr, lp, lq, err);
        st = hl_birth_death_ln_rates(lp, lq, err, N, kc, lb, eb, &why_b);
    }
    if (st) {
        free(buf);
        free(cand);
        return st;
    }
    /* the k smallest sums la[i] + lb[j]: every pair of the kc slowest of
     * each chain; an unresolved chain rate makes its sums unresolved, and
     * since the chain rates ascend, a sum with a NaN part is placed by a
     * lower bound: the part's predecessor (its rate is at least that) */
    long nc = 0;
    for (long i = 0; i < kc; i++)
        for (long j = 0; j < kc; j++) {
            int bad = isnan(la[i]) || isnan(lb[j]);
            double x = la[i], y = lb[j];
            for (long ii = i; isnan(x) && ii > 0; ii--)
                x = la[ii - 1];
            for (long jj = j; isnan(y) && jj > 0; jj--)
                y = lb[jj - 1];
            cand[nc].ln = hl_lse(x, y);
            cand[nc].err = bad ? NAN : fmax(ea[i], eb[j]) + DBL_EPSILON;
            nc++;
        }
    qsort(cand, (size_t)nc, sizeof(pair_rate), cmp_pair);
    info->null_reason = why_b ? why_b : why_a;
    double emax = 0;
    for (int q = 0; q < k; q++) {
        if (q == 0) {
            ln_rates[0] = -INFINITY;
            rates[0] = 0;
            if (rel_err)
                rel_err[0] = 0;
            continue;
        }
        int ok = q < nc && !isnan(cand[q].err);
        /* a NaN before q makes the order beyond it unknown */
        for (int r = 1; ok && r < q; r++)
            ok = !isnan(cand[r].err);
        ln_rates[q] = ok ? cand[q].ln : NAN;
        rates[q] = ok ? exp(cand[q].ln) : NAN;
        if (rel_err)
            rel_err[q] = ok ? cand[q].err : NAN;
        if (ok)
            emax = fmax(emax, cand[q].err);
    }
    info->rel_error = emax;
    info->resolution = 0;
    free(buf);
    free(cand);
    return HL_OK;
}
