#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent reference of the network's master-equation evolution
(hl_network_evolve / `hyperland network --evolve`) at a fixed temperature,
written from the definitions with mpmath, for tests/test_evolve_stiff.c.

usage: network_evolve.py DBDIR T START_ID t1 t2 ...
prints one line per time: t then P_a(t) for every minimum of the connected
component of START_ID (database ids increasing, the ids on a first line).

Definitions (as tests/ref/network_regroup.py): M_a = exp(-E_a/T - F_a/2 -
ln o_a); a transition state s between a and b has the weight
W_s = exp(-E_s/T - F_s/2 - ln o_s - ln 2 pi); k(a -> b) = sum_s W_s / M_a.
P(t) = Pi^1/2 U exp(Lambda t) U^T Pi^-1/2 P(0) with S = U Lambda U^T the
symmetrised generator (off the diagonal sum_s W_s / sqrt(M_a M_b)),
eigendecomposition at 60 digits: exact for any t however stiff the chain."""
import os, sys
import mpmath as mp

mp.mp.dps = 60
d, T, start = sys.argv[1], mp.mpf(sys.argv[2]), int(sys.argv[3]) - 1
times = [mp.mpf(x) for x in sys.argv[4:]]
mins = [l.split() for l in open(os.path.join(d, "min.data")) if l.strip()]
lnM = [-mp.mpf(m[0]) / T - mp.mpf(m[1]) / 2 - mp.log(mp.mpf(m[2])) for m in mins]
W = {}
for l in open(os.path.join(d, "ts.data")):
    t = l.split()
    if not t:
        continue
    a, b = int(t[3]) - 1, int(t[4]) - 1
    if a == b:
        continue
    w = mp.exp(-mp.mpf(t[0]) / T - mp.mpf(t[1]) / 2 - mp.log(mp.mpf(t[2])) - mp.log(2 * mp.pi))
    key = (min(a, b), max(a, b))
    W[key] = W.get(key, 0) + w
adj = {}
for a, b in W:
    adj.setdefault(a, set()).add(b)
    adj.setdefault(b, set()).add(a)
comp, stack = {start}, [start]
while stack:
    x = stack.pop()
    for y in adj.get(x, ()):
        if y not in comp:
            comp.add(y)
            stack.append(y)
ids = sorted(comp)
pos = {a: i for i, a in enumerate(ids)}
n = len(ids)
S = mp.zeros(n, n)
for (a, b), w in W.items():
    if a in pos and b in pos:
        i, j = pos[a], pos[b]
        S[i, i] -= w / mp.exp(lnM[a])
        S[j, j] -= w / mp.exp(lnM[b])
        c = w / mp.exp((lnM[a] + lnM[b]) / 2)
        S[i, j] += c
        S[j, i] += c
lam, U = mp.eigsy(S)
k0 = pos[start]
print(" ".join(str(a + 1) for a in ids))
for t in times:
    row = []
    for i in range(n):
        s = mp.mpf(0)
        for q in range(n):
            s += mp.exp(lam[q] * t) * U[i, q] * U[k0, q]
        row.append(s * mp.exp((lnM[ids[i]] - lnM[start]) / 2))
    print(mp.nstr(t, 6), " ".join(mp.nstr(p, 20) for p in row))
