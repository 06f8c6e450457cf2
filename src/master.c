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

/* The k slowest relaxation rates of a birth-death chain on 0..N-1 with ln
 * rates lp[j] (j -> j+1) and lq[j] (j+1 -> j), j < N-1, as ln_rate[0..k-1]
 * ascending (ln_rate[0] = -inf, the stationary state).
 *
 * -S = G^T G with G the (N-1) x N bond matrix (row j: -sqrt(p_j) at j,
 * sqrt(q_j) at j+1), so the nonzero rates are the eigenvalues of the
 * tridiagonal K = G G^T (diagonal p_j + q_j, off-diagonal
 * -sqrt(q_j p_{j+1})), an M-matrix.  LAPACK dstevr gives them to an
 * absolute accuracy eps |K|.  The slowest one, which may be exponentially
 * small, comes from inverse iteration with K's Cholesky factor computed
 * without subtractions (eps_j = delta_j - q_j obeys eps_0 = p_0,
 * eps_j = p_j eps_{j-1} / delta_{j-1}) and positive vectors, all in log
 * space: no cancellation and no underflow, so it carries a small relative
 * error however small it is. */
static int chain_ln_rates(const double *lp, const double *lq, long N, int k,
                          double *ln_rate)
{
    ln_rate[0] = -INFINITY;
    if (N == 1 || k == 1)
        return HL_OK;
    long M = N - 1; /* bonds */
    double *buf = malloc(sizeof(double) * (size_t)M * 8);
    if (!buf)
        return hl_fail(HL_ENOMEM, "out of memory");
    double *kd = buf, *ko = kd + M, *w = ko + M, *ldel = w + M, *lcoup = ldel + M,
           *lv = lcoup + M, *ly = lv + M, *lz = ly + M;
    /* K scaled by exp(-c) for dstevr */
    double c = -INFINITY;
    for (long j = 0; j < M; j++)
        c = fmax(c, fmax(lp[j], lq[j]));
    for (long j = 0; j < M; j++) {
        kd[j] = exp(lp[j] - c) + exp(lq[j] - c);
        if (j + 1 < M)
            ko[j] = -exp(0.5 * (lq[j] + lp[j + 1]) - c);
    }
    int want = k - 1 < M ? k - 1 : (int)M;
    lapack_int found = 0;
    lapack_int *isuppz = malloc(sizeof(lapack_int) * 2 * (size_t)M);
    if (!isuppz) {
        free(buf);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    lapack_int info = LAPACKE_dstevr(LAPACK_COL_MAJOR, 'N', 'I', (lapack_int)M, kd, ko, 0, 0,
                                     1, want, 0.0, &found, w, NULL, 1, isuppz);
    free(isuppz);
    if (info != 0 || found != want) {
        free(buf);
        return hl_fail(HL_ENOCONV, "LAPACK dstevr failed (info %d)", (int)info);
    }
    double knorm = 0;
    for (long j = 0; j < M; j++) /* |K| <= max row sum (scaled) */
        knorm = fmax(knorm, 2 * (exp(lp[j] - c) + exp(lq[j] - c)));
    double resolution = 64 * DBL_EPSILON * knorm * (double)M;
    for (int q = 1; q < k && q - 1 < want; q++)
        ln_rate[q] = w[q - 1] > resolution ? log(w[q - 1]) + c : NAN;
    /* Cholesky K = R R^T in logs: ln delta_j and ln of the coupling
     * |R_{j+1,j}| = sqrt(q_j p_{j+1} / delta_j) */
    double leps = lp[0];
    for (long j = 0; j < M; j++) {
        if (j > 0) {
            double lprev = ldel[j - 1];
            leps = lp[j] + leps - lprev;
        }
        ldel[j] = log_sum_exp2(lq[j], leps);
        if (j + 1 < M)
            lcoup[j] = 0.5 * (lq[j] + lp[j + 1] - ldel[j]);
    }
    /* inverse iteration y = K^{-1} v with v > 0, in logs */
    for (long j = 0; j < M; j++)
        lv[j] = 0;
    double lam = NAN, prev = NAN;
    for (int it = 0; it < 2000; it++) {
        /* R z = v: z_j = (v_j + coup_{j-1} z_{j-1}) / sqrt(delta_j) */
        for (long j = 0; j < M; j++) {
            double t = lv[j];
            if (j > 0)
                t = log_sum_exp2(t, lcoup[j - 1] + lz[j - 1]);
            lz[j] = t - 0.5 * ldel[j];
        }
        /* R^T y = z: y_j = (z_j + coup_j y_{j+1}) / sqrt(delta_j) */
        for (long j = M - 1; j >= 0; j--) {
            double t = lz[j];
            if (j + 1 < M)
                t = log_sum_exp2(t, lcoup[j] + ly[j + 1]);
            ly[j] = t - 0.5 * ldel[j];
        }
        /* lambda ~ |v| / |y| (2-norms, in logs); then v = y / |y| */
        double nv = -INFINITY, ny = -INFINITY;
        for (long j = 0; j < M; j++) {
            nv = log_sum_exp2(nv, 2 * lv[j]);
            ny = log_sum_exp2(ny, 2 * ly[j]);
        }
        lam = 0.5 * (nv - ny);
        for (long j = 0; j < M; j++)
            lv[j] = ly[j] - 0.5 * ny;
        if (it > 2 && fabs(lam - prev) < 1e-15 * (1 + fabs(lam)))
            break;
        prev = lam;
    }
    ln_rate[1] = lam;
    free(buf);
    return HL_OK;
}

typedef struct {
    double ln;
    long i, j;
} pair_rate;

static int cmp_pair(const void *a, const void *b)
{
    const pair_rate *p = a, *q = b;
    return (p->ln > q->ln) - (p->ln < q->ln);
}

/* Separable path: phi = s + g(d), B = 1. */
static int spectrum_separable(const hl_model *m, long dim, double beta, int k,
                              double *rates, double *ln_rates)
{
    long h = dim / 2, N = h + 1;
    double D = (double)dim;
    double *lp = malloc(sizeof(double) * (size_t)N * 6);
    if (!lp)
        return hl_fail(HL_ENOMEM, "out of memory");
    double *lq = lp + N, *la = lq + N, *lb = la + N, *g = lb + N, *s = g + N;
    for (long b = 0; b <= h; b++) {
        double d = 2.0 * b / h - 1.0;
        g[b] = hl_model_phi(m, 0.5 * d, -0.5 * d); /* phi at s = 0 */
        s[b] = 2.0 * b / h - 1.0;
    }
    int st;
    /* a chain: phi changes by Delta s = 2/h per step */
    for (long a = 0; a < h; a++) {
        double half = 0.5 * beta * D * (s[a + 1] - s[a]);
        lp[a] = log((double)(h - a)) - half;
        lq[a] = log((double)(a + 1)) + half;
    }
    int kc = k < N ? k : (int)N;
    st = chain_ln_rates(lp, lq, N, kc, la);
    for (long b = 0; !st && b < h; b++) {
        double half = 0.5 * beta * D * (g[b + 1] - g[b]);
        lp[b] = log((double)(h - b)) - half;
        lq[b] = log((double)(b + 1)) + half;
    }
    if (!st)
        st = chain_ln_rates(lp, lq, N, kc, lb);
    if (st) {
        free(lp);
        return st;
    }
    /* the k smallest sums la[i] + lb[j] */
    long kk = kc;
    pair_rate *cand = malloc(sizeof(pair_rate) * (size_t)(kk * kk));
    if (!cand) {
        free(lp);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    long nc = 0;
    for (long i = 0; i < kk; i++)
        for (long j = 0; j < kk; j++) {
            cand[nc].ln = log_sum_exp2(la[i], lb[j]);
            cand[nc].i = i;
            cand[nc].j = j;
            nc++;
        }
    qsort(cand, (size_t)nc, sizeof(pair_rate), cmp_pair);
    for (int q = 0; q < k; q++) {
        ln_rates[q] = cand[q].ln;
        rates[q] = exp(cand[q].ln);
    }
    free(cand);
    free(lp);
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

/* rates from eigenvalues of -S: 0 first (the stationary state), NaN below
 * the resolution */
static void fill_rates(const double *w, int k, double resolution, double *rates,
                       double *ln_rates)
{
    for (int q = 0; q < k; q++) {
        if (q == 0) {
            rates[0] = 0;
            ln_rates[0] = -INFINITY;
        } else if (w[q] > resolution) {
            rates[q] = w[q];
            ln_rates[q] = log(w[q]);
        } else {
            rates[q] = NAN;
            ln_rates[q] = NAN;
        }
    }
}

static int spectrum_solve(const hl_model *m, long dim, double beta, int kind, int k,
                          double *rates, double *ln_rates, double *vectors,
                          hl_spectrum_info *info);

int hl_spectrum(const hl_model *m, long dim, double beta, int kind, int k,
                double *rates, double *ln_rates, double *vectors,
                hl_spectrum_info *info)
{
    int st = spectrum_solve(m, dim, beta, kind, k, rates, ln_rates, vectors, info);
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
    } else if (isnan(rates[1]) && hl_class_tunnelling_capacity(m, dim, beta, &l) == HL_OK) {
        ln_rates[1] = l;
        rates[1] = exp(l);
        info->tunnelling_exact = 2;
    }
    return HL_OK;
}

static int spectrum_solve(const hl_model *m, long dim, double beta, int kind, int k,
                          double *rates, double *ln_rates, double *vectors,
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
        return spectrum_separable(m, dim, beta, k, rates, ln_rates);
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
            fill_rates(w_out, k, info->resolution, rates, ln_rates);
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
    double norm = 0;
    for (long i = 0; i < n; i++)
        norm = fmax(norm, 2 * fabs(a[i * n + i]));
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
    info->resolution = 64 * DBL_EPSILON * norm;
    fill_rates(w, k, info->resolution, rates, ln_rates);
    free(w);
    return HL_OK;
}
