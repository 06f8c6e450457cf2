/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kgrid.c -- k-dimensional grid chains and their conversion into
 * reversible chains (kgrid.h). */
#include "kgrid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

long hl_kgrid_cells(const hl_kgrid *g)
{
    if (!g || g->k < 1 || g->k > HL_KGRID_MAX)
        return -1;
    long n = 1;
    for (int a = 0; a < g->k; a++) {
        if (g->n[a] < 1 || g->n[a] > (1L << 40) / n)
            return -1;
        n *= g->n[a];
    }
    return n;
}

void hl_kgrid_strides(const hl_kgrid *g, long *stride)
{
    long s = 1;
    for (int a = g->k - 1; a >= 0; a--) {
        stride[a] = s;
        s *= g->n[a];
    }
}

/* "(i0, i1, ...)" of cell i */
static const char *cell_text(const hl_kgrid *g, long i, char *buf, size_t len)
{
    long stride[HL_KGRID_MAX];
    hl_kgrid_strides(g, stride);
    size_t o = 0;
    for (int a = 0; a < g->k && o < len; a++)
        o += (size_t)snprintf(buf + o, len - o, "%s%ld", a ? ", " : "(", (i / stride[a]) % g->n[a]);
    if (o < len)
        snprintf(buf + o, len - o, ")");
    return buf;
}

static int check_grid(const hl_kgrid *g, long *cells)
{
    long n = hl_kgrid_cells(g);
    if (n < 1 || !g->ln_pi)
        return hl_fail(HL_EINVAL, "grid chain: bad grid (k = %d) or NULL array", g ? g->k : 0);
    for (int a = 0; a < g->k; a++)
        if (!g->ln_c[a])
            return hl_fail(HL_EINVAL, "grid chain: NULL conductances of axis %d", a + 1);
    char buf[96];
    for (long i = 0; i < n; i++) {
        double v = g->ln_pi[i];
        if (isnan(v) || v == INFINITY)
            return hl_fail(HL_EDOM, "ln pi of cell %s is %g", cell_text(g, i, buf, sizeof buf), v);
    }
    *cells = n;
    return HL_OK;
}

/* 1 if the axis-a edge from cell i exists on the grid and joins two active cells */
static int edge_present(const hl_kgrid *g, const long *stride, int a, long i)
{
    if ((i / stride[a]) % g->n[a] >= g->n[a] - 1)
        return 0;
    return g->ln_pi[i] > -INFINITY && g->ln_pi[i + stride[a]] > -INFINITY;
}

static int edge_value(const hl_kgrid *g, int a, long i, double *lc)
{
    double v = g->ln_c[a][i];
    if (isnan(v) || v == INFINITY) {
        char buf[96];
        return hl_fail(HL_EDOM, "ln c of the axis-%d edge at cell %s is %g", a + 1,
                       cell_text(g, i, buf, sizeof buf), v);
    }
    *lc = v;
    return HL_OK;
}

int hl_kgrid_to_rchain(const hl_kgrid *g, const double *ln_exit, hl_rchain *c)
{
    long n = 0, m = 0, stride[HL_KGRID_MAX];
    int st = check_grid(g, &n);
    if (st)
        return st;
    hl_kgrid_strides(g, stride);
    for (int a = 0; a < g->k; a++)
        for (long i = 0; i < n; i++)
            m += edge_present(g, stride, a, i);
    if ((st = hl_rchain_alloc(c, n, m, ln_exit != NULL)))
        return st;
    memcpy(c->ln_pi, g->ln_pi, sizeof(double) * (size_t)n);
    long e = 0;
    for (int a = 0; a < g->k && !st; a++)
        for (long i = 0; i < n && !st; i++) {
            if (!edge_present(g, stride, a, i))
                continue;
            c->ea[e] = i;
            c->eb[e] = i + stride[a];
            st = edge_value(g, a, i, &c->ln_c[e]);
            e++;
        }
    if (ln_exit)
        for (long i = 0; i < n && !st; i++) {
            if (!(g->ln_pi[i] > -INFINITY))
                continue;
            double v = ln_exit[i];
            if (isnan(v) || v == INFINITY) {
                char buf[96];
                st = hl_fail(HL_EDOM, "ln of the exit rate of cell %s is %g",
                             cell_text(g, i, buf, sizeof buf), v);
            } else
                c->ln_exit[i] = v;
        }
    if (!st)
        st = hl_rchain_index(c);
    if (st)
        hl_rchain_free(c);
    return st;
}

int hl_kgrid_to_chain(const hl_kgrid *g, long *state, hl_chain **out)
{
    *out = NULL;
    long n = 0, stride[HL_KGRID_MAX];
    int st = check_grid(g, &n);
    if (st)
        return st;
    char buf[96];
    long *map = state ? state : NULL, ns = 0;
    for (long i = 0; i < n; i++) {
        int on = g->ln_pi[i] > -INFINITY;
        if (!on && !state)
            return hl_fail(HL_EDOM, "cell %s has no weight (a public chain has no absent "
                                    "states)",
                           cell_text(g, i, buf, sizeof buf));
        if (map)
            map[i] = on ? ns : -1;
        ns += on;
    }
    if (ns < 1)
        return hl_fail(HL_EDOM, "grid chain: no cell has a weight");
    double *lp = state ? malloc(sizeof(double) * (size_t)ns) : NULL;
    if (state && !lp)
        return hl_fail(HL_ENOMEM, "out of memory (%ld cells)", ns);
    if (lp)
        for (long i = 0; i < n; i++)
            if (map[i] >= 0)
                lp[map[i]] = g->ln_pi[i];
    hl_kgrid_strides(g, stride);
    hl_chain *c = NULL;
    if ((st = hl_chain_create(ns, &c))) {
        free(lp);
        return st;
    }
    st = hl_chain_set_states(c, lp ? lp : g->ln_pi, NULL);
    free(lp);
    for (int a = 0; a < g->k && !st; a++)
        for (long i = 0; i < n && !st; i++) {
            double lc = -INFINITY;
            if (!edge_present(g, stride, a, i))
                continue;
            if ((st = edge_value(g, a, i, &lc)))
                break;
            if (lc > -INFINITY)
                st = hl_chain_add_edge(c, map ? map[i] : i, map ? map[i + stride[a]] : i + stride[a],
                                       lc, 0.0);
        }
    if (st)
        hl_chain_free(c);
    else
        *out = c;
    return st;
}

void hl_kgrid_ascent(const hl_kgrid *g, long *lab)
{
    long n = hl_kgrid_cells(g), stride[HL_KGRID_MAX];
    hl_kgrid_strides(g, stride);
    const double *u = g->ln_pi;
    /* up[i]: the highest neighbour if higher than i, else i */
    for (long i = 0; i < n; i++) {
        if (!(u[i] > -INFINITY)) {
            lab[i] = -1;
            continue;
        }
        long best = i;
        for (int a = 0; a < g->k; a++) {
            long ia = (i / stride[a]) % g->n[a];
            if (ia > 0 && u[i - stride[a]] > u[best])
                best = i - stride[a];
            if (ia < g->n[a] - 1 && u[i + stride[a]] > u[best])
                best = i + stride[a];
        }
        lab[i] = best;
    }
    /* follow the pointers to their roots (each step strictly ascends) */
    for (long i = 0; i < n; i++) {
        if (lab[i] < 0)
            continue;
        long r = i;
        while (lab[r] != r)
            r = lab[r];
        for (long j = i; lab[j] != r && j != r;) {
            long nx = lab[j];
            lab[j] = r;
            j = nx;
        }
    }
}
