/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rate_terms.h -- the directed rates of a reversible chain as functions of
 * the inverse temperature (private to the library): what kinetic Monte
 * Carlo needs to follow a temperature protocol exactly.
 *
 * Directed edge j leaves state a (src_start[a] <= j < src_start[a + 1]) for
 * dst[j].  Its rate is
 *
 *   ln k_j(beta) = lse_t (s_t - beta e_t)  [+ ln B(bx_j, by_j, 1/beta)]
 *
 * over its terms t = term_start[j] .. term_start[j + 1] - 1: every edge or
 * transition state of a public chain (chain.h) gives one affine term per
 * direction (several between one pair add, in logs); the class lattice of
 * eq 5.6 gives one term ln(count B) - beta (Phi_j - Phi_i)/2, and when B
 * depends on T its ln B is added at T = 1/beta instead (tdep_b = 1).
 *
 * Bounds over an interval of beta: a log-sum-exp of affine functions of
 * beta is convex, so its largest value over [b_lo, b_hi] is at an end
 * (hl_rate_terms_ln_bound); with tdep_b the affine part is bounded so and
 * ln B by interval arithmetic over T in [1/b_hi, 1/b_lo]. */
#ifndef HL_RATE_TERMS_H
#define HL_RATE_TERMS_H

#include "hyperland/model.h"

typedef struct hl_chain hl_chain;

typedef struct {
    long n;              /* states                                          */
    long ne;             /* directed edges                                  */
    long *src_start;     /* n + 1                                           */
    long *dst;           /* ne                                              */
    long *term_start;    /* ne + 1                                          */
    double *ts, *te;     /* terms: s, e                                     */
    int tdep_b;          /* 1: add ln B(bx, by, 1/beta) (class lattice)     */
    const hl_model *model; /* tdep_b: borrowed, must outlive the terms     */
    double *bx, *by;     /* tdep_b: ne bond midpoints                       */
} hl_rate_terms;

void hl_rate_terms_free(hl_rate_terms *r);

/* ln k_j(beta) */
double hl_rate_terms_ln_rate(const hl_rate_terms *r, long j, double beta);

/* An upper bound of ln k_j over beta in [b_lo, b_hi] (either order);
 * HL_EDOM when B has no finite bound there. */
int hl_rate_terms_ln_bound(const hl_rate_terms *r, long j, double b_lo, double b_hi,
                           double *ln_hi);

/* The terms of a public chain (chain.c).  HL_EINVAL for a chain with exit
 * rates (kinetic Monte Carlo follows probability that stays). */
int hl_chain_rate_terms(const hl_chain *c, hl_rate_terms *r);

/* The class lattice of eq 5.6 at dimension dim (class_lattice.c): states a
 * (h + 1) + b, moves a+1, a-1, b+1, b-1 in that order. */
int hl_class_rate_terms(const hl_model *m, long dim, hl_rate_terms *r);

#endif
