#!/bin/bash
# test-scheduler.sh: roshd runs /system scheduler entries. It starts roshd on
# a database and socket of its own, adds entries whose scripts add items, and
# waits (bounded) for the items, run-count and next-run. roshd needs
# CAP_NET_ADMIN, so this skips (77) when not root.
set -u
[ "$(id -u)" = 0 ] || { echo "skip: roshd needs CAP_NET_ADMIN (run as root)"; exit 77; }
T=$(mktemp -d "${WORK:-/tmp}/sched.XXXXXX")
DB=$T/config.db
SOCK=$T/roshd.sock
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2> /dev/null && wait "$PID" 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
r() { "$ROSH" --db "$DB" --socket "$SOCK" -c "$1"; }
fail() { echo "FAIL: $1"; [ -f "$T/roshd.log" ] && tail -20 "$T/roshd.log"; exit 1; }

# wait_for SECONDS COMMAND EXPECTED: poll until the output is as expected
wait_for() {
	local n=$(( $1 * 10 )) got=
	for _ in $(seq "$n"); do
		got=$(r "$2" 2>&1)
		[ "$got" = "$3" ] && return 0
		sleep 0.1
	done
	echo "waited $1 s for '$2' to give '$3', got '$got'"
	return 1
}

r '/system script add name=mk source="/ip pool add name=(\"from-script-\" . [:len [/ip pool find]]) ranges=10.9.0.1"' ||
	fail "script add"
"$BUILD/roshd" --db "$DB" --socket "$SOCK" --rosh "$ROSH" --log-level debug > "$T/roshd.log" 2>&1 &
PID=$!
sleep 0.3
kill -0 "$PID" 2> /dev/null || fail "roshd did not start"

# an inline on-event every second: it adds one item each run
r '/system scheduler add name=tick interval=1s on-event="/ip pool add name=(\"tick\" . [:len [/ip pool find where name~\"^tick\"]]) ranges=10.8.0.1"' ||
	fail "scheduler add"
wait_for 10 ':put ([:len [/ip pool find where name~"^tick"]] >= 2)' true || fail "tick did not run twice"
count=$(r ':put [/system scheduler get tick run-count]')
[ "$count" -ge 2 ] || fail "run-count is '$count'"
next=$(r ':put [/system scheduler get tick next-run]')
[[ "$next" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9:]{8}$ ]] || fail "next-run is '$next'"

# disabling stops it
r '/system scheduler set tick disabled=yes' || fail "disable"
sleep 1.5
before=$(r ':put [:len [/ip pool find where name~"^tick"]]')
sleep 2.5
after=$(r ':put [:len [/ip pool find where name~"^tick"]]')
[ "$before" = "$after" ] || fail "a disabled entry ran ($before -> $after items)"

# start-date: a day to come is the first run (RouterOS 6's form is read);
# a past day with an interval runs on the interval's beat from it; a past
# day without one never runs
r '/system scheduler add name=later start-date=jan/02/2035 start-time=03:04:05 on-event=":put x"' ||
	fail "start-date add"
wait_for 10 ':put [/system scheduler get later next-run]' "2035-01-02 03:04:05" ||
	fail "start-date in the future is not the first run"
r '/system scheduler add name=past start-date=2001-01-01 start-time=00:00:00 on-event=":put x"' ||
	fail "past start-date add"
r '/system scheduler add name=beat start-date=2001-01-01 start-time=00:00:00 interval=1s on-event="/ip pool add name=(\"beat\" . [:len [/ip pool find where name~\"^beat\"]]) ranges=10.7.0.1"' ||
	fail "past start-date with interval add"
wait_for 10 ':put ([:len [/ip pool find where name~"^beat"]] >= 1)' true || fail "a past start-date with an interval did not run"
sleep 1
[ "$(r ':put [/system scheduler get past run-count]')" = 0 ] || fail "a past start-date without interval ran"
r '/system scheduler remove later,past,beat' || fail "remove dated"

# on-event naming a /system script runs that script
r '/system scheduler add name=byname interval=1s on-event=mk' || fail "scheduler add byname"
wait_for 10 ':put ([:len [/ip pool find where name~"^from-script"]] >= 1)' true || fail "script mk did not run"
r '/system scheduler remove byname' || fail "remove"

# a failing script is logged, and the engine goes on
r '/system scheduler add name=bad interval=1s on-event=":error \"bad on purpose\""' || fail "add bad"
wait_for 10 ':put ([:len [/log find where message~"bad on purpose"]] >= 1)' true || fail "failure not logged"

# an entry runs with its own policy: one without write can not change anything
r '/system scheduler add name=ro interval=1s policy=read,test on-event="/ip pool add name=read-only-entry ranges=10.6.0.1"' ||
	fail "add ro"
wait_for 10 ':put ([:len [/log find where message~"not enough permissions"]] >= 1)' true ||
	fail "a read-only entry's write was not refused"
[ "$(r ':put [:len [/ip pool find where name=read-only-entry]]')" = 0 ] ||
	fail "a read-only entry wrote"
r '/system scheduler remove ro' || fail "remove ro"

# a hostile script ends with an error, it does not hang the engine
r '/system scheduler add name=spin interval=1s on-event=":while (true) do={}"' || fail "add spin"
wait_for 15 ':put ([:len [/log find where message~"more than 1000000 steps"]] >= 1)' true ||
	fail "runaway loop not stopped"
kill -0 "$PID" || fail "roshd died"
echo "ok: scheduler ran entries, counted runs, honoured disabled, logged failures"
