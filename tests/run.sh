#!/bin/sh
# tests/run.sh: builds and runs every test, and prints "N passed, N failed".
#
# Two builds, warnings as errors: build-test (optimised) and build-asan
# (AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer): a
# sanitizer report fails the test that caused it. Every test program speaks TAP; each "ok" or
# "not ok" line counts as one test. Output of failing tests is kept in
# tests/artifacts/.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ART="$ROOT/tests/artifacts"
rm -rf "$ART" && mkdir -p "$ART"
export SIGAP_SOURCE_ROOT="$ROOT"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
# a library cache that is no leak of sigap's (tests/lsan.supp)
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

passed=0
failed=0
skipped=0

build() { # build DIR [meson options]
	dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" -Dtests=true -Dwerror=true "$@" >"$ART/setup-$dir.log" 2>&1 || {
			cat "$ART/setup-$dir.log"
			return 1
		}
	fi
	ninja -C "$dir" >"$ART/build-$dir.log" 2>&1 || {
		cat "$ART/build-$dir.log"
		return 1
	}
}

run_tap() { # run_tap LABEL COMMAND...
	label=$1
	shift
	log="$ART/$label.tap"
	"$@" >"$log" 2>&1
	rc=$?
	# cmocka reports a skipped test as "not ok N # SKIP", node:test as
	# "ok N … # SKIP": both count as skipped, neither as passed or failed.
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	s_ok=$(grep -c '^ok .*# *SKIP' "$log")
	s_not=$(grep -c '^not ok .*# *SKIP' "$log")
	s=$((s_ok + s_not))
	p=$((p - s_ok))
	f=$((f - s_not))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or exited badly outside any test case
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $label ($p passed, $f failed; exit $rc)"
		# each failing test with what it said (node:test nests its
		# diagnostics under the "not ok" line), then the log's tail
		awk '/^ *not ok /{n=30} n>0{print; n--}' "$log" | grep -v '# SKIP' | head -80 | sed 's/^/    /'
		echo "    [...]"
		tail -15 "$log" | sed 's/^/    /'
	else
		echo "ok   $label ($p passed)"
	fi
}

# The unit tests are the ones tests/meson.build builds (its unit_tests
# list, and web), so a new one is never built and left unrun.
UNITS="$(sed -n '/^unit_tests = \[/,/\]/p' tests/meson.build | tr -d "[]',\n" | sed 's/unit_tests =//') web"

# The HTTP tests (tests/http/), each against a real sigap serve.
HTTP_TESTS="tests/http/test_http.mjs tests/http/test_detect.mjs \
	tests/http/test_handover.mjs tests/http/test_auth_abuse.mjs tests/http/test_hostile.mjs \
	tests/http/test_crash.mjs tests/http/test_follow_crash.mjs tests/http/test_access.mjs \
	tests/http/test_rsyslog.mjs tests/http/test_flows.mjs tests/http/test_worklist.mjs \
	tests/http/test_api_errors.mjs tests/http/test_inputs.mjs \
	tests/http/test_wazuh_integration.mjs tests/http/test_alert_pager.mjs \
	tests/http/test_assets.mjs tests/http/test_vuln_intel.mjs tests/http/test_asset_pages.mjs \
	tests/http/test_findings.mjs tests/http/test_constituency.mjs \
	tests/http/test_patch_findings.mjs tests/http/test_vuln_tiles.mjs \
	tests/http/test_evidence_dir.mjs tests/http/test_findings_web.mjs tests/http/test_pg_fault.mjs \
	tests/http/test_nodes.mjs tests/http/test_reload.mjs tests/http/test_notify.mjs \
	tests/http/test_notify_email.mjs tests/http/test_notify_sla.mjs tests/http/test_documents.mjs \
	tests/http/test_intake.mjs tests/http/test_risks.mjs tests/http/test_exceptions.mjs tests/http/test_policies.mjs \
	tests/http/test_monitor_check.mjs tests/http/test_monitor.mjs"

suite() { # suite BUILD_DIR TAG
	dir=$1
	tag=$2
	for t in $UNITS; do
		run_tap "$tag-$t" "$dir/tests/test_$t"
	done
	run_tap "$tag-cli" sh tests/cli/test_cli.sh "$ROOT/$dir/sigap"
	run_tap "$tag-cli-db" sh tests/cli/test_db.sh "$ROOT/$dir/sigap"
	run_tap "$tag-service" sh tests/cli/test_service.sh "$ROOT/$dir/sigap"
	# HTTP integration tests against a real sigap serve of this build.
	SIGAP_BIN="$ROOT/$dir/sigap" run_tap "$tag-http" node --test --test-reporter=tap $HTTP_TESTS
}

# Checks of the interface catalog: po/id.po is generated from the code's
# messages and complete (tools/po_id.py), and msgfmt accepts it.
catalog() {
	if python3 tools/po_id.py --check && msgfmt --check -o /dev/null po/id.po; then
		echo "ok 1 - po/id.po is current, complete and valid"
	else
		echo "not ok 1 - po/id.po is current, complete and valid"
	fi
}
run_tap catalog catalog
# the Debian package, built from a copy of the source and started installed
run_tap package sh tests/cli/test_package.sh

# The tests that touch the store again on PostgreSQL 15 (the unit tests of
# PG_UNITS, the command line, the HTTP suite): a private server
# tests/pg/pg.sh starts (initdb and pg_ctl as an unprivileged user, Unix
# socket only, in a temporary directory) and stops afterwards; each store
# a test opens is a new database on it (tests/unit/helpers.c).
PG_UNITS="store logbook cases handover assets vuln_intel findings report_read asset_links finding_cases outbox risks exceptions policies web monitor"
pg_suite() { # pg_suite BUILD_DIR TAG
	dir=$1
	tag=$2
	pgdir=$(mktemp -d /tmp/sigap-pg-XXXXXX)
	if ! url=$(tests/pg/pg.sh start "$pgdir" 2>"$ART/pg-start.log"); then
		failed=$((failed + 1))
		echo "FAIL $tag: PostgreSQL did not start"
		sed 's/^/    /' "$ART/pg-start.log"
		tests/pg/pg.sh stop "$pgdir"
		return
	fi
	for t in $PG_UNITS; do
		SIGAP_TEST_PG="${url#*\?}" run_tap "$tag-$t" "$dir/tests/test_$t"
	done
	SIGAP_TEST_PG="${url#*\?}" run_tap "$tag-cli" sh tests/cli/test_cli.sh "$ROOT/$dir/sigap"
	SIGAP_TEST_PG="${url#*\?}" run_tap "$tag-cli-db" sh tests/cli/test_db.sh "$ROOT/$dir/sigap"
	SIGAP_TEST_PG="${url#*\?}" SIGAP_BIN="$ROOT/$dir/sigap" run_tap "$tag-http" \
		node --test --test-reporter=tap $HTTP_TESTS
	tests/pg/pg.sh stop "$pgdir"
}

if build build-test; then
	suite build-test unit
	pg_suite build-test pg
else
	failed=$((failed + 1))
	echo "FAIL build-test: build failed"
fi
if build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug; then
	suite build-asan asan
else
	failed=$((failed + 1))
	echo "FAIL build-asan: build failed"
fi

# libFuzzer harnesses (tests/fuzz), one a parser, each for FUZZ_SECONDS
# from seeds taken from the project's own files; a crash, a sanitizer
# report or a broken invariant fails the harness, and its input is kept in
# tests/artifacts/fuzz-NAME/.
FUZZ_SECONDS=${FUZZ_SECONDS:-8}
fuzz_one() { # fuzz_one NAME: speaks TAP
	name=$1
	corpus="$ART/fuzz-$name/corpus"
	mkdir -p "$corpus"
	case $name in
	syslog | cef | json | line)
		i=0
		while IFS= read -r l; do
			i=$((i + 1))
			printf '%s' "$l" >"$corpus/seed$i"
		done <tests/fuzz/seeds/events.log ;;
	sigma) cp rules/*.yml "$corpus/" ;;
	regex) cp tests/fuzz/seeds/regex/* "$corpus/" ;;
	stix) cp tests/data/intel/bundle.json "$corpus/" ;;
	misp) cp tests/data/intel/misp-feed/*-*.json "$corpus/" ;;
	lists) cp tests/data/intel/list.csv tests/data/intel/list.txt "$corpus/" ;;
	csv) cp tests/data/assets/*.csv "$corpus/" ;;
	cve5) cp tests/data/vuln/intel/cve-*.json "$corpus/" ;;
	kev) cp tests/data/vuln/intel/kev.json tests/data/vuln/intel/kev.csv "$corpus/" ;;
	epss) cp tests/data/vuln/intel/epss.csv tests/data/vuln/intel/epss.csv.gz "$corpus/" ;;
	vuln_openvas) cp tests/data/vuln/scanners/openvas* tests/data/vuln/scanners/no_oid.xml tests/data/vuln/scanners/bad.csv "$corpus/" ;;
	vuln_nmap) cp tests/data/vuln/scanners/nmap.xml tests/data/vuln/scanners/bad_tag.xml "$corpus/" ;;
	vuln_nuclei) cp tests/data/vuln/scanners/nuclei* tests/data/vuln/scanners/bad.jsonl "$corpus/" ;;
	vuln_wpscan) cp tests/data/vuln/scanners/wpscan.json "$corpus/" ;;
	vuln_auto) cp tests/data/vuln/scanners/* "$corpus/" ;;
	tmpl) cp tests/fuzz/seeds/tmpl/* templates/*.tmpl "$corpus/" ;;
	mime) cp tests/fuzz/seeds/mime/* "$corpus/" ;;
	monitor)
		for d in tests/data/monitor/*/; do cp "$d/index.html" "$corpus/$(basename "$d").html"; done ;;
	esac
	if (cd "$ART/fuzz-$name" && "$ROOT/build-fuzz/tests/fuzz/fuzz_$name" -max_total_time="$FUZZ_SECONDS" \
		-max_len=65536 -timeout=10 -rss_limit_mb=2048 corpus >log 2>&1); then
		runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$ART/fuzz-$name/log")
		echo "ok 1 - fuzz_$name: $runs inputs, no crash"
	else
		echo "not ok 1 - fuzz_$name"
		grep -m5 -E 'ERROR|SUMMARY|runtime error' "$ART/fuzz-$name/log"
	fi
}
if ! command -v clang >/dev/null 2>&1; then
	echo "skip fuzz: clang is not installed (scripts/install-deps.sh --test installs it)"
	skipped=$((skipped + 1))
elif { [ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dtests=false -Dfuzz=true \
	-Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link \
	>"$ART/setup-build-fuzz.log" 2>&1; } && ninja -C build-fuzz >"$ART/build-build-fuzz.log" 2>&1; then
	for f in syslog cef json line sigma regex stix misp lists csv cve5 kev epss vuln_openvas vuln_nmap \
		vuln_nuclei vuln_wpscan vuln_auto tmpl mime textdiff monitor; do
		run_tap "fuzz-$f" fuzz_one "$f"
	done
else
	failed=$((failed + 1))
	echo "FAIL build-fuzz: build failed"
	tail -20 "$ART/build-build-fuzz.log"
fi

# Browser end-to-end tests (playwright-core, Debian's Chromium), once, on
# the optimised build; screenshots stay in tests/artifacts/e2e/.
if [ -x build-test/sigap ]; then
	SIGAP_BIN="$ROOT/build-test/sigap" run_tap e2e node --test --test-reporter=tap \
		tests/e2e/test_incident.mjs tests/e2e/test_triage.mjs tests/e2e/test_layout.mjs \
		tests/e2e/test_actors.mjs tests/e2e/test_assets.mjs tests/e2e/test_findings.mjs \
		tests/e2e/test_registers.mjs tests/e2e/test_monitor.mjs
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
