#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/kmc_peer.py -- the peer of bench/kmc.sh: a plain NumPy Gillespie
loop on the class lattice of eq 5.6 (the paper's phi, B = 1), as a user
would write it: the rate table of the four moves per class built with NumPy
in logs, the event loop in Python over lists (the fastest plain-Python
access), random numbers drawn in blocks.  Prints events/s of the loop.

usage: kmc_peer.py D BETA EVENTS SEED N N1   (the start class, e.g. the one
       hyperland kmc --from liquid starts from)
"""
import sys
import time

import numpy as np


def phi(x, y):
    u = x - y + 0.2
    return x + y - u ** 2 + 0.38 * u ** 3


def main():
    D, beta, nev, seed = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    n0, n10 = int(sys.argv[5]), int(sys.argv[6])
    h = D // 2
    a = np.arange(h + 1)[:, None] * np.ones((1, h + 1))
    b = np.ones((h + 1, 1)) * np.arange(h + 1)[None, :]
    x, y = (a + b) / h - 1, (a - b) / h
    Phi = D * phi(x, y)
    t0 = time.perf_counter()
    # rates of eq 5.2: count * exp(-beta (Phi_j - Phi_i) / 2), moves a+1, a-1, b+1, b-1
    R = np.zeros((h + 1, h + 1, 4))
    R[:-1, :, 0] = (h - a[:-1]) * np.exp(-0.5 * beta * (Phi[1:] - Phi[:-1]))
    R[1:, :, 1] = a[1:] * np.exp(-0.5 * beta * (Phi[:-1] - Phi[1:]))
    R[:, :-1, 2] = (h - b[:, :-1]) * np.exp(-0.5 * beta * (Phi[:, 1:] - Phi[:, :-1]))
    R[:, 1:, 3] = b[:, 1:] * np.exp(-0.5 * beta * (Phi[:, :-1] - Phi[:, 1:]))
    C = np.cumsum(R, axis=2)
    tot = C[:, :, 3].tolist()
    Cl = C.tolist()
    ia, ib = n10, n0 - n10
    rng = np.random.default_rng(seed)
    t = 0.0
    done = 0
    t1 = time.perf_counter()
    while done < nev:
        m = min(1 << 16, nev - done)
        E = rng.standard_exponential(m).tolist()
        U = rng.random(m).tolist()
        for i in range(m):
            c = Cl[ia][ib]
            T = tot[ia][ib]
            t += E[i] / T
            u = U[i] * T
            if u < c[0]:
                ia += 1
            elif u < c[1]:
                ia -= 1
            elif u < c[2]:
                ib += 1
            else:
                ib -= 1
        done += m
    t2 = time.perf_counter()
    print("peer D=%d beta=%g events=%d loop_s=%.3f setup_s=%.3f events_per_s=%.4g t_end=%.6g "
          "n=%d n1=%d" % (D, beta, nev, t2 - t1, t1 - t0, nev / (t2 - t1), t, ia + ib, ia))


if __name__ == "__main__":
    main()
