/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks_lattice_network.c -- the class lattice of the model of k
 * blocks written as a network (hl_blocks_lattice_network_write) and the
 * sets of mfpt --blocks (hl_blocks_passage_sets): read back by the network
 * reader, every edge's two rates equal those of hl_blocks_chain (whose
 * rates test_blocks.c checks against the master equation on all 2^D
 * vertices), the slowest rates and the MFPT equal hl_chain_slow_rates and
 * hl_blocks_mfpt; for two equal blocks the files are those of
 * hl_lattice_network_write; and the errors. */
#include <string.h>

#include "test_util.h"
#include "hyperland/blocks.h"
#include "hyperland/blocks_kinetics.h"
#include "hyperland/chain.h"
#include "hyperland/model.h"
#include "hyperland/network.h"

typedef struct {
    int k;
    long sizes[4];
    const char *phi, *B;
    double beta;
    int uses_T;
} case_t;

static hl_blocks *model(const case_t *c)
{
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create(c->k, c->sizes, c->phi, &b));
    if (c->B)
        CHECK_OK(hl_blocks_set_transmission(b, c->B));
    assert_int_equal(hl_blocks_transmission_uses_t(b), c->uses_T);
    return b;
}

static void check_case(const case_t *c)
{
    hl_blocks *b = model(c);
    long N = hl_blocks_n_classes(b), ns, nt, expect_nt = 0;
    for (int i = 0; i < c->k; i++)
        expect_nt += c->sizes[i] * (N / (c->sizes[i] + 1));
    FILE *fs = tmpfile(), *ft = tmpfile();
    assert_non_null(fs);
    assert_non_null(ft);
    fputs("# a comment line, as the CLI writes its provenance\n", fs);
    /* B without T: written without a temperature (NaN) */
    CHECK_OK(hl_blocks_lattice_network_write(b, c->uses_T ? c->beta : NAN, fs, ft, &ns, &nt));
    assert_int_equal(ns, N);
    assert_int_equal(nt, expect_nt);
    rewind(fs);
    rewind(ft);
    hl_network *net = NULL;
    CHECK_OK(hl_network_read_csv_stream(fs, "states", ft, "transitions", &net));
    fclose(fs);
    fclose(ft);
    long start, *target = malloc(sizeof(long) * (size_t)N);
    size_t ntg;
    CHECK_OK(hl_blocks_passage_sets(b, c->beta, "liquid", "crystal", &start, target, &ntg));
    CHECK_OK(hl_network_set_ids(net, HL_NETWORK_A, &start, 1, "start"));
    CHECK_OK(hl_network_set_ids(net, HL_NETWORK_B, target, ntg, "target"));
    CHECK_OK(hl_network_build(net, NULL));
    hl_network_info in;
    CHECK_OK(hl_network_get_info(net, &in));
    assert_int_equal(in.network_minima, N);
    hl_chain *ch;
    hl_chain_plan *pn, *pc;
    CHECK_OK(hl_chain_plan_create(hl_network_chain(net), c->beta, &pn));
    CHECK_OK(hl_blocks_chain(b, c->beta, &ch));
    CHECK_OK(hl_chain_plan_create(ch, c->beta, &pc));
    /* every move's two rates; the network's states are its ids' classes */
    long *st = malloc(sizeof(long) * (size_t)N);
    for (long i = 0; i < N; i++)
        CHECK_OK(hl_network_state(net, i, &st[i]));
    long n[4], stride = 1;
    for (int i = c->k - 1; i >= 0; i--) {
        for (long a = 0; a < N; a++) {
            CHECK_OK(hl_blocks_class(b, a, n, NULL));
            if (n[i] == c->sizes[i])
                continue;
            long g = a + stride;
            double l1, l2, r1, r2;
            CHECK_OK(hl_chain_ln_rate(pn, st[a], st[g], &l1));
            CHECK_OK(hl_chain_ln_rate(pn, st[g], st[a], &l2));
            CHECK_OK(hl_chain_ln_rate(pc, a, g, &r1));
            CHECK_OK(hl_chain_ln_rate(pc, g, a, &r2));
            if (fabs(l1 - r1) > 1e-11 * fmax(1, fabs(r1)) ||
                fabs(l2 - r2) > 1e-11 * fmax(1, fabs(r2))) {
                print_error("k = %d, class %ld, block %d: ln k network %.17g %.17g, chain "
                            "%.17g %.17g\n", c->k, a, i + 1, l1, l2, r1, r2);
                fail();
            }
        }
        stride *= c->sizes[i] + 1;
    }
    /* the slowest rates and the MFPT */
    double lr_n[5], lr_c[5];
    CHECK_OK(hl_chain_slow_rates(pn, 5, lr_n, NULL, 0, NULL));
    CHECK_OK(hl_chain_slow_rates(pc, 5, lr_c, NULL, 0, NULL));
    for (int q = 1; q < 5; q++)
        if (fabs(exp(lr_n[q] - lr_c[q]) - 1) > 1e-10) {
            print_error("rate %d: network ln %.17g, chain ln %.17g\n", q, lr_n[q], lr_c[q]);
            fail();
        }
    hl_blocks_passage ps;
    CHECK_OK(hl_blocks_mfpt(b, c->beta, "liquid", "crystal", NULL, NULL, &ps));
    assert_int_equal(ps.start, start);
    assert_int_equal(ps.target_classes, (long)ntg);
    double *ln_t = malloc(sizeof(double) * (size_t)N);
    long *tst = malloc(sizeof(long) * ntg);
    for (size_t i = 0; i < ntg; i++)
        tst[i] = st[target[i]];
    CHECK_OK(hl_chain_mfpt(pn, ntg, tst, NULL, ln_t, NULL));
    if (fabs(exp(ln_t[st[start]] - ps.ln_mfpt) - 1) > 1e-10) {
        print_error("ln MFPT network %.17g, mfpt --blocks %.17g\n", ln_t[st[start]], ps.ln_mfpt);
        fail();
    }
    free(ln_t);
    free(tst);
    free(st);
    free(target);
    hl_chain_plan_free(pn);
    hl_chain_plan_free(pc);
    hl_chain_free(ch);
    hl_network_free(net);
    hl_blocks_free(b);
}

static void test_against_chain(void **state)
{
    (void)state;
    const char *ns3 = "-1.2*((4*m1+6*m2+8*m3)/18)^2 + 0.2*m1*m2 - 0.15*m2*m3 + 0.1*m3 "
                      "+ 0.1*m1*m3^2";
    const case_t cases[] = {
        /* three unequal blocks, a non-separable phi, B in m and T (one pocket at 0.5) */
        {3, {4, 6, 8}, ns3, "exp(-(0.5*m1^2+0.3*m2*m3)/T)*(1+0.2*m2)", 0.5, 1},
        {3, {4, 6, 8}, ns3, "2+m1*m3", 1.5, 0},
        /* the paper's pair, default phi, and four blocks */
        {2, {10, 10}, NULL, NULL, 0.773, 0},
        {4, {3, 3, 4, 4}, NULL, "exp(-m2^2)", 1.2, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
}

/* The data lines of a stream (after rewind), '#' lines skipped. */
static char *data_lines(FILE *fp)
{
    rewind(fp);
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap), line[256];
    s[0] = 0;
    while (fgets(line, sizeof line, fp)) {
        if (line[0] == '#')
            continue;
        size_t l = strlen(line);
        if (len + l + 1 > cap)
            s = realloc(s, cap *= 2);
        memcpy(s + len, line, l + 1);
        len += l;
    }
    return s;
}

/* Two CSV texts with the same ids and numbers equal to tol (absolute). */
static void same_csv(const char *a, const char *b, double tol)
{
    while (*a && *b) {
        char *ea, *eb;
        if (*a == ',' || *a == '\n' || (*a >= 'a' && *a <= 'z')) {
            assert_int_equal(*a, *b);
            a++;
            b++;
            continue;
        }
        double x = strtod(a, &ea), y = strtod(b, &eb);
        assert_true(ea > a && eb > b);
        if (fabs(x - y) > tol) {
            print_error("%.17g against %.17g\n", x, y);
            fail();
        }
        a = ea;
        b = eb;
    }
    assert_int_equal(*a, *b);
}

static void test_pair_is_2d(void **state)
{
    (void)state;
    /* two equal blocks: the ids, the rows and their order are those of
     * hl_lattice_network_write (numbers to rounding: phi is evaluated at
     * x, y formed from m1, m2) */
    const char *phis[] = {NULL, "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y"};
    const char *Bs[] = {NULL, "exp(-3*y^2/T)*(1+0.5*x^2)"};
    for (int q = 0; q < 2; q++) {
        long sizes[2] = {9, 9};
        hl_blocks *b;
        hl_model *m;
        CHECK_OK(hl_blocks_create(2, sizes, phis[q], &b));
        CHECK_OK(hl_model_create(phis[q], &m));
        if (Bs[q]) {
            CHECK_OK(hl_blocks_set_transmission(b, Bs[q]));
            CHECK_OK(hl_model_set_transmission(m, Bs[q]));
        }
        FILE *f[4];
        for (int i = 0; i < 4; i++)
            assert_non_null(f[i] = tmpfile());
        CHECK_OK(hl_blocks_lattice_network_write(b, 1.1, f[0], f[1], NULL, NULL));
        CHECK_OK(hl_lattice_network_write(m, 18, 1.1, f[2], f[3], NULL, NULL));
        for (int i = 0; i < 2; i++) {
            char *x = data_lines(f[i]), *y = data_lines(f[i + 2]);
            same_csv(x, y, 1e-13);
            free(x);
            free(y);
        }
        /* the sets: the same start id and target */
        long s1, s2, t1[100], t2[100], n2;
        size_t n1;
        CHECK_OK(hl_blocks_passage_sets(b, 1.1, "liquid", "crystal", &s1, t1, &n1));
        CHECK_OK(hl_lattice_network_sets(m, 18, 1.1, "liquid", "crystal", &s2, t2, &n2));
        assert_int_equal(s1, s2);
        assert_int_equal((long)n1, n2);
        assert_memory_equal(t1, t2, sizeof(long) * n1);
        for (int i = 0; i < 4; i++)
            fclose(f[i]);
        hl_model_free(m);
        hl_blocks_free(b);
    }
}

static void test_errors(void **state)
{
    (void)state;
    long sizes[3] = {2, 3, 4}, start, tg[60];
    size_t nt;
    hl_blocks *b;
    CHECK_OK(hl_blocks_create(3, sizes, "m1*m2-m3^2", &b));
    FILE *fs = tmpfile(), *ft = tmpfile();
    assert_int_equal(hl_blocks_lattice_network_write(NULL, 1, fs, ft, NULL, NULL), HL_EINVAL);
    assert_int_equal(hl_blocks_lattice_network_write(b, 1, NULL, ft, NULL, NULL), HL_EINVAL);
    /* a B with T needs a temperature */
    CHECK_OK(hl_blocks_set_transmission(b, "exp(-m1/T)"));
    assert_int_equal(hl_blocks_lattice_network_write(b, NAN, fs, ft, NULL, NULL), HL_EDOM);
    assert_non_null(strstr(hl_errmsg(), "depends on T"));
    assert_int_equal(hl_blocks_lattice_network_write(b, 2e6, fs, ft, NULL, NULL), HL_EDOM);
    /* a B with T that is not positive at this T, named by its classes */
    CHECK_OK(hl_blocks_set_transmission(b, "m1/T"));
    assert_int_equal(hl_blocks_lattice_network_write(b, 1, fs, ft, NULL, NULL), HL_EDOM);
    assert_non_null(strstr(hl_errmsg(), "between classes 0 and 20 (block 1"));
    CHECK_OK(hl_blocks_set_transmission(b, NULL));
    assert_int_equal(hl_blocks_passage_sets(b, 1, "b1", "nowhere", &start, tg, &nt),
                     HL_ENOTFOUND);
    assert_non_null(strstr(hl_errmsg(), "no basin 'nowhere'"));
    assert_int_equal(hl_blocks_passage_sets(b, 1, "b1", "b1", &start, tg, &nt), HL_EINVAL);
    assert_int_equal(hl_blocks_passage_sets(b, 1, "b1", NULL, &start, tg, &nt), HL_EINVAL);
    hl_blocks_free(b);
    /* more than 2^31 classes */
    long big[8] = {20, 20, 20, 20, 20, 20, 20, 20};
    CHECK_OK(hl_blocks_create(8, big, NULL, &b));
    assert_int_equal(hl_blocks_lattice_network_write(b, 1, fs, ft, NULL, NULL), HL_ERANGE);
    hl_blocks_free(b);
    fclose(fs);
    fclose(ft);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_chain),
        cmocka_unit_test(test_pair_is_2d),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
