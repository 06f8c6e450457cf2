#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/scandb.sh -- `hyperland scan --db` on LJ38-4k (900 minima in the
# network; cooling from k_B T = 0.3 to 0.05 and reheating) beside a SciPy
# peer doing the same scan the way a user would (bench/scandb_peer.py:
# solve_ivp BDF with the exact sparse Jacobian on the same harmonic-TST
# master equation), in one run: wall seconds of each (the peer's includes
# reading the files, as hyperland's does), their ratio, and the largest
# relative difference of <E> at the outputs.  A benchmark, not a test.
#
# usage: bench/scandb.sh [DB]          (default tests/data/LJ38-4k)
# environment: PEER_PYTHON=/usr/bin/python3  BUILD_DIR=build-bench
#   RATES=1e-4,1e-8,1e-12  POINTS=201  T_HIGH=0.3  T_LOW=0.05  NO_PEER=1
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
DB=${1:-tests/data/LJ38-4k}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
BUILD_DIR=${BUILD_DIR:-build-bench}
RATES=${RATES:-1e-4,1e-8,1e-12}
POINTS=${POINTS:-201}
TH=${T_HIGH:-0.3}
TL=${T_LOW:-0.05}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2 --target hyperland_cli >/dev/null
HL="$BUILD_DIR/hyperland"
echo "scan --db $DB: T = $TH -> $TL -> $TH, rates $RATES, $POINTS points per leg, rtol 1e-8"
t0=$(date +%s.%N)
"$HL" scan --db "$DB" --t-high "$TH" --t-low "$TL" --cooling-rates "$RATES" --reheat \
    --points "$POINTS" --json >"$tmp/hl.json"
t1=$(date +%s.%N)
hs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
if [[ -z "${NO_PEER:-}" ]] && "$PEER_PYTHON" -c 'import numpy, scipy' 2>/dev/null; then
    t0=$(date +%s.%N)
    "$PEER_PYTHON" "$here/scandb_peer.py" "$DB" "$TH" "$TL" "$POINTS" 1e-8 "$RATES" >"$tmp/peer.json"
    t1=$(date +%s.%N)
    ps=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    diff=$("$PEER_PYTHON" - "$tmp/hl.json" "$tmp/peer.json" <<'PYEOF'
import json, sys
a = json.load(open(sys.argv[1]))["scans"]; b = json.load(open(sys.argv[2]))["rates"]
m = 0.0
for s, p in zip(a, b):
    for pt, v in zip(s["points"], p["mean_E"]):
        m = max(m, abs(pt["mean_E"] - v) / abs(v))
print("%.1e" % m)
PYEOF
)
    ratio=$(awk -v a="$hs" -v b="$ps" 'BEGIN { printf "%.1f", b / a }')
else
    ps=-; ratio=-; diff=-
fi
printf '%12s %12s %8s %14s\n' hyperland_s peer_s ratio max_rel_diff_E
printf '%12s %12s %8s %14s\n' "$hs" "$ps" "$ratio" "$diff"
