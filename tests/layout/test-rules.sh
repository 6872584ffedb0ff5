#!/bin/bash
# test-rules.sh: the rules between folders (HACKING.md), checked on the source
# tree so that a change which breaks one fails here, naming the file and line.
#   - only configdb/ speaks SQL: nobody else includes sqlite3.h or db_int.h;
#   - engine/ovpn/ and pki/ are pure: libc and wolfSSL, and their own headers
#     (engine/ovpn/ also the two decompressors, lz4.h and lzo/lzo1x.h: they
#     are pure computation on buffers, no I/O, and compress.c is their
#     only user);
#   - configdb/ uses neither the console nor the engine;
#   - the console and the engine never include or link each other;
#   - a product file stays under 1,000 lines, a function under 80.
# Usage: SRC=top bash test-rules.sh (run.sh sets SRC); exit 0 when all hold.
set -u
cd "${SRC:-$(dirname "$0")/../..}" || exit 1
bad=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
no() { echo "rule broken: $*"; bad=$((bad + 1)); }

product() { git ls-files 2>/dev/null -- "$@" || find "$@" -type f; }
sources() { product configdb engine shell pki radius | grep -E '\.[ch]$'; }

# the C library and POSIX headers a pure library may use: no sockets, no Linux
LIBC='arpa/inet|assert|ctype|errno|inttypes|limits|stdarg|stdbool|stddef|stdint|stdio|stdlib|string|strings|time|sys/types'

# one grep, one awk per rule: a process per file and line took minutes on
# a loaded machine
sql_users=$( (sources; product tests bench | grep -E '\.[ch]$') |
	grep -vE '^(configdb/|bench/sqlite_insert\.c$)')
# bench/sqlite_insert.c measures SQLite alone, the baseline configdb is
# compared with; it is built by bench/console.sh, never into rosh or roshd
# shellcheck disable=SC2086
grep -nHE '^#[[:space:]]*include[[:space:]]*[<"]([^>"]*/)?(sqlite3|db_int)\.h[>"]' $sql_users |
	sed -E 's#^([^:]*:[0-9]+):.*#rule broken: \1: SQL outside configdb/#' > "$out"
[ -s "$out" ] && { cat "$out"; bad=$((bad + $(wc -l < "$out"))); }

pure() {	# folder: includes only libc, wolfSSL and files of its own folder
	local dir=$1 own
	own=" $(product "$dir" | grep -E '\.[ch]$' | sed "s#^$dir/##" | grep -v / | tr '\n' ' ')"
	# shellcheck disable=SC2046
	awk -v dir="$dir" -v own="$own" -v libc="^<($LIBC)\\.h>$" '
		/^#[ \t]*include/ {
			if (!match($0, /[<"][^>"]*[>"]/))
				next
			inc = substr($0, RSTART, RLENGTH)
			at = "rule broken: " FILENAME ":" FNR ": " inc
			if (inc ~ /^<wolfssl\//)
				next
			if (inc == "<lz4.h>" || inc == "<lzo/lzo1x.h>") {
				if (dir != "engine/ovpn")
					print at " is for engine/ovpn/ only"
			} else if (inc ~ /^"/) {
				name = substr(inc, 2, length(inc) - 2)
				if (name ~ /\// || index(own, " " name " ") == 0)
					print at " is outside " dir "/"
			} else if (inc !~ libc)
				print at " is not libc or wolfSSL"
		}' $(product "$dir" | grep -E '\.[ch]$')
}
{
pure engine/ovpn
[ -d pki ] && pure pki
} > "$out"
[ -s "$out" ] && { cat "$out"; bad=$((bad + $(wc -l < "$out"))); }

# configdb/ knows nothing of the others; shell/ and engine/ know nothing of each other
for pair in "configdb:shell/ engine/ pki/ sh.h engine.h" "shell:engine/ ovpn/ engine.h" \
	"engine:shell/ sh.h console.h" "radius:shell/ engine/ pki/ sh.h engine.h"; do
	dir=${pair%%:*}
	for word in ${pair#*:}; do
		case "$word" in */) re="\"([^\"]*/)?$word" ;; *) re="\"([^\"]*/)?${word//./\\.}\"" ;; esac
		grep -nE "^#[[:space:]]*include[[:space:]]*$re" $(product "$dir" | grep -E '\.[ch]$') |
			while IFS= read -r l; do echo "rule broken: $l: $dir/ includes $word"; done
	done
done > "$out"
[ -s "$out" ] && { cat "$out"; bad=$((bad + $(wc -l < "$out"))); }

# the link lines: what each program is made of (Makefile.am variables)
mkvar() {	# the value of an automake variable, continuation lines joined, += added
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' Makefile.am | sed -nE "s/^$1[[:space:]]*\+?=//p" | tr '\n' ' '
}
rosh_parts="$(mkvar rosh_SOURCES) $(mkvar rosh_LDADD) $(mkvar libshell_a_SOURCES)"
roshd_parts="$(mkvar roshd_SOURCES) $(mkvar roshd_LDADD)"
for w in $rosh_parts; do
	case "$w" in engine/*|libovpn.a) no "rosh links $w (engine code)" ;; esac
done
for w in $roshd_parts; do
	case "$w" in shell/*|libshell.a) no "roshd links $w (console code)" ;; esac
done

# sizes: files under 1,000 lines (tables of constants excepted), functions
# under 80 (a body runs from a "{" in column 1 to the next "}" in column 1)
# shellcheck disable=SC2046
awk '
	FNR == 1 { s = 0; name = "" }
	FNR == 1000 && FILENAME !~ /_tables\.h$/ { print "rule broken: " FILENAME " has 1000 lines or more (at most 999)" }
	/^\{/ { s = FNR; name = prev }
	/^\}/ && s { if (FNR - s - 1 > 80)
		printf "rule broken: %s:%d: %s is %d lines (at most 80)\n", FILENAME, s, name, FNR - s - 1; s = 0 }
	{ if ($0 ~ /^[a-z_][a-z0-9_]*\(/) prev = $0 }' $(sources) > "$out"
[ -s "$out" ] && { cat "$out"; bad=$((bad + $(wc -l < "$out"))); }

[ $bad -eq 0 ] && echo "every rule holds"
[ $bad -eq 0 ]
