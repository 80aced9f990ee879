#!/bin/sh
# The main job of the README: installs what is missing, builds, and runs the
# project's features (features/) on the local deployer with refnode. Reports
# go to out/ (JUnit XML, Cucumber JSON, Cucumber Messages).
#
#   scripts/run-features.sh [LOGOS-BDD OPTIONS] [PATHS]
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

scripts/install-deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$jobs" >/dev/null

mkdir -p out
exec build/logos-bdd --help
