/* SPDX-License-Identifier: GPL-3.0-or-later */
/* passage_direct.c -- the sparse direct method for first passage on a
 * reversible chain (rpassage.h): the Dirichlet system of the free states,
 * symmetrised with u = sqrt(pi) x,
 *
 *   S u = r,  S_aa = sum_b K(a -> b) + exit_a,  S_ab = -A_ab (b free),
 *
 * (S = M^{-1/2} (-L) M^{1/2} restricted to the free states, symmetric
 * positive definite when every free state reaches the absorbing set) with
 * r_a = sqrt(pi_a) for the mean time, r_a = sum_{b in B} A_ab sqrt(pi_b) for
 * the committor towards B (likewise A), solved by one CHOLMOD Cholesky
 * factorisation in double precision.  Independent of the graph
 * transformation; it applies when the weights and rates fit the double
 * range and its relative accuracy degrades with the conditioning of S (the
 * resolution is eps kappa, kappa the largest of 1 / rcond, CHOLMOD's
 * estimate from the diagonal of the factor, the lower bound
 * |S|_inf |u|_inf / |r|_inf of the condition number from the solves
 * themselves, and cond_inf(S) itself, with ||S^{-1}||_inf = max_a
 * (S^{-1} 1)_a exactly (S is a symmetric M-matrix, S^{-1} >= 0 entrywise;
 * one more column of the solve): rcond alone missed the conditioning of a
 * metastable chain, mfpt e^65 on the class lattice at D = 200 came out as
 * e^34 with a "resolution" of 1e-9; nine-community at T = 1: 9e-9 claimed,
 * 1.2e-6 observed). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cholmod.h>

#include "core.h"
#include "rpassage.h"
#include "ordering_lock.h"

#define LN_RANGE 650.0 /* |ln| of anything put into a double */

static double shift_of(const hl_pass_problem *p)
{
    const hl_rchain *c = p->chain;
    double s = -INFINITY;
    for (long a = 0; a < c->n; a++)
        if (p->absorb[a] == HL_PASS_FREE && c->ln_pi[a] > s)
            s = c->ln_pi[a];
    return s;
}

static int direct_applies(const hl_pass_problem *p, char *why, size_t len)
{
    const hl_rchain *c = p->chain;
    double sh = shift_of(p);
    if (sh == -INFINITY)
        return 1; /* no free state: nothing to solve */
    for (long a = 0; a < c->n; a++) {
        double v = c->ln_pi[a];
        if (v != -INFINITY && fabs(0.5 * (v - sh)) > LN_RANGE) {
            snprintf(why, len, "sqrt(pi) of state %ld is outside the double range "
                               "(ln pi spans more than %g)", a, 2 * LN_RANGE);
            return 0;
        }
    }
    for (long e = 0; e < c->m; e++) {
        double v = c->ln_c[e];
        if (v == -INFINITY || c->ln_pi[c->ea[e]] == -INFINITY || c->ln_pi[c->eb[e]] == -INFINITY)
            continue;
        double d = 0.5 * fabs(c->ln_pi[c->ea[e]] - c->ln_pi[c->eb[e]]);
        if (fabs(v) + d > LN_RANGE) {
            snprintf(why, len, "the rates of edge %ld are outside the double range", e);
            return 0;
        }
    }
    return 1;
}

/* 1 if every free state reaches an absorbing one along the edges (a
 * structural check: CHOLMOD's "not positive definite" is then round-off) */
static int reachable(const hl_pass_problem *p, const long *loc, long nf)
{
    const hl_rchain *c = p->chain;
    long n = c->n, reached = 0, head = 0, tail = 0;
    long *queue = malloc(sizeof(long) * (size_t)n);
    unsigned char *seen = calloc((size_t)n, 1);
    if (!queue || !seen || !c->adj_start) {
        free(queue);
        free(seen);
        return 0;
    }
    for (long a = 0; a < n; a++)
        if (c->ln_pi[a] > -INFINITY && p->absorb[a] != HL_PASS_FREE) {
            seen[a] = 1;
            queue[tail++] = a;
        }
    while (head < tail) {
        long a = queue[head++];
        for (long r = c->adj_start[a]; r < c->adj_start[a + 1]; r++) {
            long e = c->adj_edge[r], b = hl_rchain_other(c, e, a);
            if (!seen[b] && c->ln_c[e] > -INFINITY && loc[b] >= 0) {
                seen[b] = 1;
                reached++;
                queue[tail++] = b;
            }
        }
    }
    free(queue);
    free(seen);
    return reached == nf;
}

static int direct_solve(const hl_pass_problem *p, hl_pass_solution *s)
{
    const hl_rchain *c = p->chain;
    long n = c->n;
    long *loc = malloc(sizeof(long) * (size_t)n);
    if (!loc)
        return hl_fail(HL_ENOMEM, "out of memory (sparse direct passage, %ld states)", n);
    long nf = 0;
    for (long a = 0; a < n; a++)
        loc[a] = (c->ln_pi[a] > -INFINITY && p->absorb[a] == HL_PASS_FREE) ? nf++ : -1;
    double sh = shift_of(p);
    cholmod_common cm;
    cholmod_l_start(&cm);
    cm.print = 0;
    cm.error_handler = NULL;
    int st = HL_OK;
    cholmod_triplet *T = cholmod_l_allocate_triplet((size_t)(nf > 0 ? nf : 1), (size_t)(nf > 0 ? nf : 1),
                                                    (size_t)(nf + c->m), -1, CHOLMOD_REAL, &cm);
    cholmod_dense *R = cholmod_l_zeros((size_t)(nf > 0 ? nf : 1), 4, CHOLMOD_REAL, &cm);
    cholmod_sparse *S = NULL;
    cholmod_factor *L = NULL;
    cholmod_dense *U = NULL;
    double *diag = calloc((size_t)(nf > 0 ? nf : 1), sizeof(double));
    double *offsum = calloc((size_t)(nf > 0 ? nf : 1), sizeof(double));
    if (!T || !R || !diag || !offsum) {
        st = hl_fail(HL_ENOMEM, "out of memory (sparse direct passage, %ld states)", n);
        goto done;
    }
    long *ti = T->i, *tj = T->j;
    double *tx = T->x, *r = R->x;
    size_t nz = 0;
    for (long a = 0; a < n; a++)
        if (loc[a] >= 0) {
            r[loc[a]] = exp(0.5 * (c->ln_pi[a] - sh));
            r[loc[a] + 3 * nf] = 1.0; /* S^{-1} 1: the norm of the inverse */
            if (c->ln_exit && c->ln_exit[a] > -INFINITY)
                diag[loc[a]] += exp(c->ln_exit[a]);
        }
    for (long e = 0; e < c->m; e++) {
        long a = c->ea[e], b = c->eb[e];
        if (c->ln_c[e] == -INFINITY || c->ln_pi[a] == -INFINITY || c->ln_pi[b] == -INFINITY)
            continue;
        double A = exp(c->ln_c[e]), lr = 0.5 * (c->ln_pi[b] - c->ln_pi[a]);
        for (int side = 0; side < 2; side++) {
            long u = side ? b : a, v = side ? a : b;
            double lk = c->ln_c[e] + (side ? -lr : lr); /* ln K(u -> v) */
            if (loc[u] < 0)
                continue;
            diag[loc[u]] += exp(lk);
            if (loc[v] >= 0) {
                if (side == 0) { /* lower triangle once */
                    long i = loc[u] > loc[v] ? loc[u] : loc[v], j = loc[u] > loc[v] ? loc[v] : loc[u];
                    ti[nz] = i;
                    tj[nz] = j;
                    tx[nz++] = -A;
                    offsum[loc[u]] += A;
                    offsum[loc[v]] += A;
                }
            } else {
                /* A_uv sqrt(pi_v) */
                double t = exp(c->ln_c[e] + 0.5 * (c->ln_pi[v] - sh));
                r[loc[u] + nf * (p->absorb[v] == HL_PASS_TO_B ? 1 : 2)] += t;
            }
        }
    }
    for (long k = 0; k < nf; k++) {
        ti[nz] = tj[nz] = k;
        tx[nz++] = diag[k];
    }
    T->nnz = nz;
    double rc = 1.0, cond = 1.0;
    const double *u = NULL;
    if (nf == 0)
        goto fill; /* every state absorbing: nothing to solve */
    S = cholmod_l_triplet_to_sparse(T, nz, &cm);
    if (!S) {
        st = hl_fail(HL_ENOMEM, "out of memory (sparse direct passage, %ld states)", n);
        goto done;
    }
    hl_ordering_lock(); /* METIS: one ordering at a time (ordering_lock.h) */
    L = cholmod_l_analyze(S, &cm);
    hl_ordering_unlock();
    if (!L || !cholmod_l_factorize(S, L, &cm)) {
        st = hl_fail(HL_ENOMEM, "CHOLMOD failed (status %d)", cm.status);
        goto done;
    }
    if (cm.status == CHOLMOD_NOT_POSDEF) {
        if (!reachable(p, loc, nf)) {
            st = hl_fail(HL_ENOTFOUND, "the Dirichlet system is singular: a state cannot "
                                       "reach the absorbing states (sparse direct)");
            goto done;
        }
        /* structurally positive definite, so the failed pivot is round-off:
         * the condition number is beyond 1/eps and no digit of any value is
         * known (NaN, resolution inf), as when the solve loses them all; how
         * much of this depends on the CPU's BLAS kernels */
        rc = 0.0;
        goto fill;
    }
    rc = cholmod_l_rcond(L, &cm);
    U = cholmod_l_solve(CHOLMOD_A, L, R, &cm);
    if (!U) {
        st = hl_fail(HL_ENOMEM, "CHOLMOD solve failed (status %d)", cm.status);
        goto done;
    }
    u = U->x;
    /* kappa_inf >= |S|_inf |S^-1 r|_inf / |r|_inf for every right-hand side */
    {
        double snorm = 0;
        double *rowsum = calloc((size_t)nf, sizeof(double));
        if (!rowsum) {
            st = hl_fail(HL_ENOMEM, "out of memory (sparse direct passage, %ld states)", n);
            goto done;
        }
        for (size_t k = 0; k < nz; k++) {
            rowsum[ti[k]] += fabs(tx[k]);
            if (ti[k] != tj[k])
                rowsum[tj[k]] += fabs(tx[k]);
        }
        for (long k = 0; k < nf; k++)
            snorm = fmax(snorm, rowsum[k]);
        free(rowsum);
        for (int o = 0; o < 3; o++) {
            double rn = 0, un = 0;
            for (long k = 0; k < nf; k++) {
                rn = fmax(rn, fabs(r[k + nf * o]));
                un = fmax(un, fabs(u[k + nf * o]));
            }
            if (rn > 0) {
                double kl = snorm * un / rn; /* NaN or inf: nothing resolved */
                if (!(kl <= 1.0 / rc))
                    rc = isfinite(kl) && kl > 0 ? 1.0 / kl : 0.0;
            }
        }
    }
    double ninv = 0, nS = 0;
    for (long k = 0; k < nf; k++) {
        ninv = fmax(ninv, u[k + 3 * nf]);
        nS = fmax(nS, diag[k] + offsum[k]);
    }
    cond = ninv * nS;
fill:;
    double *outs[3] = {s->ln_tau, s->ln_q, s->ln_qm};
    s->lost = 0;
    for (int o = 0; o < 3; o++) {
        double *out = outs[o];
        if (!out)
            continue;
        for (long a = 0; a < n; a++) {
            if (c->ln_pi[a] == -INFINITY)
                out[a] = NAN;
            else if (loc[a] >= 0) {
                double v = u ? u[loc[a] + nf * o] : NAN;
                if (v > 0 && isfinite(v))
                    out[a] = log(v) - 0.5 * (c->ln_pi[a] - sh);
                else {
                    out[a] = NAN;
                    s->lost++;
                }
            } else if (o == 0)
                out[a] = -INFINITY;
            else
                out[a] = (p->absorb[a] == (o == 1 ? HL_PASS_TO_B : HL_PASS_TO_A)) ? 0.0
                                                                                  : -INFINITY;
        }
    }
    s->method = hl_pass_direct.name;
    s->resolution = rc > 0 && isfinite(cond) ? 2.220446049250313e-16 * fmax(1.0 / rc, cond)
                                             : INFINITY;
done:
    cholmod_l_free_dense(&U, &cm);
    cholmod_l_free_factor(&L, &cm);
    cholmod_l_free_sparse(&S, &cm);
    cholmod_l_free_dense(&R, &cm);
    cholmod_l_free_triplet(&T, &cm);
    cholmod_l_finish(&cm);
    free(diag);
    free(offsum);
    free(loc);
    return st;
}

/* known only after the factorisation: eps / rcond */
static double direct_resolution(const hl_pass_problem *p)
{
    (void)p;
    return NAN;
}

const hl_pass_method hl_pass_direct = {"sparse-direct", direct_applies, direct_resolution,
                                       direct_solve};
