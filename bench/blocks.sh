#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/blocks.sh -- the model of k blocks (issue 12): `hyperland exact
# --blocks` and `hyperland spectrum --blocks` beside a SciPy peer
# (bench/blocks_peer.py: numpy logsumexp for the sums; eigsh shift-invert
# about -0.5 with SuperLU for the rates, the way a user would), each under
# /usr/bin/time (wall seconds, peak RSS).  The peer's rates have an absolute
# resolution (eps times the largest rate): it cannot give a tunnelling rate
# far below it, which hyperland gives in logs.
#
# The rates (issue 12): gt-lanczos (the tunnelling rate, exact however
# small) through the graph transformation's factor in supernodes with BLAS
# on a nested-dissection order (src/solvers/gt_supernodal.c), the in-basin
# rates by shift-invert.  Measured on the 2-core machine (load from the
# other jobs printed first): see bench/README.md.
#
# usage: bench/blocks.sh [CASE ...]   cases: exact3 rates3 rates4 (default all)
# environment:
#   PHI3=...  the three-block phi (default below; two blocks of the paper's
#             kind plus a coupling)
#   BETA_EXACT=1.2 BETA_RATES=0.9 K=10
#   D_EXACT="300 600"  D_RATES3="60 150 180"  D_RATES4="40 60 72"
#   NO_PEER=1  PEER_PYTHON=/usr/bin/python3  BUILD_DIR=build  TIMEOUT=600
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
PHI3=${PHI3:-'(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2'}
BETA_EXACT=${BETA_EXACT:-1.2}
BETA_RATES=${BETA_RATES:-0.9}
K=${K:-10}
D_EXACT=${D_EXACT:-"300 600"}
D_RATES3=${D_RATES3:-"60 150 180"}
D_RATES4=${D_RATES4:-"40 60 72"}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
BUILD_DIR=${BUILD_DIR:-build}
TIMEOUT=${TIMEOUT:-600}
H="$root/$BUILD_DIR/hyperland"
[[ -x "$H" ]] || { echo "no $H: build first (cmake --build $BUILD_DIR)"; exit 1; }
cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || cases=(exact3 rates3 rates4)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

run() { # label, command...: wall seconds, CPU (user + sys), peak RSS, load
    local label=$1
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$tmp/t" timeout "$TIMEOUT" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    read -r wall rss usr sys <"$tmp/t" || true
    printf "  %-10s wall %8ss  CPU %8ss (user %s + sys %s)  peak RSS %8.1f MB  rc %d  load %s\n" \
        "$label" "${wall:-?}" "$(awk -v u="${usr:-0}" -v s="${sys:-0}" 'BEGIN { print u + s }')" \
        "${usr:-?}" "${sys:-?}" "$(awk -v k="${rss:-0}" 'BEGIN { print k / 1024 }')" "$rc" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
}

for c in "${cases[@]}"; do
    case $c in
    exact3)
        for D in $D_EXACT; do
            echo "exact --blocks 3 --dim $D --beta $BETA_EXACT ($(( (D / 3 + 1) ** 3 )) classes)"
            run hyperland "$H" exact --blocks 3 --dim "$D" --beta "$BETA_EXACT" --phi "$PHI3" --json
            grep -o '"lnZ_per_dim": [-0-9.e]*' "$tmp/out" | head -1 | sed 's/^/    /'
            if [[ -z "${NO_PEER:-}" ]]; then
                run peer "$PEER_PYTHON" "$here/blocks_peer.py" exact 3 "$D" "$BETA_EXACT" "$PHI3"
                grep -E "RESULT|lnZ" "$tmp/out" | sed 's/^/    /'
            fi
        done
        ;;
    rates3 | rates4)
        k=${c#rates}
        Ds=$D_RATES3
        phi=$PHI3
        if [[ $k == 4 ]]; then
            Ds=$D_RATES4
            phi='0.5*(m1-(m2+0.2)^2+0.38*(m2+0.2)^3)+0.5*(m3-(m4+0.2)^2+0.38*(m4+0.2)^3)'
        fi
        for D in $Ds; do
            echo "spectrum --blocks $k --dim $D --beta $BETA_RATES --count $K" \
                 "($(( (D / k + 1) ** k )) classes)"
            run hyperland "$H" spectrum --blocks "$k" --dim "$D" --beta "$BETA_RATES" --count "$K" \
                --phi "$phi"
            grep -E "method|^ +[0-9]+ " "$tmp/out" | head -4 | sed 's/^/    /'
            if [[ -z "${NO_PEER:-}" ]]; then
                run peer "$PEER_PYTHON" "$here/blocks_peer.py" rates "$k" "$D" "$BETA_RATES" "$phi" "$K"
                grep -E "RESULT|rates" "$tmp/out" | cut -c1-160 | sed 's/^/    /'
            fi
        done
        ;;
    *) echo "unknown case $c"; exit 1 ;;
    esac
done
