/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_sectors.c -- the full hypercube by symmetry sectors (sectors.h):
 * exact multiplicities against Python's big integers, the whole spectrum
 * against a dense LAPACK eigen-decomposition of the 2^D generator (the
 * matrix-free product of master.c, an independent construction of the eq
 * 5.2 rates), sector (0, 0) against the contracted spectrum, the
 * monotonicity of the sectors' slowest rates that the skipping relies on,
 * and the example of issue 8 (7 copies of a repeated rate). */
#include "test_util.h"

#include <string.h>

#include <lapacke.h>

#define PHI_NONSEP "x*y+0.3*x^2"
#define TRANS "exp(-x^2)*(1+0.5*y)"

/* d(h, k) = C(h, k) - C(h, k-1) in doubles (exact below 2^53) */
static double irrep_dim(long h, long k)
{
    double c = 1, cm = 0;
    for (long i = 1; i <= k; i++) {
        cm = c;
        c = c * (double)(h - i + 1) / (double)i;
    }
    return k > 0 ? c - cm : 1;
}

static void test_multiplicity(void **state)
{
    (void)state;
    char buf[700];
    assert_int_equal(hl_sector_multiplicity(200, 2, 3, buf, sizeof buf), 9);
    assert_string_equal(buf, "760237500");
    assert_int_equal(hl_sector_multiplicity(200, 1, 0, buf, sizeof buf), 2);
    assert_string_equal(buf, "99");
    assert_int_equal(hl_sector_multiplicity(200, 0, 0, buf, sizeof buf), 1);
    assert_string_equal(buf, "1");
    /* Catalan(50)^2 (Python: (comb(100,50) - comb(100,49))**2) */
    hl_sector_multiplicity(200, 50, 50, buf, sizeof buf);
    assert_string_equal(buf, "3913519186548152904763721153930400993336454107958095936");
    /* beyond 64 bits at D = 136: d(68, 8)^2 = 41249352277418066496 > 2^64 */
    hl_sector_multiplicity(136, 8, 8, buf, sizeof buf);
    assert_string_equal(buf, "41249352277418066496");
    hl_sector_multiplicity(136, 7, 8, buf, sizeof buf);
    assert_string_equal(buf, "5523346014018243840");
    /* 607 digits: D = 4000, sector (1000, 3) */
    assert_int_equal(hl_sector_multiplicity(4000, 1000, 3, buf, sizeof buf), 607);
    assert_int_equal(strncmp(buf, "2719959683380692616788944301598416643748", 40), 0);
    assert_string_equal(buf + 567, "7013272599813280770815828193980235200000");
    CHECK_REL(hl_sector_ln_multiplicity(4000, 1000, 3), log(2.719959683380692616788944) +
                                                          606 * log(10.0), 1e-13);
    /* snprintf semantics: truncated, still terminated; size 0 only counts */
    char small[5];
    assert_int_equal(hl_sector_multiplicity(200, 2, 3, small, sizeof small), 9);
    assert_string_equal(small, "7602");
    assert_int_equal(hl_sector_multiplicity(200, 2, 3, NULL, 0), 9);
    /* bad sectors and dimensions */
    assert_int_equal(hl_sector_multiplicity(200, 51, 0, buf, sizeof buf), HL_EDOM);
    assert_int_equal(hl_sector_multiplicity(200, -1, 0, buf, sizeof buf), HL_EDOM);
    assert_int_equal(hl_sector_multiplicity(201, 0, 0, buf, sizeof buf), HL_EDOM);
    assert_true(isnan(hl_sector_ln_multiplicity(200, 0, 51)));
    /* the sectors fill the hypercube: sum of size x multiplicity = 2^D,
     * and the multiplicity is d(h, k1) d(h, k2) */
    for (long D = 2; D <= 62; D += 2) {
        long h = D / 2;
        uint64_t total = 0;
        for (long k1 = 0; k1 <= h / 2; k1++)
            for (long k2 = 0; k2 <= h / 2; k2++) {
                int len = hl_sector_multiplicity(D, k1, k2, buf, sizeof buf);
                assert_true(len > 0 && len < 20);
                uint64_t mu = strtoull(buf, NULL, 10);
                total += mu * (uint64_t)hl_sector_size(D, k1, k2);
                double ref = irrep_dim(h, k1) * irrep_dim(h, k2);
                CHECK_REL((double)mu, ref, 1e-12);
                CHECK_REL(hl_sector_ln_multiplicity(D, k1, k2), log(ref), 1e-12);
            }
        assert_true(total == (uint64_t)1 << D);
    }
}

/* every eigenvalue of the 2^D generator (dense dsyev of the matrix-free
 * product) against the sectors' rates with multiplicity */
static void check_against_dense(const hl_model *m, long D, double beta)
{
    hl_generator *g = NULL;
    CHECK_OK(hl_generator_create(m, D, beta, HL_FULL, &g));
    long n = hl_generator_size(g);
    double *a = malloc(sizeof(double) * (size_t)(n * n)), *w = malloc(sizeof(double) * (size_t)n);
    assert_non_null(a);
    assert_non_null(w);
    CHECK_OK(hl_generator_dense(g, a));
    double norm = 0;
    for (long i = 0; i < n; i++)
        norm = fmax(norm, 2 * fabs(a[i * n + i]));
    assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int)n, a, (lapack_int)n, w),
                     0);
    hl_generator_free(g);
    double *r = malloc(sizeof(double) * (size_t)n), *l = malloc(sizeof(double) * (size_t)n);
    hl_sector_rate *dist = malloc(sizeof(hl_sector_rate) * (size_t)n);
    hl_sectors_info info;
    CHECK_OK(hl_full_spectrum_sectors(m, D, beta, (int)n, r, l, dist, &info));
    long h = D / 2;
    assert_int_equal(info.sectors_total, (h / 2 + 1) * (h / 2 + 1));
    double tol = 1e-11 * norm;
    for (long i = 0; i < n; i++) {
        if (isnan(r[i])) { /* unresolved: only where the dense value is round-off too */
            assert_true(w[i] < 1e3 * tol);
            continue;
        }
        if (fabs(r[i] - w[i]) > tol)
            print_error("D = %ld, beta = %g, %s, B = %s: rate %ld = %.15g, dense %.15g\n", D,
                        beta, hl_model_phi_formula(m), hl_model_transmission_formula(m), i, r[i],
                        w[i]);
        CHECK_ABS(r[i], w[i], tol);
        if (i > 0)
            assert_true(r[i] >= r[i - 1] || isnan(r[i - 1]));
        if (i == 0)
            assert_true(r[0] == 0 && l[0] == -INFINITY);
        else
            CHECK_ABS(l[i], log(r[i]), 1e-13);
    }
    /* multiplicities: the dense eigenvalues near each distinct rate number
     * the multiplicities of the distinct rates there (clusters of equal
     * rates of different sectors counted together) */
    long copies = 0;
    for (long q = 0; q < info.n_distinct; q++) {
        copies += dist[q].copies;
        char buf[64];
        assert_true(hl_sector_multiplicity(D, dist[q].k1, dist[q].k2, buf, sizeof buf) > 0);
        CHECK_REL(exp(dist[q].ln_multiplicity), strtod(buf, NULL), 1e-12);
        if (isnan(dist[q].rate))
            continue;
        double want = 0;
        for (long p = 0; p < info.n_distinct; p++)
            if (fabs(dist[p].rate - dist[q].rate) <= 2 * tol)
                want += exp(dist[p].ln_multiplicity);
        long got = 0;
        for (long i = 0; i < n; i++)
            got += fabs(w[i] - dist[q].rate) <= 2 * tol;
        CHECK_REL((double)got, want, 1e-12);
    }
    assert_int_equal(copies, n);
    free(a);
    free(w);
    free(r);
    free(l);
    free(dist);
}

static void test_against_dense(void **state)
{
    (void)state;
    hl_model *md = NULL, *mn = NULL, *mt = NULL;
    CHECK_OK(hl_model_create(NULL, &md));
    CHECK_OK(hl_model_create(PHI_NONSEP, &mn));
    CHECK_OK(hl_model_create(NULL, &mt));
    CHECK_OK(hl_model_set_transmission(mt, TRANS));
    const hl_model *ms[3] = {md, mn, mt};
    for (long D = 4; D <= 10; D += 2)
        for (int q = 0; q < 3; q++) {
            check_against_dense(ms[q], D, 0.6);
            check_against_dense(ms[q], D, 1.7);
        }
    hl_model_free(md);
    hl_model_free(mn);
    hl_model_free(mt);
}

/* sector (0, 0), from its own chain, is the contracted chain */
static void check_sector00(const hl_model *m, long D, double beta, int k)
{
    double rs[16], ls[16], rc[16], lc[16], res = 0;
    hl_spectrum_info info;
    CHECK_OK(hl_sector_spectrum(m, D, beta, 0, 0, k, rs, ls, &res));
    CHECK_OK(hl_spectrum(m, D, beta, HL_CONTRACTED, k, rc, lc, NULL, &info));
    assert_true(rs[0] == 0 && rc[0] == 0);
    for (int q = 1; q < k; q++) {
        if (isnan(rs[q]))
            continue; /* below the grid chain's resolution */
        CHECK_REL(rs[q], rc[q], 1e-9);
    }
}

/* the sector chains at low temperature: relative accuracy where the
 * generator's norm is ~1e21 (issue 8, item 1's right values for the
 * contracted chain = sector (0, 0), from the bidiagonal factor of each
 * one-dimensional chain, independently of hl_spectrum) */
static void test_low_temperature(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    double r[6], l[6], res;
    CHECK_OK(hl_sector_spectrum(m, 20, 10, 0, 0, 6, r, l, &res));
    CHECK_REL(r[2], 537.695444625916, 1e-13);
    CHECK_REL(r[3], 96900.4262202234, 1e-13);
    CHECK_REL(r[4], 4100470.62528, 1e-11);
    CHECK_REL(r[5], 6018173.47135, 1e-11);
    CHECK_OK(hl_sector_spectrum(m, 1000, 5, 0, 0, 3, r, l, &res));
    CHECK_REL(r[2], 38.3247708256169, 1e-13);
    /* and the whole spectrum there: rates 2.. of sector (0, 0) among them */
    double rf[12], lf[12];
    hl_sector_rate d[12];
    hl_sectors_info info;
    CHECK_OK(hl_full_spectrum_sectors(m, 20, 10, 12, rf, lf, d, &info));
    int found = 0;
    for (int q = 0; q < 12; q++)
        found += fabs(rf[q] - 537.695444625916) < 1e-9;
    assert_int_equal(found, 1);
    hl_model_free(m);
}

static void test_sector00_is_contracted(void **state)
{
    (void)state;
    hl_model *md = NULL, *mn = NULL;
    CHECK_OK(hl_model_create(NULL, &md));
    CHECK_OK(hl_model_create(PHI_NONSEP, &mn));
    CHECK_OK(hl_model_set_transmission(mn, TRANS));
    check_sector00(md, 40, 0.6, 8);
    check_sector00(md, 200, 0.6, 8);
    check_sector00(mn, 30, 0.9, 8);
    check_sector00(mn, 90, 0.5, 6); /* beyond the dense limits: sparse paths */
    hl_model_free(md);
    hl_model_free(mn);
}

/* the slowest rate of sector (k1, k2) does not decrease with k1 or k2
 * (what the skipping relies on), over every sector */
static void check_monotone(const hl_model *m, long D, double beta)
{
    long h = D / 2, K = h / 2 + 1;
    double *low = malloc(sizeof(double) * (size_t)(K * K));
    for (long k1 = 0; k1 < K; k1++)
        for (long k2 = 0; k2 < K; k2++) {
            double r[2], l[2], res;
            int k = k1 == 0 && k2 == 0 ? 1 : 1;
            CHECK_OK(hl_sector_spectrum(m, D, beta, k1, k2, k, r, l, &res));
            low[k1 * K + k2] = r[0];
            assert_false(isnan(r[0]));
        }
    for (long k1 = 0; k1 < K; k1++)
        for (long k2 = 0; k2 < K; k2++) {
            double v = low[k1 * K + k2];
            if (k1 > 0)
                assert_true(v >= low[(k1 - 1) * K + k2] * (1 - 1e-12));
            if (k2 > 0)
                assert_true(v >= low[k1 * K + k2 - 1] * (1 - 1e-12));
            if (k1 + k2 > 0) /* with an exit, no zero rate */
                assert_true(v > 0);
        }
    free(low);
}

static void test_monotone(void **state)
{
    (void)state;
    hl_model *md = NULL, *mn = NULL, *mt = NULL, *mw = NULL;
    CHECK_OK(hl_model_create(NULL, &md));
    CHECK_OK(hl_model_create(PHI_NONSEP, &mn));
    CHECK_OK(hl_model_create(NULL, &mt));
    CHECK_OK(hl_model_set_transmission(mt, TRANS));
    CHECK_OK(hl_model_create("0.4*sin(6*x)*cos(5*y)-x", &mw)); /* rugged */
    CHECK_OK(hl_model_set_transmission(mw, "exp(-2*(1+x)/T)+0.01"));
    const hl_model *ms[4] = {md, mn, mt, mw};
    for (int q = 0; q < 4; q++) {
        check_monotone(ms[q], 20, 0.4);
        check_monotone(ms[q], 24, 1.2);
    }
    check_monotone(md, 60, 0.8);
    hl_model_free(md);
    hl_model_free(mn);
    hl_model_free(mt);
    hl_model_free(mw);
}

/* Issue 8, item 2: D = 16, beta = 0.6: 0, 0.046460921816, 2.704234656700,
 * 3.124393908933 seven times, 3.621311134649, ...; the same prefix
 * whatever the count. */
static void test_issue_example(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    double r[40], l[40];
    hl_sector_rate d[40];
    hl_sectors_info info;
    CHECK_OK(hl_full_spectrum_sectors(m, 16, 0.6, 12, r, l, d, &info));
    assert_true(r[0] == 0);
    CHECK_REL(r[1], 0.046460921816, 1e-11);
    CHECK_REL(r[2], 2.704234656700, 1e-12);
    for (int q = 3; q < 10; q++)
        CHECK_REL(r[q], 3.124393908933, 1e-12);
    CHECK_REL(r[10], 3.621311134649, 1e-12);
    /* distinct: 0, 0.046, 2.70 from (0, 0), 3.12 x 7 from (1, 0) or (0, 1) */
    assert_true(info.n_distinct >= 5);
    assert_int_equal(d[3].k1 + d[3].k2, 1);
    assert_int_equal(d[3].copies, 7);
    CHECK_REL(d[3].ln_multiplicity, log(7.0), 1e-14);
    assert_int_equal(d[0].k1 + d[0].k2 + d[1].k1 + d[1].k2 + d[2].k1 + d[2].k2, 0);
    /* other counts give the same prefix */
    int counts[3] = {4, 11, 40};
    for (int c = 0; c < 3; c++) {
        double r2[40], l2[40];
        hl_sector_rate d2[40];
        CHECK_OK(hl_full_spectrum_sectors(m, 16, 0.6, counts[c], r2, l2, d2, &info));
        for (int q = 1; q < counts[c] && q < 12; q++)
            CHECK_REL(r2[q], r[q], 1e-13);
    }
    hl_model_free(m);
}

/* a large D: fast, sector (0, 0) gives the contracted spectrum, and the
 * other sectors' rates are the next ones */
static void test_large_dim(void **state)
{
    (void)state;
    hl_model *m = NULL, *mn = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    CHECK_OK(hl_model_create(PHI_NONSEP, &mn));
    enum { K = 30 };
    double r[K], l[K], rc[K], lc[K];
    hl_sector_rate d[K];
    hl_sectors_info info;
    hl_spectrum_info ci;
    const hl_model *ms[2] = {m, mn};
    long dims[2] = {200, 130}; /* 130: sparse paths (4356 classes) */
    for (int t = 0; t < 2; t++) {
        long D = dims[t];
        clock_t c0 = clock();
        CHECK_OK(hl_full_spectrum_sectors(ms[t], D, 0.6, K, r, l, d, &info));
        double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
        assert_true(secs < 30);
        assert_true(info.sectors_solved < info.sectors_total / 10);
        CHECK_OK(hl_spectrum(ms[t], D, 0.6, HL_CONTRACTED, K, rc, lc, NULL, &ci));
        /* every (0, 0) entry is the contracted rate of its index, and the
         * contracted rates below the first other sector are all there */
        long n00 = 0;
        double first_other = INFINITY;
        for (long q = 0; q < info.n_distinct; q++) {
            if (d[q].k1 == 0 && d[q].k2 == 0) {
                if (d[q].index == 0)
                    assert_true(d[q].rate == 0);
                else
                    CHECK_REL(d[q].rate, rc[d[q].index], 1e-13);
                assert_int_equal(d[q].index, n00);
                n00++;
            } else {
                first_other = fmin(first_other, d[q].rate);
            }
            if (q > 0)
                assert_true(d[q].rate >= d[q - 1].rate * (1 - 1e-14));
        }
        for (long i = 0; i < K && rc[i] < first_other; i++)
            assert_true(i < n00);
        /* sector (1, 0) has multiplicity h - 1 */
        for (long q = 0; q < info.n_distinct; q++)
            if (d[q].k1 == 1 && d[q].k2 == 0)
                CHECK_REL(d[q].ln_multiplicity, log((double)(D / 2 - 1)), 1e-14);
        /* beyond 64 bits among the distinct rates: sector (k1, k2) with
         * k1 + k2 large enough appears when K distinct rates reach it */
    }
    hl_model_free(m);
    hl_model_free(mn);
}

static void test_bad_input(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    double r[20], l[20];
    hl_sector_rate d[20];
    hl_sectors_info info;
    assert_int_equal(hl_full_spectrum_sectors(m, 4, 1.0, 17, r, l, d, &info), HL_EDOM);
    assert_int_equal(hl_full_spectrum_sectors(m, 4, 1.0, 0, r, l, d, &info), HL_EDOM);
    assert_int_equal(hl_full_spectrum_sectors(m, 5, 1.0, 2, r, l, d, &info), HL_EDOM);
    assert_int_equal(hl_full_spectrum_sectors(m, 4, NAN, 2, r, l, d, &info), HL_EDOM);
    assert_int_equal(hl_full_spectrum_sectors(m, 4, 1.0, 2, NULL, l, d, &info), HL_EINVAL);
    assert_int_equal(hl_sector_spectrum(m, 20, 1.0, 6, 0, 1, r, l, NULL), HL_EDOM);
    assert_int_equal(hl_sector_spectrum(m, 20, 1.0, 5, 5, 2, r, l, NULL), HL_EDOM); /* 1 state */
    assert_int_equal(hl_sector_spectrum(m, 20, -1.0, 1, 1, 1, r, l, NULL), HL_EDOM);
    /* all 16 rates of D = 4 */
    CHECK_OK(hl_full_spectrum_sectors(m, 4, 1.0, 16, r, l, d, &info));
    assert_int_equal(info.n_distinct, 16);
    assert_int_equal(info.sectors_solved, 4);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multiplicity),
        cmocka_unit_test(test_against_dense),
        cmocka_unit_test(test_sector00_is_contracted),
        cmocka_unit_test(test_low_temperature),
        cmocka_unit_test(test_monotone),
        cmocka_unit_test(test_issue_example),
        cmocka_unit_test(test_large_dim),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
