/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chain_slow_rates.c -- hl_chain_slow_rates (chain.h): the slowest
 * relaxation rates of a plan, each to about machine precision relative
 * however small, from a table of methods, each for the rates the ones
 * before it leave, with every value checked against each other method that
 * resolves it at all.
 *
 *  - "dense" / "shift-invert", the double eigensolver (hl_chain_spectrum):
 *    resolves a rate to SLOW_REL where it is not too far below the fast
 *    rates of its mode;
 *  - "gt-lanczos", Lanczos on the pseudo-inverse through the graph
 *    transformation (one factor): resolves a rate to SLOW_REL where it is
 *    not too far above the slowest one;
 *  - "rayleigh-ritz", the double eigensolvers' last step on gt-lanczos's
 *    vectors (no factor of its own): where shift-invert would run and its
 *    bound, vectors included, is met (slow_run_ritz);
 *  - "log-space", the fixed point on the reduced pencil (a factor or two
 *    per rate, hinted by gt-lanczos's vectors and values): the rest.
 *
 * Order (the table): dense first when the chain has at most
 * CHAIN_DENSE_LIMIT states (its cost is bounded); gt-lanczos;
 * rayleigh-ritz; shift-invert
 * only above the dense limit and when gt-lanczos failed (at low temperature
 * ARPACK spends its whole budget not converging: LJ13 at T = 0.02, 13 s;
 * the rates gt-lanczos leaves are those far above the slowest, for the
 * log-space method, which always comes last). */
#include "chain_plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "spectrum.h"

#define SLOW_REL 1e-12 /* relative bound above which another method refines */
#define DOUBLE_REACH 1e-4 /* the double solver's rates unchecked down to this
                             fraction of the fastest exit rate (below) */
/* Above LOG_REFINE_LIMIT active states a rate that the double eigensolver
 * or gt-lanczos already gives to LOG_REFINE_REL is not refined by the
 * log-space method: that method factors the whole chain once or twice per
 * rate (k = 3 blocks at D = 150, 132651 classes: about ten seconds per
 * factor, minutes for the in-basin rates whose double bound, 100 eps nu_max
 * / nu, is 1.1e-12 against SLOW_REL; k = 4 blocks at D = 60, 65536
 * classes: 25 s per factor, a degenerate pair that gt-lanczos gives to
 * 6.6e-12 tried 9 factors without settling); such a rate keeps the value
 * and bound of the method that resolves it.  Rates neither resolves to
 * that (the tunnelling rates) are still refined. */
#define LOG_REFINE_LIMIT 50000
#define LOG_REFINE_REL 1e-10

/* the method names reported: [double solver: none, dense,
 * shift-invert, rayleigh-ritz][gt-lanczos used][log space used] */
static const char *const slow_names[4][2][2] = {
    {{"none", "log-space"}, {"gt-lanczos", "gt-lanczos + log-space"}},
    {{"dense", "log-space + dense"}, {"gt-lanczos + dense", "gt-lanczos + log-space + dense"}},
    {{"shift-invert", "log-space + shift-invert"},
     {"gt-lanczos + shift-invert", "gt-lanczos + log-space + shift-invert"}},
    {{"rayleigh-ritz", "log-space + rayleigh-ritz"},
     {"gt-lanczos + rayleigh-ritz", "gt-lanczos + log-space + rayleigh-ritz"}}};

/* a value of another method agrees with a check value within their bounds */
static int slow_agree(double ln_v, double ln_ref, double rel_ref)
{
    return fabs(expm1(ln_v - ln_ref)) <= 2 * rel_ref + 1e-12;
}

/* The state shared by the methods of one call. */
typedef struct {
    hl_chain_plan *p;
    int k, kg;           /* rates wanted; gt-lanczos's (k + RITZ_EXTRA)  */
    long n, active;      /* states, states with ln pi > -inf            */
    double *ln_rates;    /* k: the answer so far (NaN: not yet)          */
    double *bound;       /* k: its relative bound                        */
    double *r;           /* k: the double eigensolver's rates (NaN: none) */
    hl_chain_result dr;  /* its method and resolution                    */
    int ds;              /* its status (-1: not run)                     */
    double *lg, *gerr;   /* k: gt-lanczos's ln rates and bounds          */
    double *gvec;        /* 2k: how far gt-lanczos's vectors may be off  */
    double *phi;         /* k x n: gt-lanczos's vectors                   */
    int have_phi;
    double ln_max_exit;  /* ln of the largest exit rate of a state         */
    char dwhy[300], gwhy[300];
} slow_ctx;

/* ---------------------------------------------------- the method table */

static int slow_dense_applies(const slow_ctx *c) { return c->active <= CHAIN_DENSE_LIMIT; }

/* Shift-invert above the dense limit: when gt-lanczos failed, or when a
 * rate it left may be within the double eigensolver's reach: its rough
 * estimate at least
 * SI_REACH times the largest exit rate, or no estimate at all.  Below that the rates left are far
 * under the fast ones and ARPACK spends its whole budget for nothing (LJ13
 * at T = 0.02: rates e^-65 under exits of order 1, 3 s lost); above it
 * (class lattices of k blocks: in-basin rates 1e-4 of the exits) it gives
 * them in seconds where the log-space method refactorises the whole chain
 * for each (k = 3, D = 60: minutes). */
#define SI_REACH 1e-12
static int slow_si_applies(const slow_ctx *c)
{
    if (c->active <= CHAIN_DENSE_LIMIT)
        return 0;
    if (!c->have_phi)
        return 1;
    double lmax = c->ln_max_exit;
    for (int q = 1; q < c->k && q < c->n; q++) {
        if (!isnan(c->ln_rates[q]))
            continue;
        double est = c->lg[q];
        if (isnan(est) || est - lmax >= log(SI_REACH))
            return 1;
    }
    return 0;
}

/* ln of the largest total exit rate of an active state */
static double ln_max_exit(const hl_rchain *rc)
{
    double lmax = -INFINITY;
    for (long a = 0; a < rc->n; a++) {
        if (rc->ln_pi[a] == -INFINITY)
            continue;
        double l = -INFINITY;
        for (long q = rc->adj_start[a]; q < rc->adj_start[a + 1]; q++) {
            long e = rc->adj_edge[q], g = rc->ea[e] == a ? rc->eb[e] : rc->ea[e];
            if (rc->ln_pi[g] > -INFINITY && rc->ln_c[e] > -INFINITY)
                l = hl_lse(l, rc->ln_c[e] + 0.5 * (rc->ln_pi[g] - rc->ln_pi[a]));
        }
        lmax = fmax(lmax, l);
    }
    return lmax;
}

static int slow_always(const slow_ctx *c)
{
    (void)c;
    return 1;
}

/* the double eigensolver (dense or shift-invert, as hl_chain_spectrum
 * picks by size): the rates it resolves to SLOW_REL replace any before */
static int slow_run_double(slow_ctx *c)
{
    c->ds = hl_chain_spectrum(c->p, c->k, c->r, &c->dr);
    if (c->ds == HL_ENOMEM)
        return c->ds;
    if (c->ds) {
        snprintf(c->dwhy, sizeof c->dwhy, "the double eigensolver failed: %s", hl_errmsg());
        for (int q = 0; q < c->k; q++)
            c->r[q] = NAN;
    }
    for (int q = 1; q < c->k && q < c->n; q++)
        if (!c->ds && c->r[q] > 0 && c->dr.resolution / c->r[q] <= SLOW_REL) {
            c->ln_rates[q] = log(c->r[q]);
            c->bound[q] = c->dr.resolution / c->r[q];
        }
    return HL_OK;
}

/* gt-lanczos: its vectors are kept for the log-space method's hints */
static int slow_run_gtl(slow_ctx *c)
{
    int gs = hl_rchain_slow_rates_gtl_ritz(&c->p->rc, c->kg, c->kg - c->k, 1e-3, c->lg, c->gerr,
                                           c->gvec,
                                           c->phi, NULL, c->gwhy, sizeof c->gwhy);
    if (gs == HL_ENOMEM)
        return gs;
    c->have_phi = !gs;
    if (gs) {
        snprintf(c->gwhy, sizeof c->gwhy, "%s", hl_errmsg());
        for (int q = 1; q < c->kg; q++)
            c->lg[q] = NAN;
    }
    /* a vector whose rate is not resolved even to 1e-3 is noise: zero, so
     * the log-space method chooses that representative by inverse
     * iteration instead */
    for (int q = 1; q < c->k && q < c->n; q++)
        if (c->have_phi && isnan(c->lg[q]))
            memset(c->phi + (size_t)q * (size_t)c->n, 0, sizeof(double) * (size_t)c->n);
    for (int q = 1; q < c->k && q < c->n; q++)
        if (isnan(c->ln_rates[q]) && !isnan(c->lg[q]) && c->gerr[q] <= SLOW_REL) {
            c->ln_rates[q] = c->lg[q];
            c->bound[q] = c->gerr[q];
        }
    return HL_OK;
}

/* The Rayleigh-Ritz step in Dirichlet form on gt-lanczos's vectors: the
 * step shift-invert ends with, on the same space (the slowest modes of the
 * same operator, S^+ = lim (-S + sigma)^-1), without shift-invert's own
 * factor and ARPACK runs (k = 4 blocks at D = 60: 22 s of CPU of 57).
 * Where shift-invert would run and gt-lanczos returned every vector with
 * a known distance to the rest of the spectrum (vec_err of
 * hl_rchain_slow_rates_gtl_ritz): each rate's bound is the double
 * solver's, 100 eps |v|^T |S| |v| / nu, plus the vector's part,
 * vec_err[2q] nu_max / nu_q + vec_err[2q + 1] (a pair split by the last
 * rate wanted, e.g. an in-basin rate and its copy plus the tunnelling
 * rate, has no gap: it goes to shift-invert).  The rates are kept only
 * when every one agrees with gt-lanczos's within their bounds and each
 * rate gt-lanczos left is resolved to SLOW_REL, all or none: otherwise
 * shift-invert runs as before. */
#define RITZ_EXTRA 2
static int slow_ritz_applies(const slow_ctx *c)
{
    if (!c->have_phi || !slow_si_applies(c))
        return 0;
    for (int q = 1; q < c->kg && q < c->n; q++)
        if (isnan(c->lg[q]) || !isfinite(c->gvec[2 * q]) || !isfinite(c->gvec[2 * q + 1]))
            return 0;
    return 1;
}

static int slow_run_ritz(slow_ctx *c)
{
    double *r = malloc(sizeof(double) * 2 * (size_t)c->kg), *re = r + c->kg, res = 0;
    if (!r)
        return hl_fail(HL_ENOMEM, "out of memory for %d rates", c->kg);
    int st = hl_rchain_spectrum_ritz(&c->p->rc, c->kg, c->phi, r, NULL, re);
    if (st) {
        free(r);
        return st == HL_ENOMEM ? st : HL_OK; /* shift-invert instead */
    }
    /* the resolution over the k rates wanted (the extra ones' not) */
    for (int q = 1; q < c->k && q < c->n; q++)
        res = fmax(res, re[q]);
    double numax = 2 * exp(c->ln_max_exit); /* Gershgorin */
    int ok = 1;
    for (int q = 1; q < c->k && q < c->n && ok; q++) {
        double rel = res / r[q] + c->gvec[2 * q] * (numax / r[q]) + c->gvec[2 * q + 1];
        /* the agreement as the cross-check after the methods tests it */
        ok = r[q] > 0 && isfinite(r[q]) &&
             slow_agree(log(r[q]), c->lg[q], res / r[q] + c->gerr[q]) &&
             (!isnan(c->ln_rates[q]) || rel <= SLOW_REL);
        c->r[q] = rel; /* kept below if all pass */
    }
    if (ok) {
        c->ds = HL_OK;
        c->dr = (hl_chain_result){"rayleigh-ritz", res};
        for (int q = 1; q < c->k && q < c->n; q++) {
            double rel = c->r[q];
            c->r[q] = r[q];
            if (isnan(c->ln_rates[q])) {
                c->ln_rates[q] = log(r[q]);
                c->bound[q] = rel;
            }
        }
        c->r[0] = 0;
    } else {
        for (int q = 0; q < c->k; q++)
            c->r[q] = NAN;
    }
    free(r);
    return HL_OK;
}

typedef struct {
    const char *name;
    int (*applies)(const slow_ctx *c);
    int (*run)(slow_ctx *c);
} slow_method;

static const slow_method slow_table[] = {
    {"dense", slow_dense_applies, slow_run_double},
    {"gt-lanczos", slow_always, slow_run_gtl},
    {"rayleigh-ritz", slow_ritz_applies, slow_run_ritz},
    {"shift-invert", slow_si_applies, slow_run_double},
};

/* ------------------------------------------- the log-space method, last */

/* rate q is given to LOG_REFINE_REL by the double solver or gt-lanczos */
static int slow_resolved(const slow_ctx *c, const double *drel, int q)
{
    return drel[q] <= LOG_REFINE_REL || (!isnan(c->lg[q]) && c->gerr[q] <= LOG_REFINE_REL);
}

/* The log-space fixed point for the rates still NaN, each kept only where
 * every other method that resolves it at all agrees (the fixed point can
 * settle on a value that is no eigenvalue when the pivot check misses a
 * negative direction).  *used: 1 if a value was kept; drel: the double
 * solver's relative bound per rate (INFINITY: none); lwhy: why rates were
 * left. */
static int slow_run_log(slow_ctx *c, const double *drel, int *used, char *lwhy, size_t lwhy_len)
{
    size_t sk = (size_t)c->k;
    unsigned char *wanted = calloc(sk, 1);
    double *lr = malloc(sizeof(double) * sk), *lr2 = malloc(sizeof(double) * sk);
    int st = HL_OK, need = 0;
    *used = 0;
    if (!wanted || !lr || !lr2) {
        st = hl_fail(HL_ENOMEM, "out of memory for %d rates", c->k);
        goto out;
    }
    for (int q = 1; q < c->k && q < c->n; q++)
        need |= (wanted[q] = isnan(c->ln_rates[q]) &&
                             !(c->active > LOG_REFINE_LIMIT && slow_resolved(c, drel, q)));
    if (!need)
        goto out;
    double lrel = NAN;
    st = hl_rchain_slow_rates_log_hint(&c->p->rc, c->k, c->have_phi ? c->phi : NULL, c->lg,
                                       wanted, lr, &lrel, lwhy, lwhy_len);
    if (st)
        goto out;
    /* the hints can fail: representatives from roughly resolved vectors,
     * or the rates skipped, whose fixed points would have corrected a
     * representative (a pivot that goes negative moves it).  Then the
     * method unhinted, every rate from 0 (LJ38-4k at T = 0.002), but only
     * for a rescue: a rate that no other method gives to
     * LOG_REFINE_REL.  A rate another method gives to that is only refined,
     * and the hinted attempt is all it gets (from 0 the fixed point takes
     * up to MAX_FIXED factors per rate and representative tried: k = 4
     * blocks at D = 40 with degenerate pairs, about 230 factors and two
     * minutes for bounds of 2.6e-12).  The rates after the last rescued
     * one are skipped (a rate's representatives are those of the rates
     * before it and its own). */
    int again = 0;
    for (int q = 1; q < c->k && q < c->n; q++)
        if (wanted[q] && isnan(lr[q]) && !slow_resolved(c, drel, q))
            again = q;
    if (again && (c->have_phi || !isnan(c->lg[1]))) {
        double lrel2 = NAN;
        char lwhy2[300] = "";
        unsigned char *upto = malloc(sk);
        if (!upto) {
            st = hl_fail(HL_ENOMEM, "out of memory for %d rates", c->k);
            goto out;
        }
        for (int q = 0; q < c->k; q++)
            upto[q] = q <= again;
        st = hl_rchain_slow_rates_log_hint(&c->p->rc, c->k, NULL, NULL, upto, lr2, &lrel2, lwhy2,
                                           sizeof lwhy2);
        free(upto);
        if (st)
            goto out;
        for (int q = 1; q < c->k && q < c->n; q++)
            if (wanted[q] && isnan(lr[q]) && !isnan(lr2[q])) {
                lr[q] = lr2[q];
                lrel = isnan(lrel) ? lrel2 : fmax(lrel, lrel2);
            }
        snprintf(lwhy, lwhy_len, "%s", lwhy2);
    }
    for (int q = 1; q < c->k && q < c->n; q++) {
        if (!wanted[q] || isnan(lr[q]))
            continue;
        if (isfinite(drel[q]) &&
            !(fabs(exp(lr[q]) - c->r[q]) <= 2 * c->dr.resolution + 1e-9 * c->r[q]))
            continue;
        if (!isnan(c->lg[q]) && !slow_agree(lr[q], c->lg[q], c->gerr[q]))
            continue;
        c->ln_rates[q] = lr[q];
        c->bound[q] = lrel;
        *used = 1;
    }
out:
    free(wanted);
    free(lr);
    free(lr2);
    return st;
}

/* The double solver's bound, 100 eps |v|^T |S| |v| (spectrum.c), is the
 * rounding of a Rayleigh quotient and holds where its vector is right.  A
 * vector the double solves cannot separate from a mode 1e20 times faster
 * has a quotient anywhere between the two: the in-basin chain of B =
 * exp(-0.3/(T (1 + y))) at D = 40, T = 0.1 gave 1.5e-26 for a rate of
 * 5.8e-46 (mpmath, 120 digits) under exit rates of 1e8.  gt-lanczos's
 * bound comes from the graph transformation's positive factor of the
 * whole chain, however fast its fast modes, so where the two disagree and
 * gt-lanczos resolves the rate to OVERRULE_REL it is kept, and the double
 * value dropped. */
#define OVERRULE_REL 1e-9
static void slow_overrule(slow_ctx *c, int q)
{
    c->ln_rates[q] = c->lg[q];
    c->bound[q] = c->gerr[q];
    c->r[q] = NAN;
}

/* ---------------------------------------------------------- the driver */

int hl_chain_slow_rates(hl_chain_plan *p, int k, double *ln_rates, char *why, size_t why_len,
                        hl_chain_result *result)
{
    return hl_chain_slow_rates_bounds(p, k, ln_rates, NULL, why, why_len, result);
}

int hl_chain_slow_rates_bounds(hl_chain_plan *p, int k, double *ln_rates, double *bounds,
                               char *why, size_t why_len, hl_chain_result *result)
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
    int rs = chain_plan_need(p, CHAIN_NEED_XF);
    if (rs)
        return rs;
    size_t sk = (size_t)k;
    slow_ctx c;
    memset(&c, 0, sizeof c);
    c.p = p;
    c.k = k;
    /* gt-lanczos computes RITZ_EXTRA more rates above the dense limit, so
     * that the Rayleigh-Ritz step's space may end at a wider gap than the
     * one after the k-th rate */
    c.kg = p->rc.n > CHAIN_DENSE_LIMIT && k > 1 ? k + RITZ_EXTRA : k;
    size_t skg = (size_t)c.kg;
    c.n = p->rc.n;
    c.ln_rates = ln_rates;
    c.ds = -1;
    c.dr = (hl_chain_result){"none", NAN};
    c.r = malloc(sizeof(double) * sk);
    c.lg = malloc(sizeof(double) * skg);
    c.gerr = malloc(sizeof(double) * skg);
    c.gvec = malloc(sizeof(double) * 2 * skg);
    c.bound = malloc(sizeof(double) * sk);
    c.phi = malloc(sizeof(double) * skg * (size_t)c.n);
    double *drel = malloc(sizeof(double) * sk);
    char lwhy[300] = "";
    int st = HL_OK;
    if (!c.r || !c.lg || !c.gerr || !c.gvec || !c.bound || !c.phi || !drel) {
        st = hl_fail(HL_ENOMEM, "out of memory for %d rates", k);
        goto out;
    }
    for (int q = 0; q < k; q++) {
        ln_rates[q] = q == 0 ? -INFINITY : NAN;
        c.bound[q] = q == 0 ? 0 : NAN;
        c.r[q] = NAN;
        drel[q] = INFINITY;
    }
    for (int q = 0; q < c.kg; q++)
        c.lg[q] = c.gerr[q] = c.gvec[2 * q] = c.gvec[2 * q + 1] = NAN;
    for (long a = 0; a < c.n; a++)
        c.active += p->rc.ln_pi[a] > -INFINITY;
    c.ln_max_exit = ln_max_exit(&p->rc);
    for (size_t mi = 0; mi < sizeof slow_table / sizeof slow_table[0]; mi++) {
        int need = 0;
        for (int q = 1; q < k && q < c.n; q++)
            need |= isnan(ln_rates[q]);
        /* the dense solver's rates are checked by gt-lanczos even when it
         * resolved them all (its bound holds only where its vectors do:
         * slow_overrule); both are cheap at the dense sizes */
        int check = slow_table[mi].run == slow_run_gtl && c.ds == HL_OK && !c.have_phi &&
                    c.active <= CHAIN_DENSE_LIMIT;
        if (!need && !check)
            break;
        if (!slow_table[mi].applies(&c))
            continue;
        if ((st = slow_table[mi].run(&c)))
            goto out;
    }
    if (c.ds < 0 && c.have_phi && c.active > CHAIN_DENSE_LIMIT)
        snprintf(c.dwhy, sizeof c.dwhy, "the double eigensolver was not run (gt-lanczos "
                                        "resolves the slowest rates)");
    /* the double solver's relative bound of each rate it gave at all (r is
     * NaN where it was not run or failed), INFINITY for none; then the
     * cross-checks of the values so far: double against gt-lanczos */
    for (int q = 1; q < k && q < c.n; q++) {
        drel[q] = c.r[q] > 0 && isfinite(c.r[q]) ? c.dr.resolution / c.r[q] : INFINITY;
        if (isfinite(drel[q]) && !isnan(c.lg[q]) &&
            !slow_agree(c.lg[q], log(c.r[q]), drel[q] + c.gerr[q])) {
            if (!(c.gerr[q] <= OVERRULE_REL)) {
                st = hl_fail(HL_ENOCONV, "slow rate %d: the double eigensolver (%.12g) and "
                                         "gt-lanczos (%.12g) disagree", q, c.r[q],
                             exp(c.lg[q]));
                goto out;
            }
            slow_overrule(&c, q);
            drel[q] = INFINITY;
        }
    }
    /* the double solver's reach: its rates are exact in their digits only
     * where the shifted solves are accurate, a rate above DOUBLE_REACH of
     * the fastest exit rate (eps nu_max / nu below about 1e-12).  A rate
     * below it stands only where gt-lanczos confirms it (above), otherwise
     * it is dropped for the log-space method (certified by Sylvester's
     * law): the class lattice of two blocks at D = 20, beta = 50 (exits up
     * to e^196) gave e^101.6 for nu_2 = e^22.98 (mpmath, 480 digits), with
     * a bound of 1e-13, and missed nu_3, nu_4. */
    int unreached = 0;
    double lreach = c.ln_max_exit + log(DOUBLE_REACH);
    for (int q = 1; q < k && q < c.n; q++) {
        if (!isfinite(drel[q]) || log(c.r[q]) >= lreach)
            continue;
        if (!isnan(c.lg[q]) && c.gerr[q] <= 1e-3)
            continue; /* confirmed by gt-lanczos (checked above) */
        if (!unreached)
            snprintf(c.dwhy, sizeof c.dwhy,
                     "the double eigensolver's rate %d (%.6g) is %.2g of the fastest exit rate, "
                     "below the reach of its bound (%g), and no other method confirms it", q,
                     c.r[q], exp(log(c.r[q]) - c.ln_max_exit), DOUBLE_REACH);
        unreached = 1;
        if (ln_rates[q] == log(c.r[q]))
            ln_rates[q] = NAN;
        drel[q] = INFINITY;
    }
    int used_l = 0;
    if ((st = slow_run_log(&c, drel, &used_l, lwhy, sizeof lwhy)))
        goto out;
    /* what is left: the best value any method resolves, with its bound */
    for (int q = 1; q < k && q < c.n; q++) {
        if (!isnan(ln_rates[q]))
            continue;
        double rd = drel[q];
        double rg = !isnan(c.lg[q]) ? c.gerr[q] : INFINITY;
        if (rd <= 1e-3 && rd <= rg) {
            ln_rates[q] = log(c.r[q]);
            c.bound[q] = rd;
        } else if (rg <= 1e-3) {
            ln_rates[q] = c.lg[q];
            c.bound[q] = rg;
        }
    }
    /* the rounding of the chain's values (hl_chain_set_input_errors): every
     * rate within a factor e^(delta_A + 2 delta_M) */
    double in_rel = p->has_err ? expm1(p->err_a + 2 * p->err_m) : 0.0;
    double rel = 0;
    int left = 0, used_d = 0, used_g = 0;
    for (int q = 1; q < k && q < c.n; q++) {
        if (isnan(ln_rates[q])) {
            left++;
            continue;
        }
        c.bound[q] += in_rel * (1 + c.bound[q]);
        rel = fmax(rel, c.bound[q]);
        if (isfinite(drel[q]) && ln_rates[q] == log(c.r[q]))
            used_d = 1;
        else if (!isnan(c.lg[q]) && ln_rates[q] == c.lg[q])
            used_g = 1;
    }
    if (left && why && why_len)
        snprintf(why, why_len, "%s%s%s%s%s",
                 c.dwhy[0] ? c.dwhy : "below the double eigensolver's resolution",
                 c.gwhy[0] ? "; gt-lanczos: " : "", c.gwhy, lwhy[0] ? "; log space: " : "", lwhy);
    int dbl = c.ds                                  ? 0
              : !strcmp(c.dr.method, "dense")         ? 1
              : !strcmp(c.dr.method, "rayleigh-ritz") ? 3
                                                      : 2;
    if (result) {
        result->method = slow_names[used_d ? dbl : 0][used_g][used_l];
        result->resolution = rel;
    }
    if (bounds)
        for (int q = 0; q < k; q++)
            bounds[q] = q == 0 ? 0.0 : q < c.n && !isnan(ln_rates[q]) ? c.bound[q] : NAN;
out:
    free(c.r);
    free(c.lg);
    free(c.gerr);
    free(c.gvec);
    free(c.bound);
    free(c.phi);
    free(drel);
    return st;
}
