/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * thermodynamics.h -- free-energy maxima of f = w - beta phi (eq 4.13),
 * their branches over beta, folds (spinodals), melting points and saddles.
 *
 * Everything is per dimension: f, w, phi are ln Q / D, ln W / D, Phi / D.
 */
#ifndef HYPERLAND_THERMODYNAMICS_H
#define HYPERLAND_THERMODYNAMICS_H

#include <stddef.h>
#include "hyperland/model.h"

/* A stationary point of f = w - beta phi at one beta. */
typedef struct {
    double beta;
    double x, y;      /* position in the square                         */
    double phi, w, f; /* phi(x, y), w(x, y) (eq 4.10), f = w - beta phi;
                         w underflows to 0 within ~e^-700 of a vertex
                         (large beta): ln_w holds it                     */
    double ln_w;      /* ln w, finite however small w is                 */
    double hess_det;  /* det of the Hessian of f in (s, d), scaled by
                         (1 - s^2)(1 - d^2): > 0 at a maximum            */
    double t1, t2;    /* atanh(x + y), atanh(x - y): the position without
                         the rounding of x, y next to an edge            */
    int branch;       /* branch index (hl_phases), -1 if not assigned     */
    int stable;       /* 1 if it is the global maximum at this beta       */
    double heat_capacity; /* c = d<phi>/dT along the branch through this
                         point, per dimension, dimensionless (k_B = 1):
                         c = -beta^2 grad(phi)^T H^{-1} grad(phi), H the
                         Hessian of f (implicit differentiation of
                         grad f = 0; docs/heat_capacity.md).  > 0 at a
                         maximum; NaN where H is singular (a fold), and
                         NaN where c > 0 lies below the normal doubles
                         (2.2e-308: e.g. beta = 1e-300, c ~ beta^2), its
                         digits lost: ln_heat_capacity then holds it.    */
    double ln_heat_capacity; /* ln c where c > 0 (finite however small c
                         is: 2 ln beta + ln(-grad(phi)^T H^{-1} grad(phi)));
                         NaN where c <= 0 or H is singular.              */
} hl_stationary;

/* What ends a branch of maxima (hl_fold.bifurcation and
 * hl_bfold.bifurcation, blocks_phases.h).  At every end one
 * eigenvalue of the Hessian of f crosses zero (null_dims of them at once
 * where a symmetry makes them equal); the rank of [J | dF/dbeta] (J the
 * Jacobian of grad f = 0) tells the kinds apart:
 *   FOLD (a spinodal, saddle-node): rank n (n order parameters), no stationary point continues
 *     the branch through beta*; the branch turns back in beta as a saddle.
 *   PITCHFORK: a smooth branch of stationary points passes through beta*
 *     (the maximum continues as a saddle, or a saddle becomes a maximum)
 *     and the cubic term of f along the null vector(s) vanishes (a
 *     symmetry-breaking null vector): a pair of stationary points branches
 *     off on one side (new maxima born where the branch loses stability
 *     supercritically; two saddles absorbed otherwise).  The branches born
 *     there end at the same point and are PITCHFORK ends too.
 *   BRANCH_POINT: a branch passes through beta* but the cubic term does
 *     not vanish (transcritical: two branches cross and exchange
 *     stability; or several null directions, e.g. three permuted blocks). */
enum { HL_BEND_FOLD = 0, HL_BEND_PITCHFORK = 1, HL_BEND_BRANCH_POINT = 2 };
/* "fold", "pitchfork", "branch-point" */
const char *hl_bend_name(int bifurcation);

/* An end of a branch of maxima: a branch is born or dies where the Hessian
 * of f is singular.  Classified as for k blocks (hl_bfold, blocks_phases.h:
 * the two order parameters are two equal blocks, m1 = s = x + y,
 * m2 = d = x - y, and one code path classifies both). */
typedef struct {
    int branch;
    double beta, x, y;
    int birth; /* 1: the branch exists for beta above the end; 0: below   */
    int bifurcation;          /* HL_BEND_*: FOLD (a spinodal), PITCHFORK,
                                 BRANCH_POINT                             */
    int null_dims;            /* eigenvalues of the Hessian of f that vanish
                                 there (as hl_bfold.null_dims)            */
    double null_vector[2];    /* a unit null vector of the Hessian of f in
                                 (x, y) (largest entry positive): the
                                 direction of the instability             */
    double beta_error;        /* estimated error of beta at a pitchfork or
                                 branch point (as hl_bfold.beta_error); NaN
                                 at a fold (Newton on the regular augmented
                                 system, no estimate)                     */
    int through;              /* 1 if this branch itself passes through the
                                 end as a branch of stationary points (a
                                 maximum on one side, a saddle on the
                                 other); 0 at a fold and for a branch born
                                 with its mirror image at a pitchfork     */
} hl_fold;

/* A melting point: two maxima of equal f (eq 4.14). */
typedef struct {
    double beta;
    int branch_a, branch_b;      /* a: stable for beta below, b: above     */
    hl_stationary a, b;          /* the two maxima at beta                 */
    double latent_heat;          /* phi_a - phi_b, per dimension           */
    double entropy_jump;         /* w_a - w_b = beta * latent_heat         */
    int global;                  /* 1 if the global maximum changes here   */
    int has_saddle;
    hl_stationary saddle;        /* saddle of f between them, at beta     */
} hl_melting;

/* A sign change of f_a - f_b between two branches on the beta grid that
 * could not be refined into a melting point (the branches could not be
 * continued across the bracket, their continuations do not change order
 * there, or the root finder did not converge).  Adjacent intervals of one
 * pair with one reason are merged. */
typedef struct {
    int branch_a, branch_b;
    double beta_lo, beta_hi;     /* the bracket where f_a - f_b changes sign */
    char reason[96];             /* one line, no trailing period           */
} hl_melting_unresolved;

typedef struct hl_phases hl_phases;

/* Every local maximum of f = w - beta phi inside the closed square at one
 * beta (eq 4.13), found by a global search in tanh-coordinates followed by
 * Newton refinement.  Maxima are written to buf (caller-owned, capacity
 * cap), sorted by x; *count receives the number found (which may exceed
 * cap: then only cap are written).  branch = -1, stable set. */
int hl_maxima_at(const hl_model *model, double beta, hl_stationary *buf,
                 size_t cap, size_t *count);

/* The saddle of f between two maxima at the same beta (the mountain pass:
 * the lowest point of the highest path joining them), refined by Newton.
 * HL_ENOTFOUND if none is found. */
int hl_saddle_between(const hl_model *model, double beta,
                      const hl_stationary *m1, const hl_stationary *m2,
                      hl_stationary *saddle);

/* Trace all branches of maxima of f for npoints betas equally spaced in
 * [beta_min, beta_max] (eq 4.13): continuation along each branch with
 * restarts from global searches, folds located to 1e-8 in beta (augmented
 * system grad f = 0, det H = 0), each end of a branch classified as a
 * fold, pitchfork or branch point (hl_fold; a pitchfork or branch point
 * relocated to ~1e-12, as hl_bphases_compute does for k blocks, by the same
 * code on the model as two equal blocks), melting points to 1e-10 (Brent).  Two
 * branches that are mirror images (equal phi and w, as for a symmetric phi)
 * have equal f at every beta and give no melting point; a crossing that
 * cannot be refined is listed by hl_phases_unresolved, never dropped
 * silently.  Branch 0 is the one present at beta_min ("liquid" if it reaches beta -> 0).
 * *out is caller-owned: hl_phases_free(). */
int hl_phases_compute(const hl_model *model, double beta_min, double beta_max,
                      int npoints, hl_phases **out);
void hl_phases_free(hl_phases *phases);

int hl_phases_beta_count(const hl_phases *p);
double hl_phases_beta(const hl_phases *p, int i);
int hl_phases_branch_count(const hl_phases *p);
/* "liquid", "crystal", or "branch-K".  Borrowed. */
const char *hl_phases_branch_name(const hl_phases *p, int branch);
/* The maximum of branch at beta index i; HL_ENOTFOUND if the branch does
 * not exist there. */
int hl_phases_point(const hl_phases *p, int branch, int i, hl_stationary *out);
/* The ends of the branches (hl_fold: folds, pitchforks, branch points), in
 * the order they were found. */
int hl_phases_fold_count(const hl_phases *p);
int hl_phases_fold(const hl_phases *p, int k, hl_fold *out);
int hl_phases_melting_count(const hl_phases *p);
int hl_phases_melting(const hl_phases *p, int k, hl_melting *out);
/* Crossings of f between two branches that could not be refined. */
int hl_phases_unresolved_count(const hl_phases *p);

/* The global search for maxima: the most grid points per axis it used
 * (over the search box in t = atanh s, atanh d; spaced by
 * hl_model_feature_length, at least 32, at most 1024) and *capped = 1 when
 * phi's feature length asked for more than 1024, i.e. maxima closer than
 * the grid spacing may have been missed.  Either pointer may be NULL. */
void hl_phases_search_grid(const hl_phases *p, int *points, int *capped);
int hl_phases_unresolved(const hl_phases *p, int k, hl_melting_unresolved *out);

/* Where a branch goes as T -> 0 (docs/heat_capacity.md, section 3).  The
 * branch is followed by continuation from the largest beta of the range to
 * beta1 = max(2 beta_max, 1e3 / G) (G: the bound of |grad phi| on the
 * square, hl_model_gradient_bounds; at most 2.5e5) and to beta2 = 2 beta1.
 * Each of s = x + y, d = x - y is classified: on an edge (|u| -> 1) when
 * its atanh grows by more than 1 from beta1 to beta2 (i.e. |dphi/du| >
 * ~G/2e3), free when it moves by less than 0.1; in between the end
 * is not classified (kind NONE with the reason).  The free coordinates are
 * then solved for grad phi = 0 on that face (Newton, to 1e-13): the end
 * point.  Both on an edge: a vertex, w -> 0 and c -> 0 like
 * exp(-4 beta |dphi/du|) (c/T -> 0); one: an edge; none: the interior.  On
 * an edge or inside the branch keeps the residual entropy w(x*) > 0 at T = 0
 * (a degenerate glass) and c is linear in T:
 *     c / T -> grad w^T [phi'']^{-1} grad w   (free coordinates, at x*),
 * with w_u = -atanh(u)/2.  beta_probe = beta2, where w and c/T are given
 * too (the numerical check of the limits). */
enum { HL_T0_NONE = 0, HL_T0_VERTEX = 1, HL_T0_EDGE = 2, HL_T0_INTERIOR = 3 };
typedef struct {
    int kind;                 /* HL_T0_*; NONE: no end (reason says why)   */
    double x, y, phi;         /* the end point and phi there               */
    double residual_entropy;  /* w(T -> 0), per dimension                  */
    double c_over_T;          /* lim c/T (NaN with the reason when the
                                 face minimum is not quadratic)            */
    double beta_probe, w_probe, c_over_T_probe; /* the branch at beta2   */
    char reason[160];         /* "" when every value is given              */
} hl_t0_end;
int hl_phases_t0_end(const hl_phases *p, int branch, hl_t0_end *out);

/* The Kauzmann-like point: the first beta above the melting point of the
 * branches named liquid and crystal where the supercooled liquid's w falls
 * to the crystal's (w_liquid - w_crystal = 0 by Brent in beta, to 1e-13
 * relative, both branches continued from the last beta scanned).  The scan
 * runs over the grid above beta_m, then in steps of 1.1 up to the T -> 0
 * probe (hl_t0_end).  found = 0 with the reason when there is none: no
 * liquid or crystal branch, no melting point between them, the liquid ends
 * at a fold first, or its w stays above the crystal's to the probe (or
 * until both fall below 1e-280). */
typedef struct {
    int found;
    double beta, T;
    hl_stationary liquid, crystal; /* the two maxima at beta (equal w)     */
    char reason[200];
} hl_kauzmann;
int hl_phases_kauzmann(const hl_phases *p, hl_kauzmann *out);

/* Name a maximum the way the project does everywhere: for the default phi
 * "liquid" is the branch that exists as beta -> 0 and "crystal" the one
 * that ends at the corner (-1, 0); for a user phi the maximum reached by
 * continuation from beta -> 0 is "liquid", the next by lowest phi
 * "crystal", the rest "branch-K".  Writes into name (caller-owned). */
int hl_name_maxima(const hl_model *model, double beta, hl_stationary *maxima,
                   size_t count, char (*names)[16]);

#endif
