#!/bin/sh
# refnode links no libcurl: peers go through OpenSSL's HTTP client
# (node/http.c), and libcurl's own dependencies were a fifth of a node's
# RSS (node/README.md, "Size and throughput"). A call to curl from node/
# would bring them back silently; this check fails instead.
set -eu
cd "$(dirname "$0")/../.."
exe=build/refnode
if [ ! -x "$exe" ]; then
    echo "refnode-libs: $exe is not built"
    exit 1
fi
libs=$(ldd "$exe")
if echo "$libs" | grep -q 'libcurl'; then
    echo "refnode-libs: $exe links libcurl:"
    echo "$libs"
    exit 1
fi
echo "refnode-libs: $(echo "$libs" | wc -l) libraries, no libcurl"
