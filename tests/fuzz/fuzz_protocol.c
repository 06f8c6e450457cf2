/* fuzz_protocol.c -- fuzz target: temperature protocol files (--protocol),
 * hl_protocol_read().  The input is the file's content.  Properties: an
 * accepted protocol has rows starting at t = 0, strictly increasing t,
 * values that pass hl_protocol_check(), and a positive finite beta at every
 * time (rows, midpoints, beyond the end); a refused one is left empty with
 * a message. */
#include <float.h>
#include <math.h>

#include "fuzz.h"
#include "hyperland/hyperland.h"

static void check_beta(const hl_protocol *p, double t)
{
    double b = hl_protocol_beta(p, t);
    FUZZ_CHECK(isfinite(b) && b > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    if (!path)
        return 0;
    hl_protocol p;
    int st = hl_protocol_read(path, &p);
    if (st == HL_OK) {
        FUZZ_CHECK(p.n >= 1 && p.t && p.value);
        FUZZ_CHECK(p.var == HL_PROTOCOL_T || p.var == HL_PROTOCOL_BETA);
        FUZZ_CHECK(p.t[0] == 0.0);
        for (size_t i = 0; i < p.n; i++) {
            FUZZ_CHECK(isfinite(p.t[i]) && isfinite(p.value[i]) && p.value[i] > 0);
            FUZZ_CHECK(i == 0 || p.t[i] > p.t[i - 1]);
            check_beta(&p, p.t[i]);
            if (i > 0)
                check_beta(&p, p.t[i - 1] + 0.5 * (p.t[i] - p.t[i - 1]));
        }
        FUZZ_CHECK(hl_protocol_check(&p) == HL_OK);
        check_beta(&p, 2 * p.t[p.n - 1] + 1);
        check_beta(&p, DBL_MAX);
        hl_protocol_free(&p);
        FUZZ_CHECK(p.n == 0 && !p.t && !p.value);
    } else {
        FUZZ_CHECK(p.n == 0 && !p.t && !p.value);
        const char *msg = hl_errmsg();
        FUZZ_CHECK(msg && *msg);
    }
    return 0;
}
