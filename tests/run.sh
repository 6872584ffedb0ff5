#!/bin/bash
# run.sh: every test of the project; prints one line per test and, last,
# "N passed, N failed". Usage: run.sh BUILD_DIR SRC_DIR
# Suites: unit programs, console transcripts (tests/cli/*.rsc -> *.out),
# refusals (tests/cli/refusals.txt), export/import round trips, hostile input,
# and the shell scripts in tests/*/ named test-*.sh.
set -u
build=${1:-$(pwd)}
src=${2:-$(pwd)}
rosh=$build/rosh
work=$(mktemp -d /tmp/rosh-tests.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
skipped=0
only=${ROSH_TESTS:-}

pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; [ $# -gt 1 ] && echo "$2" | head -40 | sed 's/^/    /'; }
wanted() { [ -z "$only" ] || [[ "$1" == *$only* ]]; }

# Export headers carry the time; nothing else in them may differ.
normalize() { sed -E 's/^# [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} by rosh .*/# DATE by rosh/'; }

fresh_db() { rm -rf "$work/db"; mkdir -p "$work/db"; echo "$work/db/config.db"; }

unit_tests() {
	for t in "$build"/tests/unit/*_test; do
		[ -x "$t" ] || continue
		name=unit/$(basename "$t")
		wanted "$name" || continue
		# unit programs find their fixtures relative to the source tree
		if out=$(cd "$src" && "$t" 2>&1); then pass "$name"; else fail "$name" "$out"; fi
	done
}

cli_transcripts() {
	for in in "$src"/tests/cli/*.rsc; do
		name=cli/$(basename "$in" .rsc)
		wanted "$name" || continue
		db=$(fresh_db)
		mkdir -p "$work/db/files"
		[ -d "${in%.rsc}.files" ] && cp -r "${in%.rsc}.files/." "$work/db/files/"
		got=$(cd "$work" && timeout 60 "$rosh" --db "$db" --echo --keep-going < "$in" 2>&1 | normalize)
		if [ ! -f "${in%.rsc}.out" ]; then
			fail "$name" "no expected output ${in%.rsc}.out"
		elif diff=$(diff -u "${in%.rsc}.out" <(echo "$got")); then
			pass "$name"
		else
			fail "$name" "$diff"
		fi
	done
}

# The state a refusal must leave untouched: the whole database, every
# table byte for byte (items, journal, runtime rows, logs). sqlite3 reads
# it in a fraction of what an export by rosh takes under the sanitizers.
state() {
	sqlite3 "$1" .dump
}

# tests/cli/refusals.txt: "COMMAND  ==> EXPECTED ERROR" after the setup in
# refusals-setup.rsc; each must fail with that error and change nothing.
refusals() {
	local setup=$src/tests/cli/refusals-setup.rsc list=$src/tests/cli/refusals.txt n=0
	[ -f "$list" ] || return 0
	wanted refusals || return 0
	db=$(fresh_db)
	"$rosh" --db "$db" < "$setup" > /dev/null 2>&1 || { fail refusals/setup "setup failed"; return; }
	before=$(state "$db")
	while IFS= read -r line; do
		case "$line" in ''|'#'*) continue ;; esac
		n=$((n + 1))
		cmd=${line%%  ==> *}
		want=${line#*  ==> }
		got=$("$rosh" --db "$db" -c "$cmd" 2>&1)
		rc=$?
		after=$(state "$db")
		if [ $rc -ne 1 ]; then
			fail "refusals/$n" "$cmd: exit $rc, output: $got"
		elif [ "$got" != "$want" ]; then
			fail "refusals/$n" "$cmd"$'\n'"want: $want"$'\n'"got:  $got"
		elif [ "$after" != "$before" ]; then
			fail "refusals/$n" "$cmd changed the configuration"
		else
			pass "refusals/$n $cmd"
		fi
	done < "$list"
}

# export -> import on an empty database -> the same export, for each style.
round_trips() {
	local cfg=$src/tests/cli/roundtrip-config.rsc
	[ -f "$cfg" ] || return 0
	for style in "" verbose "show-sensitive" "verbose show-sensitive" terse; do
		name="roundtrip/${style:-compact}"
		wanted "$name" || continue
		a=$(fresh_db)
		"$rosh" --db "$a" < "$cfg" > "$work/setup.log" 2>&1 || { fail "$name" "$(cat "$work/setup.log")"; continue; }
		"$rosh" --db "$a" -c "/export $style file=rt" > /dev/null
		first=$(normalize < "$work/db/files/rt.rsc")
		mkdir -p "$work/b"
		rm -rf "$work/b"/*
		mkdir -p "$work/b/files"
		cp "$work/db/files/rt.rsc" "$work/b/files/"
		out=$("$rosh" --db "$work/b/config.db" -c '/import file-name=rt.rsc' 2>&1) || { fail "$name" "$out"; continue; }
		second=$("$rosh" --db "$work/b/config.db" -c "/export $style" | normalize)
		if d=$(diff -u <(echo "$first") <(echo "$second")); then pass "$name"; else fail "$name" "$d"; fi
	done
}

# One shell test into $work/res/NAME.{out,rc,s}: its output, exit code and
# seconds.
run_one() {
	local t=$1 res=$work/res/$2 t0=$SECONDS
	ROSH="$rosh" BUILD="$build" SRC="$src" WORK="$work" timeout 900 bash "$t" > "$res.out" 2>&1
	echo $? > "$res.rc"
	echo $((SECONDS - t0)) > "$res.s"
}

report() {
	local n=$work/res/${1/\//-}
	echo "$(cat "$n.s") $1" >> "$work/times"
	case $(cat "$n.rc") in
	0) pass "$1" ;;
	77) skipped=$((skipped + 1)); echo "SKIP: $1: $(tail -1 "$n.out")" ;;
	*) fail "$1" "$(cat "$n.out")" ;;
	esac
}

# ROSH_JOBS tests at once (default 1): most of a test's time is waiting
# for tunnels, timers and peers, not computing. A test that measures what
# it sees in time (a flood, a rate) says "# test: alone" and runs by itself
# after the others.
shell_tests() {
	local jobs=${ROSH_JOBS:-1} names="" alone="" t name n
	mkdir -p "$work/res"
	for t in "$src"/tests/*/test-*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$(dirname "$t")")/$(basename "$t" .sh)
		wanted "$name" || continue
		names="$names $name"
		if [ "$jobs" -gt 1 ] && grep -q '^# test: alone' "$t"; then
			alone="$alone $name"
			continue
		fi
		if [ "$jobs" -le 1 ]; then
			run_one "$t" "${name/\//-}"
			report "$name"
			continue
		fi
		while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do wait -n; done
		run_one "$t" "${name/\//-}" &
	done
	[ "$jobs" -le 1 ] && return
	wait
	for name in $alone; do run_one "$src/tests/$name.sh" "${name/\//-}"; done
	for name in $names; do report "$name"; done
}

serial_tests() {
	unit_tests
	cli_transcripts
	refusals
	round_trips
}

# With ROSH_JOBS above 1 the tests above run beside the shell tests, which
# mostly wait, taking one of the ROSH_JOBS places while they last; their
# results come back through a file.
if [ "${ROSH_JOBS:-1}" -gt 1 ]; then
	(serial_tests > "$work/serial.out" 2>&1; echo "$passed $failed $skipped" > "$work/serial.n") &
	serial=$!
	shell_tests > "$work/shell.out" 2>&1
	wait "$serial" 2> /dev/null	# the shell tests' last wait may have reaped it
	cat "$work/serial.out" "$work/shell.out"
	read -r p f s < "$work/serial.n"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
else
	serial_tests
	shell_tests
fi
# where the time goes, for whoever keeps CI inside its budget
[ -f "$work/times" ] && sort -rn "$work/times" | head -12 | awk '{ printf "slowest: %4d s %s\n", $1, $2 }'
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
