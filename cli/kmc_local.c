/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kmc_local.c -- the ensemble of `hyperland kmc` in one process (every
 * build but the MPI one, whose kmc_mpi.c shares it among the ranks). */
#ifndef HL_CLI_MPI
#include "kmc_cli.h"

int kmc_ensemble_run(const hl_kmc *k, const hl_kmc_options *o, long n, hl_kmc_part *part)
{
    return hl_kmc_ensemble(k, o, 0, (uint64_t)n, part);
}

int kmc_is_root(void)
{
    return 1;
}

uint64_t kmc_agree_seed(uint64_t seed)
{
    return seed;
}
#else
typedef int kmc_local_unused;
#endif
