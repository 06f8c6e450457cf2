#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent check of the stationary points of M copies of the paper's
system with an interface term (examples/coexistence/coexistence.c), numpy
and scipy only, nothing from the library:

  f(m) = (1/2M) sum_i h(m_i) - beta [ (1/M) sum_j phi_p(s_j, d_j) + gamma I ]
  h(m) = ln 2 - [(1+m) ln(1+m) + (1-m) ln(1-m)] / 2,
  phi_p(s, d) = s - (d + 0.2)^2 + 0.38 (d + 0.2)^3,
  I = (1/M) sum_j d_j^2 - ((1/M) sum_j d_j)^2,

on the 2M-cube m = (s_1, d_1, ..., s_M, d_M), at the paper's melting point
beta_m (solved here: the two maxima of the paper's f equal).

1. Every stationary point: damped Newton on grad f = 0 in t = atanh(m)
   from a grid of starts in the d's (and random s's), deduplicated up to a
   permutation of the copies; the index from the eigenvalues of the
   Hessian of f (number of positive eigenvalues; 0: a maximum).
2. For each index-1 saddle: steepest ascent (the gradient flow, integrated
   by scipy's solve_ivp) from the saddle along +- its unstable eigenvector
   to the two maxima it joins; j and j' (number of crystalline copies,
   d < the paper's saddle's d) of each, and the number of copies whose d
   differs between the two maxima.
3. The folds where a mixed maximum meets its saddle: the extended system
   grad f = 0, H v = 0, |v| = 1 in (m, v, gamma) (scipy fsolve).

usage:
  coexistence_saddles.py survey [M ...]       the landscape on gamma = 0 .. 0.4
  coexistence_saddles.py check SADDLES.DAT [GAMMA ...]
        compare with the example's data file (build/examples/example_coexistence
        DIR writes DIR/saddles.dat) at these gammas (default 0.1 0.3 0.35:
        before the folds, between M = 4's and M = 3's, after both) and
        every fold it reports; exit 1 on disagreement
"""
import itertools
import os
import sys

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")  # small matrices: threads only contend

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq, fsolve


# ----------------------------------------------------------------- the model
def h(m):
    return np.log(2) - 0.5 * ((1 + m) * np.log1p(m) + (1 - m) * np.log1p(-m))


def f_val(m, M, beta, gamma):
    s, d = m[..., 0::2], m[..., 1::2]
    u = d + 0.2
    phi = (s - u**2 + 0.38 * u**3).sum(-1) / M
    phi = phi + gamma * ((d**2).mean(-1) - d.mean(-1) ** 2)
    return h(m).sum(-1) / (2 * M) - beta * phi


def grad(m, M, beta, gamma):
    """grad of f in m (shape (..., 2M))"""
    g = -np.arctanh(m) / (2 * M)
    d = m[..., 1::2]
    u = d + 0.2
    g[..., 0::2] -= beta / M
    gd = (-2 * u + 1.14 * u**2) / M + gamma * (2 * d / M - 2 * d.mean(-1, keepdims=True) / M)
    g[..., 1::2] -= beta * gd
    return g


def hess(m, M, beta, gamma):
    """Hessian of f in m (shape (..., 2M, 2M))"""
    K = 2 * M
    H = np.zeros(m.shape + (K,))
    idx = np.arange(K)
    H[..., idx, idx] = -1.0 / (2 * M * (1 - m) * (1 + m))
    d = m[..., 1::2]
    di = np.arange(1, K, 2)
    H[..., di, di] -= beta * (-2 + 2.28 * (d + 0.2)) / M
    for a in di:
        for b in di:
            H[..., a, b] -= beta * gamma * ((2.0 / M if a == b else 0.0) - 2.0 / M**2)
    return H


# --------------------------------------------- the paper's system, beta_m
def paper_maxima(beta):
    """liquid and crystal d of the paper's f (s decouples: s = -tanh 2 beta)
    and its saddle's d, by the roots of df/dd on a fine grid"""
    def gd(d):
        u = d + 0.2
        return -np.arctanh(d) / 2 - beta * (-2 * u + 1.14 * u**2)
    x = np.linspace(-1 + 1e-12, 1 - 1e-12, 200001)
    y = gd(x)
    roots = [brentq(gd, x[i], x[i + 1], xtol=1e-15)
             for i in np.nonzero(np.sign(y[:-1]) != np.sign(y[1:]))[0]]
    if len(roots) != 3:
        raise SystemExit("paper's f: expected 3 stationary d, got %d" % len(roots))
    return roots[2], roots[0], roots[1]  # liquid, crystal, saddle


def f_paper_d(d, beta):
    u = d + 0.2
    return h(d) / 2 - beta * (-u**2 + 0.38 * u**3)


def beta_melting():
    def diff(beta):
        liq, cry, _ = paper_maxima(beta)
        return f_paper_d(liq, beta) - f_paper_d(cry, beta)
    return brentq(diff, 0.7, 0.85, xtol=1e-15)


# ------------------------------------------------------ stationary points
def newton(m0, M, beta, gamma, iters=200):
    """damped Newton in t = atanh m for a batch of starts; returns the points
    and a mask of those converged (max |grad_t| < 1e-13 and, since grad_t
    vanishes on the cube's faces, max |grad_m| < 1e-10); each start is
    iterated until it converges"""
    t = np.arctanh(m0)
    ok = np.zeros(len(t), bool)
    act = np.arange(len(t))
    K = t.shape[-1]
    for _ in range(iters):
        if not len(act):
            break
        ta = t[act]
        m = np.tanh(ta)
        c = (1 - m) * (1 + m)
        g = grad(m, M, beta, gamma)
        gt = g * c
        done = (np.abs(gt).max(-1) < 1e-13) & (np.abs(g).max(-1) < 1e-10)
        ok[act[done]] = True
        keep = ~done & np.isfinite(gt).all(-1)
        act, ta, m, c, g, gt = act[keep], ta[keep], m[keep], c[keep], g[keep], gt[keep]
        if not len(act):
            break
        Ht = hess(m, M, beta, gamma) * c[..., :, None] * c[..., None, :]
        Ht[..., np.arange(K), np.arange(K)] += g * (-2 * m) * c
        sing = np.abs(np.linalg.det(Ht)) < 1e-300
        Ht[sing] += np.eye(K) * 1e-8
        dx = np.linalg.solve(Ht, -gt[..., None])[..., 0]
        big = np.abs(dx).max(-1, keepdims=True)
        dx = np.where(big > 0.3, dx * 0.3 / np.maximum(big, 1e-300), dx)
        t[act] = np.clip(ta + dx, -17, 17)
    m = np.tanh(t)
    ok &= np.isfinite(m).all(-1) & (np.abs(m) < 1).all(-1)
    return m, ok


def canon(m, M):
    """the copies sorted by d (then s): a representative up to permutation"""
    pairs = sorted(tuple(m[2 * j:2 * j + 2]) for j in range(M))
    pairs.sort(key=lambda p: (p[1], p[0]))
    return np.array([x for p in pairs for x in p])


def index_of(m, M, beta, gamma):
    ev = np.linalg.eigvalsh(hess(m, M, beta, gamma))
    return int((ev > 0).sum()), float(np.abs(ev).min())


def stationary_points(M, beta, gamma, rng, ngrid=None):
    """every stationary point up to permutation: list of (m, index, f)"""
    ngrid = ngrid or {2: 16, 3: 10}.get(M, 6)
    dv = np.linspace(-0.995, 0.97, ngrid)
    starts = np.array(list(itertools.product(dv, repeat=M)))
    starts = np.concatenate([starts, rng.uniform(-0.999, 0.99, (4 * len(starts) // 3 + 200, M))])
    m0 = np.empty((len(starts), 2 * M))
    m0[:, 1::2] = starts
    # df/ds_j = -atanh(s_j) / 2M - beta / M has the one root s = -tanh(2 beta)
    # = -0.913 (at beta_m): every stationary point has it.  The s's start
    # near it, where f is concave in t = atanh s (from s = -0.97 Newton in t
    # runs off to the face, where grad_t vanishes)
    m0[:, 0::2] = rng.uniform(-0.93, -0.89, (len(starts), M))
    m, ok = newton(m0, M, beta, gamma)
    pts = []
    for x in m[ok]:
        c = canon(x, M)
        if any(np.abs(c - p[0]).max() < 1e-7 for p in pts):
            continue
        idx, small = index_of(c, M, beta, gamma)
        pts.append((c, idx, float(f_val(c, M, beta, gamma)), small))
    return pts


def n_cryst(m, dsad):
    return int((m[1::2] < dsad).sum())


def ascend(x0, M, beta, gamma):
    """the gradient flow of f from x0 to its maximum (in t = atanh m, where
    the flow of f in the metric of t stays inside the cube), Newton-polished"""
    def rhs(_, t):
        m = np.tanh(t)
        return grad(m, M, beta, gamma) * (1 - m) * (1 + m)
    def flat(_, t):
        m = np.tanh(t)
        return np.abs(grad(m, M, beta, gamma) * (1 - m) * (1 + m)).max() - 1e-7
    flat.terminal = True
    sol = solve_ivp(rhs, (0, 1e6), np.arctanh(x0), rtol=1e-8, atol=1e-10, events=flat,
                    method="LSODA")
    m, ok = newton(np.tanh(sol.y[:, -1])[None, :], M, beta, gamma)
    idx, _ = index_of(m[0], M, beta, gamma)
    if not ok[0] or idx != 0:
        raise RuntimeError("ascent did not end at a maximum")
    return m[0]


def joins(sp, M, beta, gamma, dsad):
    """the two maxima an index-1 saddle joins: (j, j', copies changed, f of
    each, the maxima)"""
    w, v = np.linalg.eigh(hess(sp, M, beta, gamma))
    u = v[:, np.argmax(w)]
    a = ascend(np.clip(sp + 1e-4 * u, -1 + 1e-15, 1 - 1e-15), M, beta, gamma)
    b = ascend(np.clip(sp - 1e-4 * u, -1 + 1e-15, 1 - 1e-15), M, beta, gamma)
    ja, jb = n_cryst(a, dsad), n_cryst(b, dsad)
    if ja > jb:
        a, b, ja, jb = b, a, jb, ja
    changed = int(((a[1::2] < dsad) != (b[1::2] < dsad)).sum())
    return ja, jb, changed, a, b


def landscape(M, beta, gamma, rng, dsad):
    """maxima by j: {j: f}; saddles: list of (j, j', changed, f_saddle)"""
    pts = stationary_points(M, beta, gamma, rng)
    maxima, saddles = {}, []
    for c, idx, f, small in pts:
        if small < 1e-7:
            raise RuntimeError("M = %d gamma = %g: a degenerate stationary point" % (M, gamma))
        if idx == 0:
            j = n_cryst(c, dsad)
            if j in maxima and abs(maxima[j] - f) > 1e-9:
                raise RuntimeError("two maxima with j = %d" % j)
            maxima[j] = f
        elif idx == 1:
            ja, jb, ch, a, b = joins(c, M, beta, gamma, dsad)
            saddles.append((ja, jb, ch, f))
    saddles.sort()
    return maxima, saddles


# ---------------------------------------------------------------- folds
def fold(M, beta, j, gamma0, m0):
    """the gamma where the maximum with j crystalline copies meets a saddle:
    grad f = 0, H v = 0, |v|^2 = 1 in (m, v, gamma), from the maximum m0
    near the fold (gamma0)"""
    K = 2 * M
    w, v = np.linalg.eigh(hess(m0, M, beta, gamma0))
    v0 = v[:, np.argmax(w)]
    def F(z):
        m, vv, g = np.tanh(z[:K]), z[K:2 * K], z[-1]
        return np.concatenate([grad(m, M, beta, g), hess(m, M, beta, g) @ vv, [vv @ vv - 1]])
    z0 = np.concatenate([np.arctanh(m0), v0, [gamma0]])
    z, info, ier, msg = fsolve(F, z0, full_output=True, xtol=1e-14)
    if np.abs(F(z)).max() > 1e-10:
        raise RuntimeError("fold: " + msg)
    return z[-1], np.tanh(z[:K])


def follow_max(M, beta, j, gammas, liq, cry):
    """the maximum with j crystalline copies continued along gammas (a
    point is lost when Newton no longer ends at an index-0 point near the
    previous one); returns the last gamma where it exists and the point"""
    m = np.empty(2 * M)
    s0 = -np.tanh(2 * beta)
    m[0::2] = s0
    m[1::2] = [cry] * j + [liq] * (M - j)
    last = None
    for g in gammas:
        x, ok = newton(m[None, :], M, beta, g)
        if not ok[0] or index_of(x[0], M, beta, g)[0] != 0 or np.abs(x[0] - m).max() > 0.3:
            break
        m, last = x[0], g
    return last, m


# ----------------------------------------------------------------- main
def setup():
    beta = beta_melting()
    liq, cry, dsad = paper_maxima(beta)
    return beta, liq, cry, dsad


def label(s):
    ja, jb, ch, _ = s
    return "%d->%d(%d)" % (ja, jb, ch)


def survey(Ms):
    beta, liq, cry, dsad = setup()
    print("beta_m = %.12f liquid d = %.10f crystal d = %.10f saddle d = %.10f" % (beta, liq, cry, dsad))
    rng = np.random.default_rng(1)
    for M in Ms:
        print("M = %d" % M)
        for q in range(0, 41, 5):
            g = q / 100
            mx, sd = landscape(M, beta, g, rng, dsad)
            f0 = mx[0]
            print("  gamma %.2f maxima j: %s" % (g, " ".join(
                "%d:%.8f" % (j, 0.0 if abs(f0 - mx[j]) < 5e-9 else f0 - mx[j]) for j in sorted(mx))))
            print("             saddles: %s" % " ".join(
                "%s:%.8f" % (label(s), mx[s[0]] - s[3]) for s in sd))
        for j in range(1, M):
            last, m = follow_max(M, beta, j, np.arange(0, 1.0 + 1e-9, 0.001), liq, cry)
            if last is not None and last < 1.0:
                print("  maximum j = %d: fold at gamma = %.9f" % (j, fold(M, beta, j, last, m)[0]))
            else:
                print("  maximum j = %d: there up to gamma = 1" % j)


def check(path, gammas):
    """the example's saddles.dat: lines 'M gamma ja jb changed barrier' for
    every index-1 saddle (up to permutation) it reports, and 'fold M j
    gamma', 'max M gamma j f0-fj' for every maximum; the landscapes at the
    given gammas (every M) searched here and compared (the maxima's j and
    the saddles' labels exactly, f0 - fj and the barriers to 1e-8), every
    fold to 1e-6"""
    beta, liq, cry, dsad = setup()
    rng = np.random.default_rng(2)
    rows, folds, maxr = {}, [], {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        w = line.split()
        if w[0] == "fold":
            folds.append((int(w[1]), int(w[2]), float(w[3])))
            continue
        if w[0] == "max":
            key = (int(w[1]), round(float(w[2]), 6))
            if key[1] in gammas:
                maxr.setdefault(key, []).append((int(w[3]), float(w[4])))
            continue
        key = (int(w[0]), round(float(w[1]), 6))
        if key[1] in gammas:
            rows.setdefault(key, []).append((int(w[2]), int(w[3]), int(w[4]), float(w[5])))
    for M in (2, 3, 4):
        for g in gammas:
            rows.setdefault((M, g), [])  # the example reports none: the reference must agree
    bad = 0
    for (M, g), got in sorted(rows.items()):
        mx, sd = landscape(M, beta, g, rng, dsad)
        want = sorted((s[0], s[1], s[2], mx[s[0]] - s[3]) for s in sd)
        got = sorted(got)
        same = len(want) == len(got) and all(
            a[:3] == b[:3] and abs(a[3] - b[3]) < 1e-8 for a, b in zip(want, got))
        if not same:
            bad += 1
            print("M = %d gamma = %g: example %s, reference %s" % (M, g, got, want))
        wmax = sorted((j, mx[0] - f) for j, f in mx.items())
        gmax = sorted(maxr.get((M, g), []))
        if len(wmax) != len(gmax) or any(a[0] != b[0] or abs(a[1] - b[1]) > 1e-8
                                          for a, b in zip(wmax, gmax)):
            bad += 1
            print("M = %d gamma = %g: maxima (j, f0 - fj): example %s, reference %s" %
                  (M, g, gmax, wmax))
    for M, j, g in folds:
        last, m = follow_max(M, beta, j, np.arange(0, g + 0.01, 0.001), liq, cry)
        gc, _ = fold(M, beta, j, last, m)
        if abs(gc - g) > 1e-6:
            bad += 1
            print("fold M = %d j = %d: example %.9f, reference %.9f" % (M, j, g, gc))
    print("%d (M, gamma) landscapes and %d folds checked: %s" %
          (len(rows), len(folds), "all agree" if not bad else "%d disagree" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "survey":
        survey([int(a) for a in sys.argv[2:]] or [2, 3, 4])
    elif len(sys.argv) >= 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], [round(float(g), 6) for g in sys.argv[3:]] or [0.1, 0.3, 0.35]))
    else:
        sys.exit(__doc__)
