/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_cli.h -- the analyses of `hyperland network` beyond its summary
 * (paths, free-energy groups, evolution): their options, their output
 * files and their parts of the report.  cmd_network.c reads the options
 * through cli_network_extra_option and calls the rest in order:
 * declare (after --json claimed stdout), run (after the network is built),
 * json / text (inside the report), free. */
#ifndef HL_NETWORK_CLI_H
#define HL_NETWORK_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "hyperland/network.h"

/* option codes of the analyses (outside the range of short options) */
enum {
    CLI_NET_PATHS = 0x6e00,
    CLI_NET_REGROUP,
    CLI_NET_REGROUP_RATES,
    CLI_NET_THRESHOLD,
    CLI_NET_EVOLVE,
    CLI_NET_FROM,
    CLI_NET_TIMES,
    CLI_NET_PROTOCOL,
    CLI_NET_PLOT,
    CLI_NET_RTOL,
    CLI_NET_TOP
};
/* their getopt_long entries, to put in the command's table */
#define CLI_NETWORK_EXTRA_OPTIONS                                                         \
    {"paths", required_argument, 0, CLI_NET_PATHS},                                       \
    {"regroup", required_argument, 0, CLI_NET_REGROUP},                                   \
    {"regroup-rates", required_argument, 0, CLI_NET_REGROUP_RATES},                       \
    {"threshold", required_argument, 0, CLI_NET_THRESHOLD},                               \
    {"evolve", required_argument, 0, CLI_NET_EVOLVE},                                     \
    {"from", required_argument, 0, CLI_NET_FROM},                                         \
    {"times", required_argument, 0, CLI_NET_TIMES},                                       \
    {"protocol", required_argument, 0, CLI_NET_PROTOCOL},                                 \
    {"plot", required_argument, 0, CLI_NET_PLOT},                                         \
    {"rtol", required_argument, 0, CLI_NET_RTOL},                                         \
    {"top", required_argument, 0, CLI_NET_TOP}

/* the result of --evolve (network_evolve.c) */
typedef struct {
    double *times;
    size_t nt, n;                /* times, network minima                      */
    double *p;                   /* nt x n probabilities                       */
    hl_network_observables *obs; /* nt (NULL until the evolution is done)      */
    double *T;                   /* nt: k_B T at each time                     */
    long *top;                   /* nt x ntop network states (-1: none)        */
    long ntop;
    const char *method;
    hl_protocol *proto;
    double T_fixed;
    double *perr;                /* nt x 2: estimated errors of P_A, P_B       */
    double *toperr;              /* nt x ntop: of the top states' p            */
} cli_network_evolution;

typedef struct {
    const hl_network *net; /* set by cli_network_extra_run */
    /* --paths K FILE */
    long paths_k;
    const char *paths_file;
    hl_network_paths *paths;
    /* --regroup FILE --threshold X [--regroup-rates FILE] */
    const char *regroup_file, *regroup_rates_file;
    double threshold;
    int have_threshold;
    hl_network_groups *groups;
    /* --evolve FILE --from SPEC --times LIST [--protocol FILE] [--plot PNG] */
    const char *evolve_file, *from, *times_s, *protocol_path, *plot_file;
    double *times;               /* --times, parsed by declare               */
    size_t nt;
    double rtol;
    long top;
    int have_top;
    cli_network_evolution *evo;
} cli_network_extra;

/* Take option c (one of CLI_NET_*; --paths also takes the next argument,
 * FILE): 1 taken, 0 not one of them, -1 after a one-line error. */
int cli_network_extra_option(const char *cmd, cli_network_extra *x, int c, const char *arg,
                             int argc, char **argv);
/* Check the combination (have_T: --temperature was given) and declare the
 * output files and the --protocol input: EXIT_OK or the exit status after
 * a one-line error. */
int cli_network_extra_declare(const char *cmd, cli_network_extra *x, int have_T);
/* Compute and write the files; 0 after a one-line error. */
int cli_network_extra_run(const char *cmd, cli_network_extra *x, const hl_network *net,
                          int have_T, double T);
/* The report's members (", \"paths\": ...") and text lines. */
void cli_network_extra_json(const cli_network_extra *x);
void cli_network_extra_text(const cli_network_extra *x);
void cli_network_extra_free(cli_network_extra *x);
/* --help lines of the analyses */
void cli_network_extra_help(FILE *fp);

/* ---- each analysis (network_paths.c, network_regroup.c, network_evolve.c) */
int cli_network_paths_csv(FILE *fp, void *x);
void cli_network_paths_json(const hl_network_paths *p, long k);
void cli_network_paths_text(const hl_network_paths *p);

int cli_network_regroup_csv(FILE *fp, void *x);
int cli_network_regroup_rates_csv(FILE *fp, void *x);
void cli_network_regroup_json(const hl_network_groups *g, const hl_network *net);
void cli_network_regroup_text(const hl_network_groups *g);

/* --from SPEC (min:ID, set:A, set:B, equilibrium:T0; a set's local
 * equilibrium at T0) into the start distribution p0 (network minima
 * entries); 0 after a one-line error.  Shared by --evolve and kmc. */
int cli_network_start(const char *cmd, const char *from, const hl_network *net, double T0,
                      double *p0);
/* the form of --from SPEC alone (before a database is read): 1, or 0 after
 * a one-line error */
int cli_network_from_check(const char *cmd, const char *from);
int cli_network_evolve_run(const char *cmd, cli_network_extra *x, const hl_network *net,
                           int have_T, double T);
int cli_network_evolve_csv(FILE *fp, void *x);
int cli_network_evolve_plot(const char *cmd, const cli_network_extra *x);
void cli_network_evolve_json(const cli_network_extra *x);
void cli_network_evolve_text(const cli_network_extra *x);
void cli_network_evolve_free(cli_network_evolution *e);

#endif
