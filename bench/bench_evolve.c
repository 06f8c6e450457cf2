/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_evolve.c -- times hl_evolve (the master equation, eq 5.6, by
 * CVODE): D = 1000 and D = 1e4 from the infinite-temperature state to
 * t = 10 at beta = 1 (the product path).  Prints BENCH lines with wall_s,
 * <x>, <y>, <Phi> = D <phi> at t = 10 and MEM (peak RSS).  With --peer it
 * also runs the SciPy peer's 'evolve' task (expm_multiply at D = 1000; it
 * takes minutes) and prints its line for comparison.
 * usage: bench_evolve [--peer [PEER_SCRIPT]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void bench(const hl_model *m, long D, const char *name)
{
    double t = 10.0;
    hl_protocol *p = NULL;
    if (hl_protocol_create_fixed(1.0, &p) != HL_OK) {
        printf("BENCH name=%s error=\"%s\"\n", name, hl_errmsg());
        return;
    }
    hl_evolve_start s = {HL_START_INFINITE_T, NULL, 0, NULL, {0, 0}};
    hl_evolve_point pt;
    hl_evolve_info info;
    double t0 = now();
    int st = hl_evolve(m, D, p, &s, &t, 1, HL_EVOLVE_AUTO, 0, &pt, NULL, &info);
    hl_protocol_free(p);
    if (st != HL_OK) {
        printf("BENCH name=%s error=\"%s\"\n", name, hl_errmsg());
        return;
    }
    double wall = now() - t0;
    printf("BENCH name=%s D=%ld beta=1 t=10 wall_s=%.4f steps=%ld sum_error=%.3g "
           "mean_x=%.10f mean_y=%.10f mean_Phi=%.10f\n",
           name, D, wall, info.steps, pt.sum_error, pt.mean_x, pt.mean_y, pt.mean_phi * D);
    printf("MEM   name=%s peak_rss_kb=%ld\n", name, peak_kb());
}

int main(int argc, char **argv)
{
    hl_model *m;
    if (hl_model_create(NULL, &m) != HL_OK)
        return 1;
    bench(m, 1000, "evolve_D1000");
    bench(m, 10000, "evolve_D10000");
    hl_model_free(m);
    if (argc > 1 && !strcmp(argv[1], "--peer")) {
        char cmd[4096];
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' evolve",
                 argc > 2 ? argv[2] : "/work/shared/peer/peer.py");
        fflush(stdout);
        FILE *fp = popen(cmd, "r");
        char line[1024];
        while (fp && fgets(line, sizeof line, fp))
            printf("PEER  %s", line);
        if (fp)
            pclose(fp);
    }
    return 0;
}
