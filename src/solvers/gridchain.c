/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridchain.c -- the grid-chain solvers as wrappers of the solvers of the
 * general reversible chain (gridchain.h). */
#include "gridchain.h"

#include <string.h>

#include "core.h"

long hl_gridchain_dense_limit(long limit)
{
    return hl_rchain_dense_limit(limit);
}

int hl_gridchain_spectrum_exit(const hl_gridchain *g, const double *ln_exit, int k,
                               double *rates, double *vectors, double *resolution,
                               hl_gridchain_spectrum_info *info)
{
    if (!rates)
        return hl_fail(HL_EINVAL, "hl_gridchain_spectrum: NULL rates");
    if (k < 1)
        return hl_fail(HL_EINVAL, "hl_gridchain_spectrum: %d rates requested", k);
    hl_rchain c;
    int st = hl_gridchain_to_rchain(g, ln_exit, &c);
    if (st)
        return st;
    st = hl_rchain_spectrum(&c, k, rates, vectors, resolution, info);
    hl_rchain_free(&c);
    return st;
}

int hl_gridchain_spectrum_ex(const hl_gridchain *g, int k, double *rates, double *vectors,
                             double *resolution, hl_gridchain_spectrum_info *info)
{
    return hl_gridchain_spectrum_exit(g, NULL, k, rates, vectors, resolution, info);
}

int hl_gridchain_spectrum(const hl_gridchain *g, int k, double *rates, double *vectors,
                          double *resolution)
{
    return hl_gridchain_spectrum_exit(g, NULL, k, rates, vectors, resolution, NULL);
}

int hl_gridchain_tunnelling(const hl_gridchain *g, const int *label, long a, long b,
                            double *ln_rate)
{
    if (!g || !label || !ln_rate)
        return hl_fail(HL_EINVAL, "hl_gridchain_tunnelling: NULL argument");
    hl_rchain c;
    int st = hl_gridchain_to_rchain(g, NULL, &c);
    if (st)
        return st;
    st = hl_rchain_tunnelling(&c, label, a, b, ln_rate);
    hl_rchain_free(&c);
    return st;
}

int hl_gridchain_slow_rates(const hl_gridchain *g, hl_gridchain_slow *s)
{
    if (!s)
        return hl_fail(HL_EINVAL, "hl_gridchain_slow_rates: NULL argument");
    memset(s, 0, sizeof *s);
    hl_rchain c;
    int st = hl_gridchain_to_rchain(g, NULL, &c);
    if (st)
        return st;
    st = hl_rchain_slow_rates(&c, s);
    hl_rchain_free(&c);
    return st;
}

/* the chain's fill: refill the grid, copy it into the chain; the first call
 * (beta(0), already filled by hl_gridchain_evolve) only copies */
typedef struct {
    hl_gridchain *g;
    hl_gridchain_fill_fn fill;
    void *ctx;
    int primed;
} grid_fill;

static int grid_fill_fn(void *ctx, double beta, hl_rchain *c)
{
    grid_fill *f = ctx;
    if (f->primed) {
        f->primed = 0;
        return HL_OK;
    }
    int st = f->fill(f->ctx, beta, f->g);
    return st ? st : hl_gridchain_refill_rchain(f->g, c);
}

static int grid_evolve(hl_gridchain *g, hl_gridchain_fill_fn fill, void *ctx,
                       const hl_protocol *p, const double *p0, const double *times,
                       size_t n_times, double rtol, double *p_out,
                       hl_gridchain_evolve_info *info, int force_cvode,
                       const hl_rchain_evolve_opts *o)
{
    if (!g || !p0 || !times || !p_out)
        return hl_fail(HL_EINVAL, "hl_gridchain_evolve: NULL argument");
    int st;
    if (p && (st = hl_protocol_check(p)))
        return st;
    /* the grid at beta(0) (the chain's edges join the cells active then) */
    if (fill && p && (st = fill(ctx, hl_protocol_beta(p, 0.0), g)))
        return st;
    hl_rchain c;
    if ((st = hl_gridchain_to_rchain(g, NULL, &c)))
        return st;
    grid_fill f = {g, fill, ctx, 1};
    if (o)
        st = hl_rchain_evolve_cvode_opts(&c, fill ? grid_fill_fn : NULL, &f, p, p0, times,
                                         n_times, rtol, p_out, info, o);
    else
        st = (force_cvode ? hl_rchain_evolve_cvode : hl_rchain_evolve)(
            &c, fill ? grid_fill_fn : NULL, &f, p, p0, times, n_times, rtol, p_out, info);
    hl_rchain_free(&c);
    return st;
}

int hl_gridchain_evolve(hl_gridchain *g, hl_gridchain_fill_fn fill, void *ctx,
                        const hl_protocol *p, const double *p0, const double *times,
                        size_t n_times, double rtol, double *p_out,
                        hl_gridchain_evolve_info *info)
{
    return grid_evolve(g, fill, ctx, p, p0, times, n_times, rtol, p_out, info, 0, NULL);
}

int hl_gridchain_evolve_cvode(hl_gridchain *g, hl_gridchain_fill_fn fill, void *ctx,
                              const hl_protocol *p, const double *p0, const double *times,
                              size_t n_times, double rtol, double *p_out,
                              hl_gridchain_evolve_info *info)
{
    return grid_evolve(g, fill, ctx, p, p0, times, n_times, rtol, p_out, info, 1, NULL);
}

int hl_gridchain_evolve_cvode_opts(hl_gridchain *g, hl_gridchain_fill_fn fill, void *ctx,
                                   const hl_protocol *p, const double *p0, const double *times,
                                   size_t n_times, double rtol, double *p_out,
                                   hl_gridchain_evolve_info *info,
                                   const hl_rchain_evolve_opts *o)
{
    return grid_evolve(g, fill, ctx, p, p0, times, n_times, rtol, p_out, info, 1, o);
}
