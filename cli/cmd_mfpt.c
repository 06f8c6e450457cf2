/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_mfpt.c -- hyperland mfpt: mean first-passage time between basins of
 * the contracted master equation (eq 5.6, rates of eq 5.2). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"

static const char *CMD = "mfpt";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland mfpt --dim D --beta B [--from NAME] [--to NAME] [options]\n"
"\n"
"Mean first-passage time of the contracted master equation (eq 5.6 with the\n"
"rates of eq 5.2) from the class at the local maximum of ln Q_eq of the\n"
"--from basin to the first class of the --to basin (basins as for 'exact').\n"
"Time is in units of 1/B.  Exact for the chain and computed in log space:\n"
"ln_mfpt stays accurate when the time exceeds 1e300.  For the paper's phi\n"
"with B = 1: a closed-form sum over the b = n - n1 chain (any D up to 1e6);\n"
"otherwise graph transformation (a sparse GTH elimination in minimum-degree\n"
"order, exact in any range of rates) up to D = 2000.\n"
"\n"
"options:\n"
"  --dim D              even dimension (required)\n"
"  --beta B             inverse temperature (required, > 0)\n"
"  --from NAME          start basin (default liquid)\n"
"  --to NAME            target basin (default crystal)\n"
"  --phi FORMULA        phi(x, y), a formula (below; default eq 4.11)\n"
"  --transmission FORMULA  B(x, y, T) (default 1)\n"
"  --dims D1,D2,...     lifetime table: every D in the list ...\n"
"  --betas B1,B2,...    ... at every beta in the list (instead of --dim/--beta);\n"
"                       fits d ln(mfpt)/dD per beta and compares it with the\n"
"                       free-energy barrier per dimension f(from) - f(saddle)\n"
"                       from 'phases'\n"
"  --output FILE        with --dims/--betas: the table as CSV ('-': stdout, the\n"
"                       report then goes to stderr; likewise for --committor)\n"
"  --committor FILE     also write the committor of every class (probability to\n"
"                       reach the --to basin before the start class) as CSV;\n"
"                       graph transformation (or --method), D <= 2000\n"
"  --method M           graph-transformation | sparse-direct: solve the class\n"
"                       lattice by that method for any phi (D <= 2000), also the\n"
"                       committor; default: the separable sum where it applies,\n"
"                       else graph-transformation.  sparse-direct (CHOLMOD in\n"
"                       doubles) reports a value whose digits it lost as null\n"
"                       (resolution eps/rcond); the report names the method and\n"
"                       its resolution (relative accuracy of the time)\n"
"  --blocks K, --block-sizes LIST\n"
"                     the model of K blocks (section VI): see\n"
"                     'hyperland mfpt --blocks 2 --help'\n"
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n" HL_FORMULA_HELP);
}

#define MAXL 64

typedef struct {
    int nd, nb;
    double dims[MAXL], betas[MAXL];
    double ln_tau[MAXL][MAXL];  /* [beta][dim] */
    double barrier[MAXL];       /* per dimension, from the 'from' maximum */
    double slope[MAXL], slope_last[MAXL];
    const char *from, *to;
    const char *method;
    const hl_model *m;
} table_t;

static int write_table_csv(FILE *fp, void *vp)
{
    table_t *t = vp;
    char params[512];
    snprintf(params, sizeof params, "phi = %s; B = %s; mean first-passage time %s -> %s; "
             "barrier_per_dim = f(%s maximum) - f(saddle) from phases",
             hl_model_phi_formula(t->m), hl_model_transmission_formula(t->m), t->from, t->to,
             t->from);
    cli_csv_preamble(fp, params);
    fprintf(fp, "beta,dim,ln_mfpt,log10_mfpt,barrier_per_dim,fitted_slope\n");
    for (int i = 0; i < t->nb; i++)
        for (int j = 0; j < t->nd; j++) {
            hl_csv_number(fp, "%.12g", t->betas[i]);
            hl_csv_number(fp, ",%.0f", t->dims[j]);
            hl_csv_number(fp, ",%.15g", t->ln_tau[i][j]);
            hl_csv_number(fp, ",%.12g", t->ln_tau[i][j] / log(10.0));
            hl_csv_number(fp, ",%.12g", t->barrier[i]);
            hl_csv_number(fp, ",%.12g\n", t->slope[i]);
        }
    return ferror(fp) ? -1 : 0;
}

/* f(from maximum) - f(saddle between the two maxima) at beta; NAN if not
 * both exist */
double cli_barrier_at(const hl_model *m, double beta, const char *from, const char *to)
{
    hl_stationary mx[64];
    char names[64][16];
    size_t n;
    if (hl_maxima_at(m, beta, mx, 64, &n) != HL_OK)
        return NAN;
    if (n > 64)
        n = 64;
    if (hl_name_maxima(m, beta, mx, n, names) != HL_OK)
        return NAN;
    int a = -1, b = -1;
    for (size_t k = 0; k < n; k++) {
        if (!strcmp(names[k], from))
            a = (int)k;
        if (!strcmp(names[k], to))
            b = (int)k;
    }
    if (a < 0 || b < 0)
        return NAN;
    hl_stationary sd;
    if (hl_saddle_between(m, beta, &mx[a], &mx[b], &sd) != HL_OK)
        return NAN;
    return mx[a].f - sd.f;
}

static int run_table(const hl_model *m, table_t *t, const char *output, int json)
{
    for (int j = 0; j < t->nd; j++) {
        long D = (long)t->dims[j];
        if ((double)D != t->dims[j] || hl_check_dim(D) != HL_OK) {
            cli_error(CMD, "--dims: %g is not an even dimension in [2, 1000000]", t->dims[j]);
            return EXIT_USAGE;
        }
    }
    for (int i = 0; i < t->nb; i++) {
        t->barrier[i] = cli_barrier_at(m, t->betas[i], t->from, t->to);
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int j = 0; j < t->nd; j++) {
            cli_progress("mfpt: lifetime table", (i * t->nd + j) / (double)(t->nb * t->nd));
            hl_passage p;
            int st = hl_mfpt_by(m, (long)t->dims[j], t->betas[i], t->from, t->to, t->method,
                                &p, NULL);
            if (st) {
                cli_progress_done();
                return cli_lib_error(CMD, st);
            }
            t->ln_tau[i][j] = p.ln_mfpt;
            sx += t->dims[j];
            sy += p.ln_mfpt;
            sxx += t->dims[j] * t->dims[j];
            sxy += t->dims[j] * p.ln_mfpt;
        }
        double nn = t->nd;
        t->slope[i] = t->nd > 1 ? (nn * sxy - sx * sy) / (nn * sxx - sx * sx) : NAN;
        t->slope_last[i] = t->nd > 1 ? (t->ln_tau[i][t->nd - 1] - t->ln_tau[i][t->nd - 2]) /
                                           (t->dims[t->nd - 1] - t->dims[t->nd - 2])
                                     : NAN;
    }
    cli_progress_done();
    if (output && !cli_write_atomic(CMD, output, write_table_csv, t))
        return EXIT_FAIL;
    if (json) {
        cli_json_begin(stdout, "mfpt");
        printf(", \"from\": ");
        hl_json_string(stdout, t->from);
        printf(", \"to\": ");
        hl_json_string(stdout, t->to);
        printf(", \"table\": [");
        for (int i = 0; i < t->nb; i++)
            for (int j = 0; j < t->nd; j++) {
                printf("%s{\"beta\": ", i || j ? ", " : "");
                hl_json_number(stdout, t->betas[i]);
                printf(", \"dim\": %.0f, \"ln_mfpt\": ", t->dims[j]);
                hl_json_number(stdout, t->ln_tau[i][j]);
                printf("}");
            }
        printf("], \"fits\": [");
        for (int i = 0; i < t->nb; i++) {
            printf("%s{\"beta\": ", i ? ", " : "");
            hl_json_number(stdout, t->betas[i]);
            printf(", \"slope\": ");
            hl_json_number(stdout, t->slope[i]);
            printf(", \"slope_last_two\": ");
            hl_json_number(stdout, t->slope_last[i]);
            printf(", \"barrier_per_dim\": ");
            hl_json_number(stdout, t->barrier[i]);
            printf("}");
        }
        printf("]}\n");
        return EXIT_OK;
    }
    printf("ln(mean first-passage time) %s -> %s (units of 1/B)\n", t->from, t->to);
    printf("%10s", "beta \\ D");
    for (int j = 0; j < t->nd; j++)
        printf(" %s", cli_num("%14.0f", t->dims[j]));
    printf(" %12s %12s %12s\n", "slope", "last slope", "barrier");
    for (int i = 0; i < t->nb; i++) {
        printf("%s", cli_num("%10.6g", t->betas[i]));
        for (int j = 0; j < t->nd; j++)
            printf(" %s", cli_num("%14.8g", t->ln_tau[i][j]));
        printf(" %s %s %s\n", cli_num("%12.6g", t->slope[i]), cli_num("%12.6g", t->slope_last[i]),
               cli_num("%12.6g", t->barrier[i]));
    }
    printf("slope = least-squares d ln(mfpt)/dD; barrier = f(%s) - f(saddle) per dimension "
           "(phases)\n", t->from);
    return EXIT_OK;
}

/* the committor of every class as CSV (atomic) */
static int write_committor(const hl_model *m, long D, double beta, const char *from,
                           const char *to, const char *method, const char *path)
{
    long h = D / 2, w = h + 1;
    double *lq = malloc(sizeof(double) * (size_t)(w * w));
    if (!lq)
        return HL_ENOMEM;
    hl_passage p;
    hl_passage_info pi;
    int st = hl_committor_by(m, D, beta, from, to, method, lq, &p, &pi);
    FILE *fp = NULL;
    if (!st && !(fp = cli_output_stream(CMD, path)))
        st = HL_EIO;
    if (!st) {
        char params[512];
        snprintf(params, sizeof params,
                 "phi = %s; B = %s; D = %ld; beta = %.17g; committor = probability to reach the "
                 "'%s' basin before the start class (n, n1) = (%ld, %ld) of '%s'; method = "
                 "%s, resolution %.3g (relative)",
                 hl_model_phi_formula(m), hl_model_transmission_formula(m), D, beta, to,
                 p.from_n, p.from_n1, from, pi.method, pi.resolution);
        cli_csv_preamble(fp, params);
        fprintf(fp, "n,n1,x,y,committor,ln_committor\n");
        for (long a = 0; a <= h; a++)
            for (long b = 0; b <= h; b++) {
                double v = lq[a * w + b];
                fprintf(fp, "%ld,%ld", a + b, a);
                hl_csv_number(fp, ",%.12g", (double)(a + b) / h - 1.0);
                hl_csv_number(fp, ",%.12g", (double)(a - b) / h);
                hl_csv_number(fp, ",%.15g", exp(v));
                hl_csv_number(fp, ",%.15g\n", v); /* empty where the committor is 0 */
            }
    }
    free(lq);
    return st;
}

int cmd_mfpt(int argc, char **argv)
{
    if (cli_blocks_requested(argc, argv))
        return cmd_mfpt_blocks(argc, argv);
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},   {"beta", required_argument, 0, 'b'},
        {"from", required_argument, 0, 'f'},  {"to", required_argument, 0, 't'},
        {"phi", required_argument, 0, 'p'},   {"transmission", required_argument, 0, 'B'},
        {"json", no_argument, 0, 'j'},        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION,
        {"dims", required_argument, 0, 'L'},  {"betas", required_argument, 0, 'K'},
        {"output", required_argument, 0, 'o'}, {"committor", required_argument, 0, 'C'},
        {"method", required_argument, 0, 'M'}, {0, 0, 0, 0}};
    const char *committor = NULL;
    static table_t tab;
    const char *dims_s = NULL, *betas_s = NULL, *output = NULL;
    const char *phi = NULL, *trans = NULL, *from = "liquid", *to = "crystal", *method = NULL;
    long D = 0;
    double beta = 0;
    int have_dim = 0, have_beta = 0, json = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; have_dim = 1; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'j': json = 1; break;
        case 'L': dims_s = optarg; break;
        case 'K': betas_s = optarg; break;
        case 'o': output = optarg; break;
        case 'C': committor = optarg; break;
        case 'M':
            if (strcmp(optarg, "graph-transformation") && strcmp(optarg, "sparse-direct")) {
                cli_error(CMD, "--method: '%s' is not graph-transformation or sparse-direct",
                          optarg);
                return EXIT_USAGE;
            }
            method = optarg;
            break;
        case 'h': help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (!strcmp(from, to)) {
        cli_error(CMD, "--from and --to are the same basin '%s'", cli_clip(from));
        return EXIT_USAGE;
    }
    if (output && !dims_s && !betas_s) {
        cli_error(CMD, "--output goes with --dims/--betas");
        return EXIT_USAGE;
    }
    if (committor && (dims_s || betas_s)) {
        cli_error(CMD, "--committor goes with --dim/--beta, not with a lifetime table");
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    /* every output is made before the work, so an unwritable path fails first */
    if ((output && !cli_output_declare(CMD, "--output", output, 0)) ||
        (committor && !cli_output_declare(CMD, "--committor", committor, 0)))
        return cli_outputs_status();
    if (dims_s || betas_s) {
        if (!dims_s || !betas_s || have_dim || have_beta) {
            cli_error(CMD, "a lifetime table needs both --dims and --betas (and no --dim/--beta)");
            return EXIT_USAGE;
        }
        size_t nd = 0, nb = 0;
        int ok = cli_parse_list(CMD, "--dims", dims_s, tab.dims, MAXL, &nd) &&
                 cli_parse_list_beta(CMD, "--betas", betas_s, tab.betas, MAXL, &nb);
        tab.nd = (int)nd;
        tab.nb = (int)nb;
        if (!ok)
            return EXIT_USAGE;
        hl_model *m = cli_model(CMD, phi, trans);
        if (!m)
            return EXIT_FAIL;
        tab.from = from;
        tab.to = to;
        tab.method = method;
        tab.m = m;
        int rc = run_table(m, &tab, output, json);
        hl_model_free(m);
        return rc;
    }
    if (output) {
        cli_error(CMD, "--output goes with --dims/--betas");
        return EXIT_USAGE;
    }
    if (!have_dim || !have_beta) {
        cli_error(CMD, "--dim D and --beta B are required (see --help)");
        return EXIT_USAGE;
    }
    if (hl_check_dim(D) != HL_OK) {
        cli_error(CMD, "%s", hl_errmsg());
        return EXIT_USAGE;
    }
    hl_model *m = cli_model(CMD, phi, trans);
    if (!m)
        return EXIT_FAIL;
    int st = HL_OK;
    if (committor && D > HL_PASSAGE_DIM_MAX) {
        cli_error(CMD, "--committor is solved up to D = %ld, not D = %ld",
                  HL_PASSAGE_DIM_MAX, D);
        hl_model_free(m);
        return EXIT_USAGE;
    }
    hl_passage p;
    hl_passage_info pi;
    st = hl_mfpt_by(m, D, beta, from, to, method, &p, &pi);
    if (!st && committor)
        st = write_committor(m, D, beta, from, to, method, committor);
    if (st) {
        int rc = cli_lib_error(CMD, st);
        hl_model_free(m);
        return rc;
    }
    double x = 2.0 * p.from_n / D - 1.0, y = (4.0 * p.from_n1 - 2.0 * p.from_n) / D;
    const char *used = pi.method;
    const char *why = isnan(p.ln_mfpt)
                          ? "the sparse-direct solve lost every digit of this time (its "
                            "relative resolution eps kappa is >= 1); use graph-transformation"
                          : NULL;
    if (json) {
        cli_json_model(stdout, "mfpt", m, D, beta);
        printf(", \"from\": ");
        hl_json_string(stdout, from);
        printf(", \"to\": ");
        hl_json_string(stdout, to);
        printf(", \"start\": {\"n\": %ld, \"n1\": %ld, \"x\": ", p.from_n, p.from_n1);
        hl_json_number(stdout, x);
        printf(", \"y\": ");
        hl_json_number(stdout, y);
        printf("}, \"target_classes\": %ld, \"method\": \"%s\", \"resolution\": ",
               p.target_classes, used);
        hl_json_number(stdout, pi.resolution);
        printf(", \"mfpt\": ");
        hl_json_number(stdout, p.mfpt);
        printf(", \"ln_mfpt\": ");
        hl_json_number(stdout, p.ln_mfpt);
        printf(", \"log10_mfpt\": ");
        hl_json_number(stdout, p.ln_mfpt / log(10.0));
        printf(", \"null_reason\": ");
        if (why)
            hl_json_string(stdout, why);
        else
            printf("null");
        printf("}\n");
    } else {
        printf("D = %ld, beta = %s: %s -> %s, start class (n, n1) = (%ld, %ld) at (x, y) = "
               "(%s, %s)\n",
               D, cli_num("%g", beta), from, to, p.from_n, p.from_n1, cli_num("%.6g", x),
               cli_num("%.6g", y));
        printf("  mean first-passage time %s (units of 1/B)\n", cli_num("%.12g", p.mfpt));
        printf("  ln = %s, log10 = %s  (%s, resolution %s relative)\n",
               cli_num("%.15g", p.ln_mfpt), cli_num("%.12g", p.ln_mfpt / log(10.0)), used,
               cli_num("%.2g", pi.resolution));
        if (why)
            printf("  not resolved: %s\n", why);
    }
    hl_model_free(m);
    return EXIT_OK;
}
