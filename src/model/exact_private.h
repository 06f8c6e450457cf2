/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exact_private.h -- what the pieces of the exact sums share (exact.c,
 * exact_separable.c, exact_general.c; not installed): the hl_exact object
 * and the two summation paths. */
#ifndef HL_EXACT_PRIVATE_H
#define HL_EXACT_PRIVATE_H

#include <float.h>
#include <math.h>
#include <stdint.h>

#include "model_private.h"

/* Classes below exp(-HL_EXACT_LN_CUTOFF) = 1e-300 of the largest term are
 * left out (their weight bounded). */
#define HL_EXACT_LN_CUTOFF 690.7755278982137 /* -ln(1e-300) */

struct hl_exact_leaf; /* exact_general.c */

/* The heat capacity per dimension beta^2 D Var(phi), or NaN when its
 * digits were lost: a variance that is not positive (the weights beside
 * the largest class underflowed at large beta; the general path counts a
 * difference of phi at the round-off of its reconstruction as none) or a
 * product that is not a normal double (beta tiny).  At finite D and beta
 * every class has a positive weight, so the true value is positive unless
 * phi is constant (exact.c keeps 0 then).  Null with a reason in the
 * outputs, never a rounded 0. */
static inline double hl_exact_heat_capacity(double beta, double D, double var)
{
    double c = beta * beta * D * var;
    return var > 0 && c >= DBL_MIN && c <= DBL_MAX ? c : NAN;
}

struct hl_exact {
    const hl_model *model;
    long dim, h;
    int separable;
    double *lnc;  /* ln C(h, k), k = 0..h */
    double *gb;   /* separable: g(d_b) = phi(x, y) - s at b */
    /* general path workspace */
    size_t nleaf, cap_leaf;
    struct hl_exact_leaf *leaves;
    int64_t *hash;      /* leaf index by tile: open addressing ...     */
    size_t hash_cap;
    int32_t *tile;      /* ... or a dense tile grid when it is small     */
    long ntile;         /* tiles per side                               */
    double *phi_cache;  /* phi on the whole lattice (beta-independent),
                           kept when the lattice is small enough         */
    hl_progress_fn progress;
    void *progress_ctx;
};

/* Turn the basins' accumulated ln weights into probabilities, given ln of
 * the total weight (a basin with no weight: probability 0, ln -inf). */
void hl_exact_finish_basins(hl_exact_result *r, double ln_total);
/* Set basin k's own thermodynamics (hl_basin): ln Z_b (natural log of its
 * unnormalised weight, the same scale as ln Z), <phi>_b, Var_b(phi) and
 * the bound of its weight left out, relative to Z_b.  Values stay NaN with
 * a reason when the bound exceeds 1e-12 or ln Z_b is not finite. */
void hl_exact_basin_thermo(hl_exact_result *r, int k, double ln_zb, double mean_phi,
                           double var_phi, double bound);
/* The sums at beta on the separable path (ex->separable) and on the general
 * path, into r (r->dim, r->beta set); with visit, every class above 1e-300
 * of the largest term is also passed to visit with its normalised ln Q (a
 * non-zero return stops: HL_EINVAL).  c: the named maxima at beta.  HL_OK or an
 * error code with hl_errmsg(). */
int hl_exact_separable(hl_exact *ex, double beta, hl_exact_result *r, const hl_named_maxima *c,
                       hl_class_visitor visit, void *ctx);
int hl_exact_general(hl_exact *ex, double beta, hl_exact_result *r, const hl_named_maxima *c,
                     hl_class_visitor visit, void *ctx);

#endif
