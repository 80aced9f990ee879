#!/bin/sh
# The test command of the README (and of CI): installs what is missing,
# builds with warnings as errors, runs every test but the slow ones, then the
# unit and conformance suites again under ASan+UBSan, and checks formatting.
#
#   scripts/run-tests.sh          everything CI runs
#   LB_TEST_ALL=1 scripts/...     also the tests labelled slow
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

scripts/install-deps.sh

echo "== build (warnings are errors)"
cmake -S . -B build -DLB_WERROR=ON >/dev/null
cmake --build build -j"$jobs"

echo "== tests"
if [ "${LB_TEST_ALL:-0}" = 1 ]; then
    (cd build && ctest --output-on-failure)
else
    (cd build && ctest -LE slow --output-on-failure)
fi

echo "== unit and conformance tests under ASan+UBSan"
cmake -S . -B build-asan -DLB_WERROR=ON -DLB_SANITIZE=address,undefined \
    -DCMAKE_BUILD_TYPE=Debug -DLB_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan &&
    ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ctest -L 'unit|conformance' -LE slow --output-on-failure)

for extra in scripts/ci.d/*.sh; do
    [ -f "$extra" ] || continue
    echo "== $extra"
    sh "$extra"
done

echo "== clang-format"
git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run -Werror
echo "run-tests: all passed"
