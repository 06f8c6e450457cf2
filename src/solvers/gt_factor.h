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

#include "core.h"
#include "rpassage.h"
#include "xfloat.h"

/* The supernodal form of the factor (gt_supernodal.c), in doubles after
 * the power-of-two scaling of gt_numeric_double.c: a supernode is a run of
 * columns f..l whose patterns nest (column j's rows are j+1..l and the
 * supernode's other rows R), stored as one dense nsrow x nscol block,
 * column-major, rows f..l then R (the pattern of column f, li); below the
 * diagonal the conductances C_ij s_i s_j, on it the pivots D_j s_j^2. */
typedef struct {
    long ns;          /* supernodes                                        */
    long *first;      /* ns + 1: first column of each (then the end)       */
    size_t *bx;       /* ns + 1: offsets of the blocks in x                 */
    long *snode;      /* nf: the supernode of a column                      */
    long *sb;         /* nf: scale exponents, s_k = 2^sb[k]                 */
    double *x;        /* the blocks                                        */
    double flops;     /* multiply-adds of the elimination (sum of counts^2) */
} gt_sn;

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
    hl_xf *lx;        /* values (NULL while the supernodal form holds them) */
    gt_sn *sn;        /* the supernodal form, or NULL                       */
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
/* two solves, b0 -> x0 and b1 -> x1 (one pass over the factor when it is
 * supernodal) */
void hl_gt_solve2(const gt_t *g, hl_xf *b0, hl_xf *x0, hl_xf *b1, hl_xf *x1);
void hl_gt_free(gt_t *g);
/* The numeric elimination of g (pattern from the symbolic step, g->dg
 * allocated) in doubles, the same numbers as the hl_xf elimination where
 * they fit [2^-900, 2^900] (gt_numeric_double.c): HL_OK, HL_ERANGE (a
 * pivot not positive at the shift; g->bad), HL_ENOTFOUND, HL_ENOMEM, or
 * HL_EDOM when a number leaves that range (nothing reported: the caller
 * redoes it in hl_xf). */
int hl_gt_numeric_double(gt_t *g, hl_xf lambda);
/* The pivot d of local state k in the double eliminations (shifted: minus
 * the shift term sub, the one subtraction, with the margin kept): HL_OK,
 * HL_ERANGE (not positive at the shift; g->bad), HL_ENOTFOUND (0: no
 * absorbing state reached) or HL_EDOM (below lo: redo in hl_xf). */
static inline int hl_gt_pivot_double(gt_t *g, long k, int shifted, double sub, double lo,
                                     double *d)
{
    if (shifted) {
        double before = *d;
        *d -= sub;
        if (*d > 0.0 && *d / before < g->margin) {
            g->margin = *d / before;
            g->margin_state = g->glob[k];
        }
        if (*d <= 0.0) {
            g->bad = g->glob[k];
            return hl_fail(HL_ERANGE, "pivot of state %ld not positive at the shift",
                           g->glob[k]);
        }
    }
    if (*d == 0.0)
        return hl_fail(HL_ENOTFOUND, "state %ld cannot reach the absorbing states (its "
                                     "component of the chain has none)", g->glob[k]);
    return *d < lo ? HL_EDOM : HL_OK;
}

/* Whether hl_gt_factor / hl_gt_refactor try the double elimination first
 * (default 1).  on >= 0 sets it (per thread; for tests), on < 0 only
 * queries; returns the previous value. */
int hl_gt_double_enabled(int on);

/* The numbers of gt_numeric_double.c: x 2^bits as a double (NAN outside
 * [2^-900, 2^900], 0 stays 0); v 2^-bits as an hl_xf; the scale exponent
 * -round(log2(m) / 2) of a state of mass m. */
double hl_gt_to_double(hl_xf x, long bits);
hl_xf hl_gt_to_xf(double v, long bits);
long hl_gt_scale_bits(hl_xf m);

/* Supernodal elimination (gt_supernodal.c).  Which numeric phase
 * hl_gt_factor / hl_gt_refactor use: 0 never the supernodal one, 1 (the
 * default) when the elimination has more than HL_GT_SN_FLOPS multiply-adds,
 * 2 always.  mode >= 0 sets it (per thread; for tests), < 0 only queries;
 * returns the previous value. */
#define HL_GT_SN_FLOPS 2e7
int hl_gt_supernodal_mode(int mode);
/* multiply-adds of g's elimination from its pattern: sum over columns of
 * (count + 1)^2 */
double hl_gt_flops(const gt_t *g);
/* The numeric elimination of g (pattern from the symbolic step) in the
 * supernodal form (g->sn built here if NULL; g->dg allocated, set too):
 * the same operations as hl_gt_numeric_double on nonnegative numbers, the
 * dense ones by BLAS (dgemm), so each value is a sum of positive terms
 * accurate to a few times (count) eps relative, not the scalar
 * elimination's rounding bit for bit.  HL_OK, HL_ERANGE (a pivot not
 * positive at the shift; g->bad), HL_ENOTFOUND, HL_ENOMEM, or HL_EDOM when
 * a number leaves [2^-900, 2^900] (nothing reported: the caller frees the
 * supernodal form with hl_gt_sn_free and uses the scalar elimination). */
int hl_gt_numeric_sn(gt_t *g, hl_xf lambda);
void hl_gt_sn_free(gt_t *g);
/* x = factor^{-1} b with the supernodal form (b >= 0, local order, b
 * overwritten by the forward substitution as in hl_gt_solve): in doubles
 * where b, the forward values and x fit the range, else in hl_xf from the
 * same stored values. */
void hl_gt_sn_solve(const gt_t *g, hl_xf *b, hl_xf *x);
/* the same for two right-hand sides at once (b1, x1 may be NULL): one pass
 * over the factor */
void hl_gt_sn_solve2(const gt_t *g, hl_xf *b0, hl_xf *x0, hl_xf *b1, hl_xf *x1);
/* The values of the supernodal form in the scalar layout (lx: lp[nf]
 * entries, dg: nf; hl_xf, unscaled), for comparisons. */
void hl_gt_sn_export(const gt_t *g, hl_xf *lx, hl_xf *dg);

#endif
