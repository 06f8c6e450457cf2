#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of `hyperland kmc` (issue 11): ensembles against the master
# equation (evolve, network --evolve) and the first-passage solves (mfpt,
# network's passage) within 4 standard errors, a protocol, bit-identical
# output for any --threads, the seed in every output, the plot, errors.
# usage: kmc_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
DATA="$(cd "$(dirname "$0")/../data" && pwd)"

# py SCRIPT ARGS: run python3 on the strict JSON files given (NaN refused)
py() {
    python3 - "$@" || fail "check failed: $1"
}
CHECK='
import json, sys, math
def bad(c): raise ValueError("non-standard JSON constant " + c)
def load(f): return json.load(open(f), parse_constant=bad)
'

case "$T" in
help)
    "$H" kmc --help >out.txt || fail "--help"
    for o in --dim --beta --protocol --from --to --times --every --trajectories --seed \
        --max-events --output --keep --stats --fpt --plot --json --threads --db --temperature \
        --hypercube thinning; do
        grep -qF -- "$o" out.txt || fail "--help does not mention $o"
    done
    "$H" --help | grep -q "kmc" || fail "hyperland --help does not list kmc"
    ;;
lattice_evolve)
    # means and basin populations against evolve (a user phi and B too)
    for args in "--dim 20 --beta 1.2 --from infinite-temperature" \
        "--dim 16 --beta 1.0 --from liquid --transmission 1+x^2 --phi x+y-(x-y+0.2)^2+0.3*(x-y+0.2)^3"; do
        "$H" kmc $args --times 0.2,1,4,20 --trajectories 6000 --seed 5 --json >k.json || fail "kmc $args"
        "$H" evolve $args --times 0.2,1,4,20 --json >e.json || fail "evolve $args"
        python3 - k.json e.json <<PY || fail "kmc against evolve: $args"
$CHECK
k, e = load(sys.argv[1]), load(sys.argv[2])
assert k["seed"] == 5 and k["trajectories"] == 6000
for i, p in enumerate(e["points"]):
    for o in ("x", "y", "phi"):
        m, se = k["observables"][o]["mean"][i], k["observables"][o]["standard_error"][i]
        assert abs(m - p["mean_" + o]) <= 4 * se + 1e-12, (o, i, m, p["mean_" + o], se)
    for b in p["basins"]:
        q = k["populations"][b["name"]]
        pe, n = b["probability"], 6000
        assert abs(q["p"][i] - pe) <= 4 * math.sqrt((pe * (1 - pe) + 1 / n) / n), (b, q["p"][i])
PY
    done
    ;;
lattice_mfpt)
    # the first-passage mean against mfpt (the same start class and target
    # classes), the paper's model and a user B
    for args in "--dim 10 --beta 1.0" "--dim 12 --beta 0.9 --transmission 0.5+x^2"; do
        "$H" kmc $args --from liquid --to crystal --times 0 --trajectories 4000 --seed 9 \
            --fpt f.csv --json >k.json || fail "kmc $args"
        "$H" mfpt $args --from liquid --to crystal --json >m.json || fail "mfpt $args"
        python3 - k.json m.json <<PY || fail "kmc against mfpt: $args"
$CHECK
k, m = load(sys.argv[1]), load(sys.argv[2])
f = k["first_passage"]
assert f["reached"] == 4000 and "null_reason" not in f
assert abs(f["mean"] - m["mfpt"]) <= 4 * f["standard_error"], (f["mean"], f["standard_error"], m["mfpt"])
assert f["quantiles"]["0.05"] <= f["quantiles"]["0.5"] <= f["quantiles"]["0.95"]
assert sum(f["histogram"]["counts"]) == 4000
PY
        [ "$(grep -vc '^#' f.csv)" -eq 4001 ] || fail "--fpt rows"
        grep -q "seed 9" f.csv || fail "--fpt: seed not in the header"
    done
    ;;
network)
    # LJ38 tutorial network: the B -> A passage time against the network's
    # passage mfpt, and P_A(t) against network --evolve
    "$H" network --db "$DATA/LJ38-tutorial-12" --temperature 0.4 --json >n.json || fail "network"
    "$H" kmc --db "$DATA/LJ38-tutorial-12" --temperature 0.4 --from set:B --to A \
        --times 0,20,100,400 --trajectories 3000 --seed 2 --json >k.json || fail "kmc network"
    "$H" network --db "$DATA/LJ38-tutorial-12" --temperature 0.4 --evolve ev.csv --from set:B \
        --times 0,20,100,400 >/dev/null || fail "network --evolve"
    python3 - k.json n.json ev.csv <<PY || fail "kmc against network"
$CHECK
import csv
k, n = load(sys.argv[1]), load(sys.argv[2])
ref = [p for p in n["passage"] if p["from"] == "B" and p["to"] == "A"][0]["mfpt"]
f = k["first_passage"]
assert f["reached"] == 3000
assert abs(f["mean"] - ref) <= 4 * f["standard_error"], (f["mean"], f["standard_error"], ref)
rows = [r for r in csv.reader(l for l in open(sys.argv[3]) if not l.startswith("#"))]
h = rows[0]
for i, r in enumerate(rows[1:]):
    pa = float(r[h.index("P_A")])
    q = k["populations"]["A"]
    assert abs(q["p"][i] - pa) <= 4 * math.sqrt((pa * (1 - pa) + 1 / 3000) / 3000), (i, q["p"][i], pa)
    e = float(r[h.index("mean_energy")])
    o = k["observables"]["energy"]
    assert abs(o["mean"][i] - e) <= 4 * o["standard_error"][i] + 1e-9, (i, o["mean"][i], e)
PY
    ;;
protocol)
    # a cooling protocol (class lattice) and a heating one (network) against
    # the master equation under the same protocol
    printf 't,T\n0,2.0\n3,0.5\n' >cool.csv
    "$H" kmc --dim 16 --protocol cool.csv --from infinite-temperature --times 0.5,1.5,3,6 \
        --trajectories 6000 --seed 4 --json >k.json || fail "kmc protocol"
    "$H" evolve --dim 16 --protocol cool.csv --from infinite-temperature --times 0.5,1.5,3,6 \
        --json >e.json || fail "evolve protocol"
    python3 - k.json e.json <<PY || fail "kmc against evolve under a protocol"
$CHECK
k, e = load(sys.argv[1]), load(sys.argv[2])
assert k["method"].startswith("gillespie-bkl with exact thinning")
for i, p in enumerate(e["points"]):
    for o in ("x", "y"):
        m, se = k["observables"][o]["mean"][i], k["observables"][o]["standard_error"][i]
        assert abs(m - p["mean_" + o]) <= 4 * se, (o, i, m, p["mean_" + o], se)
PY
    printf 't,T\n0,0.25\n200,0.45\n' >heat.csv
    "$H" kmc --db "$DATA/LJ38-tutorial-12" --protocol heat.csv --from set:B --times 50,200,400 \
        --trajectories 3000 --seed 8 --stats s.csv >/dev/null || fail "kmc network protocol"
    "$H" network --db "$DATA/LJ38-tutorial-12" --protocol heat.csv --evolve ev.csv --from set:B \
        --times 50,200,400 >/dev/null || fail "network --evolve protocol"
    python3 - s.csv ev.csv <<PY || fail "kmc network protocol against network --evolve"
import csv, sys, math
def rows(f): return list(csv.DictReader(l for l in open(f) if not l.startswith("#")))
s, e = rows(sys.argv[1]), rows(sys.argv[2])
for a, b in zip(s, e):
    assert abs(float(a["mean_energy"]) - float(b["mean_energy"])) <= 4 * float(a["se_energy"]) + 1e-9, (a, b)
    pa = float(b["P_A"])
    assert abs(float(a["P_A"]) - pa) <= 4 * math.sqrt((pa * (1 - pa) + 1 / 3000) / 3000), (a, b)
PY
    ;;
threads)
    # the same seed: the same output bit for bit with 1 and 2 threads (the
    # provenance's command line aside)
    for th in 1 2; do
        "$H" kmc --dim 12 --beta 1.0 --from liquid --to crystal --times 0.5,2,8 --trajectories 500 \
            --seed 77 --threads $th --output t$th.csv --stats s$th.csv --fpt f$th.csv --json >j$th.json ||
            fail "threads $th"
        "$H" kmc --db "$DATA/LJ38-tutorial-12" --protocol <(printf 't,T\n0,0.3\n50,0.5\n') \
            --from set:B --to A --times 10,60 --trajectories 300 --seed 78 --threads $th \
            --output n$th.csv --every 7 --keep 3 >/dev/null 2>&1 || fail "network threads $th"
    done
    for f in t s f n; do
        cmp <(grep -v '^#' ${f}1.csv) <(grep -v '^#' ${f}2.csv) || fail "$f differs with --threads"
    done
    python3 - j1.json j2.json <<PY || fail "JSON differs with --threads"
$CHECK
a, b = load(sys.argv[1]), load(sys.argv[2])
del a["provenance"], b["provenance"]
assert a == b
assert a["kept_trajectories"] == 100 and len(a["trajectory_rows"]) == 100
assert all(len(t) == 3 for t in a["trajectory_rows"])
PY
    [ "$(grep -vc "^#" t1.csv)" -eq 301 ] || fail "--output rows"
    grep -q '^0,7,' n1.csv || fail "--every: no row after 7 events"
    ;;
seed)
    # without --seed: drawn, printed on stderr, written into every output;
    # --seed repeats the run
    "$H" kmc --dim 8 --beta 1 --from liquid --times 1,2 --trajectories 20 --output a.csv \
        --stats b.csv --json >a.json 2>err.txt || fail "run without a seed"
    s=$(sed -n 's/.*seed \([0-9]*\) (drawn.*/\1/p' err.txt)
    [ -n "$s" ] || fail "the drawn seed is not on stderr: $(cat err.txt)"
    grep -q "seed $s (drawn)" a.csv || fail "seed not in --output"
    grep -q "seed $s (drawn)" b.csv || fail "seed not in --stats"
    grep -q "\"seed\": $s, \"seed_drawn\": true" a.json || fail "seed not in the JSON"
    "$H" kmc --dim 8 --beta 1 --from liquid --times 1,2 --trajectories 20 --output c.csv \
        --seed "$s" >/dev/null 2>&1 || fail "rerun"
    cmp <(grep -v '^#' a.csv) <(grep -v '^#' c.csv) || fail "--seed $s does not repeat the run"
    # the largest seed; '-' is stdout
    "$H" kmc --dim 8 --beta 1 --from liquid --times 1 --seed 18446744073709551615 --output - \
        >o.csv 2>/dev/null || fail "seed 2^64 - 1"
    grep -q '^0,1,' o.csv || fail "--output - on stdout"
    ;;
plot)
    "$H" kmc --dim 16 --beta 1.1 --from infinite-temperature --times 0,0.5,1,2,5,10,20 \
        --trajectories 200 --seed 3 --plot k.png >/dev/null || fail "lattice plot"
    [ -s k.png ] && [ "$(head -c 4 k.png | tail -c 3)" = PNG ] || fail "no PNG"
    "$H" kmc --db "$DATA/LJ38-tutorial-12" --temperature 0.4 --from set:B --times 0,50,100,200,400 \
        --trajectories 200 --seed 3 --plot n.png >/dev/null || fail "network plot"
    [ "$(head -c 4 n.png | tail -c 3)" = PNG ] || fail "no network PNG"
    ;;
errors)
    B="--dim 8 --beta 1 --from liquid --times 1"
    EXPECT_RC=2 expect_error kmc $B --seed -1
    EXPECT_RC=2 expect_error kmc $B --seed abc
    EXPECT_RC=2 expect_error kmc $B --seed 18446744073709551616
    EXPECT_RC=2 expect_error kmc $B --seed ''
    EXPECT_RC=2 expect_error kmc --dim 8 --beta 1 --from liquid --times 2,1 --seed 1
    EXPECT_RC=2 expect_error kmc --dim 8 --beta 1 --from liquid --times -1 --seed 1
    EXPECT_RC=2 expect_error kmc --dim 8 --beta 1 --from liquid --seed 1
    EXPECT_RC=2 expect_error kmc $B --seed 1 --fpt f.csv
    EXPECT_RC=2 expect_error kmc --dim 8 --beta 1 --from infinite-temperature --to crystal --times 1 --seed 1
    EXPECT_RC=1 expect_error kmc $B --to nowhere --seed 1
    EXPECT_RC=2 expect_error kmc $B --seed 1 --trajectories 0
    EXPECT_RC=2 expect_error kmc $B --seed 1 --every 5
    EXPECT_RC=2 expect_error kmc $B --seed 1 --db "$DATA/LJ38-tutorial-12"
    EXPECT_RC=2 expect_error kmc --dim 7 --beta 1 --from liquid --times 1 --seed 1
    EXPECT_RC=2 expect_error kmc --db "$DATA/LJ38-tutorial-12" --temperature 0.4 --from set:B \
        --to C --times 1 --seed 1
    EXPECT_RC=2 expect_error kmc --db "$DATA/LJ38-tutorial-12" --beta 1 --from set:B --times 1
    EXPECT_RC=2 expect_error kmc --hypercube --dim 100
    grep -q "kmc --hypercube: give exactly one of --beta B, --temperature T and --protocol FILE" err.txt ||
        fail "--hypercube message: $(cat err.txt)"
    # nothing written when the run fails
    EXPECT_RC=1 expect_error kmc $B --to nowhere --seed 1 --output x.csv
    [ ! -e x.csv ] || fail "an output of a failed run was left"
    ;;
mpi)
    # hyperland-mpi (-DHL_MPI=ON) on 2 ranks: the same data as one process
    M="${3:?the MPI binary}"
    A="--dim 12 --beta 1.0 --from liquid --to crystal --times 0.5,2,8 --trajectories 301 --seed 61"
    "$H" kmc $A --output a1.csv --stats s1.csv --fpt f1.csv --json >j1.json 2>/dev/null || fail "one process"
    mpirun --allow-run-as-root --oversubscribe -np 2 "$M" kmc $A --threads 1 --output a2.csv \
        --stats s2.csv --fpt f2.csv --json >j2.json 2>err.txt || fail "mpirun: $(head -c 300 err.txt)"
    for f in a s f; do
        cmp <(grep -v '^#' ${f}1.csv) <(grep -v '^#' ${f}2.csv) || fail "$f differs under MPI"
    done
    python3 - j1.json j2.json <<PY || fail "JSON differs under MPI"
$CHECK
a, b = load(sys.argv[1]), load(sys.argv[2])
del a["provenance"], b["provenance"]
assert a == b
PY
    # a drawn seed is rank 0's on every rank: one line on stderr
    mpirun --allow-run-as-root --oversubscribe -np 2 "$M" kmc --dim 8 --beta 1 --from liquid \
        --times 1 --trajectories 5 --output o.csv 2>err.txt >/dev/null || fail "mpirun, drawn seed"
    [ "$(grep -c 'seed .* (drawn' err.txt)" -eq 1 ] || fail "the drawn seed: $(cat err.txt)"
    ;;
*) fail "unknown test" ;;
esac
exit 0
