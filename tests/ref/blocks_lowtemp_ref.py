#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Extended-precision references for the T -> 0 ends and the Kauzmann-like
point of k = 3 blocks (tests/test_blocks_lowtemp.c), computed with mpmath at
40 digits and sympy's exact derivatives, independently of the library:

1. The end point: grad phi = 0 over the free block magnetisations with the
   pinned ones on their faces (mpmath findroot), checked to be the end (each
   pinned m_i = +-1 has d phi / d m_i of the opposite sign, so phi falls
   towards that face; the free Hessian is positive definite); the residual
   entropy sum r_i h(m_i) and lim c/T = grad w^T [phi'']^-1 grad w.
2. The same limits from the branch itself: the maximum of f = w - beta phi
   solved in t = atanh m at beta = 400, 800, 1600 (findroot), w there and
   c = -beta^2 d<phi>/dbeta by mpmath's numerical differentiation of the
   re-solved maximum (not the Hessian formula); Richardson extrapolation in
   T = 1/beta to T = 0 must agree with 1. to 1e-7 in w and 1e-6 in c/T (asserted here).
3. The Kauzmann-like point: the melting point (f_liquid = f_crystal) and the
   first beta above it where w_liquid = w_crystal, both branches continued
   in steps of 0.005 in beta from seeds near the melting point (the seeds
   only start Newton), each step checked for w_liquid > w_crystal.

Run:  python3 tests/ref/blocks_lowtemp_ref.py > tests/ref/blocks_lowtemp_ref.h
"""
import mpmath as mp
import sympy as sp

mp.mp.dps = 40
m1, m2, m3 = sp.symbols("m1 m2 m3")
MS = (m1, m2, m3)
KZ = "m1-0.3*m2-1.375*m2^2+1.175*m2^3+0.475*m2^4-0.775*m2^5+0.3*m3^2+0.3*m2*m3+0.2*m1*m3"


class Model:
    def __init__(self, formula, sizes):
        self.formula = formula
        self.sizes = sizes
        D = sum(sizes)
        self.r = [mp.mpf(s) / D for s in sizes]
        e = sp.sympify(formula.replace("^", "**"), rational=True)
        self.phi = sp.lambdify(MS, e, "mpmath")
        self.g = [sp.lambdify(MS, sp.diff(e, v), "mpmath") for v in MS]
        self.H = [[sp.lambdify(MS, sp.diff(e, a, b), "mpmath") for b in MS] for a in MS]

    def h(self, u):
        return mp.log(2) - ((1 + u) * mp.log(1 + u) + (1 - u) * mp.log(1 - u)) / 2 if abs(u) < 1 else mp.mpf(0)

    def w(self, m):
        return sum(r * self.h(u) for r, u in zip(self.r, m))

    def max_at(self, beta, t0):
        beta = mp.mpf(beta)

        def F(*t):
            m = [mp.tanh(x) for x in t]
            return [-self.r[i] * t[i] - beta * self.g[i](*m) for i in range(3)]

        t = mp.findroot(F, [mp.mpf(x) for x in t0])
        t = [t[i] for i in range(3)]
        m = [mp.tanh(x) for x in t]
        # a maximum: K = diag(r) + beta C^1/2 Hphi C^1/2 positive definite,
        # C = sech^2 t (the Hessian of f in t at a stationary point, scaled)
        c = [1 / mp.cosh(x) for x in t]
        K = mp.matrix(3, 3)
        for i in range(3):
            for j in range(3):
                K[i, j] = beta * c[i] * c[j] * self.H[i][j](*m) + (self.r[i] if i == j else 0)
        assert all(ev > 0 for ev in mp.eigsy(K)[0]), "not a maximum"
        return t, m

    def f(self, beta, m):
        return self.w(m) - beta * self.phi(*m)


def end_point(M, signs, guess):
    """signs[i]: +1/-1 pinned there, 0 free"""
    free = [i for i in range(3) if signs[i] == 0]

    def G(*uf):
        m = [mp.mpf(signs[i]) for i in range(3)]
        for a, i in enumerate(free):
            m[i] = uf[a]
        return [M.g[i](*m) for i in free]

    uf = mp.findroot(G, [mp.mpf(guess[i]) for i in free]) if len(free) > 1 else [mp.findroot(lambda u: G(u)[0], mp.mpf(guess[free[0]]))]
    m = [mp.mpf(signs[i]) for i in range(3)]
    for a, i in enumerate(free):
        m[i] = uf[a]
    for i in range(3):
        if signs[i]:
            assert signs[i] * M.g[i](*m) < 0, "phi does not fall towards the face"
    n = len(free)
    Hf = mp.matrix(n, n)
    wu = mp.matrix(n, 1)
    for a, i in enumerate(free):
        wu[a] = -M.r[i] * mp.atanh(m[i])
        for b, j in enumerate(free):
            Hf[a, b] = M.H[i][j](*m)
    assert all(ev > 0 for ev in mp.eigsy(Hf)[0])
    res = sum(M.r[i] * M.h(m[i]) for i in free)
    cT = (wu.T * mp.lu_solve(Hf, wu))[0]
    return m, M.phi(*m), res, cT


def branch_limits(M, signs, m_end):
    """w and c/T on the branch at beta = 400, 800, 1600, extrapolated to T = 0"""
    ws, cs = [], []
    for beta in (400, 800, 1600):
        t0 = [mp.atanh(m_end[i]) if signs[i] == 0 else -beta * M.g[i](*m_end) / M.r[i] for i in range(3)]
        t, m = M.max_at(beta, t0)

        def mean_phi(b):
            return M.phi(*M.max_at(b, t)[1])

        c = -mp.mpf(beta) ** 2 * mp.diff(mean_phi, mp.mpf(beta))
        ws.append(M.w(m))
        cs.append(c * beta)
    rich = lambda v: (8 * v[2] - 6 * v[1] + v[0]) / 3  # O(T^3) left: T, T/2, T/4
    return rich(ws), rich(cs)


def kauzmann(M, beta_m_guess, tl, tc):
    def gap(beta, a, b):
        return M.f(beta, M.max_at(beta, a)[1]) - M.f(beta, M.max_at(beta, b)[1])

    bm = mp.findroot(lambda b: gap(b, tl, tc), mp.mpf(beta_m_guess))
    tl, _ = M.max_at(bm, tl)
    tc, _ = M.max_at(bm, tc)
    beta, step = bm, mp.mpf("0.005")
    while True:
        nl, ml = M.max_at(beta + step, tl)
        nc, mc = M.max_at(beta + step, tc)
        if M.w(ml) - M.w(mc) <= 0:
            break
        beta, tl, tc = beta + step, nl, nc

    def wgap(b):
        return M.w(M.max_at(b, tl)[1]) - M.w(M.max_at(b, tc)[1])

    bk = mp.findroot(wgap, (beta, beta + step), solver="anderson")
    return bm, bk, M.w(M.max_at(bk, tl)[1])


def atanh_seed(ms):
    return [mp.atanh(mp.mpf(x)) for x in ms]


CASES = [
    # formula, sizes, branch, pinned signs, guess of the free coordinates
    (KZ, (1, 1, 1), "liquid", (-1, 1, 0), (0, 0, -0.17)),
    (KZ, (1, 1, 1), "crystal", (-1, -1, 0), (0, 0, 0.83)),
    (KZ, (2, 3, 5), "liquid", (-1, 1, 0), (0, 0, -0.17)),
    (KZ, (2, 3, 5), "crystal", (-1, -1, 0), (0, 0, 0.83)),
    ("m1+(m2-0.2)^2+(m3+0.1)^2+0.3*m2*m3", (1, 1, 1), "liquid", (-1, 0, 0), (0, 0.22, -0.13)),
    ("(m1-0.3)^2+(m2+0.2)^2+(m3-0.1)^2+0.3*m1*m2+0.2*m2*m3", (1, 1, 1), "liquid", (0, 0, 0), (0.34, -0.26, 0.13)),
]
KZ_SEEDS = {
    (1, 1, 1): (0.1654, (-0.4583, 0.3839, -0.0090), (-0.4681, -0.7124, 0.1171)),
    (2, 3, 5): (0.1499, (-0.6352, 0.3849, 0.0029), (-0.6426, -0.7132, 0.0868)),
}


def main():
    print("/* generated by tests/ref/blocks_lowtemp_ref.py (mpmath, 40 digits) */")
    print("typedef struct { const char *phi; long sizes[3]; const char *branch; int free_dims;")
    print("                 double m[3], phi_end, residual_entropy, c_over_T; } blocks_t0_ref;")
    print("static const blocks_t0_ref BLOCKS_T0_REF[] = {")
    for phi, sizes, br, signs, guess in CASES:
        M = Model(phi, sizes)
        m, ph, res, cT = end_point(M, signs, guess)
        wx, cx = branch_limits(M, signs, m)
        assert abs(wx - res) < 1e-7 and abs(cx - cT) < 1e-6 * max(1, abs(cT)), (wx, res, cx, cT)
        nfree = sum(1 for s in signs if s == 0)
        print('    {"%s", {%d, %d, %d}, "%s", %d, {%s}, %s, %s, %s},' % (
            phi, *sizes, br, nfree, ", ".join(mp.nstr(x, 17) for x in m),
            mp.nstr(ph, 17), mp.nstr(res, 17), mp.nstr(cT, 17)))
    print("};")
    print("typedef struct { const char *phi; long sizes[3]; double beta_m, beta_k, w_k; } blocks_kz_ref;")
    print("static const blocks_kz_ref BLOCKS_KZ_REF[] = {")
    for sizes, (bm, sl, sc) in KZ_SEEDS.items():
        M = Model(KZ, sizes)
        bm, bk, wk = kauzmann(M, bm, atanh_seed(sl), atanh_seed(sc))
        print('    {"%s", {%d, %d, %d}, %s, %s, %s},' % (KZ, *sizes, mp.nstr(bm, 17), mp.nstr(bk, 17), mp.nstr(wk, 17)))
    print("};")


main()
