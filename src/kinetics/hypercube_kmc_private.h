/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hypercube_kmc_private.h -- the disordered hypercube's handle, the partial-sum
 * trees of the event selection and the one-trajectory engine shared by the
 * hypercube_kmc*.c files (not installed). */
#ifndef HL_HYPERCUBE_KMC_PRIVATE_H
#define HL_HYPERCUBE_KMC_PRIVATE_H

#include <stdint.h>

#include "core.h"
#include "rng_stream.h"
#include "hyperland/hypercube_kmc.h"

#define HL_HKMC_SPEC_MAX 1100

struct hl_hkmc {
    const hl_model *model;
    long dim, h;
    uint64_t seed;
    double *f;           /* D factors                                   */
    double vshift;       /* vertex-energy width (0: none)               */
    uint64_t *zobrist;   /* D words (D > 64 with vertex energies), else NULL */
    int clean;           /* every f_i == 1                              */
    int select;          /* HL_HKMC_SELECT_TREE or _CR (resolved)        */
    char spec[HL_HKMC_SPEC_MAX];
};

/* --- partial-sum trees (hypercube_kmc_sumtree.c) --- */
/* `ways` interleaved sets of non-negative weights w[i ways + way], i in
 * 0 .. n-1, with sums of blocks of 8 per level (fan-out 8, at most
 * HL_SUMTREE_MAX_LEVELS levels). */
#define HL_SUMTREE_MAX_LEVELS 24
typedef struct {
    long n;
    int ways, levels;
    long size[HL_SUMTREE_MAX_LEVELS], off[HL_SUMTREE_MAX_LEVELS];
    double *a;
} hl_sumtree;
int hl_sumtree_init(hl_sumtree *st, long n, int ways);
void hl_sumtree_free(hl_sumtree *st);
/* Rebuild from w[0 .. n ways - 1] (interleaved) in O(n). */
void hl_sumtree_build(hl_sumtree *st, const double *w);
/* w[i][way] += delta, O(log n). */
void hl_sumtree_add(hl_sumtree *st, int way, long i, double delta);
/* w[i][from] -= v and w[i][to] += v in one pass. */
void hl_sumtree_move(hl_sumtree *st, int from, int to, long i, double v);
/* w[i][way] as stored (exact: leaves are only ever set to a weight or 0 by
 * adding and removing the same value). */
double hl_sumtree_get(const hl_sumtree *st, int way, long i);
/* The sum of one way's weights (from the top level). */
double hl_sumtree_total(const hl_sumtree *st, int way);
/* The index i with w[0] + ... + w[i-1] <= u < w[0] + ... + w[i] in one
 * way (0 <= u < its total), by one descent; n (or an index of zero
 * weight) if u reaches beyond the stored sums (rounding): the caller
 * checks. */
long hl_sumtree_find(const hl_sumtree *st, int way, double u);

/* --- composition-rejection selection (hypercube_kmc_crsel.c) --- */
typedef struct {
    uint64_t m;    /* the factor's mantissa M in [2^52, 2^53): f = M 2^(b - 52) */
    uint64_t spin; /* spin index within its half                          */
} hl_crentry;
typedef struct {
    int b;              /* binary exponent: f in [2^b, 2^(b + 1))          */
    double scale;       /* 2^(b - 52) (0 below the normal range: ldexp)   */
    long start, size;   /* its entries e[start .. start + size)           */
    long nneg;          /* the first nneg entries are -1 spins (way 0)    */
    uint64_t mmax;      /* largest mantissa in the bin (the bound)        */
    uint64_t sum[2][2]; /* per way: the exact sum of M (low, high word)   */
    uint64_t pre[2];    /* per way: the uniform of its next candidate     */
} hl_crbin;
typedef struct {
    long h;
    int nb;             /* bins, in scan order (decreasing weight)        */
    hl_crbin *bin;
    double *S;          /* S[2 k + way]: the bin's weight, from its sum   */
    double F[2];        /* per way: sum of S in scan order                */
    hl_crentry *e;      /* h entries                                      */
    int pick_bin;       /* the last pick                                  */
    long pick_pos;
} hl_crhalf;
typedef struct {
    hl_crhalf half[2];
} hl_crsel;
/* Bins of the factors f[0 .. 2h-1] (fixed for the run). */
int hl_crsel_init(hl_crsel *cr, const double *f, long h);
void hl_crsel_free(hl_crsel *cr);
/* Fill from the spins sigma[0 .. 2h-1] (exact sums, F); draw the first
 * candidates from rs. */
int hl_crsel_build(hl_crsel *cr, const signed char *sigma, hl_rng_stream *rs);
/* The spin (index within the half) of the given way picked with
 * probability f / F[way] by u in [0, F[way]) (the bin) and rs (the entry):
 * -1 if the way is empty. */
long hl_crsel_pick(hl_crsel *cr, int half, int way, double u, hl_rng_stream *rs);
/* Flip the last picked spin of (half, way) to the other way. */
void hl_crsel_flip(hl_crsel *cr, int half, int way);

/* --- vertex energies (hypercube_kmc.c) --- */
/* The energy of the vertex with key `key` (bit set for D <= 64, Zobrist
 * hash above). */
double hl_hkmc_eps_of_key(const hl_hkmc *k, uint64_t key);
/* The key's change when spin i flips (XOR). */
static inline uint64_t hl_hkmc_key_bit(const hl_hkmc *k, long i)
{
    return k->zobrist ? k->zobrist[i] : (UINT64_C(1) << i);
}

/* --- one trajectory (hypercube_kmc_run.c) --- */
typedef struct hl_hkmc_walker hl_hkmc_walker;
/* Set up a walker for trajectory traj_id: draws the start vertex from the
 * trajectory's stream. */
int hl_hkmc_walker_create(const hl_hkmc *k, const hl_protocol *p, const hl_hkmc_start *start,
                          long traj_id, hl_hkmc_walker **out);
void hl_hkmc_walker_free(hl_hkmc_walker *w);
/* Callback at each observation: the walker's class at time t. */
typedef struct {
    const double *times;  /* record the class at these times (may be NULL) */
    size_t n_times;
    long *ab;             /* 2 n_times entries                           */
    double t_end;         /* run to here (>= the last time)              */
    long max_events;      /* stop after that many events (< 0: no limit) */
    double *ev_t;         /* per event: its time, class (may be NULL)    */
    long *ev_ab;
    /* time integrals of the jump moments and of s, d over [t_from, t_end] */
    double t_from;
    double integ[6];      /* int rate_s, rate_d, s, d, s^2, d^2 dt         */
} hl_hkmc_observe;
int hl_hkmc_walker_run(hl_hkmc_walker *w, hl_hkmc_observe *obs, long *n_events,
                       hl_hkmc_traj_info *info);
const signed char *hl_hkmc_walker_spins(const hl_hkmc_walker *w);

#endif
