/* SPDX-License-Identifier: GPL-3.0-or-later */
/* phases_blocks_lowtemp.c -- the T -> 0 end of each branch of k blocks and
 * the Kauzmann-like point (hl_bphases_t0_end, hl_bphases_kauzmann) in the
 * summary of hyperland phases --blocks: JSON members and text lines, the
 * keys and wording of the two-order-parameter summary (cmd_phases.c). */
#include <math.h>
#include <stdio.h>

#include "cli.h"
#include "blocks_cmds.h"
#include "hyperland/output.h"

static const char *t0_kind(const hl_bt0_end *e, int k)
{
    if (e->kind == HL_T0_VERTEX)
        return "vertex";
    if (e->kind == HL_T0_INTERIOR)
        return "interior";
    if (e->kind == HL_T0_EDGE)
        return e->free_dims == 1 || k == 2 ? "edge" : "face";
    return "none";
}

static void json_num(FILE *fp, const char *key, double v)
{
    fprintf(fp, ", \"%s\": ", key);
    hl_json_number(fp, v);
}

void cli_blocks_json_t0(FILE *fp, const hl_blocks *b, const hl_bt0_end *e)
{
    int k = hl_blocks_k(b);
    fprintf(fp, ", \"t0_end\": ");
    if (e->kind == HL_T0_NONE) {
        fprintf(fp, "null, \"t0_end_null_reason\": ");
        hl_json_string(fp, e->reason);
        return;
    }
    fprintf(fp, "{\"kind\": \"%s\", \"free_dims\": %d, \"m\": ", t0_kind(e, k), e->free_dims);
    cli_blocks_json_vec(fp, e->m, k);
    if (hl_blocks_is_paper_pair(b)) {
        json_num(fp, "x", e->x);
        json_num(fp, "y", e->y);
    }
    json_num(fp, "phi", e->phi);
    json_num(fp, "residual_entropy", e->residual_entropy);
    json_num(fp, "c_over_T", e->c_over_T);
    fprintf(fp, ", \"degenerate_glass\": %s", e->kind == HL_T0_VERTEX ? "false" : "true");
    json_num(fp, "beta_probe", e->beta_probe);
    json_num(fp, "w_probe", e->w_probe);
    json_num(fp, "c_over_T_probe", e->c_over_T_probe);
    if (e->reason[0]) {
        fprintf(fp, ", \"c_over_T_null_reason\": ");
        hl_json_string(fp, e->reason);
    }
    fprintf(fp, "}");
}

void cli_blocks_json_kauzmann(FILE *fp, const hl_blocks *b, const hl_bphases *p)
{
    hl_bkauzmann kz;
    hl_bphases_kauzmann(p, &kz);
    fprintf(fp, ", \"kauzmann\": ");
    if (!kz.found) {
        fprintf(fp, "null, \"kauzmann_null_reason\": ");
        hl_json_string(fp, kz.reason);
        return;
    }
    fprintf(fp, "{\"beta\": ");
    hl_json_number(fp, kz.beta);
    json_num(fp, "T", kz.T);
    json_num(fp, "w", kz.liquid.w);
    fprintf(fp, ", \"liquid\": ");
    cli_blocks_json_state(fp, b, &kz.liquid, NULL, 1);
    fprintf(fp, ", \"crystal\": ");
    cli_blocks_json_state(fp, b, &kz.crystal, NULL, 1);
    fprintf(fp, "}");
}

void cli_blocks_print_lowtemp(const hl_blocks *b, const hl_bphases *p)
{
    int k = hl_blocks_k(b);
    for (int br = 0; br < hl_bphases_branch_count(p); br++) {
        hl_bt0_end e;
        hl_bphases_t0_end(p, br, &e);
        const char *name = hl_bphases_branch_name(p, br);
        if (e.kind == HL_T0_NONE) {
            printf("  %-10s T -> 0: none (%s)\n", name, e.reason);
            continue;
        }
        printf("  %-10s T -> 0: %s m = (", name, t0_kind(&e, k));
        for (int i = 0; i < k; i++)
            printf("%s%s", i ? ", " : "", cli_num("%.8g", e.m[i]));
        printf("), phi = %s, residual entropy w = %s, c/T -> %s%s\n", cli_num("%.10g", e.phi),
               cli_num("%.10g", e.residual_entropy),
               cli_numx("%.10g", e.c_over_T, "n/a (not quadratic)"),
               e.kind == HL_T0_VERTEX ? "" : " [degenerate glass]");
    }
    hl_bkauzmann kz;
    hl_bphases_kauzmann(p, &kz);
    cli_print_kauzmann(kz.found, kz.beta, kz.liquid.w, kz.reason);
}

void cli_print_kauzmann(int found, double beta, double w, const char *reason)
{
    if (found)
        printf("Kauzmann-like point: beta_K = %s (T_K = %s), w_liquid = w_crystal = %s\n",
               cli_num("%.12f", beta), cli_num("%.10f", 1 / beta), cli_num("%.10g", w));
    else
        printf("Kauzmann-like point: none (%s)\n", reason);
}
