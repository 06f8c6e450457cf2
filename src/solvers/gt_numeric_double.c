/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gt_numeric_double.c -- the graph transformation's numeric elimination in
 * plain doubles, for factors whose numbers fit the double range
 * (gt_factor.h, hl_gt_numeric_double).
 *
 * The elimination (passage_gt.c) works on hl_xf numbers: a double mantissa
 * and an exponent in steps of 2^512, with a normalisation branch in every
 * operation.  Here the same elimination runs on doubles after a symmetric
 * scaling by powers of two, s_k = 2^{e_k} ~ pi_k^{-1/2}: conductances
 * C_jk s_j s_k ~ the symmetric rates A_jk, pivots, absorptions and masses
 * times s_k^2 ~ escape rates and 1.  These span the range of the RATES
 * (LJ13 at T = 0.01: e^-300..1) where the weights span far more (e^-900).
 * Scaling by powers of two is exact, so where every input and every
 * stored result lies in [2^-900, 2^900] each product and each sum rounds
 * exactly as its hl_xf counterpart (an addend below 2^-768 of the other is
 * dropped by both): the factor is the same to the last bit.  A product that underflows in between is an addend
 * below 2^-1022 of a sum that ends above 2^-900, i.e. below 2^-122
 * relative: what hl_xf would add there is lost to rounding anyway.  So the
 * double elimination runs first, about ten times faster (no branch per
 * operation); if an input or a stored value falls outside that range (or
 * an overflow leaves an infinity), it reports HL_EDOM and the caller
 * redoes the elimination in hl_xf.  The values it stores are converted to
 * hl_xf, so the factor is the same object either way. */
#include <math.h>
#include <stdlib.h>

#include "core.h"
#include "gt_factor.h"

#define LO 0x1p-900
#define HI 0x1p900

/* x 2^bits as a double; NAN when outside [LO, HI] (0 stays 0) */
double hl_gt_to_double(hl_xf x, long bits)
{
    if (x.m == 0.0)
        return 0.0;
    int ex;
    double fr = frexp(x.m, &ex);
    long total = (long)ex + 512L * x.e + bits;
    if (total < -899 || total > 900)
        return NAN;
    return ldexp(fr, (int)total);
}

/* v 2^-bits as an hl_xf (mantissa in [2^-256, 2^256)) */
hl_xf hl_gt_to_xf(double v, long bits)
{
    hl_xf r = {0.0, 0};
    if (v == 0.0)
        return r;
    int ex;
    double fr = frexp(v, &ex);
    long big = (long)ex - bits;
    /* e = ceil((big - 256) / 512) */
    long e = big - 256 >= 0 ? (big - 256 + 511) / 512 : -((256 - big) / 512);
    r.m = ldexp(fr, (int)(big - 512 * e));
    r.e = (int)e;
    return r;
}

/* the scale exponent of a state from its mass m = pi e^{-shift}:
 * -round(log2(m) / 2) */
long hl_gt_scale_bits(hl_xf m)
{
    int ex;
    double fr = frexp(m.m, &ex);
    double l2 = log2(fr) + ex + 512.0 * m.e;
    return -(long)floor(l2 / 2 + 0.5);
}

static _Thread_local int double_enabled = 1;

int hl_gt_double_enabled(int on)
{
    int old = double_enabled;
    if (on >= 0)
        double_enabled = on != 0;
    return old;
}

static int in_range(double v)
{
    return v == 0.0 || (v >= LO && v <= HI);
}

int hl_gt_numeric_double(gt_t *g, hl_xf lambda_xf)
{
    long nf = g->nf, lnz = g->lp[nf];
    size_t snf = (size_t)(nf > 0 ? nf : 1), slz = (size_t)(lnz > 0 ? lnz : 1);
    double lambda = hl_gt_to_double(lambda_xf, 0);
    if (isnan(lambda))
        return HL_EDOM;
    int shifted = lambda_xf.m != 0.0;
    double *w = malloc(sizeof(double) * snf), *lx = malloc(sizeof(double) * slz);
    double *dg = malloc(sizeof(double) * snf), *tab = malloc(sizeof(double) * snf);
    double *tge = malloc(sizeof(double) * snf), *tm = malloc(sizeof(double) * snf);
    double *ax = malloc(sizeof(double) * (size_t)(g->ap[nf] > 0 ? g->ap[nf] : 1));
    long *head = malloc(sizeof(long) * snf), *next = malloc(sizeof(long) * snf);
    long *ptr = malloc(sizeof(long) * snf), *sb = malloc(sizeof(long) * snf);
    int st = HL_OK;
    if (!w || !lx || !dg || !tab || !tge || !tm || !ax || !head || !next || !ptr || !sb) {
        st = hl_fail(HL_ENOMEM, "out of memory (graph transformation, %ld states)", nf);
        goto done;
    }
    for (long k = 0; k < nf; k++)
        sb[k] = g->rhs[k].m > 0 ? hl_gt_scale_bits(g->rhs[k]) : 0;
    for (long k = 0; k < nf; k++)
        for (long q = g->ap[k]; q < g->ap[k + 1]; q++)
            if (isnan(ax[q] = hl_gt_to_double(g->ax[q], sb[k] + sb[g->ai[q]]))) {
                st = HL_EDOM;
                goto done;
            }
    g->margin = 1.0;
    g->margin_state = -1;
    for (long k = 0; k < nf; k++) {
        tab[k] = hl_gt_to_double(g->gab[k], 2 * sb[k]);
        tge[k] = hl_gt_to_double(g->ge[k], 2 * sb[k]);
        tm[k] = shifted ? hl_gt_to_double(g->rhs[k], 2 * sb[k]) : 0.0;
        if (isnan(tab[k]) || isnan(tge[k]) || isnan(tm[k])) {
            st = HL_EDOM;
            goto done;
        }
        w[k] = 0.0;
        head[k] = -1;
    }
    for (long k = 0; k < nf; k++) {
        for (long q = g->ap[k]; q < g->ap[k + 1]; q++)
            if (g->ai[q] > k)
                w[g->ai[q]] += ax[q];
        double ab = tab[k], ge = tge[k], ms = tm[k];
        long y = head[k];
        while (y != -1) {
            long ny = next[y], pos = ptr[y], end = g->lp[y + 1];
            double f = lx[pos] / dg[y];
            for (long q = pos + 1; q < end; q++)
                w[g->li[q]] += f * lx[q];
            /* the per-state quantities carry s^2: times (s_k / s_y)^2
             * more than the conductances' s_k s_y (exact: a power of 2) */
            double fs = f * ldexp(1.0, (int)(sb[k] - sb[y]));
            ab += fs * tab[y];
            ge += fs * tge[y];
            ms += fs * tm[y];
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
        tm[k] = ms;
        double d = ab + ge;
        for (long q = g->lp[k]; q < g->lp[k + 1]; q++) {
            int j = g->li[q];
            lx[q] = w[j];
            /* the pivot sums C_jk of rows j of other scales: s_k^2 C_jk */
            d += w[j] * ldexp(1.0, (int)(sb[k] - sb[j]));
            w[j] = 0.0;
            /* fill is a sum of positive terms: 0 or tiny means underflow */
            if (!(lx[q] >= LO && lx[q] <= HI)) {
                st = HL_EDOM;
                goto done;
            }
        }
        /* ab and ge only add to the pivot (negligible if they underflow);
         * the mass ms >= pi_k > 0 multiplies lambda: it must not */
        if (!in_range(ab) || !in_range(ge) || (shifted && !(ms >= LO && ms <= HI)) ||
            !(d <= HI)) {
            st = HL_EDOM;
            goto done;
        }
        /* the one subtraction, as in hl_xf */
        if ((st = hl_gt_pivot_double(g, k, shifted, lambda * ms, LO, &d)))
            goto done;
        dg[k] = d;
        ptr[k] = g->lp[k];
        if (g->lp[k] < g->lp[k + 1]) {
            long r = g->li[g->lp[k]];
            next[k] = head[r];
            head[r] = k;
        }
    }
    for (long k = 0; k < nf; k++) {
        for (long q = g->lp[k]; q < g->lp[k + 1]; q++)
            g->lx[q] = hl_gt_to_xf(lx[q], sb[k] + sb[g->li[q]]);
        g->dg[k] = hl_gt_to_xf(dg[k], 2 * sb[k]);
    }
done:
    free(w);
    free(lx);
    free(dg);
    free(tab);
    free(tge);
    free(tm);
    free(ax);
    free(head);
    free(next);
    free(ptr);
    free(sb);
    return st;
}
