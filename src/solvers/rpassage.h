/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rpassage.h -- first passage on a reversible chain (hl_rchain): mean
 * first-passage times, committors and the A <-> B rate constants, by a
 * table of methods (private to the library).
 *
 * A problem marks every state of the chain as free or absorbing; an
 * absorbing state belongs to target "A" (q = 0) or "B" (q = 1).  With the
 * conductances C_ab = pi_a K(a -> b) = A_ab sqrt(M_a M_b) (eq 3.4, symmetric)
 * the mean time to absorption tau and the committor q (probability to be
 * absorbed in B first) of the free states solve
 *
 *   (sum_b C_ab + pi_a exit_a) tau_a - sum_{b free} C_ab tau_b = pi_a
 *   (sum_b C_ab + pi_a exit_a) q_a   - sum_{b free} C_ab q_b   = sum_{b in B} C_ab
 *
 * (the first step analysis of the master equation of section III, eq 3.2,
 * with the target absorbing; an exit kills the walker, so with exits q, the
 * probability qm to be absorbed in A first and the probability to be killed
 * add to 1).  Methods:
 *   "graph-transformation"  (passage_gt.c) renormalisation of the network
 *       (Wales, J. Chem. Phys. 130, 204111 (2009); Trygubenko and Wales,
 *       Mol. Phys. 104, 1497 (2006)) as a left-looking sparse elimination in
 *       minimum-degree (AMD) order; only sums and products of positive numbers
 *       (GTH), carried with an unlimited exponent (xfloat.h): any rates, e.g.
 *       1e-600 and 1e300 in one chain, every value to a few ulps.
 *   "sparse-direct"  (passage_direct.c) CHOLMOD Cholesky factorisation of
 *       the symmetrised Dirichlet system in double precision: independent,
 *       applies when the weights fit the double range, loses relative
 *       accuracy with the conditioning (resolution eps / rcond).
 */
#ifndef HL_RPASSAGE_H
#define HL_RPASSAGE_H

#include <stddef.h>

#include "rchain.h"

enum { HL_PASS_FREE = 0, HL_PASS_TO_A = 1, HL_PASS_TO_B = 2 };

typedef struct {
    const hl_rchain *chain;
    const unsigned char *absorb; /* n: HL_PASS_FREE / HL_PASS_TO_A / HL_PASS_TO_B;
                                    states with ln_pi = -inf are ignored     */
} hl_pass_problem;

typedef struct {
    /* caller-owned, n entries each, or NULL when not wanted; NaN on states
     * outside the chain (ln_pi = -inf) and, for a method that can lose
     * digits, where they were lost (counted in lost) */
    double *ln_tau; /* ln mean time to absorption (-inf on absorbing states)  */
    double *ln_q;   /* ln P(absorbed in B first): 0 on B, -inf on A           */
    double *ln_qm;  /* ln P(absorbed in A first), computed directly, not as
                       ln(1 - q): accurate when q is near 1                   */
    const char *method; /* set by the solver: the name of its method          */
    double resolution;  /* relative accuracy of the values (estimate)         */
    long lost;          /* values whose digits were lost (NaN)                */
} hl_pass_solution;

typedef struct {
    const char *name;
    /* 1 if the method can solve p; else 0 with the reason in why */
    int (*applies)(const hl_pass_problem *p, char *why, size_t len);
    /* the relative accuracy it guarantees on p before solving (a bound; NaN
     * when only the solve can tell, as for eps / rcond) */
    double (*resolution)(const hl_pass_problem *p);
    /* HL_OK or an error (hl_errmsg); fills s (method, resolution, lost) */
    int (*solve)(const hl_pass_problem *p, hl_pass_solution *s);
} hl_pass_method;

extern const hl_pass_method hl_pass_gt;     /* passage_gt.c     */
extern const hl_pass_method hl_pass_direct; /* passage_direct.c */

/* The methods in order of preference; *n their number. */
const hl_pass_method *const *hl_pass_methods(size_t *n);
/* The method called name, or NULL. */
const hl_pass_method *hl_pass_method_find(const char *name);

/* Check p (values, absorb codes, at least one absorbing state in the chain)
 * and solve it by the method called method (NULL: the first that applies).
 * HL_EINVAL for a bad problem or an unknown method, HL_ENOTFOUND when a
 * free state cannot reach the absorbing set (a component without one),
 * HL_ERANGE when the named method does not apply (why in the message). */
int hl_pass_solve(const hl_pass_problem *p, const char *method, hl_pass_solution *s);

/* The factor a first-passage solve leaves for the next (graph
 * transformation): the elimination of the free states depends only on
 * which states absorb, not on their labels A/B, so mfpt to T, the
 * committor between A and B with A u B = T and the rate constants' first
 * solve share one.  Owned by its caller (a plan); the chain it was made
 * from must stay unchanged while it is used (hl_pass_cache_free after a
 * refill). */
typedef struct hl_pass_cache hl_pass_cache;
void hl_pass_cache_free(hl_pass_cache *k);
/* hl_pass_solve keeping the graph-transformation factor in *keep (NULL at
 * first): a problem with the same chain and absorbing states reuses it;
 * the values are the same to the last bit as without it.  Other methods
 * solve as hl_pass_solve and leave *keep alone. */
int hl_pass_solve_kept(const hl_pass_problem *p, const char *method, hl_pass_solution *s,
                       hl_pass_cache **keep);
/* the graph transformation's own entry of it (passage_gt.c) */
int hl_pass_gt_solve_kept(const hl_pass_problem *p, hl_pass_solution *s, hl_pass_cache **keep);

/* set[0..n) from two lists of states: 1 for a[0..na), 2 for b[0..nb), 0
 * elsewhere.  HL_EINVAL for an empty list, a state out of [0, n) or in
 * both lists (naming it). */
int hl_pass_sets(long n, const long *a, size_t na, const long *b, size_t nb,
                 unsigned char *set);

/* The rate constants of one direction, source -> target, in logs; the
 * source and target sets as in Wales 2009 and issue 10.  P = sum of pi over
 * the source, rho_s = pi_s / P (local equilibrium in the source). */
typedef struct {
    double ln_mfpt;     /* T = sum_s rho_s T_s, T_s the MFPT from s to the
                           target (the other source states not absorbing)   */
    double ln_k_f;      /* k^F = k^* = 1 / T                                 */
    double ln_k_nss;    /* k^NSS = sum_s rho_s / T_s                         */
    double ln_k_ss;     /* k^SS = J / P with J = sum_{s, j} C_sj q_j the
                           reactive flux (q: committor towards the target)  */
    double ln_p_source; /* ln P / sum of pi over the chain                  */
} hl_pass_direction;

typedef struct {
    hl_pass_direction ab, ba; /* A -> B (source A) and B -> A             */
    const char *method;
    double resolution; /* the worst of the solves                          */
} hl_pass_rates;

/* The rates both ways between the sets of set[] (n: 0 none, 1 = A, 2 = B;
 * HL_EINVAL when one is empty or a state in a set is outside the chain),
 * by three solves of method (NULL: the first that applies).  ln_q, ln_qm:
 * optional (n), the committor towards B and towards A.  Errors of
 * hl_pass_solve. */
int hl_pass_rates_compute(const hl_rchain *c, const unsigned char *set, const char *method,
                          hl_pass_rates *out, double *ln_q, double *ln_qm);
/* the same with the factor kept in *keep (hl_pass_solve_kept) */
int hl_pass_rates_compute_kept(const hl_rchain *c, const unsigned char *set,
                               const char *method, hl_pass_rates *out, double *ln_q,
                               double *ln_qm, hl_pass_cache **keep);

#endif
