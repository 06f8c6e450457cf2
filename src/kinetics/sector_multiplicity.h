/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sector_multiplicity.h -- shared by sectors.c and sector_multiplicity.c
 * (private to the kinetics layer). */
#ifndef HL_SECTOR_MULTIPLICITY_H
#define HL_SECTOR_MULTIPLICITY_H

/* HL_OK for an even D and 0 <= k1, k2 <= D/4, else HL_EDOM (or the error
 * of hl_check_dim) with a message. */
int hl_sector_check(long dim, long k1, long k2);

#endif
