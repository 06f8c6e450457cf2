/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hypercube_kmc_chain.c -- the master equation on all 2^D vertices of the
 * disordered hypercube as a public chain (chain.h), the exact reference of
 * the hypercube KMC at small D (hypercube_kmc.h). */
#include "hypercube_kmc_private.h"

#include <math.h>
#include <stdlib.h>

#include "model_private.h"

int hl_hkmc_vertex_chain(const hl_hkmc *k, double beta0, hl_chain **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_hkmc_vertex_chain: out is NULL");
    *out = NULL;
    if (!k || !(beta0 > 0) || !isfinite(beta0))
        return hl_fail(HL_EINVAL, "hl_hkmc_vertex_chain: NULL handle or bad beta0");
    long D = k->dim, h = k->h;
    if (D > HL_HKMC_CHAIN_DIM_MAX)
        return hl_fail(HL_ERANGE, "the 2^D-vertex chain is built up to D = %ld, not D = %ld",
                       HL_HKMC_CHAIN_DIM_MAX, D);
    long N = 1L << D;
    hl_chain *c = NULL;
    int st = hl_chain_create(N, &c);
    double T0 = 1.0 / beta0;
    for (long v = 0; v < N && !st; v++) {
        long a, b;
        hl_hkmc_vertex_class(D, v, &a, &b);
        double phi;
        st = hl_class_phi(k->model, h, a, b, &phi);
        if (st)
            break;
        double eps = k->vshift > 0 ? hl_hkmc_eps_of_key(k, (uint64_t)v) : 0.0;
        st = hl_chain_set_state(c, v, 0.0, (double)D * phi + eps);
        for (long i = 0; i < D && !st; i++) {
            if ((v >> i) & 1)
                continue;
            long v2 = v | (1L << i), a2 = a + (i < h), b2 = b + (i >= h);
            double bx = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
            double by = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
            double Bt = hl_model_transmission(k->model, bx, by, T0);
            st = hl_check_bond_b(Bt, a, b, a2, b2, bx, by, T0);
            if (!st)
                st = hl_chain_add_edge(c, v, v2, log(k->f[i]) + log(Bt), 0.0);
        }
    }
    if (st) {
        hl_chain_free(c);
        return st;
    }
    *out = c;
    return HL_OK;
}
