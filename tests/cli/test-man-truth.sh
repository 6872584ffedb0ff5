#!/bin/bash
# test-man-truth.sh: the man pages name only what exists. Every command
# rosh-menus(7) lists for a menu runs there (it may refuse its missing
# arguments, but is never a bad command name nor "not available yet");
# every print option in rosh.1's PRINT synopsis is taken by print; every
# : command rosh.1 and rosh-script(7) document is one the console knows.
set -u
T=$WORK/mantruth.$$
DB=$T/config.db
FAILS=0
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
rosh() { "$ROSH" --db "$DB" "$@"; }

rosh -c '/ip pool add name=a ranges=10.0.0.1' || { echo "setup failed"; exit 1; }

# ---- menus and their commands, from the page the schema writes ----
"$ROSH" --man-menus > "$T/menus.7" || { echo "rosh --man-menus failed"; exit 1; }
awk '
	/^\.SS \// { menu = $2; gsub(/\\-/, "-", menu); gsub(/\//, " ", menu) }
	/^Commands:/ && menu != "" {
		line = $0; gsub(/\\f[BR]/, "", line); sub(/^Commands: /, "", line); sub(/\.$/, "", line)
		n = split(line, c, /, /)
		for (i = 1; i <= n; i++) if (c[i] != "quit") print "/" substr(menu, 2) " " c[i]
	}' "$T/menus.7" > "$T/cmds.rsc"
n=$(wc -l < "$T/cmds.rsc")
[ "$n" -gt 50 ] || fail "only $n menu commands found in rosh-menus(7)"
# one batch, each line on its own; a wrong command names its line
timeout 120 "$ROSH" --db "$DB" --keep-going < "$T/cmds.rsc" > "$T/cmds.out" 2>&1
grep -E "bad command name|is not available yet" "$T/cmds.out" | while IFS= read -r err; do
	line=$(echo "$err" | sed -nE 's/.*\(line ([0-9]+) column.*/\1/p')
	echo "FAIL: rosh-menus(7) lists \"$(sed -n "${line:-0}p" "$T/cmds.rsc")\": $err"
done > "$T/cmd-fails"
[ -s "$T/cmd-fails" ] && { cat "$T/cmd-fails"; FAILS=$((FAILS + 1)); }
# the check itself can fail: a command no menu has is caught
echo "/ip pool frobnicate" | "$ROSH" --db "$DB" --keep-going 2>&1 | grep -q "bad command name" ||
	fail "a made-up command was not refused"

# ---- print's options, from rosh.1's PRINT synopsis ----
opts=$(sed -n '/^\.SH PRINT/,/^\.PP/p' "$SRC/man/rosh.1" | sed 's/\\-/-/g' | grep -E '^\.(B|RB|IR) ' |
	grep -oE '[a-z][a-z-]*=?' | grep -vxE 'print|items|prop|expr|time|name|[a-z]' | sort -u)
[ "$(echo "$opts" | wc -w)" -gt 10 ] || fail "too few print options found: $opts"
for o in $opts; do
	case $o in
	proplist=) arg="proplist=name" ;; from=) arg="from=a" ;; interval=) arg="interval=1s" ;;
	file=) arg="file=p" ;; where) arg="where name=a" ;; *=) arg="${o}x" ;; *) arg=$o ;;
	esac
	err=$(timeout 3 "$ROSH" --db "$DB" -c "/ip pool print $arg" 2>&1 > /dev/null)
	case $err in
	*"bad argument"*|*"expected end of command"*|*"input does not match"*|*"ambiguous"*)
		fail "rosh.1 documents print $o: $err" ;;
	esac
done
err=$("$ROSH" --db "$DB" -c "/ip pool print sideways" 2>&1)
case $err in *"input does not match"*|*"bad argument"*) ;; *) fail "print took a made-up option: $err" ;; esac

# ---- : commands ----
for c in $(grep -ohE '^\.(B|BI|BR) :[a-z]+' "$SRC/man/rosh.1" "$SRC/man/rosh-script.7" |
	awk '{print $2}' | sort -u); do
	timeout 5 "$ROSH" --db "$DB" -c "$c" 2>&1 | grep -q "bad command name" &&
		fail "the man pages document $c, which the console does not know"
done
"$ROSH" --db "$DB" -c ":frobnicate" 2>&1 | grep -q "bad command name" ||
	fail "a made-up : command was not refused"

[ "$FAILS" = 0 ] || exit 1
echo "all documented commands and print options exist"
