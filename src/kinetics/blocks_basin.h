/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_basin.h -- one maximum of f of the model of k blocks and its basin
 * (and the basin's concave core) on a k-dimensional grid of cells or
 * classes (private to the library; blocks_basin.c): shared by the
 * Fokker-Planck equation's options (hl_fp_blocks_chain_opt) and the
 * in-basin master equation (hl_blocks_basin_chain). */
#ifndef HL_BLOCKS_BASIN_H
#define HL_BLOCKS_BASIN_H

#include <stddef.h>

#include "hyperland/blocks.h"
#include "hyperland/blocks_phases.h"
#include "kgrid.h"

#define HL_BMAXIMA_MAX 64

/* The maxima of f at beta with their names, and the one chosen: by name,
 * or (name NULL) nearest in m to at[0 .. k-1]. */
typedef struct {
    size_t n;
    hl_bstat mx[HL_BMAXIMA_MAX];
    char names[HL_BMAXIMA_MAX][16];
    int chosen;
} hl_bmaxima;

/* HL_ENOTFOUND for a name f does not have at beta (listing those it has)
 * or no maximum; the errors of hl_blocks_maxima_at. */
int hl_bmaxima_get(const hl_blocks *b, double beta, const char *name, const double *at,
                   hl_bmaxima *out);

/* The centre m (k entries) of cell i of a grid (the caller's layout). */
typedef void (*hl_bgrid_pos_fn)(const void *ctx, long i, double *m);

/* 1 if f = w - beta phi is concave at m (its Hessian in m negative
 * definite: a Cholesky factor of minus it exists). */
int hl_bconcave(const hl_blocks *b, double beta, const double *m);

/* The basin of the chosen maximum on the grid g (ln pi = U, -inf: no cell):
 * keep[i] = 1 for the cells whose steepest ascent of U (hl_kgrid_ascent)
 * ends at a cell whose nearest maximum (in m) is the chosen one; with core,
 * of those only the cells where f is concave that are connected (through
 * axis neighbours) to the basin's cell of largest U.  *kept: the count.
 * HL_ENOTFOUND when the basin has fewer than two cells, HL_EDOM when f is
 * not concave at its highest cell (core), HL_ENOMEM.  keep: one entry per
 * cell, caller-owned. */
int hl_bbasin_mask(const hl_blocks *b, double beta, const hl_kgrid *g, hl_bgrid_pos_fn pos,
                   const void *ctx, const hl_bmaxima *mx, int core, unsigned char *keep,
                   long *kept);

#endif
