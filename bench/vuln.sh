#!/bin/sh
# vuln.sh: the scanner report parse benchmark (make bench). Generates a
# reproducible Greenbone/OpenVAS XML report of N results (about 2.2 KB
# each, as real ones are: 100,000 make some 220 MB) and times, each in its
# own process so each peak memory is its own:
#   bare    libxml2's streaming reader over the file doing no work: the
#           floor any XML import stands on
#   parse   vuln_parse_file (src/vuln) with a callback that does nothing:
#           the parser's part of `sigap vuln import`
# Each is run three times and the fastest kept; parse is printed next to
# bare as a ratio (the issue's target for the whole import: within 3x of
# the bare parse, memory under 256 MiB).
#
#   bench/vuln.sh [RESULTS]     default 100000
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${1:-100000}
BUILD=${SIGAP_BUILD:-$ROOT/build} # another build directory: SIGAP_BUILD=…
W=$(mktemp -d /tmp/sigap-vuln-bench-XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM
"$BUILD/sigap-gen-openvas" "$N" >"$W/report.xml"
echo "bench: OpenVAS XML report of $N results, $(du -m "$W/report.xml" | cut -f1) MB"

# best MODE: the fastest of three runs, "SECONDS RESULTS PEAK_MIB"
best() {
	for i in 1 2 3; do
		"$BUILD/sigap-vuln-parse" "$1" "$W/report.xml"
	done | sed 's/ s, \([0-9]*\) results, \([0-9]*\) MiB peak/ \1 \2/' | sort -n | head -1
}
set -- $(best bare)
bare_s=$1 bare_mib=$3
set -- $(best parse)
parse_s=$1 parse_n=$2 parse_mib=$3
ratio=$(awk -v p="$parse_s" -v b="$bare_s" 'BEGIN { printf "%.2f", p / b }')
rate=$(awk -v p="$parse_s" -v n="$parse_n" 'BEGIN { printf "%.0f", n / p }')
printf '%-44s %7s s  %9s results/s  %5s MiB peak\n' "bare libxml2 reader, no work" "$bare_s" \
	"$(awk -v p="$bare_s" -v n="$N" 'BEGIN { printf "%.0f", n / p }')" "$bare_mib"
printf '%-44s %7s s  %9s results/s  %5s MiB peak  %s x bare\n' \
	"vuln_parse_file, callback doing nothing" "$parse_s" "$rate" "$parse_mib" "$ratio"
[ "$parse_n" -eq "$N" ] || { echo "bench: $parse_n results read, $N written" >&2; exit 1; }
