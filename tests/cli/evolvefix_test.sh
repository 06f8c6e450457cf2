#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the evolvefix branch: evolve and evolve --blocks at huge rate
# ratios (within-basin rates e^57 and beyond, across-basin e^-177): the
# switch to the slowest mode came before the other modes had decayed (an
# eigensolver's lambda2 or lambda1 far off), and the Krylov exponential lost
# the slow mode.  References: mpmath, 400 digits, exp(L t) of the two
# birth-death chains of the product path (Q = P_a (x) P_b) at t = 1; past
# t = 1 the slowest rate (e^-177 at D = 12, beta = 20) moves nothing.
# usage: evolvefix_test.sh HYPERLAND TEST
HERE=$(cd "$(dirname "$0")" && pwd) # before lib.sh moves to its directory
. "$HERE/lib.sh" "$@"
# KEY of the last point of a JSON trajectory
last() { grep -o "\"$1\": [-0-9.eE+]*" "$2" | tail -1 | sed 's/.*: //'; }
# KEY at every point
all() { grep -o "\"$1\": [-0-9.eE+]*" "$2" | sed 's/.*: //'; }
# every_close KEY FILE REF TOL: every point's KEY within TOL of REF (t > 0)
every_close() {
    n=0
    for v in $(all "$1" "$2" | tail -n +2); do
        close "$v" "$3" "$4" || fail "$2: $1 = $v, not $3"
        n=$((n + 1))
    done
    [ $n -gt 0 ] || fail "$2: no $1"
}

case "$T" in
product)
    # D beta start <x> <phi> (mpmath)
    while read -r D b from x phi; do
        f=e_${D}_${b}_${from%%:*}.json
        "$H" evolve --dim "$D" --beta "$b" --from "$from" --times 0,1,1e5,1e10 --json >"$f" ||
            fail "evolve --dim $D --beta $b --from $from: exit code"
        every_close mean_x "$f" "$x" 1e-8
        every_close mean_phi "$f" "$phi" 1e-8
    done <<'REF'
12 20 infinite-temperature -0.343750000002736 -1.80096000000014
12 17 infinite-temperature -0.34375000009944 -1.80096000000509
12 30 infinite-temperature -0.34375 -1.80096
20 17 infinite-temperature -0.305599561762365 -1.79900669756223
20 20 infinite-temperature -0.313834892294866 -1.7994283464855
12 20 equilibrium:0.5 -0.380172511797522 -1.80282483260403
REF
    # D = 12, beta = 20: within-basin rates e^57, settled from t = 1e-6 on
    "$H" evolve --dim 12 --beta 20 --from infinite-temperature --times 0,1e-6,1e-3,1 --json >s.json ||
        fail "D = 12 early times: exit code"
    every_close mean_x s.json -0.343750000002736 1e-8
    every_close mean_phi s.json -1.80096000000014 1e-8
    ;;
product_never_wrong)
    # beyond what the integrators resolve: an error or the right number, never a wrong one
    for b in 50; do
        if "$H" evolve --dim 12 --beta $b --from infinite-temperature --times 0,1 --json >p.json 2>err.txt; then
            close "$(last mean_phi p.json)" -1.80096 1e-6 || fail "beta $b: <phi> $(last mean_phi p.json)"
        else
            [ -s err.txt ] || fail "beta $b: exit code without a message"
        fi
    done
    ;;
blocks)
    # two blocks of D / 2: the same means as the product path (each block
    # is one of its two chains' coordinates)
    PP='m1-(m2+0.2)^2+0.38*(m2+0.2)^3'
    while read -r D b x phi liquid; do
        f=b_${D}_${b}.json
        # (the paper's phi as a formula: the lattice, not the product route)
        "$H" evolve --blocks 2 --dim "$D" --beta "$b" --phi "$PP" --from infinite-temperature \
            --times 0,1 --json >"$f" ||
            fail "evolve --blocks 2 --dim $D --beta $b: exit code"
        every_close mean_x "$f" "$x" 1e-8
        every_close mean_phi "$f" "$phi" 1e-8
        l=$(python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))["points"][-1]
print(*[b["probability"] for b in p["basins"] if b["name"] == "liquid"])' "$f")
        close "$l" "$liquid" 1e-8 || fail "blocks D = $D beta = $b: liquid $l, not $liquid"
    done <<'REF'
12 20 -0.343750000002736 -1.80096000000014 0.656249999997264
12 17 -0.34375000009944 -1.80096000000509 0.65624999990056
20 17 -0.305599561762365 -1.79900669756223 0.694400438237635
20 20 -0.313834892294866 -1.7994283464855 0.686165107705134
20 30 -0.336985168451369 -1.80061364062471 0.663014831548631
REF
    # D = 12, beta = 20: settled at t = 1e-3 already (the old code printed the equilibrium)
    "$H" evolve --blocks 2 --dim 12 --beta 20 --phi "$PP" --from infinite-temperature \
        --times 0,1e-3,1 --json >s.json ||
        fail "blocks D = 12 early times: exit code"
    every_close mean_phi s.json -1.80096000000014 1e-8
    ;;
blocks_unresolved)
    # three blocks, 15.. wells: two or more slow rates below the eigensolver's
    # resolution and a committor chain of the basins that is not exact (rate
    # gap 0.24): the Krylov exponential is trusted up to t = 2.99 only; the
    # outputs beyond were refused, and come now from CVODE continuing from
    # there.  Reference: SciPy's Radau (rtol 1e-12, atol 1e-16, the sparse
    # generator of eq 5.2 built here from the model's definition).
    F='-0.6*cos(3*pi*m1)+0.15*m1+0.3*m2*m3'
    "$H" evolve --blocks 3 --dim 30 --phi "$F" --beta 2 --from b1 \
        --times 0,0.1,1,10,100,1e4 --json >u.json 2>err.txt ||
        fail "exit code: $(cat err.txt)"
    PY=${PYTHON:-python3}
    "$PY" -c 'import numpy, scipy' 2>/dev/null || PY=/usr/bin/python3
    "$PY" - u.json "$HERE" <<'PYEOF' || fail "against Radau"
import itertools, json, math, sys
import numpy as np, scipy.sparse as sps
from scipy.integrate import solve_ivp
d = json.load(open(sys.argv[1]))
assert "cvode" in d["method"], d["method"]
Db, D, beta = 10, 30, 2.0
phi = lambda m: -0.6 * math.cos(3 * math.pi * m[0]) + 0.15 * m[0] + 0.3 * m[1] * m[2]
idx = lambda n: (n[0] * (Db + 1) + n[1]) * (Db + 1) + n[2]
N = (Db + 1) ** 3
ms, ph = np.zeros((N, 3)), np.zeros(N)
for n in itertools.product(range(Db + 1), repeat=3):
    ms[idx(n)] = [2 * x / Db - 1 for x in n]
    ph[idx(n)] = phi(ms[idx(n)])
rows, cols, vals = [], [], []
for n in itertools.product(range(Db + 1), repeat=3):
    i = idx(n)
    for b in range(3):
        for s in (1, -1):
            nn = list(n)
            nn[b] += s
            if 0 <= nn[b] <= Db:  # one spin of block b flips: count x rate of eq 5.2
                j = idx(nn)
                k = (Db - n[b] if s > 0 else n[b]) * math.exp(-beta * D * (ph[j] - ph[i]) / 2)
                rows += [j, i]
                cols += [i, i]
                vals += [k, -k]
Q = sps.csr_matrix((vals, (rows, cols)), shape=(N, N))
start = [p for p in d["points"] if p["t"] == 0][0]
n0 = [round((m + 1) * Db / 2) for m in start["mean_m"]]  # the start: one class
p0 = np.zeros(N)
p0[idx(n0)] = 1
ts = [p["t"] for p in d["points"] if p["t"] > 0]
r = solve_ivp(lambda t, p: Q @ p, (0, ts[-1]), p0, method="Radau", t_eval=ts,
              rtol=1e-12, atol=1e-16, jac=Q)
assert r.status == 0
refs = []
for k, p in enumerate([p for p in d["points"] if p["t"] > 0]):
    q = r.y[:, k]
    refs.append(list(ms.T @ q) + [ph @ q])
sys.path.insert(0, sys.argv[2])
from evolvefix_compare import compare
compare([p for p in d["points"] if p["t"] > 0], refs, "Radau")
PYEOF
    ;;
blocks_slow_lambda1)
    # three blocks at D = 24: the slowest rate (7.7e-14) is below the
    # eigensolver's resolution (2.7e-13) and the chain has more than two
    # basins (no capacity formula).  The outputs after the switch time were
    # left to CVODE, which ran for hours towards t = 1e130 or 1e300; lambda1
    # now comes from the log-space fixed point and the slowest mode relaxes
    # exactly (1e13 and 1e14 midway, 1e300 the equilibrium).  Reference:
    # the product of the exact evolutions of block 1 (mpmath) and of blocks
    # 2, 3 (doubles), phi being a sum of the two parts.  (Other D and beta
    # go in the list below as "D beta times".)
    PY=${PYTHON:-python3}
    "$PY" -c 'import numpy, mpmath' 2>/dev/null || PY=/usr/bin/python3
    for run in "24 2 0,1e10,1e12,1e13,1e14,1e300"; do
    read -r D beta times <<<"$run"
    timeout 120 "$H" evolve --blocks 3 --dim $D --phi '-0.6*cos(3*pi*m1)+0.15*m1+0.3*m2*m3' \
        --beta $beta --from b1 --times $times --json >u.json 2>err.txt ||
        fail "D = $D, beta = $beta: exit code $?: $(cat err.txt)"
    "$PY" - u.json $D "$HERE" $beta <<'PYEOF' || fail "D = $D, beta = $beta: against the exact product evolution"
import itertools, json, math, sys
import mpmath as mp
import numpy as np
mp.mp.dps = 60  # 40 left the rate 5.3e-22 (exits 4e10) to 1e-8 relative
D, beta = int(sys.argv[2]), int(sys.argv[4])
Db = D // 3
d = json.load(open(sys.argv[1]))
pts = [p for p in d["points"] if p["t"] > 0]
ts = [p["t"] for p in pts]
# phi = f(m1) + g(m2, m3): the generator is Q1 (+) Q23, and from one class
# P(t) = P1(t) (x) P23(t).  Block 1 (its three wells carry the slow rates,
# 1.7e-11 and 7.7e-14) by mpmath, blocks 2 and 3 (rates 0.0075 and up) in
# doubles; each by the eigenvectors of its symmetrised generator.
def birth_death_pairs(dim):
    states = list(itertools.product(range(Db + 1), repeat=dim))
    ix = {s: i for i, s in enumerate(states)}
    moves = []
    for s in states:
        for b in range(dim):
            for dn in (1, -1):
                t = list(s); t[b] += dn
                if 0 <= t[b] <= Db:  # count of spins of block b that flip
                    moves.append((ix[s], ix[tuple(t)], Db - s[b] if dn > 0 else s[b]))
    return states, ix, moves
def propagate(N, moves, lw, en, i0, ts, M, exp, sqrt, eig):
    lpi = [lw[i] - beta * D * en[i] for i in range(N)]
    mx = max(lpi)
    pi = [exp(l - mx) for l in lpi]
    z = sum(pi); pi = [p / z for p in pi]
    S = M(N)
    for i, j, c in moves:  # eq 5.2: c exp(-beta D dphi / 2)
        k = c * exp(-beta * D * (en[j] - en[i]) / 2)
        S[i, i] -= k
        S[j, i] += k * sqrt(pi[i] / pi[j]) / 2
        S[i, j] += k * sqrt(pi[i] / pi[j]) / 2
    E, V = eig(S)
    E = [E[k] for k in range(N)]
    top = max(range(N), key=lambda k: E[k])
    E[top] = 0 * E[top]  # the equilibrium, exactly
    c = [V[i0, k] / sqrt(pi[i0]) for k in range(N)]
    return [[sqrt(pi[i]) * sum(V[i, k] * c[k] * exp(E[k] * t) for k in range(N))
             for i in range(N)] for t in ts]
lC = lambda n: math.lgamma(Db + 1) - math.lgamma(n + 1) - math.lgamma(Db - n + 1)
m0 = [round((m + 1) * Db / 2) for m in [p for p in d["points"] if p["t"] == 0][0]["mean_m"]]
s1, ix1, mv1 = birth_death_pairs(1)
en1 = [-0.6 * mp.cos(3 * mp.pi * (mp.mpf(2 * s[0]) / Db - 1)) + mp.mpf(15) / 100 * (mp.mpf(2 * s[0]) / Db - 1) for s in s1]
P1 = propagate(len(s1), mv1, [mp.mpf(lC(s[0])) for s in s1], en1, ix1[(m0[0],)],
               [mp.mpf(t) for t in ts], mp.zeros, mp.exp, mp.sqrt, mp.eigsy)
s23, ix23, mv23 = birth_death_pairs(2)
mm = lambda n: 2 * n / Db - 1
en23 = [0.3 * mm(a) * mm(b) for a, b in s23]
P23 = propagate(len(s23), mv23, [lC(a) + lC(b) for a, b in s23], en23, ix23[tuple(m0[1:])], ts,
                lambda N: np.zeros((N, N)), math.exp, math.sqrt, np.linalg.eigh)
refs = [[float(mp.fsum(P1[k][i] * (mp.mpf(2 * s[0]) / Db - 1) for i, s in enumerate(s1))),
         sum(P23[k][i] * mm(s[0]) for i, s in enumerate(s23)),
         sum(P23[k][i] * mm(s[1]) for i, s in enumerate(s23)),
         float(mp.fsum(P1[k][i] * en1[i] for i in range(len(s1)))) +
         sum(P23[k][i] * en23[i] for i in range(len(s23)))] for k in range(len(pts))]
sys.path.insert(0, sys.argv[3])
from evolvefix_compare import compare
compare(pts, refs, "the exact product evolution")
PYEOF
    done
    ;;
one_block_wells)
    # one block at D = 20 with five wells, beta = 2 and 2.1: the double
    # eigensolver returned 6.4e-14 and 1.7e-13 for the slowest rates
    # 7.46e-15 and 3.46e-14 (exits up to 1.5e6), and the relaxation by that
    # lambda1 printed the equilibrium at t = 1e15 with full digits, <m1> off
    # by 1.9e-4.  lambda1 and lambda2 now come from gt-lanczos below the
    # double solver's reach.  Reference: the 21-state chain's
    # eigendecomposition in mpmath (40 digits).  At --rtol 1e-7 the Krylov
    # exponential runs: its solves lost the slow modes (<m1> off by 2e-4 at
    # t = 1e14 at every tolerance) until they were refined in flux form.
    PY=${PYTHON:-python3}
    "$PY" -c 'import mpmath' 2>/dev/null || PY=/usr/bin/python3
    for run in "2 1e-10" "2.1 1e-10" "2 1e-7" "1.9 1e-7"; do
        beta=${run% *} rtol=${run#* }
        timeout 120 "$H" evolve --blocks 1 --dim 20 --phi '-0.5*cos(4*pi*m1)+0.1*m1' \
            --beta $beta --from b1 --times 0,1e11,1e13,1e14,1e15,1e16,1e300 --rtol $rtol \
            --json >u.json 2>err.txt || fail "beta $beta: exit code $?: $(cat err.txt)"
        "$PY" - u.json 20 $beta "$HERE" $rtol <<'PYEOF' || fail "beta $beta, rtol $rtol: against mpmath"
import json, sys
import mpmath as mp
sys.path.insert(0, sys.argv[4])
from evolvefix_compare import compare, one_block_chain
D, beta = int(sys.argv[2]), sys.argv[3]
d = json.load(open(sys.argv[1]))
pts = [p for p in d["points"] if p["t"] > 0]
m = lambda n: mp.mpf(2 * n) / D - 1
en = [-mp.mpf(1) / 2 * mp.cos(4 * mp.pi * m(n)) + m(n) / 10 for n in range(D + 1)]
n0 = round((d["points"][0]["mean_m"][0] + 1) * D / 2)
pi, P, basin = one_block_chain(D, beta, en, n0, [p["t"] for p in pts])
refs = [[float(mp.fsum(Pt[i] * m(i) for i in range(D + 1))),
         float(mp.fsum(Pt[i] * en[i] for i in range(D + 1)))] for Pt in P]
compare(pts, refs, "mpmath", 10 * float(sys.argv[5]))
PYEOF
    done
    ;;
population_error)
    # population_error covers the error: one block at D = 60 with seven
    # wells, beta = 1, from b3 (CVODE after the Krylov exponential).  With the
    # run's BDF at rtol the check at 10 rtol fell 4 times short of its error
    # (b1 off by 2.5e-10 at t = 1e9, estimate 7.6e-11; 1.1e-9 at t = 3e8 for
    # rtol 1e-10); now the run's BDF runs at rtol / 10.  Reference: the
    # 61-state chain's eigendecomposition in mpmath (40 digits).
    PY=${PYTHON:-python3}
    "$PY" -c 'import mpmath' 2>/dev/null || PY=/usr/bin/python3
    phi='-0.3*cos(6*pi*m1)+0.08*m1'
    "$H" exact --blocks 1 --dim 60 --phi "$phi" --beta 1 --json >ex.json ||
        fail "exact: exit code $?"
    for rtol in 1e-10 1e-9; do
        timeout 120 "$H" evolve --blocks 1 --dim 60 --phi "$phi" --beta 1 --from b3 \
            --times 1e6,1e7,1e8,3e8,1e9,1e10,1e11,2.4e11 --rtol $rtol --json >u.json \
            2>err.txt || fail "rtol $rtol: exit code $?: $(cat err.txt)"
        "$PY" - u.json ex.json "$HERE" $rtol <<'PYEOF' || fail "rtol $rtol: against mpmath"
import json, sys
import mpmath as mp
sys.path.insert(0, sys.argv[3])
from evolvefix_compare import one_block_chain
d, ex, rtol = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), float(sys.argv[4])
D = 60
m = lambda n: mp.mpf(2 * n) / D - 1
en = [-mp.mpf(3) / 10 * mp.cos(6 * mp.pi * m(n)) + mp.mpf(8) / 100 * m(n) for n in range(D + 1)]
times = [p["t"] for p in d["points"]]
pi, P, basin = one_block_chain(D, 1, en, d["start"]["n"][0], times)
top = {b["name"]: round((b["m"][0] + 1) * D / 2) for b in ex["basins"]}
worst = 0
for p, Pt in zip(d["points"], P):
    mm = float(mp.fsum(Pt[n] * m(n) for n in range(D + 1)))
    assert abs(p["mean_m"][0] - mm) < 10 * rtol, (p["t"], p["mean_m"], mm)
    assert abs(p["mean_m"][0] - mm) <= p["mean_m_error"][0], (p["t"], p["mean_m"], mm)
    ph = float(mp.fsum(Pt[n] * en[n] for n in range(D + 1)))
    assert abs(p["mean_phi"] - ph) <= p["mean_phi_error"], (p["t"], p["mean_phi"], ph)
    for b in p["basins"]:
        ref = float(mp.fsum(Pt[n] for n in range(D + 1) if basin[n] == top[b["name"]]))
        if b["probability"] is None:
            assert ref <= b["probability_bound"], (p["t"], b, ref)
            continue
        err = abs(b["probability"] - ref)
        worst = max(worst, err / b["population_error"])
        assert err <= b["population_error"], (p["t"], b, ref, err)
print("rtol %g: largest error / population_error %.2g" % (rtol, worst))
PYEOF
    done
    ;;
unknown_basin)
    # the basins listed when --from names none: every name with two basins
    # (the list said "liquid, crystal ..."), four and a count beyond (it
    # said "b1, b2,  ...")
    "$H" evolve --blocks 2 --dim 20 --phi 'm1-(m2+0.2)^2+0.38*(m2+0.2)^3' --beta 1 --from b1 \
        --times 0,1 >out.txt 2>err.txt && fail "an unknown basin was accepted"
    grep -q "(basins: liquid, crystal; or class:INDEX" err.txt || fail "two basins: $(cat err.txt)"
    "$H" evolve --blocks 3 --dim 24 --phi '-0.6*cos(3*pi*m1)+0.15*m1+0.3*m2*m3' --beta 2 \
        --from b77 --times 0,1 >out.txt 2>err.txt && fail "b77 was accepted"
    grep -q "(basins: b1, b2, b3, b4 and 5 more; or" err.txt || fail "nine basins: $(cat err.txt)"
    [ "$(wc -l <err.txt)" -eq 1 ] || fail "more than one line: $(cat err.txt)"
    # a branch of f whose basin holds no class of the lattice: said so (the
    # list named branch-3 while refusing it), and not listed
    P2='-0.5*cos(4*pi*m1)+0.1*m1+-0.3*cos(6*pi*m2)+0.08*m2'
    "$H" evolve --blocks 2 --dim 16 --phi "$P2" --beta 1 --from branch-3 --times 0,1 \
        >out.txt 2>err.txt && fail "an empty basin was accepted"
    grep -q "the basin of branch-3 holds no class at D = 16" err.txt || fail "empty: $(cat err.txt)"
    "$H" evolve --blocks 2 --dim 16 --phi "$P2" --beta 1 --from zz --times 0,1 \
        >out.txt 2>err.txt && fail "zz was accepted"
    ! grep -q "branch-3" err.txt || fail "an empty basin listed: $(cat err.txt)"
    ;;
*)
    fail "unknown test $T"
    ;;
esac
