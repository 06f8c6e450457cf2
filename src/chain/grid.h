/* SPDX-License-Identifier: GPL-3.0-or-later */
/* grid.h -- reversible nearest-neighbour chains on a rectangular grid, a
 * builder of the reversible chain of rchain.h (private to the library).
 *
 * Two of hyperland's kinetic models are such chains: the contracted master
 * equation (eq 5.6) on the class lattice (a, b) = (n1, n - n1), and the
 * finite-volume (Scharfetter-Gummel) discretisation of the Fokker-Planck
 * equation (eq 5.9) on a grid in (s, d) = (x + y, x - y).  Both move one
 * step along one axis at a time and obey detailed balance with respect to
 * a known weight pi, so both are described by
 *
 *   ln pi[i]  the unnormalised stationary weight of cell i,
 *   ln c[i]   the symmetric conductance of an edge, c = sqrt(k(i->j) k(j->i)),
 *
 * with the rates k(i -> j) = c_ij sqrt(pi_j / pi_i) (eq 3.4 with A = c).
 * Cells are numbered i = i1 * n2 + i2 (i1 < n1 along axis 1, i2 < n2 along
 * axis 2).  A cell with ln_pi = -inf is not part of the chain (no edges; its
 * probability stays 0): that is how a chain is restricted to a basin (the
 * walls reflect: edges that leave are cut, which keeps detailed balance). */
#ifndef HL_GRID_H
#define HL_GRID_H

#include "rchain.h"

typedef struct {
    long n1, n2;    /* cells along axis 1 and axis 2 (n1, n2 >= 1)          */
    double *ln_pi;  /* n1 n2: ln of the stationary weight; -inf: no cell     */
    double *ln_c1;  /* n1 n2: ln c of the edge i -- i + n2 (axis 1); -inf for
                       i1 = n1 - 1 or no edge                              */
    double *ln_c2;  /* n1 n2: ln c of the edge i -- i + 1 (axis 2); -inf for
                       i2 = n2 - 1 or no edge                              */
} hl_gridchain;

/* Allocate the three arrays (filled with -inf).  HL_ENOMEM naming the size. */
int hl_gridchain_alloc(hl_gridchain *g, long n1, long n2);
void hl_gridchain_free(hl_gridchain *g);

/* Cut every edge that touches a cell with keep[i] == 0 and set those
 * cells' ln_pi to -inf (a reflecting wall around the kept cells). */
void hl_gridchain_restrict(hl_gridchain *g, const unsigned char *keep);

/* The reversible chain of g: the n1 n2 cells are its states (same index),
 * its edges join two active cells (ln pi > -inf), in a fixed order: first
 * the axis-1 edges i -- i + n2, then the axis-2 edges i -- i + 1, each in
 * increasing i (edge ends ea = i, eb = the other cell; an edge with ln c =
 * -inf is kept, with ln A = -inf, so that a refill may give it a value).
 * ln_exit: NULL, or n1 n2 exit rates (copied for the active cells).  c is
 * allocated and indexed here (hl_rchain_free).  HL_EDOM naming the cell for
 * a NaN or +inf ln pi, ln c or ln exit of an active cell, HL_EINVAL for a
 * bad grid, HL_ENOMEM. */
int hl_gridchain_to_rchain(const hl_gridchain *g, const double *ln_exit, hl_rchain *c);

/* Copy the values of g (refilled for a new temperature, same active cells)
 * into c built from it by hl_gridchain_to_rchain.  HL_EINVAL if the set of
 * active cells changed, HL_EDOM for a bad value. */
int hl_gridchain_refill_rchain(const hl_gridchain *g, hl_rchain *c);

#endif
