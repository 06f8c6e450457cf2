/* SPDX-License-Identifier: GPL-3.0-or-later */
/* formula.h -- hyperland's formula language for phi(x, y) and B(x, y, T)
 * (not installed; the grammar is in docs/formulas.md).
 *
 * A formula is parsed into an expression tree, differentiated symbolically,
 * and compiled to a postfix program that is evaluated either at a point
 * (double) or over a box (interval arithmetic, with outward rounding and a
 * "may be NaN" flag).  The interval form lets the model prove that phi and
 * its derivatives are finite, or that B is positive, on the whole square
 * (and over a range of T), instead of on a sample of points. */
#ifndef HL_FORMULA_H
#define HL_FORMULA_H

#include <stddef.h>

#include "hyperland/model.h"
#include "hyperland/output.h"

/* Longest formula accepted (characters) and deepest nesting (brackets,
 * function calls, signs and ^ each open a level; a chain a+b+c+... does
 * not nest). */
#define HL_FORMULA_MAX_LEN HL_FORMULA_MAX_CHARS
#define HL_FORMULA_MAX_DEPTH 200
/* Largest compiled program (nodes) of a formula or of any derivative. */
#define HL_FORMULA_MAX_NODES 200000

typedef struct hl_expr hl_expr;

/* An interval [lo, hi] (lo, hi may be infinite: unbounded) with nan = 1 if
 * some point of the box may evaluate to NaN. */
typedef struct {
    double lo, hi;
    int nan;
} hl_interval;

/* Parse text over the variables vars[0..nvars) ("x", "y", "T").  what names
 * the formula in messages ("phi", "transmission").  HL_EPARSE with
 * hl_errmsg() on a syntax error, an unknown name, a formula longer than
 * HL_FORMULA_MAX_LEN or nested deeper than HL_FORMULA_MAX_DEPTH. */
int hl_expr_parse(const char *text, const char *const *vars, int nvars, const char *what,
                  hl_expr **out);

/* d e / d vars[var] (simplified); HL_EPARSE if it would exceed
 * HL_FORMULA_MAX_NODES or the formula is not differentiable twice
 * (step). */
int hl_expr_derivative(const hl_expr *e, int var, hl_expr **out);

void hl_expr_free(hl_expr *e);

/* 1 if the formula depends on variable var. */
int hl_expr_uses(const hl_expr *e, int var);

/* Number of nodes of the compiled program (its evaluation cost). */
size_t hl_expr_size(const hl_expr *e);

/* Value at a point: vals[i] is the value of vars[i].  Stateless and
 * thread-safe. */
double hl_expr_eval(const hl_expr *e, const double *vals);

/* The formula split at variable var (e.g. T of B(x, y, T)): the values of
 * its largest subexpressions that do not read var (hl_expr_split_slots of
 * them: "slots", computed once per point by hl_expr_split_fixed from all
 * the variables but var) and the rest (hl_expr_split_eval, reading var and
 * the slots), which is bit for bit hl_expr_eval's value: the same
 * operations in the same order.  For B = exp(-3 y^2 / T) at many T on a
 * fixed set of points, 3 y^2 is computed once per point.  The split borrows
 * e (it must outlive it); HL_ENOMEM.  Thread-safe (stateless). */
typedef struct hl_expr_split hl_expr_split;
int hl_expr_split_create(const hl_expr *e, int var, hl_expr_split **out);
void hl_expr_split_free(hl_expr_split *s);
/* The same for ln e: when e is exp(z) (its last operation), the split of
 * z, *is_ln = 1 (ln e = z exactly, also where exp(z) would underflow);
 * else the split of e, *is_ln = 0. */
int hl_expr_split_create_ln(const hl_expr *e, int var, hl_expr_split **out, int *is_ln);
size_t hl_expr_split_slots(const hl_expr_split *s);
void hl_expr_split_fixed(const hl_expr_split *s, const double *vals, double *slots);
double hl_expr_split_eval(const hl_expr_split *s, const double *slots, const double *vals);

/* An enclosure of the values over the box vals[i] (rigorous up to the
 * accuracy of libm: each result is widened by a few ulps). */
hl_interval hl_expr_eval_interval(const hl_expr *e, const hl_interval *vals);

#endif
