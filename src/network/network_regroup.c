/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_regroup.c -- free-energy groups of a network at one temperature
 * (network.h, PATHSAMPLE's REGROUPFREE): minima merged while the barriers
 * between their groups, in both directions, lie below a threshold; group
 * free energies from the summed weights and group-to-group rates from the
 * summed fluxes, all in logs. */
#include "network_graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static long uf_find(long *p, long x)
{
    while (p[x] != x) {
        p[x] = p[p[x]];
        x = p[x];
    }
    return x;
}

typedef struct {
    long i, j;       /* groups (roots), i != j */
    double ln_flux;  /* ln sum p_a k(a -> b), a in i, b in j */
    double lowest_ts;
} gflux;

static int cmp_gflux(const void *x, const void *y)
{
    const gflux *a = x, *b = y;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    if (a->j != b->j)
        return a->j < b->j ? -1 : 1;
    if (a->ln_flux != b->ln_flux)
        return a->ln_flux < b->ln_flux ? -1 : 1;
    return 0;
}

typedef struct {
    long i, j;
    double key; /* the larger of the two barriers */
} merge_t;

static int cmp_merge(const void *x, const void *y)
{
    const merge_t *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : (a->j > b->j);
}

/* The inter-group fluxes of the partition root[] (both directions), merged
 * by pair; ln_pop[root] the groups' ln P.  *out malloc'd, *nf entries. */
static int group_fluxes(const nw_graph *g, long *root, const double *ln_pop, gflux **out,
                        size_t *nf)
{
    size_t m = (size_t)g->start[g->n], k = 0;
    gflux *f = malloc((m ? m : 1) * sizeof *f);
    if (!f)
        return hl_fail(HL_ENOMEM, "out of memory for %zu group fluxes", m);
    for (size_t a = 0; a < g->n; a++)
        for (long e = g->start[a]; e < g->start[a + 1]; e++) {
            long ra = uf_find(root, (long)a), rb = uf_find(root, g->nbr[e]);
            if (ra != rb)
                f[k++] = (gflux){ra, rb, g->ln_p[a] + g->ln_k[e], g->ts_e[e]};
        }
    qsort(f, k, sizeof *f, cmp_gflux);
    size_t u = 0;
    for (size_t e = 0; e < k; e++) {
        if (u && f[u - 1].i == f[e].i && f[u - 1].j == f[e].j) {
            f[u - 1].ln_flux = hl_lse(f[u - 1].ln_flux, f[e].ln_flux);
            f[u - 1].lowest_ts = fmin(f[u - 1].lowest_ts, f[e].lowest_ts);
        } else {
            f[u++] = f[e];
        }
    }
    (void)ln_pop;
    *out = f;
    *nf = u;
    return HL_OK;
}

void hl_network_groups_free(hl_network_groups *gr)
{
    if (!gr)
        return;
    for (size_t i = 0; i < gr->n_groups; i++)
        free(gr->group[i].states);
    free(gr->group);
    free(gr->rate);
    free(gr->group_of);
    free(gr);
}

typedef struct {
    double G;
    long id, index;
} gkey;

static int cmp_gkey(const void *x, const void *y)
{
    const gkey *a = x, *b = y;
    if (a->G != b->G)
        return a->G < b->G ? -1 : 1;
    return a->id < b->id ? -1 : (a->id > b->id);
}

static int cmp_rate(const void *x, const void *y)
{
    const hl_network_group_rate *a = x, *b = y;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return a->to < b->to ? -1 : (a->to > b->to);
}

int hl_network_regroup(const hl_network *net, double T, double threshold,
                       hl_network_groups **out)
{
    if (!net || !out)
        return hl_fail(HL_EINVAL, "hl_network_regroup: NULL argument");
    *out = NULL;
    if (!net->built)
        return hl_fail(HL_EINVAL, "hl_network_regroup: call hl_network_build first");
    if (!(T > 0) || !isfinite(T))
        return hl_fail(HL_EDOM, "temperature T = %g must be positive and finite", T);
    if (!isfinite(threshold))
        return hl_fail(HL_EDOM, "the regrouping threshold %g must be finite", threshold);
    nw_graph g;
    int st = nw_graph_build(net, T, &g);
    size_t n = net->n_net;
    long *root = malloc(n * sizeof *root);
    int *set = malloc(n * sizeof *set);       /* by root: bit 1 A, bit 2 B */
    double *ln_pop = malloc(n * sizeof *ln_pop); /* by root */
    gflux *f = NULL;
    merge_t *mg = NULL;
    size_t nf = 0;
    hl_network_groups *gr = NULL;
    long *index = NULL;
    gkey *order = NULL;
    if (!st && (!root || !set || !ln_pop))
        st = hl_fail(HL_ENOMEM, "out of memory for the groups of %zu minima", n);
    if (st)
        goto done;
    for (size_t a = 0; a < n; a++) {
        root[a] = (long)a;
        set[a] = 0;
    }
    for (int w = 0; w < 2; w++)
        for (size_t i = 0; i < net->n_net_set[w]; i++)
            set[net->net_set[w][i]] |= 1 << w;
    long passes = 0;
    for (;;) {
        /* the groups' ln P, then the fluxes between them */
        for (size_t a = 0; a < n; a++)
            ln_pop[a] = -INFINITY;
        for (size_t a = 0; a < n; a++) {
            long r = uf_find(root, (long)a);
            ln_pop[r] = hl_lse(ln_pop[r], g.ln_p[a]);
        }
        free(f);
        f = NULL;
        if ((st = group_fluxes(&g, root, ln_pop, &f, &nf)))
            goto done;
        /* candidate pairs: both barriers <= threshold; the flux array has
         * both directions of a pair, each pair once with i < j here */
        free(mg);
        mg = malloc((nf ? nf : 1) * sizeof *mg);
        if (!mg) {
            st = hl_fail(HL_ENOMEM, "out of memory for the merge list");
            goto done;
        }
        size_t nm = 0;
        for (size_t e = 0; e < nf; e++) {
            if (f[e].i > f[e].j)
                continue;
            /* barrier(I -> J) = -T ln(flux / P_I); the flux is symmetric */
            double bij = -T * (f[e].ln_flux - ln_pop[f[e].i]);
            double bji = -T * (f[e].ln_flux - ln_pop[f[e].j]);
            if (bij <= threshold && bji <= threshold)
                mg[nm++] = (merge_t){f[e].i, f[e].j, fmax(bij, bji)};
        }
        qsort(mg, nm, sizeof *mg, cmp_merge);
        int merged = 0;
        for (size_t e = 0; e < nm; e++) {
            long ri = uf_find(root, mg[e].i), rj = uf_find(root, mg[e].j);
            if (ri == rj)
                continue;
            int s = set[ri] | set[rj];
            if ((s & 3) == 3)
                continue; /* never A with B */
            long lo = ri < rj ? ri : rj, hi = ri < rj ? rj : ri;
            root[hi] = lo;
            set[lo] = s;
            merged = 1;
        }
        if (!merged)
            break;
        passes++;
    }
    /* the result: groups by increasing free energy */
    gr = calloc(1, sizeof *gr);
    index = malloc(n * sizeof *index); /* root -> provisional group */
    if (!gr || !index || !(gr->group_of = malloc(n * sizeof *gr->group_of))) {
        st = hl_fail(HL_ENOMEM, "out of memory for the groups");
        goto done;
    }
    gr->T = T;
    gr->threshold = threshold;
    gr->passes = passes;
    size_t ng = 0;
    for (size_t a = 0; a < n; a++)
        if (uf_find(root, (long)a) == (long)a)
            index[a] = (long)ng++;
    gr->group = calloc(ng, sizeof *gr->group);
    order = malloc(ng * sizeof *order);
    if (!gr->group || !order) {
        st = hl_fail(HL_ENOMEM, "out of memory for %zu groups", ng);
        goto done;
    }
    gr->n_groups = ng;
    for (size_t a = 0; a < n; a++)
        gr->group[index[uf_find(root, (long)a)]].n_minima++;
    for (size_t i = 0; i < ng; i++) {
        gr->group[i].states = malloc(gr->group[i].n_minima * sizeof(long));
        if (!gr->group[i].states) {
            st = hl_fail(HL_ENOMEM, "out of memory for the groups");
            goto done;
        }
        gr->group[i].n_minima = 0;
        gr->group[i].lowest_id = -1;
    }
    for (size_t a = 0; a < n; a++) {
        long r = uf_find(root, (long)a);
        hl_network_group *q = &gr->group[index[r]];
        q->states[q->n_minima++] = (long)a;
        long d = net->net[a];
        if (q->lowest_id < 0 || net->E[d] < q->lowest_energy) {
            q->lowest_id = net->id[d];
            q->lowest_energy = net->E[d];
        }
        q->ln_population = ln_pop[r];
        q->set = (set[r] & 1) ? HL_NETWORK_A : (set[r] & 2) ? HL_NETWORK_B : -1;
    }
    /* G_I = -T ln sum M_a, from the group's most probable minimum r:
     * ln sum M = S_r - E_r/T + ln sum exp((S_a - S_r) - (E_a - E_r)/T) */
    for (size_t i = 0; i < ng; i++) {
        hl_network_group *q = &gr->group[i];
        long r = q->states[0];
        for (size_t k = 1; k < q->n_minima; k++)
            if (g.ln_p[q->states[k]] > g.ln_p[r])
                r = q->states[k];
        long dr = net->net[r];
        double s = 0;
        for (size_t k = 0; k < q->n_minima; k++) {
            long d = net->net[q->states[k]];
            s += exp((net->S[d] - net->S[dr]) - (net->E[d] - net->E[dr]) / T);
        }
        q->free_energy = net->E[dr] - T * (net->S[dr] + net->s_ref + log(s));
    }
    for (size_t i = 0; i < ng; i++)
        order[i] = (gkey){gr->group[i].free_energy, gr->group[i].lowest_id, (long)i};
    qsort(order, ng, sizeof *order, cmp_gkey);
    {
        hl_network_group *sorted = malloc(ng * sizeof *sorted);
        long *rank = malloc(ng * sizeof *rank);
        if (!sorted || !rank) {
            free(sorted);
            free(rank);
            st = hl_fail(HL_ENOMEM, "out of memory for the groups");
            goto done;
        }
        for (size_t i = 0; i < ng; i++) {
            sorted[i] = gr->group[order[i].index];
            rank[order[i].index] = (long)i;
        }
        free(gr->group);
        gr->group = sorted;
        for (size_t a = 0; a < n; a++)
            gr->group_of[a] = rank[index[uf_find(root, (long)a)]];
        /* the rates between the final groups */
        for (size_t a = 0; a < n; a++)
            ln_pop[a] = -INFINITY;
        for (size_t a = 0; a < n; a++) {
            long r = uf_find(root, (long)a);
            ln_pop[r] = hl_lse(ln_pop[r], g.ln_p[a]);
        }
        free(f);
        f = NULL;
        if ((st = group_fluxes(&g, root, ln_pop, &f, &nf))) {
            free(rank);
            goto done;
        }
        gr->rate = malloc((nf ? nf : 1) * sizeof *gr->rate);
        if (!gr->rate) {
            free(rank);
            st = hl_fail(HL_ENOMEM, "out of memory for %zu group rates", nf);
            goto done;
        }
        gr->n_rates = nf;
        for (size_t e = 0; e < nf; e++) {
            hl_network_group_rate *r = &gr->rate[e];
            r->from = (size_t)rank[index[f[e].i]];
            r->to = (size_t)rank[index[f[e].j]];
            r->ln_rate = f[e].ln_flux - ln_pop[f[e].i];
            r->barrier = -T * r->ln_rate;
            r->ts_free_energy = gr->group[r->from].free_energy + r->barrier;
            r->lowest_ts = f[e].lowest_ts;
        }
        free(rank);
        qsort(gr->rate, nf, sizeof *gr->rate, cmp_rate);
    }
    *out = gr;
    gr = NULL;
done:
    hl_network_groups_free(gr);
    free(order);
    free(index);
    free(mg);
    free(f);
    free(root);
    free(set);
    free(ln_pop);
    nw_graph_free(&g);
    return st;
}
