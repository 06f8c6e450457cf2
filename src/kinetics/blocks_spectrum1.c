/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_spectrum1.c -- hl_blocks_birth_death_rates (blocks_kinetics.h):
 * the spectrum of the model of one block, a birth-death chain over the
 * classes n = 0..D, exactly as the separable model's chains
 * (spectrum_separable.c): squared singular values of the bidiagonal bond
 * matrix of the symmetrised generator, to high relative accuracy however
 * small, the slowest by log-space inverse iteration below their range. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "hyperland/blocks_kinetics.h"
#include "core.h"
#include "spectrum_methods.h"

int hl_blocks_birth_death_rates(const hl_blocks *b, double beta, int count, double *ln_rates,
                                double *rel_err, const char **why)
{
    if (!b || !ln_rates || !rel_err || !why)
        return hl_fail(HL_EINVAL, "hl_blocks_birth_death_rates: NULL argument");
    *why = NULL;
    if (hl_blocks_k(b) != 1)
        return hl_fail(HL_EINVAL, "hl_blocks_birth_death_rates: %d blocks (one needed)",
                       hl_blocks_k(b));
    if (!(beta > 0) || !isfinite(beta))
        return hl_fail(HL_EDOM, "beta = %g: must be positive and finite", beta);
    long D = hl_blocks_dim(b), N = D + 1;
    if (count < 1 || count > N)
        return hl_fail(HL_EDOM, "count %d is not between 1 and the number of classes (%ld)",
                       count, N);
    double *buf = malloc(sizeof(double) * 3 * (size_t)N);
    if (!buf)
        return hl_fail(HL_ENOMEM, "out of memory (a chain of %ld classes)", N);
    double *lp = buf, *lq = lp + N, *err = lq + N;
    double T = 1.0 / beta, half = 0.5 * beta * (double)D, phi0 = 0;
    int st = HL_OK;
    for (long j = 0; j <= D; j++) {
        /* m = (2 n - D) / D as hl_blocks_class: the chain's own classes */
        double m = (double)(2 * j - D) / (double)D;
        double phi = hl_blocks_phi(b, &m);
        if (!isfinite(phi)) {
            char pv[32];
            st = hl_fail(HL_EDOM, "phi is %s at class %ld (m1 = %g)", hl_msg_num(phi, pv), j, m);
            break;
        }
        if (j > 0) {
            long i = j - 1;
            double mm = (double)(2 * i + 1 - D) / (double)D; /* the midpoint */
            double B = hl_blocks_transmission(b, &mm, T);
            if (!(isfinite(B) && B >= DBL_MIN)) {
                char ex[HL_CLIP_BUF];
                st = hl_fail(HL_EDOM,
                             "transmission '%s' is %g between classes %ld and %ld (block 1, "
                             "T = %g): it must be positive and finite",
                             hl_clip(hl_blocks_transmission_formula(b), ex), B, i, j, T);
                break;
            }
            /* K(i -> i+1) = (D - i) B e^(-h), K(i+1 -> i) = (i + 1) B e^h,
             * h = beta D (phi_{i+1} - phi_i) / 2 (eq 5.2, hl_blocks_chain) */
            double lb = log(B), l1 = log((double)(D - i)), l2 = log((double)(i + 1));
            double h = half * (phi - phi0);
            lp[i] = lb + l1 - h;
            lq[i] = lb + l2 + h;
            /* lp = (lb + l1) - h: the logs (at most 1 ulp each, eps |l|),
             * h (the difference and two products: 3 eps |h|) and the two
             * sums (eps |lb + l1| and eps |lp|): eps (3 |lb| + 3 |l1| + 4
             * |h|), the same for lq with l2; the phi and B values at the
             * classes are the model, as in the chain engine */
            err[i] = DBL_EPSILON * (3 * fabs(lb) + 3 * fmax(fabs(l1), fabs(l2)) + 4 * fabs(h) +
                                    DBL_MIN);
        }
        phi0 = phi;
    }
    if (!st)
        st = hl_birth_death_ln_rates(lp, lq, err, N, count, ln_rates, rel_err, why);
    free(buf);
    return st;
}
