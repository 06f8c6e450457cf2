#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of issue 12's kcoexist branch: fokker-planck --blocks (the
# Fokker-Planck equation in k <= 3 block magnetisations).
# usage: kcoexist_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

case "$T" in
fp_blocks_pair)
    # two equal blocks: today's 2-D rates to 1e-12 relative (text and JSON),
    # with the default phi, another phi in x, y and a B; the tunnelling rate
    # at D = 400 (below the eigensolver) against the 2-D capacity formula
    for args in "--dim 40 --beta 0.8 --grid 60" \
                "--dim 24 --beta 0.5 --grid 40 --phi x^2-y^2+0.3*x*y --transmission 1+0.5*x^2" \
                "--dim 400 --beta 0.8 --grid 100"; do
        "$H" fokker-planck $args --rates 4 --json >a.json 2>/dev/null || fail "2-D: $args"
        "$H" fokker-planck $args --rates 4 --json --blocks 2 >b.json 2>/dev/null || fail "--blocks 2: $args"
        "$PY" - a.json b.json <<'PYEOF' || fail "rates differ: $args"
import json, math, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert b["blocks"] == [b["dim"] // 2] * 2 and b["grid"] == a["grid"] and b["cells"] == a["cells"]
for j in range(4):
    ra, rb = a["rates"][j], b["rates"][j]
    if j == 1 and a["tunnelling_from_capacity"]:
        assert ra is None or ra > 0
        assert abs(b["ln_rates"][1] - a["ln_tunnelling_rate"]) <= 1e-12 * abs(a["ln_tunnelling_rate"]), (b["ln_rates"][1], a["ln_tunnelling_rate"])
        continue
    assert abs(ra - rb) <= 1e-12 * abs(ra), (j, ra, rb)
    if j > 0:
        assert abs(math.log(ra) - b["ln_rates"][j]) < 1e-12 * max(1, abs(b["ln_rates"][j]))
assert b["ln_rates"][0] is None and b["rates"][0] == 0
PYEOF
    done
    ;;
fp_blocks_k)
    # k = 1 and k = 3 (text): the exact 0 first, then ascending rates; a
    # separable phi in 2 unequal blocks: the slowest rates are sums of the
    # one-block rates (block i alone: D_i, phi_i = (D / D_i) g_i)
    "$H" fokker-planck --blocks 1 --dim 40 --beta 1.5 --phi '-0.8*m1^2+0.05*m1' --grid 80 \
        --rates 3 >o1.txt || fail "k = 1"
    grep -q 'grid 80^1 over \[-1, 1\], 80 cells' o1.txt || fail "k = 1 header: $(cat o1.txt)"
    "$H" fokker-planck --blocks 3 --dim 15 --beta 1.5 --phi '-0.5*(m1*m2+m2*m3+m1*m3)' \
        --grid 12 --rates 3 --json >o3.json || fail "k = 3"
    "$PY" - o3.json <<'PYEOF' || fail "k = 3 JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["blocks"] == [5, 5, 5] and d["cells"] == 12 ** 3, d
r = d["rates"]
assert r[0] == 0 and 0 < r[1] < r[2], r
PYEOF
    "$H" fokker-planck --block-sizes 30,20 --beta 0.9 --phi '(-0.5*m1^2+0.1*m1)+(0.3*(m2-0.2)^2)' \
        --grid 40 --rates 4 --json >s.json || fail "separable"
    "$H" fokker-planck --blocks 1 --dim 30 --beta 0.9 --phi '5/3*(-0.5*m1^2+0.1*m1)' --grid 40 \
        --rates 4 --json >s1.json || fail "block 1"
    "$H" fokker-planck --blocks 1 --dim 20 --beta 0.9 --phi '2.5*(0.3*(m1-0.2)^2)' --grid 40 \
        --rates 4 --json >s2.json || fail "block 2"
    "$PY" - s.json s1.json s2.json <<'PYEOF' || fail "separable sums"
import json, sys
r, a, b = (json.load(open(f))["rates"] for f in sys.argv[1:4])
sums = sorted(x + y for x in a for y in b)
for j in range(1, 4):
    assert abs(r[j] - sums[j]) <= 1e-10 * sums[j], (j, r[j], sums[j])
PYEOF
    ;;
fp_blocks_errors)
    EXPECT_RC=2
    expect_error fokker-planck --blocks 2 --dim 20 --beta 1 --form linear
    grep -q 'need --branch NAME or --at' err.txt || fail "linear form: $(cat err.txt)"
    expect_error fokker-planck --blocks 2 --dim 20 --beta 1 --in-basin
    expect_error fokker-planck --blocks 2 --dim 20
    expect_error fokker-planck --blocks 3 --dim 20 --beta 1 --phi m1
    expect_error fokker-planck --blocks 2 --block-sizes 10,10 --beta 1
    expect_error fokker-planck --blocks 2 --dim 20 --beta 1 --grid 4
    expect_error fokker-planck --blocks 4 --dim 20 --beta 1  # known from the options: exit 2
    grep -q 'at most 3 blocks' err.txt || fail "k = 4: $(cat err.txt)"
    EXPECT_RC=1
    expect_error fokker-planck --blocks 1 --dim 20000 --beta 1.5 --phi '-0.8*m1^2' --grid 16
    grep -q 'cells per axis' err.txt || fail "coarse grid: $(cat err.txt)"
    expect_error fokker-planck --blocks 2 --dim 20 --beta 1 --transmission 'T-1'
    ;;
*) fail "unknown test $T" ;;
esac
echo "PASS [$T]"
