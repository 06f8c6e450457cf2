/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ordering_lock.h -- one process-wide lock around the fill-reducing
 * orderings of the sparse direct solvers (private to the library).
 *
 * METIS 5.1 (GKlib) draws its random numbers with the C library's
 * srand/rand: one generator for the whole process.  It reseeds it (seed
 * 4321 unless told otherwise) at the start of every METIS_NodeND, so one
 * ordering at a time is deterministic; two at once (two threads, each in
 * umfpack_dl_symbolic or cholmod_l_analyze with METIS) interleave their
 * draws and may give different orderings, hence LU/Cholesky factors that
 * differ in the last bits and results that depend on the thread count and
 * on timing.  Every call into an ordering (umfpack_*_symbolic,
 * cholmod_*_analyze) holds this lock. */
#ifndef HL_ORDERING_LOCK_H
#define HL_ORDERING_LOCK_H

void hl_ordering_lock(void);
void hl_ordering_unlock(void);

#endif
