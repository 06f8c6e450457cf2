/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks_copies.c -- M copies of the paper's system with an interface
 * term (hl_blocks_create_copies, issue 12): phi is the copies' average of
 * eq 4.11 plus gamma I with I the variance of the copies' d; at gamma = 0
 * and the paper's melting point every mixture of crystalline and liquid
 * copies is a maximum of f with the same f (to 1e-10), M = 1 .. 4; for
 * gamma > 0 the pure states keep their f and are still maxima, while f is
 * lowered by beta gamma I >= 0 everywhere, strictly at every mixed state
 * (so the mixed states' free energy rises with gamma); errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* f = w - beta phi and its gradient in m */
static double f_grad(const hl_blocks *b, double beta, const double *m, double *g)
{
    double gp[8], gw[8];
    double phi = hl_blocks_phi_derivs(b, m, gp, NULL);
    double w = hl_blocks_w(b, m, gw, NULL);
    for (int i = 0; i < hl_blocks_k(b); i++)
        g[i] = gw[i] - beta * gp[i];
    return w - beta * phi;
}

/* the paper's two maxima (s, d) at its melting point */
static double paper_melting(double sd[2][2])
{
    hl_model *m = NULL;
    hl_phases *ph = NULL;
    hl_melting mt;
    CHECK_OK(hl_model_create(NULL, &m));
    CHECK_OK(hl_phases_compute(m, 0.4, 1.2, 161, &ph));
    assert_true(hl_phases_melting_count(ph) >= 1);
    CHECK_OK(hl_phases_melting(ph, 0, &mt));
    const hl_stationary *p[2] = {&mt.a, &mt.b};
    for (int q = 0; q < 2; q++) {
        sd[q][0] = p[q]->x + p[q]->y;
        sd[q][1] = p[q]->x - p[q]->y;
    }
    double beta = mt.beta;
    hl_phases_free(ph);
    hl_model_free(m);
    return beta;
}

static void test_degenerate_at_melting(void **state)
{
    (void)state;
    double sd[2][2];
    double bm = paper_melting(sd), f_ref = NAN;
    for (int M = 1; M <= 4; M++) {
        hl_blocks *b = NULL;
        CHECK_OK(hl_blocks_create_copies(M, 3, 0.0, &b));
        assert_int_equal(hl_blocks_k(b), 2 * M);
        assert_int_equal(hl_blocks_dim(b), 6 * M);
        for (int j = 0; j <= M; j++) {
            double m[8], g[8];
            for (int c = 0; c < M; c++) {
                m[2 * c] = sd[c < j][0];
                m[2 * c + 1] = sd[c < j][1];
            }
            double f = f_grad(b, bm, m, g);
            for (int i = 0; i < 2 * M; i++)
                assert_true(fabs(g[i]) < 1e-8); /* a stationary point */
            if (isnan(f_ref))
                f_ref = f;
            CHECK_ABS(f, f_ref, 1e-10);
        }
        hl_blocks_free(b);
    }
    /* not degenerate away from beta_m: the mixtures' f is linear in j */
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create_copies(2, 3, 0.0, &b));
    double m0[4] = {sd[0][0], sd[0][1], sd[0][0], sd[0][1]};
    double m1[4] = {sd[1][0], sd[1][1], sd[0][0], sd[0][1]}, g[4];
    assert_true(fabs(f_grad(b, 0.9 * bm, m0, g) - f_grad(b, 0.9 * bm, m1, g)) > 1e-4);
    hl_blocks_free(b);
}

static void test_interface(void **state)
{
    (void)state;
    double sd[2][2];
    double bm = paper_melting(sd);
    const double gammas[] = {0.05, 0.3, 2.0};
    for (int M = 2; M <= 4; M++) {
        hl_blocks *b0 = NULL;
        CHECK_OK(hl_blocks_create_copies(M, 2, 0.0, &b0));
        for (size_t q = 0; q < sizeof gammas / sizeof gammas[0]; q++) {
            double gam = gammas[q];
            hl_blocks *b = NULL;
            CHECK_OK(hl_blocks_create_copies(M, 2, gam, &b));
            /* phi = phi_0 + gamma I, I the variance of the d's, at random points */
            unsigned seed = 7;
            for (int r = 0; r < 50; r++) {
                double m[8], dbar = 0, var = 0;
                for (int i = 0; i < 2 * M; i++) {
                    seed = seed * 1103515245u + 12345u;
                    m[i] = 2.0 * ((seed >> 8) & 0xffff) / 65536.0 - 1.0;
                }
                for (int c = 0; c < M; c++)
                    dbar += m[2 * c + 1] / M;
                for (int c = 0; c < M; c++)
                    var += (m[2 * c + 1] - dbar) * (m[2 * c + 1] - dbar) / M;
                CHECK_NEAR(hl_blocks_phi(b, m) - hl_blocks_phi(b0, m), gam * var, 1e-14, 1e-12);
                assert_true(var >= 0);
            }
            /* pure states: same f, still stationary; mixed: f lower by beta gamma I > 0 */
            for (int j = 0; j <= M; j++) {
                double m[8], g[8], g0[8];
                for (int c = 0; c < M; c++) {
                    m[2 * c] = sd[c < j][0];
                    m[2 * c + 1] = sd[c < j][1];
                }
                double f = f_grad(b, bm, m, g), f0 = f_grad(b0, bm, m, g0);
                if (j == 0 || j == M) {
                    CHECK_ABS(f, f0, 1e-13);
                    for (int i = 0; i < 2 * M; i++)
                        assert_true(fabs(g[i]) < 1e-8);
                } else {
                    double x = (double)j / M, dd = sd[1][1] - sd[0][1];
                    CHECK_REL(f0 - f, bm * gam * x * (1 - x) * dd * dd, 1e-12);
                    assert_true(f < f0 - 1e-3 * gam);
                }
            }
            hl_blocks_free(b);
        }
        hl_blocks_free(b0);
    }
}

static void test_errors(void **state)
{
    (void)state;
    hl_blocks *b = NULL;
    assert_int_equal(hl_blocks_create_copies(0, 3, 0.1, &b), HL_EINVAL);
    assert_int_equal(hl_blocks_create_copies(HL_BLOCKS_MAX / 2 + 1, 3, 0.1, &b), HL_EINVAL);
    assert_int_equal(hl_blocks_create_copies(2, 0, 0.1, &b), HL_EINVAL);
    assert_int_equal(hl_blocks_create_copies(2, 3, -0.1, &b), HL_EDOM);
    assert_int_equal(hl_blocks_create_copies(2, 3, NAN, &b), HL_EDOM);
    assert_null(b);
    assert_int_equal(hl_blocks_create_copies(2, 3, 0.1, NULL), HL_EINVAL);
    /* M = 1: no interface, the paper's phi of two blocks */
    CHECK_OK(hl_blocks_create_copies(1, 5, 0.7, &b));
    assert_true(hl_blocks_is_paper_pair(b));
    assert_string_equal(hl_blocks_phi_formula(b), "m1-(m2+0.2)^2+0.38*(m2+0.2)^3");
    hl_blocks_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_degenerate_at_melting),
        cmocka_unit_test(test_interface),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
