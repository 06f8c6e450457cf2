/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_gaussian.c -- the Gaussian equilibrium of eqs 5.7, 5.8 and the
 * linearised (Ornstein-Uhlenbeck) kinetics of eqs 5.9-5.11 around the
 * maxima of f = w - beta phi: the E's against finite differences of f, the
 * covariance against the exact finite-D sums within each basin (the
 * relative difference must fall like 1/D), the OU rates against closed
 * forms (phi = 0; the paper's s-chain rate 2 cosh(2 beta)) and against the
 * master equation's spectrum, and bad input. */
#include <string.h>

#include "test_util.h"

#define USER_PHI "-(x+0.3)^2 - 0.5*y^2 + 0.4*x*y + 0.2*x^3"

static double f_of(const hl_model *m, double beta, double x, double y)
{
    return hl_entropy_w(x, y) - beta * hl_model_phi(m, x, y);
}

/* ------------------------------------------------ E's, covariance, drift */

static void check_one_gaussian(const hl_model *m, const hl_gaussian *g)
{
    /* steps inside the square balancing the rounding of f (~1e-15 / h^2)
     * against its fourth derivatives (~ h^2 / edge^3, edge = the distance
     * to an edge of the square) */
    double b = g->beta, x = g->x, y = g->y;
    double edge = fmin(1 - fabs(x + y), 1 - fabs(x - y));
    double h = 1e-4 * pow(fmin(1.0, edge), 0.75), escale = fabs(g->E11) + fabs(g->E22);
    /* stationary: first differences vanish */
    double fx = (f_of(m, b, x + h, y) - f_of(m, b, x - h, y)) / (2 * h);
    double fy = (f_of(m, b, x, y + h) - f_of(m, b, x, y - h)) / (2 * h);
    CHECK_ABS(fx, 0, 1e-7 * escale);
    CHECK_ABS(fy, 0, 1e-7 * escale);
    /* eq 5.8: E11 = -f_xx/2, E12 = -f_xy, E22 = -f_yy/2 */
    double f0 = f_of(m, b, x, y);
    double fxx = (f_of(m, b, x + h, y) - 2 * f0 + f_of(m, b, x - h, y)) / (h * h);
    double fyy = (f_of(m, b, x, y + h) - 2 * f0 + f_of(m, b, x, y - h)) / (h * h);
    double fxy = (f_of(m, b, x + h, y + h) - f_of(m, b, x + h, y - h) -
                  f_of(m, b, x - h, y + h) + f_of(m, b, x - h, y - h)) / (4 * h * h);
    CHECK_ABS(g->E11, -fxx / 2, 1e-4 * escale);
    CHECK_ABS(g->E12, -fxy, 1e-4 * escale);
    CHECK_ABS(g->E22, -fyy / 2, 1e-4 * escale);
    /* covariance = (D M)^{-1}, M = [[2 E11, E12], [E12, 2 E22]] */
    double D = (double)g->dim;
    double M[4] = {2 * g->E11, g->E12, g->E12, 2 * g->E22};
    double C[4] = {g->cov_xx, g->cov_xy, g->cov_xy, g->cov_yy};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double v = D * (C[2 * i] * M[j] + C[2 * i + 1] * M[2 + j]);
            CHECK_ABS(v, i == j ? 1.0 : 0.0, 1e-10);
        }
    assert_true(g->cov_xx > 0 && g->cov_yy > 0 &&
                g->cov_xy * g->cov_xy < g->cov_xx * g->cov_yy);
    /* diffusion D Dif (header) and A = D Dif M */
    double sp = sqrt(1 - (x + y) * (x + y)), sm = sqrt(1 - (x - y) * (x - y));
    double B = g->transmission;
    CHECK_REL(g->diffusion[0], B * (sp + sm), 1e-10);
    CHECK_REL(g->diffusion[3], B * (sp + sm), 1e-10);
    CHECK_NEAR(g->diffusion[1], B * (sp - sm), 1e-12, 1e-10);
    CHECK_NEAR(g->diffusion[2], B * (sp - sm), 1e-12, 1e-10);
    double scale = 0;
    for (int i = 0; i < 4; i++)
        scale = fmax(scale, fabs(g->drift[i]));
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double a = g->diffusion[2 * i] * M[j] + g->diffusion[2 * i + 1] * M[2 + j];
            CHECK_ABS(g->drift[2 * i + j], a, 1e-10 * scale);
        }
    /* eigenpairs of A, ascending, positive, unit modes */
    assert_true(g->lambda[0] > 0 && g->lambda[0] <= g->lambda[1]);
    CHECK_REL(g->lambda[0] + g->lambda[1], g->drift[0] + g->drift[3], 1e-12);
    CHECK_REL(g->lambda[0] * g->lambda[1],
              g->drift[0] * g->drift[3] - g->drift[1] * g->drift[2], 1e-10);
    for (int k = 0; k < 2; k++) {
        double v0 = g->mode[k], v1 = g->mode[2 + k];
        CHECK_ABS(hypot(v0, v1), 1.0, 1e-14);
        CHECK_ABS(g->drift[0] * v0 + g->drift[1] * v1, g->lambda[k] * v0, 1e-10 * scale);
        CHECK_ABS(g->drift[2] * v0 + g->drift[3] * v1, g->lambda[k] * v1, 1e-10 * scale);
    }
}

static void test_E_and_covariance(void **state)
{
    (void)state;
    hl_model *m, *u;
    CHECK_OK(hl_model_create(NULL, &m));
    CHECK_OK(hl_model_create(USER_PHI, &u));
    const double betas[] = {0.25, 0.5, 0.773, 1.2};
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sizeof betas / sizeof betas[0]; i++) {
            hl_gaussian g[8];
            size_t n;
            CHECK_OK(hl_gaussian_maxima(pass ? u : m, 400, betas[i], g, 8, &n));
            assert_true(n >= 1 && n <= 8);
            for (size_t k = 0; k < n; k++) {
                assert_int_equal(g[k].dim, 400);
                CHECK_ABS(g[k].beta, betas[i], 0);
                check_one_gaussian(pass ? u : m, &g[k]);
                if (k)
                    assert_true(g[k].x > g[k - 1].x);
            }
        }
    hl_model_free(m);
    hl_model_free(u);
}

/* only the covariance depends on D, as 1/D */
static void test_covariance_scales_with_D(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(USER_PHI, &m));
    hl_gaussian a, b;
    CHECK_OK(hl_gaussian_branch(m, 100, 1.2, "liquid", &a));
    CHECK_OK(hl_gaussian_branch(m, 100000, 1.2, "liquid", &b));
    CHECK_REL(100 * a.cov_xx, 100000 * b.cov_xx, 1e-14);
    CHECK_REL(100 * a.cov_xy, 100000 * b.cov_xy, 1e-14);
    CHECK_REL(100 * a.cov_yy, 100000 * b.cov_yy, 1e-14);
    assert_memory_equal(a.lambda, b.lambda, sizeof a.lambda);
    assert_memory_equal(a.drift, b.drift, sizeof a.drift);
    CHECK_ABS(a.E11, b.E11, 0);
    CHECK_ABS(a.E12, b.E12, 0);
    CHECK_ABS(a.E22, b.E22, 0);
    hl_model_free(m);
}

/* ------------------------------------------- against the exact finite-D sums */

typedef struct {
    const char *basin;
    double xm, ym;      /* the maximum: moments about it (less cancellation) */
    double lmax;        /* pass 0: the largest ln Q in the basin */
    int pass;
    double s0, sx, sy, sxx, sxy, syy;
} basin_moments;

static int visit_moments(void *vctx, long n, long n1, double x, double y, double ln_q,
                         const char *basin)
{
    (void)n;
    (void)n1;
    basin_moments *c = vctx;
    if (strcmp(basin, c->basin) != 0)
        return 0;
    if (c->pass == 0) {
        c->lmax = fmax(c->lmax, ln_q);
        return 0;
    }
    double w = exp(ln_q - c->lmax), dx = x - c->xm, dy = y - c->ym;
    c->s0 += w;
    c->sx += w * dx;
    c->sy += w * dy;
    c->sxx += w * dx * dx;
    c->sxy += w * dx * dy;
    c->syy += w * dy * dy;
    return 0;
}

/* The exact covariance of (x, y) within the basin of g (normalised in the
 * basin); 0 if the basin holds no class above the exact sums' cut-off. */
static int exact_basin_cov(const hl_model *m, const hl_gaussian *g, double cov[3])
{
    hl_exact *ex;
    CHECK_OK(hl_exact_create(m, g->dim, HL_EXACT_AUTO, &ex));
    basin_moments c = {g->name, g->x, g->y, -INFINITY, 0, 0, 0, 0, 0, 0, 0};
    CHECK_OK(hl_exact_distribution(ex, g->beta, visit_moments, &c));
    c.pass = 1;
    if (c.lmax > -INFINITY)
        CHECK_OK(hl_exact_distribution(ex, g->beta, visit_moments, &c));
    hl_exact_free(ex);
    if (!(c.s0 > 0))
        return 0;
    double mx = c.sx / c.s0, my = c.sy / c.s0;
    cov[0] = c.sxx / c.s0 - mx * mx;
    cov[1] = c.sxy / c.s0 - mx * my;
    cov[2] = c.syy / c.s0 - my * my;
    return 1;
}

/* rel[0..2]: |Gaussian - exact| of cov_xx, cov_yy (relative) and cov_xy
 * (relative to sqrt(cov_xx cov_yy)); the maximum must exist */
static void rel_diffs(const hl_model *m, long D, double beta, const char *branch,
                      double rel[3], double *exact_xx)
{
    hl_gaussian g;
    CHECK_OK(hl_gaussian_branch(m, D, beta, branch, &g));
    double c[3] = {0, 0, 0};
    assert_true(exact_basin_cov(m, &g, c));
    rel[0] = fabs(g.cov_xx - c[0]) / c[0];
    rel[1] = fabs(g.cov_yy - c[2]) / c[2];
    rel[2] = fabs(g.cov_xy - c[1]) / sqrt(c[0] * c[2]);
    *exact_xx = c[0];
}

/* D = 100, 200, ... (nd of them): each relative difference decreases, and
 * like 1/D: successive ratios in [1.6, 2.4] (the first, 100 -> 200, may
 * still carry an O(1/D^2) term: [1.6, 2.6]). */
static void convergence(const hl_model *m, const char *label, double beta, const char *branch,
                        int nd)
{
    double prev[3] = {0, 0, 0};
    print_message("  %s, beta = %g, %s:\n", label, beta, branch);
    print_message("  %6s %14s %12s %12s %12s %9s %9s %9s\n", "D", "exact cov_xx", "rel_xx",
                  "rel_yy", "rel_xy", "D*rel_xx", "D*rel_yy", "D*rel_xy");
    for (int i = 0; i < nd; i++) {
        long D = 100L << i;
        double rel[3], cxx;
        rel_diffs(m, D, beta, branch, rel, &cxx);
        print_message("  %6ld %14.8g %12.4e %12.4e %12.4e %9.4f %9.4f %9.4f\n", D, cxx, rel[0],
                      rel[1], rel[2], D * rel[0], D * rel[1], D * rel[2]);
        for (int q = 0; q < 3; q++) {
            assert_true(rel[q] < 0.2);
            if (i == 0)
                continue;
            double ratio = prev[q] / rel[q];
            if (!(ratio >= 1.6 && ratio <= (i == 1 ? 2.6 : 2.4))) {
                print_error("%s beta %g %s: rel diff %d ratio %.4f at D = %ld\n", label, beta,
                            branch, q, ratio, D);
                fail();
            }
        }
        memcpy(prev, rel, sizeof prev);
    }
}

static void test_exact_convergence_default(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_gaussian g[4];
    size_t n;
    CHECK_OK(hl_gaussian_maxima(m, 100, 0.5, g, 4, &n));
    assert_int_equal(n, 2);
    assert_string_equal(g[0].name, "crystal");
    assert_string_equal(g[1].name, "liquid");
    CHECK_OK(hl_gaussian_maxima(m, 100, 0.25, g, 4, &n));
    assert_int_equal(n, 1);
    assert_string_equal(g[0].name, "liquid");
    convergence(m, "paper's phi", 0.5, "liquid", 5);
    convergence(m, "paper's phi", 0.5, "crystal", 5);
    convergence(m, "paper's phi", 1.2, "liquid", 5);
    convergence(m, "paper's phi", 1.2, "crystal", 5);
    convergence(m, "paper's phi", 0.25, "liquid", 5);
    hl_model_free(m);
}

/* A non-separable phi (s and d coupled): the general exact path. */
static void test_exact_convergence_user_phi(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(USER_PHI, &m));
    hl_gaussian g[4];
    size_t n;
    CHECK_OK(hl_gaussian_maxima(m, 100, 0.5, g, 4, &n));
    assert_int_equal(n, 1);
    assert_string_equal(g[0].name, "liquid");
    assert_true(g[0].x > 0.6);
    CHECK_OK(hl_gaussian_maxima(m, 100, 1.2, g, 4, &n));
    assert_int_equal(n, 2);
    assert_string_equal(g[0].name, "crystal");
    assert_string_equal(g[1].name, "liquid");
    assert_true(fabs(g[0].E12) > 1 && fabs(g[0].E11 - g[0].E22) > 1); /* coupled */
    convergence(m, USER_PHI, 0.5, "liquid", 5);
    convergence(m, USER_PHI, 1.2, "liquid", 5);
    /* the metastable crystal's basin falls below the exact sums' 1e-300
     * cut-off beyond D ~ 600 */
    convergence(m, USER_PHI, 1.2, "crystal", 3);
    hl_model_free(m);
}

/* phi = 0: independent spins, everything in closed form */
static void test_phi_zero(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create("0", &m));
    const double betas[] = {0.1, 1.0, 7.0};
    for (size_t i = 0; i < 3; i++) {
        hl_gaussian g;
        CHECK_OK(hl_gaussian_at(m, 1000, betas[i], 2e-4, -3e-4, &g));
        CHECK_ABS(g.x, 0, 1e-14);
        CHECK_ABS(g.y, 0, 1e-14);
        CHECK_REL(g.E11, 0.5, 1e-14);
        CHECK_ABS(g.E12, 0, 1e-14);
        CHECK_REL(g.E22, 0.5, 1e-14);
        CHECK_REL(g.cov_xx, 1e-3, 1e-14);
        CHECK_ABS(g.cov_xy, 0, 1e-18);
        CHECK_REL(g.cov_yy, 1e-3, 1e-14);
        CHECK_REL(g.lambda[0], 2.0, 1e-14);
        CHECK_REL(g.lambda[1], 2.0, 1e-14);
        double r[10], want[10] = {0, 2, 2, 4, 4, 4, 6, 6, 6, 6};
        hl_ou_rates(&g, 10, r);
        for (int k = 0; k < 10; k++)
            CHECK_ABS(r[k], want[k], 1e-13);
    }
    /* the exact sums agree: x is a binomial mean, Var x = 1/D exactly */
    hl_exact *ex;
    hl_exact_result res;
    CHECK_OK(hl_exact_create(m, 1000, HL_EXACT_AUTO, &ex));
    CHECK_OK(hl_exact_compute(ex, 1.0, &res));
    CHECK_REL(res.cov_xx, 1e-3, 1e-10);
    CHECK_REL(res.cov_yy, 1e-3, 1e-10);
    hl_exact_free(ex);
    hl_model_free(m);
}

/* phi = s + g(d) with B = 1: the s mode is the a-chain of independent spins
 * in a field, relaxing at exactly 2 cosh(2 beta) (NOTES.md) */
static void test_s_mode_rate(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    const double betas[] = {0.1, 0.3, 0.5, 0.773, 1.2, 2.0, 5.0, 20.0};
    for (size_t i = 0; i < sizeof betas / sizeof betas[0]; i++) {
        hl_gaussian g[4];
        size_t n;
        CHECK_OK(hl_gaussian_maxima(m, 200, betas[i], g, 4, &n));
        for (size_t k = 0; k < n; k++) {
            double want = 2 * cosh(2 * betas[i]);
            int q = fabs(g[k].lambda[0] - want) <= fabs(g[k].lambda[1] - want) ? 0 : 1;
            CHECK_REL(g[k].lambda[q], want, 1e-12);
            /* its mode is the s direction (1, 1)/sqrt 2 */
            CHECK_ABS(g[k].mode[q], sqrt(0.5), 1e-12);
            CHECK_ABS(g[k].mode[2 + q], sqrt(0.5), 1e-12);
            /* and the s variance is the binomial one, 2 (1 - s^2)/D with
             * s = -tanh(2 beta) */
            double var_s = g[k].cov_xx + 2 * g[k].cov_xy + g[k].cov_yy;
            double ch = cosh(2 * betas[i]);
            CHECK_NEAR(var_s, 2 / (ch * ch) / 200, 1e-14 * (g[k].cov_xx + g[k].cov_yy),
                       1e-12);
        }
    }
    hl_model_free(m);
}

/* A transmission B(x, y) scales the rates by B at the maximum; the
 * equilibrium is unchanged */
static void test_transmission(void **state)
{
    (void)state;
    const char *phis[] = {NULL, USER_PHI};
    for (int p = 0; p < 2; p++) {
        hl_model *m;
        CHECK_OK(hl_model_create(phis[p], &m));
        hl_gaussian a[4], b[4];
        size_t na, nb;
        CHECK_OK(hl_gaussian_maxima(m, 300, 1.2, a, 4, &na));
        CHECK_OK(hl_model_set_transmission(m, "1+0.5*x^2+y^2"));
        CHECK_OK(hl_gaussian_maxima(m, 300, 1.2, b, 4, &nb));
        assert_int_equal(na, nb);
        for (size_t k = 0; k < na; k++) {
            double B = 1 + 0.5 * a[k].x * a[k].x + a[k].y * a[k].y;
            CHECK_REL(b[k].transmission, B, 1e-14);
            CHECK_ABS(a[k].transmission, 1, 0);
            CHECK_REL(b[k].lambda[0], B * a[k].lambda[0], 1e-13);
            CHECK_REL(b[k].lambda[1], B * a[k].lambda[1], 1e-13);
            CHECK_REL(b[k].cov_xx, a[k].cov_xx, 0);
            CHECK_REL(b[k].cov_xy, a[k].cov_xy, 0);
            CHECK_REL(b[k].diffusion[0], B * a[k].diffusion[0], 1e-14);
            check_one_gaussian(m, &b[k]);
        }
        hl_model_free(m);
    }
}

/* ------------------------------------------------------------------ OU */

static void test_ou_rates(void **state)
{
    (void)state;
    hl_gaussian g;
    memset(&g, 0, sizeof g);
    const double pairs[][2] = {{3.08616, 7.96913}, {1.0, 1.0}, {1.0, 2.0}, {2.9, 3.1},
                               {0.001, 50}};
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
        g.lambda[0] = pairs[p][0];
        g.lambda[1] = pairs[p][1];
        /* brute force: all n1, n2 < 60, sorted */
        double all[3600];
        int na = 0;
        for (int i = 0; i < 60; i++)
            for (int j = 0; j < 60; j++)
                all[na++] = i * g.lambda[0] + j * g.lambda[1];
        for (int i = 1; i < na; i++)
            for (int j = i; j > 0 && all[j - 1] > all[j]; j--) {
                double t = all[j];
                all[j] = all[j - 1];
                all[j - 1] = t;
            }
        for (int k = 1; k <= 50; k += 7) {
            double r[50];
            hl_ou_rates(&g, k, r);
            for (int i = 0; i < k; i++)
                CHECK_NEAR(r[i], all[i], 1e-12, 1e-14);
        }
    }
    hl_ou_rates(&g, 0, NULL); /* harmless */
}

static void test_ou_mean(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(USER_PHI, &m));
    CHECK_OK(hl_model_set_transmission(m, "1+0.5*x^2+y^2"));
    hl_gaussian g;
    CHECK_OK(hl_gaussian_branch(m, 500, 1.2, "crystal", &g));
    const double d0[2] = {0.013, -0.004};
    double d[2], e[2], f[2];
    hl_ou_mean(&g, 0, d0, d);
    CHECK_ABS(d[0], d0[0], 0);
    CHECK_ABS(d[1], d0[1], 0);
    /* along an eigenvector: pure exponential */
    for (int k = 0; k < 2; k++) {
        double v[2] = {0.01 * g.mode[k], 0.01 * g.mode[2 + k]};
        for (double t = 0.01; t < 10; t *= 3) {
            hl_ou_mean(&g, t, v, d);
            CHECK_NEAR(d[0], exp(-g.lambda[k] * t) * v[0], 1e-18, 1e-11);
            CHECK_NEAR(d[1], exp(-g.lambda[k] * t) * v[1], 1e-18, 1e-11);
        }
    }
    /* d/dt <delta> = -A <delta>: central difference, and the semigroup law */
    double t = 0.07, h = 1e-5, dp[2], dm[2];
    hl_ou_mean(&g, t, d0, d);
    hl_ou_mean(&g, t + h, d0, dp);
    hl_ou_mean(&g, t - h, d0, dm);
    for (int i = 0; i < 2; i++) {
        double deriv = (dp[i] - dm[i]) / (2 * h);
        double want = -(g.drift[2 * i] * d[0] + g.drift[2 * i + 1] * d[1]);
        CHECK_NEAR(deriv, want, 1e-9, 1e-6);
    }
    hl_ou_mean(&g, 0.03, d0, e);
    hl_ou_mean(&g, 0.04, e, f);
    CHECK_NEAR(f[0], d[0], 1e-17, 1e-12);
    CHECK_NEAR(f[1], d[1], 1e-17, 1e-12);
    /* long times: decays to exactly 0, no overflow or NaN */
    const double ts[] = {1e3, 1e6, 1e300, INFINITY};
    for (int i = 0; i < 4; i++) {
        hl_ou_mean(&g, ts[i], d0, d);
        assert_true(d[0] == 0 && d[1] == 0);
    }
    /* slow tail: the lambda[0] mode dominates */
    hl_ou_mean(&g, 5.0 / g.lambda[0], d0, d);
    assert_true(isfinite(d[0]) && isfinite(d[1]));
    CHECK_ABS(d[0] * g.mode[2] - d[1] * g.mode[0], 0,
              1e-3 * hypot(d[0], d[1]) + 1e-300);
    hl_model_free(m);
}

/* The OU rates are the large-D limit of the master equation's spectrum
 * (eq 5.6) when f has one maximum (no saddle): error ~ 1/D. */
static void test_ou_vs_master_spectrum(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    const double beta = 0.25;
    hl_gaussian g;
    CHECK_OK(hl_gaussian_branch(m, 1000, beta, "liquid", &g));
    double ou[8], prev = 0;
    hl_ou_rates(&g, 8, ou);
    for (long D = 1000; D <= 16000; D *= 4) {
        double r[8], lr[8];
        hl_spectrum_info info;
        CHECK_OK(hl_spectrum(m, D, beta, HL_CONTRACTED, 8, r, lr, NULL, &info));
        double err = 0;
        for (int k = 1; k < 8; k++)
            err = fmax(err, fabs(r[k] - ou[k]) / ou[k]);
        print_message("  master spectrum vs OU rates, beta %g, D = %ld: max rel diff %.4e "
                      "(D * diff %.3f)\n", beta, D, err, D * err);
        CHECK_ABS(r[0], 0, 1e-10);
        assert_true(err < 60.0 / D);
        if (prev > 0)
            assert_true(prev / err > 3.0 && prev / err < 5.0);
        prev = err;
    }
    hl_model_free(m);
}

/* ---------------------------------------------------------------- lookup */

static void test_at_and_branch(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_gaussian all[4], g;
    size_t n;
    CHECK_OK(hl_gaussian_maxima(m, 400, 0.5, all, 4, &n));
    assert_int_equal(n, 2);
    for (size_t k = 0; k < n; k++) {
        CHECK_OK(hl_gaussian_at(m, 400, 0.5, all[k].x + 6e-4, all[k].y - 5e-4, &g));
        assert_string_equal(g.name, all[k].name);
        assert_memory_equal(&g, &all[k], sizeof g);
        CHECK_OK(hl_gaussian_branch(m, 400, 0.5, all[k].name, &g));
        assert_memory_equal(&g, &all[k], sizeof g);
    }
    /* cap smaller than the count */
    size_t n1 = 0;
    CHECK_OK(hl_gaussian_maxima(m, 400, 0.5, all, 1, &n1));
    assert_int_equal(n1, 2);
    assert_string_equal(all[0].name, "crystal");
    CHECK_OK(hl_gaussian_maxima(m, 400, 0.5, NULL, 0, &n1));
    assert_int_equal(n1, 2);
    hl_model_free(m);
}

static void expect_status(int st, int want, const char *needle)
{
    if (st != want) {
        print_error("status %d, expected %d (%s)\n", st, want, hl_errmsg());
        fail();
    }
    if (needle && !strstr(hl_errmsg(), needle)) {
        print_error("message '%s' does not mention '%s'\n", hl_errmsg(), needle);
        fail();
    }
}

static void test_errors(void **state)
{
    (void)state;
    hl_model *m, *mn;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_gaussian g;
    size_t n;
    /* the saddle between the two maxima at beta 0.5 */
    hl_stationary mx[4], sd;
    CHECK_OK(hl_maxima_at(m, 0.5, mx, 4, &n));
    assert_int_equal(n, 2);
    CHECK_OK(hl_saddle_between(m, 0.5, &mx[0], &mx[1], &sd));
    expect_status(hl_gaussian_at(m, 100, 0.5, sd.x, sd.y, &g), HL_EDOM, "saddle");
    expect_status(hl_gaussian_at(m, 100, 0.5, sd.x + 4e-4, sd.y, &g), HL_EDOM, "saddle");
    assert_non_null(strstr(hl_errmsg(), "not a maximum"));
    /* nowhere near a stationary point */
    expect_status(hl_gaussian_at(m, 100, 0.5, 0.3, 0.3, &g), HL_EDOM, "no stationary point");
    /* near, but not within 1e-3 of, a maximum */
    expect_status(hl_gaussian_at(m, 100, 0.5, mx[1].x + 0.02, mx[1].y, &g), HL_EDOM,
                  "not a maximum");
    /* a minimum of f: phi concave enough */
    CHECK_OK(hl_model_create("-3*(x^2+y^2)", &mn));
    expect_status(hl_gaussian_at(mn, 100, 1.0, 0, 0, &g), HL_EDOM, "minimum");
    hl_model_free(mn);
    /* outside the square */
    expect_status(hl_gaussian_at(m, 100, 0.5, 0.8, 0.8, &g), HL_EDOM, "outside");
    expect_status(hl_gaussian_at(m, 100, 0.5, NAN, 0, &g), HL_EDOM, NULL);
    /* bad D and beta */
    const long dims[] = {11, 0, -4, 2000002};
    for (int i = 0; i < 4; i++) {
        expect_status(hl_gaussian_at(m, dims[i], 0.5, mx[1].x, mx[1].y, &g), HL_EDOM, "D =");
        expect_status(hl_gaussian_maxima(m, dims[i], 0.5, &g, 1, &n), HL_EDOM, "D =");
        expect_status(hl_gaussian_branch(m, dims[i], 0.5, "liquid", &g), HL_EDOM, "D =");
    }
    const double betas[] = {NAN, -1, 0, INFINITY, 2e6};
    for (int i = 0; i < 5; i++) {
        expect_status(hl_gaussian_at(m, 100, betas[i], mx[1].x, mx[1].y, &g), HL_EDOM, "beta");
        expect_status(hl_gaussian_maxima(m, 100, betas[i], &g, 1, &n), HL_EDOM, "beta");
        expect_status(hl_gaussian_branch(m, 100, betas[i], "liquid", &g), HL_EDOM, "beta");
    }
    /* unknown branch; the crystal where only the liquid exists */
    expect_status(hl_gaussian_branch(m, 100, 0.5, "vapour", &g), HL_ENOTFOUND, "vapour");
    expect_status(hl_gaussian_branch(m, 100, 0.2, "crystal", &g), HL_ENOTFOUND, "liquid");
    /* NULL arguments */
    expect_status(hl_gaussian_at(NULL, 100, 0.5, 0, 0, &g), HL_EINVAL, NULL);
    expect_status(hl_gaussian_at(m, 100, 0.5, 0, 0, NULL), HL_EINVAL, NULL);
    expect_status(hl_gaussian_branch(m, 100, 0.5, NULL, &g), HL_EINVAL, NULL);
    expect_status(hl_gaussian_maxima(m, 100, 0.5, NULL, 2, &n), HL_EINVAL, NULL);
    expect_status(hl_gaussian_maxima(m, 100, 0.5, &g, 1, NULL), HL_EINVAL, NULL);
    hl_model_free(m);
}

/* Maxima next to the edges keep their accuracy; far beyond, no NaN in the
 * slow quantities */
static void test_extreme_beta(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_gaussian g[4];
    size_t n;
    CHECK_OK(hl_gaussian_maxima(m, 1000, 40.0, g, 4, &n));
    assert_int_equal(n, 2);
    for (size_t k = 0; k < n; k++) {
        assert_true(isfinite(g[k].E11) && isfinite(g[k].lambda[1]));
        assert_true(g[k].cov_xx > 0 && g[k].cov_yy > 0);
        int q = fabs(g[k].lambda[0] / (2 * cosh(80.0)) - 1) < 1e-12 ? 0 : 1;
        CHECK_REL(g[k].lambda[q], 2 * cosh(80.0), 1e-12);
    }
    CHECK_OK(hl_gaussian_maxima(m, 1000, 500.0, g, 4, &n));
    for (size_t k = 0; k < n; k++) {
        assert_true(g[k].cov_xx >= 0 && g[k].cov_yy >= 0);
        assert_false(isnan(g[k].lambda[0]) || isnan(g[k].lambda[1]));
    }
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_E_and_covariance),
        cmocka_unit_test(test_covariance_scales_with_D),
        cmocka_unit_test(test_exact_convergence_default),
        cmocka_unit_test(test_exact_convergence_user_phi),
        cmocka_unit_test(test_phi_zero),
        cmocka_unit_test(test_s_mode_rate),
        cmocka_unit_test(test_transmission),
        cmocka_unit_test(test_ou_rates),
        cmocka_unit_test(test_ou_mean),
        cmocka_unit_test(test_ou_vs_master_spectrum),
        cmocka_unit_test(test_at_and_branch),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_extreme_beta),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
