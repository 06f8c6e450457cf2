/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_regroup.c -- `network --regroup FILE --threshold X`: the
 * free-energy groups (hl_network_regroup) and the rates between them, as
 * CSV, JSON and text. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "network_cli.h"

#define REGROUP_DEFINITION                                                                  \
    "G_I = -T ln sum_{a in I} exp(S_a - E_a/T); G_IJ = -T ln sum_{ts between I and J} "     \
    "exp(S_ts - E_ts/T); k(I->J) = sum_{a in I, b in J} M_a k(a->b) / sum_{a in I} M_a = "  \
    "exp(-(G_IJ - G_I)/T); barrier(I->J) = G_IJ - G_I; two groups merge when both "        \
    "barriers are <= threshold (PATHSAMPLE's REGROUPFREE test; an A group never with a B " \
    "group), pairs in increasing order of the larger barrier, passes repeated until none " \
    "merges"

static const char *set_name(int s) { return s == HL_NETWORK_A ? "A" : s == HL_NETWORK_B ? "B" : ""; }

static void params(FILE *fp, const hl_network_groups *g, const char *what)
{
    char buf[2048];
    snprintf(buf, sizeof buf,
             "%s; free-energy groups at T = %.17g, threshold = %.17g: %zu groups after %ld "
             "merging passes; %s; energies in the database's unit, rates in its time unit",
             what, g->T, g->threshold, g->n_groups, g->passes, REGROUP_DEFINITION);
    cli_csv_preamble(fp, buf);
}

int cli_network_regroup_csv(FILE *fp, void *vp)
{
    const cli_network_extra *x = vp;
    const hl_network_groups *g = x->groups;
    params(fp, g, "the groups (by increasing free energy); members: network ids");
    fprintf(fp, "group,minima,set,lowest_minimum,lowest_energy,free_energy,population,"
                "ln_population,members\n");
    for (size_t i = 0; i < g->n_groups; i++) {
        const hl_network_group *q = &g->group[i];
        fprintf(fp, "%zu,%zu,%s,%ld", i + 1, q->n_minima, set_name(q->set), q->lowest_id);
        hl_csv_number(fp, ",%.15g", q->lowest_energy);
        hl_csv_number(fp, ",%.15g", q->free_energy);
        double p = exp(q->ln_population);
        hl_csv_number(fp, ",%.15g", p >= 1e-308 ? p : NAN);
        hl_csv_number(fp, ",%.15g", q->ln_population);
        fprintf(fp, ",");
        for (size_t k = 0; k < q->n_minima; k++) {
            long id = 0;
            hl_network_id(x->net, q->states[k], &id);
            fprintf(fp, "%s%ld", k ? " " : "", id);
        }
        fprintf(fp, "\n");
    }
    return ferror(fp) ? -1 : 0;
}

int cli_network_regroup_rates_csv(FILE *fp, void *vp)
{
    const cli_network_extra *x = vp;
    const hl_network_groups *g = x->groups;
    params(fp, g, "the rates between the groups (both directions of every joined pair)");
    fprintf(fp, "from,to,rate,ln_rate,barrier,ts_free_energy,lowest_ts_energy\n");
    for (size_t e = 0; e < g->n_rates; e++) {
        const hl_network_group_rate *r = &g->rate[e];
        fprintf(fp, "%zu,%zu", r->from + 1, r->to + 1);
        double k = exp(r->ln_rate);
        hl_csv_number(fp, ",%.15g", k >= 1e-308 ? k : NAN);
        hl_csv_number(fp, ",%.15g", r->ln_rate);
        hl_csv_number(fp, ",%.15g", r->barrier);
        hl_csv_number(fp, ",%.15g", r->ts_free_energy);
        hl_csv_number(fp, ",%.15g", r->lowest_ts);
        fprintf(fp, "\n");
    }
    return ferror(fp) ? -1 : 0;
}

static void num(const char *key, double v)
{
    printf(", \"%s\": ", key);
    hl_json_number(stdout, v);
}

void cli_network_regroup_json(const hl_network_groups *g, const hl_network *net)
{
    printf(", \"regroup\": {\"temperature\": ");
    hl_json_number(stdout, g->T);
    num("threshold", g->threshold);
    printf(", \"passes\": %ld, \"definition\": ", g->passes);
    hl_json_string(stdout, REGROUP_DEFINITION);
    printf(", \"groups\": [");
    for (size_t i = 0; i < g->n_groups; i++) {
        const hl_network_group *q = &g->group[i];
        printf("%s{\"group\": %zu, \"minima\": %zu, \"set\": ", i ? ", " : "", i + 1,
               q->n_minima);
        if (q->set < 0)
            printf("null");
        else
            printf("\"%s\"", set_name(q->set));
        printf(", \"lowest_minimum\": %ld", q->lowest_id);
        num("lowest_energy", q->lowest_energy);
        num("free_energy", q->free_energy);
        double p = exp(q->ln_population);
        num("population", p >= 1e-308 ? p : NAN);
        num("ln_population", q->ln_population);
        printf(", \"members\": [");
        for (size_t k = 0; k < q->n_minima; k++) {
            long id = 0;
            hl_network_id(net, q->states[k], &id);
            printf("%s%ld", k ? ", " : "", id);
        }
        printf("]}");
    }
    printf("], \"rates\": [");
    for (size_t e = 0; e < g->n_rates; e++) {
        const hl_network_group_rate *r = &g->rate[e];
        printf("%s{\"from\": %zu, \"to\": %zu", e ? ", " : "", r->from + 1, r->to + 1);
        double k = exp(r->ln_rate);
        num("rate", k >= 1e-308 ? k : NAN);
        num("ln_rate", r->ln_rate);
        num("barrier", r->barrier);
        num("ts_free_energy", r->ts_free_energy);
        num("lowest_ts_energy", r->lowest_ts);
        printf("}");
    }
    printf("]}");
}

void cli_network_regroup_text(const hl_network_groups *g)
{
    printf("free-energy groups at T = %s, threshold %s: %zu groups (%ld merging passes)\n",
           cli_num("%g", g->T), cli_num("%g", g->threshold), g->n_groups, g->passes);
    printf("  %6s %7s %3s %10s %18s %14s\n", "group", "minima", "set", "lowest", "G = -T ln Z_I",
           "population");
    for (size_t i = 0; i < g->n_groups && i < 15; i++) {
        const hl_network_group *q = &g->group[i];
        printf("  %6zu %7zu %3s %10ld %18s %14s\n", i + 1, q->n_minima, set_name(q->set),
               q->lowest_id, cli_num("%18.10f", q->free_energy),
               cli_numx("%14.6g", exp(q->ln_population), "< 1e-308"));
    }
    if (g->n_groups > 15)
        printf("  ... (the CSV and --json list all %zu groups and %zu rates)\n", g->n_groups,
               g->n_rates);
}
