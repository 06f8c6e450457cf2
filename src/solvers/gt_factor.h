/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gt_factor.h -- the graph transformation's factor (passage_gt.c) for
 * repeated solves and for the pencil Q - lambda M (private to the solvers).
 *
 * For a first-passage problem (rpassage.h) the free states are eliminated
 * in AMD order with the GTH pivots (sums of positive conductances and
 * absorptions); with a shift lambda > 0 the pivot of state k is that sum
 * minus lambda times its transformed mass (the right-hand side pi carried
 * through the elimination), which stays positive exactly while lambda is
 * below the principal Dirichlet eigenvalue of the free states: the factor
 * of the M-matrix Q_FF - lambda Pi_F, every multiplier positive.  Values
 * are hl_xf (xfloat.h), conductances and masses scaled by exp(-shift);
 * the absorptions and masses are not changed by the elimination, so a
 * refactor at another shift reuses the pattern. */
#ifndef HL_GT_FACTOR_H
#define HL_GT_FACTOR_H

#include "rpassage.h"
#include "xfloat.h"

typedef struct {
    long nf;          /* free states                                      */
    double shift;     /* values are scaled by exp(-shift)                  */
    long *loc;        /* n: local index of a free state, -1 otherwise      */
    long *glob;       /* nf: the state of local index k (elimination order) */
    long *ap, *ai;    /* CSR of the free subgraph (local, permuted)         */
    hl_xf *ax;        /* conductances                                      */
    hl_xf *gab, *ge, *rhs; /* nf: absorption (to A or B), exit; pi          */
    long *parent;     /* elimination tree                                  */
    long *lp;         /* nf + 1: column starts of the factor (below diag)  */
    int *li;          /* rows                                              */
    hl_xf *lx;        /* values                                            */
    hl_xf *dg;        /* nf: pivots D_k                                    */
    long height;      /* of the elimination tree                           */
    long bad;         /* the state whose pivot was not positive, or -1     */
    double margin;    /* with a shift: min over k of the pivot after the
                         shift over the pivot before (1 - lambda m_k / d_k):
                         near 0 at a Dirichlet eigenvalue of the free states
                         (the pivot's sign is then round-off); 1 unshifted */
    long margin_state;/* the state where the margin is smallest, or -1     */
} gt_t;

/* The factor of p's free states with the shift lambda = exp(ln_lambda)
 * (-INFINITY: none, the graph transformation itself).  HL_ERANGE when a
 * pivot is not positive at that shift (*bad, optional: that state, else
 * -1), HL_ENOTFOUND, HL_ENOMEM. */
int hl_gt_factor(const hl_pass_problem *p, double ln_lambda, gt_t *g, long *bad);
/* The same factor at another shift, the pattern kept (g from hl_gt_factor
 * of the same problem); on failure g keeps its pattern (free it with
 * hl_gt_free as always). */
int hl_gt_refactor(const hl_pass_problem *p, double ln_lambda, gt_t *g, long *bad);
/* x = (Q_FF - lambda Pi_F)^{-1} b for b >= 0 in local order (scaled as the
 * factor); b is overwritten (forward substitution). */
void hl_gt_solve(const gt_t *g, hl_xf *b, hl_xf *x);
void hl_gt_free(gt_t *g);
/* The numeric elimination of g (pattern from the symbolic step, g->dg
 * allocated) in doubles, the same numbers as the hl_xf elimination where
 * they fit [2^-900, 2^900] (gt_numeric_double.c): HL_OK, HL_ERANGE (a
 * pivot not positive at the shift; g->bad), HL_ENOTFOUND, HL_ENOMEM, or
 * HL_EDOM when a number leaves that range (nothing reported: the caller
 * redoes it in hl_xf). */
int hl_gt_numeric_double(gt_t *g, hl_xf lambda);
/* Whether hl_gt_factor / hl_gt_refactor try the double elimination first
 * (default 1).  on >= 0 sets it (per thread; for tests), on < 0 only
 * queries; returns the previous value. */
int hl_gt_double_enabled(int on);

#endif
