/* SPDX-License-Identifier: GPL-3.0-or-later */
/* timing.c -- stage timers (HL_TIMING=1) for finding where the time and the
 * memory of a run go. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "timing.h"

double hl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int hl_timing_on(void)
{
    static int on = -1; /* benign race: every thread computes the same value */
    if (on < 0) {
        const char *e = getenv("HL_TIMING");
        on = e && *e && strcmp(e, "0") != 0;
    }
    return on;
}

double hl_stage_done(const char *name, double t0, const char *note)
{
    double t = hl_now();
    if (hl_timing_on()) {
        struct rusage ru;
        double mb = getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024.0 : -1;
        static double cpu_last = 0;
        double cpu = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
                     (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
        fprintf(stderr, "hl-timing: %-28s %8.4f s wall, %8.4f s CPU since the last report "
                        "(peak RSS %7.1f MB)%s%s\n",
                name, t - t0, cpu - cpu_last, mb, note ? " " : "", note ? note : "");
        cpu_last = cpu;
    }
    return t;
}
