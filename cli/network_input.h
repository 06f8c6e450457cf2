/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_input.h -- the input options of a kinetic transition network
 * (--db DIR | --min FILE --ts FILE | --states FILE --transitions FILE, and
 * --A SET, --B SET), shared by `network` and `kmc`: their getopt_long
 * entries, their checks, and the reading into a built hl_network with the
 * files recorded in the provenance. */
#ifndef HL_NETWORK_INPUT_H
#define HL_NETWORK_INPUT_H

#include <getopt.h>

#include "cli.h"
#include "hyperland/network.h"

enum {
    CLI_NETIN_DB = 0x6e40,
    CLI_NETIN_MIN,
    CLI_NETIN_TS,
    CLI_NETIN_STATES,
    CLI_NETIN_TRANSITIONS,
    CLI_NETIN_A,
    CLI_NETIN_B
};
#define CLI_NETWORK_INPUT_OPTIONS                                                         \
    {"db", required_argument, 0, CLI_NETIN_DB},                                           \
    {"min", required_argument, 0, CLI_NETIN_MIN},                                         \
    {"ts", required_argument, 0, CLI_NETIN_TS},                                           \
    {"states", required_argument, 0, CLI_NETIN_STATES},                                   \
    {"transitions", required_argument, 0, CLI_NETIN_TRANSITIONS},                         \
    {"A", required_argument, 0, CLI_NETIN_A},                                             \
    {"B", required_argument, 0, CLI_NETIN_B}

typedef struct {
    const char *db, *minf, *tsf, *states, *trans;
    const char *spec[2];  /* --A, --B as given; after loading, DIR/min.A ... */
    const char *form;     /* "PATHSAMPLE" or "CSV" (after loading)          */
    const char *p1, *p2;  /* the two files read                             */
} cli_network_input;

/* Take option c: 1 taken, 0 not one of them. */
int cli_network_input_option(cli_network_input *in, int c, const char *arg);
/* 1 if any input option was given. */
int cli_network_input_given(const cli_network_input *in);
/* Exactly one input form, pairs complete: EXIT_OK or EXIT_USAGE after a
 * one-line error. */
int cli_network_input_check(const char *cmd, const cli_network_input *in);
/* Read the files (through the provenance), the sets (--A/--B or DIR/min.A,
 * DIR/min.B), and build the network into *out: EXIT_OK or EXIT_FAIL after
 * a one-line error (*out NULL). */
int cli_network_input_load(const char *cmd, cli_network_input *in, hl_network **out);

#endif
