#!/bin/bash
# test-storage-faults.sh: a database that can not be written still prints,
# and every refusal names the file and the cause. A full disk (a 3 MB
# tmpfs): an /import that does not fit fails with "not enough disk space"
# and without "loaded and executed successfully", leaving the configuration
# as it was; with no byte free the console opens read-only and prints; once
# space is freed, writes work again. A read-only file system (a tmpfs
# remounted ro) and a database the user may not write (run as nobody):
# print works, a change is refused naming the file and why, the file is
# left byte for byte; roshd, which must write, refuses to start on it. A change while sqlite3 holds the write lock names
# that process and the file.
set -u
[ "$(id -u)" = 0 ] || { echo "skip: needs root to mount the small and read-only tmpfs"; exit 77; }
T=$(mktemp -d)
mkdir -p "$T/full" "$T/ro" "$T/perm"
cleanup() { umount "$T/full" 2> /dev/null; umount "$T/ro" 2> /dev/null; rm -rf "$T"; }
trap cleanup EXIT
mount -t tmpfs -o size=3m tmpfs "$T/full" && mount -t tmpfs -o size=4m tmpfs "$T/ro" ||
	{ echo "FAIL: mount tmpfs"; exit 1; }
FAILS=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
expect() {	# NAME TEXT OUTPUT: OUTPUT contains TEXT
	if [[ "$3" == *"$2"* ]]; then ok "$1: $3"; else fail "$1: wanted \"$2\", got: $3"; fi
}

# --- a full disk ---
DB=$T/full/config.db
r() { "$ROSH" --db "$DB" "$@" 2>&1; }
r -c '/ip pool add name=p1 ranges=10.0.0.1' > /dev/null || fail "setup"
for i in $(seq 1 3000); do
	echo "/ip pool add name=q$i ranges=10.1.$((i / 250)).$((i % 250 + 1)) comment=\"a comment to fill the disk $i\""
done > "$T/full/files/big.rsc"
before=$(r -c '/export' | grep -v '^# ')
avail=$(df -k --output=avail "$T/full" | tail -1)
dd if=/dev/zero of="$T/full/fill" bs=4k count=$(((avail - 200) / 4)) 2> /dev/null
out=$(r -c '/import big.rsc'; echo "rc=$?")
expect "import on a full disk" "failure: not enough disk space to write $DB, the change is not saved" "$out"
[[ "$out" == *"loaded and executed successfully"* ]] && fail "the failed import said it succeeded: $out"
[[ "$out" == *"rc=1" ]] || fail "the failed import exited 0"
[ "$(r -c '/export' | grep -v '^# ')" = "$before" ] && ok "nothing of the import was kept" ||
	fail "the configuration changed after the failed import"
dd if=/dev/zero of="$T/full/fill2" bs=4k 2> /dev/null	# not a byte left
out=$(r -c '/ip pool print')
expect "print with no byte free" "p1" "$out"
out=$(r -c '/ip pool add name=p2 ranges=10.0.0.2')
expect "a change with no byte free" "failure: can not change the configuration: $DB is open read-only (not enough disk space)" "$out"
rm -f "$T/full/fill" "$T/full/fill2"
out=$(r -c '/ip pool add name=p2 ranges=10.0.0.2; :put [:len [/ip pool find]]')
[ "$out" = 2 ] && ok "space freed: writes work again" || fail "after freeing space: $out"
rm -f "$T/full/files/big.rsc"
printf '/ip pool add name=p3 ranges=10.0.0.3\n' > "$T/full/files/small.rsc"
out=$(r -c '/import small.rsc')
[ "$out" = "Script file loaded and executed successfully" ] && ok "an import that commits says so" ||
	fail "import after freeing space: $out"

# --- a read-only file system ---
DB=$T/ro/config.db
r -c '/system identity set name=ro-test' > /dev/null || fail "setup ro"
mount -o remount,ro "$T/ro" || fail "remount ro"
sum=$(sha256sum < "$DB")
out=$(r -c '/system identity print')
expect "print on a read-only file system" "name: ro-test" "$out"
out=$(r -c '/system identity set name=other')
expect "a change on a read-only file system" "failure: can not change the configuration: $DB is open read-only (it is on a read-only file system)" "$out"
out=$(r -c ':log info hello')
expect ":log on a read-only file system" "$DB is open read-only" "$out"
out=$(timeout 20 "$BUILD/roshd" --db "$DB" --socket "$T/roshd.sock" 2>&1; echo "rc=$?")
expect "roshd on a read-only file system" "roshd: failure: $DB can not be written: Read-only file system" "$out"
[[ "$out" == *"rc=1" ]] || fail "roshd on a read-only database: $out"
[ "$(sha256sum < "$DB")" = "$sum" ] || fail "the read-only database changed"

# --- a database this user may not write ---
cp "$T/full/config.db" "$T/perm/config.db"
chmod 755 "$T" "$T/perm"
chmod 644 "$T/perm/config.db"
DB=$T/perm/config.db
sum=$(sha256sum < "$DB")
nob() { setpriv --reuid=65534 --regid=65534 --clear-groups env ROSH_USER=admin HOME=/ "$ROSH" --db "$DB" "$@" 2>&1; }
out=$(nob -c '/ip pool print')
expect "print as a user who may not write" "p2" "$out"
out=$(nob -c '/ip pool remove p1')
expect "a change as a user who may not write" "failure: can not change the configuration: $DB is open read-only (permission denied)" "$out"
[ "$(sha256sum < "$DB")" = "$sum" ] || fail "the database nobody may write changed"

# --- a lock held by another process: named ---
DB=$T/lock/config.db
r -c '/ip pool print' > /dev/null
(echo 'BEGIN IMMEDIATE;'; sleep 7; echo 'COMMIT;') | sqlite3 "$DB" &
holder=$!
sleep 0.5
out=$(r -c '/ip pool add name=l1 ranges=10.0.0.9')
wait "$holder"
expect "a change while sqlite3 holds the lock" "failure: configuration is being changed by another session, try again (sqlite3, pid " "$out"
expect "the lock's file" "holds the lock on $DB)" "$out"
[ $FAILS = 0 ]
