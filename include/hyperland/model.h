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
 * either the paper's default or a user formula in x and y (libmatheval
 * syntax) whose first and second derivatives are taken symbolically.
 */
#ifndef HYPERLAND_MODEL_H
#define HYPERLAND_MODEL_H

#include <stddef.h>

/* Largest and smallest dimension D accepted anywhere (D must be even). */
#define HL_DIM_MIN 2L
#define HL_DIM_MAX 1000000L

/* The paper's phi, eq 4.11, as a libmatheval formula. */
#define HL_DEFAULT_PHI "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3"

typedef struct hl_model hl_model;

/* Value and derivatives of phi at one point. */
typedef struct {
    double phi;                 /* phi(x, y)                       */
    double phi_x, phi_y;        /* first partial derivatives       */
    double phi_xx, phi_xy, phi_yy; /* second partial derivatives   */
} hl_phi_derivs;

/* Create a model.  phi_formula == NULL selects the paper's eq 4.11 (built
 * in, with hand-derived derivatives).  Otherwise the formula must parse,
 * use no variables other than x and y, and have phi and its first and
 * second derivatives finite on the closed square |x| + |y| <= 1 (checked on
 * a dense grid including edges and corners); else HL_EPARSE or HL_EDOM with
 * hl_errmsg() naming the problem.  *out is caller-owned: hl_model_free(). */
int hl_model_create(const char *phi_formula, hl_model **out);

/* Free a model; NULL is a harmless no-op. */
void hl_model_free(hl_model *model);

/* The formula of phi (the default's text for the built-in one).  Borrowed. */
const char *hl_model_phi_formula(const hl_model *model);

/* 1 if the model uses the paper's built-in phi (eq 4.11), else 0.  The
 * built-in phi is separable, phi = s + g(d), which enables exact fast paths. */
int hl_model_is_default(const hl_model *model);

/* phi(x, y), eq 4.11 or the user's formula.  Not thread-safe for user
 * formulas (libmatheval keeps state): use one model per thread. */
double hl_model_phi(const hl_model *model, double x, double y);

/* phi and its first and second derivatives at (x, y). */
void hl_model_phi_derivs(const hl_model *model, double x, double y,
                         hl_phi_derivs *out);

/* Set the transmission coefficient B(x, y, T) of eq 5.1 (libmatheval, in
 * x, y and the temperature T = 1/beta); NULL restores B = 1.  The formula
 * must parse, use only x, y, T, and be positive and finite on the closed
 * square (checked on a grid at T = 0.01 ... 100); else HL_EPARSE/HL_EDOM
 * and the model keeps B = 1.  B only matters to kinetics. */
int hl_model_set_transmission(hl_model *model, const char *formula);

/* The transmission formula ("1" for the default).  Borrowed. */
const char *hl_model_transmission_formula(const hl_model *model);

/* B(x, y, T), eq 5.1 (1 unless set). */
double hl_model_transmission(const hl_model *model, double x, double y, double T);

/* Check that B is positive and finite on the square at temperature T. */
int hl_model_check_transmission(const hl_model *model, double T);

/* 1 if B is the default constant 1. */
int hl_model_transmission_is_default(const hl_model *model);

/* Global minimum of phi on the closed square |x| + |y| <= 1 (edges and
 * corners included): grid search then refinement in the interior, on each
 * edge and at the corners.  Used for eq 4.12. */
int hl_model_phi_min(const hl_model *model, double *x, double *y, double *phi);

/* Bounds of |dphi/ds| and |dphi/dd| on the square (s = x + y, d = x - y),
 * from the same grid, with a 10% safety margin. */
void hl_model_gradient_bounds(const hl_model *model, double *gs, double *gd);

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
