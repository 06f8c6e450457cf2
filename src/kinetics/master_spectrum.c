/* SPDX-License-Identifier: GPL-3.0-or-later */
/* master_spectrum.c -- the slow relaxation spectrum of the master equation
 * (hl_spectrum, hl_spectrum_ex): the method table (separable chains, dense,
 * sparse shift-invert, matrix-free Lanczos; the symmetry sectors of the
 * full hypercube are in sectors.c) and the exact tunnelling rate of a
 * two-basin chain. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <arpack/arpack.h>
#include <lapacke.h>

#include "blas_threads.h"
#include "gridchain.h"
#include "kinetics_private.h"
#include "spectrum_methods.h"
#include "timing.h"

/* One spectrum request: what every method's test and solve see. */
typedef struct {
    const hl_model *m;
    long dim;
    double beta;
    int kind, k;
    double states; /* (h+1)^2 or 2^D (capped at 2^1000) */
    double *vectors;
} spec_req;

/* rates from eigenvalues of -S with an absolute error bound resolution:
 * see fill_rates below */
static void fill_rates(const double *w, int k, double resolution, double *rates,
                       double *ln_rates, double *rel_err, hl_spectrum_info *info);

/* ------------------------------------------------------------ the methods */

static int applies_separable(const spec_req *r)
{
    return r->kind == HL_CONTRACTED && hl_model_is_default(r->m) &&
           hl_model_transmission_is_default(r->m) && !r->vectors;
}

static int solve_separable(const spec_req *r, double *rates, double *ln_rates,
                           double *rel_err, hl_spectrum_info *info)
{
    return hl_spectrum_separable(r->m, r->dim, r->beta, r->k, rates, ln_rates, rel_err, info);
}

static int applies_dense(const spec_req *r) { return r->states <= HL_DENSE_MAX; }

static int solve_dense(const spec_req *r, double *rates, double *ln_rates, double *rel_err,
                       hl_spectrum_info *info)
{
    int k = r->k;
    double *vectors = r->vectors;
    int st;
    hl_generator *g;
    st = hl_generator_create(r->m, r->dim, r->beta, r->kind, &g);
    if (st)
        return st;
    long n = hl_generator_size(g);
    double *a = malloc(sizeof(double) * (size_t)(n * n));
    double *w = malloc(sizeof(double) * (size_t)n);
    lapack_int *isuppz = malloc(sizeof(lapack_int) * 2 * (size_t)n);
    if (!a || !w || !isuppz) {
        free(a);
        free(w);
        free(isuppz);
        hl_generator_free(g);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    hl_generator_dense(g, a);
    /* |-S|_2 <= max absolute row sum (symmetric) */
    double norm = 0;
    for (long i = 0; i < n; i++) {
        double r = 0;
        for (long j = 0; j < n; j++)
            r += fabs(a[i * n + j]);
        norm = fmax(norm, r);
    }
    lapack_int found = 0;
    double *z = vectors;
    lapack_int info_l = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, vectors ? 'V' : 'N', 'I', 'U',
                                       (lapack_int)n, a, (lapack_int)n, 0, 0, 1,
                                       (lapack_int)k, 0.0, &found, w, z, (lapack_int)k,
                                       isuppz);
    free(a);
    free(isuppz);
    hl_generator_free(g);
    if (info_l != 0 || found != k) {
        free(w);
        return hl_fail(HL_ENOCONV, "LAPACK dsyevr failed (info %d)", (int)info_l);
    }
    /* Householder tridiagonalisation is backward stable with an error
     * below c n eps |A| (c small; the MRRR stage adds a few eps |A|):
     * 2 n eps |A| bounds the absolute error of every eigenvalue */
    info->resolution = 2.0 * (double)(n > 32 ? n : 32) * DBL_EPSILON * norm;
    fill_rates(w, k, info->resolution, rates, ln_rates, rel_err, info);
    free(w);
    return HL_OK;
}

/* The k smallest eigenvalues of -S of the contracted chain beyond the dense
 * limit: the class lattice as a grid chain, solved by ARPACK shift-invert
 * with a CHOLMOD sparse Cholesky factor (gridchain.c).  vectors: row-major,
 * states x k. */
static int applies_sparse(const spec_req *r) { return r->kind == HL_CONTRACTED; }

static int solve_sparse(const spec_req *r, double *rates, double *ln_rates, double *rel_err,
                        hl_spectrum_info *info)
{
    if (r->states > HL_SPARSE_MAX)
        return hl_fail(HL_ERANGE, "D = %ld: %.3g classes exceed the sparse eigensolver's "
                                  "limit of %.3g", r->dim, r->states, (double)HL_SPARSE_MAX);
    double *w = malloc(sizeof(double) * (size_t)r->k);
    if (!w)
        return hl_fail(HL_ENOMEM, "out of memory");
    hl_gridchain gc;
    double t0 = hl_now();
    int st = hl_model_check_transmission(r->m, 1.0 / r->beta);
    if (!st)
        st = hl_class_gridchain(r->m, r->dim, r->beta, &gc);
    if (st) {
        free(w);
        return st;
    }
    t0 = hl_stage_done("spectrum: class lattice", t0, NULL);
    int nthr = hl_blas_serial_begin();
    st = hl_gridchain_spectrum(&gc, r->k, w, r->vectors, &info->resolution);
    hl_blas_threads_restore(nthr);
    hl_gridchain_free(&gc);
    hl_stage_done("spectrum: shift-invert", t0, NULL);
    if (!st)
        fill_rates(w, r->k, info->resolution, rates, ln_rates, rel_err, info);
    free(w);
    return st;
}

static int applies_lanczos(const spec_req *r) { return r->kind == HL_FULL; }

/* The k smallest eigenvalues of -S = the k largest of S, by ARPACK in
 * regular mode with the matrix-free generator (full hypercube beyond the
 * dense limit). */
static int spectrum_lanczos(const hl_generator *g, int k, double *w_out, double *resolution)
{
    long n = hl_generator_size(g);
    double norm = hl_generator_norm_bound(g);
    a_int nev = k, ncv = 2 * k + 30 < n ? 2 * k + 30 : (a_int)n - 1;
    a_int lworkl = ncv * (ncv + 8), ido = 0, iparam[11] = {0}, ipntr[14] = {0}, ainfo = 0;
    double *resid = malloc(sizeof(double) * (size_t)n);
    double *v = malloc(sizeof(double) * (size_t)n * (size_t)ncv);
    double *workd = malloc(sizeof(double) * 3 * (size_t)n);
    double *workl = malloc(sizeof(double) * (size_t)lworkl);
    double *d = malloc(sizeof(double) * (size_t)nev);
    a_int *sel = calloc((size_t)ncv, sizeof(a_int));
    int st = HL_OK;
    if (!resid || !v || !workd || !workl || !d || !sel) {
        st = hl_fail(HL_ENOMEM, "out of memory: the Lanczos basis needs %.3g GB",
                     (double)n * (double)ncv * 8 / 1e9);
        goto out;
    }
    iparam[0] = 1;
    iparam[2] = 200000;
    iparam[6] = 1; /* regular mode */
    for (;;) {
        dsaupd_c(&ido, "I", (a_int)n, "LA", nev, 1e-12, resid, ncv, v, (a_int)n, iparam, ipntr,
                 workd, workl, lworkl, &ainfo);
        if (ido == -1 || ido == 1)
            hl_generator_apply(g, workd + ipntr[0] - 1, workd + ipntr[1] - 1);
        else
            break;
    }
    if (ainfo < 0 || ainfo == 1) {
        st = hl_fail(HL_ENOCONV, "ARPACK dsaupd did not converge (info %d)", (int)ainfo);
        goto out;
    }
    dseupd_c(0, "A", sel, d, v, (a_int)n, 0.0, "I", (a_int)n, "LA", nev, 1e-12, resid, ncv, v,
             (a_int)n, iparam, ipntr, workd, workl, lworkl, &ainfo);
    if (ainfo != 0) {
        st = hl_fail(HL_ENOCONV, "ARPACK dseupd failed (info %d)", (int)ainfo);
        goto out;
    }
    for (a_int i = 0; i < nev; i++)
        w_out[i] = -d[i];
    for (a_int i = 1; i < nev; i++)
        for (a_int j = i; j > 0 && w_out[j - 1] > w_out[j]; j--) {
            double t = w_out[j];
            w_out[j] = w_out[j - 1];
            w_out[j - 1] = t;
        }
    *resolution = 1e3 * DBL_EPSILON * norm;
out:
    free(resid);
    free(v);
    free(workd);
    free(workl);
    free(d);
    free(sel);
    return st;
}


static int solve_lanczos(const spec_req *r, double *rates, double *ln_rates, double *rel_err,
                         hl_spectrum_info *info)
{
    if (r->vectors)
        return hl_fail(HL_ERANGE, "eigenvectors of the full hypercube are available up "
                                  "to %ld states (D <= 12)", HL_DENSE_MAX);
    hl_generator *g = NULL;
    int st = hl_generator_create(r->m, r->dim, r->beta, r->kind, &g);
    if (st)
        return st;
    double *w = malloc(sizeof(double) * (size_t)r->k);
    if (!w)
        st = hl_fail(HL_ENOMEM, "out of memory");
    else
        st = spectrum_lanczos(g, r->k, w, &info->resolution);
    hl_generator_free(g);
    if (!st)
        fill_rates(w, r->k, info->resolution, rates, ln_rates, rel_err, info);
    free(w);
    return st;
}

/* ------------------------------------------------------- the method table */

typedef struct {
    int id;                 /* HL_SPECTRUM_*                                  */
    const char *name;       /* hl_spectrum_method_name; printed by the CLI    */
    const char *when;       /* when it applies                                */
    const char *resolution; /* what it guarantees                             */
    int (*applies)(const spec_req *r);
    int (*solve)(const spec_req *r, double *rates, double *ln_rates, double *rel_err,
                 hl_spectrum_info *info);
} spec_method;

/* in order of preference: the first that applies is used */
static const spec_method METHODS[] = {
    {HL_SPECTRUM_SEPARABLE, "separable-chains",
     "contracted, the paper's phi with B = 1, no eigenvectors",
     "a relative error bound per rate (bidiagonal singular values, dqds or bisection; the "
     "slowest by log-space inverse iteration), however small the rate",
     applies_separable, solve_separable},
    {HL_SPECTRUM_DENSE, "dense", "at most HL_DENSE_MAX states",
     "absolute, 2 n eps |S|_inf (Householder backward error; LAPACK dsyevr)", applies_dense,
     solve_dense},
    {HL_SPECTRUM_ARNOLDI, "arnoldi-shift-invert", "contracted, up to HL_SPARSE_MAX classes",
     "absolute, 100 eps max |v|^T |S| |v| over the returned vectors (ARPACK shift-invert "
     "with a CHOLMOD factor, Rayleigh quotients in Dirichlet form)",
     applies_sparse, solve_sparse},
    {HL_SPECTRUM_LANCZOS, "lanczos-matrix-free", "the full hypercube beyond the dense limit",
     "absolute, 1e3 eps |S| (ARPACK regular mode on the matrix-free generator)",
     applies_lanczos, solve_lanczos},
};
#define N_METHODS (sizeof METHODS / sizeof METHODS[0])

const char *hl_spectrum_method_name(int method)
{
    for (size_t i = 0; i < N_METHODS; i++)
        if (METHODS[i].id == method)
            return METHODS[i].name;
    return NULL;
}

const char *hl_spectrum_method_resolution(int method)
{
    for (size_t i = 0; i < N_METHODS; i++)
        if (METHODS[i].id == method)
            return METHODS[i].resolution;
    return NULL;
}

/* rates from eigenvalues of -S with an absolute error bound resolution:
 * 0 first (the stationary state), NaN where the bound is more than
 * HL_SPECTRUM_MAX_REL_ERROR of the rate (no digit resolved) */
static void fill_rates(const double *w, int k, double resolution, double *rates,
                       double *ln_rates, double *rel_err, hl_spectrum_info *info)
{
    for (int q = 0; q < k; q++) {
        double re = NAN;
        if (q == 0) {
            rates[0] = 0;
            ln_rates[0] = -INFINITY;
            re = 0;
        } else if (w[q] > resolution / HL_SPECTRUM_MAX_REL_ERROR) {
            rates[q] = w[q];
            ln_rates[q] = log(w[q]);
            re = resolution / w[q];
            info->rel_error = fmax(info->rel_error, re);
        } else {
            rates[q] = NAN;
            ln_rates[q] = NAN;
            info->null_reason = "below the eigensolver's absolute resolution (its error "
                                "bound is more than a tenth of the rate)";
        }
        if (rel_err)
            rel_err[q] = re;
    }
}

static int spectrum_solve(const hl_model *m, long dim, double beta, int kind, int k,
                          double *rates, double *ln_rates, double *rel_err, double *vectors,
                          hl_spectrum_info *info)
{
    if (!m || !rates || !ln_rates || !info)
        return hl_fail(HL_EINVAL, "hl_spectrum: NULL argument");
    int st = hl_check_dim(dim);
    if (!st)
        st = hl_kinetic_beta_check(beta);
    if (st)
        return st;
    if (kind != HL_CONTRACTED && kind != HL_FULL)
        return hl_fail(HL_EINVAL, "unknown generator kind %d", kind);
    long h = dim / 2;
    double states = kind == HL_FULL ? ldexp(1.0, (int)(dim < 1000 ? dim : 1000))
                                    : (double)(h + 1) * (double)(h + 1);
    if (k < 1 || (double)k > states)
        return hl_fail(HL_EDOM, "count %d is not between 1 and the number of states "
                                "(%.0f)", k, states);
    memset(info, 0, sizeof *info);
    info->states = states < 9e18 ? (long)states : -1;
    spec_req r = {m, dim, beta, kind, k, states, vectors};
    for (size_t i = 0; i < N_METHODS; i++) {
        if (!METHODS[i].applies(&r))
            continue;
        st = METHODS[i].solve(&r, rates, ln_rates, rel_err, info);
        if (!st)
            info->method = METHODS[i].id;
        return st;
    }
    return hl_fail(HL_EINVAL, "no spectrum method applies (kind %d, %.0f states)", kind, states);
}

int hl_spectrum(const hl_model *m, long dim, double beta, int kind, int k,
                double *rates, double *ln_rates, double *vectors,
                hl_spectrum_info *info)
{
    return hl_spectrum_ex(m, dim, beta, kind, k, rates, ln_rates, NULL, vectors, info);
}

int hl_spectrum_ex(const hl_model *m, long dim, double beta, int kind, int k,
                   double *rates, double *ln_rates, double *rel_err, double *vectors,
                   hl_spectrum_info *info)
{
    int st = spectrum_solve(m, dim, beta, kind, k, rates, ln_rates, rel_err, vectors, info);
    if (st || k < 2 || kind != HL_CONTRACTED || info->method == HL_SPECTRUM_SEPARABLE)
        return st;
    /* the tunnelling rate exactly, where the eigensolver cannot resolve it:
     * graph transformation up to HL_PASSAGE_GENERAL_DIM_MAX, beyond that
     * (when the eigensolver did not resolve it) the capacity formula */
    double l, t0 = hl_now();
    if (dim <= HL_PASSAGE_GENERAL_DIM_MAX && hl_tunnelling_ln_rate(m, dim, beta, &l) == HL_OK) {
        ln_rates[1] = l;
        rates[1] = exp(l);
        info->tunnelling_exact = 1;
        if (rel_err) /* log-space graph transformation: rounding of every
                        class's logs, accumulated over the elimination */
            rel_err[1] = 8 * DBL_EPSILON * (double)info->states * (fabs(l) + 1);
        hl_stage_done("spectrum: graph transformation", t0, NULL);
    } else if (isnan(rates[1])) {
        int nthr = hl_blas_serial_begin();
        int ok = hl_class_tunnelling_capacity(m, dim, beta, &l) == HL_OK;
        hl_blas_threads_restore(nthr);
        hl_stage_done("spectrum: capacity", t0, NULL);
        if (ok) {
            ln_rates[1] = l;
            rates[1] = exp(l);
            info->tunnelling_exact = 2;
            if (rel_err)
                rel_err[1] = NAN; /* an asymptotic estimate, no bound */
        }
    }
    return HL_OK;
}
