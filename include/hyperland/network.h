/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * network.h -- real energy landscapes (kinetic transition networks) read
 * from files into the reversible chain of chain.h, with their bookkeeping
 * and equilibrium thermodynamics.
 *
 * Two input forms.
 *
 *  1. PATHSAMPLE databases (the GMIN/OPTIM/PATHSAMPLE format, also read by
 *     PyGT, pele and DISCOTRESS):
 *       min.data  one minimum per line, id = line number (1-based):
 *                 E F o [Ix Iy Iz]
 *       ts.data   one transition state per line: E F o a b [Ix Iy Iz]
 *       min.A / min.B (optional) the number of ids, then the ids (1-based),
 *                 separated by any white space over any number of lines.
 *     E: potential energy (the database's energy unit); F: ln of the
 *     product of the positive eigenvalues of the mass-weighted Hessian
 *     (F = sum_k ln omega_k^2: 3N-6 modes at a minimum, 3N-7 at a transition
 *     state); o: the order of the point group (a positive integer); a, b:
 *     the minima the transition state connects.
 *
 *  2. Plain CSV (for users without PATHSAMPLE):
 *       states       `id,energy,entropy` per line (ids: any distinct integers)
 *       transitions  `a,b,energy,entropy` per line (a, b: state ids)
 *     with ln M_a = S_a - E_a / T and ln k(a -> b) = (S_ts - E_ts / T) -
 *     (S_a - E_a / T).  An optional header line with exactly these names,
 *     blank lines and lines starting with '#' are allowed anywhere.
 *     One comment is read: a line whose first word after the '#' is
 *     valid-temperature,
 *       # valid-temperature: T
 *     (T a finite positive decimal number) says that the files are right
 *     at k_B T = T only (a rate factor that depends on T, such as the
 *     transmission B of `hyperland lattice-network`, was evaluated there
 *     and folded into the entropies).  Either file may carry it (both do
 *     when lattice-network writes them); two values differing by more
 *     than HL_CHAIN_VALID_RTOL relative, in one file or between the two,
 *     are HL_EPARSE, as is a malformed line (no colon, a value that is not
 *     a finite positive number).  The network then refuses every
 *     computation at another temperature (hl_network_info.
 *     valid_temperature: HL_EDOM from hl_network_thermodynamics,
 *     hl_network_paths_find, hl_network_regroup, hl_network_start (but a
 *     start in one minimum), hl_network_evolve, and from everything that
 *     evaluates its chain: hl_chain_set_valid_temperature, chain.h).
 *
 * The mapping of PATHSAMPLE onto the chain (harmonic transition-state
 * theory, as PATHSAMPLE's setup and PyGT's io.load_ktn compute it):
 *
 *   S_min = -F / 2 - ln o,   S_ts = -F_ts / 2 - ln o_ts - ln(2 pi),
 *
 * so that ln M_a = -E_a/T - F_a/2 - ln o_a (ln p_a^eq = ln M_a - ln Z) and
 *
 *   ln k(a -> b via s) = (S_ts - E_s/T) - (S_a - E_a/T)
 *                      = ln(o_a / (2 pi o_s)) + (F_a - F_s)/2 - (E_s - E_a)/T,
 *
 * the rate of the ktn README (the derivation is in src/network/network.c).
 * exp(F/2) is the product of the angular frequencies omega_k, so the rates
 * are in the unit of omega: for Lennard-Jones (eps / (m sigma^2))^(1/2),
 * i.e. time in (m sigma^2 / eps)^(1/2).  There are no hidden factors: no
 * h, no k_B T/h, no conversion of units.  T is k_B T in the database's
 * energy unit.
 *
 * What is accepted (both forms): lines of any length (up to 1 MiB), LF or
 * CRLF line ends, leading and trailing blanks and tabs, a UTF-8 byte-order
 * mark at the start of a file, a last line without a line end, blank lines
 * at the end of a file.  PATHSAMPLE files have no comments: a blank line
 * followed by more data in min.data/ts.data is refused (ids are line
 * numbers), and so is any field that is not a number.  Numbers: decimal
 * (Fortran's D exponent, 1.0D+02, is read as E); finite; no hexadecimal,
 * inf or nan.  Ids: decimal integers.  Counts are checked against
 * overflow; files of millions of lines are read in linear time.
 *
 * Every error is HL_EPARSE (HL_EIO for a file that cannot be read,
 * HL_ENOMEM) with a one-line message in hl_errmsg() naming the file and the
 * line: a malformed line (wrong number of fields, a field that is not a
 * number), a non-finite number, an order o <= 0 or not an integer, an id
 * that is not a minimum/state, a repeated state id (CSV), an empty file.
 *
 * Lifecycle: read (hl_network_read_*) -> optionally give the sets A and B
 * (hl_network_set_*) -> hl_network_build -> query (info, chain, sets,
 * warnings, thermodynamics) -> hl_network_free.  The network owns
 * everything it returns (borrowed pointers, valid until hl_network_free or
 * the next hl_network_build).  Not thread-safe.
 */
#ifndef HYPERLAND_NETWORK_H
#define HYPERLAND_NETWORK_H

#include <stddef.h>
#include <stdio.h>

#include "hyperland/chain.h"

typedef struct hl_network hl_network;
typedef struct hl_chain hl_chain; /* chain.h (repeated: C11 allows it) */

/* ------------------------------------------------------------- reading */

/* A PATHSAMPLE database from min.data and ts.data at the given paths. */
int hl_network_read_pathsample(const char *min_path, const char *ts_path, hl_network **out);
/* The same from a directory: DIR/min.data, DIR/ts.data (each as given by
 * hl_network_db_file: gzipped ones too), and DIR/min.A and DIR/min.B when
 * they exist (as hl_network_read_set; not gzipped). */
int hl_network_read_pathsample_dir(const char *dir, hl_network **out);
/* The path of a database file: "DIR/LEAF", or "DIR/LEAF.gz" when only the
 * gzipped file exists (the readers inflate it).  Allocated (the caller
 * frees it); NULL when out of memory. */
char *hl_network_db_file(const char *dir, const char *leaf);
/* The same from open streams (read to their end, not closed); the names are
 * used in messages. */
int hl_network_read_pathsample_stream(FILE *min_fp, const char *min_name, FILE *ts_fp,
                                      const char *ts_name, hl_network **out);
/* The CSV form (states, transitions). */
int hl_network_read_csv(const char *states_path, const char *transitions_path,
                        hl_network **out);
int hl_network_read_csv_stream(FILE *states_fp, const char *states_name, FILE *trans_fp,
                               const char *trans_name, hl_network **out);
/* NULL-safe. */
void hl_network_free(hl_network *net);

/* ----------------------------------------------------------------- sets */

enum { HL_NETWORK_A = 0, HL_NETWORK_B = 1 };

/* Set A or B (which = HL_NETWORK_A / HL_NETWORK_B) of the database's ids
 * (PATHSAMPLE: 1-based minimum ids; CSV: state ids), replacing an earlier
 * one.  HL_EPARSE for an id that is not a minimum, a repeated id or an
 * empty set; source names the set's origin in messages (NULL: "ids"). */
int hl_network_set_ids(hl_network *net, int which, const long *ids, size_t n,
                       const char *source);
/* From a comma-separated list "1,2,5" (blanks around fields allowed). */
int hl_network_set_list(hl_network *net, int which, const char *list);
/* From a file in min.A form (count, then the ids), or a stream. */
int hl_network_read_set(hl_network *net, int which, const char *path);
int hl_network_read_set_stream(hl_network *net, int which, FILE *fp, const char *name);

/* ------------------------------------------------------------- building */

typedef struct {
    /* Minima that look like duplicates: |E_a - E_b| <= duplicate_energy_tol
     * max(1, |E_a|) and (PATHSAMPLE with moments) every principal moment
     * within duplicate_moment_tol max(1, |I|); CSV: also the entropies
     * within duplicate_energy_tol max(1, |S|).  0: 1e-9 and 1e-6. */
    double duplicate_energy_tol, duplicate_moment_tol;
    /* Outliers: |v_a - median of v over the minima a is joined to| >
     * outlier_threshold, with v = -F/2 (PATHSAMPLE) or the entropy S (CSV):
     * a factor of more than e^threshold in the harmonic weight that the
     * neighbours do not share.  0: 20 (|Delta F| > 40; LJ38-4k's minimum
     * 2020, 58 below its neighbour, is the one case in that database). */
    double outlier_threshold;
} hl_network_options;

/* Choose the network and build its chain.  The network is the connected
 * component (along non-degenerate transition states) that holds set A --
 * its member of lowest energy (ties: the first) when A spans several
 * components -- or, without A, the global minimum (lowest E, ties: the
 * first).  A and B are intersected with it; the ids left out are reported
 * (hl_network_dropped).  Chain state k (0 .. network_minima - 1) is the
 * k-th network minimum in file order; ln M = S - E/T, every transition
 * state of the network added by hl_chain_add_transition_state (several
 * between one pair add; a == b dropped and counted when read).
 * Warnings (duplicates, outliers) are collected over the network's minima;
 * the minima are kept.  opts: NULL for the defaults.  HL_EPARSE when A or
 * B keeps no minimum in the network, or A and B share a minimum; HL_EDOM
 * for a bad option; HL_ENOMEM. */
int hl_network_build(hl_network *net, const hl_network_options *opts);

typedef struct {
    int pathsample;              /* 1: PATHSAMPLE form, 0: CSV             */
    long minima;                 /* minima (states) read                   */
    long transition_states;      /* transition states read (all)           */
    long degenerate_ts;          /* of which a == b (dropped)              */
    long components;             /* connected components of all minima    */
    long isolated;               /* minima without any transition state   */
    long network_minima;         /* minima in the network                  */
    long network_ts;             /* transition states inside the network  */
    long network_pairs;          /* distinct connected pairs in it        */
    long dropped_components;     /* components - 1                         */
    long dropped_minima;         /* minima - network_minima                */
    long root_id;                /* id of the minimum whose component it is */
    long n_set[2];               /* |A|, |B| in the network (0: not given) */
    long n_set_given[2];         /* |A|, |B| as given                      */
    long warnings;               /* hl_network_warnings count              */
    double valid_temperature;    /* CSV '# valid-temperature: T': the only
                                    k_B T the network may be evaluated at
                                    (others: HL_EDOM, see the CSV form
                                    above); NaN: any temperature           */
} hl_network_info;
/* After hl_network_build (HL_EINVAL before). */
int hl_network_get_info(const hl_network *net, hl_network_info *info);

/* The network's chain (borrowed; states 0 .. network_minima - 1).  Make a
 * plan with hl_chain_plan_create(chain, 1/T, &plan).  NULL before build.
 * PATHSAMPLE: the entropies of its states and edges are S less the constant
 * -F_1/2 (F_1: the first minimum's), which cancels in every rate and
 * probability and keeps F ~ 1e5 from costing digits (ln Z of
 * hl_network_thermodynamics adds it back). */
const hl_chain *hl_network_chain(const hl_network *net);
/* The database id of network state k (PATHSAMPLE: the 1-based minimum id;
 * CSV: the state's id).  HL_EINVAL for a k outside the network. */
int hl_network_id(const hl_network *net, long k, long *id);
/* The network state of database id (-1 if the minimum is not in the
 * network); HL_EINVAL for an id that is not a minimum. */
int hl_network_state(const hl_network *net, long id, long *k);
/* Set A or B as network states (ascending), and the given ids left out
 * (not in the network, ascending).  Empty (n = 0) when the set was not
 * given. */
int hl_network_set_states(const hl_network *net, int which, const long **states, size_t *n);
int hl_network_dropped(const hl_network *net, int which, const long **ids, size_t *n);

enum { HL_NETWORK_WARN_DUPLICATE = 1, HL_NETWORK_WARN_OUTLIER = 2 };
typedef struct {
    int kind;          /* HL_NETWORK_WARN_*                                  */
    long id;           /* database id of the minimum                         */
    long other;        /* duplicate: the earlier minimum's id; outlier: the
                          number of neighbours                               */
    double value;      /* duplicate: E_a - E_other; outlier: v_a - median v  */
    char text[200];    /* one line, e.g. "minimum 2020: F = 480.56 is ..."   */
} hl_network_warning;
/* The warnings of the last build (borrowed); returns their number. */
size_t hl_network_warnings(const hl_network *net, const hl_network_warning **w);

/* ------------------------------------------------------ thermodynamics */

typedef struct {
    double T;              /* k_B T                                          */
    double ln_Z;           /* ln sum_a exp(S_a - E_a/T) over the network
                              (PATHSAMPLE: exp(-E/T - F/2 - ln o))           */
    double mean_energy;    /* <E> = sum_a p_a E_a (configurational)          */
    double heat_capacity;  /* Var(E)/T^2 + modes, in units of k_B; NaN when
                              modes = 0 and Var(E)/T^2 is below the smallest
                              normal double (read ln_heat_capacity_conf)   */
    double ln_heat_capacity_conf; /* ln(Var(E)/T^2), exact in logs (-inf:
                              every network minimum has the same E)        */
    double ln_pop[2];      /* ln P_A, ln P_B = ln sum_{a in set} p_a; NaN
                              when the set was not given                    */
    double pop[2];         /* P_A, P_B; NaN when not given or below the
                              smallest normal double (read ln_pop then)     */
} hl_network_thermo;
/* Equilibrium thermodynamics of the network at k_B T = T (> 0, finite):
 * p_a = exp(S_a - E_a/T - ln Z), all in log space (weights far below
 * 1e-300 are fine); modes (>= 0, finite): classical harmonic vibrational
 * modes, each adding 1 (k_B) to the heat capacity (0: the configurational
 * part only).  HL_EINVAL before build, HL_EDOM for a bad T or modes or a
 * T other than the network's valid temperature, HL_ERANGE when E/T
 * overflows. */
int hl_network_thermodynamics(const hl_network *net, double T, double modes,
                              hl_network_thermo *out);

/* ------------------------------------------------ disconnectivity graph */

/* The disconnectivity graph (Becker and Karplus, J. Chem. Phys. 106, 1495
 * (1997); Wales, Miller and Walsh, Nature 394, 758 (1998)) of a built
 * network, as data: the superbasins of its minima at the energy levels
 *
 *   L_k = top - k delta,   k = 0 (top) .. levels - 1,
 *
 * in the database's energy unit (the E of min.data / the CSV `energy`; the
 * entropies play no part).  At level L the minima with E < L form
 * superbasins: two minima are in one when a path of transition states of
 * effective energy max(E_ts, E_a, E_b) < L joins them.  Each superbasin is
 * a node; its parent is the superbasin of level k - 1 holding it.  A line
 * of the graph runs from each shown node up to its parent, and from each
 * terminal node (a shown node without shown children) down to the energy of
 * its lowest minimum.  Memory and time: O(n log n + m log m + levels n). */
typedef struct hl_dgraph hl_dgraph;

typedef struct {
    int levels;       /* number of levels, 2 .. 100000; 0: 40, or as many as
                         delta allows down to the lowest minimum           */
    double delta;     /* level spacing (> 0); 0: from levels and top       */
    int have_top;     /* 1: top is given                                   */
    double top;       /* energy of level 0 (> lowest minimum).  Default:
                         e_merge + delta/2, just above the energy where the
                         whole network is one superbasin                   */
    long min_count;   /* pruning: a node whose superbasin holds fewer
                         minima is hidden with everything below it (0, 1:
                         none, unless lowest_count is given)              */
    long lowest_count; /* pruning: a node holding one of the lowest_count
                         lowest minima of the network is kept (0: none).
                         Given alone, only those nodes are shown (the
                         lowest N minima, disconnectionDPS's LOWEST); with
                         min_count also those of at least min_count
                         minima.  The root holding the lowest minimum is
                         always shown.                                    */
} hl_dgraph_options;
/* Defaults (levels = delta = 0, no top): 40 levels with
 * delta = (e_merge - e_min) / 39 and top = e_merge + delta/2, so that level
 * 0 holds one superbasin and the lowest level lies delta/2 above the lowest
 * minimum.  With top given and delta not: delta = (top - e_min) /
 * (levels - 0.5).  With delta given and levels not: every level down to the
 * last one above the lowest minimum. */

typedef struct {
    int level;            /* 0 = top                                       */
    double energy;        /* the level's energy L_level                    */
    long parent;          /* node of level - 1 holding it; -1 at level 0   */
    long n_minima;        /* minima in the superbasin                      */
    long lowest;          /* network state (hl_network_id) of its lowest
                             minimum (ties: the first state)              */
    double lowest_energy; /* its energy                                    */
    long n_a, n_b;        /* minima of sets A and B in it                  */
    int shown;            /* 1 unless pruned (min_count)                    */
    int terminal;         /* shown, without shown children: its line goes
                             down to lowest_energy                         */
    double x;             /* horizontal position of a shown node: terminal
                             nodes at 0, 1, ..., lines - 1 from the left,
                             others at the mean of their children's x; NaN
                             when not shown.  Lines never cross.           */
} hl_dgraph_node;

typedef struct {
    int levels;
    double top, delta, bottom_level; /* L_0, the spacing, L_{levels-1}      */
    double e_min;             /* lowest minimum of the network              */
    double e_merge;           /* effective energy of the transition state
                                 that joins the last two superbasins (e_min
                                 for a single minimum)                      */
    long minima;              /* network minima                             */
    long minima_in_graph;     /* of which below the top level               */
    long transition_states;   /* the network's transition states            */
    long ts_below_minimum;    /* of which listed below one of their minima
                                 (counted at the higher minimum's energy)   */
    long nodes, shown_nodes;  /* superbasins over all levels; shown         */
    long roots;               /* shown nodes at level 0                     */
    long lines;               /* terminal nodes (lines ending at a minimum) */
    long lines_single;        /* of which one minimum alone                 */
    long min_count;           /* the size pruning used (1: none; 0: only
                                 lowest_count)                              */
    long lowest_count;        /* the lowest minima kept (0: not used)       */
} hl_dgraph_info;

/* Build the graph of a built network.  opts: NULL for the defaults.
 * *out: free with hl_dgraph_free.  HL_EINVAL before hl_network_build,
 * HL_EDOM for a bad option (levels out of range, delta <= 0, a top not
 * above the lowest minimum), HL_ENOMEM. */
int hl_network_disconnectivity(const hl_network *net, const hl_dgraph_options *opts,
                               hl_dgraph **out);
void hl_dgraph_free(hl_dgraph *g); /* NULL-safe */
int hl_dgraph_get_info(const hl_dgraph *g, hl_dgraph_info *info);
/* The nodes (borrowed, valid until hl_dgraph_free), level 0 first, levels
 * contiguous; *n their number. */
const hl_dgraph_node *hl_dgraph_nodes(const hl_dgraph *g, long *n);
/* The node of level holding network state `state` (-1 when the minimum lies
 * at or above L_level).  HL_EINVAL for a bad level or state. */
int hl_dgraph_node_of(const hl_dgraph *g, int level, long state, long *node);
/* ---------------------------------------------------------------- paths */

/* The fastest paths from B to A (PATHSAMPLE's A <- B), by the largest
 * k^SS contributions.  At k_B T = T every network minimum i has the
 * branching probabilities P(i -> j) = k(i -> j) / K_i, K_i = sum_j k(i -> j)
 * (the rates of hl_network_build, several transition states between a pair
 * added).  A path b = s_0, s_1, ..., s_L = a starts in B, leaves it at the
 * first step and never returns to it, and ends at the first minimum of A it
 * reaches (A absorbing); its contribution to the steady-state rate
 * constant is PATHSAMPLE's (DIJKSTRA, KSHORTESTPATHS):
 *
 *   k^SS(path) = (p_b / P_B) K_b prod_{l=0}^{L-1} P(s_l -> s_{l+1}),
 *
 * p the equilibrium probabilities, P_B = sum over B.  Summed over every
 * such walk (loops included) these give the network's k^SS (B -> A) =
 * J / P_B; the loopless paths found here are the largest terms.
 * (PATHSAMPLE's DIJKSTRA lets a path pass through other B minima; the two
 * agree whenever its best path does not.)
 *
 * Method: Dijkstra on the weights -ln P (a super-source joined to each b
 * with -ln(p_b K_b / P_B) + const, so that the best path over every b is
 * one search), then Yen's algorithm (Yen, Manage. Sci. 17, 712 (1971))
 * for the k shortest loopless paths; ties broken by the lower state index.
 * Everything in logs: ln k(i -> j) = ln sum_ts exp((S_ts - S_i) - (E_ts -
 * E_i)/T) with the differences taken before dividing by T, so that paths
 * at any temperature keep their relative accuracy (k^SS far below 1e-308
 * included: read ln_k_ss). */
typedef struct {
    size_t n_states;       /* minima on the path (>= 2)                       */
    long *states;          /* n_states network states, s_0 in B ... s_L in A  */
    long *ids;             /* the same as database ids                        */
    double *ln_branching;  /* n_states - 1: ln P(s_l -> s_{l+1})              */
    double *ts_energy;     /* n_states - 1: the lowest transition-state energy
                              between s_l and s_{l+1}                         */
    double ln_product;     /* sum of ln_branching (<= 0)                      */
    double ln_source;      /* ln(p_b / P_B)                                   */
    double ln_escape;      /* ln K_b (rate units)                             */
    double ln_k_ss;        /* ln_source + ln_escape + ln_product              */
    double highest_ts;     /* max of ts_energy                                */
} hl_network_path;

typedef struct {
    double T;              /* k_B T of the search                             */
    size_t n;              /* paths found: k, or fewer when fewer exist       */
    hl_network_path *path; /* n paths, largest k^SS first                     */
    double ln_k_ss_sum;    /* ln of the sum of their contributions            */
} hl_network_paths;

/* The k (1 .. 100000) fastest paths from B to A at k_B T = T (> 0,
 * finite) after hl_network_build with both sets.  *out: free with
 * hl_network_paths_free (everything in it is owned by it).  HL_EINVAL
 * before build, without A or B, for a NULL argument; HL_EDOM for a bad T
 * (or one not the network's valid temperature) or k; HL_ERANGE when a log rate is not finite at T; HL_ENOTFOUND when no
 * path leads from B to A without re-entering B (cannot happen in a
 * connected network); HL_ENOMEM. */
int hl_network_paths_find(const hl_network *net, double T, size_t k, hl_network_paths **out);
void hl_network_paths_free(hl_network_paths *p);

/* ------------------------------------------------- free-energy groups */

/* Free-energy groups at k_B T = T (PATHSAMPLE's REGROUPFREE, Carr and
 * Wales, J. Phys. Chem. B 112, 8760 (2008)).  Definitions (M_a = exp(S_a -
 * E_a/T) the weight of minimum a, exp(S_s - E_s/T) = M_a k(a -> b via s)
 * the weight of a transition state s, the rates of hl_network_build):
 *
 *   G_I      = -T ln sum_{a in I} M_a                  (group free energy)
 *   G_IJ     = -T ln sum_{s between I and J} exp(S_s - E_s/T)
 *                                        (free energy of the TS group)
 *   k(I -> J) = sum_{a in I, b in J} M_a k(a -> b) / sum_{a in I} M_a
 *             = exp(-(G_IJ - G_I)/T)      (summed fluxes, in logs)
 *   barrier(I -> J) = G_IJ - G_I = -T ln(k(I -> J) x one time unit).
 *
 * (PATHSAMPLE writes G_IJ with an extra -T ln(h/k_B T) (its PLANCK
 * keyword): its barriers are these plus T ln(T/h), equal for h = T.)
 * Regrouping: every minimum starts as its own group; in each pass, every
 * pair of groups joined by a transition state whose barriers in BOTH
 * directions are <= threshold is merged (PATHSAMPLE's test), the pairs
 * taken in increasing order of the larger of their two barriers, except
 * that a group holding an A minimum and one holding a B minimum are never
 * merged (PATHSAMPLE's default); then G, G_IJ and the rates are computed
 * again from the merged groups, and passes repeat until none merges
 * (recursively: merged groups can merge further).  All sums in logs with
 * the energy differences taken before dividing by T. */
typedef struct {
    size_t n_minima;        /* minima in the group                            */
    long *states;           /* their network states, ascending                */
    long lowest_id;         /* database id of its minimum of lowest energy    */
    double lowest_energy;   /* that minimum's E                               */
    double free_energy;     /* G_I (energy unit)                              */
    double ln_population;   /* ln P_I = ln sum_{a in I} p_a (p normalised)    */
    int set;                /* -1: neither, HL_NETWORK_A or HL_NETWORK_B      */
} hl_network_group;

typedef struct {
    size_t from, to;        /* group indices                                  */
    double ln_rate;         /* ln k(I -> J) (rate unit of the network)        */
    double barrier;         /* G_IJ - G_I                                     */
    double ts_free_energy;  /* G_IJ                                           */
    double lowest_ts;       /* the lowest transition-state energy between them */
} hl_network_group_rate;

typedef struct {
    double T, threshold;
    size_t n_groups;        /* groups, by increasing free energy              */
    hl_network_group *group;
    size_t n_rates;         /* both directions of every joined pair, by from,
                               then to                                       */
    hl_network_group_rate *rate;
    long *group_of;         /* network_minima entries: the group of a state   */
    long passes;            /* passes that merged something                   */
} hl_network_groups;

/* Regroup a built network at k_B T = T (> 0, finite) with a barrier
 * threshold (finite; <= every barrier: each minimum its own group).
 * *out: free with hl_network_groups_free (it owns everything in it).
 * HL_EINVAL before build or for a NULL argument, HL_EDOM for a bad T (or
 * one not the network's valid temperature) or threshold, HL_ERANGE when a log weight or rate is not finite at T,
 * HL_ENOMEM. */
int hl_network_regroup(const hl_network *net, double T, double threshold,
                       hl_network_groups **out);
void hl_network_groups_free(hl_network_groups *g);

/* ------------------------------------------------------------ evolution */

/* Start distributions (network_minima entries p0, caller-owned):
 *   HL_NETWORK_START_MINIMUM      all probability on database id `arg`;
 *   HL_NETWORK_START_SET          the local equilibrium at k_B T = T0 in set
 *                                 `arg` (HL_NETWORK_A or HL_NETWORK_B):
 *                                 p_a = M_a(T0) / sum_{set} M(T0);
 *   HL_NETWORK_START_EQUILIBRIUM  the equilibrium at k_B T = T0 over the
 *                                 network (arg unused).
 * Weights in logs (differences of E before dividing by T0).  HL_EINVAL
 * before build, for an id not in the network or a set not given; HL_EDOM
 * for a bad T0 or one not the network's valid temperature (MINIMUM ignores
 * it). */
enum { HL_NETWORK_START_MINIMUM = 0, HL_NETWORK_START_SET = 1, HL_NETWORK_START_EQUILIBRIUM = 2 };
int hl_network_start(const hl_network *net, int kind, long arg, double T0, double *p0);

/* p(t) of the network's master equation dp/dt = L p at the times
 * (n_times, finite, >= 0, strictly increasing) into p_out (n_times x
 * network_minima, row-major, caller-owned), from p0: at fixed k_B T = T
 * when protocol is NULL (hl_chain_evolve on a plan at beta = 1/T), or
 * under the temperature protocol (protocol.h, its T is k_B T, beta = 1/T;
 * hl_chain_evolve_protocol).  rtol (0: 1e-8) as hl_chain_evolve: the
 * error is about rtol/100 absolute on every probability.  method
 * (optional): the engine's method name (a static string).  Errors as
 * those two calls (HL_EINVAL before build; HL_EDOM for a T, or a protocol
 * row, other than the network's valid temperature). */
int hl_network_evolve(const hl_network *net, double T, const hl_protocol *protocol,
                      const double *p0, const double *times, size_t n_times, double rtol,
                      double *p_out, const char **method);

/* The check evolution of hl_network_evolve's p(t) (chain.h,
 * hl_chain_evolve_protocol_check: CVODE at 10 rtol, the run's route), for
 * an estimate of its error: |S - S_check| + floor[k] + rel_floor[k] S
 * bounds the error of a sum S of p over states at time k (README
 * "Accuracy of populations").  p_check: n_times x network_minima, floor
 * and rel_floor (optional): n_times; caller-owned.  Errors as
 * hl_network_evolve (a check that cannot be integrated returns its
 * error). */
int hl_network_evolve_check(const hl_network *net, double T, const hl_protocol *protocol,
                            const double *p0, const double *times, size_t n_times, double rtol,
                            double *p_check, double *floor, double *rel_floor);

/* What one distribution p (network_minima entries) gives: P_A and P_B
 * (NaN when the set was not given), the mean energy sum_a p_a E_a, and
 * |sum_a p_a - 1|. */
typedef struct {
    double pop[2];
    double mean_energy;
    double sum_error;
} hl_network_observables;
int hl_network_observe(const hl_network *net, const double *p, hl_network_observables *o);
/* The energy E of every network state into E (network_minima entries,
 * caller-owned).  HL_EINVAL before build. */
int hl_network_energies(const hl_network *net, double *E);

/* ------------------------------------- the hypercube lattice as a network */

typedef struct hl_model hl_model; /* model.h (repeated: C11 allows it) */

/* The contracted class lattice of eq 5.6 at dimension dim (even, as
 * hl_check_dim) written in the CSV form above: one state per class
 * (n, n1), id = n1 (D/2 + 1) + (n - n1) (hl_lattice_network_id), with
 *
 *   energy = D phi(x, y) (= Phi, eq 4.10),  entropy = ln W(n, n1) (eq 4.5),
 *
 * and one transition state per move of eq 5.6 (n1 -> n1 + 1 or
 * n - n1 -> n - n1 + 1, once per pair) with
 *
 *   energy = (E_i + E_j)/2,  entropy = ln W(n, n1) + ln(D/2 - k) + ln B,
 *
 * (n, n1) the class before the move, k its count that the move raises (n1,
 * or n - n1), and B = B(x, y, T) at the
 * mean order parameters of the two classes (eq 5.1).  Read by
 * hl_network_read_csv*, its chain at any beta has exactly the rates of
 * eq 5.2, (count) B exp(-beta (Phi_j - Phi_i)/2), and the weights
 * W exp(-beta Phi) of eq 5.5 (the derivation is in
 * src/kinetics/lattice_network.c), so `network` on it reproduces `spectrum`
 * and `mfpt`.  A B without T gives a network right at every temperature
 * (beta is then not used and may be NaN).  A B that depends on T is
 * evaluated at T = 1/beta and folded into the entropies: the network is
 * right at that temperature only (a temperature-dependent B cannot be a
 * temperature-independent network in general): each stream then starts with
 * the line '# valid-temperature: T' (T = 1/beta, %.17g), and the reader
 * refuses every other temperature (the CSV form above).  Each stream gets
 * its header line (id,energy,entropy / a,b,energy,entropy) and rows with 17
 * significant digits; a caller may write '#' comment lines before.  The
 * counts go into *n_states, *n_transitions (either may be NULL).  HL_EDOM
 * for a bad D, a bad beta where it is needed, a phi or B that is not
 * finite (naming the class or bond); HL_EIO for a write error; HL_ENOMEM. */
int hl_lattice_network_write(const hl_model *m, long dim, double beta, FILE *states,
                             FILE *transitions, long *n_states, long *n_transitions);
/* The id of class (n, n1) in that network. */
long hl_lattice_network_id(long dim, long n, long n1);
/* The sets of `hyperland mfpt --from FROM --to TO` at beta as ids of that
 * network: *start_id the class at the highest local maximum of ln Q_eq in
 * basin `from`, and target_ids[0 .. *n_target) the classes of basin `to`
 * (ascending), with the basins of hl_mfpt (steepest ascent of
 * ln Q_eq = ln W - beta Phi, named after the nearest maximum of f).
 * target_ids: (D/2 + 1)^2 entries, caller-owned.  HL_ENOTFOUND when a basin
 * is missing at this beta, HL_EINVAL when from == to, HL_EDOM as above. */
int hl_lattice_network_sets(const hl_model *m, long dim, double beta, const char *from,
                            const char *to, long *start_id, long *target_ids, long *n_target);

typedef struct hl_blocks hl_blocks; /* blocks.h (repeated: C11 allows it) */

/* The class lattice of the model of k blocks (blocks.h, section VI) written
 * in the same CSV form: one state per class n = (n_1 .. n_k), id = its
 * class index (mixed radix, block k fastest, as hl_blocks_class and
 * `exact --blocks --distribution`; for two equal blocks of h = D/2 it is
 * n_1 (h + 1) + n_2, the id of hl_lattice_network_id with n1 = n_1 and
 * n - n1 = n_2), with
 *
 *   energy = D phi(m(n)),  entropy = ln W(n) = sum_i ln C(D_i, n_i),
 *
 * and one transition state per move n_i -> n_i + 1 (per class in
 * increasing index, block 1 first) with
 *
 *   energy = (E_n + E_n')/2,  entropy = ln W(n) + ln(D_i - n_i) + ln B,
 *
 * B = B(m_mid, T) at the midpoint of the two classes, as hl_blocks_chain.
 * `network` on it at T = 1/beta has exactly the weights W exp(-beta D phi)
 * and the rates K(n -> n + e_i) = (D_i - n_i) B exp(-beta D dphi / 2) of
 * hl_blocks_chain (eq 5.2).  A B without T gives a network right at every
 * temperature (beta is not used and may be NaN); a B with T is evaluated at
 * T = 1/beta (beta in (0, 1e6]) and the network is right there only (the
 * '# valid-temperature: T' line, as hl_lattice_network_write).
 * Headers, digits and counts as hl_lattice_network_write (prod (D_i + 1)
 * states, sum_i D_i prod_{l != i} (D_l + 1) transitions).  The sets of
 * `mfpt --blocks` as ids: hl_blocks_passage_sets (blocks_kinetics.h).
 * HL_EDOM for a bad beta where it is needed, a phi or B that is not finite
 * (or B not positive; naming the class or the pair); HL_ERANGE above 2^31
 * classes; HL_EIO for a write error; HL_ENOMEM. */
int hl_blocks_lattice_network_write(const hl_blocks *b, double beta, FILE *states,
                                    FILE *transitions, long *n_states, long *n_transitions);

#endif
