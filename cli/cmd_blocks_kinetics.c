/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_blocks_kinetics.c -- 'spectrum --blocks' and 'mfpt --blocks': the
 * master equation on the class lattice of k blocks (hl_blocks_chain) solved
 * by the chain engine (chain.h): the slowest rates (hl_chain_slow_rates,
 * exact however small) and mean first-passage times between basins
 * (hl_chain_mfpt, graph transformation). */
#include <float.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"
#include "hyperland/blocks_kinetics.h"
#include "memlimit.h"

/* why a mean first-passage time is null */
static const char *const LOST = "the sparse-direct solve lost every digit of this time (its "
                                "relative resolution eps kappa is >= 1); use graph-transformation";


/* --------------------------------------------------------- spectrum */

static void spectrum_help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland spectrum --blocks K --dim D --beta B [--count N] [options]\n"
"       hyperland spectrum --block-sizes D1,...,DK --beta B [--count N] [options]\n"
"\n"
"The N slowest relaxation rates of the master equation on the class lattice\n"
"of K blocks (prod (D_i + 1) classes, 2K moves per class, the rates of eq\n"
"5.2: K(n -> n + e_i) = (D_i - n_i) B(m_mid, T) exp(-beta D dphi / 2)), 0\n"
"first, in units of B, through the chain engine (hl_chain_slow_rates): the\n"
"double eigensolver where it resolves a rate, Lanczos on the pseudo-inverse\n"
"through the graph transformation, and the log-space fixed point for the\n"
"rest, each value checked against every other method that resolves it:\n"
"the tunnelling rates are right in relative terms however small (ln_rates\n"
"stays finite below 1e-308).  A rate no method resolves is null with the\n"
"reason.  For K = 2 equal blocks the chain is today's contracted chain\n"
"(m1 = x + y, m2 = x - y) and the rates are today's; with the paper's phi\n"
"and B = 1 it goes through the 2-D model's separable chains (any D, O(D)\n"
"memory).  Otherwise the memory of the chain and its sparse factor is\n"
"estimated first and a lattice above the limit is refused (--max-memory).\n"
"One block (K = 1) is\n"
"a birth-death chain over n = 0..D: its rates are the squared singular\n"
"values of the bidiagonal bond matrix (dqds up to 2001 classes, bisection\n"
"beyond; high relative accuracy however small), the slowest by log-space\n"
"inverse iteration below their range, with a bound per rate, in O(D) memory.\n"
"Otherwise each rate has its relative error bound (JSON rel_bounds;\n"
"resolution is the largest): the method's (for gt-lanczos 4u (2h + 8) of\n"
"the slowest rate, h the height of the elimination tree, u = 2^-53) plus\n"
"the rounding of the chain's own numbers (ln W in long double, phi's\n"
"enclosure at each class): expm1(delta_A + 2 delta_M), delta_M and\n"
"delta_A the largest errors of the ln weights and ln conductances.\n"
"\n"
"options:\n"
CLI_BLOCKS_HELP
"  --dim D              dimension (with --blocks; K divides D)\n"
"  --beta B             inverse temperature (required, > 0)\n"
"  --count N            number of rates, 0 included (default 10)\n"
"  --phi FORMULA        phi(m1, ..., mK) (x, y too for K = 2 equal blocks)\n"
"  --transmission F     B(m1, ..., mK, T) (default 1)\n"
CLI_MAX_MEMORY_HELP
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n");
}

/* The rate and its ln as text with the digits rel resolves. */
static void fmt_rate(double ln, double rel, char *rb, char *lb, size_t n)
{
    if (ln == -INFINITY) {
        snprintf(rb, n, "0");
        snprintf(lb, n, "n/a (rate 0)");
        return;
    }
    if (isnan(ln)) {
        snprintf(rb, n, "not resolved");
        snprintf(lb, n, "not resolved");
        return;
    }
    int dig = isnan(rel) ? 10 : rel > 0 ? (int)floor(-log10(rel)) : 15;
    dig = dig < 1 ? 1 : dig > 15 ? 15 : dig;
    double rate = exp(ln);
    if (rate >= DBL_MIN && isfinite(rate)) {
        snprintf(rb, n, "%.*g", dig, rate);
    } else {
        double e10 = ln / log(10.0), ex = floor(e10);
        snprintf(rb, n, "%.*fe%.0f", dig - 1, pow(10.0, e10 - ex), ex);
    }
    snprintf(lb, n, "%.*f", dig, ln);
}

int cmd_spectrum_blocks(int argc, char **argv)
{
    static const char *CMD = "spectrum";
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},  {"beta", required_argument, 0, 'b'},
        {"count", required_argument, 0, 'k'}, {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'}, {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION, CLI_BLOCKS_OPTIONS,
        CLI_MAX_MEMORY_OPTION, {0, 0, 0, 0}};
    const char *phi = NULL, *trans = NULL;
    long D = 0, K = 10;
    double beta = 0;
    int have_beta = 0, json = 0, c;
    cli_blocks_opts bo = {0};
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        int r = cli_blocks_option(CMD, c, optarg, &bo);
        if (!r)
            r = cli_max_memory_handle(CMD, c, optarg);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'k': if (!cli_parse_long(CMD, "--count", optarg, &K)) return EXIT_USAGE; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'j': json = 1; break;
        case 'h': spectrum_help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (!have_beta) {
        cli_error(CMD, "--beta B is required (see --help)");
        return EXIT_USAGE;
    }
    if (K < 1 || K > 1000) {
        cli_error(CMD, "--count %ld is not between 1 and 1000", K);
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    hl_blocks *b = cli_blocks_model(CMD, &bo, D, phi, trans);
    if (!b)
        return cli_blocks_status();
    if (!cli_blocks_classes_ok(CMD, b, 2147483647L, "the class-lattice chain")) {
        hl_blocks_free(b);
        return EXIT_USAGE;
    }
    long N = hl_blocks_n_classes(b);
    if (N >= 0 && K > N) {
        cli_error(CMD, "--count %ld is above the number of classes (%ld)", K, N);
        hl_blocks_free(b);
        return EXIT_USAGE;
    }
    /* two equal blocks with the paper's phi and B = 1: the 2-D model's
     * separable chains (the same chain, m1 = x + y, m2 = x - y), O(D)
     * memory at any D; one block: its birth-death chain; otherwise the
     * chain engine on the whole lattice, refused up front when its
     * estimated memory is above the limit */
    int sep2 = cli_blocks_paper_separable(b, phi, trans);
    if (hl_blocks_k(b) > 1 && !sep2 &&
        !cli_blocks_memory_ok(CMD, b, CLI_MEM_FACTOR, (int)K, "the class-lattice chain")) {
        hl_blocks_free(b);
        return EXIT_USAGE;
    }
    int rc = EXIT_OK, st;
    hl_model *m2 = NULL;
    double *r2 = NULL;
    hl_chain *ch = NULL;
    hl_chain_plan *plan = NULL;
    double *lr = malloc(sizeof(double) * (size_t)K), *bd = malloc(sizeof(double) * (size_t)K);
    char why[1024] = "";
    hl_chain_result res = {"none", NAN};
    if (!lr || !bd) {
        cli_error(CMD, "out of memory");
        rc = EXIT_FAIL;
        goto done;
    }
    if (sep2) {
        hl_spectrum_info info;
        if (!(m2 = cli_model(CMD, NULL, NULL))) {
            rc = EXIT_FAIL;
            goto done;
        }
        if (!(r2 = malloc(sizeof(double) * (size_t)K))) {
            cli_error(CMD, "out of memory");
            rc = EXIT_FAIL;
            goto done;
        }
        if ((st = hl_spectrum_ex(m2, hl_blocks_dim(b), beta, HL_CONTRACTED, (int)K, r2, lr, bd,
                                 NULL, &info))) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        res.method = hl_spectrum_method_name(info.method);
        res.resolution = info.rel_error;
        if (info.null_reason)
            snprintf(why, sizeof why, "%s", info.null_reason);
    } else if (hl_blocks_k(b) == 1) {
        /* one block: a birth-death chain, exact (bidiagonal singular
         * values) with a bound per rate */
        const char *bwhy = NULL;
        if ((st = hl_blocks_birth_death_rates(b, beta, (int)K, lr, bd, &bwhy))) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        res.method = N - 1 > 2000 ? "birth-death-bisection" : "birth-death-dqds";
        res.resolution = 0;
        for (long q = 1; q < K; q++)
            if (!isnan(bd[q]))
                res.resolution = fmax(res.resolution, bd[q]);
        if (bwhy)
            snprintf(why, sizeof why, "%s", bwhy);
    } else {
        if ((st = hl_blocks_chain(b, beta, &ch)) || (st = hl_chain_plan_create(ch, beta, &plan)) ||
            (st = hl_chain_slow_rates_bounds(plan, (int)K, lr, bd, why, sizeof why, &res))) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
    }
    int any_null = 0;
    for (long q = 1; q < K; q++)
        any_null |= isnan(lr[q]);
    if (json) {
        cli_json_begin(stdout, CMD);
        cli_blocks_json(stdout, b);
        printf(", \"beta\": ");
        hl_json_number(stdout, beta);
        printf(", \"kind\": \"blocks\", \"states\": %ld, \"method\": ", N);
        hl_json_string(stdout, res.method);
        printf(", \"resolution\": ");
        hl_json_number(stdout, res.resolution);
        printf(", \"resolution_kind\": \"relative\", \"rates\": [");
        for (long q = 0; q < K; q++) {
            printf(q ? ", " : "");
            double r = q == 0 ? 0.0 : exp(lr[q]);
            hl_json_number(stdout, q == 0 || (r >= DBL_MIN && isfinite(r)) ? r : NAN);
        }
        printf("], \"ln_rates\": [");
        for (long q = 0; q < K; q++) {
            printf(q ? ", " : "");
            hl_json_number(stdout, lr[q]);
        }
        printf("], \"rel_bounds\": [");
        for (long q = 0; q < K; q++) {
            printf(q ? ", " : "");
            hl_json_number(stdout, bd[q]);
        }
        printf("], \"null_reason\": ");
        if (any_null)
            hl_json_string(stdout, why[0] ? why : "not resolved");
        else
            printf("null");
        printf(", \"ln_rates_note\": \"ln_rates[0] is null: rate 0 (equilibrium) is exactly 0 "
               "and its log is -infinity; a rate null with a finite ln_rate lies below "
               "1e-308\"}\n");
    } else {
        printf("D = %ld in %d block%s, beta = %s, %ld classes, method %s\n", hl_blocks_dim(b),
               hl_blocks_k(b), hl_blocks_k(b) == 1 ? "" : "s", cli_num("%g", beta), N, res.method);
        printf("  %4s %24s %24s %12s\n", "k", "rate (units of B)", "ln rate", "rel. bound");
        for (long q = 0; q < K; q++) {
            char rb[64], lb[64];
            fmt_rate(lr[q], isnan(bd[q]) ? res.resolution : bd[q], rb, lb, sizeof rb);
            printf("  %4ld %24s %24s %12s\n", q, rb, lb, cli_num("%.3g", bd[q]));
        }
        printf("  (relative resolution %s)\n", cli_num("%.3g", res.resolution));
        if (any_null)
            printf("  (not resolved: %s)\n", why[0] ? why : "not resolved");
    }
done:
    free(lr);
    free(r2);
    hl_model_free(m2);
    free(bd);
    hl_chain_plan_free(plan);
    hl_chain_free(ch);
    hl_blocks_free(b);
    return rc;
}

/* ------------------------------------------------------------- mfpt */

static void mfpt_help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland mfpt --blocks K --dim D --beta B [--from NAME] [--to NAME]\n"
"                      [options]\n"
"\n"
"Mean first-passage time of the master equation on the class lattice of K\n"
"blocks (rates of eq 5.2) from the class at the maximum of ln Q_eq of the\n"
"--from basin to the first class of the --to basin, basins as 'exact\n"
"--blocks' (for K = 2 equal blocks liquid, crystal, ... as without\n"
"--blocks; otherwise b1, b2, ... by increasing phi at their maxima, the\n"
"aliases crystal = b1 and liquid = the highest phi, or a point\n"
"m=v1,...,vK: the basin whose maximum is nearest).  Basins whose phi at\n"
"the maximum tie (a symmetric phi, to 1e-12) are numbered in the order of\n"
"their class n = (n1 .. nK), and an alias that would pick one of them is\n"
"refused (exit 1): name one by b-name or point.  --to may be a list\n"
"(b1,b3: the union of those basins is the target).  Time in units of 1/B.\n"
"By the chain engine's graph transformation (exact in any range of rates,\n"
"in logs: ln_mfpt stays accurate above 1e300) or --method sparse-direct.\n"
"Two equal blocks with the paper's phi and B = 1 (one basin each way, no\n"
"--method or --committor) need no lattice: phi = m1 + g(m2) is separable,\n"
"every basin is a slab of all n1, and the time is that of the n2 chain\n"
"alone, the 2-D model's exact closed-form sum (method separable-chain, any\n"
"D, O(D) memory; --method graph-transformation takes the lattice).\n"
"A lattice whose estimated memory (the chain and its sparse factor) is\n"
"above the limit (--max-memory, else HYPERLAND_MAX_MEMORY, else half the\n"
"physical memory) is refused up front.\n"
"\n"
"options:\n"
CLI_BLOCKS_HELP
"  --dim D              dimension (with --blocks)\n"
"  --beta B             inverse temperature (required, > 0)\n"
"  --from NAME          start basin (default liquid)\n"
"  --to NAME[,NAME...]  target basin, or the union of a list of basins\n"
"                       (default crystal); the start's basin in it, or the\n"
"                       same name as --from, is a usage error (exit 2)\n"
"  --phi FORMULA        phi(m1, ..., mK)\n"
"  --transmission F     B(m1, ..., mK, T) (default 1)\n"
"  --method M           graph-transformation (default) | sparse-direct\n"
"  --committor FILE     the committor of every class (probability to reach\n"
"                       the --to basin before the start class) as CSV:\n"
"                       class, n1..nK, m1..mK (K = 2 equal: n, n1, n2, m1,\n"
"                       m2, x, y), committor, ln_committor ('-': stdout)\n"
CLI_MAX_MEMORY_HELP
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n");
}

/* The MFPT of two equal blocks with the paper's phi and B = 1 without the
 * lattice: phi = m1 + g(m2) is separable and its m1 part has one maximum,
 * so every basin is a slab of all n1 and the time from the start class to
 * a basin is the first-passage time of the n2 chain alone: the 2-D model's
 * closed-form sum (hl_mfpt_by, "separable-chain", O(D) memory; the chain
 * of the 2-D model is this lattice, m1 = x + y, m2 = x - y).  HL_OK with
 * *ps filled, or the library's status (HL_ERANGE when the target lies on
 * both sides of the start: then the lattice path), or 1 after cli_model's
 * one-line error. */
static int mfpt_pair_separable(const char *cmd, const hl_blocks *b, double beta,
                               const char *from, const char *to, hl_blocks_passage *ps)
{
    hl_model *m = cli_model(cmd, NULL, NULL);
    if (!m)
        return 1; /* said by cli_model */
    hl_passage p;
    hl_passage_info pi;
    int st = hl_mfpt_by(m, hl_blocks_dim(b), beta, from, to, NULL, &p, &pi);
    hl_model_free(m);
    if (st)
        return st;
    /* classes in mixed radix, block 2 fastest: n1 = from_n1 (block 1),
     * n2 = from_n - from_n1 */
    ps->start = p.from_n1 * (hl_blocks_size(b, 1) + 1) + (p.from_n - p.from_n1);
    ps->target_classes = p.target_classes;
    ps->ln_mfpt = p.ln_mfpt;
    ps->method = pi.method;
    ps->resolution = pi.resolution;
    return HL_OK;
}

int cmd_mfpt_blocks(int argc, char **argv)
{
    static const char *CMD = "mfpt";
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},   {"beta", required_argument, 0, 'b'},
        {"from", required_argument, 0, 'f'},  {"to", required_argument, 0, 't'},
        {"phi", required_argument, 0, 'p'},   {"transmission", required_argument, 0, 'B'},
        {"method", required_argument, 0, 'M'}, {"committor", required_argument, 0, 'C'},
        {"json", no_argument, 0, 'j'},        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION,
        CLI_BLOCKS_OPTIONS, CLI_MAX_MEMORY_OPTION, {0, 0, 0, 0}};
    const char *phi = NULL, *trans = NULL, *from = "liquid", *to = "crystal", *method = NULL;
    const char *committor = NULL;
    long D = 0;
    double beta = 0;
    int have_beta = 0, json = 0, c;
    cli_blocks_opts bo = {0};
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        int r = cli_blocks_option(CMD, c, optarg, &bo);
        if (!r)
            r = cli_max_memory_handle(CMD, c, optarg);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'C': committor = optarg; break;
        case 'M':
            if (strcmp(optarg, "graph-transformation") && strcmp(optarg, "sparse-direct")) {
                cli_error(CMD, "--method: '%s' is not graph-transformation or sparse-direct",
                          cli_clip(optarg));
                return EXIT_USAGE;
            }
            method = optarg;
            break;
        case 'j': json = 1; break;
        case 'h': mfpt_help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (!have_beta) {
        cli_error(CMD, "--beta B is required (see --help)");
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    if (committor && !cli_output_declare(CMD, "--committor", committor, 0))
        return cli_outputs_status();
    if (!cli_blocks_spec_ok(CMD, "--from", from, &bo) || !cli_blocks_spec_ok(CMD, "--to", to, &bo))
        return EXIT_USAGE;
    hl_blocks *b = cli_blocks_model(CMD, &bo, D, phi, trans);
    if (!b)
        return cli_blocks_status();
    if (cli_blocks_basin_args(CMD, "--from", from, "--to", to, hl_blocks_k(b), 1)) {
        hl_blocks_free(b);
        return EXIT_USAGE;
    }
    int k = hl_blocks_k(b), pair = hl_blocks_is_paper_pair(b), rc = EXIT_OK, st;
    long N = hl_blocks_n_classes(b);
    double *lq = NULL;
    hl_blocks_passage ps;
    /* two equal blocks with the paper's phi and B = 1, one basin named
     * each way, no --method or --committor: the separable n2 chain, any D
     * (mfpt_pair_separable); else the chain engine on the whole lattice,
     * refused up front when its estimated memory is above the limit */
    int sep2 = cli_blocks_paper_separable(b, phi, trans) && !method && !committor &&
               !strchr(from, ',') && !strchr(to, ',') && strncmp(from, "m=", 2) &&
               strncmp(to, "m=", 2);
    if (sep2) {
        st = mfpt_pair_separable(CMD, b, beta, from, to, &ps);
        if (st == HL_OK)
            goto report;
        if (st != HL_ERANGE) {
            rc = st == 1 ? EXIT_FAIL : cli_blocks_basin_status(CMD, st);
            goto done;
        }
    }
    if (!cli_blocks_classes_ok(CMD, b, HL_BLOCKS_EXACT_MAX_CLASSES, "the exact sums over classes") ||
        !cli_blocks_memory_ok(CMD, b, CLI_MEM_FACTOR, 2, "the mean first-passage time")) {
        hl_blocks_free(b);
        return EXIT_USAGE;
    }
    if (committor && N > 0 && !(lq = malloc(sizeof(double) * (size_t)N))) {
        cli_error(CMD, "out of memory");
        hl_blocks_free(b);
        return EXIT_FAIL;
    }
    if ((st = hl_blocks_mfpt(b, beta, from, to, method, lq, &ps))) {
        rc = cli_blocks_basin_status(CMD, st);
        goto done;
    }
report:;
    double m0[HL_BLOCKS_MAX];
    long n0[HL_BLOCKS_MAX];
    hl_blocks_class(b, ps.start, n0, m0);
    if (committor) {
        FILE *fp = cli_output_stream(CMD, committor);
        if (!fp) {
            rc = EXIT_FAIL;
            goto done;
        }
        char params[512];
        snprintf(params, sizeof params,
                 "D = %ld; beta = %.17g; committor = probability to reach the '%s' basin "
                 "before the start class %ld of '%s'; method = %s, resolution %.3g (relative)",
                 hl_blocks_dim(b), beta, to, ps.start, from, ps.method, ps.resolution);
        cli_csv_preamble(fp, params);
        cli_blocks_csv_comment(fp, b);
        fprintf(fp, "class%s", pair ? ",n" : "");
        for (int i = 0; i < k; i++)
            fprintf(fp, ",n%d", i + 1);
        for (int i = 0; i < k; i++)
            fprintf(fp, ",m%d", i + 1);
        fprintf(fp, "%s,committor,ln_committor\n", pair ? ",x,y" : "");
        long n[HL_BLOCKS_MAX];
        double m[HL_BLOCKS_MAX];
        for (long i = 0; i < N; i++) {
            hl_blocks_class(b, i, n, m);
            fprintf(fp, "%ld", i);
            if (pair)
                fprintf(fp, ",%ld", n[0] + n[1]);
            for (int q = 0; q < k; q++)
                fprintf(fp, ",%ld", n[q]);
            for (int q = 0; q < k; q++)
                hl_csv_number(fp, ",%.12g", m[q]);
            if (pair) {
                hl_csv_number(fp, ",%.12g", 0.5 * (m[0] + m[1]));
                hl_csv_number(fp, ",%.12g", 0.5 * (m[0] - m[1]));
            }
            hl_csv_number(fp, ",%.15g", exp(lq[i]));
            hl_csv_number(fp, ",%.15g\n", lq[i]); /* empty where the committor is 0 */
        }
    }
    if (json) {
        cli_json_begin(stdout, CMD);
        cli_blocks_json(stdout, b);
        printf(", \"beta\": ");
        hl_json_number(stdout, beta);
        printf(", \"from\": ");
        hl_json_string(stdout, from);
        printf(", \"to\": ");
        hl_json_string(stdout, to);
        printf(", \"start\": {\"class\": %ld, \"n\": [", ps.start);
        for (int i = 0; i < k; i++)
            printf("%s%ld", i ? ", " : "", n0[i]);
        printf("], \"m\": ");
        cli_blocks_json_vec(stdout, m0, k);
        if (pair) {
            printf(", \"x\": ");
            hl_json_number(stdout, 0.5 * (m0[0] + m0[1]));
            printf(", \"y\": ");
            hl_json_number(stdout, 0.5 * (m0[0] - m0[1]));
        }
        printf("}, \"target_classes\": %ld, \"method\": ", ps.target_classes);
        hl_json_string(stdout, ps.method);
        printf(", \"resolution\": ");
        hl_json_number(stdout, ps.resolution);
        printf(", \"mfpt\": ");
        hl_json_number(stdout, exp(ps.ln_mfpt)); /* null above the double range */
        printf(", \"ln_mfpt\": ");
        hl_json_number(stdout, ps.ln_mfpt);
        printf(", \"log10_mfpt\": ");
        hl_json_number(stdout, ps.ln_mfpt / log(10.0));
        if (isnan(ps.ln_mfpt))
            printf(", \"mfpt_null_reason\": \"%s\"", LOST);
        printf("}\n");
    } else {
        printf("D = %ld in %d block%s, beta = %s: %s -> %s, start class %ld at m = (", hl_blocks_dim(b),
               k, k == 1 ? "" : "s", cli_num("%g", beta), from, to, ps.start);
        for (int i = 0; i < k; i++)
            printf("%s%s", i ? ", " : "", cli_num("%.6g", m0[i]));
        printf("), %ld target classes\n", ps.target_classes);
        printf("  mean first-passage time %s (units of 1/B)\n",
               isnan(ps.ln_mfpt) ? "not resolved"
                                 : cli_numx("%.12g", exp(ps.ln_mfpt),
                                            "above the range of a double: see ln"));
        if (isnan(ps.ln_mfpt))
            printf("  (not resolved: %s)\n", LOST);
        printf("  ln = %s, log10 = %s  (%s, resolution %s relative)\n",
               cli_num("%.15g", ps.ln_mfpt), cli_num("%.12g", ps.ln_mfpt / log(10.0)), ps.method,
               cli_num("%.2g", ps.resolution));
    }
done:
    free(lq);
    hl_blocks_free(b);
    return rc;
}

