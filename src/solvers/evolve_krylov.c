/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evolve_krylov.c -- the master equation at a fixed beta by the
 * shift-and-invert Krylov exponential (evolve_impl.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <lapacke.h>

#include "evolve_impl.h"
#include "core.h"

#define KRYLOV_MAX 160

/* Y[:, k] = beta0 exp(t_k (I - H^{-1}) / gamma) e1 for the leading j x j
 * block of the Hessenberg matrix H (leading dimension ld). */
static int krylov_small(const double *H, long ld, long j, double gamma, double beta0,
                        const double *times, size_t nt, double *Y)
{
    hl_gsl_quiet();
    lapack_int n = (lapack_int)j, *ipiv = malloc(sizeof(lapack_int) * (size_t)j);
    double *Hi = malloc(sizeof(double) * (size_t)(j * j));
    gsl_matrix *A = gsl_matrix_alloc((size_t)j, (size_t)j), *E = gsl_matrix_alloc((size_t)j, (size_t)j);
    int st = HL_OK;
    if (!ipiv || !Hi || !A || !E) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    for (long r = 0; r < j; r++)
        for (long c = 0; c < j; c++)
            Hi[r * j + c] = H[r * ld + c];
    if (LAPACKE_dgetrf(LAPACK_ROW_MAJOR, n, n, Hi, n, ipiv) != 0 ||
        LAPACKE_dgetri(LAPACK_ROW_MAJOR, n, Hi, n, ipiv) != 0) {
        st = hl_fail(HL_ENOCONV, "Krylov exponential: the %ld x %ld Hessenberg block is singular", j, j);
        goto done;
    }
    for (size_t k = 0; k < nt; k++) {
        double t = times[k];
        for (long r = 0; r < j; r++)
            for (long c = 0; c < j; c++)
                gsl_matrix_set(A, (size_t)r, (size_t)c,
                               t / gamma * ((r == c ? 1.0 : 0.0) - Hi[r * j + c]));
        if (t == 0)
            gsl_matrix_set_identity(E);
        else {
            int gs = gsl_linalg_exponential_ss(A, E, GSL_PREC_DOUBLE);
            if (gs != GSL_SUCCESS) {
                st = hl_fail(HL_ENOCONV, "Krylov exponential at t = %g failed (GSL: %s)", t,
                             gsl_strerror(gs));
                goto done;
            }
        }
        for (long r = 0; r < j; r++) {
            double v = beta0 * gsl_matrix_get(E, (size_t)r, 0);
            if (!isfinite(v)) {
                st = hl_fail(HL_ENOCONV, "Krylov exponential at t = %g is not finite", t);
                goto done;
            }
            Y[k * KRYLOV_MAX + r] = v;
        }
    }
done:
    free(ipiv);
    free(Hi);
    gsl_matrix_free(A);
    gsl_matrix_free(E);
    return st;
}

/* At fixed beta, P(t) = pi + exp(t L) (p0 - pi), pi the stationary state
 * with the mass p0 gives each connected component.  The deviation is
 * approximated in the shift-and-invert Krylov space of (I - gamma L)^{-1}
 * (one sparse LU for every output time; van den Eshof and Hochbruck 2006),
 * with gamma a tenth of the last output time (the caller groups the output
 * times so that each group spans at most two decades).  Every Krylov vector
 * has zero sum, so probability is conserved to round-off.  Columns are
 * added four at a time until the result at every output time moves by less
 * than rtol / 100 (2-norm); HL_ENOCONV after KRYLOV_MAX (the caller then
 * uses CVODE). */
int hl_ev_krylov(hl_ev *e, const double *y0, const double *times, size_t nt, double rtol,
                 double *yout, hl_rchain_evolve_info *info)
{
    long m = e->ch.m;
    double tmax = times[nt - 1];
    hl_comps cp;
    int st = hl_comps_find(&e->ch, e->c, &cp);
    if (st)
        return st;
    double *pi = calloc((size_t)m, sizeof(double)), *mass = calloc((size_t)cp.n, sizeof(double));
    double *V = malloc(sizeof(double) * (size_t)m * (KRYLOV_MAX + 1));
    double *H = calloc((size_t)(KRYLOV_MAX + 1) * KRYLOV_MAX, sizeof(double));
    double *Y = malloc(sizeof(double) * nt * KRYLOV_MAX), *Yold = malloc(sizeof(double) * nt * KRYLOV_MAX);
    if (!pi || !mass || !V || !H || !Y || !Yold) {
        st = hl_fail(HL_ENOMEM, "out of memory for a Krylov space of %d vectors of %ld states",
                     KRYLOV_MAX, m);
        goto done;
    }
    for (long a = 0; a < m; a++)
        mass[cp.comp[a]] += y0[a];
    double beta0 = 0;
    for (long a = 0; a < m; a++) {
        pi[a] = mass[cp.comp[a]] * cp.u[a] * cp.u[a];
        V[a] = y0[a] - pi[a];
        beta0 += V[a] * V[a];
    }
    beta0 = sqrt(beta0);
    long jj = 0;
    double gamma = tmax / 10;
    if (beta0 > 0 && tmax > 0) {
        for (long a = 0; a < m; a++)
            V[a] /= beta0;
        hl_ev_assemble(e, gamma);
        SuiteSparse_long s = UMFPACK_OK;
        if (!e->sym)
            s = umfpack_dl_symbolic(m, m, e->Ap, e->Ai, e->Ax, &e->sym, e->control, e->uinfo);
        umfpack_dl_free_numeric(&e->num);
        if (s == UMFPACK_OK)
            s = umfpack_dl_numeric(e->Ap, e->Ai, e->Ax, e->sym, &e->num, e->control, e->uinfo);
        if (s != UMFPACK_OK) {
            st = hl_fail(HL_ENOCONV, "UMFPACK factorisation of I - gamma L failed (status %ld)",
                         (long)s);
            goto done;
        }
        e->factorisations++;
        int converged = 0, have_old = 0;
        double tol = 0.01 * rtol;
        for (long j = 0; j < KRYLOV_MAX && !converged; j++) {
            double *w = V + (size_t)(j + 1) * (size_t)m;
            s = umfpack_dl_solve(UMFPACK_A, e->Ap, e->Ai, e->Ax, w, V + (size_t)j * (size_t)m,
                                 e->num, e->control, e->uinfo);
            if (s < 0) {
                st = hl_fail(HL_ENOCONV, "UMFPACK solve failed (status %ld)", (long)s);
                goto done;
            }
            info->krylov_iterations++;
            /* (I - gamma L)^{-1} keeps sums exactly, a computed solve only to
             * eps |I - gamma L| |w|, which is large for large gamma: take
             * the stationary mode out again (the oblique projector I - pi 1^T
             * per component commutes with the operator) */
            for (long q = 0; q < cp.n; q++)
                mass[q] = 0;
            for (long a = 0; a < m; a++)
                mass[cp.comp[a]] += w[a];
            for (long a = 0; a < m; a++)
                w[a] -= mass[cp.comp[a]] * cp.u[a] * cp.u[a];
            double nw0 = 0;
            for (long a = 0; a < m; a++)
                nw0 += w[a] * w[a];
            nw0 = sqrt(nw0);
            for (int pass = 0; pass < 2; pass++) /* modified Gram-Schmidt, twice */
                for (long i = 0; i <= j; i++) {
                    const double *vi = V + (size_t)i * (size_t)m;
                    double h = 0;
                    for (long a = 0; a < m; a++)
                        h += vi[a] * w[a];
                    H[i * KRYLOV_MAX + j] += h;
                    for (long a = 0; a < m; a++)
                        w[a] -= h * vi[a];
                }
            double nw = 0;
            for (long a = 0; a < m; a++)
                nw += w[a] * w[a];
            nw = sqrt(nw);
            H[(j + 1) * KRYLOV_MAX + j] = nw;
            /* an invariant subspace: w lies in the span of V to round-off (a
             * vector normalised from that round-off would add a spurious Ritz
             * value, and exp of the small matrix would grow along it).  The
             * vectors have zero sum on every component, a space of m - cp.n
             * dimensions: once j + 1 of them span it the space is exact,
             * whatever round-off w carries (small chains met this: a
             * birth-death chain of 6 states under a protocol gave <x> wrong in
             * the second digit) */
            int breakdown = !(nw > 1e-12 * nw0 && nw > 0) || j + 1 >= m - cp.n;
            if (!breakdown)
                for (long a = 0; a < m; a++)
                    w[a] /= nw;
            if ((j + 1) % 4 == 0 || breakdown || j + 1 == KRYLOV_MAX) {
                jj = j + 1;
                if (krylov_small(H, KRYLOV_MAX, jj, gamma, beta0, times, nt, Y) != HL_OK)
                    break;
                if (breakdown) {
                    converged = 1;
                    break;
                }
                if (have_old) {
                    double diff = 0;
                    for (size_t k = 0; k < nt; k++) {
                        double d2 = 0;
                        for (long r = 0; r < jj; r++) {
                            double dv = Y[k * KRYLOV_MAX + r] -
                                        (r < jj - 4 ? Yold[k * KRYLOV_MAX + r] : 0.0);
                            d2 += dv * dv;
                        }
                        diff = fmax(diff, sqrt(d2));
                    }
                    converged = jj >= 8 && diff <= tol;
                }
                memcpy(Yold, Y, sizeof(double) * nt * KRYLOV_MAX);
                have_old = 1;
            }
        }
        if (!converged) {
            st = HL_ENOCONV;
            goto done;
        }
    }
    for (size_t k = 0; k < nt; k++) {
        double *yo = yout + k * (size_t)m;
        if (beta0 == 0 || tmax == 0 || times[k] == 0) {
            memcpy(yo, y0, sizeof(double) * (size_t)m);
            continue;
        }
        memcpy(yo, pi, sizeof(double) * (size_t)m);
        for (long r = 0; r < jj; r++) {
            double c = Y[k * KRYLOV_MAX + r];
            const double *vr = V + (size_t)r * (size_t)m;
            for (long a = 0; a < m; a++)
                yo[a] += c * vr[a];
        }
    }
done:
    hl_comps_free(&cp);
    free(pi);
    free(mass);
    free(V);
    free(H);
    free(Y);
    free(Yold);
    return st;
}

