#!/bin/sh
# Differential test of the Gherkin parser against the official JavaScript
# parser (shared/tools/gherkin-ref): a corpus generated with a fixed seed by
# scripts/gen-gherkin-corpus.py (odd whitespace, tabs, CRLF, BOMs, unicode,
# deep outlines, huge tables, every keyword of 16 dialects, broken files),
# compared as NDJSON envelopes and as tokens. Prints the agreement; fails on
# any difference. Skipped without node, the reference's packages or the
# testdata. LB_DIFF_FILES sets the corpus size (default 100).
set -eu
cd "$(dirname "$0")/../.."
shared=${LB_SHARED_DIR:-../shared}
files=${LB_DIFF_FILES:-100}
if [ ! -d "$shared/tools/gherkin-ref" ]; then
    echo "gherkin-diff: no $shared/tools/gherkin-ref, skipped"
    exit 0
fi
# absolute: the comparison runs inside the corpus folder
shared=$(cd "$shared" && pwd)
ref="$shared/tools/gherkin-ref/gherkin-ref.mjs"
# the reference's own packages, installed as its README says (npm registry)
if command -v npm >/dev/null 2>&1 &&
    [ ! -d "$shared/tools/gherkin-ref/node_modules/@cucumber/gherkin" ]; then
    (cd "$shared/tools/gherkin-ref" && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
        echo "gherkin-diff: npm ci in $shared/tools/gherkin-ref failed"
fi

if ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$shared/tools/gherkin-ref/node_modules/@cucumber/gherkin" ] ||
    [ ! -d "$shared/conformance/gherkin" ]; then
    echo "gherkin-diff: node, gherkin-ref's packages (npm ci) or the testdata missing, skipped"
    exit 0
fi
bin=$(pwd)/build/logos-bdd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/gen-gherkin-corpus.py --shared "$shared" --out "$work" \
    --files "$files" --seed 7 diff >/dev/null
LOGOS_BDD_GHERKIN_LANGUAGES="$shared/conformance/gherkin/gherkin-languages.json"
export LOGOS_BDD_GHERKIN_LANGUAGES
cd "$work"
rc=0
node "$ref" --diff "$bin gherkin --predictable-ids" --predictable-ids --quiet \
    diff/*.feature >ndjson.txt 2>&1 || rc=1
node "$ref" --diff "$bin gherkin --tokens" --tokens --quiet \
    diff/*.feature >tokens.txt 2>&1 || rc=1
grep FAIL ndjson.txt tokens.txt | head -20 || true
echo "gherkin-diff: NDJSON $(tail -n 1 ndjson.txt); tokens $(tail -n 1 tokens.txt)"
exit $rc
