/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_network.c -- networks read from files (network.h): the real
 * databases' counts against the ktn README, the thermodynamics against an
 * mpmath reference (tests/ref/network_thermo.py), the PATHSAMPLE rate
 * mapping against the README's formula and the published Dijkstra k^SS of
 * the LJ38 tutorial path, the bookkeeping (parallel and degenerate
 * transition states, the component, the sets), and every error naming its
 * file and line, on small files written here. */
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "ref/network_thermo_ref.h"
#include "ref/network_passage_ref.h"

#ifndef HL_TEST_DATA_DIR
#error "HL_TEST_DATA_DIR must be defined (tests/CMakeLists.txt)"
#endif

static char tmpdir[256];

static double lse2(double a, double b)
{
    if (a == -INFINITY)
        return b;
    if (b == -INFINITY)
        return a;
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

static long hl_network_info_minima(const hl_network *net)
{
    hl_network_info in;
    CHECK_OK(hl_network_get_info(net, &in));
    return in.network_minima;
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/hl_test_network_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Write bytes to tmpdir/name; returns the path (static ring). */
static const char *put(const char *name, const char *text, size_t len)
{
    static char ring[8][320];
    static int next;
    char *p = ring[next];
    next = (next + 1) % 8;
    snprintf(p, 320, "%s/%s", tmpdir, name);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return p;
}
#define PUT(name, text) put((name), (text), strlen(text))

static const char *data(const char *db)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", HL_TEST_DATA_DIR, db);
    return p;
}

/* The message of the last failure contains every given piece. */
static void expect_msg(int st, int code, const char *a, const char *b, const char *c)
{
    const char *m = hl_errmsg();
    if (st != code || (a && !strstr(m, a)) || (b && !strstr(m, b)) || (c && !strstr(m, c))) {
        print_error("status %d (wanted %d), message '%s', wanted '%s' '%s' '%s'\n", st, code, m,
                    a ? a : "", b ? b : "", c ? c : "");
        fail();
    }
    assert_null(strchr(m, '\n'));
}

/* Read min/ts written here; expect an error naming file and line. */
static void bad_pathsample(const char *min, const char *ts, const char *file, const char *line,
                           const char *what)
{
    const char *pm = PUT("min.data", min), *pt = PUT("ts.data", ts);
    hl_network *net = (hl_network *)1;
    int st = hl_network_read_pathsample(pm, pt, &net);
    assert_null(net);
    expect_msg(st, HL_EPARSE, file, line, what);
}

static void bad_csv(const char *states, const char *trans, const char *file, const char *line,
                    const char *what)
{
    const char *ps = PUT("states.csv", states), *pt = PUT("trans.csv", trans);
    hl_network *net = NULL;
    int st = hl_network_read_csv(ps, pt, &net);
    assert_null(net);
    expect_msg(st, HL_EPARSE, file, line, what);
}

/* ------------------------------------------------- real databases */

static void test_real_counts(void **state)
{
    (void)state;
    hl_network *net;
    hl_network_info in;
    /* LJ38-4k: the ktn README's table and notes */
    CHECK_OK(hl_network_read_pathsample_dir(data("LJ38-4k"), &net));
    CHECK_OK(hl_network_build(net, NULL));
    CHECK_OK(hl_network_get_info(net, &in));
    assert_int_equal(in.pathsample, 1);
    assert_int_equal(in.minima, 4000);
    assert_int_equal(in.transition_states, 2677);
    assert_int_equal(in.degenerate_ts, 24);
    assert_int_equal(in.components, 1620);
    assert_int_equal(in.isolated, 238);
    assert_int_equal(in.network_minima, 900);
    assert_int_equal(in.dropped_minima, 3100);
    assert_int_equal(in.dropped_components, 1619);
    assert_int_equal(in.root_id, 1);
    assert_int_equal(in.n_set_given[0], 5);
    assert_int_equal(in.n_set[0], 5);
    assert_int_equal(in.n_set_given[1], 395);
    assert_int_equal(in.n_set[1], 128);
    const long *ids;
    size_t n;
    CHECK_OK(hl_network_dropped(net, HL_NETWORK_B, &ids, &n));
    assert_int_equal(n, 267);
    for (size_t i = 0; i < n; i++) {
        long k;
        CHECK_OK(hl_network_state(net, ids[i], &k));
        assert_int_equal(k, -1);
        assert_true(ids[i] >= 6 && ids[i] <= 400 && (i == 0 || ids[i] > ids[i - 1]));
    }
    CHECK_OK(hl_network_dropped(net, HL_NETWORK_A, &ids, &n));
    assert_int_equal(n, 0);
    /* the one outlier: minimum 2020, F 58.1 below its one neighbour */
    const hl_network_warning *w;
    size_t nw = hl_network_warnings(net, &w);
    assert_int_equal(nw, 1);
    assert_int_equal(w[0].kind, HL_NETWORK_WARN_OUTLIER);
    assert_int_equal(w[0].id, 2020);
    assert_int_equal(w[0].other, 1);
    CHECK_NEAR(w[0].value, (538.6689031723 - 480.5616120786) / 2, 0.05, 0);
    assert_non_null(strstr(w[0].text, "minimum 2020"));
    /* the chain: one state per network minimum, every TS of the network */
    hl_chain_info ci;
    hl_chain_get_info(hl_network_chain(net), &ci);
    assert_int_equal(ci.states, 900);
    assert_int_equal(ci.edges, in.network_ts);
    assert_int_equal(ci.pairs, in.network_pairs);
    assert_int_equal(ci.self_loops, 0);
    hl_network_free(net);

    /* the small ones */
    struct {
        const char *db;
        long minima, ts, deg, net, comps, dups;
    } t[] = {{"LJ38-tutorial-12", 12, 11, 0, 12, 1, 0},
             {"pygt-32state", 32, 70, 0, 32, 1, 23},
             {"nine-community", 994, 4320, 0, 994, 1, 4}};
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        CHECK_OK(hl_network_read_pathsample_dir(data(t[k].db), &net));
        CHECK_OK(hl_network_build(net, NULL));
        CHECK_OK(hl_network_get_info(net, &in));
        assert_int_equal(in.minima, t[k].minima);
        assert_int_equal(in.transition_states, t[k].ts);
        assert_int_equal(in.degenerate_ts, t[k].deg);
        assert_int_equal(in.network_minima, t[k].net);
        assert_int_equal(in.components, t[k].comps);
        nw = hl_network_warnings(net, &w);
        assert_int_equal(nw, t[k].dups);
        for (size_t i = 0; i < nw; i++)
            assert_int_equal(w[i].kind, HL_NETWORK_WARN_DUPLICATE);
        hl_network_free(net);
    }
}

/* ln p at T = 0.2 of LJ38-4k's outlier 2020: 24% of the population (the
 * ktn README), the same from the chain's plan and from the thermodynamics. */
static void test_outlier_population(void **state)
{
    (void)state;
    hl_network *net;
    CHECK_OK(hl_network_read_pathsample_dir(data("LJ38-4k"), &net));
    CHECK_OK(hl_network_build(net, NULL));
    long k;
    CHECK_OK(hl_network_state(net, 2020, &k));
    assert_true(k >= 0);
    hl_chain_plan *plan;
    CHECK_OK(hl_chain_plan_create(hl_network_chain(net), 1 / 0.2, &plan));
    double *lp = malloc(900 * sizeof *lp);
    CHECK_OK(hl_chain_equilibrium(plan, lp));
    hl_network_thermo th;
    CHECK_OK(hl_network_thermodynamics(net, 0.2, 0, &th));
    /* E, F, o of minimum 2020 from its line of min.data */
    double E = -168.9346005451, F = 480.5616120786, o = 1; /* checked below */
    FILE *fp = fopen(data("LJ38-4k/min.data"), "r");
    assert_non_null(fp);
    char line[256];
    for (int i = 1; i <= 2020; i++)
        assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_int_equal(sscanf(line, "%lf %lf %lf", &E, &F, &o), 3);
    CHECK_NEAR(lp[k], -E / 0.2 - F / 2 - log(o) - th.ln_Z, 1e-10, 0);
    assert_true(exp(lp[k]) > 0.235 && exp(lp[k]) < 0.245);
    free(lp);
    hl_chain_plan_free(plan);
    hl_network_free(net);
}

static void test_thermo_reference(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof NETWORK_THERMO_REF / sizeof NETWORK_THERMO_REF[0]; r++) {
        const network_thermo_ref *x = &NETWORK_THERMO_REF[r];
        hl_network *net;
        CHECK_OK(hl_network_read_pathsample_dir(data(x->db), &net));
        CHECK_OK(hl_network_build(net, NULL));
        hl_network_info in;
        CHECK_OK(hl_network_get_info(net, &in));
        assert_int_equal(in.network_minima, x->n_network);
        hl_network_thermo th, tm;
        CHECK_OK(hl_network_thermodynamics(net, x->T, 0, &th));
        CHECK_NEAR(th.ln_Z, x->ln_Z, 1e-12, 1e-14);
        CHECK_NEAR(th.mean_energy, x->mean_E, 1e-12, 1e-14);
        CHECK_REL(th.heat_capacity, x->c_conf, 1e-11);
        CHECK_REL(exp(th.ln_heat_capacity_conf), x->c_conf, 1e-11);
        /* ln P near 0 keeps its relative accuracy (LJ38-4k, T = 0.01:
         * ln P_A = -1.8e-28), far from 0 its absolute accuracy */
        CHECK_NEAR(th.ln_pop[0], x->ln_pa, 1e-12, 1e-10);
        CHECK_NEAR(th.ln_pop[1], x->ln_pb, 1e-12, 1e-10);
        CHECK_REL(th.pop[0], exp(x->ln_pa), 1e-11);
        CHECK_REL(th.pop[1], exp(x->ln_pb), 1e-11);
        /* K classical modes add K to the heat capacity only */
        CHECK_OK(hl_network_thermodynamics(net, x->T, 108, &tm));
        CHECK_REL(tm.heat_capacity, x->c_conf + 108, 1e-14);
        assert_true(tm.ln_Z == th.ln_Z && tm.mean_energy == th.mean_energy);
        hl_network_free(net);
    }
}

/* Rates: the README's ln k(a->b via s) = ln(o_a/(2 pi o_s)) + (F_a -
 * F_s)/2 - (E_s - E_a)/T, for every TS of the tutorial path at two T, and
 * PATHSAMPLE's published Dijkstra k^SS of the path at T = 0.1. */
static void test_rates_and_dijkstra(void **state)
{
    (void)state;
    double Em[13], Fm[13], om[13];
    FILE *fp = fopen(data("LJ38-tutorial-12/min.data"), "r");
    assert_non_null(fp);
    for (int i = 1; i <= 12; i++)
        assert_int_equal(fscanf(fp, "%lf %lf %lf %*f %*f %*f", &Em[i], &Fm[i], &om[i]), 3);
    fclose(fp);
    hl_network *net;
    CHECK_OK(hl_network_read_pathsample_dir(data("LJ38-tutorial-12"), &net));
    CHECK_OK(hl_network_build(net, NULL));
    const double temps[2] = {0.1, 0.02};
    for (int it = 0; it < 2; it++) {
        double T = temps[it];
        hl_chain_plan *plan;
        CHECK_OK(hl_chain_plan_create(hl_network_chain(net), 1 / T, &plan));
        fp = fopen(data("LJ38-tutorial-12/ts.data"), "r");
        assert_non_null(fp);
        double Es, Fs, os;
        int a, b, count = 0;
        while (fscanf(fp, "%lf %lf %lf %d %d %*f %*f %*f", &Es, &Fs, &os, &a, &b) == 5) {
            for (int dir = 0; dir < 2; dir++) {
                int x = dir ? b : a, y = dir ? a : b;
                double ref = log(om[x] / (2 * TEST_PI * os)) + (Fm[x] - Fs) / 2 - (Es - Em[x]) / T;
                long kx, ky;
                double got;
                CHECK_OK(hl_network_state(net, x, &kx));
                CHECK_OK(hl_network_state(net, y, &ky));
                CHECK_OK(hl_chain_ln_rate(plan, kx, ky, &got));
                /* the chain forms the differences E_ts - E_a before the
                 * product with beta: a few ulp of the terms, not of |E|/T
                 * (8,700 at T = 0.02: 2e-12 lost when beta E_ts and beta
                 * E_a were formed apart) */
                double terms = fabs(log(om[x] / (2 * TEST_PI * os))) + fabs(Fm[x] - Fs) / 2 +
                               fabs(Es - Em[x]) / T;
                /* and S = -F/2 - ln o (- ln 2 pi) rounded at |F|/2 ~ 270 */
                CHECK_ABS(got, ref, 8 * 2.2e-16 * (terms + (fabs(Fm[x]) + fabs(Fs)) / 2));
            }
            count++;
        }
        fclose(fp);
        assert_int_equal(count, 11);
        if (T == 0.1) {
            /* k^SS(A <- B) of the best path 8 9 10 6 12 3 4 1 2 = K_8 prod k_ij/K_i */
            const int path[9] = {8, 9, 10, 6, 12, 3, 4, 1, 2};
            double lnk = 0;
            for (int s = 0; s + 1 < 9; s++) {
                long ki, kj;
                CHECK_OK(hl_network_state(net, path[s], &ki));
                CHECK_OK(hl_network_state(net, path[s + 1], &kj));
                double lij, lK = -INFINITY;
                CHECK_OK(hl_chain_ln_rate(plan, ki, kj, &lij));
                for (long g = 0; g < 12; g++) {
                    double l;
                    CHECK_OK(hl_chain_ln_rate(plan, ki, g, &l));
                    if (g != ki)
                        lK = lse2(lK, l);
                }
                lnk += lij - lK;
                if (s == 0)
                    lnk += lK; /* K_8 */
            }
            CHECK_REL(exp(lnk), 1.078101912e-18, 1e-9);
        }
        hl_chain_plan_free(plan);
    }
    hl_network_free(net);
}


/* ------------------------------------------------------------ passage */

/* Both directions' MFPT, k_NSS, k_SS and the committor by the graph
 * transformation (log space) against the mpmath reference
 * (tests/ref/network_passage.py: rates without logs, sparse LU with
 * subtractions at 40 + range digits) at several temperatures on each
 * database with sets, down to ln k = -500 (LJ38 at T = 0.01); the sparse
 * direct solve (double precision, independent) where it applies, within its
 * own stated resolution; the slowest rates against mpmath's eigsy. */
static void test_passage_reference(void **state)
{
    (void)state;
    size_t nref = sizeof NETWORK_PASSAGE_REF / sizeof NETWORK_PASSAGE_REF[0];
    const char *last = "";
    hl_network *net = NULL;
    int direct_used = 0, rates_checked = 0;
    for (size_t i = 0; i < nref; i++) {
        const network_passage_ref *r = &NETWORK_PASSAGE_REF[i];
        if (strcmp(r->db, last)) {
            hl_network_free(net);
            CHECK_OK(hl_network_read_pathsample_dir(data(r->db), &net));
            CHECK_OK(hl_network_build(net, NULL));
            last = r->db;
        }
        const long *sa, *sb;
        size_t na, nb;
        CHECK_OK(hl_network_set_states(net, HL_NETWORK_A, &sa, &na));
        CHECK_OK(hl_network_set_states(net, HL_NETWORK_B, &sb, &nb));
        hl_chain_plan *plan;
        CHECK_OK(hl_chain_plan_create(hl_network_chain(net), 1 / r->T, &plan));
        const char *methods[2] = {"graph-transformation", "sparse-direct"};
        for (int m = 0; m < 2; m++) {
            hl_chain_direction ab, ba;
            hl_chain_result res;
            int st = hl_chain_rate_constants(plan, na, sa, nb, sb, methods[m], &ab, &ba, &res);
            if (m == 1 && st == HL_ERANGE)
                continue; /* beyond double precision (low T): said so */
            CHECK_OK(st);
            assert_string_equal(res.method, methods[m]);
            /* graph transformation: a few ulp of the ln values and of ln M
             * = -F/2 - ln o - E/T (|F|/2 ~ 270: 6e-14 an ulp; before the
             * differences were formed first, 2e-12 was lost at T = 0.01);
             * sparse direct: its stated resolution (relative, on the values) */
            double tol = m == 0 ? 2e-13 : 2 * res.resolution;
            if (m == 1) {
                if (!(res.resolution < 1e-3))
                    continue; /* too ill-conditioned to say anything */
                direct_used++;
            }
            const double got[6] = {ba.ln_mfpt, ba.ln_k_nss, ba.ln_k_ss,
                                   ab.ln_mfpt, ab.ln_k_nss, ab.ln_k_ss};
            const double ref[6] = {r->ln_mfpt_ba, r->ln_knss_ba, r->ln_kss_ba,
                                   r->ln_mfpt_ab, r->ln_knss_ab, r->ln_kss_ab};
            for (int k = 0; k < 6; k++)
                CHECK_NEAR(got[k], ref[k], tol, m == 0 ? 1e-15 : 0);
            CHECK_NEAR(ba.ln_k_f, -r->ln_mfpt_ba, tol, m == 0 ? 1e-15 : 0);
            CHECK_NEAR(ab.ln_k_f, -r->ln_mfpt_ab, tol, m == 0 ? 1e-15 : 0);
            /* the committor: q and 1 - q each with its own digits */
            long n = hl_network_info_minima(net), k;
            double *lq = malloc(sizeof(double) * (size_t)n), *lqm = malloc(sizeof(double) * (size_t)n);
            assert_non_null(lq);
            assert_non_null(lqm);
            CHECK_OK(hl_chain_committor(plan, na, sa, nb, sb, methods[m], lq, lqm, &res));
            CHECK_OK(hl_network_state(net, r->id, &k));
            assert_true(k >= 0);
            CHECK_ABS(lq[k], r->ln_q, m == 0 ? 1e-13 : 2 * res.resolution);
            CHECK_ABS(lqm[k], r->ln_qm, m == 0 ? 1e-13 : 2 * res.resolution);
            free(lq);
            free(lqm);
        }
        if (r->n_rates > 0) {
            /* every rate, however small: e^-437 at T = 0.01 (the double
             * eigensolver resolved none of the four slowest there) */
            double lr[8];
            char why[600];
            hl_chain_result res;
            CHECK_OK(hl_chain_slow_rates(plan, r->n_rates + 1, lr, why, sizeof why, &res));
            assert_true(lr[0] == -INFINITY);
            assert_true(res.resolution < 1e-5);
            for (int q = 0; q < r->n_rates; q++) {
                if (isnan(lr[q + 1]))
                    print_error("%s T = %g rate %d: %s\n", r->db, r->T, q + 1, why);
                CHECK_NEAR(lr[q + 1], r->ln_rates[q], 1e-13 + 2 * res.resolution, 1e-15);
                rates_checked++;
            }
        }
        hl_chain_plan_free(plan);
    }
    hl_network_free(net);
    assert_true(direct_used >= 6);
    assert_true(rates_checked >= 40);
}

/* The slowest rates by the log-space and gt-lanczos methods against the double-precision
 * eigensolver (independent: LAPACK / ARPACK with the Dirichlet-form
 * polish) where the latter resolves them, within its stated absolute
 * resolution, on LJ38-4k and nine-community; and at low T, where the
 * double eigensolver resolves nothing, every rate given, ascending, with
 * the relative resolution of a few ulps. */
static void test_slow_rates(void **state)
{
    (void)state;
    const struct {
        const char *db;
        double T;
        int log_expected;
    } cases[] = {{"LJ38-4k", 0.1, 1}, {"LJ38-4k", 0.2, 1}, {"nine-community", 1, 1},
                 {"pygt-32state", 0.5, -1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hl_network *net;
        CHECK_OK(hl_network_read_pathsample_dir(data(cases[i].db), &net));
        CHECK_OK(hl_network_build(net, NULL));
        hl_chain_plan *plan;
        CHECK_OK(hl_chain_plan_create(hl_network_chain(net), 1 / cases[i].T, &plan));
        double lr[7], r[7];
        hl_chain_result res, dres;
        CHECK_OK(hl_chain_slow_rates(plan, 7, lr, NULL, 0, &res));
        CHECK_OK(hl_chain_spectrum(plan, 7, r, &dres));
        if (cases[i].log_expected >= 0) /* -1: either */
            assert_int_equal(strstr(res.method, "log-space") != NULL ||
                                 strstr(res.method, "gt-lanczos") != NULL,
                             cases[i].log_expected);
        int compared = 0;
        for (int q = 1; q < 7; q++) {
            assert_false(isnan(lr[q]));
            if (q > 1)
                assert_true(lr[q] >= lr[q - 1]);
            if (isnan(r[q]))
                continue;
            CHECK_ABS(exp(lr[q]), r[q], dres.resolution);
            compared++;
        }
        assert_true(compared >= 4);
        hl_chain_plan_free(plan);
        hl_network_free(net);
    }
    /* low T: LJ38-4k at T = 0.01 and 0.002 (rates e^-485, e^-2432) */
    hl_network *net;
    CHECK_OK(hl_network_read_pathsample_dir(data("LJ38-4k"), &net));
    CHECK_OK(hl_network_build(net, NULL));
    const double temps[2] = {0.01, 0.002};
    for (int t = 0; t < 2; t++) {
        hl_chain_plan *plan;
        CHECK_OK(hl_chain_plan_create(hl_network_chain(net), 1 / temps[t], &plan));
        double lr[6], r[6];
        hl_chain_result res, dres;
        CHECK_OK(hl_chain_slow_rates(plan, 6, lr, NULL, 0, &res));
        assert_non_null(strstr(res.method, "log-space"));
        CHECK_OK(hl_chain_slow_rates(plan, 6, lr, NULL, 0, &res));
        /* a few ulps of the rate: of ln lambda itself (|ln| ~ 2432) */
        assert_true(res.resolution < 1e-13 + 4 * 2.220446049250313e-16 * fabs(lr[1]));
        for (int q = 1; q < 6; q++) {
            assert_true(isfinite(lr[q]) && lr[q] < -400 * (0.01 / temps[t]));
            if (q > 1)
                assert_true(lr[q] > lr[q - 1]);
        }
        /* the double eigensolver resolves none of them */
        if (hl_chain_spectrum(plan, 6, r, &dres) == HL_OK)
            for (int q = 1; q < 6; q++)
                assert_true(isnan(r[q]));
        hl_chain_plan_free(plan);
    }
    hl_network_free(net);
}

/* PATHSAMPLE's NGT output on the nine-community network at T = 1
 * (NGT.rates.new and pathsample_NGT_output.txt: 10 digits, the last one
 * sometimes off) within 1e-9 relative, and PyGT's 32-state MFPTs
 * (basic_functions.ipynb, 16 digits) within 1e-12: the README's numbers. */
static void test_published_passage(void **state)
{
    (void)state;
    hl_network *net;
    CHECK_OK(hl_network_read_pathsample_dir(data("nine-community"), &net));
    CHECK_OK(hl_network_build(net, NULL));
    const long *sa, *sb;
    size_t na, nb;
    CHECK_OK(hl_network_set_states(net, HL_NETWORK_A, &sa, &na));
    CHECK_OK(hl_network_set_states(net, HL_NETWORK_B, &sb, &nb));
    hl_chain_plan *plan;
    CHECK_OK(hl_chain_plan_create(hl_network_chain(net), 1.0, &plan));
    hl_chain_direction ab, ba;
    CHECK_OK(hl_chain_rate_constants(plan, na, sa, nb, sb, NULL, &ab, &ba, NULL));
    /* PATHSAMPLE's A<-B is from B to A: our ba */
    CHECK_REL(exp(ba.ln_mfpt), 7.520218829e11, 1e-9);
    CHECK_REL(exp(ab.ln_mfpt), 3.096648467e11, 1e-9);
    CHECK_REL(exp(ba.ln_k_nss), 1.329748539e-12, 1e-9);
    CHECK_REL(exp(ab.ln_k_nss), 3.229297774e-12, 1e-9);
    CHECK_REL(exp(ba.ln_k_ss), 7.360803384e-3, 1e-9);
    CHECK_REL(exp(ab.ln_k_ss), 9.331537817e-11, 1e-9);
    /* one source minimum each: k_F = k_NSS */
    CHECK_REL(exp(ba.ln_k_f), 1.329748539e-12, 1e-9);
    hl_chain_plan_free(plan);
    hl_network_free(net);
    CHECK_OK(hl_network_read_pathsample_dir(data("pygt-32state"), &net));
    CHECK_OK(hl_network_build(net, NULL));
    CHECK_OK(hl_network_set_states(net, HL_NETWORK_A, &sa, &na));
    CHECK_OK(hl_network_set_states(net, HL_NETWORK_B, &sb, &nb));
    CHECK_OK(hl_chain_plan_create(hl_network_chain(net), 1.0, &plan));
    CHECK_OK(hl_chain_rate_constants(plan, na, sa, nb, sb, NULL, &ab, &ba, NULL));
    /* PyGT's tau[0] is from A (B absorbing): 664.58..., the notebook's
     * "A<-B" label is reversed (ktn README) */
    CHECK_REL(exp(ab.ln_mfpt), 664.5826837564705, 1e-12);
    CHECK_REL(exp(ba.ln_mfpt), 585.7934067017948, 1e-12);
    hl_chain_plan_free(plan);
    hl_network_free(net);
}

/* ------------------------------------------------------ bookkeeping */

static const char MIN5[] = "1.0 10.0 1 1 1 1\n"     /* 1 */
                           "2.0 10.0 2 1 1 2\n"     /* 2 */
                           "0.5 10.0 1 1 2 1\n"     /* 3 */
                           "-1.0 10.0 1 2 1 1\n"    /* 4: global minimum */
                           "3.0 10.0 1 3 1 1\n";    /* 5: isolated */

static void test_parallel_degenerate(void **state)
{
    (void)state;
    const char *pm = PUT("m.data", MIN5);
    const char *pt = PUT("t.data", "4.0 9.0 1 1 2 1 1 1\n"
                                   "5.0 8.0 2 2 1 1 1 1\n"   /* parallel, reversed */
                                   "6.0 8.0 1 2 2 1 1 1\n"   /* a == b */
                                   "4.5 9.0 1 3 4 1 1 1\n"
                                   "7.0 9.0 1 5 5 1 1 1\n"); /* a == b on the isolated one */
    hl_network *net;
    CHECK_OK(hl_network_read_pathsample(pm, pt, &net));
    CHECK_OK(hl_network_set_list(net, HL_NETWORK_A, "1"));
    CHECK_OK(hl_network_build(net, NULL));
    hl_network_info in;
    CHECK_OK(hl_network_get_info(net, &in));
    assert_int_equal(in.transition_states, 5);
    assert_int_equal(in.degenerate_ts, 2);
    assert_int_equal(in.components, 3);  /* {1,2}, {3,4}, {5} */
    assert_int_equal(in.isolated, 1);
    assert_int_equal(in.network_minima, 2);
    assert_int_equal(in.network_ts, 2);
    assert_int_equal(in.network_pairs, 1);
    /* ln k(1 -> 2) = ln(sum over both TS of o_1/(2 pi o_s) e^{(F_1-F_s)/2 - (E_s-E_1)/T}) */
    double T = 0.7;
    double r1 = 1.0 / (2 * TEST_PI * 1) * exp((10.0 - 9.0) / 2 - (4.0 - 1.0) / T);
    double r2 = 1.0 / (2 * TEST_PI * 2) * exp((10.0 - 8.0) / 2 - (5.0 - 1.0) / T);
    hl_chain_plan *plan;
    CHECK_OK(hl_chain_plan_create(hl_network_chain(net), 1 / T, &plan));
    double l;
    CHECK_OK(hl_chain_ln_rate(plan, 0, 1, &l));
    CHECK_REL(l, log(r1 + r2), 1e-14);
    /* detailed balance: M_1 k(1->2) = M_2 k(2->1), M = e^{-E/T - F/2}/o */
    double l21;
    CHECK_OK(hl_chain_ln_rate(plan, 1, 0, &l21));
    CHECK_REL(l21 - l, (-1.0 / T - log(1.0)) - (-2.0 / T - log(2.0)), 1e-13);
    hl_chain_plan_free(plan);
    hl_network_free(net);
}

/* Large log product frequencies (collagen: F ~ 2.5e5): the entropies are
 * formed from F - F_1, exact, so a rate keeps its digits; -F/2 - ln o
 * rounded each term at about 1.5e-11 (a relative error of every rate).
 * F values exact in binary, so the reference, formed from the small exact
 * differences, is right to a few ulps of ln k.  ln Z keeps the absolute
 * offset -F_1/2. */
static void test_large_frequencies(void **state)
{
    (void)state;
    const char *pm = PUT("mf.data", "0.0 250000.125 3 1 1 1\n"
                                    "0.3 250003.75 5 1 1 1\n");
    const char *pt = PUT("tf.data", "1.1 249998.4375 7 1 2 1 1 1\n");
    hl_network *net;
    CHECK_OK(hl_network_read_pathsample(pm, pt, &net));
    CHECK_OK(hl_network_build(net, NULL));
    double T = 0.05;
    hl_chain_plan *plan;
    CHECK_OK(hl_chain_plan_create(hl_network_chain(net), 1 / T, &plan));
    double l12, l21;
    CHECK_OK(hl_chain_ln_rate(plan, 0, 1, &l12));
    CHECK_OK(hl_chain_ln_rate(plan, 1, 0, &l21));
    /* ln k(a -> b) = (F_a - F_s)/2 + ln(o_a / (2 pi o_s)) - (E_s - E_a)/T */
    double ref12 = 0.5 * 1.6875 + log(3.0 / (2 * TEST_PI * 7.0)) - (1.1 - 0.0) / T;
    double ref21 = 0.5 * 5.3125 + log(5.0 / (2 * TEST_PI * 7.0)) - (1.1 - 0.3) / T;
    CHECK_NEAR(l12, ref12, 1e-14, 1e-15);
    CHECK_NEAR(l21, ref21, 1e-14, 1e-15);
    hl_network_thermo th;
    CHECK_OK(hl_network_thermodynamics(net, T, 0, &th));
    /* ln Z = ln(e^{-0/T - F_1/2 - ln 3} + e^{-0.3/T - F_2/2 - ln 5}) */
    double refz = -250000.125 / 2 - log(3.0) +
                  log1p(exp(-0.3 / T - 3.625 / 2 - log(5.0 / 3.0)));
    CHECK_REL(th.ln_Z, refz, 1e-15);
    hl_chain_plan_free(plan);
    hl_network_free(net);
}

static void test_component_choice(void **state)
{
    (void)state;
    const char *pm = PUT("m.data", MIN5);
    const char *pt = PUT("t.data", "4.0 9.0 1 1 2 1 1 1\n4.5 9.0 1 3 4 1 1 1\n");
    hl_network *net;
    hl_network_info in;
    long k, id;
    CHECK_OK(hl_network_read_pathsample(pm, pt, &net));
    /* no sets: the component of the global minimum (4) */
    CHECK_OK(hl_network_build(net, NULL));
    CHECK_OK(hl_network_get_info(net, &in));
    assert_int_equal(in.root_id, 4);
    assert_int_equal(in.network_minima, 2);
    CHECK_OK(hl_network_id(net, 0, &id));
    assert_int_equal(id, 3);
    CHECK_OK(hl_network_id(net, 1, &id));
    assert_int_equal(id, 4);
    CHECK_OK(hl_network_state(net, 1, &k));
    assert_int_equal(k, -1);
    assert_int_equal(hl_network_state(net, 6, &k), HL_EINVAL);
    assert_int_equal(hl_network_id(net, 2, &id), HL_EINVAL);
    /* A = {1}: the component of 1; B = {2, 4}: 4 dropped */
    CHECK_OK(hl_network_set_list(net, HL_NETWORK_A, "1"));
    CHECK_OK(hl_network_set_list(net, HL_NETWORK_B, " 4 , 2"));
    CHECK_OK(hl_network_build(net, NULL));
    CHECK_OK(hl_network_get_info(net, &in));
    assert_int_equal(in.root_id, 1);
    assert_int_equal(in.n_set[1], 1);
    const long *v;
    size_t n;
    CHECK_OK(hl_network_dropped(net, HL_NETWORK_B, &v, &n));
    assert_int_equal(n, 1);
    assert_int_equal(v[0], 4);
    CHECK_OK(hl_network_set_states(net, HL_NETWORK_B, &v, &n));
    assert_int_equal(n, 1);
    CHECK_OK(hl_network_id(net, v[0], &id));
    assert_int_equal(id, 2);
    /* A spanning two components: the one of its lowest minimum (3, E = 0.5) */
    CHECK_OK(hl_network_set_list(net, HL_NETWORK_A, "1,3"));
    CHECK_OK(hl_network_set_list(net, HL_NETWORK_B, "4"));
    CHECK_OK(hl_network_build(net, NULL));
    CHECK_OK(hl_network_get_info(net, &in));
    assert_int_equal(in.root_id, 3);
    CHECK_OK(hl_network_dropped(net, HL_NETWORK_A, &v, &n));
    assert_true(n == 1 && v[0] == 1);
    /* B left empty by the component: an error naming B */
    CHECK_OK(hl_network_set_list(net, HL_NETWORK_B, "5,2"));
    expect_msg(hl_network_build(net, NULL), HL_EPARSE, "set B", "none of its 2", "minimum 3");
    assert_null(hl_network_chain(net));
    assert_int_equal(hl_network_get_info(net, &in), HL_EINVAL);
    /* A and B sharing a minimum */
    CHECK_OK(hl_network_set_list(net, HL_NETWORK_B, "3"));
    expect_msg(hl_network_build(net, NULL), HL_EPARSE, "minimum 3", "both A and B", NULL);
    hl_network_free(net);
}

/* The CSV form of the tutorial path (ids renamed, order shuffled) gives the
 * same chain and thermodynamics as its PATHSAMPLE files. */
static void test_csv_matches_pathsample(void **state)
{
    (void)state;
    char st[8192] = "# states of the LJ38 tutorial path\r\nid,energy,entropy\r\n";
    char tr[8192] = "a,b,energy,entropy\n";
    double E[13], F[13], o[13];
    FILE *fp = fopen(data("LJ38-tutorial-12/min.data"), "r");
    assert_non_null(fp);
    for (int i = 1; i <= 12; i++)
        assert_int_equal(fscanf(fp, "%lf %lf %lf %*f %*f %*f", &E[i], &F[i], &o[i]), 3);
    fclose(fp);
    for (int i = 12; i >= 1; i--) /* ids 1000 - 7 i, reversed order */
        snprintf(st + strlen(st), sizeof st - strlen(st), "%d, %.17g ,%.17g\r\n", 1000 - 7 * i,
                 E[i], -F[i] / 2 - log(o[i]));
    fp = fopen(data("LJ38-tutorial-12/ts.data"), "r");
    assert_non_null(fp);
    double Es, Fs, os;
    int a, b;
    while (fscanf(fp, "%lf %lf %lf %d %d %*f %*f %*f", &Es, &Fs, &os, &a, &b) == 5)
        snprintf(tr + strlen(tr), sizeof tr - strlen(tr), "%d,%d,%.17g,%.17g\n", 1000 - 7 * a,
                 1000 - 7 * b, Es, -Fs / 2 - log(os) - log(2 * TEST_PI));
    fclose(fp);
    hl_network *c, *p;
    CHECK_OK(hl_network_read_csv(PUT("s.csv", st), PUT("t.csv", tr), &c));
    CHECK_OK(hl_network_read_pathsample_dir(data("LJ38-tutorial-12"), &p));
    CHECK_OK(hl_network_set_list(c, HL_NETWORK_A, "986"));   /* 1000 - 7*2 */
    CHECK_OK(hl_network_set_list(c, HL_NETWORK_B, "944"));   /* 1000 - 7*8 */
    CHECK_OK(hl_network_build(c, NULL));
    CHECK_OK(hl_network_build(p, NULL));
    hl_network_info ic;
    CHECK_OK(hl_network_get_info(c, &ic));
    assert_int_equal(ic.pathsample, 0);
    assert_int_equal(ic.network_minima, 12);
    assert_int_equal(ic.root_id, 986);
    hl_network_thermo tc, tp;
    CHECK_OK(hl_network_thermodynamics(c, 0.1, 0, &tc));
    CHECK_OK(hl_network_thermodynamics(p, 0.1, 0, &tp));
    CHECK_REL(tc.ln_Z, tp.ln_Z, 1e-14);
    CHECK_REL(tc.heat_capacity, tp.heat_capacity, 1e-12);
    CHECK_REL(tc.ln_pop[0], tp.ln_pop[0], 1e-12);
    CHECK_REL(tc.ln_pop[1], tp.ln_pop[1], 1e-12);
    hl_chain_plan *pc, *pp;
    CHECK_OK(hl_chain_plan_create(hl_network_chain(c), 10, &pc));
    CHECK_OK(hl_chain_plan_create(hl_network_chain(p), 10, &pp));
    for (int i = 1; i <= 12; i++)
        for (int j = 1; j <= 12; j++) {
            long ci, cj, qi, qj;
            double lc, lp;
            CHECK_OK(hl_network_state(c, 1000 - 7 * i, &ci));
            CHECK_OK(hl_network_state(c, 1000 - 7 * j, &cj));
            CHECK_OK(hl_network_state(p, i, &qi));
            CHECK_OK(hl_network_state(p, j, &qj));
            CHECK_OK(hl_chain_ln_rate(pc, ci, cj, &lc));
            CHECK_OK(hl_chain_ln_rate(pp, qi, qj, &lp));
            if (lp == -INFINITY)
                assert_true(lc == -INFINITY);
            else
                CHECK_NEAR(lc, lp, 1e-12, 1e-14);
        }
    hl_chain_plan_free(pc);
    hl_chain_plan_free(pp);
    hl_network_free(c);
    hl_network_free(p);
}

/* Duplicates and outliers on small files; the threshold option. */
static void test_warnings(void **state)
{
    (void)state;
    const char *pm = PUT("m.data", "-5.0 100.0 1 10 20 30\n"
                                   "-5.0 101.0 2 10 20 30.00000001\n" /* dup of 1 */
                                   "-5.0 100.0 1 10 20 31\n"          /* other moments */
                                   "-4.0 40.0 1 10 20 30\n");         /* outlier: 60 below */
    const char *pt = PUT("t.data", "1 99 1 1 2 1 1 1\n1 99 1 2 3 1 1 1\n1 99 1 3 1 1 1 1\n"
                                   "1 99 1 3 4 1 1 1\n");
    hl_network *net;
    CHECK_OK(hl_network_read_pathsample(pm, pt, &net));
    CHECK_OK(hl_network_build(net, NULL));
    const hl_network_warning *w;
    size_t n = hl_network_warnings(net, &w);
    assert_int_equal(n, 2);
    assert_int_equal(w[0].kind, HL_NETWORK_WARN_DUPLICATE);
    assert_int_equal(w[0].id, 2);
    assert_int_equal(w[0].other, 1);
    assert_int_equal(w[1].kind, HL_NETWORK_WARN_OUTLIER);
    assert_int_equal(w[1].id, 4);
    CHECK_REL(w[1].value, 30.0, 1e-15); /* -F/2: -20 against -50 */
    assert_non_null(strstr(w[1].text, "60 below"));
    hl_network_info in;
    CHECK_OK(hl_network_get_info(net, &in));
    assert_int_equal(in.network_minima, 4); /* kept */
    /* a threshold above 30: no outlier; a tight moment tolerance: no duplicate */
    hl_network_options o = {0, 1e-12, 31};
    CHECK_OK(hl_network_build(net, &o));
    assert_int_equal(hl_network_warnings(net, &w), 0);
    o.outlier_threshold = -1;
    assert_int_equal(hl_network_build(net, &o), HL_EDOM);
    hl_network_free(net);
}

/* ------------------------------------------------------------ errors */

static void test_errors_pathsample(void **state)
{
    (void)state;
    const char *ts1 = "1 1 1 1 2\n";
    bad_pathsample("", ts1, "min.data", "line 1", "no minima");
    bad_pathsample("\n\n", ts1, "min.data", "line 3", "no minima");
    bad_pathsample("1 2 1 0 0 0\n1 2 1 0 0\n", ts1, "min.data", "line 2", "found 5");
    bad_pathsample("1 2 1\n1 2 1 0 0 0\n", ts1, "min.data", "line 2", "lines above have 3");
    bad_pathsample("1 2 1 0 0 0\nnan 2 1 0 0 0\n", ts1, "min.data", "line 2", "E = 'nan'");
    bad_pathsample("1 2 1 0 0 0\n1 1e400 1 0 0 0\n", ts1, "min.data", "line 2", "F = '1e400'");
    bad_pathsample("1 2 1 0 0 0\n1 2 0 0 0 0\n", ts1, "min.data", "line 2", "o = '0'");
    bad_pathsample("1 2 1 0 0 0\n1 2 -2 0 0 0\n", ts1, "min.data", "line 2", "o = '-2'");
    bad_pathsample("1 2 1 0 0 0\n1 2 2.5 0 0 0\n", ts1, "min.data", "line 2", "positive integer");
    bad_pathsample("1 2 1 0 0 0\n1 2 1 0x10 0 0\n", ts1, "min.data", "line 2", "Ix");
    bad_pathsample("1 2 1 0 0 0\n\n1 2 1 0 0 0\n", ts1, "min.data", "line 3", "blank line 2");
    bad_pathsample("1 2 1\n1 2 1\n", "", "ts.data", "line 1", "no transition states");
    bad_pathsample("1 2 1\n1 2 1\n", "1 1 1 1 2\n1 1 1 1 3\n", "ts.data", "line 2",
                   "b = '3' is not a minimum id");
    bad_pathsample("1 2 1\n1 2 1\n", "1 1 1 0 2\n", "ts.data", "line 1", "a = '0'");
    bad_pathsample("1 2 1\n1 2 1\n", "1 1 1 1.5 2\n", "ts.data", "line 1", "a = '1.5'");
    bad_pathsample("1 2 1\n1 2 1\n", "1 1 1 1 2\n1 1 0 1 2\n", "ts.data", "line 2", "o = '0'");
    bad_pathsample("1 2 1\n1 2 1\n", "1 1 1 1 2\n1 inf 1 1 2\n", "ts.data", "line 2",
                   "F = 'inf'");
    bad_pathsample("1 2 1\n1 2 1\n", "1 1 1 1 2 3 4\n", "ts.data", "line 1", "found 7");
    bad_pathsample("1 2 1\n1 2 1\n", "1 1 1 1 2\n  \n1 1 1 1 2\n", "ts.data", "line 3",
                   "blank line 2");
    /* a NUL byte and an over-long line */
    const char *pm = put("min.data", "1 2 1\n1 \0 1\n", 12), *pt = PUT("ts.data", ts1);
    hl_network *net;
    expect_msg(hl_network_read_pathsample(pm, pt, &net), HL_EPARSE, "min.data", "line 2", "NUL");
    size_t big = (1u << 20) + 10;
    char *longline = malloc(big + 1);
    memset(longline, ' ', big);
    memcpy(longline, "1 2 1\n1 2 1", 11);
    longline[big - 1] = '\n';
    longline[big] = 0;
    pm = put("min.data", longline, big);
    expect_msg(hl_network_read_pathsample(pm, pt, &net), HL_EPARSE, "min.data", "line 2",
               "longer than");
    free(longline);
    /* a missing file */
    expect_msg(hl_network_read_pathsample("/nonexistent/min.data", pt, &net), HL_EIO,
               "/nonexistent/min.data", NULL, NULL);
    expect_msg(hl_network_read_pathsample_dir("/nonexistent", &net), HL_EIO, "/nonexistent",
               NULL, NULL);
}

static void test_errors_csv(void **state)
{
    (void)state;
    const char *tr = "1,2,3,0\n";
    bad_csv("", tr, "states.csv", "line 1", "no states");
    bad_csv("# only a comment\nid,energy,entropy\n", tr, "states.csv", "line 3", "no states");
    bad_csv("1,0,0\n2,0\n", tr, "states.csv", "line 2", "found 2");
    bad_csv("1,0,0\n2,0,0,0\n", tr, "states.csv", "line 2", "more than 3");
    bad_csv("1,0,0\nx,0,0\n", tr, "states.csv", "line 2", "id 'x'");
    bad_csv("1,0,0\n2,0,nan\n", tr, "states.csv", "line 2", "entropy = 'nan'");
    bad_csv("1,0,0\n2,,0\n", tr, "states.csv", "line 2", "energy = ''");
    bad_csv("5,0,0\n7,0,0\n5,1,1\n", tr, "states.csv", "line 3", "already on line 1");
    bad_csv("1,0,0\n2,0,0\n", "a,b,energy,entropy\n", "trans.csv", "line 2", "no transitions");
    bad_csv("1,0,0\n2,0,0\n", "1,2,3,0\n1,3,3,0\n", "trans.csv", "line 2", "b = 3");
    bad_csv("1,0,0\n2,0,0\n", "1,2,3\n", "trans.csv", "line 1", "found 3");
    bad_csv("1,0,0\n2,0,0\n", "1,2,3,1e999\n", "trans.csv", "line 1", "entropy = '1e999'");
    bad_csv("1,0,0\n2,0,0\n", "1,2.0,3,0\n", "trans.csv", "line 1", "b = '2.0'");
    /* what is accepted: BOM, CRLF, blanks, comments, header, D exponents,
     * any integer ids, a == b dropped and counted */
    hl_network *net;
    CHECK_OK(hl_network_read_csv(
        PUT("s.csv", "\xEF\xBB\xBF id , energy , entropy \r\n# c\r\n\r\n-3, 1.5D0 ,\t0 \r\n"
                     "9000000000000000000,2.5e0,-1\r\n"),
        PUT("t.csv", "-3,9000000000000000000,4,0.5\n-3,-3,1,1\n"), &net));
    CHECK_OK(hl_network_build(net, NULL));
    hl_network_info in;
    CHECK_OK(hl_network_get_info(net, &in));
    assert_int_equal(in.minima, 2);
    assert_int_equal(in.degenerate_ts, 1);
    assert_int_equal(in.root_id, -3);
    hl_network_thermo th;
    CHECK_OK(hl_network_thermodynamics(net, 2.0, 0, &th));
    CHECK_REL(th.ln_Z, log(exp(0 - 1.5 / 2) + exp(-1 - 2.5 / 2)), 1e-15);
    hl_network_free(net);
}

static void test_errors_sets(void **state)
{
    (void)state;
    hl_network *net;
    CHECK_OK(hl_network_read_pathsample(PUT("m.data", MIN5),
                                        PUT("t.data", "4.0 9.0 1 1 2 1 1 1\n"), &net));
    expect_msg(hl_network_read_set(net, HL_NETWORK_A, PUT("min.A", "3\n1 2\n")), HL_EPARSE,
               "min.A", "line 2", "after 2 of the 3");
    expect_msg(hl_network_read_set(net, HL_NETWORK_A, PUT("min.A", "1\n1\n2\n")), HL_EPARSE,
               "min.A", "line 3", "more ids than the 1");
    expect_msg(hl_network_read_set(net, HL_NETWORK_A, PUT("min.A", "2\n1 6\n")), HL_EPARSE,
               "min.A", "line 2", "6 is not a minimum id");
    expect_msg(hl_network_read_set(net, HL_NETWORK_A, PUT("min.A", "2\n1\n1\n")), HL_EPARSE,
               "min.A", "line 3", "already listed on line 2");
    expect_msg(hl_network_read_set(net, HL_NETWORK_A, PUT("min.A", "")), HL_EPARSE, "min.A",
               "line 1", "empty");
    expect_msg(hl_network_read_set(net, HL_NETWORK_A, PUT("min.A", "0\n")), HL_EPARSE, "min.A",
               "line 1", "at least one");
    expect_msg(hl_network_read_set(net, HL_NETWORK_B, PUT("min.B", "2\n1 x\n")), HL_EPARSE,
               "min.B", "line 2", "'x'");
    expect_msg(hl_network_set_list(net, HL_NETWORK_A, "1,x"), HL_EPARSE, "'1,x'", "field 2",
               NULL);
    expect_msg(hl_network_set_list(net, HL_NETWORK_A, "1,,2"), HL_EPARSE, "field 2", NULL, NULL);
    expect_msg(hl_network_set_list(net, HL_NETWORK_A, "1,7"), HL_EPARSE, "7 is not", NULL, NULL);
    expect_msg(hl_network_set_list(net, HL_NETWORK_A, "2,1,2"), HL_EPARSE, "listed twice",
               NULL, NULL);
    expect_msg(hl_network_set_list(net, 2, "1"), HL_EINVAL, "which", NULL, NULL);
    /* min.A form over several lines with CRLF and blanks is fine */
    CHECK_OK(hl_network_read_set(net, HL_NETWORK_A, PUT("min.A", "2 \r\n 2\r\n\r\n1 \r\n")));
    CHECK_OK(hl_network_build(net, NULL));
    const long *v;
    size_t n;
    CHECK_OK(hl_network_set_states(net, HL_NETWORK_A, &v, &n));
    assert_int_equal(n, 2);
    hl_network_thermo th;
    assert_int_equal(hl_network_thermodynamics(net, 0, 0, &th), HL_EDOM);
    assert_int_equal(hl_network_thermodynamics(net, 1, -1, &th), HL_EDOM);
    assert_int_equal(hl_network_thermodynamics(net, 1e-320, 0, &th), HL_ERANGE);
    hl_network_free(net);
}

/* A million transition states between 100,000 minima, read in linear time. */
static void test_large(void **state)
{
    (void)state;
    char pm[320], pt[320];
    snprintf(pm, sizeof pm, "%s/big.min", tmpdir);
    snprintf(pt, sizeof pt, "%s/big.ts", tmpdir);
    FILE *fm = fopen(pm, "w"), *ft = fopen(pt, "w");
    assert_true(fm && ft);
    const long nm = 100000, nt = 1000000;
    for (long i = 0; i < nm; i++)
        fprintf(fm, "%.10f %.10f 1 1 1 1\n", -0.001 * (double)(i % 977), 100.0 + (i % 13) * 0.1);
    for (long e = 0; e < nt; e++) {
        long a = e % nm, b = (a + 1 + (e / nm) * 7) % nm;
        fprintf(ft, "%.10f 99.0 1 %ld %ld 1 1 1\n", 1.0 + (double)(e % 101) * 0.01, a + 1, b + 1);
    }
    assert_int_equal(fclose(fm), 0);
    assert_int_equal(fclose(ft), 0);
    double t0 = now_seconds();
    hl_network *net;
    CHECK_OK(hl_network_read_pathsample(pm, pt, &net));
    CHECK_OK(hl_network_build(net, NULL));
    hl_network_info in;
    CHECK_OK(hl_network_get_info(net, &in));
    assert_int_equal(in.transition_states, nt);
    assert_int_equal(in.network_minima, nm);
    hl_network_thermo th;
    CHECK_OK(hl_network_thermodynamics(net, 0.05, 0, &th));
    assert_true(isfinite(th.ln_Z));
    print_message("read and built 1e6 transition states in %.2f s\n", now_seconds() - t0);
    hl_network_free(net);
}

/* '# valid-temperature: T' (network.h): read from either file, exposed in
 * the info, and every computation at another T refused with HL_EDOM naming
 * both temperatures -- the network's own functions and everything that
 * evaluates its chain (plans, protocols, kmc, scan, memory); malformed or
 * contradicting lines are parse errors naming the file and the line. */
static void refused(int st)
{
    expect_msg(st, HL_EDOM, "refusing T = 0.6", "valid temperature 0.5", "valid-temperature");
}

static void test_valid_temperature(void **state)
{
    (void)state;
    const char *S = "# made by hand\n# valid-temperature: 0.5\nid,energy,entropy\n1,0,0\n2,1,0.5\n"
                    "3,0.5,1\n";
    const char *TR = "a,b,energy,entropy\n1,2,2,0\n2,3,2.5,-1\n# valid-temperature:\t5e-1\n"
                     "1,3,3,0.2\n";
    hl_network *net;
    CHECK_OK(hl_network_read_csv(PUT("vs.csv", S), PUT("vt.csv", TR), &net));
    CHECK_OK(hl_network_set_list(net, HL_NETWORK_A, "1"));
    CHECK_OK(hl_network_set_list(net, HL_NETWORK_B, "3"));
    for (int rebuild = 0; rebuild < 2; rebuild++) /* a second build keeps it */
        CHECK_OK(hl_network_build(net, NULL));
    hl_network_info in;
    CHECK_OK(hl_network_get_info(net, &in));
    assert_true(in.valid_temperature == 0.5);
    const hl_chain *c = hl_network_chain(net);
    hl_chain_info ci;
    hl_chain_get_info(c, &ci);
    assert_true(ci.valid_temperature == 0.5);
    /* at T = 0.5 (and within 1e-12 relative) everything works */
    hl_network_thermo th;
    CHECK_OK(hl_network_thermodynamics(net, 0.5, 0, &th));
    CHECK_OK(hl_network_thermodynamics(net, 0.5 * (1 + 5e-13), 0, &th));
    hl_network_paths *pp;
    CHECK_OK(hl_network_paths_find(net, 0.5, 2, &pp));
    hl_network_paths_free(pp);
    hl_network_groups *gg;
    CHECK_OK(hl_network_regroup(net, 0.5, 1.0, &gg));
    hl_network_groups_free(gg);
    double p0[3], pt[3], times[1] = {1.0};
    CHECK_OK(hl_network_start(net, HL_NETWORK_START_EQUILIBRIUM, 0, 0.5, p0));
    CHECK_OK(hl_network_evolve(net, 0.5, NULL, p0, times, 1, 0, pt, NULL));
    hl_chain_plan *plan;
    CHECK_OK(hl_chain_plan_create(c, 2.0, &plan));
    hl_chain_plan_free(plan);
    hl_protocol *at = NULL, *off = NULL, *ramp = NULL;
    CHECK_OK(hl_protocol_create_fixed(2.0, &at));
    CHECK_OK(hl_protocol_create_fixed(1 / 0.6, &off));
    double rt[2] = {0, 10}, rv[2] = {0.5, 0.6};
    CHECK_OK(hl_protocol_create(HL_PROTOCOL_T, 2, rt, rv, &ramp));
    CHECK_OK(hl_network_evolve(net, NAN, at, p0, times, 1, 0, pt, NULL));
    hl_kmc *k;
    CHECK_OK(hl_kmc_create_chain(c, at, &k));
    hl_kmc_free(k);
    /* at T = 0.6 (or 1e-11 relative away) every route is refused */
    refused(hl_network_thermodynamics(net, 0.6, 0, &th));
    expect_msg(hl_network_thermodynamics(net, 0.5 * (1 + 1e-11), 0, &th), HL_EDOM,
               "valid temperature 0.5", "'", "vs.csv' line 2");
    pp = (hl_network_paths *)1;
    refused(hl_network_paths_find(net, 0.6, 2, &pp));
    refused(hl_network_regroup(net, 0.6, 1.0, &gg));
    refused(hl_network_start(net, HL_NETWORK_START_EQUILIBRIUM, 0, 0.6, p0));
    refused(hl_network_start(net, HL_NETWORK_START_SET, HL_NETWORK_A, 0.6, p0));
    CHECK_OK(hl_network_start(net, HL_NETWORK_START_MINIMUM, 2, 0.6, p0)); /* no T */
    refused(hl_network_evolve(net, 0.6, NULL, p0, times, 1, 0, pt, NULL));
    refused(hl_network_evolve(net, NAN, off, p0, times, 1, 0, pt, NULL));
    refused(hl_network_evolve(net, NAN, ramp, p0, times, 1, 0, pt, NULL));
    refused(hl_chain_plan_create(c, 1 / 0.6, &plan));
    refused(hl_chain_evolve_protocol(c, ramp, p0, times, 1, 0, pt, NULL));
    refused(hl_kmc_create_chain(c, ramp, &k));
    hl_scan_options so = {0.6, 0.5, 0, 5, 1e-8, HL_SCAN_START_EQUILIBRIUM};
    hl_scan *sc = NULL;
    refused(hl_scan_create_chain(c, NULL, 0, &so, &sc));
    assert_null(sc);
    double obs[3] = {0, 1, 0.5}, mean;
    hl_memsys *ms;
    CHECK_OK(hl_memsys_create_chain(c, obs, NULL, 0, 0, &ms));
    CHECK_OK(hl_memsys_reference(ms, HL_MEMORY_REF_TOTAL, 0.5, &mean));
    refused(hl_memsys_reference(ms, HL_MEMORY_REF_TOTAL, 0.6, &mean));
    hl_memsys_free(ms);
    hl_protocol_free(at);
    hl_protocol_free(off);
    hl_protocol_free(ramp);
    hl_network_free(net);

    /* the line in one file only restricts too; no line: any T */
    const char *S0 = "1,0,0\n2,1,0.5\n", *T0 = "1,2,2,0\n", *TV = "# valid-temperature: 0.5\n1,2,2,0\n";
    CHECK_OK(hl_network_read_csv(PUT("vs.csv", S0), PUT("vt.csv", TV), &net));
    CHECK_OK(hl_network_build(net, NULL));
    CHECK_OK(hl_network_get_info(net, &in));
    assert_true(in.valid_temperature == 0.5);
    expect_msg(hl_network_thermodynamics(net, 0.6, 0, &th), HL_EDOM, "refusing T = 0.6",
               "vt.csv' line 1", NULL);
    hl_network_free(net);
    CHECK_OK(hl_network_read_csv(PUT("vs.csv", S0), PUT("vt.csv", T0), &net));
    CHECK_OK(hl_network_build(net, NULL));
    CHECK_OK(hl_network_get_info(net, &in));
    assert_true(isnan(in.valid_temperature));
    hl_chain_get_info(hl_network_chain(net), &ci);
    assert_true(isnan(ci.valid_temperature));
    CHECK_OK(hl_network_thermodynamics(net, 0.6, 0, &th));
    CHECK_OK(hl_network_thermodynamics(net, 7, 0, &th));
    hl_network_free(net);
    /* other comments that mention it are comments */
    CHECK_OK(hl_network_read_csv(PUT("vs.csv", "# valid-temperatures: 3\n# a valid-temperature: x\n"
                                               "1,0,0\n2,1,0.5\n"),
                                 PUT("vt.csv", T0), &net));
    CHECK_OK(hl_network_build(net, NULL));
    CHECK_OK(hl_network_get_info(net, &in));
    assert_true(isnan(in.valid_temperature));
    hl_network_free(net);

    /* malformed, contradicting, disagreeing */
    bad_csv("1,0,0\n# valid-temperature: abc\n2,1,0.5\n", T0, "states.csv", "line 2", "'abc'");
    bad_csv("# valid-temperature: -1\n1,0,0\n2,1,0.5\n", T0, "states.csv", "line 1", "'-1'");
    bad_csv("# valid-temperature: 0\n1,0,0\n2,1,0.5\n", T0, "states.csv", "line 1", "positive");
    bad_csv("# valid-temperature: nan\n1,0,0\n2,1,0.5\n", T0, "states.csv", "line 1", "'nan'");
    bad_csv("# valid-temperature 0.5\n1,0,0\n2,1,0.5\n", T0, "states.csv", "line 1", "colon");
    bad_csv("#valid-temperature=0.5\n1,0,0\n2,1,0.5\n", T0, "states.csv", "line 1", "colon");
    bad_csv(S0, "1,2,2,0\n# valid-temperature: 0.5 0.6\n", "trans.csv", "line 2", "'0.5 0.6'");
    bad_csv("# valid-temperature: 0.5\n1,0,0\n# valid-temperature: 0.6\n2,1,0.5\n", T0,
            "states.csv", "line 3", "0.6 contradicts 0.5 on line 1");
    bad_csv("# valid-temperature: 0.5\n1,0,0\n2,1,0.5\n", "# valid-temperature: 0.25\n1,2,2,0\n",
            "states.csv' line 1 (valid-temperature 0.5) and '", "trans.csv' line 1 (0.25)",
            "disagree");
    /* the chain's own restriction */
    hl_chain *ch;
    CHECK_OK(hl_chain_create(2, &ch));
    CHECK_OK(hl_chain_add_edge(ch, 0, 1, 0, 1));
    assert_int_equal(hl_chain_set_valid_temperature(ch, -1, NULL), HL_EDOM);
    assert_int_equal(hl_chain_set_valid_temperature(ch, INFINITY, NULL), HL_EDOM);
    CHECK_OK(hl_chain_set_valid_temperature(ch, 2.0, NULL));
    expect_msg(hl_chain_check_temperature(ch, 3.0), HL_EDOM, "refusing T = 3: it is not the valid "
               "temperature 2", NULL, NULL);
    assert_int_equal(hl_chain_check_temperature(ch, NAN), HL_EDOM);
    CHECK_OK(hl_chain_set_valid_temperature(ch, NAN, "lifted"));
    CHECK_OK(hl_chain_check_temperature(ch, 3.0));
    hl_chain_free(ch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_counts),
        cmocka_unit_test(test_outlier_population),
        cmocka_unit_test(test_thermo_reference),
        cmocka_unit_test(test_rates_and_dijkstra),
        cmocka_unit_test(test_passage_reference),
        cmocka_unit_test(test_published_passage),
        cmocka_unit_test(test_slow_rates),
        cmocka_unit_test(test_parallel_degenerate),
        cmocka_unit_test(test_large_frequencies),
        cmocka_unit_test(test_component_choice),
        cmocka_unit_test(test_csv_matches_pathsample),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_errors_pathsample),
        cmocka_unit_test(test_errors_csv),
        cmocka_unit_test(test_errors_sets),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_valid_temperature),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
