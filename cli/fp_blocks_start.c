/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fp_blocks_start.c -- the --from of 'fokker-planck --blocks': the 2-D
 * command's starts (crystal, liquid, basin:NAME, infinite-temperature,
 * equilibrium:BETA, a class CSV file: cli_blocks_class_file, the reader of
 * 'evolve --blocks') on the model of k blocks, plus a point m=v1,...,vK and
 * a class class:INDEX as 'evolve --blocks'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fokker_planck_blocks.h"

int cli_fp_blocks_start(const char *CMD, const hl_blocks *b, const char *from,
                        hl_fp_blocks_start *s, double **q0)
{
    int k = hl_blocks_k(b);
    *q0 = NULL;
    memset(s, 0, sizeof *s);
    int kind, named = cli_parse_named_start(CMD, from, &kind, &s->basin, &s->beta);
    s->kind = kind;
    if (named < 0)
        return 0;
    if (named) {
        /* crystal, liquid, basin:NAME, infinite-temperature, equilibrium:BETA */
    } else if (!strncmp(from, "m=", 2)) {
        if (hl_blocks_point_check(k, from) != HL_OK) {
            cli_error(CMD, "--from %s", hl_errmsg());
            return 0;
        }
        double v[HL_FP_BLOCKS_MAX + 1];
        size_t n = 0;
        if (!cli_parse_list(CMD, "--from m=", from + 2, v, HL_FP_BLOCKS_MAX + 1, &n))
            return 0;
        if ((int)n != k) {
            cli_error(CMD, "--from m=...: %zu values for %d blocks", n, k);
            return 0;
        }
        s->kind = HL_FP_START_POINT;
        for (int a = 0; a < k; a++)
            s->m[a] = v[a];
    } else if (!strncmp(from, "class:", 6)) {
        long idx, nc = hl_blocks_n_classes(b), cls[HL_BLOCKS_MAX];
        double m[HL_BLOCKS_MAX];
        if (!cli_parse_long(CMD, "--from class:", from + 6, &idx))
            return 0;
        if (idx < 0 || idx >= nc) {
            cli_error(CMD, "--from class:%ld: not a class (0 .. %ld)", idx, nc - 1);
            return 0;
        }
        hl_blocks_class(b, idx, cls, m);
        s->kind = HL_FP_START_POINT;
        for (int a = 0; a < k; a++)
            s->m[a] = m[a];
    } else {
        long nc = hl_blocks_n_classes(b);
        if (nc < 0 || nc > 100000000L) {
            cli_error(CMD, "--from FILE at D = %ld: too many classes", hl_blocks_dim(b));
            return 0;
        }
        double *q = malloc(sizeof(double) * (size_t)nc);
        if (!q) {
            cli_error(CMD, "out of memory");
            return 0;
        }
        char others[160];
        snprintf(others, sizeof others,
                 "crystal, liquid, basin:NAME, m=V1,...,V%d, class:INDEX, "
                 "infinite-temperature, equilibrium:BETA",
                 k);
        if (!cli_blocks_class_file(CMD, b, from, others, q)) {
            free(q);
            return 0;
        }
        s->kind = HL_START_CLASSES;
        s->q = q;
        *q0 = q;
    }
    return 1;
}
