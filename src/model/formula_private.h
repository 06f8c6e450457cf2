/* SPDX-License-Identifier: GPL-3.0-or-later */
/* formula_private.h -- what the pieces of the formula language share
 * (formula.c, formula_parse.c, formula_deriv.c, formula_interval.c; not
 * installed): the operations, the node store of an expression, and the
 * compilation of a tree into a postfix program.  The interface for the rest
 * of the library is formula.h. */
#ifndef HL_FORMULA_PRIVATE_H
#define HL_FORMULA_PRIVATE_H

#include <stddef.h>

#include "formula.h"
#include "model_private.h"

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

typedef struct {
    int op;
    int a, b;     /* children (node indices), -1 if none */
    double val;   /* OP_NUM: value; OP_VAR: variable index */
} hl_expr_node;

struct hl_expr {
    hl_expr_node *nd;     /* nodes in post-order: children before parents */
    size_t n, cap;
    int root;
    int stack;    /* evaluation stack depth needed */
};

/* Append a node to e (growing its store); its index, or -1 when out of
 * memory or beyond HL_FORMULA_MAX_NODES nodes. */
int hl_expr_add_node(hl_expr *e, int op, int a, int b, double val);
/* Rewrite the tree under tree->root into post-order (dropping unused nodes)
 * and compute the evaluation stack depth: the compiled program *out.
 * HL_ENOMEM, or HL_EPARSE when it exceeds HL_FORMULA_MAX_NODES. */
int hl_expr_finish(hl_expr *tree, hl_expr **out);

/* Evaluation stacks up to this depth live on the C stack. */
#define HL_EXPR_SMALL_STACK 256

#endif
