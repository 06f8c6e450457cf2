/* SPDX-License-Identifier: GPL-3.0-or-later */
/* entropy.c -- the vertex counts W(n, n1) (eq 4.9) and the entropy
 * w(x, y) (eq 4.10), with the tanh-coordinates and log-space helpers they
 * use. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "model_object.h"

/* ---------------------------------------------------------------- helpers */

double hl_softplus(double z)
{
    return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

double hl_xlogx(double u) { return u > 0 ? u * log(u) : 0.0; }

void hl_tpoint_set(hl_tpoint *p, double t1, double t2)
{
    p->t1 = t1;
    p->t2 = t2;
    p->s = tanh(t1);
    p->d = tanh(t2);
    p->x = 0.5 * (p->s + p->d);
    p->y = 0.5 * (p->s - p->d);
    /* 1 - tanh^2 = 1/cosh^2, accurate for large |t| */
    double c1 = cosh(t1), c2 = cosh(t2);
    p->cs = isfinite(c1) ? 1.0 / (c1 * c1) : 0.0;
    p->cd = isfinite(c2) ? 1.0 / (c2 * c2) : 0.0;
}

/* H(s) = ln 2 - [(1+s)ln(1+s) + (1-s)ln(1-s)]/2 written in t = atanh s:
 * 1 + s = 2/(1 + e^{-2t}), 1 - s = 2/(1 + e^{2t}). */
double hl_half_entropy_t(double t)
{
    double one_plus = 2.0 / (1.0 + exp(-2.0 * t));
    double one_minus = 2.0 / (1.0 + exp(2.0 * t));
    return 0.5 * (one_plus * hl_softplus(-2.0 * t) +
                  one_minus * hl_softplus(2.0 * t));
}

/* ln H(tanh t).  With u = e^{-2|t|}: H = ln(1 + u) - u ln(u) / (1 + u)
 * exactly, = u (1 + 2|t|) (1 + O(u)), so for |t| > 20 (u < 5e-18, below
 * the rounding) ln H = -2|t| + ln(1 + 2|t|), finite where H itself
 * underflows (|t| > ~355). */
double hl_ln_half_entropy_t(double t)
{
    double a = fabs(t);
    if (a > 20)
        return -2.0 * a + log1p(2.0 * a);
    return log(hl_half_entropy_t(t));
}

double hl_w_from_t(double t1, double t2)
{
    return 0.5 * (hl_half_entropy_t(t1) + hl_half_entropy_t(t2));
}

double hl_ln_w_from_t(double t1, double t2)
{
    return log(0.5) + hl_lse(hl_ln_half_entropy_t(t1), hl_ln_half_entropy_t(t2));
}

double hl_entropy_w(double x, double y)
{
    double s = x + y, d = x - y;
    const double eps = 1e-14;
    if (!(fabs(s) <= 1.0 + eps && fabs(d) <= 1.0 + eps))
        return NAN;
    if (s > 1) s = 1;
    if (s < -1) s = -1;
    if (d > 1) d = 1;
    if (d < -1) d = -1;
    return log(2.0) - 0.25 * (hl_xlogx(1 + s) + hl_xlogx(1 - s) +
                              hl_xlogx(1 + d) + hl_xlogx(1 - d));
}

double hl_lnchoose(long h, long k)
{
    if (k == 0 || k == h)
        return 0.0;
    gsl_sf_result r;
    if (k < 0 || k > h || gsl_sf_lnchoose_e((unsigned)h, (unsigned)k, &r) != GSL_SUCCESS)
        return NAN;
    return r.val;
}

int hl_check_dim(long D)
{
    if (D < HL_DIM_MIN || D > HL_DIM_MAX)
        return hl_fail(HL_EDOM, "dimension D = %ld is outside [%ld, %ld]", D,
                       HL_DIM_MIN, HL_DIM_MAX);
    if (D % 2 != 0)
        return hl_fail(HL_EDOM, "dimension D = %ld is odd; the model needs an "
                                "even D (eq 4.4)", D);
    return HL_OK;
}

int hl_ln_vertex_count(long D, long n, long n1, double *ln_w)
{
    int st = hl_check_dim(D);
    if (st)
        return st;
    long h = D / 2, a = n1, b = n - n1;
    if (a < 0 || a > h || b < 0 || b > h)
        return hl_fail(HL_EDOM, "class (n, n1) = (%ld, %ld) does not exist "
                                "for D = %ld", n, n1, D);
    *ln_w = hl_lnchoose(h, a) + hl_lnchoose(h, b);
    return HL_OK;
}
