/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_network.c -- hyperland network: a real energy landscape (a PATHSAMPLE
 * database or the plain CSV form) read into the reversible chain of
 * section III (network.h): its bookkeeping and its equilibrium
 * thermodynamics at a temperature. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "network_dg.h"
#include "network_input.h"
#include "network_cli.h"
#include "network_passage.h"

static const char *CMD = "network";

#define TEXT_IDS 12 /* ids listed in the text report */

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland network (--db DIR | --min FILE --ts FILE |\n"
"                          --states FILE --transitions FILE)\n"
"                         [--A SET] [--B SET] [--temperature T] [--modes K] [--json]\n"
"                         [--count K] [--committor FILE] [--passage-method NAME]\n"
"\n"
"A kinetic transition network (minima and the transition states between\n"
"them) read into the master equation of section III (eqs 3.3-3.5):\n"
"ln M_a = S_a - E_a/T and ln k(a -> b) = (S_ts - E_ts/T) - (S_a - E_a/T).\n"
"\n"
"input:\n"
"  --db DIR             a PATHSAMPLE database: DIR/min.data, DIR/ts.data, and\n"
"                       DIR/min.A, DIR/min.B when present; min.data and\n"
"                       ts.data may be gzipped (name.gz), as may any input\n"
"                       file\n"
"  --min FILE --ts FILE the same from two named files (min.data: 'E F o Ix Iy\n"
"                       Iz', id = line number; ts.data: 'E F o a b Ix Iy Iz')\n"
"                       PATHSAMPLE maps onto the chain as S_min = -F/2 - ln o,\n"
"                       S_ts = -F_ts/2 - ln o_ts - ln(2 pi), so that\n"
"                       ln k = ln(o_a/(2 pi o_s)) + (F_a - F_s)/2 - (E_s - E_a)/T\n"
"                       (harmonic transition-state theory; F = sum ln omega^2).\n"
"                       Time is in the unit of 1/omega: for Lennard-Jones\n"
"                       (m sigma^2/eps)^(1/2); no hidden factors.\n"
"  --states FILE --transitions FILE\n"
"                       the plain CSV form: 'id,energy,entropy' (ids any\n"
"                       distinct integers) and 'a,b,energy,entropy' of each\n"
"                       transition state; optional header, '#' comments; a\n"
"                       comment '# valid-temperature: T' (lattice-network\n"
"                       with a B that depends on T) makes every other\n"
"                       temperature an error: the files are right at T only\n"
"  --A SET, --B SET     1,2,5 (database ids: PATHSAMPLE 1-based) or @FILE (the\n"
"                       min.A form: the number of ids, then the ids); override\n"
"                       DIR/min.A, DIR/min.B.  PATHSAMPLE's A <- B is 'from B\n"
"                       to A'\n"
"\n"
"bookkeeping: several transition states between one pair add (in logs); one\n"
"with a == b is dropped and counted; the network is the connected component\n"
"holding A (its lowest minimum) or, without A, the global minimum; A and B\n"
"are intersected with it and the ids left out are listed (a set left empty\n"
"is an error).  Minima that look like duplicates (E within 1e-9 relative and\n"
"the same moments of inertia within 1e-6) or outliers (-F/2, or S in the CSV\n"
"form, more than 20 from the median over their neighbours: LJ38-4k's minimum\n"
"2020) are warned about and kept.  An error in a file names the file and\n"
"the line.\n"
"\n"
"  --temperature T      k_B T in the database's energy unit (> 0): ln Z =\n"
"                       ln sum exp(-E/T - F/2 - ln o) (CSV: exp(S - E/T)), the\n"
"                       configurational mean energy and heat capacity\n"
"                       Var(E)/T^2, the populations of A and B with their logs\n"
"                       (exact in logs: weights far below 1e-300 are fine)\n"
"  --modes K            add K classical harmonic modes (K k_B) to the heat\n"
"                       capacity (default 0: the configurational part only)\n"
"\n");
    fprintf(fp,
"kinetics at --temperature T (time in the unit above):\n"
"  passage              with both sets, B -> A (PATHSAMPLE's A<-B) and A -> B:\n"
"                       the MFPT from local equilibrium in the source set with\n"
"                       the target absorbing, k_F = 1/MFPT, k_NSS = sum_a\n"
"                       (p_a/P_source)/T_a (T_a the MFPT from minimum a, the\n"
"                       other source minima not absorbing), k_SS = reactive\n"
"                       flux / P_source; each with its ln (values beyond the\n"
"                       double range are null, their ln is given)\n"
"  --passage-method NAME graph-transformation (default: in log space, any\n"
"                       temperature whose ln weights and rates stay within\n"
"                       +-7e11 (hl_xf's exponent; LJ38: T >= 1e-10), a few\n"
"                       ulps) or sparse-direct (double\n"
"                       precision Cholesky: a check where weights fit a double)\n"
"  --count K            the K slowest relaxation rates, 0 first (default 6),\n"
"                       and their ln, right in relative terms however small:\n"
"                       the double eigensolver (dense / shift-invert) where it\n"
"                       resolves a rate to 1e-12, else the log-space method\n"
"                       (the pencil reduced onto the bottoms of the slowest\n"
"                       basins by the graph transformation, exact by inertia);\n"
"                       a rate beyond the double range is null, its ln given\n"
"  --committor FILE     CSV: q = P(reach B before A) per network minimum, and\n"
"                       1 - q, each computed directly, with their logs\n"
"                       ('-': stdout)\n"
"  --json               machine-readable output on stdout\n"
CLI_THREADS_HELP
"  --help               this text\n");
    cli_dg_help(fp);
    cli_network_extra_help(fp);
}

static void json_num(const char *key, double v)
{
    printf(", \"%s\": ", key);
    hl_json_number(stdout, v);
}

static void json_ids(const long *v, size_t n)
{
    printf("[");
    for (size_t i = 0; i < n; i++)
        printf("%s%ld", i ? ", " : "", v[i]);
    printf("]");
}

typedef struct {
    const hl_network *net;
    hl_network_info info;
    const char *form, *p1, *p2, *spec[2];
    int have_T;
    double T, modes;
    hl_network_thermo th;
    cli_dg dg;
    cli_network_extra x; /* --paths, --regroup, --evolve (network_cli.h) */
    const cli_netpass *kin; /* kinetics at T (NULL without T) */
} report_t;

static void print_json(const report_t *r)
{
    const hl_network_info *in = &r->info;
    cli_json_begin(stdout, CMD);
    printf(", \"input\": {\"form\": ");
    hl_json_string(stdout, r->form);
    printf(", \"%s\": ", in->pathsample ? "min" : "states");
    hl_json_string(stdout, r->p1);
    printf(", \"%s\": ", in->pathsample ? "ts" : "transitions");
    hl_json_string(stdout, r->p2);
    for (int w = 0; w < 2; w++) {
        printf(", \"%c\": ", "AB"[w]);
        if (r->spec[w])
            hl_json_string(stdout, r->spec[w]);
        else
            printf("null");
    }
    printf("}");
    printf(", \"time_unit\": ");
    hl_json_string(stdout, in->pathsample
                               ? "1/omega of the database (F = sum ln omega^2); Lennard-Jones: "
                                 "(m sigma^2/eps)^(1/2)"
                               : "the unit of the rates exp(S_ts - E_ts/T - S_a + E_a/T)");
    json_num("valid_temperature", in->valid_temperature); /* null: any T */
    printf(", \"minima\": %ld, \"transition_states\": %ld, \"network_minima\": %ld, "
           "\"network_transition_states\": %ld, \"network_pairs\": %ld, \"components\": %ld, "
           "\"isolated_minima\": %ld, \"network_root\": %ld",
           in->minima, in->transition_states, in->network_minima, in->network_ts,
           in->network_pairs, in->components, in->isolated, in->root_id);
    printf(", \"dropped\": {\"components\": %ld, \"minima\": %ld, \"degenerate_ts\": %ld",
           in->dropped_components, in->dropped_minima, in->degenerate_ts);
    for (int w = 0; w < 2; w++) {
        const long *ids;
        size_t n;
        hl_network_dropped(r->net, w, &ids, &n);
        printf(", \"%c\": ", "AB"[w]);
        if (in->n_set_given[w])
            json_ids(ids, n);
        else
            printf("null");
    }
    printf("}, \"sets\": {");
    for (int w = 0; w < 2; w++) {
        printf("%s\"%c\": ", w ? ", " : "", "AB"[w]);
        if (!in->n_set_given[w]) {
            printf("null");
            continue;
        }
        printf("{\"given\": %ld, \"in_network\": %ld, \"ids\": [", in->n_set_given[w],
               in->n_set[w]);
        const long *st;
        size_t n;
        hl_network_set_states(r->net, w, &st, &n);
        for (size_t i = 0; i < n; i++) {
            long id = 0;
            hl_network_id(r->net, st[i], &id);
            printf("%s%ld", i ? ", " : "", id);
        }
        printf("]}");
    }
    printf("}");
    const hl_network_thermo *t = &r->th;
    double nan = NAN;
    json_num("temperature", r->have_T ? r->T : nan);
    json_num("modes", r->modes);
    json_num("ln_Z", r->have_T ? t->ln_Z : nan);
    json_num("mean_energy", r->have_T ? t->mean_energy : nan);
    json_num("heat_capacity", r->have_T ? t->heat_capacity : nan);
    json_num("ln_heat_capacity_configurational", r->have_T ? t->ln_heat_capacity_conf : nan);
    for (int lg = 0; lg < 2; lg++) {
        printf(", \"%s\": {", lg ? "ln_populations" : "populations");
        for (int w = 0; w < 2; w++) {
            printf("%s\"%c\": ", w ? ", " : "", "AB"[w]);
            hl_json_number(stdout, r->have_T ? (lg ? t->ln_pop[w] : t->pop[w]) : nan);
        }
        printf("}");
    }
    cli_dg_json(&r->dg);
    const hl_network_warning *wv;
    size_t nw = hl_network_warnings(r->net, &wv);
    printf(", \"warnings\": [");
    for (size_t i = 0; i < nw; i++) {
        printf("%s{\"kind\": \"%s\", \"id\": %ld, \"%s\": %ld", i ? ", " : "",
               wv[i].kind == HL_NETWORK_WARN_DUPLICATE ? "duplicate" : "outlier", wv[i].id,
               wv[i].kind == HL_NETWORK_WARN_DUPLICATE ? "duplicate_of" : "neighbours",
               wv[i].other);
        json_num(wv[i].kind == HL_NETWORK_WARN_DUPLICATE ? "energy_difference"
                                                         : "deviation",
                 wv[i].value);
        printf(", \"text\": ");
        hl_json_string(stdout, wv[i].text);
        printf("}");
    }
    printf("]");
    cli_network_extra_json(&r->x);
    if (r->kin)
        cli_netpass_json(r->kin);
    else
        printf(", \"passage\": null, \"passage_null_reason\": \"no --temperature\", "
               "\"rates\": null, \"ln_rates\": null");
    printf("}\n");
}

static void text_ids(const long *v, size_t n)
{
    for (size_t i = 0; i < n && i < TEXT_IDS; i++)
        printf("%s%ld", i ? "," : " ", v[i]);
    if (n > TEXT_IDS)
        printf(" ... (%zu in all; --json lists them)", n);
}

static void print_text(const report_t *r)
{
    const hl_network_info *in = &r->info;
    const char *mn = in->pathsample ? "minima" : "states";
    printf("%s network: %ld %s, %ld transition states (%ld with a == b dropped)\n", r->form,
           in->minima, mn, in->transition_states, in->degenerate_ts);
    printf("  %ld component%s (%ld isolated %s); the network is the component of %ld: %ld %s, "
           "%ld transition states joining %ld pairs\n",
           in->components, in->components == 1 ? "" : "s", in->isolated, mn, in->root_id,
           in->network_minima, mn, in->network_ts,
           in->network_pairs);
    printf("  dropped: %ld components, %ld %s\n", in->dropped_components, in->dropped_minima, mn);
    if (!isnan(in->valid_temperature))
        printf("  right at T = %.17g only (the files' '# valid-temperature'; other temperatures "
               "are refused)\n", in->valid_temperature);
    for (int w = 0; w < 2; w++) {
        if (!in->n_set_given[w])
            continue;
        const long *ids;
        size_t n;
        hl_network_dropped(r->net, w, &ids, &n);
        printf("  set %c: %ld given, %ld in the network", "AB"[w], in->n_set_given[w],
               in->n_set[w]);
        if (n) {
            printf("; not in it:");
            text_ids(ids, n);
        }
        printf("\n");
    }
    if (r->have_T) {
        const hl_network_thermo *t = &r->th;
        printf("at T = %s: ln Z = %s, <E> = %s, heat capacity = %s k_B", cli_num("%g", r->T),
               cli_num("%.12g", t->ln_Z), cli_num("%.12g", t->mean_energy),
               cli_num("%.10g", t->heat_capacity));
        if (r->modes > 0)
            printf(" (%s of it from the modes)", cli_num("%g", r->modes));
        printf("\n");
        for (int w = 0; w < 2; w++)
            if (in->n_set_given[w])
                printf("  P_%c = %s (ln P_%c = %s)\n", "AB"[w], cli_num("%.10g", t->pop[w]),
                       "AB"[w], cli_num("%.12g", t->ln_pop[w]));
    }
    const hl_network_warning *wv;
    size_t nw = hl_network_warnings(r->net, &wv);
    for (size_t i = 0; i < nw && i < TEXT_IDS; i++)
        printf("warning: %s\n", wv[i].text);
    if (nw > TEXT_IDS)
        printf("warning: ... %zu warnings in all (--json lists them)\n", nw);
    cli_dg_text(&r->dg);
    cli_network_extra_text(&r->x);
    if (r->kin)
        cli_netpass_text(r->kin);
}

int cmd_network(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_NETWORK_INPUT_OPTIONS,                  {"temperature", required_argument, 0, 'T'},
        {"modes", required_argument, 0, 'k'},       {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'},              CLI_THREADS_OPTION,
        {"count", required_argument, 0, 'K'},       {"committor", required_argument, 0, 'C'},
        {"passage-method", required_argument, 0, 'P'},
        CLI_DG_OPTIONS,                             CLI_NETWORK_EXTRA_OPTIONS,
        {0, 0, 0, 0}};
    cli_network_input in;
    memset(&in, 0, sizeof in);
    report_t r;
    memset(&r, 0, sizeof r);
    int json = 0, c, st;
    long count = CLI_NETPASS_COUNT;
    const char *committor = NULL, *pmethod = NULL;
    cli_netpass kin;
    memset(&kin, 0, sizeof kin);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'T':
            if (!cli_parse_double(CMD, "--temperature", optarg, &r.T))
                return EXIT_USAGE;
            if (!(r.T > 0)) {
                cli_error(CMD, "--temperature %s must be positive", cli_clip(optarg));
                return EXIT_USAGE;
            }
            r.have_T = 1;
            break;
        case 'k':
            if (!cli_parse_double(CMD, "--modes", optarg, &r.modes))
                return EXIT_USAGE;
            if (!(r.modes >= 0)) {
                cli_error(CMD, "--modes %s must be >= 0", cli_clip(optarg));
                return EXIT_USAGE;
            }
            break;
        case 'j': json = 1; break;
        case 'K':
            if (!cli_parse_long(CMD, "--count", optarg, &count))
                return EXIT_USAGE;
            if (count < 1 || count > 1000) {
                cli_error(CMD, "--count %s must be in 1..1000", cli_clip(optarg));
                return EXIT_USAGE;
            }
            break;
        case 'C': committor = optarg; break;
        case 'P':
            /* checked here, as mfpt --method: without sets the passage is
             * not computed and a wrong name went unnoticed (exit 0), with
             * sets it failed after the database was read (exit 1) */
            if (strcmp(optarg, "graph-transformation") && strcmp(optarg, "sparse-direct")) {
                cli_error(CMD, "--passage-method: '%s' is not graph-transformation or "
                               "sparse-direct", cli_clip(optarg));
                return EXIT_USAGE;
            }
            pmethod = optarg;
            break;
        case 'h': help(stdout); return EXIT_OK;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: {
            if (cli_network_input_option(&in, c, optarg))
                break;
            int t = cli_dg_option(CMD, &r.dg, c, optarg);
            if (t == 0)
                return EXIT_USAGE;
            if (t > 0)
                break;
            int e = cli_network_extra_option(CMD, &r.x, c, optarg, argc, argv);
            if (e < 0)
                return EXIT_USAGE;
            if (e == 0)
                return cli_bad_option(CMD, c, argv);
        }
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if ((st = cli_network_input_check(CMD, &in)) != EXIT_OK)
        return st;
    if (committor && !r.have_T) {
        cli_error(CMD, "--committor needs --temperature");
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    if ((st = cli_dg_declare(CMD, &r.dg)) != EXIT_OK)
        return st;
    int xrc = cli_network_extra_declare(CMD, &r.x, r.have_T);
    if (xrc != EXIT_OK)
        return xrc;
    if ((st = cli_netpass_declare(CMD, committor)) != EXIT_OK)
        return st;
    int rc = EXIT_FAIL;
    hl_network *net = NULL;
    if ((rc = cli_network_input_load(CMD, &in, &net)) != EXIT_OK)
        goto done;
    rc = EXIT_FAIL;
    r.form = in.form;
    r.p1 = in.p1;
    r.p2 = in.p2;
    r.spec[0] = in.spec[0];
    r.spec[1] = in.spec[1];
    if ((st = hl_network_get_info(net, &r.info)) != HL_OK) {
        cli_lib_error(CMD, st);
        goto done;
    }
    r.net = net;
    if (r.have_T && (st = hl_network_thermodynamics(net, r.T, r.modes, &r.th)) != HL_OK) {
        cli_lib_error(CMD, st);
        goto done;
    }
    if ((rc = cli_dg_run(CMD, &r.dg, net, in.db ? in.db : r.p1, r.spec[0], r.spec[1])) != EXIT_OK)
        goto done;
    if (r.have_T) {
        if (committor && !(r.info.n_set[0] && r.info.n_set[1])) {
            cli_error(CMD, "--committor needs both sets A and B");
            rc = EXIT_FAIL;
            goto done;
        }
        if ((st = cli_netpass_run(CMD, net, r.T, (int)count, pmethod, committor, r.spec[0],
                                  r.spec[1], &kin)) != EXIT_OK) {
            rc = st;
            goto done;
        }
        r.kin = &kin;
    }
    rc = EXIT_FAIL;
    if (!cli_network_extra_run(CMD, &r.x, net, r.have_T, r.T))
        goto done;
    if (json)
        print_json(&r);
    else
        print_text(&r);
    rc = EXIT_OK;
done:
    cli_dg_free(&r.dg);
    cli_network_extra_free(&r.x);
    cli_netpass_free(&kin);
    hl_network_free(net);
    /* db_paths stay: the provenance records them until the program ends */
    return rc;
}
