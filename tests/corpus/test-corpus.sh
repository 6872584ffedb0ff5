#!/bin/bash
# test-corpus.sh: .ovpn profiles and RouterOS scripts that other people
# wrote, through the importers, each in a fresh database. The files are not
# in the tree (fetched files may not be committed); a corpus root is a
# folder with ovpn/ (profiles *.ovpn, the files they name beside them) and
# rsc/ (scripts *.rsc). The roots, each used when it exists:
#   $ROSH_CORPUS                    any folder of that layout
#   ../shared/corpus                beside the clone (as CI has shared/)
#   _deps/corpus-debian             made by tools/corpus-debian.sh
# tests/corpus/SOURCES.md lists where each file of the first two came from
# and its SHA-256, checked here.
# Asserted:
#   - a profile imports, or is refused for a reason a user accepts (a
#     placeholder or missing server, a named file the corpus lacks, a
#     server's configuration); any other refusal fails;
#   - a profile that verifies its server (ca, verify-x509-name,
#     remote-cert-tls, peer-fingerprint ...) imports as a client that does;
#   - a script, run with /import verbose=yes, has no refused line on a menu
#     Rosh has (the menus and commands come from `rosh --man-menus`). A
#     value the schema refuses counts with the menus Rosh lacks when its
#     reason names one ("no /queue here"), or as refused by design when
#     rosh-menus.7 gives that reason for the property; a reference to an
#     item only refused lines made is counted as their consequence.
# Exit 77 (skip) when no root exists.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "${SRC:-$here/../..}" && pwd)
rosh=$(realpath -e "${ROSH:-$src/_build/rosh}" 2> /dev/null) || { echo "no rosh at ${ROSH:-$src/_build/rosh}"; exit 1; }
work=$(mktemp -d "${WORK:-/tmp}/corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
sources=$here/SOURCES.md
failures=0

# What an imported client must show (in its export) for each directive of
# the profile that asks to verify the server: DIRECTIVES, the property the
# rule needs, and an ERE. A rule whose property this rosh lacks (the
# catalog says) falls back to verify-server-certificate=yes, so the check
# grows stricter by itself as /interface ovpn-client gains properties.
VERIFY_RULES=(
	'ca|capath'			verify-server-certificate	'verify-server-certificate=yes'
	'remote-cert-tls|ns-cert-type'	verify-server-usage		'verify-server-usage=[^ ]*(tls-server|ns-server)'
	'verify-x509-name|tls-remote'	verify-server-name		'verify-server-name='
	'peer-fingerprint'		server-fingerprint		'server-fingerprint='
)
VERIFYING='^[[:space:]]*<?(ca|capath|verify-x509-name|remote-cert-tls|ns-cert-type|tls-remote|peer-fingerprint)([[:space:]>]|$)'
# Refusals a user accepts, with the name the results give them.
ACCEPTED=(
	'placeholder|names no server|no remote'		'no usable server named'
	"server's configuration|not a client profile|is a server option" 'a server configuration'
	'OpenVPN 2\.6 refuses it too'			'a directive OpenVPN 2.6 itself refuses'
	'static-key mode.*no forward secrecy'		'static-key mode, which OpenVPN 2.6 deprecates'
)
# A missing file is accepted only when the message names a file the profile
# names and the corpus has not (one it has is in the file store).
MISSING='missing|not found|no such file|not in the file store|does not exist|cannot read|no file'
# A script line refused for a file the corpus lacks (/import file-name=X).
MISSING_RSC='no such file'
# A script line that names an item of another menu (profile=, certificate=)
# that neither the script makes nor a fresh router has: RouterOS refuses
# it the same way. Accepted only when the value is nowhere in the script as
# a name=.
UNKNOWN_REF='input does not match any value of ([a-z-]+)'

# A value refused by the schema ("PROP=VALUE is not supported: why"): the
# why names a menu ("no /queue here") that rosh --man-menus lacks, or it is
# the reason rosh-menus.7 documents for refusing that property.
NOT_SUPPORTED='^([a-z0-9-]+)=.* is not supported: (.*)$'

fail() { failures=$((failures + 1)); echo "FAIL $*"; }

# Every .ovpn line that names a file: its last path component.
named_files() {
	tr -d '\r' < "$1" | awk '
	$1 ~ /^(ca|cert|key|pkcs12|tls-auth|tls-crypt|tls-crypt-v2|secret|auth-user-pass|crl-verify|extra-certs|askpass|dh|capath)$/ && NF > 1 && $2 != "[inline]" { print $2 }
	$1 == "http-proxy" && NF > 3 { print $4 }' | tr -d '"' | sed 's|.*[/\\]||' | sort -u
}

# The credentials files a profile names (auth-user-pass FILE): a user who
# imports it writes one, and so does the test when the corpus has none, so
# that the rest of the profile is tried.
credential_files() {
	tr -d '\r' < "$1" | awk '$1 == "auth-user-pass" && NF > 1 && $2 != "[inline]" { print $2 }' |
		tr -d '"' | sed 's|.*[/\\]||' | sort -u
}

# A string for the console, in double quotes.
quoted() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; s=${s//\$/\\\$}; printf '"%s"' "$s"; }

fresh_db() { rm -rf "$work/db"; mkdir -p "$work/db/files"; echo "$work/db/config.db"; }

# An imported client keeps the verification its profile asks for.
check_verify() {	# DB NAME PROFILE LABEL
	local asks kept k want missing=""
	asks=$(tr -d '\r' < "$3" | grep -oE "$VERIFYING" | tr -d '<>' | awk '{ print $1 }' | sort -u | tr '\n' ' ')
	[ -n "$asks" ] || { echo "ok   $4: imported (verifies nothing)"; return 0; }
	kept=$("$rosh" --db "$1" -c '/interface ovpn-client export verbose' 2>&1 |
		sed -e ':a' -e '/\\$/N; s/\\\n *//; ta' | grep -E "name=\"?$2\"?( |$)")
	for ((k = 0; k < ${#VERIFY_RULES[@]}; k += 3)); do
		grep -qwE "${VERIFY_RULES[k]}" <<< "$asks" || continue
		want=${VERIFY_RULES[k + 2]}
		grep -qx -- "${VERIFY_RULES[k + 1]}" "$work/client-props" || want='verify-server-certificate=yes'
		[[ " $kept " =~ $want ]] || [[ "$missing " == *" $want "* ]] || missing="$missing $want"
	done
	if [ -z "$missing" ]; then
		echo "ok   $4: imported, verifies the server as the profile asks ($asks)"
		return 0
	fi
	ovpn_unverified=$((ovpn_unverified + 1))
	fail "$4: imported WITHOUT the server verification it asks for: the profile has $asks;" \
		"the client lacks$missing: ${kept:-not found}"
}

# Why a refusal is one a user accepts, or nothing. ABSENT lists the files
# the profile names that the corpus lacks.
accepted() {	# MESSAGE ABSENT
	local k f
	for ((k = 0; k < ${#ACCEPTED[@]}; k += 2)); do
		grep -qiE "${ACCEPTED[k]}" <<< "$1" && { echo "${ACCEPTED[k + 1]}"; return; }
	done
	grep -qiE "$MISSING" <<< "$1" || return 0
	while IFS= read -r f; do
		[ -n "$f" ] && grep -qF "$f" <<< "$1" && { echo "a named file is missing ($f)"; return; }
	done < "$2"
}

run_ovpn() {	# ROOT FILE
	local root=$1 f=$2 label=${2#"$1"/} group db name out rc why c found
	# the files it names are looked for in its own folder under ovpn/
	group=$root/ovpn/$(cut -d/ -f2 <<< "$label")
	[ -d "$group" ] || group=$root/ovpn
	db=$(fresh_db)
	name=$(basename "$f")
	cp "$f" "$work/db/files/$name"
	: > "$work/absent"
	while IFS= read -r c; do
		[ -n "$c" ] || continue
		found=$(find "$group" -type f -name "$c" 2> /dev/null | head -1)
		if [ -n "$found" ]; then
			cp "$found" "$work/db/files/"
		elif credential_files "$f" | grep -qxF -- "$c"; then
			printf 'corpus-user\ncorpus-password\n' > "$work/db/files/$c"
		else
			echo "$c" >> "$work/absent"
		fi
	done < <(named_files "$f")
	out=$(cd "$work" && timeout 60 "$rosh" --db "$db" -c \
		"/interface ovpn-client import-ovpn-configuration file-name=$(quoted "$name")" 2>&1)
	rc=$?
	ovpn_total=$((ovpn_total + 1))
	if [ $rc -eq 0 ]; then
		ovpn_imported=$((ovpn_imported + 1))
		check_verify "$db" "$(sed -n 's/^ *interface: //p' <<< "$out" | head -1)" "$f" "$label"
		return
	fi
	why=$(accepted "$out" "$work/absent")
	if [ -n "$why" ]; then
		ovpn_refused_ok=$((ovpn_refused_ok + 1))
		echo "ok   $label: refused, $why: $(head -1 <<< "$out")"
	else
		fail "$label: refused: $(head -3 <<< "$out" | tr '\n' ' ')"
	fi
}

# The refused lines of a script as "LINE<TAB>MESSAGE": /import verbose=yes
# prints "FILE line N: MESSAGE" for each and "N lines applied, M refused";
# a rosh without it runs the file in batch mode, every line on its own too.
refused_lines() {	# DB NAME FILE
	local out
	out=$(cd "$work" && timeout 120 "$rosh" --db "$1" -c "/import file-name=$(quoted "$2") verbose=yes" 2>&1)
	if grep -qE '^[0-9]+ lines? applied, [0-9]+ refused' <<< "$out"; then
		awk -v p="$2 line " 'index($0, p) == 1 { r = substr($0, length(p) + 1); n = r + 0;
			sub(/^[0-9]+: */, "", r); print n "\t" r }' <<< "$out"
		return
	fi
	if ! grep -q 'bad argument name verbose' <<< "$out"; then
		printf '0\t%s\n' "$(head -1 <<< "$out")"
		return
	fi
	batch_mode=1
	(cd "$work/db/files" && timeout 120 "$rosh" --db "$1" --keep-going < "$3" 2>&1) |
		sed -nE 's/^(.*) \(line ([0-9]+) column [0-9]+\)$/\2\t\1/p'
}

# The logical line N of a script (continued lines joined).
logical_line() {	# FILE N
	awk -v n="$2" 'NR >= n { t = $0; sub(/\r$/, "", t); if (NR > n) sub(/^[ \t]+/, "", t)
		if (t ~ /\\$/) { l = l substr(t, 1, length(t) - 1); next }
		print l t; exit }' "$1"
}

# Whether a line before LINE that was not refused made an item NAME.
made_before() {	# FILE LINE NAME
	awk -v n="$2" -v name="$3" 'NR == FNR { refused[$1] = 1; next }
		FNR >= n { exit }
		!(FNR in refused) { t = $0; gsub(/"/, "", t)
			if (index(" " t " ", " name=" name " ")) { found = 1; exit } }
		END { exit !found }' "$work/refused" <(tr -d '\r' < "$1")
}

# Why a schema refusal is one Rosh means, or nothing: "lacking MENU" when
# its reason names a menu Rosh does not have, "design" when rosh-menus.7
# documents the property's refusal with that very reason.
reasoned() {	# MESSAGE
	local prop why menu
	[[ $1 =~ $NOT_SUPPORTED ]] || return 0
	prop=${BASH_REMATCH[1]} why=${BASH_REMATCH[2]}
	if [[ $why =~ no\ (/[a-z0-9/-]+(\ [a-z0-9-]+)*)\ here ]]; then
		menu=${BASH_REMATCH[1]// //}
		grep -q "^$menu\( \|$\)" "$work/menus" || { echo "lacking $menu"; return; }
	fi
	awk -v p="$prop" -v w="($why)." '/^\\fB/ { q = $1; gsub(/\\fB|\\fR|\\/, "", q) }
		/^Refused: / && q == p { l = $0; gsub(/\\-/, "-", l); if (index(l, w)) f = 1 }
		END { exit !f }' "$work/man-menus" &&
		echo "design"
}

# Why a refusal of a line is the script's own doing, or nothing: the
# line names an item the script never makes, or its quotes do not close.
script_own() {	# FILE LINE MESSAGE
	local text prop value
	text=$(logical_line "$1" "$2")
	if grep -qE '=(<[^>]+>|[Xx]\.[Xx]\.[Xx]\.[Xx])([ /]|$)' <<< "$text"; then
		echo "a placeholder value"
		return
	fi
	if [[ $3 =~ $UNKNOWN_REF ]]; then
		prop=${BASH_REMATCH[1]}
		value=$(grep -oE "(^| )$prop=(\"[^\"]*\"|[^ ]+)" <<< "$text" | head -1 | sed -E "s/^ ?$prop=//; s/^\"(.*)\"$/\\1/")
		[ -n "$value" ] || return
		made=$(tr -d '\r' < "$1" | grep -nE "(^| )name=\"?$(sed 's/[][\.*^$/]/\\&/g' <<< "$value")\"?( |$)" | cut -d: -f1)
		if [ -z "$made" ]; then
			echo "names $prop $value, which the script does not make"
		else	# made only on lines refused above: their refusal is the cause
			for n in $made; do [ "$n" -lt "$2" ] && ! grep -q "^$n	" "$work/refused" && return; done
			echo "names $prop $value, which only line(s) $(tr '\n' ' ' <<< "$made")made, refused above"
		fi
		return
	fi
	if [[ $3 == "no such item"* ]]; then
		value=$(grep -oE 'copy-from=("[^"]*"|[^ ]+)' <<< "$text" | head -1 | sed -E 's/^copy-from=//; s/^"(.*)"$/\1/')
		[ -n "$value" ] || value=$(grep -oE '(^| )(get|set|remove|enable|disable|sign|revoke|export-certificate) +"?[^" =\[]+' <<< "$text" |
			head -1 | sed -E 's/.* +"?//')
		[ -n "$value" ] && ! made_before "$1" "$2" "$value" &&
			echo "names $value, which no line before it made"
		return
	fi
	if [[ $3 == "unterminated string"* ]] &&
		[ $(( $(sed 's/\\"//g' <<< "$text" | tr -cd '"' | wc -c) % 2 )) -eq 1 ]; then
		echo "its quotes do not close (a typo in the source)"
	fi
}

run_rsc() {	# ROOT FILE
	local label=${2#"$1"/} db name line kind menu msg own why bad=0 lacking=0 script=0 other=0 design=0
	db=$(fresh_db)
	name=$(basename "$2")
	cp "$2" "$work/db/files/$name"
	awk -v menus="$work/menus" -f "$here/menu-of-line.awk" "$2" > "$work/kinds"
	rsc_total=$((rsc_total + 1))
	refused_lines "$db" "$name" "$2" > "$work/refused"
	: > "$work/lacking"
	while IFS=$'\t' read -r line kind menu msg; do
		case ${kind:-rosh} in
		lacking) lacking=$((lacking + 1)); echo "$menu" >> "$work/lacking" ;;
		script) script=$((script + 1)); echo "     $label line $line (script): $msg" ;;
		placeholder) other=$((other + 1)); echo "     $label line $line (a placeholder value): $msg" ;;
		*) if [ "$line" = 0 ]; then
			bad=$((bad + 1)); fail "$label: the import did not run: $msg"
		   elif grep -qiE "$MISSING_RSC" <<< "$msg"; then
			other=$((other + 1)); echo "     $label line $line (a file the corpus lacks): $msg"
		   elif why=$(reasoned "$msg") && [[ $why == lacking* ]]; then
			lacking=$((lacking + 1)); echo "${why#lacking } (named by $menu)" >> "$work/lacking"
			echo "     $label line $line (a value of ${why#lacking }, a menu Rosh lacks): $msg"
		   elif [ "$why" = design ]; then
			design=$((design + 1)); echo "     $label line $line (refused by design, as rosh-menus.7 says): $msg"
		   elif own=$(script_own "$2" "$line" "$msg") && [ -n "$own" ]; then
			other=$((other + 1)); echo "     $label line $line ($own): $msg"
		   else
			bad=$((bad + 1)); fail "$label line $line ($menu): $msg"
		   fi ;;
		esac
	done < <(awk -F'\t' 'NR == FNR { k[$1] = $2 "\t" $3; next }
		{ print $1 "\t" ($1 in k ? k[$1] : "rosh\t-") "\t" $2 }' "$work/kinds" "$work/refused")
	rsc_refused_lacking=$((rsc_refused_lacking + lacking))
	rsc_refused_script=$((rsc_refused_script + script))
	rsc_refused_rosh=$((rsc_refused_rosh + bad))
	rsc_refused_other=$((rsc_refused_other + other))
	rsc_refused_design=$((rsc_refused_design + design))
	[ $bad -eq 0 ] && rsc_clean=$((rsc_clean + 1))
	[ -s "$work/lacking" ] && echo "     $label: menus Rosh lacks: $(sort "$work/lacking" | uniq -c |
		sort -rn | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')"
	echo "$([ $bad -eq 0 ] && echo 'ok  ' || echo 'FAIL') $label: $bad refused on menus Rosh has," \
		"$lacking on menus it lacks, $design by design, $script script lines, $other placeholders," \
		"missing files or its own errors"
}

# Each listed file of the root must be what SOURCES.md says it is.
check_sums() {	# ROOT
	local file sum got n=0 bad=0
	[ -f "$sources" ] || return 0
	while IFS=$'\t' read -r file sum; do
		[ -f "$1/$file" ] || continue
		n=$((n + 1))
		got=$(sha256sum "$1/$file" | cut -d' ' -f1)
		[ "$got" = "$sum" ] || { bad=$((bad + 1)); fail "$file: SHA-256 $got, SOURCES.md says $sum"; }
	done < <(awk -F'|' 'NF > 7 { f = $2; s = $7; gsub(/^ *`?|`? *$/, "", f); gsub(/ /, "", s);
		if (s ~ /^[0-9a-f]+$/ && length(s) == 64) print f "\t" s }' "$sources")
	echo "     $n files listed in SOURCES.md checked, $bad differ"
}

run_root() {	# ROOT
	local f
	echo "== corpus root $1"
	[ "$1" = "$debian" ] || check_sums "$1"
	[ -f "$1/MISSING" ] && sed 's/^/     not in this root: /' "$1/MISSING"
	while IFS= read -r -d '' f; do run_ovpn "$1" "$f"; done < <(find "$1/ovpn" -type f -name '*.ovpn' -print0 2> /dev/null | sort -z)
	while IFS= read -r -d '' f; do run_rsc "$1" "$f"; done < <(find "$1/rsc" -type f -name '*.rsc' -print0 2> /dev/null | sort -z)
}

debian=$src/_deps/corpus-debian
roots=()
[ -n "${ROSH_CORPUS:-}" ] && roots+=("$ROSH_CORPUS")
roots+=("$src/../shared/corpus" "$debian")
used=()
for r in "${roots[@]}"; do
	if [ -d "$r" ]; then
		used+=("$(cd "$r" && pwd)")
	elif [ "$r" = "$debian" ] && [ -f "$debian.failed" ]; then
		echo "== skipped $r: tools/corpus-debian.sh failed: $(cat "$debian.failed")"
	else
		echo "== no corpus root at $r"
	fi
done
if [ ${#used[@]} -eq 0 ]; then
	echo "no corpus: put files in \$ROSH_CORPUS or ../shared/corpus (ovpn/*.ovpn, rsc/*.rsc), or run tools/corpus-debian.sh"
	exit 77
fi
[ -x "$rosh" ] || { echo "rosh at $rosh can not be run"; exit 1; }
"$rosh" --man-menus | awk '/^\.SS /{ m = $2; gsub(/\\-/, "-", m); next }
	/^Commands:/ && m { l = $0; gsub(/\\fB|\\fR|,|\.$|Commands:/, "", l); print m l; m = "" }' > "$work/menus"
[ -s "$work/menus" ] || { echo "rosh --man-menus listed no menu"; exit 1; }
"$rosh" --man-menus > "$work/man-menus"
"$rosh" --man-menus | awk '/^\.SS / { on = $2 == "/interface/ovpn\\-client" }
	on && /^\\fB/ { p = $1; gsub(/\\fB|\\fR/, "", p); gsub(/\\-/, "-", p); print p }' > "$work/client-props"
ovpn_total=0 ovpn_imported=0 ovpn_unverified=0 ovpn_refused_ok=0
rsc_total=0 rsc_clean=0 rsc_refused_rosh=0 rsc_refused_lacking=0 rsc_refused_script=0 rsc_refused_other=0 batch_mode=0
rsc_refused_design=0
# The results go to a file first: the counts and the failures are printed
# before the files that passed, so that a runner showing the first lines
# of a failing test shows what matters.
for r in "${used[@]}"; do
	run_root "$r"
done > "$work/results"
echo "profiles: $ovpn_total, imported $ovpn_imported ($ovpn_unverified of them without the server" \
	"verification they ask for), refused for an accepted reason $ovpn_refused_ok, refused for another" \
	"$((ovpn_total - ovpn_imported - ovpn_refused_ok))"
echo "scripts: $rsc_total, clean $rsc_clean; refused lines: $rsc_refused_rosh on menus Rosh has," \
	"$rsc_refused_lacking on menus it lacks, $rsc_refused_design by design (documented)," \
	"$rsc_refused_script script statements," \
	"$rsc_refused_other placeholders, missing files or the script's own errors"
echo "$failures failures"
[ $batch_mode -eq 1 ] && echo "note: this rosh has no /import verbose=yes: scripts ran line by line in batch mode"
grep -E '^(==|FAIL)' "$work/results"
grep -vE '^(==|FAIL)' "$work/results"
[ $failures -eq 0 ]
