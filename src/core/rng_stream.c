/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rng_stream.c -- counter-based random streams on Random123's Philox-4x64
 * (see rng_stream.h). */
#include "rng_stream.h"

#include <math.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <Random123/philox.h>

static void next_block(hl_rng_stream *s)
{
    philox4x64_ctr_t c = {{s->ctr, 0, 0, 0}};
    philox4x64_key_t k = {{s->key[0], s->key[1]}};
    philox4x64_ctr_t r = philox4x64(c, k);
    for (int i = 0; i < 4; i++)
        s->out[i] = r.v[i];
    s->ctr++;
    s->used = 0;
}

void hl_rng_stream_init(hl_rng_stream *s, uint64_t seed, uint64_t stream)
{
    s->key[0] = seed;
    s->key[1] = stream;
    s->ctr = 0;
    s->used = 4;
}

uint64_t hl_rng_stream_u64(hl_rng_stream *s)
{
    if (s->used >= 4)
        next_block(s);
    return s->out[s->used++];
}

static double bits_to_open_unit(uint64_t x)
{
    return ((double)(x >> 11) + 0.5) * 0x1p-53;
}

double hl_rng_stream_uniform(hl_rng_stream *s)
{
    return bits_to_open_unit(hl_rng_stream_u64(s));
}

double hl_rng_stream_exponential(hl_rng_stream *s)
{
    return -log(hl_rng_stream_uniform(s));
}

double hl_rng_stream_normal(hl_rng_stream *s)
{
    double u = hl_rng_stream_uniform(s), v = hl_rng_stream_uniform(s);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586477 * v);
}

double hl_rng_hash_uniform(uint64_t seed, uint64_t stream, uint64_t index,
                           uint64_t sub)
{
    philox4x64_ctr_t c = {{index, sub, 0, 0}};
    philox4x64_key_t k = {{seed, stream}};
    return bits_to_open_unit(philox4x64(c, k).v[0]);
}

double hl_rng_hash_normal(uint64_t seed, uint64_t stream, uint64_t index)
{
    double u = hl_rng_hash_uniform(seed, stream, index, 0);
    double v = hl_rng_hash_uniform(seed, stream, index, 1);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586477 * v);
}

uint64_t hl_rng_seed_draw(void)
{
    uint64_t seed = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        if (fread(&seed, sizeof seed, 1, f) != 1)
            seed = 0;
        fclose(f);
    }
    if (seed == 0) {
        struct timespec ts;
        timespec_get(&ts, TIME_UTC);
        seed = ((uint64_t)ts.tv_sec * 1000000007u) ^ (uint64_t)ts.tv_nsec ^
               ((uint64_t)getpid() << 32);
    }
    /* keep seeds exactly representable in JSON numbers (< 2^53) */
    seed &= (UINT64_C(1) << 53) - 1;
    return seed ? seed : 1;
}
