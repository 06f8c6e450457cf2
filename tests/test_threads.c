/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_threads.c -- hl_set_threads: OpenMP's and OpenBLAS's thread counts
 * are set (read back through omp_get_max_threads and OpenBLAS's own
 * openblas_get_num_threads), bad counts are refused, and the version. */
#include <dlfcn.h>
#include <string.h>

#include <omp.h>

#include "test_util.h"

/* openblas_get_num_threads of the loaded BLAS, or -1 without OpenBLAS */
static int blas_threads(void)
{
    void *self = dlopen(NULL, RTLD_LAZY);
    void *sym = self ? dlsym(self, "openblas_get_num_threads") : NULL;
    if (self)
        dlclose(self);
    if (!sym)
        return -1;
    int (*fn)(void);
    memcpy(&fn, &sym, sizeof fn);
    return fn();
}

static void test_set_threads(void **state)
{
    (void)state;
    const int counts[] = {1, 3, 2, 1};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        int blas_set = -1;
        CHECK_OK(hl_set_threads(counts[i], &blas_set));
        assert_int_equal(omp_get_max_threads(), counts[i]);
        int b = blas_threads();
        if (b < 0) {
            assert_int_equal(blas_set, 0); /* not OpenBLAS: said so */
        } else {
            assert_int_equal(blas_set, 1);
            assert_int_equal(b, counts[i]);
        }
    }
    CHECK_OK(hl_set_threads(2, NULL)); /* blas_set is optional */
    assert_int_equal(omp_get_max_threads(), 2);
}

static void test_bad_counts(void **state)
{
    (void)state;
    CHECK_OK(hl_set_threads(2, NULL));
    const int bad[] = {0, -1, HL_THREADS_MAX + 1, -2147483647 - 1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int blas_set = 7;
        assert_int_equal(hl_set_threads(bad[i], &blas_set), HL_EINVAL);
        assert_int_equal(blas_set, 0);
        assert_non_null(strstr(hl_errmsg(), "thread count"));
        assert_int_equal(omp_get_max_threads(), 2); /* unchanged */
    }
    CHECK_OK(hl_set_threads(HL_THREADS_MAX, NULL));
    CHECK_OK(hl_set_threads(1, NULL));
}

static void test_version(void **state)
{
    (void)state;
    char v[64];
    snprintf(v, sizeof v, "%d.%d.%d", HL_VERSION_MAJOR, HL_VERSION_MINOR, HL_VERSION_PATCH);
    assert_string_equal(hl_version(), v);
    assert_string_equal(hl_version(), HL_VERSION_STRING);
    assert_true(HL_SOVERSION >= 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_threads),
        cmocka_unit_test(test_bad_counts),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
