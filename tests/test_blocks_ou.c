/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks_ou.c -- the Ornstein-Uhlenbeck kinetics around a maximum of
 * k blocks (hl_blocks_ou) and the rates of k modes (hl_ou_rates_k): two
 * equal blocks give gaussian.h's numbers (lambda, B, diffusion, drift and
 * modes in x, y; the rates) to 1e-12 for several phi, B and beta, a
 * maximum next to a face included (the fast mode 2 B cosh(2 beta) of the
 * paper's phi at beta = 100, e^200); a separable phi gives the union of the
 * one-block rates, each the closed form 2 B (cosh t + beta sech t g'' / r);
 * the sums of k modes against brute-force enumeration. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "hyperland/blocks_phases.h"
#include "hyperland/gaussian.h"

static void near(double got, double want)
{
    CHECK_NEAR(got, want, 1e-300, 1e-12);
}

static void test_pair_equals_2d(void **state)
{
    (void)state;
    const char *phis[] = {NULL, "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y"};
    const char *trans[] = {NULL, "1+0.5*x*y+0.1*T"};
    const double betas[] = {0.5, 1.2, 3, 100};
    int compared = 0;
    for (int f = 0; f < 2; f++)
        for (int tr = 0; tr < 2; tr++)
            for (size_t ib = 0; ib < sizeof betas / sizeof *betas; ib++) {
                double beta = betas[ib];
                if (f == 1 && beta > 50)
                    continue;
                hl_model *m = NULL;
                hl_blocks *b = NULL;
                CHECK_OK(hl_model_create(phis[f], &m));
                CHECK_OK(hl_blocks_create_equal(2, 40, phis[f], &b));
                if (trans[tr]) {
                    CHECK_OK(hl_model_set_transmission(m, trans[tr]));
                    CHECK_OK(hl_blocks_set_transmission(b, trans[tr]));
                }
                hl_gaussian g[8];
                size_t n = 0, nb = 0;
                CHECK_OK(hl_gaussian_maxima(m, 40, beta, g, 8, &n));
                hl_bstat mx[8];
                char names[8][16];
                CHECK_OK(hl_blocks_maxima_at(b, beta, mx, 8, &nb, NULL));
                CHECK_OK(hl_blocks_name_maxima(b, beta, mx, nb, names));
                assert_int_equal(n, nb);
                for (size_t q = 0; q < n; q++) {
                    size_t p = 0;
                    while (p < nb && strcmp(names[p], g[q].name))
                        p++;
                    assert_true(p < nb);
                    double B, dif[2], A[4], lam[2], V[4];
                    CHECK_OK(hl_blocks_ou(b, &mx[p], &B, dif, A, lam, V));
                    near(B, g[q].transmission);
                    near(lam[0], g[q].lambda[0]);
                    near(lam[1], g[q].lambda[1]);
                    /* diffusion and drift in (x, y): (1/4) P D P and (1/2) P A P */
                    near(0.25 * (dif[0] + dif[1]), g[q].diffusion[0]);
                    CHECK_NEAR(0.25 * (dif[0] - dif[1]), g[q].diffusion[1], 1e-12 * g[q].diffusion[0], 0);
                    double axy[4] = {0.5 * (A[0] + A[1] + A[2] + A[3]), 0.5 * (A[0] - A[1] + A[2] - A[3]),
                                     0.5 * (A[0] + A[1] - A[2] - A[3]), 0.5 * (A[0] - A[1] - A[2] + A[3])};
                    double scale = fabs(A[0]) + fabs(A[3]);
                    for (int i = 0; i < 4; i++)
                        CHECK_NEAR(axy[i], g[q].drift[i], 1e-12 * scale, 0);
                    /* modes: (v_s + v_d, v_s - v_d), unit, larger entry positive */
                    for (int c = 0; c < 2; c++) {
                        double a = V[c] + V[2 + c], bb = V[c] - V[2 + c], nn = hypot(a, bb);
                        double sg = (fabs(a) >= fabs(bb) ? a : bb) < 0 ? -1 : 1;
                        CHECK_ABS(sg * a / nn, g[q].mode[c], 1e-12);
                        CHECK_ABS(sg * bb / nn, g[q].mode[2 + c], 1e-12);
                    }
                    double r2[12], rk[12];
                    hl_ou_rates(&g[q], 12, r2);
                    hl_ou_rates_k(lam, 2, 12, rk);
                    for (int i = 0; i < 12; i++)
                        CHECK_NEAR(rk[i], r2[i], 1e-300, 1e-12);
                    if (phis[f] == NULL && beta == 100 && !trans[tr] && mx[p].m[0] < -0.99)
                        /* the s mode at the face s -> -1: 2 B cosh(2 beta) */
                        CHECK_REL(fabs(lam[0] / (2 * cosh(200.0)) - 1) < 1e-13 ? lam[0] : lam[1],
                                  2 * cosh(200.0), 1e-13);
                    compared++;
                }
                hl_blocks_free(b);
                hl_model_free(m);
            }
    assert_true(compared >= 20);
}

/* phi = sum g_i(m_i): G is diagonal, each rate the one-block closed form
 * 2 B (cosh t_i + beta sech t_i g_i'' / r_i) at the block's maximum */
static void test_separable(void **state)
{
    (void)state;
    const long sizes[3] = {2, 3, 5};
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(3, sizes, "(m1-0.3)^2+0.5*m2+0.8*(m3+0.1)^2+0.2*m3^4", &b));
    CHECK_OK(hl_blocks_set_transmission(b, "1+0.2*m1*m1"));
    for (double beta = 0.4; beta < 5; beta *= 2.5) {
        hl_bstat mx[4];
        size_t n = 0;
        CHECK_OK(hl_blocks_maxima_at(b, beta, mx, 4, &n, NULL));
        assert_int_equal(n, 1);
        double B, dif[3], A[9], lam[3], V[9], want[3];
        CHECK_OK(hl_blocks_ou(b, &mx[0], &B, dif, A, lam, V));
        double m1 = mx[0].m[0], m3 = mx[0].m[2];
        near(B, 1 + 0.2 * m1 * m1);
        const double g2[3] = {2, 0, 1.6 + 2.4 * m3 * m3};
        for (int i = 0; i < 3; i++) {
            double r = (double)sizes[i] / 10, t = mx[0].t[i];
            want[i] = 2 * B * (cosh(t) + beta / cosh(t) * g2[i] / r);
            near(dif[i], 2 * B / cosh(t) / r);
            near(A[i * 3 + i], want[i]);
            for (int j = 0; j < 3; j++)
                if (j != i)
                    assert_true(A[i * 3 + j] == 0);
        }
        /* ascending */
        for (int i = 0; i < 3; i++)
            for (int j = i + 1; j < 3; j++)
                if (want[j] < want[i]) {
                    double x = want[i];
                    want[i] = want[j];
                    want[j] = x;
                }
        for (int i = 0; i < 3; i++) {
            near(lam[i], want[i]);
            /* each mode along one block */
            int ones = 0;
            for (int j = 0; j < 3; j++)
                ones += fabs(V[j * 3 + i]) == 1.0;
            assert_int_equal(ones, 1);
        }
    }
    hl_blocks_free(b);
}

/* the count smallest sums n_1 l_1 + ... + n_k l_k against enumeration */
static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_rates_k(void **state)
{
    (void)state;
    const double l[4] = {1.0, 1.7, 2.9, 0.35};
    for (int k = 1; k <= 4; k++) {
        const int count = 40, N = 40;
        long total = 1;
        for (int i = 0; i < k; i++)
            total *= N;
        double *all = malloc(sizeof(double) * (size_t)total), got[40];
        for (long idx = 0; idx < total; idx++) {
            long r = idx;
            double s = 0;
            for (int i = 0; i < k; i++) {
                s += (double)(r % N) * l[i];
                r /= N;
            }
            all[idx] = s;
        }
        qsort(all, (size_t)total, sizeof *all, cmp_d);
        hl_ou_rates_k(l, k, count, got);
        for (int i = 0; i < count; i++)
            CHECK_NEAR(got[i], all[i], 1e-12, 1e-13);
        free(all);
    }
}

/* not a maximum: HL_EDOM; NULL: HL_EINVAL */
static void test_errors(void **state)
{
    (void)state;
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create_equal(3, 3, "(m1-0.3)^2+(m2+0.2)^2+(m3-0.1)^2", &b));
    hl_bstat mx[2], bad;
    size_t n = 0;
    CHECK_OK(hl_blocks_maxima_at(b, 1, mx, 2, &n, NULL));
    double t[3] = {0, 0, 0};
    /* a point that is no stationary point, with a Hessian of f that is not
     * negative definite: beta phi'' < -r is impossible for this phi, so use
     * a concave phi */
    hl_blocks *c = NULL;
    CHECK_OK(hl_blocks_create_equal(3, 3, "-(m1^2+m2^2+m3^2)", &c));
    hl_blocks_stationary_fill(c, 5, t, &bad);
    assert_int_equal(hl_blocks_ou(c, &bad, NULL, NULL, NULL, NULL, NULL), HL_EDOM);
    assert_int_equal(hl_blocks_ou(b, NULL, NULL, NULL, NULL, NULL, NULL), HL_EINVAL);
    CHECK_OK(hl_blocks_ou(b, &mx[0], NULL, NULL, NULL, NULL, NULL));
    hl_blocks_free(c);
    hl_blocks_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_equals_2d),
        cmocka_unit_test(test_separable),
        cmocka_unit_test(test_rates_k),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
