#!/bin/sh
# test_package.sh: the Debian package as a sysadmin meets it: built by
# dpkg-buildpackage -us -uc from a copy of the source (a native source
# package and the binary one), its file list
# (the binary, the configuration as a conffile, the systemd unit, the
# manual pages, the shipped data), its dependencies from shlibs, lintian's
# report (no error), then installed into a root of its own (dpkg -x) and
# the installed binary started against a temporary configuration made
# from the installed one: init, config check, serve answering /healthz.
# Speaks TAP; skipped where debhelper or dpkg-buildpackage is missing.
#   tests/cli/test_package.sh
set -u
ROOT=${SIGAP_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/sigap-package-XXXXXX")
SERVE=
trap '[ -n "$SERVE" ] && kill $SERVE 2>/dev/null; rm -rf "$T"' EXIT
unset SIGAP_CONFIG SIGAP_SOPS SIGAP_DB
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
has() { # has NAME TEXT NEEDLE
	case "$2" in *"$3"*) ok "$1" ;; *) not_ok "$1: no '$3'"; printf '%s\n' "$2" | head -40 | sed 's/^/# /' ;; esac
}

if ! command -v dpkg-buildpackage >/dev/null 2>&1 || ! command -v dh >/dev/null 2>&1; then
	echo "ok 1 - the Debian package # SKIP dpkg-dev or debhelper is not installed"
	echo "1..1"
	exit 0
fi

# a copy of the source as git has it (no build directories)
mkdir -p "$T/src/sigap"
if git -C "$ROOT" rev-parse >/dev/null 2>&1; then
	git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
		grep -zv '^node_modules/' | (cd "$ROOT" && tar --null -T - -cf -) | tar -xf - -C "$T/src/sigap"
else
	(cd "$ROOT" && tar --exclude='./build*' --exclude=./node_modules --exclude=./var -cf - .) |
		tar -xf - -C "$T/src/sigap"
fi
if (cd "$T/src/sigap" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc) \
	>"$T/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc builds the source and binary packages"
else
	not_ok "dpkg-buildpackage"; tail -40 "$T/build.log" | sed 's/^/# /'
	echo "1..$n"
	exit 1
fi
DEB=$(ls "$T"/src/sigap_*_amd64.deb 2>/dev/null | head -1)
has "the source package is made too (native)" "$(ls "$T"/src)" "sigap_0.1.0.dsc"
files=$(dpkg-deb -c "$DEB" | awk '{print $6}')
for f in ./usr/bin/sigap ./etc/sigap/sigap.conf ./lib/systemd/system/sigap.service \
	./usr/share/man/man1/sigap.1.gz ./usr/share/man/man5/sigap.conf.5.gz \
	./usr/share/sigap/sops/insiden.yaml ./usr/share/sigap/rules/monitor/judi-online.yaml \
	./usr/share/sigap/integrations/wazuh/custom-sigap ./usr/share/doc/sigap/copyright; do
	has "the package holds $f" "$files" "$f"
done
has "the configuration is 0640 in the package (it holds secrets)" "$(dpkg-deb -c "$DEB" | grep ' ./etc/sigap/sigap.conf$')" "-rw-r----- root/root"
info=$(dpkg-deb -I "$DEB")
has "its dependencies come from the libraries it links (shlibs)" "$info" "libmicrohttpd12"
has "the service's user is made by adduser" "$info" "adduser"
has "the configuration is a conffile" "$(dpkg-deb -e "$DEB" "$T/control" && cat "$T/control/conffiles")" "/etc/sigap/sigap.conf"
has "postinst makes the system user sigap" "$(cat "$T/control/postinst")" "adduser --system --group"
if command -v lintian >/dev/null 2>&1; then
	# every tag, information included: none left unexplained (the ones
	# kept are overridden with their reason, debian/sigap.lintian-overrides)
	lintian -I --tag-display-limit 0 "$DEB" "$T"/src/sigap_*.dsc >"$T/lintian.txt" 2>&1
	tags=$(grep -c '^[EWI]: ' "$T/lintian.txt")
	if [ "$tags" -eq 0 ]; then
		ok "lintian -I: no tag on the binary or the source package, each kept one explained"
	else
		not_ok "lintian: $tags tags"
	fi
	sed 's/^/# lintian: /' "$T/lintian.txt"
else
	ok "lintian # SKIP lintian is not installed"
fi

# installed into a root of its own, and started
R="$T/root"
dpkg-deb -x "$DEB" "$R"
S="$R/usr/bin/sigap"
has "the installed binary runs" "$("$S" --version 2>&1)" "sigap 0.1.0"
has "installed as /usr/bin/sigap, it reads /etc/sigap/sigap.conf when no other is named" "$("$S" --help 2>&1)" "else, for /usr/bin/sigap, /etc/sigap/sigap.conf"
if command -v man >/dev/null 2>&1; then
	has "its manual page reads" "$(zcat "$R/usr/share/man/man1/sigap.1.gz" | man -l - 2>/dev/null | head -5)" "SIGAP(1)"
fi
has "sigap.conf(5) names the sections" "$(zcat "$R/usr/share/man/man5/sigap.conf.5.gz")" "[pantau]"
has "the installed configuration keeps the store in /var/lib/sigap" "$(cat "$R/etc/sigap/sigap.conf")" "path = /var/lib/sigap/sigap.db"
sed "s|/var/lib/sigap/sigap.db|$T/state/sigap.db|" "$R/etc/sigap/sigap.conf" >"$T/sigap.conf"
mkdir -p "$T/state"
export SIGAP_CONFIG="$T/sigap.conf"
if "$S" init >"$T/init.txt" 2>&1; then ok "sigap init creates the store"; else not_ok "sigap init"; sed 's/^/# /' "$T/init.txt"; fi
if "$S" config check >"$T/check.txt" 2>&1; then
	ok "sigap config check: the installed configuration has no problem"
else
	not_ok "sigap config check"; sed 's/^/# /' "$T/check.txt"
fi
"$S" serve --listen 127.0.0.1:0 --quiet >"$T/out.txt" 2>"$T/err.txt" &
SERVE=$!
i=0
while ! grep -q 'listening on' "$T/out.txt" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/out.txt" | head -1)
if [ -n "$port" ] && curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null | grep -q '"status":"ok"'; then
	ok "the installed sigap serve answers /healthz"
else
	not_ok "the installed sigap serve"; sed 's/^/# /' "$T/err.txt"
fi
kill -TERM $SERVE
wait $SERVE
rc=$?
SERVE=
if [ $rc -eq 0 ]; then ok "and stops cleanly"; else not_ok "exit $rc on SIGTERM"; fi

# make install (meson install) over an installation whose configuration
# the sysadmin edited: kept, the shipped one beside it; 0640, as it holds
# passwords
B=$(ls -d "$T"/src/sigap/obj-* 2>/dev/null | head -1)
if [ -n "$B" ] && DESTDIR="$T/mi" meson install -C "$B" --no-rebuild >"$T/mi.txt" 2>&1; then
	C="$T/mi/etc/sigap/sigap.conf"
	has "meson install puts the configuration 0640" "$(stat -c %a "$C")" "640"
	echo "# edited by the sysadmin" >>"$C"
	DESTDIR="$T/mi" meson install -C "$B" --no-rebuild >"$T/mi.txt" 2>&1
	has "a second install keeps the edited configuration" "$(tail -1 "$C")" "# edited by the sysadmin"
	has "and puts the shipped one beside it" "$(cat "$C.dist" 2>&1)" "path = /var/lib/sigap/sigap.db"
else
	not_ok "meson install into a DESTDIR"; sed 's/^/# /' "$T/mi.txt" 2>/dev/null
fi

echo "1..$n"
[ $fails -eq 0 ]
