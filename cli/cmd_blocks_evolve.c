/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_blocks_evolve.c -- 'evolve --blocks' and 'kmc --blocks': the class
 * distribution of k blocks in time by the chain engine's integrators
 * (hl_blocks_evolve) and stochastic trajectories on the class lattice by
 * the kmc machinery on a public chain (hl_kmc_create_chain). */
#include <getopt.h>
#include <inttypes.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blocks_cli.h"
#include "memlimit.h"
#include "cli.h"
#include "hyperland/blocks_kinetics.h"
#include "hyperland/kmc.h"
#include "kmc_cli.h"

/* ------------------------------------------------------------ evolve */

static void evolve_help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland evolve --blocks K --dim D (--beta B | --protocol FILE)\n"
"                        --from SPEC --times t1,t2,... [options]\n"
"\n"
"Time evolution of the class probabilities Q(n, t) of K blocks under the\n"
"master equation on the class lattice (rates of eq 5.2; time in units of\n"
"1/B) by the chain engine (hl_chain_evolve_protocol: a Krylov exponential\n"
"at a fixed beta, CVODE BDF while the protocol's beta changes; a B that\n"
"depends on T is rebuilt at every beta the integrator visits).  Reports at\n"
"each time: beta, <m_i> (and <x>, <y> for K = 2 equal blocks), <phi>,\n"
"<w> = <ln W>/D, the free energy per dimension <phi> + (T/D) sum Q ln(Q/W),\n"
"|sum Q - 1|, the smallest Q, and the basin populations (basins of the\n"
"current beta, as 'exact --blocks'; the text table shows at most 6 basins\n"
"and 6 blocks and says when it clipped; JSON basins_listed, basins_clipped).\n"
"Output time 0 gives the start distribution exactly (1e-300 to round-off,\n"
"within its error estimate).  Two equal blocks with the paper's phi and\n"
"B = 1 from a product start (liquid, crystal, basin:NAME,\n"
"infinite-temperature, equilibrium:BETA) need no lattice: phi = m1 + g(m2)\n"
"is separable and Q is the product of the two blocks' chains, the 2-D\n"
"model's product path (method product-chains, any D, O(D) memory; a\n"
"formula for phi takes the lattice).\n"
"\n");
    fprintf(fp,
"options:\n"
CLI_BLOCKS_HELP
"  --dim D              dimension (with --blocks)\n"
"  --beta B             fixed inverse temperature (> 0)\n"
"  --protocol FILE      T(t) or beta(t) as without --blocks\n"
"  --from SPEC          a basin at the initial beta (liquid, crystal, b1, ...,\n"
"                       basin:NAME or m=v1,...,vK: the class at its maximum\n"
"                       of ln Q_eq; an alias tied with other basins: exit 1),\n"
"                       class:INDEX, infinite-temperature (Q = W / 2^D),\n"
"                       equilibrium:BETA, or a CSV FILE with a column class\n"
"                       (or n1..nK) and Q or ln_Q, as 'exact --blocks\n"
"                       --distribution' writes it (m1..mK checked when\n"
"                       present; normalised to 1)\n"
"  --times t1,t2,...    output times, >= 0 and strictly increasing (required)\n"
"  --phi FORMULA        phi(m1, ..., mK)\n"
"  --transmission F     B(m1, ..., mK, T) (default 1)\n"
"  --rtol R             relative tolerance (default 1e-10)\n"
"  --output FILE        the table as CSV: t, beta, T, mean_m1..mean_mK (K = 2\n"
"                       equal: mean_x, mean_y too), mean_phi, mean_w,\n"
"                       free_energy, sum_error, min_q, one column per basin,\n"
"                       then <basin>_error: the population's estimated error\n"
"                       (a second integration by CVODE at 10 rtol, plus rtol\n"
"                       relative); a population below 10 times it is empty\n"
"                       (digits lost; text '<bound', JSON null with\n"
"                       probability_bound); then mean_m1_error ..\n"
"                       mean_mK_error, (mean_x_error, mean_y_error,)\n"
"                       mean_phi_error: the means' estimated errors (JSON\n"
"                       mean_m_error, mean_phi_error, ...)\n"
"                       ('-': stdout, the report then goes to stderr)\n"
CLI_MAX_MEMORY_HELP
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n");
}

/* p0 from a start specification at beta0: EXIT_OK, or the exit code after
 * a one-line error (an alias that ties: EXIT_FAIL; else EXIT_USAGE). */
static int blocks_start(const char *CMD, const hl_blocks *b, const char *from, double beta0,
                        double *p0, long *start_class)
{
    long N = hl_blocks_n_classes(b);
    double D = (double)hl_blocks_dim(b);
    long n[HL_BLOCKS_MAX];
    double m[HL_BLOCKS_MAX];
    *start_class = -1;
    if (!strcmp(from, "infinite-temperature") || !strncmp(from, "equilibrium:", 12)) {
        double bq = 0;
        if (from[0] == 'e' && !cli_parse_beta(CMD, "--from equilibrium:", from + 12, &bq))
            return EXIT_USAGE;
        double mx = -INFINITY;
        for (long i = 0; i < N; i++) {
            hl_blocks_class(b, i, n, m);
            p0[i] = hl_blocks_ln_count(b, n) - (bq > 0 ? bq * D * hl_blocks_phi(b, m) : 0.0);
            mx = fmax(mx, p0[i]);
        }
        long double s = 0;
        for (long i = 0; i < N; i++)
            s += (p0[i] = exp(p0[i] - mx));
        for (long i = 0; i < N; i++)
            p0[i] /= (double)s;
        return EXIT_OK;
    }
    long idx = -1;
    if (!strncmp(from, "class:", 6)) {
        if (!cli_parse_long(CMD, "--from class:", from + 6, &idx))
            return EXIT_USAGE;
        if (idx < 0 || idx >= N) {
            cli_error(CMD, "--from class:%ld: not a class (0 .. %ld)", idx, N - 1);
            return EXIT_USAGE;
        }
    } else {
        int prefixed = !strncmp(from, "basin:", 6);
        const char *name = prefixed ? from + 6 : from;
        hl_blocks_exact *ex = NULL;
        hl_blocks_exact_result r = {0};
        int st = hl_blocks_exact_create(b, &ex);
        if (!st)
            st = hl_blocks_exact_compute(ex, beta0, NULL, &r);
        if (st) {
            hl_blocks_exact_free(ex);
            return cli_lib_error(CMD, st);
        }
        int q = -1;
        st = hl_blocks_basin_lookup(&r, name, &q);
        int rc = EXIT_OK;
        if (q == -2) {
            rc = cli_lib_error(CMD, st); /* an alias that ties: the model's refusal */
        } else if (q >= 0) {
            idx = r.basins[q].end;
        } else if (!prefixed && strncmp(from, "m=", 2) && access(from, R_OK) == 0) {
            /* not a basin: a file of Q over the classes */
            rc = cli_blocks_class_file(CMD, b, from,
                                       "a basin at the initial beta, class:INDEX, "
                                       "infinite-temperature, equilibrium:BETA",
                                       p0)
                     ? EXIT_OK
                     : EXIT_USAGE;
            hl_blocks_exact_result_free(&r);
            hl_blocks_exact_free(ex);
            return rc;
        } else {
            /* a branch of f whose basin holds no class of this lattice */
            for (int j = 0; j < r.n_basins; j++)
                if (!strcmp(r.basins[j].name, name) && r.basins[j].end < 0) {
                    cli_error(CMD, "--from '%s': the basin of %s holds no class at D = %ld "
                                   "(its maximum of f is not one of the lattice's)",
                              cli_clip(from), r.basins[j].name, hl_blocks_dim(b));
                    hl_blocks_exact_result_free(&r);
                    hl_blocks_exact_free(ex);
                    return EXIT_USAGE;
                }
            /* the first names (basins with classes), then how many more */
            char names[160] = "";
            int shown = 0, listed = 0;
            for (int j = 0; j < r.n_basins; j++) {
                if (r.basins[j].end < 0)
                    continue;
                listed++;
                size_t len = strlen(names);
                if (shown == 4 || len + strlen(r.basins[j].name) + 3 >= sizeof names)
                    continue;
                snprintf(names + len, sizeof names - len, "%s%s", shown ? ", " : "",
                         r.basins[j].name);
                shown++;
            }
            char more[40] = "";
            if (listed > shown)
                snprintf(more, sizeof more, " and %d more", listed - shown);
            cli_error(CMD, "--from '%s': no such basin at beta = %g (basins: %s%s; or "
                           "class:INDEX, infinite-temperature, equilibrium:BETA, a CSV FILE)",
                      cli_clip(from), beta0, shown ? names : "none", more);
            rc = EXIT_USAGE;
        }
        hl_blocks_exact_result_free(&r);
        hl_blocks_exact_free(ex);
        if (rc)
            return rc;
    }
    for (long i = 0; i < N; i++)
        p0[i] = 0;
    p0[idx] = 1;
    *start_class = idx;
    return EXIT_OK;
}

#define EVB_MAX_NAMES 64

typedef struct {
    double t, beta, mphi, mw, fe, serr, minq, mx, my;
    double mm[HL_BLOCKS_MAX];
    double pop[EVB_MAX_NAMES]; /* 0: not a basin at this beta */
    double perr[EVB_MAX_NAMES]; /* its estimated error (evolve.h)          */
    double merr[HL_BLOCKS_MAX], mxerr, myerr, mphierr; /* the means' errors */
} evb_point;

typedef struct {
    const hl_blocks *b;
    const evb_point *pt;
    size_t n;
    char names[EVB_MAX_NAMES][16];
    int nn;
    const char *method, *from, *proto;
    double rtol, beta;
    long start;
    int dropped; /* basins beyond EVB_MAX_NAMES names (the most at one time) */
} evb_out;

static int evb_csv(FILE *fp, void *vp)
{
    const evb_out *o = vp;
    char params[768];
    snprintf(params, sizeof params,
             "D = %ld; %s%s; from = %s; method = %s; rtol = %.3g; populations of the basins "
             "of beta(t) (0: not a basin then; more than two blocks: b1, b2, ... numbered by "
             "increasing phi at their maxima at each beta); %s",
             hl_blocks_dim(o->b), o->proto ? "protocol = " : "beta = ",
             o->proto ? o->proto : cli_num("%.17g", o->beta), o->from, o->method, o->rtol,
             CLI_POPULATION_NOTE);
    cli_csv_preamble(fp, params);
    cli_blocks_csv_comment(fp, o->b);
    cli_blocks_traj_header(fp, o->b, (const char(*)[16])o->names, o->nn, 1);
    for (size_t j = 0; j < o->n; j++) {
        const evb_point *p = &o->pt[j];
        cli_blocks_traj_point r = {p->t,    p->beta,  p->mm,    p->mx,     p->my,
                                   p->mphi, p->mw,    p->fe,    p->serr,   p->minq,
                                   p->merr, p->mxerr, p->myerr, p->mphierr};
        cli_blocks_traj_row(fp, o->b, &r, p->pop, p->perr, o->nn);
    }
    return ferror(fp) ? -1 : 0;
}

/* The checks evolve --blocks and kmc --blocks share after parsing: no
 * extra arguments, --from and --times given, one of --beta / --protocol,
 * stdout claimed for --json.  0 after the one-line error. */
static int run_args_ok(const char *CMD, int argc, char **argv, const char *from,
                       const char *times_s, int have_beta, const char *proto_path, int json)
{
    if (!cli_no_extra_args(CMD, argc, argv))
        return 0;
    if (!from || !times_s) {
        cli_error(CMD, "--from SPEC and --times t1,t2,... are required (see --help)");
        return 0;
    }
    if (have_beta == (proto_path != NULL)) {
        cli_error(CMD, "give exactly one of --beta B and --protocol FILE");
        return 0;
    }
    return !json || cli_stdout_claim(CMD, "--json");
}

/* Two equal blocks with the paper's phi and B = 1 from a product start
 * (liquid, crystal, basin:NAME, infinite-temperature, equilibrium:BETA):
 * phi = m1 + g(m2) is separable, so Q(n1, n2, t) is the product of the two
 * blocks' birth-death chains, the 2-D model's product path (hl_evolve,
 * HL_EVOLVE_PRODUCT; the same chain, m1 = x + y, m2 = x - y): any D in
 * O(D) memory.  pts[nt] and o's basin names filled, *start the start
 * class (a basin) or -1.  EXIT_OK or the exit status after a one-line
 * error. */
static int evolve_pair_product(const char *CMD, const hl_blocks *b, const hl_protocol *proto,
                               int kind, const char *basin_name, double beta_eq,
                               const double *times, size_t nt, double rtol, evb_point *pts,
                               evb_out *o, long *start)
{
    hl_model *m2 = cli_model(CMD, NULL, NULL);
    hl_evolve_point *ep = calloc(nt, sizeof *ep);
    if (!m2 || !ep) {
        if (m2)
            cli_error(CMD, "out of memory");
        hl_model_free(m2);
        free(ep);
        return EXIT_FAIL;
    }
    hl_evolve_start es;
    memset(&es, 0, sizeof es);
    es.kind = kind;
    es.basin = basin_name;
    es.beta = beta_eq;
    hl_evolve_info info;
    int st = hl_evolve(m2, hl_blocks_dim(b), proto, &es, times, nt, HL_EVOLVE_PRODUCT, rtol, ep,
                       NULL, &info);
    hl_model_free(m2);
    if (st) {
        free(ep);
        int rc = cli_lib_error(CMD, st);
        return st == HL_ENOTFOUND ? EXIT_USAGE : rc; /* as the lattice's blocks_start */
    }
    *start = kind == HL_START_BASIN
                 ? info.start_n1 * (hl_blocks_size(b, 1) + 1) + (info.start_n - info.start_n1)
                 : -1;
    for (size_t j = 0; j < nt; j++) {
        evb_point *p = &pts[j];
        const hl_evolve_point *e = &ep[j];
        p->t = e->t;
        p->beta = e->beta;
        p->mx = e->mean_x;
        p->my = e->mean_y;
        p->mm[0] = e->mean_x + e->mean_y;
        p->mm[1] = e->mean_x - e->mean_y;
        p->mphi = e->mean_phi;
        p->mxerr = e->mean_x_error;
        p->myerr = e->mean_y_error;
        p->merr[0] = p->merr[1] = e->mean_x_error + e->mean_y_error;
        p->mphierr = e->mean_phi_error;
        p->mw = e->mean_w;
        p->fe = e->free_energy;
        p->serr = e->sum_error;
        p->minq = e->min_q;
        for (int a = 0; a < e->n_basins; a++) {
            int slot = -1;
            for (int z = 0; z < o->nn; z++)
                if (!strcmp(o->names[z], e->basins[a].name))
                    slot = z;
            if (slot < 0 && o->nn < EVB_MAX_NAMES) {
                slot = o->nn++;
                snprintf(o->names[slot], sizeof o->names[slot], "%s", e->basins[a].name);
            }
            if (slot >= 0) {
                p->pop[slot] = e->basins[a].probability;
                p->perr[slot] = e->population_error[a];
            }
        }
    }
    free(ep);
    return EXIT_OK;
}

int cmd_evolve_blocks(int argc, char **argv)
{
    static const char *CMD = "evolve";
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},      {"beta", required_argument, 0, 'b'},
        {"protocol", required_argument, 0, 'P'}, {"from", required_argument, 0, 'f'},
        {"times", required_argument, 0, 't'},    {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'}, {"rtol", required_argument, 0, 'r'},
        {"output", required_argument, 0, 'o'},   {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION, CLI_BLOCKS_OPTIONS,
        CLI_MAX_MEMORY_OPTION, {0, 0, 0, 0}};
    const char *proto_path = NULL, *from = NULL, *times_s = NULL, *phi = NULL, *trans = NULL;
    const char *output = NULL;
    long D = 0;
    double beta = 0, rtol = 1e-10;
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
        case 'P': proto_path = optarg; break;
        case 'f': from = optarg; break;
        case 't': times_s = optarg; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'r': if (!cli_parse_rtol(CMD, optarg, &rtol)) return EXIT_USAGE; break;
        case 'o': output = optarg; break;
        case 'j': json = 1; break;
        case 'h': evolve_help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!run_args_ok(CMD, argc, argv, from, times_s, have_beta, proto_path, json))
        return EXIT_USAGE;
    if ((output && !cli_output_declare(CMD, "--output", output, 0)) ||
        (proto_path && !cli_input_declare(CMD, "--protocol", proto_path)))
        return cli_outputs_status();
    double *times = NULL, *p0 = NULL, *pout = NULL, *phiv = NULL, *lnw = NULL;
    double *pchk = NULL, *floor_chk = NULL;
    int *basin = NULL;
    size_t nt = 0;
    hl_protocol *proto = NULL;
    hl_blocks *b = NULL;
    hl_blocks_exact *ex = NULL;
    evb_point *pts = NULL;
    int rc = EXIT_FAIL, st;
    if (!cli_parse_times(CMD, times_s, &times, &nt))
        return EXIT_USAGE;
    if (proto_path) {
        if (!cli_read_protocol(CMD, proto_path, &proto)) {
            rc = EXIT_USAGE;
            goto done;
        }
    } else if ((st = hl_protocol_create_fixed(beta, &proto))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (!cli_blocks_spec_ok(CMD, "--from", from, &bo)) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!(b = cli_blocks_model(CMD, &bo, D, phi, trans))) {
        rc = cli_blocks_status();
        goto done;
    }
    int k = hl_blocks_k(b), pair = hl_blocks_is_paper_pair(b);
    evb_out o;
    memset(&o, 0, sizeof o);
    long start = -1;
    hl_chain_result res = {"none", NAN};
    /* two equal blocks with the paper's phi and B = 1 from a product start:
     * the product of the blocks' chains (evolve_pair_product), any D;
     * else the chain engine on the whole lattice, refused up front when
     * its estimated memory is above the limit */
    int skind = 0, named = 0;
    const char *sbasin = NULL;
    double sbeta = 0;
    if (cli_blocks_paper_separable(b, phi, trans) &&
        (named = cli_parse_named_start(CMD, from, &skind, &sbasin, &sbeta)) < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (named) {
        if (!(pts = calloc(nt, sizeof *pts))) {
            cli_error(CMD, "out of memory");
            goto done;
        }
        if ((rc = evolve_pair_product(CMD, b, proto, skind, sbasin, sbeta, times, nt, rtol, pts,
                                      &o, &start)) != EXIT_OK)
            goto done;
        rc = EXIT_FAIL;
        res.method = "product-chains";
        res.resolution = NAN;
        goto report;
    }
    if (!cli_blocks_classes_ok(CMD, b, HL_BLOCKS_EXACT_MAX_CLASSES, "the exact sums over classes") ||
        !cli_blocks_memory_ok(CMD, b, CLI_MEM_FACTOR, 4, "the class master equation")) {
        rc = EXIT_USAGE;
        goto done;
    }
    long N = hl_blocks_n_classes(b);
    if (2.0 * (double)N * (double)nt > 2e9) {
        cli_error(CMD, "%ld classes x %zu times (twice: the check evolution) is above the "
                       "limit of 2e9 probabilities kept (fewer --times)",
                  N, nt);
        rc = EXIT_USAGE;
        goto done;
    }
    p0 = malloc(sizeof(double) * (size_t)N);
    pout = malloc(sizeof(double) * (size_t)N * nt);
    pchk = malloc(sizeof(double) * (size_t)N * nt);
    floor_chk = malloc(sizeof(double) * nt * 2);
    double *rel_chk = floor_chk ? floor_chk + nt : NULL; /* relative floor */
    phiv = malloc(sizeof(double) * (size_t)N);
    lnw = malloc(sizeof(double) * (size_t)N);
    basin = malloc(sizeof(int) * (size_t)N);
    pts = calloc(nt, sizeof *pts);
    if (!p0 || !pout || !pchk || !floor_chk || !phiv || !lnw || !basin || !pts) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    double beta0 = hl_protocol_beta(proto, 0.0);
    if ((rc = blocks_start(CMD, b, from, beta0, p0, &start)) != EXIT_OK)
        goto done;
    rc = EXIT_FAIL;
    if ((st = hl_blocks_evolve(b, proto, p0, times, nt, rtol, pout, &res)) == HL_OK) {
        /* the check evolution; one that cannot be integrated (CVODE where
         * the run used the Krylov exponential or the relaxation, e.g. to t
         * = 1e300) runs again without its last times
         * and the times it does not reach get the documented absolute
         * accuracy 10 rtol (hl_check_retry_times): with all of them at
         * rtol / 10 a late time took the earlier points' estimates down
         * with it (2e-12 off for an estimate of 1.9e-13) */
        size_t nc = nt;
        for (int tries = 0;
             nc > 0 && hl_blocks_evolve_check(b, proto, p0, times, nc, rtol, pchk, floor_chk,
                                              rel_chk, NULL) != HL_OK;
             tries++)
            nc = hl_check_retry_times(times, nc, tries);
        cli_check_unreached(times, nc, nt, rtol, pout, pchk, (size_t)N, floor_chk, rel_chk);
    }
    if (st ||
        (st = hl_blocks_exact_create(b, &ex))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    double Dd = (double)hl_blocks_dim(b);
    long nn[HL_BLOCKS_MAX];
    double m[HL_BLOCKS_MAX];
    double phir = 0; /* max |phi|: the scale of <phi>'s error */
    for (long i = 0; i < N; i++) {
        hl_blocks_class(b, i, nn, m);
        phiv[i] = hl_blocks_phi(b, m);
        lnw[i] = hl_blocks_ln_count(b, nn);
        phir = fmax(phir, fabs(phiv[i]));
    }
    for (size_t j = 0; j < nt; j++) {
        evb_point *p = &pts[j];
        const double *q = pout + j * (size_t)N, *qc = pchk + j * (size_t)N;
        p->t = times[j];
        p->beta = hl_protocol_beta(proto, times[j]);
        hl_blocks_exact_result r;
        if ((st = hl_blocks_exact_compute(ex, p->beta, basin, &r))) {
            rc = cli_lib_error(CMD, st);
            goto done;
        }
        long double s0 = 0, sp = 0, sw = 0, sent = 0, sm[HL_BLOCKS_MAX] = {0};
        long double spc = 0, smc[HL_BLOCKS_MAX] = {0}; /* the check's */
        long double bp[HL_BLOCKS_MAX_BASINS + 2] = {0}, bc[HL_BLOCKS_MAX_BASINS + 2] = {0};
        double minq = INFINITY;
        for (long i = 0; i < N; i++) {
            double v = q[i];
            bc[basin[i]] += qc[i];
            minq = fmin(minq, v);
            s0 += v;
            if (v == 0 && qc[i] == 0)
                continue;
            hl_blocks_class(b, i, NULL, m);
            spc += qc[i] * phiv[i];
            for (int a = 0; a < k; a++)
                smc[a] += qc[i] * m[a];
            if (v == 0)
                continue;
            sp += v * phiv[i];
            sw += v * lnw[i];
            if (v > 0)
                sent += v * (log(v) - lnw[i]);
            for (int a = 0; a < k; a++)
                sm[a] += v * m[a];
            bp[basin[i]] += v;
        }
        p->mphi = (double)sp;
        p->mw = (double)sw / Dd;
        p->fe = (double)sp + (double)sent / (p->beta * Dd);
        p->serr = fabs((double)s0 - 1.0);
        p->minq = minq;
        for (int a = 0; a < k; a++)
            p->mm[a] = (double)sm[a];
        p->mx = pair ? 0.5 * (p->mm[0] + p->mm[1]) : NAN;
        p->my = pair ? 0.5 * (p->mm[0] - p->mm[1]) : NAN;
        /* the means' estimated errors (evolve.h): the difference from the
         * check, and the shared floor and (rtol + 100 eps) on the scale of
         * the quantity's range (|m_i| <= 1, max |phi|) */
        double f = floor_chk[j] + rel_chk[j] + 100 * DBL_EPSILON;
        for (int a = 0; a < k; a++)
            p->merr[a] = fabs((double)(sm[a] - smc[a])) + f;
        p->mxerr = pair ? 0.5 * (p->merr[0] + p->merr[1]) : NAN;
        p->myerr = p->mxerr;
        p->mphierr = fabs((double)(sp - spc)) + f * phir;
        for (int a = 0; a < EVB_MAX_NAMES; a++)
            p->pop[a] = 0; /* a basin that does not exist now holds nothing */
        int dropped = 0;
        for (int a = 0; a < r.n_basins; a++) {
            int slot = -1;
            for (int z = 0; z < o.nn; z++)
                if (!strcmp(o.names[z], r.basins[a].name))
                    slot = z;
            if (slot < 0 && o.nn < EVB_MAX_NAMES) {
                slot = o.nn++;
                snprintf(o.names[slot], sizeof o.names[slot], "%s", r.basins[a].name);
            }
            if (slot >= 0) { /* round-off of the integrator (sum_error, min_q show it)
                                is not a probability outside [0, 1] */
                p->pop[slot] = fmin(1.0, fmax(0.0, (double)bp[a]));
                /* the estimated error (evolve.h) */
                p->perr[slot] = hl_population_error((double)bp[a], (double)bc[a], times[j],
                                                    floor_chk[j], rel_chk[j]);
            } else
                dropped += r.basins[a].end >= 0;
        }
        if (dropped > o.dropped)
            o.dropped = dropped;
        hl_blocks_exact_result_free(&r);
    }
report:
    o.b = b;
    o.pt = pts;
    o.n = nt;
    o.method = res.method;
    o.from = from;
    o.proto = proto_path;
    o.rtol = rtol;
    o.beta = beta;
    o.start = start;
    if (output && !cli_write_atomic(CMD, output, evb_csv, &o))
        goto done;
    if (json) {
        cli_json_begin(stdout, CMD);
        cli_blocks_json(stdout, b);
        printf(", \"from\": ");
        hl_json_string(stdout, from);
        printf(", \"start\": ");
        cli_blocks_json_class(stdout, b, start);
        printf(", \"basins_listed\": %d, \"basins_clipped\": %d, \"method\": ", o.nn,
               o.dropped);
        hl_json_string(stdout, res.method);
        printf(", \"rtol\": ");
        hl_json_number(stdout, rtol);
        printf(", \"points\": [");
        for (size_t j = 0; j < nt; j++) {
            const evb_point *p = &pts[j];
            printf("%s{\"t\": ", j ? ", " : "");
            hl_json_number(stdout, p->t);
            printf(", \"beta\": ");
            hl_json_number(stdout, p->beta);
            printf(", \"mean_m\": ");
            cli_blocks_json_vec(stdout, p->mm, k);
            if (pair) {
                printf(", \"mean_x\": ");
                hl_json_number(stdout, p->mx);
                printf(", \"mean_y\": ");
                hl_json_number(stdout, p->my);
            }
            printf(", \"mean_phi\": ");
            hl_json_number(stdout, p->mphi);
            printf(", \"mean_m_error\": ");
            cli_blocks_json_vec(stdout, p->merr, k);
            if (pair) {
                printf(", \"mean_x_error\": ");
                hl_json_number(stdout, p->mxerr);
                printf(", \"mean_y_error\": ");
                hl_json_number(stdout, p->myerr);
            }
            printf(", \"mean_phi_error\": ");
            hl_json_number(stdout, p->mphierr);
            printf(", \"mean_w\": ");
            hl_json_number(stdout, p->mw);
            printf(", \"free_energy\": ");
            hl_json_number(stdout, p->fe);
            printf(", \"sum_error\": ");
            hl_json_number(stdout, p->serr);
            printf(", \"min_q\": ");
            hl_json_number(stdout, p->minq);
            printf(", \"basins\": [");
            for (int q = 0; q < o.nn; q++) {
                printf("%s{\"name\": ", q ? ", " : "");
                hl_json_string(stdout, o.names[q]);
                printf(", ");
                cli_population_json(stdout, p->pop[q], p->perr[q]);
                printf("}");
            }
            printf("]}");
        }
        printf("]}\n");
    } else {
        printf("D = %ld in %d block%s, from %s, method %s (rtol %g)\n", hl_blocks_dim(b), k,
               k == 1 ? "" : "s", from, res.method, rtol);
        printf("  %12s %10s", "t", "beta");
        for (int i = 0; i < k && i < 6; i++) {
            char lab[16];
            snprintf(lab, sizeof lab, "<m%d>", i + 1);
            printf(" %12s", lab);
        }
        printf(" %12s", "<phi>");
        for (int q = 0; q < o.nn && q < 6; q++)
            printf(" %12s", o.names[q]);
        printf("\n");
        for (size_t j = 0; j < nt; j++) {
            const evb_point *p = &pts[j];
            printf("  %s %s", cli_num("%12.6g", p->t), cli_num("%10.6g", p->beta));
            for (int i = 0; i < k && i < 6; i++)
                printf(" %s", cli_num("%12.6g", p->mm[i]));
            printf(" %s", cli_num("%12.8g", p->mphi));
            for (int q = 0; q < o.nn && q < 6; q++)
                printf(" %s", cli_population_text("%12.6g", p->pop[q], p->perr[q]));
            printf("\n");
        }
        if (k > 6 || o.nn > 6)
            printf("  (clipped: the table shows %d of %d <m_i> and %d of %d basins; --json and "
                   "--output have all)\n",
                   k < 6 ? k : 6, k, o.nn < 6 ? o.nn : 6, o.nn);
        if (o.dropped)
            printf("  (clipped: %d more basins at some time are beyond the %d listed, in no "
                   "output)\n",
                   o.dropped, EVB_MAX_NAMES);
    }
    rc = EXIT_OK;
done:
    hl_blocks_exact_free(ex);
    hl_blocks_free(b);
    hl_protocol_free(proto);
    free(times);
    free(p0);
    free(pout);
    free(pchk);
    free(floor_chk);
    free(phiv);
    free(lnw);
    free(basin);
    free(pts);
    return rc;
}

/* --------------------------------------------------------------- kmc */

static void kmc_help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland kmc --blocks K --dim D (--beta B | --protocol FILE) --from SPEC\n"
"                     --times t1,t2,... [options]\n"
"\n"
"Exact stochastic trajectories (rejection-free kinetic Monte Carlo, the\n"
"library's kmc machinery on a public chain) on the class lattice of K blocks\n"
"(rates of eq 5.2, time in units of 1/B), at a fixed beta or under a\n"
"protocol (thinning against proven bounds; a B that depends on T is not\n"
"supported under a changing protocol: use 'evolve --blocks').  Trajectory i\n"
"draws from the counter-based stream (seed, i): the same seed gives the same\n"
"output with any --threads.  With --to, the first-passage times to that\n"
"basin (or union of basins) are summarised beside the exact mean\n"
"first-passage time of the master equation ('mfpt --blocks').\n"
"\n"
"options:\n"
CLI_BLOCKS_HELP
"  --dim D              dimension (with --blocks)\n"
"  --beta B             fixed inverse temperature (> 0)\n"
"  --protocol FILE      T(t) or beta(t) as 'evolve'\n"
"  --from SPEC          as 'evolve --blocks' (a distribution is sampled per\n"
"                       trajectory)\n"
"  --to NAME[,NAME...]  first-passage target: the classes of basin NAME at the\n"
"                       initial beta, or the union of a list of basins (b1,b3;\n"
"                       names and points m=... as 'mfpt --blocks', the same\n"
"                       sets); --from must then be a basin (the start is\n"
"                       mfpt's class) or class:INDEX outside the target\n"
"  --times t1,t2,...    observation times (>= 0, increasing)\n"
"  --trajectories N     ensemble size (default 1), on all threads\n"
"  --seed S             0 <= S < 2^64 (default: drawn, printed on stderr)\n"
"  --max-events N       events per trajectory at most (default 1e9); truncated\n"
"                       trajectories are counted in every output\n"
"  --phi FORMULA        phi(m1, ..., mK)\n"
"  --transmission F     B(m1, ..., mK, T) (default 1)\n"
"  --stats FILE         per time: mean and variance of m1..mK and phi, and\n"
"                       the population of every basin of the initial beta,\n"
"                       as CSV ('-': stdout)\n"
CLI_MAX_MEMORY_HELP
"  --json               machine-readable output on stdout: start (the start\n"
"                       class, null for a distribution) and per time count,\n"
"                       mean_m, standard_error_m, variance_m, mean_phi,\n"
"                       standard_error_phi, variance_phi, populations and\n"
"                       populations_standard_error (sqrt(var / count))\n"
CLI_THREADS_HELP
"  --help               this text\n"
"nulls: a mean over no trajectory, a variance or standard error over fewer\n"
"than 2, the first-passage mean and quantiles unless every trajectory\n"
"reached the target.\n");
}

int cmd_kmc_blocks(int argc, char **argv)
{
    static const char *CMD = "kmc";
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},      {"beta", required_argument, 0, 'b'},
        {"protocol", required_argument, 0, 'P'}, {"from", required_argument, 0, 'f'},
        {"to", required_argument, 0, 'T'},       {"times", required_argument, 0, 't'},
        {"trajectories", required_argument, 0, 'n'}, {"seed", required_argument, 0, 's'},
        {"max-events", required_argument, 0, 'e'}, {"phi", required_argument, 0, 'p'},
        {"transmission", required_argument, 0, 'B'}, {"stats", required_argument, 0, 'S'},
        {"json", no_argument, 0, 'j'},           {"help", no_argument, 0, 'h'},
        {"hypercube", no_argument, 0, 'H'},
        CLI_THREADS_OPTION, CLI_BLOCKS_OPTIONS, CLI_MAX_MEMORY_OPTION, {0, 0, 0, 0}};
    const char *proto_path = NULL, *from = NULL, *to = NULL, *times_s = NULL, *phi = NULL;
    const char *trans = NULL, *stats = NULL;
    long D = 0, ntraj = 1, maxev = 0;
    uint64_t seed = 0;
    double beta = 0;
    int have_beta = 0, have_seed = 0, json = 0, c;
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
        case 'P': proto_path = optarg; break;
        case 'f': from = optarg; break;
        case 'T': to = optarg; break;
        case 't': times_s = optarg; break;
        case 'n':
            if (!cli_parse_long(CMD, "--trajectories", optarg, &ntraj)) return EXIT_USAGE;
            if (ntraj < 1 || ntraj > 100000000L) {
                cli_error(CMD, "--trajectories %ld must be in 1..1e8", ntraj);
                return EXIT_USAGE;
            }
            break;
        case 'e':
            if (!cli_parse_long(CMD, "--max-events", optarg, &maxev)) return EXIT_USAGE;
            if (maxev < 1) {
                cli_error(CMD, "--max-events %ld must be >= 1", maxev);
                return EXIT_USAGE;
            }
            break;
        case 's': if (!cli_parse_seed(CMD, optarg, &seed)) return EXIT_USAGE; have_seed = 1; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'S': stats = optarg; break;
        case 'j': json = 1; break;
        case 'h': kmc_help(stdout); return EXIT_OK;
        case 'H':
            cli_error(CMD, "--hypercube and --blocks do not combine: --hypercube simulates the "
                           "2^D vertices of the two-order-parameter model (see kmc --help)");
            return EXIT_USAGE;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!run_args_ok(CMD, argc, argv, from, times_s, have_beta, proto_path, json))
        return EXIT_USAGE;
    if ((stats && !cli_output_declare(CMD, "--stats", stats, 0)) ||
        (proto_path && !cli_input_declare(CMD, "--protocol", proto_path)))
        return cli_outputs_status();
    double *times = NULL, *p0 = NULL, *f = NULL, *mean = NULL, *var = NULL, *sorted = NULL;
    size_t *cnt = NULL, nt = 0;
    int *basin = NULL;
    long *target = NULL;
    hl_protocol *proto = NULL;
    hl_blocks *b = NULL;
    hl_blocks_exact *ex = NULL;
    hl_blocks_exact_result r0 = {0};
    hl_chain *ch = NULL;
    hl_kmc *km = NULL;
    hl_kmc_part part;
    memset(&part, 0, sizeof part);
    int rc = EXIT_FAIL, st;
    if (!cli_parse_times(CMD, times_s, &times, &nt))
        return EXIT_USAGE;
    if (proto_path) {
        if (!cli_read_protocol(CMD, proto_path, &proto)) {
            rc = EXIT_USAGE;
            goto done;
        }
    } else if ((st = hl_protocol_create_fixed(beta, &proto))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (!cli_blocks_spec_ok(CMD, "--from", from, &bo) || !cli_blocks_spec_ok(CMD, "--to", to, &bo)) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!(b = cli_blocks_model(CMD, &bo, D, phi, trans))) {
        rc = cli_blocks_status();
        goto done;
    }
    if (hl_blocks_transmission_uses_t(b) && hl_protocol_settle_time(proto) > 0) {
        cli_error(CMD, "a B that depends on T under a changing protocol is not supported by "
                       "kmc --blocks (the chain holds B at one temperature); use evolve --blocks");
        rc = EXIT_USAGE;
        goto done;
    }
    if (!cli_blocks_classes_ok(CMD, b, HL_BLOCKS_EXACT_MAX_CLASSES, "the exact sums over classes") ||
        !cli_blocks_memory_ok(CMD, b, CLI_MEM_FACTOR, 2, "kmc on the class lattice (and its exact "
                                                        "mfpt)")) {
        rc = EXIT_USAGE;
        goto done;
    }
    long N = hl_blocks_n_classes(b);
    int k = hl_blocks_k(b);
    double beta0 = hl_protocol_beta(proto, 0.0);
    p0 = malloc(sizeof(double) * (size_t)N);
    basin = malloc(sizeof(int) * (size_t)N);
    target = malloc(sizeof(long) * (size_t)N);
    f = malloc(sizeof(double) * (size_t)N);
    mean = malloc(sizeof(double) * nt);
    var = malloc(sizeof(double) * nt);
    cnt = malloc(sizeof(size_t) * nt);
    sorted = malloc(sizeof(double) * (size_t)ntraj);
    if (!p0 || !basin || !target || !f || !mean || !var || !cnt || !sorted) {
        cli_error(CMD, "out of memory");
        goto done;
    }
    long start = -1;
    if ((rc = blocks_start(CMD, b, from, beta0, p0, &start)) != EXIT_OK)
        goto done;
    rc = EXIT_FAIL;
    if ((st = hl_blocks_exact_create(b, &ex)) ||
        (st = hl_blocks_exact_compute(ex, beta0, basin, &r0))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    size_t ntg = 0;
    if (to) {
        /* the target set of 'mfpt --blocks' (hl_blocks_passage_sets): a
         * basin, a point m=..., or the union of a list (b1,b3) */
        if (start < 0) {
            cli_error(CMD, "--to '%s' needs --from to be a basin", cli_clip(to));
            rc = EXIT_USAGE;
            goto done;
        }
        if (cli_blocks_basin_args(CMD, "--from", from, "--to", to, k, 1)) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (strncmp(from, "class:", 6)) {
            /* a basin: mfpt's start class and target, the exact MFPT's */
            if ((st = hl_blocks_passage_sets(b, beta0, from, to, &start, target, &ntg))) {
                rc = cli_blocks_basin_status(CMD, st);
                goto done;
            }
        } else {
            /* a class: the same list of basins (hl_blocks_basin_list), not
             * holding the start */
            int ib[HL_BLOCKS_MAX_BASINS], nb = 0;
            if ((st = hl_blocks_basin_list(&r0, to, ib, HL_BLOCKS_MAX_BASINS, &nb))) {
                rc = cli_blocks_basin_status(CMD, st);
                goto done;
            }
            for (int j = 0; j < nb; j++)
                if (basin[start] == ib[j]) {
                    cli_error(CMD, "--from '%s' is in the --to basin %s", cli_clip(from),
                              r0.basins[ib[j]].name);
                    rc = EXIT_USAGE;
                    goto done;
                }
            for (long i = 0; i < N; i++)
                for (int j = 0; j < nb; j++)
                    if (basin[i] == ib[j])
                        target[ntg++] = i;
        }
    }
    if ((st = hl_blocks_chain(b, beta0, &ch)) || (st = hl_kmc_create_chain(ch, proto, &km))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (!have_seed) {
        seed = hl_kmc_seed_draw();
        fprintf(stderr, "hyperland kmc: seed %" PRIu64 " (drawn; --seed %" PRIu64
                        " repeats this run)\n", seed, seed);
    }
    hl_kmc_options ko;
    memset(&ko, 0, sizeof ko);
    ko.seed = seed;
    ko.times = times;
    ko.n_times = nt;
    ko.p0 = start >= 0 ? NULL : p0;
    ko.start = start;
    ko.target = to ? target : NULL;
    ko.n_target = ntg;
    ko.max_events = maxev;
    if ((st = hl_kmc_ensemble(km, &ko, 0, (uint64_t)ntraj, &part))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    /* trajectories stopped by --max-events before the last time (or the
     * target): said in every output */
    long ntrunc = 0;
    for (size_t i = 0; i < part.n; i++)
        ntrunc += part.truncated[i];
    long maxev_eff = maxev > 0 ? maxev : 1000000000L;
    /* observables: m_i, phi, basin indicators */
    int nobs = k + 1 + r0.n_basins;
    double *om = malloc(sizeof(double) * (size_t)nobs * nt), *ov = malloc(sizeof(double) * (size_t)nobs * nt);
    if (!om || !ov) {
        free(om);
        free(ov);
        cli_error(CMD, "out of memory");
        goto done;
    }
    long nn[HL_BLOCKS_MAX];
    double m[HL_BLOCKS_MAX];
    for (int o = 0; o < nobs && !st; o++) {
        for (long i = 0; i < N; i++) {
            hl_blocks_class(b, i, nn, m);
            f[i] = o < k ? m[o] : o == k ? hl_blocks_phi(b, m) : (basin[i] == o - k - 1);
        }
        st = hl_kmc_moments(&part, km, f, mean, var, cnt);
        for (size_t j = 0; j < nt; j++) {
            om[(size_t)o * nt + j] = mean[j];
            ov[(size_t)o * nt + j] = var[j];
        }
    }
    hl_kmc_fpt fs;
    double exact_ln = NAN;
    if (!st && to) {
        st = hl_kmc_fpt_stats(&part, &fs, sorted);
        hl_blocks_passage ps;
        /* the exact MFPT is that of one fixed beta: under a protocol that
         * changes beta there is none to compare with */
        if (!st && hl_protocol_settle_time(proto) == 0 &&
            hl_blocks_mfpt(b, beta0, from, to, NULL, NULL, &ps) == HL_OK)
            exact_ln = ps.ln_mfpt;
    }
    if (st) {
        free(om);
        free(ov);
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (stats) {
        FILE *fp = cli_output_stream(CMD, stats);
        if (!fp) {
            free(om);
            free(ov);
            goto done;
        }
        char params[1024], trunc[256] = "";
        if (ntrunc)
            snprintf(trunc, sizeof trunc,
                     "; TRUNCATED: %ld of %ld trajectories reached --max-events %ld before %s "
                     "(count: the trajectories with a state at t)",
                     ntrunc, ntraj, maxev_eff, to ? "the target" : "the last time");
        snprintf(params, sizeof params,
                 "D = %ld; %s %s; from = %s; trajectories = %ld; seed = %" PRIu64
                 "; populations of the basins of the initial beta%s",
                 hl_blocks_dim(b), proto_path ? "protocol =" : "beta =",
                 proto_path ? proto_path : cli_num("%.17g", beta), from, ntraj, seed, trunc);
        cli_csv_preamble(fp, params);
        cli_blocks_csv_comment(fp, b);
        fprintf(fp, "t,count");
        for (int i = 0; i < k; i++)
            fprintf(fp, ",mean_m%d,var_m%d", i + 1, i + 1);
        fprintf(fp, ",mean_phi,var_phi");
        for (int q = 0; q < r0.n_basins; q++)
            fprintf(fp, ",P_%s", r0.basins[q].name);
        fprintf(fp, "\n");
        for (size_t j = 0; j < nt; j++) {
            hl_csv_number(fp, "%.12g", times[j]);
            fprintf(fp, ",%zu", cnt[j]);
            for (int o = 0; o <= k; o++) {
                hl_csv_number(fp, ",%.12g", om[(size_t)o * nt + j]);
                hl_csv_number(fp, ",%.12g", ov[(size_t)o * nt + j]);
            }
            for (int q = 0; q < r0.n_basins; q++)
                hl_csv_number(fp, ",%.12g", om[(size_t)(k + 1 + q) * nt + j]);
            fprintf(fp, "\n");
        }
    }
    if (json) {
        cli_json_begin(stdout, CMD);
        cli_blocks_json(stdout, b);
        printf(", \"from\": ");
        hl_json_string(stdout, from);
        printf(", \"seed\": %" PRIu64 ", \"trajectories\": %ld, \"truncated\": %ld, "
               "\"max_events\": %ld, \"start\": ",
               seed, ntraj, ntrunc, maxev_eff);
        cli_blocks_json_class(stdout, b, start);
        printf(", \"points\": [");
        for (size_t j = 0; j < nt; j++) {
            printf("%s{\"t\": ", j ? ", " : "");
            hl_json_number(stdout, times[j]);
            printf(", \"count\": %zu, \"mean_m\": [", cnt[j]);
            for (int i = 0; i < k; i++) {
                printf(i ? ", " : "");
                hl_json_number(stdout, om[(size_t)i * nt + j]);
            }
            printf("], \"standard_error_m\": [");
            for (int i = 0; i < k; i++) {
                printf(i ? ", " : "");
                hl_json_number(stdout, kmc_se(ov[(size_t)i * nt + j], cnt[j]));
            }
            printf("], \"variance_m\": [");
            for (int i = 0; i < k; i++) {
                printf(i ? ", " : "");
                hl_json_number(stdout, ov[(size_t)i * nt + j]);
            }
            printf("]");
            printf(", \"mean_phi\": ");
            hl_json_number(stdout, om[(size_t)k * nt + j]);
            printf(", \"standard_error_phi\": ");
            hl_json_number(stdout, kmc_se(ov[(size_t)k * nt + j], cnt[j]));
            printf(", \"variance_phi\": ");
            hl_json_number(stdout, ov[(size_t)k * nt + j]);
            printf(", \"populations\": {");
            for (int q = 0; q < r0.n_basins; q++) {
                printf(q ? ", " : "");
                hl_json_string(stdout, r0.basins[q].name);
                printf(": ");
                hl_json_number(stdout, om[(size_t)(k + 1 + q) * nt + j]);
            }
            printf("}, \"populations_standard_error\": {");
            for (int q = 0; q < r0.n_basins; q++) {
                printf(q ? ", " : "");
                hl_json_string(stdout, r0.basins[q].name);
                printf(": ");
                hl_json_number(stdout, kmc_se(ov[(size_t)(k + 1 + q) * nt + j], cnt[j]));
            }
            printf("}}");
        }
        printf("]");
        if (to) {
            printf(", \"to\": ");
            hl_json_string(stdout, to);
            printf(", \"fpt\": {\"n\": %zu, \"reached\": %zu, \"mean\": ", fs.n, fs.reached);
            hl_json_number(stdout, fs.mean);
            printf(", \"sem\": ");
            hl_json_number(stdout, fs.sem);
            printf(", \"median\": ");
            hl_json_number(stdout, fs.q[2]);
            kmc_json_fpt_censoring(&part, &fs, sorted, maxev);
            printf(", \"exact_mfpt\": ");
            hl_json_number(stdout, exp(exact_ln));
            printf(", \"exact_ln_mfpt\": ");
            hl_json_number(stdout, exact_ln);
            if (isnan(exact_ln))
                printf(", \"exact_mfpt_null_reason\": \"%s\"",
                       hl_protocol_settle_time(proto) > 0
                           ? "the protocol changes beta: no fixed-beta mean first-passage time"
                           : "no exact mean first-passage time between these basins");
            printf("}");
        }
        printf("}\n");
    } else {
        printf("D = %ld in %d block%s, from %s: %ld trajectories, seed %" PRIu64 "\n",
               hl_blocks_dim(b), k, k == 1 ? "" : "s", from, ntraj, seed);
        if (ntrunc)
            printf("  %ld of %ld trajectories truncated by --max-events %ld before %s (count: "
                   "the trajectories with a state at t)\n",
                   ntrunc, ntraj, maxev_eff, to ? "the target" : "the last time");
        printf("  %12s %8s", "t", "count");
        for (int i = 0; i < k && i < 6; i++) {
            char lab[16];
            snprintf(lab, sizeof lab, "<m%d>", i + 1);
            printf(" %12s", lab);
        }
        printf(" %12s\n", "<phi>");
        for (size_t j = 0; j < nt; j++) {
            printf("  %s %8zu", cli_num("%12.6g", times[j]), cnt[j]);
            for (int i = 0; i < k && i < 6; i++)
                printf(" %s", cli_num("%12.6g", om[(size_t)i * nt + j]));
            printf(" %s\n", cli_num("%12.8g", om[(size_t)k * nt + j]));
        }
        if (k > 6)
            printf("  (clipped: the table shows 6 of %d <m_i>; --json has all)\n", k);
        if (to) {
            printf("  first passage to %s: %zu of %zu reached; mean %s +- %s (exact mfpt %s)\n",
                   to, fs.reached, fs.n, cli_numx("%.6g", fs.mean, "n/a (not all reached)"),
                   cli_numx("%.2g", fs.sem, "n/a"),
                   cli_numx("%.6g", exp(exact_ln),
                            hl_protocol_settle_time(proto) > 0 ? "n/a: the protocol changes beta"
                                                               : "n/a"));
            kmc_text_fpt_censoring("  ", &part, &fs, sorted, maxev);
        }
    }
    free(om);
    free(ov);
    rc = EXIT_OK;
done:
    hl_kmc_part_free(&part);
    hl_kmc_free(km);
    hl_chain_free(ch);
    hl_blocks_exact_result_free(&r0);
    hl_blocks_exact_free(ex);
    hl_blocks_free(b);
    hl_protocol_free(proto);
    free(times);
    free(p0);
    free(f);
    free(mean);
    free(var);
    free(cnt);
    free(sorted);
    free(basin);
    free(target);
    return rc;
}
