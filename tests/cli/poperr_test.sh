#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every population printed by network --evolve comes with an estimated
# error from a check evolution (README "Accuracy of populations"): P_A,
# P_B and the top-k minima against an independent mpmath reference
# (tests/ref/network_evolve.py: the symmetrised generator's
# eigendecomposition at 60 digits, exact at any t).  The estimate must hold
# (|value - reference| <= 2 error + 1e-300, the value of a flagged one
# being bound - error), a resolved value must be right (1e-6 relative or
# its error), and none above 100 rtol may be flagged.  Before the check,
# P_A(1e-3) from min:8 at T = 0.1 printed round-off (the reference is
# 1.35e-52).
#   lj12_t01   LJ38-tutorial-12 at T = 0.1 from min:8, t = 1e-3 .. 1e12
#   lj12_t005  the same at T = 0.05 (rates 1e-300 apart), t = 1 .. 1e12
# usage: poperr_test.sh HYPERLAND TEST
SRC="$(cd "$(dirname "$0")/../.." && pwd)"
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}
"$PY" -c 'import mpmath' 2>/dev/null || PY=/usr/bin/python3
DB="$SRC/tests/data/LJ38-tutorial-12"

run() { # TEMPERATURE TIMES...
    local temp=$1
    shift
    local times
    times=$(IFS=,; echo "$*")
    "$H" network --db "$DB" --temperature "$temp" --evolve e.csv --from min:8 --times "$times" \
        --top 12 --json >o.json || fail "network --evolve at T = $temp"
    "$PY" "$SRC/tests/ref/network_evolve.py" "$DB" "$temp" 8 "$@" >ref.txt || fail "reference"
    "$PY" - <<'PYEOF' || fail "populations against the reference at T = $temp"
import json
d = json.load(open("o.json"))
ev = d["evolution"]
rtol = ev["rtol"]
lines = open("ref.txt").read().split("\n")
ids = [int(x) for x in lines[0].split()]
ref = [[float(x) for x in l.split()] for l in lines[1:] if l.strip()]
A, B = {2}, {8}  # min.A, min.B of LJ38-tutorial-12
bad, n = [], 0
def check(what, v, bound, err, r):
    global n
    n += 1
    val = v if v is not None else (bound - err if bound is not None else None)
    if val is None or err is None or not err >= 0:
        bad.append("%s: no value or error (%r, %r)" % (what, v, err))
        return
    if abs(val - r) > 2 * err + 1e-300:
        bad.append("%s = %.12g, reference %.12g: off by %.3g, beyond 2 x its error %.3g"
                   % (what, val, r, abs(val - r), err))
    if v is None and r > 100 * rtol:
        bad.append("%s flagged (error %.3g) but the reference is %.12g" % (what, err, r))
    if v is not None and abs(v - r) > max(1e-6 * r, err):
        bad.append("%s = %.12g resolved, reference %.12g" % (what, v, r))
for p, row in zip(ev["points"], ref):
    t = p["t"]
    assert abs(t - row[0]) <= 1e-5 * t, (t, row[0])
    pr = dict(zip(ids, row[1:]))
    for nm, S in (("P_A", A), ("P_B", B)):
        check("t = %g %s" % (t, nm), p[nm], p.get(nm + "_bound"), p[nm + "_error"],
              sum(pr[i] for i in S))
    for e in p["top"]:
        if e["id"] >= 0:
            check("t = %g min %d" % (t, e["id"]), e["p"], e.get("p_bound"), e["p_error"],
                  pr[e["id"]])
flagged = sum(1 for p in ev["points"] for nm in ("P_A", "P_B") if p[nm] is None)
print("%d checks, %d of P_A/P_B flagged" % (n, flagged))
if bad:
    print("\n".join(bad))
    raise SystemExit(1)
if flagged == 0:
    raise SystemExit("nothing flagged: the case no longer exercises the estimate")
PYEOF
}

case "$T" in
lj12_t01) run 0.1 1e-3 1 1e3 1e6 1e9 1e12 ;;
lj12_t005) run 0.05 1 1e6 1e9 1e12 ;;
*) fail "unknown test" ;;
esac
exit 0
