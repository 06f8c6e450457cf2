/* SPDX-License-Identifier: GPL-3.0-or-later */
/* passage_gt.c -- graph transformation for first passage on a reversible
 * chain (rpassage.h): the free states are eliminated one by one (Wales,
 * J. Chem. Phys. 130, 204111 (2009)), in the symmetric form of conductances
 * C_ab = pi_a K(a -> b), in minimum-degree (AMD) order.
 *
 * Eliminating state x joins its neighbours i, j by C_ij += C_ix C_xj / D_x,
 * moves its absorption (to A, to B, exit) and its right-hand side to them
 * the same way, where D_x is the sum of x's remaining conductances and
 * absorptions (Grassmann-Taksar-Heyman: the pivot is a sum, never a
 * difference, so the elimination keeps full relative accuracy however
 * stiff the chain).  Done left-looking over the pattern of the elimination
 * (the Cholesky factor of the Dirichlet system): column k gathers the
 * updates of the earlier columns that touch row k, the pivot is the sum of
 * its entries.  Back substitution then gives tau, q and 1 - q, each a sum
 * of positive terms.  Numbers are hl_xf (xfloat.h): double precision with
 * an unlimited exponent. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <amd.h>
#include <cholmod.h>

#include "core.h"
#include "rpassage.h"
#include "xfloat.h"
#include "gt_factor.h"
#include "ordering_lock.h"


static void gt_free(gt_t *g)
{
    free(g->loc);
    free(g->glob);
    free(g->ap);
    free(g->ai);
    free(g->ax);
    free(g->gab);
    free(g->ge);
    free(g->rhs);
    free(g->parent);
    free(g->lp);
    free(g->li);
    free(g->lx);
    free(g->dg);
    hl_gt_sn_free(g);
}

static int gt_applies(const hl_pass_problem *p, char *why, size_t len)
{
    const hl_rchain *c = p->chain;
    for (long a = 0; a < c->n; a++)
        if (fabs(c->ln_pi[a]) > HL_XF_LN_MAX / 4 && c->ln_pi[a] != -INFINITY) {
            snprintf(why, len, "ln M of state %ld is beyond +-%g", a, HL_XF_LN_MAX / 4);
            return 0;
        }
    for (long e = 0; e < c->m; e++)
        if (fabs(c->ln_c[e]) > HL_XF_LN_MAX / 4 && c->ln_c[e] != -INFINITY) {
            snprintf(why, len, "ln A of edge %ld is beyond +-%g", e, HL_XF_LN_MAX / 4);
            return 0;
        }
    return 1;
}

/* ln C of edge e (both ends in the chain), shifted by -shift */
static double ln_cond(const hl_rchain *c, long e, double shift)
{
    return c->ln_c[e] + 0.5 * (c->ln_pi[c->ea[e]] + c->ln_pi[c->eb[e]]) - shift;
}

/* a nested-dissection order (METIS through CHOLMOD) for perm when its
 * factor has fewer entries than AMD's (amd_lnz, below the diagonal): on a
 * lattice of dimension >= 2 the minimum-degree order fills in much more
 * (3-D: 6.7e7 against 4.1e7 entries, 2.6 times the operations).  The
 * pattern ap/ai holds both triangles. */
static void gt_try_nd(long nf, long *ap, long *ai, long *perm, double amd_lnz)
{
    cholmod_common cm;
    if (!cholmod_l_start(&cm))
        return;
    cm.print = 0;
    cm.error_handler = NULL;
    cm.nmethods = 1;
    cm.method[0].ordering = CHOLMOD_METIS;
    cm.postorder = 1;
    cm.supernodal = CHOLMOD_SIMPLICIAL;
    cholmod_sparse a;
    memset(&a, 0, sizeof a);
    a.nrow = a.ncol = (size_t)nf;
    a.nzmax = (size_t)ap[nf];
    a.p = ap;
    a.i = ai;
    a.stype = -1; /* the lower triangle is read */
    a.itype = CHOLMOD_LONG;
    a.xtype = CHOLMOD_PATTERN;
    a.dtype = CHOLMOD_DOUBLE;
    a.sorted = 0;
    a.packed = 1;
    hl_ordering_lock(); /* METIS: one ordering at a time (ordering_lock.h) */
    cholmod_factor *l = cholmod_l_analyze(&a, &cm);
    hl_ordering_unlock();
    if (l && cm.status == CHOLMOD_OK && cm.lnz - (double)nf < amd_lnz)
        memcpy(perm, l->Perm, sizeof(long) * (size_t)nf);
    cholmod_l_free_factor(&l, &cm);
    cholmod_l_finish(&cm);
}

/* the free subgraph in AMD order (nested dissection when that fills in
 * less, on large problems), the absorptions (to either set: the
 * factor depends on which states absorb, not on their labels), the exits
 * and the right-hand side of the mean time */
static int gt_build(const hl_pass_problem *p, gt_t *g)
{
    const hl_rchain *c = p->chain;
    long n = c->n, m = c->m;
    g->loc = malloc(sizeof(long) * (size_t)n);
    if (!g->loc)
        return hl_fail(HL_ENOMEM, "out of memory (graph transformation, %ld states)", n);
    long nf = 0;
    double shift = -INFINITY;
    for (long a = 0; a < n; a++) {
        g->loc[a] = -1;
        if (c->ln_pi[a] > -INFINITY && p->absorb[a] == HL_PASS_FREE) {
            g->loc[a] = nf++;
            if (c->ln_pi[a] > shift)
                shift = c->ln_pi[a];
        }
    }
    g->nf = nf;
    g->shift = shift;
    if (nf > INT_MAX - 1)
        return hl_fail(HL_ERANGE, "%ld free states: above the graph transformation's %d", nf,
                       INT_MAX - 1);
    size_t snf = (size_t)(nf > 0 ? nf : 1);
    g->glob = malloc(sizeof(long) * snf);
    g->ap = calloc(snf + 1, sizeof(long));
    g->gab = malloc(sizeof(hl_xf) * snf);
    g->ge = malloc(sizeof(hl_xf) * snf);
    g->rhs = malloc(sizeof(hl_xf) * snf);
    long *perm = malloc(sizeof(long) * snf);
    if (!g->glob || !g->ap || !g->gab || !g->ge || !g->rhs || !perm) {
        free(perm);
        return hl_fail(HL_ENOMEM, "out of memory (graph transformation, %ld states)", n);
    }
    /* pattern of the free subgraph, original local numbering */
    for (long e = 0; e < m; e++) {
        if (c->ln_c[e] == -INFINITY)
            continue;
        long u = g->loc[c->ea[e]], v = g->loc[c->eb[e]];
        if (u >= 0 && v >= 0) {
            g->ap[u + 1]++;
            g->ap[v + 1]++;
        }
    }
    for (long k = 0; k < nf; k++)
        g->ap[k + 1] += g->ap[k];
    size_t nnz = (size_t)g->ap[nf];
    g->ai = malloc(sizeof(long) * (nnz ? nnz : 1));
    g->ax = malloc(sizeof(hl_xf) * (nnz ? nnz : 1));
    long *fill = malloc(sizeof(long) * snf);
    if (!g->ai || !g->ax || !fill) {
        free(perm);
        free(fill);
        return hl_fail(HL_ENOMEM, "out of memory (graph transformation, %ld states)", n);
    }
    memcpy(fill, g->ap, sizeof(long) * (size_t)nf);
    for (long e = 0; e < m; e++) {
        if (c->ln_c[e] == -INFINITY)
            continue;
        long u = g->loc[c->ea[e]], v = g->loc[c->eb[e]];
        if (u >= 0 && v >= 0) {
            g->ai[fill[u]++] = v;
            g->ai[fill[v]++] = u;
        }
    }
    /* minimum degree order (AMD); a chain of one state needs none */
    if (nf > 0) {
        double control[AMD_CONTROL], info[AMD_INFO];
        amd_l_defaults(control);
        int st = (int)amd_l_order(nf, g->ap, g->ai, perm, control, info);
        if (st != AMD_OK && st != AMD_OK_BUT_JUMBLED) {
            free(perm);
            free(fill);
            return hl_fail(st == AMD_OUT_OF_MEMORY ? HL_ENOMEM : HL_EINVAL,
                           "AMD ordering failed (status %d, %ld free states)", st, nf);
        }
        if (nf >= 1000 && info[AMD_NMULTSUBS_LDL] > HL_GT_SN_FLOPS)
            gt_try_nd(nf, g->ap, g->ai, perm, info[AMD_LNZ]);
    }
    /* renumber: local index = position in the order */
    long *old2new = fill;
    for (long k = 0; k < nf; k++)
        old2new[perm[k]] = k;
    for (long a = 0; a < n; a++)
        if (g->loc[a] >= 0) {
            g->loc[a] = old2new[g->loc[a]];
            g->glob[g->loc[a]] = a;
        }
    free(perm);
    /* the permuted pattern with values */
    memset(g->ap, 0, sizeof(long) * (snf + 1));
    hl_xf zero = hl_xf_zero();
    for (long k = 0; k < nf; k++) {
        long a = g->glob[k];
        g->gab[k] = zero;
        g->rhs[k] = hl_xf_exp(c->ln_pi[a] - shift);
        g->ge[k] = c->ln_exit ? hl_xf_exp(c->ln_pi[a] + c->ln_exit[a] - shift) : zero;
    }
    for (long e = 0; e < m; e++) {
        long a = c->ea[e], b = c->eb[e];
        if (c->ln_c[e] == -INFINITY || c->ln_pi[a] == -INFINITY || c->ln_pi[b] == -INFINITY)
            continue;
        long u = g->loc[a], v = g->loc[b];
        if (u >= 0 && v >= 0) {
            g->ap[u + 1]++;
            g->ap[v + 1]++;
            continue;
        }
        if (u < 0 && v < 0)
            continue;
        long f = u >= 0 ? u : v;
        g->gab[f] = hl_xf_add(g->gab[f], hl_xf_exp(ln_cond(c, e, shift)));
    }
    for (long k = 0; k < nf; k++)
        g->ap[k + 1] += g->ap[k];
    memcpy(old2new, g->ap, sizeof(long) * (size_t)nf);
    for (long e = 0; e < m; e++) {
        if (c->ln_c[e] == -INFINITY)
            continue;
        long u = g->loc[c->ea[e]], v = g->loc[c->eb[e]];
        if (u >= 0 && v >= 0) {
            hl_xf x = hl_xf_exp(ln_cond(c, e, shift));
            g->ai[old2new[u]] = v;
            g->ax[old2new[u]++] = x;
            g->ai[old2new[v]] = u;
            g->ax[old2new[v]++] = x;
        }
    }
    free(fill);
    return HL_OK;
}

/* elimination tree (Liu) and the pattern of the factor: for each row k the
 * columns x < k with L_kx != 0 are the nodes met walking the tree up from
 * the neighbours i < k of k (ereach); the rows of every column come out
 * sorted. */
static int gt_symbolic(gt_t *g)
{
    long nf = g->nf;
    size_t snf = (size_t)(nf > 0 ? nf : 1);
    long *anc = malloc(sizeof(long) * snf), *mark = malloc(sizeof(long) * snf);
    long *cnt = calloc(snf, sizeof(long)), *depth = malloc(sizeof(long) * snf);
    g->parent = malloc(sizeof(long) * snf);
    g->lp = malloc(sizeof(long) * (snf + 1));
    if (!anc || !mark || !cnt || !depth || !g->parent || !g->lp) {
        free(anc);
        free(mark);
        free(cnt);
        free(depth);
        return hl_fail(HL_ENOMEM, "out of memory (graph transformation, %ld states)", nf);
    }
    for (long k = 0; k < nf; k++) {
        g->parent[k] = -1;
        anc[k] = -1;
        for (long p = g->ap[k]; p < g->ap[k + 1]; p++) {
            long i = g->ai[p];
            while (i != -1 && i < k) {
                long nx = anc[i];
                anc[i] = k;
                if (nx == -1) {
                    g->parent[i] = k;
                    break;
                }
                i = nx;
            }
        }
    }
    /* column counts: two passes of ereach (count, then fill) */
    for (int pass = 0; pass < 2; pass++) {
        for (long k = 0; k < nf; k++)
            mark[k] = -1;
        for (long k = 0; k < nf; k++) {
            mark[k] = k;
            for (long p = g->ap[k]; p < g->ap[k + 1]; p++)
                for (long i = g->ai[p]; i < k && mark[i] != k; i = g->parent[i]) {
                    mark[i] = k;
                    if (pass == 0)
                        cnt[i]++;
                    else
                        g->li[g->lp[i] + cnt[i]++] = (int)k;
                }
        }
        if (pass == 0) {
            g->lp[0] = 0;
            for (long k = 0; k < nf; k++) {
                g->lp[k + 1] = g->lp[k] + cnt[k];
                cnt[k] = 0;
            }
            size_t lnz = (size_t)g->lp[nf];
            g->li = malloc(sizeof(int) * (lnz ? lnz : 1));
            if (!g->li) {
                free(anc);
                free(mark);
                free(cnt);
                free(depth);
                return hl_fail(HL_ENOMEM, "out of memory (graph transformation: %zu entries "
                                          "of fill for %ld states)", lnz, nf);
            }
        }
    }
    g->height = 0;
    for (long k = nf - 1; k >= 0; k--) { /* parents come later */
        depth[k] = g->parent[k] < 0 ? 0 : depth[g->parent[k]] + 1;
        if (depth[k] > g->height)
            g->height = depth[k];
    }
    free(anc);
    free(mark);
    free(cnt);
    free(depth);
    return HL_OK;
}

/* left-looking elimination: column k of the factor holds the conductances
 * C_jk (j > k) that state k has when it is eliminated, dg[k] its pivot */
static int gt_numeric(const hl_pass_problem *p, gt_t *g, hl_xf lambda)
{
    long nf = g->nf;
    size_t snf = (size_t)(nf > 0 ? nf : 1);
    hl_xf *w = malloc(sizeof(hl_xf) * snf);
    long *head = malloc(sizeof(long) * snf), *next = malloc(sizeof(long) * snf);
    long *ptr = malloc(sizeof(long) * snf);
    hl_xf *tab = malloc(sizeof(hl_xf) * snf), *tge = malloc(sizeof(hl_xf) * snf);
    /* with a shift lambda: the masses pi carried through the elimination */
    hl_xf *tm = lambda.m != 0.0 ? malloc(sizeof(hl_xf) * snf) : NULL;
    if (!g->dg)
        g->dg = malloc(sizeof(hl_xf) * snf);
    int st = HL_OK;
    int mode = hl_gt_supernodal_mode(-1);
    if (g->sn || mode == 2 || (mode == 1 && hl_gt_flops(g) > HL_GT_SN_FLOPS)) {
        /* supernodes, the dense work by BLAS, where the numbers fit */
        st = hl_gt_numeric_sn(g, lambda);
        if (st != HL_EDOM) {
            free(w);
            free(head);
            free(next);
            free(ptr);
            free(tab);
            free(tge);
            free(tm);
            return st;
        }
        hl_gt_sn_free(g);
        st = HL_OK;
    }
    if (!g->lx) {
        size_t lnz = (size_t)g->lp[nf];
        g->lx = malloc(sizeof(hl_xf) * (lnz ? lnz : 1));
    }
    if (g->lx && g->dg && hl_gt_double_enabled(-1)) { /* in doubles where they fit */
        st = hl_gt_numeric_double(g, lambda);
        if (st != HL_EDOM) {
            free(w);
            free(head);
            free(next);
            free(ptr);
            free(tab);
            free(tge);
            free(tm);
            return st;
        }
        st = HL_OK;
    }
    if (!w || !head || !next || !ptr || !tab || !tge || !g->dg || !g->lx ||
        (lambda.m != 0.0 && !tm)) {
        st = hl_fail(HL_ENOMEM, "out of memory (graph transformation, %ld states)", nf);
        goto done;
    }
    hl_xf zero = hl_xf_zero();
    g->margin = 1.0;
    g->margin_state = -1;
    for (long k = 0; k < nf; k++) {
        w[k] = zero;
        head[k] = -1;
    }
    for (long k = 0; k < nf; k++) {
        for (long q = g->ap[k]; q < g->ap[k + 1]; q++)
            if (g->ai[q] > k)
                w[g->ai[q]] = hl_xf_add(w[g->ai[q]], g->ax[q]);
        hl_xf ab = g->gab[k], ge = g->ge[k], ms = tm ? g->rhs[k] : zero;
        long y = head[k];
        while (y != -1) {
            long ny = next[y], pos = ptr[y], end = g->lp[y + 1];
            hl_xf f = hl_xf_div(g->lx[pos], g->dg[y]);
            for (long q = pos + 1; q < end; q++) {
                int j = g->li[q];
                w[j] = hl_xf_add(w[j], hl_xf_mul(f, g->lx[q]));
            }
            ab = hl_xf_add(ab, hl_xf_mul(f, tab[y]));
            ge = hl_xf_add(ge, hl_xf_mul(f, tge[y]));
            if (tm)
                ms = hl_xf_add(ms, hl_xf_mul(f, tm[y]));
            ptr[y] = pos + 1;
            if (pos + 1 < end) {
                long r = g->li[pos + 1];
                next[y] = head[r];
                head[r] = y;
            }
            y = ny;
        }
        tab[k] = ab;
        tge[k] = ge;
        hl_xf d = hl_xf_add(ab, ge);
        for (long q = g->lp[k]; q < g->lp[k + 1]; q++) {
            int j = g->li[q];
            g->lx[q] = w[j];
            d = hl_xf_add(d, w[j]);
            w[j] = zero;
        }
        if (tm) {
            /* the pencil Q - lambda M: the pivot minus lambda times the
             * transformed mass, the one subtraction */
            tm[k] = ms;
            hl_xf before = d;
            d = hl_xf_sub(d, hl_xf_mul(lambda, ms));
            if (d.m > 0.0) {
                hl_xf q = hl_xf_div(d, before); /* as the double path's d / before */
                double r = ldexp(q.m, 512 * q.e);
                if (r < g->margin) {
                    g->margin = r;
                    g->margin_state = g->glob[k];
                }
            }
            if (d.m <= 0.0) {
                g->bad = g->glob[k];
                st = hl_fail(HL_ERANGE, "pivot of state %ld not positive at the shift",
                             g->glob[k]);
                break;
            }
        }
        g->dg[k] = d;
        if (d.m == 0.0) {
            st = hl_fail(HL_ENOTFOUND, "state %ld cannot reach the absorbing states (its "
                                       "component of the chain has none)", g->glob[k]);
            break;
        }
        ptr[k] = g->lp[k];
        if (g->lp[k] < g->lp[k + 1]) {
            long r = g->li[g->lp[k]];
            next[k] = head[r];
            head[r] = k;
        }
    }
done:
    (void)p;
    free(tm);
    free(tab);
    free(tge);
    free(w);
    free(head);
    free(next);
    free(ptr);
    return st;
}

/* back substitution: x_k = (b_k + sum_{j > k} C_jk x_j) / D_k */
static void gt_back(const gt_t *g, const hl_xf *b, hl_xf *x)
{
    for (long k = g->nf - 1; k >= 0; k--) {
        hl_xf acc = b[k];
        for (long q = g->lp[k]; q < g->lp[k + 1]; q++)
            acc = hl_xf_add(acc, hl_xf_mul(g->lx[q], x[g->li[q]]));
        x[k] = hl_xf_div(acc, g->dg[k]);
    }
}

/* forward elimination of a right-hand side: b_j += C_jk b_k / D_k for the
 * columns k in order (what the elimination does to the absorptions) */
static void gt_forward(const gt_t *g, hl_xf *b)
{
    for (long k = 0; k < g->nf; k++) {
        if (b[k].m == 0.0)
            continue;
        hl_xf t = hl_xf_div(b[k], g->dg[k]);
        for (long q = g->lp[k]; q < g->lp[k + 1]; q++)
            b[g->li[q]] = hl_xf_add(b[g->li[q]], hl_xf_mul(g->lx[q], t));
    }
}

/* the elimination of p's free states (build, symbolic, numeric) */
static int gt_factor(const hl_pass_problem *p, gt_t *g)
{
    memset(g, 0, sizeof *g);
    int st = gt_build(p, g);
    if (!st)
        st = gt_symbolic(g);
    if (!st)
        st = gt_numeric(p, g, hl_xf_zero());
    if (st)
        gt_free(g);
    return st;
}

/* the values of s from the factor g of p's free states: the right-hand
 * sides (pi for the mean time, the absorption into B for q, into A for
 * 1 - q) eliminated forward, then back substitution */
static int gt_values(const hl_pass_problem *p, const gt_t *g, hl_pass_solution *s)
{
    const hl_rchain *c = p->chain;
    size_t snf = (size_t)(g->nf > 0 ? g->nf : 1);
    hl_xf *x = malloc(sizeof(hl_xf) * snf), *b = malloc(sizeof(hl_xf) * snf);
    if (!x || !b) {
        free(x);
        free(b);
        return hl_fail(HL_ENOMEM, "out of memory (graph transformation, %ld states)", g->nf);
    }
    double shift = -INFINITY; /* as in gt_build */
    for (long k = 0; k < g->nf; k++)
        if (c->ln_pi[g->glob[k]] > shift)
            shift = c->ln_pi[g->glob[k]];
    double *outs[3] = {s->ln_tau, s->ln_q, s->ln_qm};
    for (int o = 0; o < 3; o++) {
        double *out = outs[o];
        if (!out)
            continue;
        if (o == 0)
            memcpy(b, g->rhs, sizeof(hl_xf) * (size_t)g->nf);
        else {
            int want = o == 1 ? HL_PASS_TO_B : HL_PASS_TO_A;
            for (long k = 0; k < g->nf; k++)
                b[k] = hl_xf_zero();
            for (long e = 0; e < c->m; e++) {
                long a = c->ea[e], bb = c->eb[e];
                if (c->ln_c[e] == -INFINITY || c->ln_pi[a] == -INFINITY ||
                    c->ln_pi[bb] == -INFINITY)
                    continue;
                long u = g->loc[a], v = g->loc[bb];
                if ((u >= 0) == (v >= 0))
                    continue;
                long f = u >= 0 ? u : v, t = u >= 0 ? bb : a;
                if (p->absorb[t] == want)
                    b[f] = hl_xf_add(b[f], hl_xf_exp(ln_cond(c, e, shift)));
            }
        }
        hl_gt_solve(g, b, x);
        for (long a = 0; a < c->n; a++) {
            if (c->ln_pi[a] == -INFINITY)
                out[a] = NAN;
            else if (g->loc[a] >= 0)
                out[a] = hl_xf_log(x[g->loc[a]]);
            else if (o == 0)
                out[a] = -INFINITY;
            else
                out[a] = (p->absorb[a] == (o == 1 ? HL_PASS_TO_B : HL_PASS_TO_A)) ? 0.0
                                                                                  : -INFINITY;
        }
    }
    s->method = hl_pass_gt.name;
    /* each value is a sum of positive terms built along a path of the
     * elimination tree and back: a few ulps per step of the path */
    s->resolution = 4.0 * 1.1102230246251565e-16 * (double)(2 * g->height + 8);
    s->lost = 0;
    free(x);
    free(b);
    return HL_OK;
}

static int gt_solve(const hl_pass_problem *p, hl_pass_solution *s)
{
    gt_t g;
    int st = gt_factor(p, &g);
    if (st)
        return st;
    st = gt_values(p, &g, s);
    gt_free(&g);
    return st;
}

/* ------------------------------------------------------ the kept factor */

struct hl_pass_cache {
    const hl_rchain *chain;
    unsigned char *absorbs; /* n: 1 where the state absorbs                 */
    gt_t g;
};

void hl_pass_cache_free(hl_pass_cache *k)
{
    if (!k)
        return;
    gt_free(&k->g);
    free(k->absorbs);
    free(k);
}

int hl_pass_gt_solve_kept(const hl_pass_problem *p, hl_pass_solution *s, hl_pass_cache **keep)
{
    const hl_rchain *c = p->chain;
    hl_pass_cache *k = *keep;
    int same = k && k->chain == c;
    for (long a = 0; same && a < c->n; a++)
        same = k->absorbs[a] == (p->absorb[a] != HL_PASS_FREE);
    if (!same) {
        hl_pass_cache_free(k);
        *keep = NULL;
        k = calloc(1, sizeof *k);
        if (k)
            k->absorbs = malloc((size_t)(c->n > 0 ? c->n : 1));
        if (!k || !k->absorbs) {
            hl_pass_cache_free(k);
            return hl_fail(HL_ENOMEM, "out of memory (graph transformation, %ld states)",
                           c->n);
        }
        int st = gt_factor(p, &k->g);
        if (st) {
            free(k->absorbs);
            free(k);
            return st;
        }
        k->chain = c;
        for (long a = 0; a < c->n; a++)
            k->absorbs[a] = p->absorb[a] != HL_PASS_FREE;
        *keep = k;
    }
    return gt_values(p, &k->g, s);
}

/* a priori: the elimination tree is at most as high as there are free
 * states (the solve reports the bound with the actual height) */
static double gt_resolution(const hl_pass_problem *p)
{
    long nf = 0;
    for (long a = 0; a < p->chain->n; a++)
        nf += p->chain->ln_pi[a] > -INFINITY && p->absorb[a] == HL_PASS_FREE;
    return 4.0 * 1.1102230246251565e-16 * (double)(2 * nf + 8);
}

const hl_pass_method hl_pass_gt = {"graph-transformation", gt_applies, gt_resolution, gt_solve};

void hl_gt_free(gt_t *g)
{
    gt_free(g);
}

int hl_gt_factor(const hl_pass_problem *p, double ln_lambda, gt_t *g, long *bad)
{
    memset(g, 0, sizeof *g);
    g->bad = -1;
    int st = gt_build(p, g);
    if (!st)
        st = gt_symbolic(g);
    if (!st)
        st = gt_numeric(p, g, hl_xf_exp(ln_lambda)); /* the scale cancels in Q - lambda M */
    if (bad)
        *bad = g->bad;
    if (st)
        gt_free(g);
    return st;
}

int hl_gt_refactor(const hl_pass_problem *p, double ln_lambda, gt_t *g, long *bad)
{
    g->bad = -1;
    int st = gt_numeric(p, g, hl_xf_exp(ln_lambda));
    if (bad)
        *bad = g->bad;
    return st;
}

void hl_gt_solve(const gt_t *g, hl_xf *b, hl_xf *x)
{
    if (g->sn) {
        hl_gt_sn_solve(g, b, x);
        return;
    }
    gt_forward(g, b);
    gt_back(g, b, x);
}

void hl_gt_solve2(const gt_t *g, hl_xf *b0, hl_xf *x0, hl_xf *b1, hl_xf *x1)
{
    if (g->sn) {
        hl_gt_sn_solve2(g, b0, x0, b1, x1);
        return;
    }
    hl_gt_solve(g, b0, x0);
    hl_gt_solve(g, b1, x1);
}
