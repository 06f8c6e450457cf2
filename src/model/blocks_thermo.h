/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_thermo.h -- what the equilibrium analysis of k blocks shares
 * (blocks_local.c, blocks_search.c, blocks_phases.c, blocks_melting.c,
 * blocks_saddle.c; not installed): the local model of f = w - beta phi in
 * t = atanh m, Newton, ascent, continuation in beta and folds, the branch
 * table. */
#ifndef HL_BLOCKS_THERMO_H
#define HL_BLOCKS_THERMO_H

#include <stddef.h>

#include "core.h"
#include "hyperland/blocks_phases.h"
#include "blocks_private.h"

#define BK HL_BLOCKS_MAX

/* f and its derivatives at t (k entries). */
typedef struct {
    int k;
    double m[BK];      /* tanh t                                 */
    double c[BK];      /* 1 - m^2 = sech^2 t (0 when cosh overflows) */
    double g[BK];      /* d phi / d m                            */
    double H[BK * BK]; /* d2 phi / d m d m                       */
    double phi;
    double F[BK];      /* df/dm = -r t - beta g                  */
    double J[BK * BK]; /* dF/dt = Hess_m f diag(c)               */
    double Fb[BK];     /* dF/dbeta = -g                          */
} hl_bl_eval;

void hl_bl_eval_at(const hl_blocks *b, double beta, const double *t, hl_bl_eval *e);
/* one-spin entropy h(tanh t), accurate next to the faces */
double hl_bl_h_t(double t);
/* f = w - beta phi at t */
double hl_bl_f(const hl_blocks *b, double beta, const double *t);
/* Solve A x = rhs (n x n, row-major; A is not changed) by Gaussian
 * elimination with partial pivoting; 0 if singular (a pivot below 1e-15
 * of its row's scale, or not finite). */
int hl_bl_solve(int n, const double *A, const double *rhs, double *x);
/* The inverse of A (n x n, row-major) into inv by LU with partial
 * pivoting; 0 if singular (as hl_bl_solve). */
int hl_bl_inverse(int n, const double *A, double *inv);
/* 1 if the Hessian of f at e is negative definite (Cholesky of
 * K = diag(r) + beta C^1/2 Hphi C^1/2). */
int hl_bl_is_max(const hl_blocks *b, double beta, const hl_bl_eval *e);
/* Number of positive eigenvalues of the Hessian of f at e; -1 if one is
 * zero to rounding. */
int hl_bl_index(const hl_blocks *b, double beta, const hl_bl_eval *e);
/* Newton on F = 0 from t, at most maxit steps; 1 on convergence (residual
 * 1e-12 (1 + sum |t|)), e at the point. */
int hl_bl_newton(const hl_blocks *b, double beta, double *t, int maxit, hl_bl_eval *e);
/* A few more Newton steps on a converged stationary point, kept while the
 * step keeps shrinking (the last bits of t). */
void hl_bl_polish(const hl_blocks *b, double beta, double *t);
/* Newton steps on a maximum found to the stopping test of hl_bl_newton
 * (residual 1e-12), at most 8, each kept while max |F| falls: where the
 * Hessian is nearly singular (next to the end of a branch) that test
 * leaves t off by residual / eigenvalue, and hl_bl_polish (steps below
 * 1e-6) does not reach it.  t is left unchanged unless the result is a
 * maximum within 1e-3 (1 + sum |t|) of it. */
void hl_bl_settle(const hl_blocks *b, double beta, double *t);
/* Ascent to a local maximum (Newton where the Hessian is negative
 * definite, gradient ascent with backtracking otherwise); 1 on success. */
int hl_bl_ascend(const hl_blocks *b, double beta, double *t, hl_bl_eval *e);
/* Continue a maximum from (b0, t) to b1 (as hl_continue_max); 1 on
 * success, else t and *b_last the last point accepted. */
int hl_bl_continue(const hl_blocks *b, double b0, double b1, double *t, double *b_last);
/* Refine a fold (F = 0, det J = 0) near (t, *beta); 1 on success. */
int hl_bl_refine_fold(const hl_blocks *b, double *t, double *beta);
/* Classify the end f of a branch of maxima at (f->beta, t) (located: 1 if
 * hl_bl_refine_fold converged there) as a fold, pitchfork or branch point
 * (blocks_bifurcation.c); a branch point is relocated (f->beta, f->m, t). */
void hl_bl_classify_end(const hl_blocks *b, double *t, hl_bfold *f, int located);
/* 1 if two points agree to 1e-6 relative in t. */
int hl_bl_same(int k, const double *a, const double *c);
/* HL_EDOM unless 0 < beta <= 1e6. */
int hl_bl_check_beta(double beta);

/* --- the graph of passes (blocks_saddle.c): maxima joined through the
 * index-1 stationary points at one beta --- */
typedef struct {
    double beta;
    size_t n;
    hl_bstat *all;  /* every stationary point, by f, largest first */
    int nedge;
    int *edge;      /* 3 per edge: maximum, maximum, the saddle (indices in all) */
} hl_bl_pass_graph;
int hl_bl_pass_graph_build(const hl_blocks *b, double beta, hl_bl_pass_graph *g);
void hl_bl_pass_graph_free(hl_bl_pass_graph *g);
/* The pass between maxima a and c from g; beta may differ from g->beta by
 * a rounding (the saddle is then followed by Newton). */
int hl_bl_pass_query(const hl_blocks *b, const hl_bl_pass_graph *g, double beta,
                     const hl_bstat *a, const hl_bstat *c, hl_bstat *saddle);

/* --- the branch table (blocks_phases.c, blocks_melting.c) --- */
typedef struct {
    double *t;          /* nbeta * k */
    double *f;
    unsigned char *exists;
    char name[16];
    int end_lo, end_hi; /* the end (index in folds) below its first grid
                           beta / above its last; -1: none */
} hl_bl_branch;

struct hl_bphases {
    const hl_blocks *b; /* borrowed during compute only */
    int k;
    int nbeta;
    double *beta;
    int nbranch, cap_branch;
    hl_bl_branch *br;
    int nfold, cap_fold;
    hl_bfold *folds;
    int nmelt, cap_melt;
    hl_bmelting *melts;
    int nunres, cap_unres;
    hl_bmelting_unresolved *unres;
    hl_bsearch search;
    hl_bl_pass_graph pass; /* the last graph of passes (melting points) */
    hl_bt0_end *t0;        /* per branch: its T -> 0 end (blocks_lowtemp.c) */
    hl_bkauzmann kz;       /* the Kauzmann-like point (blocks_lowtemp.c) */
};
int hl_bl_grow(void **arr, int *cap, int n, size_t elem);
int hl_bl_stable_branch(const hl_bphases *p, int i);
int hl_bl_find_meltings(hl_bphases *p);
/* The T -> 0 ends and the Kauzmann-like point (blocks_lowtemp.c), after
 * the melting points: HL_OK or an error code. */
int hl_bl_find_low_temperature(hl_bphases *p);

#endif
