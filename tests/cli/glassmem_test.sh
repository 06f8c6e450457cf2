#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of `hyperland kovacs` and `hyperland ageing` (issue 13: memory
# and ageing experiments on the master equation).
# usage: glassmem_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}
DATA="$(cd "$(dirname "$0")/../data" && pwd)"
GLASS='exp(-3*y^2/T)'

# a two-state network (one relaxation mode) and a three-state one (two)
two_state() {
    printf 'id,energy,entropy\n1,0,0\n2,1,1.0986122886681098\n' >s2.csv
    printf 'a,b,energy,entropy\n1,2,1.3,0.5\n' >t2.csv
}
three_state() {
    printf 'id,energy,entropy\n1,0,0\n2,0.6,0.5\n3,1.4,1.5\n' >s3.csv
    printf 'a,b,energy,entropy\n1,2,0.5,1.0\n2,3,1.6,0.7\n' >t3.csv
}
# strict JSON: NaN / Infinity tokens are refused
STRICT='import json, sys
def bad(x): raise ValueError("non-JSON number " + x)
d = json.load(open(sys.argv[1]), parse_constant=bad)'

case "$T" in
kovacs_errors)
    EXPECT_RC=2
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 1
    grep -q 'every T1 must be in (0, T2 = 1)' err.txt || fail "T1 = T2: $(cat err.txt)"
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 0.5,1.5
    expect_error kovacs --dim 20 --t0 1 --t2 1 --t1 0.5
    grep -q 'need 0 < T2 < T0' err.txt || fail "T2 = T0: $(cat err.txt)"
    expect_error kovacs --dim 20 --t0 2 --t2 1
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 0.5,,0.6
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 nan
    expect_error kovacs --dim 21 --t0 2 --t2 1 --t1 0.5
    expect_error kovacs --t0 2 --t2 1 --t1 0.5
    expect_error kovacs --dim 20 --db "$DATA/LJ13" --t0 2 --t2 1 --t1 0.5
    expect_error kovacs --dim 20 --liquid A --t0 2 --t2 1 --t1 0.5
    expect_error kovacs --db "$DATA/LJ13" --phi x --t0 2 --t2 1 --t1 0.5
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 0.5 --reference glass
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 0.5 --start glass
    expect_error kovacs --dim 20 --db "$DATA/LJ13" --liquid C --t0 2 --t2 1 --t1 0.5
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 0.5 --per-decade 0
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 0.5 --t-min 10 --t-max 1
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 0.5 --rtol 1
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 0.5 extra
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 0.5 --bogus
    EXPECT_RC=1
    expect_error kovacs --dim 20 --t0 2 --t2 1 --t1 0.5 --transmission '1-T'
    expect_error kovacs --db "$DATA/LJ13" --liquid A --t0 0.3 --t2 0.2 --t1 0.1
    grep -q 'set is not given' err.txt || fail "no min.A: $(cat err.txt)"
    expect_error kovacs --db "$DATA/LJ13" --start liquid --t0 0.3 --t2 0.2 --t1 0.1
    expect_error kovacs --db "$DATA/LJ13" --reference liquid --t0 0.3 --t2 0.2 --t1 0.1
    expect_error kovacs --db /nonexistent --t0 0.3 --t2 0.2 --t1 0.1
    ;;
kovacs_model)
    # a glass former at D = 40: CSV with a commented header, strict JSON, a
    # hump that grows as T1 falls, the ageing stage ending at A_ref
    "$H" kovacs --dim 40 --t0 2 --t2 1 --t1 0.5,0.85 --transmission "$GLASS" --start liquid \
        --t-max 1e4 --output k.csv --json >k.json || fail "exit code"
    head -1 k.csv | grep -q '^# hyperland' || fail "CSV preamble"
    grep -q '^T1,stage,t,mean,deviation,p_basin,sum_error$' k.csv || fail "CSV header"
    "$PY" - k.json k.csv <<PYEOF || fail "kovacs JSON/CSV"
$STRICT
import csv
assert d["command"] == "kovacs" and d["system"] == "model" and d["dim"] == 40
assert d["reference"] == "liquid" and d["start"] == "liquid"
r = d["runs"]
assert [x["t1"] for x in r] == [0.5, 0.85]
for x in r:
    assert x["hump_height"] > 100 * x["hump_resolution"], x["hump_height"]
    assert 0.1 < x["hump_time"] < 100, x["hump_time"]
    assert x["t_age"] > 0 and x["age_residual"] < 1e-9 * abs(x["a_ref"])
    assert x["max_sum_error"] < 1e-9
    age = [p for p in x["points"] if p["stage"] == "age"]
    assert abs(age[-1]["t"] - x["t_age"]) < 1e-12 * x["t_age"]
    assert abs(age[-1]["deviation"]) < 1e-9
    assert age[0]["deviation"] > 0 and x["a_eq_t1"] < x["a_ref"]
assert r[0]["hump_height"] > r[1]["hump_height"] > 0
rows = list(csv.DictReader(l for l in open(sys.argv[2]) if not l.startswith("#")))
assert len(rows) == sum(len(x["points"]) for x in r)
PYEOF
    ;;
kovacs_one_mode)
    # a two-state network: one relaxation mode, the hump is zero and t_a has
    # its closed form; three states: a hump
    two_state
    three_state
    "$H" kovacs --states s2.csv --transitions t2.csv --t0 3 --t2 0.7 --t1 0.2,0.45 --t-min 1e-4 \
        --json >k2.json || fail "exit code (2 states)"
    "$H" kovacs --states s3.csv --transitions t3.csv --t0 3 --t2 0.7 --t1 0.3 --json >k3.json ||
        fail "exit code (3 states)"
    "$PY" - k2.json k3.json <<PYEOF || fail "one mode"
$STRICT
from math import exp, log
assert d["system"] == "network" and d["reference"] == "total" and d["basin"] is None
def p1(T):
    return 1 / (1 + exp((0 - 0 / T) - (1.0986122886681098 - 1 / T)))
def k(T):
    lts = 0.5 - 1.3 / T
    return exp(lts - 0) + exp(lts - (1.0986122886681098 - 1 / T))
for x in d["runs"]:
    T1 = x["t1"]
    ta = log((p1(3) - p1(T1)) / (p1(0.7) - p1(T1))) / k(T1)
    assert abs(x["t_age"] - ta) < 1e-8 * ta, (x["t_age"], ta)
    assert abs(x["hump_height"]) <= x["hump_resolution"] < 1e-6, x
    assert x["hump_time"] is None and "no hump" in x["hump_null"]
d3 = json.load(open(sys.argv[2]))
x = d3["runs"][0]
assert x["hump_height"] > 1e-3 and x["hump_time"] > 0 and "hump_null" not in x, x
PYEOF
    ;;
kovacs_network)
    # LJ38-4k: the icosahedral funnel (set B) as the liquid; probability conserved
    "$H" kovacs --db "$DATA/LJ38-4k" --liquid B --start liquid --t0 0.2 --t2 0.12 --t1 0.1 \
        --t-max 1e11 --per-decade 2 --json >k.json || fail "exit code"
    "$PY" - k.json <<PYEOF || fail "network kovacs"
$STRICT
assert d["system"] == "network" and d["basin"] == "B" and d["states"] == 900
x = d["runs"][0]
assert x["max_sum_error"] < 1e-9, x["max_sum_error"]
assert x["hump_height"] > 0.01 and 1e4 < x["hump_time"] < 1e9, x
assert 0.5 < x["hump_p_basin"] <= 1
assert x["a_eq_t1"] < x["a_ref"] < x["a_start"]
PYEOF
    ;;
ageing_errors)
    EXPECT_RC=2
    expect_error ageing --dim 20 --t0 2 --t 1
    expect_error ageing --dim 20 --t0 2 --t 0 --tw 1
    expect_error ageing --dim 20 --t0 -2 --t 1 --tw 1
    expect_error ageing --dim 20 --t0 2 --t 1 --tw 1,1
    grep -q 'increasing' err.txt || fail "tw repeated: $(cat err.txt)"
    expect_error ageing --dim 20 --t0 2 --t 1 --tw -1
    expect_error ageing --dim 20 --t0 2 --t 1 --tw 1 --tau-min 0
    expect_error ageing --dim 20 --t0 2 --t 1 --tw 1 --tau-max inf
    expect_error ageing --t0 2 --t 1 --tw 1
    expect_error ageing --dim 20 --t0 2 --t 1 --tw 1 --start glass
    expect_error ageing --dim 20 --t0 2 --t 1 --tw 1 extra
    EXPECT_RC=1
    expect_error ageing --db "$DATA/LJ13" --start liquid --t0 0.3 --t 0.1 --tw 1
    ;;
ageing_model)
    # D = 20: strict JSON, C(t_w, t_w) = 1, large t_w (1e5, beyond the crystal-liquid
    # exchange time ~ 1e3) stationary (equal to the
    # equilibrium row); a two-state network: C = exp(-k tau) at every t_w
    "$H" ageing --dim 20 --t0 2.5 --t 1.2 --tw 0,1,1e5 --tau-max 100 --per-decade 4 \
        --output a.csv --json >a.json || fail "exit code"
    head -1 a.csv | grep -q '^# hyperland' || fail "CSV preamble"
    grep -q '^tw,equilibrium,tau,c,c_basin$' a.csv || fail "CSV header"
    two_state
    "$H" ageing --states s2.csv --transitions t2.csv --liquid A --A 2 --t0 3 --t 0.5 \
        --tw 0,0.5,5 --json >a2.json || fail "exit code (2 states)"
    "$PY" - a.json a2.json <<PYEOF || fail "ageing"
$STRICT
from math import exp
assert d["command"] == "ageing" and d["dim"] == 20
rows = d["rows"]
assert len(rows) == 4 and rows[-1]["equilibrium"] and rows[-1]["tw"] is None
for r in rows:
    assert abs(r["c"][0] - 1) < 1e-12 and r["max_sum_error"] < 1e-9
eq, late, early = rows[-1], rows[-2], rows[0]
assert max(abs(a - b) for a, b in zip(late["c"], eq["c"])) < 1e-7
assert max(abs(a - b) for a, b in zip(early["c"], eq["c"])) > 1e-3
d2 = json.load(open(sys.argv[2]))
T = 0.5
lts = 0.5 - 1.3 / T
k = exp(lts) + exp(lts - (1.0986122886681098 - 1 / T))
for r in d2["rows"]:
    for tau, c, cb in zip(d2["tau"], r["c"], r["c_basin"]):
        assert abs(c - exp(-k * tau)) < 1e-9 and abs(cb - exp(-k * tau)) < 1e-9, (tau, c, cb)
PYEOF
    ;;
ageing_network)
    # the LJ38 tutorial path (12 minima): conserved probability, C(0) = 1
    "$H" ageing --db "$DATA/LJ38-tutorial-12" --liquid B --t0 0.2 --t 0.1 --tw 0,1e3 \
        --tau-max 1e8 --per-decade 2 --json >a.json || fail "exit code"
    "$PY" - a.json <<PYEOF || fail "network ageing"
$STRICT
assert d["system"] == "network" and d["states"] == 12 and d["observable"] == "E"
for r in d["rows"]:
    assert r["max_sum_error"] < 1e-9 and abs(r["c"][0] - 1) < 1e-12
    assert 0 <= r["p_basin"] <= 1
PYEOF
    ;;
plots)
    command -v gnuplot >/dev/null || { echo "gnuplot missing: skipped"; exit 0; }
    "$H" kovacs --dim 20 --t0 2 --t2 1 --t1 0.6,0.8 --t-max 1e3 --per-decade 4 --plot k.png \
        >out.txt || fail "kovacs exit code"
    "$H" ageing --dim 20 --t0 2 --t 1 --tw 0,10 --tau-max 100 --per-decade 4 --plot a.png \
        >out.txt || fail "ageing exit code"
    for f in k.png a.png; do
        [ "$(head -c 4 $f | tail -c 3)" = PNG ] || fail "$f is not a PNG"
    done
    ;;
*) fail "unknown test" ;;
esac
