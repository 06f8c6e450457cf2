/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_rng_stream.c -- the counter-based random streams of
 * src/core/rng_stream.c: Random123's published known-answer vector, the
 * determinism and independence of streams, and the moments of the uniform,
 * exponential and normal draws. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "rng_stream.h"

/* Random123's kat_vectors: philox4x64 with 10 rounds, counter 0, key 0. */
static void test_known_answer(void **state)
{
    (void)state;
    hl_rng_stream s;
    hl_rng_stream_init(&s, 0, 0);
    assert_true(hl_rng_stream_u64(&s) == UINT64_C(0x16554d9eca36314c));
    assert_true(hl_rng_stream_u64(&s) == UINT64_C(0xdb20fe9d672d0fdc));
    assert_true(hl_rng_stream_u64(&s) == UINT64_C(0xd7e772cee186176b));
    assert_true(hl_rng_stream_u64(&s) == UINT64_C(0x7e68b68aec7ba23b));
}

static void test_streams_deterministic_and_distinct(void **state)
{
    (void)state;
    hl_rng_stream a, b, c;
    hl_rng_stream_init(&a, 12345, 7);
    hl_rng_stream_init(&b, 12345, 7);
    hl_rng_stream_init(&c, 12345, 8);
    int same_ab = 1, same_ac = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = hl_rng_stream_u64(&a), y = hl_rng_stream_u64(&b),
                 z = hl_rng_stream_u64(&c);
        same_ab &= x == y;
        same_ac += x == z;
    }
    assert_true(same_ab);
    assert_int_equal(same_ac, 0);
    /* the stateless hash is the same function as a stream's first block */
    hl_rng_stream d;
    hl_rng_stream_init(&d, 99, 3);
    double u = hl_rng_stream_uniform(&d);
    assert_true(u == hl_rng_hash_uniform(99, 3, 0, 0));
}

static void test_moments(void **state)
{
    (void)state;
    const int n = 400000;
    hl_rng_stream s;
    hl_rng_stream_init(&s, 2026, 1);
    double su = 0, su2 = 0, se = 0, sn = 0, sn2 = 0;
    double umin = 1, umax = 0;
    for (int i = 0; i < n; i++) {
        double u = hl_rng_stream_uniform(&s);
        umin = fmin(umin, u);
        umax = fmax(umax, u);
        su += u;
        su2 += u * u;
        se += hl_rng_stream_exponential(&s);
        double g = hl_rng_stream_normal(&s);
        sn += g;
        sn2 += g * g;
    }
    assert_true(umin > 0 && umax < 1);
    /* five standard errors */
    assert_true(fabs(su / n - 0.5) < 5 * sqrt(1.0 / 12 / n));
    assert_true(fabs(su2 / n - 1.0 / 3) < 5 * sqrt(4.0 / 45 / n));
    assert_true(fabs(se / n - 1.0) < 5 * sqrt(1.0 / n));
    assert_true(fabs(sn / n) < 5 * sqrt(1.0 / n));
    assert_true(fabs(sn2 / n - 1.0) < 5 * sqrt(2.0 / n));
}

/* the stateless normal: the Box-Muller pair of hash uniforms, standard
 * moments over indices */
static void test_hash_normal(void **state)
{
    (void)state;
    const int n = 200000;
    double s1 = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        double g = hl_rng_hash_normal(7, 11, (uint64_t)i);
        if (i == 3) {
            double u = hl_rng_hash_uniform(7, 11, 3, 0), v = hl_rng_hash_uniform(7, 11, 3, 1);
            assert_true(g == sqrt(-2.0 * log(u)) * cos(6.283185307179586477 * v));
        }
        s1 += g;
        s2 += g * g;
    }
    assert_true(fabs(s1 / n) < 5 * sqrt(1.0 / n));
    assert_true(fabs(s2 / n - 1.0) < 5 * sqrt(2.0 / n));
}

static void test_seed_draw(void **state)
{
    (void)state;
    uint64_t a = hl_rng_seed_draw();
    assert_true(a > 0 && a < (UINT64_C(1) << 53));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answer),
        cmocka_unit_test(test_streams_deterministic_and_distinct),
        cmocka_unit_test(test_moments),
        cmocka_unit_test(test_hash_normal),
        cmocka_unit_test(test_seed_draw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
