#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/full_spectrum.sh -- `hyperland spectrum --full` (symmetry sectors) beside
# the NumPy/SciPy peer bench/full_spectrum_peer.py (the 2^D generator itself,
# eigsh), in one run: D = 12 .. 18, beta = 0.6, paper's phi, B = 1, 12 slowest rates.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD_DIR=${BUILD_DIR:-build-bench}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
DIMS=${DIMS:-"12 14 16 18"}
BETA=${BETA:-0.6}
K=${K:-12}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2 --target hyperland_cli >/dev/null
echo "load: $(uptime)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%4s %14s %10s %9s %22s\n' D hyperland_s peer_s ratio max_rel_diff_rates
for D in $DIMS; do
    t0=$(date +%s.%N)
    "$BUILD_DIR/hyperland" spectrum --dim "$D" --beta "$BETA" --full --count "$K" --json > "$tmp/hl.json"
    t1=$(date +%s.%N)
    "$PEER_PYTHON" bench/full_spectrum_peer.py "$D" "$BETA" "$K" > "$tmp/peer.txt"
    "$PEER_PYTHON" - "$D" "$t0" "$t1" "$tmp/hl.json" "$tmp/peer.txt" <<'PY'
import json, sys
D, t0, t1, hj, pt = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
hl = json.load(open(hj))["rates"]
lines = open(pt).read().split("\n")
peer = [float(s) for s in next(l for l in lines if l.startswith("rates ")).split()[1:]]
pw = float(next(l for l in lines if l.startswith("RESULT")).split("wall_s=")[1])
assert len(hl) == len(peer), (hl, peer)
# the exact 0 (and anything at the peer's round-off) is not compared
pairs = [(h, p) for h, p in zip(hl, peer) if h is not None and h > 1e-10]
rel = max(abs(h - p) / h for h, p in pairs)
hs = t1 - t0
ok = "" if rel < 1e-8 else "  DISAGREE (> 1e-8): timing not valid"
print("%4s %14.4f %10.4f %8.0fx %15.1e over %2d%s" % (D, hs, pw, pw / hs, rel, len(pairs), ok))
if rel >= 1e-8:
    print("hyperland:", hl); print("peer:     ", peer); sys.exit(1)
PY
done
