#!/bin/bash
# stores.sh: the same sigap on its two stores (make bench). Fills a SQLite
# store with CASES incident cases, copies it into a private PostgreSQL 15
# (tests/pg/pg.sh; `sigap db copy`, timed), and runs in the same script:
#   - wrk (64 connections) against the case list page, a case page and
#     two API reads: one node on SQLite, one node on PostgreSQL, and three
#     nodes on PostgreSQL behind HAProxy; each p99 and req/s, and the
#     ratios PostgreSQL / SQLite and three nodes / one node;
#   - the live pipeline: EVENTS generated syslog lines over TCP to
#     committed alerts, on each store, in events/s and their ratio.
# On a 2-core machine three nodes cannot be faster than one: the figure is
# the cost of coordination (sessions read from the store, locks).
#
#   bench/stores.sh [CASES] [SECONDS] [EVENTS]   defaults: 100000, 10, 100000
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CASES=${1:-100000}
SECS=${2:-10}
EVENTS=${3:-100000}
BUILD=${BUILD:-$ROOT/build}
SIGAP=$BUILD/sigap
W=$(mktemp -d /tmp/sigap-stores-XXXXXX)
PGD=$(mktemp -d /tmp/sigap-stores-pg-XXXXXX) # the server's user owns it
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	"$ROOT/tests/pg/pg.sh" stop "$PGD" 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT INT TERM
cd "$W"

# ---- the two stores, the same data ----
mkdir sq pgn
printf '[web]\nmetrics_allow = 127.0.0.1\nmax_connections_per_address = 256\n' >sq/sigap.conf
(cd sq && "$SIGAP" init --demo >/dev/null)
echo "stores: filling $CASES cases"
"$BUILD/sigap-fill" sq/var/sigap.db "$CASES"
URL=$("$ROOT/tests/pg/pg.sh" start "$PGD")
t0=$(date +%s.%N)
"$SIGAP" db copy --from sq/var/sigap.db --to "$URL" >copy.out 2>copy.err
t1=$(date +%s.%N)
rows=$(awk '{ n += $2 } END { print n }' copy.err)
awk -v n="$rows" -v a="$t0" -v b="$t1" -v said="$(cut -c1-60 copy.out)" \
	'BEGIN { printf "db copy SQLite -> PostgreSQL: %d rows in %.1f s (%.0f rows/s); %s\n", n, b - a, n / (b - a), said }'
printf '[database]\nurl = %s\n[evidence]\ndir = %s/pgn/evidence\n[web]\nmetrics_allow = 127.0.0.1\nmax_connections_per_address = 256\n' \
	"$URL" "$W" >pgn/sigap.conf

start() { # start DIR [ARGS...]: a node; sets PORT
	local dir=$1 out
	shift
	out=$(mktemp "$W/serve-XXXXXX")
	(cd "$dir" && exec "$SIGAP" serve --listen 127.0.0.1:0 --quiet "$@" >"$out" 2>"$out.err") &
	PIDS+=($!)
	for _ in $(seq 100); do grep -q 'listening on http' "$out" 2>/dev/null && break; sleep 0.1; done
	PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out")
	TCP=$(sed -n 's/.*tcp listening on 127\.0\.0\.1:\([0-9]*\)/\1/p' "$out")
}
stop_all() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	PIDS=()
}

session() { # session BASE: a signed-in petugas's cookie
	local jar csrf
	jar=$(mktemp "$W/jar-XXXXXX")
	csrf=$(curl -s -c "$jar" "$1/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
	curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf=$csrf&name=petugas&password=sigap-demo-2026" "$1/login"
	awk '$6 == "sigap_sid" {print $7}' "$jar"
}

ms() { # wrk's latency (12.3ms, 1.2s, 800us) in ms
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
		else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

declare -A RPS P99
web() { # web LABEL DIR_OR_BASE: the four reads against one base URL
	local label=$1 B=$2 sid token name path
	(cd "$3" && "$SIGAP" token new petugas --name "bench-$label") >"$W/token"
	token=$(cat "$W/token")
	sid=$(session "$B")
	for spec in "case_list|/kasus|c" "case_page|/kasus/$TICKET|c" "api_case|/api/v1/cases/$TICKET|t" \
		"api_list|/api/v1/cases?limit=50|t"; do
		IFS='|' read -r name path kind <<<"$spec"
		if [ "$kind" = c ]; then h="Cookie: sigap_sid=$sid"; else h="Authorization: Bearer $token"; fi
		wrk -t2 -c64 -d"${SECS}s" --latency -H "$h" "$B$path" >"$W/wrk.txt"
		RPS[$label.$name]=$(awk '/Requests\/sec/ {print $2}' "$W/wrk.txt")
		P99[$label.$name]=$(ms "$(awk '$1 == "99%" {print $2}' "$W/wrk.txt")")
		errs=$(awk '/Non-2xx/ {print $5}' "$W/wrk.txt")
		printf '%-10s %-10s %10s req/s   p99 %8s ms   %s\n' "$label" "$name" "${RPS[$label.$name]}" \
			"${P99[$label.$name]}" "${errs:+non-2xx: $errs}"
	done
}

TICKET=$(sqlite3 sq/var/sigap.db "SELECT ticket FROM cases ORDER BY id LIMIT 1 OFFSET $((CASES / 2))")
echo "stores: $CASES cases, wrk -t2 -c64 -d${SECS}s, $(nproc) cores"
start sq
web sqlite "http://127.0.0.1:$PORT" sq
stop_all
start pgn
web pg "http://127.0.0.1:$PORT" pgn
stop_all
# three nodes behind HAProxy
ports=()
for i in 1 2 3; do
	start pgn
	ports+=("$PORT")
done
# a port nobody listens on
for _ in $(seq 20); do
	LB=$((20000 + RANDOM % 40000))
	(echo >/dev/tcp/127.0.0.1/"$LB") 2>/dev/null || break
done
{
	printf 'global\n  maxconn 2048\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 60s\n  timeout server 60s\n'
	printf 'frontend f\n  bind 127.0.0.1:%s\n  default_backend nodes\nbackend nodes\n  balance roundrobin\n' "$LB"
	for i in 0 1 2; do printf '  server n%d 127.0.0.1:%s\n' "$i" "${ports[$i]}"; done
} >haproxy.cfg
/usr/sbin/haproxy -f haproxy.cfg -db >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$LB/login" && break; sleep 0.1; done
web pg3 "http://127.0.0.1:$LB" pgn
stop_all

for name in case_list case_page api_case api_list; do
	awk -v n="$name" -v a="${P99[pg.$name]}" -v b="${P99[sqlite.$name]}" -v c="${P99[pg3.$name]}" \
		-v ra="${RPS[pg.$name]}" -v rb="${RPS[sqlite.$name]}" -v rc="${RPS[pg3.$name]}" \
		'BEGIN { printf "ratio %-10s PostgreSQL/SQLite: p99 %.2f, req/s %.2f   three nodes/one: p99 %.2f, req/s %.2f\n",
			n, a / b, ra / rb, c / a, rc / ra }'
done

# ---- the live pipeline on each store ----
"$BUILD/sigap-gen-events" events "$EVENTS" >corpus.log
"$BUILD/sigap-gen-events" iocs 10000 >iocs.csv
declare -A EPS
for store in sq pgn; do
	(cd "$store" && "$SIGAP" ioc import "$W/iocs.csv" >/dev/null)
	start "$store" --syslog-tcp 127.0.0.1:0
	metric() { curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
	t0=$(date +%s.%N)
	cat corpus.log >/dev/tcp/127.0.0.1/"$TCP"
	while :; do
		got=$(metric 'sigap_ingest_lines_total{input="tcp"}')
		depth=$(metric sigap_ingest_queue_depth)
		[ "${got:-0}" -ge "$EVENTS" ] && [ "${depth:-1}" -eq 0 ] && break
		sleep 0.05
	done
	t1=$(date +%s.%N)
	EPS[$store]=$(awk -v n="$EVENTS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
	printf 'ingest %-7s syslog TCP to committed alerts: %8s events/s (%s alerts)\n' "$store" \
		"${EPS[$store]}" "$(metric 'sigap_alerts_raised_total{folded="false"}')"
	stop_all
done
awk -v a="${EPS[pgn]}" -v b="${EPS[sq]}" 'BEGIN { printf "ratio ingest PostgreSQL/SQLite: %.2f\n", a / b }'
