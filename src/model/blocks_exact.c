/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_exact.c -- exact finite-D sums over the classes of the model of k
 * blocks (blocks_exact.h): phi tabulated per class, the moments in fixed
 * chunks relative to the largest term, the steepest-ascent basins on the
 * k-dimensional class lattice with their own thermodynamics, the class
 * distribution and the finite-D melting point. */
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "hyperland/blocks_exact.h"
#include "blocks_private.h"
#include "exact_private.h"
#include "hyperland/output.h"

#define CHUNK 4096L

struct hl_blocks_exact {
    const hl_blocks *b;
    int k;
    long n, dim;
    long size[HL_BLOCKS_MAX], stride[HL_BLOCKS_MAX];
    double *lnc[HL_BLOCKS_MAX]; /* ln C(D_i, j), j = 0 .. D_i */
    double *phi;                /* n */
    hl_model *pair;             /* k = 2 equal: the model in x, y for names */
    /* workspace at one beta */
    double *lnq;
    long *end;
};

void hl_blocks_exact_free(hl_blocks_exact *ex)
{
    if (!ex)
        return;
    for (int i = 0; i < ex->k; i++)
        free(ex->lnc[i]);
    free(ex->phi);
    free(ex->lnq);
    free(ex->end);
    hl_model_free(ex->pair);
    free(ex);
}

void hl_blocks_exact_result_free(hl_blocks_exact_result *r)
{
    if (!r)
        return;
    free(r->cov);
    free(r->cov_bound);
    free(r->basins);
    r->cov = NULL;
    r->cov_bound = NULL;
    r->basins = NULL;
    r->n_basins = 0;
}

/* The phi of the pair in x, y: m1 -> (x+y), m2 -> (x-y) (identifiers
 * only); NULL (default model) for the generated default text. */
static int pair_model(const hl_blocks *b, hl_model **out)
{
    const char *f = hl_blocks_phi_formula(b);
    if (!strcmp(f, "m1-(m2+0.2)^2+0.38*(m2+0.2)^3"))
        return hl_model_create(NULL, out);
    size_t len = strlen(f), cap = 5 * len + 1, o = 0;
    char *s = malloc(cap);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (size_t i = 0; i < len;) {
        if (isalpha((unsigned char)f[i]) || f[i] == '_') {
            size_t j = i;
            while (j < len && (isalnum((unsigned char)f[j]) || f[j] == '_'))
                j++;
            if (j - i == 2 && f[i] == 'm' && (f[i + 1] == '1' || f[i + 1] == '2')) {
                memcpy(s + o, f[i + 1] == '1' ? "(x+y)" : "(x-y)", 5);
                o += 5;
            } else {
                memcpy(s + o, f + i, j - i);
                o += j - i;
            }
            i = j;
        } else {
            s[o++] = f[i++];
        }
    }
    s[o] = 0;
    int st = hl_model_create(s, out);
    free(s);
    return st;
}

int hl_blocks_exact_create(const hl_blocks *b, hl_blocks_exact **out)
{
    if (!b || !out)
        return hl_fail(HL_EINVAL, "hl_blocks_exact_create: NULL argument");
    *out = NULL;
    long n = hl_blocks_n_classes(b);
    if (n < 0 || n > HL_BLOCKS_EXACT_MAX_CLASSES)
        return hl_fail(HL_ERANGE,
                       "the exact sums of D = %ld in %d blocks would visit %s classes (at "
                       "most %ld)",
                       hl_blocks_dim(b), hl_blocks_k(b), n < 0 ? "more than 2^62" : "too many",
                       HL_BLOCKS_EXACT_MAX_CLASSES);
    hl_blocks_exact *ex = calloc(1, sizeof *ex);
    if (!ex)
        return hl_fail(HL_ENOMEM, "out of memory");
    ex->b = b;
    ex->k = hl_blocks_k(b);
    ex->n = n;
    ex->dim = hl_blocks_dim(b);
    long st_ = 1;
    for (int i = ex->k - 1; i >= 0; i--) {
        ex->size[i] = hl_blocks_size(b, i);
        ex->stride[i] = st_;
        st_ *= ex->size[i] + 1;
    }
    int st = HL_OK;
    for (int i = 0; i < ex->k; i++) {
        ex->lnc[i] = malloc(sizeof(double) * (size_t)(ex->size[i] + 1));
        if (!ex->lnc[i])
            goto nomem;
        for (long j = 0; j <= ex->size[i]; j++)
            ex->lnc[i][j] = hl_lnchoose(ex->size[i], j);
    }
    ex->phi = malloc(sizeof(double) * (size_t)n);
    ex->lnq = malloc(sizeof(double) * (size_t)n);
    ex->end = malloc(sizeof(long) * (size_t)n);
    if (!ex->phi || !ex->lnq || !ex->end)
        goto nomem;
    long bad = -1;
#pragma omp parallel for schedule(static) if (n > 20000)
    for (long idx = 0; idx < n; idx++) {
        double m[HL_BLOCKS_MAX];
        hl_blocks_class(b, idx, NULL, m);
        double v = hl_blocks_phi(b, m);
        ex->phi[idx] = v;
        if (!isfinite(v)) {
#pragma omp critical(hl_blocks_exact_bad)
            if (bad < 0 || idx < bad)
                bad = idx;
        }
    }
    if (bad >= 0) {
        double m[HL_BLOCKS_MAX];
        hl_blocks_class(b, bad, NULL, m);
        char pv[32];
        st = hl_fail(HL_EDOM, "phi is %s at class %ld (m1 = %g)", hl_msg_num(ex->phi[bad], pv),
                     bad, m[0]);
        goto fail;
    }
    if (hl_blocks_is_paper_pair(b) && (st = pair_model(b, &ex->pair)))
        goto fail;
    *out = ex;
    return HL_OK;
nomem:
    st = hl_fail(HL_ENOMEM, "out of memory planning the exact sums over %ld classes", n);
fail:
    hl_blocks_exact_free(ex);
    return st;
}

/* ------------------------------------------------------------- ascent */

static inline double lnw_of(const hl_blocks_exact *ex, long idx)
{
    double s = 0;
    for (int i = 0; i < ex->k; i++)
        s += ex->lnc[i][(idx / ex->stride[i]) % (ex->size[i] + 1)];
    return s;
}

/* The steepest-ascent neighbour of idx (idx itself at a local maximum);
 * ties: the first of n_1 + 1, n_1 - 1, n_2 + 1, ... */
static long step_up(const hl_blocks_exact *ex, long idx)
{
    const double *q = ex->lnq;
    double best = q[idx];
    long nx = idx;
    for (int i = 0; i < ex->k; i++) {
        long ni = (idx / ex->stride[i]) % (ex->size[i] + 1), s = ex->stride[i];
        if (ni < ex->size[i] && q[idx + s] > best) {
            best = q[idx + s];
            nx = idx + s;
        }
        if (ni > 0 && q[idx - s] > best) {
            best = q[idx - s];
            nx = idx - s;
        }
    }
    return nx;
}

/* ex->end[i] = the local maximum the ascent from i reaches (memoised). */
static int ascend(hl_blocks_exact *ex)
{
    long n = ex->n;
    long *e = ex->end;
#pragma omp parallel for schedule(static) if (n > 20000)
    for (long i = 0; i < n; i++)
        e[i] = step_up(ex, i);
    /* follow each path to a resolved class or a maximum, then label the
     * path (serial: each class is labelled once) */
    unsigned char *done = calloc((size_t)n, 1);
    long *path = malloc(sizeof(long) * 1024);
    size_t cap = 1024;
    if (!done || !path) {
        free(done);
        free(path);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    for (long i0 = 0; i0 < n; i0++) {
        size_t top = 0;
        long i = i0;
        while (!done[i] && e[i] != i) {
            if (top == cap) {
                long *np = realloc(path, sizeof(long) * cap * 2);
                if (!np) {
                    free(done);
                    free(path);
                    return hl_fail(HL_ENOMEM, "out of memory");
                }
                path = np;
                cap *= 2;
            }
            path[top++] = i;
            i = e[i];
        }
        long end = e[i]; /* a maximum (e[i] == i) or a resolved class */
        done[i] = 1;
        for (size_t t = 0; t < top; t++) {
            e[path[t]] = end;
            done[path[t]] = 1;
        }
    }
    free(done);
    free(path);
    return HL_OK;
}

/* Flat tops: a local maximum of the ascent (end[e] == e) with an axis
 * neighbour of exactly the same ln Q is not a basin of its own.  Ends
 * joined by such neighbours (a plateau of two or more lattice maxima), or
 * an end whose equal neighbour ascends further (a shoulder), are merged:
 * the basin's end is the class of the group with the largest ln Q, the
 * lowest class index among equal ones.  Union-find over the ends only. */
static long uf_find(long *par, long i)
{
    while (par[i] != i)
        i = par[i] = par[par[i]];
    return i;
}

static long end_slot(const long *ends, long ne, long idx)
{
    long lo = 0, hi = ne - 1;
    while (lo <= hi) {
        long mid = (lo + hi) / 2;
        if (ends[mid] == idx)
            return mid;
        if (ends[mid] < idx)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static int merge_plateaus(hl_blocks_exact *ex)
{
    long n = ex->n, *e = ex->end, ne = 0, flat = 0;
    const double *q = ex->lnq;
    for (long i = 0; i < n; i++)
        if (e[i] == i) {
            ne++;
            for (int a = 0; a < ex->k && !flat; a++) {
                long ni = (i / ex->stride[a]) % (ex->size[a] + 1), s = ex->stride[a];
                if ((ni < ex->size[a] && q[i + s] == q[i]) || (ni > 0 && q[i - s] == q[i]))
                    flat = 1;
            }
        }
    if (!flat)
        return HL_OK;
    long *ends = malloc(sizeof(long) * (size_t)ne), *par = malloc(sizeof(long) * (size_t)ne);
    if (!ends || !par) {
        free(ends);
        free(par);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    long t = 0;
    for (long i = 0; i < n; i++)
        if (e[i] == i) {
            par[t] = t;
            ends[t++] = i;
        }
    for (long u = 0; u < ne; u++) {
        long i = ends[u];
        for (int a = 0; a < ex->k; a++) {
            long ni = (i / ex->stride[a]) % (ex->size[a] + 1), s = ex->stride[a];
            for (int d = -1; d <= 1; d += 2) {
                if ((d < 0 && ni == 0) || (d > 0 && ni == ex->size[a]))
                    continue;
                long j = i + d * s;
                if (q[j] != q[i])
                    continue;
                long v = end_slot(ends, ne, e[j]); /* j's end: j itself or above */
                long ru = uf_find(par, u), rv = uf_find(par, v);
                if (ru == rv)
                    continue;
                /* the root: the larger ln Q, then the lower class index */
                long iu = ends[ru], iv = ends[rv];
                if (q[iv] > q[iu] || (q[iv] == q[iu] && iv < iu))
                    par[ru] = rv;
                else
                    par[rv] = ru;
            }
        }
    }
    for (long i = 0; i < n; i++)
        e[i] = ends[uf_find(par, end_slot(ends, ne, e[i]))];
    free(ends);
    free(par);
    return HL_OK;
}

/* ------------------------------------------------------------- basins */

static int cmp_phi(const void *pa, const void *pb)
{
    const hl_blocks_basin *a = pa, *b = pb;
    if (a->phi_end != b->phi_end)
        return a->phi_end < b->phi_end ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

static int cmp_end(const void *pa, const void *pb)
{
    const hl_blocks_basin *a = pa, *b = pb;
    return a->end < b->end ? -1 : a->end > b->end;
}

int hl_blocks_phi_tie(double a, double b)
{
    return a == b || fabs(a - b) <= HL_BLOCKS_PHI_TIE * fmax(fabs(a), fabs(b));
}

/* "m=v1,...,vk" at s: the basin whose end is nearest; -1 if s is not
 * such a point, -2 if it is but no basin has an end. */
static int find_point(const hl_blocks_exact_result *r, const char *spec)
{
    double p[HL_BLOCKS_MAX];
    const char *s = spec + 2;
    for (int i = 0; i < r->k; i++) {
        char *e;
        p[i] = strtod(s, &e);
        if (e == s || !isfinite(p[i]))
            return -1;
        s = e;
        if (i + 1 < r->k) {
            if (*s != ',')
                return -1;
            s++;
        }
    }
    if (*s)
        return -1;
    int best = -1;
    double bd = INFINITY;
    for (int q = 0; q < r->n_basins; q++) {
        if (r->basins[q].end < 0)
            continue;
        double d = 0;
        for (int i = 0; i < r->k; i++)
            d += (r->basins[q].m[i] - p[i]) * (r->basins[q].m[i] - p[i]);
        if (d < bd) {
            bd = d;
            best = q;
        }
    }
    return best;
}

/* A candidate of the alias `crystal` / `liquid`: a basin with classes at a
 * maximum of f (not a saddle pocket); for the pair (names of f's maxima)
 * crystal's candidates are the basins other than liquid. */
static int alias_candidate(const hl_blocks_basin *b, int named)
{
    if (b->end < 0 || b->saddle_pocket)
        return 0;
    return !named || strcmp(b->name, "liquid");
}

int hl_blocks_basin_lookup(const hl_blocks_exact_result *r, const char *spec, int *index)
{
    if (!r || !spec || !index)
        return hl_fail(HL_EINVAL, "hl_blocks_basin_lookup: NULL argument");
    *index = -1;
    char cb[HL_CLIP_BUF];
    int alias = !strcmp(spec, "crystal") || !strcmp(spec, "liquid");
    int named = r->n_basins > 0 && r->basins[0].name[0] != 'b';
    int q = -1;
    for (int j = 0; j < r->n_basins && q < 0; j++)
        if (!strcmp(r->basins[j].name, spec))
            q = j;
    if (q < 0 && !strncmp(spec, "m=", 2))
        q = find_point(r, spec);
    if (q < 0 && alias && !named && r->n_basins >= 2) {
        /* the aliases where the basins are b1, b2, ...: the lowest /
         * highest phi at the end, among the maxima of f */
        for (int j = 0; j < r->n_basins; j++) {
            if (!alias_candidate(&r->basins[j], 0))
                continue;
            if (q < 0 || (spec[0] == 'c' ? r->basins[j].phi_end < r->basins[q].phi_end
                                         : r->basins[j].phi_end > r->basins[q].phi_end))
                q = j;
        }
    }
    if (q < 0 && alias && !named && r->n_basins == 1)
        return hl_fail(HL_ENOTFOUND, "no basin '%s' at beta = %.10g: there is one basin only "
                                     "(b1), so the aliases crystal and liquid name none",
                       hl_clip(spec, cb), r->beta);
    if (q < 0 || r->basins[q].end < 0)
        return hl_fail(HL_ENOTFOUND, "no basin '%s' with classes at beta = %.10g",
                       hl_clip(spec, cb), r->beta);
    /* an alias is refused where other basins tie with it in phi at their
     * maxima (a symmetric phi): it would pick one of them silently */
    if (alias && (!named || spec[0] == 'c') && alias_candidate(&r->basins[q], named)) {
        char list[200] = "";
        int nt = 0, len = 0;
        for (int j = 0; j < r->n_basins; j++) {
            if (!alias_candidate(&r->basins[j], named) ||
                !hl_blocks_phi_tie(r->basins[j].phi_end, r->basins[q].phi_end))
                continue;
            nt++;
            if (len < (int)sizeof list - 24)
                len += snprintf(list + len, sizeof list - (size_t)len, "%s%s", nt > 1 ? ", " : "",
                                r->basins[j].name);
        }
        if (nt > 1) {
            *index = -2;
            char pt[HL_BLOCKS_MAX * 24 + 4] = "m=";
            for (int i = 0, l = 2; i < r->k; i++)
                l += snprintf(pt + l, sizeof pt - (size_t)l, "%s%.6g", i ? "," : "",
                              r->basins[q].m[i]);
            return hl_fail(HL_ENOTFOUND,
                           "'%s' is ambiguous at beta = %.10g: %d basins tie in phi at their "
                           "maxima (phi = %.10g): %s; name one of them or a point (e.g. %s)",
                           spec, r->beta, nt, r->basins[q].phi_end, list, pt);
        }
    }
    *index = q;
    return HL_OK;
}

int hl_blocks_basin_find(const hl_blocks_exact_result *r, const char *spec)
{
    if (!r || !spec)
        return -1;
    int q = -1;
    if (hl_blocks_basin_lookup(r, spec, &q))
        q = -1;
    return q;
}

int hl_blocks_basin_list(const hl_blocks_exact_result *r, const char *spec, int *index, int max,
                         int *n)
{
    if (!r || !spec || !index || !n || max < 1)
        return hl_fail(HL_EINVAL, "hl_blocks_basin_list: NULL argument");
    *n = 0;
    char cb[HL_CLIP_BUF];
    const char *s = spec;
    for (;;) {
        /* one item: up to the next comma, or k numbers after "m=" */
        const char *e = s;
        int commas = !strncmp(s, "m=", 2) ? r->k - 1 : 0;
        while (*e && (*e != ',' || commas-- > 0))
            e++;
        size_t len = (size_t)(e - s);
        char item[256];
        if (!len || len >= sizeof item)
            return hl_fail(HL_EINVAL, "'%s': %s basin in the list", hl_clip(spec, cb),
                           len ? "a too long" : "an empty");
        memcpy(item, s, len);
        item[len] = 0;
        int q, st = hl_blocks_basin_lookup(r, item, &q);
        if (st)
            return st;
        for (int j = 0; j < *n; j++)
            if (index[j] == q)
                return hl_fail(HL_EINVAL, "'%s': the basin %s is listed twice", hl_clip(spec, cb),
                               r->basins[q].name);
        if (*n >= max)
            return hl_fail(HL_EINVAL, "'%s': more than %d basins", hl_clip(spec, cb), max);
        index[(*n)++] = q;
        if (!*e)
            break;
        s = e + 1;
    }
    return HL_OK;
}

/* the point "m=v1,...,vk" starting at s (after "m="): exactly k numbers in
 * [-1, 1]; *next is the list item after it (NULL at the end of spec) */
static int point_item_check(int k, const char *spec, const char *s, const char **next)
{
    int n = 0;
    double bad = NAN;
    int bad_i = -1;
    *next = NULL;
    for (;;) {
        const char *e = s + strcspn(s, ",");
        char field[64];
        size_t len = (size_t)(e - s);
        snprintf(field, sizeof field, "%.*s", (int)(len < 63 ? len : 63), s);
        char *end;
        double v = len ? strtod(field, &end) : NAN;
        int number = len && len <= 63 && end != field && !*end && !isnan(v) &&
                     !isspace((unsigned char)field[0]);
        if (n >= k && !number) { /* the next item of a list of basins */
            *next = s;
            break;
        }
        if (len == 0)
            return hl_fail(HL_EINVAL, "'%.80s': component %d is empty (%s%d)", spec, n + 1,
                           k == 1 ? "m=v" : k == 2 ? "m=v1,v" : "m=v1,...,v", k);
        if (!number)
            return hl_fail(HL_EINVAL, "'%.80s': component %d '%.40s' is not a number", spec,
                           n + 1, field);
        if (!isfinite(v))
            return hl_fail(HL_EINVAL, "'%.80s': component %d '%.40s' is not a finite number",
                           spec, n + 1, field);
        if (fabs(v) > 1 && bad_i < 0)
            bad_i = n, bad = v;
        n++;
        if (!*e)
            break;
        s = e + 1;
    }
    if (n != k)
        return hl_fail(HL_EINVAL, "'%.80s': %d value%s for %d block%s (%s%d)", spec, n,
                       n == 1 ? "" : "s", k, k == 1 ? "" : "s",
                       k == 1 ? "m=v" : k == 2 ? "m=v1,v" : "m=v1,...,v", k);
    if (bad_i >= 0)
        return hl_fail(HL_EINVAL, "'%.80s': m%d = %g is outside [-1, 1]", spec, bad_i + 1, bad);
    return HL_OK;
}

int hl_blocks_point_check(int k, const char *spec)
{
    /* every "m=" item of spec (a basin, or a comma-separated list of them) */
    const char *s = spec;
    while (s && *s) {
        if (!strncmp(s, "m=", 2)) {
            const char *next;
            int st = point_item_check(k, spec, s + 2, &next);
            if (st)
                return st;
            s = next;
        } else {
            const char *e = s + strcspn(s, ",");
            s = *e ? e + 1 : NULL;
        }
    }
    return HL_OK;
}

static hl_blocks_basin *new_basin(hl_blocks_exact_result *r, const char *name)
{
    hl_blocks_basin *b = &r->basins[r->n_basins++];
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "%s", name);
    b->end = -1;
    for (int i = 0; i < HL_BLOCKS_MAX; i++)
        b->m[i] = NAN;
    b->phi_end = NAN;
    b->ln_probability = -INFINITY;
    b->ln_z_per_dim = b->mean_phi = b->entropy_per_dim = b->heat_capacity_per_dim = NAN;
    b->neglected_bound = NAN;
    b->ln_z_bound = b->mean_phi_bound = b->entropy_bound = b->heat_capacity_bound = NAN;
    snprintf(b->thermo_null_reason, sizeof b->thermo_null_reason,
             "no class of the basin was summed");
    return b;
}

/* 1 if a class next to idx along a diagonal (two to k coordinates moved by
 * +-1, up to k = 6) has a larger ln Q: the ascent by axis moves stopped in
 * a pocket of the lattice at a saddle of f, not at a maximum of f */
static int diagonal_higher(const hl_blocks_exact *ex, long idx)
{
    int k = ex->k;
    if (k < 2 || k > 6)
        return 0;
    long ni[HL_BLOCKS_MAX];
    for (int i = 0; i < k; i++)
        ni[i] = (idx / ex->stride[i]) % (ex->size[i] + 1);
    long total = 1;
    for (int i = 0; i < k; i++)
        total *= 3;
    for (long code = 0; code < total; code++) {
        long c = code, j = idx;
        int moved = 0, ok = 1;
        for (int i = 0; i < k && ok; i++, c /= 3) {
            int d = (int)(c % 3) - 1;
            if (!d)
                continue;
            moved++;
            long v = ni[i] + d;
            if (v < 0 || v > ex->size[i])
                ok = 0;
            j += d * ex->stride[i];
        }
        if (ok && moved >= 2 && ex->lnq[j] > ex->lnq[idx])
            return 1;
    }
    return 0;
}

/* The basins at ex->lnq (ascent done): r->basins, and slot[e] for every
 * end e (through ex->end). */
static int make_basins(hl_blocks_exact *ex, double beta, hl_blocks_exact_result *r, int *slot_of)
{
    long n = ex->n;
    long ends[HL_BLOCKS_MAX_BASINS];
    int ne = 0;
    for (long i = 0; i < n; i++)
        if (ex->end[i] == i) {
            if (ne >= HL_BLOCKS_MAX_BASINS)
                return hl_fail(HL_ERANGE, "more than %d basins (local maxima of ln Q on the "
                                          "class lattice): beyond the limit of the basin "
                                          "analysis (HL_BLOCKS_MAX_BASINS)",
                               HL_BLOCKS_MAX_BASINS);
            ends[ne++] = i;
        }
    r->basins = calloc((size_t)ne + 2, sizeof *r->basins);
    if (!r->basins)
        return hl_fail(HL_ENOMEM, "out of memory");
    r->n_basins = 0;
    int eslot[HL_BLOCKS_MAX_BASINS];
    if (ex->pair) {
        /* as exact.h: each end named after the nearest maximum of f */
        hl_named_maxima c;
        int st = hl_named_maxima_get(ex->pair, beta, &c);
        if (st)
            return st;
        if (hl_model_is_default(ex->pair)) {
            new_basin(r, "liquid");
            new_basin(r, "crystal");
        }
        for (size_t q = 0; q < c.n; q++) {
            int have = 0;
            for (int j = 0; j < r->n_basins; j++)
                have |= !strcmp(r->basins[j].name, c.names[q]);
            if (!have) {
                if (r->n_basins >= ne + 2) {
                    hl_blocks_basin *nb = realloc(r->basins, sizeof *nb * (size_t)(r->n_basins + 8));
                    if (!nb)
                        return hl_fail(HL_ENOMEM, "out of memory");
                    r->basins = nb;
                }
                new_basin(r, c.names[q]);
            }
        }
        for (int e = 0; e < ne; e++) {
            double m[2];
            hl_blocks_class(ex->b, ends[e], NULL, m);
            const char *nm = hl_named_maxima_nearest(&c, 0.5 * (m[0] + m[1]), 0.5 * (m[0] - m[1]));
            eslot[e] = -1;
            for (int j = 0; j < r->n_basins; j++)
                if (!strcmp(r->basins[j].name, nm))
                    eslot[e] = j;
            if (eslot[e] < 0) { /* "none" */
                if (r->n_basins >= ne + 2)
                    return hl_fail(HL_ERANGE, "too many basins");
                new_basin(r, nm);
                eslot[e] = r->n_basins - 1;
            }
            hl_blocks_basin *b = &r->basins[eslot[e]];
            if (b->end < 0 || ex->lnq[ends[e]] > ex->lnq[b->end])
                b->end = ends[e];
        }
    } else {
        for (int e = 0; e < ne; e++) {
            hl_blocks_basin *b = new_basin(r, "");
            b->end = ends[e];
            b->phi_end = ex->phi[ends[e]];
        }
        qsort(r->basins, (size_t)r->n_basins, sizeof *r->basins, cmp_phi);
        /* ties in phi (hl_blocks_phi_tie: a symmetric phi) in the order of
         * their ends' class index, i.e. of n = (n_1 .. n_k) lexicographically,
         * not of the rounding of phi */
        for (int j = 0; j < r->n_basins;) {
            int g = j + 1;
            while (g < r->n_basins && hl_blocks_phi_tie(r->basins[g].phi_end, r->basins[j].phi_end))
                g++;
            if (g - j > 1)
                qsort(r->basins + j, (size_t)(g - j), sizeof *r->basins, cmp_end);
            j = g;
        }
        for (int j = 0; j < r->n_basins; j++) {
            snprintf(r->basins[j].name, sizeof r->basins[j].name, "b%d", j + 1);
            for (int e = 0; e < ne; e++)
                if (ends[e] == r->basins[j].end)
                    eslot[e] = j;
        }
    }
    for (int j = 0; j < r->n_basins; j++)
        if (r->basins[j].end >= 0) {
            hl_blocks_class(ex->b, r->basins[j].end, NULL, r->basins[j].m);
            r->basins[j].phi_end = ex->phi[r->basins[j].end];
            r->basins[j].saddle_pocket = diagonal_higher(ex, r->basins[j].end);
        }
    /* slot of every end, stored at the end's own index */
    for (int e = 0; e < ne; e++)
        slot_of[ends[e]] = eslot[e];
    return HL_OK;
}

/* ------------------------------------------------------------- sums */

static int run(hl_blocks_exact *ex, double beta, int *basin, hl_blocks_exact_result *r)
{
    memset(r, 0, sizeof *r);
    if (!isfinite(beta) || !(beta > 0))
        return hl_fail(HL_EDOM, "beta = %g is not a positive finite number", beta);
    long n = ex->n;
    int k = ex->k;
    double D = (double)ex->dim;
    r->k = k;
    r->dim = ex->dim;
    r->n_classes = n;
    r->beta = beta;
    r->mean_x = r->mean_y = r->cov_xx = r->cov_xy = r->cov_yy = NAN;
    double mx = -INFINITY;
#pragma omp parallel for schedule(static) reduction(max : mx) if (n > 20000)
    for (long i = 0; i < n; i++) {
        double v = lnw_of(ex, i) - beta * D * ex->phi[i];
        ex->lnq[i] = v;
        if (v > mx)
            mx = v;
    }
    int st = ascend(ex);
    if (!st)
        st = merge_plateaus(ex);
    if (st)
        return st;
    int *slot = malloc(sizeof(int) * (size_t)n);
    if (!slot)
        return hl_fail(HL_ENOMEM, "out of memory");
    st = make_basins(ex, beta, r, slot);
    if (st) {
        free(slot);
        hl_blocks_exact_result_free(r);
        return st;
    }
    int nb = r->n_basins;
    /* centre: the first class with the largest term */
    long c0 = 0;
    for (long i = 0; i < n; i++)
        if (ex->lnq[i] == mx) {
            c0 = i;
            break;
        }
    double m0[HL_BLOCKS_MAX];
    hl_blocks_class(ex->b, c0, NULL, m0);
    double p0 = ex->phi[c0];
    /* per basin: its largest term (its end), ln W and phi there */
    double bmax[HL_BLOCKS_MAX_BASINS + 2], cphi[HL_BLOCKS_MAX_BASINS + 2];
    double blnw[HL_BLOCKS_MAX_BASINS + 2];
    long bend[HL_BLOCKS_MAX_BASINS + 2];
    for (int q = 0; q < nb; q++) {
        long e = r->basins[q].end;
        bend[q] = e;
        bmax[q] = e >= 0 ? ex->lnq[e] : -INFINITY;
        cphi[q] = e >= 0 ? ex->phi[e] : 0;
        blnw[q] = e >= 0 ? lnw_of(ex, e) : 0;
    }
    const double lnw0 = lnw_of(ex, c0), bd = beta * D;
    /* chunk sums: [0, HL_M_N) the moments of phi about the largest class
     * (hl_m_add: exponents as differences, ln W summed from the binomials,
     * never from ln Q + beta D phi), then m (k), m m (upper triangle), |m|
     * (k, for the error bounds), then per basin (HL_M_N moments about its
     * end, skipped, classes), then the classes below the cutoff */
    int nmm = k * (k + 1) / 2;
    int nv = HL_M_N + k + nmm + k, nbv = HL_M_N + 2;
    long nch = (n + CHUNK - 1) / CHUNK;
    size_t rowlen = (size_t)nv + (size_t)nbv * (size_t)nb + 1; /* +1: below */
    double *part = calloc((size_t)nch * rowlen, sizeof(double));
    r->cov = malloc(sizeof(double) * (size_t)(k * k));
    r->cov_bound = malloc(sizeof(double) * (size_t)(k * k));
    if (!part || !r->cov || !r->cov_bound) {
        free(part);
        free(slot);
        hl_blocks_exact_result_free(r);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
#pragma omp parallel for schedule(dynamic, 4) if (nch > 4)
    for (long ch = 0; ch < nch; ch++) {
        double *p = part + (size_t)ch * rowlen;
        double *pb = p + nv;
        long lo = ch * CHUNK, hi = lo + CHUNK < n ? lo + CHUNK : n;
        long nn[HL_BLOCKS_MAX];
        double m[HL_BLOCKS_MAX], u[HL_BLOCKS_MAX];
        for (long i = lo; i < hi; i++) {
            double v = ex->lnq[i];
            int s = slot[ex->end[i]];
            double ph = ex->phi[i], lnw = lnw_of(ex, i);
            double *pq = pb + (size_t)nbv * (size_t)s;
            pq[HL_M_N + 1] += 1;
            if (v - bmax[s] >= -HL_EXACT_LN_CUTOFF) {
                double dl = lnw - blnw[s], dp = ph - cphi[s], tt = dl - bd * dp;
                hl_m_add(pq, tt, fabs(lnw) + fabs(blnw[s]) + fabs(tt) + fabs(bd * dp), dp, lnw,
                         i != bend[s], fabs(cphi[s]));
            } else {
                pq[HL_M_N] += 1;
            }
            if (v - mx < -HL_EXACT_LN_CUTOFF) {
                p[rowlen - 1] += 1;
                continue;
            }
            hl_blocks_class(ex->b, i, nn, m);
            double dl = lnw - lnw0, dp = ph - p0, tt = dl - bd * dp;
            double w = hl_m_add(p, tt, fabs(lnw) + fabs(lnw0) + fabs(tt) + fabs(bd * dp), dp, lnw,
                                i != c0, fabs(p0));
            for (int a = 0; a < k; a++) {
                u[a] = m[a] - m0[a];
                p[HL_M_N + a] += w * u[a];
            }
            int t = HL_M_N + k;
            for (int a = 0; a < k; a++)
                for (int c = a; c < k; c++)
                    p[t++] += w * u[a] * u[c];
            for (int a = 0; a < k; a++)
                p[t++] += w * fabs(u[a]);
        }
    }
    long double *acc = calloc(rowlen, sizeof(long double));
    if (!acc) {
        free(part);
        free(slot);
        hl_blocks_exact_result_free(r);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    for (long ch = 0; ch < nch; ch++) {
        const double *p = part + (size_t)ch * rowlen;
        hl_m_merge(acc, p);
        for (size_t j = HL_M_N; j < (size_t)nv; j++)
            acc[j] += p[j];
        for (int q = 0; q < nb; q++) {
            size_t o = (size_t)nv + (size_t)nbv * (size_t)q;
            hl_m_merge(acc + o, p + o);
            acc[o + HL_M_N] += p[o + HL_M_N];
            acc[o + HL_M_N + 1] += p[o + HL_M_N + 1];
        }
        acc[rowlen - 1] += p[rowlen - 1];
    }
    /* error bounds of the moments (hl_exact_roundoff): each chunk sums up
     * to CHUNK terms in double (each term a few roundings), the chunks in
     * long double; so a sum of terms t has an error below g * sum |t|, and
     * the weights their own (M.werr, relative); a value below its bound is
     * round-off of 0 (a mean or covariance that vanishes by symmetry): 0 */
    const double g = (double)(CHUNK + 8) * DBL_EPSILON, eps = DBL_EPSILON;
    hl_m_result M;
    hl_m_finish(acc, g, fabs(p0), &M);
    double S0 = (double)acc[HL_M_W];
    double ln_total = mx + M.ln_s0;
    r->ln_z_per_dim = ln_total / D;
    r->ln_z_bound = (2 * eps * (2 * fabs(lnw0) + fabs(bd * p0)) + 4 * eps * M.ln_s0 + M.werr) / D +
                    eps * fabs(r->ln_z_per_dim);
    r->mean_phi_bound = M.mean_u_bound + eps * (fabs(p0) + fabs(M.mean_u));
    r->mean_phi = hl_exact_roundoff(p0 + M.mean_u, r->mean_phi_bound);
    /* lost digits are null (hl_exact_heat_capacity), a constant phi's 0 exact */
    int const_phi = hl_blocks_phi_is_constant(ex->b);
    r->heat_capacity_per_dim = const_phi ? 0.0 : hl_exact_heat_capacity(beta, D, M.var, M.var_bound);
    r->heat_capacity_bound = const_phi ? 0.0 : beta * beta * D * M.var_bound;
    r->mean_w = M.mean_lnw / D;
    r->mean_w_bound = M.mean_lnw_bound / D + eps * r->mean_w;
    r->entropy_per_dim = hl_exact_entropy_m(&M, D, &r->entropy_bound);
    double mu[HL_BLOCKS_MAX];
    for (int a = 0; a < k; a++) {
        mu[a] = (double)(acc[HL_M_N + a] / acc[HL_M_W]);
        r->mean_m[a] = m0[a] + mu[a];
    }
    const double gw = g + 2 * M.werr;
    double e2[HL_BLOCKS_MAX];
    int t = HL_M_N + k;
    for (int a = 0; a < k; a++)
        for (int c = a; c < k; c++) {
            double s2 = (double)(acc[t++] / acc[HL_M_W]);
            if (a == c)
                e2[a] = s2;
            double v = s2 - mu[a] * mu[c];
            r->cov[a * k + c] = r->cov[c * k + a] = v;
        }
    for (int a = 0; a < k; a++) {
        double am = (double)(acc[t++] / acc[HL_M_W]);
        r->mean_m_bound[a] = gw * am + g * fabs(mu[a]) + eps * (fabs(m0[a]) + fabs(mu[a]));
        r->mean_m[a] = hl_exact_roundoff(r->mean_m[a], r->mean_m_bound[a]);
    }
    for (int a = 0; a < k; a++)
        for (int c = a; c < k; c++) {
            double bnd = gw * (sqrt(e2[a] * e2[c]) + 2 * fabs(mu[a] * mu[c])) +
                         eps * fabs(r->cov[a * k + c]);
            r->cov_bound[a * k + c] = r->cov_bound[c * k + a] = bnd;
            r->cov[a * k + c] = r->cov[c * k + a] = hl_exact_roundoff(r->cov[a * k + c], bnd);
        }
    r->mean_x_bound = r->mean_y_bound = r->cov_xx_bound = r->cov_xy_bound = r->cov_yy_bound =
        NAN;
    if (hl_blocks_is_paper_pair(ex->b)) {
        double c11 = r->cov[0], c12 = r->cov[1], c22 = r->cov[3];
        double b1 = r->mean_m_bound[0], b2 = r->mean_m_bound[1];
        double d11 = r->cov_bound[0], d12 = r->cov_bound[1], d22 = r->cov_bound[3];
        r->mean_x_bound = 0.5 * (b1 + b2) + eps * 0.5 * fabs(r->mean_m[0] + r->mean_m[1]);
        r->mean_y_bound = 0.5 * (b1 + b2) + eps * 0.5 * fabs(r->mean_m[0] - r->mean_m[1]);
        r->cov_xx_bound = 0.25 * (d11 + 2 * d12 + d22) + eps * 0.25 * fabs(c11 + 2 * c12 + c22);
        r->cov_xy_bound = 0.25 * (d11 + d22) + eps * 0.25 * fabs(c11 - c22);
        r->cov_yy_bound = 0.25 * (d11 + 2 * d12 + d22) + eps * 0.25 * fabs(c11 - 2 * c12 + c22);
        r->mean_x = hl_exact_roundoff(0.5 * (r->mean_m[0] + r->mean_m[1]), r->mean_x_bound);
        r->mean_y = hl_exact_roundoff(0.5 * (r->mean_m[0] - r->mean_m[1]), r->mean_y_bound);
        r->cov_xx = hl_exact_roundoff(0.25 * (c11 + 2 * c12 + c22), r->cov_xx_bound);
        r->cov_xy = hl_exact_roundoff(0.25 * (c11 - c22), r->cov_xy_bound);
        r->cov_yy = hl_exact_roundoff(0.25 * (c11 - 2 * c12 + c22), r->cov_yy_bound);
    }
    long below = (long)acc[rowlen - 1];
    r->classes_summed = n - below;
    r->neglected_bound = (double)below * exp(-HL_EXACT_LN_CUTOFF) / S0;
    for (int q = 0; q < nb; q++) {
        hl_blocks_basin *b = &r->basins[q];
        const long double *a = acc + nv + (size_t)nbv * (size_t)q;
        b->classes = (long)a[HL_M_N + 1];
        if (!(a[HL_M_W] > 0))
            continue;
        hl_m_result mb;
        hl_m_finish(a, g, fabs(cphi[q]), &mb);
        b->ln_probability = bmax[q] + mb.ln_s0;
        double bound = (double)a[HL_M_N] * exp(-HL_EXACT_LN_CUTOFF) / (double)a[HL_M_W];
        double ln_zb = b->ln_probability;
        b->neglected_bound = bound;
        if (!(bound <= 1e-12)) {
            snprintf(b->thermo_null_reason, sizeof b->thermo_null_reason,
                     "the weight left out (bound %.3g of the basin's) is not negligible", bound);
        } else {
            b->ln_z_per_dim = ln_zb / D;
            b->ln_z_bound = (2 * eps * (2 * fabs(blnw[q]) + fabs(bd * cphi[q])) +
                             4 * eps * mb.ln_s0 + mb.werr) / D +
                            eps * fabs(b->ln_z_per_dim);
            b->mean_phi_bound = mb.mean_u_bound + eps * (fabs(cphi[q]) + fabs(mb.mean_u));
            b->mean_phi = hl_exact_roundoff(cphi[q] + mb.mean_u, b->mean_phi_bound);
            b->entropy_per_dim = hl_exact_entropy_m(&mb, D, &b->entropy_bound);
            b->heat_capacity_per_dim = const_phi ? 0.0 : hl_exact_heat_capacity(beta, D, mb.var, mb.var_bound);
            b->heat_capacity_bound = const_phi ? 0.0 : beta * beta * D * mb.var_bound;
            hl_exact_thermo_reason(b->heat_capacity_per_dim, b->entropy_per_dim,
                                   b->thermo_null_reason, sizeof b->thermo_null_reason);
        }
        b->ln_probability -= ln_total;
        if (b->ln_probability > 0)
            b->ln_probability = 0;
        b->probability = exp(b->ln_probability);
    }
    if (basin)
        for (long i = 0; i < n; i++)
            basin[i] = slot[ex->end[i]];
    free(acc);
    free(part);
    free(slot);
    return HL_OK;
}

int hl_blocks_exact_compute(hl_blocks_exact *ex, double beta, int *basin,
                            hl_blocks_exact_result *r)
{
    if (!ex || !r)
        return hl_fail(HL_EINVAL, "hl_blocks_exact_compute: NULL argument");
    return run(ex, beta, basin, r);
}

int hl_blocks_exact_distribution(hl_blocks_exact *ex, double beta, hl_blocks_class_visitor visit,
                                 void *ctx)
{
    if (!ex || !visit)
        return hl_fail(HL_EINVAL, "hl_blocks_exact_distribution: NULL argument");
    int *basin = malloc(sizeof(int) * (size_t)ex->n);
    if (!basin)
        return hl_fail(HL_ENOMEM, "out of memory");
    hl_blocks_exact_result r;
    int st = run(ex, beta, basin, &r);
    if (st) {
        free(basin);
        return st;
    }
    double mx = -INFINITY;
    for (long i = 0; i < ex->n; i++)
        mx = fmax(mx, ex->lnq[i]);
    double lnz = r.ln_z_per_dim * (double)ex->dim;
    long nn[HL_BLOCKS_MAX];
    double m[HL_BLOCKS_MAX];
    for (long i = 0; i < ex->n && !st; i++) {
        if (ex->lnq[i] - mx < -HL_EXACT_LN_CUTOFF)
            continue;
        hl_blocks_class(ex->b, i, nn, m);
        if (visit(ctx, i, nn, m, ex->lnq[i] - lnz, r.basins[basin[i]].name))
            st = hl_fail(HL_EINVAL, "class visitor stopped");
    }
    hl_blocks_exact_result_free(&r);
    free(basin);
    return st;
}

/* ------------------------------------------------------------ melting */

typedef struct {
    hl_blocks_exact *ex;
    const char *a, *b;
    int err;
} melt_ctx;

static double log_ratio(double beta, void *vp)
{
    melt_ctx *c = vp;
    hl_blocks_exact_result r;
    if (run(c->ex, beta, NULL, &r)) {
        c->err = HL_EDOM;
        return NAN;
    }
    int ia = -1, ib = -1;
    double v = NAN;
    if (hl_blocks_basin_lookup(&r, c->a, &ia) == HL_OK)
        hl_blocks_basin_lookup(&r, c->b, &ib);
    if (ia == -2 || ib == -2) {
        c->err = HL_ENOTFOUND; /* an alias that ties: the lookup's message */
    } else if (ia < 0 || ib < 0 || ia == ib) {
        c->err = HL_ENOTFOUND;
        hl_fail(HL_ENOTFOUND, "at beta = %.10g the basins '%s' and '%s' are not two basins", beta,
                c->a, c->b);
    } else {
        v = r.basins[ia].ln_probability - r.basins[ib].ln_probability;
        if (!isfinite(v)) {
            c->err = HL_ENOTFOUND;
            hl_fail(HL_ENOTFOUND, "at beta = %.10g a basin has no weight above 1e-300", beta);
        }
    }
    hl_blocks_exact_result_free(&r);
    return v;
}

int hl_blocks_exact_melting(hl_blocks_exact *ex, const char *a, const char *b, double beta_lo,
                            double beta_hi, double *beta_m)
{
    if (!ex || !a || !b || !beta_m)
        return hl_fail(HL_EINVAL, "hl_blocks_exact_melting: NULL argument");
    if (!(beta_lo > 0) || !(beta_hi > beta_lo) || !isfinite(beta_hi))
        return hl_fail(HL_EDOM, "bad bracket [%g, %g]", beta_lo, beta_hi);
    melt_ctx c = {ex, a, b, 0};
    double flo = log_ratio(beta_lo, &c);
    if (c.err)
        return c.err;
    double fhi = log_ratio(beta_hi, &c);
    if (c.err)
        return c.err;
    if (flo * fhi > 0)
        return hl_fail(HL_ENOTFOUND,
                       "ln P(%s) - ln P(%s) does not change sign on [%g, %g] (%g, %g)", a, b,
                       beta_lo, beta_hi, flo, fhi);
    gsl_function F = {log_ratio, &c};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    gsl_root_fsolver_set(s, &F, beta_lo, beta_hi);
    int status = GSL_CONTINUE;
    double root = NAN;
    for (int it = 0; it < 200 && status == GSL_CONTINUE && !c.err; it++) {
        gsl_root_fsolver_iterate(s);
        root = gsl_root_fsolver_root(s);
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                        gsl_root_fsolver_x_upper(s), 0, 1e-13);
    }
    gsl_root_fsolver_free(s);
    if (c.err)
        return c.err;
    if (status != GSL_SUCCESS)
        return hl_fail(HL_ENOCONV, "the melting point did not converge");
    *beta_m = root;
    return HL_OK;
}
