/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exact_general.c -- the exact sums of exact.c on the general path (any
 * phi): the (D/2+1)^2 lattice is summed in leaves of HL_EXACT_LEAF^2 classes
 * found by a quadtree whose blocks are dropped when a rigorous upper bound
 * of ln Q on them (monotone bounds of ln C, a Lipschitz bound of phi) is
 * below ln(1e-300) of the largest term; the dropped weight is bounded and
 * reported.  Basins by steepest ascent over the leaves. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact_private.h"

#define HL_EXACT_LEAF 32

/* A leaf: HL_EXACT_LEAF^2 classes from (a0, b0), their phi (NaN outside the
 * lattice) and basin labels.  ln Q = ln W - beta D phi is formed where it is
 * needed (leaf_lnq), always by the same expression; the sums take phi
 * itself, never phi reconstructed from ln Q (which loses every digit of
 * beta D phi below the round-off of ln W, at small beta). */
struct hl_exact_leaf {
    long a0, b0;
    double phi[HL_EXACT_LEAF * HL_EXACT_LEAF];
    unsigned char label[HL_EXACT_LEAF * HL_EXACT_LEAF];
};

static inline double leaf_lnq(const hl_exact *ex, const struct hl_exact_leaf *L, int q)
{
    double ph = L->phi[q];
    if (isnan(ph))
        return -INFINITY;
    long a = L->a0 + q / HL_EXACT_LEAF, b = L->b0 + q % HL_EXACT_LEAF;
    return ex->lnc[a] + ex->lnc[b] - ex->bd * ph;
}

/* ------------------------------------------------------------ general */

static size_t hash_key(long ia, long ib, size_t cap)
{
    uint64_t k = (uint64_t)ia * 0x9E3779B97F4A7C15ull ^ (uint64_t)ib * 0xC2B2AE3D27D4EB4Full;
    k ^= k >> 29;
    return (size_t)(k & (cap - 1));
}

static struct hl_exact_leaf *leaf_of(const hl_exact *ex, long a, long b)
{
    if (a < 0 || b < 0 || a > ex->h || b > ex->h)
        return NULL;
    long ia = a / HL_EXACT_LEAF, ib = b / HL_EXACT_LEAF;
    if (ex->tile) {
        int32_t k = ex->tile[ia * ex->ntile + ib];
        return k < 0 ? NULL : &ex->leaves[k];
    }
    if (!ex->hash_cap)
        return NULL;
    size_t i = hash_key(ia, ib, ex->hash_cap);
    while (ex->hash[i] >= 0) {
        struct hl_exact_leaf *L = &ex->leaves[ex->hash[i]];
        if (L->a0 == ia * HL_EXACT_LEAF && L->b0 == ib * HL_EXACT_LEAF)
            return L;
        i = (i + 1) & (ex->hash_cap - 1);
    }
    return NULL;
}

static double lnq_at(const hl_exact *ex, long a, long b)
{
    struct hl_exact_leaf *L = leaf_of(ex, a, b);
    if (!L)
        return -INFINITY;
    return leaf_lnq(ex, L, (int)((a - L->a0) * HL_EXACT_LEAF + (b - L->b0)));
}

typedef struct {
    hl_exact *ex;
    double beta, thr, gs, gd, neglected;
    int oom;
    double done, total; /* lattice area visited, for progress */
} tree_ctx;

static double max_lnc(const double *lnc, long h, long lo, long hi)
{
    long mid = h / 2;
    if (lo <= mid && mid <= hi)
        return lnc[mid];
    return lo > mid ? lnc[lo] : lnc[hi];
}

static void add_leaf(tree_ctx *t, long a0, long b0)
{
    hl_exact *ex = t->ex;
    if (ex->nleaf == ex->cap_leaf) {
        size_t nc = ex->cap_leaf ? ex->cap_leaf * 2 : 64;
        struct hl_exact_leaf *nl = realloc(ex->leaves, nc * sizeof *nl);
        if (!nl) {
            t->oom = 1;
            return;
        }
        ex->leaves = nl;
        ex->cap_leaf = nc;
    }
    struct hl_exact_leaf *L = &ex->leaves[ex->nleaf++];
    L->a0 = a0;
    L->b0 = b0;
    long h = ex->h;
    for (long i = 0; i < HL_EXACT_LEAF; i++)
        for (long j = 0; j < HL_EXACT_LEAF; j++) {
            long a = a0 + i, b = b0 + j;
            double ph = NAN;
            if (a <= h && b <= h)
                ph = ex->phi_cache ? ex->phi_cache[a * (h + 1) + b]
                                   : hl_model_phi(ex->model, hl_class_x(h, a, b),
                                                  hl_class_y(h, a, b));
            L->phi[i * HL_EXACT_LEAF + j] = ph;
            L->label[i * HL_EXACT_LEAF + j] = 0;
        }
}

static void tree(tree_ctx *t, long a0, long a1, long b0, long b1)
{
    if (t->oom)
        return;
    hl_exact *ex = t->ex;
    long h = ex->h;
    if (a0 > h || b0 > h)
        return;
    long ae = a1 < h ? a1 : h, be = b1 < h ? b1 : h;
    double ac = 0.5 * (a0 + ae), bc = 0.5 * (b0 + be);
    double sc = 2.0 * ac / h - 1.0, dc = 2.0 * bc / h - 1.0;
    double half_s = (ae - a0) / (double)h, half_d = (be - b0) / (double)h;
    double phi_lb = hl_model_phi(ex->model, 0.5 * (sc + dc), 0.5 * (sc - dc)) -
                    t->gs * half_s - t->gd * half_d;
    double ub = max_lnc(ex->lnc, h, a0, ae) + max_lnc(ex->lnc, h, b0, be) -
                t->beta * (double)ex->dim * phi_lb;
    if (ub < t->thr) {
        t->neglected += (double)(ae - a0 + 1) * (double)(be - b0 + 1) *
                        exp(ub - t->thr - HL_EXACT_LN_CUTOFF);
        t->done += (double)(a1 - a0 + 1) * (double)(b1 - b0 + 1);
        return;
    }
    if (a1 - a0 + 1 <= HL_EXACT_LEAF) {
        add_leaf(t, a0, b0);
        t->done += (double)HL_EXACT_LEAF * HL_EXACT_LEAF;
        if (ex->progress && ex->nleaf % 4096 == 0)
            ex->progress(ex->progress_ctx, 0.9 * t->done / t->total);
        return;
    }
    long am = a0 + (a1 - a0 + 1) / 2, bm = b0 + (b1 - b0 + 1) / 2;
    tree(t, a0, am - 1, b0, bm - 1);
    tree(t, a0, am - 1, bm, b1);
    tree(t, am, a1, b0, bm - 1);
    tree(t, am, a1, bm, b1);
}

#define DENSE_TILES (1L << 22)

static int build_hash(hl_exact *ex)
{
    long nt = ex->h / HL_EXACT_LEAF + 1;
    if (nt * nt <= DENSE_TILES) {
        if (!ex->tile) {
            ex->tile = malloc(sizeof(int32_t) * (size_t)(nt * nt));
            if (!ex->tile)
                return 0;
            ex->ntile = nt;
        }
        for (long i = 0; i < nt * nt; i++)
            ex->tile[i] = -1;
        for (size_t k = 0; k < ex->nleaf; k++)
            ex->tile[(ex->leaves[k].a0 / HL_EXACT_LEAF) * nt + ex->leaves[k].b0 / HL_EXACT_LEAF] = (int32_t)k;
        return 1;
    }
    size_t cap = 16;
    while (cap < 2 * ex->nleaf)
        cap *= 2;
    free(ex->hash);
    ex->hash = malloc(cap * sizeof(int64_t));
    if (!ex->hash)
        return 0;
    ex->hash_cap = cap;
    for (size_t i = 0; i < cap; i++)
        ex->hash[i] = -1;
    for (size_t k = 0; k < ex->nleaf; k++) {
        size_t i = hash_key(ex->leaves[k].a0 / HL_EXACT_LEAF, ex->leaves[k].b0 / HL_EXACT_LEAF, cap);
        while (ex->hash[i] >= 0)
            i = (i + 1) & (cap - 1);
        ex->hash[i] = (int64_t)k;
    }
    return 1;
}

/* The steepest-ascent neighbour of (a, b); returns 0 if (a, b) is a local
 * maximum.  Order of preference on ties: a+1, a-1, b+1, b-1. */
static int ascent_step(const hl_exact *ex, long *a, long *b)
{
    static const long da[4] = {1, -1, 0, 0}, db[4] = {0, 0, 1, -1};
    const struct hl_exact_leaf *L = leaf_of(ex, *a, *b);
    long i = *a - L->a0, j = *b - L->b0;
    int q0 = (int)(i * HL_EXACT_LEAF + j);
    double best = leaf_lnq(ex, L, q0);
    int k = -1;
    if (i > 0 && i < HL_EXACT_LEAF - 1 && j > 0 && j < HL_EXACT_LEAF - 1) {
        /* all four neighbours in this leaf */
        static const int off[4] = {HL_EXACT_LEAF, -HL_EXACT_LEAF, 1, -1};
        for (int q = 0; q < 4; q++) {
            double v = leaf_lnq(ex, L, q0 + off[q]);
            if (v > best) {
                best = v;
                k = q;
            }
        }
    } else {
        for (int q = 0; q < 4; q++) {
            double v = lnq_at(ex, *a + da[q], *b + db[q]);
            if (v > best) {
                best = v;
                k = q;
            }
        }
    }
    if (k < 0)
        return 0;
    *a += da[k];
    *b += db[k];
    return 1;
}

#define MAX_ENDS 250

typedef struct {
    long a, b;
    int slot;
} end_t;

/* Label every class of every leaf with the index (1..) of the local maximum
 * its ascent reaches. */
static int label_classes(hl_exact *ex, end_t *ends, int *nends)
{
    size_t cap = 1024, top = 0;
    long *stack = malloc(cap * 2 * sizeof(long));
    if (!stack)
        return hl_fail(HL_ENOMEM, "out of memory labelling basins");
    *nends = 0;
    for (size_t k = 0; k < ex->nleaf; k++) {
        for (int q = 0; q < HL_EXACT_LEAF * HL_EXACT_LEAF; q++) {
            if (ex->leaves[k].label[q])
                continue;
            long a = ex->leaves[k].a0 + q / HL_EXACT_LEAF, b = ex->leaves[k].b0 + q % HL_EXACT_LEAF;
            if (a > ex->h || b > ex->h)
                continue;
            top = 0;
            unsigned char lab = 0;
            for (;;) {
                struct hl_exact_leaf *L = leaf_of(ex, a, b);
                unsigned char cur = L->label[(a - L->a0) * HL_EXACT_LEAF + (b - L->b0)];
                if (cur) {
                    lab = cur;
                    break;
                }
                if (top == cap) {
                    cap *= 2;
                    long *ns = realloc(stack, cap * 2 * sizeof(long));
                    if (!ns) {
                        free(stack);
                        return hl_fail(HL_ENOMEM, "out of memory labelling basins");
                    }
                    stack = ns;
                }
                stack[2 * top] = a;
                stack[2 * top + 1] = b;
                top++;
                long na = a, nb = b;
                if (!ascent_step(ex, &na, &nb)) {
                    if (*nends >= MAX_ENDS) {
                        free(stack);
                        return hl_fail(HL_ERANGE, "more than %d local maxima of "
                                                  "ln Q; phi is too rugged",
                                       MAX_ENDS);
                    }
                    ends[*nends].a = a;
                    ends[*nends].b = b;
                    lab = (unsigned char)(++*nends);
                    break;
                }
                a = na;
                b = nb;
            }
            for (size_t i = 0; i < top; i++) {
                struct hl_exact_leaf *L = leaf_of(ex, stack[2 * i], stack[2 * i + 1]);
                L->label[(stack[2 * i] - L->a0) * HL_EXACT_LEAF + (stack[2 * i + 1] - L->b0)] = lab;
            }
        }
    }
    free(stack);
    return HL_OK;
}

/* Memory cap for the general path's workspace. */
#define GENERAL_MAX_BYTES (6.0e9)

int hl_exact_general(hl_exact *ex, double beta, hl_exact_result *r,
                     const hl_named_maxima *c, hl_class_visitor visit,
                           void *ctx)
{
    long h = ex->h;
    double D = (double)ex->dim;
    /* lower bound of the largest ln Q: the classes nearest the maxima */
    double m0 = -INFINITY;
    for (size_t k = 0; k < c->n; k++) {
        double s = c->mx[k].x + c->mx[k].y, d = c->mx[k].x - c->mx[k].y;
        long a = lround((s + 1) * h / 2), b = lround((d + 1) * h / 2);
        if (a < 0) a = 0;
        if (b < 0) b = 0;
        if (a > h) a = h;
        if (b > h) b = h;
        double v = ex->lnc[a] + ex->lnc[b] -
                   beta * D * hl_model_phi(ex->model, hl_class_x(h, a, b), hl_class_y(h, a, b));
        if (v > m0)
            m0 = v;
    }
    if (!isfinite(m0))
        m0 = ex->lnc[h / 2] * 2 - beta * D * hl_model_phi(ex->model, 0, 0);
    tree_ctx t = {ex, beta, m0 - HL_EXACT_LN_CUTOFF, 0, 0, 0, 0, 0, 0};
    ex->bd = beta * D; /* leaf_lnq */
    hl_model_gradient_bounds(ex->model, &t.gs, &t.gd);
    ex->nleaf = 0;
    long side = HL_EXACT_LEAF;
    while (side < h + 1)
        side *= 2;
    t.total = (double)side * (double)side;
    tree(&t, 0, side - 1, 0, side - 1);
    if (t.oom)
        return hl_fail(HL_ENOMEM, "out of memory summing classes at D = %ld", ex->dim);
    double bytes = (double)ex->nleaf * sizeof(struct hl_exact_leaf);
    if (bytes > GENERAL_MAX_BYTES)
        return hl_fail(HL_ERANGE, "D = %ld with this phi needs %.1f GB for the "
                                  "general exact sum (limit %.0f GB)",
                       ex->dim, bytes / 1e9, GENERAL_MAX_BYTES / 1e9);
    if (!build_hash(ex))
        return hl_fail(HL_ENOMEM, "out of memory");
    end_t ends[MAX_ENDS];
    int nends;
    int st = label_classes(ex, ends, &nends);
    if (st)
        return st;
    hl_basins_init(r->basins, &r->n_basins, ex->model, c);
    double mx = -INFINITY;
    for (size_t k = 0; k < ex->nleaf; k++)
        for (int q = 0; q < HL_EXACT_LEAF * HL_EXACT_LEAF; q++) {
            double v = leaf_lnq(ex, &ex->leaves[k], q);
            if (v > mx)
                mx = v;
        }
    double best_end[HL_MAX_BASINS];
    for (int k = 0; k < HL_MAX_BASINS; k++)
        best_end[k] = -INFINITY;
    for (int e = 0; e < nends; e++) {
        double xe = hl_class_x(h, ends[e].a, ends[e].b), ye = hl_class_y(h, ends[e].a, ends[e].b);
        ends[e].slot = hl_basin_slot(r->basins, &r->n_basins, hl_named_maxima_nearest(c, xe, ye));
        if (ends[e].slot < 0)
            return hl_fail(HL_ERANGE, "more than %d basins", HL_MAX_BASINS);
        double v = lnq_at(ex, ends[e].a, ends[e].b);
        if (ends[e].slot >= 0 && v > best_end[ends[e].slot]) {
            best_end[ends[e].slot] = v;
            r->basins[ends[e].slot].x = xe;
            r->basins[ends[e].slot].y = ye;
        }
    }
    /* the reference of the moments: the largest class (ar, br), and of each
     * basin's: its largest class (an end of the ascent) */
    long ar = -1, br = -1;
    double bmax[HL_MAX_BASINS];
    long bra[HL_MAX_BASINS], brb[HL_MAX_BASINS];
    for (int k = 0; k < HL_MAX_BASINS; k++) {
        bmax[k] = -INFINITY;
        bra[k] = brb[k] = -1;
    }
    for (size_t k = 0; k < ex->nleaf; k++)
        for (int q = 0; q < HL_EXACT_LEAF * HL_EXACT_LEAF; q++) {
            const struct hl_exact_leaf *L = &ex->leaves[k];
            double v = leaf_lnq(ex, L, q);
            if (v == -INFINITY)
                continue;
            long a = L->a0 + q / HL_EXACT_LEAF, b = L->b0 + q % HL_EXACT_LEAF;
            if (v == mx && ar < 0) {
                ar = a;
                br = b;
            }
            int slot = ends[L->label[q] - 1].slot;
            if (slot >= 0 && v > bmax[slot]) {
                bmax[slot] = v;
                bra[slot] = a;
                brb[slot] = b;
            }
        }
    const double bd = ex->bd;
    const double x0 = hl_class_x(h, ar, br), y0 = hl_class_y(h, ar, br);
    const double lnw0 = ex->lnc[ar] + ex->lnc[br];
    const struct hl_exact_leaf *L0 = leaf_of(ex, ar, br);
    const double p0 = L0->phi[(ar - L0->a0) * HL_EXACT_LEAF + (br - L0->b0)];
    double blnw[HL_MAX_BASINS], bphi[HL_MAX_BASINS];
    for (int k = 0; k < r->n_basins; k++)
        if (bra[k] >= 0) {
            const struct hl_exact_leaf *Lb = leaf_of(ex, bra[k], brb[k]);
            blnw[k] = ex->lnc[bra[k]] + ex->lnc[brb[k]];
            bphi[k] = Lb->phi[(bra[k] - Lb->a0) * HL_EXACT_LEAF + (brb[k] - Lb->b0)];
        }
    /* whole system: phi moments (hl_m_add) and those of x, y; per basin:
     * hl_m_add relative to its own largest term, so that a basin far
     * below 1e-308 keeps its digits.  Double partial sums per leaf (at most
     * HL_EXACT_LEAF^2 terms), long double across leaves. */
    long double am[HL_M_N] = {0}, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, sax = 0, say = 0;
    long double bacc[HL_MAX_BASINS][HL_M_N];
    memset(bacc, 0, sizeof bacc);
    long bskip[HL_MAX_BASINS] = {0};
    long summed = 0, below = 0; /* below: classes under 1e-300 of the largest */
    int nb = r->n_basins;
    for (size_t k = 0; k < ex->nleaf; k++) {
        const struct hl_exact_leaf *L = &ex->leaves[k];
        double pm[HL_M_N] = {0};
        double lx = 0, ly = 0, lxx = 0, lxy = 0, lyy = 0, lax = 0, lay = 0;
        double pb[HL_MAX_BASINS][HL_M_N];
        unsigned char used[HL_MAX_BASINS] = {0};
        for (int q = 0; q < HL_EXACT_LEAF * HL_EXACT_LEAF; q++) {
            double v = leaf_lnq(ex, L, q);
            if (v == -INFINITY)
                continue;
            int slot = ends[L->label[q] - 1].slot;
            long a = L->a0 + q / HL_EXACT_LEAF, b = L->b0 + q % HL_EXACT_LEAF;
            double lnw = ex->lnc[a] + ex->lnc[b], ph = L->phi[q];
            if (slot >= 0) {
                if (v - bmax[slot] >= -HL_EXACT_LN_CUTOFF) {
                    if (!used[slot]) {
                        memset(pb[slot], 0, sizeof pb[slot]);
                        used[slot] = 1;
                    }
                    double dl = lnw - blnw[slot], dp = ph - bphi[slot], t = dl - bd * dp;
                    hl_m_add(pb[slot], t, fabs(lnw) + fabs(blnw[slot]) + fabs(t) + fabs(bd * dp),
                             dp, lnw, a != bra[slot] || b != brb[slot], fabs(bphi[slot]));
                } else {
                    bskip[slot]++;
                }
            }
            if (v - mx < -HL_EXACT_LN_CUTOFF) {
                below++;
                continue;
            }
            double dl = lnw - lnw0, dp = ph - p0, t = dl - bd * dp;
            double wgt = hl_m_add(pm, t, fabs(lnw) + fabs(lnw0) + fabs(t) + fabs(bd * dp), dp,
                                  lnw, a != ar || b != br, fabs(p0));
            double u = hl_class_x(h, a, b) - x0, vv = hl_class_y(h, a, b) - y0;
            lx += wgt * u;
            ly += wgt * vv;
            lax += wgt * fabs(u);
            lay += wgt * fabs(vv);
            lxx += wgt * u * u;
            lxy += wgt * u * vv;
            lyy += wgt * vv * vv;
            summed++;
        }
        hl_m_merge(am, pm);
        sx += lx;
        sy += ly;
        sax += lax;
        say += lay;
        sxx += lxx;
        sxy += lxy;
        syy += lyy;
        for (int q = 0; q < nb; q++)
            if (used[q])
                hl_m_merge(bacc[q], pb[q]);
    }
    /* error bounds (exact.h): double sums per leaf, long double across */
    const double g = (double)(HL_EXACT_LEAF * HL_EXACT_LEAF + 8) * DBL_EPSILON;
    const double eps = DBL_EPSILON;
    hl_m_result M;
    hl_m_finish(am, g, fabs(p0), &M);
    long double s0 = am[HL_M_W];
    double S0 = (double)s0;
    double lnz = mx + M.ln_s0;
    hl_exact_set_thermo(r, mx, 2 * eps * (2 * fabs(lnw0) + fabs(bd * p0)), p0, &M);
    double mxv = (double)(sx / s0), myv = (double)(sy / s0);
    r->mean_x = x0 + mxv;
    r->mean_y = y0 + myv;
    r->cov_xx = (double)(sxx / s0) - mxv * mxv;
    r->cov_xy = (double)(sxy / s0) - mxv * myv;
    r->cov_yy = (double)(syy / s0) - myv * myv;
    {
        /* the weights' own error (M.werr, relative) moves a mean by at most
         * 2 werr <|u|>, a second moment by 2 werr <u^2> */
        double gw = g + 2 * M.werr;
        double exx = (double)(sxx / s0), eyy = (double)(syy / s0);
        r->mean_x_bound = gw * (double)(sax / s0) + g * fabs(mxv) + eps * (fabs(x0) + fabs(mxv));
        r->mean_y_bound = gw * (double)(say / s0) + g * fabs(myv) + eps * (fabs(y0) + fabs(myv));
        r->cov_xx_bound = gw * (exx + 2 * mxv * mxv) + eps * fabs(r->cov_xx);
        r->cov_xy_bound = gw * (sqrt(exx * eyy) + 2 * fabs(mxv * myv)) + eps * fabs(r->cov_xy);
        r->cov_yy_bound = gw * (eyy + 2 * myv * myv) + eps * fabs(r->cov_yy);
        r->mean_x = hl_exact_roundoff(r->mean_x, r->mean_x_bound);
        r->mean_y = hl_exact_roundoff(r->mean_y, r->mean_y_bound);
        r->cov_xx = hl_exact_roundoff(r->cov_xx, r->cov_xx_bound);
        r->cov_xy = hl_exact_roundoff(r->cov_xy, r->cov_xy_bound);
        r->cov_yy = hl_exact_roundoff(r->cov_yy, r->cov_yy_bound);
    }
    r->classes_summed = summed;
    r->neglected_bound = (t.neglected * exp(t.thr + HL_EXACT_LN_CUTOFF - mx) +
                          (double)below * exp(-HL_EXACT_LN_CUTOFF)) / S0;
    r->separable_path = 0;
    /* each basin's own sums; what they leave out, relative to Z_b: the
     * blocks the quadtree dropped (their bound is relative to Z, so
     * divided by P_b) and its classes below 1e-300 of its largest term */
    for (int k = 0; k < nb; k++)
        if (bra[k] >= 0 && bacc[k][HL_M_W] > 0) {
            hl_m_result mb;
            hl_m_finish(bacc[k], g, fabs(bphi[k]), &mb);
            double lnb = bmax[k] + mb.ln_s0;
            r->basins[k].ln_probability = lnb;
            double ln_pb = lnb - lnz;
            double bound = (double)bskip[k] * exp(-HL_EXACT_LN_CUTOFF) / (double)bacc[k][HL_M_W];
            if (t.neglected > 0)
                bound += exp(log(t.neglected) + t.thr + HL_EXACT_LN_CUTOFF - mx - M.ln_s0 - ln_pb);
            hl_exact_basin_thermo(r, k, lnb,
                                  2 * eps * (2 * fabs(blnw[k]) + fabs(bd * bphi[k])) + mb.werr +
                                      4 * eps * mb.ln_s0,
                                  bphi[k], &mb, bound);
        }
    hl_exact_finish_basins(r, lnz);
    if (visit) {
        for (size_t k = 0; k < ex->nleaf && !st; k++) {
            struct hl_exact_leaf *L = &ex->leaves[k];
            for (int q = 0; q < HL_EXACT_LEAF * HL_EXACT_LEAF; q++) {
                double v = leaf_lnq(ex, L, q);
                if (v == -INFINITY || v - mx < -HL_EXACT_LN_CUTOFF)
                    continue;
                long a = L->a0 + q / HL_EXACT_LEAF, b = L->b0 + q % HL_EXACT_LEAF;
                int slot = ends[L->label[q] - 1].slot;
                if (visit(ctx, a + b, a, hl_class_x(h, a, b), hl_class_y(h, a, b), v - lnz,
                          slot >= 0 ? r->basins[slot].name : "none")) {
                    st = hl_fail(HL_EINVAL, "class visitor stopped");
                    break;
                }
            }
        }
    }
    return st;
}
