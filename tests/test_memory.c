/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_memory.c -- the memory experiments (memory.h, issue 13): the Kovacs
 * hump is zero for a chain with one relaxation mode (a two-state chain:
 * ageing time in closed form) and equals an independent dense
 * eigendecomposition's for three states; the class lattice (hl_evolve)
 * agrees with the same lattice built as a chain (hl_chain_evolve); the
 * two-time correlation of a two-state chain is exp(-k tau) at every t_w,
 * and on the lattice it becomes stationary at large t_w and equals the
 * spectral sum of a dense LAPACK eigendecomposition; bad input. */
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* ------------------------------------------------ dense reference chain */

/* a chain of n states given by ln M = S - beta E and edges ln A = s - beta e
 * (the form of chain.h), its generator L (n x n, column j = from j) at beta */
typedef struct {
    int n, ne;
    double S[16], E[16];
    int ea[32], eb[32];
    double es[32], ee[32];
} ref_chain;

static hl_chain *make_chain(const ref_chain *r)
{
    hl_chain *c = NULL;
    CHECK_OK(hl_chain_create(r->n, &c));
    for (int i = 0; i < r->n; i++)
        CHECK_OK(hl_chain_set_state(c, i, r->S[i], r->E[i]));
    for (int k = 0; k < r->ne; k++)
        CHECK_OK(hl_chain_add_edge(c, r->ea[k], r->eb[k], r->es[k], r->ee[k]));
    return c;
}

/* eigen-decomposition of the symmetrised generator at beta: lam (ascending
 * rates, >= 0), V (columns: eigenvectors of -S, S = Pi^-1/2 L Pi^1/2),
 * pi (normalised) */
static void ref_eigen(const ref_chain *r, double beta, double *lam, double *V, double *pi)
{
    int n = r->n;
    double lm[16], mx = -INFINITY, z = 0;
    for (int i = 0; i < n; i++) {
        lm[i] = r->S[i] - beta * r->E[i];
        mx = fmax(mx, lm[i]);
    }
    for (int i = 0; i < n; i++)
        z += exp(lm[i] - mx);
    for (int i = 0; i < n; i++)
        pi[i] = exp(lm[i] - mx) / z;
    memset(V, 0, sizeof(double) * (size_t)(n * n));
    /* -S: off-diagonal -A_ab, diagonal sum of the rates out of a */
    for (int k = 0; k < r->ne; k++) {
        int a = r->ea[k], b = r->eb[k];
        double A = exp(r->es[k] - beta * r->ee[k]);
        V[a * n + b] -= A;
        V[b * n + a] -= A;
        V[a * n + a] += A * sqrt(pi[b] / pi[a]);
        V[b * n + b] += A * sqrt(pi[a] / pi[b]);
    }
    assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', n, V, n, lam), 0);
}

/* p(t) = Pi^1/2 V exp(-lam t) V^T Pi^-1/2 p0 */
static void ref_propagate(int n, const double *lam, const double *V, const double *pi,
                          const double *p0, double t, double *p)
{
    double c[16];
    for (int k = 0; k < n; k++) {
        c[k] = 0;
        for (int i = 0; i < n; i++)
            c[k] += V[i * n + k] * p0[i] / sqrt(pi[i]);
        c[k] *= exp(-lam[k] * t);
    }
    for (int i = 0; i < n; i++) {
        p[i] = 0;
        for (int k = 0; k < n; k++)
            p[i] += V[i * n + k] * c[k];
        p[i] *= sqrt(pi[i]);
    }
}

static double dot(int n, const double *a, const double *b)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static double *log_grid(double lo, double hi, int per_decade, size_t *n)
{
    int m = (int)lround(log10(hi / lo) * per_decade) + 1;
    double *g = malloc(sizeof(double) * (size_t)m);
    assert_non_null(g);
    for (int k = 0; k < m; k++)
        g[k] = lo * pow(10.0, (double)k / per_decade);
    *n = (size_t)m;
    return g;
}

/* The independent Kovacs reference: t_a by bisection on the dense
 * propagator at T1, the hump by a fine scan plus golden section at T2. */
static void ref_kovacs(const ref_chain *r, const double *A, double T0, double T1, double T2,
                       double *t_age, double *height, double *time)
{
    int n = r->n;
    double l0[16], V0[256], pi0[16], l1[16], V1[256], pi1[16], l2[16], V2[256], pi2[16];
    ref_eigen(r, 1 / T0, l0, V0, pi0);
    ref_eigen(r, 1 / T1, l1, V1, pi1);
    ref_eigen(r, 1 / T2, l2, V2, pi2);
    double target = dot(n, A, pi2), p[16], pa[16];
    double lo = 0, hi = 1;
    for (;;) {
        ref_propagate(n, l1, V1, pi1, pi0, hi, p);
        if (dot(n, A, p) < target)
            break;
        hi *= 2;
    }
    for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        ref_propagate(n, l1, V1, pi1, pi0, mid, p);
        if (dot(n, A, p) > target)
            lo = mid;
        else
            hi = mid;
    }
    *t_age = 0.5 * (lo + hi);
    ref_propagate(n, l1, V1, pi1, pi0, *t_age, pa);
    double best = -INFINITY, bt = 0;
    for (double lt = -8; lt <= 8; lt += 0.01) {
        ref_propagate(n, l2, V2, pi2, pa, exp(lt), p);
        double d = dot(n, A, p) - target;
        if (d > best) {
            best = d;
            bt = lt;
        }
    }
    double a = bt - 0.01, b = bt + 0.01, g = 0.5 * (3 - sqrt(5));
    for (int it = 0; it < 100; it++) {
        double x1 = a + g * (b - a), x2 = b - g * (b - a);
        ref_propagate(n, l2, V2, pi2, pa, exp(x1), p);
        double f1 = dot(n, A, p);
        ref_propagate(n, l2, V2, pi2, pa, exp(x2), p);
        double f2 = dot(n, A, p);
        if (f1 > f2)
            b = x2;
        else
            a = x1;
    }
    *time = exp(0.5 * (a + b));
    ref_propagate(n, l2, V2, pi2, pa, *time, p);
    *height = dot(n, A, p) - target;
}

static hl_kovacs_result run_kovacs(hl_memsys *s, double T0, double T2, double T1, int start,
                                   int ref, const double *grid, size_t ng)
{
    hl_kovacs_options o = {T0, T2, start, ref, grid, ng};
    hl_kovacs_point *pts = malloc(sizeof *pts * hl_kovacs_max_points(&o));
    assert_non_null(pts);
    size_t np = 0;
    hl_kovacs_result r;
    CHECK_OK(hl_kovacs_run(s, &o, T1, pts, &np, &r));
    assert_true(np <= hl_kovacs_max_points(&o));
    for (size_t k = 0; k < np; k++)
        assert_true(pts[k].sum_error < 1e-9);
    free(pts);
    return r;
}

/* ------------------------------------------------------------- Kovacs */

/* Two states: one relaxation mode.  At t_a the state IS the equilibrium of
 * T2, so nothing moves after the jump: the hump is zero, and t_a has the
 * closed form ln((p1(0) - p1eq(T1)) / (p1eq(T2) - p1eq(T1))) / k(T1). */
static void test_kovacs_two_state_zero_hump(void **state)
{
    (void)state;
    const ref_chain cases[2] = {
        {2, 1, {0, log(3.0)}, {0, 1}, {0}, {1}, {0.5}, {0.8}},
        {2, 1, {0.2, -0.7}, {-1, 0.5}, {0}, {1}, {-1.0}, {0.3}},
    };
    const double obs[2][2] = {{0, 1}, {3, -1}}; /* E itself; any affine observable */
    size_t ng;
    double *grid = log_grid(1e-4, 1e8, 10, &ng);
    for (int c = 0; c < 2; c++) {
        hl_chain *ch = make_chain(&cases[c]);
        hl_memsys *s = NULL;
        CHECK_OK(hl_memsys_create_chain(ch, obs[c], NULL, 0, 0, &s));
        assert_int_equal(hl_memsys_has_basin(s), 0);
        const double T1s[3] = {0.2, 0.35, 0.5};
        for (int i = 0; i < 3; i++) {
            double T0 = 3, T2 = 0.7, T1 = T1s[i];
            hl_kovacs_result r = run_kovacs(s, T0, T2, T1, HL_MEMORY_START_EQUILIBRIUM,
                                            HL_MEMORY_REF_TOTAL, grid, ng);
            /* closed form */
            double p1[3], k1 = 0;
            const double Ts[3] = {T0, T1, T2};
            for (int q = 0; q < 3; q++) {
                double b = 1 / Ts[q];
                double l0 = cases[c].S[0] - b * cases[c].E[0], l1 = cases[c].S[1] - b * cases[c].E[1];
                p1[q] = 1 / (1 + exp(l0 - l1));
                if (q == 1) {
                    double A = exp(cases[c].es[0] - b * cases[c].ee[0]);
                    k1 = A * (exp(0.5 * (l1 - l0)) + exp(0.5 * (l0 - l1)));
                }
            }
            double ta = log((p1[0] - p1[1]) / (p1[2] - p1[1])) / k1;
            CHECK_REL(r.t_age, ta, 1e-9);
            CHECK_REL(r.a_ref, obs[c][0] + (obs[c][1] - obs[c][0]) * p1[2], 1e-13);
            assert_string_equal(r.age_null, "");
            /* zero hump: within the resolution, no time */
            assert_true(fabs(r.hump_height) <= r.hump_resolution);
            assert_true(fabs(r.hump_height) < 1e-9 * (fabs(obs[c][1] - obs[c][0])));
            assert_true(isnan(r.hump_time));
            assert_non_null(strstr(r.hump_null, "no hump"));
            assert_true(r.max_sum_error < 1e-9);
        }
        hl_memsys_free(s);
        hl_chain_free(ch);
    }
    free(grid);
}

/* Three states, two modes: a hump, equal to the dense eigendecomposition's. */
static void test_kovacs_three_state_hump(void **state)
{
    (void)state;
    /* a fast pair (0, 1) and a slow third state 2 behind a barrier; a
     * triangle for the second case */
    const ref_chain cases[2] = {
        {3, 2, {0, 0.5, 1.5}, {0, 0.6, 1.4}, {0, 1}, {1, 2}, {1.0, 0.0}, {0.2, 1.0}},
        {3, 3, {0, 1.0, 2.0}, {0, 0.7, 1.6}, {0, 1, 0}, {1, 2, 2}, {0.5, 0.0, -0.5}, {0.1, 0.9, 1.2}},
    };
    size_t ng;
    double *grid = log_grid(1e-3, 1e6, 10, &ng);
    for (int c = 0; c < 2; c++) {
        hl_chain *ch = make_chain(&cases[c]);
        hl_memsys *s = NULL;
        CHECK_OK(hl_memsys_create_chain(ch, cases[c].E, NULL, 0, 1e-13, &s));
        const double T1s[2] = {0.3, 0.45};
        for (int i = 0; i < 2; i++) {
            double T0 = 2.5, T2 = 0.6, ta, h, tm;
            hl_kovacs_result r = run_kovacs(s, T0, T2, T1s[i], HL_MEMORY_START_EQUILIBRIUM,
                                            HL_MEMORY_REF_TOTAL, grid, ng);
            ref_kovacs(&cases[c], cases[c].E, T0, T1s[i], T2, &ta, &h, &tm);
            print_message("three states %d T1 %g: t_a %.12g (ref %.12g) hump %.10g (ref %.10g) "
                          "at %.6g (ref %.6g)\n", c, T1s[i], r.t_age, ta, r.hump_height, h,
                          r.hump_time, tm);
            assert_true(h > 1e-4); /* two modes: a hump */
            CHECK_REL(r.t_age, ta, 1e-8);
            CHECK_REL(r.hump_height, h, 1e-7);
            CHECK_REL(r.hump_time, tm, 2e-3);
            assert_string_equal(r.hump_null, "");
            assert_true(r.hump_height > 100 * r.hump_resolution);
        }
        hl_memsys_free(s);
        hl_chain_free(ch);
    }
    free(grid);
}

/* the class lattice of eq 5.6 as a chain (rates of eq 5.2 at T) */
static hl_chain *lattice_chain(const hl_model *m, long D, double T)
{
    long h = D / 2, w = h + 1;
    hl_chain *c = NULL;
    CHECK_OK(hl_chain_create(w * w, &c));
    for (long a = 0; a <= h; a++)
        for (long b = 0; b <= h; b++) {
            double lw = lgamma(h + 1.0) - lgamma(a + 1.0) - lgamma(h - a + 1.0) +
                        lgamma(h + 1.0) - lgamma(b + 1.0) - lgamma(h - b + 1.0);
            double x = (double)(a + b) / h - 1, y = (double)(a - b) / h;
            CHECK_OK(hl_chain_set_state(c, a * w + b, lw, D * hl_model_phi(m, x, y)));
            if (a < h)
                CHECK_OK(hl_chain_add_edge(
                    c, a * w + b, (a + 1) * w + b,
                    log(hl_model_transmission(m, (a + b + 0.5) / h - 1, (a + 0.5 - b) / h, T)) +
                        0.5 * log((double)(h - a) * (a + 1)), 0));
            if (b < h)
                CHECK_OK(hl_chain_add_edge(
                    c, a * w + b, a * w + b + 1,
                    log(hl_model_transmission(m, (a + b + 0.5) / h - 1, (a - b - 0.5) / h, T)) +
                        0.5 * log((double)(h - b) * (b + 1)), 0));
        }
    return c;
}

/* the model's path (hl_evolve) against the same lattice as a chain
 * (hl_chain_evolve): two engines, one answer */
static void test_kovacs_model_vs_chain(void **state)
{
    (void)state;
    size_t ng;
    double *grid = log_grid(1e-3, 1e5, 8, &ng);
    const long Ds[2] = {10, 16};
    for (int c = 0; c < 2; c++) {
        hl_model *m = NULL;
        CHECK_OK(hl_model_create(NULL, &m));
        long D = Ds[c], w = D / 2 + 1;
        hl_chain *ch = lattice_chain(m, D, 1.0);
        double *A = malloc(sizeof(double) * (size_t)(w * w));
        for (long a = 0; a < w; a++)
            for (long b = 0; b < w; b++)
                A[a * w + b] = hl_model_phi(m, (double)(a + b) / (w - 1) - 1,
                                            (double)(a - b) / (w - 1));
        hl_memsys *sm = NULL, *sc = NULL;
        CHECK_OK(hl_memsys_create_model(m, D, 1e-11, &sm));
        CHECK_OK(hl_memsys_create_chain(ch, A, NULL, 0, 1e-13, &sc));
        assert_int_equal(hl_memsys_states(sm), w * w);
        double T0 = 2.5, T2 = 1.2, T1 = 0.7 + 0.1 * c;
        hl_kovacs_result rm = run_kovacs(sm, T0, T2, T1, HL_MEMORY_START_EQUILIBRIUM,
                                         HL_MEMORY_REF_TOTAL, grid, ng);
        hl_kovacs_result rc = run_kovacs(sc, T0, T2, T1, HL_MEMORY_START_EQUILIBRIUM,
                                         HL_MEMORY_REF_TOTAL, grid, ng);
        print_message("D = %ld: t_a %.12g / %.12g, hump %.10g / %.10g at %.6g / %.6g\n", D,
                      rm.t_age, rc.t_age, rm.hump_height, rc.hump_height, rm.hump_time,
                      rc.hump_time);
        CHECK_REL(rm.a_ref, rc.a_ref, 1e-12);
        CHECK_REL(rm.t_age, rc.t_age, 1e-7);
        assert_true(rm.hump_height > 1e-5);
        CHECK_REL(rm.hump_height, rc.hump_height, 1e-6);
        CHECK_REL(rm.hump_time, rc.hump_time, 1e-2);
        /* the liquid reference is the exact liquid basin's <phi> */
        hl_exact *ex = NULL;
        hl_exact_result er;
        CHECK_OK(hl_exact_create(m, D, HL_EXACT_AUTO, &ex));
        CHECK_OK(hl_exact_compute(ex, 1 / T2, &er));
        double lp = NAN;
        for (int k = 0; k < er.n_basins; k++)
            if (!strcmp(er.basins[k].name, "liquid"))
                lp = er.basins[k].mean_phi;
        double ref;
        CHECK_OK(hl_memsys_reference(sm, HL_MEMORY_REF_BASIN, T2, &ref));
        CHECK_REL(ref, lp, 1e-14);
        hl_exact_free(ex);
        hl_memsys_free(sm);
        hl_memsys_free(sc);
        hl_chain_free(ch);
        free(A);
        hl_model_free(m);
    }
    free(grid);
}

/* ------------------------------------------------------------- ageing */

/* two states: C(t_w + tau, t_w) = exp(-k tau) at every t_w, for any
 * observable and the occupation of either state */
static void test_ageing_two_state(void **state)
{
    (void)state;
    const ref_chain rc = {2, 1, {0, log(3.0)}, {0, 1}, {0}, {1}, {0.5}, {0.8}};
    hl_chain *ch = make_chain(&rc);
    const long basin[1] = {1};
    hl_memsys *s = NULL;
    CHECK_OK(hl_memsys_create_chain(ch, rc.E, basin, 1, 0, &s));
    const double tw[4] = {0, 0.1, 1, 30}, tau[6] = {0, 0.01, 0.1, 1, 3, 10};
    double c[5 * 6], cb[5 * 6];
    hl_ageing_row rows[5];
    hl_ageing_options o = {3.0, 0.4, HL_MEMORY_START_EQUILIBRIUM};
    CHECK_OK(hl_ageing_run(s, &o, tw, 4, tau, 6, c, cb, rows));
    double b = 1 / 0.4, l0 = rc.S[0] - b * rc.E[0], l1 = rc.S[1] - b * rc.E[1];
    double k = exp(rc.es[0] - b * rc.ee[0]) * (exp(0.5 * (l1 - l0)) + exp(0.5 * (l0 - l1)));
    for (int r = 0; r < 5; r++) {
        assert_int_equal(rows[r].equilibrium, r == 4);
        assert_string_equal(rows[r].null_obs, "");
        assert_string_equal(rows[r].null_basin, "");
        for (int j = 0; j < 6; j++) {
            CHECK_ABS(c[r * 6 + j], exp(-k * tau[j]), 1e-10);
            CHECK_ABS(cb[r * 6 + j], exp(-k * tau[j]), 1e-10);
        }
        CHECK_REL(rows[r].tau_e, 1 / k, 0.05); /* linear in ln tau between lags */
    }
    /* p_basin relaxes from the T0 value to the T value */
    double p3 = 1 / (1 + exp(rc.S[0] - rc.S[1] - (rc.E[0] - rc.E[1]) / 3.0));
    CHECK_REL(rows[0].p_basin, p3, 1e-12);
    CHECK_REL(rows[0].variance_basin, p3 * (1 - p3), 1e-12);
    hl_memsys_free(s);
    hl_chain_free(ch);
}

typedef struct {
    double *ind;
    long w;
} vctx;

/* the liquid basin's classes as exact.h names them */

static int visit(void *ctx, long n, long n1, double x, double y, double lq, const char *bn)
{
    (void)x;
    (void)y;
    (void)lq;
    vctx *vc = ctx;
    vc->ind[n1 * vc->w + (n - n1)] = !strcmp(bn, "liquid");
    return 0;
}

/* the lattice at small D: at large t_w C equals the spectral sum over
 * the modes of a dense eigendecomposition of the symmetrised generator,
 * for phi and for the liquid basin's occupation; at small t_w it does not
 * (ageing) */
static void test_ageing_stationary_spectrum(void **state)
{
    (void)state;
    const char *Bs[2] = {NULL, "exp(-1.5*y^2/T)"};
    for (int c = 0; c < 2; c++) {
        long D = 12, h = D / 2, w = h + 1, N = w * w;
        double T = 0.9, T0 = 2.5;
        hl_model *m = NULL;
        CHECK_OK(hl_model_create(NULL, &m));
        if (Bs[c])
            CHECK_OK(hl_model_set_transmission(m, Bs[c]));
        /* -S at T */
        double *H = calloc((size_t)(N * N), sizeof(double)), *lam = malloc(sizeof(double) * N);
        double *pi = malloc(sizeof(double) * N), *A = malloc(sizeof(double) * N);
        double *ind = calloc((size_t)N, sizeof(double));
        double mx = -INFINITY, z = 0;
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++) {
                double lw = lgamma(h + 1.0) - lgamma(a + 1.0) - lgamma(h - a + 1.0) +
                            lgamma(h + 1.0) - lgamma(b + 1.0) - lgamma(h - b + 1.0);
                A[a * w + b] = hl_model_phi(m, (double)(a + b) / h - 1, (double)(a - b) / h);
                pi[a * w + b] = lw - D * A[a * w + b] / T;
                mx = fmax(mx, pi[a * w + b]);
            }
        for (long i = 0; i < N; i++)
            z += (pi[i] = exp(pi[i] - mx));
        for (long i = 0; i < N; i++)
            pi[i] /= z;
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++) {
                long i = a * w + b;
                for (int dir = 0; dir < 2; dir++) {
                    long a2 = a + (dir == 0), b2 = b + (dir == 1);
                    if (a2 > h || b2 > h)
                        continue;
                    long j = a2 * w + b2, k = dir ? b : a;
                    double xm = (a + b + 0.5) / h - 1, ym = (dir ? a - b - 0.5 : a + 0.5 - b) / h;
                    double Ab = hl_model_transmission(m, xm, ym, T) * sqrt((double)(h - k) * (k + 1));
                    H[i * N + j] -= Ab;
                    H[j * N + i] -= Ab;
                    H[i * N + i] += Ab * sqrt(pi[j] / pi[i]);
                    H[j * N + j] += Ab * sqrt(pi[i] / pi[j]);
                }
            }
        assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', (int)N, H, (int)N, lam), 0);
        /* the liquid basin at T as exact.h names it */
        vctx vc = {ind, w};
        hl_exact *ex = NULL;
        CHECK_OK(hl_exact_create(m, D, HL_EXACT_AUTO, &ex));
        CHECK_OK(hl_exact_distribution(ex, 1 / T, visit, &vc));
        hl_exact_free(ex);
        const double tau[7] = {0, 0.03, 0.1, 0.3, 1, 3, 10};
        double lam1 = lam[1];
        double tw[3] = {0.05, 1.0, 60.0 / lam1};
        double cc[4 * 7], cb[4 * 7];
        hl_ageing_row rows[4];
        hl_memsys *s = NULL;
        CHECK_OK(hl_memsys_create_model(m, D, 1e-12, &s));
        hl_ageing_options o = {T0, T, HL_MEMORY_START_EQUILIBRIUM};
        CHECK_OK(hl_ageing_run(s, &o, tw, 3, tau, 7, cc, cb, rows));
        for (int obs = 0; obs < 2; obs++) {
            const double *X = obs ? ind : A;
            const double *C = obs ? cb : cc;
            double mean = dot((int)N, X, pi), ck[400], den = 0;
            for (long k = 1; k < N; k++) { /* the mode 0 is the equilibrium */
                ck[k] = 0;
                for (long i = 0; i < N; i++)
                    ck[k] += H[i * N + k] * sqrt(pi[i]) * (X[i] - mean);
                den += ck[k] * ck[k];
            }
            double maxdiff_small = 0;
            for (int j = 0; j < 7; j++) {
                double ceq = 0;
                for (long k = 1; k < N; k++)
                    ceq += ck[k] * ck[k] * exp(-lam[k] * tau[j]);
                ceq /= den;
                CHECK_ABS(C[3 * 7 + j], ceq, 1e-8); /* the equilibrium row */
                CHECK_ABS(C[2 * 7 + j], ceq, 1e-7); /* t_w = 60 / lambda_1 */
                maxdiff_small = fmax(maxdiff_small, fabs(C[0 * 7 + j] - ceq));
            }
            CHECK_ABS(C[0], 1.0, 1e-12);
            print_message("B %s obs %d: lambda_1 %.6g, max |C(t_w = 0.05) - C_eq| = %.3g\n",
                          Bs[c] ? Bs[c] : "1", obs, lam1, maxdiff_small);
            assert_true(maxdiff_small > 1e-3); /* not stationary yet: ageing */
        }
        hl_memsys_free(s);
        free(H);
        free(lam);
        free(pi);
        free(A);
        free(ind);
        hl_model_free(m);
    }
}

/* ---------------------------------------------------------- bad input */

static void test_errors(void **state)
{
    (void)state;
    const ref_chain rc = {2, 1, {0, 0}, {0, 1}, {0}, {1}, {0}, {0}};
    hl_chain *ch = make_chain(&rc);
    hl_memsys *s = NULL;
    const long bad[1] = {2}, rep[2] = {1, 1};
    assert_int_equal(hl_memsys_create_chain(ch, rc.E, bad, 1, 0, &s), HL_EINVAL);
    assert_int_equal(hl_memsys_create_chain(ch, rc.E, rep, 2, 0, &s), HL_EINVAL);
    assert_int_equal(hl_memsys_create_chain(ch, rc.E, NULL, 0, 1, &s), HL_EDOM);
    double nanobs[2] = {0, NAN};
    assert_int_equal(hl_memsys_create_chain(ch, nanobs, NULL, 0, 0, &s), HL_EDOM);
    CHECK_OK(hl_memsys_create_chain(ch, rc.E, NULL, 0, 0, &s));
    double grid[3] = {1, 2, 3}, badgrid[3] = {1, 1, 3};
    hl_kovacs_point pts[9];
    size_t np;
    hl_kovacs_result r;
    hl_kovacs_options o = {2, 1, HL_MEMORY_START_EQUILIBRIUM, HL_MEMORY_REF_TOTAL, grid, 3};
    assert_int_equal(hl_kovacs_run(s, &o, 1.0, pts, &np, &r), HL_EDOM);  /* T1 = T2 */
    assert_int_equal(hl_kovacs_run(s, &o, 1.5, pts, &np, &r), HL_EDOM);  /* T1 > T2 */
    o.t0 = 1;
    assert_int_equal(hl_kovacs_run(s, &o, 0.5, pts, &np, &r), HL_EDOM);  /* T2 = T0 */
    o.t0 = 2;
    o.grid = badgrid;
    assert_int_equal(hl_kovacs_run(s, &o, 0.5, pts, &np, &r), HL_EDOM);
    o.grid = grid;
    o.n_grid = 2;
    assert_int_equal(hl_kovacs_run(s, &o, 0.5, pts, &np, &r), HL_EDOM);
    o.n_grid = 3;
    o.ref = HL_MEMORY_REF_BASIN; /* no basin given */
    assert_int_equal(hl_kovacs_run(s, &o, 0.5, pts, &np, &r), HL_ENOTFOUND);
    o.ref = HL_MEMORY_REF_TOTAL;
    o.start = HL_MEMORY_START_BASIN;
    assert_int_equal(hl_kovacs_run(s, &o, 0.5, pts, &np, &r), HL_ENOTFOUND);
    /* a grid too short to reach the target: a reason, not an error */
    o.start = HL_MEMORY_START_EQUILIBRIUM;
    double tiny[3] = {1e-9, 2e-9, 3e-9};
    o.grid = tiny;
    CHECK_OK(hl_kovacs_run(s, &o, 0.5, pts, &np, &r));
    assert_true(isnan(r.t_age) && isnan(r.hump_height));
    assert_non_null(strstr(r.age_null, "does not reach"));
    assert_int_equal(np, 4);
    hl_ageing_options ao = {2, 0.5, HL_MEMORY_START_EQUILIBRIUM};
    double c[8], tw[2] = {1, 1}, tau[2] = {0, 1};
    hl_ageing_row rows[3];
    assert_int_equal(hl_ageing_run(s, &ao, tw, 2, tau, 2, c, NULL, rows), HL_EDOM);
    ao.t = -1;
    assert_int_equal(hl_ageing_run(s, &ao, tau, 2, tau, 2, c, NULL, rows), HL_EDOM);
    ao.t = 0.5;
    assert_int_equal(hl_ageing_run(s, &ao, tau, 2, tau, 0, c, NULL, rows), HL_EDOM);
    /* no basin: the basin's correlation is null with the reason */
    double cb[6];
    CHECK_OK(hl_ageing_run(s, &ao, tau, 2, tau, 2, c, cb, rows));
    assert_true(isnan(cb[0]));
    assert_string_equal(rows[0].null_basin, "no basin given");
    hl_memsys_free(s);
    /* two components */
    hl_chain *c2 = NULL;
    CHECK_OK(hl_chain_create(3, &c2));
    CHECK_OK(hl_chain_add_edge(c2, 0, 1, 0, 0));
    double A3[3] = {0, 1, 2};
    CHECK_OK(hl_memsys_create_chain(c2, A3, NULL, 0, 0, &s));
    double p;
    assert_int_equal(hl_memsys_reference(s, HL_MEMORY_REF_TOTAL, 1.0, &p), HL_EINVAL);
    hl_memsys_free(s);
    hl_chain_free(c2);
    hl_chain_free(ch);
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(NULL, &m));
    assert_int_equal(hl_memsys_create_model(m, 11, 0, &s), HL_EDOM);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kovacs_two_state_zero_hump),
        cmocka_unit_test(test_kovacs_three_state_hump),
        cmocka_unit_test(test_kovacs_model_vs_chain),
        cmocka_unit_test(test_ageing_two_state),
        cmocka_unit_test(test_ageing_stationary_spectrum),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
