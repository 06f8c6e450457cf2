/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_exact.c -- hyperland exact: exact finite-D thermodynamics (eq 4.9),
 * the class distribution Q(n, n1) and the finite-D melting point. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"

static const char *CMD = "exact";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland exact --dim D (--beta B | --melting) [options]\n"
"\n"
"Exact sums over the classes (n, n1) of the D-cube (eq 4.9):\n"
"Z = sum W(n, n1) exp(-beta D phi(x, y)), in log space.  Reports ln Z / D,\n"
"<x>, <y>, <phi>, the covariances of (x, y), the heat capacity per dimension\n"
"beta^2 Var(Phi)/D (k_B = 1), the entropy per dimension ln Z/D + beta <phi>\n"
"(summed as (<ln W> + H(Q))/D, H(Q) = -sum Q ln Q, so nothing cancels),\n"
"and the probabilities of the liquid and crystal basins (steepest ascent of\n"
"ln Q_eq over the moves of eq 5.6), each with its own ln Z_b / D, <phi>_b,\n"
"entropy S_b / D = ln Z_b / D + beta <phi>_b and heat capacity beta^2 D\n"
"Var_b(phi) from the sums over its classes alone (null with a reason where\n"
"they cannot be given).  Classes below 1e-300 of the largest term are left\n"
"out; a bound of their weight is given.\n"
"\n"
"options:\n"
"  --dim D             even dimension, 2 <= D <= 1000000 (required)\n"
"  --beta B            inverse temperature (> 0)\n"
"  --melting           find the finite-D melting point: the beta where the\n"
"                      liquid and crystal basins are equally probable\n"
"  --beta-lo B, --beta-hi B\n"
"                      bracket for --melting (default: beta_m(D = inf) / 2\n"
"                      and * 2)\n"
"  --phi FORMULA       phi(x, y), a formula (below; default eq 4.11)\n"
"  --method M          auto (default) | general | separable: separable is the\n"
"                      exact factorised sum for the default phi; general is\n"
"                      the two-dimensional sum for any phi\n"
"  --distribution FILE write Q(n, n1) as CSV (n, n1, x, y, ln_Q, Q, basin)\n"
"  --plot FILE         draw log10 Q over the square as a PNG heat map\n"
"                      (for either, FILE '-' is stdout; the report then goes\n"
"                      to stderr)\n"
"  --transmission F   B(x, y, T) for kinetics (below); parsed (and, without\n"
"                    T, checked) but not used by equilibrium results\n"
"  --blocks K, --block-sizes LIST\n"
"                    the model of K blocks (section VI): see\n"
"                    'hyperland exact --blocks 2 --help'\n"
"  --json              machine-readable summary on stdout (error_bounds: the\n"
"                      rounding-error bound of ln Z / D, each mean and\n"
"                      covariance, <phi>, <ln W> / D, the heat capacity and\n"
"                      the entropy, and per basin of its four; a mean,\n"
"                      covariance or <phi> below its bound is round-off of\n"
"                      0 and is printed 0 (text: 0); a\n"
"                      basin probability below the double range is null with\n"
"                      ln_probability, text P = e^LN)\n"
CLI_THREADS_HELP
"  --help              this text\n" HL_FORMULA_HELP);
}

static void json_basins(FILE *fp, const hl_exact_result *r)
{
    fprintf(fp, "[");
    for (int k = 0; k < r->n_basins; k++) {
        fprintf(fp, "%s{\"name\": ", k ? ", " : "");
        hl_json_string(fp, r->basins[k].name);
        cli_json_probability(fp, "probability", r->basins[k].probability,
                             r->basins[k].ln_probability);
        fprintf(fp, ", \"x\": ");
        hl_json_number(fp, r->basins[k].x);
        fprintf(fp, ", \"y\": ");
        hl_json_number(fp, r->basins[k].y);
        const hl_basin *b = &r->basins[k];
        fprintf(fp, ", \"lnZ_per_dim\": ");
        hl_json_number(fp, b->ln_z_per_dim);
        fprintf(fp, ", \"mean_phi\": ");
        hl_json_number(fp, b->mean_phi);
        fprintf(fp, ", \"entropy_per_dim\": ");
        hl_json_number(fp, b->entropy_per_dim);
        fprintf(fp, ", \"heat_capacity_per_dim\": ");
        hl_json_number(fp, b->heat_capacity_per_dim);
        fprintf(fp, ", \"neglected_weight_bound\": ");
        hl_json_number(fp, b->neglected_bound);
        /* rounding-error bounds of the four (a <phi>_b below its bound is 0) */
        fprintf(fp, ", \"error_bounds\": {\"lnZ_per_dim\": ");
        hl_json_number(fp, b->ln_z_bound);
        fprintf(fp, ", \"mean_phi\": ");
        hl_json_number(fp, b->mean_phi_bound);
        fprintf(fp, ", \"entropy_per_dim\": ");
        hl_json_number(fp, b->entropy_bound);
        fprintf(fp, ", \"heat_capacity_per_dim\": ");
        hl_json_number(fp, b->heat_capacity_bound);
        fprintf(fp, "}");
        if (b->thermo_null_reason[0]) {
            fprintf(fp, ", \"thermo_null_reason\": ");
            hl_json_string(fp, b->thermo_null_reason);
        }
        fprintf(fp, "}");
    }
    fprintf(fp, "]");
}

#define NUM(key, v)                         \
    do {                                    \
        printf(", \"%s\": ", key);          \
        hl_json_number(stdout, v);          \
    } while (0)

static void print_result(const hl_model *m, const hl_exact_result *r, int json)
{
    if (json) {
        cli_json_begin(stdout, "exact");
        printf(", \"phi\": ");
        hl_json_string(stdout, hl_model_phi_formula(m));
        printf(", \"dim\": %ld", r->dim);
        NUM("beta", r->beta);
        NUM("lnZ_per_dim", r->ln_z_per_dim);
        NUM("mean_x", r->mean_x);
        NUM("mean_y", r->mean_y);
        NUM("mean_phi", r->mean_phi);
        NUM("mean_w", r->mean_w);
        NUM("cov_xx", r->cov_xx);
        NUM("cov_xy", r->cov_xy);
        NUM("cov_yy", r->cov_yy);
        /* the rounding-error bound of each; a value below it is printed 0 */
        printf(", \"error_bounds\": {\"mean_x\": ");
        hl_json_number(stdout, r->mean_x_bound);
        NUM("mean_y", r->mean_y_bound);
        NUM("cov_xx", r->cov_xx_bound);
        NUM("cov_xy", r->cov_xy_bound);
        NUM("cov_yy", r->cov_yy_bound);
        NUM("lnZ_per_dim", r->ln_z_bound);
        NUM("mean_phi", r->mean_phi_bound);
        NUM("mean_w", r->mean_w_bound);
        NUM("heat_capacity_per_dim", r->heat_capacity_bound);
        NUM("entropy_per_dim", r->entropy_bound);
        printf("}");
        NUM("heat_capacity_per_dim", r->heat_capacity_per_dim);
        if (isnan(r->heat_capacity_per_dim))
            printf(", \"heat_capacity_null_reason\": \"lost digits: Var(phi) underflowed to 0 "
                   "(the weights beside the largest class are below 1e-308 of it), or "
                   "beta^2 D Var(phi) underflows a double\"");
        NUM("entropy_per_dim", r->entropy_per_dim);
        if (isnan(r->entropy_per_dim))
            printf(", \"entropy_null_reason\": \"lost digits: S/D = (<ln W> + H(Q))/D "
                   "underflowed to 0 (only the largest class, of W = 1, is above the round-off "
                   "of the sums)\"");
        printf(", \"basins\": ");
        json_basins(stdout, r);
        printf(", \"classes_summed\": %ld", r->classes_summed);
        NUM("neglected_weight_bound", r->neglected_bound);
        printf(", \"path\": \"%s\"}\n", r->separable_path ? "separable" : "general");
        return;
    }
    printf("D = %ld, beta = %s (T* = %s), phi = %s\n", r->dim, cli_num("%.10g", r->beta),
           cli_num("%.10g", 1 / r->beta), hl_model_phi_formula(m));
    printf("  ln Z / D               %s\n", cli_num("%.15g", r->ln_z_per_dim));
    printf("  <x>, <y>               %s, %s\n", cli_num("%.12g", r->mean_x),
           cli_num("%.12g", r->mean_y));
    printf("  <phi>, <ln W>/D        %s, %s\n", cli_num("%.12g", r->mean_phi),
           cli_num("%.12g", r->mean_w));
    printf("  cov xx, xy, yy         %s, %s, %s\n", cli_num("%.6e", r->cov_xx),
           cli_num("%.6e", r->cov_xy), cli_num("%.6e", r->cov_yy));
    printf("  heat capacity / D      %s\n", cli_num("%.12g", r->heat_capacity_per_dim));
    printf("  entropy / D            %s\n", cli_num("%.12g", r->entropy_per_dim));
    for (int k = 0; k < r->n_basins; k++) {
        const hl_basin *b = &r->basins[k];
        printf("  basin %-8s P = %s (ln P = %s)\n", b->name,
               cli_p_text(b->probability, b->ln_probability),
               cli_numx("%.12g", b->ln_probability,
                        "n/a: no class in the basin, or all below 1e-300 of the largest"));
        if (b->thermo_null_reason[0])
            printf("    own thermodynamics n/a: %s\n", b->thermo_null_reason);
        else
            printf("    ln Z_b / D %s, <phi>_b %s, S_b / D %s, c_b %s\n",
                   cli_num("%.12g", b->ln_z_per_dim), cli_num("%.12g", b->mean_phi),
                   cli_num("%.12g", b->entropy_per_dim),
                   cli_num("%.12g", b->heat_capacity_per_dim));
    }
    printf("  %ld classes summed (%s path); weight left out < %s relative\n", r->classes_summed,
           r->separable_path ? "separable" : "general", cli_num("%.3g", r->neglected_bound));
}

/* ---- distribution: CSV rows and heat-map bins ---- */

#define MAXBIN 160

typedef struct {
    FILE *csv;
    long h;
    int nbin;
    double *lbin; /* log of the summed Q per bin */
} dist_ctx;

static int visit(void *vp, long n, long n1, double x, double y, double ln_q,
                 const char *basin)
{
    dist_ctx *c = vp;
    if (c->csv) {
        fprintf(c->csv, "%ld,%ld", n, n1);
        hl_csv_number(c->csv, ",%.12g", x);
        hl_csv_number(c->csv, ",%.12g", y);
        hl_csv_number(c->csv, ",%.15g", ln_q);
        hl_csv_number(c->csv, ",%.15g", exp(ln_q));
        fprintf(c->csv, ",%s\n", basin);
    }
    if (c->lbin) {
        long a = n1, b = n - n1;
        int ia = (int)((double)a * c->nbin / (c->h + 1));
        int ib = (int)((double)b * c->nbin / (c->h + 1));
        double *t = &c->lbin[ia * c->nbin + ib];
        if (*t == -INFINITY)
            *t = ln_q;
        else
            *t = *t > ln_q ? *t + log1p(exp(ln_q - *t)) : ln_q + log1p(exp(*t - ln_q));
    }
    return 0;
}

static int write_heatmap(const char *path, const dist_ctx *c, long D, double beta)
{
    size_t cap = (size_t)c->nbin * (size_t)c->nbin * 64 + 4096;
    char *s = malloc(cap);
    if (!s) {
        cli_error(CMD, "out of memory drawing %s", path);
        return 0;
    }
    char tmp[4096];
    const char *tp = cli_output_temp(CMD, path);
    if (!tp) {
        free(s);
        return 0;
    }
    snprintf(tmp, sizeof tmp, "%s", tp);
    size_t len = 0;
    len += (size_t)snprintf(s + len, cap - len, "$Q << EOD\n");
    /* grid over bin centres in (s, d) mapped to (x, y); pm3d draws the
     * quadrilaterals of the rotated lattice */
    for (int ia = 0; ia < c->nbin; ia++) {
        for (int ib = 0; ib < c->nbin; ib++) {
            double a = (ia + 0.5) * (c->h + 1.0) / c->nbin - 0.5;
            double b = (ib + 0.5) * (c->h + 1.0) / c->nbin - 0.5;
            double sv = 2 * a / c->h - 1, dv = 2 * b / c->h - 1;
            double v = c->lbin[ia * c->nbin + ib] / log(10.0);
            if (!(v > -30))
                v = -31; /* below the floor: its own colour, not the background's */
            len += (size_t)snprintf(s + len, cap - len, "%.6g %.6g %.5g\n", 0.5 * (sv + dv),
                                    0.5 * (sv - dv), v);
        }
        len += (size_t)snprintf(s + len, cap - len, "\n");
    }
    snprintf(s + len, cap - len,
             "EOD\nset terminal pngcairo size 900,800 font 'sans,12' enhanced\n"
             "set output '%s'\nset view map\nset size ratio -1\n"
             "set title 'Equilibrium class distribution, D = %ld, {/Symbol b} = %g'\n"
             "set xlabel 'x'\nset ylabel 'y'\nset xrange [-1.05:1.05]\nset yrange [-1.05:1.05]\n"
             "set cblabel 'log_{10} Q(n, n_1) %s (grey: below -30)'\nset cbrange [-31:0]\n"
             "set cbtics ('< -30' -30.5, -25, -20, -15, -10, -5, 0)\n"
             "set palette defined (-31 '#c4c4c4', -30.02 '#c4c4c4', -30 '#fff3b0', -24 '#f4a259', "
             "-12 '#bc4b51', 0 '#3d0c11')\n"
             "set object 1 polygon from 1,0 to 0,1 to -1,0 to 0,-1 to 1,0 front fs empty border lc rgb 'black' lw 1\n"
             "set pm3d map corners2color c1\nunset key\nsplot $Q using 1:2:3 with pm3d\nunset output\n",
             tmp, D, beta, c->nbin <= c->h ? "summed per cell" : "");
    const char *outs[1] = {path}, *tmps[1] = {tmp};
    int ok = cli_gnuplot(CMD, s, outs, tmps, 1);
    free(s);
    return ok;
}

static void progress(void *ctx, double fraction)
{
    (void)ctx;
    cli_progress("exact: summing classes", fraction);
}

int cli_exact_heatmap(const hl_model *m, long D, double beta, const char *png)
{
    hl_exact *ex;
    int st = hl_exact_create(m, D, HL_EXACT_AUTO, &ex);
    if (st)
        return cli_lib_error(CMD, st), 0;
    dist_ctx dc = {NULL, D / 2, D / 2 + 1 < MAXBIN ? (int)(D / 2 + 1) : MAXBIN, NULL};
    dc.lbin = malloc(sizeof(double) * (size_t)dc.nbin * (size_t)dc.nbin);
    int ok = dc.lbin != NULL;
    for (int i = 0; ok && i < dc.nbin * dc.nbin; i++)
        dc.lbin[i] = -INFINITY;
    if (ok && (st = hl_exact_distribution(ex, beta, visit, &dc)) != HL_OK)
        ok = (cli_lib_error(CMD, st), 0);
    if (ok)
        ok = write_heatmap(png, &dc, D, beta);
    free(dc.lbin);
    hl_exact_free(ex);
    return ok;
}

int cmd_exact(int argc, char **argv)
{
    if (cli_blocks_requested(argc, argv))
        return cmd_exact_blocks(argc, argv);
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},     {"beta", required_argument, 0, 'b'},
        {"melting", no_argument, 0, 'm'},       {"beta-lo", required_argument, 0, 'l'},
        {"beta-hi", required_argument, 0, 'u'}, {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'},
        {"method", required_argument, 0, 'M'},  {"distribution", required_argument, 0, 'd'},
        {"plot", required_argument, 0, 'P'},    {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION,          {0, 0, 0, 0}};
    const char *trans = NULL;
    const char *phi = NULL, *dist = NULL, *plot = NULL;
    long D = 0;
    int have_dim = 0;
    double beta = 0, lo = 0, hi = 0;
    int have_beta = 0, melting = 0, json = 0, method = HL_EXACT_AUTO, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; have_dim = 1; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'm': melting = 1; break;
        case 'l': if (!cli_parse_beta(CMD, "--beta-lo", optarg, &lo)) return EXIT_USAGE; break;
        case 'u': if (!cli_parse_beta(CMD, "--beta-hi", optarg, &hi)) return EXIT_USAGE; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'M':
            if (!strcmp(optarg, "auto")) method = HL_EXACT_AUTO;
            else if (!strcmp(optarg, "general")) method = HL_EXACT_GENERAL;
            else if (!strcmp(optarg, "separable")) method = HL_EXACT_SEPARABLE;
            else { cli_error(CMD, "--method '%s' is not auto, general or separable", cli_clip(optarg)); return EXIT_USAGE; }
            break;
        case 'd': dist = optarg; break;
        case 'P': plot = optarg; break;
        case 'j': json = 1; break;
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
    if (!have_dim) {
        cli_error(CMD, "--dim D is required (see --help)");
        return EXIT_USAGE;
    }
    if (hl_check_dim(D) != HL_OK) {
        cli_error(CMD, "%s", hl_errmsg());
        return EXIT_USAGE;
    }
    if (melting == have_beta) {
        cli_error(CMD, "give exactly one of --beta B and --melting");
        return EXIT_USAGE;
    }
    if (!melting && (lo > 0 || hi > 0)) {
        cli_error(CMD, "--beta-lo and --beta-hi are the bracket of --melting; with --beta "
                       "they are not used");
        return EXIT_USAGE;
    }
    if (lo > 0 && hi > 0 && !(hi > lo)) {
        cli_error(CMD, "the bracket is empty: --beta-lo %g is not below --beta-hi %g", lo, hi);
        return EXIT_USAGE;
    }
    if (melting && (dist || plot)) {
        cli_error(CMD, "--distribution and --plot need --beta, not --melting");
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    /* every output is made before the work, so an unwritable path fails first */
    if ((dist && !cli_output_declare(CMD, "--distribution", dist, 0)) ||
        (plot && !cli_output_declare(CMD, "--plot", plot, 1)))
        return cli_outputs_status();
    /* B only matters to kinetics; it is validated here like everywhere */
    hl_model *m = cli_model(CMD, phi, trans);
    if (!m)
        return EXIT_FAIL;
    int st = HL_OK;
    hl_exact *ex = NULL;
    int rc = EXIT_OK;
    st = hl_exact_create(m, D, method, &ex);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    hl_exact_set_progress(ex, progress, NULL);
    if (melting) {
        double bm_inf = NAN;
        hl_phases *p;
        /* the infinite-D melting point: the default bracket, and the
         * difference reported */
        st = hl_phases_compute(m, 0.05, 5.0, 400, &p);
        if (st && !(lo > 0 && hi > 0)) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        for (int k = 0; !st && k < hl_phases_melting_count(p); k++) {
            hl_melting ml;
            hl_phases_melting(p, k, &ml);
            if (ml.global && isnan(bm_inf))
                bm_inf = ml.beta;
        }
        if (!st)
            hl_phases_free(p);
        int have_lo = lo > 0, have_hi = hi > 0;
        if ((!have_lo || !have_hi) && isnan(bm_inf)) {
            cli_error(CMD, "this phi has no melting point for D -> infinity in beta [0.05, 5], "
                           "so there is no default %s: give %s",
                      !have_lo && !have_hi ? "bracket" : have_lo ? "--beta-hi" : "--beta-lo",
                      !have_lo && !have_hi ? "--beta-lo and --beta-hi"
                      : have_lo            ? "--beta-hi too"
                                           : "--beta-lo too");
            rc = EXIT_USAGE;
            goto done;
        }
        if (!have_lo)
            lo = bm_inf / 2;
        if (!have_hi)
            hi = bm_inf * 2;
        if (!(hi > lo)) {
            cli_error(CMD, "the bracket [%g, %g] is empty: --beta-%s %g is beyond the default "
                           "--beta-%s %g (%s beta_m(D = inf) = %g); give both ends",
                      lo, hi, have_lo ? "lo" : "hi", have_lo ? lo : hi, have_lo ? "hi" : "lo",
                      have_lo ? hi : lo, have_lo ? "twice" : "half of", bm_inf);
            rc = EXIT_USAGE;
            goto done;
        }
        double bm;
        st = hl_exact_melting(ex, lo, hi, &bm);
        cli_progress_done();
        if (st) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        hl_exact_result r;
        st = hl_exact_compute(ex, bm, &r);
        if (st) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        if (json) {
            cli_json_begin(stdout, "exact");
            printf(", \"phi\": ");
            hl_json_string(stdout, hl_model_phi_formula(m));
            printf(", \"dim\": %ld", D);
            NUM("beta_m", bm);
            NUM("T_m", 1 / bm);
            NUM("beta_m_infinite_dim", bm_inf);
            NUM("beta_m_minus_infinite", bm - bm_inf);
            NUM("lnZ_per_dim", r.ln_z_per_dim);
            printf(", \"basins\": ");
            json_basins(stdout, &r);
            printf("}\n");
        } else {
            printf("D = %ld: finite-D melting point beta_m = %s (T_m = %s)\n", D,
                   cli_num("%.12f", bm), cli_num("%.10f", 1 / bm));
            printf("  infinite-D beta_m = %s, difference %s\n", cli_num("%.12f", bm_inf),
                   cli_num("%.3e", bm - bm_inf));
            for (int k = 0; k < r.n_basins; k++)
                printf("  basin %-8s P = %s\n", r.basins[k].name,
                       cli_p_text(r.basins[k].probability, r.basins[k].ln_probability));
        }
        goto done;
    }
    hl_exact_result r;
    st = hl_exact_compute(ex, beta, &r);
    cli_progress_done();
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (dist || plot) {
        dist_ctx dc = {NULL, D / 2, 0, NULL};
        if (dist) {
            if (!(dc.csv = cli_output_stream(CMD, dist))) {
                rc = EXIT_FAIL;
                goto done;
            }
            char params[512];
            snprintf(params, sizeof params,
                     "phi = %s; D = %ld; beta = %.17g; classes with Q above 1e-300 of the "
                     "largest; ln_Q is the natural log of the normalised probability",
                     hl_model_phi_formula(m), D, beta);
            cli_csv_preamble(dc.csv, params);
            fprintf(dc.csv, "n,n1,x,y,ln_Q,Q,basin\n");
        }
        if (plot) {
            dc.nbin = D / 2 + 1 < MAXBIN ? (int)(D / 2 + 1) : MAXBIN;
            dc.lbin = malloc(sizeof(double) * (size_t)dc.nbin * (size_t)dc.nbin);
            if (!dc.lbin) {
                cli_error(CMD, "out of memory");
                rc = EXIT_FAIL;
                goto done;
            }
            for (int i = 0; i < dc.nbin * dc.nbin; i++)
                dc.lbin[i] = -INFINITY;
        }
        st = hl_exact_distribution(ex, beta, visit, &dc);
        if (st) {
            free(dc.lbin);
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        if (plot && !write_heatmap(plot, &dc, D, beta)) {
            free(dc.lbin);
            rc = EXIT_FAIL;
            goto done;
        }
        free(dc.lbin);
    }
    print_result(m, &r, json);
done:
    hl_exact_free(ex);
    hl_model_free(m);
    return rc;
}
