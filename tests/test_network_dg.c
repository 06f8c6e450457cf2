/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_network_dg.c -- the disconnectivity graph (hl_network_disconnectivity,
 * network.h): a hand-made network whose tree is written out here level by
 * level; random networks checked against a brute-force superbasin analysis
 * (a breadth-first search per level over the transition states below it);
 * the default levels; the layout (every subtree a contiguous range of
 * slots, so no lines cross); the pruning; and the errors.  Also the
 * hypercube class lattice written as a network (hl_lattice_network_write):
 * its chain against `spectrum` (hl_spectrum) and `mfpt` (hl_mfpt). */
#include <string.h>

#include "test_util.h"
#include "hyperland/network.h"
#include "hyperland/chain.h"
#include "hyperland/master.h"
#include "hyperland/model.h"

/* A CSV network from text (states, transitions) through tmpfile(). */
static hl_network *csv_net(const char *states, const char *trans, const char *a, const char *b)
{
    FILE *fs = tmpfile(), *ft = tmpfile();
    assert_non_null(fs);
    assert_non_null(ft);
    fputs(states, fs);
    fputs(trans, ft);
    rewind(fs);
    rewind(ft);
    hl_network *net = NULL;
    CHECK_OK(hl_network_read_csv_stream(fs, "states", ft, "transitions", &net));
    fclose(fs);
    fclose(ft);
    if (a)
        CHECK_OK(hl_network_set_list(net, HL_NETWORK_A, a));
    if (b)
        CHECK_OK(hl_network_set_list(net, HL_NETWORK_B, b));
    CHECK_OK(hl_network_build(net, NULL));
    return net;
}

/* Node of state k at level l (CHECK_OK). */
static long node_of(const hl_dgraph *g, int l, long k)
{
    long v;
    CHECK_OK(hl_dgraph_node_of(g, l, k, &v));
    return v;
}

static void test_hand_made(void **state)
{
    (void)state;
    /* minima 1..4 (E 0, 1, 2, 0.5); TS 1-2 at 3, 2-3 at 2.5, 1-4 at 5.
     * Levels 5.5, 4.5, 3.5, 2.5, 1.5, 0.5:
     *   5.5: {1,2,3,4}  4.5: {1,2,3},{4}  3.5: {1,2,3},{4}
     *   2.5: {1},{2},{3},{4} (2-3 at 2.5 is not below 2.5)
     *   1.5: {1},{2},{4}  0.5: {1} */
    hl_network *net = csv_net("id,energy,entropy\n1,0,0\n2,1,0\n3,2,0\n4,0.5,0\n",
                              "a,b,energy,entropy\n1,2,3,0\n2,3,2.5,0\n1,4,5,0\n", "4", "3");
    hl_dgraph_options o = {.levels = 6, .delta = 1, .have_top = 1, .top = 5.5};
    hl_dgraph *g;
    CHECK_OK(hl_network_disconnectivity(net, &o, &g));
    hl_dgraph_info in;
    CHECK_OK(hl_dgraph_get_info(g, &in));
    assert_int_equal(in.levels, 6);
    CHECK_ABS(in.e_merge, 5.0, 0);
    CHECK_ABS(in.e_min, 0.0, 0);
    CHECK_ABS(in.bottom_level, 0.5, 1e-15);
    long nn;
    const hl_dgraph_node *v = hl_dgraph_nodes(g, &nn);
    assert_int_equal(nn, 13);
    const int per_level[6] = {1, 2, 2, 4, 3, 1};
    int count[6] = {0};
    for (long i = 0; i < nn; i++) {
        count[v[i].level]++;
        CHECK_ABS(v[i].energy, 5.5 - v[i].level, 1e-15);
        if (i > 0)
            assert_true(v[i].level >= v[i - 1].level); /* level 0 first */
    }
    for (int l = 0; l < 6; l++)
        assert_int_equal(count[l], per_level[l]);
    /* states are 0..3 in file order (ids 1..4) */
    assert_int_equal(node_of(g, 1, 0), node_of(g, 1, 2));
    assert_true(node_of(g, 1, 0) != node_of(g, 1, 3));
    assert_true(node_of(g, 3, 1) != node_of(g, 3, 2));
    assert_int_equal(node_of(g, 4, 2), -1); /* E = 2 is above 1.5 */
    assert_int_equal(node_of(g, 5, 3), -1);
    long r = node_of(g, 0, 0);
    assert_int_equal(v[r].n_minima, 4);
    assert_int_equal(v[r].n_a, 1);
    assert_int_equal(v[r].n_b, 1);
    assert_int_equal(v[r].parent, -1);
    long s4 = node_of(g, 1, 3);
    assert_int_equal(v[s4].n_minima, 1);
    assert_int_equal(v[s4].n_a, 1);
    assert_int_equal(v[s4].parent, r);
    long s123 = node_of(g, 2, 1);
    assert_int_equal(v[s123].n_minima, 3);
    assert_int_equal(v[s123].lowest, 0);
    CHECK_ABS(v[s123].lowest_energy, 0.0, 0);
    /* terminal lines: 1 (down to 0), 2 (at level 4 -> 1), 3 (level 3 -> 2),
     * 4 (level 4 -> 0.5) */
    assert_int_equal(in.lines, 4);
    assert_int_equal(in.lines_single, 4);
    long t3 = node_of(g, 3, 2);
    assert_true(v[t3].terminal);
    CHECK_ABS(v[t3].lowest_energy, 2.0, 0);
    assert_true(v[node_of(g, 5, 0)].terminal);
    /* layout: the lowest child in the middle; the root over the mean */
    CHECK_ABS(v[r].x, 0.5 * (v[s4].x + v[node_of(g, 1, 0)].x), 1e-15);
    hl_dgraph_free(g);
    /* the defaults: 40 levels, top = e_merge + delta/2, the lowest level
     * delta/2 above the lowest minimum, one root holding everything */
    CHECK_OK(hl_network_disconnectivity(net, NULL, &g));
    CHECK_OK(hl_dgraph_get_info(g, &in));
    assert_int_equal(in.levels, 40);
    CHECK_REL(in.delta, 5.0 / 39, 1e-15);
    CHECK_REL(in.top, 5.0 + 2.5 / 39, 1e-15);
    CHECK_ABS(in.bottom_level, 2.5 / 39, 1e-14);
    v = hl_dgraph_nodes(g, &nn);
    assert_int_equal(v[0].n_minima, 4);
    assert_int_equal(in.roots, 1);
    hl_dgraph_free(g);
    /* --dg-delta alone: every level down to the lowest minimum */
    o = (hl_dgraph_options){.delta = 0.3};
    CHECK_OK(hl_network_disconnectivity(net, &o, &g));
    CHECK_OK(hl_dgraph_get_info(g, &in));
    CHECK_ABS(in.top, 5.15, 1e-15);
    assert_true(in.bottom_level > 0 && in.bottom_level - 0.3 <= 0);
    hl_dgraph_free(g);
    /* a top below e_merge: two trees */
    o = (hl_dgraph_options){.levels = 3, .have_top = 1, .top = 4};
    CHECK_OK(hl_network_disconnectivity(net, &o, &g));
    CHECK_OK(hl_dgraph_get_info(g, &in));
    assert_int_equal(in.roots, 2);
    hl_dgraph_free(g);
    hl_network_free(net);
}

/* ------------------------------------------------ random networks */

static unsigned long long rng_state = 88172645463325252ULL;
static double urand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Components of the minima below L joined by transition states below L
 * (effective energy), by breadth-first search; comp[k] = -1 above L. */
static void brute_components(long n, const double *E, long m, const long *ta, const long *tb,
                             const double *te, double L, long *comp)
{
    long *queue = malloc(sizeof(long) * (size_t)n);
    for (long k = 0; k < n; k++)
        comp[k] = E[k] < L ? -2 : -1;
    long c = 0;
    for (long k = 0; k < n; k++) {
        if (comp[k] != -2)
            continue;
        long head = 0, tail = 0;
        queue[tail++] = k;
        comp[k] = c;
        while (head < tail) {
            long u = queue[head++];
            for (long t = 0; t < m; t++) {
                double e = fmax(te[t], fmax(E[ta[t]], E[tb[t]]));
                if (!(e < L))
                    continue;
                long w = ta[t] == u ? tb[t] : tb[t] == u ? ta[t] : -1;
                if (w >= 0 && comp[w] == -2) {
                    comp[w] = c;
                    queue[tail++] = w;
                }
            }
        }
        c++;
    }
    free(queue);
}

static void check_random(long n, long extra, int levels, long min_count, long lowest)
{
    /* a random tree plus extra edges; some TS below a minimum */
    size_t cap = 64 * (size_t)(n + extra) + 64;
    char *st = malloc(cap), *tr = malloc(cap);
    double *E = malloc(sizeof(double) * (size_t)n), *te = malloc(sizeof(double) * (size_t)(n + extra));
    long *ta = malloc(sizeof(long) * (size_t)(n + extra)), *tb = malloc(sizeof(long) * (size_t)(n + extra));
    size_t ls = 0, lt = 0;
    for (long k = 0; k < n; k++) {
        E[k] = -10 + 5 * urand();
        if (k == 7 % n)
            E[k] = E[0]; /* a tie in energy */
        ls += (size_t)snprintf(st + ls, cap - ls, "%ld,%.17g,0\n", k + 1, E[k]);
    }
    long m = 0;
    for (long k = 1; k < n + extra; k++) {
        long a = k < n ? k : (long)(urand() * n), b = k < n ? (long)(urand() * k) : (long)(urand() * n);
        if (a == b)
            continue;
        double e = fmax(E[a], E[b]) + (urand() < 0.1 ? -0.5 : 3 * urand());
        ta[m] = a, tb[m] = b, te[m++] = e;
        lt += (size_t)snprintf(tr + lt, cap - lt, "%ld,%ld,%.17g,0\n", a + 1, b + 1, e);
    }
    hl_network *net = csv_net(st, tr, "1,2", "3");
    hl_dgraph_options o = {.levels = levels, .min_count = min_count, .lowest_count = lowest};
    hl_dgraph *g;
    CHECK_OK(hl_network_disconnectivity(net, &o, &g));
    hl_dgraph_info in;
    CHECK_OK(hl_dgraph_get_info(g, &in));
    long nn;
    const hl_dgraph_node *v = hl_dgraph_nodes(g, &nn);
    long *comp = malloc(sizeof(long) * (size_t)n), *seen = malloc(sizeof(long) * (size_t)nn);
    long *rank = malloc(sizeof(long) * (size_t)n);
    for (long k = 0; k < n; k++) { /* rank in energy, ties by state */
        rank[k] = 0;
        for (long j = 0; j < n; j++)
            rank[k] += E[j] < E[k] || (E[j] == E[k] && j < k);
    }
    long total = 0;
    for (int l = 0; l < in.levels; l++) {
        double L = in.top - l * in.delta;
        brute_components(n, E, m, ta, tb, te, L, comp);
        long ncomp = 0;
        for (long k = 0; k < n; k++)
            ncomp = comp[k] + 1 > ncomp ? comp[k] + 1 : ncomp;
        total += ncomp;
        for (long i = 0; i < nn; i++)
            seen[i] = 0;
        for (long k = 0; k < n; k++) {
            long vk = node_of(g, l, k);
            if (comp[k] < 0) {
                assert_int_equal(vk, -1);
                continue;
            }
            assert_true(vk >= 0);
            assert_int_equal(v[vk].level, l);
            seen[vk]++;
            /* same node <=> same component */
            for (long j = 0; j < k; j++)
                if (comp[j] >= 0)
                    assert_int_equal(comp[j] == comp[k], node_of(g, l, j) == vk);
            /* the parent holds the same minima one level up */
            if (l > 0)
                assert_int_equal(v[vk].parent, node_of(g, l - 1, k));
            /* the lowest minimum of the node: no member lower */
            assert_true(E[v[vk].lowest] <= E[k]);
            assert_true(rank[v[vk].lowest] <= rank[k]);
        }
        for (long i = 0; i < nn; i++)
            if (v[i].level == l) {
                assert_int_equal(seen[i], v[i].n_minima);
                long na = 0, nb = 0;
                for (long k = 0; k < n; k++)
                    if (node_of(g, l, k) == i) {
                        na += k < 2;
                        nb += k == 2;
                    }
                assert_int_equal(v[i].n_a, na);
                assert_int_equal(v[i].n_b, nb);
            }
    }
    assert_int_equal(nn, total);
    /* pruning rule */
    long K = min_count > 1 ? min_count : (lowest > 0 ? 1L << 60 : 1);
    for (long i = 0; i < nn; i++) {
        int keep = v[i].n_minima >= K || rank[v[i].lowest] < lowest;
        int want = keep && (v[i].parent < 0 || v[v[i].parent].shown);
        if (v[i].parent < 0 && rank[v[i].lowest] == 0)
            want = 1;
        assert_int_equal(v[i].shown, want);
        assert_int_equal(isnan(v[i].x), !v[i].shown);
    }
    /* layout: terminal slots are 0 .. lines-1, each once; every shown
     * node's terminals occupy a contiguous range and it sits inside it;
     * nodes of one level are ordered like their ranges (no crossings) */
    long lines = 0;
    unsigned char *slot = calloc((size_t)nn + 1, 1);
    for (long i = 0; i < nn; i++)
        if (v[i].terminal) {
            assert_true(v[i].shown);
            long s = (long)v[i].x;
            assert_true(v[i].x == (double)s && s >= 0 && s < in.lines);
            assert_int_equal(slot[s], 0);
            slot[s] = 1;
            lines++;
        }
    assert_int_equal(lines, in.lines);
    for (long i = 0; i < nn; i++) {
        if (!v[i].shown)
            continue;
        double lo = INFINITY, hi = -INFINITY;
        long cnt = 0;
        for (long t = 0; t < nn; t++) {
            if (!v[t].terminal)
                continue;
            long u = t;
            while (u >= 0 && v[u].level > v[i].level)
                u = v[u].parent;
            if (u == i) {
                lo = fmin(lo, v[t].x);
                hi = fmax(hi, v[t].x);
                cnt++;
            }
        }
        assert_true(cnt > 0);
        assert_int_equal((long)(hi - lo) + 1, cnt); /* contiguous */
        assert_true(v[i].x >= lo && v[i].x <= hi);
    }
    free(slot);
    free(comp);
    free(seen);
    free(rank);
    hl_dgraph_free(g);
    hl_network_free(net);
    free(st);
    free(tr);
    free(E);
    free(te);
    free(ta);
    free(tb);
}

static void test_random_brute_force(void **state)
{
    (void)state;
    check_random(3, 0, 5, 0, 0);
    check_random(12, 5, 7, 0, 0);
    check_random(40, 30, 15, 0, 0);
    check_random(60, 10, 25, 0, 0);
    check_random(60, 60, 25, 3, 0);
    check_random(60, 60, 25, 0, 5);
    check_random(80, 40, 30, 4, 6);
}

/* ------------------------------------------------------------ errors */

static void test_errors(void **state)
{
    (void)state;
    hl_network *net = csv_net("1,0,0\n2,1,0\n", "1,2,2,0\n", NULL, NULL);
    hl_dgraph *g = (hl_dgraph *)1;
    hl_dgraph_options o = {.levels = 1};
    assert_int_equal(hl_network_disconnectivity(net, &o, &g), HL_EDOM);
    assert_null(g);
    o = (hl_dgraph_options){.delta = -1};
    assert_int_equal(hl_network_disconnectivity(net, &o, &g), HL_EDOM);
    o = (hl_dgraph_options){.have_top = 1, .top = 0};
    assert_int_equal(hl_network_disconnectivity(net, &o, &g), HL_EDOM);
    assert_non_null(strstr(hl_errmsg(), "lowest minimum"));
    o = (hl_dgraph_options){.have_top = 1, .top = NAN};
    assert_int_equal(hl_network_disconnectivity(net, &o, &g), HL_EDOM);
    o = (hl_dgraph_options){.delta = 1e-9};
    assert_int_equal(hl_network_disconnectivity(net, &o, &g), HL_EDOM);
    CHECK_OK(hl_network_disconnectivity(net, NULL, &g));
    long v;
    assert_int_equal(hl_dgraph_node_of(g, 40, 0, &v), HL_EINVAL);
    assert_int_equal(hl_dgraph_node_of(g, 0, 2, &v), HL_EINVAL);
    hl_dgraph_free(g);
    hl_dgraph_free(NULL);
    hl_network_free(net);
    /* before build */
    FILE *fs = tmpfile(), *ft = tmpfile();
    fputs("1,0,0\n2,1,0\n", fs);
    fputs("1,2,2,0\n", ft);
    rewind(fs);
    rewind(ft);
    CHECK_OK(hl_network_read_csv_stream(fs, "s", ft, "t", &net));
    fclose(fs);
    fclose(ft);
    assert_int_equal(hl_network_disconnectivity(net, NULL, &g), HL_EINVAL);
    hl_network_free(net);
    /* one minimum: a single line */
    net = csv_net("5,-3,0\n", "5,5,0,0\n", NULL, NULL); /* a == b: dropped */
    CHECK_OK(hl_network_disconnectivity(net, NULL, &g));
    hl_dgraph_info in;
    CHECK_OK(hl_dgraph_get_info(g, &in));
    assert_int_equal(in.lines, 1);
    assert_true(in.top > -3);
    hl_dgraph_free(g);
    hl_network_free(net);
}

/* ------------------------------------------- the lattice as a network */

typedef struct {
    long D;
    double beta_write, beta;  /* written at beta_write (NaN: no T in B), run at beta */
    const char *phi, *B;
    int k;
} lat_case;

static void check_lattice(const lat_case *c)
{
    hl_model *m;
    CHECK_OK(hl_model_create(c->phi, &m));
    if (c->B)
        CHECK_OK(hl_model_set_transmission(m, c->B));
    FILE *fs = tmpfile(), *ft = tmpfile();
    assert_non_null(fs);
    assert_non_null(ft);
    fputs("# a comment line, as the CLI writes its provenance\n", fs);
    long ns, nt;
    CHECK_OK(hl_lattice_network_write(m, c->D, c->beta_write, fs, ft, &ns, &nt));
    long h = c->D / 2, N = (h + 1) * (h + 1);
    assert_int_equal(ns, N);
    assert_int_equal(nt, 2 * h * (h + 1));
    rewind(fs);
    rewind(ft);
    hl_network *net = NULL;
    CHECK_OK(hl_network_read_csv_stream(fs, "states", ft, "transitions", &net));
    fclose(fs);
    fclose(ft);
    /* the sets of mfpt: start class and target basin */
    long start, ntarget, *target = malloc(sizeof(long) * (size_t)N);
    CHECK_OK(hl_lattice_network_sets(m, c->D, c->beta, "liquid", "crystal", &start, target,
                                     &ntarget));
    CHECK_OK(hl_network_set_ids(net, HL_NETWORK_A, &start, 1, "start"));
    CHECK_OK(hl_network_set_ids(net, HL_NETWORK_B, target, (size_t)ntarget, "target"));
    CHECK_OK(hl_network_build(net, NULL));
    hl_network_info in;
    CHECK_OK(hl_network_get_info(net, &in));
    assert_int_equal(in.network_minima, N);
    hl_chain_plan *plan;
    CHECK_OK(hl_chain_plan_create(hl_network_chain(net), c->beta, &plan));
    /* the slowest rates against hl_spectrum (spectrum) */
    double r_net[8], r_ref[8], ln_ref[8];
    hl_spectrum_info si;
    CHECK_OK(hl_chain_spectrum(plan, c->k, r_net, NULL));
    CHECK_OK(hl_spectrum(m, c->D, c->beta, HL_CONTRACTED, c->k, r_ref, ln_ref, NULL, &si));
    assert_true(r_net[0] == 0 || fabs(r_net[0]) < 1e-12);
    for (int q = 1; q < c->k; q++) {
        if (fabs(r_net[q] / r_ref[q] - 1) > 1e-9) {
            print_error("D = %ld beta = %g rate %d: network %.17g, spectrum %.17g\n", c->D,
                        c->beta, q, r_net[q], r_ref[q]);
            fail();
        }
    }
    /* the MFPT from the start class to the target basin against hl_mfpt */
    double *ln_t = malloc(sizeof(double) * (size_t)N);
    long *tst = malloc(sizeof(long) * (size_t)ntarget), ks;
    for (long i = 0; i < ntarget; i++)
        CHECK_OK(hl_network_state(net, target[i], &tst[i]));
    CHECK_OK(hl_network_state(net, start, &ks));
    CHECK_OK(hl_chain_mfpt(plan, (size_t)ntarget, tst, NULL, ln_t, NULL));
    hl_passage pa;
    CHECK_OK(hl_mfpt(m, c->D, c->beta, "liquid", "crystal", &pa));
    assert_int_equal(hl_lattice_network_id(c->D, pa.from_n, pa.from_n1), start);
    assert_int_equal(pa.target_classes, ntarget);
    if (fabs(exp(ln_t[ks] - pa.ln_mfpt) - 1) > 1e-9) {
        print_error("D = %ld beta = %g: ln MFPT network %.17g, mfpt %.17g\n", c->D, c->beta,
                    ln_t[ks], pa.ln_mfpt);
        fail();
    }
    free(ln_t);
    free(tst);
    free(target);
    hl_chain_plan_free(plan);
    hl_network_free(net);
    hl_model_free(m);
}

static void test_lattice_network(void **state)
{
    (void)state;
    const char *ns = "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y";
    const lat_case cases[] = {
        /* the paper's phi, B = 1: written once, right at every beta */
        {20, NAN, 1.0, NULL, NULL, 6},
        {20, NAN, 0.773, NULL, NULL, 6},
        {30, NAN, 0.6, NULL, NULL, 5},
        {40, NAN, 1.3, NULL, NULL, 4},
        /* large: the MFPT e^94 (and the zero rate) */
        {200, NAN, 1.0, NULL, NULL, 1},
        /* a non-separable phi and a B in x, y */
        {24, NAN, 0.9, ns, "exp(-x^2)*(1+0.5*y)", 5},
        {16, NAN, 1.5, ns, "2+x", 5},
        /* a B with T: written at the run's beta */
        {20, 1.1, 1.1, NULL, "exp(-3*y^2/T)", 5},
        {18, 0.8, 0.8, ns, "(1+T)*exp(-x^2/T)", 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_lattice(&cases[i]);
}

static void test_lattice_network_errors(void **state)
{
    (void)state;
    hl_model *m;
    CHECK_OK(hl_model_create(NULL, &m));
    FILE *fs = tmpfile(), *ft = tmpfile();
    assert_int_equal(hl_lattice_network_write(m, 7, NAN, fs, ft, NULL, NULL), HL_EDOM);
    CHECK_OK(hl_model_set_transmission(m, "exp(-y/T)"));
    /* a B with T needs a temperature */
    assert_int_equal(hl_lattice_network_write(m, 10, NAN, fs, ft, NULL, NULL), HL_EDOM);
    assert_non_null(strstr(hl_errmsg(), "depends on T"));
    assert_true(hl_model_transmission_uses_temperature(m));
    CHECK_OK(hl_model_set_transmission(m, "1+x^2"));
    assert_false(hl_model_transmission_uses_temperature(m));
    long start, nt, tg[36];
    assert_int_equal(hl_lattice_network_sets(m, 10, 1, "liquid", "liquid", &start, tg, &nt),
                     HL_EINVAL);
    assert_int_equal(hl_lattice_network_sets(m, 10, NAN, "liquid", "crystal", &start, tg, &nt),
                     HL_EDOM);
    assert_int_equal(hl_lattice_network_sets(m, 10, 1, "liquid", "nowhere", &start, tg, &nt),
                     HL_ENOTFOUND);
    assert_int_equal(hl_lattice_network_id(10, 5, 2), 2 * 6 + 3);
    fclose(fs);
    fclose(ft);
    hl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_made),
        cmocka_unit_test(test_random_brute_force),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_lattice_network),
        cmocka_unit_test(test_lattice_network_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
