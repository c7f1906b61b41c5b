#!/bin/bash
# ingest.sh: the live pipeline's benchmark (make bench). Sends a generated
# corpus through sigap serve's syslog TCP input (newline framing) and times
# how long until every line is handled: parsed, matched against the
# shipped rules and the stored indicators, and its alerts committed. The
# baseline in the same run is sigap detect on one thread over the same
# file with the same rules and indicators, so the ratio is the cost of the
# live path (socket, queue, alerts in the store).
#
#   bench/ingest.sh [EVENTS] [IOCS]      defaults: 200000 events, 100000 indicators
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
EVENTS=${1:-200000}
IOCS=${2:-100000}
SIGAP=$ROOT/build/sigap
GEN=$ROOT/build/sigap-gen-events
W=$(mktemp -d /tmp/sigap-ingest-bench-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$W"' EXIT INT TERM
cd "$W"
printf '[web]\nmetrics_allow = 127.0.0.1\n' >sigap.conf
"$GEN" events "$EVENTS" >corpus.log
"$GEN" iocs "$IOCS" >iocs.csv
"$SIGAP" init >/dev/null
"$SIGAP" ioc import iocs.csv >/dev/null

base=$("$SIGAP" detect --quiet --stats --threads 1 --iocs iocs.csv corpus.log 2>&1 |
	sed -n 's/.* \([0-9]*\) events\/s on .*/\1/p')

"$SIGAP" serve --listen 127.0.0.1:0 --quiet --syslog-tcp 127.0.0.1:0 >serve.out 2>serve.err &
PID=$!
for _ in $(seq 100); do grep -q 'listening on http' serve.out 2>/dev/null && break; sleep 0.1; done
TCP=$(sed -n 's/.*tcp listening on 127\.0\.0\.1:\([0-9]*\)/\1/p' serve.out)
HTTP=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' serve.out)
metric() { curl -s "http://127.0.0.1:$HTTP/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
t0=$(date +%s.%N)
cat corpus.log >/dev/tcp/127.0.0.1/"$TCP"
while :; do
	got=$(metric 'sigap_ingest_lines_total{input="tcp"}')
	depth=$(metric sigap_ingest_queue_depth)
	[ "${got:-0}" -ge "$EVENTS" ] && [ "${depth:-1}" -eq 0 ] && break
	sleep 0.05
done
t1=$(date +%s.%N)
rate=$(awk -v n="$EVENTS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
alerts=$(metric 'sigap_alerts_raised_total{folded="false"}')
folded=$(metric 'sigap_alerts_raised_total{folded="true"}')
mem=$(awk '/VmHWM/ {print int($2 / 1024)}' /proc/"$PID"/status)
printf '%-46s %10s events/s  1.00 x baseline\n' "baseline: sigap detect, 1 thread" "$base"
printf '%-46s %10s events/s  %s x baseline  %s alerts (+%s folded)  %s MiB\n' \
	"sigap serve, syslog TCP to committed alerts" "$rate" \
	"$(awk -v r="$rate" -v b="$base" 'BEGIN { printf "%.2f", r / b }')" "$alerts" "$folded" "$mem"
