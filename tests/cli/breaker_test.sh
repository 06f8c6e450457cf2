#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CLI tests of the breaker branch (issue 8, kinds tried again with other
# cases): inputs read once (pipes and FIFOs), messages that name the right options.
# usage: breaker_test.sh HYPERLAND TEST
. "$(dirname "$0")/lib.sh" "$@"

# json_get FILE EXPR: a value of the strict JSON in FILE (NaN/Infinity refused)
json_get() {
    python3 -c '
import json, sys
def bad(c): raise ValueError("non-standard JSON constant " + c)
d = json.load(open(sys.argv[1]), parse_constant=bad)
print(eval(sys.argv[2]))' "$1" "$2"
}

case "$T" in
fifo_inputs)
    # A protocol or start file given as a FIFO or a pipe is read once: the
    # run neither hangs (a FIFO cannot be opened a second time once its
    # writer is gone) nor records the sha256 of an empty read, and gives the
    # same numbers as the regular file.
    printf '# cooling\nt,T\n0,1.2\n3,0.6\n' > p.csv
    "$H" exact --dim 16 --beta 0.9 --distribution start.csv >/dev/null || fail "exact --distribution"
    P_SHA=$(sha256sum p.csv | cut -d' ' -f1)
    S_SHA=$(sha256sum start.csv | cut -d' ' -f1)
    mkfifo ff
    for cmd in evolve fokker-planck; do
        extra=""
        [ $cmd = fokker-planck ] && extra="--grid 16 --rates 0"
        timeout 60 "$H" $cmd --dim 16 --protocol p.csv --from liquid --times 0,1,5 $extra --json \
            >ref.json || fail "$cmd with a regular protocol file"
        # the protocol through a pipe
        cat p.csv | timeout 60 "$H" $cmd --dim 16 --protocol /dev/stdin --from liquid \
            --times 0,1,5 $extra --json >pipe.json || fail "$cmd --protocol /dev/stdin (pipe)"
        [ "$(json_get pipe.json 'd["provenance"]["inputs"][0]["sha256"]')" = "$P_SHA" ] ||
            fail "$cmd: sha256 of the piped protocol is not that of its bytes"
        [ "$(json_get pipe.json 'd["points"][-1]["mean_x"]')" = \
          "$(json_get ref.json 'd["points"][-1]["mean_x"]')" ] || fail "$cmd: piped protocol differs"
        # the protocol through a FIFO
        (timeout 60 sh -c 'cat p.csv > ff' &)
        timeout 60 "$H" $cmd --dim 16 --protocol ff --from liquid --times 0,1,5 $extra --json \
            >fifo.json
        rc=$?
        [ $rc -eq 0 ] || fail "$cmd --protocol FIFO: status $rc (124: it hung)"
        [ "$(json_get fifo.json 'd["provenance"]["inputs"][0]["sha256"]')" = "$P_SHA" ] ||
            fail "$cmd: sha256 of the FIFO protocol"
        [ "$(json_get fifo.json 'd["points"][-1]["mean_x"]')" = \
          "$(json_get ref.json 'd["points"][-1]["mean_x"]')" ] || fail "$cmd: FIFO protocol differs"
        # a start file through a FIFO and through a pipe, with a CSV output
        timeout 60 "$H" $cmd --dim 16 --beta 0.7 --from start.csv --times 0,2 $extra \
            --output ref.csv >/dev/null || fail "$cmd --from a regular file"
        (timeout 60 sh -c 'cat start.csv > ff' &)
        timeout 60 "$H" $cmd --dim 16 --beta 0.7 --from ff --times 0,2 $extra --output fifo.csv \
            >/dev/null
        rc=$?
        [ $rc -eq 0 ] || fail "$cmd --from FIFO: status $rc (124: it hung)"
        grep -q "^# provenance: input ff sha256 $S_SHA" fifo.csv ||
            fail "$cmd: CSV provenance of the FIFO start file: $(grep provenance fifo.csv)"
        cat start.csv | timeout 60 "$H" $cmd --dim 16 --beta 0.7 --from /dev/stdin --times 0,2 \
            $extra --output pipe.csv >/dev/null || fail "$cmd --from /dev/stdin (pipe)"
        grep -q "^# provenance: input /dev/stdin sha256 $S_SHA" pipe.csv ||
            fail "$cmd: CSV provenance of the piped start file: $(grep provenance pipe.csv)"
        [ "$(grep -v '^#' fifo.csv)" = "$(grep -v '^#' ref.csv)" ] || fail "$cmd: FIFO start differs"
        [ "$(grep -v '^#' pipe.csv)" = "$(grep -v '^#' ref.csv)" ] || fail "$cmd: piped start differs"
    done
    # unreadable inputs: one line naming the file and the reason
    "$H" evolve --dim 16 --protocol . --from liquid --times 0,1 >out.txt 2>err.txt &&
        fail "a directory as protocol accepted"
    grep -q "cannot read protocol '.': Is a directory" err.txt || fail "message: $(cat err.txt)"
    ;;
stdout_clash)
    # two outputs sent to stdout ('-'): the refusal names both options (it
    # named the second one twice)
    clash() { # EXPECTED ARGS...
        local want="$1"
        shift
        "$H" "$@" >out.txt 2>err.txt && fail "accepted: $*"
        [ $? -eq 2 ] || fail "status for: $*"
        grep -q -- "$want both write to stdout" err.txt || fail "message for $*: $(cat err.txt)"
        [ ! -s out.txt ] || fail "output on stdout for: $*"
    }
    clash "--distribution - and --plot -" exact --dim 20 --beta 0.8 --distribution - --plot -
    clash "--distribution - and --plot -" exact --dim 20 --beta 0.8 --plot - --distribution -
    clash "--json and --distribution -" exact --dim 20 --beta 0.8 --json --distribution -
    clash "--output - and --plot -" evolve --dim 20 --beta 0.8 --from liquid --times 0,1 \
        --output - --plot -
    clash "--output - and --plot -" fokker-planck --dim 20 --beta 0.8 --grid 16 --rates 0 \
        --from liquid --times 0,1 --output - --plot -
    clash "--output - and --plot -" compare --beta 0.5 --dims 50 --output - --plot -
    clash "--json and --committor -" mfpt --dim 20 --beta 0.8 --committor - --json
    clash "--json and --vectors -" spectrum --dim 10 --beta 0.8 --vectors - --json
    ;;
short_ramp)
    # A near-instant quench or heating (a protocol ramp of 1e-12 .. 1e-11 at
    # t = 0) is the step: the state equals a run at the final beta from the
    # same start class (CVODE's error test failed 7 times in a row at the
    # first step and the run stopped with "CVODE failed at t = 0 (flag -3)").
    # close A B: relative difference below 1e-8 (absolute 1e-14)
    close() { python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if abs(a - b) <= 1e-8 * max(abs(a), abs(b)) + 1e-14 else 1)' "$1" "$2"; }
    # step D HEADER V0 DT V1 FINAL_BETA FROM
    step() {
        printf '%s\n0,%s\n%s,%s\n' "$2" "$3" "$4" "$5" > q.csv
        timeout 120 "$H" evolve --dim "$1" --protocol q.csv --from "$7" --times 0,0.5,5 --json \
            >ramp.json 2>err.txt || fail "D = $1, ramp $3 -> $5 over $4 from $7: $(cat err.txt)"
        from=infinite-temperature
        if [ "$7" != infinite-temperature ]; then
            n=$(json_get ramp.json 'd["start"]["n"]')
            n1=$(json_get ramp.json 'd["start"]["n1"]')
            printf 'n,n1,Q\n%s,%s,1\n' "$n" "$n1" > start.csv
            from=start.csv
        fi
        timeout 120 "$H" evolve --dim "$1" --beta "$6" --from $from --times 0,0.5,5 --json \
            >fixed.json || fail "D = $1 fixed beta $6"
        for k in 1 2; do
            for key in mean_x mean_y mean_phi; do
                a=$(json_get ramp.json "d['points'][$k]['$key']")
                b=$(json_get fixed.json "d['points'][$k]['$key']")
                close "$a" "$b" || fail "D = $1, ramp over $4 from $7: $key at point $k: $a, the step gives $b"
            done
        done
    }
    step 20 t,T 1 1e-12 0.5 2 liquid
    step 20 t,T 1 1e-12 0.5 2 infinite-temperature
    step 20 t,beta 1 1e-14 2 2 crystal
    step 30 t,T 0.8 1e-11 3 0.3333333333333333 crystal
    step 40 t,T 1.5 3e-11 0.7 1.4285714285714286 liquid
    ;;
subnormal_transmission)
    # A transmission B below the smallest normal double (2.2e-308) has lost
    # digits, and so has every rate built from it: spectrum printed
    # 5.58985871704860e-320 with "rel. error 0" for 5.590315193e-320
    # (B = 1e-320, D = 20, beta = 1).  Refused, naming the value; a small
    # normal B (1e-300) still scales every rate exactly.
    for b in '1e-320' '1e-320+0*T' 'exp(-740*T)' '1e-310*(2+x)'; do
        for cmd in "spectrum --dim 20 --beta 1 --count 3" "mfpt --dim 20 --beta 1" \
                   "evolve --dim 20 --beta 1 --from liquid --times 0,1" \
                   "fokker-planck --dim 20 --beta 1 --grid 16 --rates 2"; do
            "$H" $cmd --transmission "$b" >out.txt 2>err.txt && fail "$cmd accepted B = $b: $(cat out.txt)"
            [ "$(wc -l <err.txt)" -eq 1 ] || fail "$cmd, B = $b: not one line: $(cat err.txt)"
            grep -q "smallest normal double" err.txt || fail "$cmd, B = $b: $(cat err.txt)"
        done
    done
    "$H" spectrum --dim 20 --beta 1 --count 4 --json >one.json || fail "spectrum B = 1"
    "$H" spectrum --dim 20 --beta 1 --count 4 --transmission '1e-300' --json >tiny.json ||
        fail "spectrum B = 1e-300 refused"
    for k in 1 2 3; do
        python3 -c 'import json, sys
a = json.load(open("one.json"))["rates"][int(sys.argv[1])]
b = json.load(open("tiny.json"))["rates"][int(sys.argv[1])]
sys.exit(0 if abs(b / 1e-300 - a) <= 1e-9 * a else 1)' $k || fail "rate $k at B = 1e-300 is not 1e-300 times the rate at B = 1"
    done
    ;;
bom_inputs)
    # A protocol or start file saved by a spreadsheet starts with a UTF-8
    # byte-order mark: read as the same file without it (it was "expected the
    # header 't,T' or 't,beta'")
    printf 't,T\r\n0,1.1\r\n2,0.6\r\n' > p.csv
    printf '\xef\xbb\xbf' | cat - p.csv > pbom.csv
    "$H" evolve --dim 16 --protocol p.csv --from liquid --times 0,1,3 --output a.csv >/dev/null ||
        fail "protocol without BOM"
    "$H" evolve --dim 16 --protocol pbom.csv --from liquid --times 0,1,3 --output b.csv \
        >/dev/null 2>err.txt || fail "protocol with a BOM: $(cat err.txt)"
    [ "$(grep -v '^#' a.csv)" = "$(grep -v '^#' b.csv)" ] || fail "BOM protocol differs"
    printf 'n,n1,Q\r\n8,2,0.25\r\n9,4,0.75\r\n' > s.csv
    printf '\xef\xbb\xbf' | cat - s.csv > sbom.csv
    "$H" evolve --dim 16 --beta 0.9 --from s.csv --times 0,1 --output a.csv >/dev/null ||
        fail "start without BOM"
    "$H" evolve --dim 16 --beta 0.9 --from sbom.csv --times 0,1 --output b.csv >/dev/null \
        2>err.txt || fail "start file with a BOM: $(cat err.txt)"
    [ "$(grep -v '^#' a.csv)" = "$(grep -v '^#' b.csv)" ] || fail "BOM start file differs"
    # a BOM anywhere but at the start is still an error
    printf 't,T\n0,1\n\xef\xbb\xbf2,0.6\n' > pmid.csv
    "$H" evolve --dim 16 --protocol pmid.csv --from liquid --times 0,1 >/dev/null 2>err.txt &&
        fail "a BOM inside the file accepted"
    grep -q "line 3" err.txt || fail "BOM inside: $(cat err.txt)"
    ;;
*)
    fail "unknown test"
    ;;
esac
echo "PASS [$T]"
