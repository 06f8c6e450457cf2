/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evolve_observe.c -- what hl_evolve reports at an output time (evolve.h):
 * <x>, <y>, <phi>, <ln W>/D, the free energy per dimension <phi> + (T/D)
 * sum Q ln(Q/W), |sum Q - 1|, min Q and the populations of the basins of
 * the current beta, for the 2-D state and for the product state (the sums
 * factorise: never forms Q on the product path unless asked to). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evolve_model.h"

/* ln Q_eq at beta on the class lattice and its steepest-ascent labels
 * (basins.c); both caller-freed. */
int hl_evolve_ascent_labels(const hl_evolve_sys *s, double beta, double **lq_out, long **lab_out)
{
    long h = s->h, w = h + 1, N = w * w;
    double *lq = malloc(sizeof(double) * (size_t)N);
    long *lab = malloc(sizeof(long) * (size_t)N);
    if (!lq || !lab) {
        free(lq);
        free(lab);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++)
            lq[a * w + b] = s->lnc[a] + s->lnc[b] - beta * s->Phi[a * w + b];
    hl_ascent_2d(lq, h, lab);
    *lq_out = lq;
    *lab_out = lab;
    return HL_OK;
}

int hl_check_times(const double *times, size_t n_times)
{
    if (!times)
        return hl_fail(HL_EINVAL, "output times are NULL");
    if (n_times < 1)
        return hl_fail(HL_EINVAL, "no output times");
    for (size_t k = 0; k < n_times; k++) {
        if (!isfinite(times[k]) || times[k] < 0)
            return hl_fail(HL_EDOM, "time %g is not a non-negative finite number", times[k]);
        if (k > 0 && !(times[k] > times[k - 1]))
            return hl_fail(HL_EDOM, "times are not strictly increasing (%g after %g)",
                           times[k], times[k - 1]);
    }
    return HL_OK;
}

int hl_check_field(const double field[2])
{
    for (int q = 0; q < 2; q++)
        if (!isfinite(field[q]) || fabs(field[q]) > 1e6)
            return hl_fail(HL_EDOM, "tilted start: field (%g, %g) is not finite (|f| <= 1e6)",
                           field[0], field[1]);
    return HL_OK;
}

void hl_ln_normalise(double *v, long n)
{
    double mx = -INFINITY, sum = 0;
    for (long i = 0; i < n; i++)
        mx = fmax(mx, v[i]);
    for (long i = 0; i < n; i++)
        sum += exp(v[i] - mx);
    double l = mx + log(sum);
    for (long i = 0; i < n; i++)
        v[i] = exp(v[i] - l);
}

static double qlogq_over_w(double q, double lnw)
{
    return q > 0 ? q * (log(q) - lnw) : 0.0; /* 0 ln 0 = 0; negative round-off: 0 */
}

/* observables of the product state (pa on chain a, pb on chain b) */
static int observe_product(const hl_evolve_sys *s, double t, double beta, const double *pa,
                           const double *pb, hl_evolve_point *pt, double *q_out)
{
    long h = s->h, w = s->w;
    double D = (double)s->dim;
    double sa = 0, sb = 0, es = 0, ed = 0, eg = 0, wa = 0, wb = 0, ha = 0, hb = 0;
    double mina = INFINITY, maxa = -INFINITY, minb = INFINITY, maxb = -INFINITY;
    for (long k = 0; k <= h; k++) {
        double v = 2.0 * k / h - 1.0;
        sa += pa[k];
        sb += pb[k];
        es += pa[k] * v;
        ed += pb[k] * v;
        eg += pb[k] * s->g[k];
        wa += pa[k] * s->lnc[k];
        wb += pb[k] * s->lnc[k];
        ha += qlogq_over_w(pa[k], s->lnc[k]);
        hb += qlogq_over_w(pb[k], s->lnc[k]);
        mina = fmin(mina, pa[k]);
        maxa = fmax(maxa, pa[k]);
        minb = fmin(minb, pb[k]);
        maxb = fmax(maxb, pb[k]);
    }
    memset(pt, 0, sizeof *pt);
    pt->t = t;
    pt->beta = beta;
    double Es = es * sb, Ed = ed * sa;
    pt->mean_x = 0.5 * (Es + Ed);
    pt->mean_y = 0.5 * (Es - Ed);
    pt->mean_phi = Es + eg * sa;
    pt->mean_w = (wa * sb + wb * sa) / D;
    pt->free_energy = pt->mean_phi + (ha * sb + hb * sa) / (beta * D);
    pt->sum_error = fabs(sa * sb - 1.0);
    pt->min_q = fmin(fmin(mina * minb, mina * maxb), fmin(maxa * minb, maxa * maxb));
    /* basins of the current beta: they depend on b only (phi = s + g(d)) */
    hl_named_maxima c;
    int st = hl_named_maxima_get(s->m, beta, &c);
    if (st)
        return st;
    hl_basins_init(pt->basins, &pt->n_basins, s->m, &c);
    double *lpi = malloc(sizeof(double) * (size_t)w * 2);
    long *end = malloc(sizeof(long) * (size_t)w);
    if (!lpi || !end) {
        free(lpi);
        free(end);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    double *lpa = lpi + w;
    long astar = 0;
    for (long k = 0; k <= h; k++) {
        lpi[k] = s->lnc[k] - beta * D * s->g[k];
        lpa[k] = s->lnc[k] - beta * D * (2.0 * k / h - 1.0);
        if (lpa[k] > lpa[astar])
            astar = k;
    }
    hl_ascent_1d(lpi, h, end);
    double best[HL_MAX_BASINS], gsum[HL_MAX_BASINS] = {0}, gphi[HL_MAX_BASINS] = {0};
    for (int k = 0; k < HL_MAX_BASINS; k++)
        best[k] = -INFINITY;
    for (long b = 0; b <= h; b++) {
        long e = end[b];
        int k = hl_basin_slot(pt->basins, &pt->n_basins, hl_named_maxima_nearest(&c, hl_class_x(h, astar, e), hl_class_y(h, astar, e)));
        if (k < 0)
            continue;
        /* an integrator's round-off below 0 is no probability (min_q
         * reports it) */
        pt->basins[k].probability += pb[b] > 0 ? pb[b] * sa : 0.0;
        gsum[k] += pb[b];
        gphi[k] += pb[b] * s->g[b];
        if (e == b && lpi[b] > best[k]) {
            best[k] = lpi[b];
            pt->basins[k].x = hl_class_x(h, astar, e);
            pt->basins[k].y = hl_class_y(h, astar, e);
        }
    }
    for (int k = 0; k < pt->n_basins; k++) {
        pt->basins[k].ln_probability =
            pt->basins[k].probability > 0 ? log(pt->basins[k].probability) : -INFINITY;
        /* <phi | basin> = <s> + <g | b in basin> (the basin is a set of b) */
        pt->basins[k].mean_phi = gsum[k] > 0 && sa > 0 ? es / sa + gphi[k] / gsum[k] : NAN;
    }
    free(lpi);
    free(end);
    if (q_out)
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++)
                q_out[a * w + b] = pa[a] * pb[b];
    return HL_OK;
}

static int observe_general(const hl_evolve_sys *s, double t, double beta, const double *q,
                           hl_evolve_point *pt, double *q_out)
{
    long h = s->h, w = s->w, N = s->N;
    double D = (double)s->dim;
    memset(pt, 0, sizeof *pt);
    pt->t = t;
    pt->beta = beta;
    double sum = 0, ex = 0, ey = 0, ep = 0, ew = 0, hh = 0, mn = INFINITY;
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * w + b;
            double lw = s->lnc[a] + s->lnc[b];
            sum += q[i];
            ex += q[i] * hl_class_x(h, a, b);
            ey += q[i] * hl_class_y(h, a, b);
            ep += q[i] * s->Phi[i] / D;
            ew += q[i] * lw;
            hh += qlogq_over_w(q[i], lw);
            mn = fmin(mn, q[i]);
        }
    pt->mean_x = ex;
    pt->mean_y = ey;
    pt->mean_phi = ep;
    pt->mean_w = ew / D;
    pt->free_energy = ep + hh / (beta * D);
    pt->sum_error = fabs(sum - 1.0);
    pt->min_q = mn;
    hl_named_maxima c;
    int st = hl_named_maxima_get(s->m, beta, &c);
    if (st)
        return st;
    hl_basins_init(pt->basins, &pt->n_basins, s->m, &c);
    double *lq;
    long *lab;
    if ((st = hl_evolve_ascent_labels(s, beta, &lq, &lab)) != HL_OK)
        return st;
    double best[HL_MAX_BASINS], bphi[HL_MAX_BASINS] = {0};
    for (int k = 0; k < HL_MAX_BASINS; k++)
        best[k] = -INFINITY;
    for (long i = 0; i < N; i++) {
        long e = lab[i];
        int k = hl_basin_slot(pt->basins, &pt->n_basins, hl_named_maxima_nearest(&c, hl_class_x(h, e / w, e % w), hl_class_y(h, e / w, e % w)));
        if (k < 0)
            continue;
        pt->basins[k].probability += q[i] > 0 ? q[i] : 0.0; /* as above */
        bphi[k] += q[i] * s->Phi[i];
        if (e == i && lq[i] > best[k]) {
            best[k] = lq[i];
            pt->basins[k].x = hl_class_x(h, e / w, e % w);
            pt->basins[k].y = hl_class_y(h, e / w, e % w);
        }
    }
    for (int k = 0; k < pt->n_basins; k++) {
        pt->basins[k].ln_probability =
            pt->basins[k].probability > 0 ? log(pt->basins[k].probability) : -INFINITY;
        pt->basins[k].mean_phi =
            pt->basins[k].probability > 0 ? bphi[k] / (D * pt->basins[k].probability) : NAN;
    }
    free(lq);
    free(lab);
    if (q_out)
        memcpy(q_out, q, sizeof(double) * (size_t)N);
    return HL_OK;
}

int hl_evolve_observe(const hl_evolve_sys *s, double t, double beta, const double *y,
                      hl_evolve_point *pt, double *q_out)
{
    return s->product ? observe_product(s, t, beta, y, y + s->w, pt, q_out)
                      : observe_general(s, t, beta, y, pt, q_out);
}
