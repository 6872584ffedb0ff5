#!/bin/bash
# wolfssl-aesni.sh: build Debian 12's own wolfSSL source (5.5.4 with Debian's
# patches and configure flags) once more with AES-NI and the Intel assembly
# enabled, as a static library under PREFIX, for `configure --with-wolfssl=PREFIX`.
# Debian ships wolfSSL without AES-NI (its changelog says why: portability
# to old CPUs), which makes AES-GCM about 20x slower than this build.
#   tools/wolfssl-aesni.sh [PREFIX]        (default: _deps/wolfssl-aesni)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(realpath -m "${1:-$top/_deps/wolfssl-aesni}")
cache=$top/_deps/src
pool=http://deb.debian.org/debian/pool/main/w/wolfssl
orig=wolfssl_5.5.4.orig.tar.gz
deb=wolfssl_5.5.4-2+deb12u2.debian.tar.xz
# from bookworm's Sources index; a download that differs is refused
sum_orig=b7ee150e49def77c765bc02aac92ddeb0bebefd4cb12aa263d8f95e405221fb8
sum_deb=f19eb00d61dc48bce14e580848ece808f3d98295d057e695bea4053d694b5d36

# Debian's flags (debian/rules) plus AES-NI, the Intel assembly and the
# x86-64 single-precision P-256/RSA code that Debian leaves out; static, so
# the programs need no library path at run time.
flags="--enable-distro --enable-pkcs11 --disable-examples --enable-aesni --enable-intelasm
	--enable-sp --enable-sp-asm --enable-static --disable-shared"
# A peer's chain deeper than leaf + 3 authorities is refused: wolfSSL keeps
# room for two whole chains in every connection (2 x 9 x 2 KB by default),
# the largest part of a connected client's memory.
cflags="-O2 -fPIC -DMAX_CHAIN_DEPTH=4"
flags="$(echo $flags) CFLAGS=$cflags"
if [ -f "$prefix/lib/pkgconfig/wolfssl.pc" ] && [ "$(cat "$prefix/.rosh-built" 2> /dev/null)" = "$flags" ]; then
	echo "$prefix"
	exit 0
fi
grep -qw aes /proc/cpuinfo || { echo "wolfssl-aesni: this CPU has no AES-NI" >&2; exit 1; }

fetch() {	# fetch FILE SHA256
	[ -f "$cache/$1" ] && echo "$2  $cache/$1" | sha256sum -c --quiet 2> /dev/null && return 0
	curl -fsS -o "$cache/$1.part" "$pool/$1" || { echo "wolfssl-aesni: can not download $pool/$1" >&2; return 1; }
	echo "$2  $cache/$1.part" | sha256sum -c --quiet ||
		{ echo "wolfssl-aesni: $1 does not match Debian's checksum" >&2; return 1; }
	mv "$cache/$1.part" "$cache/$1"
}

mkdir -p "$cache"
fetch "$orig" "$sum_orig"
fetch "$deb" "$sum_deb"

work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar xzf "$cache/$orig" -C "$work"
src=$work/wolfssl-5.5.4-stable
tar xJf "$cache/$deb" -C "$src"
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	patch -s -p1 -d "$src" < "$src/debian/patches/$p"
done < "$src/debian/patches/series"

cd "$src"
./autogen.sh > /dev/null 2>&1 || autoreconf -fi > /dev/null 2>&1
# shellcheck disable=SC2086
./configure -q --prefix="$prefix" ${flags% CFLAGS=*} CFLAGS="$cflags" > /dev/null
make -s -j"$(nproc)" > /dev/null 2>&1
make -s install > /dev/null
# as Debian's libwolfssl-dev does: the options the library was built with
# must be the ones its users compile with (struct Aes differs with AES-NI)
cp wolfssl/options.h "$prefix/include/wolfssl/options.h"
# --enable-distro builds the shared library too; only the static one is used
rm -f "$prefix"/lib/libwolfssl.so*
echo "$flags" > "$prefix/.rosh-built"
echo "$prefix"
