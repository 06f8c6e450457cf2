/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_extra.c -- the analyses of `hyperland network` beyond its
 * summary: options, checks, output files and dispatch for --paths,
 * --regroup and --evolve (network_cli.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "network_cli.h"

#define MAX_PATHS 100000L

void cli_network_extra_help(FILE *fp)
{
    fprintf(fp,
"\n"
"analyses (each needs the network; --paths and --regroup need --temperature):\n"
"  --paths K FILE       the K (1..100000) fastest paths from B to A (PATHSAMPLE's\n"
"                       A <- B) as CSV (FILE '-': stdout), largest k_ss first:\n"
"                       k_ss = (p_b/P_B) K_b prod P(i->j), P(i->j) = k(i->j)/K_i\n"
"                       the branching probability, K_i = sum_j k(i->j); a path\n"
"                       leaves B at its first step, never returns to B, and ends\n"
"                       at the first A minimum (PATHSAMPLE's DIJKSTRA value for\n"
"                       K = 1; it lets paths pass through other B minima).\n"
"                       Dijkstra on -ln P, then Yen's k shortest loopless paths;\n"
"                       all in logs (k_ss below 1e-308 keeps its ln_k_ss).  The\n"
"                       sum over ALL such walks (loops included) is the\n"
"                       network's k^SS; the loopless paths are its largest terms\n"
"  --regroup FILE       free-energy groups at T as CSV (REGROUPFREE): every\n"
"                       minimum starts as a group; two groups joined by a\n"
"                       transition state merge when the barriers in BOTH\n"
"                       directions are <= --threshold, lowest first, an A group\n"
"                       never with a B group, in passes repeated until none\n"
"                       merges.  G_I = -T ln sum_{a in I} exp(S_a - E_a/T) (the\n"
"                       summed weights), G_IJ = -T ln sum_{ts between I, J}\n"
"                       exp(S_ts - E_ts/T), k(I->J) = summed flux / P_I =\n"
"                       exp(-(G_IJ - G_I)/T), barrier(I->J) = G_IJ - G_I (no\n"
"                       h/k_B T factor: PATHSAMPLE's with PLANCK = T)\n"
"  --threshold X        the barrier threshold of --regroup (energy unit; needed)\n"
"  --regroup-rates FILE the rates between the groups as CSV (both directions)\n"
"  --evolve FILE        the master equation's evolution as CSV: P_A, P_B, the\n"
"                       mean energy sum p_a E_a and the --top most populated\n"
"                       minima at each time; at --temperature T, or under\n"
"                       --protocol FILE (then T(t) drives it; --temperature, if\n"
"                       given, still sets the other analyses' T)\n"
"  --from SPEC          the start of --evolve: min:ID (a database id), set:A or\n"
"                       set:B (the set's local equilibrium at the run's initial\n"
"                       T), equilibrium:T0 (the network's equilibrium at T0)\n"
"  --times t1,t2,...    output times of --evolve (>= 0, increasing; time unit of\n"
"                       the database)\n"
"  --protocol FILE      T(t) or beta(t) as for 'hyperland evolve' (header 't,T'\n"
"                       or 't,beta', rows from t = 0, piecewise linear, constant\n"
"                       after the last row; T = k_B T in the database's unit)\n"
"  --rtol R             tolerance of --evolve (default 1e-8): about R/100\n"
"                       absolute error on every probability by the Krylov\n"
"                       exponential, about R by BDF, which stiff networks fall\n"
"                       back to (the method is reported)\n"
"  --top N              most populated minima reported per time (default 5)\n"
"  --plot FILE.png      figures of --evolve against t: P_A and P_B, the\n"
"                       populations of the leading minima, <E> (and T(t))\n");
}

int cli_network_extra_option(const char *cmd, cli_network_extra *x, int c, const char *arg,
                             int argc, char **argv)
{
    switch (c) {
    case CLI_NET_PATHS:
        if (!cli_parse_long(cmd, "--paths", arg, &x->paths_k))
            return -1;
        if (x->paths_k < 1 || x->paths_k > MAX_PATHS) {
            cli_error(cmd, "--paths %ld: K must be in 1..%ld", x->paths_k, MAX_PATHS);
            return -1;
        }
        if (optind >= argc || (argv[optind][0] == '-' && argv[optind][1] == '-')) {
            cli_error(cmd, "--paths K FILE: FILE is missing ('-' for stdout)");
            return -1;
        }
        x->paths_file = argv[optind++];
        return 1;
    case CLI_NET_REGROUP: x->regroup_file = arg; return 1;
    case CLI_NET_REGROUP_RATES: x->regroup_rates_file = arg; return 1;
    case CLI_NET_THRESHOLD:
        if (!cli_parse_double(cmd, "--threshold", arg, &x->threshold))
            return -1;
        x->have_threshold = 1;
        return 1;
    case CLI_NET_EVOLVE: x->evolve_file = arg; return 1;
    case CLI_NET_FROM: x->from = arg; return 1;
    case CLI_NET_TIMES: x->times_s = arg; return 1;
    case CLI_NET_PROTOCOL: x->protocol_path = arg; return 1;
    case CLI_NET_PLOT: x->plot_file = arg; return 1;
    case CLI_NET_RTOL: return cli_parse_rtol(cmd, arg, &x->rtol) ? 1 : -1;
    case CLI_NET_TOP:
        if (!cli_parse_long(cmd, "--top", arg, &x->top))
            return -1;
        if (x->top < 1 || x->top > 100) {
            cli_error(cmd, "--top %ld must be in 1..100", x->top);
            return -1;
        }
        x->have_top = 1;
        return 1;
    default: return 0;
    }
}

int cli_network_extra_declare(const char *cmd, cli_network_extra *x, int have_T)
{
    if ((x->paths_file || x->regroup_file) && !have_T) {
        cli_error(cmd, "%s needs --temperature T", x->paths_file ? "--paths" : "--regroup");
        return EXIT_USAGE;
    }
    if (x->regroup_file && !x->have_threshold) {
        cli_error(cmd, "--regroup needs --threshold X (the free-energy barrier, energy unit)");
        return EXIT_USAGE;
    }
    if (!x->regroup_file && (x->have_threshold || x->regroup_rates_file)) {
        cli_error(cmd, "%s goes with --regroup FILE",
                  x->have_threshold ? "--threshold" : "--regroup-rates");
        return EXIT_USAGE;
    }
    int evo_opts = x->from || x->times_s || x->protocol_path || x->plot_file || x->rtol > 0 ||
                   x->have_top;
    if (!x->evolve_file && evo_opts) {
        cli_error(cmd, "--from, --times, --protocol, --rtol, --top and --plot go with "
                       "--evolve FILE");
        return EXIT_USAGE;
    }
    if (x->evolve_file && (!x->from || !x->times_s)) {
        cli_error(cmd, "--evolve needs --from SPEC and --times t1,t2,...");
        return EXIT_USAGE;
    }
    if (x->evolve_file && !have_T && !x->protocol_path) {
        cli_error(cmd, "--evolve needs --temperature T or --protocol FILE");
        return EXIT_USAGE;
    }
    /* the form of --from is a usage error, found before the database is read
     * (and before --times is parsed: its array is not freed on this path) */
    if (x->evolve_file && !cli_network_from_check(cmd, x->from))
        return EXIT_USAGE;
    if (x->evolve_file && !cli_parse_times(cmd, x->times_s, &x->times, &x->nt))
        return EXIT_USAGE;
    if ((x->paths_file && !cli_output_declare(cmd, "--paths", x->paths_file, 0)) ||
        (x->regroup_file && !cli_output_declare(cmd, "--regroup", x->regroup_file, 0)) ||
        (x->regroup_rates_file &&
         !cli_output_declare(cmd, "--regroup-rates", x->regroup_rates_file, 0)) ||
        (x->evolve_file && !cli_output_declare(cmd, "--evolve", x->evolve_file, 0)) ||
        (x->plot_file && !cli_output_declare(cmd, "--plot", x->plot_file, 1)) ||
        !cli_input_declare(cmd, "--protocol", x->protocol_path))
        return cli_outputs_status();
    return EXIT_OK;
}

int cli_network_extra_run(const char *cmd, cli_network_extra *x, const hl_network *net,
                          int have_T, double T)
{
    int st;
    x->net = net;
    if (x->paths_file) {
        if ((st = hl_network_paths_find(net, T, (size_t)x->paths_k, &x->paths))) {
            cli_lib_error(cmd, st);
            return 0;
        }
        if (!cli_write_atomic(cmd, x->paths_file, cli_network_paths_csv, x))
            return 0;
    }
    if (x->regroup_file) {
        if ((st = hl_network_regroup(net, T, x->threshold, &x->groups))) {
            cli_lib_error(cmd, st);
            return 0;
        }
        if (!cli_write_atomic(cmd, x->regroup_file, cli_network_regroup_csv, x) ||
            (x->regroup_rates_file &&
             !cli_write_atomic(cmd, x->regroup_rates_file, cli_network_regroup_rates_csv, x)))
            return 0;
    }
    if (x->evolve_file) {
        if (!cli_network_evolve_run(cmd, x, net, have_T, T))
            return 0;
        if (!cli_write_atomic(cmd, x->evolve_file, cli_network_evolve_csv, x))
            return 0;
        if (x->plot_file && !cli_network_evolve_plot(cmd, x))
            return 0;
    }
    return 1;
}

void cli_network_extra_json(const cli_network_extra *x)
{
    if (x->paths)
        cli_network_paths_json(x->paths, x->paths_k);
    if (x->groups)
        cli_network_regroup_json(x->groups, x->net);
    if (x->evo && x->evo->obs)
        cli_network_evolve_json(x);
}

void cli_network_extra_text(const cli_network_extra *x)
{
    if (x->paths)
        cli_network_paths_text(x->paths);
    if (x->groups)
        cli_network_regroup_text(x->groups);
    if (x->evo && x->evo->obs)
        cli_network_evolve_text(x);
}

void cli_network_extra_free(cli_network_extra *x)
{
    hl_network_paths_free(x->paths);
    hl_network_groups_free(x->groups);
    cli_network_evolve_free(x->evo);
    free(x->times);
    x->times = NULL;
    x->paths = NULL;
    x->groups = NULL;
    x->evo = NULL;
}
