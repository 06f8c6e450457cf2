/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench_equilibrium.c -- wall-clock and memory benchmark of hyperland's
 * equilibrium computations, shaped like the NumPy/SciPy peer
 * (/work/shared/peer/peer.py, tasks "trace" and "lnz") so the two can be
 * compared task for task.  Not a test; not registered with ctest.
 *
 * usage: bench_equilibrium [--no-fork] [--min-time S] [STAGE[,STAGE...]|all]
 *
 * Stages (default: all, in this order):
 *   trace        hl_phases_compute, default phi, 2000 betas in [0.05, 5]
 *   trace-expr   the same with HL_DEFAULT_PHI through the formula interpreter
 *   lnz          hl_exact_compute, D = 2000, betas linspace(0.1, 2.0, 100),
 *                default phi (HL_EXACT_AUTO: separable path)
 *   lnz-general  the same with the formula model, HL_EXACT_GENERAL
 *                (two-dimensional class lattice)
 *   lnz-general-builtin  diagnostic: the built-in phi forced to
 *                HL_EXACT_GENERAL (the 2-D path without the interpreter), so the
 *                cost of the path and of the interpreted formula separate
 *   big          hl_exact_compute at D = 1e4 and D = 1e6, beta = 1, default
 *                phi, once each (model and plan creation included)
 *
 * Each stage runs in a forked child (unless --no-fork), so its peak resident
 * set (getrusage ru_maxrss) is its own, not the running maximum of the
 * stages before it.  The repeated stages run until --min-time seconds
 * (default 2) have passed and at least 3 runs were made; best and median
 * run times are printed.  Output lines:
 *
 *   BENCH name=... runs=N wall_s=<median> best_s=... per_item_us=...
 *   MEM   name=... peak_rss_kb=... base_rss_kb=... data_bytes=... ratio=...
 *   CHECK name=... <numbers to compare with the peer>
 *
 * wall_s is the median time of one run of the task; per_item_us divides it
 * by the number of betas.  data_bytes is the size of the data the
 * computation must hold at minimum (see the README), ratio = peak RSS /
 * data_bytes, ratio_above_base = (peak RSS - RSS before the stage) /
 * data_bytes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hyperland/hyperland.h"

#define TRACE_N 2000
#define TRACE_BMIN 0.05
#define TRACE_BMAX 5.0
#define LNZ_D 2000L
#define LNZ_N 100
#define MAX_RUNS 1000

static double g_min_time = 2.0;
static long g_base_rss_kb;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* kilobytes on Linux */
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void die(const char *what, int st)
{
    fprintf(stderr, "bench_equilibrium: %s: %s (%s)\n", what, hl_strerror(st),
            hl_errmsg());
    exit(1);
}

static hl_model *make_model(int expr)
{
    hl_model *m = NULL;
    int st = hl_model_create(expr ? HL_DEFAULT_PHI : NULL, &m);
    if (st)
        die("hl_model_create", st);
    return m;
}

static void report_time(const char *name, double *t, int n, int items)
{
    double best = t[0];
    for (int i = 1; i < n; i++)
        if (t[i] < best)
            best = t[i];
    double med = median(t, n);
    printf("BENCH name=%s runs=%d wall_s=%.6f best_s=%.6f per_item_us=%.3f\n",
           name, n, med, best, 1e6 * med / items);
}

static void report_mem(const char *name, double data_bytes)
{
    long peak = peak_rss_kb();
    /* ratio: peak RSS / data; ratio_above_base: (peak - the RSS the process
     * had before the stage: code, libc, GSL) / data */
    printf("MEM   name=%s peak_rss_kb=%ld base_rss_kb=%ld data_bytes=%.0f "
           "ratio=%.2f ratio_above_base=%.2f\n",
           name, peak, g_base_rss_kb, data_bytes,
           data_bytes > 0 ? 1024.0 * (double)peak / data_bytes : 0.0,
           data_bytes > 0 ? 1024.0 * (double)(peak - g_base_rss_kb) / data_bytes
                          : 0.0);
    fflush(stdout);
}

/* ------------------------------------------------------------ trace */

static hl_phases *trace_once(const hl_model *m)
{
    hl_phases *p = NULL;
    int st = hl_phases_compute(m, TRACE_BMIN, TRACE_BMAX, TRACE_N, &p);
    if (st)
        die("hl_phases_compute", st);
    return p;
}

static int branch_named(const hl_phases *p, const char *name)
{
    for (int b = 0; b < hl_phases_branch_count(p); b++)
        if (strcmp(hl_phases_branch_name(p, b), name) == 0)
            return b;
    return -1;
}

static void print_point(const hl_phases *p, int b, int i)
{
    hl_stationary s;
    if (b < 0 || hl_phases_point(p, b, i, &s) != HL_OK)
        printf(" (none)");
    else
        printf(" (%.12g,%.12g)", s.x, s.y);
}

static void stage_trace(int expr)
{
    const char *name = expr ? "trace-expr" : "trace";
    hl_model *m = make_model(expr);
    static double t[MAX_RUNS];
    int n = 0;
    double start = now_s();
    hl_phases *keep = NULL;
    while (n < MAX_RUNS && (n < 3 || now_s() - start < g_min_time)) {
        double t0 = now_s();
        hl_phases *p = trace_once(m);
        t[n++] = now_s() - t0;
        if (!keep)
            keep = p;
        else
            hl_phases_free(p);
    }
    report_time(name, t, n, TRACE_N);

    int nb = hl_phases_branch_count(keep);
    /* what the result holds: the beta grid, per branch (t1, t2, exists) per
     * beta, plus the folds and melting points (negligible) */
    double data = 8.0 * TRACE_N + (double)nb * TRACE_N * (2 * 8 + 1);
    report_mem(name, data);

    int liq = branch_named(keep, "liquid"), cry = branch_named(keep, "crystal");
    int ncry = 0, first = -1;
    for (int i = 0; i < TRACE_N; i++) {
        hl_stationary s;
        if (cry >= 0 && hl_phases_point(keep, cry, i, &s) == HL_OK) {
            ncry++;
            if (first < 0)
                first = i;
        }
    }
    double beta_m = NAN;
    for (int k = 0; k < hl_phases_melting_count(keep); k++) {
        hl_melting ml;
        if (hl_phases_melting(keep, k, &ml) == HL_OK && ml.global) {
            beta_m = ml.beta;
            break;
        }
    }
    double fold = NAN;
    for (int k = 0; k < hl_phases_fold_count(keep); k++) {
        hl_fold f;
        if (hl_phases_fold(keep, k, &f) == HL_OK && f.branch == cry) {
            fold = f.beta;
            break;
        }
    }
    printf("CHECK name=%s branches=%d folds=%d meltings=%d beta_melt=%.12g "
           "crystal_fold_beta=%.10g crystal_points=%d first_crystal_beta=%.6f\n",
           name, nb, hl_phases_fold_count(keep), hl_phases_melting_count(keep),
           beta_m, fold, ncry,
           first >= 0 ? hl_phases_beta(keep, first) : NAN);
    printf("CHECK name=%s liquid(x,y)@beta[0],[999],[1999]:", name);
    print_point(keep, liq, 0);
    print_point(keep, liq, 999);
    print_point(keep, liq, TRACE_N - 1);
    printf("  crystal(x,y)@beta[999],[1999]:");
    print_point(keep, cry, 999);
    print_point(keep, cry, TRACE_N - 1);
    printf("\n");
    hl_phases_free(keep);
    hl_model_free(m);
}

/* ------------------------------------------------------------ lnz */

static double lnz_beta(int i)
{
    /* numpy.linspace(0.1, 2.0, 100) */
    return i == LNZ_N - 1 ? 2.0 : 0.1 + (2.0 - 0.1) * i / (LNZ_N - 1);
}

/* general: HL_EXACT_GENERAL; expr: the formula model */
static void stage_lnz(int general, int expr)
{
    const char *name = !general ? "lnz" : expr ? "lnz-general"
                                               : "lnz-general-builtin";
    hl_model *m = make_model(expr);
    hl_exact *ex = NULL;
    int st = hl_exact_create(m, LNZ_D, general ? HL_EXACT_GENERAL : HL_EXACT_AUTO,
                             &ex);
    if (st)
        die("hl_exact_create", st);
    static double t[MAX_RUNS];
    double res[LNZ_N];
    long classes = 0;
    double classes_sum = 0;
    int sep = -1;
    int n = 0;
    double start = now_s();
    while (n < MAX_RUNS && (n < 3 || now_s() - start < g_min_time)) {
        double t0 = now_s();
        for (int i = 0; i < LNZ_N; i++) {
            hl_exact_result r;
            st = hl_exact_compute(ex, lnz_beta(i), &r);
            if (st)
                die("hl_exact_compute", st);
            res[i] = r.ln_z_per_dim;
            if (r.classes_summed > classes)
                classes = r.classes_summed;
            if (n == 0)
                classes_sum += (double)r.classes_summed;
            sep = r.separable_path;
        }
        t[n++] = now_s() - t0;
    }
    report_time(name, t, n, LNZ_N);
    long h = LNZ_D / 2;
    /* general: the (D/2+1)^2 lattice of ln Q; separable: two 1-D sums */
    double data = general ? 8.0 * (double)(h + 1) * (double)(h + 1)
                          : 2.0 * 8.0 * (double)(h + 1);
    report_mem(name, data);
    printf("CHECK name=%s D=%ld separable_path=%d classes_summed_max=%ld "
           "classes_summed_mean=%.0f lnZ/D@beta=0.1,%.6f,2.0: %.16g %.16g "
           "%.16g\n",
           name, LNZ_D, sep, classes, classes_sum / LNZ_N, lnz_beta(50), res[0],
           res[50], res[LNZ_N - 1]);
    hl_exact_free(ex);
    hl_model_free(m);
}

/* ------------------------------------------------------------ big */

static void stage_big_one(long D)
{
    char name[32];
    snprintf(name, sizeof name, "exact-D%ld", D);
    double t0 = now_s();
    hl_model *m = make_model(0);
    hl_exact *ex = NULL;
    int st = hl_exact_create(m, D, HL_EXACT_AUTO, &ex);
    if (st)
        die("hl_exact_create", st);
    hl_exact_result r;
    st = hl_exact_compute(ex, 1.0, &r);
    if (st)
        die("hl_exact_compute", st);
    double t = now_s() - t0;
    report_time(name, &t, 1, 1);
    report_mem(name, 2.0 * 8.0 * (double)(D / 2 + 1));
    printf("CHECK name=%s beta=1 separable_path=%d lnZ/D=%.16g mean_x=%.12g "
           "mean_y=%.12g", name, r.separable_path, r.ln_z_per_dim, r.mean_x,
           r.mean_y);
    for (int k = 0; k < r.n_basins; k++)
        printf(" P(%s)=%.6g", r.basins[k].name, r.basins[k].probability);
    printf("\n");
    hl_exact_free(ex);
    hl_model_free(m);
}

/* two stages, so that each D gets its own process and its own peak RSS */
static void s_big_1e4(void) { stage_big_one(10000); }
static void s_big_1e6(void) { stage_big_one(1000000); }

/* ------------------------------------------------------------ driver */

typedef struct {
    const char *name;
    void (*fn)(void);
    const char *group;
} stage_t;

static void s_trace(void) { stage_trace(0); }
static void s_trace_expr(void) { stage_trace(1); }
static void s_lnz(void) { stage_lnz(0, 0); }
static void s_lnz_general(void) { stage_lnz(1, 1); }
static void s_lnz_general_builtin(void) { stage_lnz(1, 0); }

static const stage_t STAGES[] = {
    {"trace", s_trace, "trace"},
    {"trace-expr", s_trace_expr, "trace-expr"},
    {"lnz", s_lnz, "lnz"},
    {"lnz-general", s_lnz_general, "lnz-general"},
    {"lnz-general-builtin", s_lnz_general_builtin, "lnz-general-builtin"},
    {"exact-D10000", s_big_1e4, "big"},
    {"exact-D1000000", s_big_1e6, "big"},
};
#define NSTAGES (sizeof STAGES / sizeof STAGES[0])

static void usage(FILE *fp)
{
    fprintf(fp, "usage: bench_equilibrium [--no-fork] [--min-time S] "
                "[STAGE[,STAGE...]|all]\n"
                "stages: trace trace-expr lnz lnz-general lnz-general-builtin big "
                "(= exact-D10000,exact-D1000000)\n");
}

static int selected(const char *list, const stage_t *s)
{
    if (!list || strcmp(list, "all") == 0)
        return 1;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
        if (strcmp(tok, s->name) == 0 || strcmp(tok, s->group) == 0)
            return 1;
    return 0;
}

static int valid_list(const char *list)
{
    if (!list || strcmp(list, "all") == 0)
        return 1;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int ok = 0;
        for (size_t k = 0; k < NSTAGES; k++)
            if (strcmp(tok, STAGES[k].name) == 0 ||
                strcmp(tok, STAGES[k].group) == 0)
                ok = 1;
        if (!ok) {
            fprintf(stderr, "bench_equilibrium: unknown stage '%s'\n", tok);
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv)
{
    int fork_stages = 1;
    const char *list = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-fork") == 0) {
            fork_stages = 0;
        } else if (strcmp(argv[i], "--min-time") == 0 && i + 1 < argc) {
            char *end;
            g_min_time = strtod(argv[++i], &end);
            if (*end || !(g_min_time >= 0)) {
                usage(stderr);
                return 2;
            }
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' || list) {
            usage(stderr);
            return 2;
        } else {
            list = argv[i];
        }
    }
    if (!valid_list(list)) {
        usage(stderr);
        return 2;
    }
    g_base_rss_kb = peak_rss_kb();
    printf("# hyperland %s bench_equilibrium, min-time %.3g s, %s\n",
           hl_version(), g_min_time,
           fork_stages ? "one process per stage" : "single process "
                                                  "(peak RSS is cumulative)");
    fflush(stdout);
    int failed = 0;
    for (size_t k = 0; k < NSTAGES; k++) {
        if (!selected(list, &STAGES[k]))
            continue;
        if (!fork_stages) {
            STAGES[k].fn();
            continue;
        }
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            STAGES[k].fn();
            fflush(stdout);
            _exit(0);
        }
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "bench_equilibrium: stage %s failed\n",
                    STAGES[k].name);
            failed = 1;
        }
    }
    return failed;
}
