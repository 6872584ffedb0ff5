#!/bin/bash
# test-status.sh: what the admin sees of a running server is true (issue 14).
# roshd as the server, stock OpenVPN clients, each side in its namespace:
# the interface counters against the kernel's and iperf3's byte counts
# (within 1%, both directions), monitor-traffic while traffic flows, the
# sessions in /interface ovpn-server (static, and dynamic with names derived
# from the user, a second session and a long name), monitor on them, the
# D flag only on what Rosh made, and a server whose port another program
# holds: not running, why in print detail and /log. The outputs are printed
# as transcripts. Skips (77) without root, openvpn or iperf3.
. "$SRC/tests/interop/lib.sh"
command -v iperf3 > /dev/null || { echo "skip: iperf3 is not installed"; exit 77; }

make_net
base_config
rosh > "$T/setup2.log" 2>&1 <<-'EOF' || { cat "$T/setup2.log"; exit 1; }
/ppp secret add name=averylongusername1 password=345 profile=ovpn
/interface ovpn-server add name=ovpn-c2 user=client2
/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm auth=sha1 disabled=no
EOF
start_roshd || exit 1
client_profile st || exit 1
for n in c2 a1 a2 a3; do cp "$T/st.ovpn" "$T/$n.ovpn"; done

# show TITLE COMMAND: a transcript of one console command
show() {
	echo "---- $1"
	rosh -c "$2" | tee "$T/show.out"
}

# counters IFACE: "rx-byte tx-byte" as rosh shows them, then as the kernel has them
counters() {
	rosh -c ":put ([/interface get $1 rx-byte] . \" \" . [/interface get $1 tx-byte])"
	echo "$(ns_s cat "/sys/class/net/$1/statistics/rx_bytes") $(ns_s cat "/sys/class/net/$1/statistics/tx_bytes")"
}

# within A B: A is within 1% of B
within() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d * 100 <= b) }'; }

# iperf_udp NAME [-R]: 20 MB of UDP in 1200-byte datagrams through the tunnel
# of client2; prints the IP bytes that made (payload and 28 bytes of
# headers a datagram), as the receiver counted them
iperf_udp() {
	local json=$T/iperf-$1.json
	shift
	ns_c iperf3 -c 192.168.77.1 -p 5301 -u -b 40M -l 1200 -n 20M -J "$@" > "$json" 2> /dev/null || return 1
	python3 - "$json" <<-'PY'
	import json, sys
	end = json.load(open(sys.argv[1]))["end"]["sum"]
	# the receiver's side: bytes and datagrams that crossed the tunnel
	print(end["bytes"] + 28 * (end["packets"] - end.get("lost_packets", 0)))
	PY
}

# ---- counters: a static entry's interface, both directions ----
if start_client c2 client2 234; then
	ns_s iperf3 -s -p 5301 > "$T/iperf-server.log" 2>&1 &
	PIDS="$PIDS $!"
	sleep 0.5
	read -r r0 t0 < <(counters ovpn-c2 | head -1)
	read -r kr0 kt0 < <(counters ovpn-c2 | tail -1)
	# monitor-traffic while the first transfer runs
	( sleep 2; show "monitor-traffic while 40 Mbit/s arrive" '/interface monitor-traffic ovpn-c2,lo once' ) &
	mon=$!
	up=$(iperf_udp up) || fail "iperf3 up: $(tail -3 "$T/iperf-server.log")"
	wait "$mon"
	awk '/rx-bits-per-second/ { print $2 }' "$T/show.out" | grep -q "Mbps" &&
		ok "monitor-traffic shows Mbit/s arriving" || fail "monitor-traffic: $(cat "$T/show.out")"
	down=$(iperf_udp down -R) || fail "iperf3 down"
	sleep 2.5	# roshd writes the counters each second
	read -r r1 t1 < <(counters ovpn-c2 | head -1)
	read -r kr1 kt1 < <(counters ovpn-c2 | tail -1)
	echo "rx: rosh $((r1 - r0)) kernel $((kr1 - kr0)) iperf3 $up; tx: rosh $((t1 - t0)) kernel $((kt1 - kt0)) iperf3 $down"
	within $((r1 - r0)) $((kr1 - kr0)) && within $((t1 - t0)) $((kt1 - kt0)) &&
		ok "rx and tx bytes match the kernel's" || fail "rosh and kernel counters differ"
	within $((r1 - r0)) "$up" && within $((t1 - t0)) "$down" &&
		ok "rx and tx bytes match iperf3's within 1%" || fail "counters and iperf3 differ"
	show "the static entry's interface" '/interface print detail where name=ovpn-c2'
	grep -q "rx-packet=0 \|tx-packet=0 " "$T/show.out" && fail "a packet counter stays 0"
	show "monitor of the static entry" '/interface ovpn-server monitor ovpn-c2 once'
	grep -q "status: connected" "$T/show.out" && grep -q "encoding: AES-256-GCM" "$T/show.out" &&
		grep -q "remote-address: 192.168.77." "$T/show.out" && ok "monitor of a static entry" ||
		fail "monitor ovpn-c2"
	# continuous, on a terminal (script(1) gives it one): redrawn each second
	# script's input stays open, as a person's terminal does: at its end
	# script would type Ctrl-D, which ends monitor like q
	sleep 5 | timeout -s INT 3.5 script -qfc "$ROSH --db $T/db/config.db --socket $T/roshd.sock -c '/interface ovpn-server monitor ovpn-c2'" /dev/null > "$T/mon.tty" 2>&1
	n=$(grep -c "status: connected" "$T/mon.tty")
	[ "$n" -ge 3 ] && grep -q $'\033\[7A' "$T/mon.tty" && ok "monitor redraws ($n screens)" ||
		fail "continuous monitor: $n screens: $(head -c 300 "$T/mon.tty" | cat -v)"
else
	fail "client2: no tunnel: $(tail -3 "$T/c2.log")"
fi

# ---- dynamic sessions: names from the user, a second session, a long name ----
noexec=(--ifconfig-noexec --route-noexec)	# one namespace, several tunnels
start_client a1 client1 123 "${noexec[@]}" || fail "client1: $(tail -3 "$T/a1.log")"
start_client a2 client1 123 "${noexec[@]}" || fail "client1 again: $(tail -3 "$T/a2.log")"
start_client a3 averylongusername1 345 "${noexec[@]}" --explicit-exit-notify 1 || fail "long name: $(tail -3 "$T/a3.log")"
sleep 1.5
show "sessions beside the static entry" '/interface ovpn-server print'
for n in '<ovpn-client1>' '<ovpn-client1-1>' '<ovpn-averylongusername1>'; do
	grep -qE "^ *[0-9]+ +D.* $n " "$T/show.out" && ok "dynamic session $n" || fail "no dynamic $n"
done
grep -qE "^ *[0-9]+ +R +ovpn-c2 +client2" "$T/show.out" && ok "static entry running" || fail "static entry"
show "monitor of a session" '/interface ovpn-server monitor <ovpn-averylongusername1> once'
grep -q "status: connected" "$T/show.out" && grep -q "uptime:" "$T/show.out" &&
	ok "monitor of a dynamic session" || fail "monitor <ovpn-averylongusername1>"
show "interfaces" '/interface print'
grep -qE "^ *[0-9]+ +R +lo " "$T/show.out" && grep -qE "^ *[0-9]+ +R +vs$$ " "$T/show.out" &&
	ok "lo and the veth are not dynamic" || fail "kernel links carry D"
grep -qE "^ *[0-9]+ +DR +<ovpn-client1-1> " "$T/show.out" && ok "sessions are dynamic" ||
	fail "session interface not D"
rosh -c '/interface ovpn-server remove [find name="<ovpn-client1>"]' 2>&1 |
	grep -q "can not remove dynamic item" && ok "a session row can not be removed" ||
	fail "a dynamic row could be removed"
stop_client "$CLIENT_PID"	# the long name's session
sleep 1.5
rosh -c '/interface ovpn-server print' | grep -q averylongusername1 && fail "session row left behind"
rosh -c '/interface ovpn-server export' | grep -q "<ovpn" && fail "dynamic rows exported"

# ---- tap: the session's interface shows its MAC, the one the server sets ----
for p in $PIDS; do [ "$p" = "$ROSHD_PID" ] || kill "$p" 2> /dev/null; done
sleep 1
rosh -c '/interface ovpn-server server set srv mode=ethernet mac-address=02:00:5E:10:00:01'
sleep 0.5
client_profile tap || fail "tap profile"
if start_client tap client1 123 --dev-type tap --ifconfig-noexec --route-noexec; then
	sleep 1.5
	show "a tap session" '/interface print where type=ovpn-in'
	grep -qE "<ovpn-client1> +ovpn-in +1500 +02:00:5E:10:00:01" "$T/show.out" &&
		ok "tap MAC shown" || fail "tap MAC not shown"
else
	fail "tap: no tunnel: $(tail -3 "$T/tap.log")"
fi

# ---- a port another program holds: the server is not running, and says why ----
ns_s iperf3 -s -p 5302 > /dev/null 2>&1 &
PIDS="$PIDS $!"
sleep 0.5
rosh -c '/interface ovpn-server server add name=busy certificate=server protocol=tcp port=5302 disabled=no'
sleep 1
show "a server whose port is taken" '/interface ovpn-server server print detail where name=busy'
grep -q 'last-error="can not listen on tcp port 5302: Address already in use"' "$T/show.out" &&
	! grep -qE "^ *[0-9]+ +R" "$T/show.out" && ok "busy port: not running, why in print detail" ||
	fail "busy port not shown"
rosh -c '/log print where message~"busy not started"' | grep -q "Address already in use" &&
	ok "busy port in /log" || fail "busy port not in /log"

[ "$FAILS" = 0 ] || { echo "$FAILS failures; roshd log tail:"; tail -20 "$T/roshd.log"; }
exit "$FAILS"
