#!/bin/bash
# test: alone (it times how soon a client gets in while it floods the server)
# test-flood.sh: forged resets and junk TCP do not lock new clients out.
# 1. From one address (the client namespace, 64 source ports) 3,000 forged
#    P_CONTROL_HARD_RESET_CLIENT_V2 a second arrive for 20 s at a UDP server
#    without tls-auth, as anyone can send them; meanwhile a stock OpenVPN
#    client from another address (the second client namespace) must get in
#    while the flood lasts. The flooder's own replies stay within its
#    allowance.
# 2. The same for TCP with idle connections, and /log gets one summary.
# 3. All at once from the one flooding namespace: forged resets from 1,000
#    source ports at the UDP server and, at a TCP server, 200 held
#    connections (50 of them slowloris, a byte a second) and 100 new
#    connections a second that send a forged reset and go; a stock client
#    from the other namespace connects over UDP and then over TCP, each
#    within 1 s (the time is printed; a quiet connect takes about 0.2 s).
# roshd's CPU time and memory during the floods are printed, not asserted.
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
read -r _ opened _ open _ < "$T/idle.out"
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

# 3. everything at once from one namespace
rosh -c '/interface ovpn-server server add name=tsrv certificate=server require-client-certificate=yes protocol=tcp port=1195 cipher=aes256-gcm auth=sha1 disabled=no' ||
	fail "all at once: add the tcp server"
rosh -c "/interface ovpn-server server export-client-configuration server=tsrv server-address=10.231.1.1 ca-certificate=ca client-certificate=client1 file-name=both-tcp" > /dev/null ||
	fail "all at once: export"
cp "$T/db/files/both-tcp.ovpn" "$T/both-tcp.ovpn"
cp "$T/legit.ovpn" "$T/both-udp.ovpn"
printf 'client1\n123\n' > "$T/both.creds"
chmod 600 "$T/both.creds"
sleep 0.5

# connect_timed NAME: a stock client from the second namespace; SECS is the
# time from its start to its tunnel (polled every 50 ms), or it fails after
# 15 s; leaves it running as BOTH_PID
connect_timed() {
	local t0 t1
	t0=$(date +%s%N)
	ip netns exec "$NS_D" openvpn --config "$T/$1.ovpn" --auth-user-pass "$T/both.creds" --verb 3 \
		--dev "tun-$1" --connect-retry-max 3 --auth-retry none > "$T/$1.log" 2>&1 &
	BOTH_PID=$!
	PIDS="$PIDS $BOTH_PID"
	for _ in $(seq 300); do
		if grep -q "Initialization Sequence Completed" "$T/$1.log"; then
			t1=$(date +%s%N)
			SECS=$(awk "BEGIN { printf \"%.2f\", ($t1 - $t0) / 1e9 }")
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# the same connect without a flood, to compare
if connect_timed both-udp; then
	echo "figure: all at once: without a flood the udp client connects in $SECS s"
	stop_client "$BOTH_PID"
else
	fail "all at once: no udp tunnel without a flood: $(grep -E 'TLS|error' "$T/both-udp.log" | tail -3)"
fi
c0=$(cpu) r0=$(rss)
ns_c "$FLOOD" "$SRV_IP" 1194 3000 14 1000 > "$T/both-udp.out" 2>&1 &
B1=$!
ns_c "$FLOOD" -t "$SRV_IP" 1195 200 14 50 100 > "$T/both-tcp.out" 2>&1 &
B2=$!
PIDS="$PIDS $B1 $B2"
sleep 3	# the flooder's allowance is gone, its connections are held
for name in both-udp both-tcp; do
	proto=${name#both-}
	if connect_timed "$name"; then
		secs=$SECS
		echo "figure: all at once: the $proto client connected in $secs s"
		kill -0 "$B1" 2> /dev/null && kill -0 "$B2" 2> /dev/null ||
			fail "all at once: the flood ended before the $proto client got in"
		awk "BEGIN { exit !($secs <= 1.0) }" && ok "all at once: the $proto client connected within 1 s" ||
			fail "all at once: the $proto client took $secs s"
	else
		fail "all at once: no $proto tunnel: $(grep -E 'TLS|error' "$T/$name.log" | tail -3)"
	fi
	stop_client "$BOTH_PID"
done
wait "$B1" "$B2"
c1=$(cpu) r1=$(rss)
read -r _ sent _ replies < "$T/both-udp.out"
read -r _ opened _ open _ churned < "$T/both-tcp.out"
echo "figure: all at once: $sent forged resets ($replies replies), $opened held connections ($open still held at the end), $churned connections came and went"
echo "figure: all at once: roshd CPU $(((c1 - c0) * 1000 / $(getconf CLK_TCK))) ms over 14 s, RSS $r0 -> $r1 KB"
[ "${sent:-0}" -ge 20000 ] || fail "all at once: the flood sent only $sent packets"
[ "${churned:-0}" -ge 700 ] || fail "all at once: only $churned connections came and went"
[ "${replies:-999}" -le 300 ] && ok "all at once: the flooding address got only its allowance" ||
	fail "all at once: the flooding address got $replies replies"
[ "${open:-999}" -le 64 ] && ok "all at once: the flooder holds at most 64 waiting connections" ||
	fail "all at once: $open connections from the flooder held"
kill -0 "$ROSHD_PID" 2> /dev/null && ok "all at once: roshd still runs" || fail "all at once: roshd died"
[ "$FAILS" = 0 ] || exit 1
echo "all flood checks passed"
