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
    int st = nw_check_temperature(net, T);
    if (st)
        return st;
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
    /* relative log weights from differences taken before dividing by T:
     * (S_a - S_ref) - (E_a - E_ref)/T keeps digits that S - E/T (|E/T| up
     * to 1e4 for LJ38 at T = 0.01) rounds away */
    long ar = net->net[ref];
    long double sum = 0;
    for (size_t k = 0; k < n; k++) {
        long a = net->net[k];
        lw[k] = (net->S[a] - net->S[ar]) - (net->E[a] - net->E[ar]) / T;
        sum += expl((long double)lw[k]);
    }
    double lsum = (double)logl(sum);
    double lnZ = (net->S[ar] + net->s_ref - net->E[ar] / T) + lsum;
    for (size_t k = 0; k < n; k++)
        lw[k] -= lsum; /* ln p_k */
    /* moments about E_ref in logs: X = sum p dE^2, d = sum p dE (its
     * positive and negative parts) */
    double Eref = net->E[net->net[ref]];
    double lX = -INFINITY, ldp = -INFINITY, ldn = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        double dE = net->E[net->net[k]] - Eref;
        if (dE == 0)
            continue;
        double lp = lw[k], la = log(fabs(dE));
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
    /* ln P = ln(in / (in + out)) = -softplus(ln out - ln in): a population
     * near 1 keeps the relative accuracy of ln P (LJ38-4k at T = 0.01:
     * ln P_A = -1.8e-28) and one near 0 that of P */
    unsigned char *in = calloc(n, 1);
    if (!in) {
        free(lw);
        return hl_fail(HL_ENOMEM, "out of memory for %zu states", n);
    }
    for (int w = 0; w < 2; w++) {
        if (!net->have_set[w]) {
            out->ln_pop[w] = out->pop[w] = NAN;
            continue;
        }
        for (size_t i = 0; i < net->n_net_set[w]; i++)
            in[net->net_set[w][i]] = 1;
        double l_in = -INFINITY, l_out = -INFINITY;
        for (size_t k = 0; k < n; k++) {
            if (in[k])
                l_in = hl_lse(l_in, lw[k]);
            else
                l_out = hl_lse(l_out, lw[k]);
            in[k] = 0;
        }
        out->ln_pop[w] = l_out == -INFINITY ? 0.0 : -hl_softplus(l_out - l_in);
        out->pop[w] = out->ln_pop[w] >= log(DBL_MIN) ? exp(out->ln_pop[w]) : NAN;
    }
    free(in);
    free(lw);
    return HL_OK;
}
