#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Output files of a run: devices, FIFOs and symbolic links written through,
# modes kept, inputs never overwritten, all outputs or none, '-' is stdout,
# write errors on stdout reported, no temporary files left by a signal.
# usage: outputs_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"
mkdir tmp
export TMPDIR="$W/tmp" # the write-through and gnuplot temporaries go here

# no temporary file anywhere: in the work directory (and below) or in TMPDIR
no_temps() {
    left=$(find . -name '*.tmp*' -o -name 'hyperland-*' | grep -v '^\./tmp$' || true)
    [ -z "$left" ] || fail "temporary files left after $*: $left"
    [ -z "$(ls -A tmp)" ] || fail "temporary files left in TMPDIR after $*: $(ls -A tmp)"
}
# expect_refusal CODE ARGS...: exit CODE, one line on stderr, stdout empty
expect_refusal() {
    code=$1
    shift
    timeout 30 "$H" "$@" >out.txt 2>err.txt
    rc=$?
    [ $rc -ne 124 ] || fail "still running after 30 s: $*"
    [ $rc -eq "$code" ] || fail "exit $rc (not $code) for: $* -> $(cat err.txt)"
    [ "$(wc -l <err.txt)" -eq 1 ] || fail "stderr is not one line for: $* -> $(cat err.txt)"
    [ ! -s out.txt ] || fail "stdout not empty for: $*"
    no_temps "$*"
}
mode_of() { stat -c %a "$1"; }
# a gnuplot that fails, and one that hangs, for the all-or-none and signal cases
mkdir bin
printf '#!/bin/sh\necho "fake gnuplot: cannot draw" >&2\nexit 1\n' >bin/gnuplot-fails
printf '#!/bin/sh\necho $$ >"$TMPDIR/../gnuplot.pid"\nexec sleep 60\n' >bin/gnuplot-hangs
chmod +x bin/*
for kind in fails hangs; do # directories to put first in PATH
    mkdir "fake-$kind"
    ln -s "$W/bin/gnuplot-$kind" "fake-$kind/gnuplot"
done

case "$T" in
device)
    # a character device is written through, never replaced by a regular file:
    # private null and full devices when mknod is allowed (root), else the
    # system's only when they cannot be replaced (not root)
    if mknod nulldev c 1 3 2>/dev/null && mknod fulldev c 1 7 2>/dev/null; then
        dev=nulldev full=fulldev
    elif [ "$(id -u)" != 0 ]; then
        dev=/dev/null full=/dev/full
    else
        echo "skipped [$T]: root without mknod"
        exit 0
    fi
    "$H" phases --points 40 --output "$dev" >/dev/null || fail "phases --output $dev"
    [ -c "$dev" ] || fail "phases replaced the device $dev: $(ls -l "$dev")"
    "$H" exact --dim 20 --beta 0.5 --distribution "$dev" >/dev/null || fail "exact --distribution $dev"
    [ -c "$dev" ] || fail "exact replaced the device $dev"
    "$H" gaussian --dim 100 --beta 0.8 --output "$dev" >/dev/null || fail "gaussian --output $dev"
    [ -c "$dev" ] || fail "gaussian replaced the device $dev"
    # (the system's /dev/null only now that a device is known to be kept)
    "$H" phases --points 40 --output /dev/null >/dev/null || fail "phases --output /dev/null"
    [ -c /dev/null ] || fail "/dev/null is no longer a device"
    # the data really go through: /dev/stdout is a device or a pipe here
    "$H" gaussian --dim 100 --beta 0.8 --output /dev/stdout 2>err.txt | grep -q '^branch,' ||
        fail "gaussian --output /dev/stdout wrote no CSV"
    # a full device: the error names the path, exit 1
    "$H" phases --points 40 --output "$full" >/dev/null 2>err.txt && fail "exit 0 writing to $full"
    grep -q "cannot write '$full': No space left on device" err.txt ||
        fail "message for $full: $(cat err.txt)"
    [ -c "$full" ] || fail "$full replaced"
    # directories are refused before any work
    mkdir d
    expect_refusal 1 phases --output d
    expect_refusal 1 exact --dim 20 --beta 0.5 --distribution .
    no_temps device
    ;;
symlink)
    # the file a link points to is updated; the link stays a link
    echo old >real.csv
    ln -s real.csv link.csv
    "$H" phases --points 40 --output link.csv >/dev/null || fail "phases via link"
    [ -L link.csv ] || fail "the link was replaced"
    [ "$(readlink link.csv)" = real.csv ] || fail "the link points elsewhere"
    grep -q '^branch,beta' real.csv || fail "the target was not written"
    # a chain of links, across directories, and a dangling link
    mkdir sub
    ln -s ../link.csv sub/chain.csv
    "$H" gaussian --dim 100 --beta 0.8 --output sub/chain.csv >/dev/null || fail "chain"
    [ -L sub/chain.csv ] && [ -L link.csv ] || fail "links of the chain replaced"
    grep -q '^branch,dim,beta' real.csv || fail "the chain's target was not written"
    ln -s sub/new.csv dangling.csv
    "$H" exact --dim 20 --beta 0.5 --distribution dangling.csv >/dev/null || fail "dangling"
    [ -L dangling.csv ] || fail "the dangling link was replaced"
    grep -q '^n,n1,x,y' sub/new.csv || fail "the dangling link's target was not created"
    # a link's target keeps its mode
    chmod 600 real.csv
    "$H" phases --points 40 --output link.csv >/dev/null || fail "phases via link (2)"
    [ "$(mode_of real.csv)" = 600 ] || fail "mode of the link's target: $(mode_of real.csv)"
    no_temps symlink
    ;;
modes)
    # an existing file keeps its mode; a new one gets 0666 minus the umask
    touch keep.csv && chmod 640 keep.csv
    "$H" phases --points 40 --output keep.csv >/dev/null || fail "phases"
    [ "$(mode_of keep.csv)" = 640 ] || fail "0640 became $(mode_of keep.csv)"
    touch keep2.csv && chmod 604 keep2.csv
    "$H" exact --dim 20 --beta 0.5 --distribution keep2.csv >/dev/null || fail "exact"
    [ "$(mode_of keep2.csv)" = 604 ] || fail "0604 became $(mode_of keep2.csv)"
    (umask 022 && "$H" phases --points 40 --output new022.csv >/dev/null) || fail "umask 022"
    [ "$(mode_of new022.csv)" = 644 ] || fail "new file under umask 022: $(mode_of new022.csv)"
    (umask 002 && "$H" gaussian --dim 100 --beta 0.8 --output new002.csv >/dev/null) || fail "umask 002"
    [ "$(mode_of new002.csv)" = 664 ] || fail "new file under umask 002: $(mode_of new002.csv)"
    (umask 077 && "$H" mfpt --dims 20,40 --betas 0.8 --output new077.csv >/dev/null) || fail "umask 077"
    [ "$(mode_of new077.csv)" = 600 ] || fail "new file under umask 077: $(mode_of new077.csv)"
    (umask 022 && "$H" exact --dim 20 --beta 0.5 --plot new.png >/dev/null) || fail "png"
    [ "$(mode_of new.png)" = 644 ] || fail "new PNG under umask 022: $(mode_of new.png)"
    (umask 022 && "$H" phases --points 40 --output b.csv --plot figs >/dev/null) || fail "figures"
    [ "$(mode_of figs/fig1_paths.png)" = 644 ] || fail "figure mode $(mode_of figs/fig1_paths.png)"
    no_temps modes
    ;;
inputs)
    # an output that is an input file of the same run is refused, nothing changes
    printf 't,T\n0,1\n1,0.5\n' >p.csv
    cp p.csv p.orig
    expect_refusal 2 evolve --dim 20 --protocol p.csv --from liquid --times 0,1 --output p.csv
    cmp -s p.csv p.orig || fail "evolve overwrote its --protocol file"
    ln -s p.csv plink.csv
    ln p.csv phard.csv
    expect_refusal 2 evolve --dim 20 --protocol p.csv --from liquid --times 0,1 --output plink.csv
    expect_refusal 2 evolve --dim 20 --protocol plink.csv --from liquid --times 0,1 --plot phard.csv
    expect_refusal 2 fokker-planck --dim 20 --protocol p.csv --grid 20 --rates 0 --from liquid \
        --times 0,1 --output ./p.csv
    cmp -s p.csv p.orig || fail "the --protocol file changed"
    "$H" exact --dim 20 --beta 0.5 --distribution q.csv >/dev/null || fail "exact"
    cp q.csv q.orig
    expect_refusal 2 evolve --dim 20 --beta 0.5 --from q.csv --times 0,1 --output q.csv
    expect_refusal 2 fokker-planck --dim 20 --beta 0.5 --grid 20 --rates 0 --from q.csv \
        --times 0,1 --plot q.csv
    cmp -s q.csv q.orig || fail "the --from file changed"
    # the same file as two outputs of one run
    expect_refusal 2 evolve --dim 20 --beta 0.5 --from liquid --times 0,1 --output r.csv --plot ./r.csv
    expect_refusal 2 exact --dim 20 --beta 0.5 --distribution q.csv --plot q.csv
    cmp -s q.csv q.orig || fail "q.csv changed"
    # the input and output differ: fine
    "$H" evolve --dim 20 --protocol p.csv --from q.csv --times 0,1 --output r.csv >/dev/null ||
        fail "evolve with distinct input and output"
    no_temps inputs
    ;;
stdout_errors)
    # a write error on stdout is an error (one line, exit 1), whatever the command
    for args in "exact --dim 20 --beta 0.5 --json" "exact --dim 20 --beta 0.5" \
        "phases --points 40 --output b.csv" "spectrum --dim 20 --beta 0.5 --count 3 --json" \
        "gaussian --dim 100 --beta 0.8" "phases --help" "--version" "--help" \
        "gaussian --dim 100 --beta 0.8 --output -" "exact --dim 20 --beta 0.5 --plot -"; do
        # shellcheck disable=SC2086
        "$H" $args >/dev/full 2>err.txt
        rc=$?
        [ $rc -eq 1 ] || fail "exit $rc for '$args > /dev/full'"
        # (with --output - the report itself goes to stderr)
        [ "$(grep -c '^hyperland' err.txt)" -eq 1 ] ||
            fail "stderr for '$args > /dev/full': $(cat err.txt)"
        grep -q "writing to stdout: No space left on device" err.txt ||
            fail "message for '$args > /dev/full': $(cat err.txt)"
    done
    grep -q "^hyperland exact: writing to stdout" err.txt ||
        fail "the message names no command: $(cat err.txt)"
    # a closed pipe: the reader stopped; no temporary left behind
    "$H" phases --points 2000 --output - 2>/dev/null | head -1 >/dev/null
    no_temps stdout_errors
    ;;
dash)
    # '-' is stdout for every file option; nothing named '-' appears; the
    # report goes to stderr then
    run_dash() { # run_dash HEADER ARGS...: stdout is the CSV with HEADER
        hdr=$1
        shift
        "$H" "$@" >o.csv 2>e.txt || fail "exit code for: $* -> $(cat e.txt)"
        grep -q '^# hyperland' o.csv || fail "no CSV preamble on stdout for: $*"
        grep -q "^$hdr" o.csv || fail "no '$hdr' on stdout for: $*"
        [ ! -e ./- ] || fail "a file named '-' was made by: $*"
    }
    run_dash branch,beta phases --points 40 --output -
    grep -q '^melting: beta_m' e.txt || fail "phases' summary did not go to stderr"
    run_dash n,n1,x,y exact --dim 20 --beta 0.5 --distribution -
    run_dash state,n,n1 spectrum --dim 8 --beta 0.7 --count 3 --vectors -
    run_dash beta,dim mfpt --dims 20,40 --betas 0.8 --output -
    run_dash n,n1,x,y mfpt --dim 20 --beta 0.8 --committor -
    run_dash branch,dim,beta gaussian --dim 100 --beta 0.8 --output -
    run_dash t,beta evolve --dim 20 --beta 0.5 --from liquid --times 0,1 --output -
    run_dash t,beta fokker-planck --dim 20 --beta 0.5 --grid 20 --rates 0 --from liquid --times 0,1 --output -
    run_dash D,branch compare --beta 0.5 --dims 20 --grid 20 --rates 1 --output -
    # a PNG on stdout
    "$H" exact --dim 20 --beta 0.5 --plot - >o.png 2>e.txt || fail "exact --plot -"
    head -c 4 o.png | grep -q PNG || fail "exact --plot - wrote no PNG on stdout"
    # stdout for two things at once, and '-' as a directory: refused
    expect_refusal 2 phases --points 40 --json --output -
    expect_refusal 2 exact --dim 20 --beta 0.5 --distribution - --plot -
    expect_refusal 2 evolve --dim 20 --beta 0.5 --from liquid --times 0,1 --output - --json
    expect_refusal 1 phases --points 40 --plot -
    expect_refusal 1 paper --out -
    # ./- is the file called '-'
    "$H" gaussian --dim 100 --beta 0.8 --output ./- >/dev/null || fail "--output ./-"
    [ -f ./- ] || fail "./- was not written"
    rm ./-
    no_temps dash
    ;;
all_or_none)
    # an unwritable --plot fails before the work and leaves no CSV
    touch f
    echo old >d.csv
    start=$(date +%s.%N)
    expect_refusal 1 exact --dim 2000 --beta 0.7 --distribution d.csv --plot f/q.png
    expect_refusal 1 compare --beta 0.5 --dims 40,80,160,320 --output c.csv --plot f/c.png
    expect_refusal 1 evolve --dim 400 --beta 0.5 --phi 'x*y+x' --from liquid --times 0,1e6 \
        --output e.csv --plot f/e.png
    expect_refusal 1 fokker-planck --dim 100 --beta 0.5 --grid 200 --from liquid --times 0,1 \
        --output e.csv --plot f/e.png
    expect_refusal 1 paper --out f/p
    expect_refusal 1 phases --output b.csv --plot f/figs
    expect_refusal 1 mfpt --dim 300 --beta 0.9 --committor f/q.csv
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { exit !(b - a < 10) }' ||
        fail "the refusals took $(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }') s"
    [ "$(cat d.csv)" = old ] || fail "d.csv changed"
    [ ! -e c.csv ] && [ ! -e e.csv ] && [ ! -e b.csv ] || fail "a CSV was left by a failed run"
    # gnuplot fails after the computation: no file at all, the old one untouched
    for cmd in "exact --dim 60 --beta 0.7 --distribution d.csv --plot q.png" \
        "evolve --dim 20 --beta 0.5 --from liquid --times 0,1 --output d.csv --plot q.png" \
        "fokker-planck --dim 20 --beta 0.5 --grid 20 --rates 0 --from liquid --times 0,1 --output d.csv --plot q.png" \
        "compare --beta 0.5 --dims 20 --grid 20 --rates 1 --output d.csv --plot q.png" \
        "phases --points 40 --output d.csv --plot figs"; do
        # shellcheck disable=SC2086
        PATH="$W/fake-fails:$PATH" "$H" $cmd >out.txt 2>err.txt && fail "exit 0 with a failing gnuplot: $cmd"
        grep -q "fake gnuplot: cannot draw" err.txt || fail "gnuplot's message: $(cat err.txt)"
        [ "$(cat d.csv)" = old ] || fail "d.csv changed by the failed run: $cmd"
        [ ! -e q.png ] && [ -z "$(ls -A figs 2>/dev/null)" ] || fail "a PNG was left by: $cmd"
        no_temps "$cmd"
    done
    # and with a working gnuplot both files appear
    if command -v gnuplot >/dev/null; then
        "$H" exact --dim 60 --beta 0.7 --distribution d.csv --plot q.png >/dev/null || fail "exact"
        grep -q '^n,n1' d.csv && [ -s q.png ] || fail "exact wrote not both files"
    fi
    no_temps all_or_none
    ;;
signals)
    # SIGTERM / SIGINT / SIGHUP during the computation: no temporary left, the
    # process dies of the signal; old files untouched
    echo old >c.csv
    for sig in TERM INT HUP; do
        # (a background job of a script starts with SIGINT ignored: undo that)
        env --default-signal=INT "$H" compare --beta 0.5 --dims 40,80,160 --output c.csv --plot c.png >/dev/null 2>&1 &
        pid=$!
        sleep 1
        kill -s $sig $pid
        wait $pid
        rc=$?
        [ $rc -gt 128 ] || fail "exit $rc after SIG$sig"
        [ "$(cat c.csv)" = old ] || fail "c.csv changed by the interrupted run"
        [ ! -e c.png ] || fail "c.png made by the interrupted run"
        no_temps "SIG$sig during compare"
    done
    # during gnuplot (one that hangs): gnuplot is stopped too
    PATH="$W/fake-hangs:$PATH" "$H" exact --dim 40 --beta 0.7 --distribution d.csv --plot q.png >/dev/null 2>&1 &
    pid=$!
    # (up to 30 s: under a full parallel test run the start can take seconds)
    for _ in $(seq 300); do
        [ -n "$(ls -A tmp)" ] && break
        sleep 0.1
    done
    [ -n "$(ls -A tmp)" ] || fail "no gnuplot script appeared in TMPDIR"
    sleep 0.3
    kill -TERM $pid
    wait $pid
    rc=$?
    [ $rc -gt 128 ] || fail "exit $rc after SIGTERM during gnuplot"
    [ -s gnuplot.pid ] || fail "the fake gnuplot did not run"
    kill -0 "$(cat gnuplot.pid)" 2>/dev/null && fail "gnuplot was left running"
    [ ! -e d.csv ] && [ ! -e q.png ] || fail "files made by the interrupted run"
    no_temps "SIGTERM during gnuplot"
    ;;
signals_threads)
    # every thread of a run blocks SIGTERM but the one that waits for it
    # (sigwait, cli/signals.c): METIS's own handler, installed during each
    # sparse ordering, can then never take it (OpenMP's threads and
    # OpenBLAS's, restarted after main() blocked the signals, included)
    env --default-signal=INT "$H" spectrum --blocks 4 --dim 40 --beta 1 --count 10 >/dev/null 2>&1 &
    pid=$!
    n=0
    for _ in $(seq 100); do # until the parallel parts have started
        n=$(ls /proc/$pid/task 2>/dev/null | wc -l)
        [ "$n" -ge 3 ] && break
        sleep 0.1
    done
    [ "$n" -ge 3 ] || fail "the run did not start its threads ($n)"
    sleep 1 # (OpenMP's too)
    open=0
    for t in /proc/$pid/task/*; do
        blk=$(awk '/^SigBlk/ {print $2}' "$t/status" 2>/dev/null) || continue
        [ -n "$blk" ] || continue
        # SIGTERM is signal 15: bit 14 of the mask
        (((0x$blk >> 14) & 1)) || open=$((open + 1))
    done
    [ $open -le 1 ] || fail "$open of $n threads can take SIGTERM (one may: the signal thread)"
    kill -TERM $pid
    wait $pid
    rc=$?
    [ $rc -eq 143 ] || fail "exit $rc after SIGTERM (not 143: killed by it)"
    # a SIGTERM the parent blocked stays blocked (pending): the run ends as usual
    python3 - "$H" <<'PYEOF' || fail "a SIGTERM blocked by the parent was taken"
import signal, subprocess, sys, time
pre = lambda: signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
p = subprocess.Popen([sys.argv[1], "compare", "--beta", "0.5", "--dims", "160", "--output", "b.csv"],
                     preexec_fn=pre, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(0.5)
p.send_signal(signal.SIGTERM)
rc = p.wait()
sys.exit(0 if rc == 0 else 1)
PYEOF
    [ -s b.csv ] || fail "the run with SIGTERM blocked wrote no b.csv"
    ;;
signals_metis)
    # SIGTERM at many moments of a run that orders sparse matrices with
    # METIS (whose handler once took it: the run went on to exit 0 with its
    # files written, or hung)
    cmd=(compare --beta 0.5 --dims 160 --output c.csv --plot c.png)
    now_ms() { echo $(($(date +%s%N) / 1000000)); }
    full=
    for _ in 1 2; do # the shorter of two runs (a loaded machine varies)
        t0=$(now_ms)
        "$H" "${cmd[@]}" >/dev/null 2>&1 || fail "the run itself failed"
        t1=$(($(now_ms) - t0))
        [ -n "$full" ] && [ "$full" -le $t1 ] || full=$t1
    done
    rm -f c.csv c.png
    echo old >c.csv
    killed=0
    # 12 moments spread over the first 70 % of the run
    for k in $(seq 12); do
        d=$(awk -v f="$full" -v k="$k" 'BEGIN { printf "%.3f", 0.7 * f * k / 12 / 1000 }')
        env --default-signal=INT "$H" "${cmd[@]}" >/dev/null 2>&1 &
        pid=$!
        sleep "$d"
        tk=$(now_ms)
        kill -TERM $pid 2>/dev/null
        for _ in $(seq 1500); do
            kill -0 $pid 2>/dev/null || break
            sleep 0.02
        done
        after=$(($(now_ms) - tk))
        if kill -0 $pid 2>/dev/null; then
            kill -KILL $pid
            fail "still running 30 s after SIGTERM at $d s"
        fi
        wait $pid
        rc=$?
        if [ $rc -eq 0 ]; then
            # a run that was ending (a loaded machine runs at another pace):
            # then it ends at once, with its files; one that went on did not
            # take the signal
            [ $after -lt 300 ] || fail "exit 0, $after ms after SIGTERM at $d s: the signal was lost"
            [ -s c.png ] && [ "$(cat c.csv)" != old ] || fail "exit 0 without its files"
            echo old >c.csv
            rm -f c.png
            continue
        fi
        killed=$((killed + 1))
        [ $rc -eq 143 ] || fail "exit $rc after SIGTERM at $d s of a $full ms run (not 143: killed by it)"
        [ "$(cat c.csv)" = old ] || fail "c.csv changed by the run killed at $d s"
        [ ! -e c.png ] || fail "c.png made by the run killed at $d s"
        no_temps "SIGTERM at $d s"
    done
    [ $killed -ge 4 ] || fail "only $killed of 12 runs were killed (the others had ended)"
    ;;
fifo)
    # a FIFO is written through (with a reader), not replaced
    mkfifo pipe.csv
    timeout 60 cat pipe.csv >got.csv &
    reader=$!
    timeout 60 "$H" phases --points 40 --output pipe.csv >/dev/null || fail "phases into a FIFO"
    wait $reader
    [ -p pipe.csv ] || fail "the FIFO was replaced"
    grep -q '^branch,beta' got.csv || fail "the reader got no CSV"
    "$H" phases --points 40 --output ref.csv >/dev/null || fail "phases into a file"
    [ "$(grep -v '^#' got.csv)" = "$(grep -v '^#' ref.csv)" ] || fail "the reader got other data"
    # a FIFO without a reader: the run waits for one (as the shell's > does);
    # timeout ends it and no temporary is left
    timeout -s TERM 3 "$H" phases --points 40 --output pipe.csv >/dev/null 2>&1
    [ $? -eq 124 ] || fail "a FIFO without a reader did not wait"
    [ -p pipe.csv ] || fail "the FIFO was replaced (2)"
    no_temps fifo
    ;;
*)
    fail "unknown test $T"
    ;;
esac
echo "ok [$T]"
