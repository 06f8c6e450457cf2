/* SPDX-License-Identifier: GPL-3.0-or-later */
/* formula_interval.c -- interval evaluation of a compiled formula: an
 * enclosure of its values over a box, with outward rounding and a "may be
 * NaN" flag, so that the model can prove phi finite and B positive on the
 * whole square instead of on a sample. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "formula_private.h"

#define PI 3.14159265358979323846
/* ---------------------------------------------------------------- intervals */

typedef hl_interval iv;

static iv mk(double lo, double hi) { return (iv){lo, hi, 0}; }
static iv whole(int nan) { return (iv){-INFINITY, INFINITY, nan}; }

/* Widen by a few ulps (libm functions are accurate to ~1 ulp). */
static iv widen(iv r)
{
    if (isnan(r.lo) || isnan(r.hi))
        return whole(1);
    if (r.lo != 0 && isfinite(r.lo))
        r.lo -= fabs(r.lo) * 4.5e-16 + DBL_TRUE_MIN;
    if (r.hi != 0 && isfinite(r.hi))
        r.hi += fabs(r.hi) * 4.5e-16 + DBL_TRUE_MIN;
    return r;
}

static iv iv_add(iv a, iv b)
{
    double lo = a.lo + b.lo, hi = a.hi + b.hi;
    iv r = mk(isnan(lo) ? -INFINITY : lo, isnan(hi) ? INFINITY : hi);
    r.nan = a.nan | b.nan;
    return r;
}

static iv iv_neg(iv a) { return (iv){-a.hi, -a.lo, a.nan}; }

/* product of endpoints with 0 * inf = 0 (an infinite end makes the box fail
 * anyway; the bound stays an enclosure of the finite values) */
static double pmul(double a, double b) { return (a == 0 || b == 0) ? 0.0 : a * b; }

static iv iv_mul(iv a, iv b)
{
    double p[4] = {pmul(a.lo, b.lo), pmul(a.lo, b.hi), pmul(a.hi, b.lo), pmul(a.hi, b.hi)};
    double lo = p[0], hi = p[0];
    for (int k = 1; k < 4; k++) {
        if (p[k] < lo) lo = p[k];
        if (p[k] > hi) hi = p[k];
    }
    iv r = mk(lo, hi);
    /* 0 * inf at a point is NaN */
    int zero_a = a.lo <= 0 && a.hi >= 0, zero_b = b.lo <= 0 && b.hi >= 0;
    int inf_a = isinf(a.lo) || isinf(a.hi), inf_b = isinf(b.lo) || isinf(b.hi);
    r.nan = a.nan | b.nan | (zero_a && inf_b) | (zero_b && inf_a);
    return r;
}

static iv iv_recip(iv b)
{
    if (b.lo > 0 || b.hi < 0) {
        iv r = mk(1.0 / b.hi, 1.0 / b.lo);
        r.nan = b.nan;
        return r;
    }
    iv r = whole(b.nan);
    if (b.lo == 0 && b.hi == 0)
        r.nan = 1; /* 1/0 is inf, 0/0 is NaN */
    return r;
}

static iv iv_div(iv a, iv b)
{
    iv r;
    if (b.lo > 0 || b.hi < 0) {
        /* b excludes 0: a / b is monotone in each, so the quotients of the
         * ends (not a * (1/b): 1/b overflows for a tiny b where a/b is
         * finite, e.g. d/dx x^x/x^522 at x = 0.5, found by tests/fuzz) */
        double q[4] = {a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi};
        double lo = INFINITY, hi = -INFINITY;
        int undefined = 0;
        for (int k = 0; k < 4; k++) {
            if (isnan(q[k]))
                undefined = 1; /* inf / inf */
            if (q[k] < lo) lo = q[k];
            if (q[k] > hi) hi = q[k];
        }
        r = undefined ? whole(0) : mk(lo, hi);
    } else {
        r = iv_mul(a, iv_recip(b));
    }
    if (b.lo <= 0 && b.hi >= 0 && a.lo <= 0 && a.hi >= 0)
        r.nan = 1; /* 0/0 */
    if ((isinf(a.lo) || isinf(a.hi)) && (isinf(b.lo) || isinf(b.hi)))
        r.nan = 1; /* inf/inf */
    r.nan |= a.nan | b.nan;
    return r;
}

/* a monotone increasing f on [dlo, dhi] (its domain); outside: NaN */
static iv mono(double (*f)(double), iv a, double dlo, double dhi)
{
    int nan = a.nan;
    double lo = a.lo, hi = a.hi;
    if (lo < dlo) { lo = dlo; nan = 1; }
    if (hi > dhi) { hi = dhi; nan = 1; }
    if (lo > hi)
        return whole(1);
    iv r = mk(f(lo), f(hi));
    r.nan = nan;
    return r;
}

static double f_neg_acos(double u) { return -acos(u); }

/* integer power n >= 0 */
static iv iv_ipow(iv a, double n)
{
    if (n == 0)
        return (iv){1, 1, a.nan};
    double plo = pow(a.lo, n), phi = pow(a.hi, n);
    iv r;
    if (fmod(n, 2.0) != 0) /* odd: increasing */
        r = mk(plo, phi);
    else if (a.lo >= 0)
        r = mk(plo, phi);
    else if (a.hi <= 0)
        r = mk(phi, plo);
    else
        r = mk(0, plo > phi ? plo : phi);
    r.nan = a.nan;
    return r;
}

static iv iv_exp(iv a) { iv r = mk(exp(a.lo), exp(a.hi)); r.nan = a.nan; return r; }

static iv iv_pow(iv a, iv b)
{
    if (b.lo == b.hi && isfinite(b.lo) && b.lo == nearbyint(b.lo) && fabs(b.lo) < 1e15) {
        double n = b.lo;
        iv r = iv_ipow(a, fabs(n));
        r = n < 0 ? iv_recip(r) : r;
        r.nan |= a.nan | b.nan;
        return widen(r);
    }
    /* general: pow(a, b) for a >= 0 as exp(b ln a); a < 0 gives NaN unless
     * b is an integer, when |pow(a, b)| = pow(|a|, b) */
    if (a.lo < 0) {
        int has_int = isfinite(b.lo) && isfinite(b.hi) ? floor(b.hi) >= b.lo : 1;
        iv neg = iv_pow(mk(a.hi < 0 ? -a.hi : 0, -a.lo), b);
        iv r = a.hi >= 0 ? iv_pow(mk(0, a.hi), b) : mk(INFINITY, -INFINITY);
        if (has_int) {
            double m = fmax(fabs(neg.lo), fabs(neg.hi));
            r.lo = fmin(r.lo, -m);
            r.hi = fmax(r.hi, m);
        }
        r.nan = 1 | a.nan | b.nan | neg.nan;
        if (r.lo > r.hi)
            return whole(1);
        return r;
    }
    int nan = a.nan | b.nan;
    double lo = a.lo;
    if (lo > a.hi)
        return whole(1);
    iv la = mk(log(lo), log(a.hi)); /* log 0 = -inf */
    iv p = iv_mul(b, la);
    if (p.nan) { /* 0 * inf: pow(0, 0) = 1, pow(0, b>0) = 0, pow(0, b<0) = inf */
        p = whole(0);
    }
    /* exp(b ln a) has a relative error of ~|b ln a| ulps */
    iv r = iv_exp(p);
    if (isfinite(p.lo) && isfinite(r.lo)) r.lo -= r.lo * 4.5e-16 * (2 + fabs(p.lo));
    if (isfinite(p.hi) && isfinite(r.hi)) r.hi += r.hi * 4.5e-16 * (2 + fabs(p.hi));
    r.nan = nan;
    return r;
}

/* does [lo, hi] contain c + k * period for some integer k? */
static int hits(double lo, double hi, double c, double period)
{
    double k = ceil((lo - c) / period);
    return c + k * period <= hi;
}

/* sin (cosine = 0) or cos (cosine = 1) over a, endpoints from libm itself */
static iv iv_trig(iv a, int cosine)
{
    if (!isfinite(a.lo) || !isfinite(a.hi) || a.hi - a.lo >= 2 * PI) {
        iv r = mk(-1, 1);
        r.nan = a.nan || !isfinite(a.lo) || !isfinite(a.hi);
        return r;
    }
    double s0 = cosine ? cos(a.lo) : sin(a.lo), s1 = cosine ? cos(a.hi) : sin(a.hi);
    double lo = fmin(s0, s1), hi = fmax(s0, s1);
    double top = cosine ? 0 : PI / 2; /* maxima at top + 2 k pi, minima at top + pi + ... */
    if (hits(a.lo, a.hi, top, 2 * PI)) hi = 1;
    if (hits(a.lo, a.hi, top + PI, 2 * PI)) lo = -1;
    iv r = widen(mk(lo, hi));
    if (r.lo < -1) r.lo = -1;
    if (r.hi > 1) r.hi = 1;
    r.nan = a.nan;
    return r;
}

static iv iv_tan(iv a)
{
    if (!isfinite(a.lo) || !isfinite(a.hi) || a.hi - a.lo >= PI ||
        hits(a.lo, a.hi, PI / 2, PI))
        return whole(a.nan || !isfinite(a.lo) || !isfinite(a.hi));
    iv r = mk(tan(a.lo), tan(a.hi));
    r.nan = a.nan;
    return r;
}

static iv iv_even(double (*f)(double), iv a) /* f even, increasing on [0, inf) */
{
    double m = fmax(fabs(a.lo), fabs(a.hi));
    double lo = (a.lo <= 0 && a.hi >= 0) ? f(0) : f(fmin(fabs(a.lo), fabs(a.hi)));
    iv r = mk(lo, f(m));
    r.nan = a.nan;
    return r;
}

static double step_f(double u) { return u < 0 ? 0.0 : 1.0; }

static iv iv_apply1(int op, iv a)
{
    iv r;
    switch (op) {
    case OP_NEG: return iv_neg(a);
    case OP_EXP: r = iv_exp(a); break;
    case OP_LOG: r = mono(log, a, 0, INFINITY); break;
    case OP_SQRT: r = mono(sqrt, a, 0, INFINITY); break;
    case OP_SIN: return iv_trig(a, 0);
    case OP_COS: return iv_trig(a, 1);
    case OP_TAN: r = iv_tan(a); break;
    case OP_COT:
        if (!isfinite(a.lo) || !isfinite(a.hi) || a.hi - a.lo >= PI || hits(a.lo, a.hi, 0, PI))
            return whole(1); /* a pole of cot */
        if (!hits(a.lo, a.hi, PI / 2, PI)) {
            r = iv_recip(iv_tan(a)); /* as evaluated: 1/tan u */
        } else { /* cot is continuous through tan's pole: tan(pi/2 - u) */
            r = iv_tan(iv_add(mk(PI / 2, PI / 2), iv_neg(a)));
            r.lo -= 1e-15 + 1e-13 * fabs(r.lo);
            r.hi += 1e-15 + 1e-13 * fabs(r.hi);
        }
        r.nan |= a.nan;
        break;
    case OP_SEC: r = iv_recip(iv_trig(a, 1)); break;
    case OP_CSC: r = iv_recip(iv_trig(a, 0)); break;
    case OP_ASIN: r = mono(asin, a, -1, 1); break;
    case OP_ACOS: r = iv_neg(mono(f_neg_acos, a, -1, 1)); break; /* decreasing */
    case OP_ATAN: r = mono(atan, a, -INFINITY, INFINITY); break;
    case OP_ACOT: r = mono(atan, iv_recip(a), -INFINITY, INFINITY); break;
    case OP_ASEC: return iv_apply1(OP_ACOS, iv_recip(a));
    case OP_ACSC: r = mono(asin, iv_recip(a), -1, 1); break;
    case OP_SINH: r = mono(sinh, a, -INFINITY, INFINITY); break;
    case OP_COSH: r = iv_even(cosh, a); break;
    case OP_TANH: r = mono(tanh, a, -INFINITY, INFINITY); break;
    case OP_COTH: r = iv_recip(mono(tanh, a, -INFINITY, INFINITY)); break;
    case OP_SECH: r = iv_recip(iv_even(cosh, a)); break;
    case OP_CSCH: r = iv_recip(mono(sinh, a, -INFINITY, INFINITY)); break;
    case OP_ASINH: r = mono(asinh, a, -INFINITY, INFINITY); break;
    case OP_ACOSH: r = mono(acosh, a, 1, INFINITY); break;
    case OP_ATANH: r = mono(atanh, a, -1, 1); break;
    case OP_ACOTH: r = mono(atanh, iv_recip(a), -1, 1); break;
    case OP_ASECH: r = mono(acosh, iv_recip(a), 1, INFINITY); break;
    case OP_ACSCH: r = mono(asinh, iv_recip(a), -INFINITY, INFINITY); break;
    case OP_ABS: r = iv_even(fabs, a); break;
    case OP_ERF: r = mono(erf, a, -INFINITY, INFINITY); break;
    case OP_STEP: r = mono(step_f, a, -INFINITY, INFINITY); return r;
    case OP_SGN:
        r = mk(a.lo > 0 ? 1 : a.lo == 0 ? 0 : -1, a.hi < 0 ? -1 : a.hi == 0 ? 0 : 1);
        r.nan = a.nan;
        return r;
    case OP_DELTA:
        r = (a.lo <= 0 && a.hi >= 0) ? mk(0, INFINITY) : mk(0, 0);
        r.nan = a.nan;
        return r;
    default: return whole(1);
    }
    if (isnan(r.lo) || isnan(r.hi))
        return whole(1);
    return widen(r);
}

static iv iv_apply2(int op, iv a, iv b)
{
    switch (op) {
    case OP_ADD: return widen(iv_add(a, b));
    case OP_SUB: return widen(iv_add(a, iv_neg(b)));
    case OP_MUL: return widen(iv_mul(a, b));
    case OP_DIV: return widen(iv_div(a, b));
    case OP_POW: return iv_pow(a, b);
    default: return whole(1);
    }
}

hl_interval hl_expr_eval_interval(const hl_expr *e, const hl_interval *vals)
{
    iv small[HL_EXPR_SMALL_STACK], *st = small;
    if (e->stack > HL_EXPR_SMALL_STACK) {
        st = malloc(sizeof(iv) * (size_t)e->stack);
        if (!st)
            return whole(1);
    }
    int sp = 0;
    st[0] = whole(1);
    for (size_t i = 0; i < e->n; i++) {
        const hl_expr_node *p = &e->nd[i];
        switch (p->op) {
        case OP_NUM: st[sp++] = mk(p->val, p->val); break;
        case OP_VAR: st[sp++] = vals[(int)p->val]; break;
        case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_POW:
            sp--;
            st[sp - 1] = iv_apply2(p->op, st[sp - 1], st[sp]);
            break;
        default: st[sp - 1] = iv_apply1(p->op, st[sp - 1]); break;
        }
    }
    iv v = st[0];
    if (st != small)
        free(st);
    return v;
}
