/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gt_supernodal.c -- the graph transformation's numeric elimination in
 * supernodes, the dense work by BLAS (gt_factor.h, hl_gt_numeric_sn).
 *
 * On a lattice (the k-block class lattice of issue 12) the elimination of
 * passage_gt.c fills in like a sparse Cholesky factor: the top separator of
 * a nested-dissection order is a dense block of thousands of states, and
 * the scalar left-looking elimination (gt_numeric_double.c) spends 1e10 to
 * 1e11 operations one at a time.  Here the columns whose patterns nest are
 * grouped into supernodes (dense blocks), eliminated right-looking:
 *
 *   inside a supernode, panels of NB columns: column j's pivot is the sum of
 *   its conductances (times s_j / s_i, the scales) and its absorption and
 *   exit (carried forward like a right-hand side), never a difference
 *   (GTH); the later columns of the panel get C_ij += C_ik C_jk / D_k one
 *   column at a time, the columns right of the panel all at once by dgemm
 *   of the nonnegative matrices L_P diag(1/D_P) L_P^T;
 *   then the supernode's other rows R: U = L_R diag(1/D) L_R^T (dgemm,
 *   nonnegative) added into the blocks of the ancestors that own those rows.
 *
 * Every operation is a product, quotient or sum of nonnegative numbers (the
 * one subtraction: with a shift lambda, the pivot minus lambda times the
 * carried mass, as in the scalar elimination), so each stored value is a
 * sum of positive terms with relative error a few times (terms) eps: the
 * same relative accuracy as the scalar elimination, the rounding (the order
 * of the sums, BLAS's blocking) not the same bit for bit.  The numbers are
 * scaled by powers of two as in gt_numeric_double.c (conductances by
 * s_i s_j, right-hand sides by s_i, s ~ pi^-1/2); a stored value outside
 * [2^-900, 2^900] gives HL_EDOM and the caller redoes the elimination in
 * hl_xf.  Memory: the blocks hold their upper triangles too (zeros), about
 * the factor's entries plus sum over supernodes of nscol^2 / 2 doubles. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "gt_factor.h"

#define LO 0x1p-900
#define HI 0x1p900
#define NB 64       /* panel width                                        */
#define UCHUNK 512  /* columns of the update U formed at a time           */

/* BLAS dgemm (Fortran interface), found at run time in the BLAS that LAPACK
 * loaded (as blas_threads.c does): a direct link to libblas would put it
 * before GSL's CBLAS in the symbol search and change the numbers of the
 * GSL code (tests/golden fp_evolve, 1e-8) */
typedef void (*dgemm_fn)(const char *ta, const char *tb, const int *m, const int *n,
                         const int *k, const double *alpha, const double *a, const int *lda,
                         const double *b, const int *ldb, const double *beta, double *c,
                         const int *ldc);

static dgemm_fn find_dgemm(void)
{
    void *p = dlsym(RTLD_DEFAULT, "dgemm_");
    dgemm_fn f;
    *(void **)&f = p; /* a function pointer from dlsym: POSIX, not C */
    return f;
}

static _Thread_local int sn_mode = 1;

int hl_gt_supernodal_mode(int mode)
{
    int old = sn_mode;
    if (mode >= 0)
        sn_mode = mode > 2 ? 2 : mode;
    return old;
}

double hl_gt_flops(const gt_t *g)
{
    double fl = 0;
    for (long k = 0; k < g->nf; k++) {
        double c = (double)(g->lp[k + 1] - g->lp[k]) + 1.0;
        fl += c * c;
    }
    return fl;
}

void hl_gt_sn_free(gt_t *g)
{
    if (!g->sn)
        return;
    free(g->sn->first);
    free(g->sn->bx);
    free(g->sn->snode);
    free(g->sn->sb);
    free(g->sn->x);
    free(g->sn);
    g->sn = NULL;
}

/* the supernodes of g's pattern: column j joins j - 1's supernode when
 * j - 1's parent is j and its pattern is j's plus j itself */
static int sn_symbolic(gt_t *g)
{
    long nf = g->nf;
    size_t snf = (size_t)(nf > 0 ? nf : 1);
    gt_sn *s = calloc(1, sizeof *s);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory (supernodes, %ld states)", nf);
    g->sn = s;
    s->first = malloc(sizeof(long) * (snf + 1));
    s->snode = malloc(sizeof(long) * snf);
    s->sb = malloc(sizeof(long) * snf);
    if (!s->first || !s->snode || !s->sb)
        return hl_fail(HL_ENOMEM, "out of memory (supernodes, %ld states)", nf);
    long ns = 0;
    for (long j = 0; j < nf; j++) {
        int join = j > 0 && g->parent[j - 1] == j &&
                   g->lp[j] - g->lp[j - 1] == g->lp[j + 1] - g->lp[j] + 1;
        if (!join)
            s->first[ns++] = j;
        s->snode[j] = ns - 1;
    }
    s->first[ns] = nf;
    s->ns = ns;
    s->bx = malloc(sizeof(size_t) * ((size_t)ns + 1));
    if (!s->bx)
        return hl_fail(HL_ENOMEM, "out of memory (supernodes, %ld states)", nf);
    s->bx[0] = 0;
    for (long q = 0; q < ns; q++) {
        long f = s->first[q], nc = s->first[q + 1] - f;
        size_t nr = (size_t)(g->lp[f + 1] - g->lp[f]) + 1;
        s->bx[q + 1] = s->bx[q] + nr * (size_t)nc;
    }
    s->x = malloc(sizeof(double) * (s->bx[ns] ? s->bx[ns] : 1));
    if (!s->x)
        return hl_fail(HL_ENOMEM, "out of memory (supernodes: %zu doubles for %ld states)",
                       s->bx[ns], nf);
    s->flops = hl_gt_flops(g);
    return HL_OK;
}

/* row r of supernode q (r = 0: its first column) */
static inline long sn_row(const gt_t *g, long f, long r)
{
    return r == 0 ? f : g->li[g->lp[f] + r - 1];
}

/* position of row v in supernode q's rows (v in its pattern) */
static long sn_pos(const gt_t *g, long q, long v)
{
    const gt_sn *s = g->sn;
    long f = s->first[q], l = s->first[q + 1];
    if (v < l)
        return v - f;
    long nc = l - f;
    /* rows nc.. are li[lp[f] + nc - 1 ..], sorted */
    long lo = g->lp[f] + nc - 1, hi = g->lp[f + 1] - 1;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (g->li[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - (g->lp[f] - 1);
}

static int good(double v)
{
    return v >= LO && v <= HI;
}

/* the scattered update: U (m x nc, column c for row rows[c0 + c], rows
 * rows[c0 + c ..]) added into the owners' blocks.  The position of a row
 * in the owner's rows: its own columns directly, the others by binary
 * search, or through map (nf) filled with the owner's other rows when that
 * is cheaper */
static void sn_scatter(gt_t *g, const long *rows, long nr, long c0, long nc, const double *u,
                       long m, long *rp, long *map)
{
    gt_sn *s = g->sn;
    long cur = -1;
    for (long c = c0; c < c0 + nc; c++) {
        long r = rows[c], t = s->snode[r];
        long tf = s->first[t], tl = s->first[t + 1];
        long tnr = g->lp[tf + 1] - g->lp[tf] + 1;
        if (t != cur) {
            cur = t;
            long i = c;
            for (; i < nr && rows[i] < tl; i++)
                rp[i] = rows[i] - tf;
            long rest = nr - i, other = tnr - (tl - tf);
            if (rest > 0 && (double)rest * log2((double)other + 2.0) > (double)other) {
                const int *rl = g->li + g->lp[tf] + (tl - tf) - 1;
                for (long q = 0; q < other; q++)
                    map[rl[q]] = (tl - tf) + q;
                for (; i < nr; i++)
                    rp[i] = map[rows[i]];
            } else {
                for (; i < nr; i++)
                    rp[i] = sn_pos(g, t, rows[i]);
            }
        }
        double *tb = s->x + s->bx[t] + (size_t)(r - tf) * (size_t)tnr;
        const double *uc = u + (size_t)(c - c0) * (size_t)m;
        for (long i = c; i < nr; i++)
            tb[rp[i]] += uc[i - c0];
    }
}

int hl_gt_numeric_sn(gt_t *g, hl_xf lambda_xf)
{
    long nf = g->nf;
    size_t snf = (size_t)(nf > 0 ? nf : 1);
    double lambda = hl_gt_to_double(lambda_xf, 0);
    if (isnan(lambda))
        return HL_EDOM;
    int shifted = lambda_xf.m != 0.0;
    int st = HL_OK;
    if (!g->sn && (st = sn_symbolic(g)))
        return st;
    if (!g->dg && !(g->dg = malloc(sizeof(hl_xf) * snf)))
        return hl_fail(HL_ENOMEM, "out of memory (graph transformation, %ld states)", nf);
    gt_sn *s = g->sn;
    dgemm_fn dgemm_ = find_dgemm();
    if (!dgemm_)
        return HL_EDOM; /* no BLAS loaded: the scalar elimination */
    long maxr = 1, maxw = 1;
    for (long q = 0; q < s->ns; q++) {
        long f = s->first[q], nc = s->first[q + 1] - f, nr = g->lp[f + 1] - g->lp[f] + 1;
        if (nr > maxr)
            maxr = nr;
        if ((nr - nc) * nc > maxw)
            maxw = (nr - nc) * nc;
        if (nr * NB > maxw)
            maxw = nr * NB;
    }
    double *ev = malloc(sizeof(double) * snf), *tm = malloc(sizeof(double) * snf);
    double *inv = malloc(sizeof(double) * snf);
    long *rows = malloc(sizeof(long) * (size_t)maxr), *rp = malloc(sizeof(long) * (size_t)maxr);
    long *map = malloc(sizeof(long) * snf);
    double *w = malloc(sizeof(double) * (size_t)maxw);
    double *u = malloc(sizeof(double) * (size_t)maxr * UCHUNK);
    if (!ev || !tm || !inv || !rows || !rp || !map || !w || !u) {
        st = hl_fail(HL_ENOMEM, "out of memory (graph transformation, %ld states)", nf);
        goto done;
    }
    long *sb = s->sb;
    for (long k = 0; k < nf; k++) {
        sb[k] = g->rhs[k].m > 0 ? hl_gt_scale_bits(g->rhs[k]) : 0;
        inv[k] = ldexp(1.0, (int)-sb[k]);
        double a = hl_gt_to_double(g->gab[k], sb[k]), e = hl_gt_to_double(g->ge[k], sb[k]);
        tm[k] = shifted ? hl_gt_to_double(g->rhs[k], sb[k]) : 0.0;
        if (isnan(a) || isnan(e) || isnan(tm[k])) {
            st = HL_EDOM;
            goto done;
        }
        ev[k] = a + e;
    }
    /* the conductances into the blocks */
    memset(s->x, 0, sizeof(double) * s->bx[s->ns]);
    for (long q = 0; q < s->ns; q++) {
        long f = s->first[q], l = s->first[q + 1], nr = g->lp[f + 1] - g->lp[f] + 1;
        double *b = s->x + s->bx[q];
        for (long j = f; j < l; j++)
            for (long p = g->ap[j]; p < g->ap[j + 1]; p++) {
                long i = g->ai[p];
                if (i <= j)
                    continue;
                double v = hl_gt_to_double(g->ax[p], sb[j] + sb[i]);
                if (isnan(v)) {
                    st = HL_EDOM;
                    goto done;
                }
                b[(size_t)(j - f) * (size_t)nr + (size_t)sn_pos(g, q, i)] += v;
            }
    }
    g->margin = 1.0;
    g->margin_state = -1;
    const double one = 1.0, zero = 0.0;
    for (long q = 0; q < s->ns; q++) {
        long f = s->first[q], nc = s->first[q + 1] - f, nr = g->lp[f + 1] - g->lp[f] + 1;
        double *b = s->x + s->bx[q];
        for (long r = 0; r < nr; r++)
            rows[r] = sn_row(g, f, r);
        for (long p0 = 0; p0 < nc; p0 += NB) {
            long p1 = p0 + NB < nc ? p0 + NB : nc;
            for (long j = p0; j < p1; j++) {
                double *col = b + (size_t)j * (size_t)nr;
                long k = f + j;
                double t = ev[k];
                for (long i = j + 1; i < nr; i++) {
                    if (!good(col[i])) { /* a sum of positive terms: 0 is underflow */
                        st = HL_EDOM;
                        goto done;
                    }
                    t += col[i] * inv[rows[i]];
                }
                double d = ldexp(t, (int)sb[k]);
                if ((ev[k] != 0.0 && !good(ev[k])) || (shifted && !good(tm[k])) || !(d <= HI)) {
                    st = HL_EDOM;
                    goto done;
                }
                st = hl_gt_pivot_double(g, k, shifted,
                                        shifted ? lambda * ldexp(tm[k], (int)sb[k]) : 0.0, LO,
                                        &d);
                if (st)
                    goto done;
                col[j] = d;
                double te = ev[k] / d, tt = tm[k] / d;
                for (long i = j + 1; i < nr; i++) {
                    ev[rows[i]] += col[i] * te;
                    if (shifted)
                        tm[rows[i]] += col[i] * tt;
                }
                for (long j2 = j + 1; j2 < p1; j2++) {
                    double fac = col[j2] / d;
                    double *c2 = b + (size_t)j2 * (size_t)nr;
                    for (long i = j2; i < nr; i++)
                        c2[i] += col[i] * fac;
                }
            }
            if (p1 < nc) { /* the columns right of the panel */
                int m = (int)(nr - p1), kk = (int)(p1 - p0), ld = (int)nr;
                for (long c = p0; c < p1; c++) {
                    double d = b[(size_t)c * (size_t)nr + (size_t)c];
                    const double *src = b + (size_t)c * (size_t)nr + (size_t)p1;
                    double *dst = w + (size_t)(c - p0) * (size_t)m;
                    for (long i = 0; i < m; i++)
                        dst[i] = src[i] / d;
                }
                /* in column chunks from their diagonal down (the upper
                 * triangle is not needed) */
                for (long cb = p1; cb < nc; cb += UCHUNK) {
                    int mm = (int)(nr - cb), nn = (int)(cb + UCHUNK < nc ? UCHUNK : nc - cb);
                    dgemm_("N", "T", &mm, &nn, &kk, &one, w + (cb - p1), &m,
                           b + (size_t)p0 * (size_t)nr + cb, &ld, &one,
                           b + (size_t)cb * (size_t)nr + cb, &ld);
                }
            }
        }
        long rr = nr - nc; /* the other rows: U = L_R diag(1/D) L_R^T */
        if (rr > 0) {
            for (long c = 0; c < nc; c++) {
                double d = b[(size_t)c * (size_t)nr + (size_t)c];
                const double *src = b + (size_t)c * (size_t)nr + (size_t)nc;
                double *dst = w + (size_t)c * (size_t)rr;
                for (long i = 0; i < rr; i++)
                    dst[i] = src[i] / d;
            }
            for (long c0 = 0; c0 < rr; c0 += UCHUNK) {
                long c1 = c0 + UCHUNK < rr ? c0 + UCHUNK : rr;
                int m = (int)(rr - c0), n = (int)(c1 - c0), kk = (int)nc, ldw = (int)rr,
                    ld = (int)nr;
                dgemm_("N", "T", &m, &n, &kk, &one, w + c0, &ldw, b + nc + c0, &ld, &zero, u, &m);
                sn_scatter(g, rows + nc, rr, c0, c1 - c0, u, m, rp, map);
            }
        }
    }
    for (long q = 0; q < s->ns; q++) {
        long f = s->first[q], nc = s->first[q + 1] - f, nr = g->lp[f + 1] - g->lp[f] + 1;
        for (long j = 0; j < nc; j++)
            g->dg[f + j] = hl_gt_to_xf(s->x[s->bx[q] + (size_t)j * (size_t)(nr + 1)],
                                       2 * sb[f + j]);
    }
done:
    free(ev);
    free(tm);
    free(inv);
    free(rows);
    free(rp);
    free(map);
    free(w);
    free(u);
    return st;
}

/* the solve in hl_xf from the stored doubles (when b or x leave the range) */
static void sn_solve_xf(const gt_t *g, hl_xf *b, hl_xf *x)
{
    const gt_sn *s = g->sn;
    const long *sb = s->sb;
    for (long q = 0; q < s->ns; q++) {
        long f = s->first[q], nc = s->first[q + 1] - f, nr = g->lp[f + 1] - g->lp[f] + 1;
        const double *blk = s->x + s->bx[q];
        for (long j = 0; j < nc; j++) {
            long k = f + j;
            if (b[k].m == 0.0)
                continue;
            hl_xf t = hl_xf_div(b[k], g->dg[k]);
            const double *col = blk + (size_t)j * (size_t)nr;
            for (long i = j + 1; i < nr; i++) {
                long r = sn_row(g, f, i);
                b[r] = hl_xf_add(b[r], hl_xf_mul(hl_gt_to_xf(col[i], sb[k] + sb[r]), t));
            }
        }
    }
    for (long q = s->ns - 1; q >= 0; q--) {
        long f = s->first[q], nc = s->first[q + 1] - f, nr = g->lp[f + 1] - g->lp[f] + 1;
        const double *blk = s->x + s->bx[q];
        for (long j = nc - 1; j >= 0; j--) {
            long k = f + j;
            hl_xf acc = b[k];
            const double *col = blk + (size_t)j * (size_t)nr;
            for (long i = j + 1; i < nr; i++) {
                long r = sn_row(g, f, i);
                acc = hl_xf_add(acc, hl_xf_mul(hl_gt_to_xf(col[i], sb[k] + sb[r]), x[r]));
            }
            x[k] = hl_xf_div(acc, g->dg[k]);
        }
    }
}

/* the solve in doubles of nr right-hand sides (1 or 2, interleaved: bb[2k + r]);
 * 0 when a value leaves the range */
static int sn_solve_d(const gt_t *g, int nrhs, double *bb, double *xx, const int *any)
{
    const gt_sn *s = g->sn;
    /* forward: b_r += C_rk b_k / D_k */
    for (long q = 0; q < s->ns; q++) {
        long f = s->first[q], nc = s->first[q + 1] - f, nr = g->lp[f + 1] - g->lp[f] + 1;
        const double *blk = s->x + s->bx[q];
        const int *rl = g->li + g->lp[f] - 1 + nc; /* rows nc.. of the block: rl[i - nc] */
        for (long j = 0; j < nc; j++) {
            const double *col = blk + (size_t)j * (size_t)nr;
            if (nrhs == 1) {
                double t = bb[f + j];
                if (t == 0.0)
                    continue;
                if (!good(t))
                    return 0;
                t /= col[j];
                for (long i = j + 1; i < nc; i++)
                    bb[f + i] += col[i] * t;
                for (long i = nc; i < nr; i++)
                    bb[rl[i - nc]] += col[i] * t;
            } else {
                double t0 = bb[2 * (f + j)], t1 = bb[2 * (f + j) + 1];
                if ((t0 != 0.0 && !good(t0)) || (t1 != 0.0 && !good(t1)))
                    return 0;
                t0 /= col[j];
                t1 /= col[j];
                for (long i = j + 1; i < nc; i++) {
                    bb[2 * (f + i)] += col[i] * t0;
                    bb[2 * (f + i) + 1] += col[i] * t1;
                }
                for (long i = nc; i < nr; i++) {
                    long r = rl[i - nc];
                    bb[2 * r] += col[i] * t0;
                    bb[2 * r + 1] += col[i] * t1;
                }
            }
        }
    }
    /* back: x_k = (b_k + sum_r C_rk x_r) / D_k */
    for (long q = s->ns - 1; q >= 0; q--) {
        long f = s->first[q], nc = s->first[q + 1] - f, nr = g->lp[f + 1] - g->lp[f] + 1;
        const double *blk = s->x + s->bx[q];
        const int *rl = g->li + g->lp[f] - 1 + nc;
        for (long j = nc - 1; j >= 0; j--) {
            const double *col = blk + (size_t)j * (size_t)nr;
            if (nrhs == 1) {
                double acc = bb[f + j];
                for (long i = j + 1; i < nc; i++)
                    acc += col[i] * xx[f + i];
                for (long i = nc; i < nr; i++)
                    acc += col[i] * xx[rl[i - nc]];
                xx[f + j] = acc / col[j];
            } else {
                double a0 = bb[2 * (f + j)], a1 = bb[2 * (f + j) + 1];
                for (long i = j + 1; i < nc; i++) {
                    a0 += col[i] * xx[2 * (f + i)];
                    a1 += col[i] * xx[2 * (f + i) + 1];
                }
                for (long i = nc; i < nr; i++) {
                    long r = rl[i - nc];
                    a0 += col[i] * xx[2 * r];
                    a1 += col[i] * xx[2 * r + 1];
                }
                xx[2 * (f + j)] = a0 / col[j];
                xx[2 * (f + j) + 1] = a1 / col[j];
            }
            /* x = G b > 0 where b is not all 0 (G > 0 on a connected
             * component): 0 or tiny is underflow */
            for (int r = 0; r < nrhs; r++) {
                double v = xx[nrhs * (f + j) + r];
                if (!good(v) && !(v == 0.0 && !any[r]))
                    return 0;
            }
        }
    }
    return 1;
}

/* Two right-hand sides on two threads (above SOLVE2_PAR states, when
 * OpenMP may use two): each its own single solve, the same operations in
 * the same order as the interleaved solve of both (the results bit for
 * bit), the factor read by both at once (the solves are bound by memory
 * and its latency: k = 4 blocks at D = 60, 65 M stored values, 0.17 s of
 * CPU for the pair on one thread) */
#define SOLVE2_PAR 20000
static int sn_solve_par(const gt_t *g, double *bb, double *xx, const int *any)
{
    long nf = g->nf;
    int ok[2] = {1, 1};
#pragma omp parallel for num_threads(2) schedule(static, 1)
    for (int r = 0; r < 2; r++)
        ok[r] = sn_solve_d(g, 1, bb + (size_t)r * (size_t)nf, xx + (size_t)r * (size_t)nf,
                           any + r);
    return ok[0] && ok[1];
}

void hl_gt_sn_solve2(const gt_t *g, hl_xf *b0, hl_xf *x0, hl_xf *b1, hl_xf *x1)
{
    const long *sb = g->sn->sb;
    long nf = g->nf;
    int nrhs = b1 ? 2 : 1;
    int par = nrhs == 2 && nf > SOLVE2_PAR && omp_get_max_threads() > 1 && !omp_in_parallel();
    size_t sz = (size_t)(nf > 0 ? nf : 1) * (size_t)nrhs;
    /* b_r[k] at bb[ir * k + r * jr]: interleaved, or one after the other */
    size_t ir = par ? 1 : (size_t)nrhs, jr = par ? (size_t)nf : 1;
    double *bb = malloc(sizeof(double) * sz), *xx = malloc(sizeof(double) * sz);
    hl_xf *bs[2] = {b0, b1}, *xs[2] = {x0, x1};
    int ok = bb && xx, any[2] = {0, 0};
    for (int r = 0; r < nrhs; r++)
        for (long k = 0; ok && k < nf; k++) {
            double v = hl_gt_to_double(bs[r][k], sb[k]);
            bb[ir * (size_t)k + (size_t)r * jr] = v;
            ok = !isnan(v);
            any[r] |= v != 0.0;
        }
    if (ok)
        ok = par ? sn_solve_par(g, bb, xx, any) : sn_solve_d(g, nrhs, bb, xx, any);
    if (ok) {
        for (int r = 0; r < nrhs; r++)
            for (long k = 0; k < nf; k++) {
                bs[r][k] = hl_gt_to_xf(bb[ir * (size_t)k + (size_t)r * jr], sb[k]);
                xs[r][k] = hl_gt_to_xf(xx[ir * (size_t)k + (size_t)r * jr], -sb[k]);
            }
    } else {
        for (int r = 0; r < nrhs; r++)
            sn_solve_xf(g, bs[r], xs[r]);
    }
    free(bb);
    free(xx);
}

void hl_gt_sn_solve(const gt_t *g, hl_xf *b, hl_xf *x)
{
    hl_gt_sn_solve2(g, b, x, NULL, NULL);
}

void hl_gt_sn_export(const gt_t *g, hl_xf *lx, hl_xf *dg)
{
    const gt_sn *s = g->sn;
    for (long q = 0; q < s->ns; q++) {
        long f = s->first[q], nc = s->first[q + 1] - f, nr = g->lp[f + 1] - g->lp[f] + 1;
        const double *blk = s->x + s->bx[q];
        for (long j = 0; j < nc; j++) {
            long k = f + j;
            const double *col = blk + (size_t)j * (size_t)nr;
            dg[k] = g->dg[k];
            for (long i = j + 1; i < nr; i++) {
                long r = sn_row(g, f, i);
                lx[g->lp[k] + i - j - 1] = hl_gt_to_xf(col[i], s->sb[k] + s->sb[r]);
            }
        }
    }
}
