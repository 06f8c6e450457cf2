/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan.c -- calorimetry scans on the master equation (scan.h): a linear
 * cooling (and reheating) protocol run by hl_evolve, the apparent heat
 * capacity by differences of <phi> in T on each leg, the fictive
 * temperature against the exact equilibrium (whole system and liquid basin),
 * T_g(q) and the overshoot on reheating. */
#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/hyperland.h"
#include "hyperland/scan.h"
#include "core.h"
#include "evolve_model.h"
#include "blas_threads.h"
#include "scan_chain.h"
#include "timing.h"

#define SCAN_TABLE 161
/* the resolution of <E> on a chain, in units of rtol (max E - min E): the
 * global error measured on the two-state ramp is 8-13 of them (scan.h) */
#define SCAN_CHAIN_E_RES 100.0

struct hl_scan {
    const hl_model *model;
    long dim;
    hl_scan_options o;
    hl_exact *ex;
    /* reference table, T log-spaced in [t_low / 4, 4 t_high] */
    double tab_T[SCAN_TABLE], tab_phi[2][SCAN_TABLE]; /* [0] liquid, [1] total */
    double *q0; /* HL_SCAN_START_LIQUID: the start, (h+1)^2 */
    /* a chain (hl_scan_create_chain): model and ex are NULL */
    scan_chain *ch;
    double e_res; /* the resolution of <E> (scan.h): T_f's digits */
};

typedef struct {
    double *q;
    long h;
} liquid_start;

static int visit_liquid(void *ctx, long n, long n1, double x, double y, double ln_q,
                        const char *basin)
{
    (void)x;
    (void)y;
    liquid_start *ls = ctx;
    if (!strcmp(basin, "liquid"))
        ls->q[n1 * (ls->h + 1) + (n - n1)] = exp(ln_q);
    return 0;
}

enum { REF_LIQUID = 0, REF_TOTAL = 1 };

static const hl_basin *find_liquid(const hl_exact_result *r)
{
    for (int k = 0; k < r->n_basins; k++)
        if (!strcmp(r->basins[k].name, "liquid"))
            return &r->basins[k];
    return NULL;
}

/* The reference <phi> at T and its derivative c = d<phi>/dT; NaN when the
 * liquid basin (or its thermodynamics) is missing.  Returns the status of
 * hl_exact_compute. */
static int ref_phi_c(const hl_scan *s, hl_exact *ex, int ref, double T, double *phi,
                     double *c, hl_exact_result *r)
{
    if (s->ch) {
        scan_chain_ref(s->ch, ref == REF_LIQUID, T, phi, c);
        return HL_OK;
    }
    int st = hl_exact_compute(ex, 1.0 / T, r);
    if (st)
        return st;
    if (ref == REF_TOTAL) {
        *phi = r->mean_phi;
        *c = r->heat_capacity_per_dim;
    } else {
        const hl_basin *b = find_liquid(r);
        *phi = b ? b->mean_phi : NAN;
        *c = b ? b->heat_capacity_per_dim : NAN;
    }
    return HL_OK;
}

static int ref_phi(hl_scan *s, hl_exact *ex, int ref, double T, double *phi,
                   hl_exact_result *r)
{
    double c;
    return ref_phi_c(s, ex, ref, T, phi, &c, r);
}

/* opt with its defaults filled in, checked (scan.h) */
static int check_options(const hl_scan_options *opt, hl_scan_options *out)
{
    hl_scan_options o = *opt;
    if (!o.n_points)
        o.n_points = 201;
    if (!o.rtol)
        o.rtol = 1e-8;
    if (!isfinite(o.t_high) || !isfinite(o.t_low) || !(o.t_low > 0))
        return hl_fail(HL_EDOM, "T_low and T_high must be positive and finite (got %g, %g)",
                       o.t_low, o.t_high);
    if (!(o.t_low < o.t_high))
        return hl_fail(HL_EDOM, "T_low = %g must be below T_high = %g", o.t_low,
                       o.t_high);
    if (o.t_low < 1e-6)
        return hl_fail(HL_EDOM, "T_low = %g is below 1e-6 (beta above 1e6)", o.t_low);
    if (o.n_points < 5 || o.n_points > 1000000)
        return hl_fail(HL_EDOM, "points per leg must be in [5, 1e6] (got %zu)",
                       o.n_points);
    if (o.start != HL_SCAN_START_EQUILIBRIUM && o.start != HL_SCAN_START_LIQUID)
        return hl_fail(HL_EDOM, "unknown start %d", o.start);
    if (!(o.rtol >= 1e-14 && o.rtol <= 1e-2))
        return hl_fail(HL_EDOM, "rtol must be in [1e-14, 1e-2] (got %g)", o.rtol);
    *out = o;
    return HL_OK;
}

/* the reference table, T log-spaced in [t_low / 4, 4 t_high] */
static int fill_table(hl_scan *s)
{
    hl_exact_result r;
    double lo = log(s->o.t_low / 4), hi = log(4 * s->o.t_high);
    for (int k = 0; k < SCAN_TABLE; k++) {
        double T = exp(lo + (hi - lo) * k / (SCAN_TABLE - 1));
        if (T < 1e-6)
            T = 1e-6;
        s->tab_T[k] = T;
        int st = ref_phi(s, s->ex, REF_TOTAL, T, &s->tab_phi[REF_TOTAL][k], &r);
        if (st)
            return st;
        if (s->ch) {
            double c;
            scan_chain_ref(s->ch, 1, T, &s->tab_phi[REF_LIQUID][k], &c);
        } else {
            const hl_basin *b = find_liquid(&r);
            s->tab_phi[REF_LIQUID][k] = b ? b->mean_phi : NAN;
        }
    }
    return HL_OK;
}

int hl_scan_create_chain(const hl_chain *chain, const long *basin, size_t n_basin,
                         const hl_scan_options *opt, hl_scan **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_scan_create_chain: NULL output");
    *out = NULL;
    if (!chain || !opt)
        return hl_fail(HL_EINVAL, "hl_scan_create_chain: NULL argument");
    hl_scan_options o;
    int st = check_options(opt, &o);
    if (!st) /* a chain right at one T only (chain.h) cannot be scanned */
        st = hl_chain_check_temperature(chain, o.t_high);
    if (!st)
        st = hl_chain_check_temperature(chain, o.t_low);
    if (st)
        return st;
    hl_scan *s = calloc(1, sizeof *s);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    s->o = o;
    if ((st = scan_chain_create(chain, basin, n_basin, o.t_high, o.start, &s->ch)) != HL_OK ||
        (st = fill_table(s)) != HL_OK) {
        hl_scan_free(s);
        return st;
    }
    s->e_res = SCAN_CHAIN_E_RES * o.rtol * scan_chain_spread(s->ch);
    *out = s;
    return HL_OK;
}

int hl_scan_create(const hl_model *model, long dim, const hl_scan_options *opt,
                   hl_scan **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_scan_create: NULL output");
    *out = NULL;
    if (!model || !opt)
        return hl_fail(HL_EINVAL, "hl_scan_create: NULL argument");
    hl_scan_options o;
    int st = check_options(opt, &o);
    if (st)
        return st;
    hl_scan *s = calloc(1, sizeof *s);
    if (!s)
        return hl_fail(HL_ENOMEM, "out of memory");
    s->model = model;
    s->dim = dim;
    s->o = o;
    st = hl_exact_create(model, dim, HL_EXACT_AUTO, &s->ex);
    if (st) {
        free(s);
        return st;
    }
    if ((st = fill_table(s)) != HL_OK) {
        hl_scan_free(s);
        return st;
    }
    if (o.start == HL_SCAN_START_LIQUID) {
        long h = dim / 2;
        s->q0 = calloc((size_t)((h + 1) * (h + 1)), sizeof(double));
        if (!s->q0) {
            hl_scan_free(s);
            return hl_fail(HL_ENOMEM, "out of memory");
        }
        liquid_start ls = {s->q0, h};
        st = hl_exact_distribution(s->ex, 1.0 / o.t_high, visit_liquid, &ls);
        double tot = 0;
        for (long i = 0; i < (h + 1) * (h + 1); i++)
            tot += s->q0[i];
        if (!st && !(tot > 0))
            st = hl_fail(HL_ENOTFOUND, "no liquid basin at T_high = %g to start from",
                         o.t_high);
        if (st) {
            hl_scan_free(s);
            return st;
        }
    }
    *out = s;
    return HL_OK;
}

void hl_scan_free(hl_scan *s)
{
    if (!s)
        return;
    hl_exact_free(s->ex);
    scan_chain_free(s->ch);
    free(s->q0);
    free(s);
}

size_t hl_scan_points(const hl_scan *s)
{
    if (!s)
        return 0;
    return s->o.reheat ? 2 * s->o.n_points - 1 : s->o.n_points;
}

/* T_f for target <phi> against reference ref, nearest the current T. */
static int fictive(const hl_scan *s, hl_exact *ex, int ref, double target, double Tnow,
                   double *tf,
                   char *why, size_t nwhy)
{
    *tf = NAN;
    why[0] = 0;
    const double *tp = s->tab_phi[ref];
    int best = -1;
    double bestd = INFINITY;
    int missing = 0;
    for (int k = 0; k + 1 < SCAN_TABLE; k++) {
        if (!isfinite(tp[k]) || !isfinite(tp[k + 1])) {
            missing = 1;
            continue;
        }
        double a = tp[k] - target, b = tp[k + 1] - target;
        if ((a <= 0 && b >= 0) || (a >= 0 && b <= 0)) {
            double d = fabs(log(0.5 * (s->tab_T[k] + s->tab_T[k + 1]) / Tnow));
            if (d < bestd) {
                bestd = d;
                best = k;
            }
        }
    }
    if (best < 0) {
        if (missing)
            snprintf(why, nwhy, "no T in [%.3g, %.3g] matches; the liquid basin is missing at some T",
                     s->tab_T[0], s->tab_T[SCAN_TABLE - 1]);
        else
            snprintf(why, nwhy, "<%s> outside the reference's range over T in [%.3g, %.3g]",
                     s->ch ? "E" : "phi", s->tab_T[0], s->tab_T[SCAN_TABLE - 1]);
        return HL_OK;
    }
    /* safeguarded Newton in x = ln T on the bracket, to 1e-13 in x: the
     * derivative d<phi>/d ln T = T c is exact (the heat capacity of the
     * same sums); a step that leaves the bracket, or a missing c, bisects.
     * Quadratic convergence: 3-5 evaluations where false position took
     * 15-25 (README, scan: the same roots to 1e-12). */
    double xa = log(s->tab_T[best]), xb = log(s->tab_T[best + 1]);
    double fa = tp[best] - target, fb = tp[best + 1] - target;
    hl_exact_result r;
    if (fa == 0) {
        *tf = exp(xa);
        return HL_OK;
    }
    if (fb == 0) {
        *tf = exp(xb);
        return HL_OK;
    }
    double x = xa - fa * (xb - xa) / (fb - fa); /* linear interpolation first */
    for (int it = 0; it < 200; it++) {
        if (!(x > fmin(xa, xb) && x < fmax(xa, xb)))
            x = 0.5 * (xa + xb);
        double fx, cx;
        int st = ref_phi_c(s, ex, ref, exp(x), &fx, &cx, &r);
        if (st)
            return st;
        if (!isfinite(fx)) {
            snprintf(why, nwhy, "the liquid basin's <phi> is missing at T = %.6g", exp(x));
            return HL_OK;
        }
        fx -= target;
        if (fx == 0) {
            xa = xb = x;
            break;
        }
        if ((fx > 0) == (fb > 0)) {
            xb = x;
            fb = fx;
        } else {
            xa = x;
            fa = fx;
        }
        if (fabs(xb - xa) <= 1e-13)
            break;
        double dfx = exp(x) * cx, xn = x - fx / dfx;
        if (!(isfinite(xn) && dfx != 0))
            xn = 0.5 * (xa + xb);
        if (fabs(xn - x) <= 1e-14 * fmax(1.0, fabs(x))) {
            xa = xb = xn;
            break;
        }
        x = xn;
    }
    *tf = exp(0.5 * (xa + xb));
    if (s->ch) {
        /* a chain: <E> is known to e_res (scan.h), so T_f to e_res / c_ref(T_f);
         * a T_f that moves by more than 1e-3 relative within it has lost its
         * digits (the equilibrium c vanishes: the weights are frozen out) */
        double fx, cx;
        ref_phi_c(s, ex, ref, *tf, &fx, &cx, &r);
        double dtf = s->e_res / cx;
        if (!(dtf <= 1e-3 * *tf)) {
            snprintf(why, nwhy, "digits lost: <E> is known to %.1g, T_f = %.4g to %.1g only",
                     s->e_res, *tf, isfinite(dtf) ? dtf : INFINITY);
            *tf = NAN;
        }
    }
    return HL_OK;
}

/* c = d<phi>/dT on an even T grid (step h, signed: T[k] = T0 + k h) of n
 * points with stride: second-order differences. */
static double deriv(const double *phi, size_t n, size_t k, size_t stride, double h)
{
#define P(i) phi[(i) * stride]
    if (k == 0)
        return (-3 * P(0) + 4 * P(1) - P(2)) / (2 * h);
    if (k == n - 1)
        return (3 * P(n - 1) - 4 * P(n - 2) + P(n - 3)) / (2 * h);
    return (P(k + 1) - P(k - 1)) / (2 * h);
#undef P
}

/* The largest excess c - c_ref inside the heating leg (points np-1 ..
 * ntot-1), c_ref the liquid basin's c (liquid = 1) or the whole system's. */
static void overshoot(const hl_scan *s, const hl_scan_point *pts, size_t np, size_t ntot,
                      int reheat, int liquid, double *excess, double *c, double *T, char *why,
                      size_t nwhy)
{
    *excess = *c = *T = NAN;
    why[0] = 0;
    if (!reheat) {
        snprintf(why, nwhy, "no reheating");
        return;
    }
    size_t kmax = 0;
    double emax = -INFINITY;
    for (size_t k = np - 1; k < ntot; k++)
        if (!isfinite(liquid ? pts[k].c_eq_liquid : pts[k].c_eq)) {
            if (!s->ch)
                snprintf(why, nwhy, "no liquid basin at T = %.6g of the heating leg", pts[k].T);
            else if (liquid && !scan_chain_has_basin(s->ch))
                snprintf(why, nwhy, "no basin given (the liquid set)");
            else
                snprintf(why, nwhy, "the equilibrium c at T = %.6g of the heating leg is below "
                                    "1e-308 (null)", pts[k].T);
            return;
        }
#define EXCESS(k) (pts[k].c - (liquid ? pts[k].c_eq_liquid : pts[k].c_eq))
    /* the largest local maximum strictly inside the leg */
    for (size_t k = np; k + 1 < ntot; k++) {
        double e = EXCESS(k);
        if (e > 0 && e >= EXCESS(k - 1) && e >= EXCESS(k + 1) && e > emax) {
            emax = e;
            kmax = k;
        }
    }
#undef EXCESS
    if (!kmax) {
        snprintf(why, nwhy, "c - c_eq has no positive maximum inside the heating leg (no peak)");
        return;
    }
    *excess = emax;
    *c = pts[kmax].c;
    *T = pts[kmax].T;
}

static int check_rate(const hl_scan *s, double q)
{
    if (!(q > 0) || !isfinite(q))
        return hl_fail(HL_EDOM, "the cooling rate must be positive and finite (got %g)", q);
    double tc = (s->o.t_high - s->o.t_low) / q;
    if (!isfinite(tc) || tc > 1e300)
        return hl_fail(HL_EDOM, "the cooling rate q = %g is too slow: the scan time (T_high - "
                                "T_low) / q = %g is beyond 1e300",
                       q, tc);
    /* T(t) = T_high - q t near T_low carries DBL_EPSILON (T_high - T_low)
     * of absolute error (t has 16 digits): above the integrator's tolerance
     * (the model's engine runs at rtol / 10) its steps are round-off
     * limited (chain_evolve.c: check_t_resolution) */
    double ertol = s->ch ? s->o.rtol : fmax(s->o.rtol / 10, 1e-14);
    double r = DBL_EPSILON * (s->o.t_high - s->o.t_low) / s->o.t_low;
    if (r > ertol)
        return hl_fail(HL_EDOM,
                       "T_high = %g is too far above T_low = %g: on the linear ramp T near "
                       "T_low is resolved to only %.2g relative (16 digits of the scan's "
                       "time), above the integrator's tolerance %g; at most T_high = %.4g "
                       "at this rtol",
                       s->o.t_high, s->o.t_low, r, ertol,
                       s->o.t_low * (1 + ertol / DBL_EPSILON));
    return HL_OK;
}

/* The master equation of one scan: the output times and temperatures
 * (pts[k].leg, .T) and the evolution's points ev (ntot entries).  Reads s
 * only (no exact sums): safe in parallel for several rates of the model
 * (a chain's run in scan_chain.c: serial).  B = exp(z) enters as ln B = z
 * (HL_EVOLVE_OPT_LN_B). */
static int scan_evolve(const hl_scan *s, double q, hl_scan_point *pts, hl_evolve_point *ev,
                       hl_evolve_info *info)
{
    const hl_scan_options *o = &s->o;
    size_t np = o->n_points, ntot = hl_scan_points(s);
    double dT = o->t_high - o->t_low, tc = dT / q;
    double rt[3] = {0, tc, 2 * tc}, rv[3] = {o->t_high, o->t_low, o->t_high};
    hl_protocol *p = NULL;
    int st = hl_protocol_create(HL_PROTOCOL_T, o->reheat ? 3 : 2, rt, rv, &p);
    if (st)
        return st;
    double *times = malloc(sizeof(double) * ntot);
    if (!times) {
        hl_protocol_free(p);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    double h = dT / (double)(np - 1);
    for (size_t k = 0; k < ntot; k++) {
        if (k < np) {
            times[k] = (k == np - 1) ? tc : tc * (double)k / (double)(np - 1);
            pts[k].leg = HL_SCAN_COOL;
            pts[k].T = (k == np - 1) ? o->t_low : o->t_high - h * (double)k;
        } else {
            size_t j = k - (np - 1);
            times[k] = (k == ntot - 1) ? 2 * tc : tc + tc * (double)j / (double)(np - 1);
            pts[k].leg = HL_SCAN_HEAT;
            pts[k].T = (k == ntot - 1) ? o->t_high : o->t_low + h * (double)j;
        }
    }
    hl_evolve_start start;
    memset(&start, 0, sizeof start);
    start.kind = HL_START_EQUILIBRIUM;
    start.beta = 1.0 / o->t_high;
    if (s->q0) {
        start.kind = HL_START_CLASSES;
        start.q = s->q0;
    }
    /* steps end at the protocol's rows only (the outputs from CVODE's
     * interpolant) and the preconditioner is kept over changes of beta up
     * to 2%: 3-5x faster than hl_evolve's own settings (scan.h) */
    hl_rchain_evolve_opts eo = {1, 0.02, 1, 0, 0, 0, NULL, NULL, 0};
    if (s->ch)
        st = scan_chain_evolve(s->ch, p, times, ntot, o->rtol, ev, info);
    else
        st = hl_evolve_opts(s->model, s->dim, p, &start, times, ntot, HL_EVOLVE_AUTO, o->rtol,
                            ev, NULL, info, &eo,
                            HL_EVOLVE_OPT_LN_B | HL_EVOLVE_OPT_UNCHECKED);
    hl_protocol_free(p);
    free(times);
    return st;
}

/* Everything after the evolution: c, T_f, T_g, the overshoot, with the
 * exact sums of ex (a plan of the thread's own: a plan is not for two
 * threads at once; NULL for a chain). */
static int scan_post(const hl_scan *s, hl_exact *ex, double q, hl_scan_point *pts, const hl_evolve_point *ev,
                     const hl_evolve_info *info, hl_scan_summary *sum)
{
    const hl_scan_options *o = &s->o;
    size_t np = o->n_points, ntot = hl_scan_points(s);
    double h = (o->t_high - o->t_low) / (double)(np - 1);
    double *phi = malloc(sizeof(double) * ntot);
    if (!phi)
        return hl_fail(HL_ENOMEM, "out of memory");
    int st = HL_OK;
    memset(sum, 0, sizeof *sum);
    sum->rate = q;
    sum->steps = info->steps;
    sum->method = info->method;
    for (size_t k = 0; k < ntot; k++)
        phi[k] = ev[k].mean_phi;
    /* c on each leg; the error estimate from the grid of step 2h */
    double errmax = 0;
    for (int leg = 0; leg < (o->reheat ? 2 : 1); leg++) {
        const double *ph = phi + (leg ? np - 1 : 0);
        double hs = leg ? h : -h; /* dT per grid step */
        for (size_t k = 0; k < np; k++) {
            double c = deriv(ph, np, k, 1, hs);
            pts[k + (leg ? np - 1 : 0)].c = c;
            if (leg == 1 && k == 0)
                continue; /* T_low: keep the cooling leg's value */
            if (k % 2 == 0 && np >= 7) {
                size_t n2 = (np - 1) / 2 + 1, k2 = k / 2;
                double c2 = deriv(ph, n2, k2, 2, 2 * hs);
                double e = fabs(c - c2) / 3;
                if (e > errmax)
                    errmax = e;
            }
        }
    }
    /* the cooling leg's end value of c at T_low (pts[np-1]) was overwritten
     * by the heating leg's start: recompute it */
    pts[np - 1].c = deriv(phi, np, np - 1, 1, -h);
    /* the grid of step 2h needs at least 4 points per leg: none, no estimate
     * (NaN, null with a reason), never 0 */
    sum->c_error_estimate = np >= 7 ? errmax : NAN;
    hl_exact_result r;
    for (size_t k = 0; k < ntot; k++) {
        hl_scan_point *pt = &pts[k];
        pt->t = ev[k].t;
        pt->mean_phi = phi[k];
        pt->p_liquid = 0;
        pt->phi_liquid = NAN;
        for (int b = 0; b < ev[k].n_basins; b++)
            if (!strcmp(ev[k].basins[b].name, "liquid")) {
                pt->p_liquid = ev[k].basins[b].probability;
                pt->phi_liquid = ev[k].basins[b].mean_phi;
            }
        if (s->ch) {
            scan_chain_ref(s->ch, 0, pt->T, &pt->phi_eq, &pt->c_eq);
            scan_chain_ref(s->ch, 1, pt->T, &pt->phi_eq_liquid, &pt->c_eq_liquid);
        } else {
            st = hl_exact_compute(ex, 1.0 / pt->T, &r);
            if (st)
                goto done;
            pt->phi_eq = r.mean_phi;
            pt->c_eq = r.heat_capacity_per_dim;
            const hl_basin *lb = find_liquid(&r);
            pt->phi_eq_liquid = lb ? lb->mean_phi : NAN;
            pt->c_eq_liquid = lb ? lb->heat_capacity_per_dim : NAN;
        }
        if (s->ch && !scan_chain_has_basin(s->ch)) {
            pt->tf_liquid = NAN;
            snprintf(pt->tf_liquid_null, sizeof pt->tf_liquid_null,
                     "no basin given (the liquid set)");
        } else {
            st = fictive(s, ex, REF_LIQUID, phi[k], pt->T, &pt->tf_liquid, pt->tf_liquid_null,
                         sizeof pt->tf_liquid_null);
        }
        if (!st)
            st = fictive(s, ex, REF_TOTAL, phi[k], pt->T, &pt->tf_total, pt->tf_total_null,
                         sizeof pt->tf_total_null);
        if (st)
            goto done;
        if (isfinite(pt->phi_liquid)) {
            st = fictive(s, ex, REF_LIQUID, pt->phi_liquid, pt->T, &pt->tf_liquid_cond,
                         pt->tf_liquid_cond_null, sizeof pt->tf_liquid_cond_null);
            if (st)
                goto done;
        } else if (s->ch) {
            pt->tf_liquid_cond = NAN;
            snprintf(pt->tf_liquid_cond_null, sizeof pt->tf_liquid_cond_null, "%s",
                     scan_chain_has_basin(s->ch) ? "no probability in the basin"
                                                 : "no basin given (the liquid set)");
        } else {
            pt->tf_liquid_cond = NAN;
            snprintf(pt->tf_liquid_cond_null, sizeof pt->tf_liquid_cond_null,
                     "no liquid basin at T = %.6g, or no probability in it", pt->T);
        }
    }
    sum->tg_liquid = pts[np - 1].tf_liquid;
    sum->tg_total = pts[np - 1].tf_total;
    sum->tg_liquid_cond = pts[np - 1].tf_liquid_cond;
    overshoot(s, pts, np, ntot, o->reheat, 1, &sum->overshoot_excess, &sum->overshoot_c,
              &sum->overshoot_T, sum->overshoot_null, sizeof sum->overshoot_null);
    overshoot(s, pts, np, ntot, o->reheat, 0, &sum->overshoot_total_excess,
              &sum->overshoot_total_c, &sum->overshoot_total_T, sum->overshoot_total_null,
              sizeof sum->overshoot_total_null);
done:
    free(phi);
    return st;
}

int hl_scan_run(hl_scan *s, double q, hl_scan_point *pts, hl_scan_summary *sum)
{
    if (!s || !pts || !sum)
        return hl_fail(HL_EINVAL, "hl_scan_run: NULL argument");
    return hl_scan_run_many(s, 1, &q, pts, sum);
}

int hl_scan_run_many(hl_scan *s, size_t n_rates, const double *rates, hl_scan_point *pts,
                     hl_scan_summary *sums)
{
    if (!s || !rates || !pts || !sums)
        return hl_fail(HL_EINVAL, "hl_scan_run_many: NULL argument");
    int st = HL_OK;
    for (size_t i = 0; i < n_rates && !st; i++)
        st = check_rate(s, rates[i]);
    if (st || !n_rates)
        return st;
    size_t ntot = hl_scan_points(s);
    hl_evolve_point *ev = malloc(sizeof(hl_evolve_point) * ntot * n_rates);
    hl_evolve_info *info = calloc(n_rates, sizeof(hl_evolve_info));
    int *sts = calloc(n_rates, sizeof(int));
    char(*msg)[512] = calloc(n_rates, sizeof *msg);
    if (!ev || !info || !sts || !msg) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    /* the evolutions in parallel, one rate per thread (OpenMP, the
     * slowest rates first: they take the most steps), each followed by its
     * c, T_f, T_g.  Each rate's run is independent of the others and of
     * the thread that runs it: its own CVODE context, vectors and UMFPACK
     * objects, an exact-sum plan of the thread's own; the formula evaluator
     * and hl_fail's message are thread-safe; METIS, which draws from the C
     * library's one rand(), orders one matrix at a time (ordering_lock.h:
     * that was the race that made a parallel run differ from a serial one);
     * OpenBLAS is set to one thread here, before the threads start, so no
     * run changes its thread count under another.  The numbers are the same
     * bits for any thread count (tests/test_scan: scan_threads_identical).
     * A chain's scans (scan_chain.c) run one after the other. */
    long nr = (long)n_rates;
    long *order = malloc(sizeof(long) * n_rates);
    if (!order) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    for (long i = 0; i < nr; i++)
        order[i] = i;
    for (long i = 1; i < nr; i++) /* insertion sort by rate, slowest first */
        for (long j = i; j > 0 && rates[order[j]] < rates[order[j - 1]]; j--) {
            long t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    double t0 = hl_now();
    int nblas = hl_blas_serial_begin();
    /* the threads that run rates: the caller's count (--threads), one for
     * a single rate or a chain; the team has at least two, so that the
     * OpenMP loops inside CHOLMOD (the preconditioner, evolve_cvode.c:
     * compiled for 4 threads) are nested and run serially instead of
     * starting threads that spin around each small factor; a thread past
     * `work' only waits (it sleeps after libgomp's short spin) */
    int work = (nr > 1 && !s->ch) ? omp_get_max_threads() : 1;
    if (work > nr)
        work = (int)nr;
    long next = 0;
#pragma omp parallel num_threads(work > 1 ? work : 2) if (!s->ch)
    if (omp_get_thread_num() < work) {
        /* the thread's exact-sum plan for c_eq, T_f (made when its first
         * rate has evolved; the same numbers as any other plan) */
        hl_exact *ex = NULL;
        for (;;) { /* dynamic schedule, one rate at a time, slowest first */
            long r;
#pragma omp atomic capture
            r = next++;
            if (r >= nr)
                break;
            long i = order[r];
            size_t off = (size_t)i * ntot;
            sts[i] = scan_evolve(s, rates[i], pts + off, ev + off, &info[i]);
            if (!sts[i] && !ex && !s->ch)
                sts[i] = hl_exact_create(s->model, s->dim, HL_EXACT_AUTO, &ex);
            if (!sts[i])
                sts[i] = scan_post(s, ex, rates[i], pts + off, ev + off, &info[i], &sums[i]);
            if (sts[i]) /* hl_errmsg() is the calling thread's */
                snprintf(msg[i], sizeof msg[i], "%s", hl_errmsg());
        }
        hl_exact_free(ex);
    }
    hl_blas_threads_restore(nblas);
    free(order);
    hl_stage_done("scan: evolutions and c, T_f, T_g", t0, NULL);
    for (size_t i = 0; i < n_rates && !st; i++) /* the first failed rate, in order */
        if (sts[i])
            st = hl_fail(sts[i], "%s", msg[i]);
done:
    free(ev);
    free(info);
    free(sts);
    free(msg);
    return st;
}
