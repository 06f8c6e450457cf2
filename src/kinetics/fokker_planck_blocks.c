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
#include <stdio.h>

#include "blocks_basin.h"
#include "kgrid.h"
#include "kinetics_private.h"

#define FP_WEIGHT_RANGE 20.0 /* as fokker_planck.c: cells within e^-20 of their basin's peak */

void hl_fpb_cell_m(const hl_fpb_grid *g, long i, int face, double *m)
{
    for (int a = 0; a < g->k; a++) {
        long ia = (i / g->stride[a]) % g->n;
        m[a] = a == face ? g->lo[a] + (double)(ia + 1) * g->hs[a]
                         : g->lo[a] + ((double)ia + 0.5) * g->hs[a];
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
            if (lab[c] < 0 || lab[o] != lab[c] || fmax(u[c], u[o]) < u[lab[c]] - FP_WEIGHT_RANGE)
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
    free(g->ulin);
    free(g->keep);
    for (int a = 0; a < HL_FP_BLOCKS_MAX; a++) {
        free(g->lnk[a]);
        free(g->g.ln_c[a]);
    }
    memset(g, 0, sizeof *g);
}

int hl_fpb_grid_init(hl_fpb_grid *g, const hl_blocks *b, long grid)
{
    double lo[HL_FP_BLOCKS_MAX] = {-1, -1, -1}, hi[HL_FP_BLOCKS_MAX] = {1, 1, 1};
    return hl_fpb_grid_init_box(g, b, grid, lo, hi);
}

int hl_fpb_grid_init_box(hl_fpb_grid *g, const hl_blocks *b, long grid, const double *lo,
                         const double *hi)
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
    for (int a = 0; a < k; a++) {
        g->lo[a] = lo[a];
        g->hs[a] = lo[a] == -1.0 && hi[a] == 1.0 ? g->h : (hi[a] - lo[a]) / (double)grid;
        if (!(g->hs[a] > 0) || lo[a] < -1.0 || hi[a] > 1.0)
            return hl_fail(HL_EDOM, "the domain [%g, %g] of m%d is empty or outside [-1, 1]",
                           lo[a], hi[a], a + 1);
    }
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
                g->lnk[a][i] = log(K) - 2.0 * log(g->hs[a]);
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
    /* U = D (w - beta phi) at the cell centres (or the linear form's) */
    for (long i = 0; i < N; i++) {
        g->g.ln_pi[i] = g->ulin ? g->ulin[i] : D * g->w[i] - beta * D * g->phi[i];
        if (!isfinite(g->g.ln_pi[i])) {
            double m[HL_FP_BLOCKS_MAX];
            hl_fpb_cell_m(g, i, -1, m);
            return hl_fail(HL_ERANGE, "phi or w is not finite at the cell centre m1 = %g (phi = "
                                      "%g, w = %g)",
                           m[0], g->phi[i], g->w[i]);
        }
    }
    int st;
    if (g->keep)
        for (long i = 0; i < N; i++)
            if (!g->keep[i])
                g->g.ln_pi[i] = -INFINITY;
    if (!g->ulin && (g->b_uses_t || !g->lnk_ready) && (st = face_conductances(g, 1.0 / beta)))
        return st;
    /* conductances K / h^2 times the Scharfetter-Gummel factor at each face
     * (the linear form: K frozen at the maximum) between two kept cells */
    for (int a = 0; a < g->k; a++)
        for (long i = 0; i < N; i++) {
            int inner = (i / g->stride[a]) % g->n < g->n - 1;
            double lk = !inner ? -INFINITY : g->ulin ? g->lnk_lin[a] : g->lnk[a][i];
            double u0 = g->g.ln_pi[i], u1 = inner ? g->g.ln_pi[i + g->stride[a]] : -INFINITY;
            g->g.ln_c[a][i] = lk > -INFINITY && u0 > -INFINITY && u1 > -INFINITY
                                  ? lk + hl_ln_sg_factor(u1 - u0)
                                  : -INFINITY;
        }
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
            for (int a = 0; a < HL_FP_BLOCKS_MAX; a++) {
                info->jump_m[a] = info->lo[a] = info->hi[a] = info->max_m[a] = NAN;
                if (a < g->k) {
                    info->lo[a] = g->lo[a];
                    info->hi[a] = g->lo[a] + (double)g->n * g->hs[a];
                }
            }
            for (long i = 0; i < N; i++)
                info->active += g->g.ln_pi[i] > -INFINITY;
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
    return out ? hl_kgrid_to_chain(&g->g, NULL, out) : HL_OK;
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

/* 1 if beta changes over the protocol */
static int protocol_moves(const hl_protocol *p)
{
    double b0 = hl_protocol_beta(p, 0.0);
    for (size_t r = 0; r < hl_protocol_rows(p); r++)
        if (hl_protocol_beta(p, hl_protocol_time(p, r)) != b0)
            return 1;
    return 0;
}

/* The window under a protocol (hl_fp_blocks_options): lo, hi grown to the
 * window of every maximum of f at HL_FP_PROTOCOL_SAMPLES temperatures from
 * the protocol's lowest T to its highest (T(t) is continuous and monotone
 * between rows, so it visits exactly that range). */
static int protocol_window(const hl_blocks *b, const hl_protocol *p, double window, double *lo,
                           double *hi)
{
    if (!protocol_moves(p))
        return HL_OK;
    double tlo = INFINITY, thi = 0;
    for (size_t r = 0; r < hl_protocol_rows(p); r++) {
        double T = 1.0 / hl_protocol_beta(p, hl_protocol_time(p, r));
        tlo = fmin(tlo, T);
        thi = fmax(thi, T);
    }
    int k = hl_blocks_k(b), st = HL_OK;
    hl_bstat *mx = malloc(sizeof *mx * HL_BMAXIMA_MAX);
    if (!mx)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (int s = 0; s <= HL_FP_PROTOCOL_SAMPLES; s++) {
        double T = s == HL_FP_PROTOCOL_SAMPLES
                       ? thi
                       : tlo + (thi - tlo) * (double)s / HL_FP_PROTOCOL_SAMPLES;
        size_t n = 0;
        if ((st = hl_blocks_maxima_at(b, 1.0 / T, mx, HL_BMAXIMA_MAX, &n, NULL)))
            break;
        if (n == 0) {
            st = hl_fail(HL_ENOTFOUND, "f has no maximum at T = %g, which the protocol visits: "
                                       "no window can follow the distribution there (drop "
                                       "--window: the whole cube)",
                         T);
            break;
        }
        for (size_t j = 0; j < n && j < HL_BMAXIMA_MAX; j++) {
            double cov[HL_FP_BLOCKS_MAX * HL_FP_BLOCKS_MAX];
            /* a maximum whose Hessian is singular (a fold, exactly at a
             * spinodal) has no Gaussian: the whole cube along its axes */
            int gs = hl_blocks_gaussian(b, &mx[j], NULL, cov, NULL);
            for (int a = 0; a < k; a++) {
                double r = gs ? 2.0 : window * sqrt(cov[a * k + a]);
                if (!(r >= 0))
                    r = 2.0;
                lo[a] = fmin(lo[a], fmax(-1.0, mx[j].m[a] - r));
                hi[a] = fmax(hi[a], fmin(1.0, mx[j].m[a] + r));
            }
        }
    }
    free(mx);
    return st;
}

void hl_fp_blocks_options_default(hl_fp_blocks_options *o)
{
    memset(o, 0, sizeof *o);
    o->form = HL_FP_FULL;
    o->grid = 200;
}

static void grid_pos(const void *ctx, long i, double *m) { hl_fpb_cell_m(ctx, i, -1, m); }

int hl_fpb_grid_setup(hl_fpb_grid *g, const hl_blocks *b, double beta,
                      const hl_fp_blocks_options *opt, hl_fp_blocks_info *where)
{
    memset(g, 0, sizeof *g);
    if (!b || !opt)
        return hl_fail(HL_EINVAL, "Fokker-Planck options: NULL argument");
    int k = hl_blocks_k(b);
    if (k > HL_FP_BLOCKS_MAX)
        return hl_fail(HL_EINVAL, "the Fokker-Planck equation is solved for at most %d blocks "
                                  "(the model has %d)",
                       HL_FP_BLOCKS_MAX, k);
    if (!isfinite(beta) || !(beta > 0) || beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is not in (0, 1e6]", beta);
    if (opt->form != HL_FP_FULL && opt->form != HL_FP_LINEAR)
        return hl_fail(HL_EINVAL, "unknown Fokker-Planck form %d", opt->form);
    if (opt->in_basin != 0 && opt->in_basin != HL_FP_BASIN && opt->in_basin != HL_FP_CORE)
        return hl_fail(HL_EINVAL, "in_basin = %d is not 0, HL_FP_BASIN or HL_FP_CORE",
                       opt->in_basin);
    if (!isfinite(opt->window) || opt->window < 0)
        return hl_fail(HL_EINVAL, "window = %g standard deviations is not >= 0", opt->window);
    int need = opt->form == HL_FP_LINEAR || opt->window > 0 || opt->in_basin;
    if (opt->protocol && (opt->form == HL_FP_LINEAR || opt->in_basin) &&
        protocol_moves(opt->protocol))
        return hl_fail(HL_EDOM, "the linear form and a basin are built around one maximum at "
                                "one beta: the protocol must keep beta fixed");
    if (need && !opt->branch && !opt->use_point)
        return hl_fail(HL_EINVAL, "the linear form, a window and a basin need a maximum (a "
                                  "branch name or a point)");
    if (need && !opt->branch)
        for (int a = 0; a < k; a++)
            if (!(opt->at[a] >= -1 && opt->at[a] <= 1))
                return hl_fail(HL_EDOM, "the point m%d = %g is not in [-1, 1]", a + 1,
                               opt->at[a]);
    hl_bmaxima *mx = need ? malloc(sizeof *mx) : NULL;
    if (need && !mx)
        return hl_fail(HL_ENOMEM, "out of memory");
    double lo[HL_FP_BLOCKS_MAX] = {-1, -1, -1}, hi[HL_FP_BLOCKS_MAX] = {1, 1, 1};
    double E[HL_FP_BLOCKS_MAX * HL_FP_BLOCKS_MAX], cov[HL_FP_BLOCKS_MAX * HL_FP_BLOCKS_MAX];
    const hl_bstat *m0 = NULL;
    int st = HL_OK;
    if (need) {
        if ((st = hl_bmaxima_get(b, beta, opt->branch, opt->use_point ? opt->at : NULL, mx)))
            goto done;
        m0 = &mx->mx[mx->chosen];
        if ((st = hl_blocks_gaussian(b, m0, E, cov, NULL)))
            goto done;
    }
    if (opt->window > 0)
        for (int a = 0; a < k; a++) {
            double r = opt->window * sqrt(cov[a * k + a]);
            lo[a] = fmax(-1.0, m0->m[a] - r);
            hi[a] = fmin(1.0, m0->m[a] + r);
        }
    if (opt->window > 0 && opt->protocol &&
        (st = protocol_window(b, opt->protocol, opt->window, lo, hi)))
        goto done;
    if ((st = hl_fpb_grid_init_box(g, b, opt->grid, lo, hi)))
        goto done;
    long N = g->N;
    if (opt->form == HL_FP_LINEAR) {
        if (!(g->ulin = malloc(sizeof(double) * (size_t)N))) {
            st = hl_fail(HL_ENOMEM, "out of memory (%ld cells)", N);
            goto done;
        }
        double m[HL_FP_BLOCKS_MAX], dm[HL_FP_BLOCKS_MAX];
        for (long i = 0; i < N; i++) {
            hl_fpb_cell_m(g, i, -1, m);
            double q = 0;
            for (int a = 0; a < k; a++)
                dm[a] = m[a] - m0->m[a];
            for (int a = 0; a < k; a++)
                for (int c = 0; c < k; c++)
                    q += dm[a] * E[a * k + c] * dm[c];
            g->ulin[i] = -g->D * q;
        }
        double B = hl_blocks_transmission(b, m0->m, 1.0 / beta);
        if (!(B > 0 && isfinite(B))) {
            st = hl_fail(HL_EDOM, "transmission B = %g at the maximum is not positive and finite",
                         B);
            goto done;
        }
        for (int a = 0; a < k; a++) {
            double K = 2.0 * B / (double)hl_blocks_size(b, a) *
                       sqrt(fmax(0.0, (1 - m0->m[a]) * (1 + m0->m[a])));
            g->lnk_lin[a] = log(K) - 2.0 * log(g->hs[a]);
        }
    }
    long active = N;
    if (opt->in_basin) {
        if ((st = hl_fpb_grid_fill(g, beta, 0, NULL, NULL)))
            goto done;
        if (!(g->keep = malloc((size_t)N))) {
            st = hl_fail(HL_ENOMEM, "out of memory (%ld cells)", N);
            goto done;
        }
        if ((st = hl_bbasin_mask(b, beta, &g->g, grid_pos, g, mx, opt->in_basin == HL_FP_CORE,
                                 g->keep, &active)))
            goto done;
    }
    if (where) {
        memset(where, 0, sizeof *where);
        where->active = active;
        for (int a = 0; a < HL_FP_BLOCKS_MAX; a++)
            where->max_m[a] = m0 && a < k ? m0->m[a] : NAN;
        if (m0)
            snprintf(where->branch, sizeof where->branch, "%s", mx->names[mx->chosen]);
    }
done:
    if (st)
        hl_fpb_grid_free(g);
    free(mx);
    return st;
}

int hl_fpb_grid_protocol_resolved(hl_fpb_grid *g, const hl_protocol *p)
{
    /* the largest jump of U = D (w - beta phi) between adjacent cells is
     * convex in beta (a maximum of |a - beta b|), so over a monotone piece
     * of the protocol it is largest at an end: a row */
    for (size_t r = 0; r < hl_protocol_rows(p); r++) {
        double br = hl_protocol_beta(p, hl_protocol_time(p, r));
        int st = hl_fpb_grid_fill(g, br, 1, NULL, NULL);
        if (st == HL_ERANGE) {
            char msg[400];
            snprintf(msg, sizeof msg, "%s", hl_errmsg());
            return hl_fail(HL_ERANGE, "at T = %g (protocol row %zu, t = %g): %s", 1.0 / br,
                           r + 1, hl_protocol_time(p, r), msg);
        }
        if (st)
            return st;
    }
    return HL_OK;
}

int hl_fp_blocks_chain_opt(const hl_blocks *b, double beta, const hl_fp_blocks_options *opt,
                           hl_chain **out, long *state, hl_fp_blocks_info *info)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_fp_blocks_chain_opt: out is NULL");
    *out = NULL;
    hl_fpb_grid g;
    hl_fp_blocks_info where, fi;
    int st = hl_fpb_grid_setup(&g, b, beta, opt, &where);
    if (st)
        return st;
    long N = g.N;
    if (opt->protocol && protocol_moves(opt->protocol) &&
        (st = hl_fpb_grid_protocol_resolved(&g, opt->protocol)))
        goto done;
    if ((st = hl_fpb_grid_fill(&g, beta, 1, NULL, &fi)))
        goto done;
    long *map = state ? state : g.keep ? malloc(sizeof(long) * (size_t)N) : NULL;
    if (g.keep && !map) {
        st = hl_fail(HL_ENOMEM, "out of memory (%ld cells)", N);
        goto done;
    }
    st = hl_kgrid_to_chain(&g.g, map, out);
    if (map != state)
        free(map);
    if (st)
        goto done;
    if (info) {
        *info = fi;
        info->active = where.active;
        memcpy(info->branch, where.branch, sizeof info->branch);
        memcpy(info->max_m, where.max_m, sizeof info->max_m);
    }
done:
    hl_fpb_grid_free(&g);
    return st;
}
