/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_evolve.c -- evolution of a network's master equation
 * (network.h): start distributions (a minimum, a set's local equilibrium,
 * the equilibrium at a temperature), the engine's evolution at fixed T or
 * under a protocol (chain.h: hl_chain_evolve, hl_chain_evolve_protocol),
 * and what a distribution gives (P_A, P_B, mean energy). */
#include "network_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static int need(const hl_network *net, const char *fn)
{
    if (!net)
        return hl_fail(HL_EINVAL, "%s: NULL network", fn);
    if (!net->built)
        return hl_fail(HL_EINVAL, "%s: call hl_network_build first", fn);
    return HL_OK;
}

/* p over the given states (network states) proportional to M(T0) */
static void local_equilibrium(const hl_network *net, const long *st, size_t n, double T0,
                              double *p)
{
    long r = net->net[st[0]];
    for (size_t i = 1; i < n; i++) {
        long a = net->net[st[i]];
        if ((net->S[a] - net->S[r]) - (net->E[a] - net->E[r]) / T0 > 0)
            r = a;
    }
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        long a = net->net[st[i]];
        p[st[i]] = exp((net->S[a] - net->S[r]) - (net->E[a] - net->E[r]) / T0);
        s += p[st[i]];
    }
    for (size_t i = 0; i < n; i++)
        p[st[i]] /= s;
}

int hl_network_start(const hl_network *net, int kind, long arg, double T0, double *p0)
{
    int st = need(net, "hl_network_start");
    if (st)
        return st;
    if (!p0)
        return hl_fail(HL_EINVAL, "hl_network_start: NULL p0");
    size_t n = net->n_net;
    if (kind != HL_NETWORK_START_MINIMUM && (!(T0 > 0) || !isfinite(T0)))
        return hl_fail(HL_EDOM, "start temperature T0 = %g must be positive and finite", T0);
    if (kind != HL_NETWORK_START_MINIMUM && (st = nw_check_temperature(net, T0)))
        return st;
    memset(p0, 0, n * sizeof *p0);
    if (kind == HL_NETWORK_START_MINIMUM) {
        long k;
        if ((st = hl_network_state(net, arg, &k)))
            return st;
        if (k < 0)
            return hl_fail(HL_EINVAL, "%s %ld is not in the network (the component of %ld)",
                           net->pathsample ? "minimum" : "state", arg, net->id[net->root]);
        p0[k] = 1;
    } else if (kind == HL_NETWORK_START_SET) {
        if (arg != HL_NETWORK_A && arg != HL_NETWORK_B)
            return hl_fail(HL_EINVAL, "hl_network_start: set %ld is neither A nor B", arg);
        if (!net->n_net_set[arg])
            return hl_fail(HL_EINVAL, "set %c was not given", "AB"[arg]);
        local_equilibrium(net, net->net_set[arg], net->n_net_set[arg], T0, p0);
    } else if (kind == HL_NETWORK_START_EQUILIBRIUM) {
        long *all = malloc(n * sizeof *all);
        if (!all)
            return hl_fail(HL_ENOMEM, "out of memory for %zu minima", n);
        for (size_t i = 0; i < n; i++)
            all[i] = (long)i;
        local_equilibrium(net, all, n, T0, p0);
        free(all);
    } else {
        return hl_fail(HL_EINVAL, "hl_network_start: unknown kind %d", kind);
    }
    return HL_OK;
}

int hl_network_evolve(const hl_network *net, double T, const hl_protocol *protocol,
                      const double *p0, const double *times, size_t n_times, double rtol,
                      double *p_out, const char **method)
{
    hl_chain_result res = {NULL, 0};
    int st = need(net, "hl_network_evolve");
    if (st)
        return st;
    if (protocol) {
        st = hl_chain_evolve_protocol(net->chain, protocol, p0, times, n_times, rtol, p_out,
                                      &res);
        if (method)
            *method = res.method;
        return st;
    }
    if (!(T > 0) || !isfinite(T))
        return hl_fail(HL_EDOM, "temperature T = %g must be positive and finite", T);
    hl_chain_plan *plan = NULL;
    if ((st = hl_chain_plan_create(net->chain, 1.0 / T, &plan)))
        return st;
    st = hl_chain_evolve(plan, p0, times, n_times, rtol, p_out, &res);
    if (method)
        *method = res.method;
    hl_chain_plan_free(plan);
    return st;
}

int hl_network_evolve_check(const hl_network *net, double T, const hl_protocol *protocol,
                            const double *p0, const double *times, size_t n_times, double rtol,
                            double *p_check, double *floor, double *rel_floor)
{
    int st = need(net, "hl_network_evolve_check");
    if (st)
        return st;
    if (protocol)
        return hl_chain_evolve_protocol_check(net->chain, protocol, p0, times, n_times, rtol,
                                              p_check, floor, rel_floor, NULL);
    if (!(T > 0) || !isfinite(T))
        return hl_fail(HL_EDOM, "temperature T = %g must be positive and finite", T);
    hl_protocol *fixed = NULL;
    if ((st = hl_protocol_create_fixed(1.0 / T, &fixed)))
        return st;
    st = hl_chain_evolve_protocol_check(net->chain, fixed, p0, times, n_times, rtol, p_check,
                                        floor, rel_floor, NULL);
    hl_protocol_free(fixed);
    return st;
}

int hl_network_observe(const hl_network *net, const double *p, hl_network_observables *o)
{
    int st = need(net, "hl_network_observe");
    if (st)
        return st;
    if (!p || !o)
        return hl_fail(HL_EINVAL, "hl_network_observe: NULL argument");
    long double s = 0, e = 0;
    for (size_t k = 0; k < net->n_net; k++) {
        s += p[k];
        e += (long double)p[k] * net->E[net->net[k]];
    }
    for (int w = 0; w < 2; w++) {
        if (!net->have_set[w]) {
            o->pop[w] = NAN;
            continue;
        }
        long double q = 0;
        for (size_t i = 0; i < net->n_net_set[w]; i++)
            q += p[net->net_set[w][i]];
        o->pop[w] = (double)q;
    }
    o->mean_energy = (double)e;
    o->sum_error = fabs((double)(s - 1));
    return HL_OK;
}

int hl_network_energies(const hl_network *net, double *E)
{
    int st = need(net, "hl_network_energies");
    if (st)
        return st;
    if (!E)
        return hl_fail(HL_EINVAL, "hl_network_energies: NULL argument");
    for (size_t k = 0; k < net->n_net; k++)
        E[k] = net->E[net->net[k]];
    return HL_OK;
}
