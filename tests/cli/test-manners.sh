#!/bin/bash
# test-manners.sh: what both programs say about themselves. --help names
# only man pages that exist, and every page in man/ is named by one of them;
# --version gives the version configure.ac sets; errors are red on a
# terminal and plain with NO_COLOR (script(1) gives the console a terminal).
set -u
T=$WORK/manners.$$
FAILS=0
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ROSHD=$BUILD/roshd

help=$("$ROSH" --help; "$ROSHD" --help)
for page in $(echo "$help" | grep -oE 'rosh[a-z-]*\([178]\)' | sort -u); do
	file=${page%(*}.${page#*(}
	file=${file%)}
	[ -f "$SRC/man/$file" ] || [ -f "$BUILD/man/$file" ] || fail "--help names $page: no man/$file"
done
for f in "$SRC"/man/*.[178]; do
	page=$(basename "$f")
	echo "$help" | grep -qF "${page%.*}(${page##*.})" || fail "--help does not name $page"
done

version=$(sed -nE 's/^AC_INIT\(\[rosh\], \[([^]]+)\].*/\1/p' "$SRC/configure.ac")
"$ROSH" --version | grep -qE "^rosh $version \(SQLite [0-9.]+, wolfSSL [0-9.]+, (AES-NI[A-Z0-9, -]*|portable C|wolfSSL's portable C)\)$" ||
	fail "rosh --version: $("$ROSH" --version 2>&1)"
"$ROSHD" --version | grep -qE "^roshd $version \(SQLite [0-9.]+, wolfSSL [0-9.]+, (AES-NI[A-Z0-9, -]*|portable C|wolfSSL's portable C)\)$" ||
	fail "roshd --version: $("$ROSHD" --version 2>&1)"
"$ROSH" --bogus > /dev/null 2>&1 && fail "an unknown option is accepted"

if command -v script > /dev/null; then
	# the interactive console: a typed line that fails, then quit
	cmd="$ROSH --db $T/c.db"
	input=$'/ip pool add name=a ranges=bogus\rquit\r'
	printf '%s' "$input" | timeout 20 script -qec "$cmd" /dev/null > "$T/colour.out" 2>&1
	grep -q $'\033\[31m' "$T/colour.out" || fail "no red error on a terminal: $(cat -v "$T/colour.out")"
	printf '%s' "$input" | NO_COLOR=1 timeout 20 script -qec "$cmd" /dev/null > "$T/plain.out" 2>&1
	grep -q "expected IPv4 range" "$T/plain.out" || fail "NO_COLOR: no error: $(cat -v "$T/plain.out")"
	grep -qE $'\033\[[0-9;]*m' "$T/plain.out" && fail "NO_COLOR: colour codes remain: $(cat -v "$T/plain.out")"
else
	fail "script(1) from util-linux is missing"
fi

[ "$FAILS" = 0 ] || exit 1
echo "all manners checks passed"
