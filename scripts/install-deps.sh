#!/bin/sh
# install-deps.sh: installs the Debian packages sigap needs to build, run and
# test, and nothing else. Idempotent: a package already installed is not
# touched, and when nothing is missing apt is never called.
#
#   scripts/install-deps.sh          build + run dependencies
#   scripts/install-deps.sh --test   also the test tools: cmocka, gettext
#                                    (catalog checks), clang with libFuzzer
#                                    (the fuzz harnesses), Node.js and npm,
#                                    Debian's Chromium for the browser tests,
#                                    rsyslog with RELP (a real sender for the
#                                    crash tests and the forwarding test,
#                                    tests/http/test_rsyslog.mjs), curl (the
#                                    Wazuh integration's tests), python3
#                                    (the local HTTP server of sigap vuln
#                                    intel update's CLI test), aiosmtpd (the
#                                    SMTP server of the e-mail notification
#                                    test), Dovecot (the IMAP server of the
#                                    mail intake's tests, tests/imap/),
#                                    PostgreSQL 15 and HAProxy (the
#                                    store and node tests), nginx (the
#                                    fixture sites of the website
#                                    monitor's tests), systemd's
#                                    systemd-analyze (the unit's checks,
#                                    tests/cli/test_service.sh), debhelper,
#                                    lintian and man-db (the Debian package,
#                                    tests/cli/test_package.sh); logger
#                                    (bsdutils) is essential; then the npm
#                                    packages of package-lock.json
#   scripts/install-deps.sh --bench  also wrk, time, sqlite3 and nginx, for make bench
set -eu
cd "$(dirname "$0")/.."

BUILD="gcc meson ninja-build pkg-config libsqlite3-dev libyaml-dev libsodium-dev
libjansson-dev libinih-dev libmicrohttpd-dev libhyperscan-dev libpcre2-dev zlib1g-dev libxml2-dev
libcurl4-openssl-dev libssl-dev libpq-dev libcairo2-dev libpango1.0-dev libqrencode-dev libcmark-dev
libseccomp-dev
fonts-dejavu-core"
TEST="libcmocka-dev sqlite3 gettext nodejs chromium openssl clang libclang-rt-14-dev
rsyslog rsyslog-relp curl python3 python3-aiosmtpd dovecot-imapd postgresql-15 haproxy
nginx poppler-utils zbar-tools systemd debhelper lintian man-db"
BENCH="wrk curl time sqlite3 postgresql-15 haproxy nginx python3"

want="$BUILD"
npm_ci=no
for arg in "$@"; do
	case "$arg" in
	--test) want="$want $TEST"; npm_ci=yes ;;
	--bench) want="$want $BENCH" ;;
	-h|--help) sed -n '2,26p' "$0"; exit 0 ;;
	*) echo "install-deps.sh: unknown option: $arg" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
# Debian's nodejs comes without npm; NodeSource's includes it.
if [ "$npm_ci" = yes ] && ! command -v npm >/dev/null 2>&1; then
	missing="$missing npm"
fi

install_npm() {
	# playwright-core, pinned by package-lock.json; only when it changed.
	if [ "$npm_ci" = yes ] && { [ ! -f node_modules/.package-lock.json ] ||
		[ package-lock.json -nt node_modules/.package-lock.json ]; }; then
		npm ci --no-audit --no-fund --loglevel=error
	fi
}
if [ -z "$missing" ]; then
	install_npm
	exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
install_npm
