#!/bin/sh
# install-conf.sh BUILT SYSCONFDIR: meson install's step for
# SYSCONFDIR/sigap/sigap.conf (make install, the Debian package). A
# configuration already there is the sysadmin's and is kept: the shipped
# one goes beside it as sigap.conf.dist. It holds passwords and secrets,
# so it is readable by root and, on a live system with the user, the
# group sigap (the service) alone: 0640 root:sigap.
set -eu
built=$1
dir="${DESTDIR:-}$2/sigap"
install -d -m 0755 "$dir"
if [ -e "$dir/sigap.conf" ]; then
	install -m 0640 "$built" "$dir/sigap.conf.dist"
	echo "sigap: $dir/sigap.conf is kept; the shipped configuration is $dir/sigap.conf.dist"
	exit 0
fi
install -m 0640 "$built" "$dir/sigap.conf"
if [ -z "${DESTDIR:-}" ] && getent group sigap >/dev/null 2>&1; then
	chgrp sigap "$dir/sigap.conf"
fi
