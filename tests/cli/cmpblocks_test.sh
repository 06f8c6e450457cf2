#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of compare --blocks K | --block-sizes LIST (issue 12, helper
# fpcmp): two equal blocks against the 2-D compare, three blocks, four
# blocks (Fokker-Planck columns null with the reason), unequal sizes that
# scale with D, errors.
# usage: cmpblocks_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

case "$T" in
pair)
    # the same grids (m1 = s, m2 = d): rates to 1e-12 relative (measured
    # 4e-15), the relative differences to 1e-9 (differences of close numbers;
    # measured 1e-12), the mean-path errors to 1e-7 relative (two
    # integrators at rtol 1e-8; measured 1e-11), the exponents to 1e-8
    common="--beta 0.5 --dims 40,80 --grid 40 --rates 3"
    "$H" compare $common --json >a.json || fail "2-D"
    "$H" compare --blocks 2 $common --json --output b.csv >b.json || fail "--blocks 2"
    "$PY" - a.json b.json b.csv <<'PYEOF' || fail "differ"
import json, sys, csv
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ra = {(r['D'], r['branch']): r for r in a['rows']}
assert len(a['rows']) == len(b['rows']) == 4
def rel(x, y, t):
    if x is None or y is None:
        assert x is None and y is None, (x, y)
        return
    assert abs(x - y) <= t * abs(x), (x, y, t)
for r in b['rows']:
    q = ra[(r['D'], r['branch'])]
    assert r['blocks'] == [r['D'] // 2] * 2 and r['fp_null_reason'] is None
    assert abs(r['m'][0] - (q['x'] + q['y'])) < 1e-12 and abs(r['m'][1] - (q['x'] - q['y'])) < 1e-12
    for key in ('master_rates', 'fp_rates', 'fp_linear_rates', 'ou_rates'):
        for x, y in zip(q[key], r[key]):
            rel(x, y, 1e-12)
    for m in ('fp', 'fp_linear', 'ou'):
        rel(q['rel_diff'][m], r['rel_diff'][m], 1e-9)
        rel(q['mean_path_error'][m], r['mean_path_error'][m], 1e-7)
for ca, cb in zip(sorted(a['convergence'], key=lambda c: c['branch']),
                  sorted(b['convergence'], key=lambda c: c['branch'])):
    for k in ca:
        if k != 'branch':
            rel(ca[k], cb[k], 1e-8)
rows = list(csv.reader(l for l in open(sys.argv[3]) if not l.startswith('#')))
assert rows[0][:5] == ['D', 'branch', 'blocks', 'm_1', 'm_2'], rows[0]
assert len(rows) == 5 and rows[1][2] in ('20;20',), rows[1]
PYEOF
    "$H" compare --blocks 2 $common >t.txt || fail "table"
    grep -q "fitted exponents" t.txt || fail "table: $(head -3 t.txt)"
    ;;
three)
    # K = 3, one interior maximum: every continuum rate approaches the
    # master equation's in-basin rates as D grows; the OU rates are exact
    # sums of the 'gaussian --blocks --ou' eigenvalues
    P='0.5*(m1*m2+m2*m3+m1*m3)+0.3*(m1^2+m2^2+m3^2)+0.05*m1'
    "$H" compare --blocks 3 --beta 1 --phi "$P" --dims 36,72 --grid 32 --window 6 --rates 2 \
        --json >c.json || fail "compare"
    "$H" gaussian --blocks 3 --dim 72 --beta 1 --phi "$P" --ou 3 --json >g.json || fail "gaussian"
    "$PY" - c.json g.json <<'PYEOF' || fail "three"
import json, sys
c, g = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
r36, r72 = c['rows']
assert r36['D'] == 36 and r72['D'] == 72 and r72['blocks'] == [24, 24, 24]
for m in ('fp', 'fp_linear', 'ou'):
    assert r72['rel_diff'][m] < r36['rel_diff'][m] < 0.15, (m, r36['rel_diff'], r72['rel_diff'])
    assert r72['mean_path_error'][m] < 0.1, r72['mean_path_error']
cv = c['convergence'][0]
assert -1.6 < cv['rate_exponent_fp'] < -0.7, cv
for x, y in zip(g['maxima'][0]['ou_rates'][1:], r72['ou_rates']):
    assert abs(x - y) <= 1e-12 * x, (x, y)
PYEOF
    ;;
four)
    # K = 4: master and OU only; the Fokker-Planck columns null (JSON) with
    # the reason, empty in the CSV, n/a in the table
    "$H" compare --blocks 4 --beta 0.5 --dims 16,32 --rates 2 --json --output d.csv >d.json ||
        fail "compare"
    "$PY" - d.json d.csv <<'PYEOF' || fail "four"
import json, sys, csv
d = json.load(open(sys.argv[1]))
for r in d['rows']:
    assert r['fp_rates'] == [None, None] and r['fp_linear_rates'] == [None, None]
    assert 'at most 3 blocks' in r['fp_null_reason']
    assert r['rel_diff']['fp'] is None and r['mean_path_error']['fp_linear'] is None
    assert all(x > 0 for x in r['master_rates'] + r['ou_rates'])
rows = list(csv.DictReader(l for l in open(sys.argv[2]) if not l.startswith('#')))
assert rows and all(r['fp_1'] == '' and r['master_1'] != '' for r in rows)
assert 'at most 3 blocks' in open(sys.argv[2]).read()
PYEOF
    "$H" compare --blocks 4 --beta 0.5 --dims 16 --rates 1 | grep -q "n/a" || fail "table n/a"
    ;;
sizes)
    # --block-sizes scale with D: 1,2 at D = 30, 60 are blocks 10,20 and
    # 20,40; the OU rates those of gaussian --block-sizes at each D
    P='0.5*m1^2+0.4*m2^2+0.3*m1*m2+0.1*m1'
    "$H" compare --block-sizes 1,2 --beta 0.6 --phi "$P" --dims 30,60 --grid 40 --rates 2 \
        --json >s.json || fail "compare"
    "$H" gaussian --block-sizes 20,40 --beta 0.6 --phi "$P" --ou 3 --json >g.json || fail "gaussian"
    "$PY" - s.json g.json <<'PYEOF' || fail "sizes"
import json, sys
s, g = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert [r['blocks'] for r in s['rows']] == [[10, 20], [20, 40]]
for x, y in zip(g['maxima'][0]['ou_rates'][1:], s['rows'][1]['ou_rates']):
    assert abs(x - y) <= 1e-12 * x, (x, y)
assert s['rows'][1]['rel_diff']['fp'] < s['rows'][0]['rel_diff']['fp']
PYEOF
    ;;
errors)
    EXPECT_RC=2
    expect_error compare --blocks 3 --beta 0.5 --dims 31
    grep -q 'multiple of 3' err.txt || fail "multiple: $(cat err.txt)"
    expect_error compare --block-sizes 1,2 --beta 0.5 --dims 30,31
    expect_error compare --blocks 2 --beta 0.5 --dims 80,40
    expect_error compare --blocks 2 --block-sizes 1,1 --beta 0.5 --dims 40
    expect_error compare --blocks 2 --beta 0.5
    expect_error compare --blocks 3 --beta 0.5 --dims 30,600
    grep -q 'classes' err.txt || fail "classes: $(cat err.txt)"
    EXPECT_RC=1
    expect_error compare --blocks 2 --beta 0.5 --dims 20 --branch nope
    grep -q "nope" err.txt || fail "branch: $(cat err.txt)"
    expect_error compare --blocks 2 --beta 0.5 --dims 20 --phi 'm1+'
    ;;
*) fail "unknown test $T" ;;
esac
