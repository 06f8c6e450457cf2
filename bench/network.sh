#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/network.sh -- `hyperland network --json` (read, bookkeeping,
# thermodynamics, passage both ways, the slowest rates) on the real
# databases beside a SciPy peer (bench/network_peer.py: sparse SuperLU
# solves and a dense / shift-invert eigensolve on the rate matrix, the way a
# careful user does it), in one run: wall seconds of each, their ratio, and
# where the peer's numbers are wrong (relative difference from hyperland's
# graph transformation, which the tests check against mpmath at 40+ digits;
# negative or missing rates).
#
# usage: bench/network.sh            (the cases below)
# environment:
#   PEER_PYTHON=/usr/bin/python3  (needs numpy and scipy)
#   COLLAGEN=/work/shared/ktn/collagen-pele  (not in tests/data: skipped
#                                       when missing)
#   BUILD_DIR=build-bench  COUNT=6  NO_PEER=1 (skip the peer)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
COLLAGEN=${COLLAGEN:-/work/shared/ktn/collagen-pele}
BUILD_DIR=${BUILD_DIR:-build-bench}
COUNT=${COUNT:-6}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j2 --target hyperland_cli >/dev/null
HL="$BUILD_DIR/hyperland"
D=tests/data
gzip -dc "$D/LJ13/ts.data.gz" >"$tmp/lj13_ts.data"

peer_ok=0
if [[ -z "${NO_PEER:-}" ]] && "$PEER_PYTHON" -c 'import numpy, scipy' 2>/dev/null; then
    peer_ok=1
fi

# name | min.data | ts.data | T | sets dir (min.A, min.B) or -
cases=(
    "LJ13|$D/LJ13/min.data|$tmp/lj13_ts.data|0.1|-"
    "LJ13|$D/LJ13/min.data|$tmp/lj13_ts.data|0.05|-"
    "LJ13|$D/LJ13/min.data|$tmp/lj13_ts.data|0.03|-"
    "LJ13|$D/LJ13/min.data|$tmp/lj13_ts.data|0.02|-"
    "LJ13|$D/LJ13/min.data|$tmp/lj13_ts.data|0.01|-"
    "LJ38-4k|$D/LJ38-4k/min.data|$D/LJ38-4k/ts.data|0.1|$D/LJ38-4k"
    "LJ38-4k|$D/LJ38-4k/min.data|$D/LJ38-4k/ts.data|0.05|$D/LJ38-4k"
    "LJ38-4k|$D/LJ38-4k/min.data|$D/LJ38-4k/ts.data|0.01|$D/LJ38-4k"
    "nine-community|$D/nine-community/min.data|$D/nine-community/ts.data|1|$D/nine-community"
    "nine-community|$D/nine-community/min.data|$D/nine-community/ts.data|0.3|$D/nine-community"
)
if [[ -f "$COLLAGEN/min.data" ]]; then
    cases+=("collagen-pele|$COLLAGEN/min.data|$COLLAGEN/ts.data|0.592|-")
fi

time_run() {
    local out=$1
    shift
    /usr/bin/time -f '%e %M' -o "$out.time" "$@" >"$out" 2>"$out.err" || {
        echo "failed: $*" >&2
        head -c 600 "$out.err" >&2
        return 1
    }
}

echo "hyperland network --json (count $COUNT) vs the SciPy peer; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-15s %6s %7s %8s %8s %8s  %s\n' database T minima "hl_s" "peer_s" ratio "the peer's answer"
i=0
for c in "${cases[@]}"; do
    IFS='|' read -r name minf tsf T sdir <<<"$c"
    i=$((i + 1))
    args=(network --min "$minf" --ts "$tsf" --temperature "$T" --count "$COUNT" --json)
    pargs=("$minf" "$tsf" "$T" "$COUNT")
    if [[ $sdir != - ]]; then
        args+=(--A "@$sdir/min.A" --B "@$sdir/min.B")
        pargs+=("$sdir/min.A" "$sdir/min.B")
    fi
    time_run "$tmp/hl$i" "$HL" "${args[@]}"
    read -r hs _ <"$tmp/hl$i.time"
    ps=- ratio=- verdict="(no peer)"
    if [[ $peer_ok == 1 ]]; then
        if time_run "$tmp/peer$i" "$PEER_PYTHON" "$here/network_peer.py" "${pargs[@]}"; then
            read -r ps _ <"$tmp/peer$i.time"
            ratio=$(awk -v h="$hs" -v p="$ps" 'BEGIN { printf "%.1fx", p / h }')
            verdict=$("$PEER_PYTHON" - "$tmp/hl$i" "$tmp/peer$i" <<'PY'
import json, math, sys
hl = json.load(open(sys.argv[1]))
peer = json.loads(open(sys.argv[2]).read())
bad = []
def rel(a, b):
    return abs(a / b - 1) if b else float("inf")
if hl.get("passage"):
    for h, p in zip(hl["passage"], peer["passage"]):
        for k in ("mfpt", "k_nss", "k_ss"):
            ln = h["ln_" + k]
            v = p[k]
            if not (isinstance(v, float) and math.isfinite(v) and v > 0):
                bad.append("%s %s = %s (true ln %.6g)" % (h["from"] + "->" + h["to"], k, v, ln))
            elif abs(math.log(v) - ln) > 1e-6:
                bad.append("%s %s off by %.1e" % (h["from"] + "->" + h["to"], k,
                                                 abs(math.exp(math.log(v) - ln) - 1)))
rates = hl["rates"]
pr = peer["rates"]
neg = sum(1 for r in pr[1:] if r <= 0)
if neg:
    bad.append("%d of rates 1..%d <= 0" % (neg, len(pr) - 1))
worst = 0
for h, p in zip(rates[1:], pr[1:]):
    if h is not None and p > 0:
        worst = max(worst, rel(p, h))
if worst > 1e-6:
    bad.append("rates off by up to %.1e" % worst)
nulls = sum(1 for h in rates if h is None)
note = " [hyperland: %d rate(s) null: %s]" % (nulls, hl["rates_null_reasons"][-1][:40]) if nulls else ""
print(("; ".join(bad) if bad else "right (rates within %.0e, passage within 1e-6)" % max(worst, 1e-16)) + note)
PY
)
        else
            verdict="peer failed: $(tail -1 "$tmp/peer$i.err" | cut -c1-80)"
        fi
    fi
    n=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['network_minima'])" "$tmp/hl$i")
    printf '%-15s %6s %7s %8s %8s %8s  %s\n' "$name" "$T" "$n" "$hs" "$ps" "$ratio" "$verdict"
done
