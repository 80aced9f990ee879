#!/bin/sh
# Fuzzes the Gherkin parser + pickle compiler with libFuzzer (clang, ASan)
# for LB_FUZZ_SECONDS (default 60) in its own build folder, seeded with the
# official testdata when it is there. Fails on a crash, leak or timeout; the
# reproducer is left in build-fuzz/ (crash-*, leak-*, timeout-*).
set -eu
cd "$(dirname "$0")/../.."
seconds=${LB_FUZZ_SECONDS:-60}
shared=${LB_SHARED_DIR:-../shared}
# absolute: the fuzzer runs from build-fuzz/
if [ -d "$shared" ]; then shared=$(cd "$shared" && pwd); fi

if ! command -v clang >/dev/null 2>&1; then
    echo "gherkin-fuzz: clang not found, skipped"
    exit 0
fi
CC=clang cmake -S . -B build-fuzz -DLB_FUZZ=ON -DLB_BUILD_BENCH=OFF \
    -DLB_BUILD_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc 2>/dev/null || echo 2)" --target fuzz_gherkin

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/seeds"
if [ -d "$shared/conformance/gherkin/good" ]; then
    cp "$shared"/conformance/gherkin/good/*.feature \
        "$shared"/conformance/gherkin/good/*.feature.md \
        "$shared"/conformance/gherkin/bad/*.feature "$work/seeds/"
    LB_FUZZ_GHERKIN_LANGUAGES="$shared/conformance/gherkin/gherkin-languages.json"
    export LB_FUZZ_GHERKIN_LANGUAGES
else
    printf 'Feature: f\n  Scenario: s\n    Given x\n' >"$work/seeds/min.feature"
fi
cd build-fuzz
ASAN_OPTIONS=detect_leaks=1 ./fuzz_gherkin -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -dict=../tests/fuzz/gherkin.dict "$work/corpus" "$work/seeds"
echo "gherkin-fuzz: no crash, leak or timeout in ${seconds}s"
