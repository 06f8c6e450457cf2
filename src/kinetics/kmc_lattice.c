/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kmc_lattice.c -- kinetic Monte Carlo on the class lattice of eq 5.6
 * (kmc.h): the plan from the lattice's rate terms (rate_terms.h), the
 * start distributions and the basins as hl_evolve has them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evolve_model.h"
#include "kmc_plan.h"

int hl_kmc_create_lattice(const hl_model *m, long dim, const hl_protocol *p, hl_kmc **out)
{
    if (!m || !p || !out)
        return hl_fail(HL_EINVAL, "hl_kmc_create_lattice: NULL argument");
    *out = NULL;
    int st = hl_check_dim(dim);
    if (!st)
        st = hl_protocol_check(p);
    /* B positive and finite at every T the protocol visits */
    if (!st)
        st = hl_protocol_check_transmission(m, p);
    if (st)
        return st;
    hl_kmc *k = calloc(1, sizeof *k);
    if (!k)
        return hl_fail(HL_ENOMEM, "out of memory for a plan");
    st = hl_class_rate_terms(m, dim, &k->rt);
    if (!st)
        st = hl_kmc_finish(k, p);
    if (st) {
        hl_kmc_free(k);
        return st;
    }
    *out = k;
    return HL_OK;
}

int hl_kmc_lattice_start(const hl_model *m, long dim, const hl_evolve_start *start,
                         double beta0, double *p0, long *start_class)
{
    if (!m || !start || !p0)
        return hl_fail(HL_EINVAL, "hl_kmc_lattice_start: NULL argument");
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if (!(beta0 > 0) || !isfinite(beta0))
        return hl_fail(HL_EDOM, "beta %g must be positive and finite", beta0);
    hl_evolve_sys s;
    hl_evolve_info info;
    memset(&info, 0, sizeof info);
    info.start_n = info.start_n1 = -1;
    st = hl_evolve_sys_init(&s, m, dim, 0);
    if (!st)
        st = hl_evolve_set_start(&s, start, beta0, p0, &info);
    hl_evolve_sys_free(&s);
    if (st)
        return st;
    if (start_class) {
        long h = dim / 2;
        *start_class = info.start_n >= 0 ? info.start_n1 * (h + 1) + (info.start_n - info.start_n1)
                                         : -1;
    }
    return HL_OK;
}

int hl_kmc_lattice_basins(const hl_model *m, long dim, double beta, int *basin,
                          hl_basin *basins, int *n_basins)
{
    if (!m || !basin || !basins || !n_basins)
        return hl_fail(HL_EINVAL, "hl_kmc_lattice_basins: NULL argument");
    int st = hl_check_dim(dim);
    if (st)
        return st;
    if (!(beta > 0) || !isfinite(beta))
        return hl_fail(HL_EDOM, "beta %g must be positive and finite", beta);
    hl_evolve_sys s;
    st = hl_evolve_sys_init(&s, m, dim, 0);
    hl_named_maxima c;
    if (!st)
        st = hl_named_maxima_get(m, beta, &c);
    double *lq = NULL;
    long *lab = NULL;
    if (!st)
        st = hl_evolve_ascent_labels(&s, beta, &lq, &lab);
    if (st) {
        hl_evolve_sys_free(&s);
        return st;
    }
    /* as evolve's observe_general: named after the maximum nearest to where
     * the ascent ends */
    long h = s.h, w = s.w, N = s.N;
    hl_basins_init(basins, n_basins, m, &c);
    double best[HL_MAX_BASINS];
    for (int q = 0; q < HL_MAX_BASINS; q++)
        best[q] = -INFINITY;
    for (long i = 0; i < N; i++) {
        long e = lab[i];
        int q = hl_basin_slot(basins, n_basins,
                              hl_named_maxima_nearest(&c, hl_class_x(h, e / w, e % w),
                                                      hl_class_y(h, e / w, e % w)));
        basin[i] = q;
        if (q >= 0 && e == i && lq[i] > best[q]) {
            best[q] = lq[i];
            basins[q].x = hl_class_x(h, e / w, e % w);
            basins[q].y = hl_class_y(h, e / w, e % w);
        }
    }
    free(lq);
    free(lab);
    hl_evolve_sys_free(&s);
    return HL_OK;
}
