/* fuzz_phi.c -- fuzz target: the phi formula (--phi), hl_model_create().
 * The input is the formula text.  Properties: an accepted formula gives a
 * model whose phi is finite at the centre of the square with finite
 * gradient bounds; a refused one gives no model and a message. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "hyperland/hyperland.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = fuzz_cstring(data, size);
    if (!s)
        return 0;
    hl_model *m = (hl_model *)&m; /* must be reset on failure */
    int st = hl_model_create(s, &m);
    if (st == HL_OK) {
        FUZZ_CHECK(m != NULL);
        FUZZ_CHECK(strcmp(hl_model_phi_formula(m), s) == 0);
        FUZZ_CHECK(!hl_model_is_default(m));
        hl_phi_derivs o;
        hl_model_phi_derivs(m, 0.0, 0.0, &o);
        FUZZ_CHECK(isfinite(o.phi) && isfinite(o.phi_x) && isfinite(o.phi_yy));
        double gs, gd;
        hl_model_gradient_bounds(m, &gs, &gd);
        FUZZ_CHECK(isfinite(gs) && gs > 0 && isfinite(gd) && gd > 0);
        hl_model_free(m);
    } else {
        FUZZ_CHECK(m == NULL);
        const char *msg = hl_errmsg();
        FUZZ_CHECK(msg && *msg);
    }
    return 0;
}
