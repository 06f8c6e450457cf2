# SPDX-License-Identifier: GPL-3.0-or-later
# rounding_ref.py -- the slowest rates of one block (K = 1: the birth-death
# chain of classes n = 0..D of eq 5.2) in mpmath, against the rates and the
# per-rate bounds of `spectrum --blocks 1 --json` (tests/cli/rounding_test.sh).
#
#   python3 rounding_ref.py OUT.json D BETA A C
#
# phi(m) = A m + C m^2 (the CLI was given the same formula).  The chain, as
# hl_blocks_chain builds it: ln pi_n = ln C(D, n) - beta D phi(m_n), m_n =
# (2n - D) / D exactly, and the edge n -- n+1 of A_n = sqrt((D - n)(n + 1))
# (B = 1); the symmetrised generator is tridiagonal: off-diagonal -A_n,
# diagonal the exit rates A sqrt(pi_nb / pi_n).  nu_j is found by bisection
# on the Sturm count of -S - x I (the number of negative pivots of its LDL^T
# is the number of rates below x), with enough digits to resolve nu_1 below
# the largest exit rate.  Prints one line per rate: j, mpmath value, the
# CLI's relative error and bound; exits 1 when a rate is outside its bound,
# 2 when the slowest rate's bound is more than 1e3 times its actual error
# (the rates above it may carry the double eigensolver's bound, 100 eps
# |v|^T |S| |v| / nu, which is looser by design).
import json
import sys

import mpmath as mp

out, D, beta, A, C = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
res = json.load(open(out))
ln_rates = res["ln_rates"]
bounds = res["rel_bounds"]
k = len(ln_rates)
# digits: 40 beyond the range from nu_1 to the largest exit rate (~ D)
span = (mp.log(2 * D) - mp.mpf(ln_rates[1])) / mp.log(10)
mp.mp.dps = int(40 + max(span, 0))
beta, A, C = mp.mpf(beta), mp.mpf(A), mp.mpf(C)


def phi(m):
    return A * m + C * m * m


lnpi = [mp.log(mp.binomial(D, n)) - beta * D * phi(mp.mpf(2 * n - D) / D) for n in range(D + 1)]
a = [mp.sqrt(mp.mpf((D - n) * (n + 1))) for n in range(D)]
d = [mp.mpf(0)] * (D + 1)
for n in range(D):
    d[n] += a[n] * mp.exp((lnpi[n + 1] - lnpi[n]) / 2)
    d[n + 1] += a[n] * mp.exp((lnpi[n] - lnpi[n + 1]) / 2)
a2 = [x * x for x in a]


def count(x):
    """number of eigenvalues of -S below x"""
    c = 0
    q = d[0] - x
    tiny = mp.mpf(10) ** (-mp.mp.dps * 2)
    for n in range(D + 1):
        if n:
            q = d[n] - x - a2[n - 1] / q
        if q == 0:
            q = -tiny
        if q < 0:
            c += 1
    return c


worst, worst_bound, bad, first = 0.0, 0.0, 0, None
for j in range(1, k):
    if ln_rates[j] is None or bounds[j] is None:
        print(f"{j}: not resolved by the CLI")
        bad = 1
        continue
    r = mp.exp(mp.mpf(ln_rates[j]))
    lo, hi = r * (1 - mp.mpf("1e-3")), r * (1 + mp.mpf("1e-3"))
    if not (count(lo) <= j and count(hi) >= j + 1):
        print(f"{j}: the CLI's rate {r} is not within 1e-3 of nu_{j}")
        bad = 1
        continue
    while hi - lo > lo * mp.mpf(10) ** (-30):
        mid = mp.sqrt(lo * hi)
        if count(mid) >= j + 1:
            hi = mid
        else:
            lo = mid
    ref = (lo + hi) / 2
    err = float(abs(r / ref - 1))
    ok = err <= bounds[j]
    bad |= not ok
    worst, worst_bound = max(worst, err), max(worst_bound, bounds[j])
    if j == 1:
        first = (err, bounds[j])
    print(f"{j}: nu = {mp.nstr(ref, 20)} rel.err {err:.3e} bound {bounds[j]:.3e}"
          f"{'' if ok else '  OUTSIDE THE BOUND'}")
print(f"largest error {worst:.3e}, largest bound {worst_bound:.3e}, "
      f"ratio {worst_bound / max(worst, 1e-300):.3g}")
if bad:
    sys.exit(1)
print(f"slowest rate: error {first[0]:.3e}, bound {first[1]:.3e}, "
      f"ratio {first[1] / max(first[0], 1e-300):.3g}")
# the chain engine's first-order bound must be within 1e3 of the error; the
# birth-death path's is the rigorous worst case of Demmel-Kahan's relative
# perturbation theory, 2((2N - 1) eta + 8 N eps), which grows with N while
# the actual error does not: within 1e5 of the error at these D
loose = 1e5 if str(res.get("method", "")).startswith("birth-death") else 1e3
print(f"method {res.get('method')}: the bound may exceed the error {loose:g} times")
if first[1] > loose * max(first[0], 1e-17):
    sys.exit(2)
