/* SPDX-License-Identifier: GPL-3.0-or-later */
/* passage.c -- mean first-passage times between basins of the contracted
 * master equation (eq 5.6 with the rates of eq 5.2), in log space. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kinetics_private.h"
#include "class_lattice.h"
#include "rchain.h"
#include "rpassage.h"



/* ---------------------------------------------------------------- 1-D */

/* b chain of the paper's phi: ln pi_b, ln p_b (b -> b+1), ln q_b (b+1 -> b) */
static int passage_separable(const hl_model *m, long dim, double beta,
                             const hl_named_maxima *c, const char *from, const char *to,
                             hl_passage *out, hl_passage_info *info)
{
    long h = dim / 2, N = h + 1;
    double D = (double)dim;
    double *buf = malloc(sizeof(double) * (size_t)N * 5);
    long *end = malloc(sizeof(long) * (size_t)N);
    if (!buf || !end) {
        free(buf);
        free(end);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    double *lpi = buf, *g = lpi + N, *lq = g + N, *suf = lq + N, *la = suf + N;
    for (long b = 0; b <= h; b++) {
        double d = 2.0 * b / h - 1.0;
        g[b] = hl_model_phi(m, 0.5 * d, -0.5 * d);
        lpi[b] = hl_lnchoose(h, b) - beta * D * g[b];
        /* the a chain's weight: its ascent ends at its unique maximum */
        la[b] = hl_lnchoose(h, b) - beta * D * (2.0 * b / h - 1.0);
    }
    long astar = 0;
    for (long a = 1; a <= h; a++)
        if (la[a] > la[astar])
            astar = a;
    hl_ascent_1d(lpi, h, end); /* ties: b+1 first */
    long start = -1, lo_t = -1, hi_t = -1, ntarget = 0;
    for (long b = 0; b <= h; b++) {
        const char *nm = hl_named_maxima_nearest(c, hl_class_x(h, astar, end[b]), hl_class_y(h, astar, end[b]));
        if (!strcmp(nm, from) && end[b] == b && (start < 0 || lpi[b] > lpi[start]))
            start = b;
    }
    for (long b = 0; b <= h; b++)
        if (!strcmp(hl_named_maxima_nearest(c, hl_class_x(h, astar, end[b]), hl_class_y(h, astar, end[b])), to)) {
            ntarget++;
            if (start >= 0 && b < start)
                lo_t = b;
            if (start >= 0 && b > start && hi_t < 0)
                hi_t = b;
        }
    int st = HL_OK;
    if (start < 0 || ntarget == 0) {
        st = hl_fail(HL_ENOTFOUND, "no '%s' basin%s at D = %ld, beta = %g",
                     hl_clip(start < 0 ? from : to, (char[HL_CLIP_BUF]){0}),
                     start < 0 ? " to start from" : " to reach", dim, beta);
        goto done;
    }
    if (lo_t >= 0 && hi_t >= 0) {
        st = hl_fail(HL_ERANGE, "the '%s' basin lies on both sides of the start",
                     hl_clip(to, (char[HL_CLIP_BUF]){0}));
        goto done;
    }
    /* ln rates of the b chain */
    for (long b = 0; b < h; b++)
        lq[b] = log((double)(b + 1)) + 0.5 * beta * D * (g[b + 1] - g[b]); /* b+1 -> b */
    double acc = -INFINITY;
    /* the resolution: an absolute error of a few ulps of the largest ln
     * term (ln pi, ln rate, partial sum) in each of the at most 2 N + 2
     * log-space operations on the way to ln tau is its relative error */
    double big = 1.0;
    if (lo_t >= 0) {
        /* tau = sum_{k=m}^{s-1} (sum_{j>k} pi_j) / (pi_{k+1} q_k) */
        suf[h] = lpi[h];
        for (long j = h - 1; j >= 0; j--)
            suf[j] = hl_lse(suf[j + 1], lpi[j]);
        for (long k = lo_t; k < start; k++) {
            acc = hl_lse(acc, suf[k + 1] - lpi[k + 1] - lq[k]);
            big = fmax(big, fabs(suf[k + 1]) + fabs(lpi[k + 1]) + fabs(lq[k]));
        }
    } else {
        /* tau = sum_{k=s}^{M-1} (sum_{j<=k} pi_j) / (pi_k p_k), p_k = rate k -> k+1 */
        double pre = -INFINITY;
        for (long k = 0; k < hi_t; k++) {
            pre = hl_lse(pre, lpi[k]);
            if (k >= start) {
                double lp = log((double)(h - k)) - 0.5 * beta * D * (g[k + 1] - g[k]);
                acc = hl_lse(acc, pre - lpi[k] - lp);
                big = fmax(big, fabs(pre) + fabs(lpi[k]) + fabs(lp));
            }
        }
    }
    if (info) {
        info->method = "separable-chain";
        info->resolution = 4.0 * DBL_EPSILON * (double)(2 * N + 8) * big;
    }
    out->ln_mfpt = acc;
    out->mfpt = exp(acc);
    out->from_n = astar + start;
    out->from_n1 = astar;
    out->target_classes = ntarget * N;
    out->method = HL_SPECTRUM_SEPARABLE;
done:
    free(buf);
    free(end);
    return st;
}

/* ---------------------------------------------------------------- 2-D */

/* Banded GTH elimination in log space of the absorbing chain:
 * out_i tau_i = c_i + sum_j k(i->j) tau_j, c = 1, targets absorbing. */
/* The class lattice of the contracted chain at beta: lq[i] = ln Q_eq =
 * ln W - beta Phi, and lk4[4 i + q] = ln k(i -> j) for the four moves q =
 * a+1, a-1, b+1, b-1 of eq 5.6 (count B(mid, T) exp(-beta (Phi_j - Phi_i)/2),
 * eq 5.2; -inf off the lattice); nb[4 i + q] = j or -1. */
int hl_class_lattice(const hl_model *m, long dim, double beta, double *lq, double *lk4,
                     long *nb)
{
    long h = dim / 2, w = h + 1, N = w * w;
    double D = (double)dim, T = 1.0 / beta;
    double *bphi = malloc(sizeof(double) * (size_t)N), *lnc = malloc(sizeof(double) * (size_t)w);
    if (!bphi || !lnc) {
        free(bphi);
        free(lnc);
        return hl_fail(HL_ENOMEM, "out of memory (class lattice at D = %ld)", dim);
    }
    for (long k = 0; k <= h; k++)
        lnc[k] = hl_lnchoose(h, k);
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * w + b;
            double phi;
            int st = hl_class_phi(m, h, a, b, &phi);
            if (st) {
                free(bphi);
                free(lnc);
                return st;
            }
            bphi[i] = beta * D * phi;
            lq[i] = lnc[a] + lnc[b] - bphi[i];
        }
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * w + b;
            for (int q = 0; q < 4; q++) {
                long a2 = a + (q == 0) - (q == 1), b2 = b + (q == 2) - (q == 3);
                if (a2 < 0 || a2 > h || b2 < 0 || b2 > h) {
                    lk4[4 * i + q] = -INFINITY;
                    nb[4 * i + q] = -1;
                    continue;
                }
                long j = a2 * w + b2;
                double cnt = q == 0 ? (double)(h - a) : q == 1 ? (double)a
                           : q == 2 ? (double)(h - b) : (double)b;
                double bx = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
                double by = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
                double Bt = hl_model_transmission(m, bx, by, T);
                int st = hl_check_bond_b(Bt, a, b, a2, b2, bx, by, T);
                if (st) {
                    free(bphi);
                    free(lnc);
                    return st;
                }
                lk4[4 * i + q] = log(cnt * Bt) - 0.5 * (bphi[j] - bphi[i]);
                nb[4 * i + q] = j;
            }
        }
    free(bphi);
    free(lnc);
    return HL_OK;
}

/* mode 0: mean first-passage time; mode 1: committor (ln q into lnq_out,
 * q = probability to reach the 'to' basin before the start class).  The
 * absorbing chain is solved by graph transformation (src/solvers). */
static int passage_general(const hl_model *m, long dim, double beta,
                           const hl_named_maxima *c, const char *from, const char *to,
                           const char *method, hl_passage *out, hl_passage_info *info,
                           int mode, double *lnq_out)
{
    long h = dim / 2, w = h + 1, N = w * w;
    double *lt = malloc(sizeof(double) * (size_t)N);
    long *lab = malloc(sizeof(long) * (size_t)N);
    unsigned char *target = calloc((size_t)N, 1);
    hl_rchain ch;
    memset(&ch, 0, sizeof ch);
    int st = HL_OK;
    if (!lt || !lab || !target) {
        st = hl_fail(HL_ENOMEM, "out of memory (D = %ld first passage)", dim);
        goto done;
    }
    if ((st = hl_class_rchain(m, dim, beta, &ch)) != HL_OK)
        goto done;
    const double *lq = ch.ln_pi; /* ln Q_eq */
    hl_ascent_2d(lq, h, lab); /* end state index, ties a+1, a-1, b+1, b-1 */
    long start = -1, ntarget = 0;
    for (long i = 0; i < N; i++) {
        long e = lab[i];
        const char *nm = hl_named_maxima_nearest(c, hl_class_x(h, e / w, e % w), hl_class_y(h, e / w, e % w));
        if (!strcmp(nm, to)) {
            target[i] = HL_PASS_TO_B;
            ntarget++;
        }
        if (!strcmp(nm, from) && e == i && (start < 0 || lq[i] > lq[start]))
            start = i;
    }
    if (start < 0 || ntarget == 0) {
        st = hl_fail(HL_ENOTFOUND, "no '%s' basin%s at D = %ld, beta = %g",
                     hl_clip(start < 0 ? from : to, (char[HL_CLIP_BUF]){0}),
                     start < 0 ? " to start from" : " to reach", dim, beta);
        goto done;
    }
    if (mode == 1)
        target[start] = HL_PASS_TO_A; /* absorbing with q = 0 */
    hl_pass_problem pb = {&ch, target};
    hl_pass_solution sol;
    memset(&sol, 0, sizeof sol);
    if (mode == 1)
        sol.ln_q = lt;
    else
        sol.ln_tau = lt;
    st = hl_pass_solve(&pb, method ? method : hl_pass_gt.name, &sol);
    if (st == HL_ENOTFOUND)
        st = hl_fail(HL_ENOTFOUND, "the '%s' basin cannot be reached",
                     hl_clip(to, (char[HL_CLIP_BUF]){0}));
    if (st)
        goto done;
    /* no digit left (the sparse-direct solve of an ill-conditioned chain):
     * the values are unresolved (NaN), not numbers */
    int lost = !(sol.resolution < 1);
    if (mode == 1) {
        if (lost) {
            st = hl_fail(HL_ERANGE, "the %s committor lost every digit (relative resolution "
                                    "%.3g): use graph-transformation",
                         sol.method, sol.resolution);
            goto done;
        }
        memcpy(lnq_out, lt, sizeof(double) * (size_t)N);
    } else {
        out->ln_mfpt = lost ? NAN : lt[start];
        out->mfpt = exp(out->ln_mfpt);
    }
    out->from_n = start / w + start % w;
    out->from_n1 = start / w;
    out->target_classes = ntarget;
    out->method = HL_PASSAGE_ELIMINATION;
    if (info) {
        info->method = sol.method;
        info->resolution = sol.resolution;
    }
done:
    hl_rchain_free(&ch);
    free(lt);
    free(lab);
    free(target);
    return st;
}

/* Arguments shared by hl_mfpt and hl_committor; then the named maxima. */
static int passage_setup(const hl_model *m, long dim, double beta, const char *from,
                         const char *to, hl_passage *out, hl_named_maxima *c)
{
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if (!isfinite(beta) || !(beta > 0) || beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is not in (0, 1e6]", beta);
    if (!strcmp(from, to))
        return hl_fail(HL_EINVAL, "'from' and 'to' are the same basin '%s'",
                           hl_clip(from, (char[HL_CLIP_BUF]){0}));
    st = hl_model_check_transmission(m, 1.0 / beta);
    if (st)
        return st;
    memset(out, 0, sizeof *out);
    return hl_named_maxima_get(m, beta, c);
}

/* method: NULL or a passage method of the general path ("separable-chain"
 * only where it applies) */
static int passage_method_check(const hl_model *m, const char *method)
{
    if (!method)
        return HL_OK;
    if (!strcmp(method, "separable-chain")) {
        if (hl_model_is_default(m) && hl_model_transmission_is_default(m))
            return HL_OK;
        return hl_fail(HL_ERANGE, "the first-passage method \"separable-chain\" applies to "
                                  "the paper's phi with B = 1 only");
    }
    if (!hl_pass_method_find(method))
        return hl_fail(HL_EINVAL, "no first-passage method is called \"%s\" (graph-"
                                  "transformation, sparse-direct, separable-chain)",
                       hl_clip(method, (char[HL_CLIP_BUF]){0}));
    return HL_OK;
}

int hl_mfpt_by(const hl_model *m, long dim, double beta, const char *from, const char *to,
               const char *method, hl_passage *out, hl_passage_info *info)
{
    if (!m || !from || !to || !out)
        return hl_fail(HL_EINVAL, "hl_mfpt: NULL argument");
    if (info) {
        info->method = NULL;
        info->resolution = NAN;
    }
    hl_named_maxima c;
    int st = passage_setup(m, dim, beta, from, to, out, &c);
    if (st || (st = passage_method_check(m, method)))
        return st;
    if ((!method || !strcmp(method, "separable-chain")) && hl_model_is_default(m) &&
        hl_model_transmission_is_default(m))
        return passage_separable(m, dim, beta, &c, from, to, out, info);
    if (dim > HL_PASSAGE_DIM_MAX)
        return hl_fail(HL_ERANGE, "first passage for a user phi or B (or a named general "
                                  "method) is solved up to D = %ld, not D = %ld",
                       HL_PASSAGE_DIM_MAX, dim);
    return passage_general(m, dim, beta, &c, from, to, method, out, info, 0, NULL);
}

int hl_mfpt(const hl_model *m, long dim, double beta, const char *from,
            const char *to, hl_passage *out)
{
    return hl_mfpt_by(m, dim, beta, from, to, NULL, out, NULL);
}

int hl_committor_by(const hl_model *m, long dim, double beta, const char *from,
                    const char *to, const char *method, double *ln_q, hl_passage *out,
                    hl_passage_info *info)
{
    if (!m || !from || !to || !ln_q || !out)
        return hl_fail(HL_EINVAL, "hl_committor: NULL argument");
    if (info) {
        info->method = NULL;
        info->resolution = NAN;
    }
    hl_named_maxima c;
    int st = passage_setup(m, dim, beta, from, to, out, &c);
    if (st)
        return st;
    if (method && !strcmp(method, "separable-chain"))
        return hl_fail(HL_ERANGE, "the committor has no \"separable-chain\" method "
                                  "(graph-transformation, sparse-direct)");
    if ((st = passage_method_check(m, method)))
        return st;
    if (dim > HL_PASSAGE_DIM_MAX)
        return hl_fail(HL_ERANGE, "the committor is solved up to D = %ld (graph "
                                  "transformation), not D = %ld",
                       HL_PASSAGE_DIM_MAX, dim);
    st = passage_general(m, dim, beta, &c, from, to, method, out, info, 1, ln_q);
    out->ln_mfpt = NAN;
    out->mfpt = NAN;
    return st;
}

int hl_committor(const hl_model *m, long dim, double beta, const char *from,
                 const char *to, double *ln_q, hl_passage *out)
{
    return hl_committor_by(m, dim, beta, from, to, NULL, ln_q, out, NULL);
}

/* ---------------------------------------------------------------- tunnelling */

static double lsub(double a, double b) /* ln(e^a - e^b), a > b */
{
    return a + log1p(-exp(b - a));
}

int hl_tunnelling_ln_rate(const hl_model *m, long dim, double beta, double *ln_rate)
{
    if (!m || !ln_rate)
        return hl_fail(HL_EINVAL, "hl_tunnelling_ln_rate: NULL argument");
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if (!isfinite(beta) || !(beta > 0) || beta > 1e6)
        return hl_fail(HL_EDOM, "beta = %g is not in (0, 1e6]", beta);
    if (dim > HL_PASSAGE_GENERAL_DIM_MAX)
        return hl_fail(HL_ERANGE, "the tunnelling rate is reduced exactly up to D = %ld",
                       HL_PASSAGE_GENERAL_DIM_MAX);
    hl_named_maxima c;
    st = hl_named_maxima_get(m, beta, &c);
    if (st)
        return st;
    long h = dim / 2, w = h + 1, N = w * w, Bw = 2 * w + 1;
    double *lq = malloc(sizeof(double) * (size_t)N);
    double *band0 = malloc(sizeof(double) * (size_t)N * (size_t)Bw);
    double *band = malloc(sizeof(double) * (size_t)N * (size_t)Bw);
    double *buf = malloc(sizeof(double) * (size_t)N * 10);
    long *lab = malloc(sizeof(long) * (size_t)N);
    double *lk4 = malloc(sizeof(double) * (size_t)N * 4);
    long *nb = malloc(sizeof(long) * (size_t)N * 4);
    const char **names = malloc(sizeof(char *) * (size_t)N);
    int *basin = malloc(sizeof(int) * (size_t)N);
    if (!lq || !band0 || !band || !buf || !lab || !lk4 || !nb || !names || !basin) {
        st = hl_fail(HL_ENOMEM, "out of memory (tunnelling rate at D = %ld)", dim);
        goto done;
    }
    double *lkA0 = buf, *lkB0 = lkA0 + N, *rowA0 = lkB0 + N, *rowB0 = rowA0 + N;
    double *lkA = rowB0 + N, *lkB = lkA + N, *rowA = lkB + N, *rowB = rowA + N, *lg = rowB + N;
    if ((st = hl_class_lattice(m, dim, beta, lq, lk4, nb)) != HL_OK)
        goto done;
    /* the two core states: the deepest class of each of two named basins */
    hl_name_ascent(&c, lq, w, hl_class_pos, &h, lab, names);
    long best[2];
    st = hl_two_basins(names, lq, N, basin, best);
    if (st == HL_ERANGE)
        st = hl_fail(HL_ERANGE, "more than two basins at D = %ld, beta = %g", dim, beta);
    else if (st == HL_ENOTFOUND)
        st = hl_fail(HL_ENOTFOUND, "only one basin at D = %ld, beta = %g: no tunnelling rate",
                     dim, beta);
    if (st)
        goto done;
    long ca = best[0], cb = best[1];
    /* ln rates; columns of the cores folded into lkA0 / lkB0 */
    for (long i = 0; i < N * Bw; i++)
        band0[i] = -INFINITY;
    for (long i = 0; i < N; i++)
        lkA0[i] = lkB0[i] = rowA0[i] = rowB0[i] = -INFINITY;
    for (long i = 0; i < N; i++)
        for (int q = 0; q < 4; q++) {
            long j = nb[4 * i + q];
            if (j < 0)
                continue;
            double lk = lk4[4 * i + q];
            if (i == ca)
                rowA0[j] = lk; /* j == cb: the direct a -> b rate */
            else if (i == cb)
                rowB0[j] = lk;
            else if (j == ca)
                lkA0[i] = lk;
            else if (j == cb)
                lkB0[i] = lk;
            else
                band0[i * Bw + (j - i + w)] = lk;
        }
    /* lambda = k_ab / g_a + k_ba / g_b of the Schur complement of
     * -L - lambda onto the cores; iterate from lambda = 0 */
    double llam = -INFINITY, prev = NAN;
    for (int it = 0; it < 60; it++) {
        memcpy(band, band0, sizeof(double) * (size_t)N * (size_t)Bw);
        memcpy(lkA, lkA0, sizeof(double) * (size_t)N * 4); /* lkA, lkB, rowA, rowB */
        for (long i = 0; i < N; i++)
            lg[i] = 0.0; /* g = 1 */
        for (long x = 0; x < N; x++) {
            if (x == ca || x == cb)
                continue;
            double *rx = &band[x * Bw];
            double off = hl_lse(lkA[x], lkB[x]);
            for (long d = w + 1; d < Bw; d++)
                off = hl_lse(off, rx[d]);
            double shift = llam + lg[x];
            if (!(shift < off - 1e-12)) {
                st = hl_fail(HL_ENOCONV, "the tunnelling rate is not below the in-basin "
                                         "rates (not metastable) at D = %ld, beta = %g",
                             dim, beta);
                goto done;
            }
            double lpiv = shift == -INFINITY ? off : lsub(off, shift);
            for (long i = x + 1; i <= x + w && i < N; i++) {
                if (i == ca || i == cb)
                    continue;
                double lix = band[i * Bw + (x - i + w)];
                if (lix == -INFINITY)
                    continue;
                double f = lix - lpiv;
                double *ri = &band[i * Bw];
                for (long j = x + 1; j <= x + w && j < N; j++)
                    if (j != i && rx[j - x + w] != -INFINITY)
                        ri[j - i + w] = hl_lse(ri[j - i + w], f + rx[j - x + w]);
                lkA[i] = hl_lse(lkA[i], f + lkA[x]);
                lkB[i] = hl_lse(lkB[i], f + lkB[x]);
                lg[i] = hl_lse(lg[i], f + lg[x]);
                ri[x - i + w] = -INFINITY;
            }
            /* the core rows: a -> x -> (j, b), the loop a -> x -> a dropped */
            for (int core = 0; core < 2; core++) {
                double *row = core ? rowB : rowA;
                if (row[x] == -INFINITY)
                    continue;
                double f = row[x] - lpiv;
                for (long j = x + 1; j <= x + w && j < N; j++)
                    if (rx[j - x + w] != -INFINITY)
                        row[j] = hl_lse(row[j], f + rx[j - x + w]);
                if (core == 0)
                    rowA[cb] = hl_lse(rowA[cb], f + lkB[x]);
                else
                    rowB[ca] = hl_lse(rowB[ca], f + lkA[x]);
                lg[core ? cb : ca] = hl_lse(lg[core ? cb : ca], f + lg[x]);
                row[x] = -INFINITY;
            }
        }
        llam = hl_lse(rowA[cb] - lg[ca], rowB[ca] - lg[cb]);
        if (!isfinite(llam)) {
            st = hl_fail(HL_ENOCONV, "the two basins are not connected");
            goto done;
        }
        if (it > 0 && fabs(llam - prev) <= 1e-15 * (1 + fabs(llam)))
            break;
        prev = llam;
    }
    *ln_rate = llam;
done:
    free(lq);
    free(band0);
    free(band);
    free(buf);
    free(lab);
    free(lk4);
    free(nb);
    free(names);
    free(basin);
    return st;
}
