#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""fp_peer.py -- NumPy/SciPy peer of bench/bench_fokker_planck.c (the
paper-phi rows): the Fokker-Planck equation (eq 5.9) of the Stillinger
hypercube model, written the way a careful user would write it without
hyperland.

Problem (as in src/kinetics/fokker_planck.c and docs/fokker_planck.md section 5):
  coordinates (s, d) = (x + y, x - y) on [-1, 1]^2, N x N cell-centred finite
  volumes, centres s_i = -1 + (i + 1/2) h, h = 2/N;
  U = D (w - beta phi) at the centres, w = H((1+s)/2)/2 + H((1+d)/2)/2,
  H(p) = -p ln p - (1-p) ln(1-p), phi = x + y - u^2 + 0.38 u^3, u = x - y + 0.2
  (eq 4.11);
  K = (4 B / D) sqrt(1 - f^2) at each face f (B = 1);
  Scharfetter-Gummel rates between neighbouring cells a -> b:
  (K/h^2) Bern(-(U_b - U_a)), Bern(z) = z / (e^z - 1); the generator L
  (dp/dt = L p, columns sum to 0).
  D = 100, beta = 0.773.

Tasks:
  spectrum  the 10 slowest relaxation rates (eigenvalues of -S, 0 included),
            S = Pi^{-1/2} L Pi^{1/2} built directly from the symmetric
            conductances c = (K/h^2) (z/2)/sinh(z/2); eigsh shift-invert
            around sigma = -1e-3.
  evolve    from the infinite-temperature state (p ~ exp(D w), normalised)
            to t = 10 with solve_ivp(BDF, sparse Jacobian L, rtol = 1e-8,
            atol = 1e-12 / N^2, hyperland's CVODE tolerances), then <x>,
            <y> and |sum p - 1| at t = 10.

Each task prints one line
  RESULT task=fp-spectrum N=... wall_s=... assemble_s=... solve_s=... rates=...
  RESULT task=fp-evolve N=... wall_s=... assemble_s=... solve_s=... mean_x=...
where wall_s = assemble_s + solve_s: assemble_s is building U and the sparse
matrix (and the start vector), solve_s is eigsh / solve_ivp (and the means).
Imports and interpreter start-up are not timed.

usage: fp_peer.py [-N 400] [spectrum|evolve|all]
"""
import argparse
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.integrate import solve_ivp
from scipy.sparse.linalg import eigsh
from scipy.special import entr

D = 100
BETA = 0.773
B = 1.0
T_END = 10.0
RTOL = 1e-8


def phi(x, y):
    u = x - y + 0.2
    return x + y - u * u + 0.38 * u ** 3


def H(p):
    return entr(p) + entr(1.0 - p)


def bern(z):
    """Bern(z) = z / (e^z - 1), with Bern(0) = 1."""
    z = np.asarray(z, dtype=float)
    out = np.ones_like(z)
    big = np.abs(z) > 1e-10
    with np.errstate(over="ignore"):
        out[big] = z[big] / np.expm1(z[big])
    small = ~big
    out[small] = 1.0 - 0.5 * z[small]
    return out


def sg_factor(z):
    """(z/2) / sinh(z/2) = sqrt(Bern(z) Bern(-z)), with value 1 at z = 0."""
    z = np.asarray(z, dtype=float)
    out = np.ones_like(z)
    a = 0.5 * z
    big = np.abs(a) > 1e-8
    with np.errstate(over="ignore"):
        out[big] = a[big] / np.sinh(a[big])
    return out


def grid(N):
    """Cell centres, U, and the edges (a, b, K/h^2) of the N x N grid.
    Cell (i, j) (s index i, d index j) is number i N + j."""
    h = 2.0 / N
    c = -1.0 + (np.arange(N) + 0.5) * h
    s, d = np.meshgrid(c, c, indexing="ij")
    x, y = 0.5 * (s + d), 0.5 * (s - d)
    Dw = D * (0.5 * H(0.5 * (1 + s)) + 0.5 * H(0.5 * (1 + d)))
    U = Dw - BETA * D * phi(x, y)
    f = -1.0 + np.arange(1, N) * h                # interior faces
    K = 4.0 * B / D * np.sqrt((1 - f) * (1 + f)) / h ** 2
    idx = np.arange(N * N).reshape(N, N)
    a = np.concatenate([idx[:-1, :].ravel(), idx[:, :-1].ravel()])
    b = np.concatenate([idx[1:, :].ravel(), idx[:, 1:].ravel()])
    g = np.concatenate([np.repeat(K, N), np.tile(K, N)])  # s-faces, d-faces
    return x.ravel(), y.ravel(), Dw.ravel(), U.ravel(), a, b, g


def generator(N, U, a, b, g):
    """L (CSC): L[b, a] = k(a -> b), L[a, a] = -sum_b k(a -> b)."""
    z = U[b] - U[a]
    k_ab = g * bern(-z)
    k_ba = g * bern(z)
    n = N * N
    out = np.bincount(a, k_ab, n) + np.bincount(b, k_ba, n)
    rows = np.concatenate([b, a, np.arange(n)])
    cols = np.concatenate([a, b, np.arange(n)])
    vals = np.concatenate([k_ab, k_ba, -out])
    return sp.csc_matrix((vals, (rows, cols)), shape=(n, n))


def symmetrised(N, U, a, b, g):
    """S = Pi^{-1/2} L Pi^{1/2}: S_ab = c_ab, S_aa = -sum of out-rates."""
    z = U[b] - U[a]
    c = g * sg_factor(z)
    n = N * N
    out = np.bincount(a, g * bern(-z), n) + np.bincount(b, g * bern(z), n)
    rows = np.concatenate([a, b, np.arange(n)])
    cols = np.concatenate([b, a, np.arange(n)])
    vals = np.concatenate([c, c, -out])
    return sp.csc_matrix((vals, (rows, cols)), shape=(n, n))


def task_spectrum(N, k=10):
    t0 = time.perf_counter()
    x, y, Dw, U, a, b, g = grid(N)
    S = symmetrised(N, U, a, b, g)
    t1 = time.perf_counter()
    vals = eigsh(-S, k=k, sigma=-1e-3, which="LM", return_eigenvectors=False)
    rates = np.sort(vals)
    t2 = time.perf_counter()
    print("RESULT task=fp-spectrum N=%d cells=%d wall_s=%.3f assemble_s=%.3f solve_s=%.3f "
          "rates=%s" % (N, N * N, t2 - t0, t1 - t0, t2 - t1,
                        ",".join("%.10g" % r for r in rates)), flush=True)


def task_evolve(N):
    t0 = time.perf_counter()
    x, y, Dw, U, a, b, g = grid(N)
    L = generator(N, U, a, b, g)
    p0 = np.exp(Dw - Dw.max())
    p0 /= p0.sum()
    t1 = time.perf_counter()
    sol = solve_ivp(lambda t, p: L @ p, (0.0, T_END), p0, method="BDF", jac=L,
                    t_eval=[T_END], rtol=RTOL, atol=RTOL * 1e-4 / (N * N))
    if not sol.success:
        print("RESULT task=fp-evolve N=%d error=\"%s\"" % (N, sol.message), flush=True)
        return 1
    p = sol.y[:, -1]
    mx, my, err = p @ x, p @ y, abs(p.sum() - 1.0)
    t2 = time.perf_counter()
    print("RESULT task=fp-evolve N=%d wall_s=%.3f assemble_s=%.3f solve_s=%.3f t=%g "
          "mean_x=%.10f mean_y=%.10f sum_error=%.2g min_p=%.2g nfev=%d njev=%d nlu=%d"
          % (N, t2 - t0, t1 - t0, t2 - t1, T_END, mx, my, err, p.min(), sol.nfev, sol.njev,
             sol.nlu), flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-N", type=int, default=400, help="cells per axis (default 400)")
    ap.add_argument("task", nargs="?", default="all", choices=["spectrum", "evolve", "all"])
    o = ap.parse_args()
    print("# fp_peer: python %s, numpy %s, scipy %s, D=%d beta=%g N=%d"
          % (sys.version.split()[0], np.__version__, scipy.__version__, D, BETA, o.N),
          flush=True)
    bad = 0
    if o.task in ("spectrum", "all"):
        task_spectrum(o.N)
    if o.task in ("evolve", "all"):
        bad |= task_evolve(o.N)
    return bad


if __name__ == "__main__":
    sys.exit(main())
