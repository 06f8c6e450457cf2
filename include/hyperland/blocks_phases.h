/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * blocks_phases.h -- equilibrium of k blocks (issue 12) as D -> infinity at
 * fixed block fractions r_i = D_i / D: the stationary points of
 *
 *   f(m) = w(m) - beta phi(m),  w(m) = sum_i r_i h(m_i)   (per dimension)
 *
 * in the cube [-1, 1]^k (blocks.h), their branches over beta, folds,
 * melting points, saddles and barriers, the heat capacity, and the
 * Gaussian (eqs 5.7-5.8) around a maximum.  The k-dimensional analogue of
 * thermodynamics.h and gaussian.h; for k = 2 equal blocks (m1 = s = x + y,
 * m2 = d = x - y) it gives their numbers.
 *
 * Coordinates: t_i = atanh m_i (the open cube onto R^k).  Stationarity is
 *   F_i(t) = df/dm_i = -r_i t_i - beta dphi/dm_i (tanh t) = 0,
 * i.e. the fixed point m_i = tanh(-(beta / r_i) dphi/dm_i); with G_i a
 * bound of |dphi/dm_i| on the cube every stationary point lies in the box
 * |t_i| <= beta G_i / r_i, and none on the boundary of the cube.
 *
 * The global search (hl_blocks_stationary_at) is a branch-and-bound over
 * that box with interval arithmetic (outward rounding, formula.h): a box
 * is discarded when the enclosure of some F_i excludes 0, contracted by the
 * fixed-point map and the Krawczyk operator
 *   K(X) = y - Y F(y) + (I - Y J(X)) (X - y),  y = mid X, Y ~ J(y)^-1,
 * and when K(X) lies inside X it holds exactly one stationary point, found
 * by Newton.  So every stationary point of f at that beta is found, up to
 * libm's rounding (enclosures widened by a few ulps), except in boxes that
 * stay unresolved at the smallest width (a singular Hessian: beta at a
 * fold, or two stationary points within ~1e-9 in t); those are counted
 * (hl_bsearch.unresolved) and Newton is run from their centres.
 *
 * Errors: HL_OK or a negative HL_E* code with a one-line hl_errmsg().
 */
#ifndef HYPERLAND_BLOCKS_PHASES_H
#define HYPERLAND_BLOCKS_PHASES_H

#include <stddef.h>
#include "hyperland/blocks.h"
#include "hyperland/thermodynamics.h"

/* A stationary point of f at one beta. */
typedef struct {
    double beta;
    double m[HL_BLOCKS_MAX]; /* position (entries 0 .. k-1)                 */
    double t[HL_BLOCKS_MAX]; /* atanh m: the position without the rounding
                                of m next to a face of the cube             */
    double x, y;             /* k = 2 equal blocks: (m1 + m2)/2, (m1 - m2)/2;
                                NaN otherwise                               */
    double phi, w, f;        /* phi(m), w(m), f = w - beta phi (per dim);
                                w underflows to 0 within ~e^-700 of a
                                vertex (large beta): ln_w holds it          */
    double ln_w;             /* ln w, finite however small w is             */
    int index;               /* number of positive eigenvalues of the Hessian
                                of f: 0 a maximum, 1 a saddle between two
                                maxima, ...; -1 if singular (a fold)        */
    int branch;              /* branch index (hl_bphases), -1 if none       */
    int stable;              /* 1 if the global maximum at this beta        */
    double heat_capacity;    /* c = d<phi>/dT along the branch through this
                                point (per dimension, k_B = 1):
                                c = -beta^2 grad(phi)^T H^-1 grad(phi), H the
                                Hessian of f in m (implicit differentiation
                                of grad f = 0, docs/heat_capacity.md); NaN
                                where H is singular, and where c > 0 lies
                                below the normal doubles (2.2e-308), its
                                digits lost                                 */
    double ln_heat_capacity; /* ln c where c > 0, finite however small c is;
                                NaN where c <= 0 or H is singular           */
} hl_bstat;

/* What a global search did. */
typedef struct {
    long boxes;       /* boxes examined                                   */
    long proved;      /* stationary points proved unique in a box (Krawczyk) */
    long unresolved;  /* boxes left at the smallest width (see above)     */
    int complete;     /* 1 if no box was left unresolved and the budget of
                         boxes was not exhausted                          */
    int gave_up;      /* 1 if the budget ran out: the points are those found
                         so far (the boxes left count as unresolved)      */
} hl_bsearch;

/* Every stationary point of f at beta (the search above), sorted by f,
 * largest first, into buf (caller-owned, capacity cap; *count receives the
 * number found, which may exceed cap).  info may be NULL.  HL_EDOM for a
 * beta that is not positive and finite or above 1e6; HL_ENOMEM.  The work
 * budget: min(4e6, 5e9/k^3) boxes (a box costs about k^3 operations).  When
 * it runs out (too many stationary points, or k too large for the search):
 * with info, the points found so far, info->gave_up = 1 and complete = 0;
 * without info, HL_ERANGE (the message says how far it got). */
int hl_blocks_stationary_at(const hl_blocks *b, double beta, hl_bstat *buf, size_t cap,
                            size_t *count, hl_bsearch *info);

/* The local maxima among them (index 0), sorted by m1, then m2, ...;
 * stable marks the global one.  Same errors. */
int hl_blocks_maxima_at(const hl_blocks *b, double beta, hl_bstat *buf, size_t cap,
                        size_t *count, hl_bsearch *info);

/* The one naming rule of the maxima of k blocks (as hl_name_maxima,
 * thermodynamics.h, for two order parameters), at one beta: "liquid" is
 * the maximum reached by continuation from beta -> 0, the others
 * "crystal" (the lowest phi), "branch-3", "branch-4", ... by increasing
 * phi.  "crystal" is the lowest-phi maximum other than the liquid at this
 * beta, stable or not (hl_bstat.stable says which is the global maximum).
 * The basins of the class lattice (hl_blocks_exact_compute: exact, mfpt,
 * evolve, kmc, relaxation) and of the Fokker-Planck grid take the name of
 * the maximum of f nearest their end, so one maximum at one beta has one
 * name in every command.  names: caller-owned, count. */
int hl_blocks_name_maxima(const hl_blocks *b, double beta, const hl_bstat *mx, size_t count,
                          char (*names)[16]);

/* The saddle of f between two maxima at the same beta: the mountain pass
 * (the lowest point of the highest path joining them).  Every index-1
 * stationary point (from the global search) is followed uphill from both
 * sides of its unstable direction to the maxima it joins; the pass is the
 * highest saddle on the best path through this graph of maxima and
 * saddles (a maximum bottleneck path, Kruskal).  HL_ENOTFOUND if no path.
 * The barrier per dimension from maximum a is a->f - saddle->f. */
int hl_blocks_saddle_between(const hl_blocks *b, double beta, const hl_bstat *a,
                             const hl_bstat *c, hl_bstat *saddle);

/* The stationary point at t (k entries, t = atanh m) filled in (index,
 * heat capacity, ...).  No search: for points from elsewhere. */
void hl_blocks_stationary_fill(const hl_blocks *b, double beta, const double *t, hl_bstat *out);

/* ------------------------------------------------------- branches in beta */

/* What ends a branch of maxima: HL_BEND_FOLD, HL_BEND_PITCHFORK,
 * HL_BEND_BRANCH_POINT and hl_bend_name (thermodynamics.h, shared with the
 * two order parameters' hl_fold). */

typedef struct {
    int branch;
    double beta;
    double m[HL_BLOCKS_MAX];
    int birth; /* 1: the branch (of maxima) exists for beta above the end;
                  0: below                                                */
    int bifurcation;          /* HL_BEND_*                                */
    int null_dims;            /* eigenvalues of the Hessian of f that vanish
                                 there (|lambda| <= 1e-6 of the largest, in
                                 the scaled K of hl_blocks_gaussian)      */
    double null_vector[HL_BLOCKS_MAX]; /* a unit null vector of Hess_m f
                                 (largest entry positive): the direction
                                 of the instability in m                  */
    double beta_error;        /* estimated error of beta at a branch point
                                 (the root of the eigenvalue nearest zero
                                 along the branch through the point: the
                                 cubic and quadratic interpolants differ
                                 by it); NaN at a fold (located by Newton
                                 on the regular augmented system
                                 grad f = 0, det = 0 to residual 1e-14,
                                 no estimate)                             */
    int through;              /* 1 if this branch itself passes through the
                                 end as a branch of stationary points (a
                                 maximum on one side, a saddle on the
                                 other); 0 at a fold (it turns back in
                                 beta as a saddle) and for a branch that
                                 branches off another there (born with
                                 its mirror image at a pitchfork)         */
} hl_bfold;

typedef struct {
    double beta;
    int branch_a, branch_b;   /* a: the larger f below beta (higher T)   */
    hl_bstat a, b;            /* the two maxima at beta                  */
    double latent_heat;       /* phi_a - phi_b                           */
    double entropy_jump;      /* w_a - w_b = beta * latent_heat          */
    int global;               /* 1 if the global maximum changes here    */
    int has_saddle;
    hl_bstat saddle;          /* the pass between them (hl_blocks_saddle_between) */
} hl_bmelting;

typedef struct {
    int branch_a, branch_b;
    double beta_lo, beta_hi;  /* where f_a - f_b changes sign            */
    char reason[96];
} hl_bmelting_unresolved;

typedef struct hl_bphases hl_bphases;

/* All branches of maxima of f for npoints betas equally spaced in
 * [beta_min, beta_max], as hl_phases_compute (thermodynamics.h) does for
 * two order parameters: the global search at up to 101 betas of the grid
 * (each beta's maxima all found, as above), each new maximum continued
 * both ways along the grid (Euler predictor, Newton corrector, step
 * halving); a branch ends where its Hessian becomes singular: at a fold
 * located to ~1e-12 in beta (Newton on the augmented system grad f = 0,
 * det(Hessian) = 0, residual 1e-14), or at a pitchfork or branch point
 * (where it merges into another branch, or continues as a saddle) located
 * to ~1e-11 as the root of the smallest eigenvalue along the branch of
 * stationary points through it; each end is classified (hl_bfold,
 * HL_BEND_*);
 * melting points where two branches have equal f by Brent to 1e-14 in
 * beta, with the saddle between the two maxima there; crossings that
 * cannot be refined are kept (hl_bphases_unresolved), mirror images (equal
 * phi and w) give none.  A branch that lives only between two searched
 * betas and never meets a traced branch is the only kind that can be
 * missed.  Branch names as hl_blocks_name_maxima at the branch's first beta,
 * except that "crystal" (a phase) is kept only by a branch that is the
 * global maximum at some beta of the range; otherwise it becomes a
 * "branch-K" and "crystal" goes to the branch other than the liquid that
 * is the global maximum at the largest beta (none if there is none).  Two
 * equal blocks keep the names of hl_phases_compute.  The T -> 0 end of each
 * branch and the Kauzmann-like point (below) are found here too.
 * *out: hl_bphases_free. */
int hl_bphases_compute(const hl_blocks *b, double beta_min, double beta_max, int npoints,
                       hl_bphases **out);
void hl_bphases_free(hl_bphases *p);

int hl_bphases_beta_count(const hl_bphases *p);
double hl_bphases_beta(const hl_bphases *p, int i);
int hl_bphases_branch_count(const hl_bphases *p);
const char *hl_bphases_branch_name(const hl_bphases *p, int branch);
/* The maximum of branch at beta index i; HL_ENOTFOUND where it does not exist. */
int hl_bphases_point(const hl_bphases *p, int branch, int i, hl_bstat *out);
/* The ends of the branches (hl_bfold: folds, pitchforks, branch points),
 * in the order they were found. */
/* Where branch ends beyond its range on the grid: the index (for
 * hl_bphases_fold) of the end located below its first beta of the grid
 * into *below, of the one above its last into *above (its range is then
 * [beta of *below, beta of *above], each end located between the
 * branch's first (last) grid beta and the grid beta before (after) it);
 * -1 where the branch reaches the edge of the grid.  Either pointer may be NULL.  HL_EINVAL for a branch out
 * of range. */
int hl_bphases_branch_ends(const hl_bphases *p, int branch, int *below, int *above);
int hl_bphases_fold_count(const hl_bphases *p);
int hl_bphases_fold(const hl_bphases *p, int k, hl_bfold *out);
int hl_bphases_melting_count(const hl_bphases *p);
int hl_bphases_melting(const hl_bphases *p, int k, hl_bmelting *out);
int hl_bphases_unresolved_count(const hl_bphases *p);
int hl_bphases_unresolved(const hl_bphases *p, int k, hl_bmelting_unresolved *out);
/* The searches summed over all searched betas (boxes, proofs, unresolved;
 * complete = 1 if every one was). */
void hl_bphases_search(const hl_bphases *p, hl_bsearch *out);

/* ------------------------------------------------ T -> 0 and Kauzmann */

/* Where a branch goes as T -> 0: the analysis of hl_t0_end
 * (thermodynamics.h, docs/heat_capacity.md section 3; one code path for
 * both) in the k block magnetisations.  The branch is followed by
 * continuation from the largest beta of the range to beta1 = max(2
 * beta_max, 1e3 / G), at most 2.5e5, and to beta2 = 2 beta1; G bounds
 * |d phi / d m_i| on the cube: sampled on a grid of n points per axis with
 * n^k <= 101^2 (n = 101 for k <= 2, as for two order parameters, so two
 * equal blocks probe at the same beta), plus 10% and 1e-3, for k <= 8; the
 * interval enclosure over the cube for larger k (unbounded: beta1 =
 * 2.5e5).  Each m_i is pinned on a face (|m_i| -> 1: its atanh grows by
 * more than 1 from beta1 to beta2) or free (moves by less than 0.1); the
 * free ones solve grad phi = 0 on that face (Newton, 1e-13): the end point.
 * All pinned: a vertex, w -> 0 and c/T -> 0; some: kind HL_T0_EDGE, on a
 * face of the cube with free_dims free coordinates (an edge when
 * free_dims = 1); none: HL_T0_INTERIOR.  Off a vertex the branch keeps the
 * residual entropy w = sum over free i of r_i h(m_i*) (a degenerate glass)
 * and c is linear in T:
 *     c / T -> grad w^T [phi'']^{-1} grad w   (free coordinates, at m*),
 * with dw/dm_i = -r_i atanh(m_i).  For two equal blocks the numbers of
 * hl_phases_t0_end with s = m1, d = m2. */
typedef struct {
    int kind;                 /* HL_T0_*; NONE: no end (reason says why)   */
    int free_dims;            /* free coordinates at the end (0 .. k)      */
    double m[HL_BLOCKS_MAX];  /* the end point (entries 0 .. k-1)          */
    double x, y;              /* two equal blocks: (m1 +- m2)/2; else NaN  */
    double phi;               /* phi there                                 */
    double residual_entropy;  /* w(T -> 0), per dimension                  */
    double c_over_T;          /* lim c/T (NaN with the reason when the face
                                 minimum is not quadratic)                 */
    double beta_probe, w_probe, c_over_T_probe; /* the branch at beta2   */
    char reason[160];         /* "" when every value is given              */
} hl_bt0_end;
int hl_bphases_t0_end(const hl_bphases *p, int branch, hl_bt0_end *out);

/* The Kauzmann-like point of the branches named liquid and crystal, as
 * hl_phases_kauzmann (thermodynamics.h: the first beta above their
 * melting point where w_liquid = w_crystal, Brent to 1e-13; found = 0 with
 * the reason when there is none). */
typedef struct {
    int found;
    double beta, T;
    hl_bstat liquid, crystal; /* the two maxima at beta (equal w)          */
    char reason[200];
} hl_bkauzmann;
int hl_bphases_kauzmann(const hl_bphases *p, hl_bkauzmann *out);

/* ------------------------------------------------------------ the Gaussian */

/* The Gaussian of eqs 5.7-5.8 around the maximum mx (from the functions
 * above) for the model's D: ln Q_eq(m) ~ const - D dm^T E dm with
 *   E = -(1/2) Hess_m f = (1/2) [diag(r_i / (1 - m_i^2)) + beta Hess phi]
 * (k x k, symmetric, row-major), and the covariance of m
 *   cov = (2 D E)^-1 = S K^-1 S / D,  S = diag(sqrt(1 - m_i^2)),
 *   K = diag(r_i) + beta S Hess(phi) S,
 * computed from t so that maxima next to a face keep their digits.  For
 * k = 2 equal blocks, E in (x, y) of eq 5.8 is E11 = (E_ss + 2 E_sd +
 * E_dd), E12 = 2 (E_ss - E_dd), E22 = (E_ss - 2 E_sd + E_dd) (ln Q ~
 * const - D [E11 dx^2 + E12 dx dy + E22 dy^2]), returned in e_xy[3] (NULL:
 * not wanted; NaN for other models).  E, cov: caller-owned, k*k (either
 * may be NULL).  HL_EDOM if mx is not a maximum (the Hessian is not
 * negative definite). */
int hl_blocks_gaussian(const hl_blocks *b, const hl_bstat *mx, double *E, double *cov,
                       double *e_xy);

/* The linearised (Ornstein-Uhlenbeck) kinetics around the maximum mx
 * (eqs 5.9-5.11 in m; src/model/blocks_ou.c): B = B(m, 1/beta) into
 * *transmission; the diagonal Kramers-Moyal diffusion D Dif = 2 B
 * sqrt(1 - m_i^2) / r_i into diffusion[k]; the drift of the mean,
 * d<dm>/dt = -A <dm>, A = D Dif (-Hess_m f), into drift[k*k] (row-major);
 * its eigenvalues, ascending, into lambda[k] (the OU rates are their sums
 * n_1 lambda_1 + ... + n_k lambda_k: hl_ou_rates_k, gaussian.h); the unit
 * eigenvectors (largest entry positive) into the columns of modes[k*k].
 * Time in units of 1/B, independent of D.  Eigenvalues by cyclic Jacobi on
 * the symmetric G = (R S)^-1/2 K (R S)^-1/2 (each to high relative
 * accuracy, a block next to a face included).  For two equal blocks the
 * numbers of hl_gaussian (gaussian.h) in s = m1, d = m2.  Any output may
 * be NULL.  HL_EDOM if mx is not a maximum or B is not positive and
 * finite. */
int hl_blocks_ou(const hl_blocks *b, const hl_bstat *mx, double *transmission, double *diffusion,
                 double *drift, double *lambda, double *modes);

#endif
