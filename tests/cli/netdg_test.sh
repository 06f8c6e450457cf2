#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of `hyperland network --disconnectivity` (issue 10): the tree of
# superbasins against an independent breadth-first analysis of the
# databases (tests/ref/dg_check.py), the figure, the options and errors.
# usage: netdg_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
DATA="$(cd "$(dirname "$0")/../data" && pwd)"
REF="$(cd "$(dirname "$0")/../ref" && pwd)"
KEEP='^(out|err)\.txt$|\.(csv|data|json|txt|png)$'

json_get() {
    python3 -c '
import json, sys
def bad(c): raise ValueError("non-standard JSON constant " + c)
d = json.load(open(sys.argv[1]), parse_constant=bad)
print(eval(sys.argv[2]))' "$1" "$2"
}
expect() {
    [ "$(json_get "$2" "bool($1)")" = True ] || fail "not true: $1 ($(head -c 400 "$2"))"
}
is_png() {
    [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        fail "$1 is not a PNG"
}
check_tree() { # DB CSV: the tree against the brute-force analysis
    local db="$DATA/$1" a=() b=()
    [ -f "$db/min.A" ] && a=(--A "$db/min.A")
    [ -f "$db/min.B" ] && b=(--B "$db/min.B")
    python3 "$REF/dg_check.py" "$db/min.data" "${TS:-$db/ts.data}" "$2" "${a[@]}" "${b[@]}" >chk.txt ||
        fail "tree of $1 ($2): $(cat chk.txt)"
}

case "$T" in
help)
    "$H" network --help >out.txt || fail "--help"
    for o in --disconnectivity --disconnectivity-data --dg-levels --dg-delta --dg-top \
        --dg-min-count --dg-lowest "max(E_ts, E_a, E_b)" "never cross"; do
        grep -qF -- "$o" out.txt || fail "--help does not mention $o"
    done
    ;;
path12)
    # the 12-minimum LJ38 path: tree, figure, JSON summary
    "$H" network --db "$DATA/LJ38-tutorial-12" --disconnectivity g.png \
        --disconnectivity-data g.csv --json >o.json || fail "run"
    is_png g.png
    check_tree LJ38-tutorial-12 g.csv
    expect 'd["disconnectivity"]["levels"] == 40 and d["disconnectivity"]["lines"] == 8' o.json
    # defaults: top = e_merge + delta/2, the lowest level delta/2 above e_min
    expect 'abs(d["disconnectivity"]["top"] - d["disconnectivity"]["e_merge"] - d["disconnectivity"]["delta"] / 2) < 1e-12' o.json
    expect 'abs(d["disconnectivity"]["bottom_level"] - d["disconnectivity"]["e_min"] - d["disconnectivity"]["delta"] / 2) < 1e-12' o.json
    expect 'abs(d["disconnectivity"]["e_min"] + 173.928426590628) < 1e-9' o.json
    # the text report names the graph
    "$H" network --db "$DATA/LJ38-tutorial-12" --disconnectivity-data g2.csv --dg-levels 7 >t.txt || fail "text"
    grep -q "disconnectivity graph: 7 levels" t.txt || fail "text line: $(cat t.txt)"
    check_tree LJ38-tutorial-12 g2.csv
    ;;
lj38)
    # LJ38-4k (900 minima in the network, fcc A and icosahedral B): full,
    # pruned by size, by the lowest minima, with a given spacing and top
    "$H" network --db "$DATA/LJ38-4k" --disconnectivity-data full.csv --disconnectivity full.png >/dev/null || fail "full"
    is_png full.png
    check_tree LJ38-4k full.csv
    "$H" network --db "$DATA/LJ38-4k" --disconnectivity-data k5.csv --disconnectivity k5.png \
        --dg-min-count 5 --json >o.json || fail "k5"
    is_png k5.png
    check_tree LJ38-4k k5.csv
    expect 'd["disconnectivity"]["min_count"] == 5 and d["disconnectivity"]["lines"] == 18' o.json
    # pruned: every shown node holds >= 5 minima; the global minimum's root shown
    awk -F, '!/^#/ && $1 != "node" && $10 == 1 && $5 < 5 { bad = 1 } END { exit bad }' k5.csv ||
        fail "a shown node of fewer than 5 minima"
    "$H" network --db "$DATA/LJ38-4k" --disconnectivity-data low.csv --dg-lowest 10 \
        --dg-delta 0.25 --dg-top -165 >/dev/null || fail "lowest"
    check_tree LJ38-4k low.csv
    head -5 low.csv | grep -q "top = -165, delta = 0.25" || fail "top/delta not used: $(head -5 low.csv)"
    # the 10 lowest minima each end a line of their own
    n=$(awk -F, '!/^#/ && $1 != "node" && $11 == 1' low.csv | wc -l)
    [ "$n" -ge 2 ] && [ "$n" -le 10 ] || fail "lowest 10: $n lines"
    ;;
lj13)
    gzip -dc "$DATA/LJ13/ts.data.gz" >ts.data || fail "gunzip"
    "$H" network --min "$DATA/LJ13/min.data" --ts ts.data --disconnectivity-data t.csv \
        --disconnectivity t.png --dg-lowest 40 --json >o.json || fail "run"
    is_png t.png
    TS=ts.data check_tree LJ13 t.csv
    expect 'd["disconnectivity"]["lowest_count"] == 40 and d["disconnectivity"]["lines"] <= 40' o.json
    ;;
csv)
    # the plain CSV form: ids any integers, energies of the CSV
    printf 'id,energy,entropy\n10,0,0\n20,1,0\n30,2,0\n40,0.5,0\n' >s.csv
    printf 'a,b,energy,entropy\n10,20,3,0\n20,30,2.5,0\n10,40,5,0\n' >tr.csv
    "$H" network --states s.csv --transitions tr.csv --disconnectivity-data g.csv \
        --dg-levels 6 --dg-delta 1 --dg-top 5.5 --disconnectivity g.png >/dev/null || fail "run"
    is_png g.png
    # levels 5.5 .. 0.5: 1, 2, 2, 4, 3, 1 superbasins
    got=$(awk -F, '!/^#/ && $1 != "node" { c[$2]++ } END { for (l = 0; l < 6; l++) printf "%d ", c[l] }' g.csv)
    [ "$got" = "1 2 2 4 3 1 " ] || fail "superbasins per level: $got"
    grep -q '^0,0,5.5,-1,4,10,0,' g.csv || fail "root row: $(grep '^0,' g.csv)"
    ;;
errors)
    DB="$DATA/LJ38-tutorial-12"
    EXPECT_RC=2 expect_error network --db "$DB" --dg-levels 10
    EXPECT_RC=2 expect_error network --db "$DB" --disconnectivity g.png --dg-levels 1
    EXPECT_RC=2 expect_error network --db "$DB" --disconnectivity g.png --dg-delta -1
    EXPECT_RC=2 expect_error network --db "$DB" --disconnectivity g.png --dg-min-count 0
    EXPECT_RC=2 expect_error network --db "$DB" --disconnectivity g.png --dg-lowest x
    EXPECT_RC=2 expect_error network --db "$DB" --disconnectivity g.png --dg-top nan
    EXPECT_RC=1 expect_error network --db "$DB" --disconnectivity g.png --dg-top -200
    grep -q "lowest minimum" err.txt || fail "message: $(cat err.txt)"
    EXPECT_RC=1 expect_error network --db "$DB" --disconnectivity /nonexistent/dir/g.png
    EXPECT_RC=1 expect_error network --db "$DB" --disconnectivity-data g.csv --dg-delta 1e-9
    [ ! -e g.png ] && [ ! -e g.csv ] || fail "an output was left after a failure"
    ;;
lattice)
    # the class lattice of eq 5.6 written as a network: `network` on it has
    # the thermodynamics of `exact` (ln Z, heat capacity) at several D, beta
    # and phi; when `network` reports passage times and rates (issue 10's
    # passage keys), also the MFPT of `mfpt` and the rates of `spectrum`
    NS='x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y'
    for c in "20 1.0 -" "30 0.773 -" "24 0.9 $NS"; do
        set -- $c
        D=$1 BETA=$2 PHI=$3
        P=()
        [ "$PHI" = - ] || P=(--phi "$PHI")
        "$H" lattice-network --dim "$D" --beta "$BETA" "${P[@]}" --states s.csv --transitions t.csv \
            --start-set A.txt --target-set B.txt --json >l.json || fail "lattice-network D=$D"
        expect "d['states'] == ($D // 2 + 1) ** 2 and d['transitions'] == $D * ($D // 2 + 1)" l.json
        expect 'd["temperature_dependent"] is False and d["right_at_temperature"] is None' l.json
        grep -q "right at every temperature" s.csv || fail "states comment"
        T=$(python3 -c "print(repr(1 / $BETA))")
        CNT=()
        "$H" network --help | grep -q -- "--count" && CNT=(--count 4)
        "$H" network --states s.csv --transitions t.csv --A @A.txt --B @B.txt --temperature "$T" \
            "${CNT[@]}" --json >n.json || fail "network on the lattice D=$D"
        "$H" exact --dim "$D" --beta "$BETA" "${P[@]}" --json >e.json || fail "exact D=$D"
        "$H" mfpt --dim "$D" --beta "$BETA" "${P[@]}" --json >m.json || fail "mfpt D=$D"
        "$H" spectrum --dim "$D" --beta "$BETA" "${P[@]}" --count 4 --json >r.json || fail "spectrum D=$D"
        python3 - n.json e.json m.json l.json "$D" r.json <<'PY' || fail "lattice D=$D: network differs from exact/mfpt/spectrum"
import json, sys, math
n, e, m, l, r = (json.load(open(f)) for f in sys.argv[1:5] + sys.argv[6:7])
D = int(sys.argv[5])
# relaxation rates of network (when it reports them) against spectrum
if n.get("rates"):
    for a, b in zip(n["rates"][1:], r["rates"][1:]):
        if a is not None and b is not None:
            assert abs(a / b - 1) < 1e-9, (n["rates"], r["rates"])
def rel(a, b): return abs(a / b - 1)
assert n["network_minima"] == l["states"], (n["network_minima"], l["states"])
assert rel(n["ln_Z"], e["lnZ_per_dim"] * D) < 1e-12, (n["ln_Z"], e["lnZ_per_dim"] * D)
assert rel(n["heat_capacity"], e["heat_capacity_per_dim"] * D) < 1e-9, (n["heat_capacity"], e["heat_capacity_per_dim"] * D)
assert rel(n["mean_energy"], e["mean_phi"] * D) < 1e-12
# the start class and the target basin of mfpt
assert l["start_class"] == {"n": m["start"]["n"], "n1": m["start"]["n1"]}, (l["start_class"], m["start"])
assert n["sets"]["B"]["in_network"] == m["target_classes"]
# passage keys of network (when present): from A (start) to B (target)
for p in n.get("passage") or []:
    if p.get("from") == "A" and p.get("to") == "B" and p.get("ln_mfpt") is not None:
        assert abs(math.exp(p["ln_mfpt"] - m["ln_mfpt"]) - 1) < 1e-9, (p["ln_mfpt"], m["ln_mfpt"])
PY
    done
    # a B with T: written at one temperature, and said so
    "$H" lattice-network --dim 12 --beta 1.2 --transmission 'exp(-3*y^2/T)' --states s.csv \
        --transitions t.csv --json >l.json || fail "B(T)"
    expect 'd["temperature_dependent"] is True and abs(d["right_at_temperature"] - 1 / 1.2) < 1e-15' l.json
    grep -q "RIGHT AT THIS TEMPERATURE ONLY" t.csv || fail "B(T): the comment"
    EXPECT_RC=2 expect_error lattice-network --dim 12 --transmission 'exp(-y/T)' --states s2.csv --transitions t2.csv
    grep -q "depends on T" err.txt || fail "message: $(cat err.txt)"
    EXPECT_RC=2 expect_error lattice-network --dim 11 --states s2.csv --transitions t2.csv
    EXPECT_RC=2 expect_error lattice-network --dim 10 --states s2.csv
    EXPECT_RC=2 expect_error lattice-network --dim 10 --states s2.csv --transitions t2.csv --start-set a2.txt --target-set b2.txt
    EXPECT_RC=1 expect_error lattice-network --dim 10 --beta 1 --states s2.csv --transitions t2.csv --start-set a2.txt --target-set b2.txt --to nowhere
    [ ! -e s2.csv ] && [ ! -e a2.txt ] || fail "an output left after a failure"
    "$H" lattice-network --help >out.txt || fail "--help"
    for o in --dim --states --transitions --beta --start-set --target-set --from --to --phi --transmission "ln W" "right at"; do
        grep -qF -- "$o" out.txt || fail "--help does not mention $o"
    done
    "$H" --help | grep -q "lattice-network" || fail "hyperland --help does not list lattice-network"
    ;;
*) fail "unknown test $T" ;;
esac
exit 0
