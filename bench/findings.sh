#!/bin/sh
# findings.sh: the findings list benchmark (make bench). Fills a database
# with FINDINGS findings (sigap-fill-findings: a year of weekly scans over
# 400 assets of five OPDs, most older findings decided), then asks for the
# list at 64 connections the way each face does:
#   core   sigap-findings-list: 64 threads, each on its own connection to
#          the store as the server's workers are, asking finding_list for
#          a page of 50 with its total and dumping it as the API's JSON,
#          again and again for SECS seconds (wrk's closed loop without
#          HTTP): the list alone, each filter of /kerentanan and the API
#          alone (OPD, asset, severity, state, KEV, EPSS, overdue) and
#          an agen_siber's own OPD. The baseline of the same run is a
#          one-row query and its JSON on the same 64 connections (this
#          benchmark's /healthz).
#   http   when sigap serve answers GET /api/v1/findings: wrk -t2 -c64 as
#          the triage officer `ttis` and as the OPD's agent agen.dinkes,
#          next to /healthz, as bench/alerts.sh measures the alert list.
# The issue's target: p99 under 50 ms at 64 connections.
#
#   FINDINGS=N SECS=S bench/findings.sh    defaults: 1,000,000 findings, 10 s a run
#   KEEP=DIR bench/findings.sh             fill DIR once and reuse it next time
#
# Filling 1,000,000 findings takes about 40 s and 900 MB of disk.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
FINDINGS=${FINDINGS:-1000000}
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
if [ ! -f var/sigap.db ] || [ "$(cat filled 2>/dev/null)" != "$FINDINGS" ]; then
	rm -rf var filled
	printf '[web]\nmetrics_allow = 127.0.0.1\nmax_connections_per_address = 256\n' >sigap.conf
	"$SIGAP" init --demo >/dev/null
	echo "bench: filling $FINDINGS findings"
	"$BUILD/sigap-fill-findings" var/sigap.db "$FINDINGS" 2>/dev/null
	echo "$FINDINGS" >filled
	# the migrations of a newer sigap, before the clock starts
	"$SIGAP" vuln list --limit 1 >/dev/null
	echo "bench: database $(du -m var/sigap.db | cut -f1) MB"
fi

DB=$W/var/sigap.db
core() { # core NAME VIEWER FILTER...
	name=$1 viewer=$2
	shift 2
	set -- $("$BUILD/sigap-findings-list" "$DB" 64 "$SECS" "$viewer" "$@")
	printf '%-30s %10s req/s   p50 %7s ms   p99 %7s ms   total %s\n' "$name" "$1" "$2" "$3" "$4"
	eval "CORE_$name=$1"
}
echo "bench: $FINDINGS findings, 64 connections, ${SECS} s a run, $(nproc) cores (core: no HTTP)"
core baseline - mode=baseline
# every filter of /kerentanan and the API alone, and the OPD's agent
RUNS=
run_core() { core "$@"; RUNS="$RUNS $1"; }
run_core list ttis
run_core list_open ttis state=open
run_core list_critical_open ttis state=open min_severity=high
run_core list_opd ttis opd=DINKES
run_core list_opd_open ttis opd=DINKES state=open
run_core list_asset ttis asset=100
run_core list_severity_critical ttis severity=critical
run_core list_severity_info ttis severity=info
run_core list_min_severity_high ttis min_severity=high
run_core list_state_baru ttis state=baru
run_core list_state_fixed ttis state=diperbaiki
run_core list_state_in_repair ttis state=dalam_perbaikan
run_core list_kev ttis kev=yes
run_core list_not_kev ttis kev=no
run_core list_epss_10 ttis min_epss=0.1
run_core list_epss_90 ttis min_epss=0.9
run_core list_overdue ttis overdue=1
run_core list_by_severity ttis sort=severity state=open
run_core list_agen agen.dinkes
run_core list_agen_open agen.dinkes state=open
for n in $RUNS; do
	eval "r=\$CORE_$n"
	awk -v a="$r" -v b="$CORE_baseline" -v n="$n" \
		'BEGIN { printf "ratio %-24s %.3f of the baseline throughput\n", n, a / b }'
done

# The API, when this sigap has it.
start=$(date +%s)
"$SIGAP" serve --listen 127.0.0.1:0 --quiet >serve.out 2>serve.err &
PID=$!
for _ in $(seq 600); do grep -q listening serve.out 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\) .*/\1/p' serve.out)
B=http://127.0.0.1:$PORT
TOKEN=$("$SIGAP" token new ttis --name bench)
AGENT=$("$SIGAP" token new agen.dinkes --name bench)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$B/api/v1/findings?limit=1")
if [ "$code" != 200 ]; then
	echo "bench: GET /api/v1/findings answers $code: the HTTP runs wait for the route"
	exit 0
fi
run() { # run NAME PATH [HEADER]
	name=$1 path=$2
	shift 2
	wrk -t2 -c64 -d"${SECS}s" --timeout 10s --latency "$@" "$B$path" >"wrk-$name.txt"
	rps=$(awk '/Requests\/sec/ {print $2}' "wrk-$name.txt")
	p50=$(awk '$1 == "50%" {print $2}' "wrk-$name.txt")
	p99=$(awk '$1 == "99%" {print $2}' "wrk-$name.txt")
	errs=$(awk '/Non-2xx/ {print $5}' "wrk-$name.txt")
	printf '%-30s %10s req/s   p50 %8s   p99 %8s   %s\n' "$name" "$rps" "$p50" "$p99" \
		"${errs:+non-2xx: $errs}"
	eval "RPS_$name=$rps"
}
T="Authorization: Bearer $TOKEN"
run healthz /healthz
run api_list "/api/v1/findings?limit=50" -H "$T"
run api_open "/api/v1/findings?limit=50&state=open" -H "$T"
run api_opd "/api/v1/findings?limit=50&opd=DINKES" -H "$T"
run api_kev "/api/v1/findings?limit=50&kev=yes" -H "$T"
run api_overdue "/api/v1/findings?limit=50&overdue=1" -H "$T"
run api_agen "/api/v1/findings?limit=50" -H "Authorization: Bearer $AGENT"
for n in api_list api_open api_opd api_kev api_overdue api_agen; do
	eval "r=\$RPS_$n"
	awk -v a="$r" -v b="$RPS_healthz" -v n="$n" \
		'BEGIN { printf "ratio %-24s %.3f of /healthz throughput\n", n, a / b }'
done
