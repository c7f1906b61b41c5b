#!/bin/sh
# detect.sh: the detection benchmark (make bench). Generates a reproducible
# mixed corpus (Wazuh alerts, RFC 3164 and 5424 syslog, nginx access lines)
# and a set of rules, then runs sigap detect over the corpus:
#   baseline   read and parse every event, no rules (--no-rules)
#   rules      the same with N generated rules, on one thread and on all
#   iocs       N indicators (a CSV feed of every type), alone and with
#              the rules
#   shipped    the rules of rules/
#   sigmahq    the 1,590 SigmaHQ rules of ../shared/data, when present:
#              all of them, then 100, 400 and 800 of them (every k-th
#              file, so each sample spans every product) to show the cost
#              per event by rule count, and the combined run: SigmaHQ +
#              the project's rules + IOCS indicators, one thread
#   start-up   seconds from start to exit on no events, with the cache of
#              compiled pattern databases empty (cold) and filled (cached)
# Each figure is printed next to the baseline of the same run, so the
# ratio holds whatever else the machine is doing.
#
#   bench/detect.sh [EVENTS] [RULES] [IOCS]
#                  defaults: 1000000 events, 1000 rules, 1000000 indicators
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
EVENTS=${1:-1000000}
RULES=${2:-1000}
IOCS=${3:-1000000}
BUILD=${SIGAP_BUILD:-$ROOT/build} # another build directory: SIGAP_BUILD=…
SIGAP=$BUILD/sigap
GEN=$BUILD/sigap-gen-events
W=$(mktemp -d /tmp/sigap-detect-bench-XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM
echo "bench: generating $EVENTS events, $RULES rules and $IOCS indicators"
"$GEN" events "$EVENTS" >"$W/corpus.log"
mkdir "$W/rules"
"$GEN" rules "$RULES" "$W/rules"
"$GEN" iocs "$IOCS" >"$W/iocs.csv"
echo "bench: corpus $(du -m "$W/corpus.log" | cut -f1) MB"

# measure NAME ARGS...: runs detect, prints events/s, ratio to the latest
# baseline, the time an event costs beyond parsing it, matches, memory.
# A run named "baseline: parse only, 1 thread…" becomes the baseline.
BASE=
measure() {
	name=$1
	shift
	"$SIGAP" detect --quiet --stats "$@" "$W/corpus.log" 2>"$W/err" || true
	grep 'indicators loaded' "$W/err" | sed 's/^sigap: /    /' >&2 || true
	rate=$(sed -n 's/.* \([0-9]*\) events\/s on .*/\1/p' "$W/err")
	mem=$(sed -n 's/.*peak memory \([0-9]*\) MiB.*/\1/p' "$W/err")
	matches=$(sed -n 's/.* bad, \([0-9]*\) matches.*/\1/p' "$W/err")
	case $name in "baseline: parse only, 1 thread"*) BASE=$rate ;; esac
	ratio=$(awk -v r="$rate" -v b="$BASE" 'BEGIN { printf "%.2f", r / b }')
	extra=$(awk -v r="$rate" -v b="$BASE" 'BEGIN { printf "%.2f", 1e6 / r - 1e6 / b }')
	printf '%-40s %10s events/s  %5s x baseline  %5s us/event over parse  %6s matches  %5s MiB\n' \
		"$name" "$rate" "$ratio" "$extra" "$matches" "$mem"
}
# startup NAME ARGS...: start-up time, cold and cached.
elapsed() {
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
startup() {
	name=$1
	shift
	rm -rf "$W/cache"
	cold=$(elapsed "$SIGAP" detect --quiet --cache "$W/cache" "$@" /dev/null)
	cached=$(elapsed "$SIGAP" detect --quiet --cache "$W/cache" "$@" /dev/null)
	ratio=$(awk -v c="$cold" -v w="$cached" 'BEGIN { printf "%.1f", (w > 0) ? c / w : 0 }')
	printf 'start-up, %-24s cold %6s s  cached %6s s  (x%s)\n' "$name:" "$cold" "$cached" "$ratio"
}
THREADS=$(nproc)
measure "baseline: parse only, 1 thread" --no-rules --threads 1
measure "$RULES rules, 1 thread" --rules "$W/rules" --threads 1
measure "$RULES rules, $THREADS threads" --rules "$W/rules" --threads "$THREADS"
measure "$IOCS indicators, 1 thread" --no-rules --iocs "$W/iocs.csv" --threads 1
measure "$RULES rules + $IOCS indicators, 1 thread" --rules "$W/rules" --iocs "$W/iocs.csv" --threads 1
measure "$RULES rules + $IOCS indicators, $THREADS threads" --rules "$W/rules" --iocs "$W/iocs.csv" --threads "$THREADS"
measure "baseline: parse only, $THREADS threads" --no-rules --threads "$THREADS"
measure "shipped rules, 1 thread" --threads 1
SIGMA=$ROOT/../shared/data/sigma/rules
if [ -d "$SIGMA" ]; then
	find "$SIGMA" -name '*.yml' | sort >"$W/sigma.list"
	TOTAL=$(wc -l <"$W/sigma.list")
	measure "baseline: parse only, 1 thread (again)" --no-rules --threads 1
	measure "SigmaHQ $TOTAL rules, 1 thread" --rules "$SIGMA" --threads 1
	measure "SigmaHQ + $RULES rules, 1 thread" --rules "$SIGMA" --rules "$W/rules" --threads 1
	measure "SigmaHQ + project rules + $IOCS ind." --rules "$SIGMA" --rules "$ROOT/rules" \
		--iocs "$W/iocs.csv" --threads 1
	echo "bench: cost per event by SigmaHQ rule count (1 thread; ratio to parse only)"
	for n in 100 400 800; do
		mkdir "$W/sigma$n"
		awk -v n="$n" -v t="$TOTAL" 'int((NR - 1) * n / t) != int(NR * n / t)' \
			"$W/sigma.list" | while read -r f; do
			cp "$f" "$W/sigma$n/$(echo "$f" | tr / _)"
		done
		measure "SigmaHQ $n rules, 1 thread" --rules "$W/sigma$n" --threads 1
	done
	measure "SigmaHQ $TOTAL rules, 1 thread" --rules "$SIGMA" --threads 1
	startup "SigmaHQ rules" --rules "$SIGMA" --builtin
else
	echo "bench: ../shared/data absent: SigmaHQ rules not measured"
fi
startup "shipped rules"
startup "$RULES generated rules" --rules "$W/rules"
