/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evolve_impl.h -- what the evolution's driver (chain_evolve.c) shares with
 * its two integrators, the Krylov exponential (evolve_krylov.c) and CVODE
 * (evolve_cvode.c) (private to the library). */
#ifndef HL_EVOLVE_IMPL_H
#define HL_EVOLVE_IMPL_H

#include <cholmod.h>
#include <umfpack.h>

#include "active.h"
#include "chain_evolve.h"
#include "chol_solve.h"

typedef struct {
    hl_active ch;
    hl_rchain *c;
    hl_rchain_fill_fn fill;
    void *ctx;
    const hl_protocol *p;
    int varying;           /* beta follows the protocol: fill on a new beta     */
    double tc;             /* the protocol's settling time (beta constant after) */
    double beta;           /* beta of the current rates                         */
    int status;            /* first error inside a callback                     */
    int force_cvode;       /* CVODE at a fixed beta too (hl_rchain_evolve_cvode) */
    hl_rchain_evolve_opts opts; /* hl_rchain_evolve_cvode_opts (0: defaults)    */
    /* I - gamma L in compressed columns (fixed pattern): the preconditioner
     * of CVODE and the shift-and-invert operator of the Krylov method */
    SuiteSparse_long *Ap, *Ai;
    double *Ax, *tmp;
    void *sym, *num;
    double control[UMFPACK_CONTROL], uinfo[UMFPACK_INFO];
    double fgamma, fbeta;  /* gamma and beta of the current factor            */
    long factorisations, fills;
    /* opts.chol: the preconditioner by CHOLMOD on the symmetrised form
     * (evolve_cvode.c); chol: 0 not tried yet, 1 in use, -1 not usable
     * (UMFPACK as always) */
    int chol;
    int fchol;             /* the current factor is CHOLMOD's (else UMFPACK's) */
    cholmod_common cm;
    cholmod_sparse *S;     /* I - gamma S, lower triangle                   */
    cholmod_factor *L;
    hl_chol_solver cs;
    double *su;            /* m: sqrt(pi / pi_ref) at the factor's beta      */
    double *cw;            /* m: work                                        */
    double *sp;            /* m: pi at the factor's beta, summing to 1       */
    int small_failed;      /* hl_ev_krylov: the small exponential failed      */
    int handover;          /* the fixed-beta rest of a protocol that settled  */
    int retry_failed;      /* hl_ev_cvode: a run with tight linear solves failed
                              (no more retries in this evolution)          */
    long products;         /* products L v by CVODE in this evolution (a
                              check's budget, evolve_cvode.c ev_budget)   */
    double route_rtol;     /* opts.route_rtol, or rtol                       */
    double frozen_ln_rate; /* frozen_check: ln of the largest rate out       */
    size_t out0;           /* the index of the fixed-beta segment's first
                              output among all (opts.lumped_dev)          */
} hl_ev;

/* the rates at time t (a fill when beta(t) is new) */
int hl_ev_at(hl_ev *e, double t);
/* the pattern of I - gamma L: column a holds its neighbours and a, rows
 * increasing; UMFPACK controls (symmetric strategy, METIS) */
int hl_ev_pattern(hl_ev *e);
/* Ax = I - gamma L in the pattern's order: entry (b, a) = -gamma k(a -> b);
 * with sym, I - gamma S for the symmetrised generator S = Pi^{-1/2} L Pi^{1/2}:
 * entry (b, a) = -gamma c_ab (the conductance, sqrt(k(a -> b) k(b -> a)));
 * the diagonal is the same for both */
void hl_ev_assemble(hl_ev *e, double gamma, int sym);
/* frees the CHOLMOD preconditioner (opts.chol) */
void hl_ev_chol_free(hl_ev *e);
/* Neumaier-compensated sum */
double hl_ev_sum(const double *x, long n);

/* The Krylov exponential at the fixed beta of the rates from y0
 * (compressed) to times[0..nt-1] (one pole, gamma = times[nt-1] / 10);
 * HL_ENOCONV if it does not converge in 160 vectors, with e->small_failed
 * set if the exponential of the small matrix failed (overflow on a stiff
 * chain).  sym = 0: Arnoldi on (I - gamma L)^{-1}; sym = 1: Lanczos on the
 * symmetrised (I - gamma S)^{-1} (stable on stiff chains; evolve_krylov.c). */
int hl_ev_krylov(hl_ev *e, const double *y0, const double *times, size_t nt, double rtol,
                 int sym, double *yout, hl_rchain_evolve_info *info);

/* CVODE (BDF, GMRES preconditioned by the LU of I - gamma L) from y0 at
 * t0 to tout[0..nt-1]; yout: nt x m.  Under a varying protocol the
 * multistep history restarts at each row before the settling time. */
int hl_ev_cvode(hl_ev *e, const double *y0, double t0, const double *tout, size_t nt,
                double rtol, double atol, double *yout, hl_rchain_evolve_info *info);

#endif
