/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_blocks_lowtemp.c -- where the branches of k blocks end as T -> 0 and
 * the Kauzmann-like point (hl_bphases_t0_end, hl_bphases_kauzmann): two
 * equal blocks give the numbers of the two order parameters
 * (hl_phases_t0_end, hl_phases_kauzmann) to 1e-12 for phis that end at
 * vertices, on an edge, inside, at a fold and with a Kauzmann point; a
 * separable phi gives the size-weighted sums of one-block results; k = 3
 * (equal and unequal blocks; edge, face, interior; the Kauzmann point)
 * against mpmath (tests/ref/blocks_lowtemp_ref.py: the face minimum at 40
 * digits, checked there against the branch extrapolated to T = 0). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "hyperland/blocks_phases.h"
#include "ref/blocks_lowtemp_ref.h"

static int bbranch(const hl_bphases *p, const char *name)
{
    for (int c = 0; c < hl_bphases_branch_count(p); c++)
        if (!strcmp(hl_bphases_branch_name(p, c), name))
            return c;
    return -1;
}

/* equal to 1e-12 relative (both NaN counts as equal) */
static void same(double a, double b)
{
    if (isnan(a) || isnan(b)) {
        assert_true(isnan(a) && isnan(b));
        return;
    }
    CHECK_NEAR(a, b, 1e-300, 1e-12);
}

/* ------------------------------------------- two equal blocks = 2-D */

static void test_pair_equals_2d(void **state)
{
    (void)state;
    const char *phis[] = {
        NULL,
        "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.5*(x-y)^4",  /* liquid on an edge */
        "(x-0.3)^2+(y+0.2)^2+0.5*x*y",                   /* inside */
        "x+y-(x-y)+0.095*atan((x-y-0.3)/0.1)",           /* a fold */
        "x+y-0.3*(x-y)-1.375*(x-y)^2+1.175*(x-y)^3+0.475*(x-y)^4-0.775*(x-y)^5", /* Kauzmann */
    };
    int seen_kinds[4] = {0}, seen_kz = 0;
    for (size_t c = 0; c < sizeof phis / sizeof *phis; c++) {
        hl_model *m = NULL;
        hl_blocks *b = NULL;
        CHECK_OK(hl_model_create(phis[c], &m));
        CHECK_OK(hl_blocks_create_equal(2, 2, phis[c], &b));
        hl_phases *q = NULL;
        hl_bphases *p = NULL;
        CHECK_OK(hl_phases_compute(m, 0.05, 5, 300, &q));
        CHECK_OK(hl_bphases_compute(b, 0.05, 5, 300, &p));
        assert_int_equal(hl_bphases_branch_count(p), hl_phases_branch_count(q));
        for (int br = 0; br < hl_phases_branch_count(q); br++) {
            const char *name = hl_phases_branch_name(q, br);
            hl_t0_end e;
            hl_bt0_end f;
            CHECK_OK(hl_phases_t0_end(q, br, &e));
            CHECK_OK(hl_bphases_t0_end(p, bbranch(p, name), &f));
            assert_int_equal(f.kind, e.kind);
            assert_string_equal(f.reason, e.reason);
            seen_kinds[e.kind] = 1;
            if (e.kind == HL_T0_NONE)
                continue;
            same(f.x, e.x);
            same(f.y, e.y);
            same(f.m[0], e.x + e.y);
            same(f.m[1], e.x - e.y);
            same(f.phi, e.phi);
            same(f.residual_entropy, e.residual_entropy);
            same(f.c_over_T, e.c_over_T);
            same(f.beta_probe, e.beta_probe);
            same(f.w_probe, e.w_probe);
            same(f.c_over_T_probe, e.c_over_T_probe);
        }
        hl_kauzmann kq;
        hl_bkauzmann kp;
        CHECK_OK(hl_phases_kauzmann(q, &kq));
        CHECK_OK(hl_bphases_kauzmann(p, &kp));
        assert_int_equal(kp.found, kq.found);
        assert_string_equal(kp.reason, kq.reason);
        if (kq.found) {
            seen_kz = 1;
            same(kp.beta, kq.beta);
            same(kp.liquid.w, kq.liquid.w);
            same(kp.crystal.w, kq.crystal.w);
            same(kp.liquid.phi, kq.liquid.phi);
            same(kp.crystal.phi, kq.crystal.phi);
            same(kp.liquid.x, kq.liquid.x);
            same(kp.crystal.y, kq.crystal.y);
        }
        hl_bphases_free(p);
        hl_phases_free(q);
        hl_blocks_free(b);
        hl_model_free(m);
    }
    /* every kind of end and a Kauzmann point were compared */
    for (int k = 0; k < 4; k++)
        assert_true(seen_kinds[k]);
    assert_true(seen_kz);
}

/* ------------------------------------------- separable phi */

/* phi = sum_i g_i(m_i): each block is its own system, of D_i dimensions
 * with phi g_i / r_i per dimension; the residual entropy and lim c/T per
 * dimension of the whole are sum_i r_i times those of block i */
static void test_separable_sums(void **state)
{
    (void)state;
    const char *g[3] = {"(m1-0.3)^2", "m1", "0.5*(m1+0.2)^2+0.3*m1^3"};
    const long sizes[][3] = {{1, 1, 1}, {2, 3, 5}, {7, 1, 2}};
    for (size_t c = 0; c < sizeof sizes / sizeof *sizes; c++) {
        char phi[256];
        snprintf(phi, sizeof phi, "(m1-0.3)^2+m2+0.5*(m3+0.2)^2+0.3*m3^3");
        hl_blocks *b = NULL;
        CHECK_OK(hl_blocks_create(3, sizes[c], phi, &b));
        hl_bphases *p = NULL;
        CHECK_OK(hl_bphases_compute(b, 0.05, 5, 200, &p));
        assert_int_equal(hl_bphases_branch_count(p), 1);
        hl_bt0_end e;
        CHECK_OK(hl_bphases_t0_end(p, 0, &e));
        assert_int_equal(e.kind, HL_T0_EDGE);
        assert_int_equal(e.free_dims, 2);
        double D = (double)(sizes[c][0] + sizes[c][1] + sizes[c][2]);
        double res = 0, cT = 0, ph = 0;
        for (int i = 0; i < 3; i++) {
            double r = (double)sizes[c][i] / D;
            char gi[256];
            snprintf(gi, sizeof gi, "(%s)/%.17g", g[i], r);
            hl_blocks *one = NULL;
            hl_bphases *q = NULL;
            CHECK_OK(hl_blocks_create(1, &sizes[c][i], gi, &one));
            CHECK_OK(hl_bphases_compute(one, 0.05 * r, 5 * r, 200, &q));
            hl_bt0_end f;
            CHECK_OK(hl_bphases_t0_end(q, 0, &f));
            assert_int_equal(f.kind, i == 1 ? HL_T0_VERTEX : HL_T0_INTERIOR);
            CHECK_NEAR(e.m[i], f.m[0], 1e-13, 0);
            res += r * f.residual_entropy;
            cT += r * f.c_over_T;
            ph += r * f.phi;
            hl_bphases_free(q);
            hl_blocks_free(one);
        }
        CHECK_REL(e.residual_entropy, res, 1e-12);
        CHECK_REL(e.c_over_T, cT, 1e-12);
        CHECK_REL(e.phi, ph, 1e-12);
        assert_true(e.residual_entropy > 0.1 && e.c_over_T > 0);
        hl_bphases_free(p);
        hl_blocks_free(b);
    }
}

/* ------------------------------------------- k = 3 against mpmath */

static void test_k3_mpmath(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof BLOCKS_T0_REF / sizeof *BLOCKS_T0_REF; c++) {
        const blocks_t0_ref *r = &BLOCKS_T0_REF[c];
        hl_blocks *b = NULL;
        CHECK_OK(hl_blocks_create(3, r->sizes, r->phi, &b));
        hl_bphases *p = NULL;
        CHECK_OK(hl_bphases_compute(b, 0.05, 5, 200, &p));
        int br = bbranch(p, r->branch);
        assert_true(br >= 0);
        hl_bt0_end e;
        CHECK_OK(hl_bphases_t0_end(p, br, &e));
        assert_int_equal(e.kind, r->free_dims == 3 ? HL_T0_INTERIOR : HL_T0_EDGE);
        assert_int_equal(e.free_dims, r->free_dims);
        for (int i = 0; i < 3; i++)
            CHECK_ABS(e.m[i], r->m[i], 1e-11);
        assert_true(isnan(e.x) && isnan(e.y));
        CHECK_REL(e.phi, r->phi_end, 1e-12);
        CHECK_REL(e.residual_entropy, r->residual_entropy, 1e-11);
        CHECK_REL(e.c_over_T, r->c_over_T, 1e-9);
        assert_string_equal(e.reason, "");
        /* the probe lies on the way: w and c/T there near the limits */
        CHECK_REL(e.w_probe, r->residual_entropy, 1e-2);
        CHECK_REL(e.c_over_T_probe, r->c_over_T, 5e-2);
        hl_bphases_free(p);
        hl_blocks_free(b);
    }
    for (size_t c = 0; c < sizeof BLOCKS_KZ_REF / sizeof *BLOCKS_KZ_REF; c++) {
        const blocks_kz_ref *r = &BLOCKS_KZ_REF[c];
        hl_blocks *b = NULL;
        CHECK_OK(hl_blocks_create(3, r->sizes, r->phi, &b));
        /* two grids: the root must not depend on where the scan brackets it */
        for (int g = 0; g < 2; g++) {
            hl_bphases *p = NULL;
            CHECK_OK(hl_bphases_compute(b, 0.05, g ? 0.3 : 5, g ? 40 : 300, &p));
            hl_bmelting ml;
            int found_m = 0;
            for (int q = 0; q < hl_bphases_melting_count(p); q++) {
                CHECK_OK(hl_bphases_melting(p, q, &ml));
                if (!strcmp(hl_bphases_branch_name(p, ml.branch_a), "liquid") &&
                    !strcmp(hl_bphases_branch_name(p, ml.branch_b), "crystal")) {
                    CHECK_ABS(ml.beta, r->beta_m, 1e-10);
                    found_m = 1;
                }
            }
            assert_true(found_m);
            hl_bkauzmann k;
            CHECK_OK(hl_bphases_kauzmann(p, &k));
            assert_true(k.found);
            CHECK_ABS(k.beta, r->beta_k, 1e-10);
            CHECK_REL(k.T, 1 / r->beta_k, 1e-10);
            CHECK_REL(k.liquid.w, r->w_k, 1e-10);
            CHECK_ABS(k.liquid.w - k.crystal.w, 0, 1e-12);
            assert_true(k.liquid.phi > k.crystal.phi);
            assert_int_equal(k.liquid.branch, bbranch(p, "liquid"));
            hl_bphases_free(p);
        }
        hl_blocks_free(b);
    }
}

/* none, with the reason: one branch (no crystal), a branch that dies at a
 * fold; reasons as the two order parameters give them */
static void test_k3_none(void **state)
{
    (void)state;
    hl_blocks *b = NULL;
    CHECK_OK(hl_blocks_create_equal(3, 3, "(m1-0.3)^2+(m2+0.2)^2+(m3-0.1)^2+0.3*m1*m2", &b));
    hl_bphases *p = NULL;
    CHECK_OK(hl_bphases_compute(b, 0.05, 5, 100, &p));
    hl_bkauzmann k;
    CHECK_OK(hl_bphases_kauzmann(p, &k));
    assert_false(k.found);
    assert_true(isnan(k.beta) && isnan(k.T));
    assert_non_null(strstr(k.reason, "no crystal"));
    hl_bphases_free(p);
    hl_blocks_free(b);
    /* the 2-D fold's phi with a third block that does not couple */
    CHECK_OK(hl_blocks_create_equal(3, 3, "(m1-m2+0.095*atan((m2-0.3)/0.1))/1.5+(m3-0.2)^2", &b));
    CHECK_OK(hl_bphases_compute(b, 0.05, 5, 200, &p));
    int L = bbranch(p, "liquid");
    hl_bt0_end e;
    CHECK_OK(hl_bphases_t0_end(p, L, &e));
    assert_int_equal(e.kind, HL_T0_NONE);
    assert_non_null(strstr(e.reason, "fold"));
    assert_true(isnan(e.residual_entropy) && isnan(e.c_over_T) && isnan(e.m[0]));
    int seen = 0;
    for (int q = 0; q < hl_bphases_fold_count(p); q++) {
        hl_bfold f;
        hl_bphases_fold(p, q, &f);
        if (f.branch == L && !f.birth) {
            char num[32];
            snprintf(num, sizeof num, "%.10g", f.beta);
            assert_non_null(strstr(e.reason, num));
            seen = 1;
        }
    }
    assert_true(seen);
    assert_int_equal(hl_bphases_t0_end(p, 99, &e), HL_EINVAL);
    hl_bphases_free(p);
    hl_blocks_free(b);
}

/* ------------------------------------------- the branch, not a jump */

/* phi = s + g(d), g = 0.5 (d + 0.2)^2 + 0.3 d^3: s runs to -1, d to the
 * minimum of g inside, d* = (-1 + sqrt(0.28)) / 1.8, past which g has a
 * maximum (d = (-1 - sqrt(0.28)) / 1.8) and then falls to the face d = -1.
 * One long continuation step to the probe once landed on the face (a
 * vertex, no residual entropy); the branch ends on the edge s = -1 with
 * w = h(d*) / 2 and c/T = (atanh(d*) / 2)^2 / g''(d*) (closed forms), for
 * two order parameters and for two equal blocks, and for three blocks with
 * a third that does not couple */
static void test_no_jump_to_the_face(void **state)
{
    (void)state;
    const char *phi = "x+y+0.5*(x-y+0.2)^2+0.3*(x-y)^3";
    double d = (-1 + sqrt(0.28)) / 1.8, g2 = 1 + 1.8 * d;
    double h = log(2.0) - 0.5 * ((1 + d) * log1p(d) + (1 - d) * log1p(-d));
    hl_model *m = NULL;
    hl_phases *q = NULL;
    CHECK_OK(hl_model_create(phi, &m));
    CHECK_OK(hl_phases_compute(m, 0.05, 5, 200, &q));
    hl_t0_end e;
    CHECK_OK(hl_phases_t0_end(q, 0, &e));
    assert_int_equal(e.kind, HL_T0_EDGE);
    CHECK_ABS(e.x + e.y, -1, 1e-15);
    CHECK_ABS(e.x - e.y, d, 1e-13);
    CHECK_REL(e.residual_entropy, 0.5 * h, 1e-12);
    CHECK_REL(e.c_over_T, 0.25 * atanh(d) * atanh(d) / g2, 1e-11);
    hl_phases_free(q);
    hl_model_free(m);
    for (int k = 2; k <= 3; k++) {
        hl_blocks *b = NULL;
        hl_bphases *p = NULL;
        CHECK_OK(hl_blocks_create_equal(k, k, k == 2 ? phi
                                              : "m1+0.5*(m2+0.2)^2+0.3*m2^3+(m3-0.4)^2", &b));
        CHECK_OK(hl_bphases_compute(b, 0.05, 5, 200, &p));
        hl_bt0_end f;
        CHECK_OK(hl_bphases_t0_end(p, 0, &f));
        assert_int_equal(f.kind, HL_T0_EDGE);
        assert_int_equal(f.free_dims, k - 1);
        CHECK_ABS(f.m[0], -1, 1e-15);
        CHECK_ABS(f.m[1], d, 1e-13);
        double r = 1.0 / k, res = r * h, cT = r * r * atanh(d) * atanh(d) / g2;
        if (k == 3) {
            double u = 0.4;
            CHECK_ABS(f.m[2], u, 1e-13);
            res += r * (log(2.0) - 0.5 * ((1 + u) * log1p(u) + (1 - u) * log1p(-u)));
            cT += r * r * atanh(u) * atanh(u) / 2;
        }
        CHECK_REL(f.residual_entropy, res, 1e-12);
        CHECK_REL(f.c_over_T, cT, 1e-11);
        hl_bphases_free(p);
        hl_blocks_free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_equals_2d),
        cmocka_unit_test(test_separable_sums),
        cmocka_unit_test(test_k3_mpmath),
        cmocka_unit_test(test_k3_none),
        cmocka_unit_test(test_no_jump_to_the_face),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
