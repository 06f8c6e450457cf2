/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kmc_ensemble.c -- ensembles of kinetic Monte Carlo trajectories (kmc.h):
 * a range of trajectory ids on all threads, each trajectory's record kept
 * in trajectory order (so that parts of a range merge into the same bits
 * however the range was split), and their statistics: moments of an
 * observable at each time, first-passage times. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "kmc_plan.h"

void hl_kmc_part_free(hl_kmc_part *p)
{
    if (!p)
        return;
    free(p->state);
    free(p->fpt);
    free(p->events);
    free(p->truncated);
    memset(p, 0, sizeof *p);
}

int hl_kmc_part_alloc(hl_kmc_part *p, uint64_t first, size_t n, size_t n_times)
{
    if (!p)
        return hl_fail(HL_EINVAL, "hl_kmc_part_alloc: NULL part");
    memset(p, 0, sizeof *p);
    if (n_times > 0 && n > ((size_t)-1 / sizeof(long)) / n_times)
        return hl_fail(HL_ERANGE, "%zu trajectories x %zu times is too large", n, n_times);
    size_t m = n ? n : 1;
    p->state = malloc(sizeof(long) * m * (n_times ? n_times : 1));
    p->fpt = malloc(sizeof(double) * m);
    p->events = malloc(sizeof(long) * m);
    p->truncated = malloc(m);
    if (!p->state || !p->fpt || !p->events || !p->truncated) {
        hl_kmc_part_free(p);
        return hl_fail(HL_ENOMEM, "out of memory for %zu trajectories x %zu times", n,
                       n_times);
    }
    p->first = first;
    p->n = n;
    p->n_times = n_times;
    return HL_OK;
}

int hl_kmc_ensemble(const hl_kmc *k, const hl_kmc_options *o, uint64_t first, uint64_t last,
                    hl_kmc_part *part)
{
    if (!part)
        return hl_fail(HL_EINVAL, "hl_kmc_ensemble: NULL part");
    memset(part, 0, sizeof *part);
    if (!(last > first))
        return hl_fail(HL_EINVAL, "hl_kmc_ensemble: empty range [%llu, %llu)",
                       (unsigned long long)first, (unsigned long long)last);
    double *p0cum;
    unsigned char *target;
    int st = hl_kmc_prepare(k, o, &p0cum, &target);
    if (st)
        return st;
    size_t n = (size_t)(last - first), nt = o->n_times;
    if ((st = hl_kmc_part_alloc(part, first, n, nt))) {
        free(p0cum);
        free(target);
        return st;
    }
    hl_kmc_options oo = *o;
    oo.every = 0;
    int failed = 0, fail_st = HL_OK;
#pragma omp parallel
    {
        double *work = malloc(sizeof(double) * (size_t)k->max_degree);
#pragma omp for schedule(dynamic, 16)
        for (size_t i = 0; i < n; i++) {
            hl_kmc_info info;
            int s = work ? hl_kmc_run(k, &oo, p0cum, target, first + i, part->state + i * nt,
                                      NULL, 0, work, &info)
                         : HL_ENOMEM;
            if (s) {
#pragma omp critical(hl_kmc_fail)
                {
                    failed = 1;
                    fail_st = s;
                }
                continue;
            }
            part->fpt[i] = info.fpt;
            part->events[i] = info.events;
            part->truncated[i] = (unsigned char)info.truncated;
        }
        free(work);
    }
    free(p0cum);
    free(target);
    if (failed) {
        hl_kmc_part_free(part);
        return fail_st == HL_ENOMEM ? hl_fail(HL_ENOMEM, "out of memory in a trajectory")
                                    : hl_fail(fail_st, "a trajectory failed");
    }
    return HL_OK;
}

int hl_kmc_part_append(hl_kmc_part *p, const hl_kmc_part *q)
{
    if (!p || !q)
        return hl_fail(HL_EINVAL, "hl_kmc_part_append: NULL part");
    if (q->n_times != p->n_times || q->first != p->first + p->n)
        return hl_fail(HL_EINVAL, "parts do not join: [%llu, +%zu) then [%llu, +%zu), %zu and "
                                  "%zu times",
                       (unsigned long long)p->first, p->n, (unsigned long long)q->first, q->n,
                       p->n_times, q->n_times);
    size_t n = p->n + q->n, nt = p->n_times;
    long *s = realloc(p->state, sizeof(long) * (n ? n : 1) * (nt ? nt : 1));
    if (s)
        p->state = s;
    double *f = realloc(p->fpt, sizeof(double) * (n ? n : 1));
    if (f)
        p->fpt = f;
    long *e = realloc(p->events, sizeof(long) * (n ? n : 1));
    if (e)
        p->events = e;
    unsigned char *t = realloc(p->truncated, n ? n : 1);
    if (t)
        p->truncated = t;
    if (!s || !f || !e || !t)
        return hl_fail(HL_ENOMEM, "out of memory joining parts of %zu trajectories", n);
    if (q->n) {
        memcpy(p->state + p->n * nt, q->state, sizeof(long) * q->n * nt);
        memcpy(p->fpt + p->n, q->fpt, sizeof(double) * q->n);
        memcpy(p->events + p->n, q->events, sizeof(long) * q->n);
        memcpy(p->truncated + p->n, q->truncated, q->n);
    }
    p->n = n;
    return HL_OK;
}

int hl_kmc_moments(const hl_kmc_part *p, const hl_kmc *k, const double *f, double *mean,
                   double *var, size_t *count)
{
    if (!p || !k || !f || !mean || !var)
        return hl_fail(HL_EINVAL, "hl_kmc_moments: NULL argument");
    long ns = k->rt.n;
    for (size_t t = 0; t < p->n_times; t++) {
        long double s = 0;
        size_t c = 0;
        for (size_t i = 0; i < p->n; i++) {
            long a = p->state[i * p->n_times + t];
            if (a < 0 || a >= ns)
                continue;
            s += f[a];
            c++;
        }
        long double m = c ? s / c : 0, q = 0;
        for (size_t i = 0; i < p->n; i++) {
            long a = p->state[i * p->n_times + t];
            if (a < 0 || a >= ns)
                continue;
            long double d = f[a] - m;
            q += d * d;
        }
        mean[t] = c ? (double)m : NAN;
        var[t] = c > 1 ? (double)(q / (c - 1)) : NAN;
        if (count)
            count[t] = c;
    }
    return HL_OK;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

int hl_kmc_fpt_stats(const hl_kmc_part *p, hl_kmc_fpt *s, double *sorted)
{
    if (!p || !s)
        return hl_fail(HL_EINVAL, "hl_kmc_fpt_stats: NULL argument");
    memset(s, 0, sizeof *s);
    s->n = p->n;
    double *v = sorted ? sorted : malloc(sizeof(double) * (p->n ? p->n : 1));
    if (!v)
        return hl_fail(HL_ENOMEM, "out of memory");
    long double sum = 0;
    for (size_t i = 0; i < p->n; i++) {
        v[i] = p->fpt[i];
        if (!isnan(v[i])) {
            s->reached++;
            sum += v[i];
        }
    }
    qsort(v, p->n, sizeof *v, cmp_double);
    s->min = s->reached ? v[0] : NAN;
    s->max = s->reached ? v[s->reached - 1] : NAN;
    int all = s->reached == s->n && s->n > 0;
    s->mean = s->sd = s->sem = NAN;
    static const double qp[HL_KMC_QUANTILES] = {0.05, 0.25, 0.5, 0.75, 0.95};
    for (int q = 0; q < HL_KMC_QUANTILES; q++) {
        size_t r = (size_t)ceil(qp[q] * (double)s->n);
        s->q[q] = all ? v[r > 0 ? r - 1 : 0] : NAN;
    }
    if (all) {
        long double m = sum / s->n, ss = 0;
        for (size_t i = 0; i < s->n; i++)
            ss += (v[i] - m) * (v[i] - m);
        s->mean = (double)m;
        if (s->n > 1) {
            s->sd = sqrtl(ss / (s->n - 1));
            s->sem = s->sd / sqrt((double)s->n);
        }
    }
    if (!sorted)
        free(v);
    return HL_OK;
}
