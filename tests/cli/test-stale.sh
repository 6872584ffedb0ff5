#!/bin/bash
# test-stale.sh: what a killed roshd leaves is not shown as if it ran.
# roshd runs in a network namespace of its own (unshare -n: it sees only
# that namespace's lo) and reports its interfaces; killed with SIGKILL it
# cannot clear them. The console then finds no roshd on the socket: /interface
# shows no dynamic row and no R flag, and says the engine is not running;
# /ppp active hides a session row of the kind roshd writes; a monitor says
# the engine is not running. Restarted, roshd's rows are shown again.
set -u
[ "$(id -u)" = 0 ] || { echo "skip: roshd needs CAP_NET_ADMIN and a namespace (run as root)"; exit 77; }
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2> /dev/null; wait 2> /dev/null; rm -rf "$T"; }
trap cleanup EXIT
DB=$T/db/config.db
SOCK=$T/roshd.sock
FAILS=0
rosh() { "$ROSH" --db "$DB" --socket "$SOCK" "$@" 2>&1; }
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
start() {
	unshare -n sh -c 'ip link set lo up; exec "$0" "$@"' "$BUILD/roshd" --db "$DB" --socket "$SOCK" \
		--rosh "$ROSH" > "$T/roshd.log" 2>&1 &
	PID=$!
	for _ in $(seq 50); do
		rosh -c '/interface print' | grep -q ' lo ' && return 0
		sleep 0.1
	done
	fail "roshd did not report lo: $(tail -3 "$T/roshd.log")"
}

rosh -c '/interface ovpn-client add name=c1 connect-to=127.0.0.1 user=u password=p disabled=no' > /dev/null ||
	fail "setup"
start
out=$(rosh -c '/interface print')
echo "$out" | grep -qE '^ *[0-9]+ +R +lo ' && ok "roshd running: lo is running" ||
	fail "roshd running: $out"
kill -9 "$PID"
wait "$PID" 2> /dev/null
PID=
[ -n "$(sqlite3 "$DB" "SELECT name FROM rt_interface WHERE name = 'lo'")" ] ||
	fail "the killed roshd left no row (nothing stale to test)"
# a session row as roshd writes it, left by the killed roshd
table=$(sqlite3 "$DB" "SELECT tbl FROM cat_menu WHERE path = '/ppp/active'")
sqlite3 "$DB" "INSERT INTO \"$table\"(id, dynamic, running, name, service, address)
	VALUES(1073741900, 1, 1, 'alice', 'ovpn', '10.8.0.2')"
out=$(rosh -c '/interface print')
echo "$out" | grep -qE 'R +lo ' && fail "the dead engine's running flag on lo is shown: $out"
echo "$out" | grep -q 'the engine (roshd) is not running' && ok "/interface: $(echo "$out" | head -1)" ||
	fail "/interface does not say the engine is not running: $out"
out=$(rosh -c '/ppp active print')
echo "$out" | grep -q alice && fail "a dead session is shown: $out"
echo "$out" | grep -q 'not running: 1 of' && ok "/ppp active hides the dead session" || fail "/ppp active: $out"
[ "$(rosh -c ':put [:len [/ppp active find]]')" = 0 ] || fail "find sees the dead session"
out=$(rosh -c '/interface ovpn-client monitor c1 once')
echo "$out" | grep -q 'roshd, is not running' && ok "monitor: $(echo "$out" | tr -s ' ')" || fail "monitor: $out"

start
out=$(rosh -c '/interface print')
echo "$out" | grep -q 'not running' && fail "roshd is back but the console says it is not: $out"
echo "$out" | grep -qE 'R +lo ' && ok "roshd restarted: its rows are shown again" || fail "after restart: $out"
[ $FAILS = 0 ]
