/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chain_solve.c -- the solves of a public chain plan (chain.h): each is a
 * call of a solver family of src/solvers on the plan's hl_rchain, with the
 * method and resolution reported. */
#include "chain_plan.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chain_evolve.h"
#include "core.h"
#include "rpassage.h"
#include "spectrum.h"



static void set_result(hl_chain_result *result, const char *method, double resolution)
{
    if (result) {
        result->method = method;
        result->resolution = resolution;
    }
}

/* set[] of the plan's states: 1 on A, 2 on B (hl_pass_sets), allocated */
static int plan_sets(const hl_chain_plan *p, size_t n_a, const long *set_a, size_t n_b,
                     const long *set_b, unsigned char **set)
{
    *set = malloc((size_t)p->rc.n);
    if (!*set)
        return hl_fail(HL_ENOMEM, "out of memory for %ld states", p->rc.n);
    int st = hl_pass_sets(p->rc.n, set_a, n_a, set_b, n_b, *set);
    if (st) {
        free(*set);
        *set = NULL;
    }
    return st;
}

int hl_chain_spectrum(hl_chain_plan *p, int k, double *rates, hl_chain_result *result)
{
    if (!p || !rates)
        return hl_fail(HL_EINVAL, "hl_chain_spectrum: NULL argument");
    if (k < 1)
        return hl_fail(HL_EINVAL, "hl_chain_spectrum: k = %d (at least 1 rate)", k);
    int st = chain_plan_need(p, CHAIN_NEED_DOUBLE);
    if (st)
        return st;
    hl_rchain_spectrum_info info;
    double res = NAN;
    /* the dense method up to CHAIN_DENSE_LIMIT states only: shift-invert
     * gives the same digits (both end with the Dirichlet-form polish) in a
     * fraction of the time (LJ13, 1,510 states: 0.05 s instead of 1.9 s);
     * below it the dense method is fast and ARPACK can be slow on stiff
     * chains (LJ38-4k, 900 states: 0.2 s dense, 1.9 s shift-invert) */
    long old = hl_rchain_dense_limit(CHAIN_DENSE_LIMIT);
    st = hl_rchain_spectrum(&p->rc, k, rates, NULL, &res, &info);
    hl_rchain_dense_limit(old);
    if (!st)
        set_result(result, info.method, res);
    return st;
}

int hl_chain_evolve(hl_chain_plan *p, const double *p0, const double *times, size_t n_times,
                    double rtol, double *p_out, hl_chain_result *result)
{
    if (!p || !p0 || !times || !p_out)
        return hl_fail(HL_EINVAL, "hl_chain_evolve: NULL argument");
    int st = chain_plan_need(p, CHAIN_NEED_DOUBLE);
    if (st)
        return st;
    /* a chain with exits is refused by the solver (HL_EINVAL) */
    hl_rchain_evolve_info info;
    st = hl_rchain_evolve(&p->rc, NULL, NULL, NULL, p0, times, n_times, rtol, p_out, &info);
    if (!st)
        set_result(result, info.method_name, info.rtol);
    return st;
}

/* ------------------------------------------------------ first passage */

int hl_chain_mfpt(hl_chain_plan *p, size_t n_target, const long *target, const char *method,
                  double *ln_mfpt, hl_chain_result *result)
{
    if (!p || !ln_mfpt || (n_target > 0 && !target))
        return hl_fail(HL_EINVAL, "hl_chain_mfpt: NULL argument");
    long n = p->rc.n;
    unsigned char *set = malloc((size_t)n);
    if (!set)
        return hl_fail(HL_ENOMEM, "out of memory for %ld states", n);
    /* the target absorbing (as "A"; there is no B) */
    memset(set, HL_PASS_FREE, (size_t)n);
    int st = n_target == 0 ? hl_fail(HL_EINVAL, "hl_chain_mfpt: empty target set")
                           : chain_plan_need(p, CHAIN_NEED_XF);
    for (size_t i = 0; i < n_target && !st; i++) {
        long a = target[i];
        if (a < 0 || a >= n)
            st = hl_fail(HL_EINVAL, "target state %ld is not one of 0..%ld", a, n - 1);
        else if (set[a])
            st = hl_fail(HL_EINVAL, "target state %ld is listed twice", a);
        else
            set[a] = HL_PASS_TO_A;
    }
    if (!st) {
        hl_pass_problem pr = {&p->rc, set};
        hl_pass_solution sol = {.ln_tau = ln_mfpt};
        st = hl_pass_solve_kept(&pr, method, &sol, &p->pass);
        if (!st)
            set_result(result, sol.method, sol.resolution);
    }
    free(set);
    return st;
}

int hl_chain_committor(hl_chain_plan *p, size_t n_a, const long *set_a, size_t n_b,
                       const long *set_b, const char *method, double *ln_q,
                       double *ln_one_minus_q, hl_chain_result *result)
{
    if (!p || (n_a > 0 && !set_a) || (n_b > 0 && !set_b))
        return hl_fail(HL_EINVAL, "hl_chain_committor: NULL argument");
    unsigned char *set;
    int st = chain_plan_need(p, CHAIN_NEED_XF);
    if (st || (st = plan_sets(p, n_a, set_a, n_b, set_b, &set)))
        return st;
    hl_pass_problem pr = {&p->rc, set};
    hl_pass_solution sol = {.ln_q = ln_q, .ln_qm = ln_one_minus_q};
    st = hl_pass_solve_kept(&pr, method, &sol, &p->pass);
    if (!st)
        set_result(result, sol.method, sol.resolution);
    free(set);
    return st;
}

static void copy_direction(const hl_pass_direction *d, hl_chain_direction *out)
{
    if (!out)
        return;
    out->ln_mfpt = d->ln_mfpt;
    out->ln_k_f = d->ln_k_f;
    out->ln_k_nss = d->ln_k_nss;
    out->ln_k_ss = d->ln_k_ss;
    out->ln_p_source = d->ln_p_source;
}

int hl_chain_rate_constants(hl_chain_plan *p, size_t n_a, const long *set_a, size_t n_b,
                            const long *set_b, const char *method, hl_chain_direction *ab,
                            hl_chain_direction *ba, hl_chain_result *result)
{
    if (!p || (n_a > 0 && !set_a) || (n_b > 0 && !set_b))
        return hl_fail(HL_EINVAL, "hl_chain_rate_constants: NULL argument");
    unsigned char *set;
    int st = chain_plan_need(p, CHAIN_NEED_XF);
    if (st || (st = plan_sets(p, n_a, set_a, n_b, set_b, &set)))
        return st;
    hl_pass_rates r;
    st = hl_pass_rates_compute_kept(&p->rc, set, method, &r, NULL, NULL, &p->pass);
    free(set);
    if (st)
        return st;
    copy_direction(&r.ab, ab);
    copy_direction(&r.ba, ba);
    set_result(result, r.method, r.resolution);
    return HL_OK;
}

/* ------------------------------------------------------------ protocols */

/* the check evolution's settings (chain.h, hl_chain_evolve_protocol_check) */
static const hl_rchain_evolve_opts CHECK_OPTS = {0, 0, 0, 48.0, 0, 20000, NULL, NULL, 0};

/* 10 rtol (rtol / 10 above 1e-3): another tolerance, so that the
 * integrators' errors differ; at the looser one the check's error is the
 * larger and the difference bounds the run's */
static double check_rtol(double rtol)
{
    double r = rtol == 0 ? 1e-8 : rtol;
    return r <= 1e-3 ? 10 * r : r / 10;
}

/* floor[k] of the check (chain.h): hl_rchain_check_floor (LJ38-tutorial-12
 * at T = 0.05: two runs agreed on 3.5e-47 for 7.4e-41), plus
 * hl_lumped_floor at the outputs from the basins' committor chain (dev:
 * their distance from equilibrium); rel[k] (optional): rtol, shrunk by the
 * same scale (0 at t = 0) */
static void check_floor(const hl_rchain_evolve_info *info, const double *dev,
                        const double *scale, const double *times, size_t n_times, double rtol,
                        double *floor, double *rel)
{
    double r = rtol == 0 ? 1e-8 : rtol;
    for (size_t k = 0; floor && k < n_times; k++)
        floor[k] = (k + info->lumped_outputs >= n_times ? hl_lumped_floor(r, dev ? dev[k] : NAN)
                                                        : 0.0) +
                   hl_rchain_check_floor(info->method, times[k], scale ? scale[k] : 1.0,
                                         check_rtol(r), r);
    for (size_t k = 0; rel && k < n_times; k++)
        rel[k] = times[k] > 0 ? r * fmin(1.0, scale ? scale[k] : 1.0) : 0.0;
}

/* the run (check 0) or the check run (1) of an evolution on plan p */
static int run_evolve(hl_rchain *rc, hl_rchain_fill_fn fill, void *ctx,
                      const hl_protocol *protocol, const double *p0, const double *times,
                      size_t n_times, double rtol, double *p_out, double *floor, double *rel,
                      int check, hl_chain_result *result)
{
    hl_rchain_evolve_info info;
    hl_rchain_evolve_opts co = CHECK_OPTS;
    int want = check && (floor || rel);
    double *dev = want ? malloc(sizeof(double) * (n_times ? n_times : 1)) : NULL;
    double *scale = want ? malloc(sizeof(double) * (n_times ? n_times : 1)) : NULL;
    if (want && (!dev || !scale)) {
        free(dev);
        free(scale);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    for (size_t k = 0; scale && k < n_times; k++)
        scale[k] = 1;
    co.lumped_dev = dev;
    co.err_scale = scale;
    co.route_rtol = rtol == 0 ? 1e-8 : rtol; /* the run's route */
    /* the run's BDF at a hundredth of rtol (hl_rchain_evolve): its global
     * error is 5 to 40 times its tolerance (one block at D = 60, beta = 1,
     * t = 3e8: 1.1e-9 at 1e-10; two blocks at D = 40, beta = 1, t = 3.2e4:
     * 1.7e-10 at 1e-11), so at rtol it reached the check's at 10 rtol, and
     * |P - P_check| fell 4 times short of it; above 1e-3, where the check
     * runs at rtol / 10, at rtol / 1000 */
    hl_rchain_evolve_opts ro = {0, 0, 0, 0, 0, 0, NULL, NULL, rtol > 1e-3 ? 1e-3 : 1e-2};
    int st = check ? hl_rchain_evolve_cvode_opts(rc, fill, ctx, protocol, p0, times, n_times,
                                                 check_rtol(rtol), p_out, &info, &co)
                   : hl_rchain_evolve_with(rc, fill, ctx, protocol, p0, times, n_times, rtol,
                                           p_out, &info, &ro);
    if (!st) {
        set_result(result, info.method_name, info.rtol);
        if (check)
            check_floor(&info, dev, scale, times, n_times, rtol, floor, rel);
    }
    free(dev);
    free(scale);
    return st;
}

static int evolve_protocol(const hl_chain *chain, const hl_protocol *protocol,
                           const double *p0, const double *times, size_t n_times, double rtol,
                           double *p_out, double *floor, double *rel, int check,
                           hl_chain_result *result)
{
    if (!chain || !protocol || !p0 || !times || !p_out)
        return hl_fail(HL_EINVAL, "hl_chain_evolve_protocol: NULL argument");
    int st = hl_protocol_check(protocol);
    if (!st)
        st = hl_chain_check_protocol(chain, protocol); /* before any work */
    if (st)
        return st;
    hl_chain_plan *p;
    if ((st = chain_plan_make(chain, hl_protocol_beta(protocol, 0.0), &p)))
        return st;
    if ((st = chain_plan_need(p, CHAIN_NEED_DOUBLE))) {
        hl_chain_plan_free(p);
        return st;
    }
    /* a chain with exits is refused by the solver (HL_EINVAL) */
    st = run_evolve(&p->rc, chain_plan_refill, p, protocol, p0, times, n_times, rtol, p_out,
                    floor, rel, check, result);
    hl_chain_plan_free(p);
    return st;
}

int hl_chain_evolve_protocol(const hl_chain *chain, const hl_protocol *protocol,
                             const double *p0, const double *times, size_t n_times,
                             double rtol, double *p_out, hl_chain_result *result)
{
    return evolve_protocol(chain, protocol, p0, times, n_times, rtol, p_out, NULL, NULL, 0,
                           result);
}

int hl_chain_evolve_protocol_check(const hl_chain *chain, const hl_protocol *protocol,
                                   const double *p0, const double *times, size_t n_times,
                                   double rtol, double *p_check, double *floor,
                                   double *rel_floor, hl_chain_result *result)
{
    return evolve_protocol(chain, protocol, p0, times, n_times, rtol, p_check, floor, rel_floor,
                           1, result);
}

int chain_evolve_protocol_opts(const hl_chain *chain, const hl_protocol *protocol,
                               const double *p0, const double *times, size_t n_times,
                               double rtol, const hl_rchain_evolve_opts *o, double *p_out,
                               hl_rchain_evolve_info *info)
{
    if (!chain || !protocol || !p0 || !times || !p_out)
        return hl_fail(HL_EINVAL, "chain_evolve_protocol_opts: NULL argument");
    int st = hl_protocol_check(protocol);
    if (!st)
        st = hl_chain_check_protocol(chain, protocol); /* before any work */
    if (st)
        return st;
    hl_chain_plan *p;
    if ((st = chain_plan_make(chain, hl_protocol_beta(protocol, 0.0), &p)))
        return st;
    if ((st = chain_plan_need(p, CHAIN_NEED_DOUBLE))) {
        hl_chain_plan_free(p);
        return st;
    }
    st = hl_rchain_evolve_cvode_opts(&p->rc, chain_plan_refill, p, protocol, p0, times, n_times,
                                     rtol, p_out, info, o);
    hl_chain_plan_free(p);
    return st;
}

/* a chain rebuilt by the caller at each beta */
typedef struct {
    hl_chain_rebuild_fn fn;
    void *ctx;
    hl_chain_plan *p;
    hl_chain *cur; /* the chain the plan holds now */
} rebuild_ctx;

static int rebuild_fill(void *vp, double beta, hl_rchain *rc)
{
    rebuild_ctx *r = vp;
    hl_chain *c = NULL;
    int st = r->fn(r->ctx, beta, &c);
    if (st) {
        hl_chain_free(c);
        return st;
    }
    if (!c)
        return hl_fail(HL_EINVAL, "the rebuild callback returned no chain at beta = %g", beta);
    if ((st = chain_plan_refill_from(r->p, c, beta, rc))) {
        hl_chain_free(c);
        return st;
    }
    hl_chain_free(r->cur);
    r->cur = c;
    return HL_OK;
}

static int evolve_rebuild(hl_chain_rebuild_fn rebuild, void *ctx,
                          const hl_protocol *protocol, const double *p0, const double *times,
                          size_t n_times, double rtol, double *p_out, double *floor,
                          double *rel, int check, hl_chain_result *result)
{
    if (!rebuild || !protocol || !p0 || !times || !p_out)
        return hl_fail(HL_EINVAL, "hl_chain_evolve_protocol_rebuild: NULL argument");
    int st = hl_protocol_check(protocol);
    if (st)
        return st;
    double beta0 = hl_protocol_beta(protocol, 0.0);
    rebuild_ctx r = {rebuild, ctx, NULL, NULL};
    if ((st = rebuild(ctx, beta0, &r.cur))) {
        hl_chain_free(r.cur);
        return st;
    }
    if (!r.cur)
        return hl_fail(HL_EINVAL, "the rebuild callback returned no chain at beta = %g", beta0);
    if ((st = chain_plan_make(r.cur, beta0, &r.p)) ||
        (st = chain_plan_need(r.p, CHAIN_NEED_DOUBLE))) {
        hl_chain_plan_free(r.p);
        hl_chain_free(r.cur);
        return st;
    }
    st = run_evolve(&r.p->rc, rebuild_fill, &r, protocol, p0, times, n_times, rtol, p_out, floor,
                    rel, check, result);
    hl_chain_plan_free(r.p);
    hl_chain_free(r.cur);
    return st;
}

int hl_chain_evolve_protocol_rebuild(hl_chain_rebuild_fn rebuild, void *ctx,
                                     const hl_protocol *protocol, const double *p0,
                                     const double *times, size_t n_times, double rtol,
                                     double *p_out, hl_chain_result *result)
{
    return evolve_rebuild(rebuild, ctx, protocol, p0, times, n_times, rtol, p_out, NULL, NULL, 0,
                          result);
}

int hl_chain_evolve_protocol_rebuild_check(hl_chain_rebuild_fn rebuild, void *ctx,
                                           const hl_protocol *protocol, const double *p0,
                                           const double *times, size_t n_times, double rtol,
                                           double *p_check, double *floor, double *rel_floor,
                                           hl_chain_result *result)
{
    return evolve_rebuild(rebuild, ctx, protocol, p0, times, n_times, rtol, p_check, floor,
                          rel_floor, 1, result);
}
