/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * exact.h -- exact thermodynamics of the hypercube model at finite D.
 *
 * Z(beta) = sum over classes (n, n1) of W(n, n1) exp(-beta D phi(x, y))
 * (eqs 4.9, 4.11), summed in log space.  Q(n, n1) = W exp(-beta Phi) / Z is
 * the equilibrium class distribution (eq 5.5 at equilibrium).
 *
 * Basins: from each class step repeatedly to the neighbour among the four
 * kinetic moves of eq 5.6 ((a+-1, b), (a, b+-1) with a = n1, b = n - n1)
 * with the largest ln Q_eq = ln W - beta Phi, until no neighbour is larger
 * (ties: first of a+1, a-1, b+1, b-1); the class belongs to the basin of
 * the local maximum reached, named after the nearest maximum of f
 * (hl_name_maxima).
 *
 * Classes whose weight is below 1e-300 of the largest are not summed; an
 * upper bound of their total relative weight is reported.
 */
#ifndef HYPERLAND_EXACT_H
#define HYPERLAND_EXACT_H

#include <stddef.h>
#include "hyperland/model.h"

/* At most this many basins (maxima of f plus the two default names). */
#define HL_MAX_BASINS 66

typedef struct {
    char name[16];
    double probability;
    double ln_probability;   /* natural log; finite even when < 1e-308   */
    double x, y;             /* the class where its ascent ends          */
    /* The basin's own thermodynamics: the sums restricted to its classes,
     * Z_b = sum_{(n, n1) in b} W exp(-beta D phi), summed in log space
     * relative to the basin's largest term (so a basin of probability
     * 1e-4000 keeps full accuracy); k_B = 1, per dimension.
     *   ln_z_per_dim          ln Z_b / D  (ln Z = ln sum_b Z_b)
     *   mean_phi              <phi>_b
     *   entropy_per_dim       S_b / D = ln Z_b / D + beta <phi>_b
     *   heat_capacity_per_dim c_b = d<phi>_b/dT = beta^2 D Var_b(phi)
     *                         (= beta^2 Var_b(Phi) / D), from sums shifted
     *                         to the phi of the basin's largest class
     * NaN (with thermo_null_reason set) where the basin has no class above
     * 1e-300 of its largest, or where the weight the sum left out
     * (neglected_bound, relative to Z_b) exceeds 1e-12. */
    double ln_z_per_dim, mean_phi, entropy_per_dim, heat_capacity_per_dim;
    /* rounding-error bounds of ln Z_b / D, <phi>_b, S_b / D and c_b (as
     * hl_exact_result's); <phi>_b below its bound is set to 0 */
    double ln_z_bound, mean_phi_bound, entropy_bound, heat_capacity_bound;
    double neglected_bound;
    char thermo_null_reason[96]; /* "" when the four values are finite   */
} hl_basin;

typedef struct {
    long dim;
    double beta;
    double ln_z_per_dim;         /* ln Z / D                            */
    double mean_x, mean_y, mean_phi;
    double cov_xx, cov_xy, cov_yy;
    /* error bounds of the five above: the rounding error of the sums is
     * below (terms per partial sum + 8) eps sum |terms|; a value below its
     * bound is round-off of 0 (a mean or covariance that vanishes by
     * symmetry) and is set to 0 exactly */
    double mean_x_bound, mean_y_bound, cov_xx_bound, cov_xy_bound, cov_yy_bound;
    double heat_capacity_per_dim;/* beta^2 Var(Phi) / D  (k_B = 1)       */
    double mean_w;               /* <ln W> / D (class entropy)           */
    double entropy_per_dim;      /* S / D = ln Z / D + beta <phi> (Gibbs
                                    entropy of the vertices, k_B = 1),
                                    summed as (<ln W> + H(Q)) / D, H(Q) =
                                    -sum Q ln Q: terms that are never
                                    negative, so nothing cancels         */
    /* rounding-error bounds of ln Z / D, <phi> (below it: 0, as the means
     * above), <ln W> / D, the heat capacity and the entropy; each includes
     * the error of the weights themselves (4 eps times the largest
     * |exponent| summed) */
    double ln_z_bound, mean_phi_bound, mean_w_bound, heat_capacity_bound, entropy_bound;
    int n_basins;
    hl_basin basins[HL_MAX_BASINS];
    double neglected_bound;      /* bound on the relative weight left out */
    long classes_summed;
    int separable_path;          /* 1 if the exact separable path ran    */
} hl_exact_result;

typedef struct hl_exact hl_exact;

/* Methods: HL_EXACT_AUTO uses the separable fast path when the model is the
 * paper's default phi (phi = s + g(d): Z factorises into two 1-D sums),
 * else the general two-dimensional sum. */
enum { HL_EXACT_AUTO = 0, HL_EXACT_GENERAL = 1, HL_EXACT_SEPARABLE = 2 };

/* Plan the exact sums for a model at dimension D (even, 2..1e6).  The model
 * is borrowed and must outlive the plan.  *out: hl_exact_free(). */
int hl_exact_create(const hl_model *model, long dim, int method,
                    hl_exact **out);
void hl_exact_free(hl_exact *ex);

/* Optional progress report for long sums (general path at large D):
 * called with a fraction in [0, 1].  The callback must not call back into
 * the plan.  NULL switches it off. */
typedef void (*hl_progress_fn)(void *ctx, double fraction);
void hl_exact_set_progress(hl_exact *ex, hl_progress_fn fn, void *ctx);

/* Exact finite-D thermodynamics at beta (> 0, finite). */
int hl_exact_compute(hl_exact *ex, double beta, hl_exact_result *res);

/* Write ln Q(n, n1) (normalised) for every class with weight above 1e-300 of
 * the largest.  Callback per class; return non-zero from it to stop
 * (HL_EINVAL is then returned). */
typedef int (*hl_class_visitor)(void *ctx, long n, long n1, double x,
                                double y, double ln_q, const char *basin);
int hl_exact_distribution(hl_exact *ex, double beta, hl_class_visitor visit,
                          void *ctx);

/* The finite-D melting point: the beta in [beta_lo, beta_hi] where the
 * liquid and crystal basins are equally probable (Brent on the log ratio,
 * to 1e-12 relative).  HL_ENOTFOUND if the log ratio does not change sign. */
int hl_exact_melting(hl_exact *ex, double beta_lo, double beta_hi,
                     double *beta_m);

#endif
