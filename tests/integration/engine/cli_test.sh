#!/bin/bash
# Integration tests of the logos-bdd command line: real runs of the
# executable with a step library loaded by --require, checking exit codes,
# error messages, filters, reports and Ctrl-C.
#
# usage: cli_test.sh LOGOS_BDD STEP_LIB
set -u
LB=$(realpath "$1")
LIB=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lb-cli-test-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$HERE" || exit 1
FAILS=0
PASSES=0

pass() { PASSES=$((PASSES + 1)); }
fail() {
    echo "FAIL: $*"
    echo "---- stdout"; cat "$WORK/out" 2>/dev/null | head -40
    echo "---- stderr"; cat "$WORK/err" 2>/dev/null | head -40
    FAILS=$((FAILS + 1))
}

# run EXPECTED_EXIT ARGS...: runs logos-bdd, stdout/stderr to $WORK/out|err
run() {
    local want=$1
    shift
    "$LB" "$@" >"$WORK/out" 2>"$WORK/err"
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "logos-bdd $* exited with $got, want $want"
        return 1
    fi
    pass
    return 0
}

expect_in() { # FILE TEXT
    if grep -qF -- "$2" "$1"; then pass; else fail "'$2' not in $1"; fi
}

R=(--require "$LIB" --no-builtin-steps --color never)

# all green: the cukes feature, a message report, junit and json files
run 0 "${R[@]}" -f summary -f "message:$WORK/m.ndjson" \
    -f "junit:$WORK/j.xml" -f "json:$WORK/c.json" features/cukes.feature
expect_in "$WORK/out" "5 scenarios"
expect_in "$WORK/m.ndjson" '"testRunFinished"'
expect_in "$WORK/j.xml" '<testsuite'
expect_in "$WORK/c.json" '"elements"'
[ "$(tail -n 1 "$WORK/m.ndjson" | cut -c1-19)" = '{"testRunFinished":' ] && pass ||
    fail "testRunFinished is not the last envelope"

# the default folder is features/: a failing scenario and an undefined step
run 1 "${R[@]}" -f progress
# --tags, --name and PATH:LINE select scenarios
run 0 "${R[@]}" -f "message:$WORK/t.ndjson" --tags "not @wip" \
    features/cukes.feature
[ "$(grep -c '"testCaseStarted"' "$WORK/t.ndjson")" = 5 ] && pass ||
    fail "--tags 'not @wip' on cukes should run 5 scenarios"
run 1 "${R[@]}" -f "message:$WORK/t.ndjson" --tags "@wip" features
[ "$(grep -c '"testCaseStarted"' "$WORK/t.ndjson")" = 1 ] && pass ||
    fail "--tags @wip should run 1 scenario"
run 0 "${R[@]}" -f "message:$WORK/t.ndjson" --name "^eating (some|all)$" \
    features/cukes.feature
[ "$(grep -c '"testCaseStarted"' "$WORK/t.ndjson")" = 2 ] && pass ||
    fail "--name should select 2 scenarios"
run 0 "${R[@]}" -f "message:$WORK/t.ndjson" features/cukes.feature:11:24
[ "$(grep -c '"testCaseStarted"' "$WORK/t.ndjson")" = 2 ] && pass ||
    fail "PATH:11:24 should select the scenario at 11 and the row at 24"
# a rerun file
printf 'features/cukes.feature:5\n' >"$WORK/rerun.txt"
run 0 "${R[@]}" -f "message:$WORK/t.ndjson" "@$WORK/rerun.txt"
[ "$(grep -c '"testCaseStarted"' "$WORK/t.ndjson")" = 1 ] && pass ||
    fail "@rerun.txt should select 1 scenario"
# rerun formatter output feeds back in
run 1 "${R[@]}" -f "rerun:$WORK/again.txt" features
expect_in "$WORK/again.txt" "failing.feature"

# dry run: exit 1 because of the undefined step, nothing runs
run 1 "${R[@]}" --dry-run -f "message:$WORK/d.ndjson" features
if grep -q '"status":"PASSED"' "$WORK/d.ndjson"; then
    fail "--dry-run ran a step"
else pass; fi
run 0 "${R[@]}" --dry-run -f progress features/cukes.feature
# --snippets prints a ready-to-paste C snippet
run 1 "${R[@]}" --snippets -f progress features/failing.feature
expect_in "$WORK/out" 'LB_STEP("I juggle {int} cukes"'
expect_in "$WORK/out" 'long long int1 = lb_step_arg_int(s, 0);'
# the other candidate expressions follow as comments (as cucumber-js)
expect_in "$WORK/out" '/* or: LB_STEP("I juggle {float} cukes", ...) */'
# --no-strict / strict and --retry do not crash and keep the exit codes
run 1 "${R[@]}" --retry 2 -f "message:$WORK/r.ndjson" features/failing.feature
[ "$(grep -c '"willBeRetried":true' "$WORK/r.ndjson")" = 2 ] && pass ||
    fail "--retry 2 should retry the failing scenario twice"
# --order random prints its seed, and the seed repeats the order
run 0 "${R[@]}" --predictable-ids --order random:1234 -f "message:$WORK/o1.ndjson" \
    features/cukes.feature
expect_in "$WORK/err" "random:1234"
run 0 "${R[@]}" --predictable-ids --order random:1234 -f "message:$WORK/o2.ndjson" \
    features/cukes.feature
a=$(grep -o '"pickleId":"[^"]*"' "$WORK/o1.ndjson" | head -5 | tr -d '\n')
b=$(grep -o '"pickleId":"[^"]*"' "$WORK/o2.ndjson" | head -5 | tr -d '\n')
[ "$a" = "$b" ] && pass || fail "the same seed gave another order"
# --deployer reaches lb_run_option
run 0 "${R[@]}" --deployer compose -f progress features/deployer.feature.txt
run 1 "${R[@]}" --deployer local -f progress features/deployer.feature.txt

# bad input: exit 2 with a message naming the option, value or place
run 2 "${R[@]}" --frobnicate
expect_in "$WORK/err" "'--frobnicate'"
run 2 "${R[@]}" --tags "@a and" features
expect_in "$WORK/err" "--tags '@a and'"
run 2 "${R[@]}" --retry 1 --retry-tag-filter "(@a" features
expect_in "$WORK/err" "--retry-tag-filter '(@a'"
run 2 "${R[@]}" --retry many
expect_in "$WORK/err" "'many'"
run 2 "${R[@]}" no/such/path.feature
expect_in "$WORK/err" "no/such/path.feature"
run 2 "${R[@]}" -f "message:$WORK/bad.ndjson" bad.feature.txt
expect_in "$WORK/err" "bad.feature.txt:5:"
expect_in "$WORK/bad.ndjson" '"parseError"'
expect_in "$WORK/bad.ndjson" '"testRunFinished"'
run 2 "${R[@]}" -f pretty -f progress features
expect_in "$WORK/err" "stdout"
run 2 "${R[@]}" -f nosuchformat features
run 2 --require "$WORK/nope.so" features
expect_in "$WORK/err" "nope.so"
# without --no-builtin-steps the linked-in vocabulary is there too
run 0 --require "$LIB" --list-steps
expect_in "$WORK/out" "I have {int} cukes"
run 0 --require "$LIB" --no-builtin-steps --list-steps=json
expect_in "$WORK/out" "I have {int} cukes"
run 2 "${R[@]}" -p ci features
expect_in "$WORK/err" "-p ci"

# information
run 0 "${R[@]}" --list-steps
expect_in "$WORK/out" "I have {int} cukes"
expect_in "$WORK/out" "steps.c:"
run 0 "${R[@]}" --list-steps=json
expect_in "$WORK/out" '"pattern": "I eat {int} cukes"'
run 0 --version
expect_in "$WORK/out" "logos-bdd "
run 0 --help
expect_in "$WORK/out" "--retry-tag-filter"
run 0 --i18n-languages
expect_in "$WORK/out" "en"
run 0 --i18n-keywords en
expect_in "$WORK/out" "Given"
run 2 --i18n-keywords xx-nope

# a config file with profiles
cat >"$WORK/cfg.yaml" <<'YAML'
ci:
  format: ["message:MSG"]
  tags: "not @wip"
YAML
sed -i "s|MSG|$WORK/p.ndjson|" "$WORK/cfg.yaml"
run 0 "${R[@]}" -c "$WORK/cfg.yaml" -p ci features/cukes.feature
expect_in "$WORK/p.ndjson" '"testRunFinished"'

# colours: NO_COLOR wins over auto, FORCE_COLOR forces them
NO_COLOR=1 "$LB" --require "$LIB" -f progress features/cukes.feature \
    >"$WORK/out" 2>&1
if grep -q $'\x1b\[' "$WORK/out"; then fail "NO_COLOR printed colours"; else pass; fi
FORCE_COLOR=1 "$LB" --require "$LIB" -f progress features/cukes.feature \
    >"$WORK/out" 2>&1
if grep -q $'\x1b\[' "$WORK/out"; then pass; else fail "FORCE_COLOR printed no colours"; fi

# Ctrl-C: exit 130, reports completed, testRunFinished says why
"$LB" "${R[@]}" -f "message:$WORK/i.ndjson" -f "junit:$WORK/i.xml" \
    features/interrupt.feature.txt >"$WORK/out" 2>"$WORK/err" &
pid=$!
for _ in $(seq 1 100); do
    grep -q "testStepStarted" "$WORK/i.ndjson" 2>/dev/null && break
    # the message report is written at the end when it goes to a file: poll
    # the process instead
    sleep 0.05
    [ -d "/proc/$pid" ] || break
done
sleep 0.3
kill -INT "$pid"
wait "$pid"
got=$?
[ "$got" = 130 ] && pass || fail "Ctrl-C exited with $got, want 130"
expect_in "$WORK/i.ndjson" '"interrupted by SIGINT"'
[ "$(tail -n 1 "$WORK/i.ndjson" | cut -c1-19)" = '{"testRunFinished":' ] && pass ||
    fail "testRunFinished is not last after Ctrl-C"
expect_in "$WORK/i.xml" "<testsuite"
# SIGTERM too
"$LB" "${R[@]}" -f "message:$WORK/k.ndjson" features/interrupt.feature.txt \
    >"$WORK/out" 2>"$WORK/err" &
pid=$!
sleep 0.5
kill -TERM "$pid"
wait "$pid"
got=$?
[ "$got" = 130 ] && pass || fail "SIGTERM exited with $got, want 130"
expect_in "$WORK/k.ndjson" '"interrupted by SIGTERM"'

# logos-bdd gherkin hands a big document's NDJSON over in pieces: the
# envelopes stay whole and in order, and an unwritable output is exit 2
# with a message (small and big outputs both)
{
    echo "Feature: many rules"
    for i in $(seq 1 3000); do
        printf '  Rule: r%d\n    Example: e%d\n      Given step %d\n' \
            "$i" "$i" "$i"
        printf '      | a | b |\n      | %d | x |\n' "$i"
    done
} >"$WORK/big.feature"
run 0 gherkin --predictable-ids "$WORK/big.feature" && cp "$WORK/out" "$WORK/big.ndjson"
if python3 - "$WORK/big.ndjson" <<'PY'
import json, sys
kinds = [next(iter(json.loads(line))) for line in open(sys.argv[1])]
doc = [json.loads(line) for line in open(sys.argv[1])][1]
rules = doc["gherkinDocument"]["feature"]["children"]
assert kinds[:2] == ["source", "gherkinDocument"], kinds[:2]
assert kinds[2:] == ["pickle"] * 3000, len(kinds)
assert len(rules) == 3000 and rules[-1]["rule"]["name"] == "r3000"
PY
then pass; else fail "gherkin NDJSON of a big document is not whole"; fi
"$LB" gherkin "$WORK/big.feature" >/dev/full 2>"$WORK/err"
[ $? = 2 ] && pass || fail "gherkin to /dev/full (big) did not exit 2"
expect_in "$WORK/err" "cannot write the output"
"$LB" gherkin features/cukes.feature >/dev/full 2>"$WORK/err"
[ $? = 2 ] && pass || fail "gherkin to /dev/full (small) did not exit 2"
expect_in "$WORK/err" "cannot write the output"

echo "cli_test: $PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
