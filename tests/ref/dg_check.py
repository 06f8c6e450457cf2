#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""dg_check.py MIN TS TREE.csv [--A FILE] [--B FILE]: check the tree of
`hyperland network --disconnectivity-data` against an independent
superbasin analysis of the PATHSAMPLE database (a breadth-first search per
level over the transition states whose effective energy max(E_ts, E_a, E_b)
lies below the level), on the connected component of the global minimum or
of A's lowest minimum.  Checks every node's minima count, lowest minimum,
A/B counts and parent, the pruning flags, and that the drawn lines do not
cross.  Prints 'ok' or exits non-zero with the first difference."""
import sys
from collections import defaultdict, deque

def read_set(path):
    if not path:
        return None
    t = open(path).read().split()
    return [int(x) for x in t[1:1 + int(t[0])]]

args = sys.argv[1:]
opt = {}
while len(args) > 3:
    k, v = args[-2], args[-1]
    opt[k] = v
    args = args[:-2]
minf, tsf, tree = args
E = [float(l.split()[0]) for l in open(minf) if l.strip()]
n = len(E)
ts = []
for l in open(tsf):
    f = l.split()
    if not f:
        continue
    a, b = int(f[3]) - 1, int(f[4]) - 1
    if a != b:
        ts.append((float(f[0]), a, b))
A, B = read_set(opt.get('--A')), read_set(opt.get('--B'))
adj = defaultdict(list)
for e, a, b in ts:
    adj[a].append(b)
    adj[b].append(a)
root = min(((E[i - 1], i - 1) for i in A)) [1] if A else min(range(n), key=lambda i: (E[i], i))
comp, q = {root}, deque([root])
while q:
    u = q.popleft()
    for w in adj[u]:
        if w not in comp:
            comp.add(w)
            q.append(w)
inA = set(i - 1 for i in A) & comp if A else set()
inB = set(i - 1 for i in B) & comp if B else set()
nts = [(max(e, E[a], E[b]), a, b) for e, a, b in ts if a in comp]

rows, params = [], ''
for l in open(tree):
    if l.startswith('# disconnectivity'):
        params = l
    if l.startswith('#') or l.startswith('node,'):
        continue
    f = l.rstrip('\n').split(',')
    rows.append(dict(node=int(f[0]), level=int(f[1]), energy=float(f[2]), parent=int(f[3]),
                     n=int(f[4]), lowest=int(f[5]) - 1, n_a=int(f[7]), n_b=int(f[8]),
                     shown=int(f[9]), terminal=int(f[10]), x=float(f[11]) if f[11] else None))
levels = max(r['level'] for r in rows) + 1

def fail(msg):
    print('FAIL:', msg)
    sys.exit(1)

node_of = {}
for lev in range(levels):
    L = [r for r in rows if r['level'] == lev]
    Lk = L[0]['energy']
    present = [i for i in comp if E[i] < Lk]
    g = defaultdict(list)
    for e, a, b in nts:
        if e < Lk:
            g[a].append(b)
            g[b].append(a)
    seen, basins = set(), []
    for i in sorted(present, key=lambda i: (E[i], i)):
        if i in seen:
            continue
        members, q = [i], deque([i])
        seen.add(i)
        while q:
            u = q.popleft()
            for w in g[u]:
                if w not in seen:
                    seen.add(w)
                    members.append(w)
                    q.append(w)
        basins.append(members)
    if len(basins) != len(L):
        fail('level %d: %d superbasins, tree has %d' % (lev, len(basins), len(L)))
    by_lowest = {r['lowest']: r for r in L}
    for m in basins:
        low = m[0]  # first in (E, index) order
        r = by_lowest.get(low)
        if r is None:
            fail('level %d: no node with lowest minimum %d' % (lev, low + 1))
        if r['n'] != len(m) or r['n_a'] != len(inA & set(m)) or r['n_b'] != len(inB & set(m)):
            fail('level %d: node %d counts differ' % (lev, r['node']))
        for i in m:
            node_of[(lev, i)] = r['node']
        if lev > 0 and r['parent'] != node_of[(lev - 1, low)]:
            fail('level %d: node %d has the wrong parent' % (lev, r['node']))
# no crossings: each shown node's terminals form a contiguous block of slots
byid = {r['node']: r for r in rows}
term = [r for r in rows if r['terminal']]
slots = sorted(r['x'] for r in term)
if slots != [float(i) for i in range(len(term))]:
    fail('terminal slots are not 0 .. lines-1')
under = defaultdict(list)
for t in term:
    u = t
    while True:
        under[u['node']].append(t['x'])
        if u['parent'] < 0:
            break
        u = byid[u['parent']]
for v, xs in under.items():
    if max(xs) - min(xs) + 1 != len(xs):
        fail('node %d: its lines are not contiguous' % v)
print('ok', levels, len(rows), len(term))
