/* formula.c -- parser, symbolic derivatives, point and interval evaluation
 * of the formulas for phi(x, y) and B(x, y, T).  Grammar: docs/formulas.md.
 *
 *   expr    := term { ('+' | '-') term }            left-associative
 *   term    := unary { ('*' | '/') unary }          left-associative
 *   unary   := ('-' | '+') unary | power            -x^2 = -(x^2)
 *   power   := primary [ '^' unary ]                2^3^2 = 2^(3^2) = 512
 *   primary := number | constant | variable | function '(' expr ')' | '(' expr ')'
 */
#include "formula.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PI 3.14159265358979323846
#define HL_STR2(x) #x
#define HL_STR(x) HL_STR2(x)

/* ---------------------------------------------------------------- ops */

enum {
    OP_NUM, OP_VAR, OP_NEG, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW,
    /* functions of one argument (user-visible first) */
    OP_EXP, OP_LOG, OP_SQRT, OP_SIN, OP_COS, OP_TAN, OP_COT, OP_SEC, OP_CSC,
    OP_ASIN, OP_ACOS, OP_ATAN, OP_ACOT, OP_ASEC, OP_ACSC, OP_SINH, OP_COSH,
    OP_TANH, OP_COTH, OP_SECH, OP_CSCH, OP_ASINH, OP_ACOSH, OP_ATANH, OP_ACOTH,
    OP_ASECH, OP_ACSCH, OP_ABS, OP_ERF, OP_STEP,
    /* internal: derivatives of abs and step */
    OP_SGN, OP_DELTA
};

static const struct {
    const char *name;
    int op;
} FUNCS[] = {
    {"exp", OP_EXP},     {"log", OP_LOG},     {"sqrt", OP_SQRT},   {"sin", OP_SIN},
    {"cos", OP_COS},     {"tan", OP_TAN},     {"cot", OP_COT},     {"sec", OP_SEC},
    {"csc", OP_CSC},     {"asin", OP_ASIN},   {"acos", OP_ACOS},   {"atan", OP_ATAN},
    {"acot", OP_ACOT},   {"asec", OP_ASEC},   {"acsc", OP_ACSC},   {"sinh", OP_SINH},
    {"cosh", OP_COSH},   {"tanh", OP_TANH},   {"coth", OP_COTH},   {"sech", OP_SECH},
    {"csch", OP_CSCH},   {"asinh", OP_ASINH}, {"acosh", OP_ACOSH}, {"atanh", OP_ATANH},
    {"acoth", OP_ACOTH}, {"asech", OP_ASECH}, {"acsch", OP_ACSCH}, {"abs", OP_ABS},
    {"erf", OP_ERF},     {"step", OP_STEP},
};

static const struct {
    const char *name;
    double value;
} CONSTS[] = {
    {"e", 2.718281828459045235},         {"pi", 3.141592653589793238},
    {"log2e", 1.442695040888963407},     {"log10e", 0.434294481903251828},
    {"ln2", 0.693147180559945309},       {"ln10", 2.302585092994045684},
    {"pi_2", 1.570796326794896619},      {"pi_4", 0.785398163397448310},
    {"1_pi", 0.318309886183790672},      {"2_pi", 0.636619772367581343},
    {"2_sqrtpi", 1.128379167095512574},  {"sqrt2", 1.414213562373095049},
    {"sqrt1_2", 0.707106781186547524},
};

#define N_FUNCS (sizeof FUNCS / sizeof FUNCS[0])
#define N_CONSTS (sizeof CONSTS / sizeof CONSTS[0])

/* ---------------------------------------------------------------- trees */

typedef struct {
    int op;
    int a, b;     /* children (node indices), -1 if none */
    double val;   /* OP_NUM: value; OP_VAR: variable index */
} node;

struct hl_expr {
    node *nd;     /* nodes in post-order: children before parents */
    size_t n, cap;
    int root;
    int stack;    /* evaluation stack depth needed */
};

static int add_node(hl_expr *e, int op, int a, int b, double val)
{
    if (e->n >= HL_FORMULA_MAX_NODES)
        return -1;
    if (e->n == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 64;
        node *p = realloc(e->nd, cap * sizeof *p);
        if (!p)
            return -1;
        e->nd = p;
        e->cap = cap;
    }
    e->nd[e->n] = (node){op, a, b, val};
    return (int)e->n++;
}

void hl_expr_free(hl_expr *e)
{
    if (!e)
        return;
    free(e->nd);
    free(e);
}

size_t hl_expr_size(const hl_expr *e) { return e->n; }


/* ---------------------------------------------------------------- point values */

static double sgn(double u) { return u > 0 ? 1.0 : u < 0 ? -1.0 : (u == 0 ? 0.0 : u); }

static double apply1(int op, double u)
{
    switch (op) {
    case OP_NEG: return -u;
    case OP_EXP: return exp(u);
    case OP_LOG: return log(u);
    case OP_SQRT: return sqrt(u);
    case OP_SIN: return sin(u);
    case OP_COS: return cos(u);
    case OP_TAN: return tan(u);
    case OP_COT: return 1.0 / tan(u);
    case OP_SEC: return 1.0 / cos(u);
    case OP_CSC: return 1.0 / sin(u);
    case OP_ASIN: return asin(u);
    case OP_ACOS: return acos(u);
    case OP_ATAN: return atan(u);
    case OP_ACOT: return atan(1.0 / u);
    case OP_ASEC: return acos(1.0 / u);
    case OP_ACSC: return asin(1.0 / u);
    case OP_SINH: return sinh(u);
    case OP_COSH: return cosh(u);
    case OP_TANH: return tanh(u);
    case OP_COTH: return 1.0 / tanh(u);
    case OP_SECH: return 1.0 / cosh(u);
    case OP_CSCH: return 1.0 / sinh(u);
    case OP_ASINH: return asinh(u);
    case OP_ACOSH: return acosh(u);
    case OP_ATANH: return atanh(u);
    case OP_ACOTH: return atanh(1.0 / u);
    case OP_ASECH: return acosh(1.0 / u);
    case OP_ACSCH: return asinh(1.0 / u);
    case OP_ABS: return fabs(u);
    case OP_ERF: return erf(u);
    case OP_STEP: return isnan(u) ? u : (u < 0 ? 0.0 : 1.0);
    case OP_SGN: return sgn(u);
    case OP_DELTA: return isnan(u) ? u : (u == 0 ? INFINITY : 0.0);
    default: return NAN;
    }
}

static double apply2(int op, double a, double b)
{
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_POW: return pow(a, b);
    default: return NAN;
    }
}

#define SMALL_STACK 256

double hl_expr_eval(const hl_expr *e, const double *vals)
{
    double small[SMALL_STACK], *st = small;
    if (e->stack > SMALL_STACK) {
        st = malloc(sizeof(double) * (size_t)e->stack);
        if (!st)
            return NAN;
    }
    int sp = 0;
    st[0] = NAN;
    for (size_t i = 0; i < e->n; i++) {
        const node *p = &e->nd[i];
        switch (p->op) {
        case OP_NUM: st[sp++] = p->val; break;
        case OP_VAR: st[sp++] = vals[(int)p->val]; break;
        case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_POW:
            sp--;
            st[sp - 1] = apply2(p->op, st[sp - 1], st[sp]);
            break;
        default: st[sp - 1] = apply1(p->op, st[sp - 1]); break;
        }
    }
    double v = st[0];
    if (st != small)
        free(st);
    return v;
}

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
    iv small[SMALL_STACK], *st = small;
    if (e->stack > SMALL_STACK) {
        st = malloc(sizeof(iv) * (size_t)e->stack);
        if (!st)
            return whole(1);
    }
    int sp = 0;
    st[0] = whole(1);
    for (size_t i = 0; i < e->n; i++) {
        const node *p = &e->nd[i];
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

/* ---------------------------------------------------------------- compile */

/* Rewrite the tree under root into post-order (dropping unused nodes) and
 * compute the evaluation stack depth. */
typedef struct {
    const node *src;
    hl_expr *dst;
    int fail;
} post_ctx;

static int post_rec(post_ctx *c, int i, int *depth)
{
    const node *p = &c->src[i];
    int da = 0, db = 0, a = -1, b = -1;
    *depth = 1;
    if (c->fail)
        return 0;
    if (p->a >= 0)
        a = post_rec(c, p->a, &da);
    if (p->b >= 0)
        b = post_rec(c, p->b, &db);
    *depth = p->a < 0 ? 1 : p->b < 0 ? da : (da > db + 1 ? da : db + 1);
    if (c->fail)
        return 0;
    int k = add_node(c->dst, p->op, a, b, p->val);
    if (k < 0)
        c->fail = 1;
    return k < 0 ? 0 : k;
}

static int finish(hl_expr *tree, hl_expr **out)
{
    hl_expr *e = calloc(1, sizeof *e);
    if (!e)
        return hl_fail(HL_ENOMEM, "out of memory");
    post_ctx c = {tree->nd, e, 0};
    int depth = 1;
    e->root = post_rec(&c, tree->root, &depth);
    e->stack = depth;
    if (c.fail) {
        hl_expr_free(e);
        return hl_fail(HL_EPARSE, "the formula is too complex: it or a derivative has more "
                                  "than %d operations", HL_FORMULA_MAX_NODES);
    }
    *out = e;
    return HL_OK;
}

int hl_expr_uses(const hl_expr *e, int var)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->nd[i].op == OP_VAR && (int)e->nd[i].val == var)
            return 1;
    return 0;
}

/* ---------------------------------------------------------------- parser */

typedef struct {
    const char *s, *p;
    const char *const *vars;
    int nvars;
    const char *what;
    hl_expr *e;
    int depth, err;
    char msg[400];
} parser;

static void perr(parser *ps, const char *fmt, const char *arg)
{
    if (ps->err)
        return;
    ps->err = 1;
    char what[240];
    snprintf(what, sizeof what, fmt, arg ? arg : "");
    snprintf(ps->msg, sizeof ps->msg, "%s at character %ld", what, (long)(ps->p - ps->s) + 1);
}

/* a character as a message shows it: itself if printable ASCII, else \xNN */
static const char *show_char(char c, char buf[8])
{
    unsigned char u = (unsigned char)c;
    if (u >= 0x21 && u < 0x7f)
        snprintf(buf, 8, "%c", c);
    else
        snprintf(buf, 8, "\\x%02X", u);
    return buf;
}

static void skip(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

static int expr(parser *ps);

static int mknode(parser *ps, int op, int a, int b, double v)
{
    if (ps->err)
        return -1;
    int k = add_node(ps->e, op, a, b, v);
    if (k < 0)
        perr(ps, "formula too large%s", NULL);
    return k;
}

static int is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

static int primary(parser *ps)
{
    skip(ps);
    const char *p = ps->p;
    if (*p == '(') {
        ps->p++;
        int k = expr(ps);
        skip(ps);
        if (ps->err)
            return -1;
        if (*ps->p != ')') {
            perr(ps, "expected ')'%s", NULL);
            return -1;
        }
        ps->p++;
        return k;
    }
    /* the constants 1_pi, 2_pi, 2_sqrtpi begin with a digit */
    if (isdigit((unsigned char)*p) && p[1] == '_') {
        const char *q = p;
        while (is_ident_char(*q))
            q++;
        for (size_t c = 0; c < N_CONSTS; c++)
            if (strlen(CONSTS[c].name) == (size_t)(q - p) &&
                strncmp(CONSTS[c].name, p, (size_t)(q - p)) == 0) {
                ps->p = q;
                return mknode(ps, OP_NUM, -1, -1, CONSTS[c].value);
            }
        perr(ps, "bad number%s", NULL);
        return -1;
    }
    if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
        const char *q = p;
        while (isdigit((unsigned char)*q))
            q++;
        if (*q == '.') {
            q++;
            while (isdigit((unsigned char)*q))
                q++;
        }
        if (*q == 'e' || *q == 'E') {
            const char *r = q + 1;
            if (*r == '+' || *r == '-')
                r++;
            if (!isdigit((unsigned char)*r)) {
                ps->p = q;
                perr(ps, "a number's exponent needs digits (write 1e-3)%s", NULL);
                return -1;
            }
            while (isdigit((unsigned char)*r))
                r++;
            q = r;
        }
        if (is_ident_char(*q) || *q == '.') {
            ps->p = q;
            perr(ps, "unexpected '%s' after a number (write 2*x for a product)",
                 show_char(*q, (char[8]){0}));
            return -1;
        }
        char buf[128];
        size_t len = (size_t)(q - p);
        if (len >= sizeof buf) {
            perr(ps, "number too long%s", NULL);
            return -1;
        }
        memcpy(buf, p, len);
        buf[len] = 0;
        double v = strtod(buf, NULL);
        if (!isfinite(v)) {
            perr(ps, "number %s is too large for a double", buf);
            return -1;
        }
        ps->p = q;
        return mknode(ps, OP_NUM, -1, -1, v);
    }
    if (isalpha((unsigned char)*p) || *p == '_') {
        const char *q = p;
        while (is_ident_char(*q))
            q++;
        size_t len = (size_t)(q - p);
        char name[64];
        if (len >= sizeof name) {
            perr(ps, "name too long%s", NULL);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = 0;
        ps->p = q;
        for (int v = 0; v < ps->nvars; v++)
            if (strcmp(name, ps->vars[v]) == 0)
                return mknode(ps, OP_VAR, -1, -1, v);
        for (size_t c = 0; c < N_CONSTS; c++)
            if (strcmp(name, CONSTS[c].name) == 0)
                return mknode(ps, OP_NUM, -1, -1, CONSTS[c].value);
        for (size_t f = 0; f < N_FUNCS; f++)
            if (strcmp(name, FUNCS[f].name) == 0) {
                skip(ps);
                if (*ps->p != '(') {
                    perr(ps, "function %s needs its argument in brackets", name);
                    return -1;
                }
                ps->p++;
                int a = expr(ps);
                skip(ps);
                if (ps->err)
                    return -1;
                if (*ps->p != ')') {
                    perr(ps, "expected ')' closing %s(", name);
                    return -1;
                }
                ps->p++;
                return mknode(ps, FUNCS[f].op, a, -1, 0);
            }
        ps->p = p;
        char list[32] = "";
        for (int v = 0; v < ps->nvars; v++) {
            strcat(list, v ? (v == ps->nvars - 1 ? " and " : ", ") : "");
            strcat(list, ps->vars[v]);
        }
        char m[200];
        snprintf(m, sizeof m, "unknown name '%s' (variables: %s)", name,
                 list);
        perr(ps, "%s", m);
        return -1;
    }
    if (*p == 0)
        perr(ps, "unexpected end of formula%s", NULL);
    else
        perr(ps, "unexpected '%s'", show_char(*p, (char[8]){0}));
    return -1;
}

static int unary(parser *ps);

static int power(parser *ps)
{
    int a = primary(ps);
    if (ps->err)
        return -1;
    skip(ps);
    if (*ps->p == '^') {
        ps->p++;
        int b = unary(ps); /* right-associative: 2^3^2 = 2^(3^2) */
        return mknode(ps, OP_POW, a, b, 0);
    }
    return a;
}

static int unary(parser *ps)
{
    skip(ps);
    /* every level of nesting (a bracket, a function call, a sign, a ^)
     * passes here once */
    if (++ps->depth > HL_FORMULA_MAX_DEPTH) {
        perr(ps, "formula nested deeper than " HL_STR(HL_FORMULA_MAX_DEPTH) " levels%s", NULL);
        return -1;
    }
    int k;
    if (*ps->p == '-' || *ps->p == '+') {
        int neg = *ps->p == '-';
        ps->p++;
        k = unary(ps);
        if (neg && !ps->err && ps->e->nd[k].op == OP_NUM)
            ps->e->nd[k].val = -ps->e->nd[k].val; /* -3 is the number -3 (exact) */
        else if (neg)
            k = mknode(ps, OP_NEG, k, -1, 0);
    } else {
        k = power(ps);
    }
    ps->depth--;
    return k;
}

static int term(parser *ps)
{
    int a = unary(ps);
    for (;;) {
        skip(ps);
        if (ps->err || (*ps->p != '*' && *ps->p != '/'))
            break;
        int op = *ps->p == '*' ? OP_MUL : OP_DIV;
        ps->p++;
        int b = unary(ps);
        a = mknode(ps, op, a, b, 0);
    }
    return a;
}

static int expr(parser *ps)
{
    int a = term(ps);
    for (;;) {
        skip(ps);
        if (ps->err || (*ps->p != '+' && *ps->p != '-'))
            break;
        int op = *ps->p == '+' ? OP_ADD : OP_SUB;
        ps->p++;
        int b = term(ps);
        a = mknode(ps, op, a, b, 0);
    }
    return a;
}

int hl_expr_parse(const char *text, const char *const *vars, int nvars, const char *what,
                  hl_expr **out)
{
    *out = NULL;
    char ex[HL_CLIP_BUF];
    size_t len = strlen(text);
    if (len > HL_FORMULA_MAX_LEN)
        return hl_fail(HL_EPARSE, "%s formula '%s' is longer than the limit of %d characters",
                       what, hl_clip(text, ex), HL_FORMULA_MAX_LEN);
    if (strspn(text, " \t\n\r") == len)
        return hl_fail(HL_EPARSE, "%s formula is empty", what);
    hl_expr tree = {0};
    parser ps = {text, text, vars, nvars, what, &tree, 0, 0, ""};
    tree.root = expr(&ps);
    skip(&ps);
    if (!ps.err && *ps.p != 0) {
        if (*ps.p == ')')
            perr(&ps, "unmatched ')'%s", NULL);
        else
            perr(&ps, "unexpected '%s'", show_char(*ps.p, (char[8]){0}));
    }
    if (ps.err) {
        free(tree.nd);
        return hl_fail(HL_EPARSE, "%s formula '%s': %s (grammar: docs/formulas.md)", what,
                       hl_clip(text, ex), ps.msg);
    }
    int st = finish(&tree, out);
    free(tree.nd);
    return st;
}

/* ---------------------------------------------------------------- derivatives */

typedef struct {
    const hl_expr *src;
    hl_expr *d; /* builds into d (its tree grows from the copied source) */
    int var;
    int fail;
} dctx;

static int nd(dctx *c, int op, int a, int b, double v)
{
    if (c->fail)
        return 0;
    int k = add_node(c->d, op, a, b, v);
    if (k < 0) {
        c->fail = 1;
        return 0;
    }
    return k;
}

static int is_num(dctx *c, int k, double v)
{
    return c->d->nd[k].op == OP_NUM && c->d->nd[k].val == v;
}

static int num(dctx *c, double v) { return nd(c, OP_NUM, -1, -1, v); }

/* constructors with light simplification (0 and 1 terms, constant folding) */
static int s_add(dctx *c, int a, int b)
{
    if (c->fail) return 0;
    if (is_num(c, a, 0)) return b;
    if (is_num(c, b, 0)) return a;
    if (c->d->nd[a].op == OP_NUM && c->d->nd[b].op == OP_NUM)
        return num(c, c->d->nd[a].val + c->d->nd[b].val);
    return nd(c, OP_ADD, a, b, 0);
}

static int s_neg(dctx *c, int a)
{
    if (c->fail) return 0;
    if (c->d->nd[a].op == OP_NUM)
        return num(c, -c->d->nd[a].val);
    if (c->d->nd[a].op == OP_NEG)
        return c->d->nd[a].a;
    return nd(c, OP_NEG, a, -1, 0);
}

static int s_sub(dctx *c, int a, int b)
{
    if (c->fail) return 0;
    if (is_num(c, b, 0)) return a;
    if (is_num(c, a, 0)) return s_neg(c, b);
    if (c->d->nd[a].op == OP_NUM && c->d->nd[b].op == OP_NUM)
        return num(c, c->d->nd[a].val - c->d->nd[b].val);
    return nd(c, OP_SUB, a, b, 0);
}

static int s_mul(dctx *c, int a, int b)
{
    if (c->fail) return 0;
    if (is_num(c, a, 0) || is_num(c, b, 0)) return num(c, 0);
    if (is_num(c, a, 1)) return b;
    if (is_num(c, b, 1)) return a;
    if (is_num(c, a, -1)) return s_neg(c, b);
    if (is_num(c, b, -1)) return s_neg(c, a);
    if (c->d->nd[a].op == OP_NUM && c->d->nd[b].op == OP_NUM)
        return num(c, c->d->nd[a].val * c->d->nd[b].val);
    return nd(c, OP_MUL, a, b, 0);
}

static int s_div(dctx *c, int a, int b)
{
    if (c->fail) return 0;
    if (is_num(c, b, 1)) return a;
    return nd(c, OP_DIV, a, b, 0);
}

static int s_pow(dctx *c, int a, int b)
{
    if (c->fail) return 0;
    if (is_num(c, b, 1)) return a;
    return nd(c, OP_POW, a, b, 0);
}

static int s_f(dctx *c, int op, int a) { return nd(c, op, a, -1, 0); }

/* does the subtree of source node i depend on the variable? (memo) */
static int depends(const hl_expr *e, int i, int var, signed char *memo)
{
    if (memo[i] >= 0)
        return memo[i];
    const node *p = &e->nd[i];
    int r;
    if (p->op == OP_VAR)
        r = (int)p->val == var;
    else if (p->op == OP_NUM)
        r = 0;
    else
        r = (p->a >= 0 && depends(e, p->a, var, memo)) || (p->b >= 0 && depends(e, p->b, var, memo));
    memo[i] = (signed char)r;
    return r;
}

/* Source nodes are copied as-is into d first (indices 0..n-1 unchanged), so
 * u (a source index) can be used in d directly. */
static int deriv(dctx *c, int i, signed char *memo)
{
    if (c->fail)
        return 0;
    const node *p = &c->src->nd[i];
    if (!depends(c->src, i, c->var, memo))
        return num(c, 0);
    int u = p->a, v = p->b;
    switch (p->op) {
    case OP_VAR: return num(c, 1);
    case OP_NEG: return s_neg(c, deriv(c, u, memo));
    case OP_ADD: return s_add(c, deriv(c, u, memo), deriv(c, v, memo));
    case OP_SUB: return s_sub(c, deriv(c, u, memo), deriv(c, v, memo));
    case OP_MUL:
        return s_add(c, s_mul(c, deriv(c, u, memo), v), s_mul(c, u, deriv(c, v, memo)));
    case OP_DIV: {
        /* (u/v)' = u'/v - u v'/v^2 */
        int du = deriv(c, u, memo), dv = deriv(c, v, memo);
        int t1 = s_div(c, du, v);
        if (is_num(c, dv, 0))
            return t1;
        return s_sub(c, t1, s_div(c, s_mul(c, u, dv), s_pow(c, v, num(c, 2))));
    }
    case OP_POW: {
        int du = deriv(c, u, memo);
        if (!depends(c->src, v, c->var, memo)) {
            /* (u^v)' = v u^(v-1) u' */
            int vm1 = c->src->nd[v].op == OP_NUM ? num(c, c->src->nd[v].val - 1)
                                                   : s_sub(c, v, num(c, 1));
            return s_mul(c, s_mul(c, v, s_pow(c, u, vm1)), du);
        }
        /* (u^v)' = u^v (v' ln u + v u'/u) */
        int dv = deriv(c, v, memo);
        int t = s_add(c, s_mul(c, dv, s_f(c, OP_LOG, u)), s_div(c, s_mul(c, v, du), u));
        return s_mul(c, i, t);
    }
    default: break;
    }
    /* f(u)' = f'(u) u' */
    int du = deriv(c, u, memo);
    int fp;
    switch (p->op) {
    case OP_EXP: fp = i; break;
    case OP_LOG: fp = s_div(c, num(c, 1), u); break;
    case OP_SQRT: fp = s_div(c, num(c, 0.5), i); break;
    case OP_SIN: fp = s_f(c, OP_COS, u); break;
    case OP_COS: fp = s_neg(c, s_f(c, OP_SIN, u)); break;
    case OP_TAN: fp = s_pow(c, s_f(c, OP_SEC, u), num(c, 2)); break;
    case OP_COT: fp = s_neg(c, s_pow(c, s_f(c, OP_CSC, u), num(c, 2))); break;
    case OP_SEC: fp = s_mul(c, i, s_f(c, OP_TAN, u)); break;
    case OP_CSC: fp = s_neg(c, s_mul(c, i, s_f(c, OP_COT, u))); break;
    case OP_ASIN:
    case OP_ACOS: {
        int r = s_div(c, num(c, 1), s_f(c, OP_SQRT, s_sub(c, num(c, 1), s_pow(c, u, num(c, 2)))));
        fp = p->op == OP_ASIN ? r : s_neg(c, r);
        break;
    }
    case OP_ATAN:
    case OP_ACOT: {
        int r = s_div(c, num(c, 1), s_add(c, num(c, 1), s_pow(c, u, num(c, 2))));
        fp = p->op == OP_ATAN ? r : s_neg(c, r);
        break;
    }
    case OP_ASEC:
    case OP_ACSC: {
        int r = s_div(c, num(c, 1),
                      s_mul(c, s_f(c, OP_ABS, u),
                            s_f(c, OP_SQRT, s_sub(c, s_pow(c, u, num(c, 2)), num(c, 1)))));
        fp = p->op == OP_ASEC ? r : s_neg(c, r);
        break;
    }
    case OP_SINH: fp = s_f(c, OP_COSH, u); break;
    case OP_COSH: fp = s_f(c, OP_SINH, u); break;
    case OP_TANH: fp = s_pow(c, s_f(c, OP_SECH, u), num(c, 2)); break;
    case OP_COTH: fp = s_neg(c, s_pow(c, s_f(c, OP_CSCH, u), num(c, 2))); break;
    case OP_SECH: fp = s_neg(c, s_mul(c, i, s_f(c, OP_TANH, u))); break;
    case OP_CSCH: fp = s_neg(c, s_mul(c, i, s_f(c, OP_COTH, u))); break;
    case OP_ASINH:
        fp = s_div(c, num(c, 1), s_f(c, OP_SQRT, s_add(c, s_pow(c, u, num(c, 2)), num(c, 1))));
        break;
    case OP_ACOSH:
        fp = s_div(c, num(c, 1), s_f(c, OP_SQRT, s_sub(c, s_pow(c, u, num(c, 2)), num(c, 1))));
        break;
    case OP_ATANH:
    case OP_ACOTH: fp = s_div(c, num(c, 1), s_sub(c, num(c, 1), s_pow(c, u, num(c, 2)))); break;
    case OP_ASECH:
        fp = s_neg(c, s_div(c, num(c, 1),
                            s_mul(c, u, s_f(c, OP_SQRT, s_sub(c, num(c, 1), s_pow(c, u, num(c, 2)))))));
        break;
    case OP_ACSCH:
        fp = s_neg(c, s_div(c, num(c, 1),
                            s_mul(c, s_f(c, OP_ABS, u),
                                  s_f(c, OP_SQRT, s_add(c, num(c, 1), s_pow(c, u, num(c, 2)))))));
        break;
    case OP_ABS: fp = s_f(c, OP_SGN, u); break;
    case OP_ERF:
        fp = s_mul(c, num(c, 1.128379167095512574),
                   s_f(c, OP_EXP, s_neg(c, s_pow(c, u, num(c, 2)))));
        break;
    case OP_STEP: fp = s_f(c, OP_DELTA, u); break;
    case OP_SGN: fp = s_mul(c, num(c, 2), s_f(c, OP_DELTA, u)); break;
    default: /* OP_DELTA: its derivative is no function */
        c->fail = 2;
        return 0;
    }
    return s_mul(c, fp, du);
}

int hl_expr_derivative(const hl_expr *e, int var, hl_expr **out)
{
    *out = NULL;
    hl_expr tree = {0};
    tree.nd = malloc(sizeof(node) * (e->n + 64));
    signed char *memo = malloc(e->n ? e->n : 1);
    if (!tree.nd || !memo) {
        free(tree.nd);
        free(memo);
        return hl_fail(HL_ENOMEM, "out of memory differentiating a formula");
    }
    memcpy(tree.nd, e->nd, sizeof(node) * e->n);
    tree.n = e->n;
    tree.cap = e->n + 64;
    memset(memo, -1, e->n);
    dctx c = {e, &tree, var, 0};
    tree.root = deriv(&c, e->root, memo);
    free(memo);
    int st = HL_OK;
    if (c.fail == 2)
        st = hl_fail(HL_EPARSE, "the formula is not twice differentiable (step)");
    else if (c.fail)
        st = hl_fail(HL_EPARSE, "the formula is too complex: a derivative has more than %d "
                                "operations",
                     HL_FORMULA_MAX_NODES);
    else
        st = finish(&tree, out);
    free(tree.nd);
    return st;
}
