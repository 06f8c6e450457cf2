/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_threads.c -- hl_set_threads: OpenMP's and OpenBLAS's thread counts
 * are set (read back through omp_get_max_threads and OpenBLAS's own
 * openblas_get_num_threads), bad counts are refused, and the version;
 * hl_blas_threads_respawn and hl_orderings_hold (signal threads). */
#define _GNU_SOURCE /* pthread_sigmask, nanosleep, dirent */
#include <dirent.h>
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <lapacke.h>

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

/* The same hl_evolve run by two threads at once gives the same bits as one
 * thread.  Both start together and order the same matrix with METIS
 * (UMFPACK's symbolic analysis of the preconditioner); METIS 5.1 draws from
 * the C library's one rand(), so two orderings at once interleaved their
 * draws and gave orderings, LU factors and (through GMRES) results that
 * differed in the last bits from run to run.  The library orders one
 * matrix at a time (src/core/ordering_lock.h).  D = 200: 10201 classes,
 * each ordering long enough to overlap the other's; a short cooling. */
static void test_evolve_concurrent_identical(void **state)
{
    (void)state;
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    CHECK_OK(hl_model_set_transmission(m, "exp(-3*y^2/T)"));
    const long D = 200, w = D / 2 + 1;
    const size_t nq = (size_t)(w * w);
    double pt[2] = {0, 0.02}, pT[2] = {1.6, 1.55};
    hl_protocol *p = NULL;
    CHECK_OK(hl_protocol_create(HL_PROTOCOL_T, 2, pt, pT, &p));
    hl_evolve_start st;
    memset(&st, 0, sizeof st);
    st.kind = HL_START_EQUILIBRIUM;
    st.beta = 1 / 1.6;
    double times[2] = {0.01, 0.02};
    double *q1 = malloc(sizeof(double) * nq * 2), *q2 = malloc(sizeof(double) * nq * 2 * 2);
    assert_non_null(q1);
    assert_non_null(q2);
    hl_evolve_point e1[2], e2[2][2];
    hl_evolve_info in1, in2[2];
    CHECK_OK(hl_evolve(m, D, p, &st, times, 2, HL_EVOLVE_AUTO, 1e-8, e1, q1, &in1));
    assert_true(in1.krylov_iterations > 0); /* GMRES used the preconditioner */
    CHECK_OK(hl_set_threads(2, NULL));
    for (int rep = 0; rep < 6; rep++) {
        int sts[2] = {-1, -1};
#pragma omp parallel for num_threads(2) schedule(static, 1)
        for (int k = 0; k < 2; k++)
            sts[k] = hl_evolve(m, D, p, &st, times, 2, HL_EVOLVE_AUTO, 1e-8, e2[k],
                               q2 + (size_t)k * nq * 2, &in2[k]);
        for (int k = 0; k < 2; k++) {
            assert_int_equal(sts[k], HL_OK);
            assert_memory_equal(q1, q2 + (size_t)k * nq * 2, sizeof(double) * nq * 2);
            assert_memory_equal(&e1[1].mean_phi, &e2[k][1].mean_phi, sizeof(double));
        }
    }
    CHECK_OK(hl_set_threads(1, NULL));
    free(q1);
    free(q2);
    hl_protocol_free(p);
    hl_model_free(m);
}

/* SigBlk of every thread of this process: 1 when all block sig */
static int all_threads_block(int sig, int *nthreads)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    struct dirent *e;
    int all = 1;
    *nthreads = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[300], line[256];
        snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue; /* the thread ended */
        while (fgets(line, sizeof line, f))
            if (!strncmp(line, "SigBlk:", 7)) {
                unsigned long long m = strtoull(line + 7, NULL, 16);
                all &= (int)((m >> (sig - 1)) & 1);
                ++*nthreads;
            }
        fclose(f);
    }
    closedir(d);
    return all;
}

/* hl_blas_threads_respawn: OpenBLAS's workers, started before main() with
 * an empty mask, start again with the mask of the thread that needs them,
 * and the BLAS still computes right: the eigenvalues of the n x n matrix
 * tridiag(-1, 2, -1), 2 - 2 cos(k pi / (n + 1)), through LAPACK's dsyev
 * (level-3 BLAS, threaded). */
static void test_blas_respawn(void **state)
{
    (void)state;
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    assert_int_equal(pthread_sigmask(SIG_BLOCK, &s, &old), 0);
    CHECK_OK(hl_set_threads(2, NULL));
    int had = blas_threads();
    int r = hl_blas_threads_respawn();
    assert_int_equal(r, had >= 1 ? 1 : 0);
    const int n = 600;
    double *a = calloc((size_t)n * n, sizeof(double)), *w = malloc(sizeof(double) * n);
    assert_non_null(a);
    assert_non_null(w);
    for (int i = 0; i < n; i++) {
        a[(size_t)i * n + i] = 2;
        if (i + 1 < n)
            a[(size_t)i * n + i + 1] = a[(size_t)(i + 1) * n + i] = -1;
    }
    assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', n, a, n, w), 0);
    const double pi = 3.14159265358979323846;
    for (int k = 1; k <= n; k++)
        assert_true(fabs(w[k - 1] - (2 - 2 * cos(k * pi / (n + 1)))) < 1e-12);
    if (had >= 2 || blas_threads() >= 2) {
        int nth = 0;
        assert_int_equal(all_threads_block(SIGTERM, &nth), 1);
        assert_true(nth >= 2); /* the BLAS's worker is back */
    }
    CHECK_OK(hl_set_threads(1, NULL));
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(a);
    free(w);
}

/* hl_orderings_hold: an evolution, which orders its sparse matrix (UMFPACK
 * with METIS), cannot finish while another thread holds the orderings */
struct evolve_job {
    volatile int done;
    int status;
};

static void *evolve_thread(void *arg)
{
    struct evolve_job *job = arg;
    hl_model *m = NULL;
    job->status = hl_model_create(NULL, &m);
    double pt[2] = {0, 0.02}, pT[2] = {1.6, 1.55};
    hl_protocol *p = NULL;
    if (job->status == HL_OK)
        job->status = hl_protocol_create(HL_PROTOCOL_T, 2, pt, pT, &p);
    hl_evolve_start st;
    memset(&st, 0, sizeof st);
    st.kind = HL_START_EQUILIBRIUM;
    st.beta = 1 / 1.6;
    double times[1] = {0.02};
    hl_evolve_point e[1];
    hl_evolve_info in;
    if (job->status == HL_OK)
        job->status = hl_evolve(m, 60, p, &st, times, 1, HL_EVOLVE_AUTO, 1e-8, e, NULL, &in);
    hl_protocol_free(p);
    hl_model_free(m);
    job->done = 1;
    return NULL;
}

static void test_orderings_hold(void **state)
{
    (void)state;
    struct evolve_job job = {0, -1};
    pthread_t th;
    hl_orderings_hold();
    assert_int_equal(pthread_create(&th, NULL, evolve_thread, &job), 0);
    struct timespec ts = {0, 400000000};
    nanosleep(&ts, NULL);
    assert_int_equal(job.done, 0); /* waiting for the orderings */
    hl_orderings_release();
    pthread_join(th, NULL);
    assert_int_equal(job.done, 1);
    assert_int_equal(job.status, HL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* first: before any OpenMP thread starts with this thread's mask */
        cmocka_unit_test(test_blas_respawn),
        cmocka_unit_test(test_set_threads),
        cmocka_unit_test(test_bad_counts),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_evolve_concurrent_identical),
        cmocka_unit_test(test_orderings_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
