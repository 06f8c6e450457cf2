/* SPDX-License-Identifier: GPL-3.0-or-later */
/* slow_modal.c -- the slow modes of a connected reversible chain and the
 * continuation of the master equation by them (slow_modal.h). */
#include "slow_modal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "spectrum.h"

#define MODAL_NEXT_REL 1e-3 /* the next rate's bound: it sets the switch time */

void hl_slow_modal_free(hl_slow_modal *m)
{
    if (!m)
        return;
    free(m->ln_nu);
    free(m->rel);
    free(m->phi);
    free(m->pin);
    memset(m, 0, sizeof *m);
}

/* gt-lanczos for k rates on c (indexed here on a copy if it is not) */
static int gtl(const hl_rchain *c, int k, double *lr, double *re, double *phi, char *why,
               size_t why_len)
{
    hl_rchain t;
    int st = hl_rchain_view(c, &t);
    if (st)
        return st;
    st = hl_rchain_slow_rates_gtl(&t, k, MODAL_NEXT_REL, lr, re, phi, NULL, why, why_len);
    hl_rchain_view_free(c, &t);
    return st;
}

int hl_slow_modal_build(const hl_rchain *c, double res, double rel, int jmax,
                        hl_slow_modal *m, char *why, size_t why_len)
{
    if (!c || !m || jmax < 2)
        return hl_fail(HL_EINVAL, "hl_slow_modal_build: bad argument");
    memset(m, 0, sizeof *m);
    if (why && why_len)
        why[0] = 0;
    long n = c->n;
    double *lr = NULL, *re = NULL, *phi = NULL;
    int st = HL_OK, k = 8, j = 0;
    for (;; k *= 2) {
        if (k > jmax + 2)
            k = jmax + 2;
        free(lr);
        free(re);
        free(phi);
        lr = malloc(sizeof(double) * (size_t)k);
        re = malloc(sizeof(double) * (size_t)k);
        phi = malloc(sizeof(double) * (size_t)k * (size_t)n);
        if (!lr || !re || !phi) {
            st = hl_fail(HL_ENOMEM, "out of memory for %d slow modes of %ld states", k, n);
            goto fail;
        }
        st = gtl(c, k, lr, re, phi, NULL, 0);
        if (st == HL_ENOMEM)
            goto fail;
        if (st) {
            snprintf(why, why_len, "gt-lanczos failed (%s)", hl_errmsg());
            st = HL_ENOTFOUND;
            goto fail;
        }
        /* j: the rates below res, each resolved to rel */
        for (j = 0; j + 1 < k && isfinite(lr[j + 1]) && re[j + 1] <= rel && exp(lr[j + 1]) < res;)
            j++;
        if (j + 1 < k || k >= jmax + 2)
            break;
    }
    if (j + 1 >= k) {
        snprintf(why, why_len, "more than %d slow rates below the resolution %.3g", jmax, res);
        st = HL_ENOTFOUND;
        goto fail;
    }
    if (j < 2) {
        snprintf(why, why_len, "fewer than two slow rates below the resolution %.3g resolved "
                               "to %g by gt-lanczos", res, rel);
        st = HL_ENOTFOUND;
        goto fail;
    }
    /* the rate after them, if gt-lanczos resolves it, else res: every
     * other rate is at least res unless gt-lanczos missed one below it,
     * which hl_slow_modal_residual shows at the switch */
    double nu_next = res;
    if (isfinite(lr[j + 1]) && re[j + 1] <= MODAL_NEXT_REL)
        nu_next = fmax(res, exp(lr[j + 1]) * (1 - re[j + 1]));
    m->n = n;
    m->j = j;
    m->ln_nu = malloc(sizeof(double) * (size_t)j);
    m->rel = malloc(sizeof(double) * (size_t)j);
    m->phi = malloc(sizeof(double) * (size_t)j * (size_t)n);
    m->pin = calloc((size_t)n, sizeof(double));
    if (!m->ln_nu || !m->rel || !m->phi || !m->pin) {
        st = hl_fail(HL_ENOMEM, "out of memory for %d slow modes of %ld states", j, n);
        goto fail;
    }
    double lz = -INFINITY;
    for (long a = 0; a < n; a++)
        lz = hl_lse(lz, c->ln_pi[a]);
    for (long a = 0; a < n; a++)
        m->pin[a] = exp(c->ln_pi[a] - lz);
    m->nu_next = nu_next;
    /* the vectors pi-orthonormalised against 1 and each other (modified
     * Gram-Schmidt, twice): gt-lanczos's are so to its tolerance */
    for (int q = 0; q < j; q++) {
        m->ln_nu[q] = lr[q + 1];
        m->rel[q] = re[q + 1];
        double *v = m->phi + (size_t)q * (size_t)n;
        memcpy(v, phi + (size_t)(q + 1) * (size_t)n, sizeof(double) * (size_t)n);
        for (long a = 0; a < n; a++)
            if (!isfinite(v[a]) || !isfinite(v[a] * m->pin[a] * v[a])) {
                snprintf(why, why_len, "slow mode %d does not fit a double at state %ld", q + 1,
                         a);
                st = HL_ENOTFOUND;
                goto fail;
            }
        for (int pass = 0; pass < 2; pass++) {
            for (int r = -1; r < q; r++) {
                const double *w = r >= 0 ? m->phi + (size_t)r * (size_t)n : NULL;
                double d = 0;
                for (long a = 0; a < n; a++)
                    d += m->pin[a] * v[a] * (w ? w[a] : 1.0);
                for (long a = 0; a < n; a++)
                    if (m->pin[a] > 0)
                        v[a] -= d * (w ? w[a] : 1.0);
            }
            double s = 0;
            for (long a = 0; a < n; a++)
                s += m->pin[a] * v[a] * v[a];
            if (!(s > 0)) {
                snprintf(why, why_len, "slow mode %d is not independent of the others", q + 1);
                st = HL_ENOTFOUND;
                goto fail;
            }
            s = 1 / sqrt(s);
            for (long a = 0; a < n; a++)
                v[a] *= s;
        }
    }
    free(lr);
    free(re);
    free(phi);
    return HL_OK;
fail:
    free(lr);
    free(re);
    free(phi);
    hl_slow_modal_free(m);
    return st;
}

/* the mass of p and its coefficients a_k = phi_k . p (j of them) */
static double modal_coeffs(const hl_slow_modal *m, const double *p, double *a)
{
    long n = m->n;
    double mass = 0;
    for (long i = 0; i < n; i++)
        mass += p[i];
    for (int q = 0; q < m->j; q++) {
        const double *v = m->phi + (size_t)q * (size_t)n;
        double s = 0;
        for (long i = 0; i < n; i++)
            s += v[i] * p[i];
        a[q] = s;
    }
    return mass;
}

double hl_slow_modal_residual(const hl_slow_modal *m, const double *p)
{
    long n = m->n;
    int j = m->j;
    double *a = malloc(sizeof(double) * (size_t)(j > 0 ? j : 1)), r = 0;
    if (!a)
        return INFINITY;
    double mass = modal_coeffs(m, p, a);
    for (long i = 0; i < n; i++) {
        double x = p[i] - m->pin[i] * mass;
        for (int q = 0; q < j; q++)
            x -= a[q] * m->pin[i] * m->phi[(size_t)q * (size_t)n + i];
        r += fabs(x);
    }
    free(a);
    return r;
}

int hl_slow_modal_relax(const hl_slow_modal *m, const double *p, double tau, double *out)
{
    if (!(tau >= 0))
        return hl_fail(HL_EDOM, "relaxation time %g is not >= 0", tau);
    long n = m->n;
    int j = m->j;
    double *a = malloc(sizeof(double) * (size_t)(2 * j + 1));
    if (!a)
        return hl_fail(HL_ENOMEM, "out of memory");
    double *f = a + j, mass = modal_coeffs(m, p, a);
    for (int q = 0; q < j; q++) /* exp(-nu tau), also when nu underflows */
        f[q] = tau == 0 ? 1.0 : exp(-exp(m->ln_nu[q] + log(tau)));
    double e = tau == 0 ? 1.0 : exp(-m->nu_next * tau);
    for (long i = 0; i < n; i++) {
        double pi = m->pin[i];
        if (!(pi > 0)) {
            out[i] = 0;
            continue;
        }
        /* p E + pi M (1 - E) + sum_k a_k pi phi_k (f_k - E) */
        double x = p[i] * e + pi * mass * (1 - e), big = fabs(x);
        for (int q = 0; q < j; q++) {
            double t = a[q] * pi * m->phi[(size_t)q * (size_t)n + i] * (f[q] - e);
            x += t;
            big += fabs(t);
        }
        /* zero within the rounding of the sum (its terms cancel where a
         * basin has emptied) */
        out[i] = x > 4 * (j + 2) * DBL_EPSILON * big ? x : 0.0;
    }
    free(a);
    return HL_OK;
}
