#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# examples/coexistence/plot.sh -- the figures of the coexistence example:
# runs the program (build/examples/example_coexistence) with a data
# directory and draws, with gnuplot,
#   coexistence_path.png      the free energy along the route from the
#                             liquid to the crystal (its maxima and saddles
#                             against the mean d of the copies) at beta_m:
#                             gamma = 0 (M = 1 .. 4), gamma = 0.2 and 0.4;
#   coexistence_barriers.png  that route's barrier against gamma (one copy
#                             at a time, or with a step where two copies
#                             change phase together);
#   coexistence_lifetime.png  the supercooled liquid's lifetime against D
#                             and against gamma.
# usage: examples/coexistence/plot.sh [OUTDIR] (default docs/)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
X=${EXAMPLE:-$root/build/examples/example_coexistence}
out=${1:-$root/docs}
mkdir -p "$out"
out=$(cd "$out" && pwd)
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$X" "$data" >"$data/out.txt"
cd "$data"
# the route at one gamma: max, saddle, max, ... in order (route.dat)
for M in 1 2 3 4; do
    for g in 0.000 0.200 0.400; do
        awk -v M=$M -v g=$g '!/^#/ && $1 == M && $2 == g { print $4, $5 }' route.dat >route_${M}_${g}.dat
    done
    # the route's barrier: one copy at a time (column 4 a number) or not
    awk -v M=$M '!/^#/ && $1 == M && $4 != "nan" { print $2, $3 }' gamma.dat >rb_one_${M}.dat
    awk -v M=$M '!/^#/ && $1 == M && $4 == "nan" { print $2, $3 }' gamma.dat >rb_two_${M}.dat
    awk -v M=$M '!/^#/ && $2 == M && $3 == 0 { print $1, $4 }' lifetime.dat >life_D_${M}_0.dat
    awk -v M=$M '!/^#/ && $2 == M && $3 > 0.39 { print $1, $4 }' lifetime.dat >life_D_${M}_4.dat
    awk -v M=$M '!/^#/ && $2 == M && $1 == 96 { print $3, $4 }' lifetime.dat >life_g_${M}.dat
done
# the folds inside the plotted range, from the program: a dotted line each
awk '$1 == "fold" && $4 <= 0.4 { y = 0.84 - 0.08 * ($2 - 3)
    printf "set arrow from %.6f, graph 0 to %.6f, graph %.2f nohead dt 3 lw 2 lc %d\n", $4, $4, y + 0.02, $2
    printf "set label \"M = %d: mixture j = %d gone above {/Symbol g} = %.6f (fold)\" at %.6f, graph %.2f right offset -0.5, 0 font \",10\"\n", $2, $3, $4, $4, y }' \
    saddles.dat >folds.gp
gnuplot <<GP
set terminal pngcairo size 1400,620 font ",12"
set output "$out/coexistence_path.png"
set multiplot layout 1,2 title "M copies of the paper's system at {/Symbol b}_m: maxima and saddles along the route from the liquid to the crystal"
set xlabel "mean d of the copies (liquid: d = 0.861, crystal: d = -0.998)"
set ylabel "{/Symbol b}(F - F_{pure}) / D  =  f_{pure} - f"
set xrange [1:-1.05]
set yrange [-0.01:0.33]
set grid
set key top right
set title "{/Symbol g} = 0: every mixture is a maximum, one copy at a time"
plot for [M=1:4] "route_".M."_0.000.dat" using 1:2 with linespoints lw 2 pt 7 lc M title sprintf("M = %d", M)
set title "{/Symbol g} = 0.2 (solid) and 0.4 (dashed): M = 3, 4 skip the last mixture at 0.4"
set yrange [-0.01:0.37]
plot for [M=2:4] "route_".M."_0.200.dat" using 1:2 with linespoints lw 2 pt 7 lc M title sprintf("M = %d, {/Symbol g} = 0.2", M), \
     for [M=2:4] "route_".M."_0.400.dat" using 1:2 with linespoints lw 2 dt 2 pt 6 lc M title sprintf("M = %d, {/Symbol g} = 0.4", M)
unset multiplot
set terminal pngcairo size 900,600 font ",12"
set output "$out/coexistence_barriers.png"
set title "Barrier of the route from the liquid at {/Symbol b}_m (its highest saddle)"
set xlabel "interface coefficient {/Symbol g}"
set ylabel "f_{liquid} - f_{saddle}  per dimension"
set xrange [0:0.4]
set yrange [0:0.35]
set key bottom right opaque
load "folds.gp"
plot 0.3138984215 with lines lw 2 lc rgb "black" title "single system (M = 1): the whole sample at once", \
     for [M=2:4] "rb_one_".M.".dat" using 1:2 with linespoints lw 2 pt 7 lc M title sprintf("M = %d, one copy at a time", M), \
     for [M=3:4] "rb_two_".M.".dat" using 1:2 with linespoints lw 2 pt 6 lc M title sprintf("M = %d, a mixture gone: two copies at once", M)
unset arrow
unset label
set terminal pngcairo size 1400,620 font ",12"
set output "$out/coexistence_lifetime.png"
set multiplot layout 1,2 title "Lifetime of the supercooled liquid at {/Symbol b} = 0.85 (mean time until every copy is crystalline)"
set title "against the total D"
set xlabel "total dimension D"
set ylabel "ln({/Symbol t} B)"
set xrange [20:100]
set yrange [0:40]
set key top left
plot for [M=1:4] "life_D_".M."_0.dat" using 1:2 with linespoints lw 2 pt 7 lc M title (M == 1 ? "single system" : sprintf("M = %d, {/Symbol g} = 0", M)), \
     for [M=2:4] "life_D_".M."_4.dat" using 1:2 with linespoints lw 2 dt 2 pt 6 lc M title sprintf("M = %d, {/Symbol g} = 0.4", M)
set title "against {/Symbol g}, D = 96"
set xlabel "interface coefficient {/Symbol g}"
set xrange [0:0.4]
set key bottom right
plot for [M=1:4] "life_g_".M.".dat" using 1:2 with linespoints lw 2 pt 7 lc M title (M == 1 ? "single system" : sprintf("M = %d", M))
unset multiplot
GP
echo "wrote $out/coexistence_path.png, coexistence_barriers.png, coexistence_lifetime.png"
