/* SPDX-License-Identifier: GPL-3.0-or-later */
/* readme_example.c -- the example program of the README: the paper's model,
 * its melting point and the slowest relaxation rates of the master equation.
 * Build against an installed hyperland:
 *   cc readme_example.c $(pkg-config --cflags --libs hyperland)
 * or with CMake: find_package(hyperland) and link hyperland::hyperland. */
#include <stdio.h>
#include <hyperland/hyperland.h>

static int fail(const char *what, int status)
{
    fprintf(stderr, "%s: %s: %s\n", what, hl_strerror(status), hl_errmsg());
    return 1;
}

int main(void)
{
    hl_model *m;
    hl_phases *p;
    int st = hl_model_create(NULL, &m); /* the paper's phi, eq 4.11 */
    if (st)
        return fail("model", st);

    /* branches of maxima of f = w - beta phi for beta in [0.05, 5] (eq 4.13) */
    st = hl_phases_compute(m, 0.05, 5.0, 2000, &p);
    if (st) {
        hl_model_free(m);
        return fail("phases", st);
    }
    for (int k = 0; k < hl_phases_melting_count(p); k++) {
        hl_melting ml;
        hl_phases_melting(p, k, &ml);
        printf("melting point: beta_m = %.12f (T_m = %.10f), latent heat %.10f\n", ml.beta,
               1 / ml.beta, ml.latent_heat);
    }
    hl_phases_free(p);

    /* the 4 slowest relaxation rates of the class master equation (eq 5.6)
     * at D = 100, beta = 0.8, in units of B */
    double rates[4], ln_rates[4];
    hl_spectrum_info info;
    st = hl_spectrum(m, 100, 0.8, HL_CONTRACTED, 4, rates, ln_rates, NULL, &info);
    if (st) {
        hl_model_free(m);
        return fail("spectrum", st);
    }
    printf("D = 100, beta = 0.8: %ld classes\n", info.states);
    for (int q = 0; q < 4; q++)
        printf("  rate %d = %.10e\n", q, rates[q]);
    hl_model_free(m);
    return 0;
}
