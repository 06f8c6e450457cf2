/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * chain.h -- the master equation of section III for any reversible chain:
 * states (natural structures) with equilibrium weights and undirected
 * edges (transitions) with detailed-balance rates, built by a program from
 * arrays, and solved by hyperland's kinetic methods.
 *
 * The model (eqs 3.3-3.5).  State a has the unnormalised equilibrium weight
 *
 *   ln M_a(beta) = S_a - beta E_a                                    (eq 3.3)
 *
 * (S_a: a dimensionless entropy-like part, E_a: an energy in the unit in
 * which beta = 1/(k_B T) is given; E_a = 0 gives a temperature-independent
 * weight).  An edge between a and g has a symmetric factor A_ag = A_ga
 * (eq 3.5) and the rates
 *
 *   K(a -> g) = A_ag sqrt(M_g / M_a)                                 (eq 3.4)
 *
 * which obey detailed balance, M_a K(a -> g) = M_g K(g -> a).  An edge is
 * given in one of two forms:
 *
 *   - hl_chain_add_edge:  ln A_ag(beta) = s - beta e  (directly);
 *   - hl_chain_add_transition_state:  a transition state of free energy
 *     G_ts(beta) = E_ts - S_ts / beta between a and g, with
 *     ln K(a -> g) = (S_ts - beta E_ts) - ln M_a  (harmonic transition-state
 *     theory as used by PATHSAMPLE/PyGT; the time unit is that of the
 *     prefactors the caller folded into S_ts, there are no hidden factors),
 *     i.e. ln A_ag = S_ts - beta E_ts - (ln M_a + ln M_g) / 2.
 *
 * Several edges between the same pair add (their A are summed, in log
 * space, at every beta); an edge from a state to itself changes nothing in
 * the master equation and is dropped (and counted).  A state may have an
 * exit (killing) rate, ln k_exit(beta) = s - beta e, out of the chain: the
 * chain is then sub-stochastic (absorbing targets, symmetry sectors).
 * Time is in the unit of the rates.
 *
 * Lifecycle (FFTW/SUNDIALS style): hl_chain_create -> hl_chain_set_state /
 * hl_chain_add_* -> hl_chain_plan_create(chain, beta) -> any number of
 * solves on the plan -> hl_chain_plan_free, hl_chain_free.  The plan holds
 * the set-up at one beta (log rates, merged edges, adjacency, connected
 * components).  A plan
 * copies what it needs: the chain may be changed or freed after the plan is
 * created, and the plan stays valid.  Neither handle is thread-safe; two
 * threads may use two plans of the same chain.
 *
 * Errors: every function returns HL_OK or a negative HL_E* code with a
 * one-line message in hl_errmsg() naming the state, edge or argument.
 * Nothing is ever printed.  Numbers that a method cannot resolve are
 * returned as NaN with the method's resolution, never as a rounded 0.
 */
#ifndef HYPERLAND_CHAIN_H
#define HYPERLAND_CHAIN_H

#include <stddef.h>
#include "hyperland/hyperland.h"
#include "hyperland/protocol.h"

typedef struct hl_chain hl_chain;
typedef struct hl_chain_plan hl_chain_plan;

/* ------------------------------------------------------------ building */

/* A chain of n_states states (0 .. n_states - 1), every ln M = 0 (weight
 * 1), no edges.  *out: free with hl_chain_free.  HL_EINVAL for
 * n_states < 1 or a NULL out, HL_ENOMEM. */
int hl_chain_create(long n_states, hl_chain **out);
/* NULL-safe. */
void hl_chain_free(hl_chain *chain);

/* ln M_a(beta) = entropy - beta energy for state a.  HL_EINVAL for a bad
 * state, HL_EDOM for a non-finite part. */
int hl_chain_set_state(hl_chain *chain, long a, double entropy, double energy);
/* The same for every state from arrays of n_states entries (energy may be
 * NULL: all 0). */
int hl_chain_set_states(hl_chain *chain, const double *entropy, const double *energy);

/* An edge a -- g with ln A(beta) = ln_a_entropy - beta ln_a_energy.  a == g:
 * dropped and counted (hl_chain_info).  HL_EINVAL for a bad state, HL_EDOM
 * for a non-finite part, HL_ENOMEM. */
int hl_chain_add_edge(hl_chain *chain, long a, long g, double ln_a_entropy, double ln_a_energy);
/* A transition state between a and g: ln K(a -> g) = (entropy_ts - beta
 * energy_ts) - ln M_a (see above).  Same errors. */
int hl_chain_add_transition_state(hl_chain *chain, long a, long g, double entropy_ts,
                                  double energy_ts);
/* An exit rate out of state a: ln k = entropy - beta energy (entropy =
 * -INFINITY removes it).  HL_EINVAL for a bad state, HL_EDOM for NaN/+inf. */
int hl_chain_set_exit(hl_chain *chain, long a, double entropy, double energy);

/* Bounds of the rounding already in the parts given (for the error bounds
 * of hl_chain_slow_rates): |error| of state a's entropy part at most
 * s_err[a], of its energy part at most e_err[a] (of ln M_a at most s_err[a]
 * + beta e_err[a]; e_err NULL: 0), of every edge's ln A at most edge_err.
 * A change of every ln M by at most delta_M and of every ln A by at most
 * delta_A changes each conductance by at most a factor e^(delta_A +
 * delta_M) and each weight by e^delta_M, so every Rayleigh quotient of
 * the Dirichlet form by at most e^(delta_A + 2 delta_M), and (Courant-
 * Fischer) every rate: hl_chain_slow_rates adds expm1(delta_A + 2 delta_M)
 * (1 + bound) to each rate's bound, delta_M and delta_A including the
 * plan's own rounding of s - beta e.  Without this call the parts count as
 * exact and nothing is added (the bounds are the methods').  HL_EINVAL
 * for a NULL chain or s_err, HL_EDOM for a negative or non-finite error,
 * HL_ENOMEM. */
int hl_chain_set_input_errors(hl_chain *chain, const double *s_err, const double *e_err,
                              double edge_err);

/* A chain right at one temperature only (e.g. one whose rate prefactors
 * depend on T and were evaluated at T into the entropy parts, as the
 * networks of `hyperland lattice-network` with such a B): after this call
 * every evaluation at k_B T' = 1/beta with |T' - T| > HL_CHAIN_VALID_RTOL T
 * is refused with HL_EDOM and a one-line message naming both temperatures
 * and why (a short reason, copied and clipped to 319 bytes; NULL: none):
 * hl_chain_plan_create, the protocol evolutions (every beta the integrator
 * visits, and every row of the protocol first), and the library's other
 * users of a chain (hl_kmc_create_chain, hl_scan_create_chain and the plans
 * of hl_memsys_create_chain; hl_network_* at a temperature).  T = NaN lifts
 * the restriction.  HL_EINVAL for a NULL chain, HL_EDOM for a T that is
 * not positive and finite (nor NaN). */
#define HL_CHAIN_VALID_RTOL 1e-12
int hl_chain_set_valid_temperature(hl_chain *chain, double T, const char *why);
/* HL_OK when the chain may be evaluated at k_B T (always without a valid
 * temperature; T = 1/beta), else the HL_EDOM above. */
int hl_chain_check_temperature(const hl_chain *chain, double T);
/* The same for every temperature of a protocol (its rows and t = 0; between
 * rows it interpolates monotonically). */
int hl_chain_check_protocol(const hl_chain *chain, const hl_protocol *protocol);

typedef struct {
    long states;           /* n_states                                        */
    long edges;            /* edges added (self-loops excluded)               */
    long pairs;            /* distinct pairs after merging parallel edges     */
    long self_loops;       /* edges a -- a dropped                            */
    long exits;            /* states with an exit rate                        */
    double valid_temperature; /* hl_chain_set_valid_temperature; NaN: any     */
} hl_chain_info;
void hl_chain_get_info(const hl_chain *chain, hl_chain_info *info);

/* ---------------------------------------------------------------- plans */

/* Evaluate the chain at inverse temperature beta (> 0 and finite; with no
 * energy parts beta does not matter but must still be valid) and keep the
 * set-up for solves.  *out: free with hl_chain_plan_free.  HL_EDOM for a
 * bad beta or one the chain is not right at (hl_chain_check_temperature),
 * HL_ERANGE if a log weight or rate is not finite at this beta (e.g. beta E
 * overflows), HL_ENOMEM.  The plan keeps any finite logs; each
 * solve checks the range it needs: the eigensolvers and integrators
 * (hl_chain_spectrum, hl_chain_evolve*) every rate below the double
 * overflow, the log-space solves (hl_chain_slow_rates, first passage)
 * every |ln K| and |ln M| (relative to the lowest-energy state) within
 * 1.75e11, the graph transformation's extended exponent; HL_ERANGE naming
 * the state or edge and beta otherwise. */
int hl_chain_plan_create(const hl_chain *chain, double beta, hl_chain_plan **out);
void hl_chain_plan_free(hl_chain_plan *plan);

/* ln of the normalised equilibrium probability of every state at the plan's
 * beta: ln M_a - ln sum_{g in the component of a} M_g, per connected
 * component (a chain of several components has one equilibrium per
 * component; hl_chain_components says which state is in which).
 * ln_p: n_states entries, caller-owned.  Exact in logs (weights below
 * 1e-300 are fine). */
int hl_chain_equilibrium(const hl_chain_plan *plan, double *ln_p);

/* Connected components along the edges: comp[a] in 0 .. *n_comp - 1,
 * numbered by their lowest state.  comp: n_states entries, caller-owned. */
int hl_chain_components(const hl_chain_plan *plan, long *comp, long *n_comp);

/* ln K(a -> g) at the plan's beta (after merging parallel edges); -INFINITY
 * if there is no edge.  HL_EINVAL for bad states. */
int hl_chain_ln_rate(const hl_chain_plan *plan, long a, long g, double *ln_rate);

/* What a solve did: the method (a static string from the library's method
 * table, e.g. "dense", "shift-invert", "graph-transformation",
 * "sparse-lu") and its resolution (see each solve). */
typedef struct {
    const char *method;
    double resolution;
} hl_chain_result;

/* ------------------------------------------------------------- spectrum */

/* The k slowest relaxation rates (eigenvalues of -S, S the symmetrised
 * generator of eqs 3.6-3.7 plus the exits), ascending; one exact 0 per
 * connected component without an exit comes first.  rates: k entries,
 * caller-owned; rates beyond the chain's size and rates below the
 * method's resolution (result->resolution, absolute, in rate units) are
 * NaN.  Method: dense LAPACK for chains of up to 1000 states, ARPACK shift-invert with a
 * sparse Cholesky factor otherwise, then a Rayleigh-Ritz step in Dirichlet
 * form (slow rates keep ~1e-15 relative accuracy however small).
 * result (optional).  HL_EINVAL for k < 1, HL_ENOCONV, HL_ENOMEM,
 * HL_ERANGE if a rate overflows a double. */
int hl_chain_spectrum(hl_chain_plan *plan, int k, double *rates, hl_chain_result *result);

/* The ln of the k slowest relaxation rates of a connected chain without
 * exits, right in relative terms however small (e.g. e^-2000, far below
 * the double range and below any eigensolver's absolute resolution):
 * ln_rates[0] = -INFINITY (the exact 0 of the equilibrium), then
 * ascending.  Three methods, each for the rates the others leave
 * (result->method names those used, joined by " + "):
 *   "dense" / "shift-invert": hl_chain_spectrum (dense first for up to
 *       1000 states; shift-invert only when gt-lanczos fails), used where
 *       it resolves a rate to 1e-12 relative and the rate is at least 1e-4
 *       of the largest exit rate of a state (below that its shifted solves
 *       lose the digits whatever its bound says: such a rate stands only
 *       where gt-lanczos confirms it, else the log-space method gives it);
 *   "gt-lanczos": Lanczos on the pseudo-inverse of the generator applied
 *       through the graph transformation's factor (one factor, no
 *       subtraction but one per application): resolves rate j to about
 *       eps nu_j / nu_1 relative, whatever the fast rates; used to 1e-12;
 *   "rayleigh-ritz": above the dense limit, where shift-invert would run,
 *       the Rayleigh-Ritz step in Dirichlet form (the one shift-invert ends
 *       with) on gt-lanczos's vectors of k + 1 rates, without a second
 *       factor; kept only when, for every rate, 100 eps |v|^T |S| |v| / nu
 *       plus the vector's distance to the rest of the spectrum (from
 *       gt-lanczos's residuals and the gap to the next rate) is at most
 *       1e-12 and the value agrees with gt-lanczos's; else shift-invert;
 *   "log-space": the pencil of the conductances and weights reduced by the
 *       graph transformation's positive elimination onto j + 1
 *       representative states (the bottoms of the j slowest basins); rate j
 *       is the fixed point lambda = the largest eigenvalue of the reduced
 *       pencil at lambda, exactly an eigenvalue by Sylvester's law of
 *       inertia while every eliminated pivot is positive and not nearly
 *       cancelled by the shift (checked), to a few ulps relative.
 * Every value is checked against every other method that resolves the
 * rate at all; after the dense method gt-lanczos always runs as a check,
 * and where the two disagree and gt-lanczos resolves the rate to 1e-9 its
 * value is kept (the dense bound holds only where its vector is right).
 * result->resolution is relative.  A rate no method gives is NaN and why
 * (optional, why_len bytes) says why.  HL_EINVAL for k < 1, a chain with
 * exits or of several components; HL_ERANGE beyond the extended range
 * (hl_chain_plan_create); HL_ENOCONV when two methods disagree beyond
 * their bounds; HL_ENOMEM. */
int hl_chain_slow_rates(hl_chain_plan *plan, int k, double *ln_rates, char *why,
                        size_t why_len, hl_chain_result *result);
/* The same with each rate's relative error bound: bounds (k entries) gets
 * 0 for rate 0, the bound of each rate given (the method's, plus the
 * rounding of the chain's values: hl_chain_set_input_errors) and NaN for a
 * rate not given; result->resolution is their largest. */
int hl_chain_slow_rates_bounds(hl_chain_plan *plan, int k, double *ln_rates, double *bounds,
                               char *why, size_t why_len, hl_chain_result *result);

/* ------------------------------------------------------ first passage */

/* First-passage methods (method argument; NULL: the first that applies):
 *   "graph-transformation"  renormalisation of the network (Trygubenko and
 *       Wales, Mol. Phys. 104, 1497 (2006); Wales, J. Chem. Phys. 130,
 *       204111 (2009)) as a sparse elimination in minimum-degree order with
 *       only sums and products of positive numbers and an unlimited
 *       exponent: every value to a few ulps for rates over any range;
 *   "sparse-direct"  a sparse Cholesky solve of the symmetrised system in
 *       double precision: independent, for weights within the double range;
 *       its resolution is eps / rcond.
 * result->resolution is the relative accuracy of the values. */

/* Mean first-passage time from every state to the target set, in logs:
 * ln_mfpt[a] = ln E[time to reach the target | start at a] (-INFINITY on
 * the target).  target: n_target distinct states.  ln_mfpt: n_states
 * entries, caller-owned.  HL_EINVAL for an empty or bad target or an
 * unknown method, HL_ENOTFOUND when a state cannot reach the target (its
 * component has no target state), HL_ERANGE beyond the extended range
 * (hl_chain_plan_create) or when the named method does not
 * apply. */
int hl_chain_mfpt(hl_chain_plan *plan, size_t n_target, const long *target,
                  const char *method, double *ln_mfpt, hl_chain_result *result);

/* Committor q_a = P(reach B before A | start at a), in logs, and its
 * complement 1 - q_a, each computed directly (values near 0 and near 1 both
 * keep their relative accuracy).  ln_q, ln_one_minus_q: n_states entries
 * (either may be NULL); ln q = 0 on B and -INFINITY on A.  HL_EINVAL for
 * empty, overlapping or bad sets, HL_ENOTFOUND when a state reaches
 * neither set. */
int hl_chain_committor(hl_chain_plan *plan, size_t n_a, const long *set_a, size_t n_b,
                       const long *set_b, const char *method, double *ln_q,
                       double *ln_one_minus_q, hl_chain_result *result);

/* The rate constants of one direction, source -> target, in logs (Wales
 * 2009).  With rho_s = M_s / P the local equilibrium in the source set
 * (P the source's weight):
 *   mfpt   T = sum_s rho_s T_s, T_s the MFPT from s to the target with the
 *          other source states not absorbing;
 *   k_f    k^F = 1 / T;
 *   k_nss  k^NSS = sum_s rho_s / T_s;
 *   k_ss   k^SS = J / P, J the reactive flux sum_{s in source, j} C_sj q_j
 *          (q the committor towards the target, C_sj = M_s K(s -> j)). */
typedef struct {
    double ln_mfpt, ln_k_f, ln_k_nss, ln_k_ss;
    double ln_p_source;   /* ln of the source's equilibrium probability      */
} hl_chain_direction;

/* Both directions between the sets A and B: ab (source A, target B) and ba
 * (source B, target A).  Errors as hl_chain_committor. */
int hl_chain_rate_constants(hl_chain_plan *plan, size_t n_a, const long *set_a, size_t n_b,
                            const long *set_b, const char *method, hl_chain_direction *ab,
                            hl_chain_direction *ba, hl_chain_result *result);

/* ------------------------------------------------------------ evolution */

/* P(t) of dP/dt = L P at the plan's beta from p0 (n_states entries, >= 0,
 * summing to 1 within 1e-9) at times[0 .. n_times - 1] (finite, >= 0,
 * strictly increasing) into p_out (n_times x n_states, row-major,
 * caller-owned).  Probability is conserved to round-off.  rtol (0: 1e-8):
 * the Krylov method's error is about rtol / 100 in absolute terms on every
 * entry, so probabilities far below rtol are not resolved relative to
 * themselves (use a smaller rtol, or the first-passage and spectrum solves,
 * which keep relative accuracy).
 * Method ("krylov"): Krylov exponential with one sparse LU (Arnoldi;
 * on a stiff chain, where the Arnoldi small exponential overflows or loses
 * digits, Lanczos on the symmetrised generator Pi^{-1/2} L Pi^{1/2}, whose
 * small exponential is unconditionally stable: the LJ38 tutorial path at
 * k_B T = 0.1 down to 0.05, LJ38-4k and LJ13 at 0.1); if that does not
 * converge, BDF ("cvode"); long times through the slowest mode in logs.
 * BDF runs at rtol / 100 (at least 1e-14): its global error is 5 to 40
 * times its tolerance (one block at D = 60, beta = 1, t = 3e8: 1.1e-9 at
 * 1e-10; two blocks at D = 40, t = 3.2e4: 1.7e-10 at 1e-11), so below
 * rtol in absolute terms; result->method says which ran;
 * pass a smaller rtol for BDF's accuracy to match the Krylov's.
 * result->resolution: the relative tolerance used.  A chain with
 * exit rates is HL_EINVAL (use the spectrum or first-passage solves).
 * HL_EDOM for a bad p0 or times, HL_ENOCONV. */
int hl_chain_evolve(hl_chain_plan *plan, const double *p0, const double *times,
                    size_t n_times, double rtol, double *p_out, hl_chain_result *result);

/* The same under a temperature protocol (protocol.h): the chain's weights
 * and edges follow beta(t) through their energy parts (ln M = S - beta(t) E,
 * ln A = s - beta(t) e, transition states likewise); the rates are rebuilt
 * whenever beta changes.  p0, times, rtol and p_out as hl_chain_evolve
 * (BDF at rtol / 100; rtol / 1000 above 1e-3, a thousandth of the
 * check's tolerance; the routes are chosen by rtol);
 * the chain must outlive the call (it is not kept).  Method: BDF ("cvode")
 * while beta changes, then as hl_chain_evolve once it is constant.
 * HL_ERANGE if a rate overflows at some beta(t), HL_EINVAL for exits. */
int hl_chain_evolve_protocol(const hl_chain *chain, const hl_protocol *protocol,
                             const double *p0, const double *times, size_t n_times,
                             double rtol, double *p_out, hl_chain_result *result);

/* A chain the caller builds at a given beta (e.g. one whose rate prefactors
 * depend on the temperature in a way ln A = s - beta e cannot express):
 * rebuild(ctx, beta, &chain) makes a new chain (the library frees it) with
 * the same states and the same edge pairs at every beta; a non-zero return
 * is passed on. */
typedef int (*hl_chain_rebuild_fn)(void *ctx, double beta, hl_chain **out);

/* hl_chain_evolve_protocol with the chain rebuilt by rebuild at every beta
 * the integrator visits (the same integrator: BDF while beta changes, then
 * as hl_chain_evolve at the final beta).  HL_EINVAL when a rebuilt chain
 * has other states or edges, else as hl_chain_evolve_protocol. */
int hl_chain_evolve_protocol_rebuild(hl_chain_rebuild_fn rebuild, void *ctx,
                                     const hl_protocol *protocol, const double *p0,
                                     const double *times, size_t n_times, double rtol,
                                     double *p_out, hl_chain_result *result);

/* A second, independent evolution of hl_chain_evolve_protocol's (or
 * _rebuild's) P(t), for an estimate of its error: CVODE throughout (never
 * the Krylov exponential; each integrator controls absolute errors only,
 * so a probability below them can carry no correct digit), at 10 rtol
 * (rtol / 10 above 1e-3), its switch to the slowest mode's exact
 * relaxation 48 e-folds after the start instead of 40 (slow_modes.h), on
 * the run's route (the basins' chain where the run takes it).  The
 * check's integration error is about 1000 times the run's BDF's, so
 * |P - P_check| bounds the run's unless the check's error nearly vanishes
 * at that output (at a tolerance ratio of 10 it fell 4 times short on one
 * block at D = 60; a tester's 48 worst runs of 1,152, 2,499 points, at the
 * ratio of 1000: at most 0.42 of the estimate).  rel_floor (optional, n_times):
 * the relative error both share, rtol (two runs can agree by chance below
 * the tolerance asked for), shrunk after the switch as floor's tolerance
 * part (0 at equilibrium and at t = 0): the error of a sum S of P over
 * states is about |S - S_check| + floor[k] + rel_floor[k] S.  floor (optional, n_times
 * entries): an absolute error both runs share, which the difference does
 * not show: rtol (0: 1e-8) at the outputs that came from the basins'
 * committor chain (exact to rtol, README "Long times"), 0 elsewhere.
 * p_check: n_times x n_states, caller-owned; arguments and errors as
 * hl_chain_evolve_protocol (a run the check cannot integrate fails with
 * its error, e.g. HL_ENOCONV). */
int hl_chain_evolve_protocol_check(const hl_chain *chain, const hl_protocol *protocol,
                                   const double *p0, const double *times, size_t n_times,
                                   double rtol, double *p_check, double *floor,
                                   double *rel_floor, hl_chain_result *result);
int hl_chain_evolve_protocol_rebuild_check(hl_chain_rebuild_fn rebuild, void *ctx,
                                           const hl_protocol *protocol, const double *p0,
                                           const double *times, size_t n_times, double rtol,
                                           double *p_check, double *floor, double *rel_floor,
                                           hl_chain_result *result);

#endif
