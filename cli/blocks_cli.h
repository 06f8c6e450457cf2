/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_cli.h -- the options of the model of k blocks (issue 12,
 * hyperland/blocks.h), shared by every command that takes a model:
 * --blocks K or --block-sizes D1,...,DK beside --dim, --phi and
 * --transmission. */
#ifndef HL_BLOCKS_CLI_H
#define HL_BLOCKS_CLI_H

#include <stdio.h>
#include "hyperland/blocks.h"
#include "hyperland/blocks_exact.h"
#include "hyperland/blocks_phases.h"

/* getopt_long codes (outside the short options) and entries */
#define CLI_OPT_BLOCKS 0x626b
#define CLI_OPT_BLOCK_SIZES 0x6273
#define CLI_BLOCKS_OPTIONS                                                                 \
    {"blocks", required_argument, 0, CLI_OPT_BLOCKS},                                     \
    {"block-sizes", required_argument, 0, CLI_OPT_BLOCK_SIZES}
#define CLI_BLOCKS_HELP                                                                   \
    "  --blocks K           k order parameters: the D coordinates in K equal blocks\n"     \
    "                       (K divides D), block magnetisations m1 .. mK; phi and B\n"     \
    "                       are then formulas in m1 .. mK (and T for B; x, y too for\n"   \
    "                       K = 2); default phi for even K: the paper's eq 4.11 for\n"   \
    "                       each pair (m1, m2), (m3, m4), ... weighted by its size\n"    \
    "  --block-sizes LIST   the same with unequal blocks D1,D2,...,DK (sum D; --dim\n"  \
    "                       may then be left out)\n"

/* The block options as read: k = 0 when neither was given. */
typedef struct {
    int k;
    long sizes[HL_BLOCKS_MAX];
    int from_sizes; /* --block-sizes (else --blocks) */
} cli_blocks_opts;

/* Handle one getopt code c with argument arg: 1 if c was a block option
 * (read into o), 0 if not; -1 after a one-line error (bad value, both
 * options given). */
int cli_blocks_option(const char *cmd, int c, const char *arg, cli_blocks_opts *o);

/* The model of o at dimension dim (dim <= 0: not given; with --block-sizes
 * it is then their sum, with --blocks it is an error), with phi (NULL:
 * default) and transmission (NULL: 1).  NULL after a one-line error;
 * then cli_blocks_status() is the exit status: EXIT_USAGE when --dim does
 * not fit the blocks, EXIT_FAIL for the library's refusal (a formula). */
hl_blocks *cli_blocks_model(const char *cmd, const cli_blocks_opts *o, long dim, const char *phi,
                            const char *transmission);
int cli_blocks_status(void);

/* A basin spec given with option opt (NULL: not given) checked against the
 * k blocks of o (hl_blocks_point_check): 1 if it is a name or a valid
 * point m=v1,...,vK, else 0 after a one-line error naming the option and
 * the problem (exit EXIT_USAGE). */
/* A figure's line naming the model: "model of K blocks (sizes D1, ..., DK),
 * D = .., B = ..SEPphi = .." (a long formula cut to 90 characters with
 * "..."; sep: e.g. ", " or a gnuplot line break "\\n"); in buf (at least
 * 400 bytes). */
const char *cli_blocks_describe(const hl_blocks *b, const char *sep, char *buf, size_t n);

/* What the search for stationary points did (hl_bsearch): the member
 * ', "search": {...}' of a JSON object; the text line "search: ..." (what:
 * the search's name in an incomplete line); a warning on stderr when it
 * was not complete (the work budget ran out, or boxes stayed unresolved). */
void cli_blocks_json_search(FILE *fp, const hl_bsearch *s);
void cli_blocks_print_search(const hl_bsearch *s, const char *what);
void cli_blocks_warn_search(const char *cmd, const hl_bsearch *s, double beta);

int cli_blocks_spec_ok(const char *cmd, const char *opt, const char *spec,
                       const cli_blocks_opts *o);

/* JSON members describing the model, each preceded by ", ": "blocks"
 * (the sizes), "dim", "phi", "transmission". */
void cli_blocks_json(FILE *fp, const hl_blocks *b);

/* "# blocks: D1,D2,...  phi: ...  transmission: ..." comment line for CSV
 * headers. */
void cli_blocks_csv_comment(FILE *fp, const hl_blocks *b);

/* 1 if argv has a block option (before "--"): the command then runs its
 * k-block path. */
int cli_blocks_requested(int argc, char **argv);
/* 1 if the model's classes (the product of D_i + 1) are at most limit;
 * else 0 after a one-line error naming the count and the limit (what: the
 * computation it bounds).  The count follows from --dim and --blocks or
 * --block-sizes alone: the caller exits with EXIT_USAGE. */
int cli_blocks_classes_ok(const char *cmd, const hl_blocks *b, long limit, const char *what);

/* 1 when b is two equal blocks with the paper's phi and B = 1 (phi, trans:
 * the --phi and --transmission given, NULL when not) at a dimension the
 * 2-D model takes: then phi = m1 + g(m2) separates and spectrum, mfpt and
 * evolve can use the 2-D model's separable chains instead of the lattice. */
int cli_blocks_paper_separable(const hl_blocks *b, const char *phi, const char *trans);
/* A class distribution file (--from FILE of evolve, kmc and fokker-planck
 * --blocks; blocks_class_file.c), as 'exact --blocks --distribution' writes
 * it: CSV with '#' comments, a header, then one row per class given.  The
 * class by a column class or by n1..nK (both: they must agree; for two
 * equal blocks also by the 2-D file's n = n1 + n2 and n1); the weight by
 * ln_Q (preferred: any finite log-weights work, -inf is 0) or Q (finite,
 * >= 0); m1..mK (and x, y for two equal blocks), when present, must be
 * those of the class to 1e-6 (a file of another lattice is refused);
 * other columns ignored.  Classes not listed get 0; the weights are
 * normalised to sum 1.  q: hl_blocks_n_classes(b) entries, all finite and
 * >= 0 on success.  1, or 0 after a one-line error naming path and line
 * (q is then undefined).  cli_blocks_class_read reads the stream fp (not
 * closed; path only names it); cli_blocks_class_file opens path as an
 * input of the run, and when it cannot be read says "--from 'PATH': not
 * OTHERS or a readable file" (others: the starts the command also takes). */
int cli_blocks_class_read(const char *cmd, const hl_blocks *b, const char *path, FILE *fp,
                          double *q);
int cli_blocks_class_file(const char *cmd, const hl_blocks *b, const char *path,
                          const char *others, double *q);
/* A JSON array of k numbers (null for NaN). */
void cli_blocks_json_vec(FILE *fp, const double *v, int k);
/* Class idx of b as a JSON object {"class": idx, "n": [n_1, ..., n_k],
 * "m": [m_1, ..., m_k]} (two equal blocks: "x", "y" too); null for idx < 0
 * or out of range. */
void cli_blocks_json_class(FILE *fp, const hl_blocks *b, long idx);
/* The basins of an exact result as a JSON array (pair: x, y too). */
void cli_blocks_json_basins(FILE *fp, const hl_blocks_exact_result *r, int pair);

/* The k-block paths of the commands (cmd_blocks.c, cmd_blocks_kinetics.c). */
/* Basins given as --from / --to (or --liquid / --crystal) of a kinetics
 * command, checked before any computation: the same text twice is a usage
 * error (EXIT_USAGE, "the same basin"), and so is a list (b1,b3) where one
 * basin is wanted (one_from: `from` must be one basin, m=v1,..,vK counted
 * as one; to_list: `to` may be a list).  EXIT_OK or EXIT_USAGE after a
 * one-line error naming the options fo and tn. */
int cli_blocks_basin_args(const char *cmd, const char *fo, const char *from, const char *tn,
                          const char *to, int k, int to_list);
/* The exit code of a refusal of hl_blocks_passage_sets / hl_blocks_mfpt:
 * HL_EINVAL (the same basin under two names, a basin listed twice) is a
 * usage error, every other (no such basin, an alias that ties) EXIT_FAIL;
 * the library's message printed. */
int cli_blocks_basin_status(const char *cmd, int st);

int cmd_exact_blocks(int argc, char **argv);
int cmd_spectrum_blocks(int argc, char **argv);
int cmd_mfpt_blocks(int argc, char **argv);
int cmd_evolve_blocks(int argc, char **argv);
int cmd_kmc_blocks(int argc, char **argv);
int cmd_lattice_network_blocks(int argc, char **argv); /* cmd_lattice_network_blocks.c */

/* The trajectory CSV of evolve --blocks and fokker-planck --blocks: the
 * header "t,beta,T,mean_m1..mean_mK,(mean_x,mean_y for two equal blocks),
 * mean_phi,mean_w,free_energy,sum_error,min_q,<basin names>", and one row
 * per point with the basins' probabilities prob (n_names). */
typedef struct {
    double t, beta;
    const double *mean_m; /* k */
    double mean_x, mean_y, mean_phi, mean_w, free_energy, sum_error, min_q;
    const double *mean_m_error; /* k, with err: the estimated errors of */
    double mean_x_error, mean_y_error, mean_phi_error; /* the means      */
} cli_blocks_traj_point;
/* with_err / err (n_names, or NULL): the populations' estimated errors,
 * as columns <name>_error, a population that lost its digits an empty
 * field (cli_population_csv), then mean_m1_error .. mean_mK_error,
 * (mean_x_error, mean_y_error,) mean_phi_error. */
void cli_blocks_traj_header(FILE *fp, const hl_blocks *b, const char (*names)[16], int n_names,
                            int with_err);
void cli_blocks_traj_row(FILE *fp, const hl_blocks *b, const cli_blocks_traj_point *p,
                         const double *prob, const double *err, int n_names);

/* The --plot figure of a k-block trajectory (blocks_plot.c): <m_i> of
 * every block (and <x>, <y> when mean_x, mean_y are given: two equal
 * blocks) and the basin probabilities against t, log t when the positive
 * times span two decades (t = 0 then left out, said on the axis).  Arrays
 * caller-owned: t[n], mean_m[n x k], mean_x[n], mean_y[n] (or NULL),
 * prob[n x nb] (0 where a basin does not exist).  1 on success, 0 after a
 * one-line error. */
typedef struct {
    const char *cmd, *title;        /* title: e.g. "Fokker-Planck evolution"  */
    const hl_blocks *b;
    const char *from, *proto;       /* proto NULL: a fixed beta               */
    double beta;
    size_t n;
    const double *t, *mean_m, *mean_x, *mean_y, *prob;
    int nb;
    const char (*names)[16];
} cli_blocks_plot_data;
int cli_blocks_traj_plot(const cli_blocks_plot_data *d, const char *path);

#endif
