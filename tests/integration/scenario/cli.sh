#!/bin/sh
# Integration test of the scenario steps through the real CLI:
#  1. every bad value fails its step with a message naming the step's value;
#  2. a runner stopped by SIGINT, SIGTERM or SIGKILL in the middle of a run
#     leaves no node process and no work dir behind.
# Runs from the build dir (LB_BUILD_DIR, LB_SOURCE_DIR set by ctest).
set -u
build=${LB_BUILD_DIR:?}
src=${LB_SOURCE_DIR:?}
data="$src/tests/integration/scenario/data"
tmp=$(mktemp -d /tmp/lb-cli-test.XXXXXX)
export TMPDIR="$tmp"
fail=0
trap 'rm -rf "$tmp"' EXIT

err() { echo "FAIL: $*" >&2; fail=1; }

# ---- 1. bad values ----
"$build/logos-bdd" --format "message:$tmp/bad.ndjson" "$data/bad_values.feature" \
    >"$tmp/bad.out" 2>&1
rc=$?
[ "$rc" = 1 ] || err "bad values: exit $rc, expected 1"
for want in \
    'topology has 0 validators and 0 executors: topology must include at least one node' \
    'transactions rate is -1 per block: the rate must be a positive number' \
    'transactions rate is 0 per block: the rate must be a positive number' \
    'deployer \"cloud\" is unknown' \
    'run duration is 0 seconds: the duration must be at least 1 second' \
    'wallets total funds is 5 split across 10 users: funds must be at least the number of users' \
    'transactions rate is 1 per block: no seeded wallet accounts configured' \
    'no scenario has run yet' \
    'network layout \"ring\" is unknown' \
    'slots last 10 milliseconds: the slot duration must be between 50 and 600000'
do
    grep -qF "$want" "$tmp/bad.ndjson" || err "bad values: no step error '$want'"
done
n=$(grep -c '"status":"FAILED"' "$tmp/bad.ndjson")
[ "$n" -ge 11 ] || err "bad values: $n failed steps, expected 11"

# ---- 2. cleanup on signals ----
leftovers() {
    # node processes of this test: their command line names $tmp
    for p in /proc/[0-9]*; do
        [ "$p" = "/proc/$$" ] && continue
        cmd=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null)
        case $cmd in
        *"$tmp/lb-run-"*) echo "process ${p#/proc/}: $cmd" ;;
        esac
    done
    for d in "$tmp"/lb-run-*; do
        [ -e "$d" ] && echo "dir $d"
    done
}

for sig in INT TERM KILL; do
    "$build/logos-bdd" "$data/long.feature" >"$tmp/long-$sig.out" 2>&1 &
    pid=$!
    up=0
    i=0
    while [ $i -lt 300 ]; do
        if grep -q ' drive ' "$tmp/long-$sig.out" 2>/dev/null; then up=1; break; fi
        sleep 0.1
        i=$((i + 1))
    done
    [ $up = 1 ] || err "$sig: the run did not reach the drive phase: $(tail -3 "$tmp/long-$sig.out")"
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    case $sig in
    KILL) [ "$rc" = 137 ] || err "$sig: exit $rc, expected 137" ;;
    *) [ "$rc" = 130 ] || err "$sig: exit $rc, expected 130" ;;
    esac
    i=0
    while [ $i -lt 100 ] && [ -n "$(leftovers)" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    left=$(leftovers)
    [ -z "$left" ] || err "$sig: left behind: $left"
    [ $fail = 0 ] && echo "ok: SIGSIG$sig left nothing behind" | sed 's/SIGSIG/SIG/'
done

[ $fail = 0 ] && echo "ok: all checks passed"
exit $fail
