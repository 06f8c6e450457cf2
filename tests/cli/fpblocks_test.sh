#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of issue 12's fpblocks branch: fokker-planck --blocks K with
# --protocol and --from (the evolution of the Fokker-Planck equation in
# k <= 3 block magnetisations, hl_fp_blocks_evolve).
# usage: fpblocks_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

case "$T" in
pair_protocol)
    # two equal blocks under a beta ramp and a T protocol with a kink, from a
    # basin, an equilibrium and a class file (the 2-D 'exact --distribution'
    # and the k-block one): the 2-D command's CSV columns (and the spectrum
    # at the initial beta) to 1e-10, both at --rtol 1e-10 (measured
    # differences 5e-14 .. 4e-12)
    printf 't,beta\n0,0.5\n50,0.8\n' >pb.csv
    printf '# a T protocol\nt,T\n0,2\n30,1.25\n60,1.6\n' >pt.csv
    "$H" exact --dim 60 --beta 0.3 --distribution d2.csv >/dev/null || fail "exact"
    "$H" exact --blocks 2 --dim 60 --beta 0.3 --distribution dk.csv >/dev/null || fail "exact --blocks"
    for run in "pb.csv crystal" "pt.csv equilibrium:0.3" "pt.csv d2.csv" "pb.csv dk.csv" \
               "pt.csv liquid"; do
        set -- $run
        from=$2
        [ "$from" = dk.csv ] && from2=d2.csv || from2=$from
        common="--dim 60 --protocol $1 --grid 24 --rates 3 --times 0,1,10,40,100,1000 --rtol 1e-10"
        "$H" fokker-planck $common --from "$from2" --output a.csv --json >a.json 2>/dev/null || fail "2-D: $run"
        "$H" fokker-planck --blocks 2 $common --from "$from" --output b.csv --json >b.json 2>/dev/null ||
            fail "--blocks 2: $run"
        "$PY" - a.csv b.csv a.json b.json <<'PYEOF' || fail "differ: $run"
import csv, json, sys
def rows(f):
    return list(csv.DictReader(l for l in open(f) if not l.startswith('#')))
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert len(a) == len(b) == 6
for ra, rb in zip(a, b):
    # the 2-D columns, and m1 = x + y, m2 = x - y
    for k in ra:
        if k in ('sum_error', 'min_q'):
            continue
        tol = 1e-10 if k not in ('t', 'beta', 'T') else 1e-12
        assert abs(float(ra[k]) - float(rb[k])) <= tol, (k, ra[k], rb[k])
    for k, s in (('mean_m1', 1), ('mean_m2', -1)):
        assert abs(float(rb[k]) - (float(ra['mean_x']) + s * float(ra['mean_y']))) <= 1e-10
    assert float(rb['sum_error']) < 1e-12
ja, jb = (json.load(open(f)) for f in sys.argv[3:5])
assert jb['rates'][0] == 0 and len(jb['points']) == 6
for j in range(1, 3):
    assert abs(ja['rates'][j] - jb['rates'][j]) <= 1e-12 * ja['rates'][j]
for pa, pb in zip(ja['points'], jb['points']):
    assert abs(pa['mean_x'] - pb['mean_x']) <= 1e-10
    pops = {q['name']: q['probability'] for q in pb['basins']}
    for q in pa['basins']:
        assert abs(q['probability'] - pops.get(q['name'], 0.0)) <= 1e-10, q
PYEOF
    done
    # a fixed beta (the Krylov exponential) and the text table's columns
    "$H" fokker-planck --dim 60 --beta 0.5 --grid 24 --rates 0 --from crystal --times 0,10,1000 \
        --rtol 1e-10 --output a.csv >/dev/null || fail "2-D fixed"
    "$H" fokker-planck --blocks 2 --dim 60 --beta 0.5 --grid 24 --rates 0 --from crystal \
        --times 0,10,1000 --rtol 1e-10 --output b.csv >out.txt || fail "--blocks fixed"
    grep -q 'mean_m1 *mean_m2 *mean_x *mean_y *mean_phi *free_energy *sum_err *liquid *crystal' out.txt ||
        fail "table header: $(cat out.txt)"
    "$PY" - a.csv b.csv <<'PYEOF' || fail "fixed beta differs"
import csv, sys
rows = [list(csv.DictReader(l for l in open(f) if not l.startswith('#'))) for f in sys.argv[1:3]]
for ra, rb in zip(*rows):
    for k in ('mean_x', 'mean_y', 'mean_phi', 'mean_w', 'free_energy', 'liquid', 'crystal'):
        assert abs(float(ra[k]) - float(rb[k])) <= 1e-10, (k, ra[k], rb[k])
PYEOF
    ;;
separable_three)
    # phi = g1(m1) + g2(m2) + g3(m3) in blocks of 6, 9, 12 under a protocol:
    # <m_i>(t) are those of block i alone (D_i spins, phi_i = (D / D_i) g_i),
    # and D <phi>, D F are the sums of D_i <phi_i>, D_i F_i
    printf 't,beta\n0,0.6\n1.5,1.2\n' >p.csv
    opts="--protocol p.csv --grid 10 --rates 0 --times 0,0.2,1,3,50 --rtol 1e-11"
    "$H" fokker-planck --block-sizes 6,9,12 $opts --from m=0.31,-0.22,0.13 \
        --phi '(0.5*m1^2-0.3*m1)+(-0.6*m2^2+0.1*m2)+(0.2*m3+0.1*m3^3)' --output k.csv >/dev/null ||
        fail "k = 3"
    "$H" fokker-planck --blocks 1 --dim 6 $opts --from m=0.31 --phi '4.5*(0.5*m1^2-0.3*m1)' \
        --output b1.csv >/dev/null || fail "block 1"
    "$H" fokker-planck --blocks 1 --dim 9 $opts --from m=-0.22 --phi '3*(-0.6*m1^2+0.1*m1)' \
        --output b2.csv >/dev/null || fail "block 2"
    "$H" fokker-planck --blocks 1 --dim 12 $opts --from m=0.13 --phi '2.25*(0.2*m1+0.1*m1^3)' \
        --output b3.csv >/dev/null || fail "block 3"
    "$PY" - <<'PYEOF' || fail "not the product of the blocks"
import csv
r = lambda f: list(csv.DictReader(l for l in open(f) if not l.startswith('#')))
k, bs, sz = r('k.csv'), [r('b%d.csv' % i) for i in (1, 2, 3)], (6, 9, 12)
for j, row in enumerate(k):
    for i in range(3):
        assert abs(float(row['mean_m%d' % (i + 1)]) - float(bs[i][j]['mean_m1'])) <= 1e-9
    for key in ('mean_phi', 'free_energy', 'mean_w'):
        s = sum(d * float(b[j][key]) for d, b in zip(sz, bs)) / 27
        assert abs(float(row[key]) - s) <= 1e-8, (key, row[key], s)
PYEOF
    ;;
master_three)
    # against the master equation (evolve --blocks) as D grows: phi = sum
    # g(m_i), g = 0.5 m^2 - 0.3 m, beta 1/3, from the equilibrium at beta 2/3:
    # the relaxing part of <m1>(0.3) differs by a relative O(1/D) (measured
    # -0.0646 at D = 24, -0.0359 at D = 48: order 0.85, blocks of 8 and 16)
    # and the equilibrium <m1> by O(1/D) (-0.0104, -0.0049); the grid error
    # is removed by Richardson from grids 16 and 24
    phi='(0.5*m1^2-0.3*m1)+(0.5*m2^2-0.3*m2)+(0.5*m3^2-0.3*m3)'
    b=0.3333333333333333
    s=equilibrium:0.6666666666666666
    for D in 24 48; do
        "$H" evolve --blocks 3 --dim $D --beta $b --phi "$phi" --from $s --times 0.3,200 \
            --rtol 1e-12 --json >me$D.json || fail "evolve D = $D"
        for g in 16 24; do
            "$H" fokker-planck --blocks 3 --dim $D --beta $b --phi "$phi" --grid $g --rates 0 \
                --from $s --times 0.3,200 --rtol 1e-12 --json >fp$D-$g.json 2>/dev/null || fail "fp D = $D"
        done
    done
    "$PY" - <<'PYEOF' || fail "no O(1/D) convergence"
import json
rel, eq = [], []
for D in (24, 48):
    me = json.load(open('me%d.json' % D))['points']
    a, b = (json.load(open('fp%d-%d.json' % (D, g)))['points'] for g in (16, 24))
    fp = [(576 * y['mean_m'][0] - 256 * x['mean_m'][0]) / 320 for x, y in zip(a, b)]
    m = [p['mean_m'][0] for p in me]
    rel.append((fp[0] - fp[1]) / (m[0] - m[1]) - 1)
    eq.append(fp[1] - m[1])
    # the three blocks are alike
    for i in (1, 2):
        assert abs(b[0]['mean_m'][i] - b[0]['mean_m'][0]) < 1e-10
print(rel, eq)
assert abs(rel[0]) < 0.1 and 1.5 < rel[0] / rel[1] < 2.5, rel
assert 1.8 < eq[0] / eq[1] < 2.4, eq
PYEOF
    ;;
options_pair)
    # --form linear, --window, --in-basin, --core, --branch, --at with two
    # equal blocks: the 2-D command's rates to 1e-12 relative (same grid in
    # m1 = s, m2 = d), the kept cells the same; the linear form's exact OU
    # rates those of 'gaussian --blocks --ou'; --at picks the nearest maximum
    for run in "--form linear --branch crystal --window 8" "--core --branch liquid --window 8" \
               "--core --branch crystal --window 6" "--in-basin --branch liquid" \
               "--form linear --branch liquid"; do
        common="--dim 60 --beta 0.5 --grid 40 --rates 5 $run"
        "$H" fokker-planck $common --json >a.json 2>/dev/null || fail "2-D: $run"
        "$H" fokker-planck --blocks 2 $common --json >b.json 2>/dev/null || fail "--blocks 2: $run"
        "$PY" - a.json b.json <<'PYEOF' || fail "differ: $run"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a['form'] == b['form']
for x, y in zip(a['rates'][1:], b['rates'][1:]):
    assert abs(x - y) <= 1e-12 * abs(x), (x, y)
if 'ou_rates' in a:
    for x, y in zip(a['ou_rates'], b['ou_rates']):
        assert abs(x - y) <= 1e-12 * abs(x) + 1e-300, (x, y)
d = a['domain']
assert abs(d['s_lo'] - b['domain'][0][0]) < 1e-14 and abs(d['d_hi'] - b['domain'][1][1]) < 1e-14
PYEOF
    done
    # the evolution with the options: the 2-D trajectory (CSV columns) to 1e-12
    for run in "--core --branch crystal --window 8 --from crystal" \
               "--form linear --branch liquid --window 8 --from liquid" \
               "--in-basin --branch liquid --from equilibrium:0.4"; do
        common="--dim 60 --beta 0.5 --grid 40 --rates 2 --times 0,0.1,1,10,100 --rtol 1e-10 $run"
        "$H" fokker-planck $common --output a.csv >/dev/null || fail "2-D: $run"
        "$H" fokker-planck --blocks 2 $common --output b.csv >/dev/null || fail "--blocks 2: $run"
        "$PY" - a.csv b.csv <<'PYEOF' || fail "trajectory differs: $run"
import csv, sys
def rows(f):
    return list(csv.DictReader(l for l in open(f) if not l.startswith('#')))
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert len(a) == len(b) == 5
for ra, rb in zip(a, b):
    for k in ra:
        if k in ('sum_error', 'min_q'):
            continue
        assert abs(float(ra[k]) - float(rb[k])) <= 1e-12, (k, ra[k], rb[k])
PYEOF
    done
    rm -f a.csv b.csv
    "$H" gaussian --blocks 2 --dim 60 --beta 0.5 --ou 5 --branch liquid --json >g.json || fail "gaussian"
    "$H" fokker-planck --blocks 2 --dim 60 --beta 0.5 --grid 40 --rates 5 --form linear \
        --at 0.3,0.9 --json >c.json || fail "--at"
    "$PY" - g.json c.json <<'PYEOF' || fail "--at / OU"
import json, sys
g, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert c['maximum']['branch'] == 'liquid', c['maximum']
for x, y in zip(g['maxima'][0]['ou_rates'], c['ou_rates']):
    assert abs(x - y) <= 1e-12 * abs(x), (x, y)
PYEOF
    # usage errors
    rm -f a.json b.json c.json g.json
    fp="fokker-planck --blocks 2 --dim 20 --grid 16 --rates 1 --beta 0.5"
    expect_error $fp --form linear
    grep -q 'need --branch' err.txt || fail "no maximum: $(cat err.txt)"
    expect_error $fp --branch liquid
    expect_error $fp --branch liquid --at 0,0 --core
    expect_error $fp --window 8 --at 0,0,0
    grep -q '2 numbers' err.txt || fail "--at: $(cat err.txt)"
    expect_error $fp --core --branch nonesuch
    grep -q 'nonesuch' err.txt || fail "branch: $(cat err.txt)"
    printf 't,beta\n0,0.5\n10,0.8\n' >ramp.csv
    KEEP='^(out|err)\.txt$|\.csv$'
    # the linear form and a basin stay at one beta (a window covers the
    # protocol: case protocol_grid)
    expect_error fokker-planck --blocks 2 --dim 20 --grid 16 --rates 1 --protocol ramp.csv \
        --in-basin --branch liquid --from liquid --times 0,1
    grep -q 'one beta' err.txt || fail "protocol: $(cat err.txt)"
    expect_error $fp --window 8 --core --branch crystal --from liquid --times 0,1
    grep -q 'outside' err.txt || fail "start outside: $(cat err.txt)"
    ;;
errors)
    # bad input: one line on stderr, nothing on stdout, a non-zero exit
    printf 't,beta\n0,0.5\n10,0.8\n' >ok.csv
    printf 't,beta\n0,0.5\n10,-0.8\n' >neg.csv
    printf 't,beta\n0,0.5\n10,0.8\n5,0.9\n' >back.csv
    printf 'time,beta\n0,0.5\n' >hdr.csv
    printf 't,beta\n0,nan\n' >nan.csv
    printf 'n1,n2,Q\n0,0,1\n99,0,1\n' >cls.csv
    printf 'n1,Q\n0,1\n' >cls2.csv
    "$H" exact --blocks 2 --dim 40 --beta 0.3 --distribution d40.csv >/dev/null || fail "exact"
    KEEP='^(out|err)\.txt$|\.csv$|^e_.*\.json$'
    fp="fokker-planck --blocks 2 --dim 20 --grid 16 --rates 1"
    for p in missing.csv neg.csv back.csv hdr.csv nan.csv; do
        expect_error $fp --protocol $p --from liquid --times 0,1
        grep -q "$p" err.txt || fail "protocol $p: $(cat err.txt)"
    done
    expect_error $fp --protocol neg.csv
    expect_error $fp --beta 0.5 --from m=1.5,0 --times 0,1
    grep -q -- "--from 'm=1.5,0': m1 = 1.5 is outside \[-1, 1\]" err.txt || fail "m = 1.5: $(cat err.txt)"
    expect_error $fp --beta 0.5 --from m=0,-1.0000001 --times 0,1
    expect_error $fp --beta 0.5 --from m=0.1 --times 0,1
    expect_error $fp --beta 0.5 --from m=0.1,nan --times 0,1
    expect_error $fp --beta 0.5 --from class:121 --times 0,1
    expect_error $fp --beta 0.5 --from basin:nonesuch --times 0,1
    grep -q 'nonesuch' err.txt || fail "basin: $(cat err.txt)"
    expect_error $fp --beta 0.5 --from equilibrium:-1 --times 0,1
    expect_error $fp --beta 0.5 --from nosuchfile.csv --times 0,1
    expect_error $fp --beta 0.5 --from cls.csv --times 0,1
    grep -q 'line 3' err.txt || fail "class file: $(cat err.txt)"
    expect_error $fp --beta 0.5 --from cls2.csv --times 0,1
    expect_error $fp --beta 0.5 --from d40.csv --times 0,1
    grep -q 'line [0-9]*: m[12] = .* a distribution of another lattice' err.txt ||
        fail "D = 40 file: $(cat err.txt)"
    # the reader of evolve --blocks (cli/blocks_class_file.c): a class column,
    # and n - n1 not formed before n is in range (it overflowed a long)
    printf 'class,Q\n5,1\n5,2\n' >twice.csv
    expect_error $fp --beta 0.5 --from twice.csv --times 0,1
    grep -q "twice.csv' line 3: class 5 appears twice" err.txt || fail "twice: $(cat err.txt)"
    printf 'n,n1,Q\n-9223372036854775808,1,1\n' >huge.csv
    expect_error $fp --beta 0.5 --from huge.csv --times 0,1
    grep -q "huge.csv' line 2: not a class of this lattice" err.txt || fail "huge: $(cat err.txt)"
    # the 2-D file's n, n1 (n2 = n - n1) name the class as n1, n2 do, in
    # evolve --blocks too: (n, n1) = (7, 3) is n1 = 3, n2 = 4, class 37
    printf 'n,n1,x,y,ln_Q\n7,3,-0.3,-0.1,-900\n' >nn1.csv
    for s in nn1.csv class:37; do
        "$H" evolve --blocks 2 --dim 20 --beta 0.5 --from $s --times 0 --json >"e_${s%%[.:]*}.json" ||
            fail "evolve --blocks --from $s"
    done
    "$PY" - <<'PYEOF' || fail "n, n1 file"
import json
a, b = (json.load(open(n))["points"][0]["mean_m"] for n in ("e_nn1.json", "e_class.json"))
assert a == b and abs(a[0] + 0.4) < 1e-15 and abs(a[1] + 0.2) < 1e-15, (a, b)
PYEOF
    printf 'n,n1,x,y,ln_Q\n7,3,-0.3,0.1,0\n' >nn1y.csv
    expect_error evolve --blocks 2 --dim 20 --beta 0.5 --from nn1y.csv --times 0
    grep -q "line 2: y = '0.1' is not the y of class 37" err.txt || fail "y: $(cat err.txt)"
    expect_error $fp --beta 0.5 --from liquid
    expect_error $fp --beta 0.5 --times 0,1
    expect_error $fp --beta 0.5 --from liquid --times 1,0
    expect_error $fp --beta 0.5 --output o.csv
    expect_error $fp --beta 0.5 --protocol ok.csv --from liquid --times 0,1
    expect_error $fp --from liquid --times 0,1
    expect_error $fp --beta 0.5 --plot o.png
    expect_error $fp --beta 0.5 --from liquid --times 0,1 --form linear
    expect_error $fp --beta 0.5 --from liquid --times 0,1 --rtol 2
    expect_error $fp --protocol ok.csv --from liquid --times 0,1 --transmission 'T-1.5'
    grep -q 'transmission' err.txt || fail "B: $(cat err.txt)"
    expect_error fokker-planck --blocks 1 --dim 20000 --protocol ok.csv --phi '-0.8*m1^2' --grid 16 \
        --rates 0 --from m=0 --times 0,1
    grep -q 'cells per axis' err.txt || fail "coarse grid: $(cat err.txt)"
    ;;
protocol_grid)
    # a window under a protocol that moves the maximum a long way: a field,
    # phi = -0.5 m1, whose maximum m* = tanh(beta / 2) goes from 0.245 (T =
    # 2) to 0.987 (T = 0.4).  The window of the start alone was
    # [-0.046, 0.536] (the protocol was refused with a window; the grid of
    # the start temperature would have walled the distribution in below
    # 0.54 while the master equation's <m1> ends at 0.848).  The grid now
    # holds the window of every maximum at every T of the protocol: domain
    # reported, probability conserved, <m1>(t) as the master equation
    # (evolve --blocks 1) within the Fokker-Planck equation's O(1/D) (2e-3
    # measured at D = 400, equal at the start and at the end, where both are
    # at equilibrium; tolerance 2/D) and as the whole cube's grid of the
    # same cells per axis within its discretisation error (3e-4 measured;
    # the window's cells are half as wide)
    printf 't,T\n0,2\n20,0.4\n' >p.csv
    common="--blocks 1 --dim 400 --phi -0.5*m1 --protocol p.csv --from equilibrium:0.5 --times 0,2,5,10,20,40"
    "$H" fokker-planck $common --window 6 --at 0.25 --grid 200 --rates 2 --json >w.json ||
        fail "window"
    "$H" fokker-planck $common --window 6 --at 0.25 --grid 200 --rates 2 >w.txt ||
        fail "window (text)"
    grep -q 'over \[-0.04594.*, 1\]' w.txt || fail "text domain: $(cat w.txt)"
    grep -q "every maximum over the protocol's temperatures" w.txt || fail "text window: $(cat w.txt)"
    "$H" fokker-planck $common --grid 200 --rates 0 --json >c.json || fail "whole cube"
    "$H" evolve $common --json >me.json || fail "master equation"
    "$PY" - <<'PYEOF' || fail "window under the protocol"
import json, math
w, c, me = (json.load(open(f)) for f in ('w.json', 'c.json', 'me.json'))
lo, hi = w['domain'][0]
# the windows at T = 2 and T = 0.4: m* -+ 6 sd, sd^2 = (1 - m*^2) / D (phi is
# linear: f'' = w'' = -1 / (1 - m^2))
m0, m1 = math.tanh(0.25), math.tanh(1.25)
assert abs(lo - (m0 - 6 * math.sqrt((1 - m0 * m0) / 400))) < 1e-9, lo
assert hi == 1 and m1 + 6 * math.sqrt((1 - m1 * m1) / 400) > 1, hi
assert w['window'] == 6 and 'protocol' in w['window_over'], w['window_over']
for pw, pc, pm in zip(w['points'], c['points'], me['points']):
    assert pw['sum_error'] < 1e-10, pw
    d = pw['mean_m'][0] - pm['mean_m'][0]
    assert abs(d) < 2 / 400, (pw['t'], pw['mean_m'], pm['mean_m'])
    assert abs(pw['mean_m'][0] - pc['mean_m'][0]) < 1e-3, (pw['t'], pw['mean_m'], pc['mean_m'])
# the end: the master equation's mean is far outside the start's window
assert me['points'][-1]['mean_m'][0] > 0.8 > m0 + 6 * math.sqrt((1 - m0 * m0) / 400)
PYEOF
    # a protocol colder than the grid resolves: refused before any work,
    # naming the row (with and without a window)
    KEEP='^((out|err|w)\.txt|p\.csv|[a-z]+\.json)$'
    expect_error fokker-planck $common --window 6 --at 0.25 --grid 20 --rates 0
    grep -q 'at T = 0.4 (protocol row 2' err.txt || fail "row: $(cat err.txt)"
    expect_error fokker-planck --blocks 1 --dim 400 --phi -0.5*m1 --protocol p.csv --grid 40 \
        --rates 0 --from equilibrium:0.5 --times 0,2
    grep -q 'at T = 0.4 (protocol row 2' err.txt || fail "row, whole cube: $(cat err.txt)"
    # the linear form and a basin stay at one beta
    expect_error fokker-planck $common --form linear --at 0.25 --rates 0
    expect_error fokker-planck $common --in-basin --at 0.25 --rates 0
    ;;
*) fail "unknown test $T" ;;
esac
