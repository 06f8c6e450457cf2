#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The main job: install what is missing, build, reproduce the paper into paper/.
set -e
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
./build/hyperland paper --out paper
echo "figures and tables written to $(pwd)/paper/"
