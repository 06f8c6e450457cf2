/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_dg.h -- the disconnectivity graph of `hyperland network`
 * (--disconnectivity, --disconnectivity-data, --dg-*): options, outputs,
 * the figure (gnuplot) and the report; the tree itself is the library's
 * (hl_network_disconnectivity, network.h). */
#ifndef HL_CLI_NETWORK_DG_H
#define HL_CLI_NETWORK_DG_H

#include "cli.h"
#include "hyperland/network.h"

/* getopt_long codes of the options (outside the short options' range) */
enum {
    CLI_OPT_DG_PNG = 0x6400,
    CLI_OPT_DG_DATA,
    CLI_OPT_DG_LEVELS,
    CLI_OPT_DG_DELTA,
    CLI_OPT_DG_TOP,
    CLI_OPT_DG_MIN_COUNT,
    CLI_OPT_DG_LOWEST
};
#define CLI_DG_OPTIONS                                                                     \
    {"disconnectivity", required_argument, 0, CLI_OPT_DG_PNG},                            \
    {"disconnectivity-data", required_argument, 0, CLI_OPT_DG_DATA},                      \
    {"dg-levels", required_argument, 0, CLI_OPT_DG_LEVELS},                               \
    {"dg-delta", required_argument, 0, CLI_OPT_DG_DELTA},                                 \
    {"dg-top", required_argument, 0, CLI_OPT_DG_TOP},                                     \
    {"dg-min-count", required_argument, 0, CLI_OPT_DG_MIN_COUNT},                         \
    {"dg-lowest", required_argument, 0, CLI_OPT_DG_LOWEST}

/* The --help lines of these options. */
void cli_dg_help(FILE *fp);

typedef struct {
    const char *png, *csv;     /* outputs (NULL: not asked)                  */
    hl_dgraph_options opt;
    int given;                 /* a --dg-* option was given                  */
    hl_dgraph *g;              /* after cli_dg_run                           */
    hl_dgraph_info info;
} cli_dg;

/* Handle option code c (CLI_OPT_DG_*) with argument arg: 1 when taken, 0
 * after a one-line usage error, -1 when c is not one of these options. */
int cli_dg_option(const char *cmd, cli_dg *d, int c, const char *arg);
/* After the options: check that --dg-* goes with an output and declare the
 * outputs.  EXIT_OK or the exit status after a one-line error. */
int cli_dg_declare(const char *cmd, cli_dg *d);
/* Build the graph of the built network and write the asked outputs; title:
 * the input's name for the figure; spec_a, spec_b: how the sets were given
 * (NULL: not given).  EXIT_OK or EXIT_FAIL after a one-line error; nothing
 * to do when no output was asked. */
int cli_dg_run(const char *cmd, cli_dg *d, const hl_network *net, const char *title,
               const char *spec_a, const char *spec_b);
/* ", \"disconnectivity\": {...}" (null when not asked) into the open JSON
 * object on stdout; a text line on stdout. */
void cli_dg_json(const cli_dg *d);
void cli_dg_text(const cli_dg *d);
void cli_dg_free(cli_dg *d);

#endif
