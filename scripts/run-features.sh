#!/bin/sh
# The main job of the README: installs what is missing, builds, and runs the
# project's features (features/) on the local deployer with refnode. Reports
# go to out/ (JUnit XML, Cucumber JSON, Cucumber Messages), or $LB_OUT_DIR.
#
#   scripts/run-features.sh [LOGOS-BDD OPTIONS] [PATHS]
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

scripts/install-deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$jobs" >/dev/null

out=${LB_OUT_DIR:-out}
mkdir -p "$out"
echo "run-features: reports go to $out/ (junit.xml, cucumber.json, messages.ndjson)" >&2
exec build/logos-bdd \
    --format summary \
    --format junit:"$out/junit.xml" \
    --format json:"$out/cucumber.json" \
    --format message:"$out/messages.ndjson" \
    "$@"
