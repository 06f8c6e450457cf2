/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blas_threads.c -- one OpenBLAS thread around the sparse direct solvers
 * (blas_threads.h), found at run time with dlsym. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

#include "blas_threads.h"

typedef int (*get_fn)(void);
typedef void (*set_fn)(int);

static void find(get_fn *g, set_fn *s)
{
    /* the symbols of the BLAS the process loaded (libopenblas*.so); a
     * function pointer from a data pointer is a POSIX, not C, conversion */
    void *pg = dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    void *ps = dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    *(void **)g = pg;
    *(void **)s = ps;
}

int hl_blas_serial_begin(void)
{
    get_fn g;
    set_fn s;
    find(&g, &s);
    if (!g || !s)
        return 0;
    int n = g();
    if (n <= 1)
        return 0;
    s(1);
    return n;
}

void hl_blas_threads_restore(int previous)
{
    if (previous <= 0)
        return;
    get_fn g;
    set_fn s;
    find(&g, &s);
    if (s)
        s(previous);
}
