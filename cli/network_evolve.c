/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_evolve.c -- `network --evolve FILE --from SPEC --times LIST`: the
 * evolution of a network's master equation at --temperature T or under
 * --protocol FILE (hl_network_evolve, the engine of chain.h): P_A, P_B,
 * the mean energy and the most populated minima against time, as CSV,
 * JSON, text and a --plot figure. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "network_cli.h"

#define MAX_ENTRIES 40000000.0 /* times x minima kept in memory (320 MB) */
#define PLOT_MINIMA 6


void cli_network_evolve_free(cli_network_evolution *e)
{
    if (!e)
        return;
    free(e->times);
    free(e->p);
    free(e->obs);
    free(e->perr);
    free(e->toperr);
    free(e->T);
    free(e->top);
    hl_protocol_free(e->proto);
    free(e);
}

/* the form of --from: kind, argument and start temperature (T0 unless
 * equilibrium:T); 0 after a message */
static int parse_from(const char *cmd, const char *from, double T0, int *kind_out, long *arg_out,
                      double *Ts_out)
{
    int kind;
    long arg = 0;
    double Ts = T0;
    if (!strncmp(from, "min:", 4)) {
        kind = HL_NETWORK_START_MINIMUM;
        if (!cli_parse_long(cmd, "--from min:", from + 4, &arg))
            return 0;
    } else if (!strcmp(from, "set:A") || !strcmp(from, "set:B")) {
        kind = HL_NETWORK_START_SET;
        arg = from[4] == 'A' ? HL_NETWORK_A : HL_NETWORK_B;
    } else if (!strncmp(from, "equilibrium:", 12)) {
        kind = HL_NETWORK_START_EQUILIBRIUM;
        if (!cli_parse_double(cmd, "--from equilibrium:", from + 12, &Ts))
            return 0;
        if (!(Ts > 0)) {
            cli_error(cmd, "--from equilibrium:%s: the temperature must be positive",
                      cli_clip(from + 12));
            return 0;
        }
    } else {
        cli_error(cmd, "--from '%s' is not min:ID, set:A, set:B or equilibrium:T0",
                  cli_clip(from));
        return 0;
    }
    *kind_out = kind;
    *arg_out = arg;
    *Ts_out = Ts;
    return 1;
}

int cli_network_from_check(const char *cmd, const char *from)
{
    int kind;
    long arg;
    double Ts;
    return parse_from(cmd, from, 1.0, &kind, &arg, &Ts);
}

int cli_network_start(const char *cmd, const char *from, const hl_network *net, double T0,
                 double *p0)
{
    int kind, st;
    long arg;
    double Ts;
    if (!parse_from(cmd, from, T0, &kind, &arg, &Ts))
        return 0;
    if ((st = hl_network_start(net, kind, arg, Ts, p0))) {
        cli_lib_error(cmd, st);
        return 0;
    }
    return 1;
}

/* a before b: the larger probability, then the lower state */
static int before(const double *p, long a, long b)
{
    return p[a] != p[b] ? p[a] > p[b] : a < b;
}

/* the ntop most populated states of p into top, in order */
static void top_states(const double *p, size_t n, long ntop, long *top)
{
    long k = 0;
    for (long v = 0; v < (long)n; v++) {
        if (k == ntop && !before(p, v, top[ntop - 1]))
            continue;
        long j = k < ntop ? k++ : ntop - 1;
        while (j > 0 && before(p, v, top[j - 1])) {
            top[j] = top[j - 1];
            j--;
        }
        top[j] = v;
    }
    for (; k < ntop; k++)
        top[k] = -1;
}

int cli_network_evolve_run(const char *cmd, cli_network_extra *x, const hl_network *net,
                           int have_T, double T)
{
    cli_network_evolution *e = calloc(1, sizeof *e);
    if (!e) {
        cli_error(cmd, "out of memory");
        return 0;
    }
    x->evo = e;
    hl_network_info info;
    hl_network_get_info(net, &info);
    e->n = (size_t)info.network_minima;
    e->ntop = x->have_top ? x->top : 5;
    if (e->ntop > (long)e->n)
        e->ntop = (long)e->n;
    e->times = x->times; /* the evolution owns the parsed times now */
    e->nt = x->nt;
    x->times = NULL;
    if (2.0 * (double)e->nt * (double)e->n > MAX_ENTRIES) {
        cli_error(cmd, "--times: %zu times x %zu minima (twice: the check evolution) is more "
                       "than %.0f probabilities: give fewer times",
                  e->nt, e->n, MAX_ENTRIES);
        return 0;
    }
    double T0;
    if (x->protocol_path) {
        if (!cli_read_protocol(cmd, x->protocol_path, &e->proto))
            return 0;
        T0 = 1.0 / hl_protocol_beta(e->proto, 0);
    } else {
        if (!have_T) {
            cli_error(cmd, "--evolve needs --temperature T or --protocol FILE");
            return 0;
        }
        e->T_fixed = T0 = T;
    }
    double *p0 = malloc(e->n * sizeof *p0);
    e->p = malloc(e->nt * e->n * sizeof *e->p);
    e->obs = malloc(e->nt * sizeof *e->obs);
    e->T = malloc(e->nt * sizeof *e->T);
    e->top = malloc(e->nt * (size_t)(e->ntop ? e->ntop : 1) * sizeof *e->top);
    if (!p0 || !e->p || !e->obs || !e->T || !e->top) {
        free(p0);
        cli_error(cmd, "out of memory for %zu times x %zu minima", e->nt, e->n);
        return 0;
    }
    if (!cli_network_start(cmd, x->from, net, T0, p0)) {
        free(p0);
        return 0;
    }
    int st = hl_network_evolve(net, T0, e->proto, p0, e->times, e->nt, x->rtol, e->p, &e->method);
    if (st) {
        free(p0);
        cli_lib_error(cmd, st);
        return 0;
    }
    /* the check evolution: every population's estimated error (README
     * "Accuracy of populations") */
    double rt = x->rtol > 0 ? x->rtol : 1e-8;
    double *pc = malloc(e->nt * e->n * sizeof *pc), *fl = malloc(2 * e->nt * sizeof *fl);
    e->perr = malloc(e->nt * 2 * sizeof *e->perr);
    e->toperr = malloc(e->nt * (size_t)(e->ntop ? e->ntop : 1) * sizeof *e->toperr);
    if (!pc || !fl || !e->perr || !e->toperr) {
        free(p0);
        free(pc);
        free(fl);
        cli_error(cmd, "out of memory for %zu times x %zu minima", e->nt, e->n);
        return 0;
    }
    double *rel = fl + e->nt; /* the relative floor */
    /* one that cannot be integrated runs again without its last times; the
     * times it does not reach: 10 rtol absolute (cli_check_unreached) */
    size_t nc = e->nt;
    for (int tries = 0; nc > 0 && hl_network_evolve_check(net, T0, e->proto, p0, e->times, nc,
                                                          x->rtol, pc, fl, rel);
         tries++)
        nc = hl_check_retry_times(e->times, nc, tries);
    cli_check_unreached(e->times, nc, e->nt, rt, e->p, pc, e->n, fl, rel);
    free(p0);
    for (size_t i = 0; i < e->nt; i++) {
        const double *p = e->p + i * e->n, *q = pc + i * e->n;
        hl_network_observables oc;
        hl_network_observe(net, p, &e->obs[i]);
        hl_network_observe(net, q, &oc);
        for (int s = 0; s < 2; s++)
            e->perr[2 * i + s] =
                hl_population_error(e->obs[i].pop[s], oc.pop[s], e->times[i], fl[i], rel[i]);
        e->T[i] = e->proto ? 1.0 / hl_protocol_beta(e->proto, e->times[i]) : e->T_fixed;
        top_states(p, e->n, e->ntop, e->top + i * (size_t)e->ntop);
        for (long k = 0; k < e->ntop; k++) {
            long s = e->top[i * (size_t)e->ntop + k];
            e->toperr[i * (size_t)e->ntop + k] =
                s >= 0 ? hl_population_error(p[s], q[s], e->times[i], fl[i], rel[i]) : 0.0;
        }
    }
    free(pc);
    free(fl);
    return 1;
}

static long id_of(const hl_network *net, long k)
{
    long id = -1;
    if (k >= 0)
        hl_network_id(net, k, &id);
    return id;
}

static void conditions(char *buf, size_t cap, const cli_network_extra *x)
{
    const cli_network_evolution *e = x->evo;
    if (e->proto)
        snprintf(buf, cap, "protocol %.60s", x->protocol_path);
    else
        snprintf(buf, cap, "T = %.10g", e->T_fixed);
}

int cli_network_evolve_csv(FILE *fp, void *vp)
{
    const cli_network_extra *x = vp;
    const cli_network_evolution *e = x->evo;
    char cond[128], params[1536];
    conditions(cond, sizeof cond, x);
    snprintf(params, sizeof params,
             "evolution of the network's master equation, %s, from %s; method %s (rtol %g: "
             "absolute error about rtol/100 on every probability by krylov, about rtol by "
             "cvode); time in the database's time "
             "unit; T = k_B T at t; P_A, P_B: the probabilities of the sets (empty: set not "
             "given); mean_energy = sum_a p_a E_a; sum_error = |sum_a p_a - 1|; top_k: the "
             "k-th most populated minimum (database id) and its probability; P_A_error, "
             "P_B_error: estimated errors (a second integration by CVODE at 10 rtol, README "
             "'Accuracy of populations'); a probability whose error exceeds a tenth of it is "
             "empty (digits lost)",
             cond, x->from, e->method ? e->method : "?", x->rtol > 0 ? x->rtol : 1e-8);
    cli_csv_preamble(fp, params);
    fprintf(fp, "t,T,P_A,P_B,mean_energy,sum_error");
    for (long k = 1; k <= e->ntop; k++)
        fprintf(fp, ",top%ld_id,top%ld_p", k, k);
    fprintf(fp, ",P_A_error,P_B_error\n");
    for (size_t i = 0; i < e->nt; i++) {
        const hl_network_observables *o = &e->obs[i];
        hl_csv_number(fp, "%.15g", e->times[i]);
        hl_csv_number(fp, ",%.15g", e->T[i]);
        for (int s = 0; s < 2; s++) /* NaN (no set): empty, as before */
            if (isnan(o->pop[s]))
                hl_csv_number(fp, ",%.15g", o->pop[s]);
            else
                cli_population_csv(fp, o->pop[s], e->perr[2 * i + s]);
        hl_csv_number(fp, ",%.15g", o->mean_energy);
        hl_csv_number(fp, ",%.3g", o->sum_error);
        for (long k = 0; k < e->ntop; k++) {
            long s = e->top[i * (size_t)e->ntop + k];
            fprintf(fp, ",%ld", id_of(x->net, s));
            if (s >= 0)
                cli_population_csv(fp, e->p[i * e->n + (size_t)s],
                                   e->toperr[i * (size_t)e->ntop + k]);
            else
                hl_csv_number(fp, ",%.15g", NAN);
        }
        for (int s = 0; s < 2; s++)
            hl_csv_number(fp, ",%.3g", isnan(o->pop[s]) ? NAN : e->perr[2 * i + s]);
        fprintf(fp, "\n");
    }
    return ferror(fp) ? -1 : 0;
}

void cli_network_evolve_json(const cli_network_extra *x)
{
    const cli_network_evolution *e = x->evo;
    printf(", \"evolution\": {\"from\": ");
    hl_json_string(stdout, x->from);
    if (e->proto) {
        printf(", \"protocol\": ");
        hl_json_string(stdout, x->protocol_path);
    } else {
        printf(", \"temperature\": ");
        hl_json_number(stdout, e->T_fixed);
    }
    printf(", \"method\": ");
    hl_json_string(stdout, e->method ? e->method : "?");
    printf(", \"rtol\": ");
    hl_json_number(stdout, x->rtol > 0 ? x->rtol : 1e-8);
    printf(", \"points\": [");
    for (size_t i = 0; i < e->nt; i++) {
        const hl_network_observables *o = &e->obs[i];
        printf("%s{\"t\": ", i ? ", " : "");
        hl_json_number(stdout, e->times[i]);
        printf(", \"T\": ");
        hl_json_number(stdout, e->T[i]);
        for (int s = 0; s < 2; s++) {
            const char *nm = s ? "P_B" : "P_A";
            double v = o->pop[s], er = e->perr[2 * i + s];
            int ok = isnan(v) || HL_POPULATION_RESOLVED(v, er);
            printf(", \"%s\": ", nm);
            hl_json_number(stdout, ok ? v : NAN);
            printf(", \"%s_error\": ", nm);
            hl_json_number(stdout, isnan(v) ? NAN : er);
            if (!ok) {
                printf(", \"%s_bound\": ", nm);
                hl_json_number(stdout, v + er);
            }
        }
        printf(", \"mean_energy\": ");
        hl_json_number(stdout, o->mean_energy);
        printf(", \"sum_error\": ");
        hl_json_number(stdout, o->sum_error);
        printf(", \"top\": [");
        for (long k = 0; k < e->ntop; k++) {
            long s = e->top[i * (size_t)e->ntop + k];
            double v = s >= 0 ? e->p[i * e->n + (size_t)s] : NAN;
            double er = s >= 0 ? e->toperr[i * (size_t)e->ntop + k] : NAN;
            printf("%s{\"id\": %ld, \"p\": ", k ? ", " : "", id_of(x->net, s));
            hl_json_number(stdout, isnan(v) || HL_POPULATION_RESOLVED(v, er) ? v : NAN);
            printf(", \"p_error\": ");
            hl_json_number(stdout, er);
            if (!(isnan(v) || HL_POPULATION_RESOLVED(v, er))) {
                printf(", \"p_bound\": ");
                hl_json_number(stdout, v + er);
            }
            printf("}");
        }
        printf("]}");
    }
    printf("]}");
}

void cli_network_evolve_text(const cli_network_extra *x)
{
    const cli_network_evolution *e = x->evo;
    char cond[128];
    conditions(cond, sizeof cond, x);
    printf("evolution from %s, %s (%s):\n", x->from, cond, e->method ? e->method : "?");
    printf("  %12s %10s %14s %14s %16s  %s\n", "t", "T", "P_A", "P_B", "<E>",
           "most populated (id:p)");
    for (size_t i = 0; i < e->nt; i++) {
        const hl_network_observables *o = &e->obs[i];
        printf("  %s %s %s %s %s ", cli_num("%12.6g", e->times[i]), cli_num("%10.6g", e->T[i]),
               isnan(o->pop[0]) ? cli_numx("%14.8g", NAN, "-")
                                : cli_population_text("%14.8g", o->pop[0], e->perr[2 * i]),
               isnan(o->pop[1]) ? cli_numx("%14.8g", NAN, "-")
                                : cli_population_text("%14.8g", o->pop[1], e->perr[2 * i + 1]),
               cli_num("%16.10f", o->mean_energy));
        for (long k = 0; k < e->ntop && k < 3; k++) {
            long s = e->top[i * (size_t)e->ntop + k];
            if (s >= 0 && HL_POPULATION_RESOLVED(e->p[i * e->n + (size_t)s],
                                                 e->toperr[i * (size_t)e->ntop + k]))
                printf(" %ld:%.4g", id_of(x->net, s), e->p[i * e->n + (size_t)s]);
            else if (s >= 0)
                printf(" %ld:<%.2g", id_of(x->net, s),
                       e->p[i * e->n + (size_t)s] + e->toperr[i * (size_t)e->ntop + k]);
        }
        printf("\n");
    }
}

/* ------------------------------------------------------------- plot */

typedef cli_strbuf sbuf;

int cli_network_evolve_plot(const char *cmd, const cli_network_extra *x)
{
    const cli_network_evolution *e = x->evo;
    const char *path = x->plot_file;
    const char *tp = cli_output_temp(cmd, path);
    if (!tp)
        return 0;
    /* the minima drawn: the PLOT_MINIMA of largest peak population among
     * those above 1% at some output time (the others would lie on 0) */
    long drawn[PLOT_MINIMA];
    double peak_of[PLOT_MINIMA];
    int nd = 0;
    for (size_t a = 0; a < e->n; a++) {
        double pk = 0;
        for (size_t i = 0; i < e->nt; i++)
            pk = fmax(pk, e->p[i * e->n + a]);
        if (!(pk >= 0.01))
            continue;
        int j = nd < PLOT_MINIMA ? nd++ : PLOT_MINIMA;
        if (j == PLOT_MINIMA) {
            if (!(pk > peak_of[PLOT_MINIMA - 1]))
                continue;
            j = PLOT_MINIMA - 1;
        }
        while (j > 0 && pk > peak_of[j - 1]) {
            drawn[j] = drawn[j - 1];
            peak_of[j] = peak_of[j - 1];
            j--;
        }
        drawn[j] = (long)a;
        peak_of[j] = pk;
    }
    double tmin = INFINITY, tmax = 0;
    for (size_t i = 0; i < e->nt; i++)
        if (e->times[i] > 0) {
            tmin = fmin(tmin, e->times[i]);
            tmax = fmax(tmax, e->times[i]);
        }
    int logt = tmin < INFINITY && tmax / tmin >= 100;
    int sets = !isnan(e->obs[0].pop[0]) || !isnan(e->obs[0].pop[1]);
    sbuf s = {0};
    cli_strbuf_printf(&s, "$E << EOD\n");
    for (size_t i = 0; i < e->nt; i++) {
        if (logt && e->times[i] <= 0)
            continue;
        const hl_network_observables *o = &e->obs[i];
        cli_strbuf_printf(&s, "%.10g %.10g %.10g %.10g %.12g", e->times[i], e->T[i],
           isnan(o->pop[0]) ? 0.0 : o->pop[0], isnan(o->pop[1]) ? 0.0 : o->pop[1],
           o->mean_energy);
        for (int j = 0; j < nd; j++)
            cli_strbuf_printf(&s, " %.10g", e->p[i * e->n + (size_t)drawn[j]]);
        cli_strbuf_printf(&s, "\n");
    }
    char cond[128];
    conditions(cond, sizeof cond, x);
    int panels = 2 + (sets ? 1 : 0);
    cli_strbuf_printf(&s, "EOD\nset terminal pngcairo size 900,%d font 'sans,12' enhanced\n"
           "set output '%s'\n"
           "set multiplot layout %d,1 title 'network evolution: %s, from %s' noenhanced\n"
           "%s"
           "set grid\nset key outside right top\nset lmargin 12\nset rmargin 20\n"
           "unset xlabel\n",
       panels * 300 + 60, tp, panels, cond, x->from,
       logt ? "set logscale x\nset format x '10^{%T}'\n" : "");
    const char *xl = logt && e->times[0] <= 0 ? "t (time unit of the database; t = 0 not shown)"
                                              : "t (time unit of the database)";
    if (sets) {
        cli_strbuf_printf(&s, "set ylabel 'set population'\nset yrange [-0.02:1.02]\n"
               "plot $E using 1:3 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#c0392b' title 'P_A', "
               "$E using 1:4 with linespoints lw 2 pt 5 ps 0.6 lc rgb '#1f5fbf' title 'P_B'\n");
    }
    cli_strbuf_printf(&s, "set ylabel 'minimum population'\nset yrange [-0.02:1.02]\nplot ");
    if (!nd) /* cannot happen (probabilities sum to 1), but never an empty plot */
        cli_strbuf_printf(&s, "0 notitle");
    static const char *colors[PLOT_MINIMA] = {"#2e8b57", "#d08c00", "#8e44ad",
                                              "#555555", "#16a085", "#c0392b"};
    for (int j = 0; j < nd; j++) {
        const long *st;
        size_t ns;
        const char *in = "";
        for (int w = 0; w < 2; w++) {
            hl_network_set_states(x->net, w, &st, &ns);
            for (size_t k = 0; k < ns; k++)
                if (st[k] == drawn[j])
                    in = w ? " (B)" : " (A)";
        }
        cli_strbuf_printf(&s, "%s$E using 1:%d with linespoints lw 2 pt %d ps 0.6 lc rgb '%s' title 'min %ld%s'",
           j ? ", " : "", 6 + j, 7 + 2 * (j % 3), colors[j], id_of(x->net, drawn[j]), in);
    }
    cli_strbuf_printf(&s, "\nset autoscale y\nset xlabel '%s'\nset ylabel 'mean energy <E> (energy unit)'\n", xl);
    double Tmax = 0;
    for (size_t i = 0; i < e->nt; i++)
        Tmax = fmax(Tmax, e->T[i]);
    if (e->proto)
        cli_strbuf_printf(&s, "set y2label 'k_B T'\nset y2range [0:%.10g]\nset y2tics\nset ytics nomirror\n"
               "plot $E using 1:5 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#555555' title '<E>', "
               "$E using 1:2 axes x1y2 with lines lw 2 dt 2 lc rgb '#c0392b' title 'T(t)'\n",
           1.1 * Tmax);
    else
        cli_strbuf_printf(&s, "plot $E using 1:5 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#555555' "
               "title '<E>'\n");
    cli_strbuf_printf(&s, "unset multiplot\nunset output\n");
    return cli_strbuf_gnuplot(cmd, &s, path, tp);
}
