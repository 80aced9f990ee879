#!/bin/sh
# Installs the Debian packages logos-bdd needs to build, test and run, and only
# those that are missing. Safe to run again; needs root (or sudo) on Debian 12.
#
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --docker   also the Docker engine and compose
set -eu

packages="build-essential cmake pkg-config git ca-certificates
libcurl4-openssl-dev libyaml-dev libpcre2-dev libjansson-dev libuv1-dev
libcmocka-dev libmicrohttpd-dev libssl-dev
clang llvm libclang-rt-14-dev clang-format clang-tidy
python3 nodejs libxml2-utils procps iproute2 curl"

case "${1:-}" in
--docker) packages="$packages docker.io docker-compose" ;;
"") ;;
*)
    echo "usage: scripts/install-deps.sh [--docker]" >&2
    exit 2
    ;;
esac

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
        grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

# nodejs from other repositories ships npm itself; Debian's npm would conflict
if ! command -v npm >/dev/null 2>&1; then
    missing="$missing npm"
fi

if [ -z "$missing" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is wanted
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
