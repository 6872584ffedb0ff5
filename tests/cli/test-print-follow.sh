#!/bin/bash
# test-print-follow.sh: the print forms that go on until stopped, and edit,
# as a person and a script meet them. print follow into a pipe shows the
# items, then what another console adds and changes while it waits (so
# the follower holds no lock); interval= prints again; at a terminal (tmux
# on a private socket) Ctrl-C ends follow and the console goes on, and
# edit changes one value in the line editor (Ctrl-C leaves it). Bounded
# waits only; nothing is left running.
set -u
command -v tmux > /dev/null || { echo "skip: tmux is not installed"; exit 77; }
T=$WORK/follow.$$
DB=$T/config.db
TM="tmux -L rosh-pf-$$"
FAILS=0
PIDS=
mkdir -p "$T"
cleanup() {
	$TM kill-server 2> /dev/null
	for p in $PIDS; do kill "$p" 2> /dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
rosh() { "$ROSH" --db "$DB" "$@"; }
# wait_for FILE TEXT TENTHS: poll a file until it holds a fixed text
wait_for() {
	for _ in $(seq "$3"); do grep -qF -- "$2" "$1" 2> /dev/null && return 0; sleep 0.1; done
	return 1
}
screen() { $TM capture-pane -p -t "$1" -S -200 | grep -v '^$'; }
wait_screen() {
	for _ in $(seq "${3:-50}"); do
		screen "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

rosh -c '/ip pool add name=a ranges=10.0.0.1-10.0.0.9; /ip pool add name=b ranges=10.1.0.1' ||
	{ echo "setup failed"; exit 1; }

# ---- follow into a pipe: the items, then new and changed ones ----
timeout 20 "$ROSH" --db "$DB" -c '/ip pool print follow' > "$T/follow.out" 2>&1 &
PIDS="$PIDS $!"
wait_for "$T/follow.out" "10.1.0.1" 50 || fail "follow did not print the items: $(cat "$T/follow.out")"
rosh -c '/ip pool add name=c ranges=10.2.0.1' || fail "a second console could not add while follow waits"
wait_for "$T/follow.out" "10.2.0.1" 50 && ok "follow shows a new item" ||
	fail "follow missed a new item: $(cat "$T/follow.out")"
rosh -c '/ip pool set b ranges=10.1.0.7'
wait_for "$T/follow.out" "10.1.0.7" 50 && ok "follow shows a changed item" ||
	fail "follow missed a change: $(cat "$T/follow.out")"
[ "$(grep -c '10.0.0.1-10.0.0.9' "$T/follow.out")" = 1 ] && ok "an unchanged item is shown once" ||
	fail "unchanged item repeated: $(cat "$T/follow.out")"
grep -q '^2 *c ' "$T/follow.out" && ok "a new item carries its number" || fail "numbers: $(cat "$T/follow.out")"

# follow-only: nothing old
timeout 20 "$ROSH" --db "$DB" -c '/ip pool print follow-only terse where name~"^[cd]"' > "$T/only.out" 2>&1 &
PIDS="$PIDS $!"
sleep 1
rosh -c '/ip pool add name=d ranges=10.3.0.1; /ip pool add name=e ranges=10.4.0.1'
wait_for "$T/only.out" "name=d" 50 && ! grep -q "name=c\|name=e" "$T/only.out" &&
	ok "follow-only shows only what changes, and where still chooses" ||
	fail "follow-only: $(cat "$T/only.out")"

# interval=: printed again, each time as it is then
timeout 20 "$ROSH" --db "$DB" -c '/ip pool print count-only interval=1s' > "$T/count.out" 2>&1 &
PIDS="$PIDS $!"
wait_for "$T/count.out" "5" 50 || fail "interval: no first count: $(cat "$T/count.out")"
rosh -c '/ip pool remove e'
wait_for "$T/count.out" "4" 50 && ok "interval prints again with what changed" ||
	fail "interval: $(cat "$T/count.out")"

# ---- at a terminal: Ctrl-C ends follow; edit ----
$TM new-session -d -s a -x 120 -y 30 "env TERM=xterm ROSH_HISTORY=$T/history $ROSH --db $DB"
wait_screen a "[admin@" || { fail "the console did not start"; exit 1; }
$TM send-keys -t a '/ip pool print follow' Enter
wait_screen a '10.3.0.1' 50 || fail "follow at a terminal: $(screen a | tail -5)"
rosh -c '/ip pool add name=f ranges=10.5.0.1'
wait_screen a '10.5.0.1' 50 && ok "follow at a terminal shows a new item" ||
	fail "follow at a terminal missed it: $(screen a | tail -5)"
$TM send-keys -t a C-c
sleep 0.5
$TM send-keys -t a ':put "after follow"' Enter
wait_screen a 'after follow' 50 && ok "Ctrl-C ends follow and the console goes on" ||
	fail "after Ctrl-C: $(screen a | tail -5)"
$TM send-keys -t a '/ip pool edit a ranges' Enter
wait_screen a 'ranges: 10.0.0.1-10.0.0.9' 50 || fail "edit did not show the value: $(screen a | tail -3)"
$TM send-keys -t a BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace '10.0.0.5' Enter
sleep 0.5
[ "$(rosh -c ':put [/ip pool get a ranges]')" = "10.0.0.1-10.0.0.5" ] && ok "edit changes the value" ||
	fail "edit: $(rosh -c ':put [/ip pool get a ranges]') $(screen a | tail -3)"
$TM send-keys -t a '/ip pool edit a ranges' Enter
wait_screen a 'ranges: 10.0.0.1-10.0.0.5' 50
$TM send-keys -t a BSpace BSpace 'x' C-c
wait_screen a 'left as it was' 50
[ "$(rosh -c ':put [/ip pool get a ranges]')" = "10.0.0.1-10.0.0.5" ] && ok "Ctrl-C in edit leaves the value" ||
	fail "edit Ctrl-C: $(rosh -c ':put [/ip pool get a ranges]')"
$TM send-keys -t a '/ip pool edit a ranges' Enter
wait_screen a 'ranges: 10.0.0.1-10.0.0.5' 50
$TM send-keys -t a BSpace 'x' Enter
wait_screen a 'expected IPv4 range' 50 && ok "edit refuses a bad value as set does" ||
	fail "edit bad value: $(screen a | tail -3)"
rosh -c '/ip pool edit a ranges' 2>&1 | grep -q "edit needs a person at the console" &&
	ok "edit is refused outside the console" || fail "edit in -c was not refused"

[ "$FAILS" = 0 ] || exit 1
echo "all print follow checks passed"
