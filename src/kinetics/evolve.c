/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evolve.c -- time evolution of the contracted master equation (eq 5.6,
 * rates of eq 5.2) with SUNDIALS CVODE (BDF + banded Newton), at fixed beta
 * or under a piecewise-linear T(t) / beta(t) protocol. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_band.h>
#include <sunmatrix/sunmatrix_band.h>

#include "gridchain.h"
#include "kinetics_private.h"

/* ---------------------------------------------------------------- basins */




/* ---------------------------------------------------------------- system */

typedef struct {
    const hl_model *m;
    const hl_protocol *p;
    long dim, h, w;
    int product;
    long N;            /* unknowns                                       */
    double cached_beta;
    /* product: two chains of h+1 states, dPhi per bond */
    double *dphi_a, *dphi_b;
    double *g;         /* g(d_b) = phi(d/2, -d/2): phi = s + g(d)         */
    /* general: Phi per class */
    double *Phi;
    /* rates per bond at cached_beta: up (k -> k+1) and down (k+1 -> k);
     * product: [0, h) chain a, [h, 2h) chain b; general: per class
     * a-bond then b-bond (index 2 i + dir) */
    double *up, *dn;
    double *lnc;       /* ln C(h, k) */
    char bad_b[320];   /* set_rates met a B that is not positive and finite */
} sys_t;

/* ln Q_eq at beta on the class lattice and its steepest-ascent labels
 * (basins.c); both caller-freed. */
static int ascent_labels(const sys_t *s, double beta, double **lq_out, long **lab_out)
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

/* The rates at beta.  Every B is checked as it is built: -1 (with the point
 * in s->bad_b) if one is not positive and finite. */
static int set_rates(sys_t *s, double beta)
{
    if (beta == s->cached_beta)
        return 0;
    s->cached_beta = beta;
    long h = s->h, w = s->w;
    if (s->product) {
        for (long k = 0; k < h; k++) {
            double ea = 0.5 * beta * s->dphi_a[k], eb = 0.5 * beta * s->dphi_b[k];
            s->up[k] = (double)(h - k) * exp(-ea);
            s->dn[k] = (double)(k + 1) * exp(ea);
            s->up[h + k] = (double)(h - k) * exp(-eb);
            s->dn[h + k] = (double)(k + 1) * exp(eb);
        }
        return 0;
    }
    int defB = hl_model_transmission_is_default(s->m);
    double T = 1.0 / beta;
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * w + b;
            for (int dir = 0; dir < 2; dir++) {
                long a2 = a + (dir == 0), b2 = b + (dir == 1), k = dir == 0 ? a : b;
                if (a2 > h || b2 > h) {
                    s->up[2 * i + dir] = s->dn[2 * i + dir] = 0;
                    continue;
                }
                long j = a2 * w + b2;
                double bx = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
                double by = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
                double B = defB ? 1.0 : hl_model_transmission(s->m, bx, by, T);
                if (!(B > 0 && isfinite(B))) {
                    snprintf(s->bad_b, sizeof s->bad_b,
                             "transmission B = %g is not positive and finite at (x, y, T) = "
                             "(%g, %g, %.9g), between classes (n, n1) = (%ld, %ld) and (%ld, "
                             "%ld)",
                             B, bx, by, T, a + b, a, a2 + b2, a2);
                    s->cached_beta = NAN;
                    return -1;
                }
                double e = 0.5 * beta * (s->Phi[j] - s->Phi[i]);
                s->up[2 * i + dir] = (double)(h - k) * B * exp(-e);
                s->dn[2 * i + dir] = (double)(k + 1) * B * exp(e);
            }
        }
    return 0;
}

/* dQ/dt = L Q in flux form (each bond moves J = up Q_k - dn Q_{k+1}), so
 * the column sums of L vanish exactly */
static void apply_L(const sys_t *s, const double *q, double *f)
{
    long h = s->h, w = s->w;
    for (long i = 0; i < s->N; i++)
        f[i] = 0;
    if (s->product) {
        for (int c = 0; c < 2; c++) {
            const double *qc = q + c * w;
            double *fc = f + c * w;
            const double *up = s->up + c * h, *dn = s->dn + c * h;
            for (long k = 0; k < h; k++) {
                double J = up[k] * qc[k] - dn[k] * qc[k + 1];
                fc[k] -= J;
                fc[k + 1] += J;
            }
        }
        return;
    }
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * w + b;
            if (a < h) {
                double J = s->up[2 * i] * q[i] - s->dn[2 * i] * q[i + w];
                f[i] -= J;
                f[i + w] += J;
            }
            if (b < h) {
                double J = s->up[2 * i + 1] * q[i] - s->dn[2 * i + 1] * q[i + 1];
                f[i] -= J;
                f[i + 1] += J;
            }
        }
}

static int rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *ud)
{
    sys_t *s = ud;
    if (set_rates(s, hl_protocol_beta(s->p, t)))
        return -1;
    apply_L(s, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
    return 0;
}

static void add_bond(SUNMatrix J, long i, long j, double up, double dn)
{
    /* bond i <-> j: i -> j at rate up, j -> i at rate dn */
    SM_ELEMENT_B(J, i, i) -= up;
    SM_ELEMENT_B(J, j, i) += up;
    SM_ELEMENT_B(J, j, j) -= dn;
    SM_ELEMENT_B(J, i, j) += dn;
}

static int jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *ud,
               N_Vector t1, N_Vector t2, N_Vector t3)
{
    (void)y;
    (void)fy;
    (void)t1;
    (void)t2;
    (void)t3;
    sys_t *s = ud;
    if (set_rates(s, hl_protocol_beta(s->p, t)))
        return -1;
    SUNMatZero(J);
    long h = s->h, w = s->w;
    if (s->product) {
        for (int c = 0; c < 2; c++)
            for (long k = 0; k < h; k++)
                add_bond(J, c * w + k, c * w + k + 1, s->up[c * h + k], s->dn[c * h + k]);
        return 0;
    }
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * w + b;
            if (a < h)
                add_bond(J, i, i + w, s->up[2 * i], s->dn[2 * i]);
            if (b < h)
                add_bond(J, i, i + 1, s->up[2 * i + 1], s->dn[2 * i + 1]);
        }
    return 0;
}

static void err_handler(int code, const char *module, const char *function, char *msg,
                        void *ud)
{
    (void)module;
    char *buf = ud;
    if (code < 0)
        snprintf(buf, 256, "%s: %s", function, msg);
}

/* ------------------------------------------------------------ observables */

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
static int observe_product(const sys_t *s, double t, double beta, const double *pa,
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
    double best[HL_MAX_BASINS];
    for (int k = 0; k < HL_MAX_BASINS; k++)
        best[k] = -INFINITY;
    for (long b = 0; b <= h; b++) {
        long e = end[b];
        int k = hl_basin_slot(pt->basins, &pt->n_basins, hl_named_maxima_nearest(&c, hl_class_x(h, astar, e), hl_class_y(h, astar, e)));
        if (k < 0)
            continue;
        pt->basins[k].probability += pb[b] * sa;
        if (e == b && lpi[b] > best[k]) {
            best[k] = lpi[b];
            pt->basins[k].x = hl_class_x(h, astar, e);
            pt->basins[k].y = hl_class_y(h, astar, e);
        }
    }
    for (int k = 0; k < pt->n_basins; k++)
        pt->basins[k].ln_probability =
            pt->basins[k].probability > 0 ? log(pt->basins[k].probability) : -INFINITY;
    free(lpi);
    free(end);
    if (q_out)
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++)
                q_out[a * w + b] = pa[a] * pb[b];
    return HL_OK;
}

static int observe_general(const sys_t *s, double t, double beta, const double *q,
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
    if ((st = ascent_labels(s, beta, &lq, &lab)) != HL_OK)
        return st;
    double best[HL_MAX_BASINS];
    for (int k = 0; k < HL_MAX_BASINS; k++)
        best[k] = -INFINITY;
    for (long i = 0; i < N; i++) {
        long e = lab[i];
        int k = hl_basin_slot(pt->basins, &pt->n_basins, hl_named_maxima_nearest(&c, hl_class_x(h, e / w, e % w), hl_class_y(h, e / w, e % w)));
        if (k < 0)
            continue;
        pt->basins[k].probability += q[i];
        if (e == i && lq[i] > best[k]) {
            best[k] = lq[i];
            pt->basins[k].x = hl_class_x(h, e / w, e % w);
            pt->basins[k].y = hl_class_y(h, e / w, e % w);
        }
    }
    for (int k = 0; k < pt->n_basins; k++)
        pt->basins[k].ln_probability =
            pt->basins[k].probability > 0 ? log(pt->basins[k].probability) : -INFINITY;
    free(lq);
    free(lab);
    if (q_out)
        memcpy(q_out, q, sizeof(double) * (size_t)N);
    return HL_OK;
}

/* -------------------------------------------------------------- start */

/* the start class of a named basin at beta: the local maximum of ln Q_eq
 * with the largest ln Q_eq among those named 'name' */
static int start_class(const sys_t *s, double beta, const char *name, long *sa, long *sb)
{
    long h = s->h, w = s->w;
    double D = (double)s->dim;
    hl_named_maxima c;
    int st = hl_named_maxima_get(s->m, beta, &c);
    if (st)
        return st;
    long best_a = -1, best_b = -1;
    double best = -INFINITY;
    if (s->product) {
        double *lpi = malloc(sizeof(double) * (size_t)w);
        long *end = malloc(sizeof(long) * (size_t)w);
        if (!lpi || !end) {
            free(lpi);
            free(end);
            return hl_fail(HL_ENOMEM, "out of memory");
        }
        long astar = 0;
        double la_best = -INFINITY;
        for (long k = 0; k <= h; k++) {
            double la = s->lnc[k] - beta * D * (2.0 * k / h - 1.0);
            if (la > la_best) {
                la_best = la;
                astar = k;
            }
            lpi[k] = s->lnc[k] - beta * D * s->g[k];
        }
        hl_ascent_1d(lpi, h, end);
        for (long b = 0; b <= h; b++)
            if (end[b] == b && !strcmp(hl_named_maxima_nearest(&c, hl_class_x(h, astar, b), hl_class_y(h, astar, b)), name) &&
                lpi[b] > best) {
                best = lpi[b];
                best_a = astar;
                best_b = b;
            }
        free(lpi);
        free(end);
    } else {
        long N = s->N;
        double *lq;
        long *lab;
        int st2 = ascent_labels(s, beta, &lq, &lab);
        if (st2)
            return st2;
        for (long i = 0; i < N; i++)
            if (lab[i] == i && !strcmp(hl_named_maxima_nearest(&c, hl_class_x(h, i / w, i % w), hl_class_y(h, i / w, i % w)), name) &&
                lq[i] > best) {
                best = lq[i];
                best_a = i / w;
                best_b = i % w;
            }
        free(lq);
        free(lab);
    }
    if (best_a < 0)
        return hl_fail(HL_ENOTFOUND, "no '%s' basin to start from at D = %ld, beta = %g",
                       hl_clip(name, (char[HL_CLIP_BUF]){0}), s->dim, beta);
    *sa = best_a;
    *sb = best_b;
    return HL_OK;
}

static int set_start(sys_t *s, const hl_evolve_start *start, double beta0, double *y,
                     hl_evolve_info *info)
{
    long h = s->h, w = s->w, N = s->N;
    double D = (double)s->dim;
    for (long i = 0; i < N; i++)
        y[i] = 0;
    switch (start->kind) {
    case HL_START_BASIN: {
        long a = 0, b = 0;
        int st = start_class(s, beta0, start->basin, &a, &b);
        if (st)
            return st;
        if (s->product) {
            y[a] = 1;
            y[w + b] = 1;
        } else {
            y[a * w + b] = 1;
        }
        info->start_n = a + b;
        info->start_n1 = a;
        return HL_OK;
    }
    case HL_START_INFINITE_T:
    case HL_START_EQUILIBRIUM:
    case HL_START_TILTED: {
        double be = start->kind == HL_START_EQUILIBRIUM ? start->beta
                  : start->kind == HL_START_TILTED    ? beta0 : 0.0;
        double fx = 0, fy = 0;
        if (start->kind == HL_START_EQUILIBRIUM && (!isfinite(be) || !(be > 0) || be > 1e6))
            return hl_fail(HL_EDOM, "equilibrium start: beta = %g is not in (0, 1e6]", be);
        if (start->kind == HL_START_TILTED) {
            int st = hl_check_field(start->field);
            if (st)
                return st;
            fx = start->field[0];
            fy = start->field[1];
        }
        /* the field term D (fx x + fy y) = D ((fx + fy) s + (fx - fy) d) / 2 */
        double fs = 0.5 * (fx + fy), fd = 0.5 * (fx - fy);
        if (s->product) {
            for (long k = 0; k <= h; k++) {
                double sk = 2.0 * k / h - 1.0;
                y[k] = s->lnc[k] - be * D * sk + D * fs * sk;
                y[w + k] = s->lnc[k] - be * D * s->g[k] + D * fd * sk;
            }
            hl_ln_normalise(y, w);
            hl_ln_normalise(y + w, w);
        } else {
            for (long a = 0; a <= h; a++)
                for (long b = 0; b <= h; b++)
                    y[a * w + b] = s->lnc[a] + s->lnc[b] - be * s->Phi[a * w + b] +
                                   D * (fx * hl_class_x(h, a, b) + fy * hl_class_y(h, a, b));
            hl_ln_normalise(y, N);
        }
        return HL_OK;
    }
    case HL_START_CLASSES: {
        if (!start->q)
            return hl_fail(HL_EINVAL, "start distribution is NULL");
        double sum = 0;
        for (long i = 0; i < N; i++) {
            double v = start->q[i];
            if (!isfinite(v) || v < 0)
                return hl_fail(HL_EDOM, "start distribution: entry %g for class (n, n1) = "
                                        "(%ld, %ld) is not a non-negative number",
                               v, i / w + i % w, i / w);
            sum += v;
        }
        if (!(sum > 0) || !isfinite(sum))
            return hl_fail(HL_EDOM, "start distribution sums to %g", sum);
        for (long i = 0; i < N; i++)
            y[i] = start->q[i] / sum;
        return HL_OK;
    }
    default:
        return hl_fail(HL_EINVAL, "unknown start kind %d", start->kind);
    }
}

/* ------------------------------------------------------ long times: tail */

/* The chains of the run at beta as grid chains (gridchain.h): the product
 * path's two birth-death chains (h+1 x 1), or the class lattice; ln c =
 * (ln up + ln dn) / 2 of the rates the integrator uses. */
static int tail_chains(sys_t *s, double beta, hl_gridchain *gc, int *nc)
{
    long h = s->h, w = s->w;
    double D = (double)s->dim;
    if (set_rates(s, beta))
        return hl_fail(HL_EDOM, "%s", s->bad_b);
    int st;
    if (s->product) {
        *nc = 2;
        for (int c = 0; c < 2; c++) {
            if ((st = hl_gridchain_alloc(&gc[c], w, 1)))
                return st;
            for (long k = 0; k <= h; k++)
                gc[c].ln_pi[k] =
                    s->lnc[k] - beta * D * (c == 0 ? 2.0 * k / h - 1.0 : s->g[k]);
            for (long k = 0; k < h; k++)
                gc[c].ln_c1[k] = 0.5 * (log(s->up[c * h + k]) + log(s->dn[c * h + k]));
        }
        return HL_OK;
    }
    *nc = 1;
    if ((st = hl_gridchain_alloc(&gc[0], w, w)))
        return st;
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            long i = a * w + b;
            gc[0].ln_pi[i] = s->lnc[a] + s->lnc[b] - beta * s->Phi[i];
            if (a < h)
                gc[0].ln_c1[i] = 0.5 * (log(s->up[2 * i]) + log(s->dn[2 * i]));
            if (b < h)
                gc[0].ln_c2[i] = 0.5 * (log(s->up[2 * i + 1]) + log(s->dn[2 * i + 1]));
        }
    return HL_OK;
}

/* fastest total rate out of a state at the cached beta */
static double max_out_rate(const sys_t *s)
{
    double r = 0;
    long nb = s->product ? 2 * s->h : 2 * s->N;
    for (long i = 0; i < nb; i++)
        r = fmax(r, s->up[i] + s->dn[i]);
    return 2 * r;
}

/* -------------------------------------------------------------- driver */

static void sys_free(sys_t *s)
{
    free(s->dphi_a);
    free(s->dphi_b);
    free(s->g);
    free(s->Phi);
    free(s->up);
    free(s->dn);
    free(s->lnc);
}

static int sys_init(sys_t *s, const hl_model *m, long dim, const hl_protocol *p, int product)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->p = p;
    s->dim = dim;
    s->h = dim / 2;
    s->w = s->h + 1;
    s->product = product;
    s->cached_beta = NAN;
    long h = s->h, w = s->w;
    double D = (double)dim;
    s->lnc = malloc(sizeof(double) * (size_t)w);
    if (!s->lnc)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (long k = 0; k <= h; k++)
        s->lnc[k] = hl_lnchoose(h, k);
    if (product) {
        s->N = 2 * w;
        s->dphi_a = malloc(sizeof(double) * (size_t)w);
        s->dphi_b = malloc(sizeof(double) * (size_t)w);
        s->g = malloc(sizeof(double) * (size_t)w);
        s->up = malloc(sizeof(double) * 2 * (size_t)w);
        s->dn = malloc(sizeof(double) * 2 * (size_t)w);
        if (!s->dphi_a || !s->dphi_b || !s->g || !s->up || !s->dn)
            return hl_fail(HL_ENOMEM, "out of memory");
        for (long k = 0; k <= h; k++) {
            double d = 2.0 * k / h - 1.0;
            s->g[k] = hl_model_phi(m, 0.5 * d, -0.5 * d);
        }
        for (long k = 0; k < h; k++) {
            s->dphi_a[k] = D * (2.0 / h);
            s->dphi_b[k] = D * (s->g[k + 1] - s->g[k]);
        }
    } else {
        s->N = w * w;
        s->Phi = malloc(sizeof(double) * (size_t)s->N);
        s->up = malloc(sizeof(double) * 2 * (size_t)s->N);
        s->dn = malloc(sizeof(double) * 2 * (size_t)s->N);
        if (!s->Phi || !s->up || !s->dn)
            return hl_fail(HL_ENOMEM, "out of memory building the D = %ld chain", dim);
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++) {
                double phi;
                int st = hl_class_phi(m, h, a, b, &phi);
                if (st)
                    return st;
                s->Phi[a * w + b] = D * phi;
            }
    }
    return HL_OK;
}

/* max |rate| over the protocol's betas must fit in a double */
static int check_rates(const sys_t *s, const hl_protocol *p)
{
    double bmax = hl_protocol_beta_max(p);
    double dmax = 0;
    if (s->product) {
        for (long k = 0; k < s->h; k++)
            dmax = fmax(dmax, fmax(fabs(s->dphi_a[k]), fabs(s->dphi_b[k])));
    } else {
        long h = s->h, w = s->w;
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++) {
                long i = a * w + b;
                if (a < h)
                    dmax = fmax(dmax, fabs(s->Phi[i + w] - s->Phi[i]));
                if (b < h)
                    dmax = fmax(dmax, fabs(s->Phi[i + 1] - s->Phi[i]));
            }
    }
    if (0.5 * bmax * dmax > 600)
        return hl_fail(HL_ERANGE, "rates overflow a double at beta = %g, D = %ld (exp(%g))",
                       bmax, s->dim, 0.5 * bmax * dmax);
    /* B on the square at every T the protocol visits (between its rows too) */
    return hl_protocol_check_transmission(s->m, p);
}

/* CVODE from *tcur to target, restarting the multistep history at each
 * protocol row before tc (a kink in beta(t)) */
static int advance(void *cv, N_Vector y, double *tcur, double target, const hl_protocol *p,
                   double tc, size_t *kp, const char *cverr, const char *bad_b,
                   hl_evolve_info *info)
{
    while (*tcur < target) {
        while (*kp < hl_protocol_rows(p) && hl_protocol_time(p, *kp) <= *tcur)
            (*kp)++;
        double tnext = target;
        int at_break = 0;
        if (*kp < hl_protocol_rows(p) && hl_protocol_time(p, *kp) <= target &&
            hl_protocol_time(p, *kp) < tc) {
            tnext = hl_protocol_time(p, *kp);
            at_break = 1;
        }
        sunrealtype tret = *tcur;
        CVodeSetStopTime(cv, tnext);
        int flag = CVode(cv, tnext, y, &tret, CV_NORMAL);
        if (flag < 0 && bad_b[0])
            return hl_fail(HL_EDOM, "%s", bad_b);
        if (flag < 0)
            return hl_fail(HL_ENOCONV, "CVODE failed at t = %g (flag %d)%s%s", tret, flag,
                           *cverr ? ": " : "", cverr);
        *tcur = tnext;
        if (at_break) {
            long nst = 0;
            CVodeGetNumSteps(cv, &nst);
            info->steps += nst;
            CVodeReInit(cv, *tcur, y);
        }
    }
    return HL_OK;
}

int hl_evolve(const hl_model *m, long dim, const hl_protocol *p,
              const hl_evolve_start *start, const double *times, size_t n_times,
              int method, double rtol, hl_evolve_point *points, double *q_out,
              hl_evolve_info *info)
{
    if (!m || !p || !start || !times || !points || !info)
        return hl_fail(HL_EINVAL, "hl_evolve: NULL argument");
    int st = hl_check_dim(dim);
    if (!st)
        st = hl_protocol_check(p);
    if (st)
        return st;
    if ((st = hl_check_times(times, n_times)))
        return st;
    if (rtol == 0)
        rtol = 1e-10;
    if (!(rtol >= 1e-14 && rtol <= 1e-2))
        return hl_fail(HL_EDOM, "relative tolerance %g is not in [1e-14, 1e-2]", rtol);
    int separable = hl_model_is_default(m) && hl_model_transmission_is_default(m);
    int product_start = start->kind != HL_START_CLASSES;
    int product;
    if (method == HL_EVOLVE_AUTO)
        product = separable && product_start;
    else if (method == HL_EVOLVE_PRODUCT) {
        if (!separable || !product_start)
            return hl_fail(HL_EINVAL, "the product method needs the paper's phi, B = 1 and a "
                                      "product start (not a class distribution)");
        product = 1;
    } else if (method == HL_EVOLVE_GENERAL)
        product = 0;
    else
        return hl_fail(HL_EINVAL, "unknown method %d", method);
    if (!product && dim > HL_EVOLVE_GENERAL_DIM_MAX)
        return hl_fail(HL_ERANGE, "the 2-D chain at D = %ld (a user phi or B, or a start "
                                  "that is not a product) would need %.3g GB for its banded "
                                  "Jacobian; at most D = %ld",
                       dim, 8.0 * pow(dim / 2 + 1.0, 2) * (5.0 * (dim / 2 + 1.0) + 2) / 1e9,
                       HL_EVOLVE_GENERAL_DIM_MAX);
    memset(info, 0, sizeof *info);
    info->method = product ? HL_EVOLVE_PRODUCT : HL_EVOLVE_GENERAL;
    info->start_n = info->start_n1 = -1;
    sys_t s;
    st = sys_init(&s, m, dim, p, product);
    if (!st)
        st = check_rates(&s, p);
    if (st) {
        sys_free(&s);
        return st;
    }
    long N = s.N, w = s.w, h = s.h, bw = product ? 1 : w;
    /* absolute tolerance: a fraction of the mean probability per state */
    double atol = rtol * 1e-4 / (double)w;
    info->rtol = rtol;
    info->atol = atol;
    SUNContext ctx = NULL;
    N_Vector y = NULL;
    SUNMatrix A = NULL;
    SUNLinearSolver LS = NULL;
    void *cv = NULL;
    char cverr[256] = "";
    hl_gridchain tc_chain[2];
    hl_gridchain_slow tc_slow[2];
    int n_chain = 0;
    double *ysw = NULL, *ytmp = NULL;
    memset(tc_chain, 0, sizeof tc_chain);
    memset(tc_slow, 0, sizeof tc_slow);
    if (SUNContext_Create(NULL, &ctx) != 0) {
        sys_free(&s);
        return hl_fail(HL_ENOMEM, "cannot create a SUNDIALS context");
    }
    y = N_VNew_Serial((sunindextype)N, ctx);
    A = y ? SUNBandMatrix((sunindextype)N, (sunindextype)bw, (sunindextype)bw, ctx) : NULL;
    LS = A ? SUNLinSol_Band(y, A, ctx) : NULL;
    cv = LS ? CVodeCreate(CV_BDF, ctx) : NULL;
    if (!cv) {
        st = hl_fail(HL_ENOMEM, "out of memory for the D = %ld integrator", dim);
        goto done;
    }
    double *yv = N_VGetArrayPointer(y);
    double beta0 = hl_protocol_beta(p, 0.0);
    st = set_start(&s, start, beta0, yv, info);
    if (st)
        goto done;
    if (set_rates(&s, beta0)) {
        st = hl_fail(HL_EDOM, "%s", s.bad_b);
        goto done;
    }
    double h0 = 1e-4 / fmax(max_out_rate(&s), 1e-300);
    /* a protocol ramp over 1e-12 is a near-step in beta: the rates change
     * by orders of magnitude within the first steps, and CVODE's default of
     * 7 successive error-test failures (each cutting h) is not enough to
     * find a step that resolves it; 100 lets h shrink as far as needed */
    if (CVodeSetErrHandlerFn(cv, err_handler, cverr) || CVodeInit(cv, rhs, 0.0, y) ||
        CVodeSStolerances(cv, rtol, atol) || CVodeSetUserData(cv, &s) ||
        CVodeSetLinearSolver(cv, LS, A) || CVodeSetJacFn(cv, jac) ||
        CVodeSetMaxNumSteps(cv, 100000000L) || CVodeSetInitStep(cv, h0) ||
        CVodeSetMaxErrTestFails(cv, 100)) {
        st = hl_fail(HL_ENOMEM, "cannot set up CVODE%s%s", *cverr ? ": " : "", cverr);
        goto done;
    }
    /* beta varies until tc and is fixed after it: CVODE up to tc + tsw (the
     * switch time of the slow modes at the final beta), the exact
     * relaxation of the slowest mode of each chain after it (gridchain.h),
     * so that any output time gives the right state */
    double tc = hl_protocol_settle_time(p), beta_end = hl_protocol_beta(p, tc);
    if (set_rates(&s, beta_end)) {
        st = hl_fail(HL_EDOM, "%s", s.bad_b);
        goto done;
    }
    int want_tail = (times[n_times - 1] - tc) * max_out_rate(&s) > 1e8;
    int tail = 0;       /* 1: the slow modes are known and tsw is finite */
    double tsw = NAN;   /* absolute switch time */
    int have_sw = 0;    /* ysw holds the state at tsw */
    double tcur = 0.0;
    size_t kp = 1; /* next protocol breakpoint (rows before tc) */
    for (size_t k = 0; k < n_times; k++) {
        double tout = times[k];
        if (want_tail && tout > tc && !tail && !ysw) {
            /* reach tc, then the slow modes of the final beta */
            if ((st = advance(cv, y, &tcur, tc, p, tc, &kp, cverr, s.bad_b, info)))
                goto done;
            ysw = malloc(sizeof(double) * (size_t)N);
            ytmp = malloc(sizeof(double) * (size_t)N);
            if (!ysw || !ytmp) {
                st = hl_fail(HL_ENOMEM, "out of memory");
                goto done;
            }
            if ((st = tail_chains(&s, beta_end, tc_chain, &n_chain)))
                goto done;
            for (int c = 0; c < n_chain; c++)
                if ((st = hl_gridchain_slow_rates(&tc_chain[c], &tc_slow[c])))
                    goto done;
            double t0 = 0;
            for (int c = 0; c < n_chain; c++)
                t0 = fmax(t0, hl_gridchain_switch_time(&tc_slow[c], yv + c * w));
            if (!isnan(t0)) {
                tail = 1;
                tsw = tc + t0;
            }
        }
        int relax = tail && tout > tsw &&
                    hl_gridchain_relaxable(&tc_slow[0], tout - tsw, rtol) &&
                    (n_chain < 2 || hl_gridchain_relaxable(&tc_slow[1], tout - tsw, rtol));
        if (tail && tout > tsw && !have_sw) {
            if ((st = advance(cv, y, &tcur, tsw, p, tc, &kp, cverr, s.bad_b, info)))
                goto done;
            memcpy(ysw, yv, sizeof(double) * (size_t)N);
            have_sw = 1;
        }
        if (relax) {
            if (!have_sw) {
                if ((st = advance(cv, y, &tcur, tsw, p, tc, &kp, cverr, s.bad_b, info)))
                    goto done;
                memcpy(ysw, yv, sizeof(double) * (size_t)N);
                have_sw = 1;
            }
            for (int c = 0; c < n_chain; c++)
                if ((st = hl_gridchain_relax(&tc_slow[c], ysw + c * w, tout - tsw, rtol,
                                             ytmp + c * w)))
                    goto done;
        } else {
            if ((st = advance(cv, y, &tcur, tout, p, tc, &kp, cverr, s.bad_b, info)))
                goto done;
        }
        const double *q = relax ? ytmp : yv;
        double beta = hl_protocol_beta(p, tout);
        for (long i = 0; i < N; i++)
            if (!isfinite(q[i])) {
                st = hl_fail(HL_ENOCONV, "the solution is not finite at t = %g", tout);
                goto done;
            }
        double *qo = q_out ? q_out + k * (size_t)(w * w) : NULL;
        st = product ? observe_product(&s, tout, beta, q, q + w, &points[k], qo)
                     : observe_general(&s, tout, beta, q, &points[k], qo);
        if (st)
            goto done;
        /* an integrator that lost probability gives an error, never a number */
        double lim = 10 * rtol + 1e-12;
        if (!(points[k].sum_error <= lim) || !(points[k].min_q >= -lim)) {
            st = hl_fail(HL_ENOCONV, "t = %g cannot be reached accurately (the integrator "
                                     "lost probability: |sum Q - 1| = %.2g, min Q = %.2g)",
                         tout, points[k].sum_error, points[k].min_q);
            goto done;
        }
    }
    long nst = 0;
    CVodeGetNumSteps(cv, &nst);
    info->steps += nst;
    (void)h;
done:
    free(ysw);
    free(ytmp);
    for (int c = 0; c < 2; c++) {
        hl_gridchain_free(&tc_chain[c]);
        hl_gridchain_slow_free(&tc_slow[c]);
    }
    if (cv)
        CVodeFree(&cv);
    if (LS)
        SUNLinSolFree(LS);
    if (A)
        SUNMatDestroy(A);
    if (y)
        N_VDestroy(y);
    SUNContext_Free(&ctx);
    sys_free(&s);
    return st;
}
