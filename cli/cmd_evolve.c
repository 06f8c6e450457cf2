/* cmd_evolve.c -- hyperland evolve: time evolution of the class
 * distribution Q(n, n1, t) under the master equation (eq 5.6, rates of eq
 * 5.2) at fixed beta or under a temperature protocol. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *CMD = "evolve";

#define MAX_TIMES 10000

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland evolve --dim D (--beta B | --protocol FILE) --from SPEC\n"
"                        --times t1,t2,... [options]\n"
"\n"
"Time evolution of the class probabilities Q(n, n1, t) under the master\n"
"equation (eq 5.6 with the rates of eq 5.2; time in units of 1/B), by CVODE\n"
"(BDF, banded Newton, exact Jacobian).  For the paper's phi with B = 1 and a\n"
"product start (every SPEC but FILE) Q is the product of two independent\n"
"birth-death chains and any D up to 1e6 works; otherwise the 2-D chain is\n"
"integrated (D up to 400).  Reports at each time: beta, <x>, <y>, <phi>,\n"
"<w> = <ln W>/D, the free energy per dimension <phi> + (T/D) sum Q ln(Q/W),\n"
"|sum Q - 1|, the smallest Q, and the basin populations (basins of the\n"
"current beta, as for 'exact').\n"
"\n"
"options:\n"
"  --dim D              even dimension (required)\n"
"  --beta B             fixed inverse temperature (> 0)\n"
"  --protocol FILE      T(t) or beta(t): '#' comments, header 't,T' or 't,beta',\n"
"                       rows 't,value' from t = 0, strictly increasing;\n"
"                       piecewise linear, constant after the last row\n"
"  --from SPEC          crystal | liquid | basin:NAME (the class at the maximum\n"
"                       of ln Q_eq of that basin at the initial beta),\n"
"                       infinite-temperature (Q = W/2^D), equilibrium:BETA, or a\n"
"                       CSV FILE with columns n, n1 and Q or ln_Q (as written by\n"
"                       'exact --distribution'); normalised to 1\n"
"  --times t1,t2,...    output times, >= 0 and strictly increasing (required)\n"
"  --phi FORMULA        phi(x, y), libmatheval syntax (default eq 4.11)\n"
"  --transmission FORMULA  B(x, y, T) (default 1)\n"
"  --rtol R             CVODE relative tolerance (default 1e-10)\n"
"  --output FILE        the table as CSV\n"
"  --plot FILE.png      <x>, <y> and the basin populations against t\n"
"  --json               machine-readable output on stdout\n"
"  --help               this text\n");
}

static int parse_times(const char *s, double **out, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    if (cap > MAX_TIMES) {
        cli_error(CMD, "--times: at most %d times", MAX_TIMES);
        return 0;
    }
    char *buf = strdup(s);
    double *v = malloc(sizeof(double) * cap);
    if (!buf || !v) {
        free(buf);
        free(v);
        cli_error(CMD, "out of memory");
        return 0;
    }
    size_t k = 0;
    char *save = NULL;
    int ok = 1;
    for (char *tok = strtok_r(buf, ",", &save); ok && tok; tok = strtok_r(NULL, ",", &save)) {
        if (!cli_parse_double(CMD, "--times", tok, &v[k]))
            ok = 0;
        else if (v[k] < 0) {
            cli_error(CMD, "--times: %g is negative", v[k]);
            ok = 0;
        } else if (k > 0 && !(v[k] > v[k - 1])) {
            cli_error(CMD, "--times: %g after %g: times must increase strictly", v[k], v[k - 1]);
            ok = 0;
        } else
            k++;
    }
    free(buf);
    if (ok && k == 0) {
        cli_error(CMD, "--times needs at least one time");
        ok = 0;
    }
    if (!ok) {
        free(v);
        return 0;
    }
    *out = v;
    *n = k;
    return 1;
}

/* split a CSV line in place; returns the field count */
static int split(char *s, char **f, int cap)
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

/* Q over the classes from a CSV file; q: (h+1)^2, index a (h+1) + b */
static int read_classes(const char *path, long D, double *q)
{
    long h = D / 2, w = h + 1;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        cli_error(CMD, "--from: '%s' is not crystal, liquid, basin:NAME, "
                       "infinite-temperature, equilibrium:BETA or a readable file", path);
        return 0;
    }
    for (long i = 0; i < w * w; i++)
        q[i] = -1; /* not given */
    char line[4096];
    char *f[64];
    int cn = -1, cn1 = -1, cq = -1, clq = -1, ncol = 0, ok = 1;
    long ln = 0, rows = 0;
    while (ok && fgets(line, sizeof line, fp)) {
        ln++;
        if (!strchr(line, '\n') && !feof(fp)) {
            cli_error(CMD, "'%s' line %ld: line too long", path, ln);
            ok = 0;
            break;
        }
        if (line[0] == '#' || line[strspn(line, " \t\r\n")] == 0)
            continue;
        int n = split(line, f, 64);
        if (ncol == 0) {
            ncol = n;
            for (int i = 0; i < n && i < 64; i++) {
                if (!strcmp(f[i], "n")) cn = i;
                else if (!strcmp(f[i], "n1")) cn1 = i;
                else if (!strcmp(f[i], "Q")) cq = i;
                else if (!strcmp(f[i], "ln_Q")) clq = i;
            }
            if (cn < 0 || cn1 < 0 || (cq < 0 && clq < 0)) {
                cli_error(CMD, "'%s' line %ld: the header needs columns n, n1 and Q or ln_Q",
                          path, ln);
                ok = 0;
            }
            continue;
        }
        if (n != ncol) {
            cli_error(CMD, "'%s' line %ld: %d fields, the header has %d", path, ln, n, ncol);
            ok = 0;
            break;
        }
        char *end;
        long cls_n = strtol(f[cn], &end, 10);
        int good = *f[cn] && !*end;
        long cls_n1 = strtol(f[cn1], &end, 10);
        good = good && *f[cn1] && !*end;
        double v = 0;
        if (good) {
            /* ln_Q keeps tiny probabilities; else Q */
            const char *s = clq >= 0 ? f[clq] : f[cq];
            v = strtod(s, &end);
            good = *s && !*end && !isnan(v);
            if (clq >= 0)
                v = exp(v);
        }
        if (!good) {
            cli_error(CMD, "'%s' line %ld: n, n1 must be integers and Q a number", path, ln);
            ok = 0;
            break;
        }
        long a = cls_n1, b = cls_n - cls_n1;
        if (a < 0 || a > h || b < 0 || b > h) {
            cli_error(CMD, "'%s' line %ld: (n, n1) = (%ld, %ld) is not a class at D = %ld",
                      path, ln, cls_n, cls_n1, D);
            ok = 0;
            break;
        }
        if (!(v >= 0) || !isfinite(v)) {
            cli_error(CMD, "'%s' line %ld: Q = %g is not a non-negative finite number", path, ln,
                      v);
            ok = 0;
            break;
        }
        if (q[a * w + b] >= 0) {
            cli_error(CMD, "'%s' line %ld: class (n, n1) = (%ld, %ld) appears twice", path, ln,
                      cls_n, cls_n1);
            ok = 0;
            break;
        }
        q[a * w + b] = v;
        rows++;
    }
    fclose(fp);
    if (ok && ncol == 0) {
        cli_error(CMD, "'%s': no header line", path);
        ok = 0;
    }
    double sum = 0;
    for (long i = 0; ok && i < w * w; i++) {
        if (q[i] < 0)
            q[i] = 0;
        sum += q[i];
    }
    if (ok && !(sum > 0)) {
        cli_error(CMD, "'%s': the probabilities sum to 0 (%ld rows)", path, rows);
        ok = 0;
    }
    return ok;
}

/* ------------------------------------------------------------- output */

typedef struct {
    const hl_model *m;
    long D;
    const hl_evolve_point *pts;
    size_t n;
    char names[HL_MAX_BASINS][16];
    int nb;
    const char *from, *proto;
    double beta;
    hl_evolve_info info;
} out_t;

static double prob_of(const hl_evolve_point *p, const char *name)
{
    for (int k = 0; k < p->n_basins; k++)
        if (!strcmp(p->basins[k].name, name))
            return p->basins[k].probability;
    return 0.0; /* the basin does not exist at this beta */
}

static void collect_names(out_t *o)
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

static int write_csv(FILE *fp, void *vp)
{
    out_t *o = vp;
    char params[1024], bdesc[64];
    if (o->proto)
        snprintf(bdesc, sizeof bdesc, "protocol %.40s", o->proto);
    else
        snprintf(bdesc, sizeof bdesc, "beta = %.17g", o->beta);
    snprintf(params, sizeof params,
             "phi = %s; B = %s; D = %ld; %s; from %s; method %s (CVODE BDF, rtol %g, atol %g); "
             "time in units of 1/B; free_energy = <phi> + (T/D) sum Q ln(Q/W) per dimension; "
             "basin columns: probability of each basin of the current beta",
             hl_model_phi_formula(o->m), hl_model_transmission_formula(o->m), o->D, bdesc,
             o->from, o->info.method == HL_EVOLVE_PRODUCT ? "product of two chains" : "2-D chain",
             o->info.rtol, o->info.atol);
    hl_csv_preamble(fp, cli_argc, cli_argv, params);
    fprintf(fp, "t,beta,T,mean_x,mean_y,mean_phi,mean_w,free_energy,sum_error,min_q");
    for (int k = 0; k < o->nb; k++)
        fprintf(fp, ",%s", o->names[k]);
    fprintf(fp, "\n");
    for (size_t i = 0; i < o->n; i++) {
        const hl_evolve_point *p = &o->pts[i];
        fprintf(fp, "%.12g,%.12g,%.12g,%.15g,%.15g,%.15g,%.15g,%.15g,%.3g,%.3g", p->t, p->beta,
                1.0 / p->beta, p->mean_x, p->mean_y, p->mean_phi, p->mean_w, p->free_energy,
                p->sum_error, p->min_q);
        for (int k = 0; k < o->nb; k++)
            fprintf(fp, ",%.15g", prob_of(p, o->names[k]));
        fprintf(fp, "\n");
    }
    return ferror(fp) ? -1 : 0;
}

static void print_json(const out_t *o)
{
    printf("{\"command\": \"evolve\", \"version\": \"%s\", \"phi\": ", hl_version());
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
    printf(", \"method\": \"%s\", \"rtol\": ",
           o->info.method == HL_EVOLVE_PRODUCT ? "product" : "general");
    hl_json_number(stdout, o->info.rtol);
    printf(", \"steps\": %ld", o->info.steps);
    if (o->info.start_n >= 0)
        printf(", \"start\": {\"n\": %ld, \"n1\": %ld}", o->info.start_n, o->info.start_n1);
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
        printf(", \"basins\": [");
        for (int k = 0; k < p->n_basins; k++) {
            printf("%s{\"name\": ", k ? ", " : "");
            hl_json_string(stdout, p->basins[k].name);
            printf(", \"probability\": ");
            hl_json_number(stdout, p->basins[k].probability);
            printf("}");
        }
        printf("]}");
    }
    printf("]}\n");
}

static void print_table(const out_t *o)
{
    char cond[96];
    if (o->proto)
        snprintf(cond, sizeof cond, "protocol %.70s", o->proto);
    else
        snprintf(cond, sizeof cond, "beta = %g", o->beta);
    printf("D = %ld, from %s, %s: %s, %ld CVODE steps\n", o->D, o->from, cond,
           o->info.method == HL_EVOLVE_PRODUCT ? "product of two chains" : "2-D chain",
           o->info.steps);
    if (o->info.start_n >= 0)
        printf("start class (n, n1) = (%ld, %ld)\n", o->info.start_n, o->info.start_n1);
    printf("%12s %10s %12s %12s %12s %13s %9s", "t", "beta", "mean_x", "mean_y", "mean_phi",
           "free_energy", "sum_err");
    for (int k = 0; k < o->nb; k++)
        printf(" %12s", o->names[k]);
    printf("\n");
    for (size_t i = 0; i < o->n; i++) {
        const hl_evolve_point *p = &o->pts[i];
        printf("%12.6g %10.6g %12.8f %12.8f %12.8f %13.8f %9.2g", p->t, p->beta, p->mean_x,
               p->mean_y, p->mean_phi, p->free_energy, p->sum_error);
        for (int k = 0; k < o->nb; k++)
            printf(" %12.8g", prob_of(p, o->names[k]));
        printf("\n");
    }
}

static int write_plot(const out_t *o, const char *path)
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
        cli_error(CMD, "out of memory drawing %s", path);
        return 0;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.png", path);
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
        "set output '%s'\nset multiplot layout 2,1 title 'Master-equation evolution, D = %ld, "
        "%s, from %s' noenhanced\n"
        "%s"
        "unset xlabel\nset grid\nset key outside right top\n"
        "set lmargin 10\nset rmargin 18\n"
        "set ylabel 'order parameter'\n"
        "plot $E using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#555555' title '<x>', "
        "$E using 1:3 with linespoints lw 2 pt 5 ps 0.6 lc rgb '#d08c00' title '<y>'\n"
        "set xlabel 't (units of 1/B)%s'\nset ylabel 'basin population'\nset yrange [-0.02:1.02]\nplot ",
        tmp, o->D, cond, o->from, logt ? "set logscale x\nset format x '10^{%T}'\n" : "",
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
    int ok = cli_gnuplot(CMD, s, outs, tmps, 1);
    free(s);
    return ok;
}

/* ------------------------------------------------------------- main */

int cmd_evolve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},      {"beta", required_argument, 0, 'b'},
        {"protocol", required_argument, 0, 'P'}, {"from", required_argument, 0, 'f'},
        {"times", required_argument, 0, 't'},    {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'}, {"rtol", required_argument, 0, 'r'},
        {"output", required_argument, 0, 'o'},   {"plot", required_argument, 0, 'g'},
        {"json", no_argument, 0, 'j'},           {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *proto_path = NULL, *from = NULL, *times_s = NULL, *phi = NULL, *trans = NULL;
    const char *output = NULL, *plot = NULL;
    long D = 0;
    double beta = 0, rtol = 0;
    int have_dim = 0, have_beta = 0, json = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; have_dim = 1; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'P': proto_path = optarg; break;
        case 'f': from = optarg; break;
        case 't': times_s = optarg; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'r':
            if (!cli_parse_double(CMD, "--rtol", optarg, &rtol)) return EXIT_USAGE;
            if (!(rtol >= 1e-14 && rtol <= 1e-2)) {
                cli_error(CMD, "--rtol %g is not in [1e-14, 1e-2]", rtol);
                return EXIT_USAGE;
            }
            break;
        case 'o': output = optarg; break;
        case 'g': plot = optarg; break;
        case 'j': json = 1; break;
        case 'h': help(stdout); return EXIT_OK;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (!have_dim || !from || !times_s) {
        cli_error(CMD, "--dim D, --from SPEC and --times t1,t2,... are required (see --help)");
        return EXIT_USAGE;
    }
    if (have_beta == (proto_path != NULL)) {
        cli_error(CMD, "give exactly one of --beta B and --protocol FILE");
        return EXIT_USAGE;
    }
    if (hl_check_dim(D) != HL_OK) {
        cli_error(CMD, "%s", hl_errmsg());
        return EXIT_USAGE;
    }
    double *times = NULL;
    size_t nt = 0;
    if (!parse_times(times_s, &times, &nt))
        return EXIT_USAGE;
    hl_evolve_start start = {HL_START_BASIN, NULL, 0, NULL};
    double *q0 = NULL;
    hl_protocol proto = {0, 0, NULL, NULL};
    double pst[2];
    hl_model *m = NULL;
    hl_evolve_point *pts = NULL;
    hl_atomic_file *af = NULL;
    int rc = EXIT_FAIL, st;
    if (!strcmp(from, "crystal") || !strcmp(from, "liquid")) {
        start.basin = from;
    } else if (!strncmp(from, "basin:", 6) && from[6]) {
        start.basin = from + 6;
    } else if (!strcmp(from, "infinite-temperature")) {
        start.kind = HL_START_INFINITE_T;
    } else if (!strncmp(from, "equilibrium:", 12)) {
        start.kind = HL_START_EQUILIBRIUM;
        if (!cli_parse_beta(CMD, "--from equilibrium:", from + 12, &start.beta)) {
            rc = EXIT_USAGE;
            goto done;
        }
    } else {
        start.kind = HL_START_CLASSES;
        if ((D / 2 + 1) * (D / 2 + 1) > 100000000L) {
            cli_error(CMD, "--from FILE at D = %ld: too many classes", D);
            rc = EXIT_USAGE;
            goto done;
        }
        q0 = malloc(sizeof(double) * (size_t)((D / 2 + 1) * (D / 2 + 1)));
        if (!q0) {
            cli_error(CMD, "out of memory");
            goto done;
        }
        if (!read_classes(from, D, q0)) {
            rc = EXIT_USAGE;
            goto done;
        }
        start.q = q0;
    }
    if (proto_path) {
        st = hl_protocol_read(proto_path, &proto);
        if (st) {
            cli_error(CMD, "%s", hl_errmsg());
            rc = EXIT_USAGE;
            goto done;
        }
    } else {
        hl_protocol_fixed(&proto, beta, pst);
    }
    st = hl_model_create(phi, &m);
    if (!st && trans)
        st = hl_model_set_transmission(m, trans);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (output) { /* fail early on an unwritable path */
        st = hl_atomic_open(output, &af);
        if (st) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
    }
    pts = malloc(sizeof(hl_evolve_point) * nt);
    if (!pts) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    out_t o;
    memset(&o, 0, sizeof o);
    st = hl_evolve(m, D, &proto, &start, times, nt, HL_EVOLVE_AUTO, rtol, pts, NULL, &o.info);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    o.m = m;
    o.D = D;
    o.pts = pts;
    o.n = nt;
    o.from = from;
    o.proto = proto_path;
    o.beta = beta;
    collect_names(&o);
    if (af) {
        if (write_csv(hl_atomic_stream(af), &o) != 0) {
            cli_error(CMD, "writing '%s' failed", output);
            goto done;
        }
    }
    if (plot && !write_plot(&o, plot))
        goto done;
    if (af) {
        st = hl_atomic_commit(af);
        af = NULL;
        if (st) {
            rc = cli_lib_error(CMD, st);
            if (plot)
                remove(plot);
            goto done;
        }
    }
    if (json)
        print_json(&o);
    else
        print_table(&o);
    rc = EXIT_OK;
done:
    hl_atomic_abort(af);
    if (proto_path)
        hl_protocol_free(&proto);
    hl_model_free(m);
    free(pts);
    free(q0);
    free(times);
    return rc;
}
