/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_gt_supernodal.c -- the graph transformation's supernodal elimination
 * (src/solvers/gt_supernodal.c) against the scalar one (passage_gt.c /
 * gt_numeric_double.c, kept callable through hl_gt_supernodal_mode(0)):
 * every conductance and pivot of the factor and the solves to 1e-12
 * relative, on the class lattice of three blocks (a 3-D lattice), on a
 * network of tests/data (LJ13), with a shift (the pencil Q - lambda M, and
 * its refactor), and the slowest rates of gt-lanczos through the supernodal
 * factor against the dense eigensolver. */
#include "test_util.h"

#include <omp.h>

#include <float.h>
#include <string.h>

#include <hyperland/blocks.h>
#include <hyperland/network.h>

#include "chain_plan.h"
#include "gt_factor.h"
#include "spectrum.h"

static double xf_rel(hl_xf a, hl_xf b)
{
    if (a.m == 0.0 && b.m == 0.0)
        return 0.0;
    if (a.m == 0.0 || b.m == 0.0)
        return INFINITY;
    return fabs(expm1(hl_xf_log(a) - hl_xf_log(b)));
}

/* the factor of p at ln_lambda both ways: status of each, and with both OK
 * the largest relative difference of the entries, pivots and a solve (b =
 * the masses, and b = 1 on every third state through hl_gt_solve2) */
static double compare(const hl_pass_problem *p, double ln_lambda, int *st_scalar, int *st_sn,
                      int *used_sn)
{
    int old = hl_gt_supernodal_mode(0);
    gt_t a, s;
    *st_scalar = hl_gt_factor(p, ln_lambda, &a, NULL);
    hl_gt_supernodal_mode(2);
    *st_sn = hl_gt_factor(p, ln_lambda, &s, NULL);
    hl_gt_supernodal_mode(old);
    double worst = 0;
    *used_sn = 0;
    if (*st_scalar == HL_OK && *st_sn == HL_OK) {
        long nf = a.nf, lnz = a.lp[nf];
        assert_int_equal(s.nf, nf);
        assert_int_equal(s.lp[nf], lnz);
        assert_null(a.sn);
        *used_sn = s.sn != NULL;
        hl_xf *lx = malloc(sizeof(hl_xf) * (size_t)(lnz + 1));
        hl_xf *dg = malloc(sizeof(hl_xf) * (size_t)(nf + 1));
        hl_xf *b1 = malloc(sizeof(hl_xf) * (size_t)(nf + 1)), *b2 = malloc(sizeof(hl_xf) * (size_t)(nf + 1));
        hl_xf *b3 = malloc(sizeof(hl_xf) * (size_t)(nf + 1)), *b4 = malloc(sizeof(hl_xf) * (size_t)(nf + 1));
        hl_xf *x1 = malloc(sizeof(hl_xf) * (size_t)(nf + 1)), *x2 = malloc(sizeof(hl_xf) * (size_t)(nf + 1));
        hl_xf *x3 = malloc(sizeof(hl_xf) * (size_t)(nf + 1)), *x4 = malloc(sizeof(hl_xf) * (size_t)(nf + 1));
        assert_true(lx && dg && b1 && b2 && b3 && b4 && x1 && x2 && x3 && x4);
        if (s.sn) {
            hl_gt_sn_export(&s, lx, dg);
        } else { /* declined (HL_EDOM): the scalar elimination, the same */
            memcpy(lx, s.lx, sizeof(hl_xf) * (size_t)lnz);
            memcpy(dg, s.dg, sizeof(hl_xf) * (size_t)nf);
        }
        for (long q = 0; q < lnz; q++) {
            assert_int_equal(a.li[q], s.li[q]);
            worst = fmax(worst, xf_rel(lx[q], a.lx[q]));
        }
        for (long k = 0; k < nf; k++)
            worst = fmax(worst, xf_rel(dg[k], a.dg[k]));
        for (long k = 0; k < nf; k++) {
            b1[k] = b3[k] = a.rhs[k];
            b2[k] = b4[k] = k % 3 == 0 ? hl_xf_exp(0.0) : hl_xf_zero();
        }
        hl_gt_solve(&a, b1, x1);
        hl_gt_solve(&a, b2, x2);
        hl_gt_solve2(&s, b3, x3, b4, x4);
        for (long k = 0; k < nf; k++) {
            worst = fmax(worst, xf_rel(x3[k], x1[k]));
            worst = fmax(worst, xf_rel(x4[k], x2[k]));
            worst = fmax(worst, xf_rel(b3[k], b1[k])); /* the forward values */
            worst = fmax(worst, xf_rel(b4[k], b2[k]));
        }
        if (ln_lambda > -INFINITY)
            worst = fmax(worst, fabs(s.margin - a.margin) / a.margin);
        free(lx);
        free(dg);
        free(b1);
        free(b2);
        free(b3);
        free(b4);
        free(x1);
        free(x2);
        free(x3);
        free(x4);
    }
    if (*st_scalar == HL_OK)
        hl_gt_free(&a);
    if (*st_sn == HL_OK)
        hl_gt_free(&s);
    return worst;
}

static hl_chain_plan *blocks_plan(long h, double beta, hl_blocks **b, hl_chain **c)
{
    long sz[3] = {h, h, h};
    CHECK_OK(hl_blocks_create(3, sz, "(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2", b));
    CHECK_OK(hl_blocks_chain(*b, beta, c));
    hl_chain_plan *p = NULL;
    CHECK_OK(hl_chain_plan_create(*c, beta, &p));
    return p;
}

/* the 3-D class lattice (blocks of 8, 12, 16: 729 to 4913 classes), one
 * absorbing state (the gt-lanczos problem) and two (A, B: first passage) */
static void test_lattice(void **state)
{
    (void)state;
    const long hs[] = {8, 12, 16};
    const double betas[] = {0.9, 2.5};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++) {
            hl_blocks *b;
            hl_chain *c;
            hl_chain_plan *p = blocks_plan(hs[i], betas[j], &b, &c);
            long n = p->rc.n, top = 0;
            for (long a = 1; a < n; a++)
                if (p->rc.ln_pi[a] > p->rc.ln_pi[top])
                    top = a;
            unsigned char *absorb = calloc((size_t)n, 1);
            assert_non_null(absorb);
            for (int two = 0; two < 2; two++) {
                memset(absorb, 0, (size_t)n);
                absorb[two ? 0 : top] = HL_PASS_TO_A;
                if (two)
                    absorb[n - 1] = HL_PASS_TO_B;
                hl_pass_problem pp = {&p->rc, absorb};
                int s1, s2, used;
                double w = compare(&pp, -INFINITY, &s1, &s2, &used);
                CHECK_OK(s1);
                CHECK_OK(s2);
                assert_true(used);
                assert_true(w <= 1e-12);
            }
            free(absorb);
            hl_chain_plan_free(p);
            hl_chain_free(c);
            hl_blocks_free(b);
        }
}

/* with a shift: below the principal Dirichlet eigenvalue both factors are
 * OK and agree (pivots, margin), above it both report HL_ERANGE; the
 * refactor of a supernodal factor at another shift equals a fresh one */
static void test_shifted(void **state)
{
    (void)state;
    hl_blocks *b;
    hl_chain *c;
    hl_chain_plan *p = blocks_plan(12, 0.9, &b, &c);
    long n = p->rc.n;
    unsigned char *absorb = calloc((size_t)n, 1);
    assert_non_null(absorb);
    long top = 0;
    for (long a = 1; a < n; a++)
        if (p->rc.ln_pi[a] > p->rc.ln_pi[top])
            top = a;
    absorb[top] = HL_PASS_TO_A;
    hl_pass_problem pp = {&p->rc, absorb};
    int ok = 0, range = 0;
    /* the pencil's shift in the factor's scale: lambda e^{shift} against
     * rates; a range of them across the Dirichlet eigenvalue */
    for (double ll = -60; ll <= 10; ll += 5) {
        int s1, s2, used;
        double w = compare(&pp, ll, &s1, &s2, &used);
        assert_int_equal(s1, s2);
        if (s1 == HL_OK) {
            ok++;
            assert_true(used);
            assert_true(w <= 1e-12);
        } else {
            assert_int_equal(s1, HL_ERANGE);
            range++;
        }
    }
    assert_true(ok >= 2);
    assert_true(range >= 1);
    /* refactor: factor unshifted, then at the shift, against a fresh one */
    int old = hl_gt_supernodal_mode(2);
    gt_t g, f;
    CHECK_OK(hl_gt_factor(&pp, -INFINITY, &g, NULL));
    assert_non_null(g.sn);
    double ll = -40;
    CHECK_OK(hl_gt_refactor(&pp, ll, &g, NULL));
    CHECK_OK(hl_gt_factor(&pp, ll, &f, NULL));
    for (long k = 0; k < g.nf; k++)
        assert_true(xf_rel(g.dg[k], f.dg[k]) == 0.0);
    hl_gt_free(&g);
    hl_gt_free(&f);
    hl_gt_supernodal_mode(old);
    free(absorb);
    hl_chain_plan_free(p);
    hl_chain_free(c);
    hl_blocks_free(b);
}

/* LJ13 (tests/data): at T = 0.02 in doubles; at T = 0.005 the numbers leave
 * the doubles' range (ln pi spans ~ 3000) and the supernodal step declines
 * to the scalar hl_xf elimination: the same factor either way */
static void test_network(void **state)
{
    (void)state;
    const double temps[] = {0.05, 0.02, 0.005};
    int used_any = 0, declined = 0;
    for (int t = 0; t < 3; t++) {
        hl_network *net = NULL;
        CHECK_OK(hl_network_read_pathsample_dir(HL_TEST_DATA_DIR "/LJ13", &net));
        CHECK_OK(hl_network_build(net, NULL));
        hl_chain_plan *p = NULL;
        CHECK_OK(hl_chain_plan_create(hl_network_chain(net), 1.0 / temps[t], &p));
        long n = p->rc.n, top = 0;
        for (long a = 1; a < n; a++)
            if (p->rc.ln_pi[a] > p->rc.ln_pi[top])
                top = a;
        unsigned char *absorb = calloc((size_t)n, 1);
        assert_non_null(absorb);
        absorb[top] = HL_PASS_TO_A;
        hl_pass_problem pp = {&p->rc, absorb};
        int s1, s2, used;
        double w = compare(&pp, -INFINITY, &s1, &s2, &used);
        CHECK_OK(s1);
        CHECK_OK(s2);
        assert_true(w <= 1e-12);
        used_any |= used;
        declined += !used;
        free(absorb);
        hl_chain_plan_free(p);
        hl_network_free(net);
    }
    assert_true(used_any);
    assert_true(declined >= 1);
}

/* the slowest rates of gt-lanczos through the supernodal factor against the
 * dense eigensolver (LAPACK) on the class lattice of three blocks of 8 (729
 * classes) and against gt-lanczos through the scalar factor */
static void test_rates_vs_dense(void **state)
{
    (void)state;
    const double betas[] = {0.5, 0.9};
    for (int j = 0; j < 2; j++) {
        hl_blocks *b;
        hl_chain *c;
        hl_chain_plan *p = blocks_plan(8, betas[j], &b, &c);
        double r[10], lr[10], err[10], lr0[10], err0[10];
        CHECK_OK(hl_chain_spectrum(p, 10, r, NULL));
        int old = hl_gt_supernodal_mode(2);
        CHECK_OK(hl_rchain_slow_rates_gtl(&p->rc, 10, 1e-3, lr, err, NULL, NULL, NULL, 0));
        hl_gt_supernodal_mode(0);
        CHECK_OK(hl_rchain_slow_rates_gtl(&p->rc, 10, 1e-3, lr0, err0, NULL, NULL, NULL, 0));
        hl_gt_supernodal_mode(old);
        int checked = 0;
        for (int q = 1; q < 10; q++) {
            if (isnan(lr[q]))
                continue;
            /* dense: absolute resolution ~ 100 eps nu_max */
            double tol = fmax(2 * err[q], 1e-9);
            CHECK_REL(exp(lr[q]), r[q], tol);
            assert_false(isnan(lr0[q]));
            CHECK_REL(exp(lr[q]), exp(lr0[q]), 2 * (err[q] + err0[q]) + 1e-12);
            checked++;
        }
        assert_true(checked >= 1);
        assert_false(isnan(lr[1]));
        hl_chain_plan_free(p);
        hl_chain_free(c);
        hl_blocks_free(b);
    }
}

/* the two solves of a gt-lanczos step on two threads (above 20000 states)
 * give its rates and vectors bit for bit as on one: the class lattice of
 * three blocks of 27 (21952 classes) */
static void test_solve2_threads(void **state)
{
    (void)state;
    hl_blocks *b;
    hl_chain *c;
    hl_chain_plan *p = blocks_plan(27, 0.9, &b, &c);
    long n = p->rc.n;
    assert_true(n > 20000);
    enum { K = 4 };
    double lr[2][K], err[2][K];
    double *phi[2] = {malloc(sizeof(double) * K * (size_t)n), malloc(sizeof(double) * K * (size_t)n)};
    assert_non_null(phi[0]);
    assert_non_null(phi[1]);
    for (int t = 0; t < 2; t++) {
        omp_set_num_threads(t + 1); /* OpenMP only: the BLAS of the factor as it is */
        CHECK_OK(hl_rchain_slow_rates_gtl(&p->rc, K, 1e-3, lr[t], err[t], phi[t], NULL, NULL, 0));
    }
    omp_set_num_threads(omp_get_num_procs());
    assert_false(isnan(lr[0][1]));
    for (int q = 1; q < K; q++) {
        assert_true(lr[0][q] == lr[1][q] || (isnan(lr[0][q]) && isnan(lr[1][q])));
        assert_true(err[0][q] == err[1][q] || (isnan(err[0][q]) && isnan(err[1][q])));
    }
    assert_memory_equal(phi[0], phi[1], sizeof(double) * K * (size_t)n);
    free(phi[0]);
    free(phi[1]);
    hl_chain_plan_free(p);
    hl_chain_free(c);
    hl_blocks_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lattice),
        cmocka_unit_test(test_shifted),
        cmocka_unit_test(test_network),
        cmocka_unit_test(test_rates_vs_dense),
        cmocka_unit_test(test_solve2_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
