/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rng_stream.h -- counter-based random streams (not installed).
 *
 * Every stochastic part of hyperland draws from a stream keyed by
 * (seed, stream id): Philox-4x64-10 of Random123 (Salmon, Moraes, Dror and
 * Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC11), from Debian's
 * librandom123-dev.  The i-th number of a stream is a pure function of
 * (seed, stream, i), so a trajectory keyed by its id gives the same numbers
 * bit for bit on any thread or process, and distinct ids are independent
 * streams by construction (distinct keys of a keyed bijection).
 *
 * Stream ids: trajectories use their index (0, 1, ...); quenched disorder
 * and other per-run draws use ids at or above HL_RNG_STREAM_RESERVED, one
 * per purpose, so they never collide with a trajectory. */
#ifndef HL_RNG_STREAM_H
#define HL_RNG_STREAM_H

#include <stdint.h>

#define HL_RNG_STREAM_RESERVED (UINT64_C(1) << 63)

typedef struct {
    uint64_t key[2];  /* (seed, stream) */
    uint64_t ctr;     /* block counter: 4 numbers per block */
    uint64_t out[4];  /* current block */
    int used;         /* numbers of out[] already handed out (4: none left) */
} hl_rng_stream;

/* Start stream `stream` of `seed` at its first number. */
void hl_rng_stream_init(hl_rng_stream *s, uint64_t seed, uint64_t stream);

/* The next 64 random bits. */
uint64_t hl_rng_stream_u64(hl_rng_stream *s);

/* Uniform on the open interval (0, 1): (k + 0.5) / 2^53 for 53 random bits
 * k, so never 0 or 1 and ln of it is finite. */
double hl_rng_stream_uniform(hl_rng_stream *s);

/* Exponential with mean 1: -ln U. */
double hl_rng_stream_exponential(hl_rng_stream *s);

/* Standard normal (Box-Muller on two uniforms; the second value is not
 * kept, so the count of numbers used per call is fixed at 2). */
double hl_rng_stream_normal(hl_rng_stream *s);

/* Stateless draw: the uniform (0, 1) number at position (index, sub) of the
 * keyed function (seed, stream): e.g. a random energy shift of hypercube
 * vertex `index`, which cannot be stored for 2^D vertices. */
double hl_rng_hash_uniform(uint64_t seed, uint64_t stream, uint64_t index,
                           uint64_t sub);

/* Stateless standard normal: Box-Muller on the uniforms at (index, 0) and
 * (index, 1) of the keyed function (seed, stream). */
double hl_rng_hash_normal(uint64_t seed, uint64_t stream, uint64_t index);

/* A seed from the operating system (/dev/urandom), falling back to the
 * clock and process id when it cannot be read.  Never 0. */
uint64_t hl_rng_seed_draw(void);

#endif
