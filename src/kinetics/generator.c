/* SPDX-License-Identifier: GPL-3.0-or-later */
/* generator.c -- the symmetrised master-equation generators on the hypercube
 * (full, eq 3.7, and contracted, eqs 3.12 / 5.6) with the rates of eq 5.2:
 * construction, weights, matrix-free products and the dense matrix. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kinetics_private.h"
#include "spectrum_methods.h"

struct hl_generator {
    const hl_model *model;
    int kind;
    long dim, h, states;
    double beta;
    /* per class (a, b), index a (h+1) + b: */
    double *diag; /* S_ii = -(total escape rate)                       */
    double *ca;   /* coupling (a, b) - (a+1, b): contracted B sqrt((h-a)(a+1)),
                     full B                                             */
    double *cb;   /* coupling (a, b) - (a, b+1)                         */
};

void hl_generator_free(hl_generator *g)
{
    if (!g)
        return;
    free(g->diag);
    free(g->ca);
    free(g->cb);
    free(g);
}

long hl_generator_size(const hl_generator *g) { return g->states; }
int hl_generator_kind(const hl_generator *g) { return g->kind; }


int hl_kinetic_beta_check(double beta)
{
    if (!isfinite(beta) || !(beta > 0))
        return hl_fail(HL_EDOM, "beta = %g is not a positive finite number", beta);
    if (beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is too large (at most 1e6)", beta);
    return HL_OK;
}

int hl_generator_create(const hl_model *m, long dim, double beta, int kind,
                        hl_generator **out)
{
    if (!m || !out)
        return hl_fail(HL_EINVAL, "hl_generator_create: NULL argument");
    *out = NULL;
    int st = hl_check_dim(dim);
    if (!st)
        st = hl_kinetic_beta_check(beta);
    if (st)
        return st;
    if (kind != HL_CONTRACTED && kind != HL_FULL)
        return hl_fail(HL_EINVAL, "unknown generator kind %d", kind);
    long h = dim / 2, nc = (h + 1) * (h + 1);
    if (kind == HL_FULL && dim > HL_FULL_DIM_MAX)
        return hl_fail(HL_ERANGE, "the full hypercube at D = %ld has 2^%ld states "
                                  "(%.3g GB for one vector); at most D = %ld",
                       dim, dim, ldexp(8.0, (int)(dim > 1000 ? 1000 : dim)) / 1e9,
                       HL_FULL_DIM_MAX);
    if ((double)nc * 3 * sizeof(double) > 8e9)
        return hl_fail(HL_ERANGE, "the contracted generator at D = %ld needs %.3g GB",
                       dim, (double)nc * 3 * sizeof(double) / 1e9);
    st = hl_model_check_transmission(m, 1.0 / beta);
    if (st)
        return st;
    hl_generator *g = calloc(1, sizeof *g);
    if (!g)
        return hl_fail(HL_ENOMEM, "out of memory");
    g->model = m;
    g->kind = kind;
    g->dim = dim;
    g->h = h;
    g->beta = beta;
    g->states = kind == HL_FULL ? (1L << dim) : nc;
    g->diag = malloc(sizeof(double) * (size_t)nc);
    g->ca = calloc((size_t)nc, sizeof(double));
    g->cb = calloc((size_t)nc, sizeof(double));
    double *phi = malloc(sizeof(double) * (size_t)nc);
    if (!g->diag || !g->ca || !g->cb || !phi) {
        free(phi);
        hl_generator_free(g);
        return hl_fail(HL_ENOMEM, "out of memory building the generator at D = %ld", dim);
    }
    double D = (double)dim, T = 1.0 / beta;
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++)
            if ((st = hl_class_phi(m, h, a, b, &phi[a * (h + 1) + b]))) {
                free(phi);
                hl_generator_free(g);
                return st;
            }
    for (long i = 0; i < nc; i++)
        g->diag[i] = 0;
    int full = kind == HL_FULL;
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * (h + 1) + b;
            /* the edge to (a+1, b) and the edge to (a, b+1) */
            for (int dir = 0; dir < 2; dir++) {
                long a2 = a + (dir == 0), b2 = b + (dir == 1);
                if (a2 > h || b2 > h)
                    continue;
                long j = a2 * (h + 1) + b2, k = dir == 0 ? a : b;
                double bx = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
                double by = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
                double B = hl_model_transmission(m, bx, by, T);
                if ((st = hl_check_bond_b(B, a, b, a2, b2, bx, by, T))) {
                    free(phi);
                    hl_generator_free(g);
                    return st;
                }
                double half = 0.5 * beta * D * (phi[j] - phi[i]);
                /* per vertex: one spin flips up (i -> j) or down (j -> i) */
                double up = B * exp(-half), down = B * exp(half);
                double n_up = (double)(h - k), n_down = (double)(k + 1);
                g->diag[i] -= n_up * up;
                g->diag[j] -= n_down * down;
                double c = full ? B : B * sqrt(n_up * n_down);
                if (dir == 0)
                    g->ca[i] = c;
                else
                    g->cb[i] = c;
                if (!isfinite(up) || !isfinite(down) || !isfinite(B)) {
                    free(phi);
                    hl_generator_free(g);
                    return hl_fail(HL_ERANGE, "rates overflow a double at beta = %g, "
                                              "D = %ld (exp(%g))",
                                   beta, dim, fabs(half));
                }
            }
        }
    free(phi);
    *out = g;
    return HL_OK;
}

void hl_generator_class_of(const hl_generator *g, long i, long *n, long *n1)
{
    long a, b;
    if (g->kind == HL_FULL) {
        unsigned long v = (unsigned long)i, low = (1UL << g->h) - 1;
        a = __builtin_popcountl(v & low);
        b = __builtin_popcountl(v >> g->h);
    } else {
        a = i / (g->h + 1);
        b = i % (g->h + 1);
    }
    *n = a + b;
    *n1 = a;
}

void hl_generator_ln_weights(const hl_generator *g, double *buf)
{
    long h = g->h;
    for (long i = 0; i < g->states; i++) {
        long n, n1;
        hl_generator_class_of(g, i, &n, &n1);
        long a = n1, b = n - n1;
        double lw = g->kind == HL_FULL ? 0.0 : hl_lnchoose(h, a) + hl_lnchoose(h, b);
        buf[i] = lw - g->beta * (double)g->dim *
                          hl_model_phi(g->model, hl_class_x(h, a, b), hl_class_y(h, a, b));
    }
}

void hl_generator_apply(const hl_generator *g, const double *x, double *y)
{
    long h = g->h, w = h + 1;
    if (g->kind == HL_CONTRACTED) {
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++) {
                long i = a * w + b;
                double s = g->diag[i] * x[i];
                if (a < h)
                    s += g->ca[i] * x[i + w];
                if (a > 0)
                    s += g->ca[i - w] * x[i - w];
                if (b < h)
                    s += g->cb[i] * x[i + 1];
                if (b > 0)
                    s += g->cb[i - 1] * x[i - 1];
                y[i] = s;
            }
        return;
    }
    unsigned long low = (1UL << h) - 1;
    /* 2^D vertices x D flips: threads help for large D */
#pragma omp parallel for schedule(static) if (g->states > 65536)
    for (long v = 0; v < g->states; v++) {
        unsigned long u = (unsigned long)v;
        long a = __builtin_popcountl(u & low), b = __builtin_popcountl(u >> h);
        long i = a * w + b;
        double s = g->diag[i] * x[v];
        for (long k = 0; k < g->dim; k++) {
            unsigned long bit = 1UL << k;
            double c;
            if (k < h)
                c = (u & bit) ? g->ca[i - w] : g->ca[i];
            else
                c = (u & bit) ? g->cb[i - 1] : g->cb[i];
            s += c * x[u ^ bit];
        }
        y[v] = s;
    }
}

int hl_generator_dense(const hl_generator *g, double *buf)
{
    long n = g->states;
    if (n > HL_DENSE_MAX)
        return hl_fail(HL_ERANGE, "%ld states are too many for a dense matrix "
                                  "(at most %ld)", n, HL_DENSE_MAX);
    double *e = calloc((size_t)n, sizeof(double)), *col = malloc(sizeof(double) * (size_t)n);
    if (!e || !col) {
        free(e);
        free(col);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    for (long j = 0; j < n; j++) {
        e[j] = 1.0;
        hl_generator_apply(g, e, col);
        e[j] = 0.0;
        for (long i = 0; i < n; i++)
            buf[i * n + j] = -col[i];
    }
    free(e);
    free(col);
    return HL_OK;
}

double hl_generator_norm_bound(const hl_generator *g)
{
    double norm = 0;
    long nc = (g->h + 1) * (g->h + 1);
    for (long i = 0; i < nc; i++)
        norm = fmax(norm, 2 * fabs(g->diag[i]));
    return norm;
}
