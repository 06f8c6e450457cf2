/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scan.h -- calorimetry on the master equation: a linear cooling scan from
 * T_high to T_low at rate q (T per unit time, time in units of 1/B),
 * optionally followed by reheating to T_high at the same rate, with the
 * apparent heat capacity, the fictive temperature, the glass transition
 * temperature T_g(q) and the heat-capacity overshoot on reheating; on the
 * hypercube model's class lattice (hl_scan_create) or on a reversible
 * chain, e.g. a network of minima (hl_scan_create_chain, below: the same
 * scan with the observable E in place of phi).
 *
 * The scan is hl_evolve (evolve.h) under the T protocol (0, T_high),
 * (t_c, T_low)[, (2 t_c, T_high)], t_c = (T_high - T_low) / q, from the
 * exact equilibrium at T_high (HL_SCAN_START_EQUILIBRIUM), or from the
 * liquid basin's part of it, renormalised (HL_SCAN_START_LIQUID: the
 * supercooled liquid without crystal nuclei, as a glass former is
 * prepared; classes below 1e-300 of the largest start empty, as in
 * hl_exact_distribution).  Outputs are taken at
 * n_points temperatures per leg, evenly spaced in T (step
 * h = (T_high - T_low) / (n_points - 1)).
 *
 * Apparent heat capacity per dimension (k_B = 1):
 *   c(T) = d<phi>/dT = (d<phi>/dt) / (dT/dt),  dT/dt = -q (cooling), +q
 * (heating), from <phi>(t) = sum Q phi of the master equation at the output
 * times: the second-order central difference in T on the even grid of each
 * leg (second-order one-sided at the two ends of a leg; a leg is
 * differenced on its own, since dT/dt changes sign at T_low).  Its
 * truncation error is estimated by the same difference on the grid of step
 * 2h (every other point): c_h - c_2h = 3/4 (c_2h - c_exact) + O(h^4), so
 * |c_h - c_2h| / 3 estimates |c_h - c_exact|; the largest over the scan is
 * c_error_estimate.
 *
 * Fictive temperature: T_f with <phi>_ref(T_f) = <phi>(t), for two
 * references, by safeguarded Newton in ln T (the derivative T c is the
 * exact heat capacity of the same sums; bisection where a step leaves the
 * bracket) to 1e-13 in ln T on hl_exact_compute after a bracket on a
 * table of 161 temperatures, log-spaced in [T_low / 4, 4 T_high]:
 *   tf_liquid: ref = <phi>_liquid(T), the liquid basin's own (metastable)
 *              equilibrium at finite D (exact.h, basin "liquid"), matched
 *              by the whole system's <phi>(t);
 *   tf_total:  ref = <phi>(T) of the whole system, matched by <phi>(t);
 *   tf_liquid_cond: ref = <phi>_liquid(T), matched by the basin-conditioned
 *              mean phi_liquid = <phi | liquid basin>(t) of the current
 *              distribution (Q restricted to the liquid basin of the current
 *              T, renormalised; evolve.h): the fictive temperature of the
 *              liquid part alone, which crystal in the system does not pull
 *              down (tf_liquid does: a system holding crystal has <phi>
 *              below its liquid's).  Null where the liquid basin is missing
 *              or empty.
 * Where no temperature of the range matches (the liquid basin missing at
 * some table temperature, or <phi> outside the reference's range, or no
 * sign change found) the value is NaN and the reason is set.  When several
 * temperatures match, the one nearest the current T is taken.
 *
 * T_g(q): the limiting fictive temperature on cooling, tf_liquid (and
 * tf_total and tf_liquid_cond beside it) at T_low at the end of the cooling
 * leg; it equals T_low when the scan stays in equilibrium.
 *
 * Overshoot on reheating: the largest local maximum of the excess
 * c(T) - c_ref(T) strictly inside the heating leg (a grid point not below
 * its two neighbours; T_low and T_high do not count), with c_ref the
 * liquid basin's equilibrium c (overshoot_*) or the whole system's
 * (overshoot_total_*): its height (the excess), the apparent c there and
 * its T.  Only a positive excess counts.  NaN with the reason when there is
 * no reheating, no such maximum,
 * or (liquid reference) the liquid basin is missing at some T of the leg.
 *
 * Integration: hl_evolve's 2-D chain (or product path) with two CVODE
 * settings for a long protocol with many outputs (chain_evolve.h): steps end
 * only at the protocol's rows, the outputs in between from CVODE's
 * interpolant, and the LU preconditioner is kept while beta changes by at
 * most 2%.  Both only change which steps CVODE takes, not its error test:
 * at D = 80 (glass B, rtol 1e-10) the outputs moved by <= 2e-12 relative
 * (<phi>, T_f) and 2e-10 absolute (c) against hl_evolve's own settings.
 * The default rtol is 1e-8 (it was 1e-10; half the steps): against the old
 * code at 1e-10, <phi> and T_f moved by <= 4e-11 relative and c by <=
 * 3e-9, far below c_error_estimate (>= 1e-5 in every scan measured).
 * A transmission B = exp(z) enters the rates as ln B = z (not log(exp(z)):
 * the same to an ulp), and the parts of B that do not depend on T are
 * computed once per bond; against the code before (D = 200, paper's phi,
 * glass B, five rates, reheating) <phi> moved by <= 1.5e-10 relative, T_f
 * by <= 4.5e-9, T_g by <= 1e-12, c by <= 5e-8 absolute (c_error_estimate
 * >= 1e-5).
 * hl_scan_run_many runs the rates in parallel, one per OpenMP thread
 * (hl_set_threads), the slowest first, each followed by its c, T_f, T_g on
 * an exact-sum plan of the thread's own; the numbers are the same bits for
 * any thread count (the race that once made them differ was METIS's shared
 * rand() in two concurrent orderings: one ordering at a time now).  A
 * chain's scans (hl_scan_create_chain) run one after the other.
 *
 * Ownership: the plan borrows the model (it must outlive the plan) and owns
 * an exact-sum plan; one plan is not to be used by two threads at once.
 */
#ifndef HYPERLAND_SCAN_H
#define HYPERLAND_SCAN_H

#include <stddef.h>
#include "hyperland/model.h"

typedef struct hl_scan hl_scan;
typedef struct hl_chain hl_chain; /* chain.h (repeated: C11 allows it) */

typedef struct {
    double t_high, t_low; /* 0 < t_low < t_high, finite                  */
    int reheat;           /* 1: heat back to t_high at the same rate     */
    size_t n_points;      /* outputs per leg, >= 5 (0: 201)              */
    double rtol;          /* hl_evolve's relative tolerance (0: 1e-8)    */
    int start;            /* HL_SCAN_START_EQUILIBRIUM (0) or _LIQUID    */
} hl_scan_options;

enum { HL_SCAN_START_EQUILIBRIUM = 0, HL_SCAN_START_LIQUID = 1 };

enum { HL_SCAN_COOL = 0, HL_SCAN_HEAT = 1 };

typedef struct {
    int leg;          /* HL_SCAN_COOL or HL_SCAN_HEAT                    */
    double t, T;      /* time (units of 1/B) and temperature             */
    double mean_phi;  /* <phi>(t) per dimension                          */
    double c;         /* apparent heat capacity d<phi>/dT                */
    double c_eq;      /* exact equilibrium c at T (whole system)         */
    double c_eq_liquid; /* the liquid basin's c at T (NaN: no basin)     */
    double phi_eq, phi_eq_liquid; /* equilibrium <phi> at T, both refs  */
    double tf_liquid, tf_total;   /* fictive temperatures (NaN: reason)  */
    char tf_liquid_null[80], tf_total_null[80]; /* "" when finite        */
    double p_liquid;  /* population of the liquid basin of the current T */
    double phi_liquid;      /* <phi | liquid basin>(t) (NaN: no basin or
                               no probability in it)                     */
    double tf_liquid_cond;  /* T_f of phi_liquid against the liquid
                               basin's equilibrium (NaN: reason)          */
    char tf_liquid_cond_null[80];
} hl_scan_point;

typedef struct {
    double rate;
    double tg_liquid, tg_total;  /* T_f at the end of cooling (NaN: see
                                    the last cooling point's reasons)    */
    double tg_liquid_cond;       /* tf_liquid_cond at the end of cooling  */
    double overshoot_excess, overshoot_c, overshoot_T; /* liquid ref.;
                                    NaN: overshoot_null                   */
    double overshoot_total_excess, overshoot_total_c, overshoot_total_T;
    char overshoot_null[80], overshoot_total_null[80];
    double c_error_estimate;     /* max |c_h - c_2h| / 3 over the scan;
                                    NaN with fewer than 7 points per leg */
    long steps;                  /* CVODE steps                          */
    int method;                  /* HL_EVOLVE_PRODUCT or _GENERAL (a chain:
                                    _GENERAL, the chain engine's CVODE)  */
} hl_scan_summary;

/* Plan scans of the model at dimension dim (even, as for hl_exact_create).
 * HL_EDOM for bad options (t_low >= t_high, t_low <= 0, non-finite,
 * n_points 1..4 or above 1e6, rtol outside [1e-14, 1e-2], an unknown
 * start) with a one-line message; HL_ENOTFOUND for HL_SCAN_START_LIQUID
 * when T_high has no liquid basin; HL_ENOMEM.  *out: hl_scan_free(). */
int hl_scan_create(const hl_model *model, long dim, const hl_scan_options *opt,
                   hl_scan **out);
void hl_scan_free(hl_scan *s);

/* A scan of a reversible chain (chain.h): a network of minima (network.h:
 * hl_network_chain), or any connected chain without exits.  The chain's
 * master equation under the same T protocol is run by the chain engine
 * (the chain's rates rebuilt at every beta the integrator visits: BDF,
 * CVODE, in the symmetrised flux form; probability conserved to
 * round-off, rates far below 1e-300 fine; the scan's settings above), from
 * the chain's equilibrium at T_high (HL_SCAN_START_EQUILIBRIUM) or its
 * part in the basin renormalised (HL_SCAN_START_LIQUID).  Time is in the
 * unit of the chain's rates, T in the unit of its energies (k_B = 1).
 *
 * What is averaged: the observable is the ENERGY PART E_a of each state
 * (ln M_a = S_a - E_a / T, hl_chain_set_state; for a PATHSAMPLE network the
 * potential energy of minimum a, and S_a = -F_a/2 - ln o_a its harmonic
 * vibrational entropy): the points' mean_phi is <E>(t) = sum_a p_a(t) E_a
 * (the mean potential energy of the minima occupied, in the energy unit;
 * not per dimension), c = d<E>/dT the apparent configurational heat
 * capacity in units of k_B, and the references are the chain's equilibrium
 * p_a = M_a / sum M (harmonic superposition: a minimum's weight includes
 * its vibrational free energy):
 *   phi_eq = <E>_eq(T),  c_eq = d<E>_eq/dT = Var(E)/T^2 (exact: S_a does
 *            not depend on T), the configurational part of
 *            hl_network_thermodynamics' heat_capacity (modes = 0; the
 *            vibrational K k_B of K classical harmonic modes adds to c and
 *            c_eq alike and changes no T_f);
 *   phi_eq_liquid, c_eq_liquid: the same over the basin's states alone,
 *            renormalised (the conditioned, metastable equilibrium, as the
 *            basin reference of memory.h); NaN without a basin;
 *   p_liquid, phi_liquid: the basin's population and <E | basin>(t).
 * The T_f's and T_g's are defined as above with E for phi (tf_liquid and
 * tf_liquid_cond against the basin's equilibrium, tf_total against the
 * whole chain's); <E>_eq(T) is increasing in T (its derivative is a
 * variance), so a match is unique.  Without a basin the basin's fields
 * are NaN with the reason "no basin given".  Digits: the engine's error
 * on <E> is bounded by e_res = 100 rtol (max E - min E) (CVODE's local error
 * test per entry, rtol |p_a| + atol, atol = 1e-4 rtol / states: the
 * global error measured on the two-state ramp against an independent
 * 25-digit integration, test_scan_chain.c, is 8-13 rtol); a
 * T_f whose uncertainty e_res / c_ref(T_f) exceeds 1e-3 T_f (the weights
 * frozen out, c_ref tiny) is NaN with the reason.  The equilibrium c below
 * the smallest normal double is NaN (never 0, unless every state of the
 * set has one E: then exactly 0).
 * The basin: n_basin distinct chain states (fixed at every T), copied;
 * n_basin = 0: none.  HL_EINVAL for a chain with exits, of several
 * connected components, a bad basin state; HL_ENOTFOUND for
 * HL_SCAN_START_LIQUID without a basin; option errors as hl_scan_create;
 * HL_EDOM for a chain right at one temperature only
 * (hl_chain_set_valid_temperature: a scan leaves it).
 * Memory: the engine keeps n_points (x2 with reheating) x states doubles.
 * The chain is borrowed: it must outlive the scan. */
int hl_scan_create_chain(const hl_chain *chain, const long *basin, size_t n_basin,
                         const hl_scan_options *opt, hl_scan **out);

/* Points of one scan: n_points, or 2 n_points - 1 with reheating (T_low is
 * shared by the two legs and reported once, on the cooling leg). */
size_t hl_scan_points(const hl_scan *s);

/* Run one scan at cooling rate q (> 0, finite; HL_EDOM otherwise) and fill
 * pts (caller-owned, hl_scan_points entries) and *sum.  Errors of
 * hl_evolve and hl_exact_compute are passed on. */
int hl_scan_run(hl_scan *s, double q, hl_scan_point *pts, hl_scan_summary *sum);

/* n_rates scans at rates[0..n_rates-1]: pts (n_rates x hl_scan_points,
 * rate-major) and sums (n_rates), the same numbers as n_rates calls of
 * hl_scan_run (in parallel on a model, see above: the same bits).  Every
 * rate is checked before any runs. */
int hl_scan_run_many(hl_scan *s, size_t n_rates, const double *rates, hl_scan_point *pts,
                     hl_scan_summary *sums);

#endif
