#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of `scan --db` (issue 13, scandb branch): calorimetry scans of a
# network.  A slow scan of PyGT's 32-state network reproduces `network
# --temperature`'s mean energy and heat capacity and T_f = T; a fast one
# freezes T_f; a two-state CSV network against its Schottky heat capacity
# and closed-form T_f; LJ38-4k with --liquid B (CSV/JSON layout, figures);
# bad input is one line on stderr.
# usage: scandb_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
DATA=$(cd "$(dirname "$0")/../data" && pwd)

case "$T" in
slow_equilibrium)
    "$H" scan --db "$DATA/pygt-32state" --t-high 2 --t-low 0.5 --cooling-rates 1e-10,1e-2 \
        --points 51 --reheat --json >s.json || fail "scan"
    for TT in 2 1.25 0.5; do
        "$H" network --db "$DATA/pygt-32state" --temperature "$TT" --json >n$TT.json || fail "network $TT"
    done
    python3 - <<'PY' || fail "slow scan against network --temperature"
import json
d = json.load(open("s.json"))
slow, fast = d["scans"]
assert d["system"] == "network" and d["observable"] == "E" and d["basin"] is None, d.keys()
for TT in ("2", "1.25", "0.5"):
    n = json.load(open("n%s.json" % TT))
    th = n.get("thermodynamics", n)
    pt = [p for p in slow["points"] if p["leg"] == "cool" and abs(p["T"] - float(TT)) < 1e-12][0]
    assert abs(pt["E_eq"] - th["mean_energy"]) <= 1e-12 * abs(th["mean_energy"]) + 1e-14, (pt, th)
    assert abs(pt["c_eq"] - th["heat_capacity"]) <= 1e-12 * th["heat_capacity"], (pt, th)
    assert abs(pt["mean_E"] - th["mean_energy"]) <= 1e-6, (pt["mean_E"], th["mean_energy"])
err = slow["c_error_estimate"]
for p in slow["points"]:
    assert abs(p["c"] - p["c_eq"]) <= 3 * err + 1e-5, (p, err)
    assert abs(p["tf_total"] - p["T"]) <= 1e-5 * p["T"], p
    assert p["tf_liquid"] is None and p["tf_liquid_null"] == "no basin given (the liquid set)"
assert abs(slow["tg_total"] - 0.5) <= 1e-5
# fast: frozen far above T_low
assert fast["tg_total"] > 0.9, fast["tg_total"]
PY
    ;;
two_state_csv)
    # E = (0, 1), S = (0, ln 2), a transition state (E 2, S 0)
    printf 'id,energy,entropy\n1,0,0\n2,1,0.69314718055994531\n' >st.csv
    printf 'a,b,energy,entropy\n1,2,2,0\n' >tr.csv
    "$H" scan --states st.csv --transitions tr.csv --t-high 1 --t-low 0.2 --cooling-rates 0.01 \
        --points 9 --reheat --rtol 1e-10 --output s.csv --json >s.json || fail "scan"
    python3 - <<'PY' || fail "two-state against the closed forms"
import json, math, csv
d = json.load(open("s.json"))
s = d["scans"][0]
# the master equation integrated independently (mpmath, 25 digits; test_scan_chain.c)
ref_end = 0.17574012645382867
for p in s["points"]:
    T = p["T"]
    pe = 2 * math.exp(-1 / T) / (1 + 2 * math.exp(-1 / T))
    assert abs(p["E_eq"] - pe) <= 1e-14, p
    assert abs(p["c_eq"] - pe * (1 - pe) / T ** 2) <= 1e-13 * p["c_eq"], p
    e = p["mean_E"]
    assert abs(p["tf_total"] - 1 / math.log(2 * (1 - e) / e)) <= 1e-10 * p["tf_total"], p
assert abs(s["points"][8]["mean_E"] - ref_end) <= 1e-8
assert abs(s["tg_total"] - 1 / math.log(2 * (1 - ref_end) / ref_end)) <= 1e-7
rows = [r for r in csv.reader(l for l in open("s.csv") if not l.startswith("#"))]
assert rows[0][:6] == ["rate", "leg", "t", "T", "mean_E", "c"], rows[0]
assert "E_eq" in rows[0] and "E_liquid" in rows[0] and len(rows) == 18
PY
    grep -q '^# .*observable E, the potential energy of the minima' s.csv || fail "CSV header"
    ;;
lj38_liquid)
    # LJ38-4k (900 minima): cooling and reheating at two rates, the icosahedral set B as
    # the liquid; in seconds
    start=$(date +%s)
    "$H" scan --db "$DATA/LJ38-4k" --liquid B --t-high 0.3 --t-low 0.05 --cooling-rates 1e-12,1e-8 \
        --reheat --points 101 --output s.csv --plot c.png --plot-tg tg.png --json >s.json ||
        fail "scan LJ38-4k"
    end=$(date +%s)
    [ $((end - start)) -le 60 ] || fail "LJ38-4k took $((end - start)) s"
    [ -s c.png ] && [ -s tg.png ] || fail "figures"
    python3 - <<'PY' || fail "LJ38-4k"
import json
d = json.load(open("s.json"))
assert d["basin"] == "B" and d["states"] == 900
for s in d["scans"]:
    for p in s["points"]:
        assert p["E_eq_liquid"] is not None and p["c_eq_liquid"] is not None, p
        assert 0 <= p["p_liquid"] <= 1 + 1e-9
        assert p["tf_total"] is None or p["tf_total"] > 0
    assert s["tg_total"] is not None and s["tg_total"] > 0.05
    assert s["method"] == "cvode"
# the slower scan freezes lower
assert d["scans"][0]["tg_total"] < d["scans"][1]["tg_total"], [s["tg_total"] for s in d["scans"]]
PY
    ;;
errors)
    EXPECT_RC=1 expect_error scan --db "$W/none" --t-high 1 --t-low 0.5 --cooling-rates 1
    grep -q "not a directory" err.txt || fail "missing db: $(cat err.txt)"
    EXPECT_RC=2 expect_error scan --db "$DATA/pygt-32state" --t-high 1 --t-low 1 --cooling-rates 1
    grep -q "below --t-high" err.txt || fail "T_low = T_high: $(cat err.txt)"
    EXPECT_RC=2 expect_error scan --db "$DATA/pygt-32state" --t-high 1 --t-low 2 --cooling-rates 1
    EXPECT_RC=2 expect_error scan --db "$DATA/pygt-32state" --t-high 1 --t-low 0.5 --cooling-rates 0
    grep -q "positive" err.txt || fail "rate 0: $(cat err.txt)"
    EXPECT_RC=2 expect_error scan --db "$DATA/pygt-32state" --t-high 1 --t-low 0.5 --cooling-rates 1,-1
    EXPECT_RC=2 expect_error scan --db "$DATA/pygt-32state" --t-high 1 --t-low 0.5 --cooling-rates 1 --liquid C
    EXPECT_RC=2 expect_error scan --db "$DATA/pygt-32state" --t-high 1 --t-low 0.5 --cooling-rates 1 --start liquid
    EXPECT_RC=2 expect_error scan --db "$DATA/pygt-32state" --dim 4 --t-high 1 --t-low 0.5 --cooling-rates 1
    EXPECT_RC=2 expect_error scan --db "$DATA/pygt-32state" --phi x --t-high 1 --t-low 0.5 --cooling-rates 1
    EXPECT_RC=2 expect_error scan --dim 4 --liquid A --t-high 1 --t-low 0.5 --cooling-rates 1
    EXPECT_RC=2 expect_error scan --db "$DATA/pygt-32state" --ts x --t-high 1 --t-low 0.5 --cooling-rates 1
    EXPECT_RC=1 expect_error scan --db "$DATA/LJ13" --liquid A --t-high 1 --t-low 0.5 --cooling-rates 1
    grep -q "not given" err.txt || fail "--liquid without the set: $(cat err.txt)"
    ;;
*) fail "unknown test $T" ;;
esac
