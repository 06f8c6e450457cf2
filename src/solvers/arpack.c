/* SPDX-License-Identifier: GPL-3.0-or-later */
/* arpack.c -- the reverse-communication loop of ARPACK dsaupd/dseupd for
 * symmetric problems, with the operator as a callback (arpack.h). */
#include "arpack.h"

#include <stdlib.h>
#include <string.h>

#include <arpack/arpack.h>

#include "core.h"

int hl_arpack_symmetric(const hl_arpack_problem *pb, double *w, double *z,
                        hl_arpack_info *info)
{
    if (!pb || !pb->op || !pb->which || !w)
        return hl_fail(HL_EINVAL, "hl_arpack_symmetric: NULL argument");
    long n = pb->n, nev = pb->nev;
    long ncv_l = pb->ncv > 0 ? pb->ncv : (2 * nev + 20 < n ? 2 * nev + 20 : n);
    const char *what = pb->what ? pb->what : "the operator";
    if (nev < 1 || ncv_l <= nev || ncv_l > n || (pb->mode != 1 && pb->mode != 3))
        return hl_fail(HL_EINVAL,
                       "ARPACK on %s: %ld eigenvalues with %ld Lanczos vectors of %ld entries "
                       "(mode %d)",
                       what, nev, ncv_l, n, pb->mode);
    hl_arpack_info loc = {0};
    if (!info)
        info = &loc;
    memset(info, 0, sizeof *info);
    int st = HL_OK;
    a_int ncv = (a_int)ncv_l;
    a_int lworkl = ncv * (ncv + 8), ido = 0, iparam[11] = {0}, ipntr[14] = {0}, ainfo = 0;
    double *resid = malloc(sizeof(double) * (size_t)n);
    double *v = malloc(sizeof(double) * (size_t)n * (size_t)ncv);
    double *workd = malloc(sizeof(double) * 3 * (size_t)n);
    double *workl = malloc(sizeof(double) * (size_t)lworkl);
    double *d = malloc(sizeof(double) * (size_t)nev);
    a_int *sel = calloc((size_t)ncv, sizeof(a_int));
    if (!resid || !v || !workd || !workl || !d || !sel) {
        st = hl_fail(HL_ENOMEM, "out of memory for ARPACK on %s (%.3g MB)", what,
                     (double)n * (double)(ncv + 4) * 8 / 1e6);
        goto out;
    }
    if (pb->start)
        memcpy(resid, pb->start, sizeof(double) * (size_t)n);
    ainfo = pb->start ? 1 : 0; /* 1: resid is the start vector */
    iparam[0] = 1;   /* exact shifts */
    iparam[2] = (a_int)(pb->max_restarts > 0 ? pb->max_restarts : 500);
    iparam[6] = (a_int)pb->mode;
    for (;;) {
        dsaupd_c(&ido, "I", (a_int)n, pb->which, (a_int)nev, pb->tol, resid, ncv, v, (a_int)n,
                 iparam, ipntr, workd, workl, lworkl, &ainfo);
        if (ido != -1 && ido != 1)
            break;
        if ((st = pb->op(pb->ctx, workd + ipntr[0] - 1, workd + ipntr[1] - 1)))
            goto out;
        info->applies++;
    }
    info->restarts = iparam[2];
    info->converged = iparam[4];
    if (ainfo < 0 || ainfo == 1 || iparam[4] < nev) {
        st = hl_fail(HL_ENOCONV,
                     "ARPACK dsaupd did not converge on %s (info %d, %d of %ld eigenvalues "
                     "after %ld operator applications)",
                     what, (int)ainfo, (int)iparam[4], nev, info->applies);
        goto out;
    }
    dseupd_c(z ? 1 : 0, "A", sel, d, v, (a_int)n, pb->sigma, "I", (a_int)n, pb->which, (a_int)nev,
             pb->tol, resid, ncv, v, (a_int)n, iparam, ipntr, workd, workl, lworkl, &ainfo);
    if (ainfo != 0) {
        st = hl_fail(HL_ENOCONV, "ARPACK dseupd failed on %s (info %d)", what, (int)ainfo);
        goto out;
    }
    memcpy(w, d, sizeof(double) * (size_t)nev);
    if (z)
        memcpy(z, v, sizeof(double) * (size_t)n * (size_t)nev);
out:
    free(resid);
    free(v);
    free(workd);
    free(workl);
    free(d);
    free(sel);
    return st;
}
