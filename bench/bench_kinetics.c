/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_kinetics.c -- times the kinetic capabilities so far: the slowest
 * relaxation rates (hl_spectrum) and mean first-passage times (hl_mfpt).
 * Prints BENCH lines (best of repeated runs) and MEM (peak RSS). */
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

static void bench_rates(const hl_model *m, long D, double beta, const char *name)
{
    double r[11], l[11], best = 1e300;
    hl_spectrum_info info;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
        if (hl_spectrum(m, D, beta, HL_CONTRACTED, 11, r, l, NULL, &info) != HL_OK) {
            printf("BENCH name=%s error=\"%s\"\n", name, hl_errmsg());
            return;
        }
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    printf("BENCH name=%s D=%ld beta=%g wall_s=%.6f slowest_ln_rate=%.15g rates=", name, D,
           beta, best, l[1]);
    for (int q = 1; q < 11; q++)
        printf("%s%.10g", q > 1 ? "," : "", r[q]);
    printf("\nMEM   name=%s peak_rss_kb=%ld\n", name, peak_kb());
}

static void bench_mfpt(const hl_model *m, long D, double beta, const char *name)
{
    hl_passage p;
    double best = 1e300;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        if (hl_mfpt(m, D, beta, "liquid", "crystal", &p) != HL_OK) {
            printf("BENCH name=%s error=\"%s\"\n", name, hl_errmsg());
            return;
        }
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    printf("BENCH name=%s D=%ld beta=%g wall_s=%.6f ln_mfpt=%.12g\n", name, D, beta, best,
           p.ln_mfpt);
}

int main(void)
{
    hl_model *m, *u;
    if (hl_model_create(NULL, &m) || hl_model_create(HL_DEFAULT_PHI, &u)) {
        fprintf(stderr, "%s\n", hl_errmsg());
        return 1;
    }
    bench_rates(m, 1000, 0.773, "rates-D1000");
    bench_rates(m, 10000, 0.773, "rates-D10000");
    bench_rates(m, 1000000, 0.773, "rates-D1000000");
    bench_rates(u, 60, 0.773, "rates-dense-D60");
    bench_mfpt(m, 1000, 0.773, "mfpt-D1000");
    bench_mfpt(m, 1000000, 0.773, "mfpt-D1000000");
    bench_mfpt(u, 200, 0.773, "mfpt-general-D200");
    hl_model_free(m);
    hl_model_free(u);
    return 0;
}
