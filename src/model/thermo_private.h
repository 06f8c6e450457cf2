/* SPDX-License-Identifier: GPL-3.0-or-later */
/* thermo_private.h -- what the pieces of the equilibrium analysis share
 * (maxima.c, phases.c, melting.c, saddle.c; not installed): the local model
 * of f = w - beta phi in tanh-coordinates t = (atanh s, atanh d), the global
 * search for maxima, continuation in beta, and the branch table of
 * hl_phases. */
#ifndef HL_THERMO_PRIVATE_H
#define HL_THERMO_PRIVATE_H

#include <stddef.h>

#include "model_private.h"
#include "hyperland/blocks.h"

/* --- the local model (maxima.c) --- */
typedef struct {
    double F[2];     /* grad_(s,d) f                    */
    double J[2][2];  /* dF/dt = H_sd * diag(cs, cd)     */
    double Fb[2];    /* dF/dbeta                        */
    hl_tpoint p;
    hl_phi_derivs o;
} hl_local_eval;

static inline double hl_det2(double J[2][2]) { return J[0][0] * J[1][1] - J[0][1] * J[1][0]; }

/* f = w - beta phi at t = (t1, t2). */
double hl_f_value_t(const hl_model *m, double beta, double t1, double t2);
/* Plain Newton on F = 0 from t (at most maxit steps); converges to any
 * stationary point.  1 on convergence (t, *e at the point), else 0. */
int hl_newton_t(const hl_model *m, double beta, double t[2], int maxit, hl_local_eval *e);
/* Ascent to a local maximum: Newton where the Hessian is negative definite,
 * gradient ascent otherwise, with backtracking on f.  1 on success. */
int hl_ascend_t(const hl_model *m, double beta, double t[2], hl_local_eval *e);
/* c = d<phi>/dT along the branch through the stationary point e at beta
 * (per dimension, k_B = 1); NaN where the Hessian of f is singular or
 * where c underflows (hl_heat_capacity_from); *ln_c (optional): ln c. */
double hl_heat_capacity_local(const hl_local_eval *e, double beta, double *ln_c);
/* c = -beta^2 dphi, dphi = d<phi>/dbeta along the branch, and ln c
 * (*ln_c, optional; NaN unless c > 0).  A c = 0 because dphi = 0 is exact
 * (0); a nonzero c below DBL_MIN (its digits lost to underflow) is NaN,
 * with ln c still finite. */
double hl_heat_capacity_from(double beta, double dphi, double *ln_c);
/* The same with dphi = sum_i a[i] sech^2(t[i]) (k terms; a[i] = g_i (J^-1
 * g)_i in tanh-coordinates t): where a sech^2 t leaves the normal doubles
 * (a maximum within e^-354 of a face: beta = 178 for the paper's crystal)
 * the sum is taken in logs, so c and ln c keep their digits; otherwise
 * exactly hl_heat_capacity_from of the plain sum. */
double hl_heat_capacity_sech(double beta, int k, const double *a, const double *t,
                             double *ln_c);
/* The stationary point at t as an hl_stationary (x, y, phi, w, f, t1, t2, ...). */
void hl_fill_stationary(const hl_model *m, double beta, const double t[2], hl_stationary *out);
/* tanh-coordinates of a point: exact ones when it came from these files,
 * else from x, y (clamped inside the square). */
void hl_stationary_to_t(const hl_stationary *s, double t[2]);
/* 1 if two points in t agree to 1e-6 relative. */
int hl_same_point(const double a[2], const double b[2]);
/* HL_EDOM unless beta is positive and finite. */
int hl_check_beta(double beta);

/* --- global search (maxima.c) --- */
#define HL_MAX_MAXIMA 256
typedef struct {
    double t[2];
} hl_tpair;
/* f on an (N+1)^2 grid over [lo, hi] in t (g: (N+1)^2, row i = t1 index). */
void hl_fill_f_grid(const hl_model *m, double beta, const double lo[2], const double hi[2],
                    int N, double *g);
/* The box in t that holds every stationary point at beta. */
void hl_search_box(const hl_model *m, double beta, double lo[2], double hi[2]);
/* All maxima at beta into list (up to cap); returns the count found.
 * *grid (if not NULL) gets the most points per axis used, *capped is set to
 * 1 when the fine grid was coarser than phi's feature length asked for. */
size_t hl_find_maxima_t(const hl_model *m, double beta, hl_tpair *list, size_t cap, int *grid,
                        int *capped);

/* --- continuation in beta (maxima.c) --- */
/* Continue a maximum from (b0, t) to b1.  On success t holds the maximum at
 * b1 and 1 is returned.  On failure (a fold lies between), t and *b_last
 * hold the last accepted point, and 0 is returned. */
int hl_continue_max(const hl_model *m, double b0, double b1, double t[2], double *b_last);
/* Refine a fold (det J = 0) near (t, *beta) in (t1, t2, beta); 1 on success. */
int hl_refine_fold(const hl_model *m, double t[2], double *beta);

/* --- the branch table of hl_phases (phases.c, melting.c) --- */
typedef struct {
    double *t1, *t2;   /* per beta index */
    double *f;         /* f = w - beta phi at each index (after tracing) */
    unsigned char *exists;
    char name[16];
} hl_branch;

struct hl_phases {
    int nbeta;
    double *beta;
    int nbranch, cap_branch;
    hl_branch *br;
    int nfold, cap_fold;
    hl_fold *folds;
    int nmelt, cap_melt;
    hl_melting *melts;
    int nunres, cap_unres;
    hl_melting_unresolved *unres;
    int search_grid;   /* largest points per axis of the global searches */
    int search_capped; /* 1 if phi's feature length asked for a finer grid */
    hl_t0_end *t0;     /* per branch: its T -> 0 end (lowtemp.c) */
    hl_kauzmann kz;    /* the Kauzmann-like point (lowtemp.c) */
    const hl_model *model; /* borrowed during compute only */
    hl_blocks *pair;       /* the model as two equal blocks (m1 = s, m2 = d),
                              during compute only: the ends of the branches
                              are classified by the code of k blocks      */
};
/* Make room for element n of *arr (capacity *cap, elements of elem bytes),
 * doubling; 0 when out of memory. */
int hl_grow(void **arr, int *cap, int n, size_t elem);
/* The branch with the largest f at beta index i, -1 if none. */
int hl_stable_branch(const hl_phases *p, int i);
/* Every melting point between two traced branches (melting.c): HL_OK or an
 * error code. */
int hl_find_meltings(hl_phases *p);
/* The T -> 0 end of every branch and the Kauzmann-like point (lowtemp.c),
 * after the melting points: HL_OK or an error code. */
int hl_find_low_temperature(hl_phases *p);

#endif
