/* SPDX-License-Identifier: GPL-3.0-or-later */
/* basin_kinetics.c -- the contracted master equation (eq 5.6) restricted to
 * one basin with reflecting walls: in-basin spectrum and relaxation, on the
 * sparse grid-chain machinery (gridchain.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gridchain.h"
#include "kinetics_private.h"

/* The class chain with every class named after its basin: the names point
 * into c, which the caller provides and keeps (the caller frees *names_out,
 * *lab_out and the chain). */
static int named_class_chain(const hl_model *m, long dim, double beta, hl_named_maxima *c,
                             hl_gridchain *g, long **lab_out, const char ***names_out)
{
    long h = dim / 2, N = (h + 1) * (h + 1);
    long *lab = malloc(sizeof(long) * (size_t)N);
    const char **names = malloc(sizeof(char *) * (size_t)N);
    int st = HL_OK;
    if (!lab || !names)
        st = hl_fail(HL_ENOMEM, "out of memory (class lattice at D = %ld)", dim);
    if (!st)
        st = hl_named_maxima_get(m, beta, c);
    if (!st)
        st = hl_class_gridchain(m, dim, beta, g);
    if (!st)
        hl_name_ascent(c, g->ln_pi, h + 1, hl_class_pos, &h, lab, names);
    if (st) {
        free(lab);
        free(names);
        return st;
    }
    *lab_out = lab;
    *names_out = names;
    return HL_OK;
}

/* The class chain at beta as a grid chain (axis 1 = a, axis 2 = b), cut to
 * the basin named `basin` (and to its concave core). */
static int basin_chain(const hl_model *m, long dim, double beta, const char *basin,
                       int core, hl_gridchain *g)
{
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if (!isfinite(beta) || !(beta > 0) || beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is not in (0, 1e6]", beta);
    if (!basin)
        return hl_fail(HL_EINVAL, "basin name is NULL");
    if ((st = hl_model_check_transmission(m, 1.0 / beta)))
        return st;
    long h = dim / 2, N = (h + 1) * (h + 1);
    long *lab = NULL;
    const char **names = NULL;
    unsigned char *keep = calloc((size_t)N, 1);
    hl_named_maxima *c = malloc(sizeof *c);
    if (!keep || !c) {
        free(keep);
        free(c);
        return hl_fail(HL_ENOMEM, "out of memory (class lattice at D = %ld)", dim);
    }
    if ((st = named_class_chain(m, dim, beta, c, g, &lab, &names))) {
        free(keep);
        free(c);
        return st;
    }
    long seed = -1;
    for (long i = 0; i < N; i++)
        if ((keep[i] = names[i] && !strcmp(names[i], basin)) &&
            (seed < 0 || g->ln_pi[i] > g->ln_pi[seed]))
            seed = i;
    if (seed < 0)
        st = hl_fail(HL_ENOTFOUND, "no '%s' basin at D = %ld, beta = %g",
                     hl_clip(basin, (char[HL_CLIP_BUF]){0}), dim, beta);
    if (!st && core)
        st = hl_core_mask(m, beta, h + 1, h + 1, hl_class_pos, &h, seed, keep);
    if (!st && core) /* the cells that climb to a trap of the core's walls out */
        st = hl_core_cut_traps(2, (long[2]){h + 1, h + 1}, g->ln_pi, seed, keep, NULL);
    if (!st)
        hl_gridchain_restrict(g, keep);
    else
        hl_gridchain_free(g);
    free(lab);
    free(names);
    free(keep);
    free(c);
    return st;
}

int hl_basin_spectrum(const hl_model *m, long dim, double beta, const char *basin, int core,
                      int k, double *rates, double *resolution)
{
    if (k < 1)
        return hl_fail(HL_EDOM, "number of rates k = %d is not >= 1", k);
    hl_gridchain g;
    memset(&g, 0, sizeof g);
    int st = basin_chain(m, dim, beta, basin, core, &g);
    if (st)
        return st;
    double res = 0;
    st = hl_gridchain_spectrum(&g, k, rates, NULL, &res);
    if (resolution)
        *resolution = res;
    hl_gridchain_free(&g);
    return st;
}

int hl_basin_evolve(const hl_model *m, long dim, double beta, const char *basin, int core,
                    const hl_evolve_start *start, const double *times, size_t n_times,
                    double rtol, double *mean_x, double *mean_y)
{
    if (!start || !times || !mean_x || !mean_y)
        return hl_fail(HL_EINVAL, "NULL argument");
    if (start->kind != HL_START_CLASSES && start->kind != HL_START_TILTED)
        return hl_fail(HL_EINVAL, "in-basin evolution starts from classes or a tilted "
                                  "equilibrium (kind %d)", start->kind);
    int st = hl_check_times(times, n_times);
    if (st)
        return st;
    hl_gridchain g;
    memset(&g, 0, sizeof g);
    st = basin_chain(m, dim, beta, basin, core, &g);
    if (st)
        return st;
    long h = dim / 2, w = h + 1, N = w * w;
    double D = (double)dim;
    double *p0 = malloc(sizeof(double) * (size_t)N);
    double *all = malloc(sizeof(double) * (size_t)N * n_times);
    if (!p0 || !all) {
        st = hl_fail(HL_ENOMEM, "out of memory (%zu times of %ld classes)", n_times, N);
        goto done;
    }
    double sum = 0;
    if (start->kind == HL_START_TILTED) {
        double fx = start->field[0], fy = start->field[1], mx = -INFINITY;
        if ((st = hl_check_field(start->field)))
            goto done;
        for (long i = 0; i < N; i++) {
            p0[i] = g.ln_pi[i] == -INFINITY
                        ? -INFINITY
                        : g.ln_pi[i] + D * (fx * hl_class_x(h, i / w, i % w) +
                                            fy * hl_class_y(h, i / w, i % w));
            mx = fmax(mx, p0[i]);
        }
        for (long i = 0; i < N; i++)
            sum += (p0[i] = exp(p0[i] - mx));
    } else {
        for (long i = 0; i < N; i++) {
            double v = start->q ? start->q[i] : NAN;
            if (!isfinite(v) || v < 0) {
                st = hl_fail(HL_EDOM, "start distribution: entry %g is not a non-negative "
                                      "number", v);
                goto done;
            }
            if (v > 0 && g.ln_pi[i] == -INFINITY) {
                st = hl_fail(HL_EDOM, "start distribution has mass on class (n, n1) = "
                                      "(%ld, %ld) outside the '%s' basin",
                             i / w + i % w, i / w, basin);
                goto done;
            }
            sum += (p0[i] = v);
        }
    }
    if (!(sum > 0) || !isfinite(sum)) {
        st = hl_fail(HL_EDOM, "start distribution sums to %g", sum);
        goto done;
    }
    for (long i = 0; i < N; i++)
        p0[i] /= sum;
    hl_protocol *p;
    if ((st = hl_protocol_create_fixed(beta, &p)))
        goto done;
    hl_gridchain_evolve_info gi;
    st = hl_gridchain_evolve(&g, NULL, NULL, p, p0, times, n_times, rtol, all, &gi);
    hl_protocol_free(p);
    if (st)
        goto done;
    for (size_t k = 0; k < n_times; k++) {
        const double *q = all + k * (size_t)N;
        double mx = 0, my = 0;
        for (long i = 0; i < N; i++) {
            mx += q[i] * hl_class_x(h, i / w, i % w);
            my += q[i] * hl_class_y(h, i / w, i % w);
        }
        mean_x[k] = mx;
        mean_y[k] = my;
    }
done:
    free(p0);
    free(all);
    hl_gridchain_free(&g);
    return st;
}

int hl_class_tunnelling_capacity(const hl_model *m, long dim, double beta, double *ln_rate)
{
    int st = hl_check_dim(dim);
    if (st)
        return st;
    long h = dim / 2, N = (h + 1) * (h + 1), best[2];
    hl_gridchain g;
    memset(&g, 0, sizeof g);
    long *lab = NULL;
    const char **names = NULL;
    int *basin = malloc(sizeof(int) * (size_t)N);
    hl_named_maxima *c = malloc(sizeof *c);
    if (!basin || !c) {
        free(basin);
        free(c);
        return hl_fail(HL_ENOMEM, "out of memory (class lattice at D = %ld)", dim);
    }
    st = named_class_chain(m, dim, beta, c, &g, &lab, &names);
    if (!st)
        st = hl_two_basins(names, g.ln_pi, N, basin, best);
    if (!st)
        st = hl_gridchain_tunnelling(&g, basin, best[0], best[1], ln_rate);
    hl_gridchain_free(&g);
    free(lab);
    free(names);
    free(basin);
    free(c);
    return st;
}
