#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/hypercube_kmc.sh -- the full-hypercube KMC with per-spin disorder
# (lognormal:1,lognormal:0.5) at several D: `hyperland kmc --hypercube`
# with both event selections (--select cr: composition-rejection, O(1)
# expected; --select tree: partial-sum trees, O(log D)), one trajectory,
# one thread, events per CPU second including the set-up, beside a NumPy
# peer written as a user would (bench/hypercube_kmc_peer.py: all D rates and
# a cumulative sum per event), in the same run; then the cost per event of
# vertex energies (O(D)).  The load of the machine is printed: the CPU
# seconds of a memory-bound loop grow when other jobs share the caches.
# DIMS, BETA, EVENTS (about that many per hyperland run), PEER_EVENTS
# (events given to the peer), VS_DIMS can be set.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD_DIR=${BUILD_DIR:-build-bench}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
DIMS=${DIMS:-1000 10000 100000 1000000}
VS_DIMS=${VS_DIMS:-16 64 256 1024}
BETA=${BETA:-0.5}
PEER_EVENTS=${PEER_EVENTS:-300}
EVENTS=${EVENTS:-8e6}
KMC=${KMC:-kmc --hypercube}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2 --target hyperland_cli >/dev/null
H="$BUILD_DIR/hyperland"
have_peer=0
"$PEER_PYTHON" -c 'import numpy' 2>/dev/null && have_peer=1
# run_hl D TIME EXTRA...: "events cpu_s" (user + system CPU time: the
# events per second per core, whatever else the machine runs)
run_hl() {
    local D=$1 T=$2
    shift 2
    local ev cpu
    TIMEFORMAT='%U %S'
    # shellcheck disable=SC2086
    cpu=$({ time "$H" $KMC --dim "$D" --beta "$BETA" --from class:$((D / 4)),$((D / 4)) --times "$T" \
        --trajectories 1 --threads 1 --seed 1 --json "$@" >"$tmp"; } 2>&1 | awk '{ print $1 + $2 }')
    ev=$(grep -o '"events": [0-9]*' "$tmp" | head -1 | sed 's/.*: //')
    echo "$ev $cpu"
}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%8s %10s %12s %12s %12s %8s %8s\n' D events cr_events/s tree_events/s peer_events/s cr/peer tree/peer
for D in $DIMS; do
    # the total rate is about D / 4 at beta 0.5 from class (D/4, D/4)
    T=$(awk -v d="$D" -v e="$EVENTS" 'BEGIN { printf "%.6g", 1.4 * e / d }')
    read -r ev hs < <(run_hl "$D" "$T" --disorder lognormal:1,lognormal:0.5 --select cr)
    read -r evt hst < <(run_hl "$D" "$T" --disorder lognormal:1,lognormal:0.5 --select tree)
    hr=$(awk -v e="$ev" -v s="$hs" 'BEGIN { printf "%.3g", e / s }')
    ht=$(awk -v e="$evt" -v s="$hst" 'BEGIN { printf "%.3g", e / s }')
    if [[ $have_peer == 1 ]]; then
        pr=$("$PEER_PYTHON" bench/hypercube_kmc_peer.py "$D" "$BETA" "$PEER_EVENTS" 1 1 0.5)
        pe=$(echo "$pr" | sed 's/.*events_per_s=\([^ ]*\).*/\1/')
        ratio=$(awk -v h="$hr" -v p="$pe" 'BEGIN { printf "%.0fx", h / p }')
        ratiot=$(awk -v h="$ht" -v p="$pe" 'BEGIN { printf "%.0fx", h / p }')
    else
        pe=-; ratio=-; ratiot=-
    fi
    printf '%8d %10d %12s %12s %12s %8s %8s\n' "$D" "$ev" "$hr" "$ht" "$pe" "$ratio" "$ratiot"
done
echo "beta = $BETA, disorder lognormal:1,lognormal:0.5; events per CPU second (one trajectory, 1 thread, set-up included; the peer: time.process_time)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "vertex energies (--vertex-shift 1, no per-spin disorder): O(D) per event"
printf '%8s %12s %10s %14s %14s\n' D events cpu_s events/s ns/event/spin
for D in $VS_DIMS; do
    T=$(awk -v d="$D" 'BEGIN { printf "%.6g", 2e7 / (d * d) }')
    read -r ev hs < <(run_hl "$D" "$T" --vertex-shift 1)
    awk -v d="$D" -v e="$ev" -v s="$hs" 'BEGIN { printf "%8d %12d %10.3f %14.3g %14.3g\n", d, e, s, e / s, 1e9 * s / (e * d) }'
done
