#!/bin/sh
# Integration test: scenarios run through the real CLI write reports that
# the shared validators accept, with the run record attached, the run
# summary logged and the expectation failure in the failing test case.
# Skips (77) when the validators cannot run (no node/npm).
set -u
build=${LB_BUILD_DIR:?}
src=${LB_SOURCE_DIR:?}
shared=${LB_SHARED_DIR:-$src/../shared}
tools="$shared/tools"
tmp=$(mktemp -d /tmp/lb-reports-test.XXXXXX)
export TMPDIR="$tmp"
trap 'rm -rf "$tmp"' EXIT
fail=0
err() { echo "FAIL: $*" >&2; fail=1; }

command -v node >/dev/null 2>&1 || { echo "skip: node is not installed"; exit 77; }
[ -x "$tools/validate-junit.sh" ] || { echo "skip: no validators in $tools"; exit 77; }

"$build/logos-bdd" --format "junit:$tmp/junit.xml" \
    --format "json:$tmp/cucumber.json" \
    --format "message:$tmp/messages.ndjson" \
    "$src/tests/integration/scenario/data/short.feature" >"$tmp/out" 2>&1
rc=$?
[ "$rc" = 1 ] || err "exit $rc, expected 1 (one scenario fails on purpose)"

"$tools/validate-junit.sh" -q "$tmp/junit.xml" | tail -1 | grep -q '^OK' ||
    err "junit: $("$tools/validate-junit.sh" -q "$tmp/junit.xml" | tail -1)"
"$tools/validate-cucumber-json.sh" --schema jvm -q "$tmp/cucumber.json" |
    tail -1 | grep -q '^OK' || err "cucumber json rejected"
"$tools/validate-messages.sh" --no-browser -q "$tmp/messages.ndjson" |
    tail -1 | grep -q '^OK' || err "messages rejected"

n=$(grep -c '"fileName":"run-record.json"' "$tmp/messages.ndjson")
[ "$n" = 2 ] || err "$n run-record.json attachments, expected 2"
grep -q 'text/x.cucumber.log+plain' "$tmp/messages.ndjson" ||
    err "no run summary logged"
grep -q 'consensus liveness violated (target=1000):' "$tmp/junit.xml" ||
    err "the junit failure lacks the liveness text"
grep -q 'node logs kept in' "$tmp/cucumber.json" ||
    err "the failure does not say where the logs are"
# the failed run kept its work dir for the report; the passing one did not
n=$(ls -d "$tmp"/lb-run-* 2>/dev/null | wc -l)
[ "$n" = 1 ] || err "$n work dirs left, expected the failed run's only"

[ $fail = 0 ] && echo "ok: reports valid, run records attached"
exit $fail
