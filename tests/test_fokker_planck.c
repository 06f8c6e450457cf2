/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fokker_planck.c -- the Fokker-Planck equation (eqs 5.9-5.11):
 * linearised form against the exact Ornstein-Uhlenbeck spectrum, second-
 * order grid convergence, the 2-D solver against an independent 1-D
 * decomposition for the paper's separable phi, conservation, positivity and
 * relaxation to the discrete equilibrium, the in-basin master equation, and
 * bad input. */
#include "test_util.h"

#include <string.h>

#include <lapacke.h>

#include "hyperland/fokker_planck.h"
#include "hyperland/gaussian.h"
#include "kinetics_private.h"

static hl_fp *make_fp(const hl_model *m, long D, double beta, int form, long grid,
                      const char *branch, double window, int in_basin)
{
    hl_fp_options o;
    hl_fp_options_default(&o);
    o.form = form;
    o.grid = grid;
    o.branch = branch;
    o.window = window;
    o.in_basin = in_basin;
    hl_fp *fp = NULL;
    CHECK_OK(hl_fp_create(m, D, beta, &o, &fp));
    return fp;
}

/* The linear form is an OU process: its numerical rates converge to
 * n1 lambda1 + n2 lambda2 at second order in h (Richardson-extrapolated to
 * 1e-4) -- for Gaussians well inside the square; near an edge the square's
 * wall shifts the rates (the crystal at beta = 0.5, checked by 'compare'). */
static void test_linear_matches_ou(void **state)
{
    (void)state;
    const char *phis[3] = {"0", "0.3*x^2+0.2*x*y+0.5*y^2+0.1*x", NULL};
    const char *trans[3] = {NULL, "1+0.5*x^2+y^2", NULL};
    double betas[3] = {1.0, 1.0, 0.25};
    for (int c = 0; c < 3; c++) {
        hl_model *m;
        CHECK_OK(hl_model_create(phis[c], &m));
        if (trans[c])
            CHECK_OK(hl_model_set_transmission(m, trans[c]));
        long D = 400;
        hl_gaussian g;
        CHECK_OK(hl_gaussian_branch(m, D, betas[c], "liquid", &g));
        double ou[6], r1[6], r2[6];
        hl_ou_rates(&g, 6, ou);
        hl_fp *f1 = make_fp(m, D, betas[c], HL_FP_LINEAR, 60, "liquid", 8, 0);
        hl_fp *f2 = make_fp(m, D, betas[c], HL_FP_LINEAR, 120, "liquid", 8, 0);
        CHECK_OK(hl_fp_spectrum(f1, 6, r1, NULL));
        CHECK_OK(hl_fp_spectrum(f2, 6, r2, NULL));
        assert_true(r1[0] == 0 && r2[0] == 0);
        for (int q = 1; q < 6; q++) {
            double e1 = fabs(r1[q] - ou[q]) / ou[q], e2 = fabs(r2[q] - ou[q]) / ou[q];
            double rich = (4 * r2[q] - r1[q]) / 3;
            printf("  case %d rate %d: OU %.10f  N=60 %.3e  N=120 %.3e  ratio %.2f  "
                   "extrapolated %.2e\n", c, q, ou[q], e1, e2, e1 / e2,
                   fabs(rich - ou[q]) / ou[q]);
            assert_true(e2 < 1e-2);
            assert_true(e1 / e2 > 3.5 && e1 / e2 < 4.5); /* O(h^2) */
            assert_true(fabs(rich - ou[q]) / ou[q] < 1e-4);
        }
        hl_fp_free(f1);
        hl_fp_free(f2);
        hl_model_free(m);
    }
}

/* The paper's phi is s + g(d) and B = 1: the full form separates into two
 * 1-D Scharfetter-Gummel chains; its 2-D rates must be the sums of their
 * rates, computed here independently with LAPACK's tridiagonal solver. */
static void chain_1d(long n, const double *u, const double *kface, double h, double *ev)
{
    /* -S tridiagonal: diag sum of out-rates, off-diag -c */
    double *dg = calloc((size_t)n, sizeof(double)), *off = calloc((size_t)n, sizeof(double));
    for (long i = 0; i + 1 < n; i++) {
        double z = u[i + 1] - u[i];
        double bern_m = fabs(z) < 1e-12 ? 1.0 : z / (1 - exp(-z));  /* Bern(-z) */
        double bern_p = fabs(z) < 1e-12 ? 1.0 : -z / (1 - exp(z));  /* Bern(z)  */
        double k_up = kface[i] / (h * h) * bern_m, k_dn = kface[i] / (h * h) * bern_p;
        dg[i] += k_up;
        dg[i + 1] += k_dn;
        off[i] = -sqrt(k_up * k_dn);
    }
    assert_int_equal(LAPACKE_dstev(LAPACK_COL_MAJOR, 'N', (lapack_int)n, dg, off, NULL, 1), 0);
    memcpy(ev, dg, sizeof(double) * (size_t)n);
    free(dg);
    free(off);
}

static void test_full_separable(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    long D = 60, n = 48;
    double beta = 0.9;
    hl_fp *fp = make_fp(m, D, beta, HL_FP_FULL, n, NULL, 0, 0);
    double r[8];
    CHECK_OK(hl_fp_spectrum(fp, 8, r, NULL));
    double h = 2.0 / n, us[64], ud[64], ks[64], kd[64], es[64], ed[64];
    for (long i = 0; i < n; i++) {
        double c = -1 + (i + 0.5) * h;
        /* U = D (w - beta phi) with w = H((1+s)/2)/2 + H((1+d)/2)/2 and
         * phi = s + g(d): g from phi at s = 0 */
        double H = -(ulnu((1 + c) / 2) + ulnu((1 - c) / 2));
        us[i] = D * (0.5 * H - beta * c);
        ud[i] = D * (0.5 * H - beta * paper_phi(0.5 * c, -0.5 * c));
        double f = -1 + (i + 1) * h;
        ks[i] = kd[i] = 4.0 / D * sqrt((1 - f) * (1 + f));
    }
    chain_1d(n, us, ks, h, es);
    chain_1d(n, ud, kd, h, ed);
    /* the 8 smallest sums es[i] + ed[j] */
    double sums[64 * 64];
    int ns = 0;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
            sums[ns++] = es[i] + ed[j];
    for (int a = 0; a < ns; a++)
        for (int b = a + 1; b < ns; b++)
            if (sums[b] < sums[a]) {
                double t = sums[a];
                sums[a] = sums[b];
                sums[b] = t;
            }
    for (int q = 0; q < 8; q++) {
        if (isnan(r[q]))
            continue; /* below the resolution (the tunnelling rate) */
        CHECK_NEAR(r[q], sums[q], 1e-9, 1e-8);
    }
    hl_fp_free(fp);
    hl_model_free(m);
}

/* Grid convergence of the full form on the whole square (any phi). */
/* A tunnelling rate far below the eigensolver's resolution comes from the
 * capacity formula: the paper's phi at D = 100, beta = 0.773 (both basins),
 * against the slowest rate of the separable d-chain of the same grid
 * computed independently with 60-digit arithmetic (mpmath): 1.9669e-13
 * (N = 200). */
static void test_full_tunnelling(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_fp *fp = make_fp(m, 100, 0.773, HL_FP_FULL, 200, NULL, 0, 0);
    double r[3];
    hl_fp_spectrum_info si;
    CHECK_OK(hl_fp_spectrum(fp, 3, r, &si));
    printf("  tunnelling %.10e (capacity %d), resolution %.2g\n", r[1], si.tunnelling_exact,
           si.resolution);
    assert_true(si.tunnelling_exact);
    CHECK_REL(r[1], 1.9669e-13, 1e-4);
    CHECK_REL(exp(si.ln_tunnelling), r[1], 1e-14);
    hl_fp_free(fp);
    hl_model_free(m);
}

static void test_full_grid_convergence(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create("-(x+0.3)^2 - 0.5*y^2 + 0.4*x*y + 0.2*x^3", &m));
    CHECK_OK(hl_model_set_transmission(m, "1 + 0.5*x^2 + 0.2*y"));
    long D = 40;
    double beta = 1.0, r[3][4];
    long grids[3] = {40, 80, 160};
    for (int k = 0; k < 3; k++) {
        hl_fp *fp = make_fp(m, D, beta, HL_FP_FULL, grids[k], NULL, 0, 0);
        CHECK_OK(hl_fp_spectrum(fp, 4, r[k], NULL));
        hl_fp_free(fp);
    }
    for (int q = 1; q < 4; q++) {
        double e1 = fabs(r[1][q] - r[0][q]), e2 = fabs(r[2][q] - r[1][q]);
        printf("  rate %d: %.10f %.10f %.10f  ratio of differences %.2f\n", q, r[0][q], r[1][q],
               r[2][q], e1 / e2);
        assert_true(e1 / e2 > 3.0 && e1 / e2 < 5.5);
    }
    hl_model_free(m);
}

/* Evolution: conservation, positivity, relaxation to the discrete
 * equilibrium exp(U); the linear form refuses a protocol. */
static void test_evolve_full(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    long D = 40, n = 80;
    double beta = 1.0;
    hl_fp *fp = make_fp(m, D, beta, HL_FP_FULL, n, NULL, 0, 0);
    hl_protocol *p = test_protocol_fixed(beta);
    hl_evolve_start s = {HL_START_INFINITE_T, NULL, 0, NULL, {0, 0}};
    double t[4] = {0, 0.5, 5, 1e9}; /* past the tunnelling time */
    hl_evolve_point pt[4];
    hl_fp_info info;
    double *q = malloc(sizeof(double) * (size_t)(4 * n * n));
    CHECK_OK(hl_fp_evolve(fp, p, &s, t, 4, 1e-9, pt, q, &info));
    for (int k = 0; k < 4; k++) {
        printf("  t = %g: |sum q - 1| = %.2e, min q = %.2e\n", t[k], pt[k].sum_error, pt[k].min_q);
        assert_true(pt[k].sum_error < 1e-10);
        assert_true(pt[k].min_q > -1e-12);
    }
    /* t = 200: the equilibrium of the grid, exp(U) with U at cell centres */
    hl_fp_options o;
    hl_fp_options_default(&o);
    double mx = 0, z = 0, h = 2.0 / n, umax = -INFINITY;
    double *u = malloc(sizeof(double) * (size_t)(n * n));
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            double s_ = -1 + (i + 0.5) * h, d_ = -1 + (j + 0.5) * h;
            double x = 0.5 * (s_ + d_), y = 0.5 * (s_ - d_);
            u[i * n + j] = D * (ref_w(x, y) - beta * paper_phi(x, y));
            umax = fmax(umax, u[i * n + j]);
        }
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            double e = exp(u[i * n + j] - umax), x = 0.5 * ((-1 + (i + 0.5) * h) + (-1 + (j + 0.5) * h));
            z += e;
            mx += e * x;
        }
    printf("  mean_x(t = 1e9) %.12f, grid equilibrium %.12f; %ld steps, %ld LU\n", pt[3].mean_x,
           mx / z, info.steps, info.factorisations);
    CHECK_ABS(pt[3].mean_x, mx / z, 1e-6);
    free(u);
    free(q);
    hl_fp_free(fp);

    /* linear form: a protocol is refused ... */
    fp = make_fp(m, 100, 0.25, HL_FP_LINEAR, 60, "liquid", 8, 0);
    double tt[2] = {0, 1}, vv[2] = {0.25, 0.3};
    hl_protocol *pr = test_protocol(HL_PROTOCOL_BETA, 2, tt, vv);
    hl_evolve_start sb = {HL_START_BASIN, "liquid", 0, NULL, {0, 0}};
    assert_int_equal(hl_fp_evolve(fp, pr, &sb, t, 2, 0, pt, NULL, NULL), HL_EDOM);
    hl_protocol_free(pr);
    /* ... but runs at fixed beta and relaxes to the centre of its Gaussian
     * (well inside the square at beta = 0.25) */
    hl_protocol_free(p);
    p = test_protocol_fixed(0.25);
    double t2[2] = {0, 30};
    CHECK_OK(hl_fp_evolve(fp, p, &sb, t2, 2, 1e-9, pt, NULL, NULL));
    const hl_gaussian *g = hl_fp_gaussian(fp);
    CHECK_ABS(pt[1].mean_x, g->x, 5e-5); /* the grid's Gaussian: O(h^2) */
    CHECK_ABS(pt[1].mean_y, g->y, 5e-5);
    hl_protocol_free(p);
    hl_fp_free(fp);
    hl_model_free(m);
}

/* The mean of the linear form follows the OU formula exp(-A t) delta0. */
static void test_linear_mean_ou(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    long D = 400;
    double beta = 0.5;
    hl_fp *fp = make_fp(m, D, beta, HL_FP_LINEAR, 160, "liquid", 10, 0);
    const hl_gaussian *g = hl_fp_gaussian(fp);
    long h = D / 2, w = h + 1;
    double px = g->x + 2 * sqrt(g->cov_xx), py = g->y + 2 * sqrt(g->cov_yy);
    long a = lround(0.25 * D * (px + py + 1)), b = lround(0.25 * D * (px - py + 1));
    double *q0 = calloc((size_t)(w * w), sizeof(double));
    q0[a * w + b] = 1;
    double d0[2] = {(double)(a + b) / h - 1 - g->x, (double)(a - b) / h - g->y};
    hl_protocol *p = test_protocol_fixed(beta);
    hl_evolve_start s = {HL_START_CLASSES, NULL, 0, q0, {0, 0}};
    double t[5] = {0, 0.1, 0.3, 1, 2};
    hl_evolve_point pt[5];
    CHECK_OK(hl_fp_evolve(fp, p, &s, t, 5, 1e-10, pt, NULL, NULL));
    for (int k = 0; k < 5; k++) {
        double d[2];
        hl_ou_mean(g, t[k], d0, d);
        double err = hypot(pt[k].mean_x - g->x - d[0], pt[k].mean_y - g->y - d[1]) / hypot(d0[0], d0[1]);
        printf("  t = %g: OU (%.8f, %.8f), FP (%.8f, %.8f), error %.2e of |delta0|\n", t[k],
               g->x + d[0], g->y + d[1], pt[k].mean_x, pt[k].mean_y, err);
        assert_true(err < 5e-3);
    }
    hl_protocol_free(p);
    free(q0);
    hl_fp_free(fp);
    hl_model_free(m);
}

/* In-basin master equation.  The whole basin with a reflecting wall at the
 * divide has, besides the in-basin modes, modes that live at the saddle (the
 * wall shifts them); its concave core has only the in-basin modes, which are
 * also modes of the full chain up to exponentially small terms.  For the
 * paper's phi with B = 1 the a-chain rate 2 cosh(2 beta) is one of them. */
static void test_basin_spectrum(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    double beta = 0.5, r[6], full[80], lfull[80];
    hl_spectrum_info sinfo;
    CHECK_OK(hl_spectrum(m, 400, beta, HL_CONTRACTED, 80, full, lfull, NULL, &sinfo));
    const char *br[2] = {"crystal", "liquid"};
    for (int b = 0; b < 2; b++) {
        CHECK_OK(hl_basin_spectrum(m, 400, beta, br[b], 1, 6, r, NULL));
        assert_true(r[0] == 0);
        int found = 0;
        for (int q = 1; q < 6; q++)
            found |= fabs(r[q] - 2 * cosh(2 * beta)) < 1e-9;
        assert_true(found);
        for (int q = 1; q < 6; q++) {
            double best = INFINITY;
            for (int j = 2; j < 80; j++)
                best = fmin(best, fabs(full[j] - r[q]) / r[q]);
            printf("  %s core rate %d: %.10f, nearest full-chain rate: rel. diff. %.2e\n", br[b],
                   q, r[q], best);
            /* the crystal's d-mode (its third rate) is squeezed between the
             * square's edge d = -1 and the core's wall at D = 400: 1e-2 */
            if (q <= 2)
                assert_true(best < 1e-7);
        }
    }
    /* the whole basin has a rate near the saddle that the full chain lacks */
    CHECK_OK(hl_basin_spectrum(m, 400, beta, "crystal", 0, 6, r, NULL));
    assert_true(r[1] < 2 * cosh(2 * beta));
    assert_int_equal(hl_basin_spectrum(m, 200, 0.2, "crystal", 1, 3, r, NULL), HL_ENOTFOUND);
    hl_model_free(m);
}

/* The tilted (field) start: hl_evolve's product and 2-D paths agree, and
 * with a single basin the in-basin evolution (Krylov exponential on the
 * grid chain) equals hl_evolve (CVODE on the class chain). */
static void test_tilted_start(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    long D = 40;
    double beta = 0.25, t[4] = {0, 0.1, 0.5, 2};
    hl_protocol *p = test_protocol_fixed(beta);
    hl_evolve_start s;
    memset(&s, 0, sizeof s);
    s.kind = HL_START_TILTED;
    s.field[0] = 0.3;
    s.field[1] = -0.2;
    hl_evolve_point a[4], b[4];
    hl_evolve_info ei;
    CHECK_OK(hl_evolve(m, D, p, &s, t, 4, HL_EVOLVE_PRODUCT, 1e-11, a, NULL, &ei));
    CHECK_OK(hl_evolve(m, D, p, &s, t, 4, HL_EVOLVE_GENERAL, 1e-11, b, NULL, &ei));
    double mx[4], my[4];
    CHECK_OK(hl_basin_evolve(m, D, beta, "liquid", 0, &s, t, 4, 1e-11, mx, my));
    for (int k = 0; k < 4; k++) {
        CHECK_ABS(a[k].mean_x, b[k].mean_x, 1e-9);
        CHECK_ABS(a[k].mean_y, b[k].mean_y, 1e-9);
        CHECK_ABS(mx[k], a[k].mean_x, 1e-8);
        CHECK_ABS(my[k], a[k].mean_y, 1e-8);
    }
    assert_true(a[0].mean_x > a[3].mean_x); /* the field pushed x up; it relaxes */
    hl_protocol_free(p);
    hl_model_free(m);
}

/* The capacity formula on the class lattice against the exact graph
 * transformation (D <= 300), non-separable phi and B; beyond D = 300 the
 * spectrum uses it (tunnelling_exact = 2). */
static void test_class_capacity(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create("x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y", &m));
    CHECK_OK(hl_model_set_transmission(m, "exp(-(1+y)/T)*(1+0.3*x^2)"));
    long dims[3] = {100, 200, 300};
    for (int i = 0; i < 3; i++) {
        double lg, lc;
        CHECK_OK(hl_tunnelling_ln_rate(m, dims[i], 0.773, &lg));
        CHECK_OK(hl_class_tunnelling_capacity(m, dims[i], 0.773, &lc));
        printf("  D = %ld: ln rate %.12f (graph transformation), %.12f (capacity)\n", dims[i],
               lg, lc);
        CHECK_ABS(lc, lg, 1e-6);
    }
    double r[2], lr[2];
    hl_spectrum_info si;
    CHECK_OK(hl_spectrum(m, 400, 0.773, HL_CONTRACTED, 2, r, lr, NULL, &si));
    assert_int_equal(si.tunnelling_exact, 2);
    assert_true(lr[1] < -100 && isfinite(lr[1]));
    hl_model_free(m);
}

static void test_bad_input(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_fp_options o;
    hl_fp *fp = NULL;
    hl_fp_options_default(&o);
    o.grid = 4;
    assert_int_equal(hl_fp_create(m, 100, 0.5, &o, &fp), HL_EDOM);
    o.grid = 50;
    assert_int_equal(hl_fp_create(m, 101, 0.5, &o, &fp), HL_EDOM);
    assert_int_equal(hl_fp_create(m, 100, NAN, &o, &fp), HL_EDOM);
    assert_int_equal(hl_fp_create(m, 100, -1, &o, &fp), HL_EDOM);
    o.form = HL_FP_LINEAR;
    assert_int_equal(hl_fp_create(m, 100, 0.5, &o, &fp), HL_EINVAL);
    o.branch = "crystal";
    assert_int_equal(hl_fp_create(m, 100, 0.2, &o, &fp), HL_ENOTFOUND);
    /* the saddle between the two maxima is not a maximum */
    hl_stationary mx[4], sad;
    size_t cnt;
    CHECK_OK(hl_maxima_at(m, 0.5, mx, 4, &cnt));
    assert_int_equal((int)cnt, 2);
    CHECK_OK(hl_saddle_between(m, 0.5, &mx[0], &mx[1], &sad));
    o.branch = NULL;
    o.use_point = 1;
    o.at_x = sad.x;
    o.at_y = sad.y;
    assert_int_equal(hl_fp_create(m, 100, 0.5, &o, &fp), HL_EDOM);
    assert_null(fp);
    hl_model_free(m);
}


/* Long times (issue 8, item 3): at t far beyond the tunnelling time the
 * state is the grid's equilibrium exp(U) (U at the cell centres), whatever
 * t; before, t = 1e30 gave <x> = 11048.  Also the in-basin evolution. */
static void test_long_times(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    long D = 100, n = 60;
    double beta = 0.8;
    hl_fp *fp = make_fp(m, D, beta, HL_FP_FULL, n, NULL, 0, 0);
    hl_protocol *p = test_protocol_fixed(beta);
    hl_evolve_start s = {HL_START_BASIN, "liquid", 0, NULL, {0, 0}};
    double t[4] = {0, 1e10, 1e20, 1e30};
    hl_evolve_point pt[4];
    hl_fp_info info;
    CHECK_OK(hl_fp_evolve(fp, p, &s, t, 4, 0, pt, NULL, &info));
    double mx = 0, my = 0, z = 0, h = 2.0 / n, umax = -INFINITY;
    double *u = malloc(sizeof(double) * (size_t)(n * n));
    for (long i = 0; i < n * n; i++) {
        double s_ = -1 + (i / n + 0.5) * h, d_ = -1 + (i % n + 0.5) * h;
        u[i] = D * (ref_w(0.5 * (s_ + d_), 0.5 * (s_ - d_)) - beta * paper_phi(0.5 * (s_ + d_), 0.5 * (s_ - d_)));
        umax = fmax(umax, u[i]);
    }
    for (long i = 0; i < n * n; i++) {
        double e = exp(u[i] - umax), s_ = -1 + (i / n + 0.5) * h, d_ = -1 + (i % n + 0.5) * h;
        z += e;
        mx += e * 0.5 * (s_ + d_);
        my += e * 0.5 * (s_ - d_);
    }
    for (int k = 0; k < 4; k++) {
        assert_true(pt[k].sum_error < 1e-12);
        assert_true(pt[k].min_q > -1e-13);
        assert_true(fabs(pt[k].mean_x) + fabs(pt[k].mean_y) <= 1);
    }
    for (int k = 2; k < 4; k++) {
        CHECK_ABS(pt[k].mean_x, mx / z, 1e-10);
        CHECK_ABS(pt[k].mean_y, my / z, 1e-10);
    }
    free(u);
    hl_protocol_free(p);
    hl_fp_free(fp);
    /* in-basin evolution: 1e30 is the basin's equilibrium, reached by t = 300
     * (in-basin rates ~ 3, integrated without the slow-mode tail) */
    hl_evolve_start ts = {HL_START_TILTED, NULL, 0, NULL, {0.05, -0.02}};
    double tb[3] = {1, 300, 1e30}, bx[3], by[3];
    CHECK_OK(hl_basin_evolve(m, 60, 0.8, "liquid", 0, &ts, tb, 3, 1e-10, bx, by));
    CHECK_ABS(bx[2], bx[1], 1e-10);
    CHECK_ABS(by[2], by[1], 1e-10);
    assert_true(fabs(bx[2]) + fabs(by[2]) <= 1);
    hl_model_free(m);
}

/* A constant protocol (issue 8, item 7) of 2 or 3 rows, in beta or T, is
 * the fixed beta: P(liquid) at t = 200 of the example, and the
 * same numbers as --beta, for the full and the linear form. */
static void test_constant_protocol(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    double t2[2] = {0, 100}, v2[2] = {0.5, 0.5}, t3[3] = {0, 1, 300}, T3[3] = {2, 2, 2};
    hl_protocol *ps[2] = {test_protocol(HL_PROTOCOL_BETA, 2, t2, v2),
                          test_protocol(HL_PROTOCOL_T, 3, t3, T3)};
    hl_protocol *fixed = test_protocol_fixed(0.5);
    double t[3] = {0, 1, 200};
    for (int form = HL_FP_FULL; form <= HL_FP_LINEAR; form++) {
        hl_fp *fp = make_fp(m, 20, 0.5, form, 40, form == HL_FP_LINEAR ? "crystal" : NULL,
                            form == HL_FP_LINEAR ? 8 : 0, 0);
        hl_evolve_start s = {HL_START_BASIN, "crystal", 0, NULL, {0, 0}};
        hl_evolve_point ref[3], pt[3];
        hl_fp_info info;
        CHECK_OK(hl_fp_evolve(fp, fixed, &s, t, 3, 0, ref, NULL, &info));
        if (form == HL_FP_FULL)
            for (int b = 0; b < ref[2].n_basins; b++)
                if (!strcmp(ref[2].basins[b].name, "liquid"))
                    CHECK_ABS(ref[2].basins[b].probability, 0.87684806, 5e-9);
        for (int k = 0; k < 2; k++) {
            CHECK_OK(hl_fp_evolve(fp, ps[k], &s, t, 3, 0, pt, NULL, &info));
            for (int j = 0; j < 3; j++) {
                assert_true(pt[j].mean_x == ref[j].mean_x);
                assert_true(pt[j].mean_y == ref[j].mean_y);
                assert_true(pt[j].free_energy == ref[j].free_energy);
            }
        }
        hl_fp_free(fp);
    }
    hl_protocol_free(fixed);
    for (int k = 0; k < 2; k++)
        hl_protocol_free(ps[k]);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_matches_ou),   cmocka_unit_test(test_full_separable),
        cmocka_unit_test(test_full_grid_convergence), cmocka_unit_test(test_full_tunnelling),
        cmocka_unit_test(test_evolve_full),
        cmocka_unit_test(test_linear_mean_ou),      cmocka_unit_test(test_basin_spectrum),
        cmocka_unit_test(test_tilted_start), cmocka_unit_test(test_class_capacity),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_long_times),
        cmocka_unit_test(test_constant_protocol),
    };
    if (getenv("HL_TEST_FILTER"))
        cmocka_set_test_filter(getenv("HL_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
