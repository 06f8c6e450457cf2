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
*) fail "unknown test $T" ;;
esac
