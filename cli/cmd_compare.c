/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_compare.c -- hyperland compare: the master equation (eq 5.6) against
 * its continuum descriptions -- the Fokker-Planck equation (eq 5.9) in the
 * full and the linearised form, and the Ornstein-Uhlenbeck formulas of the
 * Gaussian theory (eqs 5.7-5.11) -- for the slow in-basin modes and the
 * relaxation of the mean, over a list of D. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare_blocks.h"
#include "hyperland/fokker_planck.h"

static const char *CMD = "compare";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland compare --beta B --dims D1,D2,... [--blocks K | --block-sizes LIST]\n"
"                         [options]\n"
"\n"
"For every D and every maximum ('branch') of f = w - beta phi, side by side:\n"
"  master   the K slowest nonzero rates of the contracted master equation\n"
"           (eq 5.6) restricted to the concave core of the branch's basin (the\n"
"           in-basin modes, without the tunnelling mode)\n"
"  fp       the same for the full Fokker-Planck equation (force\n"
"           grad(D (w - beta phi)) / beta) on a grid over the maximum's\n"
"           +-W standard deviations, cut to the same core; grids N and N/2,\n"
"           Richardson-extrapolated (error O(N^-4))\n"
"  linear   the linearised Fokker-Planck equation (eq 5.11, mobility frozen\n"
"           at the maximum) on the same grids, extrapolated the same way\n"
"  ou       the exact Ornstein-Uhlenbeck rates n1 lambda1 + n2 lambda2\n"
"and the relaxation of the mean after a field is switched off at t = 0\n"
"(each model starts from its own equilibrium in the field that displaces\n"
"the Gaussian by S standard deviations towards the centre of the square):\n"
"master (in-basin), full and linearised Fokker-Planck, and the OU formula\n"
"exp(-A t) delta0, each measured from its own equilibrium mean; the error\n"
"is max_t |<(x, y)>(t) - master| / |delta0|.  Rates are in units of B.\n"
"In-basin means the basin's concave core (f concave, connected to the\n"
"maximum; reflecting walls): the rest of a basin carries modes that live\n"
"at the saddle, at rates set by its unstable eigenvalue for every D.\n"
"For the master equation the core also loses the classes whose steepest\n"
"ascent within it ends at a trap of its walls (a local maximum of ln Q in\n"
"the core with a higher neighbour outside it, as near a face).\n"
"With mobility D^-1 (docs/fokker_planck.md) every continuum rate differs\n"
"from the master equation's by O(1/D) once D (1 - s_m^2) and D (1 - d_m^2)\n"
"are large (a maximum near an edge of the square needs larger D).\n"
"A difference below the resolution is null (JSON), empty (CSV), n/a\n"
"(table): a relative rate difference below 1e-12 is round-off of the\n"
"rates, a path error below 1e-6 the integrators' tolerance; the fitted\n"
"exponent of a branch with such a row is null too.\n"
"\n");
    fprintf(fp,
"options:\n"
"  --beta B             inverse temperature (required)\n"
"  --dims D1,D2,...     even dimensions (required; at most 16, each <= 4000)\n"
"  --branch NAME        only this maximum (default: all)\n"
"  --rates K            slow in-basin rates per model (default 3)\n"
"  --grid N             Fokker-Planck cells per axis (default 160)\n"
"  --window W           half-width of the grid in standard deviations (default 8)\n"
"  --displace S         the field's displacement, in standard deviations\n"
"                       (Mahalanobis length; default 2)\n"
"  --phi FORMULA        phi(x, y), a formula (below; default eq 4.11)\n"
"  --transmission FORMULA  B(x, y, T) (default 1)\n"
"  --output FILE        the table as CSV ('-': stdout, the report then goes to\n"
"                       stderr; likewise for --plot)\n"
"  --plot FILE.png      rate and mean-path differences against D, and the mean\n"
"                       relaxation at the largest D\n"
"  --json               machine-readable output on stdout\n"
"%s" /* CLI_BLOCKS_HELP */
"                       with --blocks or --block-sizes: the model of K blocks;\n"
"                       each D of --dims a multiple of K (of the sum of the\n"
"                       sizes, which scale with D); the maxima named as\n"
"                       'gaussian --blocks' names them; master = the class\n"
"                       lattice restricted to the concave core of the basin,\n"
"                       fp and linear on the box of +-W sd per block (grid N\n"
"                       per axis, default 160, 32 for K = 3), OU the sums of\n"
"                       n_i lambda_i; the mean in m1 .. mK (delta0 in m, path\n"
"                       error max_t |<m> - master| / |delta0|); for K > 3 the\n"
"                       Fokker-Planck columns are null with the reason\n"
"%s" /* CLI_THREADS_HELP */
"  --help               this text\n" HL_FORMULA_HELP, CLI_BLOCKS_HELP, CLI_THREADS_HELP);
}

int cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        {"beta", required_argument, 0, 'b'},     {"dims", required_argument, 0, 'd'},
        {"branch", required_argument, 0, 'n'},   {"rates", required_argument, 0, 'k'},
        {"grid", required_argument, 0, 'N'},     {"window", required_argument, 0, 'w'},
        {"displace", required_argument, 0, 's'}, {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'}, {"output", required_argument, 0, 'o'},
        {"plot", required_argument, 0, 'g'},     {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION, CLI_BLOCKS_OPTIONS, {0, 0, 0, 0}};
    cli_blocks_opts bo;
    memset(&bo, 0, sizeof bo);
    int brc, grid_given = 0;
    cli_compare_opts co;
    cli_compare_defaults(&co);
    const char *dims_s = NULL, *phi = NULL, *trans = NULL, *output = NULL, *plot = NULL;
    int have_beta = 0, json = 0, c;
    long v;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &co.beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'd': dims_s = optarg; break;
        case 'n': co.branch = optarg; break;
        case 'k':
            if (!cli_parse_long(CMD, "--rates", optarg, &v)) return EXIT_USAGE;
            if (v < 1 || v > CLI_COMPARE_MAX_RATES) {
                cli_error(CMD, "--rates %ld is not in [1, %d]", v, CLI_COMPARE_MAX_RATES);
                return EXIT_USAGE;
            }
            co.k = (int)v;
            break;
        case 'N':
            if (!cli_parse_long(CMD, "--grid", optarg, &co.grid)) return EXIT_USAGE;
            grid_given = 1;
            if (co.grid < 2 * HL_FP_GRID_MIN || co.grid > HL_FP_GRID_MAX) {
                cli_error(CMD, "--grid %ld is not in [%ld, %ld]", co.grid, 2 * HL_FP_GRID_MIN,
                          HL_FP_GRID_MAX);
                return EXIT_USAGE;
            }
            break;
        case 'w':
            if (!cli_parse_double(CMD, "--window", optarg, &co.window)) return EXIT_USAGE;
            if (!(co.window >= 3 && co.window <= 50)) {
                cli_error(CMD, "--window %g is not in [3, 50] standard deviations", co.window);
                return EXIT_USAGE;
            }
            break;
        case 's':
            if (!cli_parse_double(CMD, "--displace", optarg, &co.displace)) return EXIT_USAGE;
            if (!(co.displace > 0 && co.displace <= 5)) {
                cli_error(CMD, "--displace %g is not in (0, 5] standard deviations", co.displace);
                return EXIT_USAGE;
            }
            break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
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
    if (!have_beta || !dims_s) {
        cli_error(CMD, "--beta B and --dims D1,D2,... are required (see --help)");
        return EXIT_USAGE;
    }
    if (bo.k ? !cli_compare_blocks_dims(CMD, &bo, dims_s, &co)
             : !cli_compare_parse_dims(CMD, dims_s, &co))
        return EXIT_USAGE;
    if (bo.k == 3 && !grid_given)
        co.grid = 32;
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    /* every output is made before the work, so an unwritable path fails first */
    if ((output && !cli_output_declare(CMD, "--output", output, 0)) ||
        (plot && !cli_output_declare(CMD, "--plot", plot, 1)))
        return cli_outputs_status();
    hl_model *m = NULL;
    if (!bo.k && !(m = cli_model(CMD, phi, trans)))
        return EXIT_FAIL;
    int rc = EXIT_FAIL;
    cli_compare_result *res = NULL;
    if (bo.k ? !cli_compare_blocks_run(CMD, &bo, phi, trans, &co, &res)
             : !cli_compare_run(CMD, m, &co, &res)) {
        if (bo.k)
            rc = cli_blocks_status() == EXIT_USAGE ? EXIT_USAGE : EXIT_FAIL;
        goto done;
    }
    if (output && !cli_write_atomic(CMD, output, cli_compare_csv, res))
        goto done;
    if (plot && !cli_compare_plot(CMD, res, plot))
        goto done;
    if (json)
        cli_compare_json(stdout, res);
    else
        cli_compare_table(stdout, res);
    rc = EXIT_OK;
done:
    cli_compare_free(res);
    hl_model_free(m);
    return rc;
}
