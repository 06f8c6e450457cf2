/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * hypercube_kmc.h -- exact kinetic Monte Carlo (Gillespie / BKL, rejection
 * free at fixed beta) on the 2^D vertices of the full hypercube, with
 * quenched disorder in the transmissions (paper section VI: "local
 * variations in transmission rates B_ij") and optional random vertex
 * energies.
 *
 * The dynamics.  A vertex is a spin vector sigma in {-1, +1}^D (spins
 * 0 .. D/2 - 1 are the first half, D/2 .. D - 1 the second); its class is
 * (a, b) = (+1 spins in the first half, +1 spins in the second half), i.e.
 * (n, n1) = (a + b, a), s = x + y = 4a/D - 1, d = x - y = 4b/D - 1.  Its
 * potential energy is Phi(v) = D phi(x, y) + eps(v).  Flipping spin i
 * (moving between neighbours v and v') happens at the rate
 *
 *   k(v -> v') = f_i B(x_mid, y_mid, T) exp(-beta (Phi(v') - Phi(v)) / 2)
 *
 * (eq 5.2 with eq 5.1 at the vertex level; x_mid, y_mid the midpoint of the
 * two classes).  f_i > 0 is spin i's transmission factor (1 for the clean
 * model); it is the same for both directions, so detailed balance holds
 * with respect to exp(-beta Phi(v)) and the disorder changes only the
 * kinetics.  With every f_i = 1 and eps = 0 the vertices of a class are
 * equivalent and the projection onto classes is exactly the class master
 * equation of eq 5.6 (hl_evolve): a class (a, b) has h - a, a, h - b, b
 * spins (h = D/2) whose flips give its four moves, each at the vertex rate.
 *
 * Per-spin disorder (the `disorder` spec of hl_hkmc_config):
 *   "none" (or NULL, "")      every f_i = 1;
 *   "lognormal:W"             ln f_i = W z_i - W^2/2 (z_i standard normal,
 *                             so E f = 1), W >= 0, in both halves;
 *   "lognormal:W1,lognormal:W2"  W1 in the first half, W2 in the second;
 *   "pair:W:R"                log-normal of width W in both halves with
 *                             spin i of the first half and spin i of the
 *                             second correlated: z_{h+i} = R z_i +
 *                             sqrt(1 - R^2) z'_i, -1 <= R <= 1
 *                             (correlated disorder);
 *   "file:PATH"               D positive finite numbers (whitespace or
 *                             comma separated, '#' comments), f_i in order.
 * The z are the normals of the stream (seed, HL_HKMC_STREAM_DISORDER) in
 * spin order (the second half's independent part z'_i continues the same
 * stream), so the factors are a function of (seed, spec) only.
 *
 * Vertex energies (vertex_shift = W > 0): eps(v) = W g(v), g standard normal
 * by Box-Muller on hl_rng_hash_uniform(seed, HL_HKMC_STREAM_VERTEX, key,
 * 0 and 1), where key identifies the vertex: for D <= 64 the bit set of its
 * +1 spins (bit i = spin i), exact; for D > 64 a Zobrist hash, the XOR of
 * 64-bit words z_i (stream (seed, HL_HKMC_STREAM_ZOBRIST), one per spin)
 * over its +1 spins, so two vertices share an energy only by a hash
 * collision (probability 2^-64 per pair).  W is in the units of Phi
 * (i.e. of D phi), not per dimension.
 *
 * Event selection.  Without vertex energies the rate of flipping spin i is
 * f_i r_q(a, b, beta), where q is its group (half, current value): q = 0
 * first-half -1 spins (a -> a + 1), 1 first-half +1 (a -> a - 1), 2
 * second-half -1 (b -> b + 1), 3 second-half +1 (b -> b - 1).  A group is
 * picked by F_q r_q (F_q its factors' sum), the spin inside it by one of
 * two methods (hl_hkmc_config.select):
 *   composition-rejection (HL_HKMC_SELECT_CR, the default; Slepoy,
 *     Thompson and Plimpton, J. Chem. Phys. 128, 205101 (2008)): the spins
 *     of a half are binned by the binary exponent of f (f in [2^b,
 *     2^(b+1))); a bin is picked by a scan of its weights (bins in order
 *     of decreasing weight), a member of the group uniformly, accepted with
 *     probability f / f_max(bin) >= 1/2, else redrawn.  O(1) expected per
 *     event (about one random cache line), a flip is O(1) plus O(bins).  The
 *     bin sums are exact integers (the 53-bit mantissas summed in 128 bits),
 *     so they never drift and need no rebuilds;
 *   tree (HL_HKMC_SELECT_TREE): a partial-sum tree per half (fan-out 8: one
 *     cache line per level), one descent per event: O(log D); the trees'
 *     double sums are rebuilt from the factors every 2^20 events (rounding
 *     drift) and whenever a descent lands outside its group.
 * Both pick spin i of group q with probability exactly f_i / F_q (up to the
 * rounding of F_q); they use the random stream differently, so a trajectory
 * is reproducible bit for bit per method (the one in the outputs), not
 * across methods.  D up to HL_DIM_MAX.  With vertex
 * energies every one of the D rates differs (their exponent has the
 * energies of the D neighbours): O(D) per event (D hashes, D exponentials
 * and a linear scan; bench/hypercube_kmc.sh measures it).
 *
 * Time-dependent temperature (a protocol, protocol.h): exact event times
 * by thinning (Lewis and Shedler 1979).  Between rows of the protocol
 * beta(t) is monotone (beta or T linear in t), so each rate, B times
 * exp(-beta dPhi / 2) with B independent of T, is monotone in beta and its
 * largest value over a window [t0, t1] inside one row interval is the
 * larger of its values at beta(t0) and beta(t1): a rigorous bound R_max of
 * the total rate.  Candidate times are drawn at rate R_max and accepted
 * with probability R(t) / R_max; a candidate beyond the window moves the
 * clock to its end (memorylessness) and the bound is renewed; the window
 * is at most 4 / R(t0) long.  The accepted times are distributed exactly
 * as the time-dependent process's.  A B that depends on T is accepted only
 * at fixed beta (HL_EINVAL under a varying protocol: no bound of B(T) is
 * available).  Once beta is constant (from the protocol's settling time)
 * the direct method runs.
 *
 * Randomness: trajectory j draws from stream (seed, j) of
 * src/core/rng_stream.h (Philox-4x64); its start vertex too.  A trajectory
 * is a pure function of (seed, j, disorder, model, protocol, start, times):
 * the same numbers bit for bit on any number of threads (OpenMP over the
 * trajectories, each written to its own rows) and in any split of the
 * trajectory ids over processes (merge in id order).
 *
 * Units: t in units of 1/B (the time of the master equation), beta in the
 * units of phi, s, d, x, y dimensionless.
 *
 * Errors: HL_OK or a negative HL_E* code with hl_errmsg() (model.h,
 * hyperland.h); nothing is printed.
 */
#ifndef HYPERLAND_HYPERCUBE_KMC_H
#define HYPERLAND_HYPERCUBE_KMC_H

#include <stddef.h>
#include <stdint.h>
#include "hyperland/model.h"
#include "hyperland/protocol.h"

/* chain.h's handle (the 2^D-vertex chain below); repeated here because
 * chain.h includes hyperland.h, which includes this header. */
typedef struct hl_chain hl_chain;

/* Stream ids (at or above HL_RNG_STREAM_RESERVED = 2^63) of the quenched
 * draws: per-spin factors, vertex energies, Zobrist words. */
#define HL_HKMC_STREAM_DISORDER (UINT64_C(0x8000000000000000) + UINT64_C(0x48430001))
#define HL_HKMC_STREAM_VERTEX (UINT64_C(0x8000000000000000) + UINT64_C(0x48430002))
#define HL_HKMC_STREAM_ZOBRIST (UINT64_C(0x8000000000000000) + UINT64_C(0x48430003))

/* Largest D for which hl_hkmc_vertex_chain builds the 2^D-vertex chain. */
#define HL_HKMC_CHAIN_DIM_MAX 20L

typedef struct hl_hkmc hl_hkmc;

typedef struct {
    long dim;             /* D: even, HL_DIM_MIN .. HL_DIM_MAX            */
    uint64_t seed;        /* the disorder's and the trajectories' seed    */
    const char *disorder; /* spec (above); NULL, "" or "none": clean      */
    double vertex_shift;  /* W >= 0 of the vertex energies; 0: none       */
    int select;           /* HL_HKMC_SELECT_*: the event selection of the
                             per-spin factors (0: the default)           */
} hl_hkmc_config;

/* Event selections (above); AUTO is composition-rejection. */
enum { HL_HKMC_SELECT_AUTO = 0, HL_HKMC_SELECT_TREE = 1, HL_HKMC_SELECT_CR = 2 };

/* The selection method's name of a handle: "composition-rejection",
 * "tree", or "scan" (vertex energies: the O(D) scan, whatever was asked). */
const char *hl_hkmc_select_name(const hl_hkmc *k);
/* "auto", "cr" (or "composition-rejection") or "tree" -> *select; HL_EINVAL
 * otherwise. */
int hl_hkmc_select_parse(const char *name, int *select);

/* Create the disordered hypercube of model (phi and B; borrowed, must
 * outlive the handle) and cfg (copied).  Draws the factors.  *out: free
 * with hl_hkmc_free.  HL_EINVAL (NULL, bad D, a spec that does not parse,
 * a negative or non-finite width, R outside [-1, 1], an unknown select),
 * HL_EIO (file), HL_EDOM
 * (a factor in the file not positive and finite, or not D of them),
 * HL_ENOMEM. */
int hl_hkmc_create(const hl_model *model, const hl_hkmc_config *cfg, hl_hkmc **out);
void hl_hkmc_free(hl_hkmc *k); /* NULL-safe */

long hl_hkmc_dim(const hl_hkmc *k);
uint64_t hl_hkmc_seed(const hl_hkmc *k);
/* The disorder as given, normalised (e.g. "lognormal:0.5,lognormal:1.5",
 * "file:PATH", "none").  Borrowed, valid while k lives. */
const char *hl_hkmc_disorder(const hl_hkmc *k);
double hl_hkmc_vertex_shift_width(const hl_hkmc *k);

/* The D factors f_i into f (caller-owned, D entries). */
int hl_hkmc_factors(const hl_hkmc *k, double *f);

/* Summary of the factors of each half (0: first, 1: second). */
typedef struct {
    double mean[2];           /* mean of f                                  */
    double mean_ln[2], sd_ln[2]; /* mean and standard deviation of ln f      */
    double min[2], max[2];
    double corr_ln;           /* correlation of ln f_i and ln f_{h+i}        */
} hl_hkmc_disorder_stats;
int hl_hkmc_disorder_summary(const hl_hkmc *k, hl_hkmc_disorder_stats *out);

/* eps(v) of the vertex with spins sigma (D entries, -1 or +1): 0 without
 * vertex energies.  HL_EINVAL for a spin not +-1. */
int hl_hkmc_vertex_energy(const hl_hkmc *k, const signed char *sigma, double *eps);

/* ------------------------------------------------------------ trajectories */

enum {
    HL_HKMC_START_CLASS = 0,  /* a vertex drawn uniformly in class (a, b)    */
    HL_HKMC_START_RANDOM = 1, /* a vertex drawn uniformly (infinite T)       */
    HL_HKMC_START_VERTEX = 2  /* the given vertex                            */
};

typedef struct {
    int kind;
    long a, b;                 /* HL_HKMC_START_CLASS: 0 .. D/2 each        */
    const signed char *sigma;  /* HL_HKMC_START_VERTEX: D spins (+-1)       */
} hl_hkmc_start;

/* Per-trajectory counters. */
typedef struct {
    long long events;     /* accepted flips                                  */
    long long rejected;   /* thinning candidates rejected (protocol only)    */
    long long rebuilds;   /* tree (re)builds: at the start, periodic and on
                             a bad descent; 0 for composition-rejection  */
} hl_hkmc_traj_info;

/* Run trajectories traj_first .. traj_first + traj_count - 1 under
 * protocol p (hl_protocol_create_fixed for a fixed beta) from start, and
 * record the class at each of times[0 .. n_times - 1] (finite, >= 0,
 * strictly increasing; the state at time t is the one after every event at
 * or before t).  ab: caller-owned, traj_count x n_times x 2 longs,
 * ab[(j n_times + k) 2 + 0] = a, [.. + 1] = b for the j-th trajectory of
 * the range.  info: traj_count entries or NULL.  OpenMP over the
 * trajectories (results independent of the thread count).  HL_EINVAL for
 * bad arguments or a B that depends on T under a varying protocol, HL_EDOM
 * for a rate that is not finite and positive, HL_ENOMEM. */
int hl_hkmc_sample(const hl_hkmc *k, const hl_protocol *p, const hl_hkmc_start *start,
                   const double *times, size_t n_times, long traj_first, long traj_count,
                   long *ab, hl_hkmc_traj_info *info);

/* One trajectory's full history at fixed beta or under p: the spins at the
 * end (sigma_out, D entries, may be NULL) and the class after each of the
 * first max_events events (t_out, ab_out of max_events and 2 max_events
 * entries, may be NULL), stopping at t_end or after max_events events;
 * *n_events = the events recorded.  For tests and the bench. */
int hl_hkmc_trajectory(const hl_hkmc *k, const hl_protocol *p, const hl_hkmc_start *start,
                       long traj_id, double t_end, long max_events, double *t_out,
                       long *ab_out, signed char *sigma_out, long *n_events,
                       hl_hkmc_traj_info *info);

/* Means and variances over trajectories of the recorded classes: for
 * each time k, s, d, x, y (their means, standard errors of the means and
 * variances), summed in trajectory order (deterministic). */
typedef struct {
    double t;
    double mean[4], se[4], var[4]; /* s, d, x, y */
} hl_hkmc_moments;
int hl_hkmc_moments_compute(long dim, const double *times, size_t n_times, long n_traj,
                            const long *ab, hl_hkmc_moments *out);

/* ------------------------------------------------------------ the 2^D chain */

/* The master equation on all 2^D vertices as a public chain (chain.h),
 * D <= HL_HKMC_CHAIN_DIM_MAX: state v = the bit set of the +1 spins (bit i
 * = spin i), ln M_v = -beta Phi(v) as energy Phi(v) (entropy 0), edges
 * between neighbours with ln A = ln f_i + ln B(x_mid, y_mid, T) (B at the
 * temperature T0 = 1/beta0; it must not depend on T unless beta0 is the
 * only temperature used).  Then K(v -> v') = A sqrt(M_v' / M_v) is the KMC's
 * rate at every beta.  *out: free with hl_chain_free.  HL_ERANGE for D too
 * large. */
int hl_hkmc_vertex_chain(const hl_hkmc *k, double beta0, hl_chain **out);

/* The class (a, b) of vertex state v of that chain. */
void hl_hkmc_vertex_class(long dim, long v, long *a, long *b);

/* ------------------------------------------------------------ mobility */

/* Options of the mobility measurement at fixed beta. */
typedef struct {
    double beta;
    double x0, y0;         /* the start point (class nearest to it), e.g. a
                              maximum of f (thermodynamics.h)             */
    long trajectories;     /* per run (equilibrium, s-displaced, d-displaced) */
    double t_burn;         /* equilibration before the displacement run   */
    double t_measure;      /* length of the displacement average           */
    double displacement;   /* the relaxation starts, in standard deviations
                              of s (resp. d) from the equilibrium, >= 0.5  */
    double t_relax;        /* length of the relaxation runs                */
    size_t n_relax_times;  /* output times of the relaxation runs (>= 8)   */
    long traj_first;       /* the first trajectory id used (0)             */
    double *relax_curve;   /* optional, 4 n_relax_times entries (caller-
                              owned), at the output times t_k = k t_relax /
                              (n_relax_times - 1): [0 .. n) the s run's s
                              half-difference over its start's, [n .. 2n)
                              the d run's d, [2n .. 3n) the s run's d over
                              the s start's, [3n .. 4n) the d run's s over
                              the d start's (the cross responses)          */
} hl_hkmc_mobility_opts;

/* The mobility tensor K (dQ/dt = d_i [K_ij (d_j Q - Q d_j U)], U = D (w -
 * beta phi); mu = beta K, docs/fokker_planck.md) in (s, d), entries ss, sd,
 * dd, three ways:
 *   jump:    from short-time displacements: the t -> 0 limit of the
 *            displacement moments, K_ij = lim <dz_i dz_j> / 2t, measured
 *            without a time step as the time average (over [t_burn,
 *            t_burn + t_measure] and the trajectories) of the exact jump
 *            moments of the visited vertices: K_ss = (1/2)(4/D)^2 times
 *            the total rate of first-half flips (K_dd: second half); K_sd = 0
 *            for any single-spin dynamics (a flip moves s or d, never both);
 *   relax:   from the relaxation of the means: runs started from classes
 *            displaced by +-displacement standard deviations in s (resp.
 *            d), the + and - runs with the same trajectory ids (common
 *            random numbers), give T_ij = int_0^t_relax (<z_i>_+ - <z_i>_-)
 *            / 2 dt (trapezoid on the output times; the equilibrium mean
 *            and the even, non-linear part of the response cancel), A =
 *            Delta_0 T^{-1} (Delta_0: the half-differences of the starts as
 *            columns; A is the relaxation matrix of the linear regime,
 *            d<dz>/dt = -A <dz>), and K = A M^{-1} / D with M the Hessian
 *            of -f at (s_eq, d_eq): M_ss = 1/(2 (1 - s^2)) + beta phi_ss,
 *            M_sd = beta phi_sd, M_dd = 1/(2 (1 - d^2)) + beta phi_dd.  For
 *            a Markovian projection in the linear regime (the clean model)
 *            the two agree; under disorder the slow spins dominate the
 *            relaxation (tail: the remaining half-difference at t_relax
 *            relative to the start's; a large tail means the integral is
 *            cut and K_relax is too large);
 *   formula: the corrected eq 5.10, K_ss = (4 B / D) sqrt(1 - s^2), K_dd =
 *            (4 B / D) sqrt(1 - d^2), K_sd = 0, at (s_eq, d_eq) with B at
 *            (x_eq, y_eq, T) (no disorder factor).
 * The (x, y) tensor is K_xx = (K_ss + 2 K_sd + K_dd) / 4, K_yy = (K_ss -
 * 2 K_sd + K_dd) / 4, K_xy = (K_ss - K_dd) / 4. */
typedef struct {
    double beta;
    double s_eq, d_eq, s_eq_se, d_eq_se;  /* time averages of the equilibrium run */
    double s_var, d_var;                  /* their variances (over time and runs)  */
    double k_jump[3], k_jump_se[3];       /* ss, sd, dd                            */
    double k_relax[3], k_relax_se[3];     /* ss, sd, dd (se from 8 batches)         */
    double relax_a[4];                    /* A, row-major (s, d)                    */
    double tail[2];                       /* |remaining displacement| / start, s and d runs */
    double k_formula[3];
    double hess[3];                       /* M_ss, M_sd, M_dd                       */
    long start_a, start_b;                /* the start class of the equilibrium run */
    long relax_start[2][2];               /* (a, b) of the + starts of the s and d runs */
    long long events;                     /* all events of the three runs           */
} hl_hkmc_mobility;

/* Measure the mobility (above).  HL_EINVAL for bad options, errors of
 * hl_hkmc_sample. */
int hl_hkmc_mobility_measure(const hl_hkmc *k, const hl_hkmc_mobility_opts *o,
                             hl_hkmc_mobility *out);

/* A seed for a run without one: hl_kmc_seed_draw (kmc.h). */

/* (s, d) -> (x, y): kxy[0] = K_xx, [1] = K_xy, [2] = K_yy from ksd = ss,
 * sd, dd. */
void hl_hkmc_tensor_xy(const double ksd[3], double kxy[3]);

#endif
