/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kovacs.c -- the Kovacs memory experiment (memory.h): quench from T0 to
 * T1, age until <A> reaches the equilibrium of T2 (the first sign change
 * on the grid, then Brent's zeroin on propagations from the grid point
 * before it), jump to T2 and follow the return: the hump's height and
 * time (refined on sub-grids in ln tau around the largest grid value). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "memory_private.h"

#define HUMP_LEVELS 4
#define HUMP_SUB 33

size_t hl_kovacs_max_points(const hl_kovacs_options *o)
{
    return o ? 2 * o->n_grid + 3 : 0;
}

static int check_options(const hl_kovacs_options *o, double t1)
{
    if (!isfinite(o->t0) || !isfinite(o->t2) || !isfinite(t1) || !(t1 >= 1e-6))
        return hl_fail(HL_EDOM, "T0, T1 and T2 must be finite and at least 1e-6 (got %g, %g, %g)",
                       o->t0, t1, o->t2);
    if (!(t1 < o->t2 && o->t2 < o->t0))
        return hl_fail(HL_EDOM, "the Kovacs experiment needs T1 < T2 < T0 (got T1 = %g, T2 = %g, "
                                "T0 = %g)", t1, o->t2, o->t0);
    if (o->start != HL_MEMORY_START_EQUILIBRIUM && o->start != HL_MEMORY_START_BASIN)
        return hl_fail(HL_EDOM, "unknown start %d", o->start);
    if (o->ref != HL_MEMORY_REF_BASIN && o->ref != HL_MEMORY_REF_TOTAL)
        return hl_fail(HL_EDOM, "unknown reference %d", o->ref);
    if (!o->grid || o->n_grid < 3)
        return hl_fail(HL_EDOM, "the time grid needs at least 3 times (got %zu)", o->n_grid);
    for (size_t k = 0; k < o->n_grid; k++)
        if (!isfinite(o->grid[k]) || !(o->grid[k] > 0) ||
            (k && !(o->grid[k] > o->grid[k - 1])))
            return hl_fail(HL_EDOM, "the time grid must be positive, finite and strictly "
                                    "increasing (time %g at %zu)", o->grid[k], k);
    return HL_OK;
}

typedef struct {
    hl_memsys *s;
    double T, a_ref;
    const double *from;  /* the state at time t_from */
    double t_from;
    double *p;           /* the state of the last evaluation */
    double max_err;
} prop_ctx;

/* <A>(t) - a_ref, p(t) into c->p */
static int eval_at(prop_ctx *c, double t, double *f)
{
    double tt = t - c->t_from, err = 0;
    int st;
    if (tt <= 0) {
        memcpy(c->p, c->from, sizeof(double) * (size_t)c->s->n);
    } else if ((st = hl_memsys_propagate(c->s, c->T, c->from, &tt, 1, c->p, &err)) != HL_OK) {
        return st;
    }
    c->max_err = fmax(c->max_err, err);
    *f = hl_memsys_mean(c->s, c->p) - c->a_ref;
    return HL_OK;
}

/* Brent's zeroin (R. P. Brent, Algorithms for Minimization without
 * Derivatives, 1973, ch. 4) on [a, b] with f(a) f(b) <= 0; the state of the
 * best point ends in best (n entries).  Stops at |f| <= ftol or a bracket
 * below xtol. */
static int zeroin(prop_ctx *c, double a, double b, double fa, double fb, const double *pa,
                  const double *pb, double ftol, double *root, double *froot, double *best)
{
    size_t nb = sizeof(double) * (size_t)c->s->n;
    double cc = a, fc = fa, d = b - a, e = d;
    double bestx = fabs(fa) < fabs(fb) ? a : b, bestf = fabs(fa) < fabs(fb) ? fa : fb;
    memcpy(best, fabs(fa) < fabs(fb) ? pa : pb, nb);
    for (int it = 0; it < 200; it++) {
        if ((fb > 0) == (fc > 0)) {
            cc = a;
            fc = fa;
            d = e = b - a;
        }
        if (fabs(fc) < fabs(fb)) {
            a = b;
            b = cc;
            cc = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        double tol = 1e-14 * fabs(b) + 1e-300;
        double xm = 0.5 * (cc - b);
        if (fabs(fb) <= ftol || fabs(xm) <= tol || fb == 0)
            break;
        if (fabs(e) >= tol && fabs(fa) > fabs(fb)) {
            double s = fb / fa, p, q;
            if (a == cc) {
                p = 2 * xm * s;
                q = 1 - s;
            } else {
                double qq = fa / fc, r = fb / fc;
                p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
                q = (qq - 1) * (r - 1) * (s - 1);
            }
            if (p > 0)
                q = -q;
            else
                p = -p;
            if (2 * p < fmin(3 * xm * q - fabs(tol * q), fabs(e * q))) {
                e = d;
                d = p / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += fabs(d) > tol ? d : (xm > 0 ? tol : -tol);
        int st = eval_at(c, b, &fb);
        if (st)
            return st;
        if (fabs(fb) < fabs(bestf)) {
            bestf = fb;
            bestx = b;
            memcpy(best, c->p, nb);
        }
    }
    *root = bestx;
    *froot = bestf;
    return HL_OK;
}

static void put(hl_kovacs_point *pt, int stage, double t, double mean, double a_ref, double pb,
                double err)
{
    pt->stage = stage;
    pt->t = t;
    pt->mean = mean;
    pt->deviation = mean - a_ref;
    pt->p_basin = pb;
    pt->sum_error = err;
}

/* |sum p - 1| of a distribution */
static double sum_error(long n, const double *p)
{
    double t = 0;
    for (long i = 0; i < n; i++)
        t += p[i];
    return fabs(t - 1.0);
}

int hl_kovacs_run(hl_memsys *s, const hl_kovacs_options *o, double t1, hl_kovacs_point *pts,
                  size_t *n_pts, hl_kovacs_result *res)
{
    if (!s || !o || !pts || !n_pts || !res)
        return hl_fail(HL_EINVAL, "hl_kovacs_run: NULL argument");
    *n_pts = 0;
    memset(res, 0, sizeof *res);
    res->t1 = t1;
    res->a_start = res->a_ref = res->a_eq_t1 = res->t_age = res->age_residual = NAN;
    res->hump_height = res->hump_time = res->hump_resolution = res->hump_p_basin = NAN;
    int st = check_options(o, t1);
    if (st)
        return st;
    long n = s->n, props0 = s->propagations;
    size_t ng = o->n_grid, np = 0;
    double T2 = o->t2, a_ref;
    if ((st = hl_memsys_reference(s, o->ref, T2, &a_ref)) != HL_OK)
        return st;
    res->a_ref = a_ref;
    double a1;
    if (hl_memsys_reference(s, o->ref, t1, &a1) == HL_OK)
        res->a_eq_t1 = a1;
    size_t nb = sizeof(double) * (size_t)n;
    double *P = malloc(nb * (ng + 1)), *times = malloc(sizeof(double) * (ng + 1));
    double *pa = malloc(nb), *pbuf = malloc(nb);
    if (!P || !times || !pa || !pbuf) {
        st = hl_fail(HL_ENOMEM, "out of memory (%zu times of %ld states)", ng + 1, n);
        goto done;
    }
    if ((st = hl_memsys_start(s, o->start, o->t0, P)) != HL_OK)
        goto done;
    times[0] = 0;
    memcpy(times + 1, o->grid, sizeof(double) * ng);
    double err = 0;
    if ((st = hl_memsys_propagate(s, t1, P, times + 1, ng, P + n, &err)) != HL_OK)
        goto done;
    res->max_sum_error = fmax(err, sum_error(n, P));
    /* ageing at T1: the first sign change of <A> - a_ref */
    double f0 = hl_memsys_mean(s, P) - a_ref, fprev = f0;
    res->a_start = f0 + a_ref;
    size_t kb = 0;
    if (f0 != 0)
        for (size_t k = 1; k <= ng; k++) {
            double f = hl_memsys_mean(s, P + k * (size_t)n) - a_ref;
            if (f == 0 || (f > 0) != (f0 > 0)) {
                kb = k;
                break;
            }
            fprev = f;
        }
    size_t last = (f0 == 0) ? 0 : (kb ? kb - 1 : ng);
    for (size_t k = 0; k <= last; k++) {
        const double *p = P + k * (size_t)n;
        put(&pts[np++], HL_KOVACS_AGE, times[k], hl_memsys_mean(s, p), a_ref,
            hl_memsys_p_basin(s, t1, p), sum_error(n, p));
    }
    if (f0 != 0 && !kb) {
        snprintf(res->age_null, sizeof res->age_null,
                 "<A> at T1 does not reach A_ref within t <= %.6g (<A> - A_ref = %.6g there)",
                 times[ng], fprev);
        goto out;
    }
    double t_a = 0, f_a = 0;
    if (f0 != 0) {
        prop_ctx c = {s, t1, a_ref, P + (kb - 1) * (size_t)n, times[kb - 1], pbuf, 0};
        double fb = hl_memsys_mean(s, P + kb * (size_t)n) - a_ref;
        double ftol = 1e-12 * fmax(fabs(a_ref), fabs(f0));
        if (fb == 0) {
            t_a = times[kb];
            memcpy(pa, P + kb * (size_t)n, nb);
        } else if ((st = zeroin(&c, times[kb - 1], times[kb], fprev, fb, P + (kb - 1) * (size_t)n,
                                P + kb * (size_t)n, ftol, &t_a, &f_a, pa)) != HL_OK) {
            goto done;
        }
        res->max_sum_error = fmax(res->max_sum_error, c.max_err);
    } else {
        memcpy(pa, P, nb);
    }
    res->t_age = t_a;
    res->age_residual = fabs(f_a);
    if (t_a > 0)
        put(&pts[np++], HL_KOVACS_AGE, t_a, hl_memsys_mean(s, pa), a_ref,
            hl_memsys_p_basin(s, t1, pa), sum_error(n, pa));
    /* the jump to T2 */
    memcpy(P, pa, nb);
    if ((st = hl_memsys_propagate(s, T2, pa, times + 1, ng, P + n, &err)) != HL_OK)
        goto done;
    res->max_sum_error = fmax(res->max_sum_error, err);
    size_t jmax = 1;
    for (size_t j = 0; j <= ng; j++) {
        const double *p = P + j * (size_t)n;
        double m = hl_memsys_mean(s, p);
        put(&pts[np++], HL_KOVACS_JUMP, times[j], m, a_ref, hl_memsys_p_basin(s, T2, p),
            sum_error(n, p));
        if (j >= 1 && m - a_ref > pts[np - 1 - (j - jmax)].deviation)
            jmax = j;
    }
    const hl_kovacs_point *jp = &pts[np - 1 - ng]; /* tau = 0 */
    double spread = 0, pmax = 0;
    for (long i = 0; i < n; i++)
        pmax = fmax(pmax, pa[i]);
    for (long i = 0; i < n; i++)
        if (pa[i] > 1e-300 * pmax)
            spread = fmax(spread, fabs(s->A[i] - a_ref));
    res->hump_resolution = res->age_residual + 100 * s->rtol * (fabs(a_ref) + spread);
    double hmax = jp[jmax].deviation;
    res->hump_height = hmax;
    if (!(hmax > res->hump_resolution)) {
        if (hmax < -res->hump_resolution) {
            /* <A> stays below A_ref over the whole grid after the jump: no
             * positive maximum; the return is from below (a dip, the other
             * sign), its deepest point named */
            size_t jmin = 1;
            for (size_t j = 1; j <= ng; j++)
                if (jp[j].deviation < jp[jmin].deviation)
                    jmin = j;
            snprintf(res->hump_null, sizeof res->hump_null,
                     "no hump: <A> < A_ref at every tau > 0 (max %.3g at tau %.3g; "
                     "a dip, min %.3g at tau %.3g)",
                     hmax, times[jmax], jp[jmin].deviation, times[jmin]);
        } else {
            snprintf(res->hump_null, sizeof res->hump_null,
                     "no hump: the largest deviation %.3g is within the resolution %.3g", hmax,
                     res->hump_resolution);
        }
        goto out;
    }
    if (jmax == 1 || jmax == ng) {
        snprintf(res->hump_null, sizeof res->hump_null,
                 "the largest deviation is at the %s time of the grid (tau = %.6g): widen it",
                 jmax == 1 ? "first" : "last", times[jmax]);
        goto out;
    }
    /* refine in ln tau: HUMP_LEVELS levels of HUMP_SUB log-spaced times
     * between the neighbours of the best point, each propagated in one call
     * from the state at the lower neighbour */
    {
        double *sub = malloc(nb * HUMP_SUB), ts[HUMP_SUB], tt[HUMP_SUB];
        double *from = malloc(nb);
        if (!sub || !from) {
            free(sub);
            free(from);
            st = hl_fail(HL_ENOMEM, "out of memory");
            goto done;
        }
        double lo = times[jmax - 1], hi = times[jmax + 1], bf = hmax, bt = times[jmax];
        memcpy(from, P + (jmax - 1) * (size_t)n, nb);
        memcpy(pbuf, P + jmax * (size_t)n, nb);
        for (int lev = 0; lev < HUMP_LEVELS && !st; lev++) {
            for (int k = 0; k < HUMP_SUB; k++) {
                ts[k] = lo * exp(log(hi / lo) * (k + 1) / (HUMP_SUB + 1));
                tt[k] = ts[k] - lo;
            }
            double e = 0;
            if ((st = hl_memsys_propagate(s, T2, from, tt, HUMP_SUB, sub, &e)) != HL_OK)
                break;
            res->max_sum_error = fmax(res->max_sum_error, e);
            int kb = -1;
            for (int k = 0; k < HUMP_SUB; k++) {
                double f = hl_memsys_mean(s, sub + (size_t)k * (size_t)n) - a_ref;
                if (f > bf) {
                    bf = f;
                    bt = ts[k];
                    kb = k;
                }
            }
            if (kb < 0) /* the grid point itself is the best: bracket it */
                for (kb = 0; kb + 1 < HUMP_SUB && ts[kb + 1] < bt; kb++)
                    ;
            else
                memcpy(pbuf, sub + (size_t)kb * (size_t)n, nb);
            double nlo = kb > 0 ? ts[kb - 1] : lo, nhi = kb + 1 < HUMP_SUB ? ts[kb + 1] : hi;
            if (kb > 0)
                memcpy(from, sub + (size_t)(kb - 1) * (size_t)n, nb);
            lo = nlo;
            hi = nhi;
        }
        free(sub);
        free(from);
        if (st)
            goto done;
        res->hump_height = bf;
        res->hump_time = bt;
        res->hump_p_basin = hl_memsys_p_basin(s, T2, pbuf);
    }
out:
    res->propagations = s->propagations - props0;
    *n_pts = np;
    st = HL_OK;
done:
    free(P);
    free(times);
    free(pa);
    free(pbuf);
    return st;
}
