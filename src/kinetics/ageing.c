/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ageing.c -- the two-time autocorrelation after a quench (memory.h):
 * p(t_w) by the engine from the start at T0, then the connected
 * correlation from the propagation of the positive and negative parts of
 * (A - <A>(t_w)) p(t_w), for the observable and for the basin's
 * occupation, and the same from the equilibrium at T (t_w -> infinity). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "memory_private.h"

static int check_times(const char *what, const double *t, size_t n, size_t n_min)
{
    if (n < n_min || (n && !t))
        return hl_fail(HL_EDOM, "%s: at least %zu needed (got %zu)", what, n_min, n);
    for (size_t k = 0; k < n; k++)
        if (!isfinite(t[k]) || t[k] < 0 || (k && !(t[k] > t[k - 1])))
            return hl_fail(HL_EDOM, "%s must be non-negative, finite and strictly increasing "
                                    "(%g at %zu)", what, t[k], k);
    return HL_OK;
}

/* C(tau) of observable A (n) from p (n, sum 1) at T into out (n_tau);
 * *var, *err (the error estimate), *tau_e; why set (and out NaN) when the
 * row is null.  work: 3 n + 2 n n_tau doubles. */
static int correlate(hl_memsys *s, double T, const double *p, const double *A,
                     const double *tau, size_t n_tau, double *out, double *var, double *err,
                     double *tau_e, double *max_sum_err, char *why, size_t nwhy,
                     char *why_tau, size_t nwhy_tau, double *work)
{
    long n = s->n;
    double *up = work, *um = work + n, *prop = work + 2 * n;
    double mean = 0, lo = INFINITY, hi = -INFINITY;
    for (long i = 0; i < n; i++) {
        mean += A[i] * p[i];
        lo = fmin(lo, A[i]);
        hi = fmax(hi, A[i]);
    }
    double v = 0, mp = 0, mm = 0;
    for (long i = 0; i < n; i++) {
        double d = A[i] - mean, u = d * p[i];
        v += d * u;
        up[i] = u > 0 ? u : 0;
        um[i] = u < 0 ? -u : 0;
        mp += up[i];
        mm += um[i];
    }
    *var = v;
    *err = v > 0 ? 100 * s->rtol * (hi - lo) / sqrt(v) : INFINITY;
    *tau_e = NAN;
    for (size_t k = 0; k < n_tau; k++)
        out[k] = NAN;
    if (!(v > 0) || !(mp > 0) || !(mm > 0)) {
        snprintf(why, nwhy, "no variance at t_w (Var = %.3g)", v);
        snprintf(why_tau, nwhy_tau, "C is null (no variance at t_w)");
        return HL_OK;
    }
    if (*err > 0.01) {
        snprintf(why, nwhy, "digits lost: Var = %.3g gives an error estimate %.3g above 0.01",
                 v, *err);
        snprintf(why_tau, nwhy_tau, "C is null (digits lost: error estimate %.3g)", *err);
        return HL_OK;
    }
    double *num = calloc(n_tau, sizeof(double));
    if (!num)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (int part = 0; part < 2; part++) {
        double e = 0;
        int st = hl_memsys_propagate(s, T, part ? um : up, tau, n_tau, prop, &e);
        if (st) {
            free(num);
            return st;
        }
        *max_sum_err = fmax(*max_sum_err, e);
        double m = part ? mm : mp;
        for (size_t k = 0; k < n_tau; k++) {
            const double *q = prop + k * (size_t)n;
            double sq = 0, sa = 0;
            for (long i = 0; i < n; i++) {
                sq += q[i];
                sa += q[i] * (A[i] - mean);
            }
            num[k] += (part ? -m : m) * sa / sq;
        }
    }
    for (size_t k = 0; k < n_tau; k++)
        out[k] = num[k] / v;
    free(num);
    const double ie = exp(-1.0);
    for (size_t k = 0; k < n_tau; k++)
        if (out[k] <= ie) {
            if (k == 0)
                break;
            double c0 = out[k - 1], c1 = out[k], f = (c0 - ie) / (c0 - c1);
            *tau_e = tau[k - 1] > 0 ? exp(log(tau[k - 1]) + f * log(tau[k] / tau[k - 1]))
                                    : tau[k - 1] + f * (tau[k] - tau[k - 1]);
            break;
        }
    if (isnan(*tau_e) && n_tau)
        snprintf(why_tau, nwhy_tau, "C stays above 1/e up to the last lag tau = %.6g "
                 "(C = %.4g there): widen the lags", tau[n_tau - 1], out[n_tau - 1]);
    return HL_OK;
}

int hl_ageing_run(hl_memsys *s, const hl_ageing_options *o, const double *tw, size_t n_tw,
                  const double *tau, size_t n_tau, double *c, double *c_basin,
                  hl_ageing_row *rows)
{
    if (!s || !o || !c || !rows)
        return hl_fail(HL_EINVAL, "hl_ageing_run: NULL argument");
    if (!isfinite(o->t0) || !isfinite(o->t) || !(o->t0 >= 1e-6) || !(o->t >= 1e-6))
        return hl_fail(HL_EDOM, "T0 and T must be finite and at least 1e-6 (got %g, %g)", o->t0,
                       o->t);
    if (o->start != HL_MEMORY_START_EQUILIBRIUM && o->start != HL_MEMORY_START_BASIN)
        return hl_fail(HL_EDOM, "unknown start %d", o->start);
    int st = check_times("the waiting times", tw, n_tw, 0);
    if (!st)
        st = check_times("the lags tau", tau, n_tau, 1);
    if (st)
        return st;
    long n = s->n;
    size_t nb = sizeof(double) * (size_t)n;
    double *P = malloc(nb * (n_tw + 1)), *ind = malloc(nb);
    double *work = malloc(nb * (3 + 2 * n_tau));
    if (!P || !ind || !work) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = hl_memsys_start(s, o->start, o->t0, P)) != HL_OK)
        goto done;
    double err0 = 0;
    if (n_tw && (st = hl_memsys_propagate(s, o->t, P, tw, n_tw, P, &err0)) != HL_OK)
        goto done;
    if ((st = hl_memsys_equilibrium(s, o->t, P + n_tw * (size_t)n)) != HL_OK)
        goto done;
    const unsigned char *mask;
    int present;
    if ((st = hl_memsys_mask(s, o->t, &mask, &present)) != HL_OK)
        goto done;
    for (long i = 0; i < n; i++)
        ind[i] = present && mask[i] ? 1.0 : 0.0;
    for (size_t r = 0; r <= n_tw; r++) {
        hl_ageing_row *row = &rows[r];
        memset(row, 0, sizeof *row);
        row->equilibrium = r == n_tw;
        row->tw = row->equilibrium ? NAN : tw[r];
        double *p = P + r * (size_t)n, sum = 0;
        for (long i = 0; i < n; i++)
            sum += p[i];
        row->max_sum_error = row->equilibrium ? 0 : err0;
        for (long i = 0; i < n; i++)
            p[i] /= sum;
        row->mean = hl_memsys_mean(s, p);
        st = correlate(s, o->t, p, s->A, tau, n_tau, c + r * n_tau, &row->variance,
                       &row->c_error, &row->tau_e, &row->max_sum_error, row->null_obs,
                       sizeof row->null_obs, row->tau_e_null, sizeof row->tau_e_null, work);
        if (st)
            goto done;
        row->p_basin = row->variance_basin = row->tau_e_basin = row->c_error_basin = NAN;
        if (!c_basin) {
            snprintf(row->tau_e_basin_null, sizeof row->tau_e_basin_null,
                     "the basin's C was not asked for");
            continue;
        }
        if (!present) {
            for (size_t k = 0; k < n_tau; k++)
                c_basin[r * n_tau + k] = NAN;
            snprintf(row->null_basin, sizeof row->null_basin, "%s",
                     hl_memsys_has_basin(s) ? "no liquid basin at T" : "no basin given");
            snprintf(row->tau_e_basin_null, sizeof row->tau_e_basin_null, "C of the basin is "
                     "null (%s)", row->null_basin);
            continue;
        }
        double pb = 0;
        for (long i = 0; i < n; i++)
            pb += ind[i] * p[i];
        row->p_basin = pb;
        st = correlate(s, o->t, p, ind, tau, n_tau, c_basin + r * n_tau, &row->variance_basin,
                       &row->c_error_basin, &row->tau_e_basin, &row->max_sum_error,
                       row->null_basin, sizeof row->null_basin, row->tau_e_basin_null,
                       sizeof row->tau_e_basin_null, work);
        if (st)
            goto done;
    }
done:
    free(P);
    free(ind);
    free(work);
    return st;
}
