#!/bin/sh
# pg.sh: a private PostgreSQL 15 server for the tests, started and stopped
# by the test script itself (Debian's postgresql-15: initdb and pg_ctl, as
# an unprivileged user, in a temporary directory, on a Unix socket only).
#
#   tests/pg/pg.sh start DIR   creates DIR (absolute; a cluster of its own), starts
#                              the server and prints the URL of its
#                              database "sigap", e.g.
#                              postgresql:///sigap?host=DIR/run
#   tests/pg/pg.sh stop DIR    stops it and removes DIR
#   tests/pg/pg.sh halt DIR    stops the server, keeping its data (an outage)
#   tests/pg/pg.sh resume DIR  starts it again on the same data
#
# Run as root (as CI runs), the server runs as the system user "postgres"
# that Debian's package creates: PostgreSQL refuses to run as root. The
# server listens on no TCP port unless PGPORT_TCP is set (the several-node
# test's HAProxy reaches it on 127.0.0.1:PGPORT_TCP).
set -eu
BIN=/usr/lib/postgresql/15/bin
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,16p' "$0" >&2; exit 2; }

as_owner() { # runs "$@" as the server's user (from /, which it may enter)
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

case "$cmd" in
start)
	[ -x "$BIN/initdb" ] || {
		echo "pg.sh: $BIN/initdb not found: install postgresql-15 (scripts/install-deps.sh --test)" >&2
		exit 1
	}
	mkdir -p "$dir/run"
	[ "$(id -u)" -ne 0 ] || chown -R postgres "$dir"
	as_owner "$BIN/initdb" -D "$dir/data" -U sigap -A trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	listen="''"
	[ -z "${PGPORT_TCP:-}" ] || listen="'127.0.0.1'"
	cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = $listen
port = ${PGPORT_TCP:-5432}
unix_socket_directories = '$dir/run'
max_connections = 200
fsync = on
shared_buffers = 128MB
log_min_messages = warning
EOF
	as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	"$BIN/psql" -q -h "$dir/run" -p "${PGPORT_TCP:-5432}" -U sigap -d postgres \
		-c 'CREATE DATABASE sigap' >/dev/null
	echo "postgresql:///sigap?host=$dir/run&port=${PGPORT_TCP:-5432}&user=sigap"
	;;
halt)
	as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
resume)
	as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	sed -n '2,16p' "$0" >&2
	exit 2
	;;
esac
