#!/bin/bash
# test-crypto-path.sh: the same binary on a CPU without AES-NI. With the
# default wolfSSL (AES-NI and the x86-64 assembly), --version names the
# AES code this CPU runs; ROSH_CRYPTO=portable takes wolfSSL's C code, as a
# CPU without AES-NI, PCLMULQDQ or kernel AVX support does (pki/cpu.c). A
# backup sealed by one path (AES-256-GCM, PBKDF2-SHA256) must open with the
# other, both ways, and a wrong password must be refused by both.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fast=$("$ROSH" --version)
slow=$(ROSH_CRYPTO=portable "$ROSH" --version)
echo "default: $fast"
echo "portable: $slow"
case $fast in
*"portable C"*)
	echo "skip: this build's wolfSSL has no AES-NI code (configure --with-wolfssl=system), nothing to fall back from"
	exit 77 ;;
esac
grep -qw aes /proc/cpuinfo && { [[ $fast == *AES-NI* ]] || { echo "FAIL: a CPU with AES-NI, a build with it, and --version does not say so"; exit 1; }; }
[[ $slow == *"portable C"* ]] || { echo "FAIL: ROSH_CRYPTO=portable did not take the C code"; exit 1; }

# rosh taking the fast (default) or the slow (portable C) path
as() {
	local path=$1; shift
	if [ "$path" = slow ]; then ROSH_CRYPTO=portable "$ROSH" "$@"; else "$ROSH" "$@"; fi
}

# $1 seals with its path, $2 opens with its own
cross() {
	local db=$T/$1-$2/config.db
	mkdir -p "${db%/*}"
	"$ROSH" --db "$db" -c "/system identity set name=sealed-by-$1" > /dev/null
	as "$1" --db "$db" -c "/system backup save name=b password=pw1" > /dev/null ||
		{ echo "FAIL: $1 could not save"; exit 1; }
	"$ROSH" --db "$db" -c '/system identity set name=changed' > /dev/null
	out=$(as "$2" --db "$db" -c '/system backup load name=b password=wrong' 2>&1) &&
		{ echo "FAIL: $2 loaded $1's backup with a wrong password"; exit 1; }
	echo "$out" | grep -q "wrong password" || { echo "FAIL: $2, wrong password: $out"; exit 1; }
	as "$2" --db "$db" -c '/system backup load name=b password=pw1' > /dev/null ||
		{ echo "FAIL: $2 could not open $1's backup"; exit 1; }
	got=$("$ROSH" --db "$db" -c ':put [/system identity get name]')
	[ "$got" = "sealed-by-$1" ] || { echo "FAIL: $1 -> $2: identity $got"; exit 1; }
	echo "sealed by $1, opened by $2: ok"
}
cross fast slow
cross slow fast
