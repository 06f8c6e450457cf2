/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_rpassage.c -- first passage on general reversible chains
 * (src/solvers/rpassage.h): graph transformation and the sparse direct
 * method against closed forms, against dense LAPACK solves written here,
 * and against an mpmath reference (tests/ref/rpassage_ref.py) for rates
 * from 1e-750 to 1e10; committors near 0 and near 1; error cases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lapacke.h>

#include "hyperland/hyperland.h"
#include "rchain.h"
#include "rpassage.h"
#include "ref/rpassage_ref.h"

#define CHECK_OK(x) assert_int_equal((x), HL_OK)

static unsigned long long rng = 88172645463325252ULL;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static void chain_make(hl_rchain *c, long n, long m, const double *ln_pi, const long *ea,
                       const long *eb, const double *ln_c)
{
    CHECK_OK(hl_rchain_alloc(c, n, m, 0));
    memcpy(c->ln_pi, ln_pi, sizeof(double) * (size_t)n);
    memcpy(c->ea, ea, sizeof(long) * (size_t)m);
    memcpy(c->eb, eb, sizeof(long) * (size_t)m);
    memcpy(c->ln_c, ln_c, sizeof(double) * (size_t)m);
    CHECK_OK(hl_rchain_index(c));
}

/* |a - b| <= tol (max(1, |b|)) on logs; both -inf counts as equal */
static void check_ln(double a, double b, double tol, const char *what, long i)
{
    if (a == b)
        return;
    double err = fabs(a - b), lim = tol * fmax(1.0, fabs(b));
    if (!(err <= lim)) {
        print_error("%s[%ld]: %.17g vs reference %.17g (err %.3g > %.3g)\n", what, i, a, b,
                    err, lim);
        fail();
    }
}

static void solve_both(const hl_rchain *c, const unsigned char *absorb, double *tau[2],
                       double *q[2], double *qm[2])
{
    static const char *names[2] = {"graph-transformation", "sparse-direct"};
    for (int k = 0; k < 2; k++) {
        hl_pass_problem p = {c, absorb};
        hl_pass_solution s;
        memset(&s, 0, sizeof s);
        s.ln_tau = tau ? tau[k] : NULL;
        s.ln_q = q ? q[k] : NULL;
        s.ln_qm = qm ? qm[k] : NULL;
        CHECK_OK(hl_pass_solve(&p, names[k], &s));
        assert_string_equal(s.method, names[k]);
        assert_true(s.resolution > 0 && s.resolution < 1e-6);
        assert_int_equal(s.lost, 0);
    }
}

/* Birth-death chain: tau_i = sum_{k = i}^{n-2} (sum_{j <= k} pi_j) / C_{k,k+1}
 * to reach the last state; long double in logs.  Moderate rates: both
 * methods; rates down to exp(-2000): graph transformation only. */
static void test_linear_chain_closed_form(void **state)
{
    (void)state;
    /* stiff = 2: weights down to exp(-30000), beyond even long double */
    for (int stiff = 0; stiff < 3; stiff++) {
        long n = 40, m = n - 1;
        double lp[40], lc[39], *tau[2], *lq[2];
        long ea[39], eb[39];
        for (long i = 0; i < n; i++)
            lp[i] = stiff == 2 ? -30000.0 * urand() : stiff ? -1500.0 * urand() + 20
                                                              : 10.0 * urand() - 5.0;
        for (long e = 0; e < m; e++) {
            ea[e] = e;
            eb[e] = e + 1;
            lc[e] = stiff == 2 ? -20000.0 * urand() : stiff ? -1200.0 * urand() + 23.0
                                                             : 6.0 * urand() - 3.0;
        }
        hl_rchain c;
        chain_make(&c, n, m, lp, ea, eb, lc);
        unsigned char absorb[40] = {0};
        absorb[n - 1] = HL_PASS_TO_B;
        for (int k = 0; k < 2; k++) {
            tau[k] = malloc(sizeof(double) * (size_t)n);
            lq[k] = malloc(sizeof(double) * (size_t)n);
        }
        if (!stiff)
            solve_both(&c, absorb, tau, NULL, NULL);
        else {
            hl_pass_problem p = {&c, absorb};
            hl_pass_solution s = {0};
            s.ln_tau = tau[0];
            CHECK_OK(hl_pass_solve(&p, NULL, &s));
            assert_string_equal(s.method, "graph-transformation");
            /* the direct method refuses what it cannot represent */
            assert_int_equal(hl_pass_solve(&p, "sparse-direct", &s), HL_ERANGE);
        }
        long double acc = -INFINITY, pre = -INFINITY;
        long double ref[40];
        for (long k = 0; k < n - 1; k++) { /* prefix sums, then suffix sums of terms */
            (void)pre;
        }
        /* term_k = ln(sum_{j<=k} pi_j) - ln C_{k,k+1} */
        long double term[40], ps = -INFINITY;
        for (long k = 0; k < n - 1; k++) {
            long double x = lp[k];
            ps = ps > x ? ps + log1pl(expl(x - ps)) : x + log1pl(expl(ps - x));
            term[k] = ps - ((long double)lc[k] + 0.5L * ((long double)lp[k] + lp[k + 1]));
        }
        ref[n - 1] = -INFINITY;
        for (long k = n - 2; k >= 0; k--) {
            long double x = term[k];
            acc = acc == -INFINITY ? x
                  : acc > x        ? acc + log1pl(expl(x - acc))
                                   : x + log1pl(expl(acc - x));
            ref[k] = acc;
        }
        for (long i = 0; i < n; i++) {
            check_ln(tau[0][i], (double)ref[i], 1e-14, stiff ? "tau gt stiff" : "tau gt", i);
            if (!stiff)
                check_ln(tau[1][i], (double)ref[i], 1e-10, "tau direct", i);
        }
        for (int k = 0; k < 2; k++) {
            free(tau[k]);
            free(lq[k]);
        }
        hl_rchain_free(&c);
    }
}

/* two and three states: closed forms of the MFPT, k^SS, k^NSS, k^F */
static void test_small_chains_rates(void **state)
{
    (void)state;
    const char *methods[2] = {"graph-transformation", "sparse-direct"};
    for (int mth = 0; mth < 2; mth++) {
        /* two states */
        double lp2[2] = {0.3, -2.0}, lc2[1] = {-1.5};
        long ea2[1] = {0}, eb2[1] = {1};
        hl_rchain c;
        chain_make(&c, 2, 1, lp2, ea2, eb2, lc2);
        unsigned char set[3] = {1, 2, 0};
        hl_pass_rates r;
        CHECK_OK(hl_pass_rates_compute(&c, set, methods[mth], &r, NULL, NULL));
        double l01 = lc2[0] + 0.5 * (lp2[1] - lp2[0]), l10 = lc2[0] + 0.5 * (lp2[0] - lp2[1]);
        check_ln(r.ab.ln_mfpt, -l01, 1e-13, "2: mfpt ab", 0);
        check_ln(r.ab.ln_k_ss, l01, 1e-13, "2: kss ab", 0);
        check_ln(r.ab.ln_k_nss, l01, 1e-13, "2: knss ab", 0);
        check_ln(r.ab.ln_k_f, l01, 1e-13, "2: kf ab", 0);
        check_ln(r.ba.ln_k_ss, l10, 1e-13, "2: kss ba", 0);
        check_ln(r.ab.ln_p_source, lp2[0] - log(exp(lp2[0]) + exp(lp2[1])), 1e-13, "2: P_A", 0);
        hl_rchain_free(&c);
        /* three states 0 - 1 - 2, A = {0}, B = {2} */
        double lp3[3] = {0.0, -4.0, -1.0}, lc3[2] = {-0.5, 0.7};
        long ea3[2] = {0, 1}, eb3[2] = {1, 2};
        chain_make(&c, 3, 2, lp3, ea3, eb3, lc3);
        double k01 = exp(lc3[0] + 0.5 * (lp3[1] - lp3[0])), k10 = exp(lc3[0] + 0.5 * (lp3[0] - lp3[1]));
        double k12 = exp(lc3[1] + 0.5 * (lp3[2] - lp3[1])), k21 = exp(lc3[1] + 0.5 * (lp3[1] - lp3[2]));
        unsigned char set3[3] = {1, 0, 2};
        double lq[3], lqm[3];
        CHECK_OK(hl_pass_rates_compute(&c, set3, methods[mth], &r, lq, lqm));
        assert_string_equal(r.method, methods[mth]);
        double T0 = (k10 + k12 + k01) / (k01 * k12), T2 = (k12 + k10 + k21) / (k21 * k10);
        check_ln(r.ab.ln_mfpt, log(T0), 1e-12, "3: mfpt ab", 0);
        check_ln(r.ab.ln_k_f, -log(T0), 1e-12, "3: kf ab", 0);
        check_ln(r.ab.ln_k_nss, -log(T0), 1e-12, "3: knss ab", 0);
        check_ln(r.ab.ln_k_ss, log(k01 * k12 / (k10 + k12)), 1e-12, "3: kss ab", 0);
        check_ln(r.ba.ln_mfpt, log(T2), 1e-12, "3: mfpt ba", 0);
        check_ln(r.ba.ln_k_ss, log(k21 * k10 / (k10 + k12)), 1e-12, "3: kss ba", 0);
        check_ln(lq[1], log(k12 / (k10 + k12)), 1e-12, "3: q", 1);
        check_ln(lqm[1], log(k10 / (k10 + k12)), 1e-12, "3: qm", 1);
        hl_rchain_free(&c);
    }
}

/* dense LAPACK solve of the generator rows: (sum_b K_ab + exit_a) x_a -
 * sum_{b free} K_ab x_b = r_a for the free states */
static void dense_solve(const hl_rchain *c, const unsigned char *absorb, int what, double *out)
{
    long n = c->n, nf = 0, *loc = malloc(sizeof(long) * (size_t)n);
    for (long a = 0; a < n; a++)
        loc[a] = absorb[a] ? -1 : nf++;
    double *M = calloc((size_t)(nf * nf), sizeof(double)), *r = calloc((size_t)nf, sizeof(double));
    for (long a = 0; a < n; a++)
        if (loc[a] >= 0) {
            r[loc[a]] = what == 0 ? 1.0 : 0.0;
            if (c->ln_exit)
                M[loc[a] * nf + loc[a]] += exp(c->ln_exit[a]);
        }
    for (long e = 0; e < c->m; e++)
        for (int s = 0; s < 2; s++) {
            long a = s ? c->eb[e] : c->ea[e], b = s ? c->ea[e] : c->eb[e];
            double k = exp(c->ln_c[e] + 0.5 * (c->ln_pi[b] - c->ln_pi[a]));
            if (loc[a] < 0)
                continue;
            M[loc[a] * nf + loc[a]] += k;
            if (loc[b] >= 0)
                M[loc[a] * nf + loc[b]] -= k;
            else if ((what == 1 && absorb[b] == HL_PASS_TO_B) || (what == 2 && absorb[b] == HL_PASS_TO_A))
                r[loc[a]] += k;
        }
    lapack_int *ipiv = malloc(sizeof(lapack_int) * (size_t)nf);
    assert_int_equal(LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)nf, 1, M, (lapack_int)nf, ipiv, r, 1), 0);
    for (long a = 0; a < n; a++)
        out[a] = loc[a] >= 0 ? log(r[loc[a]])
                 : what == 0 ? -INFINITY
                 : ((what == 1 && absorb[a] == HL_PASS_TO_B) || (what == 2 && absorb[a] == HL_PASS_TO_A)) ? 0.0
                                                                                                        : -INFINITY;
    free(ipiv);
    free(M);
    free(r);
    free(loc);
}

/* random sparse graphs with hubs and some exits: both methods against the
 * dense solve */
static void test_random_hub_graphs(void **state)
{
    (void)state;
    for (int trial = 0; trial < 6; trial++) {
        long n = 60 + 20 * trial, m = 0, cap = 8 * n;
        double *lp = malloc(sizeof(double) * (size_t)n), *lc = malloc(sizeof(double) * (size_t)cap);
        long *ea = malloc(sizeof(long) * (size_t)cap), *eb = malloc(sizeof(long) * (size_t)cap);
        unsigned char *used = calloc((size_t)(n * n), 1);
        for (long i = 0; i < n; i++)
            lp[i] = 16.0 * urand() - 8.0;
#define ADD(u, v)                                                                                  \
    do {                                                                                           \
        long u_ = (u), v_ = (v);                                                                   \
        if (u_ != v_ && !used[u_ * n + v_] && m < cap) {                                           \
            used[u_ * n + v_] = used[v_ * n + u_] = 1;                                             \
            ea[m] = u_;                                                                            \
            eb[m] = v_;                                                                            \
            lc[m++] = 8.0 * urand() - 4.0;                                                         \
        }                                                                                          \
    } while (0)
        for (long i = 1; i < n; i++)
            ADD(i, (long)(urand() * (double)i)); /* a random tree: connected */
        for (long k = 0; k < n; k++)
            ADD((long)(urand() * (double)n), (long)(urand() * (double)n));
        for (int h = 0; h < 3; h++) /* hubs */
            for (int k = 0; k < 25; k++)
                ADD(h * 7 + 3, (long)(urand() * (double)n));
#undef ADD
        hl_rchain c;
        CHECK_OK(hl_rchain_alloc(&c, n, m, trial % 2));
        memcpy(c.ln_pi, lp, sizeof(double) * (size_t)n);
        memcpy(c.ea, ea, sizeof(long) * (size_t)m);
        memcpy(c.eb, eb, sizeof(long) * (size_t)m);
        memcpy(c.ln_c, lc, sizeof(double) * (size_t)m);
        if (c.ln_exit)
            for (long i = 0; i < n; i += 9)
                c.ln_exit[i] = -3.0 + urand();
        CHECK_OK(hl_rchain_index(&c));
        unsigned char *absorb = calloc((size_t)n, 1);
        absorb[0] = absorb[1] = absorb[2] = HL_PASS_TO_A;
        absorb[n - 1] = absorb[n - 2] = HL_PASS_TO_B;
        double *buf = malloc(sizeof(double) * (size_t)n * 9);
        double *tau[2] = {buf, buf + n}, *q[2] = {buf + 2 * n, buf + 3 * n},
               *qm[2] = {buf + 4 * n, buf + 5 * n}, *ref = buf + 6 * n;
        solve_both(&c, absorb, tau, q, qm);
        const char *what[3] = {"tau", "q", "qm"};
        for (int w = 0; w < 3; w++) {
            double **x = w == 0 ? tau : w == 1 ? q : qm;
            dense_solve(&c, absorb, w, ref);
            for (long i = 0; i < n; i++) {
                /* the two methods agree closely; the dense LU (partial
                 * pivoting, no GTH) has an error ~ cond eps, up to ~1e-8 on
                 * these chains (rates spanning e^+-12) */
                check_ln(x[1][i], x[0][i], 1e-9, "direct vs gt", i);
                check_ln(x[0][i], ref[i], 1e-7, what[w], i);
                check_ln(x[1][i], ref[i], 1e-7, what[w], i);
            }
        }
        /* rates: the two methods agree, and k^SS >= k^F (the steady state
         * counts recrossings of the source boundary), k^NSS >= k^F (Jensen) */
        unsigned char *set = calloc((size_t)n, 1);
        set[0] = set[1] = set[2] = 1;
        set[n - 1] = set[n - 2] = 2;
        if (!c.ln_exit) {
            hl_pass_rates r0, r1;
            CHECK_OK(hl_pass_rates_compute(&c, set, "graph-transformation", &r0, NULL, NULL));
            CHECK_OK(hl_pass_rates_compute(&c, set, "sparse-direct", &r1, NULL, NULL));
            const hl_pass_direction *d0[2] = {&r0.ab, &r0.ba}, *d1[2] = {&r1.ab, &r1.ba};
            for (int k = 0; k < 2; k++) {
                check_ln(d0[k]->ln_mfpt, d1[k]->ln_mfpt, 1e-10, "mfpt", k);
                check_ln(d0[k]->ln_k_ss, d1[k]->ln_k_ss, 1e-10, "kss", k);
                check_ln(d0[k]->ln_k_nss, d1[k]->ln_k_nss, 1e-10, "knss", k);
                assert_true(d0[k]->ln_k_nss >= d0[k]->ln_k_f - 1e-12);
                assert_true(d0[k]->ln_k_ss >= d0[k]->ln_k_f - 1e-12);
            }
            /* detailed balance of the steady-state flux: P_A k_SS(A->B) = P_B k_SS(B->A) */
            check_ln(r0.ab.ln_p_source + r0.ab.ln_k_ss, r0.ba.ln_p_source + r0.ba.ln_k_ss, 1e-12,
                     "flux balance", 0);
        }
        free(set);
        free(buf);
        free(absorb);
        hl_rchain_free(&c);
        free(lp);
        free(lc);
        free(ea);
        free(eb);
        free(used);
    }
}

/* rates from exp(-1728) to exp(23) in one chain: graph transformation
 * against mpmath at 2000 digits; committors near 0 (e^-730) and near 1
 * (1 - q = e^-206) to relative accuracy */
static void test_extreme_range_vs_mpmath(void **state)
{
    (void)state;
    hl_rchain c;
    chain_make(&c, REF_N, REF_M, REF_LN_PI, REF_EA, REF_EB, REF_LN_C);
    unsigned char set[REF_N];
    CHECK_OK(hl_pass_sets(REF_N, REF_A, sizeof REF_A / sizeof REF_A[0], REF_B,
                          sizeof REF_B / sizeof REF_B[0], set));
    unsigned char absorb[REF_N];
    for (long i = 0; i < REF_N; i++)
        absorb[i] = set[i] == 2 ? HL_PASS_TO_B : HL_PASS_FREE;
    double tau[REF_N], q[REF_N], qm[REF_N];
    hl_pass_problem p = {&c, absorb};
    hl_pass_solution s = {0};
    s.ln_tau = tau;
    CHECK_OK(hl_pass_solve(&p, NULL, &s));
    assert_string_equal(s.method, "graph-transformation");
    for (long i = 0; i < REF_N; i++)
        check_ln(tau[i], REF_LN_TAU[i], 1e-13, "tau", i);
    assert_int_equal(hl_pass_solve(&p, "sparse-direct", &s), HL_ERANGE);
    hl_pass_rates r;
    CHECK_OK(hl_pass_rates_compute(&c, set, NULL, &r, q, qm));
    for (long i = 0; i < REF_N; i++) {
        check_ln(q[i], REF_LN_Q[i], 1e-13, "q", i);
        check_ln(qm[i], REF_LN_QM[i], 1e-13, "qm", i);
    }
    assert_true(q[9] < -700 && qm[6] < -200); /* the near-0 and near-1 cases */
    const hl_pass_direction *d[2] = {&r.ab, &r.ba};
    for (int k = 0; k < 2; k++) {
        check_ln(d[k]->ln_mfpt, REF_RATES[k][0], 1e-13, "mfpt", k);
        check_ln(d[k]->ln_k_f, -REF_RATES[k][0], 1e-13, "k_f", k);
        check_ln(d[k]->ln_k_nss, REF_RATES[k][1], 1e-13, "k_nss", k);
        check_ln(d[k]->ln_k_ss, REF_RATES[k][2], 1e-13, "k_ss", k);
    }
    hl_rchain_free(&c);
}

/* The kept factor (hl_pass_solve_kept): one elimination for every problem
 * with the same absorbing states, whatever their labels; the values equal
 * those of a fresh solve to the last bit; other absorbing states or another
 * chain replace it; the rate constants through it equal those without. */
static void test_kept_factor(void **state)
{
    (void)state;
    long n = 120, m = 0, cap = 6 * n;
    double *lp = malloc(sizeof(double) * (size_t)n), *lc = malloc(sizeof(double) * (size_t)cap);
    long *ea = malloc(sizeof(long) * (size_t)cap), *eb = malloc(sizeof(long) * (size_t)cap);
    unsigned char *used = calloc((size_t)(n * n), 1);
    for (long i = 0; i < n; i++)
        lp[i] = 40.0 * urand() - 20.0;
    for (long k = 0; k < 3 * n; k++) { /* a random tree, then random chords */
        long u = k < n - 1 ? k + 1 : (long)(urand() * (double)n);
        long v = (long)(urand() * (double)(k < n - 1 ? k + 1 : n));
        if (u != v && !used[u * n + v] && m < cap) {
            used[u * n + v] = used[v * n + u] = 1;
            ea[m] = u;
            eb[m] = v;
            lc[m++] = 6.0 * urand() - 3.0;
        }
    }
    free(used);
    hl_rchain c, c2;
    chain_make(&c, n, m, lp, ea, eb, lc);
    chain_make(&c2, n, m, lp, ea, eb, lc);
    size_t sn = (size_t)n;
    unsigned char *ab = calloc(sn, 1), *all = calloc(sn, 1), *other = calloc(sn, 1);
    for (long i = 0; i < 5; i++)
        ab[i] = HL_PASS_TO_A;
    for (long i = n - 5; i < n; i++)
        ab[i] = HL_PASS_TO_B;
    for (long i = 0; i < n; i++) {
        all[i] = ab[i] ? HL_PASS_TO_A : HL_PASS_FREE; /* mfpt to A u B */
        other[i] = i < 3 ? HL_PASS_TO_A : i >= n - 3 ? HL_PASS_TO_B : HL_PASS_FREE;
    }
    double *x[6];
    for (int k = 0; k < 6; k++)
        x[k] = malloc(sizeof(double) * sn);
    hl_pass_cache *keep = NULL;
    /* mfpt to A u B, then the committor between A and B: one factor */
    hl_pass_problem p1 = {&c, all}, p2 = {&c, ab}, p3 = {&c, other}, p4 = {&c2, ab};
    hl_pass_solution s1 = {.ln_tau = x[0]}, s2 = {.ln_q = x[1], .ln_qm = x[2]};
    CHECK_OK(hl_pass_solve_kept(&p1, NULL, &s1, &keep));
    hl_pass_cache *first = keep;
    assert_non_null(first);
    CHECK_OK(hl_pass_solve_kept(&p2, "graph-transformation", &s2, &keep));
    assert_ptr_equal(keep, first);
    hl_pass_solution f1 = {.ln_tau = x[3]}, f2 = {.ln_q = x[4], .ln_qm = x[5]};
    CHECK_OK(hl_pass_solve(&p1, NULL, &f1));
    CHECK_OK(hl_pass_solve(&p2, NULL, &f2));
    for (long i = 0; i < n; i++) {
        assert_memory_equal(&x[0][i], &x[3][i], sizeof(double));
        assert_memory_equal(&x[1][i], &x[4][i], sizeof(double));
        assert_memory_equal(&x[2][i], &x[5][i], sizeof(double));
    }
    assert_true(s2.resolution == f2.resolution);
    /* the committor still agrees with the sparse direct method */
    hl_pass_solution d2 = {.ln_q = x[4], .ln_qm = x[5]};
    CHECK_OK(hl_pass_solve(&p2, "sparse-direct", &d2));
    for (long i = 0; i < n; i++) {
        check_ln(x[1][i], x[4][i], 1e-8, "q kept vs direct", i);
        check_ln(x[2][i], x[5][i], 1e-8, "1-q kept vs direct", i);
    }
    /* other absorbing states: a new factor, right values */
    hl_pass_solution s3 = {.ln_tau = x[0]}, f3 = {.ln_tau = x[3]};
    CHECK_OK(hl_pass_solve_kept(&p3, NULL, &s3, &keep));
    CHECK_OK(hl_pass_solve(&p3, NULL, &f3));
    for (long i = 0; i < n; i++)
        assert_memory_equal(&x[0][i], &x[3][i], sizeof(double));
    /* the same absorbing states on another chain: not reused */
    for (long i = 0; i < n; i++)
        c2.ln_pi[i] += i % 2 ? 1.0 : 0.0;
    hl_pass_solution s4 = {.ln_q = x[1]}, f4 = {.ln_q = x[4]};
    CHECK_OK(hl_pass_solve_kept(&p2, NULL, &s2, &keep));
    CHECK_OK(hl_pass_solve_kept(&p4, NULL, &s4, &keep));
    CHECK_OK(hl_pass_solve(&p4, NULL, &f4));
    for (long i = 0; i < n; i++)
        assert_memory_equal(&x[1][i], &x[4][i], sizeof(double));
    /* rate constants through the kept factor = without it */
    unsigned char set[120];
    for (long i = 0; i < n; i++)
        set[i] = ab[i] == HL_PASS_TO_A ? 1 : ab[i] == HL_PASS_TO_B ? 2 : 0;
    hl_pass_rates r0, r1;
    CHECK_OK(hl_pass_rates_compute(&c, set, NULL, &r0, NULL, NULL));
    CHECK_OK(hl_pass_rates_compute_kept(&c, set, NULL, &r1, NULL, NULL, &keep));
    assert_memory_equal(&r0.ab, &r1.ab, sizeof r0.ab);
    assert_memory_equal(&r0.ba, &r1.ba, sizeof r0.ba);
    hl_pass_cache_free(keep);
    for (int k = 0; k < 6; k++)
        free(x[k]);
    free(ab);
    free(all);
    free(other);
    free(lp);
    free(lc);
    free(ea);
    free(eb);
    hl_rchain_free(&c);
    hl_rchain_free(&c2);
}

static void test_errors(void **state)
{
    (void)state;
    /* two components: 0 - 1 and 2 - 3 */
    double lp[4] = {0, 0, 0, 0}, lc[2] = {0, 0};
    long ea[2] = {0, 2}, eb[2] = {1, 3};
    hl_rchain c;
    chain_make(&c, 4, 2, lp, ea, eb, lc);
    unsigned char set[4];
    long A[2] = {0, 1}, B[2] = {1, 3}, Bbad[1] = {4};
    assert_int_equal(hl_pass_sets(4, A, 0, B, 1, set), HL_EINVAL);          /* empty A */
    assert_int_equal(hl_pass_sets(4, A, 1, B, 0, set), HL_EINVAL);          /* empty B */
    assert_int_equal(hl_pass_sets(4, A, 2, B, 2, set), HL_EINVAL);          /* overlap */
    assert_true(strstr(hl_errmsg(), "both") != NULL);
    assert_int_equal(hl_pass_sets(4, A, 1, Bbad, 1, set), HL_EINVAL);       /* range */
    long B3[1] = {3};
    CHECK_OK(hl_pass_sets(4, A, 1, B3, 1, set));
    hl_pass_rates r;
    /* B cannot be reached from A: both methods say so */
    assert_int_equal(hl_pass_rates_compute(&c, set, "graph-transformation", &r, NULL, NULL),
                     HL_ENOTFOUND);
    assert_true(strstr(hl_errmsg(), "cannot reach") != NULL);
    assert_int_equal(hl_pass_rates_compute(&c, set, "sparse-direct", &r, NULL, NULL),
                     HL_ENOTFOUND);
    unsigned char none[4] = {1, 0, 0, 0};
    assert_int_equal(hl_pass_rates_compute(&c, none, NULL, &r, NULL, NULL), HL_EINVAL);
    unsigned char absorb[4] = {0, 0, 0, 0};
    hl_pass_problem p = {&c, absorb};
    hl_pass_solution s = {0};
    double tau[4];
    s.ln_tau = tau;
    assert_int_equal(hl_pass_solve(&p, NULL, &s), HL_EINVAL); /* nothing absorbing */
    absorb[3] = HL_PASS_TO_B;
    assert_int_equal(hl_pass_solve(&p, "no-such-method", &s), HL_EINVAL);
    absorb[3] = 7;
    assert_int_equal(hl_pass_solve(&p, NULL, &s), HL_EINVAL);
    /* a state outside the chain cannot be absorbing */
    absorb[3] = HL_PASS_TO_B;
    c.ln_pi[3] = -INFINITY;
    assert_int_equal(hl_pass_solve(&p, NULL, &s), HL_EINVAL);
    c.ln_pi[3] = NAN;
    assert_int_equal(hl_pass_solve(&p, NULL, &s), HL_EDOM);
    hl_rchain_free(&c);
    /* the table */
    size_t nm = 0;
    const hl_pass_method *const *t = hl_pass_methods(&nm);
    assert_int_equal(nm, 2);
    assert_ptr_equal(hl_pass_method_find(t[0]->name), t[0]);
    assert_ptr_equal(hl_pass_method_find(t[1]->name), t[1]);
    assert_null(hl_pass_method_find("banded"));
    hl_rchain c2;
    double lp2[2] = {0, 0}, lc2[1] = {0};
    long ea2[1] = {0}, eb2[1] = {1};
    chain_make(&c2, 2, 1, lp2, ea2, eb2, lc2);
    unsigned char ab2[2] = {0, HL_PASS_TO_B};
    hl_pass_problem p2 = {&c2, ab2};
    assert_true(t[0]->resolution(&p2) > 0 && t[0]->resolution(&p2) < 1e-12);
    assert_true(isnan(t[1]->resolution(&p2)));
    hl_rchain_free(&c2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_chain_closed_form),
        cmocka_unit_test(test_small_chains_rates),
        cmocka_unit_test(test_random_hub_graphs),
        cmocka_unit_test(test_extreme_range_vs_mpmath),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_kept_factor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
