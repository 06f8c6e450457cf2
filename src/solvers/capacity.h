/* SPDX-License-Identifier: GPL-3.0-or-later */
/* capacity.h -- the slowest rate of a two-basin reversible chain from the
 * capacity between the basins (private to the library). */
#ifndef HL_CAPACITY_H
#define HL_CAPACITY_H

#include "rchain.h"

/* The slowest nonzero rate of chain c with two metastable basins, in log
 * space and with a small relative error however small it is: the
 * potential-theoretic formula lambda = cap(a, b) (1/pi(A) + 1/pi(B)), with
 * pi(A), pi(B) the weights of the basins (label[i] = 0 or 1 for the active
 * states; n entries) and cap(a, b) the capacity between their states a and
 * b: the equilibrium flux sum pi_i k(i -> j) (q_j - q_i) of the committor q
 * (q = 0 at a, 1 at b, harmonic elsewhere; a sparse LU solve, UMFPACK)
 * across the edges from basin A to basin B, a sum of positive terms near
 * the saddle.  Its relative error is of the order of the equilibrium weight
 * of the barrier region relative to the basins (~ exp(-barrier)), so it
 * complements the eigensolvers exactly where they cannot resolve the rate.
 * Exit rates are ignored.  HL_EINVAL for bad labels or states (or the
 * chain's errors), HL_ENOCONV if the solve fails or no flux crosses. */
int hl_rchain_tunnelling(const hl_rchain *c, const int *label, long a, long b,
                         double *ln_rate);

#endif
