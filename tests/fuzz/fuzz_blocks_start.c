/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_blocks_start.c -- fuzz target: the class distribution file of the
 * model of k blocks (--from FILE of evolve, kmc and fokker-planck
 * --blocks), cli_blocks_class_read() on four small lattices: K = 1, D = 4;
 * K = 3, sizes 2, 3, 1; K = 2 equal blocks of D = 6 (the paper's pair: n,
 * n1 and x, y columns too); K = 2, sizes 2, 4 (not a pair).  The input is
 * the file's content.  Properties: an accepted file gives a probability for
 * every class, finite and >= 0, summing to 1 (to 1e-12), the same on a
 * second read and through the file (cli_blocks_class_file, as the commands
 * read it); a refused one leaves nothing allocated (the leak checker) and
 * writes nothing past the array (ASan). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"
#include "fuzz.h"

#define NMODELS 4

static hl_blocks *models[NMODELS];

static void make_models(void)
{
    static const long s1[] = {4}, s3[] = {2, 3, 1}, s2[] = {2, 4};
    FUZZ_CHECK(hl_blocks_create(1, s1, "m1*m1 - m1/2", &models[0]) == HL_OK);
    FUZZ_CHECK(hl_blocks_create(3, s3, "m1*m2 - m3*m3/2", &models[1]) == HL_OK);
    FUZZ_CHECK(hl_blocks_create_equal(2, 6, NULL, &models[2]) == HL_OK);
    FUZZ_CHECK(hl_blocks_is_paper_pair(models[2]));
    FUZZ_CHECK(hl_blocks_create(2, s2, NULL, &models[3]) == HL_OK);
    FUZZ_CHECK(!hl_blocks_is_paper_pair(models[3]));
}

/* the reader on the input as a stream; q: n entries; 1 if accepted */
static int read_once(const hl_blocks *b, const uint8_t *data, size_t size, double *q)
{
    static const char empty[1] = "";
    /* glibc's fmemopen reads a 0-byte buffer as empty */
    FILE *fp = fmemopen(size ? (void *)data : (void *)empty, size, "r");
    if (!fp)
        return -1;
    int ok = cli_blocks_class_read("fuzz", b, "input.csv", fp, q);
    fclose(fp);
    return ok;
}

static void one(const hl_blocks *b, const uint8_t *data, size_t size)
{
    long n = hl_blocks_n_classes(b);
    /* exactly n entries: a write past them is an ASan report */
    double *q = malloc(sizeof(double) * (size_t)n), *r = malloc(sizeof(double) * (size_t)n);
    FUZZ_CHECK(q && r);
    int ok = read_once(b, data, size, q);
    if (ok == 1) {
        double sum = 0;
        for (long i = 0; i < n; i++) {
            FUZZ_CHECK(isfinite(q[i]) && q[i] >= 0 && q[i] <= 1);
            sum += q[i];
        }
        FUZZ_CHECK(fabs(sum - 1) <= 1e-12);
        FUZZ_CHECK(read_once(b, data, size, r) == 1);
        FUZZ_CHECK(memcmp(q, r, sizeof(double) * (size_t)n) == 0);
    }
    free(q);
    free(r);
}

/* the same through the file, as the commands read it: the same answer */
static void by_file(const hl_blocks *b, const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    if (!path)
        return;
    long n = hl_blocks_n_classes(b);
    double *q = malloc(sizeof(double) * (size_t)n), *r = malloc(sizeof(double) * (size_t)n);
    FUZZ_CHECK(q && r);
    int ok = cli_blocks_class_file("fuzz", b, path, "a start", q);
    cli_inputs_reset(); /* else every open after the 16th is refused (EMFILE) */
    int ok2 = read_once(b, data, size, r);
    if (ok2 >= 0) {
        FUZZ_CHECK(ok == ok2);
        FUZZ_CHECK(!ok || memcmp(q, r, sizeof(double) * (size_t)n) == 0);
    }
    free(q);
    free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!models[0])
        make_models();
    for (int i = 0; i < NMODELS; i++)
        one(models[i], data, size);
    by_file(models[1], data, size);
    return 0;
}
