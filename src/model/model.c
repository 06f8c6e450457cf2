/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model.c -- the model object: phi(x, y) (eq 4.11 or a user formula) and
 * its derivatives, the transmission B(x, y, T), and the checks of class
 * values where they are used.  The proofs on the whole square:
 * model_check.c; W(n, n1) and w(x, y): entropy.c; the minimum of phi:
 * phi_min.c. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "model_object.h"

/* ---------------------------------------------------------------- phi */

static void default_derivs(double x, double y, hl_phi_derivs *o)
{
    double u = x - y + 0.2;
    double g1 = -2.0 * u + 1.14 * u * u; /* d/du of -u^2 + 0.38 u^3 */
    double g2 = -2.0 + 2.28 * u;
    o->phi = x + y - u * u + 0.38 * u * u * u;
    o->phi_x = 1.0 + g1;
    o->phi_y = 1.0 - g1;
    o->phi_xx = g2;
    o->phi_xy = -g2;
    o->phi_yy = g2;
}

double hl_default_g_step(double d, double step, double *abs_terms)
{
    /* (u + e)^2 - u^2 = e (2u + e); (u + e)^3 - u^3 = e (3u^2 + 3ue + e^2) */
    double u = d + 0.2, e = step;
    double t1 = -(2.0 * u + e), t2 = 0.38 * (3.0 * u * u + 3.0 * u * e + e * e);
    if (abs_terms)
        *abs_terms = fabs(e) * (2.0 * fabs(u) + fabs(e) +
                                0.38 * (3.0 * u * u + 3.0 * fabs(u * e) + e * e));
    return e * (t1 + t2);
}

double hl_model_phi(const hl_model *m, double x, double y)
{
    if (m->is_default) {
        double u = x - y + 0.2;
        return x + y - u * u + 0.38 * u * u * u;
    }
    double v[2] = {x, y};
    return hl_expr_eval(m->ev[DER_PHI], v);
}

void hl_model_phi_derivs(const hl_model *m, double x, double y,
                         hl_phi_derivs *o)
{
    if (m->is_default) {
        default_derivs(x, y, o);
        return;
    }
    double v[2] = {x, y};
    o->phi = hl_expr_eval(m->ev[DER_PHI], v);
    o->phi_x = hl_expr_eval(m->ev[DER_X], v);
    o->phi_y = hl_expr_eval(m->ev[DER_Y], v);
    o->phi_xx = hl_expr_eval(m->ev[DER_XX], v);
    o->phi_xy = hl_expr_eval(m->ev[DER_XY], v);
    o->phi_yy = hl_expr_eval(m->ev[DER_YY], v);
}

const char *hl_model_phi_formula(const hl_model *m) { return m->formula; }
int hl_model_is_default(const hl_model *m) { return m->is_default; }

void hl_model_gradient_bounds(const hl_model *m, double *gs, double *gd)
{
    *gs = m->grad_s_bound;
    *gd = m->grad_d_bound;
}

double hl_model_feature_length(const hl_model *m) { return m->feature_length; }

void hl_model_free(hl_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < DER_COUNT; i++)
        hl_expr_free(m->ev[i]);
    free(m->formula);
    hl_expr_free(m->b_ev);
    free(m->b_formula);
    free(m);
}

int hl_model_create(const char *formula, hl_model **out)
{
    hl_gsl_quiet();
    if (!out)
        return hl_fail(HL_EINVAL, "hl_model_create: out is NULL");
    *out = NULL;
    hl_model *m = calloc(1, sizeof *m);
    if (!m)
        return hl_fail(HL_ENOMEM, "out of memory creating the model");
    int st = HL_OK;
    if (!formula) {
        m->is_default = 1;
        m->formula = strdup(HL_DEFAULT_PHI);
        if (!m->formula) {
            st = hl_fail(HL_ENOMEM, "out of memory");
            goto fail;
        }
        (void)hl_model_set_gradient_bounds(m); /* eq 4.11: finite everywhere */
        hl_model_set_feature_length(m);
        *out = m;
        return HL_OK;
    }
    static const char *const vars[] = {"x", "y"};
    if ((st = hl_expr_parse(formula, vars, 2, "phi", &m->ev[DER_PHI])))
        goto fail;
    m->formula = strdup(formula);
    if (!m->formula) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto fail;
    }
    if ((st = hl_expr_derivative(m->ev[DER_PHI], 0, &m->ev[DER_X])) ||
        (st = hl_expr_derivative(m->ev[DER_PHI], 1, &m->ev[DER_Y])) ||
        (st = hl_expr_derivative(m->ev[DER_X], 0, &m->ev[DER_XX])) ||
        (st = hl_expr_derivative(m->ev[DER_X], 1, &m->ev[DER_XY])) ||
        (st = hl_expr_derivative(m->ev[DER_Y], 1, &m->ev[DER_YY]))) {
        char ex[HL_CLIP_BUF];
        hl_clip(formula, ex);
        char msg[512];
        snprintf(msg, sizeof msg, "%s", hl_errmsg());
        st = hl_fail(st, "phi formula '%s': %s", ex, msg);
        goto fail;
    }
    if ((st = hl_model_check_phi(m)))
        goto fail;
    hl_model_set_feature_length(m);
    *out = m;
    return HL_OK;
fail:
    hl_model_free(m);
    return st;
}

int hl_model_set_transmission(hl_model *m, const char *formula)
{
    if (!m)
        return hl_fail(HL_EINVAL, "hl_model_set_transmission: model is NULL");
    hl_expr_free(m->b_ev);
    m->b_ev = NULL;
    free(m->b_formula);
    m->b_formula = NULL;
    m->b_uses_T = 0;
    if (!formula)
        return HL_OK;
    static const char *const vars[] = {"x", "y", "T"};
    hl_expr *ev = NULL;
    int st = hl_expr_parse(formula, vars, 3, "transmission", &ev);
    if (st)
        return st;
    char *copy = strdup(formula);
    if (!copy) {
        hl_expr_free(ev);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    m->b_ev = ev;
    m->b_formula = copy;
    m->b_uses_T = hl_expr_uses(ev, 2);
    /* a B without T is checked now; one with T at the temperatures of each
     * run (hl_model_check_transmission*) */
    if (!m->b_uses_T && (st = hl_model_check_b(m, 1.0, 1.0))) {
        hl_expr_free(m->b_ev);
        m->b_ev = NULL;
        free(m->b_formula);
        m->b_formula = NULL;
        return st;
    }
    return HL_OK;
}

const char *hl_model_transmission_formula(const hl_model *m)
{
    return m->b_formula ? m->b_formula : "1";
}

double hl_model_transmission(const hl_model *m, double x, double y, double T)
{
    if (!m->b_ev)
        return 1.0;
    double v[3] = {x, y, T};
    return hl_expr_eval(m->b_ev, v);
}

const struct hl_expr *hl_model_transmission_expr(const hl_model *m) { return m->b_ev; }

int hl_model_transmission_ln_bound(const hl_model *m, double x, double y, double T_lo,
                                   double T_hi, double *ln_hi)
{
    if (!m->b_ev) {
        *ln_hi = 0.0;
        return HL_OK;
    }
    hl_interval v[3] = {{x, x, 0}, {y, y, 0}, {fmin(T_lo, T_hi), fmax(T_lo, T_hi), 0}};
    hl_interval r = hl_expr_eval_interval(m->b_ev, v);
    if (r.nan || !(r.hi > 0) || !(r.hi < INFINITY))
        return hl_fail(HL_EDOM, "transmission B(%g, %g, T) has no finite positive upper bound "
                                "for T in [%g, %g]", x, y, v[2].lo, v[2].hi);
    /* log of an outward-rounded bound, widened by a few ulps for libm's log */
    double l = log(r.hi);
    *ln_hi = l + 1e-12 * (1 + fabs(l));
    return HL_OK;
}

int hl_model_check_transmission_range(const hl_model *m, double T_lo, double T_hi)
{
    if (!m->b_ev || !m->b_uses_T)
        return HL_OK;
    if (!(T_lo > 0) || !(T_hi >= T_lo) || !isfinite(T_hi))
        return hl_fail(HL_EDOM, "temperature range [%g, %g] is not a positive finite range",
                       T_lo, T_hi);
    return hl_model_check_b(m, T_lo, T_hi);
}

int hl_model_check_transmission(const hl_model *m, double T)
{
    return hl_model_check_transmission_range(m, T, T);
}

int hl_model_transmission_is_default(const hl_model *m) { return m->b_ev == NULL; }

int hl_model_transmission_uses_temperature(const hl_model *m)
{
    return m->b_ev != NULL && m->b_uses_T;
}

/* ------------------------------------------------ checks where values are used */

int hl_class_phi(const hl_model *m, long h, long a, long b, double *phi)
{
    double x = hl_class_x(h, a, b), y = hl_class_y(h, a, b);
    double v = hl_model_phi(m, x, y);
    *phi = v;
    if (isfinite(v))
        return HL_OK;
    char ex[HL_CLIP_BUF], pv[32];
    hl_clip(m->formula, ex);
    return hl_fail(HL_EDOM, "phi formula '%s': phi = %s at class (n, n1) = (%ld, %ld), (x, y) = "
                            "(%.9g, %.9g), D = %ld; phi must be finite on the square",
                   ex, hl_msg_num(v, pv), a + b, a, x, y, 2 * h);
}

int hl_check_bond_b(double B, long a, long b, long a2, long b2, double x, double y, double T)
{
    if (B > 0 && isfinite(B))
        return HL_OK;
    return hl_fail(HL_EDOM, "transmission B = %g is not positive and finite at (x, y, T) = "
                            "(%.9g, %.9g, %.9g), between classes (n, n1) = (%ld, %ld) and "
                            "(%ld, %ld)",
                   B, x, y, T, a + b, a, a2 + b2, a2);
}
