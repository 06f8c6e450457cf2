#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the in-basin core of 'compare' (branch core2): the master
# equation's in-basin rates are those of the class lattice restricted to
# the concave core of the branch's basin, less the cells whose steepest
# ascent within the core ends at a maximum made by the core's reflecting
# walls (a cell with a higher axis neighbour outside the core: a trap).
# The reference is an independent NumPy/SciPy rebuild of that chain (ln Q,
# basins by steepest ascent, concavity of f, the cut, a dense symmetric
# eigen-solve), which also checks that the cut core holds no maximum but the
# lattice's own.
#   face   a maximum at a corner of the cube (--block-sizes 10,20): the core
#          followed the faces and held traps (slowest "in-basin" rate 0.016
#          at D = 30, 3e-4 at D = 60); now master = reference, and the
#          master-vs-OU difference falls with D
#   three  K = 3, interior maximum: the core is the whole lattice and holds
#          five maxima of the lattice itself (axis steps zig-zag along the
#          Gaussian's soft ridge, 0.3-0.6 below the top): nothing is cut;
#          cutting to the top's own ascent (345 of 729 classes) would move
#          the rates by 15-95 %
#   xy     the 2-D compare with the same phi in x, y: one wall-made trap at
#          D = 30 (third rate 4.22 before)
# usage: core2_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}
"$PY" -c 'import numpy, scipy' 2>/dev/null || PY=/usr/bin/python3

# ref.py JSON SIZES_PER_D PHI BETA MODE: the reference for every row of a
# compare --json run.  SIZES_PER_D: block sizes at D = their sum (scaled to
# each row's D); PHI a Python expression in m (m[0] .. m[K-1]); MODE: blocks
# or xy (the 2-D model: two blocks of D/2, m1 = x + y, m2 = x - y).
cat >ref.py <<'PYEOF'
import json, sys, math
import numpy as np, scipy.linalg as sl
from itertools import product

js, sizes1, phi_src, beta, mode = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
extra = sys.argv[6] if len(sys.argv) > 6 else ''
phi = eval('lambda m: ' + phi_src)
sizes1 = [int(s) for s in sizes1.split(',')]
K = len(sizes1)

def hess_phi(m, h=1e-4):
    m = np.asarray(m, float)
    H = np.zeros((K, K))
    for a in range(K):
        for b in range(K):
            ea, eb = np.eye(K)[a] * h, np.eye(K)[b] * h
            H[a, b] = (phi(m + ea + eb) - phi(m + ea - eb) - phi(m - ea + eb) + phi(m - ea - eb)) / (4 * h * h)
    return H

def concave(m, c):
    # -Hess f = diag(c_a / (1 - m_a^2)) + beta Hess phi positive definite
    # (a block at a face, 1 - m^2 = 0, has infinite curvature: left out)
    A = beta * hess_phi(m)
    ok = [a for a in range(K) if 1 - m[a] ** 2 > 0]
    for a in ok:
        A[a, a] += c[a] / (1 - m[a] ** 2)
    if not ok:
        return True
    try:
        np.linalg.cholesky(A[np.ix_(ok, ok)])
        return True
    except np.linalg.LinAlgError:
        return False

def nbrs(i, shape):
    for a in range(len(shape)):
        for s in (-1, 1):
            j = list(i); j[a] += s
            if 0 <= j[a] < shape[a]:
                yield tuple(j)

def climb(cells, u, shape):
    """end of the steepest ascent (strictly higher axis neighbour, highest)
    within cells"""
    up = {}
    for i in cells:
        best = i
        for j in nbrs(i, shape):
            if j in cells and u[j] > u[best]:
                best = j
        up[i] = best
    end = {}
    for i in cells:
        r = i
        while up[r] != r:
            r = up[r]
        end[i] = r
    return end

def component(cells, seed, shape):
    comp, st = {seed}, [seed]
    while st:
        i = st.pop()
        for j in nbrs(i, shape):
            if j in cells and j not in comp:
                comp.add(j); st.append(j)
    return comp

def reference(D, maxima, chosen):
    sizes = [s * D // sum(sizes1) for s in sizes1]
    c = [s / D for s in sizes]
    shape = tuple(s + 1 for s in sizes)
    cells = list(product(*[range(n) for n in shape]))
    pos = {i: np.array([2 * i[a] / sizes[a] - 1 for a in range(K)]) for i in cells}
    u = {i: sum(math.lgamma(sizes[a] + 1) - math.lgamma(i[a] + 1) - math.lgamma(sizes[a] - i[a] + 1)
                for a in range(K)) - beta * D * phi(pos[i]) for i in cells}
    allc = set(cells)
    end = climb(allc, u, shape)
    near = {}
    for e in set(end.values()):
        near[e] = min(range(len(maxima)), key=lambda q: np.sum((pos[e] - maxima[q]) ** 2))
    basin = {i for i in cells if near[end[i]] == chosen}
    seed = max(basin, key=lambda i: u[i])
    core = component({i for i in basin if concave(pos[i], c)}, seed, shape)
    # the cut: cells climbing (within the core) to a maximum that has a
    # higher neighbour outside the core
    ce = climb(core, u, shape)
    wall = {e for e in set(ce.values()) if any(u[j] > u[e] for j in nbrs(e, shape))}
    cut = component({i for i in core if ce[i] not in wall}, seed, shape) if wall else core
    return sizes, u, pos, core, cut, wall, seed, shape

def rates(sizes, u, pos, cells, shape, n):
    D = sum(sizes)
    idx = {i: q for q, i in enumerate(sorted(cells))}
    A = np.zeros((len(idx), len(idx)))
    for i in idx:
        for a in range(K):
            j = list(i); j[a] += 1; j = tuple(j)
            if j not in idx:
                continue
            dphi = D * (phi(pos[j]) - phi(pos[i]))
            kf = (sizes[a] - i[a]) * math.exp(-beta * dphi / 2)   # i -> j
            kb = (i[a] + 1) * math.exp(beta * dphi / 2)           # j -> i
            A[idx[i], idx[i]] += kf; A[idx[j], idx[j]] += kb
            A[idx[i], idx[j]] = A[idx[j], idx[i]] = -math.sqrt(kf * kb)
    ev = np.sort(sl.eigvalsh(A))
    assert abs(ev[0]) < 1e-9 * ev[1], ev[:2]
    return ev[1:n + 1]

d = json.load(open(js))
rows = d['rows']
if mode == 'xy':
    ms = {r['branch']: np.array([r['x'] + r['y'], r['x'] - r['y']]) for r in rows}
else:
    ms = {r['branch']: np.array(r['m']) for r in rows}
names = sorted(ms)
out = []
for r in rows:
    D = r['D']
    sizes, u, pos, core, cut, wall, seed, shape = reference(D, [ms[b] for b in names], names.index(r['branch']))
    want = rates(sizes, u, pos, cut, shape, len(r['master_rates']))
    got = np.array(r['master_rates'])
    assert np.all(np.abs(got - want) <= 1e-8 * want), (D, r['branch'], got, want)
    # the cut core's maxima are the lattice's own (no higher neighbour anywhere)
    tops = set(climb(cut, u, shape).values())
    assert all(all(u[j] <= u[e] for j in nbrs(e, shape)) for e in tops), (D, r['branch'], tops)
    line = dict(D=D, branch=r['branch'], core=len(core), cut=len(cut), traps=len(wall), tops=len(tops),
                ou=r['rel_diff']['ou'], master=list(got))
    if extra == 'own':
        # the cut of the previous attempt: only the top's own ascent
        own = {i for i, e in climb(core, u, shape).items() if e == seed}
        line['own'] = len(own)
        line['own_rates'] = list(rates(sizes, u, pos, own, shape, len(got)))
    out.append(line)
    print(json.dumps(line))
json.dump(out, open('ref.json', 'w'))
PYEOF

case "$T" in
face)
    P='m1*m2-0.5*m2^2+0.2*m1'
    "$H" compare --block-sizes 10,20 --phi "$P" --beta 0.8 --dims 30,60,120,240 --grid 16 \
        --rates 3 --json >f.json || fail "compare"
    # the reference at D = 30, 60 (the lattices of 341 and 1281 classes)
    "$PY" - f.json <<'PYEOF' || fail "subset"
import json, sys
d = json.load(open(sys.argv[1]))
d['rows'] = [r for r in d['rows'] if r['D'] <= 60]
json.dump(d, open('f60.json', 'w'))
PYEOF
    "$PY" ref.py f60.json 1,2 'm[0]*m[1]-0.5*m[1]**2+0.2*m[0]' 0.8 blocks >ref.txt ||
        fail "reference: $(tail -3 ref.txt)"
    "$PY" - f.json ref.json <<'PYEOF' || fail "face"
import json, sys
d, ref = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
# the old core held traps at every D; the cut removed them
assert all(x['traps'] >= 2 and x['cut'] < x['core'] and x['tops'] == 1 for x in ref), ref
ou = {}
for r in d['rows']:
    ou.setdefault(r['branch'], []).append(r['rel_diff']['ou'])
    # no trap mode: the slowest in-basin rate is the OU rate's order
    assert 0.75 < r['master_rates'][0] / r['ou_rates'][0] < 1.05, r
# liquid: 0.220 0.138 0.065 0.031; crystal from D = 60: 0.089 0.052 0.021
li, cr = ou['liquid'], ou['crystal']
assert all(a > b for a, b in zip(li, li[1:])) and li[-1] < 0.04, li
assert all(a > b for a, b in zip(cr[1:], cr[2:])) and cr[-1] < 0.03, cr
PYEOF
    ;;
three)
    P='0.5*(m1*m2+m2*m3+m1*m3)+0.3*(m1^2+m2^2+m3^2)+0.05*m1'
    "$H" compare --blocks 3 --beta 1 --phi "$P" --dims 24 --grid 16 --window 6 --rates 3 \
        --json >k.json || fail "compare"
    "$PY" ref.py k.json 1,1,1 \
        '0.5*(m[0]*m[1]+m[1]*m[2]+m[0]*m[2])+0.3*(m[0]**2+m[1]**2+m[2]**2)+0.05*m[0]' 1 blocks own \
        >ref.txt || fail "reference: $(tail -3 ref.txt)"
    "$PY" - ref.json <<'PYEOF' || fail "three"
import json, sys
x, = json.load(open(sys.argv[1]))
# the whole lattice, five maxima of the lattice's own, nothing cut
assert x['core'] == x['cut'] == 729 and x['traps'] == 0 and x['tops'] == 5, x
# the top's own ascent alone would be a different chain
assert x['own'] == 345, x
# (2.99, 4.45, 5.15 against 2.28, 2.29, 4.48)
assert all(abs(a - b) > 0.1 * b for a, b in zip(x['own_rates'], x['master'])), x
PYEOF
    ;;
xy)
    "$H" compare --phi 'x*y-0.5*y^2+0.2*x' --beta 0.8 --dims 30 --grid 16 --rates 3 --json \
        >x.json || fail "compare"
    "$PY" ref.py x.json 1,1 \
        '(lambda x, y: x*y-0.5*y**2+0.2*x)((m[0]+m[1])/2, (m[0]-m[1])/2)' 0.8 xy \
        >ref.txt || fail "reference: $(tail -3 ref.txt)"
    "$PY" - ref.json <<'PYEOF' || fail "xy"
import json, sys
x, = json.load(open(sys.argv[1]))
assert x['core'] == 70 and x['cut'] == 67 and x['traps'] == 1 and x['tops'] == 1, x
assert abs(x['master'][2] - 5.0105843) < 1e-6, x
PYEOF
    ;;
*)
    fail "unknown test"
    ;;
esac
exit 0
