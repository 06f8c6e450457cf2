/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sector_multiplicity.c -- the symmetry sectors (k1, k2) of the full
 * hypercube: their sizes and the exact multiplicities of their rates
 * (products of irreducible dimensions, in exact big integers as decimal
 * strings, and in logs). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/sectors.h"
#include "kinetics_private.h"
#include "sector_multiplicity.h"

/* ------------------------------------------------ exact big integers */

/* Non-negative integers in base 1e9, least significant limb first. */
#define BN_BASE 1000000000u

typedef struct {
    uint32_t *d;
    size_t n, cap;
} bn_t;

static int bn_reserve(bn_t *x, size_t cap)
{
    if (cap <= x->cap)
        return HL_OK;
    uint32_t *d = realloc(x->d, sizeof(uint32_t) * cap);
    if (!d)
        return hl_fail(HL_ENOMEM, "out of memory for a %zu-digit integer", 9 * cap);
    x->d = d;
    x->cap = cap;
    return HL_OK;
}

static void bn_free(bn_t *x)
{
    free(x->d);
    memset(x, 0, sizeof *x);
}

static int bn_set(bn_t *x, uint32_t v)
{
    int st = bn_reserve(x, 4);
    if (st)
        return st;
    x->d[0] = v % BN_BASE;
    x->d[1] = v / BN_BASE;
    x->n = x->d[1] ? 2 : 1;
    return HL_OK;
}

/* x *= m (m < 2^32) */
static int bn_mul_small(bn_t *x, uint32_t m)
{
    uint64_t carry = 0;
    for (size_t i = 0; i < x->n; i++) {
        uint64_t t = (uint64_t)x->d[i] * m + carry;
        x->d[i] = (uint32_t)(t % BN_BASE);
        carry = t / BN_BASE;
    }
    while (carry) {
        int st = x->n < x->cap ? HL_OK : bn_reserve(x, 2 * x->cap + 8);
        if (st)
            return st;
        x->d[x->n++] = (uint32_t)(carry % BN_BASE);
        carry /= BN_BASE;
    }
    return HL_OK;
}

/* x /= m (m > 0, exact division: the remainder is dropped) */
static void bn_div_small(bn_t *x, uint32_t m)
{
    uint64_t rem = 0;
    for (size_t i = x->n; i-- > 0;) {
        uint64_t t = rem * BN_BASE + x->d[i];
        x->d[i] = (uint32_t)(t / m);
        rem = t % m;
    }
    while (x->n > 1 && x->d[x->n - 1] == 0)
        x->n--;
}

/* out = x y (out distinct from x and y) */
static int bn_mul(const bn_t *x, const bn_t *y, bn_t *out)
{
    size_t n = x->n + y->n;
    uint64_t *acc = calloc(n, sizeof(uint64_t));
    int st = acc ? bn_reserve(out, n) : hl_fail(HL_ENOMEM, "out of memory");
    if (st) {
        free(acc);
        return st;
    }
    for (size_t i = 0; i < x->n; i++) {
        uint64_t carry = 0;
        for (size_t j = 0; j < y->n; j++) {
            uint64_t t = acc[i + j] + (uint64_t)x->d[i] * y->d[j] + carry;
            acc[i + j] = t % BN_BASE;
            carry = t / BN_BASE;
        }
        for (size_t j = i + y->n; carry; j++) {
            uint64_t t = acc[j] + carry;
            acc[j] = t % BN_BASE;
            carry = t / BN_BASE;
        }
    }
    for (size_t i = 0; i < n; i++)
        out->d[i] = (uint32_t)acc[i];
    out->n = n;
    while (out->n > 1 && out->d[out->n - 1] == 0)
        out->n--;
    free(acc);
    return HL_OK;
}

/* d(h, k) = C(h, k) - C(h, k - 1) = C(h, k) (h - 2k + 1) / (h - k + 1),
 * the dimension of the irreducible representation (h - k, k) of S_h;
 * C(h, i) = C(h, i - 1) (h - i + 1) / i is an integer at every step */
static int bn_irrep_dim(long h, long k, bn_t *x)
{
    int st = bn_set(x, 1);
    for (long i = 1; !st && i <= k; i++) {
        st = bn_mul_small(x, (uint32_t)(h - i + 1));
        if (!st)
            bn_div_small(x, (uint32_t)i);
    }
    if (!st)
        st = bn_mul_small(x, (uint32_t)(h - 2 * k + 1));
    if (!st)
        bn_div_small(x, (uint32_t)(h - k + 1));
    return st;
}

int hl_sector_check(long dim, long k1, long k2)
{
    int st = hl_check_dim(dim);
    if (st)
        return st;
    long h = dim / 2;
    if (k1 < 0 || k2 < 0 || k1 > h / 2 || k2 > h / 2)
        return hl_fail(HL_EDOM, "sector (%ld, %ld) does not exist at D = %ld (0 <= k1, k2 <= "
                                "%ld)", k1, k2, dim, h / 2);
    return HL_OK;
}

int hl_sector_multiplicity(long dim, long k1, long k2, char *buf, size_t size)
{
    int st = hl_sector_check(dim, k1, k2);
    if (st)
        return st;
    if (!buf && size)
        return hl_fail(HL_EINVAL, "hl_sector_multiplicity: NULL buffer of size %zu", size);
    long h = dim / 2;
    bn_t x = {0}, y = {0}, p = {0};
    st = bn_irrep_dim(h, k1, &x);
    if (!st)
        st = bn_irrep_dim(h, k2, &y);
    if (!st)
        st = bn_mul(&x, &y, &p);
    int len = 0;
    if (!st) {
        /* the most significant limb without padding, then 9 digits each */
        char top[16];
        int lt = snprintf(top, sizeof top, "%u", (unsigned)p.d[p.n - 1]);
        size_t total = (size_t)lt + 9 * (p.n - 1);
        if (total > (size_t)INT32_MAX) {
            st = hl_fail(HL_ERANGE, "the multiplicity has %zu digits", total);
        } else {
            len = (int)total;
            size_t pos = 0;
            for (size_t i = p.n; i-- > 0;) {
                char limb[16];
                int l = snprintf(limb, sizeof limb, i == p.n - 1 ? "%u" : "%09u",
                                 (unsigned)p.d[i]);
                for (int c = 0; c < l; c++, pos++)
                    if (pos + 1 < size)
                        buf[pos] = limb[c];
            }
            if (size)
                buf[pos < size ? pos : size - 1] = '\0';
        }
    }
    bn_free(&x);
    bn_free(&y);
    bn_free(&p);
    return st ? st : len;
}

static double ln_irrep_dim(long h, long k)
{
    return hl_lnchoose(h, k) + log((double)(h - 2 * k + 1)) - log((double)(h - k + 1));
}

double hl_sector_ln_multiplicity(long dim, long k1, long k2)
{
    if (hl_sector_check(dim, k1, k2))
        return NAN;
    long h = dim / 2;
    return ln_irrep_dim(h, k1) + ln_irrep_dim(h, k2);
}

long hl_sector_size(long dim, long k1, long k2)
{
    if (hl_sector_check(dim, k1, k2))
        return 0;
    long h = dim / 2;
    return (h - 2 * k1 + 1) * (h - 2 * k2 + 1);
}
