#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of `hyperland network` --paths, --regroup and --evolve (issue 10,
# netpaths branch): the published k^SS of the LJ38 tutorial path, the
# regrouping against the mpmath reference tests/ref/network_regroup.py, the
# evolution's probability, equilibrium and protocol, the CSV headers, strict
# JSON, the PNG, and one-line errors.
# usage: netpaths_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
DATA="$(cd "$(dirname "$0")/../data" && pwd)"
REF="$(cd "$(dirname "$0")/../ref" && pwd)"
KEEP='^(out|err)\.txt$|\.(csv|json|txt|png)$'

# json_get FILE EXPR: a value of the strict JSON in FILE (NaN/Infinity refused)
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
# csv_rows FILE: the data rows of a commented CSV as JSON (header keys)
csv_json() {
    python3 -c '
import csv, json, sys
rows = [l for l in open(sys.argv[1]) if not l.startswith("#")]
print(json.dumps(list(csv.DictReader(rows))))' "$1" >"$2"
}
L12="$DATA/LJ38-tutorial-12"

case "$T" in
help)
    "$H" network --help >out.txt || fail "--help"
    for o in "--paths K FILE" --regroup --threshold --regroup-rates --evolve --from --times --protocol \
        --rtol --top --plot "min:ID" "set:A" "equilibrium:T0" "k_ss = (p_b/P_B) K_b prod P(i->j)" \
        "G_I = -T ln sum_{a in I}" "BOTH"; do
        grep -qF -- "$o" out.txt || fail "--help does not mention $o"
    done
    ;;
paths)
    # PATHSAMPLE's DIJKSTRA at T = 0.1: k^SS A<-B 0.1078101912E-17 for the
    # path 8 9 10 6 12 3 4 1 2 (mpmath 1.078101912227598e-18)
    "$H" network --db "$L12" --temperature 0.1 --paths 1 p.csv --json >o.json || fail "run"
    expect 'abs(d["paths"]["paths"][0]["k_ss"] / 1.078101912227598e-18 - 1) < 1e-11' o.json
    expect 'd["paths"]["paths"][0]["minima"] == [8, 9, 10, 6, 12, 3, 4, 1, 2]' o.json
    expect 'd["paths"]["found"] == 1 and d["paths"]["requested"] == 1' o.json
    grep -q '^# command: .*--paths 1 p.csv' p.csv || fail "no command line in the CSV"
    grep -q '^# provenance: input .*min.data sha256 ca822f82' p.csv || fail "no provenance in the CSV"
    grep -q "^# .*k_ss = (p_b/P_B) K_b prod P" p.csv || fail "no definition in the CSV"
    csv_json p.csv p.json
    expect 'd[0]["minima"] == "8 9 10 6 12 3 4 1 2" and abs(float(d[0]["k_ss"]) / 1.0781019122276e-18 - 1) < 1e-11' p.json
    # T = 0.005: k_ss = e^-979.7 is null, its log is given (mpmath -979.70223466921415)
    "$H" network --db "$L12" --temperature 0.005 --paths 2 p2.csv --json >o.json || fail "T = 0.005"
    expect 'd["paths"]["paths"][0]["k_ss"] is None' o.json
    expect 'abs(d["paths"]["paths"][0]["ln_k_ss"] + 979.70223466921415) < 1e-8' o.json
    csv_json p2.csv p2.json
    expect 'd[0]["k_ss"] == "" and abs(float(d[0]["ln_k_ss"]) + 979.70223466921415) < 1e-8' p2.json
    # LJ38-4k: 20 paths, by decreasing k_ss, each from B to A, no B after the start
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.1 --paths 20 p3.csv --json >o.json || fail "LJ38-4k"
    expect 'd["paths"]["found"] == 20' o.json
    expect 'all(a["ln_k_ss"] >= b["ln_k_ss"] - 1e-12 for a, b in zip(d["paths"]["paths"], d["paths"]["paths"][1:]))' o.json
    expect 'all(p["minima"][0] in d["sets"]["B"]["ids"] and p["minima"][-1] in d["sets"]["A"]["ids"] and not set(p["minima"][1:]) & set(d["sets"]["B"]["ids"]) and not set(p["minima"][:-1]) & set(d["sets"]["A"]["ids"]) for p in d["paths"]["paths"])' o.json
    expect 'len(set(tuple(p["minima"]) for p in d["paths"]["paths"])) == 20' o.json
    expect 'd["paths"]["ln_k_ss_sum"] >= d["paths"]["paths"][0]["ln_k_ss"]' o.json
    # stdout: '-' sends the CSV there and the report to stderr
    "$H" network --db "$L12" --temperature 0.1 --paths 1 - >s.txt 2>r.txt || fail "--paths K -"
    grep -q '^1,8,2,8,' s.txt || fail "CSV on stdout: $(head -c 300 s.txt)"
    grep -q "fastest paths from B to A" r.txt || fail "report on stderr"
    ;;
regroup)
    # against the mpmath reference: LJ38-4k at T = 0.1, thresholds 0.5 and 1.5;
    # LJ38-tutorial-12 at T = 0.1 with and without sets
    for args in "$DATA/LJ38-4k 0.1 0.5" "$DATA/LJ38-4k 0.1 1.5" "$L12 0.1 1.0" "$L12 0.03 0.3"; do
        set -- $args
        python3 "$REF/network_regroup.py" "$1" "$2" "$3" >ref.json || fail "reference $args"
        "$H" network --db "$1" --temperature "$2" --regroup g.csv --threshold "$3" \
            --regroup-rates r.csv --json >o.json || fail "run $args"
        python3 - o.json ref.json <<'PY' || fail "regroup differs from the reference for $args"
import json, sys
d = json.load(open(sys.argv[1]))["regroup"]
r = json.load(open(sys.argv[2]))
assert len(d["groups"]) == len(r["groups"]), (len(d["groups"]), len(r["groups"]))
for g, q in zip(d["groups"], r["groups"]):
    assert g["lowest_minimum"] == q[0] and g["minima"] == q[1], (g, q)
    assert abs(g["free_energy"] - q[2]) < 1e-10 * max(1, abs(q[2])), (g, q)
    assert abs(g["ln_population"] - q[3]) < 1e-9 * max(1, abs(q[3])), (g, q)
    assert g["set"] == q[4], (g, q)
low = {g["group"]: g["lowest_minimum"] for g in d["groups"]}
assert len(d["rates"]) == len(r["rates"])
for x in d["rates"]:
    q = r["rates"]["%d,%d" % (low[x["from"]], low[x["to"]])]
    assert abs(x["ln_rate"] - q[0]) < 1e-9 * max(1, abs(q[0])), (x, q)
    assert abs(x["barrier"] - q[1]) < 1e-10 * max(1, abs(q[1])), (x, q)
PY
    done
    # the CSVs: one row per group / rate, the definitions in the header
    csv_json g.csv g.json
    csv_json r.csv r.json
    expect 'len(d) >= 1 and all(k in d[0] for k in ("group", "minima", "set", "free_energy", "ln_population", "members"))' g.json
    expect 'all(k in d[0] for k in ("from", "to", "rate", "ln_rate", "barrier"))' r.json
    grep -q "^# .*G_I = -T ln sum_{a in I} exp(S_a - E_a/T)" g.csv || fail "no definition in the groups CSV"
    ;;
evolve)
    # from minimum 8 of the tutorial path at T = 0.1: mpmath (60 digits,
    # eigen-decomposition): P_B(1e12) = 0.60600041009947567, P_A(1e16) =
    # 0.92784404731357873; at 1e20 the equilibrium of the summary
    "$H" network --db "$L12" --temperature 0.1 --evolve e.csv --from min:8 \
        --times 0,1e8,1e12,1e16,1e20 --rtol 1e-11 --plot e.png --json >o.json || fail "run"
    expect 'abs(d["evolution"]["points"][2]["P_B"] - 0.60600041009947567) < 1e-9' o.json
    expect 'abs(d["evolution"]["points"][3]["P_A"] - 0.92784404731357873) < 1e-9' o.json
    expect 'abs(d["evolution"]["points"][4]["P_A"] - d["populations"]["A"]) < 1e-10' o.json
    expect 'abs(d["evolution"]["points"][4]["mean_energy"] - d["mean_energy"]) < 1e-9' o.json
    expect 'all(p["sum_error"] < 1e-12 for p in d["evolution"]["points"])' o.json
    expect 'd["evolution"]["points"][0]["top"][0]["id"] == 8 and d["evolution"]["points"][0]["top"][0]["p"] == 1 and d["evolution"]["points"][0]["top"][0]["p_error"] < 1e-13' o.json
    expect 'd["evolution"]["points"][4]["top"][0]["id"] == 2' o.json
    [ -s e.png ] && [ "$(head -c 4 e.png | tail -c 3)" = PNG ] || fail "no PNG"
    csv_json e.csv e.json
    expect 'len(d) == 5 and d[0]["top1_id"] == "8" and abs(float(d[2]["P_B"]) - 0.60600041009947567) < 1e-9' e.json
    # a protocol that keeps T = 0.1 is the fixed T; a set start; equilibrium:T0
    printf '# constant\nt,T\n0,0.1\n1e10,0.1\n' >c.txt
    "$H" network --db "$L12" --evolve e2.csv --from min:8 --times 0,1e8,1e12,1e16,1e20 \
        --rtol 1e-11 --protocol c.txt --json >o2.json || fail "protocol"
    python3 - o.json o2.json <<'PY' || fail "a constant protocol differs from the fixed T"
import json, sys
a = json.load(open(sys.argv[1]))["evolution"]["points"]
b = json.load(open(sys.argv[2]))["evolution"]["points"]
assert len(a) == len(b) == 5
assert all(abs(x["P_A"] - y["P_A"]) < 1e-9 and abs(x["P_B"] - y["P_B"]) < 1e-9 for x, y in zip(a, b))
assert all(y["T"] == 0.1 for y in b)
PY
    expect 'd["temperature"] is None and d["evolution"]["protocol"] == "c.txt"' o2.json
    # cooling from the equilibrium at 0.3 to 0.1: ends in the equilibrium at 0.1
    printf 't,T\n0,0.3\n1e12,0.1\n' >cool.txt
    "$H" network --db "$L12" --temperature 0.1 --evolve e3.csv --from equilibrium:0.3 \
        --times 0,1e11,1e12,1e20 --protocol cool.txt --plot cool.png --json >o3.json || fail "cooling"
    expect 'abs(d["evolution"]["points"][-1]["P_A"] - d["populations"]["A"]) < 1e-7' o3.json
    expect 'abs(d["evolution"]["points"][1]["T"] - 0.28) < 1e-12' o3.json
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.2 --evolve e4.csv --from set:B --times 0,1 \
        --json >o4.json || fail "set:B"
    expect 'abs(d["evolution"]["points"][0]["P_B"] - 1) < 1e-14 and d["evolution"]["points"][0]["P_A"] == 0' o4.json
    ;;
errors)
    EXPECT_RC=2 expect_error network --db "$L12" --paths 1 p.csv
    grep -q "needs --temperature" err.txt || fail "$(cat err.txt)"
    EXPECT_RC=2 expect_error network --db "$L12" --temperature 0.1 --paths 0 p.csv
    EXPECT_RC=2 expect_error network --db "$L12" --temperature 0.1 --paths 2
    grep -q "FILE is missing" err.txt || fail "$(cat err.txt)"
    EXPECT_RC=2 expect_error network --db "$L12" --temperature 0.1 --paths 2 --json
    EXPECT_RC=2 expect_error network --db "$L12" --temperature 0.1 --regroup g.csv
    grep -q "needs --threshold" err.txt || fail "$(cat err.txt)"
    EXPECT_RC=2 expect_error network --db "$L12" --temperature 0.1 --threshold 1
    EXPECT_RC=2 expect_error network --db "$L12" --temperature 0.1 --evolve e.csv --times 1
    EXPECT_RC=2 expect_error network --db "$L12" --evolve e.csv --from min:8 --times 1
    grep -q "needs --temperature T or --protocol" err.txt || fail "$(cat err.txt)"
    EXPECT_RC=2 expect_error network --db "$L12" --temperature 0.1 --from min:8
    EXPECT_RC=2 expect_error network --db "$L12" --temperature 0.1 --evolve e.csv --from min:8 --times 2,1
    expect_error network --db "$L12" --temperature 0.1 --evolve e.csv --from min:99 --times 1
    grep -q "99" err.txt || fail "$(cat err.txt)"
    expect_error network --db "$L12" --temperature 0.1 --evolve e.csv --from bogus --times 1
    expect_error network --db "$L12" --temperature 0.1 --evolve e.csv --from min:8 --times 1 --protocol none.txt
    # no sets: paths refuse, set:A refuses
    expect_error network --min "$L12/min.data" --ts "$L12/ts.data" --temperature 0.1 --paths 1 p.csv
    grep -q "both sets" err.txt || fail "$(cat err.txt)"
    expect_error network --min "$L12/min.data" --ts "$L12/ts.data" --temperature 0.1 --evolve e.csv --from set:A --times 1
    ;;
*)
    fail "unknown test $T"
    ;;
esac
exit 0
