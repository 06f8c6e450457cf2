/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_phases.c -- the branches of maxima of f = w - beta phi for k
 * blocks over a range of beta (hl_bphases): global searches
 * (blocks_search.c) at up to 101 betas, continuation both ways, folds and
 * merges (pitchforks), naming, accessors.  The k-dimensional form of
 * phases.c, step for step.  Melting points: blocks_melting.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_thermo.h"

#define T_OF(p, br, i) ((br)->t + (size_t)(i) * (size_t)(p)->k)

void hl_bphases_free(hl_bphases *p)
{
    if (!p)
        return;
    for (int b = 0; b < p->nbranch; b++) {
        free(p->br[b].t);
        free(p->br[b].f);
        free(p->br[b].exists);
    }
    free(p->br);
    free(p->folds);
    free(p->melts);
    free(p->unres);
    free(p->t0);
    free(p->beta);
    hl_bl_pass_graph_free(&p->pass);
    free(p);
}

int hl_bl_grow(void **arr, int *cap, int n, size_t elem)
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

static int add_fold(hl_bphases *p, int branch, double beta, const double *t_end, int birth,
                    int located)
{
    double t[BK];
    memcpy(t, t_end, sizeof(double) * (size_t)p->k);
    if (!hl_bl_grow((void **)&p->folds, &p->cap_fold, p->nfold, sizeof(hl_bfold)))
        return 0;
    hl_bfold *f = &p->folds[p->nfold++];
    memset(f, 0, sizeof *f);
    f->branch = branch;
    f->beta = beta;
    for (int i = 0; i < p->k; i++)
        f->m[i] = tanh(t[i]);
    f->birth = birth;
    hl_bl_classify_end(p->b, t, f, located);
    return 1;
}

static int point_on_branch(const hl_bphases *p, int i, const double *t)
{
    for (int b = 0; b < p->nbranch; b++) {
        const hl_bl_branch *br = &p->br[b];
        if (!br->exists[i])
            continue;
        const double *u = T_OF(p, br, i);
        double tol = 1.0;
        for (int q = 0; q < p->k; q++)
            tol += fabs(u[q]);
        tol *= 1e-5;
        int same = 1;
        for (int q = 0; q < p->k && same; q++)
            same = fabs(u[q] - t[q]) <= tol;
        if (same)
            return b;
    }
    return -1;
}

static int locate_merge(const hl_bphases *p, int other, int i, int j, const double *t_i,
                        double *beta, double *t)
{
    int k = p->k;
    double lo = p->beta[i], hi = p->beta[j], tlo[BK], toj[BK];
    memcpy(tlo, t_i, sizeof(double) * (size_t)k);
    memcpy(toj, T_OF(p, &p->br[other], j), sizeof(double) * (size_t)k);
    for (int it = 0; it < 80 && fabs(hi - lo) > 1e-13 * (1 + fabs(lo)); it++) {
        double mid = 0.5 * (lo + hi), bl, tm[BK], to[BK];
        memcpy(tm, tlo, sizeof(double) * (size_t)k);
        memcpy(to, toj, sizeof(double) * (size_t)k);
        int ok = hl_bl_continue(p->b, lo, mid, tm, &bl);
        int ok_other = hl_bl_continue(p->b, p->beta[j], mid, to, &bl);
        if (ok && (!ok_other || !hl_bl_same(k, tm, to))) {
            lo = mid;
            memcpy(tlo, tm, sizeof(double) * (size_t)k);
        } else {
            hi = mid;
        }
    }
    *beta = lo;
    memcpy(t, tlo, sizeof(double) * (size_t)k);
    double bf = lo, tf[BK];
    memcpy(tf, tlo, sizeof(double) * (size_t)k);
    if (hl_bl_refine_fold(p->b, tf, &bf) && fabs(bf - lo) < 1e-5 * (1 + fabs(lo))) {
        *beta = bf;
        memcpy(t, tf, sizeof(double) * (size_t)k);
        return 1;
    }
    return 0;
}

static int trace_end(hl_bphases *p, int b, int dir, double beta, const double *t, int located)
{
    if (!add_fold(p, b, beta, t, dir < 0, located))
        return 0;
    if (dir < 0)
        p->br[b].end_lo = p->nfold - 1;
    else
        p->br[b].end_hi = p->nfold - 1;
    return 1;
}

static int trace(hl_bphases *p, int b, int i0, int dir)
{
    int k = p->k;
    hl_bl_branch *br = &p->br[b];
    double t[BK];
    memcpy(t, T_OF(p, br, i0), sizeof(double) * (size_t)k);
    for (int i = i0; i + dir >= 0 && i + dir < p->nbeta; i += dir) {
        int j = i + dir;
        if (br->exists[j])
            return 1;
        double blast, tprev[BK];
        memcpy(tprev, t, sizeof(double) * (size_t)k);
        if (hl_bl_continue(p->b, p->beta[i], p->beta[j], t, &blast)) {
            /* the last digits: continuation stops Newton at a residual of
             * 1e-12, which next to an end (a nearly singular Hessian)
             * leaves t off by residual / eigenvalue */
            hl_bl_settle(p->b, p->beta[j], t);
            int other = point_on_branch(p, j, t);
            if (other >= 0 && other != b) {
                double bf, tf[BK];
                int located = locate_merge(p, other, i, j, tprev, &bf, tf);
                return trace_end(p, b, dir, bf, tf, located);
            }
            memcpy(T_OF(p, br, j), t, sizeof(double) * (size_t)k);
            br->exists[j] = 1;
            continue;
        }
        double bf = blast, tf[BK];
        memcpy(tf, t, sizeof(double) * (size_t)k);
        if (hl_bl_refine_fold(p->b, tf, &bf))
            return trace_end(p, b, dir, bf, tf, 1);
        return trace_end(p, b, dir, blast, t, 0);
    }
    return 1;
}

static int new_branch(hl_bphases *p)
{
    if (!hl_bl_grow((void **)&p->br, &p->cap_branch, p->nbranch, sizeof(hl_bl_branch)))
        return -1;
    hl_bl_branch *br = &p->br[p->nbranch];
    memset(br, 0, sizeof *br);
    br->end_lo = br->end_hi = -1;
    br->t = calloc((size_t)p->nbeta * (size_t)p->k, sizeof(double));
    br->f = calloc((size_t)p->nbeta, sizeof(double));
    br->exists = calloc((size_t)p->nbeta, 1);
    if (!br->t || !br->f || !br->exists) {
        free(br->t);
        free(br->f);
        free(br->exists);
        return -1;
    }
    return p->nbranch++;
}

/* The maximum reached by continuation from beta -> 0 up to beta. */
static int liquid_at(const hl_blocks *b, double beta, double *t)
{
    int k = hl_blocks_k(b);
    double b0 = beta < 1e-3 ? beta : 1e-3, zero[BK] = {0}, g[BK];
    hl_blocks_phi_derivs(b, zero, g, NULL);
    for (int i = 0; i < k; i++)
        t[i] = -b0 * g[i] / hl_blocks_fraction(b, i);
    hl_bl_eval e;
    if (!hl_bl_ascend(b, b0, t, &e))
        return 0;
    double bl;
    return b0 == beta ? 1 : hl_bl_continue(b, b0, beta, t, &bl);
}

int hl_blocks_name_maxima(const hl_blocks *b, double beta, const hl_bstat *mx, size_t count,
                          char (*names)[16])
{
    if (!b || (count && (!mx || !names)))
        return hl_fail(HL_EINVAL, "hl_blocks_name_maxima: NULL argument");
    int st = hl_bl_check_beta(beta);
    if (st)
        return st;
    int k = hl_blocks_k(b);
    for (size_t q = 0; q < count; q++)
        names[q][0] = 0;
    double tl[BK];
    int liquid = -1;
    if (liquid_at(b, beta, tl)) {
        double best = INFINITY, scale = 1.0;
        for (int i = 0; i < k; i++)
            scale += fabs(tl[i]);
        for (size_t q = 0; q < count; q++) {
            double dist = 0;
            for (int i = 0; i < k; i++)
                dist += fabs(mx[q].t[i] - tl[i]);
            if (dist < best && dist < 1e-4 * scale) {
                best = dist;
                liquid = (int)q;
            }
        }
    }
    if (liquid >= 0)
        strcpy(names[liquid], "liquid");
    int next = 2;
    for (;;) {
        int pick = -1;
        for (size_t q = 0; q < count; q++)
            if (!names[q][0] && (pick < 0 || mx[q].phi < mx[pick].phi))
                pick = (int)q;
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

static int branch_point(const hl_bphases *p, int b, int i, hl_bstat *out)
{
    const hl_bl_branch *br = &p->br[b];
    if (!br->exists[i])
        return 0;
    hl_blocks_stationary_fill(p->b, p->beta[i], T_OF(p, br, i), out);
    out->branch = b;
    return 1;
}

static int name_branches(hl_bphases *p)
{
    hl_bstat *mx = malloc(sizeof(hl_bstat) * (size_t)(p->nbranch ? p->nbranch : 1));
    int *who = malloc(sizeof(int) * (size_t)(p->nbranch ? p->nbranch : 1));
    char(*names)[16] = malloc(sizeof(*names) * (size_t)(p->nbranch ? p->nbranch : 1));
    int st = HL_OK;
    if (!mx || !who || !names) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    for (int b = 0; b < p->nbranch; b++) {
        int i0 = 0;
        while (i0 < p->nbeta && !p->br[b].exists[i0])
            i0++;
        if (i0 == p->nbeta)
            continue;
        size_t n = 0;
        for (int c = 0; c < p->nbranch; c++)
            if (branch_point(p, c, i0, &mx[n]))
                who[n++] = c;
        if ((st = hl_blocks_name_maxima(p->b, p->beta[i0], mx, n, names)))
            goto done;
        for (size_t q = 0; q < n; q++)
            if (who[q] == b)
                memcpy(p->br[b].name, names[q], sizeof p->br[b].name);
    }
    /* a branch keeps the name crystal (a phase) only if it is the global
     * maximum somewhere on the range; else it becomes a branch-K (below)
     * and the crystal is the branch other than the liquid that is the
     * global maximum at the largest beta, if any.  Two equal blocks keep
     * the names of the two-order-parameter phases. */
    for (int b = 0; b < p->nbranch && !hl_blocks_is_paper_pair(p->b); b++) {
        if (strcmp(p->br[b].name, "crystal"))
            continue;
        int stable = 0;
        for (int i = 0; i < p->nbeta && !stable; i++)
            stable = hl_bl_stable_branch(p, i) == b;
        if (stable)
            break;
        p->br[b].name[0] = 0;
        /* the low-temperature phase instead: the branch other than the
         * liquid that is the global maximum at the largest beta */
        for (int i = p->nbeta - 1; i >= 0; i--) {
            int w = hl_bl_stable_branch(p, i);
            if (w >= 0 && w != b && strcmp(p->br[w].name, "liquid")) {
                snprintf(p->br[w].name, sizeof p->br[w].name, "crystal");
                break;
            }
        }
        break;
    }
    for (int b = 0; b < p->nbranch; b++) {
        int clash = p->br[b].name[0] == 0;
        for (int c = 0; c < b && !clash; c++)
            clash = strcmp(p->br[b].name, p->br[c].name) == 0;
        for (int q = 2; clash && q < 10000; q++) {
            char cand[sizeof p->br[b].name];
            snprintf(cand, sizeof cand, "branch-%d", q);
            clash = 0;
            for (int c = 0; c < p->nbranch && !clash; c++)
                clash = c != b && strcmp(cand, p->br[c].name) == 0;
            if (!clash)
                memcpy(p->br[b].name, cand, sizeof cand);
        }
    }
done:
    free(mx);
    free(who);
    free(names);
    return st;
}

int hl_bl_stable_branch(const hl_bphases *p, int i)
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

int hl_bphases_compute(const hl_blocks *bl, double beta_min, double beta_max, int npoints,
                       hl_bphases **out)
{
    if (!bl || !out)
        return hl_fail(HL_EINVAL, "hl_bphases_compute: NULL argument");
    *out = NULL;
    hl_gsl_quiet();
    int st = hl_bl_check_beta(beta_min);
    if (!st)
        st = hl_bl_check_beta(beta_max);
    if (st)
        return st;
    if (!(beta_max > beta_min))
        return hl_fail(HL_EDOM, "beta range [%g, %g] is empty", beta_min, beta_max);
    if (npoints < 2 || npoints > 10000000)
        return hl_fail(HL_EDOM, "number of beta points %d is outside [2, 1e7]", npoints);
    hl_bphases *p = calloc(1, sizeof *p);
    if (!p)
        return hl_fail(HL_ENOMEM, "out of memory");
    p->b = bl;
    p->k = hl_blocks_k(bl);
    p->nbeta = npoints;
    p->search.complete = 1;
    hl_bstat *found = NULL;
    p->beta = malloc(sizeof(double) * (size_t)npoints);
    if (!p->beta) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto fail;
    }
    for (int i = 0; i < npoints; i++)
        p->beta[i] = beta_min + (beta_max - beta_min) * i / (npoints - 1);
    p->beta[npoints - 1] = beta_max;
    int nscan = npoints < 101 ? npoints : 101;
    size_t capf = 64;
    found = malloc(sizeof(hl_bstat) * capf);
    if (!found) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto fail;
    }
    for (int q = 0; q < nscan; q++) {
        int i = (int)((long)q * (npoints - 1) / (nscan - 1));
        size_t n;
        hl_bsearch info;
        st = hl_blocks_maxima_at(bl, p->beta[i], found, capf, &n, &info);
        if (!st && n > capf) {
            hl_bstat *nf = realloc(found, sizeof(hl_bstat) * n);
            if (!nf) {
                st = hl_fail(HL_ENOMEM, "out of memory");
                goto fail;
            }
            found = nf;
            capf = n;
            st = hl_blocks_maxima_at(bl, p->beta[i], found, capf, &n, &info);
        }
        if (st)
            goto fail;
        p->search.boxes += info.boxes;
        p->search.proved += info.proved;
        p->search.unresolved += info.unresolved;
        p->search.complete &= info.complete;
        p->search.gave_up |= info.gave_up;
        for (size_t r = 0; r < n; r++) {
            if (point_on_branch(p, i, found[r].t) >= 0)
                continue;
            int b = new_branch(p);
            if (b < 0) {
                st = hl_fail(HL_ENOMEM, "out of memory");
                goto fail;
            }
            memcpy(T_OF(p, &p->br[b], i), found[r].t, sizeof(double) * (size_t)p->k);
            hl_bl_settle(bl, p->beta[i], T_OF(p, &p->br[b], i));
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
                p->br[b].f[i] = hl_bl_f(bl, p->beta[i], T_OF(p, &p->br[b], i));
    st = name_branches(p);
    if (!st)
        st = hl_bl_find_meltings(p);
    if (!st)
        st = hl_bl_find_low_temperature(p);
    if (st)
        goto fail;
    free(found);
    *out = p;
    return HL_OK;
fail:
    free(found);
    hl_bphases_free(p);
    return st;
}

int hl_bphases_beta_count(const hl_bphases *p) { return p->nbeta; }
double hl_bphases_beta(const hl_bphases *p, int i)
{
    return i >= 0 && i < p->nbeta ? p->beta[i] : NAN;
}
int hl_bphases_branch_count(const hl_bphases *p) { return p->nbranch; }
const char *hl_bphases_branch_name(const hl_bphases *p, int b)
{
    return (b >= 0 && b < p->nbranch) ? p->br[b].name : "";
}

int hl_bphases_point(const hl_bphases *p, int b, int i, hl_bstat *out)
{
    if (b < 0 || b >= p->nbranch || i < 0 || i >= p->nbeta)
        return hl_fail(HL_EINVAL, "branch %d or beta index %d out of range", b, i);
    if (!branch_point(p, b, i, out))
        return HL_ENOTFOUND;
    out->stable = hl_bl_stable_branch(p, i) == b;
    return HL_OK;
}

int hl_bphases_branch_ends(const hl_bphases *p, int b, int *below, int *above)
{
    if (b < 0 || b >= p->nbranch)
        return hl_fail(HL_EINVAL, "branch %d out of range", b);
    if (below)
        *below = p->br[b].end_lo;
    if (above)
        *above = p->br[b].end_hi;
    return HL_OK;
}

int hl_bphases_fold_count(const hl_bphases *p) { return p->nfold; }
int hl_bphases_fold(const hl_bphases *p, int q, hl_bfold *out)
{
    if (q < 0 || q >= p->nfold)
        return hl_fail(HL_EINVAL, "fold %d out of range", q);
    *out = p->folds[q];
    return HL_OK;
}
int hl_bphases_melting_count(const hl_bphases *p) { return p->nmelt; }
int hl_bphases_melting(const hl_bphases *p, int q, hl_bmelting *out)
{
    if (q < 0 || q >= p->nmelt)
        return hl_fail(HL_EINVAL, "melting point %d out of range", q);
    *out = p->melts[q];
    return HL_OK;
}
int hl_bphases_unresolved_count(const hl_bphases *p) { return p->nunres; }
int hl_bphases_unresolved(const hl_bphases *p, int q, hl_bmelting_unresolved *out)
{
    if (q < 0 || q >= p->nunres)
        return hl_fail(HL_EINVAL, "unresolved crossing %d out of range", q);
    *out = p->unres[q];
    return HL_OK;
}
void hl_bphases_search(const hl_bphases *p, hl_bsearch *out) { *out = p->search; }
