#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the scanfast branch (issue 13, speed of `scan`): the rates run
# in parallel and the output is the same, digit for digit, for --threads 1
# and 2, for three phi, B and starts.
# usage: scanfast_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"

# the scans of a JSON output without its timing and provenance
strip() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(json.dumps([d["scans"], d["dim"], d["transmission"]], sort_keys=True))' "$1"
}

case "$T" in
threads_identical)
    for args in "--dim 40 --transmission exp(-3*y^2/T)" \
                "--dim 40 --phi x*y-0.3*y^2+0.5*x --transmission exp(-0.3/(T*(2+y)))" \
                "--dim 40 --transmission 1/(1+exp((y-x)/T)) --start liquid"; do
        # shellcheck disable=SC2086
        for t in 1 2; do
            "$H" scan $args --t-high 2 --t-low 0.4 --cooling-rates 0.1,0.1,1,0.01 --reheat \
                --points 21 --threads $t --json >s$t.json || fail "scan $args --threads $t"
            strip s$t.json >c$t.txt || fail "json of $args"
            [ $t = 1 ] || cmp -s c1.txt c$t.txt || fail "--threads $t differs from 1: $args"
        done
    done
    ;;
*) fail "unknown test $T" ;;
esac
