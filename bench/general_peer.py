#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""general_peer.py -- the SciPy peer for `hyperland spectrum --phi FORMULA`: what a
user would write from the paper for their own potential.  The contracted master
equation of eq 5.6 on the (D/2+1)^2 class lattice (n1, m = n - n1), rates of
eq 5.2 with B = 1, symmetrised (Pi^{-1/2} L Pi^{1/2}), and the K slowest rates
(0 included) by scipy.sparse.linalg.eigsh in shift-invert mode about
sigma = -0.5 (SuperLU), as ../shared/peer/peer.py `rates` does for the paper's
phi.

usage: /usr/bin/python3 general_peer.py D BETA 'PHI' [K=10]

PHI is a formula in x and y as hyperland takes it (^ is the power).  Prints
"RESULT task=general-rates size=D wall_s=..." (the computation proper, without
interpreter start-up and imports) and the rates.
"""
import sys
import time

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import eigsh
from scipy.special import gammaln


def lnbinom(N, k):
    return gammaln(N + 1.0) - gammaln(k + 1.0) - gammaln(N - k + 1.0)


def phi_function(formula):
    expr = formula.replace('^', '**')
    env = {name: getattr(np, name) for name in ('sin', 'cos', 'tan', 'exp', 'log', 'sqrt',
                                                'tanh', 'sinh', 'cosh', 'abs')}
    return lambda x, y: eval(expr, {'__builtins__': {}}, dict(env, x=x, y=y))


def generator(D, beta, phi):
    """-S, the symmetrised generator with the sign that makes it positive semidefinite."""
    h = D // 2
    n1, m = np.meshgrid(np.arange(h + 1), np.arange(h + 1), indexing='ij')
    x = (n1 + m) / h - 1.0
    y = (n1 - m) / h
    lnpi = lnbinom(h, n1) + lnbinom(h, m) - beta * D * phi(x, y)
    idx = np.arange((h + 1) ** 2).reshape(h + 1, h + 1)
    rows, cols, vals = [], [], []
    out = np.zeros((h + 1, h + 1))
    for ax in (0, 1):
        lo = (slice(0, h), slice(None)) if ax == 0 else (slice(None), slice(0, h))
        hi = (slice(1, h + 1), slice(None)) if ax == 0 else (slice(None), slice(1, h + 1))
        k = (n1 if ax == 0 else m)[lo]
        half = 0.5 * (lnpi[hi] - lnpi[lo])
        # k(lo -> hi) = (h - k) exp(-beta D dphi / 2) etc., written with ln pi:
        # the conductance sqrt(k_up k_down) = sqrt((h - k)(k + 1))
        c = np.sqrt((h - k) * (k + 1.0))
        dphi = phi(x[hi], y[hi]) - phi(x[lo], y[lo])
        up = (h - k) * np.exp(-0.5 * beta * D * dphi)
        down = (k + 1.0) * np.exp(0.5 * beta * D * dphi)
        out[lo] += up
        out[hi] += down
        rows += [idx[lo].ravel(), idx[hi].ravel()]
        cols += [idx[hi].ravel(), idx[lo].ravel()]
        vals += [-c.ravel(), -c.ravel()]
        del half
    N = (h + 1) ** 2
    A = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(N, N))
    return (A + sparse.diags(out.ravel())).tocsc()


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        sys.exit(2)
    D, beta, formula = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    K = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    phi = phi_function(formula)
    t0 = time.perf_counter()
    A = generator(D, beta, phi)
    vals = np.sort(eigsh(A, k=K, sigma=-0.5, which='LM', return_eigenvectors=False,
                         tol=1e-12))
    wall = time.perf_counter() - t0
    print('RESULT task=general-rates size=%d wall_s=%.3f' % (D, wall))
    print('rates: ' + ' '.join('%.15g' % v for v in vals))


if __name__ == '__main__':
    main()
