/* exact.c -- exact finite-D thermodynamics: Z = sum W exp(-beta D phi)
 * over the classes (n, n1) (eqs 4.9, 4.11), moments, heat capacity, and the
 * steepest-ascent basins of ln Q_eq over the kinetic moves of eq 5.6.
 *
 * Two paths.  The separable path (the paper's phi = s + g(d), s = x + y,
 * d = x - y) factorises Z into two one-dimensional sums over a = n1 and
 * b = n - n1; the steepest ascent then moves b exactly as a 1-D ascent of
 * ln C(h, b) - beta D g(d_b).  The general path sums the (D/2+1)^2 lattice
 * in leaves of LEAF x LEAF classes found by a quadtree whose blocks are
 * dropped when a rigorous upper bound of ln Q on them (monotone bounds of
 * ln C, a Lipschitz bound of phi) is below ln(1e-300) of the largest term;
 * the dropped weight is bounded and reported. */
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "internal.h"

#define LN_CUTOFF 690.7755278982137 /* -ln(1e-300) */
#define LEAF 32
#define PHI_CACHE_MAX (1L << 23) /* classes: 64 MB of phi values */

struct hl_exact {
    const hl_model *model;
    long dim, h;
    int separable;
    double *lnc;  /* ln C(h, k), k = 0..h */
    double *gb;   /* separable: g(d_b) = phi(x, y) - s at b */
    /* general path workspace */
    size_t nleaf, cap_leaf;
    struct leaf *leaves;
    int64_t *hash;      /* leaf index by tile: open addressing ...     */
    size_t hash_cap;
    int32_t *tile;      /* ... or a dense tile grid when it is small     */
    long ntile;         /* tiles per side                               */
    double *phi_cache;  /* phi on the whole lattice (beta-independent),
                           kept when the lattice is small enough         */
    hl_progress_fn progress;
    void *progress_ctx;
};

void hl_exact_set_progress(hl_exact *ex, hl_progress_fn fn, void *ctx)
{
    if (!ex)
        return;
    ex->progress = fn;
    ex->progress_ctx = ctx;
}

struct leaf {
    long a0, b0;
    double lnq[LEAF * LEAF];
    unsigned char label[LEAF * LEAF];
};

void hl_exact_free(hl_exact *ex)
{
    if (!ex)
        return;
    free(ex->lnc);
    free(ex->gb);
    free(ex->leaves);
    free(ex->hash);
    free(ex->tile);
    free(ex->phi_cache);
    free(ex);
}

int hl_exact_create(const hl_model *m, long dim, int method, hl_exact **out)
{
    if (!m || !out)
        return hl_fail(HL_EINVAL, "hl_exact_create: NULL argument");
    *out = NULL;
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if (method == HL_EXACT_SEPARABLE && !hl_model_is_default(m))
        return hl_fail(HL_EINVAL, "the separable path needs the paper's phi "
                                  "(eq 4.11); this model is a user formula");
    hl_exact *ex = calloc(1, sizeof *ex);
    if (!ex)
        return hl_fail(HL_ENOMEM, "out of memory");
    ex->model = m;
    ex->dim = dim;
    ex->h = dim / 2;
    ex->separable = method == HL_EXACT_SEPARABLE ||
                    (method == HL_EXACT_AUTO && hl_model_is_default(m));
    ex->lnc = malloc(sizeof(double) * (size_t)(ex->h + 1));
    if (!ex->lnc)
        goto nomem;
    for (long k = 0; k <= ex->h; k++)
        ex->lnc[k] = hl_lnchoose(ex->h, k);
    if (ex->separable) {
        ex->gb = malloc(sizeof(double) * (size_t)(ex->h + 1));
        if (!ex->gb)
            goto nomem;
        for (long b = 0; b <= ex->h; b++) {
            double d = 2.0 * b / ex->h - 1.0;
            /* phi(x, y) - s at s = 0 */
            ex->gb[b] = hl_model_phi(m, 0.5 * d, -0.5 * d);
        }
    }
    if (!ex->separable && (ex->h + 1) * (ex->h + 1) <= PHI_CACHE_MAX) {
        long n = ex->h + 1;
        ex->phi_cache = malloc(sizeof(double) * (size_t)(n * n));
        if (!ex->phi_cache)
            goto nomem;
        for (long a = 0; a < n; a++)
            for (long b = 0; b < n; b++) {
                int st = hl_class_phi(m, ex->h, a, b, &ex->phi_cache[a * n + b]);
                if (st) {
                    hl_exact_free(ex);
                    return st;
                }
            }
    }
    *out = ex;
    return HL_OK;
nomem:
    hl_exact_free(ex);
    return hl_fail(HL_ENOMEM, "out of memory planning exact sums at D = %ld",
                   dim);
}

/* ------------------------------------------------------------ helpers */





static void finish_basins(hl_exact_result *r, double ln_total)
{
    for (int k = 0; k < r->n_basins; k++) {
        hl_basin *b = &r->basins[k];
        if (b->ln_probability == -INFINITY) {
            b->probability = 0;
        } else {
            b->ln_probability -= ln_total;
            if (b->ln_probability > 0)
                b->ln_probability = 0;
            b->probability = exp(b->ln_probability);
        }
    }
}

typedef struct {
    double lnz, mean, var, mean_lnc;
} moments_1d;

static moments_1d sum_1d(const double *lv, const double *val, const double *lnc,
                         long h)
{
    double mx = -INFINITY;
    for (long k = 0; k <= h; k++)
        if (lv[k] > mx)
            mx = lv[k];
    long double s0 = 0, s1 = 0, s2 = 0, sc = 0;
    /* centre on the value at the largest term for stable variances */
    double c0 = 0;
    for (long k = 0; k <= h; k++)
        if (lv[k] == mx) {
            c0 = val[k];
            break;
        }
    for (long k = 0; k <= h; k++) {
        double wgt = exp(lv[k] - mx);
        double u = val[k] - c0;
        s0 += wgt;
        s1 += wgt * u;
        s2 += wgt * u * u;
        sc += wgt * lnc[k];
    }
    moments_1d r;
    r.lnz = mx + log((double)s0);
    double m1 = (double)(s1 / s0);
    r.mean = c0 + m1;
    r.var = (double)(s2 / s0) - m1 * m1;
    if (r.var < 0)
        r.var = 0;
    r.mean_lnc = (double)(sc / s0);
    return r;
}

/* ------------------------------------------------------------ separable */

static int compute_separable(hl_exact *ex, double beta, hl_exact_result *r,
                             const hl_named_maxima *c, hl_class_visitor visit,
                             void *ctx)
{
    long h = ex->h;
    double D = (double)ex->dim;
    /* s_k = d_k = 2k/h - 1 on both chains; g at b is the plan's gb */
    double *la = calloc((size_t)(h + 1) * 3, sizeof(double));
    long *end = malloc(sizeof(long) * (size_t)(h + 1) * 2);
    if (la == NULL || end == NULL) {
        free(la);
        free(end);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    double *lb = la + (h + 1), *sv = lb + (h + 1);
    const double *gv = ex->gb;
    for (long k = 0; k <= h; k++) {
        sv[k] = 2.0 * k / h - 1.0;
        la[k] = ex->lnc[k] - beta * D * sv[k];
        lb[k] = ex->lnc[k] - beta * D * gv[k];
    }
    moments_1d A = sum_1d(la, sv, ex->lnc, h);
    moments_1d Bd = sum_1d(lb, sv, ex->lnc, h);
    moments_1d Bg = sum_1d(lb, gv, ex->lnc, h);
    /* cov(d, g) under the b distribution is not needed: phi = s + g */
    r->ln_z_per_dim = (A.lnz + Bd.lnz) / D;
    double ms = A.mean, md = Bd.mean, vs = A.var, vd = Bd.var;
    r->mean_x = 0.5 * (ms + md);
    r->mean_y = 0.5 * (ms - md);
    r->cov_xx = 0.25 * (vs + vd);
    r->cov_yy = 0.25 * (vs + vd);
    r->cov_xy = 0.25 * (vs - vd);
    r->mean_phi = A.mean + Bg.mean;
    r->heat_capacity_per_dim = beta * beta * D * (vs + Bg.var);
    r->mean_w = (A.mean_lnc + Bd.mean_lnc) / D;
    r->classes_summed = (h + 1) * (h + 1);
    r->neglected_bound = 2.0 * (h + 1) * 4.9e-324; /* terms that underflow */
    r->separable_path = 1;

    /* basins: the a-ascent ends at the maximum of la (concave), the b-ascent
     * is the 1-D steepest ascent of lb */
    long *enda = end, *endb = end + (h + 1);
    hl_ascent_1d(la, h, enda);
    hl_ascent_1d(lb, h, endb);
    long astar = enda[0];
    hl_basins_init(r->basins, &r->n_basins, ex->model, c);
    double best_end[HL_MAX_BASINS], bmax[HL_MAX_BASINS];
    long double bsum[HL_MAX_BASINS];
    for (int k = 0; k < HL_MAX_BASINS; k++) {
        best_end[k] = bmax[k] = -INFINITY;
        bsum[k] = 0;
    }
    int *slot_of = malloc(sizeof(int) * (size_t)(h + 1));
    if (!slot_of) {
        free(la);
        free(end);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    for (long b = 0; b <= h; b++) {
        long e = endb[b];
        slot_of[b] = -1;
        int k = hl_basin_slot(r->basins, &r->n_basins, hl_named_maxima_nearest(c, hl_class_x(h, astar, e),
                                           hl_class_y(h, astar, e)));
        if (k < 0) {
            free(slot_of);
            free(la);
            free(end);
            return hl_fail(HL_ERANGE, "more than %d basins", HL_MAX_BASINS);
        }
        slot_of[b] = k;
        if (lb[b] > bmax[k])
            bmax[k] = lb[b];
        if (lb[e] > best_end[k]) {
            best_end[k] = lb[e];
            r->basins[k].x = hl_class_x(h, astar, e);
            r->basins[k].y = hl_class_y(h, astar, e);
        }
    }
    for (long b = 0; b <= h; b++)
        if (slot_of[b] >= 0)
            bsum[slot_of[b]] += exp(lb[b] - bmax[slot_of[b]]);
    free(slot_of);
    for (int k = 0; k < r->n_basins; k++)
        if (bsum[k] > 0)
            r->basins[k].ln_probability = bmax[k] + log((double)bsum[k]);
    finish_basins(r, Bd.lnz);
    int st = HL_OK;
    if (visit) {
        double lnz = A.lnz + Bd.lnz;
        double mxa = -INFINITY, mxb = -INFINITY;
        for (long k = 0; k <= h; k++) {
            if (la[k] > mxa) mxa = la[k];
            if (lb[k] > mxb) mxb = lb[k];
        }
        for (long a = 0; a <= h && !st; a++) {
            if (la[a] + mxb - (mxa + mxb) < -LN_CUTOFF)
                continue;
            for (long b = 0; b <= h; b++) {
                if (la[a] + lb[b] - (mxa + mxb) < -LN_CUTOFF)
                    continue;
                const char *name = hl_named_maxima_nearest(c, hl_class_x(h, astar, endb[b]),
                                                hl_class_y(h, astar, endb[b]));
                if (visit(ctx, a + b, a, hl_class_x(h, a, b), hl_class_y(h, a, b),
                          la[a] + lb[b] - lnz, name)) {
                    st = hl_fail(HL_EINVAL, "class visitor stopped");
                    break;
                }
            }
        }
    }
    free(la);
    free(end);
    return st;
}

/* ------------------------------------------------------------ general */

static size_t hash_key(long ia, long ib, size_t cap)
{
    uint64_t k = (uint64_t)ia * 0x9E3779B97F4A7C15ull ^ (uint64_t)ib * 0xC2B2AE3D27D4EB4Full;
    k ^= k >> 29;
    return (size_t)(k & (cap - 1));
}

static struct leaf *leaf_of(const hl_exact *ex, long a, long b)
{
    if (a < 0 || b < 0 || a > ex->h || b > ex->h)
        return NULL;
    long ia = a / LEAF, ib = b / LEAF;
    if (ex->tile) {
        int32_t k = ex->tile[ia * ex->ntile + ib];
        return k < 0 ? NULL : &ex->leaves[k];
    }
    if (!ex->hash_cap)
        return NULL;
    size_t i = hash_key(ia, ib, ex->hash_cap);
    while (ex->hash[i] >= 0) {
        struct leaf *L = &ex->leaves[ex->hash[i]];
        if (L->a0 == ia * LEAF && L->b0 == ib * LEAF)
            return L;
        i = (i + 1) & (ex->hash_cap - 1);
    }
    return NULL;
}

static double lnq_at(const hl_exact *ex, long a, long b)
{
    struct leaf *L = leaf_of(ex, a, b);
    if (!L)
        return -INFINITY;
    return L->lnq[(a - L->a0) * LEAF + (b - L->b0)];
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
        struct leaf *nl = realloc(ex->leaves, nc * sizeof *nl);
        if (!nl) {
            t->oom = 1;
            return;
        }
        ex->leaves = nl;
        ex->cap_leaf = nc;
    }
    struct leaf *L = &ex->leaves[ex->nleaf++];
    L->a0 = a0;
    L->b0 = b0;
    long h = ex->h;
    double D = (double)ex->dim;
    for (long i = 0; i < LEAF; i++)
        for (long j = 0; j < LEAF; j++) {
            long a = a0 + i, b = b0 + j;
            double v = -INFINITY;
            if (a <= h && b <= h) {
                double ph = ex->phi_cache ? ex->phi_cache[a * (h + 1) + b]
                                          : hl_model_phi(ex->model, hl_class_x(h, a, b),
                                                         hl_class_y(h, a, b));
                v = ex->lnc[a] + ex->lnc[b] - t->beta * D * ph;
            }
            L->lnq[i * LEAF + j] = v;
            L->label[i * LEAF + j] = 0;
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
                        exp(ub - t->thr - LN_CUTOFF);
        t->done += (double)(a1 - a0 + 1) * (double)(b1 - b0 + 1);
        return;
    }
    if (a1 - a0 + 1 <= LEAF) {
        add_leaf(t, a0, b0);
        t->done += (double)LEAF * LEAF;
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
    long nt = ex->h / LEAF + 1;
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
            ex->tile[(ex->leaves[k].a0 / LEAF) * nt + ex->leaves[k].b0 / LEAF] = (int32_t)k;
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
        size_t i = hash_key(ex->leaves[k].a0 / LEAF, ex->leaves[k].b0 / LEAF, cap);
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
    const struct leaf *L = leaf_of(ex, *a, *b);
    long i = *a - L->a0, j = *b - L->b0;
    double best = L->lnq[i * LEAF + j];
    int k = -1;
    if (i > 0 && i < LEAF - 1 && j > 0 && j < LEAF - 1) {
        /* all four neighbours in this leaf */
        static const int off[4] = {LEAF, -LEAF, 1, -1};
        const double *c = &L->lnq[i * LEAF + j];
        for (int q = 0; q < 4; q++)
            if (c[off[q]] > best) {
                best = c[off[q]];
                k = q;
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
        for (int q = 0; q < LEAF * LEAF; q++) {
            if (ex->leaves[k].label[q])
                continue;
            long a = ex->leaves[k].a0 + q / LEAF, b = ex->leaves[k].b0 + q % LEAF;
            if (a > ex->h || b > ex->h)
                continue;
            top = 0;
            unsigned char lab = 0;
            for (;;) {
                struct leaf *L = leaf_of(ex, a, b);
                unsigned char cur = L->label[(a - L->a0) * LEAF + (b - L->b0)];
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
                struct leaf *L = leaf_of(ex, stack[2 * i], stack[2 * i + 1]);
                L->label[(stack[2 * i] - L->a0) * LEAF + (stack[2 * i + 1] - L->b0)] = lab;
            }
        }
    }
    free(stack);
    return HL_OK;
}

/* Memory cap for the general path's workspace. */
#define GENERAL_MAX_BYTES (6.0e9)

static int compute_general(hl_exact *ex, double beta, hl_exact_result *r,
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
    tree_ctx t = {ex, beta, m0 - LN_CUTOFF, 0, 0, 0, 0, 0, 0};
    hl_model_gradient_bounds(ex->model, &t.gs, &t.gd);
    ex->nleaf = 0;
    long side = LEAF;
    while (side < h + 1)
        side *= 2;
    t.total = (double)side * (double)side;
    tree(&t, 0, side - 1, 0, side - 1);
    if (t.oom)
        return hl_fail(HL_ENOMEM, "out of memory summing classes at D = %ld", ex->dim);
    double bytes = (double)ex->nleaf * sizeof(struct leaf);
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
        for (int q = 0; q < LEAF * LEAF; q++)
            if (ex->leaves[k].lnq[q] > mx)
                mx = ex->leaves[k].lnq[q];
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
    /* centre of the moments: the largest class */
    double x0 = 0, y0 = 0, p0 = 0;
    for (size_t k = 0; k < ex->nleaf; k++)
        for (int q = 0; q < LEAF * LEAF; q++)
            if (ex->leaves[k].lnq[q] == mx) {
                long a = ex->leaves[k].a0 + q / LEAF, b = ex->leaves[k].b0 + q % LEAF;
                x0 = hl_class_x(h, a, b);
                y0 = hl_class_y(h, a, b);
                p0 = hl_model_phi(ex->model, x0, y0);
            }
    long double s0 = 0, sx = 0, sy = 0, sp = 0, sxx = 0, sxy = 0, syy = 0,
                spp = 0, sw = 0;
    long summed = 0;
    /* per-basin sums relative to each basin's own largest term, so that a
     * basin far below 1e-308 still gets an accurate log probability */
    double bmax[HL_MAX_BASINS];
    long double bsum[HL_MAX_BASINS];
    for (int k = 0; k < HL_MAX_BASINS; k++) {
        bmax[k] = -INFINITY;
        bsum[k] = 0;
    }
    for (size_t k = 0; k < ex->nleaf; k++)
        for (int q = 0; q < LEAF * LEAF; q++) {
            double v = ex->leaves[k].lnq[q];
            int slot = v == -INFINITY ? -1 : ends[ex->leaves[k].label[q] - 1].slot;
            if (slot >= 0 && v > bmax[slot])
                bmax[slot] = v;
        }
    long below = 0; /* classes under 1e-300 of the largest: not summed */
    const double inv_bd = 1.0 / (beta * D);
    for (size_t k = 0; k < ex->nleaf; k++) {
        struct leaf *L = &ex->leaves[k];
        /* double partial sums per leaf (at most LEAF^2 terms), long double
         * across leaves */
        double l0 = 0, lx = 0, ly = 0, lp = 0, lxx = 0, lxy = 0, lyy = 0, lpp = 0, lw = 0;
        double lb[HL_MAX_BASINS] = {0};
        for (int q = 0; q < LEAF * LEAF; q++) {
            double v = L->lnq[q];
            if (v == -INFINITY)
                continue;
            int slot = ends[L->label[q] - 1].slot;
            /* the dominant basin's terms are the weights themselves */
            if (slot >= 0 && bmax[slot] != mx && v - bmax[slot] >= -LN_CUTOFF)
                lb[slot] += exp(v - bmax[slot]);
            if (v - mx < -LN_CUTOFF) {
                below++;
                continue;
            }
            long a = L->a0 + q / LEAF, b = L->b0 + q % LEAF;
            double u = hl_class_x(h, a, b) - x0, vv = hl_class_y(h, a, b) - y0;
            double lnw = ex->lnc[a] + ex->lnc[b];
            double pp = (lnw - v) * inv_bd - p0;
            double wgt = exp(v - mx);
            if (slot >= 0 && bmax[slot] == mx)
                lb[slot] += wgt;
            l0 += wgt;
            lx += wgt * u;
            ly += wgt * vv;
            lp += wgt * pp;
            lxx += wgt * u * u;
            lxy += wgt * u * vv;
            lyy += wgt * vv * vv;
            lpp += wgt * pp * pp;
            lw += wgt * lnw;
            summed++;
        }
        s0 += l0;
        sx += lx;
        sy += ly;
        sp += lp;
        sxx += lxx;
        sxy += lxy;
        syy += lyy;
        spp += lpp;
        sw += lw;
        for (int q = 0; q < HL_MAX_BASINS; q++)
            bsum[q] += lb[q];
    }
    for (int k = 0; k < r->n_basins; k++)
        if (bsum[k] > 0)
            r->basins[k].ln_probability = bmax[k] + log((double)bsum[k]);
    double S0 = (double)s0;
    double mxv = (double)(sx / s0), myv = (double)(sy / s0), mpv = (double)(sp / s0);
    r->ln_z_per_dim = (mx + log(S0)) / D;
    r->mean_x = x0 + mxv;
    r->mean_y = y0 + myv;
    r->mean_phi = p0 + mpv;
    r->cov_xx = (double)(sxx / s0) - mxv * mxv;
    r->cov_xy = (double)(sxy / s0) - mxv * myv;
    r->cov_yy = (double)(syy / s0) - myv * myv;
    double vp = (double)(spp / s0) - mpv * mpv;
    r->heat_capacity_per_dim = beta * beta * D * (vp > 0 ? vp : 0);
    r->mean_w = (double)(sw / s0) / D;
    r->classes_summed = summed;
    r->neglected_bound = (t.neglected * exp(t.thr + LN_CUTOFF - mx) +
                          (double)below * exp(-LN_CUTOFF)) / S0;
    r->separable_path = 0;
    finish_basins(r, mx + log(S0));
    if (visit) {
        double lnz = mx + log(S0);
        for (size_t k = 0; k < ex->nleaf && !st; k++) {
            struct leaf *L = &ex->leaves[k];
            for (int q = 0; q < LEAF * LEAF; q++) {
                double v = L->lnq[q];
                if (v == -INFINITY || v - mx < -LN_CUTOFF)
                    continue;
                long a = L->a0 + q / LEAF, b = L->b0 + q % LEAF;
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

/* ------------------------------------------------------------ public */

static int run(hl_exact *ex, double beta, hl_exact_result *res,
               hl_class_visitor visit, void *ctx)
{
    if (!isfinite(beta) || !(beta > 0))
        return hl_fail(HL_EDOM, "beta = %g is not a positive finite number", beta);
    if (beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is too large (at most 1e6)", beta);
    hl_exact_result tmp;
    if (!res)
        res = &tmp;
    memset(res, 0, sizeof *res);
    res->dim = ex->dim;
    res->beta = beta;
    hl_named_maxima c;
    int st = hl_named_maxima_get(ex->model, beta, &c);
    if (st)
        return st;
    if (ex->separable)
        return compute_separable(ex, beta, res, &c, visit, ctx);
    return compute_general(ex, beta, res, &c, visit, ctx);
}

int hl_exact_compute(hl_exact *ex, double beta, hl_exact_result *res)
{
    if (!ex || !res)
        return hl_fail(HL_EINVAL, "hl_exact_compute: NULL argument");
    return run(ex, beta, res, NULL, NULL);
}

int hl_exact_distribution(hl_exact *ex, double beta, hl_class_visitor visit,
                          void *ctx)
{
    if (!ex || !visit)
        return hl_fail(HL_EINVAL, "hl_exact_distribution: NULL argument");
    return run(ex, beta, NULL, visit, ctx);
}

/* ------------------------------------------------------------ melting */

typedef struct {
    hl_exact *ex;
    int err;
} melt_ctx;

static double ln_ratio(double beta, void *p)
{
    melt_ctx *c = p;
    hl_exact_result r;
    if (hl_exact_compute(c->ex, beta, &r) != HL_OK) {
        c->err = 1;
        return 0;
    }
    double lp_l = -INFINITY, lp_c = -INFINITY;
    for (int k = 0; k < r.n_basins; k++) {
        if (strcmp(r.basins[k].name, "liquid") == 0)
            lp_l = r.basins[k].ln_probability;
        if (strcmp(r.basins[k].name, "crystal") == 0)
            lp_c = r.basins[k].ln_probability;
    }
    if (lp_l == -INFINITY && lp_c == -INFINITY) {
        c->err = 1;
        return 0;
    }
    double v = lp_l - lp_c;
    if (v > 1e300) v = 1e300;
    if (v < -1e300) v = -1e300;
    return v;
}

/* What ln(P_liquid / P_crystal) = v at beta says, for a message. */
static void melt_end_text(char *buf, size_t size, double beta, double v)
{
    if (v >= 1e300)
        snprintf(buf, size, "at beta = %g there is no crystal basin (all weight liquid)", beta);
    else if (v <= -1e300)
        snprintf(buf, size, "at beta = %g there is no liquid basin (all weight crystal)", beta);
    else
        snprintf(buf, size, "ln(P_liquid/P_crystal) = %.6g at beta = %g", v, beta);
}

int hl_exact_melting(hl_exact *ex, double lo, double hi, double *beta_m)
{
    hl_gsl_quiet();
    if (!ex || !beta_m)
        return hl_fail(HL_EINVAL, "hl_exact_melting: NULL argument");
    if (!(lo > 0) || !(hi > lo) || !isfinite(hi))
        return hl_fail(HL_EDOM, "melting bracket [%g, %g] is not valid", lo, hi);
    melt_ctx c = {ex, 0};
    double flo = ln_ratio(lo, &c), fhi = ln_ratio(hi, &c);
    if (c.err)
        return hl_fail(HL_ENOCONV, "finite-D melting: basin probabilities "
                                   "unavailable in [%g, %g]", lo, hi);
    if ((flo > 0) == (fhi > 0)) {
        /* ln_ratio saturates at +-1e300 when a basin is missing: say so */
        char dlo[96], dhi[96];
        melt_end_text(dlo, sizeof dlo, lo, flo);
        melt_end_text(dhi, sizeof dhi, hi, fhi);
        return hl_fail(HL_ENOTFOUND, "no finite-D melting point in beta in [%g, %g] at D = %ld: "
                                     "%s; %s",
                       lo, hi, ex->dim, dlo, dhi);
    }
    gsl_function F = {ln_ratio, &c};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    int gs = gsl_root_fsolver_set(s, &F, lo, hi);
    if (gs != GSL_SUCCESS) {
        gsl_root_fsolver_free(s);
        return hl_fail(HL_ENOCONV, "finite-D melting: the bracket [%g, %g] could not be "
                                   "used (GSL: %s)", lo, hi, gsl_strerror(gs));
    }
    int ok = 0;
    for (int it = 0; it < 200 && !c.err; it++) {
        gs = gsl_root_fsolver_iterate(s);
        if (gs != GSL_SUCCESS)
            break;
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(a, b, 0, 1e-13) == GSL_SUCCESS) {
            ok = 1;
            break;
        }
    }
    *beta_m = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    if (!ok || c.err) {
        if (c.err)
            return hl_fail(HL_ENOCONV, "finite-D melting: basin probabilities unavailable "
                                       "inside [%g, %g]", lo, hi);
        if (gs != GSL_SUCCESS)
            return hl_fail(HL_ENOCONV, "finite-D melting point in beta in [%g, %g] did not "
                                       "converge (GSL: %s)", lo, hi, gsl_strerror(gs));
        return hl_fail(HL_ENOCONV, "finite-D melting point in beta in [%g, %g] did not "
                                   "converge in 200 Brent steps", lo, hi);
    }
    /* the root must separate finite values (both basins present) */
    double fl = ln_ratio(*beta_m * (1 - 1e-9), &c), fr = ln_ratio(*beta_m * (1 + 1e-9), &c);
    if (fabs(fl) >= 1e300 || fabs(fr) >= 1e300)
        return hl_fail(HL_ENOTFOUND, "at D = %ld the liquid and crystal basins "
                                     "never coexist in [%g, %g]", ex->dim, lo, hi);
    return HL_OK;
}
