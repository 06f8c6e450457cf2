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
#include <stdio.h>

#include "hyperland/thermodynamics.h"

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

/* Copy the values both public forms of an end share (hl_t0_end,
 * hl_bt0_end: kind, phi, residual entropy, c/T, the probe, the reason)
 * from the hl_lt_end src into the struct *dst. */
#define HL_LT_END_COPY(dst, src)                                              \
    do {                                                                      \
        (dst)->kind = (src)->kind == HL_LT_BOUNDARY ? HL_T0_EDGE : (src)->kind; \
        (dst)->phi = (src)->phi;                                              \
        (dst)->residual_entropy = (src)->residual_entropy;                    \
        (dst)->c_over_T = (src)->c_over_T;                                    \
        (dst)->beta_probe = (src)->beta_probe;                                \
        (dst)->w_probe = (src)->w_probe;                                      \
        (dst)->c_over_T_probe = (src)->c_over_T_probe;                        \
        snprintf((dst)->reason, sizeof (dst)->reason, "%s", (src)->reason);   \
    } while (0)

/* The index of the record whose char array at off_name equals name among
 * n records of stride bytes (a branch table), -1 if none. */
int hl_lt_find_name(const void *recs, int n, size_t stride, size_t off_name, const char *name);

/* beta1 of the probe from G, the bound of |grad phi| in u: the pinned
 * coordinates' t grow by 2 beta1 |phi_u| >= 1 between beta1 and 2 beta1
 * once |phi_u| >= G / 2e3; at least 2 beta_max, at most 2.5e5. */
double hl_lt_probe_beta(double G, double beta_max);

/* The beta where branch b dies on its way to larger beta: the largest
 * beta of its folds with birth = 0 (nfold records of stride bytes, with
 * int branch, int birth and double beta at the offsets), else the last
 * grid beta where it exists (exists[0 .. nbeta-1]). */
double hl_lt_death_beta(const void *folds, int nfold, size_t stride, size_t off_branch,
                        size_t off_birth, size_t off_beta, int b, const unsigned char *exists,
                        const double *grid, int nbeta);

/* No end: the branch dies at a fold at bf before T -> 0. */
void hl_lt_end_at_fold(hl_lt_end *e, double bf);

/* When branch b (dead before the last grid beta, e set by
 * hl_lt_end_at_fold) stops being a maximum at a pitchfork or branch point
 * rather than a fold -- its last end with birth = 0 (hl_fold or hl_bfold
 * records as for hl_lt_death_beta, int bifurcation and int through at
 * off_bif, off_through) is not HL_BEND_FOLD -- the reason says so. */
void hl_lt_end_at_bifurcation(hl_lt_end *e, const void *folds, int nfold, size_t stride,
                              size_t off_branch, size_t off_birth, size_t off_beta,
                              size_t off_bif, size_t off_through, int b);

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

/* The index of the melting point with the smallest beta between branches
 * L (the high-T side, int at off_a) and C (int at off_b) among n records
 * of stride bytes (beta a double at off_beta); -1 if none or L or C < 0. */
int hl_lt_first_melting(const void *melts, int n, size_t stride, size_t off_a, size_t off_b,
                        size_t off_beta, int L, int C);

/* The Kauzmann-like point of the branches L (liquid) and C (crystal; -1:
 * none) with their first melting point melt (-1: none) at beta_m, liquid
 * at tl and crystal at tc there: found = 0 with the reason when a branch
 * or the melting point is missing; else the first beta above beta_m where
 * w_liquid = w_crystal: the scan over the grid betas (grid[0 .. nbeta-1],
 * increasing) above beta_m, then steps of 1.1 up to stop, Brent to 1e-13
 * (thermodynamics.h, hl_kauzmann). */
void hl_lt_kauzmann_for(const hl_lt_model *m, int L, int C, int melt, double beta_m,
                        const double *tl, const double *tc, const double *grid, int nbeta,
                        double stop, hl_lt_kauzmann *out);

#endif
