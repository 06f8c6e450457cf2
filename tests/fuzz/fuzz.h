/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz.h -- shared by the fuzz targets in tests/fuzz (libFuzzer entry point,
 * the input as a C string or as a file, and the property checks). */
#ifndef HL_FUZZ_H
#define HL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry point each fuzz_<target>.c defines; replay.c calls it
 * on every file of a corpus when libFuzzer is not available. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (cut at its first NUL byte), in a
 * buffer that is reused between calls; NULL when out of memory. */
const char *fuzz_cstring(const uint8_t *data, size_t size);

/* Write the input to this process's scratch file (created once, removed at
 * exit) and return its path; NULL on failure. */
const char *fuzz_file(const uint8_t *data, size_t size);

/* The centres of the 8 x 8 boxes in s = x + y, d = x - y (the square grown
 * by 1e-12) on which src/model/model.c starts its interval proof: every one of
 * them is either proved with the whole box or evaluated, even when the
 * proof runs out of budget (as it does soon in a fuzzing build), so an
 * accepted formula must be good there.  k in 0..63; x, y out. */
void fuzz_proof_centre(int k, double *x, double *y);

/* A property the parser promised does not hold: print it and abort, which
 * libFuzzer and the replay test report as a crash. */
void fuzz_fail(const char *what);
#define FUZZ_CHECK(cond)                                                         \
    do {                                                                         \
        if (!(cond))                                                             \
            fuzz_fail(#cond);                                                    \
    } while (0)

#endif
