#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the full-hypercube KMC's event selections (issue 11, speed):
# --select cr | tree | auto named in the outputs, each reproducible bit for
# bit over threads, both against the class master equation for a clean
# run (evolve), refusals.  usage: hcr_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
K=(kmc --hypercube)
json_nth() { grep -o "\"$1\": [-0-9.eE+]*" "$3" | sed -n "$2p" | sed 's/.*: //'; }
within() { awk -v a="$1" -v b="$2" -v s="$3" -v n="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= n * s) }'; }

case "$T" in
select)
    args=(--dim 300 --beta 0.6 --from random --times 0.05,0.4 --disorder lognormal:2,lognormal:0.5 --seed 31
          --trajectories 8)
    for s in cr tree auto; do
        "$H" "${K[@]}" "${args[@]}" --select $s --threads 1 --json >$s.json || fail "--select $s"
        "$H" "${K[@]}" "${args[@]}" --select $s --threads 2 --json >${s}2.json || fail "--select $s, 2 threads"
        cmp -s $s.json ${s}2.json || fail "--select $s: 1 and 2 threads differ"
    done
    grep -q '"selection": "composition-rejection"' cr.json || fail "cr not named"
    grep -q '"selection": "tree"' tree.json || fail "tree not named"
    grep -q '"selection": "composition-rejection"' auto.json || fail "auto is not composition-rejection"
    cmp -s cr.json auto.json || fail "auto and cr differ"
    cmp -s cr.json tree.json && fail "cr and tree give the same trajectories (the stream is used differently)"
    "$H" "${K[@]}" "${args[@]}" --vertex-shift 0.5 --select tree --json >vs.json || fail "vertex shift"
    grep -q '"selection": "scan"' vs.json || fail "vertex energies: the scan not named"
    "$H" "${K[@]}" "${args[@]}" --select cr >t.txt || fail "text"
    grep -q 'selection composition-rejection' t.txt || fail "text: selection not named"
    ;;
clean_vs_evolve)
    # both selections against the class master equation (D = 16, class (6, 2))
    printf 'n,n1,Q\n8,6,1\n' >q.csv
    "$H" evolve --dim 16 --beta 0.5 --from q.csv --times 0.2,0.7 --json >e.json || fail "evolve"
    for s in cr tree; do
        "$H" "${K[@]}" --dim 16 --beta 0.5 --from class:6,2 --times 0.2,0.7 --trajectories 4000 \
            --seed 6 --select $s --json >k.json || fail "kmc --select $s"
        for i in 1 2; do
            for v in x y; do
                m=$(json_nth "mean_$v" $i k.json)
                e=$(json_nth "se_$v" $i k.json)
                r=$(json_nth "mean_$v" $i e.json)
                within "$m" "$r" "$e" 4.5 || fail "--select $s point $i: <$v> KMC $m +- $e, evolve $r"
            done
        done
    done
    ;;
errors)
    EXPECT_RC=2 expect_error "${K[@]}" --dim 16 --beta 0.5 --times 1 --select fenwick
    grep -q -- "--select" err.txt || fail "--select fenwick: the message does not name --select"
    EXPECT_RC=2 expect_error "${K[@]}" --dim 16 --beta 0.5 --times 1 --select
    "$H" "${K[@]}" --help | grep -q -- "--select" || fail "--help does not describe --select"
    ;;
*) fail "unknown test $T" ;;
esac
exit 0
