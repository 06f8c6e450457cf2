/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trajectory.c -- what 'evolve' and 'fokker-planck' share: the output
 * times, the start specification, and the trajectory table (CSV, JSON,
 * text, plot). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_TIMES 10000

int cli_parse_times(const char *CMD, const char *s, double **out, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    if (cap > MAX_TIMES) {
        cli_error(CMD, "--times: at most %d times", MAX_TIMES);
        return 0;
    }
    double *v = malloc(sizeof(double) * cap);
    if (!v) {
        cli_error(CMD, "out of memory");
        return 0;
    }
    size_t k = 0;
    int ok = cli_parse_list(CMD, "--times", s, v, cap, &k);
    for (size_t i = 0; ok && i < k; i++) {
        if (v[i] < 0) {
            cli_error(CMD, "--times: %g is negative", v[i]);
            ok = 0;
        } else if (i > 0 && !(v[i] > v[i - 1])) {
            cli_error(CMD, "--times: %g after %g: times must increase strictly", v[i], v[i - 1]);
            ok = 0;
        }
    }
    if (!ok) {
        free(v);
        return 0;
    }
    *out = v;
    *n = k;
    return 1;
}

int cli_csv_split(char *s, char **f, int cap)
{
    int n = 0;
    s[strcspn(s, "\r\n")] = 0;
    for (char *p = s;; p++) {
        if (n < cap)
            f[n] = p;
        n++;
        p = strchr(p, ',');
        if (!p)
            break;
        *p = 0;
    }
    for (int i = 0; i < n && i < cap; i++) {
        while (*f[i] == ' ')
            f[i]++;
        size_t l = strlen(f[i]);
        while (l > 0 && f[i][l - 1] == ' ')
            f[i][--l] = 0;
    }
    return n;
}

int cli_csv_line(const char *cmd, const char *path, FILE *fp, char *line, int size, long *ln,
                 char **text)
{
    while (fgets(line, size, fp)) {
        ++*ln;
        if (!strchr(line, '\n') && !feof(fp)) {
            cli_error(cmd, "'%s' line %ld: line too long", cli_clip(path), *ln);
            return -1;
        }
        char *t = line;
        if (*ln == 1 && !strncmp(t, "\xEF\xBB\xBF", 3))
            t += 3; /* a UTF-8 byte-order mark, as spreadsheets write */
        if (t[0] == '#' || t[strspn(t, " \t\r\n")] == 0)
            continue;
        *text = t;
        return 1;
    }
    return 0;
}

/* Q over the classes from a CSV file; q: (h+1)^2, index a (h+1) + b */
static int read_classes(const char *CMD, const char *path, long D, double *q)
{
    long h = D / 2, w = h + 1;
    if (!cli_input_declare(CMD, "--from", path))
        return 0;
    FILE *fp = cli_input_open(CMD, path);
    if (!fp) {
        cli_error(CMD, "--from: '%s' is not crystal, liquid, basin:NAME, "
                       "infinite-temperature, equilibrium:BETA or a readable file (%s)",
                  cli_clip(path), strerror(errno));
        return 0;
    }
    for (long i = 0; i < w * w; i++)
        q[i] = NAN; /* not given */
    char line[4096];
    char *f[64];
    int cn = -1, cn1 = -1, cq = -1, clq = -1, cx = -1, cy = -1, ncol = 0, ok = 1;
    long ln = 0, rows = 0;
    char *text;
    int lr;
    while (ok && (lr = cli_csv_line(CMD, path, fp, line, sizeof line, &ln, &text)) != 0) {
        if (lr < 0) {
            ok = 0;
            break;
        }
        int n = cli_csv_split(text, f, 64);
        if (ncol == 0) {
            ncol = n;
            for (int i = 0; i < n && i < 64; i++) {
                if (!strcmp(f[i], "n")) cn = i;
                else if (!strcmp(f[i], "n1")) cn1 = i;
                else if (!strcmp(f[i], "Q")) cq = i;
                else if (!strcmp(f[i], "ln_Q")) clq = i;
                else if (!strcmp(f[i], "x")) cx = i;
                else if (!strcmp(f[i], "y")) cy = i;
            }
            if (cn < 0 || cn1 < 0 || (cq < 0 && clq < 0)) {
                cli_error(CMD, "'%s' line %ld: the header needs columns n, n1 and Q or ln_Q",
                          path, ln);
                ok = 0;
            }
            continue;
        }
        if (n != ncol) {
            cli_error(CMD, "'%s' line %ld: %d fields, the header has %d", cli_clip(path), ln, n, ncol);
            ok = 0;
            break;
        }
        char *end;
        long cls_n = strtol(f[cn], &end, 10);
        int good = *f[cn] && !*end;
        long cls_n1 = strtol(f[cn1], &end, 10);
        good = good && *f[cn1] && !*end;
        if (!good) {
            cli_error(CMD, "'%s' line %ld: n, n1 must be integers", cli_clip(path), ln);
            ok = 0;
            break;
        }
        /* ln_Q keeps tiny probabilities; else Q */
        double v;
        if (!cli_weight_parse(CMD, path, ln, clq >= 0 ? f[clq] : f[cq], clq >= 0, &v)) {
            ok = 0;
            break;
        }
        /* 0 <= n1 <= n before n - n1 is formed: strtol gives any long */
        if (cls_n1 < 0 || cls_n1 > h || cls_n < cls_n1 || cls_n - cls_n1 > h) {
            cli_error(CMD, "'%s' line %ld: (n, n1) = (%ld, %ld) is not a class at D = %ld",
                      path, ln, cls_n, cls_n1, D);
            ok = 0;
            break;
        }
        /* x and y, when the file has them, are those of the class at this
         * D: a distribution written at another D has other (x, y) for the
         * same (n, n1) and is refused, never read as this D's */
        for (int k = 0; ok && k < 2; k++) {
            int c = k ? cy : cx;
            if (c < 0)
                continue;
            double want = k ? (double)(4 * cls_n1 - 2 * cls_n) / (double)D
                            : (double)(2 * cls_n) / (double)D - 1.0;
            double got = strtod(f[c], &end);
            if (!*f[c] || *end || !(fabs(got - want) <= 1e-6)) {
                cli_error(CMD, "'%s' line %ld: %s = '%s' is not the %s of class (n, n1) = "
                               "(%ld, %ld) at D = %ld (%.10g): a distribution of another D?",
                          cli_clip(path), ln, k ? "y" : "x", cli_clip(f[c]), k ? "y" : "x",
                          cls_n, cls_n1, D, want);
                ok = 0;
            }
        }
        if (!ok)
            break;
        long a = cls_n1, b = cls_n - cls_n1;
        if (!isnan(q[a * w + b])) {
            cli_error(CMD, "'%s' line %ld: class (n, n1) = (%ld, %ld) appears twice", cli_clip(path), ln,
                      cls_n, cls_n1);
            ok = 0;
            break;
        }
        q[a * w + b] = v;
        rows++;
    }
    fclose(fp);
    if (ok && ncol == 0) {
        cli_error(CMD, "'%s': no header line", cli_clip(path));
        ok = 0;
    }
    return ok && cli_weights_normalise(CMD, path, q, w * w, clq >= 0, rows);
}

int cli_parse_named_start(const char *CMD, const char *from, int *kind, const char **basin,
                          double *beta)
{
    *kind = HL_START_BASIN;
    if (!strcmp(from, "crystal") || !strcmp(from, "liquid")) {
        *basin = from;
    } else if (!strncmp(from, "basin:", 6) && from[6]) {
        *basin = from + 6;
    } else if (!strcmp(from, "infinite-temperature")) {
        *kind = HL_START_INFINITE_T;
    } else if (!strncmp(from, "equilibrium:", 12)) {
        *kind = HL_START_EQUILIBRIUM;
        if (!cli_parse_beta(CMD, "--from equilibrium:", from + 12, beta))
            return -1;
    } else {
        return 0;
    }
    return 1;
}

int cli_parse_start(const char *CMD, const char *from, long D, hl_evolve_start *start,
                    double **q0)
{
    *q0 = NULL;
    memset(start, 0, sizeof *start);
    int kind, named = cli_parse_named_start(CMD, from, &kind, &start->basin, &start->beta);
    start->kind = kind;
    if (named < 0)
        return 0;
    if (!named) {
        start->kind = HL_START_CLASSES;
        if ((D / 2 + 1) * (D / 2 + 1) > 100000000L) {
            cli_error(CMD, "--from FILE at D = %ld: too many classes", D);
            return 0;
        }
        double *q = malloc(sizeof(double) * (size_t)((D / 2 + 1) * (D / 2 + 1)));
        if (!q) {
            cli_error(CMD, "out of memory");
            return 0;
        }
        if (!cli_input_declare(CMD, "--from", from) || !read_classes(CMD, from, D, q)) {
            free(q);
            return 0;
        }
        start->q = q;
        *q0 = q;
    }
    return 1;
}

/* ------------------------------------------------------------- output */


static double prob_of(const hl_evolve_point *p, const char *name)
{
    for (int k = 0; k < p->n_basins; k++)
        if (!strcmp(p->basins[k].name, name))
            return p->basins[k].probability;
    return 0.0; /* the basin does not exist at this beta */
}

/* population_error of the named basin (0 where it does not exist) */
static double err_of(const cli_trajectory *o, const hl_evolve_point *p, const char *name)
{
    if (!o->population_errors)
        return 0.0;
    for (int k = 0; k < p->n_basins; k++)
        if (!strcmp(p->basins[k].name, name))
            return p->population_error[k];
    return 0.0;
}

void cli_population_json(FILE *fp, double p, double err)
{
    fprintf(fp, "\"probability\": ");
    if (HL_POPULATION_RESOLVED(p, err)) {
        hl_json_number(fp, p);
        fprintf(fp, ", \"population_error\": ");
        hl_json_number(fp, err);
        return;
    }
    fprintf(fp, "null, \"population_error\": ");
    hl_json_number(fp, err);
    fprintf(fp, ", \"probability_bound\": ");
    hl_json_number(fp, p + err);
    fprintf(fp, ", \"probability_null_reason\": \"digits lost: the estimated error exceeds a "
                "tenth of the computed value; the population is below probability_bound\"");
}

void cli_check_unreached(const double *times, size_t nc, size_t nt, double rtol,
                         const double *p_out, double *p_check, size_t n, double *floor,
                         double *rel_floor)
{
    double r = rtol > 0 ? rtol : 1e-10;
    for (size_t j = nc; j < nt; j++) {
        memcpy(p_check + j * n, p_out + j * n, sizeof(double) * n);
        floor[j] = times[j] > 0 ? 10 * r : 0.0; /* t = 0: the start itself */
        rel_floor[j] = times[j] > 0 ? r : 0.0;
    }
}

void cli_population_csv(FILE *fp, double p, double err)
{
    if (HL_POPULATION_RESOLVED(p, err))
        hl_csv_number(fp, ",%.15g", p);
    else
        fputc(',', fp);
}

const char *cli_population_text(const char *fmt, double p, double err)
{
    if (HL_POPULATION_RESOLVED(p, err))
        return cli_num(fmt, p);
    /* the field width of fmt ("%12.8g": 12) */
    int w = atoi(fmt + 1);
    char b[32];
    snprintf(b, sizeof b, "<%.2g", p + err);
    char f[16];
    snprintf(f, sizeof f, "%%%ds", w > 0 && w < 40 ? w : 1);
    return cli_numx(f, NAN, b); /* the ring buffer of cli_num, "<bound" in the width */
}

void cli_trajectory_names(cli_trajectory *o)
{
    o->nb = 0;
    for (size_t i = 0; i < o->n; i++)
        for (int k = 0; k < o->pts[i].n_basins; k++) {
            int found = 0;
            for (int j = 0; j < o->nb; j++)
                found |= !strcmp(o->names[j], o->pts[i].basins[k].name);
            if (!found && o->nb < HL_MAX_BASINS)
                snprintf(o->names[o->nb++], 16, "%s", o->pts[i].basins[k].name);
        }
}

int cli_trajectory_csv(FILE *fp, void *vp)
{
    cli_trajectory *o = vp;
    char params[1024], bdesc[64];
    if (o->proto)
        snprintf(bdesc, sizeof bdesc, "protocol %.40s", o->proto);
    else
        snprintf(bdesc, sizeof bdesc, "beta = %.17g", o->beta);
    snprintf(params, sizeof params,
             "phi = %s; B = %s; D = %ld; %s; from %s; method %s (rtol %g, atol %g)%s; "
             "time in units of 1/B; free_energy = <phi> + (T/D) sum Q ln(Q/W) per dimension; "
             "basin columns: probability of each basin of the current beta%s%s",
             hl_model_phi_formula(o->m), hl_model_transmission_formula(o->m), o->D, bdesc,
             o->from, o->method, o->rtol, o->atol, o->csv_extra ? o->csv_extra : "",
             o->population_errors ? "; " : "", o->population_errors ? CLI_POPULATION_NOTE : "");
    cli_csv_preamble(fp, params);
    fprintf(fp, "t,beta,T,mean_x,mean_y,mean_phi,mean_w,free_energy,sum_error,min_q");
    for (int k = 0; k < o->nb; k++)
        fprintf(fp, ",%s", o->names[k]);
    for (int k = 0; o->population_errors && k < o->nb; k++)
        fprintf(fp, ",%s_error", o->names[k]);
    if (o->population_errors)
        fprintf(fp, ",mean_x_error,mean_y_error,mean_phi_error");
    fprintf(fp, "\n");
    for (size_t i = 0; i < o->n; i++) {
        const hl_evolve_point *p = &o->pts[i];
        hl_csv_number(fp, "%.12g", p->t);
        hl_csv_number(fp, ",%.12g", p->beta);
        hl_csv_number(fp, ",%.12g", 1.0 / p->beta);
        hl_csv_number(fp, ",%.15g", p->mean_x);
        hl_csv_number(fp, ",%.15g", p->mean_y);
        hl_csv_number(fp, ",%.15g", p->mean_phi);
        hl_csv_number(fp, ",%.15g", p->mean_w);
        hl_csv_number(fp, ",%.15g", p->free_energy);
        hl_csv_number(fp, ",%.3g", p->sum_error);
        hl_csv_number(fp, ",%.3g", p->min_q);
        for (int k = 0; k < o->nb; k++)
            cli_population_csv(fp, prob_of(p, o->names[k]), err_of(o, p, o->names[k]));
        for (int k = 0; o->population_errors && k < o->nb; k++)
            hl_csv_number(fp, ",%.3g", err_of(o, p, o->names[k]));
        if (o->population_errors) {
            hl_csv_number(fp, ",%.3g", p->mean_x_error);
            hl_csv_number(fp, ",%.3g", p->mean_y_error);
            hl_csv_number(fp, ",%.3g", p->mean_phi_error);
        }
        fprintf(fp, "\n");
    }
    return ferror(fp) ? -1 : 0;
}

void cli_trajectory_json(const cli_trajectory *o)
{
    cli_json_begin(stdout, o->cmd);
    printf(", \"phi\": ");
    hl_json_string(stdout, hl_model_phi_formula(o->m));
    printf(", \"transmission\": ");
    hl_json_string(stdout, hl_model_transmission_formula(o->m));
    printf(", \"dim\": %ld, \"from\": ", o->D);
    hl_json_string(stdout, o->from);
    if (o->proto) {
        printf(", \"protocol\": ");
        hl_json_string(stdout, o->proto);
    } else {
        printf(", \"beta\": ");
        hl_json_number(stdout, o->beta);
    }
    printf(", \"method\": \"%s\", \"rtol\": ", o->method_key);
    hl_json_number(stdout, o->rtol);
    printf(", \"steps\": %ld", o->steps);
    if (o->start_n >= 0)
        printf(", \"start\": {\"n\": %ld, \"n1\": %ld}", o->start_n, o->start_n1);
    if (o->json_extra)
        o->json_extra(o->json_ctx);
    printf(", \"points\": [");
    for (size_t i = 0; i < o->n; i++) {
        const hl_evolve_point *p = &o->pts[i];
        printf("%s{\"t\": ", i ? ", " : "");
        hl_json_number(stdout, p->t);
        const char *keys[] = {"beta", "mean_x", "mean_y", "mean_phi", "mean_w", "free_energy",
                              "sum_error", "min_q"};
        double vals[] = {p->beta, p->mean_x, p->mean_y, p->mean_phi, p->mean_w,
                         p->free_energy, p->sum_error, p->min_q};
        for (int k = 0; k < 8; k++) {
            printf(", \"%s\": ", keys[k]);
            hl_json_number(stdout, vals[k]);
        }
        if (o->population_errors) {
            printf(", \"mean_x_error\": ");
            hl_json_number(stdout, p->mean_x_error);
            printf(", \"mean_y_error\": ");
            hl_json_number(stdout, p->mean_y_error);
            printf(", \"mean_phi_error\": ");
            hl_json_number(stdout, p->mean_phi_error);
        }
        printf(", \"basins\": [");
        for (int k = 0; k < p->n_basins; k++) {
            printf("%s{\"name\": ", k ? ", " : "");
            hl_json_string(stdout, p->basins[k].name);
            printf(", ");
            if (o->population_errors)
                cli_population_json(stdout, p->basins[k].probability, p->population_error[k]);
            else {
                printf("\"probability\": ");
                hl_json_number(stdout, p->basins[k].probability);
            }
            printf("}");
        }
        printf("]}");
    }
    printf("]}\n");
}

void cli_trajectory_table(const cli_trajectory *o)
{
    char cond[96];
    if (o->proto)
        snprintf(cond, sizeof cond, "protocol %.70s", o->proto);
    else
        snprintf(cond, sizeof cond, "beta = %g", o->beta);
    if (o->steps > 0)
        printf("D = %ld, from %s, %s: %s, %ld CVODE steps\n", o->D, o->from, cond, o->method,
               o->steps);
    else
        printf("D = %ld, from %s, %s: %s\n", o->D, o->from, cond, o->method);
    if (o->start_n >= 0)
        printf("start class (n, n1) = (%ld, %ld)\n", o->start_n, o->start_n1);
    printf("%12s %10s %12s %12s %12s %13s %9s", "t", "beta", "mean_x", "mean_y", "mean_phi",
           "free_energy", "sum_err");
    for (int k = 0; k < o->nb; k++)
        printf(" %12s", o->names[k]);
    printf("\n");
    for (size_t i = 0; i < o->n; i++) {
        const hl_evolve_point *p = &o->pts[i];
        printf("%s %s %s %s %s %s %s", cli_num("%12.6g", p->t), cli_num("%10.6g", p->beta),
               cli_num("%12.8f", p->mean_x), cli_num("%12.8f", p->mean_y),
               cli_num("%12.8f", p->mean_phi), cli_num("%13.8f", p->free_energy),
               cli_num("%9.2g", p->sum_error));
        for (int k = 0; k < o->nb; k++)
            printf(" %s", cli_population_text("%12.8g", prob_of(p, o->names[k]),
                                              err_of(o, p, o->names[k])));
        printf("\n");
    }
}

int cli_trajectory_plot(const cli_trajectory *o, const char *path)
{
    double tmin = INFINITY, tmax = 0;
    for (size_t i = 0; i < o->n; i++)
        if (o->pts[i].t > 0) {
            tmin = fmin(tmin, o->pts[i].t);
            tmax = fmax(tmax, o->pts[i].t);
        }
    int logt = tmin < INFINITY && tmax / tmin >= 100;
    size_t cap = 4096 + o->n * (size_t)(40 * (o->nb + 4));
    char *s = malloc(cap);
    if (!s) {
        cli_error(o->cmd, "out of memory drawing %s", path);
        return 0;
    }
    char tmp[4096];
    const char *tp = cli_output_temp(o->cmd, path);
    if (!tp) {
        free(s);
        return 0;
    }
    snprintf(tmp, sizeof tmp, "%s", tp);
    size_t len = 0;
    len += (size_t)snprintf(s + len, cap - len, "$E << EOD\n");
    for (size_t i = 0; i < o->n; i++) {
        const hl_evolve_point *p = &o->pts[i];
        if (logt && p->t <= 0)
            continue;
        len += (size_t)snprintf(s + len, cap - len, "%.10g %.10g %.10g", p->t, p->mean_x,
                                p->mean_y);
        for (int k = 0; k < o->nb; k++)
            len += (size_t)snprintf(s + len, cap - len, " %.10g", prob_of(p, o->names[k]));
        len += (size_t)snprintf(s + len, cap - len, "\n");
    }
    char cond[128];
    if (o->proto)
        snprintf(cond, sizeof cond, "protocol %.60s", o->proto);
    else
        snprintf(cond, sizeof cond, "beta = %g", o->beta);
    len += (size_t)snprintf(s + len, cap - len,
        "EOD\nset terminal pngcairo size 900,800 font 'sans,12' enhanced\n"
        "set output '%s'\nset multiplot layout 2,1 title '%s, D = %ld, "
        "%s, from %s' noenhanced\n"
        "%s"
        "unset xlabel\nset grid\nset key outside right top\n"
        "set lmargin 10\nset rmargin 18\n"
        "set ylabel 'order parameter'\n"
        "plot $E using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#555555' title '<x>', "
        "$E using 1:3 with linespoints lw 2 pt 5 ps 0.6 lc rgb '#d08c00' title '<y>'\n"
        "set xlabel 't (units of 1/B)%s'\nset ylabel 'basin population'\nset yrange [-0.02:1.02]\nplot ",
        tmp, o->title, o->D, cond, o->from, logt ? "set logscale x\nset format x '10^{%T}'\n" : "",
        logt && o->pts[0].t <= 0 ? " (t = 0 not shown)" : "");
    for (int k = 0; k < o->nb; k++)
        len += (size_t)snprintf(s + len, cap - len,
                                "%s$E using 1:%d with linespoints lw 2 pt %d ps 0.6 lc rgb '%s' "
                                "title '%s' noenhanced",
                                k ? ", " : "", k + 4, 7 + 2 * (k % 3),
                                !strcmp(o->names[k], "liquid")    ? "#1f5fbf"
                                : !strcmp(o->names[k], "crystal") ? "#c0392b"
                                                                  : "#2e8b57",
                                o->names[k]);
    snprintf(s + len, cap - len, "\nunset multiplot\nunset output\n");
    const char *outs[1] = {path}, *tmps[1] = {tmp};
    int ok = cli_gnuplot(o->cmd, s, outs, tmps, 1);
    free(s);
    return ok;
}


int cli_trajectory_declare(const char *cmd, int json, const char *output, const char *plot,
                           const char *proto_path)
{
    if (json && !cli_stdout_claim(cmd, "--json"))
        return EXIT_USAGE;
    if ((output && !cli_output_declare(cmd, "--output", output, 0)) ||
        (plot && !cli_output_declare(cmd, "--plot", plot, 1)) ||
        !cli_input_declare(cmd, "--protocol", proto_path))
        return cli_outputs_status();
    return EXIT_OK;
}
