/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fokker_planck_blocks.c -- eq 5.9 in the k block magnetisations of
 * blocks.h (k <= 3): cell-centred finite volumes with Scharfetter-Gummel
 * fluxes on the k-dimensional grid of kgrid.h, returned as a public
 * reversible chain (fokker_planck.h, hl_fp_blocks_chain). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/fokker_planck.h"
#include "kgrid.h"
#include "kinetics_private.h"

#define FP_WEIGHT_RANGE 20.0 /* as fokker_planck.c: cells within e^-20 of their basin's peak */

/* the centre m of cell i (or, with face = a, of its face towards + axis a) */
static void cell_m(int k, long n, const long *stride, long i, int face, double *m)
{
    double h = 2.0 / (double)n;
    for (int a = 0; a < k; a++) {
        long ia = (i / stride[a]) % n;
        m[a] = a == face ? -1.0 + (double)(ia + 1) * h : -1.0 + ((double)ia + 0.5) * h;
    }
}

/* The largest change of U between two adjacent cells of one basin (grid
 * steepest ascent) where either lies within FP_WEIGHT_RANGE of its peak. */
static int max_jump(const hl_kgrid *g, double *jump, long *where)
{
    long N = hl_kgrid_cells(g), stride[HL_KGRID_MAX];
    long *lab = malloc(sizeof(long) * (size_t)N);
    if (!lab)
        return hl_fail(HL_ENOMEM, "out of memory (%ld cells)", N);
    hl_kgrid_ascent(g, lab);
    hl_kgrid_strides(g, stride);
    const double *u = g->ln_pi;
    double jm = 0;
    long wm = -1;
    for (long c = 0; c < N; c++)
        for (int a = 0; a < g->k; a++) {
            if ((c / stride[a]) % g->n[a] >= g->n[a] - 1)
                continue;
            long o = c + stride[a];
            if (lab[o] != lab[c] || fmax(u[c], u[o]) < u[lab[c]] - FP_WEIGHT_RANGE)
                continue;
            double dj = fabs(u[o] - u[c]);
            if (dj > jm) {
                jm = dj;
                wm = u[c] >= u[o] ? c : o;
            }
        }
    free(lab);
    *jump = jm;
    *where = wm;
    return HL_OK;
}

int hl_fp_blocks_chain(const hl_blocks *b, double beta, long grid, hl_chain **out,
                       hl_fp_blocks_info *info)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_fp_blocks_chain: out is NULL");
    *out = NULL;
    if (!b)
        return hl_fail(HL_EINVAL, "hl_fp_blocks_chain: the model is NULL");
    int k = hl_blocks_k(b);
    if (k > HL_FP_BLOCKS_MAX)
        return hl_fail(HL_EINVAL, "the Fokker-Planck equation is solved for at most %d blocks "
                                  "(the model has %d)",
                       HL_FP_BLOCKS_MAX, k);
    if (!isfinite(beta) || !(beta > 0) || beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is not in (0, 1e6]", beta);
    if (grid < HL_FP_GRID_MIN || grid > HL_FP_GRID_MAX)
        return hl_fail(HL_EDOM, "grid = %ld cells per axis is not in [%ld, %ld]", grid,
                       HL_FP_GRID_MIN, HL_FP_GRID_MAX);
    hl_kgrid g;
    memset(&g, 0, sizeof g);
    g.k = k;
    for (int a = 0; a < k; a++)
        g.n[a] = grid;
    long N = hl_kgrid_cells(&g), stride[HL_KGRID_MAX];
    if (N < 0 || N > HL_FP_BLOCKS_CELLS_MAX)
        return hl_fail(HL_EDOM, "a grid of %ld cells per axis in %d dimensions is above %ld "
                                "cells",
                       grid, k, HL_FP_BLOCKS_CELLS_MAX);
    hl_kgrid_strides(&g, stride);
    int st = HL_OK;
    g.ln_pi = malloc(sizeof(double) * (size_t)N);
    for (int a = 0; a < k; a++)
        g.ln_c[a] = malloc(sizeof(double) * (size_t)N);
    for (int a = 0; a < k && !st; a++)
        if (!g.ln_c[a])
            st = hl_fail(HL_ENOMEM, "out of memory (Fokker-Planck grid of %ld cells)", N);
    if (!g.ln_pi && !st)
        st = hl_fail(HL_ENOMEM, "out of memory (Fokker-Planck grid of %ld cells)", N);
    double D = (double)hl_blocks_dim(b), T = 1.0 / beta, h = 2.0 / (double)grid;
    double m[HL_FP_BLOCKS_MAX];
    /* U = D (w - beta phi) at the cell centres */
    for (long i = 0; i < N && !st; i++) {
        cell_m(k, grid, stride, i, -1, m);
        double w = hl_blocks_w(b, m, NULL, NULL), phi = hl_blocks_phi(b, m);
        g.ln_pi[i] = D * w - beta * D * phi;
        if (!isfinite(g.ln_pi[i]))
            st = hl_fail(HL_ERANGE, "phi or w is not finite at the cell centre m1 = %g (phi = "
                                    "%g, w = %g)",
                         m[0], phi, w);
    }
    /* conductances K / h^2 times the Scharfetter-Gummel factor at each face */
    for (int a = 0; a < k && !st; a++) {
        double Di = (double)hl_blocks_size(b, a);
        for (long i = 0; i < N && !st; i++) {
            g.ln_c[a][i] = -INFINITY;
            if ((i / stride[a]) % grid >= grid - 1)
                continue;
            cell_m(k, grid, stride, i, a, m);
            double B = hl_blocks_transmission(b, m, T);
            if (!(B > 0 && isfinite(B))) {
                st = hl_fail(HL_EDOM, "transmission B = %g is not positive and finite at m%d "
                                      "= %.9g (T = %g), a face of the Fokker-Planck grid",
                             B, a + 1, m[a], T);
                break;
            }
            double K = 2.0 * B / Di * sqrt(fmax(0.0, (1 - m[a]) * (1 + m[a])));
            if (K > 0)
                g.ln_c[a][i] = log(K) - 2.0 * log(h) +
                               hl_ln_sg_factor(g.ln_pi[i + stride[a]] - g.ln_pi[i]);
        }
    }
    double jump = 0;
    long where = -1;
    if (!st)
        st = max_jump(&g, &jump, &where);
    if (info) {
        memset(info, 0, sizeof *info);
        info->grid = grid;
        info->cells = N;
        info->max_ln_jump = jump;
        for (int a = 0; a < HL_FP_BLOCKS_MAX; a++)
            info->jump_m[a] = NAN;
        if (where >= 0)
            cell_m(k, grid, stride, where, -1, info->jump_m);
    }
    if (!st && jump > HL_FP_JUMP_MAX) {
        double need = ceil((double)grid * jump / HL_FP_JUMP_WARN);
        st = hl_fail(HL_ERANGE, "the grid does not resolve the distribution at D = %ld: ln P "
                                "changes by %.3g between adjacent cells (at most %g); it needs "
                                "about %.0f cells per axis",
                     hl_blocks_dim(b), jump, HL_FP_JUMP_MAX, need);
    }
    if (!st)
        st = hl_kgrid_to_chain(&g, out);
    free(g.ln_pi);
    for (int a = 0; a < k; a++)
        free(g.ln_c[a]);
    return st;
}
