#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the digits of `exact` (2-D and --blocks): every printed value
# (ln Z / D, the means and covariances, <phi>, <ln W> / D, the heat capacity,
# the entropy, and each basin's ln Z_b / D, <phi>_b, S_b / D, c_b and ln P)
# against an independent mpmath computation (tests/cli/exact_ref.py, 50
# digits): all 2^D vertices one by one at small D (2-D and K = 3 blocks),
# log-space class sums at larger D; at beta from 1e-300 to 1e3.  A value must
# lie within its own error bound (error_bounds) of the reference, a mean
# below its bound must be printed 0, and ln Z, <ln W>, c and S must have
# their digits (or be null where they underflowed).
# usage: exactdigits_test.sh HYPERLAND TEST
REF="$(cd "$(dirname "$0")" && pwd)/exact_ref.py"
. "$(dirname "$0")/lib.sh" "$@"
DEF2='x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3'

# ck "EXACT ARGS" -- REF ARGS: run exact (JSON and distribution) and compare
ck() {
    local args="$1"
    shift
    [ "$1" = "--" ] && shift
    # shellcheck disable=SC2086
    "$H" exact $args --json >e.json 2>err.txt || fail "exact $args: $(head -c 300 err.txt)"
    # shellcheck disable=SC2086
    "$H" exact $args --distribution e.csv >/dev/null 2>err.txt ||
        fail "exact $args --distribution: $(head -c 300 err.txt)"
    python3 "$REF" check e.json e.csv -- "$@" >ref.txt 2>&1 ||
        fail "exact $args: $(head -c 2000 ref.txt)"
}

case "$T" in
f1_small_beta)
    # the tester's case: at beta = 1e-20 every vertex weighs the same, so
    # <phi> = <xy> + 0.1 <x> = 0 (it was 0.0067, a phi reconstructed from
    # ln W - beta D phi), and c = beta^2 D Var(phi) = 4.1111e-42 (was 5.6e-50)
    "$H" exact --dim 30 --beta 1e-20 --phi 'x*y+0.1*x' --json >a.json || fail "run"
    python3 - <<'EOF' || fail "values at beta = 1e-20"
import json
a = json.load(open("a.json"))
assert a["mean_phi"] == 0 and a["basins"][0]["mean_phi"] == 0, a
assert 0 < a["error_bounds"]["mean_phi"] < 1e-12, a["error_bounds"]
# Var(xy + 0.1 x) at beta = 0: m1, m2 two blocks of 15 spins; xy = (m1^2 - m2^2)/4
m2, m4 = 1 / 15, (3 * 15**2 - 2 * 15) / 15**4
var = (2 * m4 - 2 * m2**2) / 16 + 0.01 / 30
c = 1e-40 * 30 * var
for v in (a["heat_capacity_per_dim"], a["basins"][0]["heat_capacity_per_dim"]):
    assert abs(v - c) <= 1e-12 * c, (v, c)
EOF
    ck "--dim 30 --beta 1e-20 --phi x*y+0.1*x" -- --dim 30 --beta 1e-20 --phi 'x*y+0.1*x'
    ;;
brute_2d)
    # every vertex of the 12-cube; general path (user phi) and the separable
    # path (the default phi); x*y: <x> = <y> = 0 by symmetry, printed 0
    for b in 1e-300 1e-20 1e-8 1 50 1000; do
        for phi in 'x*y+0.1*x' 'x*y' 'x' 'x^2-y^3+0.2*x*y'; do
            ck "--dim 12 --beta $b --phi $phi" -- --dim 12 --beta $b --phi "$phi" --brute
        done
        ck "--dim 12 --beta $b" -- --dim 12 --beta $b --phi "$DEF2" --brute
    done
    ;;
classes_2d)
    # larger D: class sums at 50 digits
    for b in 1e-20 0.7 50 1000; do
        ck "--dim 120 --beta $b --phi x*y+0.1*x" -- --dim 120 --beta $b --phi 'x*y+0.1*x'
        ck "--dim 120 --beta $b" -- --dim 120 --beta $b --phi "$DEF2"
    done
    ck "--dim 400 --beta 2 --phi 0.5*x-y^2" -- --dim 400 --beta 2 --phi '0.5*x-y^2'
    ;;
brute_blocks)
    # every vertex of the 12-cube in 3 blocks of 4 (and 2 + 4 + 6)
    for b in 1e-300 1e-20 1e-8 1 20 1000; do
        for phi in 'm1*m2+0.1*m3' 'm1-m2^2+0.3*m3^3+2' '0.5*m1*m2*m3'; do
            ck "--block-sizes 4,4,4 --beta $b --phi $phi" -- --dim 12 --sizes 4,4,4 --beta $b \
                --phi "$phi" --brute
        done
        ck "--block-sizes 2,4,6 --beta $b --phi m1*m2-m3^2" -- --dim 12 --sizes 2,4,6 \
            --beta $b --phi 'm1*m2-m3^2' --brute
    done
    ;;
classes_blocks)
    for b in 1e-20 0.3 50 1000; do
        for phi in 'm1*m2+0.1*m3' 'm1-m2^2+0.3*m3^3+2'; do
            ck "--block-sizes 20,20,20 --beta $b --phi $phi" -- --dim 60 --sizes 20,20,20 \
                --beta $b --phi "$phi"
        done
        # the paper's pair in two blocks (basins named as in 2-D)
        ck "--blocks 2 --dim 40 --beta $b" -- --dim 40 --sizes 20,20 --beta $b \
            --phi 'm1-(m2+0.2)^2+0.38*(m2+0.2)^3'
    done
    ;;
entropy_low_t)
    # S -> 0 at low T: summed as <ln W> + H(Q) (terms >= 0) it keeps its
    # digits where ln Z/D + beta <phi> cancelled (D = 20, beta = 50: the
    # crystal's S was null, 1.5e-22 by the reference)
    ck "--dim 20 --beta 50" -- --dim 20 --beta 50 --phi "$DEF2"
    python3 - <<'EOF' || fail "entropy at low T"
import json
a = json.load(open("e.json"))
s = a["entropy_per_dim"]
assert s is not None and 0 < s < 1e-15, s
EOF
    ;;
negative_beta)
    expect_error exact --dim 12 --beta -1
    expect_error exact --block-sizes 4,4,4 --beta -1e-20
    ;;
*) fail "unknown test $T" ;;
esac
echo "ok $T"
