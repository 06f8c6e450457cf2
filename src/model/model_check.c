/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model_check.c -- the checks of a formula on the whole square by interval
 * arithmetic (phi and its first and second derivatives finite, B positive)
 * and what is read off the check grid (gradient bounds, feature length).
 *
 * A formula is checked on every point of the closed square |x| + |y| <= 1
 * (for B also every T of a range), not on a sample: the square, as the box
 * -1 <= s, d <= 1 in s = x + y, d = x - y, is cut into boxes on which
 * interval arithmetic bounds each function.  A box passes when every bound
 * is finite (and within HL_PHI_LIMIT for phi; above 0 for B).  A box that
 * does not pass is evaluated at its centre (and, when it is small, at its
 * corners): a bad value there is the counter-example the error names;
 * otherwise it is bisected.  (The square is grown by PROOF_MARGIN.)  A box narrower than PROOF_MIN_WIDTH on which a
 * bound is still infinite holds a pole or a singularity and is refused; one
 * whose bound is finite but too large passes on its point values
 * (overestimation).  Depth-first, so a pole is reached in ~60 bisections;
 * the work is capped (PROOF_BUDGET operations), after which the remaining
 * boxes are checked at their corners and centres only. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_object.h"

#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define CHECK_GRID 100
#endif
#define PROOF_MIN_WIDTH 1e-9
/* The square is checked with this margin: class and cell coordinates are
 * rounded, so x + y of a class on the edge s = 1 can exceed 1 by an ulp,
 * and a formula that is NaN just outside (e.g. (1-x-y)^2.5) would give NaN
 * at such a class. */
#define PROOF_MARGIN 1e-12
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/* A fuzzing build (cmake -DHL_FUZZ=ON, tests/fuzz) proves with a small
 * budget and scans a coarse grid, so the fuzzer's time goes to the parser
 * and to every path of the proof rather than to long proofs. */
#define PROOF_BUDGET 20000L
#define CHECK_GRID 10
#else
#define PROOF_BUDGET 20000000L
#endif

static const char *DER_NAME[] = {"phi", "dphi/dx", "dphi/dy", "d2phi/dx2", "d2phi/dxdy",
                                 "d2phi/dy2"};

typedef struct {
    double lo[3], hi[3];
} pbox;

typedef struct {
    hl_expr *const *f;
    const char *const *fname;
    int nf;
    int positive;   /* B: >= DBL_MIN (a normal double: a subnormal B has lost
                     * digits, and so would every rate) and finite; else
                     * finite with |v| <= HL_PHI_LIMIT */
    int dims;       /* 2: (s, d); 3: (s, d, T) */
    long work;
    /* the counter-example */
    int found, fi, unbounded;
    int zero; /* B: its lower bound is not positive on a smallest box (B reaches 0) */
    double x, y, T, v;
    /* a finite value beyond HL_PHI_LIMIT: kept while the search goes on a
     * little (SOFT_EXTRA operations) for a pole or NaN nearby */
    int soft;
    long soft_work;
    int soft_fi;
    double soft_x, soft_y, soft_v;
} proof;

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define SOFT_EXTRA 2000L
#else
#define SOFT_EXTRA 2000000L
#endif

static int value_ok(const proof *p, double v)
{
    if (p->positive)
        return isfinite(v) && v >= DBL_MIN;
    return isfinite(v) && fabs(v) <= HL_PHI_LIMIT;
}

/* Evaluate every function at (s, d, T); 1 and the counter-example if one
 * is bad. */
static int check_point(proof *p, double s, double d, double T)
{
    double v[3] = {0.5 * (s + d), 0.5 * (s - d), T};
    for (int k = 0; k < p->nf; k++) {
        double f = hl_expr_eval(p->f[k], v);
        p->work += (long)hl_expr_size(p->f[k]);
        if (!p->positive && isfinite(f) && !value_ok(p, f)) {
            if (!p->soft) {
                p->soft = 1;
                p->soft_work = p->work;
                p->soft_fi = k;
                p->soft_x = v[0];
                p->soft_y = v[1];
                p->soft_v = f;
            }
            continue;
        }
        if (!value_ok(p, f)) {
            p->found = 1;
            p->fi = k;
            p->x = v[0];
            p->y = v[1];
            p->T = T;
            p->v = f;
            p->unbounded = 0;
            p->zero = 0;
            return 1;
        }
    }
    return 0;
}

/* Interval bounds on the box: 0 if all pass; else 1, and *inf = 1 if some
 * failing bound is infinite or NaN-flagged beyond repair, 2 if B's lower
 * bound is finite but not positive. */
static int check_box(proof *p, const pbox *b, int *inf, int *which)
{
    hl_interval s = {b->lo[0], b->hi[0], 0}, d = {b->lo[1], b->hi[1], 0};
    hl_interval v[3];
    v[0] = (hl_interval){0.5 * (s.lo + d.lo), 0.5 * (s.hi + d.hi), 0};
    v[1] = (hl_interval){0.5 * (s.lo - d.hi), 0.5 * (s.hi - d.lo), 0};
    v[2] = (hl_interval){b->lo[2], b->hi[2], 0};
    int bad = 0;
    *inf = 0;
    for (int k = 0; k < p->nf; k++) {
        hl_interval r = hl_expr_eval_interval(p->f[k], v);
        p->work += 3 * (long)hl_expr_size(p->f[k]);
        int ok = !r.nan && isfinite(r.lo) && isfinite(r.hi) &&
                 (p->positive ? r.lo >= DBL_MIN
                              : (r.lo >= -HL_PHI_LIMIT && r.hi <= HL_PHI_LIMIT));
        if (!ok) {
            if (!bad)
                *which = k;
            bad = 1;
            if (!isfinite(r.lo) || !isfinite(r.hi)) {
                *inf = 1;
                *which = k;
            } else if (p->positive && r.lo < DBL_MIN && !*inf) {
                *inf = 2;
                *which = k;
            }
        }
    }
    return bad;
}

/* Check the box [s, d] = [-1, 1]^2 (x [tlo, thi] when dims = 3).  HL_OK
 * with p->found = 0 when every function passes; p->found = 1 with the
 * counter-example otherwise. */
static int prove(proof *p, double tlo, double thi)
{
    enum { INIT = 8 };
    size_t cap = 1024, n = 0;
    pbox *stack = malloc(cap * sizeof *stack);
    if (!stack)
        return hl_fail(HL_ENOMEM, "out of memory checking a formula");
    for (int i = 0; i < INIT; i++)
        for (int j = 0; j < INIT; j++) {
            const double lo = -1.0 - PROOF_MARGIN, w = (2.0 + 2.0 * PROOF_MARGIN) / INIT;
            pbox b = {{lo + w * i, lo + w * j, tlo}, {lo + w * (i + 1), lo + w * (j + 1), thi}};
            stack[n++] = b;
        }
    double tw = thi - tlo;
    int exhausted = 0;
    while (n > 0 && !p->found && !(p->soft && p->work > p->soft_work + SOFT_EXTRA)) {
        pbox b = stack[--n];
        int inf = 0, which = 0;
        if (!exhausted && !check_box(p, &b, &inf, &which))
            continue;
        double c[3];
        for (int k = 0; k < 3; k++)
            c[k] = 0.5 * (b.lo[k] + b.hi[k]);
        if (check_point(p, c[0], c[1], c[2]))
            break;
        /* widths relative to the whole range (T: its own range) */
        double w[3] = {(b.hi[0] - b.lo[0]) / 2, (b.hi[1] - b.lo[1]) / 2,
                       p->dims == 3 && tw > 0 ? (b.hi[2] - b.lo[2]) / tw : 0};
        int widest = w[1] > w[0] ? 1 : 0;
        if (w[2] > w[widest])
            widest = 2;
        if (p->work > PROOF_BUDGET) {
            /* out of budget: this box and the remaining ones get point
             * checks (centre and corners) only */
            exhausted = 1;
        }
        if (exhausted || w[widest] <= PROOF_MIN_WIDTH) {
            int ncorner = p->dims == 3 && tw > 0 ? 8 : 4;
            for (int q = 0; q < ncorner && !p->found; q++)
                check_point(p, (q & 1) ? b.hi[0] : b.lo[0], (q & 2) ? b.hi[1] : b.lo[1],
                            (q & 4) ? b.hi[2] : b.lo[2]);
            if (!p->found && inf && !exhausted) {
                /* an infinite bound on a box of width 1e-9: a pole; B's
                 * lower bound still not positive there: B reaches 0 (at
                 * a point between those evaluated, e.g. abs(x-0.3)) */
                p->found = 1;
                p->unbounded = inf == 1;
                p->zero = inf == 2;
                p->fi = which;
                p->x = 0.5 * (c[0] + c[1]);
                p->y = 0.5 * (c[0] - c[1]);
                p->T = c[2];
                p->v = NAN; /* no point value: only the bound is infinite */
            }
            continue;
        }
        if (n + 2 > cap) {
            pbox *q = realloc(stack, 2 * cap * sizeof *q);
            if (!q) {
                free(stack);
                return hl_fail(HL_ENOMEM, "out of memory checking a formula");
            }
            stack = q;
            cap *= 2;
        }
        pbox lo = b, hi = b;
        double mid = 0.5 * (b.lo[widest] + b.hi[widest]);
        lo.hi[widest] = mid;
        hi.lo[widest] = mid;
        stack[n++] = lo;
        stack[n++] = hi;
    }
    free(stack);
    if (!p->found && p->soft) {
        p->found = 1;
        p->unbounded = 0;
        p->fi = p->soft_fi;
        p->x = p->soft_x;
        p->y = p->soft_y;
        p->v = p->soft_v;
    }
    return HL_OK;
}

/* Record gradient bounds (|dphi/ds|, |dphi/dd| on a grid of the square,
 * with a 10% margin).  HL_EDOM if the gradient is not finite at a grid
 * point (possible only when the proof ran out of budget: it then checks
 * points, not every point). */
int hl_model_set_gradient_bounds(hl_model *m)
{
    double gs = 0, gd = 0;
    for (int i = 0; i <= CHECK_GRID; i++) {
        for (int j = 0; j <= CHECK_GRID; j++) {
            double s = -1.0 + 2.0 * i / CHECK_GRID;
            double d = -1.0 + 2.0 * j / CHECK_GRID;
            hl_phi_derivs o;
            hl_model_phi_derivs(m, 0.5 * (s + d), 0.5 * (s - d), &o);
            double ps = 0.5 * (o.phi_x + o.phi_y);
            double pd = 0.5 * (o.phi_x - o.phi_y);
            if (!isfinite(ps) || !isfinite(pd)) {
                char ex[HL_CLIP_BUF];
                return hl_fail(HL_EDOM,
                               "phi formula '%s': the gradient is not finite at (x, y) = "
                               "(%.9g, %.9g); phi and its first and second derivatives must "
                               "be finite on the square |x| + |y| <= 1 (docs/formulas.md)",
                               hl_clip(m->formula, ex), 0.5 * (s + d), 0.5 * (s - d));
            }
            if (fabs(ps) > gs) gs = fabs(ps);
            if (fabs(pd) > gd) gd = fabs(pd);
            double h2 = fmax(fabs(o.phi_xx), fmax(fabs(o.phi_xy), fabs(o.phi_yy)));
            if (h2 > m->hess_grid_max) /* NaN-safe: a NaN is never larger */
                m->hess_grid_max = h2;
        }
    }
    m->grad_s_bound = 1.1 * gs + 1e-3;
    m->grad_d_bound = 1.1 * gd + 1e-3;
    return HL_OK;
}

/* The feature length M2 / M3 of phi on a grid of the square: M2 the largest
 * second and M3 the largest third partial derivative in (x, y) (symbolic).
 * For A sin(k x) it is 1/k, a sixth of the period; a polynomial of degree
 * <= 2 has none (INFINITY).  Sampled, so an estimate: it sets the density
 * of the global search for maxima.  The paper's phi: exact, from
 * g''(d) = -2 + 2.28 (d + 0.2) and g''' = 2.28 (in d = x - y). */
void hl_model_set_feature_length(hl_model *m)
{
    if (m->is_default) {
        m->feature_length = (2.0 + 2.28 * 0.8) / 2.28;
        return;
    }
    hl_expr *d3[4] = {NULL, NULL, NULL, NULL};
    m->feature_length = INFINITY;
    if (hl_expr_derivative(m->ev[DER_XX], 0, &d3[0]) ||
        hl_expr_derivative(m->ev[DER_XX], 1, &d3[1]) ||
        hl_expr_derivative(m->ev[DER_YY], 0, &d3[2]) ||
        hl_expr_derivative(m->ev[DER_YY], 1, &d3[3])) {
        /* too complex to differentiate again: fall back on M1 / M2 */
        m->feature_length = -1;
    }
    double m2 = m->hess_grid_max, m3 = 0, m1 = fmax(m->grad_s_bound, m->grad_d_bound);
    for (int i = 0; i <= CHECK_GRID; i++)
        for (int j = 0; j <= CHECK_GRID; j++) {
            double s = -1.0 + 2.0 * i / CHECK_GRID, d = -1.0 + 2.0 * j / CHECK_GRID;
            double v[2] = {0.5 * (s + d), 0.5 * (s - d)};
            for (int k = 0; k < 4 && d3[k]; k++) {
                double t = hl_expr_eval(d3[k], v);
                if (isfinite(t) && fabs(t) > m3)
                    m3 = fabs(t);
            }
        }
    for (int k = 0; k < 4; k++)
        hl_expr_free(d3[k]);
    if (m->feature_length < 0)
        m->feature_length = m2 > 0 ? m1 / m2 : INFINITY;
    else
        m->feature_length = m3 > 0 ? m2 / m3 : INFINITY;
}

int hl_model_check_phi(hl_model *m)
{
    proof p = {.f = m->ev, .fname = DER_NAME, .nf = DER_COUNT, .positive = 0, .dims = 2};
    int st = prove(&p, 0, 0);
    if (st)
        return st;
    if (p.found) {
        char ex[HL_CLIP_BUF], near[64] = "", at[256];
        hl_clip(m->formula, ex);
        if (!isnan(p.v))
            snprintf(near, sizeof near, " (%g there)", p.v);
        /* the check covers the square grown by PROOF_MARGIN: a point in
         * that margin is named as such, with the digits that show it */
        double out = fabs(p.x) + fabs(p.y) - 1.0;
        if (out > 0)
            snprintf(at, sizeof at, "(x, y) = (%.15g, %.15g), %.1g outside the square (the "
                     "check covers a margin of %g around it, for the rounding at its edges)",
                     p.x, p.y, out, PROOF_MARGIN);
        else
            snprintf(at, sizeof at, "(x, y) = (%.9g, %.9g)", p.x, p.y);
        if (p.unbounded)
            return hl_fail(HL_EDOM,
                           "phi formula '%s': %s is unbounded near %s%s, a pole or singularity "
                           "in the square |x| + |y| <= 1; phi and its first and second "
                           "derivatives must be finite there (docs/formulas.md)",
                           ex, DER_NAME[p.fi], at, near);
        if (isfinite(p.v))
            return hl_fail(HL_EDOM,
                           "phi formula '%s': %s = %.9g at %s, beyond the limit %g in magnitude "
                           "(a pole or singularity nearby?); phi and its first and second "
                           "derivatives must stay within it on the square |x| + |y| <= 1 "
                           "(docs/formulas.md)",
                           ex, DER_NAME[p.fi], p.v, at, HL_PHI_LIMIT);
        return hl_fail(HL_EDOM,
                       "phi formula '%s': %s = %s at %s; phi and its first and second "
                       "derivatives must be finite on the square |x| + |y| <= 1 "
                       "(docs/formulas.md)",
                       ex, DER_NAME[p.fi], isnan(p.v) ? "NaN" : (p.v > 0 ? "inf" : "-inf"), at);
    }
    return hl_model_set_gradient_bounds(m);
}

/* ---------------------------------------------------------------- B */

int hl_model_check_b(const hl_model *m, double tlo, double thi)
{
    static const char *const name[] = {"B"};
    hl_expr *f[1] = {m->b_ev};
    proof p = {.f = f, .fname = name, .nf = 1, .positive = 1,
               .dims = m->b_uses_T && thi > tlo ? 3 : 2};
    int st = prove(&p, tlo, thi);
    if (st || !p.found)
        return st;
    char ex[HL_CLIP_BUF], range[96] = "";
    hl_clip(m->b_formula, ex);
    if (m->b_uses_T) {
        if (thi > tlo)
            snprintf(range, sizeof range, " (the run uses T in [%g, %g])", tlo, thi);
        else
            snprintf(range, sizeof range, " (the run's temperature)");
    }
    if (p.unbounded)
        return hl_fail(HL_EDOM,
                       "transmission formula '%s': B is unbounded near (x, y, T) = (%.9g, "
                       "%.9g, %.9g)%s, a pole or singularity; B must be positive and finite",
                       ex, p.x, p.y, p.T, range);
    if (p.zero)
        return hl_fail(HL_EDOM,
                       "transmission formula '%s': B reaches 0 near (x, y, T) = (%.9g, %.9g, "
                       "%.9g)%s (its lower bound on a box of width 1e-9 there is not "
                       "positive); B must be positive and finite",
                       ex, p.x, p.y, p.T, range);
    char val[32];
    if (isnan(p.v))
        snprintf(val, sizeof val, "NaN");
    else if (isinf(p.v))
        snprintf(val, sizeof val, "%s", p.v > 0 ? "inf" : "-inf");
    else
        snprintf(val, sizeof val, "%g", p.v);
    if (m->b_uses_T)
        return hl_fail(HL_EDOM,
                       "transmission formula '%s': B = %s at (x, y, T) = (%.9g, %.9g, %.9g)%s; "
                       "B must be positive (at least %g, the smallest normal double) and finite "
                       "on the square at every temperature the run uses",
                       ex, val, p.x, p.y, p.T, range, DBL_MIN);
    return hl_fail(HL_EDOM,
                   "transmission formula '%s': B = %s at (x, y) = (%.9g, %.9g); B must be "
                   "positive (at least %g, the smallest normal double) and finite on the "
                   "square |x| + |y| <= 1",
                   ex, val, p.x, p.y, DBL_MIN);
}
