#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lattice-network --blocks / --block-sizes (issue 12): the class lattice of k
# blocks written as a network.  `network --temperature T` on the files gives
# the slowest rates of `spectrum --blocks` and the MFPT of `mfpt --blocks`
# (three unequal blocks, a non-separable phi, a B in m and T, a pocket basin);
# the files and the sets against an independent Python construction from the
# formulas (tests/ref/blocks_lattice_network.py: W by math.comb, dense
# eigenvalues, a linear solve for the MFPT); two equal blocks give the files of
# `lattice-network` without --blocks; the ids are those of `exact --blocks
# --distribution`; the basin names of mfpt --blocks; one-line refusals.
# usage: lnblocks_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
REF="$(cd "$(dirname "$0")/../ref" && pwd)"
PY=${PYTHON:-python3}
"$PY" -c 'import numpy' 2>/dev/null || PY=/usr/bin/python3

PHI3='-1.2*((4*m1+6*m2+8*m3)/18)^2 + 0.2*m1*m2 - 0.15*m2*m3 + 0.1*m3 + 0.1*m1*m3^2'
B3='exp(-(0.5*m1^2+0.3*m2*m3)/T)*(1+0.2*m2)'

# passage KEY.json: ln MFPT from A to B of `network --json`
net_ln_mfpt() {
    "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(repr([p["ln_mfpt"] for p in d["passage"] if p["from"] == "A" and p["to"] == "B"][0]))' "$1"
}

# three_at BETA FROM TO: lattice-network, network, spectrum and mfpt --blocks at BETA
three_at() {
    local beta=$1 from=$2 to=$3 t
    "$H" lattice-network --block-sizes 4,6,8 --phi "$PHI3" --transmission "$B3" --beta "$beta" \
        --from "$from" --to "$to" --states s.csv --transitions t.csv --start-set A.txt \
        --target-set B.txt --json >l.json || fail "lattice-network at beta = $beta"
    t=$("$PY" -c "print(repr(1 / $beta))")
    "$H" network --states s.csv --transitions t.csv --A @A.txt --B @B.txt --temperature "$t" \
        --count 6 --json >n.json || fail "network at beta = $beta"
    "$H" spectrum --block-sizes 4,6,8 --phi "$PHI3" --transmission "$B3" --beta "$beta" \
        --count 6 --json >r.json || fail "spectrum --blocks at beta = $beta"
    "$H" mfpt --block-sizes 4,6,8 --phi "$PHI3" --transmission "$B3" --beta "$beta" \
        --from "$from" --to "$to" --json >m.json || fail "mfpt --blocks at beta = $beta"
    "$PY" - l.json n.json r.json m.json <<'PY' || fail "network on the files differs at beta = $beta"
import json, math, sys
l, n, r, m = (json.load(open(f)) for f in sys.argv[1:5])
assert l["blocks"] == [4, 6, 8] and l["states"] == 5 * 7 * 9, l
assert l["transitions"] == 4 * 7 * 9 + 6 * 5 * 9 + 8 * 5 * 7, l
assert l["temperature_dependent"] is True
assert n["network_minima"] == l["states"]
for q in range(1, 6):
    a, b = n["rates"][q], r["rates"][q]
    assert abs(a / b - 1) < 1e-10, (q, a, b)
p = [p for p in n["passage"] if p["from"] == "A" and p["to"] == "B"][0]
assert abs(p["ln_mfpt"] - m["ln_mfpt"]) < 1e-10 * abs(m["ln_mfpt"]), (p["ln_mfpt"], m["ln_mfpt"])
assert l["start_id"] == m["start"]["class"] and l["start_class"]["n"] == m["start"]["n"], (l, m)
assert l["target_classes"] == m["target_classes"] == n["sets"]["B"]["in_network"]
PY
}

case "$T" in
three)
    # K = 3 unequal blocks: at beta = 0.5 (three basins, b3 a pocket at a
    # saddle: liquid is b2) and 1.5 (two), by name, alias and position
    three_at 0.5 liquid crystal
    grep -q '"from": "liquid"' l.json || fail "from in the summary"
    grep -q "RIGHT AT THIS TEMPERATURE ONLY" t.csv || fail "B(T): the comment"
    grep -q "^# blocks: 4,6,8 " s.csv || fail "the blocks comment: $(grep '^#' s.csv)"
    three_at 0.5 b3 b1
    three_at 0.5 m=0.5,0.7,0.7 b1
    three_at 1.5 liquid crystal
    three_at 1.5 crystal liquid
    # low temperature (a B without T): the tunnelling rate e^-1337 (below 1e-308) and the MFPT
    # e^1337, in logs, as spectrum and mfpt --blocks
    "$H" lattice-network --block-sizes 4,6,8 --phi "$PHI3" --transmission '2+m1*m3' --beta 100 \
        --states s.csv --transitions t.csv --start-set A.txt --target-set B.txt >/dev/null ||
        fail "lattice-network at beta = 100"
    "$H" network --states s.csv --transitions t.csv --A @A.txt --B @B.txt --temperature 0.01 \
        --count 4 --json >n.json || fail "network at T = 0.01"
    "$H" spectrum --block-sizes 4,6,8 --phi "$PHI3" --transmission '2+m1*m3' --beta 100 --count 4 \
        --json >r.json || fail "spectrum at beta = 100"
    "$H" mfpt --block-sizes 4,6,8 --phi "$PHI3" --transmission '2+m1*m3' --beta 100 --json >m.json ||
        fail "mfpt at beta = 100"
    "$PY" - n.json r.json m.json <<'PY' || fail "beta = 100: network differs"
import json, sys
n, r, m = (json.load(open(f)) for f in sys.argv[1:4])
assert n["ln_rates"][1] < -1300 and n["rates"][1] is None, (n["ln_rates"], n["rates"])
for a, b in zip(n["ln_rates"][1:], r["ln_rates"][1:]):
    assert abs(a - b) < 1e-10 * max(1, abs(b)), (n["ln_rates"], r["ln_rates"])
p = [p for p in n["passage"] if p["from"] == "A" and p["to"] == "B"][0]
assert abs(p["ln_mfpt"] - m["ln_mfpt"]) < 1e-10 * m["ln_mfpt"], (p["ln_mfpt"], m["ln_mfpt"])
PY
    ;;
reference)
    # the files and the sets against the Python construction from the
    # formulas, and the ids against exact --blocks --distribution
    for beta in 0.5 1.5; do
        "$H" lattice-network --block-sizes 4,6,8 --phi "$PHI3" --transmission "$B3" --beta "$beta" \
            --states s.csv --transitions t.csv --start-set A.txt --target-set B.txt >/dev/null ||
            fail "lattice-network at beta = $beta"
        t=$("$PY" -c "print(repr(1 / $beta))")
        "$H" network --states s.csv --transitions t.csv --A @A.txt --B @B.txt --temperature "$t" \
            --count 6 --json >n.json || fail "network"
        "$H" mfpt --block-sizes 4,6,8 --phi "$PHI3" --transmission "$B3" --beta "$beta" --json \
            >m.json || fail "mfpt --blocks"
        "$H" exact --block-sizes 4,6,8 --phi "$PHI3" --transmission "$B3" --beta "$beta" \
            --distribution d.csv >/dev/null || fail "exact --blocks --distribution"
        pockets=0
        [ "$beta" = 0.5 ] && pockets=1
        "$PY" "$REF/blocks_lattice_network.py" 4,6,8 "$PHI3" "$B3" "$beta" s.csv t.csv \
            --distribution d.csv --A A.txt --B B.txt --network-json n.json --mfpt-json m.json \
            --pockets $pockets >ref.txt || fail "reference at beta = $beta: $(cat ref.txt)"
    done
    # four blocks (the default phi: eq 4.11 of each pair, weighted by its
    # share of D), a B without T: written once (no --beta), right at any T
    "$H" lattice-network --blocks 4 --dim 12 --transmission '1+0.5*m1*m4' --states s.csv \
        --transitions t.csv --json >l.json || fail "four blocks"
    grep -q '"right_at_temperature": null' l.json || fail "four blocks: right_at_temperature"
    grep -q "right at every temperature" s.csv || fail "four blocks: the comment"
    for beta in 0.7 2; do
        "$PY" "$REF/blocks_lattice_network.py" 3,3,3,3 \
            '0.5*(m1-(m2+0.2)^2+0.38*(m2+0.2)^3) + 0.5*(m3-(m4+0.2)^2+0.38*(m4+0.2)^3)' '1+0.5*m1*m4' \
            "$beta" s.csv t.csv >ref.txt || fail "four blocks at beta = $beta: $(cat ref.txt)"
    done
    # the reference catches a wrong file: one entropy off by 1e-9
    awk -F, 'BEGIN { OFS = ","; CONVFMT = "%.17g" } !/^#/ && NR > 1 && !done && $1 == 5 { $3 = $3 + 1e-9; done = 1 } 1' \
        s.csv >bad.csv
    if "$PY" "$REF/blocks_lattice_network.py" 3,3,3,3 \
        '0.5*(m1-(m2+0.2)^2+0.38*(m2+0.2)^3) + 0.5*(m3-(m4+0.2)^2+0.38*(m4+0.2)^3)' '1+0.5*m1*m4' 1 \
        bad.csv t.csv >ref.txt; then
        fail "the reference accepts a wrong entropy"
    fi
    ;;
pair)
    # two equal blocks: the ids, rows and sets of lattice-network without
    # --blocks (numbers to rounding), the same network results, and the ids
    # of exact --blocks --distribution (n1 (D/2 + 1) + n2)
    for c in "20 1.0 - -" "16 0.9 x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y exp(-3*y^2/T)*(1+0.5*x^2)"; do
        set -- $c
        D=$1 BETA=$2
        P=()
        [ "$3" = - ] || P+=(--phi "$3")
        [ "$4" = - ] || P+=(--transmission "$4")
        "$H" lattice-network --blocks 2 --dim "$D" --beta "$BETA" "${P[@]}" --states s.csv \
            --transitions t.csv --start-set A.txt --target-set B.txt --json >l.json ||
            fail "--blocks 2 D=$D"
        "$H" lattice-network --dim "$D" --beta "$BETA" "${P[@]}" --states s2.csv \
            --transitions t2.csv --start-set A2.txt --target-set B2.txt --json >l2.json ||
            fail "2-D D=$D"
        cmp -s A.txt A2.txt && cmp -s B.txt B2.txt || fail "D=$D: the sets differ"
        "$PY" - s.csv s2.csv t.csv t2.csv l.json l2.json <<'PY' || fail "D=$D: the files differ"
import json, sys
def rows(p):
    return [l.strip().split(",") for l in open(p) if not l.startswith("#")]
for a, b in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    ra, rb = rows(a), rows(b)
    assert ra[0] == rb[0] and len(ra) == len(rb), (a, len(ra), len(rb))
    for x, y in zip(ra[1:], rb[1:]):
        n = 1 if "id" in ra[0] else 2
        assert x[:n] == y[:n], (x, y)               # the same ids, in the same order
        for u, v in zip(x[n:], y[n:]):
            assert abs(float(u) - float(v)) <= 1e-13 * max(1, abs(float(v))), (x, y)
l, l2 = json.load(open(sys.argv[5])), json.load(open(sys.argv[6]))
assert l["start_id"] == l2["start_id"] and l["target_classes"] == l2["target_classes"]
assert l["start_class"]["n"] == [l2["start_class"]["n1"], l2["start_class"]["n"] - l2["start_class"]["n1"]]
assert l["states"] == l2["states"] and l["transitions"] == l2["transitions"]
PY
        "$H" exact --blocks 2 --dim "$D" --beta "$BETA" "${P[@]}" --distribution d.csv >/dev/null ||
            fail "exact --blocks 2 --distribution"
        awk -F, -v h=$((D / 2)) '!/^#/ && NR > 1 && $1 ~ /^[0-9]+$/ { if ($1 != $3 * (h + 1) + $4) bad++; n++ }
            END { exit !(n == (h + 1) * (h + 1) && bad == 0) }' d.csv ||
            fail "D=$D: exact --blocks --distribution's class is not n1 (D/2 + 1) + n2: $(sed -n '/^class/{p;n;p}' d.csv)"
        t=$("$PY" -c "print(repr(1 / $BETA))")
        for v in "" 2; do
            "$H" network --states s$v.csv --transitions t$v.csv --A @A$v.txt --B @B$v.txt \
                --temperature "$t" --count 4 --json >n$v.json || fail "network $v"
        done
        "$PY" - n.json n2.json <<'PY' || fail "D=$D: network results differ"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for x, y in zip(a["rates"][1:], b["rates"][1:]):
    assert abs(x / y - 1) < 1e-12, (a["rates"], b["rates"])
pa = [p for p in a["passage"] if p["from"] == "A" and p["to"] == "B"][0]["ln_mfpt"]
pb = [p for p in b["passage"] if p["from"] == "A" and p["to"] == "B"][0]["ln_mfpt"]
assert abs(pa - pb) < 1e-12 * abs(pb), (pa, pb)
PY
    done
    # a zero is written 0, never -0 (phi = -0 at m = 0)
    "$H" lattice-network --blocks 1 --dim 6 --phi '-m1^2' --states s.csv --transitions t.csv \
        >/dev/null || fail "one block"
    "$H" lattice-network --dim 6 --phi '-x^2' --states s2.csv --transitions t2.csv >/dev/null ||
        fail "2-D, phi -x^2"
    ! grep -E -- '(^|,)-0(,|$)' s.csv t.csv s2.csv t2.csv || fail "-0 written"
    grep -q '^3,0,' s.csv && grep -q '^3,0,' s2.csv || fail "the zero energy: $(grep '^3,' s.csv s2.csv)"
    # the text summary names the start class
    "$H" lattice-network --blocks 2 --dim 20 --beta 1 --states s.csv --transitions t.csv \
        --start-set A.txt --target-set B.txt >out.txt || fail "text"
    grep -q "start: class 10, n = (0, 10), of basin liquid; target: 44 classes of basin crystal" out.txt ||
        fail "text: $(cat out.txt)"
    ;;
errors)
    # the parsing, messages and exit codes of the other commands' --blocks
    EXPECT_RC=2
    expect_error lattice-network --blocks 3 --dim 20 --phi m1 --states s.csv --transitions t.csv
    grep -q "not a multiple of the 3 blocks" err.txt || fail "$(cat err.txt)"
    expect_error lattice-network --blocks 2 --states s.csv --transitions t.csv
    grep -q -- "--blocks needs --dim" err.txt || fail "$(cat err.txt)"
    expect_error lattice-network --blocks 0 --dim 20 --states s.csv --transitions t.csv
    expect_error lattice-network --blocks 2 --block-sizes 3,3 --states s.csv --transitions t.csv
    expect_error lattice-network --block-sizes 3,0 --phi m1 --states s.csv --transitions t.csv
    expect_error lattice-network --block-sizes 4,4 --dim 10 --states s.csv --transitions t.csv
    grep -q "sum 8" err.txt || fail "$(cat err.txt)"
    expect_error lattice-network --blocks 2 --dim 20 --transmission 'exp(-m1/T)' --states s.csv \
        --transitions t.csv
    grep -q "depends on T" err.txt || fail "$(cat err.txt)"
    expect_error lattice-network --blocks 2 --dim 20 --states s.csv
    expect_error lattice-network --blocks 2 --dim 20 --states s.csv --transitions t.csv \
        --start-set a.txt --target-set b.txt
    expect_error lattice-network --blocks 2 --dim 20 --beta 1 --states s.csv --transitions t.csv \
        --start-set a.txt
    expect_error lattice-network --blocks 2 --dim 20 --beta 1 --states s.csv --transitions s.csv
    expect_error lattice-network --blocks 2 --dim 20 --beta 1 --states - --transitions t.csv --json
    expect_error lattice-network --blocks 2 --dim 20 --beta 1 --states s.csv --transitions t.csv x
    expect_error lattice-network --blocks 2 --dim 20 --beta 0 --states s.csv --transitions t.csv
    # an odd K without --phi: a usage error, as in every command
    expect_error lattice-network --blocks 3 --dim 21 --states s.csv --transitions t.csv
    grep -q "odd number of blocks needs --phi" err.txt || fail "$(cat err.txt)"
    # the library's refusals (as every command's --blocks): exit 1
    EXPECT_RC=1
    expect_error lattice-network --blocks 3 --dim 30 --phi m4 --states s.csv --transitions t.csv
    expect_error lattice-network --blocks 2 --dim 20 --beta 1 --transmission 'm1/T' \
        --states s.csv --transitions t.csv
    grep -q "between classes 0 and 11 (block 1" err.txt || fail "$(cat err.txt)"
    expect_error lattice-network --blocks 2 --dim 20 --beta 1 --states s.csv --transitions t.csv \
        --start-set a.txt --target-set b.txt --to nowhere
    grep -q "no basin 'nowhere'" err.txt || fail "$(cat err.txt)"
    # the same basin under two names: a usage error (aliases_test.sh same)
    EXPECT_RC=2 expect_error lattice-network --block-sizes 4,6,8 --phi "$PHI3" --beta 1.5 \
        --states s.csv --transitions t.csv --start-set a.txt --target-set b.txt --from b1 \
        --to crystal
    grep -q "same basin" err.txt || fail "$(cat err.txt)"
    expect_error lattice-network --blocks 8 --dim 160 --states s.csv --transitions t.csv
    grep -q "more than 2^31 classes" err.txt || fail "$(cat err.txt)"
    # help: the blocks text, and the 2-D help points to it
    "$H" lattice-network --blocks 2 --help >out.txt || fail "--help"
    for o in --blocks --block-sizes --dim --states --transitions --beta --start-set --target-set \
        --from --to --phi --transmission "ln W" "right at" "exact --blocks" "mfpt --blocks"; do
        grep -qF -- "$o" out.txt || fail "--blocks --help does not mention $o"
    done
    "$H" lattice-network --help | grep -qF -- "--blocks K" || fail "--help does not name --blocks"
    ;;
*) fail "unknown test $T" ;;
esac
exit 0
