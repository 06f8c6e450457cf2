/* SPDX-License-Identifier: GPL-3.0-or-later */
/* branch_ends.c -- the ends of the branches of maxima (fold, pitchfork,
 * branch point) as `phases` prints them for two order parameters (hl_fold)
 * and for k blocks (hl_bfold): the JSON record, the text line and the order
 * of the CSV rows, one code path for both (cli.h, cli_end). */
#include <math.h>
#include <stdlib.h>

#include "cli.h"

static void pos_json(FILE *fp, const cli_end *e, const double *v)
{
    if (e->xy) {
        fprintf(fp, "\"x\": ");
        hl_json_number(fp, v[0]);
        fprintf(fp, ", \"y\": ");
        hl_json_number(fp, v[1]);
        return;
    }
    fprintf(fp, "\"m\": [");
    for (int i = 0; i < e->n; i++) {
        fprintf(fp, i ? ", " : "");
        hl_json_number(fp, v[i]);
    }
    fprintf(fp, "]");
}

static void vec_json(FILE *fp, const cli_end *e, const double *v)
{
    fprintf(fp, "[");
    for (int i = 0; i < e->n; i++) {
        fprintf(fp, i ? ", " : "");
        hl_json_number(fp, v[i]);
    }
    fprintf(fp, "]");
}

void cli_end_json(FILE *fp, const cli_end *ends, int n, int self)
{
    const cli_end *f = &ends[self];
    fprintf(fp, "{\"branch\": ");
    hl_json_string(fp, f->name);
    fprintf(fp, ", \"beta\": ");
    hl_json_number(fp, f->beta);
    fprintf(fp, ", \"T\": ");
    hl_json_number(fp, 1 / f->beta);
    fprintf(fp, ", ");
    pos_json(fp, f, f->pos);
    fprintf(fp, ", \"kind\": \"%s\", \"bifurcation\": \"%s\", \"maximum_for\": \"%s\", "
                "\"through\": %s, \"null_dims\": %d, \"null_vector\": ",
            f->birth ? "appears for larger beta" : "disappears for larger beta",
            hl_bend_name(f->bifurcation), f->birth ? "larger beta" : "smaller beta",
            f->through ? "true" : "false", f->null_dims);
    vec_json(fp, f, f->null_vector);
    fprintf(fp, ", \"beta_error\": ");
    hl_json_number(fp, f->beta_error);
    if (isnan(f->beta_error))
        fprintf(fp, ", \"beta_error_null_reason\": \"a fold: located by Newton on the regular "
                    "system grad f = 0, det(Hessian) = 0 (residual 1e-14), no estimate\"");
    /* the other branches of maxima that end at the same point */
    fprintf(fp, ", \"branches_meeting\": [");
    for (int q = 0, c = 0; q < n; q++) {
        const cli_end *g = &ends[q];
        if (q == self || g->branch == f->branch ||
            !(fabs(g->beta - f->beta) <= 1e-8 * (1 + f->beta)))
            continue;
        double d = 0;
        for (int i = 0; i < f->n; i++)
            d = fmax(d, fabs(g->pos[i] - f->pos[i]));
        if (!(d <= 1e-5))
            continue;
        fprintf(fp, "%s", c++ ? ", " : "");
        hl_json_string(fp, g->name);
    }
    fprintf(fp, "]}");
}

void cli_end_json_lists(FILE *fp, const cli_end *ends, int n)
{
    fprintf(fp, ", \"spinodals\": [");
    for (int q = 0, first = 1; q < n; q++) {
        if (ends[q].bifurcation != HL_BEND_FOLD)
            continue;
        fprintf(fp, "%s", first ? "" : ", ");
        first = 0;
        cli_end_json(fp, ends, n, q);
    }
    fprintf(fp, "], \"branch_ends\": [");
    for (int q = 0; q < n; q++) {
        fprintf(fp, "%s", q ? ", " : "");
        cli_end_json(fp, ends, n, q);
    }
    fprintf(fp, "]");
}

/* "(v1, v2, ...)" */
static const char *vec_text(const cli_end *e, const double *v, char *s, size_t cap)
{
    size_t len = (size_t)snprintf(s, cap, "(");
    for (int i = 0; i < e->n && len + 24 < cap; i++)
        len += (size_t)snprintf(s + len, cap - len, "%s%s", i ? ", " : "",
                                cli_num("%.10g", v[i]));
    snprintf(s + len, cap - len, ")");
    return s;
}

void cli_end_text(FILE *fp, const cli_end *f)
{
    char pos[HL_BLOCKS_MAX * 20 + 8], nv[HL_BLOCKS_MAX * 20 + 8];
    vec_text(f, f->pos, pos, sizeof pos);
    if (f->bifurcation == HL_BEND_FOLD) {
        fprintf(fp, "spinodal: %s branch %s at beta = %s (T* = %s), %s = %s (fold)\n", f->name,
                f->birth ? "appears" : "ends", cli_num("%.12f", f->beta),
                cli_num("%.10f", 1 / f->beta), f->xy ? "(x, y)" : "m", pos);
        return;
    }
    fprintf(fp, "%s: %s branch %s at beta = %s (T* = %s), %s = %s, %s; null vector %s%s\n",
            hl_bend_name(f->bifurcation), f->name,
            f->through ? (f->birth ? "becomes a maximum" : "stops being a maximum")
                       : (f->birth ? "branches off" : "merges into another branch"),
            cli_num("%.12f", f->beta), cli_num("%.10f", 1 / f->beta), f->xy ? "(x, y)" : "m",
            pos, f->through ? (f->birth ? "a saddle below" : "a saddle above")
                            : (f->birth ? "a maximum above" : "a maximum below"),
            vec_text(f, f->null_vector, nv, sizeof nv),
            f->null_dims > 1 ? " (several null directions)" : "");
}

int cli_end_csv_rows(FILE *fp, const cli_end *ends, int n, int nbranch, int nbeta,
                     double (*grid_beta)(void *, int), void (*grid_row)(FILE *, void *, int, int),
                     void (*end_row)(FILE *, void *, const cli_end *), void *ctx)
{
    int *order = malloc(sizeof(int) * (size_t)(n ? n : 1));
    double *grid = malloc(sizeof(double) * (size_t)(nbeta ? nbeta : 1));
    if (!ends || !order || !grid) {
        free(order);
        free(grid);
        return -1;
    }
    for (int i = 0; i < nbeta; i++)
        grid[i] = grid_beta(ctx, i);
    for (int branch = 0; branch < nbranch; branch++) {
        /* the branch's ends by beta, among its rows */
        int ne = 0, e = 0;
        for (int q = 0; q < n; q++) {
            if (ends[q].branch != branch)
                continue;
            int at = ne++;
            while (at > 0 && ends[order[at - 1]].beta > ends[q].beta) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = q;
        }
        for (int i = 0; i <= nbeta; i++) {
            while (e < ne && (i == nbeta || ends[order[e]].beta < grid[i]))
                end_row(fp, ctx, &ends[order[e++]]);
            if (i < nbeta)
                grid_row(fp, ctx, branch, i);
        }
    }
    free(order);
    free(grid);
    return 0;
}
