#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of what ends a branch of maxima in `hyperland phases --blocks K`:
# fold (spinodal), pitchfork or branch point (hl_bfold.bifurcation).  Each
# end's beta and m are checked against an independent solution
# (tests/cli/pitchfork_ref.py: phi's derivatives written out by hand, h(m)
# of the hypercube, mpmath at 30 digits), the classification against what
# the symmetry of phi implies.  usage: pitchfork_test.sh HYPERLAND TEST
REF="$(cd "$(dirname "$0")" && pwd)/pitchfork_ref.py"
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

# expect JSON PYTHON-EXPR...: each expression true of d (the JSON) and
# ends (its "branch_ends")
expect() {
    local f="$1"
    shift
    "$PY" - "$f" "$@" <<'PYEOF' || fail "$f: expectation failed"
import json, sys
d = json.load(open(sys.argv[1]))
ends = d["branch_ends"]
def by(name):
    return [e for e in ends if e["branch"] == name]
for expr in sys.argv[2:]:
    assert eval(expr), (expr, ends)
PYEOF
}

case "$T" in
pitchfork_k2)
    # phi = -(m1+m2)^2/2 - 0.3 (m1-m2)^2: the liquid m = 0 loses stability
    # along (1, 1) at beta = 1/4 (a pitchfork: +-(m, m) branch off), and
    # on the line (m, -m) two saddles become maxima at beta = 0.5279...
    # (a pitchfork of the symmetry (m1, m2) -> (-m2, -m1)); no fold at all
    PHI='-(m1+m2)^2/2 - 0.3*(m1-m2)^2'
    "$H" phases --blocks 2 --phi "$PHI" --beta-min 0.05 --beta-max 3 --points 400 \
        --output a.csv --json >a.json || fail "exit"
    "$PY" "$REF" a a.json >ref.txt || fail "against the reference: $(cat ref.txt)"
    expect a.json 'len(ends) == 5' 'd["spinodals"] == []' \
        'all(e["bifurcation"] == "pitchfork" and e["null_dims"] == 1 for e in ends)' \
        'by("liquid")[0]["through"] and by("liquid")[0]["maximum_for"] == "smaller beta"' \
        'abs(by("liquid")[0]["beta"] - 0.25) <= 1e-12' \
        'sorted(by("liquid")[0]["branches_meeting"]) == sorted(e["branch"] for e in ends if abs(e["beta"] - 0.25) < 1e-9 and e["branch"] != "liquid")' \
        'sum(1 for e in ends if not e["through"] and e["maximum_for"] == "larger beta") == 2' \
        'sum(1 for e in ends if e["through"] and abs(e["m"][0] + e["m"][1]) < 1e-9 and e["m"][0] != 0) == 2' \
        'all(abs(abs(e["null_vector"][0]) - 0.5 ** 0.5) < 1e-6 for e in ends)' \
        'all(e["beta_error"] is not None and e["beta_error"] < 1e-10 for e in ends)'
    # the text names them; the CSV has one row per end (end column)
    "$H" phases --blocks 2 --phi "$PHI" --beta-min 0.05 --beta-max 3 --points 400 \
        --output /dev/null >a.txt || fail "text exit"
    [ "$(grep -c '^pitchfork: ' a.txt)" -eq 5 ] || fail "text: $(grep pitchfork a.txt)"
    ! grep -q '^spinodal:' a.txt || fail "a pitchfork called a spinodal"
    grep -q '^pitchfork: liquid branch stops being a maximum at beta = 0.250000000000' a.txt ||
        fail "text liquid"
    grep -q 'branch,beta,T,m1,m2,x,y,phi,w,f,stable,heat_capacity,end$' a.csv || fail "CSV header"
    "$PY" - a.csv a.json <<'PYEOF' || fail "CSV end rows"
import csv, json, sys
rows = [r for r in csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#"))]
ends = json.load(open(sys.argv[2]))["branch_ends"]
er = [r for r in rows if r["end"]]
assert len(er) == len(ends) and all(r["end"] == "pitchfork" for r in er), er
for e in ends:
    assert any(r["branch"] == e["branch"] and abs(float(r["beta"]) - e["beta"]) < 1e-11 for r in er), e
assert all(r["stable"] in ("0", "1") for r in rows if not r["end"])
# each branch's rows in order of beta, the ends among them
for name in set(r["branch"] for r in rows):
    b = [float(r["beta"]) for r in rows if r["branch"] == name]
    assert b == sorted(b), name
PYEOF
    ;;
fold_k2)
    # the paper's phi for two blocks: the crystal appears at a true fold
    # (the branch turns back in beta as a saddle)
    "$H" phases --blocks 2 --beta-min 0.05 --beta-max 5 --points 300 --output b.csv \
        --json >b.json || fail "exit"
    "$PY" "$REF" b b.json >ref.txt || fail "against the reference: $(cat ref.txt)"
    expect b.json 'len(ends) == 1 and ends[0]["bifurcation"] == "fold"' \
        'ends[0]["branch"] == "crystal" and not ends[0]["through"] and ends[0]["null_dims"] == 1' \
        'ends[0]["beta_error"] is None and "beta_error_null_reason" in ends[0]' \
        'd["spinodals"] == ends'
    grep -q ',fold$' b.csv || fail "CSV fold row"
    ;;
pitchfork_k3)
    # three permuted blocks.  c: m = 0 loses stability in the plane
    # orthogonal to (1, 1, 1) at beta = 1/3.6 (two null directions; m -> -m
    # makes it a pitchfork); d: a cubic term makes it a branch point, with
    # folds (the crystal appears) and pitchforks of the (a, a, b) points
    # later; e: 0.2 m1 m2 m3 makes m = 0 transcritical along (1, 1, 1)
    "$H" phases --blocks 3 --phi '0.5*(m1+m2+m3)^2 - 0.6*(m1^2+m2^2+m3^2)' --beta-min 0.05 \
        --beta-max 1 --points 60 --output /dev/null --json >c.json || fail "exit c"
    "$PY" "$REF" c c.json >ref_c.txt || fail "c against the reference: $(cat ref_c.txt)"
    expect c.json 'd["spinodals"] == []' \
        'all(e["bifurcation"] == "pitchfork" and e["null_dims"] == 2 for e in ends)' \
        'by("liquid")[0]["through"] and abs(by("liquid")[0]["beta"] - 1 / 3.6) < 1e-12' \
        'len(by("liquid")[0]["branches_meeting"]) == 6'
    "$H" phases --blocks 3 --phi '0.5*(m1+m2+m3)^2 - 0.6*(m1^2+m2^2+m3^2) + 0.3*(m1^3+m2^3+m3^3)' \
        --beta-min 0.05 --beta-max 1 --points 60 --output /dev/null --json >d.json || fail "exit d"
    "$PY" "$REF" d d.json >ref_d.txt || fail "d against the reference: $(cat ref_d.txt)"
    expect d.json 'by("liquid")[0]["bifurcation"] == "branch-point"' \
        'by("liquid")[0]["null_dims"] == 2 and by("liquid")[0]["through"]' \
        'sum(e["bifurcation"] == "fold" for e in ends) == 3 == len(d["spinodals"])' \
        'sum(e["bifurcation"] == "pitchfork" and e["through"] and e["maximum_for"] == "larger beta" for e in ends) == 3' \
        'all(e["null_dims"] == 1 for e in ends if e["branch"] != "liquid")'
    "$H" phases --blocks 3 --phi '-(m1+m2+m3)^2/3 + 0.2*m1*m2*m3' --beta-min 0.05 --beta-max 1 \
        --points 100 --output /dev/null --json >e.json || fail "exit e"
    "$PY" "$REF" e e.json >ref_e.txt || fail "e against the reference: $(cat ref_e.txt)"
    expect e.json 'by("liquid")[0]["bifurcation"] == "branch-point"' \
        'by("liquid")[0]["null_dims"] == 1 and abs(by("liquid")[0]["beta"] - 1 / 6) < 1e-12' \
        'sum(e["bifurcation"] == "fold" for e in ends) == 1' \
        'sum(e["bifurcation"] == "branch-point" and not e["through"] for e in ends) == 1'
    ;;
*)
    fail "unknown test $T"
    ;;
esac
exit 0
