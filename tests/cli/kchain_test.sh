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
# the files a test made itself may stay beside a refusal's
KEEP='^(out|err)\.txt$|^[a-z0-9]+\.(json|csv|txt)$'
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
    # the paper's phi as a formula: the chain engine on the lattice (without
    # --phi, two equal blocks go through the 2-D separable chains)
    "$H" spectrum --blocks 2 --dim 40 --beta 1.2 --count 5 --json \
        --phi 'm1-(m2+0.2)^2+0.38*(m2+0.2)^3' >b.json || fail "exit code"
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
mfpt_pair)
    "$H" mfpt --dim 30 --beta 1.2 --json >a.json || fail "exit code"
    "$H" mfpt --blocks 2 --dim 30 --beta 1.2 --json --committor q.csv >b.json || fail "exit code"
    "$H" mfpt --dim 30 --beta 1.2 --committor q0.csv >/dev/null || fail "exit code"
    PY='
import csv
a, b = load("a.json"), load("b.json")
rel(b["ln_mfpt"], a["ln_mfpt"], 1e-12)
assert b["start"]["x"] == a["start"]["x"] and b["start"]["y"] == a["start"]["y"]
def rows(p):
    return [r for r in csv.DictReader(l for l in open(p) if not l.startswith("#"))]
q0 = {(r["n"], r["n1"]): r for r in rows("q0.csv")}
q = rows("q.csv")
assert len(q) == len(q0)
for r in q:
    o = q0[(r["n"], r["n1"])]
    if o["ln_committor"] == "":
        assert r["ln_committor"] == ""
    else:
        rel(float(r["committor"]), float(o["committor"]), 1e-10)
'
    py
    grep -q "^# blocks: 15,15" q.csv || fail "no blocks comment"
    ;;
mfpt_three)
    P3='(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2'
    "$H" mfpt --blocks 3 --dim 15 --beta 1.5 --phi "$P3" --from b2 --to b1 --json >a.json ||
        fail "exit code"
    "$H" mfpt --blocks 3 --dim 15 --beta 1.5 --phi "$P3" --from liquid --to crystal --json \
        >b.json || fail "exit code"
    "$H" mfpt --blocks 3 --dim 15 --beta 1.5 --phi "$P3" --from m=-1,1,-1 --to m=-1,-1,-1 \
        --method sparse-direct --json >c.json || fail "exit code"
    PY='
a, b, c = load("a.json"), load("b.json"), load("c.json")
assert a["ln_mfpt"] == b["ln_mfpt"]          # the aliases of b2, b1 here
rel(c["ln_mfpt"], a["ln_mfpt"], 1e-9)        # another method
assert len(a["start"]["m"]) == 3 and a["target_classes"] > 0
'
    py
    expect_error mfpt --blocks 3 --dim 15 --beta 1.5 --phi "$P3" --from b1 --to b1
    expect_error mfpt --blocks 3 --dim 15 --beta 1.5 --phi "$P3" --from b9
    expect_error mfpt --blocks 3 --dim 15 --beta 1.5 --phi "$P3" --method magic
    ;;
evolve_pair)
    printf 't,T\n0,0.8\n30,0.6\n' >p.csv
    PHIB='exp(-2*(x+y+1)^2/T)'
    "$H" evolve --dim 24 --protocol p.csv --phi "$PHI" --transmission "$PHIB" --from liquid \
        --times 1,20,1000 --rtol 1e-11 --json >a.json || fail "exit code"
    "$H" evolve --blocks 2 --dim 24 --protocol p.csv --phi "$PHI" --transmission "$PHIB" \
        --from liquid --times 1,20,1000 --rtol 1e-11 --json --output e.csv >b.json ||
        fail "exit code"
    PY='
a, b = load("a.json"), load("b.json")
# the same start class in both forms: 2-D {n, n1}, blocks {class, n: [n_1, n_2], m, x, y}
assert a["start"]["n"] == sum(b["start"]["n"]) and a["start"]["n1"] == b["start"]["n"][0], (a["start"], b["start"])
assert [2 * v / 12 - 1 for v in b["start"]["n"]] == b["start"]["m"], b["start"]
for p, q in zip(a["points"], b["points"]):
    for key in ("mean_x", "mean_y", "mean_phi", "mean_w", "free_energy"):
        if abs(p[key] - q[key]) > 1e-8:
            sys.exit("%s at t = %g: %r vs %r" % (key, p["t"], p[key], q[key]))
    assert [x["name"] for x in p["basins"]] == [x["name"] for x in q["basins"]], (p, q)
    for x, y in zip(p["basins"], q["basins"]):
        if abs(x["probability"] - y["probability"]) > 1e-8:
            sys.exit("basin %s" % x["name"])
'
    py
    head -30 e.csv | grep -q "^t,beta,T,mean_m1,mean_m2,mean_x,mean_y,mean_phi" ||
        fail "CSV header: $(grep -v '^#' e.csv | head -1)"
    "$H" evolve --blocks 4 --dim 8 --beta 1 --from infinite-temperature --times 0,1 >t.txt ||
        fail "exit code"
    expect_error evolve --blocks 2 --dim 20 --beta 1 --from nowhere --times 1
    expect_error evolve --blocks 2 --dim 20 --beta 1 --from class:999 --times 1
    expect_error evolve --blocks 2 --dim 20 --beta 1 --protocol p.csv --from liquid --times 1
    ;;
kmc_three)
    P3='(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2'
    "$H" kmc --blocks 3 --dim 12 --beta 1.5 --phi "$P3" --from b2 --to b1 --times 1,10 \
        --trajectories 3000 --seed 7 --json --stats s.csv >a.json || fail "exit code"
    "$H" kmc --blocks 3 --dim 12 --beta 1.5 --phi "$P3" --from b2 --to b1 --times 1,10 \
        --trajectories 3000 --seed 7 --threads 1 --json >b.json || fail "exit code"
    "$H" evolve --blocks 3 --dim 12 --beta 1.5 --phi "$P3" --from b2 --times 1,10 --rtol 1e-10 \
        --json >e.json || fail "exit code"
    PY='
a, b, e = load("a.json"), load("b.json"), load("e.json")
f = a["fpt"]
assert f["reached"] == 3000 and a["points"] == b["points"] and f["mean"] == b["fpt"]["mean"]
if abs(f["mean"] - f["exact_mfpt"]) > 4 * f["sem"]:
    sys.exit("kmc mean %r +- %r vs exact %r" % (f["mean"], f["sem"], f["exact_mfpt"]))
# the same start class, and the ensemble means within 4.5 standard errors of the master equation
assert a["start"] == e["start"] and len(a["start"]["n"]) == 3, (a["start"], e["start"])
for p, q in zip(a["points"], e["points"]):
    assert p["count"] == 3000 and p["t"] == q["t"]
    for i in range(3):
        se = p["standard_error_m"][i]
        assert abs(se - (p["variance_m"][i] / 3000) ** 0.5) <= 1e-15 and se > 0, p
        if abs(p["mean_m"][i] - q["mean_m"][i]) > 4.5 * se:
            sys.exit("<m%d> at t = %g: kmc %r +- %r, master %r" % (i + 1, p["t"], p["mean_m"][i], se, q["mean_m"][i]))
    if abs(p["mean_phi"] - q["mean_phi"]) > 4.5 * p["standard_error_phi"]:
        sys.exit("<phi> at t = %g: %r +- %r vs %r" % (p["t"], p["mean_phi"], p["standard_error_phi"], q["mean_phi"]))
    for x in q["basins"]:
        pk, sk = p["populations"][x["name"]], p["populations_standard_error"][x["name"]]
        assert abs(sk - (pk * (1 - pk) * 3000 / 2999 / 3000) ** 0.5) <= 1e-12, (pk, sk)
        if abs(pk - x["probability"]) > 4.5 * max(sk, 1 / 3000):
            sys.exit("P(%s) at t = %g: %r +- %r vs %r" % (x["name"], p["t"], pk, sk, x["probability"]))
'
    py
    grep -q "^t,count,mean_m1,var_m1" s.csv || fail "stats header"
    printf 't,T\n0,0.8\n30,0.6\n' >p.csv
    expect_error kmc --blocks 2 --dim 12 --protocol p.csv --transmission 'exp(-x^2/T)' \
        --from liquid --times 1
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
