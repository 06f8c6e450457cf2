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

/* v, or 0 where |v| is at most its rounding-error bound: a mean or a
 * covariance that is 0 (by symmetry) comes out of the sums as round-off
 * of either sign (-2e-18); below its bound it has no digit, and 0 is as
 * good a value as any within the bound (which the outputs report). */
static inline double hl_exact_roundoff(double v, double bound)
{
    return fabs(v) <= bound ? 0.0 : v;
}

/* The entropy per dimension S/D = ln Z/D + beta <phi>, or NaN when that
 * difference has lost its digits: at low T both terms are near
 * beta phi_min and S -> 0 (D = 20, beta = 20: 36.7 - 36.7 = 1.37e-9, five
 * digits left; beta = 50: 0 printed for 1.5e-22).  Null where the
 * rounding bound, 16 eps (|ln Z/D| + |beta <phi>|), exceeds 1e-6 S. */
static inline double hl_exact_entropy(double lnz_per_dim, double beta, double mean_phi)
{
    double a = beta * mean_phi, s = lnz_per_dim + a;
    double bound = 16 * DBL_EPSILON * (fabs(lnz_per_dim) + fabs(a));
    return s > 0 && bound <= 1e-6 * s ? s : NAN;
}

/* A basin's thermo_null_reason when only c and/or S is null ("" if none). */
static inline void hl_exact_thermo_reason(double c, double s, char *buf, size_t size)
{
    snprintf(buf, size, "%s",
             isnan(c) && isnan(s) ? "heat capacity and entropy only: digits lost (Var(phi) "
                                    "underflowed; S cancels)"
             : isnan(c) ? "heat capacity only: Var(phi) underflowed to 0, or beta^2 D "
                          "Var(phi) did"
             : isnan(s) ? "entropy only: digits lost (S = ln Z/D + beta <phi> cancels at low T)"
                        : "");
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
