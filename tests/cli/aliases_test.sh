#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Basin names of the --blocks kinetics (branch aliases): an alias (crystal,
# liquid) that ties in phi with other basins is refused naming them (F1);
# ties are numbered by class; clipped tables say so, --to takes a list (a
# union target, checked against a Python MFPT), flat tops are one basin,
# evolve --blocks --from FILE, the same basin twice is a usage error (F9);
# output times 0 and 1e-300 give the start distribution exactly (F10).
# usage: aliases_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}
"$PY" -c 'import numpy' 2>/dev/null || PY=/usr/bin/python3

# symmetric under m_i -> -m_i and under permutations: 2^K corners tie
P3='-(m1^2+m2^2+m3^2) + 0.5*(m1^4+m2^4+m3^4)'
P2='-(m1^2+m2^2) + 0.5*(m1^4+m2^4)'
# the same, tilted: every corner has its own phi
P3T="$P3 + 0.01*m1 + 0.001*m2 + 0.0001*m3"

case "$T" in
tie)
    # F1: every command that takes the aliases refuses them where they tie
    EXPECT_RC=1
    for spec in "" "--from b8" "--from b8 --to crystal" "--from liquid --to b1"; do
        # shellcheck disable=SC2086
        expect_error mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3" $spec
        grep -q "is ambiguous at beta = 3: 8 basins tie in phi.*b1, b2, b3, b4, b5, b6, b7, b8.*m=" \
            err.txt || fail "mfpt $spec: $(cat err.txt)"
    done
    expect_error relaxation --blocks 3 --dim 12 --phi "$P3" --temperatures 0.4
    grep -q "'liquid' is ambiguous" err.txt || fail "relaxation: $(cat err.txt)"
    expect_error relaxation --blocks 3 --dim 12 --phi "$P3" --temperatures 0.4 --liquid b8
    grep -q "'crystal' is ambiguous" err.txt || fail "relaxation --liquid b8: $(cat err.txt)"
    for cmd in "scan --t-high 1 --t-low 0.5 --cooling-rates 0.1" \
               "kovacs --t0 2 --t2 1 --t1 0.5" "ageing --t0 2 --t 0.5 --tw 1"; do
        # shellcheck disable=SC2086
        expect_error $cmd --blocks 3 --dim 12 --phi "$P3"
        grep -q "'liquid' is ambiguous" err.txt || fail "$cmd: $(cat err.txt)"
    done
    expect_error lattice-network --blocks 3 --dim 12 --phi "$P3" --beta 3 --states s.csv \
        --transitions t.csv --start-set a.txt --target-set b.txt --from b8
    grep -q "'crystal' is ambiguous" err.txt || fail "lattice-network: $(cat err.txt)"
    expect_error evolve --blocks 3 --dim 12 --phi "$P3" --beta 3 --from liquid --times 1
    grep -q "'liquid' is ambiguous" err.txt || fail "evolve: $(cat err.txt)"
    expect_error kmc --blocks 3 --dim 12 --phi "$P3" --beta 3 --from b8 --to crystal --times 1 \
        --trajectories 4 --seed 1
    grep -q "'crystal' is ambiguous" err.txt || fail "kmc: $(cat err.txt)"
    expect_error exact --blocks 3 --dim 12 --phi "$P3" --melting --beta-lo 0.5 --beta-hi 3
    grep -q "is ambiguous" err.txt || fail "exact --melting: $(cat err.txt)"
    # two equal blocks (names of f's maxima): crystal ties with branch-3..5
    expect_error mfpt --blocks 2 --dim 20 --beta 2 --phi "$P2" --from branch-5
    grep -q "'crystal' is ambiguous.*4 basins.*crystal, branch-3, branch-4, branch-5" err.txt ||
        fail "pair: $(cat err.txt)"
    unset EXPECT_RC
    # the b-names of ties: in the order of the class, i.e. of m lexicographically
    "$H" exact --blocks 3 --dim 12 --beta 3 --phi "$P3" --json >e.json || fail "exact"
    "$PY" - <<'EOF' || fail "tie numbering"
import itertools, json
e = json.load(open("e.json"))
b = [x for x in e["basins"] if x["name"].startswith("b")]
want = [list(map(float, c)) for c in itertools.product((-1, 1), repeat=3)]
assert [x["name"] for x in b] == ["b%d" % i for i in range(1, 9)], b
assert [x["m"] for x in b] == want, [x["m"] for x in b]
EOF
    # no tie: the aliases are the basins of the lowest / highest phi, as named
    "$H" mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3T" --json >a.json || fail "aliases"
    "$H" mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3T" --from b8 --to b1 --json >n.json ||
        fail "names"
    "$H" exact --blocks 3 --dim 12 --beta 3 --phi "$P3T" --json >t.json || fail "exact tilted"
    "$PY" - <<'EOF' || fail "aliases without a tie"
import json
a, n, t = (json.load(open(f)) for f in ("a.json", "n.json", "t.json"))
assert a["ln_mfpt"] == n["ln_mfpt"] and a["start"] == n["start"], (a, n)
b = {x["name"]: x for x in t["basins"]}
# independent: phi at the corners
f = lambda m: -sum(v * v for v in m) + 0.5 * sum(v ** 4 for v in m) + 0.01 * m[0] + 0.001 * m[1] + 0.0001 * m[2]
assert b["b1"]["m"] == [-1, -1, -1] and b["b8"]["m"] == [1, 1, 1], b
assert min(b, key=lambda k: f(b[k]["m"])) == "b1" and max(b, key=lambda k: f(b[k]["m"])) == "b8"
EOF
    "$H" mfpt --blocks 3 --help | grep -q "refused (exit 1)" || fail "--help"
    ;;
clip)
    # F9a: a text table that shows fewer basins or blocks than there are says so
    "$H" evolve --blocks 3 --dim 12 --beta 3 --phi "$P3" --from b2 --times 0,1 >o.txt ||
        fail "evolve"
    grep -q "clipped: the table shows 3 of 3 <m_i> and 6 of 8 basins" o.txt || fail "$(cat o.txt)"
    "$H" evolve --blocks 3 --dim 12 --beta 3 --phi "$P3" --from b2 --times 0,1 --json >e.json ||
        fail "evolve --json"
    "$PY" -c '
import json
e = json.load(open("e.json"))
assert e["basins_listed"] == 8 and e["basins_clipped"] == 0, e
assert all(len(p["basins"]) == 8 for p in e["points"])
' || fail "json"
    # six basins or fewer: no note
    "$H" evolve --blocks 2 --dim 20 --beta 1 --from liquid --times 0,1 >o.txt || fail "pair"
    ! grep -q clipped o.txt || fail "a note without clipping: $(cat o.txt)"
    "$H" exact --blocks 9 --dim 9 --beta 1 --phi m1 >o.txt || fail "exact k = 9"
    grep -q "clipped: cov(m) shows 8 of 9 rows" o.txt || fail "$(cat o.txt)"
    "$H" kmc --blocks 7 --dim 7 --beta 1 --phi m1 --from class:0 --times 1 --trajectories 4 \
        --seed 1 >o.txt || fail "kmc k = 7"
    grep -q "clipped: the table shows 6 of 7 <m_i>" o.txt || fail "$(cat o.txt)"
    ;;
union)
    # F9b: --to b1,b3 is the union of the two basins, against a Python MFPT
    "$H" exact --blocks 3 --dim 12 --beta 3 --phi "$P3" --distribution d.csv >/dev/null ||
        fail "distribution"
    "$H" mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3" --from b8 --to b1,b3 --json >u.json ||
        fail "union"
    "$H" mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3" --from b8 --to m=-1,1,-1,b1 --json >v.json ||
        fail "union with a point"
    "$H" lattice-network --blocks 3 --dim 12 --phi "$P3" --beta 3 --states s.csv \
        --transitions t.csv --start-set a.txt --target-set b.txt --from b8 --to b1,b3 ||
        fail "lattice-network"
    "$PY" - <<'EOF' || fail "union against python"
import csv, json, math
import numpy as np
u, v = json.load(open("u.json")), json.load(open("v.json"))
assert u["ln_mfpt"] == v["ln_mfpt"] and u["target_classes"] == v["target_classes"]
rows = [r for r in csv.DictReader(l for l in open("d.csv") if not l.startswith("#"))]
basin = {int(r["class"]): r["basin"] for r in rows}
target = sorted(i for i, b in basin.items() if b in ("b1", "b3"))
assert u["target_classes"] == len(target), (u["target_classes"], len(target))
ids = [int(x) for x in open("b.txt").read().split()]
assert ids[0] == len(target) and ids[1:] == target, ids[:5]
# the class-lattice chain: K(n -> n + e_i) = (D_i - n_i) exp(-beta D dphi / 2)
D, beta, S = 12, 3.0, 4
def phi(n):
    m = [(2 * x - S) / S for x in n]
    return -sum(x * x for x in m) + 0.5 * sum(x ** 4 for x in m)
cls = [(a, b, c) for a in range(S + 1) for b in range(S + 1) for c in range(S + 1)]
idx = {n: i for i, n in enumerate(cls)}
N = len(cls)
K = np.zeros((N, N))
for n in cls:
    for i in range(3):
        if n[i] < S:
            up = list(n); up[i] += 1; up = tuple(up)
            d = phi(up) - phi(n)
            K[idx[n], idx[up]] = (S - n[i]) * math.exp(-beta * D * d / 2)
            K[idx[up], idx[n]] = up[i] * math.exp(beta * D * d / 2)
free = [i for i in range(N) if i not in set(target)]
A = K[np.ix_(free, free)] - np.diag(K[free].sum(axis=1))
tau = np.linalg.solve(A, -np.ones(len(free)))
start = u["start"]["class"]
assert start == idx[(S, S, S)], start
t = tau[free.index(start)]
assert abs(math.log(t) - u["ln_mfpt"]) < 1e-8, (math.log(t), u["ln_mfpt"])
EOF
    # a list where one basin is wanted, a basin listed twice: usage errors
    rm -f ./*.csv ./*.json ./*.txt
    EXPECT_RC=2 expect_error mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3" --from b1,b2 --to b8
    EXPECT_RC=2 expect_error mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3" --from b8 \
        --to b1,m=-1,-1,-1
    grep -q "listed twice" err.txt || fail "$(cat err.txt)"
    EXPECT_RC=1 expect_error mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3" --from b8 --to b1,b9
    grep -q "no basin 'b9'.*basins: b1" err.txt || fail "$(cat err.txt)"
    ;;
kmc_union)
    # kmc --blocks --to takes mfpt's lists (hl_blocks_passage_sets: the union
    # of the basins, points m=... among them): its exact MFPT is mfpt's to
    # 1e-12, and the sampled mean first-passage time (fixed seed) is within
    # 4 standard errors of it, while the MFPT to the first basin alone is
    # not (so a target of one basin would fail); the same set named with a
    # point gives the same trajectories
    while IFS='|' read -r model from to alone point; do
        # shellcheck disable=SC2086
        "$H" mfpt $model --from "$from" --to "$to" --json >m.json || fail "mfpt $model $to"
        # shellcheck disable=SC2086
        "$H" mfpt $model --from "$from" --to "$alone" --json >a.json || fail "mfpt $model $alone"
        # shellcheck disable=SC2086
        "$H" kmc $model --from "$from" --to "$to" --times 1 --trajectories 10000 --seed 12345 \
            --json >k.json || fail "kmc $model --to $to"
        # shellcheck disable=SC2086
        "$H" kmc $model --from "$from" --to "$point" --times 1 --trajectories 10000 --seed 12345 \
            --json >p.json || fail "kmc $model --to $point"
        "$PY" - "$model $to" <<'PYEOF' || fail "kmc --to $to against mfpt: $model"
import json, math, sys
m, a, k, p = (json.load(open(x)) for x in ("m.json", "a.json", "k.json", "p.json"))
f = k["fpt"]
assert f["n"] == f["reached"] == 10000, f
assert abs(f["exact_ln_mfpt"] - m["ln_mfpt"]) <= 1e-12 * abs(m["ln_mfpt"]), (f, m["ln_mfpt"])
z = (f["mean"] - m["mfpt"]) / f["sem"]
za = (f["mean"] - a["mfpt"]) / f["sem"]
print(sys.argv[1], "kmc", f["mean"], "+-", f["sem"], "mfpt", m["mfpt"], "z", z, "one basin z", za)
assert abs(z) <= 4, z
assert abs(za) > 4, za
assert p["fpt"] == f, (p["fpt"], f)
PYEOF
    done <<EOF
--blocks 3 --dim 12 --beta 1.5 --phi ${P3// /}|b8|b1,b3|b1|m=-1,1,-1,b1
--block-sizes 12,8 --beta 1 --phi ${P2// /}+0.01*m1+0.002*m2|b4|b1,b2|b1|b1,m=-0.8,1
EOF
    rm -f m.json a.json k.json p.json
    # the errors of mfpt's lists: the start's basin in the list, a basin
    # twice, a name that is no basin
    M3="--blocks 3 --dim 12 --beta 1.5 --phi ${P3// /} --times 1 --seed 1"
    # shellcheck disable=SC2086
    EXPECT_RC=2 expect_error kmc $M3 --from b8 --to b1,b8
    grep -q "same basin" err.txt || fail "start in the list: $(cat err.txt)"
    # shellcheck disable=SC2086
    EXPECT_RC=2 expect_error kmc $M3 --from b8 --to b1,b1
    grep -q "listed twice" err.txt || fail "twice: $(cat err.txt)"
    # shellcheck disable=SC2086
    EXPECT_RC=1 expect_error kmc $M3 --from b8 --to b1,nope
    grep -q "no basin 'nope'.*basins: b1, b2" err.txt || fail "unknown: $(cat err.txt)"
    # from a class outside the union: runs, no exact MFPT; inside: refused
    # shellcheck disable=SC2086
    "$H" kmc $M3 --from class:3 --to b1,b3 --trajectories 10 --json >c.json || fail "class:3"
    grep -q '"exact_mfpt": null' c.json || fail "class:3 exact"
    rm -f c.json
    # shellcheck disable=SC2086
    EXPECT_RC=2 expect_error kmc $M3 --from class:0 --to b3,b1
    grep -q "is in the --to basin b1" err.txt || fail "class in the target: $(cat err.txt)"
    ;;
plateau)
    # F9c: lattice maxima of exactly equal ln Q next to each other are one
    # basin (odd blocks, a phi even in every m: ln C(3,1) = ln C(3,2) ...)
    "$H" exact --blocks 1 --dim 3 --beta 1 --phi 0 --json >a.json || fail "k = 1"
    "$H" exact --block-sizes 3,5 --beta 1 --phi 0 --json >b.json || fail "3,5"
    "$H" exact --block-sizes 3,5,7 --beta 1 --phi 'm1^2*m2^2+m3^4' --json >c.json || fail "3,5,7"
    "$PY" - <<'EOF' || fail "plateaus"
import json, math, itertools
for f, sizes in (("a.json", (3,)), ("b.json", (3, 5)), ("c.json", (3, 5, 7))):
    e = json.load(open(f))
    bs = [b for b in e["basins"] if b["classes"] > 0]
    assert len(bs) == 1, (f, [(b["name"], b["m"]) for b in bs])
    b = bs[0]
    assert b["classes"] == math.prod(s + 1 for s in sizes) and b["probability"] == 1, b
    # the end: the lowest class (lexicographic n) of the flat top
    want = [(2 * ((s - 1) // 2) - s) / s for s in sizes]
    assert all(abs(x - y) < 1e-12 for x, y in zip(b["m"], want)), (b["m"], want)
EOF
    # a phi that is not flat keeps its two basins (no merging of distinct maxima)
    "$H" exact --blocks 1 --dim 9 --beta 3 --phi '-m1^2+m1^4' --json >d.json || fail "double well"
    "$PY" -c '
import json
e = json.load(open("d.json"))
assert [b["name"] for b in e["basins"]] == ["b1", "b2"], e["basins"]
' || fail "double well"
    ;;
from_file)
    # F9d: evolve --blocks --from FILE (as 2-D evolve): Q over the classes
    "$H" exact --blocks 3 --dim 12 --beta 0.7 --phi "$P3" --distribution d.csv --json >x.json ||
        fail "exact"
    "$H" evolve --blocks 3 --dim 12 --beta 0.7 --phi "$P3" --from d.csv --times 0,5 --json \
        >e.json || fail "evolve --from FILE"
    # a hand-written file by n1..nK and Q: one class, as class:INDEX
    printf 'n1,n2,n3,Q\n0,0,4,2.5\n' >one.csv
    "$H" evolve --blocks 3 --dim 12 --beta 3 --phi "$P3" --from one.csv --times 0,1 --json \
        >f.json || fail "one class"
    "$H" evolve --blocks 3 --dim 12 --beta 3 --phi "$P3" --from class:4 --times 0,1 --json \
        >g.json || fail "class:4"
    "$PY" - <<'EOF' || fail "from FILE"
import json, math
x, e, f, g = (json.load(open(n)) for n in ("x.json", "e.json", "f.json", "g.json"))
p0, p1 = e["points"]
# equilibrium at the evolution's beta: stationary, <phi> that of exact
assert abs(p0["mean_phi"] - x["mean_phi"]) <= 1e-13 * abs(x["mean_phi"]), (p0, x["mean_phi"])
assert abs(p1["mean_phi"] - x["mean_phi"]) <= 1e-9 * abs(x["mean_phi"]), (p1, x["mean_phi"])
for a, b in zip(f["points"], g["points"]):
    assert abs(a["mean_phi"] - b["mean_phi"]) <= 1e-12, (a, b)
    assert [x["name"] for x in a["basins"]] == [x["name"] for x in b["basins"]], (a, b)
    # a population that lost its digits is null: compare its value (bound - error)
    v = lambda x: x["probability"] if x["probability"] is not None else x["probability_bound"] - x["population_error"]
    assert all(abs(v(x) - v(y)) < 1e-12 for x, y in zip(a["basins"], b["basins"])), (a, b)
# independent: class 4 = (0, 0, 4): m = (-1, -1, 1), phi = -1.5
assert f["points"][0]["mean_m"] == [-1, -1, 1] and f["points"][0]["mean_phi"] == -1.5
EOF
    EXPECT_RC=2
    KEEP='^(out|err)\.txt$|\.csv$|\.json$'
    printf 'n1,n2,Q\n0,0,1\n' >bad.csv
    expect_error evolve --blocks 3 --dim 12 --beta 3 --phi "$P3" --from bad.csv --times 1
    grep -q "header needs a column class (or n1..n3)" err.txt || fail "$(cat err.txt)"
    printf 'class,Q\n4,1\n4,1\n' >twice.csv
    expect_error evolve --blocks 3 --dim 12 --beta 3 --phi "$P3" --from twice.csv --times 1
    grep -q "class 4 appears twice" err.txt || fail "$(cat err.txt)"
    # a distribution of another lattice: its m do not match
    expect_error evolve --block-sizes 4,4,8 --beta 3 --phi "$P3" --from d.csv --times 1
    grep -q "another lattice" err.txt || fail "$(cat err.txt)"
    expect_error evolve --blocks 3 --dim 12 --beta 3 --phi "$P3" --from nothere.csv --times 1
    grep -q "a CSV FILE" err.txt || fail "$(cat err.txt)"
    ;;
same)
    # F9e: the same basin as start and target: a usage error (exit 2)
    EXPECT_RC=2
    expect_error mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3" --from b1 --to b1
    grep -q "same basin 'b1'" err.txt || fail "$(cat err.txt)"
    expect_error mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3T" --from crystal --to b1
    grep -q "same basin (b1)" err.txt || fail "$(cat err.txt)"
    expect_error mfpt --blocks 3 --dim 12 --beta 3 --phi "$P3" --from b8 --to m=0.9,0.9,0.9
    grep -q "same basin (b8)" err.txt || fail "$(cat err.txt)"
    expect_error lattice-network --blocks 3 --dim 12 --phi "$P3" --beta 3 --states s.csv \
        --transitions t.csv --start-set a.txt --target-set b.txt --from b2 --to b2
    expect_error lattice-network --blocks 3 --dim 12 --phi "$P3T" --beta 3 --states s.csv \
        --transitions t.csv --start-set a.txt --target-set b.txt --from b8 --to liquid
    grep -q "same basin (b8)" err.txt || fail "$(cat err.txt)"
    expect_error relaxation --blocks 3 --dim 12 --phi "$P3" --temperatures 0.4 --liquid b3 \
        --crystal b3
    expect_error kmc --blocks 3 --dim 12 --phi "$P3" --beta 3 --from b2 --to m=-1,-1,1 \
        --times 1 --trajectories 4 --seed 1
    grep -q "same basin (b2)" err.txt || fail "$(cat err.txt)"
    # and without --blocks
    expect_error mfpt --dim 100 --beta 1 --from liquid --to liquid
    expect_error lattice-network --dim 20 --beta 1 --states s.csv --transitions t.csv \
        --start-set a.txt --target-set b.txt --from crystal --to crystal
    grep -q "same basin 'crystal'" err.txt || fail "$(cat err.txt)"
    ;;
tiny_times)
    # F10: output times 0 and 1e-300 return the start distribution exactly
    printf 't,T\n0,1\n1,0.5\n' >p.csv
    for args in "--beta 3 --from b2" "--beta 3 --from infinite-temperature" \
                "--protocol p.csv --from equilibrium:0.5" \
                "--protocol p.csv --from b1 --transmission exp(-m1^2/T)"; do
        # shellcheck disable=SC2086
        "$H" evolve --blocks 3 --dim 12 --phi "$P3" $args --times 0,1e-300,1e-200 --output o.csv \
            >/dev/null || fail "evolve $args"
        # the state (through min_q): a population of 0 at t = 0 is exact,
        # at 1e-300 it is flagged (what could have moved, ~1e-196, exceeds it)
        # (the basins' probability and error columns and the means' errors
        # at the end left out)
        nme=$(grep -v '^#' o.csv | head -1 | tr , '\n' | grep -c '^mean_.*_error$')
        nerr=$(grep -v '^#' o.csv | head -1 | tr , '\n' | grep -c '_error$')
        nerr=$((nerr - nme))
        ncol=$(grep -v '^#' o.csv | head -1 | tr , '\n' | wc -l)
        grep -v '^#' o.csv | tail -n 3 | cut -d, -f4-$((ncol - 2 * nerr - nme)) | sort -u >rows.txt
        [ "$(wc -l <rows.txt)" -eq 1 ] || fail "$args: $(cat rows.txt)"
        ! grep -v '^#' o.csv | grep -qi nan || fail "$args: NaN"
    done
    # infinite temperature: Q = W / 2^D, so <m> = 0 and <ln W>/D by Python
    "$H" evolve --blocks 3 --dim 12 --beta 3 --phi "$P3" --from infinite-temperature \
        --times 1e-300 --json >i.json || fail "json"
    "$PY" - <<'EOF' || fail "infinite temperature"
import json, math, itertools
p = json.load(open("i.json"))["points"][0]
S, D = 4, 12
mw = sum(math.prod(math.comb(S, k) for k in n) / 2 ** D * sum(math.log(math.comb(S, k)) for k in n)
         for n in itertools.product(range(S + 1), repeat=3)) / D
assert p["mean_m"] == [0, 0, 0] and abs(p["mean_w"] - mw) <= 1e-14, (p, mw)
EOF
    # and without --blocks
    "$H" evolve --dim 20 --beta 2 --from liquid --times 0,1e-300 --output o.csv >/dev/null ||
        fail "2-D"
    # (beta .. the liquid's population; the crystal's 0 at t = 1e-300 is
    # flagged: what could have moved by then, 9e-295, exceeds it)
    grep -v '^#' o.csv | tail -n 2 | cut -d, -f2-11 | sort -u >rows.txt
    [ "$(wc -l <rows.txt)" -eq 1 ] || fail "2-D: $(cat rows.txt)"
    ;;
*) fail "unknown test $T" ;;
esac
exit 0
