# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh -- shared set-up and helpers of the CLI test scripts.
# Source it first: `. "$(dirname "$0")/lib.sh" "$@"`; it reads HYPERLAND TEST
# from the arguments, and runs the test in a fresh directory removed at exit.
set -u
H="$1"
T="$2"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
fail() { echo "FAIL [$T]: $*"; exit 1; }

# json_num KEY FILE: the first number after "KEY":
json_num() { grep -o "\"$1\": [-0-9.eE+]*" "$2" | head -1 | sed 's/.*: //'; }
# close A B TOL: |A - B| <= TOL
close() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

# expect_error ARGS...: a refusal -- non-zero exit (EXPECT_RC if set), one line
# on stderr, stdout empty, within EXPECT_TIMEOUT seconds (default 300), and
# no file left in the work directory but those matching KEEP (an extended
# regular expression; default: out.txt and err.txt).
KEEP='^(out|err)\.txt$'
expect_error() {
    timeout "${EXPECT_TIMEOUT:-300}" "$H" "$@" >out.txt 2>err.txt
    rc=$?
    [ $rc -ne 124 ] || fail "still running after ${EXPECT_TIMEOUT:-300} s: ${*:0:200}"
    [ $rc -ne 0 ] || fail "exit 0 for: ${*:0:200}"
    [ -z "${EXPECT_RC:-}" ] || [ $rc -eq "$EXPECT_RC" ] ||
        fail "exit $rc (expected $EXPECT_RC) for: ${*:0:200}"
    [ "$(wc -l <err.txt)" -eq 1 ] || fail "stderr is not one line for: ${*:0:200} -> $(head -c 300 err.txt)"
    [ ! -s out.txt ] || fail "stdout not empty for: ${*:0:200}"
    left=$(ls -A | grep -vE "$KEEP" || true)
    [ -z "$left" ] || fail "files left behind for: ${*:0:200}: $left"
}
