#!/bin/sh
# test_service.sh: sigap serve as a service manager runs it (systemd's
# Type=notify and WatchdogSec=): READY=1 once it listens, WATCHDOG=1 while
# it answers its own /healthz, STOPPING=1 when told to stop, each a
# datagram on the socket $NOTIFY_SOCKET names (a python3 listener here
# stands for systemd); the shipped unit passes systemd-analyze verify and
# its exposure is reported by systemd-analyze security. Speaks TAP.
#   tests/cli/test_service.sh PATH/TO/sigap
set -u
SIGAP=${1:?usage: test_service.sh PATH/TO/sigap}
ROOT=${SIGAP_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/sigap-service-XXXXXX")
PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT
unset SIGAP_CONFIG SIGAP_SOPS
export SIGAP_DB="$T/sigap.db"
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# wait_for FILE TEXT SECONDS: whether TEXT appears in FILE within SECONDS
wait_for() {
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

"$SIGAP" init >/dev/null 2>&1 || { echo "Bail out! sigap init failed"; exit 1; }

if command -v python3 >/dev/null 2>&1; then
	# the manager's socket: every datagram a line of notes.txt
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2] + ".ready", "w").close()
with open(sys.argv[2], "a") as f:
    while True:
        m = s.recv(4096).decode()
        f.write(m.replace("\n", "|") + "\n")
        f.flush()
' "$T/notify.sock" "$T/notes.txt" &
	PIDS="$PIDS $!"
	wait_for "$T" "" 1
	i=0
	while [ ! -f "$T/notes.txt.ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=400000 "$SIGAP" serve --listen 127.0.0.1:0 --quiet \
		>"$T/out.txt" 2>"$T/err.txt" &
	SERVE=$!
	PIDS="$PIDS $SERVE"
	if wait_for "$T/notes.txt" "^READY=1|STATUS=listening on http://127.0.0.1:" 15; then
		ok "READY=1 once it listens, with its address as STATUS"
	else
		not_ok "READY=1 once it listens"; sed 's/^/# /' "$T/err.txt"
	fi
	if wait_for "$T/notes.txt" "^WATCHDOG=1" 5 && sleep 0.6 && [ "$(grep -c '^WATCHDOG=1' "$T/notes.txt")" -ge 2 ]; then
		ok "WATCHDOG=1 every half period while it answers /healthz"
	else
		not_ok "WATCHDOG=1 while it answers"; sed 's/^/# /' "$T/notes.txt" "$T/err.txt"
	fi
	if grep -q '"msg":"watchdog: http://127.0.0.1:[0-9]*/healthz every 0.2 s"' "$T/err.txt"; then
		ok "the watchdog says what it asks, in the log"
	else
		not_ok "the watchdog's log line"; sed 's/^/# /' "$T/err.txt"
	fi
	kill -TERM $SERVE
	wait $SERVE
	rc=$?
	if [ $rc -eq 0 ] && wait_for "$T/notes.txt" "^STOPPING=1" 5; then
		ok "STOPPING=1 when told to stop, and a clean exit"
	else
		not_ok "STOPPING=1 and exit 0 (exit $rc)"; sed 's/^/# /' "$T/notes.txt" "$T/err.txt"
	fi
	# another process's watchdog is not this one's
	: >"$T/notes.txt"
	NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=400000 WATCHDOG_PID=1 "$SIGAP" serve --listen 127.0.0.1:0 --quiet \
		>"$T/out2.txt" 2>"$T/err2.txt" &
	SERVE=$!
	PIDS="$PIDS $SERVE"
	wait_for "$T/notes.txt" "^READY=1" 15
	sleep 0.6
	if ! grep -q '^WATCHDOG=1' "$T/notes.txt"; then
		ok "WATCHDOG_PID of another process: no watchdog"
	else
		not_ok "WATCHDOG_PID of another process: no watchdog"
	fi
	kill -TERM $SERVE
	wait $SERVE
else
	for t in ready watchdog log stopping pid; do skip "notify: $t" "python3 is not installed"; done
fi

UNIT="$ROOT/etc/systemd/sigap.service"
if command -v systemd-analyze >/dev/null 2>&1; then
	# the unit, its sigap the one built here (/usr/bin/sigap once installed)
	sed "s|/usr/bin/sigap|$SIGAP|g" "$UNIT" >"$T/sigap.service"
	if out=$(systemd-analyze verify --man=no "$T/sigap.service" 2>&1) && [ -z "$out" ]; then
		ok "systemd-analyze verify: the unit is clean"
	else
		not_ok "systemd-analyze verify"; printf '%s\n' "$out" | sed 's/^/# /'
	fi
	if out=$(systemd-analyze security --offline=true "$UNIT" 2>&1); then
		score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for sigap.service: \([0-9.]*\).*/\1/p')
		if [ -n "$score" ] && awk "BEGIN { exit !($score <= 2.0) }"; then
			ok "systemd-analyze security: exposure $score (at most 2.0)"
		else
			not_ok "systemd-analyze security: exposure '$score'"; printf '%s\n' "$out" | sed 's/^/# /'
		fi
	else
		not_ok "systemd-analyze security ran"; printf '%s\n' "$out" | sed 's/^/# /'
	fi
else
	skip "systemd-analyze verify" "systemd-analyze is not installed"
	skip "systemd-analyze security" "systemd-analyze is not installed"
fi

echo "1..$n"
[ $fails -eq 0 ]
