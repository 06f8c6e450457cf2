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
 *   3. for gamma > 0: how much the mixed states lie below the pure ones
 *      (negative: above), and the barriers of the nucleated route (one copy
 *      at a time, the saddle between j and j + 1 crystalline copies), per
 *      dimension, by Newton continuation in gamma from the exact gamma = 0
 *      points (every point checked to be a maximum / a saddle of index 1
 *      by the eigenvalues of the Hessian; a point that ceases to be one is
 *      reported as gone);
 *   4. the lifetime of the supercooled liquid (mean first-passage time
 *      from the liquid's class to the classes where every copy is
 *      crystalline, hl_chain_mfpt on hl_blocks_chain) at small D, against
 *      the single system of the same total D, which must transform at once.
 *
 * Every number is computed here; coexistence.expected holds the output
 * (ctest compares it to 1e-7 relative).  With a directory argument the
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

/* f = w - beta phi per dimension at m, its gradient and Hessian in
 * t = atanh(m) (the maxima lie close to the cube's faces) */
static double f_t(const hl_blocks *b, double beta, const double *m, double *g, double *H)
{
    int k = hl_blocks_k(b);
    double gp[KMAX], hp[KMAX * KMAX], gw[KMAX], hw[KMAX];
    double phi = hl_blocks_phi_derivs(b, m, gp, hp);
    double w = hl_blocks_w(b, m, gw, hw);
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

/* eigenvalues of the symmetric n x n matrix a (destroyed), cyclic Jacobi */
static void eig_sym(int n, double *a, double *ev)
{
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
static int stationary(const hl_blocks *b, double beta, double *m, double *f)
{
    int k = hl_blocks_k(b);
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
            eig_sym(k, H, ev);
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

#define NG 41 /* gamma = 0, 0.01, ..., 0.4 */
#define GSTEP 0.01

/* f (per dimension) of the maxima with j = 0 .. M crystalline copies and
 * of the saddles between j and j + 1, along gamma (Newton continuation);
 * NAN once a point is gone (not converged, or not a maximum / saddle) */
static double mean_d(int M, const double *m)
{
    double d = 0;
    for (int c = 0; c < M; c++)
        d += m[2 * c + 1] / M;
    return d;
}

static void scan_gamma(int M, double beta, sd liq, sd cry, sd sad, double fmax_[][5],
                       double fsad[][4], double dmax[][5], double dsad[][4])
{
    double mm[5][KMAX], ms[4][KMAX];
    int alive_m[5], alive_s[4];
    for (int j = 0; j <= M; j++) {
        start_point(M, j, 0, liq, cry, sad, mm[j]);
        alive_m[j] = 1;
        if (j < M) {
            start_point(M, j, 1, liq, cry, sad, ms[j]);
            alive_s[j] = 1;
        }
    }
    for (int q = 0; q < NG; q++) {
        hl_blocks *b = copies(M, 1, q * GSTEP);
        for (int j = 0; j <= M; j++) {
            double f;
            fmax_[q][j] = NAN;
            if (alive_m[j] && stationary(b, beta, mm[j], &f) == 0)
                fmax_[q][j] = f;
            else
                alive_m[j] = 0;
            dmax[q][j] = mean_d(M, mm[j]);
            if (j == M)
                continue;
            fsad[q][j] = NAN;
            if (alive_s[j] && stationary(b, beta, ms[j], &f) == 1)
                fsad[q][j] = f;
            else
                alive_s[j] = 0;
            dsad[q][j] = mean_d(M, ms[j]);
        }
        hl_blocks_free(b);
    }
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
        hl_blocks *b = copies(M, 1, 0.0);
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
        hl_blocks_free(b);
    }
    if (fd)
        fclose(fd);

    /* 3. gamma > 0: mixed states raised, barriers of the nucleated route */
    printf("\n2. beta = beta_m, gamma > 0: f_0 - f_j, the free energy (beta F / D) of the mixed "
           "state with j crystalline copies above the pure states, and the barriers per "
           "dimension of one copy crystallising, f_j - f_saddle(j -> j+1) ('gone': the point "
           "is no longer a maximum / saddle of index 1)\n");
    FILE *fg = data_file(dir, "gamma.dat");
    if (fg)
        fprintf(fg, "# M gamma j f0-fj barrier(j->j+1) f0-fsaddle(j->j+1) mean_d(max j) "
                    "mean_d(saddle j->j+1); NaN: gone; beta_m\n");
    for (int M = 1; M <= 4; M++) {
        double fm[NG][5], fs[NG][4], dm[NG][5], ds[NG][4];
        scan_gamma(M, bm, liq, cry, sad, fm, fs, dm, ds);
        if (M == 1) { /* the paper's system: only for the figures' data */
            for (int q = 0; fg && q < NG; q++)
                for (int j = 0; j <= 1; j++)
                    fprintf(fg, "1 %.3f %d %.10g %.10g %.10g %.10g %.10g\n", q * GSTEP, j,
                            fm[q][0] - fm[q][j], j < 1 ? fm[q][j] - fs[q][j] : NAN,
                            j < 1 ? fm[q][0] - fs[q][j] : NAN, dm[q][j], j < 1 ? ds[q][j] : NAN);
            continue;
        }
        printf("   M = %d\n   gamma ", M);
        for (int j = 1; j < M; j++)
            printf("   f0-f%d    ", j);
        for (int j = 0; j < M; j++)
            printf("  barrier %d->%d", j, j + 1);
        printf("\n");
        for (int q = 0; q < NG; q++) {
            if (q % 5 == 0) {
                printf("   %.2f ", q * GSTEP);
                for (int j = 1; j < M; j++)
                    isnan(fm[q][j]) ? printf("   gone     ")
                                    : printf(" %11.8f", nozero(fm[q][0] - fm[q][j]));
                for (int j = 0; j < M; j++)
                    isnan(fm[q][j]) || isnan(fs[q][j]) ? printf("   gone       ")
                                                       : printf("  %12.8f", fm[q][j] - fs[q][j]);
                printf("\n");
            }
            if (fg)
                for (int j = 0; j <= M; j++)
                    fprintf(fg, "%d %.3f %d %.10g %.10g %.10g %.10g %.10g\n", M, q * GSTEP, j,
                            fm[q][0] - fm[q][j], j < M ? fm[q][j] - fs[q][j] : NAN,
                            j < M ? fm[q][0] - fs[q][j] : NAN, dm[q][j], j < M ? ds[q][j] : NAN);
        }
    }
    if (fg)
        fclose(fg);
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
    }
    const double gl[] = {0.0, 0.05, 0.1, 0.2, 0.3, 0.4};
    const long Dl[] = {24, 48, 72};
    FILE *fl = data_file(dir, "lifetime.dat");
    if (fl)
        fprintf(fl, "# D M gamma ln_tau (beta = %.2f)\n", beta_s);
    printf("     D  M  classes     gamma=0    0.05       0.1        0.2        0.3        0.4\n");
    for (int di = 0; di < 3; di++)
        for (int M = 1; M <= 4; M++) {
            long bs = Dl[di] / (2 * M), ncl = 0;
            if (bs * 2 * M != Dl[di])
                continue;
            double v[6];
            for (int q = 0; q < 6; q++) {
                /* M = 1 has no interface: one value */
                v[q] = (M == 1 && q > 0) ? v[0] : ln_lifetime(M, bs, gl[q], beta_s, l2, s2.d, 0, &ncl);
                if (fl)
                    fprintf(fl, "%ld %d %.3f %.10g\n", Dl[di], M, gl[q], v[q]);
            }
            printf("   %3ld %2d %8ld", Dl[di], M, ncl);
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
