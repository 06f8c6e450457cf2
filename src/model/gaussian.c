/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gaussian.c -- the Gaussian equilibrium around a maximum of f = w - beta phi
 * (eqs 5.7, 5.8) and the linearised Ornstein-Uhlenbeck kinetics around it
 * (eqs 5.9-5.11 with the mobility of the Kramers-Moyal expansion of eq 5.6).
 *
 * Numerics are done in s = x + y, d = x - y, where w is separable and
 * -Hess_(s,d) f = S^{-1} K S^{-1},  S = diag(sp, sm) = diag(sqrt(1 - s^2),
 * sqrt(1 - d^2)) = diag(sech t1, sech t2),
 *   K = [[1/2 + beta phi_ss (1 - s^2), beta phi_sd sp sm],
 *        [beta phi_sd sp sm,            1/2 + beta phi_dd (1 - d^2)]],
 * which stays O(1) even when the maximum sits next to an edge of the square
 * (1 - s^2 tiny).  Then
 *   covariance (s, d) = S K^{-1} S / D,
 *   D Dif_(s,d) = 4 B S,  A_(s,d) = D Dif (-Hess f) = 4 B K S^{-1},
 * and A is similar to the symmetric G = S^{-1/2} K S^{-1/2}: its eigenvalues
 * are 4 B eig(G) > 0 and its eigenvectors S^{1/2} u (u of G).  Results are
 * turned to (x, y) with x = (s + d)/2, y = (s - d)/2. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model_private.h"

/* Largest distance in (x, y) between the requested point and the maximum. */
#define GAUSS_NEAR 1e-3

static int check_args(const hl_model *model, long dim, double beta)
{
    if (!model)
        return hl_fail(HL_EINVAL, "gaussian: NULL model");
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if (!isfinite(beta) || !(beta > 0))
        return hl_fail(HL_EDOM, "beta = %g is not a positive finite number", beta);
    if (beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is too large (at most 1e6)", beta);
    /* B enters the diffusion matrix: positive and finite at this T */
    return hl_model_check_transmission(model, 1.0 / beta);
}

/* ----------------------------------------------------- stationarity in t */

/* grad_(s,d) f and its Jacobian in t = (atanh s, atanh d), as in
 * maxima.c: F = (-t1/2 - beta phi_s, -t2/2 - beta phi_d). */
typedef struct {
    double F[2], J[2][2];
    hl_tpoint p;
} t_eval;

static void eval_t(const hl_model *m, double beta, double t1, double t2, t_eval *e)
{
    hl_phi_derivs o;
    hl_tpoint_set(&e->p, t1, t2);
    hl_model_phi_derivs(m, e->p.x, e->p.y, &o);
    double ps = 0.5 * (o.phi_x + o.phi_y), pd = 0.5 * (o.phi_x - o.phi_y);
    double pss = 0.25 * (o.phi_xx + 2 * o.phi_xy + o.phi_yy);
    double pdd = 0.25 * (o.phi_xx - 2 * o.phi_xy + o.phi_yy);
    double psd = 0.25 * (o.phi_xx - o.phi_yy);
    e->F[0] = -0.5 * t1 - beta * ps;
    e->F[1] = -0.5 * t2 - beta * pd;
    e->J[0][0] = -0.5 - beta * pss * e->p.cs;
    e->J[0][1] = -beta * psd * e->p.cd;
    e->J[1][0] = -beta * psd * e->p.cs;
    e->J[1][1] = -0.5 - beta * pdd * e->p.cd;
}

/* Newton step dt = -J^{-1} F; 0 if J is singular. */
static int newton_step(const t_eval *e, double dt[2])
{
    double det = e->J[0][0] * e->J[1][1] - e->J[0][1] * e->J[1][0];
    double scale = fabs(e->J[0][0] * e->J[1][1]) + fabs(e->J[0][1] * e->J[1][0]);
    if (!(fabs(det) > 1e-300 + 1e-15 * scale))
        return 0;
    dt[0] = -(e->J[1][1] * e->F[0] - e->J[0][1] * e->F[1]) / det;
    dt[1] = -(-e->J[1][0] * e->F[0] + e->J[0][0] * e->F[1]) / det;
    return isfinite(dt[0]) && isfinite(dt[1]);
}

/* A few more Newton steps on a converged stationary point, kept while the
 * step keeps shrinking: the last bits of t (the rates depend on cosh t). */
static void polish(const hl_model *m, double beta, double t[2])
{
    double prev = INFINITY;
    for (int it = 0; it < 6; it++) {
        t_eval e;
        double dt[2];
        eval_t(m, beta, t[0], t[1], &e);
        if (!newton_step(&e, dt))
            return;
        double len = fabs(dt[0]) + fabs(dt[1]);
        if (!(len < prev) || len > 1e-6 * (1 + fabs(t[0]) + fabs(t[1])))
            return;
        t[0] += dt[0];
        t[1] += dt[1];
        prev = len;
        if (len <= 1e-16 * (1 + fabs(t[0]) + fabs(t[1])))
            return;
    }
}

/* Plain (step-limited) Newton from t to any stationary point of f. */
static int newton_any(const hl_model *m, double beta, double t[2], t_eval *e)
{
    for (int it = 0; it < 60; it++) {
        eval_t(m, beta, t[0], t[1], e);
        if (!isfinite(e->F[0]) || !isfinite(e->F[1]))
            return 0;
        double tol = 1e-12 * (1 + fabs(t[0]) + fabs(t[1]));
        if (fabs(e->F[0]) <= tol && fabs(e->F[1]) <= tol)
            return 1;
        double dt[2];
        if (!newton_step(e, dt))
            return 0;
        double len = fabs(dt[0]) + fabs(dt[1]);
        double cap = 4.0 + 0.5 * (fabs(t[0]) + fabs(t[1]));
        if (len > cap) {
            dt[0] *= cap / len;
            dt[1] *= cap / len;
        }
        t[0] += dt[0];
        t[1] += dt[1];
    }
    return 0;
}

static void t_of_xy(double x, double y, double t[2])
{
    const double lim = 1.0 - 1e-16;
    t[0] = atanh(fmax(-lim, fmin(lim, x + y)));
    t[1] = atanh(fmax(-lim, fmin(lim, x - y)));
}

/* ------------------------------------------------------------ the Gaussian */

/* Unit vector along (a, b) with its larger component positive. */
static void unit(double a, double b, double *u0, double *u1)
{
    double n = hypot(a, b);
    if (!(n > 0) || !isfinite(n)) {
        *u0 = *u1 = NAN;
        return;
    }
    a /= n;
    b /= n;
    if ((fabs(a) >= fabs(b) ? a : b) < 0) {
        a = -a;
        b = -b;
    }
    *u0 = a;
    *u1 = b;
}

/* Fill out from the stationary point at t = (atanh s, atanh d).  Returns 0
 * (out untouched) if the point is not a maximum (K not positive definite). */
static int fill(const hl_model *m, long dim, double beta, const double t[2],
                const char *name, hl_gaussian *out)
{
    hl_tpoint p;
    hl_phi_derivs o;
    hl_tpoint_set(&p, t[0], t[1]);
    hl_model_phi_derivs(m, p.x, p.y, &o);
    double ch1 = cosh(t[0]), ch2 = cosh(t[1]);
    double sp = 1.0 / ch1, sm = 1.0 / ch2;        /* sqrt(1 - s^2), sqrt(1 - d^2) */
    double ics = ch1 * ch1, icd = ch2 * ch2;      /* 1/(1 - s^2), 1/(1 - d^2)   */
    double pss = 0.25 * (o.phi_xx + 2 * o.phi_xy + o.phi_yy);
    double pdd = 0.25 * (o.phi_xx - 2 * o.phi_xy + o.phi_yy);
    double psd = 0.25 * (o.phi_xx - o.phi_yy);
    double K11 = 0.5 + beta * pss * p.cs, K22 = 0.5 + beta * pdd * p.cd;
    double K12 = beta * psd * sp * sm;
    double detK = K11 * K22 - K12 * K12;
    if (!(K11 > 0) || !(detK > 0))
        return 0;

    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    out->dim = dim;
    out->beta = beta;
    out->x = p.x;
    out->y = p.y;
    /* eq 5.8 */
    out->E11 = 0.25 * (ics + icd) + 0.5 * beta * o.phi_xx;
    out->E12 = 0.5 * (ics - icd) + beta * o.phi_xy;
    out->E22 = 0.25 * (ics + icd) + 0.5 * beta * o.phi_yy;

    /* covariance (D M)^{-1}: in (s, d) S K^{-1} S / D, then to (x, y) */
    double Dd = (double)dim;
    double css = sp * sp * (K22 / detK) / Dd;
    double csd = sp * sm * (-K12 / detK) / Dd;
    double cdd = sm * sm * (K11 / detK) / Dd;
    out->cov_xx = 0.25 * (css + 2 * csd + cdd);
    out->cov_xy = 0.25 * (css - cdd);
    out->cov_yy = 0.25 * (css - 2 * csd + cdd);

    double B = hl_model_transmission(m, p.x, p.y, 1.0 / beta);
    out->transmission = B;
    /* D Dif in (x, y): (1/4) P (4 B S) P, P = [[1, 1], [1, -1]] */
    out->diffusion[0] = out->diffusion[3] = B * (sp + sm);
    out->diffusion[1] = out->diffusion[2] = B * (sp - sm);

    /* A in (s, d) = 4 B K S^{-1} (K12 = beta phi_sd sp sm divided out by
     * hand: only the diagonal, the genuine fast rates, can overflow);
     * in (x, y): (1/2) P A_sd P */
    double a11 = 4 * B * K11 / sp, a12 = 4 * B * beta * psd * sp;
    double a21 = 4 * B * beta * psd * sm, a22 = 4 * B * K22 / sm;
    out->drift[0] = 0.5 * (a11 + a12 + a21 + a22);
    out->drift[1] = 0.5 * (a11 - a12 + a21 - a22);
    out->drift[2] = 0.5 * (a11 + a12 - a21 - a22);
    out->drift[3] = 0.5 * (a11 - a12 - a21 + a22);

    /* eigen-decomposition through the symmetric G = S^{-1/2} K S^{-1/2},
     * written with sp sm G (finite even when 1 - s^2 underflows):
     * g = [(K11 sm + K22 sp)/2 +- hypot((K11 sm - K22 sp)/2, K12 sqrt(sp sm))] / (sp sm),
     * the smaller one as det G / g_hi (no cancellation) */
    if (K12 == 0) {
        /* decoupled s and d (e.g. the paper's phi = s + g(d)): exact */
        double ls = 4 * B * K11 / sp, ld = 4 * B * K22 / sm, r = sqrt(0.5);
        int s_first = !(ls > ld);
        out->lambda[0] = s_first ? ls : ld;
        out->lambda[1] = s_first ? ld : ls;
        out->mode[0] = out->mode[1] = r;
        out->mode[2] = s_first ? r : -r;
        out->mode[3] = s_first ? -r : r;
        return 1;
    }
    double rq = sqrt(sp * sm);
    double hm = 0.5 * (K11 * sm + K22 * sp);
    double hr = hypot(0.5 * (K11 * sm - K22 * sp), K12 * rq);
    out->lambda[0] = 4 * B * (detK / (hm + hr));
    out->lambda[1] = 4 * B * ((hm + hr) / (sp * sm));
    double th = 0.5 * atan2(2 * K12 * rq, K11 * sm - K22 * sp);
    double u_hi[2] = {cos(th), sin(th)}, u_lo[2] = {-sin(th), cos(th)};
    double rs = sqrt(sp), rd = sqrt(sm);
    /* v_sd = S^{1/2} u; v_xy = ((v_s + v_d)/2, (v_s - v_d)/2) */
    double vs = rs * u_lo[0], vd = rd * u_lo[1];
    unit(vs + vd, vs - vd, &out->mode[0], &out->mode[2]);
    vs = rs * u_hi[0];
    vd = rd * u_hi[1];
    unit(vs + vd, vs - vd, &out->mode[1], &out->mode[3]);
    return 1;
}

/* Eqs 5.7, 5.8 at the maximum of f nearest (x, y) (within 1e-3), with the
 * Ornstein-Uhlenbeck drift of eqs 5.9-5.11. */
int hl_gaussian_at(const hl_model *model, long dim, double beta, double x, double y,
                   hl_gaussian *out)
{
    int st = check_args(model, dim, beta);
    if (st)
        return st;
    if (!out)
        return hl_fail(HL_EINVAL, "hl_gaussian_at: NULL output");
    if (!isfinite(x) || !isfinite(y) || fabs(x) + fabs(y) > 1)
        return hl_fail(HL_EDOM, "(%g, %g) is outside the square |x| + |y| <= 1", x, y);
    hl_named_maxima c;
    if ((st = hl_named_maxima_get(model, beta, &c)) != HL_OK)
        return st;
    double best = INFINITY;
    size_t kb = 0;
    for (size_t k = 0; k < c.n; k++) {
        double dd = hypot(c.mx[k].x - x, c.mx[k].y - y);
        if (dd < best) {
            best = dd;
            kb = k;
        }
    }
    if (c.n > 0 && best <= GAUSS_NEAR) {
        double t[2] = {c.mx[kb].t1, c.mx[kb].t2};
        polish(model, beta, t);
        if (fill(model, dim, beta, t, c.names[kb], out))
            return HL_OK;
    }
    /* Not next to a known maximum: say what is there. */
    double t[2];
    t_eval e;
    t_of_xy(x, y, t);
    int conv = newton_any(model, beta, t, &e);
    double dist = conv ? hypot(e.p.x - x, e.p.y - y) : INFINITY;
    if (conv && dist <= GAUSS_NEAR) {
        double det = e.J[0][0] * e.J[1][1] - e.J[0][1] * e.J[1][0];
        double tr = e.J[0][0] + e.J[1][1];
        double scale = fabs(e.J[0][0] * e.J[1][1]) + fabs(e.J[0][1] * e.J[1][0]);
        if (fabs(det) <= 1e-10 * scale)
            return hl_fail(HL_EDOM,
                           "(%g, %g) is not a maximum of f at beta = %g: the stationary point "
                           "(%.6g, %.6g) has a singular Hessian (a fold)", x, y, beta, e.p.x,
                           e.p.y);
        if (det < 0)
            return hl_fail(HL_EDOM,
                           "(%g, %g) is not a maximum of f at beta = %g: the stationary point "
                           "(%.6g, %.6g) is a saddle", x, y, beta, e.p.x, e.p.y);
        if (tr > 0)
            return hl_fail(HL_EDOM,
                           "(%g, %g) is not a maximum of f at beta = %g: the stationary point "
                           "(%.6g, %.6g) is a minimum", x, y, beta, e.p.x, e.p.y);
        /* a maximum the global search did not list */
        polish(model, beta, t);
        const char *nm = "point";
        for (size_t k = 0; k < c.n; k++)
            if (hypot(c.mx[k].x - e.p.x, c.mx[k].y - e.p.y) <= 1e-6)
                nm = hl_named_maxima_nearest(&c, e.p.x, e.p.y);
        if (fill(model, dim, beta, t, nm, out))
            return HL_OK;
    }
    if (c.n > 0)
        return hl_fail(HL_EDOM,
                       "(%g, %g) is not a maximum of f at beta = %g: no stationary point "
                       "within %g (nearest maximum: %s at (%.6g, %.6g))", x, y, beta,
                       GAUSS_NEAR, c.names[kb], c.mx[kb].x, c.mx[kb].y);
    return hl_fail(HL_EDOM,
                   "(%g, %g) is not a maximum of f at beta = %g: no stationary point within %g",
                   x, y, beta, GAUSS_NEAR);
}

/* Eqs 5.7, 5.8 at every maximum of f (eq 4.13). */
int hl_gaussian_maxima(const hl_model *model, long dim, double beta, hl_gaussian *buf,
                       size_t cap, size_t *count)
{
    int st = check_args(model, dim, beta);
    if (st)
        return st;
    if (!count || (cap > 0 && !buf))
        return hl_fail(HL_EINVAL, "hl_gaussian_maxima: NULL argument");
    hl_named_maxima c;
    if ((st = hl_named_maxima_get(model, beta, &c)) != HL_OK)
        return st;
    for (size_t k = 0; k < c.n && k < cap; k++) {
        double t[2] = {c.mx[k].t1, c.mx[k].t2};
        polish(model, beta, t);
        if (!fill(model, dim, beta, t, c.names[k], &buf[k]))
            return hl_fail(HL_ENOCONV,
                           "the maximum '%s' at (%.6g, %.6g), beta = %g, has a Hessian that is "
                           "not negative definite (at a fold?)", c.names[k], c.mx[k].x,
                           c.mx[k].y, beta);
    }
    *count = c.n;
    return HL_OK;
}

/* Eqs 5.7, 5.8 at the maximum named branch. */
int hl_gaussian_branch(const hl_model *model, long dim, double beta, const char *branch,
                       hl_gaussian *out)
{
    int st = check_args(model, dim, beta);
    if (st)
        return st;
    if (!branch || !out)
        return hl_fail(HL_EINVAL, "hl_gaussian_branch: NULL argument");
    hl_named_maxima c;
    if ((st = hl_named_maxima_get(model, beta, &c)) != HL_OK)
        return st;
    for (size_t k = 0; k < c.n; k++) {
        if (strcmp(c.names[k], branch) != 0)
            continue;
        double t[2] = {c.mx[k].t1, c.mx[k].t2};
        polish(model, beta, t);
        if (!fill(model, dim, beta, t, c.names[k], out))
            return hl_fail(HL_ENOCONV,
                           "the maximum '%s' at (%.6g, %.6g), beta = %g, has a Hessian that is "
                           "not negative definite (at a fold?)", branch, c.mx[k].x, c.mx[k].y,
                           beta);
        return HL_OK;
    }
    char list[320] = "";
    size_t len = 0;
    for (size_t k = 0; k < c.n && len + 48 < sizeof list; k++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s at (%.4g, %.4g)",
                                k ? ", " : "", c.names[k], c.mx[k].x, c.mx[k].y);
    return hl_fail(HL_ENOTFOUND, "no maximum of f named '%s' at beta = %g; there %s: %s",
                   hl_clip(branch, (char[HL_CLIP_BUF]){0}), beta, c.n == 1 ? "is" : "are", c.n ? list : "none");
}

/* Insert v into the ascending rates[0 .. *filled) of capacity count,
 * evicting the largest when full. */
static void ou_insert(double *rates, int count, int *filled, double v)
{
    int i = *filled < count ? (*filled)++ : count - 1;
    while (i > 0 && rates[i - 1] > v) {
        rates[i] = rates[i - 1];
        i--;
    }
    rates[i] = v;
}

/* Every sum partial + n_i lambda_i + ... + n_0 lambda_0 (modes i down to
 * 0, the terms added from the highest mode down) below the count-th
 * smallest so far: the rates form a staircase in each n_i, so a mode's
 * loop stops at the first sum that cannot enter. */
static void ou_sums(const double *lambda, int i, double partial, int count, double *rates,
                    int *filled)
{
    for (long n = 0; n < count; n++) {
        double v = i == 0 ? partial + (n ? (double)n * lambda[0] : 0.0)
                          : (n ? partial + (double)n * lambda[i] : partial);
        if (*filled == count && !(v < rates[count - 1]))
            break;
        if (i == 0)
            ou_insert(rates, count, filled, v);
        else
            ou_sums(lambda, i - 1, v, count, rates, filled);
    }
}

void hl_ou_rates_k(const double *lambda, int nmodes, int count, double *rates)
{
    if (!lambda || !rates || count <= 0 || nmodes <= 0)
        return;
    int filled = 0;
    ou_sums(lambda, nmodes - 1, 0.0, count, rates, &filled);
}

/* The relaxation rates of the Ornstein-Uhlenbeck process of eq 5.9 around
 * the maximum: n1 lambda1 + n2 lambda2, the k smallest, ascending. */
void hl_ou_rates(const hl_gaussian *g, int k, double *rates)
{
    if (!g)
        return;
    hl_ou_rates_k(g->lambda, 2, k, rates);
}

/* The mean of the Ornstein-Uhlenbeck process of eqs 5.9-5.11:
 * exp(-A t) d0 = sum_k c_k exp(-lambda_k t) v_k with V c = d0. */
void hl_ou_mean(const hl_gaussian *g, double t, const double d0[2], double d[2])
{
    if (!g || !d0 || !d)
        return;
    if (t == 0) {
        d[0] = d0[0];
        d[1] = d0[1];
        return;
    }
    if (!(t > 0)) {
        d[0] = d[1] = NAN;
        return;
    }
    const double *v = g->mode;
    double det = v[0] * v[3] - v[1] * v[2];
    double c0 = (v[3] * d0[0] - v[1] * d0[1]) / det;
    double c1 = (-v[2] * d0[0] + v[0] * d0[1]) / det;
    double e0 = exp(-g->lambda[0] * t), e1 = exp(-g->lambda[1] * t);
    /* 0 * exp(-inf) terms must stay 0 */
    double a0 = e0 == 0 ? 0 : c0 * e0, a1 = e1 == 0 ? 0 : c1 * e1;
    d[0] = a0 * v[0] + a1 * v[1];
    d[1] = a0 * v[2] + a1 * v[3];
}
