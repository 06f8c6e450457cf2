/* SPDX-License-Identifier: GPL-3.0-or-later */
/* user_chain.c -- a reversible chain built by hand with the public chain API
 * (hyperland/chain.h; eqs 3.3-3.5) and checked against the closed forms:
 *
 *   states 0, 1, 2, 3 with ln M_a = S_a - beta E_a                (eq 3.3)
 *   0 -- 1: a transition state (S_ts, E_ts):
 *           K(a -> g) = exp(S_ts - beta E_ts) / M_a
 *   1 -- 2: two parallel edges, ln A = s - beta e each; they add:
 *           A = A' + A'',  K(a -> g) = A sqrt(M_g / M_a)        (eq 3.4)
 *   2 -- 2: a self-loop (dropped: it changes nothing)
 *   3:      no edge (a component of its own)
 *
 * Equilibrium per connected component: p_a = M_a / sum of M over the
 * component; detailed balance M_a K(a -> g) = M_g K(g -> a).  Spectrum:
 * one 0 per component, and for the path 0 -- 1 -- 2 with a = K(0->1),
 * b = K(1->0), c = K(1->2), d = K(2->1) the two roots of
 *   lambda^2 - (a + b + c + d) lambda + (a c + b d + a d) = 0
 * (the constant term: the sum over the spanning trees of the path). */
#include <math.h>
#include <stdio.h>
#include <hyperland/hyperland.h>

static int fail(const char *what, int status)
{
    fprintf(stderr, "%s: %s: %s\n", what, hl_strerror(status), hl_errmsg());
    return 1;
}

#define N 4

int main(void)
{
    const double beta = 1.5;
    const double S[N] = {0.0, log(2.0), 0.0, 0.7}, E[N] = {0.0, 1.0, 0.5, 3.0};
    const double s_ts = 0.0, e_ts = 2.0;                         /* 0 -- 1 */
    const double s1 = 0.3, e1 = 0.2, s2 = 0.1, e2 = 0.0;         /* 1 -- 2 */

    hl_chain *c;
    int st = hl_chain_create(N, &c);
    if (!st)
        st = hl_chain_set_states(c, S, E);
    if (!st)
        st = hl_chain_add_transition_state(c, 0, 1, s_ts, e_ts);
    if (!st)
        st = hl_chain_add_edge(c, 1, 2, s1, e1);
    if (!st)
        st = hl_chain_add_edge(c, 2, 1, s2, e2); /* either direction: edges are undirected */
    if (!st)
        st = hl_chain_add_edge(c, 2, 2, 0.0, 0.0);
    if (st)
        return fail("build", st);
    hl_chain_info info;
    hl_chain_get_info(c, &info);
    printf("chain: %ld states, %ld edges, %ld pairs, %ld self-loop dropped\n", info.states,
           info.edges, info.pairs, info.self_loops);

    hl_chain_plan *p;
    if ((st = hl_chain_plan_create(c, beta, &p)))
        return fail("plan", st);
    hl_chain_free(c); /* the plan keeps what it needs */

    long comp[N], n_comp;
    double ln_p[N];
    if ((st = hl_chain_components(p, comp, &n_comp)) || (st = hl_chain_equilibrium(p, ln_p)))
        return fail("equilibrium", st);
    printf("beta = %g: %ld components:", beta, n_comp);
    for (int a = 0; a < N; a++)
        printf(" %ld", comp[a]);
    printf("\n");

    /* the closed forms, in plain doubles */
    double M[N], z = 0;
    for (int a = 0; a < N; a++)
        M[a] = exp(S[a] - beta * E[a]);
    for (int a = 0; a < 3; a++)
        z += M[a];
    const double p_closed[N] = {M[0] / z, M[1] / z, M[2] / z, 1.0};
    double worst = 0;
    for (int a = 0; a < N; a++) {
        double pa = exp(ln_p[a]);
        printf("  p_%d = %.15f (closed form %.15f)\n", a, pa, p_closed[a]);
        worst = fmax(worst, fabs(pa - p_closed[a]) / p_closed[a]);
    }

    const double k_ts = exp(s_ts - beta * e_ts);
    const double A12 = exp(s1 - beta * e1) + exp(s2 - beta * e2);
    const struct {
        int a, g;
        double closed;
    } K[] = {{0, 1, k_ts / M[0]},
             {1, 0, k_ts / M[1]},
             {1, 2, A12 * sqrt(M[2] / M[1])},
             {2, 1, A12 * sqrt(M[1] / M[2])},
             {0, 2, 0.0},
             {2, 3, 0.0}};
    for (size_t i = 0; i < sizeof K / sizeof K[0]; i++) {
        double ln_k;
        if ((st = hl_chain_ln_rate(p, K[i].a, K[i].g, &ln_k)))
            return fail("rate", st);
        if (K[i].closed > 0) {
            printf("  K(%d -> %d) = %.15f (closed form %.15f)\n", K[i].a, K[i].g, exp(ln_k),
                   K[i].closed);
            worst = fmax(worst, fabs(exp(ln_k) - K[i].closed) / K[i].closed);
        } else {
            printf("  K(%d -> %d): no edge (ln K = -inf: %s)\n", K[i].a, K[i].g,
                   isinf(ln_k) && ln_k < 0 ? "yes" : "NO");
            if (!(isinf(ln_k) && ln_k < 0))
                worst = INFINITY;
        }
    }
    /* detailed balance: M_a K(a -> g) = M_g K(g -> a) */
    double ln01, ln10, ln12, ln21;
    hl_chain_ln_rate(p, 0, 1, &ln01);
    hl_chain_ln_rate(p, 1, 0, &ln10);
    hl_chain_ln_rate(p, 1, 2, &ln12);
    hl_chain_ln_rate(p, 2, 1, &ln21);
    double db = fmax(fabs(ln_p[0] + ln01 - ln_p[1] - ln10), fabs(ln_p[1] + ln12 - ln_p[2] - ln21));
    printf("detailed balance to 1e-14 in logs: %s\n", db < 1e-14 ? "yes" : "NO");
    printf("library against the closed forms to 1e-14 relative: %s\n",
           worst < 1e-14 ? "yes" : "NO");

    /* the relaxation rates */
    double rates[N];
    hl_chain_result res;
    if ((st = hl_chain_spectrum(p, N, rates, &res)))
        return fail("spectrum", st);
    const double a = K[0].closed, b = K[1].closed, c12 = K[2].closed, d = K[3].closed;
    const double sum = a + b + c12 + d, prod = a * c12 + b * d + a * d;
    const double disc = sqrt(sum * sum - 4 * prod);
    const double closed[N] = {0, 0, 2 * prod / (sum + disc), (sum + disc) / 2};
    double wr = 0;
    printf("spectrum (method %s):", res.method);
    for (int q = 0; q < N; q++) {
        printf(" %.14f", rates[q]);
        wr = fmax(wr, fabs(rates[q] - closed[q]) / fmax(closed[q], 1e-300));
    }
    printf("\n  closed form:");
    for (int q = 0; q < N; q++)
        printf(" %.14f", closed[q]);
    printf("\n  agree to 1e-12 relative (zeros exact): %s\n", wr < 1e-12 ? "yes" : "NO");
    hl_chain_plan_free(p);
    return worst < 1e-14 && db < 1e-14 && wr < 1e-12 ? 0 : 1;
}
