/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_rchain.c -- the solvers on general reversible chains (src/solvers:
 * spectrum.h, capacity.h, slow_modes.h, chain_evolve.h, arpack.h) for chains
 * that are not grids: random sparse graphs with hubs, stars, rings, complete
 * graphs, several components, exits.  References built here independently:
 * dense LAPACK (dsyev) of the symmetrised generator, closed forms (ring,
 * complete graph, star, the reflecting biased walk with ln pi spanning 1400),
 * a dense committor solve with the capacity as a Dirichlet energy, the
 * matrix exponential by eigen-decomposition and RK4 under a protocol; the
 * grid and class-lattice builders against the grid wrappers; error cases. */
#include "test_util.h"

#include <float.h>
#include <string.h>

#include <lapacke.h>

#include "arpack.h"
#include "capacity.h"
#include "chain_evolve.h"
#include "class_lattice.h"
#include "core.h"
#include "gridchain.h"
#include "lumped.h"
#include "slow_modes.h"
#include "spectrum.h"

/* ------------------------------------------------------------- helpers */

static uint64_t rng_state = 88172645463325252ULL;
static double urand(void) /* [0, 1) */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) * 0x1p-53;
}

/* a chain from an edge list (ends a[e], b[e]) */
static void make_chain(hl_rchain *c, long n, long m, const long *a, const long *b,
                       const double *ln_pi, const double *ln_c, const double *ln_exit)
{
    CHECK_OK(hl_rchain_alloc(c, n, m, ln_exit != NULL));
    for (long i = 0; i < n; i++) {
        c->ln_pi[i] = ln_pi[i];
        if (ln_exit)
            c->ln_exit[i] = ln_exit[i];
    }
    for (long e = 0; e < m; e++) {
        c->ea[e] = a[e];
        c->eb[e] = b[e];
        c->ln_c[e] = ln_c[e];
    }
}

/* A random sparse graph with hubs: states 0 and 1 joined to about a third
 * of the others, a random spanning tree, and extra random edges; ln pi in
 * [-span/2, span/2], ln A in [-1, 1].  No duplicate edges (a matrix of
 * flags). */
static void random_hub_chain(hl_rchain *c, long n, double span, uint64_t seed)
{
    rng_state = seed;
    unsigned char *adj = calloc((size_t)(n * n), 1);
    long cap = n * n, m = 0;
    long *ea = malloc(sizeof(long) * (size_t)cap), *eb = malloc(sizeof(long) * (size_t)cap);
    double *lc = malloc(sizeof(double) * (size_t)cap), *lp = malloc(sizeof(double) * (size_t)n);
    assert_non_null(adj);
    assert_non_null(ea);
    assert_non_null(eb);
    assert_non_null(lc);
    assert_non_null(lp);
#define ADD_EDGE(u, v)                                                              \
    do {                                                                            \
        long u_ = (u), v_ = (v);                                                    \
        if (u_ != v_ && !adj[u_ * n + v_]) {                                        \
            adj[u_ * n + v_] = adj[v_ * n + u_] = 1;                                \
            /* random orientation: the solvers must not assume ea < eb */           \
            if (urand() < 0.5) {                                                    \
                ea[m] = u_;                                                         \
                eb[m] = v_;                                                         \
            } else {                                                                \
                ea[m] = v_;                                                         \
                eb[m] = u_;                                                         \
            }                                                                       \
            lc[m++] = 2 * urand() - 1;                                              \
        }                                                                           \
    } while (0)
    for (long i = 1; i < n; i++) /* spanning tree */
        ADD_EDGE(i, (long)(urand() * (double)i));
    for (long i = 2; i < n; i++) { /* hubs */
        if (urand() < 0.35)
            ADD_EDGE(0, i);
        if (urand() < 0.35)
            ADD_EDGE(1, i);
    }
    for (long r = 0; r < n; r++) /* extra edges */
        ADD_EDGE((long)(urand() * (double)n), (long)(urand() * (double)n));
#undef ADD_EDGE
    for (long i = 0; i < n; i++)
        lp[i] = span * (urand() - 0.5);
    make_chain(c, n, m, ea, eb, lp, lc, NULL);
    free(adj);
    free(ea);
    free(eb);
    free(lc);
    free(lp);
}

/* -S on the active states (dense, row-major m x m), built from the
 * formulas: S_ab = A_ab, S_aa = -(sum_b A_ab sqrt(pi_b / pi_a) + exit_a) */
static double *dense_minus_s(const hl_rchain *c, long *m_out, long *idx)
{
    long n = c->n, m = 0;
    for (long i = 0; i < n; i++)
        idx[i] = c->ln_pi[i] > -INFINITY ? m++ : -1;
    double *s = calloc((size_t)(m * m), sizeof(double));
    assert_non_null(s);
    for (long e = 0; e < c->m; e++) {
        long i = c->ea[e], j = c->eb[e];
        if (idx[i] < 0 || idx[j] < 0 || c->ln_c[e] == -INFINITY)
            continue;
        long a = idx[i], b = idx[j];
        double A = exp(c->ln_c[e]);
        s[a * m + b] -= A;
        s[b * m + a] -= A;
        s[a * m + a] += A * exp(0.5 * (c->ln_pi[j] - c->ln_pi[i]));
        s[b * m + b] += A * exp(0.5 * (c->ln_pi[i] - c->ln_pi[j]));
    }
    if (c->ln_exit)
        for (long i = 0; i < n; i++)
            if (idx[i] >= 0)
                s[idx[i] * m + idx[i]] += exp(c->ln_exit[i]);
    *m_out = m;
    return s;
}

/* all eigenvalues of -S, ascending (vectors in s on return when want_v) */
static double *dense_rates(const hl_rchain *c, long *m_out, double **vec_out)
{
    long *idx = malloc(sizeof(long) * (size_t)c->n);
    assert_non_null(idx);
    long m;
    double *s = dense_minus_s(c, &m, idx);
    double *w = malloc(sizeof(double) * (size_t)m);
    assert_non_null(w);
    assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, vec_out ? 'V' : 'N', 'U', (lapack_int)m, s,
                                   (lapack_int)m, w),
                     0);
    free(idx);
    if (vec_out)
        *vec_out = s; /* column q: eigenvector q, s[a m + q] */
    else
        free(s);
    *m_out = m;
    return w;
}

static int cmp_double(const void *p, const void *q)
{
    double u = *(const double *)p, v = *(const double *)q;
    return (u > v) - (u < v);
}

/* the spectrum of c with both methods against ref (k ascending rates);
 * rates within rtol, or atol of the norm */
static void check_both_methods(const hl_rchain *c, int k, const double *ref, double rtol,
                               double atol)
{
    double *rates = malloc(sizeof(double) * (size_t)k);
    assert_non_null(rates);
    for (int pass = 0; pass < 2; pass++) {
        hl_rchain_spectrum_info info;
        double res = -1;
        CHECK_OK(hl_rchain_spectrum_by(c, pass == 0 ? "dense" : "shift-invert", k, rates, NULL,
                                       &res, &info));
        assert_string_equal(info.method, pass == 0 ? "dense" : "shift-invert");
        assert_int_equal(info.dense, pass == 0);
        CHECK_REL(info.resolution, res, 0);
        assert_true(res > 0 && res <= 100 * DBL_EPSILON * info.norm * 1.0000001);
        for (int q = 0; q < k; q++)
            CHECK_NEAR(rates[q], ref[q], atol, rtol);
    }
    free(rates);
}

/* ------------------------------------------------------------ spectrum */

/* random sparse graphs with hubs (degrees up to ~n/3): every rate against
 * dense LAPACK of -S, by both methods, for several sizes and seeds */
static void test_spectrum_random_hubs(void **state)
{
    (void)state;
    const long sizes[] = {40, 90, 150};
    for (int t = 0; t < 3; t++) {
        hl_rchain c;
        random_hub_chain(&c, sizes[t], 6.0, 1234 + 77 * (uint64_t)t);
        long m;
        double *w = dense_rates(&c, &m, NULL);
        assert_int_equal(m, sizes[t]);
        int k = 12;
        double norm = w[m - 1];
        /* dsyev is accurate to eps |S|: the reference's own error */
        check_both_methods(&c, k, w, 1e-10, 1e-12 * norm);
        CHECK_ABS(w[0], 0.0, 1e-12 * norm);
        free(w);
        hl_rchain_free(&c);
    }
}

/* the eigenvectors: S v = -lambda v for the vectors returned (with a hub
 * chain), unit norm, orthogonal to sqrt(pi) */
static void test_spectrum_vectors(void **state)
{
    (void)state;
    hl_rchain c;
    random_hub_chain(&c, 70, 4.0, 99);
    long n = c.n, *idx = malloc(sizeof(long) * (size_t)n), m;
    double *s = dense_minus_s(&c, &m, idx);
    int k = 6;
    double rates[6], *v = malloc(sizeof(double) * (size_t)(n * k));
    assert_non_null(v);
    for (int pass = 0; pass < 2; pass++) {
        long old = hl_rchain_dense_limit(pass == 0 ? 100000 : 0);
        int st = hl_rchain_spectrum(&c, k, rates, v, NULL, NULL);
        hl_rchain_dense_limit(old);
        CHECK_OK(st);
        for (int q = 0; q < k; q++) {
            double nn = 0, worst = 0;
            for (long a = 0; a < n; a++) {
                double r = 0;
                for (long b = 0; b < n; b++)
                    r += s[a * n + b] * v[b * k + q];
                worst = fmax(worst, fabs(r - rates[q] * v[a * k + q]));
                nn += v[a * k + q] * v[a * k + q];
            }
            CHECK_REL(nn, 1.0, 1e-12);
            CHECK_ABS(worst, 0.0, 1e-9);
        }
    }
    free(s);
    free(idx);
    free(v);
    hl_rchain_free(&c);
}

/* a ring of n states, uniform weights, A = a: rates a (2 - 2 cos(2 pi j / n)) */
static void test_spectrum_ring(void **state)
{
    (void)state;
    const long sizes[] = {7, 40, 301};
    const double lna[] = {0.0, 3.5, -2.0};
    for (int t = 0; t < 3; t++) {
        long n = sizes[t];
        long *a = malloc(sizeof(long) * (size_t)n), *b = malloc(sizeof(long) * (size_t)n);
        double *lp = malloc(sizeof(double) * (size_t)n), *lc = malloc(sizeof(double) * (size_t)n);
        for (long i = 0; i < n; i++) {
            a[i] = i;
            b[i] = (i + 1) % n;
            lp[i] = 0.25; /* any constant */
            lc[i] = lna[t];
        }
        hl_rchain c;
        make_chain(&c, n, n, a, b, lp, lc, NULL);
        int k = n < 9 ? (int)n : 9;
        double ref[9];
        double *all = malloc(sizeof(double) * (size_t)n);
        for (long j = 0; j < n; j++)
            all[j] = exp(lna[t]) * (2 - 2 * cos(2 * TEST_PI * (double)j / (double)n));
        qsort(all, (size_t)n, sizeof(double), cmp_double);
        all[0] = 0;
        for (int q = 0; q < k; q++)
            ref[q] = all[q];
        if (n >= 9 + 2) {
            check_both_methods(&c, k, ref, 1e-12, 0);
        } else { /* too small for ARPACK: the dense method only */
            double rates[9];
            hl_rchain_spectrum_info info;
            CHECK_OK(hl_rchain_spectrum(&c, k, rates, NULL, NULL, &info));
            assert_string_equal(info.method, "dense");
            for (int q = 0; q < k; q++)
                CHECK_NEAR(rates[q], ref[q], 1e-14, 1e-12);
        }
        free(all);
        free(a);
        free(b);
        free(lp);
        free(lc);
        hl_rchain_free(&c);
    }
}

/* the complete graph K_n with uniform weights and A: rates 0, n A (n - 1
 * times); the star with n - 1 leaves: 0, A (n - 2 times), n A */
static void test_spectrum_complete_and_star(void **state)
{
    (void)state;
    for (int kind = 0; kind < 2; kind++) {
        long n = kind == 0 ? 25 : 60, m = kind == 0 ? n * (n - 1) / 2 : n - 1, e = 0;
        long *a = malloc(sizeof(long) * (size_t)m), *b = malloc(sizeof(long) * (size_t)m);
        double *lc = malloc(sizeof(double) * (size_t)m), *lp = calloc((size_t)n, sizeof(double));
        double A = 0.37;
        if (kind == 0) {
            for (long i = 0; i < n; i++)
                for (long j = i + 1; j < n; j++) {
                    a[e] = j; /* higher end first */
                    b[e] = i;
                    lc[e++] = log(A);
                }
        } else {
            for (long i = 1; i < n; i++) {
                a[e] = 0;
                b[e] = i;
                lc[e++] = log(A);
            }
        }
        hl_rchain c;
        make_chain(&c, n, m, a, b, lp, lc, NULL);
        int k = 8;
        double ref[8];
        for (int q = 0; q < k; q++)
            ref[q] = q == 0 ? 0 : (kind == 0 ? (double)n * A : A);
        check_both_methods(&c, k, ref, 1e-12, 0);
        if (kind == 1) { /* the fastest mode of the star: n A */
            double *w = malloc(sizeof(double) * (size_t)n);
            hl_rchain_spectrum_info info;
            CHECK_OK(hl_rchain_spectrum(&c, (int)n, w, NULL, NULL, &info));
            CHECK_REL(w[n - 1], (double)n * A, 1e-12);
            CHECK_REL(w[n - 2], A, 1e-12);
            free(w);
        }
        free(a);
        free(b);
        free(lc);
        free(lp);
        hl_rchain_free(&c);
    }
}

/* components: two random graphs side by side (states interleaved), an
 * isolated state and a state off the chain: one exact 0 per component,
 * ordered by the lowest state, with the vectors sqrt(pi) of the component */
static void test_spectrum_components(void **state)
{
    (void)state;
    hl_rchain g1, g2;
    random_hub_chain(&g1, 30, 3.0, 5);
    random_hub_chain(&g2, 25, 3.0, 6);
    long n = 30 + 25 + 2, m = g1.m + g2.m;
    /* map: g1 state i -> 2i (i < 25) or 50 + (i - 25); g2 state j -> 2j + 1;
     * 55: isolated, 56: off the chain */
    long map1[30], map2[25];
    for (long i = 0; i < 30; i++)
        map1[i] = i < 25 ? 2 * i : 50 + (i - 25);
    for (long j = 0; j < 25; j++)
        map2[j] = 2 * j + 1;
    long *a = malloc(sizeof(long) * (size_t)m), *b = malloc(sizeof(long) * (size_t)m);
    double *lc = malloc(sizeof(double) * (size_t)m), lp[57];
    for (long e = 0; e < g1.m; e++) {
        a[e] = map1[g1.ea[e]];
        b[e] = map1[g1.eb[e]];
        lc[e] = g1.ln_c[e];
    }
    for (long e = 0; e < g2.m; e++) {
        a[g1.m + e] = map2[g2.ea[e]];
        b[g1.m + e] = map2[g2.eb[e]];
        lc[g1.m + e] = g2.ln_c[e];
    }
    for (long i = 0; i < 30; i++)
        lp[map1[i]] = g1.ln_pi[i];
    for (long j = 0; j < 25; j++)
        lp[map2[j]] = g2.ln_pi[j];
    lp[55] = 1.5;
    lp[56] = -INFINITY;
    hl_rchain c;
    make_chain(&c, n, m, a, b, lp, lc, NULL);
    long mm;
    double *w = dense_rates(&c, &mm, NULL);
    assert_int_equal(mm, 56);
    int k = 9;
    double rates[9], *v = malloc(sizeof(double) * (size_t)(n * k));
    for (int pass = 0; pass < 2; pass++) {
        long old = hl_rchain_dense_limit(pass == 0 ? 100000 : 0);
        hl_rchain_spectrum_info info;
        int st = hl_rchain_spectrum(&c, k, rates, v, NULL, &info);
        hl_rchain_dense_limit(old);
        CHECK_OK(st);
        assert_int_equal(info.components, 3);
        for (int q = 0; q < 3; q++)
            assert_true(rates[q] == 0.0);
        for (int q = 3; q < k; q++)
            CHECK_NEAR(rates[q], w[q], 1e-12 * w[mm - 1], 1e-10);
        /* zero modes: component of state 0 (g1), of state 1 (g2), then 55 */
        double z1 = 0, z2 = 0;
        for (long i = 0; i < 30; i++)
            z1 += exp(g1.ln_pi[i] - 3.0);
        for (long j = 0; j < 25; j++)
            z2 += exp(g2.ln_pi[j] - 3.0);
        for (long i = 0; i < 30; i++)
            CHECK_REL(v[map1[i] * k + 0], sqrt(exp(g1.ln_pi[i] - 3.0) / z1), 1e-12);
        for (long j = 0; j < 25; j++)
            CHECK_REL(v[map2[j] * k + 1], sqrt(exp(g2.ln_pi[j] - 3.0) / z2), 1e-12);
        CHECK_REL(v[55 * k + 2], 1.0, 1e-15);
        for (int q = 0; q < k; q++)
            assert_true(v[56 * k + q] == 0.0);
    }
    free(w);
    free(v);
    free(a);
    free(b);
    free(lc);
    hl_rchain_free(&g1);
    hl_rchain_free(&g2);
    hl_rchain_free(&c);
}

/* exits: -S gains diag(exit); a component with an exit has no zero rate */
static void test_spectrum_exits(void **state)
{
    (void)state;
    hl_rchain c0;
    random_hub_chain(&c0, 80, 4.0, 42);
    double *le = malloc(sizeof(double) * 80);
    rng_state = 7;
    for (long i = 0; i < 80; i++)
        le[i] = urand() < 0.1 ? 2 * urand() - 3 : -INFINITY;
    le[3] = -20; /* a slow exit */
    hl_rchain c;
    make_chain(&c, c0.n, c0.m, c0.ea, c0.eb, c0.ln_pi, c0.ln_c, le);
    long m;
    double *w = dense_rates(&c, &m, NULL);
    assert_true(w[0] > 1e-6); /* no zero */
    check_both_methods(&c, 10, w, 1e-10, 1e-12 * w[m - 1]);
    hl_rchain_spectrum_info info;
    double r[2];
    CHECK_OK(hl_rchain_spectrum(&c, 2, r, NULL, NULL, &info));
    assert_int_equal(info.components, 0);
    free(w);
    free(le);
    hl_rchain_free(&c0);
    hl_rchain_free(&c);
}

/* The reflecting biased walk on a path 0..n-1 with k(i -> i+1) = p,
 * k(i+1 -> i) = q: ln pi steps by ln(p/q), A = sqrt(pq), and the rates are
 * 0 and p + q - 2 sqrt(pq) cos(pi j / n), j = 1..n-1.  With ln(q/p) = 7.5
 * and n = 201, ln pi spans 1500 (weights down to e^-1500, far below
 * 1e-300); with A = e^-695 every rate is below 1e-300. */
static void test_spectrum_huge_span(void **state)
{
    (void)state;
    const double lnA[] = {0.0, -695.0};
    enum { N = 201 };
    for (int t = 0; t < 2; t++) {
        long n = N;
        double D = 7.5;
        long a[N - 1], b[N - 1];
        double lp[N], lc[N - 1];
        for (long i = 0; i < n; i++)
            lp[i] = -D * (double)i;
        for (long i = 0; i + 1 < n; i++) {
            /* mixed orientation */
            a[i] = i % 2 ? i : i + 1;
            b[i] = i % 2 ? i + 1 : i;
            lc[i] = lnA[t];
        }
        hl_rchain c;
        make_chain(&c, n, n - 1, a, b, lp, lc, NULL);
        /* k(i -> i+1) = A e^{-D/2}, k(i+1 -> i) = A e^{D/2} */
        int k = 8;
        double ref[8];
        ref[0] = 0;
        for (int j = 1; j < k; j++)
            ref[j] = exp(lnA[t]) * (exp(D / 2) + exp(-D / 2) - 2 * cos(TEST_PI * j / (double)n));
        if (t == 1)
            assert_true(ref[k - 1] < 1e-300 && exp(lnA[t] - D / 2) > DBL_MIN);
        double rates[8];
        for (int pass = 0; pass < 2; pass++) {
            long old = hl_rchain_dense_limit(pass == 0 ? 100000 : 0);
            int st = hl_rchain_spectrum(&c, k, rates, NULL, NULL, NULL);
            hl_rchain_dense_limit(old);
            CHECK_OK(st);
            assert_true(rates[0] == 0.0);
            for (int q = 1; q < k; q++)
                CHECK_REL(rates[q], ref[q], 1e-12);
        }
        hl_rchain_free(&c);
    }
}

/* -------------------------------------------------------------- capacity */

/* the tunnelling rate: cap (1/pi(A) + 1/pi(B)) with the capacity of a dense
 * committor solve written as the Dirichlet energy sum_edges pi_i k_ij (q_i
 * - q_j)^2 (equal to the flux across any cut for the harmonic q) */
static void test_capacity_vs_committor(void **state)
{
    (void)state;
    for (int t = 0; t < 3; t++) {
        hl_rchain c;
        long n = 50 + 20 * t;
        random_hub_chain(&c, n, 5.0, 300 + (uint64_t)t);
        int *label = malloc(sizeof(int) * (size_t)n);
        for (long i = 0; i < n; i++)
            label[i] = i < n / 2 ? 0 : 1;
        long sa = 2, sb = n - 1;
        double ln_rate;
        CHECK_OK(hl_rchain_tunnelling(&c, label, sa, sb, &ln_rate));
        /* dense committor: rows i != a, b: sum_j k_ij (q_j - q_i) = 0 */
        double *L = calloc((size_t)(n * n), sizeof(double)), *q = calloc((size_t)n, sizeof(double));
        lapack_int *ipiv = malloc(sizeof(lapack_int) * (size_t)n);
        for (long e = 0; e < c.m; e++) {
            long i = c.ea[e], j = c.eb[e];
            double kij = exp(c.ln_c[e] + 0.5 * (c.ln_pi[j] - c.ln_pi[i]));
            double kji = exp(c.ln_c[e] + 0.5 * (c.ln_pi[i] - c.ln_pi[j]));
            L[i * n + j] += kij;
            L[i * n + i] -= kij;
            L[j * n + i] += kji;
            L[j * n + j] -= kji;
        }
        for (long j = 0; j < n; j++) {
            L[sa * n + j] = j == sa;
            L[sb * n + j] = j == sb;
        }
        q[sb] = 1;
        assert_int_equal(LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)n, 1, L, (lapack_int)n,
                                       ipiv, q, 1),
                         0);
        double cap = 0, pa = 0, pb = 0;
        for (long e = 0; e < c.m; e++) {
            long i = c.ea[e], j = c.eb[e];
            double d = q[i] - q[j];
            cap += exp(c.ln_c[e] + 0.5 * (c.ln_pi[i] + c.ln_pi[j])) * d * d;
        }
        for (long i = 0; i < n; i++)
            *(label[i] == 0 ? &pa : &pb) += exp(c.ln_pi[i]);
        CHECK_REL(ln_rate, log(cap * (1 / pa + 1 / pb)), 1e-11);
        /* errors: a state outside its basin, a == b */
        assert_int_equal(hl_rchain_tunnelling(&c, label, sb, sa, &ln_rate), HL_EINVAL);
        assert_int_equal(hl_rchain_tunnelling(&c, label, sa, sa, &ln_rate), HL_EINVAL);
        free(L);
        free(q);
        free(ipiv);
        free(label);
        hl_rchain_free(&c);
    }
}

/* ------------------------------------------------------------- evolution */

/* P(t) = M^{1/2} V exp(-W t) V^T M^{-1/2} p0 from the dense eigenpairs */
static void dense_evolve(const hl_rchain *c, const double *p0, double t, double *out)
{
    long m, n = c->n;
    double *v, *w = dense_rates(c, &m, &v);
    assert_int_equal(m, n); /* every state active here */
    double *y = calloc((size_t)n, sizeof(double));
    for (long q = 0; q < n; q++) {
        double s = 0;
        for (long a = 0; a < n; a++)
            s += v[a * n + q] * p0[a] * exp(-0.5 * c->ln_pi[a]);
        s *= exp(-fmax(w[q], 0) * t);
        for (long a = 0; a < n; a++)
            y[a] += v[a * n + q] * s;
    }
    for (long a = 0; a < n; a++)
        out[a] = y[a] * exp(0.5 * c->ln_pi[a]);
    free(y);
    free(v);
    free(w);
}

static void test_evolve_vs_expm(void **state)
{
    (void)state;
    for (int path = 0; path < 2; path++) { /* Krylov, then CVODE */
        if (path == 1)
            setenv("HL_GRIDCHAIN_CVODE", "1", 1);
        hl_rchain c;
        long n = 45;
        random_hub_chain(&c, n, 4.0, 17);
        double *p0 = calloc((size_t)n, sizeof(double));
        p0[7] = 0.6;
        p0[30] = 0.4;
        const double times[] = {0, 0.05, 0.7, 6, 40};
        size_t nt = 5;
        double *out = malloc(sizeof(double) * (size_t)n * nt), *ref = malloc(sizeof(double) * (size_t)n);
        hl_rchain_evolve_info info;
        CHECK_OK(hl_rchain_evolve(&c, NULL, NULL, NULL, p0, times, nt, 1e-10, out, &info));
        assert_string_equal(info.method_name, path == 0 ? "krylov" : "cvode");
        for (size_t k = 0; k < nt; k++) {
            dense_evolve(&c, p0, times[k], ref);
            for (long a = 0; a < n; a++)
                CHECK_ABS(out[k * (size_t)n + a], ref[a], 2e-9);
        }
        /* arbitrarily long times: the equilibrium */
        const double tl[] = {1e30};
        CHECK_OK(hl_rchain_evolve(&c, NULL, NULL, NULL, p0, tl, 1, 1e-10, out, NULL));
        double z = 0;
        for (long a = 0; a < n; a++)
            z += exp(c.ln_pi[a]);
        for (long a = 0; a < n; a++)
            CHECK_ABS(out[a], exp(c.ln_pi[a]) / z, 1e-12);
        unsetenv("HL_GRIDCHAIN_CVODE");
        free(p0);
        free(out);
        free(ref);
        hl_rchain_free(&c);
    }
}

/* under a protocol: ln pi = -beta E, ln A = -beta B per edge; beta ramps
 * from 0.2 to 1.5 over t in [0, 2], then stays; against RK4 on the dense
 * generator with the same beta(t) */
typedef struct {
    long n, m;
    const double *E, *B;
} energy_chain;

static int energy_fill(void *ctx, double beta, hl_rchain *c)
{
    const energy_chain *f = ctx;
    for (long i = 0; i < f->n; i++)
        c->ln_pi[i] = -beta * f->E[i];
    for (long e = 0; e < f->m; e++)
        c->ln_c[e] = -beta * f->B[e];
    return HL_OK;
}

static void rhs_dense(const hl_rchain *c, const double *x, double *f)
{
    memset(f, 0, sizeof(double) * (size_t)c->n);
    for (long e = 0; e < c->m; e++) {
        long i = c->ea[e], j = c->eb[e];
        double J = exp(c->ln_c[e] + 0.5 * (c->ln_pi[j] - c->ln_pi[i])) * x[i] -
                   exp(c->ln_c[e] + 0.5 * (c->ln_pi[i] - c->ln_pi[j])) * x[j];
        f[i] -= J;
        f[j] += J;
    }
}

static void test_evolve_protocol(void **state)
{
    (void)state;
    hl_rchain c;
    long n = 30;
    random_hub_chain(&c, n, 1.0, 23);
    double *E = malloc(sizeof(double) * (size_t)n), *B = malloc(sizeof(double) * (size_t)c.m);
    rng_state = 99;
    for (long i = 0; i < n; i++)
        E[i] = 3 * urand();
    for (long e = 0; e < c.m; e++)
        B[e] = 2 * urand() - 0.5;
    energy_chain f = {n, c.m, E, B};
    double pt[] = {0, 2}, pv[] = {0.2, 1.5};
    hl_protocol *p = test_protocol(HL_PROTOCOL_BETA, 2, pt, pv);
    double *p0 = calloc((size_t)n, sizeof(double));
    p0[0] = 1;
    const double times[] = {0, 0.5, 2, 3};
    double *out = malloc(sizeof(double) * (size_t)n * 4);
    hl_rchain_evolve_info info;
    CHECK_OK(hl_rchain_evolve(&c, energy_fill, &f, p, p0, times, 4, 1e-10, out, &info));
    assert_true(info.fills > 2);
    /* hl_scan's settings: outputs from the interpolant, the preconditioner
     * kept over 2% of beta, and factored by CHOLMOD on the symmetrised
     * form (opts.chol): the same solution */
    double *out2 = malloc(sizeof(double) * (size_t)n * 4);
    hl_rchain_evolve_opts so = {1, 0.02, 1, 0, 0, 0, NULL, NULL, 0};
    CHECK_OK(hl_rchain_evolve_cvode_opts(&c, energy_fill, &f, p, p0, times, 4, 1e-10, out2,
                                         &info, &so));
    assert_true(info.factorisations > 0);
    /* RK4 with 36000 steps to t = 3 (every output time and the kink of
     * beta(t) on the grid) */
    double *x = malloc(sizeof(double) * (size_t)n), *k1 = malloc(sizeof(double) * (size_t)n),
           *k2 = malloc(sizeof(double) * (size_t)n), *k3 = malloc(sizeof(double) * (size_t)n),
           *k4 = malloc(sizeof(double) * (size_t)n), *tmp = malloc(sizeof(double) * (size_t)n);
    memcpy(x, p0, sizeof(double) * (size_t)n);
    long steps = 36000;
    double h = 3.0 / (double)steps;
    size_t next = 1;
    for (long s = 0; s <= steps; s++) {
        double t = h * (double)s;
        if (next < 4 && fabs(t - times[next]) < 0.5 * h) {
            for (long a = 0; a < n; a++) {
                CHECK_ABS(out[next * (size_t)n + a], x[a], 1e-8);
                CHECK_ABS(out2[next * (size_t)n + a], x[a], 1e-8);
            }
            next++;
        }
        if (s == steps)
            break;
        energy_fill(&f, hl_protocol_beta(p, t), &c);
        rhs_dense(&c, x, k1);
        for (long a = 0; a < n; a++)
            tmp[a] = x[a] + 0.5 * h * k1[a];
        energy_fill(&f, hl_protocol_beta(p, t + 0.5 * h), &c);
        rhs_dense(&c, tmp, k2);
        for (long a = 0; a < n; a++)
            tmp[a] = x[a] + 0.5 * h * k2[a];
        rhs_dense(&c, tmp, k3);
        energy_fill(&f, hl_protocol_beta(p, t + h), &c);
        for (long a = 0; a < n; a++)
            tmp[a] = x[a] + h * k3[a];
        rhs_dense(&c, tmp, k4);
        for (long a = 0; a < n; a++)
            x[a] += h / 6 * (k1[a] + 2 * k2[a] + 2 * k3[a] + k4[a]);
    }
    assert_int_equal(next, 4);
    free(E);
    free(B);
    free(p0);
    free(out);
    free(out2);
    free(x);
    free(k1);
    free(k2);
    free(k3);
    free(k4);
    free(tmp);
    hl_protocol_free(p);
    hl_rchain_free(&c);
}

/* opts.chol where ln pi spans more than the symmetrised preconditioner
 * takes (1400): a line of 40 states, E_i = 40 i, beta 0.2 -> 1.5 (ln pi
 * spans 312 at the start, 2340 at the end): the factor moves to UMFPACK's
 * LU on the way, and the solution is that of the LU all along */
static void test_evolve_protocol_wide(void **state)
{
    (void)state;
    long n = 40, m = n - 1;
    long *ea = malloc(sizeof(long) * (size_t)m), *eb = malloc(sizeof(long) * (size_t)m);
    double *E = malloc(sizeof(double) * (size_t)n), *B = calloc((size_t)m, sizeof(double));
    double *lc = calloc((size_t)m, sizeof(double)), *lp = calloc((size_t)n, sizeof(double));
    for (long e = 0; e < m; e++) {
        ea[e] = e;
        eb[e] = e + 1;
    }
    for (long i = 0; i < n; i++)
        E[i] = 40.0 * (double)i;
    hl_rchain c;
    make_chain(&c, n, m, ea, eb, lp, lc, NULL);
    energy_chain f = {n, m, E, B};
    double pt[] = {0, 2}, pv[] = {0.2, 1.5};
    hl_protocol *p = test_protocol(HL_PROTOCOL_BETA, 2, pt, pv);
    double *p0 = calloc((size_t)n, sizeof(double));
    p0[n - 1] = 1;
    const double times[] = {0, 0.5, 1, 2};
    double *o1 = malloc(sizeof(double) * (size_t)n * 4), *o2 = malloc(sizeof(double) * (size_t)n * 4);
    hl_rchain_evolve_info info;
    hl_rchain_evolve_opts lu = {1, 0.02, 0, 0, 0, 0, NULL, NULL, 0}, ch = {1, 0.02, 1, 0, 0, 0, NULL, NULL, 0};
    CHECK_OK(hl_rchain_evolve_cvode_opts(&c, energy_fill, &f, p, p0, times, 4, 1e-10, o1, &info,
                                         &lu));
    CHECK_OK(hl_rchain_evolve_cvode_opts(&c, energy_fill, &f, p, p0, times, 4, 1e-10, o2, &info,
                                         &ch));
    for (size_t k = 0; k < 4 * (size_t)n; k++)
        CHECK_ABS(o2[k], o1[k], 1e-8 * fmax(1e-300, fabs(o1[k])) + 1e-14);
    free(ea);
    free(eb);
    free(E);
    free(B);
    free(lc);
    free(lp);
    free(p0);
    free(o1);
    free(o2);
    hl_protocol_free(p);
    hl_rchain_free(&c);
}

/* slow modes of a general chain: lambda1, lambda2 = the two smallest
 * nonzero dense rates; relax moves towards pi */
static void test_slow_modes(void **state)
{
    (void)state;
    hl_rchain c;
    random_hub_chain(&c, 60, 5.0, 31);
    long m;
    double *w = dense_rates(&c, &m, NULL);
    hl_rchain_slow s;
    CHECK_OK(hl_rchain_slow_rates(&c, &s));
    assert_int_equal(s.components, 1);
    CHECK_REL(s.lambda1, w[1], 1e-10);
    CHECK_REL(s.lambda2, w[2], 1e-10);
    CHECK_REL(s.ln_lambda1, log(w[1]), 1e-12);
    double *q = calloc(60, sizeof(double)), *out = malloc(sizeof(double) * 60);
    q[5] = 1;
    double tsw = hl_rchain_switch_time(&s, q);
    assert_true(tsw > 40 / w[2] && isfinite(tsw));
    CHECK_OK(hl_rchain_relax(&s, q, 1e6 / w[1], 1e-8, out));
    for (long a = 0; a < 60; a++)
        CHECK_ABS(out[a], exp(s.ln_pin[a]), 1e-15);
    hl_rchain_slow_free(&s);
    free(w);
    free(q);
    free(out);
    hl_rchain_free(&c);
}

/* ------------------------------------------------ several slow modes */

#define HL_TEST_PI 3.14159265358979323846

/* one block of D = 60 spins, phi(m) = -0.6 cos(3 pi m) + 0.15 m at beta =
 * 2 (the rates of eq 5.2, B = 1): three wells at m = -2/3, 0, 2/3 and two
 * tunnelling rates far below any eigensolver's resolution */
static void three_wells(hl_rchain *c)
{
    const long D = 60;
    const double beta = 2;
    double lp[61], lc[60];
    long a[60], b[60];
    for (long n = 0; n <= D; n++) {
        double m = 2.0 * n / D - 1;
        lp[n] = lgamma(D + 1.0) - lgamma(n + 1.0) - lgamma(D - n + 1.0) -
                beta * D * (-0.6 * cos(3 * HL_TEST_PI * m) + 0.15 * m);
    }
    for (long n = 0; n < D; n++) {
        double m0 = 2.0 * n / D - 1, m1 = 2.0 * (n + 1) / D - 1;
        double dphi = (-0.6 * cos(3 * HL_TEST_PI * m1) + 0.15 * m1) -
                      (-0.6 * cos(3 * HL_TEST_PI * m0) + 0.15 * m0);
        a[n] = n;
        b[n] = n + 1;
        /* ln A = ln k(n -> n+1) + (ln pi_n - ln pi_{n+1}) / 2 */
        lc[n] = log((double)(D - n)) - beta * D * dphi / 2 + 0.5 * (lp[n] - lp[n + 1]);
    }
    make_chain(c, 61, 60, a, b, lp, lc, NULL);
    CHECK_OK(hl_rchain_index(c));
}

/* The basins' committor chain against the log-space spectrum of the full
 * chain (an independent method), and the evolution through it against
 * mpmath (the symmetrised generator's eigendecomposition at 250 digits):
 * the Krylov exponential alone returned the equilibrium at t = 1e20. */
static void test_lumped_three_wells(void **state)
{
    (void)state;
    hl_rchain c;
    three_wells(&c);
    hl_active ch;
    CHECK_OK(hl_active_init(&ch, &c));
    CHECK_OK(hl_active_rates(&ch, &c));
    hl_lumped L;
    CHECK_OK(hl_lumped_build(&c, &ch, &L));
    assert_int_equal(L.nb, 3);
    assert_true(L.ln_gap < -100 && L.ln_overlap < -100);
    double lr[3], rel[3], w[3];
    CHECK_OK(hl_rchain_slow_rates_log(&c, 3, lr, rel, NULL, 0));
    CHECK_OK(hl_rchain_spectrum(&L.chain, 3, w, NULL, NULL, NULL));
    CHECK_REL(w[1], exp(lr[1]), 1e-9);
    CHECK_REL(w[2], exp(lr[2]), 1e-9);
    CHECK_REL(w[1], 3.34272741242e-59, 1e-10);
    CHECK_REL(w[2], 3.51276487144e-54, 1e-10);
    /* projection and lift are inverse on the basins' shapes */
    double p[3] = {0.2, 0.3, 0.5}, q[61], pb[3];
    hl_lumped_lift(&L, p, q);
    hl_lumped_project(&L, q, pb);
    for (int j = 0; j < 3; j++)
        CHECK_REL(pb[j], p[j], 1e-13);
    hl_lumped_free(&L);
    hl_active_free(&ch);

    double p0[61] = {0}, t[3] = {1e20, 1e55, 1e300}, out[3 * 61];
    p0[50] = 1; /* the top of the well at m = 2/3 */
    hl_rchain_evolve_info info;
    CHECK_OK(hl_rchain_evolve(&c, NULL, NULL, NULL, p0, t, 3, 1e-10, out, &info));
    assert_int_equal(info.lumped_basins, 3);
    double mean = 0, pop[3][3] = {{0}};
    for (int k = 0; k < 3; k++)
        for (long n = 0; n <= 60; n++) {
            /* the basins of ln pi: 0..19, 20..39, 40..60 (tops 10, 30, 50) */
            int j = n < 20 ? 0 : n < 40 ? 1 : 2;
            if (n == 20 || n == 40) /* the bottoms: the side of larger ln pi */
                j = c.ln_pi[n - 1] > c.ln_pi[n + 1] ? j - 1 : j;
            pop[k][j] += out[k * 61 + n];
            if (k == 0)
                mean += out[n] * (2.0 * n / 60 - 1);
        }
    CHECK_ABS(mean, 0.660222747027124, 1e-9);
    CHECK_ABS(pop[0][2], 1.0, 1e-9);
    CHECK_REL(pop[1][0], 3.09483642413e-5, 1e-8);
    CHECK_REL(pop[1][1], 0.999969051631, 1e-10);
    CHECK_ABS(pop[1][2], 4.57693502755e-12, 1e-13); /* absolute accuracy (README "Long times") */
    /* the equilibrium at 1e300 */
    double lz = -INFINITY;
    for (long n = 0; n <= 60; n++)
        lz = hl_lse(lz, c.ln_pi[n]);
    for (long n = 0; n <= 60; n++)
        CHECK_ABS(out[2 * 61 + n], exp(c.ln_pi[n] - lz), 1e-13);
    hl_rchain_free(&c);
}

/* The basins' chain of five wells (D = 80, phi = -0.5 cos(4 pi m) + 0.1 m,
 * beta = 1.5): weights e^-22 .. e^41, conductances ~e^-113.  At t = 1e30
 * (t |L| = 1e-8) the flux out of the top state goes to its neighbour:
 * P_3 = k(4 -> 3) t to first order; every integrator must agree (the
 * Krylov exponential put it two states away). */
static void test_evolve_five_wells(void **state)
{
    (void)state;
    hl_rchain c;
    double lm[5] = {1.42600972148, 36.8366715206, 41.1345985064, 24.9062276691, -22.0846864445};
    double lc[4] = {-110.27302215, -113.025865882, -113.137338155, -110.791657652};
    long a[4] = {0, 1, 2, 3}, b[4] = {1, 2, 3, 4};
    make_chain(&c, 5, 4, a, b, lm, lc, NULL);
    CHECK_OK(hl_rchain_index(&c));
    double p0[5] = {0, 0, 0, 0, 1}, t[1] = {1e30}, out[5], out2[5];
    double k43 = exp(lc[3] + 0.5 * (lm[3] - lm[4]));
    CHECK_OK(hl_rchain_evolve(&c, NULL, NULL, NULL, p0, t, 1, 1e-10, out, NULL));
    CHECK_OK(hl_rchain_evolve_cvode(&c, NULL, NULL, NULL, p0, t, 1, 1e-10, out2, NULL));
    CHECK_REL(out2[3], k43 * t[0], 1e-6);
    CHECK_REL(out[3], k43 * t[0], 1e-6);
    hl_rchain_free(&c);
}

/* -------------------------------------------------------------- builders */

/* the class lattice as an rchain: the same spectrum as the grid wrapper,
 * and the fill at a new beta gives the chain built at that beta */
static void test_class_lattice_builder(void **state)
{
    (void)state;
    hl_model *mod;
    CHECK_OK(hl_model_create("x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y", &mod));
    long dim = 60;
    hl_rchain c, c2;
    hl_gridchain g;
    CHECK_OK(hl_class_rchain(mod, dim, 0.8, &c));
    CHECK_OK(hl_class_gridchain(mod, dim, 0.8, &g));
    double r1[6], r2[6];
    CHECK_OK(hl_rchain_spectrum(&c, 6, r1, NULL, NULL, NULL));
    CHECK_OK(hl_gridchain_spectrum(&g, 6, r2, NULL, NULL));
    for (int q = 0; q < 6; q++)
        assert_true(r1[q] == r2[q] || (isnan(r1[q]) && isnan(r2[q])));
    hl_class_fill f = {mod, dim};
    CHECK_OK(hl_class_rchain_fill(&f, 1.1, &c));
    CHECK_OK(hl_class_rchain(mod, dim, 1.1, &c2));
    assert_int_equal(c.m, c2.m);
    for (long i = 0; i < c.n; i++)
        assert_true(c.ln_pi[i] == c2.ln_pi[i]);
    for (long e = 0; e < c.m; e++)
        assert_true(c.ln_c[e] == c2.ln_c[e] && c.ea[e] == c2.ea[e] && c.eb[e] == c2.eb[e]);
    hl_rchain_free(&c);
    hl_rchain_free(&c2);
    hl_gridchain_free(&g);
    hl_model_free(mod);
}

/* ------------------------------------------------------------ ARPACK */

typedef struct {
    long n;
    const double *d;
    double shift; /* mode 3: y = x / (d - shift) */
    int mode;
} diag_op;

static int diag_apply(void *ctx, const double *x, double *y)
{
    const diag_op *o = ctx;
    for (long i = 0; i < o->n; i++)
        y[i] = o->mode == 1 ? o->d[i] * x[i] : x[i] / (o->d[i] - o->shift);
    return HL_OK;
}

/* the driver on a diagonal operator with known eigenvalues: mode 1 with
 * "LA" and "SA", mode 3 around a shift */
static void test_arpack_driver(void **state)
{
    (void)state;
    long n = 200;
    double *d = malloc(sizeof(double) * (size_t)n), *w = malloc(sizeof(double) * 5),
           *z = malloc(sizeof(double) * (size_t)n * 5);
    for (long i = 0; i < n; i++)
        d[i] = 1.0 + (double)((i * 37) % n); /* a permutation of 1..n */
    const char *which[] = {"LA", "SA", "LM"};
    for (int t = 0; t < 3; t++) {
        diag_op o = {n, d, 0.0, t == 2 ? 3 : 1};
        if (t == 2)
            o.shift = 50.3;
        hl_arpack_problem pb = {.n = n, .nev = 5, .which = which[t], .mode = o.mode,
                                .sigma = o.shift, .tol = 1e-14, .op = diag_apply, .ctx = &o};
        hl_arpack_info info;
        CHECK_OK(hl_arpack_symmetric(&pb, w, z, &info));
        assert_true(info.applies > 0);
        qsort(w, 5, sizeof(double), cmp_double);
        for (int q = 0; q < 5; q++) {
            double ref = t == 0 ? (double)(n - 4 + q) : t == 1 ? (double)(q + 1)
                                                              : (double)(48 + q);
            CHECK_REL(w[q], ref, 1e-12);
        }
    }
    { /* values only (rvec = 0), as the matrix-free Lanczos of master.c uses it */
        diag_op o = {n, d, 0.0, 1};
        hl_arpack_problem pb = {.n = n, .nev = 3, .ncv = 40, .which = "LA", .mode = 1,
                                .tol = 1e-12, .max_restarts = 200000, .op = diag_apply,
                                .ctx = &o};
        CHECK_OK(hl_arpack_symmetric(&pb, w, NULL, NULL));
        qsort(w, 3, sizeof(double), cmp_double);
        for (int q = 0; q < 3; q++)
            CHECK_REL(w[q], (double)(n - 2 + q), 1e-12);
    }
    hl_arpack_problem bad = {.n = n, .nev = 0, .which = "LA", .mode = 1, .op = diag_apply};
    assert_int_equal(hl_arpack_symmetric(&bad, w, z, NULL), HL_EINVAL);
    free(d);
    free(w);
    free(z);
}

/* ---------------------------------------------------------------- errors */

static void test_errors(void **state)
{
    (void)state;
    long a[3] = {0, 1, 2}, b[3] = {1, 2, 0};
    double lp[3] = {0, 0.5, 1}, lc[3] = {0, 0, 0}, r[3];
    hl_rchain c;
    make_chain(&c, 3, 3, a, b, lp, lc, NULL);
    CHECK_OK(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL));
    assert_int_equal(hl_rchain_spectrum(&c, 0, r, NULL, NULL, NULL), HL_EINVAL);
    /* methods by name: unknown, and shift-invert on a chain too small for it */
    assert_int_equal(hl_rchain_spectrum_by(&c, "qz", 3, r, NULL, NULL, NULL), HL_EINVAL);
    assert_int_equal(hl_rchain_spectrum_by(&c, "shift-invert", 2, r, NULL, NULL, NULL),
                     HL_EINVAL);
    CHECK_OK(hl_rchain_spectrum_by(&c, "dense", 3, r, NULL, NULL, NULL));
    assert_int_equal(hl_rchain_spectrum(&c, 3, NULL, NULL, NULL, NULL), HL_EINVAL);
    c.eb[2] = 3; /* bad end */
    assert_int_equal(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL), HL_EINVAL);
    c.eb[2] = 2; /* self-loop */
    assert_int_equal(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL), HL_EINVAL);
    c.ea[2] = 1; /* duplicate 1 -- 2 (reversed) */
    c.eb[2] = 2;
    c.ea[1] = 2;
    c.eb[1] = 1;
    assert_int_equal(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL), HL_EINVAL);
    assert_non_null(strstr(hl_errmsg(), "both join"));
    c.ea[1] = 1;
    c.eb[1] = 2;
    c.ea[2] = 2;
    c.eb[2] = 0;
    c.ln_pi[1] = NAN;
    assert_int_equal(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL), HL_EDOM);
    c.ln_pi[1] = 0.5;
    c.ln_c[0] = NAN;
    assert_int_equal(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL), HL_EDOM);
    c.ln_c[0] = INFINITY;
    assert_int_equal(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL), HL_EDOM);
    c.ln_c[0] = 800; /* the rate overflows */
    assert_int_equal(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL), HL_ERANGE);
    c.ln_c[0] = 0;
    for (long i = 0; i < 3; i++)
        c.ln_pi[i] = -INFINITY; /* no state */
    assert_int_equal(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL), HL_EINVAL);
    hl_rchain_free(&c);
    /* exits: NaN, and the evolution of a chain with exits */
    double le[3] = {-INFINITY, NAN, -INFINITY};
    make_chain(&c, 3, 3, a, b, lp, lc, le);
    assert_int_equal(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL), HL_EDOM);
    c.ln_exit[1] = 0;
    CHECK_OK(hl_rchain_spectrum(&c, 3, r, NULL, NULL, NULL));
    assert_true(r[0] > 0);
    double p0[3] = {1, 0, 0}, t1[1] = {1}, out[3];
    assert_int_equal(hl_rchain_evolve(&c, NULL, NULL, NULL, p0, t1, 1, 0, out, NULL),
                     HL_EINVAL);
    hl_rchain_slow s;
    assert_int_equal(hl_rchain_slow_rates(&c, &s), HL_EINVAL);
    c.ln_exit[1] = -INFINITY;
    /* p0 that does not sum to 1 */
    p0[1] = 0.5;
    assert_int_equal(hl_rchain_evolve(&c, NULL, NULL, NULL, p0, t1, 1, 0, out, NULL), HL_EDOM);
    hl_rchain_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spectrum_random_hubs),
        cmocka_unit_test(test_spectrum_vectors),
        cmocka_unit_test(test_spectrum_ring),
        cmocka_unit_test(test_spectrum_complete_and_star),
        cmocka_unit_test(test_spectrum_components),
        cmocka_unit_test(test_spectrum_exits),
        cmocka_unit_test(test_spectrum_huge_span),
        cmocka_unit_test(test_capacity_vs_committor),
        cmocka_unit_test(test_evolve_vs_expm),
        cmocka_unit_test(test_evolve_protocol),
        cmocka_unit_test(test_evolve_protocol_wide),
        cmocka_unit_test(test_slow_modes),
        cmocka_unit_test(test_lumped_three_wells),
        cmocka_unit_test(test_evolve_five_wells),
        cmocka_unit_test(test_class_lattice_builder),
        cmocka_unit_test(test_arpack_driver),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
