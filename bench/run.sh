#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/run.sh -- build the Release benchmark, run it and the NumPy/SciPy peer
# in the same run, and print the speed-up table.
#
# usage: bench/run.sh [bench_equilibrium arguments...]
#   e.g. bench/run.sh                  all stages
#        bench/run.sh trace,lnz        only those stages (peer rows for the
#                                      others print "-")
#        bench/run.sh blocks-kinetics [CASE...]
#                                      the kinetics of --blocks K beside its
#                                      SciPy peer (bench/blocks_kinetics.sh:
#                                      rates mfpt network evolve fp kmc mpmath)
# environment:
#   PEER=/path/peer.py      the peer (default /work/shared/peer/peer.py)
#   PEER_PYTHON=...         its interpreter (default /usr/bin/python3)
#   PEER_REPEAT=N           runs of each peer task; the median is used (default 3)
#   NO_PEER=1               skip the peer
#   BUILD_DIR=...           build tree (default build-bench, in the repo root)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

# the other benchmarks with their own script
case "${1:-}" in
blocks-kinetics) shift; exec bash "$here/blocks_kinetics.sh" "$@" ;;
esac

PEER=${PEER:-/work/shared/peer/peer.py}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
PEER_REPEAT=${PEER_REPEAT:-3}
BUILD_DIR=${BUILD_DIR:-build-bench}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------- build
if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]] ||
   ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD_DIR/CMakeCache.txt"; then
    echo "== configuring $BUILD_DIR (Release)"
    cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >"$tmp/configure.log" 2>&1 || {
        cat "$tmp/configure.log" >&2
        echo "run.sh: cmake configure failed" >&2
        exit 1
    }
fi
echo "== building bench_equilibrium"
cmake --build "$BUILD_DIR" -j2 --target bench_equilibrium >/dev/null || {
    cmake --build "$BUILD_DIR" -j1 --target bench_equilibrium >&2 || true
    echo "run.sh: build failed" >&2
    exit 1
}
bench="$BUILD_DIR/bench/bench_equilibrium"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"

# ---------------------------------------------------------------- hyperland
echo "== hyperland: $bench $*"
"$bench" "$@" | tee "$tmp/hl.txt"

# ---------------------------------------------------------------- peer
peer_ok=1
if [[ -n "${NO_PEER:-}" ]]; then
    echo "== peer skipped (NO_PEER set)"
    peer_ok=0
elif [[ ! -f "$PEER" ]]; then
    echo "== peer skipped: $PEER not found"
    peer_ok=0
elif ! "$PEER_PYTHON" -c 'import numpy, scipy' >/dev/null 2>&1; then
    echo "== peer skipped: $PEER_PYTHON cannot import numpy and scipy" \
         "(apt-get install -y python3-numpy python3-scipy)"
    peer_ok=0
fi

have_time=0
[[ -x /usr/bin/time ]] && have_time=1
if (( peer_ok )); then
    for task in trace lnz; do
        # only the peer tasks that have a hyperland counterpart in this run
        grep -q "^BENCH name=$task" "$tmp/hl.txt" || continue
        for ((r = 1; r <= PEER_REPEAT; r++)); do
            echo "== peer: $PEER_PYTHON $PEER $task (run $r/$PEER_REPEAT)"
            if (( have_time )); then
                /usr/bin/time -f 'PEERMEM maxrss_kb=%M' -o "$tmp/time.txt" \
                    "$PEER_PYTHON" "$PEER" "$task" >"$tmp/out.txt" 2>&1 || {
                    cat "$tmp/out.txt"; echo "run.sh: peer $task failed" >&2; exit 1; }
                cat "$tmp/time.txt" >>"$tmp/out.txt"
            else
                "$PEER_PYTHON" "$PEER" "$task" >"$tmp/out.txt" 2>&1 || {
                    cat "$tmp/out.txt"; echo "run.sh: peer $task failed" >&2; exit 1; }
            fi
            if (( r == 1 )); then cat "$tmp/out.txt"; else grep -E '^(RESULT|PEERMEM)' "$tmp/out.txt"; fi
            sed -n "s/^RESULT task=$task .*wall_s=\([0-9.eE+-]*\).*/\1/p" "$tmp/out.txt" >>"$tmp/peer_$task.txt"
            sed -n 's/^PEERMEM maxrss_kb=\([0-9]*\).*/\1/p' "$tmp/out.txt" >>"$tmp/peermem_$task.txt"
        done
    done
fi

# ---------------------------------------------------------------- table
# median of the numbers in a file (one per line), "-" if none
median() {
    [[ -s "$1" ]] || { echo -; return; }
    sort -g "$1" | awk '{v[NR] = $1} END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
hl_field() { # hl_field NAME FIELD  (from the BENCH/MEM lines)
    awk -v n="name=$1" -v f="$2=" '$2 == n {
        for (i = 3; i <= NF; i++) if (index($i, f) == 1) { print substr($i, length(f) + 1); exit } }' "$tmp/hl.txt"
}
p_trace=$(median "$tmp/peer_trace.txt" 2>/dev/null || echo -)
p_lnz=$(median "$tmp/peer_lnz.txt" 2>/dev/null || echo -)
pm_trace=$(median "$tmp/peermem_trace.txt" 2>/dev/null || echo -)
pm_lnz=$(median "$tmp/peermem_lnz.txt" 2>/dev/null || echo -)

row() { # row LABEL HL_NAME PEER_SECONDS TARGET PEER_RSS_KB
    local h m
    h=$(hl_field "$2" wall_s); m=$(hl_field "$2" peak_rss_kb)
    [[ -n "$h" ]] || return 0   # stage not run
    awk -v l="$1" -v h="${h:--}" -v p="$3" -v t="$4" -v m="${m:--}" -v pm="$5" 'BEGIN {
        if (h != "-" && p != "-" && h + 0 > 0) {
            r = p / h; ratio = sprintf("%.1fx", r); st = (r >= t) ? "PASS" : "BELOW"
        } else { ratio = "-"; st = "-" }
        hs = (h == "-") ? "-" : sprintf("%.4f", h); ps = (p == "-") ? "-" : sprintf("%.4f", p)
        ms = (m == "-") ? "-" : sprintf("%.1f", m / 1024); pms = (pm == "-") ? "-" : sprintf("%.1f", pm / 1024)
        printf "%-26s %12s %10s %9s %7s  %-6s %10s %10s\n", l, hs, ps, ratio, t "x", st, ms, pms }'
}
echo
echo "== hyperland vs peer (median wall seconds per task; ratio = peer / hyperland)"
printf "%-26s %12s %10s %9s %7s  %-6s %10s %10s\n" task hyperland_s peer_s ratio target status hl_MB peer_MB
row "trace (default phi)"     trace       "$p_trace" 50 "$pm_trace"
row "trace (formula phi)"    trace-expr  "$p_trace" 50 "$pm_trace"
row "lnz D=2000 (separable)"  lnz         "$p_lnz"   20 "$pm_lnz"
row "lnz D=2000 (general 2-D)" lnz-general "$p_lnz"  20 "$pm_lnz"
row "  diag: general, built-in" lnz-general-builtin "$p_lnz" 20 "$pm_lnz"
echo
echo "peak memory (MB = peak RSS of the stage's process; peer: whole interpreter):"
awk '$1 == "MEM" { n = $2; sub("name=", "", n); for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
     printf "  %-20s peak %7.1f MB  base %5.1f MB  data %9.3f MB  peak/data %7.2f  (peak-base)/data %7.2f\n",
            n, v["peak_rss_kb"] / 1024, v["base_rss_kb"] / 1024, v["data_bytes"] / 1048576, v["ratio"], v["ratio_above_base"] }' "$tmp/hl.txt"
big=$(awk '$1 == "BENCH" && $2 ~ /name=exact-D/ { n = $2; sub("name=", "", n); w = $4; sub("wall_s=", "", w); printf "%s%s %.4f s", sep, n, w; sep = ", " }' "$tmp/hl.txt")
[[ -n "$big" ]] && echo "single exact computations (beta = 1, default phi, incl. plan): $big"
exit 0
