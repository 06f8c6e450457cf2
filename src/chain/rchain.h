/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rchain.h -- a reversible chain at one temperature, the object every
 * kinetic solver of hyperland works on (private to the library).
 *
 * Section III of the paper: states a with unnormalised equilibrium weights
 * M_a (eq 3.3) and undirected edges with a symmetric factor A_ag = A_ga
 * (eq 3.5), so that the rates obey detailed balance,
 *
 *   K(a -> g) = A_ag sqrt(M_g / M_a)                              (eq 3.4)
 *
 * kept in logs: ln_pi[a] = ln M_a, ln_c[e] = ln A of edge e, so that
 * ln K(a -> g) = ln_c + (ln_pi[g] - ln_pi[a]) / 2.  An optional exit
 * (killing) rate per state, exp(ln_exit[a]), makes the chain
 * sub-stochastic (absorbing targets, the symmetry sectors of the full
 * hypercube).  The symmetrised generator S = M^{-1/2} L M^{1/2} has S_ag =
 * A_ag off the diagonal and S_aa = -(sum_g K(a -> g) + exit_a); -S is
 * symmetric positive semidefinite, its eigenvalues are the relaxation rates.
 *
 * Every kinetic model of hyperland is built as one of these: the class
 * lattice of eq 5.6 (any phi, any B), the Fokker-Planck cells, a sector of
 * the full hypercube, a chain given by a user through the public hl_chain
 * (chain.h), and the networks of minima and transition states.
 *
 * A state with ln_pi = -inf is not part of the chain: it has no edges that
 * count (an edge touching it is ignored) and its probability stays 0; that is
 * how a chain is restricted to a basin (reflecting walls keep detailed
 * balance).  An edge with ln_c = -inf is absent.
 */
#ifndef HL_RCHAIN_H
#define HL_RCHAIN_H

#include <stddef.h>

typedef struct {
    long n;          /* states                                                */
    long m;          /* undirected edges                                      */
    double *ln_pi;   /* n: ln M_a; -inf: not part of the chain                */
    long *ea, *eb;   /* m: the two ends of edge e (0 <= ea, eb < n, ea != eb;
                        no pair twice: builders merge parallel edges by
                        adding their A in log space)                          */
    double *ln_c;    /* m: ln A of edge e; -inf: no edge                      */
    double *ln_exit; /* n, or NULL for no exits: ln of the exit rate; -inf:
                        none                                                  */
    /* adjacency, built by hl_rchain_index (owned; NULL before):          */
    long *adj_start; /* n + 1: the edges of state a are adj_edge[adj_start[a]
                        .. adj_start[a + 1])                                  */
    long *adj_edge;  /* 2 m: edge ids, for each state in increasing order of
                        the neighbour                                         */
} hl_rchain;

/* Allocate a chain of n states and m edges (ln_pi, ln_c filled with -inf,
 * ends with -1; ln_exit allocated and filled with -inf if with_exit).
 * HL_ENOMEM naming the size, HL_EINVAL for n < 1 or m < 0. */
int hl_rchain_alloc(hl_rchain *c, long n, long m, int with_exit);
/* Release everything (c itself is the caller's); safe on a zeroed chain. */
void hl_rchain_free(hl_rchain *c);

/* Check the ends (in range, distinct, no pair twice: HL_EINVAL naming the
 * edge) and the values (ln_pi, ln_c, ln_exit not NaN or +inf: HL_EDOM
 * naming the state or edge), then build the adjacency.  Call once after
 * filling the ends; solvers call it if adj_start is NULL. */
int hl_rchain_index(hl_rchain *c);
/* An indexed view of c for the solvers that need the adjacency: *t = c's
 * fields, with the adjacency built on t (owned by t) when c has none.
 * Release with hl_rchain_view_free(c, t) (frees only what was built).
 * Errors of hl_rchain_index. */
int hl_rchain_view(const hl_rchain *c, hl_rchain *t);
void hl_rchain_view_free(const hl_rchain *c, hl_rchain *t);

/* Check the values only (after a refill at a new temperature). */
int hl_rchain_check_values(const hl_rchain *c);

/* The other end of edge e seen from state a. */
static inline long hl_rchain_other(const hl_rchain *c, long e, long a)
{
    return c->ea[e] == a ? c->eb[e] : c->ea[e];
}

/* Refill ln_pi, ln_c and ln_exit of c (same states and edges, same set of
 * states with ln_pi > -inf) for inverse temperature beta: how a chain
 * follows a temperature protocol.  Returns HL_OK or an error. */
typedef int (*hl_rchain_fill_fn)(void *ctx, double beta, hl_rchain *c);

#endif
