#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""compare.py -- compare a program's output with its expected output.

usage: compare.py EXPECTED ACTUAL [--rtol R] [--atol A]
       compare.py EXPECTED [--rtol R] [--atol A] --run PROGRAM [ARGS...]

With --run, ACTUAL is the standard output of PROGRAM ARGS (which must exit
with status 0; its standard error is passed through).

Both files are split into lines and each line into words.  The outputs agree
when they have the same lines and words, where a word that is a number in
both files may differ by |a - b| <= rtol * max(|a|, |b|) + atol (default
rtol 1e-9, atol 0) and every other word must be equal.  Numbers inside words
("(T_m", "1.29341)," ...) are compared too: a word is cut into its numbers
and the text between them.  An infinity agrees only with the same infinity, NaN with
nothing.
Exit 0 when they agree; 1 with every differing line on stderr otherwise; 2 on
bad usage or an empty expected file.
"""
import math
import re
import subprocess
import sys

NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf(?:inity)?)",
                 re.IGNORECASE)


def tokens(line):
    """The line as a list of ('num', float) and ('text', str) items."""
    out = []
    for word in line.split():
        pos = 0
        for m in NUM.finditer(word):
            # a number glued to letters (e.g. "x2", "e5abc") is text
            before = word[m.start() - 1] if m.start() > 0 else ""
            if before.isalpha() or before == "_":
                continue
            if m.start() > pos:
                out.append(("text", word[pos:m.start()]))
            out.append(("num", float(m.group())))
            pos = m.end()
        if pos < len(word):
            out.append(("text", word[pos:]))
    return out


def close(a, b, rtol, atol):
    if math.isinf(a) and math.isinf(b):
        return a == b  # the same infinity (e.g. "ln K = -inf" in a message)
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= rtol * max(abs(a), abs(b)) + atol


def main(argv):
    args, rtol, atol, run = [], 1e-9, 0.0, None
    i = 1
    while i < len(argv):
        if argv[i] == "--run" and i + 1 < len(argv):
            run = argv[i + 1:]
            break
        if argv[i] in ("--rtol", "--atol") and i + 1 < len(argv):
            v = float(argv[i + 1])
            if argv[i] == "--rtol":
                rtol = v
            else:
                atol = v
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if len(args) != (1 if run else 2):
        print("\n".join(__doc__.strip().splitlines()[2:4]), file=sys.stderr)
        return 2
    with open(args[0]) as f:
        exp = f.read().splitlines()
    if run:
        proc = subprocess.run(run, stdout=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            print(f"{run[0]}: exit status {proc.returncode}", file=sys.stderr)
            return 1
        act = proc.stdout.splitlines()
    else:
        with open(args[1]) as f:
            act = f.read().splitlines()
    if not exp:
        print(f"{args[0]}: no expected output", file=sys.stderr)
        return 2
    bad = 0
    if len(exp) != len(act):
        print(f"{len(act)} lines, expected {len(exp)}", file=sys.stderr)
        bad += 1
    worst = 0.0
    for n, (e, a) in enumerate(zip(exp, act), 1):
        te, ta = tokens(e), tokens(a)
        ok = len(te) == len(ta)
        for (ke, ve), (ka, va) in zip(te, ta) if ok else ():
            if ke != ka:
                ok = False
            elif ke == "text":
                ok = ok and ve == va
            else:
                ok = ok and close(ve, va, rtol, atol)
                if math.isfinite(ve) and math.isfinite(va) and max(abs(ve), abs(va)) > 0:
                    worst = max(worst, abs(ve - va) / max(abs(ve), abs(va)))
        if not ok:
            print(f"line {n} differs (rtol {rtol:g}, atol {atol:g}):\n"
                  f"  expected: {e}\n  actual:   {a}", file=sys.stderr)
            bad += 1
    if bad:
        return 1
    print(f"{len(exp)} lines agree; largest relative difference {worst:.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
