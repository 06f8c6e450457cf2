/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_phi.c -- fuzz target: the phi formula (--phi), hl_model_create().
 * The input is the formula text.  Properties: an accepted formula gives a
 * model whose phi and derivatives are finite and within HL_PHI_LIMIT at the
 * points every proof checks (fuzz_proof_centre), with finite gradient
 * bounds; a refused one gives no model and a message. */
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
        for (int k = 0; k < 64; k++) {
            double x, y;
            fuzz_proof_centre(k, &x, &y);
            hl_phi_derivs o;
            hl_model_phi_derivs(m, x, y, &o);
            double v[] = {o.phi, o.phi_x, o.phi_y, o.phi_xx, o.phi_xy, o.phi_yy};
            for (int i = 0; i < 6; i++)
                FUZZ_CHECK(isfinite(v[i]) && fabs(v[i]) <= HL_PHI_LIMIT);
        }
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
