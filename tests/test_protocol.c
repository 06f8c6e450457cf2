/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_protocol.c -- the protocol module (protocol.h): one owner, one free.
 * Every constructor copies (the caller's arrays can change or go away),
 * every refusal leaves the handle NULL with a message, free is NULL-safe;
 * beta(t), the settling time and the largest beta against hand values.
 * Run under ASan + LeakSanitizer in CI (a leak or a read of the caller's
 * storage is a failure there). */
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static void test_create_copies(void **state)
{
    (void)state;
    double *t = malloc(3 * sizeof(double)), *v = malloc(3 * sizeof(double));
    t[0] = 0, t[1] = 2, t[2] = 4;
    v[0] = 2, v[1] = 1, v[2] = 1;
    hl_protocol *p = NULL;
    CHECK_OK(hl_protocol_create(HL_PROTOCOL_T, 3, t, v, &p));
    /* the caller's rows change, then go away: the protocol keeps its own */
    t[1] = 1;
    v[0] = 7;
    free(t);
    free(v);
    assert_int_equal(hl_protocol_rows(p), 3);
    assert_int_equal(hl_protocol_var(p), HL_PROTOCOL_T);
    assert_true(hl_protocol_time(p, 1) == 2);
    assert_true(hl_protocol_value(p, 0) == 2);
    CHECK_ABS(hl_protocol_beta(p, 0), 0.5, 1e-16);
    CHECK_ABS(hl_protocol_beta(p, 1), 1 / 1.5, 1e-16); /* linear in T */
    CHECK_ABS(hl_protocol_beta(p, 3), 1, 1e-16);
    CHECK_ABS(hl_protocol_beta(p, 1e300), 1, 1e-16);
    CHECK_ABS(hl_protocol_settle_time(p), 2, 0);
    CHECK_ABS(hl_protocol_beta_max(p), 1, 0);
    CHECK_OK(hl_protocol_check(p));
    hl_protocol_free(p);

    /* a beta protocol: linear in beta */
    double tb[3] = {0, 1, 3}, vb[3] = {0.5, 1.5, 0.25};
    CHECK_OK(hl_protocol_create(HL_PROTOCOL_BETA, 3, tb, vb, &p));
    tb[1] = 2;
    vb[1] = 9;
    CHECK_ABS(hl_protocol_beta(p, 0.5), 1, 1e-16);
    CHECK_ABS(hl_protocol_beta(p, 2), 0.875, 1e-16);
    CHECK_ABS(hl_protocol_settle_time(p), 3, 0);
    CHECK_ABS(hl_protocol_beta_max(p), 1.5, 0);
    hl_protocol_free(p);

    /* a fixed beta: one row, settled from 0 */
    CHECK_OK(hl_protocol_create_fixed(0.8, &p));
    assert_int_equal(hl_protocol_rows(p), 1);
    assert_int_equal(hl_protocol_var(p), HL_PROTOCOL_BETA);
    CHECK_ABS(hl_protocol_beta(p, 123), 0.8, 0);
    CHECK_ABS(hl_protocol_settle_time(p), 0, 0);
    hl_protocol_free(p);

    /* a constant protocol of several rows settles at 0 too */
    double tc[3] = {0, 1, 5}, vc[3] = {2, 2, 2};
    CHECK_OK(hl_protocol_create(HL_PROTOCOL_T, 3, tc, vc, &p));
    CHECK_ABS(hl_protocol_settle_time(p), 0, 0);
    hl_protocol_free(p);
    hl_protocol_free(NULL); /* a no-op */
}

/* every refusal: the right code, a message, and *out = NULL */
static void refused(int st_expected, int var, size_t n, const double *t, const double *v)
{
    hl_protocol *p = (hl_protocol *)&p; /* garbage the constructor must reset */
    int st = hl_protocol_create(var, n, t, v, &p);
    assert_int_equal(st, st_expected);
    assert_null(p);
    assert_true(strlen(hl_errmsg()) > 0);
}

static void test_create_errors(void **state)
{
    (void)state;
    double t[3] = {0, 1, 2}, v[3] = {1, 1, 1};
    refused(HL_EINVAL, 7, 3, t, v);
    refused(HL_EINVAL, HL_PROTOCOL_BETA, 0, t, v);
    refused(HL_EINVAL, HL_PROTOCOL_BETA, 3, NULL, v);
    refused(HL_EINVAL, HL_PROTOCOL_BETA, 3, t, NULL);
    assert_int_equal(hl_protocol_create(HL_PROTOCOL_BETA, 3, t, v, NULL), HL_EINVAL);
    double t1[2] = {1, 2};
    refused(HL_EDOM, HL_PROTOCOL_BETA, 2, t1, v);
    assert_non_null(strstr(hl_errmsg(), "start at t = 0"));
    double t2[3] = {0, 2, 2};
    refused(HL_EDOM, HL_PROTOCOL_T, 3, t2, v);
    assert_non_null(strstr(hl_errmsg(), "row 3"));
    double t3[3] = {0, 1, NAN};
    refused(HL_EDOM, HL_PROTOCOL_T, 3, t3, v);
    double bad_beta[4] = {0, -1, 2e6, INFINITY};
    for (int k = 0; k < 4; k++) {
        double tv[2] = {0, 1}, vv[2] = {1, bad_beta[k]};
        refused(HL_EDOM, HL_PROTOCOL_BETA, 2, tv, vv);
        assert_non_null(strstr(hl_errmsg(), "row 2: beta"));
        hl_protocol *p = (hl_protocol *)&p;
        assert_int_equal(hl_protocol_create_fixed(bad_beta[k], &p), HL_EDOM);
        assert_null(p);
    }
    double bad_T[3] = {0, 1e-7, NAN};
    for (int k = 0; k < 3; k++) {
        double tv[1] = {0}, vv[1] = {bad_T[k]};
        refused(HL_EDOM, HL_PROTOCOL_T, 1, tv, vv);
    }
    assert_int_equal(hl_protocol_check(NULL), HL_EINVAL);
    assert_int_equal(hl_protocol_check_transmission(NULL, NULL), HL_EINVAL);
}

static void test_read_errors(void **state)
{
    (void)state;
    hl_protocol *p = (hl_protocol *)&p;
    assert_int_equal(hl_protocol_read("/nonexistent/dir/p.csv", &p), HL_EIO);
    assert_null(p);
    assert_non_null(strstr(hl_errmsg(), "/nonexistent/dir/p.csv"));
    assert_int_equal(hl_protocol_read(NULL, &p), HL_EINVAL);
    assert_int_equal(hl_protocol_read("x", NULL), HL_EINVAL);
    assert_int_equal(hl_protocol_read_stream(NULL, "x", &p), HL_EINVAL);
    /* a failure after rows were read frees them (LeakSanitizer) and names
     * the line */
    static char text[] = "t,T\n0,1\n1,2\n2,3\n3,4\n4,5\n5,6\n6,7\n7,8\n8,9\n9,1\n10,2\n11,3\n"
                         "12,4\n13,5\n14,6\n15,7\n16,8\n17,9\n17,1\n";
    FILE *fp = fmemopen(text, strlen(text), "r");
    assert_non_null(fp);
    p = (hl_protocol *)&p;
    assert_int_equal(hl_protocol_read_stream(fp, "many.csv", &p), HL_EPARSE);
    fclose(fp);
    assert_null(p);
    assert_non_null(strstr(hl_errmsg(), "protocol 'many.csv' line 20"));
    /* more than the first allocation (16 rows) is read whole */
    static char ok[] = "t,beta\n0,1\n1,2\n2,3\n3,4\n4,5\n5,6\n6,7\n7,8\n8,9\n9,1\n10,2\n11,3\n"
                       "12,4\n13,5\n14,6\n15,7\n16,8\n17,9\n18,1\n";
    fp = fmemopen(ok, strlen(ok), "r");
    CHECK_OK(hl_protocol_read_stream(fp, "many.csv", &p));
    fclose(fp);
    assert_int_equal(hl_protocol_rows(p), 19);
    CHECK_ABS(hl_protocol_beta(p, 17.5), 5, 1e-15);
    CHECK_ABS(hl_protocol_settle_time(p), 18, 0);
    CHECK_ABS(hl_protocol_beta_max(p), 9, 0);
    hl_protocol_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_copies),
        cmocka_unit_test(test_create_errors),
        cmocka_unit_test(test_read_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
