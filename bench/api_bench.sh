#!/usr/bin/env bash
# api_bench.sh: RouterOS API round trips per second (rosh --serve api on
# 127.0.0.1, one connection, one command in flight) for add and for a print
# of one item by query, beside the console's own speed for the same lines
# (rosh with the lines on its standard input). Prints figures; asserts
# nothing; exits non-zero only when something breaks.
#
# usage: bash bench/api_bench.sh [BUILD_DIR]     Env: N (commands, default 1000)
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/..}" && pwd) || exit 2
rosh=$build/rosh
N=${N:-1000}
[ -x "$rosh" ] || { echo "api_bench.sh: $rosh not found; build it first" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rosh-api-bench.XXXXXX") || exit 2
spid=
cleanup() { [ -n "$spid" ] && kill "$spid" 2> /dev/null; wait 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%8.0f /s  (%d in %.2f s)\n", n / (b - a), n, b - a }'; }

# the console: N adds, then N prints of one item, from standard input
db=$work/console.db
"$rosh" --db "$db" -c '/system identity print' > /dev/null || exit 1
for i in $(seq "$N"); do echo "/ppp secret add name=c$i password=p$i service=ovpn"; done > "$work/add.rsc"
for i in $(seq "$N"); do echo "/ppp secret print as-value where name=c$i"; done > "$work/print.rsc"
t0=$(now); "$rosh" --db "$db" < "$work/add.rsc" > /dev/null || exit 1; t1=$(now)
"$rosh" --db "$db" < "$work/print.rsc" > /dev/null || exit 1; t2=$(now)
printf 'console add    '; rate "$N" "$t0" "$t1"
printf 'console print  '; rate "$N" "$t1" "$t2"

# the API
db=$work/api.db
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$rosh" --db "$db" -c "/ip service set api port=$port" || exit 1
"$rosh" --db "$db" --socket "$work/none.sock" --serve api 2> "$work/serve.log" &
spid=$!
for _ in $(seq 100); do grep -q listening "$work/serve.log" && break; sleep 0.1; done
PYTHONPATH=$here/../tests/remote python3 - "$port" "$N" <<'PY' || exit 1
import sys, time
from apiclient import Api
port, n = int(sys.argv[1]), int(sys.argv[2])
a = Api(port, timeout=60)
assert a.login()[0][0] == "!done"
def rate(what, t0, t1):
    print("%-15s%8.0f /s  (%d in %.2f s)" % (what, n / (t1 - t0), n, t1 - t0))
t0 = time.monotonic()
for i in range(n):
    r = a.talk("/ppp/secret/add", "=name=a%d" % i, "=password=p%d" % i, "=service=ovpn")
    assert r[-1][0] == "!done" and "ret" in r[-1][1], r
t1 = time.monotonic()
for i in range(n):
    r = a.talk("/ppp/secret/print", "?name=a%d" % i)
    assert len(r) == 2 and r[0][1]["name"] == "a%d" % i, r
t2 = time.monotonic()
rate("api add", t0, t1)
rate("api print", t1, t2)
PY
