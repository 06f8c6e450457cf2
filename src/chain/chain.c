/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chain.c -- the public reversible chain (chain.h): states and edges with
 * temperature-dependent parts, and plans that evaluate them at one beta
 * into the solvers' hl_rchain (rchain.h). */
#include "chain_plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "rpassage.h"
#include "rate_terms.h"
#include "xfloat.h"

struct hl_chain {
    long n;
    double *s, *e;         /* state parts                      */
    double *xs, *xe;       /* exit parts (xs = -inf: no exit)  */
    long exits;
    raw_edge *edges;
    long m, cap;
    long self_loops;
    double *s_err, *e_err; /* hl_chain_set_input_errors, or NULL         */
    double edge_err;
    double valid_t;        /* hl_chain_set_valid_temperature, or NaN: any  */
    char valid_why[320];   /* its reason, for messages                     */
};

static int check_state(const hl_chain *c, long a, const char *what)
{
    if (a < 0 || a >= c->n)
        return hl_fail(HL_EINVAL, "%s: state %ld is not one of the chain's 0..%ld", what, a,
                       c->n - 1);
    return HL_OK;
}

int hl_chain_create(long n_states, hl_chain **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_chain_create: NULL out");
    *out = NULL;
    if (n_states < 1)
        return hl_fail(HL_EINVAL, "a chain needs at least one state (got %ld)", n_states);
    hl_chain *c = calloc(1, sizeof *c);
    if (!c)
        return hl_fail(HL_ENOMEM, "out of memory for a chain");
    size_t n = (size_t)n_states;
    c->n = n_states;
    c->s = calloc(n, sizeof(double));
    c->e = calloc(n, sizeof(double));
    c->xs = malloc(n * sizeof(double));
    c->xe = calloc(n, sizeof(double));
    if (!c->s || !c->e || !c->xs || !c->xe) {
        hl_chain_free(c);
        return hl_fail(HL_ENOMEM, "out of memory for a chain of %ld states", n_states);
    }
    for (size_t a = 0; a < n; a++)
        c->xs[a] = -INFINITY;
    c->valid_t = NAN;
    *out = c;
    return HL_OK;
}

void hl_chain_free(hl_chain *c)
{
    if (!c)
        return;
    free(c->s);
    free(c->e);
    free(c->xs);
    free(c->xe);
    free(c->edges);
    free(c->s_err);
    free(c->e_err);
    free(c);
}

int hl_chain_set_input_errors(hl_chain *c, const double *s_err, const double *e_err,
                              double edge_err)
{
    if (!c || !s_err)
        return hl_fail(HL_EINVAL, "hl_chain_set_input_errors: NULL chain or s_err");
    if (!(edge_err >= 0) || !isfinite(edge_err))
        return hl_fail(HL_EDOM, "edge error %g is not a finite number >= 0", edge_err);
    for (long a = 0; a < c->n; a++)
        if (!(s_err[a] >= 0) || !isfinite(s_err[a]) ||
            (e_err && (!(e_err[a] >= 0) || !isfinite(e_err[a]))))
            return hl_fail(HL_EDOM, "the error bounds of state %ld (%g, %g) are not finite "
                                    "numbers >= 0", a, s_err[a], e_err ? e_err[a] : 0.0);
    if (!c->s_err)
        c->s_err = malloc(sizeof(double) * (size_t)c->n);
    if (!c->e_err)
        c->e_err = malloc(sizeof(double) * (size_t)c->n);
    if (!c->s_err || !c->e_err)
        return hl_fail(HL_ENOMEM, "out of memory (error bounds of %ld states)", c->n);
    for (long a = 0; a < c->n; a++) {
        c->s_err[a] = s_err[a];
        c->e_err[a] = e_err ? e_err[a] : 0.0;
    }
    c->edge_err = edge_err;
    return HL_OK;
}

int hl_chain_set_valid_temperature(hl_chain *c, double T, const char *why)
{
    if (!c)
        return hl_fail(HL_EINVAL, "hl_chain_set_valid_temperature: NULL chain");
    if (!isnan(T) && (!(T > 0) || !isfinite(T)))
        return hl_fail(HL_EDOM, "a valid temperature must be positive and finite (got %g)", T);
    c->valid_t = T;
    snprintf(c->valid_why, sizeof c->valid_why, "%s", why && !isnan(T) ? why : "");
    return HL_OK;
}

int hl_chain_check_temperature(const hl_chain *c, double T)
{
    if (!c || isnan(c->valid_t))
        return HL_OK;
    double v = c->valid_t;
    if (fabs(T - v) <= HL_CHAIN_VALID_RTOL * v) /* NaN and inf fail too */
        return HL_OK;
    char a[32], b[32];
    return hl_fail(HL_EDOM, "refusing T = %s: it is not the valid temperature %s%s%s%s",
                   hl_msg_exact(T, a), hl_msg_exact(v, b), c->valid_why[0] ? " (" : "",
                   c->valid_why,
                   c->valid_why[0] ? ")" : "");
}

int hl_chain_check_protocol(const hl_chain *c, const hl_protocol *p)
{
    if (!c || !p || isnan(c->valid_t))
        return HL_OK;
    size_t n = hl_protocol_rows(p);
    int st = hl_chain_check_temperature(c, 1.0 / hl_protocol_beta(p, 0.0));
    for (size_t k = 0; k < n && !st; k++)
        st = hl_chain_check_temperature(c, 1.0 / hl_protocol_beta(p, hl_protocol_time(p, k)));
    return st;
}

/* The bounds of |error| of every ln M and every ln A of rc at beta: the
 * inputs' (hl_chain_set_input_errors) plus the rounding of fill_values,
 * to first order (u = 2^-53 per operation, relative to its result: ln M =
 * s - beta (e - e_ref), three roundings; ln A = s - beta e, two, or the
 * mean of two such differences, and lse for parallel edges). */
static void fill_errors(const hl_chain *c, const raw_edge *v, double beta, const hl_rchain *rc,
                        double e_ref, double *err_m, double *err_a)
{
    const double u = 0x1p-53;
    double em = 0, ea = 0;
    for (long a = 0; a < c->n; a++) {
        double d = fabs(beta * (c->e[a] - e_ref));
        em = fmax(em, c->s_err[a] + beta * c->e_err[a] + u * (2 * d + fabs(rc->ln_pi[a])));
    }
    for (long e = 0; e < c->m; e++) {
        const raw_edge *r = &v[e];
        double t;
        if (r->kind == EDGE_TS)
            t = fabs(r->s - c->s[r->a]) + fabs(r->s - c->s[r->g]) +
                2 * beta * (fabs(r->e - c->e[r->a]) + fabs(r->e - c->e[r->g]));
        else
            t = fabs(r->s) + 2 * fabs(beta * r->e);
        ea = fmax(ea, u * (t + 4 * (fabs(r->s - beta * r->e) + 1.0)));
    }
    *err_m = em;
    *err_a = c->edge_err + ea;
}

void chain_state_parts(const hl_chain *c, const double **s, const double **e, long *n)
{
    *s = c->s;
    *e = c->e;
    *n = c->n;
}

int hl_chain_set_state(hl_chain *c, long a, double entropy, double energy)
{
    if (!c)
        return hl_fail(HL_EINVAL, "hl_chain_set_state: NULL chain");
    int st = check_state(c, a, "hl_chain_set_state");
    if (st)
        return st;
    if (!isfinite(entropy) || !isfinite(energy))
        return hl_fail(HL_EDOM, "state %ld: entropy %g and energy %g must be finite", a, entropy,
                       energy);
    c->s[a] = entropy;
    c->e[a] = energy;
    return HL_OK;
}

int hl_chain_set_states(hl_chain *c, const double *entropy, const double *energy)
{
    if (!c || !entropy)
        return hl_fail(HL_EINVAL, "hl_chain_set_states: NULL chain or entropy");
    for (long a = 0; a < c->n; a++)
        if (!isfinite(entropy[a]) || (energy && !isfinite(energy[a])))
            return hl_fail(HL_EDOM, "state %ld: entropy %g and energy %g must be finite", a,
                           entropy[a], energy ? energy[a] : 0.0);
    for (long a = 0; a < c->n; a++) {
        c->s[a] = entropy[a];
        c->e[a] = energy ? energy[a] : 0.0;
    }
    return HL_OK;
}

static int add_raw(hl_chain *c, long a, long g, double s, double e, int kind, const char *what)
{
    if (!c)
        return hl_fail(HL_EINVAL, "%s: NULL chain", what);
    int st = check_state(c, a, what);
    if (!st)
        st = check_state(c, g, what);
    if (st)
        return st;
    if (!isfinite(s) || !isfinite(e))
        return hl_fail(HL_EDOM, "%s %ld -- %ld: parts %g and %g must be finite", what, a, g, s, e);
    if (a == g) {
        c->self_loops++;
        return HL_OK;
    }
    if (c->m == c->cap) {
        long cap = c->cap ? 2 * c->cap : 64;
        raw_edge *p = realloc(c->edges, sizeof *p * (size_t)cap);
        if (!p)
            return hl_fail(HL_ENOMEM, "out of memory for %ld edges", cap);
        c->edges = p;
        c->cap = cap;
    }
    c->edges[c->m++] = (raw_edge){a < g ? a : g, a < g ? g : a, s, e, kind};
    return HL_OK;
}

int hl_chain_add_edge(hl_chain *c, long a, long g, double ln_a_entropy, double ln_a_energy)
{
    return add_raw(c, a, g, ln_a_entropy, ln_a_energy, EDGE_A, "edge");
}

int hl_chain_add_transition_state(hl_chain *c, long a, long g, double entropy_ts,
                                  double energy_ts)
{
    return add_raw(c, a, g, entropy_ts, energy_ts, EDGE_TS, "transition state");
}

int hl_chain_set_exit(hl_chain *c, long a, double entropy, double energy)
{
    if (!c)
        return hl_fail(HL_EINVAL, "hl_chain_set_exit: NULL chain");
    int st = check_state(c, a, "hl_chain_set_exit");
    if (st)
        return st;
    if (isnan(entropy) || entropy == INFINITY || !isfinite(energy))
        return hl_fail(HL_EDOM, "exit of state %ld: entropy %g and energy %g", a, entropy, energy);
    int had = c->xs[a] > -INFINITY, has = entropy > -INFINITY;
    c->exits += has - had;
    c->xs[a] = entropy;
    c->xe[a] = has ? energy : 0.0;
    return HL_OK;
}

static int cmp_pair(const void *p, const void *q)
{
    const raw_edge *x = p, *y = q;
    if (x->a != y->a)
        return (x->a > y->a) - (x->a < y->a);
    return (x->g > y->g) - (x->g < y->g);
}

/* The edges sorted by pair (stable: ties keep insertion order through the
 * index), and the number of distinct pairs. */
static int sorted_edges(const hl_chain *c, raw_edge **out, long *pairs)
{
    raw_edge *v = malloc(sizeof *v * (size_t)(c->m > 0 ? c->m : 1));
    if (!v)
        return hl_fail(HL_ENOMEM, "out of memory for %ld edges", c->m);
    if (c->m > 0)
        memcpy(v, c->edges, sizeof *v * (size_t)c->m);
    qsort(v, (size_t)c->m, sizeof *v, cmp_pair);
    long np = 0;
    for (long e = 0; e < c->m; e++)
        np += e == 0 || cmp_pair(&v[e - 1], &v[e]) != 0;
    *out = v;
    *pairs = np;
    return HL_OK;
}

void hl_chain_get_info(const hl_chain *c, hl_chain_info *info)
{
    if (!info)
        return;
    memset(info, 0, sizeof *info);
    if (!c)
        return;
    info->states = c->n;
    info->edges = c->m;
    info->self_loops = c->self_loops;
    info->exits = c->exits;
    info->valid_temperature = c->valid_t;
    raw_edge *v;
    long np;
    if (sorted_edges(c, &v, &np) == HL_OK) {
        info->pairs = np;
        free(v);
    } else {
        info->pairs = -1;
    }
}

/* ---------------------------------------------------------------- plans */

/* ln M, ln exit and the merged ln A of every pair at beta into rc (ends
 * already set, pairs in the order of the sorted edges v), each finite; the
 * range each solver needs is checked by the solve (chain_rates_need).  Also the refill under a temperature protocol.
 *
 * Differences are formed before the products with beta, so that a rate
 * keeps its digits at low temperature: ln M_a is stored as S_a - beta (E_a
 * - E_r), E_r the lowest energy (a constant shift of every ln M changes no
 * rate and no normalised probability), and the ln A of a transition state
 * is the mean of its two log rates, each formed from differences,
 *   ln A = [((S_ts - S_a) - beta (E_ts - E_a)) + ((S_ts - S_g) - beta
 *           (E_ts - E_g))] / 2,
 * not (S_ts - beta E_ts) - (ln M_a + ln M_g)/2: with E ~ -174 and beta =
 * 100 each product beta E ~ 1.7e4 is rounded to ~2e-12 absolute, which
 * the rate exp(ln K) would carry as a ~2e-12 relative error (E_ts - E_a
 * is exact when the two are within a factor 2, Sterbenz). */
static int fill_values(const hl_chain *c, const raw_edge *v, double beta, hl_rchain *rc)
{
    long r = 0;
    for (long a = 1; a < c->n; a++)
        if (c->e[a] < c->e[r])
            r = a;
    double e_ref = c->e[r];
    for (long a = 0; a < c->n; a++) {
        double lm = c->s[a] - beta * (c->e[a] - e_ref);
        if (!isfinite(c->s[a] - beta * c->e[a]) || !isfinite(lm))
            return hl_fail(HL_ERANGE, "ln M of state %ld is not finite at beta = %g (S %g, E %g)",
                           a, beta, c->s[a], c->e[a]);
        rc->ln_pi[a] = lm;
        if (rc->ln_exit && c->xs[a] > -INFINITY) {
            double lx = c->xs[a] - beta * c->xe[a];
            if (!isfinite(lx))
                return hl_fail(HL_ERANGE,
                               "ln of the exit rate of state %ld is not finite at beta = %g", a,
                               beta);
            rc->ln_exit[a] = lx;
        }
    }
    for (long e = 0, q = -1; e < c->m; e++) {
        const raw_edge *r = &v[e];
        double la;
        if (r->kind == EDGE_TS) /* the mean of ln K(a -> g) and ln K(g -> a) */
            la = 0.5 * (((r->s - c->s[r->a]) - beta * (r->e - c->e[r->a])) +
                        ((r->s - c->s[r->g]) - beta * (r->e - c->e[r->g])));
        else
            la = r->s - beta * r->e;
        if (!isfinite(la))
            return hl_fail(HL_ERANGE, "ln A of the edge %ld -- %ld is not finite at beta = %g",
                           r->a, r->g, beta);
        if (e == 0 || cmp_pair(&v[e - 1], r) != 0) {
            q++;
            rc->ea[q] = r->a;
            rc->eb[q] = r->g;
            rc->ln_c[q] = la;
        } else {
            rc->ln_c[q] = hl_lse(rc->ln_c[q], la);
        }
    }
    return HL_OK;
}

static void plan_errors(hl_chain_plan *p, const hl_chain *c, const raw_edge *v, double beta)
{
    p->has_err = c->s_err != NULL;
    p->err_m = p->err_a = 0;
    if (!p->has_err)
        return;
    long r = 0;
    for (long a = 1; a < c->n; a++)
        if (c->e[a] < c->e[r])
            r = a;
    fill_errors(c, v, beta, &p->rc, c->e[r], &p->err_m, &p->err_a);
}

/* Whether the plan's numbers are within what a family of solvers takes
 * (chain_plan.h).  The plan itself keeps any finite logs: its equilibrium
 * and ln rates are exact in logs whatever beta; the solves check here. */
int chain_rates_need(const hl_rchain *rc, double beta, int need)
{
    if (need == CHAIN_NEED_DOUBLE) {
        /* every rate a double (the solvers exponentiate them); any small
         * rate is fine */
        for (long e = 0; e < rc->m; e++) {
            double d = 0.5 * fabs(rc->ln_pi[rc->eb[e]] - rc->ln_pi[rc->ea[e]]);
            if (!(exp(rc->ln_c[e] + d) < INFINITY))
                return hl_fail(HL_ERANGE,
                               "a rate of the edge %ld -- %ld overflows a double at beta = %g "
                               "(ln K = %g)", rc->ea[e], rc->eb[e], beta, rc->ln_c[e] + d);
        }
        return HL_OK;
    }
    /* the extended exponent of the graph transformation (xfloat.h): every
     * finite ln K and ln M (relative to the lowest-energy state) within
     * +-HL_XF_LN_MAX/4, so that the products and sums of its elimination
     * stay representable */
    const double lim = HL_XF_LN_MAX / 4;
    for (long a = 0; a < rc->n; a++)
        if (isfinite(rc->ln_pi[a]) && fabs(rc->ln_pi[a]) > lim)
            return hl_fail(HL_ERANGE,
                           "at beta = %g ln M of state %ld is %g, beyond +-%g, the range of the "
                           "solvers' extended numbers: the temperature is too low for kinetics",
                           beta, a, rc->ln_pi[a], lim);
    for (long e = 0; e < rc->m; e++) {
        if (!isfinite(rc->ln_c[e]))
            continue;
        double d = 0.5 * fabs(rc->ln_pi[rc->eb[e]] - rc->ln_pi[rc->ea[e]]);
        if (fabs(rc->ln_c[e]) + d > lim)
            return hl_fail(HL_ERANGE,
                           "at beta = %g a rate of the edge %ld -- %ld has |ln K| up to %g, "
                           "beyond %g, the range of the solvers' extended numbers: the "
                           "temperature is too low for kinetics",
                           beta, rc->ea[e], rc->eb[e], fabs(rc->ln_c[e]) + d, lim);
    }
    return HL_OK;
}

static int check_beta(double beta)
{
    if (!(beta > 0) || !isfinite(beta))
        return hl_fail(HL_EDOM, "beta must be positive and finite (got %g)", beta);
    return HL_OK;
}

int chain_plan_make(const hl_chain *c, double beta, hl_chain_plan **out)
{
    if (!c || !out)
        return hl_fail(HL_EINVAL, "hl_chain_plan_create: NULL argument");
    *out = NULL;
    int st = check_beta(beta);
    if (!st)
        st = hl_chain_check_temperature(c, 1.0 / beta);
    if (st)
        return st;
    raw_edge *v;
    long np;
    if ((st = sorted_edges(c, &v, &np)))
        return st;
    hl_chain_plan *p = calloc(1, sizeof *p);
    if (!p) {
        free(v);
        return hl_fail(HL_ENOMEM, "out of memory for a plan");
    }
    p->beta = beta;
    p->chain = c;
    p->sorted = v;
    if ((st = hl_rchain_alloc(&p->rc, c->n, np, c->exits > 0)) ||
        (st = fill_values(c, v, beta, &p->rc)) || (st = hl_rchain_index(&p->rc)) ||
        (st = chain_plan_components(p))) {
        hl_chain_plan_free(p);
        return st;
    }
    plan_errors(p, c, v, beta);
    *out = p;
    return HL_OK;
}

int chain_plan_refill(void *ctx, double beta, hl_rchain *rc)
{
    hl_chain_plan *p = ctx;
    int st = check_beta(beta);
    if (st || !p->chain || !p->sorted)
        return st ? st : hl_fail(HL_EINVAL, "the plan no longer has its chain");
    if ((st = hl_chain_check_temperature(p->chain, 1.0 / beta)))
        return st;
    hl_pass_cache_free(p->pass); /* made at the old beta */
    p->pass = NULL;
    if ((st = fill_values(p->chain, p->sorted, beta, rc)))
        return st;
    if (rc == &p->rc)
        plan_errors(p, p->chain, p->sorted, beta);
    p->beta = beta;
    if ((st = chain_rates_need(rc, beta, CHAIN_NEED_DOUBLE)))
        return st;
    return hl_rchain_check_values(rc);
}

int chain_plan_refill_from(hl_chain_plan *p, const hl_chain *c, double beta, hl_rchain *rc)
{
    int st = check_beta(beta);
    if (!st)
        st = hl_chain_check_temperature(c, 1.0 / beta);
    if (st)
        return st;
    if (!p->chain || !p->sorted || c->n != p->chain->n || c->m != p->chain->m ||
        c->exits != p->chain->exits)
        return hl_fail(HL_EINVAL, "the rebuilt chain at beta = %g has other states or edges",
                       beta);
    raw_edge *v;
    long np;
    if ((st = sorted_edges(c, &v, &np)))
        return st;
    for (long e = 0; e < c->m; e++)
        if (v[e].a != p->sorted[e].a || v[e].g != p->sorted[e].g || v[e].kind != p->sorted[e].kind) {
            free(v);
            return hl_fail(HL_EINVAL, "the rebuilt chain at beta = %g has other edges (%ld -- "
                                      "%ld)", beta, v[e].a, v[e].g);
        }
    free(p->sorted);
    p->sorted = v;
    p->chain = c;
    return chain_plan_refill(p, beta, rc);
}

int hl_chain_plan_create(const hl_chain *c, double beta, hl_chain_plan **out)
{
    int st = chain_plan_make(c, beta, out);
    if (st)
        return st;
    /* the plan keeps nothing of the chain: it may be freed */
    free((*out)->sorted);
    (*out)->sorted = NULL;
    (*out)->chain = NULL;
    return HL_OK;
}

void hl_chain_plan_free(hl_chain_plan *p)
{
    if (!p)
        return;
    hl_rchain_free(&p->rc);
    hl_pass_cache_free(p->pass);
    free(p->sorted);
    free(p->comp);
    free(p);
}

/* components by breadth-first search along the edges */
int chain_plan_components(hl_chain_plan *p)
{
    long n = p->rc.n;
    p->comp = malloc(sizeof(long) * (size_t)n);
    long *queue = malloc(sizeof(long) * (size_t)n);
    if (!p->comp || !queue) {
        free(queue);
        return hl_fail(HL_ENOMEM, "out of memory for the components of %ld states", n);
    }
    for (long a = 0; a < n; a++)
        p->comp[a] = -1;
    long nc = 0;
    for (long s = 0; s < n; s++) {
        if (p->comp[s] >= 0)
            continue;
        long head = 0, tail = 0;
        queue[tail++] = s;
        p->comp[s] = nc;
        while (head < tail) {
            long a = queue[head++];
            for (long r = p->rc.adj_start[a]; r < p->rc.adj_start[a + 1]; r++) {
                long b = hl_rchain_other(&p->rc, p->rc.adj_edge[r], a);
                if (p->comp[b] < 0) {
                    p->comp[b] = nc;
                    queue[tail++] = b;
                }
            }
        }
        nc++;
    }
    free(queue);
    p->n_comp = nc;
    return HL_OK;
}

int hl_chain_components(const hl_chain_plan *p, long *comp, long *n_comp)
{
    if (!p || !comp || !n_comp)
        return hl_fail(HL_EINVAL, "hl_chain_components: NULL argument");
    memcpy(comp, p->comp, sizeof(long) * (size_t)p->rc.n);
    *n_comp = p->n_comp;
    return HL_OK;
}

int hl_chain_equilibrium(const hl_chain_plan *p, double *ln_p)
{
    if (!p || !ln_p)
        return hl_fail(HL_EINVAL, "hl_chain_equilibrium: NULL argument");
    long n = p->rc.n, nc = p->n_comp;
    double *mx = malloc(sizeof(double) * (size_t)nc), *sum = calloc((size_t)nc, sizeof(double));
    if (!mx || !sum) {
        free(mx);
        free(sum);
        return hl_fail(HL_ENOMEM, "out of memory for %ld components", nc);
    }
    for (long q = 0; q < nc; q++)
        mx[q] = -INFINITY;
    for (long a = 0; a < n; a++)
        mx[p->comp[a]] = fmax(mx[p->comp[a]], p->rc.ln_pi[a]);
    for (long a = 0; a < n; a++)
        sum[p->comp[a]] += exp(p->rc.ln_pi[a] - mx[p->comp[a]]);
    for (long a = 0; a < n; a++)
        ln_p[a] = p->rc.ln_pi[a] - mx[p->comp[a]] - log(sum[p->comp[a]]);
    free(mx);
    free(sum);
    return HL_OK;
}

int hl_chain_ln_rate(const hl_chain_plan *p, long a, long g, double *ln_rate)
{
    if (!p || !ln_rate)
        return hl_fail(HL_EINVAL, "hl_chain_ln_rate: NULL argument");
    if (a < 0 || a >= p->rc.n || g < 0 || g >= p->rc.n)
        return hl_fail(HL_EINVAL, "hl_chain_ln_rate: states %ld, %ld not in 0..%ld", a, g,
                       p->rc.n - 1);
    *ln_rate = -INFINITY;
    /* the row of a is sorted by neighbour: bisection */
    long lo = p->rc.adj_start[a], hi = p->rc.adj_start[a + 1];
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2, b = hl_rchain_other(&p->rc, p->rc.adj_edge[mid], a);
        if (b < g)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < p->rc.adj_start[a + 1]) {
        long e = p->rc.adj_edge[lo];
        if (hl_rchain_other(&p->rc, e, a) == g)
            *ln_rate = p->rc.ln_c[e] + 0.5 * (p->rc.ln_pi[g] - p->rc.ln_pi[a]);
    }
    return HL_OK;
}

/* ------------------------------------------- directed rates (rate_terms.h) */

typedef struct {
    long src, dst, order;
    double s, e;
} dir_term;

static int cmp_dir(const void *p, const void *q)
{
    const dir_term *x = p, *y = q;
    if (x->src != y->src)
        return (x->src > y->src) - (x->src < y->src);
    if (x->dst != y->dst)
        return (x->dst > y->dst) - (x->dst < y->dst);
    return (x->order > y->order) - (x->order < y->order);
}

int hl_chain_rate_terms(const hl_chain *c, hl_rate_terms *r)
{
    memset(r, 0, sizeof *r);
    if (!c)
        return hl_fail(HL_EINVAL, "hl_chain_rate_terms: NULL chain");
    if (c->exits > 0)
        return hl_fail(HL_EINVAL, "the chain has exit rates (%ld states): stochastic "
                                  "trajectories need a chain that keeps its probability",
                       c->exits);
    size_t nt = 2 * (size_t)c->m;
    dir_term *v = malloc(sizeof *v * (nt ? nt : 1));
    r->n = c->n;
    r->src_start = calloc((size_t)c->n + 1, sizeof(long));
    r->dst = malloc(sizeof(long) * (nt ? nt : 1));
    r->term_start = malloc(sizeof(long) * (nt + 1));
    r->ts = malloc(sizeof(double) * (nt ? nt : 1));
    r->te = malloc(sizeof(double) * (nt ? nt : 1));
    if (!v || !r->src_start || !r->dst || !r->term_start || !r->ts || !r->te) {
        free(v);
        hl_rate_terms_free(r);
        return hl_fail(HL_ENOMEM, "out of memory for the rates of %ld edges", c->m);
    }
    /* each edge in both directions, the differences formed before the
     * product with beta (as fill_values) */
    for (long k = 0; k < c->m; k++) {
        const raw_edge *x = &c->edges[k];
        for (int d = 0; d < 2; d++) {
            long a = d ? x->g : x->a, g = d ? x->a : x->g;
            dir_term *t = &v[2 * k + d];
            t->src = a;
            t->dst = g;
            t->order = 2 * k + d;
            if (x->kind == EDGE_TS) {
                t->s = x->s - c->s[a];
                t->e = x->e - c->e[a];
            } else {
                t->s = x->s + 0.5 * (c->s[g] - c->s[a]);
                t->e = x->e + 0.5 * (c->e[g] - c->e[a]);
            }
        }
    }
    qsort(v, nt, sizeof *v, cmp_dir);
    long j = -1;
    for (size_t t = 0; t < nt; t++) {
        if (t == 0 || v[t].src != v[t - 1].src || v[t].dst != v[t - 1].dst) {
            j++;
            r->dst[j] = v[t].dst;
            r->term_start[j] = (long)t;
            r->src_start[v[t].src + 1]++;
        }
        r->ts[t] = v[t].s;
        r->te[t] = v[t].e;
    }
    r->ne = j + 1;
    r->term_start[r->ne] = (long)nt;
    for (long a = 0; a < c->n; a++)
        r->src_start[a + 1] += r->src_start[a];
    free(v);
    return HL_OK;
}
