/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kmc_cli.h -- `hyperland kmc`: what cmd_kmc.c (options, the run) and
 * kmc_output.c (CSV, JSON, text, plot) share. */
#ifndef HL_KMC_CLI_H
#define HL_KMC_CLI_H

#include <stdint.h>

#include "cli.h"
#include "hyperland/kmc.h"
#include "hyperland/network.h"

#define KMC_MAX_OBS 6

typedef struct {
    const char *cmd;
    int lattice;                /* 1: class lattice; 0: a network           */
    /* class lattice */
    const hl_model *m;
    long D;
    /* network */
    const hl_network *net;
    const char *input;          /* the network's input, for titles          */
    double *energy;             /* per network state                        */
    unsigned char *set_of;      /* per state: 0 none, 1 A, 2 B              */
    /* both */
    const char *from, *to;      /* --from SPEC, --to (basin name / A / B)   */
    const char *proto_path;
    hl_protocol *proto;
    double beta, T;             /* fixed beta (lattice) / T (network)      */
    uint64_t seed;
    int seed_drawn;
    double *times;
    size_t nt;
    long every, keep, ntraj, max_events;
    hl_kmc *k;
    hl_kmc_options o;
    double *p0;
    long start_class;           /* the start state when p0 is a point mass  */
    long *target;
    size_t ntarget;
    hl_kmc_part part;
    long ns;                    /* states                                   */
    /* observables per state and their moments per time */
    int nobs;
    const char *obs_name[KMC_MAX_OBS];
    double *obs[KMC_MAX_OBS];
    double *mean[KMC_MAX_OBS], *var[KMC_MAX_OBS];
    size_t *count;
    /* populations per time (lattice: basins of beta(t); network: A, B) */
    int npop;
    char pop_name[HL_MAX_BASINS][16];
    double *pop, *pop_se;       /* nt x npop                                */
    int have_fpt;
    hl_kmc_fpt fpt;
    double *fpt_sorted;
    long long total_events;
    long truncated;
    double elapsed;
} kmc_run;

/* The ensemble of trajectories [0, n): in this process (kmc_local.c), or
 * shared by the ranks of an MPI run and gathered on rank 0 in trajectory
 * order (kmc_mpi.c, the MPI build); the part is whole on rank 0 only. */
int kmc_ensemble_run(const hl_kmc *k, const hl_kmc_options *o, long n, hl_kmc_part *part);
/* 1 on the process that writes the outputs (always, but for MPI ranks > 0). */
int kmc_is_root(void);
/* Rank 0's seed on every rank (the seed itself without MPI). */
uint64_t kmc_agree_seed(uint64_t seed);

/* kmc_output.c */
int kmc_write_trajectories(FILE *fp, void *run);   /* --output */
int kmc_write_stats(FILE *fp, void *run);          /* --stats  */
int kmc_write_fpt(FILE *fp, void *run);            /* --fpt    */
void kmc_print_json(const kmc_run *r);
void kmc_print_text(const kmc_run *r);
int kmc_plot(const kmc_run *r, const char *path);
/* First passage with trajectories that did not reach the target:
 * censored = truncated by --max-events before reaching it (their times are
 * only known to exceed the time of the truncation), stuck = the others
 * (kept forever in a state). */
void kmc_fpt_censoring(const hl_kmc_part *p, size_t *censored, size_t *stuck);
/* The standard error sqrt(var / count) of a mean over count trajectories
 * from its sample variance (hl_kmc_moments); NaN below two trajectories. */
double kmc_se(double var, size_t count);
/* JSON members of the first-passage object (each with a leading ", "),
 * when not every trajectory reached: "censored", "never_left",
 * "null_reason" and "quantile_upper_bounds" (the ceil(p n)-th time reached:
 * the sample's p-quantile is at most that, whatever the censored times;
 * null where fewer reached).  sorted: hl_kmc_fpt_stats's. */
void kmc_json_fpt_censoring(const hl_kmc_part *p, const hl_kmc_fpt *f, const double *sorted,
                            long max_events);
/* The text line (after indent) saying the same; nothing when all reached. */
void kmc_text_fpt_censoring(const char *indent, const hl_kmc_part *p, const hl_kmc_fpt *f,
                            const double *sorted, long max_events);
/* the parameters line of the CSV headers */
void kmc_params(const kmc_run *r, char *buf, size_t cap, const char *what);
/* the observables of state s as text for a trajectory row */
void kmc_row(FILE *fp, const kmc_run *r, long s);
const char *kmc_row_header(const kmc_run *r);

#endif
