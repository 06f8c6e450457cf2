/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks_chain.c -- the exact sums, basins, melting point and the
 * master equation of the model of k blocks (blocks_exact.h, and
 * hl_blocks_chain through chain.h): (a) two equal blocks give the numbers
 * of the two-order-parameter model (exact.h, master.h) for the paper's phi
 * and a non-separable phi with a glass B; (b) a separable phi = sum
 * g_i(m_i) with B = 1: ln Z is the sum of the one-block ln Z's and the
 * rates are the sums of the one-block chains' rates; (c) three blocks
 * against a brute-force sum over all 2^D vertices and the master equation
 * on all vertices; (d) bad input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "hyperland/blocks_exact.h"
#include "hyperland/blocks_kinetics.h"
#include "hyperland/kmc.h"

#define REL(a, b, tol) CHECK_NEAR((a), (b), (tol) * 1e-3, (tol))

static hl_blocks *mk(int k, const long *sizes, const char *phi, const char *trans)
{
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(k, sizes, phi, &b));
    if (trans)
        CHECK_OK(hl_blocks_set_transmission(b, trans));
    return b;
}

/* ------------------------------------------------- (a) the paper's pair */

static void pair_exact(long D, const char *phi_xy, const char *phi_m, double beta)
{
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(phi_xy, &m));
    long sz[2] = {D / 2, D / 2};
    hl_blocks *b = mk(2, sz, phi_m, NULL);
    hl_exact *ex = NULL;
    hl_exact_result r;
    CHECK_OK(hl_exact_create(m, D, HL_EXACT_GENERAL, &ex));
    CHECK_OK(hl_exact_compute(ex, beta, &r));
    hl_blocks_exact *bx = NULL;
    hl_blocks_exact_result q;
    CHECK_OK(hl_blocks_exact_create(b, &bx));
    CHECK_OK(hl_blocks_exact_compute(bx, beta, NULL, &q));
    REL(q.ln_z_per_dim, r.ln_z_per_dim, 1e-12);
    REL(q.mean_x, r.mean_x, 1e-12);
    REL(q.mean_y, r.mean_y, 1e-12);
    REL(q.mean_phi, r.mean_phi, 1e-12);
    REL(q.mean_w, r.mean_w, 1e-12);
    CHECK_NEAR(q.cov_xx, r.cov_xx, 1e-14, 1e-11);
    CHECK_NEAR(q.cov_xy, r.cov_xy, 1e-14, 1e-11);
    CHECK_NEAR(q.cov_yy, r.cov_yy, 1e-14, 1e-11);
    CHECK_NEAR(q.heat_capacity_per_dim, r.heat_capacity_per_dim, 1e-13, 1e-11);
    REL(q.entropy_per_dim, r.entropy_per_dim, 1e-11);
    assert_int_equal(q.n_basins, r.n_basins);
    for (int k = 0; k < r.n_basins; k++) {
        assert_string_equal(q.basins[k].name, r.basins[k].name);
        CHECK_NEAR(q.basins[k].ln_probability, r.basins[k].ln_probability, 1e-12, 1e-12);
        if (!r.basins[k].thermo_null_reason[0]) {
            REL(q.basins[k].ln_z_per_dim, r.basins[k].ln_z_per_dim, 1e-12);
            REL(q.basins[k].mean_phi, r.basins[k].mean_phi, 1e-12);
            REL(q.basins[k].entropy_per_dim, r.basins[k].entropy_per_dim, 1e-11);
            CHECK_NEAR(q.basins[k].heat_capacity_per_dim, r.basins[k].heat_capacity_per_dim,
                       1e-13, 1e-11);
        }
        if (q.basins[k].end >= 0) {
            CHECK_ABS(0.5 * (q.basins[k].m[0] + q.basins[k].m[1]), r.basins[k].x, 1e-15);
            CHECK_ABS(0.5 * (q.basins[k].m[0] - q.basins[k].m[1]), r.basins[k].y, 1e-15);
        }
    }
    assert_true(hl_blocks_basin_find(&q, "liquid") >= 0);
    /* the melting point */
    double bm1, bm2;
    CHECK_OK(hl_exact_melting(ex, 0.55, 1.1, &bm1));
    CHECK_OK(hl_blocks_exact_melting(bx, "liquid", "crystal", 0.55, 1.1, &bm2));
    REL(bm2, bm1, 1e-11);
    hl_blocks_exact_result_free(&q);
    hl_blocks_exact_free(bx);
    hl_exact_free(ex);
    hl_blocks_free(b);
    hl_model_free(m);
}

static void test_pair_exact(void **state)
{
    (void)state;
    pair_exact(40, NULL, NULL, 1.2);
    pair_exact(60, NULL, NULL, 1.45);
    /* non-separable, written in x, y for one and in m1, m2 for the other */
    pair_exact(48, "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.3*x*y",
               "m1-(m2+0.2)^2+0.38*(m2+0.2)^3+0.075*(m1^2-m2^2)", 1.3);
}

static void pair_spectrum(long D, const char *phi, const char *B, double beta)
{
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(phi, &m));
    if (B)
        CHECK_OK(hl_model_set_transmission(m, B));
    long sz[2] = {D / 2, D / 2};
    hl_blocks *b = mk(2, sz, phi, B);
    enum { K = 6 };
    double rates[K], lr[K], re[K], bl[K];
    hl_spectrum_info info;
    CHECK_OK(hl_spectrum_ex(m, D, beta, HL_CONTRACTED, K, rates, lr, re, NULL, &info));
    hl_chain *c = NULL;
    hl_chain_plan *p = NULL;
    hl_chain_result res;
    CHECK_OK(hl_blocks_chain(b, beta, &c));
    CHECK_OK(hl_chain_plan_create(c, beta, &p));
    CHECK_OK(hl_chain_slow_rates(p, K, bl, NULL, 0, &res));
    assert_true(bl[0] == -INFINITY);
    for (int q = 1; q < K; q++) {
        double tol = fmax(1e-12, 2 * (res.resolution + (isnan(re[q]) ? 1e-12 : re[q])));
        CHECK_ABS(bl[q], lr[q], tol);
    }
    hl_chain_plan_free(p);
    hl_chain_free(c);
    hl_blocks_free(b);
    hl_model_free(m);
}

static void test_pair_spectrum(void **state)
{
    (void)state;
    pair_spectrum(40, NULL, NULL, 1.2);
    pair_spectrum(60, NULL, NULL, 2.0); /* tunnelling rate e^-60 */
    pair_spectrum(32, "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.3*x*y", "exp(-2*(x+y+1)^2/T)", 1.4);
}

/* ------------------------------------------------ (b) separable phi */

static const char *G[3] = {"0.5*m1^2-0.3*m1", "m1^3-m1", "-(m1+0.2)^2+0.38*(m1+0.2)^3"};

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_separable(void **state)
{
    (void)state;
    long sz[3] = {6, 8, 10}, D = 24;
    hl_blocks *b = mk(3, sz, "0.5*m1^2-0.3*m1+m2^3-m2-(m3+0.2)^2+0.38*(m3+0.2)^3", NULL);
    double beta = 1.7;
    hl_blocks_exact *bx = NULL;
    hl_blocks_exact_result q;
    CHECK_OK(hl_blocks_exact_create(b, &bx));
    CHECK_OK(hl_blocks_exact_compute(bx, beta, NULL, &q));
    /* one-block models with the energy D g_i: phi_1 = (D / D_i) g_i */
    double lnz = 0, meanphi = 0, var = 0;
    double *all[3];
    long nst[3];
    for (int i = 0; i < 3; i++) {
        char f[256];
        snprintf(f, sizeof f, "%g*(%s)", (double)D / (double)sz[i], G[i]);
        hl_blocks *one = mk(1, &sz[i], f, NULL);
        hl_blocks_exact *ox = NULL;
        hl_blocks_exact_result oq;
        CHECK_OK(hl_blocks_exact_create(one, &ox));
        CHECK_OK(hl_blocks_exact_compute(ox, beta, NULL, &oq));
        lnz += oq.ln_z_per_dim * (double)sz[i];
        meanphi += oq.mean_phi * (double)sz[i] / (double)D;
        var += oq.heat_capacity_per_dim / (beta * beta * (double)sz[i]) * pow((double)sz[i] / D, 2);
        CHECK_NEAR(q.mean_m[i], oq.mean_m[0], 1e-14, 1e-12);
        CHECK_NEAR(q.cov[i * 3 + i], oq.cov[0], 1e-15, 1e-11);
        hl_blocks_exact_result_free(&oq);
        hl_blocks_exact_free(ox);
        /* the one-block chain's whole spectrum */
        hl_chain *c = NULL;
        hl_chain_plan *p = NULL;
        CHECK_OK(hl_blocks_chain(one, beta, &c));
        CHECK_OK(hl_chain_plan_create(c, beta, &p));
        nst[i] = sz[i] + 1;
        all[i] = malloc(sizeof(double) * (size_t)nst[i]);
        CHECK_OK(hl_chain_slow_rates(p, (int)nst[i], all[i], NULL, 0, NULL));
        for (long j = 0; j < nst[i]; j++)
            all[i][j] = exp(all[i][j]); /* exp(-inf) = 0 */
        hl_chain_plan_free(p);
        hl_chain_free(c);
        hl_blocks_free(one);
    }
    REL(q.ln_z_per_dim * (double)D, lnz, 1e-13);
    REL(q.mean_phi, meanphi, 1e-12);
    REL(q.heat_capacity_per_dim, beta * beta * (double)D * var, 1e-11);
    CHECK_ABS(q.cov[1], 0.0, 1e-14); /* independent blocks */
    CHECK_ABS(q.cov[5], 0.0, 1e-14);
    /* the rates: every sum of one-block rates, sorted */
    long ns = nst[0] * nst[1] * nst[2], t = 0;
    double *sums = malloc(sizeof(double) * (size_t)ns);
    for (long a = 0; a < nst[0]; a++)
        for (long c2 = 0; c2 < nst[1]; c2++)
            for (long d = 0; d < nst[2]; d++)
                sums[t++] = all[0][a] + all[1][c2] + all[2][d];
    qsort(sums, (size_t)ns, sizeof(double), cmp_d);
    enum { K = 8 };
    double lr[K];
    hl_chain *c = NULL;
    hl_chain_plan *p = NULL;
    hl_chain_result res;
    CHECK_OK(hl_blocks_chain(b, beta, &c));
    CHECK_OK(hl_chain_plan_create(c, beta, &p));
    CHECK_OK(hl_chain_slow_rates(p, K, lr, NULL, 0, &res));
    for (int k = 1; k < K; k++)
        CHECK_NEAR(exp(lr[k]), sums[k], 1e-13, 1e-10);
    hl_chain_plan_free(p);
    hl_chain_free(c);
    free(sums);
    for (int i = 0; i < 3; i++)
        free(all[i]);
    hl_blocks_exact_result_free(&q);
    hl_blocks_exact_free(bx);
    hl_blocks_free(b);
}

/* ------------------------------------------- (c) three blocks, brute */

static void vertex_m(const long *sz, int k, unsigned v, double *m)
{
    int pos = 0;
    for (int i = 0; i < k; i++) {
        long up = 0;
        for (long j = 0; j < sz[i]; j++, pos++)
            up += (v >> pos) & 1u;
        m[i] = 2.0 * (double)up / (double)sz[i] - 1.0;
    }
}

static void brute3(const long *sz, const char *phi, double beta)
{
    hl_blocks *b = mk(3, sz, phi, NULL);
    long D = hl_blocks_dim(b), nv = 1L << D;
    /* the vertex sums in long double, relative to the lowest energy */
    double emin = INFINITY, m[3];
    for (long v = 0; v < nv; v++) {
        vertex_m(sz, 3, (unsigned)v, m);
        emin = fmin(emin, (double)D * hl_blocks_phi(b, m));
    }
    long double z = 0, s1 = 0, s2 = 0, sm[3] = {0, 0, 0};
    for (long v = 0; v < nv; v++) {
        vertex_m(sz, 3, (unsigned)v, m);
        long double e = (long double)D * hl_blocks_phi(b, m) - emin;
        long double w = expl(-(long double)beta * e);
        z += w;
        s1 += w * e;
        s2 += w * e * e;
        for (int i = 0; i < 3; i++)
            sm[i] += w * m[i];
    }
    double lnz = (double)(logl(z) - (long double)beta * emin);
    double mphi = (double)((s1 / z + emin) / D);
    double var = (double)(s2 / z - (s1 / z) * (s1 / z)); /* of the energy */
    hl_blocks_exact *bx = NULL;
    hl_blocks_exact_result q;
    CHECK_OK(hl_blocks_exact_create(b, &bx));
    int *basin = malloc(sizeof(int) * (size_t)hl_blocks_n_classes(b));
    CHECK_OK(hl_blocks_exact_compute(bx, beta, basin, &q));
    REL(q.ln_z_per_dim * (double)D, lnz, 1e-13);
    REL(q.mean_phi, mphi, 1e-12);
    REL(q.heat_capacity_per_dim, beta * beta * var / (double)D, 1e-10);
    for (int i = 0; i < 3; i++)
        CHECK_NEAR(q.mean_m[i], (double)(sm[i] / z), 1e-14, 1e-12);
    /* basins: an independent ascent; probabilities add up */
    double ptot = 0;
    for (int j = 0; j < q.n_basins; j++)
        ptot += q.basins[j].probability;
    CHECK_REL(ptot, 1.0, 1e-13);
    long nc = hl_blocks_n_classes(b);
    for (long i = 0; i < nc; i++) {
        long cur = i;
        for (;;) {
            long n[3], best = cur;
            double mm[3];
            hl_blocks_class(b, cur, n, mm);
            double bv = hl_blocks_ln_count(b, n) - beta * (double)D * hl_blocks_phi(b, mm);
            long str[3] = {(sz[1] + 1) * (sz[2] + 1), sz[2] + 1, 1};
            for (int a = 0; a < 3; a++)
                for (int s = 1; s >= -1; s -= 2) {
                    long nb = n[a] + s;
                    if (nb < 0 || nb > sz[a])
                        continue;
                    long j = cur + s * str[a];
                    long n2[3];
                    hl_blocks_class(b, j, n2, mm);
                    double v = hl_blocks_ln_count(b, n2) - beta * (double)D * hl_blocks_phi(b, mm);
                    if (v > bv) {
                        bv = v;
                        best = j;
                    }
                }
            if (best == cur)
                break;
            cur = best;
        }
        assert_int_equal(q.basins[basin[i]].end, cur);
    }
    free(basin);
    hl_blocks_exact_result_free(&q);
    hl_blocks_exact_free(bx);
    hl_blocks_free(b);
}

static void test_three_brute(void **state)
{
    (void)state;
    long s1[3] = {4, 4, 4}, s2[3] = {3, 5, 6};
    brute3(s1, "m1*m2-0.5*m3^3+0.2*m1*m3", 2.0);
    brute3(s2, "(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2", 1.4);
    brute3(s2, "sin(3*m1*m2)+m3^2*m1", 0.6);
}

/* The slow rates of the class chain are rates of the master equation on
 * all 2^D vertices (dense). */
static void test_three_vertex_rates(void **state)
{
    (void)state;
    long sz[3] = {2, 3, 3};
    const char *phi = "(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2";
    hl_blocks *b = mk(3, sz, phi, "exp(-(m1+1)^2/T)");
    double beta = 2.2;
    long D = 8, nv = 1L << D;
    hl_chain *vc = NULL, *cc = NULL;
    CHECK_OK(hl_chain_create(nv, &vc));
    double m[3], m2[3];
    for (long v = 0; v < nv; v++) {
        vertex_m(sz, 3, (unsigned)v, m);
        CHECK_OK(hl_chain_set_state(vc, v, 0.0, (double)D * hl_blocks_phi(b, m)));
    }
    for (long v = 0; v < nv; v++)
        for (int bit = 0; bit < D; bit++) {
            long u = v ^ (1L << bit);
            if (u < v)
                continue;
            vertex_m(sz, 3, (unsigned)v, m);
            vertex_m(sz, 3, (unsigned)u, m2);
            for (int i = 0; i < 3; i++)
                m[i] = 0.5 * (m[i] + m2[i]);
            CHECK_OK(hl_chain_add_edge(vc, v, u, log(hl_blocks_transmission(b, m, 1 / beta)), 0));
        }
    CHECK_OK(hl_blocks_chain(b, beta, &cc));
    hl_chain_plan *pv = NULL, *pc = NULL;
    CHECK_OK(hl_chain_plan_create(vc, beta, &pv));
    CHECK_OK(hl_chain_plan_create(cc, beta, &pc));
    double *rv = malloc(sizeof(double) * (size_t)nv);
    CHECK_OK(hl_chain_spectrum(pv, (int)nv, rv, NULL));
    enum { K = 6 };
    double lr[K];
    CHECK_OK(hl_chain_slow_rates(pc, K, lr, NULL, 0, NULL));
    for (int j = 1; j < K; j++) {
        double best = INFINITY, r = exp(lr[j]);
        for (long i = 0; i < nv; i++)
            best = fmin(best, fabs(rv[i] - r));
        CHECK_ABS(best, 0.0, 1e-9 * r + 1e-13 * rv[nv - 1]);
    }
    free(rv);
    hl_chain_plan_free(pv);
    hl_chain_plan_free(pc);
    hl_chain_free(vc);
    hl_chain_free(cc);
    hl_blocks_free(b);
}


/* mfpt, committor and evolution of the pair against the two-order-parameter
 * path (master.h, evolve.h) */
static void pair_kinetics(long D, const char *phi, const char *B, double beta)
{
    hl_model *m = NULL;
    CHECK_OK(hl_model_create(phi, &m));
    if (B)
        CHECK_OK(hl_model_set_transmission(m, B));
    long sz[2] = {D / 2, D / 2};
    hl_blocks *b = mk(2, sz, phi, B);
    hl_passage pa;
    CHECK_OK(hl_mfpt_by(m, D, beta, "liquid", "crystal", "graph-transformation", &pa, NULL));
    hl_blocks_passage pb;
    long N = hl_blocks_n_classes(b);
    double *lq = malloc(sizeof(double) * (size_t)N);
    CHECK_OK(hl_blocks_mfpt(b, beta, "liquid", "crystal", NULL, lq, &pb));
    REL(pb.ln_mfpt, pa.ln_mfpt, 1e-12);
    long n[2];
    hl_blocks_class(b, pb.start, n, NULL);
    assert_int_equal(n[0], pa.from_n1);           /* block 1 = n1 */
    assert_int_equal(n[0] + n[1], pa.from_n);
    assert_true(lq[pb.start] == -INFINITY);
    /* the committor of the two-order-parameter path, class (a, b) */
    double *lq2 = malloc(sizeof(double) * (size_t)N);
    hl_passage pc;
    hl_passage_info pi;
    CHECK_OK(hl_committor_by(m, D, beta, "liquid", "crystal", NULL, lq2, &pc, &pi));
    for (long i = 0; i < N; i++) {
        if (lq2[i] == -INFINITY)
            assert_true(lq[i] == -INFINITY);
        else
            CHECK_NEAR(lq[i], lq2[i], 1e-12, 1e-11);
    }
    /* evolution from the liquid under a protocol (B with T: rebuilt) */
    double times[3] = {1.0, 50.0, 1e5};
    hl_protocol *pr = NULL;
    double tt[2] = {0.0, 40.0}, vv[2] = {1.0 / beta, 0.8 / beta};
    CHECK_OK(hl_protocol_create(HL_PROTOCOL_T, 2, tt, vv, &pr));
    hl_evolve_start st = {HL_START_BASIN, "liquid", 0, NULL, {0, 0}};
    hl_evolve_point pts[3];
    hl_evolve_info info;
    double *q = malloc(sizeof(double) * (size_t)N * 3);
    CHECK_OK(hl_evolve(m, D, pr, &st, times, 3, HL_EVOLVE_GENERAL, 1e-11, pts, q, &info));
    double *p0 = calloc((size_t)N, sizeof(double)), *pb2 = malloc(sizeof(double) * (size_t)N * 3);
    p0[pb.start] = 1.0; /* the liquid's class at beta(0) = beta */
    CHECK_OK(hl_blocks_evolve(b, pr, p0, times, 3, 1e-11, pb2, NULL));
    for (int j = 0; j < 3; j++) {
        double mx = 0, my = 0;
        for (long i = 0; i < N; i++) {
            double mm[2];
            hl_blocks_class(b, i, NULL, mm);
            mx += pb2[j * N + i] * 0.5 * (mm[0] + mm[1]);
            my += pb2[j * N + i] * 0.5 * (mm[0] - mm[1]);
            /* the classes: (a, b) = (n1, n2), index a (h + 1) + b in both */
            CHECK_ABS(pb2[j * N + i], q[j * N + i], 1e-8);
        }
        CHECK_ABS(mx, pts[j].mean_x, 1e-8);
        CHECK_ABS(my, pts[j].mean_y, 1e-8);
    }
    hl_protocol_free(pr);
    free(q);
    free(p0);
    free(pb2);
    free(lq);
    free(lq2);
    hl_blocks_free(b);
    hl_model_free(m);
}

static void test_pair_kinetics(void **state)
{
    (void)state;
    pair_kinetics(30, NULL, NULL, 1.2);
    pair_kinetics(24, "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.3*x*y", "exp(-2*(x+y+1)^2/T)", 1.4);
}

/* kmc on the class lattice: the mean first-passage time of many
 * trajectories against hl_blocks_mfpt (3 blocks) */
static void test_kmc_mfpt(void **state)
{
    (void)state;
    long sz[3] = {4, 4, 4};
    hl_blocks *b = mk(3, sz, "(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2", NULL);
    double beta = 1.5;
    hl_blocks_passage ps;
    CHECK_OK(hl_blocks_mfpt(b, beta, "b2", "b1", NULL, NULL, &ps));
    hl_blocks_exact *ex = NULL;
    hl_blocks_exact_result r;
    long N = hl_blocks_n_classes(b);
    int *basin = malloc(sizeof(int) * (size_t)N);
    long *target = malloc(sizeof(long) * (size_t)N);
    CHECK_OK(hl_blocks_exact_create(b, &ex));
    CHECK_OK(hl_blocks_exact_compute(ex, beta, basin, &r));
    size_t nt = 0;
    for (long i = 0; i < N; i++)
        if (basin[i] == hl_blocks_basin_find(&r, "b1"))
            target[nt++] = i;
    hl_chain *c = NULL;
    hl_protocol *pr = NULL;
    hl_kmc *km = NULL;
    CHECK_OK(hl_blocks_chain(b, beta, &c));
    CHECK_OK(hl_protocol_create_fixed(beta, &pr));
    CHECK_OK(hl_kmc_create_chain(c, pr, &km));
    double t1 = 1.0;
    hl_kmc_options o = {0};
    o.seed = 12345;
    o.times = &t1;
    o.n_times = 1;
    o.start = ps.start;
    o.target = target;
    o.n_target = nt;
    hl_kmc_part part;
    CHECK_OK(hl_kmc_ensemble(km, &o, 0, 4000, &part));
    hl_kmc_fpt fs;
    CHECK_OK(hl_kmc_fpt_stats(&part, &fs, NULL));
    assert_int_equal(fs.reached, 4000);
    /* within 4 standard errors */
    CHECK_ABS(fs.mean, exp(ps.ln_mfpt), 4 * fs.sem);
    hl_kmc_part_free(&part);
    hl_kmc_free(km);
    hl_protocol_free(pr);
    hl_chain_free(c);
    hl_blocks_exact_result_free(&r);
    hl_blocks_exact_free(ex);
    free(basin);
    free(target);
    hl_blocks_free(b);
}

/* ------------------------------------------------------ (d) errors */

static void test_errors(void **state)
{
    (void)state;
    hl_blocks_exact *bx = NULL;
    assert_int_equal(hl_blocks_exact_create(NULL, &bx), HL_EINVAL);
    hl_blocks *big = NULL;
    CHECK_OK(hl_blocks_create_equal(8, 160, "m1", &big));
    assert_int_equal(hl_blocks_exact_create(big, &bx), HL_ERANGE);
    assert_null(bx);
    hl_blocks_free(big);
    long sz[3] = {4, 4, 4};
    hl_blocks *b = mk(3, sz, "m1*m2-0.5*m3^3", NULL);
    CHECK_OK(hl_blocks_exact_create(b, &bx));
    hl_blocks_exact_result q;
    assert_int_equal(hl_blocks_exact_compute(bx, 0.0, NULL, &q), HL_EDOM);
    assert_int_equal(hl_blocks_exact_compute(bx, NAN, NULL, &q), HL_EDOM);
    CHECK_OK(hl_blocks_exact_compute(bx, 1.0, NULL, &q));
    assert_int_equal(hl_blocks_basin_find(&q, "nosuch"), -1);
    assert_int_equal(hl_blocks_basin_find(&q, "m=0.1,0.2"), -1);   /* too few */
    assert_int_equal(hl_blocks_basin_find(&q, "m=0.1,0.2,x"), -1); /* not a number */
    assert_true(hl_blocks_basin_find(&q, "m=0,0,0") >= 0);
    assert_int_equal(hl_blocks_basin_find(&q, "b1"), 0);
    hl_blocks_exact_result_free(&q);
    double bm;
    assert_int_equal(hl_blocks_exact_melting(bx, "b1", "b1", 0.5, 2.0, &bm), HL_ENOTFOUND);
    assert_int_equal(hl_blocks_exact_melting(bx, "b1", "b2", 2.0, 0.5, &bm), HL_EDOM);
    hl_blocks_exact_free(bx);
    hl_blocks_passage ps;
    assert_int_equal(hl_blocks_mfpt(b, 1.0, "b1", "b1", NULL, NULL, &ps), HL_EINVAL);
    assert_int_equal(hl_blocks_mfpt(b, 1.0, "nosuch", "b1", NULL, NULL, &ps), HL_ENOTFOUND);
    assert_int_equal(hl_blocks_mfpt(b, 1.0, NULL, "b1", NULL, NULL, &ps), HL_EINVAL);
    hl_protocol *pr = NULL;
    CHECK_OK(hl_protocol_create_fixed(1.0, &pr));
    double p0[125] = {0}, t = 1, out[125];
    assert_int_equal(hl_blocks_evolve(b, pr, p0, &t, 1, 1e-8, out, NULL), HL_EDOM); /* sum 0 */
    hl_protocol_free(pr);
    hl_blocks_free(b);
}

/* Ties in phi (a symmetric phi): numbered by class, aliases refused (-2);
 * lists of basins; flat tops one basin (blocks_exact.h). */
static void test_ties_lists_plateaus(void **state)
{
    (void)state;
    long sz[3] = {4, 4, 4};
    hl_blocks *b = mk(3, sz, "-(m1^2+m2^2+m3^2) + 0.5*(m1^4+m2^4+m3^4)", NULL);
    hl_blocks_exact *bx = NULL;
    CHECK_OK(hl_blocks_exact_create(b, &bx));
    hl_blocks_exact_result q;
    CHECK_OK(hl_blocks_exact_compute(bx, 3.0, NULL, &q));
    assert_int_equal(q.n_basins, 8);
    for (int j = 1; j < q.n_basins; j++) /* ties in class order */
        assert_true(q.basins[j].end > q.basins[j - 1].end);
    int idx = 0;
    assert_int_equal(hl_blocks_basin_lookup(&q, "crystal", &idx), HL_ENOTFOUND);
    assert_int_equal(idx, -2);
    assert_non_null(strstr(hl_errmsg(), "b1, b2, b3, b4, b5, b6, b7, b8"));
    assert_int_equal(hl_blocks_basin_find(&q, "liquid"), -1);
    assert_int_equal(hl_blocks_basin_lookup(&q, "nosuch", &idx), HL_ENOTFOUND);
    assert_int_equal(idx, -1);
    int list[8], n = 0;
    CHECK_OK(hl_blocks_basin_list(&q, "b3,m=1,1,1,b2", list, 8, &n));
    assert_int_equal(n, 3);
    assert_int_equal(list[0], 2);
    assert_int_equal(list[1], 7);
    assert_int_equal(list[2], 1);
    assert_int_equal(hl_blocks_basin_list(&q, "b3,b3", list, 8, &n), HL_EINVAL);
    assert_int_equal(hl_blocks_basin_list(&q, "b3,", list, 8, &n), HL_EINVAL);
    assert_int_equal(hl_blocks_basin_list(&q, "b1,b2,b3", list, 2, &n), HL_EINVAL);
    hl_blocks_exact_result_free(&q);
    hl_blocks_exact_free(bx);
    hl_blocks_free(b);
    /* a flat top: odd blocks, phi = 0 (ln C(3,1) = ln C(3,2)) */
    long odd[2] = {3, 5};
    b = mk(2, odd, "0", NULL);
    CHECK_OK(hl_blocks_exact_create(b, &bx));
    int basin[24];
    CHECK_OK(hl_blocks_exact_compute(bx, 1.0, basin, &q));
    assert_int_equal(q.n_basins, 1);
    assert_int_equal(q.basins[0].end, 1 * 6 + 2); /* n = (1, 2): the lowest of the top */
    assert_int_equal(q.basins[0].classes, 24);
    for (int i = 0; i < 24; i++)
        assert_int_equal(basin[i], 0);
    hl_blocks_exact_result_free(&q);
    hl_blocks_exact_free(bx);
    hl_blocks_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_exact),     cmocka_unit_test(test_pair_spectrum),
        cmocka_unit_test(test_separable),      cmocka_unit_test(test_three_brute),
        cmocka_unit_test(test_three_vertex_rates), cmocka_unit_test(test_pair_kinetics),
        cmocka_unit_test(test_kmc_mfpt),       cmocka_unit_test(test_errors),
        cmocka_unit_test(test_ties_lists_plateaus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
