/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_expr.c -- fuzz target: the formula language itself (src/model/formula.h):
 * hl_expr_parse over x, y, T, its symbolic derivatives, and the point and
 * interval evaluators.  The input is the formula text.  Properties: a
 * parsed formula and its derivatives stay within HL_FORMULA_MAX_NODES; at
 * every test point, for each box containing it (boxes as the model's proof
 * uses them: never a single point in x, y; T one value or a range) whose
 * enclosure is finite and not flagged "may be NaN" (the only boxes the
 * model's proof lets pass), the value is a number inside the enclosure. */
#include <math.h>

#include "formula.h"
#include "hyperland/hyperland.h"
#include "fuzz.h"

static const double PT[][3] = {{0.3, -0.2, 1.0}, {0, 0, 0.5}, {-1, 0, 1}, {0.5, 0.5, 0.01},
                               {-0.25, 0.75, 100}};

static void enclosed(const hl_expr *e, const double *p, const hl_interval *box)
{
    double v = hl_expr_eval(e, p);
    hl_interval r = hl_expr_eval_interval(e, box);
    /* what the model's proof relies on: a box passes only on a finite
     * bound without the NaN flag, and then every value is a number in it */
    if (!r.nan && isfinite(r.lo) && isfinite(r.hi))
        FUZZ_CHECK(!isnan(v) && r.lo <= v && v <= r.hi);
}

static void check(const hl_expr *e)
{
    FUZZ_CHECK(hl_expr_size(e) <= HL_FORMULA_MAX_NODES);
    for (size_t i = 0; i < sizeof PT / sizeof PT[0]; i++) {
        const double *p = PT[i];
        /* boxes as the proof uses them: never a single point in (x, y), T
         * a single value or a range */
        hl_interval fixed_t[3], small[3], wide[3];
        for (int k = 0; k < 3; k++) {
            small[k] = (hl_interval){p[k] - 0.01, p[k] + 0.01, 0};
            fixed_t[k] = k < 2 ? small[k] : (hl_interval){p[k], p[k], 0};
        }
        wide[0] = (hl_interval){-1, 1, 0};
        wide[1] = (hl_interval){-1, 1, 0};
        wide[2] = (hl_interval){0.01, 100, 0};
        enclosed(e, p, fixed_t);
        enclosed(e, p, small);
        enclosed(e, p, wide);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const vars[] = {"x", "y", "T"};
    const char *s = fuzz_cstring(data, size);
    if (!s)
        return 0;
    hl_expr *e = NULL;
    if (hl_expr_parse(s, vars, 3, "fuzz", &e) != HL_OK) {
        FUZZ_CHECK(e == NULL);
        return 0;
    }
    FUZZ_CHECK(e != NULL);
    check(e);
    for (int var = 0; var < 3; var++) {
        hl_expr *d = NULL;
        if (hl_expr_derivative(e, var, &d) == HL_OK) {
            check(d);
            hl_expr *d2 = NULL;
            if (hl_expr_derivative(d, var, &d2) == HL_OK) {
                check(d2);
                hl_expr_free(d2);
            }
            hl_expr_free(d);
        }
    }
    hl_expr_free(e);
    return 0;
}
