#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Build the libFuzzer targets of tests/fuzz with clang (ASan + UBSan, in
# build-fuzz/ or $HL_FUZZ_BUILD) and run each for RUNS executions, one after
# the other, at nice 10.  A crash, sanitizer report, leak,
# violated property or input slower than 30 s stops the script; the input is kept as
# build-fuzz/fuzz-work/<target>-crash-*.
#
# usage: sh tests/fuzz/run.sh [-n RUNS] [-m] [TARGET...]
#   -n RUNS  executions per target (default 1000000)
#   -m       then merge what the run found into tests/fuzz/corpus/<target>
#            (libFuzzer -merge=1 -use_counters=0: only inputs that reach new
#            edges are added, which keeps each corpus to tens of files)
#   TARGET   phi transmission expr protocol start options network
#            blocks_start (default: all)
set -e
cd "$(dirname "$0")/../.."
RUNS=1000000
MERGE=0
while getopts n:m opt; do
    case $opt in
    n) RUNS=$OPTARG ;;
    m) MERGE=1 ;;
    *) sed -n '2,15p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
TARGETS=${*:-phi transmission expr protocol start options network blocks_start}
B=${HL_FUZZ_BUILD:-build-fuzz}

cmake -S . -B "$B" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHL_FUZZ=ON >/dev/null
for t in $TARGETS; do
    nice -n 10 cmake --build "$B" -j2 --target "fuzz_$t" >/dev/null
done

# a small ASan quarantine keeps the memory of a long run flat
export ASAN_OPTIONS="quarantine_size_mb=32${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p "$B/fuzz-work"
for t in $TARGETS; do
    case $t in
    phi | transmission | expr) opts="-max_len=64 -dict=tests/fuzz/formula.dict" ;;
    protocol) opts="-max_len=1200 -dict=tests/fuzz/csv.dict" ;;   # lines: 1023 chars
    start) opts="-max_len=4200 -dict=tests/fuzz/csv.dict" ;;      # lines: 4095 chars
    blocks_start) opts="-max_len=4400 -dict=tests/fuzz/blocks.dict" ;; # lines: 4095 chars
    network) opts="-max_len=4096 -dict=tests/fuzz/network.dict" ;; # four files in one input
    *) opts="-max_len=1100 -dict=tests/fuzz/csv.dict" ;;
    esac
    work="$B/fuzz-work/$t"
    log="$B/fuzz-work/$t.log"
    mkdir -p "$work"
    t0=$(date +%s)
    # -close_fd_mask=3: the parsers' own messages are dropped; libFuzzer and the sanitizers still report
    if ! nice -n 10 "$B/tests/fuzz/fuzz_$t" -runs="$RUNS" -timeout=30 -close_fd_mask=3 \
        -print_final_stats=1 -artifact_prefix="$B/fuzz-work/$t-" $opts \
        "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "fuzz_$t: FAILED (log: $log)"
        exit 1
    fi
    t1=$(date +%s)
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep DONE "$log" | grep -o 'cov: [0-9]*')
    echo "fuzz_$t: $n executions in $((t1 - t0)) s, $cov (log: $log)"
    if [ "$MERGE" = 1 ]; then
        nice -n 10 "$B/tests/fuzz/fuzz_$t" -merge=1 -use_counters=0 -close_fd_mask=3 $opts \
            "tests/fuzz/corpus/$t" "$work" >>"$log" 2>&1
        echo "fuzz_$t: corpus now $(ls "tests/fuzz/corpus/$t" | wc -l) files"
    fi
done
