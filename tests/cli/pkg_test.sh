#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# pkg branch: --threads N on every command.  usage: pkg_test.sh HYPERLAND TEST
#   threads_options     --threads on every command's --help and option list;
#                       bad counts refused
#   threads_identical   commands whose numbers do not depend on the thread
#                       count: the JSON of --threads 1 and 2 byte for byte equal
#   threads_resolution  commands that use OpenBLAS's dense kernels: the
#                       numbers of --threads 1 and 2 agree within each
#                       rate's own stated error bound (README: Threads)
. "$(dirname "$0")/lib.sh" "$@"
COMMANDS="phases exact spectrum mfpt evolve fokker-planck compare gaussian paper"
PHI2='x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y'

case "$T" in
threads_options)
    for c in $COMMANDS; do
        "$H" $c --help >out.txt 2>&1 || fail "$c --help exit code"
        grep -q -- '--threads N' out.txt || fail "$c --help does not show --threads"
    done
    "$H" --help | grep -q -- '--threads' || fail "top-level help does not name --threads"
    for n in 0 -1 1025 x 2.5 '' 99999999999999999999; do
        EXPECT_RC=2 expect_error exact --dim 10 --beta 1 --threads "$n"
        grep -q -- '--threads' err.txt || fail "message does not name --threads: $(cat err.txt)"
    done
    EXPECT_RC=2 expect_error spectrum --dim 10 --beta 1 --threads
    # accepted on every command (a bad other option still refused after it)
    for c in $COMMANDS; do
        "$H" $c --threads 2 --help >out.txt 2>err.txt || fail "$c --threads 2 --help"
        [ ! -s err.txt ] || fail "$c --threads 2: stderr $(cat err.txt)"
    done
    "$H" exact --dim 10 --beta 1 --threads 1 >out.txt || fail "exact --threads 1"
    "$H" exact --dim 10 --beta 1 --threads=1024 >out.txt || fail "exact --threads=1024"
    ;;
threads_identical)
    i=0
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        i=$((i + 1))
        eval "set -- $line"
        "$H" "$@" --json --threads 1 >a$i.json 2>a$i.err || fail "--threads 1: $line: $(cat a$i.err)"
        "$H" "$@" --json --threads 2 >b$i.json 2>b$i.err || fail "--threads 2: $line: $(cat b$i.err)"
        [ -s a$i.json ] || fail "no output: $line"
        cmp -s a$i.json b$i.json || fail "--threads 1 and 2 differ: $line: $(diff a$i.json b$i.json | head -c 600)"
    done <<EOF2
phases
phases --phi '$PHI2' --beta-min 0.3 --beta-max 2 --points 300
exact --dim 1000 --beta 0.8
exact --dim 100 --melting
exact --dim 60 --beta 0.8 --phi '$PHI2'
spectrum --dim 100 --beta 0.8
spectrum --dim 20 --beta 0.8 --full
mfpt --dim 100 --beta 0.8
mfpt --dim 60 --beta 0.8 --phi '$PHI2'
mfpt --dim 40 --beta 0.9 --committor q.csv
mfpt --dim 40 --beta 0.8 --transmission '1+0.5*x*y'
evolve --dim 100 --beta 0.8 --from liquid --times 1,10,100
evolve --dim 40 --beta 0.8 --from liquid --times 1,10,1e6 --transmission '1+0.5*x*y'
gaussian --dim 100 --beta 0.5 --exact
EOF2
    ;;
threads_resolution)
    # rates within max(their relative error bound x rate, the absolute
    # resolution); every other number within 1e-9 relative
    i=0
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        i=$((i + 1))
        eval "set -- $line"
        "$H" "$@" --json --threads 1 >a$i.json 2>a$i.err || fail "--threads 1: $line: $(cat a$i.err)"
        "$H" "$@" --json --threads 2 >b$i.json 2>b$i.err || fail "--threads 2: $line: $(cat b$i.err)"
        python3 - a$i.json b$i.json "$line" <<'PY' || fail "--threads 1 and 2 differ beyond the stated resolution: $line"
import json, math, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
bad = []
res = max(a.get("resolution") or 0.0, b.get("resolution") or 0.0)
rel = a.get("relative_errors") or [0.0] * len(a.get("rates", []))
def walk(x, y, path):
    if isinstance(x, dict):
        if set(x) != set(y):
            bad.append((path, "keys differ"))
        for k in x:
            if k != "provenance":
                walk(x[k], y.get(k), f"{path}.{k}")
    elif isinstance(x, list):
        if not isinstance(y, list) or len(x) != len(y):
            bad.append((path, "lengths differ")); return
        for i, (u, v) in enumerate(zip(x, y)):
            walk(u, v, f"{path}[{i}]")
    elif isinstance(x, float) or isinstance(y, float):
        if not isinstance(y, (int, float)):
            bad.append((path, f"{x!r} vs {y!r}")); return
        if path.startswith(".rates["):
            k = int(path[7:-1])
            tol = max(res, (rel[k] or 0.0) * abs(x))
        elif path == ".relative_error":
            return  # the bound of the dense rate that the exact tunnelling rate replaces
        else:
            tol = 1e-9 * max(abs(x), abs(y))
        if not abs(x - y) <= tol:
            bad.append((path, f"{x!r} vs {y!r}, tolerance {tol:.3g}"))
    elif x != y:
        bad.append((path, f"{x!r} vs {y!r}"))
walk(a, b, "")
for p, m in bad[:10]:
    print(f"  {sys.argv[3]}: {p}: {m}")
sys.exit(1 if bad else 0)
PY
    done <<EOF2
spectrum --dim 40 --beta 0.8 --transmission '1+0.5*x*y'
spectrum --dim 140 --beta 0.8 --transmission '1+0.5*x*y' --count 6
spectrum --dim 10 --beta 0.8 --full --method matrix-free
fokker-planck --dim 100 --beta 0.8 --grid 60
fokker-planck --dim 100 --beta 0.8 --grid 100
EOF2
    ;;
*) fail "unknown test $T" ;;
esac
exit 0
