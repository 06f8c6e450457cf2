#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `hyperland phases --blocks K`: at every beta of the grid the maxima on the
# branches (CSV grid rows) are those an independent computation finds
# (tests/cli/bpgaps_ref.py: multi-start Newton and continuation in numpy,
# phi's derivatives by forward-mode jets): the same number, each m to
# 1e-8, except where the smallest eigenvalue of the Hessian (scaled K) is
# within 1e-8 of 0.  JSON beta_first/beta_last are the first and last grid
# rows; first_end/last_end index the located end in branch_ends, within a
# grid step outside; the text range line prints it.  Zoomed grids put grid
# betas within 1e-7 .. 1e-11 of a pitchfork, a branch point and a fold.
# usage: bpgaps_test.sh HYPERLAND TEST
REF="$(cd "$(dirname "$0")" && pwd)/bpgaps_ref.py"
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}
"$PY" -c 'import numpy' 2>/dev/null || PY=/usr/bin/python3

# run NAME FRACTIONS PHI BMIN BMAX POINTS ARGS...: phases and the reference
run() {
    local name=$1 fr=$2 phi=$3 bmin=$4 bmax=$5 np=$6
    shift 6
    "$H" phases "$@" --phi "$phi" --beta-min "$bmin" --beta-max "$bmax" --points "$np" \
        --output "$name.csv" --json >"$name.json" || fail "$name: exit"
    "$PY" "$REF" "$phi" "$fr" "$bmin" "$bmax" "$np" "$name.csv" "$name.json" >"$name.ref" ||
        fail "$name against the reference: $(head -c 1500 "$name.ref")"
    echo "$name: $(head -1 "$name.ref")"
}
R3=0.3333333333333333,0.3333333333333333,0.3333333333333334
CUBIC='-(m1+m2+m3)^2/3+0.2*m1*m2*m3'
PAPER='m1-(m2+0.2)^2+0.38*(m2+0.2)^3'

case "$T" in
transcritical_k3)
    # the cubic term: liquid -> branch point at 1/6 (transcritical), the
    # crystal from a fold at 0.16545065; the whole range and a zoom
    run a "$R3" "$CUBIC" 0.05 5 400 --blocks 3
    run z "$R3" "$CUBIC" 0.165 0.168 500 --blocks 3
    "$H" phases --blocks 3 --phi "$CUBIC" --output /dev/null >a.txt || fail "text exit"
    grep -q '^  crystal    beta in \[0.16545065 (fold), 5\]$' a.txt || fail "crystal range: $(grep 'beta in' a.txt)"
    grep -q '^  branch-3   beta in \[0.16666667 (branch-point), 5\]$' a.txt || fail "branch-3 range"
    grep -q '^  liquid     beta in \[0.05, 0.16666667 (branch-point)\]$' a.txt || fail "liquid range"
    ;;
pitchfork_k2)
    # (m, m) pitchfork at 1/4; (m, -m) pitchfork at 0.5279...; a zoom with
    # grid betas 5e-8 .. 1e-4 above 1/4
    PHI='-(m1+m2)^2/2 - 0.3*(m1-m2)^2'
    run a 0.5,0.5 "$PHI" 0.05 3 400 --blocks 2
    run z 0.5,0.5 "$PHI" 0.2499 0.2501 2000 --blocks 2
    ;;
fold_paper_k2)
    # the paper-like phi: the crystal from a fold at 0.33642916125596; grids
    # with a beta 1e-7, 1e-9 and 1e-11 above the fold
    run a 0.5,0.5 "$PAPER" 0.05 5 400 --blocks 2
    for d in 1e-7 1e-9 1e-11; do
        read -r lo hi < <("$PY" -c "b = 0.3364291612559558 + $d - 1e-5; print(repr(b), repr(b + 399e-5))")
        run "f$d" 0.5,0.5 "$PAPER" "$lo" "$hi" 400 --blocks 2
    done
    ;;
k3_many)
    # eight maxima at low T: folds, a branch point and pitchforks
    run a "$R3" '0.5*(m1+m2+m3)^2 - 0.6*(m1^2+m2^2+m3^2) + 0.3*(m1^3+m2^3+m3^3)' 0.05 5 300 --blocks 3
    run b "$R3" 'm1^2*m2 - m1*m2*m3 + (m3^2-0.5)^2 - 0.3*m1 + 0.2*m2*m3^2' 0.05 5 300 --blocks 3
    ;;
k4)
    run a 0.25,0.25,0.25,0.25 '-(m1+m2+m3+m4)^2/4 + 0.1*m1*m2*m3*m4 - 0.05*(m1^4+m2^4+m3^4+m4^4)' \
        0.05 5 60 --blocks 4
    ;;
block_sizes)
    # unequal blocks 1:2, and a coarse grid (60 points)
    PHI='-(m1+m2)^2/2 + 0.3*(m1+m2)^3 - 0.2*m1*m2'
    run a 0.3333333333333333,0.6666666666666667 "$PHI" 0.05 5 400 --block-sizes 1,2
    run b 0.3333333333333333,0.6666666666666667 "$PHI" 0.05 5 60 --block-sizes 1,2
    ;;
*)
    fail "unknown case $T"
    ;;
esac
