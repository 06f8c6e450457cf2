/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * blocks.h -- k order parameters (section VI): the D coordinates of the
 * hypercube split into k blocks of sizes D_1 .. D_k (sum D), one order
 * parameter per block.
 *
 * A vertex (D spins +-1) has n_i spins +1 in block i; its block
 * magnetisation is
 *
 *   m_i = 2 n_i / D_i - 1  in [-1, 1],
 *
 * and the class n = (n_1 .. n_k) holds W(n) = prod_i C(D_i, n_i) vertices
 * (exact; ln W from log-gamma).  Per dimension, as D -> infinity at fixed
 * fractions r_i = D_i / D, ln W / D -> w(m) = sum_i r_i h(m_i) with the
 * one-spin entropy h(m) = ln 2 - [(1+m) ln(1+m) + (1-m) ln(1-m)] / 2
 * (eq 4.10 per block).  The potential energy of a vertex is D phi(m), phi
 * per dimension a formula in m1 .. mk (docs/formulas.md grammar) with
 * symbolic first and second derivatives.  The transmission B(m, T) of eq
 * 5.1 is a formula in m1 .. mk and T (1 if not set).
 *
 * The paper's two order parameters are the case k = 2 with equal blocks
 * (../shared/paper/NOTES.md): m1 = s = x + y and m2 = d = x - y, so for
 * that case the formulas may also use x = (m1 + m2) / 2 and
 * y = (m1 - m2) / 2, and the default phi (phi_formula NULL) is eq 4.11.
 * For k = 2M blocks the default phi is the paper's phi of each pair
 * (copy) of blocks (m_{2j-1}, m_{2j}), weighted by the copy's share of D:
 *
 *   phi = sum_j (D_{2j-1} + D_{2j}) / D * [s_j - (d_j + 0.2)^2 + 0.38 (d_j + 0.2)^3],
 *   s_j = m_{2j-1}, d_j = m_{2j};
 *
 * an odd k needs a formula.
 *
 * Classes are numbered in mixed radix, block k fastest:
 *   index = sum_i n_i stride_i,  stride_k = 1,  stride_i = stride_{i+1} (D_{i+1} + 1),
 * n_classes = prod_i (D_i + 1).
 *
 * Master equation (eq 5.2, one spin flip per move): from class n the move
 * n_i -> n_i + 1 is made by any of the D_i - n_i spins -1 of block i, at
 * the vertex rate B(m_mid, T) exp(-beta D (phi(n') - phi(n)) / 2) with
 * m_mid the midpoint of the two classes; so
 *   K(n -> n + e_i) = (D_i - n_i) B(m_mid, T) exp(-beta D dphi / 2),
 *   K(n + e_i -> n) = (n_i + 1)   B(m_mid, T) exp(+beta D dphi / 2),
 * which obey detailed balance with the weights W(n) exp(-beta D phi(n)).
 *
 * Errors: HL_OK or a negative HL_E* code with a one-line hl_errmsg().
 */
#ifndef HYPERLAND_BLOCKS_H
#define HYPERLAND_BLOCKS_H

#include "hyperland/hyperland.h"
#include "hyperland/chain.h"

/* Most blocks accepted. */
#define HL_BLOCKS_MAX 64

typedef struct hl_blocks hl_blocks;

/* A model of k blocks of sizes sizes[0 .. k-1] (each >= 1; sum D <=
 * 10^9) and the potential phi per dimension (formula in m1 .. mk, and for
 * k = 2 equal blocks also x, y; NULL: the default above).  phi and its
 * first and second derivatives are checked finite and at most HL_PHI_LIMIT
 * in magnitude on the whole cube [-1, 1]^k by interval arithmetic on a
 * subdivision of the cube (the subdivision stops at a budget of boxes;
 * past it, the remaining boxes are checked at their corners and centre,
 * and the check says so in hl_blocks_check_note).  *out: free with
 * hl_blocks_free.  HL_EINVAL for k outside 1 .. HL_BLOCKS_MAX, a size
 * < 1, a NULL argument or an odd k without a formula; HL_EPARSE for a bad
 * formula; HL_EDOM naming the point for phi not finite; HL_ENOMEM. */
int hl_blocks_create(int k, const long *sizes, const char *phi_formula, hl_blocks **out);
/* k equal blocks of D / k (HL_EINVAL unless k divides D). */
int hl_blocks_create_equal(int k, long dim, const char *phi_formula, hl_blocks **out);
/* NULL-safe. */
void hl_blocks_free(hl_blocks *b);

/* Set B(m, T) (formula in m1 .. mk, T, and x, y when k = 2 equal; NULL:
 * B = 1).  A B without T is checked positive and finite on the cube now
 * (interval arithmetic, HL_EDOM naming the point); one with T is checked
 * where it is used (hl_blocks_chain, HL_EDOM naming the class pair).
 * HL_EPARSE for a bad formula. */
int hl_blocks_set_transmission(hl_blocks *b, const char *formula);

int hl_blocks_k(const hl_blocks *b);
long hl_blocks_dim(const hl_blocks *b);
/* D_i (i in 0 .. k-1). */
long hl_blocks_size(const hl_blocks *b, int i);
/* 1 when the model is k = 2 equal blocks (x, y available). */
int hl_blocks_is_paper_pair(const hl_blocks *b);
/* The phi formula (the generated default's text for NULL).  Borrowed. */
const char *hl_blocks_phi_formula(const hl_blocks *b);
/* The B formula, "1" when not set.  Borrowed. */
const char *hl_blocks_transmission_formula(const hl_blocks *b);
/* 1 if B depends on T. */
int hl_blocks_transmission_uses_t(const hl_blocks *b);
/* What the check of phi on the cube did (a static-lifetime text of the
 * object; "" if it was a full proof).  Borrowed. */
const char *hl_blocks_check_note(const hl_blocks *b);

/* phi(m), m: k entries.  Thread-safe. */
double hl_blocks_phi(const hl_blocks *b, const double *m);
/* phi(m), its gradient grad[k] (d phi / d m_i) and Hessian hess[k*k]
 * (row-major, symmetric); grad or hess may be NULL.  Thread-safe. */
double hl_blocks_phi_derivs(const hl_blocks *b, const double *m, double *grad, double *hess);
/* B(m, T) (1 unless set).  Thread-safe. */
double hl_blocks_transmission(const hl_blocks *b, const double *m, double T);

/* w(m) = sum_i r_i h(m_i) (eq 4.10 per block), with 0 ln 0 = 0; NaN
 * outside the cube.  Its derivatives: dw/dm_i = -r_i atanh(m_i) into
 * grad[i] (infinite at |m_i| = 1) and the diagonal of the Hessian,
 * -r_i / (1 - m_i^2), into hess_diag[i]; either may be NULL.
 * Thread-safe. */
double hl_blocks_w(const hl_blocks *b, const double *m, double *grad, double *hess_diag);

/* Number of classes prod (D_i + 1); -1 if above 2^62. */
long hl_blocks_n_classes(const hl_blocks *b);
/* The class n[k] of index idx, and its magnetisations m[k] (either may be
 * NULL).  HL_EINVAL for a bad index. */
int hl_blocks_class(const hl_blocks *b, long idx, long *n, double *m);
/* ln W(n) = sum_i ln C(D_i, n_i) (exact to rounding, log-gamma). */
double hl_blocks_ln_count(const hl_blocks *b, const long *n);

/* The master equation on the class lattice as a reversible chain
 * (chain.h): state idx has ln M = ln W(n) - beta D phi(m(n)) (entropy
 * ln W, energy D phi), the edge n -- n + e_i has
 *   ln A = ln B(m_mid, 1/beta) + ln(D_i - n_i) / 2 + ln(n_i + 1) / 2
 * (energy part 0), which gives the rates above.  The edges hold B at
 * T = 1 / beta: when B depends on T the chain is valid at that beta only
 * (when it does not, at every beta).  Classes numbered as above; edges
 * added block by block, each in increasing class index.  *out: free with
 * hl_chain_free.  HL_EDOM naming the class pair for a B that is not
 * positive and finite, HL_ERANGE if the lattice has more than 2^31
 * classes, HL_ENOMEM naming the size. */
int hl_blocks_chain(const hl_blocks *b, double beta, hl_chain **out);

/* M copies of the paper's system with an interface between them
 * (coexistence and nucleation, section VI; examples/coexistence): 2M equal
 * blocks of block_size spins (D = 2 M block_size), copy j the pair
 * (s_j, d_j) = (m_{2j-1}, m_{2j}), and
 *
 *   phi = (1/M) sum_j phi_paper(s_j, d_j) + gamma I,
 *   I   = (1/M) sum_j (d_j - dbar)^2 = (1/M^2) sum_{i<j} (d_i - d_j)^2,
 *
 * phi_paper = s - (d + 0.2)^2 + 0.38 (d + 0.2)^3 (eq 4.11 in s, d), dbar
 * the mean d.  I is zero when every copy has the same d (all in one
 * phase, at the same maximum) and grows as the square of the difference
 * of the phases' order parameter between copies: the square-gradient
 * (Ginzburg-Landau) interface energy of copies that all touch each other.
 * Its energy D gamma I is proportional to D: in this mean-field model the
 * interface is as extensive as the bulk (in a real d-dimensional sample it
 * grows as D^((d-1)/d)), so a mixed state's extra free energy, and the
 * barrier of the nucleated route, grow linearly with D at fixed gamma.
 * gamma = 0 (or M = 1): the default phi of 2M blocks (independent
 * copies).  The formula is generated text (hl_blocks_phi_formula).
 * HL_EINVAL for copies outside 1 .. HL_BLOCKS_MAX / 2 or a bad size,
 * HL_EDOM for gamma not in [0, 1e6]; the errors of hl_blocks_create. */
int hl_blocks_create_copies(int copies, long block_size, double gamma, hl_blocks **out);

#endif
