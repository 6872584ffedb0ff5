#!/bin/bash
# test-api-raw.sh: the RouterOS API (rosh --serve api) over a raw socket:
# quoting, queries, listen, and the refusals a hostile client meets.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/api_server.sh"
[ -x /usr/bin/python3 ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }
"$ROSH" --db "$DB" -c '/user set admin password=secret-pw' > /dev/null || exit 1
export ROSH_API_LOGIN_TIMEOUT=3
start_api api || exit 1
cd "$HERE" && /usr/bin/python3 api_raw.py "$PORT" "$ROSH" "$DB"
raw=$?	# its failures are reported; the limits below are checked all the same

# address=: prefixes that do not hold 127.0.0.1 drop the client
stop_api
"$ROSH" --db "$DB" -c '/ip service set api address=192.0.2.0/24,2001:db8::/32' || exit 1
start_api api || exit 1
/usr/bin/python3 api_limits.py "$PORT" address || exit 1
stop_api

# max-sessions=1, then SIGTERM ends the server and its session cleanly
"$ROSH" --db "$DB" -c '/ip service set api address=127.0.0.0/8 max-sessions=1' || exit 1
start_api api || exit 1
mkfifo "$T/to" "$T/from"
/usr/bin/python3 api_limits.py "$PORT" sessions < "$T/to" > "$T/from" 2>&1 &
lp=$!
exec 3> "$T/to" 4< "$T/from"
read -r -t 30 line <&4
[ "$line" = ready ] || { echo "FAIL: $line $(cat <&4)"; exit 1; }
kill "$SPID"
wait "$SPID"
rc=$?
SPID=
[ $rc -eq 0 ] || { echo "FAIL: the server exited $rc on SIGTERM"; exit 1; }
echo >&3
out=$(cat <&4)
wait "$lp" || { echo "$out"; exit 1; }

# a logged-in session idle past its limit (2 s here, 10 minutes by default)
ROSH_API_IDLE_TIMEOUT=2 start_api api || exit 1
/usr/bin/python3 api_limits.py "$PORT" idle || exit 1
exit $raw
