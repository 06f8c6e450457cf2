/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fokker_planck_blocks.c -- eq 5.9 in the k block magnetisations of
 * blocks.h (k <= 3): cell-centred finite volumes with Scharfetter-Gummel
 * fluxes on the k-dimensional grid of kgrid.h, tabulated once
 * (fp_blocks_grid.h) and returned at a beta as a public reversible chain
 * (fokker_planck.h, hl_fp_blocks_chain). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fp_blocks_grid.h"
#include "hyperland/fokker_planck.h"
#include "kgrid.h"
#include "kinetics_private.h"

#define FP_WEIGHT_RANGE 20.0 /* as fokker_planck.c: cells within e^-20 of their basin's peak */

void hl_fpb_cell_m(const hl_fpb_grid *g, long i, int face, double *m)
{
    for (int a = 0; a < g->k; a++) {
        long ia = (i / g->stride[a]) % g->n;
        m[a] = a == face ? -1.0 + (double)(ia + 1) * g->h : -1.0 + ((double)ia + 0.5) * g->h;
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

void hl_fpb_grid_free(hl_fpb_grid *g)
{
    if (!g)
        return;
    free(g->w);
    free(g->phi);
    free(g->g.ln_pi);
    for (int a = 0; a < HL_FP_BLOCKS_MAX; a++) {
        free(g->lnk[a]);
        free(g->g.ln_c[a]);
    }
    memset(g, 0, sizeof *g);
}

int hl_fpb_grid_init(hl_fpb_grid *g, const hl_blocks *b, long grid)
{
    memset(g, 0, sizeof *g);
    int k = hl_blocks_k(b);
    if (k > HL_FP_BLOCKS_MAX)
        return hl_fail(HL_EINVAL, "the Fokker-Planck equation is solved for at most %d blocks "
                                  "(the model has %d)",
                       HL_FP_BLOCKS_MAX, k);
    if (grid < HL_FP_GRID_MIN || grid > HL_FP_GRID_MAX)
        return hl_fail(HL_EDOM, "grid = %ld cells per axis is not in [%ld, %ld]", grid,
                       HL_FP_GRID_MIN, HL_FP_GRID_MAX);
    g->b = b;
    g->k = k;
    g->n = grid;
    g->g.k = k;
    for (int a = 0; a < k; a++)
        g->g.n[a] = grid;
    long N = hl_kgrid_cells(&g->g);
    if (N < 0 || N > HL_FP_BLOCKS_CELLS_MAX)
        return hl_fail(HL_EDOM, "a grid of %ld cells per axis in %d dimensions is above %ld "
                                "cells",
                       grid, k, HL_FP_BLOCKS_CELLS_MAX);
    g->N = N;
    hl_kgrid_strides(&g->g, g->stride);
    g->h = 2.0 / (double)grid;
    g->D = (double)hl_blocks_dim(b);
    g->b_uses_t = hl_blocks_transmission_uses_t(b);
    g->w = malloc(sizeof(double) * (size_t)N);
    g->phi = malloc(sizeof(double) * (size_t)N);
    g->g.ln_pi = malloc(sizeof(double) * (size_t)N);
    int st = g->w && g->phi && g->g.ln_pi ? HL_OK : HL_ENOMEM;
    for (int a = 0; a < k && !st; a++) {
        g->lnk[a] = malloc(sizeof(double) * (size_t)N);
        g->g.ln_c[a] = malloc(sizeof(double) * (size_t)N);
        if (!g->lnk[a] || !g->g.ln_c[a])
            st = HL_ENOMEM;
    }
    if (st) {
        hl_fpb_grid_free(g);
        return hl_fail(HL_ENOMEM, "out of memory (Fokker-Planck grid of %ld cells)", N);
    }
    double m[HL_FP_BLOCKS_MAX];
    for (long i = 0; i < N; i++) {
        hl_fpb_cell_m(g, i, -1, m);
        g->w[i] = hl_blocks_w(b, m, NULL, NULL);
        g->phi[i] = hl_blocks_phi(b, m);
        if (!isfinite(g->w[i]) || !isfinite(g->phi[i])) {
            st = hl_fail(HL_ERANGE, "phi or w is not finite at the cell centre m1 = %g (phi = "
                                    "%g, w = %g)",
                         m[0], g->phi[i], g->w[i]);
            hl_fpb_grid_free(g);
            return st;
        }
    }
    return HL_OK;
}

/* ln (K / h^2) at every face at temperature T, K = (2 B / D_i) sqrt(1 - m_i^2) */
static int face_conductances(hl_fpb_grid *g, double T)
{
    double m[HL_FP_BLOCKS_MAX];
    for (int a = 0; a < g->k; a++) {
        double Di = (double)hl_blocks_size(g->b, a);
        for (long i = 0; i < g->N; i++) {
            g->lnk[a][i] = -INFINITY;
            if ((i / g->stride[a]) % g->n >= g->n - 1)
                continue;
            hl_fpb_cell_m(g, i, a, m);
            double B = hl_blocks_transmission(g->b, m, T);
            if (!(B > 0 && isfinite(B)))
                return hl_fail(HL_EDOM, "transmission B = %g is not positive and finite at m%d "
                                        "= %.9g (T = %g), a face of the Fokker-Planck grid",
                               B, a + 1, m[a], T);
            double K = 2.0 * B / Di * sqrt(fmax(0.0, (1 - m[a]) * (1 + m[a])));
            if (K > 0)
                g->lnk[a][i] = log(K) - 2.0 * log(g->h);
        }
    }
    g->lnk_ready = 1;
    return HL_OK;
}

int hl_fpb_grid_fill(hl_fpb_grid *g, double beta, int check, hl_chain **out,
                     hl_fp_blocks_info *info)
{
    if (out)
        *out = NULL;
    if (!isfinite(beta) || !(beta > 0) || beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is not in (0, 1e6]", beta);
    long N = g->N;
    double D = g->D;
    /* U = D (w - beta phi) at the cell centres */
    for (long i = 0; i < N; i++) {
        g->g.ln_pi[i] = D * g->w[i] - beta * D * g->phi[i];
        if (!isfinite(g->g.ln_pi[i])) {
            double m[HL_FP_BLOCKS_MAX];
            hl_fpb_cell_m(g, i, -1, m);
            return hl_fail(HL_ERANGE, "phi or w is not finite at the cell centre m1 = %g (phi = "
                                      "%g, w = %g)",
                           m[0], g->phi[i], g->w[i]);
        }
    }
    int st;
    if ((g->b_uses_t || !g->lnk_ready) && (st = face_conductances(g, 1.0 / beta)))
        return st;
    /* conductances K / h^2 times the Scharfetter-Gummel factor at each face */
    for (int a = 0; a < g->k; a++)
        for (long i = 0; i < N; i++)
            g->g.ln_c[a][i] = g->lnk[a][i] > -INFINITY
                                  ? g->lnk[a][i] + hl_ln_sg_factor(g->g.ln_pi[i + g->stride[a]] -
                                                                   g->g.ln_pi[i])
                                  : -INFINITY;
    if (check) {
        double jump = 0;
        long where = -1;
        if ((st = max_jump(&g->g, &jump, &where)))
            return st;
        if (info) {
            memset(info, 0, sizeof *info);
            info->grid = g->n;
            info->cells = N;
            info->max_ln_jump = jump;
            for (int a = 0; a < HL_FP_BLOCKS_MAX; a++)
                info->jump_m[a] = NAN;
            if (where >= 0)
                hl_fpb_cell_m(g, where, -1, info->jump_m);
        }
        if (jump > HL_FP_JUMP_MAX) {
            double need = ceil((double)g->n * jump / HL_FP_JUMP_WARN);
            return hl_fail(HL_ERANGE, "the grid does not resolve the distribution at D = %ld: "
                                      "ln P changes by %.3g between adjacent cells (at most %g); "
                                      "it needs about %.0f cells per axis",
                           hl_blocks_dim(g->b), jump, HL_FP_JUMP_MAX, need);
        }
    }
    return out ? hl_kgrid_to_chain(&g->g, out) : HL_OK;
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
    hl_fpb_grid g;
    int st = hl_fpb_grid_init(&g, b, grid);
    if (st)
        return st;
    st = hl_fpb_grid_fill(&g, beta, 1, out, info);
    hl_fpb_grid_free(&g);
    return st;
}
