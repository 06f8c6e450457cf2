#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference relaxation rates of the contracted master equation for the
default phi (x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3) with B = 1, in high precision
(mpmath), independent of hyperland's code.

The contracted generator is the sum of two birth-death chains (a = n1 with
the field s = x + y, b = n - n1 with g(d) = -(d+0.2)^2 + 0.38 (d+0.2)^3,
d = x - y = 2b/h - 1, h = D/2); chain rates k -> k+1: (h-k) e^(-half_k),
k+1 -> k: (k+1) e^(half_k), half_k = beta D (phi_{k+1} - phi_k) / 2.  Each
chain's symmetrised generator is a symmetric tridiagonal matrix (diagonal:
total escape rate, off-diagonal -sqrt(p_k q_k)); its eigenvalues are found
by Sturm-sequence bisection in log scale at `dps` digits (enough that the
smallest nonzero eigenvalue is far above 10^-dps |T|).  The rates of the
contracted chain are the sums of one eigenvalue of each chain, sorted.

usage: python3 separable_rates.py D BETA K
prints the K slowest rates (0 first) as "q rate ln_rate", 25 digits.
beta is taken as the double nearest the decimal given (as the C code does);
0.2 and 0.38 are exact decimals (the model's definition).
"""
import sys
from mpmath import mp, mpf, exp, log, sqrt


def chain(h, half):
    """diag and squared off-diagonal of the symmetrised tridiagonal"""
    p = [(h - k) * exp(-half[k]) for k in range(h)]
    q = [(k + 1) * exp(half[k]) for k in range(h)]
    N = h + 1
    diag = [mpf(0)] * N
    for k in range(h):
        diag[k] += p[k]
        diag[k + 1] += q[k]
    off2 = [p[k] * q[k] for k in range(h)]
    return diag, off2


def count_below(diag, off2, x):
    n, d = 0, None
    for j in range(len(diag)):
        d = diag[j] - x if j == 0 else diag[j] - x - off2[j - 1] / d
        if d == 0:
            d = mpf(10) ** (-mp.dps * 2)
        if d < 0:
            n += 1
    return n


def eigs(diag, off2, K):
    """the K smallest eigenvalues (0 first) by bisection on ln x"""
    top = max(diag) * 3
    out = [mpf(0)]
    for k in range(2, K + 1):  # k-th smallest: count_below(x) >= k
        lo, hi = log(mpf(10) ** (-mp.dps + 40)), log(top)
        if count_below(diag, off2, exp(lo)) >= k:
            raise SystemExit("precision too low for eigenvalue %d" % k)
        for _ in range(400):
            mid = (lo + hi) / 2
            if count_below(diag, off2, exp(mid)) >= k:
                hi = mid
            else:
                lo = mid
            if hi - lo < mpf(10) ** -40:
                break
        out.append(exp((lo + hi) / 2))
    return out


def rates(D, beta, K):
    h = D // 2
    s = [mpf(2 * k) / h - 1 for k in range(h + 1)]
    g = [-(x + mpf('0.2')) ** 2 + mpf('0.38') * (x + mpf('0.2')) ** 3 for x in s]
    ha = [beta * D * (s[k + 1] - s[k]) / 2 for k in range(h)]
    hb = [beta * D * (g[k + 1] - g[k]) / 2 for k in range(h)]
    kc = min(K, h + 1)
    la = eigs(*chain(h, ha), kc)
    lb = eigs(*chain(h, hb), kc)
    return sorted(x + y for x in la for y in lb)[:K]


def main():
    D, beta, K = int(sys.argv[1]), mpf(float(sys.argv[2])), int(sys.argv[3])
    # digits: ln of the smallest rate can reach -beta D (a barrier per
    # dimension below 1 at these betas) and |T| e^(2 beta max|g'|) D
    mp.dps = int(60 + (float(beta) * D * 1.2 + 14 * float(beta) + 20) / 2.3)
    r1 = rates(D, beta, K)
    mp.dps += 30
    r2 = rates(D, beta, K)
    for q in range(K):
        if q and abs(log(r1[q]) - log(r2[q])) > mpf(10) ** -25:
            raise SystemExit("rate %d not stable under more digits" % q)
        print(q, mp.nstr(r2[q], 25), mp.nstr(log(r2[q]), 25) if q else "-inf")


if __name__ == "__main__":
    main()
