/* SPDX-License-Identifier: GPL-3.0-or-later */
/* formula.c -- the compiled form of a formula for phi(x, y) and B(x, y, T):
 * the node store, evaluation at a point, and compilation of a tree into the
 * postfix program that both evaluators run.  Parser: formula_parse.c;
 * derivatives: formula_deriv.c; intervals: formula_interval.c. */
#include <math.h>
#include <stdlib.h>

#include "formula_private.h"

/* ---------------------------------------------------------------- trees */

int hl_expr_add_node(hl_expr *e, int op, int a, int b, double val)
{
    if (e->n >= HL_FORMULA_MAX_NODES)
        return -1;
    if (e->n == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 64;
        hl_expr_node *p = realloc(e->nd, cap * sizeof *p);
        if (!p)
            return -1;
        e->nd = p;
        e->cap = cap;
    }
    e->nd[e->n] = (hl_expr_node){op, a, b, val};
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

double hl_expr_eval(const hl_expr *e, const double *vals)
{
    double small[HL_EXPR_SMALL_STACK], *st = small;
    if (e->stack > HL_EXPR_SMALL_STACK) {
        st = malloc(sizeof(double) * (size_t)e->stack);
        if (!st)
            return NAN;
    }
    int sp = 0;
    st[0] = NAN;
    for (size_t i = 0; i < e->n; i++) {
        const hl_expr_node *p = &e->nd[i];
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

/* ---------------------------------------------------------------- compile */

/* Rewrite the tree under root into post-order (dropping unused nodes) and
 * compute the evaluation stack depth. */
typedef struct {
    const hl_expr_node *src;
    hl_expr *dst;
    int fail;
} post_ctx;

static int post_rec(post_ctx *c, int i, int *depth)
{
    const hl_expr_node *p = &c->src[i];
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
    int k = hl_expr_add_node(c->dst, p->op, a, b, p->val);
    if (k < 0)
        c->fail = 1;
    return k < 0 ? 0 : k;
}

int hl_expr_finish(hl_expr *tree, hl_expr **out)
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

/* ---------------------------------------------------------------- split */

/* The program run as two: the largest subtrees that do not read variable
 * var ("slots": each a contiguous range of the postfix program, since the
 * subtree of node i ends at i) and the rest, where each slot is one push.
 * The operations and their order are those of hl_expr_eval: the same bits. */
struct hl_expr_split {
    const hl_expr *e;
    int var;
    size_t nslots;
    size_t *lo, *hi;      /* slot k: nodes lo[k] .. hi[k] of e            */
    hl_expr_node *rest;   /* the residual program: OP_NUM with a < 0 is a
                             constant; a slot push is op OP_NUM, a = k    */
    size_t nrest;
};

void hl_expr_split_free(hl_expr_split *s)
{
    if (!s)
        return;
    free(s->lo);
    free(s->hi);
    free(s->rest);
    free(s);
}

/* the split of the program's first n nodes (all of them, or all but a
 * root whose only child is node n - 1) */
static int split_build(const hl_expr *e, size_t n, int var, hl_expr_split **out)
{
    *out = NULL;
    hl_expr_split *s = calloc(1, sizeof *s);
    char *dep = calloc(n ? n : 1, 1);
    size_t *size = calloc(n ? n : 1, sizeof(size_t));
    int *parent = malloc(sizeof(int) * (n ? n : 1));
    if (!s || !dep || !size || !parent)
        goto nomem;
    s->e = e;
    s->var = var;
    for (size_t i = 0; i < n; i++)
        parent[i] = -1;
    for (size_t i = 0; i < n; i++) {
        const hl_expr_node *p = &e->nd[i];
        size[i] = 1;
        dep[i] = p->op == OP_VAR && (int)p->val == var;
        if (p->a >= 0) {
            dep[i] |= dep[p->a];
            size[i] += size[p->a];
            parent[p->a] = (int)i;
        }
        if (p->b >= 0) {
            dep[i] |= dep[p->b];
            size[i] += size[p->b];
            parent[p->b] = (int)i;
        }
    }
    s->lo = malloc(sizeof(size_t) * (n ? n : 1));
    s->hi = malloc(sizeof(size_t) * (n ? n : 1));
    s->rest = malloc(sizeof(hl_expr_node) * (n ? n : 1));
    if (!s->lo || !s->hi || !s->rest)
        goto nomem;
    /* walk the program; a node that does not read var and whose parent does
     * (or that is the root) starts a slot: skip its subtree */
    for (size_t i = 0; i < n; i++) {
        int root = parent[i] < 0 || dep[parent[i]];
        if (!dep[i] && root) {
            size_t k = s->nslots++;
            s->lo[k] = i + 1 - size[i];
            s->hi[k] = i;
            s->rest[s->nrest++] = (hl_expr_node){OP_NUM, (int)k, -1, 0.0};
        } else if (dep[i]) {
            hl_expr_node q = e->nd[i];
            q.a = q.b = -1;
            s->rest[s->nrest++] = q;
        }
    }
    free(dep);
    free(size);
    free(parent);
    *out = s;
    return HL_OK;
nomem:
    free(dep);
    free(size);
    free(parent);
    hl_expr_split_free(s);
    return hl_fail(HL_ENOMEM, "out of memory");
}

int hl_expr_split_create(const hl_expr *e, int var, hl_expr_split **out)
{
    return split_build(e, e->n, var, out);
}

int hl_expr_split_create_ln(const hl_expr *e, int var, hl_expr_split **out, int *is_ln)
{
    *is_ln = e->n >= 2 && e->nd[e->n - 1].op == OP_EXP;
    return split_build(e, *is_ln ? e->n - 1 : e->n, var, out);
}

size_t hl_expr_split_slots(const hl_expr_split *s) { return s->nslots; }

/* the stack machine on nodes p[0..n) (slot pushes from slots) */
static double run(const hl_expr_node *p, size_t n, int stack, const double *vals,
                  const double *slots)
{
    double small[HL_EXPR_SMALL_STACK], *st = small;
    if (stack > HL_EXPR_SMALL_STACK) {
        st = malloc(sizeof(double) * (size_t)stack);
        if (!st)
            return NAN;
    }
    int sp = 0;
    st[0] = NAN;
    for (size_t i = 0; i < n; i++, p++) {
        switch (p->op) {
        case OP_NUM: st[sp++] = p->a >= 0 && slots ? slots[p->a] : p->val; break;
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

void hl_expr_split_fixed(const hl_expr_split *s, const double *vals, double *slots)
{
    const hl_expr *e = s->e;
    for (size_t k = 0; k < s->nslots; k++) {
        /* the subtree's nodes as a program of their own: children indices
         * are not read by the stack machine, constants have a < 0 */
        slots[k] = run(e->nd + s->lo[k], s->hi[k] - s->lo[k] + 1, e->stack, vals, NULL);
    }
}

double hl_expr_split_eval(const hl_expr_split *s, const double *slots, const double *vals)
{
    return run(s->rest, s->nrest, s->e->stack, vals, slots);
}
