/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_graph.c -- the network at one temperature as a directed graph in
 * logs: ln k(i -> j) over every transition state of the pair, the escape
 * rates ln K_i and the equilibrium ln p_i.  Differences of energies are
 * taken before dividing by T, so that rates and weights keep their digits
 * at low temperature (LJ38 at T = 0.01: E/T ~ 17000). */
#include "network_graph.h"

#include <math.h>
#include <stdlib.h>

#include "core.h"

typedef struct {
    long i, j;
    double ln_k, e;
} dir_edge;

static int cmp_dir(const void *x, const void *y)
{
    const dir_edge *a = x, *b = y;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    if (a->j != b->j)
        return a->j < b->j ? -1 : 1;
    /* a fixed order of the terms of one pair: the same sums every run */
    if (a->ln_k != b->ln_k)
        return a->ln_k < b->ln_k ? -1 : 1;
    return 0;
}

void nw_graph_free(nw_graph *g)
{
    if (!g)
        return;
    free(g->start);
    free(g->nbr);
    free(g->ln_k);
    free(g->ts_e);
    free(g->ln_esc);
    free(g->ln_p);
    g->start = g->nbr = NULL;
    g->ln_k = g->ts_e = g->ln_esc = g->ln_p = NULL;
    g->n = 0;
}

int nw_graph_build(const hl_network *net, double T, nw_graph *g)
{
    g->n = net->n_net;
    g->start = NULL;
    g->nbr = NULL;
    g->ln_k = g->ts_e = g->ln_esc = g->ln_p = NULL;
    int st = nw_check_temperature(net, T); /* the paths' and groups' one check */
    if (st)
        return st;
    size_t n = net->n_net, m = 0;
    for (size_t e = 0; e < net->m; e++)
        if (net->state_of[net->ts[e].a] >= 0)
            m += 2;
    dir_edge *d = malloc((m ? m : 1) * sizeof *d);
    g->start = calloc(n + 1, sizeof *g->start);
    g->ln_esc = malloc(n * sizeof *g->ln_esc);
    g->ln_p = malloc(n * sizeof *g->ln_p);
    if (!d || !g->start || !g->ln_esc || !g->ln_p) {
        free(d);
        return hl_fail(HL_ENOMEM, "out of memory for the network's graph (%zu edges)", m);
    }
    size_t k = 0;
    for (size_t e = 0; e < net->m; e++) {
        const nw_ts *t = &net->ts[e];
        long sa = net->state_of[t->a], sb = net->state_of[t->b];
        if (sa < 0 || sb < 0)
            continue;
        for (int dir = 0; dir < 2; dir++) {
            long from = dir ? t->b : t->a, s_from = dir ? sb : sa, s_to = dir ? sa : sb;
            double lk = (t->S - net->S[from]) - (t->E - net->E[from]) / T;
            if (!isfinite(lk)) {
                free(d);
                return hl_fail(HL_ERANGE, "the rate out of %s %ld is not finite in logs at T = %g",
                               net->pathsample ? "minimum" : "state", net->id[from], T);
            }
            d[k++] = (dir_edge){s_from, s_to, lk, t->E};
        }
    }
    qsort(d, k, sizeof *d, cmp_dir);
    /* merge the transition states of one pair */
    size_t u = 0;
    for (size_t e = 0; e < k; e++) {
        if (u > 0 && d[u - 1].i == d[e].i && d[u - 1].j == d[e].j) {
            d[u - 1].ln_k = hl_lse(d[u - 1].ln_k, d[e].ln_k);
            if (d[e].e < d[u - 1].e)
                d[u - 1].e = d[e].e;
        } else {
            d[u++] = d[e];
        }
    }
    g->nbr = malloc((u ? u : 1) * sizeof *g->nbr);
    g->ln_k = malloc((u ? u : 1) * sizeof *g->ln_k);
    g->ts_e = malloc((u ? u : 1) * sizeof *g->ts_e);
    if (!g->nbr || !g->ln_k || !g->ts_e) {
        free(d);
        return hl_fail(HL_ENOMEM, "out of memory for the network's graph (%zu edges)", u);
    }
    for (size_t e = 0; e < u; e++) {
        g->start[d[e].i + 1]++;
        g->nbr[e] = d[e].j;
        g->ln_k[e] = d[e].ln_k;
        g->ts_e[e] = d[e].e;
    }
    free(d);
    for (size_t i = 0; i < n; i++)
        g->start[i + 1] += g->start[i];
    for (size_t i = 0; i < n; i++) {
        /* the largest term first: a sum of positive terms in logs */
        double mx = -INFINITY;
        for (long e = g->start[i]; e < g->start[i + 1]; e++)
            mx = fmax(mx, g->ln_k[e]);
        double s = 0;
        for (long e = g->start[i]; e < g->start[i + 1]; e++)
            s += exp(g->ln_k[e] - mx);
        g->ln_esc[i] = mx + log(s);
    }
    /* equilibrium: relative log weights from differences before / T */
    size_t ref = 0;
    for (size_t i = 0; i < n; i++) {
        long a = net->net[i], r = net->net[ref];
        double w = (net->S[a] - net->S[r]) - (net->E[a] - net->E[r]) / T;
        if (w > 0)
            ref = i;
    }
    long r = net->net[ref];
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        long a = net->net[i];
        g->ln_p[i] = (net->S[a] - net->S[r]) - (net->E[a] - net->E[r]) / T;
        if (!isfinite(g->ln_p[i]))
            return hl_fail(HL_ERANGE, "the weight of %s %ld is not finite in logs at T = %g",
                           net->pathsample ? "minimum" : "state", net->id[a], T);
        s += exp(g->ln_p[i]);
    }
    double lz = log(s);
    for (size_t i = 0; i < n; i++)
        g->ln_p[i] -= lz;
    return HL_OK;
}
