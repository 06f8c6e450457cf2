/* SPDX-License-Identifier: GPL-3.0-or-later */
/* class_lattice.c -- the class lattice of eq 5.6 as a grid chain and as a
 * reversible chain, and its fill for a new beta (class_lattice.h). */
#include "class_lattice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "kinetics_private.h" /* hl_class_lattice (the rates of eq 5.2, master.c) */

int hl_class_gridchain(const hl_model *m, long dim, double beta, hl_gridchain *g)
{
    long h = dim / 2, w = h + 1, N = w * w;
    memset(g, 0, sizeof *g);
    double *lk4 = malloc(sizeof(double) * 4 * (size_t)N);
    long *nb = malloc(sizeof(long) * 4 * (size_t)N);
    int st = HL_OK;
    if (!lk4 || !nb)
        st = hl_fail(HL_ENOMEM, "out of memory (class lattice at D = %ld)", dim);
    if (!st)
        st = hl_gridchain_alloc(g, w, w);
    if (!st)
        st = hl_class_lattice(m, dim, beta, g->ln_pi, lk4, nb);
    /* ln c = ln k(i -> j) - (ln pi_j - ln pi_i) / 2 for the moves a+1, b+1 */
    for (long i = 0; !st && i < N; i++) {
        g->ln_c1[i] = nb[4 * i] >= 0 ? lk4[4 * i] - 0.5 * (g->ln_pi[nb[4 * i]] - g->ln_pi[i])
                                     : -INFINITY;
        g->ln_c2[i] = nb[4 * i + 2] >= 0
                          ? lk4[4 * i + 2] - 0.5 * (g->ln_pi[nb[4 * i + 2]] - g->ln_pi[i])
                          : -INFINITY;
    }
    if (st)
        hl_gridchain_free(g);
    free(lk4);
    free(nb);
    return st;
}

int hl_class_rchain(const hl_model *m, long dim, double beta, hl_rchain *c)
{
    hl_gridchain g;
    memset(c, 0, sizeof *c);
    int st = hl_class_gridchain(m, dim, beta, &g);
    if (st)
        return st;
    st = hl_gridchain_to_rchain(&g, NULL, c);
    hl_gridchain_free(&g);
    return st;
}

int hl_class_rchain_fill(void *ctx, double beta, hl_rchain *c)
{
    const hl_class_fill *f = ctx;
    hl_gridchain g;
    int st = hl_class_gridchain(f->model, f->dim, beta, &g);
    if (st)
        return st;
    st = hl_gridchain_refill_rchain(&g, c);
    hl_gridchain_free(&g);
    return st;
}
