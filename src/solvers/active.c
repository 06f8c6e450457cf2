/* SPDX-License-Identifier: GPL-3.0-or-later */
/* active.c -- the active part of a reversible chain: compressed states,
 * edges, rates, the flux-form generator, components (active.h). */
#include "active.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

void hl_active_free(hl_active *a)
{
    free(a->idx);
    free(a->state);
    free(a->ea);
    free(a->eb);
    free(a->edge);
    free(a->up);
    free(a->dn);
    free(a->c);
    free(a->out);
    free(a->kill);
    free(a->start);
    free(a->nbe);
    free(a->ide);
    memset(a, 0, sizeof *a);
}

int hl_active_init(hl_active *a, const hl_rchain *c)
{
    memset(a, 0, sizeof *a);
    if (!c || !c->ln_pi || c->n < 1 || (c->m > 0 && (!c->ea || !c->eb || !c->ln_c)))
        return hl_fail(HL_EINVAL, "chain: NULL chain or array, or no state");
    /* the chain's adjacency (checks ends, duplicates and values) */
    hl_rchain t = *c;
    int own = !c->adj_start;
    int st;
    if (own) {
        t.adj_start = t.adj_edge = NULL;
        st = hl_rchain_index(&t);
    } else {
        st = hl_rchain_check_values(c);
    }
    if (st)
        return st;
    long n = c->n, m = 0, ne = 0;
    for (long i = 0; i < n; i++)
        m += c->ln_pi[i] > -INFINITY;
    for (long e = 0; e < c->m; e++)
        ne += c->ln_pi[c->ea[e]] > -INFINITY && c->ln_pi[c->eb[e]] > -INFINITY;
    if (m == 0) {
        st = hl_fail(HL_EINVAL, "the chain has no state (every ln pi is -inf)");
        goto out;
    }
    a->n = n;
    a->m = m;
    a->ne = ne;
    size_t sm = (size_t)m, se = (size_t)(ne > 0 ? ne : 1);
    a->idx = malloc(sizeof(long) * (size_t)n);
    a->state = malloc(sizeof(long) * sm);
    a->ea = malloc(sizeof(long) * se);
    a->eb = malloc(sizeof(long) * se);
    a->edge = malloc(sizeof(long) * se);
    a->up = calloc(se, sizeof(double));
    a->dn = calloc(se, sizeof(double));
    a->c = calloc(se, sizeof(double));
    a->out = calloc(sm, sizeof(double));
    a->start = calloc(sm + 1, sizeof(long));
    a->nbe = malloc(sizeof(long) * 2 * se);
    a->ide = malloc(sizeof(long) * 2 * se);
    long ne_m = c->m > m ? c->m : m;
    long *emap = malloc(sizeof(long) * (size_t)(ne_m > 0 ? ne_m : 1));
    if (!a->idx || !a->state || !a->ea || !a->eb || !a->edge || !a->up || !a->dn || !a->c ||
        !a->out || !a->start || !a->nbe || !a->ide || !emap) {
        free(emap);
        hl_active_free(a);
        st = hl_fail(HL_ENOMEM, "out of memory for a chain of %ld states and %ld edges", m, ne);
        goto out;
    }
    for (long i = 0, s = 0; i < n; i++) {
        a->idx[i] = c->ln_pi[i] > -INFINITY ? s : -1;
        if (a->idx[i] >= 0)
            a->state[s++] = i;
    }
    for (long e = 0, k = 0; e < c->m; e++) {
        emap[e] = -1;
        long i = a->idx[c->ea[e]], j = a->idx[c->eb[e]];
        if (i < 0 || j < 0)
            continue;
        a->ea[k] = i;
        a->eb[k] = j;
        a->edge[k] = e;
        emap[e] = k++;
    }
    /* the chain's adjacency is sorted by neighbour state; the compressed
     * index keeps that order */
    for (long s = 0, p = 0; s < m; s++) {
        long i = a->state[s];
        a->start[s] = p;
        for (long r = t.adj_start[i]; r < t.adj_start[i + 1]; r++)
            if (emap[t.adj_edge[r]] >= 0)
                a->nbe[p++] = emap[t.adj_edge[r]];
        a->start[s + 1] = p;
    }
    /* the same lists in edge order (emap reused as fill pointers) */
    for (long s = 0; s < m; s++)
        emap[s] = a->start[s];
    for (long k = 0; k < ne; k++) {
        a->ide[emap[a->ea[k]]++] = k;
        a->ide[emap[a->eb[k]]++] = k;
    }
    free(emap);
out:
    if (own) {
        free(t.adj_start);
        free(t.adj_edge);
    }
    return st;
}

int hl_active_same_states(const hl_active *a, const hl_rchain *c)
{
    if (!c || c->n != a->n || !c->ln_pi || (c->m > 0 && !c->ln_c))
        return hl_fail(HL_EINVAL, "fill changed the chain's size or arrays");
    int st = hl_rchain_check_values(c);
    if (st)
        return st;
    for (long i = 0; i < a->n; i++)
        if ((c->ln_pi[i] > -INFINITY) != (a->idx[i] >= 0))
            return hl_fail(HL_EINVAL, "fill changed the set of states (state %ld)", i);
    return HL_OK;
}

int hl_active_rates(hl_active *a, const hl_rchain *c)
{
    long m = a->m, ne = a->ne;
    for (long k = 0; k < ne; k++) {
        long e = a->edge[k], i = c->ea[e], j = c->eb[e];
        a->up[k] = a->dn[k] = a->c[k] = 0;
        double lc = c->ln_c[e];
        if (isnan(lc) || lc == INFINITY)
            return hl_fail(HL_EDOM, "ln A of edge %ld (%ld -- %ld) is %g", e, i, j, lc);
        if (lc == -INFINITY)
            continue;
        double half = 0.5 * (c->ln_pi[j] - c->ln_pi[i]);
        /* exp(lc) = sqrt(u w) is finite when u and w are */
        double u = exp(lc + half), w = exp(lc - half), cc = a->skip_c ? 0.0 : exp(lc);
        if (!isfinite(u) || !isfinite(w) || !isfinite(cc))
            return hl_fail(HL_ERANGE,
                           "the rates of edge %ld (%ld -- %ld) overflow (ln A = %g, ln pi %g "
                           "-> %g)",
                           e, i, j, lc, c->ln_pi[i], c->ln_pi[j]);
        a->up[k] = u;
        a->dn[k] = w;
        a->c[k] = cc;
    }
    for (long s = 0; s < m; s++) {
        double o = 0;
        long r0 = a->start[s], r1 = a->start[s + 1], r = r1;
        while (r > r0 && hl_active_other(a, a->nbe[r - 1], s) > s) /* above, down */
            r--;
        for (long q = r1 - 1; q >= r; q--) {
            long k = a->nbe[q];
            o += a->ea[k] == s ? a->up[k] : a->dn[k];
        }
        for (long q = r0; q < r; q++) { /* below, up */
            long k = a->nbe[q];
            o += a->ea[k] == s ? a->up[k] : a->dn[k];
        }
        if (!isfinite(o))
            return hl_fail(HL_ERANGE, "the total rate out of state %ld overflows", a->state[s]);
        a->out[s] = o;
    }
    if (c->ln_exit) {
        if (!a->kill && !(a->kill = calloc((size_t)(m > 0 ? m : 1), sizeof(double))))
            return hl_fail(HL_ENOMEM, "out of memory for the exit rates of %ld states", m);
        for (long s = 0; s < m; s++) {
            long i = a->state[s];
            double lk = c->ln_exit[i];
            if (isnan(lk) || lk == INFINITY)
                return hl_fail(HL_EDOM, "ln of the exit rate of state %ld is %g", i, lk);
            double k = exp(lk);
            if (!isfinite(k) || !isfinite(a->out[s] + k))
                return hl_fail(HL_ERANGE, "the exit rate of state %ld overflows (ln %g)", i, lk);
            a->kill[s] = k;
            a->out[s] += k;
        }
    } else {
        free(a->kill);
        a->kill = NULL;
    }
    return HL_OK;
}

/* The gather form -out_a x_a + sum k x_b would leave eps out x per state
 * instead, which BDF multiplies by gamma ~ h: at h ~ 1e8 that broke
 * conservation. */
void hl_active_apply(const hl_active *a, const double *x, double *f)
{
    long ne = a->ne;
    memset(f, 0, sizeof(double) * (size_t)a->m);
    const long *ea = a->ea, *eb = a->eb;
    const double *up = a->up, *dn = a->dn;
    for (long k = 0; k < ne; k++) {
        long i = ea[k], j = eb[k];
        double J = up[k] * x[i] - dn[k] * x[j];
        f[i] -= J;
        f[j] += J;
    }
}

double hl_active_norm(const hl_active *a)
{
    double norm = 0;
    for (long s = 0; s < a->m; s++) {
        double v = a->out[s];
        long r0 = a->start[s], r1 = a->start[s + 1], r = r1;
        while (r > r0 && hl_active_other(a, a->nbe[r - 1], s) > s)
            r--;
        for (long q = r1 - 1; q >= r; q--)
            v += a->c[a->nbe[q]];
        for (long q = r0; q < r; q++)
            v += a->c[a->nbe[q]];
        norm = fmax(norm, v);
    }
    return norm;
}

/* ------------------------------------------------------------ components */

void hl_comps_free(hl_comps *cp)
{
    free(cp->start);
    free(cp->members);
    free(cp->comp);
    free(cp->u);
    memset(cp, 0, sizeof *cp);
}

int hl_comps_find(const hl_active *a, const hl_rchain *ch, hl_comps *c)
{
    long m = a->m;
    memset(c, 0, sizeof *c);
    c->start = malloc(sizeof(long) * (size_t)(m + 1));
    c->members = malloc(sizeof(long) * (size_t)m);
    c->comp = malloc(sizeof(long) * (size_t)m);
    c->u = malloc(sizeof(double) * (size_t)m);
    if (!c->start || !c->members || !c->comp || !c->u) {
        hl_comps_free(c);
        return hl_fail(HL_ENOMEM, "out of memory for the components of a %ld-state chain", m);
    }
    for (long s = 0; s < m; s++)
        c->comp[s] = -1;
    long nq = 0, tail = 0;
    for (long s0 = 0; s0 < m; s0++) {
        if (c->comp[s0] >= 0)
            continue;
        long head = tail;
        c->start[nq] = head;
        c->members[tail++] = s0;
        c->comp[s0] = nq;
        while (head < tail) { /* breadth first: members[] is the queue */
            long s = c->members[head++];
            for (long r = a->start[s]; r < a->start[s + 1]; r++) {
                long k = a->ide[r], b = hl_active_other(a, k, s);
                if (a->c[k] > 0 && c->comp[b] < 0) {
                    c->comp[b] = nq;
                    c->members[tail++] = b;
                }
            }
        }
        nq++;
    }
    c->start[nq] = m;
    c->n = nq;
    for (long s = 0; s < m; s++)
        c->u[s] = 0;
    if (a->kill) { /* a component with an exit has no null vector: drop it */
        long nk = 0, p = 0;
        for (long q = 0; q < nq; q++) {
            long s0 = c->start[q], s1 = c->start[q + 1]; /* read before start[nk <= q] */
            int exits = 0;
            for (long r = s0; r < s1; r++)
                exits |= a->kill[c->members[r]] > 0;
            if (exits) {
                for (long r = s0; r < s1; r++)
                    c->comp[c->members[r]] = -1;
                continue;
            }
            c->start[nk] = p;
            for (long r = s0; r < s1; r++) { /* p <= r: moves forward only */
                c->comp[c->members[r]] = nk;
                c->members[p++] = c->members[r];
            }
            nk++;
        }
        c->start[nk] = p;
        c->n = nq = nk;
    }
    for (long q = 0; q < nq; q++) {
        double mx = -INFINITY, ss = 0;
        for (long r = c->start[q]; r < c->start[q + 1]; r++)
            mx = fmax(mx, ch->ln_pi[a->state[c->members[r]]]);
        for (long r = c->start[q]; r < c->start[q + 1]; r++) {
            long s = c->members[r];
            c->u[s] = exp(0.5 * (ch->ln_pi[a->state[s]] - mx));
            ss += c->u[s] * c->u[s];
        }
        double inv = 1.0 / sqrt(ss);
        for (long r = c->start[q]; r < c->start[q + 1]; r++)
            c->u[c->members[r]] *= inv;
    }
    return HL_OK;
}

void hl_comps_project(const hl_comps *c, long m, double *x, double *dot)
{
    for (long q = 0; q < c->n; q++)
        dot[q] = 0;
    for (long s = 0; s < m; s++)
        if (c->comp[s] >= 0)
            dot[c->comp[s]] += c->u[s] * x[s];
    for (long s = 0; s < m; s++)
        if (c->comp[s] >= 0)
            x[s] -= dot[c->comp[s]] * c->u[s];
}

long hl_active_structural_components(const hl_active *a, const hl_rchain *c, long *work)
{
    long m = a->m, nq = 0;
    long *comp = work, *queue = work + m;
    for (long s = 0; s < m; s++)
        comp[s] = -1;
    for (long s0 = 0; s0 < m; s0++) {
        if (comp[s0] >= 0)
            continue;
        long head = 0, tail = 0;
        queue[tail++] = s0;
        comp[s0] = nq;
        while (head < tail) {
            long s = queue[head++];
            for (long r = a->start[s]; r < a->start[s + 1]; r++) {
                long k = a->nbe[r], b = hl_active_other(a, k, s);
                if (c->ln_c[a->edge[k]] > -INFINITY && comp[b] < 0) {
                    comp[b] = nq;
                    queue[tail++] = b;
                }
            }
        }
        nq++;
    }
    return nq;
}

/* the neighbour of s that steepest ascent takes (s itself at a maximum) */
static long ascent_step(const hl_active *a, const hl_rchain *c, long s)
{
    long best = s, is = a->state[s];
    for (long r = a->start[s]; r < a->start[s + 1]; r++) {
        long k = a->nbe[r];
        if (!(a->c[k] > 0))
            continue;
        long b = hl_active_other(a, k, s);
        double lb = c->ln_pi[a->state[b]], lbest = c->ln_pi[a->state[best]];
        int take = lb > lbest;
        if (!take && lb == lbest && best != s) {
            long db = labs(a->state[b] - is), dbest = labs(a->state[best] - is);
            take = db > dbest || (db == dbest && a->state[b] > a->state[best]);
        }
        if (take)
            best = b;
    }
    return best;
}

void hl_active_ascent(const hl_active *a, const hl_rchain *c, long *end)
{
    long m = a->m;
    for (long s = 0; s < m; s++)
        end[s] = -1;
    for (long s0 = 0; s0 < m; s0++) {
        long s = s0;
        while (end[s] < 0) {
            long b = ascent_step(a, c, s);
            if (b == s) {
                end[s] = s;
                break;
            }
            s = b;
        }
        /* the path from s0 ends where s's ends */
        long e = end[s];
        for (long b = s0; end[b] < 0; b = ascent_step(a, c, b))
            end[b] = e;
    }
}
