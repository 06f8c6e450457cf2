/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lumped.h -- the slow dynamics of a reversible chain with several
 * metastable basins as a small chain on the basins: its committor (Galerkin)
 * reduction (private to the library).
 *
 * Let r_1 .. r_B be the local maxima of ln pi (steepest ascent along edges
 * with c > 0, hl_active_ascent) and h_j the committor of r_j: the
 * probability to reach r_j before any other r_i, harmonic (L^T h_j = 0) off
 * the r_i, sum_j h_j = 1.  Once every mode but the B slowest has decayed,
 *
 *   P(t) = sum_j p_j(t) rho_j,   rho_j = pi h_j / M_j,   M_j = sum_a pi_a h_j(a),
 *
 * and p follows the master equation of the B-state reversible chain with
 * weights M_j and conductances (pi K on the chain, eq 3.4)
 *
 *   C_ij = sum_b C_{r_i b} h_j(b)   (i != j)
 *
 * the flux out of r_i that reaches r_j first; this is minus the Dirichlet
 * form E(h_i, h_j) of the harmonic committors, so C_ij = C_ji (the two
 * are averaged in logs), and p_j = sum_a P_a h_j(a).  This is the
 * committor (Galerkin) projection of the master equation with the mass
 * matrix lumped by rows: its slow rates and states are exact up to the
 * relative order of
 *
 *   gap     = (fastest rate of the B-state chain) / lambda_B,
 *   overlap = max_j sum_a pi_a h_j(a) (1 - h_j(a)) / M_j,
 *
 * lambda_B the slowest rate the basins do not represent (the B-th nonzero
 * rate of the full chain) and the overlap the weight of the transition
 * regions where the committors are fractional (~ exp(-barrier)).  The
 * committors come from the graph transformation (passage_gt.c: sums of
 * positive terms, values in logs), so M_j and C_ij carry a few ulps
 * relative however small they are; they are exactly the quantities the
 * double eigensolvers lose at huge rate ratios.  Refs: Schuette and Sarich,
 * "Metastability and Markov State Models in Molecular Dynamics" (AMS 2013),
 * ch. 5; Bovier, Eckhoff, Gayrard and Klein, Comm. Math. Phys. 228, 219
 * (2002) for the capacities. */
#ifndef HL_LUMPED_H
#define HL_LUMPED_H

#include "active.h"
#include "rchain.h"

#define HL_LUMPED_MAX_BASINS 256

typedef struct {
    long n;         /* states of the full chain                            */
    long nb;        /* basins B                                            */
    long *top;      /* nb: the state r_j (full index) at the top of basin j */
    double *ln_h;   /* nb x n (basin-major): ln h_j(a); -inf off the chain  */
    double *ln_m;   /* nb: ln M_j                                          */
    double *ln_pi;  /* n: ln pi of the full chain (a copy)                  */
    hl_rchain chain;/* the B-state chain (ln_pi = ln M_j)                   */
    double ln_gap;  /* ln(fastest rate of the small chain / lambda_B)       */
    double ln_overlap; /* ln of the overlap above                          */
    double lambda_b;/* lambda_B (the first rate not represented)           */
} hl_lumped;

/* The reduction of the connected chain c (ch: its active form with rates
 * filled).  HL_ENOTFOUND (nothing set, no message) when it does not apply:
 * one basin, more than HL_LUMPED_MAX_BASINS, more than one component, or
 * lambda_B unresolved, or the committors would take more than 1.6e7
 * doubles; HL_ENOMEM; the errors of the committor solves.
 * The caller checks ln_gap and ln_overlap against its tolerance.  Release
 * with hl_lumped_free. */
int hl_lumped_build(const hl_rchain *c, const hl_active *ch, hl_lumped *L);
void hl_lumped_free(hl_lumped *L);

/* p[j] = sum_a q_a h_j(a) over the full states (q: n entries, negative
 * entries of an integrator's round-off count as 0), normalised to sum 1. */
void hl_lumped_project(const hl_lumped *L, const double *q, double *p);
/* q[a] = sum_j p_j rho_j(a) (n entries; 0 off the chain). */
void hl_lumped_lift(const hl_lumped *L, const double *p, double *q);

#endif
