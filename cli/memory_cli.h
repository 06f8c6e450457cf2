/* SPDX-License-Identifier: GPL-3.0-or-later */
/* memory_cli.h -- what `kovacs` and `ageing` share: the system (the
 * hypercube model's class lattice, --dim D [--phi] [--transmission], or a
 * network, --db DIR etc. with --liquid A|B naming the set that plays the
 * liquid basin), --start, --rtol, the log-spaced time grid, and its
 * descriptions for the CSV header and the JSON. */
#ifndef HL_MEMORY_CLI_H
#define HL_MEMORY_CLI_H

#include <getopt.h>

#include "cli.h"
#include "blocks_cli.h"
#include "network_input.h"
#include "memlimit.h"

enum {
    CLI_MEM_DIM = 0x6d40,
    CLI_MEM_PHI,
    CLI_MEM_TRANS,
    CLI_MEM_LIQUID,
    CLI_MEM_START,
    CLI_MEM_RTOL,
    CLI_MEM_PER_DECADE
};
#define CLI_MEMORY_OPTIONS                                                                \
    {"dim", required_argument, 0, CLI_MEM_DIM},                                           \
    {"phi", required_argument, 0, CLI_MEM_PHI},                                           \
    {"transmission", required_argument, 0, CLI_MEM_TRANS},                                \
    {"liquid", required_argument, 0, CLI_MEM_LIQUID},                                     \
    {"start", required_argument, 0, CLI_MEM_START},                                       \
    {"rtol", required_argument, 0, CLI_MEM_RTOL},                                         \
    {"per-decade", required_argument, 0, CLI_MEM_PER_DECADE},                             \
    CLI_BLOCKS_OPTIONS,                                                                   \
    CLI_MAX_MEMORY_OPTION,                                                                \
    CLI_NETWORK_INPUT_OPTIONS

#define CLI_MEMORY_HELP                                                                   \
"system: the hypercube model's class lattice (eq 5.6, rates of eq 5.2; A = phi per\n"  \
"dimension, the basin = the liquid basin of the current T, by steepest ascent as\n"   \
"in exact), or a network (A = the energy E of each minimum, the basin = a set):\n"     \
"  --dim D              even dimension (the model)\n"                                   \
"  --phi FORMULA        phi(x, y) (default eq 4.11)\n"                                  \
"  --transmission FORMULA  B(x, y, T) (default 1)\n"                                    \
"  --db DIR | --min FILE --ts FILE | --states FILE --transitions FILE\n"              \
"                       a network (as `network`); --A SET, --B SET as there\n"         \
"  --liquid A|B         the network's set that plays the liquid basin (default:\n"     \
"                       none: the whole network is the reference)\n"                  \
"  --start equilibrium|liquid  the equilibrium at T0 (default), or its part in\n"     \
"                       the liquid basin alone, renormalised\n"                        \
"  --rtol R             the engine's tolerance (default 1e-10 model, 1e-12\n"         \
"                       network; hl_evolve / hl_chain_evolve)\n"                       \
"  --per-decade N       times per decade of the log grid, 1..100 (default 10)\n"

/* the model of k blocks (printed on its own: ISO C's string length limit) */
#define CLI_MEMORY_BLOCKS_HELP                                                            \
CLI_BLOCKS_HELP                                                                           \
"                       the model of k blocks: its k-dimensional class lattice\n"    \
"                       (the chain of `spectrum --blocks`) through the chain\n"      \
"                       path (hl_chain_evolve; default rtol 1e-12), A = phi per\n"   \
"                       dimension; B must not depend on T (refused: one chain for\n" \
"                       every T); the basin is FIXED: the steepest-ascent basin\n"   \
"                       at T2 (kovacs) or at T (ageing) for every T (the 2-D\n"     \
"                       model takes the basin of each T)\n"                         \
"  --liquid NAME        with blocks: that basin (default liquid; b1, b2, ...,\n"     \
"                       crystal, m=v1,...,vk); none there is an error (exit 1)\n"   \
CLI_MAX_MEMORY_HELP

typedef struct {
    long D;
    int have_dim;
    const char *phi, *trans;
    cli_network_input in;
    int liquid;            /* -1 none, HL_NETWORK_A or HL_NETWORK_B */
    const char *liquid_arg; /* --liquid as given                      */
    cli_blocks_opts bo;    /* --blocks / --block-sizes (bo.k = 0: none) */
    double t_basin;        /* blocks: the T of the fixed basin (set by
                              the command before cli_memsys_build)     */
    const char *t_basin_name; /* its name in the command ("T2", "T")   */
    hl_blocks *b;
    hl_chain *bch;
    int start;             /* HL_MEMORY_START_* */
    double rtol;
    long per_decade;
    /* after cli_memsys_build */
    hl_model *m;
    hl_network *net;
    hl_memsys *sys;
    int network;           /* 1: a network */
    const char *a_name;    /* "phi" or "E" */
} cli_memsys;

void cli_memsys_init(cli_memsys *ms);
/* Take option c (one of CLI_MEMORY_OPTIONS or --threads): EXIT_OK when
 * taken; EXIT_USAGE after a one-line error, also for an option that is not
 * one of them (cli_bad_option: argv is the command's). */
int cli_memsys_option(const char *cmd, cli_memsys *ms, int c, const char *arg, char **argv);
/* The options are consistent (one system): EXIT_OK or EXIT_USAGE. */
/* (--liquid A|B read here for a network.) */
int cli_memsys_check(const char *cmd, cli_memsys *ms);
/* Build the model or read the network, and the system: EXIT_OK or
 * EXIT_FAIL after a one-line error. */
int cli_memsys_build(const char *cmd, cli_memsys *ms);
void cli_memsys_free(cli_memsys *ms);
/* One line describing the system (CSV header, table). */
void cli_memsys_describe(const cli_memsys *ms, char *buf, size_t n);
/* JSON members ", \"system\": ..., ..." of the system. */
void cli_memsys_json(const cli_memsys *ms);
/* log grid lo .. hi with per_decade points a decade (ends included):
 * malloc'd, *n entries; NULL after a one-line error. */
double *cli_memsys_grid(const char *cmd, double lo, double hi, long per_decade, size_t *n);
/* --start as text */
const char *cli_memsys_start_name(int start);

#endif
