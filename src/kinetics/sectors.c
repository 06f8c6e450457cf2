/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sectors.c -- the full hypercube's master equation by symmetry sectors
 * (sectors.h): the sector chains with their exit rates, and the slowest
 * rates of the whole 2^D generator with multiplicity (the multiplicities:
 * sector_multiplicity.c). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "gridchain.h"
#include "hyperland/sectors.h"
#include "kinetics_private.h"
#include "sector_multiplicity.h"

/* min(multiplicity, cap), exactly */
static long capped_multiplicity(long dim, long k1, long k2, long cap)
{
    double lm = hl_sector_ln_multiplicity(dim, k1, k2);
    if (lm > log((double)cap) + 1)
        return cap;
    char buf[64];
    int len = hl_sector_multiplicity(dim, k1, k2, buf, sizeof buf);
    if (len <= 0 || len > 18)
        return cap;
    long long v = atoll(buf);
    return v < cap ? (long)v : cap;
}

/* --------------------------------------------------- the sector chains */


/* The rates of one sector, k of them: rates, ln rates, the key that
 * orders them (ln rate, or for an unresolved rate the ln of an upper
 * bound), resolution. */
typedef struct {
    int count;
    double *rate, *ln_rate, *key;
    double res;
} sect_rates;

static void sect_rates_free(sect_rates *r)
{
    free(r->rate);
    free(r->ln_rate);
    free(r->key);
    memset(r, 0, sizeof *r);
}

static int sect_rates_alloc(sect_rates *r, int k)
{
    memset(r, 0, sizeof *r);
    r->rate = malloc(sizeof(double) * (size_t)k);
    r->ln_rate = malloc(sizeof(double) * (size_t)k);
    r->key = malloc(sizeof(double) * (size_t)k);
    if (!r->rate || !r->ln_rate || !r->key) {
        sect_rates_free(r);
        return hl_fail(HL_ENOMEM, "out of memory for %d rates", k);
    }
    r->count = k;
    return HL_OK;
}

/* What every sector of one (D, beta, model) shares. */
typedef struct {
    const hl_model *m;
    long dim, h;
    double beta;
    int separable; /* the paper's phi with B = 1: phi = s + g(d), two chains */
    /* general: the class lattice of eq 5.6 (passage.c): ln Q_eq, the ln
     * rates of the four moves and the neighbours, (h+1)^2 classes */
    double *lq, *lk4;
    long *nb;
    /* separable: per axis (0: a with s, 1: b with g(d)), the ln rate of
     * one up flip from level j and of one down flip from level j, and
     * beta D times the potential of level j */
    double *lup[2], *ldn[2], *bphi[2];
} sect_ctx;

static void ctx_free(sect_ctx *c)
{
    free(c->lq);
    free(c->lk4);
    free(c->nb);
    for (int ax = 0; ax < 2; ax++) {
        free(c->lup[ax]);
        free(c->ldn[ax]);
        free(c->bphi[ax]);
    }
    memset(c, 0, sizeof *c);
}

static int check_beta(double beta)
{
    if (!isfinite(beta) || !(beta > 0))
        return hl_fail(HL_EDOM, "beta = %g is not a positive finite number", beta);
    if (beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is too large (at most 1e6)", beta);
    return HL_OK;
}

/* separable: the same one-dimensional rates as the contracted separable
 * path (master.c): a flip in the first half moves s = x + y by 2/h
 * (phi = s + g(d)), one in the second half moves d by 2/h, with g(d) =
 * phi at s = 0 */
static int ctx_init(sect_ctx *c, const hl_model *m, long dim, double beta, int general_ok)
{
    memset(c, 0, sizeof *c);
    if (!m)
        return hl_fail(HL_EINVAL, "sectors: NULL model");
    int st = hl_check_dim(dim);
    if (!st)
        st = check_beta(beta);
    if (!st)
        st = hl_model_check_transmission(m, 1.0 / beta);
    if (st)
        return st;
    long h = dim / 2, w = h + 1;
    c->m = m;
    c->dim = dim;
    c->h = h;
    c->beta = beta;
    c->separable = hl_model_is_default(m) && hl_model_transmission_is_default(m);
    double D = (double)dim;
    if (c->separable) {
        for (int ax = 0; ax < 2; ax++) {
            c->lup[ax] = malloc(sizeof(double) * (size_t)w);
            c->ldn[ax] = malloc(sizeof(double) * (size_t)w);
            c->bphi[ax] = malloc(sizeof(double) * (size_t)w);
            if (!c->lup[ax] || !c->ldn[ax] || !c->bphi[ax]) {
                ctx_free(c);
                return hl_fail(HL_ENOMEM, "out of memory (sector chains at D = %ld)", dim);
            }
        }
        for (long j = 0; j <= h; j++) {
            double s = 2.0 * j / h - 1.0, d = 2.0 * j / h - 1.0;
            c->bphi[0][j] = s;
            c->bphi[1][j] = hl_model_phi(m, 0.5 * d, -0.5 * d);
        }
        for (int ax = 0; ax < 2; ax++)
            for (long j = 0; j <= h; j++) {
                double *f = c->bphi[ax];
                c->lup[ax][j] = j < h ? -0.5 * beta * D * (f[j + 1] - f[j]) : -INFINITY;
                c->ldn[ax][j] = j > 0 ? 0.5 * beta * D * (f[j] - f[j - 1]) : -INFINITY;
            }
        for (int ax = 0; ax < 2; ax++)
            for (long j = 0; j <= h; j++)
                c->bphi[ax][j] *= beta * D;
        return HL_OK;
    }
    if (!general_ok)
        return HL_OK;
    double N = (double)w * (double)w;
    if (N > (double)HL_SPARSE_MAX) {
        ctx_free(c);
        return hl_fail(HL_ERANGE, "D = %ld: %.3g classes exceed the sparse eigensolver's "
                                  "limit of %.3g", dim, N, (double)HL_SPARSE_MAX);
    }
    c->lq = malloc(sizeof(double) * (size_t)N);
    c->lk4 = malloc(sizeof(double) * 4 * (size_t)N);
    c->nb = malloc(sizeof(long) * 4 * (size_t)N);
    if (!c->lq || !c->lk4 || !c->nb) {
        ctx_free(c);
        return hl_fail(HL_ENOMEM, "out of memory (class lattice at D = %ld)", dim);
    }
    if ((st = hl_class_lattice(m, dim, beta, c->lq, c->lk4, c->nb)))
        ctx_free(c);
    return st;
}

/* general: ln of one flip's rate from class (a, b): q = 0 a up, 1 a down,
 * 2 b up, 3 b down (the class rate of eq 5.6 divided by the number of
 * vertices that can flip) */
static double flip_ln_rate(const sect_ctx *c, long a, long b, int q)
{
    long h = c->h, i = a * (h + 1) + b;
    double cnt = q == 0 ? (double)(h - a) : q == 1 ? (double)a
               : q == 2 ? (double)(h - b) : (double)b;
    return cnt > 0 ? c->lk4[4 * i + q] - log(cnt) : -INFINITY;
}

/* k (u + d) in logs: the exit rate of a level-j state of a k-sector */
static double ln_exit(long k, double lu, double ld)
{
    return k > 0 ? log((double)k) + hl_lse(lu, ld) : -INFINITY;
}

/* the two-dimensional chain of sector (k1, k2) and its exit rates
 * (general phi and B) */
static int sector_gridchain(const sect_ctx *c, long k1, long k2, hl_gridchain *g,
                            double **lexit)
{
    long h = c->h, n1 = h - 2 * k1 + 1, n2 = h - 2 * k2 + 1;
    *lexit = NULL;
    int st = hl_gridchain_alloc(g, n1, n2);
    if (st)
        return st;
    double *le = malloc(sizeof(double) * (size_t)(n1 * n2));
    if (!le) {
        hl_gridchain_free(g);
        return hl_fail(HL_ENOMEM, "out of memory for sector (%ld, %ld)", k1, k2);
    }
    for (long i1 = 0; i1 < n1; i1++)
        for (long i2 = 0; i2 < n2; i2++) {
            long a = k1 + i1, b = k2 + i2, i = a * (h + 1) + b, cell = i1 * n2 + i2;
            /* -beta Phi = ln Q_eq - ln C(h, a) - ln C(h, b) */
            double mbphi = c->lq[i] - hl_lnchoose(h, a) - hl_lnchoose(h, b);
            g->ln_pi[cell] = hl_lnchoose(n1 - 1, i1) + hl_lnchoose(n2 - 1, i2) + mbphi;
            /* per-flip conductance: the geometric mean of the up rate from
             * (a, b) and the down rate from (a + 1, b), times sqrt(e_k(a)) */
            if (i1 + 1 < n1)
                g->ln_c1[cell] = 0.5 * (flip_ln_rate(c, a, b, 0) + flip_ln_rate(c, a + 1, b, 1) +
                                        log((double)(i1 + 1)) + log((double)(n1 - 1 - i1)));
            if (i2 + 1 < n2)
                g->ln_c2[cell] = 0.5 * (flip_ln_rate(c, a, b, 2) + flip_ln_rate(c, a, b + 1, 3) +
                                        log((double)(i2 + 1)) + log((double)(n2 - 1 - i2)));
            le[cell] = hl_lse(ln_exit(k1, flip_ln_rate(c, a, b, 0), flip_ln_rate(c, a, b, 1)),
                           ln_exit(k2, flip_ln_rate(c, a, b, 2), flip_ln_rate(c, a, b, 3)));
        }
    *lexit = le;
    return HL_OK;
}

/* rates of a grid chain with exits -> sect_rates (NaN below the
 * resolution) */
static int gridchain_rates(const hl_gridchain *g, const double *le, int k, sect_rates *r)
{
    int st = sect_rates_alloc(r, k);
    if (st)
        return st;
    if ((st = hl_gridchain_spectrum_exit(g, le, k, r->rate, NULL, &r->res, NULL))) {
        sect_rates_free(r);
        return st;
    }
    for (int q = 0; q < k; q++) {
        r->ln_rate[q] = r->rate[q] == 0 ? -INFINITY : log(r->rate[q]);
        r->key[q] = isnan(r->rate[q]) ? log(r->res) : r->ln_rate[q];
    }
    return HL_OK;
}

/* The number of singular values below x > 0 of the n x n upper bidiagonal
 * matrix (d, e): a Sturm count on its Golub-Kahan form (zero diagonal,
 * off-diagonals d_1, e_1, d_2, ..., d_n), whose eigenvalues are the +-
 * singular values, so #(eigenvalues < x) = n + #(singular values < x);
 * accurate in the relative sense for such matrices (Demmel-Kahan). */
static long tgk_count_below(const double *d, const double *e, long n, double x)
{
    long neg = 0;
    double p = -x;
    neg += p < 0;
    for (long i = 1; i < 2 * n; i++) {
        double o = (i % 2) ? d[i / 2] : e[i / 2 - 1];
        if (p == 0)
            p = -DBL_MIN;
        p = -x - o * (o / p);
        neg += p < 0;
    }
    return neg - n;
}

/* The `need` slowest rates of a birth-death chain on 0..n-1 with ln rates
 * lp[i] (i -> i+1), lq[i] (i+1 -> i) and exit rates lk[i] (all in logs,
 * -inf for none), to high relative accuracy however small they are:
 * -S = R^T R with R upper bidiagonal, the Cholesky factor computed without
 * subtractions (delta_i = R_ii^2 = p_i + eps_i, eps_0 = k_0, eps_i = k_i +
 * q_{i-1} eps_{i-1} / delta_{i-1}; R_{i,i+1} = -sqrt(p_i q_i / delta_i)),
 * so every entry of R carries a small relative error; the rates are the
 * squares of its singular values, which LAPACK dbdsvdx (bisection on the
 * Golub-Kahan form) gives to high relative accuracy.  Without exits
 * delta_{n-1} = 0 exactly: the stationary state's 0.  With a finite
 * lbound only the rates up to exp(lbound) are computed (at most need of
 * them; r->count says how many). */
static int chain1d_rates(const double *lp, const double *lq, const double *lk, long n, int need,
                         double lbound, sect_rates *r)
{
    int st = sect_rates_alloc(r, need);
    if (st)
        return st;
    double *buf = malloc(sizeof(double) * (size_t)n * 4);
    lapack_int *sup = malloc(sizeof(lapack_int) * 12 * (size_t)(n + 1));
    if (!buf || !sup) {
        free(buf);
        free(sup);
        sect_rates_free(r);
        return hl_fail(HL_ENOMEM, "out of memory for a chain of %ld states", n);
    }
    double *ld = buf, *d = ld + n, *e = d + n, *sv = e + n;
    double c = -INFINITY, leps = -INFINITY;
    for (long i = 0; i < n; i++) {
        leps = i == 0 ? lk[0] : hl_lse(lk[i], lq[i - 1] + leps - ld[i - 1]);
        ld[i] = hl_lse(i + 1 < n ? lp[i] : -INFINITY, leps);
        c = fmax(c, ld[i]);
    }
    for (long i = 0; i < n && !st; i++) {
        /* entries below exp(-1400) of the largest would underflow */
        if (ld[i] > -INFINITY && ld[i] - c < -1400)
            st = hl_fail(HL_ERANGE, "the rates of a sector chain span more than exp(1400)");
        d[i] = exp(0.5 * (ld[i] - c));
        if (i + 1 < n)
            e[i] = exp(0.5 * (lp[i] + lq[i] - ld[i] - c));
    }
    /* singular values below SV_LO (rates below SV_LO^2 e^c, which may
     * underflow) are only counted: the exact 0 of a chain without exits
     * (delta_{n-1} = 0) and unresolved ones (NaN, below r->res) */
    const double SV_LO = 1e-140;
    int zero = d[n - 1] == 0;
    long nlo = st ? 0 : tgk_count_below(d, e, n, SV_LO);
    if (nlo < zero)
        nlo = zero;
    r->res = SV_LO * SV_LO * exp(c);
    r->count = 0;
    for (long q = 0; !st && q < nlo && r->count < need; q++) {
        int z = q < zero;
        r->rate[r->count] = z ? 0 : NAN;
        r->ln_rate[r->count] = z ? -INFINITY : NAN;
        r->key[r->count++] = z ? -INFINITY : log(r->res);
    }
    lapack_int ns = 0, want = need - r->count;
    if (!st && want > 0 && nlo < n) {
        lapack_int info;
        if (isfinite(lbound)) { /* the singular values in (SV_LO, vu] */
            double vu = exp(0.5 * (lbound - c)) * (1 + 1e-9);
            info = vu > SV_LO ? LAPACKE_dbdsvdx(LAPACK_COL_MAJOR, 'U', 'N', 'V', (lapack_int)n, d,
                                                e, SV_LO, vu, 0, 0, &ns, sv, NULL, 1, sup)
                              : 0;
        } else { /* the next `want` by index (1 = largest) */
            if (want > n - nlo)
                want = (lapack_int)(n - nlo);
            info = LAPACKE_dbdsvdx(LAPACK_COL_MAJOR, 'U', 'N', 'I', (lapack_int)n, d, e, 0, 0,
                                   (lapack_int)(n - nlo - want + 1), (lapack_int)(n - nlo), &ns,
                                   sv, NULL, 1, sup);
            if (!info && ns != want)
                info = -100;
        }
        if (info != 0)
            st = hl_fail(HL_ENOCONV, "LAPACK dbdsvdx failed on a %ld-state chain (info %d)", n,
                         (int)info);
    }
    for (lapack_int q = ns - 1; !st && q >= 0 && r->count < need; q--) { /* descending */
        double lr = 2 * log(sv[q]) + c;
        if (lr > lbound)
            break;
        r->ln_rate[r->count] = r->key[r->count] = lr;
        r->rate[r->count++] = exp(lr);
    }
    free(buf);
    free(sup);
    if (st)
        sect_rates_free(r);
    return st;
}

/* separable: the one-dimensional k-sector chain of axis ax, its `need`
 * slowest rates up to exp(lbound): levels j = k..h-k, moves (h - j - k) u_j up and
 * (j - k) d_j down, exit k (u_j + d_j) */
static int axis_rates(sect_ctx *c, int ax, long k, int need, double lbound, sect_rates *r)
{
    long h = c->h, n = h - 2 * k + 1;
    if (need > n)
        need = (int)n;
    double *lp = malloc(sizeof(double) * 3 * (size_t)n);
    if (!lp)
        return hl_fail(HL_ENOMEM, "out of memory for a sector chain of %ld states", n);
    double *lq = lp + n, *lk = lq + n;
    for (long i = 0; i < n; i++) {
        long j = k + i;
        lp[i] = i + 1 < n ? log((double)(h - j - k)) + c->lup[ax][j] : -INFINITY;
        lq[i] = i + 1 < n ? log((double)(j + 1 - k)) + c->ldn[ax][j + 1] : -INFINITY;
        lk[i] = ln_exit(k, c->lup[ax][j], c->ldn[ax][j]);
    }
    int st = chain1d_rates(lp, lq, lk, n, need, lbound, r);
    free(lp);
    return st;
}

typedef struct {
    double key; /* ln of the value, or of an upper bound if unresolved */
    double rate, ln_rate;
} sum_t;

static int cmp_sum(const void *x, const void *y)
{
    const sum_t *p = x, *q = y;
    return (p->key > q->key) - (p->key < q->key);
}

/* lambda + mu of two rates of two independent chains with resolutions */
static sum_t rate_sum(double l1, double r1, double res1, double l2, double r2, double res2)
{
    sum_t s;
    int u1 = isnan(r1), u2 = isnan(r2);
    if (!u1 && !u2) {
        s.ln_rate = hl_lse(l1, l2);
        s.rate = exp(s.ln_rate);
        s.key = s.ln_rate;
        return s;
    }
    /* an unresolved rate lies in [0, res]: the sum is v to within res,
     * resolved (as every rate of the eigensolvers, to an absolute error of
     * the resolution) when v exceeds the resolution of the sum */
    double v = u1 ? r2 : r1, lv = u1 ? l2 : l1;
    if (!(u1 && u2) && v > res1 + res2) {
        s.rate = v;
        s.ln_rate = lv;
        s.key = lv;
        return s;
    }
    s.rate = s.ln_rate = NAN;
    s.key = log((u1 ? res1 : r1) + (u2 ? res2 : r2));
    return s;
}

/* The `need` slowest rates of sector (k1, k2) from its own chain, or
 * fewer when the rest lie above exp(lbound) (out->count of them, maybe
 * none for the separable model). */
static int solve_sector_chain(sect_ctx *c, long k1, long k2, int need, double lbound,
                              sect_rates *out)
{
    int st;
    if (!c->separable) {
        hl_gridchain g;
        double *le = NULL;
        if ((st = sector_gridchain(c, k1, k2, &g, &le)))
            return st;
        /* a few rates first, more (doubling) while they all lie below the
         * bound: most sectors contribute only a few */
        int ask = need < 4 ? need : 4;
        for (;;) {
            st = gridchain_rates(&g, k1 || k2 ? le : NULL, ask, out);
            if (st || ask == need || out->key[ask - 1] > lbound)
                break;
            sect_rates_free(out);
            ask = 2 * ask < need ? 2 * ask : need;
        }
        hl_gridchain_free(&g);
        free(le);
        return st;
    }
    sect_rates ra0, rb0;
    const sect_rates *ra = &ra0, *rb = &rb0;
    if ((st = axis_rates(c, 0, k1, need, lbound, &ra0)))
        return st;
    if ((st = axis_rates(c, 1, k2, need, lbound, &rb0))) {
        sect_rates_free(&ra0);
        return st;
    }
    /* the need smallest sums: the pair (i, j) of rank r has (i+1)(j+1) <= r */
    long np = 0;
    for (long i = 0; i < ra->count; i++)
        np += (need / (i + 1) < rb->count ? need / (i + 1) : rb->count);
    sum_t *s = malloc(sizeof(sum_t) * (size_t)(np + 1));
    if (!s) {
        sect_rates_free(&ra0);
        sect_rates_free(&rb0);
        return hl_fail(HL_ENOMEM, "out of memory for %ld rate sums", np);
    }
    long p = 0;
    for (long i = 0; i < ra->count; i++)
        for (long j = 0; j < rb->count && (i + 1) * (j + 1) <= need; j++)
            s[p++] = rate_sum(ra->ln_rate[i], ra->rate[i], ra->res, rb->ln_rate[j],
                              rb->rate[j], rb->res);
    qsort(s, (size_t)p, sizeof(sum_t), cmp_sum);
    if (!(st = sect_rates_alloc(out, need))) {
        out->count = 0;
        for (long q = 0; q < p && q < need && s[q].key <= lbound; q++) {
            out->rate[q] = s[q].rate;
            out->ln_rate[q] = s[q].ln_rate;
            out->key[q] = s[q].key;
            out->count++;
        }
        out->res = ra->res + rb->res;
    }
    free(s);
    sect_rates_free(&ra0);
    sect_rates_free(&rb0);
    return st;
}

int hl_sector_spectrum(const hl_model *m, long dim, double beta, long k1, long k2, int k,
                       double *rates, double *ln_rates, double *resolution)
{
    if (!m || !rates || !ln_rates)
        return hl_fail(HL_EINVAL, "hl_sector_spectrum: NULL argument");
    int st = hl_sector_check(dim, k1, k2);
    if (st)
        return st;
    long size = hl_sector_size(dim, k1, k2);
    if (k < 1 || k > size)
        return hl_fail(HL_EDOM, "count %d is not between 1 and the %ld states of sector "
                                "(%ld, %ld)", k, size, k1, k2);
    if (size > HL_SPARSE_MAX && !(hl_model_is_default(m) && hl_model_transmission_is_default(m)))
        return hl_fail(HL_ERANGE, "sector (%ld, %ld) at D = %ld has %ld states, more than the "
                                  "sparse eigensolver's limit of %ld", k1, k2, dim, size,
                       HL_SPARSE_MAX);
    sect_ctx c;
    if ((st = ctx_init(&c, m, dim, beta, 1)))
        return st;
    sect_rates r;
    st = solve_sector_chain(&c, k1, k2, k, INFINITY, &r);
    if (!st && r.count != k)
        st = hl_fail(HL_ENOCONV, "sector (%ld, %ld): %d of %d rates", k1, k2, r.count, k);
    if (!st) {
        memcpy(rates, r.rate, sizeof(double) * (size_t)k);
        memcpy(ln_rates, r.ln_rate, sizeof(double) * (size_t)k);
        if (resolution)
            *resolution = r.res;
        sect_rates_free(&r);
    }
    ctx_free(&c);
    return st;
}

/* ------------------------------------------ the whole 2^D spectrum */

typedef struct {
    double key;
    double rate, ln_rate;
    long k1, k2, index, copies;
    double ln_mult;
} cand_t;

static int cmp_cand(const void *x, const void *y)
{
    const cand_t *p = x, *q = y;
    if (p->key != q->key)
        return (p->key > q->key) - (p->key < q->key);
    if (p->k2 != q->k2)
        return (p->k2 > q->k2) - (p->k2 < q->k2);
    if (p->k1 != q->k1)
        return (p->k1 > q->k1) - (p->k1 < q->k1);
    return (p->index > q->index) - (p->index < q->index);
}

/* the key of the k-th slowest distinct rate (+inf while fewer) */
static double kth_key(cand_t *cand, long n, long k)
{
    qsort(cand, (size_t)n, sizeof(cand_t), cmp_cand);
    return n >= k ? cand[k - 1].key : INFINITY;
}

int hl_full_spectrum_sectors(const hl_model *m, long dim, double beta, int k, double *rates,
                             double *ln_rates, hl_sector_rate *distinct, hl_sectors_info *info)
{
    if (!m || !rates || !ln_rates || !distinct || !info)
        return hl_fail(HL_EINVAL, "hl_full_spectrum_sectors: NULL argument");
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if (k < 1 || (dim < 62 && (double)k > ldexp(1.0, (int)dim)))
        return hl_fail(HL_EDOM, "count %d is not between 1 and the number of states (2^%ld)",
                       k, dim);
    memset(info, 0, sizeof *info);
    long h = dim / 2, kmax = h / 2;
    info->sectors_total = (kmax + 1) * (kmax + 1);
    /* sector (0, 0): the contracted chain, by hl_spectrum */
    long n00 = (h + 1) * (h + 1);
    int need00 = (long)k < n00 ? k : (int)n00;
    double *r00 = malloc(sizeof(double) * (size_t)need00);
    double *l00 = malloc(sizeof(double) * (size_t)need00);
    double *low_prev = malloc(sizeof(double) * (size_t)(kmax + 1));
    long ncand = 0, capc = 64;
    cand_t *cand = malloc(sizeof(cand_t) * (size_t)capc);
    sect_ctx c;
    memset(&c, 0, sizeof c);
    if (!r00 || !l00 || !low_prev || !cand) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto out;
    }
    hl_spectrum_info i00;
    if ((st = hl_spectrum(m, dim, beta, HL_CONTRACTED, need00, r00, l00, NULL, &i00)))
        goto out;
    info->method00 = i00.method;
    info->tunnelling_exact = i00.tunnelling_exact;
    info->resolution = i00.resolution;
    info->sectors_solved = 1;
    if ((st = ctx_init(&c, m, dim, beta, kmax > 0)))
        goto out;
    double t = INFINITY; /* key of the k-th slowest distinct rate so far */
    long limit = kmax + 1; /* sectors (k1 >= limit, k2) are known to be too fast */
    for (long k1 = 0; k1 <= kmax; k1++)
        low_prev[k1] = -INFINITY;
    for (long k2 = 0; k2 <= kmax && limit > 0; k2++) {
        for (long k1 = 0; k1 < limit; k1++) {
            if (low_prev[k1] > t) { /* (k1, k2 - 1) already too fast */
                limit = k1;
                break;
            }
            long copies = capped_multiplicity(dim, k1, k2, k);
            double lmult = hl_sector_ln_multiplicity(dim, k1, k2);
            sect_rates r;
            memset(&r, 0, sizeof r);
            int need;
            if (k1 == 0 && k2 == 0) {
                need = need00;
            } else {
                long size = hl_sector_size(dim, k1, k2);
                need = (int)((long)k < size ? k : size);
                /* only rates up to the current k-th slowest distinct
                 * rate can enter (a little wider: round-off) */
                if ((st = solve_sector_chain(&c, k1, k2, need, t + 1e-9, &r)))
                    goto out;
                info->sectors_solved++;
                info->resolution = fmax(info->resolution, r.res);
            }
            const double *rr = k1 || k2 ? r.rate : r00, *ll = k1 || k2 ? r.ln_rate : l00;
            if (k1 || k2)
                need = r.count;
            if (ncand + need > capc) {
                long nc = 2 * (ncand + need);
                cand_t *nw = realloc(cand, sizeof(cand_t) * (size_t)nc);
                if (!nw) {
                    sect_rates_free(&r);
                    st = hl_fail(HL_ENOMEM, "out of memory");
                    goto out;
                }
                cand = nw;
                capc = nc;
            }
            double low = INFINITY;
            for (int q = 0; q < need; q++) {
                cand_t *e = &cand[ncand++];
                e->rate = rr[q];
                e->ln_rate = ll[q];
                /* unresolved: placed by its upper bound */
                if (k1 || k2)
                    e->key = r.key[q];
                else
                    e->key = !isnan(ll[q]) ? ll[q]
                             : i00.resolution > 0 ? log(i00.resolution) : -INFINITY;
                e->k1 = k1;
                e->k2 = k2;
                e->index = q;
                e->copies = copies;
                e->ln_mult = lmult;
                low = fmin(low, e->key);
            }
            sect_rates_free(&r);
            low_prev[k1] = low;
            t = kth_key(cand, ncand, k);
            if (low > t) { /* this sector adds nothing; nor do those beyond it */
                limit = k1;
                break;
            }
        }
    }
    /* the k slowest distinct rates, and the k slowest with multiplicity
     * (copies of the first of them) */
    qsort(cand, (size_t)ncand, sizeof(cand_t), cmp_cand);
    long q = 0, nd = 0;
    for (long i = 0; i < ncand && nd < k; i++) {
        long take = cand[i].copies < k - q ? cand[i].copies : k - q;
        for (long j = 0; j < take; j++, q++) {
            rates[q] = cand[i].rate;
            ln_rates[q] = cand[i].ln_rate;
        }
        hl_sector_rate *d = &distinct[nd++];
        d->rate = cand[i].rate;
        d->ln_rate = cand[i].ln_rate;
        d->k1 = cand[i].k1;
        d->k2 = cand[i].k2;
        d->index = cand[i].index;
        d->ln_multiplicity = cand[i].ln_mult;
        d->copies = take;
    }
    info->n_distinct = nd;
    if (q < k)
        st = hl_fail(HL_ENOCONV, "sectors gave %ld of the %d rates", q, k);
out:
    ctx_free(&c);
    free(r00);
    free(l00);
    free(low_prev);
    free(cand);
    return st;
}
