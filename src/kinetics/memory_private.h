/* SPDX-License-Identifier: GPL-3.0-or-later */
/* memory_private.h -- what the files of the memory experiments share
 * (memory.h): the system (the class lattice of hl_evolve or a reversible
 * chain) and its operations at a fixed temperature.
 *
 *   memory_system.c  the system: starts, equilibria, basins, propagation
 *   kovacs.c         the Kovacs experiment
 *   ageing.c         the two-time autocorrelation after a quench */
#ifndef HL_MEMORY_PRIVATE_H
#define HL_MEMORY_PRIVATE_H

#include "hyperland/hyperland.h"
#include "hyperland/memory.h"
#include "evolve_model.h"

enum { HL_MEMSYS_MODEL = 0, HL_MEMSYS_CHAIN = 1 };
#define HL_MEMSYS_PLANS 4

struct hl_memsys {
    int kind;
    long n;             /* states                                         */
    double rtol;
    double *A;          /* the observable, n                              */
    double spread;      /* max A - min A                                  */
    long propagations;  /* engine calls                                   */
    /* model */
    const hl_model *m;
    long dim;
    hl_evolve_sys sys;
    hl_exact *ex;
    double mask_T;      /* the temperature of the cached mask (0: none)   */
    unsigned char *mask_cache;
    int mask_present;
    /* chain */
    const hl_chain *chain;
    unsigned char *basin; /* n, or NULL without a basin                   */
    double plan_T[HL_MEMSYS_PLANS];
    hl_chain_plan *plan[HL_MEMSYS_PLANS];
    int plan_next;
};

/* p (n entries) = the start at T0: the equilibrium, or its part in the
 * basin renormalised.  HL_ENOTFOUND when the basin is missing at T0. */
int hl_memsys_start(hl_memsys *s, int start, double T0, double *p);
/* p = the equilibrium at T (exact, in logs). */
int hl_memsys_equilibrium(hl_memsys *s, double T, double *p);
/* The basin of T as a mask (borrowed, n entries; valid until the next
 * call); *present = 0 (mask NULL) when there is none at T. */
int hl_memsys_mask(hl_memsys *s, double T, const unsigned char **mask, int *present);
/* p(times[k]) at the fixed temperature T from p0 (n entries, any positive
 * sum; negative entries, the engines' round-off, start as 0): normalised here, and the output scaled back by it) into
 * out (n_times x n).  *sum_err (optional): the largest |sum p / sum p0 -
 * 1| of the outputs. */
int hl_memsys_propagate(hl_memsys *s, double T, const double *p0, const double *times,
                        size_t n_times, double *out, double *sum_err);
/* sum_i A_i p_i / sum_i p_i. */
double hl_memsys_mean(const hl_memsys *s, const double *p);
/* The basin's population of p at T (NaN when there is no basin at T). */
double hl_memsys_p_basin(hl_memsys *s, double T, const double *p);

#endif
