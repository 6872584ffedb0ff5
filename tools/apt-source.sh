# shellcheck shell=bash
# apt-source.sh: sourced by the tools that bring Debian source packages
# (wolfssl-aesni.sh, corpus-debian.sh). Debian's source packages are fetched
# by apt from the machine's own Debian sources (a local mirror or proxy is
# honoured) and checked against the signed Sources index: deb-src entries
# are made from the machine's deb entries, in a private apt state under
# _deps/, so the system's apt configuration is left as it is.
#   apt_src DIR WHO    sets APT to the apt-get command line using DIR;
#                      WHO names the caller in its error messages
apt_src() {
	local dir=$1 who=$2 f
	mkdir -p "$dir/lists/partial" "$dir/sources.list.d"
	: > "$dir/sources.list"
	if [ -f /etc/apt/sources.list ]; then
		sed -nE 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list > "$dir/sources.list"
	fi
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		sed -E 's/^Types:.*$/Types: deb-src/' "$f" > "$dir/sources.list.d/$(basename "$f")"
	done
	for f in /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -nE 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" > "$dir/sources.list.d/$(basename "$f")"
	done
	APT="apt-get -q -o Dir::Etc::SourceList=$dir/sources.list -o Dir::Etc::SourceParts=$dir/sources.list.d -o Dir::State::Lists=$dir/lists"
	$APT update > "$dir/update.log" 2>&1 ||
		{ echo "$who: apt-get update of the source lists failed: $dir/update.log" >&2; return 1; }
}
