/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fokker_planck_blocks_evolve.c -- the time evolution of eq 5.9 in k <= 3
 * block magnetisations (fokker_planck.h, hl_fp_blocks_evolve): the start on
 * the cells, the chain's integrators (hl_chain_evolve at a fixed beta,
 * hl_chain_evolve_protocol_rebuild under a protocol) and the observables of
 * the 2-D equation (hl_fp_evolve), with m1 .. mk in place of x, y. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fp_blocks_grid.h"
#include "hyperland/blocks_phases.h"
#include "hyperland/fokker_planck.h"
#include "kgrid.h"
#include "kinetics_private.h"

#define FPB_MAXIMA 64 /* maxima of f looked at (names of the basins) */

/* the chain at beta for the integrator (no resolution check: the later
 * betas of a protocol, as the 2-D equation) */
static int rebuild(void *ctx, double beta, hl_chain **out)
{
    return hl_fpb_grid_fill((hl_fpb_grid *)ctx, beta, 0, out, NULL);
}

/* mass at the point m: multilinear weights on the 2^k cell centres around
 * it (as the 2-D equation's deposit: clamped to the outer centres) */
static int deposit(const hl_fpb_grid *g, const double *m, double mass, double *p)
{
    int k = g->k;
    long n = g->n, i0[HL_FP_BLOCKS_MAX];
    double f[HL_FP_BLOCKS_MAX], tol = 1e-9;
    char pt[96];
    size_t o = 0;
    for (int c = 0; c < k; c++)
        o += (size_t)snprintf(pt + o, sizeof pt - o, "%s%.9g", c ? ", " : "", m[c]);
    for (int a = 0; a < k; a++)
        if (!(m[a] >= -1.0 - tol && m[a] <= 1.0 + tol))
            return hl_fail(HL_EDOM, "start point m = (%s) lies outside the cube [-1, 1]^%d", pt,
                           k);
    for (int a = 0; a < k; a++) {
        double hi = g->lo[a] + (double)n * g->hs[a];
        if (!(m[a] >= g->lo[a] - tol && m[a] <= hi + tol))
            return hl_fail(HL_EDOM, "start point m = (%s) lies outside the grid's domain "
                                    "(m%d in [%.9g, %.9g])",
                           pt, a + 1, g->lo[a], hi);
    }
    for (int a = 0; a < k; a++) {
        double u = (m[a] - g->lo[a]) / g->hs[a] - 0.5;
        u = fmin(fmax(u, 0.0), (double)(n - 1));
        i0[a] = (long)floor(u);
        if (i0[a] > n - 2)
            i0[a] = n - 2;
        f[a] = u - (double)i0[a];
    }
    int nc = 1 << k;
    double wts[1 << HL_FP_BLOCKS_MAX], tot = 0;
    long cell[1 << HL_FP_BLOCKS_MAX];
    for (int c = 0; c < nc; c++) {
        double wgt = 1;
        long idx = 0;
        for (int a = 0; a < k; a++) {
            int up = (c >> a) & 1;
            wgt *= up ? f[a] : 1 - f[a];
            idx += (i0[a] + up) * g->stride[a];
        }
        if (g->keep && !g->keep[idx])
            wgt = 0;
        wts[c] = wgt;
        cell[c] = idx;
        tot += wgt;
    }
    if (!(tot > 0))
        return hl_fail(HL_EDOM, "start point m = (%s) lies outside the cells kept (the basin "
                                "or its core)",
                       pt);
    for (int c = 0; c < nc; c++)
        p[cell[c]] += mass * wts[c] / tot;
    return HL_OK;
}

/* the maxima of f at beta and their names; *count <= FPB_MAXIMA */
static int named_maxima(const hl_blocks *b, double beta, hl_bstat *mx, char (*names)[16],
                        size_t *count)
{
    size_t n = 0;
    int st = hl_blocks_maxima_at(b, beta, mx, FPB_MAXIMA, &n, NULL);
    if (st)
        return st;
    *count = n < FPB_MAXIMA ? n : FPB_MAXIMA;
    return hl_blocks_name_maxima(b, beta, mx, *count, names);
}

static int start_q(const hl_fpb_grid *g, const hl_fp_blocks_start *s, double beta0, double *p)
{
    long N = g->N;
    for (long i = 0; i < N; i++)
        p[i] = 0;
    switch (s->kind) {
    case HL_FP_START_POINT:
        return deposit(g, s->m, 1.0, p);
    case HL_START_BASIN: {
        if (!s->basin)
            return hl_fail(HL_EINVAL, "start basin name is NULL");
        hl_bstat *mx = malloc(sizeof *mx * FPB_MAXIMA);
        char (*names)[16] = malloc(sizeof *names * FPB_MAXIMA);
        size_t n = 0;
        int st = mx && names ? named_maxima(g->b, beta0, mx, names, &n)
                             : hl_fail(HL_ENOMEM, "out of memory");
        long q = -1;
        for (size_t j = 0; !st && j < n && q < 0; j++)
            if (!strcmp(names[j], s->basin))
                q = (long)j;
        if (!st && q < 0) {
            char list[160] = "";
            size_t o = 0;
            for (size_t j = 0; j < n && j < 6 && o < sizeof list; j++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", j ? ", " : "", names[j]);
            st = hl_fail(HL_ENOTFOUND, "no '%s' maximum to start from at beta = %g (maxima: %s)",
                         hl_clip(s->basin, (char[HL_CLIP_BUF]){0}), beta0, n ? list : "none");
        }
        if (!st)
            st = deposit(g, mx[q].m, 1.0, p);
        free(mx);
        free(names);
        return st;
    }
    case HL_START_INFINITE_T:
    case HL_START_EQUILIBRIUM: {
        double be = s->kind == HL_START_EQUILIBRIUM ? s->beta : 0.0;
        if (s->kind == HL_START_EQUILIBRIUM && (!isfinite(be) || !(be > 0) || be > 1e6))
            return hl_fail(HL_EDOM, "equilibrium start: beta = %g is not in (0, 1e6]", be);
        for (long i = 0; i < N; i++)
            p[i] = g->keep && !g->keep[i] ? -INFINITY : g->D * g->w[i] - be * g->D * g->phi[i];
        hl_ln_normalise(p, N);
        return HL_OK;
    }
    case HL_START_CLASSES: {
        if (!s->q)
            return hl_fail(HL_EINVAL, "start distribution is NULL");
        long nc = hl_blocks_n_classes(g->b), cls[HL_BLOCKS_MAX];
        double sum = 0, m[HL_BLOCKS_MAX];
        for (long i = 0; i < nc; i++) {
            double v = s->q[i];
            if (!isfinite(v) || v < 0)
                return hl_fail(HL_EDOM, "start distribution: entry %g of class %ld is not a "
                                        "non-negative number",
                               v, i);
            sum += v;
        }
        if (!(sum > 0) || !isfinite(sum))
            return hl_fail(HL_EDOM, "start distribution sums to %g", sum);
        for (long i = 0; i < nc; i++)
            if (s->q[i] > 0) {
                hl_blocks_class(g->b, i, cls, m);
                int st = deposit(g, m, s->q[i] / sum, p);
                if (st)
                    return st;
            }
        return HL_OK;
    }
    default:
        return hl_fail(HL_EINVAL, "unknown start kind %d", s->kind);
    }
}

/* the basins of U at beta: lab (the ascent), base[i] = the basin slot of
 * cell i's end (-1: none) */
typedef struct {
    double beta;            /* of the current content (NaN: none)     */
    double *u;
    long *lab;
    int *slot;
    int n;
    char names[HL_FP_BLOCKS_BASINS][16];
    hl_bstat *mx;
    char (*mxn)[16];
} basin_cache;

static int slot_of(basin_cache *c, const char *name)
{
    for (int q = 0; q < c->n; q++)
        if (!strcmp(c->names[q], name))
            return q;
    if (c->n >= HL_FP_BLOCKS_BASINS)
        return -1;
    snprintf(c->names[c->n], sizeof c->names[0], "%s", name);
    return c->n++;
}

static int basins_at(hl_fpb_grid *g, double beta, basin_cache *c)
{
    if (c->beta == beta)
        return HL_OK;
    size_t nm = 0;
    int st = named_maxima(g->b, beta, c->mx, c->mxn, &nm);
    if (st)
        return st;
    c->n = 0;
    /* liquid and crystal first, as the 2-D equation's table */
    for (size_t j = 0; j < nm; j++)
        if (!strcmp(c->mxn[j], "liquid"))
            slot_of(c, "liquid");
    for (size_t j = 0; j < nm; j++)
        if (!strcmp(c->mxn[j], "crystal"))
            slot_of(c, "crystal");
    for (size_t j = 0; j < nm; j++)
        slot_of(c, c->mxn[j]);
    long N = g->N;
    for (long i = 0; i < N; i++)
        c->u[i] = g->D * g->w[i] - beta * g->D * g->phi[i];
    hl_kgrid kg = g->g;
    kg.ln_pi = c->u;
    hl_kgrid_ascent(&kg, c->lab);
    for (long i = 0; i < N; i++)
        c->slot[i] = -2; /* not yet named */
    for (long i = 0; i < N; i++) {
        long e = c->lab[i];
        if (e < 0 || c->slot[e] != -2)
            continue;
        double m[HL_FP_BLOCKS_MAX], best = INFINITY;
        hl_fpb_cell_m(g, e, -1, m);
        const char *name = "none";
        for (size_t j = 0; j < nm; j++) {
            double d2 = 0;
            for (int a = 0; a < g->k; a++)
                d2 += (m[a] - c->mx[j].m[a]) * (m[a] - c->mx[j].m[a]);
            if (d2 < best) {
                best = d2;
                name = c->mxn[j];
            }
        }
        c->slot[e] = slot_of(c, name);
    }
    for (long i = 0; i < N; i++)
        c->slot[i] = c->lab[i] >= 0 ? c->slot[c->lab[i]] : -1;
    c->beta = beta;
    return HL_OK;
}

static int observe(hl_fpb_grid *g, double t, double beta, const double *q, basin_cache *c,
                   hl_fp_blocks_point *pt)
{
    int k = g->k;
    long N = g->N;
    double D = g->D, T = 1.0 / beta, lcell = 0;
    for (int a = 0; a < k; a++)
        lcell += log((double)hl_blocks_size(g->b, a) * g->hs[a] / 2.0);
    memset(pt, 0, sizeof *pt);
    pt->t = t;
    pt->beta = beta;
    double sum = 0, mm[HL_FP_BLOCKS_MAX] = {0}, mphi = 0, mw = 0, ent = 0, minq = INFINITY;
    double m[HL_FP_BLOCKS_MAX];
    for (long i = 0; i < N; i++) {
        double v = q[i];
        if (g->keep && !g->keep[i])
            continue;
        hl_fpb_cell_m(g, i, -1, m);
        sum += v;
        for (int a = 0; a < k; a++)
            mm[a] += v * m[a];
        mphi += v * g->phi[i];
        double lnw = D * g->w[i] + lcell;
        mw += v * lnw / D;
        if (v > 0)
            ent += v * (log(v) - lnw);
        minq = fmin(minq, v);
    }
    for (int a = 0; a < HL_FP_BLOCKS_MAX; a++)
        pt->mean_m[a] = a < k ? mm[a] : NAN;
    int pair = hl_blocks_is_paper_pair(g->b);
    pt->mean_x = pair ? 0.5 * (mm[0] + mm[1]) : NAN;
    pt->mean_y = pair ? 0.5 * (mm[0] - mm[1]) : NAN;
    pt->mean_phi = mphi;
    pt->mean_w = mw;
    pt->free_energy = mphi + T / D * ent;
    pt->sum_error = fabs(sum - 1.0);
    pt->min_q = minq;
    int st = basins_at(g, beta, c);
    if (st)
        return st;
    pt->n_basins = c->n;
    long best[HL_FP_BLOCKS_BASINS];
    for (int s = 0; s < c->n; s++) {
        snprintf(pt->basins[s].name, sizeof pt->basins[s].name, "%s", c->names[s]);
        for (int a = 0; a < HL_FP_BLOCKS_MAX; a++)
            pt->basins[s].m[a] = NAN;
        best[s] = -1;
    }
    for (long i = 0; i < N; i++) {
        int s = c->slot[i];
        if (s < 0)
            continue;
        pt->basins[s].probability += q[i] > 0 ? q[i] : 0.0;
        if (best[s] < 0 || c->u[i] > c->u[best[s]])
            best[s] = i;
    }
    for (int s = 0; s < c->n; s++)
        if (best[s] >= 0)
            hl_fpb_cell_m(g, best[s], -1, pt->basins[s].m);
    return HL_OK;
}

int hl_fp_blocks_evolve(const hl_blocks *b, long grid, const hl_protocol *p,
                        const hl_fp_blocks_start *start, const double *times, size_t n_times,
                        double rtol, hl_fp_blocks_point *points, double *q_out,
                        hl_fp_blocks_info *info)
{
    hl_fp_blocks_options o;
    hl_fp_blocks_options_default(&o);
    o.grid = grid;
    return hl_fp_blocks_evolve_opt(b, &o, p, start, times, n_times, rtol, points, q_out, info);
}

int hl_fp_blocks_evolve_opt(const hl_blocks *b, const hl_fp_blocks_options *opt,
                            const hl_protocol *p, const hl_fp_blocks_start *start,
                            const double *times, size_t n_times, double rtol,
                            hl_fp_blocks_point *points, double *q_out, hl_fp_blocks_info *info)
{
    if (!b || !opt || !p || !start || !times || !points)
        return hl_fail(HL_EINVAL, "hl_fp_blocks_evolve: NULL argument");
    int st = hl_protocol_check(p);
    if (st)
        return st;
    if ((st = hl_check_times(times, n_times)))
        return st;
    if (!isfinite(rtol) || rtol < 0 || rtol >= 1)
        return hl_fail(HL_EDOM, "rtol = %g is not in [0, 1)", rtol);
    double beta0 = hl_protocol_beta(p, 0.0);
    int fixed = 1;
    for (size_t r = 0; r < hl_protocol_rows(p); r++)
        if (hl_protocol_beta(p, hl_protocol_time(p, r)) != beta0)
            fixed = 0;
    int special = opt->form == HL_FP_LINEAR || opt->in_basin;
    if (special && !fixed)
        return hl_fail(HL_EDOM, "the linear form and a basin are built around one maximum at "
                                "one beta: the protocol must keep beta fixed");
    /* a window covers every temperature of this protocol */
    hl_fp_blocks_options o2 = *opt;
    o2.protocol = fixed ? NULL : p;
    opt = &o2;
    hl_fpb_grid g;
    hl_fp_blocks_info where;
    if ((st = hl_fpb_grid_setup(&g, b, beta0, opt, &where)))
        return st;
    long N = g.N;
    long *map = NULL, ns = N;
    double *cp = NULL;
    double *p0 = malloc(sizeof(double) * (size_t)N);
    double *all = q_out ? q_out : malloc(sizeof(double) * (size_t)N * n_times);
    basin_cache bc;
    memset(&bc, 0, sizeof bc);
    bc.beta = NAN;
    bc.u = malloc(sizeof(double) * (size_t)N);
    bc.lab = malloc(sizeof(long) * (size_t)N);
    bc.slot = malloc(sizeof(int) * (size_t)N);
    bc.mx = malloc(sizeof *bc.mx * FPB_MAXIMA);
    bc.mxn = malloc(sizeof *bc.mxn * FPB_MAXIMA);
    hl_chain *c = NULL;
    hl_chain_plan *plan = NULL;
    hl_chain_result res = {NULL, NAN};
    if (!p0 || !all || !bc.u || !bc.lab || !bc.slot || !bc.mx || !bc.mxn) {
        st = hl_fail(HL_ENOMEM, "out of memory (%ld cells, %zu times)", N, n_times);
        goto done;
    }
    /* B(m, T) at every face at the temperature of every row (the ends of
     * the range the protocol visits), before any work; the integrator
     * checks it again at every beta it visits */
    for (size_t r = 0; !fixed && g.b_uses_t && r < hl_protocol_rows(p); r++)
        if ((st = hl_fpb_grid_fill(&g, hl_protocol_beta(p, hl_protocol_time(p, r)), 0, NULL,
                                   NULL)))
            goto done;
    /* the resolution at every row's T, before any work */
    if (!fixed && (st = hl_fpb_grid_protocol_resolved(&g, p)))
        goto done;
    /* the grid at beta(0): resolution checked (info), the chain of a fixed beta */
    if ((st = hl_fpb_grid_fill(&g, beta0, 1, fixed && !g.keep ? &c : NULL, info)))
        goto done;
    if (info) {
        info->active = where.active;
        memcpy(info->branch, where.branch, sizeof info->branch);
        memcpy(info->max_m, where.max_m, sizeof info->max_m);
    }
    if ((st = start_q(&g, start, beta0, p0)))
        goto done;
    if (g.keep) {
        /* the chain on the kept cells: the probabilities compressed to its
         * states and expanded back (0 off the basin) */
        ns = where.active;
        map = malloc(sizeof(long) * (size_t)N);
        cp = malloc(sizeof(double) * (size_t)ns * (n_times + 1));
        if (!map || !cp) {
            st = hl_fail(HL_ENOMEM, "out of memory (%ld cells, %zu times)", N, n_times);
            goto done;
        }
        if ((st = hl_kgrid_to_chain(&g.g, map, &c)))
            goto done;
        for (long i = 0; i < N; i++)
            if (map[i] >= 0)
                cp[map[i]] = p0[i];
        if (!(st = hl_chain_plan_create(c, beta0, &plan)))
            st = hl_chain_evolve(plan, cp, times, n_times, rtol, cp + ns, &res);
        for (size_t j = 0; !st && j < n_times; j++)
            for (long i = 0; i < N; i++)
                all[j * (size_t)N + (size_t)i] = map[i] >= 0 ? cp[ns * (long)(j + 1) + map[i]] : 0.0;
    } else if (fixed) {
        if (!(st = hl_chain_plan_create(c, beta0, &plan)))
            st = hl_chain_evolve(plan, p0, times, n_times, rtol, all, &res);
    } else {
        st = hl_chain_evolve_protocol_rebuild(rebuild, &g, p, p0, times, n_times, rtol, all,
                                              &res);
    }
    for (size_t j = 0; !st && j < n_times; j++)
        st = observe(&g, times[j], hl_protocol_beta(p, times[j]), all + j * (size_t)N, &bc,
                     &points[j]);
    if (info)
        info->method = res.method;
done:
    hl_chain_plan_free(plan);
    hl_chain_free(c);
    free(map);
    free(cp);
    free(p0);
    if (!q_out)
        free(all);
    free(bc.u);
    free(bc.lab);
    free(bc.slot);
    free(bc.mx);
    free(bc.mxn);
    hl_fpb_grid_free(&g);
    return st;
}
