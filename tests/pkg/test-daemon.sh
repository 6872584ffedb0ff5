#!/bin/bash
# test-daemon.sh: roshd's service manners without systemd. --daemon returns
# once the configuration is applied and leaves a pid file; a second roshd
# on the same pid file is refused and leaves the first one's socket alone;
# --stop ends it (the pid file goes) and says so when none runs; a stale pid
# file naming another program is not obeyed; with NOTIFY_SOCKET set, roshd
# sends READY=1, RELOADING=1 and READY=1 around SIGHUP, and STOPPING=1.
# roshd runs in a network namespace of its own (unshare -n).
# Skips (77) without root or python3.
set -u
[ "$(id -u)" = 0 ] || { echo "skip: roshd needs root (CAP_NET_ADMIN) to start"; exit 77; }
command -v python3 > /dev/null || { echo "skip: python3 (the notify listener) is not installed"; exit 77; }
ROSHD=$BUILD/roshd
T=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2> /dev/null; done
	[ -f "$T/roshd.pid" ] && kill "$(cat "$T/roshd.pid")" 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
d() { unshare -n "$ROSHD" --db "$T/config.db" --socket "$T/roshd.sock" --log-level warning "$@"; }

# started with a soft limit of 1,024 files (a shell's, systemd's), roshd
# takes the hard limit: each session holds its tun open
prlimit --nofile=1024:4096 unshare -n "$ROSHD" --db "$T/config.db" --socket "$T/roshd.sock" \
	--log-level warning --daemon 2> "$T/err" || fail "--daemon: $(cat "$T/err")"
[ -S "$T/roshd.sock" ] || fail "--daemon returned before the socket was there"
pid=$(cat "$T/roshd.pid") || fail "no pid file beside the socket"
[ "$(cat /proc/"$pid"/comm)" = roshd ] || fail "the pid file names $pid, not a roshd"
grep -qE '^Max open files +4096 +4096' "/proc/$pid/limits" ||
	fail "open files: $(grep 'open files' "/proc/$pid/limits")"
ino=$(stat -c %i "$T/roshd.sock")
d --daemon 2> "$T/err2" && fail "a second roshd on the same pid file started"
grep -q "runs already (pid $pid" "$T/err2" || fail "second roshd: $(cat "$T/err2")"
[ "$(stat -c %i "$T/roshd.sock")" = "$ino" ] || fail "the second roshd replaced the first one's socket"
"$ROSHD" --socket "$T/roshd.sock" --stop || fail "--stop"
kill -0 "$pid" 2> /dev/null && fail "roshd $pid still runs after --stop"
[ -f "$T/roshd.pid" ] && fail "the pid file is left behind"
out=$("$ROSHD" --socket "$T/roshd.sock" --stop 2>&1) && fail "--stop with none running succeeded"
echo "none running: $out"
# a stale pid file naming another program: neither killed nor in the way
sleep 300 & pids+=($!)
echo "$!" > "$T/roshd.pid"
"$ROSHD" --socket "$T/roshd.sock" --stop 2> /dev/null && fail "--stop obeyed a pid file naming sleep"
kill -0 "$!" || fail "--stop killed the program a stale pid file named"
d --daemon 2> "$T/err" || fail "--daemon over a stale pid file: $(cat "$T/err")"
"$ROSHD" --socket "$T/roshd.sock" --stop || fail "--stop after a stale pid file"

# systemd's side of Type=notify, in python: a datagram socket
python3 - "$T" "$ROSHD" <<'PY' || fail "notify"
import os, signal, socket, subprocess, sys
t, roshd = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(t + "/notify")
s.settimeout(30)
env = dict(os.environ, NOTIFY_SOCKET=t + "/notify")
p = subprocess.Popen(["unshare", "-n", roshd, "--db", t + "/config.db", "--socket",
                      t + "/roshd.sock", "--log-level", "warning"], env=env)
try:
    got = [s.recv(256).decode()]
    p.send_signal(signal.SIGHUP)
    got += [s.recv(256).decode(), s.recv(256).decode()]
    p.send_signal(signal.SIGTERM)
    got.append(s.recv(256).decode())
    rc = p.wait(30)
finally:
    p.kill()
print(got, rc)
want = ["READY=1", "RELOADING=1", "READY=1", "STOPPING=1"]
sys.exit(0 if [g.split("\n")[0] for g in got] == want and rc == 0 else 1)
PY
echo "ok"
