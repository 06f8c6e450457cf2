#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# examples/coexistence/check_saddles.sh -- ctest example_coexistence_saddles:
# the example's maxima, saddles (labelled by the maxima they join) and folds
# (DIR/saddles.dat) against an independent numpy/scipy search of the
# 2M-cube (tests/ref/coexistence_saddles.py).  Skipped (exit 77) without a
# python3 that has numpy and scipy.
# usage: check_saddles.sh EXAMPLE REFERENCE.py [GAMMA ...]
set -euo pipefail
X=$1 REF=$2
shift 2
py=
for p in ${PEER_PYTHON:-} python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import numpy, scipy' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "skipped: no python3 with numpy and scipy"
    exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$X" "$dir" >"$dir/out.txt"
"$py" "$REF" check "$dir/saddles.dat" "$@"
