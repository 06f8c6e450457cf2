#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""slowref_ref.py -- an mpmath reference for `hyperland evolve --blocks` at
long times on chains with two or more tiny relaxation rates.

The model (one block, or K blocks of sizes D_1 .. D_K, D = sum D_i): the class
n = (n_1 .. n_K), m_i = (2 n_i - D_i) / D_i, weight W(n) = prod C(D_i, n_i),
Phi(n) = D phi(m).  The master equation has the rates of eq 5.2 with B = 1:

    n_i -> n_i + 1 at (D_i - n_i) exp(-beta (Phi(new) - Phi(old)) / 2)
    n_i -> n_i - 1 at  n_i        exp(-beta (Phi(new) - Phi(old)) / 2)

(src/chain/rate_terms.c, src/model/blocks.c hl_blocks_chain: the symmetric
amplitude of a bond is sqrt((D_i - n_i)(n_i + 1)); checked by --selfcheck
against `hyperland spectrum --blocks 1 --dim 60 --phi PHI3 --beta 2`.)
The equilibrium is pi(n) ~ W(n) exp(-beta Phi(n)); with s = sqrt(pi) the
generator H = diag(s)^-1 L diag(s) is symmetric (tridiagonal for one
block); the implicit QL iteration of mpmath (tridiag_eigen) gives
H = U diag(-lam) U^T, and an observable w . P(t) is
sum_k (w S U)_k exp(-lam_k t) U[start, k] / s[start], the zero mode set to
lam = 0 exactly (its vector s / |s|).  At 300 digits the eigenvectors of
the slow modes, mixed by ~1e-300 |H| / gap (~1e-63 lost here), keep ~230
digits, so the populations down to 1e-200 are exact to many digits and
exp(-lam t) is exact for any t.  Every run checks sum P = 1 to 1e-215 and
that the t = 1e300 populations are the Boltzmann sums over the basins;
with --verify it is repeated at 340 digits and the two must agree to 1e-20
(relative on populations above 1e-200, absolute on <m_i>).  hyperland's
populations must match to 1e-6 relative or to rtol / 10 absolute (its
integrators control absolute errors), its <m_i> to 1e-9 absolute; every
population's population_error must bound its distance from the reference
(within a factor 2), and none above 100 rtol may be flagged.

K blocks (case k2): phi = f_1(m_1) + f_2(m_2) is separable and a block's
rates depend on its own n_i only (Phi = D phi with the total D), so L is
the Kronecker sum of the blocks' birth-death chains and P(t) the product of
theirs; --selfcheck compares every move of the K-D lattice with them, and
the K-D basins (steepest ascent on the full lattice) are asserted to be
products.

Basins: steepest ascent of ln Q_eq = ln W - beta Phi over the 2K axis moves
(ties: the first of n_1 + 1, n_1 - 1, n_2 + 1, ...; the tool's rule), named
b1, b2, ... by increasing phi at their maxima; `--from bJ` starts at the
class of basin bJ's maximum.

usage: slowref_ref.py CASE            print the expected table
       slowref_ref.py CASE JSON       compare a `hyperland evolve --json`
                                      output with it (exit 1 on a mismatch)
       slowref_ref.py --list          the case names
       slowref_ref.py CASE --verify   also at a second precision
       slowref_ref.py --args CASE     the case's hyperland arguments, a line each
       slowref_ref.py --selfcheck     the convention (the tool's spectrum), the
                                      K = 2 lattice, and the spectral route
                                      against mp.expm at t = 1 (about a minute)
"""
import json
import sys
import time

import mpmath as mp
from mpmath.matrices.eigen_symmetric import tridiag_eigen

# ------------------------------------------------------------------ cases
# phi as an mpmath function of the list m (m[0] = m1, ...), and as the
# formula hyperland reads.
PHI3 = ("-0.6*cos(3*pi*m1)+0.15*m1",
        lambda m: -mp.mpf("0.6") * mp.cos(3 * mp.pi * m[0]) + mp.mpf("0.15") * m[0])
PHI4 = ("-0.5*cos(4*pi*m1)+0.1*m1",
        lambda m: -mp.mpf("0.5") * mp.cos(4 * mp.pi * m[0]) + mp.mpf("0.1") * m[0])
PHI3T = ("-0.6*cos(3*pi*m1)+0.3*m1",
         lambda m: -mp.mpf("0.6") * mp.cos(3 * mp.pi * m[0]) + mp.mpf("0.3") * m[0])
PHI3K2 = ("-0.6*cos(3*pi*m1)+0.15*m1+0.1*m2",
          lambda m: -mp.mpf("0.6") * mp.cos(3 * mp.pi * m[0]) + mp.mpf("0.15") * m[0]
          + mp.mpf("0.1") * m[1])

CASES = {
    # the chain: 3 wells, slow rates 3.34e-59 and 3.51e-54
    "issue": dict(sizes=[60], phi=PHI3, beta="2", start="b3",
                  times="0,1,1e20,1e55,1e60,1e300"),
    # the same, asked only for 0 and 1e20 (nothing may depend on other times)
    "issue_two_times": dict(sizes=[60], phi=PHI3, beta="2", start="b3", times="0,1e20",
                            ref="issue"),
    # the same chain from the middle well b2, times around both slow rates
    "issue_from_b2": dict(sizes=[60], phi=PHI3, beta="2", start="b2",
                          times="0,1,1e10,1e30,1e53,1e54,1e55,1e56,1e58,1e59,1e62,1e300"),
    # three wells, slow rates only moderately small and apart (1.2e-18,
    # 1.8e-15): b3 empties into b2 near 1e15, b2 and b1 equilibrate near 1e18
    "three_moderate": dict(sizes=[40], phi=PHI3T, beta="1", start="b3",
                           times="0,1,10,1e3,1e8,1e12,1e14,1e15,3e15,1e16,1e17,1e18,3e18,"
                                 "1e19,1e20,1e22,1e300"),
    # five basins at D = 40 (two at the edges), four slow rates within four
    # decades (4.7e-15 .. 9.9e-11), from the edge basin b1 (m = -1)
    "five_close": dict(sizes=[40], phi=PHI4, beta="1", start="b1",
                       times="0,1,100,1e6,1e9,1e10,3e10,1e11,1e12,1e13,1e14,3e14,1e15,1e16,"
                             "1e17,1e300"),
    # five basins at D = 80, beta = 1.5: four tiny rates 7.1e-49 .. 1.2e-38,
    # from the edge basin b5 (m = 0.975, the highest phi)
    "five_deep": dict(sizes=[80], phi=PHI4, beta="1.5", start="b5",
                      times="0,1,1e10,1e30,1e37,1e38,1e39,1e40,1e41,1e43,1e45,1e46,1e47,1e48,"
                            "1e49,1e50,1e55,1e300"),
    # K = 2, unequal blocks (60, 2): a 61 x 3 lattice, moves in each block
    "k2": dict(sizes=[60, 2], phi=PHI3K2, beta="2", start="b3",
               parts=[PHI3[1], lambda m: mp.mpf("0.1") * m[0]],
               times="0,1,1e10,1e20,1e55,1e60,1e300"),
}


def case_args(name):
    c = CASES[name]
    sz = c["sizes"]
    if len(sz) == 1:
        blk = ["--blocks", "1", "--dim", str(sz[0])]
    else:
        blk = ["--block-sizes", ",".join(str(s) for s in sz)]
    return blk + ["--phi", c["phi"][0], "--beta", c["beta"], "--from", c["start"],
                  "--times", c["times"]]


# ------------------------------------------------------------------ model

class Chain:
    """The class lattice at the current mp.dps."""

    def __init__(self, sizes, phi, beta, scale=None):
        """scale: the D of Phi = D phi (default sum of sizes; a block of
        a larger lattice keeps the lattice's D)"""
        self.sizes = sizes
        self.k = len(sizes)
        D = sum(sizes) if scale is None else scale
        beta = mp.mpf(beta)
        # classes: all n with 0 <= n_i <= D_i, lexicographic in (n_1 .. n_K)
        cls = [()]
        for s in sizes:
            cls = [c + (v,) for c in cls for v in range(s + 1)]
        self.cls = cls
        self.index = {c: i for i, c in enumerate(cls)}
        self.m = [[mp.mpf(2 * c[i] - sizes[i]) / sizes[i] for i in range(self.k)] for c in cls]
        self.phi = [phi(m) for m in self.m]
        self.Phi = [D * p for p in self.phi]
        self.lnw = [mp.fsum(mp.log(mp.binomial(sizes[i], c[i])) for i in range(self.k))
                    for c in cls]
        self.lnq = [self.lnw[j] - beta * self.Phi[j] for j in range(len(cls))]
        top = max(self.lnq)
        q = [mp.exp(v - top) for v in self.lnq]
        z = mp.fsum(q)
        self.pi = [v / z for v in q]
        self.beta = beta
        self.n = len(cls)

    def moves(self, j):
        """(i, block, dest, count): the axis moves out of class j, in the
        tool's order n_1 + 1, n_1 - 1, n_2 + 1, ..."""
        c = self.cls[j]
        out = []
        for i in range(self.k):
            if c[i] < self.sizes[i]:
                out.append((i, self.index[c[:i] + (c[i] + 1,) + c[i + 1:]], self.sizes[i] - c[i]))
            if c[i] > 0:
                out.append((i, self.index[c[:i] + (c[i] - 1,) + c[i + 1:]], c[i]))
        return out

    def rate(self, j, dest, count):
        return count * mp.exp(-self.beta * (self.Phi[dest] - self.Phi[j]) / 2)

    def generator(self):
        """L[i, j] = rate j -> i, L[j, j] = -sum of the rates out of j."""
        L = mp.zeros(self.n, self.n)
        for j in range(self.n):
            for _, d, cnt in self.moves(j):
                r = self.rate(j, d, cnt)
                L[d, j] += r
                L[j, j] -= r
        return L

    def symmetric(self):
        """H = S^-1 L S, S = diag(sqrt(pi)): off-diagonal sqrt(k_+ k_-)."""
        H = mp.zeros(self.n, self.n)
        for j in range(self.n):
            for _, d, cnt in self.moves(j):
                r = self.rate(j, d, cnt)
                H[j, j] -= r
                if d > j:
                    back = [c for _, dd, c in self.moves(d) if dd == j][0]
                    a = mp.sqrt(r * self.rate(d, j, back))
                    H[d, j] = a
                    H[j, d] = a
        return H

    def basins(self):
        """(basin index of every class, the maxima sorted by phi)"""
        up = []
        for j in range(self.n):
            best, nx = self.lnq[j], j
            for _, d, _ in self.moves(j):
                if self.lnq[d] > best:
                    best, nx = self.lnq[d], d
            up.append(nx)
        end = []
        for j in range(self.n):
            i = j
            while up[i] != i:
                i = up[i]
            end.append(i)
        maxima = sorted(set(end), key=lambda e: (self.phi[e], e))
        slot = {e: b for b, e in enumerate(maxima)}
        return [slot[e] for e in end], maxima


class Evolution:
    """Observables of P(t) from a start class by the spectral decomposition.

    Only a few linear functionals of P are needed: <m_i> and the basin
    populations (and sum P).  Each is w . P(t) = sum_k (w S U)_k exp(-lam_k t)
    U[start, k] / s[start]; the QL iteration (mpmath's tridiag_eigen, the
    chain being a birth-death chain, H tridiagonal) applies its rotations to
    the rows e_start, w S instead of to the identity, so the cost is
    O(n^2 x rows) instead of O(n^3)."""

    def __init__(self, chain, start, funcs):
        """funcs: list of vectors w (one value per class)"""
        assert chain.k == 1
        self.c = chain
        n = chain.n
        H = chain.symmetric()
        d = [H[i, i] for i in range(n)]
        e = [H[i + 1, i] for i in range(n - 1)] + [mp.mpf(0)]
        s = [mp.sqrt(p) for p in chain.pi]
        assert s[start] > mp.mpf("1e-40")  # the cut-off of values()
        rows = [[mp.mpf(1) if r == start else mp.mpf(0) for r in range(n)]]
        rows += [[w[r] * s[r] for r in range(n)] for w in funcs]
        z = mp.matrix(rows)
        tridiag_eigen(mp.mp, d, e, z)
        lam = [-x for x in d]
        # the zero mode: exactly 0, vector s / |s| (the QL one has ~10^-dps)
        iz = min(range(n), key=lambda i: abs(lam[i]))
        self.zero_err = abs(lam[iz])
        lam[iz] = mp.mpf(0)
        ns = mp.sqrt(mp.fsum(v * v for v in s))
        for q, row in enumerate(rows):
            z[q, iz] = mp.fsum(row[r] * s[r] for r in range(n)) / ns
        self.lam = lam
        self.a = [z[0, k] / s[start] for k in range(n)]
        self.proj = [[z[q + 1, k] for k in range(n)] for q in range(len(funcs))]
        self.start = start
        self.nf = len(funcs)

    def rates(self):
        return sorted(self.lam)

    def values(self, t):
        """w . P(t) for every w of funcs"""
        t = mp.mpf(t)
        n = self.c.n
        if t == 0:
            return None
        # exp(-x) for x > 5000 is below 1e-2171: a term at most 1/s[start]
        # (< 1e40 here) times it is nothing at any dps used (and mp.exp of
        # -1e300 costs seconds)
        ea = [mp.exp(-self.lam[k] * t) * self.a[k] if self.lam[k] * t < 5000 else mp.mpf(0)
              for k in range(n)]
        return [mp.fsum(self.proj[q][k] * ea[k] for k in range(n)) for q in range(self.nf)]


def observables(chain, P, basin, nb):
    """<m_i>, the basin populations and sum P of a full vector P"""
    mean = [mp.fsum(P[j] * chain.m[j][i] for j in range(chain.n)) for i in range(chain.k)]
    pops = [mp.fsum(P[j] for j in range(chain.n) if basin[j] == b) for b in range(nb)]
    return mean, pops, mp.fsum(P)


def block_run(sizes, phi, beta, start_spec, times, scale=None):
    """one block: (start class, maxima, rates, [(t, mean, pops, sum)])"""
    ch = Chain(sizes, phi, beta, scale)
    basin, maxima = ch.basins()
    start = maxima[int(start_spec[1:]) - 1]
    nb = len(maxima)
    funcs = [[ch.m[r][0] for r in range(ch.n)]]
    funcs += [[mp.mpf(1) if basin[r] == b else mp.mpf(0) for r in range(ch.n)] for b in range(nb)]
    funcs += [[mp.mpf(1)] * ch.n]
    ev = Evolution(ch, start, funcs)
    pts = []
    for ts in times:
        v = ev.values(ts)
        if v is None:  # t = 0: the start class
            v = [f[start] for f in funcs]
        pts.append((ts, [v[0]], v[1:1 + nb], v[-1]))
    return ch, basin, maxima, start, ev, pts


def compute(name, dps):
    """{'start': n, 'maxima': [...], 'rates': [...], 'points': [(t, mean, pops, sum)]}"""
    c = CASES[name]
    mp.mp.dps = dps
    times = c["times"].split(",")
    if len(c["sizes"]) == 1:
        ch, basin, maxima, start, ev, pts = block_run(c["sizes"], c["phi"][1], c["beta"],
                                                      c["start"], times)
        eq = [mp.fsum(ch.pi[j] for j in range(ch.n) if basin[j] == b) for b in range(len(maxima))]
        return dict(start=ch.cls[start], maxima=[ch.cls[e] for e in maxima], rates=ev.rates(),
                    points=pts, zero_err=ev.zero_err, sizes=c["sizes"], eq_pops=eq, dps=dps)
    # K blocks with a separable phi = sum_i f_i(m_i): the rates of block i
    # depend on n_i alone (Phi = D phi, D the total), so L is the Kronecker
    # sum of the blocks' chains and P(t) the product of theirs from a
    # product start.  The K-D basins (steepest ascent on the full lattice)
    # are checked to be products: basin(n) = basin of block 1's n_1, the
    # other blocks' classes all in it (true here: blocks 2.. have one
    # maximum each).
    D = sum(c["sizes"])
    full = Chain(c["sizes"], c["phi"][1], c["beta"])
    fbasin, fmax = full.basins()
    start_full = fmax[int(c["start"][1:]) - 1]
    parts = []
    for i, (sz, f) in enumerate(zip(c["sizes"], c["parts"])):
        spec = c["start"] if i == 0 else "b1"
        parts.append(block_run([sz], f, c["beta"], spec, times, scale=D))
    ch1, basin1, max1 = parts[0][0], parts[0][1], parts[0][2]
    for j, cl in enumerate(full.cls):
        assert fbasin[j] == basin1[cl[0]], "basins not a product at %s" % (cl,)
        for i in range(1, full.k):
            assert len(parts[i][2]) == 1
    start = tuple(parts[i][0].cls[parts[i][3]][0] for i in range(full.k))
    assert start == full.cls[start_full], (start, full.cls[start_full])
    # rates: sums of one rate of each block; the slowest few
    rs = sorted(set(x + y for x in parts[0][4].rates()[:8] for y in parts[1][4].rates()[:3]))
    pts = []
    for q, ts in enumerate(times):
        mean = [parts[i][5][q][1][0] for i in range(full.k)]
        pops = parts[0][5][q][2]
        tot = parts[0][5][q][3]
        for i in range(1, full.k):
            tot *= parts[i][5][q][3]
        pts.append((ts, mean, pops, tot))
    eq = [mp.fsum(full.pi[j] for j in range(full.n) if fbasin[j] == b) for b in range(len(fmax))]
    return dict(start=start, maxima=[full.cls[e] for e in fmax], rates=rs, points=pts,
                zero_err=max(p[4].zero_err for p in parts), sizes=c["sizes"], eq_pops=eq,
                dps=dps)


def internal_checks(r):
    """free accuracy checks of one run: sum P = 1 to 1e-215 at every time,
    and at the last time (1e300: equilibrium) the basin populations are the
    Boltzmann sums over the basins' classes (an independent sum)"""
    for t, _, _, tot in r["points"]:
        if abs(tot - 1) > mp.mpf("1e-215"):
            raise SystemExit("reference: sum P - 1 = %s at t = %s" % (mp.nstr(tot - 1, 3), t))
    t, _, pops, _ = r["points"][-1]
    if mp.mpf(t) >= mp.mpf("1e300"):
        for x, y in zip(pops, r["eq_pops"]):
            if abs(x - y) > mp.mpf("1e-215") * (1 + y) and abs(x / y - 1) > mp.mpf("1e-30"):
                raise SystemExit("reference: the t = %s populations are not the equilibrium's "
                                 "(%s against %s)" % (t, mp.nstr(x, 20), mp.nstr(y, 20)))


def reference(name, dps=300, verify=False):
    """compute at dps (the internal checks); with verify, at dps + 40 too,
    and fail unless the two agree to 1e-20 (relative on populations above
    1e-200, absolute on <m_i>, relative on the six slowest rates)"""
    a = compute(name, dps)
    internal_checks(a)
    a["dps_agreement"] = None
    if not verify:
        return a
    b = compute(name, dps + 40)
    worst = mp.mpf(0)
    for (t, ma, pa, _), (_, mb, pb, _) in zip(a["points"], b["points"]):
        for x, y in zip(ma, mb):
            worst = max(worst, abs(x - y))
        for x, y in zip(pa, pb):
            if abs(y) >= mp.mpf("1e-200"):
                worst = max(worst, abs(x - y) / abs(y))
            else:
                worst = max(worst, abs(x - y) * mp.mpf("1e180"))
    for x, y in zip(a["rates"][:6], b["rates"][:6]):
        if y != 0:
            worst = max(worst, abs(x - y) / y)
    if worst > mp.mpf("1e-20"):
        raise SystemExit("reference: dps %d and %d disagree by %s" % (dps, dps + 40,
                                                                      mp.nstr(worst, 3)))
    a["dps_agreement"] = worst
    return a


def fmt(x, d=15):
    return mp.nstr(x, d, min_fixed=-4, max_fixed=4) if x != 0 else "0"


def print_table(name, r):
    print("case %s: hyperland evolve %s" % (name, " ".join(
        "'%s'" % a if " " in a or "*" in a else a for a in case_args(name))))
    print("  start class n = %s; basin maxima n = %s" % (list(r["start"]), [list(x) for x in r["maxima"]]))
    print("  slowest rates: %s" % ", ".join(fmt(x, 11) for x in r["rates"][1:5]))
    agr = "not checked" if r["dps_agreement"] is None else mp.nstr(r["dps_agreement"], 2)
    print("  dps %d; agreement with dps %d: %s; zero-mode residual %s"
          % (r["dps"], r["dps"] + 40, agr, mp.nstr(r["zero_err"], 2)))
    nb = len(r["maxima"])
    hdr = "  %-8s" % "t" + "".join("%20s" % ("<m%d>" % (i + 1)) for i in range(len(r["sizes"])))
    hdr += "".join("%20s" % ("b%d" % (j + 1)) for j in range(nb))
    print(hdr)
    for t, mean, pops, _ in r["points"]:
        print("  %-8s" % t + "".join("%20s" % fmt(x) for x in mean)
              + "".join("%20s" % fmt(x, 12) for x in pops))


# ------------------------------------------------------------------ compare

def compare(name, r, path):
    with open(path) as f:
        js = json.load(f)
    bad = []
    ok = 0
    want = list(r["start"])
    got = js.get("start", {}).get("n")
    if got != want:
        bad.append("start class n = %s, reference %s" % (got, want))
    pts = js.get("points", [])
    want_t = [float(t) for t in CASES[name]["times"].split(",")]
    got_t = [float(p.get("t")) for p in pts]
    if got_t != want_t:
        bad.append("output times %s, asked %s" % (got_t, want_t))
    if js.get("basins_listed") != len(r["maxima"]) or js.get("basins_clipped") != 0:
        bad.append("basins_listed %r, basins_clipped %r; reference %d basins"
                   % (js.get("basins_listed"), js.get("basins_clipped"), len(r["maxima"])))
    # the populations' absolute accuracy: rtol / 10 (README "Long times":
    # the integrators control absolute errors; a population below it is
    # round-off, whatever its digits)
    floor = 0.1 * float(js.get("rtol", 1e-10))
    refpts = {float(t): (t, mean, pops, tot) for t, mean, pops, tot in r["points"]}
    for p in pts:
        if float(p["t"]) not in refpts:
            bad.append("t = %s: not a time of the reference" % p["t"])
            continue
        t, mean, pops, _ = refpts[float(p["t"])]
        for i, x in enumerate(mean):
            h = p["mean_m"][i]
            if h is None or abs(h - float(x)) > 1e-9:
                bad.append("t = %s: <m%d> = %r, reference %s (diff %.3g)"
                           % (t, i + 1, h, fmt(x), abs((h or 0) - float(x))))
            else:
                ok += 1
        # every population comes with its estimated error (evolve.h
        # population_error); one that lost its digits is null with
        # probability_bound = value + error.  The estimate must hold
        # (|value - reference| <= 2 error), the resolved values must be
        # right (1e-6 relative or rtol / 10 absolute), and a population
        # above 100 rtol must not be flagged (an estimator that flags
        # everything is no estimator)
        names = {}
        for b in p.get("basins", []):
            e = b.get("population_error")
            v = b["probability"]
            if v is None and e is not None and b.get("probability_bound") is not None:
                v = b["probability_bound"] - e
            names[b["name"]] = (b["probability"], v, e)
        tot = 0.0
        for j, x in enumerate(pops):
            nm = "b%d" % (j + 1)
            if nm not in names:
                bad.append("t = %s: no basin %s" % (t, nm))
                continue
            h, v, e = names[nm]
            xf = float(x) if x >= mp.mpf("1e-300") else 0.0
            if v is None or e is None or not (e >= 0):
                bad.append("t = %s: %s without a value or population_error" % (t, nm))
                continue
            tot += v
            if abs(v - xf) > 2 * e + 1e-300:
                bad.append("t = %s: %s = %.12g, reference %s: off by %.3g, beyond twice its "
                           "population_error %.3g" % (t, nm, v, fmt(x, 12), abs(v - xf), e))
            else:
                ok += 1
            if h is None:
                if xf > 100 * float(js.get("rtol", 1e-10)):
                    bad.append("t = %s: %s flagged (error %.3g) but the reference is %s"
                               % (t, nm, e, fmt(x, 12)))
                else:
                    ok += 1
                continue
            if abs(h - xf) <= floor:
                ok += 1  # within the integrators' absolute accuracy
            elif x >= mp.mpf("1e-200"):
                rel = abs(h - xf) / xf
                if rel > 1e-6:
                    bad.append("t = %s: %s = %.12g, reference %s (rel. diff %.3g, abs. %.3g)"
                               % (t, nm, h, fmt(x, 12), rel, abs(h - xf)))
                else:
                    ok += 1
            elif h > 1e-195:
                bad.append("t = %s: %s = %.12g, reference %s (< 1e-200)" % (t, nm, h, fmt(x, 4)))
            else:
                ok += 1
        if len(names) != len(pops):
            bad.append("t = %s: %d basins, reference %d" % (t, len(names), len(pops)))
        if abs(tot - 1) > 1e-9:
            bad.append("t = %s: sum of the basin populations - 1 = %.3g" % (t, tot - 1))
        se = p.get("sum_error")
        if se is None or not (abs(se) <= 1e-9):
            bad.append("t = %s: sum_error = %r" % (t, se))
    return ok, bad


# ------------------------------------------------------------------ selfcheck

def selfcheck():
    """(1) the convention: spectrum --blocks 1 --dim 60 --phi PHI3 --beta 2
    gives 3.3427274124e-59, 3.5127648714e-54, 58.991496185, 92.714669691;
    (2) the K = 2 lattice's moves have the rates of the blocks' chains (the
    Kronecker sum used for case k2); (3) the spectral route against
    mp.expm(t L) at t = 1 (issue's chain, from b3, dps 80: slow, ~1 min)"""
    t0 = time.time()
    ok = True
    r = compute("issue", 300)
    want = ["3.3427274124e-59", "3.5127648714e-54", "58.991496185", "92.714669691"]
    for x, w in zip(r["rates"][1:5], want):
        d = abs(x / mp.mpf(w) - 1)
        ok = ok and d < 5e-10
        print("rate %s  tool %s  rel %s" % (mp.nstr(x, 14), w, mp.nstr(d, 2)))
    r2 = compute("k2", 300)
    print("k2 slowest rates: %s" % ", ".join(mp.nstr(x, 11) for x in r2["rates"][:6]))
    mp.mp.dps = 40
    c = CASES["k2"]
    full = Chain(c["sizes"], c["phi"][1], c["beta"])
    blocks = [Chain([sz], f, c["beta"], scale=sum(c["sizes"])) for sz, f in
              zip(c["sizes"], c["parts"])]
    worst = mp.mpf(0)
    for j, cl in enumerate(full.cls):
        for i, d, cnt in full.moves(j):
            bi = blocks[i]
            jb = bi.index[(cl[i],)]
            db = bi.index[(full.cls[d][i],)]
            worst = max(worst, abs(full.rate(j, d, cnt) / bi.rate(jb, db, cnt) - 1))
    print("k2 lattice rates against the blocks' chains: max rel %s" % mp.nstr(worst, 3))
    ok = ok and worst < 1e-30
    mp.mp.dps = 80
    ch = Chain([60], PHI3[1], "2")
    basin, maxima = ch.basins()
    L = ch.generator()
    E = mp.expm(L)
    col = [E[q, maxima[2]] for q in range(ch.n)]
    mean, pops, tot = observables(ch, col, basin, 3)
    _, m1, p1, _ = r["points"][1]
    d = max([abs(mean[0] - m1[0])] + [abs(a / b - 1) for a, b in zip(pops, p1)])
    print("t = 1: expm <m1> %s b1 %s b2 %s; spectral route max diff %s"
          % (mp.nstr(mean[0], 15), mp.nstr(pops[0], 12), mp.nstr(pops[1], 12), mp.nstr(d, 3)))
    ok = ok and d < 1e-20
    print("selfcheck %s (%.1f s)" % ("ok" if ok else "FAILED", time.time() - t0))
    return 0 if ok else 1


def main(argv):
    verify = "--verify" in argv
    argv = [x for x in argv if x != "--verify"]
    if len(argv) >= 2 and argv[1] == "--list":
        print(" ".join(CASES))
        return 0
    if len(argv) >= 2 and argv[1] == "--selfcheck":
        return selfcheck()
    if len(argv) >= 3 and argv[1] == "--args":
        print("\n".join(case_args(argv[2])))
        return 0
    if len(argv) not in (2, 3) or argv[1] not in CASES:
        print(__doc__)
        return 2
    name = argv[1]
    r = reference(CASES[name].get("ref", name), verify=verify)
    if len(argv) == 2:
        print_table(CASES[name].get("ref", name), r)
        return 0
    ok, bad = compare(name, r, argv[2])
    if bad:
        print("%s: %d of %d checks fail" % (name, len(bad), len(bad) + ok))
        for b in bad:
            print("  " + b)
        return 1
    print("%s: %d checks pass" % (name, ok))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
