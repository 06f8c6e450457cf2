/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_bifurcation.c -- what ends a branch of maxima of f = w - beta phi
 * for k blocks (hl_bfold.bifurcation, blocks_phases.h): a fold, a
 * pitchfork or another branch point.
 *
 * At the end (beta*, t*) the Hessian of f is singular.  At a fold no
 * stationary point continues the branch through beta* (rank [J | F_beta]
 * = k); at a branch point a smooth branch of stationary points passes
 * through (F_beta in the range of J) and its smallest eigenvalue changes
 * sign there.  The test: Newton at beta* -+ d and beta* -+ d/4 from t*
 * (d = 1e-4 (1 + beta*), then 1e-3); through a branch point the four
 * points lie on one smooth curve -- their distances scale linearly in d
 * (ratio 4 to 10%) and the eigenvalue nearest zero changes sign between
 * the two sides, again linearly; at a fold there is no stationary point
 * on one side within O(d) (the two branches meet as sqrt(beta* - beta)).
 * Through a branch point beta* is then the root of the cubic through the
 * four eigenvalues (the error estimated by the quadratic through three),
 * t* the cubic interpolant there: no solve at the singular point itself.
 * Pitchfork or not: the third derivative of f (in m, where the reduced
 * bifurcation equation's quadratic coefficient is coordinate-free) along
 * the null vector(s) vanishes (1e-5 of its scale) at a pitchfork. */
#include <math.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "blocks_thermo.h"

const char *hl_bend_name(int bifurcation)
{
    return bifurcation == HL_BEND_PITCHFORK      ? "pitchfork"
           : bifurcation == HL_BEND_BRANCH_POINT ? "branch-point"
                                                 : "fold";
}

/* Eigen-decomposition of K = diag(r) + beta C^1/2 Hphi C^1/2 at e:
 * eigenvalues ascending into lam, unit eigenvectors in the columns of vec
 * (k x k row-major).  0 on failure. */
static int k_eigen(const hl_blocks *b, double beta, const hl_bl_eval *e, double *lam,
                   double *vec)
{
    int k = e->k;
    double K[BK * BK];
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            K[i * k + j] = (i == j ? hl_blocks_fraction(b, i) : 0.0) +
                           beta * e->H[i * k + j] * sqrt(e->c[i] * e->c[j]);
    gsl_matrix_view A = gsl_matrix_view_array(K, (size_t)k, (size_t)k);
    gsl_vector *ev = gsl_vector_alloc((size_t)k);
    gsl_matrix *V = gsl_matrix_alloc((size_t)k, (size_t)k);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc((size_t)k);
    int ok = ev && V && w && gsl_eigen_symmv(&A.matrix, ev, V, w) == 0;
    if (ok) {
        gsl_eigen_symmv_sort(ev, V, GSL_EIGEN_SORT_VAL_ASC);
        for (int i = 0; i < k; i++) {
            lam[i] = gsl_vector_get(ev, (size_t)i);
            for (int j = 0; j < k; j++)
                vec[j * k + i] = gsl_matrix_get(V, (size_t)j, (size_t)i);
            ok &= isfinite(lam[i]);
        }
    }
    gsl_vector_free(ev);
    gsl_matrix_free(V);
    gsl_eigen_symmv_free(w);
    return ok;
}

/* The eigenvalue of K nearest zero at (beta, t); NaN on failure. */
static double lam_near_zero(const hl_blocks *b, double beta, const double *t)
{
    hl_bl_eval e;
    double lam[BK], vec[BK * BK];
    hl_bl_eval_at(b, beta, t, &e);
    if (!k_eigen(b, beta, &e, lam, vec))
        return NAN;
    double best = lam[0];
    for (int i = 1; i < e.k; i++)
        if (fabs(lam[i]) < fabs(best))
            best = lam[i];
    return best;
}

static double dist1(int k, const double *a, const double *c)
{
    double s = 0;
    for (int i = 0; i < k; i++)
        s += fabs(a[i] - c[i]);
    return s;
}

/* The third derivative of f (in m) along u at t: sum r_i h'''(m_i) u_i^3
 * - beta d/ds [u^T Hphi(m + s u) u] (central difference); *scale its
 * natural size (the same terms in absolute value, the phi part from the
 * Hessian's size over the step's length scale 1). */
static double cubic_along(const hl_blocks *b, double beta, const double *t, const double *u,
                          double *scale)
{
    int k = hl_blocks_k(b);
    double m[BK], c[BK], w3 = 0, w3a = 0, cmin = 1.0;
    for (int i = 0; i < k; i++) {
        m[i] = tanh(t[i]);
        double ch = cosh(t[i]);
        c[i] = isfinite(ch) ? 1.0 / (ch * ch) : 0.0;
        cmin = fmin(cmin, c[i]);
        double r = hl_blocks_fraction(b, i), u3 = u[i] * u[i] * u[i];
        if (c[i] > 0) {
            w3 += r * (-2.0 * m[i] / (c[i] * c[i])) * u3;
            w3a += r * (2.0 * fabs(m[i]) + 1.0) / (c[i] * c[i]) * fabs(u3);
        }
    }
    double eps = 1e-4 * fmax(cmin, 1e-8), q[2], qa = 0;
    for (int s = 0; s < 2; s++) {
        double mp[BK], g[BK], H[BK * BK];
        for (int i = 0; i < k; i++)
            mp[i] = m[i] + (s ? eps : -eps) * u[i];
        hl_blocks_phi_derivs(b, mp, g, H);
        q[s] = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) {
                q[s] += u[i] * H[i * k + j] * u[j];
                qa += fabs(u[i] * H[i * k + j] * u[j]);
            }
    }
    *scale = w3a + beta * 0.5 * qa;
    return w3 - beta * (q[1] - q[0]) / (2 * eps);
}

/* The root near x0 of the polynomial through (x[i], y[i]), i < n (n = 3
 * or 4), by Newton on its Newton form; NaN if none within the points. */
static double poly_root(int n, const double *x, const double *y, double x0)
{
    double dd[4];
    memcpy(dd, y, sizeof(double) * (size_t)n);
    for (int j = 1; j < n; j++)
        for (int i = n - 1; i >= j; i--)
            dd[i] = (dd[i] - dd[i - 1]) / (x[i] - x[i - j]);
    double z = x0, lo = x[0], hi = x[0];
    for (int i = 1; i < n; i++) {
        lo = fmin(lo, x[i]);
        hi = fmax(hi, x[i]);
    }
    for (int it = 0; it < 60; it++) {
        double p = dd[n - 1], dp = 0;
        for (int i = n - 2; i >= 0; i--) {
            dp = dp * (z - x[i]) + p;
            p = p * (z - x[i]) + dd[i];
        }
        if (!(dp != 0) || !isfinite(p))
            return NAN;
        double step = p / dp;
        z -= step;
        if (fabs(step) <= 1e-17 * (1 + fabs(z)))
            break;
    }
    return z >= lo && z <= hi ? z : NAN;
}

/* The value at z of the cubic through (x[i], y[i]), i < 4 (Lagrange). */
static double lagrange4(const double *x, const double *y, double z)
{
    double s = 0;
    for (int i = 0; i < 4; i++) {
        double l = 1;
        for (int j = 0; j < 4; j++)
            if (j != i)
                l *= (z - x[j]) / (x[i] - x[j]);
        s += l * y[i];
    }
    return s;
}

/* The branch of stationary points through (beta, t), if there is one:
 * 1 with *beta, t moved to the root of the eigenvalue nearest zero. */
static int through_branch(const hl_blocks *b, double *beta, double *t, double *err, double d,
                          int *max_side)
{
    int k = hl_blocks_k(b);
    double be = *beta, xs[4], lam[4], ts[4][BK];
    static const double off[4] = {-1.0, -0.25, 0.25, 1.0};
    for (int q = 0; q < 4; q++) {
        hl_bl_eval e;
        xs[q] = be + off[q] * d;
        if (!(xs[q] > 0))
            return 0;
        memcpy(ts[q], t, sizeof(double) * (size_t)k);
        if (!hl_bl_newton(b, xs[q], ts[q], 40, &e))
            return 0;
        hl_bl_polish(b, xs[q], ts[q]);
        lam[q] = lam_near_zero(b, xs[q], ts[q]);
        if (!isfinite(lam[q]))
            return 0;
    }
    /* one smooth curve: the distances (and the eigenvalue) linear in d */
    double scale = 1e-13 * (1.0 + dist1(k, t, (double[BK]){0}));
    double dout = dist1(k, ts[0], ts[3]), din = dist1(k, ts[1], ts[2]);
    if (dout > scale && !(dout >= 3.6 * din && dout <= 4.4 * din))
        return 0;
    if (dist1(k, ts[0], t) > 0.1 || dist1(k, ts[3], t) > 0.1)
        return 0;
    if (!(lam[0] * lam[3] < 0 && lam[1] * lam[2] < 0))
        return 0;
    double dl_out = fabs(lam[3] - lam[0]), dl_in = fabs(lam[2] - lam[1]);
    if (!(dl_out >= 3.6 * dl_in && dl_out <= 4.4 * dl_in))
        return 0;
    double root = poly_root(4, xs, lam, be), root3 = poly_root(3, xs + 1, lam + 1, be);
    if (!isfinite(root))
        return 0;
    for (int i = 0; i < k; i++) {
        double y[4] = {ts[0][i], ts[1][i], ts[2][i], ts[3][i]};
        t[i] = lagrange4(xs, y, root);
    }
    /* which side the branch through is a maximum on: +1 above, -1 below */
    hl_bl_eval e0, e3;
    hl_bl_eval_at(b, xs[0], ts[0], &e0);
    hl_bl_eval_at(b, xs[3], ts[3], &e3);
    *max_side = hl_bl_is_max(b, xs[3], &e3) ? 1 : hl_bl_is_max(b, xs[0], &e0) ? -1 : 0;
    *beta = root;
    *err = isfinite(root3) ? fmax(fabs(root - root3), 4e-16 * (1.0 + root)) : NAN;
    return 1;
}

void hl_bl_classify_end(const hl_blocks *b, double *t, hl_bfold *f, int located)
{
    int k = hl_blocks_k(b);
    double beta = f->beta, err = NAN;
    int through = 0, max_side = 0;
    for (int a = 0; a < 2 && !through; a++) {
        double bt = beta, tt[BK];
        memcpy(tt, t, sizeof(double) * (size_t)k);
        if (through_branch(b, &bt, tt, &err, (a ? 1e-3 : 1e-4) * (1.0 + beta),
                           &max_side)) {
            through = 1;
            beta = bt;
            memcpy(t, tt, sizeof(double) * (size_t)k);
        }
    }
    (void)located; /* a fold keeps its Newton location (no error estimate) */
    hl_bl_eval e;
    double lam[BK], vec[BK * BK];
    hl_bl_eval_at(b, beta, t, &e);
    f->beta = beta;
    for (int i = 0; i < k; i++)
        f->m[i] = e.m[i];
    f->beta_error = err;
    f->bifurcation = through ? HL_BEND_BRANCH_POINT : HL_BEND_FOLD;
    /* the branch is the one through if that is a maximum on its side */
    f->through = through && max_side == (f->birth ? 1 : -1);
    f->null_dims = 0;
    for (int i = 0; i < BK; i++)
        f->null_vector[i] = i < k ? 0.0 : NAN;
    if (!k_eigen(b, beta, &e, lam, vec))
        return;
    double big = 0;
    int near = 0;
    for (int i = 0; i < k; i++) {
        big = fmax(big, fabs(lam[i]));
        if (fabs(lam[i]) < fabs(lam[near]))
            near = i;
    }
    /* the null space: eigenvalues within 1e-6 of the largest (at least the
     * nearest one) */
    int nul[BK], nn = 0;
    for (int i = 0; i < k; i++)
        if (i == near || fabs(lam[i]) <= 1e-6 * big)
            nul[nn++] = i;
    f->null_dims = nn;
    /* null vectors of Hess_m f: u = C^1/2 v */
    double U[BK][BK];
    for (int q = 0; q < nn; q++) {
        double nrm = 0;
        for (int i = 0; i < k; i++) {
            U[q][i] = sqrt(e.c[i]) * vec[i * k + nul[q]];
            nrm += U[q][i] * U[q][i];
        }
        nrm = sqrt(nrm);
        for (int i = 0; i < k; i++)
            U[q][i] = nrm > 0 ? U[q][i] / nrm : 0.0;
    }
    int imax = 0;
    for (int i = 1; i < k; i++)
        if (fabs(U[0][i]) > fabs(U[0][imax]) + 1e-12)
            imax = i;
    double sg = U[0][imax] < 0 ? -1.0 : 1.0;
    for (int i = 0; i < k; i++)
        f->null_vector[i] = sg * U[0][i] + 0.0;
    if (!through)
        return;
    /* pitchfork: the cubic term vanishes along every null direction (the
     * null vectors, their pairwise sums and differences, and one generic
     * combination) */
    int pitch = 1;
    for (int q = 0; q < nn * nn + 1 && pitch; q++) {
        double u[BK] = {0}, nrm = 0;
        int a = q / nn, c = q % nn;
        for (int i = 0; i < k; i++) {
            if (q == nn * nn)
                for (int s = 0; s < nn; s++)
                    u[i] += (1.0 + 0.37 * s * s + 0.11 * s) * U[s][i];
            else if (a == c)
                u[i] = U[a][i];
            else
                u[i] = U[a][i] + (a < c ? 1.0 : -1.0) * U[c][i];
            nrm += u[i] * u[i];
        }
        nrm = sqrt(nrm);
        if (!(nrm > 0))
            continue;
        for (int i = 0; i < k; i++)
            u[i] /= nrm;
        double sc, c3 = cubic_along(b, beta, t, u, &sc);
        pitch = fabs(c3) <= 1e-5 * sc;
    }
    f->bifurcation = pitch ? HL_BEND_PITCHFORK : HL_BEND_BRANCH_POINT;
}
