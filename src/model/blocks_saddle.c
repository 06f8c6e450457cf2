/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_saddle.c -- for k blocks: the saddle of f between two maxima (the
 * mountain pass, from the graph of maxima joined through index-1
 * stationary points) and the Gaussian (eqs 5.7-5.8) around a maximum. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "blocks_thermo.h"

/* ------------------------------------------------------------- the saddle */

static int uf_find(int *par, int i)
{
    while (par[i] != i) {
        par[i] = par[par[i]];
        i = par[i];
    }
    return i;
}

/* the unstable direction of an index-1 point in t: C^-1/2 u, u the
 * eigenvector of K = diag(r) + beta C^1/2 Hphi C^1/2 of its negative
 * eigenvalue (K = -C^1/2 Hess_m f C^1/2) */
static int unstable_dir(const hl_blocks *b, double beta, const double *t, double *dir)
{
    int k = hl_blocks_k(b);
    hl_bl_eval e;
    hl_bl_eval_at(b, beta, t, &e);
    double K[BK * BK];
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            K[i * k + j] = (i == j ? hl_blocks_fraction(b, i) : 0.0) +
                           beta * e.H[i * k + j] * sqrt(e.c[i] * e.c[j]);
    gsl_matrix_view A = gsl_matrix_view_array(K, (size_t)k, (size_t)k);
    gsl_vector *ev = gsl_vector_alloc((size_t)k);
    gsl_matrix *V = gsl_matrix_alloc((size_t)k, (size_t)k);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc((size_t)k);
    int ok = 0;
    if (ev && V && w && gsl_eigen_symmv(&A.matrix, ev, V, w) == 0) {
        gsl_eigen_symmv_sort(ev, V, GSL_EIGEN_SORT_VAL_ASC);
        if (gsl_vector_get(ev, 0) < 0) {
            double n = 0;
            for (int i = 0; i < k; i++) {
                double c = e.c[i] > 1e-300 ? e.c[i] : 1e-300;
                dir[i] = gsl_matrix_get(V, (size_t)i, 0) / sqrt(c);
                n += dir[i] * dir[i];
            }
            n = sqrt(n);
            for (int i = 0; i < k; i++)
                dir[i] /= n;
            ok = n > 0 && isfinite(n);
        }
    }
    gsl_vector_free(ev);
    gsl_matrix_free(V);
    gsl_eigen_symmv_free(w);
    return ok;
}

/* which of the maxima (t) the point t is, -1 if none */
static int which_max(int k, const hl_bstat *all, size_t n, const double *t)
{
    for (size_t q = 0; q < n; q++)
        if (all[q].index == 0 && hl_bl_same(k, all[q].t, t))
            return (int)q;
    return -1;
}

/* follow the saddle s uphill on side sign: the maximum reached, -1 if none */
static int uphill(const hl_blocks *b, double beta, const hl_bstat *s, const double *dir,
                  double sign, const hl_bstat *all, size_t n)
{
    int k = hl_blocks_k(b);
    double scale = 1.0;
    for (int i = 0; i < k; i++)
        scale += fabs(s->t[i]);
    for (double eps = 1e-2 * scale; eps > 1e-9 * scale; eps *= 0.1) {
        double t[BK];
        for (int i = 0; i < k; i++)
            t[i] = s->t[i] + sign * eps * dir[i];
        if (!(hl_bl_f(b, beta, t) > s->f))
            continue;
        hl_bl_eval e;
        if (!hl_bl_ascend(b, beta, t, &e))
            return -1;
        return which_max(k, all, n, t);
    }
    return -1;
}

int hl_bl_pass_graph_build(const hl_blocks *b, double beta, hl_bl_pass_graph *g)
{
    memset(g, 0, sizeof *g);
    g->beta = beta;
    int k = hl_blocks_k(b);
    size_t n = 0;
    int st = hl_blocks_stationary_at(b, beta, NULL, 0, &n, NULL);
    if (st)
        return st;
    g->all = malloc(sizeof(hl_bstat) * (n ? n : 1));
    g->edge = malloc(sizeof(int) * 3 * (n ? n : 1));
    if (!g->all || !g->edge) {
        hl_bl_pass_graph_free(g);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    if ((st = hl_blocks_stationary_at(b, beta, g->all, n, &n, NULL))) {
        hl_bl_pass_graph_free(g);
        return st;
    }
    g->n = n;
    /* all is sorted by f, largest first, so the edges are too */
    for (size_t q = 0; q < n; q++) {
        if (g->all[q].index != 1)
            continue;
        double dir[BK];
        if (!unstable_dir(b, beta, g->all[q].t, dir))
            continue;
        int u = uphill(b, beta, &g->all[q], dir, +1.0, g->all, n);
        int v = uphill(b, beta, &g->all[q], dir, -1.0, g->all, n);
        if (u < 0 || v < 0 || u == v)
            continue;
        g->edge[3 * g->nedge] = u;
        g->edge[3 * g->nedge + 1] = v;
        g->edge[3 * g->nedge + 2] = (int)q;
        g->nedge++;
    }
    (void)k;
    return HL_OK;
}

void hl_bl_pass_graph_free(hl_bl_pass_graph *g)
{
    free(g->all);
    free(g->edge);
    memset(g, 0, sizeof *g);
}

int hl_bl_pass_query(const hl_blocks *b, const hl_bl_pass_graph *g, double beta,
                     const hl_bstat *a, const hl_bstat *c, hl_bstat *saddle)
{
    int k = hl_blocks_k(b);
    double ta[BK], tc[BK];
    hl_bl_eval e;
    memcpy(ta, a->t, sizeof ta);
    memcpy(tc, c->t, sizeof tc);
    hl_bl_newton(b, g->beta, ta, 30, &e);
    hl_bl_newton(b, g->beta, tc, 30, &e);
    int ia = which_max(k, g->all, g->n, ta), ic = which_max(k, g->all, g->n, tc);
    if (ia < 0 || ic < 0 || ia == ic)
        return hl_fail(HL_ENOTFOUND, ia == ic && ia >= 0
                                         ? "the two maxima are the same point"
                                         : "a maximum given is not a maximum of f at beta = %g",
                       beta);
    int *par = malloc(sizeof(int) * (g->n ? g->n : 1));
    if (!par)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (size_t q = 0; q < g->n; q++)
        par[q] = (int)q;
    int found = -1;
    for (int q = 0; q < g->nedge && found < 0; q++) {
        int ru = uf_find(par, g->edge[3 * q]), rv = uf_find(par, g->edge[3 * q + 1]);
        if (ru != rv)
            par[ru] = rv;
        if (uf_find(par, ia) == uf_find(par, ic))
            found = g->edge[3 * q + 2];
    }
    free(par);
    if (found < 0)
        return hl_fail(HL_ENOTFOUND, "no path between the two maxima found through the saddles "
                                     "of f at beta = %g", beta);
    if (beta == g->beta) {
        *saddle = g->all[found];
        return HL_OK;
    }
    /* the graph of a beta within 1e-12: the saddle moved by as little */
    double t[BK];
    memcpy(t, g->all[found].t, sizeof t);
    if (!hl_bl_newton(b, beta, t, 30, &e))
        return hl_fail(HL_ENOTFOUND, "the saddle could not be followed to beta = %g", beta);
    hl_bl_polish(b, beta, t);
    hl_blocks_stationary_fill(b, beta, t, saddle);
    return HL_OK;
}

int hl_blocks_saddle_between(const hl_blocks *b, double beta, const hl_bstat *a,
                             const hl_bstat *c, hl_bstat *saddle)
{
    if (!b || !a || !c || !saddle)
        return hl_fail(HL_EINVAL, "hl_blocks_saddle_between: NULL argument");
    hl_bl_pass_graph g;
    int st = hl_bl_pass_graph_build(b, beta, &g);
    if (st)
        return st;
    st = hl_bl_pass_query(b, &g, beta, a, c, saddle);
    hl_bl_pass_graph_free(&g);
    return st;
}

/* ----------------------------------------------------------- the Gaussian */

/* K = diag(frac) + beta S Hphi S = S (-Hess_m f) S (S = sech t) has a pivot
 * within round-off of 0 at the point t: is it a degenerate maximum of f
 * (f falls both ways along the null direction of the Hessian, every other
 * direction falls too) or not a maximum?  The message says which
 * (HL_EDOM). */
static int degenerate(const hl_blocks *b, double beta, const double *t, const double *K,
                      const double *S)
{
    int k = hl_blocks_k(b);
    double A[BK * BK];
    memcpy(A, K, sizeof(double) * (size_t)(k * k));
    gsl_matrix_view Av = gsl_matrix_view_array(A, (size_t)k, (size_t)k);
    gsl_vector *ev = gsl_vector_alloc((size_t)k);
    gsl_matrix *V = gsl_matrix_alloc((size_t)k, (size_t)k);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc((size_t)k);
    int verdict = -1; /* 1: degenerate maximum, 0: not a maximum, -1: unknown */
    if (ev && V && w && gsl_eigen_symmv(&Av.matrix, ev, V, w) == 0) {
        gsl_eigen_symmv_sort(ev, V, GSL_EIGEN_SORT_VAL_ASC);
        double scale = fabs(gsl_vector_get(ev, (size_t)k - 1)) + 1e-300;
        double tol = 64 * DBL_EPSILON * scale * k;
        int neg = 0, null = 0;
        for (int i = 0; i < k; i++) {
            double l = gsl_vector_get(ev, (size_t)i);
            neg += l < -tol;
            null += fabs(l) <= tol;
        }
        if (neg)
            verdict = 0;
        else if (null) {
            /* the null direction in m (v = S u), probed both ways: f must
             * fall beyond round-off of f itself */
            double v[BK], nv = 0, m0[BK];
            for (int i = 0; i < k; i++) {
                v[i] = S[i] * gsl_matrix_get(V, (size_t)i, 0);
                nv += v[i] * v[i];
                m0[i] = tanh(t[i]);
            }
            nv = sqrt(nv);
            double f0 = hl_bl_f(b, beta, t);
            int falls = nv > 0;
            for (int sgn = -1; sgn <= 1 && falls; sgn += 2)
                for (double s = 2e-2; s >= 1e-2 - 1e-18 && falls; s /= 2) {
                    double tt[BK];
                    for (int i = 0; i < k; i++) {
                        double mi = m0[i] + sgn * s * v[i] / nv;
                        mi = fmax(-1 + 1e-15, fmin(1 - 1e-15, mi));
                        tt[i] = atanh(mi);
                    }
                    double df = hl_bl_f(b, beta, tt) - f0;
                    if (!(df < -16 * DBL_EPSILON * (1 + fabs(f0))))
                        falls = 0;
                }
            verdict = falls;
        }
    }
    gsl_vector_free(ev);
    gsl_matrix_free(V);
    gsl_eigen_symmv_free(w);
    if (verdict == 1)
        return hl_fail(HL_EDOM, "the point given is a degenerate maximum of f at beta = %g (the "
                                "Hessian of f is singular there, f falls only at higher order: "
                                "no Gaussian)", beta);
    if (verdict == 0)
        return hl_fail(HL_EDOM, "the point given is not a maximum of f at beta = %g (the "
                                "Hessian of f is singular there and f does not fall along "
                                "every direction)", beta);
    return hl_fail(HL_EDOM, "the point given is not a maximum of f at beta = %g (the "
                            "Hessian of f is not negative definite)", beta);
}

int hl_blocks_gaussian(const hl_blocks *b, const hl_bstat *mx, double *E, double *cov,
                       double *e_xy)
{
    if (!b || !mx)
        return hl_fail(HL_EINVAL, "hl_blocks_gaussian: NULL argument");
    int k = hl_blocks_k(b);
    double beta = mx->beta, t[BK];
    int st = hl_bl_check_beta(beta);
    if (st)
        return st;
    memcpy(t, mx->t, sizeof t);
    /* polish: Newton steps while they keep shrinking (the last bits of t) */
    double prev = INFINITY;
    for (int it = 0; it < 6; it++) {
        hl_bl_eval e;
        hl_bl_eval_at(b, beta, t, &e);
        double dt[BK], nf[BK], len = 0, sc = 1;
        for (int i = 0; i < k; i++)
            nf[i] = -e.F[i];
        if (!hl_bl_solve(k, e.J, nf, dt))
            break;
        for (int i = 0; i < k; i++) {
            len += fabs(dt[i]);
            sc += fabs(t[i]);
        }
        if (!(len < prev) || len > 1e-6 * sc)
            break;
        for (int i = 0; i < k; i++)
            t[i] += dt[i];
        prev = len;
        if (len <= 1e-16 * sc)
            break;
    }
    double m[BK], g[BK], H[BK * BK], S[BK], ch2[BK];
    for (int i = 0; i < k; i++) {
        m[i] = tanh(t[i]);
        double ch = cosh(t[i]);
        S[i] = isfinite(ch) ? 1.0 / ch : 0.0;
        ch2[i] = ch * ch;
    }
    hl_blocks_phi_derivs(b, m, g, H);
    double K[BK * BK], L[BK * BK];
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            K[i * k + j] = (i == j ? hl_blocks_fraction(b, i) : 0.0) + beta * H[i * k + j] * S[i] * S[j];
    memcpy(L, K, sizeof(double) * (size_t)(k * k));
    /* a pivot within round-off of K's scale (its largest row sum) is 0:
     * the Hessian is singular there, a degenerate maximum or none */
    double kscale = 0;
    for (int i = 0; i < k; i++) {
        double r = 0;
        for (int j = 0; j < k; j++)
            r += fabs(K[i * k + j]);
        kscale = fmax(kscale, r);
    }
    double ptol = 64 * DBL_EPSILON * k * kscale;
    for (int j = 0; j < k; j++) {
        double d = L[j * k + j];
        for (int q = 0; q < j; q++)
            d -= L[j * k + q] * L[j * k + q];
        if (!(d > ptol)) {
            if (fabs(d) <= ptol)
                return degenerate(b, beta, t, K, S);
            return hl_fail(HL_EDOM, "the point given is not a maximum of f at beta = %g (the "
                                    "Hessian of f is not negative definite)", beta);
        }
        d = sqrt(d);
        L[j * k + j] = d;
        for (int i = j + 1; i < k; i++) {
            double s = L[i * k + j];
            for (int q = 0; q < j; q++)
                s -= L[i * k + q] * L[j * k + q];
            L[i * k + j] = s / d;
        }
    }
    double Dd = (double)hl_blocks_dim(b);
    if (E)
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                E[i * k + j] = 0.5 * ((i == j ? hl_blocks_fraction(b, i) * ch2[i] : 0.0) +
                                      beta * H[i * k + j]);
    if (cov) {
        double unit[BK], col[BK];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < k; i++)
                unit[i] = i == j;
            if (!hl_bl_solve(k, K, unit, col))
                return hl_fail(HL_EDOM, "the Hessian of f is singular at beta = %g", beta);
            for (int i = 0; i < k; i++)
                cov[i * k + j] = S[i] * col[i] * S[j] / Dd;
        }
        for (int i = 0; i < k; i++)
            for (int j = 0; j < i; j++)
                cov[i * k + j] = cov[j * k + i] = 0.5 * (cov[i * k + j] + cov[j * k + i]);
    }
    if (e_xy) {
        if (hl_blocks_is_paper_pair(b)) {
            double ess = 0.5 * (0.5 * ch2[0] + beta * H[0]), edd = 0.5 * (0.5 * ch2[1] + beta * H[3]);
            double esd = 0.5 * beta * H[1];
            e_xy[0] = ess + 2 * esd + edd;
            e_xy[1] = 2 * (ess - edd);
            e_xy[2] = ess - 2 * esd + edd;
        } else {
            e_xy[0] = e_xy[1] = e_xy[2] = NAN;
        }
    }
    return HL_OK;
}
