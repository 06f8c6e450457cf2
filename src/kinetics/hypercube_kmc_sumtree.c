/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hypercube_kmc_sumtree.c -- partial-sum trees of non-negative weights with
 * fan-out 8: O(log n) update and O(log n) search of a cumulative sum, the
 * event selection of the disordered hypercube (hypercube_kmc_private.h).
 *
 * Level 0 holds the weights, level l + 1 the sums of consecutive blocks of
 * 8 entries of level l, up to a top level of at most 8 entries.  A tree
 * may hold `ways` interleaved weight sets over the same indices (entry
 * (node, way) at (node) ways + way): the hypercube keeps the -1 and +1
 * spins of a half in one tree of 2 ways, so that a flip, which moves a
 * factor from one way to the other at the same index, writes the cache
 * lines the search just read.  A search reads one or two cache lines per
 * level, an update writes one entry per level: a few cache misses per event
 * at D = 10^6, against ~6 per operation for a binary Fenwick tree whose low
 * levels span the whole array (bench/hypercube_kmc.sh). */
#include "hypercube_kmc_private.h"

#include <stdlib.h>
#include <string.h>

static long up8(long n) { return (n + 7) / 8 * 8; }

int hl_sumtree_init(hl_sumtree *st, long n, int ways)
{
    memset(st, 0, sizeof *st);
    st->n = n;
    st->ways = ways;
    long sz = up8(n > 0 ? n : 1), total = 0;
    int L = 0;
    for (;;) {
        if (L >= HL_SUMTREE_MAX_LEVELS)
            return hl_fail(HL_ERANGE, "partial-sum tree of %ld entries is too deep", n);
        st->size[L] = sz;
        st->off[L] = total;
        total += sz;
        L++;
        if (sz <= 8)
            break;
        sz = up8(sz / 8);
    }
    st->levels = L;
    st->a = calloc((size_t)total * (size_t)ways, sizeof(double));
    if (!st->a)
        return hl_fail(HL_ENOMEM, "out of memory (partial-sum tree of %ld entries)", n);
    return HL_OK;
}

void hl_sumtree_free(hl_sumtree *st)
{
    free(st->a);
    st->a = NULL;
}

void hl_sumtree_build(hl_sumtree *st, const double *w)
{
    int W = st->ways;
    double *a = st->a;
    memset(a, 0, sizeof(double) * (size_t)(st->size[0] * W));
    memcpy(a, w, sizeof(double) * (size_t)(st->n * W));
    for (int l = 1; l < st->levels; l++) {
        double *lo = a + st->off[l - 1] * W, *hi = a + st->off[l] * W;
        for (long m = 0; m < st->size[l]; m++)
            for (int y = 0; y < W; y++) {
                double s = 0.0;
                if (8 * m < st->size[l - 1])
                    for (int k = 0; k < 8; k++)
                        s += lo[(8 * m + k) * W + y];
                hi[m * W + y] = s;
            }
    }
}

void hl_sumtree_add(hl_sumtree *st, int way, long i, double delta)
{
    int W = st->ways;
    for (int l = 0; l < st->levels; l++, i >>= 3)
        st->a[(st->off[l] + i) * W + way] += delta;
}

void hl_sumtree_move(hl_sumtree *st, int from, int to, long i, double v)
{
    int W = st->ways;
    for (int l = 0; l < st->levels; l++, i >>= 3) {
        double *e = st->a + (st->off[l] + i) * W;
        e[from] -= v;
        e[to] += v;
    }
}

double hl_sumtree_get(const hl_sumtree *st, int way, long i) { return st->a[i * st->ways + way]; }

double hl_sumtree_total(const hl_sumtree *st, int way)
{
    int W = st->ways, L = st->levels - 1;
    const double *top = st->a + st->off[L] * W;
    double s = 0.0;
    for (long k = 0; k < st->size[L]; k++)
        s += top[k * W + way];
    return s;
}

long hl_sumtree_find(const hl_sumtree *st, int way, double u)
{
    int W = st->ways, top = st->levels - 1;
    long idx = 0; /* node at the current level; its children are 8 idx .. 8 idx + 7 */
    for (int l = top; l >= 0; l--) {
        long first = l == top ? 0 : 8 * idx;
        const double *c = st->a + (st->off[l] + first) * W + way;
        long nk = l == top ? st->size[l] : 8;
        long k = 0;
        for (; k < nk - 1; k++) {
            double v = c[k * W];
            if (u < v)
                break;
            u -= v;
        }
        idx = first + k;
    }
    return idx < st->n ? idx : st->n;
}
