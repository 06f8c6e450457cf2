/* SPDX-License-Identifier: GPL-3.0-or-later */
/* active.h -- the active part of a reversible chain (rchain.h) as the
 * solvers use it (private to the library): the states with ln pi > -inf,
 * numbered in the order of the states (the compressed index keeps the
 * chain's order, so neighbours stay sorted), the edges between two of
 * them in the order of the chain's edges, their rates and conductances as
 * doubles, the outflow of every state, connected components and their
 * null vectors sqrt(pi).
 *
 * Summation orders (the numbers depend on them to the last bit): the flux
 * form L x and every sum over edges run over the active edges in the
 * chain's edge order; sums over the edges of one state take the
 * neighbours above it in decreasing order, then those below in increasing
 * order (on a grid: up along axis 1, up along axis 2, down along 1, down
 * along 2); the outflow adds the exit rate last. */
#ifndef HL_ACTIVE_H
#define HL_ACTIVE_H

#include "rchain.h"

typedef struct {
    long n;              /* states of the chain                                   */
    long m;              /* active states (ln pi > -inf)                          */
    long *idx;           /* n: compressed index of a state, -1 if not active      */
    long *state;         /* m: the state of a compressed index                    */
    long ne;             /* active edges (both ends active; ln c may be -inf)     */
    long *ea, *eb;       /* ne: compressed ends (in the chain's orientation)      */
    long *edge;          /* ne: the edge's id in the chain                        */
    double *up, *dn;     /* ne: k(ea -> eb), k(eb -> ea); 0 without an edge       */
    double *c;           /* ne: the conductance exp(ln c) (S off the diagonal);
                            0 while skip_c is set                             */
    int skip_c;          /* 1: hl_active_rates leaves c at 0 (for a caller that
                            reads only up, dn and out: one exp per edge less;
                            set by hl_rchain_evolve while beta changes)       */
    double *out;         /* m: total rate out of a state (plus its exit rate)     */
    double *kill;        /* m: exit rate, or NULL when the chain has no exits     */
    long *start;         /* m + 1: the active edges of a are nbe[start[a] ..      */
    long *nbe;           /* start[a + 1]), in increasing order of the neighbour   */
    long *ide;           /* 2 ne: the same edges in increasing edge order          */
} hl_active;

/* Check the chain (ends, duplicates, values: hl_rchain_index's errors;
 * HL_EINVAL if no state is active) and build the map, the edges and the
 * adjacency; the rates are not computed (hl_active_rates). */
int hl_active_init(hl_active *a, const hl_rchain *c);
void hl_active_free(hl_active *a);

/* c (refilled for a new temperature) must have the same active states:
 * HL_EINVAL otherwise, HL_EDOM for a NaN or +inf value. */
int hl_active_same_states(const hl_active *a, const hl_rchain *c);

/* The rates k(i -> j) = exp(ln c + (ln pi_j - ln pi_i) / 2) of every active
 * edge, the outflow, and the exit rates of c->ln_exit (if any).
 * HL_ERANGE naming the edge or state if a rate overflows. */
int hl_active_rates(hl_active *a, const hl_rchain *c);

/* The other end of active edge e seen from compressed state s. */
static inline long hl_active_other(const hl_active *a, long e, long s)
{
    return a->ea[e] == s ? a->eb[e] : a->ea[e];
}

/* f = L x on the active states in flux form: each edge moves J = k(a -> b)
 * x_a - k(b -> a) x_b from a to b, and the same float J is subtracted and
 * added, so sum f vanishes up to the rounding of the accumulation (the exit
 * rates, if any, are not applied: the evolution has none). */
void hl_active_apply(const hl_active *a, const double *x, double *f);

/* Gershgorin bound of the spectrum of -S: max_a (out_a + sum_b c_ab). */
double hl_active_norm(const hl_active *a);

/* Connected components of the active states along edges with c > 0 and
 * the unit null vector sqrt(pi) of each: members[start[q] .. start[q+1])
 * are the states of component q (breadth first from its lowest state, the
 * edges of a state in the chain's edge order),
 * comp[a] its number, u[a] = sqrt(pi_a / max pi) / norm on the component.
 * Components with an exit have no null vector: their states get comp = -1
 * and are not members. */
typedef struct {
    long n;         /* components */
    long *start;    /* n + 1 */
    long *members;  /* m     */
    long *comp;     /* m     */
    double *u;      /* m     */
} hl_comps;

int hl_comps_find(const hl_active *a, const hl_rchain *c, hl_comps *cp);
void hl_comps_free(hl_comps *cp);
/* x -= sum_q (u_q . x) u_q; dot: workspace of cp->n entries */
void hl_comps_project(const hl_comps *cp, long m, double *x, double *dot);

/* Connected components along the edges that exist (ln c > -inf), whether
 * or not their conductance underflows a double (work: 2 m). */
long hl_active_structural_components(const hl_active *a, const hl_rchain *c, long *work);

/* Steepest ascent of ln pi along edges with c > 0: end[s] = the local
 * maximum reached from compressed state s.  Ties between neighbours of
 * equal ln pi go to the neighbour farthest in state index, the higher one
 * first on equal distance (on a grid: axis 1 before axis 2, up before
 * down). */
void hl_active_ascent(const hl_active *a, const hl_rchain *c, long *end);

#endif
