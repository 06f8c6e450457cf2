/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_blocks_kinetics.c -- 'spectrum --blocks' and 'mfpt --blocks': the
 * master equation on the class lattice of k blocks (hl_blocks_chain) solved
 * by the chain engine (chain.h): the slowest rates (hl_chain_slow_rates,
 * exact however small) and mean first-passage times between basins
 * (hl_chain_mfpt, graph transformation). */
#include <float.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"

/* --------------------------------------------------------- spectrum */

static void spectrum_help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland spectrum --blocks K --dim D --beta B [--count N] [options]\n"
"       hyperland spectrum --block-sizes D1,...,DK --beta B [--count N] [options]\n"
"\n"
"The N slowest relaxation rates of the master equation on the class lattice\n"
"of K blocks (prod (D_i + 1) classes, 2K moves per class, the rates of eq\n"
"5.2: K(n -> n + e_i) = (D_i - n_i) B(m_mid, T) exp(-beta D dphi / 2)), 0\n"
"first, in units of B, through the chain engine (hl_chain_slow_rates): the\n"
"double eigensolver where it resolves a rate, Lanczos on the pseudo-inverse\n"
"through the graph transformation, and the log-space fixed point for the\n"
"rest, each value checked against every other method that resolves it:\n"
"the tunnelling rates are right in relative terms however small (ln_rates\n"
"stays finite below 1e-308).  A rate no method resolves is null with the\n"
"reason.  For K = 2 equal blocks the chain is today's contracted chain\n"
"(m1 = x + y, m2 = x - y) and the rates are today's.\n"
"\n"
"options:\n"
CLI_BLOCKS_HELP
"  --dim D              dimension (with --blocks; K divides D)\n"
"  --beta B             inverse temperature (required, > 0)\n"
"  --count N            number of rates, 0 included (default 10)\n"
"  --phi FORMULA        phi(m1, ..., mK) (x, y too for K = 2 equal blocks)\n"
"  --transmission F     B(m1, ..., mK, T) (default 1)\n"
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n");
}

/* The rate and its ln as text with the digits rel resolves. */
static void fmt_rate(double ln, double rel, char *rb, char *lb, size_t n)
{
    if (ln == -INFINITY) {
        snprintf(rb, n, "0");
        snprintf(lb, n, "n/a (rate 0)");
        return;
    }
    if (isnan(ln)) {
        snprintf(rb, n, "not resolved");
        snprintf(lb, n, "not resolved");
        return;
    }
    int dig = isnan(rel) ? 10 : rel > 0 ? (int)floor(-log10(rel)) : 15;
    dig = dig < 1 ? 1 : dig > 15 ? 15 : dig;
    double rate = exp(ln);
    if (rate >= DBL_MIN && isfinite(rate)) {
        snprintf(rb, n, "%.*g", dig, rate);
    } else {
        double e10 = ln / log(10.0), ex = floor(e10);
        snprintf(rb, n, "%.*fe%.0f", dig - 1, pow(10.0, e10 - ex), ex);
    }
    snprintf(lb, n, "%.*f", dig, ln);
}

int cmd_spectrum_blocks(int argc, char **argv)
{
    static const char *CMD = "spectrum";
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},  {"beta", required_argument, 0, 'b'},
        {"count", required_argument, 0, 'k'}, {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'}, {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION, CLI_BLOCKS_OPTIONS, {0, 0, 0, 0}};
    const char *phi = NULL, *trans = NULL;
    long D = 0, K = 10;
    double beta = 0;
    int have_beta = 0, json = 0, c;
    cli_blocks_opts bo = {0};
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        int r = cli_blocks_option(CMD, c, optarg, &bo);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'k': if (!cli_parse_long(CMD, "--count", optarg, &K)) return EXIT_USAGE; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'j': json = 1; break;
        case 'h': spectrum_help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (!have_beta) {
        cli_error(CMD, "--beta B is required (see --help)");
        return EXIT_USAGE;
    }
    if (K < 1 || K > 1000) {
        cli_error(CMD, "--count %ld is not between 1 and 1000", K);
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    hl_blocks *b = cli_blocks_model(CMD, &bo, D, phi, trans);
    if (!b)
        return EXIT_FAIL;
    long N = hl_blocks_n_classes(b);
    if (N >= 0 && K > N) {
        cli_error(CMD, "--count %ld is above the number of classes (%ld)", K, N);
        hl_blocks_free(b);
        return EXIT_USAGE;
    }
    int rc = EXIT_OK, st;
    hl_chain *ch = NULL;
    hl_chain_plan *plan = NULL;
    double *lr = malloc(sizeof(double) * (size_t)K);
    char why[1024] = "";
    hl_chain_result res = {"none", NAN};
    if (!lr) {
        cli_error(CMD, "out of memory");
        rc = EXIT_FAIL;
        goto done;
    }
    if ((st = hl_blocks_chain(b, beta, &ch)) || (st = hl_chain_plan_create(ch, beta, &plan)) ||
        (st = hl_chain_slow_rates(plan, (int)K, lr, why, sizeof why, &res))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    int any_null = 0;
    for (long q = 1; q < K; q++)
        any_null |= isnan(lr[q]);
    if (json) {
        cli_json_begin(stdout, CMD);
        cli_blocks_json(stdout, b);
        printf(", \"beta\": ");
        hl_json_number(stdout, beta);
        printf(", \"kind\": \"blocks\", \"states\": %ld, \"method\": ", N);
        hl_json_string(stdout, res.method);
        printf(", \"resolution\": ");
        hl_json_number(stdout, res.resolution);
        printf(", \"resolution_kind\": \"relative\", \"rates\": [");
        for (long q = 0; q < K; q++) {
            printf(q ? ", " : "");
            double r = q == 0 ? 0.0 : exp(lr[q]);
            hl_json_number(stdout, q == 0 || (r >= DBL_MIN && isfinite(r)) ? r : NAN);
        }
        printf("], \"ln_rates\": [");
        for (long q = 0; q < K; q++) {
            printf(q ? ", " : "");
            hl_json_number(stdout, lr[q]);
        }
        printf("], \"null_reason\": ");
        if (any_null)
            hl_json_string(stdout, why[0] ? why : "not resolved");
        else
            printf("null");
        printf(", \"ln_rates_note\": \"ln_rates[0] is null: rate 0 (equilibrium) is exactly 0 "
               "and its log is -infinity; a rate null with a finite ln_rate lies below "
               "1e-308\"}\n");
    } else {
        printf("D = %ld in %d blocks, beta = %s, %ld classes, method %s\n", hl_blocks_dim(b),
               hl_blocks_k(b), cli_num("%g", beta), N, res.method);
        printf("  %4s %24s %24s\n", "k", "rate (units of B)", "ln rate");
        for (long q = 0; q < K; q++) {
            char rb[64], lb[64];
            fmt_rate(lr[q], res.resolution, rb, lb, sizeof rb);
            printf("  %4ld %24s %24s\n", q, rb, lb);
        }
        printf("  (relative resolution %s)\n", cli_num("%.3g", res.resolution));
        if (any_null)
            printf("  (not resolved: %s)\n", why[0] ? why : "not resolved");
    }
done:
    free(lr);
    hl_chain_plan_free(plan);
    hl_chain_free(ch);
    hl_blocks_free(b);
    return rc;
}
