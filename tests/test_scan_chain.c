/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_scan_chain.c -- calorimetry scans of a reversible chain / network
 * (scan.h: hl_scan_create_chain, issue 13): a two-state chain under the
 * linear ramp against its master equation integrated independently (mpmath
 * taylor ODE solver, 25 digits; the script is in the comment below), its
 * Schottky heat capacity and the closed-form T_f = 1 / ln(g (1 - p) / p);
 * the conditioned (basin) equilibrium of a three-state chain in closed
 * form; a slow scan of a real network (PyGT's 32 states) reproduces the
 * network's equilibrium thermodynamics (hl_network_thermodynamics: <E>,
 * Var(E)/T^2) and T_f = T; a fast one freezes T_f; bad input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#ifndef HL_TEST_DATA_DIR
#error "HL_TEST_DATA_DIR must be defined (tests/CMakeLists.txt)"
#endif

/* Two states: E = (0, 1), S = (0, ln 2), one transition state S_ts = 0,
 * E_ts = 2: K(0 -> 1) = exp(-2/T), K(1 -> 0) = exp(-1/T) / 2.  <E> = p_1.
 * T from 1 to 0.2 at rate q and back, 9 points per leg.  Reference
 * (mpmath 1.x, mp.dps = 30):
 *   f = lambda t, p: exp(-2/T(t)) (1 - p) - exp(-1/T(t)) / 2 p
 *   sol = mp.odefun(f, 0, p_eq(1), tol=1e-25) on the cooling leg, then
 *   mp.odefun(f, t_c, sol(t_c), tol=1e-25) on the heating leg. */
static const double REF_Q01[17] = {
    0.42388311523417088, 0.42046691581266082, 0.41176841875596032, 0.3995912894058718,
    0.38550462670397539, 0.37127565916660538, 0.35906847354050209, 0.35106120125642998,
    0.34797886667012345, 0.34492832653071881, 0.33738567771493644, 0.32740090133179994,
    0.31921460242856825, 0.316747573745919,   0.3221394842143257,  0.33543023634521085,
    0.35503211338440849};
static const double REF_Q001[17] = {
    0.42388311523417088, 0.40627500853594301, 0.37800943524099362, 0.34443574645024894,
    0.30571354381157251, 0.26323875927091789, 0.22161548482385798, 0.18977225160521533,
    0.17574012645382867, 0.16313677727154174, 0.14860506405710452, 0.16627126259221564,
    0.22275608215091017, 0.28905695730280856, 0.34346858855163515, 0.38410775251056306,
    0.41524184252962154};

static hl_chain *two_state(void)
{
    hl_chain *c = NULL;
    CHECK_OK(hl_chain_create(2, &c));
    CHECK_OK(hl_chain_set_state(c, 0, 0.0, 0.0));
    CHECK_OK(hl_chain_set_state(c, 1, log(2.0), 1.0));
    CHECK_OK(hl_chain_add_transition_state(c, 0, 1, 0.0, 2.0));
    return c;
}

static hl_scan_options opts(double th, double tl, int reheat, size_t np, double rtol)
{
    hl_scan_options o;
    memset(&o, 0, sizeof o);
    o.t_high = th;
    o.t_low = tl;
    o.reheat = reheat;
    o.n_points = np;
    o.rtol = rtol;
    return o;
}

static void two_state_closed_form(void **state)
{
    (void)state;
    hl_chain *c = two_state();
    hl_scan_options o = opts(1.0, 0.2, 1, 9, 1e-10);
    hl_scan *s = NULL;
    CHECK_OK(hl_scan_create_chain(c, NULL, 0, &o, &s));
    assert_int_equal(hl_scan_points(s), 17);
    hl_scan_point pts[17];
    hl_scan_summary sum;
    const double q[2] = {0.1, 0.01};
    const double *ref[2] = {REF_Q01, REF_Q001};
    for (int i = 0; i < 2; i++) {
        CHECK_OK(hl_scan_run(s, q[i], pts, &sum));
        double emax = 0;
        for (int k = 0; k < 17; k++) {
            double T = pts[k].T;
            /* <E> against the independent integration: within e_res = 100
             * rtol (max E - min E) = 1e-8 (scan.h; measured 1.3e-9) */
            CHECK_ABS(pts[k].mean_phi, ref[i][k], 1e-8);
            emax = fmax(emax, fabs(pts[k].mean_phi - ref[i][k]));
            /* equilibrium: p = 2 e^{-1/T} / (1 + 2 e^{-1/T}), c = p (1 - p) / T^2 */
            double pe = 2 * exp(-1 / T) / (1 + 2 * exp(-1 / T));
            CHECK_REL(pts[k].phi_eq, pe, 1e-14);
            CHECK_REL(pts[k].c_eq, pe * (1 - pe) / (T * T), 1e-13);
            /* T_f of p: 1 / ln(2 (1 - p) / p) */
            double p = pts[k].mean_phi;
            CHECK_REL(pts[k].tf_total, 1 / log(2 * (1 - p) / p), 1e-11);
            /* no basin: the liquid columns are null with the reason */
            assert_true(isnan(pts[k].tf_liquid) && isnan(pts[k].c_eq_liquid));
            assert_string_equal(pts[k].tf_liquid_null, "no basin given (the liquid set)");
        }
        print_message("two-state q = %g: max |<E> - ref| = %.2g\n", q[i], emax);
        /* T_g: the frozen T_f at T_low, above T_low */
        double pl = ref[i][8];
        CHECK_REL(sum.tg_total, 1 / log(2 * (1 - pl) / pl), 1e-7);
        assert_true(isnan(sum.tg_liquid));
    }
    /* a fast scan froze far above T_low, a slower one less far */
    CHECK_OK(hl_scan_run(s, 0.1, pts, &sum));
    double tg_fast = sum.tg_total;
    CHECK_OK(hl_scan_run(s, 0.01, pts, &sum));
    assert_true(tg_fast > sum.tg_total && sum.tg_total > 0.4);
    hl_scan_free(s);
    hl_chain_free(c);
}

/* Three states E = (0, 1, 3), S = 0, a basin {1, 2}: its conditioned
 * equilibrium is a two-level system, <E>_b = 1 + 2 w, w = e^{-2/T} / (1 +
 * e^{-2/T}), c_b = 4 w (1 - w) / T^2; from the basin's part at T_high
 * (start liquid), with a fast barrier inside the basin and a frozen one
 * out of it, the scan stays in the basin's equilibrium: tf_liquid_cond =
 * T, while the whole chain's equilibrium (mostly in state 0) lies below. */
static void basin_reference(void **state)
{
    (void)state;
    hl_chain *c = NULL;
    CHECK_OK(hl_chain_create(3, &c));
    CHECK_OK(hl_chain_set_state(c, 0, 0.0, 0.0));
    CHECK_OK(hl_chain_set_state(c, 1, 0.0, 1.0));
    CHECK_OK(hl_chain_set_state(c, 2, 0.0, 3.0));
    CHECK_OK(hl_chain_add_transition_state(c, 0, 1, 0.0, 60.0));      /* out: frozen */
    CHECK_OK(hl_chain_add_transition_state(c, 1, 2, log(1e4), 3.0)); /* fast inside */
    long basin[2] = {1, 2};
    hl_scan_options o = opts(2.0, 0.5, 0, 11, 1e-10);
    o.start = HL_SCAN_START_LIQUID;
    hl_scan *s = NULL;
    CHECK_OK(hl_scan_create_chain(c, basin, 2, &o, &s));
    hl_scan_point pts[11];
    hl_scan_summary sum;
    CHECK_OK(hl_scan_run(s, 1e-2, pts, &sum));
    for (int k = 0; k < 11; k++) {
        double T = pts[k].T, w = exp(-2 / T) / (1 + exp(-2 / T));
        CHECK_REL(pts[k].phi_eq_liquid, 1 + 2 * w, 1e-14);
        CHECK_REL(pts[k].c_eq_liquid, 4 * w * (1 - w) / (T * T), 1e-13);
        /* nothing leaves the basin at these rates (barrier 59 from state 1) */
        assert_true(pts[k].p_liquid > 1 - 1e-6);
        CHECK_REL(pts[k].tf_liquid_cond, T, 1e-4);
        /* the whole chain's reference is lower: <E> is above it */
        assert_true(pts[k].mean_phi > pts[k].phi_eq);
    }
    CHECK_REL(sum.tg_liquid_cond, 0.5, 1e-4);
    hl_scan_free(s);
    hl_chain_free(c);
}

static hl_network *read_db(const char *db)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", HL_TEST_DATA_DIR, db);
    hl_network *net = NULL;
    CHECK_OK(hl_network_read_pathsample_dir(p, &net));
    CHECK_OK(hl_network_build(net, NULL));
    return net;
}

/* PyGT's 32-state network: a slow scan (q = 1e-10) stays in equilibrium:
 * its apparent c = d<E>/dT is the network's Var(E)/T^2 within the
 * difference's error, T_f = T; the references are hl_network_thermodynamics'
 * (modes 0) to 1e-12; a fast scan (q = 1e-2) freezes T_f far above T_low. */
static void network_slow_and_fast(void **state)
{
    (void)state;
    hl_network *net = read_db("pygt-32state");
    hl_scan_options o = opts(2.0, 0.5, 1, 101, 1e-10);
    hl_scan *s = NULL;
    CHECK_OK(hl_scan_create_chain(hl_network_chain(net), NULL, 0, &o, &s));
    size_t n = hl_scan_points(s);
    hl_scan_point *pts = malloc(sizeof *pts * n);
    assert_non_null(pts);
    hl_scan_summary sum;
    CHECK_OK(hl_scan_run(s, 1e-10, pts, &sum));
    double cmax = 0;
    for (size_t k = 0; k < n; k++) {
        hl_network_thermo th;
        CHECK_OK(hl_network_thermodynamics(net, pts[k].T, 0.0, &th));
        CHECK_REL(pts[k].phi_eq, th.mean_energy, 1e-12);
        CHECK_REL(pts[k].c_eq, th.heat_capacity, 1e-12);
        /* second-order differences, 101 points: truncation ~1e-4 */
        CHECK_ABS(pts[k].c, th.heat_capacity, 3 * sum.c_error_estimate + 1e-5);
        CHECK_REL(pts[k].tf_total, pts[k].T, 1e-5);
        cmax = fmax(cmax, th.heat_capacity);
    }
    assert_true(cmax > 0.1); /* a heat capacity worth reproducing */
    assert_true(sum.c_error_estimate < 1e-3);
    CHECK_REL(sum.tg_total, 0.5, 1e-5);
    CHECK_OK(hl_scan_run(s, 1e-2, pts, &sum));
    assert_true(sum.tg_total > 0.9);
    assert_true(pts[n - 1].tf_total > 1.5); /* ... and on reheating, lags below T */
    free(pts);
    hl_scan_free(s);
    hl_network_free(net);
}

/* A T_f whose digits are lost is null, never a number: the two-state chain
 * in equilibrium at T = 0.02 has p_1 = 2 e^-50 ~ 4e-22, far below the
 * engine's resolution. */
static void lost_digits_null(void **state)
{
    (void)state;
    hl_chain *c = NULL;
    CHECK_OK(hl_chain_create(2, &c));
    CHECK_OK(hl_chain_set_state(c, 0, 0.0, 0.0));
    CHECK_OK(hl_chain_set_state(c, 1, log(2.0), 1.0));
    CHECK_OK(hl_chain_add_edge(c, 0, 1, 0.0, 0.0)); /* fast at every T */
    hl_scan_options o = opts(0.5, 0.02, 0, 5, 1e-8);
    hl_scan *s = NULL;
    CHECK_OK(hl_scan_create_chain(c, NULL, 0, &o, &s));
    hl_scan_point pts[5];
    hl_scan_summary sum;
    CHECK_OK(hl_scan_run(s, 1e-3, pts, &sum));
    CHECK_REL(pts[0].tf_total, 0.5, 1e-6);
    assert_true(isnan(pts[4].tf_total));
    assert_non_null(strstr(pts[4].tf_total_null, "digits lost"));
    assert_true(isnan(sum.tg_total));
    hl_scan_free(s);
    hl_chain_free(c);
}

static void bad_input(void **state)
{
    (void)state;
    hl_chain *c = two_state();
    hl_scan *s = NULL;
    hl_scan_options o = opts(1.0, 1.0, 0, 9, 0);
    assert_int_equal(hl_scan_create_chain(c, NULL, 0, &o, &s), HL_EDOM); /* T_low = T_high */
    o = opts(1.0, 2.0, 0, 9, 0);
    assert_int_equal(hl_scan_create_chain(c, NULL, 0, &o, &s), HL_EDOM);
    o = opts(1.0, 0.2, 0, 9, 0);
    long bad[2] = {1, 1};
    assert_int_equal(hl_scan_create_chain(c, bad, 2, &o, &s), HL_EINVAL); /* repeated */
    bad[1] = 5;
    assert_int_equal(hl_scan_create_chain(c, bad, 2, &o, &s), HL_EINVAL); /* not a state */
    o.start = HL_SCAN_START_LIQUID;
    assert_int_equal(hl_scan_create_chain(c, NULL, 0, &o, &s), HL_ENOTFOUND);
    o.start = HL_SCAN_START_EQUILIBRIUM;
    CHECK_OK(hl_scan_create_chain(c, NULL, 0, &o, &s));
    hl_scan_point pts[9];
    hl_scan_summary sum;
    assert_int_equal(hl_scan_run(s, 0.0, pts, &sum), HL_EDOM);
    assert_int_equal(hl_scan_run(s, -1.0, pts, &sum), HL_EDOM);
    hl_scan_free(s);
    /* exits and several components */
    CHECK_OK(hl_chain_set_exit(c, 0, 0.0, 1.0));
    assert_int_equal(hl_scan_create_chain(c, NULL, 0, &o, &s), HL_EINVAL);
    hl_chain_free(c);
    CHECK_OK(hl_chain_create(3, &c));
    CHECK_OK(hl_chain_add_edge(c, 0, 1, 0.0, 0.0));
    assert_int_equal(hl_scan_create_chain(c, NULL, 0, &o, &s), HL_EINVAL);
    assert_null(s);
    hl_chain_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_state_closed_form),
        cmocka_unit_test(basin_reference),
        cmocka_unit_test(network_slow_and_fast),
        cmocka_unit_test(lost_digits_null),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
