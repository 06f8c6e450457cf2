/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_exact.c -- exact finite-D thermodynamics (Z = sum W exp(-beta D phi),
 * eqs 4.9, 4.11) and steepest-ascent basins against a brute-force double
 * loop over the classes, for the separable and the general paths, for
 * non-separable user phi, and bad input. */
#include <string.h>

#include "brute.h"

static double phi_nonsep1(double x, double y)
{
    double u = x - y + 0.2;
    return x + y - u * u + 0.38 * u * u * u + 0.3 * x * y;
}

static double phi_nonsep2(double x, double y)
{
    return 0.5 * x * x + x * y - y + 0.2 * sin(3 * x);
}

static double phi_mirror(double x, double y)
{
    double v = y * y - 0.25;
    return 4 * v * v + 0.3 * x;
}

#define NONSEP1 "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.3*x*y"
#define NONSEP2 "0.5*x^2+x*y-y+0.2*sin(3*x)"
#define MIRROR "4*(y^2-0.25)^2 + 0.3*x"

/* ---------------------------------------------------------- comparison */

typedef struct {
    const brute_t *ref;
    char (*names)[16];
    long visited;
    int bad;
} visit_ctx;

static int visit_class(void *vctx, long n, long n1, double x, double y,
                       double ln_q, const char *basin)
{
    visit_ctx *c = vctx;
    const brute_t *r = c->ref;
    long a = n1, b = n - n1;
    c->visited++;
    if (a < 0 || b < 0 || a > r->h || b > r->h) {
        c->bad++;
        return 0;
    }
    double ref_lnq = BQ(r, a, b) - r->lnz;
    const char *ref_name = c->names[BEND(r, a, b)];
    if (fabs(x - brute_x(r->h, (int)a, (int)b)) > 1e-15 ||
        fabs(y - brute_y(r->h, (int)a, (int)b)) > 1e-15 ||
        fabs(ln_q - ref_lnq) > 1e-10 * (1 + fabs(ref_lnq)) ||
        strcmp(basin, ref_name) != 0) {
        if (c->bad < 5)
            print_error("class (a, b) = (%ld, %ld): ln_q %.15g vs %.15g, "
                        "basin '%s' vs '%s'\n",
                        a, b, ln_q, ref_lnq, basin, ref_name);
        c->bad++;
    }
    return 0;
}

/* Compare one library result with the brute force; also checks the
 * per-class distribution and its basin labels. */
static void compare_with_brute(hl_exact *ex, const hl_model *m,
                               const brute_t *r, hl_exact_result *res)
{
    CHECK_OK(hl_exact_compute(ex, r->beta, res));
    assert_int_equal(res->dim, r->D);
    CHECK_ABS(res->beta, r->beta, 0);
    CHECK_NEAR(res->ln_z_per_dim, r->lnz / r->D, 1e-12, 1e-10);
    CHECK_ABS(res->mean_x, r->mean_x, 1e-10);
    CHECK_ABS(res->mean_y, r->mean_y, 1e-10);
    CHECK_ABS(res->mean_phi, r->mean_phi, 1e-10);
    CHECK_ABS(res->mean_w, r->mean_w, 1e-10);
    CHECK_NEAR(res->cov_xx, r->cov_xx, 1e-12, 1e-9);
    CHECK_NEAR(res->cov_xy, r->cov_xy, 1e-12, 1e-9);
    CHECK_NEAR(res->cov_yy, r->cov_yy, 1e-12, 1e-9);
    CHECK_NEAR(res->heat_capacity_per_dim, r->heat, 1e-12, 1e-9);
    assert_true(res->neglected_bound >= 0 && res->neglected_bound < 1e-200);
    assert_true(res->classes_summed <= (long)(r->h + 1) * (r->h + 1));

    /* basins */
    char names[BRUTE_MAX_ENDS][16];
    brute_end_names(r, m, names);
    assert_true(res->n_basins >= 1 && res->n_basins <= HL_MAX_BASINS);
    double psum = 0;
    for (int k = 0; k < res->n_basins; k++) {
        const hl_basin *bs = &res->basins[k];
        int best;
        double lnp = brute_basin_lnp(r, names, bs->name, &best);
        psum += bs->probability;
        CHECK_ABS(bs->probability, exp(lnp), 1e-12);
        if (lnp == -INFINITY) {
            assert_true(bs->probability == 0);
            continue;
        }
        /* (below ~1e-260 the general path's 1e-300 cut-off may matter) */
        if (lnp > -600)
            CHECK_NEAR(bs->ln_probability, lnp, 1e-10, 1e-12);
        /* the class where the best ascent of that basin ends */
        CHECK_ABS(bs->x, brute_x(r->h, r->end_a[best], r->end_b[best]), 1e-15);
        CHECK_ABS(bs->y, brute_y(r->h, r->end_a[best], r->end_b[best]), 1e-15);
    }
    CHECK_ABS(psum, 1.0, 1e-12);
    /* every brute-force basin is reported */
    for (int e = 0; e < r->nends; e++) {
        int found = 0;
        for (int k = 0; k < res->n_basins; k++)
            found |= strcmp(res->basins[k].name, names[e]) == 0;
        assert_true(found);
    }

    /* the class distribution, with its basin labels */
    visit_ctx c = {r, names, 0, 0};
    CHECK_OK(hl_exact_distribution(ex, r->beta, visit_class, &c));
    assert_int_equal(c.bad, 0);
    long expect = 0;
    double lmax = -INFINITY;
    for (int a = 0; a <= r->h; a++)
        for (int b = 0; b <= r->h; b++)
            lmax = fmax(lmax, BQ(r, a, b));
    long lo = 0, hi = 0; /* classes clearly above / not clearly below 1e-300 */
    for (int a = 0; a <= r->h; a++)
        for (int b = 0; b <= r->h; b++) {
            double rel = BQ(r, a, b) - lmax;
            lo += rel > log(1e-300) + 1e-6;
            hi += rel > log(1e-300) - 1e-6;
        }
    expect = lo;
    assert_true(c.visited >= expect && c.visited <= hi);
}

static void run_model(const hl_model *m, int method, int expect_separable,
                      phi_fn phi, const long *dims, size_t ndims,
                      const double *betas, size_t nbetas)
{
    for (size_t i = 0; i < ndims; i++) {
        brute_t *r = brute_new(dims[i]);
        hl_exact *ex = NULL;
        CHECK_OK(hl_exact_create(m, dims[i], method, &ex));
        for (size_t j = 0; j < nbetas; j++) {
            brute_compute(r, phi, betas[j]);
            hl_exact_result res;
            compare_with_brute(ex, m, r, &res);
            assert_int_equal(res.separable_path, expect_separable);
        }
        hl_exact_free(ex);
        brute_free(r);
    }
}

/* ---------------------------------------------------------- tests */

static const long small_dims[] = {10, 20, 40};
static const double paper_betas[] = {0.3, 0.773, 2.0};

static void test_separable_vs_brute(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    run_model(m, HL_EXACT_SEPARABLE, 1, paper_phi, small_dims, 3, paper_betas, 3);
    run_model(m, HL_EXACT_AUTO, 1, paper_phi, small_dims, 3, paper_betas, 3);
    hl_model_free(m);
}

static void test_general_vs_brute(void **state)
{
    (void)state;
    hl_model *m = NULL;
    /* the paper's phi as a user formula: AUTO must take the general path */
    CHECK_OK(hl_model_create(HL_DEFAULT_PHI, &m));
    run_model(m, HL_EXACT_GENERAL, 0, paper_phi, small_dims, 3, paper_betas, 3);
    run_model(m, HL_EXACT_AUTO, 0, paper_phi, small_dims, 3, paper_betas, 3);
    hl_model_free(m);
    /* the built-in phi forced through the general path */
    CHECK_OK(hl_model_create(NULL, &m));
    run_model(m, HL_EXACT_GENERAL, 0, paper_phi, small_dims, 3, paper_betas, 3);
    hl_model_free(m);
}

/* the two paths agree with each other, basin by basin */
static void test_paths_agree_small_D(void **state)
{
    (void)state;
    hl_model *md = NULL, *mu = NULL;
    CHECK_OK(hl_model_create(NULL, &md));
    CHECK_OK(hl_model_create(HL_DEFAULT_PHI, &mu));
    const double betas[] = {0.3, 0.5, 0.773, 1.0, 2.0, 4.0};
    for (size_t i = 0; i < 3; i++) {
        hl_exact *es = NULL, *eg = NULL;
        CHECK_OK(hl_exact_create(md, small_dims[i], HL_EXACT_SEPARABLE, &es));
        CHECK_OK(hl_exact_create(mu, small_dims[i], HL_EXACT_GENERAL, &eg));
        for (size_t j = 0; j < sizeof betas / sizeof betas[0]; j++) {
            hl_exact_result rs, rg;
            CHECK_OK(hl_exact_compute(es, betas[j], &rs));
            CHECK_OK(hl_exact_compute(eg, betas[j], &rg));
            assert_int_equal(rs.separable_path, 1);
            assert_int_equal(rg.separable_path, 0);
            CHECK_REL(rg.ln_z_per_dim, rs.ln_z_per_dim, 1e-12);
            CHECK_ABS(rg.mean_x, rs.mean_x, 1e-12);
            CHECK_ABS(rg.mean_y, rs.mean_y, 1e-12);
            CHECK_ABS(rg.heat_capacity_per_dim, rs.heat_capacity_per_dim,
                      1e-10 * (1 + rs.heat_capacity_per_dim));
            double ps = 0, pg = 0;
            for (int k = 0; k < rs.n_basins; k++) {
                ps += rs.basins[k].probability;
                int found = 0;
                for (int q = 0; q < rg.n_basins; q++)
                    if (strcmp(rg.basins[q].name, rs.basins[k].name) == 0) {
                        found = 1;
                        CHECK_ABS(rg.basins[q].probability,
                                  rs.basins[k].probability, 1e-12);
                    }
                /* the separable path always lists liquid and crystal; the
                 * general one only names continuous maxima */
                if (!found)
                    CHECK_ABS(rs.basins[k].probability, 0.0, 0);
            }
            for (int q = 0; q < rg.n_basins; q++)
                pg += rg.basins[q].probability;
            CHECK_ABS(ps, 1.0, 1e-12);
            CHECK_ABS(pg, 1.0, 1e-12);
        }
        hl_exact_free(es);
        hl_exact_free(eg);
    }
    hl_model_free(md);
    hl_model_free(mu);
}

static void test_nonseparable_vs_brute(void **state)
{
    (void)state;
    const long dims[] = {30, 60};
    const double betas[] = {0.5, 1.0, 2.0};
    const char *formulas[] = {NONSEP1, NONSEP2};
    phi_fn fns[] = {phi_nonsep1, phi_nonsep2};
    for (int f = 0; f < 2; f++) {
        hl_model *m = NULL;
        CHECK_OK(hl_model_create(formulas[f], &m));
        run_model(m, HL_EXACT_GENERAL, 0, fns[f], dims, 2, betas, 3);
        run_model(m, HL_EXACT_AUTO, 0, fns[f], dims, 1, betas, 3);
        /* the separable path is only for the paper's phi */
        hl_exact *ex = (hl_exact *)0x1;
        int st = hl_exact_create(m, 30, HL_EXACT_SEPARABLE, &ex);
        assert_true(st < 0);
        assert_null(ex);
        assert_true(strlen(hl_errmsg()) > 0);
        hl_model_free(m);
    }
    /* even the paper's formula typed in is a user formula */
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(HL_DEFAULT_PHI, &m));
    hl_exact *ex = (hl_exact *)0x1;
    assert_true(hl_exact_create(m, 30, HL_EXACT_SEPARABLE, &ex) < 0);
    assert_null(ex);
    hl_model_free(m);
}

/* D/2 + 1 > 32: several leaves of the general path's quadtree, ascents that
 * cross leaf borders, and (at D = 1000, beta = 2) blocks dropped below
 * 1e-300 of the largest class */
static void test_general_many_leaves_vs_brute(void **state)
{
    (void)state;
    const long dims[] = {100, 200, 1000};
    const double betas[] = {0.773, 2.0};
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(HL_DEFAULT_PHI, &m));
    run_model(m, HL_EXACT_GENERAL, 0, paper_phi, dims, 3, betas, 2);
    hl_model_free(m);
    CHECK_OK(hl_model_create(NULL, &m));
    run_model(m, HL_EXACT_SEPARABLE, 1, paper_phi, dims, 3, betas, 2);
    hl_model_free(m);
    const char *formulas[] = {NONSEP1, NONSEP2};
    phi_fn fns[] = {phi_nonsep1, phi_nonsep2};
    for (int f = 0; f < 2; f++) {
        CHECK_OK(hl_model_create(formulas[f], &m));
        run_model(m, HL_EXACT_GENERAL, 0, fns[f], dims, 3, betas, 2);
        hl_model_free(m);
    }
    hl_exact_result res;
    hl_exact *ex = NULL;
    CHECK_OK(hl_model_create(NONSEP1, &m));
    CHECK_OK(hl_exact_create(m, 1000, HL_EXACT_GENERAL, &ex));
    CHECK_OK(hl_exact_compute(ex, 2.0, &res));
    assert_true(res.classes_summed < 501L * 501L); /* something was dropped */
    assert_true(res.neglected_bound > 0 && res.neglected_bound < 1e-250);
    hl_exact_free(ex);
    hl_model_free(m);
}

/* phi(x, y) = phi(x, -y): two mirror basins; on the line a = b the ascent
 * meets exact ties (a+1 vs b+1, a-1 vs b-1), broken by the documented order */
static void test_mirror_basins_vs_brute(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(MIRROR, &m));
    const long dims[] = {20, 40, 60, 200};
    const double betas[] = {2.0, 3.0};
    run_model(m, HL_EXACT_GENERAL, 0, phi_mirror, dims, 3, betas, 2);
    /* the mirror image of the distribution: P(y > 0) = P(y < 0) exactly, so
     * the two basins differ only by how the ties on y = 0 are broken */
    brute_t *r = brute_new(40);
    brute_compute(r, phi_mirror, 2.0);
    lse_acc up, down, line;
    lse_init(&up);
    lse_init(&down);
    lse_init(&line);
    for (int a = 0; a <= r->h; a++)
        for (int b = 0; b <= r->h; b++)
            lse_add(a > b ? &up : a < b ? &down : &line, BQ(r, a, b) - r->lnz);
    CHECK_REL(lse_value(&up), lse_value(&down), 1e-12);
    hl_exact *ex = NULL;
    CHECK_OK(hl_exact_create(m, 40, HL_EXACT_AUTO, &ex));
    hl_exact_result res;
    CHECK_OK(hl_exact_compute(ex, 2.0, &res));
    int nonzero = 0;
    double pmin = 1, pmax = 0;
    for (int k = 0; k < res.n_basins; k++)
        if (res.basins[k].probability > 0) {
            nonzero++;
            pmin = fmin(pmin, res.basins[k].probability);
            pmax = fmax(pmax, res.basins[k].probability);
        }
    assert_int_equal(nonzero, 2);
    /* |P1 - P2| is at most the weight of the line y = 0 */
    assert_true(pmax - pmin <= exp(lse_value(&line)) + 1e-12);
    hl_exact_free(ex);
    brute_free(r);
    hl_model_free(m);
}

/* A user phi with nine or more maxima of f (once more than the basin table held):
 * the result must either be refused or still account for all of Z. */
static void test_more_maxima_than_basin_slots(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create("-cos(8*x)*cos(8*y) - 0.5*x", &m));
    const double betas[] = {1.0, 3.0};
    for (int i = 0; i < 2; i++) {
        hl_stationary mx[16];
        size_t n = 0;
        CHECK_OK(hl_maxima_at(m, betas[i], mx, 16, &n));
        assert_true(n >= 9); /* more maxima than the old limit of 8 basins */
        hl_exact *ex = NULL;
        CHECK_OK(hl_exact_create(m, 200, HL_EXACT_AUTO, &ex));
        hl_exact_result r;
        int st = hl_exact_compute(ex, betas[i], &r);
        if (st == HL_OK) {
            double ps = 0;
            for (int k = 0; k < r.n_basins; k++)
                ps += r.basins[k].probability;
            if (fabs(ps - 1) > 1e-12)
                print_error("beta = %g: %zu maxima, %d basins reported, "
                            "their probabilities sum to %.6g\n",
                            betas[i], n, r.n_basins, ps);
            CHECK_ABS(ps, 1.0, 1e-12);
        } else {
            assert_true(st < 0 && strlen(hl_errmsg()) > 0);
        }
        hl_exact_free(ex);
    }
    hl_model_free(m);
}

/* ---------------------------------------------------------- bad input */

static void test_exact_bad_input(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_exact *ex = (hl_exact *)0x1;
    const long bad_dims[] = {0, 1, 3, 101, -10, 1000001, 1000002};
    for (size_t k = 0; k < sizeof bad_dims / sizeof bad_dims[0]; k++) {
        assert_int_equal(hl_exact_create(m, bad_dims[k], HL_EXACT_AUTO, &ex), HL_EDOM);
        assert_null(ex);
        assert_true(strlen(hl_errmsg()) > 0);
    }
    assert_int_equal(hl_exact_create(NULL, 10, HL_EXACT_AUTO, &ex), HL_EINVAL);
    CHECK_OK(hl_exact_create(m, 10, HL_EXACT_AUTO, &ex));
    hl_model *mu = NULL;
    CHECK_OK(hl_model_create(NONSEP2, &mu));
    hl_exact *eg = NULL;
    CHECK_OK(hl_exact_create(mu, 10, HL_EXACT_GENERAL, &eg));
    const double bad_beta[] = {NAN, -1.0, 0.0, -0.0, INFINITY, -INFINITY};
    hl_exact_result res;
    hl_stationary mx[4];
    size_t n;
    for (size_t k = 0; k < sizeof bad_beta / sizeof bad_beta[0]; k++) {
        assert_int_equal(hl_exact_compute(ex, bad_beta[k], &res), HL_EDOM);
        assert_true(strlen(hl_errmsg()) > 0);
        assert_int_equal(hl_exact_compute(eg, bad_beta[k], &res), HL_EDOM);
        assert_int_equal(hl_maxima_at(m, bad_beta[k], mx, 4, &n), HL_EDOM);
        assert_int_equal(hl_maxima_at(mu, bad_beta[k], mx, 4, &n), HL_EDOM);
    }
    assert_int_equal(hl_exact_compute(ex, 0.5, NULL), HL_EINVAL);
    assert_int_equal(hl_exact_distribution(ex, 0.5, NULL, NULL), HL_EINVAL);
    /* melting brackets */
    double bm = -1;
    assert_int_equal(hl_exact_melting(ex, 1.0, 0.5, &bm), HL_EDOM);
    assert_int_equal(hl_exact_melting(ex, -1.0, 0.5, &bm), HL_EDOM);
    assert_int_equal(hl_exact_melting(ex, 0.5, INFINITY, &bm), HL_EDOM);
    assert_int_equal(hl_exact_melting(ex, NAN, 1.0, &bm), HL_EDOM);
    hl_exact *e1000 = NULL;
    CHECK_OK(hl_exact_create(m, 1000, HL_EXACT_AUTO, &e1000));
    /* the crystal dominates everywhere in [1.5, 2.5]: no melting there */
    assert_int_equal(hl_exact_melting(e1000, 1.5, 2.5, &bm), HL_ENOTFOUND);
    assert_true(strlen(hl_errmsg()) > 0);
    hl_exact_free(e1000);
    /* a visitor that stops the walk */
    hl_exact_free(eg);
    hl_exact_free(ex);
    hl_exact_free(NULL);
    hl_model_free(mu);
    hl_model_free(m);
}

static int stop_at_three(void *ctx, long n, long n1, double x, double y,
                         double ln_q, const char *basin)
{
    (void)n, (void)n1, (void)x, (void)y, (void)ln_q, (void)basin;
    return ++*(int *)ctx >= 3;
}

static void test_distribution_visitor_stop(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    for (int method = HL_EXACT_GENERAL; method <= HL_EXACT_SEPARABLE; method++) {
        hl_exact *ex = NULL;
        CHECK_OK(hl_exact_create(m, 20, method, &ex));
        int calls = 0;
        assert_int_equal(hl_exact_distribution(ex, 1.0, stop_at_three, &calls),
                         HL_EINVAL);
        assert_int_equal(calls, 3);
        hl_exact_free(ex);
    }
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_separable_vs_brute),
        cmocka_unit_test(test_general_vs_brute),
        cmocka_unit_test(test_paths_agree_small_D),
        cmocka_unit_test(test_nonseparable_vs_brute),
        cmocka_unit_test(test_general_many_leaves_vs_brute),
        cmocka_unit_test(test_mirror_basins_vs_brute),
        cmocka_unit_test(test_more_maxima_than_basin_slots),
        cmocka_unit_test(test_exact_bad_input),
        cmocka_unit_test(test_distribution_visitor_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
