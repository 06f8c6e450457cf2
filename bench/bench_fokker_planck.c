/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_fokker_planck.c -- times the Fokker-Planck solver (eq 5.9, full
 * form, Scharfetter-Gummel finite volumes): on an N x N grid (default 400)
 * over the whole square, the 10 slowest rates and the evolution from the
 * infinite-temperature state to t = 10, at D = 100, beta = 0.773 (both
 * basins), for the paper's phi and for a non-separable phi with a
 * temperature-dependent transmission.  Prints BENCH lines (wall_s, the
 * rates, <x>, <y> at t = 10, CVODE statistics, MEM = peak RSS).
 * usage: bench_fokker_planck [N] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "hyperland/hyperland.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static long peak_kb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

static int bench(const char *name, const char *phi, const char *trans, long n)
{
    hl_model *m;
    if (hl_model_create(phi, &m) != HL_OK || (trans && hl_model_set_transmission(m, trans))) {
        printf("BENCH name=%s error=\"%s\"\n", name, hl_errmsg());
        return 1;
    }
    long D = 100;
    double beta = 0.773;
    hl_fp_options o;
    hl_fp_options_default(&o);
    o.grid = n;
    hl_fp *fp;
    double t0 = now();
    if (hl_fp_create(m, D, beta, &o, &fp) != HL_OK) {
        printf("BENCH name=%s error=\"%s\"\n", name, hl_errmsg());
        return 1;
    }
    double t1 = now(), rates[10];
    hl_fp_spectrum_info si;
    if (hl_fp_spectrum(fp, 10, rates, &si) != HL_OK) {
        printf("BENCH name=%s error=\"%s\"\n", name, hl_errmsg());
        return 1;
    }
    double t2 = now();
    printf("BENCH name=%s-spectrum grid=%ld cells=%ld wall_s=%.3f setup_s=%.3f rates=", name, n,
           si.cells, t2 - t1, t1 - t0);
    for (int q = 0; q < 10; q++)
        printf("%s%.10g", q ? "," : "", rates[q]);
    printf(" resolution=%.2g\n", si.resolution);
    hl_protocol *p = NULL;
    double t = 10;
    if (hl_protocol_create_fixed(beta, &p) != HL_OK) {
        printf("BENCH name=%s error=\"%s\"\n", name, hl_errmsg());
        return 1;
    }
    hl_evolve_start s = {HL_START_INFINITE_T, NULL, 0, NULL, {0, 0}};
    hl_evolve_point pt;
    hl_fp_info info;
    double t3 = now();
    int est = hl_fp_evolve(fp, p, &s, &t, 1, 1e-8, &pt, NULL, &info);
    hl_protocol_free(p);
    if (est != HL_OK) {
        printf("BENCH name=%s error=\"%s\"\n", name, hl_errmsg());
        return 1;
    }
    double t4 = now();
    printf("BENCH name=%s-evolve grid=%ld wall_s=%.3f t=10 mean_x=%.10f mean_y=%.10f "
           "sum_error=%.2g min_q=%.2g steps=%ld lu=%ld krylov=%ld MEM_kB=%ld\n",
           name, n, t4 - t3, pt.mean_x, pt.mean_y, pt.sum_error, pt.min_q, info.steps,
           info.factorisations, info.krylov_iterations, peak_kb());
    hl_fp_free(fp);
    hl_model_free(m);
    return 0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 400;
    int bad = bench("fp-paper-phi", NULL, NULL, n);
    bad |= bench("fp-nonseparable", "x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y",
                 "exp(-(1+y)/T)*(1+0.3*x^2)", n);
    return bad;
}
