#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the kfill branch (issues 12/13 for k blocks): phases --blocks
# with the T -> 0 end of each branch and the Kauzmann-like point; gaussian
# --blocks with --ou and --exact.
# usage: kfill_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}
KZ3='m1-0.3*m2-1.375*m2^2+1.175*m2^3+0.475*m2^4-0.775*m2^5+0.3*m3^2+0.3*m2*m3+0.2*m1*m3'

case "$T" in
phases_t0_pair)
    # two equal blocks: the T -> 0 ends and the Kauzmann point of the two
    # order parameters (same keys, numbers to 1e-12)
    for phi in 'x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.5*(x-y)^4' \
               'x+y-0.3*(x-y)-1.375*(x-y)^2+1.175*(x-y)^3+0.475*(x-y)^4-0.775*(x-y)^5'; do
        "$H" phases --points 200 --output /dev/null --json --phi "$phi" >a.json || fail "phases exit code"
        "$H" phases --blocks 2 --points 200 --output /dev/null --json --phi "$phi" >b.json ||
            fail "phases --blocks exit code"
        "$PY" - a.json b.json <<'PYEOF' || fail "pair != 2-D for $phi"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
def near(x, y):
    return x == y or abs(x - y) <= 1e-12 * max(abs(x), abs(y))
A = {r["name"]: r for r in a["branches"]}
for r in b["branches"]:
    ta, tb = A[r["name"]]["t0_end"], r["t0_end"]
    assert (ta is None) == (tb is None), (ta, tb)
    if ta is None:
        continue
    for k, v in ta.items():
        assert (v == tb[k]) if isinstance(v, (str, bool)) else near(v, tb[k]), (k, v, tb[k])
    assert tb["kind"] in ("vertex", "edge", "interior") and tb["free_dims"] in (0, 1, 2)
    assert near(tb["m"][0], ta["x"] + ta["y"]) and near(tb["m"][1], ta["x"] - ta["y"])
ka, kb = a["kauzmann"], b["kauzmann"]
assert (ka is None) == (kb is None)
if ka is None:
    assert a["kauzmann_null_reason"] == b["kauzmann_null_reason"]
else:
    for k in ("beta", "T", "w"):
        assert near(ka[k], kb[k]), (k, ka[k], kb[k])
    for s in ("liquid", "crystal"):
        for k in ("x", "y", "phi", "w"):
            assert near(ka[s][k], kb[s][k]), (s, k)
PYEOF
    done
    ;;
phases_t0_three)
    # k = 3, unequal blocks: ends on an edge of the cube, the Kauzmann point
    # against mpmath (tests/ref/blocks_lowtemp_ref.py); a face and the text
    "$H" phases --block-sizes 2,3,5 --phi "$KZ3" --points 200 --output /dev/null --json >k.json ||
        fail "phases exit code"
    "$PY" - k.json <<'PYEOF' || fail "k = 3"
import json, sys
k = json.load(open(sys.argv[1]))
br = {b["name"]: b["t0_end"] for b in k["branches"]}
for name, m3, w, c in (("liquid", -0.16666666666666667, 0.33959663299576286, 0.011793079793425157),
                       ("crystal", 0.83333333333333333, 0.14341799152808032, 0.59894809784466374)):
    t = br[name]
    assert t["kind"] == "edge" and t["free_dims"] == 1 and t["degenerate_glass"] is True, t
    assert abs(t["m"][2] - m3) <= 1e-11 and abs(t["m"][0] + 1) <= 1e-15, t
    assert abs(t["residual_entropy"] - w) <= 1e-11 * w and abs(t["c_over_T"] - c) <= 1e-9 * c, t
    assert "x" not in t
kz = k["kauzmann"]
assert abs(kz["beta"] - 0.43585239852167204) <= 1e-10, kz
assert abs(kz["w"] - 0.39265651998437974) <= 1e-10, kz
assert abs(kz["liquid"]["w"] - kz["crystal"]["w"]) <= 1e-12 and len(kz["liquid"]["m"]) == 3
PYEOF
    "$H" phases --blocks 3 --phi 'm1+(m2-0.2)^2+(m3+0.1)^2+0.3*m2*m3' --points 100 --output /dev/null >t.txt ||
        fail "phases text exit code"
    grep -q '^  liquid     T -> 0: face m = (-1, 0.21994885, -0.13299233), .*residual entropy w = 0.4510123238.*\[degenerate glass\]' t.txt ||
        fail "text: face $(cat t.txt)"
    grep -q '^Kauzmann-like point: none (there is no crystal branch)' t.txt || fail "text: Kauzmann none"
    "$H" phases --blocks 3 --phi "$KZ3" --points 100 --output /dev/null | grep -q '^Kauzmann-like point: beta_K = 0.5390410584' ||
        fail "text: Kauzmann point"
    "$H" phases --blocks 2 --help | grep -q "T -> 0 end" || fail "help"
    ;;
gaussian_ou_pair)
    # gaussian --blocks 2 --ou --exact: the numbers of gaussian (x, y keys)
    PHI='x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y'
    for b in 1.2 0.8; do
        "$H" gaussian --dim 40 --beta $b --phi "$PHI" --transmission '1+0.5*x*y+0.1*T' --ou 8 --exact --json >a.json ||
            fail "gaussian exit code"
        "$H" gaussian --blocks 2 --dim 40 --beta $b --phi "$PHI" --transmission '1+0.5*x*y+0.1*T' --ou 8 --exact --json >b.json ||
            fail "gaussian --blocks exit code"
        "$PY" - a.json b.json <<'PYEOF' || fail "pair != 2-D at beta $b"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
A = {m["branch"]: m for m in a["maxima"]}
assert len(A) == len(b["maxima"]) >= 1
for m in b["maxima"]:
    x = A[m["branch"]]
    for k in ("transmission", "diffusion", "drift", "lambda", "mode", "ou_rates",
              "exact_cov_xx", "exact_cov_xy", "exact_cov_yy"):
        u, v = (x[k], m[k]) if isinstance(x[k], list) else ([x[k]], [m[k]])
        scale = max(abs(t) for t in u)
        for p, q in zip(u, v):
            assert abs(p - q) <= 1e-12 * scale, (m["branch"], k, p, q)
    for k in ("rel_diff_xx", "rel_diff_xy", "rel_diff_yy"):
        # a difference of nearly equal numbers: its absolute error counts
        assert abs(x[k] - m[k]) <= 1e-12, (k, x[k], m[k])
    assert len(m["lambda"]) == 2 and len(m["modes_m"]) == 2 and m["exact_basin"]
PYEOF
    done
    "$H" gaussian --blocks 2 --help | grep -q "Ornstein-Uhlenbeck kinetics in m" || fail "help"
    ;;
gaussian_exact_three)
    # k = 3: the exact covariance within each basin against the Gaussian as
    # D grows (the relative difference falls like 1/D), and with one basin
    # the exact covariance of exact --blocks
    for D in 60 120; do
        "$H" gaussian --blocks 3 --dim $D --beta 0.3 --phi "$KZ3" --exact --json >g$D.json ||
            fail "gaussian exit code D = $D"
    done
    "$PY" - g60.json g120.json <<'PYEOF' || fail "1/D"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
A = {m["branch"]: m for m in a["maxima"]}
for m in b["maxima"]:
    x = A[m["branch"]]
    for i in range(3):
        r60, r120 = x["rel_diff"][i][i], m["rel_diff"][i][i]
        # halves with each doubling of D (up to the next order in 1/D)
        assert 1.5 <= r60 / r120 <= 2.7, (m["branch"], i, r60, r120)
PYEOF
    P='(m1-0.3)^2+(m2+0.2)^2+(m3-0.1)^2+0.3*m1*m2+0.2*m2*m3'
    "$H" gaussian --blocks 3 --dim 30 --beta 1 --phi "$P" --exact --json >g.json || fail "gaussian exit code"
    "$H" exact --blocks 3 --dim 30 --beta 1 --phi "$P" --json >e.json || fail "exact exit code"
    "$PY" - g.json e.json <<'PYEOF' || fail "one basin"
import json, sys
g, e = (json.load(open(f)) for f in sys.argv[1:])
assert len(g["maxima"]) == 1 and len(e["basins"]) == 1
X, C = g["maxima"][0]["exact_covariance"], e["cov_m"]
for i in range(3):
    for j in range(3):
        assert abs(X[i][j] - C[i][j]) <= 1e-12 * abs(C[i][i]), (i, j, X[i][j], C[i][j])
PYEOF
    ;;
gaussian_ou_spectrum)
    # the Ornstein-Uhlenbeck rates are the D -> infinity limit of the slowest
    # rates of the class-lattice master equation: D (rate / lambda - 1)
    # settles as D doubles (one basin, so the slowest rates are in it)
    P='(m1-0.3)^2+(m2+0.2)^2+(m3-0.1)^2+0.3*m1*m2+0.2*m2*m3'
    "$H" gaussian --blocks 3 --dim 24 --beta 1 --phi "$P" --json >g.json || fail "gaussian exit code"
    for D in 24 48; do
        "$H" spectrum --blocks 3 --dim $D --beta 1 --phi "$P" --count 4 --json >s$D.json ||
            fail "spectrum exit code D = $D"
    done
    "$PY" - g.json s24.json s48.json <<'PYEOF' || fail "OU against the spectrum"
import json, sys
g, s24, s48 = (json.load(open(f)) for f in sys.argv[1:])
lam = g["maxima"][0]["lambda"]
assert g["maxima"][0]["ou_rates"][:4] == [0] + lam
for i in range(3):
    a = 24 * (s24["rates"][i + 1] / lam[i] - 1)
    b = 48 * (s48["rates"][i + 1] / lam[i] - 1)
    assert abs(a - b) <= 0.15 * abs(b), (i, a, b)
PYEOF
    ;;
*)
    fail "unknown test $T"
    ;;
esac
