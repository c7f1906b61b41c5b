#!/bin/sh
# monitor.sh: the website monitor's benchmark (make bench). A local nginx
# serves the clean fixture site (tests/data/monitor/bersih) under N paths,
# /situs/1/ … /situs/N/, each a watched site of its own asset in a fresh
# store; then, pinned to one core (taskset -c 0), timed by /usr/bin/time:
#   first   `sigap monitor run --all`: every site's first check (each page
#           read and kept as evidence, as a new site's is)
#   again   the same once more: the steady round (pages unchanged)
#   curl    curl alone fetching the same 2N pages (a browser's and a
#           crawler's fetch a site), 16 at once: the floor of the transfers
# and prints checks a second, CPU seconds a check (user + system), peak
# memory, and the monitor's CPU a check as a ratio of curl's for the same
# two fetches. The issue's target: N = 1,000 sites checked within one
# 10-minute interval on one core, with bounded memory.
#
#   bench/monitor.sh [SITES]     default 1000
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${1:-1000}
BUILD=${SIGAP_BUILD:-$ROOT/build}
W=$(mktemp -d /tmp/sigap-monitor-bench-XXXXXX)
NGINX_PID=
cleanup() {
	[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT INT TERM
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
	echo "bench monitor: skipped: nginx is not installed (scripts/install-deps.sh --test)"
	exit 0
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$W/tmp"
cat >"$W/nginx.conf" <<EOF
$( [ "$(id -u)" -eq 0 ] && echo 'user root;' )
daemon off;
master_process off;
worker_processes 1;
pid $W/nginx.pid;
error_log $W/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $W/tmp/body;
	proxy_temp_path $W/tmp/proxy;
	fastcgi_temp_path $W/tmp/fcgi;
	uwsgi_temp_path $W/tmp/uwsgi;
	scgi_temp_path $W/tmp/scgi;
	types { text/html html; }
	server {
		listen 127.0.0.1:$PORT;
		location / {
			root $ROOT/tests/data/monitor/bersih;
			index index.html;
		}
		location /situs/ {
			rewrite ^/situs/[0-9]+/(.*)\$ /\$1 last;
		}
	}
}
EOF
/usr/sbin/nginx -p "$W" -c "$W/nginx.conf" &
NGINX_PID=$!
for i in $(seq 50); do
	curl -sf -o /dev/null "http://127.0.0.1:$PORT/situs/1/" && break
	sleep 0.1
done

# the store: N assets of one OPD, each with its URL, each watched
export SIGAP_DB="$W/sigap.db" SIGAP_CONFIG="$W/sigap.conf"
printf '[pantau]\nserentak = 16\ntimeout = 30s\nalamat_dalam = izinkan\n[evidence]\ndir = %s/evidence\n' "$W" >"$W/sigap.conf"
"$BUILD/sigap" init >/dev/null
"$BUILD/sigap" opd add DINKES --name "Dinas Kesehatan" >/dev/null
{
	echo "opd,name,kind,urls"
	i=1
	while [ "$i" -le "$N" ]; do
		echo "DINKES,Situs $i,situs_web,http://127.0.0.1:$PORT/situs/$i/"
		i=$((i + 1))
	done
} >"$W/assets.csv"
"$BUILD/sigap" asset import "$W/assets.csv" >/dev/null
i=1
while [ "$i" -le "$N" ]; do
	"$BUILD/sigap" monitor add "$i" "http://127.0.0.1:$PORT/situs/$i/" --ignore '#berita' >/dev/null
	i=$((i + 1))
done
echo "bench monitor: $N watched sites on a local nginx (the clean fixture site), one core"

# run NAME: sigap monitor run --all on core 0; "WALL USER SYS MAXRSS_KB"
run() {
	taskset -c 0 /usr/bin/time -f '%e %U %S %M' -o "$W/$1.time" \
		"$BUILD/sigap" monitor run --all --json >"$W/$1.json"
	cat "$W/$1.time"
}
report() { # report NAME WALL USER SYS KB
	awk -v name="$1" -v n="$N" -v wall="$2" -v u="$3" -v s="$4" -v kb="$5" -v floor="$6" 'BEGIN {
		cpu = (u + s) / n
		printf "  %-6s %6.1f s  %7.1f checks/s  %6.2f ms CPU a check  %4d MiB peak", name, wall, n / wall, cpu * 1000, kb / 1024
		if (floor > 0) printf "  (x%.1f curl)", cpu / floor
		printf "  %s\n", wall < 600 ? "within 10 min" : "OVER 10 min"
	}'
}

# the floor: curl alone, the same 2N fetches, 16 at once, on core 0
i=1
: >"$W/urls"
while [ "$i" -le "$N" ]; do
	printf 'url = "http://127.0.0.1:%s/situs/%s/"\noutput = /dev/null\nurl = "http://127.0.0.1:%s/situs/%s/"\noutput = /dev/null\n' \
		"$PORT" "$i" "$PORT" "$i" >>"$W/urls"
	i=$((i + 1))
done
# ten times over: one pass is too short for time's 10 ms clock
taskset -c 0 /usr/bin/time -f '%e %U %S %M' -o "$W/curl.time" sh -c '
	for i in 1 2 3 4 5 6 7 8 9 10; do
		curl -s --no-progress-meter --fail --parallel --parallel-max 16 -K "$1" || exit 1
	done' sh "$W/urls"
set -- $(cat "$W/curl.time")
floor=$(awk -v u="$2" -v s="$3" -v n="$N" 'BEGIN { print (u + s) / n / 10 }')
echo "  curl   $(awk -v w="$1" 'BEGIN { printf "%.2f", w / 10 }') s for $((2 * N)) fetches, $(awk -v f="$floor" 'BEGIN { printf "%.3f", f * 1000 }') ms CPU a site's two"

set -- $(run first)
report first "$1" "$2" "$3" "$4" "$floor"
set -- $(run again)
report again "$1" "$2" "$3" "$4" "$floor"
# every site checked, and the clean site found clean
for r in first again; do
	if ! grep -q "\"sites\": $N," "$W/$r.json" || ! grep -q '"found": 0,' "$W/$r.json"; then
		echo "bench monitor: the $r round did not check every site clean:"
		cat "$W/$r.json"
		exit 1
	fi
done
