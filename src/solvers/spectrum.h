/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spectrum.h -- the slowest relaxation rates of a reversible chain
 * (rchain.h) and their eigenvectors (private to the library).
 *
 * The rates are the eigenvalues of -S, S = M^{-1/2} L M^{1/2} the
 * symmetrised generator (S_ab = A_ab off the diagonal, S_aa = -(sum_b
 * K(a -> b) + exit_a)).  The method is chosen from a table
 * (spectrum_method.h): the first entry that applies to the chain and k
 * solves it, and the result names it.  Every method's rates are then
 * Rayleigh quotients in Dirichlet form after a Rayleigh-Ritz step in that
 * form (spectrum.c), so slow rates keep a small relative error at any
 * rate scale. */
#ifndef HL_SPECTRUM_H
#define HL_SPECTRUM_H

#include "rchain.h"

typedef struct {
    const char *method;  /* name of the method (a string of the library:
                            "dense", "shift-invert", ...)                  */
    double resolution;   /* rates below it are round-off (returned NaN)     */
    int dense;           /* 1: the dense method                             */
    long cells;          /* active states                                   */
    long components;     /* connected components without exits (= exact 0) */
    double norm;         /* Gershgorin bound of the spectrum of -S          */
    double sigma;        /* shift of the factor (0 if no rate was computed) */
    long op_applies;     /* operator applications (sparse solves)           */
    long nnz_factor;     /* entries of the Cholesky factor                  */
} hl_rchain_spectrum_info;

/* The k slowest relaxation rates of chain c (eigenvalues of -S),
 * ascending: first one exact 0 per connected component without an exit
 * (components ordered by their lowest state; the null vectors sqrt(pi)
 * are deflated), then the nonzero rates.  Rates below the resolution,
 * beyond the chain's size, or of components split only by conductances
 * that underflow a double are NaN.
 *   resolution (optional): 100 DBL_EPSILON max_q |v_q|^T |S| |v_q| over
 *     the vectors returned (<= 100 DBL_EPSILON norm);
 *   vectors (optional, n x k row-major, vectors[i k + q], 0 on inactive
 *     states): eigenvectors of S (unit norm, largest entry positive; the
 *     zeros: sqrt(pi) of the component);
 *   info (optional): the method and what it did.
 * The chain is indexed here if c->adj_start is NULL (on a copy; c is not
 * changed).  Errors: HL_EINVAL (bad chain, k < 1, NULL rates), HL_EDOM
 * (NaN or +inf value), HL_ERANGE (a rate overflows), HL_ENOCONV (an
 * eigensolver failed), HL_ENOMEM. */
int hl_rchain_spectrum(const hl_rchain *c, int k, double *rates, double *vectors,
                       double *resolution, hl_rchain_spectrum_info *info);

/* The same with the method named (NULL: the first that applies): HL_EINVAL
 * if no method has that name or it does not apply to the chain and k
 * ("dense" applies to any chain, "shift-invert" when the chain has at least
 * k + 2 nonzero modes). */
int hl_rchain_spectrum_by(const hl_rchain *c, const char *method, int k, double *rates,
                          double *vectors, double *resolution, hl_rchain_spectrum_info *info);

/* ln of the k slowest relaxation rates of a connected chain without exits,
 * in log space (spectrum_log.c: the pencil reduced by the graph
 * transformation onto j + 1 representative states, a fixed point in
 * lambda, exact by Sylvester's inertia): ln_rates[0] = -inf (the
 * equilibrium), ln_rates[j] to a few ulps relative however small, or NaN
 * where the method does not apply (why: the first reason, may be NULL).
 * rel_res: the relative resolution of the values returned.  HL_EINVAL
 * (exits, not indexed), HL_ENOTFOUND (several components), HL_ENOMEM. */
int hl_rchain_slow_rates_log(const hl_rchain *c, int k, double *ln_rates, double *rel_res,
                             char *why, size_t why_len);
/* The same with hints from another method: phi (k x n, or NULL) the
 * approximate right eigenvectors, from which the representatives are
 * chosen (DEIM-like: the state of largest pi |residual| of phi_j
 * interpolated on the earlier representatives) instead of by inverse
 * iteration (one factor each); ln_guess (k, or NULL; NaN: none) a value
 * close to ln nu_j from below, where the fixed point starts; wanted (k, or
 * NULL: all) the rates to compute (the others NaN). */
int hl_rchain_slow_rates_log_hint(const hl_rchain *c, int k, const double *phi,
                                  const double *ln_guess, const unsigned char *wanted,
                                  double *ln_rates, double *rel_res, char *why, size_t why_len);

/* ln of the k slowest relaxation rates of a connected chain without exits
 * by Lanczos on the pseudo-inverse S^+ applied through the graph
 * transformation's factor with the state of largest pi held at zero
 * (spectrum_gtl.c): ln_rates[0] = -inf, ln_rates[j] with its relative
 * error bound rel_err[j] (about eps nu_j / nu_1: independent of the fast
 * rates), or NaN (rel_err NaN) where that bound is above max_rel.
 * phi (optional, k x n row-major): the right eigenvectors (of the
 * generator's transpose, u / sqrt(pi) for the eigenvectors u of S; row 0
 * the constant 1, 0 on inactive states), also approximate ones of rates
 * returned NaN.  applies (optional): operator applications (two solves
 * each).  why: the reason for NaN rates, may be NULL.  HL_EINVAL (exits),
 * HL_ENOTFOUND (several components), HL_ENOCONV, HL_ENOMEM. */
int hl_rchain_slow_rates_gtl(const hl_rchain *c, int k, double max_rel, double *ln_rates,
                             double *rel_err, double *phi, long *applies, char *why,
                             size_t why_len);
/* The same with extra (>= 0) of the k rates computed only for a
 * Rayleigh-Ritz step: not searched for when the k - extra before them are
 * not all resolved to max_rel; and vec_err (2 k, or NULL): how far each returned vector may
 * lie from the space of the rates returned, for a Rayleigh-Ritz step on
 * them (hl_rchain_spectrum_ritz): with s the residual of the pair (Ritz
 * part plus the operator's rounding), theta_q = 1 / nu_q on the
 * pseudo-inverse and theta' that of the next rate (from above, by the
 * deflated run), vec_err[2q] = (s / theta_q)^2 and vec_err[2q + 1] =
 * s^2 / ((theta_q - theta') theta'): the Rayleigh quotient's
 * relative error is about vec_err[2q] nu_max / nu_q + vec_err[2q + 1]
 * (the fast modes, up to nu_max, and the next one).  NaN where unknown (no
 * vector, no next value, or the next value not below theta_q). */
int hl_rchain_slow_rates_gtl_ritz(const hl_rchain *c, int k, int extra, double max_rel,
                                  double *ln_rates,
                                  double *rel_err, double *vec_err, double *phi, long *applies,
                                  char *why, size_t why_len);

/* The k slowest rates of the Rayleigh-Ritz step in Dirichlet form (the one
 * every spectrum method ends with, spectrum.c) on the space of the given
 * approximate right eigenvectors: phi (k x n row-major, as
 * hl_rchain_slow_rates_gtl returns them; row 0, the equilibrium, is not
 * read, rows 1 .. k - 1 must be independent on the active states).  c
 * must be one component without exits.  rates[0] = 0, rates[q] ascending
 * or NaN below *resolution, the absolute resolution 100 eps max_q |v_q|^T
 * |S| |v_q| as for the other methods (it holds where the vectors are
 * converged: the caller checks them); res_each (k, or NULL) the same term
 * of each rate alone.  HL_EINVAL, HL_ENOCONV, HL_ENOMEM. */
int hl_rchain_spectrum_ritz(const hl_rchain *c, int k, const double *phi, double *rates,
                            double *resolution, double *res_each);

/* Largest number of active states handled by the dense method (default
 * 2000).  limit >= 0 sets it (per thread; for tests), limit < 0 only
 * queries; returns the previous value. */
long hl_rchain_dense_limit(long limit);

#endif
