/* SPDX-License-Identifier: GPL-3.0-or-later */
/* phi_min.c -- the global minimum of phi on the square: a grid scan, then
 * refinement on the edges and in the interior (GSL's Brent minimiser). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>

#include "model_object.h"

/* ---------------------------------------------------------------- phi_min */

typedef struct {
    const hl_model *m;
    int edge; /* 0: s fixed, 1: d fixed */
    double fixed;
} edge_ctx;

static double phi_sd(const hl_model *m, double s, double d)
{
    return hl_model_phi(m, 0.5 * (s + d), 0.5 * (s - d));
}

static double edge_fn(double u, void *p)
{
    edge_ctx *c = p;
    return c->edge == 0 ? phi_sd(c->m, c->fixed, u) : phi_sd(c->m, u, c->fixed);
}

static void consider(double s, double d, double v, double *bs, double *bd,
                     double *bv)
{
    if (v < *bv) {
        *bv = v;
        *bs = s;
        *bd = d;
    }
}

/* 1-D Brent refinement of a bracketed grid minimum along an edge. */
static void refine_edge(const hl_model *m, int edge, double fixed, double lo,
                        double mid, double hi, double *bs, double *bd,
                        double *bv)
{
    edge_ctx c = {m, edge, fixed};
    gsl_function F = {edge_fn, &c};
    double fm = edge_fn(mid, &c);
    if (!(fm < edge_fn(lo, &c) && fm < edge_fn(hi, &c)))
        return;
    gsl_min_fminimizer *mz = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!mz)
        return;
    if (gsl_min_fminimizer_set(mz, &F, mid, lo, hi) == GSL_SUCCESS) {
        for (int it = 0; it < 200; it++) {
            if (gsl_min_fminimizer_iterate(mz) != GSL_SUCCESS)
                break;
            double a = gsl_min_fminimizer_x_lower(mz);
            double b = gsl_min_fminimizer_x_upper(mz);
            if (gsl_min_test_interval(a, b, 1e-14, 0.0) == GSL_SUCCESS)
                break;
        }
        double u = gsl_min_fminimizer_x_minimum(mz);
        double v = edge_fn(u, &c);
        if (edge == 0)
            consider(fixed, u, v, bs, bd, bv);
        else
            consider(u, fixed, v, bs, bd, bv);
    }
    gsl_min_fminimizer_free(mz);
}

/* Damped Newton for an interior minimum of phi in (s, d). */
static void refine_interior(const hl_model *m, double s, double d, double *bs,
                            double *bd, double *bv)
{
    for (int it = 0; it < 100; it++) {
        hl_phi_derivs o;
        hl_model_phi_derivs(m, 0.5 * (s + d), 0.5 * (s - d), &o);
        double gs = 0.5 * (o.phi_x + o.phi_y), gd = 0.5 * (o.phi_x - o.phi_y);
        double hss = 0.25 * (o.phi_xx + 2 * o.phi_xy + o.phi_yy);
        double hdd = 0.25 * (o.phi_xx - 2 * o.phi_xy + o.phi_yy);
        double hsd = 0.25 * (o.phi_xx - o.phi_yy);
        double det = hss * hdd - hsd * hsd;
        double ds, dd;
        if (hss > 0 && det > 0) {
            ds = -(hdd * gs - hsd * gd) / det;
            dd = -(-hsd * gs + hss * gd) / det;
        } else {
            ds = -0.1 * gs;
            dd = -0.1 * gd;
        }
        double lam = 1.0;
        int moved = 0;
        for (int k = 0; k < 40; k++, lam *= 0.5) {
            double ns = s + lam * ds, nd = d + lam * dd;
            if (fabs(ns) > 1 || fabs(nd) > 1)
                continue;
            if (phi_sd(m, ns, nd) <= o.phi) {
                s = ns;
                d = nd;
                moved = 1;
                break;
            }
        }
        if (!moved || fabs(ds) + fabs(dd) < 1e-15)
            break;
    }
    consider(s, d, phi_sd(m, s, d), bs, bd, bv);
}

#define MIN_GRID 200

int hl_model_phi_min(const hl_model *m, double *x, double *y, double *phi)
{
    const int N = MIN_GRID;
    double *g = malloc(sizeof(double) * (N + 1) * (N + 1));
    if (!g)
        return hl_fail(HL_ENOMEM, "out of memory in phi_min");
#define G(i, j) g[(size_t)(i) * (N + 1) + (j)]
#define COORD(i) (-1.0 + 2.0 * (i) / N)
    double bs = 0, bd = 0, bv = INFINITY;
    for (int i = 0; i <= N; i++)
        for (int j = 0; j <= N; j++) {
            G(i, j) = phi_sd(m, COORD(i), COORD(j));
            consider(COORD(i), COORD(j), G(i, j), &bs, &bd, &bv);
        }
    /* edges: i = 0 or N (s = -+1), j = 0 or N (d = -+1) */
    for (int e = 0; e < 2; e++) {
        int fi = e ? N : 0;
        for (int j = 1; j < N; j++) {
            if (G(fi, j) <= G(fi, j - 1) && G(fi, j) <= G(fi, j + 1))
                refine_edge(m, 0, COORD(fi), COORD(j - 1), COORD(j),
                            COORD(j + 1), &bs, &bd, &bv);
            if (G(j, fi) <= G(j - 1, fi) && G(j, fi) <= G(j + 1, fi))
                refine_edge(m, 1, COORD(fi), COORD(j - 1), COORD(j),
                            COORD(j + 1), &bs, &bd, &bv);
        }
    }
    for (int i = 1; i < N; i++)
        for (int j = 1; j < N; j++) {
            double v = G(i, j);
            if (v <= G(i - 1, j) && v <= G(i + 1, j) && v <= G(i, j - 1) &&
                v <= G(i, j + 1))
                refine_interior(m, COORD(i), COORD(j), &bs, &bd, &bv);
        }
#undef G
#undef COORD
    free(g);
    *x = 0.5 * (bs + bd);
    *y = 0.5 * (bs - bd);
    *phi = bv;
    return HL_OK;
}
