#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the equilibrium side of issue 13 (glass branch): the heat
# capacity along the branches (phases), each basin's own thermodynamics
# (exact).  usage: glass_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

case "$T" in
phases_heat_capacity)
    # the CSV column, positive on every row, and d<phi>/dT by a difference
    # along the branch (liquid and crystal) to 1e-6
    "$H" phases --beta-min 0.5 --beta-max 3 --points 2501 --output b.csv >/dev/null ||
        fail "phases exit code"
    grep -q '^branch,beta,T,x,y,phi,w,f,stable,heat_capacity,end$' b.csv || fail "CSV header"
    "$PY" - b.csv <<'PYEOF' || fail "heat_capacity column against a difference of phi"
import csv, sys
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith("#"))]
head, rows = rows[0], rows[1:]
i = {k: n for n, k in enumerate(head)}
rows = [r for r in rows if not r[i["end"]]]  # the grid rows (an end has no c)
by = {}
for r in rows:
    by.setdefault(r[i["branch"]], []).append((float(r[i["T"]]), float(r[i["phi"]]), float(r[i["heat_capacity"]])))
assert set(by) == {"liquid", "crystal"}, by.keys()
n = 0
for name, pts in by.items():
    pts.sort()
    for k in range(1, len(pts) - 1, 50):
        (t0, p0, _), (t1, p1, c1), (t2, p2, _) = pts[k - 1], pts[k], pts[k + 1]
        assert c1 > 0, (name, t1, c1)
        # central difference in T on the (uneven) T grid, second order
        h0, h1 = t1 - t0, t2 - t1
        fd = (p2 * h0 * h0 - p0 * h1 * h1 + p1 * (h1 * h1 - h0 * h0)) / (h0 * h1 * (h0 + h1))
        assert abs(fd - c1) <= 2e-6 * abs(c1) + 1e-9, (name, t1, fd, c1)
        n += 1
assert n >= 80, n
PYEOF
    ;;
phases_at_json)
    # --at --json: heat_capacity of each maximum against mpmath (tests/ref/glass_ref.py)
    "$H" phases --at 0.773 --json >a.json || fail "phases --at exit code"
    "$PY" - a.json <<'PYEOF' || fail "heat_capacity at beta = 0.773"
import json, sys
r = json.load(open(sys.argv[1]))
c = {m["branch"]: m["heat_capacity"] for m in r["maxima"]}
ref = {"liquid": 0.38504091739664775, "crystal": 0.2185108982154207}
for k, v in ref.items():
    assert abs(c[k] - v) <= 1e-9 * v, (k, c[k], v)
PYEOF
    "$H" phases --at 6 --phi 'x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.5*(x-y)^4' >t.txt ||
        fail "phases --at text exit code"
    grep -q 'c=d<phi>/dT' t.txt || fail "text table without the heat capacity column"
    ;;
exact_basins)
    # each basin's own ln Z, <phi>, S, c against mpmath, and the whole system
    # as the log-sum over the basins, on both summation paths
    for method in separable general; do
        "$H" exact --dim 400 --beta 0.8 --method $method --json >e.json || fail "exact exit code ($method)"
        "$PY" - e.json <<'PYEOF' || fail "basin thermodynamics ($method)"
import json, math, sys
r = json.load(open(sys.argv[1]))
D, beta = r["dim"], r["beta"]
ref = {  # tests/ref/glass_ref.py: x, y -> ln Z_b / D, <phi>_b, S_b / D, c_b
    (-0.965, 0.035): (1.4879346149506971, -1.7533450062617706, 0.08525860994128058, 0.20993880133567283),
    (-0.03, -0.9): (1.4835434499470619, -1.6014026410368554, 0.20242133711757762, 0.3782161244358863)}
seen = 0
for b in r["basins"]:
    for (x, y), v in ref.items():
        if abs(b["x"] - x) < 1e-12 and abs(b["y"] - y) < 1e-12:
            seen += 1
            got = (b["lnZ_per_dim"], b["mean_phi"], b["entropy_per_dim"], b["heat_capacity_per_dim"])
            for g, e in zip(got, v):
                assert abs(g - e) <= 1e-10 * abs(e), (b["name"], g, e)
            assert "thermo_null_reason" not in b
assert seen == 2
mx = max(b["lnZ_per_dim"] * D for b in r["basins"])
lnz = (mx + math.log(sum(math.exp(b["lnZ_per_dim"] * D - mx) for b in r["basins"]))) / D
assert abs(lnz - r["lnZ_per_dim"]) <= 1e-14 * abs(lnz), (lnz, r["lnZ_per_dim"])
assert abs(r["entropy_per_dim"] - (r["lnZ_per_dim"] + beta * r["mean_phi"])) < 1e-14
PYEOF
    done
    ;;
exact_basin_null)
    # a basin whose classes all lie below 1e-300 of the largest term on the
    # general path: its own values are null with a reason, never 0
    "$H" exact --dim 200000 --beta 0.8 --method general --json >e.json || fail "exact exit code"
    "$PY" - e.json <<'PYEOF' || fail "null basin thermodynamics"
import json, sys
r = json.load(open(sys.argv[1]))
liq = [b for b in r["basins"] if b["name"] == "liquid"][0]
for k in ("lnZ_per_dim", "mean_phi", "entropy_per_dim", "heat_capacity_per_dim"):
    assert liq[k] is None, (k, liq[k])
assert len(liq["thermo_null_reason"]) > 10
cr = [b for b in r["basins"] if b["name"] == "crystal"][0]
assert cr["heat_capacity_per_dim"] > 0 and "thermo_null_reason" not in cr
PYEOF
    "$H" exact --dim 200000 --beta 0.8 --method general >t.txt || fail "exact text exit code"
    grep -q 'own thermodynamics n/a' t.txt || fail "text without the reason"
    ;;
phases_t0_end)
    # where each branch ends as T -> 0 (JSON and text): the paper's two
    # vertices; a degenerate glass on an edge (mpmath: tests/ref/glass_ref.py);
    # a branch that dies at a fold: null with the reason
    "$H" phases --points 300 --output /dev/null --json >p.json || fail "phases exit code"
    "$H" phases --points 300 --output /dev/null --json \
        --phi 'x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.5*(x-y)^4' >e.json || fail "phases exit code (edge)"
    "$H" phases --points 300 --output /dev/null --json \
        --phi 'x+y-(x-y)+0.095*atan((x-y-0.3)/0.1)' >f.json || fail "phases exit code (fold)"
    "$PY" - p.json e.json f.json <<'PYEOF' || fail "t0_end"
import json, sys
p, e, f = (json.load(open(a)) for a in sys.argv[1:])
br = {b["name"]: b for b in p["branches"]}
for name, x, y in (("liquid", 0, -1), ("crystal", -1, 0)):
    t = br[name]["t0_end"]
    assert t["kind"] == "vertex" and t["x"] == x and t["y"] == y, t
    assert t["residual_entropy"] == 0 and t["c_over_T"] == 0 and t["degenerate_glass"] is False, t
liq = {b["name"]: b for b in e["branches"]}["liquid"]["t0_end"]
assert liq["kind"] == "edge" and liq["degenerate_glass"] is True, liq
for k, v in (("x", -0.12117770319594753), ("y", -0.8788222968040524),
             ("residual_entropy", 0.1846324669720663), ("c_over_T", 0.06763540481061311)):
    assert abs(liq[k] - v) <= 1e-9 * abs(v), (k, liq[k], v)
liq = {b["name"]: b for b in f["branches"]}["liquid"]
assert liq["t0_end"] is None and "fold" in liq["t0_end_null_reason"], liq
PYEOF
    "$H" phases --points 300 --output /dev/null \
        --phi 'x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.5*(x-y)^4' >t.txt || fail "phases text exit code"
    grep -q 'liquid   T -> 0: edge .*\[degenerate glass\]' t.txt || fail "text: degenerate glass"
    ;;
phases_kauzmann)
    # the Kauzmann-like point to 1e-10 against mpmath, and null with the reason
    PHIK='x+y-0.3*(x-y)-1.375*(x-y)^2+1.175*(x-y)^3+0.475*(x-y)^4-0.775*(x-y)^5'
    "$H" phases --points 300 --output /dev/null --json --phi "$PHIK" >k.json || fail "phases exit code"
    "$H" phases --points 300 --output /dev/null --json >p.json || fail "phases exit code (paper)"
    "$PY" - k.json p.json <<'PYEOF' || fail "kauzmann"
import json, sys
k, p = (json.load(open(a)) for a in sys.argv[1:])
kz = k["kauzmann"]
assert abs(kz["beta"] - 0.6847303957556024) <= 1e-10, kz
assert abs(kz["w"] - 0.2118186021617306) <= 1e-10, kz
assert abs(kz["liquid"]["w"] - kz["crystal"]["w"]) <= 1e-12, kz
assert kz["beta"] > k["melting"][0]["beta"]
assert p["kauzmann"] is None and "w_liquid > w_crystal" in p["kauzmann_null_reason"], p["kauzmann_null_reason"]
PYEOF
    "$H" phases --points 300 --output /dev/null --phi "$PHIK" | grep -q '^Kauzmann-like point: beta_K = 0.68473039' ||
        fail "text: Kauzmann-like point"
    ;;
*)
    fail "unknown test $T"
    ;;
esac
exit 0
