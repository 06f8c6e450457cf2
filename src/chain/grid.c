/* SPDX-License-Identifier: GPL-3.0-or-later */
/* grid.c -- rectangular grid chains and their conversion into reversible
 * chains (grid.h; the conversion is kgrid.c's with k = 2). */
#include "grid.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "kgrid.h"

int hl_gridchain_alloc(hl_gridchain *g, long n1, long n2)
{
    if (!g)
        return hl_fail(HL_EINVAL, "hl_gridchain_alloc: NULL chain");
    g->n1 = g->n2 = 0;
    g->ln_pi = g->ln_c1 = g->ln_c2 = NULL;
    if (n1 < 1 || n2 < 1)
        return hl_fail(HL_EINVAL, "a %ld x %ld grid chain: both sizes must be at least 1", n1,
                       n2);
    if (n1 > (long)(SIZE_MAX / (3 * sizeof(double))) / n2)
        return hl_fail(HL_ERANGE, "a %ld x %ld grid chain is too large", n1, n2);
    size_t n = (size_t)n1 * (size_t)n2;
    g->ln_pi = malloc(n * sizeof(double));
    g->ln_c1 = malloc(n * sizeof(double));
    g->ln_c2 = malloc(n * sizeof(double));
    if (!g->ln_pi || !g->ln_c1 || !g->ln_c2) {
        hl_gridchain_free(g);
        return hl_fail(HL_ENOMEM, "out of memory for a %ld x %ld grid chain (%.3g MB)", n1, n2,
                       3.0 * (double)n * sizeof(double) / 1e6);
    }
    for (size_t i = 0; i < n; i++)
        g->ln_pi[i] = g->ln_c1[i] = g->ln_c2[i] = -INFINITY;
    g->n1 = n1;
    g->n2 = n2;
    return HL_OK;
}

void hl_gridchain_free(hl_gridchain *g)
{
    if (!g)
        return;
    free(g->ln_pi);
    free(g->ln_c1);
    free(g->ln_c2);
    g->ln_pi = g->ln_c1 = g->ln_c2 = NULL;
    g->n1 = g->n2 = 0;
}

void hl_gridchain_restrict(hl_gridchain *g, const unsigned char *keep)
{
    long n1 = g->n1, n2 = g->n2;
    for (long i1 = 0; i1 < n1; i1++)
        for (long i2 = 0; i2 < n2; i2++) {
            long i = i1 * n2 + i2;
            if (keep[i])
                continue;
            g->ln_pi[i] = g->ln_c1[i] = g->ln_c2[i] = -INFINITY;
            if (i1 > 0)
                g->ln_c1[i - n2] = -INFINITY;
            if (i2 > 0)
                g->ln_c2[i - 1] = -INFINITY;
        }
}

static int check_grid(const hl_gridchain *g)
{
    if (!g || !g->ln_pi || !g->ln_c1 || !g->ln_c2)
        return hl_fail(HL_EINVAL, "grid chain: NULL chain or array");
    if (g->n1 < 1 || g->n2 < 1)
        return hl_fail(HL_EINVAL, "grid chain of %ld x %ld cells", g->n1, g->n2);
    for (long i = 0, n = g->n1 * g->n2; i < n; i++) {
        double v = g->ln_pi[i];
        if (isnan(v) || v == INFINITY)
            return hl_fail(HL_EDOM, "ln pi of cell (%ld, %ld) is %g", i / g->n2, i % g->n2, v);
    }
    return HL_OK;
}

/* the value of the edge from cell i along axis d (1 or 2), checked */
static int edge_value(const hl_gridchain *g, int d, long i, double *lc)
{
    double v = d == 1 ? g->ln_c1[i] : g->ln_c2[i];
    if (isnan(v) || v == INFINITY)
        return hl_fail(HL_EDOM, "ln c of the axis-%d edge at cell (%ld, %ld) is %g", d,
                       i / g->n2, i % g->n2, v);
    *lc = v;
    return HL_OK;
}

/* The 2-D grid is the k-dimensional one of kgrid.h with k = 2 (same cell
 * numbering, same edge order: axis 1, then axis 2, each by increasing i). */
int hl_gridchain_to_rchain(const hl_gridchain *g, const double *ln_exit, hl_rchain *c)
{
    int st = check_grid(g);
    if (st)
        return st;
    hl_kgrid kg;
    memset(&kg, 0, sizeof kg);
    kg.k = 2;
    kg.n[0] = g->n1;
    kg.n[1] = g->n2;
    kg.ln_pi = g->ln_pi;
    kg.ln_c[0] = g->ln_c1;
    kg.ln_c[1] = g->ln_c2;
    return hl_kgrid_to_rchain(&kg, ln_exit, c);
}

int hl_gridchain_refill_rchain(const hl_gridchain *g, hl_rchain *c)
{
    int st = check_grid(g);
    if (st)
        return st;
    long n2 = g->n2, n = g->n1 * n2;
    if (n != c->n)
        return hl_fail(HL_EINVAL, "fill changed the grid chain's size");
    for (long i = 0; i < n; i++) {
        if ((g->ln_pi[i] > -INFINITY) != (c->ln_pi[i] > -INFINITY))
            return hl_fail(HL_EINVAL, "fill changed the set of cells (cell (%ld, %ld))", i / n2,
                           i % n2);
    }
    for (long i = 0; i < n; i++)
        c->ln_pi[i] = g->ln_pi[i];
    for (long e = 0; e < c->m && !st; e++) {
        long i = c->ea[e];
        st = edge_value(g, c->eb[e] - i == n2 ? 1 : 2, i, &c->ln_c[e]);
    }
    return st;
}
