#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of issue 8, items 1 and 4 (branch rates): rates with their stated
# accuracy, unresolved rates null with a reason, unresolved grids refused.
# usage: rates_test.sh HYPERLAND TEST.  Reference values:
# tests/ref/separable_rates.py (mpmath), e.g.
#   python3 tests/ref/separable_rates.py 20 10 6
. "$(dirname "$0")/lib.sh" "$@"

# relclose A B TOL: |A - B| <= TOL |B|
relclose() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; if (b < 0) b = -b; exit !(d <= t * b) }'; }
# json_arr KEY FILE I: element I (0-based) of the array "KEY": [...]
json_arr() { grep -o "\"$1\": \[[^]]*\]" "$2" | head -1 | sed 's/.*\[//; s/\]//' | tr -d ' ' | cut -d, -f$(($3 + 1)); }
KEEP='.'

case "$T" in
rates_low_temperature)
    # issue 8 item 1: rates 2-5 at D = 20, beta = 10, with --count 6 and 5
    for K in 6 5; do
        "$H" spectrum --dim 20 --beta 10 --count $K --json >s.json || fail "exit (count $K)"
        grep -q '"resolution": null' s.json || fail "separable resolution is not null"
        grep -q '"resolution_kind": "relative"' s.json || fail "resolution kind"
        re=$(json_num relative_error s.json)
        awk -v r="$re" 'BEGIN { exit !(r > 0 && r < 1e-10) }' || fail "relative_error $re"
        ref=(0 2.537931567989123267e-64 537.6954446259163351932899 96900.42622022335781717023
             4100470.625279059026727535 6018173.471349881622660588)
        for q in $(seq 1 $((K - 1))); do
            got=$(json_arr rates s.json $q)
            relclose "$got" "${ref[$q]}" 1e-12 || fail "count $K rate $q: $got, right ${ref[$q]}"
        done
    done
    # D = 1000, beta = 5: rate 2
    "$H" spectrum --dim 1000 --beta 5 --count 3 --json >s.json || fail "exit D=1000"
    relclose "$(json_arr rates s.json 2)" 38.32477082561693709 1e-12 || fail "D=1000 rate 2"
    # ln of the tunnelling rate far below 1e-308; its rate is null, not 0
    relclose "$(json_arr ln_rates s.json 1)" -3580.480676344167109951176 1e-12 || fail "D=1000 ln rate 1"
    [ "$(json_arr rates s.json 1)" = null ] || fail "an underflowed rate is not null"
    grep -q '"underflow_note": "' s.json || fail "no underflow note"
    # D = 100: every beta >= 8 gave nulls
    for b in 8 12 20; do
        "$H" spectrum --dim 100 --beta $b --count 6 --json >s.json || fail "exit beta $b"
        for q in 1 2 3 4 5; do
            v=$(json_arr ln_rates s.json $q)
            [ "$v" != null ] || fail "D=100 beta=$b: ln rate $q null"
        done
    done
    # text: digits limited by the bound, a bound column, no nan/inf
    "$H" spectrum --dim 1000 --beta 5 --count 3 >s.txt || fail "text exit"
    grep -q "rel. error" s.txt || fail "no rel. error column"
    grep -q "e-1555" s.txt || fail "tiny rate not printed from its ln"
    ! grep -qiw -e nan -e inf s.txt || fail "nan or inf in text"
    ;;
rates_unresolved)
    # beyond the range of doubles (beta = 200): null with a reason
    "$H" spectrum --dim 100 --beta 200 --count 4 --json >s.json || fail "exit"
    [ "$(json_arr rates s.json 2)" = null ] || fail "rate 2 not null"
    grep -q '"null_reason": "' s.json || fail "no null reason"
    "$H" spectrum --dim 100 --beta 200 --count 4 >s.txt || fail "text exit"
    grep -q "not resolved" s.txt || fail "no 'not resolved' in text"
    # the dense method: an absolute resolution, per-rate relative errors
    "$H" spectrum --dim 20 --beta 3 --count 4 --phi 'x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.01*x*y' \
        --json >d.json || fail "dense exit"
    grep -q '"method": "dense"' d.json || fail "not dense"
    grep -q '"resolution_kind": "absolute"' d.json || fail "dense resolution kind"
    res=$(json_num resolution d.json)
    awk -v r="$res" 'BEGIN { exit !(r > 0) }' || fail "dense resolution $res"
    ;;
fp_unresolved_grid)
    # issue 8 item 4: refused with the grid needed, never exact zeros
    expect_error fokker-planck --dim 100000 --beta 0.773 --rates 4
    grep -q "does not resolve" err.txt || fail "message: $(cat err.txt)"
    grep -q "window" err.txt || fail "no window suggested"
    expect_error fokker-planck --dim 10000 --beta 0.773 --rates 4
    grep -q -- "--grid 2[0-9][0-9][0-9]" err.txt || fail "grid needed not named: $(cat err.txt)"
    # a window scaled to the Gaussian width: the liquid's in-basin rate
    # against the master equation's (rate 3 of spectrum --count 4)
    "$H" fokker-planck --dim 100000 --beta 0.773 --rates 3 --window 8 --branch liquid --json \
        >f.json 2>f.err || fail "window exit"
    relclose "$(json_arr rates f.json 1)" 4.58933 3e-3 || fail "D=1e5 window rate 1"
    [ ! -s f.err ] || fail "warning on a resolved grid"
    # a coarse but usable grid: a warning
    "$H" fokker-planck --dim 1000 --beta 0.773 --rates 3 >f.txt 2>f.err || fail "coarse exit"
    grep -q "warning: coarse grid" f.err || fail "no coarse-grid warning"
    ;;
*)
    fail "unknown test $T"
    ;;
esac
exit 0
