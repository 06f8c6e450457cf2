/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_phases.c -- hyperland phases: maxima of f = w - beta phi (eq 4.13),
 * branches, spinodals, melting points (eq 4.14), Figures 1-4. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "blocks_cmds.h"

static const char *CMD = "phases";

/* the help of the k-block path (--help after --blocks or --block-sizes) */
static const char BLOCKS_HELP[] =
"usage: hyperland phases --blocks K | --block-sizes LIST [options]\n"
"\n"
"k blocks (issue 12): the options of 'hyperland phases --help' and\n"
CLI_BLOCKS_HELP
"  --dim D              with --blocks/--block-sizes only (optional: the\n"
"                       results depend on the block fractions only)\n"
"\n"
"With --blocks K or --block-sizes LIST (k block magnetisations m1 .. mk, phi a\n"
"formula in them): every maximum of f(m) = w(m) - beta phi(m) in the cube\n"
"[-1, 1]^k, w = sum_i r_i h(m_i), r_i = D_i / D.  At up to 101 betas of the grid\n"
"every stationary point is found by an interval branch-and-bound in t = atanh m\n"
"(each proved unique in its box by the Krawczyk operator; boxes that cannot be\n"
"resolved are counted in the summary); branches by continuation, folds to\n"
"1e-8, melting points to 1e-10, the saddle between two maxima (the pass of\n"
"the graph of maxima joined through index-1 stationary points) and the barrier\n"
"per dimension.  Each end of a branch of maxima is classified: 'fold' (a\n"
"spinodal: the branch turns back in beta as a saddle), 'pitchfork' (a branch\n"
"of stationary points passes through -- the maximum goes on as a saddle or a\n"
"saddle becomes a maximum -- and a pair of maxima is born or two saddles\n"
"absorbed: the cubic term of f along the null vector vanishes) or\n"
"'branch-point' (passes through, cubic term nonzero: transcritical, or several\n"
"null directions); pitchforks and branch points located to ~1e-12 in beta.\n"
"Text: 'spinodal:' lines for folds, 'pitchfork:'/'branch-point:' lines; each\n"
"branch's range line runs to its located ends ('beta in [0.16545065 (fold),\n"
"5]'), else to the grid's edge.  JSON: branch_ends (bifurcation, null_dims,\n"
"null_vector, maximum_for, through, beta_error, branches_meeting), spinodals\n"
"(the folds only); branches[].beta_first/beta_last are grid betas, first_end/\n"
"last_end index branch_ends (null at the grid's edge).  At every grid beta the\n"
"branches hold every maximum the global search finds there, each settled to\n"
"rounding; a grid beta within ~1e-8 of an end (the Hessian singular to 1e-8)\n"
"may or may not list the maximum that ends there.\n"
"CSV columns: branch, beta, T, m1 .. mk (then x, y for two equal blocks), phi,\n"
"w, f, stable, heat_capacity, end (empty on grid rows; one more row per end of\n"
"a branch, end = fold|pitchfork|branch-point, stable and heat_capacity\n"
"empty).  --plot draws\n"
"blocks_m_vs_T.png (m_i against T), blocks_paths.png (branches in the (m1, m2)\n"
"and (m1, m3) planes) and blocks_phi_vs_T.png.  The summary gives each\n"
"branch's T -> 0 end (vertex, edge (one m_i free), face (several) or interior\n"
"point of the cube, residual entropy w(T -> 0), lim c/T; none where the\n"
"branch ends (fold, pitchfork); the analysis of two order parameters) and the\n"
"Kauzmann-like point, where the liquid's w falls to the crystal's.\n";

static void help(FILE *fp)
{
    fprintf(fp,
"usage: hyperland phases [options]\n"
"\n"
"Every local maximum of f(x, y) = w(x, y) - beta phi(x, y) in the square\n"
"|x| + |y| <= 1 (eq 4.13), traced over beta by continuation with restarts\n"
"from global searches; folds (spinodals) to 1e-8 in beta, melting points\n"
"(equal f, eq 4.14) to 1e-10, and the saddle of f between the two maxima.\n"
"Each end of a branch of maxima is classified as with --blocks (the model is\n"
"two equal blocks, m1 = x + y, m2 = x - y): 'fold' (a spinodal), 'pitchfork'\n"
"or 'branch-point' (see 'hyperland phases --blocks 2 --help'); pitchforks and\n"
"branch points located to ~1e-12 in beta.  Text: 'spinodal:' lines for folds,\n"
"'pitchfork:'/'branch-point:' lines; JSON: branch_ends (branch, beta, T, x, y,\n"
"kind, bifurcation, null_dims, null_vector (in x, y), maximum_for, through,\n"
"beta_error, branches_meeting), spinodals (the folds only, the same records).\n"
"\n"
"options:\n"
"  --phi FORMULA     phi(x, y), a formula (below; default eq 4.11,\n"
"                    x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3)\n"
"  --beta-min B      smallest beta (default 0.05)\n"
"  --beta-max B      largest beta (default 5)\n"
"  --points N        number of equally spaced betas (default 2000)\n"
"  --output FILE     branch table CSV (default branches.csv; '-': stdout, the\n"
"                    summary then goes to stderr; /dev/null: none)\n"
"  --at BETA         only the maxima (and saddle) at one beta; writes no file\n"
"  --plot DIR        draw Figures 1-4 as PNG into DIR (gnuplot)\n"
"  --transmission F   B(x, y, T) for kinetics (below); parsed (and, without\n"
"                    T, checked) but not used by equilibrium results\n"
"  --json            machine-readable summary on stdout\n"
CLI_THREADS_HELP
"  --help            this text\n" HL_FORMULA_HELP
"\n"
"CSV columns: branch, beta, T (=1/beta), x, y, phi, w (empty where w > 0 is\n"
"below 2.2e-308, within ~e^-700 of a vertex: --at --json gives ln_w), f\n"
"(=w-beta*phi), stable\n"
"(1 where the branch is the global maximum), heat_capacity (c = d<phi>/dT along\n"
"the branch, from the Hessian H of f: c = -beta^2 grad(phi)^T H^-1 grad(phi);\n"
"empty where H is singular, or where c > 0 is below 2.2e-308, its digits lost:\n"
"--at --json then gives ln_heat_capacity, finite however small c is), end\n"
"(empty on grid rows; one more row per end of a branch, in order of beta,\n"
"end = fold|pitchfork|branch-point, stable and heat_capacity empty).\n"
"Energies are per dimension, k_B = 1, so c is per dimension and dimensionless.\n"
"\n"
"The summary also gives each branch's T -> 0 end (vertex, edge or interior\n"
"point of the square, residual entropy w(T -> 0), lim c/T; none where the\n"
"branch ends (fold, pitchfork)) and the Kauzmann-like point, where the supercooled\n"
"liquid's w falls to the crystal's (to 1e-10; none with the reason).\n"
"\n"
"k blocks (issue 12): --blocks K or --block-sizes LIST; see\n"
"'hyperland phases --blocks 2 --help'.\n");
}

static void json_point(FILE *fp, const char *name, const hl_stationary *s)
{
    fprintf(fp, "{\"branch\": ");
    hl_json_string(fp, name);
    fprintf(fp, ", \"x\": ");
    hl_json_number(fp, s->x);
    fprintf(fp, ", \"y\": ");
    hl_json_number(fp, s->y);
    fprintf(fp, ", \"phi\": ");
    hl_json_number(fp, s->phi);
    cli_json_w(fp, s->w, s->ln_w);
    fprintf(fp, ", \"f\": ");
    hl_json_number(fp, s->f);
    fprintf(fp, ", \"stable\": %s, \"heat_capacity\": ", s->stable ? "true" : "false");
    hl_json_number(fp, s->heat_capacity);
    fprintf(fp, ", \"ln_heat_capacity\": ");
    hl_json_number(fp, s->ln_heat_capacity);
    if (isnan(s->heat_capacity))
        fprintf(fp, ", \"heat_capacity_null_reason\": \"%s\"", cli_heat_capacity_null_reason(s->ln_heat_capacity));
    fprintf(fp, "}");
}

static void json_state(FILE *fp, const hl_stationary *s)
{
    fprintf(fp, "{\"x\": ");
    hl_json_number(fp, s->x);
    fprintf(fp, ", \"y\": ");
    hl_json_number(fp, s->y);
    fprintf(fp, ", \"phi\": ");
    hl_json_number(fp, s->phi);
    cli_json_w(fp, s->w, s->ln_w);
    fprintf(fp, "}");
}

static void json_saddle(FILE *fp, const hl_stationary *sd, const hl_stationary *a,
                        const char *na, const hl_stationary *b, const char *nb)
{
    fprintf(fp, "{\"x\": ");
    hl_json_number(fp, sd->x);
    fprintf(fp, ", \"y\": ");
    hl_json_number(fp, sd->y);
    fprintf(fp, ", \"f\": ");
    hl_json_number(fp, sd->f);
    fprintf(fp, ", \"barrier_per_dim\": {");
    hl_json_string(fp, na);
    fprintf(fp, ": ");
    hl_json_number(fp, a->f - sd->f);
    fprintf(fp, ", ");
    hl_json_string(fp, nb);
    fprintf(fp, ": ");
    hl_json_number(fp, b->f - sd->f);
    fprintf(fp, "}}");
}

static const char *t0_kind(int kind)
{
    return kind == HL_T0_VERTEX ? "vertex" : kind == HL_T0_EDGE ? "edge"
                                         : kind == HL_T0_INTERIOR ? "interior" : "none";
}

/* "t0_end": {...} or null, then "t0_end_null_reason" */
static void json_t0(FILE *fp, const hl_t0_end *e)
{
    fprintf(fp, ", \"t0_end\": ");
    if (e->kind == HL_T0_NONE) {
        fprintf(fp, "null, \"t0_end_null_reason\": ");
        hl_json_string(fp, e->reason);
        return;
    }
    fprintf(fp, "{\"kind\": \"%s\", \"x\": ", t0_kind(e->kind));
    hl_json_number(fp, e->x);
    fprintf(fp, ", \"y\": ");
    hl_json_number(fp, e->y);
    fprintf(fp, ", \"phi\": ");
    hl_json_number(fp, e->phi);
    fprintf(fp, ", \"residual_entropy\": ");
    hl_json_number(fp, e->residual_entropy);
    fprintf(fp, ", \"c_over_T\": ");
    hl_json_number(fp, e->c_over_T);
    fprintf(fp, ", \"degenerate_glass\": %s", e->kind == HL_T0_VERTEX ? "false" : "true");
    fprintf(fp, ", \"beta_probe\": ");
    hl_json_number(fp, e->beta_probe);
    fprintf(fp, ", \"w_probe\": ");
    hl_json_number(fp, e->w_probe);
    fprintf(fp, ", \"c_over_T_probe\": ");
    hl_json_number(fp, e->c_over_T_probe);
    if (e->reason[0]) {
        fprintf(fp, ", \"c_over_T_null_reason\": ");
        hl_json_string(fp, e->reason);
    }
    fprintf(fp, "}");
}

static int run_at(const hl_model *m, double beta, int json)
{
    hl_stationary mx[64];
    size_t n;
    int st = hl_maxima_at(m, beta, mx, 64, &n);
    if (st)
        return cli_lib_error(CMD, st);
    if (n > 64)
        n = 64;
    char names[64][16];
    st = hl_name_maxima(m, beta, mx, n, names);
    if (st)
        return cli_lib_error(CMD, st);
    /* saddle between the two highest maxima */
    int i1 = -1, i2 = -1;
    for (size_t k = 0; k < n; k++) {
        if (i1 < 0 || mx[k].f > mx[i1].f) {
            i2 = i1;
            i1 = (int)k;
        } else if (i2 < 0 || mx[k].f > mx[i2].f) {
            i2 = (int)k;
        }
    }
    hl_stationary sd;
    int have_saddle = 0;
    if (i2 >= 0) {
        st = hl_saddle_between(m, beta, &mx[i1], &mx[i2], &sd);
        have_saddle = st == HL_OK;
    }
    if (json) {
        cli_json_begin(stdout, "phases");
        printf(", \"phi\": ");
        hl_json_string(stdout, hl_model_phi_formula(m));
        printf(", \"beta\": ");
        hl_json_number(stdout, beta);
        printf(", \"T\": ");
        hl_json_number(stdout, 1 / beta);
        printf(", \"maxima\": [");
        for (size_t k = 0; k < n; k++) {
            printf(k ? ", " : "");
            json_point(stdout, names[k], &mx[k]);
        }
        printf("]");
        if (have_saddle) {
            printf(", \"saddle\": ");
            json_saddle(stdout, &sd, &mx[i1], names[i1], &mx[i2], names[i2]);
        }
        printf("}\n");
    } else {
        printf("beta = %s (T* = %s): %zu maxima of f = w - beta phi\n", cli_num("%.10g", beta),
               cli_num("%.10g", 1 / beta), n);
        printf("  %-10s %14s %14s %14s %14s %14s  %-6s %14s\n", "branch", "x", "y", "phi",
               "w", "f", "stable", "c=d<phi>/dT");
        for (size_t k = 0; k < n; k++)
            printf("  %-10s %s %s %s %s %s  %-6s %s\n", names[k], cli_num("%14.10f", mx[k].x),
                   cli_num("%14.10f", mx[k].y), cli_num("%14.10f", mx[k].phi),
                   cli_num("%14.10f", mx[k].w), cli_num("%14.10f", mx[k].f),
                   mx[k].stable ? "yes" : "no",
                   cli_numx("%14.10g", mx[k].heat_capacity, cli_heat_capacity_null_reason(mx[k].ln_heat_capacity)));
        if (have_saddle)
            printf("saddle between %s and %s: x = %s, y = %s, f = %s; "
                   "barrier per dimension %s (from %s), %s (from %s)\n",
                   names[i1], names[i2], cli_num("%.10f", sd.x), cli_num("%.10f", sd.y),
                   cli_num("%.10f", sd.f), cli_num("%.10g", mx[i1].f - sd.f), names[i1],
                   cli_num("%.10g", mx[i2].f - sd.f), names[i2]);
    }
    return EXIT_OK;
}

/* the ends of the branches (hl_fold) as cli_end (x, y); NULL when out of
 * memory */
static cli_end *ends_of(const hl_phases *p)
{
    int nf = hl_phases_fold_count(p);
    cli_end *e = calloc((size_t)(nf ? nf : 1), sizeof *e);
    for (int q = 0; e && q < nf; q++) {
        hl_fold f;
        hl_phases_fold(p, q, &f);
        e[q] = (cli_end){f.branch, hl_phases_branch_name(p, f.branch), f.beta, f.birth,
                         f.bifurcation, f.through, f.null_dims, f.beta_error, 2, 1,
                         {f.x, f.y}, {f.null_vector[0], f.null_vector[1]}};
    }
    return e;
}

typedef struct {
    const hl_model *m;
    const hl_phases *p;
    char params[512];
} csv_ctx;

static void grid_row(FILE *fp, void *vc, int b, int i)
{
    const csv_ctx *c = vc;
    hl_stationary q;
    if (hl_phases_point(c->p, b, i, &q) == HL_OK)
        cli_csv_stationary_end(fp, hl_phases_branch_name(c->p, b), &q, "");
}

/* a row at an end of a branch: its point, stable and heat_capacity empty
 * (the Hessian is singular there), end = fold | pitchfork | branch-point */
static void end_row(FILE *fp, void *vc, const cli_end *e)
{
    const csv_ctx *c = vc;
    double x = e->pos[0], y = e->pos[1], phi = hl_model_phi(c->m, x, y),
           w = hl_entropy_w(x, y);
    fprintf(fp, "%s", e->name);
    hl_csv_number(fp, ",%.12g", e->beta);
    hl_csv_number(fp, ",%.12g", 1 / e->beta);
    hl_csv_number(fp, ",%.15g", x);
    hl_csv_number(fp, ",%.15g", y);
    hl_csv_number(fp, ",%.15g", phi);
    hl_csv_number(fp, ",%.15g", w);
    hl_csv_number(fp, ",%.15g", w - e->beta * phi);
    fprintf(fp, ",,,%s\n", hl_bend_name(e->bifurcation));
}

static double grid_beta(void *vc, int i)
{
    return hl_phases_beta(((const csv_ctx *)vc)->p, i);
}

static int write_csv(FILE *fp, void *vp)
{
    csv_ctx *c = vp;
    cli_csv_preamble(fp, c->params);
    fprintf(fp, "branch,beta,T,x,y,phi,w,f,stable,heat_capacity,end\n");
    cli_end *ends = ends_of(c->p);
    int rc = cli_end_csv_rows(fp, ends, hl_phases_fold_count(c->p), hl_phases_branch_count(c->p),
                              hl_phases_beta_count(c->p), grid_beta, grid_row, end_row, c);
    free(ends);
    return rc || ferror(fp) ? -1 : 0;
}

static void print_summary(const hl_model *m, const hl_phases *p, int json,
                          double pmx, double pmy, double pmv)
{
    int nb = hl_phases_branch_count(p), nf = hl_phases_fold_count(p),
        nm = hl_phases_melting_count(p), n = hl_phases_beta_count(p);
    if (json) {
        cli_json_begin(stdout, "phases");
        printf(", \"phi\": ");
        hl_json_string(stdout, hl_model_phi_formula(m));
        printf(", \"beta_min\": ");
        hl_json_number(stdout, hl_phases_beta(p, 0));
        printf(", \"beta_max\": ");
        hl_json_number(stdout, hl_phases_beta(p, n - 1));
        printf(", \"points\": %d, \"phi_min\": {\"x\": ", n);
        hl_json_number(stdout, pmx);
        printf(", \"y\": ");
        hl_json_number(stdout, pmy);
        printf(", \"phi\": ");
        hl_json_number(stdout, pmv);
        printf("}, \"branches\": [");
        for (int b = 0; b < nb; b++) {
            int first = -1, last = -1;
            for (int i = 0; i < n; i++) {
                hl_stationary q;
                if (hl_phases_point(p, b, i, &q) == HL_OK) {
                    if (first < 0)
                        first = i;
                    last = i;
                }
            }
            printf("%s{\"name\": ", b ? ", " : "");
            hl_json_string(stdout, hl_phases_branch_name(p, b));
            printf(", \"beta_first\": ");
            hl_json_number(stdout, first >= 0 ? hl_phases_beta(p, first) : NAN);
            printf(", \"beta_last\": ");
            hl_json_number(stdout, last >= 0 ? hl_phases_beta(p, last) : NAN);
            hl_t0_end e;
            hl_phases_t0_end(p, b, &e);
            json_t0(stdout, &e);
            printf("}");
        }
        printf("]");
        cli_end *ends = ends_of(p);
        cli_end_json_lists(stdout, ends, ends ? nf : 0);
        free(ends);
        printf(", \"melting\": [");
        for (int k = 0; k < nm; k++) {
            hl_melting ml;
            hl_phases_melting(p, k, &ml);
            printf("%s{\"beta\": ", k ? ", " : "");
            hl_json_number(stdout, ml.beta);
            printf(", \"T\": ");
            hl_json_number(stdout, 1 / ml.beta);
            printf(", \"liquid_branch\": ");
            hl_json_string(stdout, hl_phases_branch_name(p, ml.branch_a));
            printf(", \"crystal_branch\": ");
            hl_json_string(stdout, hl_phases_branch_name(p, ml.branch_b));
            printf(", \"liquid\": ");
            json_state(stdout, &ml.a);
            printf(", \"crystal\": ");
            json_state(stdout, &ml.b);
            printf(", \"latent_heat\": ");
            hl_json_number(stdout, ml.latent_heat);
            printf(", \"entropy_jump\": ");
            hl_json_number(stdout, ml.entropy_jump);
            printf(", \"beta_times_latent_heat\": ");
            hl_json_number(stdout, ml.beta * ml.latent_heat);
            printf(", \"clausius_clapeyron_residual\": ");
            hl_json_number(stdout, ml.entropy_jump - ml.beta * ml.latent_heat);
            printf(", \"global\": %s", ml.global ? "true" : "false");
            if (ml.has_saddle) {
                printf(", \"saddle\": ");
                json_saddle(stdout, &ml.saddle, &ml.a, "liquid", &ml.b, "crystal");
            }
            printf("}");
        }
        printf("], \"unresolved_melting\": [");
        for (int k = 0; k < hl_phases_unresolved_count(p); k++) {
            hl_melting_unresolved u;
            hl_phases_unresolved(p, k, &u);
            printf("%s{\"branches\": [", k ? ", " : "");
            hl_json_string(stdout, hl_phases_branch_name(p, u.branch_a));
            printf(", ");
            hl_json_string(stdout, hl_phases_branch_name(p, u.branch_b));
            printf("], \"beta_lo\": ");
            hl_json_number(stdout, u.beta_lo);
            printf(", \"beta_hi\": ");
            hl_json_number(stdout, u.beta_hi);
            printf(", \"reason\": ");
            hl_json_string(stdout, u.reason);
            printf("}");
        }
        hl_kauzmann kz;
        hl_phases_kauzmann(p, &kz);
        printf("], \"kauzmann\": ");
        if (kz.found) {
            printf("{\"beta\": ");
            hl_json_number(stdout, kz.beta);
            printf(", \"T\": ");
            hl_json_number(stdout, kz.T);
            printf(", \"w\": ");
            hl_json_number(stdout, kz.liquid.w);
            printf(", \"liquid\": ");
            json_state(stdout, &kz.liquid);
            printf(", \"crystal\": ");
            json_state(stdout, &kz.crystal);
            printf("}");
        } else {
            printf("null, \"kauzmann_null_reason\": ");
            hl_json_string(stdout, kz.reason);
        }
        int grid = 0, capped = 0;
        hl_phases_search_grid(p, &grid, &capped);
        printf(", \"search_grid\": {\"points_per_axis\": %d, \"feature_length\": ", grid);
        hl_json_number(stdout, hl_model_feature_length(m));
        printf(", \"finer_grid_needed\": %s}}\n", capped ? "true" : "false");
        return;
    }
    printf("phi = %s\n", hl_model_phi_formula(m));
    printf("global minimum of phi on the square: phi(%s, %s) = %s\n", cli_num("%.6g", pmx),
           cli_num("%.6g", pmy), cli_num("%.10f", pmv));
    printf("%d branch(es) over beta in [%s, %s] (%d points):\n", nb,
           cli_num("%g", hl_phases_beta(p, 0)), cli_num("%g", hl_phases_beta(p, n - 1)), n);
    for (int b = 0; b < nb; b++) {
        hl_t0_end e;
        hl_phases_t0_end(p, b, &e);
        if (e.kind == HL_T0_NONE)
            printf("  %-8s T -> 0: none (%s)\n", hl_phases_branch_name(p, b), e.reason);
        else
            printf("  %-8s T -> 0: %s (%s, %s), phi = %s, residual entropy w = %s, c/T -> %s%s\n",
                   hl_phases_branch_name(p, b), t0_kind(e.kind), cli_num("%.8g", e.x),
                   cli_num("%.8g", e.y), cli_num("%.10g", e.phi),
                   cli_num("%.10g", e.residual_entropy),
                   cli_numx("%.10g", e.c_over_T, "n/a (not quadratic)"),
                   e.kind == HL_T0_VERTEX ? "" : " [degenerate glass]");
    }
    hl_kauzmann kz;
    hl_phases_kauzmann(p, &kz);
    cli_print_kauzmann(kz.found, kz.beta, kz.liquid.w, kz.reason);
    int grid = 0, capped = 0;
    hl_phases_search_grid(p, &grid, &capped);
    if (capped)
        printf("warning: phi varies on a length of %s, finer than the global search's grid "
               "(%d points per axis) resolves: maxima closer than the grid spacing may be "
               "missed\n",
               cli_num("%.3g", hl_model_feature_length(m)), grid);
    cli_end *ends = ends_of(p);
    for (int k = 0; k < nf; k++) {
        hl_fold f;
        hl_phases_fold(p, k, &f);
        if (f.bifurcation == HL_BEND_FOLD)
            printf("spinodal: %s branch %s at beta = %s (T* = %s), (x, y) = (%s, %s)\n",
                   hl_phases_branch_name(p, f.branch), f.birth ? "appears" : "ends",
                   cli_num("%.10f", f.beta), cli_num("%.8f", 1 / f.beta),
                   cli_num("%.8f", f.x), cli_num("%.8f", f.y));
        else if (ends)
            cli_end_text(stdout, &ends[k]);
    }
    free(ends);
    if (nm == 0)
        printf("melting: no melting point found for beta in [%s, %s]%s\n",
               cli_num("%g", hl_phases_beta(p, 0)), cli_num("%g", hl_phases_beta(p, n - 1)),
               nb < 2 ? " (one branch of maxima)"
               : hl_phases_unresolved_count(p)
                   ? " (crossings that could not be refined are listed below)"
                   : " (no two branches cross in f, apart from mirror images whose f is equal "
                     "throughout)");
    for (int k = 0; k < hl_phases_unresolved_count(p); k++) {
        hl_melting_unresolved u;
        hl_phases_unresolved(p, k, &u);
        printf("melting: unresolved between %s and %s for beta in [%s, %s]: %s\n",
               hl_phases_branch_name(p, u.branch_a), hl_phases_branch_name(p, u.branch_b),
               cli_num("%.10g", u.beta_lo), cli_num("%.10g", u.beta_hi), u.reason);
    }
    for (int k = 0; k < nm; k++) {
        hl_melting ml;
        hl_phases_melting(p, k, &ml);
        printf("melting: beta_m = %s (T_m = %s)%s\n", cli_num("%.12f", ml.beta),
               cli_num("%.10f", 1 / ml.beta), ml.global ? "" : " [between metastable branches]");
        printf("  %-8s x = %s y = %s phi = %s w = %s\n", hl_phases_branch_name(p, ml.branch_a),
               cli_num("%.10f", ml.a.x), cli_num("%.10f", ml.a.y), cli_num("%.10f", ml.a.phi),
               cli_num("%.10f", ml.a.w));
        printf("  %-8s x = %s y = %s phi = %s w = %s\n", hl_phases_branch_name(p, ml.branch_b),
               cli_num("%.10f", ml.b.x), cli_num("%.10f", ml.b.y), cli_num("%.10f", ml.b.phi),
               cli_num("%.10f", ml.b.w));
        printf("  latent heat %s, entropy jump %s, beta_m * latent heat %s\n",
               cli_num("%.10f", ml.latent_heat), cli_num("%.10f", ml.entropy_jump),
               cli_num("%.10f", ml.beta * ml.latent_heat));
        if (ml.has_saddle)
            printf("  saddle x = %s y = %s f = %s; barrier per dimension %s "
                   "(from %s), %s (from %s)\n",
                   cli_num("%.8f", ml.saddle.x), cli_num("%.8f", ml.saddle.y),
                   cli_num("%.10f", ml.saddle.f), cli_num("%.6g", ml.a.f - ml.saddle.f),
                   hl_phases_branch_name(p, ml.branch_a), cli_num("%.6g", ml.b.f - ml.saddle.f),
                   hl_phases_branch_name(p, ml.branch_b));
    }
}

int cmd_phases(int argc, char **argv)
{
    static const struct option opts[] = {
        {"phi", required_argument, 0, 'p'},     {"beta-min", required_argument, 0, 'a'},
        {"transmission", required_argument, 0, 'B'},
        {"beta-max", required_argument, 0, 'b'}, {"points", required_argument, 0, 'n'},
        {"output", required_argument, 0, 'o'},  {"at", required_argument, 0, 't'},
        {"plot", required_argument, 0, 'P'},    {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, CLI_THREADS_OPTION,
        CLI_BLOCKS_OPTIONS, {"dim", required_argument, 0, 'D'}, {0, 0, 0, 0}};
    cli_blocks_opts bo = {0};
    long dim = 0;
    const char *trans = NULL;
    const char *phi = NULL, *output = "branches.csv", *plot = NULL;
    double bmin = 0.05, bmax = 5.0, at = 0;
    long points = 2000;
    int json = 0, have_at = 0, have_output = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': phi = optarg; break;
        case 'B': trans = optarg; break;
        case 'a': if (!cli_parse_beta(CMD, "--beta-min", optarg, &bmin)) return EXIT_USAGE; break;
        case 'b': if (!cli_parse_beta(CMD, "--beta-max", optarg, &bmax)) return EXIT_USAGE; break;
        case 'n':
            if (!cli_parse_long(CMD, "--points", optarg, &points)) return EXIT_USAGE;
            if (points < 2 || points > 10000000) {
                cli_error(CMD, "--points %ld is out of range [2, 10000000]", points);
                return EXIT_USAGE;
            }
            break;
        case 'o': output = optarg; have_output = 1; break;
        case 't': if (!cli_parse_beta(CMD, "--at", optarg, &at)) return EXIT_USAGE; have_at = 1; break;
        case 'P': plot = optarg; break;
        case 'j': json = 1; break;
        case 'D':
            if (!cli_parse_long(CMD, "--dim", optarg, &dim)) return EXIT_USAGE;
            if (dim < 1) {
                cli_error(CMD, "--dim %ld must be positive", dim);
                return EXIT_USAGE;
            }
            break;
        case 'h':
            for (int q = 1; q < argc; q++)
                if (!strncmp(argv[q], "--blocks", 8) || !strncmp(argv[q], "--block-sizes", 13)) {
                    fputs(BLOCKS_HELP, stdout);
                    return EXIT_OK;
                }
            help(stdout);
            return EXIT_OK;
        case CLI_OPT_BLOCKS:
        case CLI_OPT_BLOCK_SIZES:
            if (cli_blocks_option(CMD, c, optarg, &bo) < 0)
                return EXIT_USAGE;
            break;
        case CLI_OPT_THREADS:
            if (!cli_parse_threads(CMD, optarg))
                return EXIT_USAGE;
            break;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (!cli_no_extra_args(CMD, argc, argv))
        return EXIT_USAGE;
    if (!(bmax > bmin)) {
        cli_error(CMD, "--beta-max %g must be larger than --beta-min %g", bmax, bmin);
        return EXIT_USAGE;
    }
    if (have_at && (have_output || plot)) {
        cli_error(CMD, "--at writes no file: --output and --plot go with the beta range");
        return EXIT_USAGE;
    }
    if (json && !cli_stdout_claim(CMD, "--json"))
        return EXIT_USAGE;
    if (dim && !bo.k) {
        cli_error(CMD, "--dim goes with --blocks or --block-sizes");
        return EXIT_USAGE;
    }
    if (bo.k) {
        cli_phases_blocks_args ba = {bo,   dim,       phi,  trans,   output, have_output, plot,
                                     bmin, bmax,      points, have_at, at,   json};
        return cli_phases_blocks(CMD, &ba);
    }
    /* every output is made before the work, so an unwritable path fails first */
    if (!have_at && (!cli_output_declare(CMD, "--output", output, 0) ||
                     (plot && (!cli_make_dir(CMD, plot) ||
                               !cli_plot_phases_declare(CMD, "--plot", plot)))))
        return cli_outputs_status();
    /* B only matters to kinetics; it is validated here like everywhere */
    hl_model *m = cli_model(CMD, phi, trans);
    if (!m)
        return EXIT_FAIL;
    int st = HL_OK;
    int rc = EXIT_OK;
    hl_phases *p = NULL;
    if (have_at) {
        rc = run_at(m, at, json);
        goto done;
    }
    double pmx, pmy, pmv;
    st = hl_model_phi_min(m, &pmx, &pmy, &pmv);
    if (!st)
        st = hl_phases_compute(m, bmin, bmax, (int)points, &p);
    if (st) {
        rc = cli_lib_error(CMD, st);
        goto done;
    }
    csv_ctx cc = {m, p, ""};
    snprintf(cc.params, sizeof cc.params, "phi = %s; beta in [%g, %g], %ld points",
             hl_model_phi_formula(m), bmin, bmax, points);
    if (!cli_write_atomic(CMD, output, write_csv, &cc)) {
        rc = EXIT_FAIL;
        goto done;
    }
    if (plot && !cli_plot_phases(CMD, m, p, plot)) {
        rc = EXIT_FAIL;
        goto done;
    }
    print_summary(m, p, json, pmx, pmy, pmv);
done:
    hl_phases_free(p);
    hl_model_free(m);
    return rc;
}
