#!/bin/sh
# crash-follow.sh: the alerts.json follower's crash test at length. A
# writer appends alert lines, each its own alert, to alerts.json and
# rotates it logrotate-style (.1 … .8) every one to three seconds, while
# sigap serve is killed with SIGKILL KILLS times: at random moments, just
# after a rotation, and with rotations while it is down. Prints kills,
# lines, rotations, lost and doubled; the test fails unless both are 0.
# make test runs the same test with 8 kills.
#
#   bench/crash-follow.sh [KILLS]        default 200 (about eight minutes)
#
# SIGAP_BIN names the binary to test (default ./build/sigap, built first).
set -eu
cd "$(dirname "$0")/.."
if [ -z "${SIGAP_BIN:-}" ]; then
	[ -f build/build.ninja ] || meson setup build -Dtests=false >/dev/null
	ninja -C build >/dev/null
	SIGAP_BIN=$(pwd)/build/sigap
fi
SIGAP_BIN=$SIGAP_BIN SIGAP_CRASH_KILLS=${1:-200} exec node --test --test-reporter=spec \
	--test-name-pattern='kill -9' tests/http/test_follow_crash.mjs
