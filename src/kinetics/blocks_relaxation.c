/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_relaxation.c -- the supercooled liquid's relaxation time and
 * lifetime on the class lattice of the model of k blocks
 * (blocks_kinetics.h: hl_blocks_relaxation_at), and the classes of a named
 * basin (hl_blocks_basin_classes), on the chain engine (chain.h): the
 * chain of hl_blocks_chain at T, its restriction to the liquid basin, the
 * slowest rate and the rate constants of hl_chain_*. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/blocks_kinetics.h"
#include "hyperland/relaxation.h"
#include "core.h"
#include "kinetics_private.h"

/* The classes of the basins named name[0 .. n_names) at beta (ascending
 * class index) into set[j] (n_classes entries each); n[j] their number, 0
 * when there is no such basin; one exact computation for all.  An alias
 * that ties (hl_blocks_basin_lookup) is an error, never a basin. */
static int basin_sets(hl_blocks_exact *ex, double beta, int n_names, const char *const *name,
                      int *basin, long n_cl, long *const *set, size_t *n)
{
    hl_blocks_exact_result r = {0};
    int st = hl_blocks_exact_compute(ex, beta, basin, &r);
    for (int j = 0; j < n_names; j++) {
        n[j] = 0;
        int q = -1;
        if (!st && hl_blocks_basin_lookup(&r, name[j], &q) && q == -2) {
            st = HL_ENOTFOUND; /* ambiguous: the lookup's message */
            q = -1;
        }
        if (q >= 0 && r.basins[q].end >= 0)
            for (long i = 0; i < n_cl; i++)
                if (basin[i] == q)
                    set[j][n[j]++] = i;
    }
    hl_blocks_exact_result_free(&r);
    return st;
}

int hl_blocks_basin_classes(const hl_blocks *b, hl_blocks_exact *ex, double T, const char *name,
                            long *set, size_t *n)
{
    if (!b || !name || !set || !n)
        return hl_fail(HL_EINVAL, "hl_blocks_basin_classes: NULL argument");
    int st0 = hl_blocks_point_check(hl_blocks_k(b), name);
    if (st0)
        return st0;
    *n = 0;
    if (!(T >= 1e-6) || !isfinite(T))
        return hl_fail(HL_EDOM, "T must be finite and at least 1e-6 (got %g)", T);
    long nc = hl_blocks_n_classes(b);
    hl_blocks_exact *own = NULL;
    int st = HL_OK;
    if (!ex && (st = hl_blocks_exact_create(b, &own)))
        return st;
    int *basin = malloc(sizeof(int) * (size_t)nc);
    if (!basin)
        st = hl_fail(HL_ENOMEM, "out of memory (%ld classes)", nc);
    else
        st = basin_sets(ex ? ex : own, 1.0 / T, 1, &name, basin, nc, &set, n);
    free(basin);
    hl_blocks_exact_free(own);
    return st;
}

/* The chain of plan `full` restricted to the classes set[0 .. n) (edges
 * among them only: reflecting walls).  State j is set[j]; its weight is
 * the full chain's equilibrium ln_p, each edge's ln A = ln K(a -> g) -
 * (ln p_g - ln p_a) / 2 (K = A sqrt(M_g / M_a), chain.h), so the rates
 * inside the set are those of the whole chain. */
int hl_blocks_restrict_chain(const hl_blocks *b, hl_chain_plan *full, const double *ln_p,
                             const long *set, size_t n, long *map, hl_chain **out)
{
    int k = hl_blocks_k(b);
    long nc = hl_blocks_n_classes(b), stride[HL_BLOCKS_MAX], cls[HL_BLOCKS_MAX];
    stride[k - 1] = 1;
    for (int i = k - 2; i >= 0; i--)
        stride[i] = stride[i + 1] * (hl_blocks_size(b, i + 1) + 1);
    for (long i = 0; i < nc; i++)
        map[i] = -1;
    for (size_t j = 0; j < n; j++)
        map[set[j]] = (long)j;
    hl_chain *c = NULL;
    int st = hl_chain_create((long)n, &c);
    for (size_t j = 0; !st && j < n; j++)
        st = hl_chain_set_state(c, (long)j, ln_p[set[j]], 0.0);
    for (size_t j = 0; !st && j < n; j++) {
        long a = set[j];
        if ((st = hl_blocks_class(b, a, cls, NULL)))
            break;
        for (int i = 0; i < k && !st; i++) {
            if (cls[i] == hl_blocks_size(b, i) || map[a + stride[i]] < 0)
                continue;
            long g = a + stride[i];
            double lk;
            if ((st = hl_chain_ln_rate(full, a, g, &lk)))
                break;
            st = hl_chain_add_edge(c, (long)j, map[g], lk - 0.5 * (ln_p[g] - ln_p[a]), 0.0);
        }
    }
    if (st) {
        hl_chain_free(c);
        return st;
    }
    *out = c;
    return HL_OK;
}

/* The followed basin at T into *q: its index in r (basin: r's map), or -1
 * (with f->lost set when it vanished since f->T); f->top < 0: the basin
 * named liquid (-1 when there is none, -2 for an alias that ties).  prev:
 * n_classes entries of scratch.  The errors of hl_blocks_exact_compute. */
static int follow_basin(hl_blocks_exact *ex, double T, const hl_blocks_exact_result *r,
                        const int *basin, const char *liquid, hl_blocks_follow *f, int *prev,
                        int *q)
{
    *q = -1;
    if (f->lost)
        return HL_OK;
    if (f->top < 0) {
        if (hl_blocks_basin_lookup(r, liquid, q) && *q == -2)
            return HL_OK;
        if (*q >= 0 && r->basins[*q].end < 0)
            *q = -1;
        return HL_OK;
    }
    /* the basin the old top ascends to at T; it is the same basin when its
     * top ascends, at the old T, to the old top's basin (each top lies in
     * the other's basin); otherwise the old basin has vanished at a fold
     * between the two temperatures and its classes drain into another */
    int qt = basin[f->top];
    if (f->T == T) {
        *q = qt;
        return HL_OK;
    }
    hl_blocks_exact_result rp = {0};
    int st = hl_blocks_exact_compute(ex, 1.0 / f->T, prev, &rp);
    hl_blocks_exact_result_free(&rp);
    if (st)
        return st;
    if (prev[r->basins[qt].end] == prev[f->top]) {
        *q = qt;
        return HL_OK;
    }
    f->lost = 1;
    f->lost_T[0] = f->T;
    f->lost_T[1] = T;
    return HL_OK;
}

int hl_blocks_relaxation_at(const hl_blocks *b, hl_blocks_exact *ex, double T, const char *liquid,
                            const char *crystal, hl_relax_point *out)
{
    hl_blocks_follow f = {.top = -1};
    return hl_blocks_relaxation_follow(b, ex, T, liquid, crystal, &f, out);
}

int hl_blocks_relaxation_follow(const hl_blocks *b, hl_blocks_exact *ex, double T,
                                const char *liquid, const char *crystal, hl_blocks_follow *f,
                                hl_relax_point *out)
{
    if (!b || !out || !f)
        return hl_fail(HL_EINVAL, "hl_blocks_relaxation_follow: NULL argument");
    memset(out, 0, sizeof *out);
    out->T = T;
    out->ln_tau = out->ln_mfpt = NAN;
    if (!liquid)
        liquid = "liquid";
    if (!crystal)
        crystal = "crystal";
    int st0 = hl_blocks_point_check(hl_blocks_k(b), liquid);
    if (!st0)
        st0 = hl_blocks_point_check(hl_blocks_k(b), crystal);
    if (st0)
        return st0;
    if (!(T >= 1e-6) || !isfinite(T))
        return hl_fail(HL_EDOM, "T must be positive and finite, at least 1e-6 (got %g)", T);
    long nc = hl_blocks_n_classes(b);
    if (f->top >= nc)
        return hl_fail(HL_EINVAL, "hl_blocks_relaxation_follow: top class %ld of %ld", f->top, nc);
    if (f->top >= 0 && !(f->T >= 1e-6 && isfinite(f->T)))
        return hl_fail(HL_EDOM, "the followed basin's T must be finite, at least 1e-6 (got %g)",
                       f->T);
    double beta = 1.0 / T;
    hl_blocks_exact *own = NULL;
    hl_chain *full = NULL, *sub = NULL;
    hl_chain_plan *pf = NULL, *ps = NULL;
    hl_blocks_exact_result r = {0};
    int st = HL_OK;
    if (!ex && (st = hl_blocks_exact_create(b, &own)))
        return st;
    if (!ex)
        ex = own;
    int *basin = malloc(sizeof(int) * (size_t)nc), *prev = NULL;
    long *set_l = malloc(sizeof(long) * (size_t)nc), *set_c = malloc(sizeof(long) * (size_t)nc);
    long *map = malloc(sizeof(long) * (size_t)nc);
    double *ln_p = malloc(sizeof(double) * (size_t)nc);
    size_t n_l = 0, n_c = 0;
    if (f->top >= 0 && !f->lost)
        prev = malloc(sizeof(int) * (size_t)nc);
    if (!basin || !set_l || !set_c || !map || !ln_p || (f->top >= 0 && !f->lost && !prev)) {
        st = hl_fail(HL_ENOMEM, "out of memory (%ld classes)", nc);
        goto done;
    }
    if ((st = hl_blocks_exact_compute(ex, beta, basin, &r)))
        goto done;
    int ql = -1, qc = -1;
    if ((st = follow_basin(ex, T, &r, basin, liquid, f, prev, &ql)))
        goto done;
    if (ql == -2 || (hl_blocks_basin_lookup(&r, crystal, &qc) && qc == -2)) {
        st = HL_ENOTFOUND; /* an alias that ties: the lookup's message */
        goto done;
    }
    if (qc >= 0 && r.basins[qc].end < 0)
        qc = -1;
    for (long i = 0; i < nc; i++) {
        if (ql >= 0 && basin[i] == ql)
            set_l[n_l++] = i;
        if (qc >= 0 && basin[i] == qc)
            set_c[n_c++] = i;
    }
    if (ql >= 0) {
        f->top = r.basins[ql].end;
        f->T = T;
        snprintf(f->name, sizeof f->name, "%s", r.basins[ql].name);
        for (int i = 0; i < hl_blocks_k(b); i++)
            f->m[i] = r.basins[ql].m[i];
    } else {
        f->name[0] = '\0';
    }
    if (f->lost) {
        snprintf(out->tau_null, sizeof out->tau_null,
                 "the followed basin vanished between T = %.6g and %.6g (a fold)", f->lost_T[0],
                 f->lost_T[1]);
        snprintf(out->mfpt_null, sizeof out->mfpt_null, "%s", out->tau_null);
        goto done;
    }
    /* the whole chain at T (B at T: a B with T is right here) */
    if ((st = hl_blocks_chain(b, beta, &full)) || (st = hl_chain_plan_create(full, beta, &pf)) ||
        (st = hl_chain_equilibrium(pf, ln_p)))
        goto done;
    double pl_sum = 0;
    for (size_t j = 0; j < n_l; j++)
        pl_sum += exp(ln_p[set_l[j]]);
    out->liquid_classes = (long)n_l;
    /* a probability, a sum of terms that add up to 1 with the rest: its
     * round-off (1.00000000000001) is not a value above 1 */
    out->p_liquid = pl_sum > 1 ? 1 : pl_sum;
    if (n_l && n_c && set_l[0] == set_c[0]) {
        snprintf(out->tau_null, sizeof out->tau_null,
                 "'%.20s' and '%.20s' are the same basin at T = %.6g", liquid, crystal, T);
        snprintf(out->mfpt_null, sizeof out->mfpt_null, "%s", out->tau_null);
        goto done;
    }
    /* tau: the liquid basin alone, reflecting walls */
    if (n_l < 2) {
        snprintf(out->tau_null, sizeof out->tau_null,
                 n_l ? "the basin '%.20s' is a single class at T = %.6g (no relaxation)"
                     : "no basin '%.20s' at T = %.6g",
                 liquid, T);
    } else {
        if ((st = hl_blocks_restrict_chain(b, pf, ln_p, set_l, n_l, map, &sub)) ||
            (st = hl_chain_plan_create(sub, beta, &ps)))
            goto done;
        if ((st = hl_relax_basin_tau(ps, out)))
            goto done;
    }
    /* mfpt: the whole chain, from the liquid's local equilibrium to the crystal */
    if (!n_l || !n_c) {
        snprintf(out->mfpt_null, sizeof out->mfpt_null, "no basin '%.20s' at T = %.6g",
                 n_l ? crystal : liquid, T);
    } else {
        hl_chain_direction ab, ba;
        if ((st = hl_chain_rate_constants(pf, n_l, set_l, n_c, set_c, NULL, &ab, &ba, NULL)))
            goto done;
        out->ln_mfpt = ab.ln_mfpt;
    }
done:
    if (st && st != HL_ENOMEM) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", hl_errmsg());
        st = hl_fail(st, "at T = %g: %s", T, msg);
    }
    hl_chain_plan_free(ps);
    hl_chain_plan_free(pf);
    hl_chain_free(sub);
    hl_chain_free(full);
    free(basin);
    free(set_l);
    free(set_c);
    free(map);
    free(ln_p);
    hl_blocks_exact_result_free(&r);
    free(prev);
    hl_blocks_exact_free(own);
    return st;
}
