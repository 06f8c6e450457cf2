/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_cmds.h -- the k-block paths of hyperland phases and gaussian
 * (issue 12), run when --blocks or --block-sizes is given
 * (hyperland/blocks_phases.h). */
#ifndef HL_BLOCKS_CMDS_H
#define HL_BLOCKS_CMDS_H

#include "blocks_cli.h"
#include "hyperland/blocks_phases.h"

/* hyperland phases --blocks K | --block-sizes LIST */
typedef struct {
    cli_blocks_opts bo;
    long dim;                 /* 0: not given (only the fractions matter) */
    const char *phi, *trans;  /* NULL: default                            */
    const char *output;       /* branch CSV                               */
    int have_output;
    const char *plot;         /* NULL: no figures                         */
    double bmin, bmax;
    long points;
    int have_at;
    double at;
    int json;
} cli_phases_blocks_args;
int cli_phases_blocks(const char *cmd, const cli_phases_blocks_args *a);

/* The figures cli_phases_blocks draws into a --plot directory. */
#define CLI_BLOCKS_PHASE_FIGURES 3
extern const char *const cli_blocks_phase_figures[CLI_BLOCKS_PHASE_FIGURES];

/* The summary's T -> 0 ends and Kauzmann-like point (phases_blocks_lowtemp.c):
 * the member ', "t0_end": ...' of one branch, ', "kauzmann": ...', and the
 * text lines. */
void cli_blocks_json_t0(FILE *fp, const hl_blocks *b, const hl_bt0_end *e);
void cli_blocks_json_kauzmann(FILE *fp, const hl_blocks *b, const hl_bphases *p);
void cli_blocks_print_lowtemp(const hl_blocks *b, const hl_bphases *p);
/* The text line of a Kauzmann-like point (two order parameters or blocks). */
void cli_print_kauzmann(int found, double beta, double w, const char *reason);
/* {"m": [...], ("x", "y" for two equal blocks), "phi", "w", "f"} (full: also
 * "stable", "heat_capacity"), after "branch": name unless name is NULL */
void cli_blocks_json_state(FILE *fp, const hl_blocks *b, const hl_bstat *s, const char *name,
                           int full);

/* hyperland gaussian --blocks K | --block-sizes LIST */
typedef struct {
    cli_blocks_opts bo;
    long dim;
    double beta;
    const char *phi, *trans, *branch, *output;
    int have_at;
    double at[HL_BLOCKS_MAX];
    size_t n_at;
    int json;
    int ou;                   /* Ornstein-Uhlenbeck rates listed (>= 1)    */
    int exact;                /* --exact: the exact covariance per basin  */
} cli_gaussian_blocks_args;
int cli_gaussian_blocks(const char *cmd, const cli_gaussian_blocks_args *a);

#endif
