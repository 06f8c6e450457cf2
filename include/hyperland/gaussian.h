/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * gaussian.h -- the Gaussian equilibrium around a maximum of f = w - beta phi
 * (eqs 5.7, 5.8) and the linearised (Ornstein-Uhlenbeck) kinetics around
 * it (eqs 5.9-5.11, with the mobility corrected as in docs/fokker_planck.md).
 *
 * Near a maximum (x_m, y_m) of f, ln Q_eq = D f ~ const - D [E11 dx^2 +
 * E12 dx dy + E22 dy^2] (eq 5.7) with the E's of eq 5.8, i.e. Q_eq is a
 * Gaussian with covariance (D M)^{-1}, M = [[2 E11, E12], [E12, 2 E22]].
 *
 * The Kramers-Moyal expansion of eq 5.6 gives the diffusion tensor
 *   Dif(x, y) = (B / D) [[sp + sm, sp - sm], [sp - sm, sp + sm]],
 *   sp = sqrt(1 - (x + y)^2), sm = sqrt(1 - (x - y)^2),
 * so the mobility of eq 5.9 is mu = beta Dif: the power of D is -1, not -2
 * as printed in eq 5.10.  With the force of eq 5.11 the mean obeys
 * d<delta>/dt = -A <delta>, A = D Dif(x_m, y_m) M, independent of D.  The
 * linearised Fokker-Planck equation is an Ornstein-Uhlenbeck process whose
 * relaxation rates are n1 lambda1 + n2 lambda2 (n1, n2 = 0, 1, 2, ...), the
 * lambda's the eigenvalues of A.  Time is in units of 1/B as in master.h.
 *
 * Numerics: everything is computed in s = x + y, d = x - y from the
 * tanh-coordinates of the maximum, so maxima next to an edge of the square
 * keep full relative accuracy (for the paper's phi, phi = s + g(d), the s
 * mode's rate is 2 B cosh(2 beta) to rounding).  Only when 1/(1 - s^2)
 * itself overflows a double (maxima within ~1e-154 of an edge: beta above
 * ~170 for the paper's phi) do the E's and the fast rate become inf.
 */
#ifndef HYPERLAND_GAUSSIAN_H
#define HYPERLAND_GAUSSIAN_H

#include <stddef.h>
#include "hyperland/model.h"

typedef struct {
    char name[16];          /* "liquid", "crystal", "branch-K" (or "point")  */
    long dim;               /* D                                              */
    double beta;
    double x, y;            /* the maximum (x_m, y_m)                         */
    double E11, E12, E22;   /* eq 5.8                                         */
    double cov_xx, cov_xy, cov_yy; /* covariance of (x, y) under eq 5.7: (D M)^{-1} */
    double transmission;    /* B(x_m, y_m, 1/beta)                            */
    double diffusion[4];    /* D Dif(x_m, y_m), row-major in (x, y)          */
    double drift[4];        /* A = D Dif M, row-major in (x, y)               */
    double lambda[2];       /* eigenvalues of A, ascending (real, > 0)        */
    double mode[4];         /* eigenvectors of A: columns (mode[0], mode[2])
                               for lambda[0] and (mode[1], mode[3]) for
                               lambda[1], unit length                        */
} hl_gaussian;

/* The Gaussian of eqs 5.7-5.8 at the maximum of f nearest to (x, y) at
 * beta, for dimension D (only the covariance depends on D).  (x, y) must be
 * a local maximum of f: a Newton refinement from (x, y) must converge
 * within 1e-3 to a point where the Hessian of f is negative definite; else
 * HL_EDOM with a message saying why ("not a maximum": a saddle, a minimum,
 * or no stationary point nearby).  HL_EDOM for bad D or beta. */
int hl_gaussian_at(const hl_model *model, long dim, double beta, double x, double y,
                   hl_gaussian *out);

/* The Gaussians of all local maxima of f at beta (hl_maxima_at), named as
 * everywhere (hl_name_maxima), sorted by x.  buf: caller-owned, capacity
 * cap; *count: the number of maxima (may exceed cap). */
int hl_gaussian_maxima(const hl_model *model, long dim, double beta, hl_gaussian *buf,
                       size_t cap, size_t *count);

/* The Gaussian of the maximum named `branch` at beta; HL_ENOTFOUND with a
 * message listing the maxima that exist when there is none by that name. */
int hl_gaussian_branch(const hl_model *model, long dim, double beta, const char *branch,
                       hl_gaussian *out);

/* The k slowest Ornstein-Uhlenbeck relaxation rates n1 lambda1 + n2
 * lambda2 (0 first, ascending, with multiplicity).  rates: caller-owned, k. */
void hl_ou_rates(const hl_gaussian *g, int k, double *rates);

/* The same for nmodes modes: the count smallest of n_1 lambda[0] + ... +
 * n_nmodes lambda[nmodes-1] (n_i = 0, 1, 2, ...; lambda > 0), 0 first,
 * ascending, with multiplicity.  rates: caller-owned, count. */
void hl_ou_rates_k(const double *lambda, int nmodes, int count, double *rates);

/* The mean displacement of the Ornstein-Uhlenbeck process at time t from
 * d0 = <(x, y)>(0) - (x_m, y_m): exp(-A t) d0.  d: caller-owned, 2. */
void hl_ou_mean(const hl_gaussian *g, double t, const double d0[2], double d[2]);

#endif
