/* SPDX-License-Identifier: GPL-3.0-or-later */
/* basins.c -- the steepest-ascent basins of ln Q_eq used by exact, mfpt and
 * evolve: discrete ascent over the kinetic moves of eq 5.6 (ties a+1, a-1,
 * b+1, b-1), named after the nearest maximum of f = w - beta phi. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "model_private.h"

int hl_named_maxima_get(const hl_model *m, double beta, hl_named_maxima *c)
{
    int st = hl_maxima_at(m, beta, c->mx, HL_NAMED_MAX, &c->n);
    if (st)
        return st;
    if (c->n > HL_NAMED_MAX)
        c->n = HL_NAMED_MAX;
    return hl_name_maxima(m, beta, c->mx, c->n, c->names);
}

const char *hl_named_maxima_nearest(const hl_named_maxima *c, double x, double y)
{
    double best = INFINITY;
    const char *name = "none";
    for (size_t k = 0; k < c->n; k++) {
        double d = (c->mx[k].x - x) * (c->mx[k].x - x) + (c->mx[k].y - y) * (c->mx[k].y - y);
        if (d < best) {
            best = d;
            name = c->names[k];
        }
    }
    return name;
}

long hl_ascent_step_1d(const double *v, long h, long k)
{
    long nx = k;
    double best = v[k];
    if (k + 1 <= h && v[k + 1] > best) {
        best = v[k + 1];
        nx = k + 1;
    }
    if (k - 1 >= 0 && v[k - 1] > best)
        nx = k - 1;
    return nx;
}

void hl_ascent_1d(const double *v, long h, long *end)
{
    for (long k = 0; k <= h; k++)
        end[k] = -1;
    for (long k = 0; k <= h; k++) {
        long j = k;
        while (end[j] < 0) {
            long nx = hl_ascent_step_1d(v, h, j);
            if (nx == j) {
                end[j] = j;
                break;
            }
            j = nx;
        }
        for (long i = k; end[i] < 0; i = hl_ascent_step_1d(v, h, i))
            end[i] = end[j];
    }
}

/* the steepest-ascent neighbour of class i on the (h+1)^2 lattice */
static long step_2d(const double *lq, long h, long i)
{
    long w = h + 1, a = i / w, b = i % w, nx = i;
    double best = lq[i];
    if (a < h && lq[i + w] > best) {
        best = lq[i + w];
        nx = i + w;
    }
    if (a > 0 && lq[i - w] > best) {
        best = lq[i - w];
        nx = i - w;
    }
    if (b < h && lq[i + 1] > best) {
        best = lq[i + 1];
        nx = i + 1;
    }
    if (b > 0 && lq[i - 1] > best)
        nx = i - 1;
    return nx;
}

void hl_ascent_2d(const double *lq, long h, long *lab)
{
    long N = (h + 1) * (h + 1);
    for (long i = 0; i < N; i++)
        lab[i] = -1;
    for (long i0 = 0; i0 < N; i0++) {
        long i = i0;
        while (lab[i] < 0) {
            long nx = step_2d(lq, h, i);
            if (nx == i) {
                lab[i] = i;
                break;
            }
            i = nx;
        }
        for (long j = i0; lab[j] < 0; j = step_2d(lq, h, j))
            lab[j] = lab[i];
    }
}

int hl_basin_slot(hl_basin *basins, int *n, const char *name)
{
    for (int k = 0; k < *n; k++)
        if (strcmp(basins[k].name, name) == 0)
            return k;
    if (*n >= HL_MAX_BASINS)
        return -1;
    int k = (*n)++;
    memset(&basins[k], 0, sizeof basins[k]);
    snprintf(basins[k].name, sizeof basins[k].name, "%s", name);
    basins[k].ln_probability = -INFINITY;
    basins[k].x = NAN;
    basins[k].y = NAN;
    basins[k].ln_z_per_dim = basins[k].mean_phi = NAN;
    basins[k].entropy_per_dim = basins[k].heat_capacity_per_dim = NAN;
    basins[k].neglected_bound = NAN;
    basins[k].ln_z_bound = basins[k].mean_phi_bound = NAN;
    basins[k].entropy_bound = basins[k].heat_capacity_bound = NAN;
    snprintf(basins[k].thermo_null_reason, sizeof basins[k].thermo_null_reason,
             "no class of the basin was summed");
    return k;
}

void hl_basins_init(hl_basin *basins, int *n, const hl_model *m, const hl_named_maxima *c)
{
    *n = 0;
    if (hl_model_is_default(m)) {
        hl_basin_slot(basins, n, "liquid");
        hl_basin_slot(basins, n, "crystal");
    }
    for (size_t k = 0; k < c->n; k++)
        hl_basin_slot(basins, n, c->names[k]);
}

int hl_concave(const hl_model *m, double beta, double x, double y)
{
    /* in (s, d): f_ss = -1/(2(1 - s^2)) - beta phi_ss, f_dd alike, f_sd =
     * -beta phi_sd; on an edge the curvature across it is -infinite and
     * concavity is decided along the edge */
    double s = x + y, d = x - y;
    double cs = (1 - s) * (1 + s), cd = (1 - d) * (1 + d);
    hl_phi_derivs p;
    hl_model_phi_derivs(m, x, y, &p);
    double pss = 0.25 * (p.phi_xx + 2 * p.phi_xy + p.phi_yy);
    double pdd = 0.25 * (p.phi_xx - 2 * p.phi_xy + p.phi_yy);
    double psd = 0.25 * (p.phi_xx - p.phi_yy);
    int es = !(cs > 0), ed = !(cd > 0);
    if (es && ed)
        return 1;
    double fss = es ? -INFINITY : -0.5 / cs - beta * pss;
    double fdd = ed ? -INFINITY : -0.5 / cd - beta * pdd;
    if (es)
        return fdd < 0;
    if (ed)
        return fss < 0;
    double fsd = -beta * psd;
    return fss < 0 && fss * fdd - fsd * fsd > 0;
}

void hl_class_pos(const void *ctx, long i, double *x, double *y)
{
    long h = *(const long *)ctx;
    *x = hl_class_x(h, i / (h + 1), i % (h + 1));
    *y = hl_class_y(h, i / (h + 1), i % (h + 1));
}

void hl_name_ascent(const hl_named_maxima *c, const double *lq, long n, hl_cell_pos_fn pos,
                    const void *ctx, long *lab, const char **names)
{
    long N = n * n;
    hl_ascent_2d(lq, n - 1, lab);
    for (long i = 0; i < N; i++)
        names[i] = NULL;
    for (long i = 0; i < N; i++) {
        long e = lab[i];
        if (lq[i] == -INFINITY || names[e])
            continue;
        double x, y;
        pos(ctx, e, &x, &y);
        names[e] = hl_named_maxima_nearest(c, x, y); /* once per end */
    }
    for (long i = 0; i < N; i++)
        names[i] = lq[i] == -INFINITY ? NULL : names[lab[i]];
}

int hl_two_basins(const char *const *names, const double *lq, long N, int *basin, long best[2])
{
    const char *two[2] = {NULL, NULL};
    best[0] = best[1] = -1;
    for (long i = 0; i < N; i++) {
        basin[i] = -1;
        if (!names[i])
            continue;
        int q = two[0] && !strcmp(names[i], two[0]) ? 0
              : two[1] && !strcmp(names[i], two[1]) ? 1 : -1;
        if (q < 0) {
            if (two[1])
                return hl_fail(HL_ERANGE, "more than two basins");
            q = two[0] ? 1 : 0;
            two[q] = names[i];
        }
        basin[i] = q;
        if (best[q] < 0 || lq[i] > lq[best[q]])
            best[q] = i;
    }
    if (best[1] < 0)
        return hl_fail(HL_ENOTFOUND, "a single basin");
    return HL_OK;
}

int hl_core_mask(const hl_model *m, double beta, long n1, long n2, hl_cell_pos_fn pos,
                 const void *ctx, long seed, unsigned char *keep)
{
    long N = n1 * n2;
    for (long i = 0; i < N; i++) {
        double x, y;
        if (!keep[i])
            continue;
        pos(ctx, i, &x, &y);
        if (!hl_concave(m, beta, x, y))
            keep[i] = 0;
    }
    if (seed < 0 || seed >= N || !keep[seed])
        return hl_fail(HL_EDOM, "f is not concave at the maximum's cell (a fold is near: the "
                                "Gaussian theory does not apply)");
    /* the 4-connected component of seed: flood fill with an explicit stack */
    long *stack = malloc(sizeof(long) * (size_t)N);
    if (!stack)
        return hl_fail(HL_ENOMEM, "out of memory");
    long top = 0;
    stack[top++] = seed;
    keep[seed] = 2;
    while (top > 0) {
        long i = stack[--top], i1 = i / n2, i2 = i % n2;
        long nb[4] = {i1 > 0 ? i - n2 : -1, i1 + 1 < n1 ? i + n2 : -1, i2 > 0 ? i - 1 : -1,
                      i2 + 1 < n2 ? i + 1 : -1};
        for (int q = 0; q < 4; q++)
            if (nb[q] >= 0 && keep[nb[q]] == 1) {
                keep[nb[q]] = 2;
                stack[top++] = nb[q];
            }
    }
    for (long i = 0; i < N; i++)
        keep[i] = keep[i] == 2;
    free(stack);
    return HL_OK;
}

int hl_core_cut_traps(int k, const long *n, const double *u, long seed, unsigned char *keep,
                      long *n_traps)
{
    if (n_traps)
        *n_traps = 0;
    if (k < 1 || k > 16)
        return hl_fail(HL_EINVAL, "hl_core_cut_traps: %d axes", k);
    long N = 1, stride[16];
    for (int a = k - 1; a >= 0; a--) {
        stride[a] = N;
        N *= n[a];
    }
    /* up[i]: the highest axis neighbour of i in the core if higher than i,
     * else i (-1 outside the core); wall[i]: i is such a top of the core but
     * has a higher neighbour outside it */
    long *up = malloc(sizeof(long) * (size_t)N);
    unsigned char *wall = calloc((size_t)N, 1);
    if (!up || !wall) {
        free(up);
        free(wall);
        return hl_fail(HL_ENOMEM, "out of memory (%ld cells)", N);
    }
    long traps = 0;
    for (long i = 0; i < N; i++) {
        up[i] = -1;
        if (!keep[i])
            continue;
        long best = i;
        int higher_out = 0;
        for (int a = 0; a < k; a++) {
            long ia = (i / stride[a]) % n[a];
            long nb[2] = {ia > 0 ? i - stride[a] : -1, ia + 1 < n[a] ? i + stride[a] : -1};
            for (int q = 0; q < 2; q++) {
                if (nb[q] < 0 || !(u[nb[q]] > u[i]))
                    continue;
                if (!keep[nb[q]])
                    higher_out = 1;
                else if (u[nb[q]] > u[best])
                    best = nb[q];
            }
        }
        up[i] = best;
        if (best == i && higher_out) {
            wall[i] = 1;
            traps++;
        }
    }
    if (traps) {
        /* the end of each climb (path compression: every step ascends) */
        for (long i = 0; i < N; i++) {
            if (up[i] < 0)
                continue;
            long r = i;
            while (up[r] != r)
                r = up[r];
            for (long j = i; up[j] != r && j != r;) {
                long nx = up[j];
                up[j] = r;
                j = nx;
            }
        }
        for (long i = 0; i < N; i++)
            if (keep[i] && wall[up[i]])
                keep[i] = 0;
        /* the axis-connected component of seed (seed is a maximum of u on
         * the whole lattice, never cut); up is reused as the stack */
        long top = 0;
        if (seed >= 0 && seed < N && keep[seed]) {
            up[top++] = seed;
            keep[seed] = 2;
        }
        while (top > 0) {
            long i = up[--top];
            for (int a = 0; a < k; a++) {
                long ia = (i / stride[a]) % n[a];
                long nb[2] = {ia > 0 ? i - stride[a] : -1, ia + 1 < n[a] ? i + stride[a] : -1};
                for (int q = 0; q < 2; q++)
                    if (nb[q] >= 0 && keep[nb[q]] == 1) {
                        keep[nb[q]] = 2;
                        up[top++] = nb[q];
                    }
            }
        }
        for (long i = 0; i < N; i++)
            keep[i] = keep[i] == 2;
    }
    free(up);
    free(wall);
    if (n_traps)
        *n_traps = traps;
    return HL_OK;
}
