/* SPDX-License-Identifier: GPL-3.0-or-later */
/* maxima.c -- the maxima of f = w - beta phi (eq 4.13) at one beta and
 * along beta: local Newton and ascent in tanh-coordinates, the global
 * search over a grid, continuation of a maximum in beta and the folds
 * (spinodals) where it ends.
 *
 * Coordinates: t = (atanh s, atanh d), s = x + y, d = x - y, which map the
 * open square onto the plane.  Stationarity of f is
 *     F1 = -t1/2 - beta phi_s = 0,   F2 = -t2/2 - beta phi_d = 0
 * (F = grad_(s,d) f; w_s = -atanh(s)/2).  Every stationary point obeys
 * |t_i| <= 2 beta max|phi_i|, so the search box is bounded, and no maximum
 * lies on the boundary of the square for finite beta. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_vector.h>
#include "thermo_private.h"


/* ------------------------------------------------------------ local model */

static void eval_at(const hl_model *m, double beta, double t1, double t2,
                    hl_local_eval *e)
{
    hl_tpoint_set(&e->p, t1, t2);
    hl_model_phi_derivs(m, e->p.x, e->p.y, &e->o);
    const hl_phi_derivs *o = &e->o;
    double ps = 0.5 * (o->phi_x + o->phi_y), pd = 0.5 * (o->phi_x - o->phi_y);
    double pss = 0.25 * (o->phi_xx + 2 * o->phi_xy + o->phi_yy);
    double pdd = 0.25 * (o->phi_xx - 2 * o->phi_xy + o->phi_yy);
    double psd = 0.25 * (o->phi_xx - o->phi_yy);
    e->F[0] = -0.5 * t1 - beta * ps;
    e->F[1] = -0.5 * t2 - beta * pd;
    e->Fb[0] = -ps;
    e->Fb[1] = -pd;
    e->J[0][0] = -0.5 - beta * pss * e->p.cs;
    e->J[0][1] = -beta * psd * e->p.cd;
    e->J[1][0] = -beta * psd * e->p.cs;
    e->J[1][1] = -0.5 - beta * pdd * e->p.cd;
}

static int is_max_J(double J[2][2])
{
    return hl_det2(J) > 0 && J[0][0] + J[1][1] < 0;
}

/* Solve J dt = -F; returns 0 if singular. */
static int newton_dir(double J[2][2], const double F[2], double dt[2])
{
    double det = hl_det2(J);
    double scale = fabs(J[0][0] * J[1][1]) + fabs(J[0][1] * J[1][0]);
    if (!(fabs(det) > 1e-300 + 1e-15 * scale))
        return 0;
    dt[0] = -(J[1][1] * F[0] - J[0][1] * F[1]) / det;
    dt[1] = -(-J[1][0] * F[0] + J[0][0] * F[1]) / det;
    return 1;
}

double hl_f_value_t(const hl_model *m, double beta, double t1, double t2)
{
    hl_tpoint p;
    hl_tpoint_set(&p, t1, t2);
    return hl_w_from_t(t1, t2) - beta * hl_model_phi(m, p.x, p.y);
}

static int residual_small(const double F[2], double t1, double t2)
{
    double tol = 1e-12 * (1.0 + fabs(t1) + fabs(t2));
    return fabs(F[0]) <= tol && fabs(F[1]) <= tol;
}

/* Longest Newton step in t: large far out, where tanh saturates and F is
 * linear in t (the maxima of a large beta sit at |t| ~ 2 beta |grad phi|). */
static double max_step(const double t[2])
{
    return 4.0 + 0.5 * (fabs(t[0]) + fabs(t[1]));
}

/* Plain Newton on F = 0 from t; converges to any stationary point. */
int hl_newton_t(const hl_model *m, double beta, double t[2], int maxit,
                hl_local_eval *e)
{
    for (int it = 0; it < maxit; it++) {
        eval_at(m, beta, t[0], t[1], e);
        if (!isfinite(e->F[0]) || !isfinite(e->F[1]))
            return 0;
        if (residual_small(e->F, t[0], t[1]))
            return 1;
        double dt[2];
        if (!newton_dir(e->J, e->F, dt))
            return 0;
        double len = fabs(dt[0]) + fabs(dt[1]);
        double cap = max_step(t);
        if (len > cap) {
            dt[0] *= cap / len;
            dt[1] *= cap / len;
        }
        t[0] += dt[0];
        t[1] += dt[1];
    }
    eval_at(m, beta, t[0], t[1], e);
    return residual_small(e->F, t[0], t[1]);
}

/* Ascent to a local maximum: Newton where the Hessian is negative definite,
 * gradient ascent otherwise, with backtracking on f. */
int hl_ascend_t(const hl_model *m, double beta, double t[2], hl_local_eval *e)
{
    for (int it = 0; it < 500; it++) {
        eval_at(m, beta, t[0], t[1], e);
        if (residual_small(e->F, t[0], t[1]))
            return is_max_J(e->J);
        double dt[2];
        int nd = is_max_J(e->J) && newton_dir(e->J, e->F, dt);
        if (!nd) {
            /* gradient ascent in t: df/dt_i = F_i * c_i */
            dt[0] = e->F[0] * e->p.cs;
            dt[1] = e->F[1] * e->p.cd;
            double len = fabs(dt[0]) + fabs(dt[1]);
            if (len == 0)
                return 0;
            dt[0] /= len;
            dt[1] /= len;
        }
        double len = fabs(dt[0]) + fabs(dt[1]);
        double cap = max_step(t);
        if (len > cap) {
            dt[0] *= cap / len;
            dt[1] *= cap / len;
        }
        if (nd && len < 0.05) {
            /* close to a maximum: plain Newton converges quadratically */
            return hl_newton_t(m, beta, t, 30, e) && is_max_J(e->J);
        }
        double f0 = hl_f_value_t(m, beta, t[0], t[1]);
        double lam = 1.0;
        int moved = 0;
        for (int k = 0; k < 60; k++, lam *= 0.5) {
            double n0 = t[0] + lam * dt[0], n1 = t[1] + lam * dt[1];
            /* strictly uphill: on a plateau (tanh t saturated at large
             * |t|) ">=" let the ascent wander for all its 500 steps */
            if (hl_f_value_t(m, beta, n0, n1) > f0) {
                t[0] = n0;
                t[1] = n1;
                moved = 1;
                break;
            }
        }
        if (!moved)
            return hl_newton_t(m, beta, t, 20, e) && is_max_J(e->J);
    }
    return 0;
}

/* c = d<phi>/dT along the branch of stationary points through e
 * (docs/heat_capacity.md).  With F(t, beta) = grad_(s,d) f = 0,
 * dt/dbeta = -J^{-1} dF/dbeta = J^{-1} g, g = grad_(s,d) phi, and
 * d(s, d)/dbeta = diag(cs, cd) dt/dbeta, so
 *     d<phi>/dbeta = g . diag(cs, cd) J^{-1} g = g^T H^{-1} g
 * (J = H diag(cs, cd)), and c = -beta^2 d<phi>/dbeta.  Solved in t, where J
 * stays well conditioned next to an edge (cs -> 0). */
double hl_heat_capacity_from(double beta, double dphi, double *ln_c)
{
    double c = -beta * beta * dphi;
    double lc = -dphi > 0 && isfinite(dphi) ? 2 * log(beta) + log(-dphi) : NAN;
    if (ln_c)
        *ln_c = lc;
    if (dphi != 0 && fabs(c) < DBL_MIN)
        return NAN; /* underflow: the digits are lost, ln c keeps them */
    return c;
}

double hl_heat_capacity_sech(double beta, int k, const double *a, const double *t,
                             double *ln_c)
{
    enum { KMAX = 64 }; /* HL_BLOCKS_MAX */
    double lc[KMAX], mx = -INFINITY, dphi = 0;
    int tiny = 0;
    if (k > KMAX)
        return NAN;
    for (int i = 0; i < k; i++) {
        double u = fabs(t[i]);
        /* ln sech^2 t = ln 4 - 2|t| - 2 ln(1 + e^{-2|t|}) */
        lc[i] = 1.3862943611198906 - 2 * u - 2 * log1p(exp(-2 * u));
        double c = exp(lc[i]);
        tiny |= a[i] != 0 && c < 1e3 * DBL_MIN;
        dphi += a[i] * c;
        if (a[i] != 0)
            mx = fmax(mx, lc[i]);
    }
    if (!tiny)
        return hl_heat_capacity_from(beta, dphi, ln_c);
    double s = 0;
    for (int i = 0; i < k; i++)
        if (a[i] != 0)
            s += a[i] * exp(lc[i] - mx);
    if (s == 0 || !isfinite(s)) {
        if (ln_c)
            *ln_c = NAN;
        return s == 0 ? 0.0 : NAN;
    }
    double l = 2 * log(beta) + mx + log(fabs(s)); /* ln |c| */
    if (ln_c)
        *ln_c = s < 0 ? l : NAN;
    double c = (s < 0 ? 1.0 : -1.0) * exp(l);
    return fabs(c) < DBL_MIN ? NAN : c;
}

double hl_heat_capacity_local(const hl_local_eval *e, double beta, double *ln_c)
{
    if (ln_c)
        *ln_c = NAN;
    const hl_phi_derivs *o = &e->o;
    double g[2] = {0.5 * (o->phi_x + o->phi_y), 0.5 * (o->phi_x - o->phi_y)};
    double det = e->J[0][0] * e->J[1][1] - e->J[0][1] * e->J[1][0];
    double scale = fabs(e->J[0][0] * e->J[1][1]) + fabs(e->J[0][1] * e->J[1][0]);
    if (!(fabs(det) > 1e-300 + 1e-15 * scale))
        return NAN;
    double v0 = (e->J[1][1] * g[0] - e->J[0][1] * g[1]) / det;
    double v1 = (-e->J[1][0] * g[0] + e->J[0][0] * g[1]) / det;
    double a[2] = {g[0] * v0, g[1] * v1}, t[2] = {e->p.t1, e->p.t2};
    return hl_heat_capacity_sech(beta, 2, a, t, ln_c);
}

void hl_fill_stationary(const hl_model *m, double beta, const double t[2],
                        hl_stationary *out)
{
    hl_local_eval e;
    eval_at(m, beta, t[0], t[1], &e);
    out->beta = beta;
    out->x = e.p.x;
    out->y = e.p.y;
    out->phi = e.o.phi;
    out->w = hl_w_from_t(t[0], t[1]);
    out->ln_w = hl_ln_w_from_t(t[0], t[1]);
    out->f = out->w - beta * out->phi;
    out->hess_det = hl_det2(e.J);
    out->t1 = t[0];
    out->t2 = t[1];
    out->branch = -1;
    out->stable = 0;
    out->heat_capacity = hl_heat_capacity_local(&e, beta, &out->ln_heat_capacity);
}

/* tanh-coordinates of a point: exact ones when it came from this file,
 * else from x, y (clamped inside the square). */
void hl_stationary_to_t(const hl_stationary *s, double t[2])
{
    if (isfinite(s->t1) && isfinite(s->t2) && (s->t1 != 0 || s->t2 != 0 ||
                                               (s->x == 0 && s->y == 0))) {
        t[0] = s->t1;
        t[1] = s->t2;
        return;
    }
    const double lim = 1.0 - 1e-16;
    double ss = fmax(-lim, fmin(lim, s->x + s->y));
    double dd = fmax(-lim, fmin(lim, s->x - s->y));
    t[0] = atanh(ss);
    t[1] = atanh(dd);
}

/* ------------------------------------------------------------ global search */

#define SEARCH_GRID 32
#define SEARCH_GRID_MAX 1024

int hl_same_point(const double a[2], const double b[2])
{
    double tol = 1e-6 * (1.0 + fabs(a[0]) + fabs(a[1]));
    return fabs(a[0] - b[0]) <= tol && fabs(a[1] - b[1]) <= tol;
}

/* f on an (N+1)^2 grid over [lo, hi] in t; w = (H(t1) + H(t2))/2 is
 * separable, so its costly parts are computed once per grid line. */
void hl_fill_f_grid(const hl_model *m, double beta, const double lo[2],
                    const double hi[2], int N, double *g)
{
    double *w1 = malloc(sizeof(double) * 4 * (size_t)(N + 1));
    if (!w1) {
        for (int i = 0; i <= N; i++)
            for (int j = 0; j <= N; j++)
                g[(size_t)i * (N + 1) + j] =
                    hl_f_value_t(m, beta, lo[0] + (hi[0] - lo[0]) * i / N,
                            lo[1] + (hi[1] - lo[1]) * j / N);
        return;
    }
    double *w2 = w1 + (N + 1), *s1 = w2 + (N + 1), *d2 = s1 + (N + 1);
    for (int k = 0; k <= N; k++) {
        double t1 = lo[0] + (hi[0] - lo[0]) * k / N;
        double t2 = lo[1] + (hi[1] - lo[1]) * k / N;
        w1[k] = hl_w_from_t(t1, 0) - 0.5 * log(2.0);
        w2[k] = hl_w_from_t(0, t2) - 0.5 * log(2.0);
        s1[k] = tanh(t1);
        d2[k] = tanh(t2);
    }
    for (int i = 0; i <= N; i++)
        for (int j = 0; j <= N; j++)
            g[(size_t)i * (N + 1) + j] =
                w1[i] + w2[j] -
                beta * hl_model_phi(m, 0.5 * (s1[i] + d2[j]), 0.5 * (s1[i] - d2[j]));
    free(w1);
}

void hl_search_box(const hl_model *m, double beta, double lo[2],
                   double hi[2])
{
    double gs, gd;
    hl_model_gradient_bounds(m, &gs, &gd);
    hi[0] = 2 * beta * gs + 1.0;
    hi[1] = 2 * beta * gd + 1.0;
    lo[0] = -hi[0];
    lo[1] = -hi[1];
}

/* The fine part of the global search: the box |t| <= SEARCH_CORE (where
 * sech^2 t > 0.01, so a step in t moves s or d by nearly the step) spaced by
 * phi's feature length (hl_model_feature_length, in x and y; a feature of
 * length l in x or y is at least l long in s or d), so every oscillation of
 * phi is sampled about six times a period.  Outside it a step in t moves s
 * and d a hundred times less, and the coarse grid over the whole search box
 * samples them.  Points per axis, at most SEARCH_GRID_MAX (*capped = 1 when
 * the feature length asked for more); 0 when the coarse grid is as fine. */
#define SEARCH_CORE 3.0
static int core_points(const hl_model *m, const double lo[2], const double hi[2],
                       double clo[2], double chi[2], int *capped)
{
    double ell = hl_model_feature_length(m), width = 0, coarse = INFINITY;
    for (int k = 0; k < 2; k++) {
        clo[k] = fmax(lo[k], -SEARCH_CORE);
        chi[k] = fmin(hi[k], SEARCH_CORE);
        width = fmax(width, chi[k] - clo[k]);
        coarse = fmin(coarse, (hi[k] - lo[k]) / SEARCH_GRID);
    }
    if (!(isfinite(ell) && ell > 0) || ell >= coarse)
        return 0;
    double n = ceil(width / ell);
    if (n > SEARCH_GRID_MAX) {
        *capped = 1;
        return SEARCH_GRID_MAX;
    }
    return n < SEARCH_GRID ? SEARCH_GRID : (int)n;
}

/* The peaks of f on an (N+1)^2 grid over [lo, hi], each refined by ascent,
 * added to list[0 .. *count) unless already there (up to cap; *count
 * counts all).  0 when out of memory. */
static int scan_grid(const hl_model *m, double beta, const double lo[2], const double hi[2],
                     int N, hl_tpair *list, size_t cap, size_t *count)
{
    double *g = malloc(sizeof(double) * (size_t)(N + 1) * (size_t)(N + 1));
    if (!g)
        return 0;
#define GV(i, j) g[(size_t)(i) * (size_t)(N + 1) + (size_t)(j)]
    hl_fill_f_grid(m, beta, lo, hi, N, g);
    for (int i = 1; i < N; i++)
        for (int j = 1; j < N; j++) {
            double v = GV(i, j);
            int is_peak = 1;
            for (int di = -1; di <= 1 && is_peak; di++)
                for (int dj = -1; dj <= 1; dj++)
                    if ((di || dj) && GV(i + di, j + dj) > v) {
                        is_peak = 0;
                        break;
                    }
            if (!is_peak)
                continue;
            double t[2] = {lo[0] + (hi[0] - lo[0]) * i / N,
                           lo[1] + (hi[1] - lo[1]) * j / N};
            hl_local_eval e;
            if (!hl_ascend_t(m, beta, t, &e))
                continue;
            int dup = 0;
            for (size_t k = 0; k < *count && k < cap && !dup; k++)
                dup = hl_same_point(list[k].t, t);
            if (dup)
                continue;
            if (*count < cap) {
                list[*count].t[0] = t[0];
                list[*count].t[1] = t[1];
            }
            (*count)++;
        }
#undef GV
    free(g);
    return 1;
}

/* All maxima at beta into list (up to cap); returns count found: a coarse
 * grid of SEARCH_GRID points per axis over the whole search box, and a fine
 * one over its core (core_points).  *grid (if not NULL) gets the most
 * points per axis used, *capped is set to 1 when the fine grid was coarser
 * than phi's feature length asked for. */
size_t hl_find_maxima_t(const hl_model *m, double beta, hl_tpair *list,
                        size_t cap, int *grid, int *capped)
{
    double lo[2], hi[2], clo[2], chi[2];
    hl_search_box(m, beta, lo, hi);
    size_t count = 0;
    if (!scan_grid(m, beta, lo, hi, SEARCH_GRID, list, cap, &count))
        return 0;
    int cap_hit = 0;
    int N = core_points(m, lo, hi, clo, chi, &cap_hit);
    if (N > 0 && !scan_grid(m, beta, clo, chi, N, list, cap, &count))
        N = 0;
    if (grid && (N > *grid || SEARCH_GRID > *grid))
        *grid = N > SEARCH_GRID ? N : SEARCH_GRID;
    if (capped && cap_hit)
        *capped = 1;
    return count;
}

static int cmp_by_x(const void *a, const void *b)
{
    const hl_stationary *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

int hl_check_beta(double beta)
{
    if (!isfinite(beta) || !(beta > 0))
        return hl_fail(HL_EDOM, "beta = %g is not a positive finite number",
                       beta);
    if (beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is too large (at most 1e6)", beta);
    return HL_OK;
}

int hl_maxima_at(const hl_model *m, double beta, hl_stationary *buf,
                 size_t cap, size_t *count)
{
    int st = hl_check_beta(beta);
    if (st)
        return st;
    hl_tpair list[HL_MAX_MAXIMA];
    size_t n = hl_find_maxima_t(m, beta, list, HL_MAX_MAXIMA, NULL, NULL);
    if (n > HL_MAX_MAXIMA)
        return hl_fail(HL_ERANGE,
                       "f = w - beta phi has %zu local maxima at beta = %g; at most %d are "
                       "handled", n, beta, HL_MAX_MAXIMA);
    /* A maximum next to its fold is too narrow for the grid: search at
     * nearby betas too and continue what is found there back to beta. */
    static const double factor[] = {1.01, 1.05, 1.2, 1.5, 1 / 1.01, 1 / 1.05, 1 / 1.2, 1 / 1.5};
    for (size_t q = 0; q < sizeof factor / sizeof factor[0]; q++) {
        double b2 = beta * factor[q];
        hl_tpair l2[HL_MAX_MAXIMA];
        size_t n2 = hl_find_maxima_t(m, b2, l2, HL_MAX_MAXIMA, NULL, NULL);
        for (size_t k = 0; k < n2 && k < HL_MAX_MAXIMA; k++) {
            double t[2] = {l2[k].t[0], l2[k].t[1]}, bl;
            if (!hl_continue_max(m, b2, beta, t, &bl))
                continue;
            int dup = 0;
            for (size_t j = 0; j < n && !dup; j++)
                dup = hl_same_point(list[j].t, t);
            if (!dup && n == HL_MAX_MAXIMA)
                return hl_fail(HL_ERANGE,
                               "f = w - beta phi has more than %d local maxima at beta = %g; "
                               "at most %d are handled", HL_MAX_MAXIMA, beta, HL_MAX_MAXIMA);
            if (!dup) {
                list[n].t[0] = t[0];
                list[n].t[1] = t[1];
                n++;
            }
        }
    }
    hl_stationary tmp[HL_MAX_MAXIMA];
    double best = -INFINITY;
    size_t ibest = 0;
    for (size_t k = 0; k < n; k++) {
        hl_fill_stationary(m, beta, list[k].t, &tmp[k]);
        if (tmp[k].f > best) {
            best = tmp[k].f;
            ibest = k;
        }
    }
    if (n)
        tmp[ibest].stable = 1;
    qsort(tmp, n, sizeof tmp[0], cmp_by_x);
    for (size_t k = 0; k < n && k < cap; k++)
        buf[k] = tmp[k];
    *count = n;
    return HL_OK;
}

/* ------------------------------------------------------------ continuation */

/* Continue a maximum from (b0, t) to b1.  On success t holds the maximum at
 * b1 and 1 is returned.  On failure (a fold lies between), t and *b_last
 * hold the last accepted point, and 0 is returned. */
int hl_continue_max(const hl_model *m, double b0, double b1, double t[2],
                    double *b_last)
{
    double cur = b0, h = b1 - b0, sub = h;
    double tc[2] = {t[0], t[1]};
    hl_local_eval e;
    eval_at(m, cur, tc[0], tc[1], &e);
    while (cur != b1) {
        double bn = cur + sub;
        if ((h > 0 && bn > b1) || (h < 0 && bn < b1))
            bn = b1;
        double step = bn - cur;
        double slope[2];
        double Fb[2] = {e.Fb[0], e.Fb[1]};
        if (!newton_dir(e.J, Fb, slope))
            slope[0] = slope[1] = 0;
        /* dt/dbeta = -J^{-1} Fb = slope */
        double tp[2] = {tc[0] + step * slope[0], tc[1] + step * slope[1]};
        double tn[2] = {tp[0], tp[1]};
        hl_local_eval en;
        int ok = hl_newton_t(m, bn, tn, 12, &en) && is_max_J(en.J);
        if (ok) {
            double pred = fabs(tp[0] - tc[0]) + fabs(tp[1] - tc[1]);
            double corr = fabs(tn[0] - tp[0]) + fabs(tn[1] - tp[1]);
            if (corr > 0.3 * pred + 1e-3 * (1 + fabs(tc[0]) + fabs(tc[1])))
                ok = 0; /* jumped to another branch */
        }
        if (ok) {
            cur = bn;
            tc[0] = tn[0];
            tc[1] = tn[1];
            e = en;
            sub = (fabs(sub * 2) < fabs(h)) ? sub * 2 : h;
        } else {
            sub *= 0.5;
            if (fabs(sub) < 1e-11 * (1.0 + fabs(cur))) {
                t[0] = tc[0];
                t[1] = tc[1];
                *b_last = cur;
                return 0;
            }
        }
    }
    t[0] = tc[0];
    t[1] = tc[1];
    *b_last = b1;
    return 1;
}

/* Augmented system for a fold: F = 0 and det J = 0 in (t1, t2, beta). */
static int fold_fn(const gsl_vector *v, void *p, gsl_vector *r)
{
    const hl_model *m = p;
    hl_local_eval e;
    eval_at(m, gsl_vector_get(v, 2), gsl_vector_get(v, 0),
            gsl_vector_get(v, 1), &e);
    gsl_vector_set(r, 0, e.F[0]);
    gsl_vector_set(r, 1, e.F[1]);
    gsl_vector_set(r, 2, hl_det2(e.J));
    if (!isfinite(e.F[0]) || !isfinite(e.F[1]) || !isfinite(hl_det2(e.J)))
        return GSL_EBADFUNC;
    return GSL_SUCCESS;
}

int hl_refine_fold(const hl_model *m, double t[2], double *beta)
{
    gsl_multiroot_function F = {fold_fn, 3, (void *)m};
    gsl_vector *v = gsl_vector_alloc(3);
    gsl_multiroot_fsolver *s =
        gsl_multiroot_fsolver_alloc(gsl_multiroot_fsolver_hybrids, 3);
    int ok = 0;
    if (v && s) {
        gsl_vector_set(v, 0, t[0]);
        gsl_vector_set(v, 1, t[1]);
        gsl_vector_set(v, 2, *beta);
        int gs = gsl_multiroot_fsolver_set(s, &F, v);
        for (int it = 0; it < 200 && gs == GSL_SUCCESS; it++) {
            int status = gsl_multiroot_fsolver_iterate(s);
            if (gsl_multiroot_test_residual(s->f, 1e-14) == GSL_SUCCESS) {
                ok = 1;
                break;
            }
            if (status)
                break;
        }
        if (!ok && gs == GSL_SUCCESS)
            ok = gsl_multiroot_test_residual(s->f, 1e-11) == GSL_SUCCESS;
        if (ok) {
            double nb = gsl_vector_get(s->x, 2);
            double n0 = gsl_vector_get(s->x, 0), n1 = gsl_vector_get(s->x, 1);
            if (fabs(nb - *beta) < 1e-4 * (1 + fabs(*beta)) &&
                fabs(n0 - t[0]) + fabs(n1 - t[1]) < 0.5) {
                t[0] = n0;
                t[1] = n1;
                *beta = nb;
            } else {
                ok = 0;
            }
        }
    }
    gsl_multiroot_fsolver_free(s);
    gsl_vector_free(v);
    return ok;
}
