#!/bin/bash
# test-hostile.sh: input meant to break the console (huge lines, deep nesting,
# NUL bytes, invalid UTF-8, random bytes) must end in an error or success,
# within seconds, never in a crash or a hang, and leave the database usable.
set -u
db=$WORK/hostile/config.db
rm -rf "$WORK/hostile"
mkdir -p "$WORK"
bad=0

# run NAME < input; not at the end of a pipe, so that bad= sticks
run() {
	local name=$1 out rc
	timeout 20 "$ROSH" --db "$db" > "$WORK/hostile.out" 2>&1
	rc=$?
	out=$(head -c 300 "$WORK/hostile.out")
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		echo "$name: exit $rc: $out" | head -5
		bad=1
	fi
}

head -c 1048576 /dev/zero | tr '\0' 'a' | sed 's/^/\/ip pool add name=/' > "$WORK/hostile.in"
run "1 MiB line" < "$WORK/hostile.in"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; print "" }' > "$WORK/hostile.in"
run "100000 [" < "$WORK/hostile.in"
awk 'BEGIN { printf "/ip pool print where "; for (i = 0; i < 100000; i++) printf "("; print "" }' > "$WORK/hostile.in"
run "100000 (" < "$WORK/hostile.in"
awk 'BEGIN { printf "/ip pool add name=\""; for (i = 0; i < 100000; i++) printf "\\\\"; print "" }' > "$WORK/hostile.in"
run "backslashes" < "$WORK/hostile.in"
printf '/ip pool add name=a\0b ranges=10.0.0.1\n' > "$WORK/hostile.in"
run "NUL byte" < "$WORK/hostile.in"
printf '/ip pool add name=x ranges=10.0.0.1 comment="\xff\xfe\xc3"\n' > "$WORK/hostile.in"
run "invalid UTF-8" < "$WORK/hostile.in"
printf '/ip pool add name=\xc3\x28 ranges=10.0.0.2\n' > "$WORK/hostile.in"
run "invalid UTF-8 name" < "$WORK/hostile.in"
head -c 200000 /dev/urandom > "$WORK/hostile.in"
run "random bytes" < "$WORK/hostile.in"
head -c 200000 /dev/urandom | tr -d '\0' | tr '\200-\377' '[ "=/;$' > "$WORK/hostile.in"
run "random printable" < "$WORK/hostile.in"
awk 'BEGIN { for (i = 0; i < 20000; i++) print "/ip pool print where name~\"(a|b)*c\"" }' > "$WORK/hostile.in"
run "many lines" < "$WORK/hostile.in"
printf '/ip pool print where name~"(((("\n' > "$WORK/hostile.in"
run "bad regex" < "$WORK/hostile.in"

# the database still works and holds what the valid lines made
out=$("$ROSH" --db "$db" -c '/ip pool print count-only' 2>&1)
case "$out" in
[0-9]*) ;;
*) echo "database unusable after hostile input: $out"; bad=1 ;;
esac
exit $bad
