/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spectrum_methods.h -- the methods behind hl_spectrum (private to the
 * kinetics layer): generator.c, spectrum_separable.c, master_spectrum.c.
 *
 * hl_spectrum chooses its method from one table (master_spectrum.c): each entry
 * has a name (the one hl_spectrum_method_name returns and the CLI prints),
 * a test of when it applies, the resolution it guarantees, and a solve.
 * The first entry that applies is used.  A new method is a new entry. */
#ifndef HL_SPECTRUM_METHODS_H
#define HL_SPECTRUM_METHODS_H

#include "hyperland/master.h"

/* beta for kinetics: positive, finite, at most 1e6 (HL_EDOM otherwise). */
int hl_kinetic_beta_check(double beta);

/* 2 max_i |S_ii|, an upper bound of the spectral norm of -S (Gershgorin:
 * a row's couplings sum to at most its diagonal). */
double hl_generator_norm_bound(const hl_generator *g);

/* The separable method (the paper's phi, B = 1, contracted): rates, logs,
 * relative error bounds (rel_err optional) and info->rel_error,
 * null_reason.  See hl_spectrum_ex. */
int hl_spectrum_separable(const hl_model *m, long dim, double beta, int k, double *rates,
                          double *ln_rates, double *rel_err, hl_spectrum_info *info);

/* The k slowest relaxation rates of a birth-death chain on 0..N-1 with ln
 * rates lp[j] (j -> j+1) and lq[j] (j+1 -> j), j < N-1: ln_rate[0..k-1]
 * ascending (ln_rate[0] = -inf), rel_err[q] a bound on the relative error
 * of rate q (NaN rate and bound where not resolved, *why (static text, set
 * only when NULL before) says why); lerr[j] bounds the absolute error of
 * lp[j] and lq[j].  Squared singular values of the bidiagonal bond matrix
 * (dqds up to hl_separable_dqds_limit bonds, else bisection on the
 * Golub-Kahan form: high relative accuracy), the slowest by log-space
 * inverse iteration when below their range (spectrum_separable.c). */
int hl_birth_death_ln_rates(const double *lp, const double *lq, const double *lerr, long N,
                            int k, double *ln_rate, double *rel_err, const char **why);

#endif
