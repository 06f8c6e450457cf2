/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rchain.c -- the reversible chain at one temperature: storage, checks and
 * adjacency (rchain.h). */
#include "rchain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

int hl_rchain_alloc(hl_rchain *c, long n, long m, int with_exit)
{
    if (!c)
        return hl_fail(HL_EINVAL, "hl_rchain_alloc: NULL chain");
    memset(c, 0, sizeof *c);
    if (n < 1 || m < 0)
        return hl_fail(HL_EINVAL, "a chain of %ld states and %ld edges", n, m);
    size_t sn = (size_t)n, sm = (size_t)(m > 0 ? m : 1);
    c->n = n;
    c->m = m;
    c->ln_pi = malloc(sizeof(double) * sn);
    c->ea = malloc(sizeof(long) * sm);
    c->eb = malloc(sizeof(long) * sm);
    c->ln_c = malloc(sizeof(double) * sm);
    if (with_exit)
        c->ln_exit = malloc(sizeof(double) * sn);
    if (!c->ln_pi || !c->ea || !c->eb || !c->ln_c || (with_exit && !c->ln_exit)) {
        hl_rchain_free(c);
        return hl_fail(HL_ENOMEM, "out of memory for a chain of %ld states and %ld edges", n,
                       m);
    }
    for (long a = 0; a < n; a++) {
        c->ln_pi[a] = -INFINITY;
        if (c->ln_exit)
            c->ln_exit[a] = -INFINITY;
    }
    for (long e = 0; e < m; e++) {
        c->ea[e] = c->eb[e] = -1;
        c->ln_c[e] = -INFINITY;
    }
    return HL_OK;
}

void hl_rchain_free(hl_rchain *c)
{
    if (!c)
        return;
    free(c->ln_pi);
    free(c->ea);
    free(c->eb);
    free(c->ln_c);
    free(c->ln_exit);
    free(c->adj_start);
    free(c->adj_edge);
    memset(c, 0, sizeof *c);
}

int hl_rchain_check_values(const hl_rchain *c)
{
    for (long a = 0; a < c->n; a++) {
        double v = c->ln_pi[a];
        if (isnan(v) || v == INFINITY)
            return hl_fail(HL_EDOM, "ln M of state %ld is %g", a, v);
        if (c->ln_exit && (isnan(c->ln_exit[a]) || c->ln_exit[a] == INFINITY))
            return hl_fail(HL_EDOM, "ln of the exit rate of state %ld is %g", a, c->ln_exit[a]);
    }
    for (long e = 0; e < c->m; e++)
        if (isnan(c->ln_c[e]) || c->ln_c[e] == INFINITY)
            return hl_fail(HL_EDOM, "ln A of edge %ld (%ld -- %ld) is %g", e, c->ea[e], c->eb[e],
                           c->ln_c[e]);
    return HL_OK;
}

/* adjacency sorted by neighbour: for a duplicate check and a fixed order */
typedef struct {
    long nb, e;
} nb_edge;
static int cmp_nb(const void *p, const void *q)
{
    long u = ((const nb_edge *)p)->nb, v = ((const nb_edge *)q)->nb;
    return (u > v) - (u < v);
}

int hl_rchain_index(hl_rchain *c)
{
    if (!c || !c->ln_pi || (c->m > 0 && (!c->ea || !c->eb || !c->ln_c)))
        return hl_fail(HL_EINVAL, "hl_rchain_index: NULL chain or array");
    long n = c->n, m = c->m;
    for (long e = 0; e < m; e++) {
        long a = c->ea[e], b = c->eb[e];
        if (a < 0 || a >= n || b < 0 || b >= n)
            return hl_fail(HL_EINVAL, "edge %ld joins %ld and %ld: states are 0..%ld", e, a, b,
                           n - 1);
        if (a == b)
            return hl_fail(HL_EINVAL, "edge %ld joins state %ld to itself", e, a);
    }
    int st = hl_rchain_check_values(c);
    if (st)
        return st;
    free(c->adj_start);
    free(c->adj_edge);
    c->adj_start = calloc((size_t)n + 1, sizeof(long));
    c->adj_edge = malloc(sizeof(long) * (size_t)(2 * m > 0 ? 2 * m : 1));
    long *fill = calloc((size_t)n, sizeof(long));
    if (!c->adj_start || !c->adj_edge || !fill) {
        free(fill);
        free(c->adj_start);
        free(c->adj_edge);
        c->adj_start = c->adj_edge = NULL;
        return hl_fail(HL_ENOMEM, "out of memory for the adjacency of %ld edges", m);
    }
    for (long e = 0; e < m; e++) {
        c->adj_start[c->ea[e] + 1]++;
        c->adj_start[c->eb[e] + 1]++;
    }
    for (long a = 0; a < n; a++)
        c->adj_start[a + 1] += c->adj_start[a];
    for (long e = 0; e < m; e++) {
        c->adj_edge[c->adj_start[c->ea[e]] + fill[c->ea[e]]++] = e;
        c->adj_edge[c->adj_start[c->eb[e]] + fill[c->eb[e]]++] = e;
    }
    free(fill);
    for (long a = 0; a < n; a++) {
        long *row = c->adj_edge + c->adj_start[a], len = c->adj_start[a + 1] - c->adj_start[a];
        int sorted = 1;
        for (long r = 1; r < len && sorted; r++)
            sorted = hl_rchain_other(c, row[r - 1], a) < hl_rchain_other(c, row[r], a);
        if (!sorted) {
            nb_edge *tmp = malloc(sizeof *tmp * (size_t)len);
            if (!tmp) {
                free(c->adj_start);
                free(c->adj_edge);
                c->adj_start = c->adj_edge = NULL;
                return hl_fail(HL_ENOMEM, "out of memory for the adjacency of state %ld", a);
            }
            for (long r = 0; r < len; r++)
                tmp[r] = (nb_edge){hl_rchain_other(c, row[r], a), row[r]};
            qsort(tmp, (size_t)len, sizeof *tmp, cmp_nb);
            for (long r = 0; r < len; r++)
                row[r] = tmp[r].e;
            free(tmp);
        }
        for (long r = 1; r < len; r++)
            if (hl_rchain_other(c, row[r - 1], a) == hl_rchain_other(c, row[r], a)) {
                long b = hl_rchain_other(c, row[r], a), e1 = row[r - 1], e2 = row[r];
                free(c->adj_start); /* row points into adj_edge */
                free(c->adj_edge);
                c->adj_start = c->adj_edge = NULL;
                return hl_fail(HL_EINVAL,
                               "edges %ld and %ld both join states %ld and %ld (merge them)",
                               e1, e2, a < b ? a : b, a < b ? b : a);
            }
    }
    return HL_OK;
}

int hl_rchain_view(const hl_rchain *c, hl_rchain *t)
{
    *t = *c;
    if (c->adj_start)
        return HL_OK;
    t->adj_start = t->adj_edge = NULL;
    return hl_rchain_index(t);
}

void hl_rchain_view_free(const hl_rchain *c, hl_rchain *t)
{
    if (c->adj_start == t->adj_start)
        return;
    free(t->adj_start);
    free(t->adj_edge);
    t->adj_start = t->adj_edge = NULL;
}
