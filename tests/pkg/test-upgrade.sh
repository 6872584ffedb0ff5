#!/bin/bash
# test-upgrade.sh: upgrades keep the configuration, downgrades are refused.
# tests/fixtures/db-0.1.sqlite and backup-0.1.backup were written by rosh
# 0.1 (commit fe522f6, built from `git archive`) from db-0.1.rsc;
# db-0.1.export is what 0.1 exported from them. This rosh must open the
# database (migrating it), export the same configuration, keep the secrets
# and keys, and mark the database with its version; it must load the 0.1
# backup (password upgrade-pw). A database marked by a newer Rosh is
# refused with a message saying so, and its file is left byte for byte; a
# backup saved by a newer Rosh is refused and the configuration kept.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
F=$SRC/tests/fixtures
fail() { echo "FAIL: $*"; exit 1; }
normalize() { sed -E '/^# [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} by rosh /d'; }
version=$(sed -nE 's/^AC_INIT\(\[rosh\], \[([^]]+)\].*/\1/p' "$SRC/configure.ac")

mkdir -p "$T/up"
cp "$F/db-0.1.sqlite" "$T/up/config.db"
r() { "$ROSH" --db "$T/up/config.db" "$@"; }
got=$(r -c '/export' 2>&1) || fail "the 0.1 database does not open: $got"
d=$(diff -u "$F/db-0.1.export" <(echo "$got" | normalize)) || fail "the export changed:
$d"
[ "$(r -c ':put [/ppp secret get alice password]')" = alice-secret ] || fail "alice's password lost"
r -c '/certificate print' | grep -qE '^ *[0-9]+ +K.*server' || fail "the server's key is lost: $(r -c '/certificate print')"
[ "$(sqlite3 "$T/up/config.db" "SELECT v FROM cat_meta WHERE k='version'")" = "$version" ] ||
	fail "the migrated database is not marked $version"
r -c '/ip pool add name=after ranges=10.9.0.2-10.9.0.9' > /dev/null || fail "no change after the upgrade"
echo "0.1 database: opened, same export, secrets and keys kept, marked $version"

# the 0.1 backup, loaded into a database of this version
mkdir -p "$T/bk/files"
cp "$F/backup-0.1.backup" "$T/bk/files/old.backup"
"$ROSH" --db "$T/bk/config.db" -c '/system identity set name=fresh' > /dev/null
out=$("$ROSH" --db "$T/bk/config.db" -c '/system backup load name=old password=upgrade-pw' 2>&1) ||
	fail "the 0.1 backup does not load: $out"
got=$("$ROSH" --db "$T/bk/config.db" -c '/export' | normalize)
d=$(diff -u "$F/db-0.1.export" <(echo "$got")) || fail "the 0.1 backup's export differs:
$d"
echo "0.1 backup: loaded, same export"

# a database from a newer Rosh: refused, untouched
mkdir -p "$T/down"
cp "$T/up/config.db" "$T/down/config.db"
sqlite3 "$T/down/config.db" "UPDATE cat_meta SET v='99.1' WHERE k='version'; UPDATE cat_meta SET v='x' WHERE k='hash'"
before=$(sha256sum < "$T/down/config.db")
out=$("$ROSH" --db "$T/down/config.db" -c '/export' 2>&1) && fail "a database of Rosh 99.1 was opened"
echo "$out" | grep -q "written by Rosh 99.1, newer than this $version" || fail "refusal: $out"
[ "$(sha256sum < "$T/down/config.db")" = "$before" ] || fail "the refused database was changed"
echo "99.1 database: $out"

# a backup saved by a newer Rosh: refused, the configuration kept
"$ROSH" --db "$T/bk/config.db" -c '/system backup save name=new' > /dev/null || fail "save"
[ "$(sqlite3 "$T/bk/files/new.backup" "SELECT v FROM cat_meta WHERE k='version'")" = "$version" ] ||
	fail "the backup is not marked $version"
sqlite3 "$T/bk/files/new.backup" "UPDATE cat_meta SET v='99.1' WHERE k='version'"
"$ROSH" --db "$T/bk/config.db" -c '/system identity set name=kept' > /dev/null
out=$("$ROSH" --db "$T/bk/config.db" -c '/system backup load name=new' 2>&1) && fail "a backup of Rosh 99.1 was loaded"
echo "$out" | grep -q "saved by Rosh 99.1, newer than this $version" || fail "backup refusal: $out"
[ "$("$ROSH" --db "$T/bk/config.db" -c ':put [/system identity get name]')" = kept ] ||
	fail "the refused backup changed the configuration"
echo "99.1 backup: $out"
exit 0
