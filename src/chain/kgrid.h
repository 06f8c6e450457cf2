/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kgrid.h -- reversible nearest-neighbour chains on a k-dimensional
 * rectangular grid (private to the library): the generalisation of the
 * two-dimensional grid chain of grid.h to any number of axes, and the one
 * place that turns such a grid into a reversible chain (grid.h's
 * hl_gridchain_to_rchain is this with k = 2).
 *
 * A grid of n[0] x ... x n[k-1] cells, numbered in mixed radix with the
 * last axis fastest,
 *
 *   i = sum_a i_a stride_a,  stride_{k-1} = 1,  stride_a = stride_{a+1} n[a+1],
 *
 * holds per cell ln pi (the unnormalised stationary weight, -inf: no cell)
 * and per axis a the conductance ln c_a[i] of the edge i -- i + stride_a
 * (-inf for i_a = n[a] - 1 or no edge); the rates are k(i -> j) =
 * c_ij sqrt(pi_j / pi_i) (eq 3.4 with A = c).  The arrays are borrowed. */
#ifndef HL_KGRID_H
#define HL_KGRID_H

#include "hyperland/chain.h"
#include "rchain.h"

#define HL_KGRID_MAX 8

typedef struct {
    int k;                      /* axes, 1 .. HL_KGRID_MAX                   */
    long n[HL_KGRID_MAX];       /* cells along each axis (>= 1)              */
    double *ln_pi;              /* prod n: ln pi; -inf: no cell              */
    double *ln_c[HL_KGRID_MAX]; /* prod n each: ln c of the axis-a edge      */
} hl_kgrid;

/* Total cells prod n[a] (-1 for a bad grid or above 2^40). */
long hl_kgrid_cells(const hl_kgrid *g);
/* stride[a] of the numbering above. */
void hl_kgrid_strides(const hl_kgrid *g, long *stride);

/* The reversible chain of g: the cells are its states (same index), its
 * edges join two active cells (ln pi > -inf), in a fixed order: axis 0's
 * edges i -- i + stride_0 first, then axis 1's, ..., each in increasing i
 * (an edge with ln c = -inf is kept, with ln A = -inf).  ln_exit: NULL or
 * one entry per cell.  c is allocated and indexed here (hl_rchain_free).
 * HL_EDOM naming the cell for a NaN or +inf value of an active cell,
 * HL_EINVAL for a bad grid, HL_ENOMEM. */
int hl_kgrid_to_rchain(const hl_kgrid *g, const double *ln_exit, hl_rchain *c);

/* The same as a public chain (chain.h) at one temperature: state i has
 * entropy ln pi[i] and energy 0, each edge ln A = ln c (entropy part,
 * energy 0), in the order above; edges with ln c = -inf are left out.
 * state NULL: every cell must be active (a public chain has no absent
 * states: HL_EDOM naming the cell); else (one entry per cell) the active
 * cells are the states in cell order and state[i] receives the state of
 * cell i (-1 if inactive).  *out: hl_chain_free. */
int hl_kgrid_to_chain(const hl_kgrid *g, long *state, hl_chain **out);

/* Steepest ascent of ln pi on the grid: lab[i] = the cell at the end of the
 * path of steepest ascent from i (to the neighbour of largest ln pi while it
 * is larger; -1 for a cell with ln pi = -inf).  lab: one entry per cell. */
void hl_kgrid_ascent(const hl_kgrid *g, long *lab);

#endif
