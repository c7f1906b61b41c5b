# A thin front for meson + ninja, so the README's two commands do all the
# set-up on a fresh Debian 12 machine.
#
#   make run     install what is missing, build, create ./var/sigap.db with
#                demo data, and show the demo case and the logbook check
#   make test    install what is missing and run every test
#   make build   build only (./build/sigap)

SIGAP := ./build/sigap

.PHONY: all build run test deps test-deps clean

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
	@$(SIGAP) case show "$$($(SIGAP) case list --sop insiden --tickets | tail -n 1)"
	@echo
	@$(SIGAP) logbook verify

test: test-deps
	@tests/run.sh

clean:
	rm -rf build build-test build-asan
