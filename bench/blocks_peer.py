#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""blocks_peer.py -- the SciPy peer for `hyperland exact --blocks` and
`hyperland spectrum --blocks`: what a user would write for the model of k equal
blocks.  The classes n = (n_1 .. n_k), ln W = sum ln C(D/k, n_i), phi a formula in
m1 .. mk (^ is the power), m_i = 2 n_i / (D/k) - 1.

  blocks_peer.py exact K D BETA 'PHI'      ln Z / D, <phi> by numpy logsumexp
  blocks_peer.py rates K D BETA 'PHI' [N]  the N slowest rates (0 included) of
      the symmetrised master equation on the class lattice (rates of eq 5.2,
      B = 1) by scipy.sparse.linalg.eigsh in shift-invert mode about
      sigma = -0.5 (SuperLU), as bench/general_peer.py does for two blocks.

Prints "RESULT task=... wall_s=..." (the computation proper, without start-up
and imports) and the values.
"""
import sys
import time

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import eigsh
from scipy.special import gammaln, logsumexp


def lattice(k, D, formula):
    h = D // k
    grids = np.meshgrid(*[np.arange(h + 1, dtype=float)] * k, indexing="ij")
    n = [g.ravel() for g in grids]
    m = [2.0 * x / h - 1.0 for x in n]
    env = {"m%d" % (i + 1): m[i] for i in range(k)}
    env.update({"exp": np.exp, "sin": np.sin, "cos": np.cos, "log": np.log, "sqrt": np.sqrt})
    phi = eval(formula.replace("^", "**"), {"__builtins__": {}}, env) * np.ones_like(m[0])
    lnw = sum(gammaln(h + 1.0) - gammaln(x + 1.0) - gammaln(h - x + 1.0) for x in n)
    return h, n, phi, lnw


def exact(k, D, beta, formula):
    t0 = time.perf_counter()
    h, n, phi, lnw = lattice(k, D, formula)
    lq = lnw - beta * D * phi
    lnz = logsumexp(lq)
    mean_phi = float(np.sum(np.exp(lq - lnz) * phi))
    wall = time.perf_counter() - t0
    print("RESULT task=blocks-exact k=%d size=%d classes=%d wall_s=%.3f" % (k, D, lq.size, wall))
    print("lnZ_per_dim %.15g mean_phi %.15g" % (lnz / D, mean_phi))


def rates(k, D, beta, formula, nrates):
    t0 = time.perf_counter()
    h, n, phi, lnw = lattice(k, D, formula)
    N = phi.size
    stride = [(h + 1) ** (k - 1 - i) for i in range(k)]
    rows, cols, vals = [], [], []
    diag = np.zeros(N)
    idx = np.arange(N)
    for i in range(k):
        up = n[i] < h
        a = idx[up]
        b = a + stride[i]
        ni = n[i][up]
        dphi = phi[b] - phi[a]
        kf = (h - ni) * np.exp(-0.5 * beta * D * dphi)    # a -> b
        kb = (ni + 1) * np.exp(0.5 * beta * D * dphi)     # b -> a
        off = np.sqrt((h - ni) * (ni + 1.0))              # symmetrised, B = 1
        rows += [a, b]
        cols += [b, a]
        vals += [off, off]
        np.add.at(diag, a, kf)
        np.add.at(diag, b, kb)
    rows.append(idx)
    cols.append(idx)
    vals.append(-diag)
    S = sparse.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(N, N))
    ev = eigsh(-S, k=nrates, sigma=-0.5, which="LM", return_eigenvectors=False)
    ev = np.sort(ev)
    wall = time.perf_counter() - t0
    print("RESULT task=blocks-rates k=%d size=%d classes=%d wall_s=%.3f" % (k, D, N, wall))
    print("rates " + " ".join("%.12g" % x for x in ev))


if __name__ == "__main__":
    task, k, D, beta, formula = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    if task == "exact":
        exact(k, D, beta, formula)
    else:
        rates(k, D, beta, formula, int(sys.argv[6]) if len(sys.argv) > 6 else 10)
