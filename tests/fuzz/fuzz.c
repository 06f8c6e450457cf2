/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz.c -- helpers of the fuzz targets (see fuzz.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

/* the CLI's command line (cli/main.c defines it for the real program) */
int cli_argc = 0;
char **cli_argv = NULL;

static char *str_buf;
static size_t str_cap;

const char *fuzz_cstring(const uint8_t *data, size_t size)
{
    if (size + 1 > str_cap) {
        char *b = realloc(str_buf, size + 1);
        if (!b)
            return NULL;
        str_buf = b;
        str_cap = size + 1;
    }
    if (size)
        memcpy(str_buf, data, size);
    str_buf[size] = 0;
    return str_buf;
}

static char scratch[4096];

static void remove_scratch(void)
{
    if (scratch[0])
        unlink(scratch);
}

const char *fuzz_file(const uint8_t *data, size_t size)
{
    if (!scratch[0]) {
        /* $TMPDIR, else /dev/shm (memory: 10x faster than a disk), else /tmp */
        const char *env = getenv("TMPDIR");
        const char *dirs[] = {env && *env ? env : "/dev/shm", "/tmp"};
        int fd = -1;
        for (int i = 0; i < 2 && fd < 0; i++) {
            snprintf(scratch, sizeof scratch, "%s/hl_fuzz_XXXXXX", dirs[i]);
            fd = mkstemp(scratch);
        }
        if (fd < 0) {
            scratch[0] = 0;
            return NULL;
        }
        close(fd);
        atexit(remove_scratch);
    }
    FILE *fp = fopen(scratch, "wb");
    if (!fp)
        return NULL;
    size_t w = size ? fwrite(data, 1, size, fp) : 0;
    if (fclose(fp) != 0 || w != size)
        return NULL;
    return scratch;
}

void fuzz_proof_centre(int k, double *x, double *y)
{
    /* as prove() in src/model/model_check.c: INIT = 8, PROOF_MARGIN = 1e-12 */
    const double lo = -1.0 - 1e-12, w = (2.0 + 2.0 * 1e-12) / 8;
    int i = k / 8, j = k % 8;
    double s = 0.5 * ((lo + w * i) + (lo + w * (i + 1)));
    double d = 0.5 * ((lo + w * j) + (lo + w * (j + 1)));
    *x = 0.5 * (s + d);
    *y = 0.5 * (s - d);
}

void fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz: property violated: %s\n", what);
    abort();
}
