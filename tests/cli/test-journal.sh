#!/bin/bash
# test-journal.sh: the change journal and the database file stay bounded.
# 100,002 edits, each its own transaction (a :for loop whose :delay 0s
# commits each step), leave config.db under 1.5 MB (an unbounded journal
# made 22 MB) with at most keep-changes changes (+ the 63 between two
# compactions) in the journal; /undo still works after them; a smaller
# keep-changes is honoured; and a database made before auto_vacuum (0.1's
# fixture) is switched to incremental when opened. The sanitizer build
# makes 10,002 edits, which is ten times keep-changes as well: there the
# edits cost ten times the CPU, and the bounds are the same.
set -u
[ "$(id -u)" = 0 ] || { echo "skip: the edits run on a tmpfs of their own (mount needs root)"; exit 77; }
T=$(mktemp -d)
mount -t tmpfs -o size=128m tmpfs "$T" || { rmdir "$T"; echo "FAIL: mount tmpfs"; exit 1; }
trap 'umount "$T"; rmdir "$T"' EXIT
DB=$T/db/config.db
LIMIT=1572864
FAILS=0
rosh() { "$ROSH" --db "$DB" "$@"; }
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
sql() { sqlite3 "$DB" "$1"; }

N=33334
grep -q -- "--enable-sanitize" "$BUILD/config.log" 2> /dev/null && N=3334
EDITS=$((3 * N))
t0=$(date +%s)
rosh -c ':for i from=1 to='$N' do={ /ip pool add name="p$i" ranges=10.0.0.1 comment="pool number $i, with a comment"; :delay 0s; /ip pool set [find name="p$i"] ranges=10.0.0.2; :delay 0s; /ip pool remove [find name="p$i"]; :delay 0s }' > "$T/out" 2>&1 ||
	fail "the edits failed: $(tail -3 "$T/out")"
secs=$(($(date +%s) - t0))
size=$(stat -c %s "$DB")
changes=$(sql "SELECT COUNT(*) FROM txn_log WHERE kind = 'change'")
rows=$(sql "SELECT COUNT(*) FROM journal")
last=$(sql "SELECT MAX(txn) FROM txn_log")
[ "$last" -ge $EDITS ] || fail "only $last transactions: the edits were not each their own"
[ "$size" -lt $LIMIT ] && ok "$EDITS edits in $secs s leave config.db at $size bytes (under $LIMIT)" ||
	fail "config.db is $size bytes after $EDITS edits (limit $LIMIT)"
[ ! -s "$DB-wal" ] || fail "a -wal of $(stat -c %s "$DB-wal") bytes is left after the console closed"
[ "$changes" -le 1063 ] && [ "$changes" -ge 1000 ] && ok "the journal keeps $changes changes ($rows rows)" ||
	fail "the journal keeps $changes changes, not 1000 to 1063"
[ "$(sql 'PRAGMA auto_vacuum')" = 2 ] || fail "auto_vacuum is $(sql 'PRAGMA auto_vacuum'), not incremental"
free=$(sql 'PRAGMA freelist_count')
[ "$free" -lt 64 ] && ok "$free free pages left in the file" || fail "$free free pages: not given back"

# what is kept still undoes: the last edit removed p$N
out=$(rosh -c '/undo' 2>&1)
echo "$out" | grep -q 'undone: ' || fail "undo after the edits: $out"
[ -n "$(rosh -c ":put [/ip pool find name=p$N]")" ] && ok "/undo brings p$N back" ||
	fail "/undo did not bring p$N back: $out"
n=$(rosh -c '/system history print' | grep -c ' U ')
[ "$n" -ge 999 ] && ok "/system history shows $n undoable changes" || fail "history shows $n undoable"

# a smaller depth is honoured
rosh -c '/system journal set keep-changes=50' || fail "set keep-changes"
[ "$(rosh -c ':put [/system journal get keep-changes]')" = 50 ] || fail "keep-changes not 50"
rosh -c ':for i from=1 to=200 do={ /system identity set name="r$i"; :delay 0s }' > /dev/null
changes=$(sql "SELECT COUNT(*) FROM txn_log WHERE kind = 'change'")
[ "$changes" -le 113 ] && ok "keep-changes=50: $changes changes kept after 200 more" ||
	fail "keep-changes=50 keeps $changes changes"
out=$(rosh -c '/system journal set keep-changes=5' 2>&1) && fail "keep-changes=5 accepted"
echo "$out" | grep -q 'keep-changes' || fail "keep-changes=5: $out"

# an old database (auto_vacuum off) is switched once, keeping its data
mkdir -p "$T/old"
cp "$SRC/tests/fixtures/db-0.1.sqlite" "$T/old/config.db"
[ "$(sqlite3 "$T/old/config.db" 'PRAGMA auto_vacuum')" = 0 ] || fail "the fixture already has auto_vacuum"
out=$("$ROSH" --db "$T/old/config.db" -c ':put [/ppp secret get alice password]' 2>&1)
[ "$out" = alice-secret ] || fail "the 0.1 database after the switch: $out"
[ "$(sqlite3 "$T/old/config.db" 'PRAGMA auto_vacuum')" = 2 ] && ok "a 0.1 database is switched to incremental auto_vacuum" ||
	fail "the 0.1 database keeps auto_vacuum $(sqlite3 "$T/old/config.db" 'PRAGMA auto_vacuum')"
[ $FAILS = 0 ]
