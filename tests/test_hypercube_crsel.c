/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_hypercube_crsel.c -- the composition-rejection event selection of
 * the disordered hypercube (src/kinetics/hypercube_kmc_crsel.c): the
 * selection frequencies against the exact probabilities f_i / F by
 * chi-square tests, over each group and within each bin (factors spread
 * over 2^-9 .. 2^9, several spins per bin with different mantissas,
 * configurations changed by flips between the tests: a sampler with a
 * wrong bound or a stale structure fails), the
 * group sums over 10^7 flips against sums from scratch (no drift: the bin
 * sums are exact integers) and against long double sums of the factors,
 * and subnormal and huge factors. */
#include "test_util.h"

#include <string.h>

#include "hypercube_kmc_private.h"

static uint64_t xs = 0x2545F4914F6CDD1DULL;
static double urand(void)
{
    xs ^= xs << 13;
    xs ^= xs >> 7;
    xs ^= xs << 17;
    return (double)(xs >> 11) * 0x1p-53;
}

/* the upper 1e-6 quantile of chi-square with k degrees of freedom
 * (Wilson-Hilferty, z = 4.753) */
static double chi2_crit(double k)
{
    double a = 2.0 / (9.0 * k), z = 4.753;
    double c = 1.0 - a + z * sqrt(a);
    return k * c * c * c;
}

/* chi-square of `draws` picks of (half, way) against f / F; the spins of
 * the way are those with sg < 0 (way 0) or > 0 (way 1) */
static void chi2_way(hl_crsel *cr, const double *f, const signed char *sg, long h, int half,
                     int way, long draws, hl_rng_stream *rs, const char *what)
{
    double *cnt = calloc((size_t)h, sizeof(double));
    long double F = 0.0L;
    long members = 0;
    for (long j = 0; j < h; j++)
        if ((sg[half * h + j] > 0) == way) {
            F += f[half * h + j];
            members++;
        }
    if (members == 0) {
        assert_true(cr->half[half].F[way] == 0.0);
        assert_int_equal(hl_crsel_pick(cr, half, way, 0.0, rs), -1);
        free(cnt);
        return;
    }
    CHECK_NEAR(cr->half[half].F[way], (double)F, 0, 1e-14);
    for (long n = 0; n < draws; n++) {
        long j = hl_crsel_pick(cr, half, way, urand() * cr->half[half].F[way], rs);
        assert_true(j >= 0 && j < h);
        if ((sg[half * h + j] > 0) != way)
            fail_msg("%s: picked spin %ld of the other way", what, j);
        cnt[j] += 1.0;
    }
    double chi2 = 0.0;
    for (long j = 0; j < h; j++)
        if ((sg[half * h + j] > 0) == way) {
            double e = (double)draws * (double)(f[half * h + j] / F);
            chi2 += (cnt[j] - e) * (cnt[j] - e) / e;
        }
    double crit = members > 1 ? chi2_crit((double)(members - 1)) : 1e-9;
    if (chi2 > crit)
        fail_msg("%s: half %d way %d, %ld spins: chi2 = %.1f > %.1f (p < 1e-6)", what, half, way,
                 members, chi2, crit);
    free(cnt);
}

/* within each bin of (half, way): u restricted to the bin's interval of
 * the scan, the members' frequencies against f / S_bin (the rejection
 * stage: a wrong bound or acceptance fails here) */
static void chi2_bins(hl_crsel *cr, const double *f, const signed char *sg, long h, int half,
                      int way, long draws, hl_rng_stream *rs, const char *what)
{
    hl_crhalf *c = &cr->half[half];
    double *cnt = calloc((size_t)h, sizeof(double)), lo = 0.0;
    for (int k = 0; k < c->nb; k++) {
        double S = c->S[2 * k + way], hi = lo + S;
        const hl_crbin *B = &c->bin[k];
        long members = way ? B->size - B->nneg : B->nneg;
        if (members < 2 || !(hi - lo > 1e-9 * hi)) {
            lo = hi;
            continue;
        }
        memset(cnt, 0, sizeof(double) * (size_t)h);
        long double Sx = 0.0L;
        long first = B->start + (way ? B->nneg : 0);
        for (long e = first; e < first + members; e++)
            Sx += f[half * h + (long)c->e[e].spin];
        long n = 0;
        while (n < draws) {
            double u = lo + urand() * (hi - lo);
            if (!(u < hi))
                continue;
            long j = hl_crsel_pick(cr, half, way, u, rs);
            assert_true(j >= 0 && j < h);
            if ((sg[half * h + j] > 0) != way || ldexp(1.0, B->b) > f[half * h + j] ||
                f[half * h + j] >= ldexp(1.0, B->b + 1))
                fail_msg("%s: u in bin 2^%d picked spin %ld of factor %g", what, B->b, j,
                         f[half * h + j]);
            cnt[j] += 1.0;
            n++;
        }
        double chi2 = 0.0;
        for (long e = first; e < first + members; e++) {
            long j = (long)c->e[e].spin;
            double ex = (double)draws * (double)(f[half * h + j] / Sx);
            chi2 += (cnt[j] - ex) * (cnt[j] - ex) / ex;
        }
        double crit = chi2_crit((double)(members - 1));
        if (chi2 > crit)
            fail_msg("%s: half %d way %d bin 2^%d, %ld spins: chi2 = %.1f > %.1f (p < 1e-6)",
                     what, half, way, B->b, members, chi2, crit);
        lo = hi;
    }
    free(cnt);
}

/* factors: log-uniform over 2^-9 .. 2^9 (19 bins), and two bins of three
 * spins each with mantissas near 1 and near 2 (a bound of 2^(b+1) would
 * still be exact, a bound below the largest factor would not) */
static void wide_factors(double *f, long D)
{
    for (long i = 0; i < D; i++)
        f[i] = exp2(18.0 * urand() - 9.0);
    long h = D / 2;
    for (int half = 0; half < 2; half++) {
        f[half * h + 1] = ldexp(1.0 + 1e-3 * urand(), 3 + half);
        f[half * h + 2] = ldexp(1.97 + 0.01 * urand(), 3 + half);
        f[half * h + 3] = ldexp(1.4 + 0.1 * urand(), 3 + half);
    }
}

static void test_chi_square(void **state)
{
    (void)state;
    long D = 64, h = D / 2;
    double f[64];
    wide_factors(f, D);
    signed char sg[64];
    for (long i = 0; i < D; i++)
        sg[i] = urand() < 0.5 ? 1 : -1;
    hl_crsel cr;
    hl_rng_stream rs;
    hl_rng_stream_init(&rs, 11, 3);
    CHECK_OK(hl_crsel_init(&cr, f, h));
    CHECK_OK(hl_crsel_build(&cr, sg, &rs));
    /* the draws are weighted by F_way: test each way by itself, with a
     * u that sweeps all of [0, F); the pick itself is what is tested */
    for (int round = 0; round < 4; round++) {
        char what[64];
        snprintf(what, sizeof what, "round %d", round);
        for (int half = 0; half < 2; half++)
            for (int way = 0; way < 2; way++) {
                chi2_way(&cr, f, sg, h, half, way, 400000, &rs, what);
                chi2_bins(&cr, f, sg, h, half, way, 20000, &rs, what);
            }
        /* change the configuration by flips of picked spins */
        for (int n = 0; n < 37; n++) {
            int half = (int)(urand() * 2), way = urand() < 0.5;
            if (cr.half[half].F[way] <= 0)
                way = !way;
            long j = hl_crsel_pick(&cr, half, way, urand() * cr.half[half].F[way], &rs);
            assert_true(j >= 0);
            hl_crsel_flip(&cr, half, way);
            sg[half * h + j] = (signed char)(way ? -1 : 1);
        }
    }
    /* all spins of a half in one way: the other way is empty */
    for (long i = 0; i < h; i++)
        sg[i] = -1;
    hl_crsel_free(&cr);
    CHECK_OK(hl_crsel_init(&cr, f, h));
    CHECK_OK(hl_crsel_build(&cr, sg, &rs));
    chi2_way(&cr, f, sg, h, 0, 0, 400000, &rs, "all -1");
    chi2_way(&cr, f, sg, h, 0, 1, 10, &rs, "all -1");
    hl_crsel_free(&cr);
}

/* 10^7 flips: the sums stay those of a build from scratch, bit for bit,
 * and within rounding of the long double sums of the factors */
static void test_no_drift(void **state)
{
    (void)state;
    long D = 2000, h = D / 2;
    double *f = malloc(sizeof(double) * (size_t)D);
    signed char *sg = malloc((size_t)D);
    for (long i = 0; i < D; i++) {
        /* log-normal of width 3 (factors over ~2^-20 .. 2^20) */
        double z = sqrt(-2.0 * log(1.0 - urand())) * cos(6.283185307179586 * urand());
        f[i] = exp(3.0 * z);
        sg[i] = urand() < 0.5 ? 1 : -1;
    }
    hl_crsel cr, ref;
    hl_rng_stream rs;
    hl_rng_stream_init(&rs, 5, 9);
    CHECK_OK(hl_crsel_init(&cr, f, h));
    CHECK_OK(hl_crsel_build(&cr, sg, &rs));
    for (long n = 0; n < 10000000; n++) {
        int half = (int)(n & 1), way = cr.half[half].F[1] > cr.half[half].F[0] ? 1 : 0;
        if (urand() < 0.3)
            way = !way;
        if (cr.half[half].F[way] <= 0)
            way = !way;
        long j = hl_crsel_pick(&cr, half, way, urand() * cr.half[half].F[way], &rs);
        assert_true(j >= 0);
        hl_crsel_flip(&cr, half, way);
        sg[half * h + j] = (signed char)(way ? -1 : 1);
    }
    CHECK_OK(hl_crsel_init(&ref, f, h));
    CHECK_OK(hl_crsel_build(&ref, sg, &rs));
    for (int half = 0; half < 2; half++)
        for (int way = 0; way < 2; way++) {
            long double F = 0.0L;
            for (long j = 0; j < h; j++)
                if ((sg[half * h + j] > 0) == way)
                    F += f[half * h + j];
            if (cr.half[half].F[way] != ref.half[half].F[way])
                fail_msg("half %d way %d: F after 1e7 flips %.17g, from scratch %.17g", half, way,
                         cr.half[half].F[way], ref.half[half].F[way]);
            CHECK_NEAR(cr.half[half].F[way], (double)F, 0, 4e-16 * cr.half[half].nb);
            for (int k = 0; k < cr.half[half].nb; k++)
                assert_true(cr.half[half].S[2 * k + way] == ref.half[half].S[2 * k + way]);
        }
    hl_crsel_free(&ref);
    hl_crsel_free(&cr);
    free(f);
    free(sg);
}

/* subnormal, tiny and huge factors: exact mantissas, no overflow of the sums */
static void test_extreme_factors(void **state)
{
    (void)state;
    long D = 8, h = 4;
    double f[8] = {0x1p-1070, 3e-310, 1e-300, 1e300, 0x1.8p-1060, 2.0, 1e250, 1e-250};
    signed char sg[8] = {-1, -1, -1, -1, 1, 1, -1, -1};
    hl_crsel cr;
    hl_rng_stream rs;
    hl_rng_stream_init(&rs, 1, 1);
    CHECK_OK(hl_crsel_init(&cr, f, h));
    CHECK_OK(hl_crsel_build(&cr, sg, &rs));
    CHECK_NEAR(cr.half[0].F[0], 1e300, 0, 1e-15);
    CHECK_NEAR(cr.half[1].F[1], 2.0, 0, 1e-15);
    CHECK_NEAR(cr.half[1].F[0], 1e250, 0, 1e-15);
    for (long j = 0; j < h; j++)
        for (int half = 0; half < 2; half++) {
            /* entries hold f exactly: M 2^(b - 52) */
            int found = 0;
            for (long e = 0; e < h; e++)
                if ((long)cr.half[half].e[e].spin == j) {
                    for (int k = 0; k < cr.half[half].nb; k++) {
                        const hl_crbin *B = &cr.half[half].bin[k];
                        if (e >= B->start && e < B->start + B->size)
                            found = ldexp((double)cr.half[half].e[e].m, B->b - 52) == f[half * h + j];
                    }
                }
            if (!found)
                fail_msg("factor %g of spin %ld not held exactly", f[half * h + j], half * h + j);
        }
    /* the huge factor is picked with probability 1 - 1e-300 */
    for (int n = 0; n < 1000; n++)
        assert_int_equal(hl_crsel_pick(&cr, 0, 0, urand() * cr.half[0].F[0], &rs), 3);
    (void)D;
    hl_crsel_free(&cr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chi_square),
        cmocka_unit_test(test_no_drift),
        cmocka_unit_test(test_extreme_factors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
