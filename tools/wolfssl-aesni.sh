#!/bin/bash
# wolfssl-aesni.sh: build Debian 12's own wolfSSL source (5.5.4 with Debian's
# patches) once more with AES-NI and the Intel assembly enabled and with the
# features Rosh uses (not Debian's --enable-distro, see below), as a static
# library under PREFIX, for `configure --with-wolfssl=PREFIX`.
# Debian ships wolfSSL without AES-NI (its changelog says why: portability
# to old CPUs), which makes AES-GCM about 20x slower than this build.
#   tools/wolfssl-aesni.sh [PREFIX]        (default: _deps/wolfssl-aesni)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(realpath -m "${1:-$top/_deps/wolfssl-aesni}")
cache=$top/_deps/src
# Debian 12's wolfSSL source package, fetched by apt from the machine's own
# Debian sources (a local mirror or proxy is honoured), checked against the
# signed Sources index, and unpacked with Debian's patches applied.
package=wolfssl
version=5.5.4

# Not Debian's flags (--enable-distro): they turn on OpenSSL's whole
# compatibility layer (OPENSSL_ALL decodes the peer certificate's public key
# into OpenSSL key objects), copies of the peer's chain in every session
# (SESSION_CERTS, twice with alternative chains) and post-handshake
# authentication (the handshake hashes are kept), which every TLS session
# holds for its whole life: some 36 KB of the 52 KB wolfSSL keeps for a
# connected client. What Rosh uses: TLS 1.2 and 1.3 with the RFC 5705 exporter,
# OpenSSL's X509 calls (opensslextra, the peer certificate kept; IP
# addresses among its names as text, which verify-x509-name matches), CRLs,
# certificate and request generation with extensions, key generation,
# PKCS#8/#12 and encrypted PEM keys (3DES, AES, PBKDF2), BER to DER (PKCS#12
# from some tools), DES and MD4 (MS-CHAPv2), AES-CTR (tls-crypt), AES
# direct and ECB, ChaCha20-Poly1305, P-256/384/521, X25519 and Ed25519; plus AES-NI, the Intel assembly and the x86-64 single-precision
# P-256/RSA code that Debian leaves out; static, so the programs need no
# library path at run time.
flags="--disable-examples --disable-crypttests --enable-tls13 --enable-opensslextra
	--enable-keying-material --enable-crl --enable-certgen --enable-certreq --enable-certext
	--enable-keygen --enable-pkcs12 --enable-pkcs7 --enable-pwdbased --enable-des3 --enable-md4
	--enable-aescbc --enable-aesctr --enable-aesgcm --enable-chacha --enable-poly1305
	--enable-ecc --enable-curve25519 --enable-ed25519 --enable-supportedcurves
	--enable-altcertchains --enable-hkdf --enable-sha224 --enable-sha384 --enable-sha512
	--enable-sha3 --enable-aesni --enable-intelasm --enable-sp --enable-sp-asm --enable-static
	--disable-shared"
# what has no configure switch of its own
cflags="-O2 -fPIC -DKEEP_PEER_CERT -DWOLFSSL_ALT_NAMES -DWOLFSSL_DER_LOAD -DHAVE_EX_DATA
	-DWOLFSSL_AES_DIRECT -DHAVE_AES_ECB -DWOLFSSL_DES_ECB -DASN_BER_TO_DER
	-DWOLFSSL_CERT_NAME_ALL -DWOLFSSL_MULTI_ATTRIB -DWOLFSSL_IP_ALT_NAME"
cflags=$(echo $cflags)
flags="$(echo $flags) CFLAGS=$cflags"
if [ -f "$prefix/lib/pkgconfig/wolfssl.pc" ] && [ -f "$prefix/.rosh-source" ] &&
	[ "$(cat "$prefix/.rosh-built" 2> /dev/null)" = "$flags" ]; then
	echo "$prefix"
	exit 0
fi
# the machine building needs no AES-NI: the programs check the CPU they run
# on (pki/cpu.c) and take wolfSSL's C code where it is missing
[ "$(uname -m)" = x86_64 ] || { echo "wolfssl-aesni: the Intel assembly is x86-64's, this is $(uname -m)" >&2; exit 1; }
command -v libtoolize > /dev/null || { echo "wolfssl-aesni: needs libtool (apt-get install libtool)" >&2; exit 1; }
command -v dpkg-source > /dev/null || { echo "wolfssl-aesni: needs dpkg-dev (apt-get install dpkg-dev)" >&2; exit 1; }

. "$top/tools/apt-source.sh"

mkdir -p "$cache"
apt_src "$cache/apt" wolfssl-aesni
work=$(mktemp -d "$cache/build.XXXXXX")
chmod 755 "$work"	# apt downloads as its own user, _apt
trap 'rm -rf "$work"' EXIT
# apt-get source checks the files against the signed index; dpkg-source
# unpacks them and applies Debian's patches
(cd "$work" && $APT source "$package" > source.log 2>&1) ||
	{ echo "wolfssl-aesni: apt-get source $package failed (see $work/source.log)" >&2; cat "$work/source.log" >&2; exit 1; }
src=$(find "$work" -maxdepth 1 -type d -name "$package-$version*" | head -1)
[ -n "$src" ] || { echo "wolfssl-aesni: apt brought no $package $version source" >&2; exit 1; }

# the source version, for a package's Built-Using
dsc=$(basename "$(ls "$work"/${package}_*.dsc | head -1)" .dsc)
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
echo "$package (= ${dsc#${package}_})" > "$prefix/.rosh-source"
echo "$flags" > "$prefix/.rosh-built"
echo "$prefix"
