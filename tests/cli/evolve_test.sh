#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the evolve branch (issue 8, items 3 and 7): long times and
# constant protocols.  usage: evolve_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
# the population of basin NAME at the last point of a trajectory JSON
last_p() { grep -o "\"name\": \"$1\", \"probability\": [-0-9.eE+]*" "$2" | tail -1 | sed 's/.*: //'; }
# the largest sum_error of a trajectory JSON
max_sum_err() { grep -o '"sum_error": [-0-9.eE+]*' "$1" | sed 's/.*: //' | sort -g | tail -1; }
KEEP='^(out|err)\.txt$|\.csv$|\.json$'

case "$T" in
long_times)
    # references: tests/ref/evolve_long_times.py (mpmath eigendecomposition)
    "$H" evolve --dim 100 --beta 0.8 --from liquid --times 0,1e10,1e15,1e20,1e25,1e28,1e29 --json >a.json ||
        fail "D = 100 exit code"
    close "$(last_p liquid a.json)" 0.377220216314685 1e-8 || fail "D = 100: P(liquid) $(last_p liquid a.json)"
    close "$(max_sum_err a.json)" 0 1e-12 || fail "D = 100: sum error $(max_sum_err a.json)"
    "$H" evolve --dim 200 --beta 0.8 --from liquid --times 0,1e29 --json >b.json || fail "D = 200 exit code"
    close "$(last_p liquid b.json)" 0.5108668371047 1e-8 || fail "D = 200: P(liquid) $(last_p liquid b.json)"
    "$H" evolve --dim 20 --beta 0.8 --from liquid --times 0,1e30 --json >c.json || fail "D = 20 at 1e30"
    close "$(last_p liquid c.json)" 0.461034677834761 1e-8 || fail "D = 20: P(liquid) $(last_p liquid c.json)"
    # Fokker-Planck: 1e30 is the grid's equilibrium, the start equilibrium:0.8
    "$H" fokker-planck --dim 100 --beta 0.8 --grid 60 --rates 0 --from liquid --times 0,1e10,1e20,1e30 \
        --json >f.json || fail "fokker-planck exit code"
    "$H" fokker-planck --dim 100 --beta 0.8 --grid 60 --rates 0 --from equilibrium:0.8 --times 0 \
        --json >g.json || fail "fokker-planck equilibrium"
    x1=$(grep -o '"mean_x": [-0-9.eE+]*' f.json | tail -1 | sed 's/.*: //')
    close "$x1" "$(json_num mean_x g.json)" 1e-10 || fail "fokker-planck <x> at 1e30: $x1"
    # a protocol that varies up to 1e30: a clear error, not a number
    printf 't,beta\n0,0.8\n1e30,0.9\n' >ph.csv
    expect_error evolve --dim 20 --protocol ph.csv --from liquid --times 0,1e10,1e30
    expect_error fokker-planck --dim 20 --grid 30 --rates 0 --protocol ph.csv --from liquid --times 0,1e10,1e30
    ;;
constant_protocol)
    printf 't,beta\n0,0.5\n100,0.5\n' >p2.csv
    printf '# three rows in T\nt,T\n0,2\n1,2\n300,2\n' >p3.csv
    printf 't,beta\n0,0.5\n' >p1.csv
    "$H" fokker-planck --dim 20 --beta 0.5 --grid 40 --from crystal --times 0,1,200 --rates 0 --output ref.csv \
        --json >ref.json || fail "fokker-planck --beta"
    close "$(last_p liquid ref.json)" 0.87684806 5e-9 || fail "fokker-planck P(liquid) $(last_p liquid ref.json)"
    for p in p1 p2 p3; do
        "$H" fokker-planck --dim 20 --protocol $p.csv --grid 40 --from crystal --times 0,1,200 --rates 0 \
            --output fp_$p.csv >/dev/null || fail "fokker-planck --protocol $p.csv"
        diff <(grep -v '^#' ref.csv) <(grep -v '^#' fp_$p.csv) >/dev/null ||
            fail "fokker-planck: the constant protocol $p differs from --beta"
    done
    for phi in '' 'x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.1*x*y'; do
        set -- ${phi:+--phi "$phi"}
        "$H" evolve --dim 20 --beta 0.5 --from crystal --times 0,1,200,1e30 "$@" --output eref.csv >/dev/null ||
            fail "evolve --beta"
        for p in p1 p2 p3; do
            "$H" evolve --dim 20 --protocol $p.csv --from crystal --times 0,1,200,1e30 "$@" --output ev_$p.csv \
                >/dev/null || fail "evolve --protocol $p.csv"
            diff <(grep -v '^#' eref.csv) <(grep -v '^#' ev_$p.csv) >/dev/null ||
                fail "evolve: the constant protocol $p differs from --beta (phi '$phi')"
        done
    done
    # rows with equal times: one clear error
    printf 't,beta\n0,0.5\n0,0.5\n' >pe.csv
    expect_error fokker-planck --dim 20 --protocol pe.csv --grid 40 --from crystal --times 0,1 --rates 0
    expect_error evolve --dim 20 --protocol pe.csv --from crystal --times 0,1
    ;;
*)
    fail "unknown test $T"
    ;;
esac
echo "PASS [$T]"
