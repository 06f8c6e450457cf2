/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan_chain.h -- the reversible chain (a network of minima) under a
 * calorimetry scan (scan.h, hl_scan_create_chain): its equilibrium
 * references <E>(T) and d<E>/dT = Var(E)/T^2 (whole chain or the basin),
 * its start, and its master equation under the T protocol by the chain
 * engine (private to the library: scan.c and scan_chain.c). */
#ifndef HL_SCAN_CHAIN_H
#define HL_SCAN_CHAIN_H

#include <stddef.h>

#include "hyperland/chain.h"
#include "hyperland/evolve.h"
#include "hyperland/protocol.h"

typedef struct scan_chain scan_chain;

/* Copies the chain's state parts (ln M = S - E/T), checks it (no exits,
 * connected at 1/t_high), the basin (distinct states; n_basin = 0: none)
 * and makes the start at t_high (start: HL_SCAN_START_EQUILIBRIUM or
 * _LIQUID, the basin's part renormalised).  The chain is borrowed (it
 * must outlive the scan). */
int scan_chain_create(const hl_chain *chain, const long *basin, size_t n_basin, double t_high,
                      int start, scan_chain **out);
void scan_chain_free(scan_chain *c);
int scan_chain_has_basin(const scan_chain *c);
long scan_chain_states(const scan_chain *c);

/* The equilibrium at T of the whole chain (in_basin = 0) or of the basin
 * alone, renormalised (1): *mean = <E>, *cap = d<E>/dT = Var(E)/T^2 (exact
 * in logs; 0 when every state has one E; NaN where it is below the
 * smallest normal double).  Both NaN for the basin when there is none. */
void scan_chain_ref(const scan_chain *c, int in_basin, double T, double *mean, double *cap);

/* The master equation under protocol p from the start at the times:
 * ev[k].t, beta, mean_phi (= <E>), sum_error, min_q, and with a basin
 * n_basins = 1, basins[0] = {"liquid", probability, ln_probability,
 * mean_phi = <E | basin> (NaN: no probability in it)}.  info: steps
 * (CVODE), rtol, atol, factorisations; method HL_EVOLVE_GENERAL. */
int scan_chain_evolve(const scan_chain *c, const hl_protocol *p, const double *times,
                      size_t n_times, double rtol, hl_evolve_point *ev, hl_evolve_info *info);

/* max E - min E over the states */
double scan_chain_spread(const scan_chain *c);

#endif
