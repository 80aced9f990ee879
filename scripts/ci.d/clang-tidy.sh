#!/bin/sh
# clang-tidy with the repository's .clang-tidy over every C file of the
# project (not the tests' and benchmarks' own files), on the compile
# database of the normal build: a sanitizer build's makes clang-analyzer 14
# report false va_list errors (STYLE.md #42). Any finding fails CI.
set -eu
cd "$(dirname "$0")/../.."
if ! command -v run-clang-tidy >/dev/null 2>&1; then
    echo "clang-tidy: run-clang-tidy is missing (apt-get install clang-tidy)"
    exit 1
fi
[ -f build/compile_commands.json ] || cmake -S . -B build >/dev/null
# run-clang-tidy takes regular expressions: anchor each path
files=$(git ls-files 'src/*.c' 'steps/*.c' 'runners/*.c' 'reports/*.c' \
    'node/*.c' | sed "s|^|$(pwd)/|; s|\.|\\\\.|g; s|$|\$|")
# shellcheck disable=SC2086 # one regular expression per file
run-clang-tidy -quiet -j "$(nproc 2>/dev/null || echo 2)" -p build $files \
    >build/clang-tidy.log 2>&1 || {
    grep -E "(error|warning):" build/clang-tidy.log | sort -u
    echo "clang-tidy: findings above (full log: build/clang-tidy.log)"
    exit 1
}
echo "clang-tidy: $(echo "$files" | wc -l) files, no findings"
