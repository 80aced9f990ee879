#!/bin/bash
# Runs bench_run with the cucumber-js comparison: installs @cucumber/cucumber
# 11 (the last to run on Node 20) into a temp folder (needs npm and the registry), then runs
# build/bench_run [scenarios] with CUCUMBER_JS and CUCUMBER_JS_STEPS set.
#
# usage: bench/bench_run_cucumber.sh BUILD_DIR [scenarios=10000]
set -eu
BUILD=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lb-cucumber-js-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm install --no-audit --no-fund --silent \
    @cucumber/cucumber@11 >/dev/null)
cp "$HERE/bench_run_steps.mjs" "$TMP/steps.mjs"
CUCUMBER_JS="$TMP/node_modules/.bin/cucumber-js" \
    CUCUMBER_JS_STEPS="$TMP/steps.mjs" "$BUILD/bench_run" "${2:-10000}"
