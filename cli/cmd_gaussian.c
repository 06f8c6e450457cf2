/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_gaussian.c -- hyperland gaussian: the Gaussian equilibrium around the
 * maxima of f = w - beta phi (eqs 5.7, 5.8) and its linearised
 * (Ornstein-Uhlenbeck) kinetics (eqs 5.9-5.11), optionally against the
 * exact finite-D covariance within each basin (eq 4.9). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "blocks_cmds.h"
#include "wmoments.h"

static const char *CMD = "gaussian";

#define MAXG 64          /* maxima reported at most              */
#define OU_MAX 1000      /* --ou at most                          */
#define EXACT_DIM_MAX 20000L

/* the help of the k-block path (--help after --blocks or --block-sizes) */
static const char BLOCKS_HELP[] =
"usage: hyperland gaussian --blocks K | --block-sizes LIST [options]\n"
"\n"
"k blocks (issue 12): the options of 'hyperland gaussian --help' and\n"
CLI_BLOCKS_HELP
"\n"
"With them: E = -(1/2) Hess_m f (k x k), ln Q ~ const - D dm^T E dm, and the\n"
"covariance (2 D E)^-1 of m1 .. mk at each maximum of f (--at M1,...,MK picks\n"
"one); for two equal blocks also E11, E12, E22 of eq 5.8 and the covariance\n"
"in x, y.  CSV columns: branch, beta, m1 .. mk, E_i_j and cov_i_j (i <= j),\n"
"then x, y, E11, E12, E22, cov_xx, cov_xy, cov_yy for two equal blocks, then\n"
"transmission, lambda_1 .. lambda_k, ou_0 .. (--ou K), and with --exact\n"
"exact_cov_i_j and rel_diff_i_j (i <= j).\n"
"\n"
"The Ornstein-Uhlenbeck kinetics in m (eqs 5.9-5.11): D Dif = 2 B diag(\n"
"sqrt(1 - m_i^2) / r_i), A = D Dif (-Hess_m f), its eigenvalues lambda_1 <= ..\n"
"<= lambda_k (cyclic Jacobi on a symmetric form: each to high relative\n"
"accuracy) and the rates n_1 lambda_1 + ... + n_k lambda_k (--ou K, default 6);\n"
"for two equal blocks also gaussian's diffusion, drift and mode in x, y.\n"
"--exact: the exact covariance of m within each maximum's basin: the classes of\n"
"the basins of the class lattice (exact --blocks) whose maxima lie nearest to\n"
"it (a lattice basin that splits in two is joined again: exact_basin b1+b2), and\n"
"(Gaussian - exact) / sqrt(exact_ii exact_jj), which falls like 1/D (two equal\n"
"blocks: also exact_cov_xx, _xy, _yy and rel_diff_xx, _xy, _yy as gaussian).\n";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland gaussian --dim D --beta B [--branch NAME | --at X,Y] [options]\n"
"\n"
"The Gaussian equilibrium around each local maximum (x_m, y_m) of\n"
"f = w - beta phi (eqs 5.7, 5.8): Q_eq ~ exp(-D [E11 dx^2 + E12 dx dy +\n"
"E22 dy^2]), so (x, y) has covariance (D M)^{-1}, M = [[2 E11, E12],\n"
"[E12, 2 E22]].  Also the linearised kinetics around the maximum (eqs\n"
"5.9-5.11): the mean relaxes as d<delta>/dt = -A <delta>, A = D Dif M, with\n"
"the diffusion tensor Dif = (B/D) [[sp+sm, sp-sm], [sp-sm, sp+sm]],\n"
"sp = sqrt(1-(x+y)^2), sm = sqrt(1-(x-y)^2), from the Kramers-Moyal\n"
"expansion of eq 5.6 (mobility ~ B/D, not the B/D^2 printed in eq 5.10).\n"
"A's eigenvalues lambda1 <= lambda2 give the Ornstein-Uhlenbeck relaxation\n"
"rates n1 lambda1 + n2 lambda2 (time in units of 1/B; the rates include\n"
"B(x_m, y_m, 1/beta)).  Only the covariance depends on D.\n"
"\n"
"With --exact, the exact covariance of (x, y) within each maximum's basin\n"
"(exact sums over the classes, eq 4.9, normalised within the basin; basins\n"
"as for 'exact') and the relative differences (Gaussian - exact) / exact,\n"
"which fall like 1/D.\n"
"\n"
"options:\n"
"  --dim D              even dimension (required)\n"
"  --beta B             inverse temperature (required, > 0)\n"
"  --branch NAME        only the maximum of that name (liquid, crystal, branch-K)\n"
"  --at X,Y             only the maximum within 1e-3 of (X, Y); an error if the\n"
"                       stationary point there is a saddle or a minimum\n"
"  --ou K               number of Ornstein-Uhlenbeck rates listed, 0 first\n"
"                       (default 6, at most %d)\n"
"  --exact              also the exact finite-D covariance within each basin\n"
"                       (D <= %ld)\n"
"  --output FILE        one row per maximum as CSV ('-': stdout, the report\n"
"                       then goes to stderr)\n"
"  --phi FORMULA        phi(x, y), a formula (below; default eq 4.11)\n"
"  --transmission FORMULA\n"
"                       B(x, y, T), a formula in x, y, T (below; default 1)\n"
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n" HL_FORMULA_HELP
"\n"
"k blocks (issue 12): --blocks K or --block-sizes LIST; see\n"
"'hyperland gaussian --blocks 2 --help'.\n",
            OU_MAX, EXACT_DIM_MAX);
}


typedef struct {
    hl_gaussian g;
    double *ou;                 /* K rates                                 */
    int have_exact;             /* --exact ran                             */
    double ex_cov[3];           /* exact cov_xx, cov_xy, cov_yy in basin   */
    double rel[3];              /* (Gaussian - exact)/exact: xx, xy (over
                                   sqrt(exact_xx exact_yy)), yy            */
} row_t;

typedef struct {
    const hl_model *m;
    long D;
    double beta;
    int K, exact;
    size_t n;
    row_t *rows;
} table_t;

/* ------------------------------------------------ exact moments per basin */

typedef struct {
    table_t *t;
    cli_wmoments *mo;
} exact_ctx;

static int visit(void *vctx, long n, long n1, double x, double y, double ln_q,
                 const char *basin)
{
    (void)n;
    (void)n1;
    exact_ctx *c = vctx;
    for (size_t k = 0; k < c->t->n; k++) {
        const hl_gaussian *g = &c->t->rows[k].g;
        if (strcmp(basin, g->name) != 0)
            continue;
        double d[2] = {x - g->x, y - g->y};
        cli_wmoments_add(&c->mo[k], ln_q, d);
        break;
    }
    return 0;
}

static void progress(void *ctx, double fraction)
{
    (void)ctx;
    cli_progress("gaussian: exact sums", fraction);
}

static int run_exact(table_t *t)
{
    hl_exact *ex;
    int st = hl_exact_create(t->m, t->D, HL_EXACT_AUTO, &ex);
    if (st)
        return cli_lib_error(CMD, st), 0;
    hl_exact_set_progress(ex, progress, NULL);
    cli_wmoments *mo = calloc(t->n, sizeof *mo);
    if (!mo) {
        hl_exact_free(ex);
        cli_error(CMD, "out of memory");
        return 0;
    }
    for (size_t k = 0; k < t->n; k++)
        cli_wmoments_init(&mo[k], 2);
    exact_ctx c = {t, mo};
    st = hl_exact_distribution(ex, t->beta, visit, &c);
    cli_progress_done();
    hl_exact_free(ex);
    if (st) {
        free(mo);
        return cli_lib_error(CMD, st), 0;
    }
    for (size_t k = 0; k < t->n; k++) {
        row_t *r = &t->rows[k];
        r->have_exact = 1;
        double mean[2], cov[4];
        if (!cli_wmoments_get(&mo[k], mean, cov)) { /* below the exact sums' cut-off */
            r->ex_cov[0] = r->ex_cov[1] = r->ex_cov[2] = NAN;
            r->rel[0] = r->rel[1] = r->rel[2] = NAN;
            continue;
        }
        r->ex_cov[0] = cov[0];
        r->ex_cov[1] = cov[1];
        r->ex_cov[2] = cov[3];
        r->rel[0] = (r->g.cov_xx - r->ex_cov[0]) / r->ex_cov[0];
        r->rel[1] = (r->g.cov_xy - r->ex_cov[1]) / sqrt(r->ex_cov[0] * r->ex_cov[2]);
        r->rel[2] = (r->g.cov_yy - r->ex_cov[2]) / r->ex_cov[2];
    }
    free(mo);
    return 1;
}

/* ---------------------------------------------------------------- output */

static int write_csv(FILE *fp, void *vp)
{
    table_t *t = vp;
    char params[768];
    snprintf(params, sizeof params,
             "phi = %s; B = %s; D = %ld; beta = %.17g; Gaussian equilibrium at the maxima of "
             "f = w - beta phi (eqs 5.7, 5.8): cov = (D M)^-1, M = [[2 E11, E12], [E12, 2 E22]]; "
             "lambda = eigenvalues of A = D Dif M (Ornstein-Uhlenbeck rates; time in units of 1/B, B at the maximum included), mode_k = "
             "unit eigenvector of lambda_k; ou_j = the j-th slowest rate n1 lambda1 + n2 lambda2%s",
             hl_model_phi_formula(t->m), hl_model_transmission_formula(t->m), t->D, t->beta,
             t->exact ? "; exact_cov = exact covariance within the basin (eq 4.9), rel_diff = "
                        "(Gaussian - exact)/exact (xy: over sqrt(exact_xx exact_yy))"
                      : "");
    cli_csv_preamble(fp, params);
    fprintf(fp, "branch,dim,beta,x,y,E11,E12,E22,cov_xx,cov_xy,cov_yy,transmission,"
                "lambda_1,lambda_2,mode_1_x,mode_1_y,mode_2_x,mode_2_y");
    for (int j = 0; j < t->K; j++)
        fprintf(fp, ",ou_%d", j);
    if (t->exact)
        fprintf(fp, ",exact_cov_xx,exact_cov_xy,exact_cov_yy,rel_diff_xx,rel_diff_xy,"
                    "rel_diff_yy");
    fprintf(fp, "\n");
    for (size_t k = 0; k < t->n; k++) {
        const row_t *r = &t->rows[k];
        const hl_gaussian *g = &r->g;
        fprintf(fp, "%s,%ld,", g->name, g->dim);
        hl_csv_number(fp, "%.17g", g->beta);
        const double v[] = {g->x,      g->y,      g->E11,     g->E12,       g->E22,
                            g->cov_xx, g->cov_xy, g->cov_yy,  g->transmission,
                            g->lambda[0], g->lambda[1], g->mode[0], g->mode[2],
                            g->mode[1], g->mode[3]};
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            hl_csv_number(fp, ",%.15g", v[i]);
        for (int j = 0; j < t->K; j++)
            hl_csv_number(fp, ",%.15g", r->ou[j]);
        for (int j = 0; t->exact && j < 3; j++)
            hl_csv_number(fp, ",%.15g", r->ex_cov[j]);
        for (int j = 0; t->exact && j < 3; j++)
            hl_csv_number(fp, ",%.15g", r->rel[j]);
        fprintf(fp, "\n");
    }
    return ferror(fp) ? -1 : 0;
}

static void json_num(const char *key, double v)
{
    printf(", \"%s\": ", key);
    hl_json_number(stdout, v);
}

static void json_array(const char *key, const double *v, int n)
{
    printf(", \"%s\": [", key);
    for (int i = 0; i < n; i++) {
        printf(i ? ", " : "");
        hl_json_number(stdout, v[i]);
    }
    printf("]");
}

static void print_json(const table_t *t)
{
    cli_json_begin(stdout, "gaussian");
    printf(", \"phi\": ");
    hl_json_string(stdout, hl_model_phi_formula(t->m));
    printf(", \"transmission_formula\": ");
    hl_json_string(stdout, hl_model_transmission_formula(t->m));
    printf(", \"dim\": %ld", t->D);
    json_num("beta", t->beta);
    printf(", \"maxima\": [");
    for (size_t k = 0; k < t->n; k++) {
        const row_t *r = &t->rows[k];
        const hl_gaussian *g = &r->g;
        printf("%s{\"branch\": ", k ? ", " : "");
        hl_json_string(stdout, g->name);
        json_num("x", g->x);
        json_num("y", g->y);
        json_num("E11", g->E11);
        json_num("E12", g->E12);
        json_num("E22", g->E22);
        json_num("cov_xx", g->cov_xx);
        json_num("cov_xy", g->cov_xy);
        json_num("cov_yy", g->cov_yy);
        json_num("transmission", g->transmission);
        json_array("diffusion", g->diffusion, 4);
        json_array("drift", g->drift, 4);
        json_array("lambda", g->lambda, 2);
        json_array("mode", g->mode, 4);
        json_array("ou_rates", r->ou, t->K);
        if (r->have_exact) {
            json_num("exact_cov_xx", r->ex_cov[0]);
            json_num("exact_cov_xy", r->ex_cov[1]);
            json_num("exact_cov_yy", r->ex_cov[2]);
            json_num("rel_diff_xx", r->rel[0]);
            json_num("rel_diff_xy", r->rel[1]);
            json_num("rel_diff_yy", r->rel[2]);
        }
        printf("}");
    }
    printf("]}\n");
}

static void print_table(const table_t *t)
{
    printf("D = %ld, beta = %s: Gaussian equilibrium at %zu maxim%s of f = w - beta phi "
           "(eqs 5.7, 5.8)\n",
           t->D, cli_num("%g", t->beta), t->n, t->n == 1 ? "um" : "a");
    printf("  %-10s %11s %11s %12s %12s %12s %12s %12s %12s\n", "branch", "x", "y", "E11",
           "E12", "E22", "cov_xx", "cov_xy", "cov_yy");
    for (size_t k = 0; k < t->n; k++) {
        const hl_gaussian *g = &t->rows[k].g;
        printf("  %-10s %s %s %s %s %s %s %s %s\n", g->name, cli_num("%11.7f", g->x),
               cli_num("%11.7f", g->y), cli_num("%12.6g", g->E11), cli_num("%12.6g", g->E12),
               cli_num("%12.6g", g->E22), cli_num("%12.6g", g->cov_xx),
               cli_num("%12.6g", g->cov_xy), cli_num("%12.6g", g->cov_yy));
    }
    printf("Ornstein-Uhlenbeck kinetics around each maximum (eqs 5.9-5.11, A = D Dif M; "
           "rates include B at the maximum):\n");
    for (size_t k = 0; k < t->n; k++) {
        const row_t *r = &t->rows[k];
        const hl_gaussian *g = &r->g;
        printf("  %-10s B = %s, lambda = %s (mode %s, %s), %s (mode %s, %s)\n", g->name,
               cli_num("%.6g", g->transmission), cli_num("%.10g", g->lambda[0]),
               cli_num("%.6f", g->mode[0]), cli_num("%.6f", g->mode[2]),
               cli_num("%.10g", g->lambda[1]), cli_num("%.6f", g->mode[1]),
               cli_num("%.6f", g->mode[3]));
        printf("  %-10s rates:", "");
        for (int j = 0; j < t->K; j++)
            printf(" %s", cli_num("%.8g", r->ou[j]));
        printf("\n");
    }
    if (!t->exact)
        return;
    printf("exact finite-D covariance within each basin (eq 4.9) and (Gaussian - exact)/exact:\n");
    printf("  %-10s %14s %14s %14s %11s %11s %11s\n", "branch", "exact cov_xx", "exact cov_xy",
           "exact cov_yy", "rel xx", "rel xy", "rel yy");
    for (size_t k = 0; k < t->n; k++) {
        const row_t *r = &t->rows[k];
        printf("  %-10s %s %s %s %s %s %s\n", r->g.name, cli_num("%14.8g", r->ex_cov[0]),
               cli_num("%14.8g", r->ex_cov[1]), cli_num("%14.8g", r->ex_cov[2]),
               cli_num("%11.3e", r->rel[0]), cli_num("%11.3e", r->rel[1]),
               cli_num("%11.3e", r->rel[2]));
    }
    printf("  (rel xy is relative to sqrt(exact cov_xx exact cov_yy); n/a: the basin is below "
           "the exact sums' 1e-300 cut-off)\n");
}

int cmd_gaussian(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},    {"beta", required_argument, 0, 'b'},
        {"branch", required_argument, 0, 'n'}, {"at", required_argument, 0, 'a'},
        {"ou", required_argument, 0, 'k'},     {"exact", no_argument, 0, 'e'},
        {"output", required_argument, 0, 'o'}, {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'},
        {"json", no_argument, 0, 'j'},         {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION,
        CLI_BLOCKS_OPTIONS, {0, 0, 0, 0}};
    cli_blocks_opts bo = {0};
    const char *at_text = NULL;
    const char *phi = NULL, *trans = NULL, *branch = NULL, *output = NULL;
    long D = 0, K = 6;
    double beta = 0, ax = 0, ay = 0;
    int have_dim = 0, have_beta = 0, have_at = 0, exact = 0, json = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; have_dim = 1; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'n': branch = optarg; break;
        case 'a': at_text = optarg; have_at = 1; break;
        case 'k': if (!cli_parse_long(CMD, "--ou", optarg, &K)) return EXIT_USAGE; break;
        case CLI_OPT_BLOCKS:
        case CLI_OPT_BLOCK_SIZES:
            if (cli_blocks_option(CMD, c, optarg, &bo) < 0)
                return EXIT_USAGE;
            break;
        case 'e': exact = 1; break;
        case 'o': output = optarg; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'j': json = 1; break;
        case 'h':
            for (int q = 1; q < argc; q++)
                if (!strncmp(argv[q], "--blocks", 8) || !strncmp(argv[q], "--block-sizes", 13)) {
                    fputs(BLOCKS_HELP, stdout);
                    return EXIT_OK;
                }
            help(stdout);
            return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (bo.k) {
        if (!have_beta || (!have_dim && !bo.from_sizes)) {
            cli_error(CMD, "--beta B and --dim D (or --block-sizes) are required (see --help)");
            return EXIT_USAGE;
        }
        if (K < 1 || K > OU_MAX) {
            cli_error(CMD, "--ou %ld is not between 1 and %d", K, OU_MAX);
            return EXIT_USAGE;
        }
        if (branch && have_at) {
            cli_error(CMD, "give at most one of --branch and --at");
            return EXIT_USAGE;
        }
        if (json && !cli_stdout_claim(CMD, "--json"))
            return EXIT_USAGE;
        cli_gaussian_blocks_args ga;
        memset(&ga, 0, sizeof ga);
        ga.bo = bo;
        ga.dim = have_dim ? D : 0;
        ga.beta = beta;
        ga.phi = phi;
        ga.trans = trans;
        ga.branch = branch;
        ga.output = output;
        ga.json = json;
        ga.have_at = have_at;
        ga.ou = (int)K;
        ga.exact = exact;
        if (have_at && !cli_parse_list(CMD, "--at", at_text, ga.at, HL_BLOCKS_MAX, &ga.n_at))
            return EXIT_USAGE;
        return cli_gaussian_blocks(CMD, &ga);
    }
    if (have_at && !cli_parse_point(CMD, "--at", at_text, &ax, &ay))
        return EXIT_USAGE;
    if (!have_dim || !have_beta) {
        cli_error(CMD, "--dim D and --beta B are required (see --help)");
        return EXIT_USAGE;
    }
    if (hl_check_dim(D) != HL_OK) {
        cli_error(CMD, "%s", hl_errmsg());
        return EXIT_USAGE;
    }
    if (branch && have_at) {
        cli_error(CMD, "give at most one of --branch and --at");
        return EXIT_USAGE;
    }
    if (K < 1 || K > OU_MAX) {
        cli_error(CMD, "--ou %ld is not between 1 and %d", K, OU_MAX);
        return EXIT_USAGE;
    }
    if (exact && D > EXACT_DIM_MAX) {
        cli_error(CMD, "--exact sums the classes up to D = %ld, not D = %ld", EXACT_DIM_MAX, D);
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    /* the output is made before the work, so an unwritable path fails first */
    if (output && !cli_output_declare(CMD, "--output", output, 0))
        return cli_outputs_status();
    hl_model *m = cli_model(CMD, phi, trans);
    if (!m)
        return EXIT_FAIL;
    int rc = EXIT_OK, st;
    table_t t = {m, D, beta, (int)K, exact, 0, NULL};
    hl_gaussian *gs = malloc(sizeof *gs * MAXG);
    if (!gs) {
        cli_error(CMD, "out of memory");
        rc = EXIT_FAIL;
        goto done;
    }
    if (branch || have_at) {
        st = branch ? hl_gaussian_branch(m, D, beta, branch, &gs[0])
                    : hl_gaussian_at(m, D, beta, ax, ay, &gs[0]);
        t.n = 1;
    } else {
        st = hl_gaussian_maxima(m, D, beta, gs, MAXG, &t.n);
    }
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (t.n > MAXG)
        t.n = MAXG;
    t.rows = calloc(t.n ? t.n : 1, sizeof *t.rows);
    if (!t.rows) {
        cli_error(CMD, "out of memory");
        rc = EXIT_FAIL;
        goto done;
    }
    for (size_t k = 0; k < t.n; k++) {
        t.rows[k].g = gs[k];
        t.rows[k].ou = malloc(sizeof(double) * (size_t)K);
        if (!t.rows[k].ou) {
            cli_error(CMD, "out of memory");
            rc = EXIT_FAIL;
            goto done;
        }
        hl_ou_rates(&gs[k], (int)K, t.rows[k].ou);
    }
    if (exact && !run_exact(&t)) {
        rc = EXIT_FAIL;
        goto done;
    }
    if (output && !cli_write_atomic(CMD, output, write_csv, &t)) {
        rc = EXIT_FAIL;
        goto done;
    }
    if (json)
        print_json(&t);
    else
        print_table(&t);
done:
    if (t.rows)
        for (size_t k = 0; k < t.n; k++)
            free(t.rows[k].ou);
    free(t.rows);
    free(gs);
    hl_model_free(m);
    return rc;
}
