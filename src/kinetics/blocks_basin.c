/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_basin.c -- a maximum of f of k blocks, its basin and concave core
 * on a k-dimensional grid (blocks_basin.h), and the class master equation
 * restricted to them (blocks_kinetics.h, hl_blocks_basin_chain): the
 * generalisation of the 2-D in-basin master equation (basin_kinetics.c,
 * hl_basin_spectrum) to the class lattice of k blocks. */
#include "blocks_basin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/blocks_kinetics.h"
#include "hyperland/fokker_planck.h"
#include "kinetics_private.h"

int hl_bmaxima_get(const hl_blocks *b, double beta, const char *name, const double *at,
                   hl_bmaxima *out)
{
    memset(out, 0, sizeof *out);
    out->chosen = -1;
    size_t n = 0;
    int st = hl_blocks_maxima_at(b, beta, out->mx, HL_BMAXIMA_MAX, &n, NULL);
    if (st)
        return st;
    out->n = n < HL_BMAXIMA_MAX ? n : HL_BMAXIMA_MAX;
    if (!out->n)
        return hl_fail(HL_ENOTFOUND, "f has no maximum at beta = %g", beta);
    if ((st = hl_blocks_name_maxima(b, beta, out->mx, out->n, out->names)))
        return st;
    int k = hl_blocks_k(b);
    if (name) {
        for (size_t j = 0; j < out->n; j++)
            if (!strcmp(out->names[j], name))
                out->chosen = (int)j;
        if (out->chosen < 0) {
            char list[200];
            size_t o = 0;
            for (size_t j = 0; j < out->n && o < sizeof list; j++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", j ? ", " : "",
                                      out->names[j]);
            return hl_fail(HL_ENOTFOUND, "no maximum of f named '%s' at beta = %g (there are: "
                                         "%s)",
                           hl_clip(name, (char[HL_CLIP_BUF]){0}), beta, list);
        }
        return HL_OK;
    }
    double best = INFINITY;
    for (size_t j = 0; j < out->n; j++) {
        double d2 = 0;
        for (int a = 0; a < k; a++)
            d2 += (at[a] - out->mx[j].m[a]) * (at[a] - out->mx[j].m[a]);
        if (d2 < best) {
            best = d2;
            out->chosen = (int)j;
        }
    }
    return HL_OK;
}

int hl_bconcave(const hl_blocks *b, double beta, const double *m)
{
    int k = hl_blocks_k(b);
    double hd[HL_BLOCKS_MAX], hp[HL_BLOCKS_MAX * HL_BLOCKS_MAX], a[HL_BLOCKS_MAX * HL_BLOCKS_MAX];
    hl_blocks_w(b, m, NULL, hd);
    hl_blocks_phi_derivs(b, m, NULL, hp);
    /* a = -Hess f = -diag(hd) + beta Hess phi; Cholesky */
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            a[i * k + j] = beta * hp[i * k + j] - (i == j ? hd[i] : 0.0);
    for (int j = 0; j < k; j++) {
        double d = a[j * k + j];
        for (int q = 0; q < j; q++)
            d -= a[j * k + q] * a[j * k + q];
        if (!(d > 0))
            return 0;
        d = sqrt(d);
        a[j * k + j] = d;
        for (int i = j + 1; i < k; i++) {
            double v = a[i * k + j];
            for (int q = 0; q < j; q++)
                v -= a[i * k + q] * a[j * k + q];
            a[i * k + j] = v / d;
        }
    }
    return 1;
}

int hl_bbasin_mask(const hl_blocks *b, double beta, const hl_kgrid *g, hl_bgrid_pos_fn pos,
                   const void *ctx, const hl_bmaxima *mx, int core, unsigned char *keep,
                   long *kept)
{
    long N = hl_kgrid_cells(g), stride[HL_KGRID_MAX];
    int k = g->k;
    hl_kgrid_strides(g, stride);
    long *lab = malloc(sizeof(long) * (size_t)N);
    signed char *near = malloc((size_t)N);
    if (!lab || !near) {
        free(lab);
        free(near);
        return hl_fail(HL_ENOMEM, "out of memory (%ld cells)", N);
    }
    hl_kgrid_ascent(g, lab);
    /* the nearest maximum of each ascent's end, once per end: 1 chosen, 0 other */
    for (long i = 0; i < N; i++)
        near[i] = -1;
    for (long i = 0; i < N; i++) {
        long e = lab[i];
        if (e < 0 || near[e] >= 0)
            continue;
        double m[HL_KGRID_MAX], best = INFINITY;
        int who = -1;
        pos(ctx, e, m);
        for (size_t j = 0; j < mx->n; j++) {
            double d2 = 0;
            for (int a = 0; a < k; a++)
                d2 += (m[a] - mx->mx[j].m[a]) * (m[a] - mx->mx[j].m[a]);
            if (d2 < best) {
                best = d2;
                who = (int)j;
            }
        }
        near[e] = who == mx->chosen;
    }
    long cnt = 0, seed = -1;
    for (long i = 0; i < N; i++) {
        keep[i] = lab[i] >= 0 && near[lab[i]] == 1;
        if (keep[i]) {
            cnt++;
            if (seed < 0 || g->ln_pi[i] > g->ln_pi[seed])
                seed = i;
        }
    }
    free(near);
    free(lab);
    const char *nm = mx->names[mx->chosen];
    if (cnt < 2)
        return hl_fail(HL_ENOTFOUND, "the '%s' basin has %ld cell%s on the grid", nm, cnt,
                       cnt == 1 ? "" : "s");
    if (core) {
        double m[HL_KGRID_MAX];
        for (long i = 0; i < N; i++)
            if (keep[i]) {
                pos(ctx, i, m);
                if (!hl_bconcave(b, beta, m))
                    keep[i] = 0;
            }
        if (!keep[seed])
            return hl_fail(HL_EDOM, "f is not concave at the '%s' maximum's cell (a fold is "
                                    "near: the Gaussian theory does not apply)",
                           nm);
        long *stack = malloc(sizeof(long) * (size_t)N), top = 0;
        if (!stack)
            return hl_fail(HL_ENOMEM, "out of memory (%ld cells)", N);
        stack[top++] = seed;
        keep[seed] = 2;
        while (top > 0) {
            long i = stack[--top];
            for (int a = 0; a < k; a++) {
                long ia = (i / stride[a]) % g->n[a];
                long nb[2] = {ia > 0 ? i - stride[a] : -1, ia + 1 < g->n[a] ? i + stride[a] : -1};
                for (int q = 0; q < 2; q++)
                    if (nb[q] >= 0 && keep[nb[q]] == 1) {
                        keep[nb[q]] = 2;
                        stack[top++] = nb[q];
                    }
            }
        }
        free(stack);
        cnt = 0;
        for (long i = 0; i < N; i++)
            cnt += (keep[i] = keep[i] == 2);
    }
    *kept = cnt;
    return HL_OK;
}

/* ------------------------------------------- the in-basin master equation */

typedef struct {
    const hl_blocks *b;
} class_ctx;

static void class_pos(const void *ctx, long i, double *m)
{
    hl_blocks_class(((const class_ctx *)ctx)->b, i, NULL, m);
}

int hl_blocks_basin_chain(const hl_blocks *b, double beta, const char *branch, int core,
                          hl_chain **out, long *state)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_blocks_basin_chain: out is NULL");
    *out = NULL;
    if (!b || !branch)
        return hl_fail(HL_EINVAL, "hl_blocks_basin_chain: NULL argument");
    if (!isfinite(beta) || !(beta > 0) || beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is not in (0, 1e6]", beta);
    int k = hl_blocks_k(b);
    long nc = hl_blocks_n_classes(b);
    if (nc < 0 || nc > (1L << 31))
        return hl_fail(HL_ERANGE, "%ld classes: the lattice is too large", nc);
    hl_bmaxima *mx = malloc(sizeof *mx);
    hl_kgrid g;
    memset(&g, 0, sizeof g);
    g.k = k;
    for (int a = 0; a < k; a++)
        g.n[a] = hl_blocks_size(b, a) + 1;
    g.ln_pi = malloc(sizeof(double) * (size_t)nc);
    double *ln_p = malloc(sizeof(double) * (size_t)nc);
    unsigned char *keep = malloc((size_t)nc);
    long *set = malloc(sizeof(long) * (size_t)nc);
    long *map = state ? state : malloc(sizeof(long) * (size_t)nc);
    hl_chain *full = NULL;
    hl_chain_plan *pf = NULL;
    int st = HL_OK;
    if (!mx || !g.ln_pi || !ln_p || !keep || !set || !map) {
        st = hl_fail(HL_ENOMEM, "out of memory (%ld classes)", nc);
        goto done;
    }
    if ((st = hl_bmaxima_get(b, beta, branch, NULL, mx)))
        goto done;
    if ((st = hl_blocks_chain(b, beta, &full)) || (st = hl_chain_plan_create(full, beta, &pf)) ||
        (st = hl_chain_equilibrium(pf, ln_p)))
        goto done;
    memcpy(g.ln_pi, ln_p, sizeof(double) * (size_t)nc);
    class_ctx cx = {b};
    long kept = 0;
    if ((st = hl_bbasin_mask(b, beta, &g, class_pos, &cx, mx, core, keep, &kept)))
        goto done;
    if (core) {
        /* the core's top, then its cells that climb to a wall-made maximum
         * cleared (traps of the reflecting walls: model_private.h) */
        long seed = -1;
        for (long i = 0; i < nc; i++)
            if (keep[i] && (seed < 0 || g.ln_pi[i] > g.ln_pi[seed]))
                seed = i;
        if ((st = hl_core_cut_traps(k, g.n, g.ln_pi, seed, keep, NULL)))
            goto done;
    }
    size_t n = 0;
    for (long i = 0; i < nc; i++)
        if (keep[i])
            set[n++] = i;
    st = hl_blocks_restrict_chain(b, pf, ln_p, set, n, map, out);
done:
    hl_chain_plan_free(pf);
    hl_chain_free(full);
    free(mx);
    free(g.ln_pi);
    free(ln_p);
    free(keep);
    free(set);
    if (map != state)
        free(map);
    return st;
}
