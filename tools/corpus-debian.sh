#!/bin/bash
# corpus-debian.sh: real OpenVPN profiles written by other people, taken
# from Debian's own source packages, for tests/corpus/test-corpus.sh. The
# files are brought by apt (checked against the signed Sources index) into
# _deps/, never into the tree:
#   openvpn                  the sample client and server configurations
#                            with the sample keys they name (the loopback
#                            ones are its self-tests, not profiles)
#   network-manager-openvpn  the profiles NetworkManager's importer is
#                            tested with, and the files they name
# Layout: DEST/ovpn/PACKAGE/... (profiles end in .ovpn, the files they name
# stay beside them); DEST/VERSIONS names the versions taken, DEST/MISSING the
# packages apt could not bring. When none came, DEST.failed says why, for the
# test to show.
#   tools/corpus-debian.sh [DEST]     (default: _deps/corpus-debian)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dest=$(realpath -m "${1:-$top/_deps/corpus-debian}")
cache=$top/_deps/src
. "$top/tools/apt-source.sh"

failed() {
	mkdir -p "$(dirname "$dest")"
	echo "$*" > "$dest.failed"
	echo "corpus-debian: $*" >&2
	exit 1
}

# PACKAGE: the folders of its source that hold profiles and what they name
folders() {
	case $1 in
	openvpn) echo "sample/sample-config-files sample/sample-keys" ;;
	network-manager-openvpn) echo "properties/tests/conf" ;;
	esac
}

# The openvpn samples are named .conf (or nothing); a profile here ends in
# .ovpn, so the configurations get .ovpn added and the scripts stay out.
take() {	# SOURCE_DIR PACKAGE
	local from=$1 to=$dest/ovpn/$2 d f
	for d in $(folders "$2"); do
		[ -d "$from/$d" ] || failed "$2 has no $d"
		mkdir -p "$to/$d"
		cp -p "$from/$d"/* "$to/$d/" 2> /dev/null || true
	done
	if [ "$2" = openvpn ]; then
		for f in "$to"/sample/sample-config-files/*; do
			case $f in */client.conf|*/server.conf) mv "$f" "$f.ovpn" ;; *) rm -f "$f" ;; esac
		done
	fi
}

command -v dpkg-source > /dev/null || failed "needs dpkg-dev (apt-get install dpkg-dev)"
mkdir -p "$cache"
apt_src "$cache/apt" corpus-debian 2> "$cache/apt-src.err" || failed "$(cat "$cache/apt-src.err")"
work=$(mktemp -d "$cache/corpus.XXXXXX")
chmod 755 "$work"	# apt downloads as its own user, _apt
trap 'rm -rf "$work"' EXIT
rm -rf "$dest" "$dest.failed"
mkdir -p "$dest"
for p in openvpn network-manager-openvpn; do
	# a package apt cannot bring is noted and the others are still taken;
	# the reason is apt's own, less the addresses it names
	if ! (cd "$work" && $APT source "$p" > "$p.log" 2>&1); then
		why=$(grep '^E:' "$work/$p.log" | head -1 | sed -E 's#[a-z]+://[^ ]*##g; s/\[IP:[^]]*\]//g; s/  +/ /g')
		echo "$p: apt-get source failed: ${why:-see $p.log}" >> "$dest/MISSING"
		continue
	fi
	src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name "$p-*" | head -1)
	[ -n "$src" ] || { echo "$p: apt brought no source" >> "$dest/MISSING"; continue; }
	take "$src" "$p"
	echo "$p $(basename "$src" | sed "s/^$p-//")" >> "$dest/VERSIONS"
done
[ -f "$dest/VERSIONS" ] || { why=$(cat "$dest/MISSING"); rm -rf "$dest"; failed "$why"; }
echo "$dest"
