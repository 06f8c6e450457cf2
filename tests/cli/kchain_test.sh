#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the k-block paths of exact, spectrum, mfpt, evolve and kmc
# (issue 12, kchain): two equal blocks give today's numbers, CSV and JSON
# shapes, bad input.
# usage: kchain_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"

py() {
    python3 - "$@" <<PYEOF || fail "python check failed"
import json, math, sys
def load(p):
    def bad(c):
        sys.exit("non-standard JSON constant %s in %s" % (c, p))
    return json.load(open(p), parse_constant=bad)
def rel(a, b, t):
    if not abs(a - b) <= t * max(abs(a), abs(b), 1e-300):
        sys.exit("%r vs %r (rel tol %g)" % (a, b, t))
$PY
PYEOF
}

PHI='x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.3*x*y'
case "$T" in
exact_pair)
    # two equal blocks = today's exact (default phi and a non-separable one)
    "$H" exact --dim 40 --beta 1.2 --json >a.json || fail "exit code"
    "$H" exact --blocks 2 --dim 40 --beta 1.2 --json >b.json || fail "exit code"
    "$H" exact --dim 36 --beta 1.3 --phi "$PHI" --json >c.json || fail "exit code"
    "$H" exact --block-sizes 18,18 --beta 1.3 --phi "$PHI" --json >d.json || fail "exit code"
    PY='
for p, q in (("a.json", "b.json"), ("c.json", "d.json")):
    a, b = load(p), load(q)
    for key in ("lnZ_per_dim", "mean_x", "mean_y", "mean_phi", "mean_w", "entropy_per_dim"):
        rel(b[key], a[key], 1e-12)
    for key in ("cov_xx", "cov_xy", "cov_yy", "heat_capacity_per_dim"):
        rel(b[key], a[key], 1e-10)
    assert [x["name"] for x in a["basins"]] == [x["name"] for x in b["basins"]]
    for x, y in zip(a["basins"], b["basins"]):
        rel(y["ln_probability"], x["ln_probability"], 1e-11)
        rel(y["lnZ_per_dim"], x["lnZ_per_dim"], 1e-12)
        assert y["x"] == x["x"] and y["y"] == x["y"]
    assert b["path"] == "blocks" and len(b["mean_m"]) == 2 and b["blocks"] == [b["dim"] // 2] * 2
'
    py
    "$H" exact --dim 40 --melting --json >m1.json || fail "exit code"
    "$H" exact --blocks 2 --dim 40 --melting --json >m2.json || fail "exit code"
    PY='rel(load("m2.json")["beta_m"], load("m1.json")["beta_m"], 1e-10)'
    py
    ;;
exact_three)
    # three blocks: text, JSON, the distribution CSV, a melting point
    P3='(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2'
    "$H" exact --blocks 3 --dim 30 --beta 1.2 --phi "$P3" >t.txt || fail "exit code"
    grep -q "basin b1" t.txt && grep -q "<m3>" t.txt || fail "text report: $(cat t.txt)"
    "$H" exact --blocks 3 --dim 30 --beta 1.2 --phi "$P3" --json --distribution q.csv >a.json ||
        fail "exit code"
    grep -q "^# blocks: 10,10,10" q.csv || fail "no blocks comment in the CSV"
    grep -q "^class,n1,n2,n3,m1,m2,m3,ln_Q,Q,basin$" q.csv || fail "CSV header: $(grep -v '^#' q.csv | head -1)"
    PY='
import csv
a = load("a.json")
rows = [r for r in csv.reader(l for l in open("q.csv") if not l.startswith("#"))][1:]
assert len(rows) == a["classes_summed"], (len(rows), a["classes_summed"])
rel(sum(float(r[8]) for r in rows), 1.0, 1e-12)
m1 = sum(float(r[8]) * float(r[4]) for r in rows)
rel(m1, a["mean_m"][0], 1e-10)
names = [b["name"] for b in a["basins"]]
assert names[0] == "b1" and len(names) >= 2
pb = {n: 0.0 for n in names}
for r in rows:
    pb[r[9]] += float(r[8])
for b in a["basins"]:
    rel(pb[b["name"]], b["probability"], 1e-9)
'
    py
    "$H" exact --blocks 3 --dim 30 --phi "$P3" --melting --basins b1,b2 --beta-lo 0.5 \
        --beta-hi 3 --json >m.json || fail "melting exit code"
    PY='
m = load("m.json")
p = {b["name"]: b["probability"] for b in m["basins"]}
rel(p["b1"], p["b2"], 1e-9)
'
    py
    ;;
spectrum_pair)
    "$H" spectrum --dim 40 --beta 1.2 --count 5 --json >a.json || fail "exit code"
    "$H" spectrum --blocks 2 --dim 40 --beta 1.2 --count 5 --json >b.json || fail "exit code"
    "$H" spectrum --dim 30 --beta 1.5 --phi "$PHI" --transmission 'exp(-2*(x+y+1)^2/T)' \
        --count 5 --json >c.json || fail "exit code"
    "$H" spectrum --blocks 2 --dim 30 --beta 1.5 --phi "$PHI" \
        --transmission 'exp(-2*(x+y+1)^2/T)' --count 5 --json >d.json || fail "exit code"
    PY='
for p, q in (("a.json", "b.json"), ("c.json", "d.json")):
    a, b = load(p), load(q)
    assert b["ln_rates"][0] is None and b["rates"][0] == 0
    # within both methods bounds (the per-rate relative error of the old path, the
    # relative resolution of the engine)
    for x, y, e in zip(a["ln_rates"][1:], b["ln_rates"][1:], a["relative_errors"][1:]):
        if abs(x - y) > 2 * (e + b["resolution"]) + 1e-12:
            sys.exit("ln rates %r vs %r" % (x, y))
    assert b["states"] == (a["dim"] // 2 + 1) ** 2
'
    py
    "$H" spectrum --blocks 4 --dim 16 --beta 1.5 --count 4 >t.txt || fail "exit code"
    grep -q "625 classes" t.txt || fail "text: $(cat t.txt)"
    ;;
errors)
    expect_error exact --blocks 3 --dim 30 --beta 1            # odd k, no phi
    expect_error exact --blocks 3 --dim 31 --beta 1 --phi m1   # 3 does not divide 31
    expect_error exact --blocks 2 --beta 1                     # no --dim
    expect_error exact --blocks 0 --dim 30 --beta 1
    expect_error exact --blocks 2 --block-sizes 3,3 --beta 1
    expect_error exact --block-sizes 3,0 --beta 1 --phi m1
    expect_error exact --block-sizes 4,4 --dim 10 --beta 1
    expect_error exact --blocks 3 --dim 30 --beta 1 --phi 'm4'
    expect_error exact --blocks 3 --dim 30 --phi m1 --melting  # no bracket
    expect_error exact --blocks 3 --dim 30 --phi m1 --beta 1 --basins b1,b2
    expect_error exact --blocks 3 --dim 30 --phi m1 --melting --beta-lo 1 --beta-hi 2 --basins b1
    expect_error exact --blocks 8 --dim 160 --beta 1           # too many classes
    expect_error exact --blocks 2 --dim 20 --beta 1 --plot x.png
    expect_error spectrum --blocks 2 --dim 20
    expect_error spectrum --blocks 2 --dim 20 --beta 1 --count 0
    expect_error spectrum --blocks 2 --dim 4 --beta 1 --count 10
    expect_error spectrum --blocks 2 --dim 20 --beta 1 --full
    ;;
*) fail "unknown test $T" ;;
esac
