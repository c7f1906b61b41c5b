# A thin front for meson + ninja, so the README's two commands do all the
# set-up on a fresh Debian 12 machine.
#
#   make run     install what is missing, build, create ./var/sigap.db with
#                demo data when it is new, and serve http://127.0.0.1:8080
#   make test    install what is missing and run every test
#   make bench   the web benchmark (bench/web.sh): 100,000 cases, wrk;
#                the detection benchmark (bench/detect.sh): 1,000,000 events;
#                the live pipeline (bench/ingest.sh): syslog TCP to alerts;
#                the alert list (bench/alerts.sh): 10,000,000 alerts (ALERTS=N);
#                scanner reports (bench/vuln.sh): parsing and importing 100,000
#                OpenVAS results; the findings list (bench/findings.sh):
#                1,000,000 findings at 64 connections (FINDINGS=N); both stores
#                (bench/stores.sh): SQLite, PostgreSQL, three nodes behind HAProxy
#   make build   build only (./build/sigap)
#   make install meson install under /usr (/usr/bin/sigap, /etc/sigap/sigap.conf,
#                /usr/share/sigap, the man pages, the systemd unit); DESTDIR
#                is honoured. The Debian package: dpkg-buildpackage -us -uc

SIGAP := ./build/sigap

.PHONY: all build run test bench deps test-deps clean install

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	@[ -f build/build.ninja ] || meson setup build -Dtests=false >/dev/null
	@ninja -C build >/dev/null

run: build
	@$(SIGAP) init --demo
	@echo
	@echo "sigap: open http://127.0.0.1:8080 and sign in with a demo user above"
	@echo "       (password sigap-demo-2026); the public report form is /lapor."
	@echo "       Stop with Ctrl-C."
	@exec $(SIGAP) serve --listen 127.0.0.1:8080

test: test-deps
	@tests/run.sh

install: build
	@meson configure build --prefix=/usr >/dev/null
	@ninja -C build >/dev/null
	@meson install -C build --no-rebuild

bench: build
	@scripts/install-deps.sh --bench
	@ninja -C build sigap-fill sigap-fill-alerts sigap-gen-events sigap-gen-openvas sigap-vuln-parse \
		sigap-fill-findings sigap-findings-list >/dev/null
	@bench/web.sh
	@bench/detect.sh
	@bench/ingest.sh
	@bench/alerts.sh
	@bench/vuln.sh
	@bench/findings.sh
	@bench/stores.sh
	@bench/monitor.sh

clean:
	rm -rf build build-test build-asan
