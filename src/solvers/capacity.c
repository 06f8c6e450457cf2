/* SPDX-License-Identifier: GPL-3.0-or-later */
/* capacity.c -- the tunnelling rate of a two-basin chain from the capacity
 * of the committor (capacity.h). */
#include "capacity.h"

#include <math.h>
#include <stdlib.h>

#include <cholmod.h>
#include <umfpack.h>

#include "active.h"
#include "core.h"
#include "ordering_lock.h"
/* ------------------------------------------------ the committor, cut and symmetric */

/* States whose ln pi lies this far below the saddle's carry no flux that
 * the capacity can see: the cut costs at most e^-60 of it per edge (the
 * bound below is computed, not assumed). */
#define CAP_CUT 60.0

static double scale_q(double x, double s)
{
    return x == 0 ? 0.0 : copysign(exp(log(fabs(x)) + s), x);
}

/* The committor on the states that carry the flux, by a CHOLMOD Cholesky
 * factor of a symmetric positive definite system.
 *
 * The cut: R = the states connected to a (along edges with c > 0) through
 * states with ln pi >= ref - CAP_CUT, ref the largest (ln pi_i + ln pi_j)/2
 * of an edge between the basins (the saddle).  On the network cut to R
 * (every edge with an end outside R dropped, the walls reflect) the
 * committor q_R has the capacity cap_R <= cap (Rayleigh's monotonicity:
 * fewer edges, less conductance), and q_R extended by anything in [0, 1]
 * is a test function of the Dirichlet principle whose energy is at most
 * cap_R + W, W the sum of pi_i k(i -> j) over the dropped edges: so
 * cap_R <= cap <= cap_R + W.  *ln_w: ln W (-inf when nothing is cut); the
 * caller checks W / cap_R and solves the whole chain when it is not
 * negligible (cut = 0).
 *
 * Symmetric form: with qt = exp((ln pi - ref) / 2) q, the committor
 * equations sum_j k(i -> j) (q_j - q_i) = 0 become (-S_R) qt = 0 at the
 * states other than a and b (-S_R = Pi^{1/2} (-Q_R) Pi^{-1/2}, Q_R the
 * backward generator of the cut network, whose diagonal keeps only the
 * moves inside R), with qt_a = 0 and qt_b = exp((ln pi_b - ref) / 2).
 * qt is O(1) at the saddle; *done = 0 (and HL_OK) when it would leave the
 * range of doubles (ln pi above ref by more than 1300) or the factor is not
 * positive definite in doubles: the caller then uses UMFPACK. */
static int committor_cut(const hl_active *ch, const hl_rchain *c, const int *label, long ia,
                         long ib, int cut, double *q, double *ln_w, int *done)
{
    long m = ch->m;
    *done = 0;
    *ln_w = -INFINITY;
    double ref = -INFINITY, top = -INFINITY;
    for (long e = 0; e < ch->ne; e++) {
        int li = label[ch->state[ch->ea[e]]], lj = label[ch->state[ch->eb[e]]];
        if (ch->c[e] > 0 && ((li == 0 && lj == 1) || (li == 1 && lj == 0)))
            ref = fmax(ref, 0.5 * (c->ln_pi[ch->state[ch->ea[e]]] +
                                   c->ln_pi[ch->state[ch->eb[e]]]));
    }
    if (!(ref > -INFINITY))
        return HL_OK;
    long *loc = malloc(sizeof(long) * (size_t)m), *queue = malloc(sizeof(long) * (size_t)m);
    if (!loc || !queue) {
        free(loc);
        free(queue);
        return hl_fail(HL_ENOMEM, "out of memory for the committor of %ld states", m);
    }
    /* R by breadth-first search from a; loc: place in R or -1 */
    for (long i = 0; i < m; i++)
        loc[i] = -1;
    long r = 0, head = 0;
    double lo = cut ? ref - CAP_CUT : -INFINITY;
    loc[ia] = r;
    queue[r++] = ia;
    while (head < r) {
        long i = queue[head++];
        for (long s = ch->start[i]; s < ch->start[i + 1]; s++) {
            long e = ch->nbe[s], j = hl_active_other(ch, e, i);
            if (loc[j] < 0 && ch->c[e] > 0 && c->ln_pi[ch->state[j]] >= lo) {
                loc[j] = r;
                queue[r++] = j;
            }
        }
    }
    for (long k = 0; k < r; k++)
        top = fmax(top, c->ln_pi[ch->state[queue[k]]]);
    int st = HL_OK;
    cholmod_common cm;
    cholmod_l_start(&cm);
    cm.print = 0;
    cholmod_sparse *A = NULL;
    cholmod_dense *B = NULL, *X = NULL;
    cholmod_factor *L = NULL;
    if (loc[ib] < 0 || 0.5 * (top - ref) > 650)
        goto out; /* b not reached above the cut, or beyond doubles: UMFPACK */
    /* the dropped edges' weight: edges with c > 0 and an end outside R */
    double lw = -INFINITY;
    for (long e = 0; e < ch->ne; e++)
        if (ch->c[e] > 0 && (loc[ch->ea[e]] < 0 || loc[ch->eb[e]] < 0))
            lw = hl_lse(lw, 0.5 * (c->ln_pi[ch->state[ch->ea[e]]] +
                                   c->ln_pi[ch->state[ch->eb[e]]]) + c->ln_c[ch->edge[e]]);
    long nnz = r;
    for (long e = 0; e < ch->ne; e++)
        nnz += ch->c[e] > 0 && loc[ch->ea[e]] >= 0 && loc[ch->eb[e]] >= 0;
    A = cholmod_l_allocate_sparse((size_t)r, (size_t)r, (size_t)nnz, 1, 1, -1, CHOLMOD_REAL, &cm);
    B = cholmod_l_zeros((size_t)r, 1, CHOLMOD_REAL, &cm);
    if (!A || !B) {
        st = hl_fail(HL_ENOMEM, "out of memory for the committor of %ld states", r);
        goto out;
    }
    /* column k = state queue[k]... columns must be in R's order: sort R by
     * state so that the lower triangle is easy (neighbours ascending) */
    SuiteSparse_long *Ap = A->p, *Ai = A->i;
    double *Ax = A->x, *bx = B->x;
    /* renumber R in increasing state order (the chain's order) */
    long rr = 0;
    for (long i = 0; i < m; i++)
        if (loc[i] >= 0)
            loc[i] = rr++;
    double qb = exp(0.5 * (c->ln_pi[ch->state[ib]] - ref));
    long p = 0, col = 0;
    for (long i = 0; i < m; i++) {
        if (loc[i] < 0)
            continue;
        Ap[col] = p;
        long dpos = p;
        Ai[p] = col;
        Ax[p++] = 1.0;
        if (i != ia && i != ib) {
            double d = 0;
            for (long s = ch->start[i]; s < ch->start[i + 1]; s++) {
                long e = ch->nbe[s], j = hl_active_other(ch, e, i);
                if (!(ch->c[e] > 0) || loc[j] < 0)
                    continue;
                d += ch->ea[e] == i ? ch->up[e] : ch->dn[e]; /* k(i -> j) */
                if (j == ib)
                    bx[col] += ch->c[e] * qb;
                else if (j > i && j != ia) {
                    Ai[p] = loc[j];
                    Ax[p++] = -ch->c[e];
                }
            }
            Ax[dpos] = d;
        } else {
            bx[col] = i == ib ? qb : 0.0;
        }
        col++;
    }
    Ap[r] = p;
    hl_ordering_lock(); /* METIS: one ordering at a time (ordering_lock.h) */
    L = cholmod_l_analyze(A, &cm);
    hl_ordering_unlock();
    if (L)
        cholmod_l_factorize(A, L, &cm);
    if (!L || cm.status != CHOLMOD_OK) {
        if (cm.status == CHOLMOD_OUT_OF_MEMORY)
            st = hl_fail(HL_ENOMEM, "out of memory for the committor factor of %ld states", r);
        goto out; /* not definite in doubles: UMFPACK */
    }
    X = cholmod_l_solve(CHOLMOD_A, L, B, &cm);
    if (!X) {
        st = hl_fail(HL_ENOMEM, "CHOLMOD solve failed (status %d)", cm.status);
        goto out;
    }
    const double *xx = X->x;
    for (long i = 0; i < m; i++)
        q[i] = loc[i] < 0 ? NAN
               : i == ia  ? 0.0
               : i == ib  ? 1.0
                          : scale_q(xx[loc[i]], -0.5 * (c->ln_pi[ch->state[i]] - ref));
    *ln_w = lw;
    *done = 1;
out:
    cholmod_l_free_dense(&X, &cm);
    cholmod_l_free_dense(&B, &cm);
    cholmod_l_free_factor(&L, &cm);
    cholmod_l_free_sparse(&A, &cm);
    cholmod_l_finish(&cm);
    free(loc);
    free(queue);
    return st;
}

/* ln (dropped weight / capacity) below this: the cut changes the capacity
 * by less than 1e-15 relative (cap_R <= cap <= cap_R + W) */
#define CAP_NEGLIGIBLE (-34.5)

/* ln of the flux from basin 0 to basin 1 of q over the edges where q is
 * known (the capacity of the cut network), -inf if none */
static double cut_capacity(const hl_active *ch, const hl_rchain *c, const int *label,
                           const double *q)
{
    double lpos = -INFINITY, lneg = -INFINITY;
    for (long e = 0; e < ch->ne; e++) {
        long i = ch->ea[e], j = ch->eb[e];
        int li = label[ch->state[i]], lj = label[ch->state[j]];
        if (!(ch->c[e] > 0) || !((li == 0 && lj == 1) || (li == 1 && lj == 0)))
            continue;
        double dq = li == 0 ? q[j] - q[i] : q[i] - q[j];
        double lC = 0.5 * (c->ln_pi[ch->state[i]] + c->ln_pi[ch->state[j]]) + c->ln_c[ch->edge[e]];
        if (dq > 0)
            lpos = hl_lse(lpos, lC + log(dq));
        else if (dq < 0)
            lneg = hl_lse(lneg, lC + log(-dq));
    }
    if (!(lpos > lneg))
        return -INFINITY;
    return lneg == -INFINITY ? lpos : lpos + log1p(-exp(lneg - lpos));
}

int hl_rchain_tunnelling(const hl_rchain *c, const int *label, long a, long b,
                         double *ln_rate)
{
    if (!c || !label || !ln_rate)
        return hl_fail(HL_EINVAL, "hl_rchain_tunnelling: NULL argument");
    hl_active ch;
    int st = hl_active_init(&ch, c);
    if (st)
        return st;
    hl_rchain noexit = *c; /* the moves only */
    noexit.ln_exit = NULL;
    if ((st = hl_active_rates(&ch, &noexit))) {
        hl_active_free(&ch);
        return st;
    }
    long m = ch.m, n = ch.n;
    if (a < 0 || a >= n || b < 0 || b >= n || ch.idx[a] < 0 || ch.idx[b] < 0 || a == b ||
        label[a] != 0 || label[b] != 1) {
        hl_active_free(&ch);
        return hl_fail(HL_EINVAL, "tunnelling: states %ld and %ld are not active states of "
                                  "basins 0 and 1", a, b);
    }
    long ia = ch.idx[a], ib = ch.idx[b];
    /* the backward generator on functions, rows a and b replaced by q = 0, 1:
     * row i: sum_j k(i -> j) (q_j - q_i) = 0; compressed columns, rows in
     * increasing order */
    long nnz = m + 2 * ch.ne;
    SuiteSparse_long *Ap = malloc(sizeof(SuiteSparse_long) * (size_t)(m + 1));
    SuiteSparse_long *Ai = malloc(sizeof(SuiteSparse_long) * (size_t)nnz);
    double *Ax = malloc(sizeof(double) * (size_t)nnz), *rhs = calloc((size_t)m, sizeof(double));
    double *q = malloc(sizeof(double) * (size_t)m);
    void *sym = NULL, *num = NULL;
    if (!Ap || !Ai || !Ax || !rhs || !q) {
        st = hl_fail(HL_ENOMEM, "out of memory for the committor of %ld states", m);
        goto done;
    }
    long p = 0;
    for (long j = 0; j < m; j++) { /* column j: rows i with an edge to j, and j */
        Ap[j] = p;
        int diag = 0;
        for (long r = ch.start[j]; r <= ch.start[j + 1]; r++) {
            long e = r < ch.start[j + 1] ? ch.nbe[r] : -1;
            long i = e >= 0 ? hl_active_other(&ch, e, j) : m;
            if (!diag && i > j) { /* the diagonal in its place */
                diag = 1;
                Ai[p] = j;
                Ax[p++] = j == ia || j == ib ? 1.0 : -ch.out[j];
            }
            if (e < 0)
                break;
            Ai[p] = i;
            /* k(i -> j): up if i is the edge's first end */
            Ax[p++] = i == ia || i == ib ? 0.0 : (ch.ea[e] == i ? ch.up[e] : ch.dn[e]);
        }
    }
    Ap[m] = p;
    rhs[ib] = 1.0;
    /* the committor on the states that carry the flux (committor_cut); the
     * whole chain when the cut is not negligible; UMFPACK on the backward
     * generator when the symmetric form leaves the range of doubles */
    double ln_w = -INFINITY;
    int done_sym = 0;
    for (int cut = 1; cut >= 0 && !done_sym; cut--) {
        if ((st = committor_cut(&ch, c, label, ia, ib, cut, q, &ln_w, &done_sym)))
            goto done;
        if (done_sym && cut && ln_w > -INFINITY) {
            double lc = cut_capacity(&ch, c, label, q);
            if (!(ln_w - lc < CAP_NEGLIGIBLE))
                done_sym = 0; /* the dropped edges could matter: no cut */
        }
    }
    SuiteSparse_long s = UMFPACK_OK;
    if (!done_sym) {
        double control[UMFPACK_CONTROL], info[UMFPACK_INFO];
        umfpack_dl_defaults(control);
        control[UMFPACK_PRL] = 0;
        hl_ordering_lock(); /* METIS: one ordering at a time (ordering_lock.h) */
        s = umfpack_dl_symbolic(m, m, Ap, Ai, Ax, &sym, control, info);
        hl_ordering_unlock();
        if (s == UMFPACK_OK)
            s = umfpack_dl_numeric(Ap, Ai, Ax, sym, &num, control, info);
        if (s == UMFPACK_OK)
            s = umfpack_dl_solve(UMFPACK_A, Ap, Ai, Ax, q, rhs, num, control, info);
    }
    if (s != UMFPACK_OK) {
        st = hl_fail(HL_ENOCONV, "the committor solve failed (UMFPACK status %ld)", (long)s);
        goto done;
    }
    /* basin weights and the flux from A to B across their common edges
     * (each edge once, from its lower end; the neighbours above in
     * decreasing order) */
    double lpa = -INFINITY, lpb = -INFINITY, lpos = -INFINITY, lneg = -INFINITY;
    for (long i = 0; i < m; i++) {
        long ci = ch.state[i];
        if (label[ci] == 0)
            lpa = hl_lse(lpa, c->ln_pi[ci]);
        else if (label[ci] == 1)
            lpb = hl_lse(lpb, c->ln_pi[ci]);
        for (long r = ch.start[i + 1] - 1; r >= ch.start[i]; r--) {
            long e = ch.nbe[r], j = hl_active_other(&ch, e, i);
            if (j < i)
                break;
            if (!(ch.c[e] > 0))
                continue;
            long cj = ch.state[j];
            int from_a = label[ci] == 0 && label[cj] == 1,
                from_b = label[ci] == 1 && label[cj] == 0;
            if (!from_a && !from_b)
                continue;
            /* pi_i k(i -> j) = sqrt(pi_i pi_j) c_ij; flux A -> B */
            double lC = 0.5 * (c->ln_pi[ci] + c->ln_pi[cj]) + c->ln_c[ch.edge[e]];
            double dq = from_a ? q[j] - q[i] : q[i] - q[j];
            if (isnan(dq))
                continue; /* an edge the cut dropped (its weight is bounded) */
            if (dq > 0)
                lpos = hl_lse(lpos, lC + log(dq));
            else if (dq < 0)
                lneg = hl_lse(lneg, lC + log(-dq));
        }
    }
    if (!(lpos > lneg) || lpa == -INFINITY || lpb == -INFINITY) {
        st = hl_fail(HL_ENOCONV, "tunnelling: no net flux between the basins");
        goto done;
    }
    double lcap = lneg == -INFINITY ? lpos : lpos + log1p(-exp(lneg - lpos));
    double lmin = fmin(lpa, lpb);
    *ln_rate = lcap - lmin + log1p(exp(-fabs(lpa - lpb)));
done:
    umfpack_dl_free_numeric(&num);
    umfpack_dl_free_symbolic(&sym);
    free(Ap);
    free(Ai);
    free(Ax);
    free(rhs);
    free(q);
    hl_active_free(&ch);
    return st;
}
