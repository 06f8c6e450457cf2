/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_local.c -- the local model of f = w - beta phi for k blocks in
 * t = atanh m (blocks_thermo.h): evaluation, Newton, ascent, the inertia of
 * the Hessian, continuation of a maximum in beta and the folds where it
 * ends.  The k-dimensional form of maxima.c, step for step (so that two
 * equal blocks give its numbers). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_vector.h>

#include "blocks_thermo.h"
#include "thermo_private.h"

void hl_bl_eval_at(const hl_blocks *b, double beta, const double *t, hl_bl_eval *e)
{
    int k = hl_blocks_k(b);
    e->k = k;
    for (int i = 0; i < k; i++) {
        e->m[i] = tanh(t[i]);
        double ch = cosh(t[i]);
        e->c[i] = isfinite(ch) ? 1.0 / (ch * ch) : 0.0;
    }
    e->phi = hl_blocks_phi_derivs(b, e->m, e->g, e->H);
    for (int i = 0; i < k; i++) {
        double r = hl_blocks_fraction(b, i);
        e->F[i] = -r * t[i] - beta * e->g[i];
        e->Fb[i] = -e->g[i];
        for (int j = 0; j < k; j++)
            e->J[i * k + j] = (i == j ? -r : 0.0) - beta * e->H[i * k + j] * e->c[j];
    }
}

double hl_bl_h_t(double t) { return hl_half_entropy_t(t); }

double hl_bl_f(const hl_blocks *b, double beta, const double *t)
{
    int k = hl_blocks_k(b);
    double m[BK], w = 0.0;
    for (int i = 0; i < k; i++) {
        m[i] = tanh(t[i]);
        w += hl_blocks_fraction(b, i) * hl_bl_h_t(t[i]);
    }
    return w - beta * hl_blocks_phi(b, m);
}

int hl_bl_solve(int n, const double *A, const double *rhs, double *x)
{
    double a[BK * BK], v[BK], scale[BK];
    memcpy(a, A, sizeof(double) * (size_t)(n * n));
    memcpy(v, rhs, sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) {
        scale[i] = 0;
        for (int j = 0; j < n; j++)
            scale[i] = fmax(scale[i], fabs(a[i * n + j]));
        if (!isfinite(scale[i]))
            return 0;
    }
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int i = c + 1; i < n; i++)
            if (fabs(a[i * n + c]) > fabs(a[p * n + c]))
                p = i;
        if (!(fabs(a[p * n + c]) > 1e-300 + 1e-15 * scale[p]))
            return 0;
        if (p != c) {
            for (int j = 0; j < n; j++) {
                double q = a[c * n + j];
                a[c * n + j] = a[p * n + j];
                a[p * n + j] = q;
            }
            double q = v[c];
            v[c] = v[p];
            v[p] = q;
            q = scale[c];
            scale[c] = scale[p];
            scale[p] = q;
        }
        for (int i = c + 1; i < n; i++) {
            double l = a[i * n + c] / a[c * n + c];
            if (l == 0)
                continue;
            for (int j = c; j < n; j++)
                a[i * n + j] -= l * a[c * n + j];
            v[i] -= l * v[c];
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = v[i];
        for (int j = i + 1; j < n; j++)
            s -= a[i * n + j] * x[j];
        x[i] = s / a[i * n + i];
        if (!isfinite(x[i]))
            return 0;
    }
    return 1;
}

int hl_bl_inverse(int n, const double *A, double *inv)
{
    double a[BK * BK], scale[BK];
    int perm[BK];
    memcpy(a, A, sizeof(double) * (size_t)(n * n));
    for (int i = 0; i < n; i++) {
        perm[i] = i;
        scale[i] = 0;
        for (int j = 0; j < n; j++)
            scale[i] = fmax(scale[i], fabs(a[i * n + j]));
        if (!isfinite(scale[i]))
            return 0;
    }
    /* LU with partial pivoting, rows permuted in place */
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int i = c + 1; i < n; i++)
            if (fabs(a[i * n + c]) > fabs(a[p * n + c]))
                p = i;
        if (!(fabs(a[p * n + c]) > 1e-300 + 1e-15 * scale[p]))
            return 0;
        if (p != c) {
            for (int j = 0; j < n; j++) {
                double q = a[c * n + j];
                a[c * n + j] = a[p * n + j];
                a[p * n + j] = q;
            }
            int q = perm[c];
            perm[c] = perm[p];
            perm[p] = q;
            double sq = scale[c];
            scale[c] = scale[p];
            scale[p] = sq;
        }
        for (int i = c + 1; i < n; i++) {
            double l = a[i * n + c] /= a[c * n + c];
            for (int j = c + 1; j < n; j++)
                a[i * n + j] -= l * a[c * n + j];
        }
    }
    /* column j of the inverse solves L U x = P e_j */
    for (int j = 0; j < n; j++) {
        double x[BK];
        for (int i = 0; i < n; i++) {
            double v = perm[i] == j ? 1.0 : 0.0;
            for (int q = 0; q < i; q++)
                v -= a[i * n + q] * x[q];
            x[i] = v;
        }
        for (int i = n - 1; i >= 0; i--) {
            double v = x[i];
            for (int q = i + 1; q < n; q++)
                v -= a[i * n + q] * x[q];
            x[i] = v / a[i * n + i];
            if (!isfinite(x[i]))
                return 0;
        }
        for (int i = 0; i < n; i++)
            inv[i * n + j] = x[i];
    }
    return 1;
}

/* K = diag(r) + beta C^1/2 Hphi C^1/2 = -C^1/2 Hess_m f C^1/2 */
static void k_matrix(const hl_blocks *b, double beta, const hl_bl_eval *e, double *K)
{
    int k = e->k;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            K[i * k + j] = (i == j ? hl_blocks_fraction(b, i) : 0.0) +
                           beta * e->H[i * k + j] * sqrt(e->c[i] * e->c[j]);
}

int hl_bl_is_max(const hl_blocks *b, double beta, const hl_bl_eval *e)
{
    int k = e->k;
    if (k == 2) {
        /* as maxima.c: det J > 0 and trace J < 0 */
        double det = e->J[0] * e->J[3] - e->J[1] * e->J[2];
        return det > 0 && e->J[0] + e->J[3] < 0;
    }
    double K[BK * BK];
    k_matrix(b, beta, e, K);
    /* Cholesky */
    for (int j = 0; j < k; j++) {
        double d = K[j * k + j];
        for (int q = 0; q < j; q++)
            d -= K[j * k + q] * K[j * k + q];
        if (!(d > 0))
            return 0;
        d = sqrt(d);
        K[j * k + j] = d;
        for (int i = j + 1; i < k; i++) {
            double s = K[i * k + j];
            for (int q = 0; q < j; q++)
                s -= K[i * k + q] * K[j * k + q];
            K[i * k + j] = s / d;
        }
    }
    return 1;
}

int hl_bl_index(const hl_blocks *b, double beta, const hl_bl_eval *e)
{
    int k = e->k;
    double K[BK * BK];
    k_matrix(b, beta, e, K);
    gsl_matrix_view A = gsl_matrix_view_array(K, (size_t)k, (size_t)k);
    gsl_vector *ev = gsl_vector_alloc((size_t)k);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc((size_t)k);
    int idx = -1;
    if (ev && w && gsl_eigen_symm(&A.matrix, ev, w) == GSL_SUCCESS) {
        double scale = 0;
        for (int i = 0; i < k; i++)
            scale = fmax(scale, fabs(gsl_vector_get(ev, i)));
        idx = 0;
        for (int i = 0; i < k; i++) {
            double l = gsl_vector_get(ev, i);
            if (fabs(l) <= 1e-13 * scale) {
                idx = -1;
                break;
            }
            if (l < 0)
                idx++;
        }
    }
    gsl_vector_free(ev);
    gsl_eigen_symm_free(w);
    return idx;
}

static int residual_small(int k, const double *F, const double *t)
{
    double tol = 1.0;
    for (int i = 0; i < k; i++)
        tol += fabs(t[i]);
    tol *= 1e-12;
    for (int i = 0; i < k; i++)
        if (!(fabs(F[i]) <= tol))
            return 0;
    return 1;
}

static double l1(int k, const double *v)
{
    double s = 0;
    for (int i = 0; i < k; i++)
        s += fabs(v[i]);
    return s;
}

/* Newton direction dt = -J^{-1} F (k = 2: Cramer as maxima.c) */
static int newton_dir(int k, const double *J, const double *F, double *dt)
{
    if (k == 2) {
        double det = J[0] * J[3] - J[1] * J[2];
        double scale = fabs(J[0] * J[3]) + fabs(J[1] * J[2]);
        if (!(fabs(det) > 1e-300 + 1e-15 * scale))
            return 0;
        dt[0] = -(J[3] * F[0] - J[1] * F[1]) / det;
        dt[1] = -(-J[2] * F[0] + J[0] * F[1]) / det;
        return 1;
    }
    double nf[BK];
    for (int i = 0; i < k; i++)
        nf[i] = -F[i];
    return hl_bl_solve(k, J, nf, dt);
}

int hl_bl_newton(const hl_blocks *b, double beta, double *t, int maxit, hl_bl_eval *e)
{
    int k = hl_blocks_k(b);
    for (int it = 0; it < maxit; it++) {
        hl_bl_eval_at(b, beta, t, e);
        for (int i = 0; i < k; i++)
            if (!isfinite(e->F[i]))
                return 0;
        if (residual_small(k, e->F, t))
            return 1;
        double dt[BK];
        if (!newton_dir(k, e->J, e->F, dt))
            return 0;
        double len = l1(k, dt), cap = 4.0 + 0.5 * l1(k, t);
        if (len > cap)
            for (int i = 0; i < k; i++)
                dt[i] *= cap / len;
        for (int i = 0; i < k; i++)
            t[i] += dt[i];
    }
    hl_bl_eval_at(b, beta, t, e);
    return residual_small(k, e->F, t);
}

void hl_bl_polish(const hl_blocks *b, double beta, double *t)
{
    int k = hl_blocks_k(b);
    double prev = INFINITY;
    for (int it = 0; it < 6; it++) {
        hl_bl_eval e;
        double dt[BK], sc = 1.0 + l1(k, t);
        hl_bl_eval_at(b, beta, t, &e);
        if (!newton_dir(k, e.J, e.F, dt))
            return;
        double len = l1(k, dt);
        if (!(len < prev) || len > 1e-6 * sc)
            return;
        for (int i = 0; i < k; i++)
            t[i] += dt[i];
        prev = len;
        if (len <= 1e-16 * sc)
            return;
    }
}

/* max_i |F_i| */
static double residual(int k, const double *F)
{
    double r = 0;
    for (int i = 0; i < k; i++)
        r = fmax(r, fabs(F[i]));
    return r;
}

void hl_bl_settle(const hl_blocks *b, double beta, double *t)
{
    int k = hl_blocks_k(b);
    hl_bl_eval e;
    hl_bl_eval_at(b, beta, t, &e);
    double r0 = residual(k, e.F), t0[BK];
    if (!hl_bl_is_max(b, beta, &e))
        return;
    memcpy(t0, t, sizeof(double) * (size_t)k);
    for (int it = 0; it < 8 && r0 > 0; it++) {
        double dt[BK], tn[BK];
        if (!newton_dir(k, e.J, e.F, dt))
            break;
        for (int i = 0; i < k; i++)
            tn[i] = t[i] + dt[i];
        hl_bl_eval en;
        hl_bl_eval_at(b, beta, tn, &en);
        double r1 = residual(k, en.F);
        if (!(r1 < r0))
            break;
        memcpy(t, tn, sizeof(double) * (size_t)k);
        e = en;
        r0 = r1;
    }
    /* kept only if still a maximum, and near where it started (the
     * residual was 1e-12: Newton does not leave the point's root) */
    double moved = 0;
    for (int i = 0; i < k; i++)
        moved += fabs(t[i] - t0[i]);
    if (!hl_bl_is_max(b, beta, &e) || !(moved <= 1e-3 * (1.0 + l1(k, t0))))
        memcpy(t, t0, sizeof(double) * (size_t)k);
}

int hl_bl_ascend(const hl_blocks *b, double beta, double *t, hl_bl_eval *e)
{
    int k = hl_blocks_k(b);
    for (int it = 0; it < 500; it++) {
        hl_bl_eval_at(b, beta, t, e);
        if (residual_small(k, e->F, t))
            return hl_bl_is_max(b, beta, e);
        double dt[BK];
        int nd = hl_bl_is_max(b, beta, e) && newton_dir(k, e->J, e->F, dt);
        if (!nd) {
            for (int i = 0; i < k; i++)
                dt[i] = e->F[i] * e->c[i];
            double len = l1(k, dt);
            if (!(len > 0))
                return 0;
            for (int i = 0; i < k; i++)
                dt[i] /= len;
        }
        double len = l1(k, dt), cap = 4.0 + 0.5 * l1(k, t);
        if (len > cap)
            for (int i = 0; i < k; i++)
                dt[i] *= cap / len;
        if (nd && len < 0.05)
            return hl_bl_newton(b, beta, t, 30, e) && hl_bl_is_max(b, beta, e);
        double f0 = hl_bl_f(b, beta, t), lam = 1.0, n[BK];
        int moved = 0;
        for (int q = 0; q < 60; q++, lam *= 0.5) {
            for (int i = 0; i < k; i++)
                n[i] = t[i] + lam * dt[i];
            if (hl_bl_f(b, beta, n) > f0) {
                memcpy(t, n, sizeof(double) * (size_t)k);
                moved = 1;
                break;
            }
        }
        if (!moved)
            return hl_bl_newton(b, beta, t, 20, e) && hl_bl_is_max(b, beta, e);
    }
    return 0;
}

int hl_bl_same(int k, const double *a, const double *c)
{
    double tol = 1e-6 * (1.0 + (k > 0 ? fabs(a[0]) : 0) + (k > 1 ? fabs(a[1]) : 0));
    if (k > 2)
        tol = 1e-6 * (1.0 + l1(k, a));
    for (int i = 0; i < k; i++)
        if (!(fabs(a[i] - c[i]) <= tol))
            return 0;
    return 1;
}

int hl_bl_check_beta(double beta)
{
    if (!isfinite(beta) || !(beta > 0))
        return hl_fail(HL_EDOM, "beta = %g is not a positive finite number", beta);
    if (beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is too large (at most 1e6)", beta);
    return HL_OK;
}

int hl_bl_continue(const hl_blocks *b, double b0, double b1, double *t, double *b_last)
{
    int k = hl_blocks_k(b);
    double cur = b0, h = b1 - b0, sub = h, tc[BK];
    memcpy(tc, t, sizeof(double) * (size_t)k);
    hl_bl_eval e, en;
    hl_bl_eval_at(b, cur, tc, &e);
    while (cur != b1) {
        double bn = cur + sub;
        if ((h > 0 && bn > b1) || (h < 0 && bn < b1))
            bn = b1;
        double step = bn - cur, slope[BK], tp[BK], tn[BK];
        if (!newton_dir(k, e.J, e.Fb, slope))
            for (int i = 0; i < k; i++)
                slope[i] = 0;
        for (int i = 0; i < k; i++)
            tn[i] = tp[i] = tc[i] + step * slope[i];
        int ok = hl_bl_newton(b, bn, tn, 12, &en) && hl_bl_is_max(b, bn, &en);
        if (ok) {
            double pred = 0, corr = 0;
            for (int i = 0; i < k; i++) {
                pred += fabs(tp[i] - tc[i]);
                corr += fabs(tn[i] - tp[i]);
            }
            if (corr > 0.3 * pred + 1e-3 * (1 + l1(k, tc)))
                ok = 0; /* jumped to another branch */
        }
        if (ok) {
            cur = bn;
            memcpy(tc, tn, sizeof(double) * (size_t)k);
            e = en;
            sub = (fabs(sub * 2) < fabs(h)) ? sub * 2 : h;
        } else {
            sub *= 0.5;
            if (fabs(sub) < 1e-11 * (1.0 + fabs(cur))) {
                memcpy(t, tc, sizeof(double) * (size_t)k);
                *b_last = cur;
                return 0;
            }
        }
    }
    memcpy(t, tc, sizeof(double) * (size_t)k);
    *b_last = b1;
    return 1;
}

/* det J by elimination (k = 2: as maxima.c) */
static double det_j(int k, const double *J)
{
    if (k == 2)
        return J[0] * J[3] - J[1] * J[2];
    double a[BK * BK], det = 1.0;
    memcpy(a, J, sizeof(double) * (size_t)(k * k));
    for (int c = 0; c < k; c++) {
        int p = c;
        for (int i = c + 1; i < k; i++)
            if (fabs(a[i * k + c]) > fabs(a[p * k + c]))
                p = i;
        if (a[p * k + c] == 0)
            return 0.0;
        if (p != c) {
            for (int j = 0; j < k; j++) {
                double q = a[c * k + j];
                a[c * k + j] = a[p * k + j];
                a[p * k + j] = q;
            }
            det = -det;
        }
        det *= a[c * k + c];
        for (int i = c + 1; i < k; i++) {
            double l = a[i * k + c] / a[c * k + c];
            for (int j = c; j < k; j++)
                a[i * k + j] -= l * a[c * k + j];
        }
    }
    return det;
}

static int fold_fn(const gsl_vector *v, void *p, gsl_vector *r)
{
    const hl_blocks *b = p;
    int k = hl_blocks_k(b);
    double t[BK] = {0};
    for (int i = 0; i < k; i++)
        t[i] = gsl_vector_get(v, (size_t)i);
    hl_bl_eval e;
    hl_bl_eval_at(b, gsl_vector_get(v, (size_t)k), t, &e);
    double det = det_j(k, e.J);
    for (int i = 0; i < k; i++) {
        gsl_vector_set(r, (size_t)i, e.F[i]);
        if (!isfinite(e.F[i]))
            return GSL_EBADFUNC;
    }
    gsl_vector_set(r, (size_t)k, det);
    return isfinite(det) ? GSL_SUCCESS : GSL_EBADFUNC;
}

int hl_bl_refine_fold(const hl_blocks *b, double *t, double *beta)
{
    int k = hl_blocks_k(b);
    gsl_multiroot_function F = {fold_fn, (size_t)k + 1, (void *)b};
    gsl_vector *v = gsl_vector_alloc((size_t)k + 1);
    gsl_multiroot_fsolver *s =
        gsl_multiroot_fsolver_alloc(gsl_multiroot_fsolver_hybrids, (size_t)k + 1);
    int ok = 0;
    if (v && s) {
        for (int i = 0; i < k; i++)
            gsl_vector_set(v, (size_t)i, t[i]);
        gsl_vector_set(v, (size_t)k, *beta);
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
            double nb = gsl_vector_get(s->x, (size_t)k), dist = 0;
            for (int i = 0; i < k; i++)
                dist += fabs(gsl_vector_get(s->x, (size_t)i) - t[i]);
            if (fabs(nb - *beta) < 1e-4 * (1 + fabs(*beta)) && dist < 0.5) {
                for (int i = 0; i < k; i++)
                    t[i] = gsl_vector_get(s->x, (size_t)i);
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

/* c = -beta^2 g . diag(c) J^{-1} g (hl_heat_capacity_local in k dims),
 * *ln_c its log (hl_heat_capacity_from) */
static double heat_capacity(const hl_bl_eval *e, double beta, const double *t, double *ln_c)
{
    int k = e->k;
    *ln_c = NAN;
    double v[BK];
    if (k == 2) {
        const double *J = e->J;
        double det = J[0] * J[3] - J[1] * J[2];
        double scale = fabs(J[0] * J[3]) + fabs(J[1] * J[2]);
        if (!(fabs(det) > 1e-300 + 1e-15 * scale))
            return NAN;
        v[0] = (J[3] * e->g[0] - J[1] * e->g[1]) / det;
        v[1] = (-J[2] * e->g[0] + J[0] * e->g[1]) / det;
    } else if (!hl_bl_solve(k, e->J, e->g, v)) {
        return NAN;
    }
    double a[BK];
    for (int i = 0; i < k; i++)
        a[i] = e->g[i] * v[i];
    return hl_heat_capacity_sech(beta, k, a, t, ln_c);
}

void hl_blocks_stationary_fill(const hl_blocks *b, double beta, const double *t, hl_bstat *out)
{
    int k = hl_blocks_k(b);
    hl_bl_eval e;
    hl_bl_eval_at(b, beta, t, &e);
    memset(out, 0, sizeof *out);
    out->beta = beta;
    double w = 0, lw = -INFINITY;
    for (int i = 0; i < k; i++) {
        out->m[i] = e.m[i];
        out->t[i] = t[i];
        w += hl_blocks_fraction(b, i) * hl_bl_h_t(t[i]);
        lw = hl_lse(lw, log(hl_blocks_fraction(b, i)) + hl_ln_half_entropy_t(t[i]));
    }
    out->ln_w = lw;
    if (hl_blocks_is_paper_pair(b)) {
        out->x = 0.5 * (e.m[0] + e.m[1]);
        out->y = 0.5 * (e.m[0] - e.m[1]);
    } else {
        out->x = out->y = NAN;
    }
    out->phi = e.phi;
    out->w = w;
    out->f = w - beta * e.phi;
    out->index = hl_bl_is_max(b, beta, &e) ? 0 : hl_bl_index(b, beta, &e);
    out->branch = -1;
    out->stable = 0;
    out->heat_capacity = heat_capacity(&e, beta, t, &out->ln_heat_capacity);
}
