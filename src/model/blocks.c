/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks.c -- the model of k blocks (blocks.h): phi(m1 .. mk) and B(m, T)
 * as formulas with symbolic derivatives, their check on the cube, the
 * block entropy w(m), the class counts, and the class-lattice master
 * equation (eq 5.2) as a reversible chain. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/blocks.h"
#include "hyperland/model.h"
#include "hyperland/output.h"
#include "core.h"
#include "formula.h"
#include "blocks_private.h"

/* Variables of the formulas: m1 .. mk, then x, y (k = 2 equal blocks
 * only), then T (transmission only).  Each variable is a linear function
 * of m: var_j = sum_i lin[j][i] m_i; the derivatives in m come from those
 * in the variables by the chain rule (the map is constant). */
#define MAXV (HL_BLOCKS_MAX + 3)

struct hl_blocks {
    int k;
    long *size;       /* k */
    long dim;
    double *frac;     /* k: D_i / D */
    long *stride;     /* k */
    long n_classes;   /* -1: too many */
    int pair;         /* k == 2, equal blocks: x, y defined */
    int nv;           /* variables of phi: k (+2 with x, y) */
    char *vname[MAXV];
    char *formula;
    hl_expr *phi;
    hl_expr **d1;     /* nv: d phi / d var_j (NULL when unused) */
    hl_expr **d2;     /* nv * nv: d2 phi / d var_j d var_l (j <= l) */
    char *b_formula;
    hl_expr *b;
    int b_uses_t;
    char note[160];
};

/* ------------------------------------------------------------ variables */

static double var_coef(const hl_blocks *b, int j, int i)
{
    if (j < b->k)
        return j == i ? 1.0 : 0.0;
    /* x = (m1 + m2) / 2, y = (m1 - m2) / 2 */
    if (j == b->k)
        return 0.5;
    return i == 0 ? 0.5 : -0.5;
}

static void box_vars(const hl_blocks *b, const double *lo, const double *hi, hl_interval *v);

static void vars_at(const hl_blocks *b, const double *m, double *v)
{
    for (int i = 0; i < b->k; i++)
        v[i] = m[i];
    if (b->pair) {
        v[2] = 0.5 * (m[0] + m[1]);
        v[3] = 0.5 * (m[0] - m[1]);
    }
}

/* ------------------------------------------------------------- the model */

void hl_blocks_free(hl_blocks *b)
{
    if (!b)
        return;
    if (b->d1)
        for (int j = 0; j < b->nv; j++)
            hl_expr_free(b->d1[j]);
    if (b->d2)
        for (int j = 0; j < b->nv * b->nv; j++)
            hl_expr_free(b->d2[j]);
    free(b->d1);
    free(b->d2);
    hl_expr_free(b->phi);
    hl_expr_free(b->b);
    free(b->formula);
    free(b->b_formula);
    for (int j = 0; j < MAXV; j++)
        free(b->vname[j]);
    free(b->size);
    free(b->frac);
    free(b->stride);
    free(b);
}

/* The default phi of blocks.h as text. */
static char *default_formula(const hl_blocks *b)
{
    size_t cap = 128 * (size_t)b->k + 16, len = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int j = 0; 2 * j < b->k; j++) {
        double wgt = (double)(b->size[2 * j] + b->size[2 * j + 1]) / (double)b->dim;
        int a = 2 * j + 1, d = 2 * j + 2;
        if (b->k == 2)
            len += (size_t)snprintf(s + len, cap - len, "m%d-(m%d+0.2)^2+0.38*(m%d+0.2)^3", a,
                                    d, d);
        else
            len += (size_t)snprintf(s + len, cap - len,
                                    "%s%.17g*(m%d-(m%d+0.2)^2+0.38*(m%d+0.2)^3)", j ? "+" : "",
                                    wgt, a, d, d);
    }
    return s;
}

/* Prove phi and its derivatives finite (|.| <= HL_PHI_LIMIT) on the box
 * lo..hi by interval arithmetic, subdividing along the widest side.
 * Returns 1 if proved, 0 if a point value is bad (HL_EDOM set), -1 if the
 * budget ran out for this box (then its corners and centre were checked
 * and found good). */
static int check_point(const hl_blocks *b, const double *m)
{
    double v[MAXV], g[HL_BLOCKS_MAX], h[HL_BLOCKS_MAX * HL_BLOCKS_MAX];
    vars_at(b, m, v);
    double phi = hl_blocks_phi_derivs(b, m, g, h);
    int bad = !(fabs(phi) <= HL_PHI_LIMIT);
    for (int i = 0; !bad && i < b->k; i++)
        bad = !(fabs(g[i]) <= HL_PHI_LIMIT);
    for (int i = 0; !bad && i < b->k * b->k; i++)
        bad = !(fabs(h[i]) <= HL_PHI_LIMIT);
    if (bad) {
        char pt[512];
        size_t len = 0;
        for (int i = 0; i < b->k && len < sizeof pt - 40; i++)
            len += (size_t)snprintf(pt + len, sizeof pt - len, "%sm%d = %.6g", i ? ", " : "",
                                    i + 1, m[i]);
        char ex[HL_CLIP_BUF], pv[32];
        hl_fail(HL_EDOM,
                "phi formula '%s': phi or a first or second derivative is not finite or "
                "exceeds %g at %s (phi = %s)",
                hl_clip(b->formula, ex), HL_PHI_LIMIT, pt, hl_msg_num(phi, pv));
        return 0;
    }
    return 1;
}

static int interval_ok(hl_interval r)
{
    return !r.nan && fabs(r.lo) <= HL_PHI_LIMIT && fabs(r.hi) <= HL_PHI_LIMIT;
}

static int box_proved(const hl_blocks *b, const double *lo, const double *hi)
{
    hl_interval v[MAXV];
    box_vars(b, lo, hi, v);
    if (!interval_ok(hl_expr_eval_interval(b->phi, v)))
        return 0;
    for (int j = 0; j < b->nv; j++) {
        if (b->d1[j] && !interval_ok(hl_expr_eval_interval(b->d1[j], v)))
            return 0;
        for (int l = j; l < b->nv; l++)
            if (b->d2[j * b->nv + l] &&
                !interval_ok(hl_expr_eval_interval(b->d2[j * b->nv + l], v)))
                return 0;
    }
    return 1;
}

/* What a proof on the cube checks: a box by intervals, a point by value. */
typedef struct {
    int (*box_ok)(const hl_blocks *b, const double *lo, const double *hi);
    int (*point_ok)(const hl_blocks *b, const double *m); /* 0 after hl_fail */
} box_check;

/* The variables' intervals over the box lo..hi of m. */
static void box_vars(const hl_blocks *b, const double *lo, const double *hi, hl_interval *v)
{
    for (int j = 0; j < b->nv; j++) {
        double a = 0.0, c = 0.0;
        for (int i = 0; i < b->k; i++) {
            double q = var_coef(b, j, i);
            a += q > 0 ? q * lo[i] : q * hi[i];
            c += q > 0 ? q * hi[i] : q * lo[i];
        }
        v[j] = (hl_interval){a, c, 0};
    }
}

/* Prove ck on the box lo..hi by intervals, subdividing along the widest
 * side.  1 if proved, 0 if a point fails (HL_EDOM set), -1 if the budget
 * (or a depth of 40) ran out for some box: its corners (up to 2^12) and
 * centre were then checked and found good. */
static int check_box(const hl_blocks *b, const box_check *ck, double *lo, double *hi,
                     long *budget, int depth)
{
    if (ck->box_ok(b, lo, hi))
        return 1;
    if (*budget <= 0 || depth > 40) {
        double m[HL_BLOCKS_MAX];
        int kc = b->k < 12 ? b->k : 12;
        for (long c = 0; c < (1L << kc); c++) {
            for (int i = 0; i < b->k; i++)
                m[i] = i < kc && ((c >> i) & 1) ? hi[i] : lo[i];
            if (!ck->point_ok(b, m))
                return 0;
        }
        for (int i = 0; i < b->k; i++)
            m[i] = 0.5 * (lo[i] + hi[i]);
        return ck->point_ok(b, m) ? -1 : 0;
    }
    (*budget)--;
    int w = 0;
    for (int i = 1; i < b->k; i++)
        if (hi[i] - lo[i] > hi[w] - lo[w])
            w = i;
    double keep_lo = lo[w], keep_hi = hi[w], mid = 0.5 * (lo[w] + hi[w]);
    hi[w] = mid;
    int r1 = check_box(b, ck, lo, hi, budget, depth + 1);
    hi[w] = keep_hi;
    if (r1 == 0)
        return 0;
    lo[w] = mid;
    int r2 = check_box(b, ck, lo, hi, budget, depth + 1);
    lo[w] = keep_lo;
    if (r2 == 0)
        return 0;
    return r1 < 0 || r2 < 0 ? -1 : 1;
}

/* ck on the whole cube [-1, 1]^k with a budget of 4000 boxes */
static int check_cube(const hl_blocks *b, const box_check *ck)
{
    double lo[HL_BLOCKS_MAX], hi[HL_BLOCKS_MAX];
    for (int i = 0; i < b->k; i++) {
        lo[i] = -1.0;
        hi[i] = 1.0;
    }
    long budget = 4000;
    return check_box(b, ck, lo, hi, &budget, 0);
}

static int check_phi(hl_blocks *b)
{
    static const box_check phi_check = {box_proved, check_point};
    int r = check_cube(b, &phi_check);
    if (r == 0)
        return HL_EDOM;
    if (r < 0)
        snprintf(b->note, sizeof b->note,
                 "phi not proved finite on all of the cube by interval arithmetic (budget of "
                 "4000 boxes); the rest checked at box corners and centres");
    return HL_OK;
}

static int set_names(hl_blocks *b)
{
    for (int i = 0; i < b->k; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "m%d", i + 1);
        if (!(b->vname[i] = strdup(nm)))
            return hl_fail(HL_ENOMEM, "out of memory");
    }
    b->nv = b->k;
    if (b->pair) {
        if (!(b->vname[2] = strdup("x")) || !(b->vname[3] = strdup("y")))
            return hl_fail(HL_ENOMEM, "out of memory");
        b->nv = 4;
    }
    return HL_OK;
}

static int build_phi(hl_blocks *b, const char *formula)
{
    int st = hl_expr_parse(formula, (const char *const *)b->vname, b->nv, "phi", &b->phi);
    if (st)
        return st;
    b->d1 = calloc((size_t)b->nv, sizeof *b->d1);
    b->d2 = calloc((size_t)(b->nv * b->nv), sizeof *b->d2);
    if (!b->d1 || !b->d2)
        return hl_fail(HL_ENOMEM, "out of memory");
    for (int j = 0; j < b->nv && !st; j++) {
        if (!hl_expr_uses(b->phi, j))
            continue;
        st = hl_expr_derivative(b->phi, j, &b->d1[j]);
        for (int l = j; l < b->nv && !st; l++)
            if (hl_expr_uses(b->d1[j], l))
                st = hl_expr_derivative(b->d1[j], l, &b->d2[j * b->nv + l]);
    }
    if (st) {
        char ex[HL_CLIP_BUF], msg[512];
        snprintf(msg, sizeof msg, "%s", hl_errmsg());
        return hl_fail(st, "phi formula '%s': %s", hl_clip(formula, ex), msg);
    }
    return HL_OK;
}

int hl_blocks_create(int k, const long *sizes, const char *phi_formula, hl_blocks **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_blocks_create: out is NULL");
    *out = NULL;
    if (k < 1 || k > HL_BLOCKS_MAX)
        return hl_fail(HL_EINVAL, "number of blocks %d outside 1 .. %d", k, HL_BLOCKS_MAX);
    if (!sizes)
        return hl_fail(HL_EINVAL, "hl_blocks_create: sizes is NULL");
    long dim = 0;
    for (int i = 0; i < k; i++) {
        if (sizes[i] < 1 || sizes[i] > 1000000000L)
            return hl_fail(HL_EINVAL, "block %d has size %ld (must be 1 .. 10^9)", i + 1,
                           sizes[i]);
        dim += sizes[i];
        if (dim > 1000000000L)
            return hl_fail(HL_EINVAL, "the blocks add up to more than 10^9 dimensions");
    }
    if (!phi_formula && k % 2)
        return hl_fail(HL_EINVAL,
                       "%d blocks: the default phi is the paper's for each pair of blocks, so "
                       "an odd number of blocks needs a phi formula",
                       k);
    hl_gsl_quiet();
    hl_blocks *b = calloc(1, sizeof *b);
    if (!b)
        return hl_fail(HL_ENOMEM, "out of memory");
    int st = HL_OK;
    b->k = k;
    b->dim = dim;
    b->size = malloc(sizeof(long) * (size_t)k);
    b->frac = malloc(sizeof(double) * (size_t)k);
    b->stride = malloc(sizeof(long) * (size_t)k);
    if (!b->size || !b->frac || !b->stride) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto fail;
    }
    b->n_classes = 1;
    for (int i = k - 1; i >= 0; i--) {
        b->size[i] = sizes[i];
        b->frac[i] = (double)sizes[i] / (double)dim;
        b->stride[i] = b->n_classes;
        if (b->n_classes > 0) {
            if (b->n_classes > (1L << 62) / (sizes[i] + 1))
                b->n_classes = -1;
            else
                b->n_classes *= sizes[i] + 1;
        }
    }
    b->pair = k == 2 && sizes[0] == sizes[1];
    if ((st = set_names(b)))
        goto fail;
    b->formula = phi_formula ? strdup(phi_formula) : default_formula(b);
    if (!b->formula) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto fail;
    }
    if ((st = build_phi(b, b->formula)) || (st = check_phi(b)))
        goto fail;
    *out = b;
    return HL_OK;
fail:
    hl_blocks_free(b);
    return st;
}

int hl_blocks_create_equal(int k, long dim, const char *phi_formula, hl_blocks **out)
{
    if (out)
        *out = NULL;
    if (k < 1 || k > HL_BLOCKS_MAX)
        return hl_fail(HL_EINVAL, "number of blocks %d outside 1 .. %d", k, HL_BLOCKS_MAX);
    if (dim < k || dim % k)
        return hl_fail(HL_EINVAL, "D = %ld is not a positive multiple of the %d blocks", dim, k);
    long sizes[HL_BLOCKS_MAX];
    for (int i = 0; i < k; i++)
        sizes[i] = dim / k;
    return hl_blocks_create(k, sizes, phi_formula, out);
}

/* ---------------------------------------------------------- transmission */

/* Prove B positive (a normal double) and finite on the cube at T = 1 by
 * intervals, subdividing up to a budget, then corners and centres. */
static int b_point_ok(const hl_blocks *b, const double *m)
{
    double B = hl_blocks_transmission(b, m, 1.0);
    if (isfinite(B) && B >= DBL_MIN)
        return 1;
    char pt[512];
    size_t len = 0;
    for (int i = 0; i < b->k && len < sizeof pt - 40; i++)
        len += (size_t)snprintf(pt + len, sizeof pt - len, "%sm%d = %.6g", i ? ", " : "", i + 1,
                                m[i]);
    char ex[HL_CLIP_BUF];
    hl_fail(HL_EDOM, "transmission '%s' is %g at %s: it must be positive and finite",
            hl_clip(b->b_formula, ex), B, pt);
    return 0;
}

/* B positive (a normal double) and finite over the box, at T = 1 (a B
 * without T) */
static int b_box_ok(const hl_blocks *b, const double *lo, const double *hi)
{
    hl_interval v[MAXV + 1];
    box_vars(b, lo, hi, v);
    v[b->nv] = (hl_interval){1.0, 1.0, 0};
    hl_interval r = hl_expr_eval_interval(b->b, v);
    return !r.nan && r.lo >= DBL_MIN && r.hi <= DBL_MAX;
}

int hl_blocks_set_transmission(hl_blocks *b, const char *formula)
{
    if (!b)
        return hl_fail(HL_EINVAL, "hl_blocks_set_transmission: model is NULL");
    hl_expr_free(b->b);
    b->b = NULL;
    free(b->b_formula);
    b->b_formula = NULL;
    b->b_uses_t = 0;
    if (!formula)
        return HL_OK;
    const char *names[MAXV + 1];
    for (int j = 0; j < b->nv; j++)
        names[j] = b->vname[j];
    names[b->nv] = "T";
    hl_expr *e = NULL;
    int st = hl_expr_parse(formula, names, b->nv + 1, "transmission", &e);
    if (st)
        return st;
    char *copy = strdup(formula);
    if (!copy) {
        hl_expr_free(e);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    b->b = e;
    b->b_formula = copy;
    b->b_uses_t = hl_expr_uses(e, b->nv);
    if (!b->b_uses_t) {
        static const box_check b_check = {b_box_ok, b_point_ok};
        if (check_cube(b, &b_check) == 0) {
            hl_expr_free(b->b);
            b->b = NULL;
            free(b->b_formula);
            b->b_formula = NULL;
            return HL_EDOM;
        }
    }
    return HL_OK;
}

/* ------------------------------------------------------------ accessors */

int hl_blocks_k(const hl_blocks *b) { return b->k; }
long hl_blocks_dim(const hl_blocks *b) { return b->dim; }
long hl_blocks_size(const hl_blocks *b, int i)
{
    return i >= 0 && i < b->k ? b->size[i] : -1;
}
int hl_blocks_is_paper_pair(const hl_blocks *b) { return b->pair; }
int hl_blocks_phi_is_constant(const hl_blocks *b)
{
    for (int j = 0; j < b->nv; j++)
        if (b->d1[j])
            return 0;
    return 1;
}
const char *hl_blocks_phi_formula(const hl_blocks *b) { return b->formula; }
const char *hl_blocks_transmission_formula(const hl_blocks *b)
{
    return b->b_formula ? b->b_formula : "1";
}
int hl_blocks_transmission_uses_t(const hl_blocks *b) { return b->b_uses_t; }
const char *hl_blocks_check_note(const hl_blocks *b) { return b->note; }

/* ----------------------------------------------------------- evaluation */

double hl_blocks_phi(const hl_blocks *b, const double *m)
{
    double v[MAXV];
    vars_at(b, m, v);
    return hl_expr_eval(b->phi, v);
}

double hl_blocks_phi_derivs(const hl_blocks *b, const double *m, double *grad, double *hess)
{
    double v[MAXV], g[MAXV], h[MAXV * MAXV];
    int nv = b->nv, k = b->k;
    vars_at(b, m, v);
    double phi = hl_expr_eval(b->phi, v);
    if (!grad && !hess)
        return phi;
    for (int j = 0; j < nv; j++) {
        g[j] = b->d1[j] ? hl_expr_eval(b->d1[j], v) : 0.0;
        for (int l = j; l < nv; l++)
            h[j * nv + l] = h[l * nv + j] =
                b->d2[j * nv + l] ? hl_expr_eval(b->d2[j * nv + l], v) : 0.0;
    }
    if (!b->pair) { /* variables are m itself */
        if (grad)
            memcpy(grad, g, sizeof(double) * (size_t)k);
        if (hess)
            for (int i = 0; i < k; i++)
                for (int l = 0; l < k; l++)
                    hess[i * k + l] = h[i * nv + l];
        return phi;
    }
    /* chain rule through the constant map var_j = sum_i c_ji m_i */
    for (int i = 0; i < k; i++) {
        if (grad) {
            double s = 0.0;
            for (int j = 0; j < nv; j++)
                s += var_coef(b, j, i) * g[j];
            grad[i] = s;
        }
        if (hess)
            for (int l = 0; l < k; l++) {
                double s = 0.0;
                for (int j = 0; j < nv; j++)
                    for (int q = 0; q < nv; q++)
                        s += var_coef(b, j, i) * h[j * nv + q] * var_coef(b, q, l);
                hess[i * k + l] = s;
            }
    }
    return phi;
}

double hl_blocks_transmission(const hl_blocks *b, const double *m, double T)
{
    if (!b->b)
        return 1.0;
    double v[MAXV + 1];
    vars_at(b, m, v);
    v[b->nv] = T;
    return hl_expr_eval(b->b, v);
}

double hl_blocks_w(const hl_blocks *b, const double *m, double *grad, double *hess_diag)
{
    double w = 0.0;
    for (int i = 0; i < b->k; i++) {
        double x = m[i];
        if (!(fabs(x) <= 1.0))
            return NAN;
        /* h(m) = ln 2 - [(1+m) ln(1+m) + (1-m) ln(1-m)] / 2 */
        double t1 = 1.0 + x > 0 ? (1.0 + x) * log1p(x) : 0.0;
        double t2 = 1.0 - x > 0 ? (1.0 - x) * log1p(-x) : 0.0;
        w += b->frac[i] * (0.69314718055994530942 - 0.5 * (t1 + t2));
        if (grad)
            grad[i] = -b->frac[i] * atanh(x);
        if (hess_diag)
            hess_diag[i] = -b->frac[i] / ((1.0 - x) * (1.0 + x));
    }
    return w;
}

/* -------------------------------------------------------------- classes */

long hl_blocks_n_classes(const hl_blocks *b) { return b->n_classes; }

int hl_blocks_class(const hl_blocks *b, long idx, long *n, double *m)
{
    if (b->n_classes < 0 || idx < 0 || idx >= b->n_classes)
        return hl_fail(HL_EINVAL, "class index %ld outside 0 .. %ld", idx, b->n_classes - 1);
    for (int i = 0; i < b->k; i++) {
        long ni = (idx / b->stride[i]) % (b->size[i] + 1);
        if (n)
            n[i] = ni;
        if (m)
            /* (2 n_i - D_i) / D_i: exact numerator, so mirror classes get
             * exactly opposite m (2 n / D - 1 does not: n = 2, 1 of 3 give
             * 0.33333333333333326 and -0.33333333333333337) */
            m[i] = (double)(2 * ni - b->size[i]) / (double)b->size[i];
    }
    return HL_OK;
}

double hl_blocks_ln_count(const hl_blocks *b, const long *n)
{
    double s = 0.0;
    for (int i = 0; i < b->k; i++)
        s += hl_lnchoose(b->size[i], n[i]);
    return s;
}

/* ---------------------------------------------------------------- chain */

/* An enclosure of phi over the box lo .. hi (as hl_blocks_derivs_box) */
static hl_interval phi_box(const hl_blocks *b, const double *lo, const double *hi)
{
    hl_interval v[MAXV];
    box_vars(b, lo, hi, v);
    for (int j = b->k; j < b->nv; j++) /* x, y: sums of the m, rounded */
        v[j] = (hl_interval){nextafter(v[j].lo, -INFINITY), nextafter(v[j].hi, INFINITY), 0};
    return hl_expr_eval_interval(b->phi, v);
}

/* ln C(h, n) in long double; *err: a bound of its error (lgammal to 8 ulps
 * of a long double, two subtractions) */
static long double lnchoose_l(long h, long n, long double *err)
{
    if (n == 0 || n == h) {
        *err = 0;
        return 0;
    }
    long double a = lgammal((long double)h + 1), c = lgammal((long double)n + 1),
                d = lgammal((long double)(h - n) + 1);
    *err = LDBL_EPSILON * (4 * (fabsl(a) + fabsl(c) + fabsl(d)) + fabsl(a) + fabsl(a - c));
    return a - c - d;
}

int hl_blocks_chain(const hl_blocks *b, double beta, hl_chain **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_blocks_chain: out is NULL");
    *out = NULL;
    if (!(beta > 0) || !isfinite(beta))
        return hl_fail(HL_EDOM, "beta = %g: must be positive and finite", beta);
    if (b->n_classes < 0 || b->n_classes > (1L << 31))
        return hl_fail(HL_ERANGE, "the class lattice of D = %ld in %d blocks has more than 2^31 "
                                  "classes",
                       b->dim, b->k);
    long N = b->n_classes;
    double T = 1.0 / beta, D = (double)b->dim;
    hl_chain *c = NULL;
    double *S = malloc(sizeof(double) * (size_t)N), *E = malloc(sizeof(double) * (size_t)N);
    double *se = malloc(sizeof(double) * (size_t)N), *ee = malloc(sizeof(double) * (size_t)N);
    int st = HL_OK, errs = 1;
    if (!S || !E || !se || !ee) {
        st = hl_fail(HL_ENOMEM, "out of memory (class lattice of %ld classes)", N);
        goto done;
    }
    if ((st = hl_chain_create(N, &c)))
        goto done;
    long n[HL_BLOCKS_MAX];
    double m[HL_BLOCKS_MAX];
    /* ln W = sum ln C(D_i, n_i) in long double (lgamma in double loses
     * digits: ln C(2000, 1000) = 13206 - 2 x 5912, 1e-12 absolute), then
     * rounded once; the error of each part is kept for the rates' bounds
     * (hl_chain_set_input_errors): ln W's rounding, the exact residual
     * |(double) S - S| plus lgammal's, and phi's, from an enclosure of phi
     * over the ulp interval around m (which holds the exact (2 n - D) / D)
     * and the product D phi */
    for (long idx = 0; idx < N; idx++) {
        hl_blocks_class(b, idx, n, m);
        long double sl = 0, el = 0;
        for (int i = 0; i < b->k; i++) {
            long double ei;
            sl += lnchoose_l(b->size[i], n[i], &ei);
            el += ei + LDBL_EPSILON * fabsl(sl);
        }
        S[idx] = (double)sl;
        se[idx] = (double)(fabsl((long double)S[idx] - sl) + el);
        se[idx] = nextafter(se[idx], INFINITY);
        double phi = hl_blocks_phi(b, m);
        if (!isfinite(phi)) {
            char pv[32];
            st = hl_fail(HL_EDOM, "phi is %s at class %ld (m1 = %g)", hl_msg_num(phi, pv), idx,
                         m[0]);
            goto done;
        }
        E[idx] = D * phi;
        if (errs) {
            double lo[HL_BLOCKS_MAX], hi[HL_BLOCKS_MAX];
            for (int i = 0; i < b->k; i++) {
                lo[i] = nextafter(m[i], -INFINITY);
                hi[i] = nextafter(m[i], INFINITY);
            }
            hl_interval iv = phi_box(b, lo, hi);
            double w = fmax(iv.hi - phi, phi - iv.lo);
            ee[idx] = D * w * (1 + 0x1p-52) + 0x1p-53 * fabs(E[idx]);
            if (iv.nan || !isfinite(ee[idx]))
                errs = 0; /* no enclosure: the bounds are the methods' alone */
        }
    }
    if ((st = hl_chain_set_states(c, S, E)))
        goto done;
    double edge_err = 0;
    for (int i = 0; i < b->k; i++)
        for (long idx = 0; idx < N; idx++) {
            hl_blocks_class(b, idx, n, m);
            long ni = n[i];
            if (ni == b->size[i])
                continue;
            double mm[HL_BLOCKS_MAX];
            memcpy(mm, m, sizeof(double) * (size_t)b->k);
            mm[i] = (double)(2 * ni + 1 - b->size[i]) / (double)b->size[i]; /* midpoint */
            double B = hl_blocks_transmission(b, mm, T);
            if (!(isfinite(B) && B >= DBL_MIN)) {
                char ex[HL_CLIP_BUF];
                st = hl_fail(HL_EDOM,
                             "transmission '%s' is %g between classes %ld and %ld (block %d, "
                             "T = %g): it must be positive and finite",
                             hl_clip(hl_blocks_transmission_formula(b), ex), B, idx,
                             idx + b->stride[i], i + 1, T);
                goto done;
            }
            double lnA = log(B) + 0.5 * (log((double)(b->size[i] - ni)) + log((double)ni + 1.0));
            if ((st = hl_chain_add_edge(c, idx, idx + b->stride[i], lnA, 0.0)))
                goto done;
            /* three logs (an ulp each) and two sums; B's own rounding
             * taken as 8 ulps of it */
            edge_err = fmax(edge_err, 0x1p-53 * (10 * fabs(log(B)) + 4 * fabs(lnA) +
                                                 3 * log((double)b->size[i] + 1.0) + 4));
        }
    if (errs)
        st = hl_chain_set_input_errors(c, se, ee, edge_err);
done:
    free(S);
    free(E);
    free(se);
    free(ee);
    if (st)
        hl_chain_free(c);
    else
        *out = c;
    return st;
}

/* ------------------------------------------------- enclosures over boxes */

static hl_interval iv_lin(hl_interval a, double c, hl_interval acc)
{
    /* acc + c a with c in {0, +-0.5, +-1} (exact products), outward sum */
    if (c == 0.0)
        return acc;
    double lo = c > 0 ? c * a.lo : c * a.hi, hi = c > 0 ? c * a.hi : c * a.lo;
    hl_interval r = {nextafter(acc.lo + lo, -INFINITY), nextafter(acc.hi + hi, INFINITY),
                     acc.nan | a.nan};
    if (isnan(r.lo))
        r.lo = -INFINITY;
    if (isnan(r.hi))
        r.hi = INFINITY;
    return r;
}

void hl_blocks_derivs_box(const hl_blocks *b, const double *lo, const double *hi,
                          hl_interval *grad, hl_interval *hess)
{
    hl_interval v[MAXV], g[MAXV], h[MAXV * MAXV];
    int nv = b->nv, k = b->k;
    for (int j = 0; j < nv; j++) {
        double a = 0.0, c = 0.0;
        for (int i = 0; i < k; i++) {
            double q = var_coef(b, j, i);
            a += q > 0 ? q * lo[i] : q * hi[i];
            c += q > 0 ? q * hi[i] : q * lo[i];
        }
        /* x, y of two terms: widen by an ulp (the sum may round) */
        v[j] = j < k ? (hl_interval){a, c, 0}
                     : (hl_interval){nextafter(a, -INFINITY), nextafter(c, INFINITY), 0};
    }
    const hl_interval zero = {0.0, 0.0, 0};
    for (int j = 0; j < nv; j++) {
        g[j] = (grad && b->d1[j]) ? hl_expr_eval_interval(b->d1[j], v) : zero;
        for (int l = j; l < nv; l++)
            h[j * nv + l] = h[l * nv + j] =
                (hess && b->d2[j * nv + l]) ? hl_expr_eval_interval(b->d2[j * nv + l], v) : zero;
    }
    for (int i = 0; i < k; i++) {
        if (grad) {
            hl_interval s = zero;
            for (int j = 0; j < nv; j++)
                s = iv_lin(g[j], var_coef(b, j, i), s);
            grad[i] = b->pair ? s : g[i];
        }
        if (hess)
            for (int l = 0; l < k; l++) {
                if (!b->pair) {
                    hess[i * k + l] = h[i * nv + l];
                    continue;
                }
                hl_interval s = zero;
                for (int j = 0; j < nv; j++)
                    for (int q = 0; q < nv; q++)
                        s = iv_lin(h[j * nv + q], var_coef(b, j, i) * var_coef(b, q, l), s);
                hess[i * k + l] = s;
            }
    }
}

double hl_blocks_fraction(const hl_blocks *b, int i)
{
    return i >= 0 && i < b->k ? b->frac[i] : NAN;
}
