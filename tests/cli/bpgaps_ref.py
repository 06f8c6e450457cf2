# SPDX-License-Identifier: GPL-3.0-or-later
"""bpgaps_ref.py -- an independent check, at every beta of the grid, of the
branches of maxima of `hyperland phases --blocks K` (the CSV rows and the
JSON "branches").

f(m) = sum_i r_i h(m_i) - beta phi(m), h(m) = ln 2 - (1+m)/2 ln(1+m) -
(1-m)/2 ln(1-m).  In t = atanh m the stationary points solve
    F_i(t) = -r_i t_i - beta dphi/dm_i(tanh t) = 0,
and a stationary point is a maximum iff K = diag(r) + beta S Hess(phi) S,
S = diag(sqrt(1 - m^2)), is positive definite.  phi's gradient and Hessian
come from forward-mode
derivatives (class Jet, not the program's formula code; phi a polynomial:
+ - * ^ with integer powers, / by numbers).  At every beta of the
grid (every STRIDE-th) the stationary points are found by damped Newton
from a grid of starts in m (all those betas at once, vectorised), then by continuation sweeps
(Newton from every stationary point found at the neighbouring beta, up and
down the grid, repeated until nothing new is found), so a stationary point
found at one beta is followed along its branch wherever Newton can.

Compared at each grid beta: the set of maxima (smallest eigenvalue of K
above EIG_TOL) against the program's grid rows: the same number, each m to
MTOL.  A stationary point with |smallest eigenvalue of K| <= EIG_TOL (a grid
beta within ~1e-8 of an end) may be on either side: it is neither required
nor refused.  Also: the JSON beta_first/beta_last of each branch are its
first and last grid rows, and its first_end/last_end (indices in
branch_ends, null where the branch reaches the grid's edge) name an end of
that branch, on the right side, within one grid step outside its range.

usage: bpgaps_ref.py PHI FRACTIONS BETA_MIN BETA_MAX POINTS CSV JSON
  PHI: the formula (^ for powers), FRACTIONS: r1,r2,... (sum 1).
Prints a summary line; exits 1 with the mismatches listed."""
import csv
import json
import sys

import numpy as np

EIG_TOL = 1e-8
MTOL = 1e-8
STRIDE = 3  # the multi-start at every STRIDE-th beta (and the last)


class Jet:
    """phi with its gradient g (..., k) and Hessian h (..., k, k) carried
    through + - * / ** (integer powers): forward-mode second derivatives,
    exact to rounding.  Numbers stay plain floats."""

    def __init__(self, v, g, h):
        self.v, self.g, self.h = v, g, h

    def __add__(self, o):
        if isinstance(o, Jet):
            return Jet(self.v + o.v, self.g + o.g, self.h + o.h)
        return Jet(self.v + o, self.g, self.h)
    __radd__ = __add__

    def __neg__(self):
        return Jet(-self.v, -self.g, -self.h)

    def __pos__(self):
        return self

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.v * o, self.g * o, self.h * o)
        a, b = self, o
        gg = a.g[..., :, None] * b.g[..., None, :]
        return Jet(a.v * b.v, a.g * b.v[..., None] + b.g * a.v[..., None],
                   a.h * b.v[..., None, None] + gg + np.swapaxes(gg, -1, -2)
                   + b.h * a.v[..., None, None])
    __rmul__ = __mul__

    def __truediv__(self, o):
        if isinstance(o, Jet):
            raise ValueError("division by a variable: not supported")
        return self * (1.0 / o)

    def __pow__(self, n):
        if n != int(n) or n < 0:
            raise ValueError("only non-negative integer powers")
        n = int(n)
        if n == 0:
            return self * 0.0 + 1.0
        # d(u^n) = n u^(n-1) du, d2 = n u^(n-1) d2u + n (n-1) u^(n-2) du du^T
        u = self.v
        p1 = n * u ** (n - 1)
        p2 = n * (n - 1) * u ** (n - 2) if n >= 2 else 0.0 * u
        gg = self.g[..., :, None] * self.g[..., None, :]
        return Jet(u ** n, self.g * p1[..., None],
                   self.h * p1[..., None, None] + gg * p2[..., None, None])


def build(phi_text, k):
    code = compile(phi_text.replace("^", "**"), "phi", "eval")

    def jet(m):
        shape = m.shape[:-1]
        var = {}
        for i in range(k):
            g = np.zeros(shape + (k,))
            g[..., i] = 1.0
            var["m%d" % (i + 1)] = Jet(m[..., i].astype(float), g, np.zeros(shape + (k, k)))
        out = eval(code, {"__builtins__": {}}, var)
        if not isinstance(out, Jet):
            out = var["m1"] * 0.0 + out
        return out

    def GH(m):  # m: (..., k) -> gradient (..., k), Hessian (..., k, k)
        j = jet(m)
        return j.g, j.h

    def PHI(m):
        return jet(m).v
    return GH, PHI


def newton(GH, r, beta, t, iters):
    """damped Newton on F(t) = 0; beta, t broadcast: (n,), (n, k)"""
    k = t.shape[-1]
    for _ in range(iters):
        m = np.tanh(t)
        g, h = GH(m)
        F = -r * t - beta[:, None] * g
        J = -np.eye(k) * r - beta[:, None, None] * h * (1 - m * m)[:, None, :]
        try:
            dt = np.linalg.solve(J, -F[..., None])[..., 0]
        except np.linalg.LinAlgError:
            dt = np.zeros_like(t)
            for q in range(len(t)):
                try:
                    dt[q] = np.linalg.solve(J[q], -F[q])
                except np.linalg.LinAlgError:
                    pass
        dt = np.where(np.isfinite(dt), dt, 0.0)
        big = np.abs(dt).max(-1, keepdims=True)
        cap = 2 + 0.5 * np.abs(t).max(-1, keepdims=True)
        dt = np.where(big > cap, dt * cap / np.maximum(big, 1e-300), dt)
        t = np.clip(t + dt, -1e6, 1e6)
    m = np.tanh(t)
    F = -r * t - beta[:, None] * GH(m)[0]
    ok = np.all(np.abs(F) <= 1e-11 * (1 + np.abs(t).sum(-1, keepdims=True)), -1)
    return t, ok


def unique(t):
    """the distinct rows of t (agreeing to 1e-7 relative: one point)"""
    out = []
    while len(t):
        u = t[0]
        same = np.all(np.abs(t - u) <= 1e-7 * (1 + np.abs(u).sum()), -1)
        out.append(u)
        t = t[~same]
    return out


def merge(old, new):
    """old (a list of points) with those of new that are not in it; the
    number added"""
    n = 0
    for u in unique(np.asarray(new).reshape(-1, old[0].shape[0] if old else len(new[0]))):
        if not any(np.all(np.abs(v - u) <= 1e-7 * (1 + np.abs(u).sum())) for v in old):
            old.append(u)
            n += 1
    return n


def stationary(GH, r, betas):
    k = len(r)
    n = {1: 41, 2: 13, 3: 7, 4: 5}.get(k, 4)
    ax = np.tanh(np.linspace(-2.5, 2.5, n))
    starts = np.stack(np.meshgrid(*([ax] * k), indexing="ij"), -1).reshape(-1, k)
    starts = np.arctanh(starts)
    nb = len(betas)
    pts = [[] for _ in range(nb)]
    chunk = max(1, 100000 // len(starts))
    every = np.arange(0, nb, STRIDE)
    if every[-1] != nb - 1:
        every = np.append(every, nb - 1)
    for a in range(0, len(every), chunk):
        idx = every[a:a + chunk]
        bs = betas[idx]
        t = np.tile(starts, (len(bs), 1))
        be = np.repeat(bs, len(starts))
        t, ok = newton(GH, r, be, t, 40)
        t = t.reshape(len(bs), len(starts), k)
        ok = ok.reshape(len(bs), len(starts))
        for q in range(len(bs)):
            pts[idx[q]] = unique(t[q][ok[q]])
    # continuation: Newton from each point found at a neighbouring beta,
    # repeated from the points new in the last round until there are none
    fresh = [list(p) for p in pts]
    while any(fresh):
        seeds, where = [], []
        for i in range(nb):
            for j in (i - 1, i + 1):
                if 0 <= j < nb:
                    for u in fresh[j]:
                        seeds.append(u)
                        where.append(i)
        where = np.array(where)
        t, ok = newton(GH, r, betas[where], np.array(seeds), 30)
        fresh = [[] for _ in range(nb)]
        for i in np.unique(where[ok]):
            cand = t[ok & (where == i)]
            before = len(pts[i])
            merge(pts[i], cand)
            fresh[i] = pts[i][before:]
    return pts


def classify(GH, r, beta, t):
    m = np.tanh(t)
    s = np.sqrt(1 - m * m) if np.all(np.abs(t) < 18) else 1 / np.cosh(t)
    K = np.diag(r) + beta * GH(m[None])[1][0] * np.outer(s, s)
    lam = np.linalg.eigvalsh(K).min()
    return 1 if lam > EIG_TOL else (0 if lam < -EIG_TOL else -1)


def main():
    phi, fr, bmin, bmax, npts, csvf, jsonf = sys.argv[1:8]
    r = np.array([float(x) for x in fr.split(",")])
    k = len(r)
    bmin, bmax, npts = float(bmin), float(bmax), int(npts)
    betas = np.array([bmin + (bmax - bmin) * i / (npts - 1) for i in range(npts)])
    betas[-1] = bmax
    GH, _ = build(phi, k)
    pts = stationary(GH, r, betas)

    rows = [row for row in csv.DictReader(l for l in open(csvf) if not l.startswith("#"))]
    grid = [row for row in rows if not row["end"]]
    prog = [[] for _ in range(npts)]
    first, last = {}, {}
    bad = []
    for row in grid:
        b = float(row["beta"])
        i = int(round((b - bmin) / (bmax - bmin) * (npts - 1)))
        if abs(betas[i] - b) > 1e-10 * (1 + b):
            bad.append("CSV beta %r is not a grid beta" % row["beta"])
            continue
        m = np.array([float(row["m%d" % (q + 1)]) for q in range(k)])
        prog[i].append((row["branch"], m))
        first.setdefault(row["branch"], i)
        last[row["branch"]] = i

    nmax = ncmp = nskip = 0
    worst = 0.0
    for i in range(npts):
        ref, amb = [], []
        for t in pts[i]:
            c = classify(GH, r, betas[i], t)
            if c == 1:
                ref.append(np.tanh(t))
            elif c == -1:
                amb.append(np.tanh(t))
        nmax += len(ref)
        used = [False] * len(prog[i])
        for m in ref:
            hit = None
            for q, (_, pm) in enumerate(prog[i]):
                if not used[q] and np.abs(pm - m).max() <= MTOL:
                    hit = q
                    break
            if hit is None:
                near = min((np.abs(pm - m).max() for _, pm in prog[i]), default=float("inf"))
                bad.append("beta[%d] = %.12g: maximum m = %s missing (nearest program "
                           "maximum %.3g away)" % (i, betas[i], np.array2string(m, precision=10),
                                                   near))
            else:
                used[hit] = True
                ncmp += 1
                worst = max(worst, float(np.abs(prog[i][hit][1] - m).max()))
        for q, (name, pm) in enumerate(prog[i]):
            if used[q]:
                continue
            if any(np.abs(pm - m).max() <= MTOL for m in amb):
                nskip += 1
                continue
            bad.append("beta[%d] = %.12g: program's %s m = %s is not a maximum here"
                       % (i, betas[i], name, np.array2string(pm, precision=10)))

    d = json.load(open(jsonf))
    step = (bmax - bmin) / (npts - 1)
    ends = d.get("branch_ends", [])
    for br in d["branches"]:
        name = br["name"]
        if name not in first:
            bad.append("JSON branch %s has no grid row" % name)
            continue
        if br["beta_first"] is None or abs(br["beta_first"] - betas[first[name]]) > 1e-12 * (1 + betas[first[name]]) \
           or abs(br["beta_last"] - betas[last[name]]) > 1e-12 * (1 + betas[last[name]]):
            bad.append("JSON branch %s beta_first/beta_last %r %r, grid rows %r %r"
                       % (name, br["beta_first"], br["beta_last"], betas[first[name]],
                          betas[last[name]]))
        for key, side, lim in (("first_end", -1, first[name]), ("last_end", 1, last[name])):
            if key not in br:
                bad.append("JSON branch %s has no %s" % (name, key))
                continue
            if br[key] is None:
                edge = 0 if side < 0 else npts - 1
                if lim != edge:
                    bad.append("JSON branch %s: %s null but it stops at grid beta %r inside the grid"
                               % (name, key, betas[lim]))
                continue
            e = ends[br[key]]
            want = "larger beta" if side < 0 else "smaller beta"
            if e["branch"] != name or e["maximum_for"] != want:
                bad.append("JSON branch %s %s = %r: branch_ends entry %r" % (name, key, br[key], e))
            gap = side * (e["beta"] - betas[lim])
            if not (-1e-9 * step <= gap <= step * (1 + 1e-9)):
                bad.append("JSON branch %s %s at %r is not within a grid step outside %r"
                           % (name, key, e["beta"], betas[lim]))

    print("%d betas, %d stationary points, %d maxima compared (max |dm| %.3g), %d within "
          "%g of singular skipped, %d mismatches" % (npts, sum(len(p) for p in pts), ncmp, worst,
                                                     nskip, EIG_TOL, len(bad)))
    for b in bad[:40]:
        print("  " + b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
