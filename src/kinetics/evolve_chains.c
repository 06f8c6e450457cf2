/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evolve_chains.c -- the chains hl_evolve integrates (evolve_impl.h), as
 * grid chains for the one evolution engine of the library
 * (hl_gridchain_evolve: Krylov exponential at a fixed beta, CVODE BDF with
 * GMRES and a sparse LU under a protocol): the class lattice of eq 5.6 (any
 * phi, any B), or, for the paper's phi with B = 1, the two independent
 * birth-death chains of the product path (Q = P_a (x) P_b; L = L_a (x) 1 +
 * 1 (x) L_b).  The tables that do not depend on beta (ln W, Phi) are built
 * once; a refill at a new beta costs one pass (and B where it depends on
 * T). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evolve_model.h"
#include "formula.h"

void hl_evolve_sys_free(hl_evolve_sys *s)
{
    free(s->lnc);
    free(s->lnb);
    free(s->g);
    free(s->Phi);
    free(s->bslot);
    hl_expr_split_free(s->bsplit);
    s->bsplit = NULL;
    s->lnc = s->lnb = s->g = s->Phi = s->bslot = NULL;
}

/* ln sqrt((h - k)(k + 1)): the entropic part of the bond k -> k + 1 */
static double ln_bond(long h, long k)
{
    return 0.5 * (log((double)(h - k)) + log((double)(k + 1)));
}

/* B at the bond midpoints: what does not depend on T, once (the fill
 * evaluates the rest at each beta, the same bits as the whole); ln: the
 * split of ln B (the argument of a B = exp(z)) when B is an exp */
static int bond_b(hl_evolve_sys *s, int ln)
{
    const struct hl_expr *bex = hl_model_transmission_expr(s->m);
    long h = s->h, w = s->w;
    if (!bex)
        return HL_OK;
    hl_expr_split_free(s->bsplit);
    s->bsplit = NULL;
    s->ln_b = 0;
    int st = ln ? hl_expr_split_create_ln(bex, 2, &s->bsplit, &s->ln_b)
                : hl_expr_split_create(bex, 2, &s->bsplit);
    if (st)
        return st;
    s->nslot = hl_expr_split_slots(s->bsplit);
    free(s->bslot);
    s->bslot = malloc(sizeof(double) * (size_t)s->N * 2 * (s->nslot ? s->nslot : 1));
    if (!s->bslot)
        return hl_fail(HL_ENOMEM, "out of memory for B at the bonds of D = %ld", s->dim);
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++)
            for (int dir = 0; dir < 2; dir++) {
                long a2 = a + (dir == 0), b2 = b + (dir == 1);
                double v[3] = {0, 0, 1};
                if (a2 <= h && b2 <= h) {
                    v[0] = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
                    v[1] = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
                }
                hl_expr_split_fixed(s->bsplit, v, s->bslot + (2 * (a * w + b) + dir) * s->nslot);
            }
    return HL_OK;
}

int hl_evolve_sys_ln_b(hl_evolve_sys *s)
{
    return s->product ? HL_OK : bond_b(s, 1);
}

int hl_evolve_sys_init(hl_evolve_sys *s, const hl_model *m, long dim, int product)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->dim = dim;
    s->h = dim / 2;
    s->w = s->h + 1;
    s->product = product;
    long h = s->h, w = s->w;
    double D = (double)dim;
    s->lnc = malloc(sizeof(double) * (size_t)w);
    s->lnb = malloc(sizeof(double) * (size_t)w);
    if (!s->lnc || !s->lnb)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (long k = 0; k <= h; k++) {
        s->lnc[k] = hl_lnchoose(h, k);
        s->lnb[k] = k < h ? ln_bond(h, k) : -INFINITY;
    }
    if (product) {
        s->N = 2 * w;
        s->g = malloc(sizeof(double) * (size_t)w);
        if (!s->g)
            return hl_fail(HL_ENOMEM, "out of memory");
        for (long k = 0; k <= h; k++) {
            double d = 2.0 * k / h - 1.0;
            s->g[k] = hl_model_phi(m, 0.5 * d, -0.5 * d);
        }
        return HL_OK;
    }
    s->N = w * w;
    s->Phi = malloc(sizeof(double) * (size_t)s->N);
    if (!s->Phi)
        return hl_fail(HL_ENOMEM, "out of memory building the D = %ld chain (%ld classes)", dim,
                       s->N);
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            double phi;
            int st = hl_class_phi(m, h, a, b, &phi);
            if (st)
                return st;
            s->Phi[a * w + b] = D * phi;
        }
    return bond_b(s, 0);
}

int hl_evolve_check_rates(const hl_evolve_sys *s, const hl_protocol *p)
{
    double bmax = hl_protocol_beta_max(p), dmax = 0, D = (double)s->dim;
    long h = s->h, w = s->w;
    if (s->product) {
        for (long k = 0; k < h; k++)
            dmax = fmax(dmax, fmax(D * (2.0 / h), fabs(D * (s->g[k + 1] - s->g[k]))));
    } else {
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++) {
                long i = a * w + b;
                if (a < h)
                    dmax = fmax(dmax, fabs(s->Phi[i + w] - s->Phi[i]));
                if (b < h)
                    dmax = fmax(dmax, fabs(s->Phi[i + 1] - s->Phi[i]));
            }
    }
    if (0.5 * bmax * dmax > 600)
        return hl_fail(HL_ERANGE,
                       "T = %g is too low for the master equation at D = %ld: its rates "
                       "exp(beta |dPhi| / 2) reach exp(%.4g), beyond a double (at most "
                       "exp(600)): the lowest T is %.4g (and the integrator keeps its "
                       "tolerance only up to rates of about exp(45))",
                       1.0 / bmax, s->dim, 0.5 * bmax * dmax, dmax / 1200);
    /* B on the square at every T the protocol visits (between its rows too) */
    return hl_protocol_check_transmission(s->m, p);
}

int hl_evolve_chain_alloc(const hl_evolve_sys *s, hl_gridchain *g)
{
    return hl_gridchain_alloc(g, s->w, s->product ? 1 : s->w);
}

int hl_evolve_chain_fill(void *ctx, double beta, hl_gridchain *g)
{
    const hl_evolve_chain_ctx *cx = ctx;
    const hl_evolve_sys *s = cx->s;
    long h = s->h, w = s->w;
    double D = (double)s->dim;
    if (s->product) {
        /* chain a: phi_a = s = 2k/h - 1; chain b: g(d); B = 1 */
        for (long k = 0; k <= h; k++) {
            double phi = cx->c == 0 ? 2.0 * k / h - 1.0 : s->g[k];
            g->ln_pi[k] = s->lnc[k] - beta * D * phi;
            g->ln_c1[k] = s->lnb[k];
            g->ln_c2[k] = -INFINITY;
        }
        return HL_OK;
    }
    int defB = hl_model_transmission_is_default(s->m);
    double T = 1.0 / beta;
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * w + b;
            g->ln_pi[i] = s->lnc[a] + s->lnc[b] - beta * s->Phi[i];
            for (int dir = 0; dir < 2; dir++) {
                long a2 = a + (dir == 0), b2 = b + (dir == 1), k = dir == 0 ? a : b;
                double *lc = dir == 0 ? &g->ln_c1[i] : &g->ln_c2[i];
                if (a2 > h || b2 > h) {
                    *lc = -INFINITY;
                    continue;
                }
                double lb = 0;
                if (!defB) {
                    /* hl_model_transmission's bits: the slots of the bond's
                     * midpoint and the rest at T */
                    double v[3] = {0, 0, T};
                    double B = hl_expr_split_eval(s->bsplit,
                                                  s->bslot + (2 * i + dir) * s->nslot, v);
                    if (s->ln_b) { /* B = exp(z): ln B = z, B as a double > 0 */
                        if (isfinite(B) && B < 709.78 && B > -745.1) {
                            *lc = B + s->lnb[k];
                            continue;
                        }
                        B = exp(B);
                    }
                    if (!(B > 0 && isfinite(B))) {
                        double bx = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
                        double by = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
                        return hl_check_bond_b(B, a, b, a2, b2, bx, by, T);
                    }
                    lb = log(B);
                }
                *lc = lb + s->lnb[k];
            }
        }
    return HL_OK;
}
