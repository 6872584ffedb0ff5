# shellcheck shell=bash
# lib.sh: what the namespace benchmarks (tunnel.sh, clients.sh, cores.sh)
# share: their processes kept by PID and stopped, their namespaces and
# work folder removed on any exit, and small readers of /proc. The script
# sets NS_S, NS_C, VS (a veth end it made, or empty), W, BUILD, PIDS and
# BROKEN first, then sources this.

cleanup() {
	local p alive
	for p in $PIDS; do kill "$p" 2> /dev/null; done
	for _ in $(seq 20); do
		alive=0
		for p in $PIDS; do kill -0 "$p" 2> /dev/null && alive=1; done
		[ "$alive" = 0 ] && break
		sleep 0.3
	done
	for p in $PIDS; do kill -9 "$p" 2> /dev/null; done
	ip netns del "$NS_S" 2> /dev/null
	ip netns del "$NS_C" 2> /dev/null
	[ -n "${VS:-}" ] && ip link del "$VS" 2> /dev/null
	if [ -n "${KEEP:-}" ]; then echo "files kept in $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*"; }
broken() { say "BROKEN: $*"; BROKEN=$((BROKEN + 1)); }
ns_s() { ip netns exec "$NS_S" "$@"; }
ns_c() { ip netns exec "$NS_C" "$@"; }
rosh() { "$BUILD/rosh" --db "$W/db/config.db" --socket "$W/roshd.sock" "$@"; }
track() { PIDS="$PIDS $1"; }
untrack() { PIDS=$(printf '%s\n' $PIDS | grep -vx "$1" | tr '\n' ' '); }

# stop PID: TERM, wait up to 10 s, then KILL; forget it
stop_pid() {
	[ -n "${1:-}" ] || return 0
	kill "$1" 2> /dev/null
	for _ in $(seq 100); do kill -0 "$1" 2> /dev/null || break; sleep 0.1; done
	kill -9 "$1" 2> /dev/null
	wait "$1" 2> /dev/null
	untrack "$1"
}

# wait_for FILE PATTERN SECONDS
wait_for() {
	for _ in $(seq $(($3 * 10))); do
		grep -q "$2" "$1" 2> /dev/null && return 0
		sleep 0.1
	done
	return 1
}

# CPU ticks (utime+stime+cutime+cstime) of PID; empty when it is gone
ticks() { sed 's/^.*) //' "/proc/$1/stat" 2> /dev/null | awk '{print $12 + $13 + $14 + $15}'; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2> /dev/null; }
now() { date +%s.%N; }
