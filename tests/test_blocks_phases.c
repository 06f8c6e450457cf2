/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks_phases.c -- the equilibrium of k blocks (blocks_phases.h,
 * issue 12): two equal blocks give the numbers of the two-order-parameter
 * analysis (thermodynamics.h, gaussian.h) for the default phi and a
 * non-separable one; a separable phi gives products of one-block maxima
 * (each checked by a dense scan of its own stationarity equation) and
 * sums of their f; k = 3 maxima against an independent dense search (grid
 * and a Newton written here); the Gaussian covariance against the exact
 * finite-D sums over the classes, with an error falling like 1/D. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "hyperland/blocks_phases.h"

static hl_blocks *mk_equal(int k, long dim, const char *phi)
{
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create_equal(k, dim, phi, &b));
    return b;
}

/* ------------------------------------------- (a) two equal blocks = 2-D */

static int find_branch2(const hl_phases *q, const char *name)
{
    for (int c = 0; c < hl_phases_branch_count(q); c++)
        if (!strcmp(hl_phases_branch_name(q, c), name))
            return c;
    return -1;
}

static void compare_pair(const char *phi, double bmin, double bmax, int np, int expect_melt)
{
    hl_blocks *b = mk_equal(2, 20, phi);
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(phi, &m));
    hl_bphases *p = NULL;
    hl_phases *q = NULL;
    CHECK_OK(hl_bphases_compute(b, bmin, bmax, np, &p));
    CHECK_OK(hl_phases_compute(m, bmin, bmax, np, &q));
    assert_int_equal(hl_bphases_branch_count(p), hl_phases_branch_count(q));
    assert_int_equal(hl_bphases_fold_count(p), hl_phases_fold_count(q));
    assert_int_equal(hl_bphases_melting_count(p), hl_phases_melting_count(q));
    assert_int_equal(hl_bphases_melting_count(p), expect_melt);
    hl_bsearch info;
    hl_bphases_search(p, &info);
    assert_true(info.complete);
    for (int br = 0; br < hl_bphases_branch_count(p); br++) {
        int c = find_branch2(q, hl_bphases_branch_name(p, br));
        assert_true(c >= 0);
        for (int i = 0; i < np; i++) {
            hl_bstat s;
            hl_stationary u;
            int e1 = hl_bphases_point(p, br, i, &s), e2 = hl_phases_point(q, c, i, &u);
            assert_int_equal(e1 == HL_OK, e2 == HL_OK);
            if (e1 != HL_OK)
                continue;
            /* f is stationary: 1e-12 relative; the position is today's
             * to its Newton tolerance (residual 1e-12 (1 + |t|)) -- the
             * blocks' grid points are settled to rounding
             * (hl_bl_settle), today's are not: w and phi to 1e-10 (e.g.
             * m2 = 0.98878931312144 at beta = 1.689 of the paper's phi,
             * today's 3e-13 off, w 2e-11 relative; mpmath) -- the heat
             * capacity (a derivative) to 1e-9 */
            CHECK_REL(s.f, u.f, 1e-12);
            CHECK_NEAR(s.w, u.w, 1e-13, 1e-10);
            CHECK_REL(s.phi, u.phi, 1e-10);
            CHECK_ABS(s.x, u.x, 1e-11);
            CHECK_ABS(s.y, u.y, 1e-11);
            CHECK_REL(s.heat_capacity, u.heat_capacity, 1e-9);
            assert_int_equal(s.stable, u.stable);
        }
    }
    for (int k = 0; k < hl_bphases_fold_count(p); k++) {
        hl_bfold f;
        hl_fold g;
        CHECK_OK(hl_bphases_fold(p, k, &f));
        CHECK_OK(hl_phases_fold(q, k, &g));
        assert_string_equal(hl_bphases_branch_name(p, f.branch), hl_phases_branch_name(q, g.branch));
        CHECK_REL(f.beta, g.beta, 1e-12);
        assert_int_equal(f.birth, g.birth);
    }
    for (int k = 0; k < hl_bphases_melting_count(p); k++) {
        hl_bmelting a;
        hl_melting c;
        CHECK_OK(hl_bphases_melting(p, k, &a));
        CHECK_OK(hl_phases_melting(q, k, &c));
        CHECK_REL(a.beta, c.beta, 1e-12);
        CHECK_REL(a.latent_heat, c.latent_heat, 1e-12);
        assert_true(a.has_saddle && c.has_saddle);
        CHECK_REL(a.saddle.f, c.saddle.f, 1e-12);
        CHECK_ABS(a.saddle.x, c.saddle.x, 1e-11);
        CHECK_ABS(a.saddle.y, c.saddle.y, 1e-11);
        CHECK_REL(a.a.f - a.saddle.f, c.a.f - c.saddle.f, 1e-12);
        CHECK_REL(a.b.f - a.saddle.f, c.b.f - c.saddle.f, 1e-12);
        assert_int_equal(a.global, c.global);
    }
    /* one beta: maxima, names, saddle, Gaussian */
    double beta = hl_bphases_melting_count(p) ? 1.3 : 0.5 * (bmin + bmax);
    hl_bstat mx[16];
    hl_stationary mt[16];
    size_t n1, n2;
    CHECK_OK(hl_blocks_maxima_at(b, beta, mx, 16, &n1, NULL));
    CHECK_OK(hl_maxima_at(m, beta, mt, 16, &n2));
    assert_int_equal(n1, n2);
    char nb[16][16], nt[16][16];
    CHECK_OK(hl_blocks_name_maxima(b, beta, mx, n1, nb));
    CHECK_OK(hl_name_maxima(m, beta, mt, n2, nt));
    hl_gaussian g[16];
    size_t ng;
    CHECK_OK(hl_gaussian_maxima(m, 20, beta, g, 16, &ng));
    for (size_t i = 0; i < n1; i++) {
        size_t j = 0;
        while (j < n2 && strcmp(nb[i], nt[j]))
            j++;
        assert_true(j < n2);
        CHECK_REL(mx[i].f, mt[j].f, 1e-12);
        CHECK_ABS(mx[i].x, mt[j].x, 1e-11);
        assert_int_equal(mx[i].stable, mt[j].stable);
        size_t h = 0;
        while (h < ng && strcmp(g[h].name, nb[i]))
            h++;
        assert_true(h < ng);
        double E[4], cov[4], exy[3];
        CHECK_OK(hl_blocks_gaussian(b, &mx[i], E, cov, exy));
        CHECK_REL(exy[0], g[h].E11, 1e-12);
        CHECK_NEAR(exy[1], g[h].E12, 1e-12 * fabs(g[h].E11), 1e-12);
        CHECK_REL(exy[2], g[h].E22, 1e-12);
        CHECK_REL(0.25 * (cov[0] + 2 * cov[1] + cov[3]), g[h].cov_xx, 1e-12);
        CHECK_NEAR(0.25 * (cov[0] - cov[3]), g[h].cov_xy, 1e-12 * g[h].cov_xx, 1e-12);
        CHECK_REL(0.25 * (cov[0] - 2 * cov[1] + cov[3]), g[h].cov_yy, 1e-12);
    }
    if (n1 == 2) {
        hl_bstat sb;
        hl_stationary st;
        CHECK_OK(hl_blocks_saddle_between(b, beta, &mx[0], &mx[1], &sb));
        CHECK_OK(hl_saddle_between(m, beta, &mt[0], &mt[1], &st));
        CHECK_REL(sb.f, st.f, 1e-12);
        assert_int_equal(sb.index, 1);
    }
    hl_bphases_free(p);
    hl_phases_free(q);
    hl_model_free(m);
    hl_blocks_free(b);
}

static void test_pair_default(void **state)
{
    (void)state;
    compare_pair(NULL, 0.05, 5, 500, 1);
}

static void test_pair_nonseparable(void **state)
{
    (void)state;
    compare_pair("x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.3*x*y", 0.05, 5, 400, 1);
    compare_pair("x*y+0.5*(x^2-y^2)^2+0.1*x", 0.5, 8, 300, 0);
}

/* ------------------------------------------------ (b) a separable phi */

/* the maxima of r h(m) - beta g(m) in one dimension by a dense scan of
 * F(t) = -r t - beta g'(tanh t) for sign changes from + to - (bisection) */
static int maxima_1d(const hl_blocks *one, double r, double beta, double *mt, int cap)
{
    double G = 0;
    for (int i = 0; i <= 2000; i++) {
        double mm = -1 + 2.0 * i / 2000, g;
        hl_blocks_phi_derivs(one, &mm, &g, NULL);
        G = fmax(G, fabs(g));
    }
    double tmax = beta * G / r * 1.01 + 1;
    int n = 0, N = 200000;
    double prev_t = -tmax, prev_F = 0;
    for (int i = 0; i <= N; i++) {
        double t = -tmax + 2 * tmax * i / N, mm = tanh(t), g;
        hl_blocks_phi_derivs(one, &mm, &g, NULL);
        double F = -r * t - beta * g * r; /* one block: phi = g_i / r_i, so beta g_i = beta r phi */
        if (i && prev_F > 0 && F <= 0) {
            double lo = prev_t, hi = t;
            for (int it = 0; it < 200; it++) {
                double mid = 0.5 * (lo + hi), m2 = tanh(mid), g2;
                hl_blocks_phi_derivs(one, &m2, &g2, NULL);
                if (-r * mid - beta * g2 * r > 0)
                    lo = mid;
                else
                    hi = mid;
            }
            if (n < cap)
                mt[n] = 0.5 * (lo + hi);
            n++;
        }
        prev_t = t;
        prev_F = F;
    }
    return n;
}

static void test_separable(void **state)
{
    (void)state;
    /* sizes 2, 1, 1: r = 1/2, 1/4, 1/4 */
    long sz[3] = {20, 10, 10};
    const char *g[3] = {"2*(m1^2-0.5)^2-0.1*m1", "0.5*m2^2-0.3*m2", "0.2*m3+0.1*m3^4"};
    double r[3] = {0.5, 0.25, 0.25};
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(3, sz, "2*(m1^2-0.5)^2-0.1*m1+0.5*m2^2-0.3*m2+0.2*m3+0.1*m3^4", &b));
    /* one-block models: phi = g_i / r_i in m1 */
    hl_blocks *one[3];
    const char *g1[3] = {"(2*(m1^2-0.5)^2-0.1*m1)/0.5", "(0.5*m1^2-0.3*m1)/0.25",
                         "(0.2*m1+0.1*m1^4)/0.25"};
    for (int i = 0; i < 3; i++) {
        long s1 = 10;
        CHECK_OK(hl_blocks_create(1, &s1, g1[i], &one[i]));
    }
    (void)g;
    const double betas[] = {0.3, 1.0, 2.0, 4.0, 9.0};
    for (size_t q = 0; q < sizeof betas / sizeof betas[0]; q++) {
        double beta = betas[q];
        hl_bstat mx[64];
        size_t n;
        CHECK_OK(hl_blocks_maxima_at(b, beta, mx, 64, &n, NULL));
        hl_bstat m1[3][8];
        size_t n1[3];
        size_t prod = 1;
        for (int i = 0; i < 3; i++) {
            CHECK_OK(hl_blocks_maxima_at(one[i], beta, m1[i], 8, &n1[i], NULL));
            /* the one-block search against a dense scan of its own */
            double tt[8];
            int nd = maxima_1d(one[i], 1.0, beta, tt, 8);
            assert_int_equal((int)n1[i], nd);
            for (int j = 0; j < nd; j++)
                CHECK_NEAR(m1[i][j].t[0], tt[j], 1e-9, 1e-9);
            prod *= n1[i];
        }
        assert_int_equal(n, prod);
        if (beta >= 2.0)
            assert_true(n1[0] == 2 && prod == 2); /* the double well */
        /* every maximum is a product, with f the r-weighted sum */
        for (size_t a = 0; a < n; a++) {
            double fsum = 0;
            for (int i = 0; i < 3; i++) {
                size_t j = 0;
                while (j < n1[i] && fabs(m1[i][j].m[0] - mx[a].m[i]) > 1e-10)
                    j++;
                assert_true(j < n1[i]);
                fsum += r[i] * m1[i][j].f;
            }
            CHECK_REL(mx[a].f, fsum, 1e-12);
        }
    }
    /* branches: one per product, melting where block 1's two maxima swap */
    hl_bphases *p = NULL, *p1 = NULL;
    CHECK_OK(hl_bphases_compute(b, 0.2, 6, 300, &p));
    CHECK_OK(hl_bphases_compute(one[0], 0.2, 6, 300, &p1));
    assert_int_equal(hl_bphases_branch_count(p), hl_bphases_branch_count(p1));
    assert_int_equal(hl_bphases_fold_count(p), hl_bphases_fold_count(p1));
    assert_int_equal(hl_bphases_melting_count(p), hl_bphases_melting_count(p1));
    for (int k = 0; k < hl_bphases_fold_count(p); k++) {
        hl_bfold f, f1;
        CHECK_OK(hl_bphases_fold(p, k, &f));
        CHECK_OK(hl_bphases_fold(p1, k, &f1));
        CHECK_REL(f.beta, f1.beta, 1e-9);
    }
    for (int k = 0; k < hl_bphases_melting_count(p); k++) {
        hl_bmelting a, a1;
        CHECK_OK(hl_bphases_melting(p, k, &a));
        CHECK_OK(hl_bphases_melting(p1, k, &a1));
        CHECK_REL(a.beta, a1.beta, 1e-10);
        /* the barrier is block 1's, weighted by r_1 */
        assert_true(a.has_saddle && a1.has_saddle);
        CHECK_REL(a.a.f - a.saddle.f, r[0] * (a1.a.f - a1.saddle.f), 1e-9);
    }
    hl_bphases_free(p);
    hl_bphases_free(p1);
    for (int i = 0; i < 3; i++)
        hl_blocks_free(one[i]);
    hl_blocks_free(b);
}

/* ------------------------------------ (c) k = 3 against a dense search */

/* Newton in t = atanh m on F = grad_m f = -r t - beta grad phi(tanh t) = 0,
 * with the Jacobian written here */
static double det3(const double *A)
{
    return A[0] * (A[4] * A[8] - A[5] * A[7]) - A[1] * (A[3] * A[8] - A[5] * A[6]) +
           A[2] * (A[3] * A[7] - A[4] * A[6]);
}

static int newton_t(const hl_blocks *b, double beta, const double *r, double *t)
{
    for (int it = 0; it < 100; it++) {
        double m[3], c[3], g[3], H[9], F[3], A[9], res = 0, sc = 1;
        for (int i = 0; i < 3; i++) {
            m[i] = tanh(t[i]);
            c[i] = 1 / (cosh(t[i]) * cosh(t[i]));
            sc += fabs(t[i]);
        }
        hl_blocks_phi_derivs(b, m, g, H);
        for (int i = 0; i < 3; i++) {
            F[i] = -r[i] * t[i] - beta * g[i];
            res = fmax(res, fabs(F[i]));
            for (int j = 0; j < 3; j++)
                A[i * 3 + j] = (i == j ? -r[i] : 0) - beta * H[i * 3 + j] * c[j];
        }
        if (res < 1e-11 * sc)
            return 1;
        double det = det3(A);
        if (det == 0)
            return 0;
        for (int col = 0; col < 3; col++) {
            double B[9];
            memcpy(B, A, sizeof B);
            for (int i = 0; i < 3; i++)
                B[i * 3 + col] = -F[i];
            double d = det3(B) / det;
            t[col] += fmax(-2.0, fmin(2.0, d));
        }
    }
    return 0;
}

/* 1 if the Hessian of f at t is negative definite: the leading minors of
 * K = diag(r) + beta C^1/2 Hess(phi) C^1/2 positive (Sylvester) */
static int is_max_t(const hl_blocks *b, double beta, const double *r, const double *t)
{
    double m[3], c[3], g[3], H[9], K[9];
    for (int i = 0; i < 3; i++) {
        m[i] = tanh(t[i]);
        c[i] = 1 / cosh(t[i]);
    }
    hl_blocks_phi_derivs(b, m, g, H);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            K[i * 3 + j] = (i == j ? r[i] : 0) + beta * H[i * 3 + j] * c[i] * c[j];
    return K[0] > 0 && K[0] * K[4] - K[1] * K[3] > 0 && det3(K) > 0;
}

static double f_t(const hl_blocks *b, double beta, const double *t)
{
    double m[3] = {tanh(t[0]), tanh(t[1]), tanh(t[2])};
    return hl_blocks_w(b, m, NULL, NULL) - beta * hl_blocks_phi(b, m);
}

static void test_k3_dense(void **state)
{
    (void)state;
    const char *phi = "m1^2*m2 - m1*m2*m3 + (m3^2-0.5)^2 - 0.3*m1 + 0.2*m2*m3^2";
    long sz[3] = {10, 20, 10};
    double r[3] = {0.25, 0.5, 0.25};
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(3, sz, phi, &b));
    const double betas[] = {0.7, 1.6, 2.5};
    for (size_t q = 0; q < 3; q++) {
        double beta = betas[q];
        hl_bstat mx[64];
        size_t n;
        hl_bsearch info;
        CHECK_OK(hl_blocks_maxima_at(b, beta, mx, 64, &n, &info));
        assert_true(info.complete);
        /* dense grid in t over the box |t_i| <= beta G_i / r_i + 1 (G_i from a
         * sample of |dphi/dm_i|), local maxima of f on it, Newton */
        const int N = 60;
        double T[3] = {0, 0, 0};
        for (int i = 0; i <= 20; i++)
            for (int j = 0; j <= 20; j++)
                for (int l = 0; l <= 20; l++) {
                    double m[3] = {-1 + 0.1 * i, -1 + 0.1 * j, -1 + 0.1 * l}, g[3];
                    hl_blocks_phi_derivs(b, m, g, NULL);
                    for (int a = 0; a < 3; a++)
                        T[a] = fmax(T[a], beta * 1.2 * fabs(g[a]) / r[a] + 1);
                }
        double *fg = malloc(sizeof(double) * (size_t)(N + 1) * (N + 1) * (N + 1));
        assert_non_null(fg);
#define IDX(i, j, l) (((size_t)(i) * (N + 1) + (size_t)(j)) * (N + 1) + (size_t)(l))
#define TPT(i, j, l) {-T[0] + 2 * T[0] * (i) / N, -T[1] + 2 * T[1] * (j) / N, -T[2] + 2 * T[2] * (l) / N}
        for (int i = 0; i <= N; i++)
            for (int j = 0; j <= N; j++)
                for (int l = 0; l <= N; l++) {
                    double t[3] = TPT(i, j, l);
                    fg[IDX(i, j, l)] = f_t(b, beta, t);
                }
        size_t found = 0;
        double got[64][3];
        for (int i = 0; i <= N; i++)
            for (int j = 0; j <= N; j++)
                for (int l = 0; l <= N; l++) {
                    int peak = 1;
                    for (int a = -1; a <= 1 && peak; a++)
                        for (int c = -1; c <= 1 && peak; c++)
                            for (int d = -1; d <= 1 && peak; d++) {
                                int ii = i + a, jj = j + c, ll = l + d;
                                if (ii < 0 || jj < 0 || ll < 0 || ii > N || jj > N || ll > N)
                                    continue;
                                if (fg[IDX(ii, jj, ll)] > fg[IDX(i, j, l)])
                                    peak = 0;
                            }
                    if (!peak)
                        continue;
                    double t[3] = TPT(i, j, l);
                    if (!newton_t(b, beta, r, t) || !is_max_t(b, beta, r, t))
                        continue;
                    double m[3] = {tanh(t[0]), tanh(t[1]), tanh(t[2])};
                    int dup = 0;
                    for (size_t s = 0; s < found && !dup; s++)
                        dup = fabs(got[s][0] - m[0]) + fabs(got[s][1] - m[1]) +
                                  fabs(got[s][2] - m[2]) < 1e-8;
                    if (!dup && found < 64)
                        memcpy(got[found++], m, sizeof m);
                }
#undef IDX
#undef TPT
        free(fg);
        /* the dense search's maxima are all in the list, and no more */
        assert_true(found >= 1);
        assert_int_equal(found, n);
        for (size_t s = 0; s < found; s++) {
            size_t j = 0;
            while (j < n && fabs(mx[j].m[0] - got[s][0]) + fabs(mx[j].m[1] - got[s][1]) +
                                    fabs(mx[j].m[2] - got[s][2]) > 1e-8)
                j++;
            assert_true(j < n);
            assert_int_equal(mx[j].index, 0);
        }
    }
    hl_blocks_free(b);
}

/* --------------------------- the Gaussian against the exact finite-D sums */

static double exact_cov_err(const char *phi, double beta, long dim, const hl_bstat *mx0)
{
    hl_blocks *b = mk_equal(3, dim, phi);
    hl_bstat mx = *mx0;
    double cov[9];
    CHECK_OK(hl_blocks_gaussian(b, &mx, NULL, cov, NULL));
    long nc = hl_blocks_n_classes(b);
    double *lq = malloc(sizeof(double) * (size_t)nc), lmax = -INFINITY;
    assert_non_null(lq);
    long n[3];
    double m[3];
    for (long c = 0; c < nc; c++) {
        hl_blocks_class(b, c, n, m);
        lq[c] = hl_blocks_ln_count(b, n) - beta * (double)dim * hl_blocks_phi(b, m);
        lmax = fmax(lmax, lq[c]);
    }
    double Z = 0, mean[3] = {0}, sec[9] = {0};
    for (long c = 0; c < nc; c++) {
        hl_blocks_class(b, c, n, m);
        double w = exp(lq[c] - lmax);
        Z += w;
        for (int i = 0; i < 3; i++) {
            mean[i] += w * m[i];
            for (int j = 0; j < 3; j++)
                sec[i * 3 + j] += w * m[i] * m[j];
        }
    }
    double err = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double ce = sec[i * 3 + j] / Z - mean[i] * mean[j] / (Z * Z);
            err = fmax(err, fabs((double)dim * (ce - cov[i * 3 + j])));
        }
    free(lq);
    hl_blocks_free(b);
    return err;
}

static void test_gaussian_exact(void **state)
{
    (void)state;
    /* a single maximum, non-separable */
    const char *phi = "0.3*m1*m2 - 0.2*m2*m3 + 0.5*m1 - 0.4*m3 + 0.3*m1^2 + 0.2*m1*m3";
    double beta = 1.2;
    hl_blocks *b = mk_equal(3, 30, phi);
    hl_bstat mx[8];
    size_t n;
    CHECK_OK(hl_blocks_maxima_at(b, beta, mx, 8, &n, NULL));
    assert_int_equal(n, 1);
    double E[9], cov[9];
    CHECK_OK(hl_blocks_gaussian(b, &mx[0], E, cov, NULL));
    /* E = -(1/2) Hess f, cov = (2 D E)^-1: 2 D E cov = I */
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int l = 0; l < 3; l++)
                s += 2 * 30 * E[i * 3 + l] * cov[l * 3 + j];
            CHECK_ABS(s, i == j ? 1.0 : 0.0, 1e-12);
        }
    hl_blocks_free(b);
    const long dims[4] = {30, 60, 120, 240};
    double err[4];
    for (int d = 0; d < 4; d++)
        err[d] = exact_cov_err(phi, beta, dims[d], &mx[0]);
    /* D (cov_exact - cov_gauss) falls like 1/D: halves with each doubling */
    for (int d = 0; d + 1 < 4; d++) {
        double ratio = err[d] / err[d + 1];
        assert_true(ratio > 1.6 && ratio < 2.5);
    }
    assert_true(err[3] < 0.02 * 30.0 / 240.0 * 10);
}

/* ------------------------------------------------------------ bad input */

/* c ~ beta^2 at high T leaves the doubles at beta = 1e-300: NaN (digits
 * lost), never 0, with ln c finite; the pair equals the 2-D ln c, and a
 * separable phi over 4 blocks continues ln c - 2 ln beta from beta = 1e-100
 * (c representable) */
static void test_heat_capacity_underflow(void **state)
{
    (void)state;
    hl_blocks *b = NULL;
    hl_model *m = NULL;
    CHECK_OK(hl_blocks_create_equal(2, 40, NULL, &b));
    CHECK_OK(hl_model_create(NULL, &m));
    hl_bstat mx[8];
    hl_stationary mt[8];
    size_t n1, n2;
    CHECK_OK(hl_blocks_maxima_at(b, 1e-300, mx, 8, &n1, NULL));
    CHECK_OK(hl_maxima_at(m, 1e-300, mt, 8, &n2));
    assert_int_equal(n1, 1);
    assert_int_equal(n2, 1);
    assert_true(isnan(mx[0].heat_capacity));
    assert_true(isfinite(mx[0].ln_heat_capacity));
    CHECK_REL(mx[0].ln_heat_capacity, mt[0].ln_heat_capacity, 1e-12);
    hl_blocks_free(b);
    hl_model_free(m);
    CHECK_OK(hl_blocks_create_equal(4, 40, "0.3*m1^2 + m2 - 0.2*m3 + 0.1*m4^3", &b));
    double ref = NAN;
    const double betas[] = {1e-100, 1e-300};
    for (int j = 0; j < 2; j++) {
        CHECK_OK(hl_blocks_maxima_at(b, betas[j], mx, 8, &n1, NULL));
        assert_int_equal(n1, 1);
        double k = mx[0].ln_heat_capacity - 2 * log(betas[j]);
        if (j == 0) {
            assert_true(mx[0].heat_capacity > 0);
            CHECK_REL(log(mx[0].heat_capacity), mx[0].ln_heat_capacity, 1e-12);
            ref = k;
        } else {
            assert_true(isnan(mx[0].heat_capacity));
            CHECK_REL(k, ref, 1e-9);
        }
    }
    hl_blocks_free(b);
}

static void test_errors(void **state)
{
    (void)state;
    hl_blocks *b = mk_equal(2, 4, NULL);
    hl_bstat s[4];
    size_t n;
    assert_int_equal(hl_blocks_maxima_at(b, -1.0, s, 4, &n, NULL), HL_EDOM);
    assert_int_equal(hl_blocks_maxima_at(b, 2e6, s, 4, &n, NULL), HL_EDOM);
    hl_bphases *p = NULL;
    assert_int_equal(hl_bphases_compute(b, 2.0, 1.0, 10, &p), HL_EDOM);
    assert_null(p);
    assert_int_equal(hl_bphases_compute(b, 1.0, 2.0, 1, &p), HL_EDOM);
    /* a saddle is not a maximum for the Gaussian */
    hl_bstat all[8];
    CHECK_OK(hl_blocks_stationary_at(b, 2.0, all, 8, &n, NULL));
    for (size_t i = 0; i < n; i++)
        if (all[i].index > 0)
            assert_int_equal(hl_blocks_gaussian(b, &all[i], NULL, NULL, NULL), HL_EDOM);
    hl_blocks_free(b);
}

/* ------------------------------- (f) what ends a branch: fold or pitchfork */

static int find_end(const hl_bphases *p, const char *name, double near, hl_bfold *out)
{
    for (int q = 0; q < hl_bphases_fold_count(p); q++) {
        CHECK_OK(hl_bphases_fold(p, q, out));
        if (!strcmp(hl_bphases_branch_name(p, out->branch), name) &&
            fabs(out->beta - near) < 1e-3)
            return 1;
    }
    return 0;
}

/* phi = -(m1+m2)^2/2 - 0.3 (m1-m2)^2, two equal blocks (r = 1/2): at m = 0
 * the Hessian of f is -I/2 + beta [[1.6, 0.4], [0.4, 1.6]], singular along
 * (1, 1) at beta = 1/4 exactly (the liquid becomes a saddle, two maxima
 * +-(m, m) branch off: a pitchfork, not a fold).  On the line (m, -m)
 * (stationary where atanh m = 2.4 beta m) the saddle becomes a maximum
 * where -1/(2 (1 - m^2)) + 2 beta = 0, i.e. m^2 = 1 - 1/(4 beta): the root
 * of atanh(m) - 2.4 beta m on that curve, by bisection here.  The default
 * phi of two blocks (eq 4.11) has a true fold (the crystal appears). */
static double antisym_beta(void)
{
    double lo = 0.3, hi = 2.0;
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi), m = sqrt(1 - 1 / (4 * mid));
        if (atanh(m) - 2.4 * mid * m > 0)
            lo = mid; /* below the root */
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static void test_branch_ends(void **state)
{
    (void)state;
    hl_blocks *b = mk_equal(2, 2, "-(m1+m2)^2/2 - 0.3*(m1-m2)^2");
    hl_bphases *p = NULL;
    CHECK_OK(hl_bphases_compute(b, 0.05, 3, 400, &p));
    hl_bfold f;
    assert_true(find_end(p, "liquid", 0.25, &f));
    assert_int_equal(f.bifurcation, HL_BEND_PITCHFORK);
    assert_string_equal(hl_bend_name(f.bifurcation), "pitchfork");
    assert_int_equal(f.null_dims, 1);
    assert_int_equal(f.birth, 0);
    assert_int_equal(f.through, 1);
    CHECK_ABS(f.beta, 0.25, 1e-12);
    CHECK_ABS(f.null_vector[0], sqrt(0.5), 1e-8);
    CHECK_ABS(f.null_vector[1], sqrt(0.5), 1e-8);
    assert_true(f.beta_error < 1e-10);
    /* the two maxima born there: pitchfork ends that are not the branch through */
    int born = 0, anti = 0;
    double ba = antisym_beta(), ma = sqrt(1 - 1 / (4 * ba));
    for (int q = 0; q < hl_bphases_fold_count(p); q++) {
        CHECK_OK(hl_bphases_fold(p, q, &f));
        assert_int_equal(f.bifurcation, HL_BEND_PITCHFORK); /* no fold here */
        assert_int_equal(f.null_dims, 1);
        if (fabs(f.beta - 0.25) < 1e-12 && f.birth) {
            born++;
            assert_int_equal(f.through, 0);
            CHECK_ABS(f.m[0], 0, 1e-9);
        } else if (fabs(f.beta - ba) < 1e-10) {
            anti++;
            assert_int_equal(f.birth, 1); /* a saddle below becomes a maximum */
            assert_int_equal(f.through, 1);
            CHECK_ABS(fabs(f.m[0]), ma, 1e-9);
            CHECK_ABS(f.m[0] + f.m[1], 0, 1e-9);
            CHECK_ABS(f.null_vector[0], sqrt(0.5), 1e-6); /* along (1, 1) */
        }
    }
    assert_int_equal(born, 2);
    assert_int_equal(anti, 2);
    assert_int_equal(hl_bphases_fold_count(p), 5);
    hl_bphases_free(p);
    hl_blocks_free(b);

    /* the default phi of two blocks: a fold, where the 2-D analysis has it */
    b = mk_equal(2, 2, NULL);
    CHECK_OK(hl_bphases_compute(b, 0.05, 5, 300, &p));
    assert_int_equal(hl_bphases_fold_count(p), 1);
    CHECK_OK(hl_bphases_fold(p, 0, &f));
    assert_int_equal(f.bifurcation, HL_BEND_FOLD);
    assert_string_equal(hl_bend_name(f.bifurcation), "fold");
    assert_int_equal(f.null_dims, 1);
    assert_int_equal(f.through, 0);
    assert_true(isnan(f.beta_error));
    hl_bphases_free(p);
    hl_blocks_free(b);

    /* three permuted blocks, phi = s^2/2 - 0.6 sum m_i^2: m = 0 loses
     * stability in the two directions orthogonal to (1, 1, 1) at once,
     * r/1.2 = 1/3.6; with m -> -m symmetry a pitchfork, with a cubic
     * 0.3 sum m_i^3 a branch point (transcritical in the plane) */
    const char *phi3[2] = {"0.5*(m1+m2+m3)^2 - 0.6*(m1^2+m2^2+m3^2)",
                           "0.5*(m1+m2+m3)^2 - 0.6*(m1^2+m2^2+m3^2) + 0.3*(m1^3+m2^3+m3^3)"};
    for (int c = 0; c < 2; c++) {
        b = mk_equal(3, 3, phi3[c]);
        CHECK_OK(hl_bphases_compute(b, 0.05, 1, 60, &p));
        assert_true(find_end(p, "liquid", 1 / 3.6, &f));
        assert_int_equal(f.bifurcation, c ? HL_BEND_BRANCH_POINT : HL_BEND_PITCHFORK);
        assert_int_equal(f.null_dims, 2);
        assert_int_equal(f.through, 1);
        CHECK_ABS(f.beta, 1 / 3.6, 1e-11);
        CHECK_ABS(f.null_vector[0] + f.null_vector[1] + f.null_vector[2], 0, 1e-8);
        hl_bphases_free(p);
        hl_blocks_free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_default),   cmocka_unit_test(test_pair_nonseparable),
        cmocka_unit_test(test_separable),      cmocka_unit_test(test_k3_dense),
        cmocka_unit_test(test_gaussian_exact), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_heat_capacity_underflow), cmocka_unit_test(test_branch_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
