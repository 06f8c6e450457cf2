#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `hyperland evolve --blocks` at long times on chains with two or more tiny
# relaxation rates (several wells behind high barriers): <m_i> to 1e-9
# absolute and every basin population above 1e-200 to 1e-6 relative
# against an mpmath reference (tests/cli/slowref_ref.py: exact
# P(t) = exp(t L) P(0) by the spectral decomposition of the symmetrised
# chain at 300 digits; below 1e-200 the tool's value must be below 1e-195);
# the start class, the output times, the basin count, sum of the
# populations = 1 and sum_error <= 1e-9.  A non-zero exit fails (a refusal
# is no answer).  The cases and their expected tables:
# `python3 tests/cli/slowref_ref.py CASE` (add --verify for a second
# precision).
# usage: slowref_test.sh HYPERLAND TEST
REF="$(cd "$(dirname "$0")" && pwd)/slowref_ref.py"
. "$(dirname "$0")/lib.sh" "$@"
PY=${PYTHON:-python3}
"$PY" -c 'import mpmath' 2>/dev/null || PY=/usr/bin/python3

mapfile -t ARGS < <("$PY" "$REF" --args "$T") || fail "no case $T"
[ "${#ARGS[@]}" -gt 0 ] || fail "no case $T"
timeout "${SLOWREF_TIMEOUT:-30}" "$H" evolve "${ARGS[@]}" --json >out.json 2>err.txt
rc=$?
[ $rc -ne 124 ] || fail "hyperland evolve ${ARGS[*]}: still running after ${SLOWREF_TIMEOUT:-30} s"
[ $rc -eq 0 ] || fail "hyperland evolve ${ARGS[*]} exit $rc: $(head -c 600 err.txt)"
"$PY" "$REF" "$T" out.json >ref.txt
rc=$?
cat ref.txt
[ $rc -eq 0 ] || fail "against the reference (exit $rc)"
