/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks_fp_opt.c -- the options of the Fokker-Planck equation in k
 * block magnetisations (hl_fp_blocks_chain_opt: linear form, window, basin,
 * core) and the in-basin master equation of k blocks
 * (hl_blocks_basin_chain), issue 12:
 *   - two equal blocks: the rates of the 2-D equation (hl_fp_create with the
 *     same options) and of hl_basin_spectrum, to 1e-12 relative;
 *   - a separable phi: the rates (full and linear form, windowed, core) are
 *     the sums of the one-block rates;
 *   - the linear form against the exact Ornstein-Uhlenbeck rates (sums of
 *     n_i lambda_i of hl_blocks_ou) after Richardson extrapolation;
 *   - k = 3: the in-basin master rates and the Fokker-Planck rates on the
 *     same core converge as D grows, with a fitted exponent near -1;
 *   - errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/blocks_kinetics.h"
#include "hyperland/blocks_phases.h"
#include "test_util.h"

static hl_blocks *mk(int k, const long *sizes, const char *phi)
{
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(k, sizes, phi, &b));
    return b;
}

static void chain_rates(hl_chain *c, double beta, int n, double *r)
{
    hl_chain_plan *p = NULL;
    CHECK_OK(hl_chain_plan_create(c, beta, &p));
    CHECK_OK(hl_chain_spectrum(p, n, r, NULL));
    hl_chain_plan_free(p);
}

static void opt_rates(const hl_blocks *b, double beta, const hl_fp_blocks_options *o, int n,
                      double *r, hl_fp_blocks_info *fi)
{
    hl_chain *c = NULL;
    CHECK_OK(hl_fp_blocks_chain_opt(b, beta, o, &c, NULL, fi));
    chain_rates(c, beta, n, r);
    hl_chain_free(c);
}

/* two equal blocks against the 2-D equation with the same options */
static void test_pair_is_2d(void **state)
{
    (void)state;
    struct {
        long D, grid;
        double beta, window;
        int form, in_basin, use_point;
        const char *branch;
        double at[2]; /* (x, y) of the 2-D point; m = (x + y, x - y) */
    } cs[] = {
        {60, 48, 0.5, 8, HL_FP_FULL, 0, 0, "liquid", {0, 0}},
        {60, 48, 0.5, 8, HL_FP_LINEAR, 0, 0, "crystal", {0, 0}},
        {60, 48, 0.5, 8, HL_FP_FULL, HL_FP_CORE, 0, "crystal", {0, 0}},
        {60, 48, 0.5, 8, HL_FP_FULL, HL_FP_CORE, 0, "liquid", {0, 0}},
        {40, 40, 0.5, 0, HL_FP_FULL, HL_FP_BASIN, 0, "liquid", {0, 0}},
        {40, 40, 0.5, 0, HL_FP_LINEAR, 0, 1, NULL, {0.05, -0.1}},
        {80, 40, 0.5, 5, HL_FP_FULL, HL_FP_BASIN, 1, NULL, {0.3, 0.3}},
    };
    for (size_t q = 0; q < sizeof cs / sizeof cs[0]; q++) {
        hl_model *m = NULL;
        CHECK_OK(hl_model_create(NULL, &m));
        hl_fp_options o;
        hl_fp_options_default(&o);
        o.grid = cs[q].grid;
        o.form = cs[q].form;
        o.window = cs[q].window;
        o.in_basin = cs[q].in_basin;
        o.branch = cs[q].branch;
        hl_fp_blocks_options ob;
        hl_fp_blocks_options_default(&ob);
        ob.grid = cs[q].grid;
        ob.form = cs[q].form;
        ob.window = cs[q].window;
        ob.in_basin = cs[q].in_basin;
        ob.branch = cs[q].branch;
        if (cs[q].use_point) {
            /* 2-D: the maximum at a point (Newton from it); blocks: the one
             * nearest the point -- the same maximum here */
            hl_gaussian g[4];
            size_t ng = 0;
            CHECK_OK(hl_gaussian_maxima(m, cs[q].D, cs[q].beta, g, 4, &ng));
            double best = INFINITY;
            int who = 0;
            for (size_t j = 0; j < ng; j++) {
                double d = hypot(g[j].x - cs[q].at[0], g[j].y - cs[q].at[1]);
                if (d < best) {
                    best = d;
                    who = (int)j;
                }
            }
            o.use_point = 1;
            o.at_x = g[who].x;
            o.at_y = g[who].y;
            ob.use_point = 1;
            ob.at[0] = cs[q].at[0] + cs[q].at[1];
            ob.at[1] = cs[q].at[0] - cs[q].at[1];
        }
        hl_fp *fp = NULL;
        CHECK_OK(hl_fp_create(m, cs[q].D, cs[q].beta, &o, &fp));
        double r2[6], rk[6];
        CHECK_OK(hl_fp_spectrum(fp, 6, r2, NULL));
        long n2 = 0, act = 0;
        double s_lo, s_hi, d_lo, d_hi;
        hl_fp_grid(fp, &n2, &s_lo, &s_hi, &d_lo, &d_hi, &act);
        long sz[2] = {cs[q].D / 2, cs[q].D / 2};
        hl_blocks *b = mk(2, sz, NULL);
        hl_fp_blocks_info fi;
        opt_rates(b, cs[q].beta, &ob, 6, rk, &fi);
        print_message("case %zu: %ld active cells (2-D %ld), rates %.12g %.12g (2-D %.12g %.12g)\n",
                      q, fi.active, act, rk[1], rk[2], r2[1], r2[2]);
        assert_int_equal(fi.active, act);
        CHECK_REL(fi.lo[0], s_lo, 1e-14);
        CHECK_REL(fi.hi[0], s_hi, 1e-14);
        CHECK_REL(fi.lo[1], d_lo, 1e-14);
        CHECK_REL(fi.hi[1], d_hi, 1e-14);
        for (int j = 1; j < 6; j++)
            CHECK_REL(rk[j], r2[j], 1e-12);
        hl_blocks_free(b);
        hl_fp_free(fp);
        hl_model_free(m);
    }
}

/* the in-basin master equation of two equal blocks: hl_basin_spectrum */
static void test_pair_master(void **state)
{
    (void)state;
    const char *br[2] = {"liquid", "crystal"};
    long dims[2] = {40, 120};
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    for (int d = 0; d < 2; d++)
        for (int q = 0; q < 2; q++)
            for (int core = 0; core < 2; core++) {
                long D = dims[d], sz[2] = {D / 2, D / 2};
                double r2[5], rk[5];
                CHECK_OK(hl_basin_spectrum(m, D, 0.5, br[q], core, 5, r2, NULL));
                hl_blocks *b = mk(2, sz, NULL);
                hl_chain *c = NULL;
                CHECK_OK(hl_blocks_basin_chain(b, 0.5, br[q], core, &c, NULL));
                chain_rates(c, 0.5, 5, rk);
                for (int j = 1; j < 5; j++)
                    CHECK_REL(rk[j], r2[j], 1e-11);
                hl_chain_free(c);
                hl_blocks_free(b);
            }
    hl_model_free(m);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* phi = sum_i r_i g_i(m_i): the rates are sums of one-block rates (block i
 * alone: D_i, phi = g_i), for the windowed full form cut to the core and
 * the linear form */
static void test_separable(void **state)
{
    (void)state;
    long sz[3] = {40, 30, 50}, D = 120;
    const char *g[3] = {"-0.6*m1^2+0.1*m1", "-0.3*(m2-0.2)^2", "-0.5*(m3+0.1)^2+0.2*m3^3"};
    char f[512] = "";
    for (int i = 0; i < 3; i++)
        snprintf(f + strlen(f), sizeof f - strlen(f), "%s%.17g*(%s)", i ? "+" : "",
                 (double)sz[i] / (double)D, g[i]);
    hl_blocks *b = mk(3, sz, f);
    double beta = 1.2;
    hl_bstat mx[8];
    size_t nm = 0;
    CHECK_OK(hl_blocks_maxima_at(b, beta, mx, 8, &nm, NULL));
    assert_true(nm >= 1);
    for (int form = 0; form < 2; form++) {
        hl_fp_blocks_options o;
        hl_fp_blocks_options_default(&o);
        o.grid = 20;
        o.form = form ? HL_FP_LINEAR : HL_FP_FULL;
        o.window = 7;
        o.in_basin = form ? 0 : HL_FP_CORE;
        o.use_point = 1;
        for (int a = 0; a < 3; a++)
            o.at[a] = mx[0].m[a];
        const int n = 8, n1 = 8;
        double r[8], r1[3][8];
        opt_rates(b, beta, &o, n, r, NULL);
        for (int i = 0; i < 3; i++) {
            char gi[256];
            snprintf(gi, sizeof gi, "%s", g[i]);
            for (char *p = gi; *p; p++)
                if (*p == 'm' && p[1] >= '1' && p[1] <= '3')
                    p[1] = '1';
            hl_blocks *b1 = mk(1, &sz[i], gi);
            hl_fp_blocks_options o1 = o;
            o1.at[0] = mx[0].m[i];
            o1.grid = 20;
            opt_rates(b1, beta, &o1, n1, r1[i], NULL);
            hl_blocks_free(b1);
        }
        double sums[512];
        int ns = 0;
        for (int a = 0; a < n1; a++)
            for (int c = 0; c < n1; c++)
                for (int e = 0; e < n1; e++)
                    sums[ns++] = r1[0][a] + r1[1][c] + r1[2][e];
        qsort(sums, (size_t)ns, sizeof(double), cmp_d);
        for (int j = 1; j < n; j++)
            CHECK_REL(r[j], sums[j], 1e-10);
    }
    hl_blocks_free(b);
}

/* the linear form: an OU process; grids N and N/2 extrapolated (O(h^4))
 * against the exact rates n . lambda of hl_blocks_ou */
static void test_linear_ou(void **state)
{
    (void)state;
    struct {
        int k;
        long sz[3], grid;
        double beta, tol;
        const char *phi;
    } cs[] = {
        {2, {40, 60}, 160, 0.6, 2e-5, "0.5*m1^2+0.4*m2^2+0.3*m1*m2+0.1*m1"},
        {3, {30, 20, 40}, 48, 0.6, 2e-3, "0.5*(m1*m2+m2*m3+m1*m3)+0.05*m1+0.6*m3^2+0.5*m1^2+0.5*m2^2"},
    };
    for (size_t q = 0; q < sizeof cs / sizeof cs[0]; q++) {
        int k = cs[q].k;
        hl_blocks *b = mk(k, cs[q].sz, cs[q].phi);
        hl_bstat mx[8];
        size_t nm = 0;
        CHECK_OK(hl_blocks_maxima_at(b, cs[q].beta, mx, 8, &nm, NULL));
        assert_true(nm >= 1);
        double lam[3], ou[6], r[2][6];
        CHECK_OK(hl_blocks_ou(b, &mx[0], NULL, NULL, NULL, lam, NULL));
        hl_ou_rates_k(lam, k, 6, ou);
        for (int t = 0; t < 2; t++) {
            hl_fp_blocks_options o;
            hl_fp_blocks_options_default(&o);
            o.form = HL_FP_LINEAR;
            o.window = k == 3 ? 6 : 8;
            o.grid = t ? cs[q].grid / 2 : cs[q].grid;
            o.use_point = 1;
            for (int a = 0; a < k; a++)
                o.at[a] = mx[0].m[a];
            opt_rates(b, cs[q].beta, &o, 6, r[t], NULL);
        }
        for (int j = 1; j < 6; j++) {
            double rich = (4 * r[0][j] - r[1][j]) / 3;
            print_message("k = %d rate %d: grid %.10g, extrapolated %.10g, OU %.10g (rel %.2e, "
                          "%.2e)\n",
                          k, j, r[0][j], rich, ou[j], fabs(r[0][j] / ou[j] - 1),
                          fabs(rich / ou[j] - 1));
            CHECK_REL(rich, ou[j], cs[q].tol);
            /* the extrapolation gains: the error is O(h^2) before */
            assert_true(fabs(rich - ou[j]) < 0.25 * fabs(r[0][j] - ou[j]));
        }
        hl_blocks_free(b);
    }
}

/* k = 3: the in-basin master rates (the core of the basin) and the
 * Fokker-Planck rates (windowed, cut to the core, extrapolated) converge
 * as O(1/D) */
static void test_k3_convergence(void **state)
{
    (void)state;
    const char *phi = "0.5*(m1*m2+m2*m3+m1*m3)+0.3*(m1^2+m2^2+m3^2)+0.05*m1";
    double beta = 1.0;
    long dims[3] = {36, 72, 144};
    double err[3], lx[3], ly[3];
    for (int t = 0; t < 3; t++) {
        hl_blocks *b = NULL;
        CHECK_OK(hl_blocks_create_equal(3, dims[t], phi, &b));
        hl_bstat mx[8];
        size_t nm = 0;
        char names[8][16];
        CHECK_OK(hl_blocks_maxima_at(b, beta, mx, 8, &nm, NULL));
        CHECK_OK(hl_blocks_name_maxima(b, beta, mx, nm, names));
        hl_chain *c = NULL;
        double rm[4], rf[2][4];
        CHECK_OK(hl_blocks_basin_chain(b, beta, names[0], 1, &c, NULL));
        chain_rates(c, beta, 4, rm);
        hl_chain_free(c);
        for (int p = 0; p < 2; p++) {
            hl_fp_blocks_options o;
            hl_fp_blocks_options_default(&o);
            o.grid = p ? 20 : 40;
            o.window = 6;
            o.in_basin = HL_FP_CORE;
            o.branch = names[0];
            opt_rates(b, beta, &o, 4, rf[p], NULL);
        }
        err[t] = 0;
        for (int j = 1; j < 4; j++) {
            double rich = (4 * rf[0][j] - rf[1][j]) / 3;
            err[t] = fmax(err[t], fabs(rich - rm[j]) / rm[j]);
        }
        print_message("D = %ld (%s): master %.8g %.8g %.8g, rel. diff. FP %.3e\n", dims[t],
                      names[0], rm[1], rm[2], rm[3], err[t]);
        lx[t] = log((double)dims[t]);
        ly[t] = log(err[t]);
        hl_blocks_free(b);
    }
    double mx_ = (lx[0] + lx[1] + lx[2]) / 3, my = (ly[0] + ly[1] + ly[2]) / 3, sxy = 0, sxx = 0;
    for (int t = 0; t < 3; t++) {
        sxy += (lx[t] - mx_) * (ly[t] - my);
        sxx += (lx[t] - mx_) * (lx[t] - mx_);
    }
    double p = sxy / sxx;
    print_message("fitted exponent %.3f\n", p);
    assert_true(err[2] < err[1] && err[1] < err[0]);
    assert_true(p > -1.3 && p < -0.7);
}

static void test_errors(void **state)
{
    (void)state;
    long s2[2] = {20, 20};
    hl_blocks *b = mk(2, s2, NULL);
    hl_chain *c = NULL;
    hl_fp_blocks_options o;
    hl_fp_blocks_options_default(&o);
    o.grid = 20;
    o.form = HL_FP_LINEAR;
    assert_int_equal(hl_fp_blocks_chain_opt(b, 0.5, &o, &c, NULL, NULL), HL_EINVAL);
    o.branch = "nope";
    assert_int_equal(hl_fp_blocks_chain_opt(b, 0.5, &o, &c, NULL, NULL), HL_ENOTFOUND);
    assert_non_null(strstr(hl_errmsg(), "liquid"));
    o.branch = "liquid";
    o.form = 7;
    assert_int_equal(hl_fp_blocks_chain_opt(b, 0.5, &o, &c, NULL, NULL), HL_EINVAL);
    o.form = HL_FP_FULL;
    o.window = -1;
    assert_int_equal(hl_fp_blocks_chain_opt(b, 0.5, &o, &c, NULL, NULL), HL_EINVAL);
    o.window = 0;
    o.in_basin = 5;
    assert_int_equal(hl_fp_blocks_chain_opt(b, 0.5, &o, &c, NULL, NULL), HL_EINVAL);
    assert_null(c);
    assert_int_equal(hl_blocks_basin_chain(b, 0.5, "nope", 1, &c, NULL), HL_ENOTFOUND);
    assert_int_equal(hl_blocks_basin_chain(b, -1, "liquid", 1, &c, NULL), HL_EDOM);
    assert_null(c);
    /* the state map: kept cells in order, -1 elsewhere */
    o.in_basin = HL_FP_BASIN;
    long st[400], kept = 0;
    hl_fp_blocks_info fi;
    CHECK_OK(hl_fp_blocks_chain_opt(b, 0.5, &o, &c, st, &fi));
    hl_chain_info ci;
    hl_chain_get_info(c, &ci);
    for (long i = 0; i < 400; i++)
        if (st[i] >= 0)
            assert_int_equal(st[i], kept++);
    assert_int_equal(kept, fi.active);
    assert_int_equal(ci.states, kept);
    assert_true(kept < 400 && kept > 50);
    hl_chain_free(c);
    hl_blocks_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_is_2d),     cmocka_unit_test(test_pair_master),
        cmocka_unit_test(test_separable),      cmocka_unit_test(test_linear_ou),
        cmocka_unit_test(test_k3_convergence), cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
