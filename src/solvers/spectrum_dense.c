/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spectrum_dense.c -- the spectrum method "dense": LAPACK dsyevr of the
 * explicit shift-invert operator, then subspace iteration with Rayleigh-Ritz
 * in Dirichlet form until the rates settle (spectrum_method.h). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "core.h"
#include "spectrum_method.h"

/* The nb largest eigenvalues theta of the explicit operator M = P (-S +
 * sigma I)^{-1} P (m sparse solves, accurate componentwise; dsyevr on -S
 * itself would be accurate only to eps norm, useless when ln pi spans
 * thousands), i.e. the nb smallest non-zero rates 1/theta - sigma, and
 * their vectors z (m x nb, column q at z + q m) */
static int dense_eig(hl_sinv *op, long m, long nb, double *w, double *z)
{
    int st = HL_OK;
    double *a = malloc(sizeof(double) * (size_t)m * (size_t)m);
    double *th = malloc(sizeof(double) * (size_t)m);
    double *zr = malloc(sizeof(double) * (size_t)m * (size_t)nb);
    lapack_int *isuppz = malloc(sizeof(lapack_int) * 2 * (size_t)m);
    if (!a || !th || !isuppz || !zr) {
        st = hl_fail(HL_ENOMEM, "out of memory for the dense %ld x %ld operator", m, m);
        goto out;
    }
    for (long j = 0; j < m; j++) { /* column j = row j (symmetric) */
        double *col = a + j * m;
        memset(col, 0, sizeof(double) * (size_t)m);
        col[j] = 1;
        if ((st = hl_sinv_apply(op, col, col)))
            goto out;
    }
    for (long i = 0; i < m; i++)
        for (long j = 0; j < i; j++)
            a[i * m + j] = a[j * m + i] = 0.5 * (a[i * m + j] + a[j * m + i]);
    lapack_int found = 0;
    lapack_int info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 'V', 'I', 'L', (lapack_int)m, a,
                                     (lapack_int)m, 0, 0, (lapack_int)(m - nb + 1), (lapack_int)m,
                                     0.0, &found, th, zr, (lapack_int)nb, isuppz);
    if (info != 0 || found != nb) {
        st = hl_fail(HL_ENOCONV, "LAPACK dsyevr failed on the %ld-state chain (info %d)", m,
                     (int)info);
        goto out;
    }
    double sigma = hl_sinv_sigma(op);
    for (long q = 0; q < nb; q++) { /* theta ascending: rates descending */
        long r = nb - 1 - q;
        w[q] = th[r] > 0 ? 1.0 / th[r] - sigma : 0.0;
        for (long i = 0; i < m; i++)
            z[i + q * m] = zr[i * nb + r];
    }
out:
    free(a);
    free(th);
    free(zr);
    free(isuppz);
    return st;
}

static _Thread_local long dense_limit = 2000;

long hl_rchain_dense_limit(long limit)
{
    long old = dense_limit;
    if (limit >= 0)
        dense_limit = limit;
    return old;
}

/* small chains, and chains too small for ARPACK (ncv > nev); any chain
 * when named */
static int dense_applies(const hl_spectrum_setup *s)
{
    long m = s->act->m, nz = s->cp->n;
    return s->named || m <= dense_limit || s->nev + 2 > m - nz;
}

static int dense_solve(hl_spectrum_setup *s, hl_spectrum_block *b)
{
    long m = s->act->m, nz = s->cp->n, nev = s->nev;
    /* a guard block: inverse iteration converges column q like (lambda_q /
     * lambda_nb)^steps */
    long nb = nev + (nev > 8 ? nev : 8) < m - nz ? nev + (nev > 8 ? nev : 8) : m - nz;
    int st = hl_spectrum_sinv(s);
    if (st)
        return st;
    b->nb = nb;
    b->w = malloc(sizeof(double) * (size_t)nb);
    b->nu = malloc(sizeof(double) * (size_t)nb);
    b->z = malloc(sizeof(double) * (size_t)m * (size_t)nb);
    double *wold = malloc(sizeof(double) * (size_t)nb);
    if (!b->w || !b->nu || !b->z || !wold) {
        free(wold);
        return hl_fail(HL_ENOMEM, "out of memory for %ld eigenvectors of %ld states", nb, m);
    }
    double *w = b->w, *z = b->z, *nu = b->nu;
    st = dense_eig(s->op, m, nb, w, z);
    /* subspace iteration with the shift-invert operator and Rayleigh-Ritz
     * until the rates settle */
    for (int it = 0; !st && it < 60; it++) {
        memcpy(wold, w, sizeof(double) * (size_t)nb);
        for (long q = 0; !st && q < nb; q++)
            st = hl_sinv_apply(s->op, z + q * m, z + q * m);
        if (!st)
            st = hl_spectrum_polish(s, nb, w, z, nu);
        int settled = it > 0;
        for (long q = 0; q < nev; q++)
            settled = settled && fabs(w[q] - wold[q]) <= 1e-14 * w[q] + DBL_EPSILON * nu[q];
        if (settled)
            break;
    }
    free(wold);
    return st;
}

const hl_spectrum_method hl_spectrum_dense = {
    "dense",
    "100 eps |v|^T |S| |v| (<= 100 eps norm): LAPACK dsyevr of the explicit P (-S + sigma "
    "I)^{-1} P (CHOLMOD), subspace iteration and Dirichlet-form Rayleigh-Ritz to 1e-14",
    dense_applies,
    dense_solve,
};
