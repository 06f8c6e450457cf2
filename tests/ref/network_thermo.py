#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent reference for the thermodynamics of hyperland's networks
(tests/test_network.c, hl_network_thermodynamics).

Reads a PATHSAMPLE database (min.data, ts.data, min.A/min.B when present)
with plain Python, finds the network (the connected component, along
transition states with a != b, of the lowest-energy minimum of A, or of the
global minimum without A) by breadth-first search, and sums in mpmath at 60
digits, without any shift or log-sum-exp:

  Z = sum_a exp(-E_a/T - F_a/2 - ln o_a),   p_a = that / Z,
  <E> = sum p E,  C_conf = (sum p E^2 - <E>^2) / T^2 (in 60 digits the
  cancellation costs nothing), P_A, P_B = sums of p over the sets in the
  network.

usage: python3 network_thermo.py DIR NAME T1 [T2 ...]
prints one C initialiser per temperature:
  {"NAME", T, ln_Z, mean_E, C_conf, ln_P_A, ln_P_B, n_network},
(ln_P = 0 / NAN when a set is not given).
"""
import sys
import os
from collections import deque
import mpmath as mp

mp.mp.dps = 60


def read_set(path):
    if not os.path.exists(path):
        return None
    tok = open(path).read().split()
    n = int(tok[0])
    return [int(t) for t in tok[1:1 + n]]


def main():
    d, name = sys.argv[1], sys.argv[2]
    temps = sys.argv[3:]
    mins = [l.split() for l in open(os.path.join(d, 'min.data')) if l.strip()]
    # the inputs rounded to doubles as the library reads them (E to 1e-16
    # relative moves p by ~1e-12 at T = 0.01): the reference then measures
    # the summation, not the file's extra digits
    E = [mp.mpf(float(m[0])) for m in mins]
    F = [mp.mpf(float(m[1])) for m in mins]
    o = [mp.mpf(m[2]) for m in mins]
    n = len(mins)
    nb = [[] for _ in range(n)]
    for l in open(os.path.join(d, 'ts.data')):
        t = l.split()
        if not t:
            continue
        a, b = int(t[3]) - 1, int(t[4]) - 1
        if a != b:
            nb[a].append(b)
            nb[b].append(a)
    A = read_set(os.path.join(d, 'min.A'))
    B = read_set(os.path.join(d, 'min.B'))
    cand = [i - 1 for i in A] if A else list(range(n))
    root = min(cand, key=lambda i: (E[i], i))
    seen = {root}
    q = deque([root])
    while q:
        x = q.popleft()
        for y in nb[x]:
            if y not in seen:
                seen.add(y)
                q.append(y)
    net = sorted(seen)
    for ts in temps:
        T = mp.mpf(ts)
        w = {a: mp.exp(-E[a] / T - F[a] / 2 - mp.log(o[a])) for a in net}
        Z = mp.fsum(w.values())
        p = {a: w[a] / Z for a in net}
        m1 = mp.fsum(p[a] * E[a] for a in net)
        m2 = mp.fsum(p[a] * E[a] ** 2 for a in net)
        C = (m2 - m1 ** 2) / T ** 2

        def lnpop(S):
            if S is None:
                return 'NAN'
            s = mp.fsum(p[i - 1] for i in S if (i - 1) in seen)
            return mp.nstr(mp.log(s), 20)
        print('{"%s", %s, %s, %s, %s, %s, %s, %d},' % (
            name, ts, mp.nstr(mp.log(Z), 20), mp.nstr(m1, 20), mp.nstr(C, 20),
            lnpop(A), lnpop(B), len(net)))


main()
