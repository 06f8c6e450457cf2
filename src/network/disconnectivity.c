/* SPDX-License-Identifier: GPL-3.0-or-later */
/* disconnectivity.c -- the disconnectivity graph of a network (network.h):
 * the tree of superbasins at evenly spaced energy levels (Becker and
 * Karplus, J. Chem. Phys. 106, 1495 (1997); Wales, Miller and Walsh,
 * Nature 394, 758 (1998)), its pruning and a layout without crossings.
 *
 * Superbasins.  At the level L the minima with E < L fall into superbasins:
 * two are in one superbasin when a path of transition states with energies
 * below L joins them.  A transition state counts at L when its effective
 * energy max(E_ts, E_a, E_b) is below L (a transition state listed below
 * one of its minima, which real databases contain, joins them only once
 * both exist).  The levels are swept from the bottom up with a union-find
 * over the minima and the transition states sorted by energy: each level
 * adds the minima and transition states that fall below it, so the whole
 * tree costs O((n + m) log(n + m) + levels * n).  The superbasins of level k
 * are the nodes of level k; the parent of a node is the superbasin of level
 * k - 1 that holds its minima (superbasins only merge upwards).
 *
 * Layout.  The children of a node are ordered by the energy of their lowest
 * minimum and placed with the lowest in the middle, the next on its right,
 * the next on its left, and so on (the roots likewise); the lines that end
 * (terminal nodes) get the slots 0, 1, 2, ... in that depth-first order and
 * a node sits at the mean of its children's positions.  Every subtree
 * occupies a contiguous range of slots, so no two lines cross. */
#include "network_private.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define DG_DEFAULT_LEVELS 40
#define DG_MAX_LEVELS 100000

struct hl_dgraph {
    hl_dgraph_info info;
    hl_dgraph_node *node;  /* level 0 first; within a level by first minimum */
    long *bottom;          /* state -> node at the lowest level it is in (-1) */
};

typedef struct {
    double e;
    long i;
} dg_key;

static int cmp_key(const void *x, const void *y)
{
    const dg_key *a = x, *b = y;
    if (a->e != b->e)
        return a->e < b->e ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static long dg_find(long *p, long x)
{
    while (p[x] != x) {
        p[x] = p[p[x]];
        x = p[x];
    }
    return x;
}

void hl_dgraph_free(hl_dgraph *g)
{
    if (!g)
        return;
    free(g->node);
    free(g->bottom);
    free(g);
}

/* ------------------------------------------------------------- layout */

typedef struct {
    hl_dgraph_node *node;
    long *child_start, *child; /* shown children of shown nodes (CSR) */
    double slot;
} dg_layout;

/* Order ids[0..n) (nodes) by the energy of their lowest minimum, then put
 * the lowest in the middle: ..., 4, 2, 0, 1, 3, ... */
static void centre_order(const hl_dgraph_node *node, long *ids, long n, long *tmp)
{
    dg_key *k = malloc(sizeof *k * (size_t)(n ? n : 1));
    if (!k) { /* keep the given order: still without crossings */
        return;
    }
    for (long i = 0; i < n; i++) {
        k[i].e = node[ids[i]].lowest_energy;
        k[i].i = ids[i];
    }
    qsort(k, (size_t)n, sizeof *k, cmp_key);
    long left = (n - 1) / 2; /* slot of the lowest: the centre */
    for (long r = 0; r < n; r++) {
        long pos = r % 2 ? left + (r + 1) / 2 : left - r / 2;
        tmp[pos] = k[r].i;
    }
    memcpy(ids, tmp, sizeof *ids * (size_t)n);
    free(k);
}

/* Depth-first placement (iterative: trees can be deep). */
static void place(dg_layout *L, long root, long *stack, long *pos)
{
    long top = 0;
    stack[top] = root;
    pos[top] = 0;
    while (top >= 0) {
        long v = stack[top];
        long c0 = L->child_start[v], nc = L->child_start[v + 1] - c0;
        if (nc == 0) {
            L->node[v].x = L->slot;
            L->slot += 1;
            top--;
            continue;
        }
        if (pos[top] < nc) {
            long c = L->child[c0 + pos[top]++];
            top++;
            stack[top] = c;
            pos[top] = 0;
            continue;
        }
        double s = 0;
        for (long j = 0; j < nc; j++)
            s += L->node[L->child[c0 + j]].x;
        L->node[v].x = s / (double)nc;
        top--;
    }
}

static int layout(hl_dgraph *g)
{
    long nn = g->info.nodes;
    hl_dgraph_node *node = g->node;
    dg_layout L = {node, calloc((size_t)nn + 2, sizeof(long)),
                   malloc(sizeof(long) * (size_t)(nn ? nn : 1)), 0};
    long *tmp = malloc(sizeof(long) * (size_t)(nn ? nn : 1));
    long *stack = malloc(sizeof(long) * (size_t)(nn ? nn : 1));
    long *pos = malloc(sizeof(long) * (size_t)(nn ? nn : 1));
    long *roots = malloc(sizeof(long) * (size_t)(nn ? nn : 1));
    int st = HL_OK;
    if (!L.child_start || !L.child || !tmp || !stack || !pos || !roots) {
        st = hl_fail(HL_ENOMEM, "out of memory for the disconnectivity graph layout");
        goto done;
    }
    /* shown children, grouped by parent (CSR) */
    long nroots = 0;
    for (long v = 0; v < nn; v++) {
        node[v].x = NAN;
        if (!node[v].shown)
            continue;
        if (node[v].parent >= 0)
            L.child_start[node[v].parent + 1]++;
        else
            roots[nroots++] = v;
    }
    for (long v = 0; v < nn; v++)
        L.child_start[v + 1] += L.child_start[v];
    long *fill = tmp; /* reused below only after this loop */
    for (long v = 0; v < nn; v++)
        fill[v] = L.child_start[v];
    for (long v = 0; v < nn; v++)
        if (node[v].shown && node[v].parent >= 0)
            L.child[fill[node[v].parent]++] = v;
    long lines = 0;
    for (long v = 0; v < nn; v++) {
        long c0 = L.child_start[v], nc = L.child_start[v + 1] - c0;
        node[v].terminal = node[v].shown && nc == 0;
        lines += node[v].terminal;
        if (nc > 1)
            centre_order(node, L.child + c0, nc, tmp);
    }
    centre_order(node, roots, nroots, tmp);
    for (long r = 0; r < nroots; r++)
        place(&L, roots[r], stack, pos);
    g->info.lines = lines;
    g->info.roots = nroots;
done:
    free(L.child_start);
    free(L.child);
    free(tmp);
    free(stack);
    free(pos);
    free(roots);
    return st;
}

/* -------------------------------------------------------------- build */

int hl_network_disconnectivity(const hl_network *net, const hl_dgraph_options *opts,
                               hl_dgraph **out)
{
    if (!net || !out)
        return hl_fail(HL_EINVAL, "hl_network_disconnectivity: NULL argument");
    *out = NULL;
    if (!net->built)
        return hl_fail(HL_EINVAL, "hl_network_disconnectivity: call hl_network_build first");
    hl_dgraph_options o = {0, 0, 0, 0, 0, 0};
    if (opts)
        o = *opts;
    if (o.levels != 0 && (o.levels < 2 || o.levels > DG_MAX_LEVELS))
        return hl_fail(HL_EDOM, "disconnectivity graph: %d levels (give 2 .. %d)", o.levels,
                       DG_MAX_LEVELS);
    if (o.delta != 0 && !(isfinite(o.delta) && o.delta > 0))
        return hl_fail(HL_EDOM, "disconnectivity graph: level spacing %g must be positive",
                       o.delta);
    if (o.have_top && !isfinite(o.top))
        return hl_fail(HL_EDOM, "disconnectivity graph: top level %g is not finite", o.top);
    if (o.min_count < 0 || o.lowest_count < 0)
        return hl_fail(HL_EDOM, "disconnectivity graph: %s %ld < 0",
                       o.min_count < 0 ? "minimum branch size" : "lowest minima kept",
                       o.min_count < 0 ? o.min_count : o.lowest_count);
    long n = (long)net->n_net;
    /* energies of the network's minima and the effective energies of its
     * transition states */
    double *E = malloc(sizeof(double) * (size_t)n);
    dg_key *mk = malloc(sizeof *mk * (size_t)n);
    dg_key *tk = malloc(sizeof *tk * (net->m ? net->m : 1));
    long *ta = malloc(sizeof(long) * (net->m ? net->m : 1));
    long *tb = malloc(sizeof(long) * (net->m ? net->m : 1));
    long *par = malloc(sizeof(long) * (size_t)n);
    long *root_node = malloc(sizeof(long) * (size_t)n);
    long *stamp = malloc(sizeof(long) * (size_t)n);
    unsigned char *inset = calloc((size_t)n, 1);
    hl_dgraph *g = calloc(1, sizeof *g);
    long *lvl_start = NULL;
    hl_dgraph_node *tmpn = NULL;
    int st = HL_OK;
    if (!E || !mk || !tk || !ta || !tb || !par || !root_node || !stamp || !inset || !g) {
        st = hl_fail(HL_ENOMEM, "out of memory for the disconnectivity graph (%ld minima)", n);
        goto fail;
    }
    for (long k = 0; k < n; k++) {
        E[k] = net->E[net->net[k]];
        mk[k].e = E[k];
        mk[k].i = k;
    }
    qsort(mk, (size_t)n, sizeof *mk, cmp_key);
    for (int w = 0; w < 2; w++)
        for (size_t i = 0; i < net->n_net_set[w]; i++)
            inset[net->net_set[w][i]] |= (unsigned char)(1 << w);
    long m = 0, below = 0;
    for (size_t e = 0; e < net->m; e++) {
        long a = net->state_of[net->ts[e].a], b = net->state_of[net->ts[e].b];
        if (a < 0 || b < 0)
            continue;
        double ee = net->ts[e].E;
        if (ee < E[a] || ee < E[b])
            below++;
        ee = fmax(ee, fmax(E[a], E[b]));
        tk[m].e = ee;
        tk[m].i = m;
        ta[m] = a;
        tb[m] = b;
        m++;
    }
    qsort(tk, (size_t)m, sizeof *tk, cmp_key);
    /* the energy where everything joins (the network is connected) */
    double emin = mk[0].e, emerge = emin;
    {
        for (long k = 0; k < n; k++)
            par[k] = k;
        long comps = n;
        for (long t = 0; t < m && comps > 1; t++) {
            long ra = dg_find(par, ta[tk[t].i]), rb = dg_find(par, tb[tk[t].i]);
            if (ra != rb) {
                par[ra] = rb;
                comps--;
                emerge = tk[t].e;
            }
        }
        emerge = fmax(emerge, mk[n - 1].e);
    }
    /* the levels L_k = top - k delta, k = 0 .. levels - 1 */
    int levels = o.levels;
    double delta = o.delta, top = o.top;
    if (o.have_top && !(top > emin)) {
        st = hl_fail(HL_EDOM, "disconnectivity graph: top level %.17g is not above the lowest "
                              "minimum (E = %.17g)", top, emin);
        goto fail;
    }
    if (delta == 0) {
        if (levels == 0)
            levels = DG_DEFAULT_LEVELS;
        double span = (o.have_top ? top : emerge) - emin;
        if (o.have_top)
            delta = span / (levels - 0.5);
        else
            delta = span > 0 ? span / (levels - 1) : fmax(1.0, fabs(emin)) * 1e-3;
        if (!o.have_top)
            top = emerge + 0.5 * delta;
    } else {
        if (!o.have_top)
            top = emerge + 0.5 * delta;
        if (levels == 0) {
            double k = floor((top - emin) / delta);
            /* the lowest level above the lowest minimum */
            if (top - k * delta <= emin)
                k -= 1;
            if (k + 1 > DG_MAX_LEVELS) {
                st = hl_fail(HL_EDOM, "disconnectivity graph: spacing %g gives more than %d "
                                      "levels", delta, DG_MAX_LEVELS);
                goto fail;
            }
            levels = (int)k + 1;
        }
    }
    if (!(delta > 0) || !isfinite(top)) {
        st = hl_fail(HL_EDOM, "disconnectivity graph: levels cannot be placed (spacing %g)",
                     delta);
        goto fail;
    }
    /* bottom-up sweep; the nodes of level k are collected in tmpn in the
     * order of the sweep and renumbered level 0 first at the end */
    size_t cap = 0, nn = 0;
    lvl_start = calloc((size_t)levels + 1, sizeof(long)); /* in sweep order */
    g->bottom = malloc(sizeof(long) * (size_t)n);
    if (!lvl_start || !g->bottom) {
        st = hl_fail(HL_ENOMEM, "out of memory for the disconnectivity graph");
        goto fail;
    }
    for (long k = 0; k < n; k++) {
        par[k] = k;
        stamp[k] = -1;
        g->bottom[k] = -1;
    }
    long im = 0, it = 0; /* minima and transition states added */
    for (int s = 0; s < levels; s++) {
        int k = levels - 1 - s;
        double Lk = top - k * delta;
        while (im < n && mk[im].e < Lk)
            im++;
        while (it < m && tk[it].e < Lk) {
            long ra = dg_find(par, ta[tk[it].i]), rb = dg_find(par, tb[tk[it].i]);
            if (ra != rb)
                par[ra] = rb;
            it++;
        }
        lvl_start[s] = (long)nn;
        for (long j = 0; j < im; j++) {
            long a = mk[j].i, r = dg_find(par, a);
            if (stamp[r] != s) {
                stamp[r] = s;
                if (nw_grow((void **)&tmpn, &cap, nn + 1, sizeof *tmpn) != HL_OK) {
                    st = hl_fail(HL_ENOMEM, "out of memory for the disconnectivity graph "
                                            "(%zu nodes)", nn);
                    goto fail;
                }
                hl_dgraph_node *v = &tmpn[nn];
                memset(v, 0, sizeof *v);
                v->level = k;
                v->energy = Lk;
                v->parent = -1;
                v->lowest = a; /* minima in energy order: the first is the lowest */
                v->lowest_energy = E[a];
                root_node[r] = (long)nn++;
            }
            hl_dgraph_node *v = &tmpn[root_node[r]];
            v->n_minima++;
            v->n_a += inset[a] & 1;
            v->n_b += (inset[a] >> 1) & 1;
            if (g->bottom[a] < 0)
                g->bottom[a] = root_node[r];
        }
        /* parents of the level below (swept just before) */
        if (s > 0)
            for (long v = lvl_start[s - 1]; v < lvl_start[s]; v++)
                tmpn[v].parent = root_node[dg_find(par, tmpn[v].lowest)];
    }
    lvl_start[levels] = (long)nn;
    /* renumber: level 0 (swept last) first */
    long *newid = malloc(sizeof(long) * (nn ? nn : 1));
    g->node = malloc(sizeof *g->node * (nn ? nn : 1));
    if (!newid || !g->node) {
        free(newid);
        st = hl_fail(HL_ENOMEM, "out of memory for the disconnectivity graph");
        goto fail;
    }
    {
        long at = 0;
        for (int s = levels - 1; s >= 0; s--)
            for (long v = lvl_start[s]; v < lvl_start[s + 1]; v++)
                newid[v] = at++;
    }
    for (size_t v = 0; v < nn; v++) {
        hl_dgraph_node x = tmpn[v];
        if (x.parent >= 0)
            x.parent = newid[x.parent];
        g->node[newid[v]] = x;
    }
    for (long k = 0; k < n; k++)
        if (g->bottom[k] >= 0)
            g->bottom[k] = newid[g->bottom[k]];
    free(newid);
    /* pruning: a node is shown when its parent is and its superbasin holds
     * at least min_count minima or one of the lowest_count lowest minima;
     * the root holding the lowest minimum always is */
    long K = o.min_count > 1 ? o.min_count : (o.lowest_count > 0 ? LONG_MAX : 1);
    for (long j = 0; j < n; j++)
        stamp[mk[j].i] = j; /* rank in energy */
    for (size_t v = 0; v < nn; v++) {
        hl_dgraph_node *x = &g->node[v];
        int keep = x->n_minima >= K || stamp[x->lowest] < o.lowest_count;
        x->shown = keep && (x->parent < 0 || g->node[x->parent].shown);
        if (x->parent < 0 && x->lowest == mk[0].i)
            x->shown = 1;
    }
    hl_dgraph_info *in = &g->info;
    in->levels = levels;
    in->top = top;
    in->delta = delta;
    in->bottom_level = top - (levels - 1) * delta;
    in->e_min = emin;
    in->e_merge = emerge;
    in->nodes = (long)nn;
    in->minima = n;
    in->minima_in_graph = im;
    in->transition_states = m;
    in->ts_below_minimum = below;
    in->min_count = o.min_count > 1 ? o.min_count : (o.lowest_count > 0 ? 0 : 1);
    in->lowest_count = o.lowest_count;
    for (size_t v = 0; v < nn; v++)
        in->shown_nodes += g->node[v].shown;
    if ((st = layout(g)) != HL_OK)
        goto fail;
    for (size_t v = 0; v < nn; v++)
        if (g->node[v].terminal)
            in->lines_single += g->node[v].n_minima == 1;
    *out = g;
    g = NULL;
fail:
    hl_dgraph_free(g);
    free(E);
    free(mk);
    free(tk);
    free(ta);
    free(tb);
    free(par);
    free(root_node);
    free(stamp);
    free(inset);
    free(lvl_start);
    free(tmpn);
    return st;
}

/* ------------------------------------------------------------ queries */

int hl_dgraph_get_info(const hl_dgraph *g, hl_dgraph_info *info)
{
    if (!g || !info)
        return hl_fail(HL_EINVAL, "hl_dgraph_get_info: NULL argument");
    *info = g->info;
    return HL_OK;
}

const hl_dgraph_node *hl_dgraph_nodes(const hl_dgraph *g, long *n)
{
    if (n)
        *n = g ? g->info.nodes : 0;
    return g ? g->node : NULL;
}

int hl_dgraph_node_of(const hl_dgraph *g, int level, long state, long *node)
{
    if (!g || !node)
        return hl_fail(HL_EINVAL, "hl_dgraph_node_of: NULL argument");
    if (level < 0 || level >= g->info.levels)
        return hl_fail(HL_EINVAL, "hl_dgraph_node_of: level %d not in 0 .. %d", level,
                       g->info.levels - 1);
    if (state < 0 || state >= g->info.minima)
        return hl_fail(HL_EINVAL, "hl_dgraph_node_of: state %ld not in the network", state);
    long v = g->bottom[state];
    *node = -1;
    if (v < 0 || g->node[v].level < level)
        return HL_OK; /* the minimum lies above this level */
    while (g->node[v].level > level)
        v = g->node[v].parent;
    *node = v;
    return HL_OK;
}
