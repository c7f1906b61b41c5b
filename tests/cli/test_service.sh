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
	st=$(cat /proc/$SERVE/status 2>/dev/null)
	case "$st" in
	*"NoNewPrivs:	1"*"Seccomp:	2"*) ok "it runs under a seccomp filter, without new privileges" ;;
	*) not_ok "seccomp and no_new_privs"; printf '%s\n' "$st" | grep -E 'NoNewPrivs|Seccomp' | sed 's/^/# /' ;;
	esac
	if grep -q '"msg":"seccomp: [0-9]* system calls refused on every thread' "$T/err.txt" &&
		grep -Eq '"msg":"Landlock (ABI [0-9]+: writes only beneath the state directories|is not available)' "$T/err.txt"; then
		ok "the log says what it gave up"
	else
		not_ok "the sandbox's log lines"; sed 's/^/# /' "$T/err.txt"
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
	for t in ready seccomp sandbox-log watchdog log stopping pid; do skip "notify: $t" "python3 is not installed"; done
fi

# Started as root: the ports bound, then the process is [web] user for
# good, before the store is opened or an input read; syslog on a port
# under 1024 still arrives.
if [ "$(id -u)" -eq 0 ] && getent passwd nobody >/dev/null && command -v python3 >/dev/null 2>&1; then
	D="$T/dropped"
	mkdir -p "$D"
	uid=$(id -u nobody)
	port=$((600 + $$ % 300))
	printf '[database]\npath = %s/sigap.db\n[web]\nuser = nobody\nmetrics_allow = 127.0.0.1\n[inputs]\nsyslog_udp = 127.0.0.1:%s\n' "$D" "$port" >"$T/drop.conf"
	SIGAP_DB= SIGAP_CONFIG="$T/drop.conf" "$SIGAP" init >/dev/null 2>&1
	chown -R nobody "$D"
	# the configuration is read again once the process is nobody (as the
	# package's is: root:sigap 0640)
	chmod a+rx "$T"
	chmod a+r "$T/drop.conf"
	SIGAP_DB= SIGAP_CONFIG="$T/drop.conf" "$SIGAP" serve --listen 127.0.0.1:0 --quiet >"$T/drop-out.txt" 2>"$T/drop-err.txt" &
	SERVE=$!
	PIDS="$PIDS $SERVE"
	if wait_for "$T/drop-out.txt" "sigap: listening on" 15; then
		ids=$(sed -n 's/^Uid:[[:space:]]*//p' /proc/$SERVE/status | tr -s '\t ' ' ')
		if [ "$ids" = "$uid $uid $uid $uid" ]; then
			ok "started as root, it runs as nobody: real, effective, saved and file uid $uid"
		else
			not_ok "the uids after start: '$ids', not $uid"
		fi
		if grep -q '"msg":"running as nobody (uid '"$uid" "$T/drop-err.txt"; then
			ok "and says so in the log"
		else
			not_ok "the log line of the drop"; sed 's/^/# /' "$T/drop-err.txt"
		fi
		wport=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$T/drop-out.txt" | head -1)
		python3 -c 'import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"<38>Dec  5 10:00:00 web01 sshd[1]: Failed password for root from 203.0.113.9 port 22 ssh2", ("127.0.0.1", int(sys.argv[1])))' "$port"
		i=0
		got=
		while [ $i -lt 50 ] && [ -z "$got" ]; do
			got=$(curl -fsS "http://127.0.0.1:$wport/metrics" 2>/dev/null | grep '^sigap_ingest_lines_total{input="udp"} [1-9]')
			sleep 0.1
			i=$((i + 1))
		done
		if [ -n "$got" ]; then
			ok "a syslog line on port $port (bound as root) arrives after the drop"
		else
			not_ok "syslog after the drop"; curl -fsS "http://127.0.0.1:$wport/metrics" 2>&1 | grep ingest_lines | sed 's/^/# /'
		fi
	else
		not_ok "serve started as root with [web] user = nobody"; sed 's/^/# /' "$T/drop-err.txt"
		for x in uids log syslog; do not_ok "(not started: $x)"; done
	fi
	kill -TERM $SERVE 2>/dev/null
	wait $SERVE
	printf '[database]\npath = %s/sigap.db\n[web]\nuser = tidak-ada\n' "$D" >"$T/nouser.conf"
	if SIGAP_DB= SIGAP_CONFIG="$T/nouser.conf" "$SIGAP" serve --listen 127.0.0.1:0 >/dev/null 2>"$T/nouser.txt"; then
		not_ok "a [web] user that does not exist is refused"
	elif grep -q "\[web\] user 'tidak-ada' does not exist" "$T/nouser.txt"; then
		ok "a [web] user that does not exist is refused, saying so"
	else
		not_ok "the refusal of a user that does not exist"; sed 's/^/# /' "$T/nouser.txt"
	fi
	# a sysadmin's command as root writes evidence the service's user
	# (nobody here, the owner of the store's directory) can read and add to
	echo "bukti dari root" >"$T/bukti.txt"
	SIGAP_DB= SIGAP_CONFIG="$T/drop.conf" "$SIGAP" case new insiden --title "Bukti oleh root" --as pelapor \
		--field pelapor_nama=Siti --field pelapor_kontak=0812 --field sistem_terdampak=https://contoh.go.id \
		--field "uraian_kejadian=uji" --file bukti="$T/bukti.txt" >/dev/null 2>"$T/ev-err.txt"
	owners=$(find "$D/evidence" -mindepth 1 ! -user nobody 2>/dev/null | head -3)
	if [ -d "$D/evidence/.spool" ] && [ -z "$owners" ]; then
		ok "evidence stored by a command run as root belongs to the store's owner"
	else
		not_ok "evidence stored as root: not the store owner's: $owners"; sed 's/^/# /' "$T/ev-err.txt"
	fi
	# a restore run as root into a store not there yet: the directory's
	# owner's, as the service's store is
	SIGAP_DB= SIGAP_CONFIG="$T/drop.conf" "$SIGAP" db backup "$T/for-restore.db" >/dev/null 2>&1
	mkdir -p "$T/restored" && chown nobody "$T/restored"
	SIGAP_DB="$T/restored/sigap.db" "$SIGAP" db restore "$T/for-restore.db" >/dev/null 2>"$T/restore-err.txt"
	if [ "$(stat -c %U "$T/restored/sigap.db" 2>/dev/null)" = nobody ]; then
		ok "a store restored by root where none was belongs to its directory's owner"
	else
		not_ok "a store restored by root: $(stat -c %U "$T/restored/sigap.db" 2>&1)"; sed 's/^/# /' "$T/restore-err.txt"
	fi
	# started unprivileged with the one capability of the port-514
	# drop-in (AmbientCapabilities=): the port bound, then none kept
	if command -v setpriv >/dev/null 2>&1; then
		port2=$((port + 1))
		printf '[database]\npath = %s/sigap.db\n[inputs]\nsyslog_udp = 127.0.0.1:%s\n' "$D" "$port2" >"$T/caps.conf"
		chmod a+r "$T/caps.conf"
		SIGAP_DB= SIGAP_CONFIG="$T/caps.conf" setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
			--inh-caps=+net_bind_service --ambient-caps=+net_bind_service \
			"$SIGAP" serve --listen 127.0.0.1:0 --quiet >"$T/caps-out.txt" 2>"$T/caps-err.txt" &
		SERVE=$!
		PIDS="$PIDS $SERVE"
		if wait_for "$T/caps-out.txt" "sigap: listening on" 15 && grep -q "listening on 127.0.0.1:$port2" "$T/caps-out.txt"; then
			caps=$(grep -E '^Cap(Prm|Eff|Amb):' /proc/$SERVE/status | awk '{print $2}' | tr '\n' ' ')
			if [ "$caps" = "0000000000000000 0000000000000000 0000000000000000 " ]; then
				ok "with CAP_NET_BIND_SERVICE alone it binds port $port2, then keeps no capability"
			else
				not_ok "capabilities after the bind: $caps"
			fi
		else
			not_ok "serve with the capability of the drop-in"; sed 's/^/# /' "$T/caps-err.txt"
		fi
		kill -TERM $SERVE 2>/dev/null
		wait $SERVE
	else
		skip "capabilities given up after the bind" "no setpriv"
	fi
else
	for x in uids log syslog refused evidence restore caps; do skip "root drops to [web] user: $x" "not root, or no user nobody"; done
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
