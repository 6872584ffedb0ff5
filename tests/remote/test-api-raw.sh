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
