/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fokker_planck_blocks.h -- the --blocks path of hyperland fokker-planck
 * (fokker_planck_blocks.c, fp_blocks_start.c). */
#ifndef HL_CLI_FOKKER_PLANCK_BLOCKS_H
#define HL_CLI_FOKKER_PLANCK_BLOCKS_H

#include "blocks_cli.h"
#include "hyperland/fokker_planck.h"

/* The options of 'fokker-planck --blocks' as read (NULL / 0: not given). */
typedef struct {
    long dim;                /* <= 0: not given                              */
    long grid;               /* <= 0: 200, 40 for k = 3                      */
    long rates;              /* slowest rates printed (0: none)              */
    double beta;             /* with have_beta                               */
    int have_beta, json;
    const char *protocol;    /* --protocol FILE                              */
    const char *from, *times; /* --from SPEC --times LIST                    */
    const char *phi, *trans, *output;
    const char *plot;        /* --plot FILE.png (with --from)                */
    double rtol;             /* 0: the library's default (1e-8)              */
    int form, in_basin;      /* HL_FP_FULL / HL_FP_LINEAR; 0, HL_FP_BASIN, HL_FP_CORE */
    double window;           /* 0: the whole cube                            */
    const char *branch, *at; /* the maximum (--branch NAME, --at M1,...,MK)  */
} cli_fp_blocks_args;

/* The Fokker-Planck equation of the model of o: its slowest rates at the
 * initial beta (text or JSON) and, with --from, the evolution under the
 * protocol (table, JSON, CSV).  Returns the exit code. */
int cli_fp_blocks(const char *cmd, const cli_blocks_opts *o, const cli_fp_blocks_args *a);

/* --from SPEC for the model b: crystal | liquid | basin:NAME |
 * infinite-temperature | equilibrium:BETA | m=V1,...,VK | class:INDEX | a
 * class CSV file (then *q0 is malloc'd and s->q points to it).  0 after a
 * one-line error. */
int cli_fp_blocks_start(const char *cmd, const hl_blocks *b, const char *from,
                        hl_fp_blocks_start *s, double **q0);

#endif
