#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# install_test.sh -- install hyperland into a temporary prefix and build the
# README's example program (examples/readme_example.c) against the INSTALLED
# library: with pkg-config (shared, and static with --static), and with a
# CMake project using find_package(hyperland); run each and compare the
# output with examples/readme_example.expected.  Also checks the SONAME,
# that only the public API is exported, hl_version() against the project
# version, and the installed CLI.
# usage: install_test.sh BUILD_DIR SOURCE_DIR VERSION SOVERSION CC "EXTRA_CFLAGS"
set -u
B="$1"; S="$2"; V="$3"; SOV="$4"; CC="$5"; EXTRA="${6:-}"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL [install]: $*"; exit 1; }
P="$W/prefix"
EX="$S/examples/readme_example.c"
EXPECTED="$S/examples/readme_example.expected"

cmake --install "$B" --prefix "$P" >"$W/install.log" 2>&1 || { cat "$W/install.log"; fail "cmake --install"; }
LIBDIR=$(dirname "$(find "$P" -name hyperland.pc | head -1)")/..
LIBDIR=$(cd "$LIBDIR" && pwd)
for f in include/hyperland/hyperland.h include/hyperland/version.h bin/hyperland; do
    [ -f "$P/$f" ] || fail "$f not installed"
done
for f in libhyperland.so libhyperland.so.$SOV "libhyperland.so.$V" libhyperland.a \
         pkgconfig/hyperland.pc cmake/hyperland/hyperlandConfig.cmake \
         cmake/hyperland/hyperlandConfigVersion.cmake cmake/hyperland/hyperlandTargets.cmake; do
    [ -e "$LIBDIR/$f" ] || fail "$LIBDIR/$f not installed"
done
soname=$(readelf -d "$LIBDIR/libhyperland.so.$V" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "libhyperland.so.$SOV" ] || fail "SONAME '$soname', expected libhyperland.so.$SOV"
# the ABI is the public API: every exported function is an hl_ name of the
# public headers; an internal helper (hl_fail) is not exported
nm -D --defined-only "$LIBDIR/libhyperland.so" | awk '$2 == "T" {print $3}' >"$W/exported"
[ -s "$W/exported" ] || fail "nothing exported"
grep -v '^hl_' "$W/exported" && fail "exported names outside the hl_ API (above)"
grep -qx hl_fail "$W/exported" && fail "internal hl_fail is exported"
while read -r fn; do
    grep -rqw "$fn" "$P/include/hyperland" || fail "exported $fn is not in the public headers"
done <"$W/exported"
grep -qx hl_version "$W/exported" || fail "hl_version not exported"

export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
[ "$(pkg-config --modversion hyperland)" = "$V" ] || fail "pkg-config version $(pkg-config --modversion hyperland), expected $V"

run_example() { # NAME BINARY [LD_LIBRARY_PATH]
    LD_LIBRARY_PATH="${3:-}" "$2" >"$W/$1.out" 2>"$W/$1.err" || { cat "$W/$1.err"; fail "$1: exit code"; }
    python3 "$S/examples/compare.py" "$EXPECTED" "$W/$1.out" --rtol 1e-9 ||
        fail "$1: output differs from examples/readme_example.expected"
}

# 1. pkg-config, shared library
# shellcheck disable=SC2046,SC2086
"$CC" -std=c11 -Wall -Wextra -Wpedantic -Werror $EXTRA "$EX" -o "$W/ex_shared" \
    $(pkg-config --cflags --libs hyperland) || fail "compile with pkg-config"
readelf -d "$W/ex_shared" | grep -q "NEEDED.*libhyperland.so.$SOV" || fail "not linked to libhyperland.so.$SOV"
LD_LIBRARY_PATH= "$W/ex_shared" >/dev/null 2>&1 && fail "ran without the installed library on the path"
run_example pkgconfig_shared "$W/ex_shared" "$LIBDIR"

# 2. pkg-config --static: the archive and its Libs.private / Requires.private
libs=$(pkg-config --static --libs hyperland | sed 's/-lhyperland\b/-l:libhyperland.a/')
# shellcheck disable=SC2046,SC2086
"$CC" -std=c11 -Wall -Wextra -Wpedantic -Werror $EXTRA "$EX" -o "$W/ex_static" \
    $(pkg-config --cflags hyperland) $libs || fail "static link with pkg-config --static"
readelf -d "$W/ex_static" | grep -q "libhyperland" && fail "the static program needs libhyperland.so"
run_example pkgconfig_static "$W/ex_static"

# 3. CMake: find_package(hyperland) -> hyperland::hyperland
cmake -S "$S/tests/install/consumer" -B "$W/consumer" -DCMAKE_PREFIX_PATH="$P" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="-Wall -Werror $EXTRA" -DEXAMPLE="$EX" \
    >"$W/cmake.log" 2>&1 || { cat "$W/cmake.log"; fail "configure the find_package project"; }
cmake --build "$W/consumer" >"$W/build.log" 2>&1 || { cat "$W/build.log"; fail "build the find_package project"; }
run_example cmake_find_package "$W/consumer/example"
# a version the package does not provide is refused
cmake -S "$S/tests/install/consumer" -B "$W/consumer2" -DCMAKE_PREFIX_PATH="$P" \
    -DCMAKE_C_COMPILER="$CC" -DEXAMPLE="$EX" -DHL_WANT=99 >/dev/null 2>&1 &&
    fail "find_package(hyperland 99) succeeded"

# 4. hl_version(): the project version, as the generated header says
cat >"$W/version.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <hyperland/hyperland.h>
int main(void)
{
    printf("%s %s %d.%d.%d %d\n", hl_version(), HL_VERSION_STRING, HL_VERSION_MAJOR,
           HL_VERSION_MINOR, HL_VERSION_PATCH, HL_SOVERSION);
    return strcmp(hl_version(), HL_VERSION_STRING) != 0;
}
C
# shellcheck disable=SC2046,SC2086
"$CC" -std=c11 $EXTRA "$W/version.c" -o "$W/version" $(pkg-config --cflags --libs hyperland) ||
    fail "compile version.c"
got=$(LD_LIBRARY_PATH="$LIBDIR" "$W/version") || fail "hl_version() != HL_VERSION_STRING: $got"
[ "$got" = "$V $V $V $SOV" ] || fail "versions '$got', expected '$V $V $V $SOV'"

# 5. the installed CLI finds its library (rpath $ORIGIN/../lib...)
out=$(LD_LIBRARY_PATH= "$P/bin/hyperland" --version) || fail "installed CLI does not run"
case "$out" in "hyperland $V"*) ;; *) fail "installed CLI --version: $out" ;; esac
echo "install test passed ($P)"
