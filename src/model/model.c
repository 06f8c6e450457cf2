/* model.c -- phi(x, y) (eq 4.11 or a user formula), W(n, n1) (eq 4.9) and
 * w(x, y) (eq 4.10). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_sf_gamma.h>
#include "formula.h"
#include "internal.h"

enum { DER_PHI, DER_X, DER_Y, DER_XX, DER_XY, DER_YY, DER_COUNT };

struct hl_model {
    int is_default;
    char *formula;
    hl_expr *ev[DER_COUNT]; /* phi and its derivatives (user formula only) */
    double grad_s_bound, grad_d_bound;
    double hess_grid_max;  /* largest |second partial| of phi on the check grid */
    double feature_length; /* shortest length over which phi's Hessian turns */
    char *b_formula; /* transmission B(x, y, T); NULL: B = 1 */
    hl_expr *b_ev;
    int b_uses_T;    /* B depends on T (else it was checked once, when set) */
};

/* ---------------------------------------------------------------- helpers */

double hl_softplus(double z)
{
    return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

double hl_xlogx(double u) { return u > 0 ? u * log(u) : 0.0; }

void hl_tpoint_set(hl_tpoint *p, double t1, double t2)
{
    p->t1 = t1;
    p->t2 = t2;
    p->s = tanh(t1);
    p->d = tanh(t2);
    p->x = 0.5 * (p->s + p->d);
    p->y = 0.5 * (p->s - p->d);
    /* 1 - tanh^2 = 1/cosh^2, accurate for large |t| */
    double c1 = cosh(t1), c2 = cosh(t2);
    p->cs = isfinite(c1) ? 1.0 / (c1 * c1) : 0.0;
    p->cd = isfinite(c2) ? 1.0 / (c2 * c2) : 0.0;
}

/* H(s) = ln 2 - [(1+s)ln(1+s) + (1-s)ln(1-s)]/2 written in t = atanh s:
 * 1 + s = 2/(1 + e^{-2t}), 1 - s = 2/(1 + e^{2t}). */
static double half_entropy_t(double t)
{
    double one_plus = 2.0 / (1.0 + exp(-2.0 * t));
    double one_minus = 2.0 / (1.0 + exp(2.0 * t));
    return 0.5 * (one_plus * hl_softplus(-2.0 * t) +
                  one_minus * hl_softplus(2.0 * t));
}

double hl_w_from_t(double t1, double t2)
{
    return 0.5 * (half_entropy_t(t1) + half_entropy_t(t2));
}

double hl_entropy_w(double x, double y)
{
    double s = x + y, d = x - y;
    const double eps = 1e-14;
    if (!(fabs(s) <= 1.0 + eps && fabs(d) <= 1.0 + eps))
        return NAN;
    if (s > 1) s = 1;
    if (s < -1) s = -1;
    if (d > 1) d = 1;
    if (d < -1) d = -1;
    return log(2.0) - 0.25 * (hl_xlogx(1 + s) + hl_xlogx(1 - s) +
                              hl_xlogx(1 + d) + hl_xlogx(1 - d));
}

double hl_lnchoose(long h, long k)
{
    if (k == 0 || k == h)
        return 0.0;
    gsl_sf_result r;
    if (k < 0 || k > h || gsl_sf_lnchoose_e((unsigned)h, (unsigned)k, &r) != GSL_SUCCESS)
        return NAN;
    return r.val;
}

int hl_check_dim(long D)
{
    if (D < HL_DIM_MIN || D > HL_DIM_MAX)
        return hl_fail(HL_EDOM, "dimension D = %ld is outside [%ld, %ld]", D,
                       HL_DIM_MIN, HL_DIM_MAX);
    if (D % 2 != 0)
        return hl_fail(HL_EDOM, "dimension D = %ld is odd; the model needs an "
                                "even D (eq 4.4)", D);
    return HL_OK;
}

int hl_ln_vertex_count(long D, long n, long n1, double *ln_w)
{
    int st = hl_check_dim(D);
    if (st)
        return st;
    long h = D / 2, a = n1, b = n - n1;
    if (a < 0 || a > h || b < 0 || b > h)
        return hl_fail(HL_EDOM, "class (n, n1) = (%ld, %ld) does not exist "
                                "for D = %ld", n, n1, D);
    *ln_w = hl_lnchoose(h, a) + hl_lnchoose(h, b);
    return HL_OK;
}

/* ---------------------------------------------------------------- phi */

static void default_derivs(double x, double y, hl_phi_derivs *o)
{
    double u = x - y + 0.2;
    double g1 = -2.0 * u + 1.14 * u * u; /* d/du of -u^2 + 0.38 u^3 */
    double g2 = -2.0 + 2.28 * u;
    o->phi = x + y - u * u + 0.38 * u * u * u;
    o->phi_x = 1.0 + g1;
    o->phi_y = 1.0 - g1;
    o->phi_xx = g2;
    o->phi_xy = -g2;
    o->phi_yy = g2;
}

double hl_default_g_step(double d, double step, double *abs_terms)
{
    /* (u + e)^2 - u^2 = e (2u + e); (u + e)^3 - u^3 = e (3u^2 + 3ue + e^2) */
    double u = d + 0.2, e = step;
    double t1 = -(2.0 * u + e), t2 = 0.38 * (3.0 * u * u + 3.0 * u * e + e * e);
    if (abs_terms)
        *abs_terms = fabs(e) * (2.0 * fabs(u) + fabs(e) +
                                0.38 * (3.0 * u * u + 3.0 * fabs(u * e) + e * e));
    return e * (t1 + t2);
}

double hl_model_phi(const hl_model *m, double x, double y)
{
    if (m->is_default) {
        double u = x - y + 0.2;
        return x + y - u * u + 0.38 * u * u * u;
    }
    double v[2] = {x, y};
    return hl_expr_eval(m->ev[DER_PHI], v);
}

void hl_model_phi_derivs(const hl_model *m, double x, double y,
                         hl_phi_derivs *o)
{
    if (m->is_default) {
        default_derivs(x, y, o);
        return;
    }
    double v[2] = {x, y};
    o->phi = hl_expr_eval(m->ev[DER_PHI], v);
    o->phi_x = hl_expr_eval(m->ev[DER_X], v);
    o->phi_y = hl_expr_eval(m->ev[DER_Y], v);
    o->phi_xx = hl_expr_eval(m->ev[DER_XX], v);
    o->phi_xy = hl_expr_eval(m->ev[DER_XY], v);
    o->phi_yy = hl_expr_eval(m->ev[DER_YY], v);
}

const char *hl_model_phi_formula(const hl_model *m) { return m->formula; }
int hl_model_is_default(const hl_model *m) { return m->is_default; }

void hl_model_gradient_bounds(const hl_model *m, double *gs, double *gd)
{
    *gs = m->grad_s_bound;
    *gd = m->grad_d_bound;
}

double hl_model_feature_length(const hl_model *m) { return m->feature_length; }


void hl_model_free(hl_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < DER_COUNT; i++)
        hl_expr_free(m->ev[i]);
    free(m->formula);
    hl_expr_free(m->b_ev);
    free(m->b_formula);
    free(m);
}

/* ------------------------------------------------- checks on the whole square
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
static int gradient_bounds(hl_model *m)
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
static void feature_length(hl_model *m)
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

static int check_phi(hl_model *m)
{
    proof p = {.f = m->ev, .fname = DER_NAME, .nf = DER_COUNT, .positive = 0, .dims = 2};
    int st = prove(&p, 0, 0);
    if (st)
        return st;
    if (p.found) {
        char ex[HL_CLIP_BUF], near[64] = "";
        hl_clip(m->formula, ex);
        if (!isnan(p.v))
            snprintf(near, sizeof near, " (%g there)", p.v);
        if (p.unbounded)
            return hl_fail(HL_EDOM,
                           "phi formula '%s': %s is unbounded near (x, y) = (%.9g, %.9g)%s, a pole "
                           "or singularity in the square |x| + |y| <= 1; phi and its first and "
                           "second derivatives must be finite there (docs/formulas.md)",
                           ex, DER_NAME[p.fi], p.x, p.y, near);
        if (isfinite(p.v))
            return hl_fail(HL_EDOM,
                           "phi formula '%s': %s = %.9g at (x, y) = (%.9g, %.9g), beyond the "
                           "limit %g in magnitude (a pole or singularity nearby?); phi and its "
                           "first and second derivatives must stay within it on the square "
                           "|x| + |y| <= 1 (docs/formulas.md)",
                           ex, DER_NAME[p.fi], p.v, p.x, p.y, HL_PHI_LIMIT);
        return hl_fail(HL_EDOM,
                       "phi formula '%s': %s = %s at (x, y) = (%.9g, %.9g); phi and its first "
                       "and second derivatives must be finite on the square |x| + |y| <= 1 "
                       "(docs/formulas.md)",
                       ex, DER_NAME[p.fi], isnan(p.v) ? "NaN" : (p.v > 0 ? "inf" : "-inf"),
                       p.x, p.y);
    }
    return gradient_bounds(m);
}

int hl_model_create(const char *formula, hl_model **out)
{
    hl_gsl_quiet();
    if (!out)
        return hl_fail(HL_EINVAL, "hl_model_create: out is NULL");
    *out = NULL;
    hl_model *m = calloc(1, sizeof *m);
    if (!m)
        return hl_fail(HL_ENOMEM, "out of memory creating the model");
    int st = HL_OK;
    if (!formula) {
        m->is_default = 1;
        m->formula = strdup(HL_DEFAULT_PHI);
        if (!m->formula) {
            st = hl_fail(HL_ENOMEM, "out of memory");
            goto fail;
        }
        (void)gradient_bounds(m); /* eq 4.11: finite everywhere */
        feature_length(m);
        *out = m;
        return HL_OK;
    }
    static const char *const vars[] = {"x", "y"};
    if ((st = hl_expr_parse(formula, vars, 2, "phi", &m->ev[DER_PHI])))
        goto fail;
    m->formula = strdup(formula);
    if (!m->formula) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto fail;
    }
    if ((st = hl_expr_derivative(m->ev[DER_PHI], 0, &m->ev[DER_X])) ||
        (st = hl_expr_derivative(m->ev[DER_PHI], 1, &m->ev[DER_Y])) ||
        (st = hl_expr_derivative(m->ev[DER_X], 0, &m->ev[DER_XX])) ||
        (st = hl_expr_derivative(m->ev[DER_X], 1, &m->ev[DER_XY])) ||
        (st = hl_expr_derivative(m->ev[DER_Y], 1, &m->ev[DER_YY]))) {
        char ex[HL_CLIP_BUF];
        hl_clip(formula, ex);
        char msg[512];
        snprintf(msg, sizeof msg, "%s", hl_errmsg());
        st = hl_fail(st, "phi formula '%s': %s", ex, msg);
        goto fail;
    }
    if ((st = check_phi(m)))
        goto fail;
    feature_length(m);
    *out = m;
    return HL_OK;
fail:
    hl_model_free(m);
    return st;
}

/* ---------------------------------------------------------------- phi_min */

typedef struct {
    const hl_model *m;
    int edge; /* 0: s fixed, 1: d fixed */
    double fixed;
} edge_ctx;

static double phi_sd(const hl_model *m, double s, double d)
{
    return hl_model_phi(m, 0.5 * (s + d), 0.5 * (s - d));
}

static double edge_fn(double u, void *p)
{
    edge_ctx *c = p;
    return c->edge == 0 ? phi_sd(c->m, c->fixed, u) : phi_sd(c->m, u, c->fixed);
}

static void consider(double s, double d, double v, double *bs, double *bd,
                     double *bv)
{
    if (v < *bv) {
        *bv = v;
        *bs = s;
        *bd = d;
    }
}

/* 1-D Brent refinement of a bracketed grid minimum along an edge. */
static void refine_edge(const hl_model *m, int edge, double fixed, double lo,
                        double mid, double hi, double *bs, double *bd,
                        double *bv)
{
    edge_ctx c = {m, edge, fixed};
    gsl_function F = {edge_fn, &c};
    double fm = edge_fn(mid, &c);
    if (!(fm < edge_fn(lo, &c) && fm < edge_fn(hi, &c)))
        return;
    gsl_min_fminimizer *mz = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!mz)
        return;
    if (gsl_min_fminimizer_set(mz, &F, mid, lo, hi) == GSL_SUCCESS) {
        for (int it = 0; it < 200; it++) {
            if (gsl_min_fminimizer_iterate(mz) != GSL_SUCCESS)
                break;
            double a = gsl_min_fminimizer_x_lower(mz);
            double b = gsl_min_fminimizer_x_upper(mz);
            if (gsl_min_test_interval(a, b, 1e-14, 0.0) == GSL_SUCCESS)
                break;
        }
        double u = gsl_min_fminimizer_x_minimum(mz);
        double v = edge_fn(u, &c);
        if (edge == 0)
            consider(fixed, u, v, bs, bd, bv);
        else
            consider(u, fixed, v, bs, bd, bv);
    }
    gsl_min_fminimizer_free(mz);
}

/* Damped Newton for an interior minimum of phi in (s, d). */
static void refine_interior(const hl_model *m, double s, double d, double *bs,
                            double *bd, double *bv)
{
    for (int it = 0; it < 100; it++) {
        hl_phi_derivs o;
        hl_model_phi_derivs(m, 0.5 * (s + d), 0.5 * (s - d), &o);
        double gs = 0.5 * (o.phi_x + o.phi_y), gd = 0.5 * (o.phi_x - o.phi_y);
        double hss = 0.25 * (o.phi_xx + 2 * o.phi_xy + o.phi_yy);
        double hdd = 0.25 * (o.phi_xx - 2 * o.phi_xy + o.phi_yy);
        double hsd = 0.25 * (o.phi_xx - o.phi_yy);
        double det = hss * hdd - hsd * hsd;
        double ds, dd;
        if (hss > 0 && det > 0) {
            ds = -(hdd * gs - hsd * gd) / det;
            dd = -(-hsd * gs + hss * gd) / det;
        } else {
            ds = -0.1 * gs;
            dd = -0.1 * gd;
        }
        double lam = 1.0;
        int moved = 0;
        for (int k = 0; k < 40; k++, lam *= 0.5) {
            double ns = s + lam * ds, nd = d + lam * dd;
            if (fabs(ns) > 1 || fabs(nd) > 1)
                continue;
            if (phi_sd(m, ns, nd) <= o.phi) {
                s = ns;
                d = nd;
                moved = 1;
                break;
            }
        }
        if (!moved || fabs(ds) + fabs(dd) < 1e-15)
            break;
    }
    consider(s, d, phi_sd(m, s, d), bs, bd, bv);
}

#define MIN_GRID 200

int hl_model_phi_min(const hl_model *m, double *x, double *y, double *phi)
{
    const int N = MIN_GRID;
    double *g = malloc(sizeof(double) * (N + 1) * (N + 1));
    if (!g)
        return hl_fail(HL_ENOMEM, "out of memory in phi_min");
#define G(i, j) g[(size_t)(i) * (N + 1) + (j)]
#define COORD(i) (-1.0 + 2.0 * (i) / N)
    double bs = 0, bd = 0, bv = INFINITY;
    for (int i = 0; i <= N; i++)
        for (int j = 0; j <= N; j++) {
            G(i, j) = phi_sd(m, COORD(i), COORD(j));
            consider(COORD(i), COORD(j), G(i, j), &bs, &bd, &bv);
        }
    /* edges: i = 0 or N (s = -+1), j = 0 or N (d = -+1) */
    for (int e = 0; e < 2; e++) {
        int fi = e ? N : 0;
        for (int j = 1; j < N; j++) {
            if (G(fi, j) <= G(fi, j - 1) && G(fi, j) <= G(fi, j + 1))
                refine_edge(m, 0, COORD(fi), COORD(j - 1), COORD(j),
                            COORD(j + 1), &bs, &bd, &bv);
            if (G(j, fi) <= G(j - 1, fi) && G(j, fi) <= G(j + 1, fi))
                refine_edge(m, 1, COORD(fi), COORD(j - 1), COORD(j),
                            COORD(j + 1), &bs, &bd, &bv);
        }
    }
    for (int i = 1; i < N; i++)
        for (int j = 1; j < N; j++) {
            double v = G(i, j);
            if (v <= G(i - 1, j) && v <= G(i + 1, j) && v <= G(i, j - 1) &&
                v <= G(i, j + 1))
                refine_interior(m, COORD(i), COORD(j), &bs, &bd, &bv);
        }
#undef G
#undef COORD
    free(g);
    *x = 0.5 * (bs + bd);
    *y = 0.5 * (bs - bd);
    *phi = bv;
    return HL_OK;
}

/* ---------------------------------------------------------------- B */

static int check_b(const hl_model *m, double tlo, double thi)
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

int hl_model_set_transmission(hl_model *m, const char *formula)
{
    if (!m)
        return hl_fail(HL_EINVAL, "hl_model_set_transmission: model is NULL");
    hl_expr_free(m->b_ev);
    m->b_ev = NULL;
    free(m->b_formula);
    m->b_formula = NULL;
    m->b_uses_T = 0;
    if (!formula)
        return HL_OK;
    static const char *const vars[] = {"x", "y", "T"};
    hl_expr *ev = NULL;
    int st = hl_expr_parse(formula, vars, 3, "transmission", &ev);
    if (st)
        return st;
    char *copy = strdup(formula);
    if (!copy) {
        hl_expr_free(ev);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    m->b_ev = ev;
    m->b_formula = copy;
    m->b_uses_T = hl_expr_uses(ev, 2);
    /* a B without T is checked now; one with T at the temperatures of each
     * run (hl_model_check_transmission*) */
    if (!m->b_uses_T && (st = check_b(m, 1.0, 1.0))) {
        hl_expr_free(m->b_ev);
        m->b_ev = NULL;
        free(m->b_formula);
        m->b_formula = NULL;
        return st;
    }
    return HL_OK;
}

const char *hl_model_transmission_formula(const hl_model *m)
{
    return m->b_formula ? m->b_formula : "1";
}

double hl_model_transmission(const hl_model *m, double x, double y, double T)
{
    if (!m->b_ev)
        return 1.0;
    double v[3] = {x, y, T};
    return hl_expr_eval(m->b_ev, v);
}

int hl_model_check_transmission_range(const hl_model *m, double T_lo, double T_hi)
{
    if (!m->b_ev || !m->b_uses_T)
        return HL_OK;
    if (!(T_lo > 0) || !(T_hi >= T_lo) || !isfinite(T_hi))
        return hl_fail(HL_EDOM, "temperature range [%g, %g] is not a positive finite range",
                       T_lo, T_hi);
    return check_b(m, T_lo, T_hi);
}

int hl_model_check_transmission(const hl_model *m, double T)
{
    return hl_model_check_transmission_range(m, T, T);
}

int hl_model_transmission_is_default(const hl_model *m) { return m->b_ev == NULL; }

/* ------------------------------------------------ checks where values are used */

int hl_class_phi(const hl_model *m, long h, long a, long b, double *phi)
{
    double x = hl_class_x(h, a, b), y = hl_class_y(h, a, b);
    double v = hl_model_phi(m, x, y);
    *phi = v;
    if (isfinite(v))
        return HL_OK;
    char ex[HL_CLIP_BUF];
    hl_clip(m->formula, ex);
    return hl_fail(HL_EDOM, "phi formula '%s': phi = %g at class (n, n1) = (%ld, %ld), (x, y) = "
                            "(%.9g, %.9g), D = %ld; phi must be finite on the square",
                   ex, v, a + b, a, x, y, 2 * h);
}

int hl_check_bond_b(double B, long a, long b, long a2, long b2, double x, double y, double T)
{
    if (B > 0 && isfinite(B))
        return HL_OK;
    return hl_fail(HL_EDOM, "transmission B = %g is not positive and finite at (x, y, T) = "
                            "(%.9g, %.9g, %.9g), between classes (n, n1) = (%ld, %ld) and "
                            "(%ld, %ld)",
                   B, x, y, T, a + b, a, a2 + b2, a2);
}
