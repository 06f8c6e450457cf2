#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/passage.sh -- `hyperland mfpt --phi` (graph transformation on the
# class lattice) at D = 300, 1000, 2000 beside a SciPy peer
# (bench/passage_peer.py: spsolve on the same lattice) in the same run.
# DIMS, BETA, PEER_MAX_D (largest D given to the peer) can be set.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD_DIR=${BUILD_DIR:-build-bench}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
DIMS=${DIMS:-300 1000 2000}
BETA=${BETA:-0.75}
PEER_MAX_D=${PEER_MAX_D:-2000}
PHI='x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y'
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2 --target hyperland_cli >/dev/null
H="$BUILD_DIR/hyperland"
have_peer=0
"$PEER_PYTHON" -c 'import scipy' 2>/dev/null && have_peer=1
printf '%6s %10s %10s %22s %22s %8s %8s\n' D hl_s peer_s hl_ln_mfpt peer_ln_mfpt targets ratio
for D in $DIMS; do
    t0=$(date +%s.%N)
    js=$("$H" mfpt --dim "$D" --beta "$BETA" --phi "$PHI" --json)
    t1=$(date +%s.%N)
    read -r ln n n1 nt < <(echo "$js" | "$PEER_PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(repr(d["ln_mfpt"]), d["start"]["n"], d["start"]["n1"], d["target_classes"])')
    hs=$(echo "$t1 - $t0" | bc -l)
    if [[ $have_peer == 1 && $D -le $PEER_MAX_D ]]; then
        pr=$("$PEER_PYTHON" bench/passage_peer.py "$D" "$BETA" "$n" "$n1" || echo "RESULT failed")
        pw=$(echo "$pr" | awk '{for(i=1;i<=NF;i++) if($i ~ /^wall_s=/){sub("wall_s=","",$i); print $i}}')
        pl=$(echo "$pr" | awk '{for(i=1;i<=NF;i++) if($i ~ /^ln_mfpt=/){sub("ln_mfpt=","",$i); print $i}}')
        pt=$(echo "$pr" | awk '{for(i=1;i<=NF;i++) if($i ~ /^target_classes=/){sub("target_classes=","",$i); print $i}}')
        ratio=$(awk -v h="$hs" -v p="${pw:-0}" 'BEGIN { printf "%.2fx", p / h }')
    else
        pw=-; pl=-; pt=-; ratio=-
    fi
    printf '%6d %10.3f %10s %22s %22s %8s %8s\n' "$D" "$hs" "$pw" "$ln" "$pl" "$nt/$pt" "$ratio"
done
echo "beta = $BETA, phi = $PHI; ratio = peer time / hyperland time (one process each, wall clock)"
