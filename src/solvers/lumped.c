/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lumped.c -- the committor reduction of a reversible chain to its basins
 * (lumped.h). */
#include "lumped.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "rpassage.h"
#include "spectrum.h"

void hl_lumped_free(hl_lumped *L)
{
    if (!L)
        return;
    free(L->top);
    free(L->ln_h);
    free(L->ln_pi);
    free(L->ln_m);
    hl_rchain_free(&L->chain);
    memset(L, 0, sizeof *L);
}

/* ln C_ab = ln A_ab + (ln pi_a + ln pi_b) / 2 of chain edge e */
static double ln_cond(const hl_rchain *c, long e)
{
    return c->ln_c[e] + 0.5 * (c->ln_pi[c->ea[e]] + c->ln_pi[c->eb[e]]);
}

/* the basins' tops r_j (full indices, increasing); *nb their number */
static int find_tops(const hl_rchain *c, const hl_active *ch, long **top, long *nb)
{
    long m = ch->m;
    long *end = malloc(sizeof(long) * (size_t)m);
    unsigned char *is_top = calloc((size_t)m, 1);
    *top = NULL;
    *nb = 0;
    if (!end || !is_top) {
        free(end);
        free(is_top);
        return hl_fail(HL_ENOMEM, "out of memory for the basins of a %ld-state chain", m);
    }
    hl_active_ascent(ch, c, end);
    long k = 0;
    for (long a = 0; a < m; a++)
        if (!is_top[end[a]]) {
            is_top[end[a]] = 1;
            k++;
        }
    int st = HL_OK;
    if (k >= 2 && k <= HL_LUMPED_MAX_BASINS) {
        *top = malloc(sizeof(long) * (size_t)k);
        if (!*top)
            st = hl_fail(HL_ENOMEM, "out of memory");
        else
            for (long a = 0, j = 0; a < m; a++)
                if (is_top[a])
                    (*top)[j++] = ch->state[a];
        *nb = k;
    } else {
        st = HL_ENOTFOUND;
    }
    free(end);
    free(is_top);
    return st;
}

int hl_lumped_build(const hl_rchain *c, const hl_active *ch, hl_lumped *L)
{
    memset(L, 0, sizeof *L);
    long n = c->n, nb;
    int st = find_tops(c, ch, &L->top, &nb);
    if (st)
        return st;
    L->n = n;
    L->nb = nb;
    /* lambda_B: the B-th nonzero rate (one component: rates[0] = 0) */
    double *rates = malloc(sizeof(double) * (size_t)(nb + 1));
    if (!rates) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto fail;
    }
    st = hl_rchain_spectrum(c, (int)nb + 1, rates, NULL, NULL, NULL);
    L->lambda_b = st ? NAN : rates[nb];
    free(rates);
    if (st || !(L->lambda_b > 0) || !isfinite(L->lambda_b)) {
        st = HL_ENOTFOUND; /* lambda_B unresolved: not this way */
        goto fail;
    }
    if ((double)nb * (double)n > 1.6e7) {
        st = HL_ENOTFOUND; /* the committors would not fit: not this way */
        goto fail;
    }
    L->ln_pi = malloc(sizeof(double) * (size_t)n);
    L->ln_h = malloc(sizeof(double) * (size_t)nb * (size_t)n);
    L->ln_m = malloc(sizeof(double) * (size_t)nb);
    double *ln_qm = malloc(sizeof(double) * (size_t)n);
    double *lnc = malloc(sizeof(double) * (size_t)nb * (size_t)nb);
    unsigned char *absorb = calloc((size_t)n, 1);
    if (!L->ln_pi || !L->ln_h || !L->ln_m || !ln_qm || !lnc || !absorb) {
        free(ln_qm);
        free(lnc);
        free(absorb);
        st = hl_fail(HL_ENOMEM, "out of memory for the committors of %ld basins of a "
                                "%ld-state chain", nb, n);
        goto fail;
    }
    memcpy(L->ln_pi, c->ln_pi, sizeof(double) * (size_t)n);
    /* the committors: one graph-transformation factor (the tops absorb),
     * one solve per basin */
    hl_pass_cache *keep = NULL;
    double ln_ov = -INFINITY;
    for (long j = 0; j < nb && !st; j++) {
        for (long i = 0; i < nb; i++)
            absorb[L->top[i]] = i == j ? HL_PASS_TO_B : HL_PASS_TO_A;
        hl_pass_problem pb = {.chain = c, .absorb = absorb};
        hl_pass_solution so = {.ln_q = L->ln_h + (size_t)j * (size_t)n, .ln_qm = ln_qm};
        if ((st = hl_pass_solve_kept(&pb, "graph-transformation", &so, &keep)))
            break;
        const double *lh = L->ln_h + (size_t)j * (size_t)n;
        double lm = -INFINITY, lo = -INFINITY;
        for (long a = 0; a < n; a++) {
            if (!(c->ln_pi[a] > -INFINITY))
                continue;
            lm = hl_lse(lm, c->ln_pi[a] + lh[a]);
            lo = hl_lse(lo, c->ln_pi[a] + lh[a] + ln_qm[a]);
        }
        L->ln_m[j] = lm;
        ln_ov = fmax(ln_ov, lo - lm);
    }
    hl_pass_cache_free(keep);
    free(absorb);
    free(ln_qm);
    if (st) {
        free(lnc);
        goto fail;
    }
    L->ln_overlap = ln_ov;
    /* C_ij = sum over the edges (r_i, b) of C_{r_i b} h_j(b) */
    for (size_t q = 0; q < (size_t)nb * (size_t)nb; q++)
        lnc[q] = -INFINITY;
    for (long i = 0; i < nb; i++) {
        long r = L->top[i];
        for (long t = c->adj_start[r]; t < c->adj_start[r + 1]; t++) {
            long e = c->adj_edge[t], b = hl_rchain_other(c, e, r);
            if (!(c->ln_c[e] > -INFINITY) || !(c->ln_pi[b] > -INFINITY))
                continue;
            double lce = ln_cond(c, e);
            for (long j = 0; j < nb; j++)
                if (j != i)
                    lnc[i * nb + j] = hl_lse(lnc[i * nb + j],
                                             lce + L->ln_h[(size_t)j * (size_t)n + (size_t)b]);
        }
    }
    long ne = 0;
    for (long i = 0; i < nb; i++)
        for (long j = i + 1; j < nb; j++)
            if (lnc[i * nb + j] > -INFINITY && lnc[j * nb + i] > -INFINITY)
                ne++;
    if ((st = hl_rchain_alloc(&L->chain, nb, ne, 0))) {
        free(lnc);
        goto fail;
    }
    double ln_fast = -INFINITY; /* the small chain's largest outflow */
    long e = 0;
    for (long i = 0; i < nb; i++) {
        L->chain.ln_pi[i] = L->ln_m[i];
        double lout = -INFINITY;
        for (long j = 0; j < nb; j++)
            if (j != i && lnc[i * nb + j] > -INFINITY && lnc[j * nb + i] > -INFINITY)
                lout = hl_lse(lout, 0.5 * (lnc[i * nb + j] + lnc[j * nb + i]) - L->ln_m[i]);
        ln_fast = fmax(ln_fast, lout);
        for (long j = i + 1; j < nb; j++) {
            if (!(lnc[i * nb + j] > -INFINITY && lnc[j * nb + i] > -INFINITY))
                continue;
            double lcs = 0.5 * (lnc[i * nb + j] + lnc[j * nb + i]);
            L->chain.ea[e] = i;
            L->chain.eb[e] = j;
            L->chain.ln_c[e] = lcs - 0.5 * (L->ln_m[i] + L->ln_m[j]);
            e++;
        }
    }
    free(lnc);
    if ((st = hl_rchain_index(&L->chain)))
        goto fail;
    L->ln_gap = ln_fast - log(L->lambda_b);
    return HL_OK;
fail:
    hl_lumped_free(L);
    return st;
}

void hl_lumped_project(const hl_lumped *L, const double *q, double *p)
{
    double s = 0;
    for (long j = 0; j < L->nb; j++) {
        const double *lh = L->ln_h + (size_t)j * (size_t)L->n;
        double acc = 0;
        for (long a = 0; a < L->n; a++)
            if (q[a] > 0 && lh[a] > -INFINITY)
                acc += q[a] * exp(lh[a]);
        p[j] = acc;
        s += acc;
    }
    for (long j = 0; j < L->nb; j++)
        p[j] /= s;
}

void hl_lumped_lift(const hl_lumped *L, const double *p, double *q)
{
    const double *lpi = L->chain.ln_pi; /* ln M_j */
    for (long a = 0; a < L->n; a++)
        q[a] = 0;
    for (long j = 0; j < L->nb; j++) {
        if (!(p[j] > 0))
            continue;
        const double *lh = L->ln_h + (size_t)j * (size_t)L->n;
        double lp = log(p[j]) - lpi[j];
        for (long a = 0; a < L->n; a++)
            if (lh[a] > -INFINITY)
                q[a] += exp(lp + lh[a] + L->ln_pi[a]);
    }
}
