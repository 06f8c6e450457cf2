/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paper_ref.h -- an independent reference for the infinite-D thermodynamics
 * of the paper's phi, used to check the library's general 2-D machinery.
 *
 * The default phi is s + g(d) (s = x + y, d = x - y, g(d) = -(d + 0.2)^2 +
 * 0.38 (d + 0.2)^3) and w = w1(s) + w1(d) with
 * w1(u) = ln 2 / 2 - [(1 + u) ln(1 + u) + (1 - u) ln(1 - u)] / 4, so
 * f = w - beta phi splits into  [w1(s) - beta s] + [w1(d) - beta g(d)].
 * The s part has its maximum at s = -tanh(2 beta).  In t = atanh d the d part
 * is stationary where F(t) = -t/2 - beta g'(tanh t) = 0; a sign change of F
 * from + to - (t increasing) is a maximum, from - to + a saddle. */
#ifndef HL_PAPER_REF_H
#define HL_PAPER_REF_H

#include <math.h>

static inline double ref_g(double d)
{
    double u = d + 0.2;
    return -u * u + 0.38 * u * u * u;
}

static inline double ref_gp(double d)
{
    double u = d + 0.2;
    return -2.0 * u + 1.14 * u * u;
}

/* w1 from t = atanh(u): 1 + u = 2 / (1 + e^{-2t}), 1 - u = 2 / (1 + e^{2t}) */
static inline double ref_w1_t(double t)
{
    double p = 2.0 / (1.0 + exp(-2.0 * t)), q = 2.0 / (1.0 + exp(2.0 * t));
    double lp = log(2.0) - log1p(exp(-2.0 * t));
    double lq = log(2.0) - log1p(exp(2.0 * t));
    return 0.5 * log(2.0) - 0.25 * (p * lp + q * lq);
}

static inline double ref_F(double beta, double t)
{
    return -0.5 * t - beta * ref_gp(tanh(t));
}

/* f of the d part at t */
static inline double ref_fd(double beta, double t)
{
    return ref_w1_t(t) - beta * ref_g(tanh(t));
}

/* f of the s part at its maximum */
static inline double ref_fs_max(double beta)
{
    double t = -2.0 * beta; /* atanh(s*) */
    return ref_w1_t(t) - beta * tanh(t);
}

/* Stationary points of the d part: t values, kind +1 maximum, -1 saddle.
 * Returns their number (up to cap), sorted by t. */
static inline int ref_stationary_d(double beta, double *t_out, int *kind,
                                   int cap)
{
    const double T = 2.0 * beta * 2.5 + 1.0; /* |g'| < 2.5 on [-1, 1] */
    const int N = 40000;
    int n = 0;
    double tl = -T, fl = ref_F(beta, tl);
    for (int i = 1; i <= N; i++) {
        double tr = -T + 2.0 * T * i / N, fr = ref_F(beta, tr);
        if ((fl > 0) != (fr > 0) && n < cap) {
            double a = tl, b = tr, fa = fl;
            for (int it = 0; it < 200 && b - a > 1e-15 * (1 + fabs(a)); it++) {
                double m = 0.5 * (a + b), fm = ref_F(beta, m);
                if ((fm > 0) == (fa > 0)) {
                    a = m;
                    fa = fm;
                } else {
                    b = m;
                }
            }
            t_out[n] = 0.5 * (a + b);
            kind[n] = fl > 0 ? +1 : -1;
            n++;
        }
        tl = tr;
        fl = fr;
    }
    return n;
}

/* The crystal (smallest t) and liquid (largest t) maxima of the d part;
 * returns 0 if the crystal maximum does not exist. */
static inline int ref_maxima_d(double beta, double *t_crystal, double *t_liquid)
{
    double t[8];
    int kind[8];
    int n = ref_stationary_d(beta, t, kind, 8);
    int ic = -1, il = -1;
    for (int i = 0; i < n; i++)
        if (kind[i] > 0) {
            if (ic < 0)
                ic = i;
            il = i;
        }
    *t_liquid = il >= 0 ? t[il] : NAN;
    *t_crystal = (ic >= 0 && ic != il) ? t[ic] : NAN;
    return ic >= 0 && ic != il;
}

/* The crystal fold: the minimum over d in (-1, -0.2) of
 * B(d) = -atanh(d) / (2 g'(d)), the beta at which d is stationary.
 * Golden section in t = atanh d; returns beta_f and t_f. */
static inline double ref_B_t(double t)
{
    return -t / (2.0 * ref_gp(tanh(t)));
}

static inline double ref_crystal_fold(double *t_fold)
{
    double a = -6.0, b = atanh(-0.2) - 1e-6;
    const double r = 0.5 * (sqrt(5.0) - 1.0);
    double c = b - r * (b - a), d = a + r * (b - a);
    double fc = ref_B_t(c), fd = ref_B_t(d);
    for (int it = 0; it < 200 && b - a > 1e-12; it++) {
        if (fc < fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - r * (b - a);
            fc = ref_B_t(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + r * (b - a);
            fd = ref_B_t(d);
        }
    }
    *t_fold = 0.5 * (a + b);
    return ref_B_t(*t_fold);
}

/* f_liquid - f_crystal (only the d parts differ) */
static inline double ref_melt_gap(double beta)
{
    double tc, tl;
    if (!ref_maxima_d(beta, &tc, &tl))
        return NAN;
    return ref_fd(beta, tl) - ref_fd(beta, tc);
}

/* The melting point by bisection in [lo, hi]. */
static inline double ref_melting(double lo, double hi)
{
    double glo = ref_melt_gap(lo);
    for (int it = 0; it < 100 && hi - lo > 1e-15; it++) {
        double m = 0.5 * (lo + hi), gm = ref_melt_gap(m);
        if ((gm > 0) == (glo > 0)) {
            lo = m;
            glo = gm;
        } else {
            hi = m;
        }
    }
    return 0.5 * (lo + hi);
}

#endif
