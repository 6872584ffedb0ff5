#!/bin/bash
# test-logging.sh: /system logging and its actions. memory-lines bounds each
# /log buffer; a flood of info lines leaves the security buffer's critical
# and account lines in place; a remote action sends syslog over UDP to
# Debian's rsyslog (run with its own config, pid and port in the test dir,
# listening on 127.0.0.1) as RFC 3164 with bsd-syslog=yes and RFC 5424
# without, from the console and from roshd.
set -u
command -v rsyslogd > /dev/null || { echo "skip: rsyslog is not installed (tools/packages.txt)"; exit 77; }
T=$(mktemp -d)
RS_PID=
D_PID=
cleanup() {
	[ -n "$D_PID" ] && kill "$D_PID" 2> /dev/null
	[ -n "$RS_PID" ] && kill "$RS_PID" 2> /dev/null
	wait 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
DB=$T/db/config.db
FAILS=0
rosh() { "$ROSH" --db "$DB" "$@"; }
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

rosh -c '/system logging action set memory memory-lines=100' || fail "set memory-lines"
ROSH_USER=ghost "$ROSH" --db "$DB" -c ':put x' > /dev/null 2>&1	# a failed login: critical
rosh -c ':for i from=1 to=500 do={ :log info "flood $i" }; :log warning "last warning"'
n=$(rosh -c ':put [:len [/log find buffer=memory]]')
[ "$n" = 100 ] && ok "memory-lines=100 keeps 100 lines of 501" || fail "the memory buffer has $n lines"
rosh -c '/log print where buffer=memory' | tail -1 | grep -q "last warning" || fail "the newest line is not kept"
out=$(rosh -c '/log print where buffer=security')
echo "$out" | grep -q "login failure for user ghost" && ok "the failed login survives the flood: $(echo "$out" | tail -1)" ||
	fail "the critical line was washed out: $out"
rosh -c '/system logging action set security memory-lines=1' || fail "set security lines"
ROSH_USER=ghost2 "$ROSH" --db "$DB" -c ':put x' > /dev/null 2>&1
n=$(rosh -c ':put [:len [/log find buffer=security]]')
[ "$n" = 1 ] && ok "the security buffer keeps its own 1 line" || fail "security buffer: $n lines"
out=$(rosh -c '/system logging action add name=d target=disk' 2>&1) && fail "target=disk accepted"
echo "$out" | grep -q 'not supported' && ok "target=disk refused: $out" || fail "target=disk: $out"

# rsyslog on a port of the test's own
PORT=$((20000 + $$ % 20000))
mkdir -p "$T/rs"
cat > "$T/rsyslog.conf" << EOF
global(workDirectory="$T/rs")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="$PORT")
template(name="raw" type="string" string="%rawmsg%\n")
template(name="parsed" type="string" string="%hostname%|%programname%|%syslogfacility-text%|%syslogseverity-text%|%msg%\n")
*.* action(type="omfile" file="$T/raw.log" template="raw")
*.* action(type="omfile" file="$T/parsed.log" template="parsed")
EOF
rsyslogd -n -f "$T/rsyslog.conf" -i "$T/rsyslog.pid" > "$T/rsyslogd.out" 2>&1 &
RS_PID=$!
for _ in $(seq 50); do
	ss -lun | grep -q "127.0.0.1:$PORT " && break
	sleep 0.1
done
ss -lun | grep -q "127.0.0.1:$PORT " || { fail "rsyslogd does not listen: $(cat "$T/rsyslogd.out")"; exit 1; }
# wait_for FILE TEXT: bounded
wait_for() {
	for _ in $(seq 50); do
		grep -qF "$2" "$1" 2> /dev/null && return 0
		sleep 0.1
	done
	return 1
}

rosh -c "/system identity set name=edge-1; /system logging action set remote remote=127.0.0.1 remote-port=$PORT bsd-syslog=yes; /system logging add topics=info action=remote" ||
	fail "remote setup"
rosh -c ':log info "hello bsd"'
if wait_for "$T/raw.log" "hello bsd"; then
	line=$(grep -F "hello bsd" "$T/raw.log")
	[[ "$line" =~ ^\<30\>[A-Z][a-z]{2}\ [\ 0-9][0-9]\ [0-9:]{8}\ edge-1\ rosh:\ script,info\ hello\ bsd$ ]] &&
		ok "RFC 3164: $line" || fail "not an RFC 3164 line: $line"
	grep -qF "edge-1|rosh|daemon|info|" "$T/parsed.log" || fail "rsyslog parsed it as: $(cat "$T/parsed.log")"
else
	fail "rsyslog got nothing: $(cat "$T/raw.log" 2> /dev/null)"
fi
rosh -c '/system logging action set remote bsd-syslog=no syslog-facility=local3'
rosh -c ':log info "hello 5424"'
if wait_for "$T/raw.log" "hello 5424"; then
	line=$(grep -F "hello 5424" "$T/raw.log")
	[[ "$line" =~ ^\<158\>1\ [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+([+-][0-9]{2}:[0-9]{2}|Z)\ edge-1\ rosh\ [0-9]+\ -\ -\ script,info\ hello\ 5424$ ]] &&
		ok "RFC 5424: $line" || fail "not an RFC 5424 line: $line"
	grep -qF "edge-1|rosh|local3|info|" "$T/parsed.log" || fail "rsyslog parsed it as: $(tail -1 "$T/parsed.log")"
else
	fail "rsyslog got no RFC 5424 line: $(cat "$T/raw.log")"
fi

# roshd's lines go the same way
rosh -c '/system logging set [find action=remote] topics=system'
"$BUILD/roshd" --db "$DB" --socket "$T/roshd.sock" --rosh "$ROSH" > "$T/roshd.log" 2>&1 &
D_PID=$!
if wait_for "$T/raw.log" "started on $DB"; then
	ok "roshd: $(grep -F "started on" "$T/raw.log")"
else
	fail "no roshd line at rsyslog: $(tail -3 "$T/raw.log"; tail -3 "$T/roshd.log")"
fi
kill "$D_PID"
wait "$D_PID" 2> /dev/null
D_PID=
wait_for "$T/raw.log" "stopping on signal" && ok "roshd's last line arrives too" || fail "no stopping line"
[ $FAILS = 0 ]
