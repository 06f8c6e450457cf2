/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fp_blocks_start.c -- the --from of 'fokker-planck --blocks': the 2-D
 * command's starts (crystal, liquid, basin:NAME, infinite-temperature,
 * equilibrium:BETA, a class CSV file) on the model of k blocks, plus a
 * point m=v1,...,vK and a class class:INDEX as 'evolve --blocks'. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fokker_planck_blocks.h"


#define MAXF 64

/* Q over the classes of b from a CSV file with columns n1 .. nK and Q or
 * ln_Q ('exact --blocks --distribution' writes them); for two equal blocks
 * also the 2-D file's n, n1 (n2 = n - n1).  Columns m1 .. mK (and x, y),
 * when present, must be those of the class (to 1e-6): a distribution of
 * another D is refused.  q: hl_blocks_n_classes entries. */
static int read_classes(const char *CMD, const char *path, const hl_blocks *b, double *q)
{
    int k = hl_blocks_k(b), pair = hl_blocks_is_paper_pair(b);
    long nc = hl_blocks_n_classes(b), stride[HL_FP_BLOCKS_MAX], size[HL_FP_BLOCKS_MAX];
    long sw = 1;
    for (int a = k - 1; a >= 0; a--) {
        size[a] = hl_blocks_size(b, a);
        stride[a] = sw;
        sw *= size[a] + 1;
    }
    if (!cli_input_declare(CMD, "--from", path))
        return 0;
    FILE *fp = cli_input_open(CMD, path);
    if (!fp) {
        cli_error(CMD, "--from: '%s' is not crystal, liquid, basin:NAME, m=V1,...,V%d, "
                       "class:INDEX, infinite-temperature, equilibrium:BETA or a readable "
                       "file (%s)",
                  cli_clip(path), k, strerror(errno));
        return 0;
    }
    for (long i = 0; i < nc; i++)
        q[i] = NAN; /* not given */
    char line[4096], *f[MAXF];
    int cnv[HL_FP_BLOCKS_MAX], cm[HL_FP_BLOCKS_MAX], cn = -1, cq = -1, clq = -1, cx = -1,
        cy = -1, ncol = 0, ok = 1;
    long ln = 0, rows = 0;
    for (int a = 0; a < k; a++)
        cnv[a] = cm[a] = -1;
    char *text;
    int lr;
    while (ok && (lr = cli_csv_line(CMD, path, fp, line, sizeof line, &ln, &text)) != 0) {
        if (lr < 0) {
            ok = 0;
            break;
        }
        int n = cli_csv_split(text, f, MAXF);
        if (ncol == 0) {
            ncol = n;
            for (int i = 0; i < n && i < MAXF; i++) {
                char nm[8];
                for (int a = 0; a < k; a++) {
                    snprintf(nm, sizeof nm, "n%d", a + 1);
                    if (!strcmp(f[i], nm))
                        cnv[a] = i;
                    snprintf(nm, sizeof nm, "m%d", a + 1);
                    if (!strcmp(f[i], nm))
                        cm[a] = i;
                }
                if (!strcmp(f[i], "n")) cn = i;
                else if (!strcmp(f[i], "Q")) cq = i;
                else if (!strcmp(f[i], "ln_Q")) clq = i;
                else if (!strcmp(f[i], "x")) cx = i;
                else if (!strcmp(f[i], "y")) cy = i;
            }
            int have = cq >= 0 || clq >= 0;
            for (int a = 0; a < k; a++)
                have &= cnv[a] >= 0 || (pair && a == 1 && cn >= 0 && cnv[0] >= 0);
            if (!have) {
                cli_error(CMD, "'%s' line %ld: the header needs columns n1 .. n%d (or n, n1 "
                               "for two equal blocks) and Q or ln_Q",
                          cli_clip(path), ln, k);
                ok = 0;
            }
            continue;
        }
        if (n != ncol) {
            cli_error(CMD, "'%s' line %ld: %d fields, the header has %d", cli_clip(path), ln, n,
                      ncol);
            ok = 0;
            break;
        }
        long cls[HL_FP_BLOCKS_MAX];
        char *end;
        int good = 1;
        for (int a = 0; a < k && good; a++) {
            int c = cnv[a] >= 0 ? cnv[a] : cn;
            cls[a] = strtol(f[c], &end, 10);
            good = *f[c] && !*end;
            if (good && cnv[a] < 0) /* n2 = n - n1 */
                cls[a] -= cls[0];
        }
        if (!good) {
            cli_error(CMD, "'%s' line %ld: the class counts must be integers", cli_clip(path),
                      ln);
            ok = 0;
            break;
        }
        double v;
        if (!cli_weight_parse(CMD, path, ln, clq >= 0 ? f[clq] : f[cq], clq >= 0, &v)) {
            ok = 0;
            break;
        }
        long idx = 0;
        for (int a = 0; a < k; a++) {
            if (cls[a] < 0 || cls[a] > size[a]) {
                cli_error(CMD, "'%s' line %ld: n%d = %ld is not in 0 .. %ld (block %d of D = "
                               "%ld)",
                          cli_clip(path), ln, a + 1, cls[a], size[a], a + 1, hl_blocks_dim(b));
                ok = 0;
                break;
            }
            idx += cls[a] * stride[a];
        }
        for (int a = 0; ok && a < k + 2; a++) {
            int c = a < k ? cm[a] : a == k ? cx : cy;
            if (c < 0 || (a >= k && !pair))
                continue;
            double m0 = 2.0 * (double)cls[0] / (double)size[0] - 1.0;
            double m1 = k > 1 ? 2.0 * (double)cls[1] / (double)size[1] - 1.0 : 0.0;
            double want = a < k ? 2.0 * (double)cls[a] / (double)size[a] - 1.0
                                : a == k ? 0.5 * (m0 + m1) : 0.5 * (m0 - m1);
            double got = strtod(f[c], &end);
            if (!*f[c] || *end || !(fabs(got - want) <= 1e-6)) {
                cli_error(CMD, "'%s' line %ld: column %d = '%s' is not that of the class at D = "
                               "%ld (%.10g): a distribution of another D?",
                          cli_clip(path), ln, c + 1, cli_clip(f[c]), hl_blocks_dim(b), want);
                ok = 0;
            }
        }
        if (!ok)
            break;
        if (!isnan(q[idx])) {
            cli_error(CMD, "'%s' line %ld: the class appears twice", cli_clip(path), ln);
            ok = 0;
            break;
        }
        q[idx] = v;
        rows++;
    }
    fclose(fp);
    if (ok && ncol == 0) {
        cli_error(CMD, "'%s': no header line", cli_clip(path));
        ok = 0;
    }
    return ok && cli_weights_normalise(CMD, path, q, nc, clq >= 0, rows);
}

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
        if (!read_classes(CMD, from, b, q)) {
            free(q);
            return 0;
        }
        s->kind = HL_START_CLASSES;
        s->q = q;
        *q0 = q;
    }
    return 1;
}
