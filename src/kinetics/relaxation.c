/* SPDX-License-Identifier: GPL-3.0-or-later */
/* relaxation.c -- the supercooled liquid's relaxation time tau(T) (the
 * slowest rate of the class-lattice chain restricted to the liquid basin),
 * its lifetime (MFPT to the crystal), T_g where tau = tau_g and the
 * fragility index (relaxation.h), on the public chain engine (chain.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "hyperland/hyperland.h"
#include "hyperland/chain.h"
#include "hyperland/relaxation.h"
#include "core.h"
#include "kinetics_private.h"
#include "model_private.h"

enum { LAB_OTHER = 0, LAB_LIQUID = 1, LAB_CRYSTAL = 2 };

typedef struct {
    long h, w;
    long *id;      /* w^2: state of class a w + b, -1 if its weight is 0 */
    double *ln_q;  /* w^2 */
    int *lab;      /* w^2 */
    long n;
} classes;

/* Every class of the lattice with ln Q = ln W - beta Phi - ln Z (eq 5.5)
 * and its basin (steepest ascent, named after the nearest maximum of f).
 * All of them, however small their weight: the passage to the crystal
 * runs through the saddle's classes, whose weight falls below 1e-300 of
 * the largest at large D or low T (D = 200, T = 0.2). */
static int classes_fill(const hl_model *m, long dim, double T, classes *c)
{
    long h = c->h, w = c->w, N = w * w;
    double *lk4 = malloc(sizeof(double) * (size_t)N * 4);
    long *nb = malloc(sizeof(long) * (size_t)N * 4), *lab = malloc(sizeof(long) * (size_t)N);
    const char **names = malloc(sizeof(char *) * (size_t)N);
    hl_named_maxima nm;
    int st = HL_OK;
    if (!lk4 || !nb || !lab || !names)
        st = hl_fail(HL_ENOMEM, "out of memory (D = %ld)", dim);
    if (!st)
        st = hl_class_lattice(m, dim, 1.0 / T, c->ln_q, lk4, nb);
    if (!st)
        st = hl_named_maxima_get(m, 1.0 / T, &nm);
    if (!st) {
        double lz = -INFINITY;
        for (long i = 0; i < N; i++)
            lz = hl_lse(lz, c->ln_q[i]);
        hl_name_ascent(&nm, c->ln_q, w, hl_class_pos, &h, lab, names);
        for (long i = 0; i < N; i++) {
            c->ln_q[i] -= lz;
            c->id[i] = c->ln_q[i] > -INFINITY ? c->n++ : -1;
            c->lab[i] = !names[i] ? LAB_OTHER
                        : !strcmp(names[i], "liquid") ? LAB_LIQUID
                        : !strcmp(names[i], "crystal") ? LAB_CRYSTAL
                                                       : LAB_OTHER;
        }
    }
    free(lk4);
    free(nb);
    free(lab);
    free(names);
    return st;
}

/* The chain over the classes whose label is in mask (bit 1 << lab),
 * edges among them only (reflecting walls); states numbered in class order
 * among the chosen.  map: w^2, the chain state of each class or -1. */
static int build_chain(const hl_model *m, const classes *c, double T, unsigned mask, long *map,
                       long *n_states, hl_chain **out)
{
    long h = c->h, w = c->w, n = 0;
    for (long i = 0; i < w * w; i++)
        map[i] = (c->id[i] >= 0 && (mask >> c->lab[i] & 1u)) ? n++ : -1;
    *n_states = n;
    *out = NULL;
    if (n < 1)
        return HL_OK;
    hl_chain *ch = NULL;
    int st = hl_chain_create(n, &ch);
    for (long i = 0; !st && i < w * w; i++)
        if (map[i] >= 0)
            st = hl_chain_set_state(ch, map[i], c->ln_q[i], 0.0);
    for (long a = 0; !st && a <= h; a++)
        for (long b = 0; !st && b <= h; b++) {
            long i = a * w + b;
            if (map[i] < 0)
                continue;
            for (int dir = 0; dir < 2 && !st; dir++) {
                long a2 = a + (dir == 0), b2 = b + (dir == 1), k = dir == 0 ? a : b;
                if (a2 > h || b2 > h || map[a2 * w + b2] < 0)
                    continue;
                double bx = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
                double by = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
                double B = hl_model_transmission(m, bx, by, T);
                st = hl_check_bond_b(B, a, b, a2, b2, bx, by, T);
                /* eq 5.2 as eq 3.4: A = B sqrt((h - k)(k + 1)), K = A sqrt(M_g / M_a) */
                double ln_a = log(B) + 0.5 * (log((double)(h - k)) + log((double)(k + 1)));
                if (!st)
                    st = hl_chain_add_edge(ch, map[i], map[a2 * w + b2], ln_a, 0.0);
            }
        }
    if (st) {
        hl_chain_free(ch);
        return st;
    }
    *out = ch;
    return HL_OK;
}

/* tau of a basin from the plan of its chain alone (reflecting walls): the
 * slowest nonzero rate nu_1, ln tau = -ln nu_1; tau_null with the reason
 * where no method resolves nu_1.  Shared with blocks_relaxation.c. */
int hl_relax_basin_tau(hl_chain_plan *basin, hl_relax_point *out)
{
    double lr[2];
    char why[160] = "";
    int st = hl_chain_slow_rates(basin, 2, lr, why, sizeof why, NULL);
    if (st)
        return st;
    if (isfinite(lr[1]))
        out->ln_tau = -lr[1];
    else
        snprintf(out->tau_null, sizeof out->tau_null, "slowest rate not resolved: %.60s", why);
    return HL_OK;
}

int hl_relaxation_at(const hl_model *m, long dim, double T, hl_relax_point *out)
{
    if (!m || !out)
        return hl_fail(HL_EINVAL, "hl_relaxation_at: NULL argument");
    memset(out, 0, sizeof *out);
    out->T = T;
    out->ln_tau = out->ln_mfpt = NAN;
    if (dim < 4 || dim > HL_RELAX_DIM_MAX || dim % 2)
        return hl_fail(HL_EDOM, "the dimension must be even and in [4, %ld] (got %ld)",
                       HL_RELAX_DIM_MAX, dim);
    if (!(T > 0) || !isfinite(T) || T < 1e-6)
        return hl_fail(HL_EDOM, "T must be positive and finite, at least 1e-6 (got %g)", T);
    classes c;
    memset(&c, 0, sizeof c);
    c.h = dim / 2;
    c.w = c.h + 1;
    size_t nc = (size_t)(c.w * c.w);
    c.id = malloc(sizeof(long) * nc);
    c.ln_q = malloc(sizeof(double) * nc);
    c.lab = malloc(sizeof(int) * nc);
    long *map = malloc(sizeof(long) * nc);
    long *set_l = malloc(sizeof(long) * nc), *set_c = malloc(sizeof(long) * nc);
    hl_chain *ch = NULL;
    hl_chain_plan *pl = NULL;
    int st = HL_OK;
    if (!c.id || !c.ln_q || !c.lab || !map || !set_l || !set_c) {
        st = hl_fail(HL_ENOMEM, "out of memory (D = %ld)", dim);
        goto done;
    }
    for (size_t i = 0; i < nc; i++)
        c.id[i] = -1;
    if ((st = classes_fill(m, dim, T, &c)))
        goto done;
    long nl = 0, ncr = 0;
    double pl_sum = 0;
    for (size_t i = 0; i < nc; i++)
        if (c.id[i] >= 0 && c.lab[i] == LAB_LIQUID) {
            nl++;
            pl_sum += exp(c.ln_q[i]);
        }
    out->liquid_classes = nl;
    /* a probability, a sum of terms that add up to 1 with the rest: its
     * round-off (1.00000000000001) is not a value above 1 */
    out->p_liquid = pl_sum > 1 ? 1 : pl_sum;
    /* tau: the liquid basin alone, reflecting walls */
    if (nl < 2) {
        snprintf(out->tau_null, sizeof out->tau_null,
                 nl ? "the liquid basin is a single class at T = %.6g (no relaxation)"
                    : "no liquid basin at T = %.6g",
                 T);
    } else {
        long ns;
        if ((st = build_chain(m, &c, T, 1u << LAB_LIQUID, map, &ns, &ch)) ||
            (st = hl_chain_plan_create(ch, 1.0, &pl)))
            goto done;
        if ((st = hl_relax_basin_tau(pl, out)))
            goto done;
        hl_chain_plan_free(pl);
        hl_chain_free(ch);
        pl = NULL;
        ch = NULL;
    }
    /* mfpt: the whole chain, from the liquid's local equilibrium to the crystal */
    long n_l = 0, n_c = 0;
    long ns;
    if ((st = build_chain(m, &c, T, ~0u, map, &ns, &ch)))
        goto done;
    for (size_t i = 0; i < nc; i++) {
        if (map[i] < 0)
            continue;
        if (c.lab[i] == LAB_LIQUID)
            set_l[n_l++] = map[i];
        else if (c.lab[i] == LAB_CRYSTAL)
            set_c[n_c++] = map[i];
    }
    ncr = n_c;
    if (!n_l || !ncr) {
        snprintf(out->mfpt_null, sizeof out->mfpt_null, "no %s basin at T = %.6g",
                 n_l ? "crystal" : "liquid", T);
    } else {
        hl_chain_direction ab, ba;
        if ((st = hl_chain_plan_create(ch, 1.0, &pl)) ||
            (st = hl_chain_rate_constants(pl, (size_t)n_l, set_l, (size_t)n_c, set_c, NULL, &ab,
                                          &ba, NULL)))
            goto done;
        out->ln_mfpt = ab.ln_mfpt;
    }
done:
    if (st && st != HL_ENOMEM) {
        /* the chain carries ln Q (beta Phi inside) and is planned at 1: name
         * the run's temperature instead of that 1 */
        char msg[256];
        snprintf(msg, sizeof msg, "%s", hl_errmsg());
        char *at = strstr(msg, " at beta = 1");
        if (at && (at[12] == ' ' || at[12] == 0))
            memmove(at, at + 12, strlen(at + 12) + 1);
        st = hl_fail(st, "at T = %g: %s", T, msg);
    }
    hl_chain_plan_free(pl);
    hl_chain_free(ch);
    free(c.id);
    free(c.ln_q);
    free(c.lab);
    free(map);
    free(set_l);
    free(set_c);
    return st;
}

/* ------------------------------------------------------------ fragility */

typedef struct {
    hl_ln_tau_fn fn;
    void *ctx;
    double target; /* ln tau_g */
    int status;
    long evals;
} root_ctx;

/* log10 tau at x = 1 / T */
static int log10_tau(root_ctx *r, double x, double *v)
{
    double lt = NAN;
    int st = r->fn(r->ctx, 1.0 / x, &lt);
    r->evals++;
    *v = lt / M_LN10;
    return st;
}

static double root_f(double x, void *p)
{
    root_ctx *r = p;
    double v;
    int st = log10_tau(r, x, &v);
    if (st && !r->status)
        r->status = st;
    return st ? NAN : v - r->target / M_LN10;
}

int hl_fragility_find(hl_ln_tau_fn fn, void *ctx, const double *T, const double *ln_tau,
                      size_t n_t, double tau_g, hl_fragility *out)
{
    if (!fn || !out || (!T && n_t) || (!ln_tau && n_t))
        return hl_fail(HL_EINVAL, "hl_fragility_find: NULL argument");
    memset(out, 0, sizeof *out);
    out->tg = out->m = out->m_error = out->slope_ev = NAN;
    if (!(tau_g > 0) || !isfinite(tau_g))
        return hl_fail(HL_EDOM, "tau_g must be positive and finite (got %g)", tau_g);
    double lg = log(tau_g);
    /* the crossing at the highest T: neighbours in T order with finite ln tau */
    size_t *ord = malloc(sizeof(size_t) * (n_t ? n_t : 1));
    if (!ord)
        return hl_fail(HL_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < n_t; i++)
        if (isfinite(ln_tau[i]) && T[i] > 0)
            ord[n++] = i;
    for (size_t i = 1; i < n; i++) /* insertion sort, T descending */
        for (size_t j = i; j > 0 && T[ord[j]] > T[ord[j - 1]]; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    long k = -1;
    for (size_t i = 0; i + 1 < n && k < 0; i++) {
        double a = ln_tau[ord[i]] - lg, b = ln_tau[ord[i + 1]] - lg;
        if ((a <= 0 && b >= 0) || (a >= 0 && b <= 0))
            k = (long)i;
    }
    if (k < 0) {
        snprintf(out->null_reason, sizeof out->null_reason,
                 "tau = %g is not reached between two temperatures of the list (%zu with a "
                 "finite tau)",
                 tau_g, n);
        free(ord);
        return HL_OK;
    }
    double xa = 1.0 / T[ord[k]], xb = 1.0 / T[ord[k + 1]];
    double fa = ln_tau[ord[k]] - lg, fb = ln_tau[ord[k + 1]] - lg;
    free(ord);
    root_ctx r = {fn, ctx, lg, HL_OK, 0};
    double xg;
    if (fa == 0)
        xg = xa;
    else if (fb == 0)
        xg = xb;
    else {
        gsl_error_handler_t *old = gsl_set_error_handler_off();
        gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
        if (!s) {
            gsl_set_error_handler(old);
            return hl_fail(HL_ENOMEM, "out of memory");
        }
        gsl_function F = {root_f, &r};
        int gs = gsl_root_fsolver_set(s, &F, fmin(xa, xb), fmax(xa, xb));
        for (int it = 0; !gs && !r.status && it < 200; it++) {
            gs = gsl_root_fsolver_iterate(s);
            double lo = gsl_root_fsolver_x_lower(s), hi = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(lo, hi, 0, 1e-13) == GSL_SUCCESS)
                break;
        }
        xg = gsl_root_fsolver_root(s);
        gsl_root_fsolver_free(s);
        gsl_set_error_handler(old);
        if (r.status)
            return r.status;
        if (gs || !isfinite(xg)) {
            snprintf(out->null_reason, sizeof out->null_reason,
                     "the root search for T_g failed (tau undefined inside the bracket)");
            out->evaluations = r.evals;
            return HL_OK;
        }
    }
    /* a root, not a jump: at finite D the liquid basin (steepest ascent)
     * gains or loses classes at some T, and tau jumps there (D = 20, B =
     * exp(-3/T): log10 tau 4.65 -> 6.17 between T = 0.1635 and 0.1645);
     * Brent then closes in on the jump, where log10 tau is not tau_g */
    double vg;
    int gst = log10_tau(&r, xg, &vg);
    if (gst)
        return gst;
    if (!(fabs(vg - lg / M_LN10) <= 1e-6)) {
        char msg[256];
        snprintf(msg, sizeof msg, "tau jumps across %g at T = %.8g (log10 tau %.4g, not %.4g): "
                 "the liquid basin changes", tau_g, 1.0 / xg, vg, lg / M_LN10);
        snprintf(out->null_reason, sizeof out->null_reason, "%.127s", msg);
        out->evaluations = r.evals;
        return HL_OK;
    }
    out->tg = 1.0 / xg;
    /* d log10 tau / dx at xg: central differences at h and h/2, Richardson */
    double h = 0.02 * xg, v[4];
    const double xs[4] = {xg + h, xg - h, xg + h / 2, xg - h / 2};
    for (int i = 0; i < 4; i++) {
        int st = log10_tau(&r, xs[i], &v[i]);
        if (st)
            return st;
        if (!isfinite(v[i])) {
            snprintf(out->null_reason, sizeof out->null_reason,
                     "tau is undefined at T = %.6g, near T_g: no derivative", 1.0 / xs[i]);
            out->evaluations = r.evals;
            return HL_OK;
        }
    }
    double d1 = (v[0] - v[1]) / (2 * h), d2 = (v[2] - v[3]) / h;
    double rich = (4 * d2 - d1) / 3;
    out->m = rich * xg;
    out->m_error = fabs(rich - d2) * xg;
    out->slope_ev = rich * M_LN10;
    out->evaluations = r.evals;
    return HL_OK;
}
