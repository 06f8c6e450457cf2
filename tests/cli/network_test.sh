#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of `hyperland network` (issue 10): the databases of tests/data
# read as a user would, the ktn README's counts, strict JSON, nulls instead
# of lost digits, and one-line errors naming the file and the line.
# usage: network_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
DATA="$(cd "$(dirname "$0")/../data" && pwd)"
KEEP='^(out|err)\.txt$|\.(csv|data|json|txt)$' # the inputs written here stay

# json_get FILE EXPR: a value of the strict JSON in FILE (NaN/Infinity refused)
json_get() {
    python3 -c '
import json, sys
def bad(c): raise ValueError("non-standard JSON constant " + c)
d = json.load(open(sys.argv[1]), parse_constant=bad)
print(eval(sys.argv[2]))' "$1" "$2"
}
# expect EXPR FILE: a python expression over the JSON d must be true
expect() {
    [ "$(json_get "$2" "bool($1)")" = True ] || fail "not true: $1 ($(head -c 400 "$2"))"
}

case "$T" in
help)
    "$H" network --help >out.txt || fail "--help"
    for o in --db --min --ts --states --transitions --A --B --temperature --modes --json --threads \
        "S_min = -F/2 - ln o" "(m sigma^2/eps)^(1/2)"; do
        grep -qF -- "$o" out.txt || fail "--help does not mention $o"
    done
    "$H" --help | grep -q "network" || fail "hyperland --help does not list network"
    ;;
lj38)
    # the ktn README: 4000 minima, 2677 TS (24 a == b), 1620 components, 238
    # isolated, 900 connected to the global minimum with 5 of A and 128 of B;
    # minimum 2020 the outlier
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.2 --json >o.json || fail "run"
    expect 'd["minima"] == 4000 and d["transition_states"] == 2677' o.json
    expect 'd["network_minima"] == 900 and d["components"] == 1620 and d["isolated_minima"] == 238' o.json
    expect 'd["dropped"] == {**d["dropped"], "components": 1619, "minima": 3100, "degenerate_ts": 24}' o.json
    expect 'd["sets"]["A"]["in_network"] == 5 and d["sets"]["B"]["in_network"] == 128' o.json
    expect 'd["sets"]["B"]["given"] == 395 and len(d["dropped"]["B"]) == 267 and d["dropped"]["A"] == []' o.json
    expect '[w["id"] for w in d["warnings"]] == [2020] and d["warnings"][0]["kind"] == "outlier"' o.json
    # mpmath (tests/ref/network_thermo.py): ln Z = 600.68559386170412, C = 83.780375208055167
    expect 'abs(d["ln_Z"] - 600.68559386170412) < 1e-11' o.json
    expect 'abs(d["heat_capacity"] / 83.780375208055167 - 1) < 1e-11' o.json
    expect 'abs(d["ln_populations"]["B"] + 0.44621984114245491) < 1e-12' o.json
    # provenance: the four files with the sha256 of the README
    expect 'len(d["provenance"]["inputs"]) == 4' o.json
    expect 'd["provenance"]["inputs"][0]["sha256"] == "dc6f10b4941799015d49142e818fbc8b263d87142ab15f748cd7c57d0a832b1c"' o.json
    # text report
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.2 >t.txt || fail "text run"
    grep -q "900 minima" t.txt || fail "text: 900 minima"
    grep -q "warning: minimum 2020" t.txt || fail "text: the warning"
    ;;
lj13)
    # LJ13's ts.data is stored gzip-compressed; the README's sha256 and counts
    gzip -dc "$DATA/LJ13/ts.data.gz" >ts.data || fail "gunzip"
    [ "$(sha256sum ts.data | cut -d' ' -f1)" = aec9ebaba096948ef273af16592ded4dfab45e0996eec47ad4adeab325439a5e ] ||
        fail "LJ13 ts.data is not the README's"
    "$H" network --min "$DATA/LJ13/min.data" --ts ts.data --temperature 0.1 --json >o.json || fail "run"
    expect 'd["minima"] == 1510 and d["transition_states"] == 29007' o.json
    expect 'd["dropped"]["degenerate_ts"] == 1142 and d["network_pairs"] == 20606' o.json
    expect 'd["network_minima"] == 1510 and d["components"] == 1 and d["network_root"] == 1' o.json
    expect 'd["populations"]["A"] is None and d["sets"]["A"] is None' o.json
    ;;
low_temperature)
    # T = 0.01: weights e^-17000; ln P_A = -1.78e-28 keeps its digits;
    # T = 0.0005: P_B = e^-1278 is below a double: null, its log is given
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.01 --json >o.json || fail "T = 0.01"
    expect 'abs(d["ln_populations"]["A"] / -1.7767109904215301e-28 - 1) < 1e-9' o.json
    expect 'abs(d["heat_capacity"] / 8.1205338385994067e-25 - 1) < 1e-11' o.json
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.0005 --json >o.json || fail "T = 0.0005"
    expect 'd["populations"]["B"] is None and d["ln_populations"]["B"] < -1200' o.json
    expect 'd["populations"]["A"] == 1 and d["ln_populations"]["A"] <= 0' o.json
    # the modes add K to the heat capacity
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.2 --modes 108 --json >m.json || fail "--modes"
    expect 'abs(d["heat_capacity"] - 108 - 83.780375208055167) < 1e-9' m.json
    ;;
sets)
    printf '2\n1\n 3\n' >a.txt
    "$H" network --db "$DATA/LJ38-4k" --A @a.txt --B 7,9,3000 --json >o.json || fail "--A @file"
    expect 'd["sets"]["A"]["ids"] == [1, 3] and d["sets"]["B"]["given"] == 3' o.json
    expect 'd["sets"]["B"]["in_network"] + len(d["dropped"]["B"]) == 3 and 7 in d["sets"]["B"]["ids"]' o.json
    expect_error network --db "$DATA/LJ38-4k" --B 7,4001
    grep -q "4001 is not a minimum id of .*min.data' (1..4000)" err.txt || fail "$(cat err.txt)"
    expect 'd["temperature"] is None and d["ln_Z"] is None' o.json
    "$H" network --db "$DATA/LJ38-tutorial-12" --A 2 --json >o.json || fail "--A on a db with min.B"
    expect 'd["sets"]["A"]["ids"] == [2] and d["sets"]["B"]["ids"] == [8]' o.json
    expect_error network --db "$DATA/LJ38-4k" --B 4000
    grep -q "set B" err.txt || fail "B outside the network: $(cat err.txt)"
    expect_error network --db "$DATA/LJ38-4k" --A 1,1
    grep -q "listed twice" err.txt || fail "repeated id: $(cat err.txt)"
    expect_error network --db "$DATA/LJ38-4k" --A @missing.txt
    grep -q "missing.txt" err.txt || fail "missing set file: $(cat err.txt)"
    printf '3\n1 2\n' >short.txt
    expect_error network --db "$DATA/LJ38-4k" --A @short.txt
    grep -q "short.txt' line 2" err.txt || fail "short set file: $(cat err.txt)"
    expect_error network --db "$DATA/LJ38-4k" --A 1 --B 1
    grep -q "both A and B" err.txt || fail "overlap: $(cat err.txt)"
    ;;
csv)
    # the plain CSV form: a three-state chain; ln Z by hand
    printf 'id,energy,entropy\n10,0,0\n-4,1,0.5\n7,2,1\n' >s.csv
    printf 'a,b,energy,entropy\n10,-4,3,0\n-4,7,4,0\n7,7,1,1\n' >t.csv
    "$H" network --states s.csv --transitions t.csv --A 10 --B 7 --temperature 0.5 --json >o.json ||
        fail "csv run"
    expect 'd["input"]["form"] == "CSV" and d["network_minima"] == 3 and d["dropped"]["degenerate_ts"] == 1' o.json
    expect 'abs(d["ln_Z"] - __import__("math").log(1 + __import__("math").exp(0.5 - 2) + __import__("math").exp(1 - 4))) < 1e-14' o.json
    printf 'id,energy,entropy\n10,0,0\n10,1,0.5\n' >dup.csv
    expect_error network --states dup.csv --transitions t.csv
    grep -q "dup.csv' line 3: state id 10 is already on line 2" err.txt || fail "$(cat err.txt)"
    ;;
errors)
    printf '1 2 1\n1 2 1\n' >m.data
    printf '1 1 1 1 2\n1 1 1 1 x\n' >t.data
    expect_error network --min m.data --ts t.data
    grep -q "t.data' line 2: b = 'x'" err.txt || fail "$(cat err.txt)"
    printf '1 2 1\n1 2 0\n' >m0.data
    expect_error network --min m0.data --ts t.data
    grep -q "m0.data' line 2: the order o = '0'" err.txt || fail "$(cat err.txt)"
    : >empty.data
    expect_error network --min empty.data --ts t.data
    grep -q "empty.data' line 1: no minima" err.txt || fail "$(cat err.txt)"
    EXPECT_RC=2 expect_error network
    EXPECT_RC=2 expect_error network --min m.data
    EXPECT_RC=2 expect_error network --db "$DATA/LJ38-4k" --states s.csv --transitions t.csv
    EXPECT_RC=2 expect_error network --db "$DATA/LJ38-4k" --temperature 0
    EXPECT_RC=2 expect_error network --db "$DATA/LJ38-4k" --temperature nan
    EXPECT_RC=2 expect_error network --db "$DATA/LJ38-4k" --modes -1
    EXPECT_RC=2 expect_error network --db "$DATA/LJ38-4k" --bogus
    EXPECT_RC=2 expect_error network --db "$DATA/LJ38-4k" --threads 0
    "$H" network --db "$DATA/LJ38-tutorial-12" --threads 1 >/dev/null || fail "--threads 1"
    expect_error network --db nonexistent-dir
    ;;
*)
    fail "unknown test $T"
    ;;
esac
exit 0
