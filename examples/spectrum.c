/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spectrum.c -- relaxation spectra of the class master equation (eq 5.6,
 * rates of eq 5.2; eigenvalues of eq 3.11), in units of B:
 *   1. the paper's phi at its melting point beta_m for growing D: the
 *      tunnelling rate (the slowest nonzero one) falls as exp(-D barrier),
 *      so its log is what to look at; every rate carries a relative error
 *      bound (separable chains: LAPACK's dqds, high relative accuracy);
 *   2. a transmission B(x, y, T) = 1 + x y / 2 (not separable: the dense
 *      symmetric eigensolver, and the exact tunnelling rate by graph
 *      transformation);
 *   3. a flat potential, phi = 0, checked against the closed form: the
 *      classes then move as two independent Ehrenfest urns of D/2 spins,
 *      each with rates 2j (j = 0 .. D/2), so the rates are 2 (j1 + j2):
 *      0, 2, 2, 4, 4, 4, 6, ...  */
#include <math.h>
#include <stdio.h>
#include <hyperland/hyperland.h>

static int fail(const char *what, int status)
{
    fprintf(stderr, "%s: %s: %s\n", what, hl_strerror(status), hl_errmsg());
    return 1;
}

static const char *method_name(int method)
{
    switch (method) {
    case HL_SPECTRUM_SEPARABLE: return "separable chains";
    case HL_SPECTRUM_DENSE: return "dense";
    case HL_SPECTRUM_ARNOLDI: return "Arnoldi shift-invert";
    case HL_SPECTRUM_LANCZOS: return "Lanczos";
    default: return "?";
    }
}

#define K 5

int main(void)
{
    const double beta_m = 0.773149934737; /* paper_numbers.c */
    double rates[K], ln_rates[K], rel_err[K];
    hl_spectrum_info info;
    hl_model *m;
    int st = hl_model_create(NULL, &m);
    if (st)
        return fail("model", st);

    /* 1. the paper's phi at beta_m */
    const long dims[] = {100, 1000, 10000};
    for (int i = 0; i < 3; i++) {
        st = hl_spectrum_ex(m, dims[i], beta_m, HL_CONTRACTED, K, rates, ln_rates, rel_err, NULL,
                            &info);
        if (st)
            return fail("spectrum", st);
        printf("paper's phi, D = %ld, beta = %.12g: %ld classes, method %s\n", dims[i], beta_m,
               info.states, method_name(info.method));
        for (int q = 1; q < K; q++) {
            if (rates[q] > 0)
                printf("  rate %d = %.10e", q, rates[q]);
            else /* ln_rates stays finite */
                printf("  rate %d below the smallest double", q);
            printf(", ln rate = %.12f, error bound below 1e-6 relative: %s\n", ln_rates[q],
                   rel_err[q] < 1e-6 ? "yes" : "NO");
        }
        printf("  ln(tunnelling rate) / D = %.10f\n", ln_rates[1] / (double)dims[i]);
    }

    /* 2. a transmission coefficient that depends on the state */
    if ((st = hl_model_set_transmission(m, "1+0.5*x*y")))
        return fail("transmission", st);
    st = hl_spectrum_ex(m, 40, 0.8, HL_CONTRACTED, K, rates, ln_rates, rel_err, NULL, &info);
    if (st)
        return fail("spectrum with B", st);
    printf("B = 1 + x y / 2, D = 40, beta = 0.8: %ld classes, method %s%s\n", info.states,
           method_name(info.method),
           info.tunnelling_exact == 1 ? ", exact tunnelling rate" : "");
    for (int q = 1; q < K; q++)
        printf("  rate %d = %.10e\n", q, rates[q]);
    hl_model_free(m);

    /* 3. phi = 0: two Ehrenfest urns */
    if ((st = hl_model_create("0", &m)))
        return fail("flat model", st);
    const int closed[] = {0, 2, 2, 4, 4};
    st = hl_spectrum_ex(m, 20, 1.0, HL_CONTRACTED, K, rates, ln_rates, rel_err, NULL, &info);
    if (st)
        return fail("flat spectrum", st);
    double worst = 0;
    for (int q = 0; q < K; q++)
        worst = fmax(worst, fabs(rates[q] - closed[q]));
    printf("phi = 0, D = 20: rates");
    for (int q = 0; q < K; q++)
        printf(" %.12f", rates[q]);
    printf("\n  closed form 0 2 2 4 4: largest difference below 1e-12: %s\n",
           worst < 1e-12 ? "yes" : "NO");
    hl_model_free(m);
    return worst < 1e-12 ? 0 : 1;
}
