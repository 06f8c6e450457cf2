/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_exact_large.c -- exact thermodynamics at large D: the approach to the
 * infinite-D maxima and melting point, D = 10^6, and the general path
 * against the separable one at D = 10^4.
 *
 * Independent references for the paper's phi (= s + g(d)):
 *  - the a chain is a binomial: Z_a = e^{beta D} (1 + e^{-4 beta})^{D/2}, so
 *    <s> = -tanh(2 beta) and Var(s) = 2 / (D cosh^2(2 beta)) exactly;
 *  - the b chain is a 1-D sum over b = 0..D/2 that we do ourselves with
 *    lgamma binomials, together with its 1-D steepest-ascent basins. */
#include <string.h>

#include "paper_ref.h"
#include "test_util.h"

typedef struct {
    long D, h;
    double *lnc;  /* ln C(h, b) by lgamma */
    double *lb;   /* ln C(h, b) - beta D g(d_b) */
    long *end;    /* 1-D ascent end of b */
} bchain;

static void bchain_init(bchain *c, long D)
{
    c->D = D;
    c->h = D / 2;
    c->lnc = malloc(sizeof(double) * (size_t)(c->h + 1));
    c->lb = malloc(sizeof(double) * (size_t)(c->h + 1));
    c->end = malloc(sizeof(long) * (size_t)(c->h + 1));
    assert_true(c->lnc && c->lb && c->end);
    double lh = lgamma((double)c->h + 1);
    for (long k = 0; k <= c->h; k++)
        c->lnc[k] = lh - lgamma((double)k + 1) - lgamma((double)(c->h - k) + 1);
}

static void bchain_free(bchain *c)
{
    free(c->lnc);
    free(c->lb);
    free(c->end);
}

static double bchain_d(const bchain *c, long b) { return 2.0 * b / c->h - 1.0; }

/* fills lb; returns ln Z_b and the moments of d */
static double bchain_sum(bchain *c, double beta, double *mean_d, double *var_d)
{
    lse_acc z;
    lse_init(&z);
    for (long b = 0; b <= c->h; b++) {
        c->lb[b] = c->lnc[b] - beta * (double)c->D * ref_g(bchain_d(c, b));
        lse_add(&z, c->lb[b]);
    }
    double lnz = lse_value(&z), m = 0, v = 0;
    for (long b = 0; b <= c->h; b++)
        m += exp(c->lb[b] - lnz) * bchain_d(c, b);
    for (long b = 0; b <= c->h; b++) {
        double u = bchain_d(c, b) - m;
        v += exp(c->lb[b] - lnz) * u * u;
    }
    *mean_d = m;
    *var_d = v;
    return lnz;
}

/* ln P_liquid - ln P_crystal from the 1-D ascent of lb (ties: b+1 first);
 * an end belongs to the nearer (in d) of the two continuous maxima. */
static double bchain_melt_gap(bchain *c, double beta)
{
    double md, vd;
    double lnz = bchain_sum(c, beta, &md, &vd);
    double tc, tl;
    assert_true(ref_maxima_d(beta, &tc, &tl));
    double dc = tanh(tc), dl = tanh(tl);
    /* the ascent in 1-D is monotone: resolve ends right-moving from the
     * right and left-moving from the left */
    long h = c->h;
    for (long b = 0; b <= h; b++) {
        long nxt = b;
        if (b + 1 <= h && c->lb[b + 1] > c->lb[nxt])
            nxt = b + 1;
        if (b - 1 >= 0 && c->lb[b - 1] > c->lb[nxt])
            nxt = b - 1;
        c->end[b] = nxt - b; /* -1, 0, +1 for now */
    }
    for (long b = h; b >= 0; b--)
        if (c->end[b] == 0)
            c->end[b] = b;
        else if (c->end[b] == 1)
            c->end[b] = c->end[b + 1];
        else
            c->end[b] = -1; /* left-moving, resolved below */
    for (long b = 0; b <= h; b++)
        if (c->end[b] == -1)
            c->end[b] = c->end[b - 1];
    lse_acc pl, pc;
    lse_init(&pl);
    lse_init(&pc);
    for (long b = 0; b <= h; b++) {
        double de = bchain_d(c, c->end[b]);
        lse_add(fabs(de - dl) < fabs(de - dc) ? &pl : &pc, c->lb[b] - lnz);
    }
    return lse_value(&pl) - lse_value(&pc);
}

static double bchain_melting(bchain *c, double lo, double hi)
{
    double glo = bchain_melt_gap(c, lo);
    assert_true(glo > 0 && bchain_melt_gap(c, hi) < 0);
    while (hi - lo > 1e-13) {
        double mid = 0.5 * (lo + hi), g = bchain_melt_gap(c, mid);
        if ((g > 0) == (glo > 0))
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* ln Z_a / D for the s chain, exactly */
static double lnza_per_dim(double beta) { return beta + 0.5 * log1p(exp(-4 * beta)); }

/* -------------------------------------------------------------- tests */

/* <x>, <y> tend to the stable maximum of f: the error falls with D and is
 * below 1e-3 at D = 10^5 (liquid stable at beta = 0.5, crystal at 1.2) */
static void test_means_approach_stable_maximum(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    const double betas[] = {0.5, 1.2};
    const long dims[] = {100, 1000, 10000, 100000};
    for (int i = 0; i < 2; i++) {
        double beta = betas[i];
        hl_stationary mx[4];
        size_t n = 0;
        CHECK_OK(hl_maxima_at(m, beta, mx, 4, &n));
        assert_int_equal(n, 2);
        const hl_stationary *st = mx[0].stable ? &mx[0] : &mx[1];
        assert_true(st->stable);
        /* the stable maximum is the liquid below beta_m, the crystal above */
        double tc, tl;
        assert_true(ref_maxima_d(beta, &tc, &tl));
        double t_st = beta < 0.773 ? tl : tc;
        double s_ref = -tanh(2 * beta), d_ref = tanh(t_st);
        CHECK_ABS(st->x, 0.5 * (s_ref + d_ref), 1e-9);
        CHECK_ABS(st->y, 0.5 * (s_ref - d_ref), 1e-9);
        double prev_ex = INFINITY, prev_ey = INFINITY;
        for (int k = 0; k < 4; k++) {
            hl_exact *ex = NULL;
            CHECK_OK(hl_exact_create(m, dims[k], HL_EXACT_AUTO, &ex));
            hl_exact_result r;
            CHECK_OK(hl_exact_compute(ex, beta, &r));
            assert_int_equal(r.separable_path, 1);
            double ex_ = fabs(r.mean_x - st->x), ey = fabs(r.mean_y - st->y);
            print_message("beta %.2f D %6ld: |<x> - x*| = %.3g, |<y> - y*| = %.3g\n",
                          beta, dims[k], ex_, ey);
            assert_true(ex_ < prev_ex);
            assert_true(ey < prev_ey);
            prev_ex = ex_;
            prev_ey = ey;
            /* <s> is exact at every D */
            CHECK_ABS(r.mean_x + r.mean_y, s_ref, 1e-12);
            hl_exact_free(ex);
        }
        assert_true(prev_ex < 1e-3 && prev_ey < 1e-3);
    }
    hl_model_free(m);
}

/* the finite-D melting point (equal basin probabilities) against our own
 * 1-D bisection, and its approach to the infinite-D beta_m */
static void test_finite_D_melting(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    double beta_inf = ref_melting(0.5, 1.0);
    CHECK_ABS(beta_inf, 0.773, 5e-4);
    const long dims[] = {1000, 10000, 100000};
    double prev = INFINITY;
    for (int k = 0; k < 3; k++) {
        hl_exact *ex = NULL;
        CHECK_OK(hl_exact_create(m, dims[k], HL_EXACT_AUTO, &ex));
        double bm = NAN;
        CHECK_OK(hl_exact_melting(ex, 0.6, 1.0, &bm));
        bchain c;
        bchain_init(&c, dims[k]);
        double bm_ref = bchain_melting(&c, 0.6, 1.0);
        bchain_free(&c);
        print_message("D %6ld: beta_m = %.12f (ours %.12f), beta_m(inf) = %.12f\n",
                      dims[k], bm, bm_ref, beta_inf);
        CHECK_ABS(bm, bm_ref, 1e-9);
        /* the basins are equally probable there */
        hl_exact_result r;
        CHECK_OK(hl_exact_compute(ex, bm, &r));
        double pl = NAN, pc = NAN;
        for (int q = 0; q < r.n_basins; q++) {
            if (strcmp(r.basins[q].name, "liquid") == 0)
                pl = r.basins[q].probability;
            if (strcmp(r.basins[q].name, "crystal") == 0)
                pc = r.basins[q].probability;
        }
        CHECK_ABS(pl, 0.5, 1e-6);
        CHECK_ABS(pc, 0.5, 1e-6);
        double err = fabs(bm - beta_inf);
        assert_true(err < prev);
        prev = err;
        hl_exact_free(ex);
    }
    assert_true(prev < 1e-4);
    hl_model_free(m);
}

/* D = 10^6 on the separable path: fast, and right */
static void test_million_dimensions(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    const long D = 1000000;
    bchain c;
    bchain_init(&c, D);
    const double betas[] = {0.5, 0.773, 1.2};
    for (int i = 0; i < 3; i++) {
        double beta = betas[i];
        double t0 = now_seconds();
        hl_exact *ex = NULL;
        CHECK_OK(hl_exact_create(m, D, HL_EXACT_AUTO, &ex));
        hl_exact_result r;
        CHECK_OK(hl_exact_compute(ex, beta, &r));
        double dt = now_seconds() - t0;
        print_message("D = 1e6, beta %.3f: %.3f s\n", beta, dt);
        assert_true(dt < 2.0);
        hl_exact_free(ex);
        assert_int_equal(r.separable_path, 1);
        assert_true(isfinite(r.ln_z_per_dim));
        /* our own sums */
        double md, vd;
        double lnzb = bchain_sum(&c, beta, &md, &vd);
        CHECK_REL(r.ln_z_per_dim, lnza_per_dim(beta) + lnzb / D, 1e-12);
        double s_ref = -tanh(2 * beta), vs = 2.0 / (D * cosh(2 * beta) * cosh(2 * beta));
        CHECK_ABS(r.mean_x, 0.5 * (s_ref + md), 1e-9);
        CHECK_ABS(r.mean_y, 0.5 * (s_ref - md), 1e-9);
        CHECK_REL(r.cov_xx + r.cov_yy + 2 * r.cov_xy, vs, 1e-7);
        CHECK_REL(r.cov_xx + r.cov_yy - 2 * r.cov_xy, vd, 1e-7);
        /* close to D = 10^5 and to the infinite-D maximum of f */
        hl_exact *e5 = NULL;
        CHECK_OK(hl_exact_create(m, 100000, HL_EXACT_AUTO, &e5));
        hl_exact_result r5;
        CHECK_OK(hl_exact_compute(e5, beta, &r5));
        hl_exact_free(e5);
        CHECK_ABS(r.ln_z_per_dim, r5.ln_z_per_dim, 1e-5);
        double tc, tl;
        assert_true(ref_maxima_d(beta, &tc, &tl));
        double f_inf = ref_fs_max(beta) + fmax(ref_fd(beta, tc), ref_fd(beta, tl));
        CHECK_ABS(r.ln_z_per_dim, f_inf, 2e-6);
        CHECK_ABS(r5.ln_z_per_dim, f_inf, 2e-5);
    }
    bchain_free(&c);
    hl_model_free(m);
}

/* the general 2-D path at D = 10^4 against the separable one */
static void test_general_matches_separable_D10000(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_exact *eg = NULL, *es = NULL;
    CHECK_OK(hl_exact_create(m, 10000, HL_EXACT_GENERAL, &eg));
    CHECK_OK(hl_exact_create(m, 10000, HL_EXACT_SEPARABLE, &es));
    const double betas[] = {0.5, 0.773, 1.2};
    for (int i = 0; i < 3; i++) {
        hl_exact_result g, s;
        double t0 = now_seconds();
        CHECK_OK(hl_exact_compute(eg, betas[i], &g));
        print_message("general path, D = 1e4, beta %.3f: %.3f s, %ld classes\n",
                      betas[i], now_seconds() - t0, g.classes_summed);
        CHECK_OK(hl_exact_compute(es, betas[i], &s));
        assert_int_equal(g.separable_path, 0);
        assert_int_equal(s.separable_path, 1);
        CHECK_REL(g.ln_z_per_dim, s.ln_z_per_dim, 1e-12);
        CHECK_ABS(g.mean_x, s.mean_x, 1e-9);
        CHECK_ABS(g.mean_y, s.mean_y, 1e-9);
        CHECK_ABS(g.mean_phi, s.mean_phi, 1e-9);
        CHECK_REL(g.cov_xx, s.cov_xx, 1e-7);
        CHECK_REL(g.cov_yy, s.cov_yy, 1e-7);
        CHECK_REL(g.heat_capacity_per_dim, s.heat_capacity_per_dim, 1e-7);
        CHECK_ABS(g.mean_w, s.mean_w, 1e-9);
        assert_true(g.neglected_bound < 1e-200);
        /* basins, by name, including the far-below-1e-308 tails in log */
        assert_int_equal(g.n_basins, s.n_basins);
        for (int k = 0; k < s.n_basins; k++) {
            int q = 0;
            while (q < g.n_basins && strcmp(g.basins[q].name, s.basins[k].name))
                q++;
            assert_true(q < g.n_basins);
            CHECK_ABS(g.basins[q].probability, s.basins[k].probability, 1e-9);
            CHECK_NEAR(g.basins[q].ln_probability, s.basins[k].ln_probability,
                       1e-9, 1e-9);
            CHECK_ABS(g.basins[q].x, s.basins[k].x, 1e-12);
            CHECK_ABS(g.basins[q].y, s.basins[k].y, 1e-12);
        }
    }
    hl_exact_free(eg);
    hl_exact_free(es);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_means_approach_stable_maximum),
        cmocka_unit_test(test_finite_D_melting),
        cmocka_unit_test(test_million_dimensions),
        cmocka_unit_test(test_general_matches_separable_D10000),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
