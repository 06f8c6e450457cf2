#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the breakit branch: defects a new user found in the commands
# landed last (kmc, network, phases, exact), each tested on the example found
# and on other cases of the same kind.
# usage: breakit_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
D="$(cd "$(dirname "$0")/../data" && pwd)"

# expect_message TEXT ARGS...: a refusal whose one stderr line contains TEXT
expect_message() {
    local text="$1"
    shift
    expect_error "$@"
    grep -qF -- "$text" err.txt || fail "message without '$text': $(cat err.txt)"
}
# no_nonfinite FILE: no nan / inf in a text or CSV output
no_nonfinite() {
    ! grep -qiwE -- '-?(nan|inf|infinity)' "$1" || fail "nan/inf in $1: $(grep -iwE -- '-?(nan|inf|infinity)' "$1" | head -3)"
}
# no_negative_zero FILE: no number printed as -0 (-0, -0.000, -0e+00) in text, CSV or JSON
no_negative_zero() {
    ! grep -qE -- '(^|[^0-9.eE])-0(\.0*)?([eE][-+]?[0-9]+)?([^0-9.eE]|$)' "$1" ||
        fail "-0 printed in $1: $(grep -E -- '(^|[^0-9.eE])-0(\.0*)?([eE][-+]?[0-9]+)?([^0-9.eE]|$)' "$1" | head -3)"
}

case "$T" in
negative_zero)
    # a zero heat capacity (phi with a stationary point at the maximum: c = -beta^2 * 0)
    # and a zero ln P printed as -0 in text, CSV and JSON
    for phi in 'x*y' 'x^2+y^2' '0'; do
        "$H" phases --at 0.773 --phi "$phi" >t.txt || fail "phases --at, phi $phi"
        no_negative_zero t.txt
        "$H" phases --at 2 --phi "$phi" --json >t.json || fail "phases --at --json, phi $phi"
        no_negative_zero t.json
        "$H" phases --phi "$phi" --points 50 --output b.csv >/dev/null || fail "phases, phi $phi"
        no_negative_zero b.csv
    done
    printf 'id,energy,entropy\n1,0,0\n2,1,0\n' >s.csv
    printf 'a,b,energy,entropy\n1,2,2,0\n' >t.csv
    for temp in 1e-300 1e-3; do
        "$H" network --states s.csv --transitions t.csv --temperature $temp --A 1 --B 2 >n.txt ||
            fail "network at T = $temp"
        no_negative_zero n.txt
        "$H" network --states s.csv --transitions t.csv --temperature $temp --A 1 --B 2 --json >n.json ||
            fail "network --json at T = $temp"
        no_negative_zero n.json
    done
    ;;
network_text_finite)
    # the ln of the zero rate was printed as -inf in the text report
    for temp in 0.1 0.02; do
        "$H" network --db "$D/LJ38-tutorial-12" --temperature $temp --count 4 >n.txt || fail "network T = $temp"
        no_nonfinite n.txt
        grep -q '  ln: n/a (rate 0) ' n.txt || fail "ln of rate 0 not explained: $(grep ' ln:' n.txt)"
    done
    printf 'id,energy,entropy\n1,0,0\n2,1,0\n' >s.csv
    printf 'a,b,energy,entropy\n1,2,2,0\n' >t.csv
    "$H" network --states s.csv --transitions t.csv --temperature 1e-300 --A 1 --B 2 >n.txt ||
        fail "network at T = 1e-300"
    no_nonfinite n.txt
    ;;
kmc_seed_one_line)
    # without --seed, kmc announced the drawn seed before checking its inputs:
    # a refused input gave two lines on stderr
    EXPECT_RC=1 expect_error kmc --dim 8 --beta 1 --transmission x --from liquid --times 0,1
    expect_error kmc --dim 8 --protocol /dev/null --from liquid --times 0,1
    expect_error kmc --dim 4 --beta 1 --from basin:none --times 0,1
    expect_error kmc --db "$D/LJ38-tutorial-12" --temperature 0.4 --from min:99 --times 0,1
    EXPECT_RC=1 expect_error kmc --db nonexistent --temperature 0.4 --from min:1 --times 0,1
    expect_error kmc --hypercube --dim 8 --beta 1 --transmission x --from liquid --times 0,1
    # a run that starts still names its seed
    "$H" kmc --dim 8 --beta 1 --from liquid --times 0,1 >/dev/null 2>err.txt || fail "kmc"
    grep -q 'seed [0-9]* (drawn; --seed' err.txt || fail "drawn seed not printed: $(cat err.txt)"
    ;;
start_file_other_D)
    KEEP='^(out\.txt|err\.txt|q[0-9]+g?\.csv|noxy\.csv)$'
    # a class distribution written at D = 8 was read as a start at D = 10
    # (same (n, n1), other (x, y)): now refused when the file's x, y disagree
    "$H" exact --dim 8 --beta 0.9 --distribution q8.csv >/dev/null || fail "exact --distribution"
    for cmd in evolve kmc; do
        seed=""
        [ $cmd = kmc ] && seed="--seed 1"
        for d in 10 6 12; do
            expect_message "a distribution of another D" $cmd --dim $d --beta 1 --from q8.csv --times 0,1
        done
        # the same D reads it; a file without x, y is read as before
        "$H" $cmd --dim 8 --beta 1 --from q8.csv --times 0,1 $seed >/dev/null 2>&1 ||
            fail "$cmd reads its own D's distribution"
        awk -F, '/^#/ { next } { print $1 "," $2 "," $6 }' q8.csv >noxy.csv
        "$H" $cmd --dim 10 --beta 1 --from noxy.csv --times 0,1 $seed >/dev/null 2>&1 ||
            fail "$cmd reads a file without x, y"
    done
    expect_message "a distribution of another D" fokker-planck --dim 10 --beta 1 --from q8.csv --times 0,1 --grid 16 --rates 0
    # x to 6 digits (a %g print) is accepted at its own D
    "$H" exact --dim 6 --beta 0.9 --distribution q6.csv >/dev/null || fail "exact D = 6"
    awk -F, 'BEGIN { OFS = "," } /^#/ { next } $3 != "x" { $3 = sprintf("%g", $3); $4 = sprintf("%g", $4) } { print }' q6.csv >q6g.csv
    "$H" evolve --dim 6 --beta 1 --from q6g.csv --times 0,1 >/dev/null || fail "x, y to 6 digits refused"
    ;;
network_usage_status)
    # a bad option value is a usage error (status 2), found before the
    # database is read: --passage-method NAME went unnoticed without sets
    # (exit 0) and failed with status 1 with them; --evolve's --from form
    # gave status 1 after the run had loaded everything
    for db in LJ38-tutorial-12 LJ13; do
        EXPECT_RC=2 expect_message "is not graph-transformation or sparse-direct" \
            network --db "$D/$db" --temperature 0.5 --passage-method foo
    done
    EXPECT_RC=2 expect_message "--passage-method" network --db "$D/nine-community" --temperature 1 \
        --passage-method graph-transform --json
    for from in set:C equilibrium:0 equilibrium:-1 min:x min: bogus; do
        EXPECT_RC=2 expect_error network --db "$D/LJ38-tutorial-12" --temperature 0.5 \
            --evolve ev.csv --from "$from" --times 0,1
    done
    # the names that exist still run
    "$H" network --db "$D/LJ38-tutorial-12" --temperature 0.5 --passage-method sparse-direct >/dev/null ||
        fail "sparse-direct refused"
    "$H" network --db "$D/LJ38-tutorial-12" --temperature 0.5 --passage-method graph-transformation \
        --evolve ev.csv --from set:B --times 0,1 >/dev/null || fail "graph-transformation / --evolve refused"
    ;;
*)
    fail "unknown test"
    ;;
esac
exit 0
