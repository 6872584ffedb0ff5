#!/usr/bin/env bash
# rest.sh: requests per second of REST (rosh --serve www / www-ssl) against
# the console doing the same print itself. Prints figures, asserts nothing
# about speed; exits non-zero only when something breaks (the server does
# not start, a request fails).
#
# usage: bash bench/rest.sh [BUILD_DIR]
#   BUILD_DIR  folder holding the built `rosh` (default: the source tree).
#   Env: ITEMS (/ppp secret items, default 100), REQS (requests per figure,
#   default 2000), PUTS (adds timed, default 300).
set -u

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/..}
build=$(cd "$build" && pwd) || { echo "rest.sh: no folder $1" >&2; exit 2; }
rosh=$build/rosh
ITEMS=${ITEMS:-100}
REQS=${REQS:-2000}
PUTS=${PUTS:-300}
[ -x "$rosh" ] || { echo "rest.sh: $rosh not found; build it first" >&2; exit 2; }
command -v curl > /dev/null || { echo "rest.sh: needs curl" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rosh-bench.XXXXXX") || exit 2
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
db=$work/config.db
r() { "$rosh" --db "$db" --socket "$work/none.sock" "$@"; }

port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		[ -z "$(ss -Hltn "sport = :$p" 2> /dev/null)" ] && { echo "$p"; return 0; }
	done
	return 1
}
now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%8.0f /s  (%d in %.2f s)", n / (b - a), n, b - a }'; }

serve() {
	"$rosh" --db "$db" --socket "$work/none.sock" --serve "$1" > "$work/$1.log" 2>&1 &
	pid=$!
	for _ in $(seq 50); do
		ss -Hltn "sport = :$2" 2> /dev/null | grep -q . && return 0
		sleep 0.1
	done
	echo "rest.sh: $1 did not start: $(cat "$work/$1.log")" >&2
	exit 1
}
stop() { kill "$pid"; wait "$pid" 2> /dev/null; pid=""; }

P=$(port) && S=$(port) || { echo "rest.sh: no free port" >&2; exit 2; }
{
	echo "/ppp secret"
	for i in $(seq "$ITEMS"); do echo "add name=user$i password=pw$i service=ovpn comment=\"customer $i\""; done
	echo "/ip service set www port=$P"
	echo "/certificate add name=ca common-name=ca key-usage=key-cert-sign,crl-sign key-type=ec key-size=prime256v1"
	echo "/certificate sign ca"
	echo "/certificate add name=web common-name=127.0.0.1 key-type=ec key-size=prime256v1"
	echo "/certificate sign web ca=ca"
	echo "/ip service set www-ssl port=$S certificate=web"
} > "$work/setup.rsc"
r < "$work/setup.rsc" > "$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 1; }

echo "REST on 127.0.0.1, GET /rest/ppp/secret of $ITEMS items (every figure one run):"
serve www "$P"
url=http://127.0.0.1:$P/rest/ppp/secret
a=$(now)
curl -sf -o /dev/null -u admin: "$url?[1-$REQS]" || { echo "rest.sh: GET failed" >&2; exit 1; }
b=$(now)
echo "  HTTP, one keep-alive connection:      $(rate "$REQS" "$a" "$b")"
n=$((REQS / 10))
a=$(now)
for _ in $(seq "$n"); do curl -sf -o /dev/null -u admin: "$url" || exit 1; done
b=$(now)
echo "  HTTP, a curl process per request:     $(rate "$n" "$a" "$b")"
a=$(now)
for i in $(seq "$PUTS"); do
	curl -sf -o /dev/null -u admin: -X PUT -d "{\"name\":\"put$i\"}" "http://127.0.0.1:$P/rest/ppp/secret" || exit 1
done
b=$(now)
echo "  HTTP PUT, a curl process per request: $(rate "$PUTS" "$a" "$b")"
stop
serve www-ssl "$S"
a=$(now)
curl -sfk -o /dev/null -u admin: "https://127.0.0.1:$S/rest/ppp/secret?[1-$REQS]" ||
	{ echo "rest.sh: HTTPS GET failed" >&2; exit 1; }
b=$(now)
echo "  HTTPS, one keep-alive connection:     $(rate "$REQS" "$a" "$b")"
stop
a=$(now)
r -c ":for i from=1 to=$REQS do={ :local x [/ppp secret print as-value] }" || exit 1
b=$(now)
echo "  the console itself, print as-value:   $(rate "$REQS" "$a" "$b")"
