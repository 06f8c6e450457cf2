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
