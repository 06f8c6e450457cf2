#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent reference of `hyperland network --regroup` (PATHSAMPLE's
REGROUPFREE as network.h defines it), written from the definitions with
mpmath, for the CLI test (tests/cli/netpaths_test.sh).

usage: network_regroup.py DBDIR T THRESHOLD [--no-sets]
prints JSON: {"groups": [[lowest_id, size, G, lnP, set], ...] by increasing G,
              "rates": {"lowid_from,lowid_to": [ln_rate, barrier], ...}}

Definitions: M_a = exp(-E_a/T - F_a/2 - ln o_a); a transition state s has the
weight exp(S_s - E_s/T), S_s = -F_s/2 - ln o_s - ln 2 pi; G_I = -T ln sum_I M;
k(I->J) = sum of TS weights between I and J / sum_I M; barrier = -T ln k.
Each pass merges every pair whose barriers in both directions are <= the
threshold, in increasing order of the larger barrier, never an A group with a
B group; passes repeat until none merges."""
import json, os, sys
import mpmath as mp

mp.mp.dps = 40
d, T, thr = sys.argv[1], mp.mpf(sys.argv[2]), mp.mpf(sys.argv[3])
nosets = "--no-sets" in sys.argv
mins = [l.split() for l in open(os.path.join(d, "min.data")) if l.strip()]
E = [mp.mpf(m[0]) for m in mins]
lnM = [-mp.mpf(m[0]) / T - mp.mpf(m[1]) / 2 - mp.log(mp.mpf(m[2])) for m in mins]
ts = []
for l in open(os.path.join(d, "ts.data")):
    t = l.split()
    if not t:
        continue
    a, b = int(t[3]) - 1, int(t[4]) - 1
    if a == b:
        continue
    w = -mp.mpf(t[0]) / T - mp.mpf(t[1]) / 2 - mp.log(mp.mpf(t[2])) - mp.log(2 * mp.pi)
    ts.append((a, b, w))
sets = {}
for k, name in ((1, "A"), (2, "B")):
    p = os.path.join(d, "min." + name)
    if os.path.exists(p) and not nosets:
        for i in open(p).read().split()[1:]:
            sets[int(i) - 1] = sets.get(int(i) - 1, 0) | k
# the component of the lowest A minimum (or the global minimum)
adj = {}
for a, b, w in ts:
    adj.setdefault(a, set()).add(b)
    adj.setdefault(b, set()).add(a)
A = [i for i, s in sets.items() if s & 1]
root = min(A, key=lambda i: (E[i], i)) if A else min(range(len(E)), key=lambda i: (E[i], i))
comp, stack = {root}, [root]
while stack:
    x = stack.pop()
    for y in adj.get(x, ()):
        if y not in comp:
            comp.add(y)
            stack.append(y)
par = {i: i for i in comp}
def find(x):
    while par[x] != x:
        x = par[x]
    return x
gset = {i: sets.get(i, 0) for i in comp}
def lse(v):
    m = max(v)
    return m + mp.log(sum(mp.exp(x - m) for x in v))
def state():
    lnZ = {}
    for i in comp:
        lnZ.setdefault(find(i), []).append(lnM[i])
    lnZ = {g: lse(v) for g, v in lnZ.items()}
    fl = {}
    for a, b, w in ts:
        if a in comp:
            ga, gb = find(a), find(b)
            if ga != gb:
                fl.setdefault((min(ga, gb), max(ga, gb)), []).append(w)
    return lnZ, {k: lse(v) for k, v in fl.items()}
while True:
    lnZ, fl = state()
    cand = []
    for (i, j), w in fl.items():
        bij, bji = -T * (w - lnZ[i]), -T * (w - lnZ[j])
        if bij <= thr and bji <= thr:
            cand.append((max(bij, bji), i, j))
    cand.sort()
    merged = False
    for _, i, j in cand:
        ri, rj = find(i), find(j)
        if ri == rj or (gset[ri] | gset[rj]) == 3:
            continue
        lo, hi = min(ri, rj), max(ri, rj)
        par[hi] = lo
        gset[lo] |= gset[hi]
        merged = True
    if not merged:
        break
lnZ, fl = state()
lnZtot = lse(list(lnZ.values()))
members = {}
for i in comp:
    members.setdefault(find(i), []).append(i)
low = {g: min(v, key=lambda i: (E[i], i)) for g, v in members.items()}
groups = sorted(lnZ, key=lambda g: (-T * lnZ[g], low[g] + 1))
out = {"groups": [[low[g] + 1, len(members[g]), float(-T * lnZ[g]), float(lnZ[g] - lnZtot),
                   {0: None, 1: "A", 2: "B"}[gset[g]]] for g in groups], "rates": {}}
for (i, j), w in fl.items():
    for x, y in ((i, j), (j, i)):
        out["rates"]["%d,%d" % (low[x] + 1, low[y] + 1)] = [float(w - lnZ[x]), float(-T * (w - lnZ[x]))]
print(json.dumps(out))
