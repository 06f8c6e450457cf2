/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chain_evolve.h -- the master equation dP/dt = L(beta(t)) P of a
 * reversible chain (rchain.h) at a fixed temperature or under a protocol
 * (private to the library). */
#ifndef HL_CHAIN_EVOLVE_H
#define HL_CHAIN_EVOLVE_H

#include <math.h>
#include <stddef.h>

#include "hyperland/evolve.h"
#include "rchain.h"

/* HL_RCHAIN_FROZEN: no integration, P = p0 at every output: 2 t_last
 * max_a (rate out of a) e^2 <= 1e-3 rtol over the protocol (its rows and 64
 * temperatures between two rows), so nothing can move by more than that
 * (an infinitely fast quench, or rates that underflow) */
enum { HL_RCHAIN_CVODE = 0, HL_RCHAIN_KRYLOV = 1, HL_RCHAIN_FROZEN = 2 };

typedef struct {
    long steps;       /* CVODE steps                                   */
    long factorisations; /* sparse LU factorisations of I - gamma L     */
    long krylov_iterations;
    double max_sum_error; /* max |sum P - 1| over the output times      */
    double min_p;     /* most negative entry seen at the output times   */
    long fills;       /* calls of fill                                 */
    long rhs_evals;   /* right-hand sides L P (CVODE)                  */
    long jtimes;      /* products L v for GMRES                         */
    long prec_solves; /* preconditioner solves (UMFPACK)                */
    double rtol, atol; /* tolerances used                               */
    int method;       /* HL_RCHAIN_KRYLOV, HL_RCHAIN_CVODE (the last one
                         used) or HL_RCHAIN_FROZEN                      */
    const char *method_name; /* "krylov", "cvode", "cvode + krylov"
                                (a protocol: CVODE while beta changes,
                                Krylov after) or "frozen" (a library
                                string)                                  */
    long lumped_basins; /* > 0: the times past the switch time of the slow
                           modes came from the committor chain of this many
                           basins (lumped.h), 0 otherwise              */
    size_t lumped_outputs; /* how many outputs (the last ones) came from
                           that chain: their error has a part no second
                           integration sees (the reduction's, ~rtol
                           absolute)                                   */
} hl_rchain_evolve_info;

/* Integrate the master equation dP/dt = L(beta(t)) P of chain c from p0
 * (n entries, >= 0, summing to 1; 0 on states with ln_pi = -inf) and write
 * P at times[0..n_times-1] (>= 0, increasing) into p_out (n_times x n,
 * caller-owned).  Under a protocol whose beta changes, fill is called
 * whenever beta(t) is needed at a new t (at least once, with beta(0)), up
 * to the settling time tc (hl_protocol_settle_time) by CVODE; from tc on,
 * beta is fixed and the evolution is that of a fixed beta from the state
 * at tc.  With a fixed beta (a one-row protocol, or any constant one) fill
 * may be NULL and c is used as given (if given, fill is called once, with
 * that beta).  p may be NULL (fixed beta, c as given, fill not called).
 * Fixed beta and long times: when the last time is beyond 1e8 / |L|, the
 * integrators run to the switch time of the slow modes only, and the
 * slowest mode relaxes exactly after it (slow_modes.h).
 * Method at a fixed beta ("krylov"): P(t) = pi + exp(t L)(p0 - pi) in the
 * shift-and-invert Krylov space of (I - gamma L)^{-1}, gamma = t_last / 10
 * (one UMFPACK LU for all output times of a group spanning two decades;
 * every Krylov vector has zero sum, so sum P is kept to round-off), grown
 * until every output moves by less than rtol / 100; if that fails within
 * 160 vectors or gives a vector that is not a probability vector within 10
 * rtol, and under a protocol ("cvode"): SUNDIALS CVODE, BDF, Newton with
 * GMRES (exact products L v in flux form; the environment variable
 * HL_GRIDCHAIN_CVODE forces this path, for tests and benchmarks),
 * preconditioned by a sparse LU (UMFPACK, METIS ordering) of I - gamma L
 * that is reused while beta is unchanged and gamma within a factor 2 of
 * the factored one.  rtol: relative tolerance (0: 1e-8); CVODE runs at
 * rtol / 100 (at least 1e-14; its global error is 5 to 40 times its
 * tolerance), absolute tolerance (rtol / 100) * 1e-4 / states (info->rtol:
 * rtol; info->atol: CVODE's).  HL_ENOCONV if CVODE fails or an output
 * has |sum P - 1| or negative entries beyond 10 rtol.  The set of states
 * (ln_pi > -inf) must not change under fill (HL_EINVAL); a chain with exit
 * rates is HL_EINVAL (probability is not conserved).  times strictly
 * increasing; p0 must sum to 1 within 1e-9 (HL_EDOM); a rate that
 * overflows gives HL_ERANGE.  info (optional). */
int hl_rchain_evolve(hl_rchain *c, hl_rchain_fill_fn fill, void *ctx, const hl_protocol *p,
                     const double *p0, const double *times, size_t n_times, double rtol,
                     double *p_out, hl_rchain_evolve_info *info);

/* The same with CVODE at a fixed beta too (never the Krylov exponential),
 * and at rtol itself (the check evolutions' integrator):
 * CVODE's error control is per entry (rtol |P_i| + atol), so small
 * probabilities keep their digits, where the Krylov exponential's is a
 * 2-norm of the whole vector (an absolute error of about rtol / 100 on
 * every entry).  hl_evolve uses it: the class master equation reports
 * basin populations far below rtol. */
int hl_rchain_evolve_cvode(hl_rchain *c, hl_rchain_fill_fn fill, void *ctx,
                           const hl_protocol *p, const double *p0, const double *times,
                           size_t n_times, double rtol, double *p_out,
                           hl_rchain_evolve_info *info);

/* Settings of CVODE for long protocols with many outputs (hl_scan): the
 * defaults (all 0) are those of hl_rchain_evolve_cvode.
 *   interpolate    1: CVODE's steps end only at the protocol's rows (kinks
 *                  of beta(t)) and the outputs in between come from its
 *                  interpolant (of the order of the method, within the
 *                  local error test), instead of a step ending at every
 *                  output time: 402 outputs of a scan cost 3x fewer steps
 *                  and 7x fewer factorisations; measured differences of the
 *                  outputs ~1e-12 relative at rtol 1e-10 (README, scan).
 *   precond_dbeta  > 0: keep the LU of I - gamma L as GMRES's
 *                  preconditioner while |beta - beta_f| <= precond_dbeta
 *                  beta_f (beta_f: the beta it was factorised at; gamma in
 *                  a factor 2 as always): an older factor only costs Krylov
 *                  iterations, GMRES still converges to CVODE's tolerance.
 *   chol           1: the preconditioner by CHOLMOD on the symmetrised form.
 *   switch_margin  as above. */
typedef struct {
    int interpolate;
    double precond_dbeta;
    int chol;
    double switch_margin; /* > 0: the switch time's e-folds (slow_modes.h;
                             0: 40); the check evolutions use 48, so that a
                             truncation that matters shows as a difference */
    double route_rtol;    /* > 0: the tolerance the route is chosen by (the
                             basins' chain's exactness, how far the
                             integrators may go alone, a frozen chain, a
                             protocol's time resolution) in place of rtol:
                             a check evolution at a tighter rtol takes the
                             run's route                                 */
    long max_steps;       /* > 0: CVODE's step budget per run, no retry (a
                             check evolution gives up rather than run for
                             hours where the run took the Krylov route) */
    double *err_scale;    /* optional, n_times, 1 on entry: at each output
                             past the switch, the factor by which the
                             integrators' error has shrunk since (e^-lambda1
                             tau; the basins' chain's distance from
                             equilibrium, at most 1): 0 at equilibrium */
    double *lumped_dev;   /* optional, n_times: at each output from the
                             basins' committor chain, its distance from
                             equilibrium sum_j |p_j - M_j| (the reduction's
                             error vanishes with it); untouched elsewhere */
    double cvode_scale;   /* > 0: CVODE's relative and absolute tolerances
                             are this times rtol's (at least 1e-14; the
                             Krylov exponential's, the routes' and the
                             conservation checks' stay rtol's): BDF's
                             global error is 5 to 40 times its tolerance
                             (hl_rchain_evolve uses 0.01)                 */
} hl_rchain_evolve_opts;

/* The absolute error of a population from the basins' committor chain
 * that a second integration does not see: the reduction is exact to rtol
 * (its rates and shapes), and its error vanishes at equilibrium: at most
 * about rtol d (1 + ln(2 / d)) for the chain's distance d = sum_j |p_j -
 * M_j| from it (a slow mode e^-lambda t whose rate is off by rtol is off
 * by rtol lambda t e^-lambda t = rtol d ln(1/d)); d NaN (not known):
 * rtol. */
static inline double hl_lumped_floor(double rtol, double d)
{
    if (!(d >= 0))
        return rtol;
    if (d == 0)
        return 0.0;
    return rtol * fmin(2.0, d) * (1.0 + log(2.0 / fmin(2.0, d)));
}

/* The part of a check evolution's error estimate at an output time t that
 * the difference of the two runs cannot show, for one chain: 0 at t = 0
 * (the start itself); for a frozen chain (method HL_RCHAIN_FROZEN) what
 * could have moved by t, 2e-3 route_rtol scale (scale: err_scale, the
 * fraction of frozen_check's 1e-3 route_rtol); otherwise the check's summed
 * absolute tolerance 1e-4 rtol_check, shrunk by scale since the switch
 * (below it neither integrator promises a digit, and two runs can agree on
 * a value 1e6 times too small). */
static inline double hl_rchain_check_floor(int method, double t, double scale,
                                           double rtol_check, double route_rtol)
{
    if (!(t > 0))
        return 0.0;
    return method == HL_RCHAIN_FROZEN ? 2e-3 * route_rtol * scale : 1e-4 * rtol_check * scale;
}

/* hl_rchain_evolve with the settings o (NULL: all 0, CVODE at rtol itself;
 * hl_rchain_evolve passes cvode_scale 0.01) */
int hl_rchain_evolve_with(hl_rchain *c, hl_rchain_fill_fn fill, void *ctx, const hl_protocol *p,
                          const double *p0, const double *times, size_t n_times, double rtol,
                          double *p_out, hl_rchain_evolve_info *info,
                          const hl_rchain_evolve_opts *o);

int hl_rchain_evolve_cvode_opts(hl_rchain *c, hl_rchain_fill_fn fill, void *ctx,
                                const hl_protocol *p, const double *p0, const double *times,
                                size_t n_times, double rtol, double *p_out,
                                hl_rchain_evolve_info *info, const hl_rchain_evolve_opts *o);

#endif
