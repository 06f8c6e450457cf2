/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_search.c -- every stationary point of f = w - beta phi for k
 * blocks at one beta (blocks_phases.h): branch-and-bound over the box
 * |t_i| <= beta G_i / r_i with interval enclosures of F = grad_m f,
 * the fixed-point contraction t_i in -(beta / r_i) [dphi/dm_i], and the
 * Krawczyk operator, which contracts a box and proves a stationary point
 * unique in it. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_thermo.h"

/* ------------------------------------------------------- interval helpers */

typedef hl_interval iv;

/* one step outward: below (above) v by at least an ulp (|v| 2.3e-16 is
 * more than half an ulp, so the rounded difference moves) */
static inline double dn(double v) { return isfinite(v) ? v - (fabs(v) * 2.3e-16 + DBL_TRUE_MIN) : v; }
static inline double up(double v) { return isfinite(v) ? v + (fabs(v) * 2.3e-16 + DBL_TRUE_MIN) : v; }
static iv ivp(double lo, double hi) { return (iv){dn(lo), up(hi), 0}; }
static iv iadd(iv a, iv c)
{
    iv r = {dn(a.lo + c.lo), up(a.hi + c.hi), a.nan | c.nan};
    if (isnan(r.lo))
        r.lo = -INFINITY;
    if (isnan(r.hi))
        r.hi = INFINITY;
    return r;
}
/* s * a for a point s */
static iv iscale(double s, iv a)
{
    if (s == 0)
        return (iv){0, 0, a.nan};
    double lo = s > 0 ? s * a.lo : s * a.hi, hi = s > 0 ? s * a.hi : s * a.lo;
    iv r = {dn(lo), up(hi), a.nan};
    if (isnan(r.lo))
        r.lo = -INFINITY;
    if (isnan(r.hi))
        r.hi = INFINITY;
    return r;
}
static double pm(double a, double c) { return (a == 0 || c == 0) ? 0.0 : a * c; }
static iv imul(iv a, iv c)
{
    double p[4] = {pm(a.lo, c.lo), pm(a.lo, c.hi), pm(a.hi, c.lo), pm(a.hi, c.hi)};
    double lo = p[0], hi = p[0];
    for (int q = 1; q < 4; q++) {
        lo = fmin(lo, p[q]);
        hi = fmax(hi, p[q]);
    }
    return (iv){dn(lo), up(hi), a.nan | c.nan};
}
static int has_zero(iv a) { return a.nan || (a.lo <= 0 && a.hi >= 0); }
static double mag(iv a) { return fmax(fabs(a.lo), fabs(a.hi)); }

/* sech^2 over [lo, hi] */
static iv sech2(double lo, double hi)
{
    double clo = cosh(lo), chi = cosh(hi);
    double vlo = isfinite(clo) ? 1.0 / (clo * clo) : 0.0;
    double vhi = isfinite(chi) ? 1.0 / (chi * chi) : 0.0;
    double a = fmin(vlo, vhi), c = fmax(vlo, vhi);
    if (lo <= 0 && hi >= 0)
        c = 1.0;
    return (iv){fmax(0.0, a * (1 - 4e-16) - DBL_TRUE_MIN), fmin(1.0, c * (1 + 4e-16)), 0};
}

/* ------------------------------------------------------------- the search */

typedef struct {
    const hl_blocks *b;
    int k;
    double beta;
    double r[BK];
    iv bor[BK]; /* beta / r_i, enclosed */
    /* found points (t), growable */
    double *pts;
    int *proved;
    size_t npts, cap;
    long boxes, nproved, unresolved;
    int oom;
    int partial_ok; /* the caller takes the points found when the budget runs out */
    int gave_up;    /* the budget ran out */
} search_t;

/* enclosures over the t-box: m, grad, Hessian of phi, sech^2 */
static void box_derivs(const search_t *s, const double *lo, const double *hi, iv *grad, iv *hess,
                       iv *c)
{
    double mlo[BK], mhi[BK];
    for (int i = 0; i < s->k; i++) {
        mlo[i] = fmax(-1.0, dn(tanh(lo[i])));
        mhi[i] = fmin(1.0, up(tanh(hi[i])));
        if (c)
            c[i] = sech2(lo[i], hi[i]);
    }
    hl_blocks_derivs_box(s->b, mlo, mhi, grad, hess);
}

static int add_point(search_t *s, const double *t, int proved)
{
    int k = s->k;
    for (size_t q = 0; q < s->npts; q++)
        if (hl_bl_same(k, s->pts + q * (size_t)k, t)) {
            s->proved[q] |= proved;
            return 1;
        }
    if (s->npts == s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 16;
        double *np = realloc(s->pts, sizeof(double) * nc * (size_t)k);
        if (!np)
            return 0;
        s->pts = np;
        int *nq = realloc(s->proved, sizeof(int) * nc);
        if (!nq)
            return 0;
        s->proved = nq;
        s->cap = nc;
    }
    memcpy(s->pts + s->npts * (size_t)k, t, sizeof(double) * (size_t)k);
    s->proved[s->npts++] = proved;
    return 1;
}

/* F(X) = -r X - beta G and the fixed-point contraction; 0 if the box holds
 * no stationary point, else lo, hi contracted. */
static int exclude_contract(const search_t *s, double *lo, double *hi, const iv *g)
{
    for (int i = 0; i < s->k; i++) {
        iv F = iadd(iscale(-s->r[i], (iv){lo[i], hi[i], 0}), iscale(-s->beta, g[i]));
        if (!has_zero(F))
            return 0;
        if (g[i].nan || !isfinite(g[i].lo) || !isfinite(g[i].hi))
            continue;
        iv fp = imul(s->bor[i], (iv){-g[i].hi, -g[i].lo, 0});
        lo[i] = fmax(lo[i], fp.lo);
        hi[i] = fmin(hi[i], fp.hi);
        if (lo[i] > hi[i])
            return 0;
    }
    return 1;
}

/* Krawczyk on the box X = [lo, hi] (inflated to Xi): 2 = a stationary point
 * proved unique in Xi (written to root), 0 = none in X, 1 = X contracted
 * to X cap K(Xi) (lo, hi updated), *wid the column scale for bisection. */
static int krawczyk(search_t *s, double *lo, double *hi, double *root, double *colw)
{
    int k = s->k;
    double xl[BK], xh[BK], y[BK];
    for (int i = 0; i < k; i++) {
        double w = hi[i] - lo[i], pad = 0.01 * w + 1e-13 * (1 + fabs(lo[i]) + fabs(hi[i]));
        xl[i] = lo[i] - pad;
        xh[i] = hi[i] + pad;
        y[i] = 0.5 * (lo[i] + hi[i]);
    }
    iv g[BK], H[BK * BK], c[BK], gy[BK];
    box_derivs(s, xl, xh, g, H, c);
    box_derivs(s, y, y, gy, NULL, NULL);
    /* J(Xi) = -diag(r) - beta H diag(c) */
    iv JX[BK * BK];
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            iv v = iscale(-s->beta, imul(H[i * k + j], c[j]));
            if (i == j)
                v = iadd(v, (iv){-s->r[i], -s->r[i], 0});
            JX[i * k + j] = v;
        }
    for (int j = 0; j < k; j++) {
        colw[j] = 0;
        for (int i = 0; i < k; i++)
            colw[j] = fmax(colw[j], mag(JX[i * k + j]));
    }
    /* Y ~ J(y)^-1 */
    hl_bl_eval e;
    hl_bl_eval_at(s->b, s->beta, y, &e);
    double Y[BK * BK];
    if (!hl_bl_inverse(k, e.J, Y))
        return 1;
    /* midpoint-radius form: J(Xi) in [Jc - Jr, Jc + Jr], F(y) in [Fc - Fr,
     * Fc + Fr]; K(Xi) = y - Y F(y) + (I - Y J(Xi)) (Xi - y) is enclosed by
     * c +- (rc + sum_j (|I - Y Jc| + |Y| Jr)_ij d_j) with d_j = |Xi_j - y_j|,
     * plus gamma times the magnitudes for the rounding of the sums */
    const double gam = (k + 4) * 1.2e-16;
    double Jc[BK * BK], Jr[BK * BK], Fc[BK], Fr[BK], d[BK];
    for (int q = 0; q < k * k; q++) {
        if (JX[q].nan || !isfinite(JX[q].lo) || !isfinite(JX[q].hi))
            return 1;
        Jc[q] = 0.5 * (JX[q].lo + JX[q].hi);
        Jr[q] = 0.5 * (JX[q].hi - JX[q].lo) * (1 + 4.5e-16) + fabs(Jc[q]) * 2.3e-16 + DBL_TRUE_MIN;
    }
    for (int i = 0; i < k; i++) {
        iv F = iadd(iscale(-s->r[i], (iv){y[i], y[i], 0}), iscale(-s->beta, gy[i]));
        if (F.nan || !isfinite(F.lo) || !isfinite(F.hi))
            return 1;
        Fc[i] = 0.5 * (F.lo + F.hi);
        Fr[i] = 0.5 * (F.hi - F.lo) * (1 + 4.5e-16) + fabs(Fc[i]) * 2.3e-16 + DBL_TRUE_MIN;
        d[i] = fmax(y[i] - xl[i], xh[i] - y[i]) * (1 + 4.5e-16) + DBL_TRUE_MIN;
    }
    int inside = 1;
    double nl[BK], nh[BK];
    for (int i = 0; i < k; i++) {
        const double *Yi = Y + i * k;
        double c = y[i], cm = fabs(y[i]), rc = 0;
        for (int l = 0; l < k; l++) {
            c -= Yi[l] * Fc[l];
            cm += fabs(Yi[l] * Fc[l]);
            rc += fabs(Yi[l]) * Fr[l];
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double rcen = i == j ? 1.0 : 0.0, ra = 0, rm = 1;
            for (int l = 0; l < k; l++) {
                double yl = Yi[l];
                rcen -= yl * Jc[l * k + j];
                ra += fabs(yl) * Jr[l * k + j];
                rm += fabs(yl * Jc[l * k + j]);
            }
            sum += (fabs(rcen) + ra + gam * rm) * d[j];
        }
        double rad = (rc + sum) * (1 + gam) + gam * cm + DBL_TRUE_MIN;
        if (!isfinite(rad) || !isfinite(c)) {
            nl[i] = -INFINITY;
            nh[i] = INFINITY;
            inside = 0;
            continue;
        }
        nl[i] = c - rad;
        nh[i] = c + rad;
        if (!(nl[i] > xl[i] && nh[i] < xh[i]))
            inside = 0;
    }
    if (inside) {
        /* unique stationary point in Xi: Newton from y */
        memcpy(root, y, sizeof(double) * (size_t)k);
        if (hl_bl_newton(s->b, s->beta, root, 60, &e)) {
            hl_bl_polish(s->b, s->beta, root);
            int in = 1;
            for (int i = 0; i < k; i++)
                in &= root[i] >= nl[i] - 1e-9 * (1 + fabs(root[i])) &&
                      root[i] <= nh[i] + 1e-9 * (1 + fabs(root[i]));
            if (in)
                return 2;
        }
    }
    for (int i = 0; i < k; i++) {
        lo[i] = fmax(lo[i], nl[i]);
        hi[i] = fmin(hi[i], nh[i]);
        if (lo[i] > hi[i])
            return 0;
    }
    return 1;
}

/* The search's work budget. A box costs about k^3 operations (the interval
 * Jacobian and the Krawczyk step), so the box budget shrinks with k: at most
 * 4e6 boxes and about 5e9 box-operations, which bounds a failing search at
 * large k to about a minute instead of hours. */
#define BOX_BUDGET 4000000L
#define WORK_BUDGET 5e9

static long box_budget(int k)
{
    double kb = WORK_BUDGET / ((double)k * k * k);
    return kb < (double)BOX_BUDGET ? (long)kb : BOX_BUDGET;
}

static int run(search_t *s, const double *lo0, const double *hi0)
{
    int k = s->k;
    size_t cap = 256, n = 0;
    double *stack = malloc(sizeof(double) * 2 * (size_t)k * cap);
    if (!stack)
        return hl_fail(HL_ENOMEM, "out of memory in the search for stationary points");
    memcpy(stack, lo0, sizeof(double) * (size_t)k);
    memcpy(stack + k, hi0, sizeof(double) * (size_t)k);
    n = 1;
    int st = HL_OK;
    long budget = box_budget(k);
    while (n > 0) {
        if (++s->boxes > budget) {
            s->boxes--;
            if (s->partial_ok) {
                s->gave_up = 1;
                s->unresolved += (long)n;
                break;
            }
            st = hl_fail(HL_ERANGE,
                         "the search for stationary points of f at beta = %g gave up after %ld "
                         "boxes (%zu points found, %ld boxes left): too many for k = %d",
                         s->beta, budget, s->npts, (long)n, k);
            break;
        }
        n--;
        double lo[BK], hi[BK], root[BK], colw[BK];
        memcpy(lo, stack + 2 * (size_t)k * n, sizeof(double) * (size_t)k);
        memcpy(hi, stack + 2 * (size_t)k * n + k, sizeof(double) * (size_t)k);
        int empty = 0, done = 0;
        for (int pass = 0; pass < 12 && !empty && !done; pass++) {
            double w0 = 0;
            for (int i = 0; i < k; i++)
                w0 += (hi[i] - lo[i]) / (1 + fabs(lo[i]) + fabs(hi[i]));
            iv g[BK];
            box_derivs(s, lo, hi, g, NULL, NULL);
            if (!exclude_contract(s, lo, hi, g)) {
                empty = 1;
                break;
            }
            int kr = krawczyk(s, lo, hi, root, colw);
            if (kr == 0) {
                empty = 1;
                break;
            }
            if (kr == 2) {
                if (!add_point(s, root, 1)) {
                    free(stack);
                    return hl_fail(HL_ENOMEM, "out of memory");
                }
                s->nproved++;
                done = 1;
                break;
            }
            double w1 = 0;
            for (int i = 0; i < k; i++)
                w1 += (hi[i] - lo[i]) / (1 + fabs(lo[i]) + fabs(hi[i]));
            if (!(w1 < 0.8 * w0))
                break;
        }
        if (empty || done)
            continue;
        /* bisect: the widest side weighted by its column of J */
        int wi = 0;
        double best = -1, wmax = 0;
        for (int i = 0; i < k; i++) {
            double w = hi[i] - lo[i];
            wmax = fmax(wmax, w / (1 + fabs(lo[i]) + fabs(hi[i])));
            double sc = w * (isfinite(colw[i]) ? fmax(colw[i], 1e-300) : 1e300);
            if (sc > best) {
                best = sc;
                wi = i;
            }
        }
        if (wmax < 1e-10) {
            /* unresolved: a singular point or two very close ones */
            s->unresolved++;
            double t[BK];
            hl_bl_eval e;
            for (int i = 0; i < k; i++)
                t[i] = 0.5 * (lo[i] + hi[i]);
            if (hl_bl_newton(s->b, s->beta, t, 60, &e) && (hl_bl_polish(s->b, s->beta, t), 1) &&
                !add_point(s, t, 0)) {
                free(stack);
                return hl_fail(HL_ENOMEM, "out of memory");
            }
            continue;
        }
        if (n + 2 > cap) {
            cap *= 2;
            double *ns = realloc(stack, sizeof(double) * 2 * (size_t)k * cap);
            if (!ns) {
                free(stack);
                return hl_fail(HL_ENOMEM, "out of memory in the search for stationary points");
            }
            stack = ns;
        }
        /* split a little off the middle: symmetric points (t = 0) stay
         * inside a box */
        double mid = lo[wi] + 0.4990234375 * (hi[wi] - lo[wi]);
        double *a = stack + 2 * (size_t)k * n, *c = a + 2 * k;
        memcpy(a, lo, sizeof(double) * (size_t)k);
        memcpy(a + k, hi, sizeof(double) * (size_t)k);
        a[k + wi] = mid;
        memcpy(c, lo, sizeof(double) * (size_t)k);
        memcpy(c + k, hi, sizeof(double) * (size_t)k);
        c[wi] = mid;
        n += 2;
    }
    free(stack);
    return st;
}

static int cmp_f_desc(const void *a, const void *c)
{
    const hl_bstat *p = a, *q = c;
    return (p->f < q->f) - (p->f > q->f);
}

/* Every stationary point at beta into *out (malloc'd, sorted by f,
 * largest first), *n of them. */
static int search_all(const hl_blocks *b, double beta, hl_bstat **out, size_t *n,
                      hl_bsearch *info)
{
    *out = NULL;
    *n = 0;
    int st = hl_bl_check_beta(beta);
    if (st)
        return st;
    hl_gsl_quiet();
    int k = hl_blocks_k(b);
    search_t s;
    memset(&s, 0, sizeof s);
    s.b = b;
    s.k = k;
    s.beta = beta;
    double lo[BK], hi[BK], one_lo[BK], one_hi[BK];
    for (int i = 0; i < k; i++) {
        s.r[i] = hl_blocks_fraction(b, i);
        s.bor[i] = ivp(beta / s.r[i], beta / s.r[i]);
        one_lo[i] = -1;
        one_hi[i] = 1;
    }
    iv g[BK];
    hl_blocks_derivs_box(b, one_lo, one_hi, g, NULL);
    for (int i = 0; i < k; i++) {
        double G = g[i].nan ? HL_PHI_LIMIT : fmin(mag(g[i]), HL_PHI_LIMIT);
        hi[i] = up(beta * G / s.r[i]) * (1 + 1e-12) + 1e-6;
        lo[i] = -hi[i];
    }
    s.partial_ok = info != NULL;
    st = run(&s, lo, hi);
    if (!st && s.npts) {
        hl_bstat *all = malloc(sizeof(hl_bstat) * s.npts);
        if (!all) {
            st = hl_fail(HL_ENOMEM, "out of memory");
        } else {
            for (size_t q = 0; q < s.npts; q++)
                hl_blocks_stationary_fill(b, beta, s.pts + q * (size_t)k, &all[q]);
            qsort(all, s.npts, sizeof *all, cmp_f_desc);
            *out = all;
            *n = s.npts;
        }
    }
    if (info) {
        info->boxes = s.boxes;
        info->proved = s.nproved;
        info->unresolved = s.unresolved;
        info->complete = !st && s.unresolved == 0 && !s.gave_up;
        info->gave_up = s.gave_up;
    }
    free(s.pts);
    free(s.proved);
    return st;
}

int hl_blocks_stationary_at(const hl_blocks *b, double beta, hl_bstat *buf, size_t cap,
                            size_t *count, hl_bsearch *info)
{
    if (!b || !count || (cap && !buf))
        return hl_fail(HL_EINVAL, "hl_blocks_stationary_at: NULL argument");
    hl_bstat *all;
    size_t n;
    int st = search_all(b, beta, &all, &n, info);
    if (st)
        return st;
    for (size_t q = 0; q < n && q < cap; q++)
        buf[q] = all[q];
    *count = n;
    free(all);
    return HL_OK;
}

static int cmp_m(const void *a, const void *c)
{
    const hl_bstat *p = a, *q = c;
    for (int i = 0; i < BK; i++) {
        if (p->m[i] != q->m[i])
            return (p->m[i] > q->m[i]) - (p->m[i] < q->m[i]);
    }
    return 0;
}

int hl_blocks_maxima_at(const hl_blocks *b, double beta, hl_bstat *buf, size_t cap,
                        size_t *count, hl_bsearch *info)
{
    if (!b || !count || (cap && !buf))
        return hl_fail(HL_EINVAL, "hl_blocks_maxima_at: NULL argument");
    hl_bstat *all;
    size_t n;
    int st = search_all(b, beta, &all, &n, info);
    size_t nm = 0;
    if (!st) {
        /* sorted by f: the first maximum is the global one */
        for (size_t q = 0; q < n; q++)
            if (all[q].index == 0) {
                all[q].stable = nm == 0;
                all[nm++] = all[q];
            }
        if (nm > 1)
            qsort(all, nm, sizeof *all, cmp_m);
        for (size_t q = 0; q < nm && q < cap; q++)
            buf[q] = all[q];
        *count = nm;
    }
    free(all);
    return st;
}
