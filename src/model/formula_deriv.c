/* SPDX-License-Identifier: GPL-3.0-or-later */
/* formula_deriv.c -- symbolic derivatives of a formula, simplified as they
 * are built (0 and 1 folded, constants combined). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formula_private.h"

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
    int k = hl_expr_add_node(c->d, op, a, b, v);
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
    const hl_expr_node *p = &e->nd[i];
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
    const hl_expr_node *p = &c->src->nd[i];
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
    tree.nd = malloc(sizeof(hl_expr_node) * (e->n + 64));
    signed char *memo = malloc(e->n ? e->n : 1);
    if (!tree.nd || !memo) {
        free(tree.nd);
        free(memo);
        return hl_fail(HL_ENOMEM, "out of memory differentiating a formula");
    }
    memcpy(tree.nd, e->nd, sizeof(hl_expr_node) * e->n);
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
        st = hl_expr_finish(&tree, out);
    free(tree.nd);
    return st;
}
