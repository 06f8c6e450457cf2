/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network.c -- a network read from a file becomes a reversible chain
 * (network.h): the connected component holding A (or the global minimum),
 * the sets intersected with it, the chain of its minima and transition
 * states, and the warnings about duplicate and outlying minima.
 *
 * The mapping of a PATHSAMPLE database onto the chain.  PATHSAMPLE's setup
 * (and PyGT's io.load_ktn) use harmonic transition-state theory:
 *
 *   k(a -> b via s) = (o_a / o_s) prod_{i=1}^{kappa} nu_i^a / prod_{i=1}^{kappa-1} nu_i^s
 *                     exp(-(E_s - E_a)/T),
 *
 * nu the normal-mode frequencies (kappa = 3N - 6), o the orders of the point
 * groups.  min.data/ts.data store F = sum ln omega^2 = 2 ln prod omega with
 * omega = 2 pi nu the angular frequencies, so prod nu^a = e^{F_a/2} /
 * (2 pi)^kappa and prod nu^s = e^{F_s/2} / (2 pi)^(kappa-1), and
 *
 *   ln k = ln(o_a / (2 pi o_s)) + (F_a - F_s)/2 - (E_s - E_a)/T,
 *
 * the formula of the ktn README.  Splitting it into a part of s and a part
 * of a:
 *
 *   ln k = [-F_s/2 - ln o_s - ln 2 pi - E_s/T] - [-F_a/2 - ln o_a - E_a/T]
 *        = (S_ts - E_ts/T) - (S_a - E_a/T)
 *
 * with S_a = -F_a/2 - ln o_a and S_ts = -F_s/2 - ln o_s - ln 2 pi: exactly
 * chain.h's transition-state form ln K(a -> b) = (S_ts - beta E_ts) - ln M_a
 * with ln M_a = S_a - beta E_a.  The equilibrium weight of the harmonic
 * superposition, Z_a ~ e^{-E_a/T} / (o_a prod nu^a) (T/h)^kappa, is the
 * same M_a up to factors common to all minima, so p_a = M_a / sum M and
 * detailed balance M_a k(a->b) = M_b k(b->a) holds by construction.  The
 * rate's unit is that of omega (LJ: (eps/(m sigma^2))^(1/2)); nothing else
 * is multiplied in. */
#include "network_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static void clear_build(hl_network *net)
{
    hl_chain_free(net->chain);
    net->chain = NULL;
    free(net->net);
    free(net->state_of);
    net->net = net->state_of = NULL;
    for (int w = 0; w < 2; w++) {
        free(net->net_set[w]);
        free(net->dropped[w]);
        net->net_set[w] = net->dropped[w] = NULL;
        net->n_net_set[w] = net->n_dropped[w] = 0;
    }
    free(net->warn);
    net->warn = NULL;
    net->n_warn = 0;
    net->n_net = net->m_net = 0;
    net->built = 0;
}

static long uf_find(long *p, long x)
{
    while (p[x] != x) {
        p[x] = p[p[x]];
        x = p[x];
    }
    return x;
}

static int cmp_long(const void *x, const void *y)
{
    long a = *(const long *)x, b = *(const long *)y;
    return (a > b) - (a < b);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

typedef struct {
    double e;
    long k;
} nw_ek;

static int cmp_ek(const void *x, const void *y)
{
    const nw_ek *a = x, *b = y;
    if (a->e != b->e)
        return (a->e > b->e) - (a->e < b->e);
    return (a->k > b->k) - (a->k < b->k);
}

static int add_warning(hl_network *net, size_t *cap, const hl_network_warning *w)
{
    int st = nw_grow((void **)&net->warn, cap, net->n_warn + 1, sizeof *net->warn);
    if (st)
        return st;
    net->warn[net->n_warn++] = *w;
    return HL_OK;
}

/* Minima of the network whose energies (and moments, or F / S) agree. */
static int find_duplicates(hl_network *net, const hl_network_options *o, size_t *wcap)
{
    size_t n = net->n_net;
    const double *E = net->E;
    const long *map = net->net;
    unsigned char *flagged = calloc(n ? n : 1, 1);
    nw_ek *v = malloc((n ? n : 1) * sizeof *v);
    if (!v || !flagged) {
        free(v);
        free(flagged);
        return hl_fail(HL_ENOMEM, "out of memory for the duplicate check");
    }
    /* network states sorted by energy (ties by state) */
    for (size_t k = 0; k < n; k++)
        v[k] = (nw_ek){E[map[k]], (long)k};
    qsort(v, n, sizeof *v, cmp_ek);
    int st = HL_OK;
    for (size_t i = 0; i < n && !st; i++) {
        long a = map[v[i].k];
        double tol = o->duplicate_energy_tol * fmax(1.0, fabs(E[a]));
        for (size_t j = i + 1; j < n && v[j].e - v[i].e <= tol && !st; j++) {
            long b = map[v[j].k];
            if (flagged[v[j].k])
                continue;
            int same = 1;
            if (net->mom) {
                for (int c = 0; c < 3; c++)
                    same &= fabs(net->mom[a][c] - net->mom[b][c]) <=
                            o->duplicate_moment_tol * fmax(1.0, fabs(net->mom[a][c]));
            } else {
                same = fabs(net->v[a] - net->v[b]) <=
                       o->duplicate_energy_tol * fmax(1.0, fabs(net->v[a]));
            }
            if (!same)
                continue;
            flagged[v[j].k] = 1;
            long first = a < b ? a : b, second = a < b ? b : a;
            hl_network_warning w = {HL_NETWORK_WARN_DUPLICATE, net->id[second], net->id[first],
                                    E[second] - E[first], ""};
            snprintf(w.text, sizeof w.text,
                     "%s %ld looks like a duplicate of %ld: E = %.12g and %.12g (within %.2g), "
                     "%s within %.2g; kept",
                     net->pathsample ? "minimum" : "state", w.id, w.other, E[second], E[first],
                     tol, net->mom ? "the same moments of inertia" : net->pathsample
                                                                        ? "the same F"
                                                                        : "the same entropy",
                     net->mom ? o->duplicate_moment_tol : o->duplicate_energy_tol);
            st = add_warning(net, wcap, &w);
        }
    }
    free(v);
    free(flagged);
    return st;
}

/* Minima whose v (-F/2 or S) is far from the median over their neighbours. */
static int find_outliers(hl_network *net, const hl_network_options *o, size_t *wcap)
{
    size_t n = net->n_net, m = net->m_net;
    long *deg = calloc(n + 1, sizeof *deg);
    long *adj = malloc((m > 0 ? 2 * m : 1) * sizeof *adj);
    double *vals = malloc((m > 0 ? 2 * m : 1) * sizeof *vals);
    int st = HL_OK;
    if (!deg || !adj || !vals) {
        st = hl_fail(HL_ENOMEM, "out of memory for the outlier check");
        goto out;
    }
    for (size_t e = 0; e < net->m; e++) {
        long a = net->state_of[net->ts[e].a], b = net->state_of[net->ts[e].b];
        if (a < 0)
            continue;
        deg[a + 1]++;
        deg[b + 1]++;
    }
    for (size_t k = 0; k < n; k++)
        deg[k + 1] += deg[k];
    long *fill = malloc((n ? n : 1) * sizeof *fill);
    if (!fill) {
        st = hl_fail(HL_ENOMEM, "out of memory for the outlier check");
        goto out;
    }
    memcpy(fill, deg, n * sizeof *fill);
    for (size_t e = 0; e < net->m; e++) {
        long a = net->state_of[net->ts[e].a], b = net->state_of[net->ts[e].b];
        if (a < 0)
            continue;
        adj[fill[a]++] = b;
        adj[fill[b]++] = a;
    }
    free(fill);
    for (size_t k = 0; k < n && !st; k++) {
        long *nb = adj + deg[k];
        size_t d = (size_t)(deg[k + 1] - deg[k]);
        if (d == 0)
            continue;
        qsort(nb, d, sizeof *nb, cmp_long); /* distinct neighbours once */
        size_t u = 0;
        for (size_t i = 0; i < d; i++)
            if (i == 0 || nb[i] != nb[i - 1])
                vals[u++] = net->v[net->net[nb[i]]];
        qsort(vals, u, sizeof *vals, cmp_double);
        double med = u % 2 ? vals[u / 2] : 0.5 * (vals[u / 2 - 1] + vals[u / 2]);
        long a = net->net[k];
        double dev = net->v[a] - med;
        if (!(fabs(dev) > o->outlier_threshold))
            continue;
        hl_network_warning w = {HL_NETWORK_WARN_OUTLIER, net->id[a], (long)u, dev, ""};
        if (net->pathsample)
            snprintf(w.text, sizeof w.text,
                     "minimum %ld: F = %.10g is %.4g %s the median F of its %zu neighbour%s "
                     "(%.10g): a factor e^%.4g in its weight that they do not share; kept",
                     w.id, net->F[a], fabs(2 * dev), dev > 0 ? "below" : "above", u,
                     u == 1 ? "" : "s", -2 * med, dev);
        else
            snprintf(w.text, sizeof w.text,
                     "state %ld: entropy S = %.10g is %.4g %s the median S of its %zu "
                     "neighbour%s (%.10g); kept",
                     w.id, net->S[a], fabs(dev), dev > 0 ? "above" : "below", u,
                     u == 1 ? "" : "s", med);
        st = add_warning(net, wcap, &w);
    }
out:
    free(deg);
    free(adj);
    free(vals);
    return st;
}

int hl_network_build(hl_network *net, const hl_network_options *opts)
{
    if (!net)
        return hl_fail(HL_EINVAL, "hl_network_build: NULL network");
    hl_network_options o = {1e-9, 1e-6, 20.0};
    if (opts) {
        if (!(opts->duplicate_energy_tol >= 0) || !(opts->duplicate_moment_tol >= 0) ||
            !(opts->outlier_threshold >= 0) || !isfinite(opts->duplicate_energy_tol) ||
            !isfinite(opts->duplicate_moment_tol) || !isfinite(opts->outlier_threshold))
            return hl_fail(HL_EDOM, "hl_network_build: tolerances and threshold must be finite "
                                    "and >= 0");
        if (opts->duplicate_energy_tol > 0)
            o.duplicate_energy_tol = opts->duplicate_energy_tol;
        if (opts->duplicate_moment_tol > 0)
            o.duplicate_moment_tol = opts->duplicate_moment_tol;
        if (opts->outlier_threshold > 0)
            o.outlier_threshold = opts->outlier_threshold;
    }
    clear_build(net);
    size_t n = net->n;
    const char *what = net->pathsample ? "minimum" : "state";
    /* A and B must not share a minimum */
    if (net->have_set[0] && net->have_set[1]) {
        size_t i = 0, j = 0;
        while (i < net->nset[0] && j < net->nset[1]) {
            long a = net->set[0][i], b = net->set[1][j];
            if (a == b)
                return hl_fail(HL_EPARSE, "%s %ld is in both A and B", what, net->id[a]);
            if (a < b)
                i++;
            else
                j++;
        }
    }
    long *par = malloc(n * sizeof *par), *size = calloc(n, sizeof *size);
    net->state_of = malloc(n * sizeof *net->state_of);
    if (!par || !size || !net->state_of) {
        free(par);
        free(size);
        clear_build(net);
        return hl_fail(HL_ENOMEM, "out of memory for %zu minima", n);
    }
    for (size_t a = 0; a < n; a++)
        par[a] = (long)a;
    for (size_t e = 0; e < net->m; e++) {
        long ra = uf_find(par, net->ts[e].a), rb = uf_find(par, net->ts[e].b);
        if (ra != rb)
            par[ra < rb ? rb : ra] = ra < rb ? ra : rb;
    }
    net->components = net->isolated = 0;
    for (size_t a = 0; a < n; a++)
        size[uf_find(par, (long)a)]++;
    for (size_t a = 0; a < n; a++)
        if (size[a] > 0) {
            net->components++;
            net->isolated += size[a] == 1;
        }
    /* the root: A's member of lowest energy, else the global minimum */
    long root = -1;
    if (net->have_set[0]) {
        for (size_t i = 0; i < net->nset[0]; i++)
            if (root < 0 || net->E[net->set[0][i]] < net->E[root])
                root = net->set[0][i];
    } else {
        for (size_t a = 0; a < n; a++)
            if (root < 0 || net->E[a] < net->E[root])
                root = (long)a;
    }
    net->root = root;
    long rr = uf_find(par, root);
    net->n_net = (size_t)size[rr];
    net->net = malloc(net->n_net * sizeof *net->net);
    int st = HL_OK;
    if (!net->net) {
        st = hl_fail(HL_ENOMEM, "out of memory for %zu minima", net->n_net);
        goto fail;
    }
    for (size_t a = 0, k = 0; a < n; a++) {
        if (uf_find(par, (long)a) == rr) {
            net->state_of[a] = (long)k;
            net->net[k++] = (long)a;
        } else {
            net->state_of[a] = -1;
        }
    }
    /* the sets in the network, and what they leave out */
    for (int w = 0; w < 2; w++) {
        if (!net->have_set[w])
            continue;
        size_t ns = net->nset[w];
        net->net_set[w] = malloc(ns * sizeof(long));
        net->dropped[w] = malloc(ns * sizeof(long));
        if (!net->net_set[w] || !net->dropped[w]) {
            st = hl_fail(HL_ENOMEM, "out of memory for set %c", "AB"[w]);
            goto fail;
        }
        for (size_t i = 0; i < ns; i++) {
            long a = net->set[w][i];
            if (net->state_of[a] >= 0)
                net->net_set[w][net->n_net_set[w]++] = net->state_of[a];
            else
                net->dropped[w][net->n_dropped[w]++] = net->id[a];
        }
        qsort(net->dropped[w], net->n_dropped[w], sizeof(long), cmp_long);
        if (net->n_net_set[w] == 0) {
            st = hl_fail(HL_EPARSE, "set %c: none of its %zu %s%s is in the network (the "
                                    "component of %s %ld, %zu %s%s)", "AB"[w], ns, what,
                         ns == 1 ? "" : "s", what, net->id[root], net->n_net, what,
                         net->n_net == 1 ? "" : "s");
            goto fail;
        }
    }
    /* the chain: ln M = S - E/T, a transition state per TS of the network */
    if ((st = hl_chain_create((long)net->n_net, &net->chain)) != HL_OK)
        goto fail;
    for (size_t k = 0; k < net->n_net && !st; k++)
        st = hl_chain_set_state(net->chain, (long)k, net->S[net->net[k]], net->E[net->net[k]]);
    for (size_t e = 0; e < net->m && !st; e++) {
        long a = net->state_of[net->ts[e].a];
        if (a < 0)
            continue;
        st = hl_chain_add_transition_state(net->chain, a, net->state_of[net->ts[e].b],
                                           net->ts[e].S, net->ts[e].E);
        net->m_net++;
    }
    if (!st && !isnan(net->valid_t)) {
        int w = isnan(net->valid_file_t[0]) ? 1 : 0;
        char why[400];
        snprintf(why, sizeof why, "network file '%s' line %ld says '# valid-temperature': a "
                                  "rate factor that depends on T (lattice-network's "
                                  "transmission B) was evaluated there",
                 w ? net->ts_name : net->min_name, net->valid_file_line[w]);
        st = hl_chain_set_valid_temperature(net->chain, net->valid_t, why);
    }
    if (st)
        goto fail;
    hl_chain_info ci;
    hl_chain_get_info(net->chain, &ci);
    net->pairs = ci.pairs;
    size_t wcap = 0;
    if ((st = find_duplicates(net, &o, &wcap)) != HL_OK ||
        (st = find_outliers(net, &o, &wcap)) != HL_OK)
        goto fail;
    free(par);
    free(size);
    net->built = 1;
    return HL_OK;
fail:
    free(par);
    free(size);
    clear_build(net);
    return st;
}

/* ------------------------------------------------------------- queries */

static int need_built(const hl_network *net, const char *fn)
{
    if (!net)
        return hl_fail(HL_EINVAL, "%s: NULL network", fn);
    if (!net->built)
        return hl_fail(HL_EINVAL, "%s: call hl_network_build first", fn);
    return HL_OK;
}

int hl_network_get_info(const hl_network *net, hl_network_info *info)
{
    int st = need_built(net, "hl_network_get_info");
    if (st)
        return st;
    if (!info)
        return hl_fail(HL_EINVAL, "hl_network_get_info: NULL info");
    memset(info, 0, sizeof *info);
    info->pathsample = net->pathsample;
    info->minima = (long)net->n;
    info->transition_states = (long)net->n_ts_read;
    info->degenerate_ts = (long)net->degenerate;
    info->components = net->components;
    info->isolated = net->isolated;
    info->network_minima = (long)net->n_net;
    info->network_ts = (long)net->m_net;
    info->network_pairs = net->pairs;
    info->dropped_components = net->components - 1;
    info->dropped_minima = (long)(net->n - net->n_net);
    info->root_id = net->id[net->root];
    for (int w = 0; w < 2; w++) {
        info->n_set[w] = (long)net->n_net_set[w];
        info->n_set_given[w] = net->have_set[w] ? (long)net->nset[w] : 0;
    }
    info->warnings = (long)net->n_warn;
    info->valid_temperature = net->valid_t;
    return HL_OK;
}

int nw_check_temperature(const hl_network *net, double T)
{
    return net->chain ? hl_chain_check_temperature(net->chain, T) : HL_OK;
}

const hl_chain *hl_network_chain(const hl_network *net)
{
    return net && net->built ? net->chain : NULL;
}

int hl_network_id(const hl_network *net, long k, long *id)
{
    int st = need_built(net, "hl_network_id");
    if (st)
        return st;
    if (!id || k < 0 || (size_t)k >= net->n_net)
        return hl_fail(HL_EINVAL, "hl_network_id: state %ld is not one of the network's 0..%zu",
                       k, net->n_net - 1);
    *id = net->id[net->net[k]];
    return HL_OK;
}

int hl_network_state(const hl_network *net, long id, long *k)
{
    int st = need_built(net, "hl_network_state");
    if (st)
        return st;
    long a = nw_index_of(net, id);
    if (!k || a < 0)
        return hl_fail(HL_EINVAL, "hl_network_state: %ld is not a %s id of '%s'", id,
                       net->pathsample ? "minimum" : "state", net->min_name);
    *k = net->state_of[a];
    return HL_OK;
}

static int set_query(const hl_network *net, int which, const char *fn)
{
    int st = need_built(net, fn);
    if (!st && which != HL_NETWORK_A && which != HL_NETWORK_B)
        st = hl_fail(HL_EINVAL, "%s: which = %d is neither A (0) nor B (1)", fn, which);
    return st;
}

int hl_network_set_states(const hl_network *net, int which, const long **states, size_t *n)
{
    int st = set_query(net, which, "hl_network_set_states");
    if (st)
        return st;
    if (!states || !n)
        return hl_fail(HL_EINVAL, "hl_network_set_states: NULL argument");
    *states = net->net_set[which];
    *n = net->n_net_set[which];
    return HL_OK;
}

int hl_network_dropped(const hl_network *net, int which, const long **ids, size_t *n)
{
    int st = set_query(net, which, "hl_network_dropped");
    if (st)
        return st;
    if (!ids || !n)
        return hl_fail(HL_EINVAL, "hl_network_dropped: NULL argument");
    *ids = net->dropped[which];
    *n = net->n_dropped[which];
    return HL_OK;
}

size_t hl_network_warnings(const hl_network *net, const hl_network_warning **w)
{
    if (w)
        *w = net && net->built ? net->warn : NULL;
    return net && net->built ? net->n_warn : 0;
}
