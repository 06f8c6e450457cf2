/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_evolve.c -- hyperland evolve: time evolution of the class
 * distribution Q(n, n1, t) under the master equation (eq 5.6, rates of eq
 * 5.2) at fixed beta or under a temperature protocol. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"

static const char *CMD = "evolve";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland evolve --dim D (--beta B | --protocol FILE) --from SPEC\n"
"                        --times t1,t2,... [options]\n"
"\n"
"Time evolution of the class probabilities Q(n, n1, t) under the master\n"
"equation (eq 5.6 with the rates of eq 5.2; time in units of 1/B) by CVODE\n"
"(BDF, GMRES preconditioned by a sparse LU of I - gamma L).  For the\n"
"paper's phi with B = 1 and a product start (every SPEC but FILE) Q is the\n"
"product of two independent birth-death chains and any D up to 1e6 works;\n"
"otherwise the sparse 2-D chain of (D/2+1)^2 classes is integrated (D up to\n"
"4000).  Any time, however long, gives the right state: once beta is\n"
"constant (after the protocol's last change), the integrators run only\n"
"until every mode but the slowest has decayed (e^-40), and from then on the\n"
"slowest mode relaxes exactly, exp(-lambda1 t), with lambda1 from the\n"
"eigensolver, gt-lanczos or the capacity formula (in logs; tiny rates\n"
"included); with several slow modes below the eigensolver's resolution\n"
"(several wells), until the rest has decayed, then the master equation\n"
"between the basins (committor reduction, exact while the slow rates are far\n"
"below the others); a time no method reaches accurately is an error.  A\n"
"protocol of constant beta (any number of rows) is the fixed beta.  Reports\n"
"at each time: beta, <x>, <y>, <phi>, <w> = <ln W>/D, the free energy per\n"
"dimension <phi> + (T/D) sum Q ln(Q/W), |sum Q - 1|, the smallest Q, and\n"
"the basin populations (basins of the current beta, as for 'exact'), each\n"
"with its estimated error from a second integration (CVODE at 10 times the\n"
"tolerance, plus rtol relative); one whose error exceeds a tenth of it has\n"
"lost its digits and shows as '<bound' (CSV: empty; JSON: null with\n"
"probability_bound).  <x>, <y> and <phi> have estimated errors too (JSON\n"
"mean_x_error, mean_y_error, mean_phi_error; CSV columns of those names).\n"
"\n");
    fprintf(fp,
"options:\n"
"  --dim D              even dimension (required)\n"
"  --beta B             fixed inverse temperature (> 0)\n"
"  --protocol FILE      T(t) or beta(t): '#' comments, header 't,T' or 't,beta',\n"
"                       rows 't,value' from t = 0, strictly increasing;\n"
"                       piecewise linear, constant after the last row\n"
"  --from SPEC          crystal | liquid | basin:NAME (the class at the maximum\n"
"                       of ln Q_eq of that basin at the initial beta),\n"
"                       infinite-temperature (Q = W/2^D), equilibrium:BETA, or a\n"
"                       CSV FILE with columns n, n1 and Q or ln_Q (as written by\n"
"                       'exact --distribution'); normalised to 1\n"
"  --times t1,t2,...    output times, >= 0 and strictly increasing (required)\n"
"  --phi FORMULA        phi(x, y), a formula (below; default eq 4.11)\n"
"  --transmission FORMULA  B(x, y, T) (default 1)\n"
"  --rtol R             relative tolerance of the integrators (default 1e-10)\n"
"  --output FILE        the table as CSV\n"
"  --plot FILE.png      <x>, <y> and the basin populations against t\n"
"                       (for either, FILE '-' is stdout; the report then goes\n"
"                       to stderr)\n"
"  --blocks K, --block-sizes LIST\n"
"                     the model of K blocks (section VI): see\n"
"                     'hyperland evolve --blocks 2 --help'\n"
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n" HL_FORMULA_HELP);
}

/* ------------------------------------------------------------- main */

int cmd_evolve(int argc, char **argv)
{
    if (cli_blocks_requested(argc, argv))
        return cmd_evolve_blocks(argc, argv);
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},      {"beta", required_argument, 0, 'b'},
        {"protocol", required_argument, 0, 'P'}, {"from", required_argument, 0, 'f'},
        {"times", required_argument, 0, 't'},    {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'}, {"rtol", required_argument, 0, 'r'},
        {"output", required_argument, 0, 'o'},   {"plot", required_argument, 0, 'g'},
        {"json", no_argument, 0, 'j'},           {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION,
        {0, 0, 0, 0}};
    const char *proto_path = NULL, *from = NULL, *times_s = NULL, *phi = NULL, *trans = NULL;
    const char *output = NULL, *plot = NULL;
    long D = 0;
    double beta = 0, rtol = 0;
    int have_dim = 0, have_beta = 0, json = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; have_dim = 1; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'P': proto_path = optarg; break;
        case 'f': from = optarg; break;
        case 't': times_s = optarg; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'r': if (!cli_parse_rtol(CMD, optarg, &rtol)) return EXIT_USAGE; break;
        case 'o': output = optarg; break;
        case 'g': plot = optarg; break;
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
    if (!have_dim || !from || !times_s) {
        cli_error(CMD, "--dim D, --from SPEC and --times t1,t2,... are required (see --help)");
        return EXIT_USAGE;
    }
    if (have_beta == (proto_path != NULL)) {
        cli_error(CMD, "give exactly one of --beta B and --protocol FILE");
        return EXIT_USAGE;
    }
    if (hl_check_dim(D) != HL_OK) {
        cli_error(CMD, "%s", hl_errmsg());
        return EXIT_USAGE;
    }
    int drc = cli_trajectory_declare(CMD, json, output, plot, proto_path);
    if (drc != EXIT_OK)
        return drc;
    double *times = NULL;
    size_t nt = 0;
    if (!cli_parse_times(CMD, times_s, &times, &nt))
        return EXIT_USAGE;
    hl_evolve_start start;
    double *q0 = NULL;
    hl_protocol *proto = NULL;
    hl_model *m = NULL;
    hl_evolve_point *pts = NULL;
    int rc = EXIT_FAIL, st;
    if (!cli_parse_start(CMD, from, D, &start, &q0)) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (proto_path) {
        if (!cli_read_protocol(CMD, proto_path, &proto)) {
            rc = EXIT_USAGE;
            goto done;
        }
    } else if ((st = hl_protocol_create_fixed(beta, &proto))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    st = hl_model_create(phi, &m);
    if (!st && trans)
        st = hl_model_set_transmission(m, trans);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    pts = malloc(sizeof(hl_evolve_point) * nt);
    if (!pts) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    hl_evolve_info info;
    st = hl_evolve(m, D, proto, &start, times, nt, HL_EVOLVE_AUTO, rtol, pts, NULL, &info);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    cli_trajectory o;
    memset(&o, 0, sizeof o);
    o.cmd = CMD;
    o.title = "Master-equation evolution";
    /* what ran: the Krylov exponential at a fixed beta (CVODE if it does
     * not converge), CVODE under a protocol until beta settles */
    int settles = hl_protocol_settle_time(proto) > 0;
    const char *integ =
        info.integrator == HL_EVOLVE_KRYLOV
            ? (settles ? "CVODE BDF + GMRES while beta changes, then Krylov exponential"
                       : "Krylov exponential")
            : "CVODE BDF + GMRES";
    char method[128];
    snprintf(method, sizeof method, "%s, %s",
             info.method == HL_EVOLVE_PRODUCT ? "product of two chains" : "2-D chain", integ);
    o.method = method;
    o.method_key = info.method == HL_EVOLVE_PRODUCT ? "product" : "general";
    o.rtol = info.rtol;
    o.atol = info.atol;
    o.steps = info.steps;
    o.start_n = info.start_n;
    o.start_n1 = info.start_n1;
    o.m = m;
    o.D = D;
    o.pts = pts;
    o.n = nt;
    o.from = from;
    o.proto = proto_path;
    o.beta = beta;
    o.population_errors = 1;
    cli_trajectory_names(&o);
    if (output && !cli_write_atomic(CMD, output, cli_trajectory_csv, &o))
        goto done;
    if (plot && !cli_trajectory_plot(&o, plot))
        goto done;
    if (json)
        cli_trajectory_json(&o);
    else
        cli_trajectory_table(&o);
    rc = EXIT_OK;
done:
    hl_protocol_free(proto);
    hl_model_free(m);
    free(pts);
    free(q0);
    free(times);
    return rc;
}
