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

#endif
