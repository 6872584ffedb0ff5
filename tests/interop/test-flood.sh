#!/bin/bash
# test-flood.sh: forged resets do not lock new clients out. From one
# address (the client namespace, 64 source ports) 3,000 forged
# P_CONTROL_HARD_RESET_CLIENT_V2 a second arrive for 20 s at a UDP server
# without tls-auth, as anyone can send them; meanwhile a stock OpenVPN client
# from another address (the second client namespace) must get in while the
# flood lasts. The flooder's own replies stay within its allowance. Then
# the same for TCP with idle connections.
# roshd's CPU time and memory during the flood are printed, not asserted.
. "$SRC/tests/interop/lib.sh"

FLOOD=$BUILD/tests/interop/reset_flood
make_net
base_config
rosh -c '/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm auth=sha1 disabled=no' ||
	exit 1
start_roshd || exit 1
sleep 0.3
client_profile legit || exit 1
# the second client host reaches the server on its own link
sed -i "s/^remote $SRV_IP\\b/remote 10.231.1.1/" "$T/legit.ovpn"

cpu() { awk '{ print $14 + $15 }' "/proc/$ROSHD_PID/stat"; }	# clock ticks
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$ROSHD_PID/status"; }	# KB

c0=$(cpu) r0=$(rss)
ns_c "$FLOOD" "$SRV_IP" 1194 3000 20 64 > "$T/flood.out" 2>&1 &
FLOOD_PID=$!
PIDS="$PIDS $FLOOD_PID"
sleep 3	# the flood has used up its allowance by now
t0=$(date +%s.%N)
if CNS=$NS_D start_client legit client1 123; then
	t1=$(date +%s.%N)
	kill -0 "$FLOOD_PID" 2> /dev/null && ok "a new client got in during the flood" ||
		fail "the flood ended before the client got in"
	echo "figure: client connected in $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s during the flood"
	ip netns exec "$NS_D" ping -c 2 -W 2 -i 0.2 192.168.77.1 > /dev/null 2>&1 &&
		ok "ping through the tunnel during the flood" || fail "no ping during the flood"
else
	fail "no tunnel during the flood: $(grep -E 'TLS|error' "$T/legit.log" | tail -3)"
fi
wait "$FLOOD_PID"
c1=$(cpu) r1=$(rss)
read -r _ sent _ replies < "$T/flood.out"
echo "figure: flood sent $sent forged resets, got $replies replies"
echo "figure: roshd CPU $(((c1 - c0) * 1000 / $(getconf CLK_TCK))) ms over the flood, RSS $r0 -> $r1 KB"
# 100 per 10 s to one address: at most 3 windows' worth in 20 s (and a margin)
[ "${replies:-999}" -le 300 ] && ok "the flooding address got only its allowance" ||
	fail "the flooding address got $replies replies"
[ "${sent:-0}" -ge 30000 ] || fail "the flood sent only $sent packets"
stop_client "$CLIENT_PID"

# TCP: 200 idle connections from one address (slowloris) hold at most its
# share of the waiting room, the rest are closed at once; a client from
# elsewhere gets in meanwhile; /log gets one summary, not a line each.
rosh -c '/interface ovpn-server server set srv protocol=tcp' || fail "tcp: set"
sleep 0.5
client_profile tlegit || exit 1
sed -i "s/^remote $SRV_IP\\b/remote 10.231.1.1/" "$T/tlegit.ovpn"
logs0=$(rosh -c ':put [:len [/log find]]')
ns_c "$FLOOD" -t "$SRV_IP" 1194 200 8 > "$T/idle.out" 2>&1 &
IDLE_PID=$!
PIDS="$PIDS $IDLE_PID"
sleep 2
if CNS=$NS_D start_client tlegit client1 123; then
	kill -0 "$IDLE_PID" 2> /dev/null && ok "tcp: a new client got in while 200 idle connections wait" ||
		fail "tcp: the idle connections were gone before the client got in"
else
	fail "tcp: no tunnel beside idle connections: $(grep -E 'TLS|error' "$T/tlegit.log" | tail -3)"
fi
wait "$IDLE_PID"
read -r _ opened _ open < "$T/idle.out"
echo "figure: tcp: $opened idle connections opened, $open still held by roshd after 8 s"
[ "${opened:-0}" -ge 150 ] || fail "tcp: only $opened connections opened"
[ "${open:-999}" -le 64 ] && ok "tcp: one address holds at most 64 waiting connections" ||
	fail "tcp: $open idle connections from one address held"
stop_client "$CLIENT_PID"
rosh -c '/interface ovpn-server server set srv protocol=udp'
n=$(rosh -c ':put [:len [/log find where message~"from 10.231.0.2:[0-9]+ disconnected"]]')
[ "${n:-1}" = 0 ] && ok "no /log line per idle connection" || fail "$n /log lines for idle connections"
rosh -c '/log print where message~"connections ended before login"' | grep -q "refused.*most from 10.231.0.2" &&
	ok "one summary line names the source" || fail "no summary: $(rosh -c '/log print' | tail -5)"
[ "$(rosh -c ':put [:len [/log find]]')" -lt $((logs0 + 40)) ] || fail "/log grew by $(( $(rosh -c ':put [:len [/log find]]') - logs0 )) lines"
[ "$FAILS" = 0 ] || exit 1
echo "all flood checks passed"
