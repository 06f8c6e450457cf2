/* SPDX-License-Identifier: GPL-3.0-or-later */
/* grid.c -- rectangular grid chains and their conversion into reversible
 * chains (grid.h). */
#include "grid.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core.h"

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

static int exit_value(const hl_gridchain *g, const double *ln_exit, long i, double *le)
{
    double v = ln_exit[i];
    if (isnan(v) || v == INFINITY)
        return hl_fail(HL_EDOM, "ln of the exit rate of cell (%ld, %ld) is %g", i / g->n2,
                       i % g->n2, v);
    *le = v;
    return HL_OK;
}

int hl_gridchain_to_rchain(const hl_gridchain *g, const double *ln_exit, hl_rchain *c)
{
    int st = check_grid(g);
    if (st)
        return st;
    long n1 = g->n1, n2 = g->n2, n = n1 * n2, m = 0;
    const double *lp = g->ln_pi;
    for (long i = 0; i < n; i++) {
        long i1 = i / n2, i2 = i % n2;
        m += i1 < n1 - 1 && lp[i] > -INFINITY && lp[i + n2] > -INFINITY;
        m += i2 < n2 - 1 && lp[i] > -INFINITY && lp[i + 1] > -INFINITY;
    }
    if ((st = hl_rchain_alloc(c, n, m, ln_exit != NULL)))
        return st;
    for (long i = 0; i < n; i++)
        c->ln_pi[i] = lp[i];
    long e = 0;
    for (int d = 1; d <= 2 && !st; d++) {
        long step = d == 1 ? n2 : 1;
        for (long i = 0; i < n && !st; i++) {
            long i1 = i / n2, i2 = i % n2;
            if ((d == 1 ? i1 >= n1 - 1 : i2 >= n2 - 1) || !(lp[i] > -INFINITY) ||
                !(lp[i + step] > -INFINITY))
                continue;
            c->ea[e] = i;
            c->eb[e] = i + step;
            st = edge_value(g, d, i, &c->ln_c[e]);
            e++;
        }
    }
    if (ln_exit)
        for (long i = 0; i < n && !st; i++)
            if (lp[i] > -INFINITY)
                st = exit_value(g, ln_exit, i, &c->ln_exit[i]);
    if (!st)
        st = hl_rchain_index(c);
    if (st)
        hl_rchain_free(c);
    return st;
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
