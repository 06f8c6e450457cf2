/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fokker_planck.h -- the Fokker-Planck equation of the order parameters
 * (eqs 5.9-5.11), solved numerically on the square |x| + |y| <= 1.
 *
 * In s = x + y and d = x - y the square is [-1, 1]^2 and the equation
 * derived from the master equation (eq 5.6) by a Kramers-Moyal expansion
 * (docs/fokker_planck.md) is
 *
 *   dq/dt = d_s [K_s (d_s q - q d_s U)] + d_d [K_d (d_d q - q d_d U)],
 *   K_s = (4 B / D) sqrt(1 - s^2),  K_d = (4 B / D) sqrt(1 - d^2),
 *
 * q the density in (s, d), B = B(x, y, T) the transmission, U = ln of the
 * equilibrium density.  It is eq 5.9 with the mobility mu = beta Dif
 * (Dif = K rotated to (x, y): the paper's eq 5.10 with D^-1 in place of
 * D^-2) and the force F = grad U / beta.  Two forms:
 *
 *   HL_FP_FULL    U = D (w - beta phi): the full force across both basins
 *                 (metastability and barrier crossing), K at each face;
 *   HL_FP_LINEAR  U = -D [E11 dx^2 + E12 dx dy + E22 dy^2] around one
 *                 maximum (eqs 5.7, 5.8, 5.11) and K frozen at the maximum:
 *                 an Ornstein-Uhlenbeck process (gaussian.h gives its exact
 *                 spectrum and mean).
 *
 * Discretisation: cell-centred finite volumes on an n x n grid in (s, d)
 * with Scharfetter-Gummel fluxes, J = (K/h) [Bern(-dU) q_i - Bern(dU) q_j],
 * Bern(z) = z / (e^z - 1).  The scheme is conservative, keeps q >= 0 (it
 * is a master equation on the cells with positive rates), has exp(U) as
 * its exact stationary state (detailed balance), and needs no boundary
 * condition: there is no flux through the edges of the domain, where K
 * vanishes at s, d = +-1.  Error O(h^2).  Time in units of 1/B.
 */
#ifndef HYPERLAND_FOKKER_PLANCK_H
#define HYPERLAND_FOKKER_PLANCK_H

#include <stddef.h>
#include "hyperland/model.h"
#include "hyperland/evolve.h"
#include "hyperland/gaussian.h"

enum { HL_FP_FULL = 0, HL_FP_LINEAR = 1 };
enum { HL_FP_BASIN = 1, HL_FP_CORE = 2 }; /* values of in_basin */

#define HL_FP_GRID_MIN 8L
#define HL_FP_GRID_MAX 4096L

typedef struct {
    int form;            /* HL_FP_FULL or HL_FP_LINEAR                        */
    long grid;           /* cells per axis, HL_FP_GRID_MIN..HL_FP_GRID_MAX     */
    const char *branch;  /* the maximum the linear form is built around, and
                            the centre of a window; NULL: use (at_x, at_y)   */
    int use_point;       /* 1: the maximum nearest (at_x, at_y) instead      */
    double at_x, at_y;
    double window;       /* > 0: the domain is the rectangle s_m +- window
                            sigma_s, d_m +- window sigma_d around the maximum
                            (sigma from the Gaussian at the run's first beta),
                            clipped to [-1, 1]^2, with reflecting walls; 0: the
                            whole square                                      */
    int in_basin;        /* HL_FP_BASIN: keep only the cells whose steepest
                            ascent of U ends at that maximum; HL_FP_CORE:
                            and of those only the part where f is concave,
                            connected to the maximum (see hl_basin_spectrum:
                            the in-basin modes without the saddle's); walls
                            reflect                                          */
} hl_fp_options;

/* Defaults: HL_FP_FULL, grid 200, whole square, no branch. */
void hl_fp_options_default(hl_fp_options *o);

typedef struct hl_fp hl_fp;

/* Set up the discretised equation for model and D at inverse temperature
 * beta (the linear form and a window are built around the maximum at this
 * beta).  HL_EDOM for bad D, beta or grid, or (linear form / window) when
 * the point given is not a maximum; HL_ENOTFOUND when the branch named does
 * not exist at beta.  *out: hl_fp_free(). */
int hl_fp_create(const hl_model *model, long dim, double beta, const hl_fp_options *opt,
                 hl_fp **out);
void hl_fp_free(hl_fp *fp);

/* The Gaussian (eq 5.8) the linear form or window is built on; NULL if none. */
const hl_gaussian *hl_fp_gaussian(const hl_fp *fp);

/* How well the grid resolves the distribution at the set-up beta: *jump =
 * the largest change of ln P_eq between two adjacent cells of one basin
 * (steepest ascent on the grid) where either lies within e^-20 of the
 * basin's peak, at (x, y).  A Gaussian of width sigma on cells of width h
 * gives about 3 h / sigma; the rates' discretisation error grows like its
 * square (at D = 1000, beta = 0.773: jump 3.7 on 400 cells, in-basin rates
 * within 0.6% of the master equation; 7.1 on 200 cells, 3%; 14 on 100,
 * 11%).  hl_fp_create refuses (HL_ERANGE, naming the grid needed) when it
 * exceeds HL_FP_JUMP_MAX; above HL_FP_JUMP_WARN the results carry a few
 * per cent of discretisation error. */
#define HL_FP_JUMP_MAX 10.0
#define HL_FP_JUMP_WARN 4.0
void hl_fp_resolution(const hl_fp *fp, double *jump, double *x, double *y);

/* The grid: cells per axis, domain [s_lo, s_hi] x [d_lo, d_hi], active cells. */
void hl_fp_grid(const hl_fp *fp, long *n, double *s_lo, double *s_hi, double *d_lo,
                double *d_hi, long *active);

typedef struct {
    double resolution;  /* rates below this are round-off (NaN)            */
    long cells;         /* active cells                                    */
    int tunnelling_exact; /* 1: rates[1] is the tunnelling rate from the
                             capacity formula (below the resolution)        */
    double ln_tunnelling; /* its natural log (finite below 1e-308)         */
} hl_fp_spectrum_info;

/* The k slowest relaxation rates of the discretised operator (eq 5.9) at
 * the beta given to hl_fp_create, 0 first, ascending (units of B).
 * Rates below info->resolution are NaN, except the slowest nonzero one of
 * a grid with exactly two basins (steepest ascent of U, named after the
 * maxima of f): it comes from the capacity between the two maxima,
 * lambda = cap (1/pi(A) + 1/pi(B)) with the committor solved by a sparse
 * LU, in log space (relative error ~ the weight of the barrier region). */
int hl_fp_spectrum(hl_fp *fp, int k, double *rates, hl_fp_spectrum_info *info);

typedef struct {
    long steps, factorisations, krylov_iterations;
    double max_sum_error;  /* max |sum q - 1| over the outputs             */
    double min_q;          /* smallest cell probability seen               */
} hl_fp_info;

/* Evolve the cell probabilities under protocol p from start (as in
 * evolve.h: HL_START_BASIN puts the mass at the named maximum of the first
 * beta, split over the four nearest cell centres so that the mean is exact;
 * HL_START_INFINITE_T and HL_START_EQUILIBRIUM use the continuum weights
 * exp(D w) and exp(D (w - beta phi)); HL_START_CLASSES deposits the class
 * distribution (index a (h+1) + b) the same way) and report the same
 * observables as hl_evolve at each of times[0..n_times-1]: means of x, y,
 * phi, w, the free energy <phi> + (T/D) sum q ln(q/W) with W = exp(D w) (D/4)^2
 * times the cell area, and the basin populations (steepest ascent of U on
 * the grid, named after the maxima of f at the current beta).
 * q_out (optional, n_times x n^2, index i_s n + i_d): the cell
 * probabilities.  The linear form needs a fixed beta (HL_EDOM otherwise;
 * a constant protocol of any number of rows is one).  Any output time,
 * however long, gives the right state or HL_ENOCONV (hl_evolve: slow modes,
 * exact relaxation of the slowest).
 * rtol: 0 for 1e-8.  HL_EDOM for mass outside a window's domain. */
int hl_fp_evolve(hl_fp *fp, const hl_protocol *p, const hl_evolve_start *start,
                 const double *times, size_t n_times, double rtol, hl_evolve_point *points,
                 double *q_out, hl_fp_info *info);

/* ------------------------------------------- k block magnetisations */

/* The Fokker-Planck equation of the model of k blocks (blocks.h), k <= 3:
 * eq 5.9 in the block magnetisations m_1 .. m_k on the cube [-1, 1]^k,
 *
 *   dq/dt = sum_i d_i [K_i (d_i q - q d_i U)],
 *   K_i = (2 B / D_i) sqrt(1 - m_i^2),   U = D (w(m) - beta phi(m)),
 *
 * the Kramers-Moyal limit of the class-lattice master equation of
 * hl_blocks_chain (a move changes m_i by 2 / D_i at the rate of eq 5.2;
 * for k = 2 equal blocks, m1 = s, m2 = d, K_i = (4 B / D) sqrt(1 - m_i^2):
 * the equation above).  The same discretisation as above: grid^k cells
 * (cell-centred finite volumes, block k's axis fastest, as the classes),
 * Scharfetter-Gummel fluxes with B(m, T) and K at the face, ln pi = U at
 * the cell centre; no flux through the faces of the cube.
 *
 * The result is a reversible chain (chain.h) at this beta: state = cell,
 * entropy U, energy 0, edge ln A = ln(K / h^2) + ln((z/2) / sinh(z/2)),
 * z = the change of U across the face, energy 0; so every solve of chain.h
 * (spectrum, slow_rates with the tunnelling rate however small, mfpt,
 * committor, evolve) applies, with times in units of 1/B.  For k = 2 equal
 * blocks its rates are those of hl_fp_spectrum (full form, whole square).
 *
 * grid: cells per axis, HL_FP_GRID_MIN .. HL_FP_GRID_MAX, grid^k <=
 * HL_FP_BLOCKS_CELLS_MAX.  info (optional): the grid's resolution as
 * hl_fp_resolution (the largest change of U between adjacent cells of one
 * basin of steepest ascent within e^-20 of its peak, and where, as m).
 * HL_EINVAL for a NULL argument or k > HL_FP_BLOCKS_MAX; HL_EDOM for a
 * bad beta or grid, a B not positive and finite at a face (naming it);
 * HL_ERANGE when the grid does not resolve the distribution (jump above
 * HL_FP_JUMP_MAX, naming the grid needed) or phi is not finite; HL_ENOMEM.
 * *out: hl_chain_free. */
#define HL_FP_BLOCKS_MAX 3
typedef struct hl_blocks hl_blocks; /* blocks.h (hyperland.h includes this header first) */
typedef struct hl_chain hl_chain;   /* chain.h */
#define HL_FP_BLOCKS_CELLS_MAX 4000000L
typedef struct {
    long grid, cells;
    double max_ln_jump;             /* as hl_fp_resolution              */
    double jump_m[HL_FP_BLOCKS_MAX]; /* where (m of the higher cell)     */
    const char *method;  /* hl_fp_blocks_evolve: the integrator that ran last
                            ("krylov" or "cvode", a library string); NULL
                            from hl_fp_blocks_chain                         */
    /* the domain and the maximum (hl_fp_blocks_chain_opt; the whole cube
       and no maximum otherwise) */
    double lo[HL_FP_BLOCKS_MAX], hi[HL_FP_BLOCKS_MAX]; /* domain per axis */
    long active;                     /* cells kept (the chain's states)  */
    char branch[16];                 /* the maximum's name, "" if none   */
    double max_m[HL_FP_BLOCKS_MAX];  /* its position                     */
} hl_fp_blocks_info;
int hl_fp_blocks_chain(const hl_blocks *b, double beta, long grid, hl_chain **out,
                       hl_fp_blocks_info *info);

/* The options of the 2-D equation (hl_fp_options) for k blocks: the form,
 * a window around one maximum, its basin or its basin's concave core.
 *   form      HL_FP_FULL; or HL_FP_LINEAR: U = -D dm^T E dm around the
 *             maximum (E of hl_blocks_gaussian: eqs 5.7, 5.8) and K_i frozen
 *             at the maximum, K_i = (2 B(m*, T) / D_i) sqrt(1 - m*_i^2): an
 *             Ornstein-Uhlenbeck process whose exact rates are the sums
 *             n_1 lambda_1 + ... + n_k lambda_k of hl_blocks_ou;
 *   branch    the maximum of f at beta by name (hl_blocks_name_maxima:
 *             "liquid", "crystal", "branch-3", ...); or with use_point the
 *             maximum nearest (in m) to at[0 .. k-1];
 *   window    > 0: the domain is the box m*_i +- window sigma_i (sigma_i^2
 *             the variance of m_i in the Gaussian of hl_blocks_gaussian),
 *             clipped to the cube, with reflecting walls; 0: the cube;
 *             with a protocol whose beta changes, the smallest box that
 *             holds the window of EVERY maximum of f at every temperature
 *             the protocol visits (T sampled at HL_FP_PROTOCOL_SAMPLES
 *             points from its lowest to its highest, ends included: the
 *             maxima move, and the distribution with them, or across to
 *             another one), with the window of the chosen maximum at beta;
 *             HL_ENOTFOUND where f has no maximum at a sampled T;
 *   in_basin  HL_FP_BASIN: only the cells whose steepest ascent of U (on
 *             the grid) ends nearest (in m) to that maximum; HL_FP_CORE:
 *             of those only the part where f is concave (the Hessian of
 *             f in m negative definite at the cell centre) connected to
 *             the basin's highest cell; reflecting walls.
 * For k = 2 equal blocks (m1 = s, m2 = d) the grid, the cells kept and so
 * the rates are those of hl_fp_create with the same options. */
typedef struct {
    int form;                  /* HL_FP_FULL or HL_FP_LINEAR                 */
    long grid;                 /* cells per axis                             */
    const char *branch;        /* NULL: use at (use_point)                   */
    int use_point;
    double at[HL_FP_BLOCKS_MAX];
    double window;             /* standard deviations; 0: the whole cube     */
    int in_basin;              /* 0, HL_FP_BASIN or HL_FP_CORE               */
    const hl_protocol *protocol; /* NULL, or the protocol the grid must
                                    cover (full form, no basin, when beta
                                    changes): a window as below, and the
                                    resolution check at every row's T
                                    (HL_ERANGE naming it)                   */
} hl_fp_blocks_options;

#define HL_FP_PROTOCOL_SAMPLES 64
/* Defaults: HL_FP_FULL, grid 200 (40 for k = 3 is the CLI's), the whole
 * cube, no maximum, no protocol. */
void hl_fp_blocks_options_default(hl_fp_blocks_options *o);

/* hl_fp_blocks_chain with options: the chain on the cells kept (state j of
 * the chain is the j-th kept cell in cell order).  The grid has opt->grid
 * cells per axis over info->lo .. info->hi (cell centres lo_a + (i_a +
 * 1/2) (hi_a - lo_a) / grid).  state (optional, grid^k entries,
 * caller-owned): the chain state of each cell, -1 where the cell is not
 * kept.  The resolution check and info as hl_fp_blocks_chain, over the
 * kept cells.  Errors as hl_fp_blocks_chain, and HL_EINVAL for a form,
 * in_basin or window that is not one of the above or a maximum that is
 * not given (linear form, window, basin); HL_ENOTFOUND for a branch f
 * does not have at beta (or no maximum at all), HL_EDOM for a maximum
 * whose Hessian is not negative definite, HL_ENOTFOUND when its basin
 * holds fewer than two cells; HL_EDOM when f is not concave at the
 * maximum's cell (core). */
int hl_fp_blocks_chain_opt(const hl_blocks *b, double beta, const hl_fp_blocks_options *opt,
                           hl_chain **out, long *state, hl_fp_blocks_info *info);


/* Time evolution of the same equation: the cell probabilities q (grid^k
 * entries, cell order as above) under dq/dt = L(beta(t)) q, L the chain of
 * hl_fp_blocks_chain at beta(t), from a start, reported at each output time
 * as hl_fp_evolve reports the 2-D equation (for k = 2 equal blocks its
 * numbers, with m1 = s = x + y, m2 = d = x - y).
 *
 * Integrators (no solver of its own): at a fixed beta (one row, or rows
 * all with the same value) the chain's plan and hl_chain_evolve (the
 * shift-and-invert Krylov exponential, long times through the slowest
 * mode); under a protocol whose beta changes, hl_chain_evolve_protocol_rebuild
 * with the chain rebuilt at every beta the integrator visits (CVODE BDF
 * while beta changes; the Scharfetter-Gummel factors, and B(m, T) when it
 * depends on T, are not of the form s - beta e).  The grid's resolution is
 * checked at beta(0) only (as the 2-D equation: HL_ERANGE, naming the grid
 * needed). */

/* Starts.  kind as evolve.h's HL_START_* plus HL_FP_START_POINT:
 *   HL_START_BASIN       the maximum of f = w - beta phi named basin at
 *                        beta(0) (hl_blocks_maxima_at, hl_blocks_name_maxima:
 *                        "liquid", "crystal", "branch-3", ...);
 *   HL_FP_START_POINT    the point m (k entries, in [-1, 1]^k);
 *                        both put the mass on the 2^k cell centres around
 *                        the point with multilinear weights, so that the
 *                        mean is the point (clamped to the outer centres
 *                        within half a cell of a face);
 *   HL_START_INFINITE_T  q ~ exp(D w)  (the continuum weight of W);
 *   HL_START_EQUILIBRIUM q ~ exp(D (w - beta phi)) at start.beta;
 *   HL_START_CLASSES     a distribution over the classes of b (blocks.h:
 *                        hl_blocks_n_classes entries in class order, >= 0,
 *                        normalised here), each class's weight put at its m
 *                        as a point. */
enum { HL_FP_START_POINT = 16 };
typedef struct {
    int kind;
    const char *basin;          /* HL_START_BASIN                          */
    double beta;                /* HL_START_EQUILIBRIUM                    */
    const double *q;            /* HL_START_CLASSES (borrowed)             */
    double m[HL_FP_BLOCKS_MAX]; /* HL_FP_START_POINT                       */
} hl_fp_blocks_start;

/* A basin of U on the grid at the point's beta: the cells whose steepest
 * ascent of U (hl_kgrid order) ends at a grid maximum, named after the
 * maximum of f nearest to that end (in m); ends with one name form one
 * basin ("none" when f has no maximum). */
#define HL_FP_BLOCKS_BASINS 16
typedef struct {
    char name[16];
    double probability;          /* sum of q over its cells (entries below
                                    0, within the tolerance, count 0)      */
    double m[HL_FP_BLOCKS_MAX];  /* the cell of largest U in it            */
} hl_fp_blocks_basin;

typedef struct {
    double t, beta;
    double mean_m[HL_FP_BLOCKS_MAX]; /* <m_i> over the cell centres         */
    double mean_x, mean_y;   /* k = 2 equal blocks: (<m1> +- <m2>) / 2; else NaN */
    double mean_phi;         /* <phi> (per dimension)                       */
    double mean_w;           /* <ln W> / D with ln W of a cell = D w at its
                                centre + ln of the classes it holds,
                                sum_i ln(D_i h / 2)                         */
    double free_energy;      /* <phi> + (T/D) sum q ln(q / W)               */
    double sum_error;        /* |sum q - 1|                                 */
    double min_q;            /* the smallest cell probability               */
    int n_basins;            /* "liquid" and "crystal" first when present,
                                then the others in the order of
                                hl_blocks_name_maxima; at most
                                HL_FP_BLOCKS_BASINS                         */
    hl_fp_blocks_basin basins[HL_FP_BLOCKS_BASINS];
} hl_fp_blocks_point;

/* Evolve from start under protocol p (protocol.h; a fixed beta is a
 * one-row protocol) on grid cells per axis and report points[0 ..
 * n_times-1] at times (>= 0, strictly increasing).  rtol: 0 for 1e-8 (the
 * integrators' relative tolerance, absolute tolerance rtol 1e-4 / cells).
 * q_out (optional): n_times x grid^k cell probabilities, caller-owned.
 * info (optional): the grid and its resolution at beta(0) and the
 * integrator that ran (info->method).
 * Errors: HL_EINVAL for NULL arguments, more than HL_FP_BLOCKS_MAX blocks
 * or an unknown start kind; HL_EDOM for a bad grid, rtol, times or start
 * (a point outside the cube, a negative or empty class distribution or one
 * of another length is the caller's; a start beta not in (0, 1e6]), a B
 * not positive and finite at a face (checked before any work at the
 * temperature of every row of the protocol, then at every beta the
 * integrator visits); HL_ENOTFOUND for a
 * start basin that f does not have at beta(0); HL_ERANGE when the grid
 * does not resolve the distribution at beta(0) or at the T of any row of
 * the protocol (the message names it), or a rate overflows;
 * HL_ENOCONV from the integrators; HL_ENOMEM. */
int hl_fp_blocks_evolve(const hl_blocks *b, long grid, const hl_protocol *p,
                        const hl_fp_blocks_start *start, const double *times, size_t n_times,
                        double rtol, hl_fp_blocks_point *points, double *q_out,
                        hl_fp_blocks_info *info);

/* The same with the options of hl_fp_blocks_chain_opt (the linear form, a
 * window, a basin or its core, built around the maximum at beta(0)): with
 * the linear form or a basin the protocol must keep beta fixed (HL_EDOM
 * otherwise); a window under a protocol that changes beta covers it
 * (opt->protocol is taken as p: the windows of every maximum at every T it
 * visits); a start must lie
 * in the domain and on the cells kept (HL_EDOM), the equilibrium starts
 * are cut to them; q_out holds 0 on the cells not kept; info also gives
 * active, branch and max_m.  Errors as above and as
 * hl_fp_blocks_chain_opt. */
int hl_fp_blocks_evolve_opt(const hl_blocks *b, const hl_fp_blocks_options *opt,
                            const hl_protocol *p, const hl_fp_blocks_start *start,
                            const double *times, size_t n_times, double rtol,
                            hl_fp_blocks_point *points, double *q_out, hl_fp_blocks_info *info);

#endif
