/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks_fp.c -- the Fokker-Planck equation in k block magnetisations
 * (hl_fp_blocks_chain, issue 12): for k = 2 equal blocks the rates of the
 * 2-D equation (hl_fp_spectrum) to 1e-12 relative, with other phi, B and D
 * too; a separable phi against sums of one-block rates (k = 2 unequal,
 * k = 3); k = 1 and k = 3 against the class-lattice master equation
 * (hl_blocks_chain), the slow rates converging as D grows; errors. */
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

/* the n slowest rates of a chain (eigensolver; NaN below its resolution) */
static void chain_rates(hl_chain *c, double beta, int n, double *r)
{
    hl_chain_plan *p = NULL;
    CHECK_OK(hl_chain_plan_create(c, beta, &p));
    CHECK_OK(hl_chain_spectrum(p, n, r, NULL));
    hl_chain_plan_free(p);
}

/* ln of the n slowest rates (n <= 8): the eigensolver's, and those it
 * leaves below its resolution from hl_chain_slow_rates (exact however
 * small; asked only up to the last one missing, as the CLI does) */
static void chain_ln_rates(hl_chain *c, double beta, int n, double *ln)
{
    hl_chain_plan *p = NULL;
    char why[256];
    double r[8], l2[8];
    int lost = 0;
    CHECK_OK(hl_chain_plan_create(c, beta, &p));
    CHECK_OK(hl_chain_spectrum(p, n, r, NULL));
    for (int q = 0; q < n; q++) {
        ln[q] = q == 0 ? -INFINITY : r[q] > 0 ? log(r[q]) : NAN;
        if (q > 0 && !(r[q] > 0))
            lost = q + 1;
    }
    if (lost) {
        CHECK_OK(hl_chain_slow_rates(p, lost, l2, why, sizeof why, NULL));
        for (int q = 1; q < lost; q++)
            if (!(r[q] > 0))
                ln[q] = l2[q];
    }
    hl_chain_plan_free(p);
}

static void fp_rates(const hl_blocks *b, double beta, long grid, int n, double *r)
{
    hl_chain *c = NULL;
    CHECK_OK(hl_fp_blocks_chain(b, beta, grid, &c, NULL));
    chain_rates(c, beta, n, r);
    hl_chain_free(c);
}

/* k = 2 equal blocks: the rates of today's 2-D Fokker-Planck equation */
static void test_pair_is_2d(void **state)
{
    (void)state;
    struct {
        long D, grid;
        double beta;
        const char *phi_xy, *phi_m, *trans;
    } cs[] = {
        {40, 60, 0.8, NULL, NULL, NULL},
        {24, 40, 0.5, NULL, NULL, "1+0.5*x^2+0.2*y"},
        {30, 48, 1.2, "x^2-y^2+0.3*x*y", "m1*m2+0.3*(m1^2-m2^2)/4", NULL},
        {200, 60, 0.8, NULL, NULL, NULL}, /* rate 1 below the eigensolver: tunnelling */
    };
    for (size_t q = 0; q < sizeof cs / sizeof cs[0]; q++) {
        hl_model *m = NULL;
        CHECK_OK(hl_model_create(cs[q].phi_xy, &m));
        if (cs[q].trans)
            CHECK_OK(hl_model_set_transmission(m, cs[q].trans));
        hl_fp_options o;
        hl_fp_options_default(&o);
        o.grid = cs[q].grid;
        hl_fp *fp = NULL;
        CHECK_OK(hl_fp_create(m, cs[q].D, cs[q].beta, &o, &fp));
        double r2[6], rk[6];
        hl_fp_spectrum_info si;
        CHECK_OK(hl_fp_spectrum(fp, 6, r2, &si));
        long sz[2] = {cs[q].D / 2, cs[q].D / 2};
        /* the m form of the same phi (x = (m1+m2)/2, y = (m1-m2)/2) for case 2 */
        hl_blocks *b = mk(2, sz, cs[q].phi_xy, cs[q].trans);
        hl_chain *c = NULL;
        CHECK_OK(hl_fp_blocks_chain(b, cs[q].beta, cs[q].grid, &c, NULL));
        chain_rates(c, cs[q].beta, 6, rk);
        assert_true(rk[0] == 0 && r2[0] == 0);
        for (int j = 1; j < 6; j++) {
            if (j == 1 && si.tunnelling_exact) {
                double ln[2];
                chain_ln_rates(c, cs[q].beta, 2, ln);
                assert_true(isnan(rk[1]));
                CHECK_REL(ln[1], si.ln_tunnelling, 1e-12);
                continue;
            }
            CHECK_REL(rk[j], r2[j], 1e-12);
        }
        if (cs[q].phi_m) { /* the same phi written in m1, m2 gives the same rates */
            hl_blocks *b2 = mk(2, sz, cs[q].phi_m, cs[q].trans);
            double r3[6];
            fp_rates(b2, cs[q].beta, cs[q].grid, 6, r3);
            for (int j = 1; j < 6; j++)
                CHECK_REL(r3[j], r2[j], 1e-12);
            hl_blocks_free(b2);
        }
        hl_chain_free(c);
        hl_blocks_free(b);
        hl_fp_free(fp);
        hl_model_free(m);
    }
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* phi = sum_i g_i(m_i): the operator is a Kronecker sum, its rates are the
 * sums of the one-block rates (block i alone: D_i, phi_i = (D / D_i) g_i) */
static void test_separable(void **state)
{
    (void)state;
    struct {
        int k;
        long sz[3], grid;
        double beta;
        const char *g[3];
    } cs[] = {
        {2, {30, 20}, 40, 0.9, {"-0.5*m1^2+0.1*m1", "0.3*(m2-0.2)^2"}},
        {3, {12, 8, 10}, 16, 1.1, {"-0.4*m1^2", "0.2*m2", "-0.3*(m3+0.1)^2+0.2*m3^3"}},
    };
    for (size_t q = 0; q < sizeof cs / sizeof cs[0]; q++) {
        int k = cs[q].k;
        long D = 0;
        for (int i = 0; i < k; i++)
            D += cs[q].sz[i];
        char f[512] = "", one[400];
        for (int i = 0; i < k; i++) {
            snprintf(f + strlen(f), sizeof f - strlen(f), "%s(%s)", i ? "+" : "", cs[q].g[i]);
        }
        hl_blocks *b = mk(k, cs[q].sz, f, NULL);
        const int n = 8, n1 = 8;
        double r[8], r1[3][8];
        fp_rates(b, cs[q].beta, cs[q].grid, n, r);
        for (int i = 0; i < k; i++) {
            /* g_i written in m1 for the one-block model */
            char gi[256];
            snprintf(gi, sizeof gi, "%s", cs[q].g[i]);
            for (char *p = gi; *p; p++)
                if (*p == 'm' && p[1] >= '1' && p[1] <= '3')
                    p[1] = '1';
            snprintf(one, sizeof one, "%.17g*(%s)", (double)D / (double)cs[q].sz[i], gi);
            long s1 = cs[q].sz[i];
            hl_blocks *b1 = mk(1, &s1, one, NULL);
            fp_rates(b1, cs[q].beta, cs[q].grid, n1, r1[i]);
            hl_blocks_free(b1);
        }
        /* all sums of one rate per block, sorted */
        double sums[512];
        int ns = 0;
        for (int a = 0; a < n1; a++)
            for (int c = 0; c < n1; c++)
                for (int e = 0; e < (k == 3 ? n1 : 1); e++)
                    sums[ns++] = r1[0][a] + r1[1][c] + (k == 3 ? r1[2][e] : 0.0);
        qsort(sums, (size_t)ns, sizeof(double), cmp_d);
        for (int j = 1; j < n; j++)
            CHECK_REL(r[j], sums[j], 1e-10);
        hl_blocks_free(b);
    }
}

/* k = 1 and k = 3 against the master equation of hl_blocks_chain as D
 * grows: the in-basin rates converge (relative error O(1/D), smaller at the
 * larger D and below tol there); the tunnelling rate has the master
 * equation's exponent (d ln lambda / dD the same to slope_tol relative),
 * its prefactor a constant factor off (the diffusion limit does not give
 * the jump process's Kramers prefactor: docs/fokker_planck.md). */
static void test_against_master(void **state)
{
    (void)state;
    struct {
        int k;
        const char *phi;
        double beta;
        long D[2], grid[2];
        double tol, slope_tol;
    } cs[] = {
        {1, "-0.8*m1^2+0.05*m1", 1.5, {50, 400}, {100, 400}, 0.01, 1e-3},
        {3, "-0.5*(m1*m2+m2*m3+m1*m3)+0.05*m1", 1.5, {15, 45}, {15, 24}, 0.1, 0.05},
    };
    for (size_t q = 0; q < sizeof cs / sizeof cs[0]; q++) {
        double lf[2][4], lm[2][4];
        for (int t = 0; t < 2; t++) {
            hl_blocks *b = NULL;
            CHECK_OK(hl_blocks_create_equal(cs[q].k, cs[q].D[t], cs[q].phi, &b));
            hl_chain *c = NULL;
            CHECK_OK(hl_fp_blocks_chain(b, cs[q].beta, cs[q].grid[t], &c, NULL));
            chain_ln_rates(c, cs[q].beta, 4, lf[t]);
            hl_chain_free(c);
            CHECK_OK(hl_blocks_chain(b, cs[q].beta, &c));
            chain_ln_rates(c, cs[q].beta, 4, lm[t]);
            hl_chain_free(c);
            print_message("k = %d D = %ld grid %ld: ln rates FP %.6f %.6f %.6f master %.6f %.6f "
                          "%.6f\n",
                          cs[q].k, cs[q].D[t], cs[q].grid[t], lf[t][1], lf[t][2], lf[t][3],
                          lm[t][1], lm[t][2], lm[t][3]);
            hl_blocks_free(b);
        }
        for (int j = 2; j < 4; j++) {
            assert_true(fabs(lf[1][j] - lm[1][j]) < fabs(lf[0][j] - lm[0][j]));
            assert_true(fabs(lf[1][j] - lm[1][j]) < cs[q].tol);
        }
        double dD = (double)(cs[q].D[1] - cs[q].D[0]);
        double sf = (lf[1][1] - lf[0][1]) / dD, sm = (lm[1][1] - lm[0][1]) / dD;
        assert_true(sm < 0);
        CHECK_REL(sf, sm, cs[q].slope_tol);
    }
}

static void test_errors(void **state)
{
    (void)state;
    long s4[4] = {2, 2, 2, 2}, s2[2] = {10, 10};
    hl_blocks *b4 = mk(4, s4, NULL, NULL), *b2 = mk(2, s2, NULL, "m1+2");
    hl_chain *c = NULL;
    assert_int_equal(hl_fp_blocks_chain(b4, 1.0, 20, &c, NULL), HL_EINVAL);
    assert_int_equal(hl_fp_blocks_chain(b2, 0.0, 20, &c, NULL), HL_EDOM);
    assert_int_equal(hl_fp_blocks_chain(b2, 1.0, 4, &c, NULL), HL_EDOM);
    /* B = m1 + 2 > 0: fine; a B that vanishes at a face is refused */
    CHECK_OK(hl_fp_blocks_chain(b2, 1.0, 20, &c, NULL));
    hl_chain_free(c);
    c = NULL;
    hl_blocks *b3 = mk(2, s2, NULL, "T-1");
    assert_int_equal(hl_fp_blocks_chain(b3, 1.0, 20, &c, NULL), HL_EDOM);
    assert_null(c);
    /* a grid too coarse for D: refused, naming the grid needed */
    long big[1] = {20000};
    hl_blocks *b1 = mk(1, big, "-0.8*m1^2", NULL);
    assert_int_equal(hl_fp_blocks_chain(b1, 1.5, 16, &c, NULL), HL_ERANGE);
    assert_non_null(strstr(hl_errmsg(), "cells per axis"));
    hl_blocks_free(b1);
    hl_blocks_free(b3);
    hl_blocks_free(b2);
    hl_blocks_free(b4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_is_2d),
        cmocka_unit_test(test_separable),
        cmocka_unit_test(test_against_master),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
