/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exact.c -- exact finite-D thermodynamics: Z = sum W exp(-beta D phi)
 * over the classes (n, n1) (eqs 4.9, 4.11), moments, heat capacity, and the
 * steepest-ascent basins of ln Q_eq over the kinetic moves of eq 5.6: the
 * hl_exact object, the choice of path, and the finite-D melting point.
 *
 * Two paths: exact_separable.c (the paper's phi = s + g(d): two
 * one-dimensional sums) and exact_general.c (any phi: the lattice summed in
 * leaves found by a quadtree, with a rigorous bound of the weight left
 * out). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "exact_private.h"
#include "model_object.h"

#define PHI_CACHE_MAX (1L << 23) /* classes: 64 MB of phi values */

void hl_exact_set_progress(hl_exact *ex, hl_progress_fn fn, void *ctx)
{
    if (!ex)
        return;
    ex->progress = fn;
    ex->progress_ctx = ctx;
}

void hl_exact_free(hl_exact *ex)
{
    if (!ex)
        return;
    free(ex->lnc);
    free(ex->gb);
    free(ex->leaves);
    free(ex->hash);
    free(ex->tile);
    free(ex->phi_cache);
    free(ex);
}

int hl_exact_create(const hl_model *m, long dim, int method, hl_exact **out)
{
    if (!m || !out)
        return hl_fail(HL_EINVAL, "hl_exact_create: NULL argument");
    *out = NULL;
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if (method == HL_EXACT_SEPARABLE && !hl_model_is_default(m))
        return hl_fail(HL_EINVAL, "the separable path needs the paper's phi "
                                  "(eq 4.11); this model is a user formula");
    hl_exact *ex = calloc(1, sizeof *ex);
    if (!ex)
        return hl_fail(HL_ENOMEM, "out of memory");
    ex->model = m;
    ex->dim = dim;
    ex->h = dim / 2;
    ex->separable = method == HL_EXACT_SEPARABLE ||
                    (method == HL_EXACT_AUTO && hl_model_is_default(m));
    ex->lnc = malloc(sizeof(double) * (size_t)(ex->h + 1));
    if (!ex->lnc)
        goto nomem;
    for (long k = 0; k <= ex->h; k++)
        ex->lnc[k] = hl_lnchoose(ex->h, k);
    if (ex->separable) {
        ex->gb = malloc(sizeof(double) * (size_t)(ex->h + 1));
        if (!ex->gb)
            goto nomem;
        for (long b = 0; b <= ex->h; b++) {
            double d = 2.0 * b / ex->h - 1.0;
            /* phi(x, y) - s at s = 0 */
            ex->gb[b] = hl_model_phi(m, 0.5 * d, -0.5 * d);
        }
    }
    if (!ex->separable && (ex->h + 1) * (ex->h + 1) <= PHI_CACHE_MAX) {
        long n = ex->h + 1;
        ex->phi_cache = malloc(sizeof(double) * (size_t)(n * n));
        if (!ex->phi_cache)
            goto nomem;
        for (long a = 0; a < n; a++)
            for (long b = 0; b < n; b++) {
                int st = hl_class_phi(m, ex->h, a, b, &ex->phi_cache[a * n + b]);
                if (st) {
                    hl_exact_free(ex);
                    return st;
                }
            }
    }
    *out = ex;
    return HL_OK;
nomem:
    hl_exact_free(ex);
    return hl_fail(HL_ENOMEM, "out of memory planning exact sums at D = %ld",
                   dim);
}

/* ------------------------------------------------------------ helpers */

void hl_exact_finish_basins(hl_exact_result *r, double ln_total)
{
    for (int k = 0; k < r->n_basins; k++) {
        hl_basin *b = &r->basins[k];
        if (b->ln_probability == -INFINITY) {
            b->probability = 0;
        } else {
            b->ln_probability -= ln_total;
            if (b->ln_probability > 0)
                b->ln_probability = 0;
            b->probability = exp(b->ln_probability);
        }
    }
}
void hl_exact_basin_thermo(hl_exact_result *r, int k, double ln_zb, double ln_zb_bound,
                           double phi_ref, const hl_m_result *m, double bound)
{
    hl_basin *b = &r->basins[k];
    double D = (double)r->dim;
    b->neglected_bound = bound;
    if (!isfinite(ln_zb) || !isfinite(m->mean_u) || !isfinite(m->var)) {
        snprintf(b->thermo_null_reason, sizeof b->thermo_null_reason,
                 "no class of the basin above 1e-300 of its largest term was summed");
        return;
    }
    if (!(bound <= 1e-12)) {
        snprintf(b->thermo_null_reason, sizeof b->thermo_null_reason,
                 "the weight left out (bound %.3g of the basin's) is not negligible",
                 bound);
        return;
    }
    b->ln_z_per_dim = ln_zb / D;
    b->ln_z_bound = ln_zb_bound / D;
    double mp = phi_ref + m->mean_u;
    b->mean_phi_bound = m->mean_u_bound + DBL_EPSILON * (fabs(phi_ref) + fabs(m->mean_u));
    b->mean_phi = hl_exact_roundoff(mp, b->mean_phi_bound);
    b->entropy_per_dim = hl_exact_entropy_m(m, D, &b->entropy_bound);
    b->heat_capacity_per_dim = hl_exact_heat_capacity(r->beta, D, m->var, m->var_bound);
    b->heat_capacity_bound = r->beta * r->beta * D * m->var_bound;
    hl_exact_thermo_reason(b->heat_capacity_per_dim, b->entropy_per_dim, b->thermo_null_reason,
                           sizeof b->thermo_null_reason);
}

void hl_exact_set_thermo(hl_exact_result *r, double ln_zr, double lnzr_err, double phi_ref,
                         const hl_m_result *m)
{
    double D = (double)r->dim;
    r->ln_z_per_dim = (ln_zr + m->ln_s0) / D;
    r->ln_z_bound = (lnzr_err + 4 * DBL_EPSILON * m->ln_s0 + m->werr) / D +
                    DBL_EPSILON * fabs(r->ln_z_per_dim);
    double mp = phi_ref + m->mean_u;
    r->mean_phi_bound = m->mean_u_bound + DBL_EPSILON * (fabs(phi_ref) + fabs(m->mean_u));
    r->mean_phi = hl_exact_roundoff(mp, r->mean_phi_bound);
    r->mean_w = m->mean_lnw / D;
    r->mean_w_bound = m->mean_lnw_bound / D + DBL_EPSILON * r->mean_w;
    r->heat_capacity_per_dim = hl_exact_heat_capacity(r->beta, D, m->var, m->var_bound);
    r->heat_capacity_bound = r->beta * r->beta * D * m->var_bound;
    r->entropy_per_dim = hl_exact_entropy_m(m, D, &r->entropy_bound);
}

/* ------------------------------------------------------------ public */

static int run(hl_exact *ex, double beta, hl_exact_result *res,
               hl_class_visitor visit, void *ctx)
{
    if (!isfinite(beta) || !(beta > 0))
        return hl_fail(HL_EDOM, "beta = %g is not a positive finite number", beta);
    if (beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is too large (at most 1e6)", beta);
    hl_exact_result tmp;
    if (!res)
        res = &tmp;
    memset(res, 0, sizeof *res);
    res->dim = ex->dim;
    res->beta = beta;
    hl_named_maxima c;
    int st = hl_named_maxima_get(ex->model, beta, &c);
    if (st)
        return st;
    st = ex->separable ? hl_exact_separable(ex, beta, res, &c, visit, ctx)
                       : hl_exact_general(ex, beta, res, &c, visit, ctx);
    /* a phi constant on the square has Var(phi) = 0 exactly: c = 0 is then
     * the true value, not lost digits (hl_exact_heat_capacity) */
    const hl_model *m = ex->model;
    if (!st && !m->is_default && !hl_expr_uses(m->ev[DER_PHI], 0) &&
        !hl_expr_uses(m->ev[DER_PHI], 1)) {
        res->heat_capacity_per_dim = res->heat_capacity_bound = 0;
        for (int k = 0; k < res->n_basins; k++)
            if (isnan(res->basins[k].heat_capacity_per_dim) &&
                isfinite(res->basins[k].ln_z_per_dim)) { /* only c was null */
                res->basins[k].heat_capacity_per_dim = res->basins[k].heat_capacity_bound = 0;
                hl_exact_thermo_reason(0, res->basins[k].entropy_per_dim,
                                       res->basins[k].thermo_null_reason,
                                       sizeof res->basins[k].thermo_null_reason);
            }
    }
    return st;
}

int hl_exact_compute(hl_exact *ex, double beta, hl_exact_result *res)
{
    if (!ex || !res)
        return hl_fail(HL_EINVAL, "hl_exact_compute: NULL argument");
    return run(ex, beta, res, NULL, NULL);
}

int hl_exact_distribution(hl_exact *ex, double beta, hl_class_visitor visit,
                          void *ctx)
{
    if (!ex || !visit)
        return hl_fail(HL_EINVAL, "hl_exact_distribution: NULL argument");
    return run(ex, beta, NULL, visit, ctx);
}

/* ------------------------------------------------------------ melting */

typedef struct {
    hl_exact *ex;
    int err;
} melt_ctx;

static double ln_ratio(double beta, void *p)
{
    melt_ctx *c = p;
    hl_exact_result r;
    if (hl_exact_compute(c->ex, beta, &r) != HL_OK) {
        c->err = 1;
        return 0;
    }
    double lp_l = -INFINITY, lp_c = -INFINITY;
    for (int k = 0; k < r.n_basins; k++) {
        if (strcmp(r.basins[k].name, "liquid") == 0)
            lp_l = r.basins[k].ln_probability;
        if (strcmp(r.basins[k].name, "crystal") == 0)
            lp_c = r.basins[k].ln_probability;
    }
    if (lp_l == -INFINITY && lp_c == -INFINITY) {
        c->err = 1;
        return 0;
    }
    double v = lp_l - lp_c;
    if (v > 1e300) v = 1e300;
    if (v < -1e300) v = -1e300;
    return v;
}

/* What ln(P_liquid / P_crystal) = v at beta says, for a message. */
static void melt_end_text(char *buf, size_t size, double beta, double v)
{
    if (v >= 1e300)
        snprintf(buf, size, "at beta = %g there is no crystal basin (all weight liquid)", beta);
    else if (v <= -1e300)
        snprintf(buf, size, "at beta = %g there is no liquid basin (all weight crystal)", beta);
    else
        snprintf(buf, size, "ln(P_liquid/P_crystal) = %.6g at beta = %g", v, beta);
}

int hl_exact_melting(hl_exact *ex, double lo, double hi, double *beta_m)
{
    hl_gsl_quiet();
    if (!ex || !beta_m)
        return hl_fail(HL_EINVAL, "hl_exact_melting: NULL argument");
    if (!(lo > 0) || !(hi > lo) || !isfinite(hi))
        return hl_fail(HL_EDOM, "melting bracket [%g, %g] is not valid", lo, hi);
    melt_ctx c = {ex, 0};
    double flo = ln_ratio(lo, &c), fhi = ln_ratio(hi, &c);
    if (c.err)
        return hl_fail(HL_ENOCONV, "finite-D melting: basin probabilities "
                                   "unavailable in [%g, %g]", lo, hi);
    if ((flo > 0) == (fhi > 0)) {
        /* ln_ratio saturates at +-1e300 when a basin is missing: say so */
        char dlo[96], dhi[96];
        melt_end_text(dlo, sizeof dlo, lo, flo);
        melt_end_text(dhi, sizeof dhi, hi, fhi);
        return hl_fail(HL_ENOTFOUND, "no finite-D melting point in beta in [%g, %g] at D = %ld: "
                                     "%s; %s",
                       lo, hi, ex->dim, dlo, dhi);
    }
    gsl_function F = {ln_ratio, &c};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    int gs = gsl_root_fsolver_set(s, &F, lo, hi);
    if (gs != GSL_SUCCESS) {
        gsl_root_fsolver_free(s);
        return hl_fail(HL_ENOCONV, "finite-D melting: the bracket [%g, %g] could not be "
                                   "used (GSL: %s)", lo, hi, gsl_strerror(gs));
    }
    int ok = 0;
    for (int it = 0; it < 200 && !c.err; it++) {
        gs = gsl_root_fsolver_iterate(s);
        if (gs != GSL_SUCCESS)
            break;
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(a, b, 0, 1e-13) == GSL_SUCCESS) {
            ok = 1;
            break;
        }
    }
    *beta_m = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    if (!ok || c.err) {
        if (c.err)
            return hl_fail(HL_ENOCONV, "finite-D melting: basin probabilities unavailable "
                                       "inside [%g, %g]", lo, hi);
        if (gs != GSL_SUCCESS)
            return hl_fail(HL_ENOCONV, "finite-D melting point in beta in [%g, %g] did not "
                                       "converge (GSL: %s)", lo, hi, gsl_strerror(gs));
        return hl_fail(HL_ENOCONV, "finite-D melting point in beta in [%g, %g] did not "
                                   "converge in 200 Brent steps", lo, hi);
    }
    /* the root must separate finite values (both basins present) */
    double fl = ln_ratio(*beta_m * (1 - 1e-9), &c), fr = ln_ratio(*beta_m * (1 + 1e-9), &c);
    if (fabs(fl) >= 1e300 || fabs(fr) >= 1e300)
        return hl_fail(HL_ENOTFOUND, "at D = %ld the liquid and crystal basins "
                                     "never coexist in [%g, %g]", ex->dim, lo, hi);
    return HL_OK;
}
