/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fp_blocks_grid.h -- the finite-volume grid of eq 5.9 in k block
 * magnetisations (fokker_planck.h, hl_fp_blocks_chain), tabulated once and
 * turned into the reversible chain of any beta (private to the library):
 * hl_fp_blocks_chain builds it at one beta, hl_fp_blocks_evolve at every
 * beta a protocol visits (fokker_planck_blocks.c). */
#ifndef HL_FP_BLOCKS_GRID_H
#define HL_FP_BLOCKS_GRID_H

#include "hyperland/blocks.h"
#include "hyperland/fokker_planck.h"
#include "kgrid.h"

typedef struct {
    const hl_blocks *b;             /* borrowed                                */
    int k;
    long n, N;                      /* cells per axis, cells                   */
    long stride[HL_KGRID_MAX];      /* block k's axis fastest, as the classes  */
    double h, D;                    /* cell width 2 / n, dimension             */
    double *w, *phi;                /* per cell centre: w(m), phi(m) per dim.  */
    double *lnk[HL_FP_BLOCKS_MAX];  /* ln (K / h^2) of the face towards + axis
                                       a (-inf on the last layer); computed
                                       once when B does not depend on T        */
    int lnk_ready, b_uses_t;
    hl_kgrid g;                     /* ln pi = U and ln c at the last beta     */
    /* the domain (hl_fp_blocks_chain_opt; the cube otherwise) */
    double lo[HL_FP_BLOCKS_MAX], hs[HL_FP_BLOCKS_MAX]; /* start, cell width  */
    double *ulin;                   /* the linear form's U per cell, or NULL   */
    double lnk_lin[HL_FP_BLOCKS_MAX]; /* its ln (K_i / hs_i^2), K frozen      */
    unsigned char *keep;            /* cells kept (basin, core), or NULL: all  */
} hl_fpb_grid;

/* Tabulate w and phi at the cell centres of a grid of `grid` cells per axis
 * (the checks and errors of hl_fp_blocks_chain on k, grid and the cell
 * count; HL_ERANGE where phi or w is not finite).  *g: hl_fpb_grid_free. */
int hl_fpb_grid_init(hl_fpb_grid *g, const hl_blocks *b, long grid);
/* The same over the box lo[a] .. hi[a] (inside the cube). */
int hl_fpb_grid_init_box(hl_fpb_grid *g, const hl_blocks *b, long grid, const double *lo,
                         const double *hi);
void hl_fpb_grid_free(hl_fpb_grid *g);

/* The grid of the options at beta (hl_fp_blocks_chain_opt): the domain
 * (window), the linear form's U and K, the basin or core mask (g->keep),
 * all checked as there; where (optional): active, branch and max_m.
 * *g: hl_fpb_grid_free (freed here on error). */
int hl_fpb_grid_setup(hl_fpb_grid *g, const hl_blocks *b, double beta,
                      const hl_fp_blocks_options *opt, hl_fp_blocks_info *where);

/* The centre m (k entries) of cell i, or with face = a of its face towards
 * + axis a (face = -1: the centre). */
void hl_fpb_cell_m(const hl_fpb_grid *g, long i, int face, double *m);

/* Fill g->g at beta (U = D (w - beta phi), the Scharfetter-Gummel
 * conductances) and, with out, make the chain of hl_fp_blocks_chain.
 * check: measure the resolution (info) and refuse (HL_ERANGE) a grid that
 * does not resolve the distribution, as hl_fp_blocks_chain; 0: neither
 * (the later betas of a protocol, as the 2-D equation).  HL_EDOM for a bad
 * beta or a B that is not positive and finite at a face. */
int hl_fpb_grid_fill(hl_fpb_grid *g, double beta, int check, hl_chain **out,
                     hl_fp_blocks_info *info);

/* The resolution check of hl_fpb_grid_fill at the beta of every row of p
 * (g->g is left at the last row's): HL_ERANGE naming the row's T where the
 * grid does not resolve the distribution. */
int hl_fpb_grid_protocol_resolved(hl_fpb_grid *g, const hl_protocol *p);

#endif
