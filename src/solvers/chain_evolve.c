/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chain_evolve.c -- the driver of the master equation of a reversible chain
 * (chain_evolve.h): the protocol until it settles by CVODE, then a fixed
 * beta by the Krylov exponential (CVODE if it fails) up to the switch time
 * of the slow modes and the exact relaxation of the slowest mode after it;
 * the operator I - gamma L the integrators share. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evolve_impl.h"
#include "blas_threads.h"
#include "core.h"
#include "kinetics_private.h" /* hl_check_times, hl_protocol_settle_time */
#include "lumped.h"
#include "slow_modes.h"

static int evolve(hl_rchain *c, hl_rchain_fill_fn fill, void *ctx, const hl_protocol *p,
                  const double *p0, const double *times, size_t n_times, double rtol,
                  double *p_out, hl_rchain_evolve_info *info, int force_cvode,
                  const hl_rchain_evolve_opts *opts);

int hl_ev_at(hl_ev *e, double t)
{
    if (!e->varying)
        return HL_OK;
    double beta = hl_protocol_beta(e->p, t);
    if (beta == e->beta)
        return HL_OK;
    int st = e->fill(e->ctx, beta, e->c);
    if (st)
        return st;
    e->fills++;
    st = hl_active_same_states(&e->ch, e->c);
    if (!st)
        st = hl_active_rates(&e->ch, e->c);
    if (st)
        return st;
    e->beta = beta;
    return HL_OK;
}

int hl_ev_pattern(hl_ev *e)
{
    const hl_active *ch = &e->ch;
    long m = ch->m, nnz = m + 2 * ch->ne;
    e->Ap = malloc(sizeof(SuiteSparse_long) * (size_t)(m + 1));
    e->Ai = malloc(sizeof(SuiteSparse_long) * (size_t)nnz);
    e->Ax = malloc(sizeof(double) * (size_t)nnz);
    e->tmp = malloc(sizeof(double) * (size_t)m);
    if (!e->Ap || !e->Ai || !e->Ax || !e->tmp)
        return hl_fail(HL_ENOMEM, "out of memory for the preconditioner of %ld states", m);
    long p = 0;
    for (long a = 0; a < m; a++) {
        e->Ap[a] = p;
        int diag = 0;
        for (long r = ch->start[a]; r < ch->start[a + 1]; r++) {
            long b = hl_active_other(ch, ch->nbe[r], a);
            if (!diag && b > a) {
                e->Ai[p++] = a;
                diag = 1;
            }
            e->Ai[p++] = b;
        }
        if (!diag)
            e->Ai[p++] = a;
    }
    e->Ap[m] = p;
    umfpack_dl_defaults(e->control);
    e->control[UMFPACK_PRL] = 0;
    e->control[UMFPACK_IRSTEP] = 0;
    e->control[UMFPACK_STRATEGY] = UMFPACK_STRATEGY_SYMMETRIC;
    e->control[UMFPACK_ORDERING] = UMFPACK_ORDERING_METIS;
    return HL_OK;
}

void hl_ev_assemble(hl_ev *e, double gamma, int sym)
{
    const hl_active *ch = &e->ch;
    long m = ch->m, p = 0;
    for (long a = 0; a < m; a++) {
        int diag = 0;
        for (long r = ch->start[a]; r < ch->start[a + 1]; r++) {
            long k = ch->nbe[r], b = hl_active_other(ch, k, a);
            if (!diag && b > a) {
                e->Ax[p++] = 1.0 + gamma * ch->out[a];
                diag = 1;
            }
            e->Ax[p++] = -gamma * (sym ? ch->c[k] : ch->ea[k] == a ? ch->up[k] : ch->dn[k]);
        }
        if (!diag)
            e->Ax[p++] = 1.0 + gamma * ch->out[a];
    }
}

/* Neumaier-compensated sum */
double hl_ev_sum(const double *x, long n)
{
    double s = 0, c = 0;
    for (long i = 0; i < n; i++) {
        double t = s + x[i];
        c += fabs(s) >= fabs(x[i]) ? (s - t) + x[i] : (x[i] - t) + s;
        s = t;
    }
    return s + c;
}

/* at the fixed beta of the chain: the Krylov exponential, CVODE if it does
 * not converge (or HL_GRIDCHAIN_CVODE is set) */
static int run_fixed(hl_ev *e, const double *y0, const double *taus, size_t nt, double rtol, double atol, double *yout,
                     hl_rchain_evolve_info *info)
{
    long m = e->ch.m;
    int st = HL_OK;
    double lim = 10 * rtol + 1e-12;
    if (!e->force_cvode && !getenv("HL_GRIDCHAIN_CVODE")) {
        int sym0 = 0;
        /* groups of output times spanning at most two decades, one pole each */
        for (size_t k0 = 0; k0 < nt && !st;) {
            size_t k1 = k0 + 1;
            double tlo = taus[k0] > 0 ? taus[k0] : -1;
            while (k1 < nt && (tlo < 0 ? (tlo = taus[k1], 1) : taus[k1] <= 100 * tlo))
                k1++;
            /* Arnoldi first (its numbers are those of every chain where it
             * works); if the small exponential failed or the result is not
             * a probability vector, Lanczos on the symmetrised operator, and
             * for the later groups too (the chain is stiff) */
            for (int sym = sym0; sym < 2; sym++) {
                st = hl_ev_krylov(e, y0, taus + k0, k1 - k0, rtol, sym, yout + k0 * (size_t)m, info);
                int bad = 0;
                /* a result that is not a probability vector did not converge */
                for (size_t k = k0; !st && k < k1; k++) {
                    const double *yv = yout + k * (size_t)m;
                    double mn = INFINITY;
                    for (long a = 0; a < m; a++)
                        mn = fmin(mn, yv[a]);
                    if (!(fabs(hl_ev_sum(yv, m) - 1) <= lim) || !(mn >= -lim))
                        st = HL_ENOCONV, bad = 1;
                }
                if (st != HL_ENOCONV || !(bad || e->small_failed))
                    break;
                sym0 = 1;
            }
            k0 = k1;
        }
        if (st == HL_OK) {
            info->method = HL_RCHAIN_KRYLOV;
            info->method_name = "krylov";
            return HL_OK;
        }
        if (st != HL_ENOCONV)
            return st;
        umfpack_dl_free_numeric(&e->num); /* fall back to CVODE */
        e->fgamma = 0;
    }
    info->method = HL_RCHAIN_CVODE;
        info->method_name = "cvode";
    return hl_ev_cvode(e, y0, 0.0, taus, nt, rtol, atol, yout, info);
}

/* max |a - b| over the chain's states of two full-length states */
static double full_diff(const hl_ev *e, const double *a, const double *b)
{
    double d = 0;
    for (long r = 0; r < e->ch.m; r++) {
        long i = e->ch.state[r];
        d = fmax(d, fabs(a[i] - b[i]));
    }
    return d;
}

/* The switch time is only as good as lambda2: an eigensolver that
 * overestimates it at huge rate ratios (the product path's chain b at D =
 * 12, beta = 20: 3.1e12 for the true 2.35e10) switches to the slowest mode
 * before the other modes have decayed, and the state freezes wrong.  Check
 * it: integrate from the switch state on to 100 tsw and compare with the
 * slowest mode's relaxation over the same time; while they differ (by more
 * than the integrators' error), tsw grows a hundredfold (up to tmax: then
 * every output is integrated).  *tsw unchanged when it holds. */
static int verify_switch(hl_ev *e, hl_rchain_slow *s, const double *y0, double tmax,
                         double rtol, double atol, double *tsw, hl_rchain_evolve_info *info)
{
    long m = e->ch.m, n = e->ch.n;
    if (isnan(*tsw) || !(*tsw > 0))
        return HL_OK;
    double tol = fmax(10 * rtol, fmin(1e3 * rtol, 1e-4)) + 1e-9;
    double *y1 = malloc(sizeof(double) * (size_t)m), *y2 = malloc(sizeof(double) * (size_t)m);
    double *f1 = calloc((size_t)n, sizeof(double)), *f2 = calloc((size_t)n, sizeof(double));
    double *fr = calloc((size_t)n, sizeof(double));
    int st = HL_OK;
    if (!y1 || !y2 || !f1 || !f2 || !fr) {
        st = hl_fail(HL_ENOMEM, "out of memory for a chain of %ld states", m);
        goto done;
    }
    hl_rchain_evolve_info loc = *info; /* the check's work is not the outputs' */
    while (*tsw < tmax) {
        double t1 = *tsw, dt = 99 * t1;
        if (!hl_rchain_relaxable(s, dt, e->route_rtol))
            break; /* the integrators take over after tsw anyway */
        if ((st = run_fixed(e, y0, &t1, 1, rtol, atol, y1, &loc)) ||
            (st = run_fixed(e, y1, &dt, 1, rtol, atol, y2, &loc)))
            break;
        for (long r = 0; r < m; r++) {
            f1[e->ch.state[r]] = y1[r];
            f2[e->ch.state[r]] = y2[r];
        }
        if ((st = hl_rchain_relax(s, f1, dt, rtol, fr)))
            break;
        /* the integrated state stays where the relaxation by the
         * eigensolver's lambda1 does not: the capacity formula's */
        if (full_diff(e, f2, fr) > tol && hl_rchain_slow_tunnel(e->c, s) == HL_OK) {
            e->force_cvode = 1; /* as for a tunnelling chain from the start */
            if ((st = hl_rchain_relax(s, f1, dt, rtol, fr)))
                break;
        }
        if (full_diff(e, f2, fr) <= tol)
            break;
        *tsw = 100 * t1;
    }
done:
    free(y1);
    free(y2);
    free(f1);
    free(f2);
    free(fr);
    return st;
}

/* The outputs taus[0..ni) (all <= tsw) by the integrators, and the state
 * at the switch time tsw scattered over the chain's full states into full
 * (n entries); *t_sw the time of that state, *ysw the state itself
 * (compressed, in yl).  tl (ni + 1 times) and yl (ni + 1 states) are the
 * caller's work. */
static int run_to_switch(hl_ev *e, const double *y0, const double *taus, size_t ni, double tsw,
                         double rtol, double atol, double *tl, double *yl, double *yout,
                         double *full, double *t_sw, const double **ysw,
                         hl_rchain_evolve_info *info)
{
    long m = e->ch.m;
    memcpy(tl, taus, sizeof(double) * ni);
    size_t nl = ni;
    if (ni == 0 || tl[ni - 1] < tsw)
        tl[nl++] = tsw;
    *t_sw = tl[nl - 1];
    int st = run_fixed(e, y0, tl, nl, rtol, atol, yl, info);
    if (st)
        return st;
    memcpy(yout, yl, sizeof(double) * (size_t)m * ni);
    *ysw = yl + (nl - 1) * (size_t)m;
    memset(full, 0, sizeof(double) * (size_t)e->ch.n);
    for (long a = 0; a < m; a++)
        full[e->ch.state[a]] = (*ysw)[a];
    return HL_OK;
}

/* mass[q] += the probability of the compressed state y in component q */
static void component_mass(const hl_ev *e, const hl_rchain_slow *s, const double *y,
                           double *mass)
{
    for (long a = 0; a < e->ch.m; a++) {
        long q = s->comp[e->ch.state[a]];
        if (q >= 0)
            mass[q] += y[a];
    }
}

/* The switch state full (n entries) rescaled so that each connected
 * component holds the probability it held at the start, y0 (compressed):
 * the exact evolution keeps it, the integrators only to their tolerance
 * (CVODE at rtol 1e-10: 1 + 1.2e-12), and the relaxation after the switch
 * keeps whatever the switch state holds, to every later time. */
static int match_mass(const hl_ev *e, const hl_rchain_slow *s, const double *y0, double *full)
{
    long nc = s->components;
    if (nc < 1)
        return HL_OK;
    double *mass = calloc(2 * (size_t)nc, sizeof(double));
    if (!mass)
        return hl_fail(HL_ENOMEM, "out of memory");
    component_mass(e, s, y0, mass);
    for (long i = 0; i < e->ch.n; i++)
        if (s->comp[i] >= 0)
            mass[nc + s->comp[i]] += full[i];
    for (long i = 0; i < e->ch.n; i++) {
        long q = s->comp[i];
        if (q >= 0 && mass[nc + q] > 0)
            full[i] *= mass[q] / mass[nc + q];
    }
    free(mass);
    return HL_OK;
}

/* CVODE from the state ys at t0 to the outputs taus[0..nt) (> t0), in
 * stretches of at most two decades: once the state at the end of one is
 * within rtol (1-norm) of the equilibrium that holds the start y0's
 * probability in each connected component, every later output is that
 * equilibrium (the distance to it never grows in a Markov chain).  CVODE
 * itself does not get there: with steps of 1e30 its Newton systems (I -
 * gamma J, gamma ~ h) are singular to round-off and the steps collapse (3
 * blocks at D = 30, beta = 2: no answer to t = 1e300 in hours, where the
 * equilibrium holds from about 1e23). */
#define CONT_STEPS 20000L
static int cvode_to_equilibrium(hl_ev *e, const hl_rchain_slow *s, const double *y0,
                                const double *ys, double t0, const double *taus, size_t nt,
                                double rtol, double atol, double *yout,
                                hl_rchain_evolve_info *info)
{
    long m = e->ch.m, nc = s->components;
    double *eq = malloc(sizeof(double) * (size_t)m), *y = malloc(sizeof(double) * (size_t)m);
    double *tl = malloc(sizeof(double) * (nt + 1));
    double *yl = malloc(sizeof(double) * (size_t)m * (nt + 1));
    double *mass = calloc((size_t)(nc > 0 ? nc : 1), sizeof(double));
    int st = HL_OK;
    if (!eq || !y || !tl || !yl || !mass) {
        st = hl_fail(HL_ENOMEM, "out of memory for a chain of %ld states", m);
        goto done;
    }
    component_mass(e, s, y0, mass);
    for (long a = 0; a < m; a++) {
        long i = e->ch.state[a], q = s->comp[i];
        eq[a] = q >= 0 ? mass[q] * exp(s->ln_pin[i]) : 0.0;
    }
    memcpy(y, ys, sizeof(double) * (size_t)m);
    double t = t0;
    size_t k = 0;
    /* one step budget for all the stretches (a check evolution's own, or
     * CONT_STEPS): a run CVODE cannot finish ends in an error, not a hang */
    long budget0 = e->opts.max_steps, total = budget0 > 0 ? budget0 : CONT_STEPS;
    long used0 = info->steps;
    while (k < nt && !st) {
        double d = 0;
        for (long a = 0; a < m; a++)
            d += fabs(y[a] - eq[a]);
        if (d <= rtol) { /* at equilibrium from t on */
            for (; k < nt; k++)
                memcpy(yout + k * (size_t)m, eq, sizeof(double) * (size_t)m);
            break;
        }
        double end = t > 0 ? 100 * t : taus[k];
        size_t nl = 0;
        while (k + nl < nt && taus[k + nl] <= end) {
            tl[nl] = taus[k + nl];
            nl++;
        }
        size_t no = nl; /* outputs in this stretch */
        if (nl == 0 || tl[nl - 1] < end)
            tl[nl++] = end;
        long left = total - (info->steps - used0);
        if (left < 1) {
            st = hl_fail(HL_ENOCONV, "its budget of %ld steps was spent at t = %g", total, t);
            break;
        }
        e->opts.max_steps = left;
        st = hl_ev_cvode(e, y, t, tl, nl, rtol, atol, yl, info);
        e->opts.max_steps = budget0;
        if (st)
            break;
        memcpy(yout + k * (size_t)m, yl, sizeof(double) * (size_t)m * no);
        memcpy(y, yl + (nl - 1) * (size_t)m, sizeof(double) * (size_t)m);
        k += no;
        t = tl[nl - 1];
    }
done:
    free(eq);
    free(y);
    free(tl);
    free(yl);
    free(mass);
    return st;
}

/* the depth of basins' chains of basins' chains (each has fewer states) */
static _Thread_local int lump_depth;

/* Several slow modes the eigensolvers cannot resolve (two or more rates
 * below their resolution, e.g. three wells at low temperature): the
 * integrators up to the switch time of the basins' committor chain
 * (lumped.h), T = (40 + ln ||P(0) - pi||_{1/pi}) / lambda_B, the state at T
 * projected on the basins, and from then on the master equation of the
 * B-state chain (this driver again: its rates are those of the slow modes
 * alone, resolved relative to each other), lifted back with the
 * quasi-stationary shapes rho_j.  Applies when the reduction is exact to
 * rtol (gap and overlap, lumped.h); *used = 0 (nothing done, why says why)
 * when it does not.  full: y0 over the full states on entry (work after);
 * tl, yl: the caller's work of nt + 1 times. */
static int lumped_segment(hl_ev *e, const hl_rchain_slow *s, const double *y0,
                          const double *taus, size_t nt, double rtol, double atol,
                          double *full, double *tl, double *yl, double *yout,
                          hl_rchain_evolve_info *info, int *used, char *why, size_t why_len)
{
    *used = 0;
    if (lump_depth >= 4 || s->components != 1) {
        snprintf(why, why_len, "%s", s->components != 1 ? "the chain is not connected"
                                                        : "basins' chains nest too deep");
        return HL_OK;
    }
    hl_lumped L;
    int st = hl_lumped_build(e->c, &e->ch, &L);
    if (st == HL_ENOTFOUND) {
        snprintf(why, why_len, "the basins' committor chain does not apply (one basin, "
                               "more than %d, or their next rate unresolved)",
                 HL_LUMPED_MAX_BASINS);
        return HL_OK;
    }
    if (st)
        return st;
    double lim = log(e->route_rtol);
    if (!(L.ln_gap <= lim && L.ln_overlap <= lim)) {
        snprintf(why, why_len, "the committor chain of the %ld basins is not exact to the "
                               "tolerance (rate gap %.2g, overlap %.2g, both must be <= %.2g)",
                 L.nb, exp(L.ln_gap), exp(L.ln_overlap), exp(lim));
        hl_lumped_free(&L);
        return HL_OK;
    }
    long m = e->ch.m, nb = L.nb;
    double *pb = malloc(sizeof(double) * (size_t)nb * (nt + 1));
    if (!pb) {
        st = hl_fail(HL_ENOMEM, "out of memory (%zu times of %ld basins)", nt, nb);
        goto done;
    }
    *used = 1;
    hl_rchain_slow sb = *s;
    sb.lambda2 = L.lambda_b;
    double tsw = hl_rchain_switch_time(&sb, full), t_sw;
    const double *ysw;
    size_t ni = 0;
    while (ni < nt && taus[ni] <= tsw)
        ni++;
    if ((st = run_to_switch(e, y0, taus, ni, tsw, rtol, atol, tl, yl, yout, full, &t_sw, &ysw,
                            info)) ||
        ni == nt)
        goto done;
    double *p0 = pb + (size_t)nb * nt;
    hl_lumped_project(&L, full, p0);
    size_t nr = nt - ni;
    for (size_t k = 0; k < nr; k++) {
        tl[k] = taus[ni + k] - t_sw;
        if (k > 0 && !(tl[k] > tl[k - 1])) /* the difference rounded */
            tl[k] = nextafter(tl[k - 1], INFINITY);
    }
    hl_rchain_evolve_info li;
    lump_depth++;
    /* CVODE, whose steps follow every mode: the Krylov exponential put
     * the mass of five wells (rates 1e-49 .. 1e-38, t = 1e30) in the wrong
     * basin and passed the probability checks; the chain is small */
    hl_rchain_evolve_opts lo = {0, 0, 0, e->opts.switch_margin, e->route_rtol,
                                e->opts.max_steps, NULL, NULL, e->opts.cvode_scale};
    st = evolve(&L.chain, NULL, NULL, NULL, p0, tl, nr, rtol, pb, &li, 1, &lo);
    lump_depth--;
    if (st)
        goto done;
    info->lumped_basins = nb;
    info->lumped_outputs = nr;
    info->factorisations += li.factorisations;
    double lnm = -INFINITY;
    for (long j = 0; j < nb; j++)
        lnm = hl_lse(lnm, L.ln_m[j]);
    for (size_t k = 0; k < nr; k++) {
        if (e->opts.lumped_dev) {
            double d = 0;
            for (long j = 0; j < nb; j++)
                d += fabs(pb[k * (size_t)nb + j] - exp(L.ln_m[j] - lnm));
            e->opts.lumped_dev[e->out0 + ni + k] = d;
        }
        if (e->opts.err_scale) {
            double d = 0;
            for (long j = 0; j < nb; j++)
                d += fabs(pb[k * (size_t)nb + j] - exp(L.ln_m[j] - lnm));
            e->opts.err_scale[e->out0 + ni + k] = fmin(1.0, d);
        }
        hl_lumped_lift(&L, pb + k * (size_t)nb, full);
        double *yv = yout + (ni + k) * (size_t)m;
        for (long a = 0; a < m; a++)
            yv[a] = full[e->ch.state[a]];
    }
    info->method_name = info->method == HL_RCHAIN_KRYLOV ? "krylov + basins' chain"
                                                         : "cvode + basins' chain";
done:
    free(pb);
    hl_lumped_free(&L);
    return st;
}

/* Fixed beta from y0 (compressed) to taus[0..nt-1]: the integrators up to
 * the switch time of the slow modes (slow_modes.h), the exact relaxation of
 * the slowest mode after it, so that any tau gives the right state.  The
 * slow modes are only computed when some tau is far beyond the chain's
 * fastest time scale (tau norm > 1e8). */
static int fixed_segment(hl_ev *e, const double *y0, const double *taus, size_t nt, double rtol, double atol, double *yout,
                         hl_rchain_evolve_info *info)
{
    long m = e->ch.m, n = e->ch.n;
    double norm = hl_active_norm(&e->ch);
    if (nt == 0)
        return HL_OK;
    if (!(taus[nt - 1] * norm > 1e8)) {
        /* after a protocol the start is a metastable state, whose slow
         * mode the Krylov exponential can lose when it is a tunnelling mode
         * (one block of 100 spins cooled to beta = 3, rate 1e-68: it
         * returned the equilibrium 45 time units later): CVODE, whose steps
         * follow the fast modes, as for the long spans below (only where
         * the slow modes include such a mode: the check costs a spectrum) */
        int force0 = e->force_cvode;
        if (e->handover && !force0) {
            hl_rchain_slow s0;
            int st = hl_rchain_slow_rates(e->c, &s0);
            if (st)
                return st;
            e->force_cvode = s0.tunnelling;
            hl_rchain_slow_free(&s0);
        }
        int st = run_fixed(e, y0, taus, nt, rtol, atol, yout, info);
        e->force_cvode = force0;
        return st;
    }
    hl_rchain_slow s;
    int force0 = e->force_cvode;
    int st = hl_rchain_slow_rates(e->c, &s);
    if (st)
        return st;
    s.margin = e->opts.switch_margin;
    double *full = malloc(sizeof(double) * (size_t)n);
    double *tl = malloc(sizeof(double) * (nt + 1));
    double *yl = malloc(sizeof(double) * (size_t)m * (nt + 1));
    if (!full || !tl || !yl) {
        st = hl_fail(HL_ENOMEM, "out of memory (%zu times of %ld states)", nt, m);
        goto done;
    }
    memset(full, 0, sizeof(double) * (size_t)n);
    for (long a = 0; a < m; a++)
        full[e->ch.state[a]] = y0[a];
    /* lambda2 below the resolution (from gt-lanczos) is as unresolved for
     * the integrators as none: the switch time 40 / lambda2 is beyond
     * their reach (three blocks at D = 30, beta = 2: lambda2 = 1.1e-19,
     * CVODE to t = 3.6e20 for minutes, then an error) */
    int slow2 = isnan(s.lambda2) || s.lambda2 < s.resolution;
    if (slow2 || isnan(s.ln_lambda1)) {
        /* two or more slow modes the eigensolver does not resolve */
        int used = 0;
        char why[200] = "";
        st = lumped_segment(e, &s, y0, taus, nt, rtol, atol, full, tl, yl, yout, info, &used,
                            why, sizeof why);
        if (st || used)
            goto done;
        /* the integrators alone.  The Krylov exponential is right only while
         * the unresolved modes cannot have moved (rate below the resolution,
         * t resolution <= 1e-2 rtol; beyond, it returned the equilibrium of
         * three wells for the start well): it goes up to that time tmax,
         * and CVODE, whose steps follow every mode (those below the
         * eigensolver's resolution too), from there to the later outputs,
         * with no relaxation beyond a switch time (none is known).  From
         * tmax the fast transients are over: CVODE's steps are long. */
        if (slow2 && taus[nt - 1] * s.resolution > 1e-2 * e->route_rtol) {
            double tmax = 1e-2 * e->route_rtol / s.resolution;
            size_t ni = 0;
            while (ni < nt && taus[ni] <= tmax)
                ni++;
            memcpy(tl, taus, sizeof(double) * ni);
            tl[ni] = tmax;
            if ((st = run_fixed(e, y0, tl, ni + 1, rtol, atol, yl, info)))
                goto done;
            memcpy(yout, yl, sizeof(double) * (size_t)m * ni);
            const char *first = info->method_name;
            info->method = HL_RCHAIN_CVODE;
            st = cvode_to_equilibrium(e, &s, y0, yl + (size_t)m * ni, tmax, taus + ni, nt - ni,
                                      rtol, atol, yout + (size_t)m * ni, info);
            info->method_name = !strcmp(first, "cvode") ? "cvode" : "krylov + cvode";
            if (st == HL_ENOCONV) {
                char cv[200];
                snprintf(cv, sizeof cv, "%s", hl_errmsg()); /* hl_fail rewrites it */
                st = hl_fail(HL_ERANGE, "t = %g is beyond what can be computed: two or more "
                                        "slow relaxation rates are below the eigensolver's "
                                        "resolution %.3g and %s; CVODE, which needs neither, "
                                        "did not reach it from t = %.3g (%s)",
                             taus[nt - 1], s.resolution, why, tmax, cv);
            }
            goto done;
        }
    }
    double tsw = hl_rchain_switch_time(&s, full);
    /* beyond the eigensolver's resolution (lambda1 from the capacity
     * formula: rate ratios past what a double resolves, e^57 within a basin
     * and e^-177 across) the Krylov exponential's shift-and-invert solves
     * lose the slow mode (it returned the equilibrium for the two-block D =
     * 12 chain at beta = 20): CVODE, whose steps follow the fast modes */
    if (s.tunnelling)
        e->force_cvode = 1;
    if ((st = verify_switch(e, &s, y0, taus[nt - 1], rtol, atol, &tsw, info)))
        goto done;
    size_t ni = 0; /* integrated outputs: taus <= tsw (all if tsw is unknown) */
    while (ni < nt && (isnan(tsw) || taus[ni] <= tsw))
        ni++;
    if (ni == nt) {
        st = run_fixed(e, y0, taus, nt, rtol, atol, yout, info);
        goto done;
    }
    double t_sw;
    const double *ysw;
    if ((st = run_to_switch(e, y0, taus, ni, tsw, rtol, atol, tl, yl, yout, full, &t_sw, &ysw,
                            info)) ||
        (st = match_mass(e, &s, y0, full)))
        goto done;
    double *tmp = malloc(sizeof(double) * (size_t)n);
    if (!tmp) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    size_t kr = ni; /* relaxed outputs: a prefix of the rest (tau grows) */
    for (; kr < nt && !st && hl_rchain_relaxable(&s, taus[kr] - t_sw, e->route_rtol); kr++) {
        st = hl_rchain_relax(&s, full, taus[kr] - t_sw, rtol, tmp);
        if (e->opts.err_scale && !isnan(s.ln_lambda1) && s.lambda1 < INFINITY &&
            taus[kr] > t_sw) /* the error at the switch shrinks as the mode relaxes */
            e->opts.err_scale[e->out0 + kr] = exp(-exp(s.ln_lambda1 + log(taus[kr] - t_sw)));
        for (long a = 0; !st && a < m; a++)
            yout[kr * (size_t)m + a] = tmp[e->ch.state[a]];
    }
    free(tmp);
    if (!st && kr < nt) { /* lambda1 unknown: the integrators from the switch state */
        for (size_t k = kr; k < nt; k++)
            tl[k - kr] = taus[k] - t_sw;
        st = run_fixed(e, ysw, tl, nt - kr, rtol, atol, yout + kr * (size_t)m, info);
    }
done:
    e->force_cvode = force0;
    free(full);
    free(tl);
    free(yl);
    hl_rchain_slow_free(&s);
    return st;
}

/* ln of the largest total rate out of a state of c (its ln_pi and ln_c as
 * filled; logs throughout: rates far outside the doubles are fine); work:
 * n doubles */
static double ln_out_max(const hl_rchain *c, double *work)
{
    for (long i = 0; i < c->n; i++)
        work[i] = -INFINITY;
    for (long e = 0; e < c->m; e++) {
        long a = c->ea[e], b = c->eb[e];
        if (!(c->ln_c[e] > -INFINITY) || !(c->ln_pi[a] > -INFINITY) ||
            !(c->ln_pi[b] > -INFINITY))
            continue;
        double h = 0.5 * (c->ln_pi[b] - c->ln_pi[a]);
        work[a] = hl_lse(work[a], c->ln_c[e] + h);
        work[b] = hl_lse(work[b], c->ln_c[e] - h);
    }
    double mx = -INFINITY;
    for (long i = 0; i < c->n; i++)
        mx = fmax(mx, work[i]);
    return mx;
}

/* Frozen: no state can lose more than a negligible part of its
 * probability before the last output time t_end, since |P(t) - p0|_1 <= 2
 * t max_a out_a: when 2 t_end max out e^2 (a margin for the maximum between
 * the temperatures looked at) <= 1e-3 rtol, P(t) = p0 at every output to
 * well within the tolerance (an infinitely fast quench, or rates that
 * underflow: nothing moves).  The maximum is over the protocol's rows and
 * 64 temperatures evenly spaced in t between two rows (only when the rows
 * alone allow it).  c is left filled at beta(0) with its rates in e->ch. */
#define FROZEN_GRID 64
static int frozen_check(hl_ev *e, double t_end, double rtol, int *frozen)
{
    *frozen = 0;
    hl_rchain *c = e->c;
    double lim = log(1e-3 * rtol) - 2 - log(2 * t_end);
    if (!(t_end > 0)) {
        *frozen = 1;
        return HL_OK;
    }
    double *work = malloc(sizeof(double) * (size_t)c->n);
    if (!work)
        return hl_fail(HL_ENOMEM, "out of memory");
    double mx = ln_out_max(c, work);
    int st = HL_OK;
    if (e->varying && mx <= lim) {
        const hl_protocol *p = e->p;
        size_t rows = hl_protocol_rows(p);
        double tc = e->tc;
        for (size_t k = 0; k < rows && mx <= lim && !st; k++) {
            double t0 = hl_protocol_time(p, k);
            if (t0 > tc)
                break;
            double t1 = k + 1 < rows ? fmin(hl_protocol_time(p, k + 1), tc) : t0;
            int nsub = k + 1 < rows && t1 > t0 ? FROZEN_GRID : 0;
            for (int j = 0; j <= nsub && mx <= lim && !st; j++) {
                double t = j == nsub && nsub ? t1 : t0 + (t1 - t0) * j / (double)(nsub ? nsub : 1);
                if ((st = e->fill(e->ctx, hl_protocol_beta(p, t), c)))
                    break;
                e->fills++;
                mx = fmax(mx, ln_out_max(c, work));
            }
        }
        /* back to beta(0) and its rates */
        if (!st && !(st = e->fill(e->ctx, e->beta, c)))
            st = hl_active_rates(&e->ch, c);
        e->fills++;
    }
    free(work);
    e->frozen_ln_rate = mx;
    if (!st)
        *frozen = mx <= lim;
    return st;
}

/* The protocol's temperature as the integrator sees it: t carries 16
 * digits, so T(t) on a ramp of slope dT/dt is known only to DBL_EPSILON t
 * |dT/dt| (relative: / T; a beta ramp: DBL_EPSILON t |dbeta/dt| / beta).
 * Where that exceeds rtol the steps become round-off limited (a ramp from
 * T = 1e10 reaching T = 0.5 at t = 1e10: 4e-6): HL_EDOM naming the row,
 * T, t and the limit, before any step. */
static int check_t_resolution(const hl_protocol *p, double tc, double rtol)
{
    size_t rows = hl_protocol_rows(p);
    int var_t = hl_protocol_var(p) == HL_PROTOCOL_T;
    for (size_t k = 0; k + 1 < rows; k++) {
        double ta = hl_protocol_time(p, k), tb = hl_protocol_time(p, k + 1);
        if (ta >= tc)
            break;
        double va = hl_protocol_value(p, k), vb = hl_protocol_value(p, k + 1);
        if (va == vb || !(tb > ta))
            continue;
        double slope = fabs(vb - va) / (tb - ta);
        for (int end = 0; end < 2; end++) {
            double t = end ? tb : ta, v = end ? vb : va;
            double r = DBL_EPSILON * t * slope / fabs(v);
            if (r > rtol) {
                double T = var_t ? v : 1.0 / v;
                return hl_fail(HL_EDOM,
                               "the protocol reaches T = %.6g at t = %.6g on a ramp of %s: T "
                               "there is resolved to only %.2g relative (16 digits of t), "
                               "above the tolerance %g; the ramp must reach T = %.6g at t "
                               "<= %.3g (e.g. start the ramp lower)",
                               T, t, var_t ? "dT/dt" : "dbeta/dt", r, rtol, T,
                               rtol * fabs(v) / (DBL_EPSILON * slope));
            }
        }
    }
    return HL_OK;
}

/* An integration that failed (CVODE's steps collapsed, probability not
 * conserved, the slow modes' eigensolver): one clear line with the
 * temperature and the rates, no solver's own words.  The cause is round-off:
 * the rates at e->beta (where the run stopped) against the time span. */
static int explain_failure(hl_ev *e, double t_end)
{
    const char *m = hl_errmsg();
    const char *what = strstr(m, "lost probability") ? "probability is not conserved"
                       : strstr(m, "CVODE")          ? "the steps shrink to nothing"
                                                     : "the slow modes cannot be resolved";
    double *work = malloc(sizeof(double) * (size_t)e->c->n);
    double mx = work ? ln_out_max(e->c, work) : NAN;
    free(work);
    char rate[64] = "", temp[48] = "";
    if (isfinite(mx))
        snprintf(rate, sizeof rate, ", its fastest rate exp(%.4g)", mx);
    /* a chain evolved without a protocol carries no temperature: the
     * caller, who knows it, names it */
    if (e->beta > 0)
        snprintf(temp, sizeof temp, " at T = %.4g", 1.0 / e->beta);
    return hl_fail(HL_ENOCONV,
                   "the master equation cannot be integrated to its tolerance over t in [0, %.4g]"
                   "%s%s: %s (double-precision round-off: rates this far apart, or "
                   "this long a time span)",
                   t_end, temp, rate, what);
}

static int evolve(hl_rchain *c, hl_rchain_fill_fn fill, void *ctx, const hl_protocol *p,
                  const double *p0, const double *times, size_t n_times, double rtol,
                  double *p_out, hl_rchain_evolve_info *info, int force_cvode,
                  const hl_rchain_evolve_opts *opts)
{
    if (!c || !p0 || !times || !p_out)
        return hl_fail(HL_EINVAL, "hl_rchain_evolve: NULL argument");
    int st;
    if (p && (st = hl_protocol_check(p)))
        return st;
    /* beta changes until tc and is constant after it (tc = 0: a fixed beta,
     * whatever the number of rows) */
    double tc = p ? hl_protocol_settle_time(p) : 0.0;
    int varying = tc > 0;
    if (varying && !fill)
        return hl_fail(HL_EINVAL, "a protocol whose beta changes needs a fill function");
    if ((st = hl_check_times(times, n_times)))
        return st;
    if (rtol == 0)
        rtol = 1e-8;
    if (!(rtol >= 1e-14 && rtol <= 1e-2))
        return hl_fail(HL_EDOM, "relative tolerance %g is not in [1e-14, 1e-2]", rtol);
    hl_rchain_evolve_info loc;
    if (!info)
        info = &loc;
    memset(info, 0, sizeof *info);
    info->min_p = INFINITY;

    hl_ev e;
    memset(&e, 0, sizeof e);
    e.c = c;
    e.fill = fill;
    e.ctx = ctx;
    e.p = p;
    e.varying = varying;
    e.tc = tc;
    e.force_cvode = force_cvode;
    if (opts)
        e.opts = *opts;
    e.route_rtol = e.opts.route_rtol > 0 ? e.opts.route_rtol : rtol;
    double beta0 = p ? hl_protocol_beta(p, 0.0) : 0.0;
    if (fill && p) {
        if ((st = fill(ctx, beta0, c)))
            return st;
        e.fills++;
    }
    if (c->ln_exit)
        for (long i = 0; i < c->n; i++)
            if (c->ln_exit[i] > -INFINITY && c->ln_pi[i] > -INFINITY)
                return hl_fail(HL_EINVAL, "the evolution of a chain with exits (state %ld) is "
                                          "not implemented: probability is not conserved", i);
    e.beta = beta0;
    st = hl_active_init(&e.ch, c);
    if (st)
        return st;
    double *yall = NULL, *ya = NULL, *taus = NULL;
    st = hl_active_rates(&e.ch, c);
    if (!st)
        st = hl_ev_pattern(&e);
    /* while beta changes, CVODE reads up, dn and out only: no conductances
     * (computed again when beta settles) */
    e.ch.skip_c = varying;
    if (st)
        goto done;
    long m = e.ch.m, n = e.ch.n;
    /* the start: >= 0, 0 off the chain, sum 1 */
    for (long i = 0; i < n; i++)
        if (!isfinite(p0[i]) || p0[i] < 0 || (e.ch.idx[i] < 0 && p0[i] != 0)) {
            st = hl_fail(HL_EDOM, "p0 at state %ld is %g%s", i, p0[i],
                         e.ch.idx[i] < 0 ? " (the state is not in the chain)" : "");
            goto done;
        }
    double s0 = hl_ev_sum(p0, n);
    if (!(fabs(s0 - 1) <= 1e-9)) {
        st = hl_fail(HL_EDOM, "p0 sums to %.17g, not 1", s0);
        goto done;
    }
    double atol = rtol * 1e-4 / (double)m;
    info->rtol = rtol;
    info->atol = e.opts.cvode_scale > 0 ? atol * fmax(rtol * e.opts.cvode_scale, 1e-14) / rtol
                                        : atol; /* CVODE's (hl_ev_cvode) */
    yall = malloc(sizeof(double) * (size_t)m * (n_times + 1));
    ya = malloc(sizeof(double) * (size_t)m);
    taus = malloc(sizeof(double) * n_times);
    if (!yall || !ya || !taus) {
        st = hl_fail(HL_ENOMEM, "out of memory (%zu times of %ld states)", n_times, m);
        goto done;
    }
    for (long a = 0; a < m; a++)
        ya[a] = p0[e.ch.state[a]];
    /* nothing can move before the last output time: P = p0 at every output
     * (frozen_check), no integration */
    int frozen = 0;
    if ((st = frozen_check(&e, times[n_times - 1], e.route_rtol, &frozen)))
        goto done;
    if (!frozen && varying && (st = check_t_resolution(p, tc, e.route_rtol)))
        goto done;
    if (frozen) {
        for (size_t k = 0; k < n_times; k++)
            memcpy(yall + k * (size_t)m, ya, sizeof(double) * (size_t)m);
        info->method = HL_RCHAIN_FROZEN;
        info->method_name = "frozen";
        /* what could have moved by t: 2 t e^2 max rate, as a fraction of
         * the 1e-3 rtol the check allows (the callers' frozen floor) */
        for (size_t k = 0; e.opts.err_scale && k < n_times; k++)
            e.opts.err_scale[k] =
                fmin(1.0, 2 * times[k] * exp(e.frozen_ln_rate + 2) / (1e-3 * e.route_rtol));
        goto check;
    }
    /* the protocol until it settles: CVODE; the outputs up to tc and the
     * state at tc */
    size_t ka = 0;
    if (varying) {
        while (ka < n_times && times[ka] <= tc)
            ka++;
        double *tl = malloc(sizeof(double) * (ka + 1));
        if (!tl) {
            st = hl_fail(HL_ENOMEM, "out of memory");
            goto done;
        }
        memcpy(tl, times, sizeof(double) * ka);
        size_t nl = ka;
        if (ka < n_times && (ka == 0 || tl[ka - 1] < tc))
            tl[nl++] = tc;
        info->method = HL_RCHAIN_CVODE;
        info->method_name = "cvode";
        st = hl_ev_cvode(&e, ya, 0.0, tl, nl, rtol, atol, yall, info);
        free(tl);
        if (st)
            goto done;
        if (ka < n_times) {
            memcpy(ya, yall + (nl - 1) * (size_t)m, sizeof(double) * (size_t)m);
            /* the rates of the final beta, fixed from now on, with the
             * conductances */
            if ((st = hl_ev_at(&e, tc)))
                goto done;
            e.ch.skip_c = 0;
            if ((st = hl_active_rates(&e.ch, c)))
                goto done;
            e.varying = 0;
            e.handover = 1;
            umfpack_dl_free_numeric(&e.num);
            e.fgamma = 0;
        }
    }
    if (ka < n_times) {
        double t0 = varying ? tc : 0.0;
        for (size_t k = ka; k < n_times; k++)
            taus[k - ka] = times[k] - t0;
        if (taus[0] < 0)
            taus[0] = 0;
        e.out0 = ka;
        st = fixed_segment(&e, ya, taus, n_times - ka, rtol, atol, yall + ka * (size_t)m,
                           info);
        if (st)
            goto done;
        /* both integrators ran: say so (info->method is the last one's) */
        if (varying && ka > 0 && info->method == HL_RCHAIN_KRYLOV)
            info->method_name = "cvode + krylov";
    }
    /* outputs, checked: an integrator that lost conservation is an error,
     * never a number */
check:;
    double lim = 10 * rtol + 1e-12;
    for (size_t k = 0; k < n_times; k++) {
        const double *yv = yall + k * (size_t)m;
        double *po = p_out + k * (size_t)n;
        memset(po, 0, sizeof(double) * (size_t)n);
        double mn = INFINITY;
        for (long a = 0; a < m; a++) {
            po[e.ch.state[a]] = yv[a];
            mn = fmin(mn, yv[a]);
        }
        double err = fabs(hl_ev_sum(yv, m) - 1);
        if (!(err <= lim) || !(mn >= -lim)) {
            st = hl_fail(HL_ENOCONV, "t = %g cannot be reached accurately (the integrator "
                                     "lost probability: |sum P - 1| = %.2g, min P = %.2g)",
                         times[k], err, mn);
            goto done;
        }
        info->min_p = fmin(info->min_p, mn);
        info->max_sum_error = fmax(info->max_sum_error, err);
    }
done:
    if (st == HL_ENOCONV)
        st = explain_failure(&e, times[n_times - 1]);
    info->factorisations = e.factorisations;
    info->fills = e.fills;
    free(yall);
    free(ya);
    free(taus);
    umfpack_dl_free_numeric(&e.num);
    umfpack_dl_free_symbolic(&e.sym);
    hl_ev_chol_free(&e);
    free(e.Ap);
    free(e.Ai);
    free(e.Ax);
    free(e.tmp);
    hl_active_free(&e.ch);
    return st;
}

int hl_rchain_evolve(hl_rchain *c, hl_rchain_fill_fn fill, void *ctx, const hl_protocol *p,
                     const double *p0, const double *times, size_t n_times, double rtol,
                     double *p_out, hl_rchain_evolve_info *info)
{
    /* BDF at rtol / 100 (chain_evolve.h) */
    static const hl_rchain_evolve_opts o = {0, 0, 0, 0, 0, 0, NULL, NULL, 1e-2};
    return hl_rchain_evolve_with(c, fill, ctx, p, p0, times, n_times, rtol, p_out, info, &o);
}

int hl_rchain_evolve_cvode(hl_rchain *c, hl_rchain_fill_fn fill, void *ctx,
                           const hl_protocol *p, const double *p0, const double *times,
                           size_t n_times, double rtol, double *p_out,
                           hl_rchain_evolve_info *info)
{
    /* one OpenBLAS thread around the sparse LU solves: faster for these
     * small triangular solves, and the same numbers for any --threads */
    int nthr = hl_blas_serial_begin();
    int st = evolve(c, fill, ctx, p, p0, times, n_times, rtol, p_out, info, 1, NULL);
    hl_blas_threads_restore(nthr);
    return st;
}

int hl_rchain_evolve_with(hl_rchain *c, hl_rchain_fill_fn fill, void *ctx, const hl_protocol *p,
                          const double *p0, const double *times, size_t n_times, double rtol,
                          double *p_out, hl_rchain_evolve_info *info,
                          const hl_rchain_evolve_opts *o)
{
    /* one OpenBLAS thread around the sparse LU solves: faster for these
     * small triangular solves, and the same numbers for any --threads */
    int nthr = hl_blas_serial_begin();
    int st = evolve(c, fill, ctx, p, p0, times, n_times, rtol, p_out, info, 0, o);
    hl_blas_threads_restore(nthr);
    return st;
}

int hl_rchain_evolve_cvode_opts(hl_rchain *c, hl_rchain_fill_fn fill, void *ctx,
                                const hl_protocol *p, const double *p0, const double *times,
                                size_t n_times, double rtol, double *p_out,
                                hl_rchain_evolve_info *info, const hl_rchain_evolve_opts *o)
{
    int nthr = hl_blas_serial_begin();
    int st = evolve(c, fill, ctx, p, p0, times, n_times, rtol, p_out, info, 1, o);
    hl_blas_threads_restore(nthr);
    return st;
}
