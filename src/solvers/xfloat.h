/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xfloat.h -- positive numbers with an unlimited exponent, for the graph
 * transformation of passage_gt.c (private to the library).
 *
 * A value is m 2^(512 e) with a double m in [2^-256, 2^256) (or m = 0: the
 * value 0) and an int e: the relative precision of a double (products and
 * sums of positive numbers lose at most an ulp each) and the range of the
 * logarithm, |ln x| up to ~7e11, far beyond the double range (ln x in
 * [-745, 709]).  This is log space without a transcendental per operation:
 * a sum costs a compare and an add, a product a multiply. */
#ifndef HL_XFLOAT_H
#define HL_XFLOAT_H

#include <math.h>

typedef struct {
    double m;
    int e;
} hl_xf;

#define HL_XF_LN_BLOCK 354.89135644669199842 /* 512 ln 2 */
#define HL_XF_HI 1.157920892373162e+77     /* 2^256  */
#define HL_XF_LO 8.636168555094445e-78     /* 2^-256 */
#define HL_XF_DOWN 7.458340731200207e-155  /* 2^-512 */
#define HL_XF_UP 1.3407807929942597e+154   /* 2^512  */
/* |ln x| above which a value does not fit the int exponent */
#define HL_XF_LN_MAX 7.0e11

static inline hl_xf hl_xf_zero(void)
{
    hl_xf z = {0.0, 0};
    return z;
}

static inline hl_xf hl_xf_norm(double m, int e)
{
    hl_xf r;
    if (m >= HL_XF_HI) {
        m *= HL_XF_DOWN;
        e++;
    } else if (m < HL_XF_LO && m != 0.0) {
        m *= HL_XF_UP;
        e--;
    }
    r.m = m;
    r.e = e;
    return r;
}

/* x = exp(l); l = -inf gives 0; |l| <= HL_XF_LN_MAX (the caller checks) */
static inline hl_xf hl_xf_exp(double l)
{
    if (l == -INFINITY)
        return hl_xf_zero();
    double k = floor(l / HL_XF_LN_BLOCK + 0.5);
    return hl_xf_norm(exp(l - k * HL_XF_LN_BLOCK), (int)k);
}

/* ln x; -inf for 0 */
static inline double hl_xf_log(hl_xf x)
{
    if (x.m == 0.0)
        return -INFINITY;
    return log(x.m) + (double)x.e * HL_XF_LN_BLOCK;
}

static inline hl_xf hl_xf_mul(hl_xf a, hl_xf b)
{
    if (a.m == 0.0 || b.m == 0.0)
        return hl_xf_zero();
    return hl_xf_norm(a.m * b.m, a.e + b.e);
}

/* a / b, b != 0 */
static inline hl_xf hl_xf_div(hl_xf a, hl_xf b)
{
    if (a.m == 0.0)
        return hl_xf_zero();
    return hl_xf_norm(a.m / b.m, a.e - b.e);
}

/* a + b for a, b >= 0 */
static inline hl_xf hl_xf_add(hl_xf a, hl_xf b)
{
    if (b.m == 0.0)
        return a;
    if (a.m == 0.0)
        return b;
    int d = a.e - b.e;
    if (d == 0)
        return hl_xf_norm(a.m + b.m, a.e);
    if (d == 1)
        return hl_xf_norm(a.m + b.m * HL_XF_DOWN, a.e);
    if (d == -1)
        return hl_xf_norm(b.m + a.m * HL_XF_DOWN, b.e);
    /* the smaller is below 2^-512 of the larger */
    return d > 0 ? a : b;
}

/* a - b for a >= b >= 0 (0 or a negative mantissa when b > a: the caller
 * checks the sign) */
static inline hl_xf hl_xf_sub(hl_xf a, hl_xf b)
{
    if (b.m == 0.0)
        return a;
    int d = a.e - b.e;
    if (d == 0)
        return hl_xf_norm(a.m - b.m, a.e);
    if (d == 1)
        return hl_xf_norm(a.m - b.m * HL_XF_DOWN, a.e);
    if (d == -1)
        return hl_xf_norm(a.m * HL_XF_DOWN - b.m, b.e);
    if (d > 1)
        return a;
    hl_xf r = {-b.m, b.e};
    return r;
}

#endif
