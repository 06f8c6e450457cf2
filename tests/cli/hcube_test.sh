#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the full-hypercube KMC (issue 11, disorder on the full
# hypercube): the clean model against evolve, determinism over threads and
# trajectory ranges, the clean mobility against eq 5.10, the disorder in the
# outputs, refusals.  usage: hcube_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
K=(kmc --hypercube)
KEEP='^(out|err|f)\.txt$|\.csv$|\.json$|\.png$'
# the k-th (1-based) number after "KEY": in FILE
json_nth() { grep -o "\"$1\": [-0-9.eE+]*" "$3" | sed -n "$2p" | sed 's/.*: //'; }
# |a - b| <= n * se
within() { awk -v a="$1" -v b="$2" -v s="$3" -v n="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= n * s) }'; }

case "$T" in
clean_vs_evolve)
    # one class (n, n1) = (8, 6) of D = 16: a = 6, b = 2
    printf 'n,n1,Q\n8,6,1\n' >q.csv
    "$H" evolve --dim 16 --beta 0.5 --from q.csv --times 0.2,0.7 --json >e.json || fail "evolve"
    "$H" "${K[@]}" --dim 16 --beta 0.5 --from class:6,2 --times 0.2,0.7 --trajectories 4000 --seed 5 \
        --json >k.json || fail "kmc exit code"
    for i in 1 2; do
        for v in x y; do
            m=$(json_nth "mean_$v" $i k.json)
            s=$(json_nth "se_$v" $i k.json)
            r=$(json_nth "mean_$v" $i e.json)
            within "$m" "$r" "$s" 4.5 || fail "point $i: <$v> KMC $m +- $s, evolve $r"
        done
    done
    # a protocol (thinning): beta 0.2 -> 1.5 over t = 0.3
    printf 't,beta\n0,0.2\n0.3,1.5\n' >p.csv
    printf 'n,n1,Q\n3,1,1\n' >q2.csv
    "$H" evolve --dim 12 --protocol p.csv --from q2.csv --times 0.15,0.6 --json >e2.json || fail "evolve protocol"
    "$H" "${K[@]}" --dim 12 --protocol p.csv --from class:1,2 --times 0.15,0.6 --trajectories 4000 \
        --seed 9 --json >k2.json || fail "kmc protocol"
    grep -q '"method": "gillespie + thinning"' k2.json || fail "protocol method not reported"
    for i in 1 2; do
        for v in x y; do
            m=$(json_nth "mean_$v" $i k2.json)
            s=$(json_nth "se_$v" $i k2.json)
            r=$(json_nth "mean_$v" $i e2.json)
            within "$m" "$r" "$s" 4.5 || fail "protocol point $i: <$v> KMC $m +- $s, evolve $r"
        done
    done
    ;;
determinism)
    args=(--dim 400 --beta 0.7 --from random --times 0.05,0.3 --disorder lognormal:1,lognormal:0.2 --seed 77)
    "$H" "${K[@]}" "${args[@]}" --trajectories 10 --threads 1 --keep all.csv >a1.txt || fail "run 1"
    "$H" "${K[@]}" "${args[@]}" --trajectories 10 --threads 2 --keep all2.csv >a2.txt || fail "run 2"
    cmp -s a1.txt a2.txt || fail "1 and 2 threads differ"
    "$H" "${K[@]}" "${args[@]}" --trajectories 4 --keep p1.csv >/dev/null || fail "part 1"
    "$H" "${K[@]}" "${args[@]}" --trajectories 6 --first-trajectory 4 --keep p2.csv >/dev/null || fail "part 2"
    cat <(grep -v '^#' p1.csv) <(grep -v '^#' p2.csv | tail -n +2) >merged.csv
    cmp -s <(grep -v '^#' all.csv) merged.csv || fail "split ranges do not concatenate to the whole"
    cmp -s <(grep -v '^#' all.csv) <(grep -v '^#' all2.csv) || fail "--keep differs with the threads"
    # the seed and the disorder are recorded
    grep -q 'seed=77 disorder=lognormal:1,lognormal:0.2' all.csv || fail "CSV provenance: $(grep seed all.csv)"
    # without a seed one is drawn and printed
    "$H" "${K[@]}" --dim 20 --beta 0.7 --from random --times 0.1 --trajectories 2 >o.txt 2>e.txt || fail "no seed"
    grep -q 'seed [0-9]* (drawn' e.txt || fail "drawn seed not printed: $(cat e.txt)"
    ;;
mobility)
    "$H" "${K[@]}" --dim 1000 --beta 0.5 --mobility --seed 3 --trajectories 256 --json --output m.csv \
        >m.json || fail "mobility exit code"
    # K_ss: jump, relax, formula in that order of "K_sd": [ss, sd, dd]
    js=$(grep -o '"jump": {"K_sd": \[[^]]*' m.json | sed 's/.*\[//' | cut -d, -f1)
    rs=$(grep -o '"relax": {"K_sd": \[[^]]*' m.json | sed 's/.*\[//' | cut -d, -f1)
    fs=$(grep -o '"formula": {"K_sd": \[[^]]*' m.json | sed 's/.*\[//' | cut -d, -f1)
    fd=$(grep -o '"formula": {"K_sd": \[[^]]*' m.json | sed 's/.*\[//' | cut -d, -f3)
    rd=$(grep -o '"relax": {"K_sd": \[[^]]*' m.json | sed 's/.*\[//' | cut -d, -f3)
    within "$js" "$fs" "$(awk -v f="$fs" 'BEGIN { print 0.01 * f }')" 1 || fail "K_ss jump $js, eq 5.10 $fs"
    within "$rs" "$fs" "$(awk -v f="$fs" 'BEGIN { print 0.05 * f }')" 1 || fail "K_ss relax $rs, eq 5.10 $fs"
    within "$rd" "$fd" "$(awk -v f="$fd" 'BEGIN { print 0.05 * f }')" 1 || fail "K_dd relax $rd, eq 5.10 $fd"
    grep -q '^formula,' m.csv || fail "mobility CSV"
    # half-dependent disorder: the d relaxation (wide second half) is slower than its jumps say
    "$H" "${K[@]}" --dim 1000 --beta 0.5 --mobility --seed 3 --trajectories 64 --relax 4 \
        --disorder lognormal:0.3,lognormal:1.5 --json >d.json || fail "disordered mobility"
    jd=$(grep -o '"jump": {"K_sd": \[[^]]*' d.json | sed 's/.*\[//' | cut -d, -f3)
    rd=$(grep -o '"relax": {"K_sd": \[[^]]*' d.json | sed 's/.*\[//' | cut -d, -f3)
    awk -v j="$jd" -v r="$rd" 'BEGIN { exit !(r < 0.6 * j) }' || fail "disorder: K_dd relax $rd vs jump $jd"
    grep -q '"disorder": "lognormal:0.2999' d.json || grep -q '"disorder": "lognormal:0.3' d.json ||
        fail "disorder not in the JSON"
    if command -v gnuplot >/dev/null; then
        "$H" "${K[@]}" --dim 200 --beta 0.5 --mobility --seed 3 --trajectories 16 --plot m.png >/dev/null ||
            fail "plot"
        [ -s m.png ] || fail "no PNG"
    fi
    ;;
errors)
    expect_error "${K[@]}" --dim 20 --beta 0.5 --times 1 --disorder gauss:1
    expect_error "${K[@]}" --dim 20 --beta 0.5 --times 1 --disorder file:nonexistent.txt
    expect_error "${K[@]}" --dim 20 --beta 0.5 --times 1 --vertex-shift -1
    expect_error "${K[@]}" --dim 21 --beta 0.5 --times 1
    expect_error "${K[@]}" --beta 0.5 --times 1
    expect_error "${K[@]}" --dim 20 --beta 0.5
    expect_error "${K[@]}" --dim 20 --beta 0.5 --times 1 --mobility
    printf 't,beta\n0,0.2\n1,1\n' >p.csv
    expect_error "${K[@]}" --dim 20 --protocol p.csv --mobility
    expect_error "${K[@]}" --dim 20 --protocol p.csv --times 1 --transmission "1+T"
    expect_error "${K[@]}" --dim 20 --beta 0.5 --times 1 --from class:11,0
    expect_error "${K[@]}" --dim 20 --beta 0.5 --times 1 --seed -3
    printf '1 2 3\n' >f.txt
    expect_error "${K[@]}" --dim 20 --beta 0.5 --times 1 --disorder file:f.txt
    ;;
*) fail "unknown test $T" ;;
esac
exit 0
