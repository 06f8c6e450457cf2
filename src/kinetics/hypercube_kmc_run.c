/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hypercube_kmc_run.c -- one trajectory on the full hypercube
 * (hypercube_kmc.h): the start vertex, the class rates of eq 5.2 at the
 * vertex level, the direct method at fixed beta, thinning under a
 * protocol, partial-sum tree selection (per-spin factors) or a linear scan (vertex
 * energies), and the observations. */
#include "hypercube_kmc_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_private.h"

/* Rebuild the partial-sum trees after this many events (rounding drift of the
 * incremental sums). */
#define REBUILD_EVERY (1LL << 20)

/* The rate parts of a class (a pure function of (a, b) and the model, so
 * a cached copy gives the same numbers bit for bit as a recomputation). */
typedef struct {
    long a, b;            /* the class (a = -1: empty slot)               */
    double phi0, phin[4], c[4], e[4], rfix[4];
    int ok[4];
} hl_hkmc_class;
/* Classes kept (a random walk on the class lattice returns often to the
 * classes it just visited): a power of 2. */
#define CLASS_CACHE 1024

struct hl_hkmc_walker {
    const hl_hkmc *k;
    const hl_protocol *p;
    long D, h;
    signed char *sigma;
    long a, b;
    int shifts;           /* vertex energies: the O(D) path             */
    const struct sel_method *sel; /* the event selection (per-spin factors) */
    hl_sumtree tr[2];     /* tree: per half, way 0 the factors of its -1
                             spins, way 1 those of its +1 spins (group
                             q = 2 half + way)                          */
    hl_crsel cr;          /* composition-rejection                       */
    double F[4];          /* group sums                                 */
    double *wtmp;         /* 2h (tree path) or D (shift path) doubles */
    /* class rate parts: r_q(beta) = exp(c[q] + beta e[q]); rfix[q] =
     * r_q(beta_fix) */
    hl_hkmc_class cls;
    hl_hkmc_class *cache; /* CLASS_CACHE recent classes, direct-mapped   */
    double beta_fix;      /* > 0: beta constant from settle on          */
    double settle;        /* protocol settle time                       */
    double B_T;           /* temperature at which B is evaluated        */
    /* vertex energies */
    uint64_t key;
    double eps_v, *eps_nb;
    hl_rng_stream rs;
    double t;
    long long since_rebuild;
    hl_hkmc_traj_info info;
};

const signed char *hl_hkmc_walker_spins(const hl_hkmc_walker *w) { return w->sigma; }

static double class_phi(const hl_hkmc_walker *w, long a, long b)
{
    return hl_model_phi(w->k->model, hl_class_x(w->h, a, b), hl_class_y(w->h, a, b));
}

/* The rate parts of the four moves of the current class; neighbour phi
 * values are recomputed except the one of the class just left (q_from:
 * the move that brought the walker here, -1 at the start). */
static int class_update(hl_hkmc_walker *w, int q_came, double phi_prev)
{
    long h = w->h, a = w->a, b = w->b;
    const hl_model *m = w->k->model;
    if (q_came < 0)
        w->cls.phi0 = class_phi(w, a, b);
    if (!isfinite(w->cls.phi0))
        return hl_fail(HL_EDOM, "phi is not finite at class (a, b) = (%ld, %ld)", a, b);
    int bdef = hl_model_transmission_is_default(m);
    for (int q = 0; q < 4; q++) {
        long a2 = a + (q == 0) - (q == 1), b2 = b + (q == 2) - (q == 3);
        if (a2 < 0 || a2 > h || b2 < 0 || b2 > h) {
            w->cls.ok[q] = 0;
            w->cls.c[q] = w->cls.e[q] = 0.0;
            continue;
        }
        w->cls.ok[q] = 1;
        if (q_came >= 0 && q == (q_came ^ 1))
            w->cls.phin[q] = phi_prev;
        else
            w->cls.phin[q] = class_phi(w, a2, b2);
        if (!isfinite(w->cls.phin[q]))
            return hl_fail(HL_EDOM, "phi is not finite at class (a, b) = (%ld, %ld)", a2, b2);
        w->cls.e[q] = -0.5 * (double)w->D * (w->cls.phin[q] - w->cls.phi0);
        if (bdef) {
            w->cls.c[q] = 0.0;
        } else {
            double bx = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
            double by = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
            double Bt = hl_model_transmission(m, bx, by, w->B_T);
            int st = hl_check_bond_b(Bt, a, b, a2, b2, bx, by, w->B_T);
            if (st)
                return st;
            w->cls.c[q] = log(Bt);
        }
    }
    for (int q = 0; q < 4; q++)
        w->cls.rfix[q] = w->cls.ok[q] ? exp(w->cls.c[q] + w->beta_fix * w->cls.e[q]) : 0.0;
    w->cls.a = a;
    w->cls.b = b;
    return HL_OK;
}

static inline double group_rate(const hl_hkmc_walker *w, int q, double beta)
{
    if (beta == w->beta_fix)
        return w->cls.rfix[q];
    return w->cls.ok[q] ? exp(w->cls.c[q] + beta * w->cls.e[q]) : 0.0;
}

/* The rate parts of the class just entered by move q_came from the class
 * whose phi was phi_prev: from the cache or computed (and cached). */
static int class_enter(hl_hkmc_walker *w, int q_came, double phi_prev)
{
    unsigned long slot = ((unsigned long)w->a * 0x9E3779B1UL + (unsigned long)w->b * 0x85EBCA77UL) >> 7;
    hl_hkmc_class *c = &w->cache[slot & (CLASS_CACHE - 1)];
    if (c->a == w->a && c->b == w->b) {
        w->cls = *c;
        return HL_OK;
    }
    int st = class_update(w, q_came, phi_prev);
    if (!st)
        *c = w->cls;
    return st;
}

static inline int spin_group(const hl_hkmc_walker *w, long i)
{
    return 2 * (i >= w->h) + (w->sigma[i] > 0);
}

static int tree_build(hl_hkmc_walker *w)
{
    long h = w->h;
    for (int half = 0; half < 2; half++) {
        for (long j = 0; j < h; j++) {
            int up = w->sigma[half * h + j] > 0;
            w->wtmp[2 * j + up] = w->k->f[half * h + j];
            w->wtmp[2 * j + !up] = 0.0;
        }
        hl_sumtree_build(&w->tr[half], w->wtmp);
        w->F[2 * half] = hl_sumtree_total(&w->tr[half], 0);
        w->F[2 * half + 1] = hl_sumtree_total(&w->tr[half], 1);
    }
    w->since_rebuild = 0;
    w->info.rebuilds++;
    return HL_OK;
}

static int tree_init(hl_hkmc_walker *w)
{
    int st = HL_OK;
    for (int half = 0; half < 2 && !st; half++)
        st = hl_sumtree_init(&w->tr[half], w->h, 2);
    return st ? st : tree_build(w);
}

static void tree_free(hl_hkmc_walker *w)
{
    for (int half = 0; half < 2; half++)
        hl_sumtree_free(&w->tr[half]);
}

/* Pick a spin of group q by ui in [0, F_q) and flip it; 1 if the descent
 * left the group (the sums drifted: rebuilt, the caller redraws). */
static int flip(hl_hkmc_walker *w, long i, int qf, double fi);
static int tree_pick_flip(hl_hkmc_walker *w, int q, double ui, int *st)
{
    long j = hl_sumtree_find(&w->tr[q >> 1], q & 1, ui);
    /* the leaf is exactly the spin's factor when it is in the group, 0
     * when not (leaves only ever gain and lose the same value) */
    double fi = j < w->h ? hl_sumtree_get(&w->tr[q >> 1], q & 1, j) : 0.0;
    if (fi > 0) {
        if (++w->since_rebuild >= REBUILD_EVERY)
            tree_build(w);
        *st = flip(w, (q >> 1) * w->h + j, q, fi);
        return 0;
    }
    tree_build(w);
    return 1;
}

static void tree_move(hl_hkmc_walker *w, int q, long j, double fi)
{
    hl_sumtree_move(&w->tr[q >> 1], q & 1, (q & 1) ^ 1, j, fi);
    w->F[q] -= fi;
    w->F[q ^ 1] += fi;
}

static int cr_init(hl_hkmc_walker *w)
{
    int st = hl_crsel_init(&w->cr, w->k->f, w->h);
    if (!st)
        st = hl_crsel_build(&w->cr, w->sigma, &w->rs);
    if (!st)
        for (int q = 0; q < 4; q++)
            w->F[q] = w->cr.half[q >> 1].F[q & 1];
    return st;
}

static void cr_free(hl_hkmc_walker *w) { hl_crsel_free(&w->cr); }

static int cr_pick_flip(hl_hkmc_walker *w, int q, double ui, int *st)
{
    long j = hl_crsel_pick(&w->cr, q >> 1, q & 1, ui, &w->rs);
    if (j < 0) {
        *st = hl_fail(HL_ENOCONV, "hypercube KMC: group %d of positive rate is empty", q);
        return 0;
    }
    *st = flip(w, (q >> 1) * w->h + j, q, 0.0);
    return 0;
}

static void cr_move(hl_hkmc_walker *w, int q, long j, double fi)
{
    (void)j;
    (void)fi;
    hl_crsel_flip(&w->cr, q >> 1, q & 1);
    w->F[q & ~1] = w->cr.half[q >> 1].F[0];
    w->F[q | 1] = w->cr.half[q >> 1].F[1];
}

/* The event selections of per-spin factors (hypercube_kmc.h,
 * HL_HKMC_SELECT_*): set up and fill from sigma (and the group sums F),
 * free, pick a spin of a group and flip it, move a spin's factor to the
 * other group of its half. */
typedef struct sel_method {
    int (*init)(hl_hkmc_walker *w);
    void (*free)(hl_hkmc_walker *w);
    int (*pick_flip)(hl_hkmc_walker *w, int q, double ui, int *st);
    void (*move)(hl_hkmc_walker *w, int q, long j, double fi);
} sel_method;

static const sel_method SEL_METHODS[] = {
    [HL_HKMC_SELECT_TREE] = {tree_init, tree_free, tree_pick_flip, tree_move},
    [HL_HKMC_SELECT_CR] = {cr_init, cr_free, cr_pick_flip, cr_move},
};

/* Shift path: every neighbour's energy from the current key. */
static void shift_refresh_all(hl_hkmc_walker *w)
{
    w->eps_v = hl_hkmc_eps_of_key(w->k, w->key);
    for (long i = 0; i < w->D; i++)
        w->eps_nb[i] = hl_hkmc_eps_of_key(w->k, w->key ^ hl_hkmc_key_bit(w->k, i));
}

/* The total rate at beta; the group rates R_q (tree path) or the D
 * rates into wtmp (shift path); rs[0], rs[1]: the totals of the first and
 * second halves. */
static double total_rate(hl_hkmc_walker *w, double beta, double Rq[4], double rs[2])
{
    double r[4];
    for (int q = 0; q < 4; q++)
        r[q] = group_rate(w, q, beta);
    if (!w->shifts) {
        long cnt[4] = {w->h - w->a, w->a, w->h - w->b, w->b};
        double R = 0.0;
        for (int q = 0; q < 4; q++) {
            Rq[q] = cnt[q] > 0 ? fmax(0.0, w->F[q]) * r[q] : 0.0;
            R += Rq[q];
        }
        rs[0] = Rq[0] + Rq[1];
        rs[1] = Rq[2] + Rq[3];
        return R;
    }
    double tot[2] = {0.0, 0.0}, hb = -0.5 * beta;
    for (long i = 0; i < w->D; i++) {
        int q = spin_group(w, i);
        double v = w->k->f[i] * r[q] * exp(hb * (w->eps_nb[i] - w->eps_v));
        w->wtmp[i] = v;
        tot[i >= w->h] += v;
    }
    rs[0] = tot[0];
    rs[1] = tot[1];
    for (int q = 0; q < 4; q++)
        Rq[q] = 0.0;
    return tot[0] + tot[1];
}

/* A rigorous bound of the total rate for every beta between b0 and b1
 * (each rate is monotone in beta). */
static double rate_bound(hl_hkmc_walker *w, double b0, double b1)
{
    if (!w->shifts) {
        long cnt[4] = {w->h - w->a, w->a, w->h - w->b, w->b};
        double R = 0.0;
        for (int q = 0; q < 4; q++)
            if (cnt[q] > 0)
                R += fmax(0.0, w->F[q]) * fmax(group_rate(w, q, b0), group_rate(w, q, b1));
        return R * (1.0 + 1e-12); /* the F's rounding */
    }
    double r0[4], r1[4], R = 0.0;
    for (int q = 0; q < 4; q++) {
        r0[q] = group_rate(w, q, b0);
        r1[q] = group_rate(w, q, b1);
    }
    for (long i = 0; i < w->D; i++) {
        int q = spin_group(w, i);
        double de = w->eps_nb[i] - w->eps_v;
        R += w->k->f[i] * fmax(r0[q] * exp(-0.5 * b0 * de), r1[q] * exp(-0.5 * b1 * de));
    }
    return R * (1.0 + 1e-12);
}

/* Flip spin i of group qf (the move it is) with factor fi: trees, class,
 * key, rate parts. */
static int flip(hl_hkmc_walker *w, long i, int qf, double fi)
{
    long h = w->h;
    int half = i >= h;
    if (!w->shifts)
        w->sel->move(w, qf, i - half * h, fi);
    w->sigma[i] = (qf & 1) ? -1 : 1;
    if (qf == 0)
        w->a++;
    else if (qf == 1)
        w->a--;
    else if (qf == 2)
        w->b++;
    else
        w->b--;
    if (w->shifts) {
        double old = w->eps_v;
        w->key ^= hl_hkmc_key_bit(w->k, i);
        w->eps_v = w->eps_nb[i];
        for (long m = 0; m < w->D; m++)
            w->eps_nb[m] = m == i ? old
                                  : hl_hkmc_eps_of_key(w->k, w->key ^ hl_hkmc_key_bit(w->k, m));
    }
    double phi_prev = w->cls.phi0;
    w->cls.phi0 = w->cls.phin[qf];
    return class_enter(w, qf, phi_prev);
}

/* Pick the event among the current rates (Rq / wtmp from total_rate at the
 * same beta) and flip it. */
static int select_and_flip(hl_hkmc_walker *w, double beta, double Rq[4], double R)
{
    if (w->shifts) {
        double u = hl_rng_stream_uniform(&w->rs) * R, c = 0.0;
        long pick = -1;
        for (long i = 0; i < w->D; i++) {
            if (w->wtmp[i] <= 0)
                continue;
            pick = i;
            c += w->wtmp[i];
            if (u < c)
                break;
        }
        return flip(w, pick, spin_group(w, pick), w->k->f[pick]);
    }
    for (int attempt = 0; attempt < 4; attempt++) {
        double u = hl_rng_stream_uniform(&w->rs) * R, c = 0.0;
        int q = -1;
        for (int g = 0; g < 4; g++) {
            if (Rq[g] <= 0)
                continue;
            q = g;
            if (u < c + Rq[g])
                break;
            c += Rq[g];
        }
        double ui = (u - c) / group_rate(w, q, beta);
        int st = HL_OK;
        if (!w->sel->pick_flip(w, q, ui, &st))
            return st;
        /* the tree's descent left the group: the sums drifted; rebuilt,
         * redraw */
        double rs2[2];
        R = total_rate(w, beta, Rq, rs2);
    }
    return hl_fail(HL_ENOCONV, "hypercube KMC: event selection failed after rebuilding the trees");
}

static int place_start(hl_hkmc_walker *w, const hl_hkmc_start *s)
{
    long D = w->D, h = w->h;
    if (s->kind == HL_HKMC_START_VERTEX) {
        if (!s->sigma)
            return hl_fail(HL_EINVAL, "start vertex: sigma is NULL");
        for (long i = 0; i < D; i++) {
            if (s->sigma[i] != 1 && s->sigma[i] != -1)
                return hl_fail(HL_EINVAL, "start vertex: spin %ld is %d, not +-1", i,
                               (int)s->sigma[i]);
            w->sigma[i] = s->sigma[i];
        }
    } else if (s->kind == HL_HKMC_START_RANDOM) {
        uint64_t bits = 0;
        for (long i = 0; i < D; i++) {
            if ((i & 63) == 0)
                bits = hl_rng_stream_u64(&w->rs);
            w->sigma[i] = (bits >> (i & 63)) & 1 ? 1 : -1;
        }
    } else if (s->kind == HL_HKMC_START_CLASS) {
        if (s->a < 0 || s->a > h || s->b < 0 || s->b > h)
            return hl_fail(HL_EINVAL, "start class (a, b) = (%ld, %ld) outside 0 .. D/2 = %ld",
                           s->a, s->b, h);
        long *idx = malloc(sizeof(long) * (size_t)h);
        if (!idx)
            return hl_fail(HL_ENOMEM, "out of memory (start vertex)");
        for (int half = 0; half < 2; half++) {
            long want = half ? s->b : s->a;
            for (long j = 0; j < h; j++) {
                idx[j] = j;
                w->sigma[half * h + j] = -1;
            }
            for (long j = 0; j < want; j++) { /* partial Fisher-Yates */
                long r = j + (long)(hl_rng_stream_uniform(&w->rs) * (double)(h - j));
                if (r >= h)
                    r = h - 1;
                long tmp = idx[j];
                idx[j] = idx[r];
                idx[r] = tmp;
                w->sigma[half * h + idx[j]] = 1;
            }
        }
        free(idx);
    } else {
        return hl_fail(HL_EINVAL, "unknown start kind %d", s->kind);
    }
    w->a = w->b = 0;
    for (long i = 0; i < D; i++)
        if (w->sigma[i] > 0) {
            if (i < h)
                w->a++;
            else
                w->b++;
        }
    return HL_OK;
}

void hl_hkmc_walker_free(hl_hkmc_walker *w)
{
    if (!w)
        return;
    if (w->sel)
        w->sel->free(w);
    free(w->sigma);
    free(w->wtmp);
    free(w->eps_nb);
    free(w->cache);
    free(w);
}

int hl_hkmc_walker_create(const hl_hkmc *k, const hl_protocol *p, const hl_hkmc_start *start,
                          long traj_id, hl_hkmc_walker **out)
{
    *out = NULL;
    if (!k || !p || !start || traj_id < 0)
        return hl_fail(HL_EINVAL, "hypercube KMC: NULL argument or negative trajectory id");
    int st = hl_protocol_check(p);
    if (st)
        return st;
    hl_hkmc_walker *w = calloc(1, sizeof *w);
    if (!w)
        return hl_fail(HL_ENOMEM, "out of memory (hypercube walker)");
    w->k = k;
    w->p = p;
    w->D = k->dim;
    w->h = k->h;
    w->shifts = k->vshift > 0;
    w->settle = hl_protocol_settle_time(p);
    w->beta_fix = hl_protocol_beta(p, w->settle);
    if (w->settle > 0 && hl_model_transmission_uses_temperature(k->model)) {
        hl_hkmc_walker_free(w);
        return hl_fail(HL_EINVAL, "hypercube KMC under a varying protocol needs a B that does "
                                  "not depend on T (no rigorous bound of B(T) for thinning)");
    }
    w->B_T = 1.0 / w->beta_fix;
    hl_rng_stream_init(&w->rs, k->seed, (uint64_t)traj_id);
    w->sigma = malloc((size_t)w->D);
    w->cache = malloc(sizeof(hl_hkmc_class) * CLASS_CACHE);
    if (!w->cache) {
        hl_hkmc_walker_free(w);
        return hl_fail(HL_ENOMEM, "out of memory (hypercube walker)");
    }
    for (int i = 0; i < CLASS_CACHE; i++)
        w->cache[i].a = -1;
    w->wtmp = malloc(sizeof(double) * (size_t)(w->shifts ? w->D : 2 * w->h));
    if (!w->sigma || !w->wtmp) {
        hl_hkmc_walker_free(w);
        return hl_fail(HL_ENOMEM, "out of memory (hypercube walker, D = %ld)", w->D);
    }
    if (w->shifts) {
        w->eps_nb = malloc(sizeof(double) * (size_t)w->D);
        if (!w->eps_nb) {
            hl_hkmc_walker_free(w);
            return hl_fail(HL_ENOMEM, "out of memory (hypercube walker, D = %ld)", w->D);
        }
    }
    if (!st)
        st = place_start(w, start);
    if (!st && !w->shifts) {
        w->sel = &SEL_METHODS[k->select];
        st = w->sel->init(w);
    }
    if (!st && w->shifts) {
        w->key = 0;
        for (long i = 0; i < w->D; i++)
            if (w->sigma[i] > 0)
                w->key ^= hl_hkmc_key_bit(k, i);
        shift_refresh_all(w);
    }
    if (!st)
        st = class_update(w, -1, 0.0);
    if (st) {
        hl_hkmc_walker_free(w);
        return st;
    }
    w->info.rebuilds = 0;
    *out = w;
    return HL_OK;
}

/* The walker sits in its state over [t0, t1): record the output times in
 * it and add the time integrals. */
static void observe(hl_hkmc_walker *w, hl_hkmc_observe *o, size_t *next, double t0, double t1,
                    const double rs[2])
{
    while (*next < o->n_times && o->times[*next] < t1) {
        o->ab[2 * *next] = w->a;
        o->ab[2 * *next + 1] = w->b;
        (*next)++;
    }
    double lo = fmax(t0, o->t_from), hi = fmin(t1, o->t_end);
    if (hi > lo) {
        double dt = hi - lo, s = 2.0 * (double)w->a / (double)w->h - 1.0,
               d = 2.0 * (double)w->b / (double)w->h - 1.0;
        o->integ[0] += dt * rs[0];
        o->integ[1] += dt * rs[1];
        o->integ[2] += dt * s;
        o->integ[3] += dt * d;
        o->integ[4] += dt * s * s;
        o->integ[5] += dt * d * d;
    }
}

/* The next row time of the protocol after t (INFINITY after the last). */
static double next_row(const hl_protocol *p, double t)
{
    size_t n = hl_protocol_rows(p);
    for (size_t r = 0; r < n; r++)
        if (hl_protocol_time(p, r) > t)
            return hl_protocol_time(p, r);
    return INFINITY;
}

int hl_hkmc_walker_run(hl_hkmc_walker *w, hl_hkmc_observe *o, long *n_events,
                       hl_hkmc_traj_info *info)
{
    size_t next = 0;
    long nev = 0;
    double Rq[4], rs[2];
    int st = HL_OK;
    double t_end = o->t_end;
    for (;;) {
        if (o->max_events >= 0 && nev >= o->max_events)
            break;
        if (w->t >= w->settle) {
            double R = total_rate(w, w->beta_fix, Rq, rs);
            if (!(R > 0) || !isfinite(R)) {
                st = hl_fail(HL_EDOM, "hypercube KMC: total rate %g at class (%ld, %ld) is not "
                                      "positive and finite", R, w->a, w->b);
                break;
            }
            double tn = w->t + hl_rng_stream_exponential(&w->rs) / R;
            observe(w, o, &next, w->t, tn, rs);
            if (tn > t_end) {
                w->t = t_end;
                break;
            }
            w->t = tn;
            if ((st = select_and_flip(w, w->beta_fix, Rq, R)))
                break;
        } else {
            double t0 = w->t, b0 = hl_protocol_beta(w->p, t0);
            double R0 = total_rate(w, b0, Rq, rs);
            if (!(R0 > 0) || !isfinite(R0)) {
                st = hl_fail(HL_EDOM, "hypercube KMC: total rate %g at t = %g is not positive "
                                      "and finite", R0, t0);
                break;
            }
            double tw = fmin(fmin(next_row(w->p, t0), t0 + 4.0 / R0), t_end);
            double Rmax = rate_bound(w, b0, hl_protocol_beta(w->p, tw));
            double tn = t0 + hl_rng_stream_exponential(&w->rs) / Rmax;
            if (tn >= tw) {
                observe(w, o, &next, t0, tw, rs);
                w->t = tw;
                if (tw >= t_end)
                    break;
                continue;
            }
            observe(w, o, &next, t0, tn, rs);
            w->t = tn;
            double bn = hl_protocol_beta(w->p, tn);
            double R = total_rate(w, bn, Rq, rs);
            if (hl_rng_stream_uniform(&w->rs) * Rmax < R) {
                if ((st = select_and_flip(w, bn, Rq, R)))
                    break;
            } else {
                w->info.rejected++;
                continue;
            }
        }
        if (o->ev_t)
            o->ev_t[nev] = w->t;
        if (o->ev_ab) {
            o->ev_ab[2 * nev] = w->a;
            o->ev_ab[2 * nev + 1] = w->b;
        }
        nev++;
        w->info.events++;
    }
    if (!st)
        observe(w, o, &next, w->t, INFINITY, (double[2]){0, 0});
    if (n_events)
        *n_events = nev;
    if (info)
        *info = w->info;
    return st;
}
