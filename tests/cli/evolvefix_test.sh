#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the evolvefix branch: evolve and evolve --blocks at huge rate
# ratios (within-basin rates e^57 and beyond, across-basin e^-177): the
# switch to the slowest mode came before the other modes had decayed (an
# eigensolver's lambda2 or lambda1 far off), and the Krylov exponential lost
# the slow mode.  References: mpmath, 400 digits, exp(L t) of the two
# birth-death chains of the product path (Q = P_a (x) P_b) at t = 1; past
# t = 1 the slowest rate (e^-177 at D = 12, beta = 20) moves nothing.
# usage: evolvefix_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
# KEY of the last point of a JSON trajectory
last() { grep -o "\"$1\": [-0-9.eE+]*" "$2" | tail -1 | sed 's/.*: //'; }
# KEY at every point
all() { grep -o "\"$1\": [-0-9.eE+]*" "$2" | sed 's/.*: //'; }
# every_close KEY FILE REF TOL: every point's KEY within TOL of REF (t > 0)
every_close() {
    n=0
    for v in $(all "$1" "$2" | tail -n +2); do
        close "$v" "$3" "$4" || fail "$2: $1 = $v, not $3"
        n=$((n + 1))
    done
    [ $n -gt 0 ] || fail "$2: no $1"
}

case "$T" in
product)
    # D beta start <x> <phi> (mpmath)
    while read -r D b from x phi; do
        f=e_${D}_${b}_${from%%:*}.json
        "$H" evolve --dim "$D" --beta "$b" --from "$from" --times 0,1,1e5,1e10 --json >"$f" ||
            fail "evolve --dim $D --beta $b --from $from: exit code"
        every_close mean_x "$f" "$x" 1e-8
        every_close mean_phi "$f" "$phi" 1e-8
    done <<'REF'
12 20 infinite-temperature -0.343750000002736 -1.80096000000014
12 17 infinite-temperature -0.34375000009944 -1.80096000000509
12 30 infinite-temperature -0.34375 -1.80096
20 17 infinite-temperature -0.305599561762365 -1.79900669756223
20 20 infinite-temperature -0.313834892294866 -1.7994283464855
12 20 equilibrium:0.5 -0.380172511797522 -1.80282483260403
REF
    # D = 12, beta = 20: within-basin rates e^57, settled from t = 1e-6 on
    "$H" evolve --dim 12 --beta 20 --from infinite-temperature --times 0,1e-6,1e-3,1 --json >s.json ||
        fail "D = 12 early times: exit code"
    every_close mean_x s.json -0.343750000002736 1e-8
    every_close mean_phi s.json -1.80096000000014 1e-8
    ;;
product_never_wrong)
    # beyond what the integrators resolve: an error or the right number, never a wrong one
    for b in 50; do
        if "$H" evolve --dim 12 --beta $b --from infinite-temperature --times 0,1 --json >p.json 2>err.txt; then
            close "$(last mean_phi p.json)" -1.80096 1e-6 || fail "beta $b: <phi> $(last mean_phi p.json)"
        else
            [ -s err.txt ] || fail "beta $b: exit code without a message"
        fi
    done
    ;;
blocks)
    # two blocks of D / 2: the same means as the product path (each block
    # is one of its two chains' coordinates)
    PP='m1-(m2+0.2)^2+0.38*(m2+0.2)^3'
    while read -r D b x phi liquid; do
        f=b_${D}_${b}.json
        # (the paper's phi as a formula: the lattice, not the product route)
        "$H" evolve --blocks 2 --dim "$D" --beta "$b" --phi "$PP" --from infinite-temperature \
            --times 0,1 --json >"$f" ||
            fail "evolve --blocks 2 --dim $D --beta $b: exit code"
        every_close mean_x "$f" "$x" 1e-8
        every_close mean_phi "$f" "$phi" 1e-8
        l=$(python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))["points"][-1]
print(*[b["probability"] for b in p["basins"] if b["name"] == "liquid"])' "$f")
        close "$l" "$liquid" 1e-8 || fail "blocks D = $D beta = $b: liquid $l, not $liquid"
    done <<'REF'
12 20 -0.343750000002736 -1.80096000000014 0.656249999997264
12 17 -0.34375000009944 -1.80096000000509 0.65624999990056
20 17 -0.305599561762365 -1.79900669756223 0.694400438237635
20 20 -0.313834892294866 -1.7994283464855 0.686165107705134
20 30 -0.336985168451369 -1.80061364062471 0.663014831548631
REF
    # D = 12, beta = 20: settled at t = 1e-3 already (the old code printed the equilibrium)
    "$H" evolve --blocks 2 --dim 12 --beta 20 --phi "$PP" --from infinite-temperature \
        --times 0,1e-3,1 --json >s.json ||
        fail "blocks D = 12 early times: exit code"
    every_close mean_phi s.json -1.80096000000014 1e-8
    ;;
*)
    fail "unknown test $T"
    ;;
esac
