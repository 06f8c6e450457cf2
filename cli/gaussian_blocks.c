/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gaussian_blocks.c -- hyperland gaussian --blocks K | --block-sizes LIST:
 * the k x k matrix E of eqs 5.7-5.8 (ln Q ~ const - D dm^T E dm) and the
 * covariance of the block magnetisations at the maxima of f
 * (hyperland/blocks_phases.h, hl_blocks_gaussian). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "blocks_cmds.h"
#include "hyperland/blocks_phases.h"
#include "hyperland/blocks_exact.h"
#include "hyperland/gaussian.h"
#include "hyperland/output.h"
#include "wmoments.h"

#define NEAR 1e-3

typedef struct {
    const hl_blocks *b;
    size_t n;
    hl_bstat *mx;
    char (*names)[16];
    double *E, *cov, *exy; /* n * k * k, n * k * k, n * 3 */
    int K;                 /* Ornstein-Uhlenbeck rates listed          */
    double *B, *dif, *drift, *lambda, *modes, *ou; /* n; n*k; n*k*k; n*k; n*k*k; n*K */
    int exact;             /* --exact ran                              */
    double *xcov, *xcov_xy; /* n*k*k exact covariance of m in the basin; n*3 in x, y */
    char (*basin)[64];     /* the basin of the exact sums ("" if none)  */
    hl_bsearch search;     /* the search for the maxima                 */
} gtable;

#define ROWK(t, a, q) ((t)->a + (q) * (size_t)hl_blocks_k((t)->b))
#define ROWKK(t, a, q) ((t)->a + (q) * (size_t)(hl_blocks_k((t)->b) * hl_blocks_k((t)->b)))

/* (Gaussian - exact) / sqrt(exact_ii exact_jj) */
static double rel_diff(const double *g, const double *x, int k, int i, int j)
{
    return (g[i * k + j] - x[i * k + j]) / sqrt(x[i * k + i] * x[j * k + j]);
}

/* two equal blocks: a k x k drift in (s, d) to (x, y), (1/2) P A P, as
 * gaussian.c; a mode (v_s, v_d) to ((v_s + v_d)/2, (v_s - v_d)/2), unit,
 * its larger entry positive */
static void drift_xy(const double *a, double *o)
{
    o[0] = 0.5 * (a[0] + a[1] + a[2] + a[3]);
    o[1] = 0.5 * (a[0] - a[1] + a[2] - a[3]);
    o[2] = 0.5 * (a[0] + a[1] - a[2] - a[3]);
    o[3] = 0.5 * (a[0] - a[1] - a[2] + a[3]);
}

static void mode_xy(double vs, double vd, double *u0, double *u1)
{
    double a = vs + vd, b = vs - vd, n = hypot(a, b);
    a /= n;
    b /= n;
    if ((fabs(a) >= fabs(b) ? a : b) < 0) {
        a = -a;
        b = -b;
    }
    *u0 = a;
    *u1 = b;
}

static double cov_xy(const double *cov, int which)
{
    /* x = (m1 + m2)/2, y = (m1 - m2)/2 */
    double css = cov[0], csd = cov[1], cdd = cov[3];
    return which == 0 ? 0.25 * (css + 2 * csd + cdd)
           : which == 1 ? 0.25 * (css - cdd)
                        : 0.25 * (css - 2 * csd + cdd);
}


/* ------------------------------------------------ exact moments per basin */

typedef struct {
    gtable *t;
    const hl_blocks_exact_result *r;
    int *row_of_basin;     /* r->n_basins: the row of each basin, -1 if none */
    cli_wmoments *mo, *mxy; /* per row: in m, and in x, y (two equal blocks) */
    int last;
} bexact_ctx;

static int bvisit(void *vp, long idx, const long *n, const double *m, double ln_q,
                  const char *basin)
{
    (void)idx;
    (void)n;
    bexact_ctx *c = vp;
    int q = c->last;
    if (q < 0 || strcmp(c->r->basins[q].name, basin)) {
        for (q = 0; q < c->r->n_basins && strcmp(c->r->basins[q].name, basin); q++)
            ;
        if (q == c->r->n_basins)
            return 0;
        c->last = q;
    }
    int row = c->row_of_basin[q];
    if (row < 0)
        return 0;
    const hl_bstat *g = &c->t->mx[row];
    int k = hl_blocks_k(c->t->b);
    double d[HL_BLOCKS_MAX];
    for (int i = 0; i < k; i++)
        d[i] = m[i] - g->m[i];
    cli_wmoments_add(&c->mo[row], ln_q, d);
    if (hl_blocks_is_paper_pair(c->t->b)) {
        double dxy[2] = {0.5 * (m[0] + m[1]) - g->x, 0.5 * (m[0] - m[1]) - g->y};
        cli_wmoments_add(&c->mxy[row], ln_q, dxy);
    }
    return 0;
}

/* The exact covariance of m within each Gaussian's basin: the classes of
 * the basins of the class lattice (steepest ascent, blocks_exact.h) whose
 * maxima are nearer to it than to any other maximum of f. */
static int run_exact(const char *cmd, gtable *t, double beta)
{
    int k = hl_blocks_k(t->b), st, ok = 0;
    hl_blocks_exact *ex = NULL;
    hl_blocks_exact_result r = {0};
    bexact_ctx c = {t, &r, NULL, NULL, NULL, -1};
    hl_bstat *all = NULL;
    if ((st = hl_blocks_exact_create(t->b, &ex)) || (st = hl_blocks_exact_compute(ex, beta, NULL, &r))) {
        cli_lib_error(cmd, st);
        goto done;
    }
    c.row_of_basin = malloc(sizeof(int) * (size_t)(r.n_basins ? r.n_basins : 1));
    c.mo = calloc(t->n, sizeof *c.mo);
    c.mxy = calloc(t->n, sizeof *c.mxy);
    if (!c.row_of_basin || !c.mo || !c.mxy) {
        cli_error(cmd, "out of memory");
        goto done;
    }
    for (size_t row = 0; row < t->n; row++) {
        cli_wmoments_init(&c.mo[row], k);
        cli_wmoments_init(&c.mxy[row], 2);
        t->basin[row][0] = 0;
    }
    /* each basin of the lattice to the maximum of f nearest its own
     * maximum, among ALL maxima at beta (with --branch or --at the table
     * holds one: the other basins are not its own), and so to that
     * maximum's row if it has one: a maximum of f whose lattice basin
     * splits in two (steepest ascent on the lattice can stop at two
     * neighbouring classes) keeps all its classes */
    size_t na = 0;
    if ((st = hl_blocks_maxima_at(t->b, beta, NULL, 0, &na, NULL))) {
        cli_lib_error(cmd, st);
        goto done;
    }
    all = malloc(sizeof(hl_bstat) * (na ? na : 1));
    if (!all) {
        cli_error(cmd, "out of memory");
        goto done;
    }
    if ((st = hl_blocks_maxima_at(t->b, beta, all, na, &na, NULL))) {
        cli_lib_error(cmd, st);
        goto done;
    }
    for (int q = 0; q < r.n_basins; q++) {
        c.row_of_basin[q] = -1;
        double bd = INFINITY;
        size_t near = na;
        for (size_t j = 0; j < na && r.basins[q].end >= 0; j++) {
            double d = 0;
            for (int i = 0; i < k; i++)
                d = fmax(d, fabs(r.basins[q].m[i] - all[j].m[i]));
            if (d < bd) {
                bd = d;
                near = j;
            }
        }
        for (size_t row = 0; row < t->n && near < na; row++) {
            double d = 0;
            for (int i = 0; i < k; i++)
                d = fmax(d, fabs(all[near].m[i] - t->mx[row].m[i]));
            if (d <= 1e-6)
                c.row_of_basin[q] = (int)row;
        }
        if (c.row_of_basin[q] >= 0) {
            char *nm = t->basin[c.row_of_basin[q]];
            size_t len = strlen(nm);
            snprintf(nm + len, sizeof t->basin[0] - len, "%s%s", len ? "+" : "",
                     r.basins[q].name);
        }
    }
    if ((st = hl_blocks_exact_distribution(ex, beta, bvisit, &c))) {
        cli_lib_error(cmd, st);
        goto done;
    }
    for (size_t row = 0; row < t->n; row++) {
        double mean[HL_BLOCKS_MAX], mxy[2], cxy[4];
        cli_wmoments_get(&c.mo[row], mean, ROWKK(t, xcov, row));
        cli_wmoments_get(&c.mxy[row], mxy, cxy);
        t->xcov_xy[3 * row] = cxy[0];
        t->xcov_xy[3 * row + 1] = cxy[1];
        t->xcov_xy[3 * row + 2] = cxy[3];
    }
    t->exact = 1;
    ok = 1;
done:
    free(c.row_of_basin);
    free(all);
    free(c.mo);
    free(c.mxy);
    hl_blocks_exact_result_free(&r);
    hl_blocks_exact_free(ex);
    return ok;
}

static int write_csv(FILE *fp, void *vp)
{
    gtable *t = vp;
    int k = hl_blocks_k(t->b), pair = hl_blocks_is_paper_pair(t->b);
    cli_csv_preamble(fp, "gaussian --blocks: E = -(1/2) Hess f and the covariance of m at each maximum");
    cli_blocks_csv_comment(fp, t->b);
    fprintf(fp, "branch,beta");
    for (int i = 0; i < k; i++)
        fprintf(fp, ",m%d", i + 1);
    for (int i = 0; i < k; i++)
        for (int j = i; j < k; j++)
            fprintf(fp, ",E_%d_%d", i + 1, j + 1);
    for (int i = 0; i < k; i++)
        for (int j = i; j < k; j++)
            fprintf(fp, ",cov_%d_%d", i + 1, j + 1);
    fprintf(fp, "%s,transmission", pair ? ",x,y,E11,E12,E22,cov_xx,cov_xy,cov_yy" : "");
    for (int i = 0; i < k; i++)
        fprintf(fp, ",lambda_%d", i + 1);
    for (int j = 0; j < t->K; j++)
        fprintf(fp, ",ou_%d", j);
    for (int i = 0; t->exact && i < k; i++)
        for (int j = i; j < k; j++)
            fprintf(fp, ",exact_cov_%d_%d", i + 1, j + 1);
    for (int i = 0; t->exact && i < k; i++)
        for (int j = i; j < k; j++)
            fprintf(fp, ",rel_diff_%d_%d", i + 1, j + 1);
    fprintf(fp, "\n");
    for (size_t q = 0; q < t->n; q++) {
        const double *E = t->E + q * (size_t)(k * k), *C = t->cov + q * (size_t)(k * k);
        fprintf(fp, "%s", t->names[q]);
        hl_csv_number(fp, ",%.12g", t->mx[q].beta);
        for (int i = 0; i < k; i++)
            hl_csv_number(fp, ",%.15g", t->mx[q].m[i]);
        for (int i = 0; i < k; i++)
            for (int j = i; j < k; j++)
                hl_csv_number(fp, ",%.15g", E[i * k + j]);
        for (int i = 0; i < k; i++)
            for (int j = i; j < k; j++)
                hl_csv_number(fp, ",%.15g", C[i * k + j]);
        if (pair) {
            hl_csv_number(fp, ",%.15g", t->mx[q].x);
            hl_csv_number(fp, ",%.15g", t->mx[q].y);
            for (int i = 0; i < 3; i++)
                hl_csv_number(fp, ",%.15g", t->exy[3 * q + (size_t)i]);
            for (int i = 0; i < 3; i++)
                hl_csv_number(fp, ",%.15g", cov_xy(C, i));
        }
        hl_csv_number(fp, ",%.15g", t->B[q]);
        for (int i = 0; i < k; i++)
            hl_csv_number(fp, ",%.15g", ROWK(t, lambda, q)[i]);
        for (int j = 0; j < t->K; j++)
            hl_csv_number(fp, ",%.15g", t->ou[q * (size_t)t->K + (size_t)j]);
        const double *X = t->exact ? ROWKK(t, xcov, q) : NULL;
        for (int i = 0; X && i < k; i++)
            for (int j = i; j < k; j++)
                hl_csv_number(fp, ",%.15g", X[i * k + j]);
        for (int i = 0; X && i < k; i++)
            for (int j = i; j < k; j++)
                hl_csv_number(fp, ",%.15g", rel_diff(C, X, k, i, j));
        fputc('\n', fp);
    }
    return ferror(fp) ? -1 : 0;
}

static void json_matrix(const double *A, int k)
{
    printf("[");
    for (int i = 0; i < k; i++) {
        printf("%s[", i ? ", " : "");
        for (int j = 0; j < k; j++) {
            printf(j ? ", " : "");
            hl_json_number(stdout, A[i * k + j]);
        }
        printf("]");
    }
    printf("]");
}


static void json_vec(const char *key, const double *v, int n)
{
    printf(", \"%s\": ", key);
    cli_blocks_json_vec(stdout, v, n);
}

/* the Ornstein-Uhlenbeck members of maximum q (gaussian's keys in x, y
 * for two equal blocks, and in m) */
static void json_ou(const gtable *t, size_t q)
{
    int k = hl_blocks_k(t->b);
    const double *A = ROWKK(t, drift, q), *V = ROWKK(t, modes, q), *dif = ROWK(t, dif, q);
    printf(", \"transmission\": ");
    hl_json_number(stdout, t->B[q]);
    json_vec("diffusion_m", dif, k);
    printf(", \"drift_m\": ");
    json_matrix(A, k);
    json_vec("lambda", ROWK(t, lambda, q), k);
    printf(", \"modes_m\": [");
    for (int c = 0; c < k; c++) {
        double v[HL_BLOCKS_MAX];
        for (int i = 0; i < k; i++)
            v[i] = V[i * k + c];
        printf(c ? ", " : "");
        cli_blocks_json_vec(stdout, v, k);
    }
    printf("]");
    json_vec("ou_rates", t->ou + q * (size_t)t->K, t->K);
    if (hl_blocks_is_paper_pair(t->b)) {
        double dxy[4] = {0.25 * (dif[0] + dif[1]), 0.25 * (dif[0] - dif[1]),
                         0.25 * (dif[0] - dif[1]), 0.25 * (dif[0] + dif[1])}, axy[4], m[4];
        drift_xy(A, axy);
        mode_xy(V[0], V[2], &m[0], &m[2]);
        mode_xy(V[1], V[3], &m[1], &m[3]);
        json_vec("diffusion", dxy, 4);
        json_vec("drift", axy, 4);
        json_vec("mode", m, 4);
    }
}

/* Why the exact covariance of row q is null ("" if it is not) */
static const char *exact_null_reason(const gtable *t, size_t q)
{
    if (!t->basin[q][0])
        return "no basin of the class lattice belongs to this maximum (none of the lattice's "
               "maxima is nearest to it: D too small)";
    if (isnan(ROWKK(t, xcov, q)[0]))
        return "every class of the basin is below 1e-300 of the largest term, so none is "
               "summed (exact --blocks: the basin's probability)";
    return "";
}

/* Why rel_diff of row q has a null entry ("" if none) */
static const char *rel_diff_null_reason(const gtable *t, size_t q)
{
    const char *why = exact_null_reason(t, q);
    if (why[0])
        return why;
    int k = hl_blocks_k(t->b);
    const double *X = ROWKK(t, xcov, q);
    for (int i = 0; i < k; i++)
        if (!(X[i * k + i] > 0))
            return "an exact variance is 0 (the basin's classes share one m_i)";
    return "";
}

static void json_exact(const gtable *t, size_t q)
{
    int k = hl_blocks_k(t->b);
    const double *X = ROWKK(t, xcov, q), *C = ROWKK(t, cov, q);
    double R[HL_BLOCKS_MAX * HL_BLOCKS_MAX];
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            R[i * k + j] = rel_diff(C, X, k, i, j);
    printf(", \"exact_basin\": ");
    hl_json_string(stdout, t->basin[q]);
    printf(", \"exact_covariance\": ");
    json_matrix(X, k);
    if (exact_null_reason(t, q)[0]) {
        printf(", \"exact_covariance_null_reason\": ");
        hl_json_string(stdout, exact_null_reason(t, q));
    }
    printf(", \"rel_diff\": ");
    json_matrix(R, k);
    if (rel_diff_null_reason(t, q)[0]) {
        printf(", \"rel_diff_null_reason\": ");
        hl_json_string(stdout, rel_diff_null_reason(t, q));
    }
    if (hl_blocks_is_paper_pair(t->b)) {
        const double *x = t->xcov_xy + 3 * q;
        double g[3] = {cov_xy(C, 0), cov_xy(C, 1), cov_xy(C, 2)};
        static const char *xn[3] = {"exact_cov_xx", "exact_cov_xy", "exact_cov_yy"};
        for (int i = 0; i < 3; i++) {
            printf(", \"%s\": ", xn[i]);
            hl_json_number(stdout, x[i]);
        }
        printf(", \"rel_diff_xx\": ");
        hl_json_number(stdout, (g[0] - x[0]) / x[0]);
        printf(", \"rel_diff_xy\": ");
        hl_json_number(stdout, (g[1] - x[1]) / sqrt(x[0] * x[2]));
        printf(", \"rel_diff_yy\": ");
        hl_json_number(stdout, (g[2] - x[2]) / x[2]);
    }
}

static void print_json(const gtable *t, double beta)
{
    int k = hl_blocks_k(t->b), pair = hl_blocks_is_paper_pair(t->b);
    cli_json_begin(stdout, "gaussian");
    cli_blocks_json(stdout, t->b);
    printf(", \"beta\": ");
    hl_json_number(stdout, beta);
    printf(", \"maxima\": [");
    for (size_t q = 0; q < t->n; q++) {
        const double *E = t->E + q * (size_t)(k * k), *C = t->cov + q * (size_t)(k * k);
        printf("%s{\"branch\": ", q ? ", " : "");
        hl_json_string(stdout, t->names[q]);
        printf(", \"m\": [");
        for (int i = 0; i < k; i++) {
            printf(i ? ", " : "");
            hl_json_number(stdout, t->mx[q].m[i]);
        }
        printf("], \"f\": ");
        hl_json_number(stdout, t->mx[q].f);
        printf(", \"E\": ");
        json_matrix(E, k);
        printf(", \"covariance\": ");
        json_matrix(C, k);
        if (pair) {
            printf(", \"x\": ");
            hl_json_number(stdout, t->mx[q].x);
            printf(", \"y\": ");
            hl_json_number(stdout, t->mx[q].y);
            static const char *en[3] = {"E11", "E12", "E22"}, *cn[3] = {"cov_xx", "cov_xy", "cov_yy"};
            for (int i = 0; i < 3; i++) {
                printf(", \"%s\": ", en[i]);
                hl_json_number(stdout, t->exy[3 * q + (size_t)i]);
            }
            for (int i = 0; i < 3; i++) {
                printf(", \"%s\": ", cn[i]);
                hl_json_number(stdout, cov_xy(C, i));
            }
        }
        json_ou(t, q);
        if (t->exact)
            json_exact(t, q);
        printf("}");
    }
    printf("], \"search_complete\": %s", t->search.complete ? "true" : "false");
    cli_blocks_json_search(stdout, &t->search);
    printf("}\n");
}

static void print_text(const gtable *t, double beta)
{
    int k = hl_blocks_k(t->b), pair = hl_blocks_is_paper_pair(t->b);
    printf("Gaussian around the %s of f = w - beta phi, %d %s, D = %ld, beta = %s:\n"
           "ln Q ~ const - D dm^T E dm, E = -(1/2) Hess f; covariance of m = (2 D E)^-1\n",
           cli_pl((long)t->n, "maximum", "maxima"), k, cli_pl(k, "block", "blocks"),
           hl_blocks_dim(t->b), cli_num("%.10g", beta));
    for (size_t q = 0; q < t->n; q++) {
        const double *E = t->E + q * (size_t)(k * k), *C = t->cov + q * (size_t)(k * k);
        printf("%s at m = (", t->names[q]);
        for (int i = 0; i < k; i++)
            printf("%s%s", i ? ", " : "", cli_num("%.10g", t->mx[q].m[i]));
        printf("), f = %s\n  E:\n", cli_num("%.10g", t->mx[q].f));
        for (int i = 0; i < k; i++) {
            printf("   ");
            for (int j = 0; j < k; j++)
                printf(" %s", cli_num("%14.8g", E[i * k + j]));
            printf("\n");
        }
        printf("  covariance:\n");
        for (int i = 0; i < k; i++) {
            printf("   ");
            for (int j = 0; j < k; j++)
                printf(" %s", cli_num("%14.8g", C[i * k + j]));
            printf("\n");
        }
        if (pair)
            printf("  in (x, y) (eq 5.8): E11 = %s, E12 = %s, E22 = %s; cov_xx = %s, cov_xy = %s, "
                   "cov_yy = %s\n",
                   cli_num("%.10g", t->exy[3 * q]), cli_num("%.10g", t->exy[3 * q + 1]),
                   cli_num("%.10g", t->exy[3 * q + 2]), cli_num("%.10g", cov_xy(C, 0)),
                   cli_num("%.10g", cov_xy(C, 1)), cli_num("%.10g", cov_xy(C, 2)));
        printf("  Ornstein-Uhlenbeck (eqs 5.9-5.11, A = D Dif (-Hess f), B = %s at the "
               "maximum): lambda =", cli_num("%.6g", t->B[q]));
        for (int i = 0; i < k; i++)
            printf(" %s", cli_num("%.10g", ROWK(t, lambda, q)[i]));
        printf("\n  rates:");
        for (int j = 0; j < t->K; j++)
            printf(" %s", cli_num("%.8g", t->ou[q * (size_t)t->K + (size_t)j]));
        printf("\n");
        if (!t->exact)
            continue;
        const double *X = ROWKK(t, xcov, q);
        printf("  exact covariance within basin %s and (Gaussian - exact) / sqrt(exact_ii "
               "exact_jj):\n", t->basin[q][0] ? t->basin[q] : "(none)");
        if (rel_diff_null_reason(t, q)[0])
            printf("    n/a: %s\n", rel_diff_null_reason(t, q));
        for (int i = 0; i < k; i++) {
            printf("   ");
            for (int j = 0; j < k; j++)
                printf(" %s", cli_num("%14.8g", X[i * k + j]));
            printf("   ");
            for (int j = 0; j < k; j++)
                printf(" %s", cli_num("%11.3e", rel_diff(C, X, k, i, j)));
            printf("\n");
        }
    }
    cli_blocks_print_search(&t->search, "the search for the maxima");
}

/* the maximum of f within NEAR of a->at, or an error saying what is there */
static int pick_at(const char *cmd, const hl_blocks *b, const cli_gaussian_blocks_args *a,
                   gtable *t)
{
    int k = hl_blocks_k(b);
    size_t ns = 0;
    int st = hl_blocks_stationary_at(b, a->beta, NULL, 0, &ns, &t->search);
    hl_bstat *all = st ? NULL : malloc(sizeof(hl_bstat) * (ns ? ns : 1));
    if (!st && !all) {
        cli_error(cmd, "out of memory");
        return EXIT_FAIL;
    }
    if (!st)
        st = hl_blocks_stationary_at(b, a->beta, all, ns, &ns, &t->search);
    if (st) {
        free(all);
        return cli_lib_error(cmd, st);
    }
    int best = -1;
    double bd = INFINITY;
    for (size_t q = 0; q < ns; q++) {
        double d = 0;
        for (int i = 0; i < k; i++)
            d = fmax(d, fabs(all[q].m[i] - a->at[i]));
        if (d < bd) {
            bd = d;
            best = (int)q;
        }
    }
    if (best < 0 || bd > NEAR) {
        cli_error(cmd, "the point given is not a maximum of f at beta = %g: no stationary point "
                       "within %g (in every m_i)", a->beta, NEAR);
        free(all);
        return EXIT_FAIL;
    }
    if (all[best].index != 0) {
        if (all[best].index < 0)
            cli_error(cmd, "the point given is not a maximum of f at beta = %g: the stationary "
                           "point there has a singular Hessian (a fold)", a->beta);
        else
            cli_error(cmd, "the point given is not a maximum of f at beta = %g: the stationary "
                           "point there is a saddle of index %d", a->beta, all[best].index);
        free(all);
        return EXIT_FAIL;
    }
    /* its name among all maxima */
    hl_bstat chosen = all[best];
    size_t nm = 0;
    for (size_t q = 0; q < ns; q++)
        if (all[q].index == 0)
            all[nm++] = all[q];
    char(*names)[16] = malloc(sizeof(*names) * (nm ? nm : 1));
    if (!names) {
        free(all);
        cli_error(cmd, "out of memory");
        return EXIT_FAIL;
    }
    hl_blocks_name_maxima(b, a->beta, all, nm, names);
    for (size_t q = 0; q < nm; q++)
        if (!memcmp(all[q].m, chosen.m, sizeof chosen.m)) {
            t->mx[0] = all[q];
            memcpy(t->names[0], names[q], 16);
            break;
        }
    t->n = 1;
    free(names);
    free(all);
    return EXIT_OK;
}

int cli_gaussian_blocks(const char *cmd, const cli_gaussian_blocks_args *a)
{
    if (a->output && !cli_output_declare(cmd, "--output", a->output, 0))
        return cli_outputs_status();
    hl_blocks *b = cli_blocks_model(cmd, &a->bo, a->dim, a->phi, a->trans);
    if (!b)
        return cli_blocks_status();
    int k = hl_blocks_k(b), rc = EXIT_OK, st;
    gtable t;
    memset(&t, 0, sizeof t);
    t.b = b;
    if (a->have_at && a->n_at != (size_t)k) {
        cli_error(cmd, "--at needs %d numbers m1,...,m%d with %d blocks, not %zu", k, k, k, a->n_at);
        rc = EXIT_USAGE;
        goto done;
    }
    for (int i = 0; a->have_at && i < k; i++)
        if (!(fabs(a->at[i]) <= 1)) {
            cli_error(cmd, "--at: m%d = %g is outside [-1, 1]", i + 1, a->at[i]);
            rc = EXIT_USAGE;
            goto done;
        }
    if (a->exact && hl_blocks_n_classes(b) > 50000000L) {
        cli_error(cmd, "--exact sums every class: %ld classes is above the 5e7 allowed",
                  hl_blocks_n_classes(b));
        rc = EXIT_USAGE;
        goto done;
    }
    size_t n = 0;
    if (!a->have_at && (st = hl_blocks_maxima_at(b, a->beta, NULL, 0, &n, &t.search))) {
        rc = cli_lib_error(cmd, st);
        goto done;
    }
    size_t cap = n ? n : 1;
    t.mx = malloc(sizeof(hl_bstat) * cap);
    t.names = malloc(sizeof(*t.names) * cap);
    t.E = malloc(sizeof(double) * cap * (size_t)(k * k));
    t.cov = malloc(sizeof(double) * cap * (size_t)(k * k));
    t.exy = malloc(sizeof(double) * cap * 3);
    t.K = a->ou;
    t.B = malloc(sizeof(double) * cap);
    t.dif = malloc(sizeof(double) * cap * (size_t)k);
    t.lambda = malloc(sizeof(double) * cap * (size_t)k);
    t.drift = malloc(sizeof(double) * cap * (size_t)(k * k));
    t.modes = malloc(sizeof(double) * cap * (size_t)(k * k));
    t.ou = malloc(sizeof(double) * cap * (size_t)t.K);
    t.xcov = malloc(sizeof(double) * cap * (size_t)(k * k));
    t.xcov_xy = malloc(sizeof(double) * cap * 3);
    t.basin = malloc(sizeof(*t.basin) * cap);
    if (!t.mx || !t.names || !t.E || !t.cov || !t.exy || !t.B || !t.dif || !t.lambda ||
        !t.drift || !t.modes || !t.ou || !t.xcov || !t.xcov_xy || !t.basin) {
        cli_error(cmd, "out of memory");
        rc = EXIT_FAIL;
        goto done;
    }
    if (a->have_at) {
        if ((rc = pick_at(cmd, b, a, &t)) != EXIT_OK)
            goto done;
    } else {
        if ((st = hl_blocks_maxima_at(b, a->beta, t.mx, n, &n, &t.search)) ||
            (st = hl_blocks_name_maxima(b, a->beta, t.mx, n, t.names))) {
            rc = cli_lib_error(cmd, st);
            goto done;
        }
        t.n = n;
        if (a->branch) {
            size_t keep = n;
            for (size_t q = 0; q < n; q++)
                if (!strcmp(t.names[q], a->branch))
                    keep = q;
            if (keep == n) {
                cli_error(cmd, "no maximum of f named '%s' at beta = %g (%zu %s: see "
                               "gaussian --blocks without --branch)", cli_clip(a->branch), a->beta, n,
                          cli_pl((long)n, "maximum", "maxima"));
                rc = EXIT_FAIL;
                goto done;
            }
            t.mx[0] = t.mx[keep];
            memcpy(t.names[0], t.names[keep], 16);
            t.n = 1;
        }
    }
    for (size_t q = 0; q < t.n; q++)
        if ((st = hl_blocks_gaussian(b, &t.mx[q], t.E + q * (size_t)(k * k),
                                     t.cov + q * (size_t)(k * k), t.exy + 3 * q)) ||
            (st = hl_blocks_ou(b, &t.mx[q], &t.B[q], ROWK(&t, dif, q), ROWKK(&t, drift, q),
                               ROWK(&t, lambda, q), ROWKK(&t, modes, q)))) {
            rc = cli_lib_error(cmd, st);
            goto done;
        } else {
            hl_ou_rates_k(ROWK(&t, lambda, q), k, t.K, t.ou + q * (size_t)t.K);
        }
    if (a->exact && !run_exact(cmd, &t, a->beta)) {
        rc = EXIT_FAIL;
        goto done;
    }
    if (a->output && !cli_write_atomic(cmd, a->output, write_csv, &t)) {
        rc = EXIT_FAIL;
        goto done;
    }
    cli_blocks_warn_search(cmd, &t.search, a->beta);
    if (a->json)
        print_json(&t, a->beta);
    else
        print_text(&t, a->beta);
done:
    free(t.mx);
    free(t.names);
    free(t.E);
    free(t.cov);
    free(t.exy);
    free(t.B);
    free(t.dif);
    free(t.lambda);
    free(t.drift);
    free(t.modes);
    free(t.ou);
    free(t.xcov);
    free(t.xcov_xy);
    free(t.basin);
    hl_blocks_free(b);
    return rc;
}
