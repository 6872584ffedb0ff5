#!/usr/bin/env bash
# console.sh: time the rosh console on 10,000 /ppp secret items against raw
# SQLite doing the same inserts and select. Reports figures and targets; never
# fails on timings (exit 0), only when something breaks (a command fails,
# crashes, or leaves the wrong number of items).
#
# usage: bash bench/console.sh [BUILD_DIR]
#   BUILD_DIR  folder holding the built `rosh` (default: the source tree,
#              the folder above this script). Env: N (items, default 10000),
#              RUNS (best of, default 3), STDIN_BUDGET (seconds one stdin run
#              may take before it is sampled and scaled instead, default 60).
set -u

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/..}
build=$(cd "$build" && pwd) || { echo "console.sh: no folder $1" >&2; exit 2; }
rosh=$build/rosh
N=${N:-10000}
RUNS=${RUNS:-3}
STDIN_BUDGET=${STDIN_BUDGET:-60}
SAMPLE=1000			# lines timed when the stdin run is too slow

if [ ! -x "$rosh" ]; then
	echo "console.sh: $rosh not found; build it first (make -j2 in $build)" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/rosh-bench.XXXXXX") || exit 2
# shellcheck disable=SC2317
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

broken=0
note() { printf '%s\n' "$*" >&2; }
fail() { note "console.sh: $*"; broken=1; }

# --- tools -----------------------------------------------------------------
cflags=$(pkg-config --cflags --libs sqlite3 2>/dev/null || echo -lsqlite3)
# shellcheck disable=SC2086
gcc -O2 -o "$work/sqlite_insert" "$here/sqlite_insert.c" $cflags || { echo "console.sh: cannot build sqlite_insert" >&2; exit 2; }
gcc -O2 -o "$work/monotime" "$here/monotime.c" || { echo "console.sh: cannot build monotime" >&2; exit 2; }
mt=$work/monotime

# --- data ------------------------------------------------------------------
# Rows as TSV (name, password, comment); the script and the raw baseline both
# come from it. Deterministic pseudo-random 16-character passwords.
awk -v n="$N" 'BEGIN {
	srand(20240611);
	al = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	split("Berlin Hamburg Munich Cologne Frankfurt Stuttgart Leipzig Dresden", city, " ");
	for (i = 0; i < n; i++) {
		pw = "";
		for (k = 0; k < 16; k++)
			pw = pw substr(al, int(rand() * length(al)) + 1, 1);
		printf "user%05d\t%s\tCustomer %05d - %s branch, contract %d\n", i, pw, i,
		       city[i % 8 + 1], 100000 + (i * 7919) % 900000;
	}
}' > "$work/rows.tsv"
mkrsc() {	# mkrsc LINES > file: the /ppp secret script of the first LINES rows
	head -n "$1" "$work/rows.tsv" | awk -F '\t' 'BEGIN { print "/ppp secret" }
		{ printf "add name=%s password=%s profile=default service=ovpn comment=\"%s\"\n", $1, $2, $3 }'
}
mkrsc "$N" > "$work/bench.rsc"
mkrsc "$SAMPLE" > "$work/sample.rsc"
mkrsc $((SAMPLE * 2)) > "$work/sample2.rsc"

# A fresh database folder with the script in its file store.
freshdb() {	# freshdb NAME -> prints the database path
	rm -rf "${work:?}/$1"
	mkdir -p "$work/$1/files"
	cp "$work/bench.rsc" "$work/$1/files/bench.rsc"
	echo "$work/$1/config.db"
}

# timed OUT STDIN CMD...: run once, seconds into $t; flags breakage.
t=0
timed() {
	local out=$1 in=$2 rc
	shift 2
	"$mt" "$work/t" "$@" < "$in" > "$out" 2> "$work/stderr"
	rc=$?
	t=$(cat "$work/t" 2>/dev/null || echo 0)
	if [ "$rc" -ge 128 ]; then
		fail "CRASH (signal $((rc - 128))): $*"; sed 's/^/    /' "$work/stderr" >&2
	elif [ "$rc" -ne 0 ]; then
		fail "exit $rc: $*"; head -5 "$work/stderr" | sed 's/^/    /' >&2
	fi
	return "$rc"
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (b < a ? b : a) }'; }
count() {	# count DB: items in /ppp secret
	"$rosh" --db "$1" -c '/ppp secret print count-only' 2>/dev/null | tr -dc '0-9'
}
check_count() {	# check_count DB WANT WHAT
	local got
	got=$(count "$1")
	[ "$got" = "$2" ] || fail "$3 left ${got:-?} items, expected $2"
}

echo "rosh console benchmark: $N /ppp secret items, best of $RUNS, rosh=$rosh"
echo "working in $work (removed on exit)"
echo

# --- (a) /import, one transaction --------------------------------------------
note "(a) /import file-name=bench.rsc ..."
imp=
for r in $(seq "$RUNS"); do
	db=$(freshdb imp)
	"$rosh" --db "$db" -c ':put ready' > /dev/null 2>&1	# create + migrate, untimed
	timed /dev/null /dev/null "$rosh" --db "$db" -c '/import file-name=bench.rsc' || break
	imp=$(min "${imp:-$t}" "$t")
	check_count "$db" "$N" "/import"
done
printdb=$db	# the last imported database is used for the print figures

# --- (b) the same lines on stdin, one transaction each -------------------------
note "(b) the script on stdin ..."
stdin_scaled=0 stdin_runs=0 stdin=""
db=$(freshdb probe)
"$rosh" --db "$db" -c ':put ready' > /dev/null 2>&1
timed /dev/null "$work/sample.rsc" "$rosh" --db "$db"; t1=$t
db=$(freshdb probe)
"$rosh" --db "$db" -c ':put ready' > /dev/null 2>&1
timed /dev/null "$work/sample2.rsc" "$rosh" --db "$db"; t2=$t
# t(n) ~ a*n + b*n^2 through the two samples (n in thousands), at N
proj=$(awk -v t1="$t1" -v t2="$t2" -v n="$N" -v s="$SAMPLE" 'BEGIN {
	k = n / s; b = (t2 - 2 * t1) / 2; if (b < 0) b = 0; a = t1 - b;
	printf "%.3f", a * k + b * k * k }')
if awk -v p="$proj" -v lim="$STDIN_BUDGET" 'BEGIN { exit !(p <= lim) }'; then
	spent=0
	for r in $(seq "$RUNS"); do
		db=$(freshdb stdin)
		"$rosh" --db "$db" -c ':put ready' > /dev/null 2>&1
		timed /dev/null "$work/bench.rsc" "$rosh" --db "$db" || break
		stdin=$(min "${stdin:-$t}" "$t")
		stdin_runs=$r
		check_count "$db" "$N" "stdin"
		spent=$(awk -v a="$spent" -v b="$t" 'BEGIN { print a + b }')
		# keep the whole of (b) near the budget
		awk -v s="$spent" -v lim="$STDIN_BUDGET" 'BEGIN { exit !(s > lim) }' && break
	done
else
	stdin_scaled=1
	best=
	for r in $(seq "$RUNS"); do
		db=$(freshdb stdin)
		"$rosh" --db "$db" -c ':put ready' > /dev/null 2>&1
		timed /dev/null "$work/sample.rsc" "$rosh" --db "$db" || break
		best=$(min "${best:-$t}" "$t")
		stdin_runs=$r
	done
	[ -n "$best" ] &&
		stdin=$(awk -v b="$best" -v n="$N" -v s="$SAMPLE" 'BEGIN { printf "%.6f", b * n / s }')
fi

# --- (c)-(f) print, detail, count-only, export ---------------------------------
best_of() {	# best_of OUT CMD: best of RUNS of rosh -c CMD on the printed db
	local best="" r
	for r in $(seq "$RUNS"); do
		timed "$1" /dev/null "$rosh" --db "$printdb" -c "$2" || break
		best=$(min "${best:-$t}" "$t")
	done
	echo "$best"
}
start="" print="" detail="" cnt="" export=""
if [ -n "$imp" ]; then
	note "(c)-(f) print, print detail, count-only, export ..."
	start=$(best_of /dev/null ':put ready')
	print=$(best_of /dev/null '/ppp secret print without-paging')
	detail=$(best_of /dev/null '/ppp secret print detail without-paging')
	cnt=$(best_of /dev/null '/ppp secret print count-only')
	export=$(best_of /dev/null '/ppp secret export')
	"$rosh" --db "$printdb" -c '/ppp secret print without-paging' > "$work/print.txt" 2>&1
	lines=$(wc -l < "$work/print.txt")
	[ "$lines" -ge "$N" ] || fail "print gave $lines lines for $N items"
else
	note "(c)-(f) skipped: no imported database to print"
fi

# --- raw SQLite --------------------------------------------------------------
note "raw SQLite ..."
rawins="" rawsel="" rawbytes=0
for r in $(seq "$RUNS"); do
	rm -f "$work/raw.db" "$work/raw.db-wal" "$work/raw.db-shm"
	if ! "$work/sqlite_insert" "$work/raw.db" "$N" "$work/rows.tsv" > "$work/raw.txt" 2> "$work/stderr"; then
		fail "sqlite_insert failed"; sed 's/^/    /' "$work/stderr" >&2; break
	fi
	i=$(awk '$1 == "insert_seconds" { print $2 }' "$work/raw.txt")
	s=$(awk '$1 == "select_seconds" { print $2 }' "$work/raw.txt")
	rawbytes=$(awk '$1 == "select_bytes" { print $2 }' "$work/raw.txt")
	rawins=$(min "${rawins:-$i}" "$i")
	rawsel=$(min "${rawsel:-$s}" "$s")
done
sqlver=$(head -1 "$work/raw.txt" 2>/dev/null | awk '{ sub(",", "", $2); print $2 }')

# --- report ------------------------------------------------------------------
# Empty figures (a failed step) print as n/a.
ms() { if [ -z "$1" ]; then printf '%13s' "n/a"; else awk -v s="$1" 'BEGIN { printf "%10.1f ms", s * 1000 }'; fi; }
ratio() {
	if [ -z "$1" ] || [ -z "$2" ]; then printf '%7s' "-"; return; fi
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%6.1fx", a / b; else printf "%7s", "-" }'
}
verdict() {	# verdict VALUE LIMIT
	if [ -z "$1" ] || [ -z "$2" ]; then echo "n/a"; return; fi
	awk -v v="$1" -v lim="$2" 'BEGIN { print (v < lim ? "MET" : "MISSED") }'
}
times5() { [ -n "$1" ] && awk -v b="$1" 'BEGIN { print 5 * b }'; }
minus() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { print a - b }'; }

stdin_note="full run, best of $stdin_runs; projected from $SAMPLE/$((SAMPLE * 2))-line samples: ${proj}s"
[ "$stdin_scaled" = 1 ] &&
	stdin_note="SCALED: best of $stdin_runs runs of $SAMPLE lines x $((N / SAMPLE)) (projected full run ${proj}s > ${STDIN_BUDGET}s budget; a lower bound if per-line cost grows)"
[ "$stdin_scaled" = 0 ] && [ "$stdin_runs" -lt "$RUNS" ] &&
	stdin_note="$stdin_note (fewer runs: budget ${STDIN_BUDGET}s)"

echo
echo "Figures (wall time, monotonic clock, best of $RUNS; rosh figures include process start)"
printf '%-52s %s\n' "rosh start-up + open (-c ':put ready')" "$(ms "$start")"
printf '%-52s %s   %s\n' "(a) /import file-name=bench.rsc ($N adds, 1 txn)" "$(ms "$imp")" "$(ratio "$imp" "$rawins") raw insert"
printf '%-52s %s   %s\n' "(b) same script on stdin (1 txn per line)" "$(ms "$stdin")" "$(ratio "$stdin" "$imp") of (a)"
echo "    ($stdin_note)"
printf '%-52s %s   %s\n' "(c) /ppp secret print without-paging" "$(ms "$print")" "$(ratio "$print" "$rawsel") raw select"
printf '%-52s %s   %s\n' "(d) /ppp secret print detail without-paging" "$(ms "$detail")" "$(ratio "$detail" "$rawsel") raw select"
printf '%-52s %s\n' "(e) /ppp secret print count-only" "$(ms "$cnt")"
printf '%-52s %s\n' "(f) /ppp secret export" "$(ms "$export")"
printf '%-52s %s\n' "raw SQLite $sqlver insert (1 txn, prepared, +journal)" "$(ms "$rawins")"
printf '%-52s %s\n' "raw SQLite select all + format ($rawbytes bytes)" "$(ms "$rawsel")"
echo
imp_net=$(minus "$imp" "$start")
print_net=$(minus "$print" "$start")
echo "Without start-up: import $(ms "$imp_net") = $(ratio "$imp_net" "$rawins") raw;" \
	"print $(ms "$print_net") = $(ratio "$print_net" "$rawsel") raw"
echo
echo "Targets"
printf '  %-40s %-8s (%s)\n' "import < 1 s" "$(verdict "$imp" 1)" "$(ms "$imp" | tr -s ' ')"
printf '  %-40s %-8s (%s)\n' "print < 200 ms" "$(verdict "$print" 0.2)" "$(ms "$print" | tr -s ' ')"
# within 5x: console time <= 5 x raw time (verdict's "<" is fine at this precision)
printf '  %-40s %-8s (%s)\n' "import within 5x of raw SQLite insert" \
	"$(verdict "$imp" "$(times5 "$rawins")")" "$(ratio "$imp" "$rawins" | tr -d ' ')"
printf '  %-40s %-8s (%s)\n' "print within 5x of raw SQLite select" \
	"$(verdict "$print" "$(times5 "$rawsel")")" "$(ratio "$print" "$rawsel" | tr -d ' ')"

if [ "$broken" -ne 0 ]; then
	echo
	echo "Something failed (see messages above); figures may be incomplete."
	exit 1
fi
exit 0
