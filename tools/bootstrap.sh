#!/bin/bash
# bootstrap.sh: set up a fresh Debian 12 machine for Rosh and build it.
#   bootstrap.sh deps     install the packages the build and the tests use
#   bootstrap.sh build    configure and build in _build/ (and _build-asan/ with
#                         asan, or _build-fast/ with AES-NI wolfSSL with fast)
#   bootstrap.sh console  deps + build, start the engine (roshd) on the default
#                         database unless it runs already, then open the console
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

build() {	# build DIR [configure args]
	local dir=$1; shift
	[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi > /dev/null 2>&1)
	mkdir -p "$top/$dir"
	(cd "$top/$dir" && { [ -f Makefile ] || "$top/configure" -q "$@"; } && make -s -j2)
}

case "${1:-console}" in
deps) deps ;;
build)
	build _build
	case "${2:-}" in
	asan) build _build-asan --enable-sanitize ;;
	# Debian's wolfSSL source rebuilt with AES-NI, linked statically
	fast) build _build-fast --with-wolfssl="$("$top/tools/wolfssl-aesni.sh")" ;;
	esac
	;;
console)
	deps
	build _build
	if [ "$(id -u)" = 0 ] && ! "$top/_build/rosh" -c ':put ok' > /dev/null 2>&1; then
		echo "bootstrap: can not open the default database" >&2
		exit 1
	fi
	if [ "$(id -u)" = 0 ] && ! [ -S /run/rosh/roshd.sock ]; then
		"$top/_build/roshd" --daemon --log-level info
		sleep 0.5
	fi
	exec "$top/_build/rosh"
	;;
*) echo "usage: bootstrap.sh deps|build [asan|fast]|console" >&2; exit 2 ;;
esac
