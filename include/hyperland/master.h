/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * master.h -- the master equation of sections III and V (eqs 3.2-3.12,
 * 5.1-5.6) on the hypercube: generators and relaxation spectra.
 *
 * Rates (eq 5.2): L(j -> i) = B(x_ji, y_ji, T) exp(beta (Phi_j - Phi_i)/2),
 * B at the mean order parameters of the two states (eq 5.1), T = 1/beta.
 * Two state spaces: the full hypercube (2^D vertices, single spin flips) and
 * the contracted classes (n, n1) of eq 5.6 (with multiplicities).  Both are
 * kept in symmetrised form S = P^{-1/2} L P^{1/2} (P the equilibrium
 * weights, eqs 3.4, 3.10): symmetric, negative semidefinite, with the
 * relaxation rates (eigenvalues of eqs 3.6 and 3.11) as -eig(S).  Time is in
 * units of 1/B.
 */
#ifndef HYPERLAND_MASTER_H
#define HYPERLAND_MASTER_H

#include <stddef.h>
#include "hyperland/model.h"
#include "hyperland/evolve.h"

#define HL_FULL_DIM_MAX 24L   /* 2^24 vertices */
#define HL_DENSE_MAX 4096L    /* states for dense LAPACK eigenproblems */

enum { HL_CONTRACTED = 0, HL_FULL = 1 };

typedef struct hl_generator hl_generator;

/* Build the symmetrised generator at (D, beta) for kind HL_CONTRACTED
 * (D even, 2..1e6 subject to memory: 3 doubles per class) or HL_FULL
 * (D even, 2..HL_FULL_DIM_MAX; stored as one diagonal and the class
 * couplings, applied matrix-free).  HL_EDOM for bad D or beta, HL_ERANGE
 * when the rates overflow a double or the state space is too large (the
 * message says how much memory it would need). */
int hl_generator_create(const hl_model *model, long dim, double beta, int kind,
                        hl_generator **out);
void hl_generator_free(hl_generator *g);

/* Number of states: (D/2+1)^2 contracted, 2^D full. */
long hl_generator_size(const hl_generator *g);
int hl_generator_kind(const hl_generator *g);

/* The class (n, n1) of state i. */
void hl_generator_class_of(const hl_generator *g, long i, long *n, long *n1);

/* ln of the unnormalised equilibrium weight of every state: ln W(n, n1) -
 * beta Phi for classes, -beta Phi for vertices.  buf: caller-owned, size
 * states. */
void hl_generator_ln_weights(const hl_generator *g, double *buf);

/* y = S x (symmetrised generator, eq 3.12 / 3.7 scaled).  x, y: size
 * states, caller-owned, not aliased. */
void hl_generator_apply(const hl_generator *g, const double *x, double *y);

/* The dense matrix -S (row-major, states^2 doubles, caller-owned); only for
 * states <= HL_DENSE_MAX, else HL_ERANGE. */
int hl_generator_dense(const hl_generator *g, double *buf);

/* --------------------------------------------------------------- spectrum */

enum { HL_SPECTRUM_SEPARABLE = 1, HL_SPECTRUM_DENSE = 2, HL_SPECTRUM_ARNOLDI = 4,
       HL_SPECTRUM_LANCZOS = 5 };

/* Most classes for the sparse shift-invert eigensolver (D up to ~4000;
 * the CHOLMOD factor of the class lattice then takes a few GB). */
#define HL_SPARSE_MAX 4200000L

typedef struct {
    int method;         /* HL_SPECTRUM_*                                   */
    double resolution;  /* absolute error bound of the rates (dense,
                           Arnoldi, Lanczos): a rate below it (or with a
                           relative error above HL_SPECTRUM_MAX_REL_ERROR)
                           is NaN; 0 for the separable method, whose rates
                           carry a relative error bound (rel_error) however
                           small they are                                  */
    double rel_error;   /* the largest relative error bound of the nonzero
                           rates returned (not NaN); per rate: rel_err of
                           hl_spectrum_ex                                  */
    const char *null_reason; /* why rates are NaN (static string), or NULL
                                when none is                              */
    long states;
    int tunnelling_exact; /* 1: rates[1] came from hl_tunnelling_ln_rate;
                             2: from the capacity between the two basins'
                             deepest classes (D > HL_PASSAGE_GENERAL_DIM_MAX;
                             relative error ~ the weight of the barrier
                             region)                                      */
} hl_spectrum_info;

/* The k slowest relaxation rates (eigenvalues of eq 3.11, or 3.6 with
 * HL_FULL), 0 first, in units of B, ascending; also their natural logs
 * (ln_rates[0] = -inf for the exact 0), finite even below 1e-308.
 *
 * Methods: for the paper's phi with B = 1 the contracted generator is the
 * sum of two independent birth-death chains; each chain's -S is G^T G with
 * G bidiagonal (entries the square roots of the rates), whose singular
 * values LAPACK's dqds (dbdsqr without vectors) gives to high relative
 * accuracy (chains of up to 2000 bonds; longer ones: bisection on the
 * Golub-Kahan form, which keeps that accuracy at O(N) per step); the
 * slowest rate, when below the range dqds can carry in doubles, comes from
 * an inverse iteration with the chain's Cholesky factor in log space.
 * info->resolution is 0 there: the rates carry relative error bounds
 * (rel_err of hl_spectrum_ex), not an absolute floor.  A rate neither
 * reaches (chains whose rates span more than e^1200, e.g. beta >~ 90 at
 * the paper's phi; e^700 beyond D = 4000) is NaN with info->null_reason.
 * Otherwise a dense symmetric eigensolver (LAPACK dsyevr) for up to
 * HL_DENSE_MAX states, resolution 2 n eps |S|_inf (Householder backward
 * error), and beyond that (contracted only, up to HL_SPARSE_MAX classes)
 * ARPACK in shift-invert mode with a CHOLMOD sparse Cholesky factor of the
 * class lattice (fill-reducing ordering; the rates are then polished as
 * Rayleigh quotients in Dirichlet form; resolution: gridchain.h).  The
 * full hypercube beyond the dense limit (13 <= D <= 24): ARPACK Lanczos in
 * regular mode on the matrix-free generator.  Rates of these methods whose
 * error bound info->resolution exceeds HL_SPECTRUM_MAX_REL_ERROR of them
 * are NaN (info->null_reason), except the slowest one of a two-basin
 * contracted chain: hl_tunnelling_ln_rate gives it exactly for D <=
 * HL_PASSAGE_GENERAL_DIM_MAX, and beyond that the capacity between the
 * basins' deepest classes (info->tunnelling_exact).
 * With vectors the separable method is not used (it has no vectors): rates
 * and vectors come from the dense or Arnoldi method with its resolution.
 * vectors (optional, states x k, row-major: vectors[i k + q], caller-
 * owned): the slow eigenvectors of S (dense and Arnoldi methods). */
int hl_spectrum(const hl_model *model, long dim, double beta, int kind, int k,
                double *rates, double *ln_rates, double *vectors,
                hl_spectrum_info *info);

/* The name of a spectrum method (HL_SPECTRUM_*: "separable-chains",
 * "dense", "arnoldi-shift-invert", "lanczos-matrix-free"; the names the
 * CLI prints), and in words the resolution it guarantees; NULL for an
 * unknown method.  Static strings. */
const char *hl_spectrum_method_name(int method);
const char *hl_spectrum_method_resolution(int method);

/* A rate whose error bound exceeds this fraction of it is not resolved
 * (NaN): it would carry no correct digit. */
#define HL_SPECTRUM_MAX_REL_ERROR 0.1

/* hl_spectrum with rel_err (optional, caller-owned, k doubles): a bound on
 * the relative error of each rate (0 for the exact 0, NaN where the rate is
 * NaN).  Separable method: 2 [(2N - 1) eta + 8 N eps] with N = D/2 + 1 and
 * eta the relative error of the chain's entries (from the rounding of
 * beta D (phi_j - phi_i) / 2 and of exp), the perturbation bound of
 * bidiagonal singular values; the slowest rate, when it comes from the
 * log-space iteration, that plus the accumulated rounding of its logs.
 * Dense, Arnoldi, Lanczos: resolution / rate.  An exact tunnelling rate
 * (tunnelling_exact 1) gets the graph transformation's 1e-10, the capacity
 * (2) NaN (an estimate, not a bound; see above). */
int hl_spectrum_ex(const hl_model *model, long dim, double beta, int kind, int k,
                   double *rates, double *ln_rates, double *rel_err, double *vectors,
                   hl_spectrum_info *info);

/* --------------------------------------------------------- first passage */

typedef struct {
    double ln_mfpt;       /* natural log of the mean first-passage time     */
    double mfpt;          /* in units of 1/B; +inf when above DBL_MAX        */
    long from_n, from_n1; /* start: the class at the local maximum of ln Q_eq
                             of the 'from' basin                             */
    long target_classes;  /* classes of the 'to' basin (absorbing)           */
    int method;           /* HL_SPECTRUM_SEPARABLE or HL_PASSAGE_ELIMINATION */
} hl_passage;

enum { HL_PASSAGE_ELIMINATION = 3 };

/* Largest D of the exact tunnelling rate (banded reduction) and of the
 * spectrum methods that use it. */
#define HL_PASSAGE_GENERAL_DIM_MAX 300L
/* Largest D of the general (graph-transformation) mean first-passage time
 * and committor (a sparse elimination in minimum-degree order: about 1 GB
 * at D = 2000). */
#define HL_PASSAGE_DIM_MAX 2000L

/* Mean first-passage time of the contracted chain (eq 5.6 rates) from the
 * maximum class of basin 'from' to the first class of basin 'to' (basins as
 * in exact.h: steepest ascent of ln Q_eq, named after the maxima of f).
 * Exact for the chain and carried in log space, so times above 1e300 keep
 * their accuracy (ln_mfpt).  For the paper's phi with B = 1 the basins
 * depend on b = n - n1 only and the time is a closed-form sum over the b
 * chain; otherwise the absorbing chain is solved by graph transformation
 * (a sparse GTH elimination in minimum-degree order: only sums and
 * products of positive numbers, with an unlimited exponent) for D <=
 * HL_PASSAGE_DIM_MAX; HL_ERANGE above.  HL_ENOTFOUND if either basin does
 * not exist at this beta and D. */
int hl_mfpt(const hl_model *model, long dim, double beta, const char *from,
            const char *to, hl_passage *out);

/* The committor of every class: q = probability to reach the 'to' basin
 * before the start class of 'from' (q = 1 on the 'to' basin, 0 at the
 * start), by the same graph transformation (D <= HL_PASSAGE_DIM_MAX, any
 * phi and B; q near 0 keeps its relative accuracy).  ln_q: caller-owned,
 * (D/2+1)^2 entries, index a (h+1) + b with a = n1, b = n - n1 (ln_q =
 * -inf at the start).  out: the start class and target size. */
int hl_committor(const hl_model *model, long dim, double beta, const char *from,
                 const char *to, double *ln_q, hl_passage *out);

/* The method of a first-passage result and its resolution. */
typedef struct {
    const char *method; /* static string: "separable-chain" (the closed-form
                           sum of hl_mfpt), "graph-transformation" or
                           "sparse-direct" (rpassage methods on the class
                           lattice)                                          */
    double resolution;  /* relative accuracy of the values: the mfpt (and
                           each committor) has relative error <= resolution
                           (graph transformation: 4 eps (2 height + 8), a
                           bound; sparse direct: eps / rcond, CHOLMOD's
                           condition estimate; separable: 4 eps (2 N + 8)
                           times the largest |ln| term of the sum); NaN when
                           unknown                                           */
} hl_passage_info;

/* hl_mfpt with the method named (NULL: as hl_mfpt, the separable sum for
 * the paper's phi with B = 1, else graph transformation;
 * "graph-transformation" or "sparse-direct": that method on the class
 * lattice for any phi, D <= HL_PASSAGE_DIM_MAX; "separable-chain": only for
 * the paper's phi with B = 1) and the method used and its resolution in
 * info (optional).  Errors: those of hl_mfpt; HL_EINVAL for an unknown
 * method, HL_ERANGE when the named method does not apply.  A value whose
 * digits the sparse-direct method lost is NaN (ln_mfpt NaN), never 0. */
int hl_mfpt_by(const hl_model *model, long dim, double beta, const char *from,
               const char *to, const char *method, hl_passage *out, hl_passage_info *info);

/* hl_committor with the method named (NULL or "graph-transformation":
 * graph transformation; "sparse-direct": CHOLMOD) and reported in info
 * (optional).  Errors as hl_mfpt_by. */
int hl_committor_by(const hl_model *model, long dim, double beta, const char *from,
                    const char *to, const char *method, double *ln_q, hl_passage *out,
                    hl_passage_info *info);

/* The slowest nonzero relaxation rate (tunnelling between two basins) of
 * the contracted chain, exactly and in log space, for any phi and B (D <=
 * HL_PASSAGE_GENERAL_DIM_MAX): the Schur complement of -L - lambda onto the
 * deepest class of each basin, formed by graph transformation with only
 * sums of positive terms, vanishes at lambda = k_ab/g_a + k_ba/g_b, iterated
 * to a fixed point.  Exact when the rate lies below the relaxation rates
 * inside the basins (metastability); else HL_ENOCONV.  HL_ENOTFOUND with a
 * single basin, HL_ERANGE with more than two. */
int hl_tunnelling_ln_rate(const hl_model *model, long dim, double beta, double *ln_rate);

/* ------------------------------------------------------ in-basin kinetics */

/* The contracted chain (eq 5.6) restricted to one basin (steepest ascent of
 * ln Q_eq, named after the maxima of f, as in exact.h) with reflecting
 * walls: the rates that leave the basin are dropped, which keeps detailed
 * balance with Q_eq restricted to the basin.  Its spectrum is the in-basin
 * relaxation without the tunnelling mode.  With core = 1 the chain is cut
 * further to the basin's concave core: the classes where f = w - beta phi
 * is strictly concave (Q_eq log-concave), connected to the maximum.  The
 * core carries exactly the in-basin modes of the Gaussian / Fokker-Planck
 * theory (eqs 5.7-5.11); the rest of the basin adds modes localised at the
 * saddle (rates of the order of its unstable eigenvalue, for every D),
 * which the reflecting wall at the divide shifts.  Any phi and B; (D/2+1)^2
 * classes with a sparse Cholesky factor (D up to a few thousand). */

/* The k slowest rates of the restricted chain, 0 first (units of B).
 * *resolution (optional): rates below it are round-off (NaN).
 * HL_ENOTFOUND if the basin does not exist at (D, beta). */
int hl_basin_spectrum(const hl_model *model, long dim, double beta, const char *basin,
                      int core, int k, double *rates, double *resolution);

/* Evolve the restricted chain at fixed beta from start (HL_START_CLASSES:
 * mass on the basin only, HL_START_TILTED: the restricted equilibrium
 * tilted by the field) and write the means of x and y at times[0..n_times-1]
 * (caller-owned).  HL_EDOM if a class start has mass outside the basin.
 * rtol: 0 for 1e-8. */
int hl_basin_evolve(const hl_model *model, long dim, double beta, const char *basin,
                    int core, const hl_evolve_start *start, const double *times,
                    size_t n_times, double rtol, double *mean_x, double *mean_y);

#endif
