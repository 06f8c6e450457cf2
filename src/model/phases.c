/* SPDX-License-Identifier: GPL-3.0-or-later */
/* phases.c -- the branches of maxima of f = w - beta phi over a range of
 * beta (hl_phases): tracing by continuation with restarts from global
 * searches, folds (spinodals), naming (liquid, crystal, branch-K) and the
 * accessors.  Melting points: melting.c. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "thermo_private.h"
#include "blocks_thermo.h"

/* ------------------------------------------------------------ phases */

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
    free(p->t0);
    free(p->beta);
    hl_blocks_free(p->pair);
    free(p);
}

int hl_grow(void **arr, int *cap, int n, size_t elem)
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

/* The model as two equal blocks (blocks.h: m1 = s = x + y, m2 = d = x - y,
 * the same t = (atanh s, atanh d)), for the classification of the ends. */
static int make_pair(hl_phases *p)
{
    static const long sizes[2] = {1, 1};
    const char *phi = hl_model_is_default(p->model) ? NULL : hl_model_phi_formula(p->model);
    return hl_blocks_create(2, sizes, phi, &p->pair);
}

/* An end of branch `branch` at (beta, t): a fold, pitchfork or branch point,
 * classified (and a branch point relocated) by the code of k blocks
 * (hl_bl_classify_end) on the model as two equal blocks.  located: 1 if
 * the augmented system converged there. */
static int add_fold(hl_phases *p, int branch, double beta, const double t_end[2], int birth,
                    int located)
{
    if (!hl_grow((void **)&p->folds, &p->cap_fold, p->nfold, sizeof(hl_fold)))
        return 0;
    double t[BK] = {t_end[0], t_end[1]};
    hl_bfold e;
    memset(&e, 0, sizeof e);
    e.branch = branch;
    e.beta = beta;
    e.m[0] = tanh(t[0]);
    e.m[1] = tanh(t[1]);
    e.birth = birth;
    hl_bl_classify_end(p->pair, t, &e, located);
    hl_tpoint q;
    hl_tpoint_set(&q, t[0], t[1]);
    hl_fold *f = &p->folds[p->nfold++];
    memset(f, 0, sizeof *f);
    f->branch = branch;
    f->beta = e.beta;
    f->x = q.x;
    f->y = q.y;
    f->birth = birth;
    f->bifurcation = e.bifurcation;
    f->null_dims = e.null_dims;
    f->beta_error = e.beta_error;
    f->through = e.through;
    /* the null vector (u_s, u_d) in (x, y) = ((s + d) / 2, (s - d) / 2) */
    double ux = 0.5 * (e.null_vector[0] + e.null_vector[1]),
           uy = 0.5 * (e.null_vector[0] - e.null_vector[1]), nrm = hypot(ux, uy);
    if (nrm > 0) {
        double sg = fabs(uy) > fabs(ux) + 1e-12 ? (uy < 0 ? -1.0 : 1.0) : (ux < 0 ? -1.0 : 1.0);
        ux = sg * ux / nrm + 0.0;
        uy = sg * uy / nrm + 0.0;
    }
    f->null_vector[0] = ux;
    f->null_vector[1] = uy;
    return 1;
}

static int point_on_branch(const hl_phases *p, int i, const double t[2])
{
    for (int b = 0; b < p->nbranch; b++) {
        const hl_branch *br = &p->br[b];
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
static int locate_merge(const hl_phases *p, int other, int i, int j,
                        const double t_i[2], double *beta, double t[2])
{
    double lo = p->beta[i], hi = p->beta[j];
    double tlo[2] = {t_i[0], t_i[1]};
    double toj[2] = {p->br[other].t1[j], p->br[other].t2[j]};
    for (int it = 0; it < 80 && fabs(hi - lo) > 1e-13 * (1 + fabs(lo)); it++) {
        double mid = 0.5 * (lo + hi), bl;
        double tm[2] = {tlo[0], tlo[1]}, to[2] = {toj[0], toj[1]};
        int ok = hl_continue_max(p->model, lo, mid, tm, &bl);
        int ok_other = hl_continue_max(p->model, p->beta[j], mid, to, &bl);
        if (ok && (!ok_other || !hl_same_point(tm, to))) {
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
    if (hl_refine_fold(p->model, tf, &bf) && fabs(bf - lo) < 1e-5 * (1 + fabs(lo))) {
        *beta = bf;
        t[0] = tf[0];
        t[1] = tf[1];
        return 1;
    }
    return 0;
}

/* Trace branch b from index i0 in direction dir until it ends. */
static int trace(hl_phases *p, int b, int i0, int dir)
{
    hl_branch *br = &p->br[b];
    double t[2] = {br->t1[i0], br->t2[i0]};
    for (int i = i0; i + dir >= 0 && i + dir < p->nbeta; i += dir) {
        int j = i + dir;
        if (br->exists[j])
            return 1; /* already traced */
        double blast;
        double tprev[2] = {t[0], t[1]};
        if (hl_continue_max(p->model, p->beta[i], p->beta[j], t, &blast)) {
            int other = point_on_branch(p, j, t);
            if (other >= 0 && other != b) {
                /* merged into another branch: a bifurcation (pitchfork)
                 * between i and j, where the Hessian is singular */
                double bf, tf[2];
                int located = locate_merge(p, other, i, j, tprev, &bf, tf);
                return add_fold(p, b, bf, tf, dir < 0, located);
            }
            br->t1[j] = t[0];
            br->t2[j] = t[1];
            br->exists[j] = 1;
            continue;
        }
        double bf = blast, tf[2] = {t[0], t[1]};
        if (hl_refine_fold(p->model, tf, &bf)) {
            if (!add_fold(p, b, bf, tf, dir < 0, 1))
                return 0;
        } else {
            /* not a clean fold: record where the branch was last seen */
            if (!add_fold(p, b, blast, t, dir < 0, 0))
                return 0;
        }
        return 1;
    }
    return 1;
}

static int new_branch(hl_phases *p)
{
    if (!hl_grow((void **)&p->br, &p->cap_branch, p->nbranch, sizeof(hl_branch)))
        return -1;
    hl_branch *br = &p->br[p->nbranch];
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
    hl_local_eval e;
    if (!hl_ascend_t(m, b0, t, &e))
        return 0;
    double bl;
    return b0 == beta ? 1 : hl_continue_max(m, b0, beta, t, &bl);
}

int hl_name_maxima(const hl_model *m, double beta, hl_stationary *mx,
                   size_t count, char (*names)[16])
{
    int st = hl_check_beta(beta);
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
            hl_stationary_to_t(&mx[k], t);
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
    const hl_branch *br = &p->br[b];
    if (!br->exists[i])
        return 0;
    double t[2] = {br->t1[i], br->t2[i]};
    hl_fill_stationary(p->model, p->beta[i], t, out);
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
        hl_stationary mx[HL_MAX_MAXIMA];
        int who[HL_MAX_MAXIMA];
        size_t n = 0;
        for (int c = 0; c < p->nbranch && n < HL_MAX_MAXIMA; c++)
            if (branch_point(p, c, i0, &mx[n]))
                who[n++] = c;
        char names[HL_MAX_MAXIMA][16];
        int st = hl_name_maxima(p->model, p->beta[i0], mx, n, names);
        if (st)
            return st;
        for (size_t k = 0; k < n; k++)
            if (who[k] == b)
                memcpy(p->br[b].name, names[k], sizeof p->br[b].name);
    }
    /* make names unique and non-empty: a branch whose name is empty (its
     * first point was not among the first HL_MAX_MAXIMA maxima) or already
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
int hl_stable_branch(const hl_phases *p, int i)
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

int hl_phases_compute(const hl_model *m, double beta_min, double beta_max,
                      int npoints, hl_phases **out)
{
    hl_gsl_quiet();
    if (!m || !out)
        return hl_fail(HL_EINVAL, "hl_phases_compute: NULL argument");
    *out = NULL;
    int st = hl_check_beta(beta_min);
    if (!st)
        st = hl_check_beta(beta_max);
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
    if ((st = make_pair(p)))
        goto fail;
    for (int i = 0; i < npoints; i++)
        p->beta[i] = beta_min + (beta_max - beta_min) * i / (npoints - 1);
    p->beta[npoints - 1] = beta_max;

    /* global searches at a spread of betas, each new maximum is traced
     * both ways */
    int nscan = npoints < 101 ? npoints : 101;
    for (int k = 0; k < nscan; k++) {
        int i = (int)((long)k * (npoints - 1) / (nscan - 1));
        hl_tpair list[HL_MAX_MAXIMA];
        size_t n = hl_find_maxima_t(m, p->beta[i], list, HL_MAX_MAXIMA, &p->search_grid,
                                 &p->search_capped);
        if (n > HL_MAX_MAXIMA) {
            st = hl_fail(HL_ERANGE,
                         "f = w - beta phi has %zu local maxima at beta = %g; at most %d "
                         "are traced (narrow the beta range or smooth phi)",
                         n, p->beta[i], HL_MAX_MAXIMA);
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
                p->br[b].f[i] = hl_f_value_t(m, p->beta[i], p->br[b].t1[i], p->br[b].t2[i]);
    st = name_branches(p);
    if (!st)
        st = hl_find_meltings(p);
    if (!st)
        st = hl_find_low_temperature(p);
    if (st)
        goto fail;
    hl_blocks_free(p->pair);
    p->pair = NULL;
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
    out->stable = hl_stable_branch(p, i) == b;
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
