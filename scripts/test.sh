#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# All tests: install what is missing (python3, mpmath, numpy, SciPy and Open MPI for the
# tests only), build, run ctest on every core; then the same under
# AddressSanitizer + UBSan.
set -e
cd "$(dirname "$0")/.."
sh scripts/deps.sh python3 python3-mpmath python3-numpy python3-scipy openmpi-bin libopenmpi-dev
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="-Werror" >/dev/null
cmake --build build -j "$(nproc)"
ctest --test-dir build -j "$(nproc)" --output-on-failure
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHL_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$(nproc)"
# under the sanitizers: the unit, fuzz-replay, example and install tests, and
# the CLI tests of bad input and output (errors, breaker, json); the other
# CLI scripts spend their time in Python reference computations and run in
# the first pass (all of it here took CI past 30 minutes on 2 cores)
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan -j "$(nproc)" --output-on-failure -L 'unit|fuzz|example|install'
ctest --test-dir build-asan -j "$(nproc)" --output-on-failure -R '^cli_.*(errors|breaker|json)'
