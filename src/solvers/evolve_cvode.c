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

static int ev_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *ud)
{
    hl_ev *e = ud;
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
    int st = hl_ev_at(e, t);
    if (st)
        return ev_fail(e, st);
    hl_active_apply(&e->ch, N_VGetArrayPointer(v), N_VGetArrayPointer(Jv));
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
    if (jok && e->num && beta_ok && gamma <= 2 * e->fgamma && 2 * gamma >= e->fgamma) {
        *jcur = SUNFALSE;
        return 0;
    }
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
    if (rv == zv) {
        memcpy(e->tmp, rv, sizeof(double) * (size_t)e->ch.m);
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

/* CVODE (BDF, GMRES preconditioned by the LU of I - gamma L) from the
 * compressed state y0 at t0 to tout[0..nt-1] (> t0 after the first entries
 * equal to t0); yout: nt x m.  Under a varying protocol the multistep
 * history restarts at each row before the settling time. */
int hl_ev_cvode(hl_ev *e, const double *y0, double t0, const double *tout, size_t nt,
                     double rtol, double atol, double *yout, hl_rchain_evolve_info *info)
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
        CVodeSetMaxNumSteps(cv, 100000000L) || CVodeSetInitStep(cv, h0)) {
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
            int flag = CVode(cv, tnext, y, &tret, CV_NORMAL);
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

