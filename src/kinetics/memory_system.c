/* SPDX-License-Identifier: GPL-3.0-or-later */
/* memory_system.c -- the system of the memory experiments (memory.h): the
 * class lattice of the hypercube model (propagated by hl_evolve) or a
 * reversible chain (propagated by hl_chain_evolve), with its observable,
 * its basin, its starts and equilibria at a fixed temperature. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "memory_private.h"

static int check_rtol(double *rtol, double dflt)
{
    if (*rtol == 0)
        *rtol = dflt;
    if (!(*rtol >= 1e-14 && *rtol <= 1e-4))
        return hl_fail(HL_EDOM, "rtol must be in [1e-14, 1e-4] (got %g)", *rtol);
    return HL_OK;
}

static void set_spread(hl_memsys *s)
{
    double lo = INFINITY, hi = -INFINITY;
    for (long i = 0; i < s->n; i++) {
        lo = fmin(lo, s->A[i]);
        hi = fmax(hi, s->A[i]);
    }
    s->spread = hi - lo;
}

int hl_memsys_create_model(const hl_model *model, long dim, double rtol, hl_memsys **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_memsys_create_model: NULL output");
    *out = NULL;
    if (!model)
        return hl_fail(HL_EINVAL, "hl_memsys_create_model: NULL model");
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if (dim > HL_EVOLVE_GENERAL_DIM_MAX)
        return hl_fail(HL_ERANGE, "D = %ld is above the class lattice's limit %ld", dim,
                       HL_EVOLVE_GENERAL_DIM_MAX);
    if ((st = check_rtol(&rtol, 1e-10)) != HL_OK)
        return st;
    hl_memsys *s = calloc(1, sizeof *s);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    s->kind = HL_MEMSYS_MODEL;
    s->m = model;
    s->dim = dim;
    s->rtol = rtol;
    st = hl_evolve_sys_init(&s->sys, model, dim, 0);
    if (!st)
        st = hl_exact_create(model, dim, HL_EXACT_AUTO, &s->ex);
    if (!st) {
        s->n = s->sys.N;
        s->A = malloc(sizeof(double) * (size_t)s->n);
        s->mask_cache = malloc((size_t)s->n);
        if (!s->A || !s->mask_cache)
            st = hl_fail(HL_ENOMEM, "out of memory");
    }
    if (st) {
        hl_memsys_free(s);
        return st;
    }
    for (long i = 0; i < s->n; i++)
        s->A[i] = s->sys.Phi[i] / (double)dim;
    set_spread(s);
    *out = s;
    return HL_OK;
}

int hl_memsys_create_chain(const hl_chain *chain, const double *observable, const long *basin,
                           size_t n_basin, double rtol, hl_memsys **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_memsys_create_chain: NULL output");
    *out = NULL;
    if (!chain || !observable || (n_basin && !basin))
        return hl_fail(HL_EINVAL, "hl_memsys_create_chain: NULL argument");
    int st = check_rtol(&rtol, 1e-12);
    if (st)
        return st;
    hl_chain_info ci;
    hl_chain_get_info(chain, &ci);
    if (ci.exits)
        return hl_fail(HL_EINVAL, "the chain has %ld exit rates: a memory experiment needs a "
                                  "closed chain", ci.exits);
    hl_memsys *s = calloc(1, sizeof *s);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    s->kind = HL_MEMSYS_CHAIN;
    s->chain = chain;
    s->n = ci.states;
    s->rtol = rtol;
    s->A = malloc(sizeof(double) * (size_t)s->n);
    if (!s->A) {
        hl_memsys_free(s);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    for (long i = 0; i < s->n; i++) {
        if (!isfinite(observable[i])) {
            hl_memsys_free(s);
            return hl_fail(HL_EDOM, "observable of state %ld is not finite (%g)", i,
                           observable[i]);
        }
        s->A[i] = observable[i];
    }
    if (n_basin) {
        s->basin = calloc((size_t)s->n, 1);
        if (!s->basin) {
            hl_memsys_free(s);
            return hl_fail(HL_ENOMEM, "out of memory");
        }
        for (size_t k = 0; k < n_basin; k++) {
            long a = basin[k];
            if (a < 0 || a >= s->n || s->basin[a]) {
                int bad = a < 0 || a >= s->n;
                hl_memsys_free(s);
                return hl_fail(HL_EINVAL, "basin state %ld is %s", a,
                               bad ? "not a state of the chain" : "repeated");
            }
            s->basin[a] = 1;
        }
    }
    set_spread(s);
    *out = s;
    return HL_OK;
}

void hl_memsys_free(hl_memsys *s)
{
    if (!s)
        return;
    if (s->kind == HL_MEMSYS_MODEL) {
        hl_evolve_sys_free(&s->sys);
        hl_exact_free(s->ex);
    }
    for (int k = 0; k < HL_MEMSYS_PLANS; k++)
        hl_chain_plan_free(s->plan[k]);
    free(s->A);
    free(s->mask_cache);
    free(s->basin);
    free(s);
}

long hl_memsys_states(const hl_memsys *s)
{
    return s ? s->n : 0;
}

int hl_memsys_has_basin(const hl_memsys *s)
{
    return s && (s->kind == HL_MEMSYS_MODEL || s->basin);
}

static int check_T(double T)
{
    if (!(T >= 1e-6) || !isfinite(T))
        return hl_fail(HL_EDOM, "temperature %g is not in [1e-6, inf)", T);
    return HL_OK;
}

/* the chain's plan at T (cached, a few temperatures) */
static int get_plan(hl_memsys *s, double T, hl_chain_plan **plan)
{
    for (int k = 0; k < HL_MEMSYS_PLANS; k++)
        if (s->plan[k] && s->plan_T[k] == T) {
            *plan = s->plan[k];
            return HL_OK;
        }
    int k = s->plan_next;
    s->plan_next = (k + 1) % HL_MEMSYS_PLANS;
    hl_chain_plan_free(s->plan[k]);
    s->plan[k] = NULL;
    int st = hl_chain_plan_create(s->chain, 1.0 / T, &s->plan[k]);
    if (st)
        return st;
    long nc = 0;
    long *comp = malloc(sizeof(long) * (size_t)s->n);
    if (!comp)
        return hl_fail(HL_ENOMEM, "out of memory");
    st = hl_chain_components(s->plan[k], comp, &nc);
    free(comp);
    if (!st && nc != 1)
        st = hl_fail(HL_EINVAL, "the chain has %ld connected components: a memory experiment "
                                "needs a connected chain", nc);
    if (st) {
        hl_chain_plan_free(s->plan[k]);
        s->plan[k] = NULL;
        return st;
    }
    s->plan_T[k] = T;
    *plan = s->plan[k];
    return HL_OK;
}

/* ln of the unnormalised equilibrium weights of the model at T into lq */
static void model_lq(const hl_memsys *s, double T, double *lq)
{
    long w = s->sys.w;
    for (long a = 0; a < w; a++)
        for (long b = 0; b < w; b++)
            lq[a * w + b] = s->sys.lnc[a] + s->sys.lnc[b] - s->sys.Phi[a * w + b] / T;
}

int hl_memsys_equilibrium(hl_memsys *s, double T, double *p)
{
    int st = check_T(T);
    if (st)
        return st;
    if (s->kind == HL_MEMSYS_MODEL) {
        model_lq(s, T, p);
        hl_ln_normalise(p, s->n);
        return HL_OK;
    }
    hl_chain_plan *plan;
    if ((st = get_plan(s, T, &plan)) != HL_OK)
        return st;
    if ((st = hl_chain_equilibrium(plan, p)) != HL_OK)
        return st;
    for (long i = 0; i < s->n; i++)
        p[i] = exp(p[i]);
    return HL_OK;
}

int hl_memsys_mask(hl_memsys *s, double T, const unsigned char **mask, int *present)
{
    *mask = NULL;
    *present = 0;
    int st = check_T(T);
    if (st)
        return st;
    if (s->kind == HL_MEMSYS_CHAIN) {
        *mask = s->basin;
        *present = s->basin != NULL;
        return HL_OK;
    }
    if (s->mask_T != T) {
        double *lq;
        long *lab;
        hl_named_maxima c;
        double beta = 1.0 / T;
        if ((st = hl_named_maxima_get(s->m, beta, &c)) != HL_OK)
            return st;
        if ((st = hl_evolve_ascent_labels(&s->sys, beta, &lq, &lab)) != HL_OK)
            return st;
        long h = s->sys.h, w = s->sys.w;
        int any = 0;
        for (long i = 0; i < s->n; i++) {
            long e = lab[i];
            const char *name = hl_named_maxima_nearest(&c, hl_class_x(h, e / w, e % w),
                                                       hl_class_y(h, e / w, e % w));
            s->mask_cache[i] = !strcmp(name, "liquid");
            any |= s->mask_cache[i];
        }
        free(lq);
        free(lab);
        s->mask_T = T;
        s->mask_present = any;
    }
    *present = s->mask_present;
    *mask = s->mask_present ? s->mask_cache : NULL;
    return HL_OK;
}

int hl_memsys_start(hl_memsys *s, int start, double T0, double *p)
{
    if (start != HL_MEMORY_START_EQUILIBRIUM && start != HL_MEMORY_START_BASIN)
        return hl_fail(HL_EDOM, "unknown start %d", start);
    int st = hl_memsys_equilibrium(s, T0, p);
    if (st || start == HL_MEMORY_START_EQUILIBRIUM)
        return st;
    const unsigned char *mask;
    int present;
    if ((st = hl_memsys_mask(s, T0, &mask, &present)) != HL_OK)
        return st;
    if (!present)
        return hl_fail(HL_ENOTFOUND, "no %s basin at T0 = %g to start from",
                       s->kind == HL_MEMSYS_MODEL ? "liquid" : "given", T0);
    if (s->kind == HL_MEMSYS_MODEL) {
        /* in logs: the basin may hold far less than 1e-300 of the total */
        model_lq(s, T0, p);
        double mx = -INFINITY;
        for (long i = 0; i < s->n; i++)
            if (mask[i])
                mx = fmax(mx, p[i]);
        for (long i = 0; i < s->n; i++)
            p[i] = mask[i] ? exp(p[i] - mx) : 0.0;
    } else {
        hl_chain_plan *plan;
        if ((st = get_plan(s, T0, &plan)) != HL_OK || (st = hl_chain_equilibrium(plan, p)))
            return st;
        double mx = -INFINITY;
        for (long i = 0; i < s->n; i++)
            if (mask[i])
                mx = fmax(mx, p[i]);
        for (long i = 0; i < s->n; i++)
            p[i] = mask[i] ? exp(p[i] - mx) : 0.0;
    }
    double sum = 0;
    for (long i = 0; i < s->n; i++)
        sum += p[i];
    for (long i = 0; i < s->n; i++)
        p[i] /= sum;
    return HL_OK;
}

double hl_memsys_mean(const hl_memsys *s, const double *p)
{
    double sum = 0, m = 0;
    for (long i = 0; i < s->n; i++) {
        sum += p[i];
        m += p[i] * s->A[i];
    }
    return m / sum;
}

double hl_memsys_p_basin(hl_memsys *s, double T, const double *p)
{
    const unsigned char *mask;
    int present;
    if (hl_memsys_mask(s, T, &mask, &present) || !present)
        return NAN;
    double sum = 0, b = 0;
    for (long i = 0; i < s->n; i++) {
        sum += p[i];
        if (mask[i])
            b += p[i];
    }
    return b / sum;
}

int hl_memsys_reference(hl_memsys *s, int ref, double T, double *mean)
{
    if (!s || !mean)
        return hl_fail(HL_EINVAL, "hl_memsys_reference: NULL argument");
    *mean = NAN;
    if (ref != HL_MEMORY_REF_BASIN && ref != HL_MEMORY_REF_TOTAL)
        return hl_fail(HL_EDOM, "unknown reference %d", ref);
    int st = check_T(T);
    if (st)
        return st;
    if (s->kind == HL_MEMSYS_MODEL) {
        hl_exact_result r;
        if ((st = hl_exact_compute(s->ex, 1.0 / T, &r)) != HL_OK)
            return st;
        if (ref == HL_MEMORY_REF_TOTAL) {
            *mean = r.mean_phi;
            return HL_OK;
        }
        for (int k = 0; k < r.n_basins; k++)
            if (!strcmp(r.basins[k].name, "liquid")) {
                if (!isfinite(r.basins[k].mean_phi))
                    return hl_fail(HL_ENOTFOUND, "the liquid basin's <phi> at T = %g: %s", T,
                                   r.basins[k].thermo_null_reason);
                *mean = r.basins[k].mean_phi;
                return HL_OK;
            }
        return hl_fail(HL_ENOTFOUND, "no liquid basin at T = %g", T);
    }
    if (ref == HL_MEMORY_REF_BASIN && !s->basin)
        return hl_fail(HL_ENOTFOUND, "the chain has no basin (give one for a basin reference)");
    double *p = malloc(sizeof(double) * (size_t)s->n);
    if (!p)
        return hl_fail(HL_ENOMEM, "out of memory");
    st = ref == HL_MEMORY_REF_TOTAL ? hl_memsys_equilibrium(s, T, p)
                                    : hl_memsys_start(s, HL_MEMORY_START_BASIN, T, p);
    if (!st)
        *mean = hl_memsys_mean(s, p);
    free(p);
    return st;
}

int hl_memsys_propagate(hl_memsys *s, double T, const double *p0, const double *times,
                        size_t n_times, double *out, double *sum_err)
{
    int st = check_T(T);
    if (st)
        return st;
    /* entries below 0 are the engines' round-off (within their tolerance,
     * checked by them): they start as 0 */
    double sum = 0;
    for (long i = 0; i < s->n; i++)
        sum += p0[i] > 0 ? p0[i] : 0.0;
    if (!(sum > 0) || !isfinite(sum))
        return hl_fail(HL_EDOM, "propagation: the start sums to %g", sum);
    double *q = malloc(sizeof(double) * (size_t)s->n);
    if (!q)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (long i = 0; i < s->n; i++)
        q[i] = p0[i] > 0 ? p0[i] / sum : 0.0;
    s->propagations++;
    if (s->kind == HL_MEMSYS_MODEL) {
        hl_protocol *pr = NULL;
        hl_evolve_point *pts = malloc(sizeof(hl_evolve_point) * n_times);
        st = pts ? hl_protocol_create_fixed(1.0 / T, &pr) : hl_fail(HL_ENOMEM, "out of memory");
        if (!st) {
            hl_evolve_start start;
            memset(&start, 0, sizeof start);
            start.kind = HL_START_CLASSES;
            start.q = q;
            hl_evolve_info info;
            st = hl_evolve(s->m, s->dim, pr, &start, times, n_times,
                           HL_EVOLVE_GENERAL | HL_EVOLVE_UNCHECKED, s->rtol, pts, out, &info);
        }
        hl_protocol_free(pr);
        free(pts);
    } else {
        hl_chain_plan *plan;
        st = get_plan(s, T, &plan);
        if (!st)
            st = hl_chain_evolve(plan, q, times, n_times, s->rtol, out, NULL);
        if (st == HL_ENOCONV && !strstr(hl_errmsg(), " at T = ")) {
            /* the chain's integrator knows no temperature: name it */
            char msg[1024];
            const char *m = hl_errmsg(), *c = strstr(m, ", its fastest rate");
            if (!c)
                c = strchr(m, ':');
            int head = c ? (int)(c - m) : (int)strlen(m);
            snprintf(msg, sizeof msg, "%s", m);
            st = hl_fail(HL_ENOCONV, "%.*s at T = %.4g%s", head, msg, T, msg + head);
        }
    }
    free(q);
    if (st)
        return st;
    double err = 0;
    for (size_t k = 0; k < n_times; k++) {
        double *o = out + k * (size_t)s->n, t = 0;
        for (long i = 0; i < s->n; i++)
            t += o[i];
        err = fmax(err, fabs(t - 1.0));
        for (long i = 0; i < s->n; i++)
            o[i] *= sum;
    }
    if (sum_err)
        *sum_err = err;
    return HL_OK;
}
