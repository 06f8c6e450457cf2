#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of `hyperland scan` (issue 13, experiments: calorimetry scans on
# the master equation).  usage: glass2_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

case "$T" in
scan_errors)
    EXPECT_RC=2
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 0
    grep -q 'every rate must be positive (got 0)' err.txt || fail "q = 0: $(cat err.txt)"
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1,-1
    expect_error scan --dim 20 --t-high 1 --t-low 1 --cooling-rates 1
    grep -q 'must be below --t-high' err.txt || fail "T_low = T_high: $(cat err.txt)"
    expect_error scan --dim 20 --t-high 1 --t-low 2 --cooling-rates 1
    expect_error scan --dim 20 --t-high 2 --t-low 0 --cooling-rates 1
    expect_error scan --dim 20 --t-high 2 --t-low -1 --cooling-rates 1
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1,nan
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1,,2
    expect_error scan --dim 20 --t-high 2 --t-low 1
    expect_error scan --dim 21 --t-high 2 --t-low 1 --cooling-rates 1
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1 --points 4
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1 --start glass
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1 --rtol 1
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1 extra
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1 --bogus
    EXPECT_RC=1
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1e-305
    expect_error scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1 --transmission '1-T'
    ;;
scan_csv_json)
    # a slow scan at D = 20 across the melting point: CSV with a commented
    # header, c = c_eq and tf_total = T; the JSON's nulls carry reasons
    "$H" scan --dim 20 --t-high 2 --t-low 1 --cooling-rates 1e-12,1 --reheat --points 41 \
        --output s.csv >out.txt || fail "exit code"
    head -1 s.csv | grep -q '^# hyperland' || fail "CSV preamble"
    grep -q '^rate,leg,t,T,mean_phi,c,c_eq,c_eq_liquid,phi_eq,phi_eq_liquid,tf_liquid,tf_total,p_liquid,tf_liquid_null,tf_total_null,phi_liquid,tf_liquid_cond,tf_liquid_cond_null$' s.csv ||
        fail "CSV header"
    [ "$(grep -vc '^#' s.csv)" -eq $((1 + 2 * 81)) ] || fail "CSV rows"
    "$PY" - s.csv <<'PYEOF' || fail "slow scan is the equilibrium"
import csv, sys
rows = list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#")))
slow = [r for r in rows if float(r["rate"]) == 1e-12]
assert len(slow) == 81
for r in slow:
    T = float(r["T"])
    assert abs(float(r["c"]) - float(r["c_eq"])) < 3e-4, r
    assert abs(float(r["tf_total"]) - T) < 1e-6 * T, r
    assert r["tf_total_null"] == ""
fast = [r for r in rows if float(r["rate"]) == 1]
assert float(fast[40]["tf_total"]) > 1.3, fast[40]
PYEOF
    "$H" scan --dim 20 --t-high 2 --t-low 0.4 --cooling-rates 1e-3 --json >j.json || fail "json exit"
    "$PY" - j.json <<'PYEOF' || fail "JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["command"] == "scan" and d["dim"] == 20 and d["reheat"] is False
s = d["scans"][0]
assert s["rate"] == 1e-3 and len(s["points"]) == 201
assert s["tg_liquid"] is None and "range" in s["tg_liquid_null"], s["tg_liquid_null"]
assert s["overshoot"]["excess"] is None and s["overshoot"]["null_reason"] == "no reheating"
p = s["points"][-1]
assert p["T"] == 0.4 and p["tf_liquid"] is None and p["tf_liquid_null"]
assert p["tf_total"] > 0.4
PYEOF
    ;;
scan_plot)
    command -v gnuplot >/dev/null || { echo "gnuplot missing: skipped"; exit 0; }
    "$H" scan --dim 20 --t-high 2 --t-low 0.5 --cooling-rates 1,0.1 --reheat --points 21 \
        --transmission 'exp(-3*y^2/T)' --start liquid --plot c.png --plot-tg tg.png >out.txt ||
        fail "exit code"
    for f in c.png tg.png; do
        [ "$(head -c 4 $f | tail -c 3)" = PNG ] || fail "$f is not a PNG"
    done
    grep -q 'liquid basin' out.txt || fail "report names the start"
    ;;
*) fail "unknown test" ;;
esac
