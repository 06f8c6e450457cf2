/* fuzz_transmission.c -- fuzz target: the transmission formula
 * (--transmission), hl_model_set_transmission() on the paper's model.  The
 * input is the formula text.  Properties: an accepted formula is kept and
 * gives a positive finite B at the centre of the square at T = 1; a refused
 * one leaves B = 1 and a message. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "hyperland/hyperland.h"

static hl_model *model;

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
        double b = hl_model_transmission(model, 0.0, 0.0, 1.0);
        FUZZ_CHECK(isfinite(b) && b > 0);
        FUZZ_CHECK(hl_model_check_transmission(model, 1.0) == HL_OK);
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
