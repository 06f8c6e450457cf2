/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chain_plan.h -- the inside of a public chain plan (chain.h), shared by the
 * files that implement its solves (private). */
#ifndef HL_CHAIN_PLAN_H
#define HL_CHAIN_PLAN_H

#include "hyperland/chain.h"
#include "rchain.h"
#include "chain_evolve.h"

enum { EDGE_A = 0, EDGE_TS = 1 };

/* Largest chain (states) for the dense eigensolver in hl_chain_spectrum
 * and hl_chain_slow_rates. */
#define CHAIN_DENSE_LIMIT 1000

/* an edge as added: ends a < g, parts (s, e), kind EDGE_A (ln A = s - beta
 * e) or EDGE_TS (a transition state of ln weight s - beta e) */
typedef struct {
    long a, g;
    double s, e;
    int kind;
} raw_edge;

struct hl_chain_plan {
    double beta;
    const hl_chain *chain; /* only while a protocol run refills the plan   */
    raw_edge *sorted;      /* the chain's edges sorted by pair, or NULL     */
    hl_rchain rc;      /* the chain at beta: merged edges, adjacency */
    long *comp;        /* n: connected component of each state       */
    long n_comp;
    int has_err;       /* hl_chain_set_input_errors was called: then      */
    double err_m, err_a; /* bounds of |error| of every ln M and ln A at beta */
    struct hl_pass_cache *pass; /* the last first-passage factor (rpassage.h),
                            for the next solve with the same absorbing
                            states; NULL                                */
};

int chain_plan_components(hl_chain_plan *p);

/* What a solve needs of the plan's numbers: CHAIN_NEED_DOUBLE every rate
 * below the double overflow (the eigensolvers and integrators exponentiate
 * them); CHAIN_NEED_XF every finite ln K and ln M within the graph
 * transformation's extended exponent (xfloat.h).  HL_ERANGE with a message
 * naming the state or edge and beta otherwise. */
enum { CHAIN_NEED_DOUBLE = 1, CHAIN_NEED_XF = 2 };
int chain_rates_need(const hl_rchain *rc, double beta, int need);
static inline int chain_plan_need(const hl_chain_plan *p, int need)
{
    return chain_rates_need(&p->rc, p->beta, need);
}
/* A plan that keeps the chain and its sorted edges, so that
 * chain_plan_refill (an hl_rchain_fill_fn with ctx = the plan) can refill
 * its hl_rchain at a new beta; c must outlive the plan. */
int chain_plan_make(const hl_chain *c, double beta, hl_chain_plan **out);
int chain_plan_refill(void *ctx, double beta, hl_rchain *rc);
/* The same from another chain c with the same states and edge pairs (in
 * any order; HL_EINVAL otherwise), which the plan then keeps (c must
 * outlive the plan or the next call). */
int chain_plan_refill_from(hl_chain_plan *p, const hl_chain *c, double beta, hl_rchain *rc);

/* The state parts of c (ln M_a = s[a] - beta e[a]): borrowed, valid while
 * c is unchanged; *n the number of states. */
void chain_state_parts(const hl_chain *c, const double **s, const double **e, long *n);

/* hl_chain_evolve_protocol with CVODE throughout and the settings o of
 * hl_rchain_evolve_cvode_opts (chain_evolve.h; o NULL: its defaults):
 * the engine for long protocols with many outputs (hl_scan on a chain).
 * info (optional): what the engine did. */
int chain_evolve_protocol_opts(const hl_chain *chain, const hl_protocol *protocol,
                               const double *p0, const double *times, size_t n_times,
                               double rtol, const hl_rchain_evolve_opts *o, double *p_out,
                               hl_rchain_evolve_info *info);

#endif
