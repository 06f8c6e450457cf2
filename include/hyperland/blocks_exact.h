/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * blocks_exact.h -- exact finite-D thermodynamics of the model of k blocks
 * (blocks.h): the sums over the prod (D_i + 1) classes n = (n_1 .. n_k),
 *
 *   Z(beta) = sum_n W(n) exp(-beta D phi(m(n))),   W = prod_i C(D_i, n_i),
 *
 * in log space, and the basins of the class lattice.
 *
 * Sums.  Every class is evaluated (phi once per class, tabulated by the
 * plan, in parallel); the moments are summed relative to the largest term
 * (shifted to its m and phi, so nothing cancels), in fixed chunks of
 * classes whose partial sums are added in class order: the results do not
 * depend on the number of threads.  Classes below 1e-300 of the largest
 * term are left out and the bound of their total relative weight
 * (count x 1e-300 / sum) is reported.
 *
 * Basins.  From each class a step to the neighbour among the 2k moves n_i
 * +- 1 with the largest ln Q_eq = ln W - beta D phi (ties: the first of
 * n_1 + 1, n_1 - 1, n_2 + 1, ..., as the two-order-parameter ascent of
 * exact.h), until no neighbour is larger; the class belongs to the basin
 * of the local maximum reached (its "end").  Names: for k = 2 equal blocks
 * (the paper's pair) as exact.h does (each end named after the nearest
 * maximum of f = w - beta phi of the two-order-parameter model with phi
 * written in x, y; ends with one name form one basin), so the numbers are
 * today's; otherwise each end is a basin, named b1, b2, ... in order of
 * increasing phi at the end (b1: the lowest, crystal-like), with the
 * aliases "crystal" (the lowest phi at its end) and "liquid" (the highest)
 * where there are at least two, among the basins that are not pockets at
 * a saddle of f (saddle_pocket below).  hl_blocks_basin_find also takes a position
 * "m=v1,v2,...,vk": the basin whose end is nearest.
 *
 * Ties.  Ends whose phi agree to HL_BLOCKS_PHI_TIE (relative; a phi with a
 * symmetry, e.g. m_i -> -m_i or a permutation of equal blocks) are
 * numbered in the order of their class index, i.e. of (n_1, ..., n_k)
 * lexicographically (block k fastest), so the numbering does not depend
 * on the rounding of phi.  An alias whose basin ties with another
 * candidate (crystal: the lowest phi; liquid: the highest; for the pair
 * crystal among the basins other than liquid) is ambiguous and refused by
 * hl_blocks_basin_lookup (HL_ENOTFOUND naming the tied basins).
 *
 * Flat tops.  Two axis-neighbouring classes of exactly equal ln Q that
 * the ascent leaves as two local maxima (a plateau), or a local maximum
 * next to an equal class that ascends further (a shoulder), are one
 * basin: its end is the class of largest ln Q, the lowest class index
 * among equal ones.
 *
 * Per-basin thermodynamics as hl_basin (exact.h): ln Z_b, <phi>_b, S_b and
 * c_b from the sums over the basin's classes alone, relative to its own
 * largest term; NaN with a reason where the weight left out exceeds 1e-12
 * of Z_b.  Per dimension, k_B = 1.
 *
 * Errors: HL_OK or a negative HL_E* code with a one-line hl_errmsg().
 */
#ifndef HYPERLAND_BLOCKS_EXACT_H
#define HYPERLAND_BLOCKS_EXACT_H

#include "hyperland/blocks.h"

/* At most this many basins (local maxima of ln Q_eq on the lattice). */
#define HL_BLOCKS_MAX_BASINS 1024
/* At most this many classes in the exact sums (12 bytes each at a beta). */
#define HL_BLOCKS_EXACT_MAX_CLASSES (1L << 28)

typedef struct hl_blocks_exact hl_blocks_exact;

typedef struct {
    char name[16];
    long end;                   /* class index of the basin's largest ln Q  */
    double m[HL_BLOCKS_MAX];    /* its block magnetisations (k used)        */
    double phi_end;             /* phi there                                */
    int saddle_pocket;          /* 1 if a diagonal neighbour of the end (two
                                   to k coordinates moved, k <= 6) has a
                                   larger ln Q: the axis-move ascent stopped
                                   in a pocket of the lattice at a saddle of
                                   f; such a basin never takes the aliases
                                   crystal / liquid                         */
    long classes;               /* classes in the basin                     */
    double probability, ln_probability;
    /* own thermodynamics (exact.h hl_basin); NaN with thermo_null_reason */
    double ln_z_per_dim, mean_phi, entropy_per_dim, heat_capacity_per_dim;
    double ln_z_bound, mean_phi_bound, entropy_bound, heat_capacity_bound; /* exact.h */
    double neglected_bound;
    char thermo_null_reason[96];
} hl_blocks_basin;

typedef struct {
    int k;
    long dim, n_classes;
    double beta;
    double ln_z_per_dim;          /* ln Z / D                                */
    double mean_phi, mean_w;      /* <phi>, <ln W> / D                       */
    double heat_capacity_per_dim; /* beta^2 D Var(phi)                       */
    double entropy_per_dim;       /* ln Z / D + beta <phi>, summed as
                                     (<ln W> + H(Q)) / D (exact.h)          */
    /* rounding-error bounds (exact.h); <phi> below its bound is 0 */
    double ln_z_bound, mean_phi_bound, mean_w_bound, heat_capacity_bound, entropy_bound;
    double mean_m[HL_BLOCKS_MAX]; /* <m_i>                                   */
    double *cov;                  /* k x k covariance of m (row-major; owned) */
    /* error bounds of mean_m and cov (cov_bound: k x k, owned): a bound of
     * the rounding error of the sums (g sum |terms|, g = (4096 + 8) eps);
     * a value whose magnitude is below its bound is round-off of 0 (e.g.
     * a mean that vanishes by symmetry) and is set to 0 exactly */
    double mean_m_bound[HL_BLOCKS_MAX];
    double *cov_bound;
    /* k = 2 equal blocks: x = (m1 + m2) / 2, y = (m1 - m2) / 2; else NaN;
     * with their error bounds (as above; NaN for other models) */
    double mean_x, mean_y, cov_xx, cov_xy, cov_yy;
    double mean_x_bound, mean_y_bound, cov_xx_bound, cov_xy_bound, cov_yy_bound;
    int n_basins;
    hl_blocks_basin *basins;      /* n_basins (owned)                        */
    double neglected_bound;       /* relative weight left out, bound         */
    long classes_summed;
} hl_blocks_exact_result;

/* Plan the sums for b (borrowed; must outlive the plan): phi tabulated on
 * every class (in parallel).  HL_ERANGE above HL_BLOCKS_EXACT_MAX_CLASSES
 * classes, HL_EDOM naming a class where phi is not finite, HL_ENOMEM. */
int hl_blocks_exact_create(const hl_blocks *b, hl_blocks_exact **out);
void hl_blocks_exact_free(hl_blocks_exact *ex); /* NULL-safe */

/* The sums and basins at beta (> 0, finite) into *r (free its arrays with
 * hl_blocks_exact_result_free; *r is overwritten).  basin (optional,
 * n_classes entries): the basin index of every class.  HL_ERANGE for more
 * than HL_BLOCKS_MAX_BASINS basins, HL_ENOMEM. */
int hl_blocks_exact_compute(hl_blocks_exact *ex, double beta, int *basin,
                            hl_blocks_exact_result *r);
void hl_blocks_exact_result_free(hl_blocks_exact_result *r); /* NULL-safe */

/* Two values of phi at basins' ends that tie: equal, or within this
 * relative difference (a symmetric phi evaluated in another order). */
#define HL_BLOCKS_PHI_TIE 1e-12
int hl_blocks_phi_tie(double a, double b);

/* The basin of r named spec (a name, an alias, or "m=v1,...,vk": the
 * basin whose end is nearest to that point) into *index: HL_OK, or
 * HL_ENOTFOUND with a one-line message when there is no such basin with
 * classes, or when spec is an alias that ties (above: the message names
 * the tied basins and a point; *index is then -2, otherwise -1). */
int hl_blocks_basin_lookup(const hl_blocks_exact_result *r, const char *spec, int *index);
/* hl_blocks_basin_lookup's basin, -1 if there is none or it is ambiguous. */
int hl_blocks_basin_find(const hl_blocks_exact_result *r, const char *spec);
/* A comma-separated list of basins (each as hl_blocks_basin_lookup; an
 * item "m=" takes k numbers, so "b1,m=0.5,-0.5,b3" for k = 2 is three
 * basins) into index[0 .. *n), in the order given, at most max.  The
 * errors of hl_blocks_basin_lookup; HL_EINVAL for an empty item, a basin
 * listed twice (also under two names) or more than max. */
int hl_blocks_basin_list(const hl_blocks_exact_result *r, const char *spec, int *index, int max,
                         int *n);

/* Check a basin spec of k blocks before it is looked up: HL_OK for a name
 * (anything not starting with "m=") and for a point "m=v1,...,vk" of
 * exactly k finite numbers in [-1, 1], and for a comma-separated list of
 * such items (every point in it checked; the k numbers of a point end at
 * the first field that is not a number); otherwise HL_EINVAL with a message
 * naming the problem (a count other than k, a field that is empty or no
 * number, a value outside [-1, 1]).  The point names the basin whose
 * maximum is nearest: it need not be a class of the lattice. */
int hl_blocks_point_check(int k, const char *spec);

/* Every class above 1e-300 of the largest term, in class order, with its
 * normalised ln Q and basin name; a non-zero return of visit stops
 * (HL_EINVAL). */
typedef int (*hl_blocks_class_visitor)(void *ctx, long idx, const long *n, const double *m,
                                       double ln_q, const char *basin);
int hl_blocks_exact_distribution(hl_blocks_exact *ex, double beta, hl_blocks_class_visitor visit,
                                 void *ctx);

/* The finite-D melting point: the beta in [beta_lo, beta_hi] where the
 * basins named a and b (hl_blocks_basin_find at each beta) are equally
 * probable, by Brent's method on ln P_a - ln P_b to 1e-12 relative.
 * HL_ENOTFOUND if a basin is missing at an end or the difference does not
 * change sign. */
int hl_blocks_exact_melting(hl_blocks_exact *ex, const char *a, const char *b, double beta_lo,
                            double beta_hi, double *beta_m);

#endif
