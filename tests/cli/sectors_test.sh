#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of spectrum --full by symmetry sectors (issue 8, item 2).
# usage: sectors_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"

# py SCRIPT ARGS...: run a Python check (strict JSON: NaN/Infinity refused)
py() {
    python3 - "$@" <<PYEOF || fail "python check failed"
import json, math, sys
def load(p):
    def bad(c):
        sys.exit("non-standard JSON constant %s in %s" % (c, p))
    return json.load(open(p), parse_constant=bad)
def load_other(p):  # output of the other paths (strict JSON is another item's job)
    return json.load(open(p))
$PY
PYEOF
}

case "$T" in
sectors_example)
    # the issue's example: 0, 0.046460921816, 2.704234656700, 3.124393908933 seven
    # times, 3.621311134649, ... whatever the count
    "$H" spectrum --dim 16 --beta 0.6 --full --count 12 --json >a.json || fail "exit code"
    "$H" spectrum --dim 16 --beta 0.6 --full --count 4 --json >b.json || fail "exit code"
    "$H" spectrum --dim 16 --beta 0.6 --full --count 40 --json >c.json || fail "exit code"
    PY='
a, b, c = load("a.json"), load("b.json"), load("c.json")
r = a["rates"]
assert a["method"] == "symmetry-sectors", a["method"]
want = [0, 0.046460921816, 2.704234656700] + [3.124393908933] * 7 + [3.621311134649]
for q, w in enumerate(want):
    assert abs(r[q] - w) <= 1e-12 * max(1, w), (q, r[q], w)
assert a["ln_rates"][0] is None and abs(a["ln_rates"][1] - math.log(r[1])) < 1e-13
d = a["distinct"][3]
assert d["k1"] + d["k2"] == 1 and d["multiplicity"] == "7" and d["copies"] == 7, d
assert abs(d["ln_multiplicity"] - math.log(7)) < 1e-14
assert sum(x["copies"] for x in a["distinct"]) == 12
for o in (b, c):
    for q in range(min(len(o["rates"]), 12)):
        assert abs(o["rates"][q] - r[q]) <= 1e-13 * max(1, r[q]), (q, o["rates"][q], r[q])
assert len(c["distinct"]) == 40 and sum(x["copies"] for x in c["distinct"]) == 40
'
    py
    "$H" spectrum --dim 16 --beta 0.6 --full --count 12 >t.txt || fail "text exit code"
    grep -q "method symmetry-sectors" t.txt || fail "text method"
    grep -q "distinct rates" t.txt || fail "text: no distinct list"
    [ "$(grep -c '3.12439390893316 ' t.txt)" -eq 8 ] || fail "text: 7 copies + 1 distinct line"
    ;;
sectors_dense)
    # every rate of the 2^10 generator with multiplicity, for a non-separable phi
    # and a non-constant B, against the dense LAPACK eigen-decomposition of the
    # generator itself (--method matrix-free)
    for args in "--phi x*y+0.3*x^2" "--transmission exp(-x^2)*(1+0.5*y)" \
                "--phi x*y+0.3*x^2 --transmission exp(-x^2)*(1+0.5*y)/T"; do
        "$H" spectrum --dim 10 --beta 0.9 --full --count 1024 --json $args >s.json ||
            fail "sectors exit code ($args)"
        "$H" spectrum --dim 10 --beta 0.9 --full --method matrix-free --count 1024 --json \
            $args >m.json || fail "matrix-free exit code ($args)"
        PY='
s, m = load("s.json"), load_other("m.json")
assert m["method"] == "dense"
rs, rm = s["rates"], m["rates"]
tol = 1e-11 * max(x for x in rm if x is not None)
for q, (a, b) in enumerate(zip(rs, rm)):
    if a is None or b is None:
        assert (a or 0) < 1e3 * tol and (b or 0) < 1e3 * tol, (q, a, b)
        continue
    assert abs(a - b) <= tol, (q, a, b)
assert sum(int(x["multiplicity"]) for x in s["distinct"]) == 1024
assert sum(x["copies"] for x in s["distinct"]) == 1024
'
        py
    done
    ;;
sectors_large)
    # D = 200: fast, and sector (0, 0) is the contracted spectrum
    "$H" spectrum --dim 200 --beta 0.6 --full --count 30 --json >f.json || fail "exit code"
    "$H" spectrum --dim 200 --beta 0.6 --count 30 --json >c.json || fail "contracted exit code"
    PY='
f, c = load("f.json"), load_other("c.json")
assert f["states"] is None and f["log2_states"] == 200
n00 = 0
for d in f["distinct"]:
    if d["k1"] == 0 and d["k2"] == 0:
        assert d["index"] == n00
        want = c["rates"][d["index"]]
        assert d["rate"] == want or abs(d["rate"] - want) <= 1e-13 * want, (d, want)
        n00 += 1
    if (d["k1"], d["k2"]) == (1, 0) or (d["k1"], d["k2"]) == (0, 1):
        assert d["multiplicity"] == "99"
assert n00 >= 3 and f["sectors_solved"] < f["sectors_total"] / 10
'
    py
    # a non-separable model at D = 60 (sparse paths)
    "$H" spectrum --dim 60 --beta 0.7 --full --count 20 --json --phi 'x*y+0.3*x^2' \
        --transmission 'exp(-x^2)*(1+0.5*y)' >n.json || fail "non-separable exit code"
    PY='
n = load("n.json")
r = n["rates"]
assert r[0] == 0 and all(r[q] >= r[q - 1] * (1 - 1e-13) for q in range(2, 20))
'
    py
    ;;
sectors_errors)
    expect_error spectrum --dim 16 --beta 0.6 --full --method bogus
    expect_error spectrum --dim 16 --beta 0.6 --method sectors
    expect_error spectrum --dim 10 --beta 0.6 --full --method sectors --vectors v.csv
    expect_error spectrum --dim 16 --beta 0.6 --full --count 0
    expect_error spectrum --dim 16 --beta 0.6 --full --count 65537
    expect_error spectrum --dim 30 --beta 0.6 --full --method matrix-free
    "$H" spectrum --help | grep -q -- "--method M" || fail "help: --method"
    "$H" spectrum --help | grep -q "symmetry" || fail "help: sectors"
    ;;
*)
    fail "unknown test $T"
    ;;
esac
echo "PASS [$T]"
