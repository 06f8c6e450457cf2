/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_fokker_planck.c -- hyperland fokker-planck: the Fokker-Planck
 * equation of the order parameters (eqs 5.9-5.11, mobility corrected as in
 * docs/fokker_planck.md), full or linearised, on a finite-volume grid:
 * relaxation spectrum and time evolution. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"
#include "fokker_planck_blocks.h"
#include "hyperland/fokker_planck.h"

static const char *CMD = "fokker-planck";

#define MAX_RATES 200

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland fokker-planck --dim D (--beta B | --protocol FILE) [options]\n"
"\n"
"The Fokker-Planck equation for the order parameters (eq 5.9) on the square\n"
"|x| + |y| <= 1, discretised by finite volumes with Scharfetter-Gummel fluxes\n"
"on an N x N grid in (s, d) = (x + y, x - y).  Mobility mu = beta Dif with\n"
"Dif = (B/D) [[sp+sm, sp-sm], [sp-sm, sp+sm]], sp = sqrt(1-(x+y)^2),\n"
"sm = sqrt(1-(x-y)^2) -- the Kramers-Moyal limit of eq 5.6, i.e. eq 5.10 with\n"
"D^-1 where the paper prints D^-2 (see docs/fokker_planck.md).  Two forms:\n"
"  full    force grad(D (w - beta phi)) / beta over the whole square: both\n"
"          basins, metastability and barrier crossing\n"
"  linear  the force of eq 5.11 linearised around one maximum, mobility\n"
"          frozen there: an Ornstein-Uhlenbeck process, whose exact rates\n"
"          (n1 lambda1 + n2 lambda2) are printed beside the numerical ones\n"
"Prints the slowest relaxation rates of the discretised operator (at the\n"
"initial beta; below the solver's resolution: 'not resolved'); with --from\n"
"and --times also evolves the distribution and reports the same table as\n"
"'evolve' (time in units of 1/B).\n"
"\n"
"options:\n"
"  --dim D              even dimension (required)\n"
"  --beta B             fixed inverse temperature (> 0)\n"
"  --protocol FILE      T(t) or beta(t) as for 'evolve' (full form; the linear\n"
"                       form takes only a constant one, = --beta)\n"
"  --form full|linear   (default full)\n"
"  --grid N             cells per axis, %ld..%ld (default 200); error O(1/N^2);\n"
"                       refused if ln P jumps by > 10 between adjacent cells of\n"
"                       a basin (names the grid needed), > 4: a warning\n"
"  --branch NAME        the maximum for the linear form / window / basin\n"
"                       (liquid, crystal, ...)\n"
"  --at X,Y             or the maximum at (X, Y) (an error if it is not one)\n"
"  --window K           grid only over the maximum's +-K standard deviations\n"
"                       (in s and d) with reflecting walls (default: the square)\n"
"  --in-basin           keep only the maximum's basin (reflecting walls)\n"
"  --core               keep only the basin's concave core: where f is concave,\n"
"                       connected to the maximum (the in-basin modes without\n"
"                       those that live at the saddle; see 'compare')\n"
"  --rates K            number of slowest rates (default 10; 0: none)\n"
"  --from SPEC          start as for 'evolve': crystal | liquid | basin:NAME |\n"
"                       infinite-temperature | equilibrium:BETA | class CSV file\n"
"  --times t1,t2,...    output times (with --from)\n"
"  --phi FORMULA        phi(x, y), a formula (below; default eq 4.11)\n"
"  --transmission FORMULA  B(x, y, T) (default 1)\n"
"  --rtol R             CVODE relative tolerance (default 1e-8)\n"
"  --output FILE        the trajectory as CSV\n"
"  --plot FILE.png      <x>, <y> and the basin populations against t\n"
"                       (for either, FILE '-' is stdout; the report then goes\n"
"                       to stderr)\n"
"  --json               machine-readable output on stdout\n",
            HL_FP_GRID_MIN, HL_FP_GRID_MAX);
    fprintf(fp,
"%s" /* CLI_BLOCKS_HELP */
"                       with --blocks (K <= 3): eq 5.9 in m1 .. mK on the cube\n"
"                       [-1, 1]^K, mobility (2 B / D_i) sqrt(1 - m_i^2) per block,\n"
"                       --grid per axis (default 200; 40 for K = 3),\n"
"                       the slowest rates with their logs (the tunnelling rate\n"
"                       exact however small) at the initial beta; --protocol,\n"
"                       --from (also m=V1,...,VK, class:INDEX, or a class CSV\n"
"                       with n1..nK and Q or ln_Q, as 'exact --blocks\n"
"                       --distribution' writes), --times, --rtol and --output\n"
"                       as without --blocks, columns mean_m1..mean_mK (and\n"
"                       mean_x, mean_y for K = 2 equal blocks); --plot: <m_i>\n"
"                       of every block (and <x>, <y> for K = 2 equal blocks)\n"
"                       and the basin probabilities against t (with --from;\n"
"                       the rates alone: refused).  --form linear\n"
"                       (U = -D dm^T E dm, mobility frozen at the maximum; the\n"
"                       exact OU rates, sums of n_i lambda_i of 'gaussian\n"
"                       --blocks --ou', printed beside), --window W (the box\n"
"                       m*_i +- W sd_i of the K-D Gaussian, clipped to the\n"
"                       cube), --in-basin, --core as without --blocks, around\n"
"                       the maximum --branch NAME (as 'gaussian --blocks' names\n"
"                       them) or the one nearest --at M1,...,MK; at one --beta\n"
"                       (no --protocol), except --window: with --protocol and\n"
"                       --from the box holds the window of every maximum at\n"
"                       every T the protocol visits (the maxima move),\n"
"                       reported as domain; and under a protocol the grid\n"
"                       must resolve the distribution at every row's T (as\n"
"                       above)\n",
            CLI_BLOCKS_HELP);
    fprintf(fp,
"%s" /* CLI_THREADS_HELP: the whole text would be above C's 4095 characters */
"  --help               this text\n" HL_FORMULA_HELP,
            CLI_THREADS_HELP);
}

typedef struct {
    const hl_fp_options *opt;
    const hl_fp *fp;
    int k;
    const double *rates, *ou;
    double resolution, ln_tunnelling;
    long cells;
    int have_ou, tunnelling_exact;
} spec_t;

/* a rate as text: the exact 0, "not resolved" for NaN, a rate below the
 * range of a double from its ln */
static void fmt_rate(char *buf, size_t n, double r, double ln)
{
    if (isnan(r))
        snprintf(buf, n, "not resolved");
    else if (r == 0 && isfinite(ln)) {
        double e10 = ln / log(10.0), ex = floor(e10);
        snprintf(buf, n, "%.10fe%.0f", pow(10.0, e10 - ex), ex);
    } else
        snprintf(buf, n, "%.14g", r);
}

static void json_rates(const char *key, const double *v, int k)
{
    printf(", \"%s\": [", key);
    for (int q = 0; q < k; q++) {
        printf("%s", q ? ", " : "");
        hl_json_number(stdout, v[q]);
    }
    printf("]");
}

static void json_spectrum(const void *ctx)
{
    const spec_t *s = ctx;
    long n;
    double sl, sh, dl, dh;
    hl_fp_grid(s->fp, &n, &sl, &sh, &dl, &dh, NULL);
    printf(", \"form\": \"%s\", \"grid\": %ld, \"domain\": {\"s_lo\": ",
           s->opt->form == HL_FP_LINEAR ? "linear" : "full", n);
    hl_json_number(stdout, sl);
    printf(", \"s_hi\": ");
    hl_json_number(stdout, sh);
    printf(", \"d_lo\": ");
    hl_json_number(stdout, dl);
    printf(", \"d_hi\": ");
    hl_json_number(stdout, dh);
    printf("}, \"cells\": %ld", s->cells);
    const hl_gaussian *g = hl_fp_gaussian(s->fp);
    if (g) {
        printf(", \"maximum\": {\"branch\": ");
        hl_json_string(stdout, g->name);
        printf(", \"x\": ");
        hl_json_number(stdout, g->x);
        printf(", \"y\": ");
        hl_json_number(stdout, g->y);
        printf("}");
    }
    double jump, jx, jy;
    hl_fp_resolution(s->fp, &jump, &jx, &jy);
    printf(", \"grid_resolution\": {\"max_ln_jump\": ");
    hl_json_number(stdout, jump);
    printf(", \"x\": ");
    hl_json_number(stdout, jx);
    printf(", \"y\": ");
    hl_json_number(stdout, jy);
    printf(", \"warning\": ");
    if (jump > HL_FP_JUMP_WARN)
        hl_json_string(stdout, "coarse grid: ln P changes by more than 4 between adjacent "
                               "cells; rates carry a few per cent of discretisation error");
    else
        printf("null");
    printf("}");
    if (s->k > 0) {
        /* a tunnelling rate below the range of a double: null here, its
         * ln in ln_tunnelling_rate (never a 0 for a rate not computed) */
        printf(", \"rates\": [");
        for (int q = 0; q < s->k; q++) {
            printf("%s", q ? ", " : "");
            hl_json_number(stdout, q == 1 && s->tunnelling_exact && !(s->rates[q] > 0)
                                       ? NAN : s->rates[q]);
        }
        printf("], \"ln_tunnelling_rate\": ");
        hl_json_number(stdout, s->tunnelling_exact ? s->ln_tunnelling : NAN);
        printf(", \"null_reason\": ");
        int any = 0;
        for (int q = 1; q < s->k; q++)
            any |= isnan(s->rates[q]);
        if (any)
            hl_json_string(stdout, "below the eigensolver's resolution");
        else
            printf("null");
        printf(", \"resolution\": ");
        hl_json_number(stdout, s->resolution);
        printf(", \"tunnelling_from_capacity\": %s", s->tunnelling_exact ? "true" : "false");
    }
    if (s->have_ou && s->k > 0)
        json_rates("ou_rates", s->ou, s->k);
}

static void print_spectrum(const spec_t *s)
{
    long n;
    double sl, sh, dl, dh;
    hl_fp_grid(s->fp, &n, &sl, &sh, &dl, &dh, NULL);
    printf("Fokker-Planck (%s form), grid %ld x %ld over s in [%s, %s], d in [%s, %s], "
           "%ld cells\n",
           s->opt->form == HL_FP_LINEAR ? "linear" : "full", n, n, cli_num("%.6g", sl),
           cli_num("%.6g", sh), cli_num("%.6g", dl), cli_num("%.6g", dh), s->cells);
    const hl_gaussian *g = hl_fp_gaussian(s->fp);
    if (g)
        printf("maximum '%s' at (x, y) = (%s, %s); OU eigenvalues %s, %s\n", g->name,
               cli_num("%.10g", g->x), cli_num("%.10g", g->y), cli_num("%.10g", g->lambda[0]),
               cli_num("%.10g", g->lambda[1]));
    if (s->k <= 0)
        return;
    printf("%4s %22s", "k", "rate (units of B)");
    if (s->have_ou)
        printf(" %22s %12s", "Ornstein-Uhlenbeck", "rel. diff.");
    printf("\n");
    for (int q = 0; q < s->k; q++) {
        char rb[64];
        fmt_rate(rb, sizeof rb, s->rates[q],
                 q == 1 && s->tunnelling_exact ? s->ln_tunnelling : NAN);
        printf("%4d %22s", q, rb);
        if (s->have_ou)
            printf(" %s %s", cli_num("%22.14g", s->ou[q]),
                   cli_num("%12.3g", s->ou[q] > 0 ? fabs(s->rates[q] - s->ou[q]) / s->ou[q]
                                                  : fabs(s->rates[q])));
        printf("\n");
    }
    if (s->tunnelling_exact)
        printf("rate 1 is below the eigensolver's resolution: the tunnelling rate from the "
               "capacity between the two maxima\n");
    if (s->resolution > 0)
        printf("other rates below %s are round-off (shown as not resolved)\n",
               cli_num("%.3g", s->resolution));
}

int cmd_fokker_planck(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},      {"beta", required_argument, 0, 'b'},
        {"protocol", required_argument, 0, 'P'}, {"form", required_argument, 0, 'F'},
        {"grid", required_argument, 0, 'N'},     {"branch", required_argument, 0, 'n'},
        {"at", required_argument, 0, 'a'},       {"window", required_argument, 0, 'w'},
        {"in-basin", no_argument, 0, 'I'},       {"rates", required_argument, 0, 'k'},
        {"core", no_argument, 0, 'C'},
        {"from", required_argument, 0, 'f'},     {"times", required_argument, 0, 't'},
        {"phi", required_argument, 0, 'p'},      {"transmission", required_argument, 0, 'B'},
        {"rtol", required_argument, 0, 'r'},     {"output", required_argument, 0, 'o'},
        {"plot", required_argument, 0, 'g'},     {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION, CLI_BLOCKS_OPTIONS, {0, 0, 0, 0}};
    const char *proto_path = NULL, *from = NULL, *times_s = NULL, *phi = NULL, *trans = NULL;
    const char *output = NULL, *plot = NULL, *at = NULL;
    hl_fp_options opt;
    hl_fp_options_default(&opt);
    long D = 0, k = 10;
    double beta = 0, rtol = 0;
    int have_dim = 0, have_beta = 0, json = 0, c, grid_given = 0, brc;
    cli_blocks_opts bo;
    memset(&bo, 0, sizeof bo);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; have_dim = 1; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'P': proto_path = optarg; break;
        case 'F':
            if (!strcmp(optarg, "full")) opt.form = HL_FP_FULL;
            else if (!strcmp(optarg, "linear")) opt.form = HL_FP_LINEAR;
            else { cli_error(CMD, "--form '%s': expected full or linear", cli_clip(optarg)); return EXIT_USAGE; }
            break;
        case 'N':
            if (!cli_parse_long(CMD, "--grid", optarg, &opt.grid)) return EXIT_USAGE;
            grid_given = 1;
            if (opt.grid < HL_FP_GRID_MIN || opt.grid > HL_FP_GRID_MAX) {
                cli_error(CMD, "--grid %ld is not in [%ld, %ld]", opt.grid, HL_FP_GRID_MIN,
                          HL_FP_GRID_MAX);
                return EXIT_USAGE;
            }
            break;
        case 'n': opt.branch = optarg; break;
        case 'a': at = optarg; break;
        case 'w':
            if (!cli_parse_double(CMD, "--window", optarg, &opt.window)) return EXIT_USAGE;
            if (!(opt.window > 0)) {
                cli_error(CMD, "--window %g is not > 0", opt.window);
                return EXIT_USAGE;
            }
            break;
        case 'I': opt.in_basin = HL_FP_BASIN; break;
        case 'C': opt.in_basin = HL_FP_CORE; break;
        case 'k':
            if (!cli_parse_long(CMD, "--rates", optarg, &k)) return EXIT_USAGE;
            if (k < 0 || k > MAX_RATES) {
                cli_error(CMD, "--rates %ld is not in [0, %d]", k, MAX_RATES);
                return EXIT_USAGE;
            }
            break;
        case 'f': from = optarg; break;
        case 't': times_s = optarg; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'r': if (!cli_parse_rtol(CMD, optarg, &rtol)) return EXIT_USAGE; break;
        case 'o': output = optarg; break;
        case 'g': plot = optarg; break;
        case 'j': json = 1; break;
        case 'h': help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default:
            if ((brc = cli_blocks_option(CMD, c, optarg, &bo)) < 0)
                return EXIT_USAGE;
            if (!brc)
                return cli_bad_option(CMD, c, argv);
            break;
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (bo.k) {
        if (at && opt.branch) {
            cli_error(CMD, "give --branch or --at, not both");
            return EXIT_USAGE;
        }
        int need = opt.form == HL_FP_LINEAR || opt.window > 0 || opt.in_basin;
        if (need && !opt.branch && !at) {
            cli_error(CMD, "the linear form, --window, --in-basin and --core need --branch "
                           "NAME or --at M1,...,MK");
            return EXIT_USAGE;
        }
        if ((opt.branch || at) && !need) {
            cli_error(CMD, "--branch and --at choose the maximum of the linear form, --window, "
                           "--in-basin or --core; the full form on the whole cube uses neither");
            return EXIT_USAGE;
        }
        if ((opt.form == HL_FP_LINEAR || opt.in_basin) && proto_path) {
            cli_error(CMD, "with --blocks, --form linear, --in-basin and --core are built "
                           "around one maximum at one beta: use --beta, not --protocol");
            return EXIT_USAGE;
        }
        if (have_beta == (proto_path != NULL)) {
            cli_error(CMD, "give exactly one of --beta B and --protocol FILE");
            return EXIT_USAGE;
        }
        /* the number of blocks and the grid's cells follow from the options:
         * their limits are usage errors */
        if (bo.k > HL_FP_BLOCKS_MAX) {
            cli_error(CMD, "the Fokker-Planck equation is solved for at most %d blocks (%d "
                           "given)",
                      HL_FP_BLOCKS_MAX, bo.k);
            return EXIT_USAGE;
        }
        {
            long n = grid_given ? opt.grid : bo.k == 3 ? 40 : 200;
            double cells = pow((double)n, bo.k);
            if (cells > (double)HL_FP_BLOCKS_CELLS_MAX) {
                cli_error(CMD, "--grid %ld in %d dimensions is %.0f cells, above the limit of %ld "
                               "cells (at most --grid %ld for %d blocks)",
                          n, bo.k, cells, HL_FP_BLOCKS_CELLS_MAX,
                          (long)floor(pow((double)HL_FP_BLOCKS_CELLS_MAX, 1.0 / bo.k) + 1e-9),
                          bo.k);
                return EXIT_USAGE;
            }
        }
        if ((from != NULL) != (times_s != NULL)) {
            cli_error(CMD, "--from and --times go together");
            return EXIT_USAGE;
        }
        if ((output || plot) && !from) {
            cli_error(CMD, "--output and --plot write the trajectory (the rates alone have no "
                           "time axis): give --from and --times");
            return EXIT_USAGE;
        }
        cli_fp_blocks_args fa;
        memset(&fa, 0, sizeof fa);
        fa.dim = have_dim ? D : 0;
        fa.grid = grid_given ? opt.grid : 0;
        fa.rates = k;
        fa.beta = beta;
        fa.have_beta = have_beta;
        fa.json = json;
        fa.protocol = proto_path;
        fa.from = from;
        fa.times = times_s;
        fa.phi = phi;
        fa.trans = trans;
        fa.output = output;
        fa.plot = plot;
        fa.rtol = rtol;
        fa.form = opt.form;
        fa.window = opt.window;
        fa.in_basin = opt.in_basin;
        fa.branch = opt.branch;
        fa.at = at;
        return cli_fp_blocks(CMD, &bo, &fa);
    }
    if (!have_dim) {
        cli_error(CMD, "--dim D is required (see --help)");
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
    if ((from != NULL) != (times_s != NULL)) {
        cli_error(CMD, "--from and --times go together");
        return EXIT_USAGE;
    }
    if ((output || plot) && !from) {
        cli_error(CMD, "--output and --plot write the trajectory: give --from and --times");
        return EXIT_USAGE;
    }
    if (at && opt.branch) {
        cli_error(CMD, "give --branch or --at, not both");
        return EXIT_USAGE;
    }
    if (at) {
        if (!cli_parse_point(CMD, "--at", at, &opt.at_x, &opt.at_y))
            return EXIT_USAGE;
        opt.use_point = 1;
    }
    if ((opt.form == HL_FP_LINEAR || opt.window > 0 || opt.in_basin) && !opt.branch && !at) {
        cli_error(CMD, "the linear form, --window, --in-basin and --core need --branch NAME or "
                       "--at X,Y");
        return EXIT_USAGE;
    }
    if ((opt.branch || at) && !(opt.form == HL_FP_LINEAR || opt.window > 0 || opt.in_basin)) {
        cli_error(CMD, "--branch and --at choose the maximum of the linear form, --window, "
                       "--in-basin or --core; the full form on the whole square uses neither");
        return EXIT_USAGE;
    }
    if (opt.form == HL_FP_LINEAR && proto_path) {
        cli_error(CMD, "the linear form is built around one maximum at one beta: use --beta");
        return EXIT_USAGE;
    }
    int drc = cli_trajectory_declare(CMD, json, output, plot, proto_path);
    if (drc != EXIT_OK)
        return drc;
    double *times = NULL, *q0 = NULL, *rates = NULL, *ou = NULL;
    size_t nt = 0;
    hl_evolve_start start;
    hl_protocol *proto = NULL;
    hl_model *m = NULL;
    hl_fp *fp = NULL;
    hl_evolve_point *pts = NULL;
    int rc = EXIT_FAIL, st;
    if (times_s && !cli_parse_times(CMD, times_s, &times, &nt))
        return EXIT_USAGE;
    if (from && !cli_parse_start(CMD, from, D, &start, &q0)) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (proto_path) {
        if (!cli_read_protocol(CMD, proto_path, &proto)) {
            rc = EXIT_USAGE;
            goto done;
        }
    } else if ((st = hl_protocol_create_fixed(beta, &proto))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    double beta0 = hl_protocol_beta(proto, 0.0);
    if (!(m = cli_model(CMD, phi, trans)))
        goto done;
    st = hl_fp_create(m, D, beta0, &opt, &fp);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    {
        double jump, jx, jy;
        hl_fp_resolution(fp, &jump, &jx, &jy);
        if (jump > HL_FP_JUMP_WARN)
            fprintf(stderr, "hyperland %s: warning: coarse grid: ln P changes by %.3g between "
                            "adjacent cells near (x, y) = (%.4f, %.4f); expect a few per cent "
                            "of discretisation error (more cells or a window reduce it)\n",
                    CMD, jump, jx, jy);
        /* A narrow window: its reflecting walls cut the distribution, and a
         * Gaussian cut at +-K sigma relaxes faster than the free one (the
         * liquid at D = 400, beta = 0.5, K = 1: 8.72 against the OU rate
         * 2.91); at K >= 4 the weight cut off is about 1e-4. */
        if (opt.window > 0 && opt.window < 4)
            fprintf(stderr, "hyperland %s: warning: --window %g cuts the distribution at %g "
                            "standard deviations: its walls raise the rates (use 4 or more "
                            "for the free relaxation)\n",
                    CMD, opt.window, opt.window);
    }
    spec_t sp;
    memset(&sp, 0, sizeof sp);
    sp.opt = &opt;
    sp.fp = fp;
    sp.k = (int)k;
    rates = malloc(sizeof(double) * (size_t)(k + 1));
    ou = malloc(sizeof(double) * (size_t)(k + 1));
    if (!rates || !ou) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    if (k > 0) {
        hl_fp_spectrum_info si;
        st = hl_fp_spectrum(fp, (int)k, rates, &si);
        if (st) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        sp.resolution = si.resolution;
        sp.cells = si.cells;
        sp.tunnelling_exact = si.tunnelling_exact;
        sp.ln_tunnelling = si.ln_tunnelling;
    } else {
        hl_fp_grid(fp, NULL, NULL, NULL, NULL, NULL, &sp.cells);
    }
    sp.rates = rates;
    const hl_gaussian *g = hl_fp_gaussian(fp);
    if (g && opt.form == HL_FP_LINEAR && k > 0) {
        hl_ou_rates(g, (int)k, ou);
        sp.have_ou = 1;
    }
    sp.ou = ou;
    if (!from) {
        if (json) {
            cli_json_model(stdout, CMD, m, D, beta0);
            json_spectrum(&sp);
            printf("}\n");
        } else {
            printf("D = %ld, beta = %s\n", D, cli_num("%g", beta0));
            print_spectrum(&sp);
        }
        rc = EXIT_OK;
        goto done;
    }
    pts = malloc(sizeof(hl_evolve_point) * nt);
    if (!pts) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    hl_fp_info info;
    st = hl_fp_evolve(fp, proto, &start, times, nt, rtol, pts, NULL, &info);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    cli_trajectory o;
    memset(&o, 0, sizeof o);
    char method[160], extra[200];
    long n;
    hl_fp_grid(fp, &n, NULL, NULL, NULL, NULL, NULL);
    snprintf(method, sizeof method, "Fokker-Planck %s form, %ld x %ld finite volumes, %s",
             opt.form == HL_FP_LINEAR ? "linear" : "full", n, n,
             info.steps > 0 ? "CVODE BDF" : "shift-and-invert Krylov exponential");
    snprintf(extra, sizeof extra, "; %ld steps, %ld LU factorisations, %ld Krylov vectors",
             info.steps, info.factorisations, info.krylov_iterations);
    o.cmd = CMD;
    o.title = "Fokker-Planck evolution";
    o.method = method;
    o.method_key = opt.form == HL_FP_LINEAR ? "fokker-planck-linear" : "fokker-planck-full";
    o.csv_extra = extra;
    o.json_extra = json_spectrum;
    o.json_ctx = &sp;
    o.rtol = rtol > 0 ? rtol : 1e-8;
    o.atol = o.rtol * 1e-4 / (double)sp.cells;
    o.steps = info.steps;
    o.start_n = o.start_n1 = -1;
    o.m = m;
    o.D = D;
    o.pts = pts;
    o.n = nt;
    o.from = from;
    o.proto = proto_path;
    o.beta = beta;
    cli_trajectory_names(&o);
    if (output && !cli_write_atomic(CMD, output, cli_trajectory_csv, &o))
        goto done;
    if (plot && !cli_trajectory_plot(&o, plot))
        goto done;
    if (json) {
        cli_trajectory_json(&o);
    } else {
        print_spectrum(&sp);
        cli_trajectory_table(&o);
    }
    rc = EXIT_OK;
done:
    hl_protocol_free(proto);
    hl_fp_free(fp);
    hl_model_free(m);
    free(pts);
    free(q0);
    free(times);
    free(rates);
    free(ou);
    return rc;
}
