/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chain_plan.h -- the inside of a public chain plan (chain.h), shared by the
 * files that implement its solves (private). */
#ifndef HL_CHAIN_PLAN_H
#define HL_CHAIN_PLAN_H

#include "hyperland/chain.h"
#include "rchain.h"

struct hl_chain_plan {
    double beta;
    hl_rchain rc;      /* the chain at beta: merged edges, adjacency */
    long *comp;        /* n: connected component of each state       */
    long n_comp;
};

int chain_plan_components(hl_chain_plan *p);

#endif
