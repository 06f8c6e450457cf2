/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * blocks_kinetics.h -- kinetics of the model of k blocks on its class
 * lattice (the master equation of eq 5.2 as the reversible chain of
 * hl_blocks_chain) through the chain engine (chain.h): mean first-passage
 * times and committors between the basins of blocks_exact.h, and the
 * evolution of the class distribution at a fixed temperature or under a
 * protocol (a B that depends on T is rebuilt at every temperature).
 *
 * Time is in units of 1/B (eq 5.2).  Errors: HL_OK or a negative HL_E*
 * code with a one-line hl_errmsg().
 */
#ifndef HYPERLAND_BLOCKS_KINETICS_H
#define HYPERLAND_BLOCKS_KINETICS_H

#include <stddef.h>

#include "hyperland/blocks.h"
#include "hyperland/blocks_exact.h"
#include "hyperland/chain.h"
#include "hyperland/protocol.h"
#include "hyperland/relaxation.h"

typedef struct {
    long start;           /* the start class: the largest ln Q_eq of 'from' */
    long target_classes;  /* classes of the 'to' basin (the target set)      */
    double ln_mfpt;       /* ln of the mean first-passage time, units 1/B    */
    const char *method;   /* the chain engine's method (static string)       */
    double resolution;    /* its relative accuracy                           */
} hl_blocks_passage;

/* The mean first-passage time at beta from the class at the maximum of
 * ln Q_eq of basin `from` to the first class of basin `to` (basins and
 * their names as hl_blocks_exact_compute, hl_blocks_basin_find), by
 * hl_chain_mfpt with method (NULL: graph transformation; or
 * "sparse-direct").  ln_committor (optional, n_classes entries): ln of the
 * probability to reach `to` before the start class (hl_chain_committor,
 * -inf at the start, 0 on the target).  out->ln_mfpt is NaN where the
 * method lost every digit (resolution >= 1: sparse-direct on a stiff
 * chain); the committor then fails with HL_ERANGE.  `to` may be a list
 * of basins (hl_blocks_basin_list: "b1,b3"), the target their union.
 * HL_ENOTFOUND naming a basin that does not exist at this beta (and
 * listing those that do) or an alias that ties (hl_blocks_basin_lookup);
 * HL_EINVAL when the start's basin is (in) `to` or a basin is listed
 * twice; else as hl_chain_mfpt. */
int hl_blocks_mfpt(const hl_blocks *b, double beta, const char *from, const char *to,
                   const char *method, double *ln_committor, hl_blocks_passage *out);

/* The sets of hl_blocks_mfpt at beta: *start the class at the maximum of
 * ln Q_eq of basin `from` (its end), and target[0 .. *n_target) the classes
 * of basin `to` (or of the basins of a list) in increasing class index
 * (target: n_classes entries, caller-owned); basins and names as
 * hl_blocks_mfpt.  The class indices are the ids of
 * hl_blocks_lattice_network_write (network.h).  HL_ENOTFOUND and HL_EINVAL
 * as hl_blocks_mfpt; HL_ENOMEM; the errors of hl_blocks_exact_compute. */
int hl_blocks_passage_sets(const hl_blocks *b, double beta, const char *from, const char *to,
                           long *start, long *target, size_t *n_target);

/* P(t) of the class master equation under protocol p (a fixed beta:
 * hl_protocol_create_fixed) from p0 (n_classes entries, >= 0, sum 1) at
 * times[0 .. n_times - 1] into p_out (n_times x n_classes, row-major).
 * A B without T: one chain, hl_chain_evolve_protocol; a B with T under a
 * changing protocol: the chain rebuilt at every beta the integrator visits
 * (hl_chain_evolve_protocol_rebuild).  rtol and the errors as
 * hl_chain_evolve_protocol; result (optional): the method and rtol. */
int hl_blocks_evolve(const hl_blocks *b, const hl_protocol *p, const double *p0,
                     const double *times, size_t n_times, double rtol, double *p_out,
                     hl_chain_result *result);

/* The check evolution of hl_blocks_evolve's P(t) (an estimate of its
 * error, as hl_chain_evolve_protocol_check: CVODE at 10 rtol, switch
 * margin 48; floor and rel_floor: the absolute and relative errors both
 * share): p_check n_times x n_classes, floor and rel_floor (optional)
 * n_times, caller-owned.  Errors as hl_blocks_evolve. */
int hl_blocks_evolve_check(const hl_blocks *b, const hl_protocol *p, const double *p0,
                           const double *times, size_t n_times, double rtol, double *p_check,
                           double *floor, double *rel_floor, hl_chain_result *result);

/* The class master equation restricted to the basin of one maximum of f
 * (the in-basin modes; for two order parameters hl_basin_spectrum): the
 * maximum named branch at beta (hl_blocks_name_maxima); its basin = the
 * classes whose steepest ascent of ln Q_eq on the class lattice ends at a
 * class nearest (in m) to that maximum; core (HL_FP_CORE of
 * fokker_planck.h, 1 here): of those only the classes where f is concave,
 * connected to the basin's highest class (the modes of the saddle left
 * out).  The chain (chain.h) holds the kept classes in increasing index
 * with the whole chain's rates among them (reflecting walls), weights the
 * whole chain's equilibrium.  state (optional, n_classes entries,
 * caller-owned): the chain state of each class, -1 outside.  For two
 * equal blocks the classes, the chain and so the rates are those of
 * hl_basin_spectrum.  HL_ENOTFOUND for a branch f does not have at beta or
 * a basin of fewer than two classes; HL_EDOM for a bad beta or a class
 * lattice where f is not concave at the maximum's class (core); HL_ERANGE
 * above 2^31 classes; the errors of hl_blocks_chain.  *out:
 * hl_chain_free. */
int hl_blocks_basin_chain(const hl_blocks *b, double beta, const char *branch, int core,
                          hl_chain **out, long *state);

/* The count slowest relaxation rates of the model of ONE block (k = 1):
 * the class lattice is a birth-death chain over n = 0..D with K(n -> n+1)
 * = (D - n) B e^(-h_n), K(n+1 -> n) = (n + 1) B e^(h_n), h_n = beta D
 * (phi(m_{n+1}) - phi(m_n)) / 2, B at the midpoint (the chain of
 * hl_blocks_chain).  Its symmetrised generator is G^T G with G bidiagonal
 * (entries sqrt(K)), so the rates are the squared singular values of G,
 * which dqds (up to 2000 bonds) or bisection on the Golub-Kahan form
 * (beyond) give to high relative accuracy however small (Demmel-Kahan);
 * the slowest, when below their range (scaled by the fastest rate, e^-700
 * for bisection), by inverse iteration in log space.  ln_rates[0] = -inf
 * (the stationary state), rel_err[q] a bound on the relative error of rate
 * q: 2 ((2N - 1) eta + 8 N eps), N = D + 1, eta the rounding of the ln
 * rates from the phi and B values at the classes (taken as the model, as
 * by the chain engine).  A rate not resolved is NaN (ln and bound) and
 * *why (static text) says why; otherwise *why is NULL.  O(D) memory, O(D)
 * time per rate beyond 2000 classes.  HL_EINVAL for k != 1, HL_EDOM for a
 * bad beta or count (1 .. D + 1), phi not finite or B not positive at a
 * class; HL_ENOMEM. */
int hl_blocks_birth_death_rates(const hl_blocks *b, double beta, int count, double *ln_rates,
                                double *rel_err, const char **why);

/* ------------------------------------------- glass experiments (issue 13) */

/* The classes of the basin named `name` (hl_blocks_basin_find: a name, an
 * alias such as "liquid" or "crystal", or "m=v1,...,vk") at temperature T
 * (>= 1e-6, finite), in increasing class index, into set (n_classes
 * entries, caller-owned); *n = 0 when there is no such basin at T.  ex:
 * an exact-sum plan of b (NULL: one is made and freed).  HL_EDOM for a bad
 * T, HL_ENOMEM, the errors of hl_blocks_exact_compute. */
int hl_blocks_basin_classes(const hl_blocks *b, hl_blocks_exact *ex, double T, const char *name,
                            long *set, size_t *n);

/* The relaxation time and lifetime of the supercooled liquid at T
 * (relaxation.h's definitions, on the class lattice of k blocks): with the
 * chain of hl_blocks_chain at beta = 1/T (B at T: a B that depends on T is
 * right at every T) and the steepest-ascent basins of blocks_exact.h at T,
 *   ln_tau  = -ln lambda_1, lambda_1 the slowest nonzero rate of the chain
 *             restricted to the basin `liquid` (NULL: "liquid") with
 *             reflecting walls (its classes, the edges among them, the
 *             whole chain's rates), hl_chain_slow_rates;
 *   ln_mfpt = ln of the mean first-passage time from the liquid basin's
 *             local equilibrium to the basin `crystal` (NULL: "crystal"),
 *             hl_chain_rate_constants on the whole chain.
 * For two equal blocks the basins, chains and so the numbers are those of
 * hl_relaxation_at.  NaN with the reason (tau_null, mfpt_null) where a
 * basin does not exist at T, is a single class (tau), or the two names
 * are one basin.  ex: an exact-sum plan of b (NULL: made and freed).
 * Errors: HL_EDOM for a bad T; HL_ENOMEM; those of the chain engine, the
 * message prefixed with "at T = ...". */
int hl_blocks_relaxation_at(const hl_blocks *b, hl_blocks_exact *ex, double T, const char *liquid,
                            const char *crystal, hl_relax_point *out);

/* One basin followed over a sequence of temperatures (the supercooled
 * liquid's branch): hl_blocks_relaxation_follow's state.  Start with top =
 * -1 (and the rest 0). */
typedef struct {
    long top;                /* class index of the followed basin's top
                                (its end) at T; -1: not yet found          */
    double T;                /* the temperature of top                     */
    int lost;                /* 1: the basin vanished between lost_T[0]
                                and lost_T[1]; it stays lost              */
    double lost_T[2];
    char name[16];           /* the basin's name at the last call ("" where
                                it was not found)                         */
    double m[HL_BLOCKS_MAX]; /* its top's block magnetisations             */
} hl_blocks_follow;

/* hl_blocks_relaxation_at on the basin followed from f's: with f->top < 0
 * the basin named liquid at T (as hl_blocks_relaxation_at; none: null, f
 * unchanged); otherwise the basin that f->top (the followed top at f->T)
 * ascends to at T, when its top in turn ascends at f->T to the basin of
 * f->top (each top lies in the other's basin: the same basin, moved).
 * When it does not, the followed basin has vanished at a fold between
 * f->T and T (its classes drain into another basin): f->lost is set, and
 * this and every later call give null with the reason "the followed basin
 * vanished between T = a and b (a fold)"; the curve never switches basin.
 * On success f holds the top, name and m at T.  crystal is named at each
 * T.  Errors as hl_blocks_relaxation_at; HL_EINVAL for a top outside the
 * lattice. */
int hl_blocks_relaxation_follow(const hl_blocks *b, hl_blocks_exact *ex, double T,
                                const char *liquid, const char *crystal, hl_blocks_follow *f,
                                hl_relax_point *out);

#endif
