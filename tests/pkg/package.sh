#!/bin/bash
# package.sh: the Debian package end to end (run once by .ci/run, not by
# make check: both CI suites at once would install the same package). Builds it with
# dpkg-buildpackage in a copy of the tree (the wolfSSL of _deps/ is reused
# when there), runs lintian on it (errors and warnings fail), installs it
# with dpkg -i, checks the installed paths (programs, man pages, the unit,
# /var/lib/rosh 0700), runs the installed rosh on the default database,
# starts the installed roshd with --daemon (in a network namespace of its
# own) and stops it with --stop, then purges the package and checks that
# nothing it installed or made is left.
# Skips (77) without root or dpkg-buildpackage, and when it would touch
# what is not its own: an installed rosh package, /var/lib/rosh, a roshd
# running on /run/rosh.
set -u
[ "$(id -u)" = 0 ] || { echo "skip: installing a package needs root"; exit 77; }
command -v dpkg-buildpackage > /dev/null || { echo "skip: dpkg-buildpackage is not installed (dpkg-dev)"; exit 77; }
command -v dh > /dev/null || { echo "skip: debhelper is not installed"; exit 77; }
dpkg-query -W -f='${Status}' rosh 2> /dev/null | grep -q installed &&
	{ echo "skip: a rosh package is installed already; this test would replace and purge it"; exit 77; }
[ -e /var/lib/rosh ] && { echo "skip: /var/lib/rosh exists; purging the package would delete that database"; exit 77; }
[ -e /run/rosh/roshd.sock ] || [ -e /run/rosh/roshd.pid ] &&
	{ echo "skip: a roshd runs on /run/rosh; the installed one would take its socket"; exit 77; }

T=$(mktemp -d /tmp/rosh-pkg.XXXXXX)
installed=0
cleanup() {
	[ -f /run/rosh/roshd.pid ] && /usr/sbin/roshd --stop > /dev/null 2>&1
	[ $installed = 1 ] && dpkg --purge rosh > /dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# the tree without builds, caches or git; the wolfSSL built already
mkdir -p "$T/src/_deps"
tar -C "$SRC" --exclude=./.git --exclude='./_build*' --exclude=./_deps --exclude=./debian/rosh \
	--exclude=./debian/.debhelper -cf - . | tar -C "$T/src" -xf -
[ -d "$SRC/_deps/wolfssl-aesni" ] && cp -a "$SRC/_deps/wolfssl-aesni" "$T/src/_deps/"
start=$(date +%s)
(cd "$T/src" && dpkg-buildpackage -us -uc -b > "$T/build.log" 2>&1) ||
	{ tail -30 "$T/build.log"; fail "dpkg-buildpackage"; }
deb=$(ls "$T"/rosh_*.deb | head -1)
echo "built $(basename "$deb") in $(($(date +%s) - start)) s, $(stat -c %s "$deb") bytes"
if command -v lintian > /dev/null; then
	lintian --fail-on error,warning "$T"/rosh_*.changes > "$T/lintian.log" 2>&1 ||
		{ cat "$T/lintian.log"; fail "lintian"; }
	echo "lintian: clean ($(wc -l < "$T/lintian.log") lines of info)"
else
	echo "lintian not installed: not run"
fi

dpkg -i "$deb" > "$T/install.log" 2>&1 || { cat "$T/install.log"; fail "dpkg -i"; }
installed=1
dpkg -L rosh > "$T/files"
for f in /usr/bin/rosh /usr/sbin/roshd /lib/systemd/system/roshd.service \
	/usr/share/man/man1/rosh.1.gz /usr/share/man/man8/roshd.8.gz \
	/usr/share/man/man7/rosh-menus.7.gz /usr/share/rosh/schemas/system.schema; do
	grep -qx "$f" "$T/files" || fail "the package has no $f"
done
[ "$(stat -c %a /var/lib/rosh)" = 700 ] || fail "/var/lib/rosh is $(stat -c %a /var/lib/rosh), not 0700"
if command -v systemd-analyze > /dev/null; then
	systemd-analyze verify /lib/systemd/system/roshd.service || fail "systemd-analyze verify"
fi
man -w rosh > /dev/null 2>&1 || ! command -v man > /dev/null || fail "man rosh finds nothing"

out=$(rosh -c '/system resource print') || fail "rosh: $out"
echo "$out"
ver=$(dpkg-query -W -f='${Version}' rosh)
echo "$out" | grep -qE "^ *version: ${ver%-*}$" || fail "/system resource print does not show ${ver%-*}"
[ -f /var/lib/rosh/config.db ] || fail "rosh made no /var/lib/rosh/config.db"

unshare -n /usr/sbin/roshd --daemon --log-level warning || fail "roshd --daemon"
pid=$(cat /run/rosh/roshd.pid) || fail "no /run/rosh/roshd.pid"
[ "$(cat /proc/"$pid"/comm)" = roshd ] || fail "the pid file names no roshd"
/usr/sbin/roshd --stop || fail "roshd --stop"
kill -0 "$pid" 2> /dev/null && fail "roshd $pid still runs"

dpkg --purge rosh > "$T/purge.log" 2>&1 || { cat "$T/purge.log"; fail "dpkg --purge"; }
installed=0
while read -r f; do
	[ -d "$f" ] && continue	# folders (and /lib, a link to one) shared with others
	[ -e "$f" ] || [ -L "$f" ] && fail "$f is left after purge"
done < "$T/files"
for d in /var/lib/rosh /run/rosh /usr/share/rosh /usr/share/doc/rosh; do
	[ -e "$d" ] && fail "$d is left after purge"
done
echo "purged: nothing left"
exit 0
