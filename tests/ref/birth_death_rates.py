#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# birth_death_rates.py METHOD D BETA PHI K -- the independent reference of
# tests/cli/specmem_test.sh: the K slowest rates (0 first) of the model of
# one block (spectrum --blocks 1), the birth-death chain over n = 0..D with
# K(n -> n+1) = (D - n) e^(-h), K(n+1 -> n) = (n + 1) e^h, h = beta D
# (phi(m_{n+1}) - phi(m_n)) / 2, m = (2n - D) / D, B = 1.  PHI: flat (0),
# quad (m^2) or dw (m^4/4 - m^2/2).  The symmetrised generator is the
# symmetric tridiagonal T (diagonal K(n->n+1) + K(n->n-1), off-diagonal
# -sqrt(K(n->n+1) K(n+1->n))).  METHOD:
#   scipy   scipy.linalg.eigh_tridiagonal (absolute accuracy eps |T|);
#             prints the rates as a JSON list
#   mpmath  Sturm-count bisection on T in mpmath at 60 + (digits of the
#             smallest rate) digits, in ln x first: prints the ln rates
#             (null for rate 0) as a JSON list, exact to ~1e-20
import json
import sys


def phi_of(name):
    return {'flat': lambda m: 0 * m, 'quad': lambda m: m * m,
            'dw': lambda m: m ** 4 / 4 - m * m / 2}[name]


def main():
    method, D, beta, name, k = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
    phi = phi_of(name)
    if method == 'scipy':
        import numpy as np
        from scipy.linalg import eigh_tridiagonal
        b = float(beta)
        m = np.array([(2 * j - D) / D for j in range(D + 1)])
        h = 0.5 * b * D * np.diff(phi(m))
        p = np.arange(D, 0, -1) * np.exp(-h)
        q = np.arange(1, D + 1) * np.exp(h)
        d = np.zeros(D + 1)
        d[:-1] += p
        d[1:] += q
        w = eigh_tridiagonal(d, -np.sqrt(p * q), eigvals_only=True, select='i',
                             select_range=(0, k - 1))
        print(json.dumps([float(x) for x in w]))
        return
    import mpmath as mp
    # the barrier sets how small the slowest rate is: enough digits for it
    mp.mp.dps = 60 + int(float(beta) * D * 0.25 / 2.3)
    b = mp.mpf(beta)
    ph = [phi(mp.mpf(2 * j - D) / D) for j in range(D + 1)]
    p = [(D - i) * mp.exp(-b * D * (ph[i + 1] - ph[i]) / 2) for i in range(D)]
    q = [(i + 1) * mp.exp(b * D * (ph[i + 1] - ph[i]) / 2) for i in range(D)]
    diag = [mp.mpf(0)] * (D + 1)
    for i in range(D):
        diag[i] += p[i]
        diag[i + 1] += q[i]
    off2 = [p[i] * q[i] for i in range(D)]

    def below(x):  # eigenvalues of T below x (Sturm sequence)
        c, t = 0, diag[0] - x
        if t < 0:
            c += 1
        for i in range(1, D + 1):
            if t == 0:
                t = mp.mpf(10) ** (-mp.mp.dps)
            t = diag[i] - x - off2[i - 1] / t
            if t < 0:
                c += 1
        return c
    out = [None]
    hi = 2 * max(diag)
    for r in range(1, k):
        # ln x bisection from e^-(digits) to hi, then plain bisection
        lo_l, hi_l = -2.3 * (mp.mp.dps - 20), mp.log(hi)
        for _ in range(200):
            mid = (lo_l + hi_l) / 2
            if below(mp.exp(mid)) >= r + 1:
                hi_l = mid
            else:
                lo_l = mid
            if hi_l - lo_l < mp.mpf(10) ** -25:
                break
        out.append(float((lo_l + hi_l) / 2))
    print(json.dumps(out))


main()
