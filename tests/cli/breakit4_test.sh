#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the fourth tester's findings (BREAKIT4, session 24): class
# files with ln_Q weights, null reasons, headers that can be re-run, ...
# usage: breakit4_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

case "$T" in
ln_q_files)
    # F4: a class file's ln_Q column is a log-weight, normalised over the file
    # (it was exponentiated row by row: -800 alone summed to 0, 1e10 gave NaN)
    M=(--block-sizes 3,4 --phi 'm1*m2+0.1*m1' --beta 1)
    printf 'n1,n2,ln_Q\n3,4,-800\n' >f.csv
    printf 'n1,n2,ln_Q\n3,4,1e10\n2,2,0\n' >g.csv
    printf 'n1,n2,ln_Q\n3,4,-1e6\n2,2,-1e6\n' >h.csv
    printf '# a comment\nn1,n2,ln_Q\n3,4,-2000\n2,2,-2001\n0,0,-inf\n' >i.csv
    for f in f g h i; do
        "$H" evolve "${M[@]}" --from $f.csv --times 0 --json >e_$f.json || fail "evolve --from $f.csv"
        "$H" kmc "${M[@]}" --from $f.csv --times 0 --trajectories 4000 --seed 5 --json \
            >k_$f.json 2>/dev/null || fail "kmc --from $f.csv"
    done
    "$H" evolve --dim 14 --beta 1 --from <(printf 'n,n1,ln_Q\n7,3,-900\n6,2,-901\n') --times 0 \
        --json >e2.json || fail "2-D evolve from ln_Q"
    "$H" fokker-planck --blocks 2 --dim 14 --beta 1 --from <(printf 'n1,n2,ln_Q\n3,4,-900\n2,4,-901\n') \
        --times 0 --json >fp.json || fail "fokker-planck --blocks from ln_Q"
    "$PY" - <<'PYEOF' || fail "ln_Q weights"
import json, math
L = lambda n: json.load(open(n))
m = lambda n1, n2: [2 * n1 / 3 - 1, 2 * n2 / 4 - 1]
def mix(pairs):  # [(weight, m vector)]
    s = sum(w for w, _ in pairs)
    return [sum(w * v[i] for w, v in pairs) / s for i in range(2)]
want = {"f": m(3, 4), "g": m(3, 4), "h": mix([(1, m(3, 4)), (1, m(2, 2))]),
        "i": mix([(1, m(3, 4)), (math.exp(-1), m(2, 2))])}
for f, w in want.items():
    got = L("e_%s.json" % f)["points"][0]["mean_m"]
    assert all(abs(a - b) < 1e-15 for a, b in zip(got, w)), (f, got, w)
    k = L("k_%s.json" % f)["points"][0]
    for i in range(2):  # sampled start: within 5 standard errors (exact for a point mass)
        se = k["standard_error_m"][i] or 0
        assert abs(k["mean_m"][i] - w[i]) <= max(5 * se, 1e-15), (f, k, w)
x = L("e2.json")["points"][0]["mean_x"]
e = math.exp(-1)
assert abs(x - ((2 * 7 / 14 - 1) + e * (2 * 6 / 14 - 1)) / (1 + e)) < 1e-15, x
PYEOF
    # refusals: +inf, NaN, a negative Q, all weights -inf; one line naming the file
    printf 'n1,n2,ln_Q\n3,4,inf\n' >bad1.csv
    printf 'n1,n2,ln_Q\n3,4,nan\n' >bad2.csv
    printf 'n1,n2,Q\n3,4,-1\n' >bad3.csv
    printf 'n1,n2,ln_Q\n3,4,-inf\n' >bad4.csv
    KEEP='^(out|err)\.txt$|\.csv$|\.json$'
    for f in bad1 bad2 bad3; do
        expect_error evolve "${M[@]}" --from $f.csv --times 0
        grep -q "'$f.csv' line 2: .*Q = " err.txt || fail "$f: $(cat err.txt)"
        expect_error kmc "${M[@]}" --from $f.csv --times 0 --seed 1
    done
    expect_error evolve "${M[@]}" --from bad4.csv --times 0
    grep -q "sum to 0" err.txt || fail "bad4: $(cat err.txt)"
    ! grep -qi nan err.txt || fail "NaN in a message: $(cat err.txt)"
    ;;
command_line)
    # F8: the '# command:' line of a CSV header can be pasted back into a shell:
    # blanks, *, quotes, parentheses and control characters quoted
    out="it's (a) *.csv"
    "$H" exact --block-sizes 3,4 --phi 'm1 * m2 + 0.1*m1' --beta 1 --distribution "$out" \
        >/dev/null || fail "exact --distribution"
    nl="$(printf 'd\nq.csv')"
    "$H" exact --block-sizes 3,4 --phi 'm1*m2' --beta '1' --distribution "$nl" >/dev/null ||
        fail "exact with a newline in the path"
    for f in "$out" "$nl"; do
        line=$(grep -m1 '^# command: ' "$f" | sed 's/^# command: //')
        [ -n "$line" ] || fail "no command line in $f"
        mv "$f" first.csv
        bash -c "$line" >/dev/null 2>err.txt || fail "re-running '$line': $(cat err.txt)"
        [ -f "$f" ] || fail "re-running '$line' did not write '$f'"
        diff <(grep -v '^#' first.csv) <(grep -v '^#' "$f") >/dev/null ||
            fail "re-running '$line' gave other rows"
        rm -f "$f" first.csv
    done
    ;;
slowest_reason)
    # F7: one block at large D: when the slowest rate cannot be bounded the
    # reason says so (it said "... and not the slowest rate" of the slowest);
    # where it is bounded, the value against the tester's mpmath birth-death
    # MFPT formula (-80350.4743067392 at D = 300000)
    P=(--phi 'm1^4/4-m1^2/2+0.01*m1' --beta 3 --count 2 --json)
    "$H" spectrum --block-sizes 1000000 "${P[@]}" >a.json || fail "D = 1e6"
    "$H" spectrum --block-sizes 300000 "${P[@]}" >b.json || fail "D = 3e5"
    "$PY" - <<'PYEOF' || fail "slowest rate"
import json
a, b = json.load(open("a.json")), json.load(open("b.json"))
assert a["rates"][1] is None and "the slowest rate" in a["null_reason"] and "not the slowest" not in a["null_reason"], a
l, e = b["ln_rates"][1], b["rel_bounds"][1]
assert abs(l - -80350.4743067392) <= max(e, 1e-12) * 1.0001 + 1e-9, (l, e)
PYEOF
    ;;
devnull_twice)
    # F12: /dev/null for two outputs of one run is accepted and written (it
    # printed "written", then "--transitions '/dev/null' was not written", exit 1)
    "$H" lattice-network --block-sizes 3,4 --phi 'm1*m2+0.1*m1' --beta 1 --states /dev/null \
        --transitions /dev/null >out.txt 2>err.txt || fail "blocks: $(cat err.txt)"
    [ ! -s err.txt ] || fail "blocks stderr: $(cat err.txt)"
    "$H" lattice-network --dim 8 --states /dev/null --transitions /dev/null --json >o.json 2>err.txt ||
        fail "2-D: $(cat err.txt)"
    "$PY" -c 'import json; json.load(open("o.json"))' || fail "JSON"
    # two real paths that are the same file are still refused up front
    rm -f o.json out.txt err.txt
    EXPECT_RC=2 expect_error lattice-network --dim 8 --states s.csv --transitions ./s.csv
    ;;
many_basins)
    # F10: eight independent double wells have 2^8 = 256 basins (the limit was
    # 250 and exact refused everything, calling phi "too rugged"); ln Z/D, the
    # basin count and their probabilities against the product of one-block sums
    P='(-m1^2+0.01*m1)+(-m2^2+0.02*m2)+(-m3^2+0.03*m3)+(-m4^2+0.04*m4)+(-m5^2+0.05*m5)+(-m6^2+0.06*m6)+(-m7^2+0.07*m7)+(-m8^2+0.08*m8)'
    "$H" exact --block-sizes 2,2,2,2,2,2,2,2 --beta 2 --phi "$P" --json >e.json || fail "exit code"
    "$PY" - <<'PYEOF' || fail "eight wells"
import json, math, itertools
d = json.load(open("e.json"))
D, beta = 16, 2.0
w = []  # per block: weights of n = 0, 1, 2
for i in range(1, 9):
    w.append([math.comb(2, n) * math.exp(-beta * D * (-(n - 1) ** 2 + 0.01 * i * (n - 1))) for n in range(3)])
lz = sum(math.log(sum(x)) for x in w) / D
assert abs(d["lnZ_per_dim"] - lz) <= 1e-14 * abs(lz), (d["lnZ_per_dim"], lz)
# each basin: every block at n = 0 or n = 2 (the middle class n = 1 ascends to the larger end)
assert len(d["basins"]) == 256, len(d["basins"])
probs = sorted(b["probability"] for b in d["basins"])
ref = []
for ends in itertools.product((0, 2), repeat=8):
    p = 1.0
    for i, e in enumerate(ends):
        x = w[i]
        top = 0 if x[0] >= x[2] else 2
        p *= (x[e] + (x[1] if e == top else 0)) / sum(x)
    ref.append(p)
ref.sort()
assert all(abs(a - b) <= 1e-13 * b + 1e-300 for a, b in zip(probs, ref)), (probs[:3], ref[:3])
PYEOF
    ;;
one_basin)
    # F1: with one basin the aliases name none, and the message says so
    # instead of offering them in the same line
    for b in 1 1e-300; do
        expect_error mfpt --block-sizes 3,4 --beta $b --phi 'm1'
        grep -q "one basin only (b1)" err.txt || fail "beta $b: $(cat err.txt)"
        ! grep -q "also liquid" err.txt || fail "beta $b offers the aliases: $(cat err.txt)"
    done
    ;;
clamped_probabilities)
    # F5: basin probabilities of evolve --blocks stay in [0, 1] (integrator
    # round-off printed -3.2e-15 and 1.00000000006); the start at t = 0 exact
    for f in class:5 m=1,1; do
        "$H" evolve --block-sizes 3,4 --phi 'm1*m2+0.1*m1' --beta 1 --from "$f" \
            --times 0,1e-300,1e-10,1e-5,1,1e3 --json >e.json || fail "exit code"
        "$PY" - <<'PYEOF' || fail "probabilities out of [0, 1] from $f"
import json
e = json.load(open("e.json"))
# a population that lost its digits is null: its value is bound - error
v = lambda b: b["probability"] if b["probability"] is not None else b["probability_bound"] - b["population_error"]
for p in e["points"]:
    for b in p["basins"]:
        assert 0 <= v(b) <= 1, (p["t"], b)
    assert abs(sum(v(b) for b in p["basins"]) - 1) < 1e-9, p
assert sorted(b["probability"] for b in e["points"][0]["basins"])[-1] == 1, e["points"][0]
PYEOF
    done
    ;;
*) fail "unknown test $T" ;;
esac
