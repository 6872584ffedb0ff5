#!/bin/bash
# test-ppp-profile.sh: what a /ppp profile does to the sessions of roshd as
# an OpenVPN server, with stock OpenVPN 2.6 as the client in namespaces:
# on-up and on-down scripts (with their variables), session-timeout,
# idle-timeout, only-one through the default profile, dns-server and
# wins-server pushed, use-ipv6=no. Skips (77) without root or openvpn.
. "$SRC/tests/interop/lib.sh"

make_net
base_config
rosh -c '/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm keepalive-timeout=30 disabled=no' ||
	exit 1
start_roshd || exit 1
client_profile p || exit 1

# conn NAME USER PASS [options]: a stock client with the exported profile
conn() {
	cp "$T/p.ovpn" "$T/$1.ovpn"
	start_client "$@" --explicit-exit-notify 1
}

# log_has PATTERN SECONDS: /log gets a message matching it in time
log_has() {
	for _ in $(seq $(($2 * 4))); do
		rosh -c '/log print' 2> /dev/null | grep -q -- "$1" && return 0
		sleep 0.25
	done
	return 1
}

# gone SECONDS: /ppp active empties in time
gone() {
	for _ in $(seq $(($1 * 4))); do
		[ "$(rosh -c '/ppp active print count-only')" = 0 ] && return 0
		sleep 0.25
	done
	return 1
}

# on-up and on-down: the script's text, with the session's variables; the
# on-down one names a /system script, which runs instead
rosh -c '/system script add name=bye source=":global byeuser \$user; :log info (\"bye \" . \$user . \" on \" . \$interface)"' ||
	fail "script add"
rosh -c '/ppp profile set ovpn on-up=":log info (\"hello \" . \$user . \" at \" . \$\"remote-address\" . \" from \" . \$\"caller-id\" . \" via \" . \$\"called-id\" . \" local \" . \$\"local-address\"); :put \"printed by on-up\"" on-down=bye' ||
	fail "set on-up"
if conn up client1 123; then
	log_has "hello client1 at 192.168.77.[0-9]* from $CLI_IP via srv local 192.168.77.1" 10 &&
		ok "on-up runs with user, remote-address, caller-id, called-id, local-address" ||
		fail "on-up: $(rosh -c '/log print' | tail -5)"
	log_has "on-up of client1: printed by on-up" 5 && ok "on-up's output in /log" ||
		fail "on-up output: $(rosh -c '/log print' | tail -5)"
	through_tunnel "tunnel with scripts" 1048576
	stop_client "$CLIENT_PID"
	log_has "bye client1 on <ovpn-client1>" 10 && ok "on-down runs the /system script, with interface" ||
		fail "on-down: $(rosh -c '/log print' | tail -5)"
else
	fail "on-up: no tunnel: $(tail -3 "$T/up.log")"
fi

# a failing script is logged and the session lives on
rosh -c '/ppp profile set ovpn on-up=":local a 1\n:error \"no luck\"" on-down=""'
if conn fails client1 123; then
	log_has "on-up of client1 failed: no luck (line 2 column 1)" 10 && ok "failing on-up logged" ||
		fail "failing on-up: $(rosh -c '/log print' | tail -3)"
	through_tunnel "session after a failing on-up" 1048576
	stop_client "$CLIENT_PID"
	gone 10
fi

# a script that runs long does not hold the session up or the engine
rosh -c '/ppp profile set ovpn on-up=":for i from=1 to=40 do={ :delay 1s }"'
if conn slow client1 123; then
	through_tunnel "session while on-up sleeps" 1048576
	stop_client "$CLIENT_PID"
	gone 10 && ok "session ends while its on-up still runs" || fail "slow on-up: session stays"
else
	fail "slow on-up: no tunnel"
fi
rosh -c '/ppp profile set ovpn on-up=""'

# session-timeout: the session is cut after 5 s (bounded wait)
rosh -c '/ppp profile set ovpn session-timeout=5s'
# (--remap-usr1 SIGTERM: the client leaves when told to restart, rather
# than come back)
if conn st client1 123 --remap-usr1 SIGTERM; then
	[ "$(rosh -c '/ppp active print count-only')" = 1 ] || fail "session-timeout: not up at first"
	gone 20 && wait_for "$T/roshd.log" "session-timeout reached" 5 && ok "session-timeout=5s ends the session" ||
		fail "session-timeout: $(rosh -c '/ppp active print'; tail -3 "$T/roshd.log")"
	wait_for "$T/st.log" "SIGTERM" 5 || fail "session-timeout: the client was not told"
	stop_client "$CLIENT_PID"
fi
rosh -c '/ppp profile set ovpn session-timeout=none'

# idle-timeout: nothing sent for 4 s ends it; traffic keeps it (pings are
# sent every 30 s here, so the client's keepalive does not count)
rosh -c '/ppp profile set ovpn idle-timeout=4s'
# (the client's kernel may send IPv6 router solicitations for some seconds:
# that is traffic too, hence the longer wait)
if conn idle client1 123 --remap-usr1 SIGTERM; then
	busy=1
	for _ in $(seq 6); do
		ns_c ping -c 1 -W 1 192.168.77.1 > /dev/null 2>&1 || busy=0
		sleep 1
	done
	[ "$busy" = 1 ] && [ "$(rosh -c '/ppp active print count-only')" = 1 ] &&
		ok "traffic keeps an idle-timeout session" || fail "idle-timeout cut a busy session"
	gone 30 && wait_for "$T/roshd.log" "idle-timeout reached" 5 && ok "idle-timeout ends an idle session" ||
		fail "idle-timeout: $(rosh -c '/ppp active print')"
	stop_client "$CLIENT_PID"
fi
rosh -c '/ppp profile set ovpn idle-timeout=none'

# only-one=default on the user's profile takes the server's default-profile
rosh -c '/ppp profile set default only-one=yes'
if conn one1 client1 123; then
	ns_c timeout 20 openvpn --config "$T/p.ovpn" --auth-user-pass "$T/one1.creds" --verb 3 \
		--dev tun-one2 --auth-retry none > "$T/one2.log" 2>&1
	grep -q "AUTH_FAILED" "$T/one2.log" && ok "only-one=yes on the default profile refuses a second login" ||
		fail "only-one through default: $(tail -3 "$T/one2.log")"
	log_has "only one session allowed" 5 || fail "only-one: no reason in /log"
	[ "$(rosh -c '/ppp active print count-only')" = 1 ] || fail "only-one: the first session was dropped"
	stop_client "$CLIENT_PID"
	gone 10
fi
rosh -c '/ppp profile set default only-one=default'

# dns-server and wins-server reach the client in the push
rosh -c '/ppp profile set ovpn dns-server=10.9.9.9,10.9.9.10 wins-server=10.9.9.20'
if conn dns client1 123; then
	grep "PUSH_REPLY" "$T/dns.log" | grep -q "dhcp-option DNS 10.9.9.9,dhcp-option DNS 10.9.9.10,dhcp-option WINS 10.9.9.20" &&
		ok "dns-server and wins-server pushed" || fail "dns push: $(grep PUSH_REPLY "$T/dns.log" | head -1)"
	stop_client "$CLIENT_PID"
	gone 10
fi
rosh -c '/ppp profile set ovpn dns-server="" wins-server=""'

# use-ipv6=no: the server has IPv6 in its tunnels, this profile's users get none
rosh -c '/interface ovpn-server server set srv enable-tun-ipv6=yes tun-server-ipv6=fd00:77::1 ipv6-prefix-len=64'
rosh -c '/ppp profile set ovpn use-ipv6=no'
sleep 0.5
if conn v6 client1 123; then
	grep "PUSH_REPLY" "$T/v6.log" | grep -q "ifconfig-ipv6" && fail "use-ipv6=no: IPv6 pushed"
	ns_c ip -6 addr show dev tun-v6 | grep -q "fd00:77::" && fail "use-ipv6=no: the client has IPv6"
	ns_c ping -c 1 -W 2 192.168.77.1 > /dev/null 2>&1 && ok "use-ipv6=no: IPv4 only" ||
		fail "use-ipv6=no: no IPv4 either"
	stop_client "$CLIENT_PID"
	gone 10
fi
rosh -c '/ppp profile set ovpn use-ipv6=default'
rosh -c '/interface ovpn-server server set srv enable-tun-ipv6=no'

[ "$FAILS" = 0 ] || { echo "$FAILS failures; roshd log tail:"; tail -20 "$T/roshd.log"; }
exit "$FAILS"
