/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_network_paths.c -- the analyses of a network (network.h): the
 * fastest paths from B to A against the published PATHSAMPLE k^SS of the
 * LJ38 tutorial path and an mpmath value at low T, against brute-force
 * enumeration of every loopless path on random small networks (Yen), and
 * against the network's k^SS on a chain without side branches; the
 * free-energy groups in their limits (every minimum its own group; one
 * group) and detailed balance; the evolution against mpmath
 * (tests/ref: evo_ref in the comments), conservation, equilibrium at long
 * times and a constant protocol equal to a fixed T. */
#define _GNU_SOURCE /* fmemopen */
#include <string.h>

#include "test_util.h"
#include "hyperland/network.h"

#ifndef HL_TEST_DATA_DIR
#error "HL_TEST_DATA_DIR must be defined (tests/CMakeLists.txt)"
#endif

static hl_network *open_db(const char *name)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", HL_TEST_DATA_DIR, name);
    hl_network *net = NULL;
    assert_int_equal(hl_network_read_pathsample_dir(dir, &net), HL_OK);
    assert_int_equal(hl_network_build(net, NULL), HL_OK);
    return net;
}

/* a network from CSV text */
static hl_network *open_csv(const char *states, const char *trans, const char *A,
                            const char *B)
{
    FILE *s = fmemopen((void *)states, strlen(states), "r");
    FILE *t = fmemopen((void *)trans, strlen(trans), "r");
    assert_non_null(s);
    assert_non_null(t);
    hl_network *net = NULL;
    int st = hl_network_read_csv_stream(s, "states", t, "transitions", &net);
    fclose(s);
    fclose(t);
    if (st)
        print_error("%s\n", hl_errmsg());
    assert_int_equal(st, HL_OK);
    if (A)
        assert_int_equal(hl_network_set_list(net, HL_NETWORK_A, A), HL_OK);
    if (B)
        assert_int_equal(hl_network_set_list(net, HL_NETWORK_B, B), HL_OK);
    assert_int_equal(hl_network_build(net, NULL), HL_OK);
    return net;
}

static double lse2(double a, double b)
{
    if (a == -INFINITY)
        return b;
    if (b == -INFINITY)
        return a;
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

/* ------------------------------------------------------------ paths */

/* The LJ38 tutorial path: PATHSAMPLE's DIJKSTRA printed 0.1078101912E-17
 * at T = 0.1; mpmath (50 digits, the README's rate formula) gives
 * 1.078101912227598e-18 and ln k_ss = -155.43861639504683 at T = 0.03,
 * -979.70223466921415 at T = 0.005 (below the range of doubles). */
static void test_lj38_tutorial_path(void **state)
{
    (void)state;
    hl_network *net = open_db("LJ38-tutorial-12");
    const long want[] = {8, 9, 10, 6, 12, 3, 4, 1, 2};
    const double T[] = {0.1, 0.03, 0.005};
    const double ref[] = {-41.37132966762995, -155.43861639504683, -979.70223466921415};
    for (int i = 0; i < 3; i++) {
        hl_network_paths *p = NULL;
        assert_int_equal(hl_network_paths_find(net, T[i], 5, &p), HL_OK);
        /* a tree: one loopless path from 8 to 2 however many are asked */
        assert_int_equal(p->n, 1);
        assert_int_equal(p->path[0].n_states, 9);
        for (int k = 0; k < 9; k++)
            assert_int_equal(p->path[0].ids[k], want[k]);
        CHECK_ABS(p->path[0].ln_k_ss, ref[i], 1e-11 * fabs(ref[i]));
        CHECK_ABS(p->path[0].ln_source, 0.0, 0.0); /* B = {8} */
        CHECK_ABS(p->ln_k_ss_sum, p->path[0].ln_k_ss, 0.0);
        if (i == 0)
            CHECK_REL(exp(p->path[0].ln_k_ss), 1.078101912227598e-18, 1e-12);
        hl_network_paths_free(p);
    }
    hl_network_free(net);
}

/* random small networks, written as CSV */
static unsigned long long rng = 88172645463325252ULL;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

#define NS 9
typedef struct {
    int n, m;
    double E[NS], S[NS];
    int a[40], b[40];
    double Et[40], St[40];
} rnet;

static void make_rnet(rnet *r, char *states, char *trans, int m)
{
    r->n = NS;
    r->m = m;
    int len = 0;
    for (int i = 0; i < NS; i++) {
        r->E[i] = 2 * urand();
        r->S[i] = 3 * urand();
        len += sprintf(states + len, "%d,%.17g,%.17g\n", i + 1, r->E[i], r->S[i]);
    }
    len = 0;
    for (int e = 0; e < m; e++) {
        /* a spanning chain first, then random pairs (repeats allowed:
         * parallel transition states add) */
        int a = e < NS - 1 ? e : (int)(urand() * NS), b = e < NS - 1 ? e + 1 : (int)(urand() * NS);
        if (a == b)
            b = (a + 1) % NS;
        r->a[e] = a;
        r->b[e] = b;
        r->Et[e] = fmax(r->E[a], r->E[b]) + 0.1 + 2 * urand();
        r->St[e] = 2 * urand();
        len += sprintf(trans + len, "%d,%d,%.17g,%.17g\n", a + 1, b + 1, r->Et[e], r->St[e]);
    }
}

typedef struct {
    int v[NS];
    int len;
    double ln;
} bpath;

static double lnk(const rnet *r, double T, int a, int b)
{
    double s = -INFINITY;
    for (int e = 0; e < r->m; e++)
        if ((r->a[e] == a && r->b[e] == b) || (r->a[e] == b && r->b[e] == a))
            s = lse2(s, (r->St[e] - r->Et[e] / T) - (r->S[a] - r->E[a] / T));
    return s;
}

static int inA(int v) { return v == 0; }
static int inB(int v) { return v == 4 || v == 7; }

static void dfs(const rnet *r, double T, const double *lK, int *path, int len, double ln,
                int *used, bpath *out, int *nout)
{
    int u = path[len - 1];
    if (len > 1 && inA(u)) {
        bpath *p = &out[(*nout)++];
        memcpy(p->v, path, sizeof(int) * (size_t)len);
        p->len = len;
        p->ln = ln;
        return;
    }
    for (int v = 0; v < r->n; v++) {
        double l = lnk(r, T, u, v);
        if (l == -INFINITY || used[v] || inB(v))
            continue;
        used[v] = 1;
        path[len] = v;
        dfs(r, T, lK, path, len + 1, ln + l - lK[u], used, out, nout);
        used[v] = 0;
    }
}

static int cmp_bpath(const void *x, const void *y)
{
    const bpath *a = x, *b = y;
    return a->ln > b->ln ? -1 : a->ln < b->ln;
}

static void test_yen_brute_force(void **state)
{
    (void)state;
    static char states[4096], trans[8192];
    static bpath all[200000];
    for (int rep = 0; rep < 6; rep++) {
        rnet r;
        make_rnet(&r, states, trans, 14 + 3 * rep);
        hl_network *net = open_csv(states, trans, "1", "5,8");
        const double Ts[] = {0.3, 1.0, 4.0};
        for (int it = 0; it < 3; it++) {
            double T = Ts[it];
            double lK[NS], lw[NS], lPB = -INFINITY;
            for (int a = 0; a < NS; a++) {
                lK[a] = -INFINITY;
                for (int b = 0; b < NS; b++)
                    if (b != a)
                        lK[a] = lse2(lK[a], lnk(&r, T, a, b));
                lw[a] = r.S[a] - r.E[a] / T;
            }
            lPB = lse2(lw[4], lw[7]);
            int nall = 0, path[NS + 1], used[NS] = {0};
            for (int bi = 0; bi < 2; bi++) {
                int b = bi ? 7 : 4;
                path[0] = b;
                used[b] = 1;
                dfs(&r, T, lK, path, 1, lw[b] - lPB + lK[b], used, all, &nall);
                used[b] = 0;
            }
            assert_true(nall > 3);
            qsort(all, (size_t)nall, sizeof *all, cmp_bpath);
            size_t K = (size_t)nall + 5; /* more than exist: all of them */
            hl_network_paths *p = NULL;
            assert_int_equal(hl_network_paths_find(net, T, K, &p), HL_OK);
            assert_int_equal(p->n, (size_t)nall);
            double sum = -INFINITY;
            for (int k = 0; k < nall; k++) {
                const hl_network_path *q = &p->path[k];
                assert_int_equal(q->n_states, (size_t)all[k].len);
                for (int i = 0; i < all[k].len; i++)
                    assert_int_equal(q->ids[i], all[k].v[i] + 1);
                CHECK_ABS(q->ln_k_ss, all[k].ln, 1e-12 * (1 + fabs(all[k].ln)));
                sum = lse2(sum, all[k].ln);
            }
            CHECK_ABS(p->ln_k_ss_sum, sum, 1e-12 * (1 + fabs(sum)));
            hl_network_paths_free(p);
            /* a smaller K gives the leading paths */
            assert_int_equal(hl_network_paths_find(net, T, 3, &p), HL_OK);
            assert_int_equal(p->n, 3);
            for (int k = 0; k < 3; k++)
                CHECK_ABS(p->path[k].ln_k_ss, all[k].ln, 1e-12 * (1 + fabs(all[k].ln)));
            hl_network_paths_free(p);
        }
        hl_network_free(net);
    }
}

/* A star: every walk from B = {4, 5} to A = {1, 2} is b -> 3 -> a (3 never
 * steps back into B, and a path ends at the first A minimum), so the four
 * loopless paths are all the walks, and their contributions sum to the
 * network's k^SS (B -> A) from the engine's graph transformation, at any
 * temperature (T = 0.001: ln k^SS ~ -1200, far below 1e-308).  (With a longer chain, walks that step back and forth make
 * k^SS larger than any path: it is not tested as equal there.) */
static void test_star_paths_sum_to_kss(void **state)
{
    (void)state;
    const char *states = "1,0,0\n2,0.4,1.5\n3,0.5,1\n4,0.2,0.5\n5,0.35,2\n";
    const char *trans = "1,3,1.5,0\n2,3,1.2,0.3\n3,4,2.0,1\n3,5,1.4,0.2\n4,3,2.2,2\n";
    hl_network *net = open_csv(states, trans, "1,2", "4,5");
    const double Ts[] = {0.001, 0.01, 0.1, 1, 10};
    for (int i = 0; i < 5; i++) {
        hl_network_paths *p = NULL;
        assert_int_equal(hl_network_paths_find(net, Ts[i], 10, &p), HL_OK);
        assert_int_equal(p->n, 4);
        for (size_t k = 0; k < 4; k++) {
            assert_int_equal(p->path[k].n_states, 3);
            assert_int_equal(p->path[k].ids[1], 3);
            if (k)
                assert_true(p->path[k].ln_k_ss <= p->path[k - 1].ln_k_ss);
        }
        hl_chain_plan *plan = NULL;
        assert_int_equal(hl_chain_plan_create(hl_network_chain(net), 1 / Ts[i], &plan), HL_OK);
        long a[2] = {0, 1}, b[2] = {3, 4};
        hl_chain_direction ab, ba;
        assert_int_equal(hl_chain_rate_constants(plan, 2, a, 2, b, NULL, &ab, &ba, NULL), HL_OK);
        CHECK_ABS(p->ln_k_ss_sum, ba.ln_k_ss, 1e-11 * fabs(ba.ln_k_ss));
        if (i == 0)
            assert_true(ba.ln_k_ss < -745);
        hl_chain_plan_free(plan);
        hl_network_paths_free(p);
    }
    hl_network_free(net);
}

static void test_paths_errors(void **state)
{
    (void)state;
    hl_network *net = open_db("LJ38-tutorial-12");
    hl_network_paths *p = NULL;
    assert_int_equal(hl_network_paths_find(net, 0, 1, &p), HL_EDOM);
    assert_int_equal(hl_network_paths_find(net, NAN, 1, &p), HL_EDOM);
    assert_int_equal(hl_network_paths_find(net, 0.1, 0, &p), HL_EDOM);
    assert_int_equal(hl_network_paths_find(net, 0.1, 100001, &p), HL_EDOM);
    assert_int_equal(hl_network_paths_find(NULL, 0.1, 1, &p), HL_EINVAL);
    assert_null(p);
    hl_network_free(net);
    /* without sets */
    net = open_csv("1,0,0\n2,1,0\n", "1,2,2,0\n", NULL, NULL);
    assert_int_equal(hl_network_paths_find(net, 0.1, 1, &p), HL_EINVAL);
    hl_network_free(net);
}

/* ---------------------------------------------------------- regroup */

static void test_regroup_limits(void **state)
{
    (void)state;
    hl_network *net = open_db("LJ38-4k");
    hl_network_info info;
    hl_network_get_info(net, &info);
    const double T = 0.1;
    hl_network_groups *g = NULL;
    /* below every barrier: each minimum its own group, G = -T ln M, the
     * group rates the minima's rates */
    assert_int_equal(hl_network_regroup(net, T, -1e300, &g), HL_OK);
    assert_int_equal(g->n_groups, (size_t)info.network_minima);
    assert_int_equal(g->passes, 0);
    hl_chain_plan *plan = NULL;
    assert_int_equal(hl_chain_plan_create(hl_network_chain(net), 1 / T, &plan), HL_OK);
    hl_network_thermo th;
    assert_int_equal(hl_network_thermodynamics(net, T, 0, &th), HL_OK);
    for (size_t i = 0; i < g->n_groups; i += 37) {
        const hl_network_group *q = &g->group[i];
        assert_int_equal(q->n_minima, 1);
        long id;
        hl_network_id(net, q->states[0], &id);
        assert_int_equal(id, q->lowest_id);
    }
    double prev = -INFINITY, ptot = -INFINITY;
    for (size_t i = 0; i < g->n_groups; i++) {
        assert_true(g->group[i].free_energy >= prev);
        prev = g->group[i].free_energy;
        ptot = lse2(ptot, g->group[i].ln_population);
        /* ln P_I = -G_I/T - ln Z */
        CHECK_ABS(g->group[i].ln_population, -g->group[i].free_energy / T - th.ln_Z, 1e-9);
    }
    CHECK_ABS(ptot, 0.0, 1e-12);
    for (size_t e = 0; e < g->n_rates; e += 11) {
        const hl_network_group_rate *r = &g->rate[e];
        double lr;
        assert_int_equal(hl_chain_ln_rate(plan, g->group[r->from].states[0],
                                          g->group[r->to].states[0], &lr),
                         HL_OK);
        CHECK_ABS(r->ln_rate, lr, 1e-9 * (1 + fabs(lr)));
        CHECK_ABS(r->barrier, -T * r->ln_rate, 1e-12);
    }
    hl_chain_plan_free(plan);
    hl_network_groups_free(g);
    /* the mpmath reference (tests/ref/network_regroup.py LJ38-4k 0.1 1.0):
     * 533 groups, 1346 rates, the first -146.60786133089422 (minimum 1, A),
     * the second 4 minima from 16 (B) at -146.43666709422698 */
    assert_int_equal(hl_network_regroup(net, T, 1.0, &g), HL_OK);
    assert_int_equal(g->n_groups, 533);
    assert_int_equal(g->n_rates, 1346);
    assert_int_equal(g->group[0].lowest_id, 1);
    assert_int_equal(g->group[0].set, HL_NETWORK_A);
    CHECK_ABS(g->group[0].free_energy, -146.60786133089422, 1e-10);
    assert_int_equal(g->group[1].lowest_id, 16);
    assert_int_equal(g->group[1].n_minima, 4);
    CHECK_ABS(g->group[1].free_energy, -146.43666709422698, 1e-10);
    CHECK_ABS(g->group[1].ln_population, -1.9208847994824632, 1e-10);
    /* detailed balance of the group rates: P_I k(I->J) = P_J k(J->I) */
    for (size_t e = 0; e < g->n_rates; e++) {
        const hl_network_group_rate *r = &g->rate[e];
        size_t f = 0;
        while (f < g->n_rates && !(g->rate[f].from == r->to && g->rate[f].to == r->from))
            f++;
        assert_true(f < g->n_rates);
        CHECK_ABS(g->group[r->from].ln_population + r->ln_rate,
                  g->group[r->to].ln_population + g->rate[f].ln_rate, 1e-9);
        /* every inter-group pair kept apart has a barrier above the
         * threshold in one direction, or joins A with B */
        int ab = (g->group[r->from].set | g->group[r->to].set) >= 0 &&
                 g->group[r->from].set >= 0 && g->group[r->to].set >= 0 &&
                 g->group[r->from].set != g->group[r->to].set;
        assert_true(ab || r->barrier > 1.0 || g->rate[f].barrier > 1.0);
    }
    hl_network_groups_free(g);
    hl_network_free(net);
    /* no sets, any threshold above every barrier: one group, G = -T ln Z */
    const char *states = "1,0,0\n2,0.5,1\n3,0.2,0.5\n4,0.9,2\n5,0.3,1\n";
    const char *trans = "1,2,1.5,0\n2,3,1.2,0.3\n3,4,2.0,1\n4,5,1.4,0.2\n3,4,2.2,2\n";
    net = open_csv(states, trans, NULL, NULL);
    assert_int_equal(hl_network_regroup(net, 0.5, 1e300, &g), HL_OK);
    assert_int_equal(g->n_groups, 1);
    assert_int_equal(g->n_rates, 0);
    assert_int_equal(hl_network_thermodynamics(net, 0.5, 0, &th), HL_OK);
    CHECK_ABS(g->group[0].free_energy, -0.5 * th.ln_Z, 1e-13);
    hl_network_groups_free(g);
    assert_int_equal(hl_network_regroup(net, 0, 1, &g), HL_EDOM);
    assert_int_equal(hl_network_regroup(net, 1, INFINITY, &g), HL_EDOM);
    hl_network_free(net);
    /* with sets: A and B never merge */
    net = open_csv(states, trans, "1", "5");
    assert_int_equal(hl_network_regroup(net, 0.5, 1e300, &g), HL_OK);
    assert_int_equal(g->n_groups, 2);
    assert_true(g->group[0].set != g->group[1].set);
    hl_network_groups_free(g);
    hl_network_free(net);
}

/* -------------------------------------------------------- evolution */

static void test_evolve_reference(void **state)
{
    (void)state;
    hl_network *net = open_db("LJ38-tutorial-12");
    hl_network_info info;
    hl_network_get_info(net, &info);
    size_t n = (size_t)info.network_minima;
    double p0[12], times[] = {0, 1e8, 1e12, 1e16, 1e20};
    double out[5 * 12];
    assert_int_equal(hl_network_start(net, HL_NETWORK_START_MINIMUM, 8, 0, p0), HL_OK);
    assert_int_equal(hl_network_evolve(net, 0.1, NULL, p0, times, 5, 1e-11, out, NULL), HL_OK);
    /* mpmath (60 digits, eigen-decomposition of the symmetrised generator):
     * P_B(1e8) = 0.87644835075245639, P_B(1e12) = 0.60600041009947567,
     * P_A(1e12) = 0.0015498107616189993, P_B(1e16) = 0.043794391963200097,
     * <E>(1e12) = -173.10639768667370747 */
    hl_network_observables o[5];
    for (int k = 0; k < 5; k++) {
        assert_int_equal(hl_network_observe(net, out + k * n, &o[k]), HL_OK);
        assert_true(o[k].sum_error < 1e-12);
    }
    CHECK_ABS(o[0].pop[1], 1.0, 0.0);
    CHECK_ABS(o[1].pop[1], 0.87644835075245639, 1e-9);
    CHECK_ABS(o[2].pop[1], 0.60600041009947567, 1e-9);
    CHECK_ABS(o[2].pop[0], 0.0015498107616189993, 1e-9);
    CHECK_ABS(o[3].pop[1], 0.043794391963200097, 1e-9);
    CHECK_ABS(o[2].mean_energy, -173.10639768667370747, 1e-8);
    /* long times: the equilibrium of the thermodynamics */
    hl_network_thermo th;
    assert_int_equal(hl_network_thermodynamics(net, 0.1, 0, &th), HL_OK);
    CHECK_ABS(o[4].pop[0], th.pop[0], 1e-10);
    CHECK_ABS(o[4].pop[1], th.pop[1], 1e-10);
    CHECK_ABS(o[4].mean_energy, th.mean_energy, 1e-9);
    /* a protocol that keeps T = 0.1 is the fixed temperature */
    hl_protocol *pr = NULL;
    const double pt[] = {0, 1e10}, pv[] = {0.1, 0.1};
    assert_int_equal(hl_protocol_create(HL_PROTOCOL_T, 2, pt, pv, &pr), HL_OK);
    double out2[5 * 12];
    assert_int_equal(hl_network_evolve(net, 0, pr, p0, times, 5, 1e-11, out2, NULL), HL_OK);
    for (size_t i = 0; i < 5 * n; i++)
        CHECK_ABS(out2[i], out[i], 1e-9);
    hl_protocol_free(pr);
    /* a cooling protocol conserves probability and ends in the final
     * temperature's equilibrium */
    const double ct[] = {0, 1e12}, cv[] = {0.2, 0.1};
    assert_int_equal(hl_protocol_create(HL_PROTOCOL_T, 2, ct, cv, &pr), HL_OK);
    assert_int_equal(hl_network_start(net, HL_NETWORK_START_EQUILIBRIUM, 0, 0.2, p0), HL_OK);
    assert_int_equal(hl_network_evolve(net, 0, pr, p0, times, 5, 1e-10, out2, NULL), HL_OK);
    for (int k = 0; k < 5; k++) {
        hl_network_observables q;
        hl_network_observe(net, out2 + k * n, &q);
        assert_true(q.sum_error < 1e-9);
        if (k == 4) {
            CHECK_ABS(q.pop[0], th.pop[0], 1e-8);
            CHECK_ABS(q.mean_energy, th.mean_energy, 1e-7);
        }
    }
    hl_protocol_free(pr);
    hl_network_free(net);
}

static void test_starts(void **state)
{
    (void)state;
    hl_network *net = open_db("LJ38-4k");
    hl_network_info info;
    hl_network_get_info(net, &info);
    size_t n = (size_t)info.network_minima;
    double *p = malloc(n * sizeof *p);
    hl_network_observables o;
    /* the local equilibrium in B at T0: P_B = 1, shares as the
     * thermodynamics' populations */
    assert_int_equal(hl_network_start(net, HL_NETWORK_START_SET, HL_NETWORK_B, 0.2, p), HL_OK);
    hl_network_observe(net, p, &o);
    CHECK_ABS(o.pop[1], 1.0, 1e-14);
    CHECK_ABS(o.pop[0], 0.0, 0.0);
    assert_int_equal(hl_network_start(net, HL_NETWORK_START_EQUILIBRIUM, 0, 0.2, p), HL_OK);
    hl_network_thermo th;
    hl_network_thermodynamics(net, 0.2, 0, &th);
    hl_network_observe(net, p, &o);
    CHECK_ABS(o.pop[0], th.pop[0], 1e-13);
    CHECK_ABS(o.pop[1], th.pop[1], 1e-13);
    CHECK_ABS(o.mean_energy, th.mean_energy, 1e-11);
    assert_int_equal(hl_network_start(net, HL_NETWORK_START_MINIMUM, 2020, 0, p), HL_OK);
    hl_network_observe(net, p, &o);
    CHECK_ABS(o.pop[0] + o.pop[1], 0.0, 0.0);
    /* minimum 3000 is not in the network; 4001 is not a minimum */
    assert_int_equal(hl_network_start(net, HL_NETWORK_START_MINIMUM, 4001, 0, p), HL_EINVAL);
    assert_int_equal(hl_network_start(net, HL_NETWORK_START_EQUILIBRIUM, 0, -1, p), HL_EDOM);
    free(p);
    hl_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lj38_tutorial_path),
        cmocka_unit_test(test_yen_brute_force),
        cmocka_unit_test(test_star_paths_sum_to_kss),
        cmocka_unit_test(test_paths_errors),
        cmocka_unit_test(test_regroup_limits),
        cmocka_unit_test(test_evolve_reference),
        cmocka_unit_test(test_starts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
