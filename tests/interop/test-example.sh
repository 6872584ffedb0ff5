#!/bin/bash
# test-example.sh: the RouterOS manual's example, end to end, with roshd on
# both routers, each configured with rosh commands only. The office router
# (server namespace) has the office network 192.168.55.0/24 behind it, with
# a host at 192.168.55.10 (a third namespace). The branch router (client
# namespace) dials it with /interface ovpn-client, routes 192.168.55.0/24
# over ovpn-client1 and masquerades behind it, as the manual writes; a
# branch host (a fourth namespace, 10.8.8.10) then reaches the office host,
# which sees the branch router's tunnel address, not the branch host's.
# push-routes from the server arrive at the branch router. Skips (77)
# without root or openvpn.
. "$SRC/tests/interop/lib.sh"

NS_B=rbrh$$		# a host on the branch LAN
crosh() { "$ROSH" --db "$T/cdb/config.db" --socket "$T/croshd.sock" "$@"; }
example_cleanup() { ip netns del "$NS_B" 2> /dev/null; cleanup; }
trap example_cleanup EXIT

make_net
# the office LAN on the server's second link, the office host in NS_D
ns_s ip addr add 192.168.55.1/24 dev "vt$$"
ip netns exec "$NS_D" ip addr add 192.168.55.10/24 dev "vd$$"
ip netns exec "$NS_D" ip route add default via 192.168.55.1
# the branch LAN behind the client router
ip netns add "$NS_B"
ip link add "vb$$" type veth peer name "vh$$"
ip link set "vb$$" netns "$NS_C"
ip link set "vh$$" netns "$NS_B"
ns_c ip addr add 10.8.8.1/24 dev "vb$$"
ns_c ip link set "vb$$" up
ns_c sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$NS_B" ip addr add 10.8.8.10/24 dev "vh$$"
ip netns exec "$NS_B" ip link set "vh$$" up
ip netns exec "$NS_B" ip link set lo up
ip netns exec "$NS_B" ip route add default via 10.8.8.1

# the office router: the manual's server config
base_config
rosh -c '/interface ovpn-server server add disabled=no certificate=server name=myServer push-routes="192.168.102.0 255.255.255.0 192.168.77.1 9"' ||
	fail "server config"
start_roshd || exit 1

# the branch router: the manual's client config, in a database of its own
mkdir -p "$T/cdb"
ip netns exec "$NS_C" "$ROSHD" --db "$T/cdb/config.db" --socket "$T/croshd.sock" \
	>> "$T/croshd.log" 2>&1 &
PIDS="$PIDS $!"
for _ in $(seq 50); do [ -S "$T/croshd.sock" ] && break; sleep 0.1; done
crosh > "$T/csetup.log" 2>&1 <<EOF || { fail "client config: $(cat "$T/csetup.log")"; exit 1; }
/interface ovpn-client
add name=ovpn-client1 connect-to=$SRV_IP user=client1 password=123 disabled=no
/ip route
add dst-address=10.5.8.20 gateway=ovpn-client1
add dst-address=192.168.55.0/24 gateway=ovpn-client1
/ip firewall nat add chain=srcnat action=masquerade out-interface=ovpn-client1
EOF

up=0
for _ in $(seq 300); do
	[ "$(crosh -c ':put [/interface ovpn-client get ovpn-client1 status]' 2> /dev/null)" = connected ] &&
		{ up=1; break; }
	sleep 0.1
done
[ "$up" = 1 ] && ok "ovpn-client1 connected" ||
	{ fail "not connected: $(crosh -c '/log print' | tail -3)"; exit 1; }

# the route follows the tunnel's interface; push-routes arrived
for _ in $(seq 50); do ns_c ip route | grep -q "192.168.55.0/24 .*dev ovpn-client1" && break; sleep 0.1; done
ns_c ip route | grep -q "192.168.55.0/24 .*dev ovpn-client1" && ok "route to the office LAN over ovpn-client1" ||
	fail "route: $(ns_c ip route)"
crosh -c '/ip route print where dst-address=192.168.55.0/24' | grep -qE '^ *[0-9]+ +A' && ok "the route shows active" ||
	fail "route flags: $(crosh -c '/ip route print')"
ns_c ip route | grep -q "192.168.102.0/24 via 192.168.77.1" && ok "push-routes reached the client" ||
	fail "push-routes: $(ns_c ip route)"

# a branch host reaches the office host through the tunnel, masqueraded
ip netns exec "$NS_B" ping -c 3 -W 2 -i 0.2 192.168.55.10 > "$T/ping.log" 2>&1 &&
	ok "branch host pings the office host" || fail "ping: $(tail -2 "$T/ping.log")"
ip netns exec "$NS_D" "$XFER" -a 5010 10485760 > "$T/office.out" 2>&1 &
rx=$!
PIDS="$PIDS $rx"
sleep 0.3
ip netns exec "$NS_B" "$XFER" -c 192.168.55.10 5010 10485760 > "$T/branch.out" 2>&1
wait "$rx"
seen=$(cat "$T/office.out")
if [[ $seen == "ok 10485760 from 192.168.77."* ]]; then
	ok "10 MB from the branch host arrived intact, from the branch router's tunnel address"
else
	fail "transfer: $seen $(cat "$T/branch.out")"
fi

# the tunnel goes: the route stays configured, shown inactive
crosh -c '/interface ovpn-client disable ovpn-client1'
for _ in $(seq 50); do ns_c ip route | grep -q "192.168.55.0/24" || break; sleep 0.1; done
! ns_c ip route | grep -q "192.168.55.0/24" && ok "tunnel down: the route is gone from the kernel" ||
	fail "route left: $(ns_c ip route)"
# the flags follow the kernel's link events a moment later
inactive=0
for _ in $(seq 50); do
	crosh -c '/ip route print where dst-address=192.168.55.0/24' | grep -qE '^ *[0-9]+ +I' &&
		{ inactive=1; break; }
	sleep 0.1
done
[ "$inactive" = 1 ] && ok "and shows inactive" || fail "flags when down: $(crosh -c '/ip route print')"

exit "$FAILS"
