/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * memory.h -- memory and ageing experiments on the master equation: the
 * Kovacs experiment (quench, age, jump: the memory hump) and the two-time
 * autocorrelation after a quench (ageing), on the hypercube model's class
 * lattice or on any reversible chain (a network of minima).
 *
 * The system (hl_memsys).  States i with an observable A_i and, optionally,
 * a basin (the "liquid"):
 *   - the hypercube model at dimension D (hl_memsys_create_model): the
 *     (D/2 + 1)^2 classes (a, b) = (n1, n - n1), index a (D/2 + 1) + b, the
 *     master equation of eq 5.6 with the rates of eq 5.2 (time in units of
 *     1/B), A = phi(x, y) per dimension (eq 4.11 or the model's phi), and
 *     the liquid basin of the CURRENT temperature: the classes whose
 *     steepest ascent of ln Q_eq = ln W - beta Phi ends at the maximum of f
 *     named "liquid" (as exact.h and evolve.h name basins);
 *   - a reversible chain (chain.h; hl_memsys_create_chain): its states,
 *     an observable given per state (for a network: the energy E of the
 *     minimum, hl_network_energies), and an optional basin given as a set
 *     of states (fixed, the same at every temperature); time in the unit of
 *     the chain's rates, T = 1/beta in its energy unit.
 * p(t) is propagated by the library's engines, never by a new integrator:
 * hl_evolve (the class lattice) and hl_chain_evolve (a chain) at a fixed
 * temperature, each from a normalised non-negative vector; rtol is passed
 * to them (0: 1e-10 for the model, 1e-12 for a chain, whose Krylov error
 * is about rtol/100 absolute per entry).
 *
 * Equilibrium references: <A>_eq(T) of the whole system, and <A>_basin(T)
 * of the basin alone (the equilibrium restricted to the basin's states and
 * renormalised: the metastable liquid).  For the model these are
 * hl_exact_compute's mean_phi and its "liquid" basin's mean_phi (exact.h).
 *
 * Starts (at T0): HL_MEMORY_START_EQUILIBRIUM, the equilibrium at T0;
 * HL_MEMORY_START_BASIN, its part in the basin (of T0, for the model)
 * alone, renormalised (a supercooled liquid without crystal nuclei, as
 * `scan --start liquid`).
 *
 * Ownership: the system borrows the model or chain (it must outlive the
 * system) and copies the observable and the basin.  One system is not to
 * be used by two threads at once.  Errors: HL_EINVAL (NULL argument),
 * HL_EDOM (a bad option, naming it), HL_ENOTFOUND (no basin where one is
 * needed), HL_ENOMEM, and the errors of the engines, passed on; every
 * error has a one-line message (hl_errmsg).
 */
#ifndef HYPERLAND_MEMORY_H
#define HYPERLAND_MEMORY_H

#include <stddef.h>
#include "hyperland/model.h"

typedef struct hl_chain hl_chain; /* chain.h (repeated: C11 allows it) */

typedef struct hl_memsys hl_memsys;

enum { HL_MEMORY_START_EQUILIBRIUM = 0, HL_MEMORY_START_BASIN = 1 };
enum { HL_MEMORY_REF_BASIN = 0, HL_MEMORY_REF_TOTAL = 1 };

/* The model at dimension dim (even, as hl_check_dim; the 2-D class lattice
 * of hl_evolve, D up to HL_EVOLVE_GENERAL_DIM_MAX).  rtol: hl_evolve's
 * (0: 1e-10; [1e-14, 1e-4]).  *out: hl_memsys_free. */
int hl_memsys_create_model(const hl_model *model, long dim, double rtol, hl_memsys **out);

/* A connected chain without exits (hl_chain_evolve), its observable
 * (n_states entries, finite, copied) and its basin (n_basin distinct
 * states, copied; n_basin = 0: no basin).  rtol: hl_chain_evolve's (0:
 * 1e-12; [1e-14, 1e-4]).  HL_EINVAL for a chain of several components or
 * with exits (found at the first temperature used); HL_EDOM at a
 * temperature a chain right at one temperature only is not right at
 * (hl_chain_set_valid_temperature). */
int hl_memsys_create_chain(const hl_chain *chain, const double *observable, const long *basin,
                           size_t n_basin, double rtol, hl_memsys **out);
void hl_memsys_free(hl_memsys *s); /* NULL-safe */

/* Number of states; 1 if the system has a basin (the model always has one
 * by name, present or not at a given T). */
long hl_memsys_states(const hl_memsys *s);
int hl_memsys_has_basin(const hl_memsys *s);

/* <A>_eq(T) of the whole system (ref HL_MEMORY_REF_TOTAL) or of the basin
 * (HL_MEMORY_REF_BASIN) at T (> 0, finite).  HL_ENOTFOUND when the basin
 * is missing at T (or the system has none). */
int hl_memsys_reference(hl_memsys *s, int ref, double T, double *mean);

/* ------------------------------------------------------------- Kovacs */

/* The Kovacs experiment (A. J. Kovacs, Fortschr. Hochpolym.-Forsch. 3, 394
 * (1963)) at three temperatures T1 < T2 < T0:
 *   1. the start at T0 (start);
 *   2. quench to T1 at t = 0 and age there: p(t) = exp(L(T1) t) p(0);
 *   3. at the ageing time t_a with <A>(t_a) = A_ref = <A>_eq(T2) of the
 *      reference (ref: the basin's, or the whole system's), jump to T2 and
 *      follow <A>(t_a + tau) at T2.
 * With one relaxation mode the state at t_a is the equilibrium at T2 and
 * nothing moves after the jump; with several, the fast modes (equilibrated
 * towards T1) relax back up first while the slow ones (still hotter) come
 * down later: <A> leaves A_ref and returns to it, non-monotone (the memory
 * effect).
 *
 * t_a: the first sign change of <A>(t) - A_ref on the grid (0, grid[0],
 * grid[1], ...) at T1, then Brent's root finder (zeroin) on the bracket,
 * each value propagated from the grid point before it, to |<A>(t_a) -
 * A_ref| <= 1e-12 max(|A_ref|, |<A>(0) - A_ref|) or the bracket at 1e-14
 * relative (age_residual: the |<A>(t_a) - A_ref| reached).
 * Sign convention: the deviation is delta(tau) = <A>(t_a + tau) - A_ref
 * (for phi or E: positive = above the equilibrium of T2, the usual
 * direction of the hump after ageing at a lower T1); the hump is its
 * largest value over tau > 0, hump_height = max delta, hump_time = its tau
 * (time after the jump), on the grid and then refined on 4 levels of 33
 * log-spaced times between the neighbours of the best point (each level
 * one propagation; ln tau to about 2e-6 for 10 grid times a decade).  Its resolution:
 * hump_resolution = age_residual + 100 rtol (|A_ref| + spread), spread =
 * the largest |A_i - A_ref| over states with p > 1e-300 of the largest at
 * t_a.  A hump at or below the resolution, or whose maximum is at the
 * first or last grid point, has hump_time NaN with hump_null set
 * (hump_height is still the largest delta on the grid: a number).  When
 * delta < -hump_resolution at every grid time there is no positive
 * maximum: hump_null says so and names the dip (the most negative delta
 * and its tau), not "within the resolution". */
typedef struct {
    double t0, t2;        /* T0 > T2 > 0, finite                          */
    int start;            /* HL_MEMORY_START_*                            */
    int ref;              /* HL_MEMORY_REF_* (the target A_ref)           */
    const double *grid;   /* n_grid times, > 0, strictly increasing: the
                             ageing search and the curve after the jump  */
    size_t n_grid;        /* >= 3                                         */
} hl_kovacs_options;

enum { HL_KOVACS_AGE = 0, HL_KOVACS_JUMP = 1 };

typedef struct {
    int stage;        /* HL_KOVACS_AGE (t since the quench, at T1) or
                         HL_KOVACS_JUMP (tau since the jump, at T2)       */
    double t;
    double mean;      /* <A>                                              */
    double deviation; /* <A> - A_ref                                      */
    double p_basin;   /* population of the basin (the model: of the
                         current T; NaN: no basin)                        */
    double sum_error; /* |sum p - 1|                                      */
} hl_kovacs_point;

typedef struct {
    double t1;
    double a_start;        /* <A> at t = 0 (the start)                    */
    double a_ref;          /* A_ref = <A>_eq(T2) of the reference         */
    double a_eq_t1;        /* <A>_eq(T1) of the same reference (NaN: the
                              basin is missing at T1)                     */
    double t_age;          /* t_a (NaN: not reached, see age_null)        */
    double age_residual;   /* |<A>(t_a) - A_ref|                          */
    double hump_height, hump_time, hump_resolution;
    double hump_p_basin;   /* basin population at the hump (NaN: none)    */
    double max_sum_error;  /* largest |sum p - 1| of the run              */
    long propagations;     /* engine calls                                */
    char age_null[120], hump_null[120]; /* "" when the value is a number  */
} hl_kovacs_result;

/* Points of one run: at most 2 n_grid + 3 (pts must have that many). */
size_t hl_kovacs_max_points(const hl_kovacs_options *o);

/* One Kovacs run at T1 (< T2, > 0).  pts: the ageing curve (t = 0 and the
 * grid up to t_a, then t_a itself) and the curve after the jump (tau = 0
 * and the whole grid); *n_pts their number.  When t_a is not reached
 * within the grid the run stops after the ageing curve (age_null says
 * why, every later value NaN) and returns HL_OK.  HL_EDOM for bad
 * options; HL_ENOTFOUND when the reference is missing at T2, or the start
 * needs a basin that is missing at T0. */
int hl_kovacs_run(hl_memsys *s, const hl_kovacs_options *o, double t1, hl_kovacs_point *pts,
                  size_t *n_pts, hl_kovacs_result *res);

/* -------------------------------------------------------------- ageing */

/* The two-time autocorrelation after a quench from T0 to T at t = 0,
 * connected and normalised:
 *
 *   C(t_w + tau, t_w) = [<A(t_w + tau) A(t_w)> - <A(t_w + tau)><A(t_w)>]
 *                       / [<A^2(t_w)> - <A(t_w)>^2],
 *
 * from the propagator: with p = p(t_w) and u = (A - <A>(t_w)) p (sum u =
 * 0), the numerator is sum_j A_j [exp(L tau) u]_j.  u is split into its
 * positive and negative parts (each of mass m), each propagated as a
 * distribution by the engine: numerator = m (<A>_+(tau) - <A>_-(tau)), A
 * taken relative to <A>(t_w).  C(t_w, t_w) = 1.  For two observables: A
 * (phi or E) and the basin's occupation indicator (1 in the basin of T,
 * 0 outside).  The last row is the equilibrium at T (t_w -> infinity):
 * C_eq(tau) = sum_k c_k^2 exp(-lambda_k tau) / sum_k c_k^2 over the
 * relaxation modes, computed by the same propagation from p_eq(T).
 * Error: each mean is right to about rtol times the observable's spread
 * (max A - min A), so C is right to about c_error = 100 rtol spread /
 * sqrt(Var A(t_w)) in absolute terms (reported); a row whose c_error
 * exceeds 0.01 (digits lost: almost no variance), and the basin's row
 * without a basin at T, are NaN with the reason.  tau_e: the tau where C
 * first falls to 1/e (linear in ln tau between lags; NaN when not reached
 * within the lags, with the reason in tau_e_null / tau_e_basin_null). */
typedef struct {
    double t0, t;         /* T0 and the quench temperature T (> 0)       */
    int start;            /* HL_MEMORY_START_*                           */
} hl_ageing_options;

typedef struct {
    double tw;            /* the waiting time (NaN on the equilibrium row) */
    int equilibrium;      /* 1 on the last row                            */
    double mean, variance;          /* <A>(t_w), Var A(t_w)               */
    double p_basin, variance_basin; /* P(t_w), P (1 - P) (NaN: no basin)  */
    double tau_e, tau_e_basin;      /* 1/e times (NaN: not reached/null)  */
    double c_error, c_error_basin;  /* the error estimates of C           */
    double max_sum_error;           /* largest |sum p - 1| of the row     */
    char null_obs[120], null_basin[120]; /* why a column is null ("")    */
    /* why tau_e / tau_e_basin is NaN ("" when it is a number): the row is
     * null, or C stays above 1/e up to the last lag (its value there) */
    char tau_e_null[120], tau_e_basin_null[120];
} hl_ageing_row;

/* Rows for the waiting times tw[0 .. n_tw) (>= 0, finite, strictly
 * increasing) and the equilibrium row: C into c (n_tw + 1 rows of n_tau,
 * row-major) and the basin's into c_basin (same shape; NULL: not
 * computed), at the lags tau[0 .. n_tau) (>= 0, finite, strictly
 * increasing); rows: n_tw + 1 entries.  All caller-owned.  HL_EDOM for bad
 * options or times; HL_ENOTFOUND for a basin start without the basin at
 * T0. */
int hl_ageing_run(hl_memsys *s, const hl_ageing_options *o, const double *tw, size_t n_tw,
                  const double *tau, size_t n_tau, double *c, double *c_basin,
                  hl_ageing_row *rows);

#endif
