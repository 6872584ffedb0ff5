#!/bin/bash
# test-undo.sh: /undo after each kind of change gives back exactly the
# previous "/export verbose show-sensitive" (ids included), and /redo the
# next one. Every command runs in a new rosh process, so undo state is shown
# to live in the database and to work across sessions and restarts.
set -u
T=$WORK/undo.$$
DB=$T/db/config.db
FAILS=0
mkdir -p "$T/db/files"
trap 'rm -rf "$T"' EXIT

rosh() { "$ROSH" --db "$DB" "$@"; }
# the export with its dated header left out, and every item's id
state() {
	rosh -c '/export verbose show-sensitive' | grep -v '^# '
	for m in "/ip pool" "/ip firewall nat" "/ppp profile" "/ppp secret" "/ip route"; do
		rosh -c ":put [$m find]"
	done
}
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# check NAME COMMAND: the change, then undo and redo in fresh processes
check() {
	local before after undone redone
	before=$(state)
	rosh -c "$2" > /dev/null || { fail "$1: $2 failed"; return; }
	after=$(state)
	[ "$before" != "$after" ] || { fail "$1: changed nothing"; return; }
	rosh -c '/undo' > /dev/null || { fail "$1: undo failed"; return; }
	undone=$(state)
	[ "$undone" = "$before" ] || fail "$1: undo differs: $(diff <(echo "$before") <(echo "$undone") | head -8)"
	rosh -c '/redo' > /dev/null || { fail "$1: redo failed"; return; }
	redone=$(state)
	[ "$redone" = "$after" ] || fail "$1: redo differs: $(diff <(echo "$after") <(echo "$redone") | head -8)"
	[ "$FAILS" = 0 ] && echo "ok: $1"
}

rosh > /dev/null <<'EOF2' || { echo "setup failed"; exit 1; }
/ip pool add name=pool-a ranges=10.1.0.2-10.1.0.254
/ip pool add name=pool-b ranges=10.2.0.2-10.2.0.254 next-pool=pool-a
/ppp profile add name=prof local-address=10.1.0.1 remote-address=pool-a
/ppp secret add name=alice password="s3cr\"et" profile=prof
/ip firewall nat add chain=srcnat action=masquerade comment=one
/ip firewall nat add chain=dstnat action=dst-nat protocol=tcp dst-port=80 to-addresses=10.1.0.9 comment=two
/ip firewall nat add chain=srcnat action=masquerade comment=three
/ip route add dst-address=192.168.5.0/24 gateway=10.1.0.1
EOF2

check add '/ip pool add name=pool-c ranges=10.3.0.1 comment="new pool"'
check set '/ip firewall nat set [find comment=two] to-addresses=10.1.0.10 protocol=udp !dst-port'
check set-single '/system identity set name=edge-1'
check rename '/ip pool set pool-a name=pool-z'
check remove '/ip firewall nat remove [find comment=one]'
check remove-middle '/ppp secret remove alice; /ip pool remove pool-b'
check move '/ip firewall nat move [find comment=three] [find comment=two]'
check move-last '/ip firewall nat move [find comment=three]'
check batch '/ip pool add name=pool-d ranges=10.4.0.1; /ip route remove [find]; /ip firewall nat disable [find comment=three]'
printf '/ip pool add name=imp ranges=10.9.0.1\n/ip firewall nat add chain=srcnat action=masquerade place-before=0 comment=imported\n/ip pool set pool-z comment=by-import\n' > "$T/db/files/x.rsc"
check import '/import file-name=x.rsc'

# two undos, a restart between them, then two redos
before=$(state)
rosh -c '/ip pool add name=u1 ranges=10.5.0.1' > /dev/null
mid=$(state)
rosh -c '/ip firewall nat remove [find comment=two]' > /dev/null
after=$(state)
rosh -c '/undo' > /dev/null && [ "$(state)" = "$mid" ] || fail "first of two undos"
rosh -c '/undo' > /dev/null && [ "$(state)" = "$before" ] || fail "second of two undos"
rosh -c '/redo' > /dev/null && [ "$(state)" = "$mid" ] || fail "first of two redos"
rosh -c '/redo' > /dev/null && [ "$(state)" = "$after" ] || fail "second of two redos"
out=$(rosh -c '/redo' 2>&1) && fail "redo past the end succeeded" ||
	[ "$out" = "failure: nothing to redo (line 1 column 2)" ] || fail "redo past the end: $out"
# an undo made in safe mode goes with the session: the change is back in effect
before=$(state)
rosh -c '/system safe-mode; /undo' > /dev/null
[ "$(state)" = "$before" ] || fail "an undo in safe mode outlived its session"
rosh -c '/undo' > /dev/null && [ "$(state)" = "$mid" ] || fail "undo after a reverted safe-mode undo"

[ "$FAILS" = 0 ] || exit 1
echo "all undo checks passed"
