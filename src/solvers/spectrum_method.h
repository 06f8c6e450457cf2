/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spectrum_method.h -- the method table of the spectrum of a reversible
 * chain and what its entries share (private to the library).
 *
 * A method is an entry {name, guarantee, applies, solve} in the static
 * table of spectrum.c (hl_spectrum_methods); hl_rchain_spectrum takes the
 * FIRST entry whose applies() returns 1, so specialised methods go before
 * the general ones.  To add a method (e.g. the separable-chain dqds or the
 * matrix-free Lanczos of master.c):
 *   1. write  static int x_applies(const hl_spectrum_setup *s)  (cheap: the
 *      chain, its active part with rates, components and norm are set up,
 *      s->hint carries optional method-specific data, NULL from
 *      hl_rchain_spectrum) and  static int x_solve(hl_spectrum_setup *s,
 *      hl_spectrum_block *b)  in its own file;
 *   2. declare the entry (extern const hl_spectrum_method hl_spectrum_x;)
 *      below and insert &hl_spectrum_x into the table in spectrum.c.
 * solve computes b->nb >= s->nev eigenpairs of -S on the active states in
 * the complement of the null vectors (compressed order, b->z column q at
 * z + q m), allocating w, z, nu (free()d by the caller); it should end with
 * hl_spectrum_polish so that the rates are Dirichlet-form Rayleigh quotients
 * and nu the |v|^T |S| |v| that the resolution is made of.  Operators it
 * builds go into s (s->op: the CHOLMOD shift-invert operator, created by
 * hl_spectrum_sinv on first use and freed by the caller). */
#ifndef HL_SPECTRUM_METHOD_H
#define HL_SPECTRUM_METHOD_H

#include "active.h"
#include "spectrum.h"

typedef struct hl_sinv hl_sinv;

typedef struct {
    const hl_rchain *chain;
    const void *hint;    /* method-specific data, or NULL                    */
    int named;           /* 1: the caller named the method; applies() then
                            answers whether it CAN solve, not whether it is
                            the best choice                                  */
    hl_active *act;      /* active states, rates, exits                      */
    hl_comps *cp;        /* components without exits and their null vectors */
    double norm;         /* Gershgorin bound of -S                           */
    double *e4;          /* per active edge: e^{(ln pi_b - ln pi_a)/4}, 0 for
                            no edge (the Dirichlet form)                     */
    double *dot;         /* workspace of cp->n + 1                           */
    long nev;            /* nonzero modes wanted (>= 1 when solve is called) */
    hl_sinv *op;         /* shift-invert operator, or NULL                   */
    hl_rchain_spectrum_info *info; /* filled by solve: sigma, op_applies,
                                      nnz_factor                         */
} hl_spectrum_setup;

typedef struct {
    long nb;             /* eigenpairs computed (>= nev)                     */
    double *w;           /* nb rates, ascending                              */
    double *z;           /* m x nb vectors                                   */
    double *nu;          /* nb: |v|^T |S| |v|                                */
} hl_spectrum_block;

typedef struct {
    const char *name;      /* reported in hl_rchain_spectrum_info.method     */
    const char *guarantee; /* the resolution it guarantees, in words         */
    int (*applies)(const hl_spectrum_setup *s);
    int (*solve)(hl_spectrum_setup *s, hl_spectrum_block *b);
} hl_spectrum_method;

extern const hl_spectrum_method hl_spectrum_dense;        /* spectrum_dense.c         */
extern const hl_spectrum_method hl_spectrum_shift_invert; /* spectrum_shift_invert.c  */

/* The shift-invert operator x -> P (-S + sigma I)^{-1} P x (P: projector on
 * the complement of the null vectors) with a CHOLMOD Cholesky factor
 * (fill-reducing ordering); sigma = 1e3 DBL_EPSILON norm (x 100 while the
 * factor is not positive definite).  Created in s->op. */
int hl_spectrum_sinv(hl_spectrum_setup *s);
/* y = P (-S + sigma I)^{-1} P x (x and y may be the same) */
int hl_sinv_apply(hl_sinv *op, const double *x, double *y);
double hl_sinv_sigma(const hl_sinv *op);
long hl_sinv_applies(const hl_sinv *op);
long hl_sinv_nnz(const hl_sinv *op);
void hl_sinv_free(hl_sinv *op);

/* Rayleigh-Ritz in Dirichlet form on span(z) (m x nev): project out the
 * null vectors, orthonormalise, rotate to the eigenvectors of Z^T (-S) Z
 * assembled edge by edge, then each rate as the Rayleigh quotient of its
 * own vector, nu[q] = |v_q|^T |S| |v_q|; sorted ascending. */
int hl_spectrum_polish(const hl_spectrum_setup *s, long nev, double *w, double *z, double *nu);

#endif
