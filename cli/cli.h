/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.h -- the hyperland command-line front end (thin layer over the
 * library: parsing, printing, files). */
#ifndef HL_CLI_H
#define HL_CLI_H

#include <stdint.h>
#include <stdio.h>
#include "hyperland/hyperland.h"

/* The formula grammar and checks, appended to the --help of every command
 * that takes --phi (no '%': it is part of printf formats). */
#define HL_FORMULA_HELP                                                                   \
    "\n"                                                                                  \
    "formulas (--phi in x, y; --transmission in x, y, T; see docs/formulas.md):\n"        \
    "  numbers 3, .5, 1e-3; + - * / ^ and brackets.  ^ binds tightest and groups\n"       \
    "  to the right: 2^3^2 = 2^(3^2) = 512, -x^2 = -(x^2), 2^-1 = 0.5; * / and + -\n"     \
    "  group to the left; no implicit products (2*x, not 2x).  Functions, argument\n"    \
    "  in brackets: exp log sqrt sin cos tan cot sec csc asin acos atan acot asec\n"     \
    "  acsc sinh cosh tanh coth sech csch asinh acosh atanh acoth asech acsch abs\n"     \
    "  erf step; constants pi, e.  At most 4096 characters, nested 200 deep.\n"          \
    "  phi and its first and second derivatives must be finite, and at most 1e12\n"      \
    "  in magnitude, at every point of |x| + |y| <= 1; B positive and finite there\n"    \
    "  at every T the run uses (a protocol: every T between its rows).  Checked\n"       \
    "  on the whole square by interval arithmetic, not on a sample; an error\n"          \
    "  names the point and the value.\n"

/* --threads N, taken by every command: its getopt_long entry (code
 * CLI_OPT_THREADS, outside the range of the short options), its --help
 * lines, and its handler: hl_set_threads(N) (OpenMP and, when the BLAS is
 * OpenBLAS, OpenBLAS), 0 after a one-line error. */
#define CLI_OPT_THREADS 0x7468
#define CLI_THREADS_OPTION {"threads", required_argument, 0, CLI_OPT_THREADS}
#define CLI_THREADS_HELP                                                                  \
    "  --threads N          threads of OpenMP and OpenBLAS, 1 <= N <= 1024 (default:\n"    \
    "                       OMP_NUM_THREADS / OPENBLAS_NUM_THREADS, else every\n"          \
    "                       core); a BLAS other than OpenBLAS keeps its own setting.\n"    \
    "                       Results of OpenBLAS's dense kernels (dense and Lanczos\n"     \
    "                       rates, Fokker-Planck, compare) can differ with N within\n"    \
    "                       their error bounds; all others do not (README)\n"
int cli_parse_threads(const char *cmd, const char *s);
/* --seed: a whole number in 0 .. 2^64 - 1; 0 after a message */
int cli_parse_seed(const char *cmd, const char *s, uint64_t *v);

/* Exit codes */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Print "hyperland CMD: message" on stderr, one line. */
void cli_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A user-given text shortened for a message (hl_clip: at most 60
 * characters and "..."); the result stays valid for the next 31 calls. */
const char *cli_clip(const char *s);
/* one or many: the word for a count n ("1 block", "2 blocks") */
static inline const char *cli_pl(long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}
/* A number for a text table: fmt applied to v when finite, otherwise
 * `other` ("n/a", "-", ...) in the same field width (hl_format_number);
 * valid for the next 31 calls of cli_num/cli_numx. */
const char *cli_num(const char *fmt, double v);
const char *cli_numx(const char *fmt, double v, const char *other);
/* Why a heat capacity c along a branch is null, from ln c (finite: c
 * underflowed; else the Hessian is singular, a fold). */
const char *cli_heat_capacity_null_reason(double ln_c);

/* The entropy w of a stationary point as shown: NaN (null, an empty CSV
 * field) where it underflowed, its digits lost (w below the normal
 * doubles, ln w finite); and its JSON members ", "w": ..., "ln_w": ..."
 * with "w_null_reason" then. */
double cli_w_shown(double w, double ln_w);

/* A text field of a CSV row (e.g. a null reason): prefix (",") then s,
 * quoted as RFC 4180 asks when it holds a comma, a quote, a line break or
 * edge spaces, so that the row keeps its columns. */
void cli_csv_text(FILE *fp, const char *prefix, const char *s);

/* Class files (trajectory.c): cli_csv_split splits a CSV line in place
 * into at most cap fields (spaces trimmed) and returns the field count;
 * cli_csv_line reads the next line that is not a '#' comment or blank
 * (a UTF-8 byte-order mark on line 1 skipped) into line (size bytes),
 * counting lines in *ln: 1 with *text the line, 0 at the end, -1 after a
 * one-line error (a line too long). */
int cli_csv_split(char *s, char **f, int cap);
/* The named starts of --from shared by evolve and fokker-planck --blocks
 * (trajectory.c): crystal, liquid, basin:NAME (*basin), infinite-temperature,
 * equilibrium:BETA (*beta), as HL_START_* in *kind.  1 if from is one of
 * them, 0 if not (*kind is then HL_START_BASIN), -1 after a one-line error. */
int cli_parse_named_start(const char *CMD, const char *from, int *kind, const char **basin,
                          double *beta);
int cli_csv_line(const char *cmd, const char *path, FILE *fp, char *line, int size, long *ln,
                 char **text);
/* The weight of one row of a class distribution file (class_weights.c):
 * s is Q (is_log 0: a finite number >= 0) or ln Q (is_log 1: below +inf;
 * -inf is weight 0) into *v as written.  1, or 0 after a one-line error
 * naming path and line. */
int cli_weight_parse(const char *cmd, const char *path, long line, const char *s, int is_log,
                     double *v);
/* The n weights q as read (NaN: a class not given, weight 0; is_log: ln Q,
 * taken relative to their largest, so that any finite log-weights work)
 * into probabilities summing to 1 in place.  1, or 0 after a one-line error
 * when they sum to 0 (rows: the count read, for the message). */
int cli_weights_normalise(const char *cmd, const char *path, double *q, long n, int is_log,
                          long rows);
void cli_json_w(FILE *fp, double w, double ln_w);
/* A probability p with its natural log ln_p (a basin's), as cli_w_shown:
 * cli_w_shown(p, ln_p) is NaN (JSON null, CSV empty) where p underflowed
 * below the normal doubles while ln_p is finite; cli_json_probability
 * writes ", "KEY": p, "ln_KEY": ln_p" and then "KEY_null_reason";
 * cli_p_text gives "%.12g", or "e^LN" (LN to 7 digits) where p is null. */
void cli_json_probability(FILE *fp, const char *key, double p, double ln_p);
const char *cli_p_text(double p, double ln_p);

/* A comma-separated list of numbers for option opt: every field a finite
 * number (an empty field is refused), at most cap of them, at least one.
 * 0 after a one-line error; *n values in v. */
int cli_parse_list(const char *cmd, const char *opt, const char *s, double *v, size_t cap,
                   size_t *n);
/* "X,Y": exactly two numbers (the list parser); 0 after a message. */
int cli_parse_point(const char *cmd, const char *opt, const char *s, double *x, double *y);
/* The same for inverse temperatures (each field as cli_parse_beta). */
int cli_parse_list_beta(const char *cmd, const char *opt, const char *s, double *v, size_t cap,
                        size_t *n);
/* The same for integers (each field as cli_parse_long). */
int cli_parse_list_long(const char *cmd, const char *opt, const char *s, long *v, size_t cap,
                        size_t *n);

/* Record a file the run read (hashes it now): its path and sha256 go into
 * the provenance of every output.  0 after a one-line error. */
int cli_input_add(const char *cmd, const char *path);
/* Open an input file of the run (--protocol, --from FILE): its bytes are
 * read once (a pipe or FIFO can be read only once), hashed and recorded as
 * by cli_input_add, and returned as a stream over memory for the parser
 * (fclose it).  NULL with errno set when it cannot be read (EFBIG above
 * 1 GiB); the caller names the problem. */
FILE *cli_input_open(const char *cmd, const char *path);
/* Forget every input recorded by cli_input_add and cli_input_open and free
 * the bytes read (every stream cli_input_open gave must be closed): for the
 * fuzz targets, which read one scratch file again and again in a process
 * (cli_input_open refuses more than 16 opens in one run). */
void cli_inputs_reset(void);
/* Read a --protocol file (through cli_input_open: read once, recorded in
 * the provenance) into *proto; 0 after a one-line error. */
int cli_read_protocol(const char *cmd, const char *path, hl_protocol **proto);
/* The commented CSV header with the provenance (hl_csv_preamble_inputs). */
void cli_csv_preamble(FILE *fp, const char *params);
/* One CSV row "branch,beta,T,x,y,phi,w,f,stable" of a stationary point
 * (phases and paper). */
void cli_csv_stationary(FILE *fp, const char *branch, const hl_stationary *q);
/* The same row followed by the column end (phases): "" on grid rows. */
void cli_csv_stationary_end(FILE *fp, const char *branch, const hl_stationary *q,
                            const char *end);

/* An end of a branch of maxima (hl_fold of two order parameters, hl_bfold
 * of k blocks) as `phases` prints it (branch_ends.c): one code path for
 * both. */
typedef struct {
    int branch;               /* index of the branch                      */
    const char *name;         /* its name (borrowed)                      */
    double beta;
    int birth, bifurcation, through, null_dims; /* as hl_bfold            */
    double beta_error;
    int n;                    /* coordinates of pos and null_vector       */
    int xy;                   /* 1: pos is (x, y) (JSON "x", "y"); 0: m    */
    double pos[HL_BLOCKS_MAX], null_vector[HL_BLOCKS_MAX];
} cli_end;
/* One end as a JSON object: branch, beta, T, m (or x, y), kind,
 * bifurcation, maximum_for, through, null_dims, null_vector, beta_error
 * (null at a fold, with beta_error_null_reason), branches_meeting (the
 * other ends at the same point). */
void cli_end_json(FILE *fp, const cli_end *ends, int n, int self);
/* ', "spinodals": [the folds], "branch_ends": [every end]' */
void cli_end_json_lists(FILE *fp, const cli_end *ends, int n);
/* The text line of one end: 'spinodal: ... (fold)', 'pitchfork: ...' or
 * 'branch-point: ...'. */
void cli_end_text(FILE *fp, const cli_end *e);
/* The CSV rows of every branch (0 .. nbranch-1) in turn: for each
 * grid index i (grid_beta(ctx, i) its beta) grid_row(fp, ctx, branch, i)
 * (it writes the row if the branch exists there), and end_row(fp, ctx,
 * end) for each of the branch's ends, in order of beta.  -1 when ends is
 * NULL or out of memory. */
int cli_end_csv_rows(FILE *fp, const cli_end *ends, int n, int nbranch, int nbeta,
                     double (*grid_beta)(void *, int), void (*grid_row)(FILE *, void *, int, int),
                     void (*end_row)(FILE *, void *, const cli_end *), void *ctx);
/* Open the top-level JSON object: {"command": cmd, "schema_version": N,
 * "version": "...", "provenance": {...}  -- the caller continues with
 * ", \"key\": ..." and closes it. */
void cli_json_begin(FILE *fp, const char *cmd);
/* cli_json_begin, then "phi", "transmission", "dim": D and "beta" of a
 * command's run on model m. */
void cli_json_model(FILE *fp, const char *cmd, const hl_model *m, long D, double beta);

/* Report the library's last error and return EXIT_FAIL. */
int cli_lib_error(const char *cmd, int status);

/* Strict number parsing: the whole string, finite.  Return 0 on error
 * (after printing a one-line message naming option and value). */
int cli_parse_double(const char *cmd, const char *opt, const char *s, double *v);
int cli_parse_long(const char *cmd, const char *opt, const char *s, long *v);
/* --rtol: a relative tolerance in [1e-14, 1e-2] */
int cli_parse_rtol(const char *cmd, const char *s, double *v);
/* beta: in [CLI_BETA_MIN, CLI_BETA_MAX] */
#define CLI_BETA_MIN 1e-300
#define CLI_BETA_MAX 1e6
int cli_parse_beta(const char *cmd, const char *opt, const char *s, double *v);

/* getopt_long returned ':' (missing value) or '?' (unknown option):
 * print the one-line error; returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, char **argv);
/* 1 if no positional arguments are left after the options, else prints
 * the error and returns 0. */
int cli_no_extra_args(const char *cmd, int argc, char **argv);

/* The model of --phi (NULL: eq 4.11) and --transmission (NULL: B = 1);
 * NULL after printing the one-line error. */
hl_model *cli_model(const char *cmd, const char *phi, const char *transmission);

/* Progress on stderr only when it is a terminal. */
void cli_progress(const char *what, double fraction);
void cli_progress_done(void);

/* --- the output files of a run (outputs.c) ---
 * Each output path is declared when the options are read: its temporary is
 * made at once beside it (or in $TMPDIR for a device, a FIFO or stdout), so
 * an unwritable path fails before the computation; '-' is stdout (the
 * command's own report then goes to stderr); an output that is one of the
 * run's input files, or the same file as another output, is refused.
 * Writers fill the temporaries; cli_finish() puts every output in place when
 * the command succeeded and removes them all when it failed or was stopped
 * by a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE).  png: the file is
 * written by gnuplot.  1 on success, 0 after a one-line error. */
int cli_output_declare(const char *cmd, const char *opt, const char *path, int png);
/* The exit code for the last refusal of cli_output_declare or
 * cli_input_declare: EXIT_USAGE for a clash (an input, the same file twice,
 * stdout twice, no name), EXIT_FAIL for a path that cannot be written. */
int cli_outputs_status(void);
/* An input file of the run (--protocol, --from FILE); 0 after a one-line
 * error if it is also an output. */
int cli_input_declare(const char *cmd, const char *opt, const char *path);
/* Claim stdout for what (e.g. "--json"); 0 after a one-line error when an
 * output already writes there (and the other way round). */
int cli_stdout_claim(const char *cmd, const char *what);
/* The stream / the temporary file name of a declared output (declared now
 * if it was not); NULL after a one-line error. */
FILE *cli_output_stream(const char *cmd, const char *path);
const char *cli_output_temp(const char *cmd, const char *path);
/* Fill a declared output with writer (returns non-zero on failure). */
int cli_write_atomic(const char *cmd, const char *path,
                     int (*writer)(FILE *fp, void *ctx), void *ctx);
/* Writer for cli_write_atomic of a set of network ids in min.A form (the
 * count, then one id a line): ctx is a long array {count, id_1, ...}
 * (lattice-network's --start-set and --target-set). */
int cli_write_id_set(FILE *fp, void *ctx);
/* Put every output in place (1), or remove them all (0, message printed). */
int cli_outputs_commit(const char *cmd);
void cli_outputs_abort(void);
/* End of a command with exit code rc: commit or abort the outputs, then
 * flush and check stdout; the final exit code. cmd NULL: the top level. */
int cli_finish(const char *cmd, int rc);
/* Temporary files removed by the signal handler: mkstemp + register (the
 * file is closed; returns the slot or -1 with errno), and forget. */
int cli_temp_make(char *templ);
int cli_temp_register(const char *path);
void cli_temp_forget(int slot);
/* The pid of a running child to kill on a signal (0: none). */
void cli_child_running(long pid);
/* Kill the running child and remove every registered temporary
 * (async-signal-safe).  cli_temps_lock/unlock: around the making and
 * registering of a temporary, the start of a child and the renames, so
 * that a signal's clean-up sees all or none of it (blocks the clean-up
 * signals in the calling thread, and gives its mask back at the unlock). */
void cli_temps_cleanup(void);
void cli_temps_lock(void);
void cli_temps_unlock(void);

/* cli/signals.c: SIGINT, SIGTERM, SIGHUP and SIGQUIT are blocked in every
 * thread and taken by one thread (sigwait), which cleans up and ends the
 * process by the signal.  cli_signals_start: first thing in main().
 * cli_signals_taken: 1 if sig is one the thread takes.
 * cli_signals_child_reset: in a forked child before exec, the default
 * dispositions and (returns 1) the mask the process started with; 0 when
 * the thread did not start (the caller restores its own mask). */
void cli_signals_start(void);
int cli_signals_taken(int sig);
int cli_signals_child_reset(void);
/* cli_signals_caught: the signal the thread took (0: none yet).
 * cli_signals_await_end: if one was taken, never returns (the thread ends
 * the process): for code that saw the clean-up's effect (its child killed).
 * cli_signals_stop: at the end of main(), after cli_finish: a signal taken
 * before ends the process by it; one taken after is not acted on. */
int cli_signals_caught(void);
void cli_signals_await_end(void);
void cli_signals_stop(void);

/* Make a directory (and parents) if missing; 0 on failure with message. */
int cli_make_dir(const char *cmd, const char *dir);

/* Run a gnuplot script that writes PNG files; the script must set its
 * outputs to tmp_outputs[i] = cli_output_temp(outputs[i]) (NULL: fails);
 * the files are put in place with the run's others.  n: count. */
int cli_gnuplot(const char *cmd, const char *script, const char *const *outputs,
                const char *const *tmp_outputs, int n);

/* Declare the four figures of cli_plot_phases in dir (for option opt). */
int cli_plot_phases_declare(const char *cmd, const char *opt, const char *dir);
/* The phase diagram plots (paper Figures 1-4) into dir.  Only non-empty
 * data are drawn; a figure without a melting point says so. */
int cli_plot_phases(const char *cmd, const hl_model *m, const hl_phases *p, const char *dir);

/* Free-energy barrier per dimension f(from maximum) - f(saddle) at beta
 * (maxima named as everywhere); NAN if either maximum is missing. */
double cli_barrier_at(const hl_model *m, double beta, const char *from, const char *to);

/* Heat map of the exact class distribution at (D, beta) into png. */
int cli_exact_heatmap(const hl_model *m, long D, double beta, const char *png);

/* --- trajectories (trajectory.c): shared by evolve and fokker-planck --- */
/* --times t1,t2,...: finite, >= 0, strictly increasing; *out malloc'd. */
int cli_parse_times(const char *cmd, const char *s, double **out, size_t *n);
/* --from SPEC: crystal | liquid | basin:NAME | infinite-temperature |
 * equilibrium:BETA | a class CSV file (then *q0 is malloc'd and start->q
 * points to it).  0 after a one-line error. */
int cli_parse_start(const char *cmd, const char *from, long D, hl_evolve_start *start,
                    double **q0);

typedef struct {
    const char *cmd;        /* "evolve", "fokker-planck"                   */
    const char *title;      /* plot title                                  */
    const char *method;     /* description (CSV, text)                     */
    const char *method_key; /* short name (JSON)                           */
    const char *csv_extra;  /* appended to the CSV parameters, or NULL     */
    void (*json_extra)(const void *ctx); /* extra JSON members, or NULL    */
    const void *json_ctx;
    const hl_model *m;
    long D;
    const hl_evolve_point *pts;
    size_t n;
    char names[HL_MAX_BASINS][16];
    int nb;
    const char *from, *proto;
    double beta, rtol, atol;
    long steps, start_n, start_n1; /* start_n < 0: no start class */
    int population_errors; /* 1: pts carry population_error (hl_evolve) */
} cli_trajectory;

/* A basin population p with its estimated error err (evolve.h,
 * HL_POPULATION_RESOLVED): resolved, p as it is; otherwise flagged, its
 * digits lost.  JSON: "probability": p, "population_error": err, or
 * "probability": null, "population_error", "probability_bound" (p + err,
 * above the true value) and "probability_null_reason".  CSV: ",p" or an
 * empty field ",".  Text: fmt applied to p, or "<bound" in the same width
 * (valid as cli_num's). */
void cli_population_json(FILE *fp, double p, double err);
void cli_population_csv(FILE *fp, double p, double err);
/* The outputs nc .. nt - 1 that no check evolution reached (evolve.h,
 * hl_check_retry_times): the check is
 * the run itself (p_check rows = p_out rows, n states each) and the error
 * the documented absolute accuracy 10 rtol, plus rtol relative (0 at
 * t = 0). */
void cli_check_unreached(const double *times, size_t nc, size_t nt, double rtol,
                         const double *p_out, double *p_check, size_t n, double *floor,
                         double *rel_floor);
const char *cli_population_text(const char *fmt, double p, double err);
/* The CSV comment that says so (for the preambles' parameters). */
#define CLI_POPULATION_NOTE                                                                    \
    "a population is empty where its estimated error (column <basin>_error: the difference "  \
    "from a second integration by CVODE at 10 times the tolerance, plus the absolute "          \
    "tolerance below which neither promises a digit; README 'Accuracy of populations') "       \
    "exceeds a tenth of it: its digits are lost"

/* Claim stdout for --json and declare the --output / --plot files and the
 * --protocol input of evolve and fokker-planck before any work, so that an
 * unwritable path fails first.  EXIT_OK, or the exit status after a
 * one-line error. */
int cli_trajectory_declare(const char *cmd, int json, const char *output, const char *plot,
                           const char *proto_path);
/* Collect the basin names over all points (call before the writers). */
void cli_trajectory_names(cli_trajectory *o);
int cli_trajectory_csv(FILE *fp, void *o); /* writer for hl_atomic / cli_write_atomic */
void cli_trajectory_json(const cli_trajectory *o);
void cli_trajectory_table(const cli_trajectory *o);
/* <x>, <y> and the basin populations against t; 0 on failure (message printed). */
int cli_trajectory_plot(const cli_trajectory *o, const char *path);

/* --- master equation against the continuum (compare.c) --- */
#define CLI_COMPARE_MAX_RATES 10
#define CLI_COMPARE_MAX_DIMS 16
#define CLI_COMPARE_MAX_BRANCHES 8
#define CLI_COMPARE_TIMES 21
#define CLI_COMPARE_DIM_MAX 4000L
#define CLI_COMPARE_KMAX 8
typedef struct {
    double beta;
    long dims[CLI_COMPARE_MAX_DIMS];
    int nd;
    const char *branch; /* NULL: every maximum */
    int k;              /* slow rates per model */
    long grid;          /* Fokker-Planck cells per axis (and grid/2) */
    double window;      /* grid half-width in standard deviations */
    double displace;    /* start of the mean relaxation, in standard deviations */
} cli_compare_opts;
typedef struct {
    long D;
    char branch[16];
    double x, y, lambda[2];
    double rates[4][CLI_COMPARE_MAX_RATES]; /* master, fp, fp_linear, ou */
    double rate_diff[4];                    /* max rel. diff. from master */
    double d0x, d0y;                        /* master: start - its equilibrium mean */
    double eqx[4], eqy[4];                  /* each model's equilibrium mean */
    double t[CLI_COMPARE_TIMES];
    double mx[4][CLI_COMPARE_TIMES + 1], my[4][CLI_COMPARE_TIMES + 1]; /* mean minus
                                               the model's equilibrium mean */
    double path_err[4];                     /* max_t |mean - master| / |d0| */
    /* the model of k blocks (compare --blocks; kb = 0 for the 2-D model):
     * the maximum m, the sizes, delta0 in m; mx[mdl] then holds the mean's
     * displacement along d0m (|d0m| units times |d0m|: d0x = |d0m|, my = 0) */
    int kb;
    double m[CLI_COMPARE_KMAX], d0m[CLI_COMPARE_KMAX];
    long sizes[CLI_COMPARE_KMAX];
    const char *fp_null;                    /* why the FP columns are null (K > 3) */
} cli_compare_row;
typedef struct {
    const hl_model *m;                      /* the 2-D model, or NULL (blocks) */
    cli_compare_opts o;
    int nrows;
    cli_compare_row *rows;
    char phi[512], trans[256];              /* blocks: the formulas          */
} cli_compare_result;
void cli_compare_defaults(cli_compare_opts *o);
int cli_compare_parse_dims(const char *cmd, const char *s, cli_compare_opts *o);
/* Run the comparison; 0 after a one-line error.  *out: cli_compare_free(). */
int cli_compare_run(const char *cmd, const hl_model *m, const cli_compare_opts *o,
                    cli_compare_result **out);
void cli_compare_free(cli_compare_result *r);
int cli_compare_csv(FILE *fp, void *res);
void cli_compare_json(FILE *fp, const cli_compare_result *res);
void cli_compare_table(FILE *fp, const cli_compare_result *res);
int cli_compare_plot(const char *cmd, const cli_compare_result *res, const char *path);

int cmd_phases(int argc, char **argv);
int cmd_exact(int argc, char **argv);
int cmd_paper(int argc, char **argv);
int cmd_spectrum(int argc, char **argv);
int cmd_mfpt(int argc, char **argv);
int cmd_evolve(int argc, char **argv);
int cmd_gaussian(int argc, char **argv);
int cmd_fokker_planck(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_network(int argc, char **argv);
int cmd_kmc(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_kovacs(int argc, char **argv);
int cmd_ageing(int argc, char **argv);
int cmd_relaxation(int argc, char **argv);
/* `kmc --hypercube ...`: the full hypercube's kinetic Monte Carlo
 * (kmc_hypercube.c; argv as cmd_kmc's, "--hypercube" among them). */
int cli_kmc_hypercube(int argc, char **argv);
int cmd_lattice_network(int argc, char **argv);

/* Command line of the whole program, for CSV headers */
extern int cli_argc;
extern char **cli_argv;

/* A growable string that printf appends to (strbuf.c): start from
 * {0}; bad is set (and later calls do nothing) when the memory runs out or
 * a format fails; the caller frees buf. */
typedef struct {
    char *buf;
    size_t len, cap;
    int bad;
} cli_strbuf;

void cli_strbuf_printf(cli_strbuf *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Run the gnuplot script in s that writes the one figure path through its
 * temporary name tmp (cli_gnuplot), then free s->buf.  1 on success; 0 with
 * the message "out of memory drawing PATH" if s went bad, or cli_gnuplot's. */
int cli_strbuf_gnuplot(const char *cmd, cli_strbuf *s, const char *path, const char *tmp);

#endif
