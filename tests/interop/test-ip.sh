#!/bin/bash
# test-ip.sh: /ip address, /ip route, /ip firewall nat and /ip dns applied by
# roshd. Three namespaces: the router (roshd, configured by rosh commands
# only) between a LAN host (10.231.0.2) and a WAN host (10.231.1.2). Checked
# with ip addr, ip route, nft list table ip rosh and real traffic: pings,
# TCP through masquerade, src-nat and dst-nat, the address the far end sees.
# Skips (77) without root.
. "$SRC/tests/interop/lib.sh"
command -v nft > /dev/null || { echo "skip: nft is not installed (nftables)"; exit 77; }

LAN=vs$$	# router side of the LAN link
WAN=vt$$	# router side of the WAN link
LATE=lt$$	# an interface that comes and goes (a tunnel, say)
ns_d() { ip netns exec "$NS_D" "$@"; }

# Namespaces and links only: the router's addresses come from rosh.
make_links() {
	ip netns add "$NS_S" && ip netns add "$NS_C" && ip netns add "$NS_D" ||
		{ echo "can not make namespaces"; exit 1; }
	ip link add "$LAN" netns "$NS_S" type veth peer name "vc$$" netns "$NS_C"
	ip link add "$WAN" netns "$NS_S" type veth peer name "vd$$" netns "$NS_D"
	for l in lo "$LAN" "$WAN"; do ns_s ip link set "$l" up; done
	ns_c ip link set lo up
	ns_c ip link set "vc$$" up
	ns_c ip addr add 10.231.0.2/24 dev "vc$$"
	ns_c ip route add default via 10.231.0.1
	ns_d ip link set lo up
	ns_d ip link set "vd$$" up
	ns_d ip addr add 10.231.1.2/24 dev "vd$$"
	ns_d ip addr add 10.99.0.1/32 dev lo	# a network behind the WAN host
	ns_s sysctl -qw net.ipv4.ip_forward=1
}

# wait_until SECONDS COMMAND...: poll (every 0.1 s) until COMMAND succeeds
wait_until() {
	local n=$(($1 * 10))
	shift
	for _ in $(seq "$n"); do "$@" > /dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}
has_addr() { ns_s ip -4 addr show dev "$1" 2> /dev/null | grep -q "inet $2 "; }
no_addr() { ! has_addr "$@"; }
has_route() { ns_s ip route show "$1" | grep -q "$2"; }
no_route() { ! ns_s ip route show "$1" | grep -q "$2"; }
# flags NUMBER MENU: the flags column of a print line
flags_of() { rosh -c "/$2 print" | awk -v n="$1" '$1 == n { print substr($0, length($1) + 2, 6) }'; }
flag_on() { flags_of "$1" "$2" | grep -q "$3"; }
flag_off() { ! flag_on "$@"; }

# seen_from NS ADDR PORT LISTEN-NS LISTEN-PORT: connect from NS to ADDR:PORT,
# print what the listener saw ("ok N from ADDR PORT")
seen_from() {
	ip netns exec "$4" timeout 10 "$XFER" -a "$5" 1000 > "$T/seen" 2>&1 &
	local rx=$!
	PIDS="$PIDS $rx"
	sleep 0.3
	ip netns exec "$1" timeout 10 "$XFER" -c "$2" "$3" 1000 > /dev/null 2>&1
	wait "$rx"
	cat "$T/seen"
}

make_links
# the kernel's nf_tables NAT: without it there is nothing to test against
if ! { ns_s nft add table ip probe && ns_s nft add chain ip probe p '{ type nat hook postrouting priority srcnat; }' &&
	ns_s nft add rule ip probe p masquerade; } > "$T/nft-probe" 2>&1; then
	echo "skip: no nf_tables NAT in this kernel: $(cat "$T/nft-probe")"
	exit 77
fi
ns_s nft delete table ip probe
mkdir -p "$T/db"
printf 'nameserver 192.0.2.1\noptions edns0\n' > "$T/resolv.conf"
cp "$T/resolv.conf" "$T/resolv.orig"
ip netns exec "$NS_S" "$ROSHD" --db "$T/db/config.db" --socket "$T/roshd.sock" --log-level debug \
	--resolv-conf "$T/resolv.conf" >> "$T/roshd.log" 2>&1 &
ROSHD_PID=$!
PIDS="$PIDS $ROSHD_PID"
wait_until 5 test -S "$T/roshd.sock" || { echo "roshd did not start: $(tail -5 "$T/roshd.log")"; exit 1; }

# --- interfaces of the kernel are listed, so they can be named ---
wait_until 5 sh -c "\"$ROSH\" --db \"$T/db/config.db\" -c '/interface print' | grep -q ' $WAN '" &&
	ok "kernel interfaces listed in /interface" || fail "no $WAN in /interface"

# --- addresses ---
rosh -c "/ip address add address=10.231.0.1/24 interface=$LAN comment=lan" || fail "add lan address"
rosh -c "/ip address add address=10.231.1.1/24 interface=$WAN comment=wan" || fail "add wan address"
wait_until 3 has_addr "$LAN" 10.231.0.1/24 && wait_until 3 has_addr "$WAN" 10.231.1.1/24 &&
	ok "addresses put on their interfaces" || fail "addresses missing: $(ns_s ip -4 addr)"
ns_c ping -c 1 -W 2 10.231.0.1 > /dev/null && ok "ping the router's LAN address" ||
	fail "no ping to 10.231.0.1"
flag_on 0 "ip address" R && ok "address shows R" || fail "address not R: $(rosh -c '/ip address print')"

rosh -c "/ip address add address=10.231.5.1/24 interface=$WAN" || fail "add third address"
wait_until 3 has_addr "$WAN" 10.231.5.1/24 || fail "10.231.5.1 not added"
rosh -c "/ip address disable [find address=10.231.5.1/24]"
wait_until 3 no_addr "$WAN" 10.231.5.1/24 && ok "disabled address removed" || fail "disabled address stays"
rosh -c "/ip address enable [find address=10.231.5.1/24]"
wait_until 3 has_addr "$WAN" 10.231.5.1/24 && ok "enabled address back" || fail "enabled address missing"
rosh -c "/ip address set [find address=10.231.5.1/24] address=10.231.6.1/24"
wait_until 3 has_addr "$WAN" 10.231.6.1/24 && no_addr "$WAN" 10.231.5.1/24 &&
	ok "changed address replaced" || fail "change: $(ns_s ip -4 addr show dev "$WAN")"
rosh -c "/ip address remove [find address=10.231.6.1/24]"
wait_until 3 no_addr "$WAN" 10.231.6.1/24 && ok "removed address gone" || fail "removed address stays"

# an address the admin made outside Rosh is never taken away
ns_s ip addr add 10.231.0.9/24 dev "$LAN"
rosh -c "/ip address add address=10.231.0.9/24 interface=$LAN"
sleep 0.3
rosh -c "/ip address remove [find address=10.231.0.9/24]"
sleep 0.5
has_addr "$LAN" 10.231.0.9/24 && ok "foreign address left alone" || fail "foreign address removed"

# an interface that does not exist yet: the address waits for it (I), and follows it
rosh -c "/interface ovpn-client add name=$LATE connect-to=192.0.2.7 disabled=yes" || fail "late interface item"
rosh -c "/ip address add address=10.231.7.1/24 interface=$LATE" || fail "add address on $LATE"
n=$(rosh -c '/ip address print count-only')
n=$((n - 1))
wait_until 3 flag_on "$n" "ip address" I && ok "address on a missing interface is I" ||
	fail "no I flag: $(rosh -c '/ip address print')"
ns_s ip link add "$LATE" type veth peer name "lp$$"
ns_s ip link set "$LATE" up
ns_s ip link set "lp$$" up
wait_until 3 has_addr "$LATE" 10.231.7.1/24 && ok "address applied when the interface appears" ||
	fail "address not on $LATE"
wait_until 3 flag_off "$n" "ip address" I && flag_on "$n" "ip address" R || fail "flags after appearing"

# --- routes ---
rosh -c '/ip route add dst-address=10.99.0.0/24 gateway=10.231.1.2' || fail "add route"
wait_until 3 has_route 10.99.0.0/24 "via 10.231.1.2 dev $WAN proto 82 metric 1" &&
	ok "route via an address gateway" || fail "route: $(ns_s ip route)"
ns_s ping -c 1 -W 2 10.99.0.1 > /dev/null && ok "ping through the route" || fail "no ping to 10.99.0.1"
wait_until 3 flag_on 0 "ip route" A || fail "route not A: $(rosh -c '/ip route print')"
rosh -c '/ip route add dst-address=10.95.0.0/24 gateway=10.200.0.1' || fail "add unreachable route"
wait_until 3 flag_on 1 "ip route" I && no_route 10.95.0.0/24 . && ok "unreachable gateway: inactive" ||
	fail "unreachable route: $(rosh -c '/ip route print') $(ns_s ip route)"

# through an interface that comes and goes
rosh -c "/ip route add dst-address=10.98.0.0/24 gateway=$LATE" || fail "add route via $LATE"
wait_until 3 has_route 10.98.0.0/24 "dev $LATE proto 82" && wait_until 3 flag_on 2 "ip route" A &&
	ok "route via an existing interface active" || fail "route via $LATE: $(ns_s ip route)"
ns_s ip link del "$LATE"
wait_until 3 flag_on 2 "ip route" I && no_route 10.98.0.0/24 . &&
	ok "interface gone: route inactive" || fail "after delete: $(rosh -c '/ip route print')"
rosh -c '/log print where message~"10.98.0.0/24 inactive"' | grep -q "no such interface now" ||
	fail "no /log line saying why the route is inactive"
ns_s ip link add "$LATE" type veth peer name "lp$$"
ns_s ip link set "$LATE" up
ns_s ip link set "lp$$" up
wait_until 3 has_route 10.98.0.0/24 "dev $LATE proto 82" && wait_until 3 flag_on 2 "ip route" A &&
	ok "interface back: route active again" || fail "after re-create: $(rosh -c '/ip route print')"
wait_until 3 has_addr "$LATE" 10.231.7.1/24 || fail "address not back on the re-created $LATE"
ns_s ip link set "$LATE" down
wait_until 3 flag_on 2 "ip route" I && ok "interface down: route inactive" || fail "down: still active"
ns_s ip link set "$LATE" up

# distance: the lower wins; the other takes over when it goes
rosh -c '/ip route add dst-address=10.96.0.0/24 gateway=10.231.0.2 distance=5'
rosh -c '/ip route add dst-address=10.96.0.0/24 gateway=10.231.1.2 distance=2'
wait_until 3 sh -c "ip netns exec $NS_S ip route get 10.96.0.1 | grep -q 'via 10.231.1.2'" &&
	ok "distance 2 chosen over 5" || fail "route get: $(ns_s ip route get 10.96.0.1)"
flag_on 4 "ip route" A && flag_off 3 "ip route" A || fail "A flags: $(rosh -c '/ip route print')"
rosh -c '/ip route disable 4'
wait_until 3 sh -c "ip netns exec $NS_S ip route get 10.96.0.1 | grep -q 'via 10.231.0.2'" &&
	wait_until 3 flag_on 3 "ip route" A && ok "distance 5 takes over" ||
	fail "after disable: $(ns_s ip route get 10.96.0.1)"
ns_s ip route show 10.96.0.0/24 | grep -q "metric 5" || fail "distance is not the metric"

# RouterOS 7's bare blackhole flag and RouterOS 6's type: no gateway needed
rosh -c '/ip route add blackhole dst-address=10.94.0.0/24 gateway=""' &&
	rosh -c '/ip route add dst-address=10.93.0.0/24 type=prohibit' || fail "blackhole, prohibit refused"
wait_until 3 sh -c "ip netns exec $NS_S ip route show 10.94.0.0/24 | grep -q '^blackhole 10.94.0.0/24 proto 82'" &&
	ns_s ip route show 10.93.0.0/24 | grep -q '^prohibit 10.93.0.0/24 proto 82' &&
	ns_s ip route get 10.93.0.1 2>&1 | grep -qi 'permission denied' &&
	ok "blackhole and prohibit routes in the kernel" || fail "route types: $(ns_s ip route)"
rosh -c '/ip route remove [find dst-address=10.94.0.0/24]; /ip route remove [find dst-address=10.93.0.0/24]'
wait_until 3 no_route 10.94.0.0/24 . || fail "blackhole route stays after remove"

# check-gateway=ping: a gateway that stops answering takes its route out
# after two probes (10 s apart), and an answer brings it back
rosh -c '/ip route add dst-address=10.92.0.0/24 gateway=10.231.1.2 check-gateway=ping' ||
	fail "check-gateway refused"
wait_until 3 has_route 10.92.0.0/24 "via 10.231.1.2" && ok "checked route installed" ||
	fail "checked route: $(ns_s ip route)"
ip netns exec "$NS_D" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
wait_until 40 no_route 10.92.0.0/24 . && ok "gateway silent: its route taken out" ||
	fail "silent gateway, route stays: $(rosh -c '/ip route print')"
rosh -c '/log print' | grep -q "10.231.1.2 does not answer ping" || fail "no /log line for the silent gateway"
rosh -c '/ip route print detail where dst-address=10.92.0.0/24' | grep -q "^ *[0-9]* *I" ||
	fail "silent gateway's route not I: $(rosh -c '/ip route print')"
ip netns exec "$NS_D" sysctl -qw net.ipv4.icmp_echo_ignore_all=0
wait_until 15 has_route 10.92.0.0/24 "via 10.231.1.2" && ok "gateway answers again: route back" ||
	fail "route not back: $(rosh -c '/ip route print')"
rosh -c '/ip route remove [find dst-address=10.92.0.0/24]'

# a routing table of the admin's own is a kernel table of its own
rosh -c '/routing table add fib name=to_WAN1' &&
	rosh -c '/ip route add dst-address=10.91.0.0/24 gateway=10.231.1.2 routing-table=to_WAN1' ||
	fail "routing table refused"
wait_until 3 sh -c "ip netns exec $NS_S ip route show table all 10.91.0.0/24 | grep -qE 'via 10.231.1.2 .*table [0-9]+ proto 82'" &&
	no_route 10.91.0.0/24 . && ok "route in its own kernel table, not in main" ||
	fail "table to_WAN1: $(ns_s ip route show table all 10.91.0.0/24)"
rosh -c '/routing table set to_WAN1 fib=no'
wait_until 3 sh -c "! ip netns exec $NS_S ip route show table all 10.91.0.0/24 | grep -q ." &&
	ok "fib=no: the table's routes leave the kernel" || fail "fib=no: $(ns_s ip route show table all 10.91.0.0/24)"
rosh -c '/ip route remove [find dst-address=10.91.0.0/24]; /routing table remove to_WAN1'

# routes of ours left by a stopped engine: taken back, stale ones removed
kill "$ROSHD_PID"
wait_until 5 sh -c "! kill -0 $ROSHD_PID"
has_route 10.99.0.0/24 "proto 82" && ok "routes stay while the engine is stopped" ||
	fail "routes removed at stop"
rosh -c '/ip route remove [find dst-address=10.99.0.0/24]'
ip netns exec "$NS_S" "$ROSHD" --db "$T/db/config.db" --socket "$T/roshd.sock" --log-level debug \
	--resolv-conf "$T/resolv.conf" >> "$T/roshd.log" 2>&1 &
ROSHD_PID=$!
PIDS="$PIDS $ROSHD_PID"
wait_until 5 no_route 10.99.0.0/24 . && ok "stale route removed at start" || fail "stale route stays"
[ "$(ns_s ip route show 10.98.0.0/24 | wc -l)" = 1 ] && ok "kept route not doubled" ||
	fail "10.98.0.0/24: $(ns_s ip route show 10.98.0.0/24)"

# --- NAT ---
rosh -c "/ip firewall nat add chain=srcnat action=masquerade out-interface=$WAN" || fail "add masquerade"
wait_until 3 sh -c "ip netns exec $NS_S nft list table ip rosh | grep -q 'oifname \"$WAN\" .*masquerade'" ||
	fail "no masquerade rule: $(ns_s nft list table ip rosh 2>&1)"
seen=$(seen_from "$NS_C" 10.231.1.2 5001 "$NS_D" 5001)
[[ $seen == "ok 1000 from 10.231.1.1 "* ]] && ok "masquerade: the far end sees the router" ||
	fail "masquerade: $seen"

rosh -c "/ip address add address=10.231.1.7/24 interface=$WAN"
rosh -c "/ip firewall nat add chain=srcnat action=src-nat protocol=tcp to-addresses=10.231.1.7 to-ports=40000-40010 out-interface=$WAN place-before=0" ||
	fail "add src-nat"
sleep 0.5
seen=$(seen_from "$NS_C" 10.231.1.2 5001 "$NS_D" 5001)
port=${seen##* }
[[ $seen == "ok 1000 from 10.231.1.7 "* ]] && [ "$port" -ge 40000 ] && [ "$port" -le 40010 ] &&
	ok "src-nat with to-ports" || fail "src-nat: $seen"
rosh -c '/ip firewall nat disable 0'
sleep 0.5
seen=$(seen_from "$NS_C" 10.231.1.2 5001 "$NS_D" 5001)
[[ $seen == "ok 1000 from 10.231.1.1 "* ]] && ok "disabled src-nat: masquerade again" ||
	fail "after disable: $seen"
ns_s nft list table ip rosh | grep -q "snat" && fail "disabled rule still in the table"

# dst-nat with to-ports: the WAN host reaches a LAN server on another port
rosh -c "/ip firewall nat add chain=dstnat action=dst-nat in-interface=$WAN protocol=tcp dst-port=8000-8079,8080 to-addresses=10.231.0.2 to-ports=5002" ||
	fail "add dst-nat"
sleep 0.5
seen=$(seen_from "$NS_D" 10.231.1.1 8080 "$NS_C" 5002)
[[ $seen == "ok 1000 from 10.231.1.2 "* ]] && ok "dst-nat to another host and port" || fail "dst-nat: $seen"
seen=$(seen_from "$NS_D" 10.231.1.1 8001 "$NS_C" 5002)
[[ $seen == "ok 1000 from 10.231.1.2 "* ]] && ok "dst-nat: a port of the range" || fail "dst-nat 8001: $seen"
rosh -c "/ip firewall nat add chain=dstnat action=redirect in-interface=$WAN protocol=tcp dst-port=8081 to-ports=5003"
sleep 0.5
seen=$(seen_from "$NS_D" 10.231.1.1 8081 "$NS_S" 5003)
[[ $seen == "ok 1000 from 10.231.1.2 "* ]] && ok "redirect to the router" || fail "redirect: $seen"

# a chain of the admin's own reached by jump, as port-forward guides write it
rosh > "$T/chain.log" 2>&1 <<EOF2 || fail "NAT chain refused: $(cat "$T/chain.log")"
/ip firewall nat add chain=dstnat action=jump jump-target=DNAT in-interface=$WAN
/ip firewall nat add chain=DNAT action=dst-nat protocol=tcp dst-port=8082 to-addresses=10.231.0.2 to-ports=5002
/ip firewall nat add chain=DNAT action=masquerade
EOF2
sleep 0.5
seen=$(seen_from "$NS_D" 10.231.1.1 8082 "$NS_C" 5002)
[[ $seen == "ok 1000 from 10.231.1.2 "* ]] && ok "dst-nat in a chain dstnat jumps to" ||
	fail "NAT chain: $seen $(ns_s nft list table ip rosh)"
n=$(($(rosh -c '/ip firewall nat print count-only') - 1))
wait_until 3 flag_on "$n" "ip firewall nat" I && ok "masquerade in a chain dstnat reaches: marked I" ||
	fail "no I: $(rosh -c '/ip firewall nat print')"
rosh -c '/ip firewall nat remove [find chain=DNAT]; /ip firewall nat remove [find action=jump]'

# ports without a protocol are refused at commit
rosh -c '/ip firewall nat add chain=srcnat action=masquerade to-ports=1000' 2>&1 |
	grep -q "failure: to-ports needs protocol tcp or udp" && ok "to-ports without a protocol refused" ||
	fail "to-ports without a protocol accepted"

# a rule that makes no sense is left out, marked I, logged; the others stay
rosh -c '/ip firewall nat add chain=srcnat action=redirect' || fail "add bad rule"
n=$(($(rosh -c '/ip firewall nat print count-only') - 1))
wait_until 3 flag_on "$n" "ip firewall nat" I && ok "redirect in srcnat marked I" ||
	fail "no I: $(rosh -c '/ip firewall nat print')"
rosh -c '/log print' | grep -q "only for chain dstnat" || fail "no /log line for the bad rule"
ns_s nft list table ip rosh | grep -q "dnat to 10.231.0.2" || fail "good rules lost with the bad one"
rosh -c "/ip firewall nat remove $n"

# a change of several rules is one nftables transaction
ns_s nft list table ip rosh > "$T/nat.before"
ip netns exec "$NS_S" nft monitor > "$T/monitor" 2>&1 &
MON=$!
PIDS="$PIDS $MON"
sleep 0.3
rosh -c '/ip firewall nat remove [find action=masquerade]; /ip firewall nat set [find action=dst-nat] to-ports=5004; /ip firewall nat add chain=dstnat action=accept dst-address=10.231.1.100-10.231.1.120'
sleep 0.5
kill "$MON"
gens=$(grep -c "new generation .*roshd" "$T/monitor")
[ "$gens" = 1 ] && ok "rule set replaced in one transaction" || fail "$gens transactions: $(cat "$T/monitor")"
ns_s nft list table ip rosh > "$T/nat.after"
if ! grep -q "masquerade" "$T/nat.after" && grep -q "to 10.231.0.2.*:5004" "$T/nat.after" &&
	grep -q "ip daddr 10.231.1.100-10.231.1.120" "$T/nat.after" && ! grep -q ":5002" "$T/nat.after"; then
	ok "the new rule set is all there"
else
	fail "table after: $(cat "$T/nat.after")"
fi
rosh -c '/ip firewall nat remove [find]'
wait_until 3 sh -c "! ip netns exec $NS_S nft list table ip rosh" && ok "no rules, no table" ||
	fail "table stays with no rules"

# --- DNS ---
rosh -c '/ip dns set servers=192.0.2.53,192.0.2.54'
sleep 0.5
cmp -s "$T/resolv.conf" "$T/resolv.orig" && ok "resolver file untouched unless allowed" ||
	fail "resolv.conf written without set-system-resolver"
rosh -c '/ip dns set set-system-resolver=yes'
wait_until 3 grep -q "nameserver 192.0.2.54" "$T/resolv.conf" &&
	! grep -q 192.0.2.1 "$T/resolv.conf" && ok "resolver file written when allowed" ||
	fail "resolv.conf: $(cat "$T/resolv.conf")"
rosh -c '/ip dns set set-system-resolver=no'
wait_until 3 cmp -s "$T/resolv.conf" "$T/resolv.orig" && ok "original resolver file restored" ||
	fail "not restored: $(cat "$T/resolv.conf")"
rosh -c '/ip dns set allow-remote-requests=yes'
sleep 0.5
rosh -c '/log print' | grep -q "allow-remote-requests=yes refused" && ok "allow-remote-requests refused in /log" ||
	fail "no refusal of allow-remote-requests"

# --- a route through an OVPN tunnel made by roshd's own server: it is
# active while the client is connected, inactive once it has gone ---
base_config
rosh -c '/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm disabled=no' ||
	fail "server"
rosh -c '/interface ovpn-server add name=ovpn-c1 user=client1'
rosh -c '/ip route add dst-address=10.94.0.0/24 gateway=ovpn-c1' || fail "route via ovpn-c1"
n=$(($(rosh -c '/ip route print count-only') - 1))
wait_until 3 flag_on "$n" "ip route" I && ok "route via a tunnel not up: inactive" ||
	fail "tunnel route before: $(rosh -c '/ip route print')"
client_profile c1 || fail "client profile"
if start_client c1 client1 123; then
	wait_until 5 has_route 10.94.0.0/24 "dev ovpn-c1 proto 82" && wait_until 3 flag_on "$n" "ip route" A &&
		ok "tunnel up: route through it active" ||
		fail "tunnel route: $(ns_s ip route) $(rosh -c '/ip route print')"
	ns_s ping -c 1 -W 2 -I 10.231.0.1 192.168.77.2 > /dev/null || fail "no ping through the tunnel"
	# end the session from the router: its interface goes with it
	rosh -c '/ppp active remove [find name=client1]' || fail "ppp active remove"
	stop_client "$CLIENT_PID"
	wait_until 10 flag_on "$n" "ip route" I && no_route 10.94.0.0/24 . &&
		ok "tunnel gone: route inactive" || fail "after the tunnel: $(rosh -c '/ip route print')"
else
	fail "no tunnel: $(tail -3 "$T/c1.log")"
fi

[ $FAILS -eq 0 ] || { echo "roshd log:"; tail -30 "$T/roshd.log"; }
exit $((FAILS > 0))
