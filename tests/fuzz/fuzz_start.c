/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_start.c -- fuzz target: start files (--from FILE, a class CSV),
 * cli_parse_start() at D = 2 and D = 20.  The input is the file's content.
 * Properties: an accepted file gives HL_START_CLASSES with (D/2+1)^2
 * non-negative finite probabilities of positive sum; a refused one gives no
 * array. */
#include <math.h>
#include <stdlib.h>

#include "cli.h"
#include "fuzz.h"

static void one(const char *path, long D)
{
    hl_evolve_start start;
    double *q0 = (double *)&start; /* must be reset */
    if (cli_parse_start("fuzz", path, D, &start, &q0)) {
        FUZZ_CHECK(start.kind == HL_START_CLASSES);
        FUZZ_CHECK(q0 != NULL && start.q == q0);
        long w = D / 2 + 1;
        double sum = 0;
        for (long i = 0; i < w * w; i++) {
            FUZZ_CHECK(isfinite(q0[i]) && q0[i] >= 0);
            sum += q0[i];
        }
        FUZZ_CHECK(sum > 0 && isfinite(sum));
    } else {
        FUZZ_CHECK(q0 == NULL);
    }
    free(q0);
    cli_inputs_reset(); /* else every open after the 16th is refused (EMFILE) */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    if (!path)
        return 0;
    one(path, 2);
    one(path, 20);
    return 0;
}
