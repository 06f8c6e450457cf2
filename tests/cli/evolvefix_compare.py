# SPDX-License-Identifier: GPL-3.0-or-later
"""The comparison shared by evolvefix_test.sh's reference scripts: every
point's <m_i> and <phi> within tol (default 1e-9) of the reference, and the basins'
populations summing to 1 within their flagged bounds."""


def compare(points, refs, what, tol=1e-9):
    """points: the JSON points with t > 0; refs: [<m_1>, ..., <m_K>, <phi>] per point;
    tol: the largest difference allowed in <m_i> and <phi>."""
    worst = 0
    for p, ref in zip(points, refs):
        got = p["mean_m"] + [p["mean_phi"]]
        for a, b in zip(got, ref):
            worst = max(worst, abs(a - b))
            assert abs(a - b) < tol, (p["t"], got, ref)
        # flagged populations are null, below their probability_bound
        known = sum(b["probability"] for b in p["basins"] if b["probability"] is not None)
        bound = sum(b.get("probability_bound", 0) for b in p["basins"])
        assert -1e-12 <= 1 - known <= bound + 1e-12, (p["t"], known, bound)
    print("worst |hyperland - %s| over <m_i>, <phi>: %.2g" % (what, worst))


def one_block_chain(D, beta, en, n0, times, dps=40):
    """One block of D spins (m = 2n/D - 1, W = C(D, n)) with phi values en[n]
    (mpmath numbers) at inverse temperature beta: the class master equation
    of eq 5.2 solved by a dps-digit eigendecomposition of its symmetrised
    generator, from class n0.  Returns (pi, P, basin): the equilibrium, P(t)
    for each of times (lists of mpf), and each class's basin (the class at
    the top of its steepest ascent of ln pi)."""
    import mpmath as mp
    mp.mp.dps = dps
    beta = mp.mpf(beta)
    lpi = [mp.log(mp.binomial(D, n)) - beta * D * en[n] for n in range(D + 1)]
    top = max(lpi)
    pi = [mp.exp(x - top) for x in lpi]
    z = mp.fsum(pi)
    pi = [p / z for p in pi]
    S = mp.zeros(D + 1, D + 1)
    for n in range(D + 1):
        for j, c in ((n + 1, D - n), (n - 1, n)):
            if 0 <= j <= D:  # eq 5.2: c exp(-beta D dphi / 2), symmetrised
                k = c * mp.exp(-beta * D * (en[j] - en[n]) / 2)
                S[n, n] -= k
                S[j, n] += k * mp.sqrt(pi[n] / pi[j]) / 2
                S[n, j] += k * mp.sqrt(pi[n] / pi[j]) / 2
    E, V = mp.eigsy(S)
    E = [E[k] for k in range(D + 1)]
    E[max(range(D + 1), key=lambda k: E[k])] = mp.mpf(0)
    c = [V[n0, k] / mp.sqrt(pi[n0]) for k in range(D + 1)]
    P = [[mp.sqrt(pi[i]) * mp.fsum(V[i, k] * c[k] * mp.exp(E[k] * mp.mpf(t))
                                   for k in range(D + 1)) for i in range(D + 1)]
         for t in times]
    basin = []
    for n in range(D + 1):
        a = n
        while True:
            b = max((j for j in (a - 1, a, a + 1) if 0 <= j <= D), key=lambda j: lpi[j])
            if b == a:
                break
            a = b
        basin.append(a)
    return pi, P, basin
