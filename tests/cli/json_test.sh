#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the outputs' form: strict JSON with schema_version and
# provenance, no NaN/infinity in any output (JSON null, empty CSV field, text
# "n/a" or a reason), and messages that say what is wrong.
# usage: json_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
KEEP='.' # the message tests leave their input files
# expect_message PATTERN ARGS...: an error whose message matches PATTERN
expect_message() {
    local pat="$1"
    shift
    expect_error "$@"
    grep -qE -- "$pat" err.txt || fail "message for ${*:0:200}: '$(head -c 300 err.txt)' does not match '$pat'"
}

# strict FILE [INPUTS]: FILE is one strict JSON object (no NaN/Infinity
# tokens), schema_version 1, provenance with version, git_commit, libraries
# and one sha256 per input file; INPUTS: the expected input paths, comma-separated
strict() {
    python3 - "$1" "${2:-}" <<'PY' || fail "not strict JSON with provenance: $1: $(head -c 400 "$1")"
import hashlib, json, math, sys
def bad(c):
    sys.exit("bad token " + c)
with open(sys.argv[1]) as f:
    d = json.load(f, parse_constant=bad)
def walk(v):
    if isinstance(v, float) and not math.isfinite(v):
        sys.exit("non-finite number")
    if isinstance(v, dict):
        for x in v.values():
            walk(x)
    if isinstance(v, list):
        for x in v:
            walk(x)
walk(d)
assert isinstance(d, dict), "top level is not an object"
assert d.get("schema_version") == 1, "schema_version"
assert isinstance(d.get("command"), str) and isinstance(d.get("version"), str)
p = d["provenance"]
assert p["version"] == d["version"]
assert p["git_commit"] is None or (len(p["git_commit"].split("-")[0]) == 40)
for lib in ("gsl", "sundials", "suitesparse", "lapack", "arpack"):
    assert isinstance(p["libraries"].get(lib), str) and p["libraries"][lib], lib
want = [x for x in sys.argv[2].split(",") if x]
assert [i["path"] for i in p["inputs"]] == want, p["inputs"]
for i in p["inputs"]:
    assert i["sha256"] == hashlib.sha256(open(i["path"], "rb").read()).hexdigest(), i
PY
    if command -v jq >/dev/null; then
        jq -e '.schema_version == 1' "$1" >/dev/null || fail "jq rejects $1"
    fi
}
# no_nonfinite FILE: no nan / inf token anywhere
no_nonfinite() {
    ! grep -qiwE -- '-?(nan|inf|infinity)' "$1" || fail "nan/inf in $1: $(grep -iwE -- '-?(nan|inf|infinity)' "$1" | head -3)"
}

case "$T" in
strict_json)
    # spectrum at low temperature: ln of the zero rate and an unresolved rate
    "$H" spectrum --dim 20 --beta 10 --count 6 --json >s.json || fail "spectrum exit"
    strict s.json
    python3 -c '
import json; d = json.load(open("s.json"))
assert d["ln_rates"][0] is None and d["rates"][0] == 0, d["ln_rates"]
assert "ln_rates_note" in d
assert all(r is None or r > 0 for r in d["rates"][1:])' || fail "spectrum nulls"
    for b in 0.5 3; do
        "$H" spectrum --dim 8 --beta $b --count 5 --full --json >f.json || fail "spectrum --full"
        strict f.json
    done
    "$H" spectrum --dim 30 --beta 2 --count 4 --phi 'x*y+x' --json >g.json || fail "spectrum dense"
    strict g.json
    # exact with a basin that is absent: ln_probability null
    "$H" exact --dim 20 --beta 0.1 --json >e.json || fail "exact"
    strict e.json
    python3 -c '
import json; d = json.load(open("e.json"))
assert [b["ln_probability"] for b in d["basins"] if b["name"] == "crystal"] == [None]' ||
        fail "exact: ln_probability of the empty basin"
    "$H" exact --dim 20 --melting --json >m.json || fail "exact --melting"
    strict m.json
    "$H" phases --json >p.json || fail "phases"
    strict p.json
    "$H" phases --at 0.1 --json >pa.json || fail "phases --at"
    strict pa.json
    "$H" mfpt --dim 20 --beta 1 --json >t.json || fail "mfpt"
    strict t.json
    "$H" mfpt --dims 10,20 --betas 0.9,1 --json >tt.json || fail "mfpt table"
    strict tt.json
    "$H" gaussian --dim 20 --beta 1 --exact --json >ga.json || fail "gaussian"
    strict ga.json
    "$H" fokker-planck --dim 20 --beta 1 --rates 4 --grid 40 --json >fp.json || fail "fp"
    strict fp.json
    # inputs: a protocol file and a start file, hashed
    printf 't,beta\n0,0.5\n2,0.8\n' >p.csv
    "$H" evolve --dim 20 --protocol p.csv --from liquid --times 0,1,2 --json >ev.json || fail "evolve"
    strict ev.json p.csv
    "$H" exact --dim 20 --beta 0.6 --distribution q.csv >/dev/null || fail "exact --distribution"
    "$H" evolve --dim 20 --protocol p.csv --from q.csv --times 0,1 --json >ev2.json || fail "evolve --from FILE"
    strict ev2.json q.csv,p.csv
    "$H" fokker-planck --dim 20 --protocol p.csv --grid 40 --rates 0 --from liquid --times 0,1 --json >fpe.json ||
        fail "fokker-planck --protocol"
    strict fpe.json p.csv
    ;;
csv)
    # every CSV header carries the provenance; no nan/inf fields
    printf 't,T\n0,2\n1,1.2\n' >p.csv
    "$H" evolve --dim 20 --protocol p.csv --from liquid --times 0,0.5,1 --output ev.csv >/dev/null || fail "evolve"
    sum=$(sha256sum p.csv | cut -d' ' -f1)
    grep -q "^# provenance: input p.csv sha256 $sum\$" ev.csv || fail "input hash: $(grep provenance ev.csv)"
    grep -q '^# provenance: hyperland [0-9.]*, git commit ' ev.csv || fail "version line"
    grep -q '^# provenance: libraries gsl [0-9]' ev.csv || fail "libraries line"
    # the committor is 0 at the start class: ln_committor is an empty field, not -inf
    "$H" mfpt --dim 20 --beta 1 --committor c.csv >/dev/null || fail "mfpt --committor"
    no_nonfinite c.csv
    grep -q '^# provenance: libraries' c.csv || fail "committor provenance"
    awk -F, '!/^#/ && $1 != "n" && $5 == 0 && $6 != "" { bad = 1 } END { exit bad }' c.csv ||
        fail "ln_committor of a zero committor is not empty"
    awk -F, '!/^#/ && $1 != "n" && $5 == 0 { z++ } END { exit !(z > 0) }' c.csv ||
        fail "no zero committor to test"
    "$H" phases --output b.csv >/dev/null || fail "phases"
    no_nonfinite b.csv
    grep -q '^# provenance: ' b.csv || fail "phases provenance"
    # control characters in the command line do not break the comment header
    nl="$(printf 'd\nn,n1,x.csv')"
    "$H" exact --dim 20 --beta 0.6 --distribution "$nl" >/dev/null || fail "exact with a newline in the path"
    awk '/^n,n1,x,y,/ { exit } !/^#/ { bad = 1 } END { exit bad }' "$nl" || fail "a header line is not a comment"
    grep -q "^# command: .*--distribution \\$'d\\\\x0an,n1,x.csv'\$" "$nl" || fail "newline not escaped: $(head -3 "$nl")"
    ;;
text)
    # tables say why a number is missing instead of printing nan / -inf
    # (beta = 200: beyond the range of doubles for all but the slowest rate)
    "$H" spectrum --dim 100 --beta 200 --count 6 >s.txt || fail "spectrum"
    no_nonfinite s.txt
    grep -q 'not resolved' s.txt || fail "unresolved rate not named: $(cat s.txt)"
    grep -q '(rate 0)' s.txt || fail "ln of rate 0 not explained"
    "$H" exact --dim 20 --beta 0.1 >e.txt || fail "exact"
    no_nonfinite e.txt
    "$H" gaussian --dim 20 --beta 1 --exact >g.txt || fail "gaussian"
    no_nonfinite g.txt
    "$H" fokker-planck --dim 20 --beta 1 --rates 4 --grid 40 >f.txt || fail "fp"
    no_nonfinite f.txt
    ;;
messages)
    # a list with an empty field is refused, in every list option
    expect_message "field 2 is empty" evolve --dim 20 --beta 1 --from liquid --times 0,,1
    expect_message "field 1 is empty" evolve --dim 20 --beta 1 --from liquid --times ,1
    expect_message "field 3 is empty" fokker-planck --dim 20 --beta 1 --from liquid --times 0,1,
    expect_message "field 2 is empty" mfpt --dims 10,,20 --betas 1
    expect_message "field 3 is empty" mfpt --dims 10,20 --betas 1,2,
    expect_message "field 2 is empty" compare --beta 0.8 --dims 10,,20
    expect_message "field 1 is empty" gaussian --dim 20 --beta 1 --at ,0.5
    expect_message "field 2 is empty" fokker-planck --dim 20 --beta 1 --at -0.9, --form linear
    # tiny beta: out of range, not "not finite"
    for b in 1e-308 1e-310 1e-400 0 -1 2e6; do
        expect_message "out of range: beta must be in \[1e-300, 1e\+06\]" exact --dim 20 --beta $b
    done
    expect_message "out of range: beta must be in \[1e-300" spectrum --dim 20 --beta 1e-308
    expect_message "out of range: beta must be in \[1e-300" phases --at 1e-320
    expect_message "out of range: beta must be in \[1e-300" mfpt --dims 10 --betas 1,1e-308
    expect_message "out of range: beta must be in \[1e-300" evolve --dim 20 --beta 1 --times 1 --from equilibrium:1e-308
    expect_message "below 2.2e-308" evolve --dim 20 --beta 1 --from liquid --times 1e-320
    expect_message "'inf' is not finite" exact --dim 20 --beta inf
    expect_message "beyond the largest double" exact --dim 20 --beta 1e309
    expect_message "'0x10' is not a number" exact --dim 20 --beta 0x10
    # echoed arguments are cut
    big=$(head -c 100000 /dev/zero | tr '\0' 'x')
    for args in "exact --dim 20 --beta $big" "exact --dim 20 --beta 1 --phi $big" \
        "exact --dim 20 --beta 1 --transmission $big" "exact --dim 20 --beta 1 $big" \
        "exact --dim 20 --beta 1 --$big" "exact --dim 20 --beta 1 --method $big" \
        "evolve --dim 20 --beta 1 --from $big --times 1" "evolve --dim 20 --beta 1 --from basin:$big --times 1" \
        "evolve --dim 20 --protocol $big --from liquid --times 1" "mfpt --dim 20 --beta 1 --to $big" \
        "gaussian --dim 20 --beta 1 --branch $big" "evolve --dim 20 --beta 1 --from liquid --times 1,$big"; do
        # shellcheck disable=SC2086
        expect_error $args
        [ "$(wc -c <err.txt)" -lt 400 ] || fail "message of $(wc -c <err.txt) bytes for ${args:0:60}"
        grep -q '(10000[0-9] characters)' err.txt || fail "no length in: $(cat err.txt)"
    done
    # exact --melting: a given bracket is never called missing; no internal 1e+300
    expect_message "bracket is empty: --beta-lo 2 is not below --beta-hi 1" exact --dim 20 --melting --beta-lo 2 --beta-hi 1
    expect_message "--beta-lo 2 is beyond the default --beta-hi" exact --dim 20 --melting --beta-lo 2
    expect_message "--beta-hi 0.3 is beyond the default --beta-lo" exact --dim 20 --melting --beta-hi 0.3
    expect_message "no default --beta-hi: give --beta-hi too" exact --dim 20 --melting --phi 'x^2+y^2' --beta-lo 0.1
    expect_message "are the bracket of --melting" exact --dim 20 --beta 1 --beta-lo 0.3
    expect_message "at D = 2: at beta = 0.386575 there is no liquid basin" exact --dim 2 --melting
    ! grep -q 'e+300' err.txt || fail "internal 1e+300 in: $(cat err.txt)"
    expect_message "at D = 4: ln\(P_liquid/P_crystal\) = -0.5382" exact --dim 4 --melting
    expect_message "at beta = 0.1 there is no crystal basin" exact --dim 20 --melting --beta-lo 0.1 --beta-hi 0.2
    # the same bracket still works
    "$H" exact --dim 20 --melting --beta-lo 0.5 --json >m.json || fail "exact --melting --beta-lo 0.5"
    python3 -c 'import json; d = json.load(open("m.json")); assert abs(d["beta_m"] - 0.7502607845) < 1e-8, d' ||
        fail "beta_m with --beta-lo 0.5"
    # an option that would be ignored is refused
    expect_message "the full form on the whole square uses neither" fokker-planck --dim 20 --beta 1 --branch liquid
    # protocol values out of range said so
    printf 't,T\n0,1\n1,1e-7\n' >p.csv
    expect_message "T = 1e-07 is out of range: T must be finite and at least 1e-6" evolve --dim 20 --protocol p.csv --from liquid --times 1
    ;;
*)
    fail "unknown test $T"
    ;;
esac
echo "ok [$T]"
