/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_transmission.c -- fuzz target: the transmission formula
 * (--transmission), hl_model_set_transmission() on the paper's model.  The
 * input is the formula text.  Properties: an accepted formula is kept; at
 * every temperature (and range of them) where hl_model_check_transmission
 * passes, B is positive and finite at the points every proof checks
 * (fuzz_proof_centre); a refused formula leaves B = 1 and a message. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "hyperland/hyperland.h"

static hl_model *model;

static void check_b(double T)
{
    for (int k = 0; k < 64; k++) {
        double x, y;
        fuzz_proof_centre(k, &x, &y);
        double b = hl_model_transmission(model, x, y, T);
        FUZZ_CHECK(isfinite(b) && b > 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = fuzz_cstring(data, size);
    if (!s)
        return 0;
    if (!model && hl_model_create(NULL, &model) != HL_OK)
        fuzz_fail("the paper's model cannot be created");
    int st = hl_model_set_transmission(model, s);
    if (st == HL_OK) {
        FUZZ_CHECK(!hl_model_transmission_is_default(model));
        FUZZ_CHECK(strcmp(hl_model_transmission_formula(model), s) == 0);
        /* B is checked at the temperatures a run visits: where the check
         * passes, B is positive and finite on the square */
        static const double T[] = {0.01, 0.5, 1.0, 2.0, 100.0};
        for (size_t k = 0; k < sizeof T / sizeof T[0]; k++)
            if (hl_model_check_transmission(model, T[k]) == HL_OK)
                check_b(T[k]);
        if (hl_model_check_transmission_range(model, 0.5, 2.0) == HL_OK)
            check_b(1.25); /* the centre of the range */
    } else {
        FUZZ_CHECK(hl_model_transmission_is_default(model));
        FUZZ_CHECK(strcmp(hl_model_transmission_formula(model), "1") == 0);
        const char *msg = hl_errmsg();
        FUZZ_CHECK(msg && *msg);
    }
    FUZZ_CHECK(hl_model_set_transmission(model, NULL) == HL_OK);
    FUZZ_CHECK(hl_model_transmission_is_default(model));
    return 0;
}
