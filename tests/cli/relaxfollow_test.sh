#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# relaxation --blocks follows one liquid basin over T: the basin its last
# top ascends to (each top in the other's basin), never a basin that
# appears below a fold elsewhere; the curve stops with a reason where the
# followed basin vanishes.  phi: three wells in m1 (crystal at -0.6,
# phi -1; the liquid at 0, phi -0.5; a shallow well at +0.6, phi -0.3,
# that appears only below T ~ 4 and then has the highest phi, so the
# alias 'liquid' jumps to it).  usage: relaxfollow_test.sh HYPERLAND TEST
D_SRC="$(cd "$(dirname "$0")" && pwd)"
. "$D_SRC/lib.sh" "$@"

W3='-0.5*exp(-(m1/0.2)^2)-1.0*exp(-((m1+0.6)/0.15)^2)-0.3*exp(-((m1-0.6)/0.1)^2)'

# check JSON SPACING VANISH: every followed row's top within 2 lattice
# spacings (SPACING per block, comma-separated) of the previous row's; with
# VANISH (a T) the curve ends there with the reason, else every row is followed
check() {
    python3 - "$1" "$2" "${3:-}" <<'PYEOF' || fail "check $*"
import json, sys
r = json.load(open(sys.argv[1])); sp = [float(v) for v in sys.argv[2].split(',')]
vanish = float(sys.argv[3]) if sys.argv[3] else None
pts = r['points']; prev = None; ended = False
for p in pts:
    if p['liquid_top'] is None:
        assert vanish is not None, ('row not followed', p)
        assert 'the followed basin vanished between' in p['tau_null'], p
        assert p['mfpt_null'] == p['tau_null'] and p['ln_tau'] is None, p
        ended = True
        continue
    assert not ended, ('a basin after the curve ended', p)
    assert p['ln_tau'] is not None and p['liquid_classes'] >= 2, p
    if prev is not None:
        for a, b, h in zip(prev, p['liquid_top'], sp):
            assert abs(a - b) <= 2 * h + 1e-12, ('top jumped', prev, p['liquid_top'])
    prev = p['liquid_top']
if vanish is not None:
    assert ended, 'the basin did not vanish'
    first = next(p for p in pts if p['liquid_top'] is None)
    assert abs(first['T'] - vanish) < 1e-9, first
    assert ('and %g (a fold)' % vanish) in first['tau_null'], first['tau_null']
PYEOF
}

case "$T" in
cooling)
    # K = 1: the liquid at m = 0 all the way down; the alias moves to the
    # +0.6 well below T = 5 (exact --blocks), the curve does not
    "$H" relaxation --blocks 1 --dim 40 --phi "$W3" --t-range 10:1:10 --json >r.json ||
        fail "relaxation"
    check r.json 0.05
    python3 - <<'PYEOF' || fail "liquid at m = 0"
import json
pts = json.load(open('r.json'))['points']
assert all(p['liquid_top'] == [0] for p in pts), [p['liquid_top'] for p in pts]
assert pts[2]['p_liquid'] > 0.5, pts[2]   # 5.8e-5 when it switched basin
PYEOF
    "$H" exact --blocks 1 --dim 40 --phi "$W3" --beta 0.3 --json >e.json || fail "exact"
    python3 -c "
import json
b = json.load(open('e.json'))['basins']
assert max(b, key=lambda q: q['phi_end'])['m'][0] > 0.5, b
" || fail "the alias liquid is the +0.55 well at T = 3.33"
    # the table and CSV name the followed basin and its top
    "$H" relaxation --blocks 1 --dim 40 --phi "$W3" --t-range 10:1:4 --output r.csv >t.txt ||
        fail "csv"
    grep -q 'liquid_classes,tau_null,mfpt_null,liquid_basin,liquid_top$' r.csv || fail "header"
    grep -q '^1,.*,b2,m=0$' r.csv || fail "csv row: $(tail -1 r.csv)"
    grep -q 'b2 (m=0)$' t.txt || fail "table: $(cat t.txt)"
    ;;
fold)
    # heating from the +0.6 well: it moves to 0.55 and vanishes between
    # T = 3.33 and 5; the rows from T = 5 on are null with the reason
    "$H" relaxation --blocks 1 --dim 40 --phi "$W3" --t-range 1:10:10 --json >r.json ||
        fail "relaxation"
    check r.json 0.05 5
    "$H" relaxation --blocks 1 --dim 40 --phi "$W3" --t-range 1:10:10 >t.txt || fail "table"
    grep -q 'T = 10: tau null: the followed basin vanished between T = 3.33333 and 5 (a fold)' \
        t.txt || fail "$(cat t.txt)"
    ;;
two_blocks)
    # blocks 40,20 with a coupled m2: cooling stays in the liquid at (0, 0)
    # (the alias switched at T = 5), T_g by Brent on the followed basin;
    # heating from the well at (0.6, 0.1) ends between T = 5 and 10
    P2="$W3+0.4*(m2-0.3*m1)^2"
    "$H" relaxation --block-sizes 40,20 --phi "$P2" --t-range 10:1:10 \
        --transmission 'exp(-3/T)' --tau-g 1 --json >c.json || fail "cooling"
    check c.json 0.05,0.1
    python3 - <<'PYEOF' || fail "two blocks cooling"
import json
r = json.load(open('c.json'))
assert all(p['liquid_top'] == [0, 0] for p in r['points']), r['points']
assert abs(r['tg'] - 2.10718516901) < 1e-6, r['tg']   # 2.10692 on the switched curve
PYEOF
    "$H" relaxation --block-sizes 40,20 --phi "$P2" --t-range 1:10:10 --json >h.json ||
        fail "heating"
    check h.json 0.05,0.1 10
    ;;
*) fail "unknown test $T" ;;
esac
echo "PASS [$T]"
