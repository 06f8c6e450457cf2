# SPDX-License-Identifier: GPL-3.0-or-later
"""pitchfork_ref.py -- an independent check of the ends of the branches of
maxima of f(m) = sum_i r_i h(m_i) - beta phi(m) (`phases --blocks K
--json`, "branch_ends"), with h(m) = ln 2 - (1+m)/2 ln(1+m) - (1-m)/2
ln(1-m), so grad f_i = -r_i atanh(m_i) - beta dphi/dm_i and Hess f =
diag(-r_i / (1 - m_i^2)) - beta Hess phi.  phi, its gradient and Hessian are
written out by hand below (not the program's formula code), and each end
is solved for with mpmath (30 digits) from the program's point:

  fold:       the full system grad f = 0, det(Hess f) = 0 in (m, beta);
  pitchfork / branch point: the branch through lies in a subspace fixed by
              a symmetry (a point m = E p), so its equations restricted to
              it, E^T grad f = 0, plus v^T Hess f v = 0 (or det = 0 on the
              invariant complement) with v the null direction the symmetry
              gives, form a regular system.

The 2-D `phases --json` (ends in x, y) is read as two equal blocks, m1 =
x + y, m2 = x - y; its phis (cases xy_*) are written in x, y and mapped.

usage: pitchfork_ref.py CASE JSON [BETA_TOL] -> prints one line per end
checked, exits non-zero on a mismatch (BETA_TOL: the largest error of beta
at a pitchfork or branch point, default 1e-10)."""
import json
import sys

import mpmath as mp

mp.mp.dps = 30


def cases():
    """name -> (k, phi gradient, phi Hessian)"""
    def g_a(m):
        s, d = m[0] + m[1], m[0] - m[1]
        return [-s - 0.6 * d, -s + 0.6 * d]

    def h_a(m):
        return [[-1.6, -0.4], [-0.4, -1.6]]

    def g_b(m):  # the paper's eq 4.11 for two blocks: m1 - (m2+0.2)^2 + 0.38 (m2+0.2)^3
        u = m[1] + mp.mpf("0.2")
        return [1, -2 * u + mp.mpf("1.14") * u ** 2]

    def h_b(m):
        u = m[1] + mp.mpf("0.2")
        return [[0, 0], [0, -2 + mp.mpf("2.28") * u]]

    def g_c(m, cub=0):  # s^2/2 - 0.6 sum m^2 (+ 0.3 sum m^3)
        s = sum(m)
        return [s - mp.mpf("1.2") * x + cub * mp.mpf("0.9") * x ** 2 for x in m]

    def h_c(m, cub=0):
        return [[1 + (-mp.mpf("1.2") + cub * mp.mpf("1.8") * m[i] if i == j else 0)
                 for j in range(3)] for i in range(3)]

    def g_e(m):  # -(m1+m2+m3)^2/3 + 0.2 m1 m2 m3
        s = sum(m)
        return [-2 * s / 3 + mp.mpf("0.2") * m[1] * m[2],
                -2 * s / 3 + mp.mpf("0.2") * m[0] * m[2],
                -2 * s / 3 + mp.mpf("0.2") * m[0] * m[1]]

    def h_e(m):
        H = [[-mp.mpf(2) / 3] * 3 for _ in range(3)]
        for i in range(3):
            for j in range(3):
                if i != j:
                    H[i][j] += mp.mpf("0.2") * m[3 - i - j]
        return H

    def xy_case(gxy, hxy):
        """phi given in x, y (the 2-D model): x = (m1 + m2) / 2,
        y = (m1 - m2) / 2, so d/dm1 = (d/dx + d/dy) / 2, d/dm2 = (d/dx - d/dy) / 2"""
        def g(m):
            x, y = (m[0] + m[1]) / 2, (m[0] - m[1]) / 2
            gx, gy = gxy(x, y)
            return [(gx + gy) / 2, (gx - gy) / 2]

        def h(m):
            x, y = (m[0] + m[1]) / 2, (m[0] - m[1]) / 2
            xx, xy, yy = hxy(x, y)
            return [[(xx + 2 * xy + yy) / 4, (xx - yy) / 4],
                    [(xx - yy) / 4, (xx - 2 * xy + yy) / 4]]
        return (2, g, h)

    c12 = mp.mpf("1.2")
    return {
        # -2 x^2 - 1.2 y^2 (+ 0.3 x, + 0.5 x^3)
        "xy_p": xy_case(lambda x, y: (-4 * x, -2 * c12 * y), lambda x, y: (-4, 0, -2 * c12)),
        "xy_f": xy_case(lambda x, y: (-4 * x + mp.mpf("0.3"), -2 * c12 * y),
                        lambda x, y: (-4, 0, -2 * c12)),
        "xy_t": xy_case(lambda x, y: (-4 * x + mp.mpf("1.5") * x ** 2, -2 * c12 * y),
                        lambda x, y: (-4 + 3 * x, 0, -2 * c12)),
        "a": (2, g_a, h_a),
        "b": (2, g_b, h_b),
        "c": (3, g_c, h_c),
        "d": (3, lambda m: g_c(m, 1), lambda m: h_c(m, 1)),
        "e": (3, g_e, h_e),
    }


def grad_f(k, g, m, beta):
    gg = g(m)
    return [-mp.atanh(m[i]) / k - beta * gg[i] for i in range(k)]


def hess_f(k, H, m, beta):
    hh = H(m)
    return mp.matrix([[(-1 / (k * (1 - m[i] ** 2)) if i == j else 0) - beta * hh[i][j]
                       for j in range(k)] for i in range(k)])


def solve_fold(k, g, H, m0, b0):
    def F(*x):
        m, beta = list(x[:k]), x[k]
        return grad_f(k, g, m, beta) + [mp.det(hess_f(k, H, m, beta))]
    x = mp.findroot(F, [mp.mpf(v) for v in m0] + [mp.mpf(b0)])
    return [x[i] for i in range(k)], x[k]


def solve_sym(k, g, H, E, v, p0, b0):
    """m = E p (E: k x q), equations E^T grad f = 0 and v^T Hess f v = 0."""
    q = len(E[0])

    def F(*x):
        p, beta = list(x[:q]), x[q]
        m = [sum(E[i][j] * p[j] for j in range(q)) for i in range(k)]
        gf = grad_f(k, g, m, beta)
        Hf = hess_f(k, H, m, beta)
        eqs = [sum(E[i][j] * gf[i] for i in range(k)) for j in range(q)]
        eqs.append(sum(v[i] * Hf[i, j] * v[j] for i in range(k) for j in range(k)))
        return eqs
    x = mp.findroot(F, [mp.mpf(v_) for v_ in p0] + [mp.mpf(b0)])
    p = [x[j] for j in range(q)]
    return [sum(E[i][j] * p[j] for j in range(q)) for i in range(k)], x[q]


def main():
    case, path = sys.argv[1], sys.argv[2]
    # the largest error of beta allowed at a pitchfork or branch point
    # (a fold: 1e-10 always)
    btol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-10
    k, g, H = cases()[case]
    d = json.load(open(path))
    bad = 0
    for e in d["branch_ends"]:
        if "m" not in e:  # the 2-D phases: m1 = s = x + y, m2 = d = x - y
            e["m"] = [e["x"] + e["y"], e["x"] - e["y"]]
        m0, b0, kind = e["m"], e["beta"], e["bifurcation"]
        if kind == "fold":
            m, beta = solve_fold(k, g, H, m0, b0)
        elif max(abs(x) for x in m0) < 1e-6:
            # at m = 0 (grad phi(0) = 0 in these cases: m = 0 is stationary
            # for every beta, the fixed point of m -> -m or of S3): the
            # root in beta of det Hess f(0)
            assert max(abs(x) for x in g([mp.mpf(0)] * k)) == 0
            m = [mp.mpf(0)] * k
            beta = mp.findroot(lambda b: mp.det(hess_f(k, H, m, b)), mp.mpf(b0))
        elif k == 2 and abs(m0[0] - m0[1]) < 1e-6:      # on the diagonal (m, m)
            m, beta = solve_sym(k, g, H, [[1], [1]], [1, 1], [m0[0]], b0)
        elif k == 2 and abs(m0[0] + m0[1]) < 1e-6:      # on (m, -m), null vector (1, 1)
            m, beta = solve_sym(k, g, H, [[1], [-1]], [1, 1], [m0[0]], b0)
        elif k == 3 and max(abs(x - m0[0]) for x in m0) < 1e-6:
            # on the diagonal: the null direction in the sum-zero plane
            # (null_dims 2, S3) or along (1, 1, 1)
            v = [1, -1, 0] if e["null_dims"] == 2 else [1, 1, 1]
            m, beta = solve_sym(k, g, H, [[1], [1], [1]], v, [m0[0]], b0)
        else:
            # two equal coordinates (a, a, b) in some order: m = E (a, b),
            # null vector antisymmetric in the equal pair
            i, j = min(((i, j) for i in range(3) for j in range(i + 1, 3)),
                       key=lambda ij: abs(m0[ij[0]] - m0[ij[1]]))
            o = 3 - i - j
            E = [[0, 0] for _ in range(3)]
            E[i][0] = E[j][0] = 1
            E[o][1] = 1
            v = [0, 0, 0]
            v[i], v[j] = 1, -1
            m, beta = solve_sym(k, g, H, E, v, [m0[i], m0[o]], b0)
        db = abs(float(beta) - b0)
        dm = max(abs(float(m[i]) - m0[i]) for i in range(k))
        ok = db <= (1e-10 if kind == "fold" else btol) and dm <= 1e-8
        print("%-9s %-12s beta %.15f ref %.15f (%.1e), m off by %.1e %s"
              % (e["branch"], kind, b0, float(beta), db, dm, "ok" if ok else "MISMATCH"), flush=True)
        bad += not ok
    if not d["branch_ends"]:
        print("no branch ends")
        bad = 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
