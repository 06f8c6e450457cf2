/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_graph.h -- the network at one temperature as a directed graph in
 * logs (rates, escape rates, equilibrium), shared by the path search and
 * the free-energy regrouping (private to src/network). */
#ifndef HL_NETWORK_GRAPH_H
#define HL_NETWORK_GRAPH_H

#include <stddef.h>

#include "network_private.h"

typedef struct {
    size_t n;       /* network states                                        */
    long *start;    /* n + 1: the out-edges of i are start[i] .. start[i+1]-1 */
    long *nbr;      /* the other state, ascending within a row               */
    double *ln_k;   /* ln k(i -> nbr) = ln sum_ts exp((S_ts - S_i) -
                       (E_ts - E_i)/T), every transition state of the pair  */
    double *ts_e;   /* the lowest transition-state energy of the pair        */
    double *ln_esc; /* n: ln K_i = ln sum_j k(i -> j)                        */
    double *ln_p;   /* n: ln of the equilibrium probability (normalised)     */
} nw_graph;

/* Build the graph of a built network at k_B T = T (checked by the caller:
 * > 0, finite).  HL_ERANGE when a log rate or weight is not finite,
 * HL_ENOMEM.  Free with nw_graph_free (also after a failure). */
int nw_graph_build(const hl_network *net, double T, nw_graph *g);
void nw_graph_free(nw_graph *g);

#endif
