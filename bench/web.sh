#!/bin/sh
# web.sh: the web benchmark (make bench). Fills a database with 100,000
# incident cases, starts sigap serve, and runs wrk (64 connections, 2
# threads) against the case list page, a case page, API reads and
# /metrics (answered from memory, whatever the number of cases), each
# next to /healthz in the same run as the baseline (no database work), so
# the ratio says what the page costs on this machine whatever its load.
#
#   bench/web.sh [CASES] [SECONDS]     defaults: 100000 cases, 10 s a run
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CASES=${1:-100000}
SECS=${2:-10}
BUILD=${BUILD:-$ROOT/build}
SIGAP=$BUILD/sigap
W=$(mktemp -d /tmp/sigap-bench-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$W"' EXIT INT TERM
cd "$W"
printf '[web]\nmetrics_allow = 127.0.0.1\nmax_connections_per_address = 256\n' >sigap.conf
"$SIGAP" init --demo >/dev/null
echo "bench: filling $CASES cases (once per run)"
"$BUILD/sigap-fill" var/sigap.db "$CASES"
"$SIGAP" serve --listen 127.0.0.1:0 --quiet >serve.out 2>serve.err &
PID=$!
for _ in $(seq 50); do grep -q listening serve.out 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\) .*/\1/p' serve.out)
B=http://127.0.0.1:$PORT
TOKEN=$("$SIGAP" token new petugas --name bench)
# A browser session for the pages.
CSRF=$(curl -s -c jar "$B/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
curl -s -b jar -c jar -o /dev/null -d "csrf=$CSRF&name=petugas&password=sigap-demo-2026" "$B/login"
SID=$(awk '$6 == "sigap_sid" {print $7}' jar)
TICKET=$(sqlite3 var/sigap.db "SELECT ticket FROM cases ORDER BY id LIMIT 1 OFFSET $((CASES / 2))")

run() { # run NAME PATH [HEADER]
	name=$1 path=$2
	shift 2
	wrk -t2 -c64 -d"${SECS}s" --latency "$@" "$B$path" >"wrk-$name.txt"
	rps=$(awk '/Requests\/sec/ {print $2}' "wrk-$name.txt")
	p50=$(awk '$1 == "50%" {print $2}' "wrk-$name.txt")
	p99=$(awk '$1 == "99%" {print $2}' "wrk-$name.txt")
	errs=$(awk '/Non-2xx/ {print $5}' "wrk-$name.txt")
	printf '%-28s %10s req/s   p50 %8s   p99 %8s   %s\n' "$name" "$rps" "$p50" "$p99" \
		"${errs:+non-2xx: $errs}"
	eval "RPS_$name=$rps"
}

echo "bench: $CASES cases, wrk -t2 -c64 -d${SECS}s, $(nproc) cores"
run healthz /healthz
run case_list /kasus -H "Cookie: sigap_sid=$SID"
run case_list_search "/kasus?q=ransomware+simpus" -H "Cookie: sigap_sid=$SID"
run case_page "/kasus/$TICKET" -H "Cookie: sigap_sid=$SID"
run api_case "/api/v1/cases/$TICKET" -H "Authorization: Bearer $TOKEN"
run api_list "/api/v1/cases?limit=50" -H "Authorization: Bearer $TOKEN"
# The tasks: every signed-in page counts them in its navigation (one
# indexed query); the list computes due times per task.
run tasks_page /tugas -H "Cookie: sigap_sid=$SID"
run api_tasks "/api/v1/me/tasks?limit=50" -H "Authorization: Bearer $TOKEN"
run metrics /metrics
for n in case_list case_list_search case_page api_case api_list tasks_page api_tasks metrics; do
	eval "r=\$RPS_$n"
	awk -v a="$r" -v b="$RPS_healthz" -v n="$n" \
		'BEGIN { printf "ratio %-22s %.3f of /healthz throughput\n", n, a / b }'
done
