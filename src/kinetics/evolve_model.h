/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evolve_model.h -- what the files of hl_evolve share (private): the run's
 * model on the class lattice, the chains it is integrated on, the start,
 * and the observables.
 *
 *   evolve.c          the driver: checks, the path, the integration
 *   evolve_chains.c   the chains at beta (the class lattice; the two
 *                     birth-death chains of the product path) as grid
 *                     chains for hl_gridchain_evolve
 *   evolve_start.c    the start distributions
 *   evolve_observe.c  moments, free energy, basin populations
 *
 * States: the 2-D (general) path holds Q over the classes (a, b) = (n1,
 * n - n1), index a w + b, w = h + 1, h = D / 2.  The product path holds
 * two distributions of w entries each, P_a over a = n1 (first w entries)
 * and P_b over b = n - n1 (next w), with Q(a, b) = P_a(a) P_b(b). */
#ifndef HL_EVOLVE_IMPL_H
#define HL_EVOLVE_IMPL_H

#include "gridchain.h"
#include "core.h"
#include "model_private.h"
#include "kinetics_private.h"

typedef struct {
    const hl_model *m;
    long dim, h, w;
    int product;  /* 1: two birth-death chains (paper's phi, B = 1)      */
    long N;       /* entries of the state: 2 w (product) or w^2          */
    double *lnc;  /* w: ln C(h, k)                                       */
    double *lnb;  /* w: ln sqrt((h - k)(k + 1)), the bond k -> k + 1 (-inf
                     at k = h)                                           */
    double *g;    /* product, w: g(d_k) = phi(d/2, -d/2), d_k = 2k/h - 1 */
    double *Phi;  /* general, w^2: D phi of class a w + b                */
    /* general path with a user B: B split at T (formula.h), its slots
     * (the parts that do not depend on T) at the midpoint of every bond,
     * nslot per bond, bond 2 i + dir (dir 0: a -> a + 1, 1: b -> b + 1) */
    struct hl_expr_split *bsplit;
    size_t nslot;
    double *bslot;
    int ln_b;     /* 1: bsplit gives ln B (hl_evolve_sys_ln_b)           */
} hl_evolve_sys;

/* Build the run's tables (HL_ENOMEM; HL_EDOM for a phi that is not finite
 * at a class); release with hl_evolve_sys_free (safe after a failure). */
int hl_evolve_sys_init(hl_evolve_sys *s, const hl_model *m, long dim, int product);
void hl_evolve_sys_free(hl_evolve_sys *s);
/* From now on, a B = exp(z) enters the rates as ln B = z itself instead of
 * log(exp(z)) (the same to an ulp; no exp and log per bond and beta):
 * hl_scan's runs (HL_EVOLVE_OPT_LN_B).  HL_ENOMEM. */
int hl_evolve_sys_ln_b(hl_evolve_sys *s);

/* HL_ERANGE if a rate of eq 5.2 overflows a double at the largest beta of
 * the protocol; HL_EDOM if B is not positive and finite at a temperature
 * the protocol visits. */
int hl_evolve_check_rates(const hl_evolve_sys *s, const hl_protocol *p);

/* ---------------------------------------------------------- the chains */

/* The chain of the run at beta as a grid chain: chain c = 0 (P_a) or 1
 * (P_b) of the product path (w x 1 cells), or the class lattice (c = 0;
 * w x w cells, axis 1 = a, axis 2 = b).  ln pi = ln W - beta Phi and ln c
 * = ln B(bond midpoint, T) + ln sqrt((h - k)(k + 1)) for the bond k -> k +
 * 1, so that k(i -> j) = c sqrt(pi_j / pi_i) are the rates of eq 5.2.
 * g must have been allocated with hl_evolve_chain_alloc. */
typedef struct {
    const hl_evolve_sys *s;
    int c;
} hl_evolve_chain_ctx;

int hl_evolve_chain_alloc(const hl_evolve_sys *s, hl_gridchain *g);
/* hl_gridchain_fill_fn: refill at beta; HL_EDOM naming the bond where B is
 * not positive and finite. */
int hl_evolve_chain_fill(void *ctx, double beta, hl_gridchain *g);

/* hl_evolve with the CVODE settings o (chain_evolve.h; NULL: hl_evolve's
 * own): hl_scan's long protocols with many outputs.  flags:
 * HL_EVOLVE_OPT_LN_B (hl_evolve_sys_ln_b), HL_EVOLVE_OPT_UNCHECKED (no
 * check evolution, as HL_EVOLVE_UNCHECKED in method). */
enum { HL_EVOLVE_OPT_LN_B = 1, HL_EVOLVE_OPT_UNCHECKED = 2 };
int hl_evolve_opts(const hl_model *m, long dim, const hl_protocol *p,
                   const hl_evolve_start *start, const double *times, size_t n_times,
                   int method, double rtol, hl_evolve_point *points, double *q_out,
                   hl_evolve_info *info, const hl_rchain_evolve_opts *o, unsigned flags);

/* -------------------------------------------------------------- starts */

/* y (N entries) = the start at the initial inverse temperature beta0;
 * info->start_n, start_n1 for a basin start.  HL_ENOTFOUND for an unknown
 * basin, HL_EDOM / HL_EINVAL for a bad start. */
int hl_evolve_set_start(const hl_evolve_sys *s, const hl_evolve_start *start, double beta0,
                        double *y, hl_evolve_info *info);

/* --------------------------------------------------------- observables */

/* ln Q_eq at beta on the class lattice and its steepest-ascent labels
 * (basins.c); both caller-freed. */
int hl_evolve_ascent_labels(const hl_evolve_sys *s, double beta, double **lq_out,
                            long **lab_out);

/* The point at time t, inverse temperature beta, of the state y (N
 * entries, see above); q_out (optional, w^2): Q over the classes. */
int hl_evolve_observe(const hl_evolve_sys *s, double t, double beta, const double *y,
                      hl_evolve_point *pt, double *q_out);

#endif
