/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan_chain.c -- a reversible chain (a network of minima) under a
 * calorimetry scan (scan_chain.h): the equilibrium of the whole chain and
 * of its basin in logs, the start, and the master equation under the
 * linear T protocol by the chain engine (chain_evolve_protocol_opts: the
 * chain's rates rebuilt at every beta the integrator visits). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scan_chain.h"
#include "hyperland/hyperland.h"
#include "hyperland/scan.h"
#include "chain_plan.h"
#include "core.h"

struct scan_chain {
    const hl_chain *chain;
    long n;
    double *S, *E;          /* copies of the state parts                   */
    unsigned char *basin;   /* n, or NULL                                  */
    double e_lo, e_hi;      /* min and max E                               */
    double *p0;             /* the start at t_high, n                      */
    double *lw;             /* scratch, n (the refs are serial: scan.h)    */
};

void scan_chain_free(scan_chain *c)
{
    if (!c)
        return;
    free(c->S);
    free(c->E);
    free(c->basin);
    free(c->p0);
    free(c->lw);
    free(c);
}

int scan_chain_has_basin(const scan_chain *c)
{
    return c && c->basin;
}

long scan_chain_states(const scan_chain *c)
{
    return c ? c->n : 0;
}

double scan_chain_spread(const scan_chain *c)
{
    return c->e_hi - c->e_lo;
}

/* ln of the weights S - E/T relative to the largest over the states in
 * the set (in_basin: the basin's; else all), taken as differences before
 * dividing by T; -inf outside the set.  Returns the index of the largest. */
static long log_weights(const scan_chain *c, int in_basin, double T, double *lw)
{
    long r = -1;
    for (long a = 0; a < c->n; a++) {
        if (in_basin && !c->basin[a])
            continue;
        if (r < 0 || (c->S[a] - c->S[r]) - (c->E[a] - c->E[r]) / T > 0)
            r = a;
    }
    for (long a = 0; a < c->n; a++)
        lw[a] = (in_basin && !c->basin[a]) ? -INFINITY
                                           : (c->S[a] - c->S[r]) - (c->E[a] - c->E[r]) / T;
    return r;
}

void scan_chain_ref(const scan_chain *c, int in_basin, double T, double *mean, double *cap)
{
    *mean = *cap = NAN;
    if (in_basin && !c->basin)
        return;
    double *lw = c->lw;
    long r = log_weights(c, in_basin, T, lw);
    /* ln p = lw - ln sum; <E> = E_r + d, d = sum p (E - E_r) */
    long double z = 0, d = 0;
    for (long a = 0; a < c->n; a++)
        if (lw[a] > -INFINITY) {
            long double w = expl((long double)lw[a]);
            z += w;
            d += w * (long double)(c->E[a] - c->E[r]);
        }
    double lz = (double)logl(z), dm = (double)(d / z);
    /* Var = sum p (E - <E>)^2, summed in logs (no cancellation: every term
     * is positive, and a variance far below 1e-308 keeps its log) */
    double lvar = -INFINITY;
    for (long a = 0; a < c->n; a++) {
        if (!(lw[a] > -INFINITY))
            continue;
        double dev = (c->E[a] - c->E[r]) - dm;
        if (dev != 0)
            lvar = hl_lse(lvar, lw[a] - lz + 2 * log(fabs(dev)));
    }
    *mean = c->E[r] + dm;
    double lc = lvar - 2 * log(T);
    if (lvar == -INFINITY)
        *cap = 0; /* every state of the set at one energy: exactly 0 */
    else
        *cap = lc >= log(DBL_MIN) ? exp(lc) : NAN;
}

int scan_chain_create(const hl_chain *chain, const long *basin, size_t n_basin, double t_high,
                      int start, scan_chain **out)
{
    *out = NULL;
    if (!chain || (n_basin && !basin))
        return hl_fail(HL_EINVAL, "hl_scan_create_chain: NULL argument");
    hl_chain_info ci;
    hl_chain_get_info(chain, &ci);
    if (ci.exits)
        return hl_fail(HL_EINVAL, "the chain has %ld exit rates: a scan needs a closed chain",
                       ci.exits);
    if (start == HL_SCAN_START_LIQUID && !n_basin)
        return hl_fail(HL_ENOTFOUND, "a start in the basin needs a basin (none given)");
    scan_chain *c = calloc(1, sizeof *c);
    if (!c)
        return hl_fail(HL_ENOMEM, "out of memory");
    const double *S, *E;
    long n;
    chain_state_parts(chain, &S, &E, &n);
    c->chain = chain;
    c->n = n;
    c->S = malloc(sizeof(double) * (size_t)n);
    c->E = malloc(sizeof(double) * (size_t)n);
    c->p0 = malloc(sizeof(double) * (size_t)n);
    c->lw = malloc(sizeof(double) * (size_t)n);
    int st = HL_OK;
    if (!c->S || !c->E || !c->p0 || !c->lw) {
        st = hl_fail(HL_ENOMEM, "out of memory for a chain of %ld states", n);
        goto fail;
    }
    memcpy(c->S, S, sizeof(double) * (size_t)n);
    memcpy(c->E, E, sizeof(double) * (size_t)n);
    c->e_lo = INFINITY;
    c->e_hi = -INFINITY;
    for (long a = 0; a < n; a++) {
        c->e_lo = fmin(c->e_lo, E[a]);
        c->e_hi = fmax(c->e_hi, E[a]);
    }
    if (n_basin) {
        if (!(c->basin = calloc((size_t)n, 1))) {
            st = hl_fail(HL_ENOMEM, "out of memory");
            goto fail;
        }
        for (size_t k = 0; k < n_basin; k++) {
            long a = basin[k];
            if (a < 0 || a >= n || c->basin[a]) {
                st = hl_fail(HL_EINVAL, "basin state %ld is %s", a,
                             (a < 0 || a >= n) ? "not a state of the chain" : "repeated");
                goto fail;
            }
            c->basin[a] = 1;
        }
    }
    /* one connected component (the equilibrium of the references is the
     * chain's only stationary state) */
    hl_chain_plan *plan = NULL;
    if ((st = hl_chain_plan_create(chain, 1.0 / t_high, &plan)))
        goto fail;
    long nc = 0;
    long *comp = malloc(sizeof(long) * (size_t)n);
    st = comp ? hl_chain_components(plan, comp, &nc) : hl_fail(HL_ENOMEM, "out of memory");
    free(comp);
    hl_chain_plan_free(plan);
    if (!st && nc != 1)
        st = hl_fail(HL_EINVAL, "the chain has %ld connected components: a scan needs a "
                                "connected chain", nc);
    if (st)
        goto fail;
    /* the start: the equilibrium at t_high, or its part in the basin,
     * renormalised (in logs: the basin may hold far less than 1e-300) */
    log_weights(c, start == HL_SCAN_START_LIQUID, t_high, c->lw);
    long double z = 0;
    for (long a = 0; a < n; a++)
        z += expl((long double)c->lw[a]);
    for (long a = 0; a < n; a++)
        c->p0[a] = (double)(expl((long double)c->lw[a]) / z);
    *out = c;
    return HL_OK;
fail:
    scan_chain_free(c);
    return st;
}

int scan_chain_evolve(const scan_chain *c, const hl_protocol *p, const double *times,
                      size_t n_times, double rtol, hl_evolve_point *ev, hl_evolve_info *info)
{
    size_t n = (size_t)c->n;
    if (n_times && n > ((size_t)-1) / sizeof(double) / n_times)
        return hl_fail(HL_ENOMEM, "%zu outputs of %zu states do not fit in memory", n_times, n);
    double *pout = malloc(sizeof(double) * n * n_times);
    if (!pout)
        return hl_fail(HL_ENOMEM, "out of memory for %zu outputs of %zu states", n_times, n);
    /* the scan's settings of the engine (as hl_scan on the model): steps end
     * at the protocol's rows only, the outputs from CVODE's interpolant, and
     * the preconditioner kept over changes of beta up to 2% */
    hl_rchain_evolve_opts eo = {1, 0.02, 0, 0, 0, 0, NULL, NULL, 0};
    hl_rchain_evolve_info ri;
    memset(&ri, 0, sizeof ri);
    int st = chain_evolve_protocol_opts(c->chain, p, c->p0, times, n_times, rtol, &eo, pout,
                                        &ri);
    if (st) {
        free(pout);
        return st;
    }
    memset(info, 0, sizeof *info);
    info->method = HL_EVOLVE_GENERAL;
    info->integrator = HL_EVOLVE_CVODE;
    info->steps = ri.steps;
    info->rtol = ri.rtol;
    info->atol = ri.atol;
    info->krylov_iterations = ri.krylov_iterations;
    info->factorisations = ri.factorisations;
    for (size_t k = 0; k < n_times; k++) {
        const double *q = pout + k * n;
        long double s = 0, e = 0, sb = 0, eb = 0;
        double mn = INFINITY;
        for (size_t a = 0; a < n; a++) {
            long double dE = (long double)(c->E[a] - c->e_lo);
            s += q[a];
            e += q[a] * dE;
            mn = fmin(mn, q[a]);
            if (c->basin && c->basin[a]) {
                sb += q[a];
                eb += q[a] * dE;
            }
        }
        hl_evolve_point *pt = &ev[k];
        memset(pt, 0, sizeof *pt);
        pt->t = times[k];
        pt->beta = hl_protocol_beta(p, times[k]);
        pt->mean_phi = c->e_lo + (double)(e / s);
        pt->mean_x = pt->mean_y = pt->mean_w = pt->free_energy = NAN;
        pt->sum_error = fabs((double)(s - 1));
        pt->min_q = mn;
        if (c->basin) {
            pt->n_basins = 1;
            hl_basin *b = &pt->basins[0];
            snprintf(b->name, sizeof b->name, "liquid");
            b->probability = sb > 0 ? (double)(sb / s) : 0.0;
            b->ln_probability = sb > 0 ? log(b->probability) : -INFINITY;
            b->mean_phi = sb > 0 ? c->e_lo + (double)(eb / sb) : NAN;
        }
    }
    free(pout);
    return HL_OK;
}
