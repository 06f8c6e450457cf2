/* gridchain.h -- reversible nearest-neighbour chains on a rectangular grid
 * (private to the library).
 *
 * Two of hyperland's kinetic models are such chains: the contracted master
 * equation (eq 5.6) on the class lattice (a, b) = (n1, n - n1), and the
 * finite-volume (Scharfetter-Gummel) discretisation of the Fokker-Planck
 * equation (eq 5.9) on a grid in (s, d) = (x + y, x - y).  Both move one
 * step along one axis at a time and obey detailed balance with respect to
 * a known weight pi, so both are described by
 *
 *   ln pi[i]  the unnormalised stationary weight of cell i,
 *   ln c[i]   the symmetric conductance of an edge, c = sqrt(k(i->j) k(j->i)),
 *
 * with the rates k(i -> j) = c_ij sqrt(pi_j / pi_i).  The symmetrised
 * generator S = Pi^{-1/2} L Pi^{1/2} has S_ij = c_ij off the diagonal and
 * S_ii = -sum_j k(i -> j); it is symmetric and negative semidefinite, with
 * the null vector sqrt(pi).  Relaxation rates are the eigenvalues of -S.
 *
 * Cells are numbered i = i1 * n2 + i2 (i1 < n1 along axis 1, i2 < n2 along
 * axis 2).  A cell with ln_pi = -inf is not part of the chain (no edges; its
 * probability stays 0): that is how a chain is restricted to a basin (the
 * walls reflect: edges that leave are cut, which keeps detailed balance).
 */
#ifndef HL_GRIDCHAIN_H
#define HL_GRIDCHAIN_H

#include <stddef.h>
#include "hyperland/evolve.h"

typedef struct {
    long n1, n2;    /* cells along axis 1 and axis 2 (n1, n2 >= 1)          */
    double *ln_pi;  /* n1 n2: ln of the stationary weight; -inf: no cell     */
    double *ln_c1;  /* n1 n2: ln c of the edge i -- i + n2 (axis 1); -inf for
                       i1 = n1 - 1 or no edge                              */
    double *ln_c2;  /* n1 n2: ln c of the edge i -- i + 1 (axis 2); -inf for
                       i2 = n2 - 1 or no edge                              */
} hl_gridchain;

/* Allocate the three arrays (filled with -inf).  HL_ENOMEM naming the size. */
int hl_gridchain_alloc(hl_gridchain *g, long n1, long n2);
void hl_gridchain_free(hl_gridchain *g);

/* Cut every edge that touches a cell with keep[i] == 0 and set those
 * cells' ln_pi to -inf (a reflecting wall around the kept cells). */
void hl_gridchain_restrict(hl_gridchain *g, const unsigned char *keep);

/* The k slowest relaxation rates (eigenvalues of -S), ascending, the
 * exact 0 of the stationary state first (one exact 0 per connected
 * component: the known null vectors sqrt(pi) are deflated).  Method:
 * ARPACK dsaupd/dseupd in shift-invert mode (mode 3) around -sigma with
 * sigma > 0 chosen from the norm of -S, the operator (-S + sigma I)^{-1}
 * applied with a CHOLMOD sparse Cholesky factor (fill-reducing ordering),
 * restricted to the complement of sqrt(pi); small chains: dense (see
 * below).  *resolution (optional): rates below it are round-off and are
 * returned as NaN.  vectors (optional, cells x k, row-major vectors[i k +
 * q], 0 on inactive cells): the eigenvectors of S (unit norm, largest
 * entry positive).  HL_ENOCONV if ARPACK fails, HL_ENOMEM, HL_EDOM for a
 * NaN or +inf ln pi / ln c, HL_ERANGE if a rate overflows. */
int hl_gridchain_spectrum(const hl_gridchain *g, int k, double *rates, double *vectors,
                          double *resolution);

/* What hl_gridchain_spectrum did.  Details of the implementation:
 *  - a chain of several connected components (e.g. after a restriction)
 *    has one exact 0 per component: sqrt(pi) of each component is
 *    deflated, and those zeros (vectors: sqrt(pi) of the component, unit
 *    norm) come first, components ordered by their lowest cell;
 *  - the operator is x -> P (-S + sigma I)^{-1} P x (P: projector on the
 *    complement of the null vectors; CHOLMOD Cholesky factor), with
 *    sigma = 1e3 DBL_EPSILON norm (x 100 while the factor is not positive
 *    definite): the wanted 1/(lambda + sigma) ~ 1/lambda stay apart and
 *    lambda loses nothing to cancellation at any overall rate scale;
 *  - chains of at most hl_gridchain_dense_limit() active cells (or too
 *    small for ARPACK) form that operator explicitly (one solve per cell)
 *    and take LAPACK dsyevr of it, then subspace iteration until the rates
 *    settle; larger chains use ARPACK;
 *  - every rate is then a Rayleigh quotient in Dirichlet form, sum over
 *    edges of c_ij (v_i e^{D/4} - v_j e^{-D/4})^2 (D = ln pi_j - ln pi_i),
 *    after a Rayleigh-Ritz step in that form: no cancellation against the
 *    diagonal, so slow rates are accurate to ~1e-15 relative, not
 *    eps norm / rate (tested to 1e-12 on metastable chains down to 5e-12
 *    with norm 6, and with ln pi spanning 1400, norm 1e15);
 *  - resolution = 100 DBL_EPSILON max_q |v_q|^T |S| |v_q| over the vectors
 *    returned (first-order effect of componentwise relative errors in S;
 *    <= 100 DBL_EPSILON norm, norm = max_i (|S_ii| + sum_j c_ij), the
 *    Gershgorin bound of -S);
 *  - k larger than the chain: rates beyond the chain's size are NaN and
 *    their vector columns 0. */
typedef struct {
    int dense;           /* 1: dense dsyevr of the operator; 0: ARPACK      */
    long cells;          /* active cells                                    */
    long components;     /* connected components (= exact zero rates)       */
    double norm;         /* Gershgorin bound of the spectrum of -S          */
    double sigma;        /* shift of the factor (0 if no rate was computed) */
    long op_applies;     /* operator applications (sparse solves)           */
    long nnz_factor;     /* entries of the Cholesky factor                  */
} hl_gridchain_spectrum_info;

int hl_gridchain_spectrum_ex(const hl_gridchain *g, int k, double *rates, double *vectors,
                             double *resolution, hl_gridchain_spectrum_info *info);

/* The same for the chain with an exit (killing) rate exp(ln_exit[i]) out of
 * cell i besides its moves (ln_exit: n1 n2 entries, -inf for none; NULL:
 * none, = hl_gridchain_spectrum_ex): -S gains diag(exit), which stays
 * symmetric positive semidefinite (definite on a component with an exit).
 * Only components without any exit have an exact 0; the exit rates enter
 * the diagonal of the factor, the norm, and the Dirichlet form as + sum_i
 * exit_i v_i^2 (a sum of positive terms: the rates keep their relative
 * accuracy).  Used for the symmetry sectors of the full hypercube
 * (sectors.c).  HL_EDOM for a NaN or +inf ln_exit, HL_ERANGE if an exit
 * rate overflows. */
int hl_gridchain_spectrum_exit(const hl_gridchain *g, const double *ln_exit, int k,
                               double *rates, double *vectors, double *resolution,
                               hl_gridchain_spectrum_info *info);

/* Largest number of active cells handled by the dense LAPACK path (default
 * 2000).  limit >= 0 sets it (per thread; for tests), limit < 0 only
 * queries; returns the previous value. */
long hl_gridchain_dense_limit(long limit);

/* The slowest nonzero rate of a chain with two metastable basins, in log
 * space and with a small relative error however small it is: the
 * potential-theoretic formula lambda = cap(a, b) (1/pi(A) + 1/pi(B)), with
 * pi(A), pi(B) the weights of the basins (label[i] = 0 or 1 for the active
 * cells) and cap(a, b) the capacity between their cells a and b: the
 * equilibrium flux sum pi_i k(i -> j) (q_j - q_i) of the committor q (q = 0
 * at a, 1 at b, harmonic elsewhere; a sparse LU solve, UMFPACK) across the
 * edges from basin A to basin B, a sum of positive terms near the saddle.
 * Its relative error is of the order of the equilibrium weight of the
 * barrier region relative to the basins (~ exp(-barrier): 3e-7 for a
 * barrier of 16 in ln pi, 6e-9 for 20), so it complements the eigensolvers
 * exactly where they cannot resolve the rate.
 * HL_EINVAL for bad labels or cells, HL_ENOCONV if the solve fails. */
int hl_gridchain_tunnelling(const hl_gridchain *g, const int *label, long a, long b,
                            double *ln_rate);

/* The contracted chain of eq 5.6 at (D, beta) on its class lattice (axis 1 =
 * a = n1, axis 2 = b = n - n1): ln pi = ln W - beta Phi, the conductances of
 * the eq 5.2 rates (basin_kinetics.c).  g is allocated here. */
int hl_class_gridchain(const hl_model *m, long dim, double beta, hl_gridchain *g);

/* Refill g (same n1, n2) for inverse temperature beta: used by
 * hl_gridchain_evolve under a protocol.  Returns HL_OK or an error. */
typedef int (*hl_gridchain_fill_fn)(void *ctx, double beta, hl_gridchain *g);

typedef struct {
    long steps;       /* CVODE steps                                   */
    long factorisations; /* sparse LU factorisations of I - gamma L     */
    long krylov_iterations;
    double max_sum_error; /* max |sum P - 1| over the output times      */
    double min_p;     /* most negative entry seen at the output times   */
    long fills;       /* calls of fill                                 */
    long rhs_evals;   /* right-hand sides L P (CVODE)                  */
    long jtimes;      /* products L v for GMRES                         */
    long prec_solves; /* preconditioner solves (UMFPACK)                */
    double rtol, atol; /* tolerances used                               */
    int method;       /* HL_GRIDCHAIN_KRYLOV or HL_GRIDCHAIN_CVODE      */
} hl_gridchain_evolve_info;

enum { HL_GRIDCHAIN_CVODE = 0, HL_GRIDCHAIN_KRYLOV = 1 };

/* Integrate the master equation dP/dt = L(beta(t)) P of the chain from p0
 * (n1 n2 entries, >= 0, summing to 1; 0 on cells with ln_pi = -inf) and
 * write P at times[0..n_times-1] (>= 0, increasing) into p_out (n_times x
 * n1 n2, caller-owned).  Under a protocol whose beta changes, fill is
 * called whenever beta(t) is needed at a new t (at least once, with
 * beta(0)), up to the settling time tc (hl_protocol_settle_time) by CVODE;
 * from tc on, beta is fixed and the evolution is that of a fixed beta from
 * the state at tc.  With a fixed beta (a one-row protocol, or any constant
 * one) fill may be NULL and g is used as given (if given, fill is called
 * once, with that beta).
 * Fixed beta and long times: when the last time is beyond 1e8 / |L|, the
 * integrators run to the switch time of the slow modes only, and the
 * slowest mode relaxes exactly after it (hl_gridchain_relax); see
 * "arbitrarily long times" below.
 * Method at a fixed beta: P(t) = pi + exp(t L)(p0 - pi) in the shift-and-
 * invert Krylov space of (I - gamma L)^{-1}, gamma = t_last / 10 (one
 * UMFPACK LU for all output times; every Krylov vector has zero sum, so
 * sum P is kept to round-off), grown until every output moves by less
 * than rtol / 10; if that fails within 160 vectors or gives a vector that
 * is not a probability vector within 10 rtol, and under a protocol:
 * SUNDIALS CVODE, BDF, Newton with GMRES (exact products L v; the
 * environment variable HL_GRIDCHAIN_CVODE forces this path, for tests and
 * benchmarks),
 * preconditioned by a sparse LU (UMFPACK, METIS ordering) of I - gamma L
 * that is reused while beta is unchanged and gamma within a factor 2 of
 * the factored one.  L P is evaluated in flux form (each edge's net flux
 * is subtracted from one cell and added to the other), which keeps sum P
 * to round-off even for steps h ~ 1e8.  rtol: relative tolerance (0: 1e-8);
 * absolute tolerance rtol * 1e-4 / cells.  Probability is conserved to
 * round-off (the columns of L sum to zero).  HL_ENOCONV if CVODE fails or
 * an output has |sum P - 1| or negative entries beyond 10 rtol.
 * p may be NULL (fixed beta, g as given, fill not called).  The set of
 * cells (ln_pi > -inf) must not change under fill (HL_EINVAL); the
 * unknowns are those cells only.  times strictly increasing; p0 must sum
 * to 1 within 1e-9 (HL_EDOM); a rate exp(ln c + d ln pi / 2) that
 * overflows gives HL_ERANGE.  info (optional). */
int hl_gridchain_evolve(hl_gridchain *g, hl_gridchain_fill_fn fill, void *ctx,
                        const hl_protocol *p, const double *p0, const double *times,
                        size_t n_times, double rtol, double *p_out,
                        hl_gridchain_evolve_info *info);

/* ------------------------------------------------- arbitrarily long times
 *
 * At a fixed beta, P(t) = pi + sum_k exp(-lambda_k t) c_k phi_k.  With
 * lambda_1 the slowest nonzero rate and lambda_2 the next one, every mode
 * but the slowest has decayed below e^-40 of the start's deviation
 * ||P(0) - pi||_{1/pi} (which bounds the 1-norm) after
 *
 *   T_switch = (40 + max(0, ln ||P(0) - pi||_{1/pi})) / lambda_2,
 *
 * and from then on P(T_switch + tau) = pi + exp(-lambda_1 tau) (P(T_switch)
 * - pi) to round-off: a convex combination of P(T_switch) and pi, so sums,
 * signs and means stay exact at any tau, and the error of P(T_switch) is
 * not amplified.  lambda_1 must carry a small relative error however small
 * it is: the Dirichlet-form Rayleigh quotient of hl_gridchain_spectrum,
 * or, below its resolution, the capacity formula (hl_gridchain_tunnelling)
 * between the two steepest-ascent basins of ln pi.  pi: the stationary
 * state with the mass P gives each connected component. */
typedef struct {
    long n;            /* cells n1 n2                                        */
    long components;   /* connected components (exact zero rates)            */
    long *comp;        /* n: component of a cell, -1 off the chain           */
    double *ln_pin;    /* n: ln pi normalised on its component               */
    double lambda1;    /* slowest nonzero rate; INFINITY if none (nothing
                          moves); NAN if no method resolves it; may be 0
                          when it underflows (then ln_lambda1 is finite)     */
    double ln_lambda1; /* its natural log; NAN if unresolved                 */
    double lambda2;    /* the next one; INFINITY if none; NAN if unresolved  */
    double resolution; /* of the eigensolver (rates below it are unresolved) */
    int tunnelling;    /* 1: lambda1 from the capacity formula               */
} hl_gridchain_slow;

/* The slowest two nonzero rates of g and its components.  Release with
 * hl_gridchain_slow_free.  HL_ENOMEM, or the errors of the eigensolver. */
int hl_gridchain_slow_rates(const hl_gridchain *g, hl_gridchain_slow *s);
void hl_gridchain_slow_free(hl_gridchain_slow *s);

/* T_switch for the state q (n cells, 0 off the chain); NAN if lambda2 is
 * unresolved; 0 if there is no second mode. */
double hl_gridchain_switch_time(const hl_gridchain_slow *s, const double *q);

/* out = pi + exp(-lambda1 tau) (q - pi), for q a state at or after
 * T_switch, tau >= 0 (out may be q).  Without a resolved lambda1 this is
 * only possible while tau resolution <= tol (then out = q within tol):
 * otherwise HL_ERANGE naming tau. */
int hl_gridchain_relax(const hl_gridchain_slow *s, const double *q, double tau, double tol,
                       double *out);
/* 1 if hl_gridchain_relax can go tau past the switch time (lambda1 known,
 * or tau resolution <= tol), 0 if only an integrator can. */
int hl_gridchain_relaxable(const hl_gridchain_slow *s, double tau, double tol);

#endif
