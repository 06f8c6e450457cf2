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
#include "hyperland/output.h"

#define NEAR 1e-3

typedef struct {
    const hl_blocks *b;
    size_t n;
    hl_bstat *mx;
    char (*names)[16];
    double *E, *cov, *exy; /* n * k * k, n * k * k, n * 3 */
} gtable;

static double cov_xy(const double *cov, int which)
{
    /* x = (m1 + m2)/2, y = (m1 - m2)/2 */
    double css = cov[0], csd = cov[1], cdd = cov[3];
    return which == 0 ? 0.25 * (css + 2 * csd + cdd)
           : which == 1 ? 0.25 * (css - cdd)
                        : 0.25 * (css - 2 * csd + cdd);
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
    fprintf(fp, "%s\n", pair ? ",x,y,E11,E12,E22,cov_xx,cov_xy,cov_yy" : "");
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
        printf("}");
    }
    printf("]}\n");
}

static void print_text(const gtable *t, double beta)
{
    int k = hl_blocks_k(t->b), pair = hl_blocks_is_paper_pair(t->b);
    printf("Gaussian around the maxima of f = w - beta phi, %d blocks, D = %ld, beta = %s:\n"
           "ln Q ~ const - D dm^T E dm, E = -(1/2) Hess f; covariance of m = (2 D E)^-1\n",
           k, hl_blocks_dim(t->b), cli_num("%.10g", beta));
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
    }
}

/* the maximum of f within NEAR of a->at, or an error saying what is there */
static int pick_at(const char *cmd, const hl_blocks *b, const cli_gaussian_blocks_args *a,
                   gtable *t)
{
    int k = hl_blocks_k(b);
    size_t ns = 0;
    int st = hl_blocks_stationary_at(b, a->beta, NULL, 0, &ns, NULL);
    hl_bstat *all = st ? NULL : malloc(sizeof(hl_bstat) * (ns ? ns : 1));
    if (!st && !all) {
        cli_error(cmd, "out of memory");
        return EXIT_FAIL;
    }
    if (!st)
        st = hl_blocks_stationary_at(b, a->beta, all, ns, &ns, NULL);
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
        return EXIT_FAIL;
    int k = hl_blocks_k(b), rc = EXIT_OK, st;
    gtable t = {b, 0, NULL, NULL, NULL, NULL, NULL};
    if (a->have_at && a->n_at != (size_t)k) {
        cli_error(cmd, "--at needs %d numbers m1,...,m%d with %d blocks, not %zu", k, k, k, a->n_at);
        rc = EXIT_USAGE;
        goto done;
    }
    size_t n = 0;
    if (!a->have_at && (st = hl_blocks_maxima_at(b, a->beta, NULL, 0, &n, NULL))) {
        rc = cli_lib_error(cmd, st);
        goto done;
    }
    size_t cap = n ? n : 1;
    t.mx = malloc(sizeof(hl_bstat) * cap);
    t.names = malloc(sizeof(*t.names) * cap);
    t.E = malloc(sizeof(double) * cap * (size_t)(k * k));
    t.cov = malloc(sizeof(double) * cap * (size_t)(k * k));
    t.exy = malloc(sizeof(double) * cap * 3);
    if (!t.mx || !t.names || !t.E || !t.cov || !t.exy) {
        cli_error(cmd, "out of memory");
        rc = EXIT_FAIL;
        goto done;
    }
    if (a->have_at) {
        if ((rc = pick_at(cmd, b, a, &t)) != EXIT_OK)
            goto done;
    } else {
        if ((st = hl_blocks_maxima_at(b, a->beta, t.mx, n, &n, NULL)) ||
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
                cli_error(cmd, "no maximum of f named '%s' at beta = %g (%zu maxima: see "
                               "gaussian --blocks without --branch)", cli_clip(a->branch), a->beta, n);
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
                                     t.cov + q * (size_t)(k * k), t.exy + 3 * q))) {
            rc = cli_lib_error(cmd, st);
            goto done;
        }
    if (a->output && !cli_write_atomic(cmd, a->output, write_csv, &t)) {
        rc = EXIT_FAIL;
        goto done;
    }
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
    hl_blocks_free(b);
    return rc;
}
