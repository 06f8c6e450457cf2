/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model_private.h -- the model layer's private helpers: positions in the
 * square, the built-in phi's exact steps, class coordinates, checked class
 * values, maxima, basins by steepest ascent and concave cores (not
 * installed). */
#ifndef HL_MODEL_PRIVATE_H
#define HL_MODEL_PRIVATE_H

#include "core.h"
#include "hyperland/model.h"
#include "hyperland/thermodynamics.h"
#include "hyperland/exact.h"

/* Position in the square from tanh-coordinates t = (atanh s, atanh d). */
typedef struct {
    double t1, t2;    /* atanh(s), atanh(d)                 */
    double s, d;      /* tanh t1, tanh t2                    */
    double x, y;      /* (s + d)/2, (s - d)/2                */
    double cs, cd;    /* 1 - s^2, 1 - d^2 (accurate)         */
} hl_tpoint;
void hl_tpoint_set(hl_tpoint *p, double t1, double t2);

/* w from tanh-coordinates, accurate near the edges; its ln, finite where
 * w underflows (within ~e^-700 of a vertex); the one-spin entropy
 * H(tanh t) = ln 2 - [(1+s) ln(1+s) + (1-s) ln(1-s)]/2 and its ln. */
double hl_w_from_t(double t1, double t2);
double hl_ln_w_from_t(double t1, double t2);
double hl_half_entropy_t(double t);
double hl_ln_half_entropy_t(double t);

/* The built-in phi is s + g(d) with g(d) = -(d + 0.2)^2 + 0.38 (d + 0.2)^3
 * (s = x + y, d = x - y).  hl_default_g_step returns g(d + step) - g(d)
 * without the cancellation of a difference of two g values: step times a
 * polynomial in u = d + 0.2 and step.  *abs_terms (optional): the same sum
 * with every term's absolute value, for error bounds (the result's error is
 * a few eps times it). */
double hl_default_g_step(double d, double step, double *abs_terms);

/* Order parameters of class (a, b) = (n1, n - n1), eq 4.6, h = D/2. */
static inline double hl_class_x(long h, long a, long b) { return (double)(a + b) / h - 1.0; }
static inline double hl_class_y(long h, long a, long b) { return (double)(a - b) / h; }

/* --- basins (basins.c): used by exact, mfpt/committor and evolve --- */
#define HL_NAMED_MAX 64
typedef struct {
    hl_stationary mx[HL_NAMED_MAX];
    char names[HL_NAMED_MAX][16];
    size_t n;
} hl_named_maxima;
/* The maxima of f at beta with their names (hl_maxima_at, hl_name_maxima). */
int hl_named_maxima_get(const hl_model *m, double beta, hl_named_maxima *c);
/* The name of the maximum nearest to (x, y); "none" if there is none. */
const char *hl_named_maxima_nearest(const hl_named_maxima *c, double x, double y);
/* One steepest-ascent step on v[0..h] (ties: k+1 first); k at a maximum. */
long hl_ascent_step_1d(const double *v, long h, long k);
/* end[k] = the local maximum that the ascent from k reaches (memoised). */
void hl_ascent_1d(const double *v, long h, long *end);
/* The same on the (h+1)^2 class lattice (index a (h+1) + b, ties a+1, a-1,
 * b+1, b-1): lab[i] = index of the maximum reached. */
void hl_ascent_2d(const double *lq, long h, long *lab);
/* The slot of basin `name` in basins[0..*n) (appended with probability 0,
 * ln_probability -inf, x, y NaN); -1 when all HL_MAX_BASINS are taken. */
int hl_basin_slot(hl_basin *basins, int *n, const char *name);
/* Start a basin table: for the paper's phi always "liquid" and "crystal",
 * then the names of the maxima in c. */
void hl_basins_init(hl_basin *basins, int *n, const hl_model *m, const hl_named_maxima *c);

/* --- values checked where they are used (model.c) --- */
/* phi at class (a, b) = (n1, n - n1), h = D/2, into *phi: HL_EDOM naming
 * the class and the value if it is not finite. */
int hl_class_phi(const hl_model *m, long h, long a, long b, double *phi);
/* HL_EDOM naming the bond between classes (a, b) and (a2, b2), its point
 * (x, y), T and B unless B is positive and finite; else HL_OK. */
int hl_check_bond_b(double B, long a, long b, long a2, long b2, double x, double y, double T);

/* The compiled formula of B(x, y, T) (variables x, y, T: indices 0, 1, 2;
 * formula.h), NULL for the default B = 1: for a caller that evaluates B on
 * a fixed set of points at many T (hl_expr_split at T = 2). */
struct hl_expr;
const struct hl_expr *hl_model_transmission_expr(const hl_model *m);

/* An upper bound of ln B(x, y, T) over T in [T_lo, T_hi] at a fixed (x, y),
 * by interval arithmetic (rigorous up to libm's accuracy, widened): the
 * rate bound of kinetic Monte Carlo under a protocol (kmc.c).  0 for the
 * default B = 1.  HL_EDOM when the enclosure is not finite and positive. */
int hl_model_transmission_ln_bound(const hl_model *m, double x, double y, double T_lo,
                                   double T_hi, double *ln_hi);

/* 1 if f = w - beta phi is strictly concave at (x, y) (Hessian negative
 * definite), i.e. Q_eq is log-concave there. */
int hl_concave(const hl_model *m, double beta, double x, double y);
/* The position (x, y) of cell i of a grid chain (class lattice or
 * Fokker-Planck cells); hl_class_pos: ctx points to h, cell a (h+1) + b. */
typedef void (*hl_cell_pos_fn)(const void *ctx, long i, double *x, double *y);
void hl_class_pos(const void *ctx, long i, double *x, double *y);
/* The concave core of a region on an n1 x n2 grid: clear the cells of keep
 * (1 = candidate) where f is not concave, then keep only the 4-connected
 * component of cell seed.  Restricting a chain to it (reflecting walls)
 * keeps the in-basin modes and drops the modes that live at the saddle.
 * HL_EDOM if f is not concave at the seed. */
int hl_core_mask(const hl_model *m, double beta, long n1, long n2, hl_cell_pos_fn pos,
                 const void *ctx, long seed, unsigned char *keep);
/* Cut a concave core to its maximum's own ascent.  The grid: k axes of
 * n[0] x ... x n[k-1] cells numbered in mixed radix, last axis fastest, u
 * its ln Q (-inf: no cell), keep the core (1 = in, 0 = out), seed the core's
 * cell of largest u.  The core's reflecting walls can make cells that are
 * local maxima of u on the lattice restricted to the core but not on the
 * whole lattice (a higher axis neighbour lies outside): traps whose escape
 * is a slow mode that is not the maximum's.  Every core cell climbs the
 * core by steepest ascent (to its highest higher neighbour in the core);
 * the cells whose climb ends at such a wall-made maximum are cleared, then
 * only the axis-connected component of seed is kept.  Maxima of u on the
 * whole lattice (the seed, and the shallow extra maxima a lattice makes
 * along a soft ridge of the Gaussian) are the core's own and never cut, so
 * a core without wall-made maxima is left unchanged.  *n_traps (may be
 * NULL): the number of wall-made maxima.  HL_ENOMEM. */
int hl_core_cut_traps(int k, const long *n, const double *u, long seed, unsigned char *keep,
                      long *n_traps);
/* The basins of an n x n grid: lab[i] = the end of the steepest ascent of
 * lq from cell i (hl_ascent_2d) and names[i] = the name of the maximum of f
 * nearest to that end (NULL where lq = -inf).  lab, names: n^2, caller's. */
void hl_name_ascent(const hl_named_maxima *c, const double *lq, long n, hl_cell_pos_fn pos,
                    const void *ctx, long *lab, const char **names);
/* Exactly two named basins: basin[i] = 0 or 1 (-1 where names[i] is NULL)
 * and best[q] = the cell of largest lq in basin q.  HL_ERANGE with more
 * than two, HL_ENOTFOUND with fewer. */
int hl_two_basins(const char *const *names, const double *lq, long N, int *basin, long best[2]);

#endif
