/* SPDX-License-Identifier: GPL-3.0-or-later */
/* capacity.c -- the tunnelling rate of a two-basin chain from the capacity
 * of the committor (capacity.h). */
#include "capacity.h"

#include <math.h>
#include <stdlib.h>

#include <umfpack.h>

#include "active.h"
#include "core.h"

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
    double control[UMFPACK_CONTROL], info[UMFPACK_INFO];
    umfpack_dl_defaults(control);
    control[UMFPACK_PRL] = 0;
    SuiteSparse_long s = umfpack_dl_symbolic(m, m, Ap, Ai, Ax, &sym, control, info);
    if (s == UMFPACK_OK)
        s = umfpack_dl_numeric(Ap, Ai, Ax, sym, &num, control, info);
    if (s == UMFPACK_OK)
        s = umfpack_dl_solve(UMFPACK_A, Ap, Ai, Ax, q, rhs, num, control, info);
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
