/* SPDX-License-Identifier: GPL-3.0-or-later */
/* threads.c -- the thread count of the library's parallel parts: its OpenMP
 * loops and the BLAS/LAPACK it calls (hl_set_threads in hyperland.h).  The
 * BLAS is reached through openblas_set_num_threads, looked up at run time,
 * so that the library runs with whichever BLAS the system provides. */
#include <dlfcn.h>
#include <string.h>

#include <omp.h>

#include "core.h"

/* a function of the BLAS loaded in the process, or NULL */
static void *blas_symbol(const char *name)
{
    void *self = dlopen(NULL, RTLD_LAZY);
    void *sym = self ? dlsym(self, name) : NULL;
    if (self)
        dlclose(self); /* the program's own handle: the symbol stays valid */
    return sym;
}

/* openblas_set_num_threads of the BLAS loaded in the process, or NULL. */
static void (*blas_setter(void))(int)
{
    void *sym = blas_symbol("openblas_set_num_threads");
    void (*fn)(int) = NULL;
    if (sym)
        memcpy(&fn, &sym, sizeof fn); /* object -> function pointer, as POSIX allows */
    return fn;
}

int hl_set_threads(int n, int *blas_set)
{
    if (blas_set)
        *blas_set = 0;
    if (n < 1 || n > HL_THREADS_MAX)
        return hl_fail(HL_EINVAL, "thread count %d is not in [1, %d]", n, HL_THREADS_MAX);
    omp_set_num_threads(n);
    void (*fn)(int) = blas_setter();
    if (fn) {
        fn(n);
        if (blas_set)
            *blas_set = 1;
    }
    return HL_OK;
}

int hl_blas_threads_respawn(void)
{
    /* OpenBLAS (pthreads build): joins its workers and marks its server
     * down; exec_blas starts it again (blas_thread_init) when next needed.
     * The same path OpenBLAS takes itself after fork(). */
    void *sym = blas_symbol("blas_thread_shutdown_");
    if (!sym)
        return 0;
    void (*fn)(void) = NULL;
    memcpy(&fn, &sym, sizeof fn);
    fn();
    return 1;
}
