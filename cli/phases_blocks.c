/* SPDX-License-Identifier: GPL-3.0-or-later */
/* phases_blocks.c -- hyperland phases --blocks K | --block-sizes LIST: the
 * maxima of f = w - beta phi in the k-cube, their branches, folds, melting
 * points, saddles and barriers (hyperland/blocks_phases.h); CSV, JSON,
 * text, and figures as projections. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "blocks_cmds.h"
#include "hyperland/blocks_phases.h"
#include "hyperland/output.h"

const char *const cli_blocks_phase_figures[CLI_BLOCKS_PHASE_FIGURES] = {
    "blocks_m_vs_T.png", "blocks_paths.png", "blocks_phi_vs_T.png"};

/* "(m1, m2, ...)" for text */
static const char *mvec(const hl_blocks *b, const double *m)
{
    static char buf[4][HL_BLOCKS_MAX * 20 + 8];
    static int slot;
    char *s = buf[slot++ % 4];
    size_t len = 0;
    int k = hl_blocks_k(b);
    len += (size_t)snprintf(s + len, sizeof buf[0] - len, "(");
    for (int i = 0; i < k && len + 24 < sizeof buf[0]; i++)
        len += (size_t)snprintf(s + len, sizeof buf[0] - len, "%s%s", i ? ", " : "",
                                cli_num("%.10g", m[i]));
    snprintf(s + len, sizeof buf[0] - len, ")");
    return s;
}

static void json_m(FILE *fp, const hl_blocks *b, const double *m)
{
    fprintf(fp, "[");
    for (int i = 0; i < hl_blocks_k(b); i++) {
        fprintf(fp, i ? ", " : "");
        hl_json_number(fp, m[i]);
    }
    fprintf(fp, "]");
}

/* {"m": [...], ("x", "y" for two equal blocks), "phi", "w", "f"} */
void cli_blocks_json_state(FILE *fp, const hl_blocks *b, const hl_bstat *s, const char *name,
                           int full)
{
    fprintf(fp, "{");
    if (name) {
        fprintf(fp, "\"branch\": ");
        hl_json_string(fp, name);
        fprintf(fp, ", ");
    }
    fprintf(fp, "\"m\": ");
    json_m(fp, b, s->m);
    if (hl_blocks_is_paper_pair(b)) {
        fprintf(fp, ", \"x\": ");
        hl_json_number(fp, s->x);
        fprintf(fp, ", \"y\": ");
        hl_json_number(fp, s->y);
    }
    fprintf(fp, ", \"phi\": ");
    hl_json_number(fp, s->phi);
    cli_json_w(fp, s->w, s->ln_w);
    fprintf(fp, ", \"f\": ");
    hl_json_number(fp, s->f);
    if (full) {
        fprintf(fp, ", \"stable\": %s, \"heat_capacity\": ", s->stable ? "true" : "false");
        hl_json_number(fp, s->heat_capacity);
        fprintf(fp, ", \"ln_heat_capacity\": ");
        hl_json_number(fp, s->ln_heat_capacity);
        if (isnan(s->heat_capacity))
            fprintf(fp, ", \"heat_capacity_null_reason\": \"%s\"",
                    cli_heat_capacity_null_reason(s->ln_heat_capacity));
    }
    fprintf(fp, "}");
}

static void json_saddle(FILE *fp, const hl_blocks *b, const hl_bstat *sd, const hl_bstat *a,
                        const char *na, const hl_bstat *c, const char *nc)
{
    fprintf(fp, "{\"m\": ");
    json_m(fp, b, sd->m);
    if (hl_blocks_is_paper_pair(b)) {
        fprintf(fp, ", \"x\": ");
        hl_json_number(fp, sd->x);
        fprintf(fp, ", \"y\": ");
        hl_json_number(fp, sd->y);
    }
    fprintf(fp, ", \"f\": ");
    hl_json_number(fp, sd->f);
    fprintf(fp, ", \"barrier_per_dim\": {");
    hl_json_string(fp, na);
    fprintf(fp, ": ");
    hl_json_number(fp, a->f - sd->f);
    fprintf(fp, ", ");
    hl_json_string(fp, nc);
    fprintf(fp, ": ");
    hl_json_number(fp, c->f - sd->f);
    fprintf(fp, "}}");
}

static void json_search(FILE *fp, const hl_bsearch *s)
{
    fprintf(fp, ", \"search_complete\": %s", s->complete ? "true" : "false");
    cli_blocks_json_search(fp, s);
}

static int run_at(const char *cmd, const hl_blocks *b, double beta, int json)
{
    size_t n = 0;
    hl_bsearch info;
    int st = hl_blocks_maxima_at(b, beta, NULL, 0, &n, &info);
    hl_bstat *mx = malloc(sizeof(hl_bstat) * (n ? n : 1));
    char(*names)[16] = malloc(sizeof(*names) * (n ? n : 1));
    int rc = EXIT_OK;
    if (!mx || !names) {
        cli_error(cmd, "out of memory");
        rc = EXIT_FAIL;
        goto done;
    }
    if (!st)
        st = hl_blocks_maxima_at(b, beta, mx, n, &n, &info);
    if (!st)
        st = hl_blocks_name_maxima(b, beta, mx, n, names);
    if (st) {
        rc = cli_lib_error(cmd, st);
        goto done;
    }
    int i1 = -1, i2 = -1;
    for (size_t q = 0; q < n; q++) {
        if (i1 < 0 || mx[q].f > mx[i1].f) {
            i2 = i1;
            i1 = (int)q;
        } else if (i2 < 0 || mx[q].f > mx[i2].f) {
            i2 = (int)q;
        }
    }
    cli_blocks_warn_search(cmd, &info, beta);
    hl_bstat sd;
    int have_saddle = i2 >= 0 && hl_blocks_saddle_between(b, beta, &mx[i1], &mx[i2], &sd) == HL_OK;
    if (json) {
        cli_json_begin(stdout, "phases");
        cli_blocks_json(stdout, b);
        printf(", \"beta\": ");
        hl_json_number(stdout, beta);
        printf(", \"T\": ");
        hl_json_number(stdout, 1 / beta);
        printf(", \"maxima\": [");
        for (size_t q = 0; q < n; q++) {
            printf(q ? ", " : "");
            cli_blocks_json_state(stdout, b, &mx[q], names[q], 1);
        }
        printf("]");
        if (have_saddle) {
            printf(", \"saddle\": ");
            json_saddle(stdout, b, &sd, &mx[i1], names[i1], &mx[i2], names[i2]);
        }
        json_search(stdout, &info);
        printf("}\n");
        goto done;
    }
    printf("beta = %s (T* = %s): %zu %s of f = w - beta phi in the %d-cube\n",
           cli_num("%.10g", beta), cli_num("%.10g", 1 / beta), n,
           cli_pl((long)n, "maximum", "maxima"), hl_blocks_k(b));
    for (size_t q = 0; q < n; q++) {
        printf("  %-10s m = %s\n", names[q], mvec(b, mx[q].m));
        if (hl_blocks_is_paper_pair(b))
            printf("             x = %s, y = %s\n", cli_num("%.10f", mx[q].x),
                   cli_num("%.10f", mx[q].y));
        printf("             phi = %s, w = %s, f = %s, stable: %s, c = d<phi>/dT = %s\n",
               cli_num("%.10f", mx[q].phi), cli_num("%.10f", mx[q].w), cli_num("%.10f", mx[q].f),
               mx[q].stable ? "yes" : "no",
               cli_numx("%.10g", mx[q].heat_capacity,
                        cli_heat_capacity_null_reason(mx[q].ln_heat_capacity)));
    }
    if (have_saddle)
        printf("saddle between %s and %s: m = %s, f = %s; barrier per dimension %s (from %s), "
               "%s (from %s)\n",
               names[i1], names[i2], mvec(b, sd.m), cli_num("%.10f", sd.f),
               cli_num("%.10g", mx[i1].f - sd.f), names[i1], cli_num("%.10g", mx[i2].f - sd.f),
               names[i2]);
    cli_blocks_print_search(&info, "the search for the maxima");
done:
    free(mx);
    free(names);
    return rc;
}

/* the ends of the branches (hl_bfold) as cli_end; NULL when out of memory */
static cli_end *ends_of(const hl_blocks *b, const hl_bphases *p)
{
    int nf = hl_bphases_fold_count(p), k = hl_blocks_k(b);
    cli_end *e = calloc((size_t)(nf ? nf : 1), sizeof *e);
    for (int q = 0; e && q < nf; q++) {
        hl_bfold f;
        hl_bphases_fold(p, q, &f);
        e[q] = (cli_end){f.branch, hl_bphases_branch_name(p, f.branch), f.beta, f.birth,
                         f.bifurcation, f.through, f.null_dims, f.beta_error, k, 0, {0}, {0}};
        for (int i = 0; i < k; i++) {
            e[q].pos[i] = f.m[i];
            e[q].null_vector[i] = f.null_vector[i];
        }
    }
    return e;
}

typedef struct {
    const hl_blocks *b;
    const hl_bphases *p;
} csv_ctx;

/* a CSV row at an end of a branch: its point, stable and heat_capacity
 * empty (the Hessian is singular there), end = fold | pitchfork |
 * branch-point */
static void end_row(FILE *fp, void *vc, const cli_end *f)
{
    const hl_blocks *b = ((csv_ctx *)vc)->b;
    int k = hl_blocks_k(b);
    hl_bstat st;
    double t[HL_BLOCKS_MAX];
    for (int j = 0; j < k; j++)
        t[j] = atanh(fmax(-1 + 1e-16, fmin(1 - 1e-16, f->pos[j])));
    hl_blocks_stationary_fill(b, f->beta, t, &st);
    fprintf(fp, "%s", f->name);
    hl_csv_number(fp, ",%.12g", f->beta);
    hl_csv_number(fp, ",%.12g", 1 / f->beta);
    for (int j = 0; j < k; j++)
        hl_csv_number(fp, ",%.15g", f->pos[j]);
    if (hl_blocks_is_paper_pair(b)) {
        hl_csv_number(fp, ",%.15g", st.x);
        hl_csv_number(fp, ",%.15g", st.y);
    }
    hl_csv_number(fp, ",%.15g", st.phi);
    hl_csv_number(fp, ",%.15g", cli_w_shown(st.w, st.ln_w));
    hl_csv_number(fp, ",%.15g", st.f);
    fprintf(fp, ",,,%s\n", hl_bend_name(f->bifurcation));
}

static void grid_row(FILE *fp, void *vc, int br, int i)
{
    const csv_ctx *c = vc;
    int k = hl_blocks_k(c->b);
    hl_bstat q;
    if (hl_bphases_point(c->p, br, i, &q) != HL_OK)
        return;
    fprintf(fp, "%s", hl_bphases_branch_name(c->p, br));
    hl_csv_number(fp, ",%.12g", q.beta);
    hl_csv_number(fp, ",%.12g", 1 / q.beta);
    for (int j = 0; j < k; j++)
        hl_csv_number(fp, ",%.15g", q.m[j]);
    if (hl_blocks_is_paper_pair(c->b)) {
        hl_csv_number(fp, ",%.15g", q.x);
        hl_csv_number(fp, ",%.15g", q.y);
    }
    hl_csv_number(fp, ",%.15g", q.phi);
    hl_csv_number(fp, ",%.15g", cli_w_shown(q.w, q.ln_w));
    hl_csv_number(fp, ",%.15g", q.f);
    fprintf(fp, ",%d", q.stable);
    hl_csv_number(fp, ",%.15g", q.heat_capacity);
    fputs(",\n", fp);
}

static double grid_beta(void *vc, int i)
{
    return hl_bphases_beta(((const csv_ctx *)vc)->p, i);
}

static int write_csv(FILE *fp, void *vp)
{
    csv_ctx *c = vp;
    const hl_blocks *b = c->b;
    int k = hl_blocks_k(b), pair = hl_blocks_is_paper_pair(b);
    cli_csv_preamble(fp, "phases --blocks: maxima of f = w - beta phi, D -> infinity at fixed block fractions");
    cli_blocks_csv_comment(fp, b);
    fprintf(fp, "branch,beta,T");
    for (int i = 0; i < k; i++)
        fprintf(fp, ",m%d", i + 1);
    fprintf(fp, "%s,phi,w,f,stable,heat_capacity,end\n", pair ? ",x,y" : "");
    cli_end *ends = ends_of(b, c->p);
    int rc = cli_end_csv_rows(fp, ends, hl_bphases_fold_count(c->p), hl_bphases_branch_count(c->p),
                              hl_bphases_beta_count(c->p), grid_beta, grid_row, end_row, c);
    free(ends);
    return rc || ferror(fp) ? -1 : 0;
}

/* One end of a branch's range line: the located end e (index into the
 * ends, fold / pitchfork / branch-point) with its kind, or the grid beta
 * of row i where the branch reaches the edge of the grid (e < 0). */
static void range_end(const hl_bphases *p, int e, int i, char *buf, size_t n)
{
    if (e >= 0) {
        hl_bfold f;
        hl_bphases_fold(p, e, &f);
        snprintf(buf, n, "%s (%s)", cli_num("%.8g", f.beta), hl_bend_name(f.bifurcation));
    } else {
        snprintf(buf, n, "%s", cli_num("%.6g", hl_bphases_beta(p, i)));
    }
}

static void print_summary(const hl_blocks *b, const hl_bphases *p, int json)
{
    int nb = hl_bphases_branch_count(p), nf = hl_bphases_fold_count(p),
        nm = hl_bphases_melting_count(p), n = hl_bphases_beta_count(p);
    hl_bsearch info;
    hl_bphases_search(p, &info);
    if (json) {
        cli_json_begin(stdout, "phases");
        cli_blocks_json(stdout, b);
        printf(", \"beta_min\": ");
        hl_json_number(stdout, hl_bphases_beta(p, 0));
        printf(", \"beta_max\": ");
        hl_json_number(stdout, hl_bphases_beta(p, n - 1));
        printf(", \"points\": %d, \"branches\": [", n);
        for (int br = 0; br < nb; br++) {
            int first = -1, last = -1;
            for (int i = 0; i < n; i++) {
                hl_bstat q;
                if (hl_bphases_point(p, br, i, &q) == HL_OK) {
                    if (first < 0)
                        first = i;
                    last = i;
                }
            }
            printf("%s{\"name\": ", br ? ", " : "");
            hl_json_string(stdout, hl_bphases_branch_name(p, br));
            printf(", \"beta_first\": ");
            hl_json_number(stdout, first >= 0 ? hl_bphases_beta(p, first) : NAN);
            printf(", \"beta_last\": ");
            hl_json_number(stdout, last >= 0 ? hl_bphases_beta(p, last) : NAN);
            /* the located ends beyond the grid range: indices in branch_ends */
            int elo = -1, ehi = -1;
            hl_bphases_branch_ends(p, br, &elo, &ehi);
            if (elo >= 0)
                printf(", \"first_end\": %d", elo);
            else
                printf(", \"first_end\": null, \"first_end_null_reason\": \"the branch reaches "
                       "beta_min\"");
            if (ehi >= 0)
                printf(", \"last_end\": %d", ehi);
            else
                printf(", \"last_end\": null, \"last_end_null_reason\": \"the branch reaches "
                       "beta_max\"");
            hl_bt0_end e;
            hl_bphases_t0_end(p, br, &e);
            cli_blocks_json_t0(stdout, b, &e);
            printf("}");
        }
        printf("]");
        cli_end *ends = ends_of(b, p);
        cli_end_json_lists(stdout, ends, ends ? nf : 0);
        free(ends);
        printf(", \"melting\": [");
        for (int q = 0; q < nm; q++) {
            hl_bmelting ml;
            hl_bphases_melting(p, q, &ml);
            const char *na = hl_bphases_branch_name(p, ml.branch_a),
                       *nc = hl_bphases_branch_name(p, ml.branch_b);
            printf("%s{\"beta\": ", q ? ", " : "");
            hl_json_number(stdout, ml.beta);
            printf(", \"T\": ");
            hl_json_number(stdout, 1 / ml.beta);
            printf(", \"high_T_branch\": ");
            hl_json_string(stdout, na);
            printf(", \"low_T_branch\": ");
            hl_json_string(stdout, nc);
            printf(", \"high_T\": ");
            cli_blocks_json_state(stdout, b, &ml.a, NULL, 0);
            printf(", \"low_T\": ");
            cli_blocks_json_state(stdout, b, &ml.b, NULL, 0);
            printf(", \"latent_heat\": ");
            hl_json_number(stdout, ml.latent_heat);
            printf(", \"entropy_jump\": ");
            hl_json_number(stdout, ml.entropy_jump);
            printf(", \"global\": %s, \"saddle\": ", ml.global ? "true" : "false");
            if (ml.has_saddle)
                json_saddle(stdout, b, &ml.saddle, &ml.a, na, &ml.b, nc);
            else
                printf("null, \"saddle_null_reason\": \"no path between the two maxima through "
                       "the saddles of f was found\"");
            printf("}");
        }
        printf("], \"unresolved_melting\": [");
        for (int q = 0; q < hl_bphases_unresolved_count(p); q++) {
            hl_bmelting_unresolved u;
            hl_bphases_unresolved(p, q, &u);
            printf("%s{\"branches\": [", q ? ", " : "");
            hl_json_string(stdout, hl_bphases_branch_name(p, u.branch_a));
            printf(", ");
            hl_json_string(stdout, hl_bphases_branch_name(p, u.branch_b));
            printf("], \"beta_lo\": ");
            hl_json_number(stdout, u.beta_lo);
            printf(", \"beta_hi\": ");
            hl_json_number(stdout, u.beta_hi);
            printf(", \"reason\": ");
            hl_json_string(stdout, u.reason);
            printf("}");
        }
        printf("]");
        cli_blocks_json_kauzmann(stdout, b, p);
        json_search(stdout, &info);
        printf("}\n");
        return;
    }
    printf("phi = %s\n", hl_blocks_phi_formula(b));
    printf("%d %s, %s", hl_blocks_k(b), cli_pl(hl_blocks_k(b), "block", "blocks"),
           cli_pl(hl_blocks_k(b), "fraction", "fractions"));
    for (int i = 0; i < hl_blocks_k(b); i++)
        printf("%s%s", i ? ", " : " ",
               cli_num("%.6g", (double)hl_blocks_size(b, i) / (double)hl_blocks_dim(b)));
    printf(" (D -> infinity at fixed fractions)\n");
    printf("%d %s over beta in [%s, %s] (%d points):\n", nb, cli_pl(nb, "branch", "branches"),
           cli_num("%g", hl_bphases_beta(p, 0)), cli_num("%g", hl_bphases_beta(p, n - 1)), n);
    for (int br = 0; br < nb; br++) {
        int first = -1, last = -1;
        for (int i = 0; i < n; i++) {
            hl_bstat q;
            if (hl_bphases_point(p, br, i, &q) == HL_OK) {
                if (first < 0)
                    first = i;
                last = i;
            }
        }
        /* the range to the located ends (fold, pitchfork, branch-point)
         * where the branch ends inside the grid, else to the grid's edge */
        int elo = -1, ehi = -1;
        char lo[64], hi[64];
        hl_bphases_branch_ends(p, br, &elo, &ehi);
        range_end(p, elo, first, lo, sizeof lo);
        range_end(p, ehi, last, hi, sizeof hi);
        printf("  %-10s beta in [%s, %s]\n", hl_bphases_branch_name(p, br), lo, hi);
    }
    cli_blocks_print_lowtemp(b, p);
    printf("global searches: %ld boxes, %ld stationary points proved unique, %ld boxes "
           "unresolved%s\n",
           info.boxes, info.proved, info.unresolved,
           info.complete ? " (every stationary point found at each searched beta)" : "");
    if (info.gave_up)
        printf("note: a search for the maxima gave up on its work budget (min(4e6, 5e9/k^3) "
               "boxes): branches may be missing\n");
    cli_end *ends = ends_of(b, p);
    for (int q = 0; ends && q < nf; q++)
        cli_end_text(stdout, &ends[q]);
    free(ends);
    if (nm == 0)
        printf("melting: no melting point found for beta in [%s, %s]%s\n",
               cli_num("%g", hl_bphases_beta(p, 0)), cli_num("%g", hl_bphases_beta(p, n - 1)),
               nb < 2 ? " (one branch of maxima)"
               : hl_bphases_unresolved_count(p)
                   ? " (crossings that could not be refined are listed below)"
                   : " (no two branches cross in f, apart from mirror images)");
    for (int q = 0; q < hl_bphases_unresolved_count(p); q++) {
        hl_bmelting_unresolved u;
        hl_bphases_unresolved(p, q, &u);
        printf("melting: unresolved between %s and %s for beta in [%s, %s]: %s\n",
               hl_bphases_branch_name(p, u.branch_a), hl_bphases_branch_name(p, u.branch_b),
               cli_num("%.10g", u.beta_lo), cli_num("%.10g", u.beta_hi), u.reason);
    }
    for (int q = 0; q < nm; q++) {
        hl_bmelting ml;
        hl_bphases_melting(p, q, &ml);
        const char *na = hl_bphases_branch_name(p, ml.branch_a),
                   *nc = hl_bphases_branch_name(p, ml.branch_b);
        printf("melting: beta_m = %s (T_m = %s)%s\n", cli_num("%.12f", ml.beta),
               cli_num("%.10f", 1 / ml.beta), ml.global ? "" : " [between metastable branches]");
        printf("  %-10s m = %s phi = %s w = %s\n", na, mvec(b, ml.a.m), cli_num("%.10f", ml.a.phi),
               cli_num("%.10f", ml.a.w));
        printf("  %-10s m = %s phi = %s w = %s\n", nc, mvec(b, ml.b.m), cli_num("%.10f", ml.b.phi),
               cli_num("%.10f", ml.b.w));
        printf("  latent heat %s, entropy jump %s\n", cli_num("%.10f", ml.latent_heat),
               cli_num("%.10f", ml.entropy_jump));
        if (ml.has_saddle)
            printf("  saddle m = %s f = %s; barrier per dimension %s (from %s), %s (from %s)\n",
                   mvec(b, ml.saddle.m), cli_num("%.10f", ml.saddle.f),
                   cli_num("%.6g", ml.a.f - ml.saddle.f), na,
                   cli_num("%.6g", ml.b.f - ml.saddle.f), nc);
        else
            printf("  saddle: none found (no path between the two maxima through the saddles)\n");
    }
}

/* ---------------------------------------------------------------- figures */

/* a fold as a row of the figures' data: T, m1 .. mk, phi, w, f */
static void fold_row(cli_strbuf *s, const hl_blocks *b, const hl_bfold *f)
{
    int k = hl_blocks_k(b);
    hl_bstat st;
    double t[HL_BLOCKS_MAX];
    for (int j = 0; j < k; j++)
        t[j] = atanh(fmax(-1 + 1e-16, fmin(1 - 1e-16, f->m[j])));
    hl_blocks_stationary_fill(b, f->beta, t, &st);
    cli_strbuf_printf(s, "%.10g", 1 / f->beta);
    for (int j = 0; j < k; j++)
        cli_strbuf_printf(s, " %.10g", f->m[j]);
    cli_strbuf_printf(s, " %.10g %.10g %.10g\n", st.phi, st.w, st.f);
}

/* earlier branches drawn wider, so branches that coincide in a
 * projection (symmetric copies) show as a line inside a wider one */
#define LW(br) (nb > 1 ? 1.5 + 3.5 * (double)(nb - 1 - (br)) / (double)(nb - 1) : 2.0)

/* the key of a figure of stacked panels as a panel of its own, right of
 * them over the figure's whole height (a key inside one panel is cut at
 * that panel's height): the branches' lines, the folds and the melting
 * points, from screen x0 */
static void key_panel(cli_strbuf *s, const hl_bphases *p, double x0, double top, int nf,
                      int nm, const char *const *pal, int npal)
{
    int nb = hl_bphases_branch_count(p);
    cli_strbuf_printf(s, "set lmargin at screen %.3f\nset rmargin at screen 0.99\n"
                         "set tmargin at screen %.3f\nset bmargin at screen 0.02\n"
                         "unset border\nunset xtics\nunset ytics\nunset xlabel\nunset ylabel\n"
                         "unset grid\nset xrange [0:1]\nset yrange [0:1]\n"
                         "set key at graph 0,graph 1 left top vertical Left reverse "
                         "font ',10' samplen 3\nplot ",
                      x0, top);
    for (int br = 0; br < nb; br++)
        cli_strbuf_printf(s, "%sNaN with lines lw %.2f lc rgb '%s' dt %d title '%s'",
                          br ? ", " : "", LW(br), pal[br % npal], br / npal % 4 + 1,
                          hl_bphases_branch_name(p, br));
    if (nf)
        cli_strbuf_printf(s, ", NaN with points pt 2 ps 1.6 lw 2 lc rgb '#555555' "
                             "title 'branch end'");
    if (nm)
        cli_strbuf_printf(s, ", NaN with points pt 6 ps 1.8 lw 2 lc rgb 'black' "
                             "title 'melting point'");
    cli_strbuf_printf(s, "\nunset tmargin\nunset bmargin\nset border\nset xtics\nset ytics\n"
                         "set grid\nset key default\n");
}

static int plot(const char *cmd, const hl_blocks *b, const hl_bphases *p, const char *dir)
{
    const int nfig = CLI_BLOCKS_PHASE_FIGURES;
    char out[CLI_BLOCKS_PHASE_FIGURES][4096];
    const char *outs[CLI_BLOCKS_PHASE_FIGURES], *tmps[CLI_BLOCKS_PHASE_FIGURES];
    for (int i = 0; i < nfig; i++) {
        snprintf(out[i], sizeof out[i], "%s/%s", dir, cli_blocks_phase_figures[i]);
        outs[i] = out[i];
        tmps[i] = cli_output_temp(cmd, out[i]);
        if (!tmps[i])
            return 0;
    }
    int k = hl_blocks_k(b), nb = hl_bphases_branch_count(p), n = hl_bphases_beta_count(p);
    cli_strbuf s = {0};
    /* one data block per branch: T, m1 .. mk, phi, w, f; a branch that is
     * born or dies at a fold starts or ends there (the grid stops short) */
    int nf = hl_bphases_fold_count(p), nm = hl_bphases_melting_count(p);
    for (int br = 0; br < nb; br++) {
        cli_strbuf_printf(&s, "$B%d << EOD\n", br);
        for (int pass = 0; pass < 3; pass++) {
            if (pass == 1) {
                for (int i = 0; i < n; i++) {
                    hl_bstat q;
                    if (hl_bphases_point(p, br, i, &q) != HL_OK)
                        continue;
                    cli_strbuf_printf(&s, "%.10g", 1 / q.beta);
                    for (int j = 0; j < k; j++)
                        cli_strbuf_printf(&s, " %.10g", q.m[j]);
                    cli_strbuf_printf(&s, " %.10g %.10g %.10g\n", q.phi, q.w, q.f);
                }
                continue;
            }
            for (int q = 0; q < nf; q++) {
                hl_bfold f;
                hl_bphases_fold(p, q, &f);
                if (f.branch != br || f.birth != (pass == 0))
                    continue;
                fold_row(&s, b, &f);
            }
        }
        cli_strbuf_printf(&s, "EOD\n");
    }
    cli_strbuf_printf(&s, "$FOLD << EOD\n");
    for (int q = 0; q < nf; q++) {
        hl_bfold f;
        hl_bphases_fold(p, q, &f);
        fold_row(&s, b, &f);
    }
    cli_strbuf_printf(&s, "EOD\n$MELT << EOD\n");
    for (int q = 0; q < nm; q++) {
        hl_bmelting ml;
        hl_bphases_melting(p, q, &ml);
        for (int side = 0; side < 2; side++) {
            const hl_bstat *st = side ? &ml.b : &ml.a;
            cli_strbuf_printf(&s, "%.10g", 1 / ml.beta);
            for (int j = 0; j < k; j++)
                cli_strbuf_printf(&s, " %.10g", st->m[j]);
            cli_strbuf_printf(&s, " %.10g %.10g %.10g\n", st->phi, st->w, st->f);
        }
    }
    cli_strbuf_printf(&s, "EOD\n");
    /* a colour per branch (gnuplot's own eight repeat from the ninth):
     * twelve, then the same twelve dashed */
    static const char *const pal[] = {"#9400d3", "#009e73", "#56b4e9", "#e69f00",
                                      "#0072b2", "#d62728", "#8c564b", "#e377c2",
                                      "#7f7f7f", "#bcbd22", "#17becf", "#f0c000"};
    const int npal = (int)(sizeof pal / sizeof pal[0]);
#define LC(br) pal[(br) % npal], (br) / npal % 4 + 1
    int cphi = k + 2; /* columns: 1 T, 2 .. k+1 m, k+2 phi, k+3 w */
    /* the T axis: from 1/beta_max to 1/beta_min, cut at 1.3 times the
     * highest T where anything happens (a fold, a melting point, a branch
     * that starts or ends inside the range) when that lies well inside:
     * above it only branches that run on unchanged to 1/beta_min */
    double tmax = 1 / hl_bphases_beta(p, 0), tmin = 1 / hl_bphases_beta(p, n - 1), tev = 0;
    for (int q = 0; q < nf; q++) {
        hl_bfold f;
        hl_bphases_fold(p, q, &f);
        tev = fmax(tev, 1 / f.beta);
    }
    for (int q = 0; q < nm; q++) {
        hl_bmelting ml;
        hl_bphases_melting(p, q, &ml);
        tev = fmax(tev, 1 / ml.beta);
    }
    for (int br = 0; br < nb; br++) {
        int first = -1, last = -1;
        for (int i = 0; i < n; i++) {
            hl_bstat q;
            if (hl_bphases_point(p, br, i, &q) == HL_OK) {
                if (first < 0)
                    first = i;
                last = i;
            }
        }
        if (first > 0)
            tev = fmax(tev, 1 / hl_bphases_beta(p, first));
        if (last >= 0 && last < n - 1)
            tev = fmax(tev, 1 / hl_bphases_beta(p, last));
    }
    char tcut[160] = "";
    if (tev > 0 && 1.3 * tev < 0.8 * tmax) {
        snprintf(tcut, sizeof tcut, "; T* cut at %.3g: above it the branches run on to T* = %.3g",
                 1.3 * tev, tmax);
        tmax = 1.3 * tev;
    }
    if (!(tmin < tmax))
        tmin = 0.9 * tmax;
    /* the key: one row per branch, fold and melting point (gnuplot would
     * cut it at the panel's height) */
    int nkey = nb + (nf > 0) + (nm > 0);
    char title_tail[200];
    snprintf(title_tail, sizeof title_tail, "%d %s%s", k, cli_pl(k, "block", "blocks"),
             nm ? "" : ", no melting point in this range");
    int height = k <= 4 ? 260 * k + 120 : 1160;
    if (nkey * 17 + 120 > height)
        height = nkey * 17 + 120;
    cli_strbuf_printf(&s, "set terminal pngcairo size 1000,%d font 'sans,11' enhanced\n"
                          "set grid lc rgb '#dddddd'\n"
                          "set lmargin at screen 0.09\nset rmargin at screen 0.80\n",
                      height);
    /* 1: m_i against T, one panel per block (at most 8) */
    int np = k < 8 ? k : 8;
    cli_strbuf_printf(&s, "set output '%s'\nset multiplot layout %d,1 title \"Maxima of w - "
                          "{/Symbol b}{/Symbol f}: block %s against T* = "
                          "1/{/Symbol b} (%s)%s%s%s\"\n",
                      tmps[0], np, k == 1 ? "magnetisation m_1" : "magnetisations m_i",
                      title_tail, k > 8 ? "; blocks 1-8 shown" : "",
                      tcut[0] ? "\\n" : "", tcut[0] ? tcut + 2 : "");
    for (int j = 0; j < np; j++) {
        cli_strbuf_printf(&s, "set xrange [%g:%g]\nset yrange [-1.05:1.05]\nset ylabel 'm_%d'\n"
                              "set xlabel '%s'\nunset key\nplot ",
                          tmin, tmax, j + 1, j == np - 1 ? "T* = 1/{/Symbol b}" : "");
        for (int br = 0; br < nb; br++)
            cli_strbuf_printf(&s, "%s$B%d using 1:%d with lines lw %.2f lc rgb '%s' dt %d title '%s'",
                              br ? ", " : "", br, j + 2, LW(br), LC(br),
                              j == 0 ? hl_bphases_branch_name(p, br) : "");
        if (nf)
            cli_strbuf_printf(&s, ", $FOLD using 1:%d with points pt 2 ps 1.6 lw 2 lc rgb '#555555' title '%s'",
                              j + 2, j == 0 ? "branch end" : "");
        if (nm)
            cli_strbuf_printf(&s, ", $MELT using 1:%d with points pt 6 ps 1.8 lw 2 lc rgb 'black' title '%s'",
                              j + 2, j == 0 ? "melting point" : "");
        cli_strbuf_printf(&s, "\n");
    }
    key_panel(&s, p, 0.82, 1 - (tcut[0] ? 58.0 : 40.0) / height, nf, nm, pal, npal);
    cli_strbuf_printf(&s, "unset multiplot\n");
    /* 2: paths in the (m1, m_j) planes; one block: phi against m1 */
    int npl = k >= 3 ? 2 : 1;
    cli_strbuf_printf(&s, "unset lmargin\nunset rmargin\n");
    cli_strbuf_printf(&s, "set terminal pngcairo size %d,%d font 'sans,11' enhanced\n"
                          "set output '%s'\nset multiplot layout 1,%d title \"Branches of maxima "
                          "in the %s (%s)\\nT falls along each curve; "
                          "branches that coincide in a projection\\nare drawn one inside the "
                          "other\"\n",
                      npl == 2 ? 1300 : 820, 600 + 17 * (nkey / (npl == 2 ? 6 : 4)), tmps[1],
                      npl, k == 1 ? "(m_1, {/Symbol f}) plane" : "cube, projected", title_tail);
    for (int pl = 0; pl < npl; pl++) {
        int cj = k == 1 ? cphi : pl == 0 ? 3 : 4; /* phi, m2 or m3 */
        if (k == 1)
            cli_strbuf_printf(&s, "set size noratio\nset xrange [-1.05:1.05]\nset yrange [*:*]\n"
                                  "set xlabel 'm_1'\nset ylabel '{/Symbol f}'\n"
                                  "set key outside below font ',10'\nplot ");
        else
            cli_strbuf_printf(&s, "set size ratio -1\nset xrange [-1.05:1.05]\nset yrange [-1.05:1.05]\n"
                                  "set xlabel 'm_1'\nset ylabel 'm_%d'\n"
                                  "set key outside below font ',10'\nplot ",
                              cj - 1);
        for (int br = 0; br < nb; br++)
            cli_strbuf_printf(&s, "%s$B%d using 2:%d with lines lw %.2f lc rgb '%s' dt %d title '%s'",
                              br ? ", " : "", br, cj, LW(br), LC(br), hl_bphases_branch_name(p, br));
        if (nf)
            cli_strbuf_printf(&s, ", $FOLD using 2:%d with points pt 2 ps 1.6 lw 2 lc rgb '#555555' title 'branch end'", cj);
        if (nm)
            cli_strbuf_printf(&s, ", $MELT using 2:%d with points pt 6 ps 1.8 lw 2 lc rgb 'black' title 'melting point'", cj);
        cli_strbuf_printf(&s, "\n");
    }
    cli_strbuf_printf(&s, "unset multiplot\nset size noratio\n"
                          "set lmargin at screen 0.09\nset rmargin at screen 0.80\n");
    /* 3: phi and w against T */
    height = nkey * 17 + 120 > 800 ? nkey * 17 + 120 : 800;
    cli_strbuf_printf(&s, "set terminal pngcairo size 1000,%d font 'sans,11' enhanced\n"
                          "set output '%s'\nset multiplot layout 2,1 title \"Packing energy "
                          "{/Symbol f} and entropy w per dimension along the branches (%s)%s%s\"\n",
                      height, tmps[2], title_tail,
                      tcut[0] ? "\\n" : "", tcut[0] ? tcut + 2 : "");
    for (int pl = 0; pl < 2; pl++) {
        int col = cphi + pl;
        cli_strbuf_printf(&s, "set xrange [%g:%g]\nset yrange [*:*]\nset ylabel '%s'\nset xlabel '%s'\n"
                              "set lmargin at screen 0.09\nset rmargin at screen 0.80\nunset key\nplot ",
                          tmin, tmax, pl ? "w" : "{/Symbol f}", pl ? "T* = 1/{/Symbol b}" : "");
        for (int br = 0; br < nb; br++)
            cli_strbuf_printf(&s, "%s$B%d using 1:%d with lines lw %.2f lc rgb '%s' dt %d title '%s'",
                              br ? ", " : "", br, col, LW(br), LC(br), pl ? "" : hl_bphases_branch_name(p, br));
        if (nf)
            cli_strbuf_printf(&s, ", $FOLD using 1:%d with points pt 2 ps 1.6 lw 2 lc rgb '#555555' title '%s'",
                              col, pl ? "" : "branch end");
        if (nm)
            cli_strbuf_printf(&s, ", $MELT using 1:%d with points pt 6 ps 1.8 lw 2 lc rgb 'black' title '%s'",
                              col, pl ? "" : "melting point");
        cli_strbuf_printf(&s, "\n");
    }
    key_panel(&s, p, 0.82, 1 - (tcut[0] ? 58.0 : 40.0) / height, nf, nm, pal, npal);
    cli_strbuf_printf(&s, "unset multiplot\nunset output\n");
    int ok = s.buf && cli_gnuplot(cmd, s.buf, outs, tmps, nfig);
    free(s.buf);
    return ok;
}

int cli_phases_blocks(const char *cmd, const cli_phases_blocks_args *a)
{
    if (!a->have_at && a->plot) {
        char out[4096];
        if (!cli_make_dir(cmd, a->plot))
            return cli_outputs_status();
        for (int i = 0; i < CLI_BLOCKS_PHASE_FIGURES; i++) {
            snprintf(out, sizeof out, "%s/%s", a->plot, cli_blocks_phase_figures[i]);
            if (!cli_output_declare(cmd, "--plot", out, 1))
                return cli_outputs_status();
        }
    }
    if (!a->have_at && !cli_output_declare(cmd, "--output", a->output, 0))
        return cli_outputs_status();
    /* only the fractions matter: --blocks K without --dim is K blocks of 1 */
    long dim = a->dim > 0 ? a->dim : (a->bo.from_sizes ? 0 : a->bo.k);
    hl_blocks *b = cli_blocks_model(cmd, &a->bo, dim, a->phi, a->trans);
    if (!b)
        return cli_blocks_status();
    int rc = EXIT_OK;
    hl_bphases *p = NULL;
    if (a->have_at) {
        rc = run_at(cmd, b, a->at, a->json);
        goto done;
    }
    int st = hl_bphases_compute(b, a->bmin, a->bmax, (int)a->points, &p);
    if (st) {
        rc = cli_lib_error(cmd, st);
        goto done;
    }
    hl_bsearch sinfo;
    hl_bphases_search(p, &sinfo);
    if (sinfo.gave_up)
        fprintf(stderr, "hyperland %s: warning: a search for the maxima gave up on its work "
                        "budget: branches may be missing\n", cmd);
    csv_ctx cc = {b, p};
    if (!cli_write_atomic(cmd, a->output, write_csv, &cc)) {
        rc = EXIT_FAIL;
        goto done;
    }
    if (a->plot && !plot(cmd, b, p, a->plot)) {
        rc = EXIT_FAIL;
        goto done;
    }
    print_summary(b, p, a->json);
done:
    hl_bphases_free(p);
    hl_blocks_free(b);
    return rc;
}
