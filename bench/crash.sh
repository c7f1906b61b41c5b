#!/bin/sh
# crash.sh: the long run of the crash tests (make test runs them with 8
# kills each). sigap serve is killed with SIGKILL at random moments while
# senders flood it, and started again; every message it acknowledged
# (HTTP 202, a RELP "200 OK") must be stored once, every message rsyslog's
# omrelp logged must arrive, and the alerts.json follower must lose and
# double nothing across rotations. Prints the figures of each run.
#
#   bench/crash.sh [KILLS]      default 100 kills a test
set -eu
cd "$(dirname "$0")/.."
KILLS=${1:-100}
[ -x build/sigap ] || make build
export SIGAP_BIN="$(pwd)/build/sigap"
export SIGAP_CRASH_KILLS="$KILLS"
for t in tests/http/test_crash.mjs tests/http/test_follow_crash.mjs; do
	[ -f "$t" ] || continue
	node --test --test-reporter=spec "$t" 2>&1 | grep -E '^# |✔|✖|Error'
done
