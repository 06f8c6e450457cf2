#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests: hyperland as a user runs it.  usage: cli_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
KEEP='^(out|err)\.txt$|^ro$|^in$'

case "$T" in
help)
    for c in phases exact paper; do
        "$H" $c --help >out.txt 2>&1 || fail "$c --help exit code"
        grep -q "usage: hyperland $c" out.txt || fail "$c --help text"
    done
    "$H" --help | grep -q "commands:" || fail "top-level help"
    "$H" --version | grep -q "hyperland " || fail "version"
    ;;
bad_input)
    expect_error frob
    expect_error exact --dim 11 --beta 1
    expect_error exact --dim 0 --beta 1
    expect_error exact --dim -4 --beta 1
    expect_error exact --dim 1000000000000 --beta 1
    expect_error exact --dim 2000002 --beta 1
    expect_error exact --dim 10x --beta 1
    expect_error exact --dim 100 --beta nan
    expect_error exact --dim 100 --beta -1
    expect_error exact --dim 100 --beta 0
    expect_error exact --dim 100 --beta inf
    expect_error exact --dim 100 --beta 1 --bogus
    expect_error exact --dim 100
    expect_error exact --beta 1
    expect_error exact --dim 100 --beta 1 --method nope
    expect_error exact --dim 100 --beta 1 --phi 'x*y' --method separable
    expect_error phases --phi 'x+*y'
    expect_error phases --phi ''
    expect_error phases --phi 'x+z'
    expect_error phases --phi 'log(x+1)'
    expect_error phases --phi '1/(x-y)'
    expect_error phases --phi 'sqrt(1-x)'
    expect_error phases --beta-min 2 --beta-max 1
    expect_error phases --points 1
    expect_error phases --beta-max NaN
    expect_error phases --at -3
    expect_error phases extra-argument
    expect_error phases --beta-min
    ;;
unwritable)
    mkdir ro && chmod 555 ro
    if [ "$(id -u)" = 0 ]; then target=/proc/hyperland-test; else target=ro/x; fi
    expect_error phases --output /nonexistent-dir/branches.csv
    expect_error phases --output "$target/branches.csv"
    expect_error exact --dim 100 --beta 1 --distribution /nonexistent-dir/q.csv
    expect_error exact --dim 100 --beta 1 --plot /nonexistent-dir/q.png
    expect_error phases --output b.csv --plot /proc/hyperland-test
    expect_error paper --out /proc/hyperland-test
    ;;
phases_json)
    "$H" phases --json --output b.csv >p.json || fail "phases exit code"
    bm=$(grep -o '"melting": \[{"beta": [0-9.eE+-]*' p.json | sed 's/.*: //')
    close "$bm" 0.77314993473707 1e-10 || fail "beta_m = $bm"
    sp=$(grep -o '"spinodals": \[{"branch": "crystal", "beta": [0-9.eE+-]*' p.json | sed 's/.*: //')
    close "$sp" 0.336429161255956 1e-8 || fail "spinodal = $sp"
    close "$(grep -o '"phi_min": {"x": [-0-9.eE+]*, "y": [-0-9.eE+]*, "phi": [-0-9.eE+]*' p.json | sed 's/.*: //')" -1.83456 1e-12 || fail "phi_min"
    r=$(json_num clausius_clapeyron_residual p.json)
    close "$r" 0 1e-12 || fail "Clausius-Clapeyron residual $r"
    head -1 b.csv | grep -q '^# hyperland' || fail "CSV header comment"
    grep -q '^# command: .*phases --json --output b.csv' b.csv || fail "CSV records the command line"
    grep -q '^branch,beta,T,x,y,phi,w,f,stable,heat_capacity,end$' b.csv || fail "CSV column names"
    n=$(grep -c '^liquid,' b.csv)
    [ "$n" -eq 2000 ] || fail "liquid rows $n"
    # the crystal's fold is one more row, end = fold
    [ "$(grep -c ',fold$' b.csv)" -eq 1 ] && grep -q '^crystal,0.336429161256,.*,,,fold$' b.csv ||
        fail "CSV fold row: $(grep ',fold$' b.csv)"
    # stable exactly once per beta of the grid (rows with an empty end)
    awk -F, '!/^#/ && !/^branch,/ && $11 == "" { s[$2] += $9 } END { for (b in s) if (s[b] != 1) exit 1 }' b.csv ||
        fail "exactly one stable branch per beta"
    ;;
phases_at)
    "$H" phases --at 0.2 --json >a.json || fail "exit code"
    grep -q '"maxima": \[{"branch": "liquid"[^]]*}\]' a.json || fail "one liquid maximum at beta 0.2: $(cat a.json)"
    grep -q '"saddle"' a.json && fail "no saddle with a single maximum"
    "$H" phases --at 1.2 --json >b.json || fail "exit code"
    grep -q '"branch": "crystal"' b.json || fail "crystal at 1.2"
    grep -q '"saddle": {"x"' b.json || fail "saddle at 1.2"
    grep -q '"barrier_per_dim"' b.json || fail "barrier"
    ;;
phases_user_phi)
    # a non-separable user phi still gives branches, a melting point and a saddle
    "$H" phases --phi 'x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3+0.05*x*y' --points 300 --json --output u.csv >u.json ||
        fail "exit code"
    grep -q '"melting": \[{"beta"' u.json || fail "melting for the user phi: $(cat u.json)"
    grep -q '"saddle": {"x"' u.json || fail "saddle"
    ;;
exact_json)
    "$H" exact --dim 1000 --beta 0.8 --json >e.json || fail "exit code"
    for k in lnZ_per_dim mean_x mean_y mean_phi cov_xx cov_xy cov_yy heat_capacity_per_dim; do
        v=$(json_num $k e.json)
        [ -n "$v" ] || fail "missing $k"
    done
    close "$(json_num lnZ_per_dim e.json)" 1.487937296634943 1e-12 || fail "lnZ"
    grep -q '"basins": \[{"name": "liquid", "probability": ' e.json || fail "basins"
    # the general path gives the same numbers for the same phi given as a formula
    "$H" exact --dim 1000 --beta 0.8 --json --phi 'x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3' >g.json || fail "general"
    close "$(json_num lnZ_per_dim g.json)" 1.487937296634943 1e-12 || fail "lnZ general"
    close "$(json_num mean_x g.json)" "$(json_num mean_x e.json)" 1e-10 || fail "mean_x general"
    ;;
exact_distribution)
    "$H" exact --dim 60 --beta 0.7 --distribution q.csv --plot q.png >/dev/null || fail "exit code"
    grep -q '^n,n1,x,y,ln_Q,Q,basin$' q.csv || fail "columns"
    n=$(grep -vc '^#' q.csv)
    [ "$n" -eq $((31 * 31 + 1)) ] || fail "rows $n"
    awk -F, '!/^#/ && $1 != "n" { s += $6 } END { d = s - 1; if (d < 0) d = -d; exit !(d < 1e-12) }' q.csv ||
        fail "sum Q != 1"
    head -c 4 q.png | grep -q PNG || fail "PNG"
    ;;
exact_melting)
    "$H" exact --dim 10000 --melting --json >m.json || fail "exit code"
    close "$(json_num beta_m m.json)" 0.7730956346 1e-8 || fail "beta_m(1e4) $(json_num beta_m m.json)"
    ;;
large_dim)
    # D = 1e6: the exact means sit on the stable maximum (to O(1/D))
    "$H" exact --dim 1000000 --beta 0.9 --json >l.json || fail "exit code"
    "$H" phases --at 0.9 --json >a.json || fail "phases --at"
    x=$(python3 -c 'import json; print([m for m in json.load(open("a.json"))["maxima"] if m["stable"]][0]["x"])')
    y=$(python3 -c 'import json; print([m for m in json.load(open("a.json"))["maxima"] if m["stable"]][0]["y"])')
    close "$(json_num mean_x l.json)" "$x" 1e-5 || fail "mean_x $(json_num mean_x l.json) vs $x"
    close "$(json_num mean_y l.json)" "$y" 1e-5 || fail "mean_y $(json_num mean_y l.json) vs $y"
    ;;
spectrum)
    "$H" spectrum --help | grep -q "usage: hyperland spectrum" || fail "help"
    expect_error spectrum --dim 10 --beta 1 --transmission 'x'
    expect_error spectrum --dim 10 --beta 1 --transmission 'x+q'
    expect_error spectrum --dim 10 --beta 1 --count 37
    expect_error spectrum --dim 10 --beta 1 --count 0
    expect_error spectrum --dim 30 --beta 1 --full --method matrix-free
    expect_error spectrum --dim 11 --beta 1
    expect_error spectrum --dim 10
    expect_error spectrum --dim 14 --beta 1 --full --method matrix-free --vectors v2.csv
    expect_error spectrum --dim 10 --beta 1 --vectors /nonexistent-dir/v.csv
    "$H" spectrum --dim 200 --beta 1 --count 4 --json >s.json || fail "exit code"
    grep -q '"ln_rates": \[null, ' s.json || fail "ln_rates[0]: $(cat s.json)"
    r1=$(grep -o '"rates": \[0, [0-9.eE+-]*' s.json | sed 's/.*, //')
    close "$r1" 7.1681012614240036e-42 1e-53 || fail "slowest rate $r1"
    # dense method with a user phi and transmission
    "$H" spectrum --dim 10 --beta 0.7 --count 5 --json --phi 'x*y+x' --transmission '1+x^2' >d.json ||
        fail "dense"
    grep -q '"method": "dense"' d.json || fail "method"
    "$H" spectrum --dim 8 --beta 0.7 --count 3 --vectors v.csv >/dev/null || fail "vectors"
    grep -q '^state,n,n1,v0,v1,v2$' v.csv || fail "vector columns"
    [ "$(grep -vc '^#' v.csv)" -eq 26 ] || fail "vector rows"
    ;;
mfpt)
    "$H" mfpt --help | grep -q "usage: hyperland mfpt" || fail "help"
    expect_error mfpt --dim 100 --beta 0.2
    EXPECT_RC=2 expect_error mfpt --dim 100 --beta 1 --from liquid --to liquid
    expect_error mfpt --dim 2002 --beta 1 --phi 'x*y+x'
    expect_error mfpt --dim 100 --beta 1 --transmission '-1'
    expect_error mfpt --dim 100
    expect_error mfpt --dim 2002 --beta 1 --committor q2.csv
    "$H" mfpt --dim 100000 --beta 0.77314993473707 --json >m.json || fail "exit code"
    grep -q '"mfpt": null' m.json || fail "mfpt above 1e308 must be null: $(cat m.json)"
    l=$(json_num ln_mfpt m.json)
    close "$l" 31390 20 || fail "ln_mfpt $l"
    "$H" mfpt --dim 60 --beta 0.9 --from crystal --to liquid --json --phi 'x+y-(x-y+0.2)^2+0.38*(x-y+0.2)^3' >g.json ||
        fail "general path"
    "$H" mfpt --dim 60 --beta 0.9 --from crystal --to liquid --json >s.json || fail "separable path"
    close "$(json_num ln_mfpt g.json)" "$(json_num ln_mfpt s.json)" 1e-9 || fail "paths differ"
    grep -q '"method": "graph-transformation"' g.json || fail "method"
    "$H" mfpt --dim 40 --beta 0.9 --committor q.csv >/dev/null || fail "committor"
    grep -q '^n,n1,x,y,committor,ln_committor$' q.csv || fail "committor columns"
    [ "$(grep -vc '^#' q.csv)" -eq $((21 * 21 + 1)) ] || fail "committor rows"
    awk -F, '!/^#/ && $1 != "n" && ($5 < 0 || $5 > 1) { exit 1 }' q.csv || fail "committor outside [0, 1]"
    # lifetime table: the fitted exponential rate per D is the saddle barrier
    "$H" mfpt --dims 800,1600,3200 --betas 0.6,1.2 --json --output tab.csv >t.json || fail "table"
    grep -q '^beta,dim,ln_mfpt,log10_mfpt,barrier_per_dim,fitted_slope$' tab.csv || fail "table columns"
    awk -F'"slope_last_two": ' 'NF > 1 { for (i = 2; i <= NF; i++) { split($i, a, ", \"barrier_per_dim\": ");
        split(a[2], b, "}"); d = a[1] - b[1]; if (d < 0) d = -d; if (d > 2e-4) exit 1 } }' t.json ||
        fail "slope vs barrier: $(cat t.json)"
    ;;
evolve)
    "$H" evolve --help | grep -q "usage: hyperland evolve" || fail "help"
    # inputs outside the work directory, which expect_error checks for leftovers
    I=$(mktemp -d)
    trap 'rm -rf "$W" "$I"' EXIT
    printf '# quench\nt,T\n0,2\n0.5,1.2\n' >"$I/p_ok.csv"
    printf 't,T\n0,2\n0.5,abc\n' >"$I/p_bad1.csv"
    printf 't,T\n0,2\n0.5,1\n0.4,1\n' >"$I/p_bad2.csv"
    printf 't,beta\n0,-1\n' >"$I/p_bad3.csv"
    printf 'time,T\n0,1\n' >"$I/p_bad4.csv"
    printf 'n,n1,Q\n5,2,0.5\n6,3,-0.5\n' >"$I/q_neg.csv"
    printf 'n,n1,Q\n5,2,0.5\n50,3,0.5\n' >"$I/q_unknown.csv"
    expect_error evolve --dim 10 --beta 1 --from liquid --times 1,0.5 --output o.csv
    expect_error evolve --dim 10 --beta 1 --from liquid --times 1,1
    expect_error evolve --dim 10 --beta 1 --from liquid --times -1,2
    expect_error evolve --dim 10 --beta 1 --from liquid --times 1,nan
    expect_error evolve --dim 10 --beta 1 --from liquid
    expect_error evolve --dim 10 --from liquid --times 1
    expect_error evolve --dim 10 --beta 1 --protocol "$I/p_ok.csv" --from liquid --times 1
    expect_error evolve --dim 11 --beta 1 --from liquid --times 1
    expect_error evolve --dim 10 --beta 1 --from nowhere.csv --times 1
    expect_error evolve --dim 10 --beta 1 --from basin:nowhere --times 1 --output o.csv
    expect_error evolve --dim 10 --beta 1 --from equilibrium:-1 --times 1
    expect_error evolve --dim 10 --beta 1 --from "$I/q_neg.csv" --times 1 --output o.csv
    expect_error evolve --dim 10 --beta 1 --from "$I/q_unknown.csv" --times 1 --output o.csv
    for b in p_bad1 p_bad2 p_bad3 p_bad4; do
        expect_error evolve --dim 10 --protocol "$I/$b.csv" --from liquid --times 1 --output o.csv
        grep -q "$b.csv' line" err.txt || grep -q "$b.csv'" err.txt || fail "message names the file: $(cat err.txt)"
    done
    expect_error evolve --dim 10 --beta 1 --from liquid --times 1 --output /nonexistent-dir/o.csv
    expect_error evolve --dim 10 --beta 1 --from liquid --times 1 --output o.csv --plot /nonexistent-dir/o.png
    expect_error evolve --dim 4002 --beta 1 --from infinite-temperature --times 1 --phi 'x*y+x'
    # CSV, JSON; long times reach the exact equilibrium (free energy -T ln Z / D)
    "$H" evolve --dim 20 --beta 0.9 --from liquid --times 0,1,1e6 --output e.csv --json >e.json || fail "exit code"
    grep -q '^t,beta,T,mean_x,mean_y,mean_phi,mean_w,free_energy,sum_error,min_q,liquid,crystal,liquid_error,crystal_error,mean_x_error,mean_y_error,mean_phi_error$' e.csv ||
        fail "csv columns"
    [ "$(grep -vc '^#' e.csv)" -eq 4 ] || fail "csv rows"
    grep -q '"points": \[{"t": 0, "beta": 0.9' e.json || fail "json points: $(cat e.json)"
    "$H" exact --dim 20 --beta 0.9 --json >x.json || fail "exact"
    lnz=$(json_num lnZ_per_dim x.json)
    fe=$(tail -1 e.csv | cut -d, -f8)
    close "$fe" "$(awk -v l="$lnz" 'BEGIN { printf "%.15g", -l / 0.9 }')" 1e-8 || fail "free energy $fe vs ln Z $lnz"
    close "$(tail -1 e.csv | cut -d, -f4)" "$(json_num mean_x x.json)" 1e-8 || fail "mean_x at equilibrium"
    # the start from 'exact --distribution' (a general class distribution) relaxes the same way
    "$H" exact --dim 20 --beta 0.5 --distribution q.csv >/dev/null || fail "distribution"
    "$H" evolve --dim 20 --beta 0.9 --from q.csv --times 1e6 --json >f.json || fail "from file"
    close "$(json_num mean_x f.json)" "$(json_num mean_x x.json)" 1e-8 || fail "from file: mean_x"
    grep -q '"method": "general"' f.json || fail "from file: general method"
    # equilibrium start stays put
    "$H" evolve --dim 40 --beta 0.9 --from equilibrium:0.9 --times 0,5 --json >q.json || fail "equilibrium start"
    x0=$(grep -o '"mean_x": [-0-9.eE+]*' q.json | sed -n 1p | sed 's/.*: //')
    x1=$(grep -o '"mean_x": [-0-9.eE+]*' q.json | sed -n 2p | sed 's/.*: //')
    close "$x0" "$x1" 1e-9 || fail "equilibrium drifted: $x0 $x1"
    # protocol and plot
    "$H" evolve --dim 40 --protocol "$I/p_ok.csv" --from infinite-temperature --times 0,0.25,0.5,1 --output r.csv \
        --plot r.png >/dev/null || fail "protocol"
    close "$(tail -1 r.csv | cut -d, -f3)" 1.2 1e-12 || fail "protocol T"
    head -c 4 r.png | grep -q PNG || fail "plot"
    ls -A | grep -q tmp && fail "temporary files left"
    # supercooling: D = 200 liquid below T_m does not move by t = 10
    "$H" evolve --dim 200 --beta 0.8 --from liquid --times 10 --json >s.json || fail "supercooled"
    p=$(grep -o '"name": "liquid", "probability": [0-9.eE+-]*' s.json | sed 's/.*: //')
    awk -v p="$p" 'BEGIN { exit !(p > 0.99) }' || fail "supercooled liquid population $p"
    ;;
paper)
    "$H" paper --out out >t.txt || fail "exit code"
    for f in table.md summary.json branches.csv finite_d_melting.csv fig1_paths.png fig2_phi_vs_T.png \
        fig3_w_vs_T.png fig4_w_vs_phi.png fig5_exact_distribution.png fig6_lifetimes.png fig7_quench.png; do
        [ -s "out/$f" ] || fail "missing $f"
    done
    for f in out/*.png; do head -c 4 "$f" | grep -q PNG || fail "$f is not a PNG"; done
    grep -q '0.7731499347' t.txt || fail "beta_m in the table"
    ls -A out | grep -q tmp && fail "temporary files left"
    ;;
gaussian)
    "$H" gaussian --help | grep -q "usage: hyperland gaussian" || fail "help"
    # errors first (expect_error wants an empty work directory)
    mkdir ro && chmod 555 ro
    if [ "$(id -u)" = 0 ]; then target=/proc/hyperland-test; else target=ro/x; fi
    # the saddle of f between the liquid and the crystal at beta 0.5 ('phases --at 0.5')
    expect_error gaussian --dim 100 --beta 0.5 --at -0.5720533875705619,-0.18954076838520295
    grep -q "saddle" err.txt || fail "saddle message: $(cat err.txt)"
    expect_error gaussian --dim 100 --beta 0.5 --at 0.3,0.3
    expect_error gaussian --dim 100 --beta 0.5 --at 0.9,0.9
    expect_error gaussian --dim 100 --beta 0.5 --at 0.3
    expect_error gaussian --dim 100 --beta 0.2 --branch crystal
    grep -q "liquid" err.txt || fail "the message lists the maxima: $(cat err.txt)"
    expect_error gaussian --dim 100 --beta 0.5 --branch nowhere
    expect_error gaussian --dim 100 --beta 0.5 --branch liquid --at 0,0
    expect_error gaussian --dim 11 --beta 0.5
    expect_error gaussian --dim 0 --beta 0.5
    expect_error gaussian --dim 100 --beta nan
    expect_error gaussian --dim 100 --beta -1
    expect_error gaussian --dim 100
    expect_error gaussian --dim 100 --beta 0.5 --ou 0
    expect_error gaussian --dim 100 --beta 0.5 --phi 'x+z'
    expect_error gaussian --dim 100 --beta 0.5 --transmission '-1'
    expect_error gaussian --dim 30000 --beta 0.5 --exact
    expect_error gaussian --dim 100 --beta 0.5 --output /nonexistent-dir/g.csv
    expect_error gaussian --dim 100 --beta 0.5 --exact --output "$target/g.csv"
    rmdir ro
    # JSON: two maxima at beta 0.5, the fields, sane numbers
    "$H" gaussian --dim 400 --beta 0.5 --json >g.json || fail "exit code"
    for k in command dim beta maxima branch x y E11 E12 E22 cov_xx cov_xy cov_yy transmission \
        lambda ou_rates; do
        grep -q "\"$k\": " g.json || fail "json field $k: $(cat g.json)"
    done
    grep -q '"command": "gaussian"' g.json || fail "command"
    grep -q '"maxima": \[{"branch": "crystal".*{"branch": "liquid"' g.json || fail "maxima: $(cat g.json)"
    grep -q '"exact_cov_xx"' g.json && fail "exact_cov_xx without --exact"
    # the crystal first: E11 = E22 > 0, 0 < cov_xx < 1/D, the s mode at 2 cosh(2 beta), rates from 0
    e11=$(json_num E11 g.json)
    e22=$(json_num E22 g.json)
    cxx=$(json_num cov_xx g.json)
    close "$e11" "$e22" 1e-12 || fail "E11 $e11 E22 $e22"
    awk -v e="$e11" -v c="$cxx" 'BEGIN { exit !(e > 0 && c > 0 && c < 1.0 / 400) }' || fail "cov_xx $cxx"
    l1=$(grep -o '"lambda": \[[-0-9.eE+]*' g.json | head -1 | sed 's/.*\[//')
    close "$l1" 3.0861612696304874 1e-12 || fail "s-mode rate $l1"
    grep -q '"ou_rates": \[0, ' g.json || fail "ou rates start at 0"
    # --branch and --at give the same maximum
    "$H" gaussian --dim 400 --beta 0.5 --branch liquid --json >l.json || fail "--branch"
    grep -q '"maxima": \[{"branch": "liquid"[^]]*\]' l.json || fail "one liquid maximum"
    grep -c '"branch"' l.json | grep -qx 1 || fail "--branch gives one maximum"
    lx=$(json_num x l.json)
    ly=$(json_num y l.json)
    close "$lx" -0.0285071 1e-6 || fail "liquid x $lx"
    "$H" gaussian --dim 400 --beta 0.5 --at "$(awk -v x="$lx" 'BEGIN { print x + 5e-4 }'),$ly" \
        --json >a.json || fail "--at"
    close "$(json_num cov_yy a.json)" "$(json_num cov_yy l.json)" 1e-15 || fail "--at vs --branch"
    # text table
    "$H" gaussian --dim 400 --beta 0.5 --ou 3 >t.txt || fail "table"
    grep -q "crystal" t.txt && grep -q "liquid" t.txt || fail "table: $(cat t.txt)"
    # --exact: the relative difference from the exact sums falls like 1/D
    "$H" gaussian --dim 200 --beta 0.5 --branch liquid --exact --json >e2.json || fail "exact 200"
    "$H" gaussian --dim 800 --beta 0.5 --branch liquid --exact --json --output e8.csv >e8.json ||
        fail "exact 800"
    r2=$(json_num rel_diff_xx e2.json)
    r8=$(json_num rel_diff_xx e8.json)
    awk -v a="$r2" -v b="$r8" 'BEGIN { a = a < 0 ? -a : a; b = b < 0 ? -b : b;
        exit !(b < a && a / b > 3 && a / b < 5 && a < 0.05) }' || fail "rel diff D=200 $r2, D=800 $r8"
    grep -q '"exact_cov_yy": [0-9]' e8.json || fail "exact_cov_yy"
    # CSV: commented header, one row per maximum
    grep -q '^# command: .*gaussian --dim 800' e8.csv || fail "csv command line"
    grep -q '^branch,dim,beta,x,y,E11,E12,E22,cov_xx,cov_xy,cov_yy,.*,rel_diff_yy$' e8.csv ||
        fail "csv columns"
    [ "$(grep -vc '^#' e8.csv)" -eq 2 ] || fail "csv rows: $(cat e8.csv)"
    ls -A | grep -q tmp && fail "temporary files left"
    ;;
fokker_planck)
    "$H" fokker-planck --help | grep -q "usage: hyperland fokker-planck" || fail "help"
    "$H" fokker-planck --dim 100 --beta 0.5 --form linear --branch liquid --window 8 \
        --grid 60 --rates 4 --json >fp.json || fail "linear spectrum exit"
    grep -q '"ou_rates"' fp.json || fail "no ou_rates"
    r1=$(grep -o '"rates": \[[^]]*' fp.json | sed 's/.*\[//' | cut -d, -f2)
    o1=$(grep -o '"ou_rates": \[[^]]*' fp.json | sed 's/.*\[//' | cut -d, -f2)
    awk -v a="$r1" -v b="$o1" 'BEGIN { d = (a - b) / b; if (d < 0) d = -d; exit !(b > 0 && d < 0.02) }' ||
        fail "linear rate $r1 vs OU $o1"
    "$H" fokker-planck --dim 60 --beta 0.5 --grid 60 --from crystal --times 0,1,10 \
        --output fp.csv --plot fp.png --json >fpe.json || fail "evolve exit"
    [ -s fp.csv ] && [ -s fp.png ] || fail "files missing"
    head -1 fp.csv | grep -q '^#' || fail "csv preamble"
    grep -q '^t,beta,T,mean_x,mean_y' fp.csv || fail "csv header"
    [ "$(grep -c '^[0-9]' fp.csv)" -eq 3 ] || fail "csv rows"
    se=$(json_num sum_error fpe.json)
    close "$se" 0 1e-9 || fail "sum_error $se"
    mkdir -p in
    printf 't,T\n0,2\n5,1\n' >in/proto.csv
    "$H" fokker-planck --dim 40 --protocol in/proto.csv --grid 40 --rates 0 --from liquid \
        --times 0,2,8 --json >fpp.json || fail "protocol run"
    grep -q '"beta": 1,' fpp.json || fail "protocol beta at the end"
    rm -f fp.json fpe.json fp.csv fp.png fpp.json
    expect_error fokker-planck --dim 100 --beta 0.5 --grid 4
    expect_error fokker-planck --dim 100 --beta 0.5 --grid 5000
    expect_error fokker-planck --dim 100 --beta 0.5 --grid abc
    expect_error fokker-planck --dim 101 --beta 0.5
    expect_error fokker-planck --dim 100 --beta nan
    expect_error fokker-planck --dim 100 --beta 0.5 --form nope
    expect_error fokker-planck --dim 100 --beta 0.5 --form linear
    expect_error fokker-planck --dim 100 --beta 0.5 --form linear --at 0.5,0.3
    expect_error fokker-planck --dim 100 --beta 0.5 --form linear --at 0.5
    expect_error fokker-planck --dim 100 --beta 0.2 --form linear --branch crystal
    expect_error fokker-planck --dim 100 --protocol in/proto.csv --form linear --branch liquid
    expect_error fokker-planck --dim 100 --beta 0.5 --from crystal
    expect_error fokker-planck --dim 100 --beta 0.5 --grid 40 --from crystal --times 0,1 --output /nonexistent/dir/x.csv
    expect_error fokker-planck --dim 100 --beta 0.5 --grid 40 --phi 'x+*y'
    rm -rf in
    ;;
compare)
    "$H" compare --help | grep -q "usage: hyperland compare" || fail "help"
    "$H" compare --beta 0.5 --dims 40,80 --grid 60 --rates 2 --json >c.json || fail "exit"
    [ "$(grep -o '"D": ' c.json | wc -l)" -eq 4 ] || fail "expected 4 rows"
    grep -q '"master_rates"' c.json && grep -q '"fp_rates"' c.json && grep -q '"ou_rates"' c.json ||
        fail "rate arrays"
    "$H" compare --beta 0.5 --dims 40,80 --grid 60 --rates 2 --output c.csv >/dev/null || fail "csv exit"
    # the Fokker-Planck rates are closer to the master equation's at D = 80
    # than at D = 40 (the OU limit is approached non-monotonically at such D)
    awk -F, '/^#/ { next } !h { for (i = 1; i <= NF; i++) col[$i] = i; h = 1; next }
        { fp[$2, $1] = $col["rel_diff_fp"] }
        END { ok = 1; split("liquid crystal", br, " ")
              for (k = 1; k <= 2; k++)
                  if (!(fp[br[k], 80] < fp[br[k], 40])) ok = 0
              exit !ok }' c.csv || fail "differences do not shrink with D"
    rm -f c.json c.csv
    expect_error compare --beta 0.5 --dims 41
    expect_error compare --beta 0.5 --dims 8000
    expect_error compare --beta 0.5 --dims 100,50
    expect_error compare --beta 0.5 --dims 100 --rates 0
    expect_error compare --beta 0.5 --dims 100 --branch nope
    expect_error compare --beta -1 --dims 100
    expect_error compare --dims 100
    ;;
*)
    fail "unknown test"
    ;;
esac
echo "PASS [$T]"
