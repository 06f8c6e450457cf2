/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_kovacs.c -- hyperland kovacs: the Kovacs memory experiment (memory.h)
 * on the model's class lattice or a network, for a list of T1. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "memory_cli.h"

static const char *CMD = "kovacs";

#define KOV_MAX_T1 32

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland kovacs (--dim D [--blocks K] | --db DIR ...) --t0 T0 --t2 T2\n"
"                        --t1 a,b,...\n"
"                        [options]\n"
"\n"
"The Kovacs memory experiment on the master equation, for each T1 < T2 < T0:\n"
"start at T0 (--start), quench to T1 at t = 0 and age there until <A> equals\n"
"A_ref, the equilibrium <A> at T2 of the reference (--reference), at the ageing\n"
"time t_a (root of <A>(t) - A_ref, Brent's method on the propagated <A>, to\n"
"1e-12 relative), then jump to T2 and follow <A>(t_a + tau).  With several\n"
"relaxation modes <A> leaves A_ref and comes back (the memory hump): its height\n"
"max_tau (<A> - A_ref) (positive: above the equilibrium of T2) and time tau.\n"
"A hump within the resolution (the ageing residual and the engine's tolerance)\n"
"is reported with a null time: with one relaxation mode there is none.\n"
"Time in units of 1/B (the model) or of the network's rates; T in the units\n"
"of phi (the model) or of E (k_B T, the network).\n"
"\n"
"options:\n"
"  --t0 T0              start temperature (> T2)\n"
"  --t2 T2              the temperature jumped to (> every T1)\n"
"  --t1 LIST            ageing temperatures a,b,... (each < T2; at most 32)\n"
"  --reference liquid|total  A_ref: the liquid basin's equilibrium <A> at T2\n"
"                       (default; a network without --liquid: total), or the\n"
"                       whole system's\n"
"  --t-min T, --t-max T the log grid of times, for the ageing search and the\n"
"                       curve after the jump (default 1e-3, 1e8)\n"
"  --output FILE        the curves as CSV ('-': stdout)\n"
"  --plot FILE.png      <A> - A_ref against tau after the jump, every T1\n"
"  --json               machine-readable output on stdout\n"
CLI_MEMORY_HELP);
    fputs(CLI_MEMORY_BLOCKS_HELP, fp);
    fprintf(fp,
CLI_THREADS_HELP
"  --help               this text\n" HL_FORMULA_HELP);
}

typedef struct {
    cli_memsys *ms;
    hl_kovacs_options o;
    double t1[KOV_MAX_T1];
    size_t n1, per_run;
    hl_kovacs_point *pts; /* n1 x per_run */
    size_t np[KOV_MAX_T1];
    hl_kovacs_result res[KOV_MAX_T1];
    double t_min, t_max;
} kov_run;

static const char *ref_name(int ref)
{
    return ref == HL_MEMORY_REF_TOTAL ? "total" : "liquid";
}

static int write_csv(FILE *fp, void *ctx)
{
    const kov_run *r = ctx;
    char sys[600], params[1200];
    cli_memsys_describe(r->ms, sys, sizeof sys);
    snprintf(params, sizeof params,
             "%s; Kovacs: start %s at T0 = %.17g, quench to T1, age until <A> = A_ref (the %s "
             "equilibrium <A> at T2 = %.17g), jump to T2; stage age: t since the quench, stage "
             "jump: tau since the jump; deviation = <A> - A_ref; grid %g .. %g, %ld a decade",
             sys, cli_memsys_start_name(r->o.start), r->o.t0, ref_name(r->o.ref), r->o.t2,
             r->t_min, r->t_max, r->ms->per_decade);
    cli_csv_preamble(fp, params);
    fprintf(fp, "T1,stage,t,mean,deviation,p_basin,sum_error\n");
    for (size_t i = 0; i < r->n1; i++)
        for (size_t k = 0; k < r->np[i]; k++) {
            const hl_kovacs_point *p = &r->pts[i * r->per_run + k];
            fprintf(fp, "%.12g,%s", r->t1[i], p->stage == HL_KOVACS_AGE ? "age" : "jump");
            hl_csv_number(fp, ",%.12g", p->t);
            hl_csv_number(fp, ",%.15g", p->mean);
            hl_csv_number(fp, ",%.12g", p->deviation);
            hl_csv_number(fp, ",%.12g", p->p_basin);
            hl_csv_number(fp, ",%.3g", p->sum_error);
            fputc('\n', fp);
        }
    return ferror(fp) ? -1 : 0;
}

static void json_num(const char *key, double v)
{
    printf(", \"%s\": ", key);
    hl_json_number(stdout, v);
}

static void write_json(const kov_run *r)
{
    cli_json_begin(stdout, CMD);
    cli_memsys_json(r->ms);
    printf(", \"t0\": %.17g, \"t2\": %.17g, \"reference\": \"%s\", \"grid\": {\"t_min\": %.17g, "
           "\"t_max\": %.17g, \"per_decade\": %ld}, \"runs\": [",
           r->o.t0, r->o.t2, ref_name(r->o.ref), r->t_min, r->t_max, r->ms->per_decade);
    for (size_t i = 0; i < r->n1; i++) {
        const hl_kovacs_result *s = &r->res[i];
        printf("%s{\"t1\": %.17g", i ? ", " : "", r->t1[i]);
        json_num("a_start", s->a_start);
        json_num("a_ref", s->a_ref);
        json_num("a_eq_t1", s->a_eq_t1);
        json_num("t_age", s->t_age);
        json_num("age_residual", s->age_residual);
        if (s->age_null[0]) {
            printf(", \"age_null\": ");
            hl_json_string(stdout, s->age_null);
        }
        json_num("hump_height", s->hump_height);
        json_num("hump_time", s->hump_time);
        json_num("hump_resolution", s->hump_resolution);
        json_num("hump_p_basin", s->hump_p_basin);
        if (s->hump_null[0]) {
            printf(", \"hump_null\": ");
            hl_json_string(stdout, s->hump_null);
        }
        json_num("max_sum_error", s->max_sum_error);
        printf(", \"propagations\": %ld, \"points\": [", s->propagations);
        for (size_t k = 0; k < r->np[i]; k++) {
            const hl_kovacs_point *p = &r->pts[i * r->per_run + k];
            printf("%s{\"stage\": \"%s\"", k ? ", " : "", p->stage == HL_KOVACS_AGE ? "age" : "jump");
            json_num("t", p->t);
            json_num("mean", p->mean);
            json_num("deviation", p->deviation);
            json_num("p_basin", p->p_basin);
            printf("}");
        }
        printf("]}");
    }
    printf("]}\n");
}

static void write_table(const kov_run *r)
{
    char sys[600];
    cli_memsys_describe(r->ms, sys, sizeof sys);
    printf("%s\n", sys);
    printf("Kovacs: from the %s at T0 = %g, age at T1 until <%s> = A_ref = the %s equilibrium "
           "<%s> at T2 = %g, then jump to T2\n",
           r->o.start == HL_MEMORY_START_BASIN ? "liquid basin's equilibrium" : "equilibrium",
           r->o.t0, r->ms->a_name, ref_name(r->o.ref), r->ms->a_name, r->o.t2);
    printf("%8s %13s %15s %15s %12s %12s %10s %9s\n", "T1", "t_age", "A_ref", "A_eq(T1)",
           "hump", "tau_hump", "p_basin", "resid");
    for (size_t i = 0; i < r->n1; i++) {
        const hl_kovacs_result *s = &r->res[i];
        printf("%8g %13s %15s %15s %12s %12s %10s %9s\n", r->t1[i],
               cli_numx("%13.6g", s->t_age, "null"), cli_numx("%15.10f", s->a_ref, "null"),
               cli_numx("%15.10f", s->a_eq_t1, "null"), cli_numx("%12.5g", s->hump_height, "null"),
               cli_numx("%12.5g", s->hump_time, "null"), cli_numx("%10.6f", s->hump_p_basin, "null"),
               cli_numx("%9.2g", s->age_residual, "null"));
    }
    for (size_t i = 0; i < r->n1; i++) {
        if (r->res[i].age_null[0])
            printf("T1 = %g: %s\n", r->t1[i], r->res[i].age_null);
        if (r->res[i].hump_null[0])
            printf("T1 = %g: %s\n", r->t1[i], r->res[i].hump_null);
    }
}

static const char *COLORS[] = {"#1f5fbf", "#c0392b", "#2e8b57", "#d08c00", "#7b3fa0", "#17a2b8",
                               "#555555", "#e377c2"};

static int plot(const kov_run *r, const char *path)
{
    cli_strbuf s = {0};
    const char *tp = cli_output_temp(CMD, path);
    if (!tp)
        return 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", tp);
    for (size_t i = 0; i < r->n1; i++) {
        cli_strbuf_printf(&s, "$K%zu << EOD\n", i);
        for (size_t k = 0; k < r->np[i]; k++) {
            const hl_kovacs_point *p = &r->pts[i * r->per_run + k];
            if (p->stage == HL_KOVACS_JUMP && p->t > 0)
                cli_strbuf_printf(&s, "%.10g %.10g\n", p->t, p->deviation);
        }
        cli_strbuf_printf(&s, "EOD\n");
    }
    double H = 0;
    for (size_t i = 0; i < r->n1; i++)
        if (isfinite(r->res[i].hump_height) && r->res[i].hump_height > H)
            H = r->res[i].hump_height;
    cli_strbuf_printf(&s,
        "set terminal pngcairo size 1400,620 font 'sans,12' enhanced\nset output '%s'\n"
        "set multiplot layout 1,2 title \"Kovacs memory: <%s>(t_a + tau) - A_ref after the "
        "jump to T_2 = %g (aged at T_1 from T_0 = %g until <%s> = A_ref, the %s equilibrium "
        "at T_2)\" noenhanced\n"
        "set xlabel 'tau (time after the jump)'\nset ylabel '<%s> - A_{ref}'\nset grid\n"
        "set logscale x\nset format x '10^{%%T}'\nset key top left box opaque\n"
        "set xzeroaxis lt -1\n",
        tmp, r->ms->a_name, r->o.t2, r->o.t0, r->ms->a_name, ref_name(r->o.ref), r->ms->a_name);
    for (int panel = 0; panel < 2; panel++) {
        if (panel == 0 && H > 0)
            cli_strbuf_printf(&s, "set title 'the hump (dots: its maximum)'\n"
                                  "set yrange [%.10g:%.10g]\n", -0.5 * H, 1.3 * H);
        else
            cli_strbuf_printf(&s, "set title 'the whole return'\nset autoscale y\n");
        cli_strbuf_printf(&s, "plot ");
        int any = 0;
        for (size_t i = 0; i < r->n1; i++) {
            if (!isfinite(r->res[i].t_age))
                continue;
            const char *col = COLORS[i % (sizeof COLORS / sizeof COLORS[0])];
            cli_strbuf_printf(&s, "%s$K%zu using 1:2 with lines lw 2 lc rgb '%s' title 'T_1 = %g'",
                              any ? ", " : "", i, col, r->t1[i]);
            if (isfinite(r->res[i].hump_time))
                cli_strbuf_printf(&s, ", '+' using (%.10g):(%.10g) every ::0::0 with points pt 7 "
                                      "ps 1.5 lc rgb '%s' notitle",
                                  r->res[i].hump_time, r->res[i].hump_height, col);
            any = 1;
        }
        if (!any)
            cli_strbuf_printf(&s, "0 title 'no T_1 reached A_{ref} (see the table)'");
        cli_strbuf_printf(&s, "\n");
    }
    cli_strbuf_printf(&s, "unset multiplot\n");
    cli_strbuf_printf(&s, "unset output\n");
    return cli_strbuf_gnuplot(CMD, &s, path, tmp);
}

int cmd_kovacs(int argc, char **argv)
{
    static const struct option opts[] = {
        {"t0", required_argument, 0, '0'},        {"t1", required_argument, 0, '1'},
        {"t2", required_argument, 0, '2'},        {"reference", required_argument, 0, 'r'},
        {"t-min", required_argument, 0, 'm'},     {"t-max", required_argument, 0, 'M'},
        {"output", required_argument, 0, 'o'},    {"plot", required_argument, 0, 'g'},
        {"json", no_argument, 0, 'j'},            {"help", no_argument, 0, 'h'},
        CLI_MEMORY_OPTIONS,                       CLI_THREADS_OPTION,
        {0, 0, 0, 0}};
    cli_memsys ms;
    cli_memsys_init(&ms);
    kov_run r;
    memset(&r, 0, sizeof r);
    r.ms = &ms;
    r.t_min = 1e-3;
    r.t_max = 1e8;
    int have0 = 0, have2 = 0, json = 0, ref = -1, c, t;
    const char *output = NULL, *plotp = NULL;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case '0': if (!cli_parse_double(CMD, "--t0", optarg, &r.o.t0)) return EXIT_USAGE; have0 = 1; break;
        case '2': if (!cli_parse_double(CMD, "--t2", optarg, &r.o.t2)) return EXIT_USAGE; have2 = 1; break;
        case '1':
            if (!cli_parse_list(CMD, "--t1", optarg, r.t1, KOV_MAX_T1, &r.n1))
                return EXIT_USAGE;
            break;
        case 'r':
            if (!strcmp(optarg, "liquid"))
                ref = HL_MEMORY_REF_BASIN;
            else if (!strcmp(optarg, "total"))
                ref = HL_MEMORY_REF_TOTAL;
            else {
                cli_error(CMD, "--reference must be liquid or total (got '%s')", cli_clip(optarg));
                return EXIT_USAGE;
            }
            break;
        case 'm': if (!cli_parse_double(CMD, "--t-min", optarg, &r.t_min)) return EXIT_USAGE; break;
        case 'M': if (!cli_parse_double(CMD, "--t-max", optarg, &r.t_max)) return EXIT_USAGE; break;
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
    if (!have0 || !have2 || !r.n1) {
        cli_error(CMD, "--t0 T0, --t2 T2 and --t1 a,b,... are required (see --help)");
        return EXIT_USAGE;
    }
    if (!(r.o.t2 > 0) || !(r.o.t2 < r.o.t0)) {
        cli_error(CMD, "need 0 < T2 < T0 (got T2 = %g, T0 = %g)", r.o.t2, r.o.t0);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < r.n1; i++)
        if (!(r.t1[i] > 0) || !(r.t1[i] < r.o.t2)) {
            cli_error(CMD, "--t1: every T1 must be in (0, T2 = %g) (got %g)", r.o.t2, r.t1[i]);
            return EXIT_USAGE;
        }
    if (ref < 0)
        ref = (ms.in.db || ms.in.minf || ms.in.states) && ms.liquid < 0 ? HL_MEMORY_REF_TOTAL
                                                                       : HL_MEMORY_REF_BASIN;
    r.o.ref = ref;
    r.o.start = ms.start;
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    if ((output && !cli_output_declare(CMD, "--output", output, 0)) ||
        (plotp && !cli_output_declare(CMD, "--plot", plotp, 1)))
        return cli_outputs_status();
    double *grid = cli_memsys_grid(CMD, r.t_min, r.t_max, ms.per_decade, &r.o.n_grid);
    if (!grid)
        return EXIT_USAGE;
    r.o.grid = grid;
    int rc = EXIT_FAIL;
    ms.t_basin = r.o.t2; /* blocks: the basin of A_ref, fixed */
    ms.t_basin_name = "T2";
    int brc = cli_memsys_build(CMD, &ms);
    if (brc != EXIT_OK) {
        if (ms.bo.k) /* blocks: a --dim that does not fit them is a usage error */
            rc = brc;
        goto done;
    }
    r.per_run = hl_kovacs_max_points(&r.o);
    r.pts = malloc(sizeof(hl_kovacs_point) * r.per_run * r.n1);
    if (!r.pts) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < r.n1; i++) {
        st = hl_kovacs_run(ms.sys, &r.o, r.t1[i], r.pts + i * r.per_run, &r.np[i], &r.res[i]);
        if (st) {
            cli_lib_error(CMD, st);
            goto done;
        }
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
    free(r.pts);
    cli_memsys_free(&ms);
    return rc;
}
