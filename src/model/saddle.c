/* SPDX-License-Identifier: GPL-3.0-or-later */
/* saddle.c -- the saddle of f = w - beta phi between two maxima: the
 * lowest pass on a grid (union-find over cells in decreasing f), refined by
 * Newton. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "thermo_private.h"

/* ------------------------------------------------------------ saddle */

static int uf_find(int *par, int i)
{
    while (par[i] != i) {
        par[i] = par[par[i]];
        i = par[i];
    }
    return i;
}

typedef struct {
    double f;
    int idx;
} node_t;

static int cmp_node_desc(const void *a, const void *b)
{
    const node_t *p = a, *q = b;
    return (p->f < q->f) - (p->f > q->f);
}

#define SADDLE_GRID 128

int hl_saddle_between(const hl_model *m, double beta, const hl_stationary *m1,
                      const hl_stationary *m2, hl_stationary *saddle)
{
    int st = hl_check_beta(beta);
    if (st)
        return st;
    const int N = SADDLE_GRID, NN = (N + 1) * (N + 1);
    double lo[2], hi[2];
    hl_search_box(m, beta, lo, hi);
    node_t *nodes = malloc(sizeof(node_t) * (size_t)NN);
    int *par = malloc(sizeof(int) * (size_t)NN);
    unsigned char *added = calloc((size_t)NN, 1);
    if (!nodes || !par || !added) {
        free(nodes);
        free(par);
        free(added);
        return hl_fail(HL_ENOMEM, "out of memory in saddle search");
    }
    double dx0 = (hi[0] - lo[0]) / N, dx1 = (hi[1] - lo[1]) / N;
    double *fg = malloc(sizeof(double) * (size_t)NN);
    if (!fg) {
        free(nodes);
        free(par);
        free(added);
        return hl_fail(HL_ENOMEM, "out of memory in saddle search");
    }
    hl_fill_f_grid(m, beta, lo, hi, N, fg);
    for (int id = 0; id < NN; id++) {
        nodes[id].f = fg[id];
        nodes[id].idx = id;
        par[id] = id;
    }
    free(fg);
    double t1[2], t2[2];
    hl_stationary_to_t(m1, t1);
    hl_stationary_to_t(m2, t2);
    int i1 = (int)lround((t1[0] - lo[0]) / dx0), j1 = (int)lround((t1[1] - lo[1]) / dx1);
    int i2 = (int)lround((t2[0] - lo[0]) / dx0), j2 = (int)lround((t2[1] - lo[1]) / dx1);
    int c1 = i1 * (N + 1) + j1, c2 = i2 * (N + 1) + j2;
    qsort(nodes, (size_t)NN, sizeof(node_t), cmp_node_desc);
    int pass = -1;
    for (int k = 0; k < NN && pass < 0; k++) {
        int id = nodes[k].idx, i = id / (N + 1), j = id % (N + 1);
        added[id] = 1;
        static const int di[4] = {1, -1, 0, 0}, dj[4] = {0, 0, 1, -1};
        for (int q = 0; q < 4; q++) {
            int ni = i + di[q], nj = j + dj[q];
            if (ni < 0 || nj < 0 || ni > N || nj > N)
                continue;
            int nid = ni * (N + 1) + nj;
            if (!added[nid])
                continue;
            int ra = uf_find(par, id), rb = uf_find(par, nid);
            if (ra != rb)
                par[ra] = rb;
        }
        if (added[c1] && added[c2] && uf_find(par, c1) == uf_find(par, c2))
            pass = id;
    }
    free(nodes);
    free(par);
    free(added);
    if (pass < 0)
        return hl_fail(HL_ENOTFOUND, "no path between the two maxima found");
    int pi = pass / (N + 1), pj = pass % (N + 1);
    /* Newton from the pass node and its neighbours */
    for (int r = 0; r <= 2; r++)
        for (int di = -r; di <= r; di++)
            for (int dj = -r; dj <= r; dj++) {
                double t[2] = {lo[0] + dx0 * (pi + 0.5 * di), lo[1] + dx1 * (pj + 0.5 * dj)};
                hl_local_eval e;
                if (hl_newton_t(m, beta, t, 60, &e) && hl_det2(e.J) < 0) {
                    hl_fill_stationary(m, beta, t, saddle);
                    /* must lie below both maxima */
                    if (saddle->f <= m1->f + 1e-12 && saddle->f <= m2->f + 1e-12)
                        return HL_OK;
                }
            }
    return hl_fail(HL_ENOTFOUND, "the saddle between the two maxima could "
                                 "not be refined");
}
