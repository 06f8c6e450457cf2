#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""SciPy peer of `hyperland mfpt --phi`: the mean first-passage time on the
class lattice of eq 5.6 (rates of eq 5.2, B = 1), written the way a user
would: the sparse generator, the basins by steepest ascent of ln Q_eq, the
target basin absorbing, and scipy.sparse.linalg.spsolve on Q_AA tau = -1.

usage: passage_peer.py D beta n n1    (the start class, as hyperland reports it)
prints: RESULT D=.. wall_s=.. ln_mfpt=.. target_classes=..
"""
import sys
import time

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve
from scipy.special import gammaln


def phi(x, y):
    u = x - y + 0.2
    return x + y - u ** 2 + 0.38 * u ** 3 + 0.1 * x * y


def lnbinom(N, k):
    return gammaln(N + 1.0) - gammaln(k + 1.0) - gammaln(N - k + 1.0)


def main():
    D, beta, n, n_1 = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    t0 = time.perf_counter()
    h = D // 2
    a, b = np.meshgrid(np.arange(h + 1), np.arange(h + 1), indexing='ij')  # a = n1, b = n - n1
    x = (a + b) / h - 1.0
    y = (a - b) / h
    Phi = D * phi(x, y)
    lnQ = lnbinom(h, a) + lnbinom(h, b) - beta * Phi
    idx = np.arange((h + 1) ** 2).reshape(h + 1, h + 1)
    rows, cols, vals = [], [], []
    out = np.zeros((h + 1, h + 1))
    for ax, step in ((0, 1), (0, -1), (1, 1), (1, -1)):
        src = [slice(None), slice(None)]
        dst = [slice(None), slice(None)]
        if step == 1:
            src[ax], dst[ax] = slice(0, h), slice(1, h + 1)
        else:
            src[ax], dst[ax] = slice(1, h + 1), slice(0, h)
        src, dst = tuple(src), tuple(dst)
        k = (a if ax == 0 else b)[src]
        cnt = (h - k) if step == 1 else k
        rate = cnt * np.exp(-0.5 * beta * (Phi[dst] - Phi[src]))
        out[src] += rate
        rows.append(idx[src].ravel())
        cols.append(idx[dst].ravel())
        vals.append(rate.ravel())
    N = (h + 1) ** 2
    Q = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(N, N)) - sparse.diags(out.ravel())
    # basins: steepest ascent of ln Q_eq to a local maximum (pointer jumping)
    lq = np.pad(lnQ, 1, constant_values=-np.inf)
    cand = np.stack([lq[1:-1, 1:-1], lq[2:, 1:-1], lq[:-2, 1:-1], lq[1:-1, 2:], lq[1:-1, :-2]])
    moves = np.array([0, h + 1, -(h + 1), 1, -1])
    nxt = idx.ravel() + moves[np.argmax(cand, axis=0).ravel()]
    while True:
        n2 = nxt[nxt]
        if np.array_equal(n2, nxt):
            break
        nxt = n2
    start = n_1 * (h + 1) + (n - n_1)
    target = nxt != nxt[start]
    free = ~target
    tau = spsolve(Q[free][:, free].tocsc(), -np.ones(free.sum()))
    pos = np.cumsum(free) - 1
    T = tau[pos[start]]
    wall = time.perf_counter() - t0
    ln_mfpt = float(np.log(T)) if T > 0 and np.isfinite(T) else float('nan')
    print("RESULT D=%d wall_s=%.3f ln_mfpt=%.15g target_classes=%d" % (D, wall, ln_mfpt, target.sum()))


main()
