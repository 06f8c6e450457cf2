#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""SciPy peer of `hyperland network --json` (bench/network.sh): what a
careful user writes with NumPy/SciPy on a PATHSAMPLE database.

  - rates of the ktn README in logs, then exponentiated into a sparse rate
    matrix K (several transition states per pair add; a == b dropped);
  - the network: the connected component (scipy.sparse.csgraph) of the
    lowest-energy minimum of A, or of the global minimum;
  - MFPT from every minimum to a target (the other minima free): the sparse
    linear system (diag(K 1) - K)_FF tau = 1 by SuperLU (spsolve);
    committor q (B before A) the same way; then, with rho = local
    equilibrium in the source, mfpt = rho.tau, k_NSS = rho.(1/tau),
    k_F = 1/mfpt, k_SS = sum_{s in source, j} pi_s K_sj q_j / P_source;
  - the slowest relaxation rates: eigenvalues of the symmetrised generator
    D^{1/2} L D^{-1/2} (symmetric), dense numpy.linalg.eigvalsh up to 2500
    minima, scipy.sparse.linalg.eigsh shift-invert about 0 above.

usage: network_peer.py MIN TS T COUNT [A B]   (A, B: min.A / min.B files)
prints one JSON object: times of the parts, passage, rates.
"""
import json
import math
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csg
import scipy.sparse.linalg as sla


def read_set(path):
    tok = open(path).read().split()
    return np.array([int(t) for t in tok[1:1 + int(tok[0])]]) - 1


def main():
    t0 = time.perf_counter()
    min_path, ts_path, T, count = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    sets = [read_set(p) for p in sys.argv[5:7]] if len(sys.argv) > 6 else None
    mins = np.loadtxt(min_path, ndmin=2)
    ts = np.loadtxt(ts_path, ndmin=2)
    E, F, o = mins[:, 0], mins[:, 1], mins[:, 2]
    a, b = ts[:, 3].astype(int) - 1, ts[:, 4].astype(int) - 1
    keep = a != b
    Es, Fs, os_, a, b = ts[keep, 0], ts[keep, 1], ts[keep, 2], a[keep], b[keep]
    n = len(E)
    t_read = time.perf_counter() - t0
    # the README's rates, in logs, then exponentiated
    lab = np.log(o[a] / (2 * np.pi * os_)) + (F[a] - Fs) / 2 - (Es - E[a]) / T
    lba = np.log(o[b] / (2 * np.pi * os_)) + (F[b] - Fs) / 2 - (Es - E[b]) / T
    K = sp.coo_matrix((np.concatenate([np.exp(lab), np.exp(lba)]),
                       (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n)).tocsr()
    K.sum_duplicates()
    _, lab_c = csg.connected_components(sp.coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n)),
                                        directed=False)
    root = (sets[0][np.argmin(E[sets[0]])] if sets is not None else int(np.argmin(E)))
    net = np.flatnonzero(lab_c == lab_c[root])
    K = K[net][:, net].tocsr()
    m = len(net)
    lpi = -E[net] / T - F[net] / 2 - np.log(o[net])
    lpi -= lpi.max()
    pi = np.exp(lpi)
    pi /= pi.sum()
    out = np.asarray(K.sum(axis=1)).ravel()
    t_build = time.perf_counter() - t0 - t_read
    res = {"network_minima": m}
    if sets is not None:
        idx = {g: i for i, g in enumerate(net)}
        A = np.array([idx[i] for i in sets[0] if i in idx])
        B = np.array([idx[i] for i in sets[1] if i in idx])
        Dm = sp.diags(out) - K

        def solve_free(absorbing, rhs):
            free = np.setdiff1d(np.arange(m), absorbing)
            x = np.zeros(m)
            x[free] = sla.spsolve(Dm[free][:, free].tocsc(), rhs(free))
            return x

        # committor towards B: (D - K)_FF q = K_FB 1
        inB = np.zeros(m)
        inB[B] = 1
        q = solve_free(np.concatenate([A, B]), lambda f: (K[f] @ inB))
        q[B] = 1
        passage = []
        for src, tgt, qt, name in ((B, A, 1 - q, "B->A"), (A, B, q, "A->B")):
            tau = solve_free(tgt, lambda f: np.ones(len(f)))
            rho = pi[src] / pi[src].sum()
            mfpt = rho @ tau[src]
            knss = rho @ (1 / tau[src])
            notsrc = np.ones(m)
            notsrc[src] = 0
            J = sum(pi[s] * (K[s].multiply(qt * notsrc)).sum() for s in src)
            passage.append({"dir": name, "mfpt": mfpt, "k_f": 1 / mfpt, "k_nss": knss,
                            "k_ss": J / pi[src].sum()})
        res["passage"] = passage
    t_pass = time.perf_counter() - t0 - t_read - t_build
    # the symmetrised generator S = D^{1/2} L D^{-1/2}: S_ab = sqrt(pi_a/pi_b) K_ba ...
    sq = np.sqrt(pi)
    Kc = K.tocoo()
    vals = Kc.data * np.sqrt(pi[Kc.row] / pi[Kc.col])  # = sqrt(pi_a pi_b) K_ab / pi_b: symmetric
    S = sp.coo_matrix((vals, (Kc.row, Kc.col)), shape=(m, m)).tocsr()
    S = (S + S.T) / 2 - sp.diags(out)
    if m <= 2500:
        ev = np.linalg.eigvalsh(S.toarray())
        rates = sorted(-ev)[:count]
        rmeth = "numpy eigvalsh (dense)"
    else:
        ev = sla.eigsh(S.tocsc(), k=count, sigma=1e-30, which="LM", return_eigenvectors=False)
        rates = sorted(-ev)[:count]
        rmeth = "scipy eigsh shift-invert"
    del sq
    res["rates"] = [float(r) for r in rates]
    res["rates_method"] = rmeth
    t_rates = time.perf_counter() - t0 - t_read - t_build - t_pass
    res["times"] = {"read": t_read, "build": t_build, "passage": t_pass, "rates": t_rates,
                    "total": time.perf_counter() - t0}
    print(json.dumps(res, default=lambda v: float(v) if np.isfinite(v) else str(v)))


if __name__ == "__main__":
    main()
