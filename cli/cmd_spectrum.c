/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_spectrum.c -- hyperland spectrum: the slowest relaxation rates of the
 * master equation (eqs 3.6, 3.11 with the rates of eq 5.2). */
#include <float.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "cli.h"
#include "memlimit.h"

static const char *CMD = "spectrum";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland spectrum --dim D --beta B [--count K] [options]\n"
"\n"
"The K slowest relaxation rates of the master equation (eigenvalues of eq\n"
"3.11 for the contracted classes (n, n1), of eq 3.6 with --full), 0 first,\n"
"in units of B, with rates L(j -> i) = B exp(beta (Phi_j - Phi_i)/2) (eq 5.2).\n"
"\n"
"For the paper's phi with B = 1 the contracted generator splits into two\n"
"birth-death chains; each chain's rates are the squared singular values of\n"
"a bidiagonal matrix, which LAPACK's dqds gives to high relative accuracy\n"
"however small they are, and the slowest rate, when below the range of\n"
"doubles, comes from an inverse iteration in log space: small relative\n"
"error at any D up to 1e6 (ln_rates stays finite below 1e-308).\n"
"Otherwise a dense symmetric eigensolver (LAPACK dsyevr) for up to 4096\n"
"states, and beyond that ARPACK shift-invert with a CHOLMOD sparse Cholesky\n"
"factor (contracted classes, D up to ~4000); their absolute resolution is\n"
"reported, and a rate whose error bound exceeds a tenth of it is null,\n"
"except the tunnelling rate of two basins: exact graph transformation for\n"
"D <= 300, the capacity between the basins beyond.\n"
"Every rate is printed with the digits its error bound resolves (column\n"
"'rel. error': a bound on its relative error); a rate no method resolves\n"
"is 'not resolved' (null in JSON) with the reason.\n"
"\n");
    fprintf(fp,
"--full: the full hypercube (2^D vertices).  Its generator commutes with the\n"
"permutations of the spins inside each half, so it splits exactly into\n"
"symmetry sectors (k1, k2), 0 <= k1, k2 <= D/4: chains on the classes with\n"
"an exit rate per state, each rate of multiplicity (C(h,k1) - C(h,k1-1))\n"
"(C(h,k2) - C(h,k2-1)), h = D/2.  Sector (0, 0) is the contracted chain\n"
"(solved as above); the others by LAPACK dbdsvdx on a subtraction-free\n"
"bidiagonal factor (paper's phi, B = 1: high relative accuracy) or by the\n"
"sparse solver with exit rates.  Sectors whose slowest rate lies above the\n"
"K-th slowest distinct rate are skipped (a sector's slowest rate does not\n"
"decrease with k1 or k2).  Works at every D where the contracted spectrum\n"
"works.  'rates' are the K slowest counted with multiplicity; 'distinct'\n"
"lists the K slowest distinct rates with sector, exact multiplicity (a\n"
"decimal string) and how many copies are among 'rates'.  --method\n"
"matrix-free: the old check on the 2^D generator itself, dense LAPACK for\n"
"D <= 12, ARPACK Lanczos beyond (D <= 24; Lanczos can miss copies of a\n"
"repeated rate).\n"
"\n"
"options:\n"
"  --dim D              even dimension (required)\n"
"  --beta B             inverse temperature (required, > 0)\n"
"  --count K            number of rates, 0 included (default 10)\n"
"  --full               the full hypercube (2^D vertices) instead of the classes\n"
"  --method M           with --full: sectors (default) or matrix-free\n"
"  --phi FORMULA        phi(x, y), a formula (below; default eq 4.11)\n"
"  --transmission FORMULA\n"
"                       B(x, y, T), a formula in x, y, T (below; default 1)\n"
"  --vectors FILE       write the slow eigenvectors of the symmetrised generator\n"
"                       as CSV over (n, n1); rates and vectors then come from\n"
"                       the dense or Arnoldi method (also for the paper's phi),\n"
"                       with that method's resolution; '-': stdout, the report\n"
"                       then goes to stderr; with --full: the matrix-free\n"
"                       method, D <= 12\n"
"  --blocks K, --block-sizes LIST\n"
"                     the model of K blocks (section VI): see\n"
"                     'hyperland spectrum --blocks 2 --help'\n"
CLI_MAX_MEMORY_HELP
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n" HL_FORMULA_HELP);
}

/* A rate and its ln with the digits its relative error bound rel resolves
 * (rel NaN: an estimate without a bound, 10 digits); a rate below the range
 * of a double from its ln; "not resolved" for NaN; the exact 0 as 0. */
static void cli_format_rate(double rate, double ln, double rel, char *rb, char *lb, size_t n)
{
    if (ln == -INFINITY && rate == 0) {
        snprintf(rb, n, "0");
        snprintf(lb, n, "n/a (rate 0)");
        return;
    }
    if (isnan(ln)) {
        snprintf(rb, n, "not resolved");
        snprintf(lb, n, "not resolved");
        return;
    }
    int dig = 10;
    if (!isnan(rel))
        dig = rel > 0 ? (int)floor(-log10(rel)) : 15;
    dig = dig < 1 ? 1 : dig > 15 ? 15 : dig;
    if (rate >= DBL_MIN) {
        snprintf(rb, n, "%.*g", dig, rate);
    } else { /* below the range of a double: from ln */
        double e10 = ln / log(10.0), ex = floor(e10);
        snprintf(rb, n, "%.*fe%.0f", dig - 1, pow(10.0, e10 - ex), ex);
    }
    snprintf(lb, n, "%.*f", dig, ln);
}

typedef struct {
    long dim, states;
    int k, kind;
    double beta;
    const double *vec;
    const hl_model *m;
} vec_ctx;

static int write_vectors(FILE *fp, void *vp)
{
    vec_ctx *c = vp;
    char params[512];
    snprintf(params, sizeof params,
             "phi = %s; B = %s; D = %ld; beta = %.17g; %s; columns v_k: eigenvector k "
             "of the symmetrised generator (rate k), unit 2-norm",
             hl_model_phi_formula(c->m), hl_model_transmission_formula(c->m), c->dim,
             c->beta, c->kind == HL_FULL ? "full hypercube (state = vertex bits)"
                                         : "contracted classes");
    cli_csv_preamble(fp, params);
    fprintf(fp, "state,n,n1");
    for (int q = 0; q < c->k; q++)
        fprintf(fp, ",v%d", q);
    fprintf(fp, "\n");
    hl_generator *g;
    if (hl_generator_create(c->m, c->dim, c->beta, c->kind, &g) != HL_OK)
        return -1;
    for (long i = 0; i < c->states; i++) {
        long n, n1;
        hl_generator_class_of(g, i, &n, &n1);
        fprintf(fp, "%ld,%ld,%ld", i, n, n1);
        for (int q = 0; q < c->k; q++)
            hl_csv_number(fp, ",%.15g", c->vec[i * c->k + q]);
        fprintf(fp, "\n");
    }
    hl_generator_free(g);
    return ferror(fp) ? -1 : 0;
}

static const char *method_name(int method)
{
    const char *name = hl_spectrum_method_name(method);
    return name ? name : "unknown";
}

/* --full by symmetry sectors */
static int run_sectors(const hl_model *m, long D, double beta, int K, int json)
{
    double *rates = malloc(sizeof(double) * (size_t)K);
    double *lr = malloc(sizeof(double) * (size_t)K);
    hl_sector_rate *d = malloc(sizeof(hl_sector_rate) * (size_t)K);
    char **mult = calloc((size_t)K, sizeof(char *));
    int rc = EXIT_OK;
    hl_sectors_info info;
    if (!rates || !lr || !d || !mult) {
        cli_error(CMD, "out of memory");
        rc = EXIT_FAIL;
        goto done;
    }
    int st = hl_full_spectrum_sectors(m, D, beta, K, rates, lr, d, &info);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    for (long q = 0; q < info.n_distinct; q++) {
        int len = hl_sector_multiplicity(D, d[q].k1, d[q].k2, NULL, 0);
        if (len < 0 || !(mult[q] = malloc((size_t)len + 1))) {
            rc = len < 0 ? cli_lib_error(CMD, len) : (cli_error(CMD, "out of memory"), EXIT_FAIL);
            goto done;
        }
        hl_sector_multiplicity(D, d[q].k1, d[q].k2, mult[q], (size_t)len + 1);
    }
    const char *tun = info.method00 == HL_SPECTRUM_SEPARABLE ? "exact (chains)"
                      : info.tunnelling_exact == 1 ? "exact (graph-transformation reduction)"
                      : info.tunnelling_exact == 2 ? "capacity between the basins"
                                                   : "eigensolver";
    if (json) {
        cli_json_model(stdout, CMD, m, D, beta);
        printf(", \"kind\": \"full\", \"states\": ");
        if (D <= 62)
            printf("%.0f", ldexp(1.0, (int)D));
        else
            printf("null");
        printf(", \"log2_states\": %ld, \"method\": \"symmetry-sectors\", "
               "\"sector00_method\": \"%s\", \"resolution\": ",
               D, method_name(info.method00));
        hl_json_number(stdout, info.resolution);
        printf(", \"tunnelling_rate\": \"%s\", \"sectors_total\": %ld, "
               "\"sectors_solved\": %ld, \"rates\": [",
               tun, info.sectors_total, info.sectors_solved);
        for (int q = 0; q < K; q++) { /* null: unresolved, or below 1e-308 (see ln) */
            printf(q ? ", " : "");
            hl_json_number(stdout, rates[q] == 0 && lr[q] > -INFINITY ? NAN : rates[q]);
        }
        printf("], \"ln_rates\": [");
        for (int q = 0; q < K; q++) {
            printf(q ? ", " : "");
            hl_json_number(stdout, lr[q]); /* null for the exact 0's -inf */
        }
        printf("], \"distinct\": [");
        for (long q = 0; q < info.n_distinct; q++) {
            printf(q ? ", {\"rate\": " : "{\"rate\": ");
            hl_json_number(stdout, d[q].rate == 0 && d[q].ln_rate > -INFINITY ? NAN : d[q].rate);
            printf(", \"ln_rate\": ");
            hl_json_number(stdout, d[q].ln_rate);
            printf(", \"k1\": %ld, \"k2\": %ld, \"index\": %ld, \"multiplicity\": \"%s\", "
                   "\"ln_multiplicity\": ",
                   d[q].k1, d[q].k2, d[q].index, mult[q]);
            hl_json_number(stdout, d[q].ln_multiplicity);
            printf(", \"copies\": %ld}", d[q].copies);
        }
        printf("]");
        if (rates[0] == 0 && lr[0] == -INFINITY)
            printf(", \"ln_rates_note\": \"ln_rates[0] and the ln_rate of the distinct 0 are "
                   "null: rate 0 (equilibrium) is exactly 0 and its log is -infinity; a rate "
                   "null with a finite ln_rate lies below 1e-308; a rate and ln_rate both null "
                   "are not resolved (below the resolution)\"");
        printf("}\n");
    } else {
        printf("D = %ld, beta = %s, full hypercube (2^%ld states), method symmetry-sectors "
               "(%ld of %ld sectors solved; sector (0, 0): %s)\n",
               D, cli_num("%g", beta), D, info.sectors_solved, info.sectors_total,
               method_name(info.method00));
        printf("  %4s %24s %24s\n", "k", "rate (units of B)", "ln rate");
        for (int q = 0; q < K; q++)
            printf("  %4d %s %s\n", q, cli_numx("%24.15g", rates[q], "not resolved"),
                   rates[q] == 0 && lr[q] == -INFINITY ? cli_numx("%24g", NAN, "n/a (rate 0)")
                                                       : cli_numx("%24.15g", lr[q], "not resolved"));
        printf("distinct rates (sector (k1, k2), place in the sector, copies among the %d "
               "above, exact multiplicity):\n", K);
        printf("  %4s %24s %24s %12s %7s %7s  %s\n", "k", "rate (units of B)", "ln rate",
               "sector", "index", "copies", "multiplicity");
        for (long q = 0; q < info.n_distinct; q++) {
            char sec[48];
            snprintf(sec, sizeof sec, "(%ld, %ld)", d[q].k1, d[q].k2);
            printf("  %4ld %s %s %12s %7ld %7ld  %s\n", q,
                   cli_numx("%24.15g", d[q].rate, "not resolved"),
                   d[q].rate == 0 && d[q].ln_rate == -INFINITY
                       ? cli_numx("%24g", NAN, "n/a (rate 0)")
                       : cli_numx("%24.15g", d[q].ln_rate, "not resolved"),
                   sec, d[q].index, d[q].copies, mult[q]);
        }
        if (info.tunnelling_exact == 1)
            printf("  (the tunnelling rate of sector (0, 0) from the exact graph-transformation "
                   "reduction onto the two basins)\n");
        else if (info.tunnelling_exact == 2)
            printf("  (the tunnelling rate of sector (0, 0) from the capacity between the two "
                   "basins' deepest classes)\n");
        int unresolved = 0, underflow = 0;
        for (int q = 0; q < K; q++) {
            unresolved |= isnan(rates[q]);
            underflow |= rates[q] == 0 && lr[q] > -INFINITY;
        }
        if (underflow)
            printf("  (a rate 0 with a finite ln rate lies below 1e-308: its value is the ln "
                   "rate)\n");
        if (unresolved)
            printf("  (rates below %s are not resolved: \"not resolved\")\n",
                   cli_num("%.3g", info.resolution));
    }
done:
    if (mult)
        for (int q = 0; q < K; q++)
            free(mult[q]);
    free(mult);
    free(rates);
    free(lr);
    free(d);
    return rc;
}

int cmd_spectrum(int argc, char **argv)
{
    if (cli_blocks_requested(argc, argv))
        return cmd_spectrum_blocks(argc, argv);
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},  {"beta", required_argument, 0, 'b'},
        {"count", required_argument, 0, 'k'}, {"full", no_argument, 0, 'F'},
        {"phi", required_argument, 0, 'p'},  {"transmission", required_argument, 0, 'B'},
        {"vectors", required_argument, 0, 'v'}, {"json", no_argument, 0, 'j'},
        {"method", required_argument, 0, 'M'},
        CLI_MAX_MEMORY_OPTION,
        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION,       {0, 0, 0, 0}};
    const char *phi = NULL, *trans = NULL, *vecfile = NULL, *fmethod = NULL;
    long D = 0, K = 10;
    double beta = 0;
    int have_dim = 0, have_beta = 0, full = 0, json = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        int r = cli_max_memory_handle(CMD, c, optarg);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &D)) return EXIT_USAGE; have_dim = 1; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'k': if (!cli_parse_long(CMD, "--count", optarg, &K)) return EXIT_USAGE; break;
        case 'F': full = 1; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'v': vecfile = optarg; break;
        case 'M': fmethod = optarg; break;
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
    if (!have_dim || !have_beta) {
        cli_error(CMD, "--dim D and --beta B are required (see --help)");
        return EXIT_USAGE;
    }
    if (hl_check_dim(D) != HL_OK) {
        cli_error(CMD, "%s", hl_errmsg());
        return EXIT_USAGE;
    }
    int kind = full ? HL_FULL : HL_CONTRACTED;
    if (fmethod && !full) {
        cli_error(CMD, "--method applies to --full only");
        return EXIT_USAGE;
    }
    if (fmethod && strcmp(fmethod, "sectors") && strcmp(fmethod, "matrix-free")) {
        cli_error(CMD, "--method '%s': use sectors or matrix-free", fmethod);
        return EXIT_USAGE;
    }
    /* the eigenvectors of the 2^D generator come from the matrix-free path */
    int sectors = full && !vecfile && (!fmethod || !strcmp(fmethod, "sectors"));
    if (vecfile && fmethod && !strcmp(fmethod, "sectors")) {
        cli_error(CMD, "--vectors with --full needs --method matrix-free");
        return EXIT_USAGE;
    }
    if (sectors && K > 100000000) {
        cli_error(CMD, "--count %ld is too large (at most 1e8)", K);
        return EXIT_USAGE;
    }
    if (sectors) {
        double states = ldexp(1.0, (int)(D < 1000 ? D : 1000));
        if (K < 1 || (D < 1000 && (double)K > states)) {
            cli_error(CMD, "--count %ld is not between 1 and the number of states (2^%ld)", K,
                      D);
            return EXIT_USAGE;
        }
        if (json && !cli_stdout_claim(CMD, "--json"))
            return EXIT_USAGE;
        hl_model *m = cli_model(CMD, phi, trans);
        if (!m)
            return EXIT_FAIL;
        int rc = run_sectors(m, D, beta, (int)K, json);
        hl_model_free(m);
        return rc;
    }
    if (full && D > HL_FULL_DIM_MAX) {
        cli_error(CMD, "--full at D = %ld: 2^%ld states would need %.3g GB per vector; "
                       "at most D = %ld", D, D, ldexp(8.0, (int)(D < 1000 ? D : 1000)) / 1e9,
                  HL_FULL_DIM_MAX);
        return EXIT_USAGE;
    }
    double states = full ? ldexp(1.0, (int)D) : (double)(D / 2 + 1) * (double)(D / 2 + 1);
    if (K < 1 || (double)K > states) {
        cli_error(CMD, "--count %ld is not between 1 and the number of states (%.0f)", K,
                  states);
        return EXIT_USAGE;
    }
    if (vecfile && full && states > HL_DENSE_MAX) {
        cli_error(CMD, "--vectors with --full needs the dense method: at most %ld states, "
                       "not %.0f", HL_DENSE_MAX, states);
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    /* the output is made before the work, so an unwritable path fails first */
    if (vecfile && !cli_output_declare(CMD, "--vectors", vecfile, 0))
        return cli_outputs_status();
    hl_model *m = cli_model(CMD, phi, trans);
    if (!m)
        return EXIT_FAIL;
    /* the sparse shift-invert method (not the separable chains): the class
     * lattice and its CHOLMOD factor, estimated before any allocation */
    if (!full && states > HL_DENSE_MAX && states <= HL_SPARSE_MAX &&
        (vecfile || !hl_model_is_default(m) || !hl_model_transmission_is_default(m))) {
        char desc[96];
        snprintf(desc, sizeof desc, "the sparse eigensolver on the contracted classes of D = %ld",
                 D);
        if (!cli_memory_ok(CMD, CLI_MEM_FACTOR, 2, states, (int)K, desc,
                           "use a smaller --dim, or the paper's phi with B = 1 (separable "
                           "chains), or raise the limit if the machine has the memory")) {
            hl_model_free(m);
            return EXIT_USAGE;
        }
    }
    int st = HL_OK;
    int rc = EXIT_OK;
    double *rates = malloc(sizeof(double) * (size_t)K);
    double *lr = malloc(sizeof(double) * (size_t)K);
    double *re = malloc(sizeof(double) * (size_t)K);
    double *vec = vecfile ? malloc(sizeof(double) * (size_t)states * (size_t)K) : NULL;
    if (!rates || !lr || !re || (vecfile && !vec)) {
        cli_error(CMD, "out of memory");
        rc = EXIT_FAIL;
        goto done;
    }
    hl_spectrum_info info;
    st = hl_spectrum_ex(m, D, beta, kind, (int)K, rates, lr, re, vec, &info);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (vecfile) {
        vec_ctx vc = {D, (long)states, (int)K, kind, beta, vec, m};
        if (!cli_write_atomic(CMD, vecfile, write_vectors, &vc)) {
            rc = EXIT_FAIL;
            goto done;
        }
    }
    const char *method = method_name(info.method);
    if (json) {
        cli_json_model(stdout, CMD, m, D, beta);
        printf(", \"kind\": \"%s\", \"states\": %.0f, \"method\": \"%s\", \"resolution\": ",
               full ? "full" : "contracted", states, method);
        /* separable: no absolute floor, a relative bound per rate */
        hl_json_number(stdout, info.method == HL_SPECTRUM_SEPARABLE ? NAN : info.resolution);
        printf(", \"resolution_kind\": \"%s\", \"relative_error\": ",
               info.method == HL_SPECTRUM_SEPARABLE ? "relative" : "absolute");
        hl_json_number(stdout, info.rel_error);
        printf(", \"relative_errors\": [");
        for (long q = 0; q < K; q++) {
            printf(q ? ", " : "");
            hl_json_number(stdout, re[q]);
        }
        printf("], \"null_reason\": ");
        int any_null = 0, any_under = 0;
        for (long q = 1; q < K; q++) {
            any_null |= isnan(lr[q]);
            any_under |= !isnan(lr[q]) && !(rates[q] > 0);
        }
        if (any_null && info.null_reason)
            hl_json_string(stdout, info.null_reason);
        else if (any_null)
            hl_json_string(stdout, "not resolved");
        else
            printf("null");
        printf(", \"underflow_note\": ");
        if (any_under)
            hl_json_string(stdout, "rates below the range of a double are null in "
                                   "\"rates\"; \"ln_rates\" holds them");
        else
            printf("null");
        printf(", \"tunnelling_rate\": \"%s\"", info.method == HL_SPECTRUM_SEPARABLE
                                                    ? "exact (chains)"
                                                    : info.tunnelling_exact == 1
                                                          ? "exact (graph-transformation reduction)"
                                                    : info.tunnelling_exact == 2
                                                          ? "capacity between the basins"
                                                          : "eigensolver");
        printf(", \"rates\": [");
        for (long q = 0; q < K; q++) {
            printf(q ? ", " : "");
            hl_json_number(stdout, q == 0 || rates[q] > 0 ? rates[q] : NAN);
        }
        printf("], \"ln_rates\": [");
        for (long q = 0; q < K; q++) {
            printf(q ? ", " : "");
            hl_json_number(stdout, lr[q]);
        }
        printf("]");
        if (rates[0] == 0 && lr[0] == -INFINITY)
            printf(", \"ln_rates_note\": \"ln_rates[0] is null: rate 0 (equilibrium) is "
                   "exactly 0 and its log is -infinity\"");
        printf("}\n");
    } else {
        printf("D = %ld, beta = %s, %s, %s states, method %s\n", D, cli_num("%g", beta),
               full ? "full hypercube" : "contracted classes", cli_num("%.0f", states), method);
        printf("  %4s %24s %24s %10s\n", "k", "rate (units of B)", "ln rate", "rel. error");
        int any_null = 0;
        for (long q = 0; q < K; q++) {
            char rb[64], lb[64], eb[32];
            cli_format_rate(rates[q], lr[q], re[q], rb, lb, sizeof rb);
            if (q == 0)
                snprintf(eb, sizeof eb, "exact");
            else if (isnan(re[q]))
                snprintf(eb, sizeof eb, isnan(lr[q]) ? "-" : "estimate");
            else
                snprintf(eb, sizeof eb, "%.1e", re[q]);
            any_null |= isnan(lr[q]);
            printf("  %4ld %24s %24s %10s\n", q, rb, lb, eb);
        }
        if (info.tunnelling_exact == 1)
            printf("  (rate 1, the tunnelling rate, from the exact graph-transformation "
                   "reduction onto the two basins)\n");
        else if (info.tunnelling_exact == 2)
            printf("  (rate 1, the tunnelling rate, from the capacity between the two basins' "
                   "deepest classes: relative error ~ the weight of the barrier region)\n");
        if (info.method == HL_SPECTRUM_SEPARABLE)
            printf("  (relative errors: a bound from the chains' bidiagonal form; no "
                   "absolute floor)\n");
        else
            printf("  (absolute resolution of the %s method: %s)\n", method,
                   cli_num("%.3g", info.resolution));
        if (any_null)
            printf("  (not resolved: %s)\n", info.null_reason ? info.null_reason : "not resolved");
    }
done:
    free(rates);
    free(lr);
    free(re);
    free(vec);
    hl_model_free(m);
    return rc;
}
