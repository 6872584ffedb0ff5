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

for f in $(sources; product tests bench | grep -E '\.[ch]$'); do
	# bench/sqlite_insert.c measures SQLite alone, the baseline configdb is
	# compared with; it is built by bench/console.sh, never into rosh or roshd
	case "$f" in configdb/*|bench/sqlite_insert.c) continue ;; esac
	grep -nE '^#[[:space:]]*include[[:space:]]*[<"]([^>"]*/)?(sqlite3|db_int)\.h[>"]' "$f" |
		while IFS= read -r l; do echo "rule broken: $f:${l%%:*}: SQL outside configdb/"; done
done > "$out"
[ -s "$out" ] && { cat "$out"; bad=$((bad + $(wc -l < "$out"))); }

pure() {	# folder: includes only libc, wolfSSL and files of its own folder
	local dir=$1 f l inc
	for f in $(product "$dir" | grep -E '\.[ch]$'); do
		while IFS= read -r l; do
			inc=$(echo "${l#*:}" | sed -nE 's/^#[[:space:]]*include[[:space:]]*([<"][^>"]*[>"]).*/\1/p')
			case "$inc" in
			'') ;;
			\<wolfssl/*) ;;
			'<lz4.h>'|'<lzo/lzo1x.h>') [ "$dir" = engine/ovpn ] ||
				no "$f:${l%%:*}: $inc is for engine/ovpn/ only" ;;
			\"*) [ -f "$dir/$(echo "$inc" | tr -d '"')" ] && ! echo "$inc" | grep -q / ||
				no "$f:${l%%:*}: $inc is outside $dir/" ;;
			*) echo "$inc" | grep -qE "^<($LIBC)\.h>$" || no "$f:${l%%:*}: $inc is not libc or wolfSSL" ;;
			esac
		done < <(grep -n '^#[[:space:]]*include' "$f")
	done
}
pure engine/ovpn
[ -d pki ] && pure pki

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

# sizes: files under 1,000 lines (tables of constants excepted), functions under 80
for f in $(sources); do
	case "$f" in *_tables.h) continue ;; esac
	n=$(wc -l < "$f")
	[ "$n" -lt 1000 ] || no "$f has $n lines (at most 999)"
	# a function body runs from a "{" in column 1 to the next "}" in column 1
	awk -v f="$f" '/^\{/ { s = NR; name = prev } /^\}/ && s { if (NR - s - 1 > 80)
		printf "rule broken: %s:%d: %s is %d lines (at most 80)\n", f, s, name, NR - s - 1; s = 0 }
		{ if ($0 ~ /^[a-z_][a-z0-9_]*\(/) prev = $0 }' "$f"
done > "$out"
[ -s "$out" ] && { cat "$out"; bad=$((bad + $(wc -l < "$out"))); }

[ $bad -eq 0 ] && echo "every rule holds"
[ $bad -eq 0 ]
