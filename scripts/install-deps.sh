#!/bin/sh
# install-deps.sh: installs the Debian packages sigap needs to build, run and
# test, and nothing else. Idempotent: a package already installed is not
# touched, and when nothing is missing apt is never called.
#
#   scripts/install-deps.sh          build + run dependencies
#   scripts/install-deps.sh --test   also the test tools
set -eu

BUILD="gcc meson ninja-build pkg-config libsqlite3-dev libyaml-dev libsodium-dev
libjansson-dev libinih-dev"
TEST="libcmocka-dev sqlite3"

want="$BUILD"
for arg in "$@"; do
	case "$arg" in
	--test) want="$want $TEST" ;;
	-h|--help) sed -n '2,8p' "$0"; exit 0 ;;
	*) echo "install-deps.sh: unknown option: $arg" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
