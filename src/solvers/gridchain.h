/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridchain.h -- the solvers of reversible chains on a rectangular grid
 * (grid.h): thin wrappers that build the reversible chain of the grid
 * (hl_gridchain_to_rchain, edges in a fixed order) and call the solvers of
 * the general chain (private to the library):
 *   hl_gridchain_spectrum*   -> hl_rchain_spectrum     (spectrum.h)
 *   hl_gridchain_tunnelling  -> hl_rchain_tunnelling   (capacity.h)
 *   hl_gridchain_slow_rates  -> hl_rchain_slow_rates   (slow_modes.h)
 *   hl_gridchain_evolve      -> hl_rchain_evolve       (chain_evolve.h)
 * The arguments, results and errors are those of the general functions,
 * with cells i = i1 n2 + i2 as the states. */
#ifndef HL_GRIDCHAIN_H
#define HL_GRIDCHAIN_H

#include <stddef.h>

#include "capacity.h"
#include "chain_evolve.h"
#include "class_lattice.h"
#include "grid.h"
#include "hyperland/evolve.h"
#include "slow_modes.h"
#include "spectrum.h"

typedef hl_rchain_spectrum_info hl_gridchain_spectrum_info;
typedef hl_rchain_slow hl_gridchain_slow;
typedef hl_rchain_evolve_info hl_gridchain_evolve_info;
enum { HL_GRIDCHAIN_CVODE = HL_RCHAIN_CVODE, HL_GRIDCHAIN_KRYLOV = HL_RCHAIN_KRYLOV };

/* The k slowest relaxation rates of the grid chain (hl_rchain_spectrum):
 * vectors (optional) are cells x k, row-major. */
int hl_gridchain_spectrum(const hl_gridchain *g, int k, double *rates, double *vectors,
                          double *resolution);
int hl_gridchain_spectrum_ex(const hl_gridchain *g, int k, double *rates, double *vectors,
                             double *resolution, hl_gridchain_spectrum_info *info);
/* With an exit (killing) rate exp(ln_exit[i]) out of cell i (n1 n2 entries,
 * -inf for none; NULL: none): the symmetry sectors of the full hypercube
 * (sectors.c). */
int hl_gridchain_spectrum_exit(const hl_gridchain *g, const double *ln_exit, int k,
                               double *rates, double *vectors, double *resolution,
                               hl_gridchain_spectrum_info *info);

/* = hl_rchain_dense_limit */
long hl_gridchain_dense_limit(long limit);

/* hl_rchain_tunnelling of the grid chain (label: n1 n2 entries). */
int hl_gridchain_tunnelling(const hl_gridchain *g, const int *label, long a, long b,
                            double *ln_rate);

/* Refill g (same n1, n2, same active cells) for inverse temperature beta:
 * used by hl_gridchain_evolve under a protocol.  Returns HL_OK or an error. */
typedef int (*hl_gridchain_fill_fn)(void *ctx, double beta, hl_gridchain *g);

/* hl_rchain_evolve of the grid chain: fill refills g, which is then copied
 * into the chain (the set of cells must not change). */
int hl_gridchain_evolve(hl_gridchain *g, hl_gridchain_fill_fn fill, void *ctx,
                        const hl_protocol *p, const double *p0, const double *times,
                        size_t n_times, double rtol, double *p_out,
                        hl_gridchain_evolve_info *info);
/* The same with CVODE at a fixed beta too (never the Krylov exponential):
 * its error control is per entry (rtol |P_i| + atol, atol = rtol 1e-4 /
 * cells), so small probabilities keep their digits, where the Krylov
 * exponential's is a 2-norm of the whole vector (an absolute error of about
 * rtol / 100 on every entry).  hl_evolve uses it (the class master
 * equation reports basin populations down to 1e-300). */
int hl_gridchain_evolve_cvode(hl_gridchain *g, hl_gridchain_fill_fn fill, void *ctx,
                              const hl_protocol *p, const double *p0, const double *times,
                              size_t n_times, double rtol, double *p_out,
                              hl_gridchain_evolve_info *info);

/* The same with the settings o of hl_rchain_evolve_cvode_opts (NULL: the
 * defaults). */
int hl_gridchain_evolve_cvode_opts(hl_gridchain *g, hl_gridchain_fill_fn fill, void *ctx,
                                   const hl_protocol *p, const double *p0, const double *times,
                                   size_t n_times, double rtol, double *p_out,
                                   hl_gridchain_evolve_info *info,
                                   const hl_rchain_evolve_opts *o);

/* hl_rchain_slow_rates of the grid chain; the rest as for any chain */
int hl_gridchain_slow_rates(const hl_gridchain *g, hl_gridchain_slow *s);
static inline void hl_gridchain_slow_free(hl_gridchain_slow *s) { hl_rchain_slow_free(s); }
static inline double hl_gridchain_switch_time(const hl_gridchain_slow *s, const double *q)
{
    return hl_rchain_switch_time(s, q);
}
static inline int hl_gridchain_relax(const hl_gridchain_slow *s, const double *q, double tau,
                                     double tol, double *out)
{
    return hl_rchain_relax(s, q, tau, tol, out);
}
static inline int hl_gridchain_relaxable(const hl_gridchain_slow *s, double tau, double tol)
{
    return hl_rchain_relaxable(s, tau, tol);
}

#endif
