#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""blocks_kin_peer.py -- the SciPy peer of the kinetics of `--blocks K`
(bench/blocks_kinetics.sh): what a user would write without hyperland for the
master equation on the class lattice of K equal blocks (n = (n_1 .. n_K),
0 <= n_i <= h = D/K, block K fastest in the class index; m_i = (2 n_i - h)/h;
phi a formula in m1 .. mK, ^ the power; rates of eq 5.2 with B = 1:
k(n -> n + e_i) = (h - n_i) exp(-beta D (phi(n + e_i) - phi(n)) / 2),
k(n + e_i -> n) = (n_i + 1) exp(+beta D (...) / 2)).

  rates   K D BETA PHI N          the N slowest rates (0 included): eigsh of the
                                  symmetrised generator, shift-invert about
                                  -0.5 (SuperLU)
  mfpt    K D BETA PHI            basins by steepest ascent of ln Q_eq; MFPT from
                                  the maximum of the liquid basin (highest phi
                                  at its maximum) to the crystal basin (lowest):
                                  spsolve of L_AA^T tau = -1
  network K D PHI STATES TRANS    the states/transitions CSVs of
                                  `lattice-network --blocks` (np.savetxt),
                                  then compared with hyperland's files
                                  STATES.hl / TRANS.hl when they exist
  evolve  K D PHI T0 T1 TC TIMES  from equilibrium at T0, T(t) linear from T0 to
                                  T1 over [0, TC], constant after: solve_ivp
                                  BDF (rtol 1e-10, sparse Jacobian L(t))
  fp      K D BETA PHI GRID N     eq 5.9 in m1 .. mK: cell-centred finite volumes
                                  on GRID^K cells, Scharfetter-Gummel
                                  conductances (2/D_i) sqrt(1 - m_i^2)/h^2 *
                                  (z/2)/sinh(z/2); the N slowest rates by eigsh
                                  shift-invert of the symmetrised operator
  kmc     K D BETA PHI TIMES NTRAJ SEED
                                  a Gillespie loop in Python (rate table built
                                  with NumPy, the loop over lists) from the
                                  infinite-temperature distribution (n_i ~
                                  Binomial(h, 1/2)); ensemble means of m_i and
                                  phi at TIMES
  wells   METHOD D BETA PHI START TIMES
                                  one block (K = 1, the birth-death chain of
                                  D + 1 classes), from the maximum of basin
                                  START (b1, b2, ... by increasing phi at the
                                  maxima; basins by steepest ascent of ln Q_eq):
                                  P(t) by METHOD = expm (scipy.linalg.expm of
                                  the dense t L, then @ P(0)), expm_multiply
                                  (scipy.sparse.linalg, t L in CSR) or bdf
                                  (solve_ivp BDF, rtol 1e-10, atol 1e-14,
                                  sparse Jacobian, t_eval = TIMES); <m1> and
                                  the basin populations per time.  expm and
                                  expm_multiply print each time as soon as it
                                  is done (a run killed by a time limit keeps
                                  the earlier times)

Each prints "RESULT task=... wall_s=... cpu_s=..." (the computation proper,
without interpreter start-up and imports) and its values on lines of
"key value value ...".
"""
import os
import signal
import sys
import time

import numpy as np
from scipy import linalg, sparse
from scipy.integrate import solve_ivp
from scipy.sparse.linalg import eigsh, expm_multiply, spsolve
from scipy.special import gammaln


def clock():
    return time.perf_counter(), time.process_time()


def result(task, t0, extra=""):
    w, c = time.perf_counter() - t0[0], time.process_time() - t0[1]
    print("RESULT task=%s wall_s=%.4f cpu_s=%.4f %s" % (task, w, c, extra))


def eval_phi(formula, m):
    env = {"m%d" % (i + 1): m[i] for i in range(len(m))}
    env.update({"exp": np.exp, "sin": np.sin, "cos": np.cos, "log": np.log, "sqrt": np.sqrt,
                "pi": np.pi})
    return eval(formula.replace("^", "**"), {"__builtins__": {}}, env) * np.ones_like(m[0])


class Lattice:
    """the class lattice: n_i, m_i, phi, ln W per class, the moves"""

    def __init__(self, k, D, formula):
        h = D // k
        self.k, self.D, self.h = k, D, h
        grids = np.meshgrid(*[np.arange(h + 1)] * k, indexing="ij")
        self.n = [g.ravel() for g in grids]
        self.m = [(2.0 * x - h) / h for x in self.n]
        self.phi = eval_phi(formula, self.m)
        self.lnw = sum(gammaln(h + 1.0) - gammaln(x + 1.0) - gammaln(h - x + 1.0) for x in self.n)
        self.N = self.phi.size
        self.stride = [(h + 1) ** (k - 1 - i) for i in range(k)]
        idx = np.arange(self.N)
        # the moves a -> b = a + e_i (a with n_i < h), per axis
        self.moves = []
        for i in range(k):
            up = self.n[i] < h
            a = idx[up]
            self.moves.append((a, a + self.stride[i], self.n[i][up]))

    def rates(self, beta):
        """per axis: (a, b, k(a -> b), k(b -> a))"""
        out = []
        for a, b, ni in self.moves:
            dphi = self.phi[b] - self.phi[a]
            out.append((a, b, (self.h - ni) * np.exp(-0.5 * beta * self.D * dphi),
                        (ni + 1.0) * np.exp(0.5 * beta * self.D * dphi)))
        return out

    def generator(self, beta, fmt="csr"):
        """L with dQ/dt = L Q (columns sum to 0)"""
        rows, cols, vals = [], [], []
        esc = np.zeros(self.N)
        for a, b, kf, kb in self.rates(beta):
            rows += [b, a]
            cols += [a, b]
            vals += [kf, kb]
            np.add.at(esc, a, kf)
            np.add.at(esc, b, kb)
        rows.append(np.arange(self.N))
        cols.append(np.arange(self.N))
        vals.append(-esc)
        return sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                                 shape=(self.N, self.N)).asformat(fmt)

    def symmetrised(self, beta):
        """S = Pi^-1/2 L Pi^1/2 (symmetric): off-diagonal sqrt(kf kb) = sqrt((h - n_i)(n_i + 1))"""
        rows, cols, vals = [], [], []
        esc = np.zeros(self.N)
        for (a, b, kf, kb), (_, _, ni) in zip(self.rates(beta), self.moves):
            off = np.sqrt((self.h - ni) * (ni + 1.0))
            rows += [a, b]
            cols += [b, a]
            vals += [off, off]
            np.add.at(esc, a, kf)
            np.add.at(esc, b, kb)
        rows.append(np.arange(self.N))
        cols.append(np.arange(self.N))
        vals.append(-esc)
        S = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                              shape=(self.N, self.N)).tocsc()
        return S, esc.max()

    def lnq(self, beta):
        return self.lnw - beta * self.D * self.phi

    def basins(self, beta):
        """steepest ascent of ln Q_eq (the neighbour of largest ln Q while larger), pointer jumping"""
        lq = self.lnq(beta)
        best = np.arange(self.N)
        bestv = lq.copy()
        for a, b, _ in self.moves:
            for src, dst in ((a, b), (b, a)):
                better = lq[dst] > bestv[src]
                best[src[better]] = dst[better]
                bestv[src[better]] = lq[dst[better]]
        while True:
            nxt = best[best]
            if np.array_equal(nxt, best):
                return best
            best = nxt


def task_rates(k, D, beta, formula, nrates):
    t0 = clock()
    lat = Lattice(k, D, formula)
    S, escmax = lat.symmetrised(beta)
    ev = np.sort(eigsh(-S, k=nrates, sigma=-0.5, which="LM", return_eigenvectors=False))
    result("rates", t0, "k=%d D=%d classes=%d" % (k, D, lat.N))
    # the absolute resolution of a double eigensolver on S: eps ||S||
    print("resolution %.3g" % (np.finfo(float).eps * 2 * escmax))
    print("rates " + " ".join("%.15g" % x for x in ev))


def task_mfpt(k, D, beta, formula):
    t0 = clock()
    lat = Lattice(k, D, formula)
    top = lat.basins(beta)
    maxima = np.unique(top)
    crystal = maxima[np.argmin(lat.phi[maxima])]
    liquid = maxima[np.argmax(lat.phi[maxima])]
    target = top == crystal
    free = ~target
    L = lat.generator(beta, "csr")
    # tau_a = 1/esc_a + sum_b k(a->b)/esc_a tau_b: (L^T)_FF tau = -1
    A = L.T.tocsr()[free][:, free].tocsc()
    tau = spsolve(A, -np.ones(int(free.sum())))
    pos = np.cumsum(free) - 1
    T = float(tau[pos[liquid]])
    result("mfpt", t0, "k=%d D=%d classes=%d" % (k, D, lat.N))
    print("start %d target_classes %d maxima %d" % (liquid, int(target.sum()), maxima.size))
    print("mfpt %.15g ln_mfpt %.15g" % (T, np.log(T) if T > 0 else float("nan")))


def fmt_rows(path, header, cols, fmts):
    np.savetxt(path, np.column_stack(cols), fmt=fmts, delimiter=",", header=header, comments="")


def task_network(k, D, formula, states, trans):
    t0 = clock()
    lat = Lattice(k, D, formula)
    E = D * lat.phi
    ids = np.arange(lat.N)
    with open(states, "w") as f:
        f.write("id,energy,entropy\n")
        np.savetxt(f, np.column_stack([ids, E, lat.lnw]), fmt=["%d", "%.17g", "%.17g"], delimiter=",")
    A, B, Et, St = [], [], [], []
    for a, b, ni in lat.moves:
        A.append(a)
        B.append(b)
        Et.append(0.5 * (E[a] + E[b]))
        St.append(lat.lnw[a] + np.log(lat.h - ni))
    A, B, Et, St = (np.concatenate(v) for v in (A, B, Et, St))
    order = np.lexsort((B, A))
    with open(trans, "w") as f:
        f.write("a,b,energy,entropy\n")
        np.savetxt(f, np.column_stack([A[order], B[order], Et[order], St[order]]),
                   fmt=["%d", "%d", "%.17g", "%.17g"], delimiter=",")
    result("network", t0, "k=%d D=%d states=%d transitions=%d" % (k, D, lat.N, A.size))
    # agreement with hyperland's files (not timed)
    if not (os.path.exists(states + ".hl") and os.path.exists(trans + ".hl")):
        return
    hs = np.loadtxt(states + ".hl", delimiter=",", comments=["#", "id"])
    ht = np.loadtxt(trans + ".hl", delimiter=",", comments=["#", "a,"])
    ps = np.loadtxt(states, delimiter=",", skiprows=1)
    pt = np.loadtxt(trans, delimiter=",", skiprows=1)
    hs = hs[np.argsort(hs[:, 0])]
    ht = ht[np.lexsort((ht[:, 1], ht[:, 0]))]
    same = hs.shape == ps.shape and ht.shape == pt.shape and \
        np.array_equal(hs[:, 0], ps[:, 0]) and np.array_equal(ht[:, :2], pt[:, :2])

    def rel(x, y):
        return float(np.max(np.abs(x - y) / np.maximum(np.abs(x), 1e-300))) if x.size else 0.0
    if same:
        print("agree same_ids 1 energy_rel %.3g entropy_rel %.3g ts_energy_rel %.3g ts_entropy_rel %.3g"
              % (rel(hs[:, 1], ps[:, 1]), np.max(np.abs(hs[:, 2] - ps[:, 2])),
                 rel(ht[:, 2], pt[:, 2]), np.max(np.abs(ht[:, 3] - pt[:, 3]))))
    else:
        print("agree same_ids 0 hyperland %s %s peer %s %s" % (hs.shape, ht.shape, ps.shape, pt.shape))


def task_evolve(k, D, formula, T0, T1, tc, times):
    t0 = clock()
    lat = Lattice(k, D, formula)
    lq = lat.lnq(1.0 / T0)
    q0 = np.exp(lq - lq.max())
    q0 /= q0.sum()

    def temp(t):
        return T0 + (T1 - T0) * min(t, tc) / tc

    cache = {}

    def gen(t):
        T = temp(t)
        if T not in cache:
            cache.clear()
            cache[T] = lat.generator(1.0 / T, "csr")
        return cache[T]

    sol = solve_ivp(lambda t, q: gen(t) @ q, (0.0, times[-1]), q0, method="BDF", t_eval=times,
                    jac=lambda t, q: gen(t), rtol=1e-10, atol=1e-14, first_step=1e-8)
    if not sol.success:
        raise SystemExit("solve_ivp: " + sol.message)
    Q = sol.y
    means_m = [lat.m[i] @ Q for i in range(k)]
    means_phi = lat.phi @ Q
    result("evolve", t0, "k=%d D=%d classes=%d nfev=%d njev=%d nlu=%d" %
           (k, D, lat.N, sol.nfev, sol.njev, sol.nlu))
    for j, t in enumerate(times):
        print("point t %.10g mean_m %s mean_phi %.15g sum_error %.3g" %
              (t, " ".join("%.15g" % mm[j] for mm in means_m), means_phi[j], abs(Q[:, j].sum() - 1)))


def task_fp(k, D, beta, formula, grid, nrates):
    t0 = clock()
    h = 2.0 / grid
    c = -1.0 + (np.arange(grid) + 0.5) * h
    grids = np.meshgrid(*[c] * k, indexing="ij")
    m = [g.ravel() for g in grids]
    N = m[0].size
    w = sum((np.log(2.0) - 0.5 * ((1 + x) * np.log1p(x) + (1 - x) * np.log1p(-x))) / k for x in m)
    U = D * (w - beta * eval_phi(formula, m))
    idx = np.arange(N).reshape([grid] * k)
    rows, cols, vals = [], [], []
    esc = np.zeros(N)
    Di = D / k
    for a in range(k):
        lo = [slice(None)] * k
        hi = [slice(None)] * k
        lo[a], hi[a] = slice(0, grid - 1), slice(1, grid)
        i = idx[tuple(lo)].ravel()
        j = idx[tuple(hi)].ravel()
        mf = m[a][i] + 0.5 * h                      # the face's m_a
        K = 2.0 / Di * np.sqrt(np.maximum(0.0, (1 - mf) * (1 + mf))) / h ** 2
        z = U[j] - U[i]
        x = 0.5 * np.abs(z)
        sg = np.where(x < 1e-8, 1.0, x / np.sinh(np.maximum(x, 1e-300)))
        # (z/2)/sinh(z/2) in logs where sinh overflows
        big = x > 700
        sg[big] = np.exp(np.log(x[big]) - x[big] + np.log(2.0) - np.log1p(-np.exp(-2 * x[big])))
        cond = K * sg
        rows += [i, j]
        cols += [j, i]
        vals += [cond, cond]
        np.add.at(esc, i, cond * np.exp(0.5 * z))   # k(i -> j) = c sqrt(pi_j / pi_i)
        np.add.at(esc, j, cond * np.exp(-0.5 * z))
    rows.append(np.arange(N))
    cols.append(np.arange(N))
    vals.append(-esc)
    S = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(N, N)).tocsc()
    ev = np.sort(eigsh(-S, k=nrates, sigma=-0.5, which="LM", return_eigenvectors=False))
    result("fp", t0, "k=%d D=%d grid=%d cells=%d" % (k, D, grid, N))
    print("resolution %.3g" % (np.finfo(float).eps * 2 * esc.max()))
    print("rates " + " ".join("%.15g" % x for x in ev))


def task_kmc(k, D, beta, formula, times, ntraj, seed):
    t0 = clock()
    lat = Lattice(k, D, formula)
    # rate table: per class the 2K moves (+e_1, -e_1, +e_2, ...), cumulative, as lists
    R = np.zeros((lat.N, 2 * k))
    for i, (a, b, kf, kb) in enumerate(lat.rates(beta)):
        R[a, 2 * i] = kf
        R[b, 2 * i + 1] = kb
    C = np.cumsum(R, axis=1).tolist()
    step = []
    for i in range(k):
        step += [lat.stride[i], -lat.stride[i]]
    rng = np.random.default_rng(seed)
    h = lat.h
    start = sum(s * x for s, x in zip(lat.stride, rng.binomial(h, 0.5, size=(k, ntraj))))
    rec = np.zeros((len(times), ntraj), dtype=np.int64)
    events = 0
    t1 = clock()
    for tr in range(ntraj):
        c = int(start[tr])
        t = 0.0
        j = 0
        while j < len(times):
            E = rng.standard_exponential(4096).tolist()
            U = rng.random(4096).tolist()
            for e, u in zip(E, U):
                cc = C[c]
                tot = cc[-1]
                t += e / tot
                while j < len(times) and t > times[j]:
                    rec[j, tr] = c
                    j += 1
                if j == len(times):
                    break
                u *= tot
                r = 0
                while u >= cc[r]:
                    r += 1
                c += step[r]
                events += 1
    loop = time.perf_counter() - t1[0]
    result("kmc", t0, "k=%d D=%d trajectories=%d events=%d loop_s=%.4f events_per_s=%.4g"
           % (k, D, ntraj, events, loop, events / loop))
    for j, t in enumerate(times):
        cl = rec[j]
        mm = [lat.m[i][cl] for i in range(k)]
        ph = lat.phi[cl]
        print("point t %.10g mean_m %s var_m %s mean_phi %.10g var_phi %.6g" %
              (t, " ".join("%.10g" % x.mean() for x in mm), " ".join("%.6g" % x.var(ddof=1) for x in mm),
               ph.mean(), ph.var(ddof=1)))


def band_lu(A, bw):
    """in-place LU without pivoting of a dense list-of-rows matrix of bandwidth bw"""
    n = len(A)
    for k in range(n):
        rk, piv = A[k], A[k][k]
        hi = min(n, k + bw + 1)
        for i in range(k + 1, hi):
            ri = A[i]
            if ri[k] == 0:
                continue
            f = ri[k] / piv
            ri[k] = f
            for j in range(k + 1, hi):
                if rk[j] != 0:
                    ri[j] -= f * rk[j]
    return A


def band_solve(LU, b, bw):
    n = len(LU)
    x = list(b)
    for i in range(n):
        ri = LU[i]
        for j in range(max(0, i - bw), i):
            if ri[j] != 0:
                x[i] -= ri[j] * x[j]
    for i in range(n - 1, -1, -1):
        ri = LU[i]
        for j in range(i + 1, min(n, i + bw + 1)):
            if ri[j] != 0:
                x[i] -= ri[j] * x[j]
        x[i] /= ri[i]
    return x


def task_verify(k, D, beta, formula, dps):
    """mpmath references at small D (not timed against anything): the
    tunnelling rate (the smallest nonzero rate) by inverse iteration on the
    pseudo-inverse of -S (grounded at the most probable class, banded LU in
    dps digits), and the MFPT of task_mfpt by the same banded LU."""
    import mpmath as mp
    mp.mp.dps = dps
    t0 = clock()
    lat = Lattice(k, D, formula)
    N, bw = lat.N, lat.stride[0]
    b = mp.mpf(beta)
    h = lat.h
    phi = [mp.mpf(float(x)) for x in lat.phi]          # phi of the same doubles
    lnw = [mp.log(mp.binomial(h, int(a))) for a in lat.n[0]]
    for i in range(1, k):
        lnw = [u + mp.log(mp.binomial(h, int(a))) for u, a in zip(lnw, lat.n[i])]
    kf, kb = {}, {}
    for a, bb, ni in lat.moves:
        for x, y, n in zip(a.tolist(), bb.tolist(), ni.tolist()):
            e = mp.exp(-b * D * (phi[y] - phi[x]) / 2)
            kf[(x, y)] = (h - n) * e                     # x -> y
            kb[(x, y)] = (n + 1) / e                     # y -> x
    esc = [mp.mpf(0)] * N
    for (x, y), v in kf.items():
        esc[x] += v
        esc[y] += kb[(x, y)]
    # MFPT: (pi K)_FF tau = -pi_F, K[x][y] = k(x -> y), symmetric
    lq = [u - b * D * p for u, p in zip(lnw, phi)]
    top = lat.basins(beta)
    maxima = np.unique(top)
    crystal = int(maxima[np.argmin(lat.phi[maxima])])
    liquid = int(maxima[np.argmax(lat.phi[maxima])])
    free = [i for i in range(N) if top[i] != crystal]
    pos = {c: j for j, c in enumerate(free)}
    lmax = max(lq)
    pi = [mp.exp(v - lmax) for v in lq]
    n = len(free)
    A = [[mp.mpf(0)] * n for _ in range(n)]
    for c in free:
        A[pos[c]][pos[c]] = -pi[c] * esc[c]
    for (x, y), v in kf.items():
        if x in pos and y in pos:
            A[pos[x]][pos[y]] = pi[x] * v
            A[pos[y]][pos[x]] = pi[x] * v
    tau = band_solve(band_lu(A, bw), [-pi[c] for c in free], bw)
    T = tau[pos[liquid]]
    # the tunnelling rate: -S grounded at the most probable class r
    r = int(np.argmax(lat.lnq(beta)))
    keep = [i for i in range(N) if i != r]
    pk = {c: j for j, c in enumerate(keep)}
    A = [[mp.mpf(0)] * (N - 1) for _ in range(N - 1)]
    for c in keep:
        A[pk[c]][pk[c]] = esc[c]
    for (x, y), v in kf.items():
        off = -mp.sqrt(v * kb[(x, y)])
        if x != r and y != r:
            A[pk[x]][pk[y]] = off
            A[pk[y]][pk[x]] = off
    LU = band_lu(A, bw)
    tot = mp.fsum(pi)
    v0 = [mp.sqrt(p / tot) for p in pi]
    x = [mp.mpf(1) if lat.phi[i] < np.median(lat.phi) else mp.mpf(-1) for i in range(N)]
    lam = mp.mpf(0)
    for it in range(8):
        dot = mp.fsum(a * c for a, c in zip(x, v0))
        x = [a - dot * c for a, c in zip(x, v0)]
        nrm = mp.sqrt(mp.fsum(a * a for a in x))
        x = [a / nrm for a in x]
        y = band_solve(LU, [x[c] for c in keep], bw)
        y = y[:r] + [mp.mpf(0)] + y[r:]
        dot = mp.fsum(a * c for a, c in zip(y, v0))
        y = [a - dot * c for a, c in zip(y, v0)]
        new = 1 / mp.fsum(a * c for a, c in zip(x, y))      # 1 / Rayleigh quotient of S^+
        done = lam != 0 and abs(new - lam) < abs(new) * mp.mpf(10) ** (-dps + 10)
        lam = new
        x = y
        if done:
            break
    result("verify", t0, "k=%d D=%d classes=%d dps=%d iterations=%d" % (k, D, N, dps, it + 1))
    print("start %d target_classes %d" % (liquid, N - n))
    print("mfpt %s" % mp.nstr(T, 20))
    print("tunnel %s" % mp.nstr(lam, 20))


def task_wells(method, D, beta, formula, start, times):
    """P(t) of the one-block chain at TIMES as a SciPy user would get it"""
    t0 = clock()
    lat = Lattice(1, D, formula)
    top = lat.basins(beta)
    maxima = sorted(np.unique(top), key=lambda e: (lat.phi[e], e))
    where = [top == e for e in maxima]
    c0 = maxima[int(start[1:]) - 1]
    p0 = np.zeros(lat.N)
    p0[c0] = 1.0
    L = lat.generator(beta, "csr")
    print("start %d maxima %s" % (c0, " ".join(str(e) for e in maxima)))
    print("norm1 %.6g" % abs(L).sum(axis=0).max())

    def point(t, p):
        w, c = time.perf_counter() - t0[0], time.process_time() - t0[1]
        print("point t %.17g wall_s %.4f cpu_s %.4f mean_m %.17g pops %s sum_error %.3g"
              % (t, w, c, lat.m[0] @ p, " ".join("%.17g" % p[b].sum() for b in where),
                 abs(p.sum() - 1)), flush=True)

    # a time limit (SIGTERM from `timeout`) ends the run with a line saying
    # how far it got: the time being computed (expm, expm_multiply) or the
    # largest t at which BDF had evaluated the right-hand side
    reached = [0.0, 0]

    def rhs(t, p):
        reached[0] = max(reached[0], t)
        reached[1] += 1
        return L @ p

    def stop(sig, frame):
        print("killed at t %.6g rhs_evaluations %d" % (reached[0], reached[1]), flush=True)
        os._exit(124)
    signal.signal(signal.SIGTERM, stop)

    status = "ok"
    if method == "expm":
        A = L.toarray()
        for t in times:
            reached[0] = t
            point(t, linalg.expm(t * A) @ p0)
    elif method == "expm_multiply":
        for t in times:
            reached[0] = t
            point(t, expm_multiply(t * L, p0))
    elif method == "bdf":
        sol = solve_ivp(rhs, (0.0, times[-1]), p0, method="BDF", t_eval=times,
                        jac=L, rtol=1e-10, atol=1e-14)
        for j in range(sol.t.size):
            point(sol.t[j], sol.y[:, j])
        print("bdf nfev %d njev %d nlu %d" % (sol.nfev, sol.njev, sol.nlu))
        if not sol.success:
            status = "failed: " + sol.message.replace("\n", " ")
    else:
        raise SystemExit("unknown method " + method)
    print("status " + status)
    result("wells-" + method, t0, "D=%d classes=%d basins=%d" % (D, lat.N, len(maxima)))


def floats(s):
    return [float(x) for x in s.split(",")]


if __name__ == "__main__":
    a = sys.argv[1:]
    task = a[0]
    if task == "rates":
        task_rates(int(a[1]), int(a[2]), float(a[3]), a[4], int(a[5]))
    elif task == "mfpt":
        task_mfpt(int(a[1]), int(a[2]), float(a[3]), a[4])
    elif task == "network":
        task_network(int(a[1]), int(a[2]), a[3], a[4], a[5])
    elif task == "evolve":
        task_evolve(int(a[1]), int(a[2]), a[3], float(a[4]), float(a[5]), float(a[6]), floats(a[7]))
    elif task == "fp":
        task_fp(int(a[1]), int(a[2]), float(a[3]), a[4], int(a[5]), int(a[6]))
    elif task == "kmc":
        task_kmc(int(a[1]), int(a[2]), float(a[3]), a[4], floats(a[5]), int(a[6]), int(a[7]))
    elif task == "wells":
        task_wells(a[1], int(a[2]), float(a[3]), a[4], a[5], floats(a[6]))
    elif task == "verify":
        task_verify(int(a[1]), int(a[2]), float(a[3]), a[4], int(a[5]) if len(a) > 5 else 40)
    else:
        raise SystemExit("unknown task " + task)
