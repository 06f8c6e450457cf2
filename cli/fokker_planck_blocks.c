/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fokker_planck_blocks.c -- hyperland fokker-planck --blocks K: the
 * Fokker-Planck equation in k <= 3 block magnetisations
 * (hl_fp_blocks_chain): its slowest relaxation rates through the public
 * chain's solvers (hl_chain_slow_rates: the tunnelling rate exact however
 * small) at the initial beta, and with --from its evolution at a fixed
 * beta or under a protocol (hl_fp_blocks_evolve), reported as the 2-D
 * command reports it with m1 .. mK beside x, y. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"
#include "fokker_planck_blocks.h"
#include "hyperland/chain.h"
#include "hyperland/fokker_planck.h"
#include "hyperland/blocks_phases.h"
#include "hyperland/gaussian.h"

static void print_rate(double ln)
{
    if (ln == -INFINITY)
        printf(" %22s %22s", "0", "n/a (rate 0)");
    else if (isnan(ln))
        printf(" %22s %22s", "not resolved", "not resolved");
    else if (ln < -700) {
        double e10 = ln / log(10.0), ex = floor(e10);
        printf(" %17.10fe%.0f %22.14g", pow(10.0, e10 - ex), ex, ln);
    } else
        printf(" %22.14g %22.14g", exp(ln), ln);
}

/* A library failure; out of memory: the grid's size, its limit and the
 * memory the run would need, scaled from measured peaks (K <= 2: about 1.4
 * kB a cell, 0.9 GB at 800^2 cells; K = 3: 0.26 GB at 40^3 cells, growing
 * as cells^(4/3), the fill-in of the sparse LU on a 3-D grid). */
static int lib_error(const char *cmd, int st, int kb, long grid)
{
    if (st != HL_ENOMEM)
        return cli_lib_error(cmd, st);
    double cells = pow((double)grid, kb);
    double bytes = kb < 3 ? 1.45e3 * cells : 4.0e3 * cells * cbrt(cells / 64000.0);
    cli_error(cmd, "%s: a grid of %.0f cells (%ld per axis; the limit is %ld cells) needs roughly "
                   "%.2g GB (scaled from measured peaks); use a smaller --grid",
              hl_errmsg(), cells, grid, HL_FP_BLOCKS_CELLS_MAX, bytes / 1e9);
    return EXIT_FAIL;
}

/* the slowest rates of the chain at beta, in logs */
typedef struct {
    int kb;
    long grid;
    long k;
    double *ln;
    char method[400], why[256];
    double resolution;
} fpb_spectrum;

static int spectrum(const char *cmd, hl_chain *c, double beta, long cells, fpb_spectrum *s)
{
    int st, rc = EXIT_FAIL;
    hl_chain_plan *plan = NULL;
    hl_chain_result res;
    memset(&res, 0, sizeof res);
    double *r = malloc(sizeof(double) * (size_t)s->k);
    if (!r) {
        cli_error(cmd, "out of memory");
        return EXIT_FAIL;
    }
    /* the eigensolver (as the 2-D equation's spectrum); the rates it
     * leaves below its resolution from the slow-rate methods, in logs */
    if ((st = hl_chain_plan_create(c, beta, &plan)) ||
        (st = hl_chain_spectrum(plan, (int)s->k, r, &res))) {
        rc = lib_error(cmd, st, s->kb, s->grid);
        goto done;
    }
    snprintf(s->method, sizeof s->method, "%s", res.method ? res.method : "");
    /* the slow-rate methods only up to the last rate not resolved (they
     * are costly for fast rates on a 3-D grid) */
    long lost = 0;
    for (long q = 0; q < s->k; q++) {
        s->ln[q] = q == 0 ? -INFINITY : r[q] > 0 ? log(r[q]) : NAN;
        if (q > 0 && q < cells && !(r[q] > 0))
            lost = q + 1;
    }
    double eig_res = res.resolution;
    if (lost) {
        double *l2 = malloc(sizeof(double) * (size_t)lost);
        if (!l2) {
            cli_error(cmd, "out of memory");
            goto done;
        }
        if ((st = hl_chain_slow_rates(plan, (int)lost, l2, s->why, sizeof s->why, &res))) {
            free(l2);
            rc = lib_error(cmd, st, s->kb, s->grid);
            goto done;
        }
        for (long q = 1; q < lost; q++)
            if (!(r[q] > 0))
                s->ln[q] = l2[q];
        size_t l = strlen(s->method);
        snprintf(s->method + l, sizeof s->method - l, "; below its resolution %.3g: %s",
                 eig_res, res.method ? res.method : "");
        free(l2);
    }
    s->resolution = eig_res;
    rc = EXIT_OK;
done:
    hl_chain_plan_free(plan);
    free(r);
    return rc;
}

/* the options of the run (form, domain, maximum) and the OU rates of the
 * linear form */
typedef struct {
    const cli_fp_blocks_args *a;
    int have_ou;
    double *ou;
} fpb_setup;

static const char *basin_key(int in_basin)
{
    return in_basin == HL_FP_CORE ? "core" : in_basin == HL_FP_BASIN ? "basin" : NULL;
}

static void json_spectrum(const hl_fp_blocks_info *fi, int kb, const fpb_spectrum *s,
                          const fpb_setup *su)
{
    const cli_fp_blocks_args *a = su->a;
    printf(", \"form\": \"%s\", \"grid\": %ld, \"cells\": %ld, \"active_cells\": %ld, "
           "\"window\": ",
           a->form == HL_FP_LINEAR ? "linear" : "full", fi->grid, fi->cells, fi->active);
    hl_json_number(stdout, a->window > 0 ? a->window : NAN);
    printf(", \"window_over\": ");
    if (a->window > 0)
        hl_json_string(stdout, a->protocol && a->from ? "every maximum at every T of the protocol"
                                                      : "the maximum at beta");
    else
        printf("null");
    printf(", \"in_basin\": ");
    if (basin_key(a->in_basin))
        hl_json_string(stdout, basin_key(a->in_basin));
    else
        printf("null");
    printf(", \"domain\": [");
    for (int q = 0; q < kb; q++) {
        printf("%s[", q ? ", " : "");
        hl_json_number(stdout, fi->lo[q]);
        printf(", ");
        hl_json_number(stdout, fi->hi[q]);
        printf("]");
    }
    printf("], \"maximum\": ");
    if (fi->branch[0]) {
        printf("{\"branch\": ");
        hl_json_string(stdout, fi->branch);
        printf(", \"m\": ");
        cli_blocks_json_vec(stdout, fi->max_m, kb);
        printf("}");
    } else
        printf("null");
    if (su->have_ou) {
        printf(", \"ou_rates\": ");
        cli_blocks_json_vec(stdout, su->ou, (int)s->k);
    }
    printf(", \"grid_resolution\": {\"max_ln_jump\": ");
    hl_json_number(stdout, fi->max_ln_jump);
    printf(", \"m\": [");
    for (int a = 0; a < kb; a++) {
        printf("%s", a ? ", " : "");
        hl_json_number(stdout, fi->jump_m[a]);
    }
    printf("], \"warning\": ");
    if (fi->max_ln_jump > HL_FP_JUMP_WARN)
        hl_json_string(stdout, "coarse grid: ln P changes by more than 4 between adjacent "
                               "cells; rates carry a few per cent of discretisation error");
    else
        printf("null");
    printf("}");
    if (s->k <= 0) { /* --rates 0: the same keys, empty (a stable schema) */
        printf(", \"rates\": [], \"ln_rates\": [], \"null_reason\": null, \"method\": null, "
               "\"resolution\": null");
        return;
    }
    /* a rate below the range of a double is null in rates, its ln in ln_rates */
    printf(", \"rates\": [");
    for (long q = 0; q < s->k; q++) {
        printf("%s", q ? ", " : "");
        hl_json_number(stdout, s->ln[q] == -INFINITY ? 0.0
                               : exp(s->ln[q]) > 0 ? exp(s->ln[q]) : NAN);
    }
    printf("], \"ln_rates\": [");
    for (long q = 0; q < s->k; q++) {
        printf("%s", q ? ", " : "");
        hl_json_number(stdout, s->ln[q] == -INFINITY ? NAN : s->ln[q]);
    }
    int any = 0;
    for (long q = 1; q < s->k; q++)
        any |= isnan(s->ln[q]);
    printf("], \"null_reason\": ");
    if (any)
        hl_json_string(stdout, s->why[0] ? s->why : "below the eigensolver's resolution");
    else
        printf("\"ln_rates[0] is ln 0 (the equilibrium)\"");
    printf(", \"method\": ");
    hl_json_string(stdout, s->method);
    printf(", \"resolution\": ");
    hl_json_number(stdout, s->resolution);
}

static void text_spectrum(const hl_fp_blocks_info *fi, int kb, const fpb_spectrum *s,
                          const fpb_setup *su)
{
    const cli_fp_blocks_args *a = su->a;
    printf("Fokker-Planck (%s form) in m1 .. m%d, grid %ld^%d over ",
           a->form == HL_FP_LINEAR ? "linear" : "full", kb, fi->grid, kb);
    for (int q = 0; q < kb; q++)
        printf("%s[%.6g, %.6g]", q ? " x " : "", fi->lo[q], fi->hi[q]);
    printf(", %ld cells", fi->cells);
    if (fi->active != fi->cells)
        printf(" (%ld kept: the %s of the maximum)", fi->active,
               a->in_basin == HL_FP_CORE ? "concave core of the basin" : "basin");
    printf("\n");
    if (fi->branch[0]) {
        printf("around the maximum '%s' at m = (", fi->branch);
        for (int q = 0; q < kb; q++)
            printf("%s%.10g", q ? ", " : "", fi->max_m[q]);
        printf(")");
        if (a->window > 0)
            printf(", window +-%g standard deviations%s", a->window,
                   a->protocol && a->from ? " of every maximum over the protocol's temperatures"
                                          : "");
        printf("\n");
    }
    if (s->k <= 0)
        return;
    printf("%4s %22s %22s%s\n", "k", "rate (units of B)", "ln rate",
           su->have_ou ? "  exact OU (sums of n_i lambda_i)" : "");
    for (long q = 0; q < s->k; q++) {
        printf("%4ld", q);
        print_rate(s->ln[q]);
        if (su->have_ou)
            printf("  %s", cli_num("%.14g", su->ou[q]));
        printf("\n");
    }
    printf("method: %s (absolute resolution of the eigensolver %s)\n", s->method,
           cli_num("%.3g", s->resolution));
    int any = 0;
    for (long q = 1; q < s->k; q++)
        any |= isnan(s->ln[q]);
    if (any)
        printf("not resolved: %s\n", s->why[0] ? s->why : "below the eigensolver's resolution");
}

/* ---------------------------------------------------------- trajectory */

typedef struct {
    const hl_blocks *b;
    const hl_fp_blocks_point *pts;
    size_t n;
    char names[64][16];
    int nb;
    const char *from, *proto, *method;
    double beta, rtol, atol;
    long grid;
    int linear;
    const char *cut; /* the domain and cells kept, "" for the whole cube */
} fpb_traj;

/* the basin names over all points, in order of appearance */
static void traj_names(fpb_traj *o)
{
    o->nb = 0;
    for (size_t i = 0; i < o->n; i++)
        for (int q = 0; q < o->pts[i].n_basins; q++) {
            int found = 0;
            for (int j = 0; j < o->nb; j++)
                found |= !strcmp(o->names[j], o->pts[i].basins[q].name);
            if (!found && o->nb < 64)
                snprintf(o->names[o->nb++], 16, "%s", o->pts[i].basins[q].name);
        }
}

/* the probability of basin name at a point: 0 where it does not exist (as
 * the 2-D command) */
static double prob_of(const hl_fp_blocks_point *p, const char *name)
{
    for (int q = 0; q < p->n_basins; q++)
        if (!strcmp(p->basins[q].name, name))
            return p->basins[q].probability;
    return 0.0;
}

static int traj_csv(FILE *fp, void *vp)
{
    const fpb_traj *o = vp;
    int k = hl_blocks_k(o->b);
    char params[1024];
    snprintf(params, sizeof params,
             "D = %ld; %s%s; from %s; method Fokker-Planck %s form, %ld^%d finite volumes%s, "
             "%s (rtol %g, atol %g); time in units of 1/B; free_energy = <phi> + (T/D) sum Q "
             "ln(Q/W) per dimension; basin columns: probability of each basin of the current "
             "beta (0 where it does not exist)",
             hl_blocks_dim(o->b), o->proto ? "protocol " : "beta = ",
             o->proto ? o->proto : cli_num("%.17g", o->beta), o->from,
             o->linear ? "linear" : "full", o->grid, k, o->cut, o->method,
             o->rtol, o->atol);
    cli_csv_preamble(fp, params);
    cli_blocks_csv_comment(fp, o->b);
    cli_blocks_traj_header(fp, o->b, (const char(*)[16])o->names, o->nb, 0);
    for (size_t j = 0; j < o->n; j++) {
        const hl_fp_blocks_point *p = &o->pts[j];
        double prob[64];
        for (int q = 0; q < o->nb; q++)
            prob[q] = prob_of(p, o->names[q]);
        cli_blocks_traj_point r = {p->t,      p->beta,   p->mean_m,      p->mean_x,
                                   p->mean_y, p->mean_phi, p->mean_w,    p->free_energy,
                                   p->sum_error, p->min_q, NULL, 0, 0, 0};
        cli_blocks_traj_row(fp, o->b, &r, prob, NULL, o->nb);
    }
    return ferror(fp) ? -1 : 0;
}

static void traj_json(const fpb_traj *o)
{
    int k = hl_blocks_k(o->b), pair = hl_blocks_is_paper_pair(o->b);
    printf(", \"from\": ");
    hl_json_string(stdout, o->from);
    if (o->proto) {
        printf(", \"protocol\": ");
        hl_json_string(stdout, o->proto);
    }
    printf(", \"integrator\": ");
    hl_json_string(stdout, o->method);
    printf(", \"rtol\": ");
    hl_json_number(stdout, o->rtol);
    printf(", \"points\": [");
    for (size_t j = 0; j < o->n; j++) {
        const hl_fp_blocks_point *p = &o->pts[j];
        printf("%s{\"t\": ", j ? ", " : "");
        hl_json_number(stdout, p->t);
        printf(", \"beta\": ");
        hl_json_number(stdout, p->beta);
        printf(", \"mean_m\": ");
        cli_blocks_json_vec(stdout, p->mean_m, k);
        if (pair) {
            printf(", \"mean_x\": ");
            hl_json_number(stdout, p->mean_x);
            printf(", \"mean_y\": ");
            hl_json_number(stdout, p->mean_y);
        }
        const char *keys[] = {"mean_phi", "mean_w", "free_energy", "sum_error", "min_q"};
        double vals[] = {p->mean_phi, p->mean_w, p->free_energy, p->sum_error, p->min_q};
        for (int q = 0; q < 5; q++) {
            printf(", \"%s\": ", keys[q]);
            hl_json_number(stdout, vals[q]);
        }
        printf(", \"basins\": [");
        for (int q = 0; q < p->n_basins; q++) {
            printf("%s{\"name\": ", q ? ", " : "");
            hl_json_string(stdout, p->basins[q].name);
            printf(", \"probability\": ");
            hl_json_number(stdout, p->basins[q].probability);
            printf(", \"m\": ");
            cli_blocks_json_vec(stdout, p->basins[q].m, k);
            printf("}");
        }
        printf("]}");
    }
    printf("]");
}

static void traj_table(const fpb_traj *o)
{
    int k = hl_blocks_k(o->b), pair = hl_blocks_is_paper_pair(o->b);
    if (o->proto)
        printf("from %s, protocol %.70s: %s\n", o->from, o->proto, o->method);
    else
        printf("from %s, beta = %g: %s\n", o->from, o->beta, o->method);
    printf("%12s %10s", "t", "beta");
    for (int i = 0; i < k; i++)
        printf(" %11s%d", "mean_m", i + 1);
    if (pair)
        printf(" %12s %12s", "mean_x", "mean_y");
    printf(" %12s %13s %9s", "mean_phi", "free_energy", "sum_err");
    for (int q = 0; q < o->nb; q++)
        printf(" %12s", o->names[q]);
    printf("\n");
    for (size_t j = 0; j < o->n; j++) {
        const hl_fp_blocks_point *p = &o->pts[j];
        printf("%s %s", cli_num("%12.6g", p->t), cli_num("%10.6g", p->beta));
        for (int i = 0; i < k; i++)
            printf(" %s", cli_num("%12.8f", p->mean_m[i]));
        if (pair)
            printf(" %s %s", cli_num("%12.8f", p->mean_x), cli_num("%12.8f", p->mean_y));
        printf(" %s %s %s", cli_num("%12.8f", p->mean_phi), cli_num("%13.8f", p->free_energy),
               cli_num("%9.2g", p->sum_error));
        for (int q = 0; q < o->nb; q++)
            printf(" %s", cli_num("%12.8g", prob_of(p, o->names[q])));
        printf("\n");
    }
}

/* the --plot figure: the columns of the points for cli_blocks_traj_plot */
static int traj_plot(const char *cmd, const fpb_traj *o, const char *path)
{
    int k = hl_blocks_k(o->b), pair = hl_blocks_is_paper_pair(o->b), ok = 0;
    size_t n = o->n;
    double *t = malloc(sizeof(double) * n), *m = malloc(sizeof(double) * n * (size_t)k);
    double *x = malloc(sizeof(double) * n), *y = malloc(sizeof(double) * n);
    double *pr = malloc(sizeof(double) * n * (size_t)(o->nb > 0 ? o->nb : 1));
    if (!t || !m || !x || !y || !pr) {
        cli_error(cmd, "out of memory drawing %s", path);
        goto done;
    }
    for (size_t j = 0; j < n; j++) {
        const hl_fp_blocks_point *p = &o->pts[j];
        t[j] = p->t;
        for (int i = 0; i < k; i++)
            m[j * (size_t)k + (size_t)i] = p->mean_m[i];
        x[j] = p->mean_x;
        y[j] = p->mean_y;
        for (int q = 0; q < o->nb; q++)
            pr[j * (size_t)o->nb + (size_t)q] = prob_of(p, o->names[q]);
    }
    cli_blocks_plot_data d = {cmd, "Fokker-Planck evolution", o->b, o->from, o->proto,
                              o->beta, n, t, m, pair ? x : NULL, pair ? y : NULL, pr,
                              o->nb, (const char(*)[16])o->names};
    ok = cli_blocks_traj_plot(&d, path);
done:
    free(t);
    free(m);
    free(x);
    free(y);
    free(pr);
    return ok;
}

int cli_fp_blocks(const char *cmd, const cli_blocks_opts *bo, const cli_fp_blocks_args *a)
{
    int rc = EXIT_FAIL, st;
    long k = a->rates;
    hl_protocol *proto = NULL;
    hl_blocks *b = NULL;
    hl_chain *c = NULL;
    double *times = NULL, *q0 = NULL, *ou = NULL;
    hl_fp_blocks_point *pts = NULL;
    size_t nt = 0;
    fpb_spectrum sp;
    memset(&sp, 0, sizeof sp);
    sp.k = k;
    sp.ln = malloc(sizeof(double) * (size_t)(k + 1));
    if (!sp.ln) {
        cli_error(cmd, "out of memory");
        return EXIT_FAIL;
    }
    int drc = cli_trajectory_declare(cmd, a->json, a->output, a->plot, a->protocol);
    if (drc != EXIT_OK) {
        rc = drc;
        goto done;
    }
    if (a->times && !cli_parse_times(cmd, a->times, &times, &nt)) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (a->protocol) {
        if (!cli_read_protocol(cmd, a->protocol, &proto)) {
            rc = EXIT_USAGE;
            goto done;
        }
    } else if ((st = hl_protocol_create_fixed(a->beta, &proto))) {
        rc = cli_lib_error(cmd, st);
        goto done;
    }
    double beta0 = hl_protocol_beta(proto, 0.0);
    if (!(b = cli_blocks_model(cmd, bo, a->dim, a->phi, a->trans))) {
        rc = cli_blocks_status();
        goto done;
    }
    int kb = hl_blocks_k(b);
    long grid = a->grid > 0 ? a->grid : kb == 3 ? 40 : 200;
    hl_fp_blocks_start start;
    if (a->from && !cli_fp_blocks_start(cmd, b, a->from, &start, &q0)) {
        rc = EXIT_USAGE;
        goto done;
    }
    hl_fp_blocks_info fi;
    hl_fp_blocks_options fo;
    hl_fp_blocks_options_default(&fo);
    fo.grid = grid;
    fo.form = a->form;
    fo.window = a->window;
    fo.in_basin = a->in_basin;
    fo.branch = a->branch;
    /* with --from the grid covers the protocol's temperatures (a window:
     * all its maxima; the resolution at every row), the same grid for the
     * rates at beta(0) and for the evolution; the rates alone are those of
     * beta(0) and its grid */
    fo.protocol = a->from ? proto : NULL;
    if (a->at) {
        size_t n_at = 0;
        if (!cli_parse_list(cmd, "--at", a->at, fo.at, HL_FP_BLOCKS_MAX, &n_at)) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (n_at != (size_t)kb) {
            cli_error(cmd, "--at needs %d numbers m1,...,m%d with %d blocks, not %zu", kb, kb,
                      kb, n_at);
            rc = EXIT_USAGE;
            goto done;
        }
        for (int i = 0; i < kb; i++)
            if (!(fabs(fo.at[i]) <= 1)) {
                cli_error(cmd, "--at: m%d = %g is outside [-1, 1]", i + 1, fo.at[i]);
                rc = EXIT_USAGE;
                goto done;
            }
        fo.use_point = 1;
    }
    if ((st = hl_fp_blocks_chain_opt(b, beta0, &fo, &c, NULL, &fi))) {
        rc = lib_error(cmd, st, kb, grid);
        goto done;
    }
    fpb_setup su = {a, 0, NULL};
    if (a->form == HL_FP_LINEAR && k > 0) {
        /* the exact rates of the OU process at the same maximum */
        hl_bstat mx[64];
        char names[64][16];
        double lam[HL_FP_BLOCKS_MAX];
        size_t nm = 0, who = 64;
        if ((st = hl_blocks_maxima_at(b, beta0, mx, 64, &nm, NULL)) ||
            (st = hl_blocks_name_maxima(b, beta0, mx, nm < 64 ? nm : 64, names))) {
            rc = cli_lib_error(cmd, st);
            goto done;
        }
        for (size_t q = 0; q < nm && q < 64; q++)
            if (!strcmp(names[q], fi.branch))
                who = q;
        if (!(ou = malloc(sizeof(double) * (size_t)k))) {
            cli_error(cmd, "out of memory");
            goto done;
        }
        if (who == 64) {
            cli_error(cmd, "the maximum '%s' is lost", fi.branch);
            goto done;
        }
        if ((st = hl_blocks_ou(b, &mx[who], NULL, NULL, NULL, lam, NULL))) {
            rc = cli_lib_error(cmd, st);
            goto done;
        }
        hl_ou_rates_k(lam, kb, (int)k, ou);
        su.have_ou = 1;
        su.ou = ou;
    }
    if (fi.max_ln_jump > HL_FP_JUMP_WARN) {
        fprintf(stderr, "hyperland %s: warning: coarse grid: ln P changes by %.3g between "
                        "adjacent cells near m = (",
                cmd, fi.max_ln_jump);
        for (int q = 0; q < kb; q++)
            fprintf(stderr, "%s%.4f", q ? ", " : "", fi.jump_m[q]);
        fprintf(stderr, "); expect a few per cent of discretisation error (more cells reduce "
                        "it)\n");
    }
    sp.kb = kb;
    sp.grid = grid;
    if (k > 0 && (rc = spectrum(cmd, c, beta0, fi.cells, &sp)) != EXIT_OK)
        goto done;
    rc = EXIT_FAIL;
    hl_chain_free(c);
    c = NULL;
    fpb_traj o;
    char cut[160] = "";
    memset(&o, 0, sizeof o);
    if (a->from) {
        pts = calloc(nt, sizeof *pts);
        if (!pts) {
            cli_error(cmd, "out of memory");
            goto done;
        }
        hl_fp_blocks_info ei;
        if ((st = hl_fp_blocks_evolve_opt(b, &fo, proto, &start, times, nt, a->rtol, pts, NULL,
                                          &ei))) {
            rc = lib_error(cmd, st, kb, grid);
            goto done;
        }
        o.b = b;
        o.pts = pts;
        o.n = nt;
        o.from = a->from;
        o.proto = a->protocol;
        int krylov = ei.method && strstr(ei.method, "krylov");
        o.method = hl_protocol_settle_time(proto) > 0
                       ? (krylov ? "CVODE BDF while beta changes, then the shift-and-invert "
                                   "Krylov exponential"
                                 : "CVODE BDF")
                       : (krylov ? "shift-and-invert Krylov exponential" : "CVODE BDF");
        o.beta = beta0;
        o.rtol = a->rtol > 0 ? a->rtol : 1e-8;
        o.atol = o.rtol * 1e-4 / (double)fi.cells;
        o.grid = grid;
        o.linear = a->form == HL_FP_LINEAR;
        if (fi.branch[0])
            snprintf(cut, sizeof cut, " around the maximum %s%s%s", fi.branch,
                     a->window > 0 ? " (window)" : "",
                     a->in_basin == HL_FP_CORE    ? ", concave core of its basin"
                     : a->in_basin == HL_FP_BASIN ? ", its basin"
                                                  : "");
        o.cut = cut;
        traj_names(&o);
        if (a->output && !cli_write_atomic(cmd, a->output, traj_csv, &o))
            goto done;
        if (a->plot && !traj_plot(cmd, &o, a->plot))
            goto done;
    }
    if (a->json) {
        cli_json_begin(stdout, cmd);
        cli_blocks_json(stdout, b);
        printf(", \"beta\": ");
        hl_json_number(stdout, beta0);
        if (a->protocol && !a->from) {
            printf(", \"protocol\": ");
            hl_json_string(stdout, a->protocol);
        }
        json_spectrum(&fi, kb, &sp, &su);
        if (a->from)
            traj_json(&o);
        printf("}\n");
    } else {
        printf("D = %ld in %d block%s (", hl_blocks_dim(b), kb, kb == 1 ? "" : "s");
        for (int q = 0; q < kb; q++)
            printf("%s%ld", q ? ", " : "", hl_blocks_size(b, q));
        printf("), beta = %s%s\nphi = %s\n", cli_num("%g", beta0),
               a->protocol ? " (the protocol's at t = 0)" : "", hl_blocks_phi_formula(b));
        text_spectrum(&fi, kb, &sp, &su);
        if (a->from)
            traj_table(&o);
    }
    rc = EXIT_OK;
done:
    hl_chain_free(c);
    hl_blocks_free(b);
    hl_protocol_free(proto);
    free(sp.ln);
    free(times);
    free(q0);
    free(ou);
    free(pts);
    return rc;
}
