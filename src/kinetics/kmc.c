/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kmc.c -- kinetic Monte Carlo plans and one trajectory (kmc.h): the
 * rejection-free method (Gillespie; Bortz, Kalos and Lebowitz) on
 * per-state tables built in logs at the final beta, and thinning with a
 * rigorous rate bound per window while a temperature protocol changes
 * beta (the header says why the bound holds). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "kmc_plan.h"
#include "rng_stream.h"

#define KMC_WINDOW_DLNBETA 0.02 /* windows cut where ln beta changes more   */
#define KMC_WINDOWS_MAX 100000  /* windows per protocol row at most          */
#define KMC_DEFAULT_MAX_EVENTS 1000000000L
#define KMC_TABLE_MAX 4000000L  /* windows x edges for the thinning tables    */

uint64_t hl_kmc_seed_draw(void)
{
    return hl_rng_seed_draw();
}

void hl_kmc_free(hl_kmc *k)
{
    if (!k)
        return;
    hl_rate_terms_free(&k->rt);
    free(k->ln_exit);
    free(k->inv_exit);
    free(k->cum);
    free(k->wt);
    free(k->wb);
    free(k->wlr);
    free(k->wle);
    free(k->wcum);
    free(k);
}

long hl_kmc_states(const hl_kmc *k)
{
    return k ? k->rt.n : 0;
}

/* the largest ln k over the protocol's range of beta: convex in beta, so
 * at its smallest or largest beta (B(T) bounded over the T range) */
static int check_range(const hl_kmc *k, const hl_protocol *p)
{
    double bmin = INFINITY, bmax = 0;
    for (size_t r = 0; r < hl_protocol_rows(p); r++) {
        double b = hl_protocol_beta(p, hl_protocol_time(p, r));
        bmin = fmin(bmin, b);
        bmax = fmax(bmax, b);
    }
    for (long a = 0; a < k->rt.n; a++) {
        double lr = -INFINITY;
        for (long j = k->rt.src_start[a]; j < k->rt.src_start[a + 1]; j++) {
            double lb;
            int st = hl_rate_terms_ln_bound(&k->rt, j, bmin, bmax, &lb);
            if (st)
                return st;
            if (isnan(lb))
                return hl_fail(HL_EDOM, "a rate out of state %ld is NaN", a);
            lr = hl_lse(lr, lb);
        }
        if (!(lr < 700))
            return hl_fail(HL_ERANGE, "the exit rate of state %ld overflows a double at a beta "
                                      "in [%g, %g] (ln R = %g)", a, bmin, bmax, lr);
    }
    return HL_OK;
}

/* The bound of every rate in every window (beta from wb[w] to wb[w + 1]),
 * with a margin for the round-off of beta(t) at the window's ends, the
 * bound of each state's exit rate and the cumulative shares: a candidate
 * then picks its channel j with probability bound_j / bound of R and is
 * accepted with probability k_j(beta(t)) / bound_j (thinning channel by
 * channel: one rate evaluated per candidate instead of every rate of the
 * state).  Skipped (tables NULL) above KMC_TABLE_MAX entries. */
static int thinning_tables(hl_kmc *k)
{
    const hl_rate_terms *rt = &k->rt;
    long n = rt->n, ne = rt->ne;
    if (ne == 0 || (double)k->nw * (double)ne > (double)KMC_TABLE_MAX)
        return HL_OK;
    size_t nw = k->nw;
    k->wlr = malloc(sizeof(double) * nw * (size_t)n);
    k->wle = malloc(sizeof(double) * nw * (size_t)ne);
    k->wcum = malloc(sizeof(double) * nw * (size_t)ne);
    if (!k->wlr || !k->wle || !k->wcum) {
        free(k->wlr);
        free(k->wle);
        free(k->wcum);
        k->wlr = k->wle = k->wcum = NULL;
        return HL_OK; /* the per-candidate bound needs no table */
    }
    for (size_t w = 0; w < nw; w++) {
        double *le = k->wle + w * (size_t)ne, *cum = k->wcum + w * (size_t)ne;
        for (long a = 0; a < n; a++) {
            long j0 = rt->src_start[a], j1 = rt->src_start[a + 1];
            double lr = -INFINITY;
            for (long j = j0; j < j1; j++) {
                double v;
                int st = hl_rate_terms_ln_bound(rt, j, k->wb[w], k->wb[w + 1], &v);
                if (st)
                    return st;
                if (v > -INFINITY)
                    v += 1e-12 * (1 + fabs(v)); /* round-off of beta(t) at the ends */
                le[j] = v;
                lr = hl_lse(lr, v);
            }
            k->wlr[w * (size_t)n + (size_t)a] = lr;
            double c = 0;
            for (long j = j0; j < j1; j++) {
                c += lr > -INFINITY ? exp(le[j] - lr) : 0.0;
                cum[j] = c;
            }
            if (j1 > j0)
                cum[j1 - 1] = 1.0;
        }
    }
    return HL_OK;
}

int hl_kmc_finish(hl_kmc *k, const hl_protocol *p)
{
    int st = hl_protocol_check(p);
    if (st)
        return st;
    k->p = p;
    long n = k->rt.n, ne = k->rt.ne;
    k->t_settle = hl_protocol_settle_time(p);
    k->beta_end = hl_protocol_beta(p, k->t_settle);
    if ((st = check_range(k, p)))
        return st;
    k->ln_exit = malloc(sizeof(double) * (size_t)n);
    k->inv_exit = malloc(sizeof(double) * (size_t)n);
    k->cum = malloc(sizeof(double) * (size_t)(ne ? ne : 1));
    if (!k->ln_exit || !k->inv_exit || !k->cum)
        return hl_fail(HL_ENOMEM, "out of memory for the tables of %ld states", n);
    k->max_degree = 1;
    for (long a = 0; a < n; a++) {
        long j0 = k->rt.src_start[a], j1 = k->rt.src_start[a + 1];
        if (j1 - j0 > k->max_degree)
            k->max_degree = j1 - j0;
        double mx = -INFINITY;
        for (long j = j0; j < j1; j++) {
            k->cum[j] = hl_rate_terms_ln_rate(&k->rt, j, k->beta_end);
            mx = fmax(mx, k->cum[j]);
        }
        /* ln R = mx + ln sum exp(ln k - mx): the sum is in [1, degree] */
        double s = 0;
        for (long j = j0; j < j1 && mx > -INFINITY; j++)
            s += exp(k->cum[j] - mx);
        double lr = mx > -INFINITY ? mx + log(s) : -INFINITY;
        k->ln_exit[a] = lr;
        k->inv_exit[a] = exp(-lr); /* +inf below ~1e-308: never leaves */
        double c = 0;
        for (long j = j0; j < j1; j++) {
            c += lr > -INFINITY ? exp(k->cum[j] - lr) : 0.0;
            k->cum[j] = c;
        }
        if (j1 > j0)
            k->cum[j1 - 1] = 1.0;
    }
    /* thinning windows: each row of the protocol before it settles, cut
     * where ln beta changes by more than KMC_WINDOW_DLNBETA; beta(t) is
     * monotone inside a row (linear in beta or in T) */
    size_t rows = hl_protocol_rows(p), nw = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t w = 0;
        for (size_t r = 0; r + 1 < rows; r++) {
            double t0 = hl_protocol_time(p, r), t1 = hl_protocol_time(p, r + 1);
            if (!(t0 < k->t_settle))
                break;
            double b0 = hl_protocol_beta(p, t0), b1 = hl_protocol_beta(p, t1);
            double cuts = ceil(fabs(log(b1 / b0)) / KMC_WINDOW_DLNBETA);
            long m = cuts < 1 ? 1 : cuts > KMC_WINDOWS_MAX ? KMC_WINDOWS_MAX : (long)cuts;
            for (long i = 0; i < m; i++) {
                if (pass) {
                    double t = i == 0 ? t0 : t0 + (t1 - t0) * ((double)i / (double)m);
                    k->wt[w] = t;
                    k->wb[w] = hl_protocol_beta(p, t);
                }
                w++;
            }
        }
        if (pass == 0) {
            nw = w;
            if (nw == 0)
                break;
            k->wt = malloc(sizeof(double) * (nw + 1));
            k->wb = malloc(sizeof(double) * (nw + 1));
            if (!k->wt || !k->wb)
                return hl_fail(HL_ENOMEM, "out of memory for %zu windows", nw);
        } else {
            k->wt[nw] = k->t_settle;
            k->wb[nw] = k->beta_end;
        }
    }
    k->nw = nw;
    return nw ? thinning_tables(k) : HL_OK;
}

int hl_kmc_prepare(const hl_kmc *k, const hl_kmc_options *o, double **p0cum,
                   unsigned char **target)
{
    *p0cum = NULL;
    *target = NULL;
    if (!k || !o)
        return hl_fail(HL_EINVAL, "kmc: NULL argument");
    if (!o->times || o->n_times < 1)
        return hl_fail(HL_EINVAL, "kmc: no observation times");
    for (size_t i = 0; i < o->n_times; i++) {
        if (!isfinite(o->times[i]) || o->times[i] < 0)
            return hl_fail(HL_EDOM, "time %g is not a non-negative finite number", o->times[i]);
        if (i > 0 && !(o->times[i] > o->times[i - 1]))
            return hl_fail(HL_EDOM, "times are not strictly increasing (%g after %g)",
                           o->times[i], o->times[i - 1]);
    }
    if (o->every < 0 || o->max_events < 0)
        return hl_fail(HL_EDOM, "kmc: every and max_events must be >= 0");
    long n = k->rt.n;
    if (!o->p0 && (o->start < 0 || o->start >= n))
        return hl_fail(HL_EINVAL, "start state %ld is not one of 0..%ld", o->start, n - 1);
    if (o->target && o->n_target) {
        unsigned char *t = calloc((size_t)n, 1);
        if (!t)
            return hl_fail(HL_ENOMEM, "out of memory");
        for (size_t i = 0; i < o->n_target; i++) {
            long s = o->target[i];
            if (s < 0 || s >= n || t[s]) {
                free(t);
                return hl_fail(HL_EINVAL, "target state %ld is %s", s,
                               s < 0 || s >= n ? "not a state" : "given twice");
            }
            t[s] = 1;
        }
        *target = t;
    } else if (o->n_target) {
        return hl_fail(HL_EINVAL, "kmc: n_target = %zu without target states", o->n_target);
    }
    if (o->p0) {
        double *c = malloc(sizeof(double) * (size_t)n);
        if (!c) {
            free(*target);
            *target = NULL;
            return hl_fail(HL_ENOMEM, "out of memory");
        }
        long double s = 0;
        for (long a = 0; a < n; a++) {
            if (!(o->p0[a] >= 0) || !isfinite(o->p0[a])) {
                free(c);
                free(*target);
                *target = NULL;
                return hl_fail(HL_EDOM, "start probability of state %ld is %g", a, o->p0[a]);
            }
            s += o->p0[a];
            c[a] = (double)s;
        }
        if (!(fabsl(s - 1) <= 1e-9)) {
            free(c);
            free(*target);
            *target = NULL;
            return hl_fail(HL_EDOM, "the start distribution sums to %.17g, not 1",
                           (double)s);
        }
        *p0cum = c;
    }
    return HL_OK;
}

/* the first state a with u * total < cum[a] */
static long draw_start(const double *cum, long n, double u)
{
    double x = u * cum[n - 1];
    long lo = 0, hi = n - 1;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (x < cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    /* a state of zero probability is never drawn: step back over ties */
    while (lo > 0 && cum[lo] == cum[lo - 1])
        lo--;
    return lo;
}

typedef struct {
    const hl_kmc_options *o;
    long *state_at;
    size_t kobs;
} observer;

/* every observation time before t sees state a */
static inline void observe_until(observer *ob, double t, long a)
{
    const double *tm = ob->o->times;
    size_t nt = ob->o->n_times;
    while (ob->kobs < nt && tm[ob->kobs] < t)
        ob->state_at[ob->kobs++] = a;
}

int hl_kmc_run(const hl_kmc *k, const hl_kmc_options *o, const double *p0cum,
               const unsigned char *target, uint64_t id, long *state_at,
               hl_kmc_record *records, size_t cap, double *work, hl_kmc_info *info)
{
    const hl_rate_terms *rt = &k->rt;
    hl_rng_stream rng;
    hl_rng_stream_init(&rng, o->seed, id);
    long a = p0cum ? draw_start(p0cum, rt->n, hl_rng_stream_uniform(&rng)) : o->start;
    memset(info, 0, sizeof *info);
    info->start = a;
    info->fpt = NAN;
    long max_ev = o->max_events > 0 ? o->max_events : KMC_DEFAULT_MAX_EVENTS;
    double t_last = o->times[o->n_times - 1];
    observer ob = {o, state_at, 0};
    int hit = !target; /* 1 once the target is reached (or there is none) */
    if (target && target[a]) {
        info->fpt = 0;
        hit = 1;
    }
    double t = 0;
    long events = 0, cand = 0;
    size_t w = 0;
    long cache_a = -1; /* the state and window of cache_lb */
    size_t cache_w = 0;
    double cache_lb = -INFINITY;
    while (!(ob.kobs == o->n_times && hit)) {
        if (events >= max_ev) {
            info->truncated = 1;
            break;
        }
        long j0 = rt->src_start[a], j1 = rt->src_start[a + 1], j = -1;
        if (w < k->nw && k->wlr) {
            /* thinning channel by channel inside window w (the tables) */
            double lb = k->wlr[w * (size_t)rt->n + (size_t)a];
            double e = hl_rng_stream_exponential(&rng);
            double tn = lb > -INFINITY ? t + e * exp(-lb) : INFINITY;
            if (!(tn < k->wt[w + 1])) {
                t = k->wt[w + 1];
                observe_until(&ob, t, a);
                w++;
                continue;
            }
            observe_until(&ob, tn, a);
            t = tn;
            if (ob.kobs == o->n_times && hit)
                break;
            cand++;
            const double *cum = k->wcum + w * (size_t)rt->ne;
            double u = hl_rng_stream_uniform(&rng);
            if (j1 - j0 <= 16) {
                j = j0;
                while (j < j1 - 1 && !(u < cum[j]))
                    j++;
            } else {
                long lo = j0, hi = j1 - 1;
                while (lo < hi) {
                    long mid = lo + (hi - lo) / 2;
                    if (u < cum[mid])
                        hi = mid;
                    else
                        lo = mid + 1;
                }
                j = lo;
            }
            double lk = hl_rate_terms_ln_rate(rt, j, hl_protocol_beta(k->p, t));
            double le = k->wle[w * (size_t)rt->ne + (size_t)j];
            if (lk > le + 1e-9 * (1 + fabs(le)))
                return hl_fail(HL_ENOCONV, "kmc: rate %ld (state %ld) is above its bound in "
                                           "window %zu (ln %.17g > ln %.17g)",
                               j, a, w, lk, le);
            if (!(hl_rng_stream_uniform(&rng) < exp(lk - le)))
                continue;
        } else if (w < k->nw) {
            /* thinning inside window w (t in [wt[w], wt[w+1])); the bound
             * is kept while the state and the window stay (rejections) */
            if (a != cache_a || w != cache_w) {
                double bm = -INFINITY, bs = 0;
                for (long q = j0; q < j1; q++) {
                    int st = hl_rate_terms_ln_bound(rt, q, k->wb[w], k->wb[w + 1], &work[q - j0]);
                    if (st)
                        return st;
                    bm = fmax(bm, work[q - j0]);
                }
                for (long q = j0; q < j1 && bm > -INFINITY; q++)
                    bs += exp(work[q - j0] - bm);
                cache_lb = bm > -INFINITY ? bm + log(bs) : -INFINITY;
                cache_lb += 1e-12 * (1 + fabs(cache_lb)); /* round-off of beta(t) at the ends */
                cache_a = a;
                cache_w = w;
            }
            double lb = cache_lb;
            double e = hl_rng_stream_exponential(&rng);
            double tn = lb > -INFINITY ? t + e * exp(-lb) : INFINITY;
            if (!(tn < k->wt[w + 1])) {
                t = k->wt[w + 1];
                observe_until(&ob, t, a);
                w++;
                continue;
            }
            observe_until(&ob, tn, a);
            t = tn;
            if (ob.kobs == o->n_times && hit)
                break;
            cand++;
            /* the rates at beta(t) relative to their largest: one exp per
             * edge and no log (ln R = mx + ln sum) */
            double beta = hl_protocol_beta(k->p, t), mx = -INFINITY, sum = 0;
            for (long q = j0; q < j1; q++) {
                work[q - j0] = hl_rate_terms_ln_rate(rt, q, beta);
                mx = fmax(mx, work[q - j0]);
            }
            for (long q = j0; q < j1 && mx > -INFINITY; q++)
                sum += (work[q - j0] = exp(work[q - j0] - mx));
            /* accepted with probability R / R^: u R^ < R, i.e. v < sum */
            double v = mx > -INFINITY ? hl_rng_stream_uniform(&rng) * exp(lb - mx) : INFINITY;
            if (!(v < sum))
                continue;
            double c = 0;
            for (long q = j0; q < j1; q++) {
                c += work[q - j0];
                if (v < c || q == j1 - 1) {
                    j = q;
                    break;
                }
            }
            /* a rounding tail: the last edge with a rate */
            while (j > j0 && work[j - j0] == 0)
                j--;
        } else {
            double e = hl_rng_stream_exponential(&rng);
            double tn = t + e * k->inv_exit[a]; /* +inf: never leaves */
            observe_until(&ob, tn, a);
            if (!(tn < INFINITY))
                break; /* kept forever: the target, if any, is not reached */
            t = tn;
            if (ob.kobs == o->n_times && hit)
                break;
            double u = hl_rng_stream_uniform(&rng);
            const double *cum = k->cum;
            j = j0;
            if (j1 - j0 <= 16) {
                while (j < j1 - 1 && !(u < cum[j]))
                    j++;
            } else {
                long lo = j0, hi = j1 - 1;
                while (lo < hi) {
                    long mid = lo + (hi - lo) / 2;
                    if (u < cum[mid])
                        hi = mid;
                    else
                        lo = mid + 1;
                }
                j = lo;
            }
        }
        a = rt->dst[j];
        events++;
        if (!hit && target[a]) {
            info->fpt = t;
            hit = 1;
        }
        if (o->every > 0 && events % o->every == 0 && t <= t_last) {
            if (records && info->n_records < cap) {
                records[info->n_records].t = t;
                records[info->n_records].state = a;
            }
            info->n_records++;
        }
    }
    for (size_t i = ob.kobs; i < o->n_times; i++)
        state_at[i] = info->truncated ? -1 : a;
    info->events = events;
    info->candidates = cand;
    return HL_OK;
}

int hl_kmc_trajectory(const hl_kmc *k, const hl_kmc_options *o, uint64_t id, long *state_at,
                      hl_kmc_record *records, size_t cap, hl_kmc_info *info)
{
    if (!state_at || !info)
        return hl_fail(HL_EINVAL, "hl_kmc_trajectory: NULL argument");
    double *p0cum;
    unsigned char *target;
    int st = hl_kmc_prepare(k, o, &p0cum, &target);
    if (st)
        return st;
    double *work = malloc(sizeof(double) * (size_t)k->max_degree);
    if (!work)
        st = hl_fail(HL_ENOMEM, "out of memory");
    else
        st = hl_kmc_run(k, o, p0cum, target, id, state_at, records, cap, work, info);
    free(work);
    free(p0cum);
    free(target);
    return st;
}

int hl_kmc_create_chain(const hl_chain *chain, const hl_protocol *p, hl_kmc **out)
{
    if (!chain || !p || !out)
        return hl_fail(HL_EINVAL, "hl_kmc_create_chain: NULL argument");
    *out = NULL;
    hl_kmc *k = calloc(1, sizeof *k);
    if (!k)
        return hl_fail(HL_ENOMEM, "out of memory for a plan");
    int st = hl_chain_check_protocol(chain, p); /* a chain right at one T only */
    if (!st)
        st = hl_chain_rate_terms(chain, &k->rt);
    if (!st)
        st = hl_kmc_finish(k, p);
    if (st) {
        hl_kmc_free(k);
        return st;
    }
    *out = k;
    return HL_OK;
}
