/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lowtemp_core.c -- where a branch of maxima of f = w - beta phi goes as
 * T -> 0 (a vertex, a face or an interior point of [-1, 1]^k, with the
 * residual entropy and lim c/T there), and the Kauzmann-like point where
 * the supercooled liquid's w falls to the crystal's, for any number k of
 * order parameters (lowtemp_core.h).  Derivations: docs/heat_capacity.md,
 * sections 3 and 4.
 *
 * A maximum obeys t_i = atanh u_i = -(beta / r_i) phi_i (r_i the weight of
 * u_i in w): a coordinate whose phi_i stays away from 0 runs to a face
 * (|t_i| grows like beta); the others converge to a minimum of phi on that
 * face, x* + T [phi'']^{-1} grad w + O(T^2). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "blocks_thermo.h"
#include "lowtemp_core.h"

#define K HL_LT_MAX

double hl_lt_probe_beta(double G, double beta_max)
{
    double b = G > 0 ? 1e3 / G : 2.5e5;
    b = fmax(b, 2 * beta_max);
    return fmin(b, 2.5e5);
}

/* 1 if the n x n symmetric A is positive definite (Cholesky). */
static int pos_def(int n, const double *A)
{
    double L[K * K];
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double s = A[i * n + j];
            for (int q = 0; q < j; q++)
                s -= L[i * n + q] * L[j * n + q];
            if (i == j) {
                if (!(s > 0))
                    return 0;
                L[i * n + i] = sqrt(s);
            } else {
                L[i * n + j] = s / L[j * n + j];
            }
        }
    return 1;
}

/* The free rows and columns of H (k x k) and of g: n = number free. */
static int restrict_free(int k, const int *free_, const double *g, const double *H, double *gf,
                         double *Hf)
{
    int n = 0, idx[K];
    for (int i = 0; i < k; i++)
        if (free_[i])
            idx[n++] = i;
    for (int a = 0; a < n; a++) {
        if (gf)
            gf[a] = g[idx[a]];
        for (int b = 0; b < n; b++)
            Hf[a * n + b] = H[idx[a] * k + idx[b]];
    }
    return n;
}

/* Newton for grad phi = 0 over the free coordinates at the pinned values of
 * u; 1 on convergence. */
static int face_minimum(const hl_lt_model *m, double *u, const int *free_)
{
    int k = m->k;
    for (int it = 0; it < 60; it++) {
        double g[K], H[K * K], ph, gf[K], Hf[K * K], du[K];
        m->phi_u(m->ctx, u, g, H, &ph);
        double scale = 1;
        for (int i = 0; i < k; i++)
            scale += fabs(g[i]) + fabs(H[i * k + i]);
        scale *= 1e-13;
        int done = 1;
        for (int i = 0; i < k; i++)
            if (free_[i] && !(fabs(g[i]) <= scale))
                done = 0;
        if (done)
            return 1;
        int n = restrict_free(k, free_, g, H, gf, Hf);
        if (!hl_bl_solve(n, Hf, gf, du))
            return 0;
        for (int i = 0, a = 0; i < k; i++) {
            if (!free_[i])
                continue;
            u[i] -= du[a++];
            if (!(fabs(u[i]) < 1))
                return 0;
        }
    }
    return 0;
}

/* Continue in steps of at most 10% in beta: one long step lets the
 * corrector land on another maximum, as the coordinates running to a face
 * (t growing like beta) swamp the jump test of the continuation (a free
 * coordinate moved from a minimum of phi inside to the face past a
 * maximum of phi). */
static int cont_steps(const hl_lt_model *m, double from, double to, double *t, double *bl)
{
    double b = from;
    while (b < to) {
        double next = fmin(to, b * 1.1);
        if (!m->cont(m->ctx, b, next, t, bl))
            return 0;
        b = next;
    }
    *bl = to;
    return 1;
}

static void lt_none(hl_lt_end *e, const char *fmt, double v)
{
    e->kind = HL_LT_NONE;
    e->phi = e->residual_entropy = e->c_over_T = NAN;
    for (int i = 0; i < K; i++)
        e->u[i] = NAN;
    snprintf(e->reason, sizeof e->reason, fmt, v);
}

/* branch, birth and beta of record q of folds (as hl_lt_death_beta);
 * returns the record */
static const char *end_record(const void *folds, int q, size_t stride, size_t off_branch,
                              size_t off_birth, size_t off_beta, int *br, int *birth,
                              double *beta)
{
    const char *f = (const char *)folds + (size_t)q * stride;
    memcpy(br, f + off_branch, sizeof *br);
    memcpy(birth, f + off_birth, sizeof *birth);
    memcpy(beta, f + off_beta, sizeof *beta);
    return f;
}

double hl_lt_death_beta(const void *folds, int nfold, size_t stride, size_t off_branch,
                        size_t off_birth, size_t off_beta, int b, const unsigned char *exists,
                        const double *grid, int nbeta)
{
    double bf = NAN;
    for (int q = 0; q < nfold; q++) {
        int br, birth;
        double beta;
        end_record(folds, q, stride, off_branch, off_birth, off_beta, &br, &birth, &beta);
        if (br == b && !birth)
            bf = isnan(bf) ? beta : fmax(bf, beta);
    }
    if (isnan(bf)) {
        int i = nbeta - 1;
        while (i > 0 && !exists[i])
            i--;
        bf = grid[i];
    }
    return bf;
}

void hl_lt_end_at_fold(hl_lt_end *e, double bf)
{
    memset(e, 0, sizeof *e);
    e->beta_probe = e->w_probe = e->c_over_T_probe = NAN;
    lt_none(e, "the branch ends at a fold (spinodal) at beta = %.10g before T -> 0", bf);
}

void hl_lt_end_at_bifurcation(hl_lt_end *e, const void *folds, int nfold, size_t stride,
                              size_t off_branch, size_t off_birth, size_t off_beta,
                              size_t off_bif, size_t off_through, int b)
{
    int last = -1, bif = HL_BEND_FOLD, through = 0;
    double bl = -INFINITY;
    for (int q = 0; q < nfold; q++) {
        int br, birth;
        double beta;
        const char *f = end_record(folds, q, stride, off_branch, off_birth, off_beta, &br,
                                   &birth, &beta);
        if (br != b || birth || !(beta > bl))
            continue;
        last = q;
        bl = beta;
        memcpy(&bif, f + off_bif, sizeof bif);
        memcpy(&through, f + off_through, sizeof through);
    }
    if (last < 0 || bif == HL_BEND_FOLD)
        return;
    snprintf(e->reason, sizeof e->reason,
             "the branch stops being a maximum at a %s at beta = %.10g (%s) before T -> 0",
             hl_bend_name(bif), bl,
             through ? "it goes on as a saddle" : "it merges into another branch");
}

void hl_lt_t0_end(const hl_lt_model *m, double beta_last, const double *t_last, double b1,
                  hl_lt_end *e)
{
    memset(e, 0, sizeof *e);
    e->beta_probe = e->w_probe = e->c_over_T_probe = NAN;
    int k = m->k;
    double b2 = 2 * b1, bl;
    double t1[K], t2[K];
    memcpy(t1, t_last, sizeof(double) * (size_t)k);
    for (int leg = 0; leg < 2; leg++) {
        double *t = leg ? t2 : t1, from = leg ? b1 : beta_last, to = leg ? b2 : b1;
        if (leg)
            memcpy(t2, t1, sizeof(double) * (size_t)k);
        if (!cont_steps(m, from, to, t, &bl)) {
            double bf = bl, tf[K];
            memcpy(tf, t, sizeof(double) * (size_t)k);
            if (m->refine_fold(m->ctx, tf, &bf))
                lt_none(e, "the branch ends at a fold (spinodal) at beta = %.10g, beyond the "
                           "range", bf);
            else
                lt_none(e, "the branch could not be followed beyond beta = %.6g (Newton "
                           "stopped converging there; no fold confirmed), so its T -> 0 end "
                           "is not known", bl);
            return;
        }
    }
    e->beta_probe = b2;
    e->w_probe = m->w_t(m->ctx, t2);
    e->c_over_T_probe = m->heat_capacity(m->ctx, b2, t2) * b2;
    /* classify each coordinate: pinned on a face or free */
    int free_[K], nfree = 0;
    double u[K], u0[K];
    for (int i = 0; i < k; i++) {
        double dt = fabs(t2[i] - t1[i]);
        if (dt > 1) {
            free_[i] = 0;
            u[i] = t2[i] > 0 ? 1 : -1;
        } else if (dt < 0.1) {
            free_[i] = 1;
            u[i] = tanh(t2[i]);
            nfree++;
        } else {
            lt_none(e, "cannot tell whether the branch ends on a face: atanh of a coordinate "
                       "moves by %.3g between beta1 and 2 beta1 (pinned > 1, free < 0.1)",
                    dt);
            return;
        }
        u0[i] = u[i];
    }
    if (nfree && !face_minimum(m, u, free_)) {
        lt_none(e, "Newton for the minimum of phi on the face where the branch ends did "
                   "not converge", 0);
        return;
    }
    double dist = 0, far = 0;
    for (int i = 0; i < k; i++) {
        dist += fabs(u[i] - u0[i]);
        far = fmax(far, fabs(u[i] - u0[i]));
    }
    if (far > 1e-2) {
        lt_none(e, "the minimum of phi on the face is %.3g away from the branch at the "
                   "probe beta", dist);
        return;
    }
    double g[K], H[K * K], ph, wu[K];
    m->phi_u(m->ctx, u, g, H, &ph);
    e->kind = nfree == k ? HL_LT_INTERIOR : nfree ? HL_LT_BOUNDARY : HL_LT_VERTEX;
    e->free_dims = nfree;
    memcpy(e->u, u, sizeof(double) * (size_t)k);
    e->phi = ph;
    e->residual_entropy = 0;
    for (int i = 0, a = 0; i < k; i++)
        if (free_[i])
            e->residual_entropy += m->w_share(m->ctx, i, u[i], &wu[a++]);
    /* lim c/T = grad w^T [phi'']^{-1} grad w over the free coordinates; 0 at
     * a vertex (c vanishes like exp(-4 beta |phi_u|)) */
    e->c_over_T = 0;
    if (nfree) {
        double Hf[K * K], x[K];
        int n = restrict_free(k, free_, g, H, NULL, Hf);
        if (pos_def(n, Hf) && hl_bl_solve(n, Hf, wu, x)) {
            double s = 0;
            for (int a = 0; a < n; a++)
                s += wu[a] * x[a];
            e->c_over_T = s;
        } else {
            e->c_over_T = NAN;
            snprintf(e->reason, sizeof e->reason,
                     "the minimum of phi on the face is not quadratic (its Hessian is not "
                     "positive definite): c/T has no finite limit given here");
        }
    }
}

/* ------------------------------------------------------------ Kauzmann */

typedef struct {
    const hl_lt_model *m;
    double b0;
    const double *tl, *tc;
    int failed;
} kz_ctx;

/* w_liquid - w_crystal at beta, both continued from b0; 0 (and failed) if
 * one cannot be continued */
static double kz_gap(const hl_lt_model *m, double b0, double beta, const double *tl,
                     const double *tc, double *nl, double *nc, int *failed)
{
    double bl;
    memcpy(nl, tl, sizeof(double) * (size_t)m->k);
    memcpy(nc, tc, sizeof(double) * (size_t)m->k);
    if (!m->cont(m->ctx, b0, beta, nl, &bl) || !m->cont(m->ctx, b0, beta, nc, &bl)) {
        *failed = 1;
        return 0;
    }
    return m->w_t(m->ctx, nl) - m->w_t(m->ctx, nc);
}

static double kz_fn(double beta, void *vp)
{
    kz_ctx *c = vp;
    double nl[K], nc[K];
    return kz_gap(c->m, c->b0, beta, c->tl, c->tc, nl, nc, &c->failed);
}

static void kauzmann_no_branch(hl_lt_kauzmann *k, int no_liquid)
{
    memset(k, 0, sizeof *k);
    k->beta = NAN;
    snprintf(k->reason, sizeof k->reason, "there is no %s branch",
             no_liquid ? "liquid" : "crystal");
}

static void kauzmann_no_melting(hl_lt_kauzmann *k)
{
    memset(k, 0, sizeof *k);
    k->beta = NAN;
    snprintf(k->reason, sizeof k->reason,
             "the liquid and crystal branches have no melting point in the range, so "
             "there is no supercooled liquid");
}

/* Brent on w_liquid - w_crystal in [lo, hi] from the maxima at lo; 1 with
 * the root and both maxima there */
static int kz_root(const hl_lt_model *m, double lo, double hi, const double *tl,
                   const double *tc, hl_lt_kauzmann *k)
{
    kz_ctx c = {m, lo, tl, tc, 0};
    gsl_function F = {kz_fn, &c};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    int ok = 0;
    if (s && gsl_root_fsolver_set(s, &F, lo, hi) == GSL_SUCCESS && !c.failed) {
        for (int it = 0; it < 200 && !c.failed; it++) {
            if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
                break;
            if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                       0, 1e-13) == GSL_SUCCESS) {
                ok = !c.failed;
                break;
            }
        }
    }
    double root = s ? gsl_root_fsolver_root(s) : NAN;
    gsl_root_fsolver_free(s);
    if (!ok)
        return 0;
    int failed = 0;
    kz_gap(m, lo, root, tl, tc, k->tl, k->tc, &failed);
    k->beta = root;
    return 1;
}

static void kauzmann_find(const hl_lt_model *m, const double *grid, int nbeta, double beta_m,
                          const double *tl0, const double *tc0, double stop, hl_lt_kauzmann *k)
{
    memset(k, 0, sizeof *k);
    k->beta = NAN;
    int n = m->k;
    double beta = beta_m, tl[K], tc[K];
    memcpy(tl, tl0, sizeof(double) * (size_t)n);
    memcpy(tc, tc0, sizeof(double) * (size_t)n);
    /* betas: the grid above beta_m, then steps of 1.1 up to the T -> 0 probe */
    int i = 0;
    while (i < nbeta && grid[i] <= beta)
        i++;
    for (int steps = 0; steps < 100000 && beta < stop; steps++) {
        double next = i < nbeta ? grid[i++] : fmin(stop, beta * 1.1);
        double nl[K], nc[K], bl;
        memcpy(nl, tl, sizeof(double) * (size_t)n);
        memcpy(nc, tc, sizeof(double) * (size_t)n);
        if (!m->cont(m->ctx, beta, next, nl, &bl)) {
            snprintf(k->reason, sizeof k->reason,
                     "the supercooled liquid ends at a fold near beta = %.10g with its w still "
                     "above the crystal's", bl);
            return;
        }
        if (!m->cont(m->ctx, beta, next, nc, &bl)) {
            snprintf(k->reason, sizeof k->reason,
                     "the crystal branch ends at a fold near beta = %.10g with the liquid's w "
                     "still above its own", bl);
            return;
        }
        double wl = m->w_t(m->ctx, nl), wc = m->w_t(m->ctx, nc);
        if (wl - wc <= 0 && wl > 1e-280 && wc > 1e-280) {
            if (!kz_root(m, beta, next, tl, tc, k))
                snprintf(k->reason, sizeof k->reason,
                         "w_liquid - w_crystal changes sign in beta in [%.10g, %.10g] but "
                         "Brent's method did not converge", beta, next);
            else
                k->found = 1;
            return;
        }
        if (wl < 1e-280 || wc < 1e-280) {
            snprintf(k->reason, sizeof k->reason,
                     "w_liquid > w_crystal from the melting point down to T = %.6g, where "
                     "w falls below 1e-280", 1 / next);
            return;
        }
        beta = next;
        memcpy(tl, nl, sizeof(double) * (size_t)n);
        memcpy(tc, nc, sizeof(double) * (size_t)n);
    }
    snprintf(k->reason, sizeof k->reason,
             "w_liquid > w_crystal from the melting point down to T = %.6g (the T -> 0 probe); "
             "see t0_end for their limits", 1 / beta);
}

int hl_lt_first_melting(const void *melts, int n, size_t stride, size_t off_a, size_t off_b,
                        size_t off_beta, int L, int C)
{
    int best = -1;
    double bbest = 0;
    for (int q = 0; L >= 0 && C >= 0 && q < n; q++) {
        const char *r = (const char *)melts + (size_t)q * stride;
        int a, b;
        double beta;
        memcpy(&a, r + off_a, sizeof a);
        memcpy(&b, r + off_b, sizeof b);
        memcpy(&beta, r + off_beta, sizeof beta);
        if (a == L && b == C && (best < 0 || beta < bbest)) {
            best = q;
            bbest = beta;
        }
    }
    return best;
}

void hl_lt_kauzmann_for(const hl_lt_model *m, int L, int C, int melt, double beta_m,
                        const double *tl, const double *tc, const double *grid, int nbeta,
                        double stop, hl_lt_kauzmann *out)
{
    if (L < 0 || C < 0)
        kauzmann_no_branch(out, L < 0);
    else if (melt < 0)
        kauzmann_no_melting(out);
    else
        kauzmann_find(m, grid, nbeta, beta_m, tl, tc, stop, out);
}

int hl_lt_find_name(const void *recs, int n, size_t stride, size_t off_name, const char *name)
{
    for (int b = 0; b < n; b++)
        if (!strcmp((const char *)recs + (size_t)b * stride + off_name, name))
            return b;
    return -1;
}
