/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_thermo.c -- equilibrium thermodynamics of a network (network.h)
 * at k_B T = T, all in log space: ln Z = ln sum_a exp(S_a - E_a/T), the
 * configurational mean and variance of E (the heat capacity Var(E)/T^2
 * plus the harmonic modes), and the populations of A and B.  Weights far
 * below the smallest double (LJ38 at T = 0.01: e^-17000) are fine: nothing
 * unnormalised is ever exponentiated, and the variance is summed in logs
 * so that a population of 1e-400 still gives its (tiny) heat capacity. */
#include "network_private.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "core.h"

/* ln(e^x - e^y) for x >= y (-inf when equal). */
static double lsub(double x, double y)
{
    if (y == -INFINITY)
        return x;
    if (!(x > y))
        return -INFINITY;
    return x + log1p(-exp(y - x));
}

int hl_network_thermodynamics(const hl_network *net, double T, double modes,
                              hl_network_thermo *out)
{
    if (!net || !out)
        return hl_fail(HL_EINVAL, "hl_network_thermodynamics: NULL argument");
    if (!net->built)
        return hl_fail(HL_EINVAL, "hl_network_thermodynamics: call hl_network_build first");
    if (!(T > 0) || !isfinite(T))
        return hl_fail(HL_EDOM, "temperature T = %g must be positive and finite", T);
    if (!(modes >= 0) || !isfinite(modes))
        return hl_fail(HL_EDOM, "modes = %g must be >= 0 and finite", modes);
    size_t n = net->n_net; /* >= 1: the root is in the network */
    double *lw = n ? malloc(n * sizeof *lw) : NULL;
    if (!lw)
        return hl_fail(HL_ENOMEM, "out of memory for %zu weights", n);
    /* ln w_a = S_a - E_a / T, and the most probable minimum */
    size_t ref = 0;
    for (size_t k = 0; k < n; k++) {
        long a = net->net[k];
        lw[k] = net->S[a] - net->E[a] / T;
        if (!isfinite(lw[k])) {
            free(lw);
            return hl_fail(HL_ERANGE, "%s %ld: S - E/T is not finite at T = %g (E = %g)",
                           net->pathsample ? "minimum" : "state", net->id[a], T, net->E[a]);
        }
        if (lw[k] > lw[ref])
            ref = k;
    }
    long double sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += expl((long double)(lw[k] - lw[ref]));
    double lnZ = lw[ref] + (double)logl(sum);
    /* moments about E_ref in logs: X = sum p dE^2, d = sum p dE (its
     * positive and negative parts) */
    double Eref = net->E[net->net[ref]];
    double lX = -INFINITY, ldp = -INFINITY, ldn = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        double dE = net->E[net->net[k]] - Eref;
        if (dE == 0)
            continue;
        double lp = lw[k] - lnZ, la = log(fabs(dE));
        lX = hl_lse(lX, lp + 2 * la);
        if (dE > 0)
            ldp = hl_lse(ldp, lp + la);
        else
            ldn = hl_lse(ldn, lp + la);
    }
    /* <E> = E_ref + d; Var = X - d^2 (d^2 <= X: Cauchy-Schwarz) */
    double d = exp(ldp) - exp(ldn);
    double ld = ldp >= ldn ? lsub(ldp, ldn) : lsub(ldn, ldp);
    double lvar = lsub(lX, 2 * ld);
    out->T = T;
    out->ln_Z = lnZ;
    out->mean_energy = Eref + d;
    out->ln_heat_capacity_conf = lvar - 2 * log(T);
    double cconf = exp(out->ln_heat_capacity_conf);
    if (lvar == -INFINITY)
        cconf = 0; /* every minimum at one energy: exactly 0 */
    else if (out->ln_heat_capacity_conf < log(DBL_MIN))
        cconf = modes > 0 ? 0 : NAN; /* below a double: lost beside nothing */
    out->heat_capacity = cconf + modes;
    for (int w = 0; w < 2; w++) {
        if (!net->have_set[w]) {
            out->ln_pop[w] = out->pop[w] = NAN;
            continue;
        }
        double l = -INFINITY;
        for (size_t i = 0; i < net->n_net_set[w]; i++)
            l = hl_lse(l, lw[net->net_set[w][i]] - lnZ);
        out->ln_pop[w] = l > 0 ? 0 : l;
        out->pop[w] = l >= log(DBL_MIN) ? exp(out->ln_pop[w]) : NAN;
    }
    free(lw);
    return HL_OK;
}
