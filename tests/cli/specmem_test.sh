#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the specmem branch: spectrum --blocks 1 (the birth-death
# chain of one block, exact by bidiagonal singular values) against
# independent computations (tests/ref/birth_death_rates.py: scipy's
# tridiagonal eigensolver, mpmath Sturm bisection), and the memory
# estimate of the class-lattice methods (a refusal before any allocation).
# usage: specmem_test.sh HYPERLAND TEST
REF="$(cd "$(dirname "$0")/../ref" && pwd)/birth_death_rates.py"
. "$(dirname "$0")/lib.sh" "$@"
# a python with scipy and mpmath (the pyenv shim may have neither)
PY=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
    if "$p" -c 'import scipy, mpmath' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || fail "no python3 with scipy and mpmath"

# check_rates OUT.json REF.json MODE: every rate k >= 1 of the CLI agrees
# with the reference within the CLI's own bound (rel_bounds[k]) plus, for
# MODE scipy, scipy's absolute accuracy 64 eps |T| (|T| <= 2 max exit).
check_rates() {
    "$PY" - "$1" "$2" "$3" <<'PYEOF' || fail "rates differ from the reference ($3)"
import json, math, sys
a = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[2])); mode = sys.argv[3]
lr, rel = a["ln_rates"], a["rel_bounds"]
assert len(lr) == len(r) and lr[0] is None and a["rates"][0] == 0
for q in range(1, len(lr)):
    assert lr[q] is not None and rel[q] is not None and 0 < rel[q] < 1e-6, (q, lr[q], rel[q])
    if mode == "mpmath":
        d = abs(math.expm1(lr[q] - r[q]))
        ok = d <= rel[q] + 1e-14
    else:
        x = math.exp(lr[q]); tol = rel[q] * x + 64 * 2.2e-16 * a["norm"]
        d = abs(x - r[q]); ok = d <= tol
    print(q, lr[q], r[q], d, rel[q], "ok" if ok else "FAIL")
    if not ok:
        sys.exit(1)
PYEOF
}

case "$T" in
k1_mpmath)
    # a double well (tunnelling rate e^-57.8 under in-well rates ~4, a pair
    # of equal in-well rates) at D = 200 (dqds) and D = 2500, beta = 2
    # (bisection; the tunnelling rate e^-260 by log-space inverse iteration)
    # against mpmath
    for c in "200 3 5" "2500 2 3"; do
        set -- $c
        "$H" spectrum --blocks 1 --dim "$1" --beta "$2" --phi 'm1^4/4 - m1^2/2' --count "$3" \
            --json >o.json || fail "spectrum --blocks 1 D=$1 exit code"
        grep -q "\"method\": \"birth-death-$([ "$1" -le 2001 ] && echo dqds || echo bisection)\"" \
            o.json || fail "method name D=$1: $(grep -o '"method": "[^"]*"' o.json)"
        "$PY" "$REF" mpmath "$1" "$2" dw "$3" >r.json || fail "mpmath reference"
        check_rates o.json r.json mpmath
    done
    ;;
k1_scipy)
    # the rates of order 1..10 of two landscapes at D = 3000 (bisection)
    # and D = 1500 (dqds) against scipy's eigh_tridiagonal
    for c in "3000 1 quad m1^2" "1500 0.5 dw m1^4/4-m1^2/2" "3000 0.2 dw m1^4/4-m1^2/2"; do
        set -- $c
        "$H" spectrum --blocks 1 --dim "$1" --beta "$2" --phi "$4" --count 8 --json >o0.json ||
            fail "spectrum --blocks 1 D=$1 exit code"
        # |T| <= 2 max exit rate <= 2 D e^(beta max|phi'|), |phi'| <= 2 here
        "$PY" -c "import json,math,sys; a=json.load(open('o0.json')); a['norm']=2*$1*math.exp(2*$2); json.dump(a,open('o.json','w'))"
        "$PY" "$REF" scipy "$1" "$2" "$3" 8 >r.json || fail "scipy reference"
        check_rates o.json r.json scipy
    done
    ;;
k1_large)
    # the tester's case: D = 30000 in one block.  phi = 0 is Ehrenfest's
    # urn: the rates are exactly 2q; phi = m^2 tends to q (2 + 4 beta) as D
    # grows (the linearised drift); a double well at beta = 3 keeps every
    # rate of order 1..10 to 1e-6 and the tunnelling rate (e^-8702) too
    "$H" spectrum --blocks 1 --dim 30000 --phi 0 --beta 1 --count 6 --json >o.json ||
        fail "flat exit code"
    "$PY" - <<'PYEOF' || fail "Ehrenfest rates 2q"
import json, math
a = json.load(open("o.json"))
assert a["method"] == "birth-death-bisection"
for q in range(1, 6):
    assert abs(a["rates"][q] - 2 * q) <= a["rel_bounds"][q] * 2 * q + 1e-14, (q, a["rates"][q])
PYEOF
    "$H" spectrum --blocks 1 --dim 30000 --phi 'm1^2' --beta 1 --count 4 --json >o.json ||
        fail "quad exit code"
    "$PY" - <<'PYEOF' || fail "the OU limit q (2 + 4 beta)"
import json
a = json.load(open("o.json"))
for q in range(1, 4):
    assert abs(a["rates"][q] / (6.0 * q) - 1) < 2e-4, (q, a["rates"][q])
PYEOF
    timeout 60 "$H" spectrum --blocks 1 --dim 30000 --phi 'm1^4/4 - m1^2/2' --beta 3 --count 8 \
        --json >o.json || fail "double well exit code (or slower than 60 s)"
    "$PY" - <<'PYEOF' || fail "double well at D = 30000"
import json
a = json.load(open("o.json"))
lr, rel = a["ln_rates"], a["rel_bounds"]
assert abs(lr[1] + 8702.2783) < 1e-3 and rel[1] < 1e-5, (lr[1], rel[1])
assert a["rates"][1] is None and a["null_reason"] is None
for q in range(2, 8):
    assert 1 < a["rates"][q] < 20 and rel[q] < 1e-8, (q, a["rates"][q], rel[q])
assert a["rates"][3] == a["rates"][4]  # the two wells' equal in-well rates
PYEOF
    ;;
*)
    fail "unknown test $T"
    ;;
esac
exit 0
