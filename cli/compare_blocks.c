/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compare_blocks.c -- compare --blocks K | --block-sizes LIST: the master
 * equation of k blocks against its continuum descriptions, as compare.c
 * does for two order parameters (compare_blocks.h). */
#include "compare_blocks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/blocks_kinetics.h"
#include "hyperland/blocks_phases.h"
#include "hyperland/chain.h"
#include "hyperland/fokker_planck.h"
#include "hyperland/gaussian.h"

#define KMAX CLI_COMPARE_KMAX
#define NT (CLI_COMPARE_TIMES + 1)

/* as compare.c: differences below these are round-off / tolerance */
#define OOM 1 /* a status of this file: out of memory here (the library's are < 0) */
#define CLASSES_MAX 4e6 /* as the 2-D compare's (D/2 + 1)^2 at D = 4000 */
#define RATE_FLOOR 1e-12
#define PATH_FLOOR 1e-6

static const char *FP_NULL_K = "the Fokker-Planck equation is solved for at most 3 blocks";

static long size_sum(const cli_blocks_opts *bo)
{
    long s = 0;
    for (int i = 0; i < bo->k; i++)
        s += bo->sizes[i];
    return s;
}

int cli_compare_blocks_dims(const char *cmd, const cli_blocks_opts *bo, const char *s,
                            cli_compare_opts *o)
{
    size_t n = 0;
    o->nd = 0;
    if (!cli_parse_list_long(cmd, "--dims", s, o->dims, CLI_COMPARE_MAX_DIMS, &n))
        return 0;
    long unit = bo->from_sizes ? size_sum(bo) : bo->k;
    for (size_t i = 0; i < n; i++) {
        long D = o->dims[i];
        if (D < 2 * bo->k || D > CLI_COMPARE_DIM_MAX || D % unit) {
            cli_error(cmd, "--dims: D = %ld is not a multiple of %ld in [%d, %ld] (%s)", D, unit,
                      2 * bo->k, CLI_COMPARE_DIM_MAX,
                      bo->from_sizes ? "the sum of --block-sizes, which scale with D"
                                     : "the number of blocks");
            return 0;
        }
        double nc = 1;
        for (int a = 0; a < bo->k; a++)
            nc *= (double)(bo->from_sizes ? bo->sizes[a] * (D / unit) : D / bo->k) + 1.0;
        if (nc > CLASSES_MAX) {
            cli_error(cmd, "--dims: D = %ld has %.3g classes, above the %.0e allowed (the "
                           "in-basin master equation is built on every class)",
                      D, nc, CLASSES_MAX);
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

static int lib_fail(const char *cmd, const char *what, long D, const char *branch)
{
    cli_error(cmd, "%s at D = %ld, branch %s: %s", what, D, branch, hl_errmsg());
    return 0;
}

/* the k slowest rates (0 first) of a chain at beta */
static int chain_rates(hl_chain *c, double beta, int k, double *r)
{
    hl_chain_plan *p = NULL;
    int st = hl_chain_plan_create(c, beta, &p);
    if (!st)
        st = hl_chain_spectrum(p, k, r, NULL);
    hl_chain_plan_free(p);
    return st;
}

static void fp_options(const cli_compare_opts *o, const char *branch, int form, long grid,
                       hl_fp_blocks_options *fo)
{
    hl_fp_blocks_options_default(fo);
    fo->form = form;
    fo->grid = grid;
    fo->branch = branch;
    fo->window = o->window;
    fo->in_basin = form == HL_FP_FULL ? HL_FP_CORE : 0;
}

/* rates of one form on grids N and N/2, extrapolated (as compare.c) */
static int fp_rates(const char *cmd, const hl_blocks *b, long D, const cli_compare_opts *o,
                    const char *branch, int form, double *out)
{
    double r[2][CLI_COMPARE_MAX_RATES + 1];
    for (int pass = 0; pass < 2; pass++) {
        hl_fp_blocks_options fo;
        fp_options(o, branch, form, pass ? o->grid / 2 : o->grid, &fo);
        hl_chain *c = NULL;
        if (hl_fp_blocks_chain_opt(b, o->beta, &fo, &c, NULL, NULL) != HL_OK)
            return lib_fail(cmd, "Fokker-Planck set-up", D, branch);
        int st = chain_rates(c, o->beta, o->k + 1, r[pass]);
        hl_chain_free(c);
        if (st)
            return lib_fail(cmd, "Fokker-Planck spectrum", D, branch);
    }
    for (int q = 0; q < o->k; q++)
        out[q] = (4.0 * r[0][q + 1] - r[1][q + 1]) / 3.0;
    return 1;
}

/* The mean of m under a chain whose state j sits at pos[j * kb ..], from
 * its own equilibrium tilted by exp(D f.m), at the times tt (NT). */
static int chain_mean(hl_chain *c, double beta, long ns, const double *pos, int kb, double D,
                      const double *f, const double *tt, double (*mean)[KMAX])
{
    hl_chain_plan *p = NULL;
    double *p0 = malloc(sizeof(double) * (size_t)ns);
    double *all = malloc(sizeof(double) * (size_t)ns * NT);
    int st = p0 && all ? HL_OK : OOM;
    if (!st)
        st = hl_chain_plan_create(c, beta, &p);
    if (!st)
        st = hl_chain_equilibrium(p, p0);
    if (!st) {
        double mx = -INFINITY, sum = 0;
        for (long j = 0; j < ns; j++) {
            double e = 0;
            for (int a = 0; a < kb; a++)
                e += f[a] * pos[j * kb + a];
            p0[j] += D * e;
            mx = fmax(mx, p0[j]);
        }
        for (long j = 0; j < ns; j++)
            sum += (p0[j] = exp(p0[j] - mx));
        for (long j = 0; j < ns; j++)
            p0[j] /= sum;
        st = hl_chain_evolve(p, p0, tt, NT, 1e-8, all, NULL);
    }
    if (!st)
        for (int t = 0; t < NT; t++) {
            const double *q = all + (size_t)t * (size_t)ns;
            for (int a = 0; a < kb; a++) {
                double s = 0;
                for (long j = 0; j < ns; j++)
                    s += q[j] * pos[j * kb + a];
                mean[t][a] = s;
            }
        }
    hl_chain_plan_free(p);
    free(p0);
    free(all);
    return st;
}

/* the master equation's mean on the core of the basin */
static int master_mean(const char *cmd, const hl_blocks *b, long D, const char *branch,
                       double beta, const double *f, const double *tt, double (*mean)[KMAX])
{
    int kb = hl_blocks_k(b);
    long nc = hl_blocks_n_classes(b);
    long *state = malloc(sizeof(long) * (size_t)nc);
    hl_chain *c = NULL;
    double *pos = NULL;
    int st = state ? HL_OK : OOM;
    if (!st)
        st = hl_blocks_basin_chain(b, beta, branch, 1, &c, state);
    long ns = 0;
    if (!st) {
        for (long i = 0; i < nc; i++)
            ns += state[i] >= 0;
        if (!(pos = malloc(sizeof(double) * (size_t)(ns * kb))))
            st = OOM;
    }
    for (long i = 0; !st && i < nc; i++)
        if (state[i] >= 0)
            st = hl_blocks_class(b, i, NULL, pos + state[i] * kb);
    if (!st)
        st = chain_mean(c, beta, ns, pos, kb, (double)D, f, tt, mean);
    hl_chain_free(c);
    free(state);
    free(pos);
    if (st == OOM)
        cli_error(cmd, "out of memory (%ld classes)", nc);
    return st ? st == OOM ? 0 : lib_fail(cmd, "in-basin master evolution", D, branch) : 1;
}

/* a Fokker-Planck form's mean on grid N (the grid of compare.c's means) */
static int fp_mean(const char *cmd, const hl_blocks *b, long D, const cli_compare_opts *o,
                   const char *branch, int form, const double *f, const double *tt,
                   double (*mean)[KMAX])
{
    int kb = hl_blocks_k(b);
    hl_fp_blocks_options fo;
    fp_options(o, branch, form, o->grid, &fo);
    long N = 1;
    for (int a = 0; a < kb; a++)
        N *= o->grid;
    long *state = malloc(sizeof(long) * (size_t)N);
    hl_chain *c = NULL;
    double *pos = NULL;
    hl_fp_blocks_info fi;
    int st = state ? HL_OK : OOM;
    if (!st)
        st = hl_fp_blocks_chain_opt(b, o->beta, &fo, &c, state, &fi);
    if (!st && !(pos = malloc(sizeof(double) * (size_t)(fi.active * kb))))
        st = OOM;
    for (long i = 0; !st && i < N; i++) {
        if (state[i] < 0)
            continue;
        long r = i;
        for (int a = kb - 1; a >= 0; a--) {
            long ia = r % o->grid;
            r /= o->grid;
            double h = (fi.hi[a] - fi.lo[a]) / (double)o->grid;
            pos[state[i] * kb + a] = fi.lo[a] + ((double)ia + 0.5) * h;
        }
    }
    if (!st)
        st = chain_mean(c, o->beta, fi.active, pos, kb, (double)D, f, tt, mean);
    hl_chain_free(c);
    free(state);
    free(pos);
    if (st == OOM)
        cli_error(cmd, "out of memory (%ld cells)", N);
    return st ? st == OOM ? 0 : lib_fail(cmd, "Fokker-Planck evolution", D, branch) : 1;
}

/* x = V^-1 d (V: kb x kb, columns the OU modes), Gaussian elimination with
 * partial pivoting; 0 if singular */
static int solve(int n, const double *V, const double *d, double *x)
{
    double a[KMAX][KMAX + 1];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++)
            a[i][j] = V[i * n + j];
        a[i][n] = d[i];
    }
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int i = c + 1; i < n; i++)
            if (fabs(a[i][c]) > fabs(a[p][c]))
                p = i;
        if (!(fabs(a[p][c]) > 0))
            return 0;
        for (int j = 0; j <= n; j++) {
            double t = a[c][j];
            a[c][j] = a[p][j];
            a[p][j] = t;
        }
        for (int i = c + 1; i < n; i++) {
            double fct = a[i][c] / a[c][c];
            for (int j = c; j <= n; j++)
                a[i][j] -= fct * a[c][j];
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = a[i][n];
        for (int j = i + 1; j < n; j++)
            s -= a[i][j] * x[j];
        x[i] = s / a[i][i];
    }
    return 1;
}

static double max_rel(const double *a, const double *ref, int k)
{
    double e = 0;
    for (int q = 0; q < k; q++)
        e = fmax(e, fabs(a[q] - ref[q]) / ref[q]);
    return e;
}

static double resolved(double v, double floor) { return v >= floor ? v : NAN; }

static int compare_one(const char *cmd, const hl_blocks *b, const cli_compare_opts *o, long D,
                       const hl_bstat *mx, const char *name, cli_compare_row *r)
{
    int kb = hl_blocks_k(b), k = o->k, fp_ok = kb <= HL_FP_BLOCKS_MAX;
    double beta = o->beta, tmp[CLI_COMPARE_MAX_RATES + 1];
    memset(r, 0, sizeof *r);
    r->D = D;
    r->kb = kb;
    snprintf(r->branch, sizeof r->branch, "%s", name);
    r->x = mx->x;
    r->y = mx->y;
    for (int a = 0; a < kb; a++) {
        r->m[a] = mx->m[a];
        r->sizes[a] = hl_blocks_size(b, a);
    }
    double E[KMAX * KMAX], drift[KMAX * KMAX], lam[KMAX], modes[KMAX * KMAX];
    if (hl_blocks_gaussian(b, mx, E, NULL, NULL) != HL_OK ||
        hl_blocks_ou(b, mx, NULL, NULL, drift, lam, modes) != HL_OK)
        return lib_fail(cmd, "Gaussian", D, name);
    r->lambda[0] = lam[0];
    r->lambda[1] = kb > 1 ? lam[1] : NAN;
    /* the in-basin master rates (core) */
    hl_chain *c = NULL;
    if (hl_blocks_basin_chain(b, beta, name, 1, &c, NULL) != HL_OK)
        return lib_fail(cmd, "in-basin master chain", D, name);
    int st = chain_rates(c, beta, k + 1, tmp);
    hl_chain_free(c);
    if (st)
        return lib_fail(cmd, "in-basin master spectrum", D, name);
    for (int q = 0; q < k; q++)
        r->rates[0][q] = tmp[q + 1];
    if (fp_ok) {
        if (!fp_rates(cmd, b, D, o, name, HL_FP_FULL, r->rates[1]) ||
            !fp_rates(cmd, b, D, o, name, HL_FP_LINEAR, r->rates[2]))
            return 0;
    } else {
        r->fp_null = FP_NULL_K;
        for (int q = 0; q < k; q++)
            r->rates[1][q] = r->rates[2][q] = NAN;
    }
    hl_ou_rates_k(lam, kb, k + 1, tmp);
    for (int q = 0; q < k; q++)
        r->rates[3][q] = tmp[q + 1];
    for (int mdl = 1; mdl < 4; mdl++)
        r->rate_diff[mdl] = resolved(max_rel(r->rates[mdl], r->rates[0], k), RATE_FLOOR);

    /* the mean (compare.c): the field displaces the Gaussian by S standard
     * deviations from the maximum towards the centre of the cube */
    double v[KMAX], vn = 0;
    for (int a = 0; a < kb; a++) {
        v[a] = -mx->m[a];
        vn += v[a] * v[a];
    }
    vn = sqrt(vn);
    if (!(vn > 1e-12)) {
        for (int a = 0; a < kb; a++)
            v[a] = a == 0;
        vn = 1;
    }
    double qf = 0, dl[KMAX], f[KMAX];
    for (int a = 0; a < kb; a++)
        v[a] /= vn;
    for (int a = 0; a < kb; a++)
        for (int c2 = 0; c2 < kb; c2++)
            qf += 2.0 * (double)D * v[a] * E[a * kb + c2] * v[c2];
    for (int a = 0; a < kb; a++)
        dl[a] = o->displace * v[a] / sqrt(qf);
    for (int a = 0; a < kb; a++) {
        f[a] = 0;
        for (int c2 = 0; c2 < kb; c2++)
            f[a] += 2.0 * E[a * kb + c2] * dl[c2];
    }
    double T = 3.0 / lam[0], tt[NT];
    for (int j = 0; j < CLI_COMPARE_TIMES; j++)
        tt[j] = r->t[j] = T * j / (CLI_COMPARE_TIMES - 1);
    tt[CLI_COMPARE_TIMES] = 100 * T;
    double mean[4][NT][KMAX];
    memset(mean, 0, sizeof mean);
    if (!master_mean(cmd, b, D, name, beta, f, tt, mean[0]))
        return 0;
    if (fp_ok && (!fp_mean(cmd, b, D, o, name, HL_FP_FULL, f, tt, mean[1]) ||
                  !fp_mean(cmd, b, D, o, name, HL_FP_LINEAR, f, tt, mean[2])))
        return 0;
    /* displacements from each model's own equilibrium mean */
    for (int mdl = 0; mdl < 3; mdl++)
        for (int j = 0; j < NT; j++)
            for (int a = 0; a < kb; a++)
                mean[mdl][j][a] -= mean[mdl][CLI_COMPARE_TIMES][a];
    double d0n = 0, cvec[KMAX];
    for (int a = 0; a < kb; a++) {
        r->d0m[a] = mean[0][0][a];
        d0n += r->d0m[a] * r->d0m[a];
    }
    d0n = sqrt(d0n);
    /* the OU mean exp(-A t) d0 = V exp(-Lambda t) V^-1 d0 */
    if (!solve(kb, modes, r->d0m, cvec)) {
        cli_error(cmd, "the OU modes are singular at D = %ld, branch %s", D, name);
        return 0;
    }
    for (int j = 0; j < CLI_COMPARE_TIMES; j++)
        for (int a = 0; a < kb; a++) {
            double s = 0;
            for (int q = 0; q < kb; q++)
                s += modes[a * kb + q] * exp(-lam[q] * tt[j]) * cvec[q];
            mean[3][j][a] = s;
        }
    for (int mdl = 1; mdl < 4; mdl++) {
        if (!fp_ok && mdl < 3) {
            r->path_err[mdl] = NAN;
            continue;
        }
        double e = 0;
        for (int j = 0; j < CLI_COMPARE_TIMES; j++) {
            double s = 0;
            for (int a = 0; a < kb; a++)
                s += (mean[mdl][j][a] - mean[0][j][a]) * (mean[mdl][j][a] - mean[0][j][a]);
            e = fmax(e, sqrt(s) / d0n);
        }
        r->path_err[mdl] = resolved(e, PATH_FLOOR);
    }
    /* for the plot: each path's displacement along d0 (compare.c divides
     * mx d0x + my d0y by |d0|^2) */
    r->d0x = d0n;
    r->d0y = 0;
    for (int mdl = 0; mdl < 4; mdl++) {
        for (int j = 0; j < NT; j++) {
            double s = 0;
            for (int a = 0; a < kb; a++)
                s += mean[mdl][j][a] * r->d0m[a];
            r->mx[mdl][j] = (!fp_ok && (mdl == 1 || mdl == 2)) ? NAN : s / d0n;
            r->my[mdl][j] = 0;
        }
    }
    return 1;
}

int cli_compare_blocks_run(const char *cmd, const cli_blocks_opts *bo, const char *phi,
                           const char *trans, const cli_compare_opts *o,
                           cli_compare_result **out)
{
    *out = NULL;
    cli_compare_result *res = calloc(1, sizeof *res);
    if (!res) {
        cli_error(cmd, "out of memory");
        return 0;
    }
    res->o = *o;
    res->rows = calloc((size_t)o->nd * CLI_COMPARE_MAX_BRANCHES, sizeof(cli_compare_row));
    if (!res->rows) {
        cli_error(cmd, "out of memory");
        free(res);
        return 0;
    }
    long unit = bo->from_sizes ? size_sum(bo) : bo->k;
    for (int i = 0; i < o->nd; i++) {
        long D = o->dims[i];
        cli_blocks_opts b2 = *bo;
        if (bo->from_sizes)
            for (int a = 0; a < bo->k; a++)
                b2.sizes[a] = bo->sizes[a] * (D / unit);
        hl_blocks *b = cli_blocks_model(cmd, &b2, D, phi, trans);
        if (!b) {
            cli_compare_free(res);
            return 0;
        }
        if (i == 0) {
            snprintf(res->phi, sizeof res->phi, "%s", hl_blocks_phi_formula(b));
            snprintf(res->trans, sizeof res->trans, "%s", hl_blocks_transmission_formula(b));
        }
        hl_bstat mx[CLI_COMPARE_MAX_BRANCHES];
        char names[CLI_COMPARE_MAX_BRANCHES][16];
        size_t cnt = 0;
        int st = hl_blocks_maxima_at(b, o->beta, mx, CLI_COMPARE_MAX_BRANCHES, &cnt, NULL);
        if (cnt > CLI_COMPARE_MAX_BRANCHES)
            cnt = CLI_COMPARE_MAX_BRANCHES;
        if (!st)
            st = hl_blocks_name_maxima(b, o->beta, mx, cnt, names);
        if (st) {
            cli_error(cmd, "%s", hl_errmsg());
            hl_blocks_free(b);
            cli_compare_free(res);
            return 0;
        }
        int used = 0;
        for (size_t q = 0; q < cnt; q++) {
            if (o->branch && strcmp(o->branch, names[q]))
                continue;
            used++;
            cli_progress("compare", (i + (double)q / (double)cnt) / o->nd);
            if (!compare_one(cmd, b, o, D, &mx[q], names[q], &res->rows[res->nrows])) {
                cli_progress_done();
                hl_blocks_free(b);
                cli_compare_free(res);
                return 0;
            }
            res->nrows++;
        }
        hl_blocks_free(b);
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
