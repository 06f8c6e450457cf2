/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_gridchain.c -- reversible nearest-neighbour grid chains (src/solvers/gridchain.h):
 * relaxation rates against dense (dsyev) and banded (dsbev) LAPACK references
 * built here from the formulas, the Ehrenfest chain (rates 2m exactly) and its
 * 2-D product, restricted chains with one and two components, evolution
 * against the dense matrix exponential and against RK4 under a protocol,
 * huge ln pi ranges.  With HL_GRIDCHAIN_BENCH=1 in the environment, also
 * times a 400 x 400 Scharfetter-Gummel Fokker-Planck chain. */
#include "test_util.h"

#include <float.h>
#include <string.h>

#include <lapacke.h>

#include "gridchain.h"

/* ------------------------------------------------------------- helpers */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t rng_state = 88172645463325252ULL;
static double urand(void) /* [0, 1) */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) * 0x1p-53;
}

/* a random landscape spanning `span` in ln pi: a random tilt plus smooth
 * ripples (shallow local wells) plus a little noise; random ln c in
 * [-1, 1] on every edge */
static void random_chain(hl_gridchain *g, long n1, long n2, double span, uint64_t seed)
{
    rng_state = seed;
    CHECK_OK(hl_gridchain_alloc(g, n1, n2));
    double a[4], k1[4], k2[4], ph[4];
    for (int r = 0; r < 4; r++) {
        a[r] = 0.5 + urand();
        k1[r] = 0.5 + 2 * urand();
        k2[r] = 0.5 + 2 * urand();
        ph[r] = 2 * TEST_PI * urand();
    }
    double tilt1 = 2 * urand() - 1, tilt2 = 2 * urand() - 1;
    double mn = INFINITY, mx = -INFINITY;
    for (long i1 = 0; i1 < n1; i1++)
        for (long i2 = 0; i2 < n2; i2++) {
            double x = (double)i1 / (double)n1, y = (double)i2 / (double)n2, f = 0;
            for (int r = 0; r < 4; r++)
                f += 0.15 * a[r] * sin(2 * TEST_PI * (k1[r] * x + k2[r] * y) + ph[r]);
            f += tilt1 * x + tilt2 * y;
            f += 0.05 * (urand() - 0.5);
            g->ln_pi[i1 * n2 + i2] = f;
            mn = fmin(mn, f);
            mx = fmax(mx, f);
        }
    for (long i = 0; i < n1 * n2; i++) {
        g->ln_pi[i] = span * (g->ln_pi[i] - mx) / (mx - mn);
        long i1 = i / n2, i2 = i % n2;
        g->ln_c1[i] = i1 < n1 - 1 ? 2 * urand() - 1 : -INFINITY;
        g->ln_c2[i] = i2 < n2 - 1 ? 2 * urand() - 1 : -INFINITY;
    }
}

/* independent dense references over the active cells (idx: cell ->
 * dense index or -1): negS = -S (m x m) and/or L (P-variables, L[i m + j]
 * = k(j -> i)); returns m */
static long dense_ops(const hl_gridchain *g, long *idx, double **negS, double **L)
{
    long n1 = g->n1, n2 = g->n2, n = n1 * n2, m = 0;
    for (long i = 0; i < n; i++)
        idx[i] = g->ln_pi[i] > -INFINITY ? m++ : -1;
    double *s = negS ? calloc((size_t)(m * m), sizeof(double)) : NULL;
    double *l = L ? calloc((size_t)(m * m), sizeof(double)) : NULL;
    for (long i = 0; i < n; i++) {
        if (idx[i] < 0)
            continue;
        for (int d = 0; d < 2; d++) {
            long j = d == 0 ? i + n2 : i + 1;
            int inside = d == 0 ? i / n2 < n1 - 1 : i % n2 < n2 - 1;
            double lc = d == 0 ? g->ln_c1[i] : g->ln_c2[i];
            if (!inside || idx[j] < 0 || lc == -INFINITY)
                continue;
            long a = idx[i], b = idx[j];
            double kij = exp(lc + 0.5 * (g->ln_pi[j] - g->ln_pi[i]));
            double kji = exp(lc + 0.5 * (g->ln_pi[i] - g->ln_pi[j]));
            if (s) {
                s[a * m + b] = s[b * m + a] = -exp(lc);
                s[a * m + a] += kij;
                s[b * m + b] += kji;
            }
            if (l) {
                l[b * m + a] += kij;
                l[a * m + a] -= kij;
                l[a * m + b] += kji;
                l[b * m + b] -= kji;
            }
        }
    }
    if (negS)
        *negS = s;
    if (L)
        *L = l;
    return m;
}

/* all eigenvalues of the dense -S, ascending (dsyev); vectors kept in a
 * (row-major, column q = eigenvector q) if keep */
static double *dense_eigs(const hl_gridchain *g, long *m_out, double **vec)
{
    long *idx = malloc(sizeof(long) * (size_t)(g->n1 * g->n2));
    double *a;
    long m = dense_ops(g, idx, &a, NULL);
    double *w = malloc(sizeof(double) * (size_t)m);
    assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, vec ? 'V' : 'N', 'L', (lapack_int)m, a,
                                   (lapack_int)m, w),
                     0);
    if (vec)
        *vec = a;
    else
        free(a);
    free(idx);
    *m_out = m;
    return w;
}

/* all eigenvalues of -S with every cell active, from the band of width n2 */
static double *band_eigs(const hl_gridchain *g)
{
    long n1 = g->n1, n2 = g->n2, n = n1 * n2, kd = n2;
    double *ab = calloc((size_t)((kd + 1) * n), sizeof(double)); /* column-major, lower */
    for (long i = 0; i < n; i++) {
        assert_true(g->ln_pi[i] > -INFINITY);
        for (int d = 0; d < 2; d++) {
            long j = d == 0 ? i + n2 : i + 1;
            int inside = d == 0 ? i / n2 < n1 - 1 : i % n2 < n2 - 1;
            double lc = d == 0 ? g->ln_c1[i] : g->ln_c2[i];
            if (!inside || lc == -INFINITY)
                continue;
            ab[(j - i) + i * (kd + 1)] = -exp(lc);
            ab[0 + i * (kd + 1)] += exp(lc + 0.5 * (g->ln_pi[j] - g->ln_pi[i]));
            ab[0 + j * (kd + 1)] += exp(lc + 0.5 * (g->ln_pi[i] - g->ln_pi[j]));
        }
    }
    double *w = malloc(sizeof(double) * (size_t)n);
    double dummy = 0;
    assert_int_equal(LAPACKE_dsbev(LAPACK_COL_MAJOR, 'N', 'L', (lapack_int)n, (lapack_int)kd,
                                   ab, (lapack_int)(kd + 1), w, &dummy, 1),
                     0);
    free(ab);
    return w;
}

/* rates[q] against ref[q] (ascending, ref[0..nz) ~ 0): |diff| <= rtol ref
 * + atol, atol the reference's own error (100 eps norm for dsyev/dsbev,
 * which are accurate only normwise; 0 for the exact references) */
static void check_rates(const double *rates, const double *ref, int k, int nz, double res,
                        double atol, double rtol)
{
    for (int q = 0; q < nz; q++)
        assert_true(rates[q] == 0.0);
    for (int q = nz; q < k; q++) {
        if (isnan(rates[q])) { /* only below the resolution */
            assert_true(ref[q] < 2 * res + atol);
            continue;
        }
        assert_true(rates[q] >= res);
        CHECK_NEAR(rates[q], ref[q], atol, rtol);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* the rates of the 1-D chain lp[0..n), ln c lc[0..n-1) to high relative
 * accuracy: -S = G G^T with G^T the (n-1) x n upper bidiagonal of rows
 * sqrt(c) ((pi_{j+1} / pi_j)^{1/4}, -(pi_j / pi_{j+1})^{1/4}), whose
 * singular values dbdsqr computes to high relative accuracy; w[0..n)
 * ascending, w[0] = 0 */
static void rates_1d(const double *lp, const double *lc, long n, double *w)
{
    double *d = calloc((size_t)n, sizeof(double)), *e = calloc((size_t)n, sizeof(double));
    for (long j = 0; j < n - 1; j++) {
        double D = lp[j + 1] - lp[j], sc = exp(0.5 * lc[j]);
        d[j] = sc * exp(0.25 * D);
        e[j] = -sc * exp(-0.25 * D);
    }
    assert_int_equal(LAPACKE_dbdsqr(LAPACK_COL_MAJOR, 'U', (lapack_int)n, 0, 0, 0, d, e, NULL, 1,
                                    NULL, 1, NULL, 1),
                     0);
    for (long j = 0; j < n; j++)
        w[j] = d[n - 1 - j] * d[n - 1 - j];
    w[0] = 0;
    free(d);
    free(e);
}

/* a separable chain: ln pi = f[i1] + h[i2], ln c1 = lc1[i1], ln c2 =
 * lc2[i2]; -S is the Kronecker sum of the two 1-D generators and its
 * rates are the sums of theirs: the k smallest into ref */
static void separable_chain(hl_gridchain *g, const double *f, const double *lc1, long n1,
                            const double *h, const double *lc2, long n2, int k, double *ref)
{
    CHECK_OK(hl_gridchain_alloc(g, n1, n2));
    for (long i = 0; i < n1 * n2; i++) {
        long i1 = i / n2, i2 = i % n2;
        g->ln_pi[i] = f[i1] + h[i2];
        g->ln_c1[i] = i1 < n1 - 1 ? lc1[i1] : -INFINITY;
        g->ln_c2[i] = i2 < n2 - 1 ? lc2[i2] : -INFINITY;
    }
    double *w1 = malloc(sizeof(double) * (size_t)n1), *w2 = malloc(sizeof(double) * (size_t)n2);
    double *all = malloc(sizeof(double) * (size_t)(n1 * n2));
    rates_1d(f, lc1, n1, w1);
    rates_1d(h, lc2, n2, w2);
    for (long i = 0; i < n1 * n2; i++)
        all[i] = w1[i / n2] + w2[i % n2];
    qsort(all, (size_t)(n1 * n2), sizeof(double), cmp_double);
    memcpy(ref, all, sizeof(double) * (size_t)k);
    free(w1);
    free(w2);
    free(all);
}

/* S v = -rate v on the chain and orthonormal columns */
static void check_vectors(const hl_gridchain *g, const double *rates, const double *vec, int k,
                          double tol)
{
    long n = g->n1 * g->n2;
    long *idx = malloc(sizeof(long) * (size_t)n);
    double *a;
    long m = dense_ops(g, idx, &a, NULL);
    double *v = malloc(sizeof(double) * (size_t)m);
    for (int q = 0; q < k; q++) {
        if (isnan(rates[q]))
            continue;
        for (long i = 0; i < n; i++) {
            if (idx[i] < 0)
                assert_true(vec[i * k + q] == 0.0);
            else
                v[idx[i]] = vec[i * k + q];
        }
        double rmax = 0;
        for (long r = 0; r < m; r++) {
            double s = -rates[q] * v[r];
            for (long c = 0; c < m; c++)
                s += a[r * m + c] * v[c];
            rmax = fmax(rmax, fabs(s));
        }
        CHECK_ABS(rmax, 0, tol);
        for (int q2 = 0; q2 <= q; q2++) {
            if (isnan(rates[q2]))
                continue;
            double s = 0;
            for (long i = 0; i < n; i++)
                s += vec[i * k + q] * vec[i * k + q2];
            CHECK_ABS(s, q == q2 ? 1.0 : 0.0, 1e-8);
        }
    }
    free(v);
    free(a);
    free(idx);
}

/* the Ehrenfest chain of N independent spins along one axis: pi_j = C(N,
 * j), k(j -> j+1) = N - j, k(j+1 -> j) = j + 1; conductance sqrt of their
 * product.  off: offset of the chain's cells, stride: cell step */
static double lnbinom(long n, long k)
{
    return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0);
}

static void ehrenfest_2d(hl_gridchain *g, long N1, long N2)
{
    CHECK_OK(hl_gridchain_alloc(g, N1 + 1, N2 + 1));
    long n2 = N2 + 1;
    for (long i1 = 0; i1 <= N1; i1++)
        for (long i2 = 0; i2 <= N2; i2++) {
            long i = i1 * n2 + i2;
            g->ln_pi[i] = lnbinom(N1, i1) + lnbinom(N2, i2);
            g->ln_c1[i] = i1 < N1 ? 0.5 * log((double)(N1 - i1) * (double)(i1 + 1)) : -INFINITY;
            g->ln_c2[i] = i2 < N2 ? 0.5 * log((double)(N2 - i2) * (double)(i2 + 1)) : -INFINITY;
        }
}

/* sorted 2 (m1 + m2), m1 <= N1, m2 <= N2: the k smallest */
static void ehrenfest_2d_rates(long N1, long N2, int k, double *out)
{
    int q = 0;
    for (long s = 0; q < k; s++)
        for (long m1 = 0; m1 <= s && q < k; m1++)
            if (m1 <= N1 && s - m1 <= N2)
                out[q++] = 2.0 * (double)s;
}

/* ------------------------------------------------------------ spectrum */

static void test_spectrum_dense_small(void **state)
{
    (void)state;
    hl_gridchain g;
    random_chain(&g, 7, 9, 50, 1);
    int k = 12;
    double rates[12], vec[63 * 12], res;
    hl_gridchain_spectrum_info info;
    CHECK_OK(hl_gridchain_spectrum_ex(&g, k, rates, vec, &res, &info));
    assert_int_equal(info.dense, 1);
    assert_int_equal(info.components, 1);
    long m;
    double *ref = dense_eigs(&g, &m, NULL);
    assert_int_equal(m, 63);
    check_rates(rates, ref, k, 1, res, 100 * DBL_EPSILON * info.norm, 1e-9);
    check_vectors(&g, rates, vec, k, 1e-9 * info.norm);
    /* the null vector is sqrt(pi), positive */
    for (long i = 0; i < 63; i++)
        assert_true(vec[i * k] >= 0);
    free(ref);
    hl_gridchain_free(&g);
}

static void test_spectrum_arpack_vs_dense(void **state)
{
    (void)state;
    hl_gridchain g;
    random_chain(&g, 30, 35, 50, 2);
    long old = hl_gridchain_dense_limit(100);
    int k = 10;
    double rates[10], res, *vec = malloc(sizeof(double) * 1050 * 10);
    hl_gridchain_spectrum_info info;
    CHECK_OK(hl_gridchain_spectrum_ex(&g, k, rates, vec, &res, &info));
    hl_gridchain_dense_limit(old);
    assert_int_equal(info.dense, 0);
    assert_true(info.sigma > 0 && info.op_applies > 0);
    long m;
    double *ref = dense_eigs(&g, &m, NULL);
    double atol = 100 * DBL_EPSILON * info.norm;
    check_rates(rates, ref, k, 1, res, atol, 1e-9);
    check_vectors(&g, rates, vec, k, 1e-8 * info.norm);
    /* and the dense path on the same chain: the same rates */
    double r2[10], res2;
    CHECK_OK(hl_gridchain_spectrum_ex(&g, k, r2, NULL, &res2, &info));
    assert_int_equal(info.dense, 1);
    check_rates(r2, ref, k, 1, res2, atol, 1e-9);
    for (int q = 1; q < k; q++) {
        if (isnan(rates[q]) || isnan(r2[q]))
            assert_true(isnan(rates[q]) && isnan(r2[q]));
        else
            CHECK_REL(r2[q], rates[q], 1e-12);
    }
    free(ref);
    free(vec);
    hl_gridchain_free(&g);
}

static void test_spectrum_arpack_banded(void **state)
{
    (void)state;
    hl_gridchain g;
    random_chain(&g, 60, 70, 50, 3);
    int k = 8;
    double rates[8], res;
    hl_gridchain_spectrum_info info;
    CHECK_OK(hl_gridchain_spectrum_ex(&g, k, rates, NULL, &res, &info));
    assert_int_equal(info.dense, 0);
    double *ref = band_eigs(&g);
    check_rates(rates, ref, k, 1, res, 100 * DBL_EPSILON * info.norm, 1e-9);
    free(ref);
    /* every rate scaled by 1e-10: relative accuracy is scale free */
    for (long i = 0; i < 60 * 70; i++) {
        g.ln_c1[i] += log(1e-10);
        g.ln_c2[i] += log(1e-10);
    }
    double r2[8], res2;
    CHECK_OK(hl_gridchain_spectrum_ex(&g, k, r2, NULL, &res2, &info));
    assert_int_equal(info.dense, 0);
    CHECK_REL(res2, 1e-10 * res, 1e-6);
    for (int q = 1; q < k; q++)
        CHECK_REL(r2[q], 1e-10 * rates[q], 1e-12);
    hl_gridchain_free(&g);
}

static void test_ehrenfest_1d(void **state)
{
    (void)state;
    /* dense (N = 40) and ARPACK (N = 3000: ln pi spans 2076) */
    long Ns[2] = {40, 3000};
    for (int t = 0; t < 2; t++) {
        long N = Ns[t];
        hl_gridchain g;
        ehrenfest_2d(&g, 0, N); /* n1 = 1, n2 = N + 1 */
        assert_int_equal(g.n1, 1);
        int k = 12;
        double rates[12], res, *vec = malloc(sizeof(double) * (size_t)(N + 1) * 12);
        hl_gridchain_spectrum_info info;
        CHECK_OK(hl_gridchain_spectrum_ex(&g, k, rates, vec, &res, &info));
        assert_int_equal(info.dense, t == 0);
        assert_true(rates[0] == 0.0);
        for (int q = 1; q < k; q++)
            CHECK_REL(rates[q], 2.0 * q, 1e-10);
        /* the eigenvectors are finite (sqrt(pi) underflows at the ends) */
        for (long i = 0; i < (N + 1) * k; i++)
            assert_true(isfinite(vec[i]));
        if (t == 0)
            check_vectors(&g, rates, vec, k, 1e-10 * info.norm);
        free(vec);
        /* the same chain along axis 1 */
        hl_gridchain h;
        ehrenfest_2d(&h, N, 0);
        assert_int_equal(h.n2, 1);
        CHECK_OK(hl_gridchain_spectrum(&h, k, rates, NULL, &res));
        for (int q = 1; q < k; q++)
            CHECK_REL(rates[q], 2.0 * q, 1e-10);
        hl_gridchain_free(&h);
        hl_gridchain_free(&g);
    }
}

static void test_ehrenfest_product(void **state)
{
    (void)state;
    long cases[2][2] = {{20, 30}, {59, 49}}; /* 651 cells dense, 3000 cells ARPACK */
    for (int t = 0; t < 2; t++) {
        hl_gridchain g;
        ehrenfest_2d(&g, cases[t][0], cases[t][1]);
        int k = 15;
        double rates[15], ref[15], res;
        hl_gridchain_spectrum_info info;
        CHECK_OK(hl_gridchain_spectrum_ex(&g, k, rates, NULL, &res, &info));
        assert_int_equal(info.dense, t == 0);
        ehrenfest_2d_rates(cases[t][0], cases[t][1], k, ref);
        assert_true(rates[0] == 0.0);
        for (int q = 1; q < k; q++)
            CHECK_REL(rates[q], ref[q], 1e-10);
        hl_gridchain_free(&g);
    }
}

static void test_restricted(void **state)
{
    (void)state;
    long n1 = 20, n2 = 22, n = n1 * n2;
    unsigned char *keep = malloc((size_t)n);
    for (int twoparts = 0; twoparts < 2; twoparts++) {
        hl_gridchain g;
        random_chain(&g, n1, n2, 30, 10 + (uint64_t)twoparts);
        for (long i = 0; i < n; i++) {
            double x = (double)(i / n2) - 9.5, y = (double)(i % n2) - 10.5;
            keep[i] = twoparts ? (hypot(x + 5, y) < 4.5 || hypot(x - 5, y - 3) < 3.8)
                               : hypot(x, y) < 8.3;
        }
        hl_gridchain_restrict(&g, keep);
        for (long i = 0; i < n; i++)
            if (!keep[i])
                assert_true(g.ln_pi[i] == -INFINITY);
        long m;
        double *ref = dense_eigs(&g, &m, NULL);
        int nz = twoparts ? 2 : 1;
        int k = 9;
        double rates[9], res, *vec = malloc(sizeof(double) * (size_t)n * 9);
        for (int arpack = 0; arpack < 2; arpack++) {
            long old = hl_gridchain_dense_limit(arpack ? 50 : 2000);
            hl_gridchain_spectrum_info info;
            CHECK_OK(hl_gridchain_spectrum_ex(&g, k, rates, vec, &res, &info));
            hl_gridchain_dense_limit(old);
            assert_int_equal(info.dense, !arpack);
            assert_int_equal(info.cells, m);
            assert_int_equal(info.components, nz);
            check_rates(rates, ref, k, nz, res, 100 * DBL_EPSILON * info.norm, 1e-9);
            check_vectors(&g, rates, vec, k, 1e-8 * info.norm);
            /* the zero modes live on one component each */
            if (twoparts) {
                for (long i = 0; i < n; i++)
                    assert_true(vec[i * k] == 0.0 || vec[i * k + 1] == 0.0);
            }
        }
        free(vec);
        free(ref);
        hl_gridchain_free(&g);
    }
    free(keep);
}

static void test_spectrum_more_than_cells(void **state)
{
    (void)state;
    hl_gridchain g;
    random_chain(&g, 2, 2, 3, 4);
    double rates[6], vec[4 * 6], res;
    CHECK_OK(hl_gridchain_spectrum(&g, 6, rates, vec, &res));
    long m;
    double *ref = dense_eigs(&g, &m, NULL);
    check_rates(rates, ref, 4, 1, res, 100 * DBL_EPSILON * 1e3, 1e-12);
    assert_true(isnan(rates[4]) && isnan(rates[5]));
    for (long i = 0; i < 4; i++)
        assert_true(vec[i * 6 + 4] == 0.0 && vec[i * 6 + 5] == 0.0);
    free(ref);
    hl_gridchain_free(&g);
}

/* a steep well: ln pi from -span to 0, separable (exact reference) */
static void steep_well(hl_gridchain *g, long n1, long n2, double span, int k, double *ref)
{
    double *f = malloc(sizeof(double) * (size_t)n1), *h = malloc(sizeof(double) * (size_t)n2);
    double *z1 = calloc((size_t)n1, sizeof(double)), *z2 = calloc((size_t)n2, sizeof(double));
    double mn = -(0.7 * 0.7 + 2 * 0.6 * 0.6);
    for (long i = 0; i < n1; i++) {
        double x = (double)i / (double)(n1 - 1) - 0.3;
        f[i] = -x * x * span / -mn;
    }
    for (long i = 0; i < n2; i++) {
        double y = (double)i / (double)(n2 - 1) - 0.6;
        h[i] = -2 * y * y * span / -mn;
    }
    double dummy[1];
    separable_chain(g, f, z1, n1, h, z2, n2, k > 0 ? k : 1, k > 0 ? ref : dummy);
    free(f);
    free(h);
    free(z1);
    free(z2);
}

static void test_huge_range_spectrum(void **state)
{
    (void)state;
    /* ln pi spans 1400 (norm 1.2e12) and 1400 on a coarser grid (norm
     * 1.4e15): both paths exact to round-off against the separable
     * reference, where eps norm would allow errors of 3e-4 and 0.3 */
    long sizes[2][2] = {{45, 50}, {30, 40}};
    for (int t = 0; t < 2; t++)
        for (int arpack = 0; arpack < 2; arpack++) {
            hl_gridchain g;
            long n1 = sizes[t][0], n2 = sizes[t][1];
            int k = 10;
            double rates[10], ref[10], res, *vec = malloc(sizeof(double) * (size_t)(n1 * n2) * 10);
            steep_well(&g, n1, n2, 1400, k, ref);
            long old = hl_gridchain_dense_limit(arpack ? 100 : 5000);
            hl_gridchain_spectrum_info info;
            CHECK_OK(hl_gridchain_spectrum_ex(&g, k, rates, vec, &res, &info));
            hl_gridchain_dense_limit(old);
            assert_int_equal(info.dense, !arpack);
            assert_true(info.norm > 1e12);
            assert_true(res < 1e-11);
            for (int q = 0; q < k; q++)
                assert_true(isfinite(rates[q]));
            for (long i = 0; i < n1 * n2 * k; i++)
                assert_true(isfinite(vec[i]));
            check_rates(rates, ref, k, 1, res, 0, 1e-12);
            free(vec);
            hl_gridchain_free(&g);
        }
}

/* slow rates of metastable chains: a 1-D double well (tunnelling rates
 * 2e-10 and 5e-12, norm ~6) and a 2-D separable one, against the
 * high-relative-accuracy references; eps norm / rate would be 6e-6 and
 * 3e-4 */
static void test_metastable(void **state)
{
    (void)state;
    double Bs[2] = {16, 20};
    long n = 400;
    double *lp = malloc(sizeof(double) * (size_t)n), *lc = malloc(sizeof(double) * (size_t)n);
    double *w = malloc(sizeof(double) * (size_t)n);
    for (int b = 0; b < 2; b++) {
        for (long j = 0; j < n; j++) {
            double x = -1.6 + 3.2 * (double)j / (double)(n - 1);
            lp[j] = -Bs[b] * (x * x - 1) * (x * x - 1);
            lc[j] = 0.3 * sin((double)j);
        }
        rates_1d(lp, lc, n, w);
        assert_true(w[1] < 1e-9 && w[1] > 1e-13);
        hl_gridchain g;
        CHECK_OK(hl_gridchain_alloc(&g, 1, n));
        for (long j = 0; j < n; j++) {
            g.ln_pi[j] = lp[j];
            g.ln_c2[j] = j < n - 1 ? lc[j] : -INFINITY;
        }
        for (int arpack = 0; arpack < 2; arpack++) {
            long old = hl_gridchain_dense_limit(arpack ? 100 : 5000);
            double rates[6], res;
            hl_gridchain_spectrum_info info;
            CHECK_OK(hl_gridchain_spectrum_ex(&g, 6, rates, NULL, &res, &info));
            hl_gridchain_dense_limit(old);
            assert_int_equal(info.dense, !arpack);
            check_rates(rates, w, 6, 1, res, 0, 1e-12);
            CHECK_REL(rates[1], w[1], 1e-12);
        }
        /* the capacity formula: basins x < 0 and x >= 0, cells at the wells */
        int *lab = malloc(sizeof(int) * (size_t)n);
        for (long j = 0; j < n; j++)
            lab[j] = -1.6 + 3.2 * (double)j / (double)(n - 1) < 0 ? 0 : 1;
        long ca = 0, cb = n - 1;
        for (long j = 0; j < n; j++) {
            if (lab[j] == 0 && lp[j] > lp[ca])
                ca = j;
            if (lab[j] == 1 && lp[j] > lp[cb])
                cb = j;
        }
        double lt;
        CHECK_OK(hl_gridchain_tunnelling(&g, lab, ca, cb, &lt));
        printf("  tunnelling (capacity) %.12e, exact %.12e\n", exp(lt), w[1]);
        CHECK_REL(exp(lt), w[1], 1e-6); /* error ~ the weight of the barrier region */
        free(lab);
        hl_gridchain_free(&g);
    }
    /* 2-D: the double well (B = 16) along axis 1 times a harmonic axis 2 */
    long n2 = 40;
    double *h = malloc(sizeof(double) * (size_t)n2), *lc2 = malloc(sizeof(double) * (size_t)n2);
    for (long j = 0; j < n; j++) {
        double x = -1.6 + 3.2 * (double)j / (double)(n - 1);
        lp[j] = -16 * (x * x - 1) * (x * x - 1);
    }
    for (long j = 0; j < n2; j++) {
        double y = -1 + 2 * (double)j / (double)(n2 - 1);
        h[j] = -3 * y * y;
        lc2[j] = -0.5;
    }
    hl_gridchain g;
    double ref[8], rates[8], res;
    separable_chain(&g, lp, lc, n, h, lc2, n2, 8, ref);
    CHECK_OK(hl_gridchain_spectrum(&g, 8, rates, NULL, &res));
    check_rates(rates, ref, 8, 1, res, 0, 1e-12);
    assert_true(rates[1] < 1e-9);
    {
        int *lab = malloc(sizeof(int) * (size_t)(n * n2));
        long ca = -1, cb = -1;
        for (long i = 0; i < n * n2; i++) {
            lab[i] = -1.6 + 3.2 * (double)(i / n2) / (double)(n - 1) < 0 ? 0 : 1;
            if (lab[i] == 0 && (ca < 0 || g.ln_pi[i] > g.ln_pi[ca]))
                ca = i;
            if (lab[i] == 1 && (cb < 0 || g.ln_pi[i] > g.ln_pi[cb]))
                cb = i;
        }
        double lt;
        CHECK_OK(hl_gridchain_tunnelling(&g, lab, ca, cb, &lt));
        printf("  2-D tunnelling (capacity) %.12e, exact %.12e\n", exp(lt), ref[1]);
        CHECK_REL(exp(lt), ref[1], 1e-6);
        lab[ca] = 1;
        assert_int_equal(hl_gridchain_tunnelling(&g, lab, ca, cb, &lt), HL_EINVAL);
        free(lab);
    }
    hl_gridchain_free(&g);
    free(h);
    free(lc2);
    free(lp);
    free(lc);
    free(w);
}

static void test_spectrum_errors(void **state)
{
    (void)state;
    hl_gridchain g;
    random_chain(&g, 4, 5, 5, 5);
    double rates[3], res;
    assert_int_equal(hl_gridchain_spectrum(&g, 0, rates, NULL, &res), HL_EINVAL);
    assert_int_equal(hl_gridchain_spectrum(NULL, 3, rates, NULL, &res), HL_EINVAL);
    g.ln_pi[3] = NAN;
    assert_int_equal(hl_gridchain_spectrum(&g, 3, rates, NULL, &res), HL_EDOM);
    g.ln_pi[3] = 0;
    g.ln_c1[2] = NAN;
    assert_int_equal(hl_gridchain_spectrum(&g, 3, rates, NULL, &res), HL_EDOM);
    g.ln_c1[2] = 700;
    g.ln_pi[2 + 5] = -200;
    assert_int_equal(hl_gridchain_spectrum(&g, 3, rates, NULL, &res), HL_ERANGE);
    assert_true(strstr(hl_errmsg(), "overflow") != NULL);
    for (long i = 0; i < 20; i++)
        g.ln_pi[i] = -INFINITY;
    assert_int_equal(hl_gridchain_spectrum(&g, 3, rates, NULL, &res), HL_EINVAL);
    hl_gridchain_free(&g);
    assert_int_equal(hl_gridchain_alloc(&g, 0, 3), HL_EINVAL);
}

/* ----------------------------------------------------------- evolution */

/* P(t) = Pi^1/2 V exp(-Lambda t) V^T Pi^-1/2 P0 on the active cells */
typedef struct {
    long n, m;
    long *idx;
    double *v, *lam, *sp;
} expo_t;

static void expo_init(expo_t *e, const hl_gridchain *g)
{
    e->n = g->n1 * g->n2;
    e->idx = malloc(sizeof(long) * (size_t)e->n);
    e->m = dense_ops(g, e->idx, &e->v, NULL);
    long m = e->m;
    e->lam = malloc(sizeof(double) * (size_t)m);
    e->sp = malloc(sizeof(double) * (size_t)m);
    assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'L', (lapack_int)m, e->v,
                                   (lapack_int)m, e->lam),
                     0);
    double mx = -INFINITY;
    for (long i = 0; i < e->n; i++)
        mx = fmax(mx, g->ln_pi[i]);
    for (long i = 0; i < e->n; i++)
        if (e->idx[i] >= 0)
            e->sp[e->idx[i]] = exp(0.5 * (g->ln_pi[i] - mx));
}

static void expo_apply(const expo_t *e, const double *p0, double t, double *p)
{
    long m = e->m;
    double *c = calloc((size_t)m, sizeof(double));
    for (long q = 0; q < m; q++) {
        double s = 0;
        for (long i = 0; i < e->n; i++)
            if (e->idx[i] >= 0)
                s += e->v[e->idx[i] * m + q] * p0[i] / e->sp[e->idx[i]];
        c[q] = s * exp(-e->lam[q] * t);
    }
    for (long i = 0; i < e->n; i++) {
        p[i] = 0;
        if (e->idx[i] < 0)
            continue;
        double s = 0;
        for (long q = 0; q < m; q++)
            s += e->v[e->idx[i] * m + q] * c[q];
        p[i] = e->sp[e->idx[i]] * s;
    }
    free(c);
}

static void expo_free(expo_t *e)
{
    free(e->idx);
    free(e->v);
    free(e->lam);
    free(e->sp);
}

static void test_evolve_vs_expm(void **state)
{
    (void)state;
    hl_gridchain g;
    random_chain(&g, 5, 6, 10, 6);
    long n = 30;
    double p0[30] = {0};
    p0[7] = 0.7;
    p0[22] = 0.3;
    double times[5] = {0, 0.01, 0.1, 1, 10};
    double *out = malloc(sizeof(double) * 5 * 30), ref[30];
    expo_t e;
    expo_init(&e, &g);
    double tols[2] = {1e-10, 0}; /* rtol 1e-10 and the default 1e-8 */
    /* the Krylov exponential (fixed beta), then CVODE forced */
    for (int path = 0; path < 2; path++)
    for (int r = 0; r < 2; r++) {
        hl_gridchain_evolve_info info;
        if (path)
            setenv("HL_GRIDCHAIN_CVODE", "1", 1);
        CHECK_OK(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, times, 5, tols[r], out, &info));
        unsetenv("HL_GRIDCHAIN_CVODE");
        assert_int_equal(info.method, path ? HL_GRIDCHAIN_CVODE : HL_GRIDCHAIN_KRYLOV);
        assert_true((path == 0 || info.steps > 0) && info.factorisations > 0 &&
                    info.krylov_iterations > 0);
        assert_true(info.max_sum_error < 1e-12);
        assert_true(info.min_p > -10 * info.atol);
        for (int k = 0; k < 5; k++) {
            expo_apply(&e, p0, times[k], ref);
            for (long i = 0; i < n; i++)
                CHECK_ABS(out[k * n + i], ref[i], r == 0 ? 1e-8 : 1e-6);
        }
    }
    expo_free(&e);
    free(out);
    hl_gridchain_free(&g);
}

static void test_evolve_restricted_and_equilibrium(void **state)
{
    (void)state;
    long n1 = 14, n2 = 16, n = n1 * n2;
    hl_gridchain g;
    random_chain(&g, n1, n2, 12, 7);
    unsigned char keep[14 * 16];
    for (long i = 0; i < n; i++)
        keep[i] = hypot((double)(i / n2) - 6.5, (double)(i % n2) - 7.5) < 6.2;
    hl_gridchain_restrict(&g, keep);
    double *p0 = calloc((size_t)n, sizeof(double)), *out = malloc(sizeof(double) * 3 * (size_t)n);
    double *ref = malloc(sizeof(double) * (size_t)n);
    long c = 7 * n2 + 8;
    assert_true(keep[c]);
    p0[c] = 1;
    double times[3] = {0.5, 3, 1000};
    hl_gridchain_evolve_info info;
    CHECK_OK(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, times, 3, 1e-10, out, &info));
    expo_t e;
    expo_init(&e, &g);
    for (int k = 0; k < 3; k++) {
        expo_apply(&e, p0, times[k], ref);
        for (long i = 0; i < n; i++) {
            if (!keep[i])
                assert_true(out[k * n + i] == 0.0);
            CHECK_ABS(out[k * n + i], ref[i], 1e-8);
        }
    }
    /* equilibrium pi / Z at the end */
    double z = 0, mx = -INFINITY;
    for (long i = 0; i < n; i++)
        mx = fmax(mx, g.ln_pi[i]);
    for (long i = 0; i < n; i++)
        z += exp(g.ln_pi[i] - mx);
    for (long i = 0; i < n; i++)
        CHECK_ABS(out[2 * n + i], exp(g.ln_pi[i] - mx) / z, 1e-9);
    assert_true(info.max_sum_error < 1e-12);
    expo_free(&e);
    free(p0);
    free(out);
    free(ref);
    hl_gridchain_free(&g);
}

/* a protocol chain: ln pi = -beta E_i, ln c = c0_e - 0.3 beta */
typedef struct {
    long n1, n2;
    double *E, *c1, *c2;
    int calls;
    int change_cells; /* for the error test */
} proto_ctx;

static int proto_fill(void *ctx, double beta, hl_gridchain *g)
{
    proto_ctx *p = ctx;
    p->calls++;
    for (long i = 0; i < p->n1 * p->n2; i++) {
        g->ln_pi[i] = -beta * p->E[i];
        g->ln_c1[i] = p->c1[i] - 0.3 * beta;
        g->ln_c2[i] = p->c2[i] - 0.3 * beta;
    }
    if (p->change_cells && beta > 1.2)
        g->ln_pi[0] = -INFINITY;
    return HL_OK;
}

static void proto_init(proto_ctx *p, long n1, long n2)
{
    p->n1 = n1;
    p->n2 = n2;
    long n = n1 * n2;
    p->E = malloc(sizeof(double) * (size_t)n);
    p->c1 = malloc(sizeof(double) * (size_t)n);
    p->c2 = malloc(sizeof(double) * (size_t)n);
    rng_state = 99;
    for (long i = 0; i < n; i++) {
        p->E[i] = 3 * urand();
        p->c1[i] = i / n2 < n1 - 1 ? urand() - 0.5 : -INFINITY;
        p->c2[i] = i % n2 < n2 - 1 ? urand() - 0.5 : -INFINITY;
    }
    p->calls = 0;
    p->change_cells = 0;
}

static void proto_free(proto_ctx *p)
{
    free(p->E);
    free(p->c1);
    free(p->c2);
}

/* RK4 on dP/dt = L(beta(t)) P with the dense L from the fill */
static void rk4_reference(proto_ctx *pc, const hl_protocol *pr, const double *p0,
                          const double *times, int nt, double dt, double *out)
{
    long n = pc->n1 * pc->n2;
    hl_gridchain g;
    CHECK_OK(hl_gridchain_alloc(&g, pc->n1, pc->n2));
    long *idx = malloc(sizeof(long) * (size_t)n);
    double *p = malloc(sizeof(double) * (size_t)n), *kk[4], *tmp = malloc(sizeof(double) * (size_t)n);
    for (int s = 0; s < 4; s++)
        kk[s] = malloc(sizeof(double) * (size_t)n);
    memcpy(p, p0, sizeof(double) * (size_t)n);
    double t = 0;
    for (int k = 0; k < nt; k++) {
        while (t < times[k] - 1e-12) {
            double h = fmin(dt, times[k] - t);
            double ts[4] = {t, t + h / 2, t + h / 2, t + h};
            for (int s = 0; s < 4; s++) {
                proto_fill(pc, hl_protocol_beta(pr, ts[s]), &g);
                double *L;
                dense_ops(&g, idx, NULL, &L);
                for (long i = 0; i < n; i++)
                    tmp[i] = p[i] + (s == 0 ? 0 : (s == 3 ? h : h / 2) * kk[s - 1][i]);
                for (long i = 0; i < n; i++) {
                    double acc = 0;
                    for (long j = 0; j < n; j++)
                        acc += L[i * n + j] * tmp[j];
                    kk[s][i] = acc;
                }
                free(L);
            }
            for (long i = 0; i < n; i++)
                p[i] += h / 6 * (kk[0][i] + 2 * kk[1][i] + 2 * kk[2][i] + kk[3][i]);
            t += h;
        }
        memcpy(out + k * n, p, sizeof(double) * (size_t)n);
    }
    for (int s = 0; s < 4; s++)
        free(kk[s]);
    free(p);
    free(tmp);
    free(idx);
    hl_gridchain_free(&g);
}

static void test_evolve_protocol_vs_rk4(void **state)
{
    (void)state;
    long n1 = 4, n2 = 5, n = 20;
    proto_ctx pc;
    proto_init(&pc, n1, n2);
    double pt[3] = {0, 1, 1.5}, pv[3] = {0.5, 2.0, 1.0};
    hl_protocol *pr = test_protocol(HL_PROTOCOL_BETA, 3, pt, pv);
    double p0[20] = {0};
    p0[0] = 0.5;
    p0[13] = 0.5;
    double times[5] = {0.25, 0.5, 1, 1.25, 2.5};
    double out[5 * 20], ref[5 * 20];
    hl_gridchain g;
    CHECK_OK(hl_gridchain_alloc(&g, n1, n2));
    hl_gridchain_evolve_info info;
    CHECK_OK(hl_gridchain_evolve(&g, proto_fill, &pc, pr, p0, times, 5, 1e-10, out, &info));
    assert_true(info.fills > 2);
    assert_int_equal(info.fills, pc.calls);
    assert_true(info.max_sum_error < 1e-12);
    assert_true(info.min_p > -10 * info.atol);
    rk4_reference(&pc, pr, p0, times, 5, 1e-3, ref);
    for (long i = 0; i < 5 * n; i++)
        CHECK_ABS(out[i], ref[i], 1e-8);
    /* a protocol in T and the default tolerance */
    double tv[3] = {2.0, 0.5, 1.0};
    hl_protocol *prT = test_protocol(HL_PROTOCOL_T, 3, pt, tv);
    CHECK_OK(hl_gridchain_evolve(&g, proto_fill, &pc, prT, p0, times, 5, 0, out, &info));
    rk4_reference(&pc, prT, p0, times, 5, 1e-3, ref);
    for (long i = 0; i < 5 * n; i++)
        CHECK_ABS(out[i], ref[i], 1e-6);
    /* errors: a protocol without fill; fill that changes the cells */
    assert_int_equal(hl_gridchain_evolve(&g, NULL, NULL, pr, p0, times, 5, 0, out, &info),
                     HL_EINVAL);
    pc.change_cells = 1;
    assert_int_equal(hl_gridchain_evolve(&g, proto_fill, &pc, pr, p0, times, 5, 0, out, &info),
                     HL_EINVAL);
    pc.change_cells = 0;
    hl_protocol_free(pr);
    hl_protocol_free(prT);
    hl_gridchain_free(&g);
    proto_free(&pc);
}

static void test_evolve_fixed_protocol(void **state)
{
    (void)state;
    /* a one-row protocol: fill called once with that beta */
    proto_ctx pc;
    proto_init(&pc, 3, 4);
    hl_protocol *pr = test_protocol_fixed(1.7);
    hl_gridchain g;
    CHECK_OK(hl_gridchain_alloc(&g, 3, 4));
    double p0[12] = {0}, times[2] = {0, 2}, out[24], ref[12];
    p0[5] = 1;
    hl_gridchain_evolve_info info;
    CHECK_OK(hl_gridchain_evolve(&g, proto_fill, &pc, pr, p0, times, 2, 1e-10, out, &info));
    hl_protocol_free(pr);
    assert_int_equal(pc.calls, 1);
    for (long i = 0; i < 12; i++)
        assert_true(out[i] == p0[i]);
    expo_t e;
    expo_init(&e, &g); /* g holds beta = 1.7 */
    expo_apply(&e, p0, 2, ref);
    for (long i = 0; i < 12; i++)
        CHECK_ABS(out[12 + i], ref[i], 1e-8);
    expo_free(&e);
    hl_gridchain_free(&g);
    proto_free(&pc);
}

static void test_evolve_huge_range(void **state)
{
    (void)state;
    hl_gridchain g;
    long n1 = 45, n2 = 50, n = n1 * n2;
    steep_well(&g, n1, n2, 1400, 0, NULL);
    double *p0 = calloc((size_t)n, sizeof(double)), *out = malloc(sizeof(double) * 3 * (size_t)n);
    /* start far up the wall: ln pi there is about -1000 */
    long c = 44 * n2 + 2;
    p0[c] = 1;
    double times[3] = {1e-3, 0.1, 10};
    hl_gridchain_evolve_info info;
    CHECK_OK(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, times, 3, 0, out, &info));
    for (long i = 0; i < 3 * n; i++)
        assert_true(isfinite(out[i]));
    assert_true(info.max_sum_error < 1e-12);
    assert_true(info.min_p > -10 * info.atol);
    /* at t = 10 the mass sits at the bottom of the well (0.3, 0.6) */
    long b = (long)lround(0.3 * (double)(n1 - 1)) * n2 + (long)lround(0.6 * (double)(n2 - 1));
    double mx = 0;
    long arg = -1;
    for (long i = 0; i < n; i++)
        if (out[2 * n + i] > mx) {
            mx = out[2 * n + i];
            arg = i;
        }
    assert_int_equal(arg, b);
    /* the Ehrenfest chain of N = 3000 (ln pi spans 2076) from j = 0 */
    hl_gridchain e;
    ehrenfest_2d(&e, 0, 3000);
    double *q0 = calloc(3001, sizeof(double)), *qo = malloc(sizeof(double) * 2 * 3001);
    q0[0] = 1;
    double t2[2] = {0.1, 5};
    CHECK_OK(hl_gridchain_evolve(&e, NULL, NULL, NULL, q0, t2, 2, 0, qo, &info));
    /* the mean number of up spins: N (1 - exp(-2 t)) / 2 */
    for (int k = 0; k < 2; k++) {
        double mean = 0;
        for (long j = 0; j <= 3000; j++) {
            assert_true(isfinite(qo[k * 3001 + j]));
            mean += (double)j * qo[k * 3001 + j];
        }
        CHECK_REL(mean, 1500 * (1 - exp(-2 * t2[k])), 1e-6);
    }
    assert_true(info.max_sum_error < 1e-12);
    free(q0);
    free(qo);
    hl_gridchain_free(&e);
    free(p0);
    free(out);
    hl_gridchain_free(&g);
}

static void test_evolve_errors(void **state)
{
    (void)state;
    hl_gridchain g;
    random_chain(&g, 3, 3, 2, 8);
    double p0[9] = {0}, out[18], t[2] = {0, 1};
    p0[4] = 1;
    hl_gridchain_evolve_info info;
    double t_bad[2] = {1, 1};
    assert_int_equal(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, t_bad, 2, 0, out, &info),
                     HL_EDOM);
    assert_int_equal(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, t, 2, 1, out, &info),
                     HL_EDOM);
    p0[4] = 0.9;
    assert_int_equal(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, t, 2, 0, out, &info),
                     HL_EDOM);
    p0[4] = 1;
    g.ln_pi[0] = -INFINITY;
    p0[4] = 0.5;
    p0[0] = 0.5;
    assert_int_equal(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, t, 2, 0, out, &info),
                     HL_EDOM);
    p0[0] = 0;
    p0[4] = 1;
    g.ln_c1[4] = 800;
    assert_int_equal(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, t, 2, 0, out, &info),
                     HL_ERANGE);
    hl_gridchain_free(&g);
}

/* ---------------------------------------- Fokker-Planck (Scharfetter-Gummel) */

/* ln((x/2) / sinh(x/2)), even in x */
static double ln_sg(double x)
{
    double a = fabs(x);
    if (a < 1e-4)
        return -a * a / 24;
    return log(a) - 0.5 * a - log1p(-exp(-a));
}

/* an n x n grid of cells on [-1, 1]^2, ln pi = -U, U = nb ((u^2 - 1/4)^2
 * + v^2 / 2), rates D/h^2 B(U_j - U_i) (Bernoulli B(x) = x / (e^x - 1)) */
static void fp_chain(hl_gridchain *g, long n, double nb, double D)
{
    CHECK_OK(hl_gridchain_alloc(g, n, n));
    double h = 2.0 / (double)n, lk = log(D / (h * h));
    for (long i1 = 0; i1 < n; i1++)
        for (long i2 = 0; i2 < n; i2++) {
            double u = -1 + (i1 + 0.5) * h, v = -1 + (i2 + 0.5) * h;
            g->ln_pi[i1 * n + i2] = -nb * ((u * u - 0.25) * (u * u - 0.25) + 0.5 * v * v);
        }
    for (long i = 0; i < n * n; i++) {
        long i1 = i / n, i2 = i % n;
        g->ln_c1[i] = i1 < n - 1 ? lk + ln_sg(g->ln_pi[i] - g->ln_pi[i + n]) : -INFINITY;
        g->ln_c2[i] = i2 < n - 1 ? lk + ln_sg(g->ln_pi[i] - g->ln_pi[i + 1]) : -INFINITY;
    }
}

static void fp_start(long n, double *p0)
{
    double h = 2.0 / (double)n, s = 0;
    for (long i = 0; i < n * n; i++) {
        double u = -1 + (i / n + 0.5) * h, v = -1 + (i % n + 0.5) * h;
        p0[i] = exp(-((u + 0.5) * (u + 0.5) + (v - 0.2) * (v - 0.2)) / (2 * 0.05 * 0.05));
        s += p0[i];
    }
    for (long i = 0; i < n * n; i++)
        p0[i] /= s;
}

static void test_fokker_planck_small(void **state)
{
    (void)state;
    long n = 64, N = n * n;
    hl_gridchain g;
    fp_chain(&g, n, 16, 0.25);
    int k = 6;
    double rates[6], res;
    hl_gridchain_spectrum_info info;
    CHECK_OK(hl_gridchain_spectrum_ex(&g, k, rates, NULL, &res, &info));
    double *ref = band_eigs(&g);
    check_rates(rates, ref, k, 1, res, 100 * DBL_EPSILON * info.norm, 1e-9);
    free(ref);
    /* the slowest mode (tunnelling) is the antisymmetric one: rates[1]
     * decays <u>; from a start in one well <u>(t) -> 0 like exp(-rates[1] t) */
    double *p0 = malloc(sizeof(double) * (size_t)N), *out = malloc(sizeof(double) * 3 * (size_t)N);
    fp_start(n, p0);
    double times[3] = {10, 14, 1e9};
    hl_gridchain_evolve_info ei;
    CHECK_OK(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, times, 3, 0, out, &ei));
    /* steps of h ~ 1e8 (gamma |L| ~ 1e12) must not spoil conservation
     * (the flux form of L P); t = 1e9 is the equilibrium pi / Z */
    assert_true(ei.max_sum_error < 1e-12);
    double z = 0, mx = -INFINITY;
    for (long i = 0; i < N; i++)
        mx = fmax(mx, g.ln_pi[i]);
    for (long i = 0; i < N; i++)
        z += exp(g.ln_pi[i] - mx);
    for (long i = 0; i < N; i++)
        CHECK_ABS(out[2 * N + i], exp(g.ln_pi[i] - mx) / z, 1e-10);
    double mu[2] = {0, 0}, h = 2.0 / (double)n;
    for (int t = 0; t < 2; t++)
        for (long i = 0; i < N; i++)
            mu[t] += (-1 + (i / n + 0.5) * h) * out[t * N + i];
    /* the other odd modes have decayed by exp(-(rates[q] - rates[1]) 10) */
    CHECK_REL(log(mu[0] / mu[1]) / 4, rates[1], 2e-3);
    assert_true(ei.max_sum_error < 1e-12);
    free(p0);
    free(out);
    hl_gridchain_free(&g);
}

/* HL_GRIDCHAIN_BENCH=1: the 400 x 400 Fokker-Planck chain */
static void test_bench_400(void **state)
{
    (void)state;
    const char *b = getenv("HL_GRIDCHAIN_BENCH");
    if (!b || !*b || *b == '0') {
        skip();
        return;
    }
    long n = getenv("HL_GRIDCHAIN_BENCH_N") ? atol(getenv("HL_GRIDCHAIN_BENCH_N")) : 400;
    long N = n * n;
    double nb = getenv("HL_GRIDCHAIN_BENCH_NB") ? atof(getenv("HL_GRIDCHAIN_BENCH_NB")) : 16;
    hl_gridchain g;
    fp_chain(&g, n, nb, 0.25);
    int k = 10;
    double rates[10], res;
    hl_gridchain_spectrum_info info;
    double t0 = now();
    CHECK_OK(hl_gridchain_spectrum_ex(&g, k, rates, NULL, &res, &info));
    double t1 = now();
    printf("bench: %ld x %ld FP chain (nb %g): spectrum of %d rates in %.2f s "
           "(sigma %.3g, norm %.3g, %ld solves, factor nnz %ld, resolution %.3g)\n",
           n, n, nb, k, t1 - t0, info.sigma, info.norm, info.op_applies, info.nnz_factor, res);
    printf("bench: rates");
    for (int q = 0; q < k; q++)
        printf(" %.10g", rates[q]);
    printf("\n");
    double *p0 = malloc(sizeof(double) * (size_t)N), *out = malloc(sizeof(double) * 3 * (size_t)N);
    fp_start(n, p0);
    double times[3] = {0.1, 1, 10};
    hl_gridchain_evolve_info ei;
    t0 = now();
    CHECK_OK(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, times, 3, 0, out, &ei));
    t1 = now();
    printf("bench: evolve to t = 10 in %.2f s: %ld steps, %ld factorisations, %ld Krylov "
           "iterations, %ld precond solves, %ld rhs, %ld jtimes; sum error %.3g, min p %.3g "
           "(atol %.3g)\n",
           t1 - t0, ei.steps, ei.factorisations, ei.krylov_iterations, ei.prec_solves,
           ei.rhs_evals, ei.jtimes, ei.max_sum_error, ei.min_p, ei.atol);
    double mu = 0, h = 2.0 / (double)n;
    for (long i = 0; i < N; i++)
        mu += (-1 + (i / n + 0.5) * h) * out[2 * N + i];
    printf("bench: <u>(10) = %.10g\n", mu);
    free(p0);
    free(out);
    hl_gridchain_free(&g);
}


/* Long times (issue 8, item 3): the double-well birth-death chain b of the
 * paper's phi at D = 100, beta = 0.8 (slowest rate 3.46e-15, below the
 * eigensolver's resolution: the capacity formula), from cell 47, against
 * tests/ref/evolve_long_times.py (mpmath, 80 digits): the mean of d = 2k/h - 1
 * is <x> - <y> there.  Both orientations, both integrators. */
static void test_evolve_long_times_1d(void **state)
{
    (void)state;
    long h = 50;
    double ts[5] = {1, 1e10, 1e15, 1e20, 1e29};
    double ref[5] = {NAN /* not checked */, 0.8710344197440322,
                     -0.256722081338681, -0.293253467286417, -0.293253467286417};
    for (int orient = 0; orient < 2; orient++)
        for (int path = 0; path < 2; path++) {
            hl_gridchain g;
            CHECK_OK(hl_gridchain_alloc(&g, orient ? 1 : h + 1, orient ? h + 1 : 1));
            double *lc = orient ? g.ln_c2 : g.ln_c1;
            for (long k = 0; k <= h; k++) {
                double d = 2.0 * k / h - 1, e = d + 0.2;
                g.ln_pi[k] = lgamma(h + 1.0) - lgamma(k + 1.0) - lgamma(h - k + 1.0) -
                             0.8 * 100 * (-e * e + 0.38 * e * e * e);
                if (k < h)
                    lc[k] = 0.5 * log((double)(h - k) * (double)(k + 1));
            }
            double p0[51] = {0}, out[5 * 51];
            p0[47] = 1;
            if (path)
                setenv("HL_GRIDCHAIN_CVODE", "1", 1);
            hl_gridchain_evolve_info info;
            int st = hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, ts, 5, 1e-10, out, &info);
            unsetenv("HL_GRIDCHAIN_CVODE");
            CHECK_OK(st);
            for (int k = 1; k < 5; k++) {
                double md = 0, sum = 0;
                for (long i = 0; i <= h; i++) {
                    assert_true(out[k * 51 + i] > -1e-13);
                    md += out[k * 51 + i] * (2.0 * i / h - 1);
                    sum += out[k * 51 + i];
                }
                CHECK_ABS(sum, 1, 1e-13);
                CHECK_ABS(md, ref[k], 1e-8);
            }
            hl_gridchain_free(&g);
        }
}

/* The slow modes of that chain: lambda1 from the capacity formula (the
 * mpmath value 3.46172776054181e-15), lambda2 = 4.64105666496952; the
 * relaxation past the switch time is a convex combination (exact sums). */
static void test_slow_rates(void **state)
{
    (void)state;
    long h = 50;
    hl_gridchain g;
    CHECK_OK(hl_gridchain_alloc(&g, h + 1, 1));
    for (long k = 0; k <= h; k++) {
        double d = 2.0 * k / h - 1, e = d + 0.2;
        g.ln_pi[k] = lgamma(h + 1.0) - lgamma(k + 1.0) - lgamma(h - k + 1.0) -
                     0.8 * 100 * (-e * e + 0.38 * e * e * e);
        if (k < h)
            g.ln_c1[k] = 0.5 * log((double)(h - k) * (double)(k + 1));
    }
    hl_gridchain_slow s;
    CHECK_OK(hl_gridchain_slow_rates(&g, &s));
    assert_int_equal(s.components, 1);
    assert_int_equal(s.tunnelling, 1);
    CHECK_REL(s.lambda1, 3.46172776054181e-15, 1e-9);
    CHECK_REL(s.lambda2, 4.64105666496952, 1e-10);
    double q[51] = {0}, out[51];
    q[47] = 1;
    double tsw = hl_gridchain_switch_time(&s, q);
    assert_true(tsw > 40 / s.lambda2 && tsw < 100);
    CHECK_OK(hl_gridchain_relax(&s, q, 1e300, 1e-10, out));
    double z = 0;
    for (long k = 0; k <= h; k++)
        z += exp(g.ln_pi[k]);
    for (long k = 0; k <= h; k++)
        CHECK_ABS(out[k], exp(g.ln_pi[k]) / z, 1e-13);
    hl_gridchain_slow_free(&s);
    hl_gridchain_free(&g);
}

/* A random chain at fixed beta, where the Euclidean Krylov space of the
 * nonnormal L used to return numbers of 1e267 with exit 0: the result must
 * be the CVODE one (or equal to it to the tolerance). */
static void test_evolve_nonnormal(void **state)
{
    (void)state;
    proto_ctx pc;
    proto_init(&pc, 4, 5);
    hl_gridchain g;
    CHECK_OK(hl_gridchain_alloc(&g, 4, 5));
    proto_fill(&pc, 1.0, &g);
    double p0[20] = {0};
    p0[0] = 0.5;
    p0[13] = 0.5;
    double times[3] = {0.3, 1, 10}, out[60], ref[60];
    hl_gridchain_evolve_info info;
    CHECK_OK(hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, times, 3, 1e-10, out, &info));
    setenv("HL_GRIDCHAIN_CVODE", "1", 1);
    int st = hl_gridchain_evolve(&g, NULL, NULL, NULL, p0, times, 3, 1e-10, ref, &info);
    unsetenv("HL_GRIDCHAIN_CVODE");
    CHECK_OK(st);
    for (int i = 0; i < 60; i++) {
        assert_true(out[i] >= 0);
        CHECK_ABS(out[i], ref[i], 1e-8);
    }
    /* a constant protocol of several rows is that fixed beta, without fill */
    double pt[3] = {0, 0.5, 2}, pv[3] = {1, 1, 1};
    hl_protocol *pr = test_protocol(HL_PROTOCOL_BETA, 3, pt, pv);
    double out2[60];
    CHECK_OK(hl_gridchain_evolve(&g, NULL, NULL, pr, p0, times, 3, 1e-10, out2, &info));
    hl_protocol_free(pr);
    for (int i = 0; i < 60; i++)
        assert_true(out2[i] == out[i]);
    /* rows with equal times are refused */
    double pe[3] = {0, 1, 1};
    hl_protocol *bad = (hl_protocol *)&bad;
    assert_int_equal(hl_protocol_create(HL_PROTOCOL_BETA, 3, pe, pv, &bad), HL_EDOM);
    assert_null(bad);
    hl_gridchain_free(&g);
    proto_free(&pc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spectrum_dense_small),
        cmocka_unit_test(test_spectrum_arpack_vs_dense),
        cmocka_unit_test(test_spectrum_arpack_banded),
        cmocka_unit_test(test_ehrenfest_1d),
        cmocka_unit_test(test_ehrenfest_product),
        cmocka_unit_test(test_restricted),
        cmocka_unit_test(test_spectrum_more_than_cells),
        cmocka_unit_test(test_huge_range_spectrum),
        cmocka_unit_test(test_metastable),
        cmocka_unit_test(test_spectrum_errors),
        cmocka_unit_test(test_evolve_vs_expm),
        cmocka_unit_test(test_evolve_restricted_and_equilibrium),
        cmocka_unit_test(test_evolve_protocol_vs_rk4),
        cmocka_unit_test(test_evolve_fixed_protocol),
        cmocka_unit_test(test_evolve_huge_range),
        cmocka_unit_test(test_evolve_errors),
        cmocka_unit_test(test_fokker_planck_small),
        cmocka_unit_test(test_bench_400),
        cmocka_unit_test(test_evolve_long_times_1d),
        cmocka_unit_test(test_slow_rates),
        cmocka_unit_test(test_evolve_nonnormal),
    };
    if (getenv("HL_TEST_FILTER"))
        cmocka_set_test_filter(getenv("HL_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
