/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hypercube_kmc_sample.c -- ensembles of hypercube trajectories by id
 * range (OpenMP over the ids, each written to its own rows, so the result
 * does not depend on the thread count), one trajectory's history, and the
 * moments summed in trajectory order (hypercube_kmc.h). */
#include "hypercube_kmc_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kinetics_private.h"

int hl_hkmc_sample(const hl_hkmc *k, const hl_protocol *p, const hl_hkmc_start *start,
                   const double *times, size_t n_times, long traj_first, long traj_count,
                   long *ab, hl_hkmc_traj_info *info)
{
    if (!k || !p || !start || !times || !ab || traj_first < 0 || traj_count < 1)
        return hl_fail(HL_EINVAL, "hl_hkmc_sample: NULL argument or empty trajectory range");
    int st = hl_check_times(times, n_times);
    if (st)
        return st;
    int first_err = HL_OK;
    long err_at = -1;
    char msg[256] = "";
#pragma omp parallel for schedule(dynamic, 1)
    for (long j = 0; j < traj_count; j++) {
        int s;
        hl_hkmc_walker *w = NULL;
        hl_hkmc_observe o;
        memset(&o, 0, sizeof o);
        o.times = times;
        o.n_times = n_times;
        o.ab = ab + 2 * (size_t)j * n_times;
        o.t_end = times[n_times - 1];
        o.t_from = INFINITY;
        o.max_events = -1;
        hl_hkmc_traj_info ti;
        memset(&ti, 0, sizeof ti);
        s = hl_hkmc_walker_create(k, p, start, traj_first + j, &w);
        if (!s)
            s = hl_hkmc_walker_run(w, &o, NULL, &ti);
        hl_hkmc_walker_free(w);
        if (info)
            info[j] = ti;
        if (s) {
#pragma omp critical(hl_hkmc_err)
            if (err_at < 0 || j < err_at) {
                err_at = j;
                first_err = s;
                snprintf(msg, sizeof msg, "%s", hl_errmsg());
            }
        }
    }
    if (first_err)
        return hl_fail(first_err, "trajectory %ld: %s", traj_first + err_at, msg);
    return HL_OK;
}

int hl_hkmc_trajectory(const hl_hkmc *k, const hl_protocol *p, const hl_hkmc_start *start,
                       long traj_id, double t_end, long max_events, double *t_out,
                       long *ab_out, signed char *sigma_out, long *n_events,
                       hl_hkmc_traj_info *info)
{
    if (!(t_end >= 0) || !isfinite(t_end))
        return hl_fail(HL_EINVAL, "hl_hkmc_trajectory: t_end %g must be finite and >= 0", t_end);
    if ((t_out || ab_out) && max_events < 0)
        return hl_fail(HL_EINVAL, "hl_hkmc_trajectory: an event record needs max_events >= 0");
    hl_hkmc_walker *w = NULL;
    int st = hl_hkmc_walker_create(k, p, start, traj_id, &w);
    if (st)
        return st;
    hl_hkmc_observe o;
    memset(&o, 0, sizeof o);
    o.t_end = t_end;
    o.t_from = INFINITY;
    o.max_events = max_events;
    o.ev_t = t_out;
    o.ev_ab = ab_out;
    st = hl_hkmc_walker_run(w, &o, n_events, info);
    if (!st && sigma_out)
        memcpy(sigma_out, hl_hkmc_walker_spins(w), (size_t)k->dim);
    hl_hkmc_walker_free(w);
    return st;
}

int hl_hkmc_moments_compute(long dim, const double *times, size_t n_times, long n_traj,
                            const long *ab, hl_hkmc_moments *out)
{
    if (!times || !ab || !out || n_traj < 1 || dim < 2)
        return hl_fail(HL_EINVAL, "hl_hkmc_moments_compute: bad argument");
    double h = (double)(dim / 2);
    for (size_t t = 0; t < n_times; t++) {
        /* two passes in trajectory order: the mean, then the squared
         * deviations (no cancellation of sum z^2 - n m^2) */
        double sum[4] = {0}, dev2[4] = {0}, m[4];
        for (int pass = 0; pass < 2; pass++)
            for (long j = 0; j < n_traj; j++) {
                const long *r = ab + 2 * ((size_t)j * n_times + t);
                double s = 2.0 * (double)r[0] / h - 1.0, d = 2.0 * (double)r[1] / h - 1.0;
                double v[4] = {s, d, 0.5 * (s + d), 0.5 * (s - d)};
                for (int c = 0; c < 4; c++) {
                    if (pass == 0)
                        sum[c] += v[c];
                    else
                        dev2[c] += (v[c] - m[c]) * (v[c] - m[c]);
                }
                if (pass == 0 && j == n_traj - 1)
                    for (int c = 0; c < 4; c++)
                        m[c] = sum[c] / (double)n_traj;
            }
        out[t].t = times[t];
        for (int c = 0; c < 4; c++) {
            double var = n_traj > 1 ? dev2[c] / (double)(n_traj - 1) : 0.0;
            out[t].mean[c] = m[c];
            out[t].var[c] = var;
            out[t].se[c] = sqrt(var / (double)n_traj);
        }
    }
    return HL_OK;
}
