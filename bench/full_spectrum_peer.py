#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/full_spectrum_peer.py D BETA K -- the NumPy/SciPy peer of
`hyperland spectrum --dim D --beta BETA --full --count K` (paper's phi, B = 1),
written as a careful user would without hyperland: the 2^D x 2^D generator of
the full hypercube built directly (vectorised), symmetrised, and the K slowest
rates (K smallest eigenvalues of -S) from ARPACK (eigsh, which='SA', K + 8
eigenvalues so that repeated rates keep all their copies). Shift-invert
(sigma = -1e-3, mode "shift-invert") is the textbook choice but SuperLU's
fill-in on the hypercube makes it 10 s at D = 12 and > 300 s (2 GB) at D = 14.

Vertex v = bitmask of D spins (bit set = +1); bits 0 .. D/2-1 are the first
half. n = number of +1 spins, n1 = those in the first half, x = 2n/D - 1,
y = (4 n1 - 2 n)/D, phi = x + y - (x - y + 0.2)^2 + 0.38 (x - y + 0.2)^3
(eq 4.11), Phi = D phi. Rates (eq 5.2, B = 1): L(j -> i) = exp(beta (Phi_j -
Phi_i)/2) for single spin flips, pi_i ~ exp(-beta Phi_i). The symmetrised
S = Pi^-1/2 L Pi^1/2 has S_ij = L(j -> i) sqrt(pi_j / pi_i) = 1 off the
diagonal and S_jj = -sum_i L(j -> i).

Prints the K rates (ascending) and `RESULT wall_s=...` (construction + eigsh;
imports not timed)."""
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as sla


def build(D, beta):
    N = 1 << D
    h = D // 2
    v = np.arange(N, dtype=np.int64)
    bits = (v[:, None] >> np.arange(D, dtype=np.int64)) & 1      # N x D
    n = bits.sum(axis=1)
    n1 = bits[:, :h].sum(axis=1)
    x = 2.0 * n / D - 1.0
    y = (4.0 * n1 - 2.0 * n) / D
    d = x - y + 0.2
    Phi = D * (x + y - d * d + 0.38 * d ** 3)
    nb = v[:, None] ^ (np.int64(1) << np.arange(D, dtype=np.int64))  # N x D neighbours
    # exit rate of j: sum over its D neighbours i of exp(beta (Phi_j - Phi_i)/2)
    diag = np.exp(0.5 * beta * (Phi[:, None] - Phi[nb])).sum(axis=1)
    rows = np.repeat(v, D)
    cols = nb.ravel()
    off = sp.csr_matrix((np.full(N * D, -1.0), (rows, cols)), shape=(N, N))
    return (off + sp.diags(diag)).tocsc()                           # -S


def main():
    D, beta, K = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    mode = sys.argv[4] if len(sys.argv) > 4 else "SA"
    t0 = time.perf_counter()
    A = build(D, beta)
    if mode == "dense":
        w = np.linalg.eigvalsh(A.toarray())[:K]
    elif mode == "SA":
        # Lanczos finds the copies of a repeated eigenvalue only through
        # round-off: with k = K it missed one of the 8 copies of 3.1117 at
        # D = 18, so ask for 8 more and keep the K smallest.
        kk = min(K + 8, A.shape[0] - 2)
        w = sla.eigsh(A, k=kk, which="SA", tol=0, ncv=min(4 * kk, A.shape[0] - 1))[0]
    else:
        w = sla.eigsh(A, k=K, sigma=-1e-3, which="LM", tol=0)[0]
    w = np.sort(w)[:K]
    wall = time.perf_counter() - t0
    print("rates " + " ".join(repr(float(r)) for r in w))
    print("RESULT D=%d beta=%g K=%d mode=%s states=%d wall_s=%.4f" % (D, beta, K, mode, A.shape[0], wall))


if __name__ == "__main__":
    main()
