#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/hypercube_kmc_peer.py -- the full-hypercube KMC with per-spin
log-normal factors written as a NumPy user would: per event, every one of
the D flip rates f_i B exp(-beta (Phi' - Phi) / 2), their cumulative sum,
a search for the event, an exponential waiting time.

usage: hypercube_kmc_peer.py D BETA EVENTS SEED W1 W2
prints: RESULT events=N wall_s=S (CPU seconds of the loop) events_per_s=R t=T a=A b=B
"""
import sys
import time

import numpy as np


def phi(x, y):  # the paper's eq 4.11
    u = x - y + 0.2
    return x + y - u * u + 0.38 * u ** 3


def main():
    D, beta, nev, seed = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    w1, w2 = float(sys.argv[5]), float(sys.argv[6])
    h = D // 2
    rng = np.random.default_rng(seed)
    w = np.where(np.arange(D) < h, w1, w2)
    f = np.exp(w * rng.standard_normal(D) - 0.5 * w * w)
    sigma = np.full(D, -1, dtype=np.int64)  # start: class (D/4, D/4)
    sigma[rng.choice(h, h // 2, replace=False)] = 1
    sigma[h + rng.choice(h, h // 2, replace=False)] = 1
    first = np.arange(D) < h
    t = 0.0
    t0 = time.process_time()
    for _ in range(nev):
        a = int(np.count_nonzero(sigma[:h] == 1))
        b = int(np.count_nonzero(sigma[h:] == 1))
        x, y = (a + b) / h - 1.0, (a - b) / h
        p0 = phi(x, y)
        # the class after flipping spin i: a +- 1 (first half) or b +- 1
        da = np.where(first, -sigma, 0)
        db = np.where(first, 0, -sigma)
        xn = (a + da + b + db) / h - 1.0
        yn = (a + da - b - db) / h
        rates = f * np.exp(-0.5 * beta * D * (phi(xn, yn) - p0))
        c = np.cumsum(rates)
        total = c[-1]
        t += rng.exponential(1.0 / total)
        i = int(np.searchsorted(c, rng.random() * total, side="right"))
        sigma[min(i, D - 1)] *= -1
    wall = time.process_time() - t0
    a = int(np.count_nonzero(sigma[:h] == 1))
    b = int(np.count_nonzero(sigma[h:] == 1))
    print(f"RESULT events={nev} wall_s={wall:.4f} events_per_s={nev / wall:.4g} t={t:.6g} a={a} b={b}")


if __name__ == "__main__":
    main()
