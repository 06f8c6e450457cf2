/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_kinetics.c -- mean first-passage times, committors and the
 * evolution of the model of k blocks on its class lattice through the
 * chain engine (blocks_kinetics.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/blocks_kinetics.h"
#include "core.h"

int hl_blocks_passage_sets(const hl_blocks *b, double beta, const char *from, const char *to,
                           long *start, long *target, size_t *n_target)
{
    if (!b || !from || !to || !start || !target || !n_target)
        return hl_fail(HL_EINVAL, "hl_blocks_passage_sets: NULL argument");
    int st0 = hl_blocks_point_check(hl_blocks_k(b), from);
    if (!st0)
        st0 = hl_blocks_point_check(hl_blocks_k(b), to);
    if (st0)
        return st0;
    hl_blocks_exact *ex = NULL;
    hl_blocks_exact_result r = {0};
    long n = hl_blocks_n_classes(b);
    int *basin = NULL;
    int st = hl_blocks_exact_create(b, &ex);
    if (st)
        goto done;
    basin = malloc(sizeof(int) * (size_t)n);
    if (!basin) {
        st = hl_fail(HL_ENOMEM, "out of memory (%ld classes)", n);
        goto done;
    }
    if ((st = hl_blocks_exact_compute(ex, beta, basin, &r)))
        goto done;
    int ia = -1, ib[HL_BLOCKS_MAX_BASINS], nb = 0;
    if ((st = hl_blocks_basin_lookup(&r, from, &ia)) ||
        (st = hl_blocks_basin_list(&r, to, ib, HL_BLOCKS_MAX_BASINS, &nb))) {
        if (st == HL_ENOTFOUND && strncmp(hl_errmsg(), "'", 1)) {
            /* not found: list the basins that are */
            char msg[256], names[256] = "";
            snprintf(msg, sizeof msg, "%s", hl_errmsg());
            for (int q = 0, len = 0; q < r.n_basins && len < (int)sizeof names - 20; q++)
                if (r.basins[q].end >= 0)
                    len += snprintf(names + len, sizeof names - (size_t)len, "%s%s",
                                    len ? ", " : "", r.basins[q].name);
            st = hl_fail(HL_ENOTFOUND, "%s (basins: %s; also %sm=v1,...,vk)", msg, names,
                         r.n_basins >= 2 ? "liquid, crystal, " : "");
        }
        goto done;
    }
    for (int j = 0; j < nb; j++)
        if (ib[j] == ia) {
            st = hl_fail(HL_EINVAL, "'%s' and '%s' are the same basin (%s) at beta = %g", from,
                         nb > 1 ? r.basins[ia].name : to, r.basins[ia].name, beta);
            goto done;
        }
    unsigned char *in = calloc((size_t)r.n_basins, 1);
    if (!in) {
        st = hl_fail(HL_ENOMEM, "out of memory");
        goto done;
    }
    for (int j = 0; j < nb; j++)
        in[ib[j]] = 1;
    size_t nt = 0;
    for (long i = 0; i < n; i++)
        if (in[basin[i]])
            target[nt++] = i;
    free(in);
    *start = r.basins[ia].end;
    *n_target = nt;
done:
    free(basin);
    hl_blocks_exact_result_free(&r);
    hl_blocks_exact_free(ex);
    return st;
}

int hl_blocks_mfpt(const hl_blocks *b, double beta, const char *from, const char *to,
                   const char *method, double *ln_committor, hl_blocks_passage *out)
{
    if (!b || !from || !to || !out)
        return hl_fail(HL_EINVAL, "hl_blocks_mfpt: NULL argument");
    hl_chain *c = NULL;
    hl_chain_plan *p = NULL;
    long n = hl_blocks_n_classes(b), start = -1;
    long *target = NULL;
    double *lm = NULL;
    size_t nt = 0;
    int st = HL_OK;
    if (n < 0 || n > HL_BLOCKS_EXACT_MAX_CLASSES) {
        /* the exact sums' refusal, before any allocation of n entries */
        hl_blocks_exact *ex = NULL;
        st = hl_blocks_exact_create(b, &ex);
        hl_blocks_exact_free(ex);
        return st ? st : hl_fail(HL_ERANGE, "%ld classes", n);
    }
    lm = malloc(sizeof(double) * (size_t)n);
    target = malloc(sizeof(long) * (size_t)n);
    if (!lm || !target) {
        st = hl_fail(HL_ENOMEM, "out of memory (%ld classes)", n);
        goto done;
    }
    if ((st = hl_blocks_passage_sets(b, beta, from, to, &start, target, &nt)))
        goto done;
    if ((st = hl_blocks_chain(b, beta, &c)) || (st = hl_chain_plan_create(c, beta, &p)))
        goto done;
    hl_chain_result res = {"none", NAN};
    if ((st = hl_chain_mfpt(p, nt, target, method, lm, &res)))
        goto done;
    out->start = start;
    out->target_classes = (long)nt;
    /* a time whose digits are all lost (sparse-direct: eps kappa >= 1) is
     * NaN, never a number */
    out->ln_mfpt = res.resolution < 1 ? lm[out->start] : NAN;
    out->method = res.method;
    out->resolution = res.resolution;
    if (ln_committor) {
        long a = out->start;
        hl_chain_result rq = {"none", NAN};
        st = hl_chain_committor(p, 1, &a, nt, target, method, ln_committor, NULL, &rq);
        if (!st && !(rq.resolution < 1))
            st = hl_fail(HL_ERANGE, "the %s committor lost every digit (relative resolution "
                                    "%.2g); use graph-transformation", rq.method, rq.resolution);
    }
done:
    hl_chain_plan_free(p);
    hl_chain_free(c);
    free(lm);
    free(target);
    return st;
}

static int rebuild(void *ctx, double beta, hl_chain **out)
{
    return hl_blocks_chain((const hl_blocks *)ctx, beta, out);
}

static int blocks_evolve(const hl_blocks *b, const hl_protocol *p, const double *p0,
                         const double *times, size_t n_times, double rtol, double *p_out,
                         double *floor, double *rel_floor, int check, hl_chain_result *result)
{
    if (!b || !p)
        return hl_fail(HL_EINVAL, "hl_blocks_evolve: NULL argument");
    int st = hl_protocol_check(p);
    if (st)
        return st;
    if (hl_blocks_transmission_uses_t(b) && hl_protocol_settle_time(p) > 0)
        return check ? hl_chain_evolve_protocol_rebuild_check(rebuild, (void *)b, p, p0, times,
                                                              n_times, rtol, p_out, floor,
                                                              rel_floor, result)
                     : hl_chain_evolve_protocol_rebuild(rebuild, (void *)b, p, p0, times,
                                                        n_times, rtol, p_out, result);
    /* B without T: the chain's weights and edges follow beta exactly; a
     * fixed beta: the chain at that beta */
    hl_chain *c = NULL;
    if ((st = hl_blocks_chain(b, hl_protocol_beta(p, 0.0), &c)))
        return st;
    st = check ? hl_chain_evolve_protocol_check(c, p, p0, times, n_times, rtol, p_out, floor,
                                                rel_floor, result)
               : hl_chain_evolve_protocol(c, p, p0, times, n_times, rtol, p_out, result);
    hl_chain_free(c);
    return st;
}

int hl_blocks_evolve(const hl_blocks *b, const hl_protocol *p, const double *p0,
                     const double *times, size_t n_times, double rtol, double *p_out,
                     hl_chain_result *result)
{
    return blocks_evolve(b, p, p0, times, n_times, rtol, p_out, NULL, NULL, 0, result);
}

int hl_blocks_evolve_check(const hl_blocks *b, const hl_protocol *p, const double *p0,
                           const double *times, size_t n_times, double rtol, double *p_check,
                           double *floor, double *rel_floor, hl_chain_result *result)
{
    return blocks_evolve(b, p, p0, times, n_times, rtol, p_check, floor, rel_floor, 1, result);
}
