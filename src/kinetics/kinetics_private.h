/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kinetics_private.h -- helpers shared by the kinetics layer: the class
 * lattice of eq 5.6, the separable spectrum's switch, evolution checks and
 * the capacity tunnelling rate (not installed). */
#ifndef HL_KINETICS_PRIVATE_H
#define HL_KINETICS_PRIVATE_H

#include <math.h>

#include "core.h"
#include "model_private.h"
#include "hyperland/evolve.h"
#include "hyperland/chain.h"
#include "hyperland/relaxation.h"

/* Largest chain (bonds) of the separable spectrum solved by dqds; longer
 * ones by bisection (master.c).  limit >= 0 sets it (tests), < 0 only
 * queries; returns the previous value. */
long hl_separable_dqds_limit(long limit);

/* --- the class lattice of the contracted chain (passage.c) --- */
/* lq[i] = ln Q_eq = ln W - beta Phi of class i = a (h+1) + b, lk4[4 i + q] =
 * ln k(i -> j) for the moves q = a+1, a-1, b+1, b-1 of eq 5.6 (rates of eq
 * 5.2; -inf off the lattice), nb[4 i + q] = j or -1.  Arrays of (h+1)^2,
 * 4 (h+1)^2 and 4 (h+1)^2 entries, caller-owned. */
int hl_class_lattice(const hl_model *m, long dim, double beta, double *lq, double *lk4,
                     long *nb);

/* --- the Scharfetter-Gummel flux (fokker_planck.c, fokker_planck_blocks.c) --- */
/* ln( (z/2) / sinh(z/2) ): ln of sqrt(Bern(z) Bern(-z)), Bern(z) = z / (e^z - 1),
 * even in z: the symmetric factor of a face across which ln pi changes by z. */
static inline double hl_ln_sg_factor(double z)
{
    double a = 0.5 * fabs(z);
    if (a < 1e-4)
        return -a * a / 6.0;
    return log(a) - a + 0.69314718055994530942 - log1p(-exp(-2.0 * a));
}

/* --- evolution helpers (evolve.c) --- */
/* Output times: finite, >= 0, strictly increasing, at least one. */
int hl_check_times(const double *times, size_t n_times);
/* The field of an HL_START_TILTED start: finite, |f| <= 1e6. */
int hl_check_field(const double field[2]);
/* v = exp(v - ln sum exp v): normalise log-weights to probabilities. */
void hl_ln_normalise(double *v, long n);

/* The tunnelling rate of the contracted chain with two basins from the
 * capacity between their deepest classes (hl_gridchain_tunnelling; relative
 * error ~ the weight of the barrier region).  basin_kinetics.c */
int hl_class_tunnelling_capacity(const hl_model *m, long dim, double beta, double *ln_rate);

/* tau of a basin from the plan of its chain alone (reflecting walls):
 * out->ln_tau = -ln nu_1 (nu_1 the slowest nonzero rate), or out->tau_null
 * with the reason where no method resolves it.  relaxation.c */
int hl_relax_basin_tau(hl_chain_plan *basin, hl_relax_point *out);

/* The class chain of k blocks (plan `full` of hl_blocks_chain, its
 * equilibrium ln_p) restricted to the classes set[0 .. n), in increasing
 * index (edges among them only: reflecting walls, the whole chain's
 * rates); map: n_classes entries of scratch (on return the state of each
 * class, -1 outside).  *out: hl_chain_free.  blocks_relaxation.c */
typedef struct hl_blocks hl_blocks;
typedef struct hl_chain hl_chain;
typedef struct hl_chain_plan hl_chain_plan;
int hl_blocks_restrict_chain(const hl_blocks *b, hl_chain_plan *full, const double *ln_p,
                             const long *set, size_t n, long *map, hl_chain **out);

#endif
