#!/bin/bash
# hs_load_build.sh: builds bench/hs_load against a build folder's libovpn.a,
# with the wolfSSL, LZO and LZ4 flags that build's Makefile used (libovpn.a's
# structures must match the headers it was compiled with; a sanitizer build
# needs its runtime, hence its LDFLAGS). Used by tunnel.sh and clients.sh.
# Usage: bash bench/hs_load_build.sh BUILD_DIR OUT [CC-LOG]; exit 0 when built.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
BUILD=$1
OUT=$2
LOG=${3:-/dev/stderr}

mk() { sed -n "s/^$1 = //p" "$BUILD/Makefile" 2> /dev/null; }
[ -f "$BUILD/libovpn.a" ] || { echo "hs_load_build: $BUILD/libovpn.a is not built" > "$LOG"; exit 1; }
cflags="$(mk WOLFSSL_CFLAGS) $(mk LZO_CFLAGS) $(mk LZ4_CFLAGS)"
libs="$(mk WOLFSSL_LIBS) $(mk LZO_LIBS) $(mk LZ4_LIBS) $(mk LDFLAGS)"
if [ -z "$(mk WOLFSSL_LIBS)" ]; then
	cflags="$cflags $(pkg-config --cflags wolfssl)"
	libs="$libs $(pkg-config --libs wolfssl)"
fi
# shellcheck disable=SC2086
gcc -O2 -Wall -Wextra -std=c11 -D_GNU_SOURCE $cflags -I"$top/engine/ovpn" -I"$top/tests" \
	"$here/hs_load.c" "$here/hs_ping.c" "$BUILD/libovpn.a" $libs -o "$OUT" 2> "$LOG"
