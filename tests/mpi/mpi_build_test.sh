#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The optional MPI build (issue 11): configure a separate build tree with
# -DHL_MPI=ON, build hyperland-mpi, and check that `mpirun -np 2 hyperland-mpi
# kmc` gives the one-process data (tests/cli/kmc_test.sh mpi).  The default
# build needs no MPI: without mpicc and mpirun this test is skipped (exit 77;
# scripts/test.sh installs openmpi-bin and libopenmpi-dev, so CI runs it).
# usage: mpi_build_test.sh SOURCE_DIR WORK_DIR
set -u
src=${1:?source dir}
work=${2:?work dir}
if ! command -v mpicc >/dev/null || ! command -v mpirun >/dev/null; then
    echo "SKIP: no MPI (mpicc, mpirun) on this machine"
    exit 77
fi
mkdir -p "$work"
cmake -S "$src" -B "$work" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS=-Werror -DHL_MPI=ON \
    >"$work/configure.log" 2>&1 || { tail -20 "$work/configure.log"; exit 1; }
cmake --build "$work" -j "$(nproc)" --target hyperland_cli hyperland_mpi >"$work/build.log" 2>&1 ||
    { grep -E "error|warning" "$work/build.log" | head -20; exit 1; }
exec bash "$src/tests/cli/kmc_test.sh" "$work/hyperland" mpi "$work/hyperland-mpi"
