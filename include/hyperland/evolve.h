/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * evolve.h -- time evolution of the contracted master equation (eq 5.6 with
 * the rates of eq 5.2): dQ/dt = L Q for the class probabilities Q(n, n1),
 * at fixed beta or under a temperature protocol T(t) / beta(t).
 *
 * L(j -> i) = count * B(mid, T) * exp(beta (Phi_j - Phi_i) / 2), i.e. the
 * generator of master.h before symmetrisation; time in units of 1/B.
 *
 * Method: the chain is integrated by the library's one evolution engine
 * (the grid-chain evolution of src/solvers): SUNDIALS CVODE (BDF, variable
 * order and step, GMRES with the exact products L v, preconditioned by a
 * sparse LU of I - gamma L that is kept while beta and gamma allow),
 * restarted at every row of the protocol; its error control is per entry,
 * so small populations keep their digits.  For the paper's phi with B = 1
 * and a product start (a single class, the infinite-temperature state, an
 * equilibrium or a tilted state), L = L_a (x) 1 + 1 (x) L_b and Q stays the
 * product of two independent birth-death chains
 * in a = n1 and b = n - n1, each integrated on its own (h + 1 states: any D
 * up to 1e6).  Otherwise the 2-D chain over the (h + 1)^2 classes is
 * integrated (sparse: memory and time about linear in the classes; D up to
 * HL_EVOLVE_GENERAL_DIM_MAX).
 *
 * Long times: once beta is constant (from the protocol's settling time on,
 * t = 0 for a fixed beta or a constant protocol of any number of rows),
 * Q(t) = Q_eq + sum_k exp(-lambda_k t) c_k phi_k.  When an output time is
 * far beyond the fastest time scale (t |L| > 1e8), the integrators run only
 * to the switch time T = (40 + ln ||Q - Q_eq||_{1/Q_eq}) / lambda_2, when
 * every mode but the slowest has decayed below e^-40, and Q(T + tau) = Q_eq
 * + exp(-lambda_1 tau) (Q(T) - Q_eq) after it (per chain on the product
 * path): a convex combination, so sums, signs and means stay exact at any
 * tau.  lambda_1 is kept in logs, from the Dirichlet-form eigensolver or,
 * below its resolution, the capacity formula between the two basins.  With
 * two or more slow rates below the eigensolver's resolution the integrators
 * run until every mode but the B - 1 slowest has decayed (B the
 * steepest-ascent basins) and the committor reduction to the B-state chain
 * of the basins carries on (exact while that chain's rates are below
 * rtol lambda_B; README "Long times"); where neither applies, an output
 * time at which the unresolved modes could have moved is HL_ERANGE.  Any output whose |sum Q - 1|
 * or negative entries exceed 10 rtol is an error (HL_ENOCONV), never a
 * number.
 *
 * Ownership: nothing is kept after a call returns; the model and the
 * protocol are only read (protocol.h: the protocol owns its rows).
 */
#ifndef HYPERLAND_EVOLVE_H
#define HYPERLAND_EVOLVE_H

#include <stddef.h>
#include <stdio.h>
#include "hyperland/model.h"
#include "hyperland/exact.h"
#include "hyperland/protocol.h"

/* Largest D for the 2-D (non-product) path: (D/2 + 1)^2 classes (4e6 at
 * D = 4000), stored sparse (memory about linear in the classes: 25 MB at
 * D = 200, see the README for the measurements); the time grows faster
 * (CVODE steps times sparse solves). */
#define HL_EVOLVE_GENERAL_DIM_MAX 4000L

/* ---------------------------------------------------------------- start */

enum {
    HL_START_BASIN = 0,       /* the class at the local maximum of ln Q_eq
                                 of the named basin at the initial beta    */
    HL_START_INFINITE_T = 1,  /* Q = W / 2^D                              */
    HL_START_EQUILIBRIUM = 2, /* Q = W exp(-beta Phi) / Z at start.beta    */
    HL_START_CLASSES = 3,     /* a given distribution over the classes     */
    HL_START_TILTED = 4       /* the equilibrium at the first beta held by a
                                 field: Q ~ W exp(-beta Phi + D (field[0] x +
                                 field[1] y)), switched off at t = 0 (linear
                                 response)                                 */
};

typedef struct {
    int kind;
    const char *basin;  /* HL_START_BASIN: e.g. "liquid", "crystal"       */
    double beta;        /* HL_START_EQUILIBRIUM                           */
    const double *q;    /* HL_START_CLASSES: (h+1)^2 entries, index
                           a (h+1) + b with a = n1, b = n - n1; >= 0, sum
                           normalised to 1 here                          */
    double field[2];    /* HL_START_TILTED: the field per dimension       */
} hl_evolve_start;

/* ---------------------------------------------------------------- result */

enum { HL_EVOLVE_AUTO = 0, HL_EVOLVE_GENERAL = 1, HL_EVOLVE_PRODUCT = 2 };
/* or'ed into method: no check evolution (about half the time; for callers
 * that do not use the populations) */
enum { HL_EVOLVE_UNCHECKED = 0x100 };

typedef struct {
    double t, beta;
    double mean_x, mean_y, mean_phi; /* <x>, <y>, <phi> (phi per dimension)   */
    double mean_w;                   /* <ln W> / D, the class entropy          */
    double free_energy;              /* <phi> + (T/D) sum Q ln(Q/W) per dim.;
                                        -T ln Z / D at equilibrium            */
    double sum_error;                /* |sum Q - 1|                             */
    double min_q;                    /* smallest entry of Q (>= -tolerance)     */
    int n_basins;                    /* basins of the CURRENT beta (exact.h)    */
    hl_basin basins[HL_MAX_BASINS];  /* name, probability (ln_probability = its
                                        log, x/y where the ascent ends),
                                        mean_phi = <phi | basin> of Q: Q
                                        restricted to the basin's classes,
                                        renormalised (NaN if it holds no
                                        probability); the other fields of
                                        hl_basin are not set (0)              */
    double population_error[HL_MAX_BASINS]; /* estimated absolute error of
                                        basins[i].probability: the difference
                                        from the check evolution (see
                                        hl_evolve) + (rtol + 100 eps) P (the
                                        tolerance asked for; the weights'
                                        rounding) + 100 eps (t > 0), plus the basins' committor
                                        chain's reduction error at its
                                        outputs (up to rtol, 0 at
                                        equilibrium) and 2e-3 rtol for a
                                        frozen chain; with
                                        HL_EVOLVE_UNCHECKED rtol / 10 +
                                        (rtol + 100 eps) P, at a time the
                                        check cannot reach (it runs again
                                        without the latest times) 10 rtol +
                                        (rtol + 100 eps) P (100 eps P at
                                        t = 0).  A probability
                                        below 10 times its error has lost its
                                        digits (HL_POPULATION_RESOLVED).     */
    double mean_x_error, mean_y_error, mean_phi_error; /* estimated absolute
                                        errors of mean_x, mean_y, mean_phi:
                                        the difference from the check
                                        evolution + (the shared floor above +
                                        (rtol + 100 eps) <|x|>) (<|y|>,
                                        max |phi| and <|phi|> for phi); the
                                        floor alone where there is no check */
} hl_evolve_point;

/* 1 when a population p with estimated error err keeps a digit (err <= p /
 * 10); the CLI prints the others as "<bound" (text), null (JSON) or an
 * empty field (CSV). */
#define HL_POPULATION_RESOLVED(p, err) ((err) <= 0.1 * (p))

/* The estimated absolute error of a population (or any sum of
 * probabilities) p at output time t, as population_error above: the
 * difference from the check evolution's value p_check, the absolute floor
 * both runs share, rel_floor p (rtol, shrunk after the switch to the
 * slowest mode; hl_chain_evolve_protocol_check), and 100 eps of rounding,
 * relative and, at t > 0, absolute.  Used by every command that prints
 * populations with errors. */
double hl_population_error(double p, double p_check, double t, double floor, double rel_floor);

/* The check evolutions' retry rule: a check on the first nc output times
 * (increasing) that failed for the tries-th time (0 first) is run again on
 * the count returned, the times from a thousandth of the last one on left
 * out (a late time such as 1e300 that CVODE cannot reach must not take the
 * other times' checks with it); 0 after one retry: give up (a failed check
 * can spend its whole step budget).  The times no check reaches get the
 * documented absolute accuracy 10 rtol. */
size_t hl_check_retry_times(const double *times, size_t nc, int tries);

typedef struct {
    int method;          /* HL_EVOLVE_PRODUCT or HL_EVOLVE_GENERAL     */
    long start_n, start_n1; /* HL_START_BASIN: the start class            */
    long steps;          /* CVODE steps taken (0 if only the Krylov
                            exponential ran)                           */
    double rtol, atol;   /* rtol asked for; atol used (last chain)     */
    long krylov_iterations; /* Krylov vectors (sparse solves) at fixed beta,
                            and GMRES iterations under CVODE           */
    long factorisations; /* sparse LU factorisations of I - gamma L    */
    int integrator;      /* HL_EVOLVE_CVODE (the method of every
                            stretch; HL_EVOLVE_KRYLOV is reserved for a
                            Krylov exponential at a fixed beta)        */
} hl_evolve_info;

enum { HL_EVOLVE_KRYLOV = 1, HL_EVOLVE_CVODE = 2 };

/* Evolve Q from start under protocol p (eq 5.6 with eq 5.2 rates; eqs
 * 3.2-3.3 for the class master equation) and report the moments, free
 * energy and basin populations at each of times[0..n_times-1]
 * (non-negative, finite, strictly increasing).  points: caller-owned, n_times.
 * q_out (optional, n_times x (h+1)^2, index a (h+1) + b): Q at each time.
 * method: HL_EVOLVE_AUTO picks the product path when it applies, or'ed
 * with HL_EVOLVE_UNCHECKED to skip the check below.
 * Populations: the integrators control absolute errors (the 2-D chain at
 * rtol 1e-10 printed a crystal population of 7e-18 at t = 1 for the true
 * 8.6e-25), so every population comes with an error estimate: the same
 * evolution again by CVODE at ten times the run's tolerance (whose error
 * is then the larger: the difference bounds the run's) and with its switch
 * to the slowest mode 48 e-folds after the start instead of 40, the
 * difference of the two populations plus what both share (the basins'
 * committor chain's reduction, up to rtol; 100 eps P of rounding) in
 * points[k].population_error.
 * rtol: relative tolerance (0 for the default 1e-10); the integrator runs
 * at rtol / 10 (at least 1e-14) with the absolute tolerance (rtol / 10) *
 * 1e-4 / states per chain (info->rtol: the rtol asked for; info->atol:
 * the absolute tolerance used).
 * HL_EDOM for bad input (a B that is not positive and finite at a
 * temperature the protocol visits included), HL_ENOTFOUND for an unknown
 * start basin, HL_ERANGE when the 2-D chain is too large or a rate
 * overflows, HL_ENOMEM, HL_ENOCONV if an integrator fails or an output
 * time cannot be reached accurately (see above). */
int hl_evolve(const hl_model *model, long dim, const hl_protocol *p,
              const hl_evolve_start *start, const double *times, size_t n_times,
              int method, double rtol, hl_evolve_point *points, double *q_out,
              hl_evolve_info *info);

#endif
