/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paper_numbers.c -- the numbers of Stillinger (1984), section IV, from the
 * library: the packing potential at the perfect crystal and the amorphous
 * limit (eqs 4.12, 4.15), the branches of maxima of f = w - beta phi (eq
 * 4.13) with their spinodals (folds) and the melting point (eq 4.14) with
 * its latent heat, entropy jump and the saddle between the two basins, and
 * the exact finite-D melting point (eq 4.9), which approaches beta_m as 1/D.
 *
 * Independent checks (40-digit mpmath, the separable form of phi):
 * beta_m = 0.77314993473707262, crystal fold at beta = 0.33642916125595566;
 * phi(-1, 0) = -1.83456 and phi(0, -1) = -1.78336 exactly. */
#include <math.h>
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
    int st = hl_model_create(NULL, &m);
    if (st)
        return fail("model", st);
    printf("phi(-1, 0) = %.10f (perfect crystal, eq 4.12)\n", hl_model_phi(m, -1, 0));
    printf("phi(0, -1) = %.10f (amorphous limit, eq 4.15)\n", hl_model_phi(m, 0, -1));
    double x, y, phi;
    if ((st = hl_model_phi_min(m, &x, &y, &phi)))
        return fail("phi_min", st);
    printf("global minimum of phi: %.10f at (%.6f, %.6f)\n", phi, x, y);

    hl_phases *p;
    if ((st = hl_phases_compute(m, 0.05, 5.0, 2000, &p)))
        return fail("phases", st);
    printf("branches: %d\n", hl_phases_branch_count(p));
    for (int k = 0; k < hl_phases_fold_count(p); k++) {
        hl_fold f;
        hl_phases_fold(p, k, &f);
        printf("fold: %s %s at beta = %.12f, (x, y) = (%.8f, %.8f)\n",
               hl_phases_branch_name(p, f.branch), f.birth ? "appears" : "disappears", f.beta,
               f.x, f.y);
    }
    for (int k = 0; k < hl_phases_melting_count(p); k++) {
        hl_melting ml;
        hl_phases_melting(p, k, &ml);
        printf("melting: beta_m = %.12f, T_m = %.10f (%s -> %s)\n", ml.beta, 1 / ml.beta,
               hl_phases_branch_name(p, ml.branch_a), hl_phases_branch_name(p, ml.branch_b));
        printf("  liquid (x, y) = (%.8f, %.8f), crystal (x, y) = (%.8f, %.8f)\n", ml.a.x,
               ml.a.y, ml.b.x, ml.b.y);
        /* Clausius-Clapeyron: equal f on both branches, so the entropy jump
         * is beta_m times the latent heat, to round-off */
        double cc = ml.entropy_jump - ml.beta * ml.latent_heat;
        printf("  latent heat %.10f, entropy jump %.10f, jump = beta_m * heat: %s\n",
               ml.latent_heat, ml.entropy_jump, fabs(cc) < 1e-12 ? "yes" : "NO");
        if (ml.has_saddle)
            printf("  saddle (x, y) = (%.6f, %.6f), barrier per dimension %.8f\n", ml.saddle.x,
                   ml.saddle.y, ml.a.f - ml.saddle.f);
    }
    hl_melting ml;
    if ((st = hl_phases_melting(p, 0, &ml)))
        return fail("melting", st);
    hl_phases_free(p);

    /* finite D: the beta where the liquid and crystal basins are equally
     * probable in the exact class distribution */
    const long dims[] = {100, 1000, 10000};
    for (int i = 0; i < 3; i++) {
        hl_exact *ex;
        double bm;
        if ((st = hl_exact_create(m, dims[i], HL_EXACT_AUTO, &ex)))
            return fail("exact", st);
        st = hl_exact_melting(ex, ml.beta / 2, 2 * ml.beta, &bm);
        hl_exact_free(ex);
        if (st)
            return fail("exact melting", st);
        printf("D = %5ld: beta_m(D) = %.10f, D (beta_m(D) - beta_m) = %.6f\n", dims[i], bm,
               dims[i] * (bm - ml.beta));
    }
    hl_model_free(m);
    return 0;
}
