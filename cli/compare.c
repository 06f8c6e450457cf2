/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compare.c -- the master equation against the Fokker-Planck equation and
 * the Ornstein-Uhlenbeck formulas (used by 'compare' and 'paper'). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hyperland/fokker_planck.h"

void cli_compare_defaults(cli_compare_opts *o)
{
    memset(o, 0, sizeof *o);
    o->k = 3;
    o->grid = 160;
    o->window = 8;
    o->displace = 2;
}

int cli_compare_parse_dims(const char *cmd, const char *s, cli_compare_opts *o)
{
    size_t n = 0;
    o->nd = 0;
    if (!cli_parse_list_long(cmd, "--dims", s, o->dims, CLI_COMPARE_MAX_DIMS, &n))
        return 0;
    for (size_t i = 0; i < n; i++) {
        long D = o->dims[i];
        if (hl_check_dim(D) != HL_OK) {
            cli_error(cmd, "--dims: %s", hl_errmsg());
            return 0;
        }
        if (D < 10 || D > CLI_COMPARE_DIM_MAX) {
            cli_error(cmd, "--dims: D = %ld is not in [10, %ld] (the in-basin master equation "
                           "is solved on all (D/2+1)^2 classes)", D, CLI_COMPARE_DIM_MAX);
            return 0;
        }
        if (i > 0 && !(D > o->dims[i - 1])) {
            cli_error(cmd, "--dims: %ld after %ld: dimensions must increase", D, o->dims[i - 1]);
            return 0;
        }
    }
    o->nd = (int)n;
    return 1;
}

void cli_compare_free(cli_compare_result *r)
{
    if (!r)
        return;
    free(r->rows);
    free(r);
}

static int lib_fail(const char *cmd, const char *what, long D, const char *branch)
{
    cli_error(cmd, "%s at D = %ld, branch %s: %s", what, D, branch, hl_errmsg());
    return 0;
}

/* The Fokker-Planck equation of one form for the comparison: a window of
 * +-W sd around the branch's maximum, the full form cut to the concave core
 * of its basin. */
static int compare_fp(const char *cmd, const hl_model *m, long D, double beta,
                      const char *branch, int form, long grid, double window, hl_fp **fp)
{
    hl_fp_options opt;
    hl_fp_options_default(&opt);
    opt.form = form;
    opt.grid = grid;
    opt.branch = branch;
    opt.window = window;
    opt.in_basin = form == HL_FP_FULL ? HL_FP_CORE : 0;
    if (hl_fp_create(m, D, beta, &opt, fp) != HL_OK)
        return lib_fail(cmd, "Fokker-Planck set-up", D, branch);
    return 1;
}

/* k slow rates of the Fokker-Planck form on grids N and N/2, extrapolated
 * to h -> 0 (error O(h^2) -> O(h^4)). */
static int fp_rates(const char *cmd, const hl_model *m, long D, double beta, const char *branch,
                    int form, const cli_compare_opts *o, double *out)
{
    double r[2][CLI_COMPARE_MAX_RATES + 1];
    for (int pass = 0; pass < 2; pass++) {
        hl_fp *fp;
        if (!compare_fp(cmd, m, D, beta, branch, form, pass == 0 ? o->grid : o->grid / 2,
                        o->window, &fp))
            return 0;
        int st = hl_fp_spectrum(fp, o->k + 1, r[pass], NULL);
        hl_fp_free(fp);
        if (st)
            return lib_fail(cmd, "Fokker-Planck spectrum", D, branch);
    }
    for (int q = 0; q < o->k; q++)
        out[q] = (4.0 * r[0][q + 1] - r[1][q + 1]) / 3.0;
    return 1;
}

/* the mean of the Fokker-Planck form from the class start q0 */
static int fp_mean(const char *cmd, const hl_model *m, long D, double beta, const char *branch,
                   int form, const cli_compare_opts *o, const hl_evolve_start *start,
                   const double *t, double *mx, double *my)
{
    hl_fp *fp;
    if (!compare_fp(cmd, m, D, beta, branch, form, o->grid, o->window, &fp))
        return 0;
    hl_protocol *p = NULL;
    hl_evolve_point pts[CLI_COMPARE_TIMES + 1];
    int st = hl_protocol_create_fixed(beta, &p);
    if (!st)
        st = hl_fp_evolve(fp, p, start, t, CLI_COMPARE_TIMES + 1, 1e-8, pts, NULL, NULL);
    hl_protocol_free(p);
    hl_fp_free(fp);
    if (st)
        return lib_fail(cmd, "Fokker-Planck evolution", D, branch);
    for (int j = 0; j <= CLI_COMPARE_TIMES; j++) {
        mx[j] = pts[j].mean_x;
        my[j] = pts[j].mean_y;
    }
    return 1;
}

/* The resolution of a comparison.  The master equation's in-basin rates carry
 * an absolute error of a few eps times the basin's fastest rate, so a relative
 * difference below HL_COMPARE_RATE_FLOOR is round-off, not a difference of
 * the models; the paths are integrated to rtol 1e-8, so a path error below
 * HL_COMPARE_PATH_FLOOR (of |delta0|) is the integrator's.  Such a value is
 * NAN here: null in JSON, empty in CSV, n/a in the table, and the branch's
 * fitted exponent is null (a fit through noise is not an exponent). */
#define HL_COMPARE_RATE_FLOOR 1e-12
#define HL_COMPARE_PATH_FLOOR 1e-6

static double resolved(double v, double floor) { return v >= floor ? v : NAN; }

static double max_rel(const double *a, const double *ref, int k)
{
    double e = 0;
    for (int q = 0; q < k; q++)
        e = fmax(e, fabs(a[q] - ref[q]) / ref[q]);
    return e;
}

static double path_err(const cli_compare_row *r, int model)
{
    double d0 = hypot(r->d0x, r->d0y), e = 0;
    for (int j = 0; j < CLI_COMPARE_TIMES; j++)
        e = fmax(e, hypot(r->mx[model][j] - r->mx[0][j], r->my[model][j] - r->my[0][j]) / d0);
    return e;
}

static int compare_one(const char *cmd, const hl_model *m, const cli_compare_opts *o, long D,
                       const hl_gaussian *g, cli_compare_row *r)
{
    double beta = o->beta, tmp[CLI_COMPARE_MAX_RATES + 1];
    int k = o->k;
    memset(r, 0, sizeof *r);
    r->D = D;
    memcpy(r->branch, g->name, sizeof r->branch);
    r->branch[sizeof r->branch - 1] = 0;
    r->x = g->x;
    r->y = g->y;
    r->lambda[0] = g->lambda[0];
    r->lambda[1] = g->lambda[1];
    if (hl_basin_spectrum(m, D, beta, g->name, 1, k + 1, tmp, NULL) != HL_OK)
        return lib_fail(cmd, "in-basin master spectrum", D, g->name);
    for (int q = 0; q < k; q++)
        r->rates[0][q] = tmp[q + 1];
    if (!fp_rates(cmd, m, D, beta, g->name, HL_FP_FULL, o, r->rates[1]) ||
        !fp_rates(cmd, m, D, beta, g->name, HL_FP_LINEAR, o, r->rates[2]))
        return 0;
    hl_ou_rates(g, k + 1, tmp);
    for (int q = 0; q < k; q++)
        r->rates[3][q] = tmp[q + 1];
    for (int mdl = 1; mdl < 4; mdl++)
        r->rate_diff[mdl] = resolved(max_rel(r->rates[mdl], r->rates[0], k),
                                     HL_COMPARE_RATE_FLOOR);

    /* the mean: linear response.  A field f held until t = 0 displaces the
     * Gaussian by delta = M^-1 f; delta points from the maximum towards the
     * centre of the square, with Mahalanobis length S (S standard
     * deviations of the Gaussian in that direction).  Each model starts from
     * its own equilibrium in that field (HL_START_TILTED); the OU formula
     * starts from the master equation's initial mean. */
    double vx = -g->x, vy = -g->y, vn = hypot(vx, vy);
    if (!(vn > 1e-12)) {
        vx = 1;
        vy = 0;
        vn = 1;
    }
    vx /= vn;
    vy /= vn;
    double q = (double)D * (2 * g->E11 * vx * vx + 2 * g->E12 * vx * vy + 2 * g->E22 * vy * vy);
    double dx = o->displace * vx / sqrt(q), dy = o->displace * vy / sqrt(q);
    hl_evolve_start start;
    memset(&start, 0, sizeof start);
    start.kind = HL_START_TILTED;
    start.field[0] = 2 * g->E11 * dx + g->E12 * dy;
    start.field[1] = g->E12 * dx + 2 * g->E22 * dy;
    /* output times over three relaxation times of the slowest OU mode, and
     * a last one, 100 times later, for each model's equilibrium mean */
    double T = 3.0 / g->lambda[0], tt[CLI_COMPARE_TIMES + 1];
    for (int j = 0; j < CLI_COMPARE_TIMES; j++)
        tt[j] = r->t[j] = T * j / (CLI_COMPARE_TIMES - 1);
    tt[CLI_COMPARE_TIMES] = 100 * T;
    if (hl_basin_evolve(m, D, beta, g->name, 1, &start, tt, CLI_COMPARE_TIMES + 1, 1e-8,
                        r->mx[0], r->my[0]) != HL_OK)
        return lib_fail(cmd, "in-basin master evolution", D, g->name);
    if (!fp_mean(cmd, m, D, beta, g->name, HL_FP_FULL, o, &start, tt, r->mx[1], r->my[1]) ||
        !fp_mean(cmd, m, D, beta, g->name, HL_FP_LINEAR, o, &start, tt, r->mx[2], r->my[2]))
        return 0;
    /* displacements from each model's own equilibrium mean */
    for (int mdl = 0; mdl < 3; mdl++) {
        r->eqx[mdl] = r->mx[mdl][CLI_COMPARE_TIMES];
        r->eqy[mdl] = r->my[mdl][CLI_COMPARE_TIMES];
        for (int j = 0; j <= CLI_COMPARE_TIMES; j++) {
            r->mx[mdl][j] -= r->eqx[mdl];
            r->my[mdl][j] -= r->eqy[mdl];
        }
    }
    r->d0x = r->mx[0][0];
    r->d0y = r->my[0][0];
    r->eqx[3] = g->x;
    r->eqy[3] = g->y;
    double d0[2] = {r->d0x, r->d0y};
    for (int j = 0; j < CLI_COMPARE_TIMES; j++) {
        double d[2];
        hl_ou_mean(g, r->t[j], d0, d);
        r->mx[3][j] = d[0];
        r->my[3][j] = d[1];
    }
    for (int mdl = 1; mdl < 4; mdl++)
        r->path_err[mdl] = resolved(path_err(r, mdl), HL_COMPARE_PATH_FLOOR);
    return 1;
}

/* least-squares slope of ln(err) against ln(D) over the rows of a branch;
 * NAN when a row's difference is below the resolution (resolved()) */
static double slope(const cli_compare_result *res, const char *branch, int which, int mdl)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (int i = 0; i < res->nrows; i++) {
        const cli_compare_row *r = &res->rows[i];
        double e = which ? r->path_err[mdl] : r->rate_diff[mdl];
        if (strcmp(r->branch, branch))
            continue;
        if (!(e > 0))
            return NAN;
        double lx = log((double)r->D), ly = log(e);
        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
        n++;
    }
    if (n < 2)
        return NAN;
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

int cli_compare_run(const char *cmd, const hl_model *m, const cli_compare_opts *o,
                    cli_compare_result **out)
{
    *out = NULL;
    cli_compare_result *res = calloc(1, sizeof *res);
    if (!res) {
        cli_error(cmd, "out of memory");
        return 0;
    }
    res->m = m;
    res->o = *o;
    res->rows = calloc((size_t)o->nd * CLI_COMPARE_MAX_BRANCHES, sizeof(cli_compare_row));
    if (!res->rows) {
        cli_error(cmd, "out of memory");
        free(res);
        return 0;
    }
    for (int i = 0; i < o->nd; i++) {
        long D = o->dims[i];
        hl_gaussian g[CLI_COMPARE_MAX_BRANCHES];
        size_t cnt = 0;
        if (hl_gaussian_maxima(m, D, o->beta, g, CLI_COMPARE_MAX_BRANCHES, &cnt) != HL_OK) {
            cli_error(cmd, "%s", hl_errmsg());
            cli_compare_free(res);
            return 0;
        }
        if (cnt > CLI_COMPARE_MAX_BRANCHES)
            cnt = CLI_COMPARE_MAX_BRANCHES;
        int used = 0;
        for (size_t b = 0; b < cnt; b++) {
            if (o->branch && strcmp(o->branch, g[b].name))
                continue;
            used++;
            cli_progress("compare", (i + (double)b / (double)cnt) / o->nd);
            if (!compare_one(cmd, m, o, D, &g[b], &res->rows[res->nrows])) {
                cli_progress_done();
                cli_compare_free(res);
                return 0;
            }
            res->nrows++;
        }
        if (!used) {
            cli_progress_done();
            if (o->branch)
                cli_error(cmd, "no maximum named '%s' at beta = %g", cli_clip(o->branch), o->beta);
            else
                cli_error(cmd, "no maximum of f at beta = %g", o->beta);
            cli_compare_free(res);
            return 0;
        }
    }
    cli_progress_done();
    *out = res;
    return 1;
}

static const char *MODEL_KEY[4] = {"master", "fp", "fp_linear", "ou"};

int cli_compare_csv(FILE *fp, void *vp)
{
    const cli_compare_result *res = vp;
    const cli_compare_opts *o = &res->o;
    char params[2048];
    int kb = res->nrows ? res->rows[0].kb : 0;
    snprintf(params, sizeof params,
             "phi = %s; B = %s; beta = %.17g; in-basin rates (units of B), %d per model: master = "
             "eq 5.6 restricted to the basin; fp = full Fokker-Planck, grid %ld and %ld over +-%g "
             "sd, Richardson-extrapolated; fp_linear = linearised form, same grids; ou = exact "
             "Ornstein-Uhlenbeck; rel_diff_* = max over the rates of |r - master| / master; "
             "path_err_* = max_t |<(x,y)> - master| / |delta0|, start %g sd from the maximum; "
             "empty: below the resolution (rel_diff < 1e-12: round-off of the rates; "
             "path_err < 1e-6: the integrators' tolerance)",
             res->m ? hl_model_phi_formula(res->m) : res->phi,
             res->m ? hl_model_transmission_formula(res->m) : res->trans, o->beta, o->k,
             o->grid, o->grid / 2, o->window, o->displace);
    if (kb) {
        size_t l = strlen(params);
        snprintf(params + l, sizeof params - l,
                 "; model of %d %s (sizes per row in the column blocks), m_i = the maximum, "
                 "path errors in m%s",
                 kb, cli_pl(kb, "block", "blocks"), res->rows[0].fp_null ? "; fp, fp_linear empty: " : "");
        if (res->rows[0].fp_null) {
            l = strlen(params);
            snprintf(params + l, sizeof params - l, "%s", res->rows[0].fp_null);
        }
    }
    cli_csv_preamble(fp, params);
    if (kb) {
        fprintf(fp, "D,branch,blocks");
        for (int a = 0; a < kb; a++)
            fprintf(fp, ",m_%d", a + 1);
    } else
        fprintf(fp, "D,branch,x_m,y_m");
    for (int mdl = 0; mdl < 4; mdl++)
        for (int q = 0; q < o->k; q++)
            fprintf(fp, ",%s_%d", MODEL_KEY[mdl], q + 1);
    for (int mdl = 1; mdl < 4; mdl++)
        fprintf(fp, ",rel_diff_%s", MODEL_KEY[mdl]);
    for (int mdl = 1; mdl < 4; mdl++)
        fprintf(fp, ",path_err_%s", MODEL_KEY[mdl]);
    fprintf(fp, "\n");
    for (int i = 0; i < res->nrows; i++) {
        const cli_compare_row *r = &res->rows[i];
        fprintf(fp, "%ld,%s", r->D, r->branch);
        if (kb) {
            fprintf(fp, ",");
            for (int a = 0; a < kb; a++)
                fprintf(fp, "%s%ld", a ? ";" : "", r->sizes[a]);
            for (int a = 0; a < kb; a++)
                hl_csv_number(fp, ",%.12g", r->m[a]);
        } else {
            hl_csv_number(fp, ",%.12g", r->x);
            hl_csv_number(fp, ",%.12g", r->y);
        }
        for (int mdl = 0; mdl < 4; mdl++)
            for (int q = 0; q < o->k; q++)
                hl_csv_number(fp, ",%.12g", r->rates[mdl][q]);
        for (int mdl = 1; mdl < 4; mdl++)
            hl_csv_number(fp, ",%.6g", r->rate_diff[mdl]);
        for (int mdl = 1; mdl < 4; mdl++)
            hl_csv_number(fp, ",%.6g", r->path_err[mdl]);
        fprintf(fp, "\n");
    }
    return ferror(fp) ? -1 : 0;
}

static void json_array(FILE *fp, const double *v, int k)
{
    fprintf(fp, "[");
    for (int q = 0; q < k; q++) {
        fprintf(fp, "%s", q ? ", " : "");
        hl_json_number(fp, v[q]);
    }
    fprintf(fp, "]");
}

/* distinct branch names in row order */
static int branches(const cli_compare_result *res, char (*names)[16])
{
    int n = 0;
    for (int i = 0; i < res->nrows; i++) {
        int seen = 0;
        for (int j = 0; j < n; j++)
            seen |= !strcmp(names[j], res->rows[i].branch);
        if (!seen && n < CLI_COMPARE_MAX_BRANCHES)
            snprintf(names[n++], 16, "%s", res->rows[i].branch);
    }
    return n;
}

void cli_compare_json(FILE *fp, const cli_compare_result *res)
{
    const cli_compare_opts *o = &res->o;
    cli_json_begin(fp, "compare");
    fprintf(fp, ", \"phi\": ");
    hl_json_string(fp, res->m ? hl_model_phi_formula(res->m) : res->phi);
    fprintf(fp, ", \"transmission\": ");
    hl_json_string(fp, res->m ? hl_model_transmission_formula(res->m) : res->trans);
    if (res->nrows && res->rows[0].kb)
        fprintf(fp, ", \"k_blocks\": %d", res->rows[0].kb);
    fprintf(fp, ", \"beta\": ");
    hl_json_number(fp, o->beta);
    fprintf(fp, ", \"grid\": %ld, \"window\": ", o->grid);
    hl_json_number(fp, o->window);
    fprintf(fp, ", \"displace\": ");
    hl_json_number(fp, o->displace);
    fprintf(fp, ", \"rows\": [");
    for (int i = 0; i < res->nrows; i++) {
        const cli_compare_row *r = &res->rows[i];
        fprintf(fp, "%s{\"D\": %ld, \"branch\": ", i ? ", " : "", r->D);
        hl_json_string(fp, r->branch);
        if (r->kb) {
            fprintf(fp, ", \"blocks\": [");
            for (int a = 0; a < r->kb; a++)
                fprintf(fp, "%s%ld", a ? ", " : "", r->sizes[a]);
            fprintf(fp, "], \"m\": ");
            json_array(fp, r->m, r->kb);
            fprintf(fp, ", \"fp_null_reason\": ");
            if (r->fp_null)
                hl_json_string(fp, r->fp_null);
            else
                fprintf(fp, "null");
        }
        fprintf(fp, ", \"x\": ");
        hl_json_number(fp, r->x);
        fprintf(fp, ", \"y\": ");
        hl_json_number(fp, r->y);
        const char *keys[4] = {"master_rates", "fp_rates", "fp_linear_rates", "ou_rates"};
        for (int mdl = 0; mdl < 4; mdl++) {
            fprintf(fp, ", \"%s\": ", keys[mdl]);
            json_array(fp, r->rates[mdl], o->k);
        }
        fprintf(fp, ", \"rel_diff\": {");
        for (int mdl = 1; mdl < 4; mdl++) {
            fprintf(fp, "%s\"%s\": ", mdl > 1 ? ", " : "", MODEL_KEY[mdl]);
            hl_json_number(fp, r->rate_diff[mdl]);
        }
        fprintf(fp, "}, \"mean_path_error\": {");
        for (int mdl = 1; mdl < 4; mdl++) {
            fprintf(fp, "%s\"%s\": ", mdl > 1 ? ", " : "", MODEL_KEY[mdl]);
            hl_json_number(fp, r->path_err[mdl]);
        }
        fprintf(fp, "}, \"delta0\": ");
        double d0[2] = {r->d0x, r->d0y};
        if (r->kb)
            json_array(fp, r->d0m, r->kb);
        else
            json_array(fp, d0, 2);
        fprintf(fp, "}");
    }
    fprintf(fp, "], \"resolution_note\": \"a rel_diff below 1e-12 (round-off of the rates) "
                "or a mean_path_error below 1e-6 (the integrators' tolerance) is null; an "
                "exponent is null when a row of its branch is\", \"convergence\": [");
    char names[CLI_COMPARE_MAX_BRANCHES][16];
    int nb = branches(res, names);
    for (int b = 0; b < nb; b++) {
        fprintf(fp, "%s{\"branch\": ", b ? ", " : "");
        hl_json_string(fp, names[b]);
        for (int mdl = 1; mdl < 4; mdl++) {
            fprintf(fp, ", \"rate_exponent_%s\": ", MODEL_KEY[mdl]);
            hl_json_number(fp, slope(res, names[b], 0, mdl));
            fprintf(fp, ", \"path_exponent_%s\": ", MODEL_KEY[mdl]);
            hl_json_number(fp, slope(res, names[b], 1, mdl));
        }
        fprintf(fp, "}");
    }
    fprintf(fp, "]}\n");
}

static void rates_cell(FILE *fp, const double *v, int k)
{
    for (int q = 0; q < k; q++)
        fprintf(fp, "%s%s", q ? ", " : "", cli_num("%.6f", v[q]));
}

void cli_compare_table(FILE *fp, const cli_compare_result *res)
{
    const cli_compare_opts *o = &res->o;
    fprintf(fp,
            "beta = %s: the %d slowest in-basin rates (units of B) and the relative "
            "differences from the master equation\n\n",
            cli_num("%g", o->beta), o->k);
    fprintf(fp, "| D | branch | master | Fokker-Planck (full) | Fokker-Planck (linear) | "
                "Ornstein-Uhlenbeck | rel. diff. FP | rel. diff. OU | mean-path err. FP | "
                "mean-path err. OU |\n");
    fprintf(fp, "|---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < res->nrows; i++) {
        const cli_compare_row *r = &res->rows[i];
        fprintf(fp, "| %ld | %s | ", r->D, r->branch);
        for (int mdl = 0; mdl < 4; mdl++) {
            rates_cell(fp, r->rates[mdl], o->k);
            fprintf(fp, " | ");
        }
        fprintf(fp, "%s | %s | %s | %s |\n", cli_num("%.2e", r->rate_diff[1]),
                cli_num("%.2e", r->rate_diff[3]), cli_num("%.2e", r->path_err[1]),
                cli_num("%.2e", r->path_err[3]));
    }
    char names[CLI_COMPARE_MAX_BRANCHES][16];
    int nb = branches(res, names);
    fprintf(fp, "\nfitted exponents p of the differences ~ D^p:\n");
    for (int b = 0; b < nb; b++)
        fprintf(fp,
                "  %-10s rates: FP %s, linear FP %s, OU %s;  mean path: FP %s, "
                "linear FP %s, OU %s\n",
                names[b], cli_num("%.2f", slope(res, names[b], 0, 1)),
                cli_num("%.2f", slope(res, names[b], 0, 2)),
                cli_num("%.2f", slope(res, names[b], 0, 3)),
                cli_num("%.2f", slope(res, names[b], 1, 1)),
                cli_num("%.2f", slope(res, names[b], 1, 2)),
                cli_num("%.2f", slope(res, names[b], 1, 3)));
}

static const char *branch_colour(const char *name)
{
    return !strcmp(name, "liquid") ? "#1f5fbf" : !strcmp(name, "crystal") ? "#c0392b" : "#2e8b57";
}

int cli_compare_plot(const char *cmd, const cli_compare_result *res, const char *path)
{
    size_t cap = 65536 + (size_t)res->nrows * 4096;
    char *s = malloc(cap);
    if (!s) {
        cli_error(cmd, "out of memory drawing %s", path);
        return 0;
    }
    char tmp[4096];
    const char *tp = cli_output_temp(cmd, path);
    if (!tp) {
        free(s);
        return 0;
    }
    snprintf(tmp, sizeof tmp, "%s", tp);
    char names[CLI_COMPARE_MAX_BRANCHES][16];
    int nb = branches(res, names);
    size_t len = 0;
    int nofp = res->rows[0].fp_null != NULL;
    char kblocks[32] = "";
    if (res->rows[0].kb)
        snprintf(kblocks, sizeof kblocks, " of %d %s", res->rows[0].kb,
                 cli_pl(res->rows[0].kb, "block", "blocks"));
    /* one data block per branch: D, rel diffs (fp, linear, ou), path errs */
    for (int b = 0; b < nb; b++) {
        len += (size_t)snprintf(s + len, cap - len, "$B%d << EOD\n", b);
        for (int i = 0; i < res->nrows; i++) {
            const cli_compare_row *r = &res->rows[i];
            if (strcmp(r->branch, names[b]))
                continue;
            len += (size_t)snprintf(s + len, cap - len, "%ld %.6g %.6g %.6g %.6g %.6g %.6g\n",
                                    r->D, r->rate_diff[1], r->rate_diff[2], r->rate_diff[3],
                                    r->path_err[1], r->path_err[2], r->path_err[3]);
        }
        len += (size_t)snprintf(s + len, cap - len, "EOD\n");
    }
    /* mean relaxation at the largest D: displacement projected on delta0 */
    int nt = 0;
    const cli_compare_row *traj[2] = {NULL, NULL};
    for (int i = 0; i < res->nrows && nt < 2; i++)
        if (res->rows[i].D == res->rows[res->nrows - 1].D)
            traj[nt++] = &res->rows[i];
    for (int b = 0; b < nt; b++) {
        const cli_compare_row *r = traj[b];
        double dd = r->d0x * r->d0x + r->d0y * r->d0y;
        len += (size_t)snprintf(s + len, cap - len, "$T%d << EOD\n", b);
        for (int j = 0; j < CLI_COMPARE_TIMES; j++) {
            len += (size_t)snprintf(s + len, cap - len, "%.6g", r->t[j]);
            for (int mdl = 0; mdl < 4; mdl++)
                len += (size_t)snprintf(s + len, cap - len, " %.8g",
                                        (r->mx[mdl][j] * r->d0x + r->my[mdl][j] * r->d0y) / dd);
            len += (size_t)snprintf(s + len, cap - len, "\n");
        }
        len += (size_t)snprintf(s + len, cap - len, "EOD\n");
    }
    /* tics at the dimensions computed (a log axis over less than a decade
     * has no labelled tic otherwise) */
    char xt[1024] = "";
    size_t xl = 0;
    for (int i = 0; i < res->nrows && xl + 32 < sizeof xt; i++)
        if (i == 0 || res->rows[i].D != res->rows[i - 1].D)
            xl += (size_t)snprintf(xt + xl, sizeof xt - xl, "%s%ld", xl ? ", " : "",
                                   res->rows[i].D);
    len += (size_t)snprintf(s + len, cap - len, "set xtics (%s)\n", xt);
    len += (size_t)snprintf(s + len, cap - len,
        "set terminal pngcairo size 1200,900 font 'sans,11' enhanced\n"
        "set output '%s'\n"
        "set multiplot layout 2,2 title 'Master equation%s against its continuum limits, beta = %g' "
        "font 'sans,13'\n"
        "set grid\nset logscale xy\nset format y '10^{%%L}'\nset xlabel 'D'\n"
        "set xrange [%g:%g]\nset key bottom left font 'sans,9'\n",
        tmp, kblocks, res->o.beta, 0.8 * (double)res->rows[0].D, 1.25 * (double)res->rows[res->nrows - 1].D);
    const char *panel[2] = {"slow in-basin rates: max |r - r_{master}| / r_{master}",
                            res->m ? "mean relaxation: max_t |<x,y> - master| / |{/Symbol d}_0|"
                                   : "mean relaxation: max_t |<m> - master| / |{/Symbol d}_0|"};
    const char *floor_note[2] = {"a difference below 10^{-12} (round-off) is not drawn",
                                 "an error below 10^{-6} (integrator tolerance) is not drawn"};
    for (int which = 0; which < 2; which++) {
        len += (size_t)snprintf(s + len, cap - len, "set title \"%s\\n{/*0.85 %s}\"\n"
                                "set ylabel 'relative difference'\nplot ",
                                panel[which], floor_note[which]);
        for (int b = 0; b < nb; b++) {
            int c0 = which ? 5 : 2;
            if (nofp) { /* K > 3 blocks: the OU column only */
                len += (size_t)snprintf(s + len, cap - len,
                    "%s$B%d using 1:%d with linespoints lw 2 dt 2 pt 5 lc rgb '%s' title '%s: "
                    "Ornstein-Uhlenbeck'",
                    b ? ", " : "", b, c0 + 2, branch_colour(names[b]), names[b]);
                continue;
            }
            len += (size_t)snprintf(s + len, cap - len,
                "%s$B%d using 1:%d with linespoints lw 2 pt 7 lc rgb '%s' title '%s: Fokker-Planck', "
                "$B%d using 1:%d with linespoints lw 1 dt 3 pt 4 lc rgb '%s' title '%s: linear FP', "
                "$B%d using 1:%d with linespoints lw 2 dt 2 pt 5 lc rgb '%s' title '%s: Ornstein-Uhlenbeck'",
                b ? ", " : "", b, c0, branch_colour(names[b]), names[b], b, c0 + 1,
                branch_colour(names[b]), names[b], b, c0 + 2, branch_colour(names[b]), names[b]);
        }
        len += (size_t)snprintf(s + len, cap - len, "\n");
    }
    len += (size_t)snprintf(s + len, cap - len,
                            "unset logscale\nset autoscale x\nset xtics autofreq\nset format y '%%g'\nset xlabel 't (units of 1/B)'\n"
                            "set key top right font 'sans,9'\n");
    for (int b = 0; b < 2; b++) {
        if (b >= nt) {
            len += (size_t)snprintf(s + len, cap - len, "set multiplot next\n");
            continue;
        }
        const cli_compare_row *r = traj[b];
        /* each model starts from its own equilibrium in the same field, so
         * its start (its static response) differs from the master's 1 */
        double dd = r->d0x * r->d0x + r->d0y * r->d0y, s0[3];
        for (int mdl = 1; mdl < 3; mdl++)
            s0[mdl] = (r->mx[mdl][0] * r->d0x + r->my[mdl][0] * r->d0y) / dd;
        if (nofp) {
            len += (size_t)snprintf(s + len, cap - len,
                "set title \"mean relaxation after a field is switched off at t = 0, %s, D = %ld\\n"
                "{/*0.85 the Fokker-Planck equation is solved for at most 3 blocks}\"\n"
                "set ylabel 'displacement along {/Symbol d}_0 (units of |{/Symbol d}_0|)'\n"
                "set yrange [*:1.05]\n"
                "plot $T%d using 1:2 with points pt 7 ps 1.2 lc rgb 'black' title 'master equation (starts at 1)', "
                "$T%d using 1:5 with lines lw 2 dt 2 lc rgb '#d08c00' title 'Ornstein-Uhlenbeck (from the master start)'\n",
                r->branch, r->D, b, b);
            continue;
        }
        len += (size_t)snprintf(s + len, cap - len,
            "set title \"mean relaxation after a field is switched off at t = 0, %s, D = %ld\\n"
            "{/*0.85 each model starts in its own equilibrium in that field}\"\n"
            "set ylabel 'displacement along {/Symbol d}_0 (units of |{/Symbol d}_0|)'\n"
            "set yrange [*:1.05]\n"
            "plot $T%d using 1:2 with points pt 7 ps 1.2 lc rgb 'black' title 'master equation (starts at 1)', "
            "$T%d using 1:3 with lines lw 2 lc rgb '%s' title 'Fokker-Planck (full), starts at %.2f', "
            "$T%d using 1:4 with lines lw 2 dt 3 lc rgb '#888888' title 'Fokker-Planck (linear), starts at %.2f', "
            "$T%d using 1:5 with lines lw 2 dt 2 lc rgb '#d08c00' title 'Ornstein-Uhlenbeck (from the master start)'\n",
            r->branch, r->D, b, b, branch_colour(r->branch), s0[1], b, s0[2], b);
    }
    snprintf(s + len, cap - len, "unset multiplot\nunset output\n");
    const char *outs[1] = {path}, *tmps[1] = {tmp};
    int ok = cli_gnuplot(cmd, s, outs, tmps, 1);
    free(s);
    return ok;
}
