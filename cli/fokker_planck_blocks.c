/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fokker_planck_blocks.c -- hyperland fokker-planck --blocks K: the
 * Fokker-Planck equation in k <= 3 block magnetisations
 * (hl_fp_blocks_chain) and its slowest relaxation rates through the
 * public chain's solvers (hl_chain_slow_rates: the tunnelling rate exact
 * however small). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"
#include "fokker_planck_blocks.h"
#include "hyperland/chain.h"
#include "hyperland/fokker_planck.h"

static void print_rate(double ln)
{
    if (ln == -INFINITY)
        printf(" %22s %22s", "0", "n/a (rate 0)");
    else if (isnan(ln))
        printf(" %22s %22s", "not resolved", "not resolved");
    else if (ln < -700) {
        double e10 = ln / log(10.0), ex = floor(e10);
        printf(" %17.10fe%.0f %22.14g", pow(10.0, e10 - ex), ex, ln);
    } else
        printf(" %22.14g %22.14g", exp(ln), ln);
}

int cli_fp_blocks(const char *cmd, const cli_blocks_opts *bo, long dim, double beta, long grid,
                  long k, const char *phi, const char *trans, int json)
{
    hl_blocks *b = cli_blocks_model(cmd, bo, dim, phi, trans);
    if (!b)
        return EXIT_USAGE;
    int kb = hl_blocks_k(b), rc = EXIT_FAIL, st;
    if (grid <= 0)
        grid = kb == 3 ? 40 : 200;
    hl_chain *c = NULL;
    hl_chain_plan *plan = NULL;
    double *ln = malloc(sizeof(double) * (size_t)(k + 1));
    char why[256] = "";
    hl_chain_result res;
    memset(&res, 0, sizeof res);
    hl_fp_blocks_info fi;
    if (!ln) {
        cli_error(cmd, "out of memory");
        goto done;
    }
    if ((st = hl_fp_blocks_chain(b, beta, grid, &c, &fi))) {
        rc = cli_lib_error(cmd, st);
        goto done;
    }
    if (fi.max_ln_jump > HL_FP_JUMP_WARN) {
        fprintf(stderr, "hyperland %s: warning: coarse grid: ln P changes by %.3g between "
                        "adjacent cells near m = (",
                cmd, fi.max_ln_jump);
        for (int a = 0; a < kb; a++)
            fprintf(stderr, "%s%.4f", a ? ", " : "", fi.jump_m[a]);
        fprintf(stderr, "); expect a few per cent of discretisation error (more cells reduce "
                        "it)\n");
    }
    char method[160] = "";
    if (k > 0) {
        /* the eigensolver (as the 2-D equation's spectrum); the rates it
         * leaves below its resolution from the slow-rate methods, in logs */
        double *r = malloc(sizeof(double) * (size_t)k);
        if (!r) {
            cli_error(cmd, "out of memory");
            goto done;
        }
        if ((st = hl_chain_plan_create(c, beta, &plan)) ||
            (st = hl_chain_spectrum(plan, (int)k, r, &res))) {
            free(r);
            rc = cli_lib_error(cmd, st);
            goto done;
        }
        snprintf(method, sizeof method, "%s", res.method ? res.method : "");
        /* the slow-rate methods only up to the last rate not resolved (they
         * are costly for fast rates on a 3-D grid) */
        long lost = 0;
        for (long q = 0; q < k; q++) {
            ln[q] = q == 0 ? -INFINITY : r[q] > 0 ? log(r[q]) : NAN;
            if (q > 0 && q < fi.cells && !(r[q] > 0))
                lost = q + 1;
        }
        double eig_res = res.resolution;
        if (lost) {
            double *l2 = malloc(sizeof(double) * (size_t)lost);
            if (!l2 || (st = hl_chain_slow_rates(plan, (int)lost, l2, why, sizeof why, &res))) {
                free(r);
                free(l2);
                rc = l2 ? cli_lib_error(cmd, st) : EXIT_FAIL;
                if (!l2)
                    cli_error(cmd, "out of memory");
                goto done;
            }
            for (long q = 1; q < lost; q++)
                if (!(r[q] > 0))
                    ln[q] = l2[q];
            char first[64];
            snprintf(first, sizeof first, "%s", method);
            snprintf(method, sizeof method, "%s; below its resolution %.3g: %s", first, eig_res,
                     res.method ? res.method : "");
            free(l2);
        }
        res.resolution = eig_res;
        free(r);
    }
    if (json) {
        cli_json_begin(stdout, cmd);
        cli_blocks_json(stdout, b);
        printf(", \"beta\": ");
        hl_json_number(stdout, beta);
        printf(", \"form\": \"full\", \"grid\": %ld, \"cells\": %ld, \"grid_resolution\": "
               "{\"max_ln_jump\": ",
               grid, fi.cells);
        hl_json_number(stdout, fi.max_ln_jump);
        printf(", \"m\": [");
        for (int a = 0; a < kb; a++) {
            printf("%s", a ? ", " : "");
            hl_json_number(stdout, fi.jump_m[a]);
        }
        printf("], \"warning\": ");
        if (fi.max_ln_jump > HL_FP_JUMP_WARN)
            hl_json_string(stdout, "coarse grid: ln P changes by more than 4 between adjacent "
                                   "cells; rates carry a few per cent of discretisation error");
        else
            printf("null");
        printf("}");
        if (k > 0) {
            /* a rate below the range of a double is null in rates, its ln in ln_rates */
            printf(", \"rates\": [");
            for (long q = 0; q < k; q++) {
                printf("%s", q ? ", " : "");
                hl_json_number(stdout, ln[q] == -INFINITY ? 0.0 : exp(ln[q]) > 0 ? exp(ln[q]) : NAN);
            }
            printf("], \"ln_rates\": [");
            for (long q = 0; q < k; q++) {
                printf("%s", q ? ", " : "");
                hl_json_number(stdout, ln[q] == -INFINITY ? NAN : ln[q]);
            }
            int any = 0;
            for (long q = 1; q < k; q++)
                any |= isnan(ln[q]);
            printf("], \"null_reason\": ");
            if (any)
                hl_json_string(stdout, why[0] ? why : "below the eigensolver's resolution");
            else
                printf("\"ln_rates[0] is ln 0 (the equilibrium)\"");
            printf(", \"method\": ");
            hl_json_string(stdout, method);
            printf(", \"resolution\": ");
            hl_json_number(stdout, res.resolution);
        }
        printf("}\n");
    } else {
        printf("D = %ld in %d blocks (", hl_blocks_dim(b), kb);
        for (int a = 0; a < kb; a++)
            printf("%s%ld", a ? ", " : "", hl_blocks_size(b, a));
        printf("), beta = %s\nphi = %s\n", cli_num("%g", beta), hl_blocks_phi_formula(b));
        printf("Fokker-Planck (full form) in m1 .. m%d, grid %ld^%d over [-1, 1]^%d, %ld cells\n",
               kb, grid, kb, kb, fi.cells);
        if (k > 0) {
            printf("%4s %22s %22s\n", "k", "rate (units of B)", "ln rate");
            for (long q = 0; q < k; q++) {
                printf("%4ld", q);
                print_rate(ln[q]);
                printf("\n");
            }
            printf("method: %s (absolute resolution of the eigensolver %s)\n", method,
                   cli_num("%.3g", res.resolution));
            int any = 0;
            for (long q = 1; q < k; q++)
                any |= isnan(ln[q]);
            if (any)
                printf("not resolved: %s\n", why[0] ? why : "below the eigensolver's resolution");
        }
    }
    rc = EXIT_OK;
done:
    hl_chain_plan_free(plan);
    hl_chain_free(c);
    hl_blocks_free(b);
    free(ln);
    return rc;
}
