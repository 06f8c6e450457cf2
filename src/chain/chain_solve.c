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

#define CHAIN_DENSE_LIMIT 1000
#define SLOW_REL 1e-12 /* relative bound above which another method refines */


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
    hl_rchain_spectrum_info info;
    double res = NAN;
    /* the dense method up to CHAIN_DENSE_LIMIT states only: shift-invert
     * gives the same digits (both end with the Dirichlet-form polish) in a
     * fraction of the time (LJ13, 1,510 states: 0.05 s instead of 1.9 s);
     * below it the dense method is fast and ARPACK can be slow on stiff
     * chains (LJ38-4k, 900 states: 0.2 s dense, 1.9 s shift-invert) */
    long old = hl_rchain_dense_limit(CHAIN_DENSE_LIMIT);
    int st = hl_rchain_spectrum(&p->rc, k, rates, NULL, &res, &info);
    hl_rchain_dense_limit(old);
    if (!st)
        set_result(result, info.method, res);
    return st;
}

/* the method names of hl_chain_slow_rates: [double solver: none, dense,
 * shift-invert][pseudo-inverse Lanczos used][log space used] */
static const char *const slow_names[3][2][2] = {
    {{"none", "log-space"}, {"gt-lanczos", "gt-lanczos + log-space"}},
    {{"dense", "log-space + dense"}, {"gt-lanczos + dense", "gt-lanczos + log-space + dense"}},
    {{"shift-invert", "log-space + shift-invert"},
     {"gt-lanczos + shift-invert", "gt-lanczos + log-space + shift-invert"}}};

/* a value of another method agrees with a check value within their bounds */
static int slow_agree(double ln_v, double ln_ref, double rel_ref)
{
    return fabs(expm1(ln_v - ln_ref)) <= 2 * rel_ref + 1e-12;
}

int hl_chain_slow_rates(hl_chain_plan *p, int k, double *ln_rates, char *why, size_t why_len,
                        hl_chain_result *result)
{
    if (!p || !ln_rates)
        return hl_fail(HL_EINVAL, "hl_chain_slow_rates: NULL argument");
    if (k < 1)
        return hl_fail(HL_EINVAL, "hl_chain_slow_rates: k = %d (at least 1 rate)", k);
    if (why && why_len)
        why[0] = 0;
    if (p->n_comp != 1)
        return hl_fail(HL_EINVAL, "hl_chain_slow_rates: the chain has %ld components (one "
                                  "needed)", p->n_comp);
    if (p->rc.ln_exit)
        return hl_fail(HL_EINVAL, "hl_chain_slow_rates: the chain has exits");
    /* three methods, each for the rates the others leave:
     *  - the double eigensolver (dense up to CHAIN_DENSE_LIMIT states, else
     *    shift-invert): resolves rates to SLOW_REL where they are not too
     *    far below the fast rates of their modes;
     *  - "gt-lanczos", Lanczos on the pseudo-inverse through the graph
     *    transformation (one factor): resolves rates to SLOW_REL where they
     *    are not too far above the slowest one;
     *  - "log-space", the fixed point on the reduced pencil (a factor or two
     *    per rate from gt-lanczos's vectors and values): the rest.
     * Order: dense first (its cost is bounded); above the dense limit
     * gt-lanczos first, and shift-invert only when gt-lanczos failed (at
     * low temperature ARPACK spends its whole budget not converging: LJ13
     * at T = 0.02, 13 s; the rates gt-lanczos leaves are those far above
     * the slowest, for the log-space method).  Every value of a later method is checked against
     * each other method that resolves it at all (within their bounds), so
     * a failure of the log-space method's inertia argument cannot pass
     * silently. */
    size_t sk = (size_t)k;
    long n = p->rc.n;
    double *r = malloc(sizeof(double) * sk), *lr = malloc(sizeof(double) * sk);
    double *lg = malloc(sizeof(double) * sk), *gerr = malloc(sizeof(double) * sk);
    double *bound = malloc(sizeof(double) * sk), *drel = malloc(sizeof(double) * sk);
    double *phi = malloc(sizeof(double) * sk * (size_t)n);
    unsigned char *wanted = calloc(sk, 1);
    int st = HL_OK, have_phi = 0, ds = -1, gs = -1;
    if (!r || !lr || !lg || !gerr || !bound || !drel || !phi || !wanted) {
        st = hl_fail(HL_ENOMEM, "out of memory for %d rates", k);
        goto out;
    }
    hl_chain_result dr = {"none", NAN};
    char dwhy[300] = "", gwhy[300] = "", lwhy[300] = "";
    for (int q = 0; q < k; q++) {
        ln_rates[q] = q == 0 ? -INFINITY : NAN;
        bound[q] = q == 0 ? 0 : NAN;
        lg[q] = gerr[q] = r[q] = NAN;
        drel[q] = INFINITY;
    }
    long act = 0;
    for (long a = 0; a < n; a++)
        act += p->rc.ln_pi[a] > -INFINITY;
    int dense_first = act <= CHAIN_DENSE_LIMIT;
    for (int pass = 0; pass < 3; pass++) {
        /* pass 0: dense (if small); 1: gt-lanczos; 2: shift-invert (if
         * large and useful) */
        int need = 0;
        for (int q = 1; q < k && q < n; q++)
            need |= isnan(ln_rates[q]);
        if (!need)
            break;
        if (pass == 1) {
            gs = hl_rchain_slow_rates_gtl(&p->rc, k, 1e-3, lg, gerr, phi, NULL, gwhy,
                                          sizeof gwhy);
            if (gs == HL_ENOMEM) {
                st = gs;
                goto out;
            }
            have_phi = !gs;
            if (gs) {
                snprintf(gwhy, sizeof gwhy, "%s", hl_errmsg());
                for (int q = 1; q < k; q++)
                    lg[q] = NAN;
            }
            /* a vector whose rate is not resolved even to 1e-3 is noise:
             * zero, so the log-space method chooses that representative by
             * inverse iteration instead */
            for (int q = 1; q < k && q < n; q++)
                if (have_phi && isnan(lg[q]))
                    memset(phi + (size_t)q * (size_t)n, 0, sizeof(double) * (size_t)n);
            for (int q = 1; q < k && q < n; q++)
                if (isnan(ln_rates[q]) && !isnan(lg[q]) && gerr[q] <= SLOW_REL) {
                    ln_rates[q] = lg[q];
                    bound[q] = gerr[q];
                }
            continue;
        }
        if ((pass == 0) != dense_first)
            continue;
        if (pass == 2 && have_phi) {
            snprintf(dwhy, sizeof dwhy, "the double eigensolver was not run (gt-lanczos "
                                        "resolves the slowest rates)");
            continue;
        }
        ds = hl_chain_spectrum(p, k, r, &dr);
        if (ds == HL_ENOMEM) {
            st = ds;
            goto out;
        }
        if (ds) {
            snprintf(dwhy, sizeof dwhy, "the double eigensolver failed: %s", hl_errmsg());
            for (int q = 0; q < k; q++)
                r[q] = NAN;
        }
        for (int q = 1; q < k && q < n; q++)
            if (!ds && r[q] > 0 && dr.resolution / r[q] <= SLOW_REL) {
                ln_rates[q] = log(r[q]); /* the more precise: replaces gt-lanczos */
                bound[q] = dr.resolution / r[q];
            }
    }
    /* the double solver's relative bound of each rate it gave at all (r is
     * NaN where it was not run or failed), INFINITY for none; then the
     * cross-checks of the values so far: double against gt-lanczos */
    for (int q = 1; q < k && q < n; q++) {
        drel[q] = r[q] > 0 && isfinite(r[q]) ? dr.resolution / r[q] : INFINITY;
        if (isfinite(drel[q]) && !isnan(lg[q]) &&
            !slow_agree(lg[q], log(r[q]), drel[q] + gerr[q])) {
            st = hl_fail(HL_ENOCONV, "slow rate %d: the double eigensolver (%.12g) and "
                                     "gt-lanczos (%.12g) disagree", q, r[q], exp(lg[q]));
            goto out;
        }
    }
    /* the log-space fixed point for the rest */
    int need = 0;
    for (int q = 1; q < k && q < n; q++)
        need |= (wanted[q] = isnan(ln_rates[q]));
    int used_l = 0;
    if (need) {
        double lrel = NAN;
        st = hl_rchain_slow_rates_log_hint(&p->rc, k, have_phi ? phi : NULL, lg, wanted, lr,
                                           &lrel, lwhy, sizeof lwhy);
        if (st)
            goto out;
        /* the hints can fail: representatives from roughly resolved
         * vectors, or the rates skipped, whose fixed points would have
         * corrected a representative (a pivot that goes negative moves
         * it).  Then the method unhinted, every rate from 0 (LJ38-4k at
         * T = 0.002) */
        int again = 0;
        for (int q = 1; q < k && q < n; q++)
            again |= wanted[q] && isnan(lr[q]);
        if (again && (have_phi || !isnan(lg[1]))) {
            double *lr2 = malloc(sizeof(double) * sk), lrel2 = NAN;
            char lwhy2[300] = "";
            if (!lr2) {
                st = hl_fail(HL_ENOMEM, "out of memory for %d rates", k);
                goto out;
            }
            st = hl_rchain_slow_rates_log(&p->rc, k, lr2, &lrel2, lwhy2, sizeof lwhy2);
            for (int q = 1; q < k && q < n && !st; q++)
                if (wanted[q] && isnan(lr[q]) && !isnan(lr2[q])) {
                    lr[q] = lr2[q];
                    lrel = isnan(lrel) ? lrel2 : fmax(lrel, lrel2);
                }
            if (!st)
                snprintf(lwhy, sizeof lwhy, "%s", lwhy2);
            free(lr2);
            if (st)
                goto out;
        }
        for (int q = 1; q < k && q < n; q++) {
            if (!wanted[q] || isnan(lr[q]))
                continue;
            /* the fixed point can settle on a value that is no eigenvalue
             * when the pivot check misses a negative direction: every
             * method that resolves the rate at all must agree */
            if (isfinite(drel[q]) && !(fabs(exp(lr[q]) - r[q]) <= 2 * dr.resolution + 1e-9 * r[q]))
                continue;
            if (!isnan(lg[q]) && !slow_agree(lr[q], lg[q], gerr[q]))
                continue;
            ln_rates[q] = lr[q];
            bound[q] = lrel;
            used_l = 1;
        }
    }
    /* what is left: the best value any method resolves, with its bound */
    for (int q = 1; q < k && q < n; q++) {
        if (!isnan(ln_rates[q]))
            continue;
        double rd = drel[q];
        double rg = !isnan(lg[q]) ? gerr[q] : INFINITY;
        if (rd <= 1e-3 && rd <= rg) {
            ln_rates[q] = log(r[q]);
            bound[q] = rd;
        } else if (rg <= 1e-3) {
            ln_rates[q] = lg[q];
            bound[q] = rg;
        }
    }
    double rel = 0;
    int left = 0, used_d = 0, used_g = 0;
    for (int q = 1; q < k && q < n; q++) {
        if (isnan(ln_rates[q])) {
            left++;
            continue;
        }
        rel = fmax(rel, bound[q]);
        if (isfinite(drel[q]) && ln_rates[q] == log(r[q]))
            used_d = 1;
        else if (!isnan(lg[q]) && ln_rates[q] == lg[q])
            used_g = 1;
    }
    if (left && why && why_len)
        snprintf(why, why_len, "%s%s%s%s%s", dwhy[0] ? dwhy : "below the double eigensolver's "
                                                              "resolution",
                 gwhy[0] ? "; gt-lanczos: " : "", gwhy, lwhy[0] ? "; log space: " : "", lwhy);
    int dbl = ds ? 0 : !strcmp(dr.method, "dense") ? 1 : 2;
    set_result(result, slow_names[used_d ? dbl : 0][used_g][used_l], rel);
out:
    free(r);
    free(lr);
    free(lg);
    free(gerr);
    free(bound);
    free(drel);
    free(phi);
    free(wanted);
    return st;
}

int hl_chain_evolve(hl_chain_plan *p, const double *p0, const double *times, size_t n_times,
                    double rtol, double *p_out, hl_chain_result *result)
{
    if (!p || !p0 || !times || !p_out)
        return hl_fail(HL_EINVAL, "hl_chain_evolve: NULL argument");
    /* a chain with exits is refused by the solver (HL_EINVAL) */
    hl_rchain_evolve_info info;
    int st = hl_rchain_evolve(&p->rc, NULL, NULL, NULL, p0, times, n_times, rtol, p_out, &info);
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
    int st = n_target == 0 ? hl_fail(HL_EINVAL, "hl_chain_mfpt: empty target set") : HL_OK;
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
    int st = plan_sets(p, n_a, set_a, n_b, set_b, &set);
    if (st)
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
    int st = plan_sets(p, n_a, set_a, n_b, set_b, &set);
    if (st)
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

int hl_chain_evolve_protocol(const hl_chain *chain, const hl_protocol *protocol,
                             const double *p0, const double *times, size_t n_times,
                             double rtol, double *p_out, hl_chain_result *result)
{
    if (!chain || !protocol || !p0 || !times || !p_out)
        return hl_fail(HL_EINVAL, "hl_chain_evolve_protocol: NULL argument");
    int st = hl_protocol_check(protocol);
    if (st)
        return st;
    hl_chain_plan *p;
    if ((st = chain_plan_make(chain, hl_protocol_beta(protocol, 0.0), &p)))
        return st;
    /* a chain with exits is refused by the solver (HL_EINVAL) */
    hl_rchain_evolve_info info;
    st = hl_rchain_evolve(&p->rc, chain_plan_refill, p, protocol, p0, times, n_times, rtol,
                          p_out, &info);
    hl_chain_plan_free(p);
    if (!st)
        set_result(result, info.method_name, info.rtol);
    return st;
}
