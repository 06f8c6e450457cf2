#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent check of `hyperland lattice-network --blocks` (tests/cli/lnblocks_test.sh).

usage: blocks_lattice_network.py SIZES PHI B BETA STATES TRANSITIONS [--sets A B]
                                 [--distribution FILE] [--network-json FILE]
                                 [--mfpt-json FILE]

SIZES "4,6,8"; PHI and B formulas in m1..mK (x, y for two equal blocks) and T
in hyperland's syntax ('^' is the power), evaluated here by Python; BETA the
temperature 1/T at which B is taken.  The class lattice of the model of k
blocks is built from the formulas alone (W by math.comb, the class index in
mixed radix with block K fastest, the moves n_i -> n_i + 1, B at the midpoint
of the two classes, eq 5.2's rates (D_i - n_i) B exp(-beta D dphi / 2)) and
compared with the written files:
  - every state's id, energy D phi(m) and entropy ln W;
  - the transitions: the same set of moves, energy (E_a + E_b)/2 and entropy
    ln W(a) + ln(D_i - n_i) + ln B(m_mid, T);
  - the forward and backward rates the network form gives at T = 1/beta
    (ln k = (S_ts - E_ts/T) - (S_a - E_a/T)) against eq 5.2;
  - --distribution (exact --blocks --distribution): its class column is the
    same mixed-radix index of its n1..nK columns;
  - --sets: the start class is the ascent end of highest phi (liquid) and the
    target the classes whose steepest ascent of ln Q = ln W - beta D phi
    (2K moves, ties to the first of n1+1, n1-1, n2+1, ...) ends at the end of
    lowest phi (crystal); the model must have no saddle pockets;
  - --network-json / --mfpt-json: the slowest rates of the generator (dense
    numpy eigenvalues of the symmetrised matrix) and the MFPT from the start
    class to the target (a linear solve) against `network --json`'s rates and
    passage A -> B, and `mfpt --blocks --json`'s ln_mfpt, to 1e-9 relative.
Exit 1 with a message on the first difference.
"""
import itertools
import json
import math
import sys

import numpy as np


def formula(text, names):
    code = compile(text.replace("^", "**"), "<formula>", "eval")
    env = {f: getattr(math, f) for f in ("exp", "log", "sqrt", "sin", "cos", "tanh", "atanh")}

    def f(**kw):
        return float(eval(code, dict(env), kw))  # noqa: S307 (test formulas)
    return f


def die(msg):
    print("blocks_lattice_network.py: " + msg)
    sys.exit(1)


def read_csv(path):
    rows = []
    with open(path) as fp:
        for line in fp:
            if line.startswith("#") or not line.strip():
                continue
            if line[0].isalpha():
                header = line.strip().split(",")
                continue
            rows.append(line.strip().split(","))
    return header, rows


def main(argv):
    sizes = [int(v) for v in argv[0].split(",")]
    phi_f, b_f = formula(argv[1], None), formula(argv[2], None)
    beta = float(argv[3])
    T = 1.0 / beta
    states, transitions = argv[4], argv[5]
    opts = dict(zip(argv[6::2], argv[7::2]))
    k, D = len(sizes), sum(sizes)
    pair = k == 2 and sizes[0] == sizes[1]
    stride = [1] * k
    for i in range(k - 2, -1, -1):
        stride[i] = stride[i + 1] * (sizes[i + 1] + 1)
    classes = list(itertools.product(*[range(s + 1) for s in sizes]))
    N = len(classes)

    def index(n):
        return sum(a * s for a, s in zip(n, stride))

    def mvec(n):
        return [2.0 * a / s - 1.0 for a, s in zip(n, sizes)]

    def vars_of(m):
        v = {"m%d" % (i + 1): m[i] for i in range(k)}
        if pair:
            v["x"], v["y"] = 0.5 * (m[0] + m[1]), 0.5 * (m[0] - m[1])
        return v

    E = {}
    lnW = {}
    for n in classes:
        E[index(n)] = D * phi_f(**vars_of(mvec(n)))
        lnW[index(n)] = sum(math.log(math.comb(s, a)) for s, a in zip(sizes, n))

    # states
    _, rows = read_csv(states)
    if len(rows) != N:
        die("%d states, expected %d" % (len(rows), N))
    seen = set()
    for r in rows:
        i, e, s = int(r[0]), float(r[1]), float(r[2])
        if i in seen or i not in E:
            die("state id %d repeated or outside 0..%d" % (i, N - 1))
        seen.add(i)
        if abs(e - E[i]) > 1e-12 * max(1.0, abs(E[i])):
            die("state %d: energy %r, expected D phi = %r" % (i, e, E[i]))
        if abs(s - lnW[i]) > 1e-12 * max(1.0, abs(lnW[i])):
            die("state %d: entropy %r, expected ln W = %r" % (i, s, lnW[i]))

    # transitions and the rates they give
    expect = {}
    for n in classes:
        for i in range(k):
            if n[i] == sizes[i]:
                continue
            n2 = list(n)
            n2[i] += 1
            mm = mvec(n)
            mm[i] = (2.0 * n[i] + 1.0) / sizes[i] - 1.0
            B = b_f(T=T, **vars_of(mm))
            a, g = index(n), index(n2)
            expect[(a, g)] = (0.5 * (E[a] + E[g]),
                              lnW[a] + math.log(sizes[i] - n[i]) + math.log(B),
                              math.log((sizes[i] - n[i]) * B) - beta * (E[g] - E[a]) / 2,
                              math.log((n[i] + 1) * B) - beta * (E[a] - E[g]) / 2)
    _, rows = read_csv(transitions)
    if len(rows) != len(expect):
        die("%d transitions, expected %d" % (len(rows), len(expect)))
    got = set()
    for r in rows:
        a, g, e, s = int(r[0]), int(r[1]), float(r[2]), float(r[3])
        if (a, g) not in expect or (a, g) in got:
            die("transition %d -> %d is not a move n_i -> n_i + 1 (or repeated)" % (a, g))
        got.add((a, g))
        ee, se, lkf, lkb = expect[(a, g)]
        if abs(e - ee) > 1e-12 * max(1.0, abs(ee)):
            die("transition %d-%d: energy %r, expected %r" % (a, g, e, ee))
        if abs(s - se) > 1e-12 * max(1.0, abs(se)):
            die("transition %d-%d: entropy %r, expected %r" % (a, g, s, se))
        # the network form (network.h) from the file's numbers (states checked above)
        lf = (s - e / T) - (lnW[a] - E[a] / T)
        lb = (s - e / T) - (lnW[g] - E[g] / T)
        if abs(lf - lkf) > 1e-9 * max(1.0, abs(lkf)) or abs(lb - lkb) > 1e-9 * max(1.0, abs(lkb)):
            die("transition %d-%d: ln k = %r, %r; eq 5.2 gives %r, %r" % (a, g, lf, lb, lkf, lkb))

    if "--distribution" in opts:
        header, rows = read_csv(opts["--distribution"])
        ci = header.index("class")
        ni = [header.index("n%d" % (i + 1)) for i in range(k)]
        for r in rows:
            n = [int(r[c]) for c in ni]
            if int(r[ci]) != index(n):
                die("distribution: class %s has n = %s, index %d" % (r[ci], n, index(n)))

    # the generator from the formulas: K[a][g] for every move and its reverse
    rate = np.zeros((N, N))
    for (a, g), (_, _, lkf, lkb) in expect.items():
        rate[a, g] = math.exp(lkf)
        rate[g, a] = math.exp(lkb)
    lnq = np.array([lnW[i] - beta * E[i] for i in range(N)])

    if "--A" in opts:
        def read_set(p):
            v = [int(t) for t in open(p).read().split()]
            if v[0] != len(v) - 1:
                die("%s: count %d, %d ids" % (p, v[0], len(v) - 1))
            return v[1:]
        A, Bset = read_set(opts["--A"]), read_set(opts["--B"])
        # steepest ascent over the 2K moves
        def step(i):
            n = classes_by_index[i]
            best, bi = lnq[i], i
            for q in range(k):
                for d in (1, -1):
                    n2 = list(n)
                    n2[q] += d
                    if 0 <= n2[q] <= sizes[q]:
                        j = index(n2)
                        if lnq[j] > best:
                            best, bi = lnq[j], j
            return bi
        classes_by_index = {index(n): n for n in classes}
        end = {}
        for i in range(N):
            j = i
            while True:
                j2 = step(j)
                if j2 == j:
                    break
                j = j2
            end[i] = j
        # an end with a larger ln Q at a diagonal neighbour (2 .. k coordinates
        # moved by one) is a pocket at a saddle of f: it takes no alias
        def pocket(j):
            n = classes_by_index[j]
            for d in itertools.product((-1, 0, 1), repeat=k):
                if sum(1 for v in d if v) < 2:
                    continue
                n2 = [a + v for a, v in zip(n, d)]
                if all(0 <= a <= s for a, s in zip(n2, sizes)) and lnq[index(n2)] > lnq[j]:
                    return True
            return False
        ends = sorted((j for j in set(end.values()) if not pocket(j)), key=lambda j: E[j])
        if len(ends) < 2:
            die("fewer than two basins that are not pockets at beta = %g" % beta)
        crystal, liquid = ends[0], ends[-1]
        if "--pockets" in opts and int(opts["--pockets"]) != len(set(end.values())) - len(ends):
            die("%d pockets, expected %s" % (len(set(end.values())) - len(ends), opts["--pockets"]))
        target = sorted(i for i in range(N) if end[i] == crystal)
        if A != [liquid]:
            die("start set %s, expected the liquid end [%d]" % (A, liquid))
        if sorted(Bset) != target:
            die("target set of %d classes, expected %d" % (len(Bset), len(target)))
        # MFPT from the start to the target: sum_g K(a,g) (t_g - t_a) = -1 off the target
        free = [i for i in range(N) if i not in set(target)]
        pos = {i: q for q, i in enumerate(free)}
        M = np.zeros((len(free), len(free)))
        for i in free:
            out = rate[i].sum()
            M[pos[i], pos[i]] = -out
            for j in np.nonzero(rate[i])[0]:
                if j in pos:
                    M[pos[i], pos[j]] += rate[i, j]
        t = np.linalg.solve(M, -np.ones(len(free)))
        ln_mfpt = math.log(t[pos[liquid]])
        for key in ("--network-json", "--mfpt-json"):
            if key not in opts:
                continue
            d = json.load(open(opts[key]))
            if key == "--mfpt-json":
                lm = d["ln_mfpt"]
            else:
                lm = [p["ln_mfpt"] for p in d["passage"] if p["from"] == "A" and p["to"] == "B"][0]
            if abs(lm - ln_mfpt) > 1e-9 * abs(ln_mfpt):
                die("%s: ln MFPT %r, the linear solve gives %r" % (key, lm, ln_mfpt))

    if "--network-json" in opts:
        # slowest rates: the symmetrised generator sqrt(p_a/p_g) K(a, g)
        p = np.exp(lnq - lnq.max())
        S = np.sqrt(p)[:, None] * rate / np.sqrt(p)[None, :]
        S = 0.5 * (S + S.T)
        L = S - np.diag(rate.sum(axis=1))
        ev = np.sort(-np.linalg.eigvalsh(L))
        d = json.load(open(opts["--network-json"]))
        # a dense symmetric eigensolver is backward stable: its eigenvalues
        # carry an absolute error of a small multiple of eps * ||L||, which
        # dominates for slow rates far below the fastest
        dense_err = 64 * np.finfo(float).eps * np.abs(ev).max()
        for q, r in enumerate(d["rates"][1:], start=1):
            if r is None:
                die("network rate %d is null" % q)
            if abs(r - ev[q]) > 1e-9 * abs(ev[q]) + dense_err:
                die("rate %d: network %r, dense eigenvalues %r" % (q, r, ev[q]))
    print("ok: %d states, %d transitions checked" % (N, len(expect)))


if __name__ == "__main__":
    main(sys.argv[1:])
