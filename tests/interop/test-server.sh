#!/bin/bash
# test-server.sh: roshd as an OpenVPN server, stock OpenVPN 2.6 as its
# client, each in its own network namespace. Configured with rosh commands
# only; every case pings across the tunnel and moves 10 MB over TCP through
# it, checking the bytes. Skips (77) without root or openvpn.
. "$SRC/tests/interop/lib.sh"

make_net
base_config
rosh -c '/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm auth=sha1 keepalive-timeout=5 disabled=no' ||
	exit 1
start_roshd || exit 1

# case NAME SERVER-SETTINGS [openvpn options]: reconfigure, export, connect, use
case_run() {
	local name=$1 set=$2
	shift 2
	rosh -c "/interface ovpn-server server set srv $set" || { fail "$name: set $set"; return; }
	sleep 0.3
	client_profile "$name" || { fail "$name: export"; return; }
	if ! start_client "$name" client1 123 "$@"; then
		fail "$name: no tunnel: $(grep -iE 'error|fail|AUTH' "$T/$name.log" | tail -3)"
		stop_client "$CLIENT_PID"
		return
	fi
	through_tunnel "$name"
	stop_client "$CLIENT_PID"
	sleep 0.5
}

case_run udp-aes256gcm "protocol=udp cipher=aes256-gcm"
case_run udp-aes128gcm "cipher=aes128-gcm"
case_run udp-aes128cbc-sha1 "cipher=aes128-cbc auth=sha1"
case_run udp-aes256cbc-sha256 "cipher=aes256-cbc auth=sha256"
case_run udp-chacha20 "cipher=chacha20-poly1305"
case_run udp-blowfish "cipher=blowfish128 auth=sha1" --providers legacy default
case_run tcp-aes256gcm "protocol=tcp cipher=aes256-gcm"
case_run tcp-aes128cbc "protocol=tcp cipher=aes128-cbc auth=sha1"
case_run udp-tap "protocol=udp cipher=aes256-gcm mode=ethernet" --dev-type tap

# compression: stock clients that compress (allow-compression yes) send
# zeros; with compression=asym (the default) we push the best algorithm
# they announce and expand what they send; with no, they are told to
# stop (compress migrate). Our log says what arrived.
# comp_case NAME SETTING PUSHED LOG-PATTERN [openvpn options]; a pattern
# starting with ! must not be in the log
comp_case() {
	local name=$1 set=$2 pushed=$3 pat=$4 from
	shift 4
	from=$(($(wc -l < "$T/roshd.log") + 1))
	rosh -c "/interface ovpn-server server set srv protocol=udp mode=ip compression=$set" ||
		{ fail "$name: set"; return; }
	sleep 0.3
	client_profile "$name" || { fail "$name: export"; return; }
	if ! start_client "$name" client1 123 --allow-compression yes "$@"; then
		fail "$name: no tunnel: $(grep -iE 'error|fail' "$T/$name.log" | tail -3)"
	else
		grep -q "PUSH_REPLY.*$pushed" "$T/$name.log" && ok "$name: pushed $pushed" ||
			fail "$name: push: $(grep -o 'PUSH_REPLY.*' "$T/$name.log" | head -1)"
		ns_c ping -c 3 -W 2 -i 0.2 -s 1200 -p 00 192.168.77.1 > "$T/ping.log" 2>&1 ||
			fail "$name: ping with zeros: $(tail -2 "$T/ping.log")"
		export XFER_ZEROS=1
		through_tunnel "$name: 10 MB of zeros"
		unset XFER_ZEROS
		case "$pat" in
		!*) tail -n +"$from" "$T/roshd.log" | grep -q "${pat#!}" &&
			fail "$name: '${pat#!}' in the log" || ok "$name: no '${pat#!}' in the log" ;;
		*) tail -n +"$from" "$T/roshd.log" | grep -q "$pat" && ok "$name: log: $pat" ||
			fail "$name: no '$pat' in the log" ;;
		esac
	fi
	stop_client "$CLIENT_PID"
	sleep 0.5
	tail -n +"$from" "$T/roshd.log" | grep -q "compression: [0-9]* packets expanded, [1-9]" &&
		fail "$name: packets dropped: $(tail -n +"$from" "$T/roshd.log" | grep 'compression:')"
}

comp_case comp-lzo-asym asym "compress lz4-v2" "the peer compresses (LZ4)" --comp-lzo yes
comp_case compress-lz4-asym asym "compress lz4-v2" "the peer compresses (LZ4)" --compress lz4
comp_case comp-lzo-no no "compress stub-v2" "!the peer compresses" --comp-lzo yes
rosh -c '/interface ovpn-server server unset srv compression'

# mac-address: the server's TAP interfaces take it, and the client sees
# it as the server's hardware address (ARP over the tunnel)
rosh -c '/interface ovpn-server server set srv protocol=udp mode=ethernet mac-address=02:00:5E:10:00:42'
sleep 0.3
if client_profile mac && start_client mac client1 123 --dev-type tap; then
	ns_s ip -o link show | grep -qi '02:00:5e:10:00:42' && ok "mac-address on the TAP interface" ||
		fail "mac-address: $(ns_s ip -o link show | grep -i ovpn | head -2)"
	ns_c ping -c 2 -W 2 192.168.77.1 > /dev/null 2>&1 || fail "mac-address: no ping over tap"
	ns_c ip neigh show 192.168.77.1 dev tun-mac | grep -qi 'lladdr 02:00:5e:10:00:42' &&
		ok "the client sees the configured MAC" ||
		fail "mac-address seen by the client: $(ns_c ip neigh show dev tun-mac)"
else
	fail "mac-address: no tunnel"
fi
stop_client "$CLIENT_PID"
rosh -c '/interface ovpn-server server set srv mode=ip' && rosh -c '/interface ovpn-server server unset srv mac-address'
sleep 0.5

# the profile's rate-limit: 1 MB at 2 Mbit/s takes about 4 s (more is fine)
rosh -c '/ppp profile set ovpn rate-limit=2M/2M'
client_profile rate && start_client rate client1 123 || fail "rate: no tunnel"
ip netns exec "$NS_S" "$XFER" -l 5002 1048576 > "$T/rate.out" 2>&1 &
PIDS="$PIDS $!"
sleep 0.3
t0=$(date +%s.%N)
ns_c timeout 60 "$XFER" -c 192.168.77.1 5002 1048576 > /dev/null 2>&1
wait $! 2> /dev/null
t1=$(date +%s.%N)
if grep -q '^ok 1048576' "$T/rate.out" && awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 3) }'; then
	ok "rate-limit=2M/2M holds 1 MB to at least 3 s"
else
	fail "rate-limit: $(cat "$T/rate.out"), $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s"
fi
stop_client "$CLIENT_PID"
rosh -c '/ppp profile set ovpn rate-limit=""'
sleep 0.5

# the secret's limit-bytes-in: 300 kB leave the session up, then it ends
# once the user sent more than 500000 bytes, and the client is told
rosh -c '/ppp secret set client1 limit-bytes-in=500000'
if client_profile lim && start_client lim client1 123; then
	from=$(($(wc -l < "$T/roshd.log") + 1))
	ip netns exec "$NS_S" "$XFER" -l 5003 300000 > "$T/lim1.out" 2>&1 &
	PIDS="$PIDS $!"
	sleep 0.3
	ns_c timeout 20 "$XFER" -c 192.168.77.1 5003 300000 > /dev/null 2>&1
	wait $! 2> /dev/null
	sleep 1
	grep -q '^ok 300000' "$T/lim1.out" && ! tail -n +"$from" "$T/roshd.log" | grep -q "limit-bytes-in" &&
		ok "limit-bytes-in: 300 kB pass under a 500000 limit" ||
		fail "limit-bytes-in cut early: $(cat "$T/lim1.out"), $(tail -n +"$from" "$T/roshd.log" | grep limit)"
	ip netns exec "$NS_S" "$XFER" -l 5004 4194304 > /dev/null 2>&1 &
	PIDS="$PIDS $!"
	sleep 0.3
	ns_c timeout 20 "$XFER" -c 192.168.77.1 5004 4194304 > /dev/null 2>&1
	wait_for "$T/roshd.log" "limit-bytes-in reached" 10 && ok "limit-bytes-in ends the session" ||
		fail "limit-bytes-in: $(tail -3 "$T/roshd.log")"
	wait_for "$T/lim.log" "remote-exit\|SIGUSR1\[" 10 && ok "limit-bytes-in: the client saw its session end" ||
		fail "limit-bytes-in: the client did not see the end: $(tail -3 "$T/lim.log")"
else
	fail "limit: no tunnel"
fi
stop_client "$CLIENT_PID"
rosh -c '/ppp secret set client1 limit-bytes-in=0'
sleep 0.5

# tls-auth and tls-crypt with keys made by stock OpenVPN
openvpn --genkey secret "$T/ta.key" 2> /dev/null
key=$(awk '{printf "%s\\n", $0}' "$T/ta.key")
case_run udp-tls-auth "protocol=udp cipher=aes256-gcm tls-auth-key=\"$key\""
case_run udp-tls-crypt "tls-auth-key=\"\" tls-crypt-key=\"$key\""
rosh -c '/interface ovpn-server server set srv tls-crypt-key=""'

# refusals: wrong password, disabled secret
client_profile refused
printf 'client1\nwrong\n' > "$T/wrong.creds"
ns_c timeout 20 openvpn --config "$T/refused.ovpn" --auth-user-pass "$T/wrong.creds" --verb 3 \
	--dev tun-refused --auth-retry none > "$T/wrong.log" 2>&1
grep -q "AUTH_FAILED" "$T/wrong.log" && ok "wrong password refused" || fail "wrong password not refused"
rosh -c '/log print where message~"wrong password"' | grep -q "refused" || fail "no reason in /log"
grep -q "wrong password" "$T/wrong.log" && fail "the client was told why (it may probe user names)"
rosh -c '/ppp secret set client2 disabled=yes'
printf 'client2\n234\n' > "$T/dis.creds"
ns_c timeout 20 openvpn --config "$T/refused.ovpn" --auth-user-pass "$T/dis.creds" --verb 3 \
	--dev tun-refused --auth-retry none > "$T/dis.log" 2>&1
grep -q "AUTH_FAILED" "$T/dis.log" && ok "disabled secret refused" || fail "disabled secret not refused"
rosh -c '/ppp secret set client2 disabled=no'
# caller-id: the secret names the address its user must come from
rosh -c '/ppp secret set client2 caller-id=192.0.2.99'
ns_c timeout 20 openvpn --config "$T/refused.ovpn" --auth-user-pass "$T/dis.creds" --verb 3 \
	--dev tun-refused --auth-retry none > "$T/cid.log" 2>&1
grep -q "AUTH_FAILED" "$T/cid.log" && ok "caller-id from elsewhere refused" || fail "caller-id not honoured"
rosh -c '/log print where message~"caller-id"' | grep -q "refused" || fail "no caller-id reason in /log"
rosh -c "/ppp secret set client2 caller-id=$CLI_IP"
cp "$T/refused.ovpn" "$T/cid.ovpn"
if start_client cid client2 234; then ok "caller-id that matches logs in"; else fail "caller-id: $(tail -3 "$T/cid.log")"; fi
stop_client "$CLIENT_PID"
rosh -c '/ppp active remove [find where name=client2]'	# the tests below count sessions
for _ in $(seq 40); do
	[ "$(rosh -c '/ppp active print count-only where name=client2')" = 0 ] && break
	sleep 0.25
done
rosh -c '/ppp secret set client2 caller-id=""'

# two clients at once: distinct addresses, reaching each other through the server
client_profile two
cp "$T/two.ovpn" "$T/a.ovpn"
cp "$T/two.ovpn" "$T/b.ovpn"
start_client a client1 123 || fail "two: first client"
A_PID=$CLIENT_PID
sed -i "s/^remote .*/remote 10.231.1.1 1194/" "$T/b.ovpn"
CNS=$NS_D start_client b client2 234 || fail "two: second client"
B_PID=$CLIENT_PID
ips=$(rosh -c '/ppp active print proplist=address terse' 2>&1)
n=$(echo "$ips" | grep -o 'address=[0-9.]*' | sort -u | wc -l)
[ "$n" = 2 ] && ok "two clients, two addresses" || fail "two clients: $ips"
b_ip=$(ip netns exec "$NS_D" ip -4 addr show dev tun-b | awk '/inet /{sub("/.*","",$2); print $2}')
ns_c ping -c 2 -W 2 "$b_ip" > /dev/null 2>&1 && ok "client reaches client through the server" ||
	fail "client a can not reach client b ($b_ip)"

# only-one: a second session of client1 is refused while the first lives
rosh -c '/ppp profile set ovpn only-one=yes'
printf 'client1\n123\n' > "$T/one.creds"
ns_c timeout 20 openvpn --config "$T/two.ovpn" --auth-user-pass "$T/one.creds" --verb 3 \
	--dev tun-one --auth-retry none > "$T/one.log" 2>&1
grep -q "AUTH_FAILED" "$T/one.log" && ok "only-one refuses a second session" || fail "only-one not honoured"
rosh -c '/ppp profile set ovpn only-one=default'

# /ppp active remove disconnects that user (stock OpenVPN then reconnects
# by itself: what must go is that session)
caller=$(rosh -c ':put [/ppp active get [find where name=client2] caller-id]')
id=$(rosh -c ':put [/ppp active find where name=client2]')
out=$(rosh -c "/ppp active remove $id" 2>&1) || fail "/ppp active remove said: $out"
gone=0
for _ in $(seq 20); do
	rosh -c '/ppp active print' | grep -qF "$caller" || { gone=1; break; }
	sleep 0.25
done
[ "$gone" = 1 ] && grep -q "remote-exit" "$T/b.log" && ok "/ppp active remove" ||
	fail "/ppp active remove: $caller still there: $(rosh -c '/ppp active print')"
stop_client "$B_PID"

# a client killed with SIGKILL is found out by keepalive (2 x 5 s)
kill -9 "$A_PID"
sleep 13
[ "$(rosh -c '/ppp active print count-only')" = 0 ] && ok "dead client dropped by keepalive" ||
	fail "dead client still active: $(rosh -c '/ppp active print')"
rosh -c '/interface print where dynamic' | grep -q "ovpn-client1" &&
	fail "dynamic interface of the dead client is still there"

# reneg-sec 10: traffic keeps flowing across two renegotiations
rosh -c '/interface ovpn-server server set srv reneg-sec=10'
sleep 0.3
client_profile reneg
if start_client reneg client1 123; then
	ns_c ping -c 25 -i 1 -W 2 192.168.77.1 > "$T/reneg.ping" 2>&1
	lost=$(grep -o '[0-9]*% packet loss' "$T/reneg.ping")
	[ "$(grep -c 'soft reset\|SOFT_RESET\|renegotiat' "$T/reneg.log")" -ge 1 ] ||
		fail "reneg: no renegotiation seen in the client log"
	case "$lost" in 0%*) ok "reneg-sec 10: no loss over 25 s";; *) fail "reneg: $lost";; esac
	through_tunnel reneg-after
	stop_client "$CLIENT_PID"
fi
rosh -c '/interface ovpn-server server set srv reneg-sec=3600'

# disabling the server closes every tunnel
client_profile dis
start_client dis client1 123 || fail "disable: client"
rosh -c '/interface ovpn-server server disable srv'
wait_for "$T/dis.log" "remote-exit\|SIGUSR1\[" 15 && ok "disabling the server ends the tunnel" ||
	fail "disabled server left the tunnel up"
for _ in $(seq 20); do
	n=$(rosh -c '/ppp active print count-only')
	[ "$n" = 0 ] && break
	sleep 0.25
done
[ "$n" = 0 ] || fail "sessions left after disable: $(rosh -c '/ppp active print')"
stop_client "$CLIENT_PID"
rosh -c '/interface ovpn-server server enable srv'

# a static interface for client1, push-routes and the profile's DNS
rosh -c '/interface ovpn-server add name=ovpn-c1 user=client1'
rosh -c '/ppp profile set ovpn dns-server=192.168.77.1'
rosh -c '/interface ovpn-server server set srv push-routes="192.168.102.0 255.255.255.0 192.168.77.1 9,10.5.8.20"'
sleep 0.3
client_profile st
if start_client st client1 123; then
	rosh -c '/interface print where name=ovpn-c1' | grep -q "R.*ovpn-c1" && ok "static interface used" ||
		fail "static interface: $(rosh -c '/interface print')"
	ns_s ip link show ovpn-c1 > /dev/null 2>&1 || fail "no kernel interface ovpn-c1"
	ns_c ip route | grep -q "192.168.102.0/24 via 192.168.77.1 dev tun-st metric 9" && ok "push-routes arrive" ||
		fail "push-routes: $(ns_c ip route)"
	ns_c ip route | grep -q "10.5.8.20 via" || fail "host route from push-routes missing"
	grep -q "dhcp-option DNS 192.168.77.1" "$T/st.log" && ok "DNS pushed" || fail "DNS not pushed"
	through_tunnel static-iface 1048576
	sleep 1.5	# counters reach the database once a second
	rx=$(rosh -c ':put [/interface get ovpn-c1 rx-byte]')
	[ "${rx:-0}" -ge 1048576 ] 2> /dev/null && ok "static interface counts its traffic" ||
		fail "static interface rx-byte '$rx' after 1 MiB"
	stop_client "$CLIENT_PID"
fi
rosh -c '/interface ovpn-server remove ovpn-c1; /interface ovpn-server server set srv push-routes=""'

# IPv6 inside the tunnel
rosh -c '/interface ovpn-server server set srv enable-tun-ipv6=yes tun-server-ipv6=fd00:77::1 ipv6-prefix-len=64'
sleep 0.3
client_profile v6
if start_client v6 client1 123; then
	ns_c ip -6 addr show dev tun-v6 | grep -q "fd00:77::c0a8:4d02/64" || fail "no IPv6 address: $(ns_c ip -6 addr show dev tun-v6)"
	ns_c ping -6 -c 3 -W 2 -i 0.2 fd00:77::1 > "$T/ping6.log" 2>&1 && ok "IPv6 through the tunnel" ||
		fail "ping over IPv6: $(tail -2 "$T/ping6.log")"
	stop_client "$CLIENT_PID"
fi
# the manual's prefix form: its length takes the place of ipv6-prefix-len
rosh -c '/interface ovpn-server server set srv tun-server-ipv6=fd00:78::1/80 ipv6-prefix-len=64'
sleep 0.3
if start_client v6 client1 123; then
	ns_c ip -6 addr show dev tun-v6 | grep -q "fd00:78::c0a8:4d02/80" && ok "IPv6 prefix form" ||
		fail "prefix form: $(ns_c ip -6 addr show dev tun-v6)"
	stop_client "$CLIENT_PID"
fi
rosh -c '/interface ovpn-server server set srv enable-tun-ipv6=no'

# a roshd restart: the client reconnects by itself
client_profile rs
start_client rs client1 123 --connect-retry 1 --connect-retry-max 30 || fail "restart: client"
stop_roshd
start_roshd
wait_for "$T/rs.log" "Initialization Sequence Completed.*" 30
sleep 8
through_tunnel "after roshd restart" 1048576
stop_client "$CLIENT_PID"

# a VRF that is not there (this kernel may have none at all) is refused at
# commit, naming the property, and the server keeps running where it was
out=$(rosh -c '/interface ovpn-server server set srv vrf=vrf-blue' 2>&1) &&
	fail "missing VRF accepted"
case "$out" in *vrf*) ok "missing VRF refused: $out";; *) fail "missing VRF: $out";; esac
[ "$(rosh -c ':put [/interface ovpn-server server get srv vrf]')" = main ] ||
	fail "a refused vrf changed the server"

# without CAP_NET_ADMIN roshd refuses to start and says why
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$ROSHD" --db "$T/nodb/x.db" 2>&1)
case "$out" in *CAP_NET_ADMIN*) ok "roshd names the capability it lacks";; *) fail "no CAP_NET_ADMIN message: $out";; esac

[ "$FAILS" = 0 ] || { echo "$FAILS failures; roshd log tail:"; tail -20 "$T/roshd.log"; }
exit "$FAILS"
