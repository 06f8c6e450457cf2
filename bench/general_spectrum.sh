#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/general_spectrum.sh -- the general path of `hyperland spectrum` (a
# user's own phi: dense / sparse shift-invert, the tunnelling rate by the
# capacity formula) beside a SciPy peer on the same lattice, in one run.
#
# For each D (default 1000 2000 4000) it times
#   hyperland spectrum --dim D --beta 0.773 --phi "$PHI" --count 10
# and bench/general_peer.py D 0.773 "$PHI" 10 (scipy eigsh shift-invert about
# -0.5, SuperLU, the way ../shared/peer/peer.py `rates` does it for the
# paper's phi), each under /usr/bin/time (wall seconds, peak RSS), and checks
# that the rates 2..9 agree.  At D = 1000 it also runs the shared peer's
# `rates` task (paper's phi, same lattice size and count), the issue's
# reference.
#
# usage: bench/general_spectrum.sh [D ...]
# environment:
#   PHI=...              the formula (default: the non-separable-looking one
#                        of issue 9)
#   BETA=0.773 K=10
#   PEER_MAX_DIM=2000    largest D for the peers (SuperLU on 4 million
#                        classes needs more memory than the machine has)
#   PEER_PYTHON=/usr/bin/python3  SHARED_PEER=/work/shared/peer/peer.py
#   NO_PEER=1            skip the peers
#   BUILD_DIR=build-bench
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
PHI=${PHI:-'x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y'}
BETA=${BETA:-0.773}
K=${K:-10}
PEER_MAX_DIM=${PEER_MAX_DIM:-2000}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
SHARED_PEER=${SHARED_PEER:-/work/shared/peer/peer.py}
BUILD_DIR=${BUILD_DIR:-build-bench}
dims=("$@")
[[ ${#dims[@]} -gt 0 ]] || dims=(1000 2000 4000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2 --target hyperland_cli >/dev/null
HL="$BUILD_DIR/hyperland"

peer_ok=0
if [[ -z "${NO_PEER:-}" ]] && "$PEER_PYTHON" -c 'import numpy, scipy' 2>/dev/null; then
    peer_ok=1
fi

# time_run OUT CMD...: stdout to OUT, "wall_s rss_kb" to OUT.time
time_run() {
    local out=$1
    shift
    /usr/bin/time -f '%e %M' -o "$out.time" "$@" >"$out" 2>"$out.err" || {
        echo "failed: $*" >&2
        cat "$out.err" >&2
        return 1
    }
}

echo "phi = $PHI, beta = $BETA, count = $K; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %12s %10s %12s %10s %8s  %s\n' D "hyperland_s" "hl_MB" "peer_s" "peer_MB" ratio \
    "max rel. diff of rates 2..$((K - 1))"
for D in "${dims[@]}"; do
    time_run "$tmp/hl$D" "$HL" spectrum --dim "$D" --beta "$BETA" --phi "$PHI" --count "$K" --json
    read -r hs hk <"$tmp/hl$D.time"
    ps=- pk=- ratio=- agree=-
    if [[ $peer_ok == 1 && $D -le $PEER_MAX_DIM ]]; then
        time_run "$tmp/peer$D" "$PEER_PYTHON" "$here/general_peer.py" "$D" "$BETA" "$PHI" "$K"
        read -r ps pk <"$tmp/peer$D.time"
        pk=$((pk / 1024))
        ratio=$(awk -v h="$hs" -v p="$ps" 'BEGIN { printf "%.1fx", p / h }')
        agree=$("$PEER_PYTHON" - "$tmp/hl$D" "$tmp/peer$D" <<'PY'
import json, sys
hl = json.load(open(sys.argv[1]))['rates']
peer = [float(v) for v in open(sys.argv[2]).read().split('rates:')[1].split()]
# rates 2.. (0 and the tunnelling rate are below the peer's resolution);
# each of hyperland's rates against the nearest of the peer's, and the
# copies of a repeated rate the peer's Lanczos missed
hl = [a for a in hl[2:] if a is not None]
peer = peer[2:]
d = max(min(abs(a - b) / a for b in peer) for a in hl)
missed = sum(1 for i, a in enumerate(hl)
             if sum(abs(x - a) <= 1e-9 * a for x in hl) > sum(abs(x - a) <= 1e-9 * a for x in peer)
             and all(abs(x - a) > 1e-9 * a for x in hl[:i]))
print('%.1e%s' % (d, ' (the peer missed a copy of %d repeated rate(s))' % missed if missed else ''))
PY
)
    fi
    printf '%-6s %12s %10s %12s %10s %8s  %s\n' "$D" "$hs" "$((hk / 1024))" "$ps" "$pk" "$ratio" "$agree"
done
if [[ $peer_ok == 1 && -f "$SHARED_PEER" ]]; then
    time_run "$tmp/shared" "$PEER_PYTHON" "$SHARED_PEER" rates 1000
    read -r ss sk <"$tmp/shared.time"
    sw=$(awk '/^RESULT/{for(i=1;i<=NF;i++) if($i ~ /^wall_s=/){sub("wall_s=","",$i); print $i}}' "$tmp/shared")
    echo "shared peer 'rates 1000' (paper's phi): wall_s = $sw (process $ss s, $((sk / 1024)) MB)"
    if [[ -f "$tmp/hl1000.time" ]]; then
        read -r hs hk <"$tmp/hl1000.time"
        awk -v h="$hs" -v p="$sw" 'BEGIN { printf "D = 1000: the shared peer wall_s / hyperland process time = %.1fx (target 10x)\n", p / h }'
    fi
fi
