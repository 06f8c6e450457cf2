#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""SciPy peer of `hyperland scan` (bench/scan.sh): what a user writes with
NumPy/SciPy for the same calorimetry scan on the class lattice of eq 5.6.

  - classes (a, b) = (n1, n - n1), a, b in 0..h, h = D/2; x = (a+b)/h - 1,
    y = (a-b)/h; Phi = D phi(x, y) with the paper's phi (eq 4.11);
  - rates of eq 5.2: a -> a+1 at (h - a) B(mid, T) exp((Phi_i - Phi_j)/(2T)),
    a -> a-1 at a B exp(...), the same in b; B(x, y, T) = exp(-3 y^2 / T)
    (glass B) at the bond's midpoint;
  - start: the equilibrium at T_high (W exp(-Phi/T), normalised in logs);
  - the master equation dQ/dt = L(T(t)) Q with T(t) linear, cooling to
    T_low in t_c = (T_high - T_low)/q and heating back: scipy.integrate.
    solve_ivp(method="BDF") with the exact sparse Jacobian L(T(t)) (a
    callable returning a CSC matrix), one call per leg (the kink), outputs
    at t_eval (N points per leg, evenly spaced in T), rtol as given and
    atol = rtol 1e-4 / classes (hyperland's choice);
  - <phi>(t) = sum Q Phi / D at the outputs.

usage: scan_peer.py D T_HIGH T_LOW N RTOL Q1,Q2,...
prints one JSON object: {"seconds": total, "rates": [{"rate", "seconds",
"mean_phi": [...]}]}
"""
import json
import math
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.integrate import solve_ivp
from scipy.special import gammaln


def phi(x, y):
    d = x - y + 0.2
    return x + y - d * d + 0.38 * d ** 3


def main():
    D = int(sys.argv[1])
    th, tl = float(sys.argv[2]), float(sys.argv[3])
    npts = int(sys.argv[4])
    rtol = float(sys.argv[5])
    rates = [float(v) for v in sys.argv[6].split(",")]
    h = D // 2
    w = h + 1
    a = np.repeat(np.arange(w), w)
    b = np.tile(np.arange(w), w)
    x = (a + b) / h - 1.0
    y = (a - b) / h
    Phi = D * phi(x, y)
    lnW = gammaln(h + 1) * 2 - gammaln(a + 1) - gammaln(h - a + 1) - gammaln(b + 1) - gammaln(h - b + 1)
    N = w * w
    # bonds i -> j (+1 in a, +1 in b), with count forward (h - k), backward (k + 1)
    src, dst, cf, cb, mx, my = [], [], [], [], [], []
    for da, db in ((1, 0), (0, 1)):
        ok = (a + da <= h) & (b + db <= h)
        i = np.nonzero(ok)[0]
        j = (a[i] + da) * w + (b[i] + db)
        k = a[i] if da else b[i]
        src.append(i); dst.append(j)
        cf.append((h - k).astype(float)); cb.append((k + 1).astype(float))
        mx.append(0.5 * (x[i] + x[j])); my.append(0.5 * (y[i] + y[j]))
    src = np.concatenate(src); dst = np.concatenate(dst)
    cf = np.concatenate(cf); cb = np.concatenate(cb)
    my = np.concatenate(my)
    dPhi = Phi[src] - Phi[dst]

    def L_at(T):
        B = np.exp(-3.0 * my * my / T)
        kf = cf * B * np.exp(dPhi / (2 * T))   # src -> dst
        kb = cb * B * np.exp(-dPhi / (2 * T))  # dst -> src
        out = np.zeros(N)
        np.add.at(out, src, kf)
        np.add.at(out, dst, kb)
        rows = np.concatenate([dst, src, np.arange(N)])
        cols = np.concatenate([src, dst, np.arange(N)])
        vals = np.concatenate([kf, kb, -out])
        return sp.csc_matrix((vals, (rows, cols)), shape=(N, N))

    lq = lnW - Phi / th
    q0 = np.exp(lq - lq.max())
    q0 /= q0.sum()
    atol = rtol * 1e-4 / N
    res = []
    t_all = time.perf_counter()
    for q in rates:
        t0 = time.perf_counter()
        tc = (th - tl) / q
        Tfun = [lambda t: th - q * t, lambda t: tl + q * (t - tc)]
        spans = [(0.0, tc), (tc, 2 * tc)]
        y = q0.copy()
        mp = []
        for leg in range(2):
            T_of = Tfun[leg]
            te = np.linspace(spans[leg][0], spans[leg][1], npts)
            sol = solve_ivp(lambda t, v: L_at(T_of(t)) @ v, spans[leg], y, method="BDF",
                            jac=lambda t, v: L_at(T_of(t)), t_eval=te, rtol=rtol, atol=atol)
            if not sol.success:
                raise SystemExit("solve_ivp: " + sol.message)
            m = (Phi @ sol.y) / D
            mp.extend(m.tolist() if leg == 0 else m[1:].tolist())
            y = sol.y[:, -1]
        res.append({"rate": q, "seconds": time.perf_counter() - t0, "mean_phi": mp})
    print(json.dumps({"seconds": time.perf_counter() - t_all, "rates": res}))


if __name__ == "__main__":
    main()
