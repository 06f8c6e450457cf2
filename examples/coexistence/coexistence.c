/* SPDX-License-Identifier: GPL-3.0-or-later */
/* coexistence.c -- phase coexistence and nucleation from the model itself
 * (issue 12, section VI of the paper): M copies of the paper's system
 * (2M blocks, hl_blocks_create_copies) with an interface term gamma I,
 * I = (1/M) sum_j (d_j - dbar)^2.
 *
 *   1. the paper's melting point beta_m, its two maxima and their saddle
 *      (hl_phases_compute);
 *   2. at gamma = 0 and beta_m: the maxima of f = w - beta phi in the
 *      2M-cube with j crystalline copies, j = 0 .. M, all of one f (the
 *      'm' points joined through mixed states), M = 1 .. 4;
 *   3. for gamma > 0: how much the mixed states lie below the pure ones,
 *      and every index-1 saddle, by Newton continuation in gamma of every
 *      stationary point that starts at gamma = 0 with each copy at one of
 *      the paper's three points (each point's index from the eigenvalues
 *      of the Hessian; a branch that fails, jumps or merges with another is
 *      gone).  Each saddle is labelled by the two maxima it really joins
 *      (ascent from it along +- its unstable direction): j -> j' (c), c the
 *      number of copies that change phase.  Above the fold where a mixed
 *      maximum meets its saddle, the saddle that led to it joins maxima two
 *      copies apart (M = 3: 1 -> 3 (2) above gamma = 0.304898; M = 4: 2 -> 4
 *      (2) above 0.270851): no one-copy path.  The folds located by
 *      bisection to 1e-10 in gamma; the route from the liquid to the
 *      crystal whose highest saddle is lowest, and its barrier;
 *   4. the lifetime of the supercooled liquid (mean first-passage time
 *      from the liquid's class to the classes where every copy is
 *      crystalline) on the d-blocks' chain (exact: phi is linear in the
 *      s_j and B = 1) lumped by the copies' permutation symmetry (exact:
 *      start and target are symmetric), hl_chain_mfpt by the graph
 *      transformation, against the single system of the same total D,
 *      which must transform at once; both reductions checked against the
 *      unreduced chain.
 *
 * tests/ref/coexistence_saddles.py searches the 2M-cube for every
 * stationary point independently (numpy, scipy) and checks the saddles,
 * their labels and the folds (ctest example_coexistence_saddles).
 * Every number is computed here; coexistence.expected holds the output
 * (ctest compares it to 1e-6 relative).  With a directory argument the
 * program also writes the data of the figures (plot.sh draws them). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/hyperland.h"
#include "hyperland/blocks.h"
#include "hyperland/chain.h"

#define KMAX 8 /* 2M, M <= 4 */

static void die(const char *what)
{
    fprintf(stderr, "coexistence: %s: %s\n", what, hl_errmsg());
    exit(1);
}

/* The copies' model at any gamma from two of the library's (gamma = 0
 * and 1, hl_blocks_create_copies): phi is linear in gamma, so
 * phi_gamma = phi_0 + gamma (phi_1 - phi_0) with no new model (and no new
 * check of phi on the cube) per gamma. */
typedef struct {
    hl_blocks *b0, *b1;
    double gamma;
    int k;
} cmodel;

/* f = w - beta phi per dimension at m, its gradient and Hessian in
 * t = atanh(m) (the maxima lie close to the cube's faces) */
static double f_t(const cmodel *b, double beta, const double *m, double *g, double *H)
{
    int k = b->k;
    double gp[KMAX], hp[KMAX * KMAX], gw[KMAX], hw[KMAX], g1[KMAX], h1[KMAX * KMAX];
    double phi = hl_blocks_phi_derivs(b->b0, m, gp, hp);
    double phi1 = hl_blocks_phi_derivs(b->b1, m, g1, h1);
    double w = hl_blocks_w(b->b0, m, gw, hw);
    phi += b->gamma * (phi1 - phi);
    for (int i = 0; i < k; i++)
        gp[i] += b->gamma * (g1[i] - gp[i]);
    for (int i = 0; i < k * k; i++)
        hp[i] += b->gamma * (h1[i] - hp[i]);
    for (int i = 0; i < k; i++) {
        double ci = (1 - m[i]) * (1 + m[i]), gi = gw[i] - beta * gp[i];
        g[i] = gi * ci;
        for (int j = 0; j < k; j++) {
            double cj = (1 - m[j]) * (1 + m[j]);
            H[i * k + j] = ci * cj * ((i == j ? hw[i] : 0.0) - beta * hp[i * k + j]);
        }
        H[i * k + i] += gi * (-2.0 * m[i]) * ci;
    }
    return w - beta * phi;
}

/* eigenvalues of the symmetric n x n matrix a (destroyed), cyclic Jacobi;
 * with V (n x n, not NULL) also the eigenvectors, as V's columns */
static void eig_sym(int n, double *a, double *ev, double *V)
{
    for (int i = 0; V && i < n * n; i++)
        V[i] = i % (n + 1) == 0 ? 1.0 : 0.0;
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++)
                off += a[p * n + q] * a[p * n + q];
        if (off < 1e-30)
            break;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) {
                double apq = a[p * n + q];
                if (fabs(apq) < 1e-300)
                    continue;
                double th = 0.5 * (a[q * n + q] - a[p * n + p]) / apq;
                double t = (th >= 0 ? 1.0 : -1.0) / (fabs(th) + sqrt(th * th + 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (int r = 0; r < n; r++) { /* columns p, q */
                    double arp = a[r * n + p], arq = a[r * n + q];
                    a[r * n + p] = c * arp - s * arq;
                    a[r * n + q] = s * arp + c * arq;
                    if (V) {
                        double vrp = V[r * n + p], vrq = V[r * n + q];
                        V[r * n + p] = c * vrp - s * vrq;
                        V[r * n + q] = s * vrp + c * vrq;
                    }
                }
                for (int r = 0; r < n; r++) { /* rows p, q */
                    double apr = a[p * n + r], aqr = a[q * n + r];
                    a[p * n + r] = c * apr - s * aqr;
                    a[q * n + r] = s * apr + c * aqr;
                }
            }
    }
    for (int i = 0; i < n; i++)
        ev[i] = a[i * n + i];
}

/* solve the n x n system A x = r (A, r destroyed), partial pivoting; 0 if singular */
static int solve(int n, double *A, double *r, double *x)
{
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int i = c + 1; i < n; i++)
            if (fabs(A[i * n + c]) > fabs(A[p * n + c]))
                p = i;
        if (!(fabs(A[p * n + c]) > 1e-300))
            return 0;
        if (p != c) {
            for (int j = 0; j < n; j++) {
                double t = A[c * n + j];
                A[c * n + j] = A[p * n + j];
                A[p * n + j] = t;
            }
            double t = r[c];
            r[c] = r[p];
            r[p] = t;
        }
        for (int i = c + 1; i < n; i++) {
            double l = A[i * n + c] / A[c * n + c];
            for (int j = c; j < n; j++)
                A[i * n + j] -= l * A[c * n + j];
            r[i] -= l * r[c];
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = r[i];
        for (int j = i + 1; j < n; j++)
            s -= A[i * n + j] * x[j];
        x[i] = s / A[i * n + i];
    }
    return 1;
}

/* Newton on grad f = 0 in t from m (updated).  Returns the number of
 * positive eigenvalues of the Hessian of f at the converged point (0: a
 * maximum, 1: a saddle of index 1), or -1 if it did not converge. */
static int stationary(const cmodel *b, double beta, double *m, double *f)
{
    int k = b->k;
    double t[KMAX], g[KMAX], H[KMAX * KMAX], dx[KMAX];
    for (int i = 0; i < k; i++)
        t[i] = atanh(m[i]);
    for (int it = 0; it < 200; it++) {
        *f = f_t(b, beta, m, g, H);
        double gn = 0;
        for (int i = 0; i < k; i++)
            gn = fmax(gn, fabs(g[i]));
        if (gn < 1e-14) {
            double ev[KMAX];
            eig_sym(k, H, ev, NULL);
            int pos = 0;
            for (int i = 0; i < k; i++) {
                if (fabs(ev[i]) < 1e-9)
                    return -1; /* singular: at a fold */
                pos += ev[i] > 0;
            }
            return pos;
        }
        for (int i = 0; i < k; i++)
            g[i] = -g[i];
        if (!solve(k, H, g, dx))
            return -1;
        double big = 0;
        for (int i = 0; i < k; i++)
            big = fmax(big, fabs(dx[i]));
        double sc = big > 0.3 ? 0.3 / big : 1.0;
        for (int i = 0; i < k; i++) {
            t[i] += sc * dx[i];
            m[i] = tanh(t[i]);
        }
    }
    return -1;
}

/* the paper's system: melting point and, at any beta, its two maxima and saddle */
typedef struct {
    double s, d;
} sd;
static hl_model *paper;

static void paper_points(double beta, sd *liq, sd *cry, sd *sad)
{
    hl_stationary mx[8], sp;
    size_t n = 0;
    if (hl_maxima_at(paper, beta, mx, 8, &n) || n != 2)
        die("two maxima of the paper's f");
    const hl_stationary *c = mx[0].x - mx[0].y < mx[1].x - mx[1].y ? &mx[0] : &mx[1];
    const hl_stationary *l = c == &mx[0] ? &mx[1] : &mx[0];
    if (hl_saddle_between(paper, beta, l, c, &sp))
        die("the paper's saddle");
    liq->s = l->x + l->y, liq->d = l->x - l->y;
    cry->s = c->x + c->y, cry->d = c->x - c->y;
    sad->s = sp.x + sp.y, sad->d = sp.x - sp.y;
}

/* start point: copies 0 .. j-1 crystalline, copy j at the saddle if
 * saddle, the rest liquid */
static void start_point(int M, int j, int saddle, sd liq, sd cry, sd sad, double *m)
{
    for (int c = 0; c < M; c++) {
        sd p = c < j ? cry : (c == j && saddle ? sad : liq);
        m[2 * c] = p.s;
        m[2 * c + 1] = p.d;
    }
}

static hl_blocks *copies(int M, long bs, double gamma)
{
    hl_blocks *b = NULL;
    if (hl_blocks_create_copies(M, bs, gamma, &b))
        die("hl_blocks_create_copies");
    return b;
}

static cmodel cmodel_make(int M)
{
    cmodel c = {copies(M, 1, 0.0), copies(M, 1, 1.0), 0.0, 2 * M};
    return c;
}

static void cmodel_free(cmodel *c)
{
    hl_blocks_free(c->b0);
    hl_blocks_free(c->b1);
}

#define NG 41 /* gamma = 0, 0.01, ..., 0.4 */
#define GSTEP 0.01
#define NBR 15  /* seeds (crystalline, at the saddle, liquid copies) for M <= 4 */
#define NLAB 16 /* distinct saddle labels of one M */

static double mean_d(int M, const double *m)
{
    double d = 0;
    for (int c = 0; c < M; c++)
        d += m[2 * c + 1] / M;
    return d;
}

/* a copy is crystalline when its d is below the paper's saddle at beta_m */
static double d_cut;

static int n_cryst(int M, const double *m)
{
    int j = 0;
    for (int c = 0; c < M; c++)
        j += m[2 * c + 1] < d_cut;
    return j;
}

/* the copies sorted by (d, s): the point up to a permutation of the copies */
static void canon(int M, const double *m, double *c)
{
    memcpy(c, m, sizeof(double) * 2 * (size_t)M);
    for (int x = 1; x < M; x++)
        for (int y = x; y > 0 && (c[2 * y - 1] > c[2 * y + 1] ||
                                  (c[2 * y - 1] == c[2 * y + 1] && c[2 * y - 2] > c[2 * y]));
             y--)
            for (int z = 0; z < 2; z++) {
                double t = c[2 * y + z];
                c[2 * y + z] = c[2 * y - 2 + z];
                c[2 * y - 2 + z] = t;
            }
}

/* 1 if the symmetric n x n matrix H is negative definite (Cholesky of -H) */
static int negdef(int n, const double *H)
{
    double L[KMAX * KMAX];
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double v = -H[i * n + j];
            for (int q = 0; q < j; q++)
                v -= L[i * n + q] * L[j * n + q];
            if (i == j) {
                if (!(v > 0))
                    return 0;
                L[i * n + i] = sqrt(v);
            } else
                L[i * n + j] = v / L[j * n + j];
        }
    return 1;
}

/* Ascent from m (updated) to a maximum of f: a Newton step where the
 * Hessian (in t = atanh m) is negative definite and it raises f, otherwise
 * a gradient step with backtracking (Armijo); the end polished by Newton.
 * 0 when it ends at a maximum (index 0), -1 otherwise. */
static int ascend(const cmodel *b, double beta, double *m)
{
    int k = b->k;
    double t[KMAX], g[KMAX], H[KMAX * KMAX], tn[KMAX], mn[KMAX], gn[KMAX], Hn[KMAX * KMAX];
    for (int i = 0; i < k; i++)
        t[i] = atanh(m[i]);
    double f = f_t(b, beta, m, g, H), alpha = 0.1;
    for (int it = 0; it < 10000; it++) {
        double gg = 0, gmax = 0;
        for (int i = 0; i < k; i++) {
            gg += g[i] * g[i];
            gmax = fmax(gmax, fabs(g[i]));
        }
        if (gmax < 1e-8) /* Newton polishes from here */
            break;
        int took = 0;
        double fn = f;
        if (negdef(k, H)) {
            double A[KMAX * KMAX], r[KMAX], dx[KMAX], big = 0;
            memcpy(A, H, sizeof A);
            for (int i = 0; i < k; i++)
                r[i] = -g[i];
            if (solve(k, A, r, dx)) {
                for (int i = 0; i < k; i++)
                    big = fmax(big, fabs(dx[i]));
                double sc = big > 0.3 ? 0.3 / big : 1.0;
                for (int i = 0; i < k; i++) {
                    tn[i] = fmax(-17, fmin(17, t[i] + sc * dx[i]));
                    mn[i] = tanh(tn[i]);
                }
                fn = f_t(b, beta, mn, gn, Hn);
                took = fn > f;
            }
        }
        while (!took) { /* steps of at most 0.3 in t: never onto a face */
            double sc = alpha * gmax > 0.3 ? 0.3 / (alpha * gmax) : 1.0;
            for (int i = 0; i < k; i++) {
                tn[i] = fmax(-17, fmin(17, t[i] + sc * alpha * g[i]));
                mn[i] = tanh(tn[i]);
            }
            fn = f_t(b, beta, mn, gn, Hn);
            if (fn > f && fn >= f + 1e-4 * sc * alpha * gg) {
                if (sc < 1)
                    alpha *= sc; /* do not grow past the cap */
                took = 1;
                alpha *= 2;
            } else if ((alpha *= 0.5) < 1e-14)
                break;
        }
        if (!took)
            break; /* no further rise in double precision: polish */
        memcpy(t, tn, sizeof t);
        memcpy(m, mn, sizeof(double) * (size_t)k);
        memcpy(g, gn, sizeof g);
        memcpy(H, Hn, sizeof H);
        f = fn;
    }
    double fs;
    return stationary(b, beta, m, &fs) == 0 ? 0 : -1;
}

/* the two maxima an index-1 saddle joins: ja <= jb crystalline copies,
 * c copies crystalline in one and not in the other */
typedef struct {
    int ja, jb, c;
} label;

static int saddle_joins(const cmodel *b, double beta, int M, const double *m, label *lab)
{
    int k = 2 * M, top = 0;
    double g[KMAX], H[KMAX * KMAX], ev[KMAX], V[KMAX * KMAX], end[2][KMAX];
    f_t(b, beta, m, g, H);
    eig_sym(k, H, ev, V);
    for (int i = 1; i < k; i++)
        if (ev[i] > ev[top])
            top = i;
    for (int side = 0; side < 2; side++) { /* along +- the unstable direction */
        for (int i = 0; i < k; i++)
            end[side][i] = tanh(atanh(m[i]) + (side ? -1e-3 : 1e-3) * V[i * k + top]);
        if (ascend(b, beta, end[side]))
            return -1;
    }
    int ja = n_cryst(M, end[0]), jb = n_cryst(M, end[1]);
    lab->ja = ja < jb ? ja : jb;
    lab->jb = ja < jb ? jb : ja;
    lab->c = 0;
    for (int c = 0; c < M; c++)
        lab->c += (end[0][2 * c + 1] < d_cut) != (end[1][2 * c + 1] < d_cut);
    return 0;
}

/* one stationary point continued in gamma */
typedef struct {
    double m[KMAX], f, moved;
    int alive, index;
} branch;

/* Every stationary point that continues from gamma = 0, where each copy
 * sits at one of the paper's three points (liquid, saddle, crystal): the
 * seeds up to a permutation of the copies, each followed by Newton in
 * steps of 0.01 in gamma.  A branch is gone when Newton fails or ends far
 * from it (a fold) or on another branch (two merged).  At every gamma the
 * maxima (index 0) by their number j of crystalline copies, fmax[q][j]
 * (NAN: none) and their mean d; the index-1 saddles by the pair of maxima
 * they join (steepest ascent both ways): labs[0 .. *nlab - 1], fsad[q][L]
 * (NAN: none) and their mean d. */
static void scan_gamma(int M, double beta, sd liq, sd cry, sd sad, double fmax_[][5],
                       double dmax[][5], int *nlab, label *labs, double fsad[][NLAB],
                       double dsad[][NLAB])
{
    branch br[NBR];
    int nb = 0;
    for (int nc = 0; nc <= M; nc++)
        for (int ns = 0; nc + ns <= M; ns++) {
            for (int c = 0; c < M; c++) {
                sd p = c < nc ? cry : c < nc + ns ? sad : liq;
                br[nb].m[2 * c] = p.s;
                br[nb].m[2 * c + 1] = p.d;
            }
            br[nb++].alive = 1;
        }
    *nlab = 0;
    cmodel cm = cmodel_make(M), *b = &cm;
    for (int q = 0; q < NG; q++) {
        cm.gamma = q * GSTEP;
        for (int i = 0; i < nb; i++) {
            if (!br[i].alive)
                continue;
            double m[KMAX], f, dist = 0;
            memcpy(m, br[i].m, sizeof m);
            int idx = stationary(b, beta, m, &f);
            for (int c = 0; c < 2 * M; c++)
                dist = fmax(dist, fabs(m[c] - br[i].m[c]));
            if (idx < 0 || dist > 0.3) {
                br[i].alive = 0;
                continue;
            }
            memcpy(br[i].m, m, sizeof m);
            br[i].f = f;
            br[i].index = idx;
            br[i].moved = dist;
        }
        for (int i = 0; i < nb; i++) /* merged branches: keep the one that moved less */
            for (int l = i + 1; l < nb && br[i].alive; l++) {
                if (!br[l].alive)
                    continue;
                double ci[KMAX], cl[KMAX], dd = 0;
                canon(M, br[i].m, ci);
                canon(M, br[l].m, cl);
                for (int c = 0; c < 2 * M; c++)
                    dd = fmax(dd, fabs(ci[c] - cl[c]));
                if (dd < 1e-7)
                    br[br[l].moved > br[i].moved ? l : i].alive = 0;
            }
        for (int j = 0; j <= M; j++)
            fmax_[q][j] = dmax[q][j] = NAN;
        for (int L = 0; L < NLAB; L++)
            fsad[q][L] = dsad[q][L] = NAN;
        for (int i = 0; i < nb; i++) {
            if (!br[i].alive || br[i].index > 1)
                continue;
            if (br[i].index == 0) {
                int j = n_cryst(M, br[i].m);
                if (!isnan(fmax_[q][j]))
                    die("two maxima with the same number of crystalline copies");
                fmax_[q][j] = br[i].f;
                dmax[q][j] = mean_d(M, br[i].m);
                continue;
            }
            label lb;
            if (saddle_joins(b, beta, M, br[i].m, &lb))
                die("the ascent from a saddle");
            int L = 0;
            while (L < *nlab && (labs[L].ja != lb.ja || labs[L].jb != lb.jb || labs[L].c != lb.c))
                L++;
            if (L == *nlab) {
                if (L == NLAB)
                    die("too many kinds of saddle");
                labs[(*nlab)++] = lb;
            }
            if (!isnan(fsad[q][L]))
                die("two saddles joining the same maxima");
            fsad[q][L] = br[i].f;
            dsad[q][L] = mean_d(M, br[i].m);
        }
    }
    cmodel_free(&cm);
}

/* the maximum with j crystalline copies at gamma, by Newton from `from`
 * (into `to`): 1 if it is there (index 0, j crystalline copies, near) */
static int max_at(cmodel *b, int M, int j, double beta, double gamma, const double *from,
                  double *to)
{
    b->gamma = gamma;
    double f, dist = 0;
    memcpy(to, from, sizeof(double) * 2 * (size_t)M);
    int ok = stationary(b, beta, to, &f) == 0 && n_cryst(M, to) == j;
    for (int c = 0; c < 2 * M; c++)
        dist = fmax(dist, fabs(to[c] - from[c]));
    return ok && dist < 0.3;
}

/* The fold where the mixed maximum with j crystalline copies vanishes:
 * continued from gamma = 0 in steps of 0.01 up to gmax, then bisection to
 * 1e-10 in gamma.  The saddle it meets: Newton from the maximum just below
 * the fold, displaced along its softest direction, and labelled by the
 * maxima it joins (*partner); *gap = f_max - f_saddle there.  NAN if the
 * maximum is there up to gmax. */
static double fold_gamma(int M, int j, double beta, sd liq, sd cry, double gmax,
                         label *partner, double *gap)
{
    double m[KMAX], mlo[KMAX], lo = 0, hi = NAN;
    cmodel cm = cmodel_make(M), *b = &cm;
    for (int c = 0; c < M; c++) {
        mlo[2 * c] = c < j ? cry.s : liq.s;
        mlo[2 * c + 1] = c < j ? cry.d : liq.d;
    }
    for (int q = 1; q * GSTEP <= gmax + 1e-12; q++) {
        if (!max_at(b, M, j, beta, q * GSTEP, mlo, m)) {
            hi = q * GSTEP;
            break;
        }
        lo = q * GSTEP;
        memcpy(mlo, m, sizeof m);
    }
    if (isnan(hi)) {
        cmodel_free(&cm);
        return NAN;
    }
    while (hi - lo > 1e-10) {
        double mid = 0.5 * (lo + hi);
        if (max_at(b, M, j, beta, mid, mlo, m)) {
            lo = mid;
            memcpy(mlo, m, sizeof m);
        } else
            hi = mid;
    }
    /* the saddle it meets, 1e-6 below the fold */
    double g0 = lo - 1e-6, fm, g[KMAX], H[KMAX * KMAX], ev[KMAX], V[KMAX * KMAX];
    int k = 2 * M, soft = 0;
    cm.gamma = g0;
    memcpy(m, mlo, sizeof m);
    if (stationary(b, beta, m, &fm) != 0)
        die("the maximum just below its fold");
    f_t(b, beta, m, g, H);
    eig_sym(k, H, ev, V);
    for (int i = 1; i < k; i++)
        if (fabs(ev[i]) < fabs(ev[soft]))
            soft = i;
    partner->ja = -1;
    for (int s = 0; s < 8 && partner->ja < 0; s++) {
        double x[KMAX], fs;
        for (int i = 0; i < k; i++)
            x[i] = tanh(atanh(m[i]) + (s % 2 ? -1 : 1) * 1e-3 * (1 << (s / 2)) * V[i * k + soft]);
        if (stationary(b, beta, x, &fs) == 1 && saddle_joins(b, beta, M, x, partner) == 0)
            *gap = fm - fs;
        else
            partner->ja = -1;
    }
    if (partner->ja < 0)
        die("the saddle at a fold");
    cmodel_free(&cm);
    return 0.5 * (lo + hi);
}

/* The d-marginal of the copies (exact with B = 1): phi is linear in the
 * s_j, so a move of d_j changes phi by an amount that does not depend on
 * the s's, and the d-blocks alone form a Markov chain.  Its model: M blocks
 * of size bs (D' = D / 2) with phi' = 2 x (the d-part of phi), so that
 * D' phi' = D phi_d and every rate of eq 5.2 is that of the full lattice. */
static hl_blocks *d_marginal(int M, long bs, double gamma)
{
    char f[2048];
    size_t len = (size_t)snprintf(f, sizeof f, "2*((");
    for (int j = 1; j <= M; j++)
        len += (size_t)snprintf(f + len, sizeof f - len, "%s-(m%d+0.2)^2+0.38*(m%d+0.2)^3",
                                j > 1 ? "+" : "", j, j);
    len += (size_t)snprintf(f + len, sizeof f - len, ")/%d+%.17g*((", M, gamma);
    for (int j = 1; j <= M; j++)
        len += (size_t)snprintf(f + len, sizeof f - len, "%sm%d^2", j > 1 ? "+" : "", j);
    len += (size_t)snprintf(f + len, sizeof f - len, ")/%d-((", M);
    for (int j = 1; j <= M; j++)
        len += (size_t)snprintf(f + len, sizeof f - len, "%sm%d", j > 1 ? "+" : "", j);
    snprintf(f + len, sizeof f - len, ")/%d)^2))", M);
    long sz[KMAX];
    for (int j = 0; j < M; j++)
        sz[j] = bs;
    hl_blocks *b = NULL;
    if (hl_blocks_create(M, sz, f, &b))
        die("the d-marginal model");
    return b;
}

/* ln of the mean first-passage time (units of 1/B) from the class nearest
 * the all-liquid maximum to the classes where every copy's d is below
 * d_cut (crystalline), by hl_chain_mfpt on hl_blocks_chain at beta: on the
 * full lattice of the 2M blocks (full = 1) or on the d-marginal; *classes:
 * the lattice's size */
static double ln_lifetime(int M, long bs, double gamma, double beta, sd liq, double d_cut,
                          int full, long *classes)
{
    hl_blocks *b = full ? copies(M, bs, gamma) : d_marginal(M, bs, gamma);
    int dstep = full ? 2 : 1, doff = full ? 1 : 0;
    hl_chain *c = NULL;
    hl_chain_plan *p = NULL;
    if (hl_blocks_chain(b, beta, &c) || hl_chain_plan_create(c, beta, &p))
        die("the class lattice");
    long N = hl_blocks_n_classes(b), *tg = malloc(sizeof(long) * (size_t)N), nt = 0;
    double *lt = malloc(sizeof(double) * (size_t)N);
    if (!tg || !lt)
        die("memory");
    long start = -1;
    double best = INFINITY;
    for (long i = 0; i < N; i++) {
        double m[KMAX];
        hl_blocks_class(b, i, NULL, m);
        int all = 1;
        double dist = 0;
        for (int j = 0; j < M; j++) {
            double d = m[dstep * j + doff];
            all &= d < d_cut;
            dist += (d - liq.d) * (d - liq.d);
            if (full)
                dist += (m[2 * j] - liq.s) * (m[2 * j] - liq.s);
        }
        if (all)
            tg[nt++] = i;
        if (dist < best - 1e-12) {
            best = dist;
            start = i;
        }
    }
    /* the sparse Cholesky solve (fast on these 3- and 4-dimensional
     * lattices); the graph transformation if its digits are not enough */
    hl_chain_result res;
    if (hl_chain_mfpt(p, (size_t)nt, tg, "sparse-direct", lt, &res) || !(res.resolution < 1e-9))
        if (hl_chain_mfpt(p, (size_t)nt, tg, "graph-transformation", lt, &res))
            die("hl_chain_mfpt");
    double v = lt[start];
    *classes = N;
    free(tg);
    free(lt);
    hl_chain_plan_free(p);
    hl_chain_free(c);
    hl_blocks_free(b);
    return v;
}

/* The same lifetime on the d-marginal lumped by the copies' symmetry:
 * the d-marginal, the all-liquid start (n_1 = ... = n_M) and the target
 * (every d below d_cut) are all unchanged by any permutation of the
 * copies, so the chain lumped onto the orbits (the classes with
 * n_1 <= n_2 <= ... <= n_M) is exact for the mean first-passage time:
 *   K(O -> O') = sum_{b in O'} K(a -> b) for any a in O,  M_O = |O| M_a
 * (detailed balance holds: M_O K(O -> O') = sum_{a in O, b in O'} M_a
 * K(a -> b)).  Its rates are read from the d-marginal's plan
 * (hl_chain_ln_rate, hl_chain_equilibrium); the mean first-passage time by
 * the graph transformation (every value to a few ulps).  M = 4, D = 96:
 * 28,561 classes, 1,820 orbits.  *classes, *orbits: the sizes. */
static double ln_lifetime_orbits(int M, long bs, double gamma, double beta, sd liq,
                                 double d_cut, long *classes, long *orbits)
{
    hl_blocks *b = d_marginal(M, bs, gamma);
    hl_chain *c = NULL;
    hl_chain_plan *p = NULL;
    if (hl_blocks_chain(b, beta, &c) || hl_chain_plan_create(c, beta, &p))
        die("the class lattice");
    long N = hl_blocks_n_classes(b), stride[KMAX];
    long *orb = malloc(sizeof(long) * (size_t)N), *rep = malloc(sizeof(long) * (size_t)N);
    double *lnp = malloc(sizeof(double) * (size_t)N);
    if (!orb || !rep || !lnp)
        die("memory");
    if (hl_chain_equilibrium(p, lnp))
        die("hl_chain_equilibrium");
    stride[M - 1] = 1; /* the last block fastest (checked below) */
    for (int i = M - 2; i >= 0; i--)
        stride[i] = stride[i + 1] * (bs + 1);
    /* orbit numbers: the sorted classes in index order */
    long n_orb = 0;
    for (long i = 0; i < N; i++) {
        long n[KMAX], key = 0;
        hl_blocks_class(b, i, n, NULL);
        int sorted = 1;
        for (int j = 0; j < M; j++) {
            key += n[j] * stride[j];
            sorted &= j == 0 || n[j - 1] <= n[j];
        }
        if (key != i)
            die("the class numbering (the last block fastest)");
        orb[i] = -1;
        if (sorted) {
            orb[i] = n_orb;
            rep[n_orb++] = i;
        }
    }
    hl_chain *lc = NULL;
    if (hl_chain_create(n_orb, &lc))
        die("the lumped chain");
    double *lnm = malloc(sizeof(double) * (size_t)n_orb);
    long *tg = malloc(sizeof(long) * (size_t)n_orb), nt = 0, start = -1;
    if (!lnm || !tg)
        die("memory");
    double best = INFINITY;
    for (long o = 0; o < n_orb; o++) { /* ln M_O = ln |O| + ln p_a */
        long n[KMAX];
        double m[KMAX];
        hl_blocks_class(b, rep[o], n, m);
        double lo = lgamma(M + 1.0), dist = 0;
        int run = 1, all = 1;
        for (int j = 1; j <= M; j++) {
            if (j < M && n[j] == n[j - 1]) {
                run++;
                continue;
            }
            lo -= lgamma(run + 1.0);
            run = 1;
        }
        for (int j = 0; j < M; j++) {
            all &= m[j] < d_cut;
            dist += (m[j] - liq.d) * (m[j] - liq.d);
        }
        lnm[o] = lo + lnp[rep[o]];
        if (hl_chain_set_state(lc, o, lnm[o], 0.0))
            die("hl_chain_set_state");
        if (all)
            tg[nt++] = o;
        if (dist < best - 1e-12) {
            best = dist;
            start = o;
        }
    }
    for (long o = 0; o < n_orb; o++) { /* K(O -> O'), each pair once (O < O') */
        long n[KMAX], to[2 * KMAX];
        double lk[2 * KMAX];
        int nn = 0;
        hl_blocks_class(b, rep[o], n, NULL);
        for (int i = 0; i < M; i++)
            for (int dl = -1; dl <= 1; dl += 2) {
                if (n[i] + dl < 0 || n[i] + dl > bs)
                    continue;
                long s2[KMAX], key = 0;
                double lr;
                memcpy(s2, n, sizeof(long) * (size_t)M);
                s2[i] += dl;
                for (int x = 1; x < M; x++) /* insertion sort: the orbit's representative */
                    for (int y = x; y > 0 && s2[y - 1] > s2[y]; y--) {
                        long t = s2[y];
                        s2[y] = s2[y - 1];
                        s2[y - 1] = t;
                    }
                for (int j = 0; j < M; j++)
                    key += s2[j] * stride[j];
                if (hl_chain_ln_rate(p, rep[o], rep[o] + dl * stride[i], &lr))
                    die("hl_chain_ln_rate");
                int q = 0;
                while (q < nn && to[q] != orb[key])
                    q++;
                if (q == nn) {
                    to[nn] = orb[key];
                    lk[nn++] = lr;
                } else { /* ln(e^a + e^b) */
                    double hi = fmax(lk[q], lr), lw = fmin(lk[q], lr);
                    lk[q] = hi + log1p(exp(lw - hi));
                }
            }
        for (int q = 0; q < nn; q++)
            if (to[q] > o && hl_chain_add_edge(lc, o, to[q], lk[q] + 0.5 * (lnm[o] - lnm[to[q]]), 0.0))
                die("hl_chain_add_edge");
    }
    hl_chain_plan *lp = NULL;
    double *lt = malloc(sizeof(double) * (size_t)n_orb);
    hl_chain_result res;
    if (!lt || hl_chain_plan_create(lc, beta, &lp) ||
        hl_chain_mfpt(lp, (size_t)nt, tg, "graph-transformation", lt, &res))
        die("the lumped chain's mean first-passage time");
    double v = lt[start];
    *classes = N;
    *orbits = n_orb;
    free(lt);
    free(tg);
    free(lnm);
    free(orb);
    free(rep);
    free(lnp);
    hl_chain_plan_free(lp);
    hl_chain_free(lc);
    hl_chain_plan_free(p);
    hl_chain_free(c);
    hl_blocks_free(b);
    return v;
}

/* The route from the liquid (j = 0) to the crystal (j = M) through the
 * maxima and the index-1 saddles at one gamma whose highest saddle (in
 * free energy: lowest f) is the lowest; ties: the fewer steps.  Depth-first
 * over the simple paths (at most 5 maxima). */
typedef struct {
    int M, nlab;
    const label *labs;
    const double *fm, *fs;
    int cur_n[6], cur_e[6], best_n[6], best_e[6], best_len;
    double best_min;
} route_ctx;

static void route_dfs(route_ctx *r, int node, int len, double mn, int *used)
{
    if (node == r->M) {
        if (mn > r->best_min + 1e-13 || (mn > r->best_min - 1e-13 && len < r->best_len)) {
            r->best_min = mn;
            r->best_len = len;
            memcpy(r->best_n, r->cur_n, sizeof r->best_n);
            memcpy(r->best_e, r->cur_e, sizeof r->best_e);
            r->best_n[len] = node;
        }
        return;
    }
    r->cur_n[len] = node;
    for (int L = 0; L < r->nlab; L++) {
        int other = r->labs[L].ja == node ? r->labs[L].jb : r->labs[L].jb == node ? r->labs[L].ja : -1;
        if (other < 0 || isnan(r->fs[L]) || used[other] || isnan(r->fm[other]))
            continue;
        used[other] = 1;
        r->cur_e[len] = L;
        route_dfs(r, other, len + 1, fmin(mn, r->fs[L]), used);
        used[other] = 0;
    }
}

/* a difference that is round-off (|v| < 5e-9, printed with 8 decimals) as
 * 0, never as -0.00000000 */
static double nozero(double v) { return fabs(v) < 5e-9 ? 0.0 : v; }

static FILE *data_file(const char *dir, const char *name)
{
    if (!dir)
        return NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        fprintf(stderr, "coexistence: cannot write %s\n", path);
        exit(1);
    }
    return fp;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : NULL;
    if (hl_model_create(NULL, &paper))
        die("the paper's model");
    /* 1. the melting point */
    hl_phases *ph = NULL;
    hl_melting mt;
    if (hl_phases_compute(paper, 0.4, 1.2, 161, &ph) || hl_phases_melting_count(ph) < 1 ||
        hl_phases_melting(ph, 0, &mt))
        die("the paper's melting point");
    double bm = mt.beta;
    sd liq, cry, sad;
    paper_points(bm, &liq, &cry, &sad);
    printf("paper's system: beta_m = %.12f (T_m = %.10f)\n", bm, 1.0 / bm);
    printf("  liquid  s = %.10f d = %.10f\n  crystal s = %.10f d = %.10f\n", liq.s, liq.d, cry.s,
           cry.d);
    printf("  saddle  s = %.10f d = %.10f, barrier per dimension %.10f\n", sad.s, sad.d,
           mt.has_saddle ? mt.a.f - mt.saddle.f : NAN);

    /* 2. gamma = 0: all mixtures have the same f at beta_m */
    printf("\n1. gamma = 0, beta = beta_m: the maxima with j of M copies crystalline\n");
    printf("   M  j  f per dimension   max |f_j - f_0| below 1e-12\n");
    FILE *fd = data_file(dir, "degenerate.dat");
    if (fd)
        fprintf(fd, "# M j fraction f-f0 (gamma = 0, beta_m)\n");
    for (int M = 1; M <= 4; M++) {
        cmodel cm = cmodel_make(M), *b = &cm;
        double f0 = NAN, dev = 0;
        for (int j = 0; j <= M; j++) {
            double m[KMAX], f;
            start_point(M, j, 0, liq, cry, sad, m);
            if (stationary(b, bm, m, &f) != 0)
                die("a maximum at gamma = 0");
            if (j == 0)
                f0 = f;
            dev = fmax(dev, fabs(f - f0));
            printf("  %2d %2d  %.12f\n", M, j, f);
            if (fd)
                fprintf(fd, "%d %d %.6f %.3e\n", M, j, (double)j / M, f - f0);
        }
        printf("   M = %d: %s\n", M, dev < 1e-12 ? "yes" : "NO");
        cmodel_free(&cm);
    }
    if (fd)
        fclose(fd);

    /* 3. gamma > 0: mixed states raised, saddles labelled by what they join */
    d_cut = sad.d;
    printf("\n2. beta = beta_m, gamma > 0: f0-fj, the free energy (beta F / D) of the mixed "
           "state with j crystalline copies above the pure states ('gone': no longer a "
           "maximum); every index-1 saddle, labelled j->j' (c) by the two maxima it joins "
           "(steepest ascent both ways; c copies change phase between them), with its barrier "
           "per dimension from the lower-j side, f_j - f_saddle ('none': no such saddle); the "
           "route from the liquid (j = 0) to the crystal (j = M) whose highest saddle is lowest, "
           "and that saddle's height above the liquid, f_0 - f_saddle\n");
    FILE *fg = data_file(dir, "gamma.dat"), *fr = data_file(dir, "route.dat"),
         *fsd = data_file(dir, "saddles.dat");
    if (fg)
        fprintf(fg, "# M gamma route_barrier(f0-f of the route's highest saddle) "
                    "one_copy_barrier(the same through j->j+1 (1) only; nan: no such path) "
                    "route; beta_m\n");
    if (fr)
        fprintf(fr, "# M gamma step mean_d f0-f (the route's maxima and saddles in order; "
                    "beta_m)\n");
    if (fsd)
        fprintf(fsd, "# M gamma j j' copies_changed barrier(f_j - f_saddle): every index-1 "
                     "saddle; 'max M gamma j f0-fj': every maximum; 'fold M j gamma': where the maximum with j crystalline copies "
                     "vanishes (beta_m)\n");
    for (int M = 1; M <= 4; M++) {
        double fm[NG][5], dm[NG][5], fs[NG][NLAB], ds[NG][NLAB];
        label labs[NLAB];
        int nlab, order[NLAB];
        scan_gamma(M, bm, liq, cry, sad, fm, dm, &nlab, labs, fs, ds);
        for (int L = 0; L < nlab; L++) { /* columns by (j, j', c) */
            int x = L;
            while (x > 0 && (labs[order[x - 1]].ja > labs[L].ja ||
                             (labs[order[x - 1]].ja == labs[L].ja &&
                              (labs[order[x - 1]].jb > labs[L].jb ||
                               (labs[order[x - 1]].jb == labs[L].jb &&
                                labs[order[x - 1]].c > labs[L].c))))) {
                order[x] = order[x - 1];
                x--;
            }
            order[x] = L;
        }
        if (M > 1) {
            printf("   M = %d\n   gamma", M);
            for (int j = 1; j < M; j++)
                printf("  %10s%d", "f0-f", j);
            for (int x = 0; x < nlab; x++)
                printf("      %d->%d (%d)", labs[order[x]].ja, labs[order[x]].jb,
                       labs[order[x]].c);
            printf("   route      f0-f_saddle\n");
        }
        int last_one = -1;
        for (int q = 0; q < NG; q++) {
            route_ctx r = {M, nlab, labs, fm[q], fs[q], {0}, {0}, {0}, {0}, 99, -INFINITY};
            int used[5] = {1, 0, 0, 0, 0};
            if (!isnan(fm[q][0]))
                route_dfs(&r, 0, 0, INFINITY, used);
            double one = INFINITY;
            for (int j = 0; j < M && !isnan(one); j++) {
                int L = 0;
                while (L < nlab && !(labs[L].ja == j && labs[L].jb == j + 1 && labs[L].c == 1))
                    L++;
                one = L < nlab && !isnan(fs[q][L]) && !isnan(fm[q][j + 1]) ? fmin(one, fs[q][L])
                                                                          : NAN;
            }
            if (!isnan(one))
                last_one = q;
            char route[64] = "none";
            for (int x = 0, len = 0; r.best_len < 99 && x <= r.best_len; x++)
                len += snprintf(route + len, sizeof route - (size_t)len, "%s%d", x ? "-" : "",
                                r.best_n[x]);
            double rb = r.best_len < 99 ? fm[q][0] - r.best_min : NAN;
            if (fg)
                fprintf(fg, "%d %.3f %.10g %.10g %s\n", M, q * GSTEP, rb, fm[q][0] - one, route);
            for (int x = 0; fr && r.best_len < 99 && x <= r.best_len; x++) {
                int j = r.best_n[x];
                fprintf(fr, "%d %.3f %d %.10g %.10g\n", M, q * GSTEP, 2 * x, dm[q][j],
                        fm[q][0] - fm[q][j]);
                if (x < r.best_len)
                    fprintf(fr, "%d %.3f %d %.10g %.10g\n", M, q * GSTEP, 2 * x + 1,
                            ds[q][r.best_e[x]], fm[q][0] - fs[q][r.best_e[x]]);
            }
            for (int j = 0; fsd && M > 1 && j <= M; j++)
                if (!isnan(fm[q][j]))
                    fprintf(fsd, "max %d %.3f %d %.12f\n", M, q * GSTEP, j, fm[q][0] - fm[q][j]);
            for (int x = 0; fsd && M > 1 && x < nlab; x++)
                if (!isnan(fs[q][order[x]]))
                    fprintf(fsd, "%d %.3f %d %d %d %.12f\n", M, q * GSTEP, labs[order[x]].ja,
                            labs[order[x]].jb, labs[order[x]].c,
                            fm[q][labs[order[x]].ja] - fs[q][order[x]]);
            if (M == 1 || q % 5)
                continue;
            printf("   %.2f ", q * GSTEP);
            for (int j = 1; j < M; j++)
                isnan(fm[q][j]) ? printf(" %11s", "gone")
                                : printf(" %11.8f", nozero(fm[q][0] - fm[q][j]));
            for (int x = 0; x < nlab; x++) {
                const label *lb = &labs[order[x]];
                double v = fm[q][lb->ja] - fs[q][order[x]];
                isnan(v) ? printf(" %13s", "none") : printf(" %13.8f", v);
            }
            printf("   %-9s  %.8f\n", route, rb);
        }
        if (M == 1)
            continue;
        double gfold[5];
        label pt[5];
        int first = -1;
        for (int j = 1; j < M; j++) {
            double gap = NAN;
            gfold[j] = fold_gamma(M, j, bm, liq, cry, 1.0, &pt[j], &gap);
            if (!isnan(gfold[j]) && !(gap >= 0 && gap < 1e-6))
                die("the saddle found at a fold is not where the maximum vanishes");
            if (!isnan(gfold[j]) && (first < 0 || gfold[j] < gfold[first]))
                first = j;
        }
        printf("   one copy at a time (every saddle j->j+1 (1) present): gamma = 0 .. %.2f on "
               "the grid",
               last_one * GSTEP);
        if (last_one < NG - 1 && first > 0)
            printf("; gone above gamma = %.6f, the fold of the maximum j = %d", gfold[first], first);
        printf("\n");
        for (int j = 1; j < M; j++) {
            if (isnan(gfold[j])) {
                printf("   the maximum j = %d is there up to gamma = 1\n", j);
                continue;
            }
            printf("   the maximum j = %d meets the saddle %d->%d (%d) and vanishes at gamma = "
                   "%.6f (fold)\n",
                   j, pt[j].ja, pt[j].jb, pt[j].c, gfold[j]);
            if (fsd)
                fprintf(fsd, "fold %d %d %.9f\n", M, j, gfold[j]);
        }
    }
    if (fg)
        fclose(fg);
    if (fr)
        fclose(fr);
    if (fsd)
        fclose(fsd);
    /* 4. lifetimes of the supercooled liquid */
    const double beta_s = 0.85;
    sd l2, c2, s2;
    paper_points(beta_s, &l2, &c2, &s2);
    printf("\n3. the supercooled liquid at beta = %.2f (beta_m = %.6f): ln of the mean time from "
           "the all-liquid class until every copy is crystalline (d < %.6f, the paper's saddle), "
           "units of 1/B; M = 1 is the single system of the same total D, which must transform "
           "at once\n",
           beta_s, bm, s2.d);
    {
        long n1, n2;
        double a = ln_lifetime(2, 6, 0.2, beta_s, l2, s2.d, 1, &n1);
        double b = ln_lifetime(2, 6, 0.2, beta_s, l2, s2.d, 0, &n2);
        printf("   the d-marginal is exact: M = 2, D = 24, gamma = 0.2: %ld classes ln tau = "
               "%.10f, d-marginal (%ld classes) %.10f, equal to 1e-9: %s\n",
               n1, a, n2, b, fabs(a - b) < 1e-9 ? "yes" : "NO");
        long n3, no;
        a = ln_lifetime(4, 9, 0.4, beta_s, l2, s2.d, 0, &n1);
        b = ln_lifetime_orbits(4, 9, 0.4, beta_s, l2, s2.d, &n3, &no);
        printf("   so is its lumping by the copies' symmetry: M = 4, D = 72, gamma = 0.4: "
               "d-marginal (%ld classes) ln tau = %.10f, lumped (%ld orbits) %.10f, equal to "
               "1e-9: %s\n",
               n1, a, no, b, fabs(a - b) < 1e-9 ? "yes" : "NO");
    }
    const double gl[] = {0.0, 0.05, 0.1, 0.2, 0.3, 0.4};
    const long Dl[] = {24, 48, 72, 96};
    FILE *fl = data_file(dir, "lifetime.dat");
    if (fl)
        fprintf(fl, "# D M gamma ln_tau (beta = %.2f)\n", beta_s);
    printf("     D  M  classes  orbits   gamma=0    0.05       0.1        0.2        0.3        "
           "0.4\n");
    for (int di = 0; di < 4; di++)
        for (int M = 1; M <= 4; M++) {
            long bs = Dl[di] / (2 * M), ncl = 0, nor = 0;
            if (bs * 2 * M != Dl[di])
                continue;
            double v[6];
            for (int q = 0; q < 6; q++) {
                /* M = 1 has no interface: one value */
                v[q] = (M == 1 && q > 0)
                           ? v[0]
                           : ln_lifetime_orbits(M, bs, gl[q], beta_s, l2, s2.d, &ncl, &nor);
                if (fl)
                    fprintf(fl, "%ld %d %.3f %.10g\n", Dl[di], M, gl[q], v[q]);
            }
            printf("   %3ld %2d %8ld %7ld", Dl[di], M, ncl, nor);
            for (int q = 0; q < 6; q++)
                printf(" %10.6f", v[q]);
            printf("\n");
        }
    if (fl)
        fclose(fl);
    hl_phases_free(ph);
    hl_model_free(paper);
    return 0;
}
