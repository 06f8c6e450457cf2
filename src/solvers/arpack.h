/* SPDX-License-Identifier: GPL-3.0-or-later */
/* arpack.h -- one reverse-communication driver for ARPACK's symmetric
 * eigensolver dsaupd/dseupd, with the operator as a callback (private to
 * the library).
 *
 * Mode 1 (regular): eigenvalues of the operator OP itself, which = "LA"
 * (largest algebraic), "SA" (smallest algebraic), "LM" (largest magnitude),
 * ... as in ARPACK.  Mode 3 (shift-invert): OP = (A - sigma I)^{-1}, which
 * = "LM" finds the eigenvalues of A nearest sigma, returned as eigenvalues
 * of A (dseupd's sigma + 1 / theta).  bmat is always "I" (standard
 * problem).  Used by the shift-invert spectrum (spectrum_shift_invert.c);
 * the matrix-free Lanczos of master.c can use it in mode 1. */
#ifndef HL_ARPACK_H
#define HL_ARPACK_H

/* y = OP x (x, y of n entries, not overlapping); HL_OK or an error (the
 * driver stops and returns it). */
typedef int (*hl_arpack_op_fn)(void *ctx, const double *x, double *y);

typedef struct {
    long n;              /* dimension                                        */
    long nev;            /* eigenvalues wanted (0 < nev < n)                 */
    long ncv;            /* Lanczos vectors (nev < ncv <= n); 0: min(2 nev +
                            20, n)                                           */
    const char *which;   /* "LA", "SA", "LM", "SM", "BE"                     */
    int mode;            /* 1 or 3                                           */
    double sigma;        /* mode 3: the shift (in eigenvalues of A)          */
    double tol;          /* relative accuracy of the Ritz values (0: eps)    */
    long max_restarts;   /* 0: 500                                           */
    const double *start; /* n: start vector, or NULL for ARPACK's own
                            (deterministic) random start (info = 0)        */
    hl_arpack_op_fn op;
    void *ctx;
    const char *what;    /* for messages, e.g. "the 1200-state chain"       */
} hl_arpack_problem;

typedef struct {
    long applies;        /* operator applications                           */
    long restarts;       /* implicit restarts (iparam[2] on return)         */
    long converged;      /* Ritz values converged (iparam[4])               */
} hl_arpack_info;

/* The nev eigenpairs: w (nev values, in dseupd's order: ascending
 * algebraic) and z (n x nev, column q at z + q n, orthonormal; NULL: the
 * values only, dseupd with rvec = 0).  info optional.  The matrix-free
 * Lanczos of master.c is pb = {n, nev = k, ncv = its own, "LA", mode 1,
 * tol 1e-12, max_restarts 200000, start NULL, op = hl_generator_apply}
 * with z = NULL.  HL_ENOCONV (naming the ARPACK info and the converged count)
 * if dsaupd does not converge or dseupd fails, HL_ENOMEM, HL_EINVAL for
 * bad sizes or mode, or the operator's error. */
int hl_arpack_symmetric(const hl_arpack_problem *pb, double *w, double *z,
                        hl_arpack_info *info);

#endif
