#!/bin/bash
# test-concurrency.sh: consoles and the engine at once. While one console
# sits in ":delay" after a read and another after a write of its own, a
# stock OpenVPN client connects to roshd (which writes the session and its
# counters), a third console prints and commits a change roshd applies, and
# a fourth takes safe mode; none of them waits for the delays, and nothing
# anyone prints or logs says "database is locked". The consoles alone are
# tested in tests/cli/test-concurrency.sh. Skips (77) without root or
# openvpn.
. "$SRC/tests/interop/lib.sh"

DELAY=20	# long enough to hold through a connect on a loaded machine

# shellcheck source=../timed.sh
. "$SRC/tests/timed.sh"
alive() { kill -0 "$1" 2> /dev/null; }

make_net
base_config
rosh -c '/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm auth=sha1 keepalive-timeout=5 disabled=no' ||
	exit 1
start_roshd || exit 1
client_profile cc || exit 1

rosh -c "/ppp active print; :delay ${DELAY}s; :put read-slept" > "$T/reader.out" 2>&1 &
A1=$!
rosh -c "/ip pool add name=held ranges=10.9.0.1; :delay ${DELAY}s; /ip pool add name=after ranges=10.9.0.2" \
	> "$T/writer.out" 2>&1 &
A2=$!
PIDS="$PIDS $A1 $A2"
sleep 0.5

# a stock client connects: roshd writes the session while the consoles sleep
t0=$(date +%s.%N)
if start_client cc client1 123; then
	SECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
	ok "a stock client connects while two consoles sleep ($SECS s)"
else
	fail "no tunnel: $(grep -iE 'error|fail|AUTH' "$T/cc.log" | tail -3)"
fi
ns_c ping -c 3 -W 2 -i 0.2 192.168.77.1 > "$T/ping.log" 2>&1 && ok "traffic through the tunnel" ||
	fail "ping: $(tail -2 "$T/ping.log")"

# a console reads the session roshd wrote, and commits a change roshd applies
timed '/ppp active print'
[ $RC = 0 ] && quick && echo "$OUT" | grep -q client1 && ok "/ppp active shows the session ($SECS s)" ||
	fail "/ppp active print took $SECS s (rc $RC): $OUT"
timed "/ip address add address=10.232.0.1/24 interface=vs$$"
[ $RC = 0 ] && quick && ok "a change committed ($SECS s)" || fail "address add took $SECS s (rc $RC): $OUT"
applied=0
for _ in $(seq 50); do
	ns_s ip -4 addr show dev "vs$$" | grep -q "inet 10.232.0.1/" && { applied=1; break; }
	sleep 0.1
done
[ "$applied" = 1 ] && ok "roshd applied the commit" || fail "roshd did not apply: $(ns_s ip -4 addr show dev "vs$$")"
timed '/interface print; /ip pool print'
[ $RC = 0 ] && quick && echo "$OUT" | grep -q held && ok "the change before a :delay is committed there" ||
	fail "print took $SECS s (rc $RC): $OUT"

# a third console takes safe mode
timed '/system safe-mode on; /ip pool add name=safe ranges=10.8.0.1'
[ $RC = 0 ] && quick && echo "$OUT" | grep -qF '[Safe mode taken]' && ok "safe mode taken ($SECS s)" ||
	fail "safe mode took $SECS s (rc $RC): $OUT"

alive "$A1" && alive "$A2" && ok "the consoles were in their delays all the while" ||
	fail "a delay ended before the others were done (the test proves nothing)"
wait "$A1" || fail "the reading console failed: $(cat "$T/reader.out")"
wait "$A2" || fail "the writing console failed: $(cat "$T/writer.out")"
grep -q read-slept "$T/reader.out" || fail "the reading console did not go on: $(cat "$T/reader.out")"
rosh -c '/ip pool print' | grep -q after && ok "the writing console went on after its delay" ||
	fail "the change after :delay is missing"
cat "$T/reader.out" "$T/writer.out" >> "$T/all.out"
grep -q client1 <(rosh -c '/ppp active print') || fail "the session is gone after the delays"

grep -i "database is locked" "$T/all.out" "$T/roshd.log" "$T/setup.log" &&
	fail "something says 'database is locked'"
[ "$FAILS" = 0 ] || exit 1
ok "nobody said 'database is locked'"
