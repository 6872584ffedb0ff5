#!/bin/bash
# test-workers.sh: roshd --workers (workers.c, server_workers.c): a UDP
# server's data path on two worker threads, with two stock OpenVPN 2.6
# clients moving 10 MB each at the same time; a client that leaves is
# found out; a port another program holds with SO_REUSEPORT is still
# refused (the group must not let us in beside it); and --workers 1 keeps
# everything on the loop. Skips (77) without root or openvpn.
. "$SRC/tests/interop/lib.sh"

make_net
base_config
ip netns exec "$NS_D" ip route add default via 10.231.1.1
rosh -c '/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm auth=sha1 keepalive-timeout=5 disabled=no' ||
	exit 1
ROSHD_ARGS="--workers 2" start_roshd || exit 1
wait_for "$T/roshd.log" "listening on udp" 10 || fail "server srv does not listen"
grep -q "data path on 2 worker threads" "$T/roshd.log" && ok "two workers started" ||
	fail "no workers: $(head -3 "$T/roshd.log")"
n=$(rosh -c '/system resource cpu print count-only')
[ "$n" = "$(nproc)" ] && ok "/system resource cpu: $n rows" || fail "/system resource cpu: $n rows for $(nproc) cores"

# a port another program holds with SO_REUSEPORT (same user): the group
# would let roshd's sockets in beside it; the server must be refused
ip netns exec "$NS_S" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind(("::", 1195))
print("bound", flush=True)
time.sleep(30)' > "$T/holder.out" 2>&1 &
HOLDER=$!
PIDS="$PIDS $HOLDER"
wait_for "$T/holder.out" bound 5 || fail "python could not hold udp 1195: $(cat "$T/holder.out")"
rosh -c '/interface ovpn-server server add name=srv2 certificate=server protocol=udp port=1195 disabled=no' ||
	fail "add srv2"
wait_for "$T/roshd.log" "srv2 not started.*udp port 1195: Address already in use" 10 &&
	ok "a port held with SO_REUSEPORT is refused" ||
	fail "srv2 on a held port: $(grep srv2 "$T/roshd.log" | tail -2)"
rosh -c '/interface ovpn-server server remove srv2'
kill "$HOLDER"

client_profile w
cp "$T/w.ovpn" "$T/a.ovpn"
cp "$T/w.ovpn" "$T/b.ovpn"
sed -i "s/^remote .*/remote 10.231.1.1 1194/" "$T/b.ovpn"
start_client a client1 123 || fail "first client: $(grep -iE 'error|fail' "$T/a.log" | tail -2)"
A_PID=$CLIENT_PID
CNS=$NS_D start_client b client2 234 || fail "second client: $(grep -iE 'error|fail' "$T/b.log" | tail -2)"
B_PID=$CLIENT_PID
n=$(grep -c "carried by worker [01]" "$T/roshd.log")
[ "$n" -ge 2 ] && ok "each client carried by a worker ($n)" || fail "clients on workers: $n"

# both at once, each 10 MB over TCP to the server's end, bytes checked
bytes=10485760
for port in 5001 5002; do
	ip netns exec "$NS_S" "$XFER" -l "$port" "$bytes" > "$T/xfer$port.out" 2>&1 &
	PIDS="$PIDS $!"
done
sleep 0.3
ns_c "$XFER" -c 192.168.77.1 5001 "$bytes" > "$T/xa.out" 2>&1 &
xa=$!
ip netns exec "$NS_D" "$XFER" -c 192.168.77.1 5002 "$bytes" > "$T/xb.out" 2>&1
wait "$xa"
for port in 5001 5002; do
	for _ in $(seq 50); do grep -q "^ok" "$T/xfer$port.out" && break; sleep 0.1; done
	grep -q "^ok $bytes" "$T/xfer$port.out" && ok "10 MB through worker tunnel ($port)" ||
		fail "transfer $port: $(cat "$T/xfer$port.out")"
done
ns_c ping -c 3 -W 2 -i 0.2 192.168.77.1 > /dev/null 2>&1 && ok "ping after the transfers" ||
	fail "no ping after the transfers"

# a client that leaves says so (exit notification): its session goes
stop_client "$A_PID"
gone=0
for _ in $(seq 40); do
	[ "$(rosh -c '/ppp active print count-only where name=client1')" = 0 ] && { gone=1; break; }
	sleep 0.25
done
[ "$gone" = 1 ] && ok "a client's exit ends its session" || fail "client1 still active"
[ "$(rosh -c '/ppp active print count-only where name=client2')" = 1 ] &&
	ok "the other client stays" || fail "client2 gone too"
stop_client "$B_PID"

# --workers 1: the loop carries everything, as before workers
stop_roshd
: > "$T/roshd.log"
ROSHD_ARGS="--workers 1" start_roshd || exit 1
wait_for "$T/roshd.log" "listening on udp" 10 || fail "srv does not listen with one worker"
cp "$T/a.ovpn" "$T/c.ovpn"
if start_client c client1 123; then
	ns_c ping -c 3 -W 2 -i 0.2 192.168.77.1 > /dev/null 2>&1 && ok "--workers 1: ping" ||
		fail "--workers 1: no ping"
else
	fail "--workers 1: no tunnel: $(grep -iE 'error|fail' "$T/c.log" | tail -2)"
fi
grep -q "worker" "$T/roshd.log" && fail "--workers 1 started workers: $(grep worker "$T/roshd.log" | head -2)"
stop_client "$CLIENT_PID"

[ "$FAILS" = 0 ] || { echo "$FAILS failures; roshd log tail:"; tail -20 "$T/roshd.log"; }
exit "$FAILS"
