#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the kplots branch: the --blocks commands' figures, texts,
# argument checks and write errors (tester findings F4, F5, F8, F10, F11;
# degenerate maxima and incomplete searches of gaussian/phases --blocks).
# usage: kplots_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}

case "$T" in
k1_labels)
    # F4: one block: the figures say m_1 (the paths figure is the (m_1, phi)
    # plane, never an m_2 axis), the texts "1 block", "1 maximum"
    HYPERLAND_PLOT_SCRIPT=s.gp "$H" phases --blocks 1 --phi '-m1^2' --plot d >out.txt 2>err.txt ||
        fail "phases --blocks 1 --plot: $(cat err.txt)"
    for f in blocks_m_vs_T.png blocks_paths.png blocks_phi_vs_T.png; do
        head -c 4 "d/$f" | grep -q PNG || fail "no PNG $f"
    done
    grep -q "set ylabel 'm_1'" s.gp || fail "no m_1 axis"
    ! grep -q "m_2" s.gp || fail "an m_2 in the figures of one block: $(grep -m1 m_2 s.gp)"
    grep -q "set ylabel '{/Symbol f}'" s.gp || fail "the paths figure of one block is not (m_1, phi)"
    grep -q "magnetisation m_1 against" s.gp || fail "figure title: $(grep -m1 'Maxima of' s.gp)"
    grep -q '1 blocks\|1 maxima\|branch(es)' out.txt s.gp && fail "a plural for one: $(grep -m1 '1 blocks\|1 maxima\|branch(es)' out.txt s.gp)"
    grep -q '^1 block, fraction 1 ' out.txt || fail "text: $(sed -n 2p out.txt)"
    grep -q '^3 branches over beta' out.txt || fail "branch count: $(sed -n 3p out.txt)"
    # beta = 0.3 < 1/2: one maximum (m = 0); beta = 0.8: two
    "$H" phases --blocks 1 --phi '-m1^2' --at 0.3 >o1.txt || fail "--at 0.3"
    grep -q ': 1 maximum of f' o1.txt || fail "one maximum: $(head -1 o1.txt)"
    "$H" phases --blocks 1 --phi '-m1^2' --at 0.8 >o2.txt || fail "--at 0.8"
    grep -q ': 2 maxima of f' o2.txt || fail "two maxima: $(head -1 o2.txt)"
    "$H" gaussian --blocks 1 --phi '-m1^2' --beta 0.3 --dim 10 >g.txt || fail gaussian
    grep -q 'the maximum of f = w - beta phi, 1 block, D = 10' g.txt || fail "gaussian: $(head -1 g.txt)"
    rm -rf d branches.csv s.gp o1.txt o2.txt g.txt
    EXPECT_RC=2 expect_error phases --blocks 1 --points 20
    grep -q '^hyperland phases: 1 block: ' err.txt || fail "odd k message: $(cat err.txt)"
    ;;
key_colours)
    # F5: six blocks (9 branches): every branch in the key (a panel of its
    # own, not cut at one panel's height), no colour used twice among them,
    # and the T axis cut to the branches (folds near T = 3, not T = 20)
    HYPERLAND_PLOT_SCRIPT=s.gp "$H" phases --blocks 6 --points 400 --plot d --json >o.json 2>err.txt ||
        fail "phases --blocks 6: $(cat err.txt)"
    for f in blocks_m_vs_T.png blocks_paths.png blocks_phi_vs_T.png; do
        head -c 4 "d/$f" | grep -q PNG || fail "no PNG $f"
    done
    $PY - o.json s.gp <<'EOF' || fail "key/colours/range"
import json, re, sys
j = json.load(open(sys.argv[1]))
names = [b["name"] for b in j["branches"]]
assert len(names) >= 8, names
gp = open(sys.argv[2]).read()
fig1 = gp.split("set output")[1]          # blocks_m_vs_T
keyplot = [l for l in fig1.splitlines() if l.startswith("plot NaN")]
assert len(keyplot) == 1, "no key panel"
titles = re.findall(r"title '([^']*)'", keyplot[0])
for n in names:
    assert n in titles, ("missing from the key", n)
assert "branch end" in titles and "melting point" in titles, titles
styles = re.findall(r"lc rgb '(#[0-9a-f]+)' dt (\d+) title '([^']*)'", keyplot[0])
pairs = [(c, d) for c, d, t in styles if t in names]
assert len(set(pairs)) == len(pairs) == len(names), pairs
# the data panels draw no key of their own (gnuplot would cut it)
assert "unset key" in fig1
assert not re.search(r" lc \d+ ", fig1), "gnuplot's own (repeating) colours"
# the T axis: above the highest fold, well below 1/beta_min = 20
xr = [float(h) for l, h in re.findall(r"set xrange \[([^:]+):([^\]]+)\]", fig1) if l != "0"]
tfold = max(s["T"] for s in j["spinodals"])
assert xr and all(tfold < x < 0.5 * 20 for x in xr), (xr, tfold)
assert "T* cut at" in fig1
EOF
    ;;
point_checks)
    # F8: a point m=... given as a basin: wrong count, outside [-1, 1], not
    # numbers, empty fields -- a one-line usage error naming the option, no
    # output file left
    EXPECT_RC=2
    for spec in m=0.1 m=0.1,0.2,0.3 m=2,0 m=-1.5,0 m=abc,0 m=0.1,nan m=0.1,inf m= m=0.1, \
        m=0.1,0.2x m=1e400,0; do
        expect_error evolve --blocks 2 --dim 20 --beta 0.5 --times 0,1 --output o.csv --from "$spec"
        grep -q "^hyperland evolve: --from '$spec': " err.txt || fail "evolve $spec: $(cat err.txt)"
    done
    grep -q "is not a finite number" err.txt || fail "1e400: $(cat err.txt)"
    expect_error evolve --blocks 2 --dim 20 --beta 0.5 --times 0,1 --from m=0.1
    grep -q '1 value for 2 blocks' err.txt || fail "count: $(cat err.txt)"
    expect_error evolve --blocks 2 --dim 20 --beta 0.5 --times 0,1 --from m=2,0
    grep -q 'm1 = 2 is outside \[-1, 1\]' err.txt || fail "range: $(cat err.txt)"
    expect_error evolve --blocks 2 --dim 20 --beta 0.5 --times 0,1 --from m=abc,0
    grep -q "component 1 'abc' is not a number" err.txt || fail "number: $(cat err.txt)"
    expect_error kmc --blocks 2 --dim 20 --beta 0.5 --times 0,1 --from liquid --to m=0,2 --seed 1
    grep -q -- "--to 'm=0,2': m2 = 2 is outside" err.txt || fail "kmc --to: $(cat err.txt)"
    expect_error kmc --blocks 2 --dim 20 --beta 0.5 --times 0,1 --from m=0.5 --seed 1
    expect_error mfpt --blocks 2 --dim 20 --beta 0.8 --from m=0.1,0.2,0.3 --committor c.csv
    expect_error mfpt --blocks 2 --dim 20 --beta 0.8 --to m=,1 --json
    expect_error exact --blocks 2 --dim 20 --melting --basins liquid,m=0,3
    expect_error lattice-network --blocks 2 --dim 20 --states s.txt --transitions t.txt --from m=1
    expect_error relaxation --blocks 2 --dim 20 --temperatures 1,2 --crystal m=x,1 --output o.csv
    expect_error scan --dim 20 --blocks 2 --t-high 3 --t-low 1 --cooling-rates 0.1 --liquid m=1,1,1
    expect_error ageing --dim 20 --blocks 2 --t0 3 --t 1.5 --tw 1,10 --liquid m=-2,1
    expect_error fokker-planck --blocks 2 --dim 20 --beta 0.5 --times 0,1 --from m=0,1.5 --output o.csv
    expect_error gaussian --blocks 2 --dim 100 --beta 0.8 --at 2,0
    grep -q -- '--at: m1 = 2 is outside' err.txt || fail "gaussian --at: $(cat err.txt)"
    # a valid point off the class lattice names the nearest basin (documented)
    "$H" mfpt --blocks 2 --dim 20 --beta 0.8 --from m=-0.93,0.87 --json >a.json || fail "valid point"
    # (both on the lattice: the name alone would take the separable route)
    "$H" mfpt --blocks 2 --dim 20 --beta 0.8 --from liquid --method graph-transformation --json \
        >b.json || fail liquid
    [ "$(json_num mfpt a.json)" = "$(json_num mfpt b.json)" ] || fail "m= is not the liquid basin"
    ;;
stdout_full)
    # F10: stdout on a full device: a one-line error, exit 1, for every
    # --blocks command with --json and with a CSV on '-'
    while IFS= read -r args; do
        [ -n "$args" ] || continue
        # shellcheck disable=SC2086
        "$H" $args >/dev/full 2>err.txt
        rc=$?
        [ $rc -eq 1 ] || fail "exit $rc for '$args > /dev/full': $(cat err.txt)"
        [ "$(grep -c 'writing to stdout: No space left on device' err.txt)" -eq 1 ] ||
            fail "message for '$args': $(cat err.txt)"
        [ "$(grep -c '^hyperland' err.txt)" -eq 1 ] || fail "stderr for '$args': $(cat err.txt)"
    done <<'EOF'
exact --blocks 2 --dim 20 --beta 0.5 --json
exact --blocks 2 --dim 20 --beta 0.5 --distribution -
spectrum --blocks 2 --dim 20 --beta 0.5 --json
mfpt --blocks 2 --dim 20 --beta 0.8 --json
mfpt --blocks 2 --dim 20 --beta 0.8 --committor -
evolve --blocks 2 --dim 20 --beta 0.5 --from liquid --times 0,1 --json
evolve --blocks 2 --dim 20 --beta 0.5 --from liquid --times 0,1 --output -
kmc --blocks 2 --dim 20 --beta 0.5 --from liquid --times 0,1 --json --seed 1
fokker-planck --blocks 2 --dim 20 --beta 0.5 --grid 40 --from liquid --times 0,1 --json
fokker-planck --blocks 2 --dim 20 --beta 0.5 --grid 40 --from liquid --times 0,1 --output -
compare --blocks 2 --beta 0.5 --dims 20 --grid 40 --json
scan --dim 20 --blocks 2 --t-high 3 --t-low 1 --cooling-rates 0.1 --json
scan --dim 20 --blocks 2 --t-high 3 --t-low 1 --cooling-rates 0.1 --output -
relaxation --dim 20 --blocks 2 --temperatures 1,2 --json
relaxation --dim 20 --blocks 2 --temperatures 1,2 --output -
ageing --dim 20 --blocks 2 --t0 3 --t 1.5 --tw 1,10 --json
gaussian --blocks 2 --dim 100 --beta 0.8 --json
gaussian --blocks 2 --dim 100 --beta 0.8 --output -
phases --blocks 2 --points 200 --json
phases --blocks 2 --points 200 --output -
phases --blocks 2 --at 0.8 --json
EOF
    ;;
figure_titles)
    # F11: relaxation and scan --blocks figures name the model of blocks
    HYPERLAND_PLOT_SCRIPT=r.gp "$H" relaxation --blocks 2 --dim 20 \
        --temperatures 0.5,0.8,1,1.5,2,3 --tau-g 0.3 --plot r.png >/dev/null 2>err.txt ||
        fail "relaxation --plot: $(cat err.txt)"
    head -c 4 r.png | grep -q PNG || fail "no Angell plot"
    grep -q 'set title "Angell plot, model of 2 blocks (sizes 10, 10), D = 20, B = 1\\nphi = m1-(m2+0.2)^2' r.gp ||
        fail "Angell title: $(grep -m1 'set title' r.gp)"
    grep -q "set xlabel 'T_g / T'" r.gp || fail "Angell x label"
    grep -q "set y2label 'log_{10} MFPT liquid -> crystal" r.gp || fail "Angell y2 label"
    HYPERLAND_PLOT_SCRIPT=s.gp "$H" scan --dim 20 --blocks 2 --t-high 3 --t-low 0.8 \
        --cooling-rates 0.1,1 --plot s.png --plot-tg tg.png >/dev/null 2>err.txt ||
        fail "scan --plot: $(cat err.txt)"
    head -c 4 s.png | grep -q PNG || fail "no c(T) plot"
    head -c 4 tg.png | grep -q PNG || fail "no T_g plot"
    [ "$(grep -c 'model of 2 blocks (sizes 10, 10), D = 20, B = 1\\nphi = ' s.gp)" -eq 2 ] ||
        fail "scan titles: $(grep 'set title' s.gp)"
    grep -q "liquid basin 'liquid' at T_low" s.gp || fail "scan: the basin"
    ! grep -q 'set title .*\\nD = 20, B = 1' s.gp || fail "the old title"
    # the 2-D model says so
    HYPERLAND_PLOT_SCRIPT=s2.gp "$H" scan --dim 20 --t-high 3 --t-low 0.8 --cooling-rates 0.1 \
        --plot s2.png >/dev/null 2>err.txt || fail "scan 2-D: $(cat err.txt)"
    grep -q 'model of two order parameters (x, y), D = 20' s2.gp || fail "2-D title"
    ;;
degenerate)
    # f = h(m) - beta phi with phi = -m^2: f''(0) = -1 + 2 beta, zero at
    # beta = 1/2, where f = ln 2 - m^4/12 + ...: a degenerate maximum
    EXPECT_RC=1 expect_error gaussian --blocks 1 --phi '-m1^2' --beta 0.5 --dim 10
    grep -q 'degenerate maximum' err.txt || fail "message: $(cat err.txt)"
    # f = ln 2 - (1/12 + 1/2) m^4 with phi = -m^2 + m^4: degenerate too
    EXPECT_RC=1 expect_error gaussian --blocks 1 --phi '-m1^2+m1^4' --beta 0.5 --dim 10
    grep -q 'degenerate maximum' err.txt || fail "message: $(cat err.txt)"
    # just below: a maximum at 0 with E = -(1/2) f'' = (1 - 2 beta) / 2
    "$H" gaussian --blocks 1 --phi '-m1^2' --beta 0.4 --dim 10 --json >g.json || fail "beta 0.4"
    $PY - g.json <<'EOF' || fail "E at beta 0.4"
import json, sys
j = json.load(open(sys.argv[1]))
(mx,) = j["maxima"]
assert abs(mx["m"][0]) < 1e-12, mx["m"]
E = mx["E"][0][0]
assert abs(E - (1 - 2 * 0.4) / 2) < 1e-12, E
assert j["search_complete"] is True
EOF
    ;;
search_incomplete)
    # phi = -m1^2/2 - m2^2 + m1^2 m2^2 at beta = 1/2: a singular Hessian
    # along m1 at m = 0 leaves boxes unresolved; the maxima are still
    # listed, the output says the search was not complete
    "$H" gaussian --blocks 2 --dim 100 --phi '-m1^2/2-m2^2+m1^2*m2^2' --beta 0.5 --json \
        >g.json 2>err.txt || fail "gaussian: $(cat err.txt)"
    grep -q '^hyperland gaussian: warning: the search for the maxima at beta = 0.5 left' err.txt ||
        fail "no warning: $(cat err.txt)"
    $PY - g.json <<'EOF' || fail "json"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["search_complete"] is False
assert j["search"]["complete"] is False and j["search"]["unresolved_boxes"] > 0
assert j["search"]["budget_exhausted"] is False
assert len(j["maxima"]) >= 1
EOF
    "$H" gaussian --blocks 2 --dim 100 --phi '-m1^2/2-m2^2+m1^2*m2^2' --beta 0.5 >g.txt 2>/dev/null
    grep -q '^note: the search for the maxima is not complete' g.txt || fail "no note: $(tail -2 g.txt)"
    "$H" phases --blocks 3 --dim 99 --phi '-(m1+m2+m3)^2/3' --at 0.1666666666666667 --json \
        >p.json 2>err.txt || fail "phases --at: $(cat err.txt)"
    grep -q '"search_complete": false' p.json || fail "phases search_complete"
    grep -q 'warning: the search for the maxima' err.txt || fail "phases warning"
    # a complete search says so, with no warning
    "$H" gaussian --blocks 3 --dim 99 --phi '-(m1+m2+m3)^2/3' --beta 0.5 --json >c.json 2>err.txt ||
        fail "complete case"
    grep -q '"search_complete": true' c.json || fail "complete: search_complete"
    [ ! -s err.txt ] || fail "a warning for a complete search: $(cat err.txt)"
    # the documented budget
    grep -q 'min(4e6, 5e9/k^3)' "$(dirname "$0")/../../include/hyperland/blocks_phases.h" ||
        fail "blocks_phases.h does not document the budget"
    ;;
*)
    fail "unknown test $T"
    ;;
esac
echo "PASS [$T]"
