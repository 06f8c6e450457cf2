/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chol_solve.h -- solves with a CHOLMOD Cholesky factor, one right-hand
 * side at a time, for the iterative solvers that apply (A)^{-1} many times
 * (private to the library).
 *
 * x <- A^{-1} x = P^T L^{-T} L^{-1} P x for a supernodal LL' factor L of
 * A (CHOLMOD's fill-reducing permutation P = L->Perm), with plain loops
 * instead of one dtrsv and one dgemv per supernode (chol_solve.c); the same
 * arithmetic as CHOLMOD's solve up to the order of the sums (round-off).
 * Any other kind of factor goes through cholmod_l_solve. */
#ifndef HL_CHOL_SOLVE_H
#define HL_CHOL_SOLVE_H

#include <cholmod.h>

typedef struct {
    const cholmod_factor *L; /* borrowed: must outlive the solver */
    long n;
    double *work;            /* n + the widest off-diagonal block; NULL: CHOLMOD */
} hl_chol_solver;

/* Prepare solves with L (which must stay unchanged while they run).
 * Errors: HL_ENOMEM. */
int hl_chol_solver_init(hl_chol_solver *s, const cholmod_factor *L);
void hl_chol_solver_free(hl_chol_solver *s);
/* x (n entries) <- A^{-1} x; cm only for the CHOLMOD fallback.
 * Errors: HL_ENOMEM (CHOLMOD). */
int hl_chol_solve(hl_chol_solver *s, double *x, cholmod_common *cm);

#endif
