#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# kglass_separable.py T S1 S2 -- the independent reference of
# tests/cli/kglass_test.sh (relaxation_sizes): prints ln tau and ln MFPT.
import math, sys, json
# independent check of relaxation --block-sizes S1,S2 with a separable phi
# phi = S1/D g1(m1) + S2/D g2(m2): the chain is a product of two one-block
# birth-death chains; tau = 1/min(lambda_1 of block 1 restricted to its
# liquid basin, lambda_1 of block 2 whole); the MFPT depends on block 1 only.
S1, S2, T = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[1])
g1 = lambda m: -1.5 * m * m + 0.3 * m
g2 = lambda m: 3 * m
beta = 1 / T
def lnc(n, k): return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
def chain(S, g):
    m = [2 * n / S - 1 for n in range(S + 1)]
    lq = [lnc(S, n) - beta * S * g(m[n]) for n in range(S + 1)]
    up = [(S - n) * math.exp(-beta * S * (g(m[n + 1]) - g(m[n])) / 2) for n in range(S)]
    dn = [(n + 1) * math.exp(beta * S * (g(m[n + 1]) - g(m[n])) / 2) for n in range(S)]
    return m, lq, up, dn
def ascent(lq):
    ends = []
    for n in range(len(lq)):
        c = n
        while True:
            best, bv = c, lq[c]
            for d in (c + 1, c - 1):
                if 0 <= d < len(lq) and lq[d] > bv:
                    best, bv = d, lq[d]
            if best == c: break
            c = best
        ends.append(c)
    return ends
def lambda1(lo, hi, up, dn):
    # the generator restricted to lo..hi (reflecting): symmetric tridiagonal
    a = []; b = []
    for n in range(lo, hi + 1):
        out = (up[n] if n < hi else 0) + (dn[n - 1] if n > lo else 0)
        a.append(out)
        if n < hi: b.append(math.sqrt(up[n] * dn[n]))
    def count(x):
        c, q = 0, a[0] - x
        if q < 0: c += 1
        for i in range(1, len(a)):
            q = a[i] - x - b[i - 1] ** 2 / (q if q != 0 else 1e-300)
            if q < 0: c += 1
        return c
    l, h = 0.0, 2 * max(a) + 1
    for _ in range(300):
        x = 0.5 * (l + h)
        if count(x) >= 2: h = x
        else: l = x
    return 0.5 * (l + h)
m1, lq1, up1, dn1 = chain(S1, g1)
m2, lq2, up2, dn2 = chain(S2, g2)
e1 = ascent(lq1)
ends = sorted(set(e1), key=lambda e: g1(m1[e]))
liq, cry = ends[-1], ends[0]
L = [n for n in range(S1 + 1) if e1[n] == liq]
C = [n for n in range(S1 + 1) if e1[n] == cry]
lam = min(lambda1(L[0], L[-1], up1, dn1), lambda1(0, S2, up2, dn2))
# MFPT on block 1 to the crystal set C = {0 .. c} (the left end): the
# birth-death closed form in positive sums, t(n) = sum_{i=c+1}^{n} tau_i,
# tau_i = sum_{j>=i} pi_j / (pi_i K(i -> i-1))
c = C[-1]
assert C == list(range(0, c + 1))
tm = {}
acc = 0.0
for i in range(c + 1, S1 + 1):
    acc += sum(math.exp(lq1[j] - lq1[i]) for j in range(i, S1 + 1)) / dn1[i - 1]
    tm[i] = acc
w = [math.exp(lq1[n]) for n in L]
mfpt = sum(wi * tm[n] for wi, n in zip(w, L)) / sum(w)
print("%.17g %.17g" % (-math.log(lam), math.log(mfpt)))
