/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hypercube_kmc_crsel.c -- composition-rejection event selection for the
 * disordered hypercube (Slepoy, Thompson and Plimpton, J. Chem. Phys. 128,
 * 205101 (2008)): O(1) expected work per event, one random cache line read.
 *
 * The spins of a half are put into bins by the binary exponent of their
 * factor, f = M 2^(b - 52) with the integer mantissa M in [2^52, 2^53).  A
 * spin's factor never changes, so neither does its bin; only its value
 * (its way: 0 for -1, 1 for +1) does.  A bin keeps one array of entries
 * (mantissa, spin), its -1 spins on the left and its +1 spins on the right:
 * a flip of the picked entry swaps it with the entry at the boundary and
 * moves the boundary by one (O(1), no position array is needed since only
 * picked spins move).  Per (bin, way) the sum of the mantissas is kept as
 * an exact 128-bit integer (two 64-bit words), so the bin sums never drift;
 * the bin's weight S = sum M 2^(b - 52) in double is recomputed from it after
 * each change, and the way's total F is the sum of the S in the bins' scan
 * order, computed the same way as the scan's running sums (so the scan
 * finds its bin for every u < F).
 *
 * Selection in a way with u in [0, F): scan the bins (ordered by
 * decreasing weight of the half, so the scan stops early) for the first
 * running sum above u, then draw an entry of that bin's way uniformly and
 * accept it with probability M / M_max (M_max the largest mantissa of the
 * bin, >= 1/2 of it), else redraw the entry.  The accepted spin has
 * probability S_bin/F * (M / sum M) = f / F exactly: the uniform integers
 * are unbiased (Lemire's multiply-shift with rejection) and the acceptance
 * is an integer comparison.
 *
 * The one random memory access per event (the candidate entry) is hidden
 * by drawing each (bin, way)'s next candidate ahead: its uniform is drawn
 * at the bin's pick and the entry's cache line is prefetched after every
 * flip in the bin (the way's count and boundary move, so the line does).
 * A uniform drawn earlier and used for nothing else is as random as a
 * fresh one, so this changes the order of the draws, not the law. */
#include "hypercube_kmc_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

__extension__ typedef unsigned __int128 u128;

/* A uniform integer in [0, n), n >= 1, exactly (Lemire 2019). */
static inline uint64_t below(hl_rng_stream *rs, uint64_t n)
{
    u128 m = (u128)hl_rng_stream_u64(rs) * n;
    uint64_t l = (uint64_t)m;
    if (l < n) {
        uint64_t t = (0 - n) % n;
        while (l < t) {
            m = (u128)hl_rng_stream_u64(rs) * n;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* The entries: 2 MiB aligned and, on Linux, in huge pages where the
 * kernel allows them (a random entry per event: no TLB miss on top of the
 * cache miss). */
static hl_crentry *entries_alloc(long n)
{
    size_t bytes = sizeof(hl_crentry) * (size_t)(n > 0 ? n : 1);
    size_t huge = (size_t)2 << 20;
    if (bytes < huge)
        return malloc(bytes);
    bytes = (bytes + huge - 1) / huge * huge;
    void *p = aligned_alloc(huge, bytes);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p)
        (void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint: no error if refused */
#endif
    return p;
}

static void half_free(hl_crhalf *c)
{
    free(c->e);
    free(c->bin);
    free(c->S);
}

void hl_crsel_free(hl_crsel *cr)
{
    for (int half = 0; half < 2; half++)
        half_free(&cr->half[half]);
    memset(cr, 0, sizeof *cr);
}

/* The exponent b and mantissa M of f > 0 (finite): f = M 2^(b - 52). */
static void split(double f, int *b, uint64_t *M)
{
    int e = ilogb(f);
    *b = e;
    *M = (uint64_t)ldexp(f, 52 - e); /* exact, also for subnormal f */
}

typedef struct {
    int b;
    long count;
    double weight;
} binkey;

static int by_weight(const void *x, const void *y)
{
    const binkey *p = x, *q = y;
    if (p->weight != q->weight)
        return p->weight > q->weight ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b); /* ties: by exponent (deterministic) */
}

/* Bins of one half's factors f[0 .. h-1]: their layout (fixed for the run). */
static int half_init(hl_crhalf *c, const double *f, long h)
{
    memset(c, 0, sizeof *c);
    c->h = h;
    /* exponents: at most 2098 distinct values (-1074 .. 1023) */
    enum { EMIN = -1074, NE = 1023 - EMIN + 1 };
    long *cnt = calloc(NE, sizeof(long));
    binkey *keys = malloc(sizeof(binkey) * NE);
    int *slot = malloc(sizeof(int) * NE);
    c->e = entries_alloc(h);
    if (!cnt || !keys || !slot || !c->e) {
        free(cnt);
        free(keys);
        free(slot);
        return hl_fail(HL_ENOMEM, "out of memory (composition-rejection bins of %ld spins)", h);
    }
    for (long i = 0; i < h; i++) {
        int b;
        uint64_t M;
        split(f[i], &b, &M);
        cnt[b - EMIN]++;
    }
    int nb = 0;
    for (int x = 0; x < NE; x++)
        if (cnt[x]) {
            keys[nb].b = x + EMIN;
            keys[nb].count = cnt[x];
            keys[nb].weight = ldexp((double)cnt[x], keys[nb].b);
            nb++;
        }
    qsort(keys, (size_t)nb, sizeof *keys, by_weight);
    c->nb = nb;
    c->bin = calloc((size_t)(nb > 0 ? nb : 1), sizeof(hl_crbin));
    c->S = calloc((size_t)(2 * (nb > 0 ? nb : 1)), sizeof(double));
    if (!c->bin || !c->S) {
        free(cnt);
        free(keys);
        free(slot);
        return hl_fail(HL_ENOMEM, "out of memory (composition-rejection bins of %ld spins)", h);
    }
    long start = 0;
    for (int k = 0; k < nb; k++) {
        c->bin[k].b = keys[k].b;
        c->bin[k].start = start;
        c->bin[k].size = keys[k].count;
        c->bin[k].scale = keys[k].b - 52 >= -1022 ? ldexp(1.0, keys[k].b - 52) : 0.0;
        start += keys[k].count;
        slot[keys[k].b - EMIN] = k;
    }
    /* the entries of each bin in spin order (the build partitions them
     * by value) */
    long *fill = calloc((size_t)(nb > 0 ? nb : 1), sizeof(long));
    if (!fill) {
        free(cnt);
        free(keys);
        free(slot);
        return hl_fail(HL_ENOMEM, "out of memory (composition-rejection bins of %ld spins)", h);
    }
    for (long i = 0; i < h; i++) {
        int b;
        uint64_t M;
        split(f[i], &b, &M);
        int k = slot[b - EMIN];
        hl_crentry *e = &c->e[c->bin[k].start + fill[k]++];
        e->m = M;
        e->spin = (uint64_t)i;
        if (M > c->bin[k].mmax)
            c->bin[k].mmax = M;
    }
    free(fill);
    free(cnt);
    free(keys);
    free(slot);
    return HL_OK;
}

int hl_crsel_init(hl_crsel *cr, const double *f, long h)
{
    memset(cr, 0, sizeof *cr);
    int st = HL_OK;
    for (int half = 0; half < 2 && !st; half++)
        st = half_init(&cr->half[half], f + half * h, h);
    if (st)
        hl_crsel_free(cr);
    return st;
}

/* S of (bin k, way) from its exact sum. */
static inline void bin_weight(hl_crhalf *c, int k, int way)
{
    const hl_crbin *B = &c->bin[k];
    double v = (double)B->sum[way][1] * 0x1p64 + (double)B->sum[way][0];
    c->S[2 * k + way] = B->scale > 0 ? v * B->scale : ldexp(v, B->b - 52);
}

/* F of both ways: the running sums in scan order. */
static inline void totals(hl_crhalf *c)
{
    double f0 = 0.0, f1 = 0.0;
    for (int k = 0; k < c->nb; k++) {
        f0 += c->S[2 * k];
        f1 += c->S[2 * k + 1];
    }
    c->F[0] = f0;
    c->F[1] = f1;
}

static inline void add128(uint64_t s[2], uint64_t m)
{
    s[0] += m;
    s[1] += s[0] < m;
}

static inline void sub128(uint64_t s[2], uint64_t m)
{
    s[1] -= s[0] < m;
    s[0] -= m;
}

/* Draw the next candidates of every (bin, way) (after the build). */
static void predraw(hl_crsel *cr, hl_rng_stream *rs)
{
    for (int half = 0; half < 2; half++)
        for (int k = 0; k < cr->half[half].nb; k++)
            for (int way = 0; way < 2; way++)
                cr->half[half].bin[k].pre[way] = hl_rng_stream_u64(rs);
}

int hl_crsel_build(hl_crsel *cr, const signed char *sigma, hl_rng_stream *rs)
{
    hl_crentry *tmp = malloc(sizeof *tmp * (size_t)(cr->half[0].h > 0 ? cr->half[0].h : 1));
    if (!tmp)
        return hl_fail(HL_ENOMEM, "out of memory (composition-rejection bins)");
    for (int half = 0; half < 2; half++) {
        hl_crhalf *c = &cr->half[half];
        const signed char *sg = sigma + half * c->h;
        for (int k = 0; k < c->nb; k++) {
            hl_crbin *B = &c->bin[k];
            hl_crentry *e = c->e + B->start;
            /* stable partition: -1 spins left, +1 spins right, each in spin
             * order (the layout is a function of sigma only) */
            long lo = 0;
            for (long j = 0; j < B->size; j++)
                lo += sg[e[j].spin] < 0;
            long l = 0, r = lo;
            for (long j = 0; j < B->size; j++)
                tmp[sg[e[j].spin] < 0 ? l++ : r++] = e[j];
            memcpy(e, tmp, sizeof *tmp * (size_t)B->size);
            B->nneg = lo;
            B->sum[0][0] = B->sum[0][1] = B->sum[1][0] = B->sum[1][1] = 0;
            for (long j = 0; j < B->size; j++)
                add128(B->sum[j >= lo], e[j].m);
            bin_weight(c, k, 0);
            bin_weight(c, k, 1);
        }
        totals(c);
    }
    free(tmp);
    predraw(cr, rs);
    return HL_OK;
}

/* The position of the candidate of (bin, way) drawn by the 64-bit
 * uniform r: first + floor(r n / 2^64); -1 (Lemire's rejection, a new r
 * is needed) when that would be biased. */
static inline long candidate(const hl_crbin *B, int way, uint64_t r)
{
    uint64_t n = (uint64_t)(way ? B->size - B->nneg : B->nneg);
    u128 m = (u128)r * n;
    uint64_t l = (uint64_t)m;
    if (l < n && l < (0 - n) % n)
        return -1;
    return B->start + (way ? B->nneg : 0) + (long)(m >> 64);
}

static inline void prefetch(const hl_crhalf *c, const hl_crbin *B, int way)
{
    uint64_t n = (uint64_t)(way ? B->size - B->nneg : B->nneg);
    if (n)
        __builtin_prefetch(c->e + B->start + (way ? B->nneg : 0) +
                           (long)(((u128)B->pre[way] * n) >> 64));
}

long hl_crsel_pick(hl_crsel *cr, int half, int way, double u, hl_rng_stream *rs)
{
    hl_crhalf *c = &cr->half[half];
    int k = 0, last = -1;
    double run = 0.0;
    for (; k < c->nb; k++) {
        double s = c->S[2 * k + way];
        if (s > 0)
            last = k;
        run += s;
        if (u < run && s > 0)
            break;
    }
    if (k == c->nb) /* u at F (rounding of the caller's u): the last bin */
        k = last;
    if (k < 0)
        return -1;
    hl_crbin *B = &c->bin[k];
    /* the first candidate was drawn (and its line prefetched) at the bin's
     * previous pick: a uniform drawn earlier and used for nothing else is
     * as good as a fresh one */
    uint64_t r = B->pre[way];
    B->pre[way] = hl_rng_stream_u64(rs);
    for (;; r = hl_rng_stream_u64(rs)) {
        long pos = candidate(B, way, r);
        if (pos < 0)
            continue;
        if (B->mmax == c->e[pos].m || below(rs, B->mmax) < c->e[pos].m) {
            c->pick_bin = k;
            c->pick_pos = pos;
            return (long)c->e[pos].spin;
        }
    }
}

void hl_crsel_flip(hl_crsel *cr, int half, int way)
{
    hl_crhalf *c = &cr->half[half];
    int k = c->pick_bin;
    hl_crbin *B = &c->bin[k];
    long pos = c->pick_pos, bnd = way ? B->start + B->nneg : B->start + B->nneg - 1;
    hl_crentry e = c->e[pos];
    c->e[pos] = c->e[bnd];
    c->e[bnd] = e;
    B->nneg += way ? 1 : -1;
    prefetch(c, B, 0);
    prefetch(c, B, 1);
    sub128(B->sum[way], e.m);
    add128(B->sum[!way], e.m);
    bin_weight(c, k, 0);
    bin_weight(c, k, 1);
    totals(c);
}
