/* SPDX-License-Identifier: GPL-3.0-or-later */
/* blocks_lattice_network.c -- the class lattice of the model of k blocks
 * (blocks.h) written as a kinetic transition network in the plain CSV form
 * of network.h (hl_blocks_lattice_network_write), the k-dimensional
 * counterpart of lattice_network.c.
 *
 * The mapping is that of lattice_network.c.  The network form gives
 * ln M_a = S_a - E_a/T and ln k(a -> g) = (S_ts - E_ts/T) - (S_a - E_a/T).
 * The class n has the weight W(n) exp(-beta D phi(m(n))), W = prod_i
 * C(D_i, n_i), so E_n = D phi(m(n)) and S_n = ln W(n).  The move
 * n -> n' = n + e_i goes through any of the D_i - n_i spins -1 of block i at
 * the vertex rate B(m_mid, T) exp(-beta (E_n' - E_n)/2), m_mid the midpoint
 * of the two classes (hl_blocks_chain), so with
 *
 *   E_ts = (E_n + E_n')/2,   S_ts = ln W(n) + ln(D_i - n_i) + ln B
 *
 * ln k(n -> n') = ln(D_i - n_i) + ln B - (E_n' - E_n)/(2T), and, since
 * W(n) (D_i - n_i) = W(n') (n_i + 1), ln k(n' -> n) = ln(n_i + 1) + ln B -
 * (E_n - E_n')/(2T): both rates of hl_blocks_chain at every T for a B
 * without T; a B with T is evaluated at T = 1/beta and folded into S_ts. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hyperland/blocks.h"
#include "hyperland/network.h"
#include "hyperland/output.h"
#include "core.h"

/* -0 as 0 (a zero has no sign to report, as hl_format_number) */
static double nz(double v) { return v == 0 ? 0.0 : v; }

int hl_blocks_lattice_network_write(const hl_blocks *b, double beta, FILE *states,
                                    FILE *transitions, long *n_states, long *n_transitions)
{
    if (!b || !states || !transitions)
        return hl_fail(HL_EINVAL, "hl_blocks_lattice_network_write: NULL argument");
    int uses_T = hl_blocks_transmission_uses_t(b);
    if (uses_T && (!isfinite(beta) || !(beta > 0) || beta > 1e6))
        return hl_fail(HL_EDOM, "beta = %g is not in (0, 1e6] (B depends on T: the lattice "
                                "network is written at one temperature)", beta);
    int k = hl_blocks_k(b);
    long N = hl_blocks_n_classes(b);
    if (N < 0 || N > (1L << 31))
        return hl_fail(HL_ERANGE, "the class lattice of D = %ld in %d blocks has more than 2^31 "
                                  "classes",
                       hl_blocks_dim(b), k);
    double T = uses_T ? 1.0 / beta : 1.0; /* B without T: any T */
    double D = (double)hl_blocks_dim(b);
    long stride[HL_BLOCKS_MAX], size[HL_BLOCKS_MAX], n[HL_BLOCKS_MAX];
    double m[HL_BLOCKS_MAX], mm[HL_BLOCKS_MAX];
    for (int i = 0; i < k; i++)
        size[i] = hl_blocks_size(b, i);
    stride[k - 1] = 1;
    for (int i = k - 2; i >= 0; i--)
        stride[i] = stride[i + 1] * (size[i + 1] + 1);
    double *E = malloc(sizeof(double) * (size_t)N);
    if (!E)
        return hl_fail(HL_ENOMEM, "out of memory (lattice network of %ld classes)", N);
    int st = HL_OK;
    if (uses_T) { /* the reader's restriction to this T (network.h, the CSV form) */
        fprintf(states, "# valid-temperature: %.17g\n", T);
        fprintf(transitions, "# valid-temperature: %.17g\n", T);
    }
    fprintf(states, "id,energy,entropy\n");
    for (long idx = 0; idx < N; idx++) {
        hl_blocks_class(b, idx, n, m);
        double phi = hl_blocks_phi(b, m);
        if (!isfinite(phi)) {
            char pv[32];
            st = hl_fail(HL_EDOM, "phi is %s at class %ld (m1 = %g)", hl_msg_num(phi, pv), idx,
                         m[0]);
            goto done;
        }
        E[idx] = D * phi;
        fprintf(states, "%ld,%.17g,%.17g\n", idx, nz(E[idx]), nz(hl_blocks_ln_count(b, n)));
    }
    long nt = 0;
    fprintf(transitions, "a,b,energy,entropy\n");
    for (long idx = 0; idx < N; idx++) {
        hl_blocks_class(b, idx, n, m);
        double S = hl_blocks_ln_count(b, n);
        for (int i = 0; i < k; i++) {
            if (n[i] == size[i])
                continue;
            /* the midpoint, as hl_blocks_chain (the same bits of B) */
            memcpy(mm, m, sizeof(double) * (size_t)k);
            mm[i] = (2.0 * (double)n[i] + 1.0) / (double)size[i] - 1.0;
            double B = hl_blocks_transmission(b, mm, T);
            long j = idx + stride[i];
            if (!(isfinite(B) && B >= DBL_MIN)) {
                char ex[HL_CLIP_BUF];
                st = hl_fail(HL_EDOM,
                             "transmission '%s' is %g between classes %ld and %ld (block %d, "
                             "T = %g): it must be positive and finite",
                             hl_clip(hl_blocks_transmission_formula(b), ex), B, idx, j, i + 1,
                             T);
                goto done;
            }
            fprintf(transitions, "%ld,%ld,%.17g,%.17g\n", idx, j, nz(0.5 * (E[idx] + E[j])),
                    nz(S + log((double)(size[i] - n[i])) + log(B)));
            nt++;
        }
    }
    if (ferror(states) || ferror(transitions)) {
        st = hl_fail(HL_EIO, "cannot write the lattice network");
        goto done;
    }
    if (n_states)
        *n_states = N;
    if (n_transitions)
        *n_transitions = nt;
done:
    free(E);
    return st;
}
