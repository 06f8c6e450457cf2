/* SPDX-License-Identifier: GPL-3.0-or-later */
/* brute.h -- brute-force finite-D thermodynamics over all (D/2 + 1)^2 classes
 * (a, b) = (n1, n - n1) for small D, written independently of the library:
 * exact Pascal binomials, plain log-sum-exp, two-pass moments, and the
 * steepest ascent of ln Q = ln W - beta D phi over the moves (a+1, b),
 * (a-1, b), (a, b+1), (a, b-1) (first strictly largest wins). */
#ifndef HL_BRUTE_H
#define HL_BRUTE_H

#include <string.h>

#include "test_util.h"

typedef double (*phi_fn)(double x, double y);

#define BRUTE_MAX_ENDS 64

typedef struct {
    long D;
    int h;
    double beta;
    double *lnc;    /* ln C(h, k): exact Pascal for h <= 50, else lgamma */
    double *lnq_;   /* unnormalised ln Q, (h+1)^2, row a */
    int *end_;      /* index into ends */
    int nends;
    int end_a[BRUTE_MAX_ENDS], end_b[BRUTE_MAX_ENDS];
    double lnz, mean_x, mean_y, mean_phi, mean_w;
    double cov_xx, cov_xy, cov_yy, var_phi, heat;
    double ln_p_end[BRUTE_MAX_ENDS]; /* ln probability of each end's basin */
} brute_t;

#define BQ(r, a, b) ((r)->lnq_[(size_t)(a) * ((r)->h + 1) + (size_t)(b)])
#define BEND(r, a, b) ((r)->end_[(size_t)(a) * ((r)->h + 1) + (size_t)(b)])

static inline double brute_x(int h, int a, int b) { return (double)(a + b) / h - 1.0; }
static inline double brute_y(int h, int a, int b) { return (double)(a - b) / h; }

static inline brute_t *brute_new(long D)
{
    brute_t *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->D = D;
    r->h = (int)(D / 2);
    size_t n1 = (size_t)r->h + 1;
    r->lnc = malloc(sizeof(double) * n1);
    r->lnq_ = malloc(sizeof(double) * n1 * n1);
    r->end_ = malloc(sizeof(int) * n1 * n1);
    assert_true(r->lnc && r->lnq_ && r->end_);
    double lh = lgamma(r->h + 1.0);
    for (int k = 0; k <= r->h; k++)
        r->lnc[k] = r->h <= PASCAL_MAX
                        ? ln_choose_exact(r->h, k)
                        : lh - lgamma(k + 1.0) - lgamma(r->h - k + 1.0);
    return r;
}

static inline void brute_free(brute_t *r)
{
    if (!r)
        return;
    free(r->lnc);
    free(r->lnq_);
    free(r->end_);
    free(r);
}

/* the steepest-ascent successor of (a, b); 0 if it is a local maximum */
static inline int brute_step(const brute_t *r, int *a, int *b)
{
    static const int da[4] = {1, -1, 0, 0}, db[4] = {0, 0, 1, -1};
    double best = BQ(r, *a, *b);
    int k = -1;
    for (int q = 0; q < 4; q++) {
        int na = *a + da[q], nb = *b + db[q];
        if (na < 0 || nb < 0 || na > r->h || nb > r->h)
            continue;
        if (BQ(r, na, nb) > best) {
            best = BQ(r, na, nb);
            k = q;
        }
    }
    if (k < 0)
        return 0;
    *a += da[k];
    *b += db[k];
    return 1;
}

/* follow the ascent from (a0, b0), memoised in end_ (-1: unknown) */
static inline int brute_end_of(brute_t *r, int a0, int b0)
{
    int a = a0, b = b0;
    while (BEND(r, a, b) < 0) {
        int na = a, nb = b;
        if (!brute_step(r, &na, &nb)) {
            assert_true(r->nends < BRUTE_MAX_ENDS);
            r->end_a[r->nends] = a;
            r->end_b[r->nends] = b;
            BEND(r, a, b) = r->nends++;
            break;
        }
        a = na;
        b = nb;
    }
    int e = BEND(r, a, b);
    /* write the label along the path */
    a = a0;
    b = b0;
    while (BEND(r, a, b) < 0) {
        BEND(r, a, b) = e;
        brute_step(r, &a, &b);
    }
    return e;
}

static inline void brute_compute(brute_t *r, phi_fn phi, double beta)
{
    int h = r->h;
    double D = (double)r->D;
    r->beta = beta;
    lse_acc z;
    lse_init(&z);
    for (int a = 0; a <= h; a++)
        for (int b = 0; b <= h; b++) {
            BQ(r, a, b) = r->lnc[a] + r->lnc[b] -
                          beta * D * phi(brute_x(h, a, b), brute_y(h, a, b));
            lse_add(&z, BQ(r, a, b));
            BEND(r, a, b) = -1;
        }
    r->lnz = lse_value(&z);
    double mx = 0, my = 0, mp = 0, mw = 0;
    for (int a = 0; a <= h; a++)
        for (int b = 0; b <= h; b++) {
            double p = exp(BQ(r, a, b) - r->lnz);
            double x = brute_x(h, a, b), y = brute_y(h, a, b);
            mx += p * x;
            my += p * y;
            mp += p * phi(x, y);
            mw += p * (r->lnc[a] + r->lnc[b]);
        }
    double cxx = 0, cxy = 0, cyy = 0, vp = 0;
    for (int a = 0; a <= h; a++)
        for (int b = 0; b <= h; b++) {
            double p = exp(BQ(r, a, b) - r->lnz);
            double u = brute_x(h, a, b) - mx, v = brute_y(h, a, b) - my;
            double q = phi(brute_x(h, a, b), brute_y(h, a, b)) - mp;
            cxx += p * u * u;
            cxy += p * u * v;
            cyy += p * v * v;
            vp += p * q * q;
        }
    r->mean_x = mx;
    r->mean_y = my;
    r->mean_phi = mp;
    r->mean_w = mw / D;
    r->cov_xx = cxx;
    r->cov_xy = cxy;
    r->cov_yy = cyy;
    r->var_phi = vp;
    /* C = beta^2 Var(Phi) / D with Phi = D phi */
    r->heat = beta * beta * D * vp;

    /* steepest-ascent basins */
    r->nends = 0;
    for (int a = 0; a <= h; a++)
        for (int b = 0; b <= h; b++)
            brute_end_of(r, a, b);
    lse_acc acc[BRUTE_MAX_ENDS];
    for (int e = 0; e < r->nends; e++)
        lse_init(&acc[e]);
    for (int a = 0; a <= h; a++)
        for (int b = 0; b <= h; b++)
            lse_add(&acc[BEND(r, a, b)], BQ(r, a, b));
    for (int e = 0; e < r->nends; e++)
        r->ln_p_end[e] = lse_value(&acc[e]) - r->lnz;
}

/* Name each ascent end after the nearest continuous maximum of f (the
 * library's convention; the maxima and their names come from the library's
 * hl_maxima_at / hl_name_maxima, which are tested on their own). */
static inline void brute_end_names(const brute_t *r, const hl_model *m,
                                   char (*names)[16])
{
    hl_stationary mx[16];
    char mnames[16][16];
    size_t n = 0;
    CHECK_OK(hl_maxima_at(m, r->beta, mx, 16, &n));
    assert_true(n >= 1 && n <= 16);
    CHECK_OK(hl_name_maxima(m, r->beta, mx, n, mnames));
    for (int e = 0; e < r->nends; e++) {
        double x = brute_x(r->h, r->end_a[e], r->end_b[e]);
        double y = brute_y(r->h, r->end_a[e], r->end_b[e]);
        double best = INFINITY;
        for (size_t k = 0; k < n; k++) {
            double dd = (mx[k].x - x) * (mx[k].x - x) + (mx[k].y - y) * (mx[k].y - y);
            if (dd < best) {
                best = dd;
                memcpy(names[e], mnames[k], 16);
            }
        }
    }
}

/* ln P of the basin called name (all ends with that name); -inf if none */
static inline double brute_basin_lnp(const brute_t *r, char (*names)[16],
                                     const char *name, int *best_end)
{
    lse_acc acc;
    lse_init(&acc);
    *best_end = -1;
    for (int e = 0; e < r->nends; e++)
        if (strcmp(names[e], name) == 0) {
            lse_add(&acc, r->ln_p_end[e]);
            if (*best_end < 0 ||
                BQ(r, r->end_a[e], r->end_b[e]) >
                    BQ(r, r->end_a[*best_end], r->end_b[*best_end]))
                *best_end = e;
        }
    return acc.max == -INFINITY ? -INFINITY : lse_value(&acc);
}

#endif
