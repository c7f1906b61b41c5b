#!/bin/sh
# dovecot.sh: a private Dovecot IMAP server for the tests (Debian's
# dovecot-imapd), started and stopped by the test itself, on 127.0.0.1
# only, everything it needs under one directory; the system's instance
# and /etc/dovecot are never used.
#
#   tests/imap/dovecot.sh start DIR [PORT]
#       writes DIR/dovecot.conf, a self-signed certificate (CN localhost,
#       SAN IP:127.0.0.1 and DNS:localhost) and the users, starts the
#       server (stopping first one this DIR still runs) and prints one
#       line of three fields, separated by a space:
#           imaps://127.0.0.1:PORT DIR/tls/cert.pem imap://127.0.0.1:PORT2
#       the URL with implicit TLS, the CA file to trust (the certificate
#       itself), and the URL where STARTTLS is offered. PORT is the imaps
#       port and PORT2 = PORT + 1; without PORT two free ones are taken.
#   tests/imap/dovecot.sh deliver DIR USER FILE
#       puts FILE into USER's Maildir/new (written in tmp, then renamed):
#       the server sees a new message, without \Seen, with the next UID.
#       Its bytes are served as they are: write CRLF lines to get the
#       same bytes back.
#   tests/imap/dovecot.sh stop DIR
#       stops the server (about 2 s: Dovecot's own); DIR and its logs
#       (DIR/log/dovecot.log) are left
#
# Users (passwd-file DIR/passwd): sigap-intake, password sandi-kotak-uji;
# lain, password sandi-lain-uji. TLS is required (ssl = required: a login
# without it only from 127.0.0.1, which Dovecot counts as secured), logins
# are PLAIN or LOGIN, and a failed one is answered at once (no delay, no
# penalty for the next). Mail is Maildir under DIR/mail/USER, owned by
# DIR's owner, or by nobody when that is root (Dovecot keeps no mail as
# root). Run as root, as CI runs, the server's own processes are the
# users dovecot and dovenull that the package creates (nobody when they
# are missing) and DIR is made traversable (mode 711) for them; run as
# another user, every process is that user. DOVECOT: the server's program
# (default /usr/sbin/dovecot).
set -eu
DOVECOT=${DOVECOT:-/usr/sbin/dovecot}
cmd=${1:-}
dir=${2:-}
usage() { sed -n '2,35p' "$0" >&2; exit 2; }
[ -n "$cmd" ] && [ -n "$dir" ] || usage
case "$dir" in
*[[:space:]]* | *'"'* | *\\*) printf "dovecot.sh: DIR '%s' must be a path without spaces or quotes\n" "$dir" >&2; exit 2 ;;
/*) ;;
*) dir="$(pwd)/$dir" ;;
esac

# Whether a TCP port is in use on this host (any address, any state).
port_used() {
	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk -v p=":$hex" 'NR > 1 && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }'
}

# Whether something listens on 127.0.0.1:$1 (state 0A in /proc/net/tcp).
listening() {
	hex=$(printf '%04X' "$1")
	awk -v a="0100007F:$hex" 'NR > 1 && $2 == a && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp
}

# Two free consecutive ports from 20000 to 59999.
free_ports() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		p=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		p=$((20000 + p % 40000))
		if ! port_used "$p" && ! port_used $((p + 1)); then
			echo "$p"
			return 0
		fi
	done
	echo "dovecot.sh: no free port found" >&2
	return 1
}

user_or_nobody() {
	if grep -q "^$1:" /etc/passwd; then echo "$1"; else echo nobody; fi
}

# Stops the master whose pid is in DIR/run/master.pid, waiting for it.
stop_server() {
	pidf="$dir/run/master.pid"
	[ -f "$pidf" ] || return 0
	pid=$(cat "$pidf")
	case "$pid" in '' | *[!0-9]*) return 0 ;; esac
	# only when that pid is still a Dovecot master (not a reused pid)
	grep -q dovecot "/proc/$pid/cmdline" 2>/dev/null || { rm -f "$pidf"; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$pidf"
}

# The user mail is read and written as: DIR's owner, but nobody when that
# is root (Dovecot refuses uid 0 for mail; root, the test, writes anyway).
mail_owner() {
	owner_uid=$(stat -c %u "$dir")
	owner_gid=$(stat -c %g "$dir")
	if [ "$owner_uid" -eq 0 ]; then
		owner_uid=$(id -u nobody)
		owner_gid=$(id -g nobody)
	fi
}

write_conf() { # imaps-port imap-port
	mail_owner
	if [ "$(id -u)" -eq 0 ]; then
		internal=$(user_or_nobody dovecot)
		internal_group=$(id -gn "$internal")
		login=$(user_or_nobody dovenull)
		chroot_login=login
	else
		# not root: every process is this user, and none can chroot
		internal=$(id -un)
		internal_group=$(id -gn)
		login=$internal
		chroot_login=
	fi
	cat >"$dir/dovecot.conf" <<EOF
# Written by tests/imap/dovecot.sh: a private server for the tests.
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
instance_name = sigap-test-$1
log_path = $dir/log/dovecot.log
info_log_path = $dir/log/dovecot.log
debug_log_path = $dir/log/dovecot.log
default_internal_user = $internal
default_internal_group = $internal_group
default_login_user = $login
ssl = required
ssl_cert = <$dir/tls/cert.pem
ssl_key = <$dir/tls/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
first_valid_gid = 1
mail_uid = $owner_uid
mail_gid = $owner_gid
mail_home = $dir/mail/%n
mail_location = maildir:$dir/mail/%n/Maildir
mail_fsync = always
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $dir/passwd
}
userdb {
  driver = static
  args = uid=$owner_uid gid=$owner_gid home=$dir/mail/%n
}
service imap-login {
  chroot = $chroot_login
  inet_listener imap {
    address = 127.0.0.1
    port = $2
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $1
    ssl = yes
  }
}
service anvil {
  chroot =
  # no auth penalty: the tests log in wrongly on purpose, then rightly
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
}

case "$cmd" in
start)
	[ -x "$DOVECOT" ] || {
		echo "dovecot.sh: $DOVECOT not found: install dovecot-imapd (scripts/install-deps.sh --test)" >&2
		exit 1
	}
	command -v openssl >/dev/null || { echo "dovecot.sh: openssl not found" >&2; exit 1; }
	mkdir -p "$dir"
	stop_server # a server left by an interrupted run
	[ "$(id -u)" -ne 0 ] || chmod 711 "$dir"
	mkdir -p "$dir/run" "$dir/state" "$dir/log" "$dir/tls" "$dir/mail"
	if [ "$(id -u)" -eq 0 ]; then
		mail_owner
		chown "$owner_uid:$owner_gid" "$dir/mail"
	fi
	chmod 700 "$dir/tls"
	if [ ! -f "$dir/tls/cert.pem" ]; then
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-days 7 -subj /CN=localhost \
			-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
			-keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" >"$dir/log/openssl.log" 2>&1 ||
			{ cat "$dir/log/openssl.log" >&2; exit 1; }
	fi
	cat >"$dir/passwd" <<EOF
sigap-intake:{PLAIN}sandi-kotak-uji::::::
lain:{PLAIN}sandi-lain-uji::::::
EOF
	chmod 644 "$dir/passwd" # the auth process runs as $internal
	tries=1
	if [ -n "${3:-}" ]; then
		port=$3
	else
		tries=5
	fi
	while :; do
		[ -n "${3:-}" ] || port=$(free_ports)
		write_conf "$port" $((port + 1))
		: >"$dir/log/dovecot.log"
		if "$DOVECOT" -c "$dir/dovecot.conf" 2>"$dir/log/start.log"; then
			i=0
			while { ! listening "$port" || ! listening $((port + 1)); } && [ $i -lt 100 ]; do
				sleep 0.1
				i=$((i + 1))
			done
			listening "$port" && listening $((port + 1)) && break
			stop_server
		fi
		tries=$((tries - 1))
		if [ $tries -le 0 ] || ! grep -qi 'address already in use' "$dir/log/start.log" "$dir/log/dovecot.log"; then
			echo "dovecot.sh: Dovecot did not start:" >&2
			cat "$dir/log/start.log" "$dir/log/dovecot.log" >&2
			exit 1
		fi
	done
	echo "imaps://127.0.0.1:$port $dir/tls/cert.pem imap://127.0.0.1:$((port + 1))"
	;;
deliver)
	user=${3:-}
	file=${4:-}
	[ -n "$user" ] && [ -f "$file" ] || usage
	case "$user" in */* | .*) echo "dovecot.sh: bad user '$user'" >&2; exit 2 ;; esac
	md="$dir/mail/$user/Maildir"
	mkdir -p "$md/tmp" "$md/new" "$md/cur"
	# time.M<microseconds>P<pid>.host: unique, and sorted as delivered
	ns=$(date +%N)
	name="$(date +%s).M${ns%???}P$$.$(uname -n | tr '/:' '__')"
	cp "$file" "$md/tmp/$name"
	if [ "$(id -u)" -eq 0 ]; then
		# the folders and the new file only: a recursive chown would race
		# the server moving messages from new/ to cur/ while it runs
		mail_owner
		chown "$owner_uid:$owner_gid" "$dir/mail/$user" "$dir/mail/$user/Maildir" \
			"$md/tmp" "$md/new" "$md/cur" "$md/tmp/$name"
	fi
	mv "$md/tmp/$name" "$md/new/$name"
	;;
stop)
	stop_server
	;;
*)
	usage
	;;
esac
