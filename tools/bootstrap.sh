#!/bin/bash
# bootstrap.sh: set up a fresh Debian 12 machine for Rosh and build it.
#   bootstrap.sh deps     install the packages the build and the tests use
#   bootstrap.sh build    build wolfSSL from Debian's source with AES-NI (once,
#                         into _deps/), configure and build in _build/ (and
#                         _build-asan/ with asan, or _build-system/ on Debian's
#                         shared wolfSSL with system)
#   bootstrap.sh console  deps + build, start the engine (roshd --daemon, its
#                         pid in /run/rosh/roshd.pid) unless it runs already,
#                         then open the console; `_build/roshd --stop` stops it
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

deps() {
	local pkgs
	pkgs=$(cat "$top/tools/packages.txt")	# the one list, shared with .ci/run
	local missing=""
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing > /dev/null
}

# The default wolfSSL: Debian's source rebuilt with AES-NI and the x86-64
# assembly, static, under _deps/ (kept between builds and runs).
wolfssl() {
	case $(uname -m) in
	x86_64) "$top/tools/wolfssl-aesni.sh" > /dev/null ;;
	*) echo "--with-wolfssl=system" ;;	# the assembly is x86-64's
	esac
}

build() {	# build DIR [configure args]
	local dir=$1; shift
	[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi > /dev/null 2>&1)
	mkdir -p "$top/$dir"
	(cd "$top/$dir" && { [ -f Makefile ] || "$top/configure" -q "$@"; } && make -s -j2)
}

case "${1:-console}" in
deps) deps ;;
build)
	# shellcheck disable=SC2046
	build _build $(wolfssl)
	# shellcheck disable=SC2046
	case "${2:-}" in
	# the same static wolfSSL: its code is not instrumented, ours is
	asan) build _build-asan --enable-sanitize $(wolfssl) ;;
	system) build _build-system --with-wolfssl=system ;;
	esac
	;;
console)
	deps
	# shellcheck disable=SC2046
	build _build $(wolfssl)
	if [ "$(id -u)" = 0 ] && ! "$top/_build/rosh" -c ':put ok' > /dev/null 2>&1; then
		echo "bootstrap: can not open the default database" >&2
		exit 1
	fi
	if [ "$(id -u)" = 0 ] && ! [ -S /run/rosh/roshd.sock ]; then
		# returns once the configuration is applied; the pid file is
		# for `roshd --stop`
		"$top/_build/roshd" --daemon --pidfile /run/rosh/roshd.pid --log-level info
		echo "bootstrap: roshd runs (pid $(cat /run/rosh/roshd.pid)); stop it with: $top/_build/roshd --stop"
	fi
	exec "$top/_build/rosh"
	;;
*) echo "usage: bootstrap.sh deps|build [asan|system]|console" >&2; exit 2 ;;
esac
