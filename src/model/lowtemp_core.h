/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lowtemp_core.h -- the T -> 0 analysis of a branch of maxima of
 * f = w - beta phi, and the Kauzmann-like point, in any number k of order
 * parameters u_i in [-1, 1] (not installed).  One code path for the two
 * order parameters (s, d) of lowtemp.c and the k blocks of
 * blocks_lowtemp.c: each hands its model over as the table of functions
 * below, in t_i = atanh u_i.  Derivations: docs/heat_capacity.md,
 * sections 3 and 4. */
#ifndef HL_LOWTEMP_CORE_H
#define HL_LOWTEMP_CORE_H

#include <stddef.h>

#define HL_LT_MAX 64

typedef struct {
    int k;           /* number of order parameters (1 .. HL_LT_MAX)      */
    const void *ctx; /* the model, passed back to every function         */
    /* continue a maximum from (b0, t) to b1: 1 with t at b1, else 0 with t
     * and *b_last the last point accepted */
    int (*cont)(const void *ctx, double b0, double b1, double *t, double *b_last);
    /* refine a fold near (t, *beta): 1 on success */
    int (*refine_fold)(const void *ctx, double *t, double *beta);
    /* phi, its gradient g[k] and Hessian H[k*k] (row-major) in u */
    void (*phi_u)(const void *ctx, const double *u, double *g, double *H, double *phi);
    /* w at t (per dimension) */
    double (*w_t)(const void *ctx, const double *t);
    /* the heat capacity per dimension of the stationary point at (beta, t) */
    double (*heat_capacity)(const void *ctx, double beta, const double *t);
    /* the share of w of coordinate i at u_i (w = sum of shares), and its
     * derivative d w / d u_i into *dw */
    double (*w_share)(const void *ctx, int i, double u, double *dw);
} hl_lt_model;

/* kinds, as HL_T0_* of thermodynamics.h */
enum { HL_LT_NONE = 0, HL_LT_VERTEX = 1, HL_LT_BOUNDARY = 2, HL_LT_INTERIOR = 3 };

typedef struct {
    int kind;        /* HL_LT_*; BOUNDARY: some but not all u_i free     */
    int free_dims;   /* number of free coordinates at the end            */
    double u[HL_LT_MAX];
    double phi, residual_entropy, c_over_T;
    double beta_probe, w_probe, c_over_T_probe;
    char reason[160];
} hl_lt_end;

/* beta1 of the probe from G, the bound of |grad phi| in u: the pinned
 * coordinates' t grow by 2 beta1 |phi_u| >= 1 between beta1 and 2 beta1
 * once |phi_u| >= G / 2e3; at least 2 beta_max, at most 2.5e5. */
double hl_lt_probe_beta(double G, double beta_max);

/* No end: the branch dies at a fold at bf before T -> 0. */
void hl_lt_end_at_fold(hl_lt_end *e, double bf);

/* The T -> 0 end of the branch whose maximum at beta_last is t_last
 * (thermodynamics.h, hl_t0_end: continuation to b1 and 2 b1, each
 * coordinate pinned on a face or free, the minimum of phi over the free
 * ones, residual entropy and lim c/T = grad w^T [phi'']^-1 grad w). */
void hl_lt_t0_end(const hl_lt_model *m, double beta_last, const double *t_last, double b1,
                  hl_lt_end *e);

typedef struct {
    int found;
    double beta;
    double tl[HL_LT_MAX], tc[HL_LT_MAX]; /* liquid and crystal at beta */
    char reason[200];
} hl_lt_kauzmann;

/* The reasons when there is no liquid/crystal pair or no melting point. */
void hl_lt_kauzmann_no_branch(hl_lt_kauzmann *k, int no_liquid);
void hl_lt_kauzmann_no_melting(hl_lt_kauzmann *k);

/* The first beta above the melting point beta_m (liquid at tl, crystal at
 * tc there) where w_liquid = w_crystal: the scan over the grid betas
 * (grid[0 .. nbeta-1], increasing) above beta_m, then steps of 1.1 up to
 * stop, Brent to 1e-13 (thermodynamics.h, hl_kauzmann). */
void hl_lt_kauzmann_find(const hl_lt_model *m, const double *grid, int nbeta, double beta_m,
                         const double *tl, const double *tc, double stop, hl_lt_kauzmann *out);

#endif
