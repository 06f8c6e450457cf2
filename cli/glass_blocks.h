/* SPDX-License-Identifier: GPL-3.0-or-later */
/* glass_blocks.h -- the model of k blocks (--blocks K, --block-sizes LIST)
 * for the glass experiments scan, kovacs and ageing: the class-lattice
 * chain of hl_blocks_chain (blocks.h), which holds every beta when B does
 * not depend on T, and a liquid basin fixed at one temperature, for the
 * chain paths hl_scan_create_chain (scan.h) and hl_memsys_create_chain
 * (memory.h). */
#ifndef HL_GLASS_BLOCKS_H
#define HL_GLASS_BLOCKS_H

#include <stddef.h>
#include "hyperland/blocks.h"

/* The chain of b (valid at every beta: a B that depends on T is refused,
 * one-line error naming why) and the classes of the basin `name` at
 * temperature t_basin (steepest ascent, hl_blocks_basin_classes): *set
 * (malloc'd, *n entries; free it).  phi (optional, n_classes entries,
 * malloc'd): phi per dimension of every class.  0 after a one-line error
 * (also when the basin does not exist at t_basin), 1 on success. */
int cli_glass_blocks_chain(const char *cmd, const hl_blocks *b, double t_basin, const char *name,
                           hl_chain **chain, long **set, size_t *n, double **phi);

#endif
