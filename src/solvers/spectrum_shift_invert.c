/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spectrum_shift_invert.c -- the shift-invert operator of -S with a
 * CHOLMOD sparse Cholesky factor, and the spectrum method "shift-invert":
 * ARPACK (mode 3) with that operator (spectrum_method.h).
 *
 * -S is an M-matrix and its Cholesky solves are accurate componentwise, so
 * the images of the operator are accurate even where the vectors are tiny
 * (ln pi spanning thousands).  The solves go through chol_solve.h (plain
 * loops instead of two BLAS calls per supernode). */
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cholmod.h>

#include "arpack.h"
#include "chol_solve.h"
#include "core.h"
#include "spectrum_method.h"
#include "timing.h"
#include "ordering_lock.h"

struct hl_sinv {
    cholmod_common cm;
    int started;
    cholmod_sparse *A;
    cholmod_factor *L;
    cholmod_dense *B;
    hl_chol_solver sv;
    const hl_comps *cp;
    double *dot;
    long m;
    double sigma;
    long applies;
};

void hl_sinv_free(hl_sinv *s)
{
    if (!s)
        return;
    if (s->started) {
        cholmod_l_free_dense(&s->B, &s->cm);
        hl_chol_solver_free(&s->sv);
        cholmod_l_free_factor(&s->L, &s->cm);
        cholmod_l_free_sparse(&s->A, &s->cm);
        cholmod_l_finish(&s->cm);
    }
    free(s->dot);
    free(s);
}

double hl_sinv_sigma(const hl_sinv *op) { return op->sigma; }
long hl_sinv_applies(const hl_sinv *op) { return op->applies; }
long hl_sinv_nnz(const hl_sinv *op) { return (long)op->cm.lnz; }

static int sinv_init(hl_sinv *s, const hl_active *ch, const hl_comps *cp, double norm)
{
    long m = ch->m;
    s->m = m;
    s->cp = cp;
    cholmod_l_start(&s->cm);
    s->started = 1;
    s->cm.print = 0;
    /* lower triangle of -S: column a holds a, then its neighbours b > a
     * in increasing order */
    long nnz = m;
    for (long k = 0; k < ch->ne; k++)
        nnz += ch->c[k] > 0;
    s->A = cholmod_l_allocate_sparse((size_t)m, (size_t)m, (size_t)nnz, 1, 1, -1, CHOLMOD_REAL,
                                     &s->cm);
    s->B = cholmod_l_allocate_dense((size_t)m, 1, (size_t)m, CHOLMOD_REAL, &s->cm);
    s->dot = malloc(sizeof(double) * (size_t)(cp->n + 1));
    if (!s->A || !s->B || !s->dot)
        return hl_fail(HL_ENOMEM, "out of memory for the sparse generator of %ld states", m);
    SuiteSparse_long *Ap = s->A->p, *Ai = s->A->i;
    double *Ax = s->A->x;
    long p = 0;
    for (long a = 0; a < m; a++) {
        Ap[a] = p;
        Ai[p] = a;
        Ax[p++] = ch->out[a];
        for (long r = ch->start[a]; r < ch->start[a + 1]; r++) {
            long k = ch->nbe[r], b = hl_active_other(ch, k, a);
            if (b > a && ch->c[k] > 0) {
                Ai[p] = b;
                Ax[p++] = -ch->c[k];
            }
        }
    }
    Ap[m] = p;
    double t0 = hl_now();
    hl_ordering_lock(); /* METIS: one ordering at a time (ordering_lock.h) */
    s->L = cholmod_l_analyze(s->A, &s->cm);
    hl_ordering_unlock();
    t0 = hl_stage_done("shift-invert: analyse", t0, NULL);
    if (!s->L)
        return hl_fail(s->cm.status == CHOLMOD_OUT_OF_MEMORY ? HL_ENOMEM : HL_ENOCONV,
                       "CHOLMOD could not analyse the %ld-state chain (status %d)", m,
                       s->cm.status);
    /* sigma far below the slow rates (the wanted 1/(lambda + sigma) stay
     * apart) but well above the round-off of the factor; raised if the
     * factor is not positive definite */
    s->sigma = norm > 0 ? 1e3 * DBL_EPSILON * norm : 1.0;
    for (int attempt = 0;; attempt++) {
        double beta[2] = {s->sigma, 0};
        cholmod_l_factorize_p(s->A, beta, NULL, 0, s->L, &s->cm);
        if (s->cm.status == CHOLMOD_OK)
            break;
        if (s->cm.status == CHOLMOD_NOT_POSDEF && attempt < 5) {
            s->sigma *= 100;
            continue;
        }
        return hl_fail(s->cm.status == CHOLMOD_OUT_OF_MEMORY ? HL_ENOMEM : HL_ENOCONV,
                       "CHOLMOD could not factor -S + %g I on %ld states (status %d)", s->sigma,
                       m, s->cm.status);
    }
    char note[64];
    snprintf(note, sizeof note, "(%.0f entries in L)", s->cm.lnz);
    hl_stage_done("shift-invert: factor", t0, note);
    return hl_chol_solver_init(&s->sv, s->L);
}

int hl_spectrum_sinv(hl_spectrum_setup *su)
{
    if (su->op)
        return HL_OK;
    hl_sinv *s = calloc(1, sizeof *s);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    int st = sinv_init(s, su->act, su->cp, su->norm);
    if (st) {
        hl_sinv_free(s);
        return st;
    }
    su->op = s;
    return HL_OK;
}

int hl_sinv_apply(hl_sinv *s, const double *x, double *y)
{
    long m = s->m;
    double *bx = s->B->x;
    memcpy(bx, x, sizeof(double) * (size_t)m);
    hl_comps_project(s->cp, m, bx, s->dot);
    int st = hl_chol_solve(&s->sv, bx, &s->cm);
    if (st)
        return st;
    memcpy(y, bx, sizeof(double) * (size_t)m);
    hl_comps_project(s->cp, m, y, s->dot);
    s->applies++;
    return HL_OK;
}

static int sinv_op(void *ctx, const double *x, double *y)
{
    return hl_sinv_apply(ctx, x, y);
}

/* ------------------------------------------------- the method "shift-invert" */

/* any chain with at least nev + 2 nonzero modes (ARPACK needs ncv > nev) */
static int si_applies(const hl_spectrum_setup *s)
{
    return s->nev + 2 <= s->act->m - s->cp->n;
}

/* a start vector from xorshift64 (seed), in the complement of the null
 * vectors */
static void start_vector(const hl_spectrum_setup *s, uint64_t x, double *v)
{
    long m = s->act->m;
    for (long a = 0; a < m; a++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v[a] = (double)(x >> 11) * 0x1p-53 - 0.5;
    }
    hl_comps_project(s->cp, m, v, s->dot);
}

/* The operator deflated by the nz orthonormal columns of z (m x nz):
 * y = Q P (-S + sigma I)^{-1} P Q x, Q = I - z z^T (classical Gram-Schmidt
 * twice on each side). */
typedef struct {
    hl_sinv *op;
    const double *z;
    long m, nz;
} deflated;

static void deflate(const deflated *d, double *y)
{
    for (int pass = 0; pass < 2; pass++)
        for (long q = 0; q < d->nz; q++) {
            const double *c = d->z + q * d->m;
            double dot = 0;
            for (long a = 0; a < d->m; a++)
                dot += c[a] * y[a];
            for (long a = 0; a < d->m; a++)
                y[a] -= dot * c[a];
        }
}

static int deflated_op(void *ctx, const double *x, double *y)
{
    const deflated *d = ctx;
    memcpy(y, x, sizeof(double) * (size_t)d->m);
    deflate(d, y);
    int st = hl_sinv_apply(d->op, y, y);
    if (!st)
        deflate(d, y);
    return st;
}

/* Single-vector Lanczos finds one vector per eigenspace from its start
 * vector; the other copies of a repeated (or nearly repeated) rate enter
 * only through round-off and can be missed at any tolerance: the class
 * lattice of a phi separable in (x + y, x - y) has every in-basin rate
 * twice (lambda and lambda + the tunnelling rate), and D = 150, beta = 0.7,
 * 5 rates lost the copy of 4.1476 (returning 4.1709) with ncv = 26.  So
 * the result is checked: ARPACK again, on the operator deflated by the nev
 * vectors found, from another start vector, for its slowest rate.  A rate
 * below the largest found was missed: it replaces that one (its vector is
 * orthogonal to the rest) and the check repeats; otherwise the nev rates
 * are the slowest.  In exact arithmetic the deflated run cannot miss a
 * copy (the found copy is projected out).  Costs one more ARPACK run with
 * nev = 1 (about 25 operator applications; 40 more when a copy of the
 * largest found rate comes next). */
static int check_missed(hl_spectrum_setup *s, hl_spectrum_block *b, const char *what,
                        long *applies)
{
    long m = s->act->m, nev = s->nev, mc = m - s->cp->n;
    if (mc - nev < 2)
        return HL_OK; /* nothing left to miss */
    double *start = malloc(sizeof(double) * (size_t)m), *v = malloc(sizeof(double) * (size_t)m);
    int st = HL_OK;
    if (!start || !v) {
        st = hl_fail(HL_ENOMEM, "out of memory for %ld states", m);
        goto out;
    }
    long ncv = mc - nev < 8 ? mc - nev : 8; /* 8: fewest applications measured */
    for (long round = 0; round < nev; round++) {
        long top = 0;
        for (long q = 1; q < nev; q++)
            if (b->w[q] > b->w[top])
                top = q;
        deflated d = {s->op, b->z, m, nev};
        start_vector(s, 0xD1B54A32D192ED03ULL + (uint64_t)round, start);
        deflate(&d, start);
        /* first to 1e-7: the Ritz value bounds the slowest rate of the
         * rest from above, and to 1e-7 relative; only when it lies below
         * the largest found or within 1e-6 of it, again to 1e-13 for an
         * accurate value and vector */
        hl_arpack_problem pb = {
            .n = m, .nev = 1, .ncv = ncv, .which = "LM", .mode = 3,
            .sigma = -hl_sinv_sigma(s->op), .tol = 1e-7, .max_restarts = 500,
            .start = start, .op = deflated_op, .ctx = &d, .what = what,
        };
        hl_arpack_info ai = {0};
        double w1;
        st = hl_arpack_symmetric(&pb, &w1, NULL, &ai);
        *applies += ai.applies;
        if (st || !(w1 < b->w[top] * (1 + 1e-6)))
            break;
        pb.tol = 1e-13;
        st = hl_arpack_symmetric(&pb, &w1, v, &ai);
        *applies += ai.applies;
        if (st || !(w1 < b->w[top] * (1 - 1e-12)))
            break;
        b->w[top] = w1;
        memcpy(b->z + top * m, v, sizeof(double) * (size_t)m);
    }
out:
    free(start);
    free(v);
    return st;
}

static int si_solve(hl_spectrum_setup *s, hl_spectrum_block *b)
{
    long m = s->act->m, nev = s->nev, mc = m - s->cp->n; /* dimension of the complement */
    int st = hl_spectrum_sinv(s);
    if (st)
        return st;
    b->nb = nev;
    b->w = malloc(sizeof(double) * (size_t)nev);
    b->nu = malloc(sizeof(double) * (size_t)nev);
    b->z = malloc(sizeof(double) * (size_t)m * (size_t)nev);
    double *start = malloc(sizeof(double) * (size_t)m);
    if (!b->w || !b->nu || !b->z || !start) {
        free(start);
        return hl_fail(HL_ENOMEM, "out of memory for %ld eigenvectors of %ld states", nev, m);
    }
    /* the deterministic start vector */
    start_vector(s, 0x9E3779B97F4A7C15ULL, start);
    /* Lanczos vectors: max(2 nev + 2, 20) (SciPy: max(2 nev + 1, 20)).
     * Each Lanczos step orthogonalises against all of them (two or four
     * passes over n x ncv doubles), which at nev = 9 cost as much as the
     * solves with ncv = 2 nev + 20; fewer vectors mean more restarts but
     * fewer operator applications in all (FP 400 x 400: 53 instead of 65;
     * class lattice D = 1000: 71 instead of 87).  The tolerance is
     * unchanged. */
    long ncv = 2 * nev + 2 > 20 ? 2 * nev + 2 : 20;
    char what[64];
    snprintf(what, sizeof what, "the %ld-state chain", m);
    hl_arpack_problem pb = {
        .n = m,
        .nev = nev,
        .ncv = ncv < mc ? ncv : mc,
        .which = "LM",
        .mode = 3,
        .sigma = -hl_sinv_sigma(s->op),
        .tol = 1e-13,
        .max_restarts = 500,
        .start = start,
        .op = sinv_op,
        .ctx = s->op,
        .what = what,
    };
    hl_arpack_info ai = {0};
    double t0 = hl_now();
    st = hl_arpack_symmetric(&pb, b->w, b->z, &ai);
    free(start);
    char note[80];
    snprintf(note, sizeof note, "(%ld operator applications, %ld iterations)", ai.applies,
             ai.restarts);
    t0 = hl_stage_done("shift-invert: ARPACK", t0, note);
    long more = 0;
    if (!st)
        st = check_missed(s, b, what, &more);
    snprintf(note, sizeof note, "(%ld operator applications)", more);
    t0 = hl_stage_done("shift-invert: check for missed rates", t0, note);
    if (!st)
        st = hl_spectrum_polish(s, nev, b->w, b->z, b->nu);
    hl_stage_done("shift-invert: Rayleigh-Ritz", t0, NULL);
    return st;
}

const hl_spectrum_method hl_spectrum_shift_invert = {
    "shift-invert",
    "100 eps |v|^T |S| |v| (<= 100 eps norm): ARPACK mode 3 on P (-S + sigma I)^{-1} P "
    "(CHOLMOD), then Dirichlet-form Rayleigh-Ritz",
    si_applies,
    si_solve,
};
