/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_chain.c -- the public reversible chain (chain.h): building, merging
 * parallel edges, temperature-dependent parts, equilibrium, components and
 * errors, against closed forms computed here independently. */
#include "test_util.h"

#include <string.h>

#include <lapacke.h>

#include "hyperland/chain.h"

/* ln M follows S - beta E; the equilibrium is normalised per component */
static void test_equilibrium_parts(void **state)
{
    (void)state;
    hl_chain *c;
    assert_int_equal(hl_chain_create(3, &c), HL_OK);
    double S[3] = {0.5, -1.0, 2.0}, E[3] = {1.0, -2.0, 700.0};
    assert_int_equal(hl_chain_set_states(c, S, E), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 0, 1, 0.0, 0.0), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 1, 2, 0.0, 0.0), HL_OK);
    for (double beta = 0.5; beta <= 2.0; beta += 0.75) {
        hl_chain_plan *p;
        assert_int_equal(hl_chain_plan_create(c, beta, &p), HL_OK);
        double lp[3], lm[3], mx = -INFINITY, z = 0;
        assert_int_equal(hl_chain_equilibrium(p, lp), HL_OK);
        for (int a = 0; a < 3; a++)
            mx = fmax(mx, lm[a] = S[a] - beta * E[a]);
        for (int a = 0; a < 3; a++)
            z += exp(lm[a] - mx);
        for (int a = 0; a < 3; a++)
            CHECK_NEAR(lp[a], lm[a] - mx - log(z), 1e-12, 1e-14);
        /* the weight of state 2 is below 1e-300 at beta 2: still exact */
        if (beta > 1.9)
            assert_true(lp[2] < -690);
        hl_chain_plan_free(p);
    }
    hl_chain_free(c);
}

/* parallel edges add their A; self-loops are dropped and counted;
 * transition states give ln K(a -> g) = S_ts - beta E_ts - ln M_a */
static void test_merge_and_ts(void **state)
{
    (void)state;
    hl_chain *c;
    assert_int_equal(hl_chain_create(4, &c), HL_OK);
    double S[4] = {0, 1, 2, 3}, E[4] = {0, 1, -1, 2};
    assert_int_equal(hl_chain_set_states(c, S, E), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 0, 1, log(2.0), 0.0), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 1, 0, log(3.0), 0.0), HL_OK); /* same pair */
    assert_int_equal(hl_chain_add_edge(c, 2, 2, 5.0, 0.0), HL_OK);      /* self-loop */
    assert_int_equal(hl_chain_add_transition_state(c, 2, 3, 0.25, 4.0), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 3, 2, -0.5, 3.0), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 1, 2, -400.0, 300.0), HL_OK);
    hl_chain_info info;
    hl_chain_get_info(c, &info);
    assert_int_equal(info.states, 4);
    assert_int_equal(info.edges, 5);
    assert_int_equal(info.pairs, 3);
    assert_int_equal(info.self_loops, 1);
    assert_int_equal(info.exits, 0);
    double beta = 1.5, lr;
    hl_chain_plan *p;
    assert_int_equal(hl_chain_plan_create(c, beta, &p), HL_OK);
    double lm[4];
    for (int a = 0; a < 4; a++)
        lm[a] = S[a] - beta * E[a];
    /* 0 -> 1: A = 5 */
    assert_int_equal(hl_chain_ln_rate(p, 0, 1, &lr), HL_OK);
    CHECK_REL(lr, log(5.0) + 0.5 * (lm[1] - lm[0]), 1e-14);
    assert_int_equal(hl_chain_ln_rate(p, 1, 0, &lr), HL_OK);
    CHECK_REL(lr, log(5.0) + 0.5 * (lm[0] - lm[1]), 1e-14);
    /* 2 -> 3: two transition states add */
    double g1 = 0.25 - beta * 4.0, g2 = -0.5 - beta * 3.0;
    double lts = fmax(g1, g2) + log1p(exp(-fabs(g1 - g2)));
    assert_int_equal(hl_chain_ln_rate(p, 2, 3, &lr), HL_OK);
    CHECK_REL(lr, lts - lm[2], 1e-14);
    assert_int_equal(hl_chain_ln_rate(p, 3, 2, &lr), HL_OK);
    CHECK_REL(lr, lts - lm[3], 1e-14);
    /* 1 -> 2: a rate far below 1e-300, exact in logs */
    assert_int_equal(hl_chain_ln_rate(p, 1, 2, &lr), HL_OK);
    CHECK_REL(lr, -400.0 - beta * 300.0 + 0.5 * (lm[2] - lm[1]), 1e-14);
    assert_true(lr < -745);
    /* no edge */
    assert_int_equal(hl_chain_ln_rate(p, 0, 3, &lr), HL_OK);
    assert_true(lr == -INFINITY);
    assert_int_equal(hl_chain_ln_rate(p, 0, 4, &lr), HL_EINVAL);
    hl_chain_plan_free(p);
    hl_chain_free(c);
}

static void test_components(void **state)
{
    (void)state;
    hl_chain *c;
    assert_int_equal(hl_chain_create(6, &c), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 0, 3, 0, 0), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 5, 3, 0, 0), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 1, 4, 0, 0), HL_OK);
    hl_chain_plan *p;
    assert_int_equal(hl_chain_plan_create(c, 1.0, &p), HL_OK);
    long comp[6], nc;
    assert_int_equal(hl_chain_components(p, comp, &nc), HL_OK);
    assert_int_equal(nc, 3);
    long want[6] = {0, 1, 2, 0, 1, 0};
    for (int a = 0; a < 6; a++)
        assert_int_equal(comp[a], want[a]);
    double lp[6];
    assert_int_equal(hl_chain_equilibrium(p, lp), HL_OK);
    CHECK_REL(lp[0], -log(3.0), 1e-14);
    CHECK_REL(lp[1], -log(2.0), 1e-14);
    CHECK_ABS(lp[2], 0.0, 1e-15);
    hl_chain_plan_free(p);
    hl_chain_free(c);
}

static void test_errors(void **state)
{
    (void)state;
    hl_chain *c = NULL;
    assert_int_equal(hl_chain_create(0, &c), HL_EINVAL);
    assert_null(c);
    assert_int_equal(hl_chain_create(2, NULL), HL_EINVAL);
    assert_int_equal(hl_chain_create(2, &c), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 0, 2, 0, 0), HL_EINVAL);
    assert_non_null(strstr(hl_errmsg(), "state 2"));
    assert_int_equal(hl_chain_add_edge(c, -1, 1, 0, 0), HL_EINVAL);
    assert_int_equal(hl_chain_add_edge(c, 0, 1, NAN, 0), HL_EDOM);
    assert_int_equal(hl_chain_add_transition_state(c, 0, 1, 0, INFINITY), HL_EDOM);
    assert_int_equal(hl_chain_set_state(c, 1, NAN, 0), HL_EDOM);
    assert_int_equal(hl_chain_set_state(c, 2, 0, 0), HL_EINVAL);
    assert_int_equal(hl_chain_set_exit(c, 0, INFINITY, 0), HL_EDOM);
    hl_chain_plan *p = NULL;
    assert_int_equal(hl_chain_plan_create(c, 0.0, &p), HL_EDOM);
    assert_int_equal(hl_chain_plan_create(c, NAN, &p), HL_EDOM);
    assert_null(p);
    /* a weight that overflows at this beta */
    assert_int_equal(hl_chain_set_state(c, 0, 0.0, -1e308), HL_OK);
    assert_int_equal(hl_chain_plan_create(c, 1e10, &p), HL_ERANGE);
    assert_non_null(strstr(hl_errmsg(), "state 0"));
    /* rates that overflow although weights do not */
    assert_int_equal(hl_chain_set_state(c, 0, 0.0, 0.0), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 0, 1, 700.0, 0.0), HL_OK);
    assert_int_equal(hl_chain_set_state(c, 1, 200.0, 0.0), HL_OK);
    /* the plan keeps the logs; the solves that exponentiate rates refuse
     * it, naming the edge, while first passage (extended exponent) works:
     * K(0 -> 1) = e^800, K(1 -> 0) = e^600, so the MFPT from 1 to 0 is
     * e^-600 */
    assert_int_equal(hl_chain_plan_create(c, 1.0, &p), HL_OK);
    double r[2], lt[3];
    assert_int_equal(hl_chain_spectrum(p, 2, r, NULL), HL_ERANGE);
    assert_non_null(strstr(hl_errmsg(), "edge 0 -- 1"));
    long tgt = 0;
    assert_int_equal(hl_chain_mfpt(p, 1, &tgt, NULL, lt, NULL), HL_OK);
    assert_true(fabs(lt[1] + 600.0) < 1e-12 * 600.0);
    hl_chain_plan_free(p);
    p = NULL;
    /* beyond the extended exponent: the first passage refuses, saying so */
    assert_int_equal(hl_chain_set_state(c, 1, 0.0, 1.0), HL_OK);
    assert_int_equal(hl_chain_plan_create(c, 1e13, &p), HL_OK);
    assert_int_equal(hl_chain_mfpt(p, 1, &tgt, NULL, lt, NULL), HL_ERANGE);
    assert_non_null(strstr(hl_errmsg(), "too low"));
    hl_chain_plan_free(p);
    hl_chain_free(c);
    hl_chain_free(NULL);
    hl_chain_plan_free(NULL);
}

/* a ring of n states with equal weights and A = 1: rates 2 (1 - cos(2 pi j / n)),
 * each nonzero one twice; a path of n states: 2 (1 - cos(pi j / n)) */
static void test_spectrum_closed_forms(void **state)
{
    (void)state;
    for (int ring = 0; ring < 2; ring++)
        for (int n = 5; n <= 2600; n = n * 4 + 1) {
            hl_chain *c;
            assert_int_equal(hl_chain_create(n, &c), HL_OK);
            for (int a = 0; a + 1 < n; a++)
                assert_int_equal(hl_chain_add_edge(c, a, a + 1, 0.0, 0.0), HL_OK);
            if (ring)
                assert_int_equal(hl_chain_add_edge(c, n - 1, 0, 0.0, 0.0), HL_OK);
            hl_chain_plan *p;
            assert_int_equal(hl_chain_plan_create(c, 1.0, &p), HL_OK);
            double rates[7];
            hl_chain_result r = {0};
            assert_int_equal(hl_chain_spectrum(p, 7, rates, &r), HL_OK);
            assert_non_null(r.method);
            assert_true(r.resolution >= 0 && r.resolution < 1e-10);
            CHECK_ABS(rates[0], 0.0, 1e-12);
            for (int q = 1; q < 7; q++) {
                if (q >= n) { /* beyond the chain's size */
                    assert_true(isnan(rates[q]));
                    continue;
                }
                int j = ring ? (q + 1) / 2 : q;
                double ref = 2 * (1 - cos((ring ? 2 : 1) * TEST_PI * j / n));
                /* tiny rates of long chains: relative accuracy */
                CHECK_REL(rates[q], ref, 1e-9);
            }
            hl_chain_plan_free(p);
            hl_chain_free(c);
        }
}

/* two states: the rate k12 + k21 however small, and the evolution
 * p1(t) = p1eq + (p1(0) - p1eq) exp(-(k12 + k21) t) */
static void test_two_state(void **state)
{
    (void)state;
    hl_chain *c;
    assert_int_equal(hl_chain_create(2, &c), HL_OK);
    assert_int_equal(hl_chain_set_state(c, 0, 0.0, 0.0), HL_OK);
    assert_int_equal(hl_chain_set_state(c, 1, 1.0, 0.5), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 0, 1, 0.3, 20.0), HL_OK);
    for (double beta = 0.5; beta < 40; beta *= 3) {
        hl_chain_plan *p;
        assert_int_equal(hl_chain_plan_create(c, beta, &p), HL_OK);
        double lm0 = 0.0, lm1 = 1.0 - 0.5 * beta, lts = 0.3 - 20.0 * beta;
        double k01 = exp(lts - lm0), k10 = exp(lts - lm1), lam = k01 + k10;
        double rates[2];
        hl_chain_result r;
        assert_int_equal(hl_chain_spectrum(p, 2, rates, &r), HL_OK);
        if (isnan(rates[1])) {
            /* below the method's resolution: said so, never a rounded 0 */
            assert_true(lam < r.resolution);
        } else {
            CHECK_REL(rates[1], lam, 1e-12);
        }
        double p0[2] = {1.0, 0.0}, t[3] = {0.0, 0.3 / lam, 3.0 / lam}, out[6];
        if (isfinite(t[2]) && lam > 1e-200) {
            assert_int_equal(hl_chain_evolve(p, p0, t, 3, 1e-10, out, &r), HL_OK);
            double p1eq = k01 / lam;
            for (int i = 0; i < 3; i++) {
                double ref = p1eq * (1 - exp(-lam * t[i]));
                CHECK_NEAR(out[2 * i + 1], ref, 1e-12, 1e-7);
                CHECK_NEAR(out[2 * i] + out[2 * i + 1], 1.0, 1e-13, 0);
            }
        }
        hl_chain_plan_free(p);
    }
    hl_chain_free(c);
}

/* hl_chain_set_input_errors: the per-rate bounds of hl_chain_slow_rates_bounds
 * grow by expm1(delta_A + 2 delta_M) (1 + bound), delta_M the largest
 * s_err + beta e_err plus the plan's rounding of s - beta e (first order,
 * a few ulps of the values here), delta_A the edge error; bad errors are
 * refused */
static void test_input_errors(void **state)
{
    (void)state;
    hl_chain *c;
    const long n = 4;
    assert_int_equal(hl_chain_create(n, &c), HL_OK);
    for (long a = 0; a < n; a++)
        assert_int_equal(hl_chain_set_state(c, a, 0.1 * (double)a, 0.2 * (double)(a % 2)), HL_OK);
    for (long a = 0; a + 1 < n; a++)
        assert_int_equal(hl_chain_add_edge(c, a, a + 1, 0.0, 0.0), HL_OK);
    double beta = 1.5, lr0[4], b0[4], lr1[4], b1[4];
    hl_chain_plan *p;
    hl_chain_result r;
    assert_int_equal(hl_chain_plan_create(c, beta, &p), HL_OK);
    assert_int_equal(hl_chain_slow_rates_bounds(p, 4, lr0, b0, NULL, 0, &r), HL_OK);
    hl_chain_plan_free(p);
    double se[4] = {1e-10, 0, 3e-10, 0}, ee[4] = {0, 2e-10, 0, 0};
    assert_int_equal(hl_chain_set_input_errors(c, se, ee, 5e-11), HL_OK);
    assert_int_equal(hl_chain_plan_create(c, beta, &p), HL_OK);
    assert_int_equal(hl_chain_slow_rates_bounds(p, 4, lr1, b1, NULL, 0, &r), HL_OK);
    hl_chain_plan_free(p);
    assert_true(b0[0] == 0 && b1[0] == 0);
    double dm = 3e-10; /* max(1e-10, 1.5 * 2e-10, 3e-10) */
    double add = expm1(5e-11 + 2 * dm);
    for (int q = 1; q < 4; q++) {
        assert_true(lr0[q] == lr1[q]);
        double grow = b1[q] - b0[q];
        /* the plan's own rounding adds a few 1e-16 */
        assert_true(grow >= add * (1 + b0[q]) && grow <= add * (1 + b0[q]) + 1e-14);
        assert_true(b1[q] <= r.resolution);
    }
    se[1] = -1;
    assert_int_equal(hl_chain_set_input_errors(c, se, ee, 0), HL_EDOM);
    se[1] = 0;
    assert_int_equal(hl_chain_set_input_errors(c, se, ee, NAN), HL_EDOM);
    assert_int_equal(hl_chain_set_input_errors(NULL, se, ee, 0), HL_EINVAL);
    hl_chain_free(c);
}

/* a path 0..N with unit rates: MFPT to N is (N(N+1) - k(k+1)) / 2, the
 * committor from A = {0} to B = {N} is k / N and its complement (N - k) / N,
 * by both first-passage methods */
static void test_path_passage(void **state)
{
    (void)state;
    const char *methods[2] = {"graph-transformation", "sparse-direct"};
    for (long N = 3; N <= 3000; N = N * 7 + 1) {
        hl_chain *c;
        assert_int_equal(hl_chain_create(N + 1, &c), HL_OK);
        for (long a = 0; a < N; a++)
            assert_int_equal(hl_chain_add_edge(c, a, a + 1, 0.0, 0.0), HL_OK);
        hl_chain_plan *p;
        assert_int_equal(hl_chain_plan_create(c, 1.0, &p), HL_OK);
        double *lt = malloc(sizeof(double) * (size_t)(N + 1));
        double *lq = malloc(sizeof(double) * (size_t)(N + 1));
        double *lqm = malloc(sizeof(double) * (size_t)(N + 1));
        for (int m = 0; m < 2; m++) {
            long target = N, A = 0, B = N;
            hl_chain_result r = {0};
            assert_int_equal(hl_chain_mfpt(p, 1, &target, methods[m], lt, &r), HL_OK);
            assert_string_equal(r.method, methods[m]);
            for (long k = 0; k < N; k += N / 3 + 1)
                CHECK_REL(lt[k], log(0.5 * ((double)N * (N + 1) - (double)k * (k + 1))),
                          m ? 1e-9 : 1e-13);
            assert_true(lt[N] == -INFINITY);
            assert_int_equal(hl_chain_committor(p, 1, &A, 1, &B, methods[m], lq, lqm, &r), HL_OK);
            for (long k = 1; k < N; k += N / 3 + 1) {
                CHECK_REL(lq[k], log((double)k / N), m ? 1e-9 : 1e-13);
                CHECK_REL(lqm[k], log((double)(N - k) / N), m ? 1e-9 : 1e-13);
            }
            assert_true(lq[0] == -INFINITY && lq[N] == 0.0);
        }
        free(lt);
        free(lq);
        free(lqm);
        hl_chain_plan_free(p);
        hl_chain_free(c);
    }
}

/* two states with a barrier far beyond the double range: MFPT 1/k01 and
 * k^SS = k^NSS = k^F = k01 one way, k10 the other, exactly in logs */
static void test_two_state_extreme(void **state)
{
    (void)state;
    hl_chain *c;
    assert_int_equal(hl_chain_create(2, &c), HL_OK);
    assert_int_equal(hl_chain_set_state(c, 1, 2.0, -3.0), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 0, 1, -1.0, 50.0), HL_OK);
    double beta = 30.0; /* ln k ~ -1500 */
    hl_chain_plan *p;
    assert_int_equal(hl_chain_plan_create(c, beta, &p), HL_OK);
    double lm1 = 2.0 + 3.0 * beta, lts = -1.0 - 50.0 * beta;
    double lk01 = lts, lk10 = lts - lm1;
    double lt[2];
    long t1 = 1, t0 = 0;
    hl_chain_result r;
    assert_int_equal(hl_chain_mfpt(p, 1, &t1, NULL, lt, &r), HL_OK);
    CHECK_REL(lt[0], -lk01, 1e-13);
    assert_int_equal(hl_chain_mfpt(p, 1, &t0, NULL, lt, &r), HL_OK);
    CHECK_REL(lt[1], -lk10, 1e-13);
    hl_chain_direction ab, ba;
    assert_int_equal(hl_chain_rate_constants(p, 1, &t0, 1, &t1, NULL, &ab, &ba, &r), HL_OK);
    CHECK_REL(ab.ln_k_ss, lk01, 1e-13);
    CHECK_REL(ab.ln_k_nss, lk01, 1e-13);
    CHECK_REL(ab.ln_k_f, lk01, 1e-13);
    CHECK_REL(ab.ln_mfpt, -lk01, 1e-13);
    CHECK_REL(ba.ln_k_ss, lk10, 1e-13);
    CHECK_REL(ba.ln_k_f, lk10, 1e-13);
    /* errors: empty, bad and overlapping sets, an unreachable target */
    assert_int_equal(hl_chain_mfpt(p, 0, &t0, NULL, lt, &r), HL_EINVAL);
    long bad = 2;
    assert_int_equal(hl_chain_mfpt(p, 1, &bad, NULL, lt, &r), HL_EINVAL);
    assert_int_equal(hl_chain_committor(p, 1, &t0, 1, &t0, NULL, lt, NULL, &r), HL_EINVAL);
    assert_int_equal(hl_chain_mfpt(p, 1, &t1, "no-such-method", lt, &r), HL_EINVAL);
    hl_chain_plan_free(p);
    hl_chain_free(c);
    assert_int_equal(hl_chain_create(3, &c), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 0, 1, 0.0, 0.0), HL_OK);
    assert_int_equal(hl_chain_plan_create(c, 1.0, &p), HL_OK);
    double lt3[3];
    long t2 = 2;
    assert_int_equal(hl_chain_mfpt(p, 1, &t2, NULL, lt3, &r), HL_ENOTFOUND);
    hl_chain_plan_free(p);
    hl_chain_free(c);
}

/* two states under a cooling protocol T(t) = 2 - t (t in [0, 1.5]), then
 * constant: against RK4 on dp1/dt = k01 p0 - k10 p1 with the rates at
 * beta(t); a constant protocol equals the fixed beta */
static double lk_ts(double beta) { return 0.2 - 1.5 * beta; }
static double lm1_of(double beta) { return 0.7 - 0.8 * beta; }
static double p1_rate(double t, double p1)
{
    double T = t < 1.5 ? 2.0 - t : 0.5, beta = 1.0 / T;
    double k01 = exp(lk_ts(beta)), k10 = exp(lk_ts(beta) - lm1_of(beta));
    return k01 * (1 - p1) - k10 * p1;
}

static void test_protocol_evolution(void **state)
{
    (void)state;
    hl_chain *c;
    assert_int_equal(hl_chain_create(2, &c), HL_OK);
    assert_int_equal(hl_chain_set_state(c, 1, 0.7, 0.8), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 0, 1, 0.2, 1.5), HL_OK);
    double tt[2] = {0.0, 1.5}, TT[2] = {2.0, 0.5};
    hl_protocol *prot;
    assert_int_equal(hl_protocol_create(HL_PROTOCOL_T, 2, tt, TT, &prot), HL_OK);
    double p0[2] = {1.0, 0.0}, times[4] = {0.0, 0.5, 1.5, 4.0}, out[8];
    hl_chain_result r = {0};
    assert_int_equal(hl_chain_evolve_protocol(c, prot, p0, times, 4, 1e-10, out, &r), HL_OK);
    assert_non_null(r.method);
    /* RK4 with a fine step */
    double p1 = 0.0, t = 0.0, h = 1e-4;
    for (int i = 0; i < 4; i++) {
        while (t < times[i] - 1e-12) {
            double step = fmin(h, times[i] - t);
            double k1 = p1_rate(t, p1), k2 = p1_rate(t + step / 2, p1 + step / 2 * k1);
            double k3 = p1_rate(t + step / 2, p1 + step / 2 * k2),
                   k4 = p1_rate(t + step, p1 + step * k3);
            p1 += step / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
            t += step;
        }
        CHECK_NEAR(out[2 * i + 1], p1, 1e-9, 1e-7);
        CHECK_NEAR(out[2 * i] + out[2 * i + 1], 1.0, 1e-12, 0);
    }
    hl_protocol_free(prot);
    /* a constant protocol gives the fixed-beta evolution */
    assert_int_equal(hl_protocol_create_fixed(0.9, &prot), HL_OK);
    double out2[8];
    assert_int_equal(hl_chain_evolve_protocol(c, prot, p0, times, 4, 1e-10, out, &r), HL_OK);
    hl_chain_plan *p;
    assert_int_equal(hl_chain_plan_create(c, 0.9, &p), HL_OK);
    assert_int_equal(hl_chain_evolve(p, p0, times, 4, 1e-10, out2, &r), HL_OK);
    for (int i = 0; i < 8; i++)
        CHECK_NEAR(out[i], out2[i], 1e-14, 1e-12);
    hl_chain_plan_free(p);
    /* exits are refused */
    assert_int_equal(hl_chain_set_exit(c, 0, 0.0, 0.0), HL_OK);
    assert_int_equal(hl_chain_evolve_protocol(c, prot, p0, times, 4, 1e-10, out, &r), HL_EINVAL);
    hl_protocol_free(prot);
    hl_chain_free(c);
}

/* small chains (3..9 states, weights over 8 orders of magnitude, random
 * edges) at a fixed beta against the eigendecomposition of the symmetrised
 * generator (LAPACK dsyev, error ~ eps sqrt(max M / min M) ~ 1e-12) */
static void test_small_chains_evolution(void **state)
{
    (void)state;
    unsigned long long seed = 12345;
    for (int trial = 0; trial < 40; trial++) {
        int n = 3 + trial % 7;
        hl_chain *c;
        assert_int_equal(hl_chain_create(n, &c), HL_OK);
        double S[9];
        for (int a = 0; a < n; a++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            S[a] = -18.0 * (double)(seed >> 11) / 9007199254740992.0;
        }
        assert_int_equal(hl_chain_set_states(c, S, NULL), HL_OK);
        double Ssym[81] = {0};
        for (int a = 1; a < n; a++) { /* a random tree */
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            int g = (int)((seed >> 33) % (unsigned)a);
            double la = -2.0 * (double)(seed >> 11) / 9007199254740992.0;
            assert_int_equal(hl_chain_add_edge(c, a, g, la, 0.0), HL_OK);
            /* symmetrised: off-diagonal A, diagonal minus the rates out */
            Ssym[a * n + g] = Ssym[g * n + a] = exp(la);
            Ssym[a * n + a] -= exp(la + 0.5 * (S[g] - S[a]));
            Ssym[g * n + g] -= exp(la + 0.5 * (S[a] - S[g]));
        }
        double ev[9];
        assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', n, Ssym, n, ev), 0);
        hl_chain_plan *p;
        assert_int_equal(hl_chain_plan_create(c, 1.0, &p), HL_OK);
        double p0[9] = {0}, times[3] = {0.3, 3.0, 300.0}, out[27];
        int start = trial % n;
        p0[start] = 1.0;
        hl_chain_result r;
        assert_int_equal(hl_chain_evolve(p, p0, times, 3, 1e-10, out, &r), HL_OK);
        for (int i = 0; i < 3; i++)
            for (int a = 0; a < n; a++) {
                /* p_a(t) = e^{S_a/2} sum_k V_ak e^{ev_k t} V_sk e^{-S_s/2} */
                double ref = 0;
                for (int k = 0; k < n; k++)
                    ref += Ssym[a * n + k] * exp(ev[k] * times[i]) * Ssym[start * n + k];
                ref *= exp(0.5 * (S[a] - S[start]));
                CHECK_NEAR(out[i * n + a], ref, 1e-9, 1e-6);
            }
        hl_chain_plan_free(p);
        hl_chain_free(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equilibrium_parts),
        cmocka_unit_test(test_merge_and_ts),
        cmocka_unit_test(test_components),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_spectrum_closed_forms),
        cmocka_unit_test(test_two_state),
        cmocka_unit_test(test_input_errors),
        cmocka_unit_test(test_path_passage),
        cmocka_unit_test(test_two_state_extreme),
        cmocka_unit_test(test_protocol_evolution),
        cmocka_unit_test(test_small_chains_evolution),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
