#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/kinetics.sh -- the kinetic benchmark beside the peer's 'rates' task
# (10 slowest rates at D = 1000, beta = 0.773), in one run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD_DIR=${BUILD_DIR:-build-bench}
PEER=${PEER:-/work/shared/peer/peer.py}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2 --target bench_kinetics >/dev/null
out=$("$BUILD_DIR/bench/bench_kinetics")
echo "$out"
hl=$(echo "$out" | awk '/name=rates-D1000 /{for(i=1;i<=NF;i++) if($i ~ /^wall_s=/){sub("wall_s=","",$i); print $i}}')
if [[ -f "$PEER" ]] && "$PEER_PYTHON" -c 'import scipy' 2>/dev/null; then
    peer_out=$("$PEER_PYTHON" "$PEER" rates)
    echo "$peer_out"
    pw=$(echo "$peer_out" | awk '/^RESULT/{for(i=1;i<=NF;i++) if($i ~ /^wall_s=/){sub("wall_s=","",$i); print $i}}')
    awk -v h="$hl" -v p="$pw" 'BEGIN { printf "rates D=1000: hyperland %.4f s, peer %.4f s, ratio %.1fx (target 10x)\n", h, p, p / h }'
else
    echo "peer skipped (no $PEER or no scipy)"
fi
