#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# examples/glass/run.sh -- glass-like slowing in Stillinger's model.
#
# A transmission coefficient with an activation barrier that grows towards
# the amorphous vertex (0, -1):  B(x, y, T) = exp(-A y^2 / T).  Two
# experiments, each beside the barrier-free B = 1:
#   1. the structural relaxation time of the supercooled liquid (T < T_m) against T:
#      start from the liquid part of the equilibrium at a slightly higher T,
#      evolve at T and time the 1/e decay of <phi>;
#   2. cooling ramps from T = 2 to T = 0.4 at rates 1, 0.1, 0.01, 0.001
#      (then held): where the liquid ends up depends on the rate.
# usage: examples/glass/run.sh [OUTDIR] (default examples/glass/out); needs
# build/hyperland (see the README's first command) and gnuplot.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
H=${HYPERLAND:-$root/build/hyperland}
out=${1:-$root/examples/glass/out}
mkdir -p "$out"
cd "$out"
D=${D:-80}
A=${A:-3}
BARRIER="exp(-$A*y^2/T)"
TIMES=$(awk 'BEGIN { for (k = 0; k <= 56; k++) printf "%s%.6g", k ? "," : "", 10^(-3 + k / 8) }')

echo "# glass example: D = $D, B = $BARRIER; relaxation time of <phi> in the supercooled liquid" >relax.csv
echo "T,tau_B1,tau_barrier" >>relax.csv
for T in 1.28 1.1 0.95 0.85 0.75 0.65 0.58 0.52 0.47 0.43 0.4; do
    beta=$(awk -v T=$T 'BEGIN { print 1 / T }')
    beta0=$(awk -v b=$beta 'BEGIN { print 0.97 * b }')
    # the liquid basin of the equilibrium at the slightly hotter start
    "$H" exact --dim $D --beta $beta0 --distribution start.csv >/dev/null
    awk -F, '/^#/ || $1 == "n" { print; next } $7 == "liquid" { print }' start.csv >liquid.csv
    row="$T"
    for B in 1 "$BARRIER"; do
        "$H" evolve --dim $D --beta $beta --from liquid.csv --times "$TIMES" \
            --transmission "$B" --output ev.csv >/dev/null
        # 1/e time of (<phi>(t) - <phi>(end)) / (<phi>(0+) - <phi>(end))
        tau=$(awk -F, 'BEGIN { n = 0 } /^#/ || $1 == "t" { next } { t[n] = $1; p[n] = $6; n++ }
            END { e = p[n - 1]; a0 = p[0] - e; tau = "nan";
                  for (k = 1; k < n; k++) { r0 = (p[k - 1] - e) / a0; r1 = (p[k] - e) / a0;
                      if (r0 > exp(-1) && r1 <= exp(-1)) {
                          f = (log(r0) + 1) / (log(r0) - log(r1));
                          tau = exp(log(t[k - 1]) + f * (log(t[k]) - log(t[k - 1]))); break } }
                  print tau }' ev.csv)
        row="$row,$tau"
    done
    echo "$row" | tee -a relax.csv
done

echo "# glass example: D = $D; cooling from T = 2 to T = 0.4 at rate r, then held" >cooling.csv
echo "rate,B,t_end,mean_y,mean_phi,free_energy,liquid,crystal" >>cooling.csv
for r in 1 0.1 0.01 0.001; do
    tend=$(awk -v r=$r 'BEGIN { print 1.6 / r }')
    printf "t,T\n0,2.0\n%s,0.4\n" "$tend" >ramp.csv
    for B in 1 "$BARRIER"; do
        "$H" evolve --dim $D --protocol ramp.csv --from equilibrium:0.5 --times "$tend" \
            --transmission "$B" --output ramp_out.csv >/dev/null
        awk -F, -v r=$r -v B="$B" '/^#/ || $1 == "t" { next }
            { printf "%s,%s,%s,%s,%s,%s,%s,%s\n", r, (B == "1" ? "1" : "barrier"), $1, $5, $6, $8, $(NF - 1), $NF }' \
            ramp_out.csv | tee -a cooling.csv
    done
done

grep ',1,' cooling.csv >cool_B1.csv
grep ',barrier,' cooling.csv >cool_barrier.csv
gnuplot <<GP
set terminal pngcairo size 900,650 font 'sans,12' enhanced
set datafile separator ','
set output 'glass_relaxation.png'
set title 'Structural relaxation of the supercooled liquid, T < T_m = 1.293 (D = $D)'
set xlabel '1/T = {/Symbol b}'
set ylabel 'relaxation time of <{/Symbol f}> (units of 1/B_0)'
set logscale y
set format y '10^{%T}'
set grid
set key top left box opaque
plot 'relax.csv' using (1/\$1):2 every ::2 with linespoints lw 2 pt 7 lc rgb '#1f5fbf' title 'B = 1', \
     'relax.csv' using (1/\$1):3 every ::2 with linespoints lw 2 pt 5 lc rgb '#c0392b' title 'B = exp(-$A y^2/T)'
set output 'glass_cooling.png'
set title 'Cooling from T = 2 to 0.4 at rate r: where the liquid ends up (D = $D)'
set xlabel 'cooling rate r = |dT/dt| (units of B_0)'
set ylabel '<{/Symbol f}> at T = 0.4'
set logscale x
set xrange [5e-4:2]
unset logscale y
set format y '%g'
set format x '10^{%T}'
set key top left box opaque
plot 'cool_B1.csv' using 1:5 with linespoints lw 2 pt 7 lc rgb '#1f5fbf' title 'B = 1', \
     'cool_barrier.csv' using 1:5 with linespoints lw 2 pt 5 lc rgb '#c0392b' title 'B = exp(-$A y^2/T)'
GP
rm -f start.csv liquid.csv ev.csv ramp.csv ramp_out.csv cool_B1.csv cool_barrier.csv
echo "wrote $out/relax.csv, cooling.csv, glass_relaxation.png, glass_cooling.png"
