/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks_fp_evolve.c -- the time evolution of the Fokker-Planck
 * equation in k block magnetisations (hl_fp_blocks_evolve, issue 12):
 *   - two equal blocks give the 2-D equation's evolution (hl_fp_evolve):
 *     every cell probability, mean, free energy and basin population, at a
 *     fixed beta and under beta and T protocols, with a B that depends on
 *     T, from every kind of start, to 1e-10 (both integrators at rtol
 *     1e-10; measured differences 1e-13 .. 4e-12);
 *   - a separable phi = g1(m1) + g2(m2) + g3(m3) in three unequal blocks:
 *     the cell probabilities are the products of three one-block
 *     evolutions (the operator is a Kronecker sum), under a protocol too;
 *   - against the class-lattice master equation (hl_blocks_evolve) as D
 *     grows: the relaxation of <m> from a nearby equilibrium differs by a
 *     relative O(1/D) (fitted order 1), as the equilibrium mean;
 *   - bad input: one error each, never a number. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "hyperland/blocks_kinetics.h"

static hl_blocks *mk(int k, const long *sizes, const char *phi, const char *trans)
{
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(k, sizes, phi, &b));
    if (trans)
        CHECK_OK(hl_blocks_set_transmission(b, trans));
    return b;
}

static double pop_of(const hl_fp_blocks_point *p, const char *name)
{
    for (int q = 0; q < p->n_basins; q++)
        if (!strcmp(p->basins[q].name, name))
            return p->basins[q].probability;
    return 0.0;
}

/* ------------------------------------------------ two equal blocks = 2-D */

static void test_pair_is_2d(void **state)
{
    (void)state;
    double tb[] = {0, 20}, vb[] = {0.5, 0.8};     /* beta protocol */
    double tt[] = {0, 5, 40}, vt[] = {2.5, 1.3, 1.8}; /* T protocol, a kink */
    struct {
        long D, grid;
        const char *phi, *trans;
        int proto; /* 0 fixed beta 0.6, 1 beta ramp, 2 T protocol */
        int kind;
        const char *basin;
        double sbeta;
    } cs[] = {
        {40, 24, NULL, NULL, 1, HL_START_BASIN, "crystal", 0},
        {40, 24, NULL, NULL, 1, HL_START_EQUILIBRIUM, NULL, 0.3},
        {40, 24, NULL, NULL, 2, HL_START_CLASSES, NULL, 0},
        {40, 24, NULL, NULL, 0, HL_START_BASIN, "liquid", 0},
        {36, 24, "x^2-y^2+0.3*x*y-0.5*x", "1+0.5*x^2+0.2*y*T", 2, HL_START_INFINITE_T, NULL, 0},
        {36, 24, NULL, "exp(0.3*(x-y)/T)", 1, HL_START_CLASSES, NULL, 0},
    };
    double times[] = {0, 0.5, 5, 30, 1e4};
    size_t nt = sizeof times / sizeof times[0];
    for (size_t q = 0; q < sizeof cs / sizeof cs[0]; q++) {
        long D = cs[q].D, n = cs[q].grid, N = n * n, h = D / 2, w = h + 1;
        hl_protocol *p = cs[q].proto == 0   ? test_protocol_fixed(0.6)
                         : cs[q].proto == 1 ? test_protocol(HL_PROTOCOL_BETA, 2, tb, vb)
                                            : test_protocol(HL_PROTOCOL_T, 3, tt, vt);
        double *qc = malloc(sizeof(double) * (size_t)(w * w));
        for (long i = 0; i < w * w; i++) /* any distribution over the classes */
            qc[i] = (double)(1 + (i * 7919) % 13) * exp(-0.01 * (double)i);
        /* 2-D */
        hl_model *m = NULL;
        CHECK_OK(hl_model_create(cs[q].phi, &m));
        if (cs[q].trans)
            CHECK_OK(hl_model_set_transmission(m, cs[q].trans));
        hl_fp_options o;
        hl_fp_options_default(&o);
        o.grid = n;
        hl_fp *fp = NULL;
        CHECK_OK(hl_fp_create(m, D, hl_protocol_beta(p, 0), &o, &fp));
        hl_evolve_start s2;
        memset(&s2, 0, sizeof s2);
        s2.kind = cs[q].kind;
        s2.basin = cs[q].basin;
        s2.beta = cs[q].sbeta;
        s2.q = qc;
        hl_evolve_point *p2 = calloc(nt, sizeof *p2);
        double *q2 = malloc(sizeof(double) * (size_t)N * nt);
        CHECK_OK(hl_fp_evolve(fp, p, &s2, times, nt, 1e-10, p2, q2, NULL));
        /* two blocks */
        long sz[2] = {h, h};
        hl_blocks *b = mk(2, sz, cs[q].phi, cs[q].trans);
        hl_fp_blocks_start sk;
        memset(&sk, 0, sizeof sk);
        sk.kind = cs[q].kind;
        sk.basin = cs[q].basin;
        sk.beta = cs[q].sbeta;
        sk.q = qc; /* class (n1, n2) = index n1 (h+1) + n2, the 2-D (a, b) */
        hl_fp_blocks_point *pk = calloc(nt, sizeof *pk);
        double *qk = malloc(sizeof(double) * (size_t)N * nt);
        hl_fp_blocks_info info;
        CHECK_OK(hl_fp_blocks_evolve(b, n, p, &sk, times, nt, 1e-10, pk, qk, &info));
        assert_non_null(info.method);
        assert_int_equal(info.cells, N);
        double worst = 0;
        for (long i = 0; i < N * (long)nt; i++)
            worst = fmax(worst, fabs(qk[i] - q2[i]));
        assert_true(worst <= 1e-10);
        for (size_t j = 0; j < nt; j++) {
            CHECK_ABS(pk[j].beta, p2[j].beta, 1e-15);
            CHECK_ABS(pk[j].mean_x, p2[j].mean_x, 1e-10);
            CHECK_ABS(pk[j].mean_y, p2[j].mean_y, 1e-10);
            CHECK_ABS(pk[j].mean_m[0], p2[j].mean_x + p2[j].mean_y, 1e-10);
            CHECK_ABS(pk[j].mean_m[1], p2[j].mean_x - p2[j].mean_y, 1e-10);
            CHECK_ABS(pk[j].mean_phi, p2[j].mean_phi, 1e-10);
            CHECK_ABS(pk[j].mean_w, p2[j].mean_w, 1e-10);
            CHECK_ABS(pk[j].free_energy, p2[j].free_energy, 1e-9);
            assert_true(pk[j].sum_error < 1e-12);
            double tot = 0;
            for (int z = 0; z < p2[j].n_basins; z++) {
                CHECK_ABS(pop_of(&pk[j], p2[j].basins[z].name), p2[j].basins[z].probability,
                          1e-10);
                tot += p2[j].basins[z].probability;
            }
            for (int z = 0; z < pk[j].n_basins; z++)
                tot -= pk[j].basins[z].probability;
            CHECK_ABS(tot, 0.0, 1e-10); /* no basin the 2-D equation does not have */
        }
        free(pk);
        free(qk);
        free(p2);
        free(q2);
        free(qc);
        hl_blocks_free(b);
        hl_fp_free(fp);
        hl_model_free(m);
        hl_protocol_free(p);
    }
}

/* ------------------------------------- separable phi: products of blocks */

static void test_separable_product(void **state)
{
    (void)state;
    const long sz[3] = {6, 9, 12};
    const char *g[3] = {"(0.5*m1^2-0.3*m1)", "(-0.6*m2^2+0.1*m2)", "(0.2*m3+0.1*m3^3)"};
    char phi[256], phi1[3][256], gm[3][64];
    double D = 27;
    /* block a alone: D_a spins, phi_a = (D / D_a) g_a(m1) */
    for (int a = 0; a < 3; a++) {
        snprintf(gm[a], sizeof gm[a], "%s", g[a]);
        for (char *c = gm[a]; *c; c++)
            if (c[0] == 'm' && c[1] >= '1' && c[1] <= '3')
                c[1] = '1';
        snprintf(phi1[a], sizeof phi1[a], "%.17g*%s", D / (double)sz[a], gm[a]);
    }
    snprintf(phi, sizeof phi, "%s+%s+%s", g[0], g[1], g[2]);
    hl_blocks *b = mk(3, sz, phi, "1");
    double tb[] = {0, 1.5}, vb[] = {0.6, 1.2};
    hl_protocol *ps[2] = {test_protocol(HL_PROTOCOL_BETA, 2, tb, vb), test_protocol_fixed(0.9)};
    double times[] = {0, 0.2, 1, 3, 50};
    size_t nt = 5;
    long n = 10, N = n * n * n;
    for (int pi = 0; pi < 2; pi++)
        for (int kind = 0; kind < 2; kind++) {
            hl_fp_blocks_start s;
            memset(&s, 0, sizeof s);
            double m0[3] = {0.31, -0.22, 0.13};
            if (kind == 0) {
                s.kind = HL_FP_START_POINT;
                memcpy(s.m, m0, sizeof m0);
            } else {
                if (pi == 1)
                    continue; /* the fixed beta from a point only */
                s.kind = HL_START_EQUILIBRIUM;
                s.beta = 0.4;
            }
            hl_fp_blocks_point pk[5], p1[3][5];
            double *qk = malloc(sizeof(double) * (size_t)N * nt), *q1[3];
            CHECK_OK(hl_fp_blocks_evolve(b, n, ps[pi], &s, times, nt, 1e-11, pk, qk, NULL));
            for (int a = 0; a < 3; a++) {
                long s1[1] = {sz[a]};
                hl_blocks *b1 = mk(1, s1, phi1[a], NULL);
                hl_fp_blocks_start t = s;
                t.m[0] = m0[a];
                q1[a] = malloc(sizeof(double) * (size_t)n * nt);
                CHECK_OK(hl_fp_blocks_evolve(b1, n, ps[pi], &t, times, nt, 1e-11, p1[a], q1[a],
                                             NULL));
                hl_blocks_free(b1);
            }
            double worst = 0;
            for (size_t j = 0; j < nt; j++) {
                for (long i = 0; i < N; i++) {
                    long i1 = i / (n * n), i2 = (i / n) % n, i3 = i % n;
                    double prod = q1[0][j * n + i1] * q1[1][j * n + i2] * q1[2][j * n + i3];
                    worst = fmax(worst, fabs(qk[j * N + i] - prod));
                }
                double mphi = 0, fe = 0;
                for (int a = 0; a < 3; a++) {
                    CHECK_ABS(pk[j].mean_m[a], p1[a][j].mean_m[0], 1e-9);
                    mphi += (double)sz[a] / D * p1[a][j].mean_phi;
                    fe += (double)sz[a] / D * p1[a][j].free_energy;
                }
                CHECK_ABS(pk[j].mean_phi, mphi, 1e-9);
                CHECK_ABS(pk[j].free_energy, fe, 1e-8);
            }
            assert_true(worst < 1e-9);
            for (int a = 0; a < 3; a++)
                free(q1[a]);
            free(qk);
        }
    hl_protocol_free(ps[0]);
    hl_protocol_free(ps[1]);
    hl_blocks_free(b);
}

/* ------------------------------- against the master equation as D grows */

/* <m>(t) of one block of D spins, phi = 0.5 m^2 - 0.3 m at beta 1, from
 * the equilibrium at beta 2: the master equation (exact start on the
 * classes) and the Fokker-Planck equation (Richardson from grids 200,
 * 400: the grid's O(h^2) error removed) */
static void one_block(long D, const double *times, size_t nt, double *me, double *fp)
{
    const char *phi = "0.5*m1^2-0.3*m1";
    long sz[1] = {D};
    hl_blocks *b = mk(1, sz, phi, NULL);
    hl_protocol *p = test_protocol_fixed(1.0);
    double *p0 = malloc(sizeof(double) * (size_t)(D + 1)), mx = -INFINITY, sum = 0;
    double *pout = malloc(sizeof(double) * (size_t)(D + 1) * nt);
    for (long c = 0; c <= D; c++) {
        double m = 2.0 * (double)c / (double)D - 1.0;
        p0[c] = lgamma((double)D + 1) - lgamma((double)c + 1) - lgamma((double)(D - c) + 1) -
                2.0 * (double)D * (0.5 * m * m - 0.3 * m);
        mx = fmax(mx, p0[c]);
    }
    for (long c = 0; c <= D; c++)
        sum += (p0[c] = exp(p0[c] - mx));
    for (long c = 0; c <= D; c++)
        p0[c] /= sum;
    CHECK_OK(hl_blocks_evolve(b, p, p0, times, nt, 1e-12, pout, NULL));
    for (size_t j = 0; j < nt; j++) {
        me[j] = 0;
        for (long c = 0; c <= D; c++)
            me[j] += pout[j * (size_t)(D + 1) + c] * (2.0 * (double)c / (double)D - 1.0);
    }
    hl_fp_blocks_start s;
    memset(&s, 0, sizeof s);
    s.kind = HL_START_EQUILIBRIUM;
    s.beta = 2.0;
    hl_fp_blocks_point *a = calloc(nt, sizeof *a), *c = calloc(nt, sizeof *c);
    CHECK_OK(hl_fp_blocks_evolve(b, 200, p, &s, times, nt, 1e-12, a, NULL, NULL));
    CHECK_OK(hl_fp_blocks_evolve(b, 400, p, &s, times, nt, 1e-12, c, NULL, NULL));
    for (size_t j = 0; j < nt; j++)
        fp[j] = (4.0 * c[j].mean_m[0] - a[j].mean_m[0]) / 3.0;
    free(a);
    free(c);
    free(p0);
    free(pout);
    hl_protocol_free(p);
    hl_blocks_free(b);
}

static void test_master_convergence(void **state)
{
    (void)state;
    double times[] = {0.3, 200}; /* t = 200: equilibrium */
    long dims[] = {20, 40, 80, 160};
    double rel[4], eq[4];
    for (int q = 0; q < 4; q++) {
        double me[2], fp[2];
        one_block(dims[q], times, 2, me, fp);
        /* the relaxing part of <m>, relative */
        rel[q] = (fp[0] - fp[1]) / (me[0] - me[1]) - 1.0;
        eq[q] = fp[1] - me[1];
        print_message("D = %ld: relative difference of <m>(0.3) - <m>(eq) %.4e, of <m>(eq) %.4e\n",
                      dims[q], rel[q], eq[q]);
    }
    /* measured -2.9e-2, -1.4e-2, -6.9e-3, -3.1e-3 and -3.9e-3 ... -4.7e-4 */
    assert_true(fabs(rel[0]) < 0.05 && fabs(eq[0]) < 0.01);
    for (int q = 0; q + 1 < 4; q++) {
        double order = log(fabs(rel[q] / rel[q + 1])) / log(2.0);
        double order_eq = log(fabs(eq[q] / eq[q + 1])) / log(2.0);
        assert_true(order > 0.85 && order < 1.25);
        assert_true(order_eq > 0.9 && order_eq < 1.1);
    }
}

/* --------------------------------------------------------------- errors */

static void test_errors(void **state)
{
    (void)state;
    long sz[2] = {10, 10};
    hl_blocks *b = mk(2, sz, NULL, NULL);
    hl_protocol *p = test_protocol_fixed(0.5);
    double times[] = {0, 1}, q[200];
    hl_fp_blocks_point pt[2];
    hl_fp_blocks_start s;
    memset(&s, 0, sizeof s);
    s.kind = HL_FP_START_POINT;
    s.m[0] = 1.5;
    assert_int_equal(hl_fp_blocks_evolve(b, 20, p, &s, times, 2, 0, pt, NULL, NULL), HL_EDOM);
    assert_non_null(strstr(hl_errmsg(), "outside the cube"));
    s.m[0] = NAN;
    assert_int_equal(hl_fp_blocks_evolve(b, 20, p, &s, times, 2, 0, pt, NULL, NULL), HL_EDOM);
    s.kind = HL_START_BASIN;
    s.basin = "nonesuch";
    assert_int_equal(hl_fp_blocks_evolve(b, 20, p, &s, times, 2, 0, pt, NULL, NULL),
                     HL_ENOTFOUND);
    s.kind = HL_START_CLASSES;
    s.q = q;
    for (int i = 0; i < 121; i++)
        q[i] = 0;
    assert_int_equal(hl_fp_blocks_evolve(b, 20, p, &s, times, 2, 0, pt, NULL, NULL), HL_EDOM);
    q[3] = -1;
    assert_int_equal(hl_fp_blocks_evolve(b, 20, p, &s, times, 2, 0, pt, NULL, NULL), HL_EDOM);
    s.kind = HL_START_EQUILIBRIUM;
    s.beta = -1;
    assert_int_equal(hl_fp_blocks_evolve(b, 20, p, &s, times, 2, 0, pt, NULL, NULL), HL_EDOM);
    s.kind = 99;
    assert_int_equal(hl_fp_blocks_evolve(b, 20, p, &s, times, 2, 0, pt, NULL, NULL), HL_EINVAL);
    s.kind = HL_START_INFINITE_T;
    double bad_t[] = {1, 0};
    assert_int_equal(hl_fp_blocks_evolve(b, 20, p, &s, bad_t, 2, 0, pt, NULL, NULL), HL_EDOM);
    assert_int_equal(hl_fp_blocks_evolve(b, 4, p, &s, times, 2, 0, pt, NULL, NULL), HL_EDOM);
    assert_int_equal(hl_fp_blocks_evolve(b, 20, p, &s, times, 2, 2.0, pt, NULL, NULL), HL_EDOM);
    assert_int_equal(hl_fp_blocks_evolve(NULL, 20, p, &s, times, 2, 0, pt, NULL, NULL),
                     HL_EINVAL);
    assert_int_equal(hl_fp_blocks_evolve(b, 20, NULL, &s, times, 2, 0, pt, NULL, NULL),
                     HL_EINVAL);
    /* a grid that does not resolve the distribution at beta(0) */
    long big[1] = {20000};
    hl_blocks *b1 = mk(1, big, "-0.8*m1^2", NULL);
    assert_int_equal(hl_fp_blocks_evolve(b1, 16, p, &s, times, 2, 0, pt, NULL, NULL), HL_ERANGE);
    assert_non_null(strstr(hl_errmsg(), "cells per axis"));
    /* a B that is not positive at a temperature the protocol visits */
    double tt[] = {0, 1}, vt[] = {2.0, 0.5};
    hl_protocol *pt2 = test_protocol(HL_PROTOCOL_T, 2, tt, vt);
    hl_blocks *b2 = mk(2, sz, NULL, "T-1");
    assert_int_equal(hl_fp_blocks_evolve(b2, 20, pt2, &s, times, 2, 0, pt, NULL, NULL), HL_EDOM);
    assert_non_null(strstr(hl_errmsg(), "transmission"));
    hl_blocks_free(b2);
    hl_blocks_free(b1);
    hl_protocol_free(pt2);
    hl_protocol_free(p);
    hl_blocks_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_is_2d),
        cmocka_unit_test(test_separable_product),
        cmocka_unit_test(test_master_convergence),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
