# api_server.sh: sourced by the API tests: a fresh database, a free port on
# 127.0.0.1, and `rosh --serve` started on it and killed by PID at exit.
# Sets DB, PORT, SPID; start_api SERVICE [PORT]; needs ROSH and WORK.
T=$WORK/remote.$$
mkdir -p "$T"
DB=$T/config.db
SPID=
NSERVED=0
stop_api() {
	if [ -n "$SPID" ]; then
		kill "$SPID" 2>/dev/null
		wait "$SPID" 2>/dev/null
		SPID=
	fi
}
# a sanitizer's report in a server's log (its children's too) fails the test
finish() {
	local rc=$?
	stop_api
	if grep -l -E "Sanitizer|runtime error" "$T"/serve-*.log 2> /dev/null; then
		cat "$T"/serve-*.log
		rc=1
	fi
	rm -rf "$T"
	exit $rc
}
trap finish EXIT
free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# start_api SERVICE: set its port to a free one, serve, wait until it listens
start_api() {
	PORT=$(free_port)
	"$ROSH" --db "$DB" -c "/ip service set $1 port=$PORT" || return 1
	local log=$T/serve-$1.$((++NSERVED)).log
	"$ROSH" --db "$DB" --socket "$T/none.sock" --serve "$1" 2> "$log" &
	SPID=$!
	for _ in $(seq 100); do
		grep -q listening "$log" && return 0
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.1
	done
	echo "server did not start: $(cat "$log")"
	return 1
}
