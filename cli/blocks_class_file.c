/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_class_file.c -- the class distribution file of the model of k
 * blocks: --from FILE of evolve --blocks, kmc --blocks and fokker-planck
 * --blocks (blocks_cli.h).  One reader for the three commands: the file
 * 'exact --blocks --distribution' writes, and the 2-D command's file for
 * two equal blocks. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"

/* the columns a file can have: class, n1..nK, m1..mK, n, Q, ln_Q, x, y
 * (and others, ignored, as the writer's basin) */
#define MAXF (2 * HL_BLOCKS_MAX + 16)

/* i when s is the column name "<c>i" for i in 1 .. k (no sign, no leading
 * zero), else 0. */
static int numbered(const char *s, char c, int k)
{
    if (s[0] != c || s[1] < '1' || s[1] > '9')
        return 0;
    long i = 0;
    for (const char *p = s + 1; *p; p++) {
        if (*p < '0' || *p > '9' || i > k)
            return 0;
        i = 10 * i + (*p - '0');
    }
    return i <= k ? (int)i : 0;
}

/* a non-empty field that is all of a base-10 integer */
static int integer(const char *s, long *v)
{
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    return *s && !*end && errno != ERANGE;
}

int cli_blocks_class_read(const char *cmd, const hl_blocks *b, const char *path, FILE *fp,
                          double *q)
{
    int k = hl_blocks_k(b), pair = hl_blocks_is_paper_pair(b);
    long N = hl_blocks_n_classes(b), D = hl_blocks_dim(b);
    for (long i = 0; i < N; i++)
        q[i] = NAN; /* not given */
    char line[4096], *f[MAXF], *text;
    int ncol = 0, ok = 1, lr, ccl = -1, cq = -1, clq = -1, cpn = -1, cx = -1, cy = -1;
    int cn[HL_BLOCKS_MAX], cm[HL_BLOCKS_MAX];
    long ln = 0, rows = 0;
    for (int i = 0; i < k; i++)
        cn[i] = cm[i] = -1;
    while (ok && (lr = cli_csv_line(cmd, path, fp, line, sizeof line, &ln, &text)) != 0) {
        if (lr < 0) {
            ok = 0;
            break;
        }
        int n = cli_csv_split(text, f, MAXF);
        if (!ncol) {
            ncol = n;
            for (int c = 0; c < n && c < MAXF; c++) {
                int i;
                if (!strcmp(f[c], "class"))
                    ccl = c;
                else if (!strcmp(f[c], "Q"))
                    cq = c;
                else if (!strcmp(f[c], "ln_Q"))
                    clq = c;
                else if (!strcmp(f[c], "n"))
                    cpn = c;
                else if (!strcmp(f[c], "x"))
                    cx = c;
                else if (!strcmp(f[c], "y"))
                    cy = c;
                else if ((i = numbered(f[c], 'n', k)))
                    cn[i - 1] = c;
                else if ((i = numbered(f[c], 'm', k)))
                    cm[i - 1] = c;
            }
            int have_n = 1;
            for (int i = 0; i < k; i++)
                have_n &= cn[i] >= 0;
            /* two equal blocks: the 2-D file's n = n1 + n2 and n1 will do */
            int have_pair = pair && cpn >= 0 && cn[0] >= 0;
            if (have_n || !have_pair)
                cpn = -1;
            if ((ccl < 0 && !have_n && !have_pair) || (cq < 0 && clq < 0)) {
                cli_error(cmd, "'%s' line %ld: the header needs a column class (or n1..n%d%s) "
                               "and Q or ln_Q",
                          cli_clip(path), ln, k, pair ? ", or n and n1" : "");
                ok = 0;
            }
            if (!have_n && !have_pair)
                for (int i = 0; i < k; i++)
                    cn[i] = -1;
            if (!pair)
                cx = cy = -1;
            continue;
        }
        if (n != ncol) {
            cli_error(cmd, "'%s' line %ld: %d fields, the header has %d", cli_clip(path), ln, n,
                      ncol);
            ok = 0;
            break;
        }
        long idx = -1, nn[HL_BLOCKS_MAX];
        int good = 1;
        if (ccl >= 0)
            good = integer(f[ccl], &idx) && idx >= 0 && idx < N;
        if (good && cn[0] >= 0) {
            long j = 0;
            for (int i = 0; i < k && good; i++) {
                long lo = 0, hi = hl_blocks_size(b, i);
                int c = cn[i];
                if (i == 1 && cpn >= 0) { /* n2 = n - n1, n in n1 .. n1 + D2 */
                    c = cpn;
                    lo = nn[0];
                    hi += nn[0];
                }
                good = integer(f[c], &nn[i]) && nn[i] >= lo && nn[i] <= hi;
                if (good)
                    nn[i] -= lo;
                j = j * (hl_blocks_size(b, i) + 1) + (good ? nn[i] : 0);
            }
            good = good && (idx < 0 || idx == j);
            idx = j;
        }
        if (!good) {
            cli_error(cmd, "'%s' line %ld: not a class of this lattice (class 0 .. %ld, n_i 0 .. "
                           "D_i, the two agreeing)",
                      cli_clip(path), ln, N - 1);
            ok = 0;
            break;
        }
        /* m1..mK (x, y for two equal blocks), when the file has them, are
         * those of the class: a file of another lattice is refused, never
         * read as this one's */
        double m[HL_BLOCKS_MAX + 2];
        hl_blocks_class(b, idx, nn, m);
        if (pair) {
            m[k] = 0.5 * (m[0] + m[1]);
            m[k + 1] = 0.5 * (m[0] - m[1]);
        }
        for (int i = 0; i < k + 2 && ok; i++) {
            int c = i < k ? cm[i] : i == k ? cx : cy;
            if (c < 0)
                continue;
            char *end, name[16];
            if (i < k)
                snprintf(name, sizeof name, "m%d", i + 1);
            else
                snprintf(name, sizeof name, "%s", i == k ? "x" : "y");
            double got = strtod(f[c], &end);
            if (!*f[c] || *end || !(fabs(got - m[i]) <= 1e-6)) {
                cli_error(cmd, "'%s' line %ld: %s = '%s' is not the %s of class %ld at D = %ld "
                               "(%.10g): a distribution of another lattice?",
                          cli_clip(path), ln, name, cli_clip(f[c]), name, idx, D, m[i]);
                ok = 0;
            }
        }
        if (!ok)
            break;
        double v;
        if (!cli_weight_parse(cmd, path, ln, clq >= 0 ? f[clq] : f[cq], clq >= 0, &v)) {
            ok = 0;
            break;
        }
        if (!isnan(q[idx])) {
            cli_error(cmd, "'%s' line %ld: class %ld appears twice", cli_clip(path), ln, idx);
            ok = 0;
            break;
        }
        q[idx] = v;
        rows++;
    }
    if (ok && !ncol) {
        cli_error(cmd, "'%s': no header line", cli_clip(path));
        ok = 0;
    }
    return ok && cli_weights_normalise(cmd, path, q, N, clq >= 0, rows);
}

int cli_blocks_class_file(const char *cmd, const hl_blocks *b, const char *path,
                          const char *others, double *q)
{
    if (!cli_input_declare(cmd, "--from", path))
        return 0;
    FILE *fp = cli_input_open(cmd, path);
    if (!fp) {
        cli_error(cmd, "--from '%s': not %s or a readable file (%s)", cli_clip(path), others,
                  strerror(errno));
        return 0;
    }
    int ok = cli_blocks_class_read(cmd, b, path, fp, q);
    fclose(fp);
    return ok;
}
