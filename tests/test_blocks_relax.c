/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks_relax.c -- the supercooled liquid's relaxation time and
 * lifetime on the class lattice of k blocks (hl_blocks_relaxation_at) and
 * the classes of a named basin (hl_blocks_basin_classes): (a) two equal
 * blocks give hl_relaxation_at's numbers (the 2-D class lattice) for the
 * paper's phi with B(x, y, T) and another phi; (b) a separable phi with
 * unequal blocks: tau is the slower of the two factors' (block 1 restricted
 * to its liquid basin, block 2 whole), each from a one-block model; (c)
 * the basin classes against hl_blocks_exact_compute; (d) bad input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "hyperland/blocks_exact.h"
#include "hyperland/blocks_kinetics.h"
#include "hyperland/relaxation.h"

static void pair_case(long D, const char *phi_xy, const char *trans, double T)
{
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(phi_xy, &m));
    if (trans)
        CHECK_OK(hl_model_set_transmission(m, trans));
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create_equal(2, D, phi_xy, &b));
    if (trans)
        CHECK_OK(hl_blocks_set_transmission(b, trans));
    hl_relax_point a, p;
    CHECK_OK(hl_relaxation_at(m, D, T, &a));
    CHECK_OK(hl_blocks_relaxation_at(b, NULL, T, NULL, NULL, &p));
    assert_int_equal(a.liquid_classes, p.liquid_classes);
    assert_true(isfinite(a.ln_tau) && isfinite(a.ln_mfpt));
    CHECK_REL(p.ln_tau, a.ln_tau, 1e-10);
    CHECK_REL(p.ln_mfpt, a.ln_mfpt, 1e-10);
    CHECK_REL(p.p_liquid, a.p_liquid, 1e-10);
    hl_blocks_free(b);
    hl_model_free(m);
}

static void test_pair(void **state)
{
    (void)state;
    pair_case(16, NULL, "exp(-3*y^2/T)", 0.3);
    pair_case(24, NULL, "exp(-3/T)", 0.5);
    pair_case(20, "x-1.2*(y+0.1)^2+0.5*(y+0.1)^3", NULL, 0.4);
}

/* ln tau of the one-block model of `size` spins with phi g at T, its basin
 * `name` (NULL: the whole chain: the slowest nonzero rate of hl_chain) */
static double one_block_ln_tau(long size, const char *g, double T, const char *name)
{
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(1, &size, g, &b));
    double lt;
    if (name) {
        hl_relax_point p;
        CHECK_OK(hl_blocks_relaxation_at(b, NULL, T, name, "crystal", &p));
        lt = p.ln_tau;
    } else {
        hl_chain *c = NULL;
        hl_chain_plan *pl = NULL;
        CHECK_OK(hl_blocks_chain(b, 1.0 / T, &c));
        CHECK_OK(hl_chain_plan_create(c, 1.0 / T, &pl));
        double lr[2];
        char why[160];
        CHECK_OK(hl_chain_slow_rates(pl, 2, lr, why, sizeof why, NULL));
        lt = -lr[1];
        hl_chain_plan_free(pl);
        hl_chain_free(c);
    }
    hl_blocks_free(b);
    return lt;
}

static void test_separable(void **state)
{
    (void)state;
    /* phi = r1 g1(m1) + r2 g2(m2): D phi = D1 g1 + D2 g2, the product of a
     * model of D1 spins with phi g1 and one of D2 spins with phi g2 */
    const long sz[2][2] = {{12, 6}, {10, 4}};
    const double Ts[3] = {0.3, 0.5, 0.8};
    for (int s = 0; s < 2; s++)
        for (int t = 0; t < 3; t++) {
            long d1 = sz[s][0], d2 = sz[s][1], D = d1 + d2;
            char phi[200];
            snprintf(phi, sizeof phi, "%ld/%ld*(-1.5*m1^2+0.3*m1) + %ld/%ld*%s", d1, D, d2, D,
                     s ? "3*m2" : "(0.5*m2^2+m2)");
            hl_blocks *b = NULL;
            CHECK_OK(hl_blocks_create(2, sz[s], phi, &b));
            hl_relax_point p;
            CHECK_OK(hl_blocks_relaxation_at(b, NULL, Ts[t], NULL, NULL, &p));
            double l1 = one_block_ln_tau(d1, "-1.5*m1^2+0.3*m1", Ts[t], "liquid");
            double l2 = one_block_ln_tau(d2, s ? "3*m1" : "0.5*m1^2+m1", Ts[t], NULL);
            CHECK_REL(p.ln_tau, fmax(l1, l2), 1e-10);
            hl_blocks_free(b);
        }
}

static void test_basin_classes(void **state)
{
    (void)state;
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create_equal(2, 20, NULL, &b));
    hl_blocks_exact *ex = NULL;
    CHECK_OK(hl_blocks_exact_create(b, &ex));
    long nc = hl_blocks_n_classes(b);
    int *basin = malloc(sizeof(int) * (size_t)nc);
    long *set = malloc(sizeof(long) * (size_t)nc);
    assert_non_null(basin);
    assert_non_null(set);
    hl_blocks_exact_result r = {0};
    CHECK_OK(hl_blocks_exact_compute(ex, 1.0 / 0.4, basin, &r));
    int q = hl_blocks_basin_find(&r, "liquid");
    assert_true(q >= 0);
    size_t n = 0;
    CHECK_OK(hl_blocks_basin_classes(b, ex, 0.4, "liquid", set, &n));
    assert_int_equal((long)n, r.basins[q].classes);
    for (size_t j = 0; j < n; j++) {
        assert_int_equal(basin[set[j]], q);
        if (j)
            assert_true(set[j] > set[j - 1]);
    }
    size_t n2 = 0;
    CHECK_OK(hl_blocks_basin_classes(b, NULL, 0.4, "liquid", set, &n2)); /* own plan */
    assert_int_equal(n2, n);
    CHECK_OK(hl_blocks_basin_classes(b, ex, 0.4, "nosuch", set, &n));
    assert_int_equal(n, 0);
    hl_blocks_exact_result_free(&r);
    free(basin);
    free(set);
    hl_blocks_exact_free(ex);
    hl_blocks_free(b);
}

static void test_errors(void **state)
{
    (void)state;
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create_equal(2, 12, NULL, &b));
    hl_relax_point p;
    assert_int_equal(hl_blocks_relaxation_at(b, NULL, 0.0, NULL, NULL, &p), HL_EDOM);
    assert_int_equal(hl_blocks_relaxation_at(b, NULL, NAN, NULL, NULL, &p), HL_EDOM);
    assert_int_equal(hl_blocks_relaxation_at(NULL, NULL, 1.0, NULL, NULL, &p), HL_EINVAL);
    assert_int_equal(hl_blocks_relaxation_at(b, NULL, 1.0, NULL, NULL, NULL), HL_EINVAL);
    /* an unknown name: null with the reason, not an error */
    CHECK_OK(hl_blocks_relaxation_at(b, NULL, 0.4, "nosuch", NULL, &p));
    assert_true(isnan(p.ln_tau) && isnan(p.ln_mfpt));
    assert_non_null(strstr(p.tau_null, "nosuch"));
    /* one basin named twice */
    CHECK_OK(hl_blocks_relaxation_at(b, NULL, 0.4, "liquid", "liquid", &p));
    assert_true(isnan(p.ln_tau) && isnan(p.ln_mfpt));
    assert_non_null(strstr(p.tau_null, "same basin"));
    long set[1];
    size_t n;
    assert_int_equal(hl_blocks_basin_classes(b, NULL, -1.0, "liquid", set, &n), HL_EDOM);
    assert_int_equal(hl_blocks_basin_classes(b, NULL, 1.0, NULL, set, &n), HL_EINVAL);
    hl_blocks_free(b);
}

/* hl_blocks_relaxation_follow: three wells in m1 (crystal -0.6, liquid 0,
 * a shallow well at +0.6 that exists below T ~ 4 with the highest phi).
 * Cooled from T = 10 the followed basin stays at m = 0 where the alias
 * liquid is the +0.55 well; heated from T = 1 the +0.6 well vanishes
 * between T = 3.33 and 5 and stays lost. */
static void test_follow(void **state)
{
    (void)state;
    long size = 40;
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(1, &size, "-0.5*exp(-(m1/0.2)^2)-1.0*exp(-((m1+0.6)/0.15)^2)"
                                        "-0.3*exp(-((m1-0.6)/0.1)^2)", &b));
    hl_blocks_follow f = {.top = -1};
    hl_relax_point p, a;
    CHECK_OK(hl_blocks_relaxation_follow(b, NULL, 10, NULL, NULL, &f, &p));
    assert_int_equal(f.top, 20);
    CHECK_OK(hl_blocks_relaxation_follow(b, NULL, 10.0 / 3, NULL, NULL, &f, &p));
    assert_int_equal(f.top, 20);
    assert_true(f.m[0] == 0 && !f.lost);
    CHECK_OK(hl_blocks_relaxation_at(b, NULL, 10.0 / 3, "m=0", NULL, &a));
    CHECK_REL(p.ln_tau, a.ln_tau, 1e-14);
    CHECK_REL(p.ln_mfpt, a.ln_mfpt, 1e-14);
    CHECK_OK(hl_blocks_relaxation_at(b, NULL, 10.0 / 3, NULL, NULL, &a));
    assert_true(a.liquid_classes != p.liquid_classes); /* the alias: the +0.55 well */
    hl_blocks_follow h = {.top = -1};
    CHECK_OK(hl_blocks_relaxation_follow(b, NULL, 1, NULL, NULL, &h, &p));
    assert_int_equal(h.top, 32);
    CHECK_OK(hl_blocks_relaxation_follow(b, NULL, 10.0 / 3, NULL, NULL, &h, &p));
    assert_int_equal(h.top, 31);
    assert_true(isfinite(p.ln_tau) && !h.lost);
    CHECK_OK(hl_blocks_relaxation_follow(b, NULL, 5, NULL, NULL, &h, &p));
    assert_true(h.lost && isnan(p.ln_tau) && isnan(p.ln_mfpt) && !h.name[0]);
    assert_non_null(strstr(p.tau_null, "vanished between T = 3.33333 and 5"));
    CHECK_OK(hl_blocks_relaxation_follow(b, NULL, 1, NULL, NULL, &h, &p));
    assert_true(h.lost && isnan(p.ln_tau)); /* lost for good */
    h.top = size + 1;
    h.lost = 0;
    assert_int_equal(hl_blocks_relaxation_follow(b, NULL, 1, NULL, NULL, &h, &p), HL_EINVAL);
    hl_blocks_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair),
        cmocka_unit_test(test_separable),
        cmocka_unit_test(test_basin_classes),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_follow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
