#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# examples/coexistence/plot.sh -- the figures of the coexistence example:
# runs the program (build/examples/example_coexistence) with a data
# directory and draws, with gnuplot,
#   coexistence_path.png      the free energy along the nucleated route
#                             (maxima and saddles against the mean d of the
#                             copies), M = 1 .. 4, gamma = 0 and 0.2, beta_m;
#   coexistence_barriers.png  the barriers of that route against gamma;
#   coexistence_lifetime.png  the supercooled liquid's lifetime against D
#                             and against gamma.
# usage: examples/coexistence/plot.sh [OUTDIR] (default docs/)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
X=${EXAMPLE:-$root/build/examples/example_coexistence}
out=${1:-$root/docs}
mkdir -p "$out"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$X" "$data" >"$data/out.txt"
cd "$data"
# the route of M copies at one gamma: max 0, saddle 0 -> 1, max 1, ..., max M
for M in 1 2 3 4; do
    for g in 0.000 0.200; do
        awk -v M=$M -v g=$g '$1 == M && $2 == g {
                print $7, $4
                if ($3 < M) print $8, $6 }' gamma.dat >route_${M}_${g}.dat
    done
done
# the route's barrier from the liquid: its highest saddle, f_0 - min_j f_saddle(j)
awk '!/^#/ && $3 < $1 { k = $1 " " $2; if (!(k in b) || $6 > b[k]) b[k] = $6; if ($6 == "nan" || $6 == "-nan") bad[k] = 1 }
     END { for (k in b) if (!(k in bad)) print k, b[k] }' gamma.dat | sort -k1,1n -k2,2n >route_barrier.dat
# one file per curve (gnuplot breaks a line at a filtered-out point)
for M in 1 2 3 4; do
    awk -v M=$M '!/^#/ && $2 == M && $3 == 0 { print $1, $4 }' lifetime.dat >life_D_${M}_0.dat
    awk -v M=$M '!/^#/ && $2 == M && $3 > 0.39 { print $1, $4 }' lifetime.dat >life_D_${M}_4.dat
    awk -v M=$M '!/^#/ && $2 == M && $1 == 72 { print $3, $4 }' lifetime.dat >life_g_${M}.dat
    awk -v M=$M '$1 == M { print $2, $3 }' route_barrier.dat >rb_${M}.dat
done
gnuplot <<GP
set terminal pngcairo size 900,600 font ",12"
set output "$out/coexistence_path.png"
set title "M copies of the paper's system at {/Symbol b}_m: the nucleated route (maxima and saddles of f)"
set xlabel "mean d of the copies (liquid at d = 0.861 on the left, crystal at d = -0.998 on the right)"
set ylabel "{/Symbol b}({F} - {F}_{pure}) / D  =  f_{pure} - f"
set xrange [1:-1.05]
set key top right
set grid
plot for [M=1:4] "route_".M."_0.000.dat" using 1:2 with linespoints lw 2 pt 7 title sprintf("M = %d, {/Symbol g} = 0", M), \
     for [M=2:4] "route_".M."_0.200.dat" using 1:2 with linespoints lw 2 dt 2 pt 6 title sprintf("M = %d, {/Symbol g} = 0.2", M)
set output "$out/coexistence_barriers.png"
set title "Barrier per dimension of the nucleated route from the liquid at {/Symbol b}_m"
set xlabel "interface coefficient {/Symbol g}"
set ylabel "f_{liquid} - f_{highest saddle}  (per dimension)"
set xrange [0:0.4]
set yrange [0:0.35]
set key bottom right
plot 0.3138984215 with lines lw 2 lc rgb "black" title "single system (M = 1): the whole sample at once", \
     for [M=2:4] "rb_".M.".dat" using 1:2 with linespoints lw 2 pt 7 title sprintf("M = %d copies (line ends: a mixed state is gone)", M)
set output "$out/coexistence_lifetime.png"
set multiplot layout 1,2 title "Lifetime of the supercooled liquid at {/Symbol b} = 0.85 (mean time until every copy is crystalline)"
set title "against the total D"
set xlabel "total dimension D"
set ylabel "ln({/Symbol t} B)"
set xrange [20:76]
set yrange [0:30]
set key top left
plot for [M=1:4] "life_D_".M."_0.dat" using 1:2 with linespoints lw 2 pt 7 title (M == 1 ? "single system" : sprintf("M = %d, {/Symbol g} = 0", M)), \
     for [M=2:4] "life_D_".M."_4.dat" using 1:2 with linespoints lw 2 dt 2 pt 6 title sprintf("M = %d, {/Symbol g} = 0.4", M)
set title "against {/Symbol g}, D = 72"
set xlabel "interface coefficient {/Symbol g}"
set xrange [0:0.4]
set key bottom right
plot for [M=1:4] "life_g_".M.".dat" using 1:2 with linespoints lw 2 pt 7 title (M == 1 ? "single system" : sprintf("M = %d", M))
unset multiplot
GP
echo "wrote $out/coexistence_path.png, coexistence_barriers.png, coexistence_lifetime.png"
