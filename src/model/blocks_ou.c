/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_ou.c -- the linearised (Ornstein-Uhlenbeck) kinetics around a
 * maximum of k blocks (eqs 5.9-5.11 in the block magnetisations m;
 * blocks_phases.h, hl_blocks_ou).  The k-dimensional form of gaussian.c's.
 *
 * A move n_i -> n_i +- 1 changes m_i by 2 / D_i; at a maximum the two
 * rates of eq 5.2 are both B sqrt(n_i (D_i - n_i)) = B D_i s_i / 2,
 * s_i = sqrt(1 - m_i^2) = sech t_i, so the Kramers-Moyal diffusion is
 *   D Dif = 2 B diag(s_i / r_i)       (r_i = D_i / D),
 * and with -Hess_m f = S^-1 K S^-1 (K = diag(r) + beta S Hess(phi) S,
 * S = diag(s)) the drift of the mean is
 *   A = D Dif (-Hess_m f) = 2 B R^-1 K S^-1.
 * A is similar to the symmetric G = (R S)^-1/2 K (R S)^-1/2: its
 * eigenvalues are 2 B eig(G) > 0 and its eigenvectors R^-1/2 S^1/2 u (u of
 * G).  G is K, which is O(1) and well conditioned at a maximum away from a
 * fold, scaled on both sides by the diagonal (R S)^-1/2, which is huge for a
 * block next to a face; cyclic Jacobi computes every eigenvalue of such a
 * graded positive definite matrix to high relative accuracy (Demmel and
 * Veselic 1992), the slow ones included, where a tridiagonal reduction
 * would leave them only the accuracy of the largest.  For two equal blocks
 * (r = 1/2) this is gaussian.c's 4 B eig(S^-1/2 K S^-1/2) in s = m1,
 * d = m2. */
#include <math.h>
#include <string.h>

#include "blocks_thermo.h"

/* Cyclic Jacobi on the symmetric n x n a (overwritten; its diagonal ends
 * as the eigenvalues), eigenvectors into the columns of v. */
static void jacobi(int n, double *a, double *v)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            v[i * n + j] = i == j;
    for (int sweep = 0; sweep < 100; sweep++) {
        int rotated = 0;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) {
                double apq = a[p * n + q], app = a[p * n + p], aqq = a[q * n + q];
                /* negligible against the geometric mean of the diagonal:
                 * the relative-accuracy criterion */
                if (!(fabs(apq) > 1e-17 * sqrt(fabs(app)) * sqrt(fabs(aqq))))
                    continue;
                rotated = 1;
                double theta = (aqq - app) / (2 * apq);
                double t = fabs(theta) > 1e150
                               ? 0.5 / theta
                               : (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; k++) {
                    double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (int k = 0; k < n; k++) {
                    double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                a[p * n + q] = a[q * n + p] = 0;
                a[p * n + p] = app - t * apq; /* the accurate form of the new diagonal */
                a[q * n + q] = aqq + t * apq;
                for (int k = 0; k < n; k++) {
                    double vkp = v[k * n + p], vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        if (!rotated)
            return;
    }
}

int hl_blocks_ou(const hl_blocks *b, const hl_bstat *mx, double *transmission, double *diffusion,
                 double *drift, double *lambda, double *modes)
{
    if (!b || !mx)
        return hl_fail(HL_EINVAL, "hl_blocks_ou: NULL argument");
    int k = hl_blocks_k(b);
    double beta = mx->beta, s[BK], ch[BK], r[BK], H[BK * BK];
    int st = hl_bl_check_beta(beta);
    if (st)
        return st;
    hl_blocks_phi_derivs(b, mx->m, NULL, H);
    for (int i = 0; i < k; i++) {
        ch[i] = cosh(mx->t[i]);
        s[i] = 1 / ch[i];
        r[i] = hl_blocks_fraction(b, i);
    }
    double B = hl_blocks_transmission(b, mx->m, 1 / beta);
    if (!(B > 0) || !isfinite(B))
        return hl_fail(HL_EDOM, "the transmission B = %g at the maximum is not positive and "
                                "finite", B);
    /* G = (R S)^-1/2 K (R S)^-1/2, written without forming 1/s (cosh t) */
    double G[BK * BK], U[BK * BK];
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            G[i * k + j] = i == j ? ch[i] + beta * s[i] * H[i * k + i] / r[i]
                                  : beta * sqrt(s[i] * s[j]) * H[i * k + j] / sqrt(r[i] * r[j]);
    jacobi(k, G, U);
    int order[BK];
    for (int i = 0; i < k; i++) {
        order[i] = i;
        if (!(G[i * k + i] > 0))
            return hl_fail(HL_EDOM, "the point is not a maximum of f at beta = %g (the drift "
                                    "matrix has an eigenvalue %g <= 0)", beta, 2 * B * G[i * k + i]);
    }
    for (int i = 1; i < k; i++) /* ascending */
        for (int j = i; j > 0 && G[order[j - 1] * (k + 1)] > G[order[j] * (k + 1)]; j--) {
            int q = order[j];
            order[j] = order[j - 1];
            order[j - 1] = q;
        }
    if (transmission)
        *transmission = B;
    for (int i = 0; i < k; i++) {
        if (diffusion)
            diffusion[i] = 2 * B * s[i] / r[i];
        if (lambda)
            lambda[i] = 2 * B * G[order[i] * (k + 1)];
        for (int j = 0; drift && j < k; j++)
            drift[i * k + j] = i == j ? 2 * B * (ch[i] + beta * s[i] * H[i * k + i] / r[i])
                                      : 2 * B * beta * s[i] * H[i * k + j] / r[i];
    }
    for (int c = 0; modes && c < k; c++) {
        /* mode c (column c): R^-1/2 S^1/2 u, unit, its largest entry positive */
        double v[BK], norm = 0, big = 0;
        for (int i = 0; i < k; i++) {
            v[i] = sqrt(s[i] / r[i]) * U[i * k + order[c]];
            norm = hypot(norm, v[i]);
            if (fabs(v[i]) > fabs(big))
                big = v[i];
        }
        for (int i = 0; i < k; i++)
            modes[i * k + c] = norm > 0 ? (big < 0 ? -v[i] : v[i]) / norm : NAN;
    }
    return HL_OK;
}
