/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_hypercube_kmc.c -- the full-hypercube KMC (hypercube_kmc.h) against
 * independent references: the partial-sum tree selection against a linear scan; the
 * clean model's class means and populations against the contracted class
 * master equation (hl_evolve) at fixed beta and under a protocol
 * (thinning), for the paper's phi, a non-separable phi and a B(x, y, T);
 * the disordered model (per-spin factors, vertex energies) against the
 * master equation on all 2^D vertices (hl_hkmc_vertex_chain solved by the
 * public chain's evolution), spin by spin; the clean mobility against the
 * corrected eq 5.10 and the exact a-chain rate 2 cosh(2 beta); determinism
 * over threads and id ranges; the disorder draws and the spec errors. */
#include "test_util.h"

#include <string.h>
#include <unistd.h>

#include "hypercube_kmc_private.h"

static uint64_t xs = 0x9E3779B97F4A7C15ULL;
static double urand(void)
{
    xs ^= xs << 13;
    xs ^= xs >> 7;
    xs ^= xs << 17;
    return (double)(xs >> 11) * 0x1p-53;
}

/* ---------------------------------------------------------- partial-sum tree */

static void test_sumtree_vs_scan(void **state)
{
    (void)state;
    long sizes[] = {1, 2, 3, 7, 8, 9, 64, 65, 100, 513, 1000, 4097, 70000};
    for (int W = 1; W <= 2; W++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            long n = sizes[s];
            double *w = malloc(sizeof(double) * (size_t)(n * W));
            hl_sumtree fw;
            CHECK_OK(hl_sumtree_init(&fw, n, W));
            for (long i = 0; i < n; i++) {
                double v = urand() < 0.3 ? 0.0 : exp(3.0 * (urand() - 0.5));
                int y = W == 2 && urand() < 0.5;
                w[i * W + y] = v;
                if (W == 2)
                    w[i * W + !y] = 0.0;
            }
            hl_sumtree_build(&fw, w);
            for (int it = 0; it < 2000; it++) {
                long i = (long)(urand() * (double)n);
                if (it % 3 == 0 && W == 1) { /* weight on or off */
                    double nw = w[i] > 0 ? 0.0 : exp(2.0 * (urand() - 0.5));
                    hl_sumtree_add(&fw, 0, i, nw - w[i]);
                    w[i] = nw;
                } else if (it % 3 == 0) { /* a flip: the weight changes way */
                    int from = w[2 * i] > 0 ? 0 : 1;
                    double v = w[2 * i + from];
                    hl_sumtree_move(&fw, from, !from, i, v);
                    w[2 * i + !from] = v;
                    w[2 * i + from] = 0.0;
                }
                for (int y = 0; y < W; y++) {
                    double tot = 0.0;
                    for (long k = 0; k < n; k++)
                        tot += w[k * W + y];
                    CHECK_NEAR(hl_sumtree_total(&fw, y), tot, 1e-12, 1e-12);
                    for (long k = 0; k < n; k += 1 + n / 50)
                        assert_true(hl_sumtree_get(&fw, y, k) == w[k * W + y]);
                    if (tot <= 0)
                        continue;
                    double u = urand() * tot, c = 0.0;
                    long ref = -1;
                    for (long k = 0; k < n; k++) {
                        c += w[k * W + y];
                        if (u < c) {
                            ref = k;
                            break;
                        }
                    }
                    /* skip draws within rounding of a boundary */
                    double lo = c - w[ref * W + y];
                    if (u - lo < 1e-9 * tot || c - u < 1e-9 * tot)
                        continue;
                    long got = hl_sumtree_find(&fw, y, u);
                    if (got != ref)
                        fail_msg("n = %ld, ways %d, u = %.17g: tree %ld, scan %ld", n, W, u, got, ref);
                }
            }
            hl_sumtree_free(&fw);
            free(w);
        }
}

/* ---------------------------------------------------------- helpers */

/* the event selection of the handles make_kmc creates */
static int g_select = HL_HKMC_SELECT_AUTO;

static hl_hkmc *make_kmc(const hl_model *m, long D, uint64_t seed, const char *dis, double vs)
{
    hl_hkmc_config c = {D, seed, dis, vs, g_select};
    hl_hkmc *k = NULL;
    CHECK_OK(hl_hkmc_create(m, &c, &k));
    return k;
}

/* class populations of KMC samples at time index t: pop[(a (h+1) + b)] */
static void kmc_pops(long h, size_t nt, long N, const long *ab, size_t t, double *pop)
{
    long w = h + 1;
    for (long i = 0; i < w * w; i++)
        pop[i] = 0;
    for (long j = 0; j < N; j++) {
        const long *r = ab + 2 * ((size_t)j * nt + t);
        pop[r[0] * w + r[1]] += 1.0 / (double)N;
    }
}

/* populations within 4.5 binomial standard errors (plus 1/N) of p, and
 * the mean s, d within 4.5 standard errors */
static void check_pops(const char *what, long h, long N, const double *pk, const double *p)
{
    long w = h + 1;
    for (long i = 0; i < w * w; i++) {
        double se = sqrt(fmax(p[i] * (1 - p[i]), 1e-12) / (double)N);
        if (fabs(pk[i] - p[i]) > 4.5 * se + 1.0 / (double)N)
            fail_msg("%s: class (a, b) = (%ld, %ld): KMC %.5f, master equation %.5f (se %.5f)",
                     what, i / w, i % w, pk[i], p[i], se);
    }
}

/* clean hypercube vs the class master equation (hl_evolve, general path) */
static void clean_vs_class_me(const hl_model *m, long D, const hl_protocol *p, long a0, long b0,
                              long N)
{
    long h = D / 2, w = h + 1;
    double times[] = {0.05, 0.2, 0.7};
    size_t nt = 3;
    hl_hkmc *k = make_kmc(m, D, 12345, NULL, 0.0);
    long *ab = malloc(sizeof(long) * 2 * nt * (size_t)N);
    hl_hkmc_start st = {HL_HKMC_START_CLASS, a0, b0, NULL};
    CHECK_OK(hl_hkmc_sample(k, p, &st, times, nt, 0, N, ab, NULL));
    double *q0 = calloc((size_t)(w * w), sizeof(double));
    q0[a0 * w + b0] = 1.0;
    hl_evolve_start es = {.kind = HL_START_CLASSES, .q = q0};
    hl_evolve_point pts[3];
    hl_evolve_info einfo;
    double *q = malloc(sizeof(double) * nt * (size_t)(w * w));
    CHECK_OK(hl_evolve(m, D, p, &es, times, nt, HL_EVOLVE_GENERAL, 1e-10, pts, q, &einfo));
    hl_hkmc_moments mo[3];
    CHECK_OK(hl_hkmc_moments_compute(D, times, nt, N, ab, mo));
    double *pk = malloc(sizeof(double) * (size_t)(w * w));
    for (size_t t = 0; t < nt; t++) {
        kmc_pops(h, nt, N, ab, t, pk);
        check_pops("clean hypercube", h, N, pk, q + t * (size_t)(w * w));
        if (fabs(mo[t].mean[2] - pts[t].mean_x) > 4.5 * mo[t].se[2] + 1e-12 ||
            fabs(mo[t].mean[3] - pts[t].mean_y) > 4.5 * mo[t].se[3] + 1e-12)
            fail_msg("D = %ld, t = %g: KMC <x>, <y> = %.5f, %.5f (se %.5f, %.5f), master "
                     "equation %.5f, %.5f", D, times[t], mo[t].mean[2], mo[t].mean[3],
                     mo[t].se[2], mo[t].se[3], pts[t].mean_x, pts[t].mean_y);
    }
    free(pk);
    free(q);
    free(q0);
    free(ab);
    hl_hkmc_free(k);
}

static void test_clean_vs_class_master_equation(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_protocol *p = test_protocol_fixed(0.5);
    clean_vs_class_me(m, 16, p, 6, 2, 6000);
    hl_protocol_free(p);
    p = test_protocol_fixed(1.5);
    clean_vs_class_me(m, 10, p, 5, 0, 6000);
    hl_protocol_free(p);
    hl_model_free(m);
    /* a non-separable phi and a B(x, y, T), fixed beta */
    CHECK_OK(hl_model_create("x^2*y - 0.5*x*y + 0.3*y^2 + 0.2*x", &m));
    CHECK_OK(hl_model_set_transmission(m, "exp(-0.5*x*y/T) * (1.2 + x)"));
    p = test_protocol_fixed(0.8);
    clean_vs_class_me(m, 12, p, 2, 5, 6000);
    hl_protocol_free(p);
    hl_model_free(m);
}

static void test_clean_protocol_thinning(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    CHECK_OK(hl_model_set_transmission(m, "1 + 0.5*x - 0.3*y^2"));
    double t[] = {0, 0.1, 0.4}, b[] = {0.1, 2.0, 0.7};
    hl_protocol *p = test_protocol(HL_PROTOCOL_BETA, 3, t, b);
    clean_vs_class_me(m, 14, p, 1, 6, 6000);
    hl_protocol_free(p);
    double tt[] = {0, 0.3}, T[] = {0.5, 3.0};
    p = test_protocol(HL_PROTOCOL_T, 2, tt, T);
    clean_vs_class_me(m, 12, p, 6, 6, 6000);
    /* a B with T under a varying protocol is refused */
    CHECK_OK(hl_model_set_transmission(m, "1 + T"));
    hl_hkmc *k = make_kmc(m, 10, 1, NULL, 0.0);
    hl_hkmc_start st = {HL_HKMC_START_RANDOM, 0, 0, NULL};
    double times[] = {1.0};
    long ab[2];
    assert_int_equal(hl_hkmc_sample(k, p, &st, times, 1, 0, 1, ab, NULL), HL_EINVAL);
    hl_hkmc_free(k);
    hl_protocol_free(p);
    hl_model_free(m);
}

/* disordered hypercube vs the 2^D master equation: class populations at
 * each time and every spin's mean at the last */
static void disorder_vs_vertex_me(const hl_model *m, long D, const char *dis, double vs,
                                  const hl_protocol *p, double beta0, long a0, long b0, long N)
{
    long h = D / 2, w = h + 1, NV = 1L << D;
    double times[] = {0.1, 0.4, 1.2};
    size_t nt = 3;
    hl_hkmc *k = make_kmc(m, D, 777, dis, vs);
    long *ab = malloc(sizeof(long) * 2 * nt * (size_t)N);
    hl_hkmc_start st = {HL_HKMC_START_CLASS, a0, b0, NULL};
    CHECK_OK(hl_hkmc_sample(k, p, &st, times, nt, 0, N, ab, NULL));
    hl_chain *c;
    CHECK_OK(hl_hkmc_vertex_chain(k, beta0, &c));
    double *p0 = calloc((size_t)NV, sizeof(double)), *pv = malloc(sizeof(double) * nt * (size_t)NV);
    long cnt = 0;
    for (long v = 0; v < NV; v++) {
        long a, b;
        hl_hkmc_vertex_class(D, v, &a, &b);
        cnt += a == a0 && b == b0;
    }
    for (long v = 0; v < NV; v++) {
        long a, b;
        hl_hkmc_vertex_class(D, v, &a, &b);
        if (a == a0 && b == b0)
            p0[v] = 1.0 / (double)cnt;
    }
    if (hl_protocol_settle_time(p) > 0) {
        CHECK_OK(hl_chain_evolve_protocol(c, p, p0, times, nt, 1e-10, pv, NULL));
    } else {
        hl_chain_plan *plan;
        CHECK_OK(hl_chain_plan_create(c, beta0, &plan));
        CHECK_OK(hl_chain_evolve(plan, p0, times, nt, 1e-10, pv, NULL));
        hl_chain_plan_free(plan);
    }
    double *pc = calloc((size_t)(w * w), sizeof(double)), *pk = malloc(sizeof(double) * (size_t)(w * w));
    for (size_t t = 0; t < nt; t++) {
        for (long i = 0; i < w * w; i++)
            pc[i] = 0;
        for (long v = 0; v < NV; v++) {
            long a, b;
            hl_hkmc_vertex_class(D, v, &a, &b);
            pc[a * w + b] += pv[t * (size_t)NV + v];
        }
        kmc_pops(h, nt, N, ab, t, pk);
        check_pops(dis, h, N, pk, pc);
    }
    /* each spin's mean at the last time: trajectories by id, end spins */
    double *ms = calloc((size_t)D, sizeof(double));
    signed char *sg = malloc((size_t)D);
    for (long j = 0; j < N; j++) {
        CHECK_OK(hl_hkmc_trajectory(k, p, &st, j, times[nt - 1], -1, NULL, NULL, sg, NULL, NULL));
        for (long i = 0; i < D; i++)
            ms[i] += sg[i] / (double)N;
    }
    for (long i = 0; i < D; i++) {
        double ref = 0.0;
        for (long v = 0; v < NV; v++)
            ref += pv[(nt - 1) * (size_t)NV + v] * (((v >> i) & 1) ? 1.0 : -1.0);
        double se = sqrt(fmax(1.0 - ref * ref, 1e-6) / (double)N);
        if (fabs(ms[i] - ref) > 4.5 * se)
            fail_msg("%s, D = %ld: <sigma_%ld>(t = %g) = %.4f, 2^D master equation %.4f (se %.4f)",
                     dis, D, i, times[nt - 1], ms[i], ref, se);
    }
    free(ms);
    free(sg);
    free(pc);
    free(pk);
    free(p0);
    free(pv);
    free(ab);
    hl_chain_free(c);
    hl_hkmc_free(k);
}

static void test_disorder_vs_vertex_master_equation(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    hl_protocol *p = test_protocol_fixed(0.7);
    disorder_vs_vertex_me(m, 10, "lognormal:0.5,lognormal:1.5", 0.0, p, 0.7, 4, 1, 5000);
    /* the same with the partial-sum trees and with composition-rejection
     * over a wide spread of factors (about 13 bins per half) */
    g_select = HL_HKMC_SELECT_TREE;
    disorder_vs_vertex_me(m, 10, "lognormal:0.5,lognormal:1.5", 0.0, p, 0.7, 4, 1, 5000);
    g_select = HL_HKMC_SELECT_CR;
    disorder_vs_vertex_me(m, 12, "lognormal:2.5", 0.0, p, 0.7, 2, 4, 4000);
    g_select = HL_HKMC_SELECT_AUTO;
    disorder_vs_vertex_me(m, 8, "pair:1.2:0.8", 1.5, p, 0.7, 1, 3, 5000);
    hl_protocol_free(p);
    double t[] = {0, 0.5}, b[] = {0.2, 1.4};
    p = test_protocol(HL_PROTOCOL_BETA, 2, t, b);
    disorder_vs_vertex_me(m, 10, "lognormal:1", 1.0, p, 0.2, 0, 5, 5000);
    hl_protocol_free(p);
    hl_model_free(m);
    CHECK_OK(hl_model_create("x^2*y - 0.5*x*y + 0.3*y^2 + 0.2*x", &m));
    p = test_protocol_fixed(1.1);
    disorder_vs_vertex_me(m, 12, "lognormal:0.8", 0.7, p, 1.1, 3, 3, 4000);
    hl_protocol_free(p);
    hl_model_free(m);
}

/* factors from a file; the spec's and the config's errors */
static void test_factor_file_and_errors(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    char path[] = "/tmp/hl_hkmc_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fprintf(fp, "# factors\n1, 2 0.5\n4\n");
    fclose(fp);
    hl_hkmc *k = make_kmc(m, 4, 3, (char[64]){0}, 0.0);
    hl_hkmc_free(k);
    char spec[128];
    snprintf(spec, sizeof spec, "file:%s", path);
    k = make_kmc(m, 4, 3, spec, 0.0);
    double f[4];
    CHECK_OK(hl_hkmc_factors(k, f));
    assert_true(f[0] == 1 && f[1] == 2 && f[2] == 0.5 && f[3] == 4);
    assert_string_equal(hl_hkmc_disorder(k), spec);
    hl_hkmc_free(k);
    hl_hkmc_config c = {6, 3, spec, 0.0, 0};
    assert_int_equal(hl_hkmc_create(m, &c, &k), HL_EDOM); /* 4 factors, D = 6 */
    unlink(path);
    assert_int_equal(hl_hkmc_create(m, &c, &k), HL_EIO);
    const char *bad[] = {"lognormal", "lognormal:-1", "lognormal:x", "gauss:1", "pair:1:2",
                         "pair:1", "lognormal:1,", "lognormal:1,lognormal:", "file:"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        hl_hkmc_config cb = {6, 3, bad[i], 0.0, 0};
        if (hl_hkmc_create(m, &cb, &k) != HL_EINVAL)
            fail_msg("spec '%s' accepted", bad[i]);
    }
    hl_hkmc_config cv = {6, 3, NULL, -1.0, 0};
    assert_int_equal(hl_hkmc_create(m, &cv, &k), HL_EINVAL);
    hl_hkmc_config cd = {7, 3, NULL, 0.0, 0};
    assert_int_equal(hl_hkmc_create(m, &cd, &k), HL_EDOM);
    hl_model_free(m);
}

static void test_disorder_draws(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    long D = 200000;
    hl_hkmc *k = make_kmc(m, D, 99, "lognormal:0.5,lognormal:1.5", 0.0);
    hl_hkmc_disorder_stats s;
    CHECK_OK(hl_hkmc_disorder_summary(k, &s));
    /* E f = 1, sd of ln f = W, mean of ln f = -W^2/2, independent halves */
    CHECK_NEAR(s.sd_ln[0], 0.5, 0.01, 0);
    CHECK_NEAR(s.sd_ln[1], 1.5, 0.02, 0);
    CHECK_NEAR(s.mean_ln[0], -0.125, 0.01, 0);
    CHECK_NEAR(s.mean_ln[1], -1.125, 0.02, 0);
    CHECK_NEAR(s.mean[0], 1.0, 0.01, 0);
    CHECK_NEAR(s.mean[1], 1.0, 0.05, 0);
    CHECK_NEAR(s.corr_ln, 0.0, 0.015, 0);
    /* the same seed gives the same factors; another seed others */
    double *f1 = malloc(sizeof(double) * (size_t)D), *f2 = malloc(sizeof(double) * (size_t)D);
    CHECK_OK(hl_hkmc_factors(k, f1));
    hl_hkmc_free(k);
    k = make_kmc(m, D, 99, "lognormal:0.5,lognormal:1.5", 0.0);
    CHECK_OK(hl_hkmc_factors(k, f2));
    assert_memory_equal(f1, f2, sizeof(double) * (size_t)D);
    hl_hkmc_free(k);
    k = make_kmc(m, D, 100, "lognormal:0.5,lognormal:1.5", 0.0);
    CHECK_OK(hl_hkmc_factors(k, f2));
    assert_true(f1[0] != f2[0]);
    hl_hkmc_free(k);
    k = make_kmc(m, D, 5, "pair:1:0.8", 0.0);
    CHECK_OK(hl_hkmc_disorder_summary(k, &s));
    CHECK_NEAR(s.corr_ln, 0.8, 0.01, 0);
    CHECK_NEAR(s.sd_ln[1], 1.0, 0.01, 0);
    hl_hkmc_free(k);
    /* vertex energies: D > 64 through Zobrist words, same vertex same energy */
    k = make_kmc(m, 100, 5, NULL, 2.0);
    signed char sg[100];
    for (int i = 0; i < 100; i++)
        sg[i] = (i % 3) ? 1 : -1;
    double e1, e2;
    CHECK_OK(hl_hkmc_vertex_energy(k, sg, &e1));
    CHECK_OK(hl_hkmc_vertex_energy(k, sg, &e2));
    assert_true(e1 == e2 && e1 != 0.0);
    sg[7] = (signed char)-sg[7];
    CHECK_OK(hl_hkmc_vertex_energy(k, sg, &e2));
    assert_true(e1 != e2);
    /* and a short run there */
    hl_protocol *p = test_protocol_fixed(1.0);
    hl_hkmc_start st = {HL_HKMC_START_RANDOM, 0, 0, NULL};
    long nev;
    CHECK_OK(hl_hkmc_trajectory(k, p, &st, 0, 1e9, 2000, NULL, NULL, sg, &nev, NULL));
    assert_int_equal(nev, 2000);
    hl_protocol_free(p);
    hl_hkmc_free(k);
    free(f1);
    free(f2);
    hl_model_free(m);
}

/* same numbers on 1 and 2 threads and in split id ranges */
static void determinism(int select, long *out)
{
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    g_select = select;
    hl_hkmc *k = make_kmc(m, 2000, 42, "lognormal:1", 0.0);
    g_select = HL_HKMC_SELECT_AUTO;
    hl_protocol *p = test_protocol_fixed(0.6);
    double times[] = {0.01, 0.1, 0.5};
    long N = 12;
    long *ab1 = malloc(sizeof(long) * 6 * (size_t)N), *ab2 = malloc(sizeof(long) * 6 * (size_t)N);
    hl_hkmc_start st = {HL_HKMC_START_RANDOM, 0, 0, NULL};
    CHECK_OK(hl_set_threads(1, NULL));
    CHECK_OK(hl_hkmc_sample(k, p, &st, times, 3, 0, N, ab1, NULL));
    CHECK_OK(hl_set_threads(2, NULL));
    CHECK_OK(hl_hkmc_sample(k, p, &st, times, 3, 0, 5, ab2, NULL));
    CHECK_OK(hl_hkmc_sample(k, p, &st, times, 3, 5, N - 5, ab2 + 6 * 5, NULL));
    assert_memory_equal(ab1, ab2, sizeof(long) * 6 * (size_t)N);
    /* distinct trajectories differ */
    assert_true(memcmp(ab1, ab1 + 6, sizeof(long) * 6) != 0);
    memcpy(out, ab1, sizeof(long) * 6 * (size_t)N);
    free(ab1);
    free(ab2);
    hl_protocol_free(p);
    hl_hkmc_free(k);
    hl_model_free(m);
}

static void test_determinism(void **state)
{
    (void)state;
    long t[72], c[72], a[72];
    determinism(HL_HKMC_SELECT_TREE, t);
    determinism(HL_HKMC_SELECT_CR, c);
    determinism(HL_HKMC_SELECT_AUTO, a);
    /* auto is composition-rejection; the trees use the stream otherwise */
    assert_memory_equal(a, c, sizeof c);
    assert_true(memcmp(t, c, sizeof c) != 0);
    /* the names and the parser */
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    int sel = -1;
    CHECK_OK(hl_hkmc_select_parse("tree", &sel));
    assert_int_equal(sel, HL_HKMC_SELECT_TREE);
    CHECK_OK(hl_hkmc_select_parse("cr", &sel));
    assert_int_equal(sel, HL_HKMC_SELECT_CR);
    CHECK_OK(hl_hkmc_select_parse("auto", &sel));
    assert_int_equal(sel, HL_HKMC_SELECT_AUTO);
    assert_int_equal(hl_hkmc_select_parse("fenwick", &sel), HL_EINVAL);
    hl_hkmc *k = make_kmc(m, 20, 1, NULL, 0.0);
    assert_string_equal(hl_hkmc_select_name(k), "composition-rejection");
    hl_hkmc_free(k);
    g_select = HL_HKMC_SELECT_TREE;
    k = make_kmc(m, 20, 1, NULL, 0.0);
    assert_string_equal(hl_hkmc_select_name(k), "tree");
    hl_hkmc_free(k);
    k = make_kmc(m, 20, 1, NULL, 0.5);
    assert_string_equal(hl_hkmc_select_name(k), "scan");
    hl_hkmc_free(k);
    g_select = HL_HKMC_SELECT_AUTO;
    hl_hkmc_config bad = {20, 1, NULL, 0.0, 7};
    assert_int_equal(hl_hkmc_create(m, &bad, &k), HL_EINVAL);
    hl_model_free(m);
}

/* D = 10^6 with per-spin disorder runs (O(1) expected selection) */
static void large_dimension(int select)
{
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    g_select = select;
    hl_hkmc *k = make_kmc(m, 1000000, 7, "lognormal:1,lognormal:0.3", 0.0);
    g_select = HL_HKMC_SELECT_AUTO;
    hl_protocol *p = test_protocol_fixed(0.5);
    hl_hkmc_start st = {HL_HKMC_START_CLASS, 250000, 250000, NULL};
    long nev;
    hl_hkmc_traj_info ti;
    double *tt = malloc(sizeof(double) * 200000);
    long *ab = malloc(sizeof(long) * 400000);
    CHECK_OK(hl_hkmc_trajectory(k, p, &st, 0, 1e9, 200000, tt, ab, NULL, &nev, &ti));
    assert_int_equal(nev, 200000);
    for (long e = 1; e < nev; e++) {
        assert_true(tt[e] > tt[e - 1]);
        assert_int_equal(labs(ab[2 * e] - ab[2 * e - 2]) + labs(ab[2 * e + 1] - ab[2 * e - 1]), 1);
    }
    /* at s = d = 0 and beta = 0.5 (phi = s + g(d)) the s drift is negative */
    assert_true(ab[2 * (nev - 1)] < 250000);
    free(tt);
    free(ab);
    hl_protocol_free(p);
    hl_hkmc_free(k);
    hl_model_free(m);
}

/* clean mobility: the corrected eq 5.10 and, for the paper's phi, the
 * exact s relaxation rate 2 cosh(2 beta) (independent spins in a field) */

static void test_large_dimension(void **state)
{
    (void)state;
    large_dimension(HL_HKMC_SELECT_CR);
    large_dimension(HL_HKMC_SELECT_TREE);
}

static void test_mobility_clean(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    /* liquid maxima inside the square (at beta = 0.8 the stable crystal has
       d within 1e-3 of the edge, under one +1 spin in the second half at
       D = 2000: no continuum there, K_dd from the relaxation is 20% off) */
    double betas[] = {0.5, 0.3};
    for (int ib = 0; ib < 2; ib++) {
        double beta = betas[ib];
        long D = 2000;
        hl_hkmc *k = make_kmc(m, D, 11, NULL, 0.0);
        hl_stationary mx[8];
        size_t nmx;
        CHECK_OK(hl_maxima_at(m, beta, mx, 8, &nmx));
        int g = 0;
        for (size_t i = 0; i < nmx && i < 8; i++)
            if (mx[i].stable)
                g = (int)i;
        hl_hkmc_mobility_opts o = {beta, mx[g].x, mx[g].y, 480, 3.0, 2.0, 4.0, 2.5, 101, 0, NULL};
        hl_hkmc_mobility r;
        CHECK_OK(hl_hkmc_mobility_measure(k, &o, &r));
        print_message("beta %g: K jump %.5g %.5g (se %.2g %.2g), relax %.5g %.5g %.5g (se %.2g %.2g), "
                      "formula %.5g %.5g, A %.4g %.4g %.4g %.4g, tail %.3g %.3g\n", beta,
                      r.k_jump[0], r.k_jump[2], r.k_jump_se[0], r.k_jump_se[2], r.k_relax[0],
                      r.k_relax[1], r.k_relax[2], r.k_relax_se[0], r.k_relax_se[2],
                      r.k_formula[0], r.k_formula[2], r.relax_a[0], r.relax_a[1], r.relax_a[2],
                      r.relax_a[3], r.tail[0], r.tail[1]);
        for (int c = 0; c < 3; c += 2) {
            /* jump moments vs the formula: O(1/D) + noise */
            if (fabs(r.k_jump[c] - r.k_formula[c]) > 4 * r.k_jump_se[c] + 0.01 * r.k_formula[c])
                fail_msg("beta %g: K_jump[%d] = %.6g +- %.2g, eq 5.10 %.6g", beta, c,
                         r.k_jump[c], r.k_jump_se[c], r.k_formula[c]);
            if (fabs(r.k_relax[c] - r.k_formula[c]) > 4 * r.k_relax_se[c] + 0.03 * r.k_formula[c])
                fail_msg("beta %g: K_relax[%d] = %.6g +- %.2g, eq 5.10 %.6g", beta, c,
                         r.k_relax[c], r.k_relax_se[c], r.k_formula[c]);
        }
        /* the a-chain's exact rate 2 cosh(2 beta) */
        double lam = 2.0 * cosh(2.0 * beta);
        if (fabs(r.relax_a[0] - lam) > 0.01 * lam + 4 * lam * r.k_relax_se[0] / r.k_relax[0])
            fail_msg("beta %g: A_ss = %.5g, exact 2 cosh(2 beta) = %.5g", beta, r.relax_a[0], lam);
        assert_true(fabs(r.k_relax[1]) < 0.1 * r.k_formula[0]);
        assert_true(r.tail[0] < 0.05 && r.tail[1] < 0.05);
        hl_hkmc_free(k);
    }
    hl_model_free(m);
}

/* per-spin disorder in the s half of the paper's phi: each first-half spin
 * relaxes on its own at f_i 2 cosh(2 beta) (independent spins in a field),
 * so the relaxation gives A_ss = 2 cosh(2 beta) / mean(1 / f_i) exactly in
 * linear response, while the jumps give K_ss = (clean K_ss) mean(f_i): the
 * two measurements differ by the factor mean(f) mean(1/f) */
static void test_mobility_disorder_harmonic_mean(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    double beta = 0.5;
    long D = 600, h = D / 2;
    hl_hkmc *k = make_kmc(m, D, 21, "lognormal:0.7,lognormal:0", 0.0);
    double *f = malloc(sizeof(double) * (size_t)D), mf = 0, mi = 0;
    CHECK_OK(hl_hkmc_factors(k, f));
    for (long i = 0; i < h; i++) {
        mf += f[i] / (double)h;
        mi += 1.0 / f[i] / (double)h;
    }
    for (long i = h; i < D; i++)
        assert_true(f[i] == 1.0);
    hl_stationary mx[8];
    size_t nmx;
    CHECK_OK(hl_maxima_at(m, beta, mx, 8, &nmx));
    int g = 0;
    for (size_t i = 0; i < nmx && i < 8; i++)
        if (mx[i].stable)
            g = (int)i;
    hl_hkmc_mobility_opts o = {beta, mx[g].x, mx[g].y, 320, 3.0, 2.0, 4.0, 8.0, 161, 0, NULL};
    hl_hkmc_mobility r;
    CHECK_OK(hl_hkmc_mobility_measure(k, &o, &r));
    double lam = 2.0 * cosh(2.0 * beta), a_ref = lam / mi;
    print_message("mean f %.4f, mean 1/f %.4f: A_ss %.4f (ref %.4f, se ~%.2g), K_jump/K_formula %.4f, "
                  "tail %.2g\n", mf, mi, r.relax_a[0], a_ref,
                  r.relax_a[0] * r.k_relax_se[0] / r.k_relax[0], r.k_jump[0] / r.k_formula[0], r.tail[0]);
    double se = r.relax_a[0] * r.k_relax_se[0] / r.k_relax[0];
    if (fabs(r.relax_a[0] - a_ref) > 4 * se + 0.02 * a_ref)
        fail_msg("A_ss = %.5g, 2 cosh(2 beta) / mean(1/f) = %.5g (clean %.5g)", r.relax_a[0], a_ref, lam);
    if (fabs(r.k_jump[0] - r.k_formula[0] * mf) > 4 * r.k_jump_se[0] + 0.01 * r.k_formula[0])
        fail_msg("K_jump,ss = %.5g, eq 5.10 x mean f = %.5g", r.k_jump[0], r.k_formula[0] * mf);
    /* the clean second half: its K_dd from the jumps is eq 5.10's */
    assert_true(fabs(r.k_jump[2] - r.k_formula[2]) < 4 * r.k_jump_se[2] + 0.01 * r.k_formula[2]);
    free(f);
    hl_hkmc_free(k);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sumtree_vs_scan),
        cmocka_unit_test(test_clean_vs_class_master_equation),
        cmocka_unit_test(test_clean_protocol_thinning),
        cmocka_unit_test(test_disorder_vs_vertex_master_equation),
        cmocka_unit_test(test_factor_file_and_errors),
        cmocka_unit_test(test_disorder_draws),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_large_dimension),
        cmocka_unit_test(test_mobility_clean),
        cmocka_unit_test(test_mobility_disorder_harmonic_mean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
