/* SPDX-License-Identifier: GPL-3.0-or-later */
/* memory_cli.c -- the system options shared by `kovacs` and `ageing`
 * (memory_cli.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "memory_cli.h"
#include "glass_blocks.h"
#include "memlimit.h"

void cli_memsys_init(cli_memsys *ms)
{
    memset(ms, 0, sizeof *ms);
    ms->liquid = -1;
    ms->per_decade = 10;
}

static int memsys_option(const char *cmd, cli_memsys *ms, int c, const char *arg)
{
    switch (c) {
    case CLI_MEM_DIM:
        if (!cli_parse_long(cmd, "--dim", arg, &ms->D))
            return -1;
        ms->have_dim = 1;
        return 1;
    case CLI_MEM_PHI: ms->phi = arg; return 1;
    case CLI_MEM_TRANS: ms->trans = arg; return 1;
    case CLI_MEM_LIQUID: ms->liquid_arg = arg; return 1;
    case CLI_MEM_START:
        if (!strcmp(arg, "liquid"))
            ms->start = HL_MEMORY_START_BASIN;
        else if (!strcmp(arg, "equilibrium"))
            ms->start = HL_MEMORY_START_EQUILIBRIUM;
        else {
            cli_error(cmd, "--start must be equilibrium or liquid (got '%s')", cli_clip(arg));
            return -1;
        }
        return 1;
    case CLI_MEM_RTOL:
        if (!cli_parse_double(cmd, "--rtol", arg, &ms->rtol))
            return -1;
        if (!(ms->rtol >= 1e-14 && ms->rtol <= 1e-4)) {
            cli_error(cmd, "--rtol must be in [1e-14, 1e-4] (got %s)", cli_clip(arg));
            return -1;
        }
        return 1;
    case CLI_MEM_PER_DECADE:
        if (!cli_parse_long(cmd, "--per-decade", arg, &ms->per_decade))
            return -1;
        if (ms->per_decade < 1 || ms->per_decade > 100) {
            cli_error(cmd, "--per-decade must be in 1..100 (got %s)", cli_clip(arg));
            return -1;
        }
        return 1;
    default: {
        int bk = cli_blocks_option(cmd, c, arg, &ms->bo);
        if (!bk)
            bk = cli_max_memory_handle(cmd, c, arg);
        if (bk)
            return bk;
        return cli_network_input_option(&ms->in, c, arg) ? 1 : 0;
    }
    }
}

int cli_memsys_option(const char *cmd, cli_memsys *ms, int c, const char *arg, char **argv)
{
    if (c == CLI_OPT_THREADS)
        return cli_parse_threads(cmd, arg) ? EXIT_OK : EXIT_USAGE;
    int t = memsys_option(cmd, ms, c, arg);
    return t > 0 ? EXIT_OK : t < 0 ? EXIT_USAGE : cli_bad_option(cmd, c, argv);
}

int cli_memsys_check(const char *cmd, cli_memsys *ms)
{
    int net = cli_network_input_given(&ms->in);
    if (ms->bo.k) {
        if (net) {
            cli_error(cmd, "--blocks / --block-sizes are for the model, not a network");
            return EXIT_USAGE;
        }
        if (ms->in.spec[0] || ms->in.spec[1]) {
            cli_error(cmd, "--A and --B are for a network, not the model");
            return EXIT_USAGE;
        }
        return EXIT_OK; /* the dimension: cli_blocks_model */
    }
    if (ms->liquid_arg) {
        if (!strcmp(ms->liquid_arg, "A"))
            ms->liquid = HL_NETWORK_A;
        else if (!strcmp(ms->liquid_arg, "B"))
            ms->liquid = HL_NETWORK_B;
        else {
            cli_error(cmd, "--liquid must be A or B (got '%s')", cli_clip(ms->liquid_arg));
            return EXIT_USAGE;
        }
    }
    if (net == ms->have_dim) {
        cli_error(cmd, "give one system: --dim D (the model) or a network (--db DIR, ...)");
        return EXIT_USAGE;
    }
    if (net) {
        if (ms->phi || ms->trans) {
            cli_error(cmd, "--phi and --transmission are for the model (--dim), not a network");
            return EXIT_USAGE;
        }
        return cli_network_input_check(cmd, &ms->in);
    }
    if (ms->liquid >= 0 || ms->in.spec[0] || ms->in.spec[1]) {
        cli_error(cmd, "--liquid, --A and --B are for a network, not the model");
        return EXIT_USAGE;
    }
    if (hl_check_dim(ms->D) != HL_OK) {
        cli_error(cmd, "%s", hl_errmsg());
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cli_memsys_build(const char *cmd, cli_memsys *ms)
{
    int st;
    if (ms->bo.k) {
        ms->a_name = "phi";
        if (!cli_blocks_spec_ok(cmd, "--liquid", ms->liquid_arg, &ms->bo))
            return EXIT_USAGE;
        if (!(ms->b = cli_blocks_model(cmd, &ms->bo, ms->have_dim ? ms->D : 0, ms->phi, ms->trans)))
            return cli_blocks_status();
        if (!cli_blocks_classes_ok(cmd, ms->b, HL_BLOCKS_EXACT_MAX_CLASSES, "the exact sums over classes") ||
            !cli_blocks_memory_ok(cmd, ms->b, CLI_MEM_FACTOR, 4, "the class-lattice chain"))
            return EXIT_USAGE;
        ms->D = hl_blocks_dim(ms->b);
        if (!ms->liquid_arg)
            ms->liquid_arg = "liquid";
        long *set = NULL;
        size_t ns = 0;
        double *phi = NULL;
        if (!cli_glass_blocks_chain(cmd, ms->b, ms->t_basin, ms->liquid_arg, &ms->bch, &set, &ns,
                                    &phi))
            return EXIT_FAIL;
        st = hl_memsys_create_chain(ms->bch, phi, set, ns, ms->rtol, &ms->sys);
        free(set);
        free(phi);
        return st ? cli_lib_error(cmd, st) : EXIT_OK;
    }
    if (!cli_network_input_given(&ms->in)) {
        ms->a_name = "phi";
        if (!(ms->m = cli_model(cmd, ms->phi, ms->trans)))
            return EXIT_FAIL;
        if ((st = hl_memsys_create_model(ms->m, ms->D, ms->rtol, &ms->sys)) != HL_OK)
            return cli_lib_error(cmd, st);
        return EXIT_OK;
    }
    ms->network = 1;
    ms->a_name = "E";
    int lrc = cli_network_input_load(cmd, &ms->in, &ms->net);
    if (lrc != EXIT_OK)
        return lrc;
    hl_network_info info;
    if ((st = hl_network_get_info(ms->net, &info)) != HL_OK)
        return cli_lib_error(cmd, st);
    const long *set = NULL;
    size_t ns = 0;
    if (ms->liquid >= 0) {
        if ((st = hl_network_set_states(ms->net, ms->liquid, &set, &ns)) != HL_OK)
            return cli_lib_error(cmd, st);
        if (!ns) {
            cli_error(cmd, "--liquid %s: the set is not given (--%s SET or DIR/min.%s)",
                      ms->liquid ? "B" : "A", ms->liquid ? "B" : "A", ms->liquid ? "B" : "A");
            return EXIT_FAIL;
        }
    }
    double *E = malloc(sizeof(double) * (size_t)info.network_minima);
    if (!E) {
        cli_error(cmd, "out of memory");
        return EXIT_FAIL;
    }
    st = hl_network_energies(ms->net, E);
    if (!st)
        st = hl_memsys_create_chain(hl_network_chain(ms->net), E, set, ns, ms->rtol, &ms->sys);
    free(E);
    if (st)
        return cli_lib_error(cmd, st);
    return EXIT_OK;
}

void cli_memsys_free(cli_memsys *ms)
{
    hl_memsys_free(ms->sys);
    hl_network_free(ms->net);
    hl_model_free(ms->m);
    hl_chain_free(ms->bch);
    hl_blocks_free(ms->b);
    ms->bch = NULL;
    ms->b = NULL;
    ms->sys = NULL;
    ms->net = NULL;
    ms->m = NULL;
}

const char *cli_memsys_start_name(int start)
{
    return start == HL_MEMORY_START_BASIN ? "liquid" : "equilibrium";
}

void cli_memsys_describe(const cli_memsys *ms, char *buf, size_t n)
{
    if (ms->b) {
        char sz[300];
        size_t u = 0;
        sz[0] = 0;
        for (int i = 0; i < hl_blocks_k(ms->b) && u < sizeof sz; i++)
            u += (size_t)snprintf(sz + u, sizeof sz - u, "%s%ld", i ? "," : "",
                                  hl_blocks_size(ms->b, i));
        snprintf(buf, n, "the model of k blocks: D = %ld, blocks %s, phi = %s, B = %s; A = phi "
                         "per dimension; basin = '%s' at %s = %g (steepest ascent, fixed)",
                 ms->D, sz, hl_blocks_phi_formula(ms->b), hl_blocks_transmission_formula(ms->b),
                 ms->liquid_arg, ms->t_basin_name ? ms->t_basin_name : "T", ms->t_basin);
    } else if (!ms->network)
        snprintf(buf, n, "the model: D = %ld, phi = %s, B = %s; A = phi per dimension; basin = "
                         "the liquid basin of the current T",
                 ms->D, hl_model_phi_formula(ms->m), hl_model_transmission_formula(ms->m));
    else
        snprintf(buf, n, "the network %s (%s, %ld states); A = E of the minimum; basin = %s",
                 cli_clip(ms->in.db ? ms->in.db : ms->in.p1), ms->in.form,
                 hl_memsys_states(ms->sys),
                 ms->liquid < 0 ? "none" : ms->liquid ? "set B" : "set A");
}

void cli_memsys_json(const cli_memsys *ms)
{
    if (ms->b) {
        printf(", \"system\": \"model\"");
        cli_blocks_json(stdout, ms->b);
        printf(", \"observable\": \"phi\", \"basin\": ");
        hl_json_string(stdout, ms->liquid_arg);
        printf(", \"basin_T\": %.17g, \"basin_fixed\": \"the steepest-ascent basin at %s, "
               "fixed for every T\"",
               ms->t_basin, ms->t_basin_name ? ms->t_basin_name : "T");
    } else if (!ms->network) {
        printf(", \"system\": \"model\", \"phi\": ");
        hl_json_string(stdout, hl_model_phi_formula(ms->m));
        printf(", \"transmission\": ");
        hl_json_string(stdout, hl_model_transmission_formula(ms->m));
        printf(", \"dim\": %ld, \"observable\": \"phi\", \"basin\": \"liquid\"", ms->D);
    } else {
        printf(", \"system\": \"network\", \"input\": ");
        hl_json_string(stdout, ms->in.db ? ms->in.db : ms->in.p1);
        printf(", \"form\": \"%s\", \"observable\": \"E\", \"basin\": ", ms->in.form);
        if (ms->liquid < 0)
            printf("null");
        else
            printf("\"%s\"", ms->liquid ? "B" : "A");
    }
    printf(", \"start\": \"%s\", \"states\": %ld", cli_memsys_start_name(ms->start),
           hl_memsys_states(ms->sys));
}

double *cli_memsys_grid(const char *cmd, double lo, double hi, long per_decade, size_t *n)
{
    *n = 0;
    if (!(lo > 0) || !(hi > lo) || !isfinite(hi)) {
        cli_error(cmd, "the time range must have 0 < min < max, finite (got %g, %g)", lo, hi);
        return NULL;
    }
    double dec = log10(hi / lo);
    long m = (long)ceil(dec * (double)per_decade - 1e-9) + 1;
    if (m < 3 || m > 100000) {
        cli_error(cmd, "the time grid would have %ld times (3 .. 100000)", m);
        return NULL;
    }
    double *g = malloc(sizeof(double) * (size_t)m);
    if (!g) {
        cli_error(cmd, "out of memory");
        return NULL;
    }
    for (long k = 0; k < m; k++)
        g[k] = k == m - 1 ? hi : lo * pow(hi / lo, (double)k / (double)(m - 1));
    *n = (size_t)m;
    return g;
}
