#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the kfill branch (issues 12/13 for k blocks): phases --blocks
# with the T -> 0 end of each branch and the Kauzmann-like point.
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
*)
    fail "unknown test $T"
    ;;
esac
