/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chain_solve.c -- the solves of a public chain plan (chain.h): each is a
 * call of a solver family of src/solvers on the plan's hl_rchain, with the
 * method and resolution reported. */
#include "chain_plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chain_evolve.h"
#include "core.h"
#include "spectrum.h"

int hl_chain_spectrum(hl_chain_plan *p, int k, double *rates, hl_chain_result *result)
{
    if (!p || !rates)
        return hl_fail(HL_EINVAL, "hl_chain_spectrum: NULL argument");
    if (k < 1)
        return hl_fail(HL_EINVAL, "hl_chain_spectrum: k = %d (at least 1 rate)", k);
    hl_rchain_spectrum_info info;
    double res = NAN;
    int st = hl_rchain_spectrum(&p->rc, k, rates, NULL, &res, &info);
    if (st)
        return st;
    if (result) {
        result->method = info.method;
        result->resolution = res;
    }
    return HL_OK;
}

int hl_chain_evolve(hl_chain_plan *p, const double *p0, const double *times, size_t n_times,
                    double rtol, double *p_out, hl_chain_result *result)
{
    if (!p || !p0 || !times || !p_out)
        return hl_fail(HL_EINVAL, "hl_chain_evolve: NULL argument");
    if (p->rc.ln_exit)
        return hl_fail(HL_EINVAL, "hl_chain_evolve: the chain has exit rates; evolution "
                                  "conserves probability and needs a chain without exits");
    hl_rchain_evolve_info info;
    int st = hl_rchain_evolve(&p->rc, NULL, NULL, NULL, p0, times, n_times, rtol, p_out, &info);
    if (st)
        return st;
    if (result) {
        result->method = info.method_name;
        result->resolution = info.rtol;
    }
    return HL_OK;
}
