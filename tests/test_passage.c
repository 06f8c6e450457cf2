/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_passage.c -- mean first-passage times between basins (eq 5.6 with
 * the rates of eq 5.2): the closed-form separable sum against the banded
 * graph transformation, both against an independent dense linear solve. */
#include "test_util.h"

#include <string.h>

#include "brute.h"

static double phi_nonsep(double x, double y)
{
    double u = x - y + 0.2;
    return x + y - u * u + 0.38 * u * u * u + 0.1 * x * y;
}
#define NONSEP "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y"

static double b_of(double x, double y, double T) { return (1 + 0.5 * x * x) * exp(-0.3 * (1 + y) / T); }
#define TRANS "(1+0.5*x^2)*exp(-0.3*(1+y)/T)"

/* A x = rhs by Gaussian elimination with partial pivoting in long double;
 * the solution replaces rhs, A is destroyed. */
static void dense_solve(long double *A, long double *rhs, int N)
{
    for (int col = 0; col < N; col++) {
        int piv = col;
        for (int i = col + 1; i < N; i++)
            if (fabsl(A[(size_t)i * N + col]) > fabsl(A[(size_t)piv * N + col]))
                piv = i;
        if (piv != col) {
            for (int j = 0; j < N; j++) {
                long double t = A[(size_t)col * N + j];
                A[(size_t)col * N + j] = A[(size_t)piv * N + j];
                A[(size_t)piv * N + j] = t;
            }
            long double t = rhs[col];
            rhs[col] = rhs[piv];
            rhs[piv] = t;
        }
        for (int i = col + 1; i < N; i++) {
            long double f = A[(size_t)i * N + col] / A[(size_t)col * N + col];
            if (f == 0)
                continue;
            for (int j = col; j < N; j++)
                A[(size_t)i * N + j] -= f * A[(size_t)col * N + j];
            rhs[i] -= f * rhs[col];
        }
    }
    for (int i = N - 1; i >= 0; i--) {
        long double sum = rhs[i];
        for (int j = i + 1; j < N; j++)
            sum -= A[(size_t)i * N + j] * rhs[j];
        rhs[i] = sum / A[(size_t)i * N + i];
    }
}

/* Independent reference: absorbing system (sum_j k_ij) tau_i - sum_j k_ij
 * tau_j = 1 on the non-target classes, dense Gaussian elimination with
 * partial pivoting in long double.  Returns ln tau(start). */
static double reference_ln_mfpt(long D, double beta, phi_fn phi, int use_b,
                                const hl_model *m, const char *from,
                                const char *to, long *start_out)
{
    brute_t *r = brute_new(D);
    brute_compute(r, phi, beta);
    char names[BRUTE_MAX_ENDS][16];
    brute_end_names(r, m, names);
    int h = r->h, w = h + 1, N = w * w;
    int start = -1;
    unsigned char *target = calloc((size_t)N, 1);
    for (int a = 0; a <= h; a++)
        for (int b = 0; b <= h; b++) {
            int e = BEND(r, a, b), i = a * w + b;
            if (!strcmp(names[e], to))
                target[i] = 1;
            if (!strcmp(names[e], from) && r->end_a[e] == a && r->end_b[e] == b &&
                (start < 0 || BQ(r, a, b) > BQ(r, start / w, start % w)))
                start = i;
        }
    assert_true(start >= 0);
    long double *A = calloc((size_t)N * (size_t)N, sizeof(long double));
    long double *rhs = calloc((size_t)N, sizeof(long double));
    for (int a = 0; a <= h; a++)
        for (int b = 0; b <= h; b++) {
            int i = a * w + b;
            if (target[i]) {
                A[(size_t)i * N + i] = 1; /* tau = 0 */
                continue;
            }
            rhs[i] = 1;
            static const int da[4] = {1, -1, 0, 0}, db[4] = {0, 0, 1, -1};
            for (int q = 0; q < 4; q++) {
                int a2 = a + da[q], b2 = b + db[q];
                if (a2 < 0 || a2 > h || b2 < 0 || b2 > h)
                    continue;
                double cnt = q == 0 ? h - a : q == 1 ? a : q == 2 ? h - b : b;
                double xm = 0.5 * (brute_x(h, a, b) + brute_x(h, a2, b2));
                double ym = 0.5 * (brute_y(h, a, b) + brute_y(h, a2, b2));
                double B = use_b ? b_of(xm, ym, 1 / beta) : 1.0;
                long double k = cnt * B *
                                expl(-0.5L * beta * D *
                                     (phi(brute_x(h, a2, b2), brute_y(h, a2, b2)) -
                                      phi(brute_x(h, a, b), brute_y(h, a, b))));
                A[(size_t)i * N + i] += k;
                A[(size_t)i * N + (a2 * w + b2)] -= k;
            }
        }
    dense_solve(A, rhs, N);
    double ln_tau = log((double)rhs[start]);
    *start_out = start;
    free(A);
    free(rhs);
    free(target);
    brute_free(r);
    return ln_tau;
}

static void test_mfpt_vs_dense_solve(void **state)
{
    (void)state;
    hl_model *md = NULL, *mu = NULL;
    CHECK_OK(hl_model_create(NULL, &md));
    CHECK_OK(hl_model_create(NONSEP, &mu));
    CHECK_OK(hl_model_set_transmission(mu, TRANS));
    const long dims[] = {12, 20};
    const double betas[] = {0.6, 1.1};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int dir = 0; dir < 2; dir++) {
                const char *from = dir ? "crystal" : "liquid", *to = dir ? "liquid" : "crystal";
                hl_passage p;
                long start;
                double ref = reference_ln_mfpt(dims[i], betas[j], paper_phi, 0, md, from, to, &start);
                CHECK_OK(hl_mfpt(md, dims[i], betas[j], from, to, &p));
                assert_int_equal(p.method, HL_SPECTRUM_SEPARABLE);
                CHECK_ABS(p.ln_mfpt, ref, 1e-10);
                ref = reference_ln_mfpt(dims[i], betas[j], phi_nonsep, 1, mu, from, to, &start);
                CHECK_OK(hl_mfpt(mu, dims[i], betas[j], from, to, &p));
                assert_int_equal(p.method, HL_PASSAGE_ELIMINATION);
                CHECK_ABS(p.ln_mfpt, ref, 1e-10);
            }
    hl_model_free(md);
    hl_model_free(mu);
}

/* The two solvers agree where both apply (the paper's phi given as a
 * formula takes the elimination path), also for times far above 1e300. */
static void test_mfpt_paths_agree(void **state)
{
    (void)state;
    hl_model *md = NULL, *mf = NULL;
    CHECK_OK(hl_model_create(NULL, &md));
    CHECK_OK(hl_model_create(HL_DEFAULT_PHI, &mf));
    hl_passage a, b;
    CHECK_OK(hl_mfpt(md, 200, 1.0, "liquid", "crystal", &a));
    CHECK_OK(hl_mfpt(mf, 200, 1.0, "liquid", "crystal", &b));
    CHECK_ABS(a.ln_mfpt, b.ln_mfpt, 1e-11 * a.ln_mfpt);
    assert_int_equal(a.from_n, b.from_n);
    assert_int_equal(a.from_n1, b.from_n1);
    /* beyond the old banded limit (D = 300), times above 1e300 */
    CHECK_OK(hl_mfpt(md, 600, 2.0, "liquid", "crystal", &a));
    CHECK_OK(hl_mfpt(mf, 600, 2.0, "liquid", "crystal", &b));
    assert_true(a.ln_mfpt > 700);
    CHECK_ABS(a.ln_mfpt, b.ln_mfpt, 1e-12 * a.ln_mfpt);
    assert_int_equal(a.from_n, b.from_n);
    CHECK_OK(hl_mfpt(md, 100000, 0.77314993473707, "liquid", "crystal", &a));
    assert_true(isinf(a.mfpt) && isfinite(a.ln_mfpt) && a.ln_mfpt > 690);
    /* Arrhenius in D: ln tau / D -> the barrier per dimension at beta_m */
    CHECK_ABS(a.ln_mfpt / 100000, 0.313898, 2e-4);
    hl_model_free(md);
    hl_model_free(mf);
}

/* Committor against a dense long-double solve of the Dirichlet problem
 * L q = 0 off A and B, q = 0 at the start class A, q = 1 on the target. */
static void check_committor(long D, double beta, phi_fn phi, int use_b, const hl_model *m,
                            const char *from, const char *to)
{
    brute_t *r = brute_new(D);
    brute_compute(r, phi, beta);
    char names[BRUTE_MAX_ENDS][16];
    brute_end_names(r, m, names);
    int h = r->h, w = h + 1, N = w * w, start = -1;
    unsigned char *kind = calloc((size_t)N, 1);
    for (int a = 0; a <= h; a++)
        for (int b = 0; b <= h; b++) {
            int e = BEND(r, a, b), i = a * w + b;
            if (!strcmp(names[e], to))
                kind[i] = 1;
            if (!strcmp(names[e], from) && r->end_a[e] == a && r->end_b[e] == b &&
                (start < 0 || BQ(r, a, b) > BQ(r, start / w, start % w)))
                start = i;
        }
    assert_true(start >= 0 && start < N);
    if (start < 0 || start >= N)
        return; /* unreachable: the assertion failed */
    kind[start] = 2;
    long double *A = calloc((size_t)N * (size_t)N, sizeof(long double));
    long double *rhs = calloc((size_t)N, sizeof(long double));
    for (int a = 0; a <= h; a++)
        for (int b = 0; b <= h; b++) {
            int i = a * w + b;
            if (kind[i]) {
                A[(size_t)i * N + i] = 1;
                rhs[i] = kind[i] == 1 ? 1 : 0;
                continue;
            }
            static const int da[4] = {1, -1, 0, 0}, db[4] = {0, 0, 1, -1};
            for (int q = 0; q < 4; q++) {
                int a2 = a + da[q], b2 = b + db[q];
                if (a2 < 0 || a2 > h || b2 < 0 || b2 > h)
                    continue;
                double cnt = q == 0 ? h - a : q == 1 ? a : q == 2 ? h - b : b;
                double xm = 0.5 * (brute_x(h, a, b) + brute_x(h, a2, b2));
                double ym = 0.5 * (brute_y(h, a, b) + brute_y(h, a2, b2));
                double B = use_b ? b_of(xm, ym, 1 / beta) : 1.0;
                long double k = cnt * B *
                                expl(-0.5L * beta * D *
                                     (phi(brute_x(h, a2, b2), brute_y(h, a2, b2)) -
                                      phi(brute_x(h, a, b), brute_y(h, a, b))));
                A[(size_t)i * N + i] += k;
                A[(size_t)i * N + (a2 * w + b2)] -= k;
            }
        }
    dense_solve(A, rhs, N);
    double *lnq = malloc(sizeof(double) * (size_t)N);
    hl_passage p;
    CHECK_OK(hl_committor(m, D, beta, from, to, lnq, &p));
    assert_int_equal(p.from_n1 * (h + 1) + (p.from_n - p.from_n1), start);
    for (int i = 0; i < N; i++) {
        double q = exp(lnq[i]);
        assert_true(q >= 0 && q <= 1 + 1e-12);
        CHECK_NEAR(q, (double)rhs[i], 1e-13, 1e-9);
    }
    free(lnq);
    free(A);
    free(rhs);
    free(kind);
    brute_free(r);
}

static void test_committor_vs_dense_solve(void **state)
{
    (void)state;
    hl_model *md = NULL, *mu = NULL;
    CHECK_OK(hl_model_create(NULL, &md));
    CHECK_OK(hl_model_create(NONSEP, &mu));
    CHECK_OK(hl_model_set_transmission(mu, TRANS));
    check_committor(16, 0.8, paper_phi, 0, md, "liquid", "crystal");
    check_committor(20, 1.1, phi_nonsep, 1, mu, "crystal", "liquid");
    hl_model_free(md);
    hl_model_free(mu);
}

static void test_mfpt_bad_input(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_passage p;
    assert_int_equal(hl_mfpt(m, 100, 0.2, "liquid", "crystal", &p), HL_ENOTFOUND);
    assert_int_equal(hl_mfpt(m, 100, 1.0, "liquid", "liquid", &p), HL_EINVAL);
    assert_int_equal(hl_mfpt(m, 100, 1.0, "liquid", "gas", &p), HL_ENOTFOUND);
    assert_int_equal(hl_mfpt(m, 101, 1.0, "liquid", "crystal", &p), HL_EDOM);
    assert_int_equal(hl_mfpt(m, 100, -1.0, "liquid", "crystal", &p), HL_EDOM);
    hl_model_free(m);
    CHECK_OK(hl_model_create(NONSEP, &m));
    assert_int_equal(hl_mfpt(m, HL_PASSAGE_DIM_MAX + 2, 1.0, "liquid", "crystal", &p),
                     HL_ERANGE);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mfpt_vs_dense_solve),
        cmocka_unit_test(test_mfpt_paths_agree),
        cmocka_unit_test(test_committor_vs_dense_solve),
        cmocka_unit_test(test_mfpt_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
