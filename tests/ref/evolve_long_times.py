#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent reference for the long-time tests of hl_evolve (tests/test_evolve.c).

The paper's phi (eq 4.11) is phi = s + g(d), s = x + y, d = x - y, so the
contracted master equation (eq 5.6, rates eq 5.2, B = 1) is the product of two
birth-death chains: a = n1 with Phi_a = D s_a, b = n - n1 with Phi_b = D g(d_b),
s_a = 2a/h - 1, d_b = 2b/h - 1, h = D/2; rates k -> k+1: (h-k) exp(-beta dPhi/2),
k+1 -> k: (k+1) exp(beta dPhi/2).  Each chain is solved by a dense
eigendecomposition of its symmetrised generator in mpmath at 80 digits:
p(t) = Pi^1/2 U exp(-Lambda t) U^T Pi^-1/2 p(0), exact for any t (the slowest
rate, ~1e-29 at D = 200, is resolved to ~1e-50 relative).  Prints <x>, <y> and
P(liquid) = the mass of chain b in the steepest-ascent basin of ln pi_b that
holds the start class.  usage: evolve_long_times.py D BETA A0 B0 t1 t2 ...
"""
import sys
import mpmath as mp

mp.mp.dps = 80


def g(d):
    return -(d + mp.mpf('0.2')) ** 2 + mp.mpf('0.38') * (d + mp.mpf('0.2')) ** 3


def chain(h, phi, beta):
    n = h + 1
    lnpi = [mp.log(mp.binomial(h, k)) - beta * phi[k] for k in range(n)]
    S = mp.zeros(n, n)
    for k in range(h):
        e = beta * (phi[k + 1] - phi[k]) / 2
        up = (h - k) * mp.exp(-e)
        dn = (k + 1) * mp.exp(e)
        S[k, k] -= up
        S[k + 1, k + 1] -= dn
        c = mp.sqrt(up * dn)
        S[k, k + 1] = c
        S[k + 1, k] = c
    E, U = mp.eigsy(S)
    return lnpi, E, U


def evolve(lnpi, E, U, k0, t):
    n = len(lnpi)
    # p(t)_i = sum_q exp(E_q t) U_iq U_k0q sqrt(pi_i / pi_k0)
    out = []
    for i in range(n):
        s = mp.mpf(0)
        for q in range(n):
            s += mp.exp(E[q] * t) * U[i, q] * U[k0, q]
        out.append(s * mp.exp((lnpi[i] - lnpi[k0]) / 2))
    return out


def main():
    D = int(sys.argv[1])
    beta = mp.mpf(sys.argv[2])
    a0, b0 = int(sys.argv[3]), int(sys.argv[4])
    times = [mp.mpf(x) for x in sys.argv[5:]]
    h = D // 2
    s = [mp.mpf(2 * k) / h - 1 for k in range(h + 1)]
    la, Ea, Ua = chain(h, [D * v for v in s], beta)
    lb, Eb, Ub = chain(h, [D * g(v) for v in s], beta)
    # basin of b0: steepest ascent of ln pi_b (ties to k+1 first)
    def ascend(k):
        while True:
            best = k
            for j in (k + 1, k - 1):
                if 0 <= j <= h and lb[j] > lb[best]:
                    best = j
            if best == k:
                return k
            k = best
    top = ascend(b0)
    liquid = [ascend(k) == top for k in range(h + 1)]
    print("# D=%d beta=%s start (a,b)=(%d,%d); slowest rates a %s b %s" %
          (D, mp.nstr(beta, 6), a0, b0, mp.nstr(-sorted(Ea)[-2], 15), mp.nstr(-sorted(Eb)[-2], 15)))
    for t in times:
        pa = evolve(la, Ea, Ua, a0, t)
        pb = evolve(lb, Eb, Ub, b0, t)
        es = sum(pa[k] * s[k] for k in range(h + 1)) / sum(pa)
        ed = sum(pb[k] * s[k] for k in range(h + 1)) / sum(pb)
        pl = sum(pb[k] for k in range(h + 1) if liquid[k]) / sum(pb)
        print("%s %s %s %s" % (mp.nstr(t, 6), mp.nstr((es + ed) / 2, 15), mp.nstr((es - ed) / 2, 15),
                               mp.nstr(pl, 15)))


main()
