# lib.sh: roshd with /ip service for the remote-management tests. Sourced
# by tests/remote/test-*.sh. Everything made here is removed on exit: roshd
# and the processes it started (by PID), the service account's login
# aliases, the account itself if the test made it, temp folders. Traffic
# stays on loopback.

set -u
[ "$(id -u)" = 0 ] || { echo "skip: needs root: roshd makes a system account and runs sshd"; exit 77; }
[ -x /usr/sbin/sshd ] || { echo "skip: /usr/sbin/sshd is not installed (openssh-server)"; exit 77; }
command -v ss > /dev/null || { echo "skip: ss is not installed (iproute2)"; exit 77; }

# One at a time on the machine: these tests make and remove the one service
# account, which a second suite running beside (.ci/run's plain and
# sanitizer builds) would otherwise remove under the first.
exec 9> /tmp/rosh-remote-tests.lock
flock -w 600 9 || { echo "another remote test held the lock for 10 minutes"; exit 1; }

ROSHD=${BUILD}/roshd
# the service account opens the database: the test's folder must let it in
T=$(mktemp -d /tmp/rosh-remote.XXXXXX)
chmod 755 "$T"
DB=$T/db/config.db
SOCK=$T/roshd.sock
FAILS=0
ROSHD_PID=
getent passwd rosh > /dev/null && HAD_ACCOUNT=1 || HAD_ACCOUNT=0

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
rosh() { "$ROSH" --db "$DB" --socket "$SOCK" "$@"; }

# The /run folder roshd keeps sshd's config and rosh's copy in, for this database.
run_dir() { grep -l -- "--db $DB " /run/rosh/ssh-*/sshd_config 2> /dev/null | head -1 | xargs -r dirname; }

remote_cleanup() {
	local rd
	rd=$(run_dir)
	if [ -n "$ROSHD_PID" ]; then
		kill "$ROSHD_PID" 2> /dev/null
		for _ in $(seq 100); do kill -0 "$ROSHD_PID" 2> /dev/null || break; sleep 0.1; done
		kill -9 "$ROSHD_PID" 2> /dev/null
	fi
	# roshd removes the aliases it made when it stops; a crash may leave some
	getent passwd | awk -F: '$5 == "Rosh SSH login" { print $1 }' |
		while read -r n; do userdel -f "$n" 2> /dev/null; done
	if [ "$HAD_ACCOUNT" = 0 ] && getent passwd rosh > /dev/null; then
		userdel rosh 2> /dev/null
		getent group rosh > /dev/null && groupdel rosh 2> /dev/null
	fi
	[ -n "$rd" ] && rm -rf "$rd"
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap remote_cleanup EXIT

# A TCP port nothing listens on.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		[ -z "$(ss -ltnH "sport = :$p")" ] && { echo "$p"; return 0; }
	done
	return 1
}

# The PID listening on a port ("" for none).
listener() { ss -ltnpH "sport = :$1" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1; }

# Wait until the port has a listener (up) or none (down); 20 s at most.
wait_port() {
	for _ in $(seq 200); do
		if [ "$2" = up ]; then [ -n "$(listener "$1")" ] && return 0
		else [ -z "$(listener "$1")" ] && return 0; fi
		sleep 0.1
	done
	return 1
}

start_roshd() {
	mkdir -p "$T/db"
	"$ROSHD" --db "$DB" --socket "$SOCK" --log-level debug "$@" >> "$T/roshd.log" 2>&1 &
	ROSHD_PID=$!
	for _ in $(seq 50); do [ -S "$SOCK" ] && return 0; sleep 0.1; done
	echo "roshd did not start: $(tail -5 "$T/roshd.log")"
	return 1
}

# Whether print shows flag letter $2 on service $1.
service_flag() {
	rosh -c '/ip service print' | awk -v n="$1" -v f="$2" '$0 ~ "^ *[0-9]+ " && $0 ~ (" " n " ") {
		line = $0; sub(/^ *[0-9]+ /, "", line); flags = substr(line, 1, 5)
		if (index(flags, f)) found = 1 } END { exit !found }'
}
