#!/bin/sh
# alerts.sh: the alert benchmark (make bench). Fills a database with
# ALERTS alerts (sigap-fill-alerts: months of detection, a share decided
# and linked to cases), starts sigap serve, and runs wrk (64 connections,
# 2 threads) as the triage officer `ttis` against the alert list, the
# list filtered, a deep page, an alert page (a correlation with its
# member alerts) and the API list, each next to /healthz in the same run
# as the baseline, so the ratio says what the page costs on this machine
# whatever its load.
#
#   ALERTS=N SECS=S bench/alerts.sh     defaults: 10,000,000 alerts, 10 s a run
#   KEEP=DIR bench/alerts.sh            fill DIR once and reuse it next time
#
# Filling 10,000,000 alerts takes about three minutes on the project's
# 2-core machine and 7 GB of disk (1,000,000: 20 s, 700 MB).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ALERTS=${ALERTS:-10000000}
SECS=${SECS:-10}
BUILD=${BUILD:-$ROOT/build}
SIGAP=$BUILD/sigap
PID=
if [ -n "${KEEP:-}" ]; then
	W=$KEEP
	mkdir -p "$W"
	trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null' EXIT INT TERM
else
	W=$(mktemp -d /tmp/sigap-bench-XXXXXX)
	trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$W"' EXIT INT TERM
fi
cd "$W"
if [ ! -f var/sigap.db ] || [ "$(cat filled 2>/dev/null)" != "$ALERTS" ]; then
	rm -rf var filled
	printf '[web]\nmetrics_allow = 127.0.0.1\nmax_connections_per_address = 256\n' >sigap.conf
	"$SIGAP" init --demo >/dev/null
	echo "bench: filling $ALERTS alerts"
	"$BUILD/sigap-fill-alerts" var/sigap.db "$ALERTS"
	echo "$ALERTS" >filled
	echo "bench: database $(du -m var/sigap.db | cut -f1) MB"
fi
start=$(date +%s)
"$SIGAP" serve --listen 127.0.0.1:0 --quiet >serve.out 2>serve.err &
PID=$!
# A first start on an older database runs the migrations first.
for _ in $(seq 6000); do grep -q listening serve.out 2>/dev/null && break; sleep 0.1; done
echo "bench: serving after $(($(date +%s) - start)) s"
PORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\) .*/\1/p' serve.out)
B=http://127.0.0.1:$PORT
TOKEN=$("$SIGAP" token new ttis --name bench)
CSRF=$(curl -s -c jar "$B/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
curl -s -b jar -c jar -o /dev/null -d "csrf=$CSRF&name=ttis&password=sigap-demo-2026" "$B/login"
SID=$(awk '$6 == "sigap_sid" {print $7}' jar)
# The newest correlation alert (20 member alerts), an asset, and a point
# half-way through the alerts for the deep page.
CORR=$(sqlite3 var/sigap.db "SELECT MAX(id) FROM alerts WHERE rule_id = 'bench-correlation'")
ASSET=$(sqlite3 var/sigap.db "SELECT asset FROM alerts WHERE id = (SELECT MAX(id) FROM alerts) - 7")
ASSET=${ASSET:-simpeg-01}
MID=$(sqlite3 var/sigap.db "SELECT last_seen || '.' || id FROM alerts WHERE id = (SELECT MAX(id) / 2 FROM alerts)")
# The deep page: the keyset pager's link from half-way down (or, on a
# sigap before it, page 100,000's offset: 5,000,000 rows down).
DEEP="/peringatan?after=$MID"
[ -n "${DEEP_OFFSET:-}" ] && DEEP="/peringatan?page=100000"

run() { # run NAME PATH [HEADER]
	name=$1 path=$2
	shift 2
	wrk -t2 -c64 -d"${SECS}s" --timeout 10s --latency "$@" "$B$path" >"wrk-$name.txt"
	rps=$(awk '/Requests\/sec/ {print $2}' "wrk-$name.txt")
	p50=$(awk '$1 == "50%" {print $2}' "wrk-$name.txt")
	p99=$(awk '$1 == "99%" {print $2}' "wrk-$name.txt")
	errs=$(awk '/Non-2xx/ {print $5}' "wrk-$name.txt")
	printf '%-24s %10s req/s   p50 %8s   p99 %8s   %s\n' "$name" "$rps" "$p50" "$p99" \
		"${errs:+non-2xx: $errs}"
	eval "RPS_$name=$rps"
}

C="Cookie: sigap_sid=$SID"
echo "bench: $ALERTS alerts, wrk -t2 -c64 -d${SECS}s, $(nproc) cores, as ttis"
run healthz /healthz
run alert_list /peringatan -H "$C"
run list_new "/peringatan?status=new" -H "$C"
run list_high "/peringatan?level=high" -H "$C"
run list_asset "/peringatan?asset=$ASSET" -H "$C"
run list_all3 "/peringatan?status=new&level=high&asset=$ASSET" -H "$C"
run list_deep "$DEEP" -H "$C"
run alert_page "/peringatan/$CORR" -H "$C"
run api_list "/api/v1/alerts?limit=50" -H "Authorization: Bearer $TOKEN"
run api_alert "/api/v1/alerts/$CORR" -H "Authorization: Bearer $TOKEN"
for n in alert_list list_new list_high list_asset list_all3 list_deep alert_page api_list api_alert; do
	eval "r=\$RPS_$n"
	awk -v a="$r" -v b="$RPS_healthz" -v n="$n" \
		'BEGIN { printf "ratio %-20s %.3f of /healthz throughput\n", n, a / b }'
done
