/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compare_blocks.h -- compare --blocks K | --block-sizes LIST
 * (compare_blocks.c): the comparison of compare.c on the model of k
 * blocks, into the same result (printed by cli_compare_table, _csv,
 * _json, _plot). */
#ifndef HL_CLI_COMPARE_BLOCKS_H
#define HL_CLI_COMPARE_BLOCKS_H

#include "blocks_cli.h"
#include "cli.h"

/* --dims for the blocks: each D a multiple of K (--blocks) or of the sum
 * of --block-sizes (the sizes then scale by D / sum), increasing, at most
 * CLI_COMPARE_MAX_DIMS.  0 after a one-line error (a usage error). */
int cli_compare_blocks_dims(const char *cmd, const cli_blocks_opts *bo, const char *s,
                            cli_compare_opts *o);

/* For every D and maximum: the in-basin master rates on the concave core
 * of the maximum's basin (hl_blocks_basin_chain), the full Fokker-Planck
 * rates on the windowed grid cut to the same core and the linear form's
 * on the window (hl_fp_blocks_chain_opt), grids N and N/2 extrapolated
 * (K <= 3; null with the reason above), the exact OU rates (hl_blocks_ou),
 * and the relaxation of the mean after the field is switched off (each
 * model from its own equilibrium in the field, hl_chain_evolve; the OU
 * mean exp(-A t) delta0).  0 after a one-line error. */
int cli_compare_blocks_run(const char *cmd, const cli_blocks_opts *bo, const char *phi,
                           const char *trans, const cli_compare_opts *o,
                           cli_compare_result **out);

#endif
