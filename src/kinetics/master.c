/* master.c -- symmetrised master-equation generators on the hypercube
 * (full, eq 3.7, and contracted, eqs 3.12 / 5.6) with the rates of eq 5.2,
 * and their slow relaxation spectra. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <arpack/arpack.h>
#include <lapacke.h>

#include "gridchain.h"
#include "internal.h"

struct hl_generator {
    const hl_model *model;
    int kind;
    long dim, h, states;
    double beta;
    /* per class (a, b), index a (h+1) + b: */
    double *diag; /* S_ii = -(total escape rate)                       */
    double *ca;   /* coupling (a, b) - (a+1, b): contracted B sqrt((h-a)(a+1)),
                     full B                                             */
    double *cb;   /* coupling (a, b) - (a, b+1)                         */
};

void hl_generator_free(hl_generator *g)
{
    if (!g)
        return;
    free(g->diag);
    free(g->ca);
    free(g->cb);
    free(g);
}

long hl_generator_size(const hl_generator *g) { return g->states; }
int hl_generator_kind(const hl_generator *g) { return g->kind; }


static int check_kinetic_beta(double beta)
{
    if (!isfinite(beta) || !(beta > 0))
        return hl_fail(HL_EDOM, "beta = %g is not a positive finite number", beta);
    if (beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is too large (at most 1e6)", beta);
    return HL_OK;
}

int hl_generator_create(const hl_model *m, long dim, double beta, int kind,
                        hl_generator **out)
{
    if (!m || !out)
        return hl_fail(HL_EINVAL, "hl_generator_create: NULL argument");
    *out = NULL;
    int st = hl_check_dim(dim);
    if (!st)
        st = check_kinetic_beta(beta);
    if (st)
        return st;
    if (kind != HL_CONTRACTED && kind != HL_FULL)
        return hl_fail(HL_EINVAL, "unknown generator kind %d", kind);
    long h = dim / 2, nc = (h + 1) * (h + 1);
    if (kind == HL_FULL && dim > HL_FULL_DIM_MAX)
        return hl_fail(HL_ERANGE, "the full hypercube at D = %ld has 2^%ld states "
                                  "(%.3g GB for one vector); at most D = %ld",
                       dim, dim, ldexp(8.0, (int)(dim > 1000 ? 1000 : dim)) / 1e9,
                       HL_FULL_DIM_MAX);
    if ((double)nc * 3 * sizeof(double) > 8e9)
        return hl_fail(HL_ERANGE, "the contracted generator at D = %ld needs %.3g GB",
                       dim, (double)nc * 3 * sizeof(double) / 1e9);
    st = hl_model_check_transmission(m, 1.0 / beta);
    if (st)
        return st;
    hl_generator *g = calloc(1, sizeof *g);
    if (!g)
        return hl_fail(HL_ENOMEM, "out of memory");
    g->model = m;
    g->kind = kind;
    g->dim = dim;
    g->h = h;
    g->beta = beta;
    g->states = kind == HL_FULL ? (1L << dim) : nc;
    g->diag = malloc(sizeof(double) * (size_t)nc);
    g->ca = calloc((size_t)nc, sizeof(double));
    g->cb = calloc((size_t)nc, sizeof(double));
    double *phi = malloc(sizeof(double) * (size_t)nc);
    if (!g->diag || !g->ca || !g->cb || !phi) {
        free(phi);
        hl_generator_free(g);
        return hl_fail(HL_ENOMEM, "out of memory building the generator at D = %ld", dim);
    }
    double D = (double)dim, T = 1.0 / beta;
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++)
            if ((st = hl_class_phi(m, h, a, b, &phi[a * (h + 1) + b]))) {
                free(phi);
                hl_generator_free(g);
                return st;
            }
    for (long i = 0; i < nc; i++)
        g->diag[i] = 0;
    int full = kind == HL_FULL;
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * (h + 1) + b;
            /* the edge to (a+1, b) and the edge to (a, b+1) */
            for (int dir = 0; dir < 2; dir++) {
                long a2 = a + (dir == 0), b2 = b + (dir == 1);
                if (a2 > h || b2 > h)
                    continue;
                long j = a2 * (h + 1) + b2, k = dir == 0 ? a : b;
                double bx = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
                double by = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
                double B = hl_model_transmission(m, bx, by, T);
                if ((st = hl_check_bond_b(B, a, b, a2, b2, bx, by, T))) {
                    free(phi);
                    hl_generator_free(g);
                    return st;
                }
                double half = 0.5 * beta * D * (phi[j] - phi[i]);
                /* per vertex: one spin flips up (i -> j) or down (j -> i) */
                double up = B * exp(-half), down = B * exp(half);
                double n_up = (double)(h - k), n_down = (double)(k + 1);
                g->diag[i] -= n_up * up;
                g->diag[j] -= n_down * down;
                double c = full ? B : B * sqrt(n_up * n_down);
                if (dir == 0)
                    g->ca[i] = c;
                else
                    g->cb[i] = c;
                if (!isfinite(up) || !isfinite(down) || !isfinite(B)) {
                    free(phi);
                    hl_generator_free(g);
                    return hl_fail(HL_ERANGE, "rates overflow a double at beta = %g, "
                                              "D = %ld (exp(%g))",
                                   beta, dim, fabs(half));
                }
            }
        }
    free(phi);
    *out = g;
    return HL_OK;
}

void hl_generator_class_of(const hl_generator *g, long i, long *n, long *n1)
{
    long a, b;
    if (g->kind == HL_FULL) {
        unsigned long v = (unsigned long)i, low = (1UL << g->h) - 1;
        a = __builtin_popcountl(v & low);
        b = __builtin_popcountl(v >> g->h);
    } else {
        a = i / (g->h + 1);
        b = i % (g->h + 1);
    }
    *n = a + b;
    *n1 = a;
}

void hl_generator_ln_weights(const hl_generator *g, double *buf)
{
    long h = g->h;
    for (long i = 0; i < g->states; i++) {
        long n, n1;
        hl_generator_class_of(g, i, &n, &n1);
        long a = n1, b = n - n1;
        double lw = g->kind == HL_FULL ? 0.0 : hl_lnchoose(h, a) + hl_lnchoose(h, b);
        buf[i] = lw - g->beta * (double)g->dim *
                          hl_model_phi(g->model, hl_class_x(h, a, b), hl_class_y(h, a, b));
    }
}

void hl_generator_apply(const hl_generator *g, const double *x, double *y)
{
    long h = g->h, w = h + 1;
    if (g->kind == HL_CONTRACTED) {
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++) {
                long i = a * w + b;
                double s = g->diag[i] * x[i];
                if (a < h)
                    s += g->ca[i] * x[i + w];
                if (a > 0)
                    s += g->ca[i - w] * x[i - w];
                if (b < h)
                    s += g->cb[i] * x[i + 1];
                if (b > 0)
                    s += g->cb[i - 1] * x[i - 1];
                y[i] = s;
            }
        return;
    }
    unsigned long low = (1UL << h) - 1;
    /* 2^D vertices x D flips: threads help for large D */
#pragma omp parallel for schedule(static) if (g->states > 65536)
    for (long v = 0; v < g->states; v++) {
        unsigned long u = (unsigned long)v;
        long a = __builtin_popcountl(u & low), b = __builtin_popcountl(u >> h);
        long i = a * w + b;
        double s = g->diag[i] * x[v];
        for (long k = 0; k < g->dim; k++) {
            unsigned long bit = 1UL << k;
            double c;
            if (k < h)
                c = (u & bit) ? g->ca[i - w] : g->ca[i];
            else
                c = (u & bit) ? g->cb[i - 1] : g->cb[i];
            s += c * x[u ^ bit];
        }
        y[v] = s;
    }
}

int hl_generator_dense(const hl_generator *g, double *buf)
{
    long n = g->states;
    if (n > HL_DENSE_MAX)
        return hl_fail(HL_ERANGE, "%ld states are too many for a dense matrix "
                                  "(at most %ld)", n, HL_DENSE_MAX);
    double *e = calloc((size_t)n, sizeof(double)), *col = malloc(sizeof(double) * (size_t)n);
    if (!e || !col) {
        free(e);
        free(col);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    for (long j = 0; j < n; j++) {
        e[j] = 1.0;
        hl_generator_apply(g, e, col);
        e[j] = 0.0;
        for (long i = 0; i < n; i++)
            buf[i * n + j] = -col[i];
    }
    free(e);
    free(col);
    return HL_OK;
}

/* --------------------------------------------------------------- spectrum */

static double log_sum_exp2(double a, double b)
{
    if (a == -INFINITY)
        return b;
    if (b == -INFINITY)
        return a;
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

/* Log-space inverse iteration for the slowest nonzero rate of a
 * birth-death chain (see chain_ln_rates).  M = N - 1 bonds.  Returns ln
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
        ldel[j] = log_sum_exp2(lq[j], leps);
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
                t = log_sum_exp2(t, lcoup[j - 1] + lz[j - 1]);
            lz[j] = t - 0.5 * ldel[j];
        }
        /* R^T y = z: y_j = (z_j + coup_j y_{j+1}) / sqrt(delta_j), in the
         * frame e^Y */
        ymax = 0;
        for (long j = M - 1; j >= 0; j--) {
            double t = lz[j] - Y;
            if (j + 1 < M)
                t = log_sum_exp2(t, lcoup[j] + ly[j + 1]);
            ly[j] = t - 0.5 * ldel[j];
            ymax = fmax(ymax, fmax(fabs(ly[j]), fabs(lz[j])));
        }
        /* lambda ~ |v| / |y| (2-norms, in logs); then v = y / |y| */
        double nv = -INFINITY, ny = -INFINITY;
        for (long j = 0; j < M; j++) {
            nv = log_sum_exp2(nv, 2 * lv[j]);
            ny = log_sum_exp2(ny, 2 * ly[j]);
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
static int chain_ln_rates(const double *lp, const double *lq, const double *lerr, long N,
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
        }
    }
    for (int q = 1; q < k && q <= M; q++)
        if (isnan(ln_rate[q]) && !*why)
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
static int spectrum_separable(const hl_model *m, long dim, double beta, int k,
                              double *rates, double *ln_rates, double *rel_err,
                              hl_spectrum_info *info)
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
    int st = chain_ln_rates(lp, lq, err, N, kc, la, ea, &why_a);
    /* b chain: g(d_{j+1}) - g(d_j) without cancellation */
    for (long j = 0; !st && j < h; j++) {
        double absg, dg = hl_default_g_step(2.0 * (double)j / (double)h - 1.0,
                                            2.0 / (double)h, &absg);
        half[j] = 0.5 * beta * D * dg;
        herr[j] = 8 * DBL_EPSILON * (0.5 * beta * D * absg + fabs(half[j]));
    }
    if (!st) {
        chain_fill(h, half, herr, lp, lq, err);
        st = chain_ln_rates(lp, lq, err, N, kc, lb, eb, &why_b);
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
            cand[nc].ln = log_sum_exp2(x, y);
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

/* Band storage of A = -S + shift I for the contracted generator
 * (lexicographic index a (h+1) + b, bandwidth h+1), lower, LAPACK 'L'
 * layout: ab[(i - j) + j * ldab] for j <= i <= j + kd. */
/* The k smallest eigenvalues of -S of the contracted chain beyond the dense
 * limit: the class lattice as a grid chain, solved by ARPACK shift-invert
 * with a CHOLMOD sparse Cholesky factor (gridchain.c).  vectors: row-major,
 * states x k. */
static int spectrum_sparse(const hl_model *m, long dim, double beta, int k, double *w_out,
                           double *vectors, double *resolution)
{
    hl_gridchain gc;
    int st = hl_model_check_transmission(m, 1.0 / beta);
    if (!st)
        st = hl_class_gridchain(m, dim, beta, &gc);
    if (st)
        return st;
    st = hl_gridchain_spectrum(&gc, k, w_out, vectors, resolution);
    hl_gridchain_free(&gc);
    return st;
}

/* The k smallest eigenvalues of -S = the k largest of S, by ARPACK in
 * regular mode with the matrix-free generator (full hypercube beyond the
 * dense limit). */
static int spectrum_lanczos(const hl_generator *g, int k, double *w_out, double *resolution)
{
    long n = g->states;
    double norm = 0;
    long nc = (g->h + 1) * (g->h + 1);
    for (long i = 0; i < nc; i++)
        norm = fmax(norm, 2 * fabs(g->diag[i]));
    a_int nev = k, ncv = 2 * k + 30 < n ? 2 * k + 30 : (a_int)n - 1;
    a_int lworkl = ncv * (ncv + 8), ido = 0, iparam[11] = {0}, ipntr[14] = {0}, ainfo = 0;
    double *resid = malloc(sizeof(double) * (size_t)n);
    double *v = malloc(sizeof(double) * (size_t)n * (size_t)ncv);
    double *workd = malloc(sizeof(double) * 3 * (size_t)n);
    double *workl = malloc(sizeof(double) * (size_t)lworkl);
    double *d = malloc(sizeof(double) * (size_t)nev);
    a_int *sel = calloc((size_t)ncv, sizeof(a_int));
    int st = HL_OK;
    if (!resid || !v || !workd || !workl || !d || !sel) {
        st = hl_fail(HL_ENOMEM, "out of memory: the Lanczos basis needs %.3g GB",
                     (double)n * (double)ncv * 8 / 1e9);
        goto out;
    }
    iparam[0] = 1;
    iparam[2] = 200000;
    iparam[6] = 1; /* regular mode */
    for (;;) {
        dsaupd_c(&ido, "I", (a_int)n, "LA", nev, 1e-12, resid, ncv, v, (a_int)n, iparam, ipntr,
                 workd, workl, lworkl, &ainfo);
        if (ido == -1 || ido == 1)
            hl_generator_apply(g, workd + ipntr[0] - 1, workd + ipntr[1] - 1);
        else
            break;
    }
    if (ainfo < 0 || ainfo == 1) {
        st = hl_fail(HL_ENOCONV, "ARPACK dsaupd did not converge (info %d)", (int)ainfo);
        goto out;
    }
    dseupd_c(0, "A", sel, d, v, (a_int)n, 0.0, "I", (a_int)n, "LA", nev, 1e-12, resid, ncv, v,
             (a_int)n, iparam, ipntr, workd, workl, lworkl, &ainfo);
    if (ainfo != 0) {
        st = hl_fail(HL_ENOCONV, "ARPACK dseupd failed (info %d)", (int)ainfo);
        goto out;
    }
    for (a_int i = 0; i < nev; i++)
        w_out[i] = -d[i];
    for (a_int i = 1; i < nev; i++)
        for (a_int j = i; j > 0 && w_out[j - 1] > w_out[j]; j--) {
            double t = w_out[j];
            w_out[j] = w_out[j - 1];
            w_out[j - 1] = t;
        }
    *resolution = 1e3 * DBL_EPSILON * norm;
out:
    free(resid);
    free(v);
    free(workd);
    free(workl);
    free(d);
    free(sel);
    return st;
}

/* rates from eigenvalues of -S with an absolute error bound resolution:
 * 0 first (the stationary state), NaN where the bound is more than
 * HL_SPECTRUM_MAX_REL_ERROR of the rate (no digit resolved) */
static void fill_rates(const double *w, int k, double resolution, double *rates,
                       double *ln_rates, double *rel_err, hl_spectrum_info *info)
{
    for (int q = 0; q < k; q++) {
        double re = NAN;
        if (q == 0) {
            rates[0] = 0;
            ln_rates[0] = -INFINITY;
            re = 0;
        } else if (w[q] > resolution / HL_SPECTRUM_MAX_REL_ERROR) {
            rates[q] = w[q];
            ln_rates[q] = log(w[q]);
            re = resolution / w[q];
            info->rel_error = fmax(info->rel_error, re);
        } else {
            rates[q] = NAN;
            ln_rates[q] = NAN;
            info->null_reason = "below the eigensolver's absolute resolution (its error "
                                "bound is more than a tenth of the rate)";
        }
        if (rel_err)
            rel_err[q] = re;
    }
}

static int spectrum_solve(const hl_model *m, long dim, double beta, int kind, int k,
                          double *rates, double *ln_rates, double *rel_err, double *vectors,
                          hl_spectrum_info *info);

int hl_spectrum(const hl_model *m, long dim, double beta, int kind, int k,
                double *rates, double *ln_rates, double *vectors,
                hl_spectrum_info *info)
{
    return hl_spectrum_ex(m, dim, beta, kind, k, rates, ln_rates, NULL, vectors, info);
}

int hl_spectrum_ex(const hl_model *m, long dim, double beta, int kind, int k,
                   double *rates, double *ln_rates, double *rel_err, double *vectors,
                   hl_spectrum_info *info)
{
    int st = spectrum_solve(m, dim, beta, kind, k, rates, ln_rates, rel_err, vectors, info);
    if (st || k < 2 || kind != HL_CONTRACTED || info->method == HL_SPECTRUM_SEPARABLE)
        return st;
    /* the tunnelling rate exactly, where the eigensolver cannot resolve it:
     * graph transformation up to HL_PASSAGE_GENERAL_DIM_MAX, beyond that
     * (when the eigensolver did not resolve it) the capacity formula */
    double l;
    if (dim <= HL_PASSAGE_GENERAL_DIM_MAX && hl_tunnelling_ln_rate(m, dim, beta, &l) == HL_OK) {
        ln_rates[1] = l;
        rates[1] = exp(l);
        info->tunnelling_exact = 1;
        if (rel_err) /* log-space graph transformation: rounding of every
                        class's logs, accumulated over the elimination */
            rel_err[1] = 8 * DBL_EPSILON * (double)info->states * (fabs(l) + 1);
    } else if (isnan(rates[1]) && hl_class_tunnelling_capacity(m, dim, beta, &l) == HL_OK) {
        ln_rates[1] = l;
        rates[1] = exp(l);
        info->tunnelling_exact = 2;
        if (rel_err)
            rel_err[1] = NAN; /* an asymptotic estimate, no bound */
    }
    return HL_OK;
}

static int spectrum_solve(const hl_model *m, long dim, double beta, int kind, int k,
                          double *rates, double *ln_rates, double *rel_err, double *vectors,
                          hl_spectrum_info *info)
{
    if (!m || !rates || !ln_rates || !info)
        return hl_fail(HL_EINVAL, "hl_spectrum: NULL argument");
    int st = hl_check_dim(dim);
    if (!st)
        st = check_kinetic_beta(beta);
    if (st)
        return st;
    long h = dim / 2;
    double states = kind == HL_FULL ? ldexp(1.0, (int)(dim < 1000 ? dim : 1000))
                                    : (double)(h + 1) * (double)(h + 1);
    if (k < 1 || (double)k > states)
        return hl_fail(HL_EDOM, "count %d is not between 1 and the number of states "
                                "(%.0f)", k, states);
    memset(info, 0, sizeof *info);
    info->states = states < 9e18 ? (long)states : -1;
    if (kind == HL_CONTRACTED && hl_model_is_default(m) &&
        hl_model_transmission_is_default(m) && !vectors) {
        info->method = HL_SPECTRUM_SEPARABLE;
        return spectrum_separable(m, dim, beta, k, rates, ln_rates, rel_err, info);
    }
    if (states > HL_DENSE_MAX) {
        /* iterative: ARPACK shift-invert (contracted) or Lanczos (full) */
        int sparse = kind == HL_CONTRACTED;
        if (!sparse && vectors)
            return hl_fail(HL_ERANGE, "eigenvectors of the full hypercube are available up "
                                      "to %ld states (D <= 12)", HL_DENSE_MAX);
        if (sparse && states > HL_SPARSE_MAX)
            return hl_fail(HL_ERANGE, "D = %ld: %.3g classes exceed the sparse eigensolver's "
                                      "limit of %.3g", dim, states, (double)HL_SPARSE_MAX);
        hl_generator *g = NULL;
        if (!sparse && (st = hl_generator_create(m, dim, beta, kind, &g)))
            return st;
        double *w_out = malloc(sizeof(double) * (size_t)k);
        if (!w_out)
            st = hl_fail(HL_ENOMEM, "out of memory");
        else if (sparse)
            st = spectrum_sparse(m, dim, beta, k, w_out, vectors, &info->resolution);
        else
            st = spectrum_lanczos(g, k, w_out, &info->resolution);
        hl_generator_free(g);
        if (!st) {
            info->method = sparse ? HL_SPECTRUM_ARNOLDI : HL_SPECTRUM_LANCZOS;
            fill_rates(w_out, k, info->resolution, rates, ln_rates, rel_err, info);
        }
        free(w_out);
        return st;
    }
    hl_generator *g;
    st = hl_generator_create(m, dim, beta, kind, &g);
    if (st)
        return st;
    long n = g->states;
    double *a = malloc(sizeof(double) * (size_t)(n * n));
    double *w = malloc(sizeof(double) * (size_t)n);
    lapack_int *isuppz = malloc(sizeof(lapack_int) * 2 * (size_t)n);
    if (!a || !w || !isuppz) {
        free(a);
        free(w);
        free(isuppz);
        hl_generator_free(g);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    hl_generator_dense(g, a);
    /* |-S|_2 <= max absolute row sum (symmetric) */
    double norm = 0;
    for (long i = 0; i < n; i++) {
        double r = 0;
        for (long j = 0; j < n; j++)
            r += fabs(a[i * n + j]);
        norm = fmax(norm, r);
    }
    lapack_int found = 0;
    double *z = vectors;
    lapack_int info_l = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, vectors ? 'V' : 'N', 'I', 'U',
                                       (lapack_int)n, a, (lapack_int)n, 0, 0, 1,
                                       (lapack_int)k, 0.0, &found, w, z, (lapack_int)k,
                                       isuppz);
    free(a);
    free(isuppz);
    hl_generator_free(g);
    if (info_l != 0 || found != k) {
        free(w);
        return hl_fail(HL_ENOCONV, "LAPACK dsyevr failed (info %d)", (int)info_l);
    }
    info->method = HL_SPECTRUM_DENSE;
    /* Householder tridiagonalisation is backward stable with an error
     * below c n eps |A| (c small; the MRRR stage adds a few eps |A|):
     * 2 n eps |A| bounds the absolute error of every eigenvalue */
    info->resolution = 2.0 * (double)(n > 32 ? n : 32) * DBL_EPSILON * norm;
    fill_rates(w, k, info->resolution, rates, ln_rates, rel_err, info);
    free(w);
    return HL_OK;
}
