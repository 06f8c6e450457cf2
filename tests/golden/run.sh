#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/golden/run.sh -- numeric regression harness of the hyperland CLI (issue 9).
# Runs every case of commands.txt in an empty directory and compares its stdout and
# the files it writes with expected/NAME/ by compare.py (every number to 1e-12
# relative unless a '#tol' directive says otherwise; see commands.txt).
# usage: run.sh HYPERLAND [--update] [NAME...]
#   --update  rewrite expected/ from this binary (only for an intended, explained change)
#   NAME...   run only these cases
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
H=${1:?usage: run.sh HYPERLAND [--update] [NAME...]}
H=$(cd "$(dirname "$H")" && pwd)/$(basename "$H")
shift
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
only=" $* "
work=$(mktemp -d "${TMPDIR:-/tmp}/hl-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT
# inputs by a relative path, so that the paths echoed in the outputs do not depend on
# where the tree is checked out
cp -R "$here/inputs" "$work/in"
IN=../../in
export IN
py=${PYTHON:-python3}
fails=0 ran=0 tol="" ignore=""
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
        "#tol "*) tol=${line#\#tol }; continue ;;
        "#ignore "*) ignore=${line#\#ignore }; continue ;;
        "#"* | "") continue ;;
    esac
    name=$(printf '%s' "${line%%|*}" | tr -d '[:space:]')
    args=${line#*|}
    if [ "$only" != "  " ] && [[ "$only" != *" $name "* ]]; then tol="" ignore=""; continue; fi
    d=$work/$name
    mkdir -p "$d/out"
    start=$(date +%s.%N)
    # the arguments are shell words (quoted formulas, $IN): evaluate them as such
    (cd "$d/out" && eval "exec \"\$H\" $args" >"$d/stdout" 2>"$d/stderr")
    rc=$?
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    ran=$((ran + 1))
    if [ $rc -ne 0 ]; then
        echo "FAIL $name: exit $rc (${secs}s): $(head -c 300 "$d/stderr")"
        fails=$((fails + 1)); tol="" ignore=""; continue
    fi
    # stdout is stored as stdout.json or stdout.csv by its form
    if [ -s "$d/stdout" ]; then
        if [ "$(head -c 1 "$d/stdout")" = "{" ]; then mv "$d/stdout" "$d/out/stdout.json"
        else mv "$d/stdout" "$d/out/stdout.csv"; fi
    fi
    if [ $update = 1 ]; then
        rm -rf "$here/expected/$name"; mkdir -p "$here/expected/$name"
        cp "$d/out/"* "$here/expected/$name/"
        echo "updated $name (${secs}s)"
    else
        opts=()
        [ -n "$tol" ] && opts+=(--tol $tol)
        [ -n "$ignore" ] && opts+=(--ignore "$ignore")
        if msg=$("$py" "$here/compare.py" "${opts[@]}" "$here/expected/$name" "$d/out" 2>&1); then
            echo "ok   $name (${secs}s)"
        else
            echo "FAIL $name (${secs}s):"; printf '%s\n' "$msg" | sed 's/^/     /'
            fails=$((fails + 1))
        fi
    fi
    tol="" ignore=""
done <"$here/commands.txt"
if [ $ran = 0 ]; then echo "no case ran"; exit 1; fi
echo "$ran case(s), $fails failure(s)"
[ $fails = 0 ]
