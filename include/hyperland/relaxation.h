/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * relaxation.h -- the relaxation time of the supercooled liquid against T,
 * the glass transition temperature T_g where it reaches tau_g, the Angell
 * plot and the fragility index (issue 13).
 *
 * At each T, on the class lattice of eq 5.6 (rates of eq 5.2 with the
 * model's B(x, y, T); time in units of 1/B), with the steepest-ascent
 * basins of exact.h at that T, over every class however small its weight
 * (the passage to the crystal runs through the saddle's classes, far
 * below 1e-300 of the largest at large D or low T):
 *   tau      = 1 / lambda_1, lambda_1 the slowest nonzero relaxation rate of
 *              the chain restricted to the liquid basin with reflecting walls
 *              (its classes and the edges among them; eq 3.4 rates,
 *              unchanged), from hl_chain_slow_rates (chain.h: in logs,
 *              right in relative terms however small): the structural
 *              relaxation time of the liquid while it does not crystallise;
 *   mfpt     = the mean first-passage time from the liquid basin (its local
 *              equilibrium) to the crystal basin on the whole chain
 *              (hl_chain_rate_constants, ln_mfpt): the lifetime of the
 *              supercooled liquid.
 * Both are kept in logs (ln_tau, ln_mfpt); NaN with a reason where the
 * liquid basin (or, for mfpt, the crystal basin) does not exist at T.
 *
 * T_g: log10 tau(T_g) = log10 tau_g (tau_g > 0, e.g. 1e6 in units of 1/B),
 * by Brent's method in x = 1/T on the bracket of two neighbouring
 * temperatures of the list whose log10 tau lie on either side of log10
 * tau_g, to 1e-12 relative in x.
 * Fragility index m = d log10 tau / d(T_g / T) at T = T_g
 *                   = (1 / T_g) d log10 tau / d(1/T) at x_g = 1 / T_g,
 * by the central difference in x with steps h and h/2 (h = 0.02 x_g)
 * combined by Richardson extrapolation (error O(h^4)); m_error = |the
 * extrapolated value - the central difference at h/2| (an upper estimate of
 * the remaining error, O(h^2)).  For an Arrhenius tau = tau_0 exp(E/T), m =
 * E / (T_g ln 10) = log10(tau_g / tau_0) exactly.
 *
 * Errors: HL_OK or a negative HL_E* code with hl_errmsg(): HL_EDOM for bad
 * arguments, HL_ENOMEM, and the errors of the model and of hl_chain_*.
 */
#ifndef HYPERLAND_RELAXATION_H
#define HYPERLAND_RELAXATION_H

#include <stddef.h>
#include "hyperland/model.h"

typedef struct {
    double T;
    double ln_tau;        /* ln of 1 / lambda_1 of the liquid basin (NaN:
                             tau_null)                                     */
    double ln_mfpt;       /* ln MFPT liquid -> crystal (NaN: mfpt_null)     */
    double p_liquid;      /* equilibrium probability of the liquid basin   */
    long liquid_classes;  /* classes of the liquid basin (0: none)         */
    char tau_null[96], mfpt_null[96]; /* "" when finite                   */
} hl_relax_point;

/* tau and MFPT of the model at dimension dim (even, 4..HL_RELAX_DIM_MAX) at
 * temperature T (> 0, finite).  HL_EDOM for bad arguments. */
#define HL_RELAX_DIM_MAX 400L
int hl_relaxation_at(const hl_model *model, long dim, double T, hl_relax_point *out);

/* ln tau(T) for the root and the derivative: any function (the model's
 * hl_relaxation_at, a closed form in tests).  Returns HL_OK and *ln_tau
 * (NaN if undefined at T). */
typedef int (*hl_ln_tau_fn)(void *ctx, double T, double *ln_tau);

typedef struct {
    double tg;            /* T_g (NaN: null_reason)                        */
    double m;             /* fragility index at T_g (NaN: null_reason)     */
    double m_error;       /* estimate of |m - exact|                       */
    double slope_ev;      /* apparent activation energy at T_g,
                             d ln tau / d(1/T) = m T_g ln 10              */
    long evaluations;     /* calls of fn                                   */
    char null_reason[128];
} hl_fragility;

/* T_g and m (above) for tau_g (> 0) from fn, bracketed by the n_t
 * temperatures T[] with their ln tau values ln_tau[] (NaN entries are
 * skipped; any order).  Where no two neighbours (in T order) bracket
 * ln tau_g, tg and m are NaN with the reason; HL_OK all the same. */
int hl_fragility_find(hl_ln_tau_fn fn, void *ctx, const double *T, const double *ln_tau,
                      size_t n_t, double tau_g, hl_fragility *out);

#endif
