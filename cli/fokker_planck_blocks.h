/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fokker_planck_blocks.h -- the --blocks path of hyperland fokker-planck
 * (fokker_planck_blocks.c). */
#ifndef HL_CLI_FOKKER_PLANCK_BLOCKS_H
#define HL_CLI_FOKKER_PLANCK_BLOCKS_H

#include "blocks_cli.h"

/* The Fokker-Planck equation of the model of o (dim <= 0: not given) at
 * beta on grid cells per axis (<= 0: 200, 40 for k = 3), its k slowest
 * rates printed (text or JSON).  Returns the exit code. */
int cli_fp_blocks(const char *cmd, const cli_blocks_opts *o, long dim, double beta, long grid,
                  long k, const char *phi, const char *trans, int json);

#endif
