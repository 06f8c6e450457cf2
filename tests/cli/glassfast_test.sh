#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of issue 13 (glassfast): `hyperland relaxation` (tau(T) of the
# liquid basin, T_g, the fragility index, the Angell plot) and the scan's
# basin-conditioned fictive temperature, wall time and parallel rates.
# usage: glassfast_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

case "$T" in
relax_errors)
    EXPECT_RC=2
    expect_error relaxation --dim 20
    expect_error relaxation --dim 21 --temperatures 1
    expect_error relaxation --dim 2 --temperatures 1
    expect_error relaxation --dim 402 --temperatures 1
    expect_error relaxation --dim 20 --temperatures 1,0
    expect_error relaxation --dim 20 --temperatures 1,nan
    expect_error relaxation --dim 20 --t-range 1:1:5
    expect_error relaxation --dim 20 --t-range 1:0.5:1
    expect_error relaxation --dim 20 --t-range 1:0.5
    expect_error relaxation --dim 20 --t-range 1:0.5:5 --temperatures 1
    grep -q 'not both' err.txt || fail "list and range: $(cat err.txt)"
    expect_error relaxation --dim 20 --temperatures 1 --tau-g 0
    expect_error relaxation --dim 20 --temperatures 1 --bogus
    expect_error relaxation --dim 20 --temperatures 1 extra
    EXPECT_RC=1
    expect_error relaxation --dim 20 --temperatures 1 --transmission '1-T'
    expect_error relaxation --dim 20 --temperatures 1,0.5 --plot a.png
    grep -q 'no T_g' err.txt || fail "plot without T_g: $(cat err.txt)"
    ;;
relax_arrhenius)
    # a uniform B = exp(-E/T) multiplies every rate by exp(-E/T): log10 tau
    # and log10 mfpt move by E/(T ln 10) exactly
    "$H" relaxation --dim 20 --t-range 2:0.2:7 --json >b1.json || fail "exit B = 1"
    "$H" relaxation --dim 20 --t-range 2:0.2:7 --transmission 'exp(-2/T)' --json >bE.json ||
        fail "exit B = exp(-2/T)"
    "$PY" - b1.json bE.json <<'PYEOF' || fail "uniform B scaling"
import json, math, sys
a = json.load(open(sys.argv[1]))["points"]; b = json.load(open(sys.argv[2]))["points"]
assert len(a) == len(b) == 7
for p, q in zip(a, b):
    d = q["log10_tau"] - p["log10_tau"]
    assert abs(d - 2 / (p["T"] * math.log(10))) < 1e-9 * abs(q["log10_tau"]) + 1e-11, (p, q)
    if p["log10_mfpt"] is not None:
        d = q["log10_mfpt"] - p["log10_mfpt"]
        assert abs(d - 2 / (p["T"] * math.log(10))) < 1e-9 * abs(q["log10_mfpt"]) + 1e-11
PYEOF
    # T_g: tau(T_g) = tau_g; m against a difference quotient of two more runs
    "$H" relaxation --dim 20 --t-range 2:0.05:14 --transmission 'exp(-2/T)' --tau-g 1e4 \
        --json >g.json || fail "exit T_g"
    tg=$(json_num tg g.json)
    m=$(json_num fragility g.json)
    [ -n "$tg" ] && [ -n "$m" ] || fail "no T_g or m: $(head -c 300 g.json)"
    t1=$(awk -v t="$tg" 'BEGIN { printf "%.17g", t * 1.0005 }')
    t2=$(awk -v t="$tg" 'BEGIN { printf "%.17g", t / 1.0005 }')
    "$H" relaxation --dim 20 --temperatures "$tg,$t1,$t2" --transmission 'exp(-2/T)' \
        --tau-g 1e4 --json >c.json || fail "exit check"
    "$PY" - c.json "$tg" "$m" <<'PYEOF' || fail "T_g or m"
import json, sys
p = json.load(open(sys.argv[1]))["points"]
tg, m = float(sys.argv[2]), float(sys.argv[3])
assert abs(p[0]["log10_tau"] - 4) < 1e-9, p[0]
fd = (p[2]["log10_tau"] - p[1]["log10_tau"]) / (tg / p[2]["T"] - tg / p[1]["T"])
assert abs(fd - m) < 1e-5 * m, (fd, m)
PYEOF
    ;;
relax_plot)
    command -v gnuplot >/dev/null || { echo "gnuplot missing: skipped"; exit 0; }
    "$H" relaxation --dim 20 --t-range 2:0.05:8 --transmission 'exp(-2/T)' --tau-g 1e4 \
        --plot a.png --output r.csv >out.txt || fail "exit code"
    [ "$(head -c 4 a.png | tail -c 3)" = PNG ] || fail "not a PNG"
    head -1 r.csv | grep -q '^# hyperland' || fail "CSV preamble"
    grep -q '^T,tg_over_T,ln_tau,log10_tau,ln_mfpt,log10_mfpt,p_liquid,liquid_classes,tau_null,mfpt_null$' r.csv ||
        fail "CSV header"
    grep -q 'fragility m' out.txt || fail "table: $(cat out.txt)"
    ;;
scan_cond)
    # a slow scan: the liquid part's conditioned mean is the liquid basin's
    # equilibrium mean, so tf_liquid_cond = T below the melting point too
    "$H" scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1e-12 --points 21 --json >s.json ||
        fail "exit code"
    "$PY" - s.json <<'PYEOF' || fail "tf_liquid_cond"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["seconds"] >= 0
s = d["scans"][0]
assert abs(s["tg_liquid_cond"] - 1) < 1e-6, s["tg_liquid_cond"]
n = 0
for p in s["points"]:
    if p["phi_eq_liquid"] is None:
        continue
    assert abs(p["tf_liquid_cond"] - p["T"]) < 1e-6 * p["T"], p
    assert abs(p["phi_liquid"] - p["phi_eq_liquid"]) < 1e-7, p
    n += 1
assert n >= 15
PYEOF
    # the rates in parallel give the numbers of one thread
    for th in 1 2; do
        "$H" scan --dim 20 --t-high 2 --t-low 0.5 --cooling-rates 1,0.1,0.01 --reheat --points 21 \
            --transmission 'exp(-3*y^2/T)' --start liquid --threads $th --output s$th.csv \
            >t$th.txt || fail "exit threads $th"
    done
    cmp <(grep -v '^#' s1.csv) <(grep -v '^#' s2.csv) || fail "threads change the numbers"
    grep -q 'Tg_liq_cond' t1.txt || fail "table"
    grep -q '^time: ' t1.txt || fail "time line"
    ;;
*) fail "unknown test" ;;
esac
