#!/bin/bash
# test-fragment.sh: OpenVPN's --fragment against stock OpenVPN 2.6, each
# side in its own network namespace. TCP segments are left at 1460 bytes
# (no MSS clamping), so every full-size packet must be cut to cross:
#  1. roshd as the server with fragment=1000; a stock client from the
#     profile it exports (which must carry fragment 1000);
#  2. roshd as a client, from an imported provider-style profile
#     (fragment, comp-lzo, tls-crypt, verify-x509-name, remote-cert-tls),
#     against a stock server with fragment 1000 that compresses.
# Each case pings with 1400 bytes, moves 10 MB each way and checks the
# bytes; an nft counter where our datagrams arrive shows none over the
# limit, and our log counts the packets cut and put back together.
# Skips (77) without root, openvpn or nft.
. "$SRC/tests/interop/lib.sh"
command -v nft > /dev/null || { echo "skip: nft is not installed"; exit 77; }
crosh() { "$ROSH" --db "$T/cdb/config.db" --socket "$T/croshd.sock" "$@"; }

# count_udp NS MATCH: an nft table in NS counting the data packets (opcode
# P_DATA_V1 or V2: the control channel is not cut, in OpenVPN either) that
# arrive matching MATCH (udp sport 1194), all and those over 1028 bytes of
# IPv4 (1000 of UDP payload). Counted where they arrive: the sender's own
# hooks see a batch sent with UDP GSO as one packet, so the sender's veth
# is told to cut batches before they leave (gso_max_segs 1).
count_udp() {
	ip netns exec "$1" nft -f - <<-EOF
	table inet fragtest {
		chain in {
			type filter hook prerouting priority 0;
			$2 @th,64,5 { 6, 9 } ip length > 1028 counter
			$2 @th,64,5 { 6, 9 } counter
		}
	}
	EOF
}
# counted NS: "big all" datagrams arrived in NS
counted() {
	ip netns exec "$1" nft list chain inet fragtest in |
		awk '/counter/ { for (i = 1; i <= NF; i++) if ($i == "packets") n[++k] = $(i + 1) }
		     END { print n[1], n[2] }'
}

# both_ways WHAT ADDR-OF-SERVER-SIDE ADDR-OF-CLIENT-SIDE: ping with 1400
# bytes, then 10 MB client to server and 10 MB server to client
both_ways() {
	local what=$1 srv=$2 cli=$3 bytes=10485760 up down
	ns_c ping -c 3 -W 2 -i 0.2 -s 1400 "$srv" > "$T/ping.log" 2>&1 &&
		ok "$what: 1400-byte pings cross" || fail "$what: ping -s 1400: $(tail -2 "$T/ping.log")"
	ns_s "$XFER" -l 5001 "$bytes" > "$T/up.out" 2>&1 &
	up=$!
	ns_c "$XFER" -l 5002 "$bytes" > "$T/down.out" 2>&1 &
	down=$!
	PIDS="$PIDS $up $down"
	sleep 0.3
	ns_c "$XFER" -c "$srv" 5001 "$bytes" > /dev/null 2>&1
	ns_s "$XFER" -c "$cli" 5002 "$bytes" > /dev/null 2>&1
	wait "$up" "$down"
	grep -q "^ok $bytes" "$T/up.out" && ok "$what: 10 MB client to server" ||
		fail "$what: client to server: $(cat "$T/up.out")"
	grep -q "^ok $bytes" "$T/down.out" && ok "$what: 10 MB server to client" ||
		fail "$what: server to client: $(cat "$T/down.out")"
}

# no_big NS WHAT: nothing over the limit arrived in NS, and traffic did
no_big() {
	read -r big all <<< "$(counted "$1")"
	[ "${big:-x}" = 0 ] && [ "${all:-0}" -gt 1000 ] &&
		ok "$2: $all datagrams, none over 1000 bytes of payload" ||
		fail "$2: $big of $all datagrams over the limit"
}

# pieces LOG WHO: the session's summary counts packets both cut and joined
pieces() {
	local line
	line=$(grep -o "$2.*fragment: [0-9]* packets sent in pieces.*" "$1" | tail -1)
	[[ "$line" =~ fragment:\ ([0-9]+)\ packets\ sent\ in\ pieces,\ ([0-9]+)\ put\ back\ together,\ 0\ pieces ]] &&
		[ "${BASH_REMATCH[1]}" -gt 1000 ] && [ "${BASH_REMATCH[2]}" -gt 1000 ] &&
		ok "$2: ${BASH_REMATCH[1]} packets cut, ${BASH_REMATCH[2]} put back together" ||
		fail "$2: fragment summary: ${line:-none}"
}

make_net
base_config
openvpn --genkey secret "$T/tc.key" > /dev/null 2>&1 || { echo "openvpn --genkey failed"; exit 1; }
tc=$(awk '{printf "%s\\n", $0}' "$T/tc.key")
rosh > "$T/frag-setup.log" 2>&1 <<-EOF || { cat "$T/frag-setup.log"; exit 1; }
/ppp profile set ovpn change-tcp-mss=no
/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm fragment=1000 tls-crypt-key="$tc" disabled=no
/certificate export-certificate ca
/certificate export-certificate server export-passphrase=fragpass123
EOF
# a fragment over TCP is refused at the console, as OpenVPN refuses it
out=$(rosh -c '/interface ovpn-server server set srv protocol=tcp' 2>&1) &&
	fail "fragment with protocol=tcp was taken" ||
	{ [[ "$out" == *"fragment needs protocol udp"* ]] && ok "fragment with protocol=tcp is refused: $out" ||
		fail "fragment with protocol=tcp: $out"; }
start_roshd || exit 1
ns_s ip link set "vs$$" gso_max_segs 1
count_udp "$NS_C" "udp sport 1194"

# 1. roshd as the server
client_profile frag
grep -qx 'fragment 1000' "$T/frag.ovpn" && ok "the exported profile carries fragment 1000" ||
	fail "no fragment line in the exported profile: $(grep -v '^[A-Za-z0-9+/=-]*$' "$T/frag.ovpn" | head -20)"
if start_client frag client1 123 --mssfix 0; then
	cli=$(ns_c ip -4 -o addr show dev tun-frag | awk '{ sub("/.*", "", $4); print $4 }')
	both_ways "roshd server" 192.168.77.1 "$cli"
	no_big "$NS_C" "roshd server"
	grep -q "FRAG_IN error\|FRAG_OUT error" "$T/frag.log" &&
		fail "the stock client met bad pieces: $(grep FRAG_ "$T/frag.log" | head -2)"
else
	fail "roshd server: no tunnel: $(grep -iE 'error|fail' "$T/frag.log" | tail -3)"
fi
stop_client "$CLIENT_PID"
stop_roshd	# the session's summary is logged as it closes
pieces "$T/roshd.log" "$CLI_IP"

# 2. roshd as a client, from a provider-style profile, against a stock
# server that cuts at 1000 and compresses
f=$T/db/files
echo fragpass123 > "$T/pass.txt"
{ stock_server_head 1195 udp; cat; } > "$T/stock.conf" <<-EOF
ca $f/cert_export_ca.crt
cert $f/cert_export_server.crt
key $f/cert_export_server.key
askpass $T/pass.txt
tls-crypt $T/tc.key
dh none
keepalive 2 10
fragment 1000
mssfix 0
comp-lzo yes
allow-compression yes
verb 4
EOF
ip netns exec "$NS_S" openvpn --config "$T/stock.conf" > "$T/stock.log" 2>&1 &
SRV_PID=$!
PIDS="$PIDS $SRV_PID"
wait_for "$T/stock.log" "Initialization Sequence Completed" 15 ||
	{ fail "stock server did not start: $(tail -3 "$T/stock.log")"; exit 1; }
mkdir -p "$T/cdb/files"
# the exported profile as a provider writes one: another port, compression,
# no MSS clamping, verify-x509-name and remote-cert-tls already in it
sed -e 's/^remote .*/remote 10.231.0.1 1195/' "$T/frag.ovpn" > "$T/cdb/files/provider.ovpn"
printf 'comp-lzo\nmssfix 0\nmute-replay-warnings\n' >> "$T/cdb/files/provider.ovpn"
grep -q '^verify-x509-name vpn.test name$' "$T/cdb/files/provider.ovpn" &&
	grep -q '^remote-cert-tls server$' "$T/cdb/files/provider.ovpn" && grep -q '^<tls-crypt>' "$T/cdb/files/provider.ovpn" ||
	fail "the profile lacks its server checks: $(grep -v '^[A-Za-z0-9+/=-]*$' "$T/cdb/files/provider.ovpn")"
ip netns exec "$NS_C" "$ROSHD" --db "$T/cdb/config.db" --socket "$T/croshd.sock" --log-level debug \
	>> "$T/croshd.log" 2>&1 &
PIDS="$PIDS $!"
for _ in $(seq 50); do [ -S "$T/croshd.sock" ] && break; sleep 0.1; done
out=$(crosh -c '/interface ovpn-client import-ovpn-configuration file-name=provider.ovpn name=c1 ovpn-user=client1 ovpn-password=123' 2>&1) ||
	fail "import: $out"
[ "$(crosh -c ':put [/interface ovpn-client get c1 fragment]')" = 1000 ] &&
	[ "$(crosh -c ':put [/interface ovpn-client get c1 verify-server-certificate]')" = yes ] &&
	ok "imported: fragment=1000, the server verified" ||
	fail "imported: $(crosh -c '/interface ovpn-client export' | grep c1)"
ns_c ip link set "vc$$" gso_max_segs 1
count_udp "$NS_S" "udp dport 1195"
cstatus() { crosh -c ':put [/interface ovpn-client get c1 status]' 2> /dev/null; }
crosh -c '/interface ovpn-client enable c1'
for _ in $(seq 300); do [ "$(cstatus)" = connected ] && break; sleep 0.1; done
if [ "$(cstatus)" = connected ]; then
	cli=$(crosh -c ':put [/interface ovpn-client get c1 local-address]')
	both_ways "roshd client" 192.168.77.1 "$cli"
	# zeros from the server come compressed, our zeros go framed and cut
	ns_s ping -c 3 -W 2 -i 0.2 -s 1400 -p 00 "$cli" > "$T/ping0.log" 2>&1 ||
		fail "zeros from the server: $(tail -2 "$T/ping0.log")"
	no_big "$NS_S" "roshd client"
	grep -q "FRAG_IN error\|FRAG_OUT error" "$T/stock.log" &&
		fail "the stock server met bad pieces: $(grep FRAG_ "$T/stock.log" | head -2)"
else
	fail "roshd client: not connected ($(cstatus)): $(crosh -c '/log print' | tail -3)"
fi
crosh -c '/interface ovpn-client disable c1'
for _ in $(seq 50); do grep -q "c1.*fragment: [0-9]* packets sent" "$T/croshd.log" && break; sleep 0.1; done
pieces "$T/croshd.log" "c1"
grep -q "client c1: the peer compresses (LZO)" "$T/croshd.log" &&
	ok "roshd client: the server's LZO arrived expanded, through the pieces" ||
	fail "roshd client: no LZO expanded: $(grep 'c1.*compress' "$T/croshd.log" | tail -2)"
grep -q "c1.*compression: [0-9]* packets expanded, 0 dropped" "$T/croshd.log" ||
	fail "roshd client: compression drops: $(grep 'c1.*compression:' "$T/croshd.log")"
[ "$FAILS" = 0 ]
