#!/bin/bash
# The reports of real logos-bdd runs judged by the shared validators:
# for two CCK samples (attachments of every kind; retries), run the CLI with the sample's C step library and check the
# JUnit XML (validate-junit.sh), the Cucumber JSON (validate-cucumber-json.sh
# --schema jvm) and the Messages stream (validate-messages.sh --no-browser).
#
# usage: validators_test.sh LOGOS_BDD CCK_LIB_DIR SHARED_DIR
# Skips (exit 77, ctest's SKIP_RETURN_CODE) when SHARED_DIR or node are
# missing.
set -u
LB=$(realpath "$1")
LIBS=$(realpath "$2")
SHARED=$3
if [ ! -d "$SHARED/tools" ] || [ ! -d "$SHARED/conformance/cck" ]; then
    echo "skipped: no validators at $SHARED/tools"
    exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "skipped: the validators need node and npm"
    exit 77
fi
SHARED=$(realpath "$SHARED")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lb-validators-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ln -s "$SHARED/conformance/cck" "$WORK/samples"
cd "$WORK" || exit 1
FAILS=0
for s in attachments retry; do
    f=samples/$s/$s.feature
    [ -f "$f" ] || f=$f.md
    args=$(cat "samples/$s/$s.arguments.txt" 2>/dev/null)
    # shellcheck disable=SC2086 # the arguments file holds several words
    "$LB" --require "$LIBS/cck_$s.so" --no-builtin-steps -f "message:$s.ndjson" \
        -f "junit:$s.xml" -f "json:$s.json" -f "summary:$s.txt" $args "$f" \
        >/dev/null 2>"$s.err"
    rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "FAIL: logos-bdd on $s exited with $rc"
        cat "$s.err"
        FAILS=$((FAILS + 1))
        continue
    fi
    for check in "validate-junit.sh $s.xml" \
        "validate-cucumber-json.sh --schema jvm $s.json" \
        "validate-messages.sh --no-browser $s.ndjson"; do
        # shellcheck disable=SC2086
        if out=$("$SHARED/tools/"$check 2>&1); then
            echo "$out" | tail -n 1
        else
            echo "FAIL: $check"
            echo "$out" | tail -n 20
            FAILS=$((FAILS + 1))
        fi
    done
done
echo "validators_test: $FAILS failure(s)"
[ "$FAILS" = 0 ]
