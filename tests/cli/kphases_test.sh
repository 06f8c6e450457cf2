#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of `hyperland phases --blocks` and `gaussian --blocks` (issue 12:
# the equilibrium of k blocks).  usage: kphases_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

case "$T" in
kphases_errors)
    # an odd k without phi, sizes not summing to D, a formula with an
    # unknown variable, D not a multiple of k
    EXPECT_RC=2 # an odd k without phi, a --dim that does not fit the blocks: usage errors
    expect_error phases --blocks 3 --points 20
    grep -q 'odd number of blocks needs --phi FORMULA' err.txt || fail "odd k: $(cat err.txt)"
    expect_error phases --block-sizes 2,2 --dim 5 --points 20
    grep -q 'differs from the sum 4' err.txt || fail "sizes: $(cat err.txt)"
    expect_error gaussian --blocks 4 --dim 6 --beta 1
    EXPECT_RC=1
    expect_error phases --blocks 3 --phi 'm1+m4' --points 20
    grep -q "unknown name 'm4'" err.txt || fail "unknown variable: $(cat err.txt)"
    expect_error phases --blocks 2 --phi 'x+z' --points 20
    expect_error phases --blocks 3 --phi 'x+m1' --points 20
    expect_error gaussian --blocks 2 --dim 20 --beta 1.5 --at 0.3,0.3
    grep -q 'not a maximum' err.txt || fail "--at: $(cat err.txt)"
    expect_error gaussian --blocks 2 --dim 20 --beta 1.5 --branch nonesuch
    EXPECT_RC=2
    # k too large, bad lists, both options, --dim without blocks
    expect_error phases --blocks 65 --points 20
    grep -q 'must be 1 .. 64' err.txt || fail "k too large: $(cat err.txt)"
    expect_error phases --blocks 0
    expect_error phases --block-sizes 2,,2
    expect_error phases --block-sizes 2,0
    expect_error phases --blocks 2 --block-sizes 1,1
    expect_error phases --dim 10
    # --ou and --exact work with blocks (kfill_test.sh); out of range they do not
    expect_error gaussian --blocks 2 --dim 20 --beta 1.5 --ou 0
    expect_error gaussian --blocks 3 --dim 1500 --beta 1 --exact --phi 'm1+m2+m3'
    grep -q 'classes is above' err.txt || fail "--exact too large: $(cat err.txt)"
    expect_error gaussian --blocks 3 --dim 30 --beta 1 --at 0.1,0.2 --phi 'm1*m2+m3'
    ;;
kphases_pair)
    # two equal blocks: the branch table equals today's (x, y columns too)
    "$H" phases --blocks 2 --points 300 --output b.csv >b.txt || fail "blocks exit"
    "$H" phases --points 300 --output a.csv >a.txt || fail "phases exit"
    grep -q '^branch,beta,T,m1,m2,x,y,phi,w,f,stable,heat_capacity,end$' b.csv || fail "CSV header"
    "$PY" - a.csv b.csv <<'PYEOF' || fail "k = 2 against phases"
import csv, sys
def rows(p):
    # the grid rows (the blocks CSV adds a row at each end of a branch,
    # end = fold | pitchfork | branch-point)
    return {(r["branch"], r["beta"]): r for r in csv.DictReader(l for l in open(p) if not l.startswith("#"))
            if not r.get("end")}
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert a.keys() == b.keys() and len(a) > 300, (len(a), len(b))
for key, r in a.items():
    s = b[key]
    # w, phi: 1e-10 (the blocks' points are settled to rounding, phases'
    # to its Newton tolerance: 2e-11 relative in w at beta = 1.689)
    for c, tol in (("f", 1e-12), ("phi", 1e-10), ("w", 1e-10)):
        x, y = float(r[c]), float(s[c])
        assert abs(x - y) <= tol * abs(x) + 1e-14, (key, c, x, y)
    for c in ("x", "y"):
        assert abs(float(r[c]) - float(s[c])) <= 1e-11, (key, c)
    assert r["stable"] == s["stable"]
    x, y = float(s["m1"]), float(s["m2"])
    assert abs((x + y) / 2 - float(s["x"])) <= 1e-15 and abs((x - y) / 2 - float(s["y"])) <= 1e-15
PYEOF
    # the melting point and barrier in the text summary
    bm_a=$(grep -o 'beta_m = [0-9.]*' a.txt | head -1 | sed 's/.*= //')
    bm_b=$(grep -o 'beta_m = [0-9.]*' b.txt | head -1 | sed 's/.*= //')
    close "$bm_a" "$bm_b" 1e-11 || fail "beta_m $bm_a vs $bm_b"
    "$H" gaussian --blocks 2 --dim 40 --beta 1.5 --json >g.json || fail "gaussian exit"
    "$H" gaussian --dim 40 --beta 1.5 --json >h.json || fail "gaussian 2-D exit"
    "$PY" - g.json h.json <<'PYEOF' || fail "gaussian k = 2 against today"
import json, sys
g, h = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
gm = {m["branch"]: m for m in g["maxima"]}
hm = {m["branch"]: m for m in h["maxima"]}
assert gm.keys() == hm.keys() and len(gm) == 2
for name, m in hm.items():
    for c in ("E11", "E22", "cov_xx", "cov_yy"):
        assert abs(gm[name][c] - m[c]) <= 1e-12 * abs(m[c]), (name, c)
    assert abs(gm[name]["E12"] - m["E12"]) <= 1e-12 * abs(m["E11"]), name
PYEOF
    ;;
kphases_k3)
    # three blocks: CSV columns, JSON, --at, figures
    PHI='m1^2*m2 - m1*m2*m3 + (m3^2-0.5)^2 - 0.3*m1 + 0.2*m2*m3^2'
    "$H" phases --block-sizes 10,20,10 --phi "$PHI" --beta-min 0.2 --beta-max 3 --points 150 \
        --output k3.csv --json >k3.json || fail "k = 3 exit"
    grep -q '^branch,beta,T,m1,m2,m3,phi,w,f,stable,heat_capacity,end$' k3.csv || fail "CSV header"
    "$PY" - k3.json k3.csv <<'PYEOF' || fail "k = 3 JSON"
import csv, json, sys
d = json.load(open(sys.argv[1]))
assert d["command"] == "phases" and d["blocks"] == [10, 20, 10]
assert d["search"]["complete"] is True and d["search"]["unresolved_boxes"] == 0
assert len(d["branches"]) >= 2
for m in d["melting"]:
    assert m["saddle"]["barrier_per_dim"][m["high_T_branch"]] > 0
rows = [r for r in csv.DictReader(l for l in open(sys.argv[2]) if not l.startswith("#"))]
assert len(rows) >= 150
for r in rows:
    assert all(abs(float(r[c])) <= 1 for c in ("m1", "m2", "m3"))
    assert abs(float(r["f"]) - (float(r["w"]) - float(r["beta"]) * float(r["phi"]))) < 1e-10
PYEOF
    "$H" phases --block-sizes 10,20,10 --phi "$PHI" --at 2 >at.txt || fail "--at exit"
    grep -q 'every stationary point found' at.txt || fail "--at search"
    grep -q 'barrier per dimension' at.txt || fail "--at saddle"
    "$H" gaussian --block-sizes 10,20,10 --phi "$PHI" --beta 2 --branch crystal --output g.csv \
        >g.txt || fail "gaussian k = 3"
    grep -q '^branch,beta,m1,m2,m3,E_1_1,E_1_2,E_1_3,E_2_2,E_2_3,E_3_3,cov_1_1' g.csv || fail "gaussian CSV"
    if command -v gnuplot >/dev/null; then
        "$H" phases --block-sizes 10,20,10 --phi "$PHI" --beta-min 0.2 --beta-max 3 --points 100 \
            --output /dev/null --plot figs >/dev/null || fail "plot exit"
        for f in blocks_m_vs_T.png blocks_paths.png blocks_phi_vs_T.png; do
            [ -s "figs/$f" ] || fail "missing $f"
        done
    fi
    ;;
*) fail "unknown test $T" ;;
esac
echo "PASS [$T]"
