#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of what ends a branch of maxima in `hyperland phases --blocks K`
# and in the 2-D `hyperland phases` (pitchfork_2d):
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

# csv_ends CSV JSON KIND: one CSV row per end of the JSON (its branch, beta
# and first coordinate, stable and heat_capacity empty, end = KIND), the
# grid rows with stable 0 or 1, each branch's rows in order of beta
csv_ends() {
    "$PY" - "$@" <<'PYEOF' || fail "$1: CSV end rows"
import csv, json, sys
rows = [r for r in csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#"))]
ends = json.load(open(sys.argv[2]))["branch_ends"]
er = [r for r in rows if r["end"]]
assert len(er) == len(ends) and all(r["end"] == sys.argv[3] for r in er), er
for e in ends:
    c, v = ("x", e["x"]) if "x" in e else ("m1", e["m"][0])
    assert any(r["branch"] == e["branch"] and abs(float(r["beta"]) - e["beta"]) < 1e-11
               and abs(float(r[c]) - v) < 1e-12 and r["stable"] == r["heat_capacity"] == ""
               for r in er), e
assert all(r["stable"] in ("0", "1") for r in rows if not r["end"])
for name in set(r["branch"] for r in rows):
    b = [float(r["beta"]) for r in rows if r["branch"] == name]
    assert b == sorted(b), name
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
    csv_ends a.csv a.json pitchfork
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
pitchfork_2d)
    # the 2-D phases (x, y; no --blocks): the same classification, by the
    # same code on the model as two equal blocks (m1 = x + y, m2 = x - y).
    # Each end against the mpmath reference (a pitchfork or branch point to
    # 1e-12 in beta), and against phases --blocks 2 with the same formula:
    # every end (beta to 1e-10, bifurcation, birth, through, point) the same.
    same2d() { # 2-D JSON, blocks JSON
        "$PY" - "$1" "$2" <<'PYEOF' || fail "$1 vs $2: 2-D and --blocks 2 differ"
import json, sys
a = json.load(open(sys.argv[1]))["branch_ends"]
b = json.load(open(sys.argv[2]))["branch_ends"]
assert len(a) == len(b) > 0, (len(a), len(b))
used = set()
for e in a:
    m = [e["x"] + e["y"], e["x"] - e["y"]]
    hit = [q for q, g in enumerate(b) if q not in used and abs(g["beta"] - e["beta"]) <= 1e-10
           and g["bifurcation"] == e["bifurcation"] and g["kind"] == e["kind"]
           and g["through"] == e["through"] and g["null_dims"] == e["null_dims"]
           and max(abs(g["m"][i] - m[i]) for i in range(2)) <= 1e-8]
    assert hit, ("no --blocks 2 end like", e)
    used.add(hit[0])
    print("%-9s %-12s beta %.15f = %.15f" % (e["branch"], e["bifurcation"], e["beta"], b[hit[0]]["beta"]))
PYEOF
    }
    # both NAME CASE ARGS...: phases ARGS --json into NAME.json, checked
    # against the reference CASE; phases --blocks 2 ARGS the same ends
    both() {
        local n="$1" c="$2"
        shift 2
        "$H" phases "$@" --output /dev/null --json >"$n.json" || fail "exit $n"
        "$PY" "$REF" "$c" "$n.json" 1e-12 >"ref_$n.txt" ||
            fail "$n against the reference: $(cat "ref_$n.txt")"
        "$H" phases --blocks 2 "$@" --output /dev/null --json >"${n}b.json" || fail "exit ${n}b"
        same2d "$n.json" "${n}b.json" >"same_$n.txt"
    }
    # '-2*x^2-1.2*y^2' is case a: pitchforks only, no spinodal
    P='-2*x^2-1.2*y^2'
    both p xy_p --phi "$P" --beta-max 3 --points 400
    expect p.json 'len(ends) == 5' 'd["spinodals"] == []' \
        'all(e["bifurcation"] == "pitchfork" and e["null_dims"] == 1 for e in ends)' \
        'by("liquid")[0]["through"] and by("liquid")[0]["maximum_for"] == "smaller beta"' \
        'abs(by("liquid")[0]["beta"] - 0.25) <= 1e-12 and by("liquid")[0]["x"] == 0 == by("liquid")[0]["y"]' \
        'sorted(by("liquid")[0]["branches_meeting"]) == ["branch-3", "crystal"]' \
        'all(abs(e["x"]) < 1e-12 and abs(e["y"]) < 1e-12 for e in ends if abs(e["beta"] - 0.25) < 1e-9)' \
        'sum(1 for e in ends if e["through"] and e["maximum_for"] == "larger beta" and abs(e["x"]) < 1e-9) == 2' \
        'all(abs(e["null_vector"][0] - 1) < 1e-9 and abs(e["null_vector"][1]) < 1e-9 for e in ends)' \
        'all(e["beta_error"] is not None and e["beta_error"] < 1e-10 for e in ends)' \
        '[b["t0_end_null_reason"] for b in d["branches"] if b["name"] == "liquid"][0].startswith("the branch stops being a maximum at a pitchfork at beta = 0.25 (it goes on as a saddle)")'
    # text: pitchfork lines, no spinodal; CSV: the end column, one row per end
    "$H" phases --phi "$P" --beta-max 3 --points 400 --output p.csv >p.txt || fail "text exit"
    [ "$(grep -c '^pitchfork: ' p.txt)" -eq 5 ] || fail "text: $(cat p.txt)"
    ! grep -q '^spinodal:' p.txt || fail "a pitchfork called a spinodal"
    grep -q '^pitchfork: liquid branch stops being a maximum at beta = 0.250000000000 (T\* = 4.0000000000), (x, y) = (0, 0), a saddle above; null vector (1, 0)$' p.txt ||
        fail "text liquid: $(grep liquid p.txt)"
    grep -q '^pitchfork: crystal branch branches off at beta = 0.250000000000 .*, a maximum above' p.txt ||
        fail "text crystal"
    grep -q '^branch,beta,T,x,y,phi,w,f,stable,heat_capacity,end$' p.csv || fail "CSV header"
    csv_ends p.csv p.json pitchfork
    # asymmetric (+ 0.3 x): no pitchfork left, three folds off the axes
    F='-2*x^2-1.2*y^2+0.3*x'
    both f xy_f --phi "$F" --beta-max 3 --points 400
    expect f.json 'len(ends) == 3 and all(e["bifurcation"] == "fold" for e in ends)' \
        'd["spinodals"] == ends' 'all(not e["through"] and e["beta_error"] is None for e in ends)'
    # transcritical (+ 0.5 x^3): the liquid at (0, 0) exchanges stability
    # at beta = 1/4 with a branch crossing it (a branch point, the cubic
    # term along the null vector x nonzero); the crystal appears at a fold
    X='-2*x^2-1.2*y^2+0.5*x^3'
    both t xy_t --phi "$X" --beta-max 0.5 --points 200
    expect t.json 'len(ends) == 3' 'by("liquid")[0]["bifurcation"] == "branch-point"' \
        'by("liquid")[0]["through"] and abs(by("liquid")[0]["beta"] - 0.25) <= 1e-12' \
        'by("crystal")[0]["bifurcation"] == "fold" and d["spinodals"] == by("crystal")' \
        'sum(e["bifurcation"] == "branch-point" and not e["through"] for e in ends) == 1'
    # the paper's phi (eq 4.11): its one fold, unchanged (the golden
    # phases_default has it to 1e-12), a fold still
    both b b --points 300
    expect b.json 'len(ends) == 1 and ends[0]["bifurcation"] == "fold" and d["spinodals"] == ends' \
        'ends[0]["branch"] == "crystal" and abs(ends[0]["beta"] - 0.336429161255956) < 1e-12'
    ;;
*)
    fail "unknown test $T"
    ;;
esac
exit 0
