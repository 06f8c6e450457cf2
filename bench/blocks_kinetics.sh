#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/blocks_kinetics.sh -- the kinetics of the model of K blocks (the
# master equation on the K-dimensional class lattice, 2K moves per class,
# the rates of eq 5.2) beside a SciPy peer (bench/blocks_kin_peer.py: the
# same generator in scipy.sparse from the same phi, written the way a user
# would), in one run:
#   rates    `spectrum --blocks 3` vs eigsh shift-invert (SuperLU)
#   mfpt     `mfpt --blocks 3` vs spsolve on the absorbing system
#   network  `lattice-network --blocks 3` vs the same CSVs from NumPy (savetxt)
#   evolve   `evolve --blocks 3 --protocol` (a cooling ramp) vs solve_ivp BDF
#   fp       `fokker-planck --blocks 2` and `--blocks 3` vs a SciPy
#            Scharfetter-Gummel finite-volume operator and eigsh
#   kmc      `kmc --blocks 3` vs a Python Gillespie loop
#   mpmath   at a small D where the tunnelling rate is below the peer's
#            double resolution: the slowest nonzero rate and the MFPT of
#            hyperland and of the peer against a 40-digit mpmath reference
#            (blocks_kin_peer.py verify: banded LU, inverse iteration)
#   wells    `evolve --blocks 1` at long times on chains of several wells
#            (several relaxation rates far below the eigensolver's
#            resolution): five wells (D = 80, beta = 1.5, from b5, to
#            t = 1e300) and the issue's three wells (D = 60, beta = 2, from
#            b3); the peer by scipy.linalg.expm (dense), expm_multiply and
#            solve_ivp BDF, each limited to WELLS_TIMEOUT; hyperland and
#            every peer method against the mpmath reference of
#            tests/cli/slowref_ref.py (300 digits, imported): the largest
#            absolute error of the basin populations and of <m1>
# For each: hyperland's wall and CPU (user + sys) seconds of the whole process
# (/usr/bin/time), the peer's wall and CPU seconds of its computation (imports
# and start-up not timed), the ratios peer / hyperland, and the agreement of
# the numbers.  The machine is shared: the load average is printed per row,
# and the CPU ratio is the one to quote when the load is high.
#
# usage: bench/blocks_kinetics.sh [CASE ...]   (default: all of the above)
# environment:
#   PHI3, PHI2 (the three- and two-block phi), BETA=0.9
#   D_RATES="60 150"  D_MFPT="60 150"  D_NET=150  D_EVOLVE=60  D_KMC=60
#   FP2="100 200" (D, grid of --blocks 2)  FP3="60 30" (D, grid of --blocks 3)
#   KMC_TRAJ=1000 KMC_TIMES=1,10,100
#   VERIFY="21 2.5" (D, beta of the mpmath case: 40-digit banded LU, about
#   10 s of CPU at D = 21; N D^2 / 18 multiplications in general)
#   D_WELLS=80 (D of the five-well chain; 80 is slowref's case five_deep)
#   WELLS_TIMEOUT=60 (wall s per peer method of the wells case)
#   PEER_TIMEOUT=150 (wall s; a peer that runs out prints "> S" for its wall
#   and "> C" for the CPU seconds it had used, and its ratios are lower bounds)  TIMEOUT=600 (hyperland)  NO_PEER=1
#   PEER_PYTHON=/usr/bin/python3  BUILD_DIR=build-bench (configured Release
#   and built here when it has no hyperland)
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
PHI3=${PHI3:-'(2*m1+m3)/3-(m2+0.2)^2+0.38*(m2+0.2)^3+0.3*(m1-m3)^2'}
PHI2=${PHI2:-'m1-(m2+0.2)^2+0.38*(m2+0.2)^3+0.1*m1*m2'}
BETA=${BETA:-0.9}
D_RATES=${D_RATES:-"60 150"}
D_MFPT=${D_MFPT:-"60 150"}
D_NET=${D_NET:-150}
D_EVOLVE=${D_EVOLVE:-60}
D_KMC=${D_KMC:-60}
FP2=${FP2:-"100 200"}
FP3=${FP3:-"60 30"}
KMC_TRAJ=${KMC_TRAJ:-1000}
KMC_TIMES=${KMC_TIMES:-1,10,100}
VERIFY=${VERIFY:-"21 2.5"}
D_WELLS=${D_WELLS:-80}
WELLS_TIMEOUT=${WELLS_TIMEOUT:-60}
PEER_TIMEOUT=${PEER_TIMEOUT:-150}
TIMEOUT=${TIMEOUT:-600}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
BUILD_DIR=${BUILD_DIR:-build-bench}
H="$root/$BUILD_DIR/hyperland"
if [[ ! -x "$H" ]]; then
    cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
        cmake --build "$BUILD_DIR" -j2 --target hyperland_cli >/dev/null ||
        { echo "blocks_kinetics.sh: build failed" >&2; exit 1; }
fi
"$PEER_PYTHON" -c 'import numpy, scipy' 2>/dev/null || NO_PEER=1
cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || cases=(rates mfpt network evolve fp kmc mpmath wells)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PEER="$here/blocks_kin_peer.py"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "phi (K = 3): $PHI3"
echo "phi (K = 2): $PHI2"
echo "hyperland: whole process (/usr/bin/time); peer: its computation (time.perf_counter / process_time)"
printf '%-28s %9s %9s %9s %9s %8s %8s %6s  %s\n' case hl_wall hl_cpu peer_wall peer_cpu r_wall r_cpu load agreement

# hl LABEL ARGS...: hyperland under /usr/bin/time -> $tmp/hl.out, HLW, HLC
hl() {
    /usr/bin/time -f "%e %U %S" -o "$tmp/hl.time" timeout "$TIMEOUT" "$H" "$@" >"$tmp/hl.out" 2>"$tmp/hl.err"
    HLRC=$?
    read -r HLW u s <"$tmp/hl.time" 2>/dev/null || { HLW=?; u=0; s=0; }
    HLC=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')
    [[ $HLRC == 0 ]] || { echo "  hyperland failed (rc $HLRC): $(tail -1 "$tmp/hl.err")"; }
}
# peer ARGS...: -> $tmp/peer.out, PW, PC ("> T" when it ran out)
peer() {
    PW=-; PC=-
    rm -f "$tmp/peer.out"
    [[ -z "${NO_PEER:-}" ]] || return 0
    /usr/bin/time -f "%U %S" -o "$tmp/peer.time" \
        timeout "$PEER_TIMEOUT" "$PEER_PYTHON" "$PEER" "$@" >"$tmp/peer.out" 2>"$tmp/peer.err"
    local rc=$?
    if [[ $rc == 124 ]]; then
        # ran out: the wall limit, and the CPU it had used (imports included)
        PW=">$PEER_TIMEOUT"
        PC=">$(tail -1 "$tmp/peer.time" | awk '{ printf "%.1f", $1 + $2 }')"
        return 0
    fi
    [[ $rc == 0 ]] || { echo "  peer failed (rc $rc): $(tail -1 "$tmp/peer.err")"; return 0; }
    PW=$(sed -n 's/^RESULT .*wall_s=\([^ ]*\).*/\1/p' "$tmp/peer.out")
    PC=$(sed -n 's/^RESULT .*cpu_s=\([^ ]*\).*/\1/p' "$tmp/peer.out")
}
row() { # LABEL AGREEMENT
    awk -v l="$1" -v hw="$HLW" -v hc="$HLC" -v pw="$PW" -v pc="$PC" -v a="$2" \
        -v ld="$(cut -d' ' -f1 /proc/loadavg)" 'function r(p, h,   lb) {
            if (p == "-" || h == "?" || h + 0 <= 0) return "-"
            lb = (substr(p, 1, 1) == ">"); if (lb) p = substr(p, 2)
            return (lb ? ">" : "") sprintf("%.1fx", p / h) }
        BEGIN { printf "%-28s %9s %9s %9s %9s %8s %8s %6s  %s\n", l, hw, hc, pw, pc, r(pw, hw), r(pc, hc), ld, a }'
}
# compare MODE: hyperland's output ($tmp/hl.out, ...) against the peer's
compare() {
    [[ "$PW" != - && "${PW:0:1}" != ">" ]] || { echo "-"; return; }
    "$PEER_PYTHON" - "$1" "$tmp" <<'EOF'
import json, math, sys
mode, tmp = sys.argv[1], sys.argv[2]
peer = {}
for line in open(tmp + "/peer.out"):
    f = line.split()
    if f and f[0] != "RESULT":
        peer.setdefault(f[0], []).append(f[1:])
def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)
if mode in ("rates", "fp"):
    d = json.load(open(tmp + "/hl.out"))
    hr = d["rates"]
    pr = [float(x) for x in peer["rates"][0]]
    res = float(peer["resolution"][0][0])
    # the tunnelling rate (index 1) apart; the others: the largest relative difference
    others = max(rel(a, b) for a, b in zip(hr[2:], pr[2:]))
    t_hl, t_p = hr[1], pr[1]
    note = ""
    if t_hl is None:
        t_txt = "hl null"
    else:
        t_txt = "tunnel %.6g vs %.6g (rel %.1e)" % (t_hl, t_p, rel(t_hl, t_p))
        if t_hl < 100 * res:
            note = "; peer: below its resolution %.1e" % res
    print("rates 2..%d rel <= %.1e; %s%s" % (len(hr) - 1, others, t_txt, note))
elif mode == "mfpt":
    d = json.load(open(tmp + "/hl.out"))
    start, nt = (int(x) for x in peer["start"][0][0:3:2])
    T = float(peer["mfpt"][0][0])
    ok = "" if (start == d["start"]["class"] and nt == d["target_classes"]) else \
        " (start/target differ: %d/%d vs %d/%d)" % (d["start"]["class"], d["target_classes"], start, nt)
    print("mfpt %.10g vs %.10g (rel %.1e)%s" % (d["mfpt"], T, rel(d["mfpt"], T), ok))
elif mode == "network":
    a = peer.get("agree", [[]])[0]
    kv = dict(zip(a[0::2], a[1::2]))
    print("same ids %s; E rel %s, S abs %s, E_ts rel %s, S_ts abs %s" % (
        kv.get("same_ids"), kv.get("energy_rel"), kv.get("entropy_rel"),
        kv.get("ts_energy_rel"), kv.get("ts_entropy_rel")))
elif mode == "evolve":
    d = json.load(open(tmp + "/hl.out"))
    worst = 0.0
    for p, q in zip(d["points"], peer["point"]):
        vals = [float(x) for x in q[3:-4]] + [float(q[-3])]
        mine = p["mean_m"] + [p["mean_phi"]]
        worst = max(worst, max(rel(a, b) for a, b in zip(mine, vals)))
    print("<m_i>, <phi> at %d times: max rel %.1e" % (len(d["points"]), worst))
elif mode == "kmc":
    d = json.load(open(tmp + "/hl.out"))
    # hyperland's variances from its --stats CSV
    rows = [l.strip().split(",") for l in open(tmp + "/kmc_stats.csv") if l[0] not in "#t"]
    k = len(d["points"][0]["mean_m"])
    zmax = 0.0
    for p, q, s in zip(d["points"], peer["point"], rows):
        n1, n2 = p["count"], int(sys.argv[3]) if len(sys.argv) > 3 else p["count"]
        pm = [float(x) for x in q[3:3 + k]]
        pv = [float(x) for x in q[4 + k:4 + 2 * k]]
        hv = [float(s[3 + 2 * i]) for i in range(k)]
        for a, b, va, vb in zip(p["mean_m"], pm, hv, pv):
            se = math.sqrt(va / n1 + vb / n1)
            if se > 0:
                zmax = max(zmax, abs(a - b) / se)
    print("<m_i> at %d times: max |diff| / stderr = %.2f (statistical)" % (len(d["points"]), zmax))
EOF
}

# wells_case LABEL D BETA START PHI TIMES: hyperland and the three peer
# methods on one chain, then their errors against the mpmath reference
wells_case() {
    local label=$1 D=$2 B=$3 S=$4 F=$5 TT=$6 m
    local -A PWm PCm
    hl evolve --blocks 1 --dim "$D" --phi "$F" --beta "$B" --from "$S" --times "$TT" --json
    cp "$tmp/hl.out" "$tmp/wells_hl.json"
    [[ $HLRC == 0 ]] || : >"$tmp/wells_hl.json"
    for m in expm expm_multiply bdf; do
        PEER_TIMEOUT=$WELLS_TIMEOUT peer wells "$m" "$D" "$B" "$F" "$S" "$TT"
        PWm[$m]=$PW; PCm[$m]=$PC
        if [[ -f "$tmp/peer.out" ]]; then cp "$tmp/peer.out" "$tmp/wells_$m.out"; else : >"$tmp/wells_$m.out"; fi
    done
    [[ -z "${NO_PEER:-}" ]] || return 0
    "$PEER_PYTHON" - "$tmp" "$root/tests/cli" "$D" "$B" "$S" "$F" "$TT" >"$tmp/wells_cmp.out" <<'EOF3'
import json, math, sys, time
tmp, refdir, D, beta, start, formula, times = sys.argv[1:8]
sys.path.insert(0, refdir)
import mpmath as mp
import slowref_ref as R
times = times.split(",")
# the phi of the reference: the mpmath function slowref_ref.py pairs with this formula
phis = [v[1] for v in vars(R).values()
        if isinstance(v, tuple) and len(v) == 2 and v[0] == formula and callable(v[1])]
if not phis:
    print("noref no mpmath phi in slowref_ref.py for %s" % formula)
    sys.exit(0)
c0 = time.process_time()
mp.mp.dps = 300
ch, basin, maxima, st, ev, pts = R.block_run([int(D)], phis[0], beta, start, times)
R.internal_checks(dict(points=pts, eq_pops=[mp.fsum(ch.pi[j] for j in range(ch.n) if basin[j] == b)
                                            for b in range(len(maxima))]))
ref = {float(t): (float(mean[0]), [float(x) for x in pops]) for t, mean, pops, _ in pts}
rmax = [ch.cls[e][0] for e in maxima]
print("ref dps 300, %.1f s CPU; start n = %d; maxima n = %s; slowest rates %s"
      % (time.process_time() - c0, ch.cls[st][0], rmax,
         ", ".join(mp.nstr(x, 3) for x in ev.rates()[1:len(maxima)])))
got = {}   # method -> {t: (m1, pops)}
note = {}
try:
    d = json.load(open(tmp + "/wells_hl.json"))
    # a flagged population (null: its digits are lost) counts as its bound
    # when the reference is below it, else as wrong by the excess
    got["hl"] = {float(p["t"]): (p["mean_m"][0],
                                 [b["probability"] if b["probability"] is not None
                                  else ("bound", b.get("probability_bound", 0.0))
                                  for b in p["basins"]])
                 for p in d["points"]}
    if d["start"]["n"] != [ch.cls[st][0]] or len(d["points"][0]["basins"]) != len(maxima):
        note["hl"] = "start %s, %d basins (reference %d, %d)" % (
            d["start"]["n"], len(d["points"][0]["basins"]), ch.cls[st][0], len(maxima))
except (ValueError, KeyError, IndexError, OSError):
    got["hl"] = {}
for m in ("expm", "expm_multiply", "bdf"):
    got[m] = {}
    for line in open(tmp + "/wells_%s.out" % m):
        f = line.split()
        if not f:
            continue
        if f[0] == "point":
            i = f.index("pops")
            got[m][float(f[2])] = (float(f[f.index("mean_m") + 1]),
                                   [float(x) for x in f[i + 1:f.index("sum_error")]])
        elif f[0] == "start" and [int(x) for x in f[3:]] != rmax:
            note[m] = "maxima %s, reference %s" % (f[3:], rmax)
        elif f[0] == "status" and f[1] != "ok":
            note[m] = " ".join(f[1:])
        elif f[0] == "killed":
            note[m] = "killed at t = %s" % f[3]

def err(a, b):
    if isinstance(a, tuple):  # flagged: right while the reference is within the bound
        return max(0.0, b - a[1])
    return abs(a - b) if math.isfinite(a) else math.inf

def g(x):
    return "nan" if x == math.inf else "%.1e" % x

order = [float(t) for t in times]
# the largest absolute error (and its time) of the populations and of <m1>,
# and the largest relative error of the populations of at least 1e-9
for m in ("hl", "expm", "expm_multiply", "bdf"):
    pe, me, re = (-1.0, None), (-1.0, None), (-1.0, None)
    bad = None   # the first time with an error above 1e-6 (populations or <m1>)
    for t in order:
        if t in got[m]:
            x, p = got[m][t]
            if len(p) == len(ref[t][1]):
                e = max(err(a, b) for a, b in zip(p, ref[t][1]))
                r = max(err(a, b) / b for a, b in zip(p, ref[t][1]) if b >= 1e-9)
            else:
                e = r = math.inf
            pe = max(pe, (e, t), key=lambda v: v[0])
            re = max(re, (r, t), key=lambda v: v[0])
            me = max(me, (err(x, ref[t][0]), t), key=lambda v: v[0])
            if bad is None and max(e, err(x, ref[t][0])) > 1e-6:
                bad = t
    n = len(got[m])
    if n == 0:
        txt = "no times"
    else:
        txt = "pops %s (t %g; rel %s, t %g), <m1> %s (t %g)" % (
            g(pe[0]), pe[1], g(re[0]), re[1], g(me[0]), me[1])
        if n < len(order):
            txt += ", over %d of %d times" % (n, len(order))
        txt += "; first error > 1e-6 at t %s" % ("%g" % bad if bad is not None else "none")
    if m in note:
        txt += "; " + note[m]
    print("err %s %s" % (m, txt))
# per time: <m1> of the reference and of every method, and each method's worst basin error
print("detail %-8s %20s %20s %20s %20s %20s   %s" % ("t", "<m1> mpmath", "hyperland", "expm",
                                                   "expm_multiply", "bdf",
                                                   "max|pop err|: hl expm expm_mult bdf"))
for t in order:
    row = []
    es = []
    for m in ("hl", "expm", "expm_multiply", "bdf"):
        if t in got[m]:
            x, p = got[m][t]
            row.append("%20.15g" % x)
            es.append(g(max(err(a, b) for a, b in zip(p, ref[t][1]))) if len(p) == len(ref[t][1]) else "?")
        else:
            row.append("%20s" % "-")
            es.append("-")
    print("detail %-8g %20.15g %s   %s" % (t, ref[t][0], " ".join(row), " ".join("%7s" % e for e in es)))
EOF3
    local hlerr
    hlerr=$(sed -n 's/^err hl //p' "$tmp/wells_cmp.out")
    sed -n 's/^ref /  reference: /p; s/^noref /  /p' "$tmp/wells_cmp.out"
    for m in expm expm_multiply bdf; do
        PW=${PWm[$m]}; PC=${PCm[$m]}
        row "$label $m" "$(sed -n "s/^err $m //p" "$tmp/wells_cmp.out")"
    done
    echo "  hyperland: $hlerr"
    sed -n 's/^detail /    /p' "$tmp/wells_cmp.out"
}

for c in "${cases[@]}"; do
    case $c in
    rates)
        for D in $D_RATES; do
            hl spectrum --blocks 3 --dim "$D" --beta "$BETA" --count 8 --phi "$PHI3" --json
            peer rates 3 "$D" "$BETA" "$PHI3" 8
            row "rates K=3 D=$D ($(( (D / 3 + 1) ** 3 )))" "$(compare rates)"
        done
        ;;
    mfpt)
        for D in $D_MFPT; do
            hl mfpt --blocks 3 --dim "$D" --beta "$BETA" --phi "$PHI3" --json
            peer mfpt 3 "$D" "$BETA" "$PHI3"
            row "mfpt K=3 D=$D" "$(compare mfpt)"
        done
        ;;
    network)
        D=$D_NET
        hl lattice-network --blocks 3 --dim "$D" --phi "$PHI3" --states "$tmp/st.csv.hl" \
            --transitions "$tmp/tr.csv.hl" --json
        peer network 3 "$D" "$PHI3" "$tmp/st.csv" "$tmp/tr.csv"
        sz=$(du -cb "$tmp/st.csv.hl" "$tmp/tr.csv.hl" | tail -1 | cut -f1)
        psz=$( [[ -f "$tmp/tr.csv" ]] && du -cb "$tmp/st.csv" "$tmp/tr.csv" | tail -1 | cut -f1 || echo 0)
        row "lattice-network K=3 D=$D" "$(compare network); files $(awk -v a="$sz" -v b="$psz" 'BEGIN { printf "%.1f MB vs %.1f MB", a / 1e6, b / 1e6 }')"
        rm -f "$tmp"/st.csv* "$tmp"/tr.csv*
        ;;
    evolve)
        D=$D_EVOLVE
        printf 't,T\n0,1.5\n10,0.9\n' >"$tmp/cool.csv"
        hl evolve --blocks 3 --dim "$D" --protocol "$tmp/cool.csv" --from equilibrium:0.6666666666666666 \
            --times 1,2,5,10,20 --phi "$PHI3" --json
        peer evolve 3 "$D" "$PHI3" 1.5 0.9 10 1,2,5,10,20
        row "evolve K=3 D=$D T 1.5->0.9" "$(compare evolve)"
        ;;
    fp)
        read -r D2 G2 <<<"$FP2"
        hl fokker-planck --blocks 2 --dim "$D2" --beta "$BETA" --grid "$G2" --rates 8 --phi "$PHI2" --json
        peer fp 2 "$D2" "$BETA" "$PHI2" "$G2" 8
        row "fp K=2 D=$D2 grid $G2^2" "$(compare fp)"
        read -r D3 G3 <<<"$FP3"
        hl fokker-planck --blocks 3 --dim "$D3" --beta "$BETA" --grid "$G3" --rates 8 --phi "$PHI3" --json
        peer fp 3 "$D3" "$BETA" "$PHI3" "$G3" 8
        row "fp K=3 D=$D3 grid $G3^3" "$(compare fp)"
        ;;
    kmc)
        D=$D_KMC
        hl kmc --blocks 3 --dim "$D" --beta "$BETA" --from infinite-temperature --times "$KMC_TIMES" \
            --trajectories "$KMC_TRAJ" --seed 1 --phi "$PHI3" --threads 1 --json --stats "$tmp/kmc_stats.csv"
        peer kmc 3 "$D" "$BETA" "$PHI3" "$KMC_TIMES" "$KMC_TRAJ" 2
        row "kmc K=3 D=$D ${KMC_TRAJ} traj" "$(compare kmc)"
        [[ -f "$tmp/peer.out" ]] && sed -n 's/^RESULT .*\(events=[0-9]*\).*\(events_per_s=[^ ]*\).*/  peer: \1 \2 (hyperland: the same process, so about the same number of events)/p' "$tmp/peer.out"
        ;;
    mpmath)
        # a small case where the tunnelling rate lies below the peer's double
        # resolution: hyperland and the peer against a 40-digit mpmath reference
        read -r DV BV <<<"$VERIFY"
        "$H" spectrum --blocks 3 --dim "$DV" --beta "$BV" --count 3 --phi "$PHI3" --json >"$tmp/v_hr.json"
        "$H" mfpt --blocks 3 --dim "$DV" --beta "$BV" --phi "$PHI3" --json >"$tmp/v_hm.json"
        if [[ -z "${NO_PEER:-}" ]]; then
            "$PEER_PYTHON" "$PEER" rates 3 "$DV" "$BV" "$PHI3" 3 >"$tmp/v_pr.out"
            "$PEER_PYTHON" "$PEER" mfpt 3 "$DV" "$BV" "$PHI3" >"$tmp/v_pm.out"
            timeout "$TIMEOUT" "$PEER_PYTHON" "$PEER" verify 3 "$DV" "$BV" "$PHI3" 40 >"$tmp/v_ref.out"
            "$PEER_PYTHON" - "$tmp" <<'EOF2'
import json, sys
t = sys.argv[1]
def kv(path):
    d = {}
    for line in open(path):
        f = line.split()
        if f:
            d[f[0]] = f[1:]
    return d
ref, pr, pm = kv(t + "/v_ref.out"), kv(t + "/v_pr.out"), kv(t + "/v_pm.out")
hr, hm = json.load(open(t + "/v_hr.json")), json.load(open(t + "/v_hm.json"))
info = dict(x.split("=") for x in ref["RESULT"] if "=" in x)
print("mpmath check, K=3 D=%s beta=%s (%s classes, %s digits, %s s CPU):" % (
    info["D"], hr["beta"], info["classes"], info["dps"], info["cpu_s"]))
def line(name, r, h, p, extra=""):
    print("  %-16s mpmath %-24s hyperland %-24.16g (rel %.1e)  peer %-12.6g (rel %.1e)%s" % (
        name, r, h, abs(h - float(r)) / float(r), p, abs(p - float(r)) / float(r), extra))
line("tunnelling rate", ref["tunnel"][0], hr["rates"][1], float(pr["rates"][1]),
     "  peer resolution %s" % pr["resolution"][0])
line("mfpt", ref["mfpt"][0], hm["mfpt"], float(pm["mfpt"][0]))
EOF2
        fi
        ;;
    wells)
        # five wells (slowref's five_deep at D = 80) and the issue's three wells
        wells_case "wells5 D=$D_WELLS" "$D_WELLS" 1.5 b5 '-0.5*cos(4*pi*m1)+0.1*m1' \
            1,1e10,1e30,1e38,1e40,1e46,1e300
        wells_case "wells3 D=60" 60 2 b3 '-0.6*cos(3*pi*m1)+0.15*m1' 0,1,1e20,1e55,1e60,1e300
        ;;
    *) echo "unknown case $c"; exit 1 ;;
    esac
done
echo "ratios: peer / hyperland (r_wall from the wall seconds, r_cpu from the CPU seconds); load: 1-minute load average after the row"
