#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the polish branch: fokker-planck --blocks --plot, usage-error
# exit codes of --blocks across commands, kmc --max-events truncation, the
# T_g marks of scan --plot-tg and relaxation --plot.
# usage: polish_test.sh HYPERLAND TEST
REF="$(cd "$(dirname "$0")/../ref" && pwd)"
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

# colours PNG COLOUR...: "W H" then "COLOUR COUNT" per colour
colours() { "$PY" "$REF/png_colours.py" "$@"; }

case "$T" in
fp_blocks_plot)
    # --plot with --blocks: <m_i> of every block (and <x>, <y> for two equal
    # blocks) and the basin probabilities against t, each in its colour
    # (read back from the PNG's pixels); refused without an evolution
    fp="fokker-planck --dim 60 --grid 30 --rates 0"
    "$H" $fp --blocks 2 --beta 0.5 --from liquid --times 0,0.1,1,10,100,1000 --output b.csv \
        --plot k2.png >out.txt 2>err.txt || fail "K = 2: $(cat err.txt)"
    [ ! -s err.txt ] || fail "K = 2 stderr: $(cat err.txt)"
    # m1 purple, m2 green, <x> grey, <y> orange, liquid blue, crystal red
    colours k2.png '#7b3294' '#008837' '#555555' '#d08c00' '#1f5fbf' '#c0392b' >c.txt ||
        fail "K = 2 PNG: $(cat c.txt)"
    awk 'NR > 1 && $2 < 200 { print; bad = 1 } END { exit bad }' c.txt || fail "K = 2 curves missing: $(cat c.txt)"
    # stdout carries the PNG with --plot -, the report goes to stderr
    "$H" $fp --blocks 2 --beta 0.5 --from liquid --times 0,1,10 --plot - >s.png 2>rep.txt ||
        fail "--plot -"
    head -c 4 s.png | grep -q PNG || fail "--plot -: not a PNG on stdout"
    grep -q 'mean_m1' rep.txt || fail "--plot -: report not on stderr"
    # K = 3, phi symmetric in m2 <-> m3 from a start symmetric in them: <m2>
    # = <m3> is one curve (m3's colour absent: below 100 pixels of anti-aliased
    # text), as are the mirror basins
    "$H" fokker-planck --blocks 3 --dim 30 --phi '-(m1^2+m2^2+m3^2)+0.2*m1*m2*m3+0.3*m1' \
        --beta 0.4 --grid 12 --rates 0 --from infinite-temperature --times 0,1,3,10,100 \
        --plot k3.png --json >k3.json 2>err.txt || fail "K = 3: $(cat err.txt)"
    colours k3.png '#7b3294' '#008837' '#e66101' >c.txt || fail "K = 3 PNG"
    awk 'NR == 2 && $2 < 200 { bad = 1 } NR == 3 && $2 < 200 { bad = 1 }
         NR == 4 && $2 > 100 { bad = 1 } END { exit bad }' c.txt || fail "K = 3 curves: $(cat c.txt)"
    "$PY" - k3.json <<'PYEOF' || fail "K = 3: m2 != m3"
import json, sys
for p in json.load(open(sys.argv[1]))['points']:
    assert abs(p['mean_m'][1] - p['mean_m'][2]) < 1e-9, p['mean_m']
PYEOF
    # K = 1 and unequal blocks (no <x>, <y>: no grey, no orange)
    "$H" fokker-planck --blocks 1 --dim 40 --phi '-m1^2+0.3*m1' --beta 0.8 --rates 0 \
        --from m=0.2 --times 0,1,5,20 --plot k1.png >/dev/null 2>err.txt || fail "K = 1: $(cat err.txt)"
    colours k1.png '#7b3294' '#008837' >c.txt
    awk 'NR == 2 && $2 < 200 { bad = 1 } NR == 3 && $2 > 100 { bad = 1 } END { exit bad }' c.txt ||
        fail "K = 1 curves: $(cat c.txt)"
    "$H" fokker-planck --block-sizes 20,40 --beta 0.5 --grid 30 --rates 0 --from liquid \
        --times 0,1,10 --plot ks.png >/dev/null 2>err.txt || fail "sizes: $(cat err.txt)"
    colours ks.png '#7b3294' '#008837' '#555555' '#d08c00' >c.txt
    awk 'NR == 2 && $2 < 200 { bad = 1 } NR == 3 && $2 < 200 { bad = 1 }
         NR >= 4 && $2 > 100 { bad = 1 } END { exit bad }' c.txt || fail "sizes curves: $(cat c.txt)"
    # the rates alone: no time axis, refused as a usage error (no o.png)
    rm -f ./*.png ./*.csv ./*.txt ./*.json
    EXPECT_RC=2 expect_error fokker-planck --blocks 2 --dim 20 --beta 0.5 --grid 16 --plot o.png
    grep -q 'give --from and --times' err.txt || fail "rates only: $(cat err.txt)"
    ;;
blocks_usage_codes)
    # usage errors knowable from the options alone exit 2 with one line in
    # every command that takes --blocks: an odd number of blocks without
    # --phi (the default phi is the paper's per pair of blocks), more classes
    # than the command's limit (prod(D_i + 1), from --dim and --blocks);
    # fokker-planck: more than 3 blocks, grid^K cells above 4e6
    EXPECT_RC=2
    EXPECT_TIMEOUT=60
    for c in "phases" "exact --beta 0.5" "spectrum --beta 0.5" "mfpt --beta 0.5" \
             "evolve --beta 0.5 --from liquid --times 1" \
             "kmc --beta 0.5 --from liquid --times 1 --trajectories 10" "gaussian --beta 0.5" \
             "fokker-planck --beta 0.5" "relaxation --t-range 1:0.5:2" \
             "scan --t-high 2 --t-low 0.5 --cooling-rates 1e-2" "kovacs --t0 2 --t2 1 --t1 0.5" \
             "ageing --t0 2 --t 1 --tw 1,10"; do
        # shellcheck disable=SC2086
        expect_error $c --blocks 3 --dim 30
        grep -q 'odd number of blocks needs --phi' err.txt || fail "$c odd k: $(cat err.txt)"
        # shellcheck disable=SC2086
        expect_error $c --block-sizes 10,12,8
        grep -q 'odd number of blocks needs --phi' err.txt || fail "$c odd sizes: $(cat err.txt)"
        case "$c" in phases*|gaussian*|fokker-planck*) continue ;; esac
        # 100001^2 classes: above 2^28 (2^31 for spectrum's chain); mfpt and
        # evolve take the paper's phi through the separable chains at any D,
        # so a formula there
        lat=
        case "$c" in mfpt*|evolve*) lat="--phi m1-m2^2" ;; esac
        # shellcheck disable=SC2086
        expect_error $c --blocks 2 --dim 200000 $lat
        grep -q 'has 10000200001 classes, above the limit of' err.txt ||
            fail "$c classes: $(cat err.txt)"
        # shellcheck disable=SC2086
        expect_error $c --blocks 64 --dim 128
        grep -q 'more than 2^62 classes' err.txt || fail "$c 2^64 classes: $(cat err.txt)"
    done
    fp="fokker-planck --beta 0.5 --rates 1"
    expect_error $fp --blocks 4 --dim 8
    grep -q 'at most 3 blocks (4 given)' err.txt || fail "fp k = 4: $(cat err.txt)"
    expect_error $fp --block-sizes 2,2,2,2
    expect_error $fp --blocks 3 --dim 30 --phi m1 --grid 159   # 159^3 > 4e6 >= 158^3
    grep -q '4019679 cells, above the limit of 4000000 cells (at most --grid 158' err.txt ||
        fail "fp grid 159: $(cat err.txt)"
    expect_error $fp --blocks 2 --dim 30 --grid 2001           # 2001^2 > 4e6 = 2000^2
    grep -q 'at most --grid 2000 ' err.txt || fail "fp grid 2001: $(cat err.txt)"
    expect_error $fp --block-sizes 10,20,5 --phi m1 --grid 200  # the K = 3 limit for sizes too
    ;;
kmc_max_events)
    # trajectories stopped by --max-events: said in JSON (truncated,
    # max_events), text and every CSV's comment; the first-passage mean and
    # quantiles null with a reason, the censored count, and upper bounds of
    # the quantiles.  Independent check: trajectory i draws from the stream
    # (seed, i), so a run with a limit never reached continues the same
    # trajectories: its times include every time reached in the truncated
    # run, and its quantiles are at most the bounds.  2-D and --blocks.
    for sys in "--dim 16" "--blocks 2 --dim 16"; do
        run="kmc $sys --beta 1 --from liquid --to crystal --times 1,10 --trajectories 60 --seed 7"
        extra="--fpt f.csv"
        [ "$sys" = "--dim 16" ] || extra=""
        # shellcheck disable=SC2086
        "$H" $run --max-events 4000 --stats s.csv $extra --json >t.json 2>/dev/null ||
            fail "$sys truncated run"
        # shellcheck disable=SC2086
        "$H" $run --max-events 4000 >t.txt 2>/dev/null || fail "$sys text"
        grep -q 'truncated by --max-events 4000' t.txt || fail "$sys text: $(cat t.txt)"
        # shellcheck disable=SC2086
        "$H" $run --max-events 100000000 ${extra:+--fpt fc.csv} --json >c.json 2>/dev/null ||
            fail "$sys complete run"
        for f in s.csv $( [ -n "$extra" ] && echo f.csv ); do
            n=$("$PY" -c "import json; print(json.load(open('t.json'))['truncated'])")
            grep -q "^#.*TRUNCATED: $n of 60 trajectories reached --max-events 4000" $f ||
                fail "$sys $f: no truncation comment"
        done
        "$PY" - t.json c.json "$sys" <<'PYEOF' || fail "$sys first passage"
import json, math, sys
t, c = (json.load(open(f)) for f in sys.argv[1:3])
lattice = 'blocks' not in t
ft = t['first_passage'] if lattice else t['fpt']
fc = c['first_passage'] if lattice else c['fpt']
assert t['max_events'] == 4000 and c['max_events'] == 100000000, (t['max_events'], c['max_events'])
assert c['truncated'] == 0 and fc['reached'] == 60, 'the complete run is not complete'
assert 0 < t['truncated'] < 60, t['truncated']
# every trajectory not reached was truncated (none is kept in a state here)
assert ft['censored'] == t['truncated'] == 60 - ft['reached'] and ft['never_left'] == 0, ft
assert ft['mean'] is None and 'max-events 4000' in ft['null_reason'], ft
assert 'censored' not in fc and 'null_reason' not in fc
# the bounds: the ceil(p n)-th of the times reached (from the complete
# run's times, the truncated run's are its smallest ones that stayed under
# the limit), and the complete sample's order statistic below them
ub = ft['quantile_upper_bounds']
cq = fc['quantiles'] if lattice else {'0.5': fc['median']}
n_bounds = 0
for p, b in ub.items():
    j = math.ceil(float(p) * 60 - 1e-9)
    assert (b is None) == (j > ft['reached']), (p, b, ft['reached'])
    if b is not None and p in cq:
        assert cq[p] <= b * (1 + 1e-12), (p, cq[p], b)
        n_bounds += 1
assert n_bounds >= 1, ub
PYEOF
        if [ -n "$extra" ]; then
            # the times reached in the truncated run are among the complete run's
            "$PY" - f.csv fc.csv <<'PYEOF' || fail "reached times not in the complete run"
import csv, sys
def times(f):
    return [float(r['fpt']) for r in csv.DictReader(l for l in open(f) if not l.startswith('#'))
            if r['fpt']]
a, b = times(sys.argv[1]), set(times(sys.argv[2]))
assert a and all(x in b for x in a), (len(a), len(b))
# the bounds are the ceil(p n)-th of the times reached
import json, math
ub = json.load(open('t.json'))['first_passage']['quantile_upper_bounds']
for p, v in ub.items():
    j = math.ceil(float(p) * 60 - 1e-9)
    assert v is None or abs(v - sorted(a)[j - 1]) <= 1e-12 * v, (p, v)
PYEOF
        fi
    done
    # without a target: stopped before the last time, said in the text
    "$H" kmc --blocks 2 --dim 16 --beta 1 --from liquid --times 1,1000 --trajectories 20 --seed 3 \
        --max-events 100 >t.txt 2>/dev/null || fail "no target"
    grep -q 'truncated by --max-events 100 before the last time' t.txt || fail "no target: $(cat t.txt)"
    # --hypercube has no event limit: --max-events is refused there
    rm -f ./*.json ./*.csv ./*.txt
    EXPECT_RC=2 expect_error kmc --hypercube --dim 10 --beta 1 --times 1 --max-events 10
    ;;
figure_marks)
    # scan --plot-tg draws tg_liquid_cond (green, in the PNG's pixels) for
    # the model too, and names T_low as the end of the cooling, not a bound;
    # relaxation --plot names its T_g circle in the key.  The scripts are
    # read through a gnuplot shim first in PATH that keeps a copy.
    real=$(command -v gnuplot) || fail "no gnuplot"
    mkdir shim
    printf '#!/bin/sh\ncp "$1" "%s/script.gp"\nexec "%s" "$@"\n' "$PWD" "$real" >shim/gnuplot
    chmod +x shim/gnuplot
    PATH="$PWD/shim:$PATH" "$H" scan --dim 40 --t-high 2 --t-low 0.4 --cooling-rates 1e-1,1e-2 \
        --json --plot-tg tg.png >s.json || fail "scan"
    "$PY" -c "import json; assert all(r['tg_liquid_cond'] > 0 for r in json.load(open('s.json'))['scans'])" ||
        fail "scan: no tg_liquid_cond to draw"
    colours tg.png '#2e8b57' >c.txt || fail "tg PNG"
    awk 'NR == 2 && $2 < 200 { exit 1 }' c.txt || fail "tg_liquid_cond not drawn: $(cat c.txt)"
    grep -qF '(tg\_liquid\_cond)' script.gp || fail "tg_liquid_cond not in the key"
    grep -q "T_{low} = 0.4: the end of the cooling" script.gp || fail "T_low line: $(grep -i low script.gp)"
    grep -q "equilibrium limit" script.gp && fail "T_low still reads as a limit"
    PATH="$PWD/shim:$PATH" "$H" relaxation --dim 40 --t-range 3:0.1:12 --transmission 'exp(-3/T)' \
        --plot r.png >r.txt || fail "relaxation"
    grep -q "title 'T_g = [0-9.]*: where tau = 1e+06 (T_g / T = 1, left axis)'" script.gp ||
        fail "relaxation T_g key: $(grep -o "title 'T_g[^']*'" script.gp)"
    ;;
*) fail "unknown test $T" ;;
esac
