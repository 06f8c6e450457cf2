/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kmc.h -- exact stochastic trajectories of one system (kinetic Monte
 * Carlo) on a reversible chain: the class lattice of eq 5.6 (any phi, any
 * B) or a public chain (chain.h; the networks of network.h), at a fixed
 * temperature or under a temperature protocol (protocol.h).
 *
 * Method.  Rejection-free kinetic Monte Carlo (Gillespie, J. Comput. Phys.
 * 22, 403 (1976); Bortz, Kalos and Lebowitz, J. Comput. Phys. 17, 10
 * (1975)): in state a with exit rate R_a = sum_j k_j the holding time is
 * exponential with rate R_a, then edge j is taken with probability k_j /
 * R_a.  The rates come from the chain's logs: per state ln R_a = lse_j
 * ln k_j and the cumulative probabilities exp(ln k_j - ln R_a) are built
 * once at the plan's final beta, so chains whose rates span hundreds of
 * decades work (a holding time whose rate is below ~1e-308 is infinite:
 * the state is kept to every later time).
 *
 * Time-dependent temperature: exact, by thinning (Lewis and Shedler,
 * Naval Res. Logist. Q. 26, 403 (1979)).  Until the protocol settles, time
 * is cut into windows inside which beta(t) is monotone (the protocol's
 * rows, each cut further where beta changes by more than 2 %).  Each
 * directed rate is ln k(beta) = lse_t (s_t - beta e_t) (a network: its
 * transition states; the class lattice: ln(count B) - beta dPhi/2), a
 * convex function of beta, so its largest value over a window is at one of
 * the window's two ends; a B(x, y, T) that depends on T is bounded instead
 * by interval arithmetic over the window's T range (rigorous, as the
 * model's own checks).  Candidate events are drawn at the bound R^ of the
 * current state, and accepted with probability R_a(beta(t)) / R^ at the
 * candidate's own time t (the rates at beta(t) exactly, never frozen over
 * a step); a candidate beyond the window's end is discarded (the process
 * is memoryless) and drawing restarts there.  After the protocol settles
 * the plain method runs at the final beta.
 *
 * Random numbers: trajectory i draws from the counter-based stream (seed,
 * i) (Philox-4x64, Random123): a start drawn from p0 (one uniform), then
 * per event one exponential and one uniform (under a protocol: per
 * candidate).  The same (seed, i) gives the same trajectory bit for bit on
 * any thread, process or machine; ensembles keep every trajectory's
 * record in trajectory order, so their statistics do not depend on the
 * number of threads or processes either.
 *
 * Units: time as the chain's rates (class lattice: 1/B of eq 5.2; a
 * network: its database's time unit); beta as protocol.h.
 *
 * Ownership and threads: a plan (hl_kmc) copies its rates; the protocol
 * and (class lattice with a B that depends on T) the model must outlive
 * it.  A plan is read-only after creation: any number of threads may run
 * trajectories of one plan at the same time.  Every array is the caller's.
 *
 * Errors: HL_OK or a negative HL_E* code with a one-line message in
 * hl_errmsg().  Nothing is printed.
 */
#ifndef HYPERLAND_KMC_H
#define HYPERLAND_KMC_H

#include <stddef.h>
#include <stdint.h>

#include "hyperland/chain.h"
#include "hyperland/evolve.h"
#include "hyperland/exact.h"
#include "hyperland/model.h"
#include "hyperland/protocol.h"

typedef struct hl_kmc hl_kmc;
typedef struct hl_chain hl_chain; /* chain.h (repeated: C11 allows it) */

/* ------------------------------------------------------------- plans */

/* The class lattice of eq 5.6 at even dimension dim (states i = a (h + 1) +
 * b, a = n1, b = n - n1, h = D/2; (h + 1)^2 states, memory about 190 bytes
 * per state, 250 with a B that depends on T: 48 MB at D = 1000) under
 * protocol p (hl_protocol_create_fixed for a fixed beta).
 * HL_EDOM for a bad D, or a phi / B that is not finite and positive on the
 * lattice at a temperature the protocol visits; HL_ENOMEM. */
int hl_kmc_create_lattice(const hl_model *m, long dim, const hl_protocol *p, hl_kmc **out);

/* A public chain (e.g. hl_network_chain) under protocol p: ln M = S -
 * beta E, every edge and transition state as in chain.h.  HL_EINVAL for a
 * chain with exit rates, HL_ERANGE when a rate overflows at a beta the
 * protocol visits, HL_EDOM when the protocol leaves a chain's valid
 * temperature (hl_chain_set_valid_temperature), HL_ENOMEM. */
int hl_kmc_create_chain(const hl_chain *chain, const hl_protocol *p, hl_kmc **out);

void hl_kmc_free(hl_kmc *k); /* NULL-safe */

/* Number of states. */
long hl_kmc_states(const hl_kmc *k);

/* A seed from the operating system (never 0), for a run without one. */
uint64_t hl_kmc_seed_draw(void);

/* --------------------------------------------------------- one trajectory */

typedef struct {
    uint64_t seed;
    const double *times; /* n_times observation times: finite, >= 0, strictly
                            increasing; the trajectory runs to the last    */
    size_t n_times;
    const double *p0;    /* n_states start distribution (>= 0, sum 1 within
                            1e-9), or NULL: start in state `start`        */
    long start;
    const long *target;  /* first-passage target states (distinct), or NULL */
    size_t n_target;     /* with a target the trajectory runs on past the
                            last time until it reaches it                  */
    long every;          /* hl_kmc_trajectory: record (t, state) after every
                            `every` events (0: none)                       */
    long max_events;     /* events per trajectory at most (0: 1e9); a
                            trajectory that reaches it is truncated        */
} hl_kmc_options;

typedef struct {
    double t;
    long state;
} hl_kmc_record;

typedef struct {
    long start;         /* the start state                                   */
    long events;        /* events (moves) made                               */
    long candidates;    /* under a protocol: candidate events drawn (thinning) */
    double fpt;         /* first-passage time to the target (0 when it starts
                           there); NaN without a target or when not reached  */
    int truncated;      /* 1: max_events was reached; later states are -1    */
    size_t n_records;   /* every-K records made (only the first cap stored)  */
} hl_kmc_info;

/* Trajectory `id` (its random stream is (seed, id)): state_at[k] = the
 * state occupied at times[k] (-1 after a truncation); records (optional,
 * capacity cap): (t, state) after every o->every events up to the last
 * time (the run is the same with any cap: a larger one gives the rest).
 * HL_EINVAL / HL_EDOM for bad options (naming them). */
int hl_kmc_trajectory(const hl_kmc *k, const hl_kmc_options *o, uint64_t id, long *state_at,
                      hl_kmc_record *records, size_t cap, hl_kmc_info *info);

/* ------------------------------------------------------------ ensembles */

/* The records of trajectories first .. first + n - 1 (a part of an
 * ensemble), in trajectory order.  Parts of consecutive ranges merge by
 * hl_kmc_part_append into the part of their union, the same bit for bit
 * however the range was split (threads, processes). */
typedef struct {
    uint64_t first;
    size_t n, n_times;
    long *state;        /* n x n_times: state at each time (-1: truncated)   */
    double *fpt;        /* n: first-passage time (NaN: no target / not
                           reached)                                          */
    long *events;       /* n                                                 */
    unsigned char *truncated; /* n                                          */
} hl_kmc_part;

/* Run trajectories [first, last) on all threads (OpenMP) into *part
 * (allocated here; hl_kmc_part_free).  o->every is ignored.  Memory:
 * (8 n_times + 17) bytes per trajectory.  Errors as hl_kmc_trajectory;
 * HL_EINVAL for last <= first. */
int hl_kmc_ensemble(const hl_kmc *k, const hl_kmc_options *o, uint64_t first, uint64_t last,
                    hl_kmc_part *part);
/* Append next (which must start where part ends, with the same n_times)
 * to part.  HL_EINVAL otherwise, HL_ENOMEM. */
int hl_kmc_part_append(hl_kmc_part *part, const hl_kmc_part *next);
/* Allocate an empty part for n trajectories from first (for a receiver). */
int hl_kmc_part_alloc(hl_kmc_part *part, uint64_t first, size_t n, size_t n_times);
void hl_kmc_part_free(hl_kmc_part *part); /* NULL-safe, zeroes it */

/* The mean and the sample variance (n - 1) over the trajectories of the
 * observable f (n_states values) at each time: mean[k], var[k], count[k]
 * (trajectories with a state at times[k]); NaN where count < 1 (mean) or
 * < 2 (var).  Sums in long double in trajectory order.  For an indicator f
 * (0/1: a set's population) the standard error is sqrt(var / count). */
int hl_kmc_moments(const hl_kmc_part *part, const hl_kmc *k, const double *f, double *mean,
                   double *var, size_t *count);

#define HL_KMC_QUANTILES 5 /* 0.05, 0.25, 0.5, 0.75, 0.95 */
typedef struct {
    size_t n, reached;   /* trajectories, of which reached the target        */
    double mean, sem;    /* mean first-passage time and its standard error
                            s / sqrt(n); NaN unless every trajectory reached */
    double sd;           /* sample standard deviation; NaN likewise          */
    double q[HL_KMC_QUANTILES]; /* quantiles (order statistic ceil(p n)); NaN
                            unless every trajectory reached                  */
    double min, max;     /* over those that reached (NaN: none)              */
} hl_kmc_fpt;

/* The first-passage statistics of a part; sorted (optional, part->n): the
 * times in increasing order (NaN last): the empirical distribution. */
int hl_kmc_fpt_stats(const hl_kmc_part *part, hl_kmc_fpt *s, double *sorted);

/* ----------------------------------------------------- the class lattice */

/* The start distribution of an evolve start (evolve.h) on the class
 * lattice at beta0 (p0: (h + 1)^2 entries), as hl_evolve uses it;
 * *start_class (optional): the class of a basin start, else -1. */
int hl_kmc_lattice_start(const hl_model *m, long dim, const hl_evolve_start *start,
                         double beta0, double *p0, long *start_class);

/* The basins of the class lattice at beta, as hl_evolve reports them:
 * basin[i] = the slot in basins[0 .. *n_basins) of class i (the steepest
 * ascent of ln Q_eq named after the nearest maximum of f; -1: none).
 * basin: (h + 1)^2 entries; basins: HL_MAX_BASINS entries (probability 0,
 * x, y where the ascent ends). */
int hl_kmc_lattice_basins(const hl_model *m, long dim, double beta, int *basin,
                          hl_basin *basins, int *n_basins);

#endif
