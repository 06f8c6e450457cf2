/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_ageing.c -- hyperland ageing: the two-time autocorrelation after a
 * quench (memory.h) on the model's class lattice or a network, for several
 * waiting times and the equilibrium. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "memory_cli.h"

static const char *CMD = "ageing";

#define AGE_MAX_TW 32

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland ageing (--dim D [--blocks K] | --db DIR ...) --t0 T0 --t T\n"
"                        --tw a,b,...\n"
"                        [options]\n"
"\n"
"Ageing after a quench from T0 (--start) to T at t = 0: the connected,\n"
"normalised two-time autocorrelation\n"
"  C(t_w + tau, t_w) = [<A(t_w+tau) A(t_w)> - <A(t_w+tau)><A(t_w)>]\n"
"                      / [<A^2(t_w)> - <A(t_w)>^2],   C(t_w, t_w) = 1,\n"
"from the propagator of the master equation (the positive and negative parts\n"
"of (A - <A>(t_w)) p(t_w) propagated as distributions), for A (phi or E) and\n"
"for the occupation of the liquid basin (1 inside, 0 outside), at each waiting\n"
"time t_w and at equilibrium (t_w -> infinity, the stationary correlation).\n"
"tau_e: the lag where C falls to 1/e.  A row is null with a reason when its\n"
"variance is too small for the engine's tolerance, or there is no basin.\n"
"\n"
"options:\n"
"  --t0 T0              start temperature (> 0)\n"
"  --t T                the quench temperature (> 0)\n"
"  --tw LIST            waiting times a,b,... (>= 0, increasing; at most 32)\n"
"  --tau-min T, --tau-max T  the log grid of lags (default 1e-3, 1e4; tau = 0 is\n"
"                       added)\n"
"  --output FILE        C for every t_w and lag as CSV ('-': stdout)\n"
"  --plot FILE.png      C against tau, one curve per t_w and the equilibrium\n"
"  --json               machine-readable output on stdout\n"
CLI_MEMORY_HELP);
    fputs(CLI_MEMORY_BLOCKS_HELP, fp);
    fprintf(fp,
CLI_THREADS_HELP
"  --help               this text\n" HL_FORMULA_HELP);
}

typedef struct {
    cli_memsys *ms;
    hl_ageing_options o;
    double tw[AGE_MAX_TW];
    size_t ntw, ntau;
    double *tau, *c, *cb;
    hl_ageing_row rows[AGE_MAX_TW + 1];
    double tau_min, tau_max;
} age_run;

static int write_csv(FILE *fp, void *ctx)
{
    const age_run *r = ctx;
    char sys[600], params[1200];
    cli_memsys_describe(r->ms, sys, sizeof sys);
    snprintf(params, sizeof params,
             "%s; ageing: start %s at T0 = %.17g, quench to T = %.17g at t = 0; c: the "
             "connected normalised autocorrelation of A, c_basin: of the basin's occupation; "
             "tw empty and equilibrium = 1: the equilibrium at T; empty c: see the JSON's reasons",
             sys, cli_memsys_start_name(r->o.start), r->o.t0, r->o.t);
    cli_csv_preamble(fp, params);
    fprintf(fp, "tw,equilibrium,tau,c,c_basin\n");
    for (size_t i = 0; i <= r->ntw; i++)
        for (size_t k = 0; k < r->ntau; k++) {
            if (r->rows[i].equilibrium)
                fprintf(fp, ",1");
            else
                fprintf(fp, "%.12g,0", r->tw[i]);
            hl_csv_number(fp, ",%.12g", r->tau[k]);
            hl_csv_number(fp, ",%.12g", r->c[i * r->ntau + k]);
            hl_csv_number(fp, ",%.12g", r->cb[i * r->ntau + k]);
            fputc('\n', fp);
        }
    return ferror(fp) ? -1 : 0;
}

static void json_num(const char *key, double v)
{
    printf(", \"%s\": ", key);
    hl_json_number(stdout, v);
}

static void write_json(const age_run *r)
{
    cli_json_begin(stdout, CMD);
    cli_memsys_json(r->ms);
    printf(", \"t0\": %.17g, \"t\": %.17g, \"tau\": [", r->o.t0, r->o.t);
    for (size_t k = 0; k < r->ntau; k++) {
        printf(k ? ", " : "");
        hl_json_number(stdout, r->tau[k]);
    }
    printf("], \"rows\": [");
    for (size_t i = 0; i <= r->ntw; i++) {
        const hl_ageing_row *w = &r->rows[i];
        printf("%s{\"equilibrium\": %s", i ? ", " : "", w->equilibrium ? "true" : "false");
        json_num("tw", w->tw);
        json_num("mean", w->mean);
        json_num("variance", w->variance);
        json_num("tau_e", w->tau_e);
        if (w->tau_e_null[0]) {
            printf(", \"tau_e_null_reason\": ");
            hl_json_string(stdout, w->tau_e_null);
        }
        json_num("c_error", w->c_error);
        if (w->null_obs[0]) {
            printf(", \"c_null\": ");
            hl_json_string(stdout, w->null_obs);
        }
        json_num("p_basin", w->p_basin);
        json_num("variance_basin", w->variance_basin);
        json_num("tau_e_basin", w->tau_e_basin);
        if (w->tau_e_basin_null[0]) {
            printf(", \"tau_e_basin_null_reason\": ");
            hl_json_string(stdout, w->tau_e_basin_null);
        }
        json_num("c_error_basin", w->c_error_basin);
        if (w->null_basin[0]) {
            printf(", \"c_basin_null\": ");
            hl_json_string(stdout, w->null_basin);
        }
        json_num("max_sum_error", w->max_sum_error);
        printf(", \"c\": [");
        for (size_t k = 0; k < r->ntau; k++) {
            printf(k ? ", " : "");
            hl_json_number(stdout, r->c[i * r->ntau + k]);
        }
        printf("], \"c_basin\": [");
        for (size_t k = 0; k < r->ntau; k++) {
            printf(k ? ", " : "");
            hl_json_number(stdout, r->cb[i * r->ntau + k]);
        }
        printf("]}");
    }
    printf("]}\n");
}

static void write_table(const age_run *r)
{
    char sys[600];
    cli_memsys_describe(r->ms, sys, sizeof sys);
    printf("%s\n", sys);
    printf("ageing: from the %s at T0 = %g, quenched to T = %g at t = 0; tau_e: C(t_w + tau, "
           "t_w) = 1/e\n",
           r->o.start == HL_MEMORY_START_BASIN ? "liquid basin's equilibrium" : "equilibrium",
           r->o.t0, r->o.t);
    printf("%12s %15s %12s %12s %10s %12s\n", "t_w", "<A>(t_w)", "Var A", "tau_e", "P_basin",
           "tau_e_basin");
    for (size_t i = 0; i <= r->ntw; i++) {
        const hl_ageing_row *w = &r->rows[i];
        printf("%12s %15s %12s %12s %10s %12s\n",
               w->equilibrium ? "equilibrium" : cli_num("%12.6g", w->tw),
               cli_numx("%15.10f", w->mean, "null"), cli_numx("%12.5g", w->variance, "null"),
               cli_numx("%12.5g", w->tau_e, "null"), cli_numx("%10.6f", w->p_basin, "null"),
               cli_numx("%12.5g", w->tau_e_basin, "null"));
    }
    for (size_t i = 0; i <= r->ntw; i++) {
        const hl_ageing_row *w = &r->rows[i];
        const char *name = w->equilibrium ? "equilibrium" : cli_num("t_w = %g", w->tw);
        if (w->null_obs[0])
            printf("%s: C of A null: %s\n", name, w->null_obs);
        if (w->null_basin[0])
            printf("%s: C of the basin null: %s\n", name, w->null_basin);
        if (w->tau_e_null[0] && !w->null_obs[0])
            printf("%s: tau_e null: %s\n", name, w->tau_e_null);
        if (w->tau_e_basin_null[0] && !w->null_basin[0])
            printf("%s: tau_e_basin null: %s\n", name, w->tau_e_basin_null);
    }
}

static const char *COLORS[] = {"#1f5fbf", "#c0392b", "#2e8b57", "#d08c00", "#7b3fa0", "#17a2b8",
                               "#555555", "#e377c2"};

static int plot(const age_run *r, const char *path)
{
    cli_strbuf s = {0};
    const char *tp = cli_output_temp(CMD, path);
    if (!tp)
        return 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", tp);
    for (size_t i = 0; i <= r->ntw; i++) {
        cli_strbuf_printf(&s, "$C%zu << EOD\n", i);
        for (size_t k = 0; k < r->ntau; k++)
            if (r->tau[k] > 0) {
                double a = r->c[i * r->ntau + k], b = r->cb[i * r->ntau + k];
                cli_strbuf_printf(&s, "%.10g %.10g %.10g\n", r->tau[k], isfinite(a) ? a : NAN,
                                  isfinite(b) ? b : NAN);
            }
        cli_strbuf_printf(&s, "EOD\n");
    }
    cli_strbuf_printf(&s,
        "set terminal pngcairo size 1300,600 font 'sans,12' enhanced\nset output '%s'\n"
        "set multiplot layout 1,2 title \"Ageing after a quench from T_0 = %g to T = %g: "
        "C(t_w + tau, t_w)\" noenhanced\n"
        "set xlabel 'tau'\nset ylabel 'C'\nset grid\nset logscale x\nset format x '10^{%%T}'\n"
        "set yrange [-0.05:1.05]\nset key bottom left box opaque\n",
        tmp, r->o.t0, r->o.t);
    for (int panel = 0; panel < 2; panel++) {
        cli_strbuf_printf(&s, "set title \"%s\" noenhanced\nplot ",
                          panel ? "occupation of the liquid basin"
                                : (r->ms->network ? "A = E of the minimum" : "A = phi"));
        for (size_t i = 0; i <= r->ntw; i++) {
            const hl_ageing_row *w = &r->rows[i];
            if (w->equilibrium)
                cli_strbuf_printf(&s, "%s$C%zu using 1:%d with lines lw 3 dt 2 lc rgb '#000000' "
                                      "title 'equilibrium'", i ? ", " : "", i, 2 + panel);
            else
                cli_strbuf_printf(&s, "%s$C%zu using 1:%d with lines lw 2 lc rgb '%s' "
                                      "title 't_w = %g'", i ? ", " : "", i, 2 + panel,
                                  COLORS[i % (sizeof COLORS / sizeof COLORS[0])], w->tw);
        }
        cli_strbuf_printf(&s, "\n");
    }
    cli_strbuf_printf(&s, "unset multiplot\nunset output\n");
    return cli_strbuf_gnuplot(CMD, &s, path, tmp);
}

int cmd_ageing(int argc, char **argv)
{
    static const struct option opts[] = {
        {"t0", required_argument, 0, '0'},        {"t", required_argument, 0, 'T'},
        {"tw", required_argument, 0, 'w'},        {"tau-min", required_argument, 0, 'm'},
        {"tau-max", required_argument, 0, 'M'},   {"output", required_argument, 0, 'o'},
        {"plot", required_argument, 0, 'g'},      {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'},            CLI_MEMORY_OPTIONS,
        CLI_THREADS_OPTION,                       {0, 0, 0, 0}};
    cli_memsys ms;
    cli_memsys_init(&ms);
    age_run r;
    memset(&r, 0, sizeof r);
    r.ms = &ms;
    r.tau_min = 1e-3;
    r.tau_max = 1e4;
    int have0 = 0, haveT = 0, json = 0, c, t;
    const char *output = NULL, *plotp = NULL;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case '0': if (!cli_parse_double(CMD, "--t0", optarg, &r.o.t0)) return EXIT_USAGE; have0 = 1; break;
        case 'T': if (!cli_parse_double(CMD, "--t", optarg, &r.o.t)) return EXIT_USAGE; haveT = 1; break;
        case 'w':
            if (!cli_parse_list(CMD, "--tw", optarg, r.tw, AGE_MAX_TW, &r.ntw))
                return EXIT_USAGE;
            break;
        case 'm': if (!cli_parse_double(CMD, "--tau-min", optarg, &r.tau_min)) return EXIT_USAGE; break;
        case 'M': if (!cli_parse_double(CMD, "--tau-max", optarg, &r.tau_max)) return EXIT_USAGE; break;
        case 'o': output = optarg; break;
        case 'g': plotp = optarg; break;
        case 'j': json = 1; break;
        case 'h': help(stdout); return EXIT_OK;
        default:
            if ((t = cli_memsys_option(CMD, &ms, c, optarg, argv)) != EXIT_OK)
                return t;
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    int st = cli_memsys_check(CMD, &ms);
    if (st != EXIT_OK)
        return st;
    if (!have0 || !haveT || !r.ntw) {
        cli_error(CMD, "--t0 T0, --t T and --tw a,b,... are required (see --help)");
        return EXIT_USAGE;
    }
    if (!(r.o.t0 > 0) || !(r.o.t > 0)) {
        cli_error(CMD, "--t0 and --t must be positive (got %g, %g)", r.o.t0, r.o.t);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < r.ntw; i++)
        if (!(r.tw[i] >= 0) || (i && !(r.tw[i] > r.tw[i - 1]))) {
            cli_error(CMD, "--tw: waiting times must be >= 0 and increasing (got %g)", r.tw[i]);
            return EXIT_USAGE;
        }
    r.o.start = ms.start;
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    if ((output && !cli_output_declare(CMD, "--output", output, 0)) ||
        (plotp && !cli_output_declare(CMD, "--plot", plotp, 1)))
        return cli_outputs_status();
    size_t ng;
    double *grid = cli_memsys_grid(CMD, r.tau_min, r.tau_max, ms.per_decade, &ng);
    if (!grid)
        return EXIT_USAGE;
    int rc = EXIT_FAIL;
    r.ntau = ng + 1;
    r.tau = malloc(sizeof(double) * r.ntau);
    r.c = malloc(sizeof(double) * r.ntau * (r.ntw + 1));
    r.cb = malloc(sizeof(double) * r.ntau * (r.ntw + 1));
    if (!r.tau || !r.c || !r.cb) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    r.tau[0] = 0;
    memcpy(r.tau + 1, grid, sizeof(double) * ng);
    ms.t_basin = r.o.t; /* blocks: the basin of the quench temperature, fixed */
    ms.t_basin_name = "T";
    int brc = cli_memsys_build(CMD, &ms);
    if (brc != EXIT_OK) {
        if (ms.bo.k) /* blocks: a --dim that does not fit them is a usage error */
            rc = brc;
        goto done;
    }
    if ((st = hl_ageing_run(ms.sys, &r.o, r.tw, r.ntw, r.tau, r.ntau, r.c, r.cb, r.rows))) {
        cli_lib_error(CMD, st);
        goto done;
    }
    if (output && !cli_write_atomic(CMD, output, write_csv, &r))
        goto done;
    if (plotp && !plot(&r, plotp))
        goto done;
    if (json)
        write_json(&r);
    else
        write_table(&r);
    rc = EXIT_OK;
done:
    free(grid);
    free(r.tau);
    free(r.c);
    free(r.cb);
    cli_memsys_free(&ms);
    return rc;
}
