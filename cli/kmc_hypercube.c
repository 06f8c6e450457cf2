/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kmc_hypercube.c -- `hyperland kmc --hypercube`: kinetic Monte Carlo on
 * the full hypercube of D spins.  Not part of this build yet: the command
 * says so (this file is replaced by the full hypercube's implementation). */
#include "cli.h"

int cli_kmc_hypercube(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("kmc --hypercube", "the full hypercube is not available in this build");
    return EXIT_USAGE;
}
