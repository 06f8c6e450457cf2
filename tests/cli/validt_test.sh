#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The '# valid-temperature: T' line of the network CSV form (network.h):
# lattice-network (2-D and --blocks) writes it in both files when B depends
# on T; network and every other reader of the files (kmc, scan, ageing,
# kovacs) then refuse any other temperature with a one-line error, instead
# of the wrong answer they gave before; a B without T writes no such line
# and works at any T; a malformed line is a parse error naming the file and
# the line, and two files that disagree are refused.
# usage: validt_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

# refused CMD...: exit 1, one line on stderr naming both temperatures and why
refused() {
    KEEP='.*' EXPECT_RC=1 expect_error "$@"
    grep -q "it is not the valid temperature 0.5 (network file" err.txt &&
        grep -q "depends on T" err.txt || fail "message of $*: $(cat err.txt)"
}
# parse_error FILE LINE CMD...: exit 1, one line naming FILE and LINE
parse_error() {
    local f=$1 l=$2
    shift 2
    KEEP='.*' EXPECT_RC=1 expect_error "$@"
    grep -q "'$f' line $l: " err.txt || fail "message of $*: $(cat err.txt)"
}
# slowest_rate FILE.json: rates[1] of network or spectrum --json
slowest_rate() { "$PY" -c 'import json, sys; print(repr(json.load(open(sys.argv[1]))["rates"][1]))' "$1"; }
same_rate() {
    "$PY" -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(not abs(a / b - 1) < 1e-9)' "$1" "$2" ||
        fail "$3: slowest rate $1 against $2"
}

case "$T" in
lattice)
    # B(T) at beta = 2: right at T = 0.5, refused at 0.6
    B='exp(-T)'
    "$H" lattice-network --dim 6 --states st.csv --transitions tr.csv --beta 2 --transmission "$B" \
        --json >l.json || fail "lattice-network"
    for f in st.csv tr.csv; do
        [ "$(grep -c '^# valid-temperature: 0.5$' $f)" -eq 1 ] || fail "$f: $(grep '^#' $f)"
    done
    "$H" network --states st.csv --transitions tr.csv --temperature 0.5 --count 3 --json >n.json ||
        fail "network at T = 0.5"
    grep -q '"valid_temperature": 0.5' n.json || fail "valid_temperature in the report"
    "$H" spectrum --dim 6 --beta 2 --transmission "$B" --count 3 --json >s.json || fail "spectrum"
    same_rate "$(slowest_rate n.json)" "$(slowest_rate s.json)" "network at T = 0.5"
    "$H" network --states st.csv --transitions tr.csv --temperature 0.5 | grep -q "right at T = 0.5 only" ||
        fail "text report"
    refused network --states st.csv --transitions tr.csv --temperature 0.6
    grep -q "refusing T = 0.6" err.txt || fail "the asked temperature: $(cat err.txt)"
    # 1e-12 relative is the same temperature; 1e-10 is not
    "$H" network --states st.csv --transitions tr.csv --temperature 0.5000000000001 >/dev/null ||
        fail "T within 1e-12 relative"
    refused network --states st.csv --transitions tr.csv --temperature 0.50000000005
    # no temperature: the bookkeeping alone works
    "$H" network --states st.csv --transitions tr.csv --json >n.json || fail "no --temperature"
    # a B without T: no line, right at any T (the rates of spectrum at beta = 1/0.6)
    "$H" lattice-network --dim 6 --states s1.csv --transitions t1.csv --transmission '1+x*y' \
        >/dev/null || fail "lattice-network, B without T"
    ! grep -q "valid-temperature" s1.csv t1.csv || fail "a valid-temperature line for a B without T"
    for t in 0.5 3 0.6; do
        "$H" network --states s1.csv --transitions t1.csv --temperature $t --count 3 --json >n.json ||
            fail "B without T at T = $t"
        grep -q '"valid_temperature": null' n.json || fail "valid_temperature: null"
    done
    beta=$("$PY" -c 'print(repr(1 / 0.6))')
    "$H" spectrum --dim 6 --beta "$beta" --transmission '1+x*y' --count 3 --json >s.json || fail "spectrum"
    same_rate "$(slowest_rate n.json)" "$(slowest_rate s.json)" "B without T at T = 0.6"
    # --help says so
    "$H" lattice-network --help | grep -q "valid-temperature" || fail "lattice-network --help"
    "$H" network --help | grep -q "valid-temperature" || fail "network --help"
    ;;
blocks)
    # lattice-network --blocks: the same line, the rates of spectrum --blocks
    B='exp(-T*m1^2)'
    "$H" lattice-network --blocks 2 --dim 8 --beta 2 --transmission "$B" --states st.csv \
        --transitions tr.csv >/dev/null || fail "lattice-network --blocks"
    for f in st.csv tr.csv; do
        [ "$(grep -c '^# valid-temperature: 0.5$' $f)" -eq 1 ] || fail "$f: $(grep '^#' $f)"
    done
    "$H" network --states st.csv --transitions tr.csv --temperature 0.5 --count 3 --json >n.json ||
        fail "network at T = 0.5"
    "$H" spectrum --blocks 2 --dim 8 --beta 2 --transmission "$B" --count 3 --json >s.json ||
        fail "spectrum --blocks"
    same_rate "$(slowest_rate n.json)" "$(slowest_rate s.json)" "--blocks at T = 0.5"
    refused network --states st.csv --transitions tr.csv --temperature 0.25
    # beta = 3: T = 1/3 written in 17 digits, found again from 1/beta
    "$H" lattice-network --blocks 2 --dim 8 --beta 3 --transmission "$B" --states s3.csv \
        --transitions t3.csv >/dev/null || fail "lattice-network --blocks at beta = 3"
    grep -q '^# valid-temperature: 0.33333333333333331$' s3.csv || fail "17 digits: $(grep valid s3.csv)"
    t=$("$PY" -c 'print(repr(1 / 3))')
    "$H" network --states s3.csv --transitions t3.csv --temperature "$t" >/dev/null || fail "T = 1/3"
    "$H" lattice-network --blocks 2 --dim 8 --transmission '1+m1^2' --states s1.csv \
        --transitions t1.csv >/dev/null || fail "--blocks, B without T"
    ! grep -q "valid-temperature" s1.csv t1.csv || fail "--blocks: a line for a B without T"
    "$H" network --states s1.csv --transitions t1.csv --temperature 0.7 >/dev/null || fail "any T"
    ;;
parse)
    "$H" lattice-network --dim 6 --states st.csv --transitions tr.csv --beta 2 \
        --transmission 'exp(-T)' >/dev/null || fail "lattice-network"
    grep -v '^# valid-temperature' st.csv >s0.csv
    grep -v '^# valid-temperature' tr.csv >t0.csv
    n=$(grep -c '' s0.csv)
    for bad in '# valid-temperature: abc' '# valid-temperature: -0.5' '# valid-temperature: 0' \
        '# valid-temperature: inf' '# valid-temperature: nan' '# valid-temperature:' \
        '# valid-temperature 0.5' '#valid-temperature=0.5' '# valid-temperature: 0.5 K'; do
        { cat s0.csv; echo "$bad"; } >s.csv
        parse_error s.csv $((n + 1)) network --states s.csv --transitions t0.csv
        grep -q "valid-temperature" err.txt || fail "$bad: $(cat err.txt)"
    done
    # other comments that mention it are comments
    for ok in '# valid-temperatures are written by lattice-network' '# a valid-temperature: 3' \
        '  #   valid-temperature :  0.5' '# valid-temperature: 5D-1' '# valid-temperature: 5e-1'; do
        { cat s0.csv; echo "$ok"; } >s.csv
        "$H" network --states s.csv --transitions t0.csv --temperature 0.5 >/dev/null || fail "'$ok'"
    done
    # in one file or between the two: a contradiction is refused
    { cat st.csv; echo '# valid-temperature: 0.6'; } >s.csv
    parse_error s.csv $((n + 2)) network --states s.csv --transitions tr.csv
    grep -q "valid-temperature 0.6 contradicts 0.5 on line" err.txt || fail "$(cat err.txt)"
    { echo '# valid-temperature: 0.6'; cat t0.csv; } >t.csv
    KEEP='.*' EXPECT_RC=1 expect_error network --states st.csv --transitions t.csv
    grep -q "'st.csv' line [0-9]* (valid-temperature 0.5) and 't.csv' line 1 (0.6) disagree" err.txt ||
        fail "files disagree: $(cat err.txt)"
    # either file alone restricts the network; both repeated with one value are fine
    refused network --states s0.csv --transitions tr.csv --temperature 0.6
    refused network --states st.csv --transitions t0.csv --temperature 0.6
    { cat st.csv; echo '# valid-temperature: 0.50000000000000001'; } >s.csv
    "$H" network --states s.csv --transitions tr.csv --temperature 0.5 >/dev/null || fail "repeated"
    # no line in either: any T (the old files)
    "$H" network --states s0.csv --transitions t0.csv --temperature 0.6 >/dev/null || fail "no line"
    # gzipped files keep it
    gzip -c st.csv >st.csv.gz
    refused network --states st.csv.gz --transitions tr.csv --temperature 0.6
    ;;
routes)
    # every command and analysis that evaluates the network at a temperature
    "$H" lattice-network --dim 6 --states st.csv --transitions tr.csv --beta 2 \
        --transmission 'exp(-T)' --start-set A.txt --target-set B.txt >/dev/null || fail "lattice-network"
    N=(--states st.csv --transitions tr.csv --A @A.txt --B @B.txt)
    printf 't,T\n0,0.5\n10,0.5\n' >p5.csv
    printf 't,T\n0,0.5\n10,0.7\n' >p7.csv
    # network: thermodynamics, passage and rates, committor, paths, groups, evolution
    "$H" network "${N[@]}" --temperature 0.5 --committor c.csv --paths 2 p.csv --regroup g.csv \
        --threshold 1 --evolve e.csv --from set:A --times 1,2 >/dev/null || fail "network at 0.5"
    "$H" network "${N[@]}" --temperature 0.5 --passage-method sparse-direct >/dev/null ||
        fail "sparse-direct at 0.5"
    refused network "${N[@]}" --temperature 0.6
    refused network "${N[@]}" --temperature 0.6 --paths 2 p.csv
    refused network "${N[@]}" --temperature 0.6 --regroup g.csv --threshold 1
    refused network "${N[@]}" --temperature 0.5 --evolve e.csv --from equilibrium:0.7 --times 1
    "$H" network "${N[@]}" --temperature 0.5 --evolve e.csv --from min:0 --times 1 >/dev/null ||
        fail "evolve from a minimum"
    "$H" network "${N[@]}" --evolve e.csv --from set:A --times 1,2 --protocol p5.csv >/dev/null ||
        fail "a protocol at 0.5"
    refused network "${N[@]}" --evolve e.csv --from set:A --times 1,2 --protocol p7.csv
    grep -q "refusing T = 0.7" err.txt || fail "protocol: $(cat err.txt)"
    # kinetic Monte Carlo
    "$H" kmc "${N[@]}" --temperature 0.5 --from set:A --times 1,2 --seed 1 >/dev/null 2>&1 ||
        fail "kmc at 0.5"
    refused kmc "${N[@]}" --temperature 0.6 --from set:A --times 1,2 --seed 1
    refused kmc "${N[@]}" --protocol p7.csv --from min:0 --times 1,2 --seed 1
    # calorimetry scans, ageing, Kovacs: they change T
    refused scan --states st.csv --transitions tr.csv --t-high 0.5 --t-low 0.3 --cooling-rates 0.1
    refused scan --states st.csv --transitions tr.csv --t-high 0.7 --t-low 0.5 --cooling-rates 0.1
    "$H" ageing --states st.csv --transitions tr.csv --t0 0.5 --t 0.5 --tw 1 >/dev/null ||
        fail "ageing at 0.5"
    refused ageing --states st.csv --transitions tr.csv --t0 0.8 --t 0.5 --tw 1
    refused ageing --states st.csv --transitions tr.csv --t0 0.5 --t 0.4 --tw 1
    refused kovacs --states st.csv --transitions tr.csv --t0 0.8 --t2 0.5 --t1 0.3
    # the disconnectivity graph has no temperature
    "$H" network --states st.csv --transitions tr.csv --disconnectivity-data d.csv >/dev/null ||
        fail "disconnectivity graph"
    ;;
*) fail "unknown test $T" ;;
esac
exit 0
