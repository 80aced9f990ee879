#!/usr/bin/env bash
# Report formatters: a generated stream of 1,000 scenarios replayed through
# junit, json and message by lb-report, with its time and peak memory, and
# the three reports judged by the validators (schema checks only).
set -euo pipefail
build=${1:-build}
shared=${LB_SHARED_DIR:-../shared}
work=$(mktemp -d "${TMPDIR:-/tmp}/lb-reports-ci.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 tests/integration/reports/big_stream.py 1000 10 > "$work/big.ndjson"
timer=()
if [ -x /usr/bin/time ]; then
    timer=(/usr/bin/time -f "lb-report: %es, %MKB peak")
fi
"${timer[@]}" "$build/lb-report" \
    -f junit:"$work/r.xml" -f json:"$work/r.json" -f message:"$work/r.ndjson" \
    -f summary "$work/big.ndjson"
if [ -d "$shared/tools" ] && command -v node >/dev/null; then
    "$shared/tools/validate-junit.sh" -q --no-consumers "$work/r.xml"
    "$shared/tools/validate-cucumber-json.sh" -q --no-render --schema jvm "$work/r.json"
    "$shared/tools/validate-messages.sh" -q --no-browser "$work/r.ndjson"
else
    echo "reports.sh: validators skipped (no $shared/tools or node)"
fi
