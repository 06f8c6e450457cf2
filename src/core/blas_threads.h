/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blas_threads.h -- OpenBLAS's thread count around sparse direct solves
 * (private to the library).
 *
 * CHOLMOD's supernodal triangular solves and UMFPACK call BLAS on blocks of
 * a few dozen rows.  OpenBLAS's threads then spin in sched_yield between
 * them (40 % of the time of a shift-invert spectrum at D = 1000 on two
 * cores), so the sparse solvers run with one BLAS thread.  The functions
 * are found with dlsym: with another BLAS (or none loaded) they do
 * nothing. */
#ifndef HL_BLAS_THREADS_H
#define HL_BLAS_THREADS_H

/* Set OpenBLAS to one thread; returns the previous count to pass to
 * hl_blas_threads_restore (0 when OpenBLAS is not there or nothing was
 * changed). */
int hl_blas_serial_begin(void);

/* Restore the count returned by hl_blas_serial_begin (0: nothing). */
void hl_blas_threads_restore(int previous);

#endif
