/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_scan.c -- calorimetry scans (scan.h, issue 13): a scan slow enough to
 * stay in equilibrium gives the exact heat capacity (against a central
 * difference of the exact <phi>(T), independent of the variance formula)
 * and T_f = T; the apparent c converges at second order in the grid step
 * and its error estimate bounds the error; a fast scan of a glass former
 * freezes T_f above T and T_g falls as q falls; the overshoot on reheating;
 * bad input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define GLASS_B "exp(-3*y^2/T)"

static hl_model *model(const char *phi, const char *trans)
{
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(phi, &m));
    if (trans)
        CHECK_OK(hl_model_set_transmission(m, trans));
    return m;
}

typedef struct {
    hl_scan_point *pts;
    size_t n;
    hl_scan_summary sum;
} scan_out;

static scan_out run(const hl_model *m, long D, double thi, double tlo, double q, int reheat,
                    size_t np, int start)
{
    hl_scan_options o;
    memset(&o, 0, sizeof o);
    o.t_high = thi;
    o.t_low = tlo;
    o.reheat = reheat;
    o.n_points = np;
    o.start = start;
    hl_scan *s = NULL;
    CHECK_OK(hl_scan_create(m, D, &o, &s));
    scan_out r;
    r.n = hl_scan_points(s);
    assert_int_equal(r.n, reheat ? 2 * np - 1 : np);
    r.pts = malloc(sizeof(hl_scan_point) * r.n);
    assert_non_null(r.pts);
    CHECK_OK(hl_scan_run(s, q, r.pts, &r.sum));
    hl_scan_free(s);
    return r;
}

/* d<phi>_eq/dT by a central difference of hl_exact_compute's mean */
static double c_fd(hl_exact *ex, double T)
{
    double d = 1e-4 * T;
    hl_exact_result a, b;
    CHECK_OK(hl_exact_compute(ex, 1.0 / (T + d), &a));
    CHECK_OK(hl_exact_compute(ex, 1.0 / (T - d), &b));
    return (a.mean_phi - b.mean_phi) / (2 * d);
}

/* Slow scans across the melting point (T_m = 1.29 for the paper's phi; a
 * non-separable phi on the general paths): c = the exact c, T_f = T, on
 * cooling and on reheating. */
static void test_slow_scan_equilibrium(void **state)
{
    (void)state;
    const struct {
        const char *phi;
        long D;
        double tlo, q;
    } cases[] = {
        {NULL, 40, 1.0, 1e-14},
        {NULL, 20, 1.0, 1e-12},
        {"x+y-1.2*(x-y+0.1)^2+0.5*x*y", 10, 0.6, 1e-12},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        hl_model *m = model(cases[c].phi, NULL);
        scan_out r = run(m, cases[c].D, 2.0, cases[c].tlo, cases[c].q, 1, 101, 0);
        hl_exact *ex = NULL;
        CHECK_OK(hl_exact_create(m, cases[c].D, HL_EXACT_AUTO, &ex));
        assert_true(r.sum.c_error_estimate < 1e-4);
        double worst = 0;
        for (size_t k = 0; k < r.n; k++) {
            const hl_scan_point *p = &r.pts[k];
            double ref = c_fd(ex, p->T);
            CHECK_REL(p->c_eq, ref, 1e-6); /* the variance formula itself */
            /* the scan's c: within its own error estimate (plus the lag of
             * a finite rate, < 1e-5 here) */
            double err = fabs(p->c - ref);
            if (err > worst)
                worst = err;
            assert_true(err <= 2 * r.sum.c_error_estimate + 1e-5);
            assert_true(isfinite(p->tf_total));
            CHECK_REL(p->tf_total, p->T, 1e-6);
            CHECK_ABS(p->mean_phi, p->phi_eq, 1e-6);
        }
        /* the estimate is not vacuous: the largest error is of its size */
        assert_true(worst >= 0.3 * r.sum.c_error_estimate);
        CHECK_REL(r.sum.tg_total, cases[c].tlo, 1e-6);
        hl_exact_free(ex);
        free(r.pts);
        hl_model_free(m);
    }
}

/* Second order in the grid step: halving h divides the error of c by ~4. */
static void test_c_second_order(void **state)
{
    (void)state;
    hl_model *m = model(NULL, NULL);
    hl_exact *ex = NULL;
    CHECK_OK(hl_exact_create(m, 20, HL_EXACT_AUTO, &ex));
    double e[2];
    size_t nps[2] = {41, 81};
    for (int i = 0; i < 2; i++) {
        scan_out r = run(m, 20, 2.0, 1.0, 1e-13, 0, nps[i], 0);
        e[i] = 0;
        for (size_t k = 0; k < r.n; k++)
            e[i] = fmax(e[i], fabs(r.pts[k].c - c_fd(ex, r.pts[k].T)));
        /* the estimate within a factor 2 of the true error */
        assert_true(r.sum.c_error_estimate > 0.5 * e[i] && r.sum.c_error_estimate < 2 * e[i]);
        free(r.pts);
    }
    double ratio = e[0] / e[1];
    assert_true(ratio > 3.2 && ratio < 4.8);
    hl_exact_free(ex);
    hl_model_free(m);
}

/* A glass former (barrier B near the amorphous vertex, D = 40, started in
 * the liquid basin): fast cooling freezes T_f above T_low, and T_g falls
 * with q; on reheating after q = 0.1 the liquid's c is overshot. */
static void test_fast_scan_freezes(void **state)
{
    (void)state;
    hl_model *m = model(NULL, GLASS_B);
    double qs[3] = {1, 0.1, 0.01}, tg[3];
    for (int i = 0; i < 3; i++) {
        scan_out r = run(m, 40, 2.0, 0.4, qs[i], i == 1, 41, HL_SCAN_START_LIQUID);
        tg[i] = r.sum.tg_liquid;
        assert_true(isfinite(tg[i]));
        assert_true(tg[i] > 0.4 + 0.1);
        /* frozen: T_f stays above T all the way down once below T_g */
        const hl_scan_point *end = &r.pts[40];
        assert_true(end->tf_liquid > end->T);
        assert_true(end->mean_phi > end->phi_eq_liquid);
        /* the liquid basin (of the current T, whose border moves with T)
         * keeps the system: measured 0.987 */
        assert_true(end->p_liquid > 0.95);
        if (i == 1) {
            assert_true(isfinite(r.sum.overshoot_excess));
            assert_true(r.sum.overshoot_excess > 0.01);
            assert_true(r.sum.overshoot_T > tg[i] && r.sum.overshoot_T < 2.0);
        } else {
            assert_true(isnan(r.sum.overshoot_excess));
            assert_string_equal(r.sum.overshoot_null, "no reheating");
        }
        free(r.pts);
    }
    assert_true(tg[0] > tg[1] && tg[1] > tg[2]);
    /* measured with 101 points per leg (hyperland scan --dim 40 --t-high 2
     * --t-low 0.4 --cooling-rates 1,0.1,0.01 --transmission 'exp(-3*y^2/T)'
     * --start liquid): 1.359643781, 0.831069107, 0.520519180; T_f at the
     * end does not depend on the output grid */
    CHECK_ABS(tg[0], 1.359643781, 1e-6);
    CHECK_ABS(tg[1], 0.831069107, 1e-6);
    CHECK_ABS(tg[2], 0.520519180, 1e-6);
    hl_model_free(m);
}

/* A fictive temperature without a match is NaN with a reason: a glass
 * whose <phi> includes crystal below every liquid-basin <phi>. */
static void test_tf_null(void **state)
{
    (void)state;
    hl_model *m = model(NULL, NULL);
    scan_out r = run(m, 40, 2.0, 0.4, 1e-3, 0, 21, 0);
    const hl_scan_point *end = &r.pts[20];
    assert_true(isnan(end->tf_liquid));
    assert_true(strlen(end->tf_liquid_null) > 10);
    assert_true(isnan(r.sum.tg_liquid));
    assert_true(isfinite(end->tf_total) && end->tf_total > 0.8);
    free(r.pts);
    hl_model_free(m);
}

/* The rates of hl_scan_run_many run in parallel (one per thread) and give
 * the same bits as one thread.  Equal rates start at the same moment with
 * the same matrix, so their METIS orderings (inside UMFPACK's symbolic
 * analysis) overlap: without the process-wide ordering lock METIS's shared
 * rand() interleaved and a run differed from the serial one in the last
 * digits (measured: 1 run in 3 of a 4-rate scan at D = 60; the direct
 * test of the race is test_threads: evolve_concurrent_identical).  Two
 * repetitions, two dimensions and both starts. */
static void test_scan_threads_identical(void **state)
{
    (void)state;
    hl_model *m = model(NULL, GLASS_B);
    const long dims[2] = {40, 50};
    const double rates[6] = {0.1, 0.1, 0.1, 0.1, 1, 0.01};
    for (int d = 0; d < 2; d++) {
        hl_scan_options o;
        memset(&o, 0, sizeof o);
        o.t_high = 2.0;
        o.t_low = 0.4;
        o.reheat = 1;
        o.n_points = 21;
        o.start = d ? HL_SCAN_START_EQUILIBRIUM : HL_SCAN_START_LIQUID;
        hl_scan *s = NULL;
        CHECK_OK(hl_scan_create(m, dims[d], &o, &s));
        size_t n = hl_scan_points(s);
        hl_scan_point *p1 = malloc(sizeof(hl_scan_point) * n * 6);
        hl_scan_point *p2 = malloc(sizeof(hl_scan_point) * n * 6);
        hl_scan_summary s1[6], s2[6];
        assert_non_null(p1);
        assert_non_null(p2);
        CHECK_OK(hl_set_threads(1, NULL));
        CHECK_OK(hl_scan_run_many(s, 6, rates, p1, s1));
        CHECK_OK(hl_set_threads(2, NULL));
        for (int rep = 0; rep < 2; rep++) {
            CHECK_OK(hl_scan_run_many(s, 6, rates, p2, s2));
            for (size_t k = 0; k < n * 6; k++) {
                /* bit for bit (NaN where the serial one is NaN) */
                assert_memory_equal(&p1[k].mean_phi, &p2[k].mean_phi, sizeof(double));
                assert_memory_equal(&p1[k].c, &p2[k].c, sizeof(double));
                assert_memory_equal(&p1[k].tf_liquid, &p2[k].tf_liquid, sizeof(double));
                assert_memory_equal(&p1[k].tf_total, &p2[k].tf_total, sizeof(double));
                assert_memory_equal(&p1[k].p_liquid, &p2[k].p_liquid, sizeof(double));
            }
            for (int i = 0; i < 6; i++) {
                assert_memory_equal(&s1[i].tg_liquid, &s2[i].tg_liquid, sizeof(double));
                assert_int_equal(s1[i].steps, s2[i].steps);
            }
        }
        /* the four equal rates are the same scan */
        for (size_t k = 0; k < n; k++)
            for (int i = 1; i < 4; i++)
                assert_memory_equal(&p1[k].mean_phi, &p1[i * n + k].mean_phi, sizeof(double));
        free(p1);
        free(p2);
        hl_scan_free(s);
    }
    CHECK_OK(hl_set_threads(1, NULL));
    hl_model_free(m);
}

static void test_bad_input(void **state)
{
    (void)state;
    hl_model *m = model(NULL, NULL);
    hl_scan_options o;
    memset(&o, 0, sizeof o);
    hl_scan *s = NULL;
    o.t_high = 1;
    o.t_low = 1;
    assert_int_equal(hl_scan_create(m, 20, &o, &s), HL_EDOM);
    assert_null(s);
    assert_non_null(strstr(hl_errmsg(), "below"));
    o.t_low = 2;
    assert_int_equal(hl_scan_create(m, 20, &o, &s), HL_EDOM);
    o.t_low = 0;
    assert_int_equal(hl_scan_create(m, 20, &o, &s), HL_EDOM);
    o.t_low = -1;
    assert_int_equal(hl_scan_create(m, 20, &o, &s), HL_EDOM);
    o.t_low = 0.5;
    o.t_high = INFINITY;
    assert_int_equal(hl_scan_create(m, 20, &o, &s), HL_EDOM);
    o.t_high = 2;
    o.n_points = 4;
    assert_int_equal(hl_scan_create(m, 20, &o, &s), HL_EDOM);
    o.n_points = 0;
    o.start = 7;
    assert_int_equal(hl_scan_create(m, 20, &o, &s), HL_EDOM);
    o.start = 0;
    o.rtol = 1;
    assert_int_equal(hl_scan_create(m, 20, &o, &s), HL_EDOM);
    o.rtol = 0;
    assert_int_not_equal(hl_scan_create(m, 21, &o, &s), HL_OK); /* odd D */
    CHECK_OK(hl_scan_create(m, 20, &o, &s));
    assert_int_equal(hl_scan_points(s), 201);
    hl_scan_point *p = malloc(sizeof(hl_scan_point) * 201);
    hl_scan_summary sum;
    assert_int_equal(hl_scan_run(s, 0, p, &sum), HL_EDOM);
    assert_int_equal(hl_scan_run(s, -1, p, &sum), HL_EDOM);
    assert_int_equal(hl_scan_run(s, NAN, p, &sum), HL_EDOM);
    assert_int_equal(hl_scan_run(s, INFINITY, p, &sum), HL_EDOM);
    assert_int_equal(hl_scan_run(s, 1e-320, p, &sum), HL_EDOM); /* time overflows */
    assert_int_equal(hl_scan_run(NULL, 1, p, &sum), HL_EINVAL);
    free(p);
    hl_scan_free(s);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slow_scan_equilibrium),
        cmocka_unit_test(test_c_second_order),
        cmocka_unit_test(test_fast_scan_freezes),
        cmocka_unit_test(test_tf_null),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_scan_threads_identical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
