#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Install the Debian packages hyperland needs, if any are missing.
# usage: deps.sh [EXTRA-PACKAGE ...]
set -e
PKGS="build-essential cmake pkg-config libgsl-dev libcmocka-dev gnuplot-nox liblapacke-dev libopenblas-dev libarpack2-dev libsundials-dev libsuitesparse-dev libssl-dev librandom123-dev zlib1g-dev"
# extra packages from the caller (test.sh: python3, which the CLI tests use
# as a strict JSON parser, and python3-mpmath, for the independent
# extended-precision references some CLI tests compute, e.g. the network
# regrouping of tests/ref/network_regroup.py)
PKGS="$PKGS $*"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "installing:$missing" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
