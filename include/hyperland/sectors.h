/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sectors.h -- the master equation of the full hypercube (eq 3.6, rates of
 * eq 5.2) split exactly into symmetry sectors.
 *
 * The generator commutes with the permutations of the spins inside each
 * half (the first D/2 spins and the last D/2), so it splits into sectors
 * (k1, k2), one per pair of irreducible representations of S_h x S_h
 * (h = D/2, 0 <= k1, k2 <= h/2).  In one half, with a the number of +1
 * spins, the functions on level a carry the irreducible representations
 * k = 0 .. min(a, h - a), each of dimension d(h, k) = C(h, k) - C(h, k-1);
 * with U the "flip one -1 to +1" map and U^T its transpose, U^T U - U U^T
 * = h - 2a on level a, so U^T U = (a - k + 1)(h - a - k) =: e_k(a) on the
 * k-component of level a.  Hence sector (k1, k2) is a chain on the classes
 * a in [k1, h - k1], b in [k2, h - k2] (a = n1, b = n - n1) whose
 * symmetrised generator has
 *   diagonal  -E(a, b), the total escape rate of a vertex of class (a, b)
 *             in the full hypercube ((h - a) u_a + a d_a + the same in b,
 *             u, d the eq 5.2 rates of one up / down flip),
 *   coupling  sqrt(u_a(a, b) d_a(a + 1, b) e_k1(a)) between (a, b) and
 *             (a + 1, b), and the same in b.
 * As a reversible chain: stationary weight C(h - 2k1, a - k1) C(h - 2k2,
 * b - k2) exp(-beta Phi), moves (h - a - k1) u_a up and (a - k1) d_a down,
 * and an exit (killing) rate k1 (u_a + d_a) + k2 (u_b + d_b) per state:
 * sub-stochastic for (k1, k2) != (0, 0).  Sector (0, 0) is the contracted
 * chain of eq 5.6.  Every rate of sector (k1, k2) is a rate of the full
 * hypercube of multiplicity d(h, k1) d(h, k2); the sectors' sizes times
 * multiplicities add up to 2^D.
 *
 * The lowest rate of a sector does not decrease with k1 or k2 (its Perron
 * vector is nonnegative, the sector k + 1 lives on a subset of the states
 * of sector k with the same diagonal and smaller couplings, e_{k+1}(a) =
 * e_k(a) - (h - 2k)), so whole sectors can be skipped.
 */
#ifndef HYPERLAND_SECTORS_H
#define HYPERLAND_SECTORS_H

#include <stddef.h>
#include "hyperland/model.h"

/* The exact multiplicity d(h, k1) d(h, k2) of the rates of sector (k1, k2),
 * h = D/2, as a decimal string (it exceeds 64 bits from D ~ 136), written
 * like snprintf: at most size bytes including the terminating NUL into buf
 * (buf may be NULL when size is 0).  Returns the number of digits (the
 * length of the full string) or a negative HL_E* code: HL_EDOM for a bad D
 * or k1, k2 outside 0..h/2.  Exact big-integer arithmetic, O(k digits)
 * operations per factor. */
int hl_sector_multiplicity(long dim, long k1, long k2, char *buf, size_t size);

/* ln of that multiplicity (log-gamma; NaN for bad arguments). */
double hl_sector_ln_multiplicity(long dim, long k1, long k2);

/* Number of states of sector (k1, k2): (h - 2 k1 + 1)(h - 2 k2 + 1). */
long hl_sector_size(long dim, long k1, long k2);

/* The k slowest rates (eigenvalues of minus the sector's symmetrised
 * generator, ascending, units of B) of sector (k1, k2) alone, with their
 * natural logs, from the sector chain itself (also for (0, 0), as an
 * independent check of the contracted spectrum): for the paper's phi with
 * B = 1 the sum of two independent one-dimensional sector chains, else
 * the two-dimensional chain; both by the grid-chain eigensolver with the
 * exit rates (gridchain.c: dense LAPACK or ARPACK shift-invert with a
 * CHOLMOD factor, rates polished as Rayleigh quotients in Dirichlet form).
 * Rates below *resolution (optional) are not resolved: NaN.  rates,
 * ln_rates: caller-owned, k entries; k <= hl_sector_size (else HL_EDOM).
 * HL_EDOM for a bad D, beta or sector, HL_ERANGE when the sector exceeds
 * HL_SPARSE_MAX states or the rates overflow. */
int hl_sector_spectrum(const hl_model *model, long dim, double beta, long k1, long k2, int k,
                       double *rates, double *ln_rates, double *resolution);

/* One distinct rate of the full hypercube. */
typedef struct {
    double rate;            /* units of B; NaN if not resolved               */
    double ln_rate;         /* -inf for the exact 0; NaN if not resolved     */
    long k1, k2;            /* its sector                                    */
    long index;             /* its place in the sector, 0 = the slowest      */
    double ln_multiplicity; /* ln of its multiplicity (hl_sector_multiplicity
                               gives it exactly)                            */
    long copies;            /* how many of its copies are among the k rates
                               counted with multiplicity (0 .. k)           */
} hl_sector_rate;

typedef struct {
    int method00;          /* HL_SPECTRUM_* of sector (0, 0) (hl_spectrum)   */
    int tunnelling_exact;  /* as hl_spectrum_info, for sector (0, 0)         */
    double resolution;     /* largest resolution of the solved sectors: rates
                              below it are not resolved (NaN)                */
    long sectors_total;    /* (h/2 + 1)^2                                    */
    long sectors_solved;   /* sectors whose rates were computed              */
    long n_distinct;       /* entries written to distinct                    */
} hl_sectors_info;

/* The k slowest relaxation rates of the full hypercube (eq 3.6) counted
 * with multiplicity, 0 first, ascending (rates, ln_rates: caller-owned, k
 * entries; 1 <= k <= 2^D), and its k slowest distinct rates, each with its
 * sector and multiplicity (distinct: caller-owned, k entries, ascending;
 * info->n_distinct = min(k, number of distinct rates) written; the rates
 * counted with multiplicity are copies of the first of them, see
 * hl_sector_rate.copies), for any phi and B at every D where the
 * contracted spectrum works (D <= 1e6 for the paper's phi with B = 1, else
 * up to ~4000).  Sector (0, 0) is the contracted chain, solved by
 * hl_spectrum (with its exact tunnelling rate); the others by
 * hl_sector_spectrum's solvers, at most k rates each.  Sectors are visited
 * with k2 and k1 increasing; a sector whose slowest rate exceeds the
 * current k-th slowest distinct rate ends its row, and the sectors beyond
 * it (larger k1, or larger k1 and k2) are skipped: their slowest rates are
 * no smaller.  An unresolved rate (NaN) is placed by its upper bound, the
 * resolution.  Rates that coincide in different sectors are listed once
 * per sector.  Errors as hl_spectrum; HL_EDOM for k outside 1..2^D. */
int hl_full_spectrum_sectors(const hl_model *model, long dim, double beta, int k,
                             double *rates, double *ln_rates, hl_sector_rate *distinct,
                             hl_sectors_info *info);

#endif
