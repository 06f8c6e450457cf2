/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evolve_cvode.c -- the master equation by SUNDIALS CVODE (BDF, Newton with
 * GMRES, exact products L v in flux form, preconditioned by an UMFPACK LU
 * of I - gamma L) at a fixed beta or under a protocol (evolve_impl.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_spgmr.h>

#include "evolve_impl.h"
#include "core.h"
#include "ordering_lock.h"

static int ev_fail(hl_ev *e, int st)
{
    if (!e->status)
        e->status = st;
    return -1; /* unrecoverable for CVODE */
}

/* A check evolution's budget (opts.max_steps > 0) also bounds its products
 * L v over all its CVODE runs, 5 per step of one run's budget: a check of
 * three blocks at D = 36 (2,197 classes) to t = 1e300 at rtol 1e-5 ran for
 * over 400 s through run after run of 20,000 steps each */
static int ev_budget(hl_ev *e)
{
    long cap = 5 * e->opts.max_steps;
    if (e->opts.max_steps > 0 && ++e->products > cap)
        return ev_fail(e, hl_fail(HL_ENOCONV, "the check evolution's budget of %ld products "
                                              "L v is spent",
                                  cap));
    return 0;
}

static int ev_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *ud)
{
    hl_ev *e = ud;
    if (ev_budget(e))
        return -1;
    int st = hl_ev_at(e, t);
    if (st)
        return ev_fail(e, st);
    hl_active_apply(&e->ch, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
    return 0;
}

static int ev_jtimes(N_Vector v, N_Vector Jv, sunrealtype t, N_Vector y, N_Vector fy, void *ud,
                     N_Vector tmp)
{
    (void)y;
    (void)fy;
    (void)tmp;
    hl_ev *e = ud;
    if (ev_budget(e))
        return -1;
    int st = hl_ev_at(e, t);
    if (st)
        return ev_fail(e, st);
    hl_active_apply(&e->ch, N_VGetArrayPointer(v), N_VGetArrayPointer(Jv));
    return 0;
}

/* ---- the preconditioner on the symmetrised form (opts.chol)
 *
 * The chain is reversible: I - gamma L = Pi^{1/2} (I - gamma S) Pi^{-1/2}
 * with S = Pi^{-1/2} L Pi^{1/2} symmetric (off the diagonal the
 * conductances sqrt(k(a -> b) k(b -> a)), on it -out_a), so I - gamma S is
 * symmetric positive definite (eigenvalues >= 1) and has a Cholesky factor:
 * CHOLMOD, supernodal, the ordering analysed once for the run (the pattern
 * is the chain's), a numeric factorisation per renewal at about a quarter
 * of the LU's cost, and solves through hl_chol_solve (chol_solve.h) at
 * about half the LU's.  z = Pi^{1/2} (I - gamma S)^{-1} Pi^{-1/2} r, with
 * pi relative to the geometric middle of its range (scales within
 * exp(+-CHOL_LNPI_RANGE / 4)).  The factor is only
 * GMRES's preconditioner (the products L v stay exact), so it changes the
 * Krylov iterations, not what they converge to.  Not used (UMFPACK's LU of
 * I - gamma L, as without opts.chol) when ln pi spans more than
 * CHOL_LNPI_RANGE over the states (the scaled vectors would leave the
 * doubles, and the round-off of the solves, relative to the largest
 * scaled entry, would swamp the small-pi states), or when CHOLMOD fails. */
#define CHOL_LNPI_RANGE 1400.0

void hl_ev_chol_free(hl_ev *e)
{
    if (e->chol) {
        hl_chol_solver_free(&e->cs);
        cholmod_l_free_factor(&e->L, &e->cm);
        cholmod_l_free_sparse(&e->S, &e->cm);
        cholmod_l_finish(&e->cm);
    }
    free(e->su);
    free(e->cw);
    free(e->sp);
    e->su = e->cw = e->sp = NULL;
    e->chol = 0;
}

/* the pattern (lower triangle: column a holds a, then its neighbours b > a
 * in increasing order) and the ordering; 0, or -1 when CHOLMOD cannot be
 * used (e->chol = -1, UMFPACK from now on) */
static int chol_init(hl_ev *e)
{
    const hl_active *ch = &e->ch;
    long m = ch->m;
    cholmod_l_start(&e->cm);
    e->chol = 1; /* started: hl_ev_chol_free finishes it */
    e->cm.print = 0;
    e->cm.supernodal = CHOLMOD_SUPERNODAL;
    e->S = cholmod_l_allocate_sparse((size_t)m, (size_t)m, (size_t)(m + ch->ne), 1, 1, -1,
                                     CHOLMOD_REAL, &e->cm);
    e->su = malloc(sizeof(double) * (size_t)m);
    e->cw = malloc(sizeof(double) * (size_t)m);
    e->sp = malloc(sizeof(double) * (size_t)m);
    if (!e->S || !e->su || !e->cw || !e->sp)
        return -1;
    SuiteSparse_long *Sp = e->S->p, *Si = e->S->i;
    long p = 0;
    for (long a = 0; a < m; a++) {
        Sp[a] = p;
        Si[p++] = a;
        for (long r = ch->start[a]; r < ch->start[a + 1]; r++) {
            long b = hl_active_other(ch, ch->nbe[r], a);
            if (b > a)
                Si[p++] = b;
        }
    }
    Sp[m] = p;
    hl_ordering_lock(); /* METIS: one ordering at a time (ordering_lock.h) */
    e->L = cholmod_l_analyze(e->S, &e->cm);
    hl_ordering_unlock();
    return e->L ? 0 : -1;
}

/* I - gamma S at the current rates, factored, and the scales sqrt(pi):
 * 0, or -1 when the symmetrised form is not usable here (then UMFPACK) */
static int chol_factor(hl_ev *e, double gamma)
{
    const hl_active *ch = &e->ch;
    long m = ch->m;
    if (e->chol == 0 && chol_init(e)) {
        e->chol = -1;
        return -1;
    }
    const double *lp = e->c->ln_pi;
    double lo = INFINITY, hi = -INFINITY;
    for (long a = 0; a < m; a++) {
        double v = lp[ch->state[a]];
        lo = fmin(lo, v);
        hi = fmax(hi, v);
    }
    if (!(hi - lo <= CHOL_LNPI_RANGE))
        return -1; /* this beta: UMFPACK (a later one may do) */
    double mid = 0.5 * (hi + lo), zs = 0;
    for (long a = 0; a < m; a++) {
        e->su[a] = exp(0.5 * (lp[ch->state[a]] - mid));
        e->sp[a] = exp(lp[ch->state[a]] - hi);
        zs += e->sp[a];
    }
    for (long a = 0; a < m; a++)
        e->sp[a] /= zs;
    double *Sx = e->S->x;
    long p = 0;
    for (long a = 0; a < m; a++) {
        Sx[p++] = 1.0 + gamma * ch->out[a];
        for (long r = ch->start[a]; r < ch->start[a + 1]; r++) {
            long k = ch->nbe[r], b = hl_active_other(ch, k, a);
            if (b > a)
                Sx[p++] = -gamma * sqrt(ch->up[k]) * sqrt(ch->dn[k]);
        }
    }
    /* CHOLMOD's own OpenMP loops are compiled for 4 threads: called
     * outside an active parallel region they start threads that spin
     * around each small factor (twice the CPU time, measured); hl_scan
     * calls from within a team (scan.c), where they run serially */
    cholmod_l_factorize(e->S, e->L, &e->cm);
    if (e->cm.status != CHOLMOD_OK) {
        e->chol = -1; /* not positive definite in round-off: UMFPACK from now on */
        return -1;
    }
    if (!e->cs.L && hl_chol_solver_init(&e->cs, e->L)) {
        e->chol = -1;
        return -1;
    }
    return 0;
}

static int ev_psetup(sunrealtype t, N_Vector y, N_Vector fy, sunbooleantype jok,
                     sunbooleantype *jcur, sunrealtype gamma, void *ud)
{
    (void)y;
    (void)fy;
    hl_ev *e = ud;
    int st = hl_ev_at(e, t);
    if (st)
        return ev_fail(e, st);
    double beta = e->varying ? e->beta : 0.0;
    /* keep the factor while gamma is within a factor 2 (the preconditioned
     * operator's spectrum then lies in [1/2, 2]; wider windows cost more
     * Krylov iterations than they save in factorisations) */
    int beta_ok = beta == e->fbeta ||
                  (e->opts.precond_dbeta > 0 &&
                   fabs(beta - e->fbeta) <= e->opts.precond_dbeta * e->fbeta);
    int have = e->fchol ? e->fgamma > 0 : e->num != NULL;
    if (jok && have && beta_ok && gamma <= 2 * e->fgamma && 2 * gamma >= e->fgamma) {
        *jcur = SUNFALSE;
        return 0;
    }
    if (e->opts.chol && e->chol >= 0 && !chol_factor(e, gamma)) {
        umfpack_dl_free_numeric(&e->num);
        e->fchol = 1;
        e->factorisations++;
        e->fgamma = gamma;
        e->fbeta = beta;
        *jcur = SUNTRUE;
        return 0;
    }
    e->fchol = 0;
    hl_ev_assemble(e, gamma, 0);
    long m = e->ch.m;
    if (!e->sym) {
        hl_ordering_lock(); /* METIS: one ordering at a time (ordering_lock.h) */
        SuiteSparse_long s = umfpack_dl_symbolic(m, m, e->Ap, e->Ai, e->Ax, &e->sym, e->control,
                                                 e->uinfo);
        hl_ordering_unlock();
        if (s != UMFPACK_OK)
            return ev_fail(e, hl_fail(s == UMFPACK_ERROR_out_of_memory ? HL_ENOMEM : HL_ENOCONV,
                                      "UMFPACK symbolic analysis failed (status %ld)", (long)s));
    }
    umfpack_dl_free_numeric(&e->num);
    SuiteSparse_long s = umfpack_dl_numeric(e->Ap, e->Ai, e->Ax, e->sym, &e->num, e->control,
                                            e->uinfo);
    if (s < 0)
        return ev_fail(e, hl_fail(s == UMFPACK_ERROR_out_of_memory ? HL_ENOMEM : HL_ENOCONV,
                                  "UMFPACK factorisation of I - gamma L failed (status %ld)",
                                  (long)s));
    e->factorisations++;
    if (s != UMFPACK_OK) { /* singular: cannot happen for I - gamma L; let CVODE retry */
        umfpack_dl_free_numeric(&e->num);
        return 1;
    }
    e->fgamma = gamma;
    e->fbeta = beta;
    *jcur = SUNTRUE;
    return 0;
}

static int ev_psolve(sunrealtype t, N_Vector y, N_Vector fy, N_Vector r, N_Vector z,
                     sunrealtype gamma, sunrealtype delta, int lr, void *ud)
{
    (void)t;
    (void)y;
    (void)fy;
    (void)gamma;
    (void)delta;
    (void)lr;
    hl_ev *e = ud;
    double *rv = N_VGetArrayPointer(r), *zv = N_VGetArrayPointer(z);
    long m = e->ch.m;
    if (e->fchol) { /* z = Pi^{1/2} (I - gamma S)^{-1} Pi^{-1/2} r */
        double *w = e->cw;
        const double *u = e->su;
        for (long a = 0; a < m; a++)
            w[a] = rv[a] / u[a];
        int st = hl_chol_solve(&e->cs, w, &e->cm);
        if (st)
            return ev_fail(e, st);
        /* 1^T (I - gamma L)^{-1} = 1^T (L conserves probability): the
         * factor's round-off, relative to the largest scaled entry, does
         * not keep it where pi spans hundreds of e-folds, so the sum of z
         * is set to that of r, the difference put on the equilibrium pi
         * (without it GMRES's corrections drift off sum P = 1: a line of
         * 40 states, tests/test_rchain.c) */
        double sr = 0, sz = 0;
        for (long a = 0; a < m; a++) {
            sr += rv[a];
            zv[a] = u[a] * w[a];
            sz += zv[a];
        }
        double d = sr - sz;
        for (long a = 0; a < m; a++)
            zv[a] += d * e->sp[a];
        return 0;
    }
    if (rv == zv) {
        memcpy(e->tmp, rv, sizeof(double) * (size_t)m);
        rv = e->tmp;
    }
    SuiteSparse_long s = umfpack_dl_solve(UMFPACK_A, e->Ap, e->Ai, e->Ax, zv, rv, e->num,
                                          e->control, e->uinfo);
    if (s < 0)
        return ev_fail(e, hl_fail(HL_ENOCONV, "UMFPACK solve failed (status %ld)", (long)s));
    return 0;
}

static void ev_err_handler(int code, const char *module, const char *function, char *msg,
                           void *ud)
{
    (void)module;
    char *buf = ud;
    if (code < 0)
        snprintf(buf, 256, "%s: %s", function, msg);
}

/* CVODE counters so far (added before a re-initialisation) */
static void add_stats(void *cv, hl_rchain_evolve_info *in)
{
    long v = 0;
    CVodeGetNumSteps(cv, &v);
    in->steps += v;
    v = 0;
    CVodeGetNumLinIters(cv, &v);
    in->krylov_iterations += v;
    v = 0;
    CVodeGetNumRhsEvals(cv, &v);
    in->rhs_evals += v;
    v = 0;
    CVodeGetNumJtimesEvals(cv, &v);
    in->jtimes += v;
    v = 0;
    CVodeGetNumPrecSolves(cv, &v);
    in->prec_solves += v;
}

/* CVode to tnext in chunks of CVODE_CHUNK steps up to max_steps in all
 * (cumulative), given up early (CV_TOO_MUCH_WORK) when more than a tenth of
 * the steps failed the error test: the local error estimate is then
 * round-off of the linear solves, and the steps shrink for ever (a basins'
 * chain of five wells, rates 1e-85 .. 1e-181: h stuck at 6e136 near t =
 * 4e141 with 24 % of the steps failing, a hundred million steps, where the
 * retry's tighter linear solves took 90 steps to 1e172) */
#define CVODE_CHUNK 20000L
static int cvode_chunks(void *cv, double tnext, N_Vector y, sunrealtype *tret, long max_steps)
{
    for (;;) {
        int flag = CVode(cv, tnext, y, tret, CV_NORMAL);
        if (flag != CV_TOO_MUCH_WORK)
            return flag;
        long ns = 0, nf = 0;
        CVodeGetNumSteps(cv, &ns);
        CVodeGetNumErrTestFails(cv, &nf);
        if (ns >= max_steps || nf > ns / 10)
            return flag;
    }
}

/* CVODE (BDF, GMRES preconditioned by the LU of I - gamma L) from the
 * compressed state y0 at t0 to tout[0..nt-1] (> t0 after the first entries
 * equal to t0); yout: nt x m.  Under a varying protocol the multistep
 * history restarts at each row before the settling time. */
static int cvode_run(hl_ev *e, const double *y0, double t0, const double *tout, size_t nt,
                     double rtol, double atol, double eps_lin, long max_steps,
                     double *yout, hl_rchain_evolve_info *info)
{
    long m = e->ch.m;
    SUNContext sctx = NULL;
    N_Vector y = NULL;
    SUNLinearSolver LS = NULL;
    void *cv = NULL;
    char cverr[256] = "";
    int st = HL_OK;
    if (SUNContext_Create(NULL, &sctx) != 0)
        return hl_fail(HL_ENOMEM, "cannot create a SUNDIALS context");
    y = N_VNew_Serial((sunindextype)m, sctx);
    LS = y ? SUNLinSol_SPGMR(y, SUN_PREC_LEFT, 30, sctx) : NULL;
    cv = LS ? CVodeCreate(CV_BDF, sctx) : NULL;
    if (!cv) {
        st = hl_fail(HL_ENOMEM, "out of memory for the integrator of %ld states", m);
        goto done;
    }
    double *yv = N_VGetArrayPointer(y);
    memcpy(yv, y0, sizeof(double) * (size_t)m);
    /* the first step: a small fraction of the fastest time scale (CVODE's
     * own estimate is at least 100 eps tout, far too large for tout ~ 1e30) */
    double rmax = 0;
    for (long a = 0; a < m; a++)
        rmax = fmax(rmax, e->ch.out[a]);
    double h0 = rmax > 0 ? 1e-4 / rmax : 1.0;
    if (CVodeSetErrHandlerFn(cv, ev_err_handler, cverr) || CVodeInit(cv, ev_rhs, t0, y) ||
        CVodeSStolerances(cv, rtol, atol) || CVodeSetUserData(cv, e) ||
        CVodeSetLinearSolver(cv, LS, NULL) || CVodeSetJacTimes(cv, NULL, ev_jtimes) ||
        CVodeSetPreconditioner(cv, ev_psetup, ev_psolve) ||
        CVodeSetMaxNumSteps(cv, max_steps < CVODE_CHUNK ? max_steps : CVODE_CHUNK) ||
        CVodeSetInitStep(cv, h0) ||
        CVodeSetEpsLin(cv, eps_lin)) {
        st = hl_fail(HL_ENOMEM, "cannot set up CVODE%s%s", *cverr ? ": " : "", cverr);
        goto done;
    }
    const hl_protocol *p = e->p;
    double tcur = t0;
    size_t kp = 1; /* next protocol breakpoint */
    size_t prow = e->varying ? hl_protocol_rows(p) : 0;
    for (size_t k = 0; k < nt; k++) {
        double t_out = tout[k];
        while (tcur < t_out) {
            while (kp < prow && hl_protocol_time(p, kp) <= tcur)
                kp++;
            double tnext = t_out, tbreak = INFINITY;
            int at_break = 0;
            if (kp < prow && hl_protocol_time(p, kp) < e->tc)
                tbreak = hl_protocol_time(p, kp);
            if (tbreak <= t_out) {
                tnext = tbreak;
                at_break = 1;
            }
            sunrealtype tret = tcur;
            /* steps end at every output time, or (interpolate) only at the
             * next row of the protocol (or the last output): the outputs
             * before it come from CVODE's interpolant */
            CVodeSetStopTime(cv, e->opts.interpolate ? fmin(tbreak, tout[nt - 1]) : tnext);
            int flag = cvode_chunks(cv, tnext, y, &tret, max_steps);
            if (flag < 0) {
                st = e->status ? e->status
                               : hl_fail(HL_ENOCONV, "CVODE failed at t = %g (flag %d)%s%s",
                                         tret, flag, *cverr ? ": " : "", cverr);
                goto done;
            }
            tcur = tnext;
            if (at_break) { /* a kink in beta(t): restart the multistep history */
                add_stats(cv, info);
                if (CVodeReInit(cv, tcur, y)) {
                    st = hl_fail(HL_ENOCONV, "CVODE could not restart at t = %g%s%s", tcur,
                                 *cverr ? ": " : "", cverr);
                    goto done;
                }
            }
        }
        for (long a = 0; a < m; a++)
            if (!isfinite(yv[a])) {
                st = hl_fail(HL_ENOCONV, "the solution is not finite at t = %g", t_out);
                goto done;
            }
        memcpy(yout + k * (size_t)m, yv, sizeof(double) * (size_t)m);
    }
    add_stats(cv, info);
done:
    if (cv)
        CVodeFree(&cv);
    if (LS)
        SUNLinSolFree(LS);
    if (y)
        N_VDestroy(y);
    if (sctx)
        SUNContext_Free(&sctx);
    return st;
}

/* Probability is conserved by each Newton step only as far as GMRES solves
 * its system, and on a stiff chain CVODE's error estimate is only as good:
 * with CVODE's default tolerance of the linear solves (0.05 of the
 * nonlinear one) two blocks at D = 20, beta = 20 (rates e^78 against t = 1)
 * drifted |sum P - 1| = 4.5e-9 > 10 rtol, and at beta = 30 (e^118) the error
 * test failed with steps of 1e-29.  Such a run is done again with linear
 * solves 5000 times tighter (costlier: about 10 % more CPU time on a scan,
 * so not the default); an error that remains is the caller's to report. */
/* the retry's budget: a run that needs more steps is beyond double
 * precision (and one failed retry ends the retries of an evolution) */
#define RETRY_STEPS 20000L
static int cvode_retry(hl_ev *e, const double *y0, double t0, const double *tout, size_t nt,
                       double rtol, double atol, double *yout, hl_rchain_evolve_info *info,
                       int st)
{
    if (e->retry_failed)
        return st;
    e->status = HL_OK;
    st = cvode_run(e, y0, t0, tout, nt, rtol, atol, 1e-5, RETRY_STEPS, yout, info);
    if (st)
        e->retry_failed = 1;
    return st;
}

int hl_ev_cvode(hl_ev *e, const double *y0, double t0, const double *tout, size_t nt,
                double rtol, double atol, double *yout, hl_rchain_evolve_info *info)
{
    /* opts.max_steps: a check evolution's budget (chain_evolve.h) */
    long budget = e->opts.max_steps > 0 ? e->opts.max_steps : 100000000L;
    /* the conservation test at the caller's rtol, the tolerances scaled */
    double lim = 10 * rtol + 1e-12;
    if (e->opts.cvode_scale > 0) {
        double r = fmax(rtol * e->opts.cvode_scale, 1e-14);
        atol *= r / rtol;
        rtol = r;
    }
    int st = cvode_run(e, y0, t0, tout, nt, rtol, atol, 0.05, budget, yout, info);
    if (st == HL_ENOCONV && e->opts.max_steps > 0)
        return st; /* no retry: the check gives up */
    if (st == HL_ENOCONV)
        return cvode_retry(e, y0, t0, tout, nt, rtol, atol, yout, info, st);
    if (st)
        return st;
    long m = e->ch.m;
    for (size_t k = 0; k < nt; k++) {
        const double *yv = yout + k * (size_t)m;
        double mn = INFINITY;
        for (long a = 0; a < m; a++)
            mn = fmin(mn, yv[a]);
        if (!(fabs(hl_ev_sum(yv, m) - 1) <= lim) || !(mn >= -lim))
            return cvode_retry(e, y0, t0, tout, nt, rtol, atol, yout, info, HL_OK);
    }
    return HL_OK;
}
