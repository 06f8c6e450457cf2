/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exact_private.h -- what the pieces of the exact sums share (exact.c,
 * exact_separable.c, exact_general.c; not installed): the hl_exact object
 * and the two summation paths. */
#ifndef HL_EXACT_PRIVATE_H
#define HL_EXACT_PRIVATE_H

#include <float.h>
#include <math.h>
#include <stdint.h>

#include "model_private.h"

/* Classes below exp(-HL_EXACT_LN_CUTOFF) = 1e-300 of the largest term are
 * left out (their weight bounded). */
#define HL_EXACT_LN_CUTOFF 690.7755278982137 /* -ln(1e-300) */
#define HL_LN2 0.69314718055994530942

struct hl_exact_leaf; /* exact_general.c */

/* The heat capacity per dimension beta^2 D Var(phi), or NaN when its
 * digits were lost: a variance that is not positive (the weights beside
 * the largest class underflowed at large beta; the general path counts a
 * difference of phi at the round-off of its reconstruction as none) or a
 * product that is not a normal double (beta tiny).  At finite D and beta
 * every class has a positive weight, so the true value is positive unless
 * phi is constant (exact.c keeps 0 then); or a variance not above its
 * rounding bound (var_bound: two classes of equal phi whose phi differ in
 * the last bit give a variance of rounding noise).  Null with a reason in
 * the outputs, never a rounded 0. */
static inline double hl_exact_heat_capacity(double beta, double D, double var, double var_bound)
{
    double c = beta * beta * D * var;
    return var > var_bound && c >= DBL_MIN && c <= DBL_MAX ? c : NAN;
}

/* v, or 0 where |v| is at most its rounding-error bound: a mean or a
 * covariance that is 0 (by symmetry) comes out of the sums as round-off
 * of either sign (-2e-18); below its bound it has no digit, and 0 is as
 * good a value as any within the bound (which the outputs report). */
static inline double hl_exact_roundoff(double v, double bound)
{
    return fabs(v) <= bound ? 0.0 : v;
}

/* The moments of one distribution over classes, summed relative to a
 * reference class r (its largest term): each class's exponent is taken as
 * differences first, t = (ln W - ln W_r) - beta D (phi - phi_r), so that
 * nothing of the size of beta D phi or ln W is subtracted away (the
 * reconstruction of phi from ln W - beta D phi lost every digit at small
 * beta); its weight w = e^t (1 at r).  Per class:
 *   HL_M_W    w            HL_M_WO  w of the classes other than r
 *   HL_M_U    w u          HL_M_UA  w |u|        HL_M_UU  w u^2
 *   HL_M_LNW  w ln W       HL_M_T   w (-t)       HL_M_WE  w e
 *   HL_M_WEL  w e ln W     HL_M_WET w e |t|
 *   HL_M_E    max e (combined by max, not summed)
 * where u is the value whose moments are wanted, less its value at r (for
 * phi: phi - phi_r), and e = |ln W| + |ln W_r| + |t| + beta D |phi - phi_r|
 * bounds the rounding error of t by 4 eps e.  The entropy is then a sum of
 * terms that are not negative, S = <ln W> + H(Q), H(Q) = -sum Q ln Q =
 * ln(sum w) + <-t> (the vertex probabilities are Q / W), never the
 * difference ln Z + beta D <phi> of two nearly equal numbers. */
enum { HL_M_W, HL_M_WO, HL_M_WNZ, HL_M_WSN, HL_M_U, HL_M_UA, HL_M_UU, HL_M_LNW, HL_M_T, HL_M_WE, HL_M_WEL, HL_M_WET,
       HL_M_E, HL_M_N };

static inline double hl_m_add(double *p, double t, double e, double u, double lnw, int other,
                              double uref)
{
    double w = exp(t);
    /* a difference at the rounding of phi itself is none (HL_M_WNZ: the
     * weight of the classes whose u is not 0, for the bounds) */
    if (u != 0 && fabs(u) <= 16 * DBL_EPSILON * uref) {
        u = 0;
        p[HL_M_WSN] += w; /* snapped: off by at most 16 eps |phi_r| */
    }
    p[HL_M_W] += w;
    if (other)
        p[HL_M_WO] += w;
    if (u != 0)
        p[HL_M_WNZ] += w;
    p[HL_M_U] += w * u;
    p[HL_M_UA] += w * fabs(u);
    p[HL_M_UU] += w * u * u;
    p[HL_M_LNW] += w * lnw;
    p[HL_M_T] -= w * t;
    p[HL_M_WE] += w * e;
    p[HL_M_WEL] += w * e * lnw;
    p[HL_M_WET] -= w * e * t;
    if (e > p[HL_M_E])
        p[HL_M_E] = e;
    return w;
}

/* acc += p (long double across partial sums; HL_M_E by max) */
static inline void hl_m_merge(long double *acc, const double *p)
{
    for (int j = 0; j < HL_M_N; j++)
        if (j == HL_M_E)
            acc[j] = acc[j] > p[j] ? acc[j] : p[j];
        else
            acc[j] += p[j];
}

typedef struct {
    double ln_s0;                   /* ln sum w = ln Z - ln(term of r)      */
    double mean_u, mean_u_bound;    /* <u> and its rounding-error bound     */
    double var, var_bound;          /* Var(u) = <u^2> - <u>^2 (centred at r)*/
    double mean_lnw, mean_lnw_bound;/* <ln W>                               */
    double h, h_bound;              /* H(Q) = -sum Q ln Q                   */
    double werr;                    /* relative error bound of any weight   */
} hl_m_result;

/* The moments from the sums a (hl_m_add); g: the rounding bound of a sum
 * per unit of sum |terms| (terms per double partial sum + 8, times eps);
 * uref: |phi_r|, the value u is measured from: phi itself was rounded (by
 * the formula's evaluation, 4 eps |phi| taken), so u = phi - phi_r is known
 * to 4 eps (|u| + 2 |phi_r|) only, and the bounds of <u> and Var(u) include
 * that (two classes of equal phi whose phi differ in the last bit). */
static inline void hl_m_finish(const long double *a, double g, double uref, hl_m_result *r)
{
    const double eps = DBL_EPSILON;
    long double s0 = a[HL_M_W];
    double werr = 4 * eps * (double)a[HL_M_E], wavg = 4 * eps * (double)(a[HL_M_WE] / s0);
    double mu = (double)(a[HL_M_U] / s0), ua = (double)(a[HL_M_UA] / s0);
    double uu = (double)(a[HL_M_UU] / s0);
    r->werr = werr;
    r->ln_s0 = log1p((double)a[HL_M_WO]);
    r->mean_u = mu;
    /* a weight off by a relative d moves <u> by at most d <|u - <u>|> */
    /* u is exact (0) at r; elsewhere off by at most 4 eps (|u| + 2 |phi_r|):
     * <u> by 4 eps <|u| + 2 |phi_r|>_{not r}, Var(u) by 2 <|u - <u>| du> +
     * <du^2> (Cauchy-Schwarz: 2 sqrt(Var A2) 4 eps + A2 (4 eps)^2, A2 =
     * 2 <u^2 + 4 phi_r^2>_{not r}) */
    double wo = (double)(a[HL_M_WNZ] / s0);
    double a2 = 2 * (uu + 4 * uref * uref * wo);
    double sn = 16 * eps * uref, wsn = (double)(a[HL_M_WSN] / s0);
    r->mean_u_bound = (g + 2 * werr) * ua + g * fabs(mu) + 4 * eps * (ua + 2 * uref * wo) +
                      sn * wsn;
    r->var = uu - mu * mu;
    r->var_bound = (g + 2 * werr) * (uu + 2 * mu * mu) + eps * fabs(r->var) +
                   8 * eps * sqrt(fabs(r->var) * a2) + 16 * eps * eps * a2 +
                   2 * sqrt(fabs(r->var) * wsn) * sn + sn * sn * wsn;
    r->mean_lnw = (double)(a[HL_M_LNW] / s0);
    /* a weight off by a relative 4 eps e moves <ln W> by at most
     * 4 eps sum w e |ln W - <ln W>| / sum w (ln W >= 0) */
    r->mean_lnw_bound = g * r->mean_lnw +
                        4 * eps * (double)(a[HL_M_WEL] / s0) + wavg * r->mean_lnw;
    double mt = (double)(a[HL_M_T] / s0);
    r->h = r->ln_s0 + mt;
    /* ln sum w and <-t>: the t themselves (wavg) and the weights */
    r->h_bound = g * (r->ln_s0 + mt) + 2 * wavg + 4 * eps * (double)(a[HL_M_WET] / s0) +
                 wavg * mt;
}

/* The moments of a product distribution Q_A(a) Q_B(b) of two independent
 * chains with u = u_A + u_B and ln W = ln W_A + ln W_B. */
static inline hl_m_result hl_m_product(const hl_m_result *a, const hl_m_result *b)
{
    hl_m_result r;
    r.ln_s0 = a->ln_s0 + b->ln_s0;
    r.mean_u = a->mean_u + b->mean_u;
    r.mean_u_bound = a->mean_u_bound + b->mean_u_bound + DBL_EPSILON * fabs(r.mean_u);
    r.var = a->var + b->var;
    r.var_bound = a->var_bound + b->var_bound + DBL_EPSILON * fabs(r.var);
    r.mean_lnw = a->mean_lnw + b->mean_lnw;
    r.mean_lnw_bound = a->mean_lnw_bound + b->mean_lnw_bound + DBL_EPSILON * r.mean_lnw;
    r.h = a->h + b->h;
    r.h_bound = a->h_bound + b->h_bound + DBL_EPSILON * r.h;
    r.werr = a->werr + b->werr;
    return r;
}

/* The entropy per dimension S/D = (<ln W> + H(Q)) / D (hl_m_result), or
 * NaN where it underflowed to 0 (only the largest class summed, of weight
 * W = 1: the true S is positive but below the round-off of the sums). */
static inline double hl_exact_entropy_m(const hl_m_result *m, double D, double *bound)
{
    double s = (m->mean_lnw + m->h) / D;
    *bound = (m->mean_lnw_bound + m->h_bound) / D + DBL_EPSILON * s;
    return s > 0 ? s : NAN;
}

/* A basin's thermo_null_reason when only c and/or S is null ("" if none). */
static inline void hl_exact_thermo_reason(double c, double s, char *buf, size_t size)
{
    snprintf(buf, size, "%s",
             isnan(c) && isnan(s) ? "heat capacity and entropy only: underflowed (Var(phi) "
                                    "and S below the round-off of the sums)"
             : isnan(c) ? "heat capacity only: Var(phi) underflowed to 0, or beta^2 D "
                          "Var(phi) did"
             : isnan(s) ? "entropy only: S underflowed (only the largest class, of W = 1, is above the round-off)"
                        : "");
}

struct hl_exact {
    const hl_model *model;
    long dim, h;
    int separable;
    double *lnc;  /* ln C(h, k), k = 0..h */
    double *gb;   /* separable: g(d_b) = phi(x, y) - s at b */
    /* general path workspace */
    size_t nleaf, cap_leaf;
    struct hl_exact_leaf *leaves;
    int64_t *hash;      /* leaf index by tile: open addressing ...     */
    size_t hash_cap;
    int32_t *tile;      /* ... or a dense tile grid when it is small     */
    long ntile;         /* tiles per side                               */
    double *phi_cache;  /* phi on the whole lattice (beta-independent),
                           kept when the lattice is small enough         */
    double bd;          /* beta D of the sums under way (general path)   */
    hl_progress_fn progress;
    void *progress_ctx;
};

/* Turn the basins' accumulated ln weights into probabilities, given ln of
 * the total weight (a basin with no weight: probability 0, ln -inf). */
void hl_exact_finish_basins(hl_exact_result *r, double ln_total);
/* Set basin k's own thermodynamics (hl_basin): ln Z_b (natural log of its
 * unnormalised weight, the same scale as ln Z), <phi>_b, Var_b(phi) and
 * the bound of its weight left out, relative to Z_b (moments of phi about
 * phi_ref in m, hl_m_result).  Values stay NaN with
 * a reason when the bound exceeds 1e-12 or ln Z_b is not finite. */
void hl_exact_basin_thermo(hl_exact_result *r, int k, double ln_zb, double ln_zb_bound,
                           double phi_ref, const hl_m_result *m, double bound);
/* The whole system's ln Z / D, <phi>, <ln W> / D, c and S / D with their
 * bounds from the moments m of phi about phi_ref (hl_m_result); ln_zr: ln
 * of the reference term, lnzr_err: its rounding bound. */
void hl_exact_set_thermo(hl_exact_result *r, double ln_zr, double lnzr_err, double phi_ref,
                         const hl_m_result *m);
/* The sums at beta on the separable path (ex->separable) and on the general
 * path, into r (r->dim, r->beta set); with visit, every class above 1e-300
 * of the largest term is also passed to visit with its normalised ln Q (a
 * non-zero return stops: HL_EINVAL).  c: the named maxima at beta.  HL_OK or an
 * error code with hl_errmsg(). */
int hl_exact_separable(hl_exact *ex, double beta, hl_exact_result *r, const hl_named_maxima *c,
                       hl_class_visitor visit, void *ctx);
int hl_exact_general(hl_exact *ex, double beta, hl_exact_result *r, const hl_named_maxima *c,
                     hl_class_visitor visit, void *ctx);

#endif
