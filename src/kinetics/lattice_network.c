/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lattice_network.c -- the contracted class lattice of eq 5.6 written as a
 * kinetic transition network in the plain CSV form of network.h, and the
 * sets (start class, target basin) of `hyperland mfpt` as network ids.
 *
 * The mapping.  The network form gives ln M_a = S_a - E_a/T and
 * ln k(a -> g) = (S_ts - E_ts/T) - (S_a - E_a/T).  The class i = (n, n1)
 * (a = n1, b = n - n1, h = D/2) has the weight W(n, n1) exp(-beta Phi_i)
 * (eq 5.5) with W = C(h, a) C(h, b) and Phi_i = D phi(x_i, y_i), so
 *
 *   E_i = D phi(x_i, y_i),   S_i = ln W(n, n1) = ln C(h, a) + ln C(h, b).
 *
 * A move of eq 5.6, i -> j with a -> a + 1, goes through any of the h - a
 * spins of the first half that are down, each at the rate of eq 5.2,
 * B(x_ij, y_ij, T) exp(-beta (Phi_j - Phi_i)/2) (B at the mean order
 * parameters of the two classes, eq 5.1), so k(i -> j) = (h - a) B
 * exp(-beta (Phi_j - Phi_i)/2).  Its transition state is
 *
 *   E_ts = (E_i + E_j)/2,   S_ts = ln W(n, n1) + ln(h - a) + ln B,
 *
 * since then (S_ts - E_ts/T) - (S_i - E_i/T) = ln(h - a) + ln B -
 * (E_j - E_i)/(2T), and from j back (W_i (h - a) = W_j (a + 1), as
 * C(h, a)(h - a) = C(h, a + 1)(a + 1)) ln k(j -> i) = ln(a + 1) + ln B -
 * (E_i - E_j)/(2T): both rates of eq 5.6
 * at every T.  The b moves likewise.  So for a B that does not depend on T
 * the network is the lattice at every temperature.  A B that depends on T
 * is evaluated at one temperature and folded into S_ts: the network is then
 * right at that temperature only.  (A B of the Arrhenius form
 * B0(x, y) exp(-e(x, y)/T) could be carried exactly, with E_ts + e and
 * S_ts + ln B0, but a formula is not split into such parts here.) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "kinetics_private.h"
#include "model_private.h"
#include "hyperland/network.h"

/* -0 as 0 (a zero has no sign to report, as hl_format_number) */
static double nz(double v) { return v == 0 ? 0.0 : v; }

long hl_lattice_network_id(long dim, long n, long n1)
{
    long h = dim / 2;
    return n1 * (h + 1) + (n - n1);
}

static int check_args(const hl_model *m, long dim, double beta, int need_beta)
{
    int st = hl_check_dim(dim);
    if (st)
        return st;
    int uses_T = hl_model_transmission_uses_temperature(m);
    if ((need_beta || uses_T) && (!isfinite(beta) || !(beta > 0) || beta > 1e6))
        return hl_fail(HL_EDOM, "beta = %g is not in (0, 1e6]%s", beta,
                       uses_T && !need_beta ? " (B depends on T: the lattice network is "
                                              "written at one temperature)" : "");
    if (uses_T)
        return hl_model_check_transmission(m, 1.0 / beta);
    return HL_OK;
}

int hl_lattice_network_write(const hl_model *m, long dim, double beta, FILE *states,
                             FILE *transitions, long *n_states, long *n_transitions)
{
    if (!m || !states || !transitions)
        return hl_fail(HL_EINVAL, "hl_lattice_network_write: NULL argument");
    int st = check_args(m, dim, beta, 0);
    if (st)
        return st;
    int uses_T = hl_model_transmission_uses_temperature(m);
    double T = uses_T ? 1.0 / beta : 1.0; /* B without T: any T */
    long h = dim / 2, w = h + 1;
    double D = (double)dim;
    double *E = malloc(sizeof(double) * (size_t)w * (size_t)w);
    double *lnc = malloc(sizeof(double) * (size_t)w);
    if (!E || !lnc) {
        free(E);
        free(lnc);
        return hl_fail(HL_ENOMEM, "out of memory (lattice network at D = %ld)", dim);
    }
    for (long k = 0; k <= h; k++)
        lnc[k] = hl_lnchoose(h, k);
    if (uses_T) { /* the reader's restriction to this T (network.h, the CSV form) */
        fprintf(states, "# valid-temperature: %.17g\n", T);
        fprintf(transitions, "# valid-temperature: %.17g\n", T);
    }
    fprintf(states, "id,energy,entropy\n");
    for (long a = 0; a <= h && !st; a++)
        for (long b = 0; b <= h; b++) {
            double phi;
            if ((st = hl_class_phi(m, h, a, b, &phi)) != HL_OK)
                break;
            E[a * w + b] = D * phi;
            fprintf(states, "%ld,%.17g,%.17g\n", a * w + b, nz(E[a * w + b]), nz(lnc[a] + lnc[b]));
        }
    long nt = 0;
    if (!st)
        fprintf(transitions, "a,b,energy,entropy\n");
    for (long a = 0; a <= h && !st; a++)
        for (long b = 0; b <= h && !st; b++)
            for (int q = 0; q < 2; q++) { /* q = 0: a + 1, q = 1: b + 1 */
                long a2 = a + (q == 0), b2 = b + (q == 1);
                if (a2 > h || b2 > h)
                    continue;
                double bx = 0.5 * (hl_class_x(h, a, b) + hl_class_x(h, a2, b2));
                double by = 0.5 * (hl_class_y(h, a, b) + hl_class_y(h, a2, b2));
                double Bt = hl_model_transmission(m, bx, by, T);
                if ((st = hl_check_bond_b(Bt, a, b, a2, b2, bx, by, T)) != HL_OK)
                    break;
                long i = a * w + b, j = a2 * w + b2;
                /* S_ts = ln W_i + ln(count): W_i (h - a) = W_j (a + 1) */
                double s = lnc[a] + lnc[b] + log((double)(q == 0 ? h - a : h - b));
                fprintf(transitions, "%ld,%ld,%.17g,%.17g\n", i, j, nz(0.5 * (E[i] + E[j])),
                        nz(s + log(Bt)));
                nt++;
            }
    free(E);
    free(lnc);
    if (st)
        return st;
    if (ferror(states) || ferror(transitions))
        return hl_fail(HL_EIO, "cannot write the lattice network");
    if (n_states)
        *n_states = w * w;
    if (n_transitions)
        *n_transitions = nt;
    return HL_OK;
}

int hl_lattice_network_sets(const hl_model *m, long dim, double beta, const char *from,
                            const char *to, long *start_id, long *target_ids, long *n_target)
{
    if (!m || !from || !to || !start_id || !target_ids || !n_target)
        return hl_fail(HL_EINVAL, "hl_lattice_network_sets: NULL argument");
    int st = check_args(m, dim, beta, 1);
    if (st)
        return st;
    if ((st = hl_model_check_transmission(m, 1.0 / beta)) != HL_OK)
        return st;
    if (!strcmp(from, to))
        return hl_fail(HL_EINVAL, "'from' and 'to' are the same basin '%s'",
                       hl_clip(from, (char[HL_CLIP_BUF]){0}));
    hl_named_maxima c;
    if ((st = hl_named_maxima_get(m, beta, &c)) != HL_OK)
        return st;
    long h = dim / 2, w = h + 1, N = w * w;
    double *lq = malloc(sizeof(double) * (size_t)N);
    double *lk4 = malloc(sizeof(double) * (size_t)N * 4);
    long *nb = malloc(sizeof(long) * (size_t)N * 4);
    long *lab = malloc(sizeof(long) * (size_t)N);
    if (!lq || !lk4 || !nb || !lab) {
        st = hl_fail(HL_ENOMEM, "out of memory (lattice sets at D = %ld)", dim);
        goto done;
    }
    /* as hl_mfpt's general path: ln Q_eq of the class lattice, the ascent,
     * the basins named after the nearest maximum of f */
    if ((st = hl_class_lattice(m, dim, beta, lq, lk4, nb)) != HL_OK)
        goto done;
    hl_ascent_2d(lq, h, lab);
    long start = -1, nt = 0;
    for (long i = 0; i < N; i++) {
        long e = lab[i];
        const char *nm = hl_named_maxima_nearest(&c, hl_class_x(h, e / w, e % w),
                                                 hl_class_y(h, e / w, e % w));
        if (!strcmp(nm, to))
            target_ids[nt++] = i;
        if (!strcmp(nm, from) && e == i && (start < 0 || lq[i] > lq[start]))
            start = i;
    }
    if (start < 0 || nt == 0) {
        st = hl_fail(HL_ENOTFOUND, "no '%s' basin%s at D = %ld, beta = %g",
                     hl_clip(start < 0 ? from : to, (char[HL_CLIP_BUF]){0}),
                     start < 0 ? " to start from" : " to reach", dim, beta);
        goto done;
    }
    *start_id = start;
    *n_target = nt;
done:
    free(lq);
    free(lk4);
    free(nb);
    free(lab);
    return st;
}
