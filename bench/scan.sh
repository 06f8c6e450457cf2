#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/scan.sh -- `hyperland scan` (paper's phi, glass B exp(-3 y^2/T),
# cooling and reheating) beside a SciPy peer doing the same scan the way a
# user would (bench/scan_peer.py: solve_ivp BDF with the exact sparse
# Jacobian on the same class-lattice master equation), in one run: wall
# seconds of each, their ratio, and the largest relative difference of
# <phi> at the outputs.  A benchmark, not a test.
#
# usage: bench/scan.sh [D ...]       (default: 40 80 200; the peer only up
#                                     to PEER_MAX_D)
# environment: PEER_PYTHON=/usr/bin/python3  BUILD_DIR=build-bench
#   RATES=1,0.1,0.01,0.001,0.0001  POINTS=201  T_HIGH=2  T_LOW=0.4
#   THREADS=2 (hyperland's)  PEER_MAX_D=80  NO_PEER=1
#   PEER_TIMEOUT=S (stop the peer after S seconds: its time and the ratio
#   are then lower bounds, printed with '>')
# Beside the wall seconds, hyperland's CPU seconds (user + sys) and the
# load average at the start of each row (the machine is shared).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
BUILD_DIR=${BUILD_DIR:-build-bench}
RATES=${RATES:-1,0.1,0.01,0.001,0.0001}
POINTS=${POINTS:-201}
TH=${T_HIGH:-2}
TL=${T_LOW:-0.4}
THREADS=${THREADS:-2}
PEER_MAX_D=${PEER_MAX_D:-80}
PEER_TIMEOUT=${PEER_TIMEOUT:-0}
dims=("$@")
[ ${#dims[@]} -gt 0 ] || dims=(40 80 200)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2 --target hyperland_cli >/dev/null
HL="$BUILD_DIR/hyperland"
peer_ok=0
if [[ -z "${NO_PEER:-}" ]] && "$PEER_PYTHON" -c 'import numpy, scipy' 2>/dev/null; then
    peer_ok=1
fi
echo "scan: paper's phi, B = exp(-3*y^2/T), T = $TH -> $TL -> $TH, rates $RATES, $POINTS points per leg, rtol 1e-8"
printf '%6s %12s %10s %12s %8s %14s %6s\n' D hyperland_s hl_cpu_s peer_s ratio max_rel_diff load
for D in "${dims[@]}"; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    t0=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$tmp/cpu" "$HL" scan --dim "$D" --t-high "$TH" --t-low "$TL" --cooling-rates "$RATES" --reheat \
        --points "$POINTS" --transmission 'exp(-3*y^2/T)' --threads "$THREADS" --json \
        >"$tmp/hl.json"
    t1=$(date +%s.%N)
    hs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    hc=$(awk '{ printf "%.2f", $1 + $2 }' "$tmp/cpu")
    if [ $peer_ok = 1 ] && [ "$D" -le "$PEER_MAX_D" ]; then
        t0=$(date +%s.%N)
        prc=0
        if [ "$PEER_TIMEOUT" != 0 ]; then
            timeout "$PEER_TIMEOUT" "$PEER_PYTHON" "$here/scan_peer.py" "$D" "$TH" "$TL" "$POINTS" 1e-8 \
                "$RATES" >"$tmp/peer.json" || prc=$?
        else
            "$PEER_PYTHON" "$here/scan_peer.py" "$D" "$TH" "$TL" "$POINTS" 1e-8 "$RATES" >"$tmp/peer.json"
        fi
        t1=$(date +%s.%N)
        ps=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
        if [ "$prc" = 124 ]; then
            ratio=">$(awk -v a="$hs" -v b="$ps" 'BEGIN { printf "%.1f", b / a }')"
            printf '%6s %12s %10s %12s %8s %14s %6s\n' "$D" "$hs" "$hc" ">$ps" "$ratio" - "$load"
            continue
        fi
        diff=$("$PEER_PYTHON" - "$tmp/hl.json" "$tmp/peer.json" <<'PYEOF'
import json, sys
a = json.load(open(sys.argv[1]))["scans"]; b = json.load(open(sys.argv[2]))["rates"]
m = 0.0
for s, p in zip(a, b):
    for pt, v in zip(s["points"], p["mean_phi"]):
        m = max(m, abs(pt["mean_phi"] - v) / abs(v))
print("%.1e" % m)
PYEOF
)
        ratio=$(awk -v a="$hs" -v b="$ps" 'BEGIN { printf "%.1f", b / a }')
    else
        ps=-; ratio=-; diff=-
    fi
    printf '%6s %12s %10s %12s %8s %14s %6s\n' "$D" "$hs" "$hc" "$ps" "$ratio" "$diff" "$load"
done
