/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_lattice_network.c -- hyperland lattice-network: the contracted class
 * lattice of eq 5.6 written as a network in the CSV form that `hyperland
 * network --states --transitions` reads, with the sets of `mfpt` (start
 * class, target basin) in min.A form (hl_lattice_network_write, network.h). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"
#include "hyperland/network.h"

static const char *CMD = "lattice-network";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland lattice-network --dim D --states FILE --transitions FILE\n"
"                                 [--beta B] [--phi F] [--transmission F]\n"
"                                 [--start-set FILE --target-set FILE\n"
"                                  [--from NAME] [--to NAME]] [--json]\n"
"\n"
"The contracted master equation of eq 5.6 on the classes (n, n1) written as a\n"
"kinetic transition network in the plain CSV form of 'hyperland network'\n"
"(ln M = S - E/T, ln k(a -> b) = (S_ts - E_ts/T) - (S_a - E_a/T)):\n"
"  states       id,energy,entropy  with id = n1 (D/2 + 1) + (n - n1),\n"
"               energy = D phi(x, y) (Phi), entropy = ln W(n, n1)\n"
"  transitions  a,b,energy,entropy  one per move of eq 5.6 (n1 -> n1 + 1 or\n"
"               n - n1 -> n - n1 + 1): energy = (E_a + E_b)/2, entropy =\n"
"               ln W(a) + ln(D/2 - k) + ln B(x, y, T), B at the mean order\n"
"               parameters of the two classes (a the class before the move, k\n"
"               its n1 or n - n1 that the move raises)\n"
"so that at T = 1/beta the network has the weights W exp(-beta Phi) and the\n"
"rates (count) B exp(-beta (Phi_j - Phi_i)/2) of eq 5.2 exactly: 'network\n"
"--temperature T' on it gives the rates of 'spectrum' and, with the sets\n"
"below, the MFPT of 'mfpt'.  Time in units of 1/B.\n"
"\n"
"A B without T gives a network right at every temperature.  A B that\n"
"depends on T needs --beta: it is evaluated at T = 1/beta and folded into\n"
"the entropies, so the network is right at that temperature only: both\n"
"files then carry the line '# valid-temperature: T' (T = 1/beta, 17 digits),\n"
"and 'network' (and kmc, scan, ageing, kovacs on them) refuses any other\n"
"temperature.  Sizes: (D/2 + 1)^2 states, D (D/2 + 1) transitions.\n"
"\n"
"options:\n"
"  --dim D              even dimension (required)\n"
"  --states FILE        the states file (required; '-': stdout)\n"
"  --transitions FILE   the transitions file (required)\n"
"  --beta B             inverse temperature: where a T-dependent B is taken, and\n"
"                       where the basins of the sets are found\n"
"  --start-set FILE     the start class of 'mfpt --from NAME' at beta (the\n"
"                       highest local maximum of ln Q_eq in that basin), in\n"
"                       min.A form (the count, then the ids): network --A @FILE\n"
"  --target-set FILE    the classes of basin --to at beta (min.A form): --B @FILE\n"
"  --from NAME, --to NAME  the basins (default liquid, crystal, as 'mfpt')\n"
"  --phi FORMULA        phi(x, y) (default eq 4.11)\n"
"  --transmission FORMULA  B(x, y, T) (default 1)\n"
"  --json               a summary on stdout\n"
"  --blocks K, --block-sizes LIST\n"
"                       the class lattice of the model of K blocks (section VI):\n"
"                       see 'hyperland lattice-network --blocks 2 --help'\n"
CLI_THREADS_HELP
"  --help               this text\n" HL_FORMULA_HELP);
}

typedef struct {
    const hl_model *m;
    long D;
    double beta;
    long n_states, n_trans;
    long start, n_target, *target;
    int uses_T;
} lat_t;

int cli_write_id_set(FILE *fp, void *vctx)
{
    const long *v = vctx; /* v[0] = count, then the ids */
    fprintf(fp, "%ld\n", v[0]);
    for (long i = 1; i <= v[0]; i++)
        fprintf(fp, "%ld\n", v[i]);
    return ferror(fp) ? 1 : 0;
}

int cmd_lattice_network(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},          {"beta", required_argument, 0, 'b'},
        {"states", required_argument, 0, 's'},       {"transitions", required_argument, 0, 'r'},
        {"start-set", required_argument, 0, 'S'},    {"target-set", required_argument, 0, 'G'},
        {"from", required_argument, 0, 'f'},         {"to", required_argument, 0, 't'},
        {"phi", required_argument, 0, 'p'},          {"transmission", required_argument, 0, 'B'},
        {"json", no_argument, 0, 'j'},               {"help", no_argument, 0, 'h'},
        CLI_THREADS_OPTION,                          {0, 0, 0, 0}};
    const char *states = NULL, *trans = NULL, *start_f = NULL, *target_f = NULL;
    const char *from = "liquid", *to = "crystal", *phi = NULL, *tr = NULL;
    if (cli_blocks_requested(argc, argv))
        return cmd_lattice_network_blocks(argc, argv);
    lat_t L;
    memset(&L, 0, sizeof L);
    L.beta = NAN;
    int json = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'D':
            if (!cli_parse_long(CMD, "--dim", optarg, &L.D))
                return EXIT_USAGE;
            break;
        case 'b':
            if (!cli_parse_beta(CMD, "--beta", optarg, &L.beta))
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
    if (L.D == 0 || !states || !trans) {
        cli_error(CMD, "--dim, --states and --transitions are required (see --help)");
        return EXIT_USAGE;
    }
    if (start_f && !strcmp(from, to)) {
        cli_error(CMD, "--from and --to are the same basin '%s'", cli_clip(from));
        return EXIT_USAGE;
    }
    if (hl_check_dim(L.D) != HL_OK) {
        cli_error(CMD, "%s", hl_errmsg());
        return EXIT_USAGE;
    }
    if (!!start_f != !!target_f) {
        cli_error(CMD, "--start-set and --target-set go together");
        return EXIT_USAGE;
    }
    if (start_f && isnan(L.beta)) {
        cli_error(CMD, "--start-set and --target-set need --beta (the basins depend on it)");
        return EXIT_USAGE;
    }
    hl_model *m = cli_model(CMD, phi, tr);
    if (!m)
        return EXIT_USAGE;
    L.m = m;
    L.uses_T = hl_model_transmission_uses_temperature(m);
    int rc = EXIT_FAIL;
    if (L.uses_T && isnan(L.beta)) {
        cli_error(CMD, "B depends on T: give --beta (the network is then right at T = 1/beta "
                       "only)");
        rc = EXIT_USAGE;
        goto done;
    }
    if (json && !cli_stdout_claim(CMD, "--json")) {
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
    long N = (L.D / 2 + 1) * (L.D / 2 + 1);
    int st;
    if (start_f) {
        L.target = malloc(sizeof(long) * (size_t)(N + 1));
        if (!L.target) {
            cli_error(CMD, "out of memory");
            goto done;
        }
        if ((st = hl_lattice_network_sets(m, L.D, L.beta, from, to, &L.start, L.target + 1,
                                          &L.n_target)) != HL_OK) {
            cli_lib_error(CMD, st);
            goto done;
        }
    }
    FILE *fs = cli_output_stream(CMD, states), *ft = cli_output_stream(CMD, trans);
    if (!fs || !ft)
        goto done;
    char params[1024];
    if (L.uses_T)
        snprintf(params, sizeof params,
                 "hypercube class lattice (eq 5.6) as a network: D = %ld, phi = %.300s, "
                 "B = %.300s evaluated at T = 1/beta = %.17g: RIGHT AT THIS TEMPERATURE ONLY",
                 L.D, hl_model_phi_formula(m), hl_model_transmission_formula(m), 1 / L.beta);
    else
        snprintf(params, sizeof params,
                 "hypercube class lattice (eq 5.6) as a network: D = %ld, phi = %.300s, "
                 "B = %.300s (no T: right at every temperature); id = n1 (D/2 + 1) + (n - n1)",
                 L.D, hl_model_phi_formula(m), hl_model_transmission_formula(m));
    cli_csv_preamble(fs, params);
    cli_csv_preamble(ft, params);
    if ((st = hl_lattice_network_write(m, L.D, L.beta, fs, ft, &L.n_states, &L.n_trans)) !=
        HL_OK) {
        cli_lib_error(CMD, st);
        goto done;
    }
    if (start_f) {
        long one[2] = {1, L.start};
        L.target[0] = L.n_target;
        if (!cli_write_atomic(CMD, start_f, cli_write_id_set, one) ||
            !cli_write_atomic(CMD, target_f, cli_write_id_set, L.target))
            goto done;
    }
    long h = L.D / 2;
    if (json) {
        cli_json_model(stdout, CMD, m, L.D, L.beta);
        printf(", \"states\": %ld, \"transitions\": %ld, \"temperature_dependent\": %s",
               L.n_states, L.n_trans, L.uses_T ? "true" : "false");
        printf(", \"right_at_temperature\": ");
        hl_json_number(stdout, L.uses_T ? 1 / L.beta : NAN);
        printf(", \"start_id\": ");
        if (start_f)
            printf("%ld, \"start_class\": {\"n\": %ld, \"n1\": %ld}, \"target_classes\": %ld",
                   L.start, L.start / (h + 1) + L.start % (h + 1), L.start / (h + 1),
                   L.n_target);
        else
            printf("null, \"start_class\": null, \"target_classes\": null");
        printf("}\n");
    } else {
        FILE *out = (!strcmp(states, "-") || !strcmp(trans, "-")) ? stderr : stdout;
        fprintf(out, "D = %ld: %ld states, %ld transitions written (%s)\n", L.D, L.n_states,
                L.n_trans,
                L.uses_T ? "B depends on T: right at T = 1/beta only"
                         : "right at every temperature");
        if (start_f)
            fprintf(out, "start: class (n, n1) = (%ld, %ld), id %ld of basin %s; target: %ld "
                         "classes of basin %s (beta = %g)\n",
                    L.start / (h + 1) + L.start % (h + 1), L.start / (h + 1), L.start,
                    cli_clip(from), L.n_target, cli_clip(to), L.beta);
    }
    rc = EXIT_OK;
done:
    free(L.target);
    hl_model_free(m);
    return rc;
}
