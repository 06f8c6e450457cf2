/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_protocol.c -- fuzz target: temperature protocol files (--protocol),
 * hl_protocol_read().  The input is the file's content.  Properties: an
 * accepted protocol has rows starting at t = 0, strictly increasing t,
 * values that hl_protocol_create accepts again (a copy of the rows gives the
 * same beta(t)), and a positive finite beta at every time (rows, midpoints,
 * beyond the end); a refused one leaves the handle NULL with a message. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "fuzz.h"
#include "hyperland/hyperland.h"

static void check_beta(const hl_protocol *p, const hl_protocol *copy, double t)
{
    double b = hl_protocol_beta(p, t);
    FUZZ_CHECK(isfinite(b) && b > 0);
    FUZZ_CHECK(hl_protocol_beta(copy, t) == b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    if (!path)
        return 0;
    hl_protocol *p = (hl_protocol *)&p; /* not NULL: a refusal must reset it */
    int st = hl_protocol_read(path, &p);
    if (st == HL_OK) {
        FUZZ_CHECK(p != NULL);
        size_t n = hl_protocol_rows(p);
        int var = hl_protocol_var(p);
        FUZZ_CHECK(n >= 1);
        FUZZ_CHECK(var == HL_PROTOCOL_T || var == HL_PROTOCOL_BETA);
        FUZZ_CHECK(hl_protocol_time(p, 0) == 0.0);
        double *t = malloc(sizeof(double) * n), *v = malloc(sizeof(double) * n);
        FUZZ_CHECK(t && v);
        for (size_t i = 0; i < n; i++) {
            t[i] = hl_protocol_time(p, i);
            v[i] = hl_protocol_value(p, i);
            FUZZ_CHECK(isfinite(t[i]) && isfinite(v[i]) && v[i] > 0);
            FUZZ_CHECK(i == 0 || t[i] > t[i - 1]);
        }
        hl_protocol *copy = NULL;
        FUZZ_CHECK(hl_protocol_create(var, n, t, v, &copy) == HL_OK && copy);
        for (size_t i = 0; i < n; i++) {
            check_beta(p, copy, t[i]);
            if (i > 0)
                check_beta(p, copy, t[i - 1] + 0.5 * (t[i] - t[i - 1]));
        }
        check_beta(p, copy, 2 * t[n - 1] + 1);
        check_beta(p, copy, DBL_MAX);
        FUZZ_CHECK(hl_protocol_check(p) == HL_OK);
        hl_protocol_free(copy);
        hl_protocol_free(p);
        free(t);
        free(v);
    } else {
        FUZZ_CHECK(p == NULL);
        const char *msg = hl_errmsg();
        FUZZ_CHECK(msg && *msg);
    }
    return 0;
}
