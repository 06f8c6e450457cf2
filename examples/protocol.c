/* SPDX-License-Identifier: GPL-3.0-or-later */
/* protocol.c -- the class master equation (eq 5.6, rates of eq 5.2) under a
 * cooling protocol (evolve.h): supercooling, and the long-time limit.
 *
 *   1. D = 100: the liquid in equilibrium at beta = 0.5 is cooled, linearly
 *      in T, to beta = 1.0 (below the melting point beta_m = 0.7731) by
 *      t = 20, then held.  The crystal is then the stable phase (the exact
 *      equilibrium puts almost all weight on it) but the liquid has to
 *      cross a barrier of about 0.31 D in free energy: it stays liquid
 *      (supercooled) for times far beyond the run.
 *   2. D = 20 with the same protocol, held until t = 1e9: the barrier is
 *      small enough that the run reaches equilibrium, which must equal the
 *      exact class sums at beta = 1.0 (exact.h, an independent method). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <hyperland/hyperland.h>

static int fail(const char *what, int status)
{
    fprintf(stderr, "%s: %s: %s\n", what, hl_strerror(status), hl_errmsg());
    return 1;
}

static double population(const hl_basin *b, int n, const char *name)
{
    for (int k = 0; k < n; k++)
        if (!strcmp(b[k].name, name))
            return b[k].probability;
    return 0.0;
}

#define NT 5

int main(void)
{
    hl_model *m;
    int st = hl_model_create(NULL, &m);
    if (st)
        return fail("model", st);

    /* T(t): 2 at t = 0, 1 at t = 20, then constant */
    double t_rows[2] = {0.0, 20.0}, T_rows[2] = {2.0, 1.0};
    hl_protocol *cool = NULL; /* owns a copy of the rows; freed at the end */
    if ((st = hl_protocol_create(HL_PROTOCOL_T, 2, t_rows, T_rows, &cool)))
        return fail("protocol", st);
    hl_evolve_start start = {.kind = HL_START_EQUILIBRIUM, .beta = 0.5};

    /* 1. D = 100: supercooled */
    const double times[NT] = {0, 5, 10, 20, 1000};
    hl_evolve_point pts[NT];
    hl_evolve_info info;
    st = hl_evolve(m, 100, cool, &start, times, NT, HL_EVOLVE_AUTO, 1e-10, pts, NULL, &info);
    if (st)
        return fail("evolve D = 100", st);
    printf("D = 100, T from 2 to 1 by t = 20 (%s path)\n",
           info.method == HL_EVOLVE_PRODUCT ? "product" : "general");
    printf("       t    beta      <x>          <y>          <phi>        P(liquid)    "
           "P(crystal)\n");
    for (int i = 0; i < NT; i++)
        printf("%8g  %6.4f  %+.8f  %+.8f  %+.8f  %.8f  %.8f\n", pts[i].t, pts[i].beta,
               pts[i].mean_x, pts[i].mean_y, pts[i].mean_phi,
               population(pts[i].basins, pts[i].n_basins, "liquid"),
               population(pts[i].basins, pts[i].n_basins, "crystal"));
    hl_exact *ex;
    hl_exact_result eq;
    if ((st = hl_exact_create(m, 100, HL_EXACT_AUTO, &ex)) || (st = hl_exact_compute(ex, 1.0, &eq)))
        return fail("exact", st);
    hl_exact_free(ex);
    printf("  equilibrium at beta = 1: P(crystal) = %.8f: the liquid is supercooled\n",
           population(eq.basins, eq.n_basins, "crystal"));

    /* 2. D = 20: long enough to reach equilibrium */
    const double t_long[2] = {20, 1e9};
    hl_evolve_point end[2];
    st = hl_evolve(m, 20, cool, &start, t_long, 2, HL_EVOLVE_AUTO, 1e-10, end, NULL, &info);
    if (st)
        return fail("evolve D = 20", st);
    if ((st = hl_exact_create(m, 20, HL_EXACT_AUTO, &ex)) || (st = hl_exact_compute(ex, 1.0, &eq)))
        return fail("exact", st);
    hl_exact_free(ex);
    printf("D = 20, t = 1e9: <x> = %+.10f, <y> = %+.10f, P(crystal) = %.10f\n", end[1].mean_x,
           end[1].mean_y, population(end[1].basins, end[1].n_basins, "crystal"));
    printf("  exact equilibrium: <x> = %+.10f, <y> = %+.10f, P(crystal) = %.10f\n", eq.mean_x,
           eq.mean_y, population(eq.basins, eq.n_basins, "crystal"));
    double d = fmax(fabs(end[1].mean_x - eq.mean_x), fabs(end[1].mean_y - eq.mean_y));
    printf("  agree to 1e-8: %s\n", d < 1e-8 ? "yes" : "NO");
    hl_protocol_free(cool);
    hl_model_free(m);
    return d < 1e-8 ? 0 : 1;
}
