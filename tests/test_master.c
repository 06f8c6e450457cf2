/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_master.c -- master-equation generators and relaxation spectra
 * (eqs 3.6-3.12, 5.1-5.6): properties, contracted vs full, the separable
 * chain method vs the dense solver, and tiny rates vs 80-digit references. */
#include "test_util.h"

#include <string.h>

#include <lapacke.h>

#define NONSEP "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y"
#define TRANS "exp(-(1+y)/T)*(1+0.3*x^2)"

/* S symmetric, off-diagonals >= 0, S sqrt(pi) = 0, -S positive semidefinite
 * on a random vector (Dirichlet form). */
static void check_generator(const hl_model *m, long D, double beta, int kind)
{
    hl_generator *g = NULL;
    CHECK_OK(hl_generator_create(m, D, beta, kind, &g));
    long n = hl_generator_size(g);
    double *a = malloc(sizeof(double) * (size_t)(n * n));
    double *lw = malloc(sizeof(double) * (size_t)n), *x = malloc(sizeof(double) * (size_t)n),
           *y = malloc(sizeof(double) * (size_t)n);
    assert_non_null(a);
    CHECK_OK(hl_generator_dense(g, a));
    double scale = 0;
    for (long i = 0; i < n; i++)
        scale = fmax(scale, fabs(a[i * n + i]));
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            CHECK_ABS(a[i * n + j], a[j * n + i], 1e-14 * scale);
            if (i != j)
                assert_true(a[i * n + j] <= 0); /* -S has non-positive off-diagonals */
        }
    hl_generator_ln_weights(g, lw);
    double mx = -INFINITY;
    for (long i = 0; i < n; i++)
        mx = fmax(mx, lw[i]);
    for (long i = 0; i < n; i++)
        x[i] = exp(0.5 * (lw[i] - mx));
    hl_generator_apply(g, x, y);
    for (long i = 0; i < n; i++)
        CHECK_ABS(y[i], 0.0, 1e-12 * scale);
    srand(7);
    for (long i = 0; i < n; i++)
        x[i] = rand() / (double)RAND_MAX - 0.5;
    hl_generator_apply(g, x, y);
    double q = 0;
    for (long i = 0; i < n; i++)
        q -= x[i] * y[i];
    assert_true(q >= -1e-12 * scale);
    free(a);
    free(lw);
    free(x);
    free(y);
    hl_generator_free(g);
}

static void test_generator_properties(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NONSEP, &m));
    CHECK_OK(hl_model_set_transmission(m, TRANS));
    check_generator(m, 20, 0.7, HL_CONTRACTED);
    check_generator(m, 8, 1.3, HL_FULL);
    hl_model_free(m);
}

/* For class-symmetric data the full dynamics summed over each class equals
 * the contracted dynamics (eq 3.8 -> 3.9, 5.5 -> 5.6). */
static void test_projection(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NONSEP, &m));
    CHECK_OK(hl_model_set_transmission(m, TRANS));
    const long D = 10, h = D / 2;
    const double beta = 0.9;
    hl_generator *gf = NULL, *gc = NULL;
    CHECK_OK(hl_generator_create(m, D, beta, HL_FULL, &gf));
    CHECK_OK(hl_generator_create(m, D, beta, HL_CONTRACTED, &gc));
    long nf = hl_generator_size(gf), nc = hl_generator_size(gc);
    assert_int_equal(nc, (h + 1) * (h + 1));
    double *lwf = malloc(sizeof(double) * (size_t)nf), *lwc = malloc(sizeof(double) * (size_t)nc);
    double *xf = malloc(sizeof(double) * (size_t)nf), *yf = malloc(sizeof(double) * (size_t)nf);
    double *xc = malloc(sizeof(double) * (size_t)nc), *yc = malloc(sizeof(double) * (size_t)nc);
    double *Q = malloc(sizeof(double) * (size_t)nc), *proj = calloc((size_t)nc, sizeof(double));
    hl_generator_ln_weights(gf, lwf);
    hl_generator_ln_weights(gc, lwc);
    /* an arbitrary class distribution Q */
    for (long i = 0; i < nc; i++)
        Q[i] = 1.0 + 0.5 * sin(1.7 * (double)i);
    for (long i = 0; i < nc; i++) {
        xc[i] = Q[i] * exp(-0.5 * lwc[i]); /* x = P^{-1/2} Q */
    }
    for (long v = 0; v < nf; v++) {
        long n, n1;
        hl_generator_class_of(gf, v, &n, &n1);
        long a = n1, b = n - n1, c = a * (h + 1) + b;
        /* p(v) = Q / W; W = exp(lwc - lwf) for the vertex's class */
        double p = Q[c] * exp(lwf[v] - lwc[c]);
        xf[v] = p * exp(-0.5 * lwf[v]);
    }
    hl_generator_apply(gf, xf, yf);
    hl_generator_apply(gc, xc, yc);
    for (long v = 0; v < nf; v++) {
        long n, n1;
        hl_generator_class_of(gf, v, &n, &n1);
        long c = n1 * (h + 1) + (n - n1);
        proj[c] += exp(0.5 * lwf[v]) * yf[v]; /* dp/dt = P^{1/2} y */
    }
    for (long i = 0; i < nc; i++)
        CHECK_NEAR(proj[i], exp(0.5 * lwc[i]) * yc[i], 1e-12, 1e-10);
    free(lwf); free(lwc); free(xf); free(yf); free(xc); free(yc); free(Q); free(proj);
    hl_generator_free(gf);
    hl_generator_free(gc);
    hl_model_free(m);
}

/* Every contracted rate is a rate of the full hypercube (eq 3.11 vs 3.6). */
static void test_contracted_in_full(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NONSEP, &m));
    CHECK_OK(hl_model_set_transmission(m, TRANS));
    const long D = 10;
    const int kc = 36, kf = 1024;
    double rc[36], lc[36];
    double *rf = malloc(sizeof(double) * kf), *lf = malloc(sizeof(double) * kf);
    hl_spectrum_info ic, iff;
    CHECK_OK(hl_spectrum(m, D, 0.6, HL_CONTRACTED, kc, rc, lc, NULL, &ic));
    CHECK_OK(hl_spectrum(m, D, 0.6, HL_FULL, kf, rf, lf, NULL, &iff));
    assert_int_equal(ic.method, HL_SPECTRUM_DENSE);
    for (int i = 0; i < kc; i++) {
        if (isnan(rc[i]))
            continue;
        double best = INFINITY;
        for (int j = 0; j < kf; j++)
            if (!isnan(rf[j]))
                best = fmin(best, fabs(rf[j] - rc[i]));
        if (!(best <= 1e-9 * (1 + rc[i])))
            print_error("contracted rate %d = %.15g not in the full spectrum (closest %g)\n",
                        i, rc[i], best);
        assert_true(best <= 1e-9 * (1 + rc[i]));
    }
    free(rf);
    free(lf);
    hl_model_free(m);
}

/* The separable chain method against the dense solver where both resolve. */
static void test_separable_vs_dense(void **state)
{
    (void)state;
    hl_model *md = NULL, *mf = NULL;
    CHECK_OK(hl_model_create(NULL, &md));
    CHECK_OK(hl_model_create(HL_DEFAULT_PHI, &mf));
    const long dims[] = {10, 30, 50};
    const double betas[] = {0.3, 0.773, 1.0};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double r1[12], l1[12], r2[12], l2[12];
            hl_spectrum_info i1, i2;
            CHECK_OK(hl_spectrum(md, dims[i], betas[j], HL_CONTRACTED, 12, r1, l1, NULL, &i1));
            CHECK_OK(hl_spectrum(mf, dims[i], betas[j], HL_CONTRACTED, 12, r2, l2, NULL, &i2));
            assert_int_equal(i1.method, HL_SPECTRUM_SEPARABLE);
            assert_int_equal(i2.method, HL_SPECTRUM_DENSE);
            assert_true(r1[0] == 0 && isinf(l1[0]) && l1[0] < 0);
            for (int q = 1; q < 12; q++) {
                if (isnan(r2[q]))
                    continue;
                /* the dense solver's absolute accuracy */
                CHECK_NEAR(r1[q], r2[q], 1e3 * i2.resolution, 1e-11);
                CHECK_NEAR(l1[q], log(r1[q]), 1e-12, 0);
            }
        }
    hl_model_free(md);
    hl_model_free(mf);
}

/* The slowest rate of the b chain against an 80-digit mpmath eigensolution
 * of the same chain (the a-chain rates are k 2 cosh(2 beta), larger). */
static void test_tiny_rates(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    double r[6], l[6];
    hl_spectrum_info info;
    CHECK_OK(hl_spectrum(m, 100, 0.773, HL_CONTRACTED, 4, r, l, NULL, &info));
    CHECK_REL(r[1], 2.4485162814309429733e-14, 1e-12);
    CHECK_OK(hl_spectrum(m, 200, 1.0, HL_CONTRACTED, 6, r, l, NULL, &info));
    CHECK_REL(r[1], 7.1681012614240036015e-42, 1e-11);
    /* the next b-chain rate (same reference), then the a chain's first:
     * independent spins, rates k 2 cosh(2 beta) */
    CHECK_REL(r[2], 6.0362616325222428908, 1e-12);
    CHECK_REL(r[3], 6.3305527683971218633, 1e-12);
    CHECK_REL(r[4], 2 * cosh(2.0), 1e-12);
    /* far below 1e-308: finite ln rate, falling linearly in D at fixed beta
     * with slope -(barrier per dimension) ~ -0.3139 at beta_m */
    double l4, l5;
    CHECK_OK(hl_spectrum(m, 10000, 0.77314993473707, HL_CONTRACTED, 3, r, l, NULL, &info));
    l4 = l[1];
    CHECK_OK(hl_spectrum(m, 100000, 0.77314993473707, HL_CONTRACTED, 3, r, l, NULL, &info));
    l5 = l[1];
    assert_true(isfinite(l4) && isfinite(l5) && r[1] == 0);
    CHECK_ABS((l5 - l4) / 90000.0, -0.313898, 2e-4);
    hl_model_free(m);
}

/* ARPACK shift-invert (beyond the dense limit) against the exact chains */
static void test_arnoldi_vs_separable(void **state)
{
    (void)state;
    hl_model *md = NULL, *mf = NULL;
    CHECK_OK(hl_model_create(NULL, &md));
    CHECK_OK(hl_model_create(HL_DEFAULT_PHI, &mf));
    double r1[8], l1[8], r2[8], l2[8];
    hl_spectrum_info i1, i2;
    CHECK_OK(hl_spectrum(md, 160, 0.5, HL_CONTRACTED, 8, r1, l1, NULL, &i1));
    CHECK_OK(hl_spectrum(mf, 160, 0.5, HL_CONTRACTED, 8, r2, l2, NULL, &i2));
    assert_int_equal(i2.method, HL_SPECTRUM_ARNOLDI);
    for (int q = 1; q < 8; q++) {
        if (isnan(r2[q])) {
            assert_true(r1[q] < 1e3 * i2.resolution); /* unresolved only when tiny */
            continue;
        }
        CHECK_NEAR(r2[q], r1[q], 1e3 * i2.resolution, 1e-9);
    }
    hl_model_free(md);
    hl_model_free(mf);
}

/* The full hypercube beyond the dense limit (matrix-free Lanczos): its slow
 * rates include the contracted ones, with the multiplicities of the other
 * symmetry sectors in between. */
static void test_full_lanczos(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    double rf[10], lf[10], rc[4], lc[4];
    hl_spectrum_info inf, ic;
    CHECK_OK(hl_spectrum(m, 14, 0.5, HL_FULL, 10, rf, lf, NULL, &inf));
    assert_int_equal(inf.method, HL_SPECTRUM_LANCZOS);
    CHECK_OK(hl_spectrum(m, 14, 0.5, HL_CONTRACTED, 4, rc, lc, NULL, &ic));
    for (int i = 1; i < 4; i++) {
        double best = INFINITY;
        for (int j = 1; j < 10; j++)
            best = fmin(best, fabs(rf[j] - rc[i]));
        CHECK_ABS(best, 0.0, 1e-8 * (1 + rc[i]));
    }
    hl_model_free(m);
}

/* The exact tunnelling rate of a non-separable model (graph-transformation
 * reduction onto the two basins) against the exact chains (the paper's phi
 * given as a formula) and against the dense solver where it resolves it. */
static void test_tunnelling_reduction(void **state)
{
    (void)state;
    hl_model *mf = NULL, *mu = NULL;
    CHECK_OK(hl_model_create(HL_DEFAULT_PHI, &mf));
    double r[4], l[4];
    hl_spectrum_info info;
    CHECK_OK(hl_spectrum(mf, 100, 0.773, HL_CONTRACTED, 4, r, l, NULL, &info));
    assert_true(info.tunnelling_exact);
    CHECK_REL(r[1], 2.4485162814309429733e-14, 1e-11);
    double lt;
    CHECK_OK(hl_tunnelling_ln_rate(mf, 200, 1.0, &lt));
    CHECK_ABS(lt, log(7.1681012614240036015e-42), 1e-11);
    CHECK_OK(hl_model_create(NONSEP, &mu));
    CHECK_OK(hl_model_set_transmission(mu, TRANS));
    CHECK_OK(hl_tunnelling_ln_rate(mu, 16, 0.7, &lt));
    /* the dense solver resolves this one: compare */
    hl_generator *g = NULL;
    CHECK_OK(hl_generator_create(mu, 16, 0.7, HL_CONTRACTED, &g));
    long n = hl_generator_size(g);
    double *a = malloc(sizeof(double) * (size_t)(n * n)), *w = malloc(sizeof(double) * (size_t)n);
    CHECK_OK(hl_generator_dense(g, a));
    assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int)n, a, (lapack_int)n, w), 0);
    CHECK_REL(exp(lt), w[1], 1e-8);
    assert_true(w[1] > 1e-6); /* well resolved, so the comparison means something */
    free(a);
    free(w);
    hl_generator_free(g);
    /* one basin: no tunnelling rate */
    assert_int_equal(hl_tunnelling_ln_rate(mf, 40, 0.2, &lt), HL_ENOTFOUND);
    hl_model_free(mf);
    hl_model_free(mu);
}

static void test_spectrum_bad_input(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    double r[8], l[8];
    hl_spectrum_info info;
    assert_int_equal(hl_model_set_transmission(m, "x"), HL_EDOM);        /* negative */
    assert_int_equal(hl_model_set_transmission(m, "x+z"), HL_EPARSE);    /* variable */
    assert_int_equal(hl_model_set_transmission(m, "1/(x-y)"), HL_EDOM);  /* infinite */
    assert_int_equal(hl_model_set_transmission(m, "x+*"), HL_EPARSE);
    assert_true(strlen(hl_errmsg()) > 0);
    assert_true(hl_model_transmission_is_default(m));
    assert_int_equal(hl_spectrum(m, 4, 1.0, HL_CONTRACTED, 10, r, l, NULL, &info), HL_EDOM);
    assert_int_equal(hl_spectrum(m, 11, 1.0, HL_CONTRACTED, 2, r, l, NULL, &info), HL_EDOM);
    assert_int_equal(hl_spectrum(m, 10, NAN, HL_CONTRACTED, 2, r, l, NULL, &info), HL_EDOM);
    assert_int_equal(hl_spectrum(m, 10, -1, HL_CONTRACTED, 2, r, l, NULL, &info), HL_EDOM);
    hl_generator *g = NULL;
    assert_int_equal(hl_generator_create(m, 26, 1.0, HL_FULL, &g), HL_ERANGE);
    assert_null(g);
    assert_int_equal(hl_spectrum(m, 26, 1.0, HL_FULL, 2, r, l, NULL, &info), HL_ERANGE);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generator_properties),
        cmocka_unit_test(test_projection),
        cmocka_unit_test(test_contracted_in_full),
        cmocka_unit_test(test_separable_vs_dense),
        cmocka_unit_test(test_tiny_rates),
        cmocka_unit_test(test_arnoldi_vs_separable),
        cmocka_unit_test(test_full_lanczos),
        cmocka_unit_test(test_tunnelling_reduction),
        cmocka_unit_test(test_spectrum_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
