#!/bin/bash
# test-resource.sh: /system resource print shows this program's version (the
# one in configure.ac, which --version shows too) and this machine's facts,
# computed when read: never stored, never exported, never set.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
r() { "$ROSH" --db "$T/config.db" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
want=$(sed -nE 's/^AC_INIT\(\[rosh\], \[([^]]+)\].*/\1/p' "$SRC/configure.ac")
[ -n "$want" ] || fail "no version in configure.ac"
out=$(r -c '/system resource print') || fail "print: $out"
echo "$out"
get() { echo "$out" | sed -nE "s/^ *$1: (.*)$/\1/p"; }
[ "$(get version)" = "$want" ] || fail "version $(get version), configure.ac says $want"
r --version | grep -q "^rosh $want " || fail "rosh --version: $(r --version)"
[ "$(get cpu-count)" = "$(nproc)" ] || fail "cpu-count $(get cpu-count), nproc says $(nproc)"
[ "$(get architecture-name)" = "$(uname -m)" ] || fail "architecture-name $(get architecture-name)"
[[ $(get total-memory) =~ ^[0-9]+\.[0-9]MiB$ ]] || fail "total-memory $(get total-memory)"
[[ $(get uptime) =~ ^([0-9]+[wdhms])+$ ]] || fail "uptime $(get uptime)"
[ -n "$(get board-name)" ] || fail "no board-name"
[[ $(get cpu-load) =~ ^[0-9]+%$ ]] || fail "cpu-load $(get cpu-load)"
if grep -q '^model name' /proc/cpuinfo; then [ -n "$(get cpu)" ] || fail "no cpu model"; fi

# /system resource cpu: a row per processor; one kept busy shows it
[ "$(r -c '/system resource cpu print count-only')" = "$(nproc)" ] ||
	fail "cpu rows: $(r -c '/system resource cpu print count-only'), nproc says $(nproc)"
last=$(($(nproc) - 1))
busy=""
if command -v taskset > /dev/null; then
	taskset -c "$last" timeout 10 sh -c 'while :; do :; done' &
	busy=$!
	sleep 0.5
fi
cpus=$(r -c '/system resource cpu print as-value')
[ -n "$busy" ] && kill "$busy" 2> /dev/null
echo "$cpus"
n=0
while read -r row; do
	[[ $row =~ cpu=cpu([0-9]+)\;load=([0-9]+)%\;irq=[0-9]+%\;disk=[0-9]+%$ ]] || fail "cpu row: $row"
	n=$((n + 1))
	# the processor running the loop was busy the whole time
	if [ -n "$busy" ] && [ "${BASH_REMATCH[1]}" = "$last" ] && [ "${BASH_REMATCH[2]}" -lt 50 ]; then
		fail "cpu$last ran a busy loop but shows load ${BASH_REMATCH[2]}%"
	fi
done < <(echo "$cpus" | tr -d ' "' | grep .)
[ "$n" = "$(nproc)" ] || fail "print as-value gave $n rows"
r -c '/system resource cpu add cpu=x' 2> /dev/null && fail "add accepted on /system resource cpu"

# computed when read: a second later the uptime has moved on
first=$(r -c ':put [/system resource get uptime]')
sleep 2
second=$(r -c ':put [/system resource get uptime]')
[ "$first" != "$second" ] || fail "uptime stood still: $first"
if msg=$(r -c '/system resource set cpu-count=64' 2>&1); then fail "set was accepted"; fi
echo "set refused: $msg"
r -c '/export verbose' | grep -q "resource\|cpu-count" && fail "export shows /system resource"
exit 0
