#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The error bounds of `spectrum --blocks` against mpmath (F5): one block (K =
# 1, the birth-death chain of the D + 1 classes) at D = 500, 1000, 2000, the
# rates and per-rate bounds (rel_bounds) of the CLI against the rates of the
# same chain at 40+ digits (tests/cli/rounding_ref.py: Sturm bisection of
# the tridiagonal symmetrised generator).  Every rate must lie within its
# bound, and the slowest rate's bound within 1e3 of its actual error (1e5
# for the birth-death method of one block, whose bound is the rigorous worst
# case, spectrum --blocks 1 since the specmem branch).
# Before the bounds counted the rounding of the chain's ln weights (ln W by
# lgamma in double, phi at the rounded m) the slowest rate of the field case
# was 7.1e-14 off at D = 500, 1000, 2000 (resolution 1.0e-14, 5.3e-15,
# 5.6e-15); now ln W is summed in long double and its residual, phi's
# enclosure and gt-lanczos's 4u (2h + 8) are in the bound (errors 1.4e-14 ..
# 4.3e-14, bounds 40 to 130 times larger).
# usage: rounding_test.sh HYPERLAND TEST
D_SRC="$(cd "$(dirname "$0")" && pwd)"
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}
REF="$D_SRC/rounding_ref.py"

# run D BETA A C: phi = A m1 + C m1^2
run() {
    "$H" spectrum --blocks 1 --dim "$1" --beta "$2" --phi "($3)*m1+($4)*m1^2" --count 4 \
        --json >s$1.json || fail "spectrum D = $1"
    "$PY" "$REF" s$1.json "$1" "$2" "$3" "$4" >r$1.txt
    rc=$?
    cat r$1.txt
    [ $rc -eq 0 ] || fail "D = $1, phi = $3 m + $4 m^2 (rc $rc): $(cat r$1.txt)"
}

case "$T" in
field)
    # a field: no barrier, nu_j = 2 j cosh(0.3 beta) exactly (the biased
    # Ehrenfest chain); the ln weights span D ln 2 (1386 at D = 2000)
    for D in 500 1000 2000; do run $D 1 -0.3 0; done
    grep -q 'nu = 2.09067702825772097' r2000.txt || fail "mpmath reference: $(cat r2000.txt)"
    ;;
double_well)
    # a double well: the tunnelling rate e^-48 .. e^-189 (gt-lanczos, the
    # log-space method), the in-basin rates of order 1
    for D in 500 1000 2000; do run $D 1.2 0 -0.6; done
    ;;
*) fail "unknown test $T" ;;
esac
