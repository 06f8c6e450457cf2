/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_paths.c -- `network --paths K FILE`: the K fastest paths from B
 * to A (hl_network_paths_find) as CSV, JSON and text. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "network_cli.h"

#define PATHS_DEFINITION                                                                    \
    "k_ss = (p_b/P_B) K_b prod P(i->j), P(i->j) = k(i->j)/K_i the branching probability, "  \
    "K_i the escape rate of minimum i, p_b/P_B the share of the B minimum b the path starts " \
    "from in P_B (PATHSAMPLE's DIJKSTRA/KSHORTESTPATHS contribution to k^SS A<-B); a path "  \
    "leaves B at its first step, does not return to B, and ends at the first A minimum; "    \
    "ranked by k_ss (Dijkstra on -ln P, then Yen's k shortest loopless paths)"

static void list_ids(FILE *fp, const hl_network_path *p, const char *sep)
{
    for (size_t i = 0; i < p->n_states; i++)
        fprintf(fp, "%s%ld", i ? sep : "", p->ids[i]);
}

int cli_network_paths_csv(FILE *fp, void *vp)
{
    const cli_network_extra *x = vp;
    const hl_network_paths *ps = x->paths;
    char params[2048];
    snprintf(params, sizeof params,
             "paths from B to A (PATHSAMPLE's A<-B) at T = %.17g, K = %ld requested, %zu found; "
             "%s; ln values are natural logs, k_ss empty where it is below 1e-308 (ln_k_ss "
             "keeps it); minima: database ids from the B minimum to the A minimum; "
             "ln_branching: ln P of each step; ts_energies: the lowest transition-state "
             "energy of each step",
             ps->T, x->paths_k, ps->n, PATHS_DEFINITION);
    cli_csv_preamble(fp, params);
    fprintf(fp, "rank,source,target,steps,k_ss,ln_k_ss,ln_product,ln_source_share,"
                "ln_escape_rate,highest_ts_energy,minima,ln_branching,ts_energies\n");
    for (size_t r = 0; r < ps->n; r++) {
        const hl_network_path *p = &ps->path[r];
        fprintf(fp, "%zu,%ld,%ld,%zu", r + 1, p->ids[0], p->ids[p->n_states - 1],
                p->n_states - 1);
        double k = exp(p->ln_k_ss);
        hl_csv_number(fp, ",%.15g", k >= 1e-308 ? k : NAN);
        hl_csv_number(fp, ",%.15g", p->ln_k_ss);
        hl_csv_number(fp, ",%.15g", p->ln_product);
        hl_csv_number(fp, ",%.15g", p->ln_source);
        hl_csv_number(fp, ",%.15g", p->ln_escape);
        hl_csv_number(fp, ",%.15g", p->highest_ts);
        fprintf(fp, ",");
        list_ids(fp, p, " ");
        fprintf(fp, ",");
        for (size_t i = 0; i + 1 < p->n_states; i++)
            hl_csv_number(fp, i ? " %.15g" : "%.15g", p->ln_branching[i]);
        fprintf(fp, ",");
        for (size_t i = 0; i + 1 < p->n_states; i++)
            hl_csv_number(fp, i ? " %.15g" : "%.15g", p->ts_energy[i]);
        fprintf(fp, "\n");
    }
    return ferror(fp) ? -1 : 0;
}

static void num(const char *key, double v)
{
    printf(", \"%s\": ", key);
    hl_json_number(stdout, v);
}

void cli_network_paths_json(const hl_network_paths *ps, long k)
{
    printf(", \"paths\": {\"temperature\": ");
    hl_json_number(stdout, ps->T);
    printf(", \"direction\": \"B to A (PATHSAMPLE's A<-B)\", \"requested\": %ld, \"found\": %zu",
           k, ps->n);
    printf(", \"definition\": ");
    hl_json_string(stdout, PATHS_DEFINITION);
    double s = exp(ps->ln_k_ss_sum);
    num("k_ss_sum", s >= 1e-308 ? s : NAN);
    num("ln_k_ss_sum", ps->ln_k_ss_sum);
    printf(", \"paths\": [");
    for (size_t r = 0; r < ps->n; r++) {
        const hl_network_path *p = &ps->path[r];
        printf("%s{\"rank\": %zu, \"minima\": [", r ? ", " : "", r + 1);
        list_ids(stdout, p, ", ");
        printf("], \"steps\": %zu", p->n_states - 1);
        double kk = exp(p->ln_k_ss);
        num("k_ss", kk >= 1e-308 ? kk : NAN);
        num("ln_k_ss", p->ln_k_ss);
        num("ln_product", p->ln_product);
        num("ln_source_share", p->ln_source);
        num("ln_escape_rate", p->ln_escape);
        num("highest_ts_energy", p->highest_ts);
        printf(", \"ln_branching\": [");
        for (size_t i = 0; i + 1 < p->n_states; i++) {
            printf("%s", i ? ", " : "");
            hl_json_number(stdout, p->ln_branching[i]);
        }
        printf("], \"ts_energies\": [");
        for (size_t i = 0; i + 1 < p->n_states; i++) {
            printf("%s", i ? ", " : "");
            hl_json_number(stdout, p->ts_energy[i]);
        }
        printf("]}");
    }
    printf("]}");
}

void cli_network_paths_text(const hl_network_paths *ps)
{
    printf("fastest paths from B to A at T = %s (k_ss = (p_b/P_B) K_b prod P, PATHSAMPLE's "
           "A<-B):\n",
           cli_num("%g", ps->T));
    printf("  %4s %16s %16s %6s  %s\n", "rank", "k_ss", "ln k_ss", "steps", "minima (B ... A)");
    for (size_t r = 0; r < ps->n && r < 20; r++) {
        const hl_network_path *p = &ps->path[r];
        double k = exp(p->ln_k_ss);
        printf("  %4zu %16s %16s %6zu  ", r + 1, cli_numx("%16.10g", k >= 1e-308 ? k : NAN, "(< 1e-308)"),
               cli_num("%16.10f", p->ln_k_ss), p->n_states - 1);
        size_t shown = p->n_states <= 16 ? p->n_states : 15;
        for (size_t i = 0; i < shown; i++)
            printf("%s%ld", i ? " " : "", p->ids[i]);
        if (shown < p->n_states)
            printf(" ... %ld", p->ids[p->n_states - 1]);
        printf("\n");
    }
    if (ps->n > 20)
        printf("  ... %zu paths in all (the CSV lists them)\n", ps->n);
    printf("  sum of these paths' k_ss: ln = %s\n", cli_num("%.10f", ps->ln_k_ss_sum));
}
