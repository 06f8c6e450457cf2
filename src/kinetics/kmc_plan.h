/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kmc_plan.h -- the inside of a kinetic Monte Carlo plan (kmc.h), shared
 * by kmc.c (plans, one trajectory), kmc_ensemble.c and kmc_lattice.c
 * (private). */
#ifndef HL_KMC_PLAN_H
#define HL_KMC_PLAN_H

#include "hyperland/kmc.h"
#include "rate_terms.h"

struct hl_kmc {
    hl_rate_terms rt;       /* the directed rates as functions of beta     */
    const hl_protocol *p;   /* borrowed                                    */
    double beta_end;        /* beta from t_settle on                       */
    double t_settle;        /* the protocol's settling time (0: fixed)     */
    double *ln_exit;        /* n: ln R_a at beta_end (-inf: no exit)       */
    double *inv_exit;       /* n: 1 / R_a at beta_end                      */
    double *cum;            /* ne: cumulative exp(ln k_j - ln R_a) per state,
                               the last of each state exactly 1            */
    size_t nw;              /* thinning windows before t_settle            */
    double *wt, *wb;        /* nw + 1: window ends (t, beta(t))            */
    /* per-channel thinning tables (NULL when nw * ne > KMC_TABLE_MAX: then
     * the bound of the exit rate is computed at each candidate):         */
    double *wlr;            /* nw * n: ln of the bound of R_a in window w   */
    double *wle;            /* nw * ne: ln of the bound of k_j in window w  */
    double *wcum;           /* nw * ne: cumulative shares of the bounds per
                               state, the last of each state exactly 1     */
    long max_degree;        /* largest number of directed edges of a state */
};

/* The start of trajectory i: the state drawn from the cumulative start
 * distribution p0cum (NULL: o->start) and its run, with the target as a
 * state mask (NULL: none); the engine behind hl_kmc_trajectory and
 * hl_kmc_ensemble.  work: max_degree doubles. */
int hl_kmc_run(const hl_kmc *k, const hl_kmc_options *o, const double *p0cum,
               const unsigned char *target, uint64_t id, long *state_at,
               hl_kmc_record *records, size_t cap, double *work, hl_kmc_info *info);

/* Check the options against the plan; p0cum (n entries, allocated here when
 * o->p0 is given, else NULL) and the target mask (allocated when o->target
 * is given). */
int hl_kmc_prepare(const hl_kmc *k, const hl_kmc_options *o, double **p0cum,
                   unsigned char **target);

/* Finish a plan whose rates k->rt are set: tables, windows, checks. */
int hl_kmc_finish(hl_kmc *k, const hl_protocol *p);

#endif
