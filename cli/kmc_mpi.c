/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kmc_mpi.c -- the ensemble of `hyperland kmc` shared by the ranks of an
 * MPI run (the MPI build, -DHL_MPI=ON: the binary hyperland-mpi).  Rank r
 * of R runs the trajectories [n r / R, n (r + 1) / R) on its threads
 * (hl_kmc_ensemble: trajectory i always uses the stream (seed, i)), and
 * rank 0 gathers the parts in rank order, i.e. in trajectory order
 * (hl_kmc_part_append), so that its statistics and outputs are the
 * one-process run's bit for bit.  Only rank 0 writes anything. */
#ifdef HL_CLI_MPI
#include <mpi.h>
#include <stdlib.h>

#include "kmc_cli.h"

int kmc_is_root(void)
{
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r == 0;
}

uint64_t kmc_agree_seed(uint64_t seed)
{
    unsigned long long s = seed;
    MPI_Bcast(&s, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    return (uint64_t)s;
}

static uint64_t range_start(long n, int r, int size)
{
    return (uint64_t)((long long)n * r / size);
}

int kmc_ensemble_run(const hl_kmc *k, const hl_kmc_options *o, long n, hl_kmc_part *part)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    uint64_t first = range_start(n, rank, size), last = range_start(n, rank + 1, size);
    hl_kmc_part mine;
    int st = last > first ? hl_kmc_ensemble(k, o, first, last, &mine)
                          : hl_kmc_part_alloc(&mine, first, 0, o->n_times);
    /* every rank learns whether one failed (the message stays on that rank) */
    int bad = st != HL_OK, any = 0;
    MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (any) {
        hl_kmc_part_free(&mine);
        return st ? st : HL_ENOCONV;
    }
    size_t nt = o->n_times;
    if (rank != 0) {
        int cnt = (int)mine.n;
        MPI_Send(&cnt, 1, MPI_INT, 0, 1, MPI_COMM_WORLD);
        if (cnt) {
            MPI_Send(mine.state, (int)(mine.n * nt), MPI_LONG, 0, 2, MPI_COMM_WORLD);
            MPI_Send(mine.fpt, cnt, MPI_DOUBLE, 0, 3, MPI_COMM_WORLD);
            MPI_Send(mine.events, cnt, MPI_LONG, 0, 4, MPI_COMM_WORLD);
            MPI_Send(mine.truncated, cnt, MPI_UNSIGNED_CHAR, 0, 5, MPI_COMM_WORLD);
        }
        *part = mine;
        return HL_OK;
    }
    /* rank 0: its part, then each rank's in rank (= trajectory) order */
    for (int r = 1; r < size && !st; r++) {
        int cnt = 0;
        MPI_Recv(&cnt, 1, MPI_INT, r, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        hl_kmc_part q;
        if ((st = hl_kmc_part_alloc(&q, range_start(n, r, size), (size_t)cnt, nt)))
            break;
        if (cnt) {
            MPI_Recv(q.state, (int)((size_t)cnt * nt), MPI_LONG, r, 2, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            MPI_Recv(q.fpt, cnt, MPI_DOUBLE, r, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Recv(q.events, cnt, MPI_LONG, r, 4, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Recv(q.truncated, cnt, MPI_UNSIGNED_CHAR, r, 5, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        }
        st = hl_kmc_part_append(&mine, &q);
        hl_kmc_part_free(&q);
    }
    if (st) {
        hl_kmc_part_free(&mine);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    *part = mine;
    return HL_OK;
}
#else
typedef int kmc_mpi_unused;
#endif
