/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_private.h -- what the analysis of k blocks (blocks_*.c) needs from
 * the model of blocks.c beyond the public blocks.h: enclosures of the
 * gradient and Hessian of phi over a box of the cube (not installed). */
#ifndef HL_BLOCKS_PRIVATE_H
#define HL_BLOCKS_PRIVATE_H

#include "hyperland/blocks.h"
#include "formula.h"

/* Enclosures (interval arithmetic with outward rounding, formula.h) of
 * d phi / d m_i into grad[k] and of d2 phi / d m_i d m_l into hess[k*k]
 * (row-major; either may be NULL) over the box lo[i] <= m_i <= hi[i].  A
 * component that may be NaN or unbounded has nan = 1 or infinite ends. */
void hl_blocks_derivs_box(const hl_blocks *b, const double *lo, const double *hi,
                          hl_interval *grad, hl_interval *hess);

/* The fraction r_i = D_i / D of block i. */
double hl_blocks_fraction(const hl_blocks *b, int i);
/* 1 if phi uses none of its variables (a constant: Var(phi) = 0 exactly) */
int hl_blocks_phi_is_constant(const hl_blocks *b);

#endif
