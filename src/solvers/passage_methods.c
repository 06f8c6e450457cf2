/* SPDX-License-Identifier: GPL-3.0-or-later */
/* passage_methods.c -- the table of first-passage methods, the checks of a
 * problem, and the A <-> B rate constants built on any method (rpassage.h).
 * A new method is a file with an hl_pass_method and one entry below. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "rpassage.h"

static const hl_pass_method *const METHODS[] = {&hl_pass_gt, &hl_pass_direct};

const hl_pass_method *const *hl_pass_methods(size_t *n)
{
    if (n)
        *n = sizeof METHODS / sizeof METHODS[0];
    return METHODS;
}

const hl_pass_method *hl_pass_method_find(const char *name)
{
    for (size_t k = 0; name && k < sizeof METHODS / sizeof METHODS[0]; k++)
        if (!strcmp(METHODS[k]->name, name))
            return METHODS[k];
    return NULL;
}

static double lse(double a, double b)
{
    if (a == -INFINITY)
        return b;
    if (b == -INFINITY)
        return a;
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

static int check_problem(const hl_pass_problem *p)
{
    if (!p || !p->chain || !p->absorb)
        return hl_fail(HL_EINVAL, "first passage: NULL problem");
    const hl_rchain *c = p->chain;
    if (c->n < 1 || !c->ln_pi || (c->m > 0 && (!c->ea || !c->eb || !c->ln_c)))
        return hl_fail(HL_EINVAL, "first passage: an empty or unfilled chain");
    for (long e = 0; e < c->m; e++) {
        long a = c->ea[e], b = c->eb[e];
        if (a < 0 || a >= c->n || b < 0 || b >= c->n || a == b)
            return hl_fail(HL_EINVAL, "edge %ld joins states %ld and %ld of a chain of %ld", e,
                           a, b, c->n);
    }
    int st = hl_rchain_check_values(c);
    if (st)
        return st;
    long nabs = 0;
    for (long a = 0; a < c->n; a++) {
        unsigned char t = p->absorb[a];
        if (t > HL_PASS_TO_B)
            return hl_fail(HL_EINVAL, "state %ld: absorbing code %d is not 0, 1 or 2", a, t);
        if (t != HL_PASS_FREE) {
            if (c->ln_pi[a] == -INFINITY)
                return hl_fail(HL_EINVAL, "absorbing state %ld is not part of the chain "
                                          "(ln M = -inf)", a);
            nabs++;
        }
    }
    if (nabs == 0)
        return hl_fail(HL_EINVAL, "first passage: no absorbing state");
    return HL_OK;
}

/* the method for p: the one named, or the first that applies */
static int pick(const hl_pass_problem *p, const char *method, const hl_pass_method **out)
{
    char why[256] = "";
    if (method) {
        const hl_pass_method *m = hl_pass_method_find(method);
        if (!m)
            return hl_fail(HL_EINVAL, "no first-passage method '%s'",
                           hl_clip(method, (char[HL_CLIP_BUF]){0}));
        if (!m->applies(p, why, sizeof why))
            return hl_fail(HL_ERANGE, "the %s method does not apply: %s", m->name, why);
        *out = m;
        return HL_OK;
    }
    for (size_t k = 0; k < sizeof METHODS / sizeof METHODS[0]; k++)
        if (METHODS[k]->applies(p, why, sizeof why)) {
            *out = METHODS[k];
            return HL_OK;
        }
    return hl_fail(HL_ERANGE, "no first-passage method applies: %s", why);
}

int hl_pass_solve_kept(const hl_pass_problem *p, const char *method, hl_pass_solution *s,
                       hl_pass_cache **keep)
{
    int st = check_problem(p);
    if (st)
        return st;
    if (!s)
        return hl_fail(HL_EINVAL, "first passage: NULL solution");
    const hl_pass_method *m = NULL;
    if ((st = pick(p, method, &m)))
        return st;
    if (keep && m == &hl_pass_gt)
        return hl_pass_gt_solve_kept(p, s, keep);
    return m->solve(p, s);
}

int hl_pass_solve(const hl_pass_problem *p, const char *method, hl_pass_solution *s)
{
    return hl_pass_solve_kept(p, method, s, NULL);
}

int hl_pass_sets(long n, const long *a, size_t na, const long *b, size_t nb,
                 unsigned char *set)
{
    if (!set || (na && !a) || (nb && !b))
        return hl_fail(HL_EINVAL, "hl_pass_sets: NULL argument");
    if (!na || !nb)
        return hl_fail(HL_EINVAL, "set %s is empty", !na ? "A" : "B");
    memset(set, 0, (size_t)n);
    for (int s = 0; s < 2; s++) {
        const long *l = s ? b : a;
        for (size_t k = 0; k < (s ? nb : na); k++) {
            if (l[k] < 0 || l[k] >= n)
                return hl_fail(HL_EINVAL, "state %ld of set %c is not in [0, %ld)", l[k],
                               s ? 'B' : 'A', n);
            if (s && set[l[k]] == 1)
                return hl_fail(HL_EINVAL, "state %ld is in both A and B", l[k]);
            set[l[k]] = (unsigned char)(s + 1);
        }
    }
    return HL_OK;
}

/* one direction: source set code src (1 = A, 2 = B) */
static int direction(const hl_rchain *c, const unsigned char *set, int src, const char *method,
                     const double *lnq_to_target, double ln_total, double *ln_tau,
                     unsigned char *absorb, hl_pass_direction *d, hl_pass_solution *s,
                     hl_pass_cache **keep)
{
    int tgt = src == 1 ? 2 : 1;
    for (long a = 0; a < c->n; a++)
        absorb[a] = set[a] == tgt ? HL_PASS_TO_B : HL_PASS_FREE;
    hl_pass_problem p = {c, absorb};
    memset(s, 0, sizeof *s);
    s->ln_tau = ln_tau;
    int st = hl_pass_solve_kept(&p, method, s, keep);
    if (st)
        return st;
    double lp = -INFINITY, lt = -INFINITY, lk = -INFINITY, lj = -INFINITY;
    for (long a = 0; a < c->n; a++) {
        if (set[a] != src)
            continue;
        if (isnan(ln_tau[a]))
            return hl_fail(HL_ERANGE, "the mean first-passage time from state %ld lost its "
                                      "digits (%s method)", a, s->method);
        lp = lse(lp, c->ln_pi[a]);
        lt = lse(lt, c->ln_pi[a] + ln_tau[a]);
        lk = lse(lk, c->ln_pi[a] - ln_tau[a]);
    }
    /* the reactive flux out of the source: edges source -> not source */
    for (long e = 0; e < c->m; e++) {
        long a = c->ea[e], b = c->eb[e];
        if (c->ln_c[e] == -INFINITY || c->ln_pi[a] == -INFINITY || c->ln_pi[b] == -INFINITY)
            continue;
        if ((set[a] == src) == (set[b] == src))
            continue;
        long o = set[a] == src ? b : a;
        double lq = lnq_to_target[o];
        if (isnan(lq))
            return hl_fail(HL_ERANGE, "the committor of state %ld lost its digits", o);
        lj = lse(lj, c->ln_c[e] + 0.5 * (c->ln_pi[a] + c->ln_pi[b]) + lq);
    }
    d->ln_mfpt = lt - lp;
    d->ln_k_f = lp - lt;
    d->ln_k_nss = lk - lp;
    d->ln_k_ss = lj - lp;
    d->ln_p_source = lp - ln_total;
    return HL_OK;
}

int hl_pass_rates_compute(const hl_rchain *c, const unsigned char *set, const char *method,
                          hl_pass_rates *out, double *ln_q, double *ln_qm)
{
    return hl_pass_rates_compute_kept(c, set, method, out, ln_q, ln_qm, NULL);
}

int hl_pass_rates_compute_kept(const hl_rchain *c, const unsigned char *set,
                               const char *method, hl_pass_rates *out, double *ln_q,
                               double *ln_qm, hl_pass_cache **keep)
{
    if (!c || !set || !out)
        return hl_fail(HL_EINVAL, "hl_pass_rates_compute: NULL argument");
    memset(out, 0, sizeof *out);
    long na = 0, nb = 0;
    for (long a = 0; a < c->n; a++) {
        if (set[a] > 2)
            return hl_fail(HL_EINVAL, "state %ld: set code %d is not 0, 1 (A) or 2 (B)", a,
                           set[a]);
        if (set[a] && c->ln_pi[a] == -INFINITY)
            return hl_fail(HL_EINVAL, "state %ld of set %c is not part of the chain", a,
                           set[a] == 1 ? 'A' : 'B');
        na += set[a] == 1;
        nb += set[a] == 2;
    }
    if (!na || !nb)
        return hl_fail(HL_EINVAL, "set %s is empty", !na ? "A" : "B");
    size_t sn = (size_t)c->n;
    double *q = malloc(sizeof(double) * sn), *qm = malloc(sizeof(double) * sn);
    double *tau = malloc(sizeof(double) * sn);
    unsigned char *absorb = malloc(sn);
    int st = HL_OK;
    if (!q || !qm || !tau || !absorb) {
        st = hl_fail(HL_ENOMEM, "out of memory (rates of %ld states)", c->n);
        goto done;
    }
    double ln_total = -INFINITY;
    for (long a = 0; a < c->n; a++)
        ln_total = lse(ln_total, c->ln_pi[a]);
    /* the committors: A and B absorbing */
    for (long a = 0; a < c->n; a++)
        absorb[a] = set[a] == 1 ? HL_PASS_TO_A : set[a] == 2 ? HL_PASS_TO_B : HL_PASS_FREE;
    hl_pass_problem p = {c, absorb};
    hl_pass_solution s = {0};
    s.ln_q = q;
    s.ln_qm = qm;
    if ((st = hl_pass_solve_kept(&p, method, &s, keep)))
        goto done;
    out->method = s.method;
    out->resolution = s.resolution;
    hl_pass_solution s2;
    if ((st = direction(c, set, 1, method, q, ln_total, tau, absorb, &out->ab, &s2, keep)))
        goto done;
    if (s2.resolution > out->resolution)
        out->resolution = s2.resolution;
    if ((st = direction(c, set, 2, method, qm, ln_total, tau, absorb, &out->ba, &s2, keep)))
        goto done;
    if (s2.resolution > out->resolution)
        out->resolution = s2.resolution;
    if (ln_q)
        memcpy(ln_q, q, sizeof(double) * sn);
    if (ln_qm)
        memcpy(ln_qm, qm, sizeof(double) * sn);
done:
    free(q);
    free(qm);
    free(tau);
    free(absorb);
    return st;
}
