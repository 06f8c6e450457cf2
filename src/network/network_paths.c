/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_paths.c -- the k fastest paths from B to A of a network
 * (network.h): Dijkstra on -ln of the branching probabilities, with a
 * super-source that carries each B minimum's ln(p_b K_b / P_B), so that one
 * search finds the largest k^SS contribution over every start, and Yen's
 * k shortest loopless paths (Yen, Manage. Sci. 17, 712 (1971)) beyond the
 * first.  The contributions are then summed again in logs from their
 * terms, so they keep their relative accuracy at any temperature. */
#include "network_graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define MAX_PATHS 100000

typedef struct {
    const nw_graph *g;
    size_t n;              /* states; source = n, sink = n + 1 */
    const char *in_a, *in_b;
    double *w_src;         /* n: weight of source -> b (b in B), else inf */
    /* Dijkstra work space */
    double *dist;
    long *prev;
    char *done, *banned;   /* banned: nodes of the root path              */
    char *cut;             /* next nodes cut out of the spur node         */
    long *heap_node;
    double *heap_d;
    size_t heap_n, heap_cap;
} yen_t;

typedef struct {
    long *v;      /* nodes, source first, sink last */
    size_t len;
    double w;
} cand;

/* weight of the edge u -> v (inf: none); e: the graph edge or -1 */
static double edge_w(const yen_t *y, long u, long v)
{
    long S = (long)y->n, T = S + 1;
    if (u == S)
        return v < S ? y->w_src[v] : INFINITY;
    if (u == T || v == S)
        return INFINITY;
    if (y->in_a[u])
        return v == T ? 0.0 : INFINITY;
    if (v == T || y->in_b[v])
        return INFINITY;
    const nw_graph *g = y->g;
    long lo = g->start[u], hi = g->start[u + 1];
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (g->nbr[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < g->start[u + 1] && g->nbr[lo] == v)
        return fmax(0.0, g->ln_esc[u] - g->ln_k[lo]);
    return INFINITY;
}

/* ---- a binary heap of (distance, node), the lower node first on ties */
static int heap_less(const yen_t *y, size_t i, size_t j)
{
    if (y->heap_d[i] != y->heap_d[j])
        return y->heap_d[i] < y->heap_d[j];
    return y->heap_node[i] < y->heap_node[j];
}

static void heap_swap(yen_t *y, size_t i, size_t j)
{
    double d = y->heap_d[i];
    long v = y->heap_node[i];
    y->heap_d[i] = y->heap_d[j];
    y->heap_node[i] = y->heap_node[j];
    y->heap_d[j] = d;
    y->heap_node[j] = v;
}

static int heap_push(yen_t *y, double d, long v)
{
    if (y->heap_n == y->heap_cap) {
        size_t nc = y->heap_cap ? 2 * y->heap_cap : 1024;
        double *nd = realloc(y->heap_d, nc * sizeof *nd);
        if (!nd)
            return HL_ENOMEM;
        y->heap_d = nd;
        long *nn = realloc(y->heap_node, nc * sizeof *nn);
        if (!nn)
            return HL_ENOMEM;
        y->heap_node = nn;
        y->heap_cap = nc;
    }
    size_t i = y->heap_n++;
    y->heap_d[i] = d;
    y->heap_node[i] = v;
    while (i > 0 && heap_less(y, i, (i - 1) / 2)) {
        heap_swap(y, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    return HL_OK;
}

static void heap_pop(yen_t *y, double *d, long *v)
{
    *d = y->heap_d[0];
    *v = y->heap_node[0];
    y->heap_n--;
    if (y->heap_n) {
        y->heap_d[0] = y->heap_d[y->heap_n];
        y->heap_node[0] = y->heap_node[y->heap_n];
        size_t i = 0;
        for (;;) {
            size_t l = 2 * i + 1, r = l + 1, m = i;
            if (l < y->heap_n && heap_less(y, l, m))
                m = l;
            if (r < y->heap_n && heap_less(y, r, m))
                m = r;
            if (m == i)
                break;
            heap_swap(y, i, m);
            i = m;
        }
    }
}

/* Relax the out-edges of u (a state, the source or the sink). */
static int relax(yen_t *y, long u, long spur)
{
    long S = (long)y->n, T = S + 1;
    const nw_graph *g = y->g;
    double du = y->dist[u];
    int st = HL_OK;
#define RELAX(v, w)                                                                 \
    do {                                                                            \
        long v_ = (v);                                                              \
        double w_ = (w);                                                            \
        if (!y->banned[v_] && !y->done[v_] && !(u == spur && y->cut[v_]) &&         \
            du + w_ < y->dist[v_]) {                                                \
            y->dist[v_] = du + w_;                                                  \
            y->prev[v_] = u;                                                        \
            if ((st = heap_push(y, y->dist[v_], v_)) != HL_OK)                      \
                return st;                                                          \
        }                                                                           \
    } while (0)
    if (u == S) {
        for (long b = 0; b < S; b++)
            if (y->w_src[b] < INFINITY)
                RELAX(b, y->w_src[b]);
    } else if (u == T) {
        return HL_OK;
    } else if (y->in_a[u]) {
        RELAX(T, 0.0);
    } else {
        for (long e = g->start[u]; e < g->start[u + 1]; e++) {
            long v = g->nbr[e];
            if (!y->in_b[v])
                RELAX(v, fmax(0.0, g->ln_esc[u] - g->ln_k[e]));
        }
    }
#undef RELAX
    return st;
}

/* The shortest path from spur (at distance d0) to the sink avoiding the
 * banned nodes and the cut edges out of spur; *found = 0 if none.  The
 * path (spur .. sink) in y->prev. */
static int dijkstra(yen_t *y, long spur, int *found)
{
    size_t N = y->n + 2;
    long T = (long)y->n + 1;
    for (size_t i = 0; i < N; i++) {
        y->dist[i] = INFINITY;
        y->prev[i] = -1;
        y->done[i] = 0;
    }
    y->heap_n = 0;
    y->dist[spur] = 0;
    int st = heap_push(y, 0.0, spur);
    *found = 0;
    while (st == HL_OK && y->heap_n) {
        double d;
        long u;
        heap_pop(y, &d, &u);
        if (y->done[u] || d > y->dist[u])
            continue;
        y->done[u] = 1;
        if (u == T) {
            *found = 1;
            break;
        }
        st = relax(y, u, spur);
    }
    return st == HL_OK ? HL_OK : hl_fail(HL_ENOMEM, "out of memory in the path search");
}

static int same_prefix(const cand *p, const long *root, size_t rl)
{
    if (p->len < rl + 1)
        return 0;
    return memcmp(p->v, root, rl * sizeof *root) == 0;
}

static int same_path(const cand *a, const cand *b)
{
    return a->len == b->len && memcmp(a->v, b->v, a->len * sizeof *a->v) == 0;
}

/* a before b: lower weight, then the lexicographically lower sequence */
static int cand_less(const cand *a, const cand *b)
{
    if (a->w != b->w)
        return a->w < b->w;
    size_t l = a->len < b->len ? a->len : b->len;
    for (size_t i = 0; i < l; i++)
        if (a->v[i] != b->v[i])
            return a->v[i] < b->v[i];
    return a->len < b->len;
}

static double path_weight(const yen_t *y, const long *v, size_t len)
{
    double w = 0;
    for (size_t i = 0; i + 1 < len; i++)
        w += edge_w(y, v[i], v[i + 1]);
    return w;
}

void hl_network_paths_free(hl_network_paths *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->path[i].states);
        free(p->path[i].ids);
        free(p->path[i].ln_branching);
        free(p->path[i].ts_energy);
    }
    free(p->path);
    free(p);
}

static void free_cands(cand *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(c[i].v);
    free(c);
}

/* Fill out path r from the node sequence (source .. sink) */
static int fill_path(const hl_network *net, const nw_graph *g, double ln_pb, const cand *c,
                     hl_network_path *r)
{
    size_t L = c->len - 2; /* states */
    memset(r, 0, sizeof *r);
    r->n_states = L;
    r->states = malloc(L * sizeof *r->states);
    r->ids = malloc(L * sizeof *r->ids);
    r->ln_branching = malloc(L * sizeof *r->ln_branching);
    r->ts_energy = malloc(L * sizeof *r->ts_energy);
    if (!r->states || !r->ids || !r->ln_branching || !r->ts_energy)
        return hl_fail(HL_ENOMEM, "out of memory for a path of %zu minima", L);
    for (size_t i = 0; i < L; i++) {
        r->states[i] = c->v[i + 1];
        r->ids[i] = net->id[net->net[r->states[i]]];
    }
    long b = r->states[0];
    r->ln_source = g->ln_p[b] - ln_pb;
    r->ln_escape = g->ln_esc[b];
    r->ln_product = 0;
    r->highest_ts = -INFINITY;
    for (size_t i = 0; i + 1 < L; i++) {
        long u = r->states[i], v = r->states[i + 1];
        long e = g->start[u];
        while (g->nbr[e] != v)
            e++;
        r->ln_branching[i] = g->ln_k[e] - g->ln_esc[u];
        r->ts_energy[i] = g->ts_e[e];
        r->ln_product += r->ln_branching[i];
        r->highest_ts = fmax(r->highest_ts, g->ts_e[e]);
    }
    r->ln_k_ss = r->ln_source + r->ln_escape + r->ln_product;
    return HL_OK;
}

int hl_network_paths_find(const hl_network *net, double T, size_t k, hl_network_paths **out)
{
    if (!net || !out)
        return hl_fail(HL_EINVAL, "hl_network_paths_find: NULL argument");
    *out = NULL;
    if (!net->built)
        return hl_fail(HL_EINVAL, "hl_network_paths_find: call hl_network_build first");
    if (!net->n_net_set[0] || !net->n_net_set[1])
        return hl_fail(HL_EINVAL, "paths from B to A need both sets A and B");
    if (!(T > 0) || !isfinite(T))
        return hl_fail(HL_EDOM, "temperature T = %g must be positive and finite", T);
    if (k < 1 || k > MAX_PATHS)
        return hl_fail(HL_EDOM, "the number of paths %zu must be in 1..%d", k, MAX_PATHS);
    nw_graph g;
    int st = nw_graph_build(net, T, &g);
    size_t n = net->n_net, N = n + 2;
    yen_t y;
    memset(&y, 0, sizeof y);
    y.g = &g;
    y.n = n;
    char *in_a = calloc(n, 1), *in_b = calloc(n, 1);
    y.in_a = in_a;
    y.in_b = in_b;
    y.w_src = malloc(n * sizeof *y.w_src);
    y.dist = malloc(N * sizeof *y.dist);
    y.prev = malloc(N * sizeof *y.prev);
    y.done = malloc(N);
    y.banned = calloc(N, 1);
    y.cut = calloc(N, 1);
    cand *acc = NULL, *cands = NULL;
    size_t n_acc = 0, n_c = 0, cap_c = 0;
    long *buf = malloc(N * sizeof *buf);
    hl_network_paths *res = NULL;
    if (st == HL_OK && (!in_a || !in_b || !y.w_src || !y.dist || !y.prev || !y.done ||
                        !y.banned || !y.cut || !buf))
        st = hl_fail(HL_ENOMEM, "out of memory for the path search (%zu minima)", n);
    if (st)
        goto done;
    for (int w = 0; w < 2; w++)
        for (size_t i = 0; i < net->n_net_set[w]; i++)
            (w ? in_b : in_a)[net->net_set[w][i]] = 1;
    /* source weights: -ln(p_b K_b / P_B) + c >= 0 */
    double ln_pb = -INFINITY, cmax = -INFINITY;
    for (size_t i = 0; i < net->n_net_set[1]; i++)
        ln_pb = hl_lse(ln_pb, g.ln_p[net->net_set[1][i]]);
    for (size_t i = 0; i < net->n_net_set[1]; i++) {
        long b = net->net_set[1][i];
        cmax = fmax(cmax, g.ln_p[b] - ln_pb + g.ln_esc[b]);
    }
    for (size_t i = 0; i < n; i++)
        y.w_src[i] = INFINITY;
    for (size_t i = 0; i < net->n_net_set[1]; i++) {
        long b = net->net_set[1][i];
        if (g.ln_esc[b] > -INFINITY)
            y.w_src[b] = cmax - (g.ln_p[b] - ln_pb + g.ln_esc[b]);
    }
    acc = calloc(k, sizeof *acc);
    if (!acc) {
        st = hl_fail(HL_ENOMEM, "out of memory for %zu paths", k);
        goto done;
    }
    long S = (long)n, Tn = S + 1;
    int found;
    if ((st = dijkstra(&y, S, &found)))
        goto done;
    if (!found) {
        st = hl_fail(HL_ENOTFOUND, "no path leads from B to A without passing through B again");
        goto done;
    }
    {
        size_t len = 0;
        for (long v = Tn; v >= 0; v = y.prev[v])
            buf[len++] = v;
        acc[0].v = malloc(len * sizeof *acc[0].v);
        if (!acc[0].v) {
            st = hl_fail(HL_ENOMEM, "out of memory for a path");
            goto done;
        }
        for (size_t i = 0; i < len; i++)
            acc[0].v[i] = buf[len - 1 - i];
        acc[0].len = len;
        acc[0].w = path_weight(&y, acc[0].v, len);
        n_acc = 1;
    }
    while (n_acc < k) {
        const cand *last = &acc[n_acc - 1];
        for (size_t i = 0; i + 1 < last->len; i++) {
            long spur = last->v[i];
            /* cut the next edge of every accepted path with this root */
            for (size_t a = 0; a < n_acc; a++)
                if (same_prefix(&acc[a], last->v, i + 1))
                    y.cut[acc[a].v[i + 1]] = 1;
            for (size_t r = 0; r < i; r++)
                y.banned[last->v[r]] = 1;
            st = dijkstra(&y, spur, &found);
            for (size_t a = 0; a < n_acc; a++)
                if (same_prefix(&acc[a], last->v, i + 1))
                    y.cut[acc[a].v[i + 1]] = 0;
            for (size_t r = 0; r < i; r++)
                y.banned[last->v[r]] = 0;
            if (st)
                goto done;
            if (!found)
                continue;
            size_t sl = 0;
            for (long v = Tn; v != spur; v = y.prev[v])
                buf[sl++] = v;
            cand c;
            c.len = i + 1 + sl;
            c.v = malloc(c.len * sizeof *c.v);
            if (!c.v) {
                st = hl_fail(HL_ENOMEM, "out of memory for a candidate path");
                goto done;
            }
            memcpy(c.v, last->v, (i + 1) * sizeof *c.v);
            for (size_t j = 0; j < sl; j++)
                c.v[i + 1 + j] = buf[sl - 1 - j];
            c.w = path_weight(&y, c.v, c.len);
            int dup = 0;
            for (size_t j = 0; j < n_c && !dup; j++)
                dup = same_path(&cands[j], &c);
            for (size_t j = 0; j < n_acc && !dup; j++)
                dup = same_path(&acc[j], &c);
            if (dup) {
                free(c.v);
                continue;
            }
            if (n_c == cap_c) {
                size_t nc = cap_c ? 2 * cap_c : 64;
                cand *nb = realloc(cands, nc * sizeof *nb);
                if (!nb) {
                    free(c.v);
                    st = hl_fail(HL_ENOMEM, "out of memory for candidate paths");
                    goto done;
                }
                cands = nb;
                cap_c = nc;
            }
            cands[n_c++] = c;
        }
        if (!n_c)
            break; /* no more loopless paths */
        size_t best = 0;
        for (size_t j = 1; j < n_c; j++)
            if (cand_less(&cands[j], &cands[best]))
                best = j;
        acc[n_acc++] = cands[best];
        cands[best] = cands[--n_c];
    }
    res = calloc(1, sizeof *res);
    if (!res || !(res->path = calloc(n_acc, sizeof *res->path))) {
        st = hl_fail(HL_ENOMEM, "out of memory for %zu paths", n_acc);
        goto done;
    }
    res->T = T;
    res->ln_k_ss_sum = -INFINITY;
    for (size_t i = 0; i < n_acc; i++) {
        res->n = i + 1;
        if ((st = fill_path(net, &g, ln_pb, &acc[i], &res->path[i])))
            goto done;
        res->ln_k_ss_sum = hl_lse(res->ln_k_ss_sum, res->path[i].ln_k_ss);
    }
    *out = res;
    res = NULL;
done:
    hl_network_paths_free(res);
    free_cands(cands, n_c);
    free_cands(acc, n_acc);
    free(buf);
    free(in_a);
    free(in_b);
    free(y.w_src);
    free(y.dist);
    free(y.prev);
    free(y.done);
    free(y.banned);
    free(y.cut);
    free(y.heap_d);
    free(y.heap_node);
    nw_graph_free(&g);
    return st;
}
