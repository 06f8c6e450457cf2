/* model.c -- phi(x, y) (eq 4.11 or a user formula), W(n, n1) (eq 4.9) and
 * w(x, y) (eq 4.10). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_sf_gamma.h>
#include <matheval.h>

#include "internal.h"

enum { DER_PHI, DER_X, DER_Y, DER_XX, DER_XY, DER_YY, DER_COUNT };

struct hl_model {
    int is_default;
    char *formula;
    void *ev[DER_COUNT]; /* libmatheval evaluators (user formula only) */
    double grad_s_bound, grad_d_bound;
    char *b_formula; /* transmission B(x, y, T); NULL: B = 1 */
    void *b_ev;
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

double hl_model_phi(const hl_model *m, double x, double y)
{
    if (m->is_default) {
        double u = x - y + 0.2;
        return x + y - u * u + 0.38 * u * u * u;
    }
    return evaluator_evaluate_x_y(m->ev[DER_PHI], x, y);
}

void hl_model_phi_derivs(const hl_model *m, double x, double y,
                         hl_phi_derivs *o)
{
    if (m->is_default) {
        default_derivs(x, y, o);
        return;
    }
    o->phi = evaluator_evaluate_x_y(m->ev[DER_PHI], x, y);
    o->phi_x = evaluator_evaluate_x_y(m->ev[DER_X], x, y);
    o->phi_y = evaluator_evaluate_x_y(m->ev[DER_Y], x, y);
    o->phi_xx = evaluator_evaluate_x_y(m->ev[DER_XX], x, y);
    o->phi_xy = evaluator_evaluate_x_y(m->ev[DER_XY], x, y);
    o->phi_yy = evaluator_evaluate_x_y(m->ev[DER_YY], x, y);
}

const char *hl_model_phi_formula(const hl_model *m) { return m->formula; }
int hl_model_is_default(const hl_model *m) { return m->is_default; }

void hl_model_gradient_bounds(const hl_model *m, double *gs, double *gd)
{
    *gs = m->grad_s_bound;
    *gd = m->grad_d_bound;
}

void hl_model_free(hl_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < DER_COUNT; i++)
        if (m->ev[i])
            evaluator_destroy(m->ev[i]);
    free(m->formula);
    if (m->b_ev)
        evaluator_destroy(m->b_ev);
    free(m->b_formula);
    free(m);
}

#define CHECK_GRID 100

/* Check finiteness on a grid of the closed square and record gradient
 * bounds. */
static int scan_square(hl_model *m)
{
    static const char *what[] = {"phi", "dphi/dx", "dphi/dy", "d2phi/dx2",
                                 "d2phi/dxdy", "d2phi/dy2"};
    double gs = 0, gd = 0;
    for (int i = 0; i <= CHECK_GRID; i++) {
        for (int j = 0; j <= CHECK_GRID; j++) {
            double s = -1.0 + 2.0 * i / CHECK_GRID;
            double d = -1.0 + 2.0 * j / CHECK_GRID;
            double x = 0.5 * (s + d), y = 0.5 * (s - d);
            hl_phi_derivs o;
            hl_model_phi_derivs(m, x, y, &o);
            double v[DER_COUNT] = {o.phi,    o.phi_x,  o.phi_y,
                                   o.phi_xx, o.phi_xy, o.phi_yy};
            for (int k = 0; k < DER_COUNT; k++)
                if (!isfinite(v[k]) || fabs(v[k]) > 1e12)
                    return hl_fail(HL_EDOM,
                                   "phi formula: %s is not finite at (x, y) = "
                                   "(%g, %g) in the square |x| + |y| <= 1",
                                   what[k], x, y);
            double ps = 0.5 * (o.phi_x + o.phi_y);
            double pd = 0.5 * (o.phi_x - o.phi_y);
            if (fabs(ps) > gs) gs = fabs(ps);
            if (fabs(pd) > gd) gd = fabs(pd);
        }
    }
    m->grad_s_bound = 1.1 * gs + 1e-3;
    m->grad_d_bound = 1.1 * gd + 1e-3;
    return HL_OK;
}

int hl_model_create(const char *formula, hl_model **out)
{
    hl_gsl_quiet();
    if (!out)
        return hl_fail(HL_EINVAL, "hl_model_create: out is NULL");
    *out = NULL;
    char cf[HL_CLIP_BUF], cn[HL_CLIP_BUF]; /* formula and names as messages show them */
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
    } else {
        size_t len = strlen(formula);
        if (len == 0 || strspn(formula, " \t\n") == len) {
            st = hl_fail(HL_EPARSE, "phi formula is empty");
            goto fail;
        }
        m->formula = strdup(formula);
        if (!m->formula) {
            st = hl_fail(HL_ENOMEM, "out of memory");
            goto fail;
        }
        m->ev[DER_PHI] = evaluator_create(m->formula);
        if (!m->ev[DER_PHI]) {
            st = hl_fail(HL_EPARSE, "phi formula '%s' does not parse "
                                    "(libmatheval syntax, variables x and y)",
                         hl_clip(formula, cf));
            goto fail;
        }
        char **names;
        int count;
        evaluator_get_variables(m->ev[DER_PHI], &names, &count);
        for (int i = 0; i < count; i++) {
            if (strcmp(names[i], "x") != 0 && strcmp(names[i], "y") != 0) {
                st = hl_fail(HL_EPARSE, "phi formula '%s' uses the variable "
                                        "'%s'; only x and y are allowed",
                             hl_clip(formula, cf), hl_clip(names[i], cn));
                goto fail;
            }
        }
        m->ev[DER_X] = evaluator_derivative_x(m->ev[DER_PHI]);
        m->ev[DER_Y] = evaluator_derivative_y(m->ev[DER_PHI]);
        if (m->ev[DER_X] && m->ev[DER_Y]) {
            m->ev[DER_XX] = evaluator_derivative_x(m->ev[DER_X]);
            m->ev[DER_XY] = evaluator_derivative_y(m->ev[DER_X]);
            m->ev[DER_YY] = evaluator_derivative_y(m->ev[DER_Y]);
        }
        for (int i = 0; i < DER_COUNT; i++)
            if (!m->ev[i]) {
                st = hl_fail(HL_EPARSE, "phi formula '%s': symbolic "
                                        "derivatives could not be formed",
                             hl_clip(formula, cf));
                goto fail;
            }
    }
    st = scan_square(m);
    if (st)
        goto fail;
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

/* Temperatures at which a transmission formula is checked when it is set. */
static const double B_CHECK_T[] = {0.01, 0.1, 0.5, 1.0, 2.0, 10.0, 100.0};

int hl_model_set_transmission(hl_model *m, const char *formula)
{
    if (!m)
        return hl_fail(HL_EINVAL, "hl_model_set_transmission: model is NULL");
    char cf[HL_CLIP_BUF], cn[HL_CLIP_BUF]; /* formula and names as messages show them */
    if (m->b_ev) {
        evaluator_destroy(m->b_ev);
        m->b_ev = NULL;
    }
    free(m->b_formula);
    m->b_formula = NULL;
    if (!formula)
        return HL_OK;
    size_t len = strlen(formula);
    if (len == 0 || strspn(formula, " \t\n") == len)
        return hl_fail(HL_EPARSE, "transmission formula is empty");
    char *copy = strdup(formula);
    if (!copy)
        return hl_fail(HL_ENOMEM, "out of memory");
    void *ev = evaluator_create(copy);
    if (!ev) {
        free(copy);
        return hl_fail(HL_EPARSE, "transmission formula '%s' does not parse "
                                  "(libmatheval syntax, variables x, y and T)",
                       hl_clip(formula, cf));
    }
    char **names;
    int count;
    evaluator_get_variables(ev, &names, &count);
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], "x") && strcmp(names[i], "y") && strcmp(names[i], "T")) {
            int st = hl_fail(HL_EPARSE, "transmission formula '%s' uses the variable "
                                        "'%s'; only x, y and T are allowed",
                             hl_clip(formula, cf), hl_clip(names[i], cn));
            evaluator_destroy(ev);
            free(copy);
            return st;
        }
    m->b_ev = ev;
    m->b_formula = copy;
    /* positive and finite on the closed square, at a spread of T */
    for (size_t k = 0; k < sizeof B_CHECK_T / sizeof B_CHECK_T[0]; k++) {
        int st = hl_model_check_transmission(m, B_CHECK_T[k]);
        if (st) {
            evaluator_destroy(m->b_ev);
            m->b_ev = NULL;
            free(m->b_formula);
            m->b_formula = NULL;
            return st;
        }
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
    char *names[3] = {"x", "y", "T"};
    double values[3] = {x, y, T};
    return evaluator_evaluate(m->b_ev, 3, names, values);
}

int hl_model_check_transmission(const hl_model *m, double T)
{
    if (!m->b_ev)
        return HL_OK;
    for (int i = 0; i <= CHECK_GRID; i++)
        for (int j = 0; j <= CHECK_GRID; j++) {
            double sv = -1.0 + 2.0 * i / CHECK_GRID, dv = -1.0 + 2.0 * j / CHECK_GRID;
            double x = 0.5 * (sv + dv), y = 0.5 * (sv - dv);
            double b = hl_model_transmission(m, x, y, T);
            if (!isfinite(b) || !(b > 0))
                return hl_fail(HL_EDOM, "transmission B = %g is not positive and finite "
                                        "at (x, y) = (%g, %g), T = %g",
                               b, x, y, T);
        }
    return HL_OK;
}

int hl_model_transmission_is_default(const hl_model *m) { return m->b_ev == NULL; }
