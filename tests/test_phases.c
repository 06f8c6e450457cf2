/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_phases.c -- maxima of f = w - beta phi (eq 4.13), the branches, the
 * crystal fold (beta ~ 0.34), the melting point (eq 4.14, beta_m = 0.773),
 * saddles, and a mirror-symmetric user phi. */
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "paper_ref.h"
#include "test_util.h"

/* gradient of f = w - beta phi in (x, y), w from eq 4.10 written out:
 * dw/dx = -(atanh s + atanh d)/2, dw/dy = -(atanh s - atanh d)/2 */
static void f_gradient(const hl_model *m, double beta, double x, double y,
                       double g[2])
{
    double s = x + y, d = x - y;
    const double h = 1e-6;
    double px = (hl_model_phi(m, x + h, y) - hl_model_phi(m, x - h, y)) / (2 * h);
    double py = (hl_model_phi(m, x, y + h) - hl_model_phi(m, x, y - h)) / (2 * h);
    g[0] = -0.5 * (atanh(s) + atanh(d)) - beta * px;
    g[1] = -0.5 * (atanh(s) - atanh(d)) - beta * py;
}

/* Hessian determinant and trace of f: w analytically (w_ss = -1/(2(1-s^2)),
 * w_dd likewise, w_sd = 0), phi by central differences (the formulas used
 * here are smooth beyond the square, so the stencil may leave it). */
static void f_hessian(const hl_model *m, double beta, double x, double y,
                      double *det, double *trace)
{
    const double h = 1e-4;
    double s = x + y, d = x - y;
    double wss = -0.5 / ((1 - s) * (1 + s)), wdd = -0.5 / ((1 - d) * (1 + d));
    double p0 = hl_model_phi(m, x, y);
    double pxx = (hl_model_phi(m, x + h, y) - 2 * p0 + hl_model_phi(m, x - h, y)) / (h * h);
    double pyy = (hl_model_phi(m, x, y + h) - 2 * p0 + hl_model_phi(m, x, y - h)) / (h * h);
    double pxy = (hl_model_phi(m, x + h, y + h) - hl_model_phi(m, x + h, y - h) -
                  hl_model_phi(m, x - h, y + h) + hl_model_phi(m, x - h, y - h)) /
                 (4 * h * h);
    double fxx = wss + wdd - beta * pxx, fyy = wss + wdd - beta * pyy;
    double fxy = wss - wdd - beta * pxy;
    *det = fxx * fyy - fxy * fxy;
    *trace = fxx + fyy;
}

/* expected (x, y) from the separable reference: s = -tanh(2 beta), d = tanh t */
static void ref_xy(double beta, double t, double *x, double *y)
{
    double s = -tanh(2 * beta), d = tanh(t);
    *x = 0.5 * (s + d);
    *y = 0.5 * (s - d);
}

/* ------------------------------------------------------------ maxima */

static void test_maxima_at_default(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    const double betas[] = {0.1, 0.3, 0.5, 0.773, 1.2, 2.0, 5.0};
    for (size_t k = 0; k < sizeof betas / sizeof betas[0]; k++) {
        double beta = betas[k];
        hl_stationary mx[8];
        size_t n = 0;
        CHECK_OK(hl_maxima_at(m, beta, mx, 8, &n));
        double tc, tl;
        int has_crystal = ref_maxima_d(beta, &tc, &tl);
        assert_int_equal(n, has_crystal ? 2 : 1);
        double xl, yl, xc = NAN, yc = NAN;
        ref_xy(beta, tl, &xl, &yl);
        /* sorted by x: the crystal (d near -1) has the smaller x */
        const hl_stationary *liq = &mx[n - 1];
        CHECK_ABS(liq->x, xl, 1e-9);
        CHECK_ABS(liq->y, yl, 1e-9);
        CHECK_ABS(liq->phi, paper_phi(liq->x, liq->y), 1e-13);
        CHECK_ABS(liq->w, ref_w(liq->x, liq->y), 1e-12);
        CHECK_ABS(liq->f, liq->w - beta * liq->phi, 1e-13);
        assert_true(liq->hess_det > 0);
        double fl = ref_fs_max(beta) + ref_fd(beta, tl);
        CHECK_ABS(liq->f, fl, 1e-12);
        int stable_liquid = 1;
        if (has_crystal) {
            ref_xy(beta, tc, &xc, &yc);
            CHECK_ABS(mx[0].x, xc, 1e-9);
            CHECK_ABS(mx[0].y, yc, 1e-9);
            double fc = ref_fs_max(beta) + ref_fd(beta, tc);
            CHECK_ABS(mx[0].f, fc, 1e-12);
            stable_liquid = fl > fc;
            assert_int_equal(mx[0].stable, !stable_liquid);
        }
        assert_int_equal(liq->stable, stable_liquid);
        /* stationarity and maximality checked with our own w (where the
         * point is not within rounding of the edge, as at large beta) */
        for (size_t i = 0; i < n; i++) {
            double g[2], det, tr;
            assert_int_equal(mx[i].branch, -1);
            double s = mx[i].x + mx[i].y, d = mx[i].x - mx[i].y;
            if (1 - fabs(s) < 1e-8 || 1 - fabs(d) < 1e-8)
                continue;
            f_gradient(m, beta, mx[i].x, mx[i].y, g);
            CHECK_ABS(g[0], 0.0, 1e-7);
            CHECK_ABS(g[1], 0.0, 1e-7);
            f_hessian(m, beta, mx[i].x, mx[i].y, &det, &tr);
            assert_true(det > 0 && tr < 0);
        }
        /* names: liquid is the one continued from beta -> 0 */
        char names[8][16];
        CHECK_OK(hl_name_maxima(m, beta, mx, n, names));
        assert_string_equal(names[n - 1], "liquid");
        if (n == 2)
            assert_string_equal(names[0], "crystal");
        /* a buffer too small still reports the count */
        size_t n2 = 0;
        hl_stationary one;
        CHECK_OK(hl_maxima_at(m, beta, &one, 1, &n2));
        assert_int_equal(n2, n);
    }
    hl_model_free(m);
}

/* ------------------------------------------------------------ branches */

static hl_phases *paper_phases(const hl_model *m)
{
    hl_phases *p = NULL;
    CHECK_OK(hl_phases_compute(m, 0.02, 2.0, 100, &p));
    assert_non_null(p);
    return p;
}

static int branch_named(const hl_phases *p, const char *name)
{
    for (int b = 0; b < hl_phases_branch_count(p); b++)
        if (strcmp(hl_phases_branch_name(p, b), name) == 0)
            return b;
    return -1;
}

static void test_branches(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_phases *p = paper_phases(m);
    assert_int_equal(hl_phases_beta_count(p), 100);
    CHECK_ABS(hl_phases_beta(p, 0), 0.02, 1e-15);
    CHECK_ABS(hl_phases_beta(p, 99), 2.0, 1e-15);
    assert_int_equal(hl_phases_branch_count(p), 2);
    int L = branch_named(p, "liquid"), C = branch_named(p, "crystal");
    assert_int_equal(L, 0); /* branch 0 is the one present at beta_min */
    assert_int_equal(C, 1);
    double t_fold;
    double beta_fold = ref_crystal_fold(&t_fold);
    for (int i = 0; i < 100; i++) {
        double beta = hl_phases_beta(p, i);
        double tc, tl;
        int has_c = ref_maxima_d(beta, &tc, &tl);
        hl_stationary q;
        CHECK_OK(hl_phases_point(p, L, i, &q));
        double x, y;
        ref_xy(beta, tl, &x, &y);
        CHECK_ABS(q.x, x, 1e-9);
        CHECK_ABS(q.y, y, 1e-9);
        assert_int_equal(q.branch, L);
        CHECK_ABS(q.beta, beta, 0);
        int st = hl_phases_point(p, C, i, &q);
        assert_int_equal(st, has_c ? HL_OK : HL_ENOTFOUND);
        assert_int_equal(has_c, beta > beta_fold);
        if (has_c) {
            ref_xy(beta, tc, &x, &y);
            CHECK_ABS(q.x, x, 1e-9);
            CHECK_ABS(q.y, y, 1e-9);
            double fl = ref_fd(beta, tl), fc = ref_fd(beta, tc);
            assert_int_equal(q.stable, fc > fl);
        }
    }
    assert_int_equal(hl_phases_point(p, 2, 0, &(hl_stationary){0}), HL_EINVAL);
    assert_int_equal(hl_phases_point(p, 0, 100, &(hl_stationary){0}), HL_EINVAL);
    hl_phases_free(p);
    hl_model_free(m);
}

/* The crystal branch is born at a fold near beta = 0.34 (paper: "begins
 * when beta ~ 0.34"); ours: 0.33643, the minimum of B(d). */
static void test_crystal_fold(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_phases *p = paper_phases(m);
    int C = branch_named(p, "crystal");
    assert_int_equal(hl_phases_fold_count(p), 1);
    hl_fold fo;
    CHECK_OK(hl_phases_fold(p, 0, &fo));
    assert_int_equal(fo.branch, C);
    assert_int_equal(fo.birth, 1);
    assert_true(fabs(fo.beta - 0.34) < 0.01);
    assert_true(fabs(fo.beta - 0.3364) < 1e-3);
    double t_fold;
    double beta_fold = ref_crystal_fold(&t_fold);
    CHECK_ABS(fo.beta, beta_fold, 1e-8); /* "folds located to 1e-8" */
    double x, y;
    ref_xy(beta_fold, t_fold, &x, &y);
    CHECK_ABS(fo.x, x, 1e-5);
    CHECK_ABS(fo.y, y, 1e-5);
    assert_int_equal(hl_phases_fold(p, 1, &fo), HL_EINVAL);
    CHECK_OK(hl_phases_fold(p, 0, &fo));

    /* just below the fold only the liquid maximum exists */
    hl_stationary mx[4];
    size_t n = 0;
    CHECK_OK(hl_maxima_at(m, fo.beta - 1e-6, mx, 4, &n));
    assert_int_equal(n, 1);
    double tc, tl, x_l, y_l;
    assert_false(ref_maxima_d(fo.beta - 1e-6, &tc, &tl));
    ref_xy(fo.beta - 1e-6, tl, &x_l, &y_l);
    CHECK_ABS(mx[0].x, x_l, 1e-9); /* the liquid */
    CHECK_ABS(mx[0].y, y_l, 1e-9);
    /* just above it the reference has the crystal maximum, next to the
     * fold point */
    assert_true(ref_maxima_d(fo.beta + 1e-6, &tc, &tl));
    double x_c, y_c;
    ref_xy(fo.beta + 1e-6, tc, &x_c, &y_c);
    CHECK_ABS(x_c, fo.x, 0.01);
    CHECK_ABS(y_c, fo.y, 0.01);
    hl_phases_free(p);
    hl_model_free(m);
}

/* hl_maxima_at promises every local maximum: just above the fold the new
 * crystal maximum (a genuine, non-degenerate maximum whose existence the
 * reference confirms) must be among them. */
static void test_maxima_at_just_above_fold(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    double t_fold;
    double beta_fold = ref_crystal_fold(&t_fold);
    const double above[] = {1e-2, 1e-3, 1e-4, 1e-6};
    for (size_t k = 0; k < sizeof above / sizeof above[0]; k++) {
        double beta = beta_fold + above[k];
        double tc, tl, x_c, y_c;
        assert_true(ref_maxima_d(beta, &tc, &tl));
        ref_xy(beta, tc, &x_c, &y_c);
        hl_stationary mx[4];
        size_t n = 0;
        CHECK_OK(hl_maxima_at(m, beta, mx, 4, &n));
        if (n != 2)
            print_error("beta = fold + %g: %zu maxima found, expected 2 "
                        "(crystal maximum at (%.6f, %.6f) missed)\n",
                        above[k], n, x_c, y_c);
        assert_int_equal(n, 2);
        CHECK_ABS(mx[0].x, x_c, 1e-8);
        CHECK_ABS(mx[0].y, y_c, 1e-8);
    }
    hl_model_free(m);
}

static void test_melting_point(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_phases *p = paper_phases(m);
    assert_int_equal(hl_phases_melting_count(p), 1);
    hl_melting ml;
    CHECK_OK(hl_phases_melting(p, 0, &ml));
    assert_int_equal(hl_phases_melting(p, 1, &ml), HL_EINVAL);
    CHECK_OK(hl_phases_melting(p, 0, &ml));
    /* eq 4.14 */
    assert_true(fabs(ml.beta - 0.773) < 5e-4);
    double beta_ref = ref_melting(0.5, 1.0);
    CHECK_ABS(ml.beta, beta_ref, 1e-9);
    assert_int_equal(ml.branch_a, branch_named(p, "liquid"));
    assert_int_equal(ml.branch_b, branch_named(p, "crystal"));
    assert_int_equal(ml.global, 1);
    /* equal f at melting, positions from the reference */
    CHECK_ABS(ml.a.f - ml.b.f, 0.0, 1e-12);
    double tc, tl, x, y;
    assert_true(ref_maxima_d(ml.beta, &tc, &tl));
    ref_xy(ml.beta, tl, &x, &y);
    CHECK_ABS(ml.a.x, x, 1e-9);
    CHECK_ABS(ml.a.y, y, 1e-9);
    ref_xy(ml.beta, tc, &x, &y);
    CHECK_ABS(ml.b.x, x, 1e-9);
    CHECK_ABS(ml.b.y, y, 1e-9);
    /* latent heat and Clausius-Clapeyron: Delta w = beta_m Delta phi */
    CHECK_ABS(ml.latent_heat, ml.a.phi - ml.b.phi, 1e-15);
    CHECK_ABS(ml.latent_heat, paper_phi(ml.a.x, ml.a.y) - paper_phi(ml.b.x, ml.b.y),
              1e-12);
    assert_true(ml.latent_heat > 0);
    CHECK_ABS(ml.entropy_jump, ref_w(ml.a.x, ml.a.y) - ref_w(ml.b.x, ml.b.y), 1e-12);
    CHECK_REL(ml.entropy_jump, ml.beta * ml.latent_heat, 1e-10);
    /* the saddle: the middle stationary point of the d part */
    assert_int_equal(ml.has_saddle, 1);
    double ts[8];
    int kind[8];
    int ns = ref_stationary_d(ml.beta, ts, kind, 8);
    assert_int_equal(ns, 3);
    assert_int_equal(kind[1], -1);
    ref_xy(ml.beta, ts[1], &x, &y);
    CHECK_ABS(ml.saddle.x, x, 1e-8);
    CHECK_ABS(ml.saddle.y, y, 1e-8);
    assert_true(ml.saddle.hess_det < 0);
    assert_true(ml.saddle.f < ml.a.f && ml.saddle.f < ml.b.f);
    CHECK_ABS(ml.saddle.f, ref_fs_max(ml.beta) + ref_fd(ml.beta, ts[1]), 1e-12);
    hl_phases_free(p);
    hl_model_free(m);
}

/* The melting point must not depend on the beta grid: with few points the
 * crystal branch is born (fold 0.3364) and overtakes the liquid (0.77315)
 * inside one grid interval, and both are still to be reported. */
static void test_melting_found_on_coarse_grid(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    double beta_ref = ref_melting(0.5, 1.0);
    const struct {
        double lo, hi;
        int n;
    } grids[] = {{0.5, 1.0, 2}, {0.2, 2.0, 10}, {0.1, 1.0, 2}, {0.2, 2.0, 4},
                 {0.3, 1.3, 3}};
    for (size_t k = 0; k < sizeof grids / sizeof grids[0]; k++) {
        hl_phases *p = NULL;
        CHECK_OK(hl_phases_compute(m, grids[k].lo, grids[k].hi, grids[k].n, &p));
        int nm = hl_phases_melting_count(p);
        if (nm != 1)
            print_error("beta in [%g, %g], %d points: %d melting points, "
                        "expected 1 at %.10f\n",
                        grids[k].lo, grids[k].hi, grids[k].n, nm, beta_ref);
        assert_int_equal(nm, 1);
        hl_melting ml;
        CHECK_OK(hl_phases_melting(p, 0, &ml));
        CHECK_ABS(ml.beta, beta_ref, 1e-9);
        hl_phases_free(p);
    }
    hl_model_free(m);
}

/* beta up to 1e6 is accepted; for every beta above the fold there are two
 * maxima, the liquid (tending to the corner (0, -1)) and the crystal (to
 * (-1, 0)), with f -> -beta phi at those corners. */
static void test_maxima_at_large_beta(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    const double betas[] = {10, 100, 1e3, 1e4, 1e5, 1e6};
    for (size_t k = 0; k < sizeof betas / sizeof betas[0]; k++) {
        double beta = betas[k];
        double tc, tl;
        assert_true(ref_maxima_d(beta, &tc, &tl));
        hl_stationary mx[4];
        size_t n = 0;
        CHECK_OK(hl_maxima_at(m, beta, mx, 4, &n));
        if (n != 2)
            print_error("beta = %g: %zu maxima, expected 2\n", beta, n);
        assert_int_equal(n, 2);
        double x, y;
        ref_xy(beta, tc, &x, &y);
        CHECK_ABS(mx[0].x, x, 1e-9);
        CHECK_ABS(mx[0].y, y, 1e-9);
        CHECK_REL(mx[0].f, 1.83456 * beta, 1e-12);
        assert_int_equal(mx[0].stable, 1);
        ref_xy(beta, tl, &x, &y);
        CHECK_ABS(mx[1].x, x, 1e-9);
        CHECK_ABS(mx[1].y, y, 1e-9);
        CHECK_REL(mx[1].f, 1.78336 * beta, 1e-12);
        assert_int_equal(mx[1].stable, 0);
    }
    hl_model_free(m);
}

/* the liquid keeps its name all the way down to T = 0 */
static void test_names_at_large_beta(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    const double betas[] = {2, 5, 8, 9, 10, 30, 100};
    for (size_t k = 0; k < sizeof betas / sizeof betas[0]; k++) {
        hl_stationary mx[4];
        size_t n = 0;
        CHECK_OK(hl_maxima_at(m, betas[k], mx, 4, &n));
        assert_int_equal(n, 2);
        char names[4][16];
        CHECK_OK(hl_name_maxima(m, betas[k], mx, n, names));
        if (strcmp(names[1], "liquid") != 0)
            print_error("beta = %g: the maximum at (%.3g, %.3g) is named "
                        "'%s', expected 'liquid'\n",
                        betas[k], mx[1].x, mx[1].y, names[1]);
        assert_string_equal(names[0], "crystal");
        assert_string_equal(names[1], "liquid");
    }
    /* the exact basins use the same names */
    hl_exact *ex = NULL;
    CHECK_OK(hl_exact_create(m, 40, HL_EXACT_AUTO, &ex));
    hl_exact_result r;
    CHECK_OK(hl_exact_compute(ex, 10.0, &r));
    assert_int_equal(r.n_basins, 2);
    for (int q = 0; q < r.n_basins; q++)
        assert_true(strcmp(r.basins[q].name, "liquid") == 0 ||
                    strcmp(r.basins[q].name, "crystal") == 0);
    hl_exact_free(ex);
    hl_model_free(m);
}

/* ------------------------------------------------------------ symmetry */

/* phi(x, y) = phi(x, -y) and w(x, y) = w(x, -y): the maxima come in mirror
 * pairs and the saddle between them lies on y = 0, where it solves
 * dw/dx (x, 0) = -atanh(x) = beta dphi/dx = 0.3 beta. */
static void test_mirror_double_well(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create("4*(y^2-0.25)^2 + 0.3*x", &m));
    const double beta = 2.0;
    hl_stationary mx[4];
    size_t n = 0;
    CHECK_OK(hl_maxima_at(m, beta, mx, 4, &n));
    assert_int_equal(n, 2);
    CHECK_ABS(mx[0].x, mx[1].x, 1e-9);
    CHECK_ABS(mx[0].y, -mx[1].y, 1e-9);
    assert_true(fabs(mx[0].y) > 0.2);
    CHECK_ABS(mx[0].f, mx[1].f, 1e-12);
    CHECK_ABS(mx[0].phi, mx[1].phi, 1e-12);
    for (int i = 0; i < 2; i++) {
        double g[2], det, tr;
        f_gradient(m, beta, mx[i].x, mx[i].y, g);
        CHECK_ABS(g[0], 0.0, 1e-7);
        CHECK_ABS(g[1], 0.0, 1e-7);
        f_hessian(m, beta, mx[i].x, mx[i].y, &det, &tr);
        assert_true(det > 0 && tr < 0);
    }
    hl_stationary sd;
    CHECK_OK(hl_saddle_between(m, beta, &mx[0], &mx[1], &sd));
    CHECK_ABS(sd.y, 0.0, 1e-9);
    CHECK_ABS(sd.x, -tanh(0.3 * beta), 1e-9);
    assert_true(sd.hess_det < 0);
    CHECK_ABS(sd.f, ref_w(sd.x, 0) - beta * (0.25 + 0.3 * sd.x), 1e-12);
    assert_true(sd.f < mx[0].f);
    double det, tr;
    f_hessian(m, beta, sd.x, sd.y, &det, &tr);
    assert_true(det < 0);
    /* at small beta f_yy(x, 0) = -1/(1 - x^2) + 4 beta < 0: one maximum, on y = 0 */
    CHECK_OK(hl_maxima_at(m, 0.1, mx, 4, &n));
    assert_int_equal(n, 1);
    CHECK_ABS(mx[0].y, 0.0, 1e-9);
    CHECK_ABS(mx[0].x, -tanh(0.03), 1e-9);
    hl_model_free(m);
}

/* The same mirror-symmetric phi traced over beta: the symmetric maximum on
 * y = 0, x = -tanh(0.3 beta), loses stability at the pitchfork where
 * f_yy = -1/(1 - x^2) + 4 beta = 0, i.e. cosh^2(0.3 beta) = 4 beta, and two
 * mirror maxima take over; they have equal f at every beta, which is not a
 * melting point. */
static void test_mirror_pitchfork_phases(void **state)
{
    (void)state;
    double lo = 0.2, hi = 0.3; /* cosh^2(0.3 b) - 4 b changes sign here */
    while (hi - lo > 1e-15) {
        double mid = 0.5 * (lo + hi), c = cosh(0.3 * mid);
        if (c * c - 4 * mid > 0)
            lo = mid;
        else
            hi = mid;
    }
    const double beta_p = 0.5 * (lo + hi);
    hl_model *m = NULL;
    CHECK_OK(hl_model_create("4*(y^2-0.25)^2 + 0.3*x", &m));
    hl_phases *p = NULL;
    CHECK_OK(hl_phases_compute(m, 0.05, 2.0, 80, &p));
    assert_int_equal(hl_phases_melting_count(p), 0);
    assert_int_equal(hl_phases_branch_count(p), 3);
    int nf = hl_phases_fold_count(p);
    assert_true(nf >= 1);
    for (int k = 0; k < nf; k++) {
        hl_fold fo;
        CHECK_OK(hl_phases_fold(p, k, &fo));
        CHECK_ABS(fo.beta, beta_p, 1e-7);
        CHECK_ABS(fo.y, 0.0, 1e-4);
        CHECK_ABS(fo.x, -tanh(0.3 * beta_p), 1e-6);
    }
    /* each beta: one maximum below the pitchfork (on y = 0), two above */
    for (int i = 0; i < hl_phases_beta_count(p); i++) {
        double beta = hl_phases_beta(p, i);
        int present = 0;
        double ysum = 0;
        for (int b = 0; b < hl_phases_branch_count(p); b++) {
            hl_stationary q;
            if (hl_phases_point(p, b, i, &q) != HL_OK)
                continue;
            present++;
            ysum += q.y;
            if (beta < beta_p) {
                CHECK_ABS(q.y, 0.0, 1e-9);
                CHECK_ABS(q.x, -tanh(0.3 * beta), 1e-9);
            } else {
                assert_true(fabs(q.y) > 0);
            }
        }
        assert_int_equal(present, beta < beta_p ? 1 : 2);
        CHECK_ABS(ysum, 0.0, 1e-9); /* mirror pairs */
    }
    hl_phases_free(p);
    hl_model_free(m);
}

/* ------------------------------------------------------------ bad input */

/* c ~ beta^2 at high T: where it leaves the doubles it is NaN (digits
 * lost), never 0, and ln c continues the same line: ln c - 2 ln beta is the
 * same constant at beta = 1e-100, 1e-150 (c representable) and 1e-300
 * (c ~ 1e-600 is not); phi = 0 keeps c = 0 exactly. */
static void test_heat_capacity_underflow(void **state)
{
    (void)state;
    const char *phis[] = {NULL, "x + 0.3*y^2 - 0.1*x*y", "(x - y)^3 + y"};
    for (size_t q = 0; q < sizeof phis / sizeof phis[0]; q++) {
        hl_model *m = NULL;
        CHECK_OK(hl_model_create(phis[q], &m));
        const double betas[] = {1e-100, 1e-150, 1e-300};
        double ref = NAN;
        for (int j = 0; j < 3; j++) {
            hl_stationary mx[4];
            size_t n = 0;
            CHECK_OK(hl_maxima_at(m, betas[j], mx, 4, &n));
            assert_int_equal(n, 1);
            double lc = mx[0].ln_heat_capacity;
            assert_true(isfinite(lc));
            if (j < 2) {
                assert_true(mx[0].heat_capacity > 0);
                assert_true(fabs(log(mx[0].heat_capacity) - lc) < 1e-12 * fabs(lc));
            } else {
                assert_true(isnan(mx[0].heat_capacity));
            }
            double k = lc - 2 * log(betas[j]);
            if (j == 0)
                ref = k;
            else
                assert_true(fabs(k - ref) < 1e-9 * fmax(1, fabs(ref)));
        }
        hl_model_free(m);
    }
    hl_model *m = NULL;
    CHECK_OK(hl_model_create("0", &m));
    hl_stationary mx[4];
    size_t n = 0;
    CHECK_OK(hl_maxima_at(m, 1e-300, mx, 4, &n));
    assert_int_equal(n, 1);
    assert_true(mx[0].heat_capacity == 0);
    hl_model_free(m);
    /* low T: the paper's crystal sits e^-2 beta from the edge s = -1 and its
     * c = 2 beta^2 sech^2(2 beta) (the s-mode; d is frozen) leaves the
     * doubles between beta = 177 and 178 (c = 8.3e-303 and 1.5e-304, both
     * normal): c was 0 from 178 on; ln c = ln(2 beta^2 sech^2 2 beta) */
    CHECK_OK(hl_model_create(NULL, &m));
    const double lows[] = {100, 177, 178, 200, 300, 1e6};
    for (int j = 0; j < 6; j++) {
        double b = lows[j];
        CHECK_OK(hl_maxima_at(m, b, mx, 4, &n));
        char names[4][16];
        CHECK_OK(hl_name_maxima(m, b, mx, n, names));
        size_t q = 0;
        while (q < n && strcmp(names[q], "crystal"))
            q++;
        assert_true(q < n);
        double u = 2 * b, ref = log(2 * b * b) + log(4.0) - 2 * u - 2 * log1p(exp(-2 * u));
        CHECK_REL(mx[q].ln_heat_capacity, ref, 1e-12);
        if (ref > log(DBL_MIN))
            CHECK_REL(mx[q].heat_capacity, exp(ref), 1e-11);
        else
            assert_true(isnan(mx[q].heat_capacity));
    }
    hl_model_free(m);
}

static void test_bad_beta(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    const double bad[] = {NAN, -1.0, 0.0, -0.0, INFINITY, -INFINITY, 1e7};
    hl_stationary mx[4];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        size_t n = 99;
        assert_int_equal(hl_maxima_at(m, bad[k], mx, 4, &n), HL_EDOM);
        assert_true(strlen(hl_errmsg()) > 0);
        char names[4][16];
        assert_int_equal(hl_name_maxima(m, bad[k], mx, 0, names), HL_EDOM);
        hl_phases *p = (hl_phases *)0x1;
        assert_int_equal(hl_phases_compute(m, bad[k], 2.0, 10, &p), HL_EDOM);
        assert_null(p);
        assert_int_equal(hl_phases_compute(m, 0.1, bad[k], 10, &p), HL_EDOM);
        assert_null(p);
    }
    hl_phases *p = (hl_phases *)0x1;
    /* empty or reversed beta ranges, too few points */
    int st = hl_phases_compute(m, 1.0, 1.0, 10, &p);
    assert_true(st < 0);
    assert_null(p);
    assert_true(strlen(hl_errmsg()) > 0);
    st = hl_phases_compute(m, 1.0, 0.5, 10, &p);
    assert_true(st < 0);
    assert_null(p);
    const int npts[] = {1, 0, -5};
    for (size_t k = 0; k < 3; k++) {
        st = hl_phases_compute(m, 0.1, 1.0, npts[k], &p);
        assert_true(st < 0);
        assert_null(p);
        assert_true(strlen(hl_errmsg()) > 0);
    }
    /* the smallest valid request works */
    CHECK_OK(hl_phases_compute(m, 0.1, 1.0, 2, &p));
    assert_int_equal(hl_phases_beta_count(p), 2);
    hl_phases_free(p);
    hl_phases_free(NULL);
    hl_model_free(m);
}

/* GSL's default handler aborts the process; the library turns it off when a
 * model is created, so a GSL error is a status (the old code aborted here). */
static double lin_fn(double x, void *p)
{
    (void)p;
    return x + 10;
}

static void test_gsl_handler_off(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    gsl_function F = {lin_fn, NULL};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    assert_non_null(s);
    /* [0, 1] does not bracket the root -10 */
    assert_int_equal(gsl_root_fsolver_set(s, &F, 0, 1), GSL_EINVAL);
    gsl_root_fsolver_free(s);
    hl_model_free(m);
}

/* Wiggly user phis: every run ends with a status, never a signal.  Mirror
 * images of a symmetric phi have equal f at every beta and give no melting
 * point (their round-off sign changes of f_a - f_b aborted the old code in
 * the Brent bracket); the true melting points agree with an independent
 * 40-digit solve (mpmath findroot of grad f = 0 at both maxima and equal
 * f, from the reported positions). */
/* Many branches (93 for this phi): every branch name is non-empty and
 * unique.  The old renaming gave two branches the same "branch-K" (a
 * renamed branch could take a name given by hl_name_maxima) and left a
 * branch unnamed when its first point was past the first MAX_MAXIMA. */
static void test_branch_names_unique(void **state)
{
    (void)state;
    const char *phis[] = {"0.05*sin(40*x)*sin(40*y)", "0.1*sin(10*x)*sin(10*y)"};
    for (size_t f = 0; f < sizeof phis / sizeof phis[0]; f++) {
        hl_model *m = NULL;
        hl_phases *p = NULL;
        assert_int_equal(hl_model_create(phis[f], &m), HL_OK);
        assert_int_equal(hl_phases_compute(m, 0.05, 5.0, 400, &p), HL_OK);
        int nb = hl_phases_branch_count(p);
        assert_true(nb > 1);
        for (int b = 0; b < nb; b++) {
            const char *nm = hl_phases_branch_name(p, b);
            assert_non_null(nm);
            assert_true(nm[0] != 0);
            for (int c = 0; c < b; c++)
                assert_string_not_equal(nm, hl_phases_branch_name(p, c));
        }
        hl_phases_free(p);
        hl_model_free(m);
    }
}

/* A phi that oscillates faster than the old 33 x 33 search grid resolves
 * (period 0.031 in x): every maximum of f is found.  phi depends on x only
 * and w(x, y) is concave in y with its maximum at y = 0, so every maximum
 * of f lies on y = 0 and is a maximum of the one-dimensional
 * w(x, 0) - beta phi(x): the independent count is of the strict local
 * maxima of that function on a grid of spacing 1e-5 in |x| < 0.95.  The old
 * search found 6 branches in all (49 maxima here). */
static void test_fast_oscillation_maxima(void **state)
{
    (void)state;
    const double beta = 5, lim = 0.95, h = 1e-5;
    hl_model *m = NULL;
    assert_int_equal(hl_model_create("0.001*sin(200*x)", &m), HL_OK);
    hl_stationary buf[256];
    size_t n = 0;
    assert_int_equal(hl_maxima_at(m, beta, buf, 256, &n), HL_OK);
    assert_true(n <= 256);
    size_t found = 0;
    for (size_t k = 0; k < n; k++) {
        assert_true(fabs(buf[k].y) < 1e-8);
        if (fabs(buf[k].x) < lim)
            found++;
    }
    size_t brute = 0;
    long N = (long)(2 * lim / h);
    double f0 = 0, f1 = 0;
    for (long i = 0; i <= N; i++) {
        double x = -lim + h * (double)i;
        double f2 = hl_entropy_w(x, 0) - beta * 0.001 * sin(200 * x);
        if (i >= 2 && f1 > f0 && f1 > f2)
            brute++;
        f0 = f1;
        f1 = f2;
    }
    assert_true(brute > 40);
    assert_int_equal(found, brute);
    hl_model_free(m);
}

static void test_wiggly_phis(void **state)
{
    (void)state;
    static const struct {
        const char *phi;
        int nref;
        double ref[2];
    } cases[] = {
        {"0.1*sin(10*x)*sin(10*y)", 0, {0}},
        {"0.05*cos(20*x*y)", 1, {1.5101849320851601644}},
        {"x+y+0.2*sin(15*x)", 2, {0.37568408606309962389, 0.44883622850422429065}},
        {"0.1*sin(10*x)*cos(7*y)+0.02*x", -1, {0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        hl_model *m;
        CHECK_OK(hl_model_create(cases[c].phi, &m));
        hl_phases *p = NULL;
        CHECK_OK(hl_phases_compute(m, 0.05, 5.0, 2000, &p));
        int nm = hl_phases_melting_count(p);
        if (cases[c].nref >= 0) {
            /* distinct melting betas (a liquid melting into 4 mirror
             * crystals gives one beta four times) */
            double seen[64];
            int ns = 0;
            for (int k = 0; k < nm; k++) {
                hl_melting ml;
                CHECK_OK(hl_phases_melting(p, k, &ml));
                assert_true(fabs(ml.a.f - ml.b.f) < 1e-12);
                int dup = 0;
                for (int j = 0; j < ns; j++)
                    dup |= fabs(seen[j] - ml.beta) < 1e-9;
                if (!dup && ns < 64)
                    seen[ns++] = ml.beta;
            }
            assert_int_equal(ns, cases[c].nref);
            for (int j = 0; j < ns; j++) {
                double best = INFINITY;
                for (int r = 0; r < cases[c].nref; r++)
                    best = fmin(best, fabs(seen[j] - cases[c].ref[r]));
                assert_true(best < 1e-10);
            }
            assert_int_equal(hl_phases_unresolved_count(p), 0);
        }
        for (int k = 0; k < hl_phases_unresolved_count(p); k++) {
            hl_melting_unresolved u;
            CHECK_OK(hl_phases_unresolved(p, k, &u));
            assert_true(u.beta_lo <= u.beta_hi);
            assert_true(strlen(u.reason) > 0);
        }
        assert_int_equal(hl_phases_unresolved(p, -1, &(hl_melting_unresolved){0}), HL_EINVAL);
        hl_phases_free(p);
        hl_model_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maxima_at_default),
        cmocka_unit_test(test_branches),
        cmocka_unit_test(test_crystal_fold),
        cmocka_unit_test(test_maxima_at_just_above_fold),
        cmocka_unit_test(test_melting_point),
        cmocka_unit_test(test_melting_found_on_coarse_grid),
        cmocka_unit_test(test_maxima_at_large_beta),
        cmocka_unit_test(test_names_at_large_beta),
        cmocka_unit_test(test_mirror_double_well),
        cmocka_unit_test(test_mirror_pitchfork_phases),
        cmocka_unit_test(test_bad_beta),
        cmocka_unit_test(test_heat_capacity_underflow),
        cmocka_unit_test(test_gsl_handler_off),
        cmocka_unit_test(test_wiggly_phis),
        cmocka_unit_test(test_branch_names_unique),
        cmocka_unit_test(test_fast_oscillation_maxima),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
