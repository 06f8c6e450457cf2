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
refuse)
    # lattices whose estimated memory is above the limit: refused up front,
    # in one line naming the estimate, the limit and a --dim that fits,
    # within seconds, under a 2 GB address-space cap (a regression that
    # allocates fails here instead of eating the machine)
    ulimit -v 2000000
    EXPECT_TIMEOUT=20
    refused() { # MSG-REGEX ARGS...
        local re="$1"; shift
        EXPECT_RC=2 expect_error "$@"
        grep -qE -e "$re" err.txt || fail "message for ${*:0:120}: $(cat err.txt)"
    }
    big='would need about [0-9.]+ (GB|TB|PB) \(estimated, .*above the limit of .*use --dim [0-9]+ or less'
    refused "$big" spectrum --blocks 2 --dim 20000 --beta 1 --phi 'm1^2+m2^2'
    refused "$big" spectrum --block-sizes 20000,20000 --beta 1 --phi 'm1^2+m2^2'
    refused "$big" mfpt --blocks 2 --dim 20000 --beta 1 --method graph-transformation
    refused 'or less \(or the paper.s phi with B = 1, one basin each way and no --method or --committor: the separable chain\)' \
        mfpt --blocks 2 --dim 20000 --beta 1 --to m=0,0
    refused "$big" evolve --blocks 3 --dim 600 --beta 1 --phi 'm1^2+m2^2+m3^2' \
        --from equilibrium:1 --times 1
    refused "$big" kmc --blocks 3 --dim 600 --beta 1 --phi 'm1^2+m2^2+m3^2' --from liquid \
        --to crystal --times 1
    refused "$big" lattice-network --blocks 4 --dim 600 --phi m1 --states s.txt \
        --transitions t.txt
    HYPERLAND_MAX_MEMORY=1G refused "$big" exact --blocks 3 --dim 1500 --beta 1 \
        --phi 'm1^2+m2^2+m3^2'
    # the limit from the option and the environment; the estimate (107 MB
    # for 201^2 classes) against each
    refused 'above the limit of 52 MB \(--max-memory\)' spectrum --blocks 2 --dim 400 --beta 1 \
        --phi 'm1^2+m2^2' --max-memory 50M
    HYPERLAND_MAX_MEMORY=50M refused 'above the limit of 52 MB \(HYPERLAND_MAX_MEMORY\)' \
        spectrum --blocks 2 --dim 400 --beta 1 --phi 'm1^2+m2^2'
    HYPERLAND_MAX_MEMORY=lots refused "HYPERLAND_MAX_MEMORY='lots' is not a size" \
        spectrum --blocks 2 --dim 400 --beta 1 --phi 'm1^2+m2^2'
    refused "--max-memory '12Q' is not a size" spectrum --blocks 2 --dim 40 --beta 1 --max-memory 12Q
    # the 2-D sparse eigensolver too
    refused 'sparse eigensolver on the contracted classes of D = 4000 .* above the limit of 2.1 GB' \
        spectrum --dim 4000 --beta 1 --phi 'x^2+y^2' --max-memory 2G
    # under the limit it runs
    "$H" spectrum --blocks 2 --dim 40 --beta 1 --phi 'm1^2+m2^2' --count 3 --max-memory 200M \
        >/dev/null || fail "a small lattice under --max-memory 200M"
    # an allocation that fails anyway (the limit raised above the cap) is a
    # one-line error, exit 1, not a crash
    ulimit -v 400000
    HYPERLAND_MAX_MEMORY=100G EXPECT_RC=1 expect_error spectrum --blocks 3 --dim 150 --beta 0.9 \
        --phi 'm1^2+m2^2+m3^2'
    grep -q 'out of memory' err.txt || fail "allocation failure message: $(cat err.txt)"
    ;;
max_memory_all)
    # every command that estimates memory takes --max-memory (the same
    # parser and message as spectrum): on a lattice of 23 x 19 classes the
    # limit set 1% below the estimate (computed here from the formula of
    # cli/memlimit.c, method and count vectors per command) is refused in
    # one line naming --max-memory (exit 2), 1% above it runs, also under a
    # smaller HYPERLAND_MAX_MEMORY (the option wins); a bad size is a usage
    # error; --help lists the option
    P='-(m1^2+m2^2)+0.5*(m1^4+m2^4)+0.1*m1+0.05*m2'
    M='--block-sizes 22,18'
    est() { # METHOD COUNT: the estimate in bytes (k = 2, n = 23 * 19)
        "$PY" -c "
import math, sys
n, k, meth, cnt = 23 * 19, 2, sys.argv[1], int(sys.argv[2])
if meth == 'linear':
    e = 48.0 * n + 16e6
else:
    f = min(7 * n * math.log2(n), 0.5 * n * n + n)
    e = (120.0 * k + 8.0 * (cnt + 2) + 200.0) * n + 16.0 * f + 16e6
print(e)" "$1" "$2"
    }
    n=0
    while IFS='|' read -r meth cnt cmd; do
        e=$(est "$meth" "$cnt")
        lo=$(awk -v e="$e" 'BEGIN { printf "%.0f", 0.99 * e }')
        hi=$(awk -v e="$e" 'BEGIN { printf "%.0f", 1.01 * e }')
        name=${cmd%% *}
        "$H" "$name" --blocks 2 --help | grep -q -- '--max-memory SIZE' || fail "$name --help"
        # shellcheck disable=SC2086
        EXPECT_RC=2 expect_error $cmd $M --phi "$P" --max-memory "$lo"
        grep -qE 'would need about [0-9.]+ MB \(estimated, .*above the limit of [0-9.]+ MB \(--max-memory\)' \
            err.txt || fail "$name refusal at $lo bytes: $(cat err.txt)"
        # shellcheck disable=SC2086
        EXPECT_RC=2 expect_error $cmd $M --phi "$P" --max-memory 12Q
        grep -q "^hyperland $name: --max-memory '12Q' is not a size of at least 1M" err.txt ||
            fail "$name bad size: $(cat err.txt)"
        # shellcheck disable=SC2086
        HYPERLAND_MAX_MEMORY=1M "$H" $cmd $M --phi "$P" --max-memory "$hi" >o.txt 2>e.txt ||
            fail "$name under --max-memory $hi: $(head -c 300 e.txt)"
        rm -f o.txt e.txt s.csv t.csv
        n=$((n + 1))
    done <<EOF
factor|2|mfpt --beta 1
factor|4|evolve --beta 1 --from equilibrium:1 --times 1
factor|2|kmc --beta 1 --from liquid --to crystal --times 1 --trajectories 4 --seed 1
linear|0|exact --beta 1
linear|0|lattice-network --beta 1 --states s.csv --transitions t.csv
factor|2|scan --t-high 2 --t-low 1 --cooling-rates 1 --points 5
factor|2|relaxation --temperatures 1
factor|4|kovacs --t0 2 --t2 1 --t1 0.6 --t-max 10 --per-decade 2
factor|4|ageing --t0 2 --t 0.6 --tw 0,1 --tau-max 10 --per-decade 2
EOF
    [ "$n" -eq 9 ] || fail "ran $n commands"
    ;;
evolve_k2_product)
    # two equal blocks with the paper's phi and B = 1 from a product start:
    # evolve --blocks 2 takes the product of the blocks' chains (method
    # product-chains, the 2-D model's product path) at any D; at D = 40 and
    # 100 it equals the chain engine on the whole lattice (the same phi as
    # a formula) to 1e-9 (measured 2.3e-11; both at rtol 1e-10): <m_i>,
    # <x>, <y>, <phi>, <w>, the free energy, the basin populations and the
    # start class; at D = 4000 it runs under --max-memory 200M, where the
    # lattice (4e6 classes, ~12 GB) is refused
    for D in 40 100; do
        for from in liquid crystal infinite-temperature equilibrium:0.4; do
            args="--blocks 2 --dim $D --beta 1.2 --from $from --times 0,0.5,3,50,1e4 --json"
            # shellcheck disable=SC2086
            "$H" evolve $args >a.json || fail "routed: $D $from"
            phi=$("$PY" -c 'import json; print(json.load(open("a.json"))["phi"])')
            # shellcheck disable=SC2086
            "$H" evolve $args --phi "$phi" >b.json || fail "lattice: $D $from"
            "$PY" - "$D $from" <<'PYEOF' || fail "product route against the lattice: $D $from"
import json, sys
a = json.load(open("a.json")); b = json.load(open("b.json"))
assert a["method"] == "product-chains" and b["method"] != "product-chains", (a["method"], b["method"])
assert a["start"] == b["start"], (a["start"], b["start"])
d = 0
for p, q in zip(a["points"], b["points"]):
    assert p["t"] == q["t"] and p["beta"] == q["beta"]
    for key in ("mean_x", "mean_y", "mean_phi", "mean_w", "free_energy"):
        d = max(d, abs(p[key] - q[key]))
    for i in range(2):
        d = max(d, abs(p["mean_m"][i] - q["mean_m"][i]))
    # a population that lost its digits (null) is compared by its value
    # (probability_bound - population_error) within both errors
    val = lambda x: x["probability"] if x["probability"] is not None else x["probability_bound"] - x["population_error"]
    pb = {x["name"]: x for x in p["basins"]}
    qb = {x["name"]: x for x in q["basins"]}
    assert set(pb) == set(qb), (pb, qb)
    for n in pb:
        if pb[n]["probability"] is None or qb[n]["probability"] is None:
            assert abs(val(pb[n]) - val(qb[n])) <= pb[n]["population_error"] + qb[n]["population_error"], (pb[n], qb[n])
        else:
            d = max(d, abs(pb[n]["probability"] - qb[n]["probability"]))
print(sys.argv[1], "max |difference|", d)
assert d <= 1e-9, d
PYEOF
        done
    done
    (ulimit -v 2000000; timeout 60 "$H" evolve --blocks 2 --dim 4000 --beta 1 --from liquid \
        --times 1 --max-memory 200M --json >big.json) || fail "D = 4000 through the product"
    grep -q '"method": "product-chains"' big.json || fail "method at D = 4000"
    rm -f a.json b.json big.json
    EXPECT_RC=2 expect_error evolve --blocks 2 --dim 4000 --beta 1 --from liquid --times 1 \
        --max-memory 200M --phi 'm1-(m2+0.2)^2+0.38*(m2+0.2)^3'
    grep -q 'above the limit of 210 MB (--max-memory).*product of the blocks' err.txt ||
        fail "lattice refusal at D = 4000: $(cat err.txt)"
    ;;
mfpt_k2_separable)
    # two equal blocks with the paper's phi and B = 1: mfpt --blocks 2 takes
    # the separable n2 chain (method separable-chain) at any D; at D = 40 ..
    # 200 it equals the chain engine's graph transformation on the whole
    # lattice (--method graph-transformation, and the same phi given as a
    # formula) to 1e-12 relative, start class and target classes alike
    (ulimit -v 2000000; timeout 60 "$H" mfpt --blocks 2 --dim 20000 --beta 1 --json >big.json) ||
        fail "mfpt --blocks 2 --dim 20000 (paper's phi) exit code"
    grep -q '"method": "separable-chain"' big.json || fail "method at D = 20000"
    "$H" mfpt --dim 20000 --beta 1 --json >big2.json || fail "2-D mfpt at D = 20000"
    for c in "40 1 liquid crystal" "80 0.7 liquid crystal" "120 1.3 crystal liquid" \
             "200 1 liquid crystal" "200 0.6 crystal liquid"; do
        set -- $c
        args="--blocks 2 --dim $1 --beta $2 --from $3 --to $4 --json"
        # shellcheck disable=SC2086
        "$H" mfpt $args >a.json || fail "routed: $c"
        # shellcheck disable=SC2086
        "$H" mfpt $args --method graph-transformation >b.json || fail "lattice: $c"
        phi=$("$PY" -c 'import json; print(json.load(open("a.json"))["phi"])')
        # shellcheck disable=SC2086
        "$H" mfpt $args --phi "$phi" >f.json || fail "formula: $c"
        "$PY" - "$c" <<'PYEOF' || fail "separable route against the lattice: $c"
import json, math, sys
a, b, f = (json.load(open(x)) for x in ("a.json", "b.json", "f.json"))
assert a["method"] == "separable-chain", a["method"]
assert b["method"] == "graph-transformation" and f["method"] == "graph-transformation"
for o in (b, f):
    assert a["start"] == o["start"] and a["target_classes"] == o["target_classes"], (a, o)
    d = abs(math.expm1(a["ln_mfpt"] - o["ln_mfpt"]))
    print(sys.argv[1], a["ln_mfpt"], o["ln_mfpt"], d)
    assert d <= 1e-12, d
PYEOF
    done
    "$PY" - <<'PYEOF' || fail "D = 20000 against the 2-D command"
import json
a = json.load(open("big.json")); b = json.load(open("big2.json"))
assert a["ln_mfpt"] == b["ln_mfpt"] and a["mfpt"] is None, (a["ln_mfpt"], b["ln_mfpt"])
assert a["target_classes"] == b["target_classes"]
n = a["start"]["n"]
assert n[0] == b["start"]["n1"] and n[0] + n[1] == b["start"]["n"], (n, b["start"])
assert a["start"]["class"] == n[0] * 10001 + n[1]
PYEOF
    ;;
k2_separable)
    # two equal blocks with the paper's phi and B = 1: the 2-D separable
    # chains, at D = 20000 (1e8 classes) in seconds and little memory; at
    # D = 100 the same rates as the chain engine on the whole lattice (the
    # same phi given as a formula) within both bounds
    (ulimit -v 2000000; timeout 60 "$H" spectrum --blocks 2 --dim 20000 --beta 1 --count 5 \
        --json >big.json) || fail "--blocks 2 --dim 20000 (paper's phi) exit code"
    grep -q '"method": "separable-chains"' big.json || fail "method at D = 20000"
    "$H" spectrum --blocks 2 --dim 100 --beta 1.2 --count 6 --json >a.json || fail "exit a"
    phi=$("$PY" -c 'import json; print(json.load(open("a.json"))["phi"])')
    "$H" spectrum --blocks 2 --dim 100 --beta 1.2 --count 6 --phi "$phi" --json >b.json ||
        fail "exit b"
    "$PY" - <<'PYEOF' || fail "separable and chain-engine rates differ"
import json, math
a = json.load(open("a.json")); b = json.load(open("b.json"))
assert a["method"] == "separable-chains" and b["method"] != "separable-chains", (a["method"], b["method"])
for q in range(1, 6):
    tol = a["rel_bounds"][q] + b["resolution"] + 1e-14
    assert abs(math.expm1(a["ln_rates"][q] - b["ln_rates"][q])) <= tol, (q, a["ln_rates"][q], b["ln_rates"][q])
PYEOF
    ;;
*)
    fail "unknown test $T"
    ;;
esac
exit 0
