/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kmc_output.c -- what `hyperland kmc` writes: the trajectories, the
 * ensemble statistics and the first-passage times as CSV (with the
 * commented provenance header and the seed), the JSON and text reports,
 * and the figure of a few trajectories beside the master-equation mean. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kmc_cli.h"

#define PLOT_TRAJECTORIES 5
#define PLOT_RECORDS 200000 /* events drawn per plotted trajectory at most */
#define ME_POINTS 200
#define FPT_BINS 20

void kmc_params(const kmc_run *r, char *buf, size_t cap, const char *what)
{
    char cond[160];
    if (r->proto_path)
        snprintf(cond, sizeof cond, "protocol %.100s", r->proto_path);
    else if (r->lattice)
        snprintf(cond, sizeof cond, "beta = %.10g", r->beta);
    else
        snprintf(cond, sizeof cond, "T = %.10g", r->T);
    char sys[512];
    if (r->lattice)
        snprintf(sys, sizeof sys, "the class lattice of eq 5.6, D = %ld, phi = %.100s, B = %.100s",
                 r->D, hl_model_phi_formula(r->m), hl_model_transmission_formula(r->m));
    else
        snprintf(sys, sizeof sys, "the network %.200s", r->input);
    char trunc[256] = "";
    if (r->truncated)
        snprintf(trunc, sizeof trunc,
                 "; TRUNCATED: %ld of %ld trajectories reached --max-events %ld before %s (their "
                 "later states and first passage are missing)",
                 r->truncated, r->ntraj, r->max_events > 0 ? r->max_events : 1000000000L,
                 r->to ? "the target" : "the last time");
    snprintf(buf, cap,
             "kinetic Monte Carlo (rejection-free Gillespie/BKL; exact thinning under a "
             "protocol) on %s, %s, from %s%s%s; %ld trajectories, seed %" PRIu64
             "%s (trajectory i uses the stream (seed, i))%s; %s",
             sys, cond, r->from, r->to ? " to " : "", r->to ? r->to : "", r->ntraj, r->seed,
             r->seed_drawn ? " (drawn)" : "", trunc, what);
}

void kmc_fpt_censoring(const hl_kmc_part *p, size_t *censored, size_t *stuck)
{
    *censored = *stuck = 0;
    for (size_t i = 0; i < p->n; i++)
        if (isnan(p->fpt[i]))
            (*(p->truncated[i] ? censored : stuck))++;
}

static const double fpt_p[HL_KMC_QUANTILES] = {0.05, 0.25, 0.5, 0.75, 0.95};

/* the ceil(p n)-th time reached, NaN if fewer reached */
static double fpt_upper(const hl_kmc_fpt *f, const double *sorted, double p)
{
    size_t j = (size_t)ceil(p * (double)f->n - 1e-9);
    return j >= 1 && j <= f->reached ? sorted[j - 1] : NAN;
}

static void max_events_text(char *buf, size_t cap, long max_events)
{
    if (max_events > 0)
        snprintf(buf, cap, "%ld", max_events);
    else
        snprintf(buf, cap, "1e9 (the default)");
}

void kmc_json_fpt_censoring(const hl_kmc_part *p, const hl_kmc_fpt *f, const double *sorted,
                            long max_events)
{
    if (f->reached >= f->n)
        return;
    size_t cen, stuck;
    char me[64];
    kmc_fpt_censoring(p, &cen, &stuck);
    max_events_text(me, sizeof me, max_events);
    printf(", \"censored\": %zu, \"never_left\": %zu, \"null_reason\": \"%zu of %zu "
           "trajectories did not reach the target (%zu truncated by --max-events %s, %zu kept "
           "forever in a state): the mean, standard error and quantiles of the complete "
           "sample are not known\", \"quantile_upper_bounds\": {",
           cen, stuck, f->n - f->reached, f->n, cen, me, stuck);
    static const char *qn[HL_KMC_QUANTILES] = {"0.05", "0.25", "0.5", "0.75", "0.95"};
    for (int q = 0; q < HL_KMC_QUANTILES; q++) {
        printf("%s\"%s\": ", q ? ", " : "", qn[q]);
        hl_json_number(stdout, fpt_upper(f, sorted, fpt_p[q]));
    }
    printf("}");
}

void kmc_text_fpt_censoring(const char *indent, const hl_kmc_part *p, const hl_kmc_fpt *f,
                            const double *sorted, long max_events)
{
    if (f->reached >= f->n)
        return;
    size_t cen, stuck;
    char me[64];
    kmc_fpt_censoring(p, &cen, &stuck);
    max_events_text(me, sizeof me, max_events);
    double med = fpt_upper(f, sorted, 0.5);
    printf("%s(not every trajectory reached the target: %zu truncated by --max-events %s, %zu "
           "kept forever in a state; the mean and quantiles are not given",
           indent, cen, me, stuck);
    if (!isnan(med))
        printf("; whatever the censored times, the median is at most %s", cli_num("%.6g", med));
    printf(")\n");
}

const char *kmc_row_header(const kmc_run *r)
{
    return r->lattice ? "n,n1,x,y,phi" : "id,energy,set";
}

void kmc_row(FILE *fp, const kmc_run *r, long s)
{
    if (s < 0) {
        fprintf(fp, r->lattice ? ",,,," : ",,");
        return;
    }
    if (r->lattice) {
        fprintf(fp, "%.0f,%.0f", r->obs[0][s], r->obs[1][s]);
        hl_csv_number(fp, ",%.15g", r->obs[2][s]);
        hl_csv_number(fp, ",%.15g", r->obs[3][s]);
        hl_csv_number(fp, ",%.15g", r->obs[4][s]);
    } else {
        long id = -1;
        hl_network_id(r->net, s, &id);
        fprintf(fp, "%ld", id);
        hl_csv_number(fp, ",%.15g", r->energy[s]);
        fprintf(fp, ",%s", r->set_of[s] == 1 ? "A" : r->set_of[s] == 2 ? "B" : "");
    }
}

/* trajectory i again with a record after every `every` events (the same
 * stream: the same trajectory); *rec malloc'd, *n records */
static int rerun(const kmc_run *r, long i, long every, size_t cap, hl_kmc_record **rec,
                 size_t *n, hl_kmc_info *info)
{
    hl_kmc_options o = r->o;
    o.every = every;
    *rec = malloc(sizeof(hl_kmc_record) * (cap ? cap : 1));
    if (!*rec)
        return HL_ENOMEM;
    long *sa = malloc(sizeof(long) * r->nt);
    if (!sa)
        return HL_ENOMEM;
    int st = hl_kmc_trajectory(r->k, &o, (uint64_t)i, sa, *rec, cap, info);
    free(sa);
    *n = info->n_records < cap ? info->n_records : cap;
    return st;
}

/* every row of the kept trajectories 0 .. keep - 1: at the --times, or at t
 * = 0 and after every --every events (event < 0: a --times row); cb returns
 * non-zero to stop.  0, or the first non-zero cb or library status. */
typedef int (*row_fn)(void *ctx, long traj, long event, double t, long state);
static int for_each_row(const kmc_run *r, row_fn cb, void *ctx)
{
    for (long i = 0; i < r->keep; i++) {
        if (!r->every) {
            for (size_t t = 0; t < r->nt; t++) {
                int st = cb(ctx, i, -1, r->times[t], r->part.state[(size_t)i * r->nt + t]);
                if (st)
                    return st;
            }
            continue;
        }
        hl_kmc_record *rec = NULL;
        size_t n = 0, cap = 1 << 16;
        hl_kmc_info info;
        int st = rerun(r, i, r->every, cap, &rec, &n, &info);
        if (!st && info.n_records > cap) {
            free(rec);
            cap = info.n_records;
            st = rerun(r, i, r->every, cap, &rec, &n, &info);
        }
        if (!st)
            st = cb(ctx, i, 0, 0.0, info.start);
        for (size_t q = 0; !st && q < n; q++)
            st = cb(ctx, i, (long)(q + 1) * r->every, rec[q].t, rec[q].state);
        free(rec);
        if (st)
            return st;
    }
    return 0;
}

typedef struct {
    FILE *fp;
    const kmc_run *r;
    long last;
} row_out;

static int csv_row(void *ctx, long traj, long event, double t, long state)
{
    row_out *o = ctx;
    fprintf(o->fp, "%ld", traj);
    if (event >= 0)
        fprintf(o->fp, ",%ld", event);
    hl_csv_number(o->fp, ",%.15g", t);
    fprintf(o->fp, ",");
    kmc_row(o->fp, o->r, state);
    fprintf(o->fp, "\n");
    return ferror(o->fp) ? -1 : 0;
}

int kmc_write_trajectories(FILE *fp, void *vp)
{
    const kmc_run *r = vp;
    char params[2048], what[256];
    if (r->every)
        snprintf(what, sizeof what,
                 "trajectories 0..%ld: a row at t = 0 and after every %ld events up to the "
                 "last time (event: the events made)", r->keep - 1, r->every);
    else
        snprintf(what, sizeof what, "trajectories 0..%ld: the state occupied at each time "
                 "(empty: truncated by --max-events)", r->keep - 1);
    kmc_params(r, params, sizeof params, what);
    cli_csv_preamble(fp, params);
    fprintf(fp, "trajectory,%st,%s\n", r->every ? "event," : "", kmc_row_header(r));
    row_out o = {fp, r, -1};
    if (for_each_row(r, csv_row, &o))
        return -1;
    return ferror(fp) ? -1 : 0;
}

/* the JSON rows: one array per trajectory */
static int json_row(void *ctx, long traj, long event, double t, long s)
{
    row_out *o = ctx;
    const kmc_run *r = o->r;
    printf("%s", traj != o->last ? (o->last < 0 ? "[" : "], [") : ", ");
    o->last = traj;
    printf("{");
    if (event >= 0)
        printf("\"event\": %ld, ", event);
    printf("\"t\": ");
    hl_json_number(stdout, t);
    if (s < 0) {
        printf(", \"state\": null}");
        return 0;
    }
    if (r->lattice) {
        printf(", \"n\": %.0f, \"n1\": %.0f", r->obs[0][s], r->obs[1][s]);
        for (int q = 2; q < 5; q++) {
            printf(", \"%s\": ", r->obs_name[q]);
            hl_json_number(stdout, r->obs[q][s]);
        }
    } else {
        long id = -1;
        hl_network_id(r->net, s, &id);
        printf(", \"id\": %ld, \"energy\": ", id);
        hl_json_number(stdout, r->energy[s]);
        printf(", \"set\": %s", r->set_of[s] == 1 ? "\"A\"" : r->set_of[s] == 2 ? "\"B\"" : "null");
    }
    printf("}");
    return 0;
}

double kmc_se(double var, size_t c)
{
    return c > 1 && !isnan(var) ? sqrt(var / (double)c) : NAN;
}

int kmc_write_stats(FILE *fp, void *vp)
{
    const kmc_run *r = vp;
    char params[2048];
    kmc_params(r, params, sizeof params,
               "per time: count = trajectories with a state (not truncated); mean, var "
               "(sample variance) and se = sqrt(var/count) of each observable; P_<name>: the "
               "population of a basin of the current beta (lattice, as 'evolve') or of set "
               "A/B (network) with its standard error sqrt(P(1-P)/(count-1)); empty: no "
               "value (fewer than 2 trajectories)");
    cli_csv_preamble(fp, params);
    fprintf(fp, "t,%s,count", r->lattice ? "beta" : "T");
    for (int q = 0; q < r->nobs; q++)
        fprintf(fp, ",mean_%s,var_%s,se_%s", r->obs_name[q], r->obs_name[q], r->obs_name[q]);
    for (int q = 0; q < r->npop; q++)
        fprintf(fp, ",P_%s,se_%s", r->pop_name[q], r->pop_name[q]);
    fprintf(fp, "\n");
    for (size_t t = 0; t < r->nt; t++) {
        double b = hl_protocol_beta(r->proto, r->times[t]);
        hl_csv_number(fp, "%.15g", r->times[t]);
        hl_csv_number(fp, ",%.15g", r->lattice ? b : 1.0 / b);
        fprintf(fp, ",%zu", r->count[t]);
        for (int q = 0; q < r->nobs; q++) {
            hl_csv_number(fp, ",%.15g", r->mean[q][t]);
            hl_csv_number(fp, ",%.15g", r->var[q][t]);
            hl_csv_number(fp, ",%.15g", kmc_se(r->var[q][t], r->count[t]));
        }
        for (int q = 0; q < r->npop; q++) {
            hl_csv_number(fp, ",%.15g", r->pop[t * HL_MAX_BASINS + q]);
            hl_csv_number(fp, ",%.15g", r->pop_se[t * HL_MAX_BASINS + q]);
        }
        fprintf(fp, "\n");
    }
    return ferror(fp) ? -1 : 0;
}

int kmc_write_fpt(FILE *fp, void *vp)
{
    const kmc_run *r = vp;
    char params[2048];
    kmc_params(r, params, sizeof params,
               "first-passage times to the target, sorted; ecdf = rank / trajectories "
               "(empty fpt: not reached, truncated or kept forever in a state)");
    cli_csv_preamble(fp, params);
    fprintf(fp, "rank,fpt,ecdf\n");
    size_t n = r->part.n;
    for (size_t i = 0; i < n; i++) {
        fprintf(fp, "%zu", i + 1);
        hl_csv_number(fp, ",%.15g", r->fpt_sorted[i]);
        hl_csv_number(fp, ",%.15g", isnan(r->fpt_sorted[i]) ? NAN : (double)(i + 1) / (double)n);
        fprintf(fp, "\n");
    }
    return ferror(fp) ? -1 : 0;
}

static void json_array(const double *v, size_t n, size_t stride)
{
    printf("[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            printf(", ");
        hl_json_number(stdout, v[i * stride]);
    }
    printf("]");
}

static void json_num(const char *key, double v)
{
    printf(", \"%s\": ", key);
    hl_json_number(stdout, v);
}

void kmc_print_json(const kmc_run *r)
{
    cli_json_begin(stdout, r->cmd);
    printf(", \"system\": \"%s\"", r->lattice ? "class-lattice" : "network");
    if (r->lattice) {
        printf(", \"dim\": %ld, \"phi\": ", r->D);
        hl_json_string(stdout, hl_model_phi_formula(r->m));
        printf(", \"transmission\": ");
        hl_json_string(stdout, hl_model_transmission_formula(r->m));
    } else {
        printf(", \"input\": ");
        hl_json_string(stdout, r->input);
    }
    printf(", \"protocol\": ");
    if (r->proto_path)
        hl_json_string(stdout, r->proto_path);
    else
        printf("null");
    json_num(r->lattice ? "beta" : "temperature",
             r->proto_path ? NAN : r->lattice ? r->beta : r->T);
    printf(", \"from\": ");
    hl_json_string(stdout, r->from);
    printf(", \"to\": ");
    if (r->to)
        hl_json_string(stdout, r->to);
    else
        printf("null");
    printf(", \"start_state\": %ld, \"target_states\": %zu", r->start_class, r->ntarget);
    printf(", \"seed\": %" PRIu64 ", \"seed_drawn\": %s, \"method\": \"%s\"", r->seed,
           r->seed_drawn ? "true" : "false",
           r->proto_path ? "gillespie-bkl with exact thinning under the protocol"
                         : "gillespie-bkl");
    printf(", \"trajectories\": %ld, \"events\": %lld, \"truncated\": %ld, \"max_events\": %ld",
           r->ntraj, r->total_events, r->truncated,
           r->max_events > 0 ? r->max_events : 1000000000L);
    printf(", \"times\": ");
    json_array(r->times, r->nt, 1);
    printf(", \"count\": [");
    for (size_t t = 0; t < r->nt; t++)
        printf("%s%zu", t ? ", " : "", r->count[t]);
    printf("], \"kept_trajectories\": %ld, \"trajectory_rows\": [", r->keep);
    row_out o = {stdout, r, -1};
    if (for_each_row(r, json_row, &o) == 0 && o.last >= 0)
        printf("]");
    printf("], \"observables\": {");
    for (int q = 0; q < r->nobs; q++) {
        printf("%s\"%s\": {\"mean\": ", q ? ", " : "", r->obs_name[q]);
        json_array(r->mean[q], r->nt, 1);
        printf(", \"variance\": ");
        json_array(r->var[q], r->nt, 1);
        printf(", \"standard_error\": [");
        for (size_t t = 0; t < r->nt; t++) {
            if (t)
                printf(", ");
            hl_json_number(stdout, kmc_se(r->var[q][t], r->count[t]));
        }
        printf("]}");
    }
    printf("}, \"populations\": {");
    for (int q = 0; q < r->npop; q++) {
        printf("%s\"%s\": {\"p\": ", q ? ", " : "", r->pop_name[q]);
        json_array(r->pop + q, r->nt, HL_MAX_BASINS);
        printf(", \"standard_error\": ");
        json_array(r->pop_se + q, r->nt, HL_MAX_BASINS);
        printf("}");
    }
    printf("}, \"first_passage\": ");
    if (!r->have_fpt) {
        printf("null, \"first_passage_null_reason\": \"no target (--to)\"}\n");
        return;
    }
    const hl_kmc_fpt *f = &r->fpt;
    printf("{\"trajectories\": %zu, \"reached\": %zu", f->n, f->reached);
    json_num("mean", f->mean);
    json_num("standard_error", f->sem);
    json_num("sd", f->sd);
    json_num("min", f->min);
    json_num("max", f->max);
    static const char *qn[HL_KMC_QUANTILES] = {"0.05", "0.25", "0.5", "0.75", "0.95"};
    printf(", \"quantiles\": {");
    for (int q = 0; q < HL_KMC_QUANTILES; q++) {
        printf("%s\"%s\": ", q ? ", " : "", qn[q]);
        hl_json_number(stdout, f->q[q]);
    }
    printf("}");
    kmc_json_fpt_censoring(&r->part, f, r->fpt_sorted, r->max_events);
    /* histogram of the times that reached: FPT_BINS equal bins over [min, max] */
    printf(", \"histogram\": ");
    if (f->reached >= 2 && f->max > f->min) {
        size_t cnt[FPT_BINS] = {0};
        double w = (f->max - f->min) / FPT_BINS;
        for (size_t i = 0; i < f->reached; i++) {
            size_t b = (size_t)((r->fpt_sorted[i] - f->min) / w);
            cnt[b < FPT_BINS ? b : FPT_BINS - 1]++;
        }
        printf("{\"edges\": [");
        for (int b = 0; b <= FPT_BINS; b++) {
            if (b)
                printf(", ");
            hl_json_number(stdout, b == FPT_BINS ? f->max : f->min + b * w);
        }
        printf("], \"counts\": [");
        for (int b = 0; b < FPT_BINS; b++)
            printf("%s%zu", b ? ", " : "", cnt[b]);
        printf("]}");
    } else {
        printf("null");
    }
    printf("}}\n");
}

void kmc_print_text(const kmc_run *r)
{
    if (r->lattice)
        printf("kinetic Monte Carlo on the class lattice, D = %ld (%ld classes)", r->D, r->ns);
    else
        printf("kinetic Monte Carlo on the network %s (%ld minima)", r->input, r->ns);
    if (r->proto_path)
        printf(", protocol %s (exact thinning)\n", r->proto_path);
    else if (r->lattice)
        printf(", beta = %g\n", r->beta);
    else
        printf(", T = %g\n", r->T);
    printf("  from %s%s%s; %ld trajectories, seed %" PRIu64 "%s; %lld events", r->from,
           r->to ? " to " : "", r->to ? r->to : "", r->ntraj, r->seed,
           r->seed_drawn ? " (drawn)" : "", r->total_events);
    if (r->truncated)
        printf("; %ld truncated by --max-events", r->truncated);
    printf("\n");
    printf("%12s %8s", "t", "count");
    for (int q = 0; q < r->nobs; q++)
        if (q >= 2 || !r->lattice)
            printf(" %22s", r->obs_name[q]);
    for (int q = 0; q < r->npop; q++)
        printf(" %20s", r->pop_name[q]);
    printf("\n");
    for (size_t t = 0; t < r->nt; t++) {
        printf("%12.6g %8zu", r->times[t], r->count[t]);
        for (int q = 0; q < r->nobs; q++) {
            if (q < 2 && r->lattice)
                continue;
            char b[64];
            snprintf(b, sizeof b, "%s +- %s", cli_num("%.6g", r->mean[q][t]),
                     cli_num("%.2g", kmc_se(r->var[q][t], r->count[t])));
            printf(" %22s", b);
        }
        for (int q = 0; q < r->npop; q++) {
            char b[64];
            snprintf(b, sizeof b, "%s +- %s", cli_num("%.4f", r->pop[t * HL_MAX_BASINS + q]),
                     cli_num("%.2g", r->pop_se[t * HL_MAX_BASINS + q]));
            printf(" %20s", b);
        }
        printf("\n");
    }
    if (r->have_fpt) {
        const hl_kmc_fpt *f = &r->fpt;
        printf("first passage to %s: %zu of %zu reached; mean %s +- %s (standard error), "
               "median %s, 5%%-95%% %s .. %s\n",
               r->to, f->reached, f->n, cli_num("%.6g", f->mean), cli_num("%.2g", f->sem),
               cli_num("%.6g", f->q[2]), cli_num("%.4g", f->q[0]), cli_num("%.4g", f->q[4]));
        kmc_text_fpt_censoring("  ", &r->part, f, r->fpt_sorted, r->max_events);
    }
}

/* ------------------------------------------------------------------ plot */

/* the master-equation means on a grid of ng times: lattice <x>, <y>;
 * network <E>, P_A, P_B.  0 when it cannot be computed (why says why). */
static int master_means(const kmc_run *r, const double *tg, size_t ng, double *m1,
                        double *m2, double *m3, char *why, size_t why_len)
{
    int st;
    if (r->lattice) {
        hl_evolve_point *pts = malloc(sizeof *pts * ng);
        double *q = malloc(sizeof(double) * (size_t)r->ns);
        if (!pts || !q) {
            free(pts);
            free(q);
            snprintf(why, why_len, "out of memory");
            return 0;
        }
        if (r->p0)
            memcpy(q, r->p0, sizeof(double) * (size_t)r->ns);
        else
            for (long i = 0; i < r->ns; i++)
                q[i] = i == r->start_class;
        hl_evolve_start s;
        memset(&s, 0, sizeof s);
        s.kind = HL_START_CLASSES;
        s.q = q;
        hl_evolve_info info;
        st = hl_evolve(r->m, r->D, r->proto, &s, tg, ng, HL_EVOLVE_AUTO | HL_EVOLVE_UNCHECKED,
                       1e-8, pts, NULL, &info);
        for (size_t i = 0; !st && i < ng; i++) {
            m1[i] = pts[i].mean_x;
            m2[i] = pts[i].mean_y;
            m3[i] = NAN;
        }
        free(pts);
        free(q);
    } else {
        double *p = malloc(sizeof(double) * (size_t)r->ns * ng);
        double *p0 = malloc(sizeof(double) * (size_t)r->ns);
        if (!p || !p0) {
            free(p);
            free(p0);
            snprintf(why, why_len, "out of memory");
            return 0;
        }
        if (r->p0)
            memcpy(p0, r->p0, sizeof(double) * (size_t)r->ns);
        else
            for (long i = 0; i < r->ns; i++)
                p0[i] = i == r->start_class;
        st = hl_network_evolve(r->net, r->proto_path ? 0 : r->T,
                               r->proto_path ? r->proto : NULL, p0, tg, ng, 1e-8, p, NULL);
        for (size_t i = 0; !st && i < ng; i++) {
            hl_network_observables o;
            hl_network_observe(r->net, p + i * (size_t)r->ns, &o);
            m1[i] = o.mean_energy;
            m2[i] = o.pop[0];
            m3[i] = o.pop[1];
        }
        free(p);
        free(p0);
    }
    if (st) {
        snprintf(why, why_len, "%s", hl_errmsg());
        return 0;
    }
    return 1;
}

static void grow(char **s, size_t *cap, size_t len, size_t need)
{
    if (!*s || len + need + 1 > *cap) {
        size_t nc = (*cap ? 2 * *cap : 1 << 16) + need;
        char *t = realloc(*s, nc);
        if (!t) {
            free(*s);
            *s = NULL;
            return;
        }
        *s = t;
        *cap = nc;
    }
}

#define APPEND(...)                                                                         \
    do {                                                                                    \
        grow(&s, &cap, len, 512);                                                           \
        if (!s)                                                                             \
            goto oom;                                                                       \
        len += (size_t)snprintf(s + len, cap - len, __VA_ARGS__);                           \
    } while (0)

int kmc_plot(const kmc_run *r, const char *path)
{
    double tmax = r->times[r->nt - 1];
    double tpos = INFINITY;
    for (size_t t = 0; t < r->nt; t++)
        if (r->times[t] > 0)
            tpos = fmin(tpos, r->times[t]);
    int logt = tpos < INFINITY && tmax / tpos >= 100;
    double tg[ME_POINTS], m1[ME_POINTS], m2[ME_POINTS], m3[ME_POINTS];
    for (int i = 0; i < ME_POINTS; i++)
        tg[i] = logt ? tpos * pow(tmax / tpos, (double)i / (ME_POINTS - 1))
                     : tmax * i / (ME_POINTS - 1);
    tg[ME_POINTS - 1] = tmax;
    char why[300] = "";
    int have_me = tmax > 0 && master_means(r, tg, ME_POINTS, m1, m2, m3, why, sizeof why);
    if (!have_me && tmax > 0)
        fprintf(stderr, "hyperland kmc: --plot without the master-equation mean: %s\n", why);
    const char *tp = cli_output_temp(r->cmd, path);
    if (!tp)
        return 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", tp);
    char *s = NULL;
    size_t cap = 0, len = 0;
    int ntr = r->ntraj < PLOT_TRAJECTORIES ? (int)r->ntraj : PLOT_TRAJECTORIES;
    int two = r->lattice || (r->npop > 0);
    /* trajectories, each a block: t v1 v2 */
    for (int i = 0; i < ntr; i++) {
        hl_kmc_record *rec = NULL;
        size_t n = 0;
        hl_kmc_info info;
        if (rerun(r, i, 1, PLOT_RECORDS, &rec, &n, &info)) {
            free(rec);
            free(s);
            return cli_lib_error(r->cmd, HL_ENOMEM), 0;
        }
        APPEND("$T%d << EOD\n", i);
        long prev = info.start;
        double t0 = logt ? tpos : 0;
        for (size_t q = 0; q <= n; q++) {
            long st = q == 0 ? info.start : rec[q - 1].state;
            double t = q == 0 ? t0 : rec[q - 1].t;
            if (logt && t < tpos)
                t = tpos;
            double v1 = r->lattice ? r->obs[2][st] : r->energy[st];
            double v2 = r->lattice ? r->obs[3][st] : (double)r->set_of[st];
            APPEND("%.10g %.10g %.10g\n", t, v1, v2);
            prev = st;
        }
        double v1 = r->lattice ? r->obs[2][prev] : r->energy[prev];
        double v2 = r->lattice ? r->obs[3][prev] : (double)r->set_of[prev];
        APPEND("%.10g %.10g %.10g\nEOD\n", n < PLOT_RECORDS ? tmax : rec[n - 1].t, v1, v2);
        free(rec);
    }
    APPEND("$M << EOD\n");
    for (int i = 0; have_me && i < ME_POINTS; i++)
        if (!logt || tg[i] > 0)
            APPEND("%.10g %.10g %.10g %.10g\n", tg[i], m1[i], m2[i], m3[i]);
    APPEND("EOD\n$K << EOD\n");
    for (size_t t = 0; t < r->nt; t++) {
        if (logt && r->times[t] <= 0)
            continue;
        int q1 = r->lattice ? 2 : 0;
        APPEND("%.10g %.10g %.10g", r->times[t], r->mean[q1][t],
               kmc_se(r->var[q1][t], r->count[t]));
        if (r->lattice)
            APPEND(" %.10g %.10g\n", r->mean[3][t], kmc_se(r->var[3][t], r->count[t]));
        else
            APPEND(" %.10g %.10g %.10g %.10g\n", r->npop > 0 ? r->pop[t * HL_MAX_BASINS] : NAN,
                   r->npop > 0 ? r->pop_se[t * HL_MAX_BASINS] : NAN,
                   r->npop > 1 ? r->pop[t * HL_MAX_BASINS + 1] : NAN,
                   r->npop > 1 ? r->pop_se[t * HL_MAX_BASINS + 1] : NAN);
    }
    APPEND("EOD\n");
    char cond[160];
    if (r->proto_path)
        snprintf(cond, sizeof cond, "protocol %.60s", r->proto_path);
    else if (r->lattice)
        snprintf(cond, sizeof cond, "beta = %g", r->beta);
    else
        snprintf(cond, sizeof cond, "T = %g", r->T);
    char title[512];
    if (r->lattice)
        snprintf(title, sizeof title, "Kinetic Monte Carlo, class lattice D = %ld, %s, from %s",
                 r->D, cond, r->from);
    else
        snprintf(title, sizeof title, "Kinetic Monte Carlo, network %s, %s, from %s",
                 strlen(r->input) > 40 ? r->input + strlen(r->input) - 40 : r->input, cond,
                 r->from);
    /* a double-quoted gnuplot string (for its line break): no quote or
     * backslash of a user's text may end it */
    for (char *c = title; *c; c++)
        if (*c == '"' || *c == '\\' || *c == '\'')
            *c = '_';
    APPEND("set terminal pngcairo size 1000,%d font 'sans,11' enhanced\n"
           "set output '%s'\nset multiplot layout %d,1 title \"%s\\n%ld trajectories, seed "
           "%" PRIu64 "\" noenhanced\n%s"
           "set grid\nset key outside right top\nset lmargin 12\nset rmargin 34\n",
           two ? 820 : 480, tmp, two ? 2 : 1, title, r->ntraj, r->seed,
           logt ? "set logscale x\nset format x '10^{%T}'\n" : "");
    static const char *col[PLOT_TRAJECTORIES] = {"#9ecae1", "#a1d99b", "#fdae6b", "#bcbddc",
                                                 "#fc9272"};
    for (int panel = 0; panel < (two ? 2 : 1); panel++) {
        const char *yl = r->lattice ? (panel ? "y" : "x") : (panel ? "population" : "energy E");
        APPEND("set ylabel '%s'\n%s", yl,
               panel == (two ? 1 : 0)
                   ? (r->lattice ? "set xlabel 'time t (units of 1/B)'\n"
                                 : "set xlabel 'time t (the database time unit)'\n")
                   : "unset xlabel\n");
        if (!r->lattice && panel == 1)
            APPEND("set yrange [-0.02:1.02]\n");
        APPEND("plot ");
        int first = 1;
        if (r->lattice || panel == 0)
            for (int i = 0; i < ntr; i++) {
                char lab[64] = "";
                if (i == 0)
                    snprintf(lab, sizeof lab, "%d trajectories (steps)", ntr);
                APPEND("%s$T%d using 1:%d with steps lw 1 lc rgb '%s' title '%s'",
                       first ? "" : ", ", i, panel + 2, col[i], lab);
                first = 0;
            }
        if (r->lattice || panel == 0) {
            if (have_me) {
                APPEND("%s$M using 1:%d with lines lw 3 lc rgb '#000000' title 'master "
                       "equation mean'", first ? "" : ", ", panel + 2);
                first = 0;
            }
            APPEND("%s$K using 1:%d:%d with yerrorbars pt 7 ps 0.8 lc rgb '#c0392b' "
                   "title 'ensemble mean +- se'", first ? "" : ", ", 2 + 2 * panel,
                   3 + 2 * panel);
        } else {
            if (have_me)
                APPEND("$M using 1:3 with lines lw 3 lc rgb '#1f5fbf' title 'P_A master "
                       "equation', $M using 1:4 with lines lw 3 lc rgb '#c0392b' title 'P_B "
                       "master equation', ");
            APPEND("$K using 1:4:5 with yerrorbars pt 7 ps 0.8 lc rgb '#1f5fbf' title "
                   "'P_A ensemble +- se', $K using 1:6:7 with yerrorbars pt 5 ps 0.8 lc rgb "
                   "'#c0392b' title 'P_B ensemble +- se'");
        }
        APPEND("\n");
    }
    APPEND("unset multiplot\nunset output\n");
    const char *outs[1] = {path}, *tmps[1] = {tmp};
    int ok = cli_gnuplot(r->cmd, s, outs, tmps, 1);
    free(s);
    return ok;
oom:
    cli_error(r->cmd, "out of memory drawing %s", path);
    return 0;
}
