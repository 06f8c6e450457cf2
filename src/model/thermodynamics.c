/* thermodynamics.c -- maxima of f = w - beta phi (eq 4.13): global search,
 * branch continuation, folds (spinodals), melting points (eq 4.14) and the
 * saddle between two maxima.
 *
 * Coordinates: t = (atanh s, atanh d), s = x + y, d = x - y, which map the
 * open square onto the plane.  Stationarity of f is
 *     F1 = -t1/2 - beta phi_s = 0,   F2 = -t2/2 - beta phi_d = 0
 * (F = grad_(s,d) f; w_s = -atanh(s)/2).  Every stationary point obeys
 * |t_i| <= 2 beta max|phi_i|, so the search box is bounded, and no maximum
 * lies on the boundary of the square for finite beta. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_vector.h>

#include "internal.h"

/* ------------------------------------------------------------ local model */

typedef struct {
    double F[2];     /* grad_(s,d) f                    */
    double J[2][2];  /* dF/dt = H_sd * diag(cs, cd)     */
    double Fb[2];    /* dF/dbeta                        */
    hl_tpoint p;
    hl_phi_derivs o;
} local_eval;

static void eval_at(const hl_model *m, double beta, double t1, double t2,
                    local_eval *e)
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

static double det2(double J[2][2]) { return J[0][0] * J[1][1] - J[0][1] * J[1][0]; }

static int is_max_J(double J[2][2])
{
    return det2(J) > 0 && J[0][0] + J[1][1] < 0;
}

/* Solve J dt = -F; returns 0 if singular. */
static int newton_dir(double J[2][2], const double F[2], double dt[2])
{
    double det = det2(J);
    double scale = fabs(J[0][0] * J[1][1]) + fabs(J[0][1] * J[1][0]);
    if (!(fabs(det) > 1e-300 + 1e-15 * scale))
        return 0;
    dt[0] = -(J[1][1] * F[0] - J[0][1] * F[1]) / det;
    dt[1] = -(-J[1][0] * F[0] + J[0][0] * F[1]) / det;
    return 1;
}

static double f_value(const hl_model *m, double beta, double t1, double t2)
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
static int newton(const hl_model *m, double beta, double t[2], int maxit,
                  local_eval *e)
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
static int ascend(const hl_model *m, double beta, double t[2], local_eval *e)
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
            return newton(m, beta, t, 30, e) && is_max_J(e->J);
        }
        double f0 = f_value(m, beta, t[0], t[1]);
        double lam = 1.0;
        int moved = 0;
        for (int k = 0; k < 60; k++, lam *= 0.5) {
            double n0 = t[0] + lam * dt[0], n1 = t[1] + lam * dt[1];
            /* strictly uphill: on a plateau (tanh t saturated at large
             * |t|) ">=" let the ascent wander for all its 500 steps */
            if (f_value(m, beta, n0, n1) > f0) {
                t[0] = n0;
                t[1] = n1;
                moved = 1;
                break;
            }
        }
        if (!moved)
            return newton(m, beta, t, 20, e) && is_max_J(e->J);
    }
    return 0;
}

static void fill_stationary(const hl_model *m, double beta, const double t[2],
                            hl_stationary *out)
{
    local_eval e;
    eval_at(m, beta, t[0], t[1], &e);
    out->beta = beta;
    out->x = e.p.x;
    out->y = e.p.y;
    out->phi = e.o.phi;
    out->w = hl_w_from_t(t[0], t[1]);
    out->f = out->w - beta * out->phi;
    out->hess_det = det2(e.J);
    out->t1 = t[0];
    out->t2 = t[1];
    out->branch = -1;
    out->stable = 0;
}

/* tanh-coordinates of a point: exact ones when it came from this file,
 * else from x, y (clamped inside the square). */
static void to_t(const hl_stationary *s, double t[2])
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

typedef struct {
    double t[2];
} tpair;

static int same_point(const double a[2], const double b[2])
{
    double tol = 1e-6 * (1.0 + fabs(a[0]) + fabs(a[1]));
    return fabs(a[0] - b[0]) <= tol && fabs(a[1] - b[1]) <= tol;
}

/* f on an (N+1)^2 grid over [lo, hi] in t; w = (H(t1) + H(t2))/2 is
 * separable, so its costly parts are computed once per grid line. */
static void fill_f_grid(const hl_model *m, double beta, const double lo[2],
                        const double hi[2], int N, double *g)
{
    double *w1 = malloc(sizeof(double) * 4 * (size_t)(N + 1));
    if (!w1) {
        for (int i = 0; i <= N; i++)
            for (int j = 0; j <= N; j++)
                g[(size_t)i * (N + 1) + j] =
                    f_value(m, beta, lo[0] + (hi[0] - lo[0]) * i / N,
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

static void search_box(const hl_model *m, double beta, double lo[2],
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
                     int N, tpair *list, size_t cap, size_t *count)
{
    double *g = malloc(sizeof(double) * (size_t)(N + 1) * (size_t)(N + 1));
    if (!g)
        return 0;
#define GV(i, j) g[(size_t)(i) * (size_t)(N + 1) + (size_t)(j)]
    fill_f_grid(m, beta, lo, hi, N, g);
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
            local_eval e;
            if (!ascend(m, beta, t, &e))
                continue;
            int dup = 0;
            for (size_t k = 0; k < *count && k < cap && !dup; k++)
                dup = same_point(list[k].t, t);
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
static size_t find_maxima_t(const hl_model *m, double beta, tpair *list,
                            size_t cap, int *grid, int *capped)
{
    double lo[2], hi[2], clo[2], chi[2];
    search_box(m, beta, lo, hi);
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

static int check_beta(double beta)
{
    if (!isfinite(beta) || !(beta > 0))
        return hl_fail(HL_EDOM, "beta = %g is not a positive finite number",
                       beta);
    if (beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is too large (at most 1e6)", beta);
    return HL_OK;
}

#define MAX_MAXIMA 256

static int continue_max(const hl_model *m, double b0, double b1, double t[2],
                        double *b_last);

int hl_maxima_at(const hl_model *m, double beta, hl_stationary *buf,
                 size_t cap, size_t *count)
{
    int st = check_beta(beta);
    if (st)
        return st;
    tpair list[MAX_MAXIMA];
    size_t n = find_maxima_t(m, beta, list, MAX_MAXIMA, NULL, NULL);
    if (n > MAX_MAXIMA)
        return hl_fail(HL_ERANGE,
                       "f = w - beta phi has %zu local maxima at beta = %g; at most %d are "
                       "handled", n, beta, MAX_MAXIMA);
    /* A maximum next to its fold is too narrow for the grid: search at
     * nearby betas too and continue what is found there back to beta. */
    static const double factor[] = {1.01, 1.05, 1.2, 1.5, 1 / 1.01, 1 / 1.05, 1 / 1.2, 1 / 1.5};
    for (size_t q = 0; q < sizeof factor / sizeof factor[0]; q++) {
        double b2 = beta * factor[q];
        tpair l2[MAX_MAXIMA];
        size_t n2 = find_maxima_t(m, b2, l2, MAX_MAXIMA, NULL, NULL);
        for (size_t k = 0; k < n2 && k < MAX_MAXIMA; k++) {
            double t[2] = {l2[k].t[0], l2[k].t[1]}, bl;
            if (!continue_max(m, b2, beta, t, &bl))
                continue;
            int dup = 0;
            for (size_t j = 0; j < n && !dup; j++)
                dup = same_point(list[j].t, t);
            if (!dup && n == MAX_MAXIMA)
                return hl_fail(HL_ERANGE,
                               "f = w - beta phi has more than %d local maxima at beta = %g; "
                               "at most %d are handled", MAX_MAXIMA, beta, MAX_MAXIMA);
            if (!dup) {
                list[n].t[0] = t[0];
                list[n].t[1] = t[1];
                n++;
            }
        }
    }
    hl_stationary tmp[MAX_MAXIMA];
    double best = -INFINITY;
    size_t ibest = 0;
    for (size_t k = 0; k < n; k++) {
        fill_stationary(m, beta, list[k].t, &tmp[k]);
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
static int continue_max(const hl_model *m, double b0, double b1, double t[2],
                        double *b_last)
{
    double cur = b0, h = b1 - b0, sub = h;
    double tc[2] = {t[0], t[1]};
    local_eval e;
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
        local_eval en;
        int ok = newton(m, bn, tn, 12, &en) && is_max_J(en.J);
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
    local_eval e;
    eval_at(m, gsl_vector_get(v, 2), gsl_vector_get(v, 0),
            gsl_vector_get(v, 1), &e);
    gsl_vector_set(r, 0, e.F[0]);
    gsl_vector_set(r, 1, e.F[1]);
    gsl_vector_set(r, 2, det2(e.J));
    if (!isfinite(e.F[0]) || !isfinite(e.F[1]) || !isfinite(det2(e.J)))
        return GSL_EBADFUNC;
    return GSL_SUCCESS;
}

static int refine_fold(const hl_model *m, double t[2], double *beta)
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

/* ------------------------------------------------------------ phases */

typedef struct {
    double *t1, *t2;   /* per beta index */
    double *f;         /* f = w - beta phi at each index (after tracing) */
    unsigned char *exists;
    char name[16];
} branch_t;

struct hl_phases {
    int nbeta;
    double *beta;
    int nbranch, cap_branch;
    branch_t *br;
    int nfold, cap_fold;
    hl_fold *folds;
    int nmelt, cap_melt;
    hl_melting *melts;
    int nunres, cap_unres;
    hl_melting_unresolved *unres;
    int search_grid;   /* largest points per axis of the global searches */
    int search_capped; /* 1 if phi's feature length asked for a finer grid */
    const hl_model *model; /* borrowed during compute only */
};

void hl_phases_free(hl_phases *p)
{
    if (!p)
        return;
    for (int b = 0; b < p->nbranch; b++) {
        free(p->br[b].t1);
        free(p->br[b].t2);
        free(p->br[b].f);
        free(p->br[b].exists);
    }
    free(p->br);
    free(p->folds);
    free(p->melts);
    free(p->unres);
    free(p->beta);
    free(p);
}

static int grow(void **arr, int *cap, int n, size_t elem)
{
    if (n < *cap)
        return 1;
    int nc = *cap ? 2 * *cap : 8;
    void *na = realloc(*arr, elem * (size_t)nc);
    if (!na)
        return 0;
    *arr = na;
    *cap = nc;
    return 1;
}

static int add_fold(hl_phases *p, int branch, double beta, const double t[2],
                    int birth)
{
    if (!grow((void **)&p->folds, &p->cap_fold, p->nfold, sizeof(hl_fold)))
        return 0;
    hl_tpoint q;
    hl_tpoint_set(&q, t[0], t[1]);
    hl_fold *f = &p->folds[p->nfold++];
    f->branch = branch;
    f->beta = beta;
    f->x = q.x;
    f->y = q.y;
    f->birth = birth;
    return 1;
}

static int point_on_branch(const hl_phases *p, int i, const double t[2])
{
    for (int b = 0; b < p->nbranch; b++) {
        const branch_t *br = &p->br[b];
        if (!br->exists[i])
            continue;
        double u[2] = {br->t1[i], br->t2[i]};
        double tol = 1e-5 * (1.0 + fabs(u[0]) + fabs(u[1]));
        if (fabs(u[0] - t[0]) <= tol && fabs(u[1] - t[1]) <= tol)
            return b;
    }
    return -1;
}

/* A branch continued from index i (point t_i) lands on branch `other` at
 * index j: bisect in beta for where the two become one (a pitchfork). */
static void locate_merge(const hl_phases *p, int other, int i, int j,
                         const double t_i[2], double *beta, double t[2])
{
    double lo = p->beta[i], hi = p->beta[j];
    double tlo[2] = {t_i[0], t_i[1]};
    double toj[2] = {p->br[other].t1[j], p->br[other].t2[j]};
    for (int it = 0; it < 80 && fabs(hi - lo) > 1e-13 * (1 + fabs(lo)); it++) {
        double mid = 0.5 * (lo + hi), bl;
        double tm[2] = {tlo[0], tlo[1]}, to[2] = {toj[0], toj[1]};
        int ok = continue_max(p->model, lo, mid, tm, &bl);
        int ok_other = continue_max(p->model, p->beta[j], mid, to, &bl);
        if (ok && (!ok_other || !same_point(tm, to))) {
            lo = mid;
            tlo[0] = tm[0];
            tlo[1] = tm[1];
        } else {
            hi = mid;
        }
    }
    *beta = lo;
    t[0] = tlo[0];
    t[1] = tlo[1];
    /* polish on the augmented system: the pitchfork is a singular point */
    double bf = lo, tf[2] = {tlo[0], tlo[1]};
    if (refine_fold(p->model, tf, &bf) && fabs(bf - lo) < 1e-5 * (1 + fabs(lo))) {
        *beta = bf;
        t[0] = tf[0];
        t[1] = tf[1];
    }
}

/* Trace branch b from index i0 in direction dir until it ends. */
static int trace(hl_phases *p, int b, int i0, int dir)
{
    branch_t *br = &p->br[b];
    double t[2] = {br->t1[i0], br->t2[i0]};
    for (int i = i0; i + dir >= 0 && i + dir < p->nbeta; i += dir) {
        int j = i + dir;
        if (br->exists[j])
            return 1; /* already traced */
        double blast;
        double tprev[2] = {t[0], t[1]};
        if (continue_max(p->model, p->beta[i], p->beta[j], t, &blast)) {
            int other = point_on_branch(p, j, t);
            if (other >= 0 && other != b) {
                /* merged into another branch: a bifurcation (pitchfork)
                 * between i and j, where the Hessian is singular */
                double bf, tf[2];
                locate_merge(p, other, i, j, tprev, &bf, tf);
                return add_fold(p, b, bf, tf, dir < 0);
            }
            br->t1[j] = t[0];
            br->t2[j] = t[1];
            br->exists[j] = 1;
            continue;
        }
        double bf = blast, tf[2] = {t[0], t[1]};
        if (refine_fold(p->model, tf, &bf)) {
            if (!add_fold(p, b, bf, tf, dir < 0))
                return 0;
        } else {
            /* not a clean fold: record where the branch was last seen */
            if (!add_fold(p, b, blast, t, dir < 0))
                return 0;
        }
        return 1;
    }
    return 1;
}

static int new_branch(hl_phases *p)
{
    if (!grow((void **)&p->br, &p->cap_branch, p->nbranch, sizeof(branch_t)))
        return -1;
    branch_t *br = &p->br[p->nbranch];
    memset(br, 0, sizeof *br);
    br->t1 = calloc((size_t)p->nbeta, sizeof(double));
    br->t2 = calloc((size_t)p->nbeta, sizeof(double));
    br->f = calloc((size_t)p->nbeta, sizeof(double));
    br->exists = calloc((size_t)p->nbeta, 1);
    if (!br->t1 || !br->t2 || !br->f || !br->exists) {
        free(br->t1);
        free(br->t2);
        free(br->f);
        free(br->exists);
        return -1;
    }
    return p->nbranch++;
}

/* The maximum reached by continuation from beta -> 0 up to beta. */
static int liquid_at(const hl_model *m, double beta, double t[2])
{
    double b0 = beta < 1e-3 ? beta : 1e-3;
    hl_phi_derivs o;
    hl_model_phi_derivs(m, 0, 0, &o);
    t[0] = -2 * b0 * 0.5 * (o.phi_x + o.phi_y);
    t[1] = -2 * b0 * 0.5 * (o.phi_x - o.phi_y);
    local_eval e;
    if (!ascend(m, b0, t, &e))
        return 0;
    double bl;
    return b0 == beta ? 1 : continue_max(m, b0, beta, t, &bl);
}

int hl_name_maxima(const hl_model *m, double beta, hl_stationary *mx,
                   size_t count, char (*names)[16])
{
    int st = check_beta(beta);
    if (st)
        return st;
    for (size_t k = 0; k < count; k++)
        names[k][0] = 0;
    double tl[2];
    int liquid = -1;
    if (liquid_at(m, beta, tl)) {
        double best = INFINITY;
        for (size_t k = 0; k < count; k++) {
            double t[2];
            to_t(&mx[k], t);
            double dist = fabs(t[0] - tl[0]) + fabs(t[1] - tl[1]);
            if (dist < best && dist < 1e-4 * (1 + fabs(tl[0]) + fabs(tl[1]))) {
                best = dist;
                liquid = (int)k;
            }
        }
    }
    if (liquid >= 0)
        strcpy(names[liquid], "liquid");
    int next = 2;
    for (;;) {
        int pick = -1;
        for (size_t k = 0; k < count; k++)
            if (!names[k][0] && (pick < 0 || mx[k].phi < mx[pick].phi))
                pick = (int)k;
        if (pick < 0)
            break;
        if (next == 2)
            strcpy(names[pick], "crystal");
        else
            snprintf(names[pick], 16, "branch-%d", next % 1000);
        next++;
    }
    return HL_OK;
}

static int branch_point(const hl_phases *p, int b, int i, hl_stationary *out)
{
    const branch_t *br = &p->br[b];
    if (!br->exists[i])
        return 0;
    double t[2] = {br->t1[i], br->t2[i]};
    fill_stationary(p->model, p->beta[i], t, out);
    out->branch = b;
    return 1;
}

static int name_branches(hl_phases *p)
{
    for (int b = 0; b < p->nbranch; b++) {
        int i0 = 0;
        while (i0 < p->nbeta && !p->br[b].exists[i0])
            i0++;
        if (i0 == p->nbeta)
            continue;
        hl_stationary mx[MAX_MAXIMA];
        int who[MAX_MAXIMA];
        size_t n = 0;
        for (int c = 0; c < p->nbranch && n < MAX_MAXIMA; c++)
            if (branch_point(p, c, i0, &mx[n]))
                who[n++] = c;
        char names[MAX_MAXIMA][16];
        int st = hl_name_maxima(p->model, p->beta[i0], mx, n, names);
        if (st)
            return st;
        for (size_t k = 0; k < n; k++)
            if (who[k] == b)
                memcpy(p->br[b].name, names[k], sizeof p->br[b].name);
    }
    /* make names unique and non-empty: a branch whose name is empty (its
     * first point was not among the first MAX_MAXIMA maxima) or already
     * taken by an earlier branch gets the smallest free "branch-K" */
    for (int b = 0; b < p->nbranch; b++) {
        int clash = p->br[b].name[0] == 0;
        for (int c = 0; c < b && !clash; c++)
            clash = strcmp(p->br[b].name, p->br[c].name) == 0;
        for (int k = 2; clash && k < 10000; k++) {
            char cand[sizeof p->br[b].name];
            snprintf(cand, sizeof cand, "branch-%d", k);
            clash = 0;
            for (int c = 0; c < p->nbranch && !clash; c++)
                clash = c != b && strcmp(cand, p->br[c].name) == 0;
            if (!clash)
                memcpy(p->br[b].name, cand, sizeof cand);
        }
    }
    return HL_OK;
}

/* the branch with the largest f at index i, -1 if none */
static int stable_branch(const hl_phases *p, int i)
{
    double best = -INFINITY;
    int who = -1;
    for (int c = 0; c < p->nbranch; c++)
        if (p->br[c].exists[i] && p->br[c].f[i] > best) {
            best = p->br[c].f[i];
            who = c;
        }
    return who;
}

/* --- melting: equal f on two branches, Brent in beta ---------------- */

typedef struct {
    const hl_model *m;
    double b0;
    double ta[2], tb[2];
    int failed;
} melt_ctx;

static double melt_fn(double beta, void *vp)
{
    melt_ctx *c = vp;
    double ta[2] = {c->ta[0], c->ta[1]}, tb[2] = {c->tb[0], c->tb[1]};
    double bl;
    if (!continue_max(c->m, c->b0, beta, ta, &bl) ||
        !continue_max(c->m, c->b0, beta, tb, &bl)) {
        c->failed = 1;
        return 0;
    }
    return f_value(c->m, beta, ta[0], ta[1]) - f_value(c->m, beta, tb[0], tb[1]);
}

/* Refine one melting point of branches a, b bracketed by [lo_b, hi_b]
 * (d0 = f_a - f_b at lo_b), both continued from beta index ref; i is the
 * grid interval [i, i + 1] that holds it. */
/* Record a sign change of f_a - f_b in [lo_b, hi_b] that could not be
 * refined into a melting point. */
static int melt_unresolved(hl_phases *p, int a, int b, double lo_b, double hi_b,
                           const char *reason)
{
    /* one record per pair and reason over adjacent intervals */
    for (int k = 0; k < p->nunres; k++) {
        hl_melting_unresolved *u = &p->unres[k];
        if (u->branch_a == a && u->branch_b == b && strcmp(u->reason, reason) == 0 &&
            lo_b <= u->beta_hi + 1e-12 * (1 + fabs(u->beta_hi)) &&
            hi_b >= u->beta_lo - 1e-12 * (1 + fabs(u->beta_lo))) {
            u->beta_lo = fmin(u->beta_lo, lo_b);
            u->beta_hi = fmax(u->beta_hi, hi_b);
            return HL_OK;
        }
    }
    if (!grow((void **)&p->unres, &p->cap_unres, p->nunres, sizeof(hl_melting_unresolved)))
        return hl_fail(HL_ENOMEM, "out of memory");
    hl_melting_unresolved *u = &p->unres[p->nunres++];
    memset(u, 0, sizeof *u);
    u->branch_a = a;
    u->branch_b = b;
    u->beta_lo = lo_b;
    u->beta_hi = hi_b;
    snprintf(u->reason, sizeof u->reason, "%s", reason);
    return HL_OK;
}

/* 1 if the maxima of branches a and b at beta index ref are mirror images
 * (equal phi and w, e.g. of a symmetric phi): their f are equal at every
 * beta, and a sign change of f_a - f_b is round-off, not a transition. */
static int mirror_images(const hl_phases *p, int a, int b, int ref)
{
    double ta[2] = {p->br[a].t1[ref], p->br[a].t2[ref]};
    double tb[2] = {p->br[b].t1[ref], p->br[b].t2[ref]};
    hl_stationary qa, qb;
    fill_stationary(p->model, p->beta[ref], ta, &qa);
    fill_stationary(p->model, p->beta[ref], tb, &qb);
    return fabs(qa.phi - qb.phi) < 1e-9 && fabs(qa.w - qb.w) < 1e-9;
}

/* Refine one melting point of branches a, b bracketed by [lo_b, hi_b]
 * (d0 = f_a - f_b at lo_b), both continued from beta index ref; i is the
 * grid interval [i, i + 1] that holds it.  A bracket that the continued
 * branches do not confirm, a failed continuation or no convergence is
 * recorded as unresolved (hl_phases_unresolved), never dropped. */
static int melt_root(hl_phases *p, int a, int b, int ref, int i, double lo_b,
                     double hi_b, double d0)
{
    if (mirror_images(p, a, b, ref))
        return HL_OK;
    melt_ctx c = {p->model, p->beta[ref], {p->br[a].t1[ref], p->br[a].t2[ref]},
                  {p->br[b].t1[ref], p->br[b].t2[ref]}, 0};
    gsl_function F = {melt_fn, &c};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    double root = 0.5 * (lo_b + hi_b);
    int ok = 0;
    const char *why = NULL;
    int gs = gsl_root_fsolver_set(s, &F, lo_b, hi_b);
    if (c.failed)
        why = "a branch cannot be continued to the ends of the bracket";
    else if (gs != GSL_SUCCESS)
        why = "the continued branches do not change order inside the bracket";
    else {
        for (int it = 0; it < 200; it++) {
            gs = gsl_root_fsolver_iterate(s);
            if (gs != GSL_SUCCESS || c.failed)
                break;
            root = gsl_root_fsolver_root(s);
            double lo = gsl_root_fsolver_x_lower(s);
            double hi = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(lo, hi, 1e-15, 1e-14) == GSL_SUCCESS) {
                ok = 1;
                break;
            }
        }
        if (c.failed)
            why = "a branch cannot be continued inside the bracket";
        else if (!ok)
            why = "Brent's method did not converge";
    }
    gsl_root_fsolver_free(s);
    if (why)
        return melt_unresolved(p, a, b, lo_b, hi_b, why);
    /* the maxima at the root */
    double ta[2] = {c.ta[0], c.ta[1]}, tb[2] = {c.tb[0], c.tb[1]};
    double bl;
    continue_max(p->model, c.b0, root, ta, &bl);
    continue_max(p->model, c.b0, root, tb, &bl);
    if (!grow((void **)&p->melts, &p->cap_melt, p->nmelt,
              sizeof(hl_melting)))
        return hl_fail(HL_ENOMEM, "out of memory");
    hl_melting *ml = &p->melts[p->nmelt++];
    memset(ml, 0, sizeof *ml);
    ml->beta = root;
    /* a: the one with the larger f below the root (high T) */
    int a_first = d0 > 0;
    hl_stationary sa, sb;
    fill_stationary(p->model, root, a_first ? ta : tb, &sa);
    fill_stationary(p->model, root, a_first ? tb : ta, &sb);
    sa.branch = a_first ? a : b;
    sb.branch = a_first ? b : a;
    ml->branch_a = sa.branch;
    ml->branch_b = sb.branch;
    ml->a = sa;
    ml->b = sb;
    ml->latent_heat = sa.phi - sb.phi;
    ml->entropy_jump = sa.w - sb.w;
    /* global: is the stable phase a below and b above? */
    int stable_below = stable_branch(p, i), stable_above = stable_branch(p, i + 1);
    ml->global = stable_below == sa.branch && stable_above == sb.branch;
    ml->has_saddle =
        hl_saddle_between(p->model, root, &sa, &sb, &ml->saddle) == HL_OK;
    return HL_OK;
}

/* fold of branch c strictly inside (lo, hi), or NAN */
static double fold_inside(const hl_phases *p, int c, double lo, double hi)
{
    for (int k = 0; k < p->nfold; k++)
        if (p->folds[k].branch == c && p->folds[k].beta > lo && p->folds[k].beta < hi)
            return p->folds[k].beta;
    return NAN;
}

static int find_meltings(hl_phases *p)
{
    for (int a = 0; a < p->nbranch; a++)
        for (int b = a + 1; b < p->nbranch; b++)
            for (int i = 0; i + 1 < p->nbeta; i++) {
                const branch_t *A = &p->br[a], *B = &p->br[b];
                int both0 = A->exists[i] && B->exists[i];
                int both1 = A->exists[i + 1] && B->exists[i + 1];
                int st = HL_OK;
                if (both0 && both1) {
                    double d0 = A->f[i] - B->f[i], d1 = A->f[i + 1] - B->f[i + 1];
                    if (d0 != 0 && (d0 > 0) != (d1 > 0))
                        st = melt_root(p, a, b, i, i, p->beta[i], p->beta[i + 1], d0);
                } else if (both0 || both1) {
                    /* one branch is born or dies inside the interval: sample
                     * between its fold and the end where both exist */
                    int ref = both1 ? i + 1 : i;
                    int missing = both1 ? (A->exists[i] ? b : a) : (A->exists[i + 1] ? b : a);
                    double edge = fold_inside(p, missing, p->beta[i], p->beta[i + 1]);
                    if (isnan(edge))
                        continue;
                    static const double q[] = {1e-9, 1e-6, 1e-3, 0.02, 0.1, 0.25, 0.5, 0.75, 1.0};
                    const int nq = (int)(sizeof q / sizeof q[0]);
                    double prev_b = NAN, prev_d = NAN;
                    for (int k = 0; k < nq; k++) {
                        double bk = edge + (p->beta[ref] - edge) * q[k];
                        melt_ctx c = {p->model, p->beta[ref], {A->t1[ref], A->t2[ref]},
                                      {B->t1[ref], B->t2[ref]}, 0};
                        double dk = melt_fn(bk, &c);
                        if (c.failed)
                            continue;
                        if (!isnan(prev_d) && prev_d != 0 && (prev_d > 0) != (dk > 0)) {
                            double lo_b = fmin(prev_b, bk), hi_b = fmax(prev_b, bk);
                            double dlo = prev_b < bk ? prev_d : dk;
                            st = melt_root(p, a, b, ref, i, lo_b, hi_b, dlo);
                            if (st)
                                break;
                        }
                        prev_b = bk;
                        prev_d = dk;
                    }
                }
                if (st)
                    return st;
            }
    return HL_OK;
}

int hl_phases_compute(const hl_model *m, double beta_min, double beta_max,
                      int npoints, hl_phases **out)
{
    hl_gsl_quiet();
    if (!m || !out)
        return hl_fail(HL_EINVAL, "hl_phases_compute: NULL argument");
    *out = NULL;
    int st = check_beta(beta_min);
    if (!st)
        st = check_beta(beta_max);
    if (st)
        return st;
    if (!(beta_max > beta_min))
        return hl_fail(HL_EDOM, "beta range [%g, %g] is empty", beta_min,
                       beta_max);
    if (npoints < 2 || npoints > 10000000)
        return hl_fail(HL_EDOM, "number of beta points %d is outside [2, 1e7]",
                       npoints);
    hl_phases *p = calloc(1, sizeof *p);
    if (!p)
        return hl_fail(HL_ENOMEM, "out of memory");
    p->model = m;
    p->nbeta = npoints;
    p->beta = malloc(sizeof(double) * (size_t)npoints);
    if (!p->beta) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto fail;
    }
    for (int i = 0; i < npoints; i++)
        p->beta[i] = beta_min + (beta_max - beta_min) * i / (npoints - 1);
    p->beta[npoints - 1] = beta_max;

    /* global searches at a spread of betas, each new maximum is traced
     * both ways */
    int nscan = npoints < 101 ? npoints : 101;
    for (int k = 0; k < nscan; k++) {
        int i = (int)((long)k * (npoints - 1) / (nscan - 1));
        tpair list[MAX_MAXIMA];
        size_t n = find_maxima_t(m, p->beta[i], list, MAX_MAXIMA, &p->search_grid,
                                 &p->search_capped);
        if (n > MAX_MAXIMA) {
            st = hl_fail(HL_ERANGE,
                         "f = w - beta phi has %zu local maxima at beta = %g; at most %d "
                         "are traced (narrow the beta range or smooth phi)",
                         n, p->beta[i], MAX_MAXIMA);
            goto fail;
        }
        for (size_t q = 0; q < n; q++) {
            if (point_on_branch(p, i, list[q].t) >= 0)
                continue;
            int b = new_branch(p);
            if (b < 0) {
                st = hl_fail(HL_ENOMEM, "out of memory");
                goto fail;
            }
            p->br[b].t1[i] = list[q].t[0];
            p->br[b].t2[i] = list[q].t[1];
            p->br[b].exists[i] = 1;
            if (!trace(p, b, i, -1) || !trace(p, b, i, +1)) {
                st = hl_fail(HL_ENOMEM, "out of memory");
                goto fail;
            }
        }
    }
    for (int b = 0; b < p->nbranch; b++)
        for (int i = 0; i < p->nbeta; i++)
            if (p->br[b].exists[i])
                p->br[b].f[i] = f_value(m, p->beta[i], p->br[b].t1[i], p->br[b].t2[i]);
    st = name_branches(p);
    if (!st)
        st = find_meltings(p);
    if (st)
        goto fail;
    *out = p;
    return HL_OK;
fail:
    hl_phases_free(p);
    return st;
}

int hl_phases_beta_count(const hl_phases *p) { return p->nbeta; }
double hl_phases_beta(const hl_phases *p, int i) { return p->beta[i]; }
int hl_phases_branch_count(const hl_phases *p) { return p->nbranch; }

const char *hl_phases_branch_name(const hl_phases *p, int b)
{
    return (b >= 0 && b < p->nbranch) ? p->br[b].name : "";
}

int hl_phases_point(const hl_phases *p, int b, int i, hl_stationary *out)
{
    if (b < 0 || b >= p->nbranch || i < 0 || i >= p->nbeta)
        return hl_fail(HL_EINVAL, "branch %d or beta index %d out of range", b, i);
    if (!branch_point(p, b, i, out))
        return HL_ENOTFOUND;
    out->stable = stable_branch(p, i) == b;
    return HL_OK;
}

int hl_phases_fold_count(const hl_phases *p) { return p->nfold; }
int hl_phases_fold(const hl_phases *p, int k, hl_fold *out)
{
    if (k < 0 || k >= p->nfold)
        return hl_fail(HL_EINVAL, "fold %d out of range", k);
    *out = p->folds[k];
    return HL_OK;
}
int hl_phases_melting_count(const hl_phases *p) { return p->nmelt; }
int hl_phases_melting(const hl_phases *p, int k, hl_melting *out)
{
    if (k < 0 || k >= p->nmelt)
        return hl_fail(HL_EINVAL, "melting point %d out of range", k);
    *out = p->melts[k];
    return HL_OK;
}

int hl_phases_unresolved_count(const hl_phases *p) { return p->nunres; }

void hl_phases_search_grid(const hl_phases *p, int *points, int *capped)
{
    if (points)
        *points = p->search_grid;
    if (capped)
        *capped = p->search_capped;
}
int hl_phases_unresolved(const hl_phases *p, int k, hl_melting_unresolved *out)
{
    if (k < 0 || k >= p->nunres)
        return hl_fail(HL_EINVAL, "unresolved crossing %d out of range", k);
    *out = p->unres[k];
    return HL_OK;
}

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
    int st = check_beta(beta);
    if (st)
        return st;
    const int N = SADDLE_GRID, NN = (N + 1) * (N + 1);
    double lo[2], hi[2];
    search_box(m, beta, lo, hi);
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
    fill_f_grid(m, beta, lo, hi, N, fg);
    for (int id = 0; id < NN; id++) {
        nodes[id].f = fg[id];
        nodes[id].idx = id;
        par[id] = id;
    }
    free(fg);
    double t1[2], t2[2];
    to_t(m1, t1);
    to_t(m2, t2);
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
                local_eval e;
                if (newton(m, beta, t, 60, &e) && det2(e.J) < 0) {
                    fill_stationary(m, beta, t, saddle);
                    /* must lie below both maxima */
                    if (saddle->f <= m1->f + 1e-12 && saddle->f <= m2->f + 1e-12)
                        return HL_OK;
                }
            }
    return hl_fail(HL_ENOTFOUND, "the saddle between the two maxima could "
                                 "not be refined");
}
