/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_kmc.c -- hyperland kmc: exact stochastic trajectories (kinetic Monte
 * Carlo, kmc.h) on the class lattice of eq 5.6 or on a kinetic transition
 * network, at a fixed temperature or under a protocol; ensembles with
 * their means, populations and first-passage times.  The full hypercube
 * (--hypercube) is cli_kmc_hypercube (kmc_hypercube.c). */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blocks_cli.h"
#include "kmc_cli.h"
#include "network_cli.h"
#include "network_input.h"

static const char *CMD = "kmc";

#define KMC_MAX_TRAJECTORIES 100000000L
#define KMC_DEFAULT_KEEP 100L

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland kmc --dim D (--beta B | --protocol FILE) --from SPEC\n"
"                     --times t1,t2,... [options]\n"
"       hyperland kmc (--db DIR | --min FILE --ts FILE | --states FILE\n"
"                     --transitions FILE) [--A SET] [--B SET]\n"
"                     (--temperature T | --protocol FILE) --from SPEC\n"
"                     --times t1,t2,... [options]\n"
"       hyperland kmc --hypercube ...   (the full hypercube: its own --help)\n"
"\n"
"Exact stochastic trajectories of one system (kinetic Monte Carlo: the\n"
"rejection-free Gillespie/BKL method) on the class lattice of eq 5.6 (any\n"
"phi and B; the chain of 'evolve' and 'mfpt') or on a kinetic transition\n"
"network (the inputs of 'network').  Rates from the chain's logs (rates\n"
"spanning hundreds of decades work).  Under a protocol the event times are\n"
"exact: thinning against a proven bound of the exit rate over windows where\n"
"beta(t) is monotone (every ln k is convex in beta; a B that depends on T is\n"
"bounded by interval arithmetic), accepted at the candidate's own beta(t);\n"
"rates are never frozen over a step.  Trajectory i draws from the\n"
"counter-based stream (seed, i): the same seed gives the same output bit for\n"
"bit with any --threads.\n"
"\n"
"class lattice:\n"
"  --dim D              even dimension\n"
"  --beta B             fixed inverse temperature (> 0)\n"
"  --phi FORMULA, --transmission FORMULA   as for 'evolve'\n"
"  --from SPEC          crystal | liquid | basin:NAME | infinite-temperature |\n"
"                       equilibrium:BETA | a class CSV FILE (as 'evolve'); a\n"
"                       distribution is sampled per trajectory\n"
"  --to NAME            first-passage target: the classes of basin NAME at the\n"
"                       initial beta, exactly as 'mfpt --from --to' (then\n"
"                       --from must be a basin and the start is mfpt's class)\n"
"network:\n"
"  --db DIR | --min FILE --ts FILE | --states FILE --transitions FILE,\n"
"  --A SET, --B SET     as for 'network'\n"
"  --temperature T      fixed k_B T (> 0)\n"
"  --from SPEC          min:ID | set:A | set:B (the set's local equilibrium at\n"
"                       the initial T) | equilibrium:T0\n"
"  --to A|B             first-passage target: set A or B\n"
"both:\n"
"  --protocol FILE      T(t) or beta(t) as for 'evolve' (instead of --beta /\n"
"                       --temperature)\n"
"  --times t1,t2,...    observation times (>= 0, increasing); trajectories run\n"
"                       to the last (and on until the target with --to)\n"
"  --every K            --output and --json's trajectory_rows: a row at t = 0\n"
"                       and after every K events instead of at the --times (up\n"
"                       to the last time)\n"
"  --trajectories N     ensemble size (default 1), on all threads\n"
"  --seed S             0 <= S < 2^64 (default: drawn, printed on stderr and\n"
"                       written into every output)\n"
"  --max-events N       events per trajectory at most (default 1e9); a\n"
"                       trajectory that reaches it is truncated (counted; its\n"
"                       later states and first passage are missing)\n"
"  --output FILE        trajectories 0..K-1 as CSV (K = --keep, default 100):\n"
"                       t, n, n1, x, y, phi (lattice) / t, id, energy, set\n"
"                       (also in --json as trajectory_rows)\n"
"  --keep K             trajectories written by --output and --json\n"
);
    fprintf(fp,
"  --stats FILE         per time: means and variances of the observables,\n"
"                       populations (basins of beta(t) / sets A, B) with\n"
"                       standard errors, as CSV\n"
"  --fpt FILE           the first-passage times, sorted, with their empirical\n"
"                       distribution (ECDF), as CSV\n"
"  --plot FILE.png      a few trajectories beside the master-equation mean\n"
"                       (evolve / network --evolve) and the ensemble mean\n"
"                       (any FILE '-' is stdout; the report then goes to stderr)\n"
"  --blocks K, --block-sizes LIST\n"
"                     the model of K blocks (section VI): see\n"
"                     'hyperland kmc --blocks 2 --help'\n"
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n"
"\n"
"nulls: a mean over no trajectory, a variance over fewer than 2; the\n"
"first-passage mean, standard error and quantiles unless every trajectory\n"
"reached the target (truncated or never leaving a state: see 'reached').\n"
HL_FORMULA_HELP);
}

static int parse_count(const char *opt, const char *s, long lo, long hi, long *v)
{
    if (!cli_parse_long(CMD, opt, s, v))
        return 0;
    if (*v < lo || *v > hi) {
        cli_error(CMD, "%s %s must be in %ld..%ld", opt, cli_clip(s), lo, hi);
        return 0;
    }
    return 1;
}

static void run_free(kmc_run *r)
{
    hl_kmc_free(r->k);
    hl_kmc_part_free(&r->part);
    hl_protocol_free(r->proto);
    free(r->times);
    free(r->p0);
    free(r->target);
    free(r->energy);
    free(r->set_of);
    for (int q = 0; q < KMC_MAX_OBS; q++) {
        free(r->obs[q]);
        free(r->mean[q]);
        free(r->var[q]);
    }
    free(r->count);
    free(r->pop);
    free(r->pop_se);
    free(r->fpt_sorted);
}

/* the lattice: model, protocol, plan, start and target */
static int setup_lattice(kmc_run *r, const char *phi, const char *trans, hl_model **mp,
                         hl_evolve_start *start, double **q0)
{
    int st = hl_model_create(phi, mp);
    if (!st && trans)
        st = hl_model_set_transmission(*mp, trans);
    if (st)
        return cli_lib_error(CMD, st);
    r->m = *mp;
    if ((st = hl_kmc_create_lattice(r->m, r->D, r->proto, &r->k)))
        return cli_lib_error(CMD, st);
    r->ns = hl_kmc_states(r->k);
    double beta0 = hl_protocol_beta(r->proto, 0);
    if (!cli_parse_start(CMD, r->from, r->D, start, q0))
        return EXIT_USAGE;
    r->start_class = -1;
    if (r->to) {
        if (start->kind != HL_START_BASIN) {
            cli_error(CMD, "--to needs --from crystal, liquid or basin:NAME (the start of "
                           "'mfpt')");
            return EXIT_USAGE;
        }
        r->target = malloc(sizeof(long) * (size_t)r->ns);
        if (!r->target) {
            cli_error(CMD, "out of memory");
            return EXIT_FAIL;
        }
        long s0, nt;
        if ((st = hl_lattice_network_sets(r->m, r->D, beta0, start->basin, r->to, &s0,
                                          r->target, &nt)))
            return cli_lib_error(CMD, st);
        r->ntarget = (size_t)nt;
        r->start_class = s0;
        return EXIT_OK;
    }
    r->p0 = malloc(sizeof(double) * (size_t)r->ns);
    if (!r->p0) {
        cli_error(CMD, "out of memory");
        return EXIT_FAIL;
    }
    if ((st = hl_kmc_lattice_start(r->m, r->D, start, beta0, r->p0, &r->start_class)))
        return cli_lib_error(CMD, st);
    return EXIT_OK;
}

static int setup_network(kmc_run *r, cli_network_input *in, hl_network **netp)
{
    int rc = cli_network_input_load(CMD, in, netp);
    if (rc != EXIT_OK)
        return rc;
    r->net = *netp;
    r->input = in->db ? in->db : in->p1;
    int st;
    if ((st = hl_kmc_create_chain(hl_network_chain(r->net), r->proto, &r->k)))
        return cli_lib_error(CMD, st);
    r->ns = hl_kmc_states(r->k);
    r->energy = malloc(sizeof(double) * (size_t)r->ns);
    r->set_of = calloc((size_t)r->ns, 1);
    r->p0 = malloc(sizeof(double) * (size_t)r->ns);
    if (!r->energy || !r->set_of || !r->p0) {
        cli_error(CMD, "out of memory");
        return EXIT_FAIL;
    }
    hl_network_energies(r->net, r->energy);
    for (int w = 0; w < 2; w++) {
        const long *s;
        size_t n;
        hl_network_set_states(r->net, w, &s, &n);
        for (size_t i = 0; i < n; i++)
            r->set_of[s[i]] = (unsigned char)(w + 1);
    }
    double T0 = 1.0 / hl_protocol_beta(r->proto, 0);
    if (!cli_network_start(CMD, r->from, r->net, T0, r->p0))
        return EXIT_USAGE;
    r->start_class = -1;
    if (r->to) {
        int w = !strcmp(r->to, "A") ? 0 : !strcmp(r->to, "B") ? 1 : -1;
        if (w < 0) {
            cli_error(CMD, "--to '%s': a network's target is A or B", cli_clip(r->to));
            return EXIT_USAGE;
        }
        const long *s;
        size_t n;
        hl_network_set_states(r->net, w, &s, &n);
        if (!n) {
            cli_error(CMD, "--to %s: set %s was not given (--%s or the database's min.%s)",
                      r->to, r->to, r->to, r->to);
            return EXIT_USAGE;
        }
        r->target = malloc(sizeof(long) * n);
        if (!r->target) {
            cli_error(CMD, "out of memory");
            return EXIT_FAIL;
        }
        memcpy(r->target, s, sizeof(long) * n);
        r->ntarget = n;
    }
    return EXIT_OK;
}

/* observables per state */
static int make_observables(kmc_run *r)
{
    long ns = r->ns;
    if (r->lattice) {
        static const char *names[] = {"n", "n1", "x", "y", "phi"};
        r->nobs = 5;
        long h = r->D / 2, w = h + 1;
        for (int q = 0; q < 5; q++) {
            r->obs_name[q] = names[q];
            if (!(r->obs[q] = malloc(sizeof(double) * (size_t)ns)))
                return 0;
        }
        for (long i = 0; i < ns; i++) {
            long a = i / w, b = i % w;
            double x = (double)(a + b) / h - 1.0, y = (double)(a - b) / h;
            r->obs[0][i] = (double)(a + b);
            r->obs[1][i] = (double)a;
            r->obs[2][i] = x;
            r->obs[3][i] = y;
            r->obs[4][i] = hl_model_phi(r->m, x, y);
        }
    } else {
        r->nobs = 1;
        r->obs_name[0] = "energy";
        if (!(r->obs[0] = malloc(sizeof(double) * (size_t)ns)))
            return 0;
        memcpy(r->obs[0], r->energy, sizeof(double) * (size_t)ns);
    }
    return 1;
}

static int pop_slot(kmc_run *r, const char *name)
{
    for (int q = 0; q < r->npop; q++)
        if (!strcmp(r->pop_name[q], name))
            return q;
    if (r->npop >= HL_MAX_BASINS)
        return -1;
    size_t l = strlen(name);
    if (l >= sizeof r->pop_name[0])
        l = sizeof r->pop_name[0] - 1;
    memcpy(r->pop_name[r->npop], name, l);
    r->pop_name[r->npop][l] = 0;
    return r->npop++;
}

/* the statistics of the ensemble: moments, populations, first passage */
static int statistics(kmc_run *r)
{
    size_t nt = r->nt, n = r->part.n;
    r->count = malloc(sizeof(size_t) * nt);
    if (!r->count)
        return 0;
    for (int q = 0; q < r->nobs; q++) {
        r->mean[q] = malloc(sizeof(double) * nt);
        r->var[q] = malloc(sizeof(double) * nt);
        if (!r->mean[q] || !r->var[q])
            return 0;
        int st = hl_kmc_moments(&r->part, r->k, r->obs[q], r->mean[q], r->var[q], r->count);
        if (st)
            return cli_lib_error(CMD, st), 0;
    }
    /* populations: counts per time and slot */
    r->pop = calloc(nt * HL_MAX_BASINS, sizeof(double));
    r->pop_se = calloc(nt * HL_MAX_BASINS, sizeof(double));
    int *basin = r->lattice ? malloc(sizeof(int) * (size_t)r->ns) : NULL;
    if (!r->pop || !r->pop_se || (r->lattice && !basin)) {
        free(basin);
        return 0;
    }
    int map[HL_MAX_BASINS];
    for (int q = 0; q < HL_MAX_BASINS; q++)
        map[q] = -1;
    double last_beta = NAN;
    if (!r->lattice) {
        hl_network_info info;
        hl_network_get_info(r->net, &info);
        for (int w = 0; w < 2; w++)
            if (info.n_set[w])
                map[w] = pop_slot(r, w ? "B" : "A");
    }
    for (size_t t = 0; t < nt; t++) {
        if (r->lattice) {
            double beta = hl_protocol_beta(r->proto, r->times[t]);
            if (beta != last_beta) {
                hl_basin bs[HL_MAX_BASINS];
                int nb = 0;
                int st = hl_kmc_lattice_basins(r->m, r->D, beta, basin, bs, &nb);
                if (st) {
                    free(basin);
                    return cli_lib_error(CMD, st), 0;
                }
                for (int q = 0; q < nb; q++)
                    map[q] = pop_slot(r, bs[q].name);
                last_beta = beta;
            }
        }
        double cnt[HL_MAX_BASINS] = {0};
        size_t c = 0;
        for (size_t i = 0; i < n; i++) {
            long s = r->part.state[i * nt + t];
            if (s < 0)
                continue;
            c++;
            int q = r->lattice ? basin[s] : (int)r->set_of[s] - 1;
            if (q >= 0 && map[q] >= 0)
                cnt[map[q]] += 1;
        }
        for (int q = 0; q < HL_MAX_BASINS; q++) {
            double p = c ? cnt[q] / (double)c : NAN;
            r->pop[t * HL_MAX_BASINS + q] = p;
            /* standard error of a proportion: sqrt(p (1 - p) / (c - 1)) */
            r->pop_se[t * HL_MAX_BASINS + q] = c > 1 ? sqrt(p * (1 - p) / (double)(c - 1)) : NAN;
        }
    }
    free(basin);
    if (r->target) {
        r->have_fpt = 1;
        r->fpt_sorted = malloc(sizeof(double) * (n ? n : 1));
        if (!r->fpt_sorted)
            return 0;
        int st = hl_kmc_fpt_stats(&r->part, &r->fpt, r->fpt_sorted);
        if (st)
            return cli_lib_error(CMD, st), 0;
    }
    for (size_t i = 0; i < n; i++) {
        r->total_events += r->part.events[i];
        r->truncated += r->part.truncated[i];
    }
    return 1;
}

int cmd_kmc(int argc, char **argv)
{
    if (cli_blocks_requested(argc, argv))
        return cmd_kmc_blocks(argc, argv);
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--hypercube"))
            return cli_kmc_hypercube(argc, argv);
    static const struct option opts[] = {
        {"dim", required_argument, 0, 'D'},         {"beta", required_argument, 0, 'b'},
        {"temperature", required_argument, 0, 'T'}, {"protocol", required_argument, 0, 'P'},
        {"from", required_argument, 0, 'f'},        {"to", required_argument, 0, 'o'},
        {"times", required_argument, 0, 't'},       {"every", required_argument, 0, 'e'},
        {"trajectories", required_argument, 0, 'n'}, {"seed", required_argument, 0, 's'},
        {"max-events", required_argument, 0, 'x'},  {"output", required_argument, 0, 'O'},
        {"keep", required_argument, 0, 'k'},        {"stats", required_argument, 0, 'S'},
        {"fpt", required_argument, 0, 'F'},         {"plot", required_argument, 0, 'g'},
        {"phi", required_argument, 0, 'p'},         {"transmission", required_argument, 0, 'B'},
        {"json", no_argument, 0, 'j'},              {"help", no_argument, 0, 'h'},
        CLI_THREADS_OPTION,                         CLI_NETWORK_INPUT_OPTIONS,
        {0, 0, 0, 0}};
    kmc_run r;
    memset(&r, 0, sizeof r);
    r.cmd = CMD;
    r.ntraj = 1;
    r.keep = -1;
    cli_network_input in;
    memset(&in, 0, sizeof in);
    const char *times_s = NULL, *output = NULL, *stats = NULL, *fptf = NULL, *plot = NULL;
    const char *phi = NULL, *trans = NULL;
    int have_dim = 0, have_beta = 0, have_T = 0, have_seed = 0, json = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': if (!cli_parse_long(CMD, "--dim", optarg, &r.D)) return EXIT_USAGE; have_dim = 1; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta", optarg, &r.beta)) return EXIT_USAGE; have_beta = 1; break;
        case 'T':
            if (!cli_parse_double(CMD, "--temperature", optarg, &r.T))
                return EXIT_USAGE;
            if (!(r.T > 0)) {
                cli_error(CMD, "--temperature %s must be positive", cli_clip(optarg));
                return EXIT_USAGE;
            }
            have_T = 1;
            break;
        case 'P': r.proto_path = optarg; break;
        case 'f': r.from = optarg; break;
        case 'o': r.to = optarg; break;
        case 't': times_s = optarg; break;
        case 'e': if (!parse_count("--every", optarg, 1, LONG_MAX, &r.every)) return EXIT_USAGE; break;
        case 'n': if (!parse_count("--trajectories", optarg, 1, KMC_MAX_TRAJECTORIES, &r.ntraj)) return EXIT_USAGE; break;
        case 's': if (!cli_parse_seed(CMD, optarg, &r.seed)) return EXIT_USAGE; have_seed = 1; break;
        case 'x': if (!parse_count("--max-events", optarg, 1, LONG_MAX, &r.max_events)) return EXIT_USAGE; break;
        case 'O': output = optarg; break;
        case 'k': if (!parse_count("--keep", optarg, 0, KMC_MAX_TRAJECTORIES, &r.keep)) return EXIT_USAGE; break;
        case 'S': stats = optarg; break;
        case 'F': fptf = optarg; break;
        case 'g': plot = optarg; break;
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'j': json = 1; break;
        case 'h': help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default:
            if (cli_network_input_option(&in, c, optarg))
                break;
            return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    int net_given = cli_network_input_given(&in) || in.spec[0] || in.spec[1];
    if (have_dim == net_given) {
        cli_error(CMD, "give either --dim D (the class lattice) or a network (--db, --min/--ts "
                       "or --states/--transitions); see --help");
        return EXIT_USAGE;
    }
    r.lattice = have_dim;
    if (r.lattice) {
        if (have_T) {
            cli_error(CMD, "--temperature is for a network; the class lattice takes --beta");
            return EXIT_USAGE;
        }
        if (have_beta == (r.proto_path != NULL)) {
            cli_error(CMD, "give exactly one of --beta B and --protocol FILE");
            return EXIT_USAGE;
        }
        if (hl_check_dim(r.D) != HL_OK) {
            cli_error(CMD, "%s", hl_errmsg());
            return EXIT_USAGE;
        }
    } else {
        int st = cli_network_input_check(CMD, &in);
        if (st != EXIT_OK)
            return st;
        if (have_beta || phi || trans) {
            cli_error(CMD, "--beta, --phi and --transmission are for the class lattice; a "
                           "network takes --temperature");
            return EXIT_USAGE;
        }
        if (have_T == (r.proto_path != NULL)) {
            cli_error(CMD, "give exactly one of --temperature T and --protocol FILE");
            return EXIT_USAGE;
        }
    }
    if (!r.from || !times_s) {
        cli_error(CMD, "--from SPEC and --times t1,t2,... are required (see --help)");
        return EXIT_USAGE;
    }
    if (r.keep < 0)
        r.keep = r.ntraj < KMC_DEFAULT_KEEP ? r.ntraj : KMC_DEFAULT_KEEP;
    if (r.keep > r.ntraj)
        r.keep = r.ntraj;
    if (r.every && !output && !json) {
        cli_error(CMD, "--every K sets the rows of --output FILE (and of --json), which are "
                       "missing");
        return EXIT_USAGE;
    }
    if (fptf && !r.to) {
        cli_error(CMD, "--fpt FILE needs a target (--to)");
        return EXIT_USAGE;
    }
    /* the outputs are rank 0's (an MPI run: the other ranks only compute) */
    int root = kmc_is_root();
    if (root && json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    if (root && ((output && !cli_output_declare(CMD, "--output", output, 0)) ||
                 (stats && !cli_output_declare(CMD, "--stats", stats, 0)) ||
                 (fptf && !cli_output_declare(CMD, "--fpt", fptf, 0)) ||
                 (plot && !cli_output_declare(CMD, "--plot", plot, 1)) ||
                 !cli_input_declare(CMD, "--protocol", r.proto_path)))
        return cli_outputs_status();
    if (!cli_parse_times(CMD, times_s, &r.times, &r.nt))
        return EXIT_USAGE;
    if (!have_seed) {
        r.seed = kmc_agree_seed(hl_kmc_seed_draw());
        r.seed_drawn = 1;
    }
    int rc = EXIT_FAIL, st;
    hl_model *m = NULL;
    hl_network *net = NULL;
    hl_evolve_start start;
    double *q0 = NULL;
    if (r.proto_path) {
        if (!cli_read_protocol(CMD, r.proto_path, &r.proto)) {
            rc = EXIT_USAGE;
            goto done;
        }
    } else if ((st = hl_protocol_create_fixed(r.lattice ? r.beta : 1.0 / r.T, &r.proto))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    rc = r.lattice ? setup_lattice(&r, phi, trans, &m, &start, &q0)
                   : setup_network(&r, &in, &net);
    if (rc != EXIT_OK)
        goto done;
    rc = EXIT_FAIL;
    /* the drawn seed is announced once the inputs are accepted (as kmc
     * --hypercube does): a refused input stays one line on stderr */
    if (!have_seed && root)
        fprintf(stderr, "hyperland kmc: seed %" PRIu64 " (drawn; --seed %" PRIu64
                        " repeats this run)\n", r.seed, r.seed);
    r.o.seed = r.seed;
    r.o.times = r.times;
    r.o.n_times = r.nt;
    r.o.p0 = r.p0;
    r.o.start = r.start_class;
    r.o.target = r.target;
    r.o.n_target = r.ntarget;
    r.o.every = r.every;
    r.o.max_events = r.max_events;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ((st = kmc_ensemble_run(r.k, &r.o, r.ntraj, &r.part))) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    if (!root) {
        rc = EXIT_OK;
        goto done;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r.elapsed = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (!make_observables(&r) || !statistics(&r)) {
        cli_error(CMD, "out of memory for the statistics");
        goto done;
    }
    fprintf(stderr, "hyperland kmc: %ld trajectories, %lld events in %.3g s (%.3g events/s)\n",
            r.ntraj, r.total_events, r.elapsed,
            r.elapsed > 0 ? (double)r.total_events / r.elapsed : NAN);
    if (output && !cli_write_atomic(CMD, output, kmc_write_trajectories, &r))
        goto done;
    if (stats && !cli_write_atomic(CMD, stats, kmc_write_stats, &r))
        goto done;
    if (fptf && !cli_write_atomic(CMD, fptf, kmc_write_fpt, &r))
        goto done;
    if (plot && !kmc_plot(&r, plot))
        goto done;
    if (json)
        kmc_print_json(&r);
    else
        kmc_print_text(&r);
    rc = EXIT_OK;
done:
    run_free(&r);
    free(q0);
    hl_model_free(m);
    hl_network_free(net);
    return rc;
}
