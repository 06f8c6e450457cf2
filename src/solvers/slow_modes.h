/* SPDX-License-Identifier: GPL-3.0-or-later */
/* slow_modes.h -- the slowest two relaxation rates of a reversible chain
 * and the exact relaxation of the slowest mode: arbitrarily long times at a
 * fixed temperature (private to the library).
 *
 * At a fixed beta, P(t) = pi + sum_k exp(-lambda_k t) c_k phi_k.  With
 * lambda_1 the slowest nonzero rate and lambda_2 the next one, every mode
 * but the slowest has decayed below e^-40 of the start's deviation
 * ||P(0) - pi||_{1/pi} (which bounds the 1-norm) after
 *
 *   T_switch = (40 + max(0, ln ||P(0) - pi||_{1/pi})) / lambda_2,
 *
 * and from then on P(T_switch + tau) = pi + exp(-lambda_1 tau) (P(T_switch)
 * - pi) to round-off: a convex combination of P(T_switch) and pi, so sums,
 * signs and means stay exact at any tau, and the error of P(T_switch) is
 * not amplified.  lambda_1 must carry a small relative error however small
 * it is: the Dirichlet-form Rayleigh quotient of hl_rchain_spectrum where
 * it is within the double solver's reach, else gt-lanczos's value
 * (slow_modes.c: slow_confirm), or the capacity formula (hl_rchain_tunnelling) between
 * the two steepest-ascent basins of ln pi, or with more basins the log-space
 * fixed point (hl_rchain_slow_rates_log).  pi: the stationary state with
 * the mass P gives each connected component. */
#ifndef HL_SLOW_MODES_H
#define HL_SLOW_MODES_H

#include "rchain.h"

typedef struct {
    long n;            /* states of the chain                                */
    long components;   /* connected components (exact zero rates)            */
    long *comp;        /* n: component of a state, -1 off the chain          */
    double *ln_pin;    /* n: ln pi normalised on its component               */
    double lambda1;    /* slowest nonzero rate; INFINITY if none (nothing
                          moves); NAN if no method resolves it; may be 0
                          when it underflows (then ln_lambda1 is finite)     */
    double ln_lambda1; /* its natural log; NAN if unresolved                 */
    double lambda2;    /* the next one; INFINITY if none; NAN if unresolved  */
    double resolution; /* of the eigensolver (rates below it are unresolved) */
    int tunnelling;    /* 1: lambda1 below the eigensolver's resolution, from
                          gt-lanczos, the capacity formula or the log-space
                          fixed point                                       */
    double margin;     /* e-folds of the switch time (0: the default 40)     */
} hl_rchain_slow;

/* The slowest two nonzero rates of c and its components.  Release with
 * hl_rchain_slow_free.  HL_EINVAL for a chain with exits (no stationary
 * state), HL_ENOMEM, or the errors of the eigensolver. */
int hl_rchain_slow_rates(const hl_rchain *c, hl_rchain_slow *s);
void hl_rchain_slow_free(hl_rchain_slow *s);

/* lambda1 of a connected chain with exactly two steepest-ascent basins by
 * the capacity formula, in place of the eigensolver's (the caller found the
 * eigensolver's inconsistent with the integrated relaxation: at huge rate
 * ratios its values can be far off while its resolution claims better);
 * HL_ENOTFOUND if the chain is not such a chain or already uses it. */
int hl_rchain_slow_tunnel(const hl_rchain *c, hl_rchain_slow *s);

/* T_switch for the state q (n states, 0 off the chain), with s->margin
 * e-folds in place of 40 when it is set (the check evolution of
 * hl_rchain_evolve_opts.switch_margin); NAN if lambda2 is unresolved; 0 if
 * there is no second mode. */
double hl_rchain_switch_time(const hl_rchain_slow *s, const double *q);

/* out = pi + exp(-lambda1 tau) (q - pi), for q a state at or after
 * T_switch, tau >= 0 (out may be q).  Without a resolved lambda1 this is
 * only possible while tau resolution <= tol (then out = q within tol):
 * otherwise HL_ERANGE naming tau. */
int hl_rchain_relax(const hl_rchain_slow *s, const double *q, double tau, double tol,
                    double *out);
/* 1 if hl_rchain_relax can go tau past the switch time (lambda1 known, or
 * tau resolution <= tol), 0 if only an integrator can. */
int hl_rchain_relaxable(const hl_rchain_slow *s, double tau, double tol);

#endif
