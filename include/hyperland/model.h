/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model.h -- the two-order-parameter hypercube model (paper section IV).
 *
 * Vertices of the D-cube are spin vectors sigma = D^{-1/2}(+-1, ..., +-1)
 * (eq 4.3).  A class (n, n1) holds the vertices with n components +1, n1 of
 * them among the first D/2 (eq 4.6):  x = 2n/D - 1,  y = (4 n1 - 2n)/D.
 * Convenient coordinates: a = n1, b = n - n1 (both in 0..D/2),
 * s = x + y = 4a/D - 1, d = x - y = 4b/D - 1; the projections fill the
 * square |x| + |y| <= 1, i.e. -1 <= s, d <= 1 (the paper's eq 4.8 is a
 * misprint for this).
 *
 * A model is the packing potential phi(x, y) per dimension (eq 4.11):
 * either the paper's default or a user formula in x and y whose first and
 * second derivatives are taken symbolically.  The formula language (numbers
 * such as 1e-3, + - * / ^ with ^ right-associative and binding tighter than
 * a unary minus, the functions and constants) is given in docs/formulas.md.
 */
#ifndef HYPERLAND_MODEL_H
#define HYPERLAND_MODEL_H

#include <stddef.h>

/* Largest and smallest dimension D accepted anywhere (D must be even). */
#define HL_DIM_MIN 2L
#define HL_DIM_MAX 1000000L

/* The paper's phi, eq 4.11, as a formula. */
#define HL_DEFAULT_PHI "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3"

/* Longest formula accepted (characters).  Longer ones: HL_EPARSE. */
#define HL_FORMULA_MAX_CHARS 4096

/* Largest |phi| and |first and second derivatives| accepted on the square:
 * beyond it beta * D * phi (D up to 10^6) would bury the entropy term ln W
 * (of order D) below its rounding error, so no result would keep digits. */
#define HL_PHI_LIMIT 1e12

typedef struct hl_model hl_model;

/* Value and derivatives of phi at one point. */
typedef struct {
    double phi;                 /* phi(x, y)                       */
    double phi_x, phi_y;        /* first partial derivatives       */
    double phi_xx, phi_xy, phi_yy; /* second partial derivatives   */
} hl_phi_derivs;

/* Create a model.  phi_formula == NULL selects the paper's eq 4.11 (built
 * in, with hand-derived derivatives).  Otherwise the formula must parse
 * (docs/formulas.md; at most HL_FORMULA_MAX_CHARS characters), use no
 * variables other than x and y, and have phi and its first and second
 * derivatives finite and at most HL_PHI_LIMIT in magnitude at every point
 * of the closed square |x| + |y| <= 1.  That is checked on the whole square,
 * not on a sample: interval arithmetic bounds each function on boxes that
 * are bisected until the bounds pass or a point with a bad value (NaN,
 * infinite, too large) is found, or a box narrower than 1e-9 still has an
 * infinite bound (a pole or singularity between any sample points).  Else
 * HL_EPARSE (syntax, length, unknown name) or HL_EDOM, with hl_errmsg()
 * naming the formula (cut to 40 characters), the function (phi, dphi/dx,
 * ...), the point (x, y) and the value.  *out is caller-owned:
 * hl_model_free(). */
int hl_model_create(const char *phi_formula, hl_model **out);

/* Free a model; NULL is a harmless no-op. */
void hl_model_free(hl_model *model);

/* The formula of phi (the default's text for the built-in one).  Borrowed. */
const char *hl_model_phi_formula(const hl_model *model);

/* 1 if the model uses the paper's built-in phi (eq 4.11), else 0.  The
 * built-in phi is separable, phi = s + g(d), which enables exact fast paths. */
int hl_model_is_default(const hl_model *model);

/* phi(x, y), eq 4.11 or the user's formula.  Thread-safe (evaluation
 * keeps no state). */
double hl_model_phi(const hl_model *model, double x, double y);

/* phi and its first and second derivatives at (x, y). */
void hl_model_phi_derivs(const hl_model *model, double x, double y,
                         hl_phi_derivs *out);

/* Set the transmission coefficient B(x, y, T) of eq 5.1 (a formula in x,
 * y and the temperature T = 1/beta, docs/formulas.md); NULL restores B = 1.
 * The formula must parse and use only x, y, T; else HL_EPARSE and the model
 * keeps B = 1.  A B without T must be positive and finite on the whole
 * closed square (checked here as phi is, HL_EDOM otherwise); a B with T is
 * checked at the temperatures each run uses, by the kinetics functions
 * (hl_model_check_transmission*), so a B that underflows only at
 * temperatures a run never visits is accepted.  B only matters to
 * kinetics. */
int hl_model_set_transmission(hl_model *model, const char *formula);

/* The transmission formula ("1" for the default).  Borrowed. */
const char *hl_model_transmission_formula(const hl_model *model);

/* B(x, y, T), eq 5.1 (1 unless set). */
double hl_model_transmission(const hl_model *model, double x, double y, double T);

/* Check that B is positive and finite on the whole closed square at
 * temperature T (interval arithmetic, as for phi in hl_model_create):
 * HL_OK, or HL_EDOM with hl_errmsg() naming the point (x, y, T) and the
 * value of B. */
int hl_model_check_transmission(const hl_model *model, double T);

/* The same for every T in [T_lo, T_hi] (0 < T_lo <= T_hi, finite): the
 * temperatures a protocol visits between its rows.  HL_EDOM on a bad
 * range. */
int hl_model_check_transmission_range(const hl_model *model, double T_lo, double T_hi);

/* 1 if B is the default constant 1. */
int hl_model_transmission_is_default(const hl_model *model);

/* 1 if the formula of B uses T (then the rates depend on T through B as
 * well as through beta), else 0. */
int hl_model_transmission_uses_temperature(const hl_model *model);

/* Global minimum of phi on the closed square |x| + |y| <= 1 (edges and
 * corners included): grid search then refinement in the interior, on each
 * edge and at the corners.  Used for eq 4.12. */
int hl_model_phi_min(const hl_model *model, double *x, double *y, double *phi);

/* Bounds of |dphi/ds| and |dphi/dd| on the square (s = x + y, d = x - y),
 * from the same grid, with a 10% safety margin. */
void hl_model_gradient_bounds(const hl_model *model, double *gs, double *gd);

/* A length (in x, y) below which phi's curvature can change: M2 / M3 of
 * its largest second and third partial derivatives on a 101 x 101 grid of
 * the square (1/k for A sin(k x); INFINITY for a polynomial of degree <= 2).
 * An estimate, not a bound: the global search for maxima of f (phases)
 * spaces its grid by it. */
double hl_model_feature_length(const hl_model *model);

/* ln W(n, n1): the exact number of vertices in class (n, n1), eq 4.9,
 * via log-gamma (never by forming factorials).  D even, 0 <= n1 <= D/2,
 * 0 <= n - n1 <= D/2; else HL_EDOM. */
int hl_ln_vertex_count(long D, long n, long n1, double *ln_w);

/* w(x, y), the Stirling limit of ln W / D, eq 4.10, with 0 ln 0 = 0 on the
 * edges and corners.  Returns NaN outside the closed square. */
double hl_entropy_w(double x, double y);

/* Check a dimension: even and within [HL_DIM_MIN, HL_DIM_MAX]. */
int hl_check_dim(long D);

#endif
