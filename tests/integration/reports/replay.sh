#!/usr/bin/env bash
# Replays recorded Cucumber Messages streams through lb-report into one
# report format and judges every output with its validator in
# ../shared/tools. Usage: replay.sh FORMAT LB_REPORT STREAM_OR_DIR...
# (a folder stands for every *.ndjson below it).
# FORMAT: junit | json | message. Exit 0 all passed, 1 a report failed,
# 77 (ctest skip) when the validators or node/npm are not there.
#
# The validators' consumer checks (junit2json/xunit-viewer, the HTML
# reporter) cost about a second per file, so by default they run only for
# the streams named in REPLAY_FULL (space-separated base names, or "all");
# the others get the schema and structure checks.
set -u
format=$1 lb_report=$2
shift 2
shared=${LB_SHARED_DIR:-}
if [ -z "$shared" ] || [ ! -d "$shared/tools" ]; then
    echo "SKIP: no shared/tools beside the checkout (LB_SHARED_DIR='$shared')"
    exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "SKIP: node and npm are needed by the report validators"
    exit 77
fi
full=" ${REPLAY_FULL:-} "
case $format in
junit) ext=xml validate=("$shared/tools/validate-junit.sh" -q) light=(--no-consumers) ;;
json) ext=json validate=("$shared/tools/validate-cucumber-json.sh" -q --schema jvm) light=(--no-render) ;;
message) ext=ndjson validate=("$shared/tools/validate-messages.sh" -q --no-browser) light=() ;;
*) echo "usage: replay.sh junit|json|message LB_REPORT STREAM..." >&2; exit 2 ;;
esac
streams=()
for arg in "$@"; do
    if [ -d "$arg" ]; then
        while IFS= read -r f; do streams+=("$f"); done \
            < <(find "$arg" -name '*.ndjson' | sort)
    elif [ -e "$arg" ]; then
        streams+=("$arg")
    fi
done
if [ ${#streams[@]} -eq 0 ]; then
    echo "SKIP: no streams found in $*"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/lb-replay.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
for stream in "${streams[@]}"; do
    name=$(basename "$stream" .ndjson)
    out="$work/$name.$ext"
    if ! "$lb_report" --format "$format:$out" "$stream" 2>"$work/err"; then
        echo "FAIL $name: lb-report: $(cat "$work/err")"
        fail=$((fail + 1))
        continue
    fi
    opts=("${light[@]}")
    if [[ $full == " all " || $full == *" $name "* ]]; then
        opts=()
    fi
    if line=$("${validate[@]}" "${opts[@]}" "$out" 2>&1 | tail -n 1) && [[ $line == OK* ]]; then
        pass=$((pass + 1))
    else
        echo "FAIL $name: $line"
        fail=$((fail + 1))
    fi
done
echo "$format: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
