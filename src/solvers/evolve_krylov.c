/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evolve_krylov.c -- the master equation at a fixed beta by the
 * shift-and-invert Krylov exponential (evolve_impl.h). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <lapacke.h>

#include "evolve_impl.h"
#include "core.h"
#include "ordering_lock.h"

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

/* The rounding error of krylov_small, estimated by the same exponential
 * in long double (H inverted by Gauss-Jordan with partial pivoting, then
 * scaling and squaring of a Taylor polynomial): returns the largest 2-norm
 * of the difference from Y over the times, +inf if the computation fails.
 * On a stiff chain H is far from normal (the chain is reversible in the
 * pi^{-1} inner product, not in the Euclidean one) and the double
 * computation can lose digits without overflowing (the 12-minimum LJ38
 * path at T = 0.1: 1e-6 at t = 1e9); the evolution then takes the
 * symmetric route. */
static double krylov_small_check(const double *H, long ld, long j, double gamma, double beta0,
                                 const double *times, size_t nt, const double *Y)
{
    size_t jz = (size_t)j;
    long double *Hi = malloc(sizeof(long double) * jz * jz * 4);
    double worst = 0;
    if (!Hi)
        return INFINITY;
    long double *A = Hi + jz * jz, *P = A + jz * jz, *Q = P + jz * jz;
    /* Hi = H^{-1} by Gauss-Jordan on [H | I] kept in A (H) and Hi (I) */
    for (long r = 0; r < j; r++)
        for (long c = 0; c < j; c++) {
            A[r * j + c] = H[r * ld + c];
            Hi[r * j + c] = r == c;
        }
    for (long c = 0; c < j && isfinite(worst); c++) {
        long piv = c;
        for (long r = c + 1; r < j; r++)
            if (fabsl(A[r * j + c]) > fabsl(A[piv * j + c]))
                piv = r;
        if (A[piv * j + c] == 0) {
            worst = INFINITY;
            break;
        }
        for (long q = 0; q < j; q++) {
            long double x = A[c * j + q];
            A[c * j + q] = A[piv * j + q];
            A[piv * j + q] = x;
            x = Hi[c * j + q];
            Hi[c * j + q] = Hi[piv * j + q];
            Hi[piv * j + q] = x;
        }
        long double d = A[c * j + c];
        for (long q = 0; q < j; q++) {
            A[c * j + q] /= d;
            Hi[c * j + q] /= d;
        }
        for (long r = 0; r < j; r++)
            if (r != c && A[r * j + c] != 0) {
                long double f = A[r * j + c];
                for (long q = 0; q < j; q++) {
                    A[r * j + q] -= f * A[c * j + q];
                    Hi[r * j + q] -= f * Hi[c * j + q];
                }
            }
    }
    for (size_t k = 0; k < nt && isfinite(worst); k++) {
        long double t = times[k], nrm = 0;
        if (t == 0)
            continue;
        for (long c = 0; c < j; c++) {
            long double col = 0;
            for (long r = 0; r < j; r++) {
                A[r * j + c] = t / gamma * ((r == c) - Hi[r * j + c]);
                col += fabsl(A[r * j + c]);
            }
            nrm = fmaxl(nrm, col);
        }
        int sq = 0;
        while (nrm > 0.25L && sq < 400) {
            nrm /= 2;
            sq++;
        }
        if (!isfinite((double)nrm) || sq >= 400) {
            worst = INFINITY;
            break;
        }
        long double sc = ldexpl(1.0L, -sq);
        /* P = sum_{i <= 20} (A 2^-sq)^i / i! by Horner */
        for (size_t i = 0; i < jz * jz; i++)
            P[i] = (i / jz == i % jz);
        for (int i = 20; i >= 1; i--) {
            for (long r = 0; r < j; r++)
                for (long c = 0; c < j; c++) {
                    long double x = 0;
                    for (long q = 0; q < j; q++)
                        x += A[r * j + q] * P[q * j + c];
                    Q[r * j + c] = x * sc / i + (r == c);
                }
            memcpy(P, Q, sizeof(long double) * jz * jz);
        }
        for (int i = 0; i < sq; i++) {
            for (long r = 0; r < j; r++)
                for (long c = 0; c < j; c++) {
                    long double x = 0;
                    for (long q = 0; q < j; q++)
                        x += P[r * j + q] * P[q * j + c];
                    Q[r * j + c] = x;
                }
            memcpy(P, Q, sizeof(long double) * jz * jz);
        }
        long double d2 = 0;
        for (long r = 0; r < j; r++) {
            long double dv = beta0 * P[r * j] - Y[k * KRYLOV_MAX + r];
            d2 += dv * dv;
        }
        worst = isfinite((double)d2) ? fmax(worst, (double)sqrtl(d2)) : INFINITY;
    }
    free(Hi);
    return worst;
}

/* The same for the symmetric Lanczos matrix of the symmetrised operator
 * (I - gamma S)^{-1}: its diagonal H[r][r] and subdiagonal H[r+1][r] (the
 * entries above, round-off after the full reorthogonalisation, are
 * ignored).  T = Z diag(mu) Z^T by LAPACK dstevr, mu in (0, 1], and
 * Y[:, k] = beta0 Z diag(exp(t_k (1 - 1/mu) / gamma)) Z^T e1: every factor is
 * at most 1 (up to round-off), the fast modes (mu -> 0) underflow to 0
 * harmlessly, so nothing can overflow however stiff the chain. */
static int krylov_small_sym(const double *H, long ld, long j, double gamma, double beta0,
                            const double *times, size_t nt, double *Y)
{
    lapack_int n = (lapack_int)j, nf = 0, *isuppz = malloc(sizeof(lapack_int) * 2 * (size_t)j);
    double *d = malloc(sizeof(double) * (size_t)j), *sd = malloc(sizeof(double) * (size_t)j);
    double *mu = malloc(sizeof(double) * (size_t)j), *Z = malloc(sizeof(double) * (size_t)(j * j));
    int st = HL_OK;
    if (!isuppz || !d || !sd || !mu || !Z) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    for (long r = 0; r < j; r++) {
        d[r] = H[r * ld + r];
        sd[r] = r + 1 < j ? H[(r + 1) * ld + r] : 0.0;
    }
    if (LAPACKE_dstevr(LAPACK_ROW_MAJOR, 'V', 'A', n, d, sd, 0.0, 0.0, 0, 0, 0.0, &nf, mu, Z, n,
                       isuppz) != 0 ||
        nf != n) {
        st = hl_fail(HL_ENOCONV, "Krylov exponential: dstevr failed on the %ld x %ld Lanczos matrix",
                     j, j);
        goto done;
    }
    for (size_t k = 0; k < nt; k++) {
        double t = times[k];
        for (long r = 0; r < j; r++)
            Y[k * KRYLOV_MAX + r] = 0;
        for (long q = 0; q < j; q++) {
            /* (I - gamma S)^{-1} has its spectrum in (0, 1]: a Ritz value
             * at or below 0 is round-off of a mode that has died */
            double f = t == 0 ? 1.0 : mu[q] > 0 ? exp(t / gamma * (1.0 - 1.0 / mu[q])) : 0.0;
            double c = beta0 * f * Z[0 * j + q];
            if (c != 0)
                for (long r = 0; r < j; r++)
                    Y[k * KRYLOV_MAX + r] += c * Z[r * j + q];
        }
        for (long r = 0; r < j; r++)
            if (!isfinite(Y[k * KRYLOV_MAX + r])) {
                st = hl_fail(HL_ENOCONV, "Krylov exponential at t = %g is not finite", t);
                goto done;
            }
    }
done:
    free(isuppz);
    free(d);
    free(sd);
    free(mu);
    free(Z);
    return st;
}

/* Iterative refinement of a solve w = (I - gamma L)^{-1} v (or of the
 * symmetrised operator, z -> z - gamma Pi^{-1/2} L Pi^{1/2} z) with the
 * residual in flux form (hl_active_apply: each edge's net flux computed
 * once, taken from one end and given to the other).  The stored factor's
 * diagonal, 1 + gamma out_a, carries its rounding eps gamma out_a
 * independently of the rates: an exit of about eps out_a at every state,
 * which moves a slow rate by about eps |v|^T |S| |v| absolutely (the
 * residual of UMFPACK's own refinement is computed with the same
 * diagonal).  One block at D = 20, beta = 2: rates 7.5e-15 .. 1.8e-12
 * against 1.7e-17, and <m1> off by 2e-4 at t = 1e14 at every tolerance.
 * The flux form perturbs the rates only relatively, so the refined solve
 * carries the slow modes to about eps relative.  Each step costs a solve;
 * it contracts by about eps gamma |v|^T |S| |v| / (1 + gamma lambda): when
 * a step does not halve the correction the slow modes are beyond the
 * factor's reach and HL_ENOCONV (the caller integrates by CVODE), unless
 * it is already below accept (relative to w): the rounding of the residual
 * itself (the symmetrised form's, divided by sqrt(pi), stalls near 2e-13).
 * r, p: m doubles of work; lim: the correction, relative to w, at which it
 * stops. */
#define KRYLOV_IR_MAX 12
static int refine_solve(hl_ev *e, const hl_comps *cp, double gamma, int sym, const double *v,
                        double *w, double *r, double *p, double lim, double accept)
{
    long m = e->ch.m;
    double prev = INFINITY;
    for (int it = 0; it < KRYLOV_IR_MAX; it++) {
        for (long a = 0; a < m; a++)
            p[a] = sym ? cp->u[a] * w[a] : w[a];
        hl_active_apply(&e->ch, p, r);
        for (long a = 0; a < m; a++)
            r[a] = v[a] - w[a] + gamma * (sym ? r[a] / cp->u[a] : r[a]);
        SuiteSparse_long s = umfpack_dl_solve(UMFPACK_A, e->Ap, e->Ai, e->Ax, p, r, e->num,
                                              e->control, e->uinfo);
        if (s < 0)
            return hl_fail(HL_ENOCONV, "UMFPACK solve failed (status %ld)", (long)s);
        double nd = 0, nw = 0;
        for (long a = 0; a < m; a++) {
            w[a] += p[a];
            nd += p[a] * p[a];
            nw += w[a] * w[a];
        }
        nd = sqrt(nd);
        nw = sqrt(nw);
        if (!isfinite(nd))
            return HL_ENOCONV;
        if (nd <= lim * nw)
            return HL_OK;
        if (nd > 0.5 * prev) /* at the residual's rounding: enough, or not this method */
            return nd <= accept * nw ? HL_OK : HL_ENOCONV;
        prev = nd;
    }
    return HL_ENOCONV;
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
 * uses CVODE).
 *
 * sym = 1 (the caller's retry when the small exponential failed, e->small_failed):
 * on a stiff chain H is far from normal in the Euclidean inner product and
 * exp of the small matrix overflows.  The chain is reversible, so the same
 * Krylov space is built for the symmetrised operator (I - gamma S)^{-1},
 * S = Pi^{-1/2} L Pi^{1/2} (off the diagonal the conductances), from
 * z = Pi^{-1/2} (p0 - pi): Lanczos with full reorthogonalisation, the small
 * exponential of the symmetric tridiagonal matrix by its eigenvalues
 * (krylov_small_sym, unconditionally stable), convergence measured on P
 * itself, P = pi + Pi^{1/2} z.  HL_ENOCONV if some sqrt(pi) underflows. */
int hl_ev_krylov(hl_ev *e, const double *y0, const double *times, size_t nt, double rtol,
                 int sym, double *yout, hl_rchain_evolve_info *info)
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
    double *dx = sym ? malloc(sizeof(double) * (size_t)m) : NULL;
    double *ir = malloc(sizeof(double) * 2 * (size_t)m);
    e->small_failed = 0;
    if (!pi || !mass || !V || !H || !Y || !Yold || (sym && !dx) || !ir) {
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
        if (sym) { /* z = Pi^{-1/2} (y0 - pi) */
            if (!(cp.u[a] > 0)) {
                st = HL_ENOCONV; /* sqrt(pi) underflows: no symmetrisation */
                goto done;
            }
            V[a] = y0[a] / cp.u[a] - mass[cp.comp[a]] * cp.u[a];
        }
        beta0 += V[a] * V[a];
    }
    beta0 = sqrt(beta0);
    if (!isfinite(beta0)) {
        st = HL_ENOCONV;
        goto done;
    }
    /* the symmetrised vectors carry P - pi as Pi^{1/2} z, and z only to
     * eps |z| = eps beta0: a start on states of tiny pi makes beta0 huge
     * (~ 1 / sqrt(pi_start / pi_max)), and a change of z below eps beta0
     * is lost although Pi^{1/2} makes it large in P (five wells, beta0 =
     * 5e13: the flux of 1.2e-8 into the next well vanished, the space
     * "broke down" after one vector, and every check passed).  With
     * eps beta0 > rtol a breakdown before the space is complete is taken
     * for that: not this method (the caller integrates by CVODE) */
    int coarse = sym && DBL_EPSILON * beta0 > rtol;
    long jj = 0;
    double gamma = tmax / 10;
    if (beta0 > 0 && tmax > 0) {
        for (long a = 0; a < m; a++)
            V[a] /= beta0;
        hl_ev_assemble(e, gamma, sym);
        e->fgamma = 0; /* this factor is not CVODE's */
        SuiteSparse_long s = UMFPACK_OK;
        if (!e->sym) {
            hl_ordering_lock(); /* METIS: one ordering at a time */
            s = umfpack_dl_symbolic(m, m, e->Ap, e->Ai, e->Ax, &e->sym, e->control, e->uinfo);
            hl_ordering_unlock();
        }
        umfpack_dl_free_numeric(&e->num);
        if (s == UMFPACK_OK)
            s = umfpack_dl_numeric(e->Ap, e->Ai, e->Ax, e->sym, &e->num, e->control, e->uinfo);
        if (s != UMFPACK_OK) {
            st = hl_fail(HL_ENOCONV, "UMFPACK factorisation of I - gamma L failed (status %ld)",
                         (long)s);
            goto done;
        }
        e->factorisations++;
        /* the solves refined in flux form (refine_solve) where the
         * factor's rounding, eps gamma norm, may reach the tolerance;
         * otherwise UMFPACK's own refinement for the symmetrised operator */
        double ir_lim = fmax(1e-3 * rtol, 64 * DBL_EPSILON);
        int refine = !e->ch.kill && DBL_EPSILON * gamma * hl_active_norm(&e->ch) > 1e-3 * rtol;
        if (sym && !refine)
            e->control[UMFPACK_IRSTEP] = 2;
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
            if (refine && (st = refine_solve(e, &cp, gamma, sym, V + (size_t)j * (size_t)m, w, ir,
                                             ir + m, ir_lim, fmax(ir_lim, 1e-2 * rtol))))
                goto done;
            /* (I - gamma L)^{-1} keeps sums exactly, a computed solve only to
             * eps |I - gamma L| |w|, which is large for large gamma: take
             * the stationary mode out again (the oblique projector I - pi 1^T
             * per component commutes with the operator) */
            for (long q = 0; q < cp.n; q++)
                mass[q] = 0;
            if (sym) { /* the symmetric operator's null vectors are u */
                for (long a = 0; a < m; a++)
                    mass[cp.comp[a]] += cp.u[a] * w[a];
                for (long a = 0; a < m; a++)
                    w[a] -= mass[cp.comp[a]] * cp.u[a];
            } else {
                for (long a = 0; a < m; a++)
                    mass[cp.comp[a]] += w[a];
                for (long a = 0; a < m; a++)
                    w[a] -= mass[cp.comp[a]] * cp.u[a] * cp.u[a];
            }
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
            if (breakdown && coarse && j + 1 < m - cp.n) {
                st = HL_ENOCONV;
                goto done;
            }
            if (!breakdown)
                for (long a = 0; a < m; a++)
                    w[a] /= nw;
            if ((j + 1) % 4 == 0 || breakdown || j + 1 == KRYLOV_MAX) {
                jj = j + 1;
                if ((sym ? krylov_small_sym : krylov_small)(H, KRYLOV_MAX, jj, gamma, beta0, times,
                                                            nt, Y) != HL_OK) {
                    e->small_failed = 1;
                    break;
                }
                if (breakdown) {
                    converged = 1;
                    break;
                }
                if (have_old) {
                    double diff = 0;
                    for (size_t k = 0; k < nt; k++) {
                        double d2 = 0;
                        if (sym) { /* the change of P = pi + Pi^{1/2} V y */
                            memset(dx, 0, sizeof(double) * (size_t)m);
                            for (long r = 0; r < jj; r++) {
                                double dv = Y[k * KRYLOV_MAX + r] -
                                            (r < jj - 4 ? Yold[k * KRYLOV_MAX + r] : 0.0);
                                const double *vr = V + (size_t)r * (size_t)m;
                                for (long a = 0; a < m; a++)
                                    dx[a] += dv * vr[a];
                            }
                            for (long a = 0; a < m; a++)
                                d2 += (cp.u[a] * dx[a]) * (cp.u[a] * dx[a]);
                        } else
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
        if (converged && !sym &&
            !(krylov_small_check(H, KRYLOV_MAX, jj, gamma, beta0, times, nt, Y) <= tol))
            converged = 0, e->small_failed = 1;
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
        if (sym) {
            memset(yo, 0, sizeof(double) * (size_t)m);
            for (long r = 0; r < jj; r++) {
                double c = Y[k * KRYLOV_MAX + r];
                const double *vr = V + (size_t)r * (size_t)m;
                for (long a = 0; a < m; a++)
                    yo[a] += c * vr[a];
            }
            for (long a = 0; a < m; a++)
                yo[a] = pi[a] + cp.u[a] * yo[a];
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
    e->control[UMFPACK_IRSTEP] = 0;
    hl_comps_free(&cp);
    free(pi);
    free(mass);
    free(V);
    free(H);
    free(Y);
    free(Yold);
    free(dx);
    free(ir);
    return st;
}

