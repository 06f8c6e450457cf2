/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_slow_methods.c -- the two log-space-capable methods for the slowest
 * rates (src/solvers/spectrum_gtl.c: Lanczos on the pseudo-inverse through
 * the graph transformation; spectrum_log.c: the fixed point on the reduced
 * pencil, with and without hints) and the graph transformation's double
 * elimination (gt_numeric_double.c).  References: closed forms (ring with
 * every rate twice, star with one rate n - 2 times, the biased walk with
 * ln pi spanning 1500), dense LAPACK where it resolves, and each method
 * against the other within the stated bounds; the double elimination
 * against the hl_xf one, bit for bit. */
#include "test_util.h"

#include <float.h>
#include <string.h>

#include "gt_factor.h"
#include "spectrum.h"

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;
static double urand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) * 0x1p-53;
}

static void make_chain(hl_rchain *c, long n, long m, const long *a, const long *b,
                       const double *ln_pi, const double *ln_c)
{
    CHECK_OK(hl_rchain_alloc(c, n, m, 0));
    for (long i = 0; i < n; i++)
        c->ln_pi[i] = ln_pi[i];
    for (long e = 0; e < m; e++) {
        c->ea[e] = a[e];
        c->eb[e] = b[e];
        c->ln_c[e] = ln_c[e];
    }
    CHECK_OK(hl_rchain_index(c));
}

/* A random landscape: n minima with energies E in [0, 1], a spanning tree
 * plus extra edges with barriers above both ends, at temperature T:
 * ln pi = -E / T, ln A = -(barrier - (E_a + E_b) / 2) / T (the network form
 * of eq 3.4), so rates span e^(1 / T) */
static void landscape(hl_rchain *c, long n, long extra, double T, uint64_t seed)
{
    rng_state = seed;
    long m = n - 1 + extra;
    unsigned char *adj = calloc((size_t)(n * n), 1);
    assert_non_null(adj);
    long *a = malloc(sizeof(long) * (size_t)m), *b = malloc(sizeof(long) * (size_t)m);
    double *lp = malloc(sizeof(double) * (size_t)n), *lc = malloc(sizeof(double) * (size_t)m);
    double *E = malloc(sizeof(double) * (size_t)n);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(lp);
    assert_non_null(lc);
    assert_non_null(E);
    for (long i = 0; i < n; i++) {
        E[i] = urand();
        lp[i] = -E[i] / T;
    }
    for (long e = 0; e < m; e++) {
        long u, v;
        if (e < n - 1) {
            u = e + 1;
            v = (long)(urand() * (double)(e + 1));
        } else {
            do {
                u = (long)(urand() * (double)n);
                v = (long)(urand() * (double)n);
            } while (u == v || adj[u * n + v]);
        }
        adj[u * n + v] = adj[v * n + u] = 1;
        a[e] = u;
        b[e] = v;
        double top = fmax(E[u], E[v]) + 0.05 + 0.6 * urand();
        lc[e] = -(top - 0.5 * (E[u] + E[v])) / T;
    }
    make_chain(c, n, m, a, b, lp, lc);
    free(a);
    free(b);
    free(lp);
    free(lc);
    free(E);
    free(adj);
}

/* the ring (every nonzero rate twice) and the star (A n - 2 times): the
 * deflated runs find every copy */
static void test_gtl_repeated_rates(void **state)
{
    (void)state;
    for (int kind = 0; kind < 2; kind++) {
        long n = kind == 0 ? 41 : 30, m = kind == 0 ? n : n - 1;
        long a[41], b[41];
        double lp[41], lc[41], A = 0.37;
        for (long i = 0; i < m; i++) {
            a[i] = kind == 0 ? i : 0;
            b[i] = kind == 0 ? (i + 1) % n : i + 1;
            lc[i] = log(A);
        }
        for (long i = 0; i < n; i++)
            lp[i] = 0.5;
        hl_rchain c;
        make_chain(&c, n, m, a, b, lp, lc);
        enum { K = 8 };
        double lr[K], err[K], ref[K];
        for (int q = 0; q < K; q++) {
            int j = (q + 1) / 2; /* ring: 0, 1, 1, 2, 2, ... */
            ref[q] = kind == 0 ? A * (2 - 2 * cos(2 * TEST_PI * j / (double)n)) : A;
        }
        CHECK_OK(hl_rchain_slow_rates_gtl(&c, K, 1e-3, lr, err, NULL, NULL, NULL, 0));
        assert_true(lr[0] == -INFINITY);
        for (int q = 1; q < K; q++) {
            assert_false(isnan(lr[q]));
            CHECK_REL(exp(lr[q]), ref[q], 1e-12);
            assert_true(err[q] < 1e-12);
        }
        hl_rchain_free(&c);
    }
}

/* the reflecting biased walk: ln pi = -D i spans 1500, rates known in
 * closed form and below the double range (a cluster: 41 states, so that
 * Lanczos spans the whole space) */
static void test_gtl_biased_walk(void **state)
{
    (void)state;
    enum { N = 41 };
    double D = 37.5, lnA = -700.0;
    long a[N - 1], b[N - 1];
    double lp[N], lc[N - 1];
    for (long i = 0; i < N; i++)
        lp[i] = -D * (double)i;
    for (long i = 0; i + 1 < N; i++) {
        a[i] = i;
        b[i] = i + 1;
        lc[i] = lnA;
    }
    hl_rchain c;
    make_chain(&c, N, N - 1, a, b, lp, lc);
    enum { K = 6 };
    double lr[K], err[K];
    CHECK_OK(hl_rchain_slow_rates_gtl(&c, K, 1e-3, lr, err, NULL, NULL, NULL, 0));
    for (int j = 1; j < K; j++) {
        /* ln(A (e^{D/2} + e^{-D/2} - 2 cos(pi j / n))) */
        double ref = lnA + log(exp(D / 2) + exp(-D / 2) - 2 * cos(TEST_PI * j / (double)N));
        assert_false(isnan(lr[j]));
        assert_true(fabs(lr[j] - ref) <= fmax(err[j], 1e-15) + 4 * DBL_EPSILON * fabs(ref));
    }
    hl_rchain_free(&c);
}

/* random landscapes at several temperatures: every value each method gives
 * agrees with every other method's within the stated bounds (gt-lanczos,
 * the log-space fixed point with and without hints, dense LAPACK), and
 * together they resolve every rate (the log-space method declines weakly
 * separated rates, gt-lanczos rates far above the slowest, dense rates far
 * below the fastest) */
static void test_gtl_vs_log_space(void **state)
{
    (void)state;
    const double temps[] = {0.5, 0.1, 0.03, 0.01};
    int by[3] = {0, 0, 0}, covered = 0, total = 0;
    for (int t = 0; t < 4; t++)
        for (uint64_t seed = 1; seed <= 3; seed++) {
            hl_rchain c;
            landscape(&c, 250, 400, temps[t], seed * 7919);
            enum { K = 7 };
            double lg[K], ge[K], ll[K], lh[K], rel_l, rel_h, rd[K];
            double *phi = malloc(sizeof(double) * K * 250);
            assert_non_null(phi);
            CHECK_OK(hl_rchain_slow_rates_gtl(&c, K, 1e-3, lg, ge, phi, NULL, NULL, 0));
            CHECK_OK(hl_rchain_slow_rates_log(&c, K, ll, &rel_l, NULL, 0));
            CHECK_OK(hl_rchain_slow_rates_log_hint(&c, K, phi, lg, NULL, lh, &rel_h, NULL, 0));
            double res = NAN;
            int ds = hl_rchain_spectrum(&c, K, rd, NULL, &res, NULL);
            for (int q = 1; q < K; q++) {
                int dense_ok = !ds && rd[q] > 0 && res / rd[q] < 1e-3;
                double rdr = dense_ok ? res / rd[q] : INFINITY;
                total++;
                /* T = 0.5, seed 1, rate 1: the log-space fixed point had
                 * settled on a pole of the Schur complement (e^-4.168 for
                 * e^-2.318) before the pivot-margin check */
                if (!isnan(ll[q])) {
                    if (dense_ok)
                        assert_true(fabs(expm1(ll[q] - log(rd[q]))) <= 2 * (rdr + rel_l) + 1e-14);
                    if (!isnan(lg[q]))
                        assert_true(fabs(expm1(lg[q] - ll[q])) <= 2 * (ge[q] + rel_l) + 1e-14);
                }
                if (!isnan(lh[q]) && !isnan(ll[q]))
                    assert_true(fabs(lh[q] - ll[q]) <= 2 * (rel_l + rel_h) + 1e-14);
                if (!isnan(lh[q]) && dense_ok)
                    assert_true(fabs(expm1(lh[q] - log(rd[q]))) <= 2 * (rdr + rel_h) + 1e-14);
                if (!isnan(lg[q]) && dense_ok)
                    assert_true(fabs(expm1(lg[q] - log(rd[q]))) <= 2 * (rdr + ge[q]) + 1e-14);
                by[0] += rdr <= 1e-10;
                by[1] += ge[q] <= 1e-10;
                by[2] += !isnan(ll[q]) || !isnan(lh[q]);
                covered += rdr <= 1e-10 || ge[q] <= 1e-10 || !isnan(ll[q]) || !isnan(lh[q]);
            }
            free(phi);
            hl_rchain_free(&c);
        }
    print_message("of %d rates: dense resolves %d, gt-lanczos %d, log space %d, together %d\n",
                  total, by[0], by[1], by[2], covered);
    assert_int_equal(covered, total);
    for (int m = 0; m < 3; m++) /* each method does part of the work */
        assert_true(by[m] >= 8);
}

/* one nonzero rate wanted (k = 2): the same slowest rate as with more,
 * not the Rayleigh quotient of the start vector (a single Ritz value has no
 * gap, and its residual alone must decide convergence) */
static void test_gtl_single_rate(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        hl_rchain c;
        landscape(&c, 250, 400, 0.1, seed * 104729);
        double l2[2], e2[2], l6[6], e6[6];
        CHECK_OK(hl_rchain_slow_rates_gtl(&c, 2, 1e-3, l2, e2, NULL, NULL, NULL, 0));
        CHECK_OK(hl_rchain_slow_rates_gtl(&c, 6, 1e-3, l6, e6, NULL, NULL, NULL, 0));
        assert_false(isnan(l2[1]));
        assert_true(fabs(expm1(l2[1] - l6[1])) <= 2 * (e2[1] + e6[1]) + 1e-14);
        hl_rchain_free(&c);
    }
}

/* the double elimination gives the hl_xf factor bit for bit where the
 * numbers fit, and declines (HL_EDOM) where they do not */
static void test_double_elimination(void **state)
{
    (void)state;
    const double temps[] = {1.0, 0.05, 0.01, 0.0005};
    int used = 0, declined = 0;
    for (int t = 0; t < 4; t++)
        for (int shifted = 0; shifted < 2; shifted++) {
            hl_rchain c;
            landscape(&c, 300, 500, temps[t], 1234 + (uint64_t)t);
            unsigned char *absorb = calloc(300, 1);
            assert_non_null(absorb);
            absorb[0] = HL_PASS_TO_A;
            absorb[7] = HL_PASS_TO_B;
            hl_pass_problem p = {&c, absorb};
            /* a shift below the slowest Dirichlet rate: half the rate out of
             * the slowest state's neighbourhood is safe; 0 when unshifted */
            double ln_lambda = shifted ? -2.0 / temps[t] : -INFINITY;
            int old = hl_gt_double_enabled(0);
            gt_t g;
            int sx = hl_gt_factor(&p, ln_lambda, &g, NULL);
            hl_gt_double_enabled(old);
            if (sx == HL_ERANGE) { /* the shift was too large: skip */
                free(absorb);
                hl_rchain_free(&c);
                continue;
            }
            CHECK_OK(sx);
            long lnz = g.lp[g.nf];
            hl_xf *lx = malloc(sizeof(hl_xf) * (size_t)(lnz + 1));
            hl_xf *dg = malloc(sizeof(hl_xf) * (size_t)g.nf);
            assert_non_null(lx);
            assert_non_null(dg);
            memcpy(lx, g.lx, sizeof(hl_xf) * (size_t)lnz);
            memcpy(dg, g.dg, sizeof(hl_xf) * (size_t)g.nf);
            int sd = hl_gt_numeric_double(&g, hl_xf_exp(ln_lambda));
            if (sd == HL_EDOM) {
                declined++;
            } else {
                CHECK_OK(sd);
                used++;
                for (long q = 0; q < lnz; q++)
                    assert_true(lx[q].m == g.lx[q].m && lx[q].e == g.lx[q].e);
                for (long k = 0; k < g.nf; k++)
                    assert_true(dg[k].m == g.dg[k].m && dg[k].e == g.dg[k].e);
            }
            free(lx);
            free(dg);
            hl_gt_free(&g);
            free(absorb);
            hl_rchain_free(&c);
        }
    assert_true(used >= 4);
    assert_true(declined >= 1);
}

/* A chain above the dense limit whose in-basin rates gt-lanczos cannot
 * resolve (far above the tunnelling rate) but the double eigensolver can
 * (not far below the exits): hl_chain_slow_rates must take them from
 * the Rayleigh-Ritz step on gt-lanczos's vectors or from shift-invert, not
 * from the log-space method (which refactorises the
 * chain per rate: minutes at k = 3, D = 60).  The class lattice of three
 * blocks of 12; every rate against hl_chain_spectrum. */
static void test_shift_invert_after_gtl(void **state)
{
    (void)state;
    long sz[3] = {12, 12, 12};
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(3, sz, "(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2", &b));
    hl_chain *c = NULL;
    CHECK_OK(hl_blocks_chain(b, 0.9, &c));
    hl_chain_plan *p = NULL;
    CHECK_OK(hl_chain_plan_create(c, 0.9, &p));
    double lr[10], r[10];
    char why[600];
    hl_chain_result res;
    CHECK_OK(hl_chain_slow_rates(p, 10, lr, why, sizeof why, &res));
    assert_null(strstr(res.method, "log-space"));
    assert_true(strstr(res.method, "shift-invert") || strstr(res.method, "rayleigh-ritz"));
    CHECK_OK(hl_chain_spectrum(p, 10, r, NULL));
    for (int q = 1; q < 10; q++) {
        assert_false(isnan(lr[q]));
        CHECK_REL(exp(lr[q]), r[q], 1e-9);
    }
    hl_chain_plan_free(p);
    hl_chain_free(c);
    hl_blocks_free(b);
}

/* The in-basin rates from the Rayleigh-Ritz step on gt-lanczos's vectors
 * (no shift-invert factor), on chains above the dense limit whose rates
 * come in exactly degenerate pairs (a phi separable in two pairs of blocks,
 * symmetric under swapping them: the rates of one copy's chain plus the
 * other's), and shift-invert where the step's bound is not met: every
 * rate against shift-invert
 * (hl_chain_spectrum) within the resolutions, each rate of a pair equal to
 * the other's, the resolution stated the double solver's. */
static void test_ritz_in_basin(void **state)
{
    (void)state;
    struct {
        int k;
        long h;
        double beta;
        const char *phi;
        int pairs;
        const char *method;
    } cs[] = {
        /* blocks of 6 (2401 classes): with blocks of 7 and 8 (4096, 6561)
         * the elimination tree's height (about 1200) puts gt-lanczos's
         * rounding, 4u (2h + 8), at 1.1e-12 of the slowest rate, above
         * the 1e-12 the step needs (the log-space method and shift-invert
         * then give the rates) */
        {4, 6, 0.9,
         "0.5*(m1-(m2+0.2)^2+0.38*(m2+0.2)^3)+0.5*(m3-(m4+0.2)^2+0.38*(m4+0.2)^3)", 1,
         "gt-lanczos + rayleigh-ritz"},
        {4, 6, 1.05,
         "0.5*(m1-(m2+0.2)^2+0.38*(m2+0.2)^3)+0.5*(m3-(m4+0.2)^2+0.38*(m4+0.2)^3)", 1,
         "gt-lanczos + rayleigh-ritz"},
        /* the 10th rate and its copy plus the tunnelling rate (2.7e-8)
         * 2.5e-9 apart, split by the space of 10 rates (and gt-lanczos's
         * vectors 1e-8 off, its rounding 1e8 times the in-basin rates):
         * the Rayleigh-Ritz step would give a mixture, 1.4e-9 off */
        {3, 12, 0.9, "(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2", 0,
         "gt-lanczos + shift-invert"},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        long sz[4] = {cs[i].h, cs[i].h, cs[i].h, cs[i].h};
        hl_blocks *b = NULL;
        CHECK_OK(hl_blocks_create(cs[i].k, sz, cs[i].phi, &b));
        hl_chain *c = NULL;
        CHECK_OK(hl_blocks_chain(b, cs[i].beta, &c));
        hl_chain_plan *p = NULL;
        CHECK_OK(hl_chain_plan_create(c, cs[i].beta, &p));
        long states = 1;
        for (int j = 0; j < cs[i].k; j++)
            states *= cs[i].h + 1;
        assert_true(states > hl_rchain_dense_limit(-1));
        double lr[10], r[10];
        char why[600];
        hl_chain_result res, sres;
        CHECK_OK(hl_chain_slow_rates(p, 10, lr, why, sizeof why, &res));
        assert_string_equal(res.method, cs[i].method);
        CHECK_OK(hl_chain_spectrum(p, 10, r, &sres));
        assert_string_equal(sres.method, "shift-invert");
        /* the methods' 1e-12 plus the rounding of the chain's numbers
         * (hl_blocks_chain's input errors, about 1.5e-13 here) */
        assert_true(res.resolution <= 1.5e-12);
        for (int q = 1; q < 10; q++) {
            assert_false(isnan(lr[q]));
            double rel = sres.resolution / r[q];
            CHECK_REL(exp(lr[q]), r[q], 2 * (rel + res.resolution) + 1e-14);
        }
        if (cs[i].pairs) { /* the slowest twice, and most others */
            CHECK_REL(exp(lr[1]), exp(lr[2]), 2 * res.resolution);
            int partnered = 0;
            for (int q = 1; q < 10; q++)
                for (int q2 = 1; q2 < 10; q2++)
                    if (q2 != q && fabs(expm1(lr[q2] - lr[q])) <= 2 * res.resolution) {
                        partnered++;
                        break;
                    }
            assert_true(partnered >= 6);
        }
        hl_chain_plan_free(p);
        hl_chain_free(c);
        hl_blocks_free(b);
    }
}


/* Two independent copies of one double-well walk (the product chain, as
 * k = 4 blocks of two copies of the paper's system): every slow rate of
 * the copy twice, then their sum.  The fixed point for the first of an
 * exactly degenerate pair cannot settle (the other copy's well is a slow
 * basin of the free states: its pivot nearly cancels at the rate); it must
 * give up with the reason, within its budget, and every rate it returns
 * must be right (against the single copy's rate, not degenerate). */
static void test_log_space_degenerate_pair(void **state)
{
    (void)state;
    enum { N1 = 7, N = N1 * N1, M = 2 * N1 * (N1 - 1) };
    /* the copy: ln pi of a double well, barrier in the middle */
    const double e1[N1] = {0, 3, 6, 9, 6, 3, 0.4};
    long a[M], b[M];
    double lp[N], lc[M];
    long m = 0;
    for (long i = 0; i < N1; i++)
        for (long j = 0; j < N1; j++) {
            lp[i * N1 + j] = -e1[i] - e1[j];
            if (i + 1 < N1) { /* copy 1 moves; conductance pi_copy1 A */
                a[m] = i * N1 + j;
                b[m] = (i + 1) * N1 + j;
                lc[m++] = -fmax(e1[i], e1[i + 1]) - e1[j] - 0.5 * (lp[i * N1 + j] +
                          (-e1[i + 1] - e1[j]));
            }
            if (j + 1 < N1) {
                a[m] = i * N1 + j;
                b[m] = i * N1 + j + 1;
                lc[m++] = -fmax(e1[j], e1[j + 1]) - e1[i] - 0.5 * (lp[i * N1 + j] +
                          (-e1[i] - e1[j + 1]));
            }
        }
    assert_int_equal(m, M);
    hl_rchain c;
    make_chain(&c, N, M, a, b, lp, lc);
    /* the copy alone */
    long a1[N1 - 1], b1[N1 - 1];
    double lp1[N1], lc1[N1 - 1];
    for (long i = 0; i < N1; i++)
        lp1[i] = -e1[i];
    for (long i = 0; i + 1 < N1; i++) {
        a1[i] = i;
        b1[i] = i + 1;
        lc1[i] = -fmax(e1[i], e1[i + 1]) - 0.5 * (-e1[i] - e1[i + 1]);
    }
    hl_rchain c1;
    make_chain(&c1, N1, N1 - 1, a1, b1, lp1, lc1);
    double l1[2], r1;
    CHECK_OK(hl_rchain_slow_rates_log(&c1, 2, l1, &r1, NULL, 0));
    assert_false(isnan(l1[1]));
    enum { K = 4 };
    double lr[K], rel;
    char why[300] = "";
    CHECK_OK(hl_rchain_slow_rates_log(&c, K, lr, &rel, why, sizeof why));
    const double ref[K] = {-INFINITY, l1[1], l1[1], l1[1] + log(2.0)};
    for (int q = 1; q < K; q++)
        if (!isnan(lr[q]))
            CHECK_REL(exp(lr[q]), exp(ref[q]), 1e-11);
    /* the first rate is left, stopped by the projection of its steps (not
     * after all 60 of them: 'did not settle in 60 steps') */
    assert_true(isnan(lr[1]));
    assert_non_null(strstr(why, "converges too slowly"));
    hl_rchain_free(&c);
    hl_rchain_free(&c1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gtl_repeated_rates),
        cmocka_unit_test(test_gtl_biased_walk),
        cmocka_unit_test(test_gtl_vs_log_space),
        cmocka_unit_test(test_gtl_single_rate),
        cmocka_unit_test(test_double_elimination),
        cmocka_unit_test(test_shift_invert_after_gtl),
        cmocka_unit_test(test_ritz_in_basin),
        cmocka_unit_test(test_log_space_degenerate_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
