#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/golden/compare.py -- numeric diff of hyperland outputs (issue 9).

usage: compare.py [--tol RTOL [ATOL]] [--ignore KEY,KEY] EXPECTED_DIR ACTUAL_DIR
       compare.py [--tol RTOL [ATOL]] [--ignore KEY,KEY] EXPECTED_FILE ACTUAL_FILE

Compares every file of EXPECTED_DIR with the file of the same name in ACTUAL_DIR
(and reports files that exist on one side only).  *.json: parsed as JSON; *.csv
(and anything else): CSV, lines starting with '#' (the commented header with the
command line and the provenance) skipped, first row the column names.

Two numbers a (expected), b (actual) are equal when
    |a - b| <= max(RTOL * max(|a|, |b|), ATOL)
with RTOL = 1e-12 (the issue's criterion) and ATOL = 1e-300: the absolute floor only
accepts differences among numbers that are themselves at the very bottom of the double
range (subnormals, round-off of 0), so a rate of 1e-137 or a probability of 1e-30
must still agree to 1e-12 relative.  Exceptions, the ROUNDOFF keys below: values that
are by definition round-off residues of quantities that are exactly 0 or 1
(|sum Q - 1|, the Clausius-Clapeyron residual); a change of summation order changes
them arbitrarily, so they are compared with an absolute tolerance ROUNDOFF_ATOL.
Error bounds (the BOUNDS keys) are compared to BOUND_RTOL relative.
Integers (counts, steps, dims) must be equal, nulls must stay nulls, booleans
equal, strings equal, list lengths and key sets equal (a key in ACTUAL that is not in
EXPECTED is allowed: new keys are allowed by issue 9).  In CSV, extra columns in
ACTUAL are allowed likewise; rows must match in number.

Keys ignored everywhere (JSON keys at any depth and CSV columns): IGNORED below --
provenance, version, commit, command line and timing -- which legitimately differ
between builds.  The first difference in each file is reported with its key path
(or CSV row/column), both values and the relative difference; exit status 1 if any.
"""
import csv
import json
import math
import os
import re
import sys

RTOL = 1e-12
ATOL = 1e-300
# provenance, version, commit, command line, timing: never compared
IGNORED = {"provenance", "version", "schema_version", "git_commit", "commit",
           "command_line", "libraries", "inputs", "seconds", "elapsed", "time_s",
           "wall_seconds", "cpu_seconds", "threads"}
# round-off residues of exact identities (see the docstring)
# (a JSON key, a dotted key path suffix, or a CSV column):
#   sum_error                    |sum Q - 1| of a probability vector (evolve, fokker-planck)
#   clausius_clapeyron_residual  entropy jump - beta_m * latent heat, 0 exactly (phases)
#   rel_diff.ou, rel_diff_ou     |OU rate - master rate| / master rate where the two are
#                                the same number in exact arithmetic (the paper's phi:
#                                ~1e-15, compare)
ROUNDOFF = {"sum_error", "clausius_clapeyron_residual", "rel_diff.ou", "rel_diff_ou"}
ROUNDOFF_ATOL = 1e-13
# error bounds: a posteriori bounds built from round-off estimates (residual
# norms, condition numbers); the bound must hold and be of the same size, but
# its own trailing digits depend on the BLAS kernels of the machine (measured:
# 4e-9 relative between two x86-64 CPUs), so they are compared to BOUND_RTOL
#   relative_error, rel_error    spectrum's bound on the relative error of a rate
BOUNDS = {"relative_error", "rel_error"}
BOUND_RTOL = 1e-6

NUM_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class Diff(Exception):
    pass


def reldiff(a, b):
    d = abs(a - b)
    m = max(abs(a), abs(b))
    return d / m if m > 0 else 0.0


def num_equal(a, b, key, rtol, atol):
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return False
    if math.isinf(a) or math.isinf(b):
        return a == b
    tol = max(rtol * max(abs(a), abs(b)), atol)
    parts = (key or "").split(".")
    if parts[-1] in ROUNDOFF or ".".join(parts[-2:]) in ROUNDOFF:
        tol = max(tol, ROUNDOFF_ATOL)
    if parts[-1] in BOUNDS:
        tol = max(tol, BOUND_RTOL * max(abs(a), abs(b)))
    return abs(a - b) <= tol


def describe(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
            not isinstance(a, bool) and not isinstance(b, bool):
        return "expected %r, got %r (relative difference %.3g)" % (
            a, b, reldiff(float(a), float(b)))
    return "expected %s, got %s" % (json.dumps(a), json.dumps(b))


def cmp_json(a, b, path, key, rtol, atol, ignore):
    if isinstance(a, dict):
        if not isinstance(b, dict):
            raise Diff("%s: expected an object, got %s" % (path or "$", json.dumps(b)[:80]))
        for k in a:
            if k in ignore:
                continue
            if k not in b:
                raise Diff("%s.%s: missing (expected %s)" % (path, k, json.dumps(a[k])[:80]))
            cmp_json(a[k], b[k], "%s.%s" % (path, k), "%s.%s" % (key, k) if key else k,
                     rtol, atol, ignore)
        return
    if isinstance(a, list):
        if not isinstance(b, list):
            raise Diff("%s: expected a list, got %s" % (path or "$", json.dumps(b)[:80]))
        if len(a) != len(b):
            raise Diff("%s: expected %d entries, got %d" % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            cmp_json(x, y, "%s[%d]" % (path, i), key, rtol, atol, ignore)
        return
    if a is None or b is None or isinstance(a, (bool, str)) or isinstance(b, (bool, str)):
        if type(a) is not type(b) or a != b:
            raise Diff("%s: %s" % (path, describe(a, b)))
        return
    if not num_equal(a, b, key, rtol, atol):
        raise Diff("%s: %s" % (path, describe(a, b)))


def read_csv(path):
    with open(path, newline="") as f:
        lines = [l for l in f if not l.startswith("#")]
    rows = list(csv.reader(lines))
    if not rows:
        return [], []
    return rows[0], rows[1:]


def cmp_cell(a, b, where, col, rtol, atol):
    if NUM_RE.match(a) and NUM_RE.match(b):
        ia = re.match(r"^[+-]?\d+$", a) is not None
        ib = re.match(r"^[+-]?\d+$", b) is not None
        x = int(a) if ia else float(a)
        y = int(b) if ib else float(b)
        if ia != ib:  # 3 vs 3.0: compare as numbers
            x, y = float(x), float(y)
        if not num_equal(x, y, col, rtol, atol):
            raise Diff("%s: %s" % (where, describe(x, y)))
    elif a != b:
        raise Diff("%s: expected %r, got %r" % (where, a, b))


def cmp_csv(fa, fb, rtol, atol, ignore):
    ha, ra = read_csv(fa)
    hb, rb = read_csv(fb)
    if len(ra) != len(rb):
        raise Diff("expected %d data rows, got %d" % (len(ra), len(rb)))
    idx = {}
    for c in ha:
        if c in ignore:
            continue
        if c not in hb:
            raise Diff("column %r missing (columns: %s)" % (c, ",".join(hb)))
        idx[c] = (ha.index(c), hb.index(c))
    for r, (x, y) in enumerate(zip(ra, rb), start=1):
        if len(x) != len(ha) or len(y) != len(hb):
            raise Diff("data row %d: %d/%d fields, header has %d/%d"
                       % (r, len(x), len(y), len(ha), len(hb)))
        for c, (i, j) in idx.items():
            cmp_cell(x[i], y[j], "data row %d, column %s" % (r, c), c, rtol, atol)


def cmp_file(fa, fb, rtol, atol, ignore):
    if fa.endswith(".json"):
        with open(fa) as f:
            a = json.load(f)
        with open(fb) as f:
            try:
                b = json.load(f)
            except ValueError as e:
                raise Diff("not JSON: %s" % e)
        cmp_json(a, b, "$", None, rtol, atol, ignore)
    else:
        cmp_csv(fa, fb, rtol, atol, ignore)


def main(argv):
    rtol, atol, ignore = RTOL, ATOL, set(IGNORED)
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "--tol":
            rtol = float(argv[i + 1])
            i += 2
            if i < len(argv) and NUM_RE.match(argv[i]):
                atol = float(argv[i])
                i += 1
        elif argv[i] == "--ignore":
            ignore |= {k.strip() for k in argv[i + 1].split(",") if k.strip()}
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    exp, act = args
    if os.path.isdir(exp):
        names_e = set(os.listdir(exp))
        names_a = set(os.listdir(act)) if os.path.isdir(act) else set()
        pairs = [(os.path.join(exp, n), os.path.join(act, n), n) for n in sorted(names_e)]
    else:
        names_e = names_a = set()
        pairs = [(exp, act, os.path.basename(exp))]
    bad = 0
    for n in sorted(names_a - names_e):
        print("%s: written, but no expected output (new output? add it with run.sh --update)" % n)
        bad += 1
    for fa, fb, n in pairs:
        if not os.path.exists(fb):
            print("%s: expected, but not written" % n)
            bad += 1
            continue
        try:
            cmp_file(fa, fb, rtol, atol, ignore)
        except Diff as e:
            print("%s: %s" % (n, e))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
