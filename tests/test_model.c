/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_model.c -- phi (eq 4.11), W(n, n1) (eq 4.9), w(x, y) (eq 4.10) and
 * the checks on user formulas. */
#include <string.h>

#include "test_util.h"

/* ------------------------------------------------------------ phi */

static void test_paper_phi_values(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    assert_non_null(m);
    assert_int_equal(hl_model_is_default(m), 1);
    assert_string_equal(hl_model_phi_formula(m), HL_DEFAULT_PHI);

    /* eq 4.12 and 4.15: -1 - 0.64 + 0.38 (-0.512), -1 - 1.44 + 0.38 (1.728) */
    CHECK_ABS(hl_model_phi(m, -1, 0), -1.83456, 1e-5);
    CHECK_ABS(hl_model_phi(m, 0, -1), -1.78336, 1e-5);
    /* and the exact decimal values, to rounding */
    CHECK_ABS(hl_model_phi(m, -1, 0), -1.83456, 4e-15);
    CHECK_ABS(hl_model_phi(m, 0, -1), -1.78336, 4e-15);

    /* the built-in phi and its derivatives against the formula, at a few
     * points (derivatives by central differences) */
    hl_model *u = NULL;
    CHECK_OK(hl_model_create(HL_DEFAULT_PHI, &u));
    assert_int_equal(hl_model_is_default(u), 0);
    const double pts[][2] = {{0, 0}, {-1, 0}, {0.3, -0.2}, {-0.25, 0.6},
                             {0.5, 0.5}, {0, 1}};
    for (size_t k = 0; k < sizeof pts / sizeof pts[0]; k++) {
        double x = pts[k][0], y = pts[k][1];
        CHECK_ABS(hl_model_phi(m, x, y), paper_phi(x, y), 1e-14);
        CHECK_ABS(hl_model_phi(u, x, y), paper_phi(x, y), 1e-14);
        hl_phi_derivs dm, du;
        hl_model_phi_derivs(m, x, y, &dm);
        hl_model_phi_derivs(u, x, y, &du);
        const double h = 1e-5;
        double px = (paper_phi(x + h, y) - paper_phi(x - h, y)) / (2 * h);
        double py = (paper_phi(x, y + h) - paper_phi(x, y - h)) / (2 * h);
        double pxx = (paper_phi(x + h, y) - 2 * paper_phi(x, y) +
                      paper_phi(x - h, y)) / (h * h);
        double pxy = (paper_phi(x + h, y + h) - paper_phi(x + h, y - h) -
                      paper_phi(x - h, y + h) + paper_phi(x - h, y - h)) /
                     (4 * h * h);
        double pyy = (paper_phi(x, y + h) - 2 * paper_phi(x, y) +
                      paper_phi(x, y - h)) / (h * h);
        const hl_phi_derivs *all[2] = {&dm, &du};
        for (int i = 0; i < 2; i++) {
            CHECK_ABS(all[i]->phi, paper_phi(x, y), 1e-14);
            CHECK_ABS(all[i]->phi_x, px, 1e-8);
            CHECK_ABS(all[i]->phi_y, py, 1e-8);
            CHECK_ABS(all[i]->phi_xx, pxx, 1e-4);
            CHECK_ABS(all[i]->phi_xy, pxy, 1e-4);
            CHECK_ABS(all[i]->phi_yy, pyy, 1e-4);
        }
    }
    hl_model_free(u);
    hl_model_free(m);
    hl_model_free(NULL); /* harmless */
}

static void test_phi_min(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    double x, y, phi;
    CHECK_OK(hl_model_phi_min(m, &x, &y, &phi));
    CHECK_ABS(x, -1.0, 1e-9);
    CHECK_ABS(y, 0.0, 1e-9);
    CHECK_ABS(phi, -1.83456, 1e-12);
    /* brute force: no point of a fine grid of the square is lower */
    const int N = 400;
    for (int i = 0; i <= N; i++)
        for (int j = 0; j <= N; j++) {
            double s = -1.0 + 2.0 * i / N, d = -1.0 + 2.0 * j / N;
            assert_true(paper_phi(0.5 * (s + d), 0.5 * (s - d)) >= phi - 1e-12);
        }
    hl_model_free(m);

    /* a user phi whose minimum is inside the square, at (0.2, -0.1) */
    CHECK_OK(hl_model_create("(x-0.2)^2 + 2*(y+0.1)^2 - 0.5", &m));
    CHECK_OK(hl_model_phi_min(m, &x, &y, &phi));
    CHECK_ABS(x, 0.2, 1e-6);
    CHECK_ABS(y, -0.1, 1e-6);
    CHECK_ABS(phi, -0.5, 1e-11);
    hl_model_free(m);

    /* a user phi whose minimum is on an edge (s = x + y = 1), not a corner:
     * phi = -(x + y) + (x - y - 0.3)^2, minimum at s = 1, d = 0.3 */
    CHECK_OK(hl_model_create("-(x+y) + (x-y-0.3)^2", &m));
    CHECK_OK(hl_model_phi_min(m, &x, &y, &phi));
    CHECK_ABS(x + y, 1.0, 1e-9);
    CHECK_ABS(x - y, 0.3, 1e-6);
    CHECK_ABS(phi, -1.0, 1e-11);
    hl_model_free(m);
}

/* ------------------------------------------------------------ W and w */

/* sum over all classes of W(n, n1) = 2^D (every vertex in one class) */
static void test_vertex_count_sums_to_2_pow_D(void **state)
{
    (void)state;
    const long dims[] = {2, 4, 10, 50, 200};
    for (size_t k = 0; k < sizeof dims / sizeof dims[0]; k++) {
        long D = dims[k];
        lse_acc acc;
        lse_init(&acc);
        long classes = 0;
        for (long n = 0; n <= D; n++)
            for (long n1 = 0; n1 <= n; n1++) {
                if (n1 > D / 2 || n - n1 > D / 2)
                    continue;
                double lw = NAN;
                CHECK_OK(hl_ln_vertex_count(D, n, n1, &lw));
                lse_add(&acc, lw);
                classes++;
            }
        assert_int_equal(classes, (D / 2 + 1) * (D / 2 + 1));
        CHECK_REL(lse_value(&acc), (double)D * log(2.0), 1e-12);
    }
}

/* ln W against exact integer binomials: W = C(h, a) C(h, b) */
static void test_vertex_count_exact(void **state)
{
    (void)state;
    const long D = 100; /* h = 50: C(50, k) < 2^53 */
    const int h = 50;
    for (int a = 0; a <= h; a++)
        for (int b = 0; b <= h; b++) {
            double lw;
            CHECK_OK(hl_ln_vertex_count(D, a + b, a, &lw));
            CHECK_NEAR(lw, ln_choose_exact(h, a) + ln_choose_exact(h, b),
                       1e-13, 1e-13);
        }
    double lw = -1;
    CHECK_OK(hl_ln_vertex_count(D, 0, 0, &lw));
    assert_true(lw == 0.0);
    CHECK_OK(hl_ln_vertex_count(D, D, D / 2, &lw));
    assert_true(lw == 0.0);
    /* a large D, where the value is ln C(h,h/2)^2 ~ D ln 2 - ln(pi h / 2) */
    CHECK_OK(hl_ln_vertex_count(1000000, 500000, 250000, &lw));
    double h2 = 500000.0;
    CHECK_REL(lw, 1e6 * log(2.0) - log(TEST_PI * h2 / 2.0) - 1.0 / (2.0 * h2),
              1e-12);
}

static void test_vertex_count_domain(void **state)
{
    (void)state;
    double lw = 12345.0;
    /* classes that do not exist at D = 10 (h = 5) */
    const long bad[][2] = {{3, 4}, {11, 5}, {5, -1}, {6, 0}, {11, 6},
                           {-1, 0}, {0, 1}, {10, 6}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        assert_int_equal(hl_ln_vertex_count(10, bad[k][0], bad[k][1], &lw),
                         HL_EDOM);
        assert_true(strlen(hl_errmsg()) > 0);
    }
    /* odd, too small, too big dimensions */
    const long dims[] = {11, 1, 0, -2, 1000001, 1000002, 2000000};
    for (size_t k = 0; k < sizeof dims / sizeof dims[0]; k++) {
        assert_int_equal(hl_ln_vertex_count(dims[k], 0, 0, &lw), HL_EDOM);
        assert_int_equal(hl_check_dim(dims[k]), HL_EDOM);
        assert_true(strlen(hl_errmsg()) > 0);
    }
    assert_int_equal(hl_check_dim(2), HL_OK);
    assert_int_equal(hl_check_dim(1000000), HL_OK);
    assert_true(lw == 12345.0); /* untouched on failure */
}

/* ln W(n, n1) / D -> w(x, y): the error is the Stirling correction
 * (1/2D) [ln(2 pi h pa qa) + ln(2 pi h pb qb)] + O(1/D^2), i.e. O(ln D / D). */
static void test_stirling_limit(void **state)
{
    (void)state;
    /* points as (s, d); (s + 1) D / 4 is an integer for D = 100 and up */
    const double sd[][2] = {{0.2, -0.6}, {0.0, 0.0}, {-0.52, 0.36},
                            {0.8, 0.8}, {-0.88, 0.44}};
    const long dims[] = {100, 1000, 10000, 100000};
    for (size_t p = 0; p < sizeof sd / sizeof sd[0]; p++) {
        double s = sd[p][0], d = sd[p][1];
        double x = 0.5 * (s + d), y = 0.5 * (s - d);
        double w = hl_entropy_w(x, y);
        CHECK_ABS(w, ref_w(x, y), 1e-15);
        double prev_err = INFINITY;
        for (size_t k = 0; k < sizeof dims / sizeof dims[0]; k++) {
            long D = dims[k], h = D / 2;
            long a = lround((s + 1) * D / 4), b = lround((d + 1) * D / 4);
            long n = a + b, n1 = a;
            /* the class is exactly at (x, y) */
            CHECK_ABS(2.0 * n / D - 1.0, x, 1e-15);
            CHECK_ABS((4.0 * n1 - 2.0 * n) / D, y, 1e-15);
            double lw;
            CHECK_OK(hl_ln_vertex_count(D, n, n1, &lw));
            double err = w - lw / D;
            assert_true(err > 0); /* Stirling: ln C(h,k) < h H(k/h) */
            assert_true(err < prev_err);
            prev_err = err;
            double pa = (double)a / h, pb = (double)b / h;
            double corr = (log(2 * TEST_PI * h * pa * (1 - pa)) +
                           log(2 * TEST_PI * h * pb * (1 - pb))) / (2.0 * D);
            /* next term of Stirling: (1/12h)(1 - 1/p - 1/q) per binomial,
             * here just a bound: |remainder| < 1/(h D min(p, q)) */
            double mpq = fmin(fmin(pa, 1 - pa), fmin(pb, 1 - pb));
            CHECK_ABS(err, corr, 1.0 / (h * (double)D * mpq));
            /* and the O(ln D / D) rate itself */
            assert_true(err * D / log((double)D) < 1.5);
        }
        assert_true(prev_err < 2e-4);
    }
}

static void test_entropy_w_edges(void **state)
{
    (void)state;
    const double ln2 = log(2.0);
    /* corners: one vertex per class, w = 0 */
    CHECK_ABS(hl_entropy_w(-1, 0), 0.0, 1e-15);
    CHECK_ABS(hl_entropy_w(1, 0), 0.0, 1e-15);
    CHECK_ABS(hl_entropy_w(0, -1), 0.0, 1e-15);
    CHECK_ABS(hl_entropy_w(0, 1), 0.0, 1e-15);
    /* centre */
    CHECK_ABS(hl_entropy_w(0, 0), ln2, 1e-15);
    /* edge midpoints: s = +-1 or d = +-1, the other 0: w = ln 2 / 2 */
    CHECK_ABS(hl_entropy_w(0.5, 0.5), 0.5 * ln2, 1e-15);
    CHECK_ABS(hl_entropy_w(-0.5, -0.5), 0.5 * ln2, 1e-15);
    CHECK_ABS(hl_entropy_w(0.5, -0.5), 0.5 * ln2, 1e-15);
    CHECK_ABS(hl_entropy_w(-0.5, 0.5), 0.5 * ln2, 1e-15);
    /* a general edge point: s = 1, d = -0.5 (x = 0.25, y = 0.75):
     * w = ln 2 - [2 ln 2 + 0.5 ln 0.5 + 1.5 ln 1.5] / 4 */
    CHECK_ABS(hl_entropy_w(0.25, 0.75),
              ln2 - 0.25 * (2 * ln2 + 0.5 * log(0.5) + 1.5 * log(1.5)), 1e-15);
    /* interior, symmetric under x -> -x and y -> -y */
    CHECK_ABS(hl_entropy_w(0.3, 0.1), hl_entropy_w(-0.3, -0.1), 1e-15);
    CHECK_ABS(hl_entropy_w(0.3, 0.1), hl_entropy_w(0.3, -0.1), 1e-15);
    /* outside the closed square: NaN */
    const double out[][2] = {{0.6, 0.6}, {1.1, 0}, {0, -1.01}, {-0.7, 0.4},
                             {2, 2}, {NAN, 0}, {0, NAN}, {INFINITY, 0}};
    for (size_t k = 0; k < sizeof out / sizeof out[0]; k++)
        assert_true(isnan(hl_entropy_w(out[k][0], out[k][1])));
}

/* ------------------------------------------------------------ bad models */

static void expect_model_error(const char *formula, int status)
{
    hl_model *m = (hl_model *)0x1; /* must be reset to NULL */
    int st = hl_model_create(formula, &m);
    if (st != status) {
        print_error("formula '%s': status %d, expected %d (%s)\n", formula, st,
                    status, hl_errmsg());
        fail();
    }
    assert_null(m);
    assert_true(strlen(hl_errmsg()) > 0);
}

static void test_bad_formulas(void **state)
{
    (void)state;
    /* does not parse, or empty */
    expect_model_error("x+*y", HL_EPARSE);
    expect_model_error("", HL_EPARSE);
    expect_model_error("   ", HL_EPARSE);
    expect_model_error("x+(y", HL_EPARSE);
    /* other variables */
    expect_model_error("x+z", HL_EPARSE);
    assert_non_null(strstr(hl_errmsg(), "z"));
    expect_model_error("t", HL_EPARSE);
    /* not finite somewhere on the closed square */
    expect_model_error("log(x+1)", HL_EDOM);       /* corner x = -1 */
    expect_model_error("1/(x-y)", HL_EDOM);        /* the line x = y */
    expect_model_error("sqrt(1-x)", HL_EDOM);      /* phi' infinite at x = 1 */
    expect_model_error("(1-y)^1.5", HL_EDOM);      /* phi'' infinite at y = 1 */
    expect_model_error("1/(x+y+1)", HL_EDOM);      /* the edge s = -1 */

    /* valid formulas, including ones that only use one or no variable */
    const char *good[] = {"x", "y^2", "0.5", "x+y-(x-y+0.2)^2", "sin(3*x)*y"};
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        hl_model *m = NULL;
        CHECK_OK(hl_model_create(good[k], &m));
        assert_non_null(m);
        assert_string_equal(hl_model_phi_formula(m), good[k]);
        hl_model_free(m);
    }
    assert_int_equal(hl_model_create(NULL, NULL), HL_EINVAL);
}

static void test_status_strings(void **state)
{
    (void)state;
    assert_string_equal(hl_version(), HL_VERSION_STRING);
    const int codes[] = {HL_OK, HL_EINVAL, HL_EDOM, HL_ENOMEM, HL_EPARSE,
                         HL_ENOCONV, HL_EIO, HL_ERANGE, HL_ENOTFOUND};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_true(strlen(hl_strerror(codes[i])) > 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(hl_strerror(codes[i]),
                                    hl_strerror(codes[j]));
    }
    assert_string_equal(hl_strerror(12345), "unknown status");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paper_phi_values),
        cmocka_unit_test(test_phi_min),
        cmocka_unit_test(test_vertex_count_sums_to_2_pow_D),
        cmocka_unit_test(test_vertex_count_exact),
        cmocka_unit_test(test_vertex_count_domain),
        cmocka_unit_test(test_stirling_limit),
        cmocka_unit_test(test_entropy_w_edges),
        cmocka_unit_test(test_bad_formulas),
        cmocka_unit_test(test_status_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
