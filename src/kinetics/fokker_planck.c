/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fokker_planck.c -- eq 5.9 on the square in (s, d) = (x + y, x - y):
 * cell-centred finite volumes with Scharfetter-Gummel fluxes, carried as a
 * reversible chain on the cells (gridchain.h) for the spectrum and the
 * time evolution.  See fokker_planck.h and docs/fokker_planck.md. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridchain.h"
#include "hyperland/fokker_planck.h"
#include "kinetics_private.h"
#include "timing.h"

struct hl_fp {
    const hl_model *m;
    long dim;
    double beta;
    hl_fp_options opt;
    char branch[16];
    long n;                        /* cells per axis                       */
    double s_lo, s_hi, d_lo, d_hi; /* domain                               */
    double hs, hd;                 /* cell sizes                           */
    int has_g;
    hl_gaussian g;                 /* the maximum (linear form, window)    */
    double *Dw, *Dphi;             /* per cell: D w, D phi (full form)      */
    double *Ulin;                  /* per cell: U of the linear form        */
    unsigned char *keep;           /* in_basin mask or NULL                 */
    double fill_beta;              /* beta of the chain's current content   */
    double jump, jump_x, jump_y;   /* hl_fp_resolution                      */
    hl_gridchain ch;
};

void hl_fp_options_default(hl_fp_options *o)
{
    memset(o, 0, sizeof *o);
    o->form = HL_FP_FULL;
    o->grid = 200;
}

static double cell_s(const hl_fp *fp, long i) { return fp->s_lo + (i + 0.5) * fp->hs; }
static double cell_d(const hl_fp *fp, long j) { return fp->d_lo + (j + 0.5) * fp->hd; }

/* (x, y) of cell i (hl_cell_pos_fn) */
static void cell_pos(const void *ctx, long i, double *x, double *y)
{
    const hl_fp *fp = ctx;
    double s = cell_s(fp, i / fp->n), d = cell_d(fp, i % fp->n);
    *x = 0.5 * (s + d);
    *y = 0.5 * (s - d);
}

/* U on every cell at beta (full form) or the linear form's U */
static double cell_u(const hl_fp *fp, long i, double beta)
{
    if (fp->opt.form == HL_FP_LINEAR)
        return fp->Ulin[i];
    return fp->Dw[i] - beta * fp->Dphi[i];
}

/* Fill the chain at beta: ln pi = U, conductances K / h^2 times the
 * Scharfetter-Gummel factor, K = (4 B / D) sqrt(1 - s^2) at the face. */
static int fp_fill(void *ctx, double beta, hl_gridchain *g)
{
    hl_fp *fp = ctx;
    long n = fp->n;
    double D = (double)fp->dim, T = 1.0 / beta;
    int lin = fp->opt.form == HL_FP_LINEAR;
    int bconst = hl_model_transmission_is_default(fp->m);
    double ks_lin = 0, kd_lin = 0;
    if (lin) {
        double sm = fp->g.x + fp->g.y, dm = fp->g.x - fp->g.y;
        ks_lin = 4.0 * fp->g.transmission / D * sqrt(fmax(0.0, (1 - sm) * (1 + sm)));
        kd_lin = 4.0 * fp->g.transmission / D * sqrt(fmax(0.0, (1 - dm) * (1 + dm)));
    }
    for (long i = 0; i < n * n; i++)
        g->ln_pi[i] = cell_u(fp, i, beta);
    double lhs = 2.0 * log(fp->hs), lhd = 2.0 * log(fp->hd);
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            long c = i * n + j;
            g->ln_c1[c] = -INFINITY;
            g->ln_c2[c] = -INFINITY;
            double s = cell_s(fp, i), d = cell_d(fp, j);
            if (i + 1 < n) { /* face at s_f between (i, j) and (i+1, j) */
                double sf = fp->s_lo + (i + 1) * fp->hs;
                double K = ks_lin;
                if (!lin) {
                    double B = bconst ? 1.0 : hl_model_transmission(fp->m, 0.5 * (sf + d), 0.5 * (sf - d), T);
                    if (!(B > 0 && isfinite(B)))
                        return hl_fail(HL_EDOM, "transmission B = %g is not positive and finite "
                                                "at (x, y, T) = (%.9g, %.9g, %.9g), a face of "
                                                "the Fokker-Planck grid",
                                       B, 0.5 * (sf + d), 0.5 * (sf - d), T);
                    K = 4.0 * B / D * sqrt(fmax(0.0, (1 - sf) * (1 + sf)));
                }
                if (K > 0)
                    g->ln_c1[c] = log(K) - lhs + hl_ln_sg_factor(g->ln_pi[c + n] - g->ln_pi[c]);
            }
            if (j + 1 < n) {
                double df = fp->d_lo + (j + 1) * fp->hd;
                double K = kd_lin;
                if (!lin) {
                    double B = bconst ? 1.0 : hl_model_transmission(fp->m, 0.5 * (s + df), 0.5 * (s - df), T);
                    if (!(B > 0 && isfinite(B)))
                        return hl_fail(HL_EDOM, "transmission B = %g is not positive and finite "
                                                "at (x, y, T) = (%.9g, %.9g, %.9g), a face of "
                                                "the Fokker-Planck grid",
                                       B, 0.5 * (s + df), 0.5 * (s - df), T);
                    K = 4.0 * B / D * sqrt(fmax(0.0, (1 - df) * (1 + df)));
                }
                if (K > 0)
                    g->ln_c2[c] = log(K) - lhd + hl_ln_sg_factor(g->ln_pi[c + 1] - g->ln_pi[c]);
            }
        }
    if (fp->keep)
        hl_gridchain_restrict(g, fp->keep);
    for (long i = 0; i < n * n; i++)
        if (isnan(g->ln_pi[i]) || isnan(g->ln_c1[i]) || isnan(g->ln_c2[i]))
            return hl_fail(HL_ERANGE, "Fokker-Planck coefficients are not finite at beta = %g "
                                      "(check phi and the transmission)", beta);
    fp->fill_beta = beta;
    return HL_OK;
}

void hl_fp_free(hl_fp *fp)
{
    if (!fp)
        return;
    free(fp->Dw);
    free(fp->Dphi);
    free(fp->Ulin);
    free(fp->keep);
    hl_gridchain_free(&fp->ch);
    free(fp);
}

const hl_gaussian *hl_fp_gaussian(const hl_fp *fp) { return fp->has_g ? &fp->g : NULL; }

void hl_fp_grid(const hl_fp *fp, long *n, double *s_lo, double *s_hi, double *d_lo,
                double *d_hi, long *active)
{
    if (n) *n = fp->n;
    if (s_lo) *s_lo = fp->s_lo;
    if (s_hi) *s_hi = fp->s_hi;
    if (d_lo) *d_lo = fp->d_lo;
    if (d_hi) *d_hi = fp->d_hi;
    if (active) {
        long a = 0;
        for (long i = 0; i < fp->n * fp->n; i++)
            a += !fp->keep || fp->keep[i];
        *active = a;
    }
}

static int check_beta(double beta)
{
    if (!isfinite(beta) || !(beta > 0) || beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is not in (0, 1e6]", beta);
    return HL_OK;
}

/* The basin mask: cells whose steepest ascent of U ends at a grid maximum
 * named like the branch. */
static int basin_mask(hl_fp *fp)
{
    long n = fp->n, N = n * n;
    double *u = malloc(sizeof(double) * (size_t)N);
    long *lab = malloc(sizeof(long) * (size_t)N);
    const char **names = malloc(sizeof(char *) * (size_t)N);
    hl_named_maxima *c = malloc(sizeof *c);
    fp->keep = calloc((size_t)N, 1);
    int st = HL_OK;
    if (!u || !lab || !names || !c || !fp->keep)
        st = hl_fail(HL_ENOMEM, "out of memory (grid %ld)", n);
    if (!st)
        st = hl_named_maxima_get(fp->m, fp->beta, c);
    if (!st) {
        for (long i = 0; i < N; i++)
            u[i] = cell_u(fp, i, fp->beta);
        hl_name_ascent(c, u, n, cell_pos, fp, lab, names);
        long kept = 0, seed = -1;
        for (long i = 0; i < N; i++)
            if ((fp->keep[i] = names[i] && !strcmp(names[i], fp->branch))) {
                kept++;
                if (seed < 0 || u[i] > u[seed])
                    seed = i;
            }
        if (kept < 2)
            st = hl_fail(HL_ENOTFOUND, "the '%s' basin has %ld cells on the grid", fp->branch, kept);
        if (!st && fp->opt.in_basin == HL_FP_CORE)
            st = hl_core_mask(fp->m, fp->beta, n, n, cell_pos, fp, seed, fp->keep);
    }
    free(u);
    free(lab);
    free(names);
    free(c);
    return st;
}

/* How well the grid resolves the distribution: the largest change of
 * ln pi = U between two adjacent cells of one basin (steepest ascent of U
 * on the grid) where either carries weight, i.e. lies within
 * FP_WEIGHT_RANGE of its basin's maximum.  A Gaussian of width sigma on
 * cells of width h changes by about 3 h / sigma there, 3 sigma from its
 * centre.  Cells outside the kept region: u = -inf. */
#define FP_WEIGHT_RANGE 20.0
static int fp_max_jump(long n, const double *u, double *jump, long *where)
{
    long N = n * n;
    long *lab = malloc(sizeof(long) * (size_t)N);
    if (!lab)
        return hl_fail(HL_ENOMEM, "out of memory");
    hl_ascent_2d(u, n - 1, lab);
    double jm = 0;
    long wm = -1;
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            long c = i * n + j;
            if (!(u[c] > -INFINITY))
                continue;
            double top = u[lab[c]] - FP_WEIGHT_RANGE;
            long nb[2] = {i + 1 < n ? c + n : -1, j + 1 < n ? c + 1 : -1};
            for (int e = 0; e < 2; e++) {
                long o = nb[e];
                if (o < 0 || !(u[o] > -INFINITY) || lab[o] != lab[c] ||
                    fmax(u[c], u[o]) < top)
                    continue;
                double dj = fabs(u[o] - u[c]);
                if (dj > jm) {
                    jm = dj;
                    wm = fmax(u[c], u[o]) == u[c] ? c : o;
                }
            }
        }
    free(lab);
    *jump = jm;
    *where = wm;
    return HL_OK;
}

/* Refuse a grid that does not resolve the distribution (see
 * hl_fp_resolution); keep the measure for the caller. */
static int fp_check_resolution(hl_fp *fp)
{
    long n = fp->n, N = n * n;
    double *u = malloc(sizeof(double) * (size_t)N);
    if (!u)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (long i = 0; i < N; i++)
        u[i] = fp->keep && !fp->keep[i] ? -INFINITY : cell_u(fp, i, fp->beta);
    long where = -1;
    int st = fp_max_jump(n, u, &fp->jump, &where);
    free(u);
    if (st)
        return st;
    fp->jump_x = fp->jump_y = NAN;
    if (where >= 0)
        cell_pos(fp, where, &fp->jump_x, &fp->jump_y);
    if (fp->jump > HL_FP_JUMP_MAX) {
        double need = ceil((double)n * fp->jump / HL_FP_JUMP_WARN);
        if (need <= (double)HL_FP_GRID_MAX)
            return hl_fail(HL_ERANGE, "the grid does not resolve the distribution at D = %ld: "
                                      "ln P changes by %.3g between adjacent cells near (x, y) = "
                                      "(%.4f, %.4f) (at most %g); use --grid %.0f or more, or a "
                                      "window around one maximum (--window K --branch NAME)",
                           fp->dim, fp->jump, fp->jump_x, fp->jump_y, HL_FP_JUMP_MAX, need);
        return hl_fail(HL_ERANGE, "the grid does not resolve the distribution at D = %ld: "
                                  "ln P changes by %.3g between adjacent cells near (x, y) = "
                                  "(%.4f, %.4f) (at most %g); it would need about %.0f cells per "
                                  "axis (at most %ld): use a window around one maximum "
                                  "(--window K --branch NAME)",
                       fp->dim, fp->jump, fp->jump_x, fp->jump_y, HL_FP_JUMP_MAX, need,
                       HL_FP_GRID_MAX);
    }
    return HL_OK;
}

void hl_fp_resolution(const hl_fp *fp, double *jump, double *x, double *y)
{
    if (jump) *jump = fp->jump;
    if (x) *x = fp->jump_x;
    if (y) *y = fp->jump_y;
}

int hl_fp_create(const hl_model *m, long dim, double beta, const hl_fp_options *opt,
                 hl_fp **out)
{
    *out = NULL;
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if ((st = check_beta(beta)))
        return st;
    if (!opt)
        return hl_fail(HL_EINVAL, "Fokker-Planck options are NULL");
    if (opt->form != HL_FP_FULL && opt->form != HL_FP_LINEAR)
        return hl_fail(HL_EDOM, "unknown Fokker-Planck form %d", opt->form);
    if (opt->grid < HL_FP_GRID_MIN || opt->grid > HL_FP_GRID_MAX)
        return hl_fail(HL_EDOM, "grid = %ld cells per axis is not in [%ld, %ld]", opt->grid,
                       HL_FP_GRID_MIN, HL_FP_GRID_MAX);
    if (!isfinite(opt->window) || opt->window < 0)
        return hl_fail(HL_EDOM, "window = %g standard deviations is not >= 0", opt->window);
    if ((st = hl_model_check_transmission(m, 1.0 / beta)))
        return st;
    int need_g = opt->form == HL_FP_LINEAR || opt->window > 0 || opt->in_basin;
    if (need_g && !opt->branch && !opt->use_point)
        return hl_fail(HL_EINVAL, "the linear form, a window and a basin need a maximum "
                                  "(a branch name or a point)");
    hl_fp *fp = calloc(1, sizeof *fp);
    if (!fp)
        return hl_fail(HL_ENOMEM, "out of memory");
    fp->m = m;
    fp->dim = dim;
    fp->beta = beta;
    fp->opt = *opt;
    fp->opt.branch = NULL;
    fp->n = opt->grid;
    fp->fill_beta = NAN;
    if (need_g) {
        st = opt->use_point ? hl_gaussian_at(m, dim, beta, opt->at_x, opt->at_y, &fp->g)
                            : hl_gaussian_branch(m, dim, beta, opt->branch, &fp->g);
        if (st)
            goto fail;
        fp->has_g = 1;
        snprintf(fp->branch, sizeof fp->branch, "%s", fp->g.name);
    }
    fp->s_lo = fp->d_lo = -1;
    fp->s_hi = fp->d_hi = 1;
    if (opt->window > 0) {
        double vs = fp->g.cov_xx + 2 * fp->g.cov_xy + fp->g.cov_yy;
        double vd = fp->g.cov_xx - 2 * fp->g.cov_xy + fp->g.cov_yy;
        double sm = fp->g.x + fp->g.y, dm = fp->g.x - fp->g.y;
        double rs = opt->window * sqrt(vs), rd = opt->window * sqrt(vd);
        fp->s_lo = fmax(-1.0, sm - rs);
        fp->s_hi = fmin(1.0, sm + rs);
        fp->d_lo = fmax(-1.0, dm - rd);
        fp->d_hi = fmin(1.0, dm + rd);
    }
    long n = fp->n, N = n * n;
    fp->hs = (fp->s_hi - fp->s_lo) / (double)n;
    fp->hd = (fp->d_hi - fp->d_lo) / (double)n;
    if (!(fp->hs > 0) || !(fp->hd > 0)) {
        st = hl_fail(HL_EDOM, "the window around (%g, %g) is empty", fp->g.x, fp->g.y);
        goto fail;
    }
    fp->Dw = malloc(sizeof(double) * (size_t)N);
    fp->Dphi = malloc(sizeof(double) * (size_t)N);
    if (opt->form == HL_FP_LINEAR)
        fp->Ulin = malloc(sizeof(double) * (size_t)N);
    if (!fp->Dw || !fp->Dphi || (opt->form == HL_FP_LINEAR && !fp->Ulin)) {
        st = hl_fail(HL_ENOMEM, "out of memory (grid %ld x %ld)", n, n);
        goto fail;
    }
    double D = (double)dim;
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            double s = cell_s(fp, i), d = cell_d(fp, j), x = 0.5 * (s + d), y = 0.5 * (s - d);
            long c = i * n + j;
            fp->Dw[c] = D * hl_w_from_t(atanh(s), atanh(d));
            fp->Dphi[c] = D * hl_model_phi(m, x, y);
            if (!isfinite(fp->Dw[c]) || !isfinite(fp->Dphi[c])) {
                st = hl_fail(HL_ERANGE, "phi or w is not finite at (x, y) = (%g, %g)", x, y);
                goto fail;
            }
            if (fp->Ulin) {
                double dx = x - fp->g.x, dy = y - fp->g.y;
                fp->Ulin[c] = -D * (fp->g.E11 * dx * dx + fp->g.E12 * dx * dy + fp->g.E22 * dy * dy);
            }
        }
    if (opt->in_basin && (st = basin_mask(fp)))
        goto fail;
    if ((st = fp_check_resolution(fp)))
        goto fail;
    if ((st = hl_gridchain_alloc(&fp->ch, n, n)))
        goto fail;
    *out = fp;
    return HL_OK;
fail:
    hl_fp_free(fp);
    return st;
}

/* The tunnelling rate of a grid with exactly two basins (grid ascent of U,
 * named after the maxima of f at beta): hl_gridchain_tunnelling between the
 * best cell of each.  HL_ENOTFOUND unless there are exactly two. */
static int fp_tunnelling(hl_fp *fp, double *ln_rate)
{
    long n = fp->n, N = n * n, best[2];
    long *lab = malloc(sizeof(long) * (size_t)N);
    const char **names = malloc(sizeof(char *) * (size_t)N);
    int *basin = malloc(sizeof(int) * (size_t)N);
    hl_named_maxima *c = malloc(sizeof *c);
    int st = HL_OK;
    if (!lab || !names || !basin || !c)
        st = hl_fail(HL_ENOMEM, "out of memory");
    if (!st)
        st = hl_named_maxima_get(fp->m, fp->beta, c);
    if (!st) {
        hl_name_ascent(c, fp->ch.ln_pi, n, cell_pos, fp, lab, names);
        st = hl_two_basins(names, fp->ch.ln_pi, N, basin, best);
    }
    if (!st)
        st = hl_gridchain_tunnelling(&fp->ch, basin, best[0], best[1], ln_rate);
    free(lab);
    free(names);
    free(basin);
    free(c);
    return st;
}

int hl_fp_spectrum(hl_fp *fp, int k, double *rates, hl_fp_spectrum_info *info)
{
    if (k < 1)
        return hl_fail(HL_EDOM, "number of rates k = %d is not >= 1", k);
    int st = fp_fill(fp, fp->beta, &fp->ch);
    if (st)
        return st;
    double res = 0, lt = NAN, t0 = hl_now();
    st = hl_gridchain_spectrum(&fp->ch, k, rates, NULL, &res);
    t0 = hl_stage_done("fokker-planck: spectrum", t0, NULL);
    int exact = 0;
    if (!st && k >= 2 && isnan(rates[1]) && fp_tunnelling(fp, &lt) == HL_OK) {
        rates[1] = exp(lt);
        exact = 1;
    }
    hl_stage_done("fokker-planck: tunnelling", t0, NULL);
    if (info) {
        info->resolution = res;
        info->tunnelling_exact = exact;
        info->ln_tunnelling = exact ? lt : NAN;
        hl_fp_grid(fp, NULL, NULL, NULL, NULL, NULL, &info->cells);
    }
    return st;
}

/* ------------------------------------------------------------- evolve */

/* Add mass to the four cell centres around (x, y), bilinear weights
 * renormalised over the active cells (the mean is exact when all four are
 * active). */
static int deposit(const hl_fp *fp, double x, double y, double mass, double *p)
{
    long n = fp->n;
    double s = x + y, d = x - y;
    double tol = 1e-9;
    if (s < fp->s_lo - tol || s > fp->s_hi + tol || d < fp->d_lo - tol || d > fp->d_hi + tol)
        return hl_fail(HL_EDOM, "start point (x, y) = (%g, %g) lies outside the grid's domain "
                                "s in [%g, %g], d in [%g, %g]",
                       x, y, fp->s_lo, fp->s_hi, fp->d_lo, fp->d_hi);
    double u = (s - fp->s_lo) / fp->hs - 0.5, v = (d - fp->d_lo) / fp->hd - 0.5;
    u = fmin(fmax(u, 0.0), (double)(n - 1));
    v = fmin(fmax(v, 0.0), (double)(n - 1));
    long i0 = (long)floor(u), j0 = (long)floor(v);
    if (i0 > n - 2)
        i0 = n - 2;
    if (j0 > n - 2)
        j0 = n - 2;
    double fu = u - (double)i0, fv = v - (double)j0;
    long cells[4] = {i0 * n + j0, (i0 + 1) * n + j0, i0 * n + j0 + 1, (i0 + 1) * n + j0 + 1};
    double wts[4] = {(1 - fu) * (1 - fv), fu * (1 - fv), (1 - fu) * fv, fu * fv}, tot = 0;
    for (int q = 0; q < 4; q++) {
        if (fp->keep && !fp->keep[cells[q]])
            wts[q] = 0;
        tot += wts[q];
    }
    if (!(tot > 0))
        return hl_fail(HL_EDOM, "start point (x, y) = (%g, %g) lies outside the '%s' basin", x,
                       y, fp->branch);
    for (int q = 0; q < 4; q++)
        p[cells[q]] += mass * wts[q] / tot;
    return HL_OK;
}

static int fp_start(hl_fp *fp, const hl_evolve_start *start, double beta0, double *p)
{
    long n = fp->n, N = n * n;
    for (long i = 0; i < N; i++)
        p[i] = 0;
    switch (start->kind) {
    case HL_START_BASIN: {
        if (!start->basin)
            return hl_fail(HL_EINVAL, "start basin name is NULL");
        hl_named_maxima c;
        int st = hl_named_maxima_get(fp->m, beta0, &c);
        if (st)
            return st;
        for (size_t k = 0; k < c.n; k++)
            if (!strcmp(c.names[k], start->basin))
                return deposit(fp, c.mx[k].x, c.mx[k].y, 1.0, p);
        return hl_fail(HL_ENOTFOUND, "no '%s' maximum to start from at beta = %g",
                       hl_clip(start->basin, (char[HL_CLIP_BUF]){0}), beta0);
    }
    case HL_START_INFINITE_T:
    case HL_START_EQUILIBRIUM: {
        double be = start->kind == HL_START_EQUILIBRIUM ? start->beta : 0.0;
        if (start->kind == HL_START_EQUILIBRIUM && (!isfinite(be) || !(be > 0) || be > 1e6))
            return hl_fail(HL_EDOM, "equilibrium start: beta = %g is not in (0, 1e6]", be);
        for (long i = 0; i < N; i++)
            p[i] = (fp->keep && !fp->keep[i]) ? -INFINITY : fp->Dw[i] - be * fp->Dphi[i];
        hl_ln_normalise(p, N);
        return HL_OK;
    }
    case HL_START_TILTED: {
        int st = hl_check_field(start->field);
        if (st)
            return st;
        double fx = start->field[0], fy = start->field[1], D = (double)fp->dim;
        for (long i = 0; i < N; i++) {
            double s = cell_s(fp, i / n), d = cell_d(fp, i % n);
            p[i] = (fp->keep && !fp->keep[i])
                       ? -INFINITY
                       : cell_u(fp, i, beta0) + D * (fx * 0.5 * (s + d) + fy * 0.5 * (s - d));
        }
        hl_ln_normalise(p, N);
        return HL_OK;
    }
    case HL_START_CLASSES: {
        if (!start->q)
            return hl_fail(HL_EINVAL, "start distribution is NULL");
        long h = fp->dim / 2, w = h + 1;
        double sum = 0;
        for (long i = 0; i < w * w; i++) {
            double v = start->q[i];
            if (!isfinite(v) || v < 0)
                return hl_fail(HL_EDOM, "start distribution: entry %g is not a non-negative "
                                        "number", v);
            sum += v;
        }
        if (!(sum > 0) || !isfinite(sum))
            return hl_fail(HL_EDOM, "start distribution sums to %g", sum);
        for (long i = 0; i < w * w; i++)
            if (start->q[i] > 0) {
                int st = deposit(fp, hl_class_x(h, i / w, i % w), hl_class_y(h, i / w, i % w),
                                 start->q[i] / sum, p);
                if (st)
                    return st;
            }
        return HL_OK;
    }
    default:
        return hl_fail(HL_EINVAL, "unknown start kind %d", start->kind);
    }
}

/* observables of the cell probabilities p at beta */
static int fp_observe(hl_fp *fp, double t, double beta, const double *p, double *u, long *lab,
                      const char **names, hl_named_maxima *c, double *c_beta,
                      hl_evolve_point *pt)
{
    long n = fp->n, N = n * n;
    double D = (double)fp->dim, T = 1.0 / beta;
    double lcell = 2.0 * log(D / 4.0) + log(fp->hs * fp->hd);
    memset(pt, 0, sizeof *pt);
    pt->t = t;
    pt->beta = beta;
    double sum = 0, mx = 0, my = 0, mphi = 0, mw = 0, ent = 0, minq = INFINITY;
    for (long i = 0; i < N; i++) {
        double q = p[i];
        if (fp->keep && !fp->keep[i])
            continue;
        double s = cell_s(fp, i / n), d = cell_d(fp, i % n);
        sum += q;
        mx += q * 0.5 * (s + d);
        my += q * 0.5 * (s - d);
        mphi += q * fp->Dphi[i] / D;
        double lnw = fp->Dw[i] + lcell;
        mw += q * lnw / D;
        if (q > 0)
            ent += q * (log(q) - lnw);
        minq = fmin(minq, q);
    }
    pt->mean_x = mx;
    pt->mean_y = my;
    pt->mean_phi = mphi;
    pt->mean_w = mw;
    pt->free_energy = mphi + T / D * ent;
    pt->sum_error = fabs(sum - 1.0);
    pt->min_q = minq;
    if (!(*c_beta == beta)) {
        int st = hl_named_maxima_get(fp->m, beta, c);
        if (st)
            return st;
        *c_beta = beta;
        for (long i = 0; i < N; i++)
            u[i] = (fp->keep && !fp->keep[i]) ? -INFINITY : cell_u(fp, i, beta);
        hl_name_ascent(c, u, n, cell_pos, fp, lab, names);
    }
    hl_basins_init(pt->basins, &pt->n_basins, fp->m, c);
    for (long i = 0; i < N; i++) {
        if (!names[i])
            continue;
        int slot = hl_basin_slot(pt->basins, &pt->n_basins, names[i]);
        if (slot < 0)
            continue;
        hl_basin *b = &pt->basins[slot];
        b->probability += p[i] > 0 ? p[i] : 0.0;
        if (isnan(b->x) && lab[i] == i)
            cell_pos(fp, i, &b->x, &b->y);
    }
    for (int k = 0; k < pt->n_basins; k++)
        pt->basins[k].ln_probability =
            pt->basins[k].probability > 0 ? log(pt->basins[k].probability) : -INFINITY;
    return HL_OK;
}

int hl_fp_evolve(hl_fp *fp, const hl_protocol *p, const hl_evolve_start *start,
                 const double *times, size_t n_times, double rtol, hl_evolve_point *points,
                 double *q_out, hl_fp_info *info)
{
    int st = hl_protocol_check(p);
    if (st)
        return st;
    if (!start)
        return hl_fail(HL_EINVAL, "start is NULL");
    if ((st = hl_check_times(times, n_times)))
        return st;
    if (!isfinite(rtol) || rtol < 0 || rtol >= 1)
        return hl_fail(HL_EDOM, "rtol = %g is not in [0, 1)", rtol);
    int fixed = 1;
    double beta0 = hl_protocol_beta(p, 0.0);
    for (size_t k = 0; k < hl_protocol_rows(p); k++)
        if (hl_protocol_beta(p, hl_protocol_time(p, k)) != beta0)
            fixed = 0;
    if (fp->opt.form == HL_FP_LINEAR && !fixed)
        return hl_fail(HL_EDOM, "the linearised form needs a fixed beta (it is built around "
                                "one maximum); use the full form for a protocol");
    if (fp->opt.form == HL_FP_LINEAR && fabs(beta0 - fp->beta) > 1e-12 * fp->beta)
        return hl_fail(HL_EDOM, "the linearised form was built at beta = %g, not %g", fp->beta,
                       beta0);
    if ((st = hl_protocol_check_transmission(fp->m, p)))
        return st;
    long n = fp->n, N = n * n;
    double *p0 = malloc(sizeof(double) * (size_t)N);
    double *all = q_out ? q_out : malloc(sizeof(double) * (size_t)N * n_times);
    double *u = malloc(sizeof(double) * (size_t)N);
    long *lab = malloc(sizeof(long) * (size_t)N);
    const char **names = malloc(sizeof(char *) * (size_t)N);
    hl_named_maxima *c = malloc(sizeof *c);
    if (!p0 || !all || !u || !lab || !names || !c) {
        st = hl_fail(HL_ENOMEM, "out of memory (grid %ld x %ld, %zu times)", n, n, n_times);
        goto done;
    }
    if ((st = fp_start(fp, start, beta0, p0)))
        goto done;
    if ((st = fp_fill(fp, beta0, &fp->ch)))
        goto done;
    hl_gridchain_evolve_info gi;
    memset(&gi, 0, sizeof gi);
    st = hl_gridchain_evolve(&fp->ch, fixed ? NULL : fp_fill, fp, p, p0, times, n_times, rtol,
                             all, &gi);
    if (st)
        goto done;
    double c_beta = NAN, minq = INFINITY, maxerr = 0;
    for (size_t k = 0; k < n_times; k++) {
        double bk = hl_protocol_beta(p, times[k]);
        if ((st = fp_observe(fp, times[k], bk, all + k * (size_t)N, u, lab, names, c,
                             &c_beta, &points[k])))
            goto done;
        minq = fmin(minq, points[k].min_q);
        maxerr = fmax(maxerr, points[k].sum_error);
    }
    if (info) {
        info->steps = gi.steps;
        info->factorisations = gi.factorisations;
        info->krylov_iterations = gi.krylov_iterations;
        info->max_sum_error = maxerr;
        info->min_q = minq;
    }
done:
    free(p0);
    if (!q_out)
        free(all);
    free(u);
    free(lab);
    free(names);
    free(c);
    return st;
}
