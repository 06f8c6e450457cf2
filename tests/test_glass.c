/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_glass.c -- the equilibrium side of issue 13: the heat capacity along
 * the branches of maxima of f = w - beta phi (against mpmath, a finite
 * difference along the branch, the Gaussian of eqs 5.7-5.8 and the exact
 * sums at large D), and each basin's own finite-D thermodynamics in exact
 * (against mpmath sums; the whole system as the log-sum over basins). */
#include <math.h>
#include <string.h>

#include "test_util.h"
#include "ref/glass_ref.h"

#define GLASS_KAUZMANN_PHI "x+y-0.3*(x-y)-1.375*(x-y)^2+1.175*(x-y)^3+0.475*(x-y)^4-0.775*(x-y)^5"

#define NREF(a) (sizeof(a) / sizeof((a)[0]))

static hl_model *model(const char *phi)
{
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(phi, &m));
    return m;
}

/* the maximum of f at beta nearest to (x, y) */
static hl_stationary nearest_max(const hl_model *m, double beta, double x, double y)
{
    hl_stationary mx[32];
    size_t n = 0;
    CHECK_OK(hl_maxima_at(m, beta, mx, 32, &n));
    assert_true(n >= 1 && n <= 32);
    size_t best = 0;
    for (size_t k = 1; k < n; k++)
        if (hypot(mx[k].x - x, mx[k].y - y) < hypot(mx[best].x - x, mx[best].y - y))
            best = k;
    return mx[best];
}

/* ------------------------------------------------------------ branches */

static void test_branch_c_mpmath(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREF(GLASS_C_REF); k++) {
        const glass_c_ref *r = &GLASS_C_REF[k];
        hl_model *m = model(r->phi);
        hl_stationary s = nearest_max(m, r->beta, r->x, r->y);
        CHECK_ABS(s.x, r->x, 1e-9);
        CHECK_ABS(s.y, r->y, 1e-9);
        CHECK_REL(s.heat_capacity, r->c, 1e-9);
        hl_model_free(m);
    }
}

/* c against a Richardson-extrapolated central difference of phi along the
 * traced branches, at every 10th beta of hl_phases */
static void test_branch_c_finite_difference(void **state)
{
    (void)state;
    const char *phis[] = {NULL, "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y",
                          "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.5*(x-y)^4",
                          "(x-0.3)^2+(y+0.2)^2+0.5*x*y"};
    for (size_t q = 0; q < NREF(phis); q++) {
        hl_model *m = model(phis[q]);
        hl_phases *p = NULL;
        CHECK_OK(hl_phases_compute(m, 0.1, 4.0, 40, &p));
        int checked = 0;
        for (int b = 0; b < hl_phases_branch_count(p); b++)
            for (int i = 2; i < hl_phases_beta_count(p) - 2; i += 3) {
                hl_stationary s;
                if (hl_phases_point(p, b, i, &s) != HL_OK)
                    continue;
                double beta = s.beta, h = 1e-3 * beta, d[2];
                for (int r = 0; r < 2; r++) {
                    double hh = r ? h / 2 : h;
                    hl_stationary a = nearest_max(m, beta + hh, s.x, s.y);
                    hl_stationary c = nearest_max(m, beta - hh, s.x, s.y);
                    d[r] = (a.phi - c.phi) / (2 * hh);
                }
                double fd = -beta * beta * (4 * d[1] - d[0]) / 3;
                assert_true(s.heat_capacity > 0);
                CHECK_NEAR(s.heat_capacity, fd, 1e-9, 1e-6);
                checked++;
            }
        assert_true(checked >= 8);
        hl_phases_free(p);
        hl_model_free(m);
    }
}

/* The Gaussian of eqs 5.7-5.8 has covariance (D M)^{-1} = -(D H)^{-1}: its
 * heat capacity D beta^2 grad(phi)^T cov grad(phi) is the branch's c for
 * every D (gaussian.c builds M on its own). */
static void test_branch_c_gaussian(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREF(GLASS_C_REF); k++) {
        const glass_c_ref *r = &GLASS_C_REF[k];
        hl_model *m = model(r->phi);
        hl_stationary s = nearest_max(m, r->beta, r->x, r->y);
        hl_gaussian g;
        const long D = 1000;
        CHECK_OK(hl_gaussian_at(m, D, r->beta, s.x, s.y, &g));
        hl_phi_derivs o;
        hl_model_phi_derivs(m, g.x, g.y, &o);
        double v = o.phi_x * o.phi_x * g.cov_xx + 2 * o.phi_x * o.phi_y * g.cov_xy +
                   o.phi_y * o.phi_y * g.cov_yy;
        if (isfinite(v))
            CHECK_REL(s.heat_capacity, D * r->beta * r->beta * v, 1e-7);
        hl_model_free(m);
    }
}

/* The exact finite-D heat capacity of a basin tends to its branch's c as
 * D grows, the difference falling like 1/D. */
static void test_branch_c_exact_limit(void **state)
{
    (void)state;
    const char *phis[] = {NULL, "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y"};
    const double betas[] = {0.8, 0.8};
    /* the liquid of the second stays above 1e-300 of the crystal at D = 20000 */
    const long dims[2][2] = {{10000, 100000}, {2000, 20000}};
    for (size_t q = 0; q < NREF(phis); q++) {
        hl_model *m = model(phis[q]);
        hl_stationary mx[8];
        size_t n;
        char names[8][16];
        CHECK_OK(hl_maxima_at(m, betas[q], mx, 8, &n));
        assert_int_equal(n, 2);
        CHECK_OK(hl_name_maxima(m, betas[q], mx, n, names));
        double diff[2][2];
        for (int di = 0; di < 2; di++) {
            hl_exact *ex = NULL;
            CHECK_OK(hl_exact_create(m, dims[q][di], HL_EXACT_AUTO, &ex));
            hl_exact_result r;
            CHECK_OK(hl_exact_compute(ex, betas[q], &r));
            for (size_t k = 0; k < n; k++) {
                int found = 0;
                for (int b = 0; b < r.n_basins; b++)
                    if (!strcmp(r.basins[b].name, names[k])) {
                        assert_true(isfinite(r.basins[b].heat_capacity_per_dim));
                        diff[di][k] = r.basins[b].heat_capacity_per_dim - mx[k].heat_capacity;
                        found = 1;
                    }
                assert_true(found);
            }
            hl_exact_free(ex);
        }
        for (size_t k = 0; k < n; k++) {
            assert_true(fabs(diff[1][k]) < 3e-3 * mx[k].heat_capacity);
            /* 1/D: ten times larger D, about ten times smaller difference */
            double ratio = diff[0][k] / diff[1][k];
            assert_true(ratio > 6 && ratio < 14);
        }
        hl_model_free(m);
    }
}

/* ------------------------------------------------------------ exact basins */

static void test_basin_thermo_mpmath(void **state)
{
    (void)state;
    for (int method = HL_EXACT_AUTO; method <= HL_EXACT_GENERAL; method++)
        for (size_t k = 0; k < NREF(GLASS_BASIN_REF);) {
            const glass_basin_ref *w = &GLASS_BASIN_REF[k];
            hl_model *m = model(w->phi);
            hl_exact *ex = NULL;
            CHECK_OK(hl_exact_create(m, w->dim, method, &ex));
            hl_exact_result r;
            CHECK_OK(hl_exact_compute(ex, w->beta, &r));
            CHECK_REL(r.ln_z_per_dim, w->lnz, 1e-13);
            CHECK_REL(r.mean_phi, w->mean_phi, 1e-12);
            CHECK_REL(r.entropy_per_dim, w->entropy, 1e-11);
            CHECK_REL(r.heat_capacity_per_dim, w->c, 1e-10);
            size_t j = k + 1;
            int rows = 0;
            for (; j < NREF(GLASS_BASIN_REF) && !isnan(GLASS_BASIN_REF[j].x); j++, rows++) {
                const glass_basin_ref *b = &GLASS_BASIN_REF[j];
                int hit = -1;
                for (int q = 0; q < r.n_basins; q++)
                    if (fabs(r.basins[q].x - b->x) < 1e-12 && fabs(r.basins[q].y - b->y) < 1e-12)
                        hit = q;
                assert_true(hit >= 0);
                const hl_basin *h = &r.basins[hit];
                assert_string_equal(h->thermo_null_reason, "");
                CHECK_REL(h->ln_z_per_dim, b->lnz, 1e-13);
                CHECK_REL(h->mean_phi, b->mean_phi, 1e-12);
                CHECK_REL(h->entropy_per_dim, b->entropy, 1e-11);
                CHECK_REL(h->heat_capacity_per_dim, b->c, 1e-10);
            }
            assert_true(rows >= 2);
            hl_exact_free(ex);
            hl_model_free(m);
            k = j;
        }
}

/* The whole system from its basins: ln Z = ln sum_b Z_b, <phi> = sum P_b
 * <phi>_b, and the law of total variance c = sum P_b c_b + beta^2 D sum P_b
 * (<phi>_b - <phi>)^2, on both paths and several D, beta, phi. */
static void test_basin_log_sum(void **state)
{
    (void)state;
    struct {
        const char *phi;
        long dim;
        double beta;
        int method;
    } cases[] = {
        {NULL, 200, 0.773, HL_EXACT_SEPARABLE},
        {NULL, 2000, 0.78, HL_EXACT_GENERAL},
        {NULL, 100000, 0.7731, HL_EXACT_SEPARABLE},
        {"x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y", 1000, 0.8, HL_EXACT_GENERAL},
        {"x+y+0.2*sin(15*x)", 300, 0.4, HL_EXACT_GENERAL},
        {"x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.5*(x-y)^4", 500, 1.1, HL_EXACT_GENERAL},
    };
    for (size_t k = 0; k < NREF(cases); k++) {
        hl_model *m = model(cases[k].phi);
        hl_exact *ex = NULL;
        CHECK_OK(hl_exact_create(m, cases[k].dim, cases[k].method, &ex));
        hl_exact_result r;
        CHECK_OK(hl_exact_compute(ex, cases[k].beta, &r));
        double D = (double)r.dim, mx = -INFINITY;
        int used = 0;
        for (int b = 0; b < r.n_basins; b++)
            if (isfinite(r.basins[b].ln_z_per_dim)) {
                used++;
                if (r.basins[b].ln_z_per_dim * D > mx)
                    mx = r.basins[b].ln_z_per_dim * D;
            }
        assert_true(used >= 2);
        double sz = 0, sp = 0, sc = 0, sv = 0;
        for (int b = 0; b < r.n_basins; b++) {
            const hl_basin *h = &r.basins[b];
            if (!isfinite(h->ln_z_per_dim))
                continue;
            sz += exp(h->ln_z_per_dim * D - mx);
            CHECK_ABS(h->ln_z_per_dim * D - r.ln_z_per_dim * D, h->ln_probability, 1e-9);
            sp += h->probability * h->mean_phi;
            sc += h->probability * h->heat_capacity_per_dim;
            sv += h->probability * (h->mean_phi - r.mean_phi) * (h->mean_phi - r.mean_phi);
            CHECK_REL(h->entropy_per_dim, h->ln_z_per_dim + r.beta * h->mean_phi, 1e-14);
        }
        CHECK_REL((mx + log(sz)) / D, r.ln_z_per_dim, 1e-14);
        /* the basins' ln P carry the rounding of ln Z_b (of order D):
         * ~1e-16 D relative in P_b, already in hl_basin.probability */
        CHECK_REL(sp, r.mean_phi, 1e-13 + 2e-16 * D);
        CHECK_REL(sc + r.beta * r.beta * D * sv, r.heat_capacity_per_dim, 1e-10 + 2e-16 * D);
        CHECK_REL(r.entropy_per_dim, r.ln_z_per_dim + r.beta * r.mean_phi, 1e-14);
        hl_exact_free(ex);
        hl_model_free(m);
    }
}

/* The two summation paths are independent (separable: two passes over 1-D
 * sums; general: one pass over the lattice shifted to each basin's largest
 * class): each basin's values agree, at D where a metastable basin sits
 * far from the global mode and Var(phi) ~ 1e-5 */
static void test_basin_paths_agree(void **state)
{
    (void)state;
    hl_model *m = model(NULL);
    const long dims[] = {2000, 20000};
    const double betas[] = {0.7, 0.775, 0.9};
    int compared = 0;
    for (size_t i = 0; i < NREF(dims); i++)
        for (size_t j = 0; j < NREF(betas); j++) {
            hl_exact_result r[2];
            for (int q = 0; q < 2; q++) {
                hl_exact *ex = NULL;
                CHECK_OK(hl_exact_create(m, dims[i], q ? HL_EXACT_GENERAL : HL_EXACT_SEPARABLE,
                                         &ex));
                CHECK_OK(hl_exact_compute(ex, betas[j], &r[q]));
                hl_exact_free(ex);
            }
            for (int a = 0; a < r[0].n_basins; a++)
                for (int b = 0; b < r[1].n_basins; b++) {
                    if (strcmp(r[0].basins[a].name, r[1].basins[b].name))
                        continue;
                    const hl_basin *u = &r[0].basins[a], *v = &r[1].basins[b];
                    if (!isfinite(v->ln_z_per_dim))
                        continue; /* general path: below 1e-300, null */
                    CHECK_REL(v->ln_z_per_dim, u->ln_z_per_dim, 1e-14);
                    CHECK_REL(v->mean_phi, u->mean_phi, 1e-13);
                    CHECK_REL(v->entropy_per_dim, u->entropy_per_dim, 1e-12);
                    CHECK_REL(v->heat_capacity_per_dim, u->heat_capacity_per_dim, 1e-11);
                    compared++;
                }
        }
    assert_true(compared >= 10);
    hl_model_free(m);
}

/* A basin far below the dominant one keeps its own thermodynamics on the
 * separable path (every class summed relative to the basin's largest); on
 * the general path, where its classes fall below 1e-300 of the largest
 * term and are not summed, the values are null with a reason, never 0. */
static void test_basin_far_below(void **state)
{
    (void)state;
    hl_model *m = model(NULL);
    hl_stationary liq = nearest_max(m, 0.8, -0.03, -0.9);
    hl_exact *ex = NULL;
    CHECK_OK(hl_exact_create(m, 1000000, HL_EXACT_SEPARABLE, &ex));
    hl_exact_result r;
    CHECK_OK(hl_exact_compute(ex, 0.8, &r));
    int seen = 0;
    for (int b = 0; b < r.n_basins; b++)
        if (!strcmp(r.basins[b].name, "liquid")) {
            seen = 1;
            assert_true(r.basins[b].ln_probability < -4000);
            assert_string_equal(r.basins[b].thermo_null_reason, "");
            CHECK_REL(r.basins[b].heat_capacity_per_dim, liq.heat_capacity, 3e-5);
            CHECK_REL(r.basins[b].mean_phi, liq.phi, 1e-6);
            CHECK_REL(r.basins[b].entropy_per_dim, liq.w, 1e-4);
        }
    assert_true(seen);
    hl_exact_free(ex);
    CHECK_OK(hl_exact_create(m, 200000, HL_EXACT_GENERAL, &ex));
    CHECK_OK(hl_exact_compute(ex, 0.8, &r));
    seen = 0;
    for (int b = 0; b < r.n_basins; b++)
        if (!strcmp(r.basins[b].name, "liquid")) {
            seen = 1;
            assert_true(isnan(r.basins[b].heat_capacity_per_dim));
            assert_true(isnan(r.basins[b].ln_z_per_dim));
            assert_true(strlen(r.basins[b].thermo_null_reason) > 10);
        }
    assert_true(seen);
    hl_exact_free(ex);
    hl_model_free(m);
}

/* ------------------------------------------------------------ T -> 0 */

static int branch_named(const hl_phases *p, const char *name)
{
    for (int b = 0; b < hl_phases_branch_count(p); b++)
        if (!strcmp(hl_phases_branch_name(p, b), name))
            return b;
    return -1;
}

/* the paper's branches end at the two vertices: no residual entropy,
 * c -> 0 exponentially (c/T -> 0), checked at the probe as well */
static void test_t0_vertices(void **state)
{
    (void)state;
    hl_model *m = model(NULL);
    hl_phases *p = NULL;
    CHECK_OK(hl_phases_compute(m, 0.05, 5, 400, &p));
    const char *names[] = {"liquid", "crystal"};
    const double ex[] = {0, -1}, ey[] = {-1, 0}, ephi[] = {-1.78336, -1.83456};
    for (int k = 0; k < 2; k++) {
        hl_t0_end e;
        CHECK_OK(hl_phases_t0_end(p, branch_named(p, names[k]), &e));
        assert_int_equal(e.kind, HL_T0_VERTEX);
        CHECK_ABS(e.x, ex[k], 1e-15);
        CHECK_ABS(e.y, ey[k], 1e-15);
        CHECK_ABS(e.phi, ephi[k], 1e-14);
        assert_true(e.residual_entropy == 0 && e.c_over_T == 0);
        assert_string_equal(e.reason, "");
        /* at the probe (beta = 2e3 / G, G the bound of the gradient) w and c/T
     * are exponentially small */
        assert_true(e.beta_probe > 500);
        assert_true(e.w_probe >= 0 && e.w_probe < 1e-300);
        /* c ~ beta^2 e^{-4 beta |phi_u|} is far below the doubles there:
         * null (NaN, its digits lost), not 0 */
        assert_true(isnan(e.c_over_T_probe));
    }
    /* c itself falls like beta^2 exp(-4 beta |phi_u|) along the liquid:
     * ln(c / beta^2) drops by ~4 |phi_d| = 4 * 0.7584 per unit of beta */
    hl_stationary a = nearest_max(m, 10, 0, -1), b = nearest_max(m, 11, 0, -1);
    double slope = log(b.heat_capacity / 121) - log(a.heat_capacity / 100);
    CHECK_NEAR(slope, -4 * 0.7584, 0.05, 0);
    hl_phases_free(p);
    hl_model_free(m);
}

/* a branch ending on an edge or inside the square: a degenerate glass with
 * residual entropy and c linear in T; the limits against mpmath, and the
 * branch followed to small T approaches them like T */
static void test_t0_degenerate_glass(void **state)
{
    (void)state;
    for (size_t k = 0; k < NREF(GLASS_T0_REF); k++) {
        const glass_t0_ref *r = &GLASS_T0_REF[k];
        hl_model *m = model(r->phi);
        hl_phases *p = NULL;
        CHECK_OK(hl_phases_compute(m, 0.05, 5, 200, &p));
        hl_t0_end e;
        CHECK_OK(hl_phases_t0_end(p, branch_named(p, "liquid"), &e));
        assert_int_equal(e.kind, k == 0 ? HL_T0_EDGE : HL_T0_INTERIOR);
        CHECK_ABS(e.x, r->x, 1e-11);
        CHECK_ABS(e.y, r->y, 1e-11);
        CHECK_REL(e.phi, r->phi_end, 1e-12);
        CHECK_REL(e.residual_entropy, r->residual_entropy, 1e-11);
        CHECK_REL(e.c_over_T, r->c_over_T, 1e-9);
        assert_true(e.residual_entropy > 0.1);
        /* numerically: w(beta) - w0 and c/T - lim both shrink like T */
        double dw[2], dc[2];
        for (int q = 0; q < 2; q++) {
            double beta = q ? 400 : 200;
            hl_stationary s = nearest_max(m, beta, r->x, r->y);
            dw[q] = s.w - r->residual_entropy;
            dc[q] = s.heat_capacity * beta - r->c_over_T;
        }
        assert_true(fabs(dw[1]) < 2e-2 * r->residual_entropy);
        assert_true(fabs(dc[1]) < 5e-2 * r->c_over_T);
        CHECK_NEAR(dw[0] / dw[1], 2, 0.1, 0);
        CHECK_NEAR(dc[0] / dc[1], 2, 0.2, 0);
        CHECK_REL(e.w_probe, r->residual_entropy, 1e-3);
        CHECK_REL(e.c_over_T_probe, r->c_over_T, 1e-2);
        hl_phases_free(p);
        hl_model_free(m);
    }
}

/* a branch that dies at a fold on cooling has no T -> 0 end: null with a
 * reason naming the fold */
static void test_t0_fold(void **state)
{
    (void)state;
    hl_model *m = model("x+y-(x-y)+0.095*atan((x-y-0.3)/0.1)");
    hl_phases *p = NULL;
    CHECK_OK(hl_phases_compute(m, 0.05, 5, 200, &p));
    hl_t0_end e;
    CHECK_OK(hl_phases_t0_end(p, branch_named(p, "liquid"), &e));
    assert_int_equal(e.kind, HL_T0_NONE);
    assert_non_null(strstr(e.reason, "fold"));
    assert_true(isnan(e.residual_entropy) && isnan(e.c_over_T));
    int seen = 0;
    for (int k = 0; k < hl_phases_fold_count(p); k++) {
        hl_fold f;
        hl_phases_fold(p, k, &f);
        if (f.branch == branch_named(p, "liquid") && !f.birth) {
            char num[32];
            snprintf(num, sizeof num, "%.10g", f.beta);
            assert_non_null(strstr(e.reason, num));
            seen = 1;
        }
    }
    assert_true(seen);
    hl_phases_free(p);
    hl_model_free(m);
}

/* ------------------------------------------------------------ Kauzmann */

static void test_kauzmann(void **state)
{
    (void)state;
    hl_model *m = model(GLASS_KAUZMANN_PHI);
    hl_phases *p = NULL;
    /* on two grids: the root must not depend on where the scan brackets it */
    for (int g = 0; g < 2; g++) {
        CHECK_OK(hl_phases_compute(m, 0.05, g ? 0.5 : 5, g ? 50 : 500, &p));
        hl_kauzmann k;
        CHECK_OK(hl_phases_kauzmann(p, &k));
        assert_true(k.found);
        CHECK_ABS(k.beta, GLASS_KAUZMANN_BETA, 1e-10);
        CHECK_REL(k.T, 1 / GLASS_KAUZMANN_BETA, 1e-10);
        CHECK_REL(k.liquid.w, GLASS_KAUZMANN_W, 1e-10);
        CHECK_ABS(k.liquid.w - k.crystal.w, 0, 1e-12);
        assert_true(k.liquid.phi > k.crystal.phi);
        hl_phases_free(p);
    }
    hl_model_free(m);
    /* none, with the reason: the paper's liquid keeps more entropy than the
     * crystal all the way down; no melting point; no crystal */
    const char *phis[] = {NULL, "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.5*(x-y)^4",
                          "(x-0.3)^2+(y+0.2)^2+0.5*x*y"};
    const char *why[] = {"w_liquid > w_crystal", "no melting point", "no crystal"};
    for (size_t q = 0; q < NREF(phis); q++) {
        m = model(phis[q]);
        CHECK_OK(hl_phases_compute(m, 0.05, 5, 200, &p));
        hl_kauzmann k;
        CHECK_OK(hl_phases_kauzmann(p, &k));
        assert_false(k.found);
        assert_true(isnan(k.beta));
        assert_non_null(strstr(k.reason, why[q]));
        hl_phases_free(p);
        hl_model_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_branch_c_mpmath),
        cmocka_unit_test(test_branch_c_finite_difference),
        cmocka_unit_test(test_branch_c_gaussian),
        cmocka_unit_test(test_branch_c_exact_limit),
        cmocka_unit_test(test_basin_thermo_mpmath),
        cmocka_unit_test(test_basin_log_sum),
        cmocka_unit_test(test_basin_paths_agree),
        cmocka_unit_test(test_basin_far_below),
        cmocka_unit_test(test_t0_vertices),
        cmocka_unit_test(test_t0_degenerate_glass),
        cmocka_unit_test(test_t0_fold),
        cmocka_unit_test(test_kauzmann),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
