#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/fokker_planck.sh -- build the Release benchmark, run bench_fokker_planck
# and the NumPy/SciPy peer (bench/fp_peer.py) at N = 400 and N = 200 in the
# same run, and print the table: task, hyperland seconds, peer seconds, ratio
# (peer / hyperland) and how well the numbers agree.
#
# Only the paper-phi rows of bench_fokker_planck have a peer; the
# non-separable rows are printed as they come.
#
# usage: bench/fokker_planck.sh
# environment:
#   N=400 QUICK_N=200       the two grids (QUICK_N= to skip the second)
#   PEER=...                the peer (default bench/fp_peer.py)
#   PEER_PYTHON=...         its interpreter (default /usr/bin/python3)
#   PEER_TIMEOUT=600        seconds allowed for each peer task
#   BLAS_THREADS=1          OPENBLAS_NUM_THREADS / OMP_NUM_THREADS for both
#                           sides (BLAS_THREADS= leaves the defaults)
#   NO_PEER=1               skip the peer
#   PEER_TASKS="spectrum evolve"  the peer's tasks (its BDF evolution takes
#                           about 500 s at N = 400: PEER_TASKS=spectrum)
#   HL_BDF=1                also time hyperland's CVODE BDF path for the
#                           evolution (HL_GRIDCHAIN_CVODE=1; HL_BDF= to skip):
#                           at fixed beta the library uses a shift-and-invert
#                           Krylov exponential, the peer BDF
#   BUILD_DIR=...           build tree (default build-bench, in the repo root)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

N=${N:-400}
QUICK_N=${QUICK_N-200}
PEER=${PEER:-$here/fp_peer.py}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
PEER_TIMEOUT=${PEER_TIMEOUT:-600}
BLAS_THREADS=${BLAS_THREADS-1}
BUILD_DIR=${BUILD_DIR:-build-bench}
HL_BDF=${HL_BDF-1}
PEER_TASKS=${PEER_TASKS:-spectrum evolve}
cores=$(nproc --all)

if [[ -n "$BLAS_THREADS" ]]; then
    export OPENBLAS_NUM_THREADS=$BLAS_THREADS OMP_NUM_THREADS=$BLAS_THREADS
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------- build
if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]] ||
   ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD_DIR/CMakeCache.txt"; then
    echo "== configuring $BUILD_DIR (Release)"
    cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >"$tmp/configure.log" 2>&1 || {
        cat "$tmp/configure.log" >&2
        echo "fokker_planck.sh: cmake configure failed" >&2
        exit 1
    }
fi
echo "== building bench_fokker_planck"
cmake --build "$BUILD_DIR" -j2 --target bench_fokker_planck >/dev/null || {
    cmake --build "$BUILD_DIR" -j1 --target bench_fokker_planck >&2 || true
    echo "fokker_planck.sh: build failed" >&2
    exit 1
}
bench="$BUILD_DIR/bench/bench_fokker_planck"

echo "== machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC'), BLAS threads ${BLAS_THREADS:-default}"

peer_ok=1
if [[ -n "${NO_PEER:-}" ]]; then
    echo "== peer skipped (NO_PEER set)"; peer_ok=0
elif [[ ! -f "$PEER" ]]; then
    echo "== peer skipped: $PEER not found"; peer_ok=0
elif ! "$PEER_PYTHON" -c 'import numpy, scipy' >/dev/null 2>&1; then
    echo "== peer skipped: $PEER_PYTHON cannot import numpy and scipy" \
         "(apt-get install -y python3-numpy python3-scipy)"; peer_ok=0
fi

# run_peer GRID TASK: the peer's RESULT line into $tmp/peer_GRID_TASK.txt,
# or "TIMEOUT" when it ran out of time
run_peer() {
    local n=$1 task=$2 rc=0 out="$tmp/peer_$1_$2.txt"
    echo "== peer: $PEER_PYTHON $PEER -N $n $task (time limit ${PEER_TIMEOUT} s)"
    timeout "$PEER_TIMEOUT" "$PEER_PYTHON" "$PEER" -N "$n" "$task" >"$out" 2>&1 || rc=$?
    if (( rc == 124 )); then
        echo "   peer $task N=$n: no result within $PEER_TIMEOUT s"
        echo TIMEOUT >"$out"
    elif (( rc != 0 )); then
        cat "$out"; echo "fokker_planck.sh: peer $task N=$n failed (exit $rc)" >&2; exit 1
    else
        grep '^RESULT' "$out"
    fi
}

grids=("$N")
[[ -n "$QUICK_N" && "$QUICK_N" != "$N" ]] && grids+=("$QUICK_N")
for n in "${grids[@]}"; do
    echo "== hyperland: $bench $n"
    "$bench" "$n" | tee "$tmp/hl_$n.txt"
    if [[ -n "$HL_BDF" ]]; then
        echo "== hyperland, CVODE BDF path: HL_GRIDCHAIN_CVODE=1 $bench $n"
        HL_GRIDCHAIN_CVODE=1 "$bench" "$n" | tee "$tmp/hlbdf_$n.txt"
    fi
    if (( peer_ok )); then
        for task in $PEER_TASKS; do
            run_peer "$n" "$task"
        done
    fi
done

# ---------------------------------------------------------------- table
# field FILE KEY FIELD: FIELD= of the line whose second word is KEY
field() {
    [[ -f "$1" ]] || return 0
    awk -v k="$2" -v f="$3=" '$2 == k { for (i = 3; i <= NF; i++)
        if (index($i, f) == 1) { print substr($i, length(f) + 1); exit } }' "$1"
}
row() { # row GRID TASK [hyperland output prefix, label suffix]
    local n=$1 task=$2
    local hf="$tmp/${3:-hl}_$n.txt" pf="$tmp/peer_${n}_$2.txt"
    local h hs p agree="-"
    h=$(field "$hf" "name=fp-paper-phi-$task" wall_s)
    [[ -n "$h" ]] || return 0
    if [[ $task == spectrum ]]; then # count the grid set-up as hyperland's assembly
        hs=$(field "$hf" "name=fp-paper-phi-$task" setup_s)
        h=$(awk -v a="$h" -v b="$hs" 'BEGIN { printf "%.3f", a + b }')
    fi
    if [[ -f "$pf" ]] && grep -q '^TIMEOUT' "$pf"; then
        p=">$PEER_TIMEOUT"
    else
        p=$(field "$pf" "task=fp-$task" wall_s)
        [[ -n "$p" ]] || p=-
    fi
    if [[ $task == spectrum && $p != - && $p != \>* ]]; then
        # largest relative difference over the rates hyperland resolves
        agree=$(awk -v a="$(field "$hf" "name=fp-paper-phi-$task" rates)" \
                    -v b="$(field "$pf" "task=fp-$task" rates)" 'BEGIN {
            n = split(a, x, ","); split(b, y, ","); m = 0; k = 0
            for (i = 1; i <= n; i++) if (x[i] != "nan" && x[i] + 0 > 0) {
                d = (x[i] - y[i]) / x[i]; d = (d < 0 ? -d : d) + 0; if (d > m) m = d; k++ }
            printf "rates: max rel diff %.1e over %d", m, k }')
    elif [[ $task == evolve && $p != - && $p != \>* ]]; then
        agree=$(awk -v hx="$(field "$hf" "name=fp-paper-phi-$task" mean_x)" \
                    -v hy="$(field "$hf" "name=fp-paper-phi-$task" mean_y)" \
                    -v px="$(field "$pf" "task=fp-$task" mean_x)" \
                    -v py="$(field "$pf" "task=fp-$task" mean_y)" 'BEGIN {
            dx = (hx - px) / hx; dy = (hy - py) / hy; dx = (dx < 0 ? -dx : dx) + 0; dy = (dy < 0 ? -dy : dy) + 0
            printf "<x>, <y>: rel diff %.1e, %.1e", dx, dy }')
    fi
    awk -v l="$task N=$n${4:-}" -v h="$h" -v p="$p" -v a="$agree" 'BEGIN {
        if (p ~ /^>/) { ratio = sprintf("> %.1fx", substr(p, 2) / h); ps = "> " substr(p, 2) }
        else if (p != "-" && h + 0 > 0) { ratio = sprintf("%.1fx", p / h); ps = sprintf("%.3f", p) }
        else { ratio = "-"; ps = "-" }
        printf "%-22s %12.3f %10s %9s   %s\n", l, h, ps, ratio, a }'
}
echo
echo "== hyperland vs peer, paper phi, D = 100, beta = 0.773 (wall seconds; ratio = peer / hyperland)"
printf "%-22s %12s %10s %9s   %s\n" task hyperland_s peer_s ratio agreement
for n in "${grids[@]}"; do
    row "$n" spectrum
    row "$n" evolve
    [[ -n "$HL_BDF" ]] && row "$n" evolve hlbdf " (hl BDF)"
done
echo
for n in "${grids[@]}"; do
    hr=$(field "$tmp/hl_$n.txt" name=fp-paper-phi-spectrum rates)
    res=$(field "$tmp/hl_$n.txt" name=fp-paper-phi-spectrum resolution)
    pr=$(field "$tmp/peer_${n}_spectrum.txt" task=fp-spectrum rates)
    echo "N=$n rates  hyperland: $hr (resolution $res)"
    [[ -n "$pr" ]] && echo "N=$n rates  peer:      $pr"
    hx=$(field "$tmp/hl_$n.txt" name=fp-paper-phi-evolve mean_x)
    hy=$(field "$tmp/hl_$n.txt" name=fp-paper-phi-evolve mean_y)
    he=$(field "$tmp/hl_$n.txt" name=fp-paper-phi-evolve sum_error)
    echo "N=$n t=10   hyperland: <x> = $hx, <y> = $hy, |sum - 1| = $he" \
         "($(field "$tmp/hl_$n.txt" name=fp-paper-phi-evolve steps) steps," \
         "$(field "$tmp/hl_$n.txt" name=fp-paper-phi-evolve lu) LU," \
         "$(field "$tmp/hl_$n.txt" name=fp-paper-phi-evolve krylov) Krylov)"
    if [[ -f "$tmp/hlbdf_$n.txt" ]]; then
        echo "N=$n t=10   hyperland BDF: <x> = $(field "$tmp/hlbdf_$n.txt" name=fp-paper-phi-evolve mean_x)," \
             "<y> = $(field "$tmp/hlbdf_$n.txt" name=fp-paper-phi-evolve mean_y)," \
             "|sum - 1| = $(field "$tmp/hlbdf_$n.txt" name=fp-paper-phi-evolve sum_error)" \
             "($(field "$tmp/hlbdf_$n.txt" name=fp-paper-phi-evolve steps) steps," \
             "$(field "$tmp/hlbdf_$n.txt" name=fp-paper-phi-evolve lu) LU," \
             "$(field "$tmp/hlbdf_$n.txt" name=fp-paper-phi-evolve krylov) Krylov)"
    fi
    px=$(field "$tmp/peer_${n}_evolve.txt" task=fp-evolve mean_x)
    if [[ -n "$px" ]]; then
        pe="$tmp/peer_${n}_evolve.txt"
        echo "N=$n t=10   peer:      <x> = $px, <y> = $(field "$pe" task=fp-evolve mean_y)," \
             "|sum - 1| = $(field "$pe" task=fp-evolve sum_error) ($(field "$pe" task=fp-evolve nfev)" \
             "f-evaluations, $(field "$pe" task=fp-evolve nlu) LU)"
    fi
done
echo "(hyperland spectrum seconds = setup_s + wall_s, i.e. grid set-up included, as the peer's"
echo " wall_s includes its assembly; agreement is computed from the printed 10 significant digits;"
echo " the rates hyperland returns as 0 or nan (below its resolution) are not compared)"
exit 0
