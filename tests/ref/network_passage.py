#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent reference for the passage quantities of hyperland's networks
(tests/test_network.c: hl_chain_rate_constants, hl_chain_committor and
hl_chain_spectrum on the chain of hl_network_build).

Reads a PATHSAMPLE database with plain Python, finds the network (the
connected component of the lowest-energy minimum of A) by breadth-first
search, and builds in mpmath, at enough digits for the temperature, the
rates of the ktn README

  k(a -> b) = sum_s o_a / (2 pi o_s) exp((F_a - F_s)/2 - (E_s - E_a)/T),
  pi_a = exp(-E_a/T - F_a/2 - ln o_a),

without logs or shifts.  Then, by a sparse Gaussian elimination with
subtractions (plain LU in a greedy minimum-degree order, not the graph
transformation's sums of positive numbers) of the first-step equations

  sum_b k(a -> b) (x_a - x_b) = rhs_a   on the free minima,

  tau_a (target absorbing, rhs = 1): the MFPT from every minimum;
  q_a (A and B absorbing, q = 1 on B): the committor;
  mfpt = sum_s rho_s tau_s, k_NSS = sum_s rho_s / tau_s, k_F = 1/mfpt,
  k_SS = sum_{s in source, j not} pi_s k(s -> j) q^target_j / P_source,

and (small networks only, --rates) the slowest eigenvalues of the
symmetrised generator by mpmath's eigsy.  The digits: mp.dps = 40 + the
decimal range of the rates and weights, so that the LU's cancellations
(condition numbers up to that range) leave 30 digits.

usage: python3 network_passage.py DIR NAME T1 [T2 ...] [--rates K]
prints one C initialiser per temperature:
  {"NAME", T, ln_mfpt_BA, ln_knss_BA, ln_kss_BA, ln_mfpt_AB, ln_knss_AB,
   ln_kss_AB, id, ln_q(id), ln_1mq(id), n_rates, {ln rate_1 .. ln rate_K}},
(B -> A is PATHSAMPLE's A<-B; id: the free minimum whose q is nearest 1/2,
the committor's hardest digits; rate 0 is not listed).
"""
import math
import os
import sys
from collections import deque

import mpmath as mp


def read_set(path):
    tok = open(path).read().split()
    n = int(tok[0])
    return [int(t) for t in tok[1:1 + n]]


def load(d):
    mins = [l.split() for l in open(os.path.join(d, 'min.data')) if l.strip()]
    E = [float(m[0]) for m in mins]
    F = [float(m[1]) for m in mins]
    o = [float(m[2]) for m in mins]
    ts = []
    for l in open(os.path.join(d, 'ts.data')):
        t = l.split()
        if not t:
            continue
        a, b = int(t[3]) - 1, int(t[4]) - 1
        if a != b:
            ts.append((float(t[0]), float(t[1]), float(t[2]), a, b))
    A = [i - 1 for i in read_set(os.path.join(d, 'min.A'))]
    B = [i - 1 for i in read_set(os.path.join(d, 'min.B'))]
    n = len(mins)
    nb = [[] for _ in range(n)]
    for (_, _, _, a, b) in ts:
        nb[a].append(b)
        nb[b].append(a)
    root = min(A, key=lambda i: (E[i], i))
    comp = {root}
    q = deque([root])
    while q:
        a = q.popleft()
        for b in nb[a]:
            if b not in comp:
                comp.add(b)
                q.append(b)
    net = sorted(comp)
    return E, F, o, ts, [a for a in A if a in comp], [b for b in B if b in comp], net


def solve(K, out, free, rhs):
    """sum_b K[a][b] (x_a - x_b) = rhs_a on free states, x = given on the
    others (a dict of fixed values): sparse LU in greedy minimum-degree
    order, in the current mp precision."""
    fixed, fval = rhs['fixed'], rhs['value']
    rows = {}
    b = {}
    for a in free:
        r = {a: out[a]}
        s = rhs['rhs'](a)
        for g, k in K[a].items():
            if g in fixed:
                s += k * fval[g]
            else:
                r[g] = r.get(g, 0) - k
        rows[a] = r
        b[a] = s
    order = []
    alive = set(free)
    # elimination (the matrix is symmetric in structure)
    while alive:
        p = min(alive, key=lambda a: (len(rows[a]), a))
        alive.discard(p)
        order.append(p)
        rp = rows[p]
        piv = rp[p]
        for i in [i for i in rp if i != p and i in alive]:
            ri = rows[i]
            f = ri[p] / piv
            del ri[p]
            for j, v in rp.items():
                if j == p or j not in alive:
                    continue
                ri[j] = ri.get(j, 0) - f * v
            b[i] -= f * b[p]
    x = {}
    for p in reversed(order):
        rp = rows[p]
        s = b[p]
        for j, v in rp.items():
            if j != p and j in x:
                s -= v * x[j]
        x[p] = s / rp[p]
    return x


def main():
    args = sys.argv[1:]
    nrates = 0
    if '--rates' in args:
        i = args.index('--rates')
        nrates = int(args[i + 1])
        del args[i:i + 2]
    d, name = args[0], args[1]
    E, F, o, ts, A, B, net = load(d)
    inet = set(net)
    for Ts in args[2:]:
        T = float(Ts)
        # the range of ln of rates and weights decides the digits
        lo = [-E[a] / T - F[a] / 2 for a in net]
        lk = [(F[a] - Fs) / 2 - (Es - E[a]) / T for (Es, Fs, _, a, b) in ts if a in inet
              for a in (a, b)]
        span = (max(lo) - min(lo) + max(lk) - min(lk)) / math.log(10)
        mp.mp.dps = int(40 + span)
        Tm = mp.mpf(T)
        pi = {a: mp.exp(-mp.mpf(E[a]) / Tm - mp.mpf(F[a]) / 2) / mp.mpf(o[a]) for a in net}
        K = {a: {} for a in net}
        for (Es, Fs, os_, a, b) in ts:
            if a not in inet:
                continue
            for (x, y) in ((a, b), (b, a)):
                k = (mp.mpf(o[x]) / (2 * mp.pi * mp.mpf(os_)) *
                     mp.exp((mp.mpf(F[x]) - mp.mpf(Fs)) / 2 - (mp.mpf(Es) - mp.mpf(E[x])) / Tm))
                K[x][y] = K[x].get(y, 0) + k
        out = {a: sum(K[a].values()) for a in net}
        sA, sB = set(A), set(B)
        # committor towards B (A and B absorbing)
        free = [a for a in net if a not in sA and a not in sB]
        fv = {a: mp.mpf(0) for a in A}
        fv.update({b: mp.mpf(1) for b in B})
        q = solve(K, out, free, {'fixed': sA | sB, 'value': fv, 'rhs': lambda a: mp.mpf(0)})
        q.update(fv)
        # towards A, computed directly (1 - q loses the digits near 1)
        fv2 = {a: mp.mpf(1) for a in A}
        fv2.update({b: mp.mpf(0) for b in B})
        qa = solve(K, out, free, {'fixed': sA | sB, 'value': fv2, 'rhs': lambda a: mp.mpf(0)})
        qa.update(fv2)
        res = []
        for src, tgt, qt in ((sB, sA, qa), (sA, sB, q)):
            free = [a for a in net if a not in tgt]
            tau = solve(K, out, free, {'fixed': tgt, 'value': {a: mp.mpf(0) for a in tgt},
                                       'rhs': lambda a: mp.mpf(1)})
            P = sum(pi[s] for s in src)
            mfpt = sum(pi[s] * tau[s] for s in src) / P
            knss = sum(pi[s] / tau[s] for s in src) / P
            J = sum(pi[s] * k * qt[j] for s in src for j, k in K[s].items() if j not in src)
            res += [mp.log(mfpt), mp.log(knss), mp.log(J / P)]
        # the free minimum whose committor is nearest 1/2
        cand = [a for a in net if a not in sA and a not in sB]
        m = min(cand, key=lambda a: (abs(q[a] - mp.mpf(0.5)), a))
        rates = []
        if nrates:
            idx = {a: i for i, a in enumerate(net)}
            n = len(net)
            S = mp.zeros(n, n)
            for a in net:
                S[idx[a], idx[a]] = out[a]
                for g, k in K[a].items():
                    S[idx[a], idx[g]] = -k * mp.sqrt(pi[a] / pi[g])
            for i in range(n):  # exactly symmetric
                for j in range(i):
                    S[i, j] = S[j, i] = (S[i, j] + S[j, i]) / 2
            ev = sorted(mp.eigsy(S, eigvals_only=True))
            rates = [mp.log(v) for v in ev[1:nrates]]
        f = lambda v: mp.nstr(v, 20, min_fixed=-1, max_fixed=1)
        print('    {"%s", %s, %s, %d, %s, %s, %d, {%s}},' % (
            name, Ts, ', '.join(f(v) for v in res), m + 1, f(mp.log(q[m])),
            f(mp.log(qa[m])), len(rates), ', '.join(f(v) for v in rates) or '0'))
        sys.stdout.flush()


if __name__ == '__main__':
    main()
