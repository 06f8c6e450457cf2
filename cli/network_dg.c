/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network_dg.c -- the disconnectivity graph of `hyperland network`: its
 * options, the tree as CSV and the figure drawn with gnuplot (network_dg.h;
 * the tree is built by the library, hl_network_disconnectivity). */
#include "network_dg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DG_LABEL_LINES 60 /* ids written under the lines up to this many */

void cli_dg_help(FILE *fp)
{
    fputs(
"\n"
"disconnectivity graph (Becker & Karplus 1997; Wales et al. 1998):\n"
"  --disconnectivity FILE.png   draw it: energy levels L_k = top - k delta on the\n"
"                       vertical axis (the database's energy unit); at each level the\n"
"                       minima below it fall into superbasins joined by transition\n"
"                       states below it (a TS counts at max(E_ts, E_a, E_b)); a line\n"
"                       per superbasin, merging where the lowest TS joins them, and\n"
"                       each line that ends going down to its lowest minimum.  Lines\n"
"                       coloured by the sets they hold (below); branches are\n"
"                       ordered with the lowest in the middle and never cross; the\n"
"                       ids of the minima are written under the lines when there are\n"
"                       at most 60.  The caption states the levels and any pruning.\n"
"  --disconnectivity-data FILE.csv   the tree as data, one row per superbasin:\n"
"                       node,level,energy,parent,n_minima,lowest_id,lowest_energy,\n"
"                       n_A,n_B,shown,terminal,x (parent -1 at the top; x the\n"
"                       drawing's position, empty when pruned)\n"
"  --dg-levels N        number of levels, 2..100000 (default 40)\n"
"  --dg-delta E         level spacing (default: from the levels: (e_merge - e_min)/\n"
"                       (N - 1), e_merge the energy where the whole network is one\n"
"                       superbasin; with --dg-delta alone: every level down to the\n"
"                       lowest minimum)\n"
"  --dg-top E           energy of the top level (default e_merge + delta/2); a top\n"
"                       below e_merge gives several trees\n"
"  --dg-min-count K     hide the branches whose superbasin holds fewer than K minima\n"
"                       (default 1: none); a line then ends at the lowest minimum\n"
"                       of its superbasin\n"
"  --dg-lowest N        show only the branches holding one of the N lowest minima\n"
"                       (with --dg-min-count K: also those of at least K minima)\n"
"  colours: a line is red when its superbasin holds minima of A and none of B,\n"
"  blue for B and not A, purple for both, grey for neither.\n",
          fp);
}

int cli_dg_option(const char *cmd, cli_dg *d, int c, const char *arg)
{
    long v;
    switch (c) {
    case CLI_OPT_DG_PNG: d->png = arg; return 1;
    case CLI_OPT_DG_DATA: d->csv = arg; return 1;
    case CLI_OPT_DG_LEVELS:
        if (!cli_parse_long(cmd, "--dg-levels", arg, &v))
            return 0;
        if (v < 2 || v > 100000) {
            cli_error(cmd, "--dg-levels %s must be 2 .. 100000", cli_clip(arg));
            return 0;
        }
        d->opt.levels = (int)v;
        d->given = 1;
        return 1;
    case CLI_OPT_DG_DELTA:
        if (!cli_parse_double(cmd, "--dg-delta", arg, &d->opt.delta))
            return 0;
        if (!(d->opt.delta > 0)) {
            cli_error(cmd, "--dg-delta %s must be positive", cli_clip(arg));
            return 0;
        }
        d->given = 1;
        return 1;
    case CLI_OPT_DG_TOP:
        if (!cli_parse_double(cmd, "--dg-top", arg, &d->opt.top))
            return 0;
        d->opt.have_top = 1;
        d->given = 1;
        return 1;
    case CLI_OPT_DG_MIN_COUNT:
        if (!cli_parse_long(cmd, "--dg-min-count", arg, &v))
            return 0;
        if (v < 1) {
            cli_error(cmd, "--dg-min-count %s must be at least 1", cli_clip(arg));
            return 0;
        }
        d->opt.min_count = v;
        d->given = 1;
        return 1;
    case CLI_OPT_DG_LOWEST:
        if (!cli_parse_long(cmd, "--dg-lowest", arg, &v))
            return 0;
        if (v < 1) {
            cli_error(cmd, "--dg-lowest %s must be at least 1", cli_clip(arg));
            return 0;
        }
        d->opt.lowest_count = v;
        d->given = 1;
        return 1;
    default: return -1;
    }
}

int cli_dg_declare(const char *cmd, cli_dg *d)
{
    if (d->given && !d->png && !d->csv) {
        cli_error(cmd, "--dg-levels, --dg-delta, --dg-top, --dg-min-count and --dg-lowest go with "
                       "--disconnectivity or --disconnectivity-data");
        return EXIT_USAGE;
    }
    if ((d->png && !cli_output_declare(cmd, "--disconnectivity", d->png, 1)) ||
        (d->csv && !cli_output_declare(cmd, "--disconnectivity-data", d->csv, 0)))
        return cli_outputs_status();
    return EXIT_OK;
}

/* ------------------------------------------------------------ CSV */

typedef struct {
    const cli_dg *d;
    const hl_network *net;
} dg_ctx;

static int write_csv(FILE *fp, void *vctx)
{
    const dg_ctx *c = vctx;
    const hl_dgraph_info *in = &c->d->info;
    char params[512];
    snprintf(params, sizeof params,
             "disconnectivity graph: %d levels L_k = top - k delta, top = %.17g, delta = %.17g; "
             "e_min = %.17g, e_merge = %.17g; min_count = %ld; %ld lines",
             in->levels, in->top, in->delta, in->e_min, in->e_merge, in->min_count, in->lines);
    cli_csv_preamble(fp, params);
    fprintf(fp, "node,level,energy,parent,n_minima,lowest_id,lowest_energy,n_A,n_B,shown,"
                "terminal,x\n");
    long nn;
    const hl_dgraph_node *v = hl_dgraph_nodes(c->d->g, &nn);
    for (long i = 0; i < nn; i++) {
        long id = 0;
        hl_network_id(c->net, v[i].lowest, &id);
        fprintf(fp, "%ld,%d", i, v[i].level);
        hl_csv_number(fp, ",%.17g", v[i].energy);
        fprintf(fp, ",%ld,%ld,%ld", v[i].parent, v[i].n_minima, id);
        hl_csv_number(fp, ",%.17g", v[i].lowest_energy);
        fprintf(fp, ",%ld,%ld,%d,%d", v[i].n_a, v[i].n_b, v[i].shown, v[i].terminal);
        hl_csv_number(fp, ",%.10g", v[i].x);
        fprintf(fp, "\n");
    }
    return ferror(fp) ? 1 : 0;
}

/* ------------------------------------------------------------ figure */

typedef cli_strbuf dg_buf;

/* The colour class of a line: 0 neither set, 1 A (no B), 2 B (no A), 3 both */
static int colour_of(const hl_dgraph_node *v)
{
    return (v->n_a > 0) | (v->n_b > 0) << 1;
}

/* A set's name in the legend: how it was given, shortened. */
static void set_label(char *out, size_t cap, char which, const char *spec, long n)
{
    const char *s = spec;
    if (s && s[0] == '@')
        s++;
    const char *slash = s ? strrchr(s, '/') : NULL;
    if (slash && slash[1])
        s = slash + 1; /* min.A rather than a long path */
    char shown[32];
    snprintf(shown, sizeof shown, "%s", s ? s : "");
    if (s && strlen(s) > 24)
        memcpy(shown + 21, "...", 4);
    snprintf(out, cap, "holds %c (%s%s%ld minim%s), not %c", which, shown, *shown ? ": " : "",
             n, n == 1 ? "um" : "a", which == 'A' ? 'B' : 'A');
    /* gnuplot strings in single quotes: a quote would end it */
    for (char *p = out; *p; p++)
        if (*p == '\'')
            *p = '"';
}

/* The lines as polylines, one datablock per colour: from each terminal
 * node's minimum, or from each branching node, up through the nodes with a
 * single shown child of the same colour to the next branching node (one
 * continuous line: no joints at every level). */
static void polylines(dg_buf *s, const hl_dgraph_node *v, long nn, const long *nch, int col,
                      int *have, double *ylo)
{
    cli_strbuf_printf(s, "$S%d << EOD\n", col);
    for (long i = 0; i < nn; i++) {
        if (!v[i].shown || colour_of(&v[i]) != col || (!v[i].terminal && nch[i] < 2))
            continue;
        if (v[i].parent < 0 && !v[i].terminal)
            continue; /* a branching root: nothing above it */
        if (v[i].terminal) {
            cli_strbuf_printf(s, "%.10g %.12g\n", v[i].x, v[i].lowest_energy);
            *ylo = fmin(*ylo, v[i].lowest_energy);
        }
        cli_strbuf_printf(s, "%.10g %.12g\n", v[i].x, v[i].energy);
        long u = i;
        while (v[u].parent >= 0) {
            long p = v[u].parent;
            cli_strbuf_printf(s, "%.10g %.12g\n", v[p].x, v[p].energy);
            if (nch[p] != 1 || colour_of(&v[p]) != col)
                break;
            u = p;
        }
        cli_strbuf_printf(s, "\n");
        have[col] = 1;
    }
    cli_strbuf_printf(s, "EOD\n");
}

static int draw(const char *cmd, const cli_dg *d, const hl_network *net, const char *title,
                const char *spec_a, const char *spec_b)
{
    const hl_dgraph_info *in = &d->info;
    long nn;
    const hl_dgraph_node *v = hl_dgraph_nodes(d->g, &nn);
    hl_network_info ni;
    hl_network_get_info(net, &ni);
    const char *tp = cli_output_temp(cmd, d->png);
    if (!tp)
        return 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", tp);
    long *nch = calloc((size_t)nn + 1, sizeof(long));
    if (!nch) {
        cli_error(cmd, "out of memory drawing %s", cli_clip(d->png));
        return 0;
    }
    for (long i = 0; i < nn; i++)
        if (v[i].shown && v[i].parent >= 0)
            nch[v[i].parent]++;
    dg_buf s = {0};
    int have[4] = {0, 0, 0, 0};
    double ylo = in->top;
    for (int col = 0; col < 4; col++)
        polylines(&s, v, nn, nch, col, have, &ylo);
    free(nch);
    double span = in->top - ylo;
    if (!(span > 0))
        span = 1;
    int labels = in->lines <= DG_LABEL_LINES;
    double lw = in->lines > 400 ? 0.8 : in->lines > 100 ? 1.2 : 2.0;
    int width = in->lines > 300 ? 1600 : 1200;
    double xmax = in->lines > 1 ? (double)in->lines - 1 : 1;
    double pad = fmax(0.5, 0.02 * xmax);
    /* caption: what the figure shows */
    char cap1[512], cap2[512], prune[256] = "";
    snprintf(cap1, sizeof cap1,
             "%d levels every %.4g from %.6g to %.6g; at each level, a line per superbasin: "
             "the minima below it joined by transition states below it",
             in->levels, in->delta, in->top, in->bottom_level);
    if (in->lowest_count > 0 && in->min_count > 1)
        snprintf(prune, sizeof prune,
                 "only branches holding one of the %ld lowest minima or at least %ld minima "
                 "shown",
                 in->lowest_count, in->min_count);
    else if (in->lowest_count > 0)
        snprintf(prune, sizeof prune, "only branches holding one of the %ld lowest minima "
                                      "shown", in->lowest_count);
    else if (in->min_count > 1)
        snprintf(prune, sizeof prune, "branches of fewer than %ld minima hidden",
                 in->min_count);
    if (*prune)
        snprintf(cap2, sizeof cap2,
                 "%ld lines for %ld minima: %s; a line ends at the lowest minimum of its "
                 "superbasin",
                 in->lines, in->minima_in_graph, prune);
    else
        snprintf(cap2, sizeof cap2,
                 "%ld lines for %ld minima: no pruning; minima joined within one level "
                 "spacing share a line, which ends at the lowest",
                 in->lines, in->minima_in_graph);
    char ttl[256];
    snprintf(ttl, sizeof ttl, "%s", title);
    for (char *p = ttl; *p; p++)
        if (*p == '\'')
            *p = '"';
    int sets = ni.n_set_given[0] || ni.n_set_given[1];
    cli_strbuf_printf(&s,
            "set terminal pngcairo size %d,900 font 'sans,12' enhanced rounded\n"
            "set output '%s'\n"
            "set title 'disconnectivity graph of %s (%ld minima in the network)' noenhanced\n"
            "set border 2\nunset xtics\nset ytics nomirror out\n"
            "set ylabel 'energy (the database''s unit)'\n"
            "set xrange [%.10g:%.10g]\nset yrange [%.12g:%.12g]\n"
            "set bmargin %d\nset lmargin 12\nset rmargin 3\n"
            "set label 1 '%s' at screen 0.5, screen %.3f center font 'sans,10' noenhanced\n"
            "set label 2 '%s' at screen 0.5, screen %.3f center font 'sans,10' noenhanced\n"
            "set key at screen 0.5, screen %.3f center center horizontal maxrows 2 samplen 2 width 1 "
            "noenhanced\n",
            width, tmp, ttl, ni.network_minima, -pad, xmax + pad,
            ylo - (labels ? 0.08 : 0.02) * span, in->top + 0.02 * span, sets ? 8 : 6, cap1,
            sets ? 0.032 : 0.045, cap2, sets ? 0.010 : 0.018, 0.066);
    if (labels) {
        for (long i = 0; i < nn; i++) {
            if (!v[i].terminal)
                continue;
            long id = 0;
            hl_network_id(net, v[i].lowest, &id);
            cli_strbuf_printf(&s, "set label '%ld' at %.10g, %.12g right rotate by 90 offset 0,-0.5 "
                        "font 'sans,9'\n",
                    id, v[i].x, v[i].lowest_energy);
        }
    }
    const char *col_rgb[4] = {"#555555", "#c0392b", "#1f5fbf", "#7d3c98"};
    char names[4][160];
    snprintf(names[0], sizeof names[0], "%s", "holds neither");
    set_label(names[1], sizeof names[1], 'A', spec_a, ni.n_set[0]);
    set_label(names[2], sizeof names[2], 'B', spec_b, ni.n_set[1]);
    snprintf(names[3], sizeof names[3], "%s", "holds A and B");
    if (!sets)
        cli_strbuf_printf(&s, "unset key\n");
    cli_strbuf_printf(&s, "plot ");
    int first = 1;
    /* the legend: A and B always (when given), the others when drawn */
    const int order[4] = {1, 2, 3, 0};
    for (int j = 0; j < 4; j++) {
        int col = order[j];
        int given = col == 1 ? ni.n_set_given[0] != 0 : col == 2 ? ni.n_set_given[1] != 0 : 0;
        if (!have[col] && !given)
            continue;
        if (have[col])
            cli_strbuf_printf(&s, "%s$S%d with lines lw %.2g lc rgb '%s' title '%s'", first ? "" : ", ",
                    col, lw, col_rgb[col], names[col]);
        else
            cli_strbuf_printf(&s, "%sNaN with lines lw %.2g lc rgb '%s' title '%s (none drawn)'",
                    first ? "" : ", ", lw, col_rgb[col], names[col]);
        first = 0;
    }
    cli_strbuf_printf(&s, "\nunset output\n");
    return cli_strbuf_gnuplot(cmd, &s, d->png, tmp);
}

int cli_dg_run(const char *cmd, cli_dg *d, const hl_network *net, const char *title,
               const char *spec_a, const char *spec_b)
{
    if (!d->png && !d->csv)
        return EXIT_OK;
    int st = hl_network_disconnectivity(net, &d->opt, &d->g);
    if (st || (st = hl_dgraph_get_info(d->g, &d->info)) != HL_OK)
        return cli_lib_error(cmd, st);
    dg_ctx c = {d, net};
    if (d->csv && !cli_write_atomic(cmd, d->csv, write_csv, &c))
        return EXIT_FAIL;
    if (d->png && !draw(cmd, d, net, title, spec_a, spec_b))
        return EXIT_FAIL;
    return EXIT_OK;
}

void cli_dg_json(const cli_dg *d)
{
    printf(", \"disconnectivity\": ");
    if (!d->g) {
        printf("null");
        return;
    }
    const hl_dgraph_info *in = &d->info;
    printf("{\"levels\": %d, \"top\": ", in->levels);
    hl_json_number(stdout, in->top);
    printf(", \"delta\": ");
    hl_json_number(stdout, in->delta);
    printf(", \"bottom_level\": ");
    hl_json_number(stdout, in->bottom_level);
    printf(", \"e_min\": ");
    hl_json_number(stdout, in->e_min);
    printf(", \"e_merge\": ");
    hl_json_number(stdout, in->e_merge);
    printf(", \"minima_in_graph\": %ld, \"nodes\": %ld, \"shown_nodes\": %ld, \"lines\": %ld, "
           "\"lines_single_minimum\": %ld, \"min_count\": %ld, \"lowest_count\": %ld, "
           "\"ts_below_minimum\": %ld, \"figure\": ",
           in->minima_in_graph, in->nodes, in->shown_nodes, in->lines, in->lines_single,
           in->min_count, in->lowest_count, in->ts_below_minimum);
    if (d->png)
        hl_json_string(stdout, d->png);
    else
        printf("null");
    printf(", \"data\": ");
    if (d->csv)
        hl_json_string(stdout, d->csv);
    else
        printf("null");
    printf("}");
}

void cli_dg_text(const cli_dg *d)
{
    if (!d->g)
        return;
    const hl_dgraph_info *in = &d->info;
    printf("disconnectivity graph: %d levels every %s from %s (all joined at %s, lowest "
           "minimum %s): %ld lines",
           in->levels, cli_num("%.6g", in->delta), cli_num("%.10g", in->top),
           cli_num("%.10g", in->e_merge), cli_num("%.10g", in->e_min), in->lines);
    if (in->min_count > 1)
        printf(" (branches of fewer than %ld minima hidden%s)", in->min_count,
               in->lowest_count ? " unless they hold one of the lowest minima" : "");
    if (in->lowest_count > 0)
        printf(" (branches holding one of the %ld lowest minima)", in->lowest_count);
    if (in->ts_below_minimum)
        printf("; %ld transition states lie below one of their minima (counted at the "
               "minimum's energy)",
               in->ts_below_minimum);
    printf("\n");
}

void cli_dg_free(cli_dg *d)
{
    hl_dgraph_free(d->g);
    d->g = NULL;
}
