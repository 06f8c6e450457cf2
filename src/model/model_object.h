/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model_object.h -- the layout of the hl_model object, shared by the files
 * that build and read it (model.c, model_check.c; not installed; the rest of
 * the library uses the accessors of hyperland/model.h). */
#ifndef HL_MODEL_OBJECT_H
#define HL_MODEL_OBJECT_H

#include "formula.h"
#include "model_private.h"

enum { DER_PHI, DER_X, DER_Y, DER_XX, DER_XY, DER_YY, DER_COUNT };

struct hl_model {
    int is_default;
    char *formula;
    hl_expr *ev[DER_COUNT]; /* phi and its derivatives (user formula only) */
    double grad_s_bound, grad_d_bound;
    double hess_grid_max;  /* largest |second partial| of phi on the check grid */
    double feature_length; /* shortest length over which phi's Hessian turns */
    char *b_formula; /* transmission B(x, y, T); NULL: B = 1 */
    hl_expr *b_ev;
    int b_uses_T;    /* B depends on T (else it was checked once, when set) */
};


/* Prove phi and its first and second derivatives finite (and within
 * HL_PHI_LIMIT) on the whole square, then record the gradient bounds:
 * HL_OK, or HL_EDOM naming the point and the value (model_check.c). */
int hl_model_check_phi(hl_model *m);
/* Record grad_s_bound, grad_d_bound (|dphi/ds|, |dphi/dd| on the check grid,
 * with a 10% margin) and hess_grid_max.  HL_EDOM if the gradient is not
 * finite at a grid point (possible only when the proof ran out of budget). */
int hl_model_set_gradient_bounds(hl_model *m);
/* Record feature_length, the shortest length over which phi's Hessian
 * turns (exact for the paper's phi; sampled otherwise). */
void hl_model_set_feature_length(hl_model *m);
/* Prove B positive (a normal double) and finite on the whole square at
 * every T in [tlo, thi] (at T = tlo when B does not depend on T): HL_OK, or
 * HL_EDOM naming the point and the value. */
int hl_model_check_b(const hl_model *m, double tlo, double thi);

#endif
