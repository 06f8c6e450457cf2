/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_copies.c -- M copies of the paper's system coupled by an
 * interface term (blocks.h, hl_blocks_create_copies): the model of 2M
 * equal blocks whose phi is the default (the paper's phi per copy,
 * averaged over the copies) plus gamma times the variance of the copies'
 * d-magnetisations m2, m4, ..., m_2M. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "hyperland/blocks.h"

int hl_blocks_create_copies(int copies, long block_size, double gamma, hl_blocks **out)
{
    if (!out)
        return hl_fail(HL_EINVAL, "hl_blocks_create_copies: out is NULL");
    *out = NULL;
    if (copies < 1 || 2 * copies > HL_BLOCKS_MAX)
        return hl_fail(HL_EINVAL, "copies = %d: must be 1 .. %d", copies, HL_BLOCKS_MAX / 2);
    if (block_size < 1 || block_size > 1000000000L / (2L * copies))
        return hl_fail(HL_EINVAL, "block size %ld: must be >= 1 (and D = 2 M D_b <= 10^9)",
                       block_size);
    if (!isfinite(gamma) || gamma < 0 || gamma > 1e6)
        return hl_fail(HL_EDOM, "gamma = %g: must be in [0, 1e6]", gamma);
    long sizes[HL_BLOCKS_MAX];
    for (int i = 0; i < 2 * copies; i++)
        sizes[i] = block_size;
    hl_blocks *base = NULL;
    int st = hl_blocks_create(2 * copies, sizes, NULL, &base);
    if (st)
        return st;
    if (gamma == 0 || copies == 1) { /* the interface term vanishes identically */
        *out = base;
        return HL_OK;
    }
    /* phi + gamma * ((m2^2 + m4^2 + ...) / M - ((m2 + m4 + ...) / M)^2) */
    const char *p = hl_blocks_phi_formula(base);
    size_t cap = strlen(p) + 64 + 24 * (size_t)copies;
    char *f = malloc(cap);
    if (!f) {
        hl_blocks_free(base);
        return hl_fail(HL_ENOMEM, "out of memory");
    }
    size_t len = (size_t)snprintf(f, cap, "%s+%.17g*((", p, gamma);
    for (int j = 1; j <= copies; j++)
        len += (size_t)snprintf(f + len, cap - len, "%sm%d^2", j > 1 ? "+" : "", 2 * j);
    len += (size_t)snprintf(f + len, cap - len, ")/%d-((", copies);
    for (int j = 1; j <= copies; j++)
        len += (size_t)snprintf(f + len, cap - len, "%sm%d", j > 1 ? "+" : "", 2 * j);
    snprintf(f + len, cap - len, ")/%d)^2)", copies);
    hl_blocks_free(base);
    st = hl_blocks_create(2 * copies, sizes, f, out);
    free(f);
    return st;
}
