/* SPDX-License-Identifier: GPL-3.0-or-later */
/* class_lattice.h -- the contracted master equation of eq 5.6 on the class
 * lattice as a reversible chain (private to the library).
 *
 * States: the classes (a, b) = (n1, n - n1) of the D-cube, a, b = 0..h
 * (h = D/2), numbered a (h + 1) + b; ln M = ln W - beta D Phi (eq 5.5);
 * edges: the moves a+1 (axis 1) and b+1 (axis 2) with ln A = ln k(i -> j) -
 * (ln M_j - ln M_i) / 2 from the rates of eq 5.2 (hl_class_lattice), in the
 * order of grid.h (all a-moves, then all b-moves, by increasing class). */
#ifndef HL_CLASS_LATTICE_H
#define HL_CLASS_LATTICE_H

#include "grid.h"
#include "hyperland/model.h"

/* The class lattice at (D, beta) as a grid (axis 1 = a, axis 2 = b).  g is
 * allocated here. */
int hl_class_gridchain(const hl_model *m, long dim, double beta, hl_gridchain *g);

/* The same as a reversible chain (allocated and indexed here). */
int hl_class_rchain(const hl_model *m, long dim, double beta, hl_rchain *c);

/* The fill of a class chain for a new beta (hl_rchain_fill_fn): ctx points
 * to an hl_class_fill; c must come from hl_class_rchain with the same model
 * and D. */
typedef struct {
    const hl_model *model; /* must outlive the chain's use */
    long dim;
} hl_class_fill;
int hl_class_rchain_fill(void *ctx, double beta, hl_rchain *c);

#endif
