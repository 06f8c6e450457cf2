/* gridchain.c -- reversible nearest-neighbour chains on a rectangular grid
 * (gridchain.h): the slowest relaxation rates (dense LAPACK dsyevr for
 * small chains, ARPACK shift-invert with a CHOLMOD Cholesky factor of
 * -S + sigma I otherwise) and the master equation dP/dt = L P (SUNDIALS
 * CVODE, BDF, GMRES with exact products L v, preconditioned by an UMFPACK
 * LU of I - gamma L).
 *
 * Everything works on the active cells (ln pi > -inf) only, numbered in
 * the order of the cells, so the compressed index keeps the grid order and
 * the neighbours of a cell stay sorted. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpack/arpack.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <cholmod.h>
#include <cvode/cvode.h>
#include <lapacke.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_spgmr.h>
#include <umfpack.h>

#include "gridchain.h"
#include "internal.h"

/* ------------------------------------------------------------ allocation */

int hl_gridchain_alloc(hl_gridchain *g, long n1, long n2)
{
    if (!g)
        return hl_fail(HL_EINVAL, "hl_gridchain_alloc: NULL chain");
    g->n1 = g->n2 = 0;
    g->ln_pi = g->ln_c1 = g->ln_c2 = NULL;
    if (n1 < 1 || n2 < 1)
        return hl_fail(HL_EINVAL, "a %ld x %ld grid chain: both sizes must be at least 1", n1,
                       n2);
    if (n1 > (long)(SIZE_MAX / (3 * sizeof(double))) / n2)
        return hl_fail(HL_ERANGE, "a %ld x %ld grid chain is too large", n1, n2);
    size_t n = (size_t)n1 * (size_t)n2;
    g->ln_pi = malloc(n * sizeof(double));
    g->ln_c1 = malloc(n * sizeof(double));
    g->ln_c2 = malloc(n * sizeof(double));
    if (!g->ln_pi || !g->ln_c1 || !g->ln_c2) {
        hl_gridchain_free(g);
        return hl_fail(HL_ENOMEM, "out of memory for a %ld x %ld grid chain (%.3g MB)", n1, n2,
                       3.0 * (double)n * sizeof(double) / 1e6);
    }
    for (size_t i = 0; i < n; i++)
        g->ln_pi[i] = g->ln_c1[i] = g->ln_c2[i] = -INFINITY;
    g->n1 = n1;
    g->n2 = n2;
    return HL_OK;
}

void hl_gridchain_free(hl_gridchain *g)
{
    if (!g)
        return;
    free(g->ln_pi);
    free(g->ln_c1);
    free(g->ln_c2);
    g->ln_pi = g->ln_c1 = g->ln_c2 = NULL;
    g->n1 = g->n2 = 0;
}

void hl_gridchain_restrict(hl_gridchain *g, const unsigned char *keep)
{
    long n1 = g->n1, n2 = g->n2;
    for (long i1 = 0; i1 < n1; i1++)
        for (long i2 = 0; i2 < n2; i2++) {
            long i = i1 * n2 + i2;
            if (keep[i])
                continue;
            g->ln_pi[i] = g->ln_c1[i] = g->ln_c2[i] = -INFINITY;
            if (i1 > 0)
                g->ln_c1[i - n2] = -INFINITY;
            if (i2 > 0)
                g->ln_c2[i - 1] = -INFINITY;
        }
}

static _Thread_local long dense_limit = 2000;

long hl_gridchain_dense_limit(long limit)
{
    long old = dense_limit;
    if (limit >= 0)
        dense_limit = limit;
    return old;
}

/* ------------------------------------------------------- the active chain */

typedef struct {
    long n1, n2, n;        /* grid and its cells                                */
    long m;                /* active cells                                      */
    long *idx;             /* n: compressed index of a cell, -1 if not active   */
    long *cell;            /* m: the cell of a compressed index                 */
    long *lo[2], *hi[2];   /* m: active neighbour one step down / up along axis
                              1 (d = 0) and axis 2 (d = 1); -1 if none          */
    double *up[2], *dn[2]; /* m: rates of the edge a -- hi[d][a]: a -> hi (up),
                              hi -> a (dn); 0 without an edge                   */
    double *c[2];          /* m: its conductance exp(ln c) (S off the diagonal) */
    double *out;           /* m: total rate out of a (sum of the same numbers,
                              plus the exit rate)                               */
    double *kill;          /* m: exit (killing) rate of a, or NULL for none     */
} chain_t;

static void chain_free(chain_t *ch)
{
    free(ch->idx);
    free(ch->cell);
    for (int d = 0; d < 2; d++) {
        free(ch->lo[d]);
        free(ch->hi[d]);
        free(ch->up[d]);
        free(ch->dn[d]);
        free(ch->c[d]);
    }
    free(ch->out);
    free(ch->kill);
    memset(ch, 0, sizeof *ch);
}

static int check_chain(const hl_gridchain *g)
{
    if (!g || !g->ln_pi || !g->ln_c1 || !g->ln_c2)
        return hl_fail(HL_EINVAL, "grid chain: NULL chain or array");
    if (g->n1 < 1 || g->n2 < 1)
        return hl_fail(HL_EINVAL, "grid chain of %ld x %ld cells", g->n1, g->n2);
    return HL_OK;
}

/* ln pi must be finite or -inf */
static int check_ln_pi(const hl_gridchain *g, long i)
{
    double v = g->ln_pi[i];
    if (isnan(v) || v == INFINITY)
        return hl_fail(HL_EDOM, "ln pi of cell (%ld, %ld) is %g", i / g->n2, i % g->n2, v);
    return HL_OK;
}

/* the map to the active cells and the neighbour lists */
static int chain_init(chain_t *ch, const hl_gridchain *g)
{
    memset(ch, 0, sizeof *ch);
    int st = check_chain(g);
    if (st)
        return st;
    long n1 = g->n1, n2 = g->n2, n = n1 * n2, m = 0;
    for (long i = 0; i < n; i++) {
        if ((st = check_ln_pi(g, i)))
            return st;
        m += g->ln_pi[i] > -INFINITY;
    }
    if (m == 0)
        return hl_fail(HL_EINVAL, "the grid chain has no cell (every ln pi is -inf)");
    ch->n1 = n1;
    ch->n2 = n2;
    ch->n = n;
    ch->m = m;
    size_t sm = (size_t)m;
    ch->idx = malloc(sizeof(long) * (size_t)n);
    ch->cell = malloc(sizeof(long) * sm);
    int ok = ch->idx && ch->cell;
    for (int d = 0; d < 2; d++) {
        ch->lo[d] = malloc(sizeof(long) * sm);
        ch->hi[d] = malloc(sizeof(long) * sm);
        ch->up[d] = calloc(sm, sizeof(double));
        ch->dn[d] = calloc(sm, sizeof(double));
        ch->c[d] = calloc(sm, sizeof(double));
        ok = ok && ch->lo[d] && ch->hi[d] && ch->up[d] && ch->dn[d] && ch->c[d];
    }
    ch->out = calloc(sm, sizeof(double));
    if (!ok || !ch->out) {
        chain_free(ch);
        return hl_fail(HL_ENOMEM, "out of memory for a grid chain of %ld cells", m);
    }
    for (long i = 0, a = 0; i < n; i++) {
        ch->idx[i] = g->ln_pi[i] > -INFINITY ? a : -1;
        if (ch->idx[i] >= 0)
            ch->cell[a++] = i;
    }
    for (long a = 0; a < m; a++) {
        long i = ch->cell[a], i1 = i / n2, i2 = i % n2;
        ch->lo[0][a] = i1 > 0 ? ch->idx[i - n2] : -1;
        ch->hi[0][a] = i1 < n1 - 1 ? ch->idx[i + n2] : -1;
        ch->lo[1][a] = i2 > 0 ? ch->idx[i - 1] : -1;
        ch->hi[1][a] = i2 < n2 - 1 ? ch->idx[i + 1] : -1;
    }
    return HL_OK;
}

/* g (refilled) must have the same active cells as ch */
static int chain_same_cells(const chain_t *ch, const hl_gridchain *g)
{
    if (g->n1 != ch->n1 || g->n2 != ch->n2 || !g->ln_pi || !g->ln_c1 || !g->ln_c2)
        return hl_fail(HL_EINVAL, "fill changed the grid chain's size or arrays");
    for (long i = 0; i < ch->n; i++) {
        int st = check_ln_pi(g, i);
        if (st)
            return st;
        if ((g->ln_pi[i] > -INFINITY) != (ch->idx[i] >= 0))
            return hl_fail(HL_EINVAL, "fill changed the set of cells (cell (%ld, %ld))",
                           i / ch->n2, i % ch->n2);
    }
    return HL_OK;
}

/* the rates k(i -> j) = exp(ln c + (ln pi_j - ln pi_i) / 2) of every edge
 * and the outflow as the sum of the same numbers */
static int chain_rates(chain_t *ch, const hl_gridchain *g)
{
    long m = ch->m, n2 = ch->n2;
    for (int d = 0; d < 2; d++) {
        const double *lnc = d == 0 ? g->ln_c1 : g->ln_c2;
        for (long a = 0; a < m; a++) {
            long b = ch->hi[d][a];
            ch->up[d][a] = ch->dn[d][a] = ch->c[d][a] = 0;
            if (b < 0)
                continue;
            long i = ch->cell[a], j = ch->cell[b];
            double lc = lnc[i];
            if (isnan(lc) || lc == INFINITY)
                return hl_fail(HL_EDOM, "ln c of the axis-%d edge at cell (%ld, %ld) is %g",
                               d + 1, i / n2, i % n2, lc);
            if (lc == -INFINITY)
                continue;
            double half = 0.5 * (g->ln_pi[j] - g->ln_pi[i]);
            double u = exp(lc + half), w = exp(lc - half), c = exp(lc);
            if (!isfinite(u) || !isfinite(w) || !isfinite(c))
                return hl_fail(HL_ERANGE,
                               "the rates of the axis-%d edge at cell (%ld, %ld) overflow "
                               "(ln c = %g, ln pi %g -> %g)",
                               d + 1, i / n2, i % n2, lc, g->ln_pi[i], g->ln_pi[j]);
            ch->up[d][a] = u;
            ch->dn[d][a] = w;
            ch->c[d][a] = c;
        }
    }
    for (long a = 0; a < m; a++) {
        double s = ch->up[0][a] + ch->up[1][a];
        if (ch->lo[0][a] >= 0)
            s += ch->dn[0][ch->lo[0][a]];
        if (ch->lo[1][a] >= 0)
            s += ch->dn[1][ch->lo[1][a]];
        if (!isfinite(s))
            return hl_fail(HL_ERANGE, "the total rate out of cell (%ld, %ld) overflows",
                           ch->cell[a] / n2, ch->cell[a] % n2);
        ch->out[a] = s;
    }
    return HL_OK;
}

/* f = L x on the active cells in flux form: each edge moves J = k(a -> b)
 * x_a - k(b -> a) x_b from a to b, and the same float J is subtracted and
 * added, so sum f vanishes up to the rounding of the accumulation, which is
 * relative to the net fluxes (these vanish at equilibrium).  The gather
 * form -out_a x_a + sum k x_b would leave eps out x per cell instead,
 * which BDF multiplies by gamma ~ h: at h ~ 1e8 that broke conservation. */
static void chain_apply(const chain_t *ch, const double *x, double *f)
{
    long m = ch->m;
    memset(f, 0, sizeof(double) * (size_t)m);
    for (int d = 0; d < 2; d++) {
        const long *hi = ch->hi[d];
        const double *up = ch->up[d], *dn = ch->dn[d];
        for (long a = 0; a < m; a++) {
            long b = hi[a];
            if (b < 0)
                continue;
            double J = up[a] * x[a] - dn[a] * x[b];
            f[a] -= J;
            f[b] += J;
        }
    }
}

/* Gershgorin bound of the spectrum of -S: max_a (out_a + sum_b c_ab) */
static double chain_norm(const chain_t *ch)
{
    double norm = 0;
    for (long a = 0; a < ch->m; a++) {
        double s = ch->out[a] + ch->c[0][a] + ch->c[1][a];
        if (ch->lo[0][a] >= 0)
            s += ch->c[0][ch->lo[0][a]];
        if (ch->lo[1][a] >= 0)
            s += ch->c[1][ch->lo[1][a]];
        norm = fmax(norm, s);
    }
    return norm;
}

/* The exit rates exp(ln_kill) of the active cells (ln_kill: n entries,
 * -inf for none; finite or -inf), added to the outflow.  After
 * chain_rates. */
static int chain_set_kill(chain_t *ch, const double *ln_kill)
{
    long m = ch->m, n2 = ch->n2;
    ch->kill = calloc((size_t)m, sizeof(double));
    if (!ch->kill)
        return hl_fail(HL_ENOMEM, "out of memory for the exit rates of %ld cells", m);
    for (long a = 0; a < m; a++) {
        long i = ch->cell[a];
        double lk = ln_kill[i];
        if (isnan(lk) || lk == INFINITY)
            return hl_fail(HL_EDOM, "ln of the exit rate of cell (%ld, %ld) is %g", i / n2,
                           i % n2, lk);
        double k = exp(lk);
        if (!isfinite(k) || !isfinite(ch->out[a] + k))
            return hl_fail(HL_ERANGE, "the exit rate of cell (%ld, %ld) overflows (ln %g)",
                           i / n2, i % n2, lk);
        ch->kill[a] = k;
        ch->out[a] += k;
    }
    return HL_OK;
}

/* ------------------------------------------------------------ components */

/* Connected components of the active cells along edges with c > 0 and
 * the unit null vector sqrt(pi) of each: members[start[q] .. start[q+1])
 * are the cells of component q (the first member is its lowest cell),
 * comp[a] its number, u[a] = sqrt(pi_a / max pi) / norm on the component. */
typedef struct {
    long n;         /* components */
    long *start;    /* n + 1 */
    long *members;  /* m     */
    long *comp;     /* m     */
    double *u;      /* m     */
} comps_t;

static void comps_free(comps_t *c)
{
    free(c->start);
    free(c->members);
    free(c->comp);
    free(c->u);
    memset(c, 0, sizeof *c);
}

static int comps_find(const chain_t *ch, const hl_gridchain *g, comps_t *c)
{
    long m = ch->m;
    memset(c, 0, sizeof *c);
    c->start = malloc(sizeof(long) * (size_t)(m + 1));
    c->members = malloc(sizeof(long) * (size_t)m);
    c->comp = malloc(sizeof(long) * (size_t)m);
    c->u = malloc(sizeof(double) * (size_t)m);
    if (!c->start || !c->members || !c->comp || !c->u) {
        comps_free(c);
        return hl_fail(HL_ENOMEM, "out of memory for the components of a %ld-cell chain", m);
    }
    for (long a = 0; a < m; a++)
        c->comp[a] = -1;
    long nq = 0, tail = 0;
    for (long s = 0; s < m; s++) {
        if (c->comp[s] >= 0)
            continue;
        long head = tail;
        c->start[nq] = head;
        c->members[tail++] = s;
        c->comp[s] = nq;
        while (head < tail) { /* breadth first: members[] is the queue */
            long a = c->members[head++];
            long nb[4] = {ch->lo[0][a], ch->hi[0][a], ch->lo[1][a], ch->hi[1][a]};
            double cc[4] = {nb[0] >= 0 ? ch->c[0][nb[0]] : 0, ch->c[0][a],
                            nb[2] >= 0 ? ch->c[1][nb[2]] : 0, ch->c[1][a]};
            for (int e = 0; e < 4; e++)
                if (nb[e] >= 0 && cc[e] > 0 && c->comp[nb[e]] < 0) {
                    c->comp[nb[e]] = nq;
                    c->members[tail++] = nb[e];
                }
        }
        nq++;
    }
    c->start[nq] = m;
    c->n = nq;
    for (long a = 0; a < m; a++)
        c->u[a] = 0;
    if (ch->kill) { /* a component with an exit has no null vector: drop it */
        long nk = 0, p = 0;
        for (long q = 0; q < nq; q++) {
            long s0 = c->start[q], s1 = c->start[q + 1]; /* read before start[nk <= q] */
            int exits = 0;
            for (long r = s0; r < s1; r++)
                exits |= ch->kill[c->members[r]] > 0;
            if (exits) {
                for (long r = s0; r < s1; r++)
                    c->comp[c->members[r]] = -1;
                continue;
            }
            c->start[nk] = p;
            for (long r = s0; r < s1; r++) { /* p <= r: moves forward only */
                c->comp[c->members[r]] = nk;
                c->members[p++] = c->members[r];
            }
            nk++;
        }
        c->start[nk] = p;
        c->n = nq = nk;
    }
    for (long q = 0; q < nq; q++) {
        double mx = -INFINITY, ss = 0;
        for (long r = c->start[q]; r < c->start[q + 1]; r++)
            mx = fmax(mx, g->ln_pi[ch->cell[c->members[r]]]);
        for (long r = c->start[q]; r < c->start[q + 1]; r++) {
            long a = c->members[r];
            c->u[a] = exp(0.5 * (g->ln_pi[ch->cell[a]] - mx));
            ss += c->u[a] * c->u[a];
        }
        double inv = 1.0 / sqrt(ss);
        for (long r = c->start[q]; r < c->start[q + 1]; r++)
            c->u[c->members[r]] *= inv;
    }
    return HL_OK;
}

/* x -= sum_q (u_q . x) u_q; dot: workspace of c->n (cells of components
 * with an exit, comp = -1, are left alone) */
static void comps_project(const comps_t *c, long m, double *x, double *dot)
{
    for (long q = 0; q < c->n; q++)
        dot[q] = 0;
    for (long a = 0; a < m; a++)
        if (c->comp[a] >= 0)
            dot[c->comp[a]] += c->u[a] * x[a];
    for (long a = 0; a < m; a++)
        if (c->comp[a] >= 0)
            x[a] -= dot[c->comp[a]] * c->u[a];
}

/* -------------------------------------------------------------- spectrum */

/* The shift-invert operator x -> P (-S + sigma I)^{-1} P x, P the
 * projector on the complement of the null vectors, with a CHOLMOD sparse
 * Cholesky factor (fill-reducing ordering).  -S is an M-matrix and its
 * Cholesky solves are accurate componentwise, so the images of the
 * operator are accurate even where the vectors are tiny (ln pi spanning
 * thousands). */
typedef struct {
    cholmod_common cm;
    int started;
    cholmod_sparse *A;
    cholmod_factor *L;
    cholmod_dense *B, *X, *Y, *E;
    const comps_t *cp;
    double *dot;
    long m;
    double sigma;
    long applies;
} sinv_t;

static void sinv_free(sinv_t *s)
{
    if (s->started) {
        cholmod_l_free_dense(&s->B, &s->cm);
        cholmod_l_free_dense(&s->X, &s->cm);
        cholmod_l_free_dense(&s->Y, &s->cm);
        cholmod_l_free_dense(&s->E, &s->cm);
        cholmod_l_free_factor(&s->L, &s->cm);
        cholmod_l_free_sparse(&s->A, &s->cm);
        cholmod_l_finish(&s->cm);
    }
    free(s->dot);
    s->started = 0;
    s->dot = NULL;
}

static int sinv_init(sinv_t *s, const chain_t *ch, const comps_t *cp, double norm)
{
    memset(s, 0, sizeof *s);
    long m = ch->m;
    s->m = m;
    s->cp = cp;
    cholmod_l_start(&s->cm);
    s->started = 1;
    s->cm.print = 0;
    /* lower triangle of -S: column a holds a, then hi[1][a] < hi[0][a] */
    long nnz = m;
    for (long a = 0; a < m; a++)
        nnz += (ch->hi[0][a] >= 0 && ch->c[0][a] > 0) + (ch->hi[1][a] >= 0 && ch->c[1][a] > 0);
    s->A = cholmod_l_allocate_sparse((size_t)m, (size_t)m, (size_t)nnz, 1, 1, -1, CHOLMOD_REAL,
                                     &s->cm);
    s->B = cholmod_l_allocate_dense((size_t)m, 1, (size_t)m, CHOLMOD_REAL, &s->cm);
    s->dot = malloc(sizeof(double) * (size_t)(cp->n + 1));
    if (!s->A || !s->B || !s->dot)
        return hl_fail(HL_ENOMEM, "out of memory for the sparse generator of %ld cells", m);
    SuiteSparse_long *Ap = s->A->p, *Ai = s->A->i;
    double *Ax = s->A->x;
    long p = 0;
    for (long a = 0; a < m; a++) {
        Ap[a] = p;
        Ai[p] = a;
        Ax[p++] = ch->out[a];
        for (int d = 1; d >= 0; d--)
            if (ch->hi[d][a] >= 0 && ch->c[d][a] > 0) {
                Ai[p] = ch->hi[d][a];
                Ax[p++] = -ch->c[d][a];
            }
    }
    Ap[m] = p;
    s->L = cholmod_l_analyze(s->A, &s->cm);
    if (!s->L)
        return hl_fail(s->cm.status == CHOLMOD_OUT_OF_MEMORY ? HL_ENOMEM : HL_ENOCONV,
                       "CHOLMOD could not analyse the %ld-cell chain (status %d)", m,
                       s->cm.status);
    /* sigma far below the slow rates (the wanted 1/(lambda + sigma) stay
     * apart) but well above the round-off of the factor; raised if the
     * factor is not positive definite */
    s->sigma = norm > 0 ? 1e3 * DBL_EPSILON * norm : 1.0;
    for (int attempt = 0;; attempt++) {
        double beta[2] = {s->sigma, 0};
        cholmod_l_factorize_p(s->A, beta, NULL, 0, s->L, &s->cm);
        if (s->cm.status == CHOLMOD_OK)
            break;
        if (s->cm.status == CHOLMOD_NOT_POSDEF && attempt < 5) {
            s->sigma *= 100;
            continue;
        }
        return hl_fail(s->cm.status == CHOLMOD_OUT_OF_MEMORY ? HL_ENOMEM : HL_ENOCONV,
                       "CHOLMOD could not factor -S + %g I on %ld cells (status %d)", s->sigma,
                       m, s->cm.status);
    }
    return HL_OK;
}

/* y = P (-S + sigma I)^{-1} P x (x and y may be the same) */
static int sinv_apply(sinv_t *s, const double *x, double *y)
{
    long m = s->m;
    double *bx = s->B->x;
    memcpy(bx, x, sizeof(double) * (size_t)m);
    comps_project(s->cp, m, bx, s->dot);
    if (!cholmod_l_solve2(CHOLMOD_A, s->L, s->B, NULL, &s->X, NULL, &s->Y, &s->E, &s->cm))
        return hl_fail(HL_ENOMEM, "CHOLMOD solve failed (status %d)", s->cm.status);
    memcpy(y, s->X->x, sizeof(double) * (size_t)m);
    comps_project(s->cp, m, y, s->dot);
    s->applies++;
    return HL_OK;
}

/* sort w[0..nev) ascending, permuting x[] and the columns of z (m x nev,
 * column q at z + q * m) with it */
static void sort_pairs(double *w, double *z, double *x, long m, long nev)
{
    for (long i = 1; i < nev; i++)
        for (long j = i; j > 0 && w[j - 1] > w[j]; j--) {
            double t = w[j];
            w[j] = w[j - 1];
            w[j - 1] = t;
            t = x[j];
            x[j] = x[j - 1];
            x[j - 1] = t;
            for (long r = 0; r < m; r++) {
                double u = z[r + j * m];
                z[r + j * m] = z[r + (j - 1) * m];
                z[r + (j - 1) * m] = u;
            }
        }
}

/* dense: the nb largest eigenvalues theta of the explicit shift-invert
 * operator M = P (-S + sigma I)^{-1} P (m sparse solves, accurate
 * componentwise; dsyevr on -S itself would be accurate only to eps norm,
 * useless when ln pi spans thousands), i.e. the nb smallest non-zero
 * rates 1/theta - sigma, and their vectors z (m x nb, column q at z + q m) */
static int spectrum_dense(sinv_t *op, long nb, double *w, double *z)
{
    long m = op->m;
    int st = HL_OK;
    double *a = malloc(sizeof(double) * (size_t)m * (size_t)m);
    double *th = malloc(sizeof(double) * (size_t)m);
    double *zr = malloc(sizeof(double) * (size_t)m * (size_t)nb);
    lapack_int *isuppz = malloc(sizeof(lapack_int) * 2 * (size_t)m);
    if (!a || !th || !isuppz || !zr) {
        st = hl_fail(HL_ENOMEM, "out of memory for the dense %ld x %ld operator", m, m);
        goto out;
    }
    for (long j = 0; j < m; j++) { /* column j = row j (symmetric) */
        double *col = a + j * m;
        memset(col, 0, sizeof(double) * (size_t)m);
        col[j] = 1;
        if ((st = sinv_apply(op, col, col)))
            goto out;
    }
    for (long i = 0; i < m; i++)
        for (long j = 0; j < i; j++)
            a[i * m + j] = a[j * m + i] = 0.5 * (a[i * m + j] + a[j * m + i]);
    lapack_int found = 0;
    lapack_int info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 'V', 'I', 'L', (lapack_int)m, a,
                                     (lapack_int)m, 0, 0, (lapack_int)(m - nb + 1), (lapack_int)m,
                                     0.0, &found, th, zr, (lapack_int)nb, isuppz);
    if (info != 0 || found != nb) {
        st = hl_fail(HL_ENOCONV, "LAPACK dsyevr failed on the %ld-cell chain (info %d)", m,
                     (int)info);
        goto out;
    }
    for (long q = 0; q < nb; q++) { /* theta ascending: rates descending */
        long r = nb - 1 - q;
        w[q] = th[r] > 0 ? 1.0 / th[r] - op->sigma : 0.0;
        for (long i = 0; i < m; i++)
            z[i + q * m] = zr[i * nb + r];
    }
out:
    free(a);
    free(th);
    free(zr);
    free(isuppz);
    return st;
}

/* ARPACK (dsaupd/dseupd, mode 3) with the shift-invert operator */
static int spectrum_arnoldi(sinv_t *op, long nev, double *w, double *z)
{
    long m = op->m, mc = m - op->cp->n; /* dimension of the complement */
    int st = HL_OK;
    a_int ncv = (a_int)(2 * nev + 20 < mc ? 2 * nev + 20 : mc);
    a_int lworkl = ncv * (ncv + 8), ido = 0, iparam[11] = {0}, ipntr[14] = {0}, ainfo = 0;
    double *resid = malloc(sizeof(double) * (size_t)m);
    double *v = malloc(sizeof(double) * (size_t)m * (size_t)ncv);
    double *workd = malloc(sizeof(double) * 3 * (size_t)m);
    double *workl = malloc(sizeof(double) * (size_t)lworkl);
    double *d = malloc(sizeof(double) * (size_t)nev);
    a_int *sel = calloc((size_t)ncv, sizeof(a_int));
    if (!resid || !v || !workd || !workl || !d || !sel) {
        st = hl_fail(HL_ENOMEM, "out of memory for the Arnoldi method on %ld cells (%.3g MB)",
                     m, (double)m * (double)(ncv + 4) * 8 / 1e6);
        goto out;
    }
    /* deterministic start vector in the complement of the null vectors */
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    for (long a = 0; a < m; a++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        resid[a] = (double)(s >> 11) * 0x1p-53 - 0.5;
    }
    comps_project(op->cp, m, resid, op->dot);
    ainfo = 1;
    iparam[0] = 1;   /* exact shifts */
    iparam[2] = 500; /* restarts */
    iparam[6] = 3;   /* shift-invert */
    const double tol = 1e-13;
    for (;;) {
        dsaupd_c(&ido, "I", (a_int)m, "LM", (a_int)nev, tol, resid, ncv, v, (a_int)m, iparam,
                 ipntr, workd, workl, lworkl, &ainfo);
        if (ido != -1 && ido != 1)
            break;
        if ((st = sinv_apply(op, workd + ipntr[0] - 1, workd + ipntr[1] - 1)))
            goto out;
    }
    if (ainfo < 0 || ainfo == 1 || iparam[4] < nev) {
        st = hl_fail(HL_ENOCONV,
                     "ARPACK dsaupd did not converge on the %ld-cell chain (info %d, %d of %ld "
                     "rates after %ld solves)",
                     m, (int)ainfo, (int)iparam[4], nev, op->applies);
        goto out;
    }
    dseupd_c(1, "A", sel, d, v, (a_int)m, -op->sigma, "I", (a_int)m, "LM", (a_int)nev, tol,
             resid, ncv, v, (a_int)m, iparam, ipntr, workd, workl, lworkl, &ainfo);
    if (ainfo != 0) {
        st = hl_fail(HL_ENOCONV, "ARPACK dseupd failed (info %d)", (int)ainfo);
        goto out;
    }
    memcpy(w, d, sizeof(double) * (size_t)nev);
    memcpy(z, v, sizeof(double) * (size_t)m * (size_t)nev);
out:
    free(resid);
    free(v);
    free(workd);
    free(workl);
    free(d);
    free(sel);
    return st;
}

/* The Dirichlet form: with phi = v / sqrt(pi),
 *   x^T (-S) y = sum_edges c_ij sqrt(pi_i pi_j) (phi_i - phi_j)(psi_i - psi_j)
 *   = sum_edges c_ij (x_i e^{D/4} - x_j e^{-D/4}) (y_i e^{D/4} - y_j e^{-D/4}),
 * D = ln pi_j - ln pi_i: no cancellation against the diagonal, so a slow
 * rate is as accurate as its vector (error ~ (lambda' - lambda) sin^2 of
 * the vector's angle to the modes lambda' it is mixed with) instead of
 * eps norm.  edge_e4 holds e^{D/4} per edge (0 for no edge). */
static int edge_factors(const chain_t *ch, const hl_gridchain *g, double **e4)
{
    long m = ch->m;
    double *f = malloc(sizeof(double) * 2 * (size_t)m);
    if (!f)
        return hl_fail(HL_ENOMEM, "out of memory for the Rayleigh quotients");
    for (int d = 0; d < 2; d++)
        for (long a = 0; a < m; a++) {
            long b = ch->hi[d][a];
            f[d * m + a] = b >= 0 && ch->c[d][a] > 0
                               ? exp(0.25 * (g->ln_pi[ch->cell[b]] - g->ln_pi[ch->cell[a]]))
                               : 0.0;
        }
    *e4 = f;
    return HL_OK;
}

static double dirichlet(const chain_t *ch, const double *e4, const double *v)
{
    long m = ch->m;
    double num = 0;
    for (int d = 0; d < 2; d++)
        for (long a = 0; a < m; a++) {
            double f = e4[d * m + a];
            if (f == 0)
                continue;
            double t = v[a] * f - v[ch->hi[d][a]] / f;
            num += ch->c[d][a] * t * t;
        }
    if (ch->kill)
        for (long a = 0; a < m; a++)
            num += ch->kill[a] * v[a] * v[a];
    return num;
}

/* the columns of z (m x nev, m >= nev) orthonormal, spanning the same space */
static int orthonormalise(double *z, long m, long nev)
{
    double *tau = malloc(sizeof(double) * (size_t)nev);
    if (!tau)
        return hl_fail(HL_ENOMEM, "out of memory for a QR factorisation");
    int bad = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)nev, z,
                             (lapack_int)m, tau) ||
              LAPACKE_dorgqr(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)nev, (lapack_int)nev,
                             z, (lapack_int)m, tau);
    free(tau);
    return bad ? hl_fail(HL_ENOCONV, "QR of the eigenvector block failed") : HL_OK;
}

/* Rayleigh-Ritz in Dirichlet form on span(z): orthonormalise, H = Z^T
 * (-S) Z edge by edge, rotate to H's eigenvectors, then each rate as the
 * Rayleigh quotient of its own vector (more accurate than H's eigenvalues
 * for rates far below the largest in the block). */
static int polish(const chain_t *ch, const comps_t *cp, const double *e4, long nev, double *w,
                  double *z, double *dot, double *nu)
{
    long m = ch->m;
    int st = HL_OK;
    double *h = calloc((size_t)(nev * nev), sizeof(double));
    double *mu = malloc(sizeof(double) * (size_t)nev);
    double *t = malloc(sizeof(double) * (size_t)nev);
    double *row = malloc(sizeof(double) * (size_t)nev);
    if (!h || !mu || !t || !row) {
        st = hl_fail(HL_ENOMEM, "out of memory for the Rayleigh-Ritz step");
        goto out;
    }
    for (long q = 0; q < nev; q++)
        comps_project(cp, m, z + q * m, dot);
    if ((st = orthonormalise(z, m, nev)))
        goto out;
    for (int d = 0; d < 2; d++)
        for (long a = 0; a < m; a++) {
            double f = e4[d * m + a];
            if (f == 0)
                continue;
            long b = ch->hi[d][a];
            double c = ch->c[d][a];
            for (long q = 0; q < nev; q++)
                t[q] = z[a + q * m] * f - z[b + q * m] / f;
            for (long q = 0; q < nev; q++) {
                double cq = c * t[q];
                for (long r = q; r < nev; r++)
                    h[q * nev + r] += cq * t[r];
            }
        }
    if (ch->kill) /* the exit rates: + sum_a kill_a z_aq z_ar */
        for (long a = 0; a < m; a++) {
            double ka = ch->kill[a];
            if (ka == 0)
                continue;
            for (long q = 0; q < nev; q++)
                for (long r = q; r < nev; r++)
                    h[q * nev + r] += ka * z[a + q * m] * z[a + r * m];
        }
    /* h: upper triangle, row-major = lower triangle column-major */
    if (LAPACKE_dsyev(LAPACK_COL_MAJOR, 'V', 'L', (lapack_int)nev, h, (lapack_int)nev, mu)) {
        st = hl_fail(HL_ENOCONV, "the Rayleigh-Ritz eigenproblem failed");
        goto out;
    }
    for (long a = 0; a < m; a++) { /* z[a, :] <- z[a, :] Y */
        for (long r = 0; r < nev; r++) {
            double s = 0;
            for (long q = 0; q < nev; q++)
                s += z[a + q * m] * h[q + r * nev];
            row[r] = s;
        }
        for (long r = 0; r < nev; r++)
            z[a + r * m] = row[r];
    }
    for (long q = 0; q < nev; q++) {
        double *v = z + q * m, ss = 0;
        comps_project(cp, m, v, dot);
        for (long a = 0; a < m; a++)
            ss += v[a] * v[a];
        double inv = 1.0 / sqrt(ss);
        for (long a = 0; a < m; a++)
            v[a] *= inv;
        w[q] = dirichlet(ch, e4, v);
        /* |v|^T |S| |v|: the first-order error of the rate under
         * componentwise relative perturbations of S */
        double s2 = 0;
        for (long a = 0; a < m; a++) {
            s2 += ch->out[a] * v[a] * v[a];
            for (int d = 0; d < 2; d++)
                if (ch->hi[d][a] >= 0)
                    s2 += 2 * ch->c[d][a] * fabs(v[a] * v[ch->hi[d][a]]);
        }
        nu[q] = s2;
    }
    sort_pairs(w, z, nu, m, nev);
out:
    free(h);
    free(mu);
    free(t);
    free(row);
    return st;
}

/* Connected components along the edges that exist (ln c > -inf), whether
 * or not their conductance underflows a double: the exact zeros of the
 * spectrum.  Components split only by underflowed conductances carry
 * rates below e^-708 instead, which no double eigensolver resolves. */
static long structural_components(const chain_t *ch, const hl_gridchain *g, long *work)
{
    long m = ch->m, nq = 0;
    long *comp = work, *queue = work + m;
    for (long a = 0; a < m; a++)
        comp[a] = -1;
    for (long s = 0; s < m; s++) {
        if (comp[s] >= 0)
            continue;
        long head = 0, tail = 0;
        queue[tail++] = s;
        comp[s] = nq;
        while (head < tail) {
            long a = queue[head++];
            for (int d = 0; d < 2; d++) {
                const double *lnc = d == 0 ? g->ln_c1 : g->ln_c2;
                long up = ch->hi[d][a], dn = ch->lo[d][a];
                if (up >= 0 && lnc[ch->cell[a]] > -INFINITY && comp[up] < 0) {
                    comp[up] = nq;
                    queue[tail++] = up;
                }
                if (dn >= 0 && lnc[ch->cell[dn]] > -INFINITY && comp[dn] < 0) {
                    comp[dn] = nq;
                    queue[tail++] = dn;
                }
            }
        }
        nq++;
    }
    return nq;
}

int hl_gridchain_spectrum_ex(const hl_gridchain *g, int k, double *rates, double *vectors,
                             double *resolution, hl_gridchain_spectrum_info *info)
{
    return hl_gridchain_spectrum_exit(g, NULL, k, rates, vectors, resolution, info);
}

int hl_gridchain_spectrum_exit(const hl_gridchain *g, const double *ln_exit, int k,
                               double *rates, double *vectors, double *resolution,
                               hl_gridchain_spectrum_info *info)
{
    if (!rates)
        return hl_fail(HL_EINVAL, "hl_gridchain_spectrum: NULL rates");
    if (k < 1)
        return hl_fail(HL_EINVAL, "hl_gridchain_spectrum: %d rates requested", k);
    chain_t ch;
    comps_t cp = {0};
    sinv_t op;
    memset(&op, 0, sizeof op);
    double *w = NULL, *z = NULL, *e4 = NULL, *dot = NULL, *nu = NULL;
    int st = chain_init(&ch, g);
    if (st)
        return st;
    st = chain_rates(&ch, g);
    if (!st && ln_exit)
        st = chain_set_kill(&ch, ln_exit);
    if (!st)
        st = comps_find(&ch, g, &cp);
    if (st)
        goto out;
    long m = ch.m, n = ch.n, nz = cp.n;
    double norm = chain_norm(&ch);
    double res = 100 * DBL_EPSILON * norm;
    long nev = (long)k - nz < m - nz ? (long)k - nz : m - nz;
    if (nev < 0)
        nev = 0;
    int dense = m <= dense_limit || nev + 2 > m - nz;
    /* the dense path computes a guard block: inverse iteration converges
     * column q like (lambda_q / lambda_nb)^steps */
    long nb = nev;
    if (dense && nev > 0)
        nb = nev + (nev > 8 ? nev : 8) < m - nz ? nev + (nev > 8 ? nev : 8) : m - nz;
    if (info) {
        memset(info, 0, sizeof *info);
        info->dense = dense;
        info->cells = m;
        info->components = nz;
        info->norm = norm;
    }
    if (nev > 0) {
        w = malloc(sizeof(double) * (size_t)nb);
        nu = malloc(sizeof(double) * (size_t)nb);
        z = malloc(sizeof(double) * (size_t)m * (size_t)nb);
        dot = malloc(sizeof(double) * (size_t)(nz + 1));
        if (!w || !nu || !z || !dot) {
            st = hl_fail(HL_ENOMEM, "out of memory for %ld eigenvectors of %ld cells", nev, m);
            goto out;
        }
        if ((st = sinv_init(&op, &ch, &cp, norm)))
            goto out;
        if (!st)
            st = edge_factors(&ch, g, &e4);
        if (st)
            goto out;
        if (dense) {
            /* then subspace iteration with the shift-invert operator and
             * Rayleigh-Ritz until the rates settle */
            st = spectrum_dense(&op, nb, w, z);
            double *wold = malloc(sizeof(double) * (size_t)nb);
            if (!wold)
                st = hl_fail(HL_ENOMEM, "out of memory");
            for (int it = 0; !st && it < 60; it++) {
                memcpy(wold, w, sizeof(double) * (size_t)nb);
                for (long q = 0; !st && q < nb; q++)
                    st = sinv_apply(&op, z + q * m, z + q * m);
                if (!st)
                    st = polish(&ch, &cp, e4, nb, w, z, dot, nu);
                int settled = it > 0;
                for (long q = 0; q < nev; q++)
                    settled = settled && fabs(w[q] - wold[q]) <=
                                             1e-14 * w[q] + DBL_EPSILON * nu[q];
                if (settled)
                    break;
            }
            free(wold);
        } else {
            st = spectrum_arnoldi(&op, nev, w, z);
            if (!st)
                st = polish(&ch, &cp, e4, nb, w, z, dot, nu);
        }
        if (st)
            goto out;
        /* the resolution: 100 eps |v|^T |S| |v| over the modes returned
         * (<= 100 eps norm; much less where the slow modes avoid the fast
         * cells, e.g. ln pi spanning thousands) */
        double numax = 0;
        for (long q = 0; q < nev; q++)
            numax = fmax(numax, nu[q]);
        res = 100 * DBL_EPSILON * numax;
        if (info) {
            info->sigma = op.sigma;
            info->op_applies = op.applies;
            info->nnz_factor = (long)op.cm.lnz;
        }
    }
    /* zeros beyond the structural components: components split only by
     * conductances below the range of doubles; their rates are not 0 but
     * unresolved (NaN) */
    long nzs = nz;
    if (nz > 1) {
        long *work = malloc(sizeof(long) * 2 * (size_t)m);
        if (!work) {
            st = hl_fail(HL_ENOMEM, "out of memory");
            goto out;
        }
        nzs = structural_components(&ch, g, work);
        free(work);
    }
    for (int q = 0; q < k; q++) {
        if (q < nz)
            rates[q] = q < nzs ? 0.0 : NAN;
        else if (q - nz < nev)
            rates[q] = w[q - nz] >= res ? w[q - nz] : NAN;
        else
            rates[q] = NAN;
    }
    if (resolution)
        *resolution = res;
    if (vectors) {
        memset(vectors, 0, sizeof(double) * (size_t)n * (size_t)k);
        for (int q = 0; q < k && q < nz; q++)
            for (long r = cp.start[q]; r < cp.start[q + 1]; r++) {
                long a = cp.members[r];
                vectors[ch.cell[a] * k + q] = cp.u[a];
            }
        for (long q = 0; q < nev; q++) {
            const double *col = z + q * m;
            long amax = 0; /* sign: the largest entry positive */
            for (long a = 1; a < m; a++)
                if (fabs(col[a]) > fabs(col[amax]))
                    amax = a;
            double sg = col[amax] < 0 ? -1.0 : 1.0;
            for (long a = 0; a < m; a++)
                vectors[ch.cell[a] * k + nz + q] = sg * col[a];
        }
    }
out:
    sinv_free(&op);
    free(w);
    free(z);
    free(e4);
    free(dot);
    free(nu);
    comps_free(&cp);
    chain_free(&ch);
    return st;
}

int hl_gridchain_spectrum(const hl_gridchain *g, int k, double *rates, double *vectors,
                          double *resolution)
{
    return hl_gridchain_spectrum_ex(g, k, rates, vectors, resolution, NULL);
}

/* ------------------------------------------------------------ tunnelling */


int hl_gridchain_tunnelling(const hl_gridchain *g, const int *label, long a, long b,
                            double *ln_rate)
{
    if (!g || !label || !ln_rate)
        return hl_fail(HL_EINVAL, "hl_gridchain_tunnelling: NULL argument");
    chain_t ch;
    int st = chain_init(&ch, g);
    if (st)
        return st;
    if ((st = chain_rates(&ch, g))) {
        chain_free(&ch);
        return st;
    }
    long m = ch.m, n = ch.n;
    if (a < 0 || a >= n || b < 0 || b >= n || ch.idx[a] < 0 || ch.idx[b] < 0 || a == b ||
        label[a] != 0 || label[b] != 1) {
        chain_free(&ch);
        return hl_fail(HL_EINVAL, "tunnelling: cells %ld and %ld are not active cells of "
                                  "basins 0 and 1", a, b);
    }
    long ia = ch.idx[a], ib = ch.idx[b];
    /* the backward generator on functions, rows a and b replaced by q = 0, 1:
     * row i: sum_j k(i -> j) (q_j - q_i) = 0; compressed columns */
    long nnz = m;
    for (long i = 0; i < m; i++)
        nnz += (ch.lo[0][i] >= 0) + (ch.lo[1][i] >= 0) + (ch.hi[0][i] >= 0) + (ch.hi[1][i] >= 0);
    SuiteSparse_long *Ap = malloc(sizeof(SuiteSparse_long) * (size_t)(m + 1));
    SuiteSparse_long *Ai = malloc(sizeof(SuiteSparse_long) * (size_t)nnz);
    double *Ax = malloc(sizeof(double) * (size_t)nnz), *rhs = calloc((size_t)m, sizeof(double));
    double *q = malloc(sizeof(double) * (size_t)m);
    void *sym = NULL, *num = NULL;
    if (!Ap || !Ai || !Ax || !rhs || !q) {
        st = hl_fail(HL_ENOMEM, "out of memory for the committor of %ld cells", m);
        goto done;
    }
    long p = 0;
    for (long j = 0; j < m; j++) { /* column j: rows i with an edge to j, and j */
        Ap[j] = p;
        long rows[5] = {ch.lo[0][j], ch.lo[1][j], j, ch.hi[1][j], ch.hi[0][j]};
        for (int r = 0; r < 5; r++) {
            long i = rows[r];
            if (i < 0)
                continue;
            double v;
            if (i == ia || i == ib)
                v = i == j ? 1.0 : 0.0;
            else if (i == j)
                v = -ch.out[i];
            else if (r == 0) /* i = lo[0][j]: the edge i -- j with i below: k(i -> j) = up */
                v = ch.up[0][i];
            else if (r == 1)
                v = ch.up[1][i];
            else if (r == 3) /* i = hi[1][j]: k(i -> j) = dn of the edge at j */
                v = ch.dn[1][j];
            else
                v = ch.dn[0][j];
            Ai[p] = i;
            Ax[p++] = v;
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
    /* basin weights and the flux from A to B across their common edges */
    double lpa = -INFINITY, lpb = -INFINITY, lpos = -INFINITY, lneg = -INFINITY;
    for (long i = 0; i < m; i++) {
        long c = ch.cell[i];
        if (label[c] == 0)
            lpa = hl_lse(lpa, g->ln_pi[c]);
        else if (label[c] == 1)
            lpb = hl_lse(lpb, g->ln_pi[c]);
        for (int d = 0; d < 2; d++) {
            long j = ch.hi[d][i];
            if (j < 0 || !(ch.c[d][i] > 0))
                continue;
            long cj = ch.cell[j];
            int from_a = label[c] == 0 && label[cj] == 1, from_b = label[c] == 1 && label[cj] == 0;
            if (!from_a && !from_b)
                continue;
            /* pi_i k(i -> j) = sqrt(pi_i pi_j) c_ij; flux A -> B */
            double lC = 0.5 * (g->ln_pi[c] + g->ln_pi[cj]) + (d == 0 ? g->ln_c1[c] : g->ln_c2[c]);
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
    chain_free(&ch);
    return st;
}

/* ------------------------------------------------- arbitrarily long times */

void hl_gridchain_slow_free(hl_gridchain_slow *s)
{
    if (!s)
        return;
    free(s->comp);
    free(s->ln_pin);
    s->comp = NULL;
    s->ln_pin = NULL;
}

/* steepest ascent of ln pi along the chain's edges: end[a] = the local
 * maximum reached from active cell a (compressed indices) */
static void chain_ascent(const chain_t *ch, const hl_gridchain *g, long *end)
{
    long m = ch->m;
    for (long a = 0; a < m; a++)
        end[a] = -1;
    for (long a0 = 0; a0 < m; a0++) {
        long a = a0;
        while (end[a] < 0) {
            long nb[4] = {ch->hi[0][a], ch->lo[0][a], ch->hi[1][a], ch->lo[1][a]};
            double cc[4] = {ch->c[0][a], nb[1] >= 0 ? ch->c[0][nb[1]] : 0, ch->c[1][a],
                            nb[3] >= 0 ? ch->c[1][nb[3]] : 0};
            long best = a;
            for (int e = 0; e < 4; e++)
                if (nb[e] >= 0 && cc[e] > 0 &&
                    g->ln_pi[ch->cell[nb[e]]] > g->ln_pi[ch->cell[best]])
                    best = nb[e];
            if (best == a) {
                end[a] = a;
                break;
            }
            a = best;
        }
        /* the path from a0 ends where a's ends */
        long e = end[a];
        for (long b = a0; end[b] < 0;) {
            end[b] = e;
            long nb[4] = {ch->hi[0][b], ch->lo[0][b], ch->hi[1][b], ch->lo[1][b]};
            double cc[4] = {ch->c[0][b], nb[1] >= 0 ? ch->c[0][nb[1]] : 0, ch->c[1][b],
                            nb[3] >= 0 ? ch->c[1][nb[3]] : 0};
            long best = b;
            for (int k = 0; k < 4; k++)
                if (nb[k] >= 0 && cc[k] > 0 &&
                    g->ln_pi[ch->cell[nb[k]]] > g->ln_pi[ch->cell[best]])
                    best = nb[k];
            b = best;
        }
    }
}

/* lambda1 of a connected chain with exactly two steepest-ascent basins by
 * the capacity formula; HL_ENOTFOUND otherwise */
static int slow_tunnelling(const chain_t *ch, const hl_gridchain *g, double *ln_lambda1)
{
    long m = ch->m, n = ch->n;
    long *end = malloc(sizeof(long) * (size_t)m);
    int *label = malloc(sizeof(int) * (size_t)n);
    int st = HL_OK;
    if (!end || !label) {
        st = hl_fail(HL_ENOMEM, "out of memory for the basins of a %ld-cell chain", m);
        goto done;
    }
    chain_ascent(ch, g, end);
    long top[2] = {-1, -1};
    for (long a = 0; a < m && !st; a++) {
        long e = end[a];
        if (e == top[0] || e == top[1])
            continue;
        if (top[0] < 0)
            top[0] = e;
        else if (top[1] < 0)
            top[1] = e;
        else
            st = HL_ENOTFOUND; /* more than two basins */
    }
    if (!st && top[1] < 0)
        st = HL_ENOTFOUND;
    if (st)
        goto done;
    for (long i = 0; i < n; i++)
        label[i] = -1;
    for (long a = 0; a < m; a++)
        label[ch->cell[a]] = end[a] == top[0] ? 0 : 1;
    double ln_rate;
    st = hl_gridchain_tunnelling(g, label, ch->cell[top[0]], ch->cell[top[1]], &ln_rate);
    if (!st)
        *ln_lambda1 = ln_rate;
done:
    free(end);
    free(label);
    return st;
}

int hl_gridchain_slow_rates(const hl_gridchain *g, hl_gridchain_slow *s)
{
    if (!s)
        return hl_fail(HL_EINVAL, "hl_gridchain_slow_rates: NULL argument");
    memset(s, 0, sizeof *s);
    s->lambda1 = s->lambda2 = s->ln_lambda1 = INFINITY;
    chain_t ch;
    comps_t cp = {0};
    int st = chain_init(&ch, g);
    if (st)
        return st;
    double *rates = NULL;
    if ((st = chain_rates(&ch, g)) || (st = comps_find(&ch, g, &cp)))
        goto done;
    long n = ch.n, m = ch.m, nc = cp.n;
    s->n = n;
    s->components = nc;
    s->comp = malloc(sizeof(long) * (size_t)n);
    s->ln_pin = malloc(sizeof(double) * (size_t)n);
    if (!s->comp || !s->ln_pin) {
        st = hl_fail(HL_ENOMEM, "out of memory for a chain of %ld cells", n);
        goto done;
    }
    for (long i = 0; i < n; i++) {
        s->comp[i] = -1;
        s->ln_pin[i] = -INFINITY;
    }
    for (long q = 0; q < nc; q++) {
        double lz = -INFINITY;
        for (long r = cp.start[q]; r < cp.start[q + 1]; r++)
            lz = hl_lse(lz, g->ln_pi[ch.cell[cp.members[r]]]);
        for (long r = cp.start[q]; r < cp.start[q + 1]; r++) {
            long i = ch.cell[cp.members[r]];
            s->comp[i] = q;
            s->ln_pin[i] = g->ln_pi[i] - lz;
        }
    }
    long moving = m - nc; /* nonzero rates */
    if (moving < 1)
        goto done;
    int k = (int)(nc + (moving >= 2 ? 2 : 1));
    rates = malloc(sizeof(double) * (size_t)k);
    if (!rates) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = hl_gridchain_spectrum(g, k, rates, NULL, &s->resolution)))
        goto done;
    s->lambda1 = rates[nc];
    s->lambda2 = moving >= 2 ? rates[nc + 1] : INFINITY;
    if (!(s->lambda1 > 0))
        s->lambda1 = NAN;
    if (!(s->lambda2 > 0))
        s->lambda2 = NAN;
    s->ln_lambda1 = log(s->lambda1);
    if (isnan(s->lambda1) && nc == 1 && !isnan(s->lambda2)) {
        double l1 = NAN;
        int t = slow_tunnelling(&ch, g, &l1);
        if (t == HL_OK && isfinite(l1) && exp(l1) < s->lambda2) {
            s->ln_lambda1 = l1;
            s->lambda1 = exp(l1);
            s->tunnelling = 1;
        } else if (t != HL_OK && t != HL_ENOTFOUND && t != HL_ENOCONV) {
            st = t;
        }
    }
done:
    free(rates);
    comps_free(&cp);
    chain_free(&ch);
    if (st)
        hl_gridchain_slow_free(s);
    return st;
}

/* per-component mass of q */
static int slow_mass(const hl_gridchain_slow *s, const double *q, double **mass)
{
    *mass = calloc((size_t)(s->components > 0 ? s->components : 1), sizeof(double));
    if (!*mass)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (long i = 0; i < s->n; i++)
        if (s->comp[i] >= 0)
            (*mass)[s->comp[i]] += q[i];
    return HL_OK;
}

double hl_gridchain_switch_time(const hl_gridchain_slow *s, const double *q)
{
    if (isnan(s->lambda2))
        return NAN;
    if (s->lambda2 == INFINITY)
        return 0.0;
    double *mass;
    if (slow_mass(s, q, &mass))
        return NAN;
    /* ln ||q - pi||^2_{1/pi} = ln sum (q_i - pi_i)^2 / pi_i, in logs */
    double l2 = -INFINITY;
    for (long i = 0; i < s->n; i++) {
        long c = s->comp[i];
        if (c < 0 || !(mass[c] > 0))
            continue;
        double lpi = log(mass[c]) + s->ln_pin[i];
        double d = fabs(q[i] - exp(lpi));
        if (d > 0)
            l2 = hl_lse(l2, 2 * log(d) - lpi);
    }
    free(mass);
    return (40.0 + fmax(0.0, 0.5 * l2)) / s->lambda2;
}

int hl_gridchain_relaxable(const hl_gridchain_slow *s, double tau, double tol)
{
    return !isnan(s->ln_lambda1) || tau * s->resolution <= tol;
}

int hl_gridchain_relax(const hl_gridchain_slow *s, const double *q, double tau, double tol,
                       double *out)
{
    if (!(tau >= 0))
        return hl_fail(HL_EDOM, "relaxation time %g is not >= 0", tau);
    double e, f; /* out = e q + f pi, f = 1 - e */
    if (s->lambda1 == INFINITY || tau == 0) {
        e = 1;
        f = 0;
    } else if (isnan(s->ln_lambda1)) {
        if (!(tau * s->resolution <= tol))
            return hl_fail(HL_ERANGE, "t = %g is beyond what can be computed: the slowest "
                                      "relaxation rate is below the resolution %.3g of the "
                                      "eigensolver and not a two-basin tunnelling rate",
                           tau, s->resolution);
        e = 1;
        f = 0;
    } else {
        double x = exp(s->ln_lambda1 + log(tau)); /* lambda1 tau, also when lambda1 underflows */
        e = exp(-x);
        f = -expm1(-x);
    }
    double *mass;
    int st = slow_mass(s, q, &mass);
    if (st)
        return st;
    for (long i = 0; i < s->n; i++) {
        long c = s->comp[i];
        if (c < 0) {
            out[i] = 0;
            continue;
        }
        double pi = f > 0 ? mass[c] * exp(s->ln_pin[i]) : 0.0;
        out[i] = e * q[i] + f * pi;
    }
    free(mass);
    return HL_OK;
}

/* ------------------------------------------------------------- evolution */

typedef struct {
    chain_t ch;
    hl_gridchain *g;
    hl_gridchain_fill_fn fill;
    void *ctx;
    const hl_protocol *p;
    int varying;           /* beta follows the protocol: fill on a new beta     */
    double tc;             /* the protocol's settling time (beta constant after) */
    double beta;           /* beta of the current rates                         */
    int status;            /* first error inside a callback                     */
    /* preconditioner I - gamma L in compressed columns (fixed pattern) */
    SuiteSparse_long *Ap, *Ai;
    double *Ax, *tmp;
    void *sym, *num;
    double control[UMFPACK_CONTROL], uinfo[UMFPACK_INFO];
    double fgamma, fbeta;  /* gamma and beta of the current factor            */
    long factorisations, fills;
} ev_t;

static int ev_fail(ev_t *e, int st)
{
    if (!e->status)
        e->status = st;
    return -1; /* unrecoverable for CVODE */
}

/* the rates at time t */
static int ev_at(ev_t *e, double t)
{
    if (!e->varying)
        return HL_OK;
    double beta = hl_protocol_beta(e->p, t);
    if (beta == e->beta)
        return HL_OK;
    int st = e->fill(e->ctx, beta, e->g);
    if (st)
        return st;
    e->fills++;
    st = chain_same_cells(&e->ch, e->g);
    if (!st)
        st = chain_rates(&e->ch, e->g);
    if (st)
        return st;
    e->beta = beta;
    return HL_OK;
}

static int ev_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *ud)
{
    ev_t *e = ud;
    int st = ev_at(e, t);
    if (st)
        return ev_fail(e, st);
    chain_apply(&e->ch, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
    return 0;
}

static int ev_jtimes(N_Vector v, N_Vector Jv, sunrealtype t, N_Vector y, N_Vector fy, void *ud,
                     N_Vector tmp)
{
    (void)y;
    (void)fy;
    (void)tmp;
    ev_t *e = ud;
    int st = ev_at(e, t);
    if (st)
        return ev_fail(e, st);
    chain_apply(&e->ch, N_VGetArrayPointer(v), N_VGetArrayPointer(Jv));
    return 0;
}

/* the pattern of I - gamma L: column a holds rows lo[0], lo[1], a, hi[1],
 * hi[0] (ascending) for the active neighbours */
static int ev_pattern(ev_t *e)
{
    const chain_t *ch = &e->ch;
    long m = ch->m, nnz = m;
    for (long a = 0; a < m; a++)
        nnz += (ch->lo[0][a] >= 0) + (ch->lo[1][a] >= 0) + (ch->hi[0][a] >= 0) +
               (ch->hi[1][a] >= 0);
    e->Ap = malloc(sizeof(SuiteSparse_long) * (size_t)(m + 1));
    e->Ai = malloc(sizeof(SuiteSparse_long) * (size_t)nnz);
    e->Ax = malloc(sizeof(double) * (size_t)nnz);
    e->tmp = malloc(sizeof(double) * (size_t)m);
    if (!e->Ap || !e->Ai || !e->Ax || !e->tmp)
        return hl_fail(HL_ENOMEM, "out of memory for the preconditioner of %ld cells", m);
    long p = 0;
    for (long a = 0; a < m; a++) {
        e->Ap[a] = p;
        long rows[5] = {ch->lo[0][a], ch->lo[1][a], a, ch->hi[1][a], ch->hi[0][a]};
        for (int r = 0; r < 5; r++)
            if (rows[r] >= 0)
                e->Ai[p++] = rows[r];
    }
    e->Ap[m] = p;
    umfpack_dl_defaults(e->control);
    e->control[UMFPACK_PRL] = 0;
    e->control[UMFPACK_IRSTEP] = 0;
    e->control[UMFPACK_STRATEGY] = UMFPACK_STRATEGY_SYMMETRIC;
    e->control[UMFPACK_ORDERING] = UMFPACK_ORDERING_METIS;
    return HL_OK;
}

/* Ax = I - gamma L in the pattern's order: entry (b, a) = -gamma k(a -> b) */
static void ev_assemble(ev_t *e, double gamma)
{
    const chain_t *ch = &e->ch;
    long m = ch->m, p = 0;
    for (long a = 0; a < m; a++) {
        long b;
        if ((b = ch->lo[0][a]) >= 0)
            e->Ax[p++] = -gamma * ch->dn[0][b];
        if ((b = ch->lo[1][a]) >= 0)
            e->Ax[p++] = -gamma * ch->dn[1][b];
        e->Ax[p++] = 1.0 + gamma * ch->out[a];
        if (ch->hi[1][a] >= 0)
            e->Ax[p++] = -gamma * ch->up[1][a];
        if (ch->hi[0][a] >= 0)
            e->Ax[p++] = -gamma * ch->up[0][a];
    }
}

static int ev_psetup(sunrealtype t, N_Vector y, N_Vector fy, sunbooleantype jok,
                     sunbooleantype *jcur, sunrealtype gamma, void *ud)
{
    (void)y;
    (void)fy;
    ev_t *e = ud;
    int st = ev_at(e, t);
    if (st)
        return ev_fail(e, st);
    double beta = e->varying ? e->beta : 0.0;
    /* keep the factor while gamma is within a factor 2 (the preconditioned
     * operator's spectrum then lies in [1/2, 2]; wider windows cost more
     * Krylov iterations than they save in factorisations) */
    if (jok && e->num && beta == e->fbeta && gamma <= 2 * e->fgamma && 2 * gamma >= e->fgamma) {
        *jcur = SUNFALSE;
        return 0;
    }
    ev_assemble(e, gamma);
    long m = e->ch.m;
    if (!e->sym) {
        SuiteSparse_long s = umfpack_dl_symbolic(m, m, e->Ap, e->Ai, e->Ax, &e->sym, e->control,
                                                 e->uinfo);
        if (s != UMFPACK_OK)
            return ev_fail(e, hl_fail(s == UMFPACK_ERROR_out_of_memory ? HL_ENOMEM : HL_ENOCONV,
                                      "UMFPACK symbolic analysis failed (status %ld)", (long)s));
    }
    umfpack_dl_free_numeric(&e->num);
    SuiteSparse_long s = umfpack_dl_numeric(e->Ap, e->Ai, e->Ax, e->sym, &e->num, e->control,
                                            e->uinfo);
    if (s < 0)
        return ev_fail(e, hl_fail(s == UMFPACK_ERROR_out_of_memory ? HL_ENOMEM : HL_ENOCONV,
                                  "UMFPACK factorisation of I - gamma L failed (status %ld)",
                                  (long)s));
    e->factorisations++;
    if (s != UMFPACK_OK) { /* singular: cannot happen for I - gamma L; let CVODE retry */
        umfpack_dl_free_numeric(&e->num);
        return 1;
    }
    e->fgamma = gamma;
    e->fbeta = beta;
    *jcur = SUNTRUE;
    return 0;
}

static int ev_psolve(sunrealtype t, N_Vector y, N_Vector fy, N_Vector r, N_Vector z,
                     sunrealtype gamma, sunrealtype delta, int lr, void *ud)
{
    (void)t;
    (void)y;
    (void)fy;
    (void)gamma;
    (void)delta;
    (void)lr;
    ev_t *e = ud;
    double *rv = N_VGetArrayPointer(r), *zv = N_VGetArrayPointer(z);
    if (rv == zv) {
        memcpy(e->tmp, rv, sizeof(double) * (size_t)e->ch.m);
        rv = e->tmp;
    }
    SuiteSparse_long s = umfpack_dl_solve(UMFPACK_A, e->Ap, e->Ai, e->Ax, zv, rv, e->num,
                                          e->control, e->uinfo);
    if (s < 0)
        return ev_fail(e, hl_fail(HL_ENOCONV, "UMFPACK solve failed (status %ld)", (long)s));
    return 0;
}

static void ev_err_handler(int code, const char *module, const char *function, char *msg,
                           void *ud)
{
    (void)module;
    char *buf = ud;
    if (code < 0)
        snprintf(buf, 256, "%s: %s", function, msg);
}

/* Neumaier-compensated sum */
static double sum_comp(const double *x, long n)
{
    double s = 0, c = 0;
    for (long i = 0; i < n; i++) {
        double t = s + x[i];
        c += fabs(s) >= fabs(x[i]) ? (s - t) + x[i] : (x[i] - t) + s;
        s = t;
    }
    return s + c;
}

/* CVODE counters so far (added before a re-initialisation) */
static void add_stats(void *cv, hl_gridchain_evolve_info *in)
{
    long v = 0;
    CVodeGetNumSteps(cv, &v);
    in->steps += v;
    v = 0;
    CVodeGetNumLinIters(cv, &v);
    in->krylov_iterations += v;
    v = 0;
    CVodeGetNumRhsEvals(cv, &v);
    in->rhs_evals += v;
    v = 0;
    CVodeGetNumJtimesEvals(cv, &v);
    in->jtimes += v;
    v = 0;
    CVodeGetNumPrecSolves(cv, &v);
    in->prec_solves += v;
}

/* ------------------------------------------- fixed beta: Krylov exponential */

#define KRYLOV_MAX 160

/* Y[:, k] = beta0 exp(t_k (I - H^{-1}) / gamma) e1 for the leading j x j
 * block of the Hessenberg matrix H (leading dimension ld). */
static int krylov_small(const double *H, long ld, long j, double gamma, double beta0,
                        const double *times, size_t nt, double *Y)
{
    hl_gsl_quiet();
    lapack_int n = (lapack_int)j, *ipiv = malloc(sizeof(lapack_int) * (size_t)j);
    double *Hi = malloc(sizeof(double) * (size_t)(j * j));
    gsl_matrix *A = gsl_matrix_alloc((size_t)j, (size_t)j), *E = gsl_matrix_alloc((size_t)j, (size_t)j);
    int st = HL_OK;
    if (!ipiv || !Hi || !A || !E) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    for (long r = 0; r < j; r++)
        for (long c = 0; c < j; c++)
            Hi[r * j + c] = H[r * ld + c];
    if (LAPACKE_dgetrf(LAPACK_ROW_MAJOR, n, n, Hi, n, ipiv) != 0 ||
        LAPACKE_dgetri(LAPACK_ROW_MAJOR, n, Hi, n, ipiv) != 0) {
        st = hl_fail(HL_ENOCONV, "Krylov exponential: the %ld x %ld Hessenberg block is singular", j, j);
        goto done;
    }
    for (size_t k = 0; k < nt; k++) {
        double t = times[k];
        for (long r = 0; r < j; r++)
            for (long c = 0; c < j; c++)
                gsl_matrix_set(A, (size_t)r, (size_t)c,
                               t / gamma * ((r == c ? 1.0 : 0.0) - Hi[r * j + c]));
        if (t == 0)
            gsl_matrix_set_identity(E);
        else {
            int gs = gsl_linalg_exponential_ss(A, E, GSL_PREC_DOUBLE);
            if (gs != GSL_SUCCESS) {
                st = hl_fail(HL_ENOCONV, "Krylov exponential at t = %g failed (GSL: %s)", t,
                             gsl_strerror(gs));
                goto done;
            }
        }
        for (long r = 0; r < j; r++) {
            double v = beta0 * gsl_matrix_get(E, (size_t)r, 0);
            if (!isfinite(v)) {
                st = hl_fail(HL_ENOCONV, "Krylov exponential at t = %g is not finite", t);
                goto done;
            }
            Y[k * KRYLOV_MAX + r] = v;
        }
    }
done:
    free(ipiv);
    free(Hi);
    gsl_matrix_free(A);
    gsl_matrix_free(E);
    return st;
}

/* At fixed beta, P(t) = pi + exp(t L) (p0 - pi), pi the stationary state
 * with the mass p0 gives each connected component.  The deviation is
 * approximated in the shift-and-invert Krylov space of (I - gamma L)^{-1}
 * (one sparse LU for every output time; van den Eshof and Hochbruck 2006),
 * with gamma a tenth of the last output time (the caller groups the output
 * times so that each group spans at most two decades).  Every Krylov vector
 * has zero sum, so probability is conserved to round-off.  Columns are
 * added four at a time until the result at every output time moves by less
 * than rtol / 100 (2-norm); HL_ENOCONV after KRYLOV_MAX (the caller then
 * uses CVODE). */
static int evolve_krylov(ev_t *e, const hl_gridchain *g, const double *y0, const double *times,
                         size_t nt, double rtol, double *yout, hl_gridchain_evolve_info *info)
{
    long m = e->ch.m;
    double tmax = times[nt - 1];
    comps_t cp;
    int st = comps_find(&e->ch, g, &cp);
    if (st)
        return st;
    double *pi = calloc((size_t)m, sizeof(double)), *mass = calloc((size_t)cp.n, sizeof(double));
    double *V = malloc(sizeof(double) * (size_t)m * (KRYLOV_MAX + 1));
    double *H = calloc((size_t)(KRYLOV_MAX + 1) * KRYLOV_MAX, sizeof(double));
    double *Y = malloc(sizeof(double) * nt * KRYLOV_MAX), *Yold = malloc(sizeof(double) * nt * KRYLOV_MAX);
    if (!pi || !mass || !V || !H || !Y || !Yold) {
        st = hl_fail(HL_ENOMEM, "out of memory for a Krylov space of %d vectors of %ld cells",
                     KRYLOV_MAX, m);
        goto done;
    }
    for (long a = 0; a < m; a++)
        mass[cp.comp[a]] += y0[a];
    double beta0 = 0;
    for (long a = 0; a < m; a++) {
        pi[a] = mass[cp.comp[a]] * cp.u[a] * cp.u[a];
        V[a] = y0[a] - pi[a];
        beta0 += V[a] * V[a];
    }
    beta0 = sqrt(beta0);
    long jj = 0;
    double gamma = tmax / 10;
    if (beta0 > 0 && tmax > 0) {
        for (long a = 0; a < m; a++)
            V[a] /= beta0;
        ev_assemble(e, gamma);
        SuiteSparse_long s = UMFPACK_OK;
        if (!e->sym)
            s = umfpack_dl_symbolic(m, m, e->Ap, e->Ai, e->Ax, &e->sym, e->control, e->uinfo);
        umfpack_dl_free_numeric(&e->num);
        if (s == UMFPACK_OK)
            s = umfpack_dl_numeric(e->Ap, e->Ai, e->Ax, e->sym, &e->num, e->control, e->uinfo);
        if (s != UMFPACK_OK) {
            st = hl_fail(HL_ENOCONV, "UMFPACK factorisation of I - gamma L failed (status %ld)",
                         (long)s);
            goto done;
        }
        e->factorisations++;
        int converged = 0, have_old = 0;
        double tol = 0.01 * rtol;
        for (long j = 0; j < KRYLOV_MAX && !converged; j++) {
            double *w = V + (size_t)(j + 1) * (size_t)m;
            s = umfpack_dl_solve(UMFPACK_A, e->Ap, e->Ai, e->Ax, w, V + (size_t)j * (size_t)m,
                                 e->num, e->control, e->uinfo);
            if (s < 0) {
                st = hl_fail(HL_ENOCONV, "UMFPACK solve failed (status %ld)", (long)s);
                goto done;
            }
            info->krylov_iterations++;
            /* (I - gamma L)^{-1} keeps sums exactly, a computed solve only to
             * eps |I - gamma L| |w|, which is large for large gamma: take
             * the stationary mode out again (the oblique projector I - pi 1^T
             * per component commutes with the operator) */
            for (long q = 0; q < cp.n; q++)
                mass[q] = 0;
            for (long a = 0; a < m; a++)
                mass[cp.comp[a]] += w[a];
            for (long a = 0; a < m; a++)
                w[a] -= mass[cp.comp[a]] * cp.u[a] * cp.u[a];
            double nw0 = 0;
            for (long a = 0; a < m; a++)
                nw0 += w[a] * w[a];
            nw0 = sqrt(nw0);
            for (int pass = 0; pass < 2; pass++) /* modified Gram-Schmidt, twice */
                for (long i = 0; i <= j; i++) {
                    const double *vi = V + (size_t)i * (size_t)m;
                    double h = 0;
                    for (long a = 0; a < m; a++)
                        h += vi[a] * w[a];
                    H[i * KRYLOV_MAX + j] += h;
                    for (long a = 0; a < m; a++)
                        w[a] -= h * vi[a];
                }
            double nw = 0;
            for (long a = 0; a < m; a++)
                nw += w[a] * w[a];
            nw = sqrt(nw);
            H[(j + 1) * KRYLOV_MAX + j] = nw;
            /* an invariant subspace: w lies in the span of V to round-off (a
             * vector normalised from that round-off would add a spurious Ritz
             * value, and exp of the small matrix would grow along it) */
            int breakdown = !(nw > 1e-12 * nw0 && nw > 0);
            if (!breakdown)
                for (long a = 0; a < m; a++)
                    w[a] /= nw;
            if ((j + 1) % 4 == 0 || breakdown || j + 1 == KRYLOV_MAX) {
                jj = j + 1;
                if (krylov_small(H, KRYLOV_MAX, jj, gamma, beta0, times, nt, Y) != HL_OK)
                    break;
                if (breakdown) {
                    converged = 1;
                    break;
                }
                if (have_old) {
                    double diff = 0;
                    for (size_t k = 0; k < nt; k++) {
                        double d2 = 0;
                        for (long r = 0; r < jj; r++) {
                            double dv = Y[k * KRYLOV_MAX + r] -
                                        (r < jj - 4 ? Yold[k * KRYLOV_MAX + r] : 0.0);
                            d2 += dv * dv;
                        }
                        diff = fmax(diff, sqrt(d2));
                    }
                    converged = jj >= 8 && diff <= tol;
                }
                memcpy(Yold, Y, sizeof(double) * nt * KRYLOV_MAX);
                have_old = 1;
            }
        }
        if (!converged) {
            st = HL_ENOCONV;
            goto done;
        }
    }
    for (size_t k = 0; k < nt; k++) {
        double *yo = yout + k * (size_t)m;
        if (beta0 == 0 || tmax == 0 || times[k] == 0) {
            memcpy(yo, y0, sizeof(double) * (size_t)m);
            continue;
        }
        memcpy(yo, pi, sizeof(double) * (size_t)m);
        for (long r = 0; r < jj; r++) {
            double c = Y[k * KRYLOV_MAX + r];
            const double *vr = V + (size_t)r * (size_t)m;
            for (long a = 0; a < m; a++)
                yo[a] += c * vr[a];
        }
    }
done:
    comps_free(&cp);
    free(pi);
    free(mass);
    free(V);
    free(H);
    free(Y);
    free(Yold);
    return st;
}

/* CVODE (BDF, GMRES preconditioned by the LU of I - gamma L) from the
 * compressed state y0 at t0 to tout[0..nt-1] (> t0 after the first entries
 * equal to t0); yout: nt x m.  Under a varying protocol the multistep
 * history restarts at each row before the settling time. */
static int run_cvode(ev_t *e, const double *y0, double t0, const double *tout, size_t nt,
                     double rtol, double atol, double *yout, hl_gridchain_evolve_info *info)
{
    long m = e->ch.m;
    SUNContext sctx = NULL;
    N_Vector y = NULL;
    SUNLinearSolver LS = NULL;
    void *cv = NULL;
    char cverr[256] = "";
    int st = HL_OK;
    if (SUNContext_Create(NULL, &sctx) != 0)
        return hl_fail(HL_ENOMEM, "cannot create a SUNDIALS context");
    y = N_VNew_Serial((sunindextype)m, sctx);
    LS = y ? SUNLinSol_SPGMR(y, SUN_PREC_LEFT, 30, sctx) : NULL;
    cv = LS ? CVodeCreate(CV_BDF, sctx) : NULL;
    if (!cv) {
        st = hl_fail(HL_ENOMEM, "out of memory for the integrator of %ld cells", m);
        goto done;
    }
    double *yv = N_VGetArrayPointer(y);
    memcpy(yv, y0, sizeof(double) * (size_t)m);
    /* the first step: a small fraction of the fastest time scale (CVODE's
     * own estimate is at least 100 eps tout, far too large for tout ~ 1e30) */
    double rmax = 0;
    for (long a = 0; a < m; a++)
        rmax = fmax(rmax, e->ch.out[a]);
    double h0 = rmax > 0 ? 1e-4 / rmax : 1.0;
    if (CVodeSetErrHandlerFn(cv, ev_err_handler, cverr) || CVodeInit(cv, ev_rhs, t0, y) ||
        CVodeSStolerances(cv, rtol, atol) || CVodeSetUserData(cv, e) ||
        CVodeSetLinearSolver(cv, LS, NULL) || CVodeSetJacTimes(cv, NULL, ev_jtimes) ||
        CVodeSetPreconditioner(cv, ev_psetup, ev_psolve) ||
        CVodeSetMaxNumSteps(cv, 100000000L) || CVodeSetInitStep(cv, h0)) {
        st = hl_fail(HL_ENOMEM, "cannot set up CVODE%s%s", *cverr ? ": " : "", cverr);
        goto done;
    }
    const hl_protocol *p = e->p;
    double tcur = t0;
    size_t kp = 1; /* next protocol breakpoint */
    size_t prow = e->varying ? p->n : 0;
    for (size_t k = 0; k < nt; k++) {
        double t_out = tout[k];
        while (tcur < t_out) {
            while (kp < prow && p->t[kp] <= tcur)
                kp++;
            double tnext = t_out;
            int at_break = 0;
            if (kp < prow && p->t[kp] <= t_out && p->t[kp] < e->tc) {
                tnext = p->t[kp];
                at_break = 1;
            }
            sunrealtype tret = tcur;
            CVodeSetStopTime(cv, tnext);
            int flag = CVode(cv, tnext, y, &tret, CV_NORMAL);
            if (flag < 0) {
                st = e->status ? e->status
                               : hl_fail(HL_ENOCONV, "CVODE failed at t = %g (flag %d)%s%s",
                                         tret, flag, *cverr ? ": " : "", cverr);
                goto done;
            }
            tcur = tnext;
            if (at_break) { /* a kink in beta(t): restart the multistep history */
                add_stats(cv, info);
                if (CVodeReInit(cv, tcur, y)) {
                    st = hl_fail(HL_ENOCONV, "CVODE could not restart at t = %g%s%s", tcur,
                                 *cverr ? ": " : "", cverr);
                    goto done;
                }
            }
        }
        for (long a = 0; a < m; a++)
            if (!isfinite(yv[a])) {
                st = hl_fail(HL_ENOCONV, "the solution is not finite at t = %g", t_out);
                goto done;
            }
        memcpy(yout + k * (size_t)m, yv, sizeof(double) * (size_t)m);
    }
    add_stats(cv, info);
done:
    if (cv)
        CVodeFree(&cv);
    if (LS)
        SUNLinSolFree(LS);
    if (y)
        N_VDestroy(y);
    if (sctx)
        SUNContext_Free(&sctx);
    return st;
}

/* at the fixed beta of the chain: the Krylov exponential, CVODE if it does
 * not converge (or HL_GRIDCHAIN_CVODE is set) */
static int run_fixed(ev_t *e, const hl_gridchain *g, const double *y0, const double *taus,
                     size_t nt, double rtol, double atol, double *yout,
                     hl_gridchain_evolve_info *info)
{
    long m = e->ch.m;
    int st = HL_OK;
    double lim = 10 * rtol + 1e-12;
    if (!getenv("HL_GRIDCHAIN_CVODE")) {
        /* groups of output times spanning at most two decades, one pole each */
        for (size_t k0 = 0; k0 < nt && !st;) {
            size_t k1 = k0 + 1;
            double tlo = taus[k0] > 0 ? taus[k0] : -1;
            while (k1 < nt && (tlo < 0 ? (tlo = taus[k1], 1) : taus[k1] <= 100 * tlo))
                k1++;
            st = evolve_krylov(e, g, y0, taus + k0, k1 - k0, rtol, yout + k0 * (size_t)m, info);
            /* a result that is not a probability vector did not converge */
            for (size_t k = k0; !st && k < k1; k++) {
                const double *yv = yout + k * (size_t)m;
                double mn = INFINITY;
                for (long a = 0; a < m; a++)
                    mn = fmin(mn, yv[a]);
                if (!(fabs(sum_comp(yv, m) - 1) <= lim) || !(mn >= -lim))
                    st = HL_ENOCONV;
            }
            k0 = k1;
        }
        if (st == HL_OK) {
            info->method = HL_GRIDCHAIN_KRYLOV;
            return HL_OK;
        }
        if (st != HL_ENOCONV)
            return st;
        umfpack_dl_free_numeric(&e->num); /* fall back to CVODE */
        e->fgamma = 0;
    }
    info->method = HL_GRIDCHAIN_CVODE;
    return run_cvode(e, y0, 0.0, taus, nt, rtol, atol, yout, info);
}

/* Fixed beta from y0 (compressed) to taus[0..nt-1]: the integrators up to
 * the switch time of the slow modes (gridchain.h), the exact relaxation of
 * the slowest mode after it, so that any tau gives the right state.  The
 * slow modes are only computed when some tau is far beyond the chain's
 * fastest time scale (tau norm > 1e8). */
static int fixed_segment(ev_t *e, const hl_gridchain *g, const double *y0, const double *taus,
                         size_t nt, double rtol, double atol, double *yout,
                         hl_gridchain_evolve_info *info)
{
    long m = e->ch.m, n = e->ch.n;
    double norm = chain_norm(&e->ch);
    if (nt == 0)
        return HL_OK;
    if (!(taus[nt - 1] * norm > 1e8))
        return run_fixed(e, g, y0, taus, nt, rtol, atol, yout, info);
    hl_gridchain_slow s;
    int st = hl_gridchain_slow_rates(g, &s);
    if (st)
        return st;
    double *full = malloc(sizeof(double) * (size_t)n);
    double *tl = malloc(sizeof(double) * (nt + 1));
    double *yl = malloc(sizeof(double) * (size_t)m * (nt + 1));
    if (!full || !tl || !yl) {
        st = hl_fail(HL_ENOMEM, "out of memory (%zu times of %ld cells)", nt, m);
        goto done;
    }
    memset(full, 0, sizeof(double) * (size_t)n);
    for (long a = 0; a < m; a++)
        full[e->ch.cell[a]] = y0[a];
    double tsw = hl_gridchain_switch_time(&s, full);
    size_t ni = 0; /* integrated outputs: taus <= tsw (all if tsw is unknown) */
    while (ni < nt && (isnan(tsw) || taus[ni] <= tsw))
        ni++;
    if (ni == nt) {
        st = run_fixed(e, g, y0, taus, nt, rtol, atol, yout, info);
        goto done;
    }
    memcpy(tl, taus, sizeof(double) * ni);
    size_t nl = ni;
    if (ni == 0 || tl[ni - 1] < tsw)
        tl[nl++] = tsw;
    double t_sw = tl[nl - 1];
    if ((st = run_fixed(e, g, y0, tl, nl, rtol, atol, yl, info)))
        goto done;
    memcpy(yout, yl, sizeof(double) * (size_t)m * ni);
    const double *ysw = yl + (nl - 1) * (size_t)m;
    memset(full, 0, sizeof(double) * (size_t)n);
    for (long a = 0; a < m; a++)
        full[e->ch.cell[a]] = ysw[a];
    double *tmp = malloc(sizeof(double) * (size_t)n);
    if (!tmp) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    size_t kr = ni; /* relaxed outputs: a prefix of the rest (tau grows) */
    for (; kr < nt && !st && hl_gridchain_relaxable(&s, taus[kr] - t_sw, rtol); kr++) {
        st = hl_gridchain_relax(&s, full, taus[kr] - t_sw, rtol, tmp);
        for (long a = 0; !st && a < m; a++)
            yout[kr * (size_t)m + a] = tmp[e->ch.cell[a]];
    }
    free(tmp);
    if (!st && kr < nt) { /* lambda1 unknown: the integrators from the switch state */
        for (size_t k = kr; k < nt; k++)
            tl[k - kr] = taus[k] - t_sw;
        st = run_fixed(e, g, ysw, tl, nt - kr, rtol, atol, yout + kr * (size_t)m, info);
    }
done:
    free(full);
    free(tl);
    free(yl);
    hl_gridchain_slow_free(&s);
    return st;
}

int hl_gridchain_evolve(hl_gridchain *g, hl_gridchain_fill_fn fill, void *ctx,
                        const hl_protocol *p, const double *p0, const double *times,
                        size_t n_times, double rtol, double *p_out,
                        hl_gridchain_evolve_info *info)
{
    if (!g || !p0 || !times || !p_out)
        return hl_fail(HL_EINVAL, "hl_gridchain_evolve: NULL argument");
    int st = check_chain(g);
    if (st)
        return st;
    if (p && (st = hl_protocol_check(p)))
        return st;
    /* beta changes until tc and is constant after it (tc = 0: a fixed beta,
     * whatever the number of rows) */
    double tc = p ? hl_protocol_settle_time(p) : 0.0;
    int varying = tc > 0;
    if (varying && !fill)
        return hl_fail(HL_EINVAL, "a protocol whose beta changes needs a fill function");
    if ((st = hl_check_times(times, n_times)))
        return st;
    if (rtol == 0)
        rtol = 1e-8;
    if (!(rtol >= 1e-14 && rtol <= 1e-2))
        return hl_fail(HL_EDOM, "relative tolerance %g is not in [1e-14, 1e-2]", rtol);
    hl_gridchain_evolve_info loc;
    if (!info)
        info = &loc;
    memset(info, 0, sizeof *info);
    info->min_p = INFINITY;

    ev_t e;
    memset(&e, 0, sizeof e);
    e.g = g;
    e.fill = fill;
    e.ctx = ctx;
    e.p = p;
    e.varying = varying;
    e.tc = tc;
    double beta0 = p ? hl_protocol_beta(p, 0.0) : 0.0;
    if (fill && p) {
        if ((st = fill(ctx, beta0, g)))
            return st;
        e.fills++;
        if ((st = check_chain(g)))
            return st;
    }
    e.beta = beta0;
    st = chain_init(&e.ch, g);
    if (st)
        return st;
    double *yall = NULL, *ya = NULL, *taus = NULL;
    st = chain_rates(&e.ch, g);
    if (!st)
        st = ev_pattern(&e);
    if (st)
        goto done;
    long m = e.ch.m, n = e.ch.n;
    /* the start: >= 0, 0 off the chain, sum 1 */
    for (long i = 0; i < n; i++)
        if (!isfinite(p0[i]) || p0[i] < 0 || (e.ch.idx[i] < 0 && p0[i] != 0)) {
            st = hl_fail(HL_EDOM, "p0 at cell (%ld, %ld) is %g%s", i / e.ch.n2, i % e.ch.n2,
                         p0[i], e.ch.idx[i] < 0 ? " (the cell is not in the chain)" : "");
            goto done;
        }
    double s0 = sum_comp(p0, n);
    if (!(fabs(s0 - 1) <= 1e-9)) {
        st = hl_fail(HL_EDOM, "p0 sums to %.17g, not 1", s0);
        goto done;
    }
    double atol = rtol * 1e-4 / (double)m;
    info->rtol = rtol;
    info->atol = atol;
    yall = malloc(sizeof(double) * (size_t)m * (n_times + 1));
    ya = malloc(sizeof(double) * (size_t)m);
    taus = malloc(sizeof(double) * n_times);
    if (!yall || !ya || !taus) {
        st = hl_fail(HL_ENOMEM, "out of memory (%zu times of %ld cells)", n_times, m);
        goto done;
    }
    for (long a = 0; a < m; a++)
        ya[a] = p0[e.ch.cell[a]];
    /* the protocol until it settles: CVODE; the outputs up to tc and the
     * state at tc */
    size_t ka = 0;
    if (varying) {
        while (ka < n_times && times[ka] <= tc)
            ka++;
        double *tl = malloc(sizeof(double) * (ka + 1));
        if (!tl) {
            st = hl_fail(HL_ENOMEM, "out of memory");
            goto done;
        }
        memcpy(tl, times, sizeof(double) * ka);
        size_t nl = ka;
        if (ka < n_times && (ka == 0 || tl[ka - 1] < tc))
            tl[nl++] = tc;
        info->method = HL_GRIDCHAIN_CVODE;
        st = run_cvode(&e, ya, 0.0, tl, nl, rtol, atol, yall, info);
        free(tl);
        if (st)
            goto done;
        if (ka < n_times) {
            memcpy(ya, yall + (nl - 1) * (size_t)m, sizeof(double) * (size_t)m);
            /* the rates of the final beta, fixed from now on */
            if ((st = ev_at(&e, tc)))
                goto done;
            e.varying = 0;
            umfpack_dl_free_numeric(&e.num);
            e.fgamma = 0;
        }
    }
    if (ka < n_times) {
        double t0 = varying ? tc : 0.0;
        for (size_t k = ka; k < n_times; k++)
            taus[k - ka] = times[k] - t0;
        if (taus[0] < 0)
            taus[0] = 0;
        st = fixed_segment(&e, g, ya, taus, n_times - ka, rtol, atol, yall + ka * (size_t)m,
                           info);
        if (st)
            goto done;
    }
    /* outputs, checked: an integrator that lost conservation is an error,
     * never a number */
    double lim = 10 * rtol + 1e-12;
    for (size_t k = 0; k < n_times; k++) {
        const double *yv = yall + k * (size_t)m;
        double *po = p_out + k * (size_t)n;
        memset(po, 0, sizeof(double) * (size_t)n);
        double mn = INFINITY;
        for (long a = 0; a < m; a++) {
            po[e.ch.cell[a]] = yv[a];
            mn = fmin(mn, yv[a]);
        }
        double err = fabs(sum_comp(yv, m) - 1);
        if (!(err <= lim) || !(mn >= -lim)) {
            st = hl_fail(HL_ENOCONV, "t = %g cannot be reached accurately (the integrator "
                                     "lost probability: |sum P - 1| = %.2g, min P = %.2g)",
                         times[k], err, mn);
            goto done;
        }
        info->min_p = fmin(info->min_p, mn);
        info->max_sum_error = fmax(info->max_sum_error, err);
    }
done:
    info->factorisations = e.factorisations;
    info->fills = e.fills;
    free(yall);
    free(ya);
    free(taus);
    umfpack_dl_free_numeric(&e.num);
    umfpack_dl_free_symbolic(&e.sym);
    free(e.Ap);
    free(e.Ai);
    free(e.Ax);
    free(e.tmp);
    chain_free(&e.ch);
    return st;
}
