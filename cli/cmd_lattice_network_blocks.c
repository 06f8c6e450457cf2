/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_lattice_network_blocks.c -- 'lattice-network --blocks': the class
 * lattice of the model of k blocks written as a network in the CSV form
 * that `hyperland network --states --transitions` reads
 * (hl_blocks_lattice_network_write, network.h), with the sets of
 * 'mfpt --blocks' (start class, target basin) in min.A form
 * (hl_blocks_passage_sets, blocks_kinetics.h). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "memlimit.h"
#include "cli.h"
#include "hyperland/blocks_kinetics.h"
#include "hyperland/network.h"

static const char *CMD = "lattice-network";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland lattice-network --blocks K --dim D --states FILE --transitions FILE\n"
"                                 [--beta B] [--phi F] [--transmission F]\n"
"                                 [--start-set FILE --target-set FILE\n"
"                                  [--from NAME] [--to NAME]] [--json]\n"
"       hyperland lattice-network --block-sizes D1,...,DK --states FILE ...\n"
"\n"
"The master equation on the class lattice of K blocks (classes n = (n1 .. nK),\n"
"the rates of eq 5.2 as 'spectrum --blocks') written as a kinetic transition\n"
"network in the plain CSV form of 'hyperland network' (ln M = S - E/T,\n"
"ln k(a -> b) = (S_ts - E_ts/T) - (S_a - E_a/T)):\n"
"  states       id,energy,entropy  with id = the class index of 'exact --blocks\n"
"               --distribution' (block K fastest: for two equal blocks\n"
"               n1 (D/2 + 1) + n2, the id of lattice-network without --blocks),\n"
"               energy = D phi(m), entropy = ln W = sum_i ln C(D_i, n_i)\n"
"  transitions  a,b,energy,entropy  one per move n_i -> n_i + 1: energy =\n"
"               (E_a + E_b)/2, entropy = ln W(a) + ln(D_i - n_i) + ln B(m_mid, T),\n"
"               B at the midpoint of the two classes\n"
"so that at T = 1/beta the network has the weights W exp(-beta D phi) and the\n"
"rates (D_i - n_i) B exp(-beta D dphi / 2) exactly: 'network --temperature T'\n"
"on it gives the rates of 'spectrum --blocks' and, with the sets below, the\n"
"MFPT of 'mfpt --blocks'.  Time in units of 1/B.\n"
"\n"
"A B without T gives a network right at every temperature.  A B that\n"
"depends on T needs --beta: it is evaluated at T = 1/beta and folded into\n"
"the entropies, so the network is right at that temperature only: both\n"
"files then carry the line '# valid-temperature: T' (T = 1/beta, 17 digits),\n"
"and 'network' (and kmc, scan, ageing, kovacs on them) refuses any other\n"
"temperature.  Sizes: prod (D_i + 1) states, sum_i D_i prod_{l != i}\n"
"(D_l + 1) transitions.\n"
"\n");
    fprintf(fp,
"options:\n"
CLI_BLOCKS_HELP
"  --dim D              dimension (with --blocks; K divides D)\n"
"  --states FILE        the states file (required; '-': stdout)\n"
"  --transitions FILE   the transitions file (required)\n"
"  --beta B             inverse temperature: where a T-dependent B is taken, and\n"
"                       where the basins of the sets are found\n"
"  --start-set FILE     the start class of 'mfpt --blocks --from NAME' at beta\n"
"                       (the maximum of ln Q_eq in that basin), in min.A form\n"
"                       (the count, then the ids): network --A @FILE\n"
"  --target-set FILE    the classes of basin --to at beta (min.A form): --B @FILE\n"
"  --from NAME, --to NAME[,NAME...]  the basins (default liquid, crystal)\n"
"                       as 'mfpt --blocks' (aliases refused where basins tie;\n"
"                       a list for --to: the union of its basins)\n"
"  --phi FORMULA        phi(m1, ..., mK) (x, y too for K = 2 equal blocks)\n"
"  --transmission F     B(m1, ..., mK, T) (default 1)\n"
"  --json               a summary on stdout\n"
CLI_MAX_MEMORY_HELP
CLI_THREADS_HELP
"  --help               this text\n");
}

int cmd_lattice_network_blocks(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},          {"beta", required_argument, 0, 'b'},
        {"states", required_argument, 0, 's'},       {"transitions", required_argument, 0, 'r'},
        {"start-set", required_argument, 0, 'S'},    {"target-set", required_argument, 0, 'G'},
        {"from", required_argument, 0, 'f'},         {"to", required_argument, 0, 't'},
        {"phi", required_argument, 0, 'p'},          {"transmission", required_argument, 0, 'B'},
        {"json", no_argument, 0, 'j'},               {"help", no_argument, 0, 'h'},
        CLI_THREADS_OPTION,                          CLI_BLOCKS_OPTIONS, CLI_MAX_MEMORY_OPTION,
        {0, 0, 0, 0}};
    const char *states = NULL, *trans = NULL, *start_f = NULL, *target_f = NULL;
    const char *from = "liquid", *to = "crystal", *phi = NULL, *tr = NULL;
    long D = 0;
    double beta = NAN;
    int json = 0, c;
    cli_blocks_opts bo = {0};
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        int r = cli_blocks_option(CMD, c, optarg, &bo);
        if (!r)
            r = cli_max_memory_handle(CMD, c, optarg);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        switch (c) {
        case 'D':
            if (!cli_parse_long(CMD, "--dim", optarg, &D))
                return EXIT_USAGE;
            break;
        case 'b':
            if (!cli_parse_beta(CMD, "--beta", optarg, &beta))
                return EXIT_USAGE;
            break;
        case 's': states = optarg; break;
        case 'r': trans = optarg; break;
        case 'S': start_f = optarg; break;
        case 'G': target_f = optarg; break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'p': phi = optarg; break;
        case 'B': tr = optarg; break;
        case 'j': json = 1; break;
        case 'h': help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (!states || !trans) {
        cli_error(CMD, "--states and --transitions are required (see --help)");
        return EXIT_USAGE;
    }
    if (!!start_f != !!target_f) {
        cli_error(CMD, "--start-set and --target-set go together");
        return EXIT_USAGE;
    }
    if (start_f && isnan(beta)) {
        cli_error(CMD, "--start-set and --target-set need --beta (the basins depend on it)");
        return EXIT_USAGE;
    }
    if (!cli_blocks_spec_ok(CMD, "--from", from, &bo) || !cli_blocks_spec_ok(CMD, "--to", to, &bo))
        return EXIT_USAGE;
    hl_blocks *b = cli_blocks_model(CMD, &bo, D, phi, tr);
    if (!b)
        return cli_blocks_status();
    int uses_T = hl_blocks_transmission_uses_t(b), k = hl_blocks_k(b);
    int pair = hl_blocks_is_paper_pair(b), rc = EXIT_FAIL, st;
    long N = hl_blocks_n_classes(b), start = -1, n_states = 0, n_trans = 0;
    long *target = NULL;
    size_t n_target = 0;
    if (start_f && cli_blocks_basin_args(CMD, "--from", from, "--to", to, k, 1)) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (uses_T && isnan(beta)) {
        cli_error(CMD, "B depends on T: give --beta (the network is then right at T = 1/beta "
                       "only)");
        rc = EXIT_USAGE;
        goto done;
    }
    if (json && !cli_stdout_claim(CMD, "--json")) {
        rc = EXIT_USAGE;
        goto done;
    }
    /* above 2^31 classes the library's own refusal (exit 1) */
    if (N >= 0 && N <= (1L << 31) &&
        !cli_blocks_memory_ok(CMD, b, CLI_MEM_LINEAR, 0, "the class lattice as a network")) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!cli_output_declare(CMD, "--states", states, 0) ||
        !cli_output_declare(CMD, "--transitions", trans, 0) ||
        (start_f && !cli_output_declare(CMD, "--start-set", start_f, 0)) ||
        (target_f && !cli_output_declare(CMD, "--target-set", target_f, 0))) {
        rc = cli_outputs_status();
        goto done;
    }
    if (start_f) {
        /* count + ids; a lattice too large for the exact sums is refused by
         * hl_blocks_passage_sets before it writes any id */
        long cap = (N < 0 || N > HL_BLOCKS_EXACT_MAX_CLASSES) ? 1 : N;
        target = malloc(sizeof(long) * (size_t)(cap + 1));
        if (!target) {
            cli_error(CMD, "out of memory");
            goto done;
        }
        if ((st = hl_blocks_passage_sets(b, beta, from, to, &start, target + 1, &n_target))) {
            rc = cli_blocks_basin_status(CMD, st);
            goto done;
        }
    }
    FILE *fs = cli_output_stream(CMD, states), *ft = cli_output_stream(CMD, trans);
    if (!fs || !ft)
        goto done;
    char params[1024];
    if (uses_T)
        snprintf(params, sizeof params,
                 "class lattice of %d blocks (section VI) as a network: D = %ld, B evaluated at "
                 "T = 1/beta = %.17g: RIGHT AT THIS TEMPERATURE ONLY; id = class index (block "
                 "%d fastest, as exact --blocks --distribution)",
                 k, hl_blocks_dim(b), 1 / beta, k);
    else
        snprintf(params, sizeof params,
                 "class lattice of %d blocks (section VI) as a network: D = %ld, B without T: "
                 "right at every temperature; id = class index (block %d fastest, as exact "
                 "--blocks --distribution)",
                 k, hl_blocks_dim(b), k);
    cli_csv_preamble(fs, params);
    cli_blocks_csv_comment(fs, b);
    cli_csv_preamble(ft, params);
    cli_blocks_csv_comment(ft, b);
    if ((st = hl_blocks_lattice_network_write(b, beta, fs, ft, &n_states, &n_trans))) {
        cli_lib_error(CMD, st);
        goto done;
    }
    if (start_f) {
        long one[2] = {1, start};
        target[0] = (long)n_target;
        if (!cli_write_atomic(CMD, start_f, cli_write_id_set, one) ||
            !cli_write_atomic(CMD, target_f, cli_write_id_set, target))
            goto done;
    }
    long n0[HL_BLOCKS_MAX];
    double m0[HL_BLOCKS_MAX];
    if (start_f)
        hl_blocks_class(b, start, n0, m0);
    if (json) {
        cli_json_begin(stdout, CMD);
        cli_blocks_json(stdout, b);
        printf(", \"beta\": ");
        hl_json_number(stdout, beta);
        printf(", \"states\": %ld, \"transitions\": %ld, \"temperature_dependent\": %s",
               n_states, n_trans, uses_T ? "true" : "false");
        printf(", \"right_at_temperature\": ");
        hl_json_number(stdout, uses_T ? 1 / beta : NAN);
        printf(", \"from\": ");
        if (start_f)
            hl_json_string(stdout, from);
        else
            printf("null");
        printf(", \"to\": ");
        if (start_f)
            hl_json_string(stdout, to);
        else
            printf("null");
        printf(", \"start_id\": ");
        if (start_f) {
            printf("%ld, \"start_class\": {\"n\": [", start);
            for (int i = 0; i < k; i++)
                printf("%s%ld", i ? ", " : "", n0[i]);
            printf("], \"m\": ");
            cli_blocks_json_vec(stdout, m0, k);
            if (pair) {
                printf(", \"x\": ");
                hl_json_number(stdout, 0.5 * (m0[0] + m0[1]));
                printf(", \"y\": ");
                hl_json_number(stdout, 0.5 * (m0[0] - m0[1]));
            }
            printf("}, \"target_classes\": %ld", (long)n_target);
        } else {
            printf("null, \"start_class\": null, \"target_classes\": null");
        }
        printf("}\n");
    } else {
        FILE *out = (!strcmp(states, "-") || !strcmp(trans, "-")) ? stderr : stdout;
        fprintf(out, "D = %ld in %d block%s: %ld states, %ld transitions written (%s)\n",
                hl_blocks_dim(b), k, k == 1 ? "" : "s", n_states, n_trans,
                uses_T ? "B depends on T: right at T = 1/beta only"
                       : "right at every temperature");
        if (start_f) {
            fprintf(out, "start: class %ld, n = (", start);
            for (int i = 0; i < k; i++)
                fprintf(out, "%s%ld", i ? ", " : "", n0[i]);
            fprintf(out, "), of basin %s; target: %ld classes of basin %s (beta = %g)\n",
                    cli_clip(from), (long)n_target, cli_clip(to), beta);
        }
    }
    rc = EXIT_OK;
done:
    free(target);
    hl_blocks_free(b);
    return rc;
}
