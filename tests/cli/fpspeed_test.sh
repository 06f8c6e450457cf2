#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the fpspeed branch (issue 9): `mfpt --method`, the method and
# its resolution in mfpt's report, nulls where the sparse-direct method lost
# the digits, and the committor by either method.
# usage: fpspeed_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
KEEP='^(out|err)\.txt$|\.(csv|json)$'
PHI='x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y'

# json_get FILE EXPR: a value of the strict JSON in FILE (NaN/Infinity refused)
json_get() {
    python3 -c '
import json, sys
def bad(c): raise ValueError("non-standard JSON constant " + c)
d = json.load(open(sys.argv[1]), parse_constant=bad)
print(eval(sys.argv[2]))' "$1" "$2"
}
# expect FILE EXPR: a python expression over the JSON d must be true
expect() {
    [ "$(json_get "$1" "bool($2)")" = True ] || fail "$1: not ($2): $(head -c 600 "$1")"
}

case "$T" in
mfpt_method)
    # every path reports its method and a finite relative resolution
    "$H" mfpt --dim 200 --beta 0.773 --json >sep.json || fail "mfpt (paper's phi)"
    expect sep.json 'd["method"] == "separable-chain" and 0 < d["resolution"] < 1e-9'
    expect sep.json 'd["null_reason"] is None'
    for D in 40 120; do
        "$H" mfpt --dim $D --beta 0.773 --phi "$PHI" --json >gt$D.json || fail "mfpt --phi D=$D"
        expect gt$D.json 'd["method"] == "graph-transformation" and 0 < d["resolution"] < 1e-12'
        "$H" mfpt --dim $D --beta 0.773 --phi "$PHI" --method graph-transformation --json \
            >gt2_$D.json || fail "mfpt --method graph-transformation"
        [ "$(json_get gt$D.json 'd["ln_mfpt"]')" = "$(json_get gt2_$D.json 'd["ln_mfpt"]')" ] ||
            fail "--method graph-transformation is not the default's number"
        "$H" mfpt --dim $D --beta 0.773 --phi "$PHI" --method sparse-direct --json \
            >sd$D.json || fail "mfpt --method sparse-direct D=$D"
        expect sd$D.json 'd["method"] == "sparse-direct" and d["resolution"] > 0'
    done
    # sparse-direct agrees with graph transformation within its resolution
    # (ln tau differs by at most ~ the relative error of tau)
    a=$(json_get gt40.json 'd["ln_mfpt"]'); b=$(json_get sd40.json 'd["ln_mfpt"]')
    r=$(json_get sd40.json 'd["resolution"]')
    expect sd40.json 'd["resolution"] < 1e-6'
    close "$a" "$b" "$r" || fail "D=40: sparse-direct ln tau $b, graph transformation $a, resolution $r"
    # the paper's phi by a named general method: the lattice, same time as the sum
    "$H" mfpt --dim 40 --beta 0.773 --method graph-transformation --json >pg.json || fail "paper phi, gt"
    "$H" mfpt --dim 40 --beta 0.773 --json >ps.json || fail "paper phi"
    expect pg.json 'd["method"] == "graph-transformation"'
    close "$(json_get pg.json 'd["ln_mfpt"]')" "$(json_get ps.json 'd["ln_mfpt"]')" 1e-11 ||
        fail "paper phi: graph transformation vs the separable sum"
    # the text report names the method and its resolution
    "$H" mfpt --dim 40 --beta 0.773 --phi "$PHI" --method sparse-direct >out.txt || fail "text"
    grep -q "(sparse-direct, resolution [0-9.e+-]* relative)" out.txt || fail "text: $(cat out.txt)"
    ;;
mfpt_sparse_direct_lost)
    # D = 200: the liquid's lifetime e^65 conditions the Dirichlet system far
    # beyond doubles; CHOLMOD's rcond alone claimed 1e-9 for a time of e^34
    # (graph transformation: e^65.49): now null with a reason
    "$H" mfpt --dim 200 --beta 0.773 --phi "$PHI" --method sparse-direct --json >sd.json ||
        fail "mfpt sparse-direct D=200"
    expect sd.json 'd["mfpt"] is None and d["ln_mfpt"] is None and d["log10_mfpt"] is None'
    expect sd.json '(d["resolution"] is None or d["resolution"] >= 1) and "sparse-direct" in d["null_reason"]'
    "$H" mfpt --dim 200 --beta 0.773 --phi "$PHI" --json >gt.json || fail "mfpt gt D=200"
    expect gt.json 'abs(d["ln_mfpt"] - 65.4922052958) < 1e-8 and d["null_reason"] is None'
    "$H" mfpt --dim 200 --beta 0.773 --phi "$PHI" --method sparse-direct >out.txt ||
        fail "text D=200"
    grep -q "not resolved: " out.txt || fail "text: no reason: $(cat out.txt)"
    grep "mean first-passage time" out.txt | grep -q "n/a" || fail "text: a time printed: $(cat out.txt)"
    ;;
committor_method)
    for mth in graph-transformation sparse-direct; do
        "$H" mfpt --dim 40 --beta 0.773 --phi "$PHI" --method $mth --committor q_$mth.csv \
            >/dev/null || fail "committor $mth"
        grep -q "method = $mth" q_$mth.csv || fail "committor CSV header does not name $mth"
    done
    # the two methods agree to the sparse-direct resolution (committors in [0, 1])
    python3 - q_graph-transformation.csv q_sparse-direct.csv <<'PY' || fail "committors differ"
import csv, sys, re
def rows(f):
    lines = [l for l in open(f) if not l.startswith('#')]
    return list(csv.DictReader(lines))
def res(f):
    m = re.search(r"resolution ([0-9.eE+-]+)", open(f).read())
    return float(m.group(1))
a, b = rows(sys.argv[1]), rows(sys.argv[2])
tol = max(res(sys.argv[2]), 1e-12)
assert len(a) == len(b) == 21 * 21
worst = 0.0
for x, y in zip(a, b):
    qa, qb = float(x["committor"]), float(y["committor"])
    worst = max(worst, abs(qa - qb))
    assert abs(qa - qb) <= 10 * tol * max(qa, 1e-300) + 1e-15, (x, y, tol)
print("max |dq| =", worst, "resolution", tol)
PY
    ;;
mfpt_method_errors)
    expect_error mfpt --dim 40 --beta 0.773 --method nope
    expect_error mfpt --dim 40 --beta 0.773 --method
    expect_error mfpt --dim 40 --beta 0.773 --method separable-chain
    # the named general methods stop at D = 2000 (the separable sum does not)
    expect_error mfpt --dim 2002 --beta 0.773 --method graph-transformation
    "$H" mfpt --help | grep -q -- "--method M" || fail "--help does not list --method"
    ;;
*) fail "unknown test $T" ;;
esac
exit 0
