/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spectrum.c -- the spectrum of a reversible chain (spectrum.h): the method
 * table, the Rayleigh-Ritz polish in Dirichlet form every method ends
 * with, and the driver that sets up the active chain, picks the method and
 * assembles the result. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "core.h"
#include "spectrum_method.h"

/* The methods, most specialised first: the first that applies solves. */
static const hl_spectrum_method *const hl_spectrum_methods[] = {
    &hl_spectrum_dense,
    &hl_spectrum_shift_invert,
};

/* The Dirichlet form: with phi = v / sqrt(pi),
 *   x^T (-S) y = sum_edges c_ij sqrt(pi_i pi_j) (phi_i - phi_j)(psi_i - psi_j)
 *   = sum_edges c_ij (x_i e^{D/4} - x_j e^{-D/4}) (y_i e^{D/4} - y_j e^{-D/4}),
 * D = ln pi_j - ln pi_i: no cancellation against the diagonal, so a slow
 * rate is as accurate as its vector (error ~ (lambda' - lambda) sin^2 of
 * the vector's angle to the modes lambda' it is mixed with) instead of
 * eps norm.  e4 holds e^{D/4} per active edge (0 for no edge). */
static int edge_factors(const hl_active *ch, const hl_rchain *c, double **e4)
{
    long ne = ch->ne;
    double *f = malloc(sizeof(double) * (size_t)(ne > 0 ? ne : 1));
    if (!f)
        return hl_fail(HL_ENOMEM, "out of memory for the Rayleigh quotients");
    for (long k = 0; k < ne; k++)
        f[k] = ch->c[k] > 0 ? exp(0.25 * (c->ln_pi[ch->state[ch->eb[k]]] -
                                          c->ln_pi[ch->state[ch->ea[k]]]))
                            : 0.0;
    *e4 = f;
    return HL_OK;
}

static double dirichlet(const hl_active *ch, const double *e4, const double *v)
{
    double num = 0;
    for (long k = 0; k < ch->ne; k++) {
        double f = e4[k];
        if (f == 0)
            continue;
        double t = v[ch->ea[k]] * f - v[ch->eb[k]] / f;
        num += ch->c[k] * t * t;
    }
    if (ch->kill)
        for (long a = 0; a < ch->m; a++)
            num += ch->kill[a] * v[a] * v[a];
    return num;
}

/* the columns of z (m x nev, m >= nev) orthonormal, spanning the same space */
static int orthonormalise(double *z, long m, long nev)
{
    double *tau = malloc(sizeof(double) * (size_t)nev);
    if (!tau)
        return hl_fail(HL_ENOMEM, "out of memory for a QR factorisation");
    int bad = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)nev, z,
                             (lapack_int)m, tau) ||
              LAPACKE_dorgqr(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)nev, (lapack_int)nev,
                             z, (lapack_int)m, tau);
    free(tau);
    return bad ? hl_fail(HL_ENOCONV, "QR of the eigenvector block failed") : HL_OK;
}

/* sort w[0..nev) ascending, permuting x[] and the columns of z (m x nev,
 * column q at z + q * m) with it */
static void sort_pairs(double *w, double *z, double *x, long m, long nev)
{
    for (long i = 1; i < nev; i++)
        for (long j = i; j > 0 && w[j - 1] > w[j]; j--) {
            double t = w[j];
            w[j] = w[j - 1];
            w[j - 1] = t;
            t = x[j];
            x[j] = x[j - 1];
            x[j - 1] = t;
            for (long r = 0; r < m; r++) {
                double u = z[r + j * m];
                z[r + j * m] = z[r + (j - 1) * m];
                z[r + (j - 1) * m] = u;
            }
        }
}

int hl_spectrum_polish(const hl_spectrum_setup *s, long nev, double *w, double *z, double *nu)
{
    const hl_active *ch = s->act;
    const hl_comps *cp = s->cp;
    const double *e4 = s->e4;
    double *dot = s->dot;
    long m = ch->m;
    int st = HL_OK;
    double *h = calloc((size_t)(nev * nev), sizeof(double));
    double *mu = malloc(sizeof(double) * (size_t)nev);
    double *t = malloc(sizeof(double) * (size_t)nev);
    double *row = malloc(sizeof(double) * (size_t)nev);
    if (!h || !mu || !t || !row) {
        st = hl_fail(HL_ENOMEM, "out of memory for the Rayleigh-Ritz step");
        goto out;
    }
    for (long q = 0; q < nev; q++)
        hl_comps_project(cp, m, z + q * m, dot);
    if ((st = orthonormalise(z, m, nev)))
        goto out;
    for (long k = 0; k < ch->ne; k++) {
        double f = e4[k];
        if (f == 0)
            continue;
        long a = ch->ea[k], b = ch->eb[k];
        double c = ch->c[k];
        for (long q = 0; q < nev; q++)
            t[q] = z[a + q * m] * f - z[b + q * m] / f;
        for (long q = 0; q < nev; q++) {
            double cq = c * t[q];
            for (long r = q; r < nev; r++)
                h[q * nev + r] += cq * t[r];
        }
    }
    if (ch->kill) /* the exit rates: + sum_a kill_a z_aq z_ar */
        for (long a = 0; a < m; a++) {
            double ka = ch->kill[a];
            if (ka == 0)
                continue;
            for (long q = 0; q < nev; q++)
                for (long r = q; r < nev; r++)
                    h[q * nev + r] += ka * z[a + q * m] * z[a + r * m];
        }
    /* h: upper triangle, row-major = lower triangle column-major */
    if (LAPACKE_dsyev(LAPACK_COL_MAJOR, 'V', 'L', (lapack_int)nev, h, (lapack_int)nev, mu)) {
        st = hl_fail(HL_ENOCONV, "the Rayleigh-Ritz eigenproblem failed");
        goto out;
    }
    for (long a = 0; a < m; a++) { /* z[a, :] <- z[a, :] Y */
        for (long r = 0; r < nev; r++) {
            double sum = 0;
            for (long q = 0; q < nev; q++)
                sum += z[a + q * m] * h[q + r * nev];
            row[r] = sum;
        }
        for (long r = 0; r < nev; r++)
            z[a + r * m] = row[r];
    }
    for (long q = 0; q < nev; q++) {
        double *v = z + q * m, ss = 0;
        hl_comps_project(cp, m, v, dot);
        for (long a = 0; a < m; a++)
            ss += v[a] * v[a];
        double inv = 1.0 / sqrt(ss);
        for (long a = 0; a < m; a++)
            v[a] *= inv;
        w[q] = dirichlet(ch, e4, v);
        /* |v|^T |S| |v|: the first-order error of the rate under
         * componentwise relative perturbations of S (the neighbours above
         * a, in decreasing order) */
        double s2 = 0;
        for (long a = 0; a < m; a++) {
            s2 += ch->out[a] * v[a] * v[a];
            for (long r = ch->start[a + 1] - 1; r >= ch->start[a]; r--) {
                long k = ch->nbe[r], b = hl_active_other(ch, k, a);
                if (b < a)
                    break;
                s2 += 2 * ch->c[k] * fabs(v[a] * v[b]);
            }
        }
        nu[q] = s2;
    }
    sort_pairs(w, z, nu, m, nev);
out:
    free(h);
    free(mu);
    free(t);
    free(row);
    return st;
}

int hl_rchain_spectrum(const hl_rchain *c, int k, double *rates, double *vectors,
                       double *resolution, hl_rchain_spectrum_info *info)
{
    return hl_rchain_spectrum_by(c, NULL, k, rates, vectors, resolution, info);
}

int hl_rchain_spectrum_by(const hl_rchain *c, const char *method, int k, double *rates,
                          double *vectors, double *resolution, hl_rchain_spectrum_info *info)
{
    if (!rates)
        return hl_fail(HL_EINVAL, "hl_rchain_spectrum: NULL rates");
    if (k < 1)
        return hl_fail(HL_EINVAL, "hl_rchain_spectrum: %d rates requested", k);
    hl_active ch;
    hl_comps cp = {0};
    hl_spectrum_block blk = {0};
    hl_rchain_spectrum_info loc;
    if (!info)
        info = &loc;
    memset(info, 0, sizeof *info);
    hl_spectrum_setup su = {0};
    int st = hl_active_init(&ch, c);
    if (st)
        return st;
    st = hl_active_rates(&ch, c);
    if (!st)
        st = hl_comps_find(&ch, c, &cp);
    if (st)
        goto out;
    long m = ch.m, n = ch.n, nz = cp.n;
    double norm = hl_active_norm(&ch);
    double res = 100 * DBL_EPSILON * norm;
    long nev = (long)k - nz < m - nz ? (long)k - nz : m - nz;
    if (nev < 0)
        nev = 0;
    su = (hl_spectrum_setup){.chain = c, .named = method != NULL, .act = &ch, .cp = &cp,
                             .norm = norm, .nev = nev, .info = info};
    const hl_spectrum_method *meth = NULL;
    size_t nm = sizeof hl_spectrum_methods / sizeof *hl_spectrum_methods;
    for (size_t i = 0; i < nm && !meth; i++)
        if (method ? !strcmp(method, hl_spectrum_methods[i]->name)
                   : hl_spectrum_methods[i]->applies(&su))
            meth = hl_spectrum_methods[i];
    if (!meth) {
        st = method ? hl_fail(HL_EINVAL, "no spectrum method is called \"%s\"", method)
                    : hl_fail(HL_ENOCONV, "no spectrum method applies to the %ld-state chain",
                              m);
        goto out;
    }
    if (method && !meth->applies(&su)) {
        st = hl_fail(HL_EINVAL, "the spectrum method \"%s\" does not apply to %ld rates of "
                                "the %ld-state chain", method, (long)k, m);
        goto out;
    }
    info->method = meth->name;
    info->dense = meth == &hl_spectrum_dense;
    info->cells = m;
    info->components = nz;
    info->norm = norm;
    if (nev > 0) {
        su.dot = malloc(sizeof(double) * (size_t)(nz + 1));
        if (!su.dot) {
            st = hl_fail(HL_ENOMEM, "out of memory");
            goto out;
        }
        if ((st = edge_factors(&ch, c, &su.e4)) || (st = meth->solve(&su, &blk)))
            goto out;
        /* the resolution: 100 eps |v|^T |S| |v| over the modes returned
         * (<= 100 eps norm; much less where the slow modes avoid the fast
         * states, e.g. ln pi spanning thousands) */
        double numax = 0;
        for (long q = 0; q < nev; q++)
            numax = fmax(numax, blk.nu[q]);
        res = 100 * DBL_EPSILON * numax;
        if (su.op) {
            info->sigma = hl_sinv_sigma(su.op);
            info->op_applies = hl_sinv_applies(su.op);
            info->nnz_factor = hl_sinv_nnz(su.op);
        }
    }
    info->resolution = res;
    /* zeros beyond the structural components: components split only by
     * conductances below the range of doubles; their rates are not 0 but
     * unresolved (NaN) */
    long nzs = nz;
    if (nz > 1) {
        long *work = malloc(sizeof(long) * 2 * (size_t)m);
        if (!work) {
            st = hl_fail(HL_ENOMEM, "out of memory");
            goto out;
        }
        nzs = hl_active_structural_components(&ch, c, work);
        free(work);
    }
    for (int q = 0; q < k; q++) {
        if (q < nz)
            rates[q] = q < nzs ? 0.0 : NAN;
        else if (q - nz < nev)
            rates[q] = blk.w[q - nz] >= res ? blk.w[q - nz] : NAN;
        else
            rates[q] = NAN;
    }
    if (resolution)
        *resolution = res;
    if (vectors) {
        memset(vectors, 0, sizeof(double) * (size_t)n * (size_t)k);
        for (int q = 0; q < k && q < nz; q++)
            for (long r = cp.start[q]; r < cp.start[q + 1]; r++) {
                long a = cp.members[r];
                vectors[ch.state[a] * k + q] = cp.u[a];
            }
        for (long q = 0; q < nev; q++) {
            const double *col = blk.z + q * m;
            long amax = 0; /* sign: the largest entry positive */
            for (long a = 1; a < m; a++)
                if (fabs(col[a]) > fabs(col[amax]))
                    amax = a;
            double sg = col[amax] < 0 ? -1.0 : 1.0;
            for (long a = 0; a < m; a++)
                vectors[ch.state[a] * k + nz + q] = sg * col[a];
        }
    }
out:
    hl_sinv_free(su.op);
    free(blk.w);
    free(blk.z);
    free(blk.nu);
    free(su.e4);
    free(su.dot);
    hl_comps_free(&cp);
    hl_active_free(&ch);
    return st;
}

int hl_rchain_spectrum_ritz(const hl_rchain *c, int k, const double *phi, double *rates,
                            double *resolution, double *res_each)
{
    if (!c || !phi || !rates || k < 1)
        return hl_fail(HL_EINVAL, "hl_rchain_spectrum_ritz: bad argument");
    hl_active ch;
    hl_comps cp = {0};
    hl_spectrum_setup su = {0};
    double *w = NULL, *z = NULL, *nu = NULL;
    int st = hl_active_init(&ch, c);
    if (st)
        return st;
    if ((st = hl_active_rates(&ch, c)) || (st = hl_comps_find(&ch, c, &cp)))
        goto out;
    long m = ch.m, nev = (long)k - 1;
    if (cp.n != 1 || ch.kill || nev > m - 1) {
        st = hl_fail(HL_EINVAL, "hl_rchain_spectrum_ritz: %ld components, %ld rates of %ld "
                                "states", cp.n, nev, m);
        goto out;
    }
    rates[0] = 0.0;
    if (nev < 1)
        goto out;
    su = (hl_spectrum_setup){.chain = c, .act = &ch, .cp = &cp, .norm = hl_active_norm(&ch),
                             .nev = nev};
    su.dot = malloc(sizeof(double) * 2);
    w = malloc(sizeof(double) * (size_t)nev);
    nu = malloc(sizeof(double) * (size_t)nev);
    z = malloc(sizeof(double) * (size_t)m * (size_t)nev);
    if (!su.dot || !w || !nu || !z) {
        st = hl_fail(HL_ENOMEM, "out of memory for %ld vectors of %ld states", nev, m);
        goto out;
    }
    if ((st = edge_factors(&ch, c, &su.e4)))
        goto out;
    /* v = sqrt(pi) phi, up to one factor (the Rayleigh-Ritz step
     * orthonormalises) */
    double lmax = -INFINITY;
    for (long a = 0; a < m; a++)
        lmax = fmax(lmax, c->ln_pi[ch.state[a]]);
    for (long q = 0; q < nev; q++)
        for (long a = 0; a < m; a++) {
            long s = ch.state[a];
            z[a + q * m] = phi[(size_t)(q + 1) * (size_t)c->n + (size_t)s] *
                           exp(0.5 * (c->ln_pi[s] - lmax));
        }
    if ((st = hl_spectrum_polish(&su, nev, w, z, nu)))
        goto out;
    double numax = 0;
    for (long q = 0; q < nev; q++)
        numax = fmax(numax, nu[q]);
    double res = 100 * DBL_EPSILON * numax;
    for (long q = 0; q < nev; q++)
        rates[q + 1] = w[q] >= res ? w[q] : NAN;
    if (res_each) {
        res_each[0] = 0;
        for (long q = 0; q < nev; q++)
            res_each[q + 1] = 100 * DBL_EPSILON * nu[q];
    }
    if (resolution)
        *resolution = res;
out:
    free(w);
    free(z);
    free(nu);
    free(su.e4);
    free(su.dot);
    hl_comps_free(&cp);
    hl_active_free(&ch);
    return st;
}
