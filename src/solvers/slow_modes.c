/* SPDX-License-Identifier: GPL-3.0-or-later */
/* slow_modes.c -- the slowest two rates, the switch time and the exact
 * relaxation of the slowest mode (slow_modes.h). */
#include "slow_modes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "active.h"
#include "capacity.h"
#include "core.h"
#include "spectrum.h"

void hl_rchain_slow_free(hl_rchain_slow *s)
{
    if (!s)
        return;
    free(s->comp);
    free(s->ln_pin);
    s->comp = NULL;
    s->ln_pin = NULL;
}

/* lambda1 of a connected chain with exactly two steepest-ascent basins by
 * the capacity formula; HL_ENOTFOUND otherwise */
static int slow_tunnelling(const hl_active *ch, const hl_rchain *c, double *ln_lambda1)
{
    long m = ch->m, n = ch->n;
    long *end = malloc(sizeof(long) * (size_t)m);
    int *label = malloc(sizeof(int) * (size_t)n);
    int st = HL_OK;
    if (!end || !label) {
        st = hl_fail(HL_ENOMEM, "out of memory for the basins of a %ld-state chain", m);
        goto done;
    }
    hl_active_ascent(ch, c, end);
    long top[2] = {-1, -1};
    for (long a = 0; a < m && !st; a++) {
        long e = end[a];
        if (e == top[0] || e == top[1])
            continue;
        if (top[0] < 0)
            top[0] = e;
        else if (top[1] < 0)
            top[1] = e;
        else
            st = HL_ENOTFOUND; /* more than two basins */
    }
    if (!st && top[1] < 0)
        st = HL_ENOTFOUND;
    if (st)
        goto done;
    for (long i = 0; i < n; i++)
        label[i] = -1;
    for (long a = 0; a < m; a++)
        label[ch->state[a]] = end[a] == top[0] ? 0 : 1;
    double ln_rate;
    st = hl_rchain_tunnelling(c, label, ch->state[top[0]], ch->state[top[1]], &ln_rate);
    if (!st)
        *ln_lambda1 = ln_rate;
done:
    free(end);
    free(label);
    return st;
}

/* lambda1 of a connected chain by the log-space fixed point (spectrum.h,
 * hl_rchain_slow_rates_log: exact by Sylvester's inertia where it returns a
 * value), kept only below the eigensolver's resolution res (where the
 * eigensolver left it, within twice that) and below lambda2; HL_ENOTFOUND
 * when it gives none (c indexed).  Three wells of one block, or of one of three blocks
 * at beta = 2 (nu_1 = 7.7e-14 against a resolution of 2.7e-13): the
 * capacity formula needs exactly two basins, and without lambda1 the
 * outputs after the switch time were left to CVODE, which did not reach t =
 * 1e130 in hours. */
static int slow_log_space(const hl_rchain *c, double res, double lambda2, double *ln_lambda1)
{
    double lr[2] = {NAN, NAN}, rel = NAN;
    int st = hl_rchain_slow_rates_log(c, 2, lr, &rel, NULL, 0);
    if (st)
        return st;
    if (!isfinite(lr[1]) || !(exp(lr[1]) <= 2 * res) || !(lr[1] < log(lambda2)))
        return HL_ENOTFOUND;
    *ln_lambda1 = lr[1];
    return HL_OK;
}

/* The double eigensolver's rates are Rayleigh quotients of its vectors,
 * and those are right only to about eps ||S|| / gap: a rate far below the
 * fastest exit rate may lie anywhere between the true one and the modes
 * its vector is mixed with (one block at D = 20, beta = 2, five wells:
 * 6.4e-14 and 1.7e-13 for 7.46e-15 and 3.46e-14, under exits of 1.5e6 and
 * a resolution of 1.8e-15, and the relaxation after the switch then
 * returned the equilibrium at t = 1e15 where 4e-4 of it was still
 * moving).  Below DOUBLE_REACH of the fastest exit rate (the bound of
 * chain_slow_rates.c) lambda1 and lambda2 are taken from gt-lanczos
 * (spectrum.h: its bound does not depend on the fast rates): lambda1
 * where it is resolved to GTL_REL1, lambda2 (the switch time only) to
 * GTL_REL2.  A lambda1 it does not give is unresolved (NaN), and the
 * resolution is raised to the double value, an upper bound of the true
 * rate (Courant-Fischer), so the routes for unresolved modes take it
 * (the capacity formula, the log-space fixed point, the basins' chain); a
 * lambda2 it does not give keeps the double value, which sets only the
 * switch time, and that is checked by integration (verify_switch,
 * chain_evolve.c): where lambda2 / lambda1 exceeds about 1e13 gt-lanczos
 * cannot bound it (LJ38's 12-minimum path at T = 0.05).
 * A lambda1 from gt-lanczos where the double solver gave none (below its
 * resolution) sends the evolution to CVODE before the switch, as a
 * capacity rate does (*below = 1): the Krylov exponential, its solves
 * refined or not, returned the equilibrium for the two-block chain at D =
 * 12, beta = 20 (lambda1 = 1.1e-77).  c indexed; rates: the k rates of
 * hl_rchain_spectrum, nc zeros first. */
#define DOUBLE_REACH 1e-4
#define GTL_REL1 1e-12
#define GTL_REL2 1e-3
static int slow_confirm(const hl_active *ch, const hl_rchain *c, long nc, int k, double *rates,
                        double *res, int *below)
{
    *below = 0;
    double mx = 0;
    for (long a = 0; a < ch->m; a++)
        mx = fmax(mx, ch->out[a]);
    int first = -1;
    for (int q = (int)nc; q < k && q < (int)nc + 2; q++)
        if (!(rates[q] >= DOUBLE_REACH * mx)) {
            first = q;
            break;
        }
    if (first < 0)
        return HL_OK;
    double lg[3] = {NAN, NAN, NAN}, ge[3] = {NAN, NAN, NAN};
    if (nc == 1) {
        int st = hl_rchain_slow_rates_gtl(c, 3, GTL_REL2, lg, ge, NULL, NULL, NULL, 0);
        if (st == HL_ENOMEM)
            return st;
        if (st)
            lg[1] = lg[2] = NAN;
    }
    for (int q = first; q < k && q < (int)nc + 2; q++) {
        int j = q - (int)nc + 1; /* gt-lanczos's index of this rate */
        int ok = isfinite(lg[j]) && ge[j] <= (j == 1 ? GTL_REL1 : GTL_REL2);
        if (ok) {
            if (j == 1 && !(rates[q] > 0))
                *below = 1; /* lambda1 below what the double solver resolves */
            rates[q] = exp(lg[j]);
        } else if (j == 1) {
            *res = fmax(*res, rates[q]);
            rates[q] = NAN;
        }
    }
    return HL_OK;
}

int hl_rchain_slow_rates(const hl_rchain *c0, hl_rchain_slow *s)
{
    if (!s || !c0)
        return hl_fail(HL_EINVAL, "hl_rchain_slow_rates: NULL argument");
    memset(s, 0, sizeof *s);
    s->lambda1 = s->lambda2 = s->ln_lambda1 = INFINITY;
    if (c0->ln_exit)
        for (long i = 0; i < c0->n; i++)
            if (c0->ln_exit[i] > -INFINITY)
                return hl_fail(HL_EINVAL, "the slow modes of a chain with exits (state %ld) "
                                          "are not defined: it has no stationary state", i);
    /* indexed once for every method below (each would index a copy) */
    hl_rchain view;
    int st = hl_rchain_view(c0, &view);
    if (st)
        return st;
    const hl_rchain *c = &view;
    hl_active ch;
    hl_comps cp = {0};
    if ((st = hl_active_init(&ch, c))) {
        hl_rchain_view_free(c0, &view);
        return st;
    }
    double *rates = NULL;
    if ((st = hl_active_rates(&ch, c)) || (st = hl_comps_find(&ch, c, &cp)))
        goto done;
    long n = ch.n, m = ch.m, nc = cp.n;
    s->n = n;
    s->components = nc;
    s->comp = malloc(sizeof(long) * (size_t)n);
    s->ln_pin = malloc(sizeof(double) * (size_t)n);
    if (!s->comp || !s->ln_pin) {
        st = hl_fail(HL_ENOMEM, "out of memory for a chain of %ld states", n);
        goto done;
    }
    for (long i = 0; i < n; i++) {
        s->comp[i] = -1;
        s->ln_pin[i] = -INFINITY;
    }
    for (long q = 0; q < nc; q++) {
        double lz = -INFINITY;
        for (long r = cp.start[q]; r < cp.start[q + 1]; r++)
            lz = hl_lse(lz, c->ln_pi[ch.state[cp.members[r]]]);
        for (long r = cp.start[q]; r < cp.start[q + 1]; r++) {
            long i = ch.state[cp.members[r]];
            s->comp[i] = q;
            s->ln_pin[i] = c->ln_pi[i] - lz;
        }
    }
    long moving = m - nc; /* nonzero rates */
    if (moving < 1)
        goto done;
    int k = (int)(nc + (moving >= 2 ? 2 : 1));
    rates = malloc(sizeof(double) * (size_t)k);
    if (!rates) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    int below = 0;
    if ((st = hl_rchain_spectrum(c, k, rates, NULL, &s->resolution, NULL)) ||
        (st = slow_confirm(&ch, c, nc, k, rates, &s->resolution, &below)))
        goto done;
    s->tunnelling = below;
    s->lambda1 = rates[nc];
    s->lambda2 = moving >= 2 ? rates[nc + 1] : INFINITY;
    if (!(s->lambda1 > 0))
        s->lambda1 = NAN;
    if (!(s->lambda2 > 0))
        s->lambda2 = NAN;
    s->ln_lambda1 = log(s->lambda1);
    if (isnan(s->lambda1) && nc == 1 && !isnan(s->lambda2)) {
        double l1 = NAN;
        int t = slow_tunnelling(&ch, c, &l1);
        if (t == HL_OK && isfinite(l1) && exp(l1) < s->lambda2) {
            s->ln_lambda1 = l1;
            s->lambda1 = exp(l1);
            s->tunnelling = 1;
        } else if (t != HL_OK && t != HL_ENOTFOUND && t != HL_ENOCONV) {
            st = t;
        } else if ((t = slow_log_space(c, s->resolution, s->lambda2, &l1)) == HL_OK) {
            /* below the resolution as a capacity rate is: the same route
             * (CVODE before the switch, the exact relaxation after) */
            s->ln_lambda1 = l1;
            s->lambda1 = exp(l1);
            s->tunnelling = 1;
        } else if (t == HL_ENOMEM) {
            st = t;
        }
    }
done:
    free(rates);
    hl_comps_free(&cp);
    hl_active_free(&ch);
    hl_rchain_view_free(c0, &view);
    if (st)
        hl_rchain_slow_free(s);
    return st;
}

int hl_rchain_slow_tunnel(const hl_rchain *c, hl_rchain_slow *s)
{
    if (s->components != 1 || s->tunnelling)
        return HL_ENOTFOUND;
    hl_active ch;
    int st = hl_active_init(&ch, c);
    if (st)
        return st;
    double l1 = NAN;
    if (!(st = hl_active_rates(&ch, c)))
        st = slow_tunnelling(&ch, c, &l1);
    hl_active_free(&ch);
    if (st)
        return st;
    if (!isfinite(l1))
        return HL_ENOTFOUND;
    s->ln_lambda1 = l1;
    s->lambda1 = exp(l1);
    s->tunnelling = 1;
    return HL_OK;
}

/* per-component mass of q */
static int slow_mass(const hl_rchain_slow *s, const double *q, double **mass)
{
    *mass = calloc((size_t)(s->components > 0 ? s->components : 1), sizeof(double));
    if (!*mass)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (long i = 0; i < s->n; i++)
        if (s->comp[i] >= 0)
            (*mass)[s->comp[i]] += q[i];
    return HL_OK;
}

double hl_rchain_switch_time(const hl_rchain_slow *s, const double *q)
{
    if (isnan(s->lambda2))
        return NAN;
    if (s->lambda2 == INFINITY)
        return 0.0;
    double *mass;
    if (slow_mass(s, q, &mass))
        return NAN;
    /* ln ||q - pi||^2_{1/pi} = ln sum (q_i - pi_i)^2 / pi_i, in logs */
    double l2 = -INFINITY;
    for (long i = 0; i < s->n; i++) {
        long c = s->comp[i];
        if (c < 0 || !(mass[c] > 0))
            continue;
        double lpi = log(mass[c]) + s->ln_pin[i];
        double d = fabs(q[i] - exp(lpi));
        if (d > 0)
            l2 = hl_lse(l2, 2 * log(d) - lpi);
    }
    free(mass);
    return ((s->margin > 0 ? s->margin : 40.0) + fmax(0.0, 0.5 * l2)) / s->lambda2;
}

int hl_rchain_relaxable(const hl_rchain_slow *s, double tau, double tol)
{
    return !isnan(s->ln_lambda1) || tau * s->resolution <= tol;
}

int hl_rchain_relax(const hl_rchain_slow *s, const double *q, double tau, double tol,
                    double *out)
{
    if (!(tau >= 0))
        return hl_fail(HL_EDOM, "relaxation time %g is not >= 0", tau);
    double e, f; /* out = e q + f pi, f = 1 - e */
    if (s->lambda1 == INFINITY || tau == 0) {
        e = 1;
        f = 0;
    } else if (isnan(s->ln_lambda1)) {
        if (!(tau * s->resolution <= tol))
            return hl_fail(HL_ERANGE, "t = %g is beyond what can be computed: the slowest "
                                      "relaxation rate is below the resolution %.3g of the "
                                      "eigensolver and not a two-basin tunnelling rate",
                           tau, s->resolution);
        e = 1;
        f = 0;
    } else {
        double x = exp(s->ln_lambda1 + log(tau)); /* lambda1 tau, also when lambda1 underflows */
        e = exp(-x);
        f = -expm1(-x);
    }
    double *mass;
    int st = slow_mass(s, q, &mass);
    if (st)
        return st;
    for (long i = 0; i < s->n; i++) {
        long c = s->comp[i];
        if (c < 0) {
            out[i] = 0;
            continue;
        }
        double pi = f > 0 ? mass[c] * exp(s->ln_pin[i]) : 0.0;
        out[i] = e * q[i] + f * pi;
    }
    free(mass);
    return HL_OK;
}
