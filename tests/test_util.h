/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_util.h -- small helpers shared by the cmocka tests: tolerant
 * comparisons that print both values, log-sum-exp, exact binomials, and an
 * independent implementation of the paper's phi (eq 4.11) and of w (eq 4.10). */
#ifndef HL_TEST_UTIL_H
#define HL_TEST_UTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "hyperland/hyperland.h"

#define TEST_PI 3.14159265358979323846

/* |got - ref| <= atol + rtol |ref|, reported with both values on failure. */
static inline void check_near_(double got, double ref, double atol,
                               double rtol, const char *what,
                               const char *file, int line)
{
    double tol = atol + rtol * fabs(ref);
    if (!(fabs(got - ref) <= tol)) {
        print_error("%s: got %.17g, expected %.17g (|diff| = %.3g > tol %.3g)\n",
                    what, got, ref, fabs(got - ref), tol);
        _fail(file, line);
    }
}
#define CHECK_ABS(got, ref, atol) \
    check_near_((got), (ref), (atol), 0.0, #got, __FILE__, __LINE__)
#define CHECK_REL(got, ref, rtol) \
    check_near_((got), (ref), 0.0, (rtol), #got, __FILE__, __LINE__)
#define CHECK_NEAR(got, ref, atol, rtol) \
    check_near_((got), (ref), (atol), (rtol), #got, __FILE__, __LINE__)

/* Status check that prints hl_errmsg() on failure. */
#define CHECK_OK(call)                                                      \
    do {                                                                    \
        int st_ = (call);                                                   \
        if (st_ != HL_OK) {                                                 \
            print_error("%s returned %d (%s): %s\n", #call, st_,            \
                        hl_strerror(st_), hl_errmsg());                     \
            _fail(__FILE__, __LINE__);                                      \
        }                                                                   \
    } while (0)

/* Protocols for tests: the handle, or the test fails (free with
 * hl_protocol_free). */
static inline hl_protocol *test_protocol_fixed(double beta)
{
    hl_protocol *p = NULL;
    CHECK_OK(hl_protocol_create_fixed(beta, &p));
    return p;
}
static inline hl_protocol *test_protocol(int var, size_t n, const double *t, const double *v)
{
    hl_protocol *p = NULL;
    CHECK_OK(hl_protocol_create(var, n, t, v, &p));
    return p;
}

/* Streaming log-sum-exp accumulator. */
typedef struct {
    double max;
    double sum; /* sum of exp(v - max) */
} lse_acc;

static inline void lse_init(lse_acc *a)
{
    a->max = -INFINITY;
    a->sum = 0.0;
}

static inline void lse_add(lse_acc *a, double v)
{
    if (v == -INFINITY)
        return;
    if (v <= a->max) {
        a->sum += exp(v - a->max);
    } else {
        a->sum = a->sum * exp(a->max - v) + 1.0;
        a->max = v;
    }
}

static inline double lse_value(const lse_acc *a)
{
    return a->max + log(a->sum);
}

/* ln C(h, k) from an exact Pascal triangle (exact in double for h <= 56 as
 * long as C(h, k) < 2^53; we use it for h <= 50).  Independent of the
 * library's log-gamma route. */
#define PASCAL_MAX 50
static inline double ln_choose_exact(int h, int k)
{
    static double tri[PASCAL_MAX + 1][PASCAL_MAX + 1];
    static int ready = 0;
    if (!ready) {
        for (int i = 0; i <= PASCAL_MAX; i++) {
            tri[i][0] = tri[i][i] = 1.0;
            for (int j = 1; j < i; j++)
                tri[i][j] = tri[i - 1][j - 1] + tri[i - 1][j];
        }
        ready = 1;
    }
    if (h < 0 || h > PASCAL_MAX || k < 0 || k > h)
        return NAN;
    return log(tri[h][k]);
}

/* The paper's phi, eq 4.11, written out independently. */
static inline double paper_phi(double x, double y)
{
    double u = x - y + 0.2;
    return x + y - u * u + 0.38 * u * u * u;
}

/* u ln u with 0 ln 0 = 0 */
static inline double ulnu(double u) { return u > 0 ? u * log(u) : 0.0; }

/* w(x, y), eq 4.10, written out independently (valid inside the square). */
static inline double ref_w(double x, double y)
{
    double s = x + y, d = x - y;
    return log(2.0) - 0.25 * (ulnu(1 + s) + ulnu(1 - s) + ulnu(1 + d) +
                              ulnu(1 - d));
}

static inline double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

#endif
