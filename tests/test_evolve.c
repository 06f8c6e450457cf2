/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_evolve.c -- time evolution of the class master equation (eq 5.6 with
 * the rates of eq 5.2) by CVODE against an independent dense
 * eigendecomposition of the symmetrised generator (eqs 3.10-3.12),
 * Q(t) = P^{1/2} V exp(-Lambda t) V^T P^{-1/2} Q(0). */
#include "test_util.h"

#include <string.h>
#include <unistd.h>

#include <lapacke.h>

#define NONSEP "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y"
#define TRANS "(1+0.5*x^2)*exp(-0.3*(1+y)/T)"

static double lnchoose(long n, long k)
{
    return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0);
}

/* Dense propagator of the contracted chain at fixed beta */
typedef struct {
    long n;
    double *v, *lam, *sp; /* eigenvectors (row-major n x n), rates, sqrt(P) scaled */
} dense_t;

static void dense_init(dense_t *d, const hl_model *m, long D, double beta)
{
    hl_generator *g;
    assert_int_equal(hl_generator_create(m, D, beta, HL_CONTRACTED, &g), HL_OK);
    long n = hl_generator_size(g);
    d->n = n;
    d->v = malloc(sizeof(double) * (size_t)(n * n));
    d->lam = malloc(sizeof(double) * (size_t)n);
    d->sp = malloc(sizeof(double) * (size_t)n);
    assert_int_equal(hl_generator_dense(g, d->v), HL_OK);
    hl_generator_ln_weights(g, d->sp);
    double mx = -INFINITY;
    for (long i = 0; i < n; i++)
        mx = fmax(mx, d->sp[i]);
    for (long i = 0; i < n; i++)
        d->sp[i] = exp(0.5 * (d->sp[i] - mx));
    assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int)n, d->v,
                                   (lapack_int)n, d->lam), 0);
    hl_generator_free(g);
}

static void dense_free(dense_t *d)
{
    free(d->v);
    free(d->lam);
    free(d->sp);
}

/* q <- exp(L t) q */
static void dense_step(const dense_t *d, double t, double *q)
{
    long n = d->n;
    double *z = malloc(sizeof(double) * (size_t)n), *c = malloc(sizeof(double) * (size_t)n);
    for (long i = 0; i < n; i++)
        z[i] = q[i] / d->sp[i];
    for (long k = 0; k < n; k++) {
        double s = 0;
        for (long i = 0; i < n; i++)
            s += d->v[i * n + k] * z[i];
        c[k] = s * exp(-d->lam[k] * t);
    }
    for (long i = 0; i < n; i++) {
        double s = 0;
        for (long k = 0; k < n; k++)
            s += d->v[i * n + k] * c[k];
        q[i] = s * d->sp[i];
    }
    free(z);
    free(c);
}

static double max_abs_diff(const double *a, const double *b, long n)
{
    double m = 0;
    for (long i = 0; i < n; i++)
        m = fmax(m, fabs(a[i] - b[i]));
    return m;
}

static const double TIMES[] = {0, 0.01, 0.1, 1, 3, 10, 100};
#define NT (sizeof TIMES / sizeof TIMES[0])

/* Second independent propagator, used for the comparisons at fixed beta:
 * uniformisation of the unsymmetrised L = P^{1/2} S P^{-1/2} (built from
 * hl_generator_dense), exp(L t) = sum_k Poisson(k; Lambda t) (1 + L/Lambda)^k
 * with Lambda the largest escape rate: only sums of non-negative terms, so
 * every entry of Q carries a small relative error.  The eigendecomposition
 * above loses up to eps sqrt(max P / min P) absolutely when Q(0) sits on
 * classes of small equilibrium weight (1e-8 at D = 20), so it checks only
 * well-conditioned cases (the ramp below). */
typedef struct {
    long n;
    double *M, lambda;
} unif_t;

static void unif_init(unif_t *u, const hl_model *m, long D, double beta)
{
    hl_generator *g;
    assert_int_equal(hl_generator_create(m, D, beta, HL_CONTRACTED, &g), HL_OK);
    long n = hl_generator_size(g);
    double *lp = malloc(sizeof(double) * (size_t)n);
    u->n = n;
    u->M = malloc(sizeof(double) * (size_t)(n * n));
    assert_int_equal(hl_generator_dense(g, u->M), HL_OK); /* -S */
    hl_generator_ln_weights(g, lp);
    u->lambda = 0;
    for (long i = 0; i < n; i++)
        u->lambda = fmax(u->lambda, u->M[i * n + i]);
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            double l = i == j ? -u->M[i * n + i]
                              : -u->M[i * n + j] * exp(0.5 * (lp[i] - lp[j]));
            u->M[i * n + j] = (i == j ? 1.0 : 0.0) + l / u->lambda;
        }
    free(lp);
    hl_generator_free(g);
}

static void unif_step(const unif_t *u, double t, double *q)
{
    long n = u->n;
    double *v = malloc(sizeof(double) * (size_t)n), *nv = malloc(sizeof(double) * (size_t)n),
           *acc = malloc(sizeof(double) * (size_t)n);
    double left = t;
    while (left > 0) {
        double dt = fmin(left, 20.0 / u->lambda), mu = u->lambda * dt, wgt = exp(-mu);
        memcpy(v, q, sizeof(double) * (size_t)n);
        for (long i = 0; i < n; i++)
            acc[i] = wgt * v[i];
        for (int k = 1; k < 200 && !(k > mu && wgt < 1e-22); k++) {
            for (long i = 0; i < n; i++) {
                double s = 0;
                for (long j = 0; j < n; j++)
                    s += u->M[i * n + j] * v[j];
                nv[i] = s;
            }
            memcpy(v, nv, sizeof(double) * (size_t)n);
            wgt *= mu / k;
            for (long i = 0; i < n; i++)
                acc[i] += wgt * v[i];
        }
        memcpy(q, acc, sizeof(double) * (size_t)n);
        left -= dt;
    }
    free(v);
    free(nv);
    free(acc);
}

/* evolve with CVODE and compare every output time with the dense propagator */
static double compare_dense(const hl_model *m, long D, double beta,
                            const hl_evolve_start *start, int method)
{
    long w = D / 2 + 1, N = w * w;
    hl_protocol *p = test_protocol_fixed(beta);
    hl_evolve_point pts[NT];
    hl_evolve_info info;
    double *q = malloc(sizeof(double) * (size_t)N * NT);
    int st = hl_evolve(m, D, p, start, TIMES, NT, method, 0, pts, q, &info);
    hl_protocol_free(p);
    if (st)
        print_error("%s\n", hl_errmsg());
    assert_int_equal(st, HL_OK);
    unif_t d;
    unif_init(&d, m, D, beta);
    double *ref = malloc(sizeof(double) * (size_t)N);
    memcpy(ref, q, sizeof(double) * (size_t)N); /* Q(0) as the library set it */
    double worst = 0, tprev = 0;
    for (size_t k = 0; k < NT; k++) {
        unif_step(&d, TIMES[k] - tprev, ref);
        tprev = TIMES[k];
        double e = max_abs_diff(q + k * N, ref, N);
        if (getenv("HL_TEST_VERBOSE"))
            printf("  D %ld beta %g start %d method %d t %g: %.3g\n", D, beta, start->kind,
                   method, TIMES[k], e);
        worst = fmax(worst, e);
        double mx = 0;
        for (long i = 0; i < N; i++)
            mx += ref[i] * ((double)(i / w + i % w) / (w - 1) - 1.0);
        CHECK_ABS(pts[k].mean_x, mx, 1e-8);
        assert_true(pts[k].sum_error < 1e-12);
        assert_true(pts[k].min_q > -1e-13);
    }
    free(d.M);
    free(ref);
    free(q);
    return worst;
}

static void test_product_vs_dense(void **state)
{
    (void)state;
    hl_model *m;
    assert_int_equal(hl_model_create(NULL, &m), HL_OK);
    const long dims[] = {10, 20};
    const double betas[] = {1.0, 0.6};
    hl_evolve_start starts[4] = {{HL_START_BASIN, "crystal", 0, NULL, {0, 0}},
                                 {HL_START_BASIN, "liquid", 0, NULL, {0, 0}},
                                 {HL_START_INFINITE_T, NULL, 0, NULL, {0, 0}},
                                 {HL_START_EQUILIBRIUM, NULL, 0.4, NULL, {0, 0}}};
    double worst = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int k = 0; k < 4; k++) {
                hl_evolve_start *s = &starts[k];
                if (s->kind == HL_START_BASIN && !strcmp(s->basin, "crystal") && betas[j] < 0.7)
                    continue; /* no crystal basin at small D and high T */
                double e = compare_dense(m, dims[i], betas[j], s, HL_EVOLVE_PRODUCT);
                worst = fmax(worst, e);
                assert_true(e < 1e-8);
                e = compare_dense(m, dims[i], betas[j], s, HL_EVOLVE_GENERAL);
                worst = fmax(worst, e);
                assert_true(e < 1e-8);
            }
    printf("product and 2-D paths vs uniformisation: max |dQ| = %.3g\n", worst);
    hl_model_free(m);
}

static void test_general_vs_dense(void **state)
{
    (void)state;
    hl_model *m;
    assert_int_equal(hl_model_create(NONSEP, &m), HL_OK);
    assert_int_equal(hl_model_set_transmission(m, TRANS), HL_OK);
    hl_evolve_start starts[3] = {{HL_START_BASIN, "liquid", 0, NULL, {0, 0}},
                                 {HL_START_INFINITE_T, NULL, 0, NULL, {0, 0}},
                                 {HL_START_EQUILIBRIUM, NULL, 2.0, NULL, {0, 0}}};
    double worst = 0;
    for (long D = 10; D <= 20; D += 10)
        for (int k = 0; k < 3; k++) {
            double e = compare_dense(m, D, 1.0, &starts[k], HL_EVOLVE_AUTO);
            worst = fmax(worst, e);
            assert_true(e < 1e-8);
        }
    /* a general class distribution */
    long w = 11;
    double *q0 = malloc(sizeof(double) * (size_t)(w * w));
    for (long i = 0; i < w * w; i++)
        q0[i] = 1.0 + (double)(i % 7);
    hl_evolve_start s = {HL_START_CLASSES, NULL, 0, q0, {0, 0}};
    double e = compare_dense(m, 20, 0.9, &s, HL_EVOLVE_AUTO);
    assert_true(e < 1e-8);
    worst = fmax(worst, e);
    printf("user phi and B (2-D path) vs uniformisation: max |dQ| = %.3g\n", worst);
    /* the product method is refused here */
    hl_protocol *p = test_protocol_fixed(1.0);
    hl_evolve_point pt;
    hl_evolve_info info;
    double t = 1;
    assert_int_equal(hl_evolve(m, 20, p, &starts[1], &t, 1, HL_EVOLVE_PRODUCT, 0, &pt, NULL,
                               &info), HL_EINVAL);
    free(q0);
    hl_protocol_free(p);
    hl_model_free(m);
}

/* long times: the exact equilibrium (hl_exact), free energy -T ln Z / D */
static void test_relaxes_to_equilibrium(void **state)
{
    (void)state;
    const char *phis[2] = {NULL, NONSEP};
    for (int f = 0; f < 2; f++) {
        hl_model *m;
        assert_int_equal(hl_model_create(phis[f], &m), HL_OK);
        long D = 20;
        double beta = 0.9;
        double rates[2], lr[2];
        hl_spectrum_info si;
        assert_int_equal(hl_spectrum(m, D, beta, HL_CONTRACTED, 2, rates, lr, NULL, &si), HL_OK);
        double t = 60.0 / rates[1];
        hl_protocol *p = test_protocol_fixed(beta);
        hl_evolve_start s = {HL_START_BASIN, "liquid", 0, NULL, {0, 0}};
        hl_evolve_point pt;
        hl_evolve_info info;
        assert_int_equal(hl_evolve(m, D, p, &s, &t, 1, HL_EVOLVE_AUTO, 0, &pt, NULL, &info),
                         HL_OK);
        hl_exact *ex;
        hl_exact_result r;
        assert_int_equal(hl_exact_create(m, D, HL_EXACT_AUTO, &ex), HL_OK);
        assert_int_equal(hl_exact_compute(ex, beta, &r), HL_OK);
        CHECK_ABS(pt.mean_x, r.mean_x, 1e-8);
        CHECK_ABS(pt.mean_y, r.mean_y, 1e-8);
        CHECK_ABS(pt.mean_phi, r.mean_phi, 1e-8);
        CHECK_ABS(pt.mean_w, r.mean_w, 1e-8);
        CHECK_ABS(pt.free_energy, -r.ln_z_per_dim / beta, 1e-8);
        assert_int_equal(pt.n_basins, r.n_basins);
        for (int k = 0; k < r.n_basins; k++) {
            assert_string_equal(pt.basins[k].name, r.basins[k].name);
            CHECK_ABS(pt.basins[k].probability, r.basins[k].probability, 1e-8);
        }
        hl_exact_free(ex);
        hl_protocol_free(p);
        hl_model_free(m);
    }
}

/* A cooling ramp T: 2 -> 1 over t in [0, 2], then 0.8 at t = 3: CVODE
 * against piecewise-constant-beta dense stepping (midpoint beta, Richardson
 * extrapolated from M and 2M steps per unit time). */
static void ramp_dense(const hl_model *m, long D, const hl_protocol *p, double t_end, int M,
                       double *q)
{
    double dt = 1.0 / M;
    int steps = (int)lround(t_end * M);
    for (int k = 0; k < steps; k++) {
        double b = hl_protocol_beta(p, (k + 0.5) * dt);
        dense_t d;
        dense_init(&d, m, D, b);
        dense_step(&d, dt, q);
        dense_free(&d);
    }
}

static void test_protocol_vs_dense(void **state)
{
    (void)state;
    hl_model *m;
    assert_int_equal(hl_model_create(NULL, &m), HL_OK);
    double tt[3] = {0, 2, 3}, vv[3] = {2, 1, 1.25};
    hl_protocol *p = test_protocol(HL_PROTOCOL_T, 3, tt, vv);
    long D = 10, w = 6, N = 36;
    double times[2] = {1.5, 4.0};
    hl_evolve_point pts[2];
    hl_evolve_info info;
    double q[2 * 36];
    hl_evolve_start s = {HL_START_INFINITE_T, NULL, 0, NULL, {0, 0}};
    assert_int_equal(hl_evolve(m, D, p, &s, times, 2, HL_EVOLVE_AUTO, 0, pts, q, &info), HL_OK);
    CHECK_ABS(pts[0].beta, 1.0 / 1.25, 1e-15);
    CHECK_ABS(pts[1].beta, 0.8, 1e-15);
    double r1[36], r2[36];
    for (long i = 0; i < N; i++)
        r1[i] = exp(lnchoose(w - 1, i / w) + lnchoose(w - 1, i % w) - D * log(2.0));
    memcpy(r2, r1, sizeof r1);
    ramp_dense(m, D, p, 4.0, 200, r1);
    ramp_dense(m, D, p, 4.0, 400, r2);
    double worst = 0, raw = 0;
    for (long i = 0; i < N; i++) {
        double rich = (4 * r2[i] - r1[i]) / 3;
        worst = fmax(worst, fabs(q[N + i] - rich));
        raw = fmax(raw, fabs(q[N + i] - r2[i]));
    }
    printf("ramp: CVODE vs dense stepping: %.3g (Richardson), %.3g (400 steps/unit)\n",
           worst, raw);
    assert_true(worst < 1e-8);
    /* 2-D path on the same protocol */
    double q2[2 * 36];
    assert_int_equal(hl_evolve(m, D, p, &s, times, 2, HL_EVOLVE_GENERAL, 0, pts, q2, &info),
                     HL_OK);
    assert_true(max_abs_diff(q, q2, 2 * N) < 1e-9);
    hl_protocol_free(p);
    hl_model_free(m);
}

/* Supercooling: below T_m (beta 0.8 > beta_m = 0.773) a liquid stays put
 * for a time that grows exponentially with D; superheating: the crystal at
 * beta 0.65 (above the crystal spinodal 0.336, below beta_m).  At D = 20
 * the metastable basin has relaxed to its equilibrium share by t = 1000
 * (0.46 liquid at beta 0.8, 0.41 crystal at beta 0.65); at D = 200 it has
 * not moved. */
static double basin_prob(const hl_evolve_point *pt, const char *name)
{
    for (int k = 0; k < pt->n_basins; k++)
        if (!strcmp(pt->basins[k].name, name))
            return pt->basins[k].probability;
    return NAN;
}

static void metastable(const char *from, double beta, long D, double out[2])
{
    hl_model *m;
    assert_int_equal(hl_model_create(NULL, &m), HL_OK);
    hl_protocol *p = test_protocol_fixed(beta);
    hl_evolve_start s = {HL_START_BASIN, from, 0, NULL, {0, 0}};
    double t[2] = {10, 1000};
    hl_evolve_point pt[2];
    hl_evolve_info info;
    assert_int_equal(hl_evolve(m, D, p, &s, t, 2, HL_EVOLVE_AUTO, 0, pt, NULL, &info), HL_OK);
    out[0] = basin_prob(&pt[0], from);
    out[1] = basin_prob(&pt[1], from);
    hl_protocol_free(p);
    hl_model_free(m);
}

static void test_supercooling_superheating(void **state)
{
    (void)state;
    double small[2], large[2];
    metastable("liquid", 0.8, 20, small);
    metastable("liquid", 0.8, 200, large);
    printf("supercooled liquid, beta 0.8: P(liquid) at t = 10, 1000: D = 20: %.6g, %.6g; "
           "D = 200: %.12g, %.12g\n", small[0], small[1], large[0], large[1]);
    assert_true(large[0] > 0.99 && large[1] > 0.99);
    assert_true(small[1] < 0.7);
    metastable("crystal", 0.65, 20, small);
    metastable("crystal", 0.65, 200, large);
    printf("superheated crystal, beta 0.65: P(crystal) at t = 10, 1000: D = 20: %.6g, %.6g; "
           "D = 200: %.12g, %.12g\n", small[0], small[1], large[0], large[1]);
    assert_true(large[0] > 0.99 && large[1] > 0.99);
    assert_true(small[1] < 0.5);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_protocol_files(void **state)
{
    (void)state;
    char path[] = "/tmp/hl-test-protocol-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    hl_protocol *p = NULL;
    write_file(path, "# cooling\nt,T\n0,2\n1.5, 1\n\n3,0.5\n");
    assert_int_equal(hl_protocol_read(path, &p), HL_OK);
    assert_int_equal(hl_protocol_rows(p), 3);
    assert_int_equal(hl_protocol_var(p), HL_PROTOCOL_T);
    CHECK_ABS(hl_protocol_beta(p, 0.75), 1 / 1.5, 1e-15);
    CHECK_ABS(hl_protocol_beta(p, 10), 2, 1e-15);
    hl_protocol_free(p);
    const char *bad[] = {"t,T\n1,2\n",            "t,T\n0,2\n0,3\n",     "t,beta\n0,-1\n",
                         "t,beta\n0,nan\n",       "t,beta\n0,1\n1,2,3\n", "x,T\n0,1\n",
                         "t,T\n",                 "# only\n",            "t,T\n0,1\nfoo,2\n",
                         "t,T\n0,1\n2,inf\n",     "t,beta\n0,1\n1,1e7\n", "t,T\n0,1\n-1,1\n"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        write_file(path, bad[k]);
        p = (hl_protocol *)&p; /* a refusal must set the handle to NULL */
        int st = hl_protocol_read(path, &p);
        if (st == HL_OK)
            print_error("accepted: %s\n", bad[k]);
        assert_int_equal(st, HL_EPARSE);
        assert_null(p);
        assert_non_null(strstr(hl_errmsg(), path));
        assert_null(strchr(hl_errmsg(), '\n'));
    }
    /* a value below the smallest normal double is out of range, not "not a
     * finite number" */
    write_file(path, "t,T\n0,1\n5,1e-320\n");
    assert_int_equal(hl_protocol_read(path, &p), HL_EPARSE);
    assert_non_null(strstr(hl_errmsg(), "line 3: T = "));
    assert_non_null(strstr(hl_errmsg(), "is out of range"));
    unlink(path);
    assert_int_equal(hl_protocol_read("/nonexistent/protocol.csv", &p), HL_EIO);
    /* from a stream: the bytes of a pipe or FIFO read once, named in messages */
    static char text[] = "# cooling\r\nt,beta\r\n0,0.5\r\n2,1\r\n";
    FILE *fp = fmemopen(text, strlen(text), "r");
    assert_non_null(fp);
    assert_int_equal(hl_protocol_read_stream(fp, "stream.csv", &p), HL_OK);
    fclose(fp);
    assert_int_equal(hl_protocol_rows(p), 2);
    assert_int_equal(hl_protocol_var(p), HL_PROTOCOL_BETA);
    CHECK_ABS(hl_protocol_beta(p, 1), 0.75, 1e-15);
    hl_protocol_free(p);
    static char badtext[] = "t,T\n0,1\n1,0\n";
    fp = fmemopen(badtext, strlen(badtext), "r");
    assert_non_null(fp);
    assert_int_equal(hl_protocol_read_stream(fp, "stream.csv", &p), HL_EPARSE);
    fclose(fp);
    assert_non_null(strstr(hl_errmsg(), "protocol 'stream.csv' line 3"));
}

static void test_bad_input(void **state)
{
    (void)state;
    hl_model *m;
    assert_int_equal(hl_model_create(NULL, &m), HL_OK);
    hl_protocol *p = test_protocol_fixed(1.0);
    hl_evolve_start s = {HL_START_INFINITE_T, NULL, 0, NULL, {0, 0}};
    hl_evolve_point pts[2];
    hl_evolve_info info;
    double t1[2] = {1, 0.5}, t2[2] = {-1, 1}, t3[2] = {0, NAN}, t4[2] = {1, 1};
    assert_int_equal(hl_evolve(m, 10, p, &s, t1, 2, 0, 0, pts, NULL, &info), HL_EDOM);
    assert_int_equal(hl_evolve(m, 10, p, &s, t2, 2, 0, 0, pts, NULL, &info), HL_EDOM);
    assert_int_equal(hl_evolve(m, 10, p, &s, t3, 2, 0, 0, pts, NULL, &info), HL_EDOM);
    assert_int_equal(hl_evolve(m, 10, p, &s, t4, 2, 0, 0, pts, NULL, &info), HL_EDOM);
    assert_int_equal(hl_evolve(m, 11, p, &s, t4, 1, 0, 0, pts, NULL, &info), HL_EDOM);
    hl_evolve_start nb = {HL_START_BASIN, "nowhere", 0, NULL, {0, 0}};
    assert_int_equal(hl_evolve(m, 10, p, &nb, t4, 1, 0, 0, pts, NULL, &info), HL_ENOTFOUND);
    double q[36] = {0};
    q[3] = -1;
    q[4] = 2;
    hl_evolve_start sq = {HL_START_CLASSES, NULL, 0, q, {0, 0}};
    assert_int_equal(hl_evolve(m, 10, p, &sq, t4, 1, 0, 0, pts, NULL, &info), HL_EDOM);
    hl_evolve_start se = {HL_START_EQUILIBRIUM, NULL, -1, NULL, {0, 0}};
    assert_int_equal(hl_evolve(m, 10, p, &se, t4, 1, 0, 0, pts, NULL, &info), HL_EDOM);
    assert_int_equal(hl_evolve(m, 10, p, &s, t4, 1, 0, 0, pts, NULL, &info), HL_OK);
    hl_protocol_free(p);
    hl_model_free(m);
}

/* large D (the bench does D = 1e4 to t = 10): conservation and a sane state */
static void test_large_dim(void **state)
{
    (void)state;
    hl_model *m;
    assert_int_equal(hl_model_create(NULL, &m), HL_OK);
    hl_protocol *p = test_protocol_fixed(1.0);
    hl_evolve_start s = {HL_START_INFINITE_T, NULL, 0, NULL, {0, 0}};
    double t[3] = {0, 0.5, 2};
    hl_evolve_point pts[3];
    hl_evolve_info info;
    assert_int_equal(hl_evolve(m, 4000, p, &s, t, 3, 0, 0, pts, NULL, &info), HL_OK);
    assert_int_equal(info.method, HL_EVOLVE_PRODUCT);
    for (int k = 0; k < 3; k++) {
        assert_true(pts[k].sum_error < 1e-11);
        assert_true(pts[k].min_q > -1e-13);
        assert_true(isfinite(pts[k].free_energy));
    }
    CHECK_ABS(pts[0].mean_x, 0, 1e-12);
    assert_true(pts[2].mean_phi < pts[1].mean_phi && pts[1].mean_phi < pts[0].mean_phi);
    hl_protocol_free(p);
    hl_model_free(m);
}


/* Long times (issue 8, item 3): any output time gives the right state.
 * References: tests/ref/evolve_long_times.py (the two birth-death chains of
 * the paper's phi diagonalised in mpmath at 80 digits, exact at any t),
 * start "liquid" = class (a, b) = (n1, n - n1) as hl_evolve picks it. */
typedef struct {
    long D;
    double t, x, y, liquid;
} long_ref;

static const long_ref LONG_REF[] = {
    {20, 1.0, -0.0249946085988653, -0.897125987973552, 0.999696004545341},
    {20, 1000.0, -0.418942237553262, -0.50272631685321, 0.578481341948788},
    {20, 1e30, -0.528551134660689, -0.393117419745782, 0.461034677834761},
    {100, 1e10, -0.0253170673312198, -0.896351487075252, 0.999978441432495},
    {100, 1e15, -0.589195317872576, -0.332473236533895, 0.396760247029881},
    {100, 1e20, -0.607461010846444, -0.314207543560027, 0.377220216314685},
    {100, 1e29, -0.607461010846444, -0.314207543560027, 0.377220216314685},
    {200, 1.0, -0.0254321239028312, -0.896342219262015, 1.0},
    {200, 1e28, -0.0981547699819061, -0.823513784424565, 0.922187481515266},
    {200, 1e29, -0.482636557281339, -0.439031997125133, 0.5108668371047},
    {200, 1e31, -0.69387227753729, -0.227796276869181, 0.284885749187675},
};

static double basin_p(const hl_evolve_point *pt, const char *name)
{
    for (int k = 0; k < pt->n_basins; k++)
        if (!strcmp(pt->basins[k].name, name))
            return pt->basins[k].probability;
    return NAN;
}

static void check_state(const hl_evolve_point *pt)
{
    assert_true(pt->sum_error < 1e-12);
    assert_true(pt->min_q > -1e-13);
    assert_true(fabs(pt->mean_x) + fabs(pt->mean_y) <= 1 + 1e-12);
    for (int k = 0; k < pt->n_basins; k++)
        assert_true(pt->basins[k].probability >= -1e-13 &&
                    pt->basins[k].probability <= 1 + 1e-13);
}

static void test_long_times(void **state)
{
    (void)state;
    hl_model *m;
    assert_int_equal(hl_model_create(NULL, &m), HL_OK);
    long dims[3] = {20, 100, 200};
    for (int di = 0; di < 3; di++)
        for (int method = HL_EVOLVE_GENERAL; method <= HL_EVOLVE_PRODUCT; method++) {
            long D = dims[di];
            if (D > 100 && method == HL_EVOLVE_GENERAL)
                continue; /* 30 s; checked by hand: the same digits */
            double t[8];
            size_t nt = 0;
            const long_ref *r[8];
            for (size_t k = 0; k < sizeof LONG_REF / sizeof LONG_REF[0]; k++)
                if (LONG_REF[k].D == D) {
                    r[nt] = &LONG_REF[k];
                    t[nt++] = LONG_REF[k].t;
                }
            hl_protocol *p = test_protocol_fixed(0.8);
            hl_evolve_start s = {HL_START_BASIN, "liquid", 0, NULL, {0, 0}};
            hl_evolve_point pts[8];
            hl_evolve_info info;
            CHECK_OK(hl_evolve(m, D, p, &s, t, nt, method, 0, pts, NULL, &info));
            for (size_t k = 0; k < nt; k++) {
                if (getenv("HL_TEST_VERBOSE"))
                    printf("  D %ld method %d t %g: x %.12f (ref %.12f) P(liquid) %.12f (ref "
                           "%.12f)\n", D, method, t[k], pts[k].mean_x, r[k]->x,
                           basin_p(&pts[k], "liquid"), r[k]->liquid);
                check_state(&pts[k]);
                CHECK_ABS(pts[k].mean_x, r[k]->x, 1e-8);
                CHECK_ABS(pts[k].mean_y, r[k]->y, 1e-8);
                CHECK_ABS(basin_p(&pts[k], "liquid"), r[k]->liquid, 1e-8);
            }
            hl_protocol_free(p);
        }
    hl_model_free(m);
}

/* Long times under a user phi (2-D chain) and a protocol that settles:
 * the equilibrium of the final beta from the exact class sums (hl_exact). */
static void test_long_times_general_protocol(void **state)
{
    (void)state;
    const char *phis[2] = {NULL, NONSEP};
    for (int f = 0; f < 2; f++) {
        hl_model *m;
        assert_int_equal(hl_model_create(phis[f], &m), HL_OK);
        long D = 60;
        double pt_[3] = {0, 5, 10}, pv[3] = {0.5, 0.85, 0.85};
        hl_protocol *p = test_protocol(HL_PROTOCOL_BETA, 3, pt_, pv);
        hl_evolve_start s = {HL_START_INFINITE_T, NULL, 0, NULL, {0, 0}};
        double t[4] = {5, 1e12, 1e25, 1e300};
        hl_evolve_point pts[4];
        hl_evolve_info info;
        hl_exact *ex;
        hl_exact_result r;
        assert_int_equal(hl_exact_create(m, D, HL_EXACT_AUTO, &ex), HL_OK);
        assert_int_equal(hl_exact_compute(ex, 0.85, &r), HL_OK);
        for (int method = HL_EVOLVE_AUTO; method <= HL_EVOLVE_GENERAL; method++) {
            CHECK_OK(hl_evolve(m, D, p, &s, t, 4, method, 0, pts, NULL, &info));
            for (int k = 1; k < 4; k++) {
                check_state(&pts[k]);
                CHECK_ABS(pts[k].mean_x, r.mean_x, 1e-9);
                CHECK_ABS(pts[k].mean_y, r.mean_y, 1e-9);
                CHECK_ABS(pts[k].free_energy, -r.ln_z_per_dim / 0.85, 1e-9);
            }
        }
        hl_exact_free(ex);
        hl_protocol_free(p);
        hl_model_free(m);
    }
}

/* A constant protocol (issue 8, item 7) of any number of rows, in beta or
 * in T, is the fixed beta: the same numbers on both paths. */
static void test_constant_protocol(void **state)
{
    (void)state;
    const char *phis[2] = {NULL, NONSEP};
    for (int f = 0; f < 2; f++) {
        hl_model *m;
        assert_int_equal(hl_model_create(phis[f], &m), HL_OK);
        long D = 20, N = 11 * 11;
        double t[4] = {0, 1, 200, 1e30};
        hl_protocol *fixed = test_protocol_fixed(0.5);
        double t2[2] = {0, 100}, v2[2] = {0.5, 0.5};
        double t3[3] = {0, 0.5, 150}, v3[3] = {0.5, 0.5, 0.5}, T3[3] = {2, 2, 2};
        hl_protocol *ps[3] = {test_protocol(HL_PROTOCOL_BETA, 2, t2, v2),
                              test_protocol(HL_PROTOCOL_BETA, 3, t3, v3),
                              test_protocol(HL_PROTOCOL_T, 3, t3, T3)};
        hl_evolve_start s = {HL_START_BASIN, "crystal", 0, NULL, {0, 0}};
        for (int method = HL_EVOLVE_AUTO; method <= HL_EVOLVE_GENERAL; method++) {
            hl_evolve_point ref[4], pts[4];
            hl_evolve_info info;
            double *qr = malloc(sizeof(double) * (size_t)N * 4), *q = malloc(sizeof(double) * (size_t)N * 4);
            CHECK_OK(hl_evolve(m, D, fixed, &s, t, 4, method, 0, ref, qr, &info));
            for (int k = 0; k < 3; k++) {
                CHECK_OK(hl_evolve(m, D, ps[k], &s, t, 4, method, 0, pts, q, &info));
                for (long i = 0; i < 4 * N; i++)
                    assert_true(q[i] == qr[i]);
                for (int j = 0; j < 4; j++) {
                    assert_true(pts[j].mean_x == ref[j].mean_x);
                    assert_true(pts[j].beta == ref[j].beta);
                }
            }
            free(qr);
            free(q);
        }
        hl_protocol_free(fixed);
        for (int k = 0; k < 3; k++)
            hl_protocol_free(ps[k]);
        hl_model_free(m);
    }
}

/* The 2-D path beyond the old limit (D = 400, the banded Jacobian): D = 402
 * and 600 for the non-separable phi and a user B, at fixed beta and under a
 * protocol that settles.  Independent checks: probability conserved and
 * non-negative at every output, the state at t = 1e9 (far past the slowest
 * relaxation time at these temperatures) equal to the exact equilibrium
 * of the final beta (hl_exact: moments, free energy -T ln Z / D and basin
 * populations), and an equilibrium start at the run's beta that stays put.
 * The old code refused D > 400 (HL_ERANGE). */
static void check_equilibrium(const hl_model *m, long D, double beta, const hl_evolve_point *pt,
                              double tol)
{
    hl_exact *ex;
    hl_exact_result r;
    CHECK_OK(hl_exact_create(m, D, HL_EXACT_AUTO, &ex));
    CHECK_OK(hl_exact_compute(ex, beta, &r));
    if (getenv("HL_TEST_VERBOSE"))
        printf("  D %ld beta %g: x %.15f (exact %.15f) y %.15f (exact %.15f)\n", D, beta,
               pt->mean_x, r.mean_x, pt->mean_y, r.mean_y);
    CHECK_ABS(pt->mean_x, r.mean_x, tol);
    CHECK_ABS(pt->mean_y, r.mean_y, tol);
    CHECK_ABS(pt->mean_phi, r.mean_phi, tol);
    CHECK_ABS(pt->mean_w, r.mean_w, tol);
    CHECK_ABS(pt->free_energy, -r.ln_z_per_dim / beta, tol);
    assert_int_equal(pt->n_basins, r.n_basins);
    for (int k = 0; k < r.n_basins; k++)
        CHECK_ABS(pt->basins[k].probability, r.basins[k].probability, tol);
    hl_exact_free(ex);
}

static void test_general_beyond_old_limit(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NONSEP, &m));
    CHECK_OK(hl_model_set_transmission(m, "1+0.5*x*y"));
    long D = 402;
    /* an equilibrium start at the run's beta stays there */
    hl_protocol *pf = test_protocol_fixed(0.35);
    hl_evolve_start se = {HL_START_EQUILIBRIUM, NULL, 0.35, NULL, {0, 0}};
    double te[1] = {5};
    hl_evolve_point pe[1];
    hl_evolve_info ie;
    CHECK_OK(hl_evolve(m, D, pf, &se, te, 1, HL_EVOLVE_AUTO, 1e-8, pe, NULL, &ie));
    assert_int_equal(ie.method, HL_EVOLVE_GENERAL);
    check_equilibrium(m, D, 0.35, &pe[0], 1e-9);
    hl_protocol_free(pf);
    /* a protocol at D = 402: heat from beta 0.35 to 0.3 over t in [0, 0.01]
     * (short: the CVODE steps cost ~0.1 s each here, and CI reruns the
     * test under the sanitizers) */
    double pt_[2] = {0, 0.01}, pv[2] = {0.35, 0.3};
    hl_protocol *p = test_protocol(HL_PROTOCOL_BETA, 2, pt_, pv);
    double t[3] = {0.005, 0.01, 1e9};
    hl_evolve_point pts[3];
    hl_evolve_info info;
    double t0 = now_seconds();
    CHECK_OK(hl_evolve(m, D, p, &se, t, 3, HL_EVOLVE_AUTO, 1e-6, pts, NULL, &info));
    printf("D = 402, protocol beta 0.35 -> 0.3: %.2f s, %ld CVODE steps\n",
           now_seconds() - t0, info.steps);
    CHECK_ABS(pts[0].beta, 0.325, 1e-15);
    for (int k = 0; k < 3; k++) {
        assert_true(pts[k].sum_error < 1e-9);
        assert_true(pts[k].min_q > -1e-9);
    }
    /* heating raises <phi>; the end is the equilibrium of beta = 0.3 */
    assert_true(pts[1].mean_phi > pts[0].mean_phi);
    check_equilibrium(m, D, 0.3, &pts[2], 1e-5);
    hl_protocol_free(p);
    hl_model_free(m);
}

/* Every population comes with an estimated error (evolve.h,
 * population_error) that must hold and must flag the integrators' noise:
 * the paper's model at D = 40, beta = 2.2 from the liquid, where the
 * crystal's population grows as 5.7e-25 + 8.58e-25 t.  At rtol 1e-10 the
 * run printed 7.2e-18 at t = 1 (product path) before the estimate; the
 * reference is the run at 1e-14 with its own error.  Both paths; at t =
 * 1e30 (equilibrium: the error at the switch has relaxed away) both
 * populations keep their digits. */
static void test_population_errors(void **state)
{
    (void)state;
    hl_model *m;
    assert_int_equal(hl_model_create(NULL, &m), HL_OK);
    const double t[5] = {0.1, 1, 10, 1e8, 1e30};
    hl_protocol *p = test_protocol_fixed(2.2);
    hl_evolve_start s = {HL_START_BASIN, "liquid", 0, NULL, {0, 0}};
    hl_evolve_point *a = malloc(sizeof *a * 5), *r = malloc(sizeof *r * 5);
    assert_non_null(a);
    assert_non_null(r);
    hl_evolve_info info;
    for (int method = HL_EVOLVE_GENERAL; method <= HL_EVOLVE_PRODUCT; method++) {
        CHECK_OK(hl_evolve(m, 40, p, &s, t, 5, method, 1e-10, a, NULL, &info));
        CHECK_OK(hl_evolve(m, 40, p, &s, t, 5, method, 1e-14, r, NULL, &info));
        int flagged = 0;
        for (int k = 0; k < 5; k++) {
            assert_int_equal(a[k].n_basins, r[k].n_basins);
            for (int b = 0; b < a[k].n_basins; b++) {
                double pa = a[k].basins[b].probability, pr = r[k].basins[b].probability;
                double ea = a[k].population_error[b], er = r[k].population_error[b];
                if (getenv("HL_TEST_VERBOSE"))
                    printf("  method %d t %g %s: %.8g +- %.2g (ref %.8g +- %.2g)\n", method,
                           t[k], a[k].basins[b].name, pa, ea, pr, er);
                assert_true(ea >= 0 && er >= 0);
                assert_true(fabs(pa - pr) <= 2 * ea + er);
                flagged += !HL_POPULATION_RESOLVED(pa, ea);
            }
        }
        /* the crystal at t = 1 is noise at rtol 1e-10 (7e-18 for ~8.6e-25);
         * at 1e30 both populations keep their digits */
        int cr = strcmp(a[1].basins[0].name, "crystal") ? 1 : 0;
        assert_false(HL_POPULATION_RESOLVED(a[1].basins[cr].probability,
                                            a[1].population_error[cr]));
        for (int b = 0; b < a[4].n_basins; b++) {
            assert_true(HL_POPULATION_RESOLVED(a[4].basins[b].probability,
                                               a[4].population_error[b]));
            assert_true(a[4].population_error[b] < 1e-12);
        }
        assert_true(flagged >= 1 && flagged <= 4);
        /* unchecked: the documented absolute accuracy rtol / 10 */
        CHECK_OK(hl_evolve(m, 40, p, &s, t, 5, method | HL_EVOLVE_UNCHECKED, 1e-10, a, NULL,
                           &info));
        assert_true(a[3].population_error[cr] >= 1e-11);
    }
    free(a);
    free(r);
    hl_protocol_free(p);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_vs_dense),
        cmocka_unit_test(test_general_vs_dense),
        cmocka_unit_test(test_relaxes_to_equilibrium),
        cmocka_unit_test(test_protocol_vs_dense),
        cmocka_unit_test(test_supercooling_superheating),
        cmocka_unit_test(test_protocol_files),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_large_dim),
        cmocka_unit_test(test_long_times),
        cmocka_unit_test(test_long_times_general_protocol),
        cmocka_unit_test(test_constant_protocol),
        cmocka_unit_test(test_general_beyond_old_limit),
        cmocka_unit_test(test_population_errors),
    };
    if (getenv("HL_TEST_FILTER"))
        cmocka_set_test_filter(getenv("HL_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
