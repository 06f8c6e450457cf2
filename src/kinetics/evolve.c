/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evolve.c -- hl_evolve (evolve.h), the driver: checks, the path (the
 * product of two birth-death chains or the 2-D class lattice), the
 * integration of each chain by the library's one evolution engine
 * (hl_gridchain_evolve, gridchain.h), and the observables at every output
 * time, checked (an integrator that lost probability is an error, never a
 * number).  The chains are in evolve_chains.c, the starts in
 * evolve_start.c, the observables in evolve_observe.c. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evolve_model.h"

/* Integrate chain c of the run from y0 (its cells' entries) to every output
 * time; yout[k * stride + i] for cell i at time k.  The engine runs at rtol
 * / 10: its Newton systems are solved by GMRES (to a tolerance tied to
 * rtol) where the old integrator of this file solved them exactly (banded
 * LU), and at rtol / 10 every output is at least as close to the exact
 * solution as the old integrator's at rtol (README: measured against the
 * mpmath and dense references). */
static int run_chain(const hl_evolve_sys *s, int c, const hl_protocol *p, const double *y0,
                     const double *times, size_t n_times, double rtol, double *yout,
                     size_t stride, hl_evolve_info *info, const hl_rchain_evolve_opts *o,
                     size_t *lumped, double *dev, double *ifloor, double *irel)
{
    hl_gridchain g;
    memset(&g, 0, sizeof g);
    hl_evolve_chain_ctx cx = {s, c};
    long cells = s->product ? s->w : s->N;
    double *out = s->product ? malloc(sizeof(double) * (size_t)cells * n_times) : yout;
    int st = out ? hl_evolve_chain_alloc(s, &g)
                 : hl_fail(HL_ENOMEM, "out of memory (%zu times of %ld states)", n_times, cells);
    hl_gridchain_evolve_info gi;
    memset(&gi, 0, sizeof gi);
    hl_rchain_evolve_opts oc = {0, 0, 0, 0, 0, 0, NULL, NULL, 0};
    if (o)
        oc = *o;
    double *dv = NULL, *sc = NULL;
    if (dev && !st && !(dv = malloc(sizeof(double) * 2 * n_times)))
        st = hl_fail(HL_ENOMEM, "out of memory");
    if (dv) {
        sc = dv + n_times;
        for (size_t k = 0; k < n_times; k++)
            sc[k] = 1;
    }
    oc.lumped_dev = dv;
    oc.err_scale = sc;
    if (!st)
        st = hl_gridchain_evolve_cvode_opts(&g, hl_evolve_chain_fill, &cx, p, y0, times,
                                            n_times, fmax(rtol / 10, 1e-14), out, &gi, &oc);
    /* the chains' distances from equilibrium add up (a product's 1-norm
     * distance is at most the sum of its factors') */
    for (size_t k = 0; !st && dev && k < n_times; k++)
        if (k + gi.lumped_outputs >= n_times)
            dev[k] += dv[k];
    /* what the difference of the two runs cannot show (chain_evolve.h) */
    for (size_t k = 0; !st && ifloor && sc && k < n_times; k++)
        ifloor[k] += hl_rchain_check_floor(gi.method, times[k], sc[k], fmax(rtol / 10, 1e-14),
                                           oc.route_rtol > 0 ? oc.route_rtol
                                                             : fmax(rtol / 10, 1e-14));
    /* the relative part: the run's rtol (the check's rtol / 10), shrunk
     * alike; the chains' relative errors add */
    for (size_t k = 0; !st && irel && sc && k < n_times; k++)
        irel[k] += times[k] > 0 ? fmax(rtol / 10, 1e-14) * fmin(1.0, sc[k]) : 0.0;
    free(dv);
    if (!st && s->product)
        for (size_t k = 0; k < n_times; k++)
            memcpy(yout + k * stride, out + k * (size_t)cells, sizeof(double) * (size_t)cells);
    if (lumped && gi.lumped_outputs > *lumped)
        *lumped = gi.lumped_outputs;
    info->steps += gi.steps;
    info->krylov_iterations += gi.krylov_iterations;
    info->factorisations += gi.factorisations;
    info->atol = gi.atol;
    /* CVODE if any chain ended on it (the Krylov exponential did not
     * converge, or no output after the protocol settles) */
    if (!st && info->integrator != HL_EVOLVE_CVODE)
        info->integrator = gi.method == HL_GRIDCHAIN_KRYLOV ? HL_EVOLVE_KRYLOV : HL_EVOLVE_CVODE;
    if (s->product)
        free(out);
    hl_gridchain_free(&g);
    return st;
}

double hl_population_error(double p, double p_check, double t, double floor, double rel_floor)
{
    return fabs(p - p_check) + floor + (rel_floor + 100 * DBL_EPSILON) * fabs(p) +
           (t > 0 ? 100 * DBL_EPSILON : 0.0);
}

size_t hl_check_retry_times(const double *times, size_t nc, int tries)
{
    if (tries >= 1 || nc <= 1)
        return 0;
    size_t k = nc - 1;
    while (k > 0 && times[k - 1] >= 1e-3 * times[nc - 1])
        k--;
    return k;
}

/* max |phi| over the classes (phi per dimension): the scale of <phi>'s
 * error (product path: phi = s + g(d), |s| <= 1) */
static double phi_range(const hl_evolve_sys *s)
{
    double r = 0;
    if (s->product)
        for (long k = 0; k < s->w; k++)
            r = fmax(r, 1 + fabs(s->g[k]));
    else
        for (long i = 0; i < s->w * s->w; i++)
            r = fmax(r, fabs(s->Phi[i]) / (double)s->dim);
    return r;
}

/* the estimated errors of <x>, <y>, <phi> (evolve.h): the difference from
 * the check (pc; NULL: none) and, on a scale of the quantity's range (1
 * for x and y), the floor fl both runs share and (rtol + 100 eps) */
static void mean_errors(hl_evolve_point *pk, const hl_evolve_point *pc, double fl, double rtol,
                        double phir)
{
    double f = fl + rtol + 100 * DBL_EPSILON;
    pk->mean_x_error = (pc ? fabs(pk->mean_x - pc->mean_x) : 0.0) + f;
    pk->mean_y_error = (pc ? fabs(pk->mean_y - pc->mean_y) : 0.0) + f;
    pk->mean_phi_error = (pc ? fabs(pk->mean_phi - pc->mean_phi) : 0.0) + f * phir;
}

int hl_evolve_opts(const hl_model *m, long dim, const hl_protocol *p,
                   const hl_evolve_start *start, const double *times, size_t n_times,
                   int method, double rtol, hl_evolve_point *points, double *q_out,
                   hl_evolve_info *info, const hl_rchain_evolve_opts *o, unsigned flags)
{
    if (!m || !p || !start || !times || !points || !info)
        return hl_fail(HL_EINVAL, "hl_evolve: NULL argument");
    int st = hl_check_dim(dim);
    if (!st)
        st = hl_protocol_check(p);
    if (st)
        return st;
    if ((st = hl_check_times(times, n_times)))
        return st;
    if (rtol == 0)
        rtol = 1e-10;
    if (!(rtol >= 1e-14 && rtol <= 1e-2))
        return hl_fail(HL_EDOM, "relative tolerance %g is not in [1e-14, 1e-2]", rtol);
    if (method & HL_EVOLVE_UNCHECKED) {
        flags |= HL_EVOLVE_OPT_UNCHECKED;
        method &= ~HL_EVOLVE_UNCHECKED;
    }
    int separable = hl_model_is_default(m) && hl_model_transmission_is_default(m);
    int product_start = start->kind != HL_START_CLASSES;
    int product;
    if (method == HL_EVOLVE_AUTO)
        product = separable && product_start;
    else if (method == HL_EVOLVE_PRODUCT) {
        if (!separable || !product_start)
            return hl_fail(HL_EINVAL, "the product method needs the paper's phi, B = 1 and a "
                                      "product start (not a class distribution)");
        product = 1;
    } else if (method == HL_EVOLVE_GENERAL)
        product = 0;
    else
        return hl_fail(HL_EINVAL, "unknown method %d", method);
    if (!product && dim > HL_EVOLVE_GENERAL_DIM_MAX)
        return hl_fail(HL_ERANGE, "the 2-D chain at D = %ld (a user phi or B, or a start "
                                  "that is not a product) has %.3g classes; at most D = %ld",
                       dim, pow(dim / 2 + 1.0, 2), HL_EVOLVE_GENERAL_DIM_MAX);
    memset(info, 0, sizeof *info);
    info->method = product ? HL_EVOLVE_PRODUCT : HL_EVOLVE_GENERAL;
    info->start_n = info->start_n1 = -1;
    info->rtol = rtol;
    int check = !(flags & HL_EVOLVE_OPT_UNCHECKED);
    hl_evolve_sys s;
    double *y0 = NULL, *y = NULL, *yc = NULL;
    hl_evolve_point *pc = NULL;
    double *dev = NULL, *ifl = NULL;
    st = hl_evolve_sys_init(&s, m, dim, product);
    if (!st && (flags & HL_EVOLVE_OPT_LN_B))
        st = hl_evolve_sys_ln_b(&s);
    if (!st)
        st = hl_evolve_check_rates(&s, p);
    if (st)
        goto done;
    size_t N = (size_t)s.N;
    y0 = malloc(sizeof(double) * N);
    y = malloc(sizeof(double) * N * n_times);
    if (!y0 || !y) {
        st = hl_fail(HL_ENOMEM, "out of memory (%zu times of %zu states)", n_times, N);
        goto done;
    }
    if ((st = hl_evolve_set_start(&s, start, hl_protocol_beta(p, 0.0), y0, info)))
        goto done;
    /* every chain on its own: the product path's two factors evolve
     * independently (L = L_a (x) 1 + 1 (x) L_b) */
    for (int c = 0; c < (product ? 2 : 1); c++)
        if ((st = run_chain(&s, c, p, y0 + c * s.w, times, n_times, rtol, y + c * s.w, N,
                            info, o, NULL, NULL, NULL, NULL)))
            goto done;
    /* the check evolution (evolve.h: population_error): CVODE at ten times
     * the run's tolerance, the switch 48 e-folds after the start instead of
     * 40, the run's route */
    size_t lumped = 0, nc = check ? n_times : 0; /* outputs the check reached */
    if (check) {
        yc = malloc(sizeof(double) * N * n_times);
        pc = malloc(sizeof *pc);
        if (!yc || !pc || !(dev = calloc(n_times, sizeof(double))) ||
            !(ifl = calloc(2 * n_times, sizeof(double)))) {
            st = hl_fail(HL_ENOMEM, "out of memory (%zu times of %zu states)", n_times, N);
            goto done;
        }
        hl_rchain_evolve_opts co = {0, 0, 0, 0, 0, 0, NULL, NULL, 0};
        if (o)
            co = *o;
        co.switch_margin = 48;
        co.max_steps = 20000;
        co.route_rtol = fmax(rtol / 10, 1e-14); /* the run's route (run_chain's rtol) */
        /* the engine runs at rtol / 10 (at least 1e-14), the check at ten
         * times that: its error is the larger, and the difference bounds
         * the run's (at a tenth of the run's tolerance it cost 2.8 times
         * the run, at ten times 1.6: evolve --dim 60, a 2-D chain) */
        double crtol = 10 * fmax(rtol, 1e-13);
        /* a check that cannot be integrated (CVODE where the run used the
         * Krylov exponential or the relaxation: t = 1e300) runs again
         * without the times from a thousandth of its last one on (once);
         * the outputs it does not reach get 10 rtol below */
        for (int tries = 0; nc > 0; tries++) {
            hl_evolve_info ci = *info;
            lumped = 0;
            memset(dev, 0, sizeof(double) * n_times);
            memset(ifl, 0, sizeof(double) * 2 * n_times);
            for (int c = 0; c < (product ? 2 : 1) && !st; c++)
                st = run_chain(&s, c, p, y0 + c * s.w, times, nc, crtol, yc + c * s.w, N, &ci,
                               &co, &lumped, dev, ifl, ifl + n_times);
            if (st == HL_ENOMEM)
                goto done;
            if (!st)
                break;
            st = HL_OK;
            nc = hl_check_retry_times(times, nc, tries);
        }
    }
    size_t nq = (size_t)(s.w * s.w);
    double phir = phi_range(&s);
    for (size_t k = 0; k < n_times; k++) {
        const double *q = y + k * N;
        for (size_t i = 0; i < N; i++)
            if (!isfinite(q[i])) {
                st = hl_fail(HL_ENOCONV, "the solution is not finite at t = %g", times[k]);
                goto done;
            }
        double beta_k = hl_protocol_beta(p, times[k]);
        st = hl_evolve_observe(&s, times[k], beta_k, q, &points[k], q_out ? q_out + k * nq : NULL);
        if (st)
            goto done;
        hl_evolve_point *pk = &points[k];
        for (int a = 0; a < HL_MAX_BASINS; a++)
            pk->population_error[a] = 0;
        if (k < nc) {
            const double *qc = yc + k * N;
            for (size_t i = 0; i < N; i++)
                if (!isfinite(qc[i])) {
                    st = hl_fail(HL_ENOCONV, "the check evolution is not finite at t = %g",
                                 times[k]);
                    goto done;
                }
            if ((st = hl_evolve_observe(&s, times[k], beta_k, qc, pc, NULL)))
                goto done;
            /* what both runs share: the basins' chain's reduction, the
             * integrators' absolute tolerance (or a frozen chain's bound;
             * ifl), the rounding of the weights (|ln pi| eps relative) */
            double fl = (k + lumped >= nc ? hl_lumped_floor(rtol, dev[k]) : 0.0) + ifl[k];
            double rl = ifl[n_times + k]; /* relative (run_chain) */
            for (int a = 0; a < pk->n_basins; a++)
                pk->population_error[a] =
                    hl_population_error(pk->basins[a].probability, pc->basins[a].probability,
                                        times[k], fl, rl);
            mean_errors(pk, pc, fl + (times[k] > 0 ? 100 * DBL_EPSILON : 0.0), rl, phir);
        } else {
            /* unchecked: the documented absolute accuracy rtol / 10; a time
             * the check did not reach: 10 rtol (evolve.h) */
            double fl = times[k] > 0 ? (check ? 10 * rtol : rtol / 10) : 0.0;
            for (int a = 0; a < pk->n_basins; a++)
                pk->population_error[a] = fl + ((times[k] > 0 ? rtol : 0.0) + 100 * DBL_EPSILON) *
                                                   pk->basins[a].probability;
            mean_errors(pk, NULL, fl, times[k] > 0 ? rtol : 0.0, phir);
        }
        /* an integrator that lost probability gives an error, never a number */
        double lim = 10 * rtol + 1e-12;
        if (!(points[k].sum_error <= lim) || !(points[k].min_q >= -lim)) {
            st = hl_fail(HL_ENOCONV, "t = %g cannot be reached accurately (the integrator "
                                     "lost probability: |sum Q - 1| = %.2g, min Q = %.2g)",
                         times[k], points[k].sum_error, points[k].min_q);
            goto done;
        }
    }
done:
    free(y0);
    free(y);
    free(yc);
    free(pc);
    free(dev);
    free(ifl);
    hl_evolve_sys_free(&s);
    return st;
}

int hl_evolve(const hl_model *m, long dim, const hl_protocol *p,
              const hl_evolve_start *start, const double *times, size_t n_times,
              int method, double rtol, hl_evolve_point *points, double *q_out,
              hl_evolve_info *info)
{
    return hl_evolve_opts(m, dim, p, start, times, n_times, method, rtol, points, q_out, info,
                          NULL, 0);
}
