#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# relaxation, scan, kovacs and ageing on the model of k blocks (--blocks K,
# --block-sizes LIST; issues 12 and 13).  usage: kglass_test.sh HYPERLAND TEST
D_SRC="$(cd "$(dirname "$0")" && pwd)"
. "$D_SRC/lib.sh" "$@"

# cmp_json A.json B.json PYTHON-BODY: a python check of two JSON outputs
# (a, b); the body raises (assert) on a mismatch
cmp_json() {
    python3 - "$1" "$2" <<PYEOF || fail "comparison failed: $3"
import json, math, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
def rel(x, y, tol, what):
    assert (x is None) == (y is None), (what, x, y)
    if x is None: return
    assert abs(x - y) <= tol * max(1.0, abs(x)), (what, x, y, abs(x - y))
def absd(x, y, tol, what):
    assert (x is None) == (y is None), (what, x, y)
    if x is None: return
    assert abs(x - y) <= tol, (what, x, y, abs(x - y))
$3
PYEOF
}

case "$T" in
relaxation_pair)
    # two equal blocks = the 2-D class lattice: tau and MFPT to 1e-9
    # (measured: 1e-15 relative), T_g and m alike; B with T, and B with
    # x, y and T, and another phi
    for args in "--dim 30 --t-range 3:0.1:12 --transmission exp(-3/T)" \
                "--dim 24 --temperatures 0.2,0.3,0.5,0.8 --tau-g 1e3 --transmission exp(-3*y^2/T)" \
                "--dim 20 --temperatures 0.25,0.4,0.7 --phi x-1.2*(y+0.1)^2+0.5*(y+0.1)^3"; do
        # shellcheck disable=SC2086
        "$H" relaxation $args --json >a.json || fail "2-D: $args"
        # shellcheck disable=SC2086
        "$H" relaxation $args --blocks 2 --json >b.json || fail "--blocks 2: $args"
        cmp_json a.json b.json "
n = 0
for p, q in zip(a['points'], b['points']):
    rel(p['ln_tau'], q['ln_tau'], 1e-9, 'ln_tau')
    rel(p['ln_mfpt'], q['ln_mfpt'], 1e-9, 'ln_mfpt')
    rel(p['p_liquid'], q['p_liquid'], 1e-9, 'p_liquid')
    assert p['liquid_classes'] == q['liquid_classes']
    n += p['ln_tau'] is not None and p['ln_mfpt'] is not None
assert n >= 2, n
assert len(a['points']) == len(b['points'])
rel(a['tg'], b['tg'], 1e-9, 'tg')
rel(a['fragility'], b['fragility'], 1e-6, 'fragility')
assert b['blocks'] == [b['dim'] // 2] * 2
"
    done
    grep -q '"tg": [0-9]' b.json || grep -q '"tg": null' b.json || fail "tg missing"
    ;;
relaxation_sizes)
    # unequal blocks, separable phi = r1 g1(m1) + r2 g2(m2): the chain is a
    # product of two one-block chains, so tau = 1/min(lambda_1 of block 1 in
    # its liquid basin, lambda_1 of block 2) and the MFPT is block 1's
    # (tests/cli/kglass_separable.py: Sturm bisection and the birth-death
    # closed form, in pure python)
    for s in "12 6" "10 4" "14 8"; do
        set -- $s
        S1=$1 S2=$2 DD=$(($1 + $2))
        for t in 0.3 0.5 0.8; do
            ref=$(python3 "$D_SRC/kglass_separable.py" $t $S1 $S2) || fail "reference $s $t"
            "$H" relaxation --block-sizes $S1,$S2 --temperatures $t --json \
                --phi "$S1/$DD*(-1.5*m1^2+0.3*m1) + $S2/$DD*3*m2" >b.json ||
                fail "relaxation --block-sizes $S1,$S2 at $t"
            lt=$(json_num ln_tau b.json)
            lm=$(json_num ln_mfpt b.json)
            set -- $ref
            awk -v a="$lt" -v b="$1" 'BEGIN { d = (a - b) / b; if (d < 0) d = -d; exit !(d < 1e-9) }' ||
                fail "sizes $s T $t: ln tau $lt, reference $1"
            awk -v a="$lm" -v b="$2" 'BEGIN { d = (a - b) / b; if (d < 0) d = -d; exit !(d < 1e-9) }' ||
                fail "sizes $s T $t: ln mfpt $lm, reference $2"
        done
    done
    grep -q '"blocks": \[14, 8\]' b.json || fail "blocks in JSON"
    ;;
scan_pair)
    # two equal blocks through the chain path = the 2-D scan (hl_evolve)
    # within the integrators' tolerance (rtol 1e-8): <phi> to 1e-8, c to
    # 1e-6, T_f and T_g to 1e-7 (measured: 2e-10, 1.5e-8, 5e-9); the
    # equilibrium references to 1e-12 (the basin at T_low is the 2-D
    # basin of every T of this run)
    for args in "--dim 30 --t-high 1.5 --t-low 0.5 --cooling-rates 0.1,0.01 --reheat --points 41" \
                "--dim 20 --t-high 2 --t-low 0.6 --cooling-rates 0.05 --points 31 --transmission exp(-2*y^2)"; do
        # shellcheck disable=SC2086
        "$H" scan $args --json >a.json || fail "2-D: $args"
        # shellcheck disable=SC2086
        "$H" scan $args --blocks 2 --json >b.json || fail "--blocks 2: $args"
        cmp_json a.json b.json "
for sa, sb in zip(a['scans'], b['scans']):
    for k in ('tg_liquid', 'tg_total', 'tg_liquid_cond'):
        rel(sa[k], sb[k], 1e-7, k)
    assert len(sa['points']) == len(sb['points'])
    for p, q in zip(sa['points'], sb['points']):
        rel(p['T'], q['T'], 1e-14, 'T')
        absd(p['mean_phi'], q['mean_phi'], 1e-8, 'mean_phi')
        absd(p['phi_liquid'], q['phi_liquid'], 1e-8, 'phi_liquid')
        absd(p['c'], q['c'], 1e-6, 'c')
        for k in ('c_eq', 'c_eq_liquid', 'phi_eq', 'phi_eq_liquid'):
            absd(p[k], q[k], 1e-12, k)
        for k in ('tf_liquid', 'tf_total', 'tf_liquid_cond'):
            rel(p[k], q[k], 1e-7, k)
        absd(p['p_liquid'], q['p_liquid'], 1e-8, 'p_liquid')
assert b['liquid'] == 'liquid' and b['liquid_basin_T'] == b['t_low']
"
    done
    ;;
scan_sizes)
    # unequal blocks: a slow scan stays in equilibrium (<phi> = phi_eq, c =
    # c_eq), and the references are those of exact --block-sizes (its own
    # sums): phi_eq at T_low and, with the basin fixed at T_low, the liquid
    # basin's mean phi there
    # (T 3 -> 2, where the MFPT between the basins is at most 35: a scan
    # of 1e5 time units stays within 1e-5 of equilibrium; measured 9e-6 in
    # <phi>, 1.1e-4 in c)
    "$H" scan --block-sizes 12,6 --t-high 3 --t-low 2 --cooling-rates 1e-5 --points 41 \
        --json >b.json || fail "scan --block-sizes"
    "$H" exact --block-sizes 12,6 --beta 0.5 --json >e.json || fail "exact --block-sizes"
    python3 - b.json e.json <<'PYEOF' || fail "scan --block-sizes against exact --block-sizes"
import json, sys
s = json.load(open(sys.argv[1])); e = json.load(open(sys.argv[2]))
pts = s['scans'][0]['points']
for p in pts:
    assert abs(p['mean_phi'] - p['phi_eq']) <= 5e-5, p
    assert abs(p['c'] - p['c_eq']) <= 5e-4, p
low = pts[-1]
assert low['T'] == 2
def find(d, key):
    if isinstance(d, dict):
        if key in d: return d[key]
        for v in d.values():
            r = find(v, key)
            if r is not None: return r
    return None
mp = find(e, 'mean_phi')
assert abs(low['phi_eq'] - mp) <= 1e-10 * max(1, abs(mp)), (low['phi_eq'], mp)
bs = find(e, 'basins')
assert len(bs) >= 2, bs
liq = max(bs, key=lambda x: x['phi_end'])  # the alias 'liquid' (blocks_exact.h)
assert abs(low['phi_eq_liquid'] - liq['mean_phi']) <= 1e-10, (low['phi_eq_liquid'], liq)
assert s['blocks'] == [12, 6]
PYEOF
    ;;
kovacs_pair)
    # two equal blocks (chain path, rtol 1e-12) = the 2-D Kovacs run
    # (hl_evolve, rtol 1e-10): A_ref to 1e-12 (the basin fixed at T2 is the
    # 2-D reference's), t_a to 1e-8, the curves and the hump to 1e-8
    # (measured: 6e-13, 7e-12)
    for args in "--dim 20 --t0 2 --t2 1 --t1 0.6 --transmission exp(-3*y^2)" \
                "--dim 16 --t0 1.5 --t2 0.8 --t1 0.4,0.6"; do
        # shellcheck disable=SC2086
        "$H" kovacs $args --t-max 1e3 --per-decade 5 --json >a.json || fail "2-D: $args"
        # shellcheck disable=SC2086
        "$H" kovacs $args --t-max 1e3 --per-decade 5 --blocks 2 --json >b.json ||
            fail "--blocks 2: $args"
        cmp_json a.json b.json "
assert len(a['runs']) == len(b['runs'])
for ra, rb in zip(a['runs'], b['runs']):
    rel(ra['a_ref'], rb['a_ref'], 1e-12, 'a_ref')
    rel(ra['a_start'], rb['a_start'], 1e-12, 'a_start')
    rel(ra['t_age'], rb['t_age'], 1e-8, 't_age')
    absd(ra['hump_height'], rb['hump_height'], 1e-8, 'hump_height')
    rel(ra['hump_time'], rb['hump_time'], 1e-6, 'hump_time')
    assert len(ra['points']) == len(rb['points'])
    for p, q in zip(ra['points'], rb['points']):
        absd(p['mean'], q['mean'], 1e-8, 'mean')
assert b['basin'] == 'liquid' and b['basin_T'] == b['t2']
"
    done
    ;;
ageing_pair)
    # two equal blocks = the 2-D ageing run: C and the basin's C to 1e-8
    # (measured: 3e-11), tau_e to 1e-7
    for args in "--dim 20 --t0 2 --t 0.6 --tw 0,1,10 --transmission exp(-3*y^2)" \
                "--dim 16 --t0 1.5 --t 0.5 --tw 0.5,5"; do
        # shellcheck disable=SC2086
        "$H" ageing $args --tau-max 1e3 --per-decade 5 --json >a.json || fail "2-D: $args"
        # shellcheck disable=SC2086
        "$H" ageing $args --tau-max 1e3 --per-decade 5 --blocks 2 --json >b.json ||
            fail "--blocks 2: $args"
        cmp_json a.json b.json "
assert len(a['rows']) == len(b['rows'])
for ra, rb in zip(a['rows'], b['rows']):
    for k in ('mean', 'variance', 'p_basin'):
        rel(ra[k], rb[k], 1e-9, k)
    for k in ('tau_e', 'tau_e_basin'):
        rel(ra.get(k), rb.get(k), 1e-7, k)
    for k in ('c', 'c_basin'):
        for x, y in zip(ra[k], rb[k]):
            absd(x, y, 1e-8, k)
assert b['basin_T'] == b['t']
"
    done
    ;;
bad_input)
    # one line, exit 1: a basin that does not exist, a B that depends on T
    # where the chain path keeps one chain
    EXPECT_RC=1 expect_error relaxation --blocks 2 --dim 20 --temperatures 0.3,0.5 --liquid nope
    EXPECT_RC=1 expect_error relaxation --block-sizes 12,6 --temperatures 0.5 --crystal b9 \
        --phi '12/18*(-1.5*m1^2+0.3*m1) + 6/18*3*m2'
    for cmd in "scan --t-high 1 --t-low 0.5 --cooling-rates 0.1" \
               "kovacs --t0 2 --t2 1 --t1 0.5" "ageing --t0 2 --t 0.5 --tw 1"; do
        # shellcheck disable=SC2086
        EXPECT_RC=1 expect_error $cmd --blocks 2 --dim 20 --transmission 'exp(-1/T)'
        grep -q "depends on T" err.txt || fail "$cmd: $(cat err.txt)"
        # shellcheck disable=SC2086
        EXPECT_RC=1 expect_error $cmd --block-sizes 8,4 --transmission 'exp(-m1^2/T)'
        # shellcheck disable=SC2086
        EXPECT_RC=1 expect_error $cmd --blocks 2 --dim 20 --liquid nope
        grep -q "no basin 'nope'" err.txt || fail "$cmd: $(cat err.txt)"
        # shellcheck disable=SC2086
        EXPECT_RC=2 expect_error $cmd --blocks 2 --block-sizes 10,10 --dim 20
        # shellcheck disable=SC2086
        EXPECT_RC=2 expect_error $cmd --blocks 3 --dim 20
        # shellcheck disable=SC2086
        EXPECT_RC=2 expect_error $cmd --blocks 3 --dim 21  # odd k, no phi: a usage error
    done
    EXPECT_RC=2 expect_error relaxation --dim 20 --temperatures 0.5 --liquid liquid
    EXPECT_RC=2 expect_error relaxation --block-sizes 8,4 --dim 20 --temperatures 0.5
    # a B with T is right in relaxation (a chain per T): no refusal
    "$H" relaxation --blocks 2 --dim 12 --temperatures 0.5 --transmission 'exp(-1/T)' \
        >out.txt || fail "relaxation --blocks with B(T)"
    ;;
failure_T)
    # a run the engine cannot integrate names the temperature it failed at
    # (the chain's integrator knows none: it used to print T = inf), for a
    # quench of ageing and for kovacs, and no T = inf anywhere
    EXPECT_RC=1 expect_error ageing --blocks 2 --dim 16 --t0 2 --t 0.01 --tw 1,1e30 \
        --tau-max 1e200
    grep -q "at T = 0.01," err.txt || fail "ageing: no T in: $(cat err.txt)"
    EXPECT_RC=1 expect_error ageing --block-sizes 6,10 --dim 16 --t0 2 --t 0.015 --tw 1e40 \
        --tau-max 1e200
    grep -q "at T = 0.015," err.txt || fail "ageing sizes: no T in: $(cat err.txt)"
    if grep -qi "inf" err.txt; then fail "T = inf in: $(cat err.txt)"; fi
    ;;
*)
    fail "unknown test $T"
    ;;
esac
exit 0
