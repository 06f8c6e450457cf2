/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_cli.c -- the --blocks / --block-sizes options (blocks_cli.h). */
#include "blocks_cli.h"

#include <math.h>
#include <string.h>

#include "cli.h"
#include "hyperland/output.h"

int cli_blocks_option(const char *cmd, int c, const char *arg, cli_blocks_opts *o)
{
    if (c != CLI_OPT_BLOCKS && c != CLI_OPT_BLOCK_SIZES)
        return 0;
    if (o->k) {
        cli_error(cmd, "give --blocks or --block-sizes once, not both");
        return -1;
    }
    if (c == CLI_OPT_BLOCKS) {
        long k;
        if (!cli_parse_long(cmd, "--blocks", arg, &k))
            return -1;
        if (k < 1 || k > HL_BLOCKS_MAX) {
            cli_error(cmd, "--blocks %ld: must be 1 .. %d", k, HL_BLOCKS_MAX);
            return -1;
        }
        o->k = (int)k;
        o->from_sizes = 0;
        return 1;
    }
    size_t n = 0;
    if (!cli_parse_list_long(cmd, "--block-sizes", arg, o->sizes, HL_BLOCKS_MAX, &n))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (o->sizes[i] < 1) {
            cli_error(cmd, "--block-sizes: block %zu has size %ld (must be >= 1)", i + 1,
                      o->sizes[i]);
            return -1;
        }
    o->k = (int)n;
    o->from_sizes = 1;
    return 1;
}

/* the exit status of the last cli_blocks_model that failed */
static int model_status = EXIT_FAIL;

int cli_blocks_status(void) { return model_status; }

static const char *clip_formula(const char *f, char *buf, size_t n)
{
    if (strlen(f) <= 90)
        return f;
    snprintf(buf, n, "%.87s...", f);
    return buf;
}

const char *cli_blocks_describe(const hl_blocks *b, const char *sep, char *buf, size_t n)
{
    int k = hl_blocks_k(b);
    char sizes[200] = "", pb[100], bb[100];
    for (int i = 0, l = 0; i < k && l < (int)sizeof sizes - 24; i++)
        l += snprintf(sizes + l, sizeof sizes - (size_t)l, "%s%ld", i ? ", " : "",
                      hl_blocks_size(b, i));
    snprintf(buf, n, "model of %d %s (%s %s), D = %ld, B = %s%sphi = %s", k,
             cli_pl(k, "block", "blocks"), cli_pl(k, "size", "sizes"), sizes, hl_blocks_dim(b),
             clip_formula(hl_blocks_transmission_formula(b), bb, sizeof bb), sep,
             clip_formula(hl_blocks_phi_formula(b), pb, sizeof pb));
    return buf;
}

void cli_blocks_json_search(FILE *fp, const hl_bsearch *s)
{
    fprintf(fp, ", \"search\": {\"boxes\": %ld, \"proved_unique\": %ld, \"unresolved_boxes\": %ld, "
                "\"budget_exhausted\": %s, \"complete\": %s}",
            s->boxes, s->proved, s->unresolved, s->gave_up ? "true" : "false",
            s->complete ? "true" : "false");
}

void cli_blocks_print_search(const hl_bsearch *s, const char *what)
{
    printf("search: %ld boxes, %ld stationary points proved unique, %ld boxes unresolved%s",
           s->boxes, s->proved, s->unresolved, s->complete ? " (every stationary point found)" : "");
    if (s->gave_up)
        printf("\nnote: %s gave up on its work budget (min(4e6, 5e9/k^3) boxes): maxima may be "
               "missing", what);
    else if (!s->complete)
        printf("\nnote: %s is not complete (boxes left unresolved at the smallest width: a "
               "singular Hessian or stationary points closer than 1e-10)", what);
    printf("\n");
}

void cli_blocks_warn_search(const char *cmd, const hl_bsearch *s, double beta)
{
    if (s->complete)
        return;
    if (s->gave_up)
        fprintf(stderr, "hyperland %s: warning: the search for the maxima at beta = %g gave up "
                        "on its work budget after %ld boxes: maxima may be missing\n",
                cmd, beta, s->boxes);
    else
        fprintf(stderr, "hyperland %s: warning: the search for the maxima at beta = %g left %ld "
                        "boxes unresolved: maxima may be missing or not proved unique\n",
                cmd, beta, s->unresolved);
}

int cli_blocks_spec_ok(const char *cmd, const char *opt, const char *spec,
                       const cli_blocks_opts *o)
{
    if (!spec || hl_blocks_point_check(o->k, spec) == HL_OK)
        return 1;
    cli_error(cmd, "%s %s", opt, hl_errmsg());
    return 0;
}

hl_blocks *cli_blocks_model(const char *cmd, const cli_blocks_opts *o, long dim, const char *phi,
                            const char *transmission)
{
    hl_blocks *b = NULL;
    int st;
    /* the sizes against --dim and the default phi (the paper's per pair of
     * blocks, so only for an even number): usage errors, before the
     * library */
    model_status = EXIT_USAGE;
    if (!phi && o->k % 2) {
        cli_error(cmd, "%d %s: the default phi is the paper's for each pair of blocks, so "
                       "an odd number of blocks needs --phi FORMULA",
                  o->k, cli_pl(o->k, "block", "blocks"));
        return NULL;
    }
    if (o->from_sizes) {
        long sum = 0;
        for (int i = 0; i < o->k; i++)
            sum += o->sizes[i];
        if (dim > 0 && dim != sum) {
            cli_error(cmd, "--dim %ld differs from the sum %ld of --block-sizes", dim, sum);
            return NULL;
        }
        model_status = EXIT_FAIL;
        st = hl_blocks_create(o->k, o->sizes, phi, &b);
    } else {
        if (dim <= 0) {
            cli_error(cmd, "--blocks needs --dim D, a positive multiple of the %d %s", o->k,
                      cli_pl(o->k, "block", "blocks"));
            return NULL;
        }
        if (dim % o->k != 0) {
            cli_error(cmd, "--dim %ld is not a multiple of the %d blocks", dim, o->k);
            return NULL;
        }
        model_status = EXIT_FAIL;
        st = hl_blocks_create_equal(o->k, dim, phi, &b);
    }
    if (!st && transmission)
        st = hl_blocks_set_transmission(b, transmission);
    if (st) {
        cli_lib_error(cmd, st);
        hl_blocks_free(b);
        return NULL;
    }
    return b;
}

int cli_blocks_classes_ok(const char *cmd, const hl_blocks *b, long limit, const char *what)
{
    long n = hl_blocks_n_classes(b);
    if (n >= 0 && n <= limit)
        return 1;
    char cnt[64];
    if (n < 0)
        snprintf(cnt, sizeof cnt, "more than 2^62");
    else
        snprintf(cnt, sizeof cnt, "%ld", n);
    cli_error(cmd, "D = %ld in %d blocks has %s classes, above the limit of %ld for %s "
                   "(fewer blocks or a smaller --dim)",
              hl_blocks_dim(b), hl_blocks_k(b), cnt, limit, what);
    return 0;
}

void cli_blocks_json(FILE *fp, const hl_blocks *b)
{
    fprintf(fp, ", \"blocks\": [");
    for (int i = 0; i < hl_blocks_k(b); i++)
        fprintf(fp, "%s%ld", i ? ", " : "", hl_blocks_size(b, i));
    fprintf(fp, "], \"dim\": %ld, \"phi\": ", hl_blocks_dim(b));
    hl_json_string(fp, hl_blocks_phi_formula(b));
    fprintf(fp, ", \"transmission\": ");
    hl_json_string(fp, hl_blocks_transmission_formula(b));
}

void cli_blocks_csv_comment(FILE *fp, const hl_blocks *b)
{
    fprintf(fp, "# blocks: ");
    for (int i = 0; i < hl_blocks_k(b); i++)
        fprintf(fp, "%s%ld", i ? "," : "", hl_blocks_size(b, i));
    fprintf(fp, "  phi: %s  transmission: %s\n", hl_blocks_phi_formula(b),
            hl_blocks_transmission_formula(b));
}

void cli_blocks_traj_header(FILE *fp, const hl_blocks *b, const char (*names)[16], int n_names,
                            int with_err)
{
    int k = hl_blocks_k(b);
    fprintf(fp, "t,beta,T");
    for (int i = 0; i < k; i++)
        fprintf(fp, ",mean_m%d", i + 1);
    fprintf(fp, "%s,mean_phi,mean_w,free_energy,sum_error,min_q",
            hl_blocks_is_paper_pair(b) ? ",mean_x,mean_y" : "");
    for (int q = 0; q < n_names; q++)
        fprintf(fp, ",%s", names[q]);
    for (int q = 0; with_err && q < n_names; q++)
        fprintf(fp, ",%s_error", names[q]);
    for (int i = 0; with_err && i < k; i++)
        fprintf(fp, ",mean_m%d_error", i + 1);
    if (with_err)
        fprintf(fp, "%s,mean_phi_error",
                hl_blocks_is_paper_pair(b) ? ",mean_x_error,mean_y_error" : "");
    fprintf(fp, "\n");
}

void cli_blocks_traj_row(FILE *fp, const hl_blocks *b, const cli_blocks_traj_point *p,
                         const double *prob, const double *err, int n_names)
{
    int k = hl_blocks_k(b);
    hl_csv_number(fp, "%.12g", p->t);
    hl_csv_number(fp, ",%.12g", p->beta);
    hl_csv_number(fp, ",%.12g", 1.0 / p->beta);
    for (int i = 0; i < k; i++)
        hl_csv_number(fp, ",%.15g", p->mean_m[i]);
    if (hl_blocks_is_paper_pair(b)) {
        hl_csv_number(fp, ",%.15g", p->mean_x);
        hl_csv_number(fp, ",%.15g", p->mean_y);
    }
    hl_csv_number(fp, ",%.15g", p->mean_phi);
    hl_csv_number(fp, ",%.15g", p->mean_w);
    hl_csv_number(fp, ",%.15g", p->free_energy);
    hl_csv_number(fp, ",%.3g", p->sum_error);
    hl_csv_number(fp, ",%.3g", p->min_q);
    for (int q = 0; q < n_names; q++)
        if (err)
            cli_population_csv(fp, prob[q], err[q]);
        else
            hl_csv_number(fp, ",%.15g", prob[q]);
    for (int q = 0; err && q < n_names; q++)
        hl_csv_number(fp, ",%.3g", err[q]);
    if (err) {
        for (int i = 0; i < k; i++)
            hl_csv_number(fp, ",%.3g", p->mean_m_error ? p->mean_m_error[i] : NAN);
        if (hl_blocks_is_paper_pair(b)) {
            hl_csv_number(fp, ",%.3g", p->mean_x_error);
            hl_csv_number(fp, ",%.3g", p->mean_y_error);
        }
        hl_csv_number(fp, ",%.3g", p->mean_phi_error);
    }
    fprintf(fp, "\n");
}

/* The number of basins in a list spec: items split at commas, an item
 * "m=" taking k numbers (hl_blocks_basin_list). */
static int basin_items(const char *s, int k)
{
    int n = 0;
    for (;;) {
        int commas = !strncmp(s, "m=", 2) ? k - 1 : 0;
        while (*s && (*s != ',' || commas-- > 0))
            s++;
        n++;
        if (!*s)
            return n;
        s++;
    }
}

int cli_blocks_basin_args(const char *cmd, const char *fo, const char *from, const char *tn,
                          const char *to, int k, int to_list)
{
    if (basin_items(from, k) > 1) {
        cli_error(cmd, "%s '%s': one basin, not a list%s", fo, cli_clip(from),
                  to_list ? " (a list goes to the target)" : "");
        return EXIT_USAGE;
    }
    if (!to_list && basin_items(to, k) > 1) {
        cli_error(cmd, "%s '%s': one basin, not a list", tn, cli_clip(to));
        return EXIT_USAGE;
    }
    /* the same text as from and (an item of) to */
    const char *s = to;
    for (;;) {
        const char *e = s;
        int commas = !strncmp(s, "m=", 2) ? k - 1 : 0;
        while (*e && (*e != ',' || commas-- > 0))
            e++;
        if ((size_t)(e - s) == strlen(from) && !strncmp(s, from, (size_t)(e - s))) {
            cli_error(cmd, "%s and %s are the same basin '%s'", fo, tn, cli_clip(from));
            return EXIT_USAGE;
        }
        if (!*e)
            break;
        s = e + 1;
    }
    return EXIT_OK;
}

int cli_blocks_basin_status(const char *cmd, int st)
{
    cli_lib_error(cmd, st);
    return st == HL_EINVAL ? EXIT_USAGE : EXIT_FAIL;
}

int cli_blocks_paper_separable(const hl_blocks *b, const char *phi, const char *trans)
{
    return hl_blocks_is_paper_pair(b) && !phi && !trans &&
           hl_check_dim(hl_blocks_dim(b)) == HL_OK;
}
