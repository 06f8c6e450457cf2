/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks.c -- the model of k blocks (blocks.h, issue 12): the default
 * phi for two equal blocks is eq 4.11 (against hl_model_phi), formulas in
 * x, y equal their m1, m2 form with derivatives by the chain rule (against
 * central differences), w against hl_entropy_w and a direct sum, the class
 * numbering, and the class-lattice master equation against the master
 * equation on all 2^D vertices (the class chain is a lumping of it, so its
 * rates are rates of the vertex chain), for k = 1, 2, 3 and a
 * non-separable phi and B. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static hl_blocks *mk(int k, const long *sizes, const char *phi, const char *trans)
{
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(k, sizes, phi, &b));
    if (trans)
        CHECK_OK(hl_blocks_set_transmission(b, trans));
    return b;
}

static void test_default_is_paper(void **state)
{
    (void)state;
    long sz[2] = {10, 10};
    hl_blocks *b = mk(2, sz, NULL, NULL);
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    assert_true(hl_blocks_is_paper_pair(b));
    for (double x = -0.45; x <= 0.45; x += 0.15)
        for (double y = -0.45; y <= 0.45; y += 0.15) {
            double mm[2] = {x + y, x - y}, g[2], h[4];
            double phi = hl_blocks_phi_derivs(b, mm, g, h);
            CHECK_NEAR(phi, hl_model_phi(m, x, y), 1e-14, 1e-13);
            hl_phi_derivs d;
            hl_model_phi_derivs(m, x, y, &d);
            /* d/dm1 = (d/dx + d/dy) / 2, d/dm2 = (d/dx - d/dy) / 2 */
            CHECK_NEAR(g[0], 0.5 * (d.phi_x + d.phi_y), 1e-13, 1e-12);
            CHECK_NEAR(g[1], 0.5 * (d.phi_x - d.phi_y), 1e-13, 1e-12);
            CHECK_NEAR(h[0], 0.25 * (d.phi_xx + 2 * d.phi_xy + d.phi_yy), 1e-13, 1e-12);
            CHECK_NEAR(h[3], 0.25 * (d.phi_xx - 2 * d.phi_xy + d.phi_yy), 1e-13, 1e-12);
            CHECK_NEAR(h[1], 0.25 * (d.phi_xx - d.phi_yy), 1e-13, 1e-12);
            CHECK_NEAR(hl_blocks_w(b, mm, NULL, NULL), hl_entropy_w(x, y), 1e-14, 1e-13);
        }
    hl_model_free(m);
    hl_blocks_free(b);
}

/* A formula mixing x, y and m1, m2: derivatives against central
 * differences of phi itself. */
static void test_derivs_fd(void **state)
{
    (void)state;
    const char *f[] = {"x*y^2+sin(m1)*m2+exp(x-m2)", "m1*m2*m3+cos(m1+2*m3)^2+m2^4"};
    long s2[2] = {6, 6}, s3[3] = {4, 6, 8};
    for (int c = 0; c < 2; c++) {
        int k = c ? 3 : 2;
        hl_blocks *b = mk(k, c ? s3 : s2, f[c], NULL);
        double m[3] = {0.3, -0.2, 0.55}, g[3], h[9], e = 1e-5;
        hl_blocks_phi_derivs(b, m, g, h);
        for (int i = 0; i < k; i++) {
            double mp[3], mq[3], gp[3], gq[3];
            memcpy(mp, m, sizeof mp);
            memcpy(mq, m, sizeof mq);
            mp[i] += e;
            mq[i] -= e;
            double fp = hl_blocks_phi_derivs(b, mp, gp, NULL);
            double fq = hl_blocks_phi_derivs(b, mq, gq, NULL);
            CHECK_NEAR(g[i], (fp - fq) / (2 * e), 1e-8, 1e-8);
            for (int l = 0; l < k; l++)
                CHECK_NEAR(h[i * k + l], (gp[l] - gq[l]) / (2 * e), 1e-8, 1e-8);
        }
        hl_blocks_free(b);
    }
}

static void test_errors(void **state)
{
    (void)state;
    hl_blocks *b = NULL;
    long s3[3] = {4, 4, 4}, bad[2] = {4, 0}, s2u[2] = {4, 6};
    assert_int_equal(hl_blocks_create(3, s3, NULL, &b), HL_EINVAL); /* odd k, no phi */
    assert_int_equal(hl_blocks_create(2, bad, NULL, &b), HL_EINVAL);
    assert_int_equal(hl_blocks_create(0, s3, "m1", &b), HL_EINVAL);
    assert_int_equal(hl_blocks_create(3, s3, "m4", &b), HL_EPARSE);
    assert_int_equal(hl_blocks_create(3, s3, "x+m1", &b), HL_EPARSE); /* x only for pairs */
    assert_int_equal(hl_blocks_create(2, s2u, "x", &b), HL_EPARSE);   /* unequal pair */
    assert_int_equal(hl_blocks_create(3, s3, "1/(m1-0.3)", &b), HL_EDOM);
    assert_int_equal(hl_blocks_create(3, s3, "log(m2+1)", &b), HL_EDOM);
    assert_null(b);
    assert_int_equal(hl_blocks_create_equal(3, 10, "m1", &b), HL_EINVAL);
    CHECK_OK(hl_blocks_create(3, s3, "m1*m2", &b));
    assert_int_equal(hl_blocks_set_transmission(b, "m1"), HL_EDOM); /* B <= 0 somewhere */
    assert_int_equal(hl_blocks_set_transmission(b, "exp(m3+"), HL_EPARSE);
    CHECK_OK(hl_blocks_set_transmission(b, "exp(-m1^2/T)"));
    hl_chain *c = NULL;
    assert_int_equal(hl_blocks_chain(b, 0.0, &c), HL_EDOM);
    hl_blocks_free(b);
}

static void test_classes(void **state)
{
    (void)state;
    long sz[3] = {2, 3, 4};
    hl_blocks *b = mk(3, sz, "m1+m2*m3", NULL);
    assert_int_equal(hl_blocks_n_classes(b), 3 * 4 * 5);
    assert_int_equal(hl_blocks_dim(b), 9);
    long n[3];
    double m[3];
    CHECK_OK(hl_blocks_class(b, 1 * 20 + 2 * 5 + 3, n, m));
    assert_int_equal(n[0], 1);
    assert_int_equal(n[1], 2);
    assert_int_equal(n[2], 3);
    CHECK_ABS(m[0], 0.0, 0);
    CHECK_ABS(m[1], 2.0 * 2 / 3 - 1, 1e-16);
    CHECK_ABS(m[2], 0.5, 0);
    /* ln W sums to ln 2^D over all classes */
    double lse = -INFINITY;
    for (long i = 0; i < hl_blocks_n_classes(b); i++) {
        hl_blocks_class(b, i, n, NULL);
        double l = hl_blocks_ln_count(b, n);
        lse = fmax(lse, l) + log1p(exp(-fabs(lse - l)));
    }
    CHECK_REL(lse, 9 * log(2.0), 1e-14);
    assert_int_equal(hl_blocks_class(b, 60, n, m), HL_EINVAL);
    hl_blocks_free(b);
}

/* phi of a vertex: its block magnetisations */
static void vertex_m(const hl_blocks *b, unsigned v, double *m)
{
    int pos = 0;
    for (int i = 0; i < hl_blocks_k(b); i++) {
        long up = 0, Di = hl_blocks_size(b, i);
        for (long j = 0; j < Di; j++, pos++)
            up += (v >> pos) & 1u;
        m[i] = 2.0 * (double)up / (double)Di - 1.0;
    }
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every rate of the class chain is a rate of the vertex chain (lumping:
 * an eigenvector of the class chain lifts to one of the vertex chain). */
static void check_lumping(int k, const long *sz, const char *phi, const char *B, double beta)
{
    hl_blocks *b = mk(k, sz, phi, B);
    long D = hl_blocks_dim(b), nv = 1L << D, nc = hl_blocks_n_classes(b);
    hl_chain *vc = NULL, *cc = NULL;
    CHECK_OK(hl_chain_create(nv, &vc));
    double m[HL_BLOCKS_MAX], m2[HL_BLOCKS_MAX];
    for (long v = 0; v < nv; v++) {
        vertex_m(b, (unsigned)v, m);
        CHECK_OK(hl_chain_set_state(vc, v, 0.0, (double)D * hl_blocks_phi(b, m)));
    }
    for (long v = 0; v < nv; v++)
        for (int bit = 0; bit < D; bit++) {
            long u = v ^ (1L << bit);
            if (u < v)
                continue;
            vertex_m(b, (unsigned)v, m);
            vertex_m(b, (unsigned)u, m2);
            for (int i = 0; i < k; i++)
                m[i] = 0.5 * (m[i] + m2[i]);
            /* vertex rate B exp(-beta dPhi / 2): A = B (eq 3.4, weights e^{-beta Phi}) */
            CHECK_OK(hl_chain_add_edge(vc, v, u, log(hl_blocks_transmission(b, m, 1 / beta)), 0));
        }
    CHECK_OK(hl_blocks_chain(b, beta, &cc));
    hl_chain_plan *pv = NULL, *pc = NULL;
    CHECK_OK(hl_chain_plan_create(vc, beta, &pv));
    CHECK_OK(hl_chain_plan_create(cc, beta, &pc));
    double *rv = malloc(sizeof(double) * (size_t)nv), *rc = malloc(sizeof(double) * (size_t)nc);
    CHECK_OK(hl_chain_spectrum(pv, (int)nv, rv, NULL));
    CHECK_OK(hl_chain_spectrum(pc, (int)nc, rc, NULL));
    qsort(rv, (size_t)nv, sizeof(double), cmp_d);
    double top = rv[nv - 1];
    for (long j = 0; j < nc; j++) {
        double best = INFINITY;
        for (long i = 0; i < nv; i++)
            best = fmin(best, fabs(rv[i] - rc[j]));
        CHECK_ABS(best, 0.0, 1e-10 * top);
    }
    hl_chain_plan_free(pv);
    hl_chain_plan_free(pc);
    hl_chain_free(vc);
    hl_chain_free(cc);
    free(rv);
    free(rc);
    hl_blocks_free(b);
}

static void test_lumping(void **state)
{
    (void)state;
    long s1[1] = {6}, s2[2] = {3, 3}, s3[3] = {2, 2, 3}, s4[4] = {2, 1, 2, 2};
    check_lumping(1, s1, "0.3*m1^2-m1", NULL, 2.0);
    check_lumping(2, s2, NULL, NULL, 1.3);
    check_lumping(2, s2, "x*y+y^2", "exp(-3*y^2/T)", 0.7);
    check_lumping(3, s3, "m1*m2-0.5*m3^3+0.2*m1*m3", "1+m1^2*m3^2", 2.5);
    check_lumping(4, s4, NULL, "exp(m1*m4)", 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_is_paper), cmocka_unit_test(test_derivs_fd),
        cmocka_unit_test(test_errors),           cmocka_unit_test(test_classes),
        cmocka_unit_test(test_lumping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
