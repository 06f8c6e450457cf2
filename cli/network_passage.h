/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_passage.h -- the kinetics of `hyperland network` at one
 * temperature (network_passage.c): passage between A and B, the slowest
 * relaxation rates, the committor file. */
#ifndef HL_CLI_NETWORK_PASSAGE_H
#define HL_CLI_NETWORK_PASSAGE_H

#include "hyperland/network.h"

#define CLI_NETPASS_COUNT 6 /* default --count */

typedef struct {
    double T;
    int count;
    long network_minima;
    /* passage: ba = from B to A (PATHSAMPLE A<-B), ab = from A to B */
    int have_passage;
    hl_chain_direction ab, ba;
    const char *passage_method;
    double passage_resolution;
    char passage_reason[300];
    /* the count slowest rates and their ln (NaN: unresolved, see
     * rates_error / rates_why; rates also NaN beyond the double range) */
    double *rates, *ln_rates;
    const char *rates_method;
    double rates_resolution; /* relative */
    char rates_error[300], rates_why[600];
    const char *committor_method;
    double committor_resolution;
} cli_netpass;

/* Declare the --committor output before any work; EXIT_OK or the status. */
int cli_netpass_declare(const char *cmd, const char *committor);
/* Solve at k_B T = T: the count slowest rates, and with both sets the rate
 * constants both ways (method: NULL or a first-passage method of chain.h)
 * and the committor file.  EXIT_OK, or the exit status after a message
 * (unresolved numbers are not errors: they are null with a reason). */
int cli_netpass_run(const char *cmd, const hl_network *net, double T, int count,
                    const char *method, const char *committor, const char *spec_a,
                    const char *spec_b, cli_netpass *k);
void cli_netpass_json(const cli_netpass *k);
void cli_netpass_text(const cli_netpass *k);
void cli_netpass_free(cli_netpass *k);

#endif
