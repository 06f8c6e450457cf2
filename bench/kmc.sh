#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/kmc.sh -- events per second of `hyperland kmc` (one thread, one
# trajectory, the whole ensemble machinery and the state recording
# included) beside a plain NumPy Gillespie loop (bench/kmc_peer.py, the
# same class lattice, start and events) and, when present, the shared
# peer's `gillespie` task (../shared/peer/peer.py), in one run:
#   - the class lattice, D = 1000, beta = 1, from the liquid basin (fixed beta);
#   - the same under a cooling protocol (exact thinning);
#   - the LJ38 tutorial network at T = 0.4;
#   - an ensemble on every core (events/s in all).
# usage: bench/kmc.sh     environment: BUILD_DIR=build-bench PEER_PYTHON=/usr/bin/python3
#        EVENTS=1000000 (the peers' events) NO_PEER=1
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
BUILD_DIR=${BUILD_DIR:-build-bench}
EVENTS=${EVENTS:-1000000}
SHARED_PEER=${SHARED_PEER:-$root/../../shared/peer/peer.py}
[ -f "$SHARED_PEER" ] || SHARED_PEER=/work/shared/peer/peer.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2 --target hyperland_cli >/dev/null
HL="$BUILD_DIR/hyperland"

# events/s of a hyperland kmc run (its stderr line)
rate() { sed -n 's/.* events in \([0-9.e+-]*\) s (\([0-9.e+-]*\) events\/s).*/\2/p' "$1"; }
events() { sed -n 's/.* trajectories, \([0-9]*\) events in.*/\1/p' "$1"; }

printf '%-46s %12s %14s\n' case events events/s
run() {
    local name=$1
    shift
    "$HL" kmc "$@" --seed 1 >"$tmp/out.txt" 2>"$tmp/err.txt"
    printf '%-46s %12s %14s\n' "$name" "$(events "$tmp/err.txt")" "$(rate "$tmp/err.txt")"
}
run "lattice D=1000 beta=1 (1 thread)" --dim 1000 --beta 1 --from liquid --times 0,20000 \
    --trajectories 1 --threads 1 --output "$tmp/traj.csv"
start=$(grep -v '^#' "$tmp/traj.csv" | sed -n 2p) # trajectory,t,n,n1,...
n0=$(echo "$start" | cut -d, -f3)
n10=$(echo "$start" | cut -d, -f4)
printf 't,T\n0,1.25\n20000,0.9\n' >"$tmp/cool.csv"
run "lattice D=1000 protocol T 1.25->0.9 (1 thread)" --dim 1000 --protocol "$tmp/cool.csv" \
    --from liquid --times 20000 --trajectories 1 --threads 1
run "network LJ38-tutorial-12 T=0.4 (1 thread)" --db tests/data/LJ38-tutorial-12 --temperature 0.4 \
    --from set:B --times 200000 --trajectories 1 --threads 1
run "lattice D=1000, 64 trajectories (all threads)" --dim 1000 --beta 1 --from liquid --times 2000 \
    --trajectories 64

if [[ -z "${NO_PEER:-}" ]] && "$PEER_PYTHON" -c 'import numpy, scipy' 2>/dev/null; then
    p=$("$PEER_PYTHON" "$here/kmc_peer.py" 1000 1 "$EVENTS" 1 "$n0" "$n10")
    printf '%-46s %12s %14s\n' "peer kmc_peer.py D=1000 beta=1 (NumPy, lists)" "$EVENTS" \
        "$(echo "$p" | sed -n 's/.*events_per_s=\([^ ]*\).*/\1/p')"
    if [ -f "$SHARED_PEER" ]; then
        s=$("$PEER_PYTHON" "$SHARED_PEER" gillespie 2>&1 | tr '\n' ' ')
        printf '%-46s %12s %14s\n' "shared peer.py gillespie D=1000" \
            "$(echo "$s" | sed -n 's/.*events = \([0-9]*\).*/\1/p')" \
            "$(echo "$s" | sed -n 's/.*events\/s = \([0-9.e+-]*\).*/\1/p')"
    fi
fi
