#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""SciPy peer of `hyperland scan --db` (bench/scandb.sh): what a user writes
with NumPy/SciPy for the same calorimetry scan of a PATHSAMPLE network.

  - min.data (E F o ...), ts.data (E F o a b ...); the network is the
    connected component of the global minimum (lowest E), a == b dropped;
  - harmonic transition-state rates (PATHSAMPLE / PyGT io.load_ktn):
    ln k(a -> b via s) = ln(o_a / (2 pi o_s)) + (F_a - F_s)/2 - (E_s - E_a)/T,
    several transition states between a pair add;
  - start: the equilibrium at T_high, p ~ exp(-E/T - F/2 - ln o), in logs;
  - dp/dt = K(T(t)) p with T(t) linear, cooling to T_low in t_c =
    (T_high - T_low)/q and heating back: scipy.integrate.solve_ivp(
    method="BDF") with the exact sparse Jacobian K(T(t)) (a callable
    returning a CSC matrix), one call per leg, outputs at t_eval (N points
    per leg, evenly spaced in T), rtol as given, atol = rtol 1e-4 / states
    (hyperland's choice);
  - <E>(t) = sum p E at the outputs.

usage: scandb_peer.py DIR T_HIGH T_LOW N RTOL Q1,Q2,...
prints one JSON object: {"seconds": total, "rates": [{"rate", "seconds",
"mean_E": [...]}]}
"""
import json
import math
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.integrate import solve_ivp
from scipy.sparse.csgraph import connected_components


def main():
    db = sys.argv[1]
    th, tl = float(sys.argv[2]), float(sys.argv[3])
    npts = int(sys.argv[4])
    rtol = float(sys.argv[5])
    rates = [float(v) for v in sys.argv[6].split(",")]
    t_all = time.perf_counter()
    mn = np.loadtxt(db + "/min.data", ndmin=2)
    ts = np.loadtxt(db + "/ts.data", ndmin=2)
    E, F, o = mn[:, 0], mn[:, 1], mn[:, 2]
    Es, Fs, os_ = ts[:, 0], ts[:, 1], ts[:, 2]
    a, b = ts[:, 3].astype(int) - 1, ts[:, 4].astype(int) - 1
    keep = a != b
    Es, Fs, os_, a, b = Es[keep], Fs[keep], os_[keep], a[keep], b[keep]
    n = len(E)
    g = sp.coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, lab = connected_components(g, directed=False)
    root = int(np.argmin(E))
    net = np.flatnonzero(lab == lab[root])
    idx = -np.ones(n, dtype=int)
    idx[net] = np.arange(len(net))
    sel = (idx[a] >= 0) & (idx[b] >= 0)
    Es, Fs, os_, ia, ib = Es[sel], Fs[sel], os_[sel], idx[a[sel]], idx[b[sel]]
    E, F, o = E[net], F[net], o[net]
    m = len(net)
    # both directions of every transition state
    src = np.concatenate([ia, ib])
    dst = np.concatenate([ib, ia])
    Ets = np.concatenate([Es, Es])
    pre = np.log(o[src] / (2 * math.pi * np.concatenate([os_, os_]))) + \
        (F[src] - np.concatenate([Fs, Fs])) / 2
    dEb = Ets - E[src]

    def K(T):
        k = np.exp(pre - dEb / T)
        off = sp.csc_matrix((k, (dst, src)), shape=(m, m))
        out = np.asarray(off.sum(axis=0)).ravel()
        return (off - sp.diags(out)).tocsc()

    lw = -E / th - F / 2 - np.log(o)
    p0 = np.exp(lw - lw.max())
    p0 /= p0.sum()
    out = {"rates": []}
    for q in rates:
        t0 = time.perf_counter()
        tc = (th - tl) / q
        cool = lambda t: th - q * t
        heat = lambda t: tl + q * (t - tc)
        tev1 = tc * np.arange(npts) / (npts - 1)
        tev2 = tc + tc * np.arange(npts) / (npts - 1)
        atol = rtol * 1e-4 / m
        r1 = solve_ivp(lambda t, p: K(cool(t)) @ p, (0, tc), p0, method="BDF",
                       t_eval=tev1, rtol=rtol, atol=atol, jac=lambda t, p: K(cool(t)))
        r2 = solve_ivp(lambda t, p: K(heat(t)) @ p, (tc, 2 * tc), r1.y[:, -1], method="BDF",
                       t_eval=tev2, rtol=rtol, atol=atol, jac=lambda t, p: K(heat(t)))
        if not (r1.success and r2.success):
            raise SystemExit("solve_ivp failed: %s %s" % (r1.message, r2.message))
        y = np.concatenate([r1.y, r2.y[:, 1:]], axis=1)
        meanE = (E[:, None] * y).sum(axis=0) / y.sum(axis=0)
        out["rates"].append({"rate": q, "seconds": time.perf_counter() - t0,
                             "mean_E": meanE.tolist()})
    out["seconds"] = time.perf_counter() - t_all
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
