/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_blocks.c -- 'exact --blocks' and 'spectrum --blocks': the exact sums
 * over the classes of k blocks (blocks_exact.h) and the slowest rates of
 * the class-lattice master equation through the chain engine (chain.h). */
#include <float.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks_cli.h"
#include "memlimit.h"
#include "cli.h"
#include "hyperland/blocks_exact.h"

int cli_blocks_requested(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            return 0;
        if (!strncmp(argv[i], "--block", 7))
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------- exact */

static void exact_help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland exact --blocks K --dim D (--beta B | --melting) [options]\n"
"       hyperland exact --block-sizes D1,...,DK (--beta B | --melting) [options]\n"
"\n"
"Exact sums over the prod (D_i + 1) classes n = (n_1 .. n_K) of K blocks:\n"
"Z = sum prod_i C(D_i, n_i) exp(-beta D phi(m)), m_i = 2 n_i / D_i - 1, in\n"
"log space (every class; those below 1e-300 of the largest term are left\n"
"out with a bound of their weight).  Reports ln Z / D, <m_i>, the covariance\n"
"of m, <phi>, <ln W> / D, the heat capacity beta^2 D Var(phi), the entropy\n"
"ln Z / D + beta <phi> (summed as (<ln W> + H(Q)) / D: no cancellation),\n"
"and the basins of the class lattice (steepest ascent\n"
"of ln Q_eq over the 2K moves n_i +- 1, ties in the order n_1 + 1, n_1 - 1,\n"
"n_2 + 1, ...), each with its probability and own ln Z_b / D, <phi>_b,\n"
"S_b / D and c_b.  Basins: for K = 2 equal blocks named as without --blocks\n"
"(liquid, crystal, ...; m1 = x + y, m2 = x - y, and the numbers are\n"
"today's); otherwise b1, b2, ... in order of increasing phi at the basin's\n"
"maximum, with the aliases crystal (b1) and liquid (the highest phi); a\n"
"basin may also be named by a point, m=v1,...,vK (the basin whose maximum\n"
"is nearest).  Basins tied in phi at their maxima (to 1e-12: a symmetric\n"
"phi) are numbered in the order of their class n, and an alias that would\n"
"pick one of them is refused (exit 1).  Neighbouring maxima of exactly\n"
"equal ln Q (a flat top) are one basin.\n"
"\n"
"options:\n"
CLI_BLOCKS_HELP
"  --dim D             dimension (with --blocks; K divides D)\n"
"  --beta B            inverse temperature (> 0)\n"
"  --melting           the finite-D melting point: the beta where the two\n"
"                      --basins are equally probable (Brent, 1e-12)\n"
"  --basins A,B        the two basins of --melting (default liquid,crystal)\n"
"  --beta-lo B, --beta-hi B\n"
"                      bracket for --melting (required unless K = 2 equal\n"
"                      blocks: then beta_m(D = inf) / 2 and * 2 as without\n"
"                      --blocks)\n"
"  --phi FORMULA       phi(m1, ..., mK) (and x, y for K = 2 equal blocks)\n"
"  --transmission F    B(m, T): parsed and checked, not used by equilibrium\n"
"  --distribution FILE Q of every class as CSV: class, n1..nK, m1..mK (K = 2\n"
"                      equal: n, n1, n2, m1, m2, x, y), ln_Q, Q, basin ('-':\n"
"                      stdout, the report then goes to stderr)\n"
"  --json              machine-readable summary on stdout (error_bounds: the\n"
"                      rounding-error bound of ln Z / D, each mean and\n"
"                      covariance, <phi>, <ln W> / D, the heat capacity and\n"
"                      the entropy, and per basin of its four; a mean,\n"
"                      covariance or <phi> below its bound is round-off of\n"
"                      0 and is printed 0 (text: 0); a\n"
"                      basin probability below the double range is null with\n"
"                      ln_probability, text P = e^LN)\n"
CLI_MAX_MEMORY_HELP
CLI_THREADS_HELP
"  --help              this text\n");
}

typedef struct {
    FILE *fp;
    int k, pair;
} bdist_ctx;

static int bdist_visit(void *vp, long idx, const long *n, const double *m, double ln_q,
                       const char *basin)
{
    bdist_ctx *c = vp;
    fprintf(c->fp, "%ld", idx);
    if (c->pair)
        fprintf(c->fp, ",%ld", n[0] + n[1]);
    for (int i = 0; i < c->k; i++)
        fprintf(c->fp, ",%ld", n[i]);
    for (int i = 0; i < c->k; i++)
        hl_csv_number(c->fp, ",%.12g", m[i]);
    if (c->pair) {
        hl_csv_number(c->fp, ",%.12g", 0.5 * (m[0] + m[1]));
        hl_csv_number(c->fp, ",%.12g", 0.5 * (m[0] - m[1]));
    }
    hl_csv_number(c->fp, ",%.15g", ln_q);
    hl_csv_number(c->fp, ",%.15g", exp(ln_q));
    fprintf(c->fp, ",%s\n", basin);
    return ferror(c->fp) ? 1 : 0;
}

#define NUM(key, v)                         \
    do {                                    \
        printf(", \"%s\": ", key);          \
        hl_json_number(stdout, v);          \
    } while (0)

void cli_blocks_json_vec(FILE *fp, const double *v, int k)
{
    fprintf(fp, "[");
    for (int i = 0; i < k; i++) {
        fprintf(fp, i ? ", " : "");
        hl_json_number(fp, v[i]);
    }
    fprintf(fp, "]");
}

void cli_blocks_json_class(FILE *fp, const hl_blocks *b, long idx)
{
    long n[HL_BLOCKS_MAX];
    double m[HL_BLOCKS_MAX];
    int k = hl_blocks_k(b);
    if (idx < 0 || hl_blocks_class(b, idx, n, m) != HL_OK) {
        fprintf(fp, "null");
        return;
    }
    fprintf(fp, "{\"class\": %ld, \"n\": [", idx);
    for (int i = 0; i < k; i++)
        fprintf(fp, "%s%ld", i ? ", " : "", n[i]);
    fprintf(fp, "], \"m\": ");
    cli_blocks_json_vec(fp, m, k);
    if (hl_blocks_is_paper_pair(b)) {
        fprintf(fp, ", \"x\": ");
        hl_json_number(fp, 0.5 * (m[0] + m[1]));
        fprintf(fp, ", \"y\": ");
        hl_json_number(fp, 0.5 * (m[0] - m[1]));
    }
    fprintf(fp, "}");
}

void cli_blocks_json_basins(FILE *fp, const hl_blocks_exact_result *r, int pair)
{
    fprintf(fp, "[");
    for (int q = 0; q < r->n_basins; q++) {
        const hl_blocks_basin *b = &r->basins[q];
        fprintf(fp, "%s{\"name\": ", q ? ", " : "");
        hl_json_string(fp, b->name);
        cli_json_probability(fp, "probability", b->probability, b->ln_probability);
        fprintf(fp, ", \"end_class\": %ld, \"m\": [", b->end);
        for (int i = 0; i < r->k; i++) {
            fprintf(fp, i ? ", " : "");
            hl_json_number(fp, b->m[i]);
        }
        fprintf(fp, "]");
        if (pair) {
            fprintf(fp, ", \"x\": ");
            hl_json_number(fp, 0.5 * (b->m[0] + b->m[1]));
            fprintf(fp, ", \"y\": ");
            hl_json_number(fp, 0.5 * (b->m[0] - b->m[1]));
        }
        fprintf(fp, ", \"phi_end\": ");
        hl_json_number(fp, b->phi_end);
        fprintf(fp, ", \"saddle_pocket\": %s", b->saddle_pocket ? "true" : "false");
        fprintf(fp, ", \"classes\": %ld, \"lnZ_per_dim\": ", b->classes);
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

static const char *mpos(const double *m, int k)
{
    static char buf[1024];
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < k && len < sizeof buf - 32; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.6g", i ? ", " : "", m[i]);
    return buf;
}

static void exact_print(const hl_blocks *b, const hl_blocks_exact_result *r, int json)
{
    int k = r->k, pair = hl_blocks_is_paper_pair(b);
    if (json) {
        cli_json_begin(stdout, "exact");
        cli_blocks_json(stdout, b);
        NUM("beta", r->beta);
        NUM("lnZ_per_dim", r->ln_z_per_dim);
        printf(", \"mean_m\": ");
        cli_blocks_json_vec(stdout, r->mean_m, k);
        printf(", \"cov_m\": [");
        for (int i = 0; i < k; i++) {
            printf(i ? ", " : "");
            cli_blocks_json_vec(stdout, r->cov + i * k, k);
        }
        printf("]");
        if (pair) {
            NUM("mean_x", r->mean_x);
            NUM("mean_y", r->mean_y);
            NUM("cov_xx", r->cov_xx);
            NUM("cov_xy", r->cov_xy);
            NUM("cov_yy", r->cov_yy);
        }
        /* the rounding-error bound of each; a value below it is printed 0 */
        printf(", \"error_bounds\": {\"mean_m\": ");
        cli_blocks_json_vec(stdout, r->mean_m_bound, k);
        printf(", \"cov_m\": [");
        for (int i = 0; i < k; i++) {
            printf(i ? ", " : "");
            cli_blocks_json_vec(stdout, r->cov_bound + i * k, k);
        }
        printf("]");
        if (pair) {
            NUM("mean_x", r->mean_x_bound);
            NUM("mean_y", r->mean_y_bound);
            NUM("cov_xx", r->cov_xx_bound);
            NUM("cov_xy", r->cov_xy_bound);
            NUM("cov_yy", r->cov_yy_bound);
        }
        NUM("lnZ_per_dim", r->ln_z_bound);
        NUM("mean_phi", r->mean_phi_bound);
        NUM("mean_w", r->mean_w_bound);
        NUM("heat_capacity_per_dim", r->heat_capacity_bound);
        NUM("entropy_per_dim", r->entropy_bound);
        printf("}");
        NUM("mean_phi", r->mean_phi);
        NUM("mean_w", r->mean_w);
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
        cli_blocks_json_basins(stdout, r, pair);
        printf(", \"classes\": %ld, \"classes_summed\": %ld", r->n_classes, r->classes_summed);
        NUM("neglected_weight_bound", r->neglected_bound);
        printf(", \"path\": \"blocks\"}\n");
        return;
    }
    printf("D = %ld in %d block%s (", r->dim, k, k == 1 ? "" : "s");
    for (int i = 0; i < k; i++)
        printf("%s%ld", i ? "," : "", hl_blocks_size(b, i));
    printf("), beta = %s (T* = %s), phi = %s\n", cli_num("%.10g", r->beta),
           cli_num("%.10g", 1 / r->beta), hl_blocks_phi_formula(b));
    printf("  ln Z / D               %s\n", cli_num("%.15g", r->ln_z_per_dim));
    for (int i = 0; i < k; i++)
        printf("  <m%d>%*s%s\n", i + 1, i + 1 < 10 ? 18 : 17, "", cli_num("%.12g", r->mean_m[i]));
    if (pair)
        printf("  <x>, <y>               %s, %s\n", cli_num("%.12g", r->mean_x),
               cli_num("%.12g", r->mean_y));
    printf("  <phi>, <ln W>/D        %s, %s\n", cli_num("%.12g", r->mean_phi),
           cli_num("%.12g", r->mean_w));
    printf("  cov(m)                ");
    for (int i = 0; i < k && i < 8; i++) {
        for (int j = 0; j < k && j < 8; j++)
            printf(" %s", cli_num("%.6e", r->cov[i * k + j]));
        printf(i + 1 < k && i < 7 ? "\n                        " : "\n");
    }
    if (k > 8)
        printf("  (clipped: cov(m) shows 8 of %d rows and columns; --json has all)\n", k);
    if (pair)
        printf("  cov xx, xy, yy         %s, %s, %s\n", cli_num("%.6e", r->cov_xx),
               cli_num("%.6e", r->cov_xy), cli_num("%.6e", r->cov_yy));
    printf("  heat capacity / D      %s\n", cli_num("%.12g", r->heat_capacity_per_dim));
    printf("  entropy / D            %s\n", cli_num("%.12g", r->entropy_per_dim));
    for (int q = 0; q < r->n_basins; q++) {
        const hl_blocks_basin *bb = &r->basins[q];
        printf("  basin %-8s P = %s (ln P = %s)", bb->name,
               cli_p_text(bb->probability, bb->ln_probability),
               cli_numx("%.12g", bb->ln_probability,
                        "n/a: no class in the basin, or all below 1e-300 of the largest"));
        if (bb->end >= 0)
            printf(", maximum at m = (%s), %ld classes%s", mpos(bb->m, k), bb->classes,
                   bb->saddle_pocket ? " (a pocket of the lattice at a saddle of f: no alias)"
                                     : "");
        printf("\n");
        if (bb->thermo_null_reason[0])
            printf("    own thermodynamics n/a: %s\n", bb->thermo_null_reason);
        else
            printf("    ln Z_b / D %s, <phi>_b %s, S_b / D %s, c_b %s\n",
                   cli_num("%.12g", bb->ln_z_per_dim), cli_num("%.12g", bb->mean_phi),
                   cli_num("%.12g", bb->entropy_per_dim),
                   cli_num("%.12g", bb->heat_capacity_per_dim));
    }
    if (r->neglected_bound > 0)
        printf("  %ld of %ld classes summed (blocks path); weight left out < %s relative\n",
               r->classes_summed, r->n_classes, cli_num("%.3g", r->neglected_bound));
    else
        printf("  %ld of %ld classes summed (blocks path); no weight left out\n",
               r->classes_summed, r->n_classes);
}

/* The infinite-D melting point of the pair's model (the default bracket). */
static double pair_beta_m_inf(const hl_blocks *b)
{
    const char *f = hl_blocks_phi_formula(b);
    hl_model *m = NULL;
    char *s = NULL;
    if (strcmp(f, "m1-(m2+0.2)^2+0.38*(m2+0.2)^3")) {
        size_t len = strlen(f), o = 0;
        s = malloc(5 * len + 1);
        if (!s)
            return NAN;
        for (size_t i = 0; i < len;) {
            if ((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= 'A' && f[i] <= 'Z') || f[i] == '_') {
                size_t j = i;
                while (j < len && ((f[j] >= 'a' && f[j] <= 'z') || (f[j] >= 'A' && f[j] <= 'Z') ||
                                   (f[j] >= '0' && f[j] <= '9') || f[j] == '_'))
                    j++;
                if (j - i == 2 && f[i] == 'm' && (f[i + 1] == '1' || f[i + 1] == '2')) {
                    memcpy(s + o, f[i + 1] == '1' ? "(x+y)" : "(x-y)", 5);
                    o += 5;
                } else {
                    memcpy(s + o, f + i, j - i);
                    o += j - i;
                }
                i = j;
            } else {
                s[o++] = f[i++];
            }
        }
        s[o] = 0;
    }
    double bm = NAN;
    if (hl_model_create(s, &m) == HL_OK) {
        hl_phases *p;
        if (hl_phases_compute(m, 0.05, 5.0, 400, &p) == HL_OK) {
            for (int q = 0; q < hl_phases_melting_count(p); q++) {
                hl_melting ml;
                hl_phases_melting(p, q, &ml);
                if (ml.global && isnan(bm))
                    bm = ml.beta;
            }
            hl_phases_free(p);
        }
    }
    hl_model_free(m);
    free(s);
    return bm;
}

int cmd_exact_blocks(int argc, char **argv)
{
    static const char *CMD = "exact";
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},     {"beta", required_argument, 0, 'b'},
        {"melting", no_argument, 0, 'm'},       {"beta-lo", required_argument, 0, 'l'},
        {"beta-hi", required_argument, 0, 'u'}, {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'}, {"basins", required_argument, 0, 'A'},
        {"distribution", required_argument, 0, 'd'}, {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION, CLI_BLOCKS_OPTIONS,
        CLI_MAX_MEMORY_OPTION, {0, 0, 0, 0}};
    const char *phi = NULL, *trans = NULL, *dist = NULL, *basins = NULL;
    long D = 0;
    double beta = 0, lo = 0, hi = 0;
    int have_beta = 0, melting = 0, json = 0, c;
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
        case 'm': melting = 1; break;
        case 'l': if (!cli_parse_beta(CMD, "--beta-lo", optarg, &lo)) return EXIT_USAGE; break;
        case 'u': if (!cli_parse_beta(CMD, "--beta-hi", optarg, &hi)) return EXIT_USAGE; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'A': basins = optarg; break;
        case 'd': dist = optarg; break;
        case 'j': json = 1; break;
        case 'h': exact_help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (melting == have_beta) {
        cli_error(CMD, "give exactly one of --beta B and --melting");
        return EXIT_USAGE;
    }
    if (!melting && (lo > 0 || hi > 0 || basins)) {
        cli_error(CMD, "--beta-lo, --beta-hi and --basins go with --melting");
        return EXIT_USAGE;
    }
    if (lo > 0 && hi > 0 && !(hi > lo)) {
        cli_error(CMD, "the bracket is empty: --beta-lo %g is not below --beta-hi %g", lo, hi);
        return EXIT_USAGE;
    }
    if (melting && dist) {
        cli_error(CMD, "--distribution needs --beta, not --melting");
        return EXIT_USAGE;
    }
    char ba[256] = "liquid", bb[256] = "crystal";
    if (basins) {
        const char *comma = strchr(basins, ',');
        /* a point m=... holds commas: split at ",m=" or at the one comma */
        const char *cut = strstr(basins, ",m=");
        if (!cut && comma && !strchr(comma + 1, ','))
            cut = comma;
        if (!cut || cut == basins || !cut[1] || (size_t)(cut - basins) >= sizeof ba ||
            strlen(cut + 1) >= sizeof bb) {
            cli_error(CMD, "--basins '%s': give two basins A,B", cli_clip(basins));
            return EXIT_USAGE;
        }
        memcpy(ba, basins, (size_t)(cut - basins));
        ba[cut - basins] = 0;
        snprintf(bb, sizeof bb, "%s", cut + 1);
        if (!cli_blocks_spec_ok(CMD, "--basins", ba, &bo) ||
            !cli_blocks_spec_ok(CMD, "--basins", bb, &bo))
            return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    if (dist && !cli_output_declare(CMD, "--distribution", dist, 0))
        return cli_outputs_status();
    hl_blocks *b = cli_blocks_model(CMD, &bo, D, phi, trans);
    if (!b)
        return cli_blocks_status();
    if (!cli_blocks_classes_ok(CMD, b, HL_BLOCKS_EXACT_MAX_CLASSES, "the exact sums over classes") ||
        !cli_blocks_memory_ok(CMD, b, CLI_MEM_LINEAR, 0, "the exact sums over classes")) {
        hl_blocks_free(b);
        return EXIT_USAGE;
    }
    int rc = EXIT_OK, st;
    hl_blocks_exact *ex = NULL;
    hl_blocks_exact_result r = {0};
    if ((st = hl_blocks_exact_create(b, &ex))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (melting) {
        double bm_inf = NAN;
        if (!(lo > 0 && hi > 0)) {
            if (hl_blocks_is_paper_pair(b))
                bm_inf = pair_beta_m_inf(b);
            if (isnan(bm_inf)) {
                cli_error(CMD, "--melting with --blocks needs --beta-lo and --beta-hi (a "
                               "default bracket exists for 2 equal blocks whose phi melts "
                               "for D -> infinity)");
                rc = EXIT_USAGE;
                goto done;
            }
            if (!(lo > 0))
                lo = bm_inf / 2;
            if (!(hi > 0))
                hi = bm_inf * 2;
            if (!(hi > lo)) {
                cli_error(CMD, "the bracket [%g, %g] is empty; give both ends", lo, hi);
                rc = EXIT_USAGE;
                goto done;
            }
        }
        double bm;
        if ((st = hl_blocks_exact_melting(ex, ba, bb, lo, hi, &bm)) ||
            (st = hl_blocks_exact_compute(ex, bm, NULL, &r))) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        if (json) {
            cli_json_begin(stdout, "exact");
            cli_blocks_json(stdout, b);
            printf(", \"basins_compared\": [");
            hl_json_string(stdout, ba);
            printf(", ");
            hl_json_string(stdout, bb);
            printf("]");
            NUM("beta_m", bm);
            NUM("T_m", 1 / bm);
            NUM("beta_m_infinite_dim", bm_inf);
            NUM("lnZ_per_dim", r.ln_z_per_dim);
            printf(", \"basins\": ");
            cli_blocks_json_basins(stdout, &r, hl_blocks_is_paper_pair(b));
            printf("}\n");
        } else {
            printf("D = %ld in %d block%s: finite-D melting point (%s = %s) beta_m = %s "
                   "(T_m = %s)\n",
                   hl_blocks_dim(b), hl_blocks_k(b), hl_blocks_k(b) == 1 ? "" : "s", ba, bb,
                   cli_num("%.12f", bm),
                   cli_num("%.10f", 1 / bm));
            if (!isnan(bm_inf))
                printf("  infinite-D beta_m = %s, difference %s\n", cli_num("%.12f", bm_inf),
                       cli_num("%.3e", bm - bm_inf));
            for (int q = 0; q < r.n_basins; q++)
                printf("  basin %-8s P = %s, maximum at m = (%s)\n", r.basins[q].name,
                       cli_p_text(r.basins[q].probability, r.basins[q].ln_probability),
                       mpos(r.basins[q].m, r.k));
        }
        goto done;
    }
    if ((st = hl_blocks_exact_compute(ex, beta, NULL, &r))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (dist) {
        bdist_ctx dc = {cli_output_stream(CMD, dist), hl_blocks_k(b), hl_blocks_is_paper_pair(b)};
        if (!dc.fp) {
            rc = EXIT_FAIL;
            goto done;
        }
        char params[512];
        snprintf(params, sizeof params,
                 "D = %ld; beta = %.17g; classes with Q above 1e-300 of the largest; ln_Q is "
                 "the natural log of the normalised probability",
                 hl_blocks_dim(b), beta);
        cli_csv_preamble(dc.fp, params);
        cli_blocks_csv_comment(dc.fp, b);
        fprintf(dc.fp, "class");
        if (dc.pair)
            fprintf(dc.fp, ",n");
        for (int i = 0; i < dc.k; i++)
            fprintf(dc.fp, ",n%d", i + 1);
        for (int i = 0; i < dc.k; i++)
            fprintf(dc.fp, ",m%d", i + 1);
        fprintf(dc.fp, "%s,ln_Q,Q,basin\n", dc.pair ? ",x,y" : "");
        if ((st = hl_blocks_exact_distribution(ex, beta, bdist_visit, &dc))) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
    }
    exact_print(b, &r, json);
done:
    hl_blocks_exact_result_free(&r);
    hl_blocks_exact_free(ex);
    hl_blocks_free(b);
    return rc;
}
