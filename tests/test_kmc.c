/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_kmc.c -- kinetic Monte Carlo (kmc.h) against closed forms and the
 * master equation: exponential holding times (Kolmogorov-Smirnov) also
 * for rates far below the double range, first-passage means against the
 * graph transformation, ensemble means against hl_evolve on the class
 * lattice (fixed beta and a protocol with a B that depends on T), a
 * protocol case where rates frozen over a step would be visibly wrong,
 * bit-identical results for any thread count and any split of the range,
 * and the errors.  Each statistical check allows 4 standard errors: a
 * sampler biased by a few percent fails it. */
#include "test_util.h"

#include <string.h>

#include "hyperland/kmc.h"

/* two states: k(0 -> 1) = exp(ln_k01), k(1 -> 0) = exp(ln_k10) at beta 1 */
static hl_chain *two_state(double ln_k01, double ln_k10)
{
    hl_chain *c;
    assert_int_equal(hl_chain_create(2, &c), HL_OK);
    /* ln k(a -> b) = S_ts - S_a (energies 0): S_0 = 0, S_1 = ln_k01 - ln_k10 */
    assert_int_equal(hl_chain_set_state(c, 1, ln_k01 - ln_k10, 0.0), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 0, 1, ln_k01, 0.0), HL_OK);
    return c;
}

/* the Kolmogorov-Smirnov distance of sorted x[0..n) from Exp(1) */
static double ks_exp(const double *x, size_t n)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double F = -expm1(-x[i]);
        d = fmax(d, fmax((double)(i + 1) / n - F, F - (double)i / n));
    }
    return d;
}

static void fpt_sample(hl_chain *c, double beta, size_t n, uint64_t seed, double scale,
                       hl_kmc_fpt *s, double *sorted)
{
    hl_protocol *p;
    assert_int_equal(hl_protocol_create_fixed(beta, &p), HL_OK);
    hl_kmc *k;
    assert_int_equal(hl_kmc_create_chain(c, p, &k), HL_OK);
    double times[1] = {0};
    long target[1] = {1};
    hl_kmc_options o = {.seed = seed, .times = times, .n_times = 1, .start = 0,
                        .target = target, .n_target = 1};
    hl_kmc_part part;
    assert_int_equal(hl_kmc_ensemble(k, &o, 0, n, &part), HL_OK);
    for (size_t i = 0; i < n; i++)
        part.fpt[i] *= scale;
    assert_int_equal(hl_kmc_fpt_stats(&part, s, sorted), HL_OK);
    hl_kmc_part_free(&part);
    hl_kmc_free(k);
    hl_protocol_free(p);
}

/* the holding time in state 0 is Exp(k01): KS at the 1 % level (critical
 * 1.63 / sqrt(n) = 0.0115 at n = 20000; a rate off by 5 % gives D ~ 0.018),
 * for k01 = 2.5 and for k01 = e^-700 (k10 = 1: rates 304 decades apart) */
static void test_exponential_holding(void **state)
{
    (void)state;
    const size_t n = 20000;
    double *x = malloc(sizeof(double) * n);
    assert_non_null(x);
    double lk[2] = {log(2.5), -700.0};
    for (int c = 0; c < 2; c++) {
        hl_chain *ch = two_state(lk[c], 0.0);
        hl_kmc_fpt s;
        fpt_sample(ch, 1.0, n, 11 + c, exp(lk[c]), &s, x);
        assert_int_equal(s.reached, n);
        double d = ks_exp(x, n);
        if (!(d < 1.63 / sqrt((double)n)))
            fail_msg("KS distance %g for ln k = %g", d, lk[c]);
        /* the mean of Exp(1) within 4 standard errors */
        CHECK_ABS(s.mean, 1.0, 4 * s.sem);
        CHECK_REL(s.sem, 1.0 / sqrt((double)n), 0.05);
        hl_chain_free(ch);
    }
    /* the same test rejects a rate 5 % off */
    hl_chain *ch = two_state(log(2.5 * 1.05), 0.0);
    hl_kmc_fpt s;
    fpt_sample(ch, 1.0, n, 11, 2.5, &s, x);
    assert_true(ks_exp(x, n) > 1.63 / sqrt((double)n));
    hl_chain_free(ch);
    free(x);
}

/* a 5-state chain with several transition states per pair and energies:
 * the mean first-passage time against hl_chain_mfpt (graph transformation) */
static void test_fpt_chain(void **state)
{
    (void)state;
    hl_chain *c;
    assert_int_equal(hl_chain_create(5, &c), HL_OK);
    double S[5] = {0.0, 0.5, -0.3, 1.0, 0.2}, E[5] = {0.0, 0.4, -0.2, 0.9, 0.1};
    assert_int_equal(hl_chain_set_states(c, S, E), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 0, 1, 0.3, 1.0), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 0, 1, -0.5, 0.8), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 1, 2, 0.1, 1.2), HL_OK);
    assert_int_equal(hl_chain_add_edge(c, 2, 3, -0.2, 0.3), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 3, 4, 0.0, 1.5), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 0, 2, -1.0, 1.4), HL_OK);
    double beta = 1.7;
    hl_chain_plan *plan;
    assert_int_equal(hl_chain_plan_create(c, beta, &plan), HL_OK);
    long target[1] = {4};
    double lt[5];
    assert_int_equal(hl_chain_mfpt(plan, 1, target, NULL, lt, NULL), HL_OK);
    hl_protocol *p;
    assert_int_equal(hl_protocol_create_fixed(beta, &p), HL_OK);
    hl_kmc *k;
    assert_int_equal(hl_kmc_create_chain(c, p, &k), HL_OK);
    double times[2] = {0, 1};
    hl_kmc_options o = {.seed = 99, .times = times, .n_times = 2, .start = 0,
                        .target = target, .n_target = 1};
    hl_kmc_part part;
    assert_int_equal(hl_kmc_ensemble(k, &o, 0, 20000, &part), HL_OK);
    hl_kmc_fpt s;
    assert_int_equal(hl_kmc_fpt_stats(&part, &s, NULL), HL_OK);
    assert_int_equal(s.reached, 20000);
    CHECK_ABS(s.mean, exp(lt[0]), 4 * s.sem);
    /* and 10 % off is far outside: the check is sharp */
    assert_true(fabs(s.mean - 1.1 * exp(lt[0])) > 4 * s.sem);
    hl_kmc_part_free(&part);
    hl_kmc_free(k);
    hl_protocol_free(p);
    hl_chain_plan_free(plan);
    hl_chain_free(c);
}

/* a protocol: T from 0.3 to 1 over [0, 4] on a barrier chain, P_1(t)
 * against the master equation under the same protocol; rates frozen at a
 * row's start (T = 0.3 over [0, 4]) give P_1 many standard errors away */
static void test_protocol_master(void **state)
{
    (void)state;
    hl_chain *c;
    assert_int_equal(hl_chain_create(3, &c), HL_OK);
    double S[3] = {0, 0, 0.5}, E[3] = {0, -0.5, 0.3};
    assert_int_equal(hl_chain_set_states(c, S, E), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 0, 1, 0.0, 1.0), HL_OK);
    assert_int_equal(hl_chain_add_transition_state(c, 1, 2, 0.2, 1.2), HL_OK);
    double pt[2] = {0, 4}, pT[2] = {0.3, 1.0};
    hl_protocol *p, *frozen;
    assert_int_equal(hl_protocol_create(HL_PROTOCOL_T, 2, pt, pT, &p), HL_OK);
    assert_int_equal(hl_protocol_create_fixed(1 / 0.3, &frozen), HL_OK);
    double times[5] = {0.5, 1, 2, 4, 6}, p0[3] = {1, 0, 0};
    double me[15], mf[15];
    assert_int_equal(hl_chain_evolve_protocol(c, p, p0, times, 5, 1e-10, me, NULL), HL_OK);
    assert_int_equal(hl_chain_evolve_protocol(c, frozen, p0, times, 5, 1e-10, mf, NULL), HL_OK);
    hl_kmc *k;
    assert_int_equal(hl_kmc_create_chain(c, p, &k), HL_OK);
    hl_kmc_options o = {.seed = 7, .times = times, .n_times = 5, .p0 = p0};
    hl_kmc_part part;
    assert_int_equal(hl_kmc_ensemble(k, &o, 0, 20000, &part), HL_OK);
    double f[3] = {0, 1, 0}, mean[5], var[5];
    assert_int_equal(hl_kmc_moments(&part, k, f, mean, var, NULL), HL_OK);
    double worst_frozen = 0;
    for (int t = 0; t < 5; t++) {
        double se = sqrt(var[t] / 20000);
        CHECK_ABS(mean[t], me[3 * t + 1], 4 * se);
        worst_frozen = fmax(worst_frozen, fabs(mf[3 * t + 1] - me[3 * t + 1]) / se);
    }
    assert_true(worst_frozen > 10);
    hl_kmc_part_free(&part);
    hl_kmc_free(k);
    hl_protocol_free(p);
    hl_protocol_free(frozen);
    hl_chain_free(c);
}

/* the class lattice against hl_evolve: <x>, <y> and basin populations at
 * fixed beta; <x> under a protocol with B = exp(-0.5/T) (bounded by
 * interval arithmetic) */
static void lattice_case(const char *trans, hl_protocol *p, const hl_evolve_start *start,
                         uint64_t seed)
{
    hl_model *m;
    assert_int_equal(hl_model_create(NULL, &m), HL_OK);
    if (trans)
        assert_int_equal(hl_model_set_transmission(m, trans), HL_OK);
    long D = 20, N = 11 * 11;
    double times[4] = {0.3, 1, 3, 10};
    hl_evolve_point pts[4];
    hl_evolve_info info;
    assert_int_equal(hl_evolve(m, D, p, start, times, 4, HL_EVOLVE_GENERAL, 1e-9, pts, NULL,
                               &info), HL_OK);
    hl_kmc *k;
    assert_int_equal(hl_kmc_create_lattice(m, D, p, &k), HL_OK);
    assert_int_equal(hl_kmc_states(k), N);
    double *p0 = malloc(sizeof(double) * N), *fx = malloc(sizeof(double) * N);
    double *fy = malloc(sizeof(double) * N), *fb = malloc(sizeof(double) * N);
    int *basin = malloc(sizeof(int) * N);
    assert_int_equal(hl_kmc_lattice_start(m, D, start, hl_protocol_beta(p, 0), p0, NULL), HL_OK);
    for (long i = 0; i < N; i++) {
        long a = i / 11, b = i % 11;
        fx[i] = (a + b) / 10.0 - 1;
        fy[i] = (a - b) / 10.0;
    }
    hl_kmc_options o = {.seed = seed, .times = times, .n_times = 4, .p0 = p0};
    hl_kmc_part part;
    const size_t n = 8000;
    assert_int_equal(hl_kmc_ensemble(k, &o, 0, n, &part), HL_OK);
    double mx[4], vx[4], my[4], vy[4], mb[4], vb[4];
    assert_int_equal(hl_kmc_moments(&part, k, fx, mx, vx, NULL), HL_OK);
    assert_int_equal(hl_kmc_moments(&part, k, fy, my, vy, NULL), HL_OK);
    for (int t = 0; t < 4; t++) {
        CHECK_ABS(mx[t], pts[t].mean_x, 4 * sqrt(vx[t] / n) + 1e-9);
        CHECK_ABS(my[t], pts[t].mean_y, 4 * sqrt(vy[t] / n) + 1e-9);
        /* the basins of beta(t), as evolve */
        hl_basin bs[HL_MAX_BASINS];
        int nb;
        assert_int_equal(hl_kmc_lattice_basins(m, D, hl_protocol_beta(p, times[t]), basin, bs,
                                               &nb), HL_OK);
        for (int q = 0; q < nb; q++) {
            for (long i = 0; i < N; i++)
                fb[i] = basin[i] == q;
            assert_int_equal(hl_kmc_moments(&part, k, fb, mb, vb, NULL), HL_OK);
            double ref = 0;
            for (int r = 0; r < pts[t].n_basins; r++)
                if (!strcmp(pts[t].basins[r].name, bs[q].name))
                    ref = pts[t].basins[r].probability;
            CHECK_ABS(mb[t], ref, 4 * sqrt((ref * (1 - ref) + 1.0 / n) / n));
        }
    }
    hl_kmc_part_free(&part);
    free(p0);
    free(fx);
    free(fy);
    free(fb);
    free(basin);
    hl_kmc_free(k);
    hl_model_free(m);
}

static void test_lattice_evolve(void **state)
{
    (void)state;
    hl_protocol *p;
    assert_int_equal(hl_protocol_create_fixed(1.2, &p), HL_OK);
    hl_evolve_start s = {.kind = HL_START_INFINITE_T};
    lattice_case(NULL, p, &s, 1);
    hl_evolve_start l = {.kind = HL_START_BASIN, .basin = "liquid"};
    lattice_case("1 + x^2", p, &l, 2);
    hl_protocol_free(p);
    /* a cooling protocol with a B that depends on T */
    double pt[3] = {0, 2, 6}, pT[3] = {2.0, 1.0, 0.5};
    assert_int_equal(hl_protocol_create(HL_PROTOCOL_T, 3, pt, pT, &p), HL_OK);
    lattice_case("exp(-0.5/T)", p, &s, 3);
    hl_protocol_free(p);
}

/* the same bits with 1 or 2 threads and for any split of the range */
static void test_reproducible(void **state)
{
    (void)state;
    hl_model *m;
    assert_int_equal(hl_model_create(NULL, &m), HL_OK);
    double pt[2] = {0, 3}, pT[2] = {1.5, 0.6};
    hl_protocol *p;
    assert_int_equal(hl_protocol_create(HL_PROTOCOL_T, 2, pt, pT, &p), HL_OK);
    hl_kmc *k;
    assert_int_equal(hl_kmc_create_lattice(m, 16, p, &k), HL_OK);
    long N = 81, target[9];
    for (int i = 0; i < 9; i++)
        target[i] = 72 + i; /* a = n1 = 8: the row of the crystal corner */
    double times[3] = {0.5, 2, 5}, *p0 = malloc(sizeof(double) * N);
    for (long i = 0; i < N; i++)
        p0[i] = 1.0 / N;
    hl_kmc_options o = {.seed = 1234567, .times = times, .n_times = 3, .p0 = p0,
                        .target = target, .n_target = 9, .max_events = 200000};
    hl_kmc_part a, b, c, d;
    assert_int_equal(hl_set_threads(1, NULL), HL_OK);
    assert_int_equal(hl_kmc_ensemble(k, &o, 0, 300, &a), HL_OK);
    assert_int_equal(hl_set_threads(2, NULL), HL_OK);
    assert_int_equal(hl_kmc_ensemble(k, &o, 0, 300, &b), HL_OK);
    assert_int_equal(hl_kmc_ensemble(k, &o, 0, 77, &c), HL_OK);
    assert_int_equal(hl_kmc_ensemble(k, &o, 77, 300, &d), HL_OK);
    assert_int_equal(hl_kmc_part_append(&c, &d), HL_OK);
    assert_int_equal(c.n, 300);
    for (hl_kmc_part *q = &b; q; q = q == &b ? &c : NULL) {
        assert_memory_equal(a.state, q->state, sizeof(long) * 900);
        assert_memory_equal(a.fpt, q->fpt, sizeof(double) * 300);
        assert_memory_equal(a.events, q->events, sizeof(long) * 300);
    }
    /* one trajectory alone is the ensemble's */
    long sa[3];
    hl_kmc_info info;
    assert_int_equal(hl_kmc_trajectory(k, &o, 123, sa, NULL, 0, &info), HL_OK);
    assert_memory_equal(sa, a.state + 3 * 123, sizeof sa);
    assert_int_equal(info.events, a.events[123]);
    /* a part that does not join is refused */
    assert_int_equal(hl_kmc_part_append(&a, &d), HL_EINVAL);
    hl_kmc_part_free(&a);
    hl_kmc_part_free(&b);
    hl_kmc_part_free(&c);
    hl_kmc_part_free(&d);
    free(p0);
    hl_kmc_free(k);
    hl_protocol_free(p);
    hl_model_free(m);
}

static void test_errors(void **state)
{
    (void)state;
    hl_chain *c = two_state(0.0, 0.0);
    hl_protocol *p;
    assert_int_equal(hl_protocol_create_fixed(1.0, &p), HL_OK);
    hl_kmc *k;
    assert_int_equal(hl_kmc_create_chain(c, p, &k), HL_OK);
    long sa[3];
    hl_kmc_info info;
    double bad1[2] = {1, 1}, bad2[1] = {-1}, bad3[1] = {NAN}, ok[1] = {1};
    hl_kmc_options o = {.seed = 1, .times = bad1, .n_times = 2};
    assert_int_equal(hl_kmc_trajectory(k, &o, 0, sa, NULL, 0, &info), HL_EDOM);
    o.times = bad2;
    o.n_times = 1;
    assert_int_equal(hl_kmc_trajectory(k, &o, 0, sa, NULL, 0, &info), HL_EDOM);
    o.times = bad3;
    assert_int_equal(hl_kmc_trajectory(k, &o, 0, sa, NULL, 0, &info), HL_EDOM);
    o.times = ok;
    o.n_times = 0;
    assert_int_equal(hl_kmc_trajectory(k, &o, 0, sa, NULL, 0, &info), HL_EINVAL);
    o.n_times = 1;
    o.start = 2;
    assert_int_equal(hl_kmc_trajectory(k, &o, 0, sa, NULL, 0, &info), HL_EINVAL);
    o.start = 0;
    long tg[2] = {1, 1};
    o.target = tg;
    o.n_target = 2;
    assert_int_equal(hl_kmc_trajectory(k, &o, 0, sa, NULL, 0, &info), HL_EINVAL);
    o.target = NULL;
    o.n_target = 0;
    double p0[2] = {0.5, 0.6};
    o.p0 = p0;
    assert_int_equal(hl_kmc_trajectory(k, &o, 0, sa, NULL, 0, &info), HL_EDOM);
    o.p0 = NULL;
    hl_kmc_part part;
    assert_int_equal(hl_kmc_ensemble(k, &o, 5, 5, &part), HL_EINVAL);
    /* a truncated trajectory: states -1 after it, no first passage */
    double far[1] = {1e6};
    long t1[1] = {1};
    o.times = far;
    o.max_events = 10;
    assert_int_equal(hl_kmc_trajectory(k, &o, 0, sa, NULL, 0, &info), HL_OK);
    assert_int_equal(info.truncated, 1);
    assert_int_equal(sa[0], -1);
    o.target = t1;
    o.n_target = 1;
    o.max_events = 0;
    assert_int_equal(hl_kmc_trajectory(k, &o, 0, sa, NULL, 0, &info), HL_OK);
    assert_false(isnan(info.fpt));
    hl_kmc_free(k);
    /* a chain with exits is refused */
    assert_int_equal(hl_chain_set_exit(c, 0, 0.0, 0.0), HL_OK);
    assert_int_equal(hl_kmc_create_chain(c, p, &k), HL_EINVAL);
    hl_chain_free(c);
    hl_protocol_free(p);
    /* a lattice with a bad D */
    hl_model *m;
    assert_int_equal(hl_model_create(NULL, &m), HL_OK);
    assert_int_equal(hl_protocol_create_fixed(1.0, &p), HL_OK);
    assert_int_not_equal(hl_kmc_create_lattice(m, 7, p, &k), HL_OK);
    hl_protocol_free(p);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential_holding), cmocka_unit_test(test_fpt_chain),
        cmocka_unit_test(test_protocol_master),     cmocka_unit_test(test_lattice_evolve),
        cmocka_unit_test(test_reproducible),        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
