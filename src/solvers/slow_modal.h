/* SPDX-License-Identifier: GPL-3.0-or-later */
/* slow_modal.h -- the j slowest modes of a connected reversible chain and
 * the master equation continued by them once every faster mode has
 * decayed (private to the library).
 *
 * At a fixed beta, P(t) = pi + sum_k exp(-nu_k t) a_k pi phi_k, with phi_k
 * the right eigenvectors of L^T (L^T phi_k = -nu_k phi_k, sum_a pi_a
 * phi_k(a) phi_l(a) = delta_kl) and a_k = sum_a phi_k(a) P_a(0).  When the
 * j slowest rates are far below the (j+1)-th, every mode above nu_j has
 * decayed below e^-40 of the start's deviation after
 *
 *   T = (40 + max(0, ln ||P(0) - pi||_{1/pi})) / nu_{j+1}
 *
 * (the switch time of slow_modes.h with nu_{j+1} for lambda2), and from
 * then on the j modes carry P exactly: P(T + tau) = pi + sum_{k <= j}
 * exp(-nu_k tau) a_k pi phi_k with a_k from P(T).  This generalises the
 * relaxation of the slowest mode (j = 1) to several wells whose rates are
 * all below what the double-precision integrators resolve: the stretch up
 * to T is short on the scale of nu_{j+1}, which they do resolve.  The rates
 * and vectors come from gt-lanczos (spectrum.h: Lanczos on the
 * pseudo-inverse through the graph transformation, relative errors about
 * eps nu_k / nu_1 however fast the fast modes). */
#ifndef HL_SLOW_MODAL_H
#define HL_SLOW_MODAL_H

#include "rchain.h"

typedef struct {
    long n;         /* states of the chain                                   */
    int j;          /* slow modes kept                                       */
    double *ln_nu;  /* j: ln of their rates, ascending                       */
    double *rel;    /* j: gt-lanczos's relative bound of each                 */
    double nu_next; /* a lower bound of nu_{j+1} (the switch time's rate)     */
    double *phi;    /* j x n row-major: phi_k, pi-orthonormal and orthogonal
                       to 1 (0 off the chain)                               */
    double *pin;    /* n: pi normalised (0 off the chain)                    */
} hl_slow_modal;

/* The slow modes of c (connected, no exits): every rate below res, each
 * resolved by gt-lanczos to rel (relative), at most jmax of them
 * (gt-lanczos is asked for 8, then 16, ... rates until one is not below
 * res or not resolved); nu_next is the next rate where gt-lanczos resolves
 * it to 1e-3 (lowered by its bound), else res.  A rate below res that
 * gt-lanczos did not resolve (it bounds nu_k only to about eps nu_k /
 * nu_1) is not seen here: the caller checks the switch state with
 * hl_slow_modal_residual.  HL_ENOTFOUND (why says why) when fewer than two
 * rates are found, more than jmax, or a vector does not fit a double;
 * HL_ENOMEM, HL_EINVAL.  Release with hl_slow_modal_free. */
int hl_slow_modal_build(const hl_rchain *c, double res, double rel, int jmax,
                        hl_slow_modal *m, char *why, size_t why_len);
void hl_slow_modal_free(hl_slow_modal *m);

/* The 1-norm of the part of p (n entries) the slow modes do not carry, r
 * = p - pi M - sum_k a_k pi phi_k (below): at the switch time it is the
 * faster modes' e^-40 and the vectors' rounding, unless a mode below
 * nu_next was missed or the switch came too early.  +inf if out of
 * memory. */
double hl_slow_modal_residual(const hl_slow_modal *m, const double *p);

/* out = P(T + tau) for p = P(T), a state at or after the switch time (n
 * entries, 0 off the chain; out may not be p): pi M + sum_k exp(-nu_k tau)
 * a_k pi phi_k + exp(-nu_next tau) r, with M = sum p, a_k = phi_k . p and
 * r = p - pi M - sum_k a_k pi phi_k the part the modes do not carry (the
 * faster modes' e^-40 and the vectors' rounding), which decays at least as
 * fast as nu_next; so out = p at tau = 0 and pi M as tau grows.  Entries
 * that are zero within the rounding of the sum are 0.  tau >= 0 (HL_EDOM
 * otherwise). */
int hl_slow_modal_relax(const hl_slow_modal *m, const double *p, double tau, double *out);

#endif
