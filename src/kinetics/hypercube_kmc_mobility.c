/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hypercube_kmc_mobility.c -- the effective mobility tensor of the
 * (disordered) hypercube in (s, d), from short-time displacements (exact
 * jump moments averaged over equilibrium trajectories) and from the
 * relaxation of the means, beside the corrected eq 5.10
 * (docs/fokker_planck.md; hypercube_kmc.h). */
#include "hypercube_kmc_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_private.h"

#define NBATCH 8

static long nearest_count(double z, long h)
{
    long c = lround((z + 1.0) * 0.5 * (double)h);
    return c < 0 ? 0 : c > h ? h : c;
}

/* Equilibrium run: per trajectory the time averages of the jump rates of
 * each half and of s, d, s^2, d^2 (6 numbers) into avg. */
static int equilibrium_run(const hl_hkmc *k, const hl_protocol *p, const hl_hkmc_start *st0,
                           const hl_hkmc_mobility_opts *o, double *avg, long long *events)
{
    long N = o->trajectories;
    int err = HL_OK;
    long err_at = -1;
    char msg[256] = "";
    long long ev = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : ev)
    for (long j = 0; j < N; j++) {
        hl_hkmc_walker *w = NULL;
        hl_hkmc_observe ob;
        memset(&ob, 0, sizeof ob);
        ob.t_end = o->t_burn + o->t_measure;
        ob.t_from = o->t_burn;
        ob.max_events = -1;
        hl_hkmc_traj_info ti;
        memset(&ti, 0, sizeof ti);
        int s = hl_hkmc_walker_create(k, p, st0, o->traj_first + j, &w);
        if (!s)
            s = hl_hkmc_walker_run(w, &ob, NULL, &ti);
        hl_hkmc_walker_free(w);
        ev += ti.events;
        for (int c = 0; c < 6; c++)
            avg[6 * j + c] = ob.integ[c] / o->t_measure;
        if (s) {
#pragma omp critical(hl_hkmc_mob_err)
            if (err_at < 0 || j < err_at) {
                err_at = j;
                err = s;
                snprintf(msg, sizeof msg, "%s", hl_errmsg());
            }
        }
    }
    *events += ev;
    if (err)
        return hl_fail(err, "mobility, equilibrium trajectory %ld: %s", o->traj_first + err_at, msg);
    return HL_OK;
}

/* Solve K = A M^{-1} / D from the integral matrix T (columns: the runs) and
 * the initial displacements d0 (columns): A = d0 T^{-1}. */
static int relax_k(const double T[4], const double d0[4], const double M[3], double D,
                   double A[4], double K[3])
{
    double det = T[0] * T[3] - T[1] * T[2];
    if (!(fabs(det) > 0) || !isfinite(det))
        return -1;
    double Ti[4] = {T[3] / det, -T[1] / det, -T[2] / det, T[0] / det};
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 2; c++)
            A[2 * r + c] = d0[2 * r] * Ti[c] + d0[2 * r + 1] * Ti[2 + c];
    double dm = M[0] * M[2] - M[1] * M[1];
    if (!(fabs(dm) > 0))
        return -1;
    double Mi[4] = {M[2] / dm, -M[1] / dm, -M[1] / dm, M[0] / dm};
    double Kf[4];
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 2; c++)
            Kf[2 * r + c] = (A[2 * r] * Mi[c] + A[2 * r + 1] * Mi[2 + c]) / D;
    K[0] = Kf[0];
    K[1] = 0.5 * (Kf[1] + Kf[2]); /* symmetric part (the antisymmetric is noise) */
    K[2] = Kf[3];
    return 0;
}

int hl_hkmc_mobility_measure(const hl_hkmc *k, const hl_hkmc_mobility_opts *o,
                             hl_hkmc_mobility *out)
{
    if (!k || !o || !out)
        return hl_fail(HL_EINVAL, "hl_hkmc_mobility_measure: NULL argument");
    if (!(o->beta > 0) || !isfinite(o->beta) || o->trajectories < 2 * NBATCH ||
        !(o->t_burn >= 0) || !(o->t_measure > 0) || !(o->t_relax > 0) ||
        !isfinite(o->t_burn + o->t_measure + o->t_relax) || o->n_relax_times < 8 ||
        !(o->displacement >= 0.5) || !isfinite(o->displacement) || o->traj_first < 0 ||
        !(fabs(o->x0) + fabs(o->y0) <= 1.0))
        return hl_fail(HL_EINVAL, "mobility options: beta > 0, >= %d trajectories, t_measure, "
                                  "t_relax > 0, t_burn >= 0, >= 8 relaxation times, displacement "
                                  ">= 0.5 standard deviations, (x0, y0) in the square", 2 * NBATCH);
    memset(out, 0, sizeof *out);
    long D = k->dim, h = k->h, N = o->trajectories;
    double Dd = (double)D;
    hl_protocol *p = NULL;
    int st = hl_protocol_create_fixed(o->beta, &p);
    if (st)
        return st;
    size_t nt = o->n_relax_times;
    double *avg = malloc(sizeof(double) * 6 * (size_t)N);
    double *times = malloc(sizeof(double) * nt);
    long *ab = malloc(sizeof(long) * 2 * nt * (size_t)N);
    double *integ = malloc(sizeof(double) * 4 * (size_t)N); /* per traj: run (s, d) x (ds, dd) */
    if (!avg || !times || !ab || !integ) {
        st = hl_fail(HL_ENOMEM, "out of memory (mobility, %ld trajectories)", N);
        goto done;
    }
    out->beta = o->beta;
    hl_hkmc_start st0 = {HL_HKMC_START_CLASS, nearest_count(o->x0 + o->y0, h),
                         nearest_count(o->x0 - o->y0, h), NULL};
    out->start_a = st0.a;
    out->start_b = st0.b;
    if ((st = equilibrium_run(k, p, &st0, o, avg, &out->events)))
        goto done;
    /* jump moments and equilibrium means, in trajectory order */
    double c2 = 0.5 * (4.0 / Dd) * (4.0 / Dd);
    double mean[6] = {0}, se[6] = {0};
    for (long j = 0; j < N; j++)
        for (int c = 0; c < 6; c++)
            mean[c] += avg[6 * j + c] / (double)N;
    for (long j = 0; j < N; j++)
        for (int c = 0; c < 6; c++)
            se[c] += (avg[6 * j + c] - mean[c]) * (avg[6 * j + c] - mean[c]);
    for (int c = 0; c < 6; c++)
        se[c] = sqrt(se[c] / (double)(N - 1) / (double)N);
    out->k_jump[0] = c2 * mean[0];
    out->k_jump_se[0] = c2 * se[0];
    out->k_jump[1] = 0.0; /* single flips move s or d, never both */
    out->k_jump_se[1] = 0.0;
    out->k_jump[2] = c2 * mean[1];
    out->k_jump_se[2] = c2 * se[1];
    out->s_eq = mean[2];
    out->d_eq = mean[3];
    out->s_eq_se = se[2];
    out->d_eq_se = se[3];
    out->s_var = fmax(0.0, mean[4] - mean[2] * mean[2]);
    out->d_var = fmax(0.0, mean[5] - mean[3] * mean[3]);
    /* Hessian of -f in (s, d) at the equilibrium means, and the formula */
    double se_ = out->s_eq, de = out->d_eq, xe = 0.5 * (se_ + de), ye = 0.5 * (se_ - de);
    hl_phi_derivs pd;
    hl_model_phi_derivs(k->model, xe, ye, &pd);
    double pss = 0.25 * (pd.phi_xx + 2 * pd.phi_xy + pd.phi_yy);
    double pdd = 0.25 * (pd.phi_xx - 2 * pd.phi_xy + pd.phi_yy);
    double psd = 0.25 * (pd.phi_xx - pd.phi_yy);
    out->hess[0] = 0.5 / (1.0 - se_ * se_) + o->beta * pss;
    out->hess[1] = o->beta * psd;
    out->hess[2] = 0.5 / (1.0 - de * de) + o->beta * pdd;
    double B = hl_model_transmission(k->model, xe, ye, 1.0 / o->beta);
    out->k_formula[0] = 4.0 * B / Dd * sqrt(fmax(0.0, 1.0 - se_ * se_));
    out->k_formula[1] = 0.0;
    out->k_formula[2] = 4.0 * B / Dd * sqrt(fmax(0.0, 1.0 - de * de));
    /* relaxation runs */
    for (size_t i = 0; i < nt; i++)
        times[i] = o->t_relax * (double)i / (double)(nt - 1);
    double d0[4]; /* columns: run 0 (s displaced), run 1 (d displaced) */
    long ceq[2] = {nearest_count(se_, h), nearest_count(de, h)};
    for (long j = 0; j < 4 * N; j++)
        integ[j] = 0.0;
    for (int run = 0; run < 2; run++) {
        /* +delta and -delta from the same trajectory ids (common random
         * numbers): the difference cancels the equilibrium mean's error,
         * the even (non-linear) part of the response and much noise */
        double sd = sqrt(run == 0 ? out->s_var : out->d_var);
        long dk = lround(o->displacement * sd * 0.5 * (double)h);
        if (dk < 1)
            dk = 1;
        long lo = ceq[run] - dk, hi = ceq[run] + dk;
        if (lo < 0)
            lo = 0;
        if (hi > h)
            hi = h;
        if (hi == lo) {
            st = hl_fail(HL_EDOM, "mobility: no room to displace %s at D = %ld", run ? "d" : "s", D);
            goto done;
        }
        double last[2] = {0, 0};
        if (o->relax_curve)
            for (size_t i = 0; i < nt; i++)
                o->relax_curve[(size_t)run * nt + i] = o->relax_curve[(size_t)(2 + run) * nt + i] = 0.0;
        for (int sign = 0; sign < 2; sign++) {
            long cpos = sign == 0 ? hi : lo;
            hl_hkmc_start sr = {HL_HKMC_START_CLASS, run == 0 ? cpos : ceq[0],
                                run == 1 ? cpos : ceq[1], NULL};
            out->relax_start[run][0] = run == 0 ? hi : ceq[0];
            out->relax_start[run][1] = run == 1 ? hi : ceq[1];
            hl_hkmc_traj_info *ti = calloc((size_t)N, sizeof *ti);
            if (!ti) {
                st = hl_fail(HL_ENOMEM, "out of memory (mobility)");
                goto done;
            }
            st = hl_hkmc_sample(k, p, &sr, times, nt, o->traj_first + (run + 1) * N, N, ab, ti);
            for (long j = 0; j < N; j++)
                out->events += ti[j].events;
            free(ti);
            if (st)
                goto done;
            double sg = sign == 0 ? 0.5 : -0.5, dt = times[1] - times[0];
            for (long j = 0; j < N; j++) {
                double I[2] = {0, 0};
                for (size_t i = 0; i < nt; i++) {
                    const long *r = ab + 2 * ((size_t)j * nt + i);
                    double z[2] = {2.0 * (double)r[0] / (double)h, 2.0 * (double)r[1] / (double)h};
                    double wgt = (i == 0 || i == nt - 1) ? 0.5 : 1.0;
                    I[0] += wgt * z[0];
                    I[1] += wgt * z[1];
                    if (i == nt - 1)
                        last[run] += sg * z[run] / (double)N;
                    if (o->relax_curve) {
                        o->relax_curve[(size_t)run * nt + i] += sg * z[run] / (double)N;
                        o->relax_curve[(size_t)(2 + run) * nt + i] += sg * z[1 - run] / (double)N;
                    }
                }
                integ[4 * j + run] += sg * I[0] * dt;     /* T_s,run */
                integ[4 * j + 2 + run] += sg * I[1] * dt; /* T_d,run */
            }
        }
        d0[run] = run == 0 ? (double)(hi - lo) / (double)h : 0.0;     /* row s */
        d0[2 + run] = run == 1 ? (double)(hi - lo) / (double)h : 0.0; /* row d */
        out->tail[run] = fabs(last[run]) / fabs(d0[run * 3]);
        if (o->relax_curve)
            for (size_t i = 0; i < nt; i++) {
                o->relax_curve[(size_t)run * nt + i] /= d0[run * 3];
                o->relax_curve[(size_t)(2 + run) * nt + i] /= d0[run * 3];
            }
    }
    /* all trajectories, then NBATCH batches in trajectory order */
    double Tm[4] = {0}, M3[3] = {out->hess[0], out->hess[1], out->hess[2]};
    for (long j = 0; j < N; j++)
        for (int c = 0; c < 4; c++)
            Tm[c] += integ[4 * j + c] / (double)N;
    if (relax_k(Tm, d0, M3, Dd, out->relax_a, out->k_relax)) {
        for (int c = 0; c < 3; c++)
            out->k_relax[c] = out->k_relax_se[c] = NAN;
        goto done;
    }
    double kb[NBATCH][3], A[4];
    int nb_ok = 0;
    for (int bt = 0; bt < NBATCH; bt++) {
        long j0 = N * bt / NBATCH, j1 = N * (bt + 1) / NBATCH;
        double Tb[4] = {0};
        for (long j = j0; j < j1; j++)
            for (int c = 0; c < 4; c++)
                Tb[c] += integ[4 * j + c] / (double)(j1 - j0);
        if (!relax_k(Tb, d0, M3, Dd, A, kb[nb_ok]))
            nb_ok++;
    }
    for (int c = 0; c < 3; c++) {
        double m = 0, v = 0;
        for (int bt = 0; bt < nb_ok; bt++)
            m += kb[bt][c] / nb_ok;
        for (int bt = 0; bt < nb_ok; bt++)
            v += (kb[bt][c] - m) * (kb[bt][c] - m);
        out->k_relax_se[c] = nb_ok > 1 ? sqrt(v / (nb_ok - 1) / nb_ok) : NAN;
    }
done:
    free(avg);
    free(times);
    free(ab);
    free(integ);
    hl_protocol_free(p);
    return st;
}
