#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the kinetics of `hyperland network` (issue 10): passage both
# ways (MFPT, k_F, k_NSS, k_SS and their logs) against PATHSAMPLE's and
# PyGT's published numbers and the mpmath reference
# (tests/ref/network_passage.py), nulls with reasons beyond the double range,
# the slowest rates, the --committor CSV (all or none), and the option errors.
# usage: netpass_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
DATA="$(cd "$(dirname "$0")/../data" && pwd)"
KEEP='^(out|err)\.txt$|\.(csv|data|json|txt)$' # the files written here stay

# expect EXPR FILE: a python expression over the strict JSON d must be true
expect() {
    python3 - "$2" "$1" <<'EOF' || fail "not true: $1 ($(head -c 600 "$2"))"
import json, math, sys
def bad(c): raise ValueError("non-standard JSON constant " + c)
d = json.load(open(sys.argv[1]), parse_constant=bad)
rel = lambda a, b: abs(a / b - 1)
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

case "$T" in
help)
    "$H" network --help >out.txt || fail "--help"
    for o in --count --committor --passage-method "A<-B" k_NSS k_SS "local equilibrium" log-space \
        graph-transformation sparse-direct; do
        grep -qF -- "$o" out.txt || fail "--help does not mention $o"
    done
    ;;
pathsample)
    # PATHSAMPLE's NGT run on the nine-community network at T = 1 (ktn
    # README; its A<-B is our B -> A), 10 printed digits: within 1e-9
    "$H" network --db "$DATA/nine-community" --temperature 1 --json >o.json || fail "run"
    expect 'd["passage"][0]["from"] == "B" and d["passage"][0]["to"] == "A" and d["passage"][0]["pathsample"] == "A<-B"' o.json
    expect 'd["passage_method"] == "graph-transformation" and d["passage_resolution"] < 1e-12' o.json
    expect 'rel(d["passage"][0]["mfpt"], 7.520218829e11) < 1e-9 and rel(d["passage"][1]["mfpt"], 3.096648467e11) < 1e-9' o.json
    expect 'rel(d["passage"][0]["k_nss"], 1.329748539e-12) < 1e-9 and rel(d["passage"][1]["k_nss"], 3.229297774e-12) < 1e-9' o.json
    expect 'rel(d["passage"][0]["k_ss"], 7.360803384e-3) < 1e-9 and rel(d["passage"][1]["k_ss"], 9.331537817e-11) < 1e-9' o.json
    expect 'rel(d["passage"][0]["k_f"], 1 / d["passage"][0]["mfpt"]) < 1e-14' o.json
    # and the mpmath value at 40 digits (tests/ref/network_passage_ref.h)
    expect 'abs(d["passage"][0]["ln_k_ss"] + 4.9115861965728023505) < 1e-13' o.json
    expect 'abs(d["passage"][0]["ln_mfpt"] - 27.346031260005398079) < 1e-13' o.json
    # PyGT's 32-state MFPTs (its tau[0] starts in A)
    "$H" network --db "$DATA/pygt-32state" --temperature 1 --json >p.json || fail "32-state"
    expect 'rel(d["passage"][1]["mfpt"], 664.5826837564705) < 1e-12 and rel(d["passage"][0]["mfpt"], 585.7934067017948) < 1e-12' p.json
    # the rates: 0 first, then ascending; ln 0 is null with its reason
    expect 'd["rates"][0] == 0 and d["ln_rates"][0] is None and "exactly 0" in d["ln_rates_null_reasons"][0]' p.json
    expect 'all(0 < a < b for a, b in zip(d["rates"][1:], d["rates"][2:])) and len(d["rates"]) == 6' p.json
    expect 'abs(d["ln_rates"][1] + 5.4520816435828036) < 1e-9' p.json
    # the text report says which is which
    "$H" network --db "$DATA/nine-community" --temperature 1 >t.txt || fail "text"
    grep -q "B -> A (PATHSAMPLE A<-B): MFPT = 7.52021882" t.txt || fail "text: $(cat t.txt)"
    grep -q "slowest relaxation rates" t.txt || fail "text: rates"
    ;;
methods)
    # two methods agree: sparse direct (double precision) within its stated
    # resolution; at T = 0.01 it does not apply and says why
    for db in "nine-community 1" "pygt-32state 1" "pygt-32state 0.5" "pygt-32state 0.2"; do
        set -- $db
        "$H" network --db "$DATA/$1" --temperature $2 --json >g.json || fail "gt $db"
        "$H" network --db "$DATA/$1" --temperature $2 --passage-method sparse-direct --json >s.json ||
            fail "sparse-direct $db"
        python3 - g.json s.json <<'EOF' || fail "methods disagree on $db"
import json, sys
g, s = (json.load(open(f)) for f in sys.argv[1:3])
assert s["passage_method"] == "sparse-direct", s["passage_method"]
tol = 2 * s["passage_resolution"]
assert tol < 1e-2, tol
for a, b in zip(g["passage"], s["passage"]):
    for k in ("ln_mfpt", "ln_k_nss", "ln_k_ss", "ln_k_f"):
        assert abs(a[k] - b[k]) <= tol, (k, a[k], b[k], tol)
EOF
    done
    # where double precision loses the committor it says so, no number
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.2 --passage-method sparse-direct --json >s.json ||
        fail "sparse-direct at T = 0.2"
    expect 'd["passage"] is None and "lost its digits" in d["passage_null_reason"]' s.json
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.01 --passage-method sparse-direct --json >s.json ||
        fail "sparse-direct at T = 0.01"
    expect 'd["passage"] is None and "double range" in d["passage_null_reason"]' s.json
    expect_error network --db "$DATA/LJ38-4k" --temperature 0.1 --passage-method nonsense
    grep -q "nonsense" err.txt || fail "$(cat err.txt)"
    ;;
low_temperature)
    # T = 0.01: mpmath reference (differences formed before beta: 2e-12
    # was lost); T = 0.002: values beyond the double range are null with a
    # reason, their ln given
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.01 --json >o.json || fail "T = 0.01"
    expect 'abs(d["passage"][0]["ln_k_ss"] + 342.91239667740357674) < 2e-13' o.json
    expect 'abs(d["passage"][0]["ln_mfpt"] - 357.58746504237070605) < 2e-13' o.json
    expect 'abs(d["passage"][1]["ln_k_nss"] + 406.8100153843339739) < 2e-13' o.json
    expect 'rel(d["passage"][0]["mfpt"], math.exp(357.58746504237070605)) < 1e-12' o.json
    "$H" network --db "$DATA/LJ38-4k" --temperature 0.002 --json >o.json || fail "T = 0.002"
    expect 'd["passage"][0]["mfpt"] is None and d["passage"][0]["ln_mfpt"] > 1800' o.json
    expect 'd["passage"][0]["k_ss"] is None and "ln_" in d["passage"][0]["null_reasons"]["k_ss"]' o.json
    # the slowest rates far below the double range: null, their ln given
    # (log-space method; the double eigensolver resolves none of them)
    expect 'd["rates"][0] == 0 and all(r is None for r in d["rates"][1:])' o.json
    expect '"log-space" in d["rates_method"] and d["rates_resolution"] < 4 * 2.2e-16 * -d["ln_rates"][1]' o.json
    expect 'all(l < -2000 for l in d["ln_rates"][1:]) and d["ln_rates"] [1:] == sorted(d["ln_rates"][1:])' o.json
    expect 'all("ln_" in w for w in d["rates_null_reasons"][1:]) and d["ln_rates_null_reasons"][1:] == [None] * 5' o.json
    # the 12-minimum path at T = 0.01 against mpmath eigsy at 400 digits
    # (tests/ref/network_passage_ref.h): rates down to e^-437
    "$H" network --db "$DATA/LJ38-tutorial-12" --temperature 0.01 --json >t.json || fail "tutorial"
    python3 - t.json <<'EOF' || fail "tutorial rates"
import json, sys
d = json.load(open(sys.argv[1]))
ref = [-437.70385642500671049, -206.68438293699786528, -105.79368266118054178,
       -40.829850586878136032, -8.8269958952735742698]
for a, b in zip(d["ln_rates"][1:], ref):
    assert abs(a - b) < 1e-12 * abs(b), (a, b)
assert abs(d["rates"][1] / 8.084077100019029e-191 - 1) < 1e-12, d["rates"][1]
EOF
    ;;
committor)
    # q = P(reach B before A): 0 on A, 1 on B; the free minimum nearest 1/2
    # against mpmath (tests/ref/network_passage_ref.h: nine-community, T = 1,
    # id 595)
    "$H" network --db "$DATA/nine-community" --temperature 1 --committor q.csv --json >o.json ||
        fail "run"
    grep -q "^# command: .*--committor q.csv" q.csv || fail "no command line in the CSV header"
    grep -q "^# .*T = 1 .*committor q = P(reach B before A" q.csv || fail "no parameters in the CSV header"
    grep -q "^# provenance: input .*min.data sha256 0cf0569a" q.csv || fail "no provenance"
    grep -q "^id,set,committor,ln_committor,one_minus_committor,ln_one_minus_committor$" q.csv ||
        fail "CSV columns"
    [ "$(grep -vc '^#' q.csv)" -eq 995 ] || fail "rows: $(grep -vc '^#' q.csv)"
    grep -q "^144,A,0,,1,0$" q.csv || fail "A row: $(grep '^144,' q.csv)"
    grep -q "^4,B,1,0,0,$" q.csv || fail "B row: $(grep '^4,' q.csv)"
    python3 - q.csv <<'EOF' || fail "committor of 595"
import csv, sys
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith("#"))]
row = {r[0]: r for r in rows[1:]}["595"]
assert abs(float(row[3]) + 0.62595352714458636085) < 1e-13, row
assert abs(float(row[5]) + 0.76518314643773770461) < 1e-13, row
assert abs(float(row[2]) + float(row[4]) - 1) < 1e-15, row
EOF
    # '-' is stdout (the report then goes to stderr)
    "$H" network --db "$DATA/pygt-32state" --temperature 1 --committor - >c.csv 2>r.txt ||
        fail "--committor -"
    grep -q "^id,set,committor" c.csv || fail "stdout CSV"
    # all or none: a failed run leaves no committor file
    expect_error network --db "$DATA/LJ38-4k" --temperature 1 --committor none.csv --passage-method nonsense
    [ ! -e none.csv ] || fail "committor file left by a failed run"
    EXPECT_RC=2 expect_error network --db "$DATA/LJ38-4k" --committor q2.csv
    grep -q "needs --temperature" err.txt || fail "$(cat err.txt)"
    expect_error network --min "$DATA/LJ38-4k/min.data" --ts "$DATA/LJ38-4k/ts.data" --temperature 1 \
        --committor q3.csv
    grep -q "needs both sets" err.txt || fail "$(cat err.txt)"
    [ ! -e q3.csv ] || fail "committor file left without sets"
    ;;
no_sets)
    # without sets: passage null with the reason, the rates still given
    gzip -dc "$DATA/LJ13/ts.data.gz" >ts.data || fail "gunzip"
    "$H" network --min "$DATA/LJ13/min.data" --ts ts.data --temperature 0.1 --count 4 --json >o.json ||
        fail "LJ13"
    expect 'd["passage"] is None and "no sets" in d["passage_null_reason"]' o.json
    expect 'len(d["rates"]) == 4 and d["rates"][0] == 0 and all(r > 0 for r in d["rates"][1:])' o.json
    # (gt-lanczos's bound counts its factor's rounding, 4u (2h + 8): the
    # rates it leaves above 1e-12 come from the Rayleigh-Ritz step)
    expect 'd["rates_method"] in ("dense", "shift-invert", "gt-lanczos", "gt-lanczos + rayleigh-ritz") and d["rates_resolution"] < 1e-11' o.json
    # the slowest mode of LJ13 at T = 0.1: a dead-end minimum (ktn README)
    expect 'abs(d["ln_rates"][1] - math.log(1.8662660785203893e-05)) < 1e-9' o.json
    # without a temperature: passage and rates null with the reason
    "$H" network --db "$DATA/LJ38-4k" --json >n.json || fail "no T"
    expect 'd["passage"] is None and d["rates"] is None and "temperature" in d["passage_null_reason"]' n.json
    EXPECT_RC=2 expect_error network --db "$DATA/LJ38-4k" --temperature 1 --count 0
    EXPECT_RC=2 expect_error network --db "$DATA/LJ38-4k" --temperature 1 --count x
    ;;
gzip)
    # a gzipped database is read as it is: --db finds ts.data.gz, and --ts
    # takes a .gz file; the numbers are those of the plain file
    gzip -dc "$DATA/LJ13/ts.data.gz" >ts.data || fail "gunzip"
    "$H" network --db "$DATA/LJ13" --temperature 0.1 --count 3 --json >z.json || fail "--db with ts.data.gz"
    "$H" network --min "$DATA/LJ13/min.data" --ts ts.data --temperature 0.1 --count 3 --json >p.json ||
        fail "plain"
    python3 - z.json p.json <<'EOF' || fail "gzipped and plain differ"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for k in ("minima", "transition_states", "ln_Z", "mean_energy", "ln_rates"):
    assert a[k] == b[k], (k, a[k], b[k])
assert a["provenance"]["inputs"][1]["path"].endswith("ts.data.gz")
EOF
    # a compressed file cut short or corrupt: an error naming it, no output
    head -c 50000 "$DATA/LJ13/ts.data.gz" >cut.data || fail "head"
    EXPECT_RC=1 expect_error network --min "$DATA/LJ13/min.data" --ts cut.data --temperature 0.1
    grep -q "truncated gzip data" err.txt || fail "truncated: $(cat err.txt)"
    printf '\037\213 not gzip at all' >bad.data
    EXPECT_RC=1 expect_error network --min "$DATA/LJ13/min.data" --ts bad.data --temperature 0.1
    grep -q "not valid gzip data" err.txt || fail "corrupt: $(cat err.txt)"
    ;;
*)
    fail "unknown test $T"
    ;;
esac
exit 0
