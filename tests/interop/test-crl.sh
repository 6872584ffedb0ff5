#!/bin/bash
# test-crl.sh: revocation end to end, each side in its own network
# namespace. Certificates issued by the router's CA and then revoked:
#  - roshd as the server refuses the revoked client certificate (a stock
#    OpenVPN 2.6 client holding it cannot connect, and one connected before
#    the revocation is dropped at the commit that revoked it); a certificate
#    that is not revoked connects and ping crosses, and so does one of a
#    second trusted CA that has no CRL;
#  - a stock OpenVPN server using the CRL rosh published (crl-verify
#    ca.crl from the file store) refuses the same client, accepts the other;
#  - roshd as a client, from a profile carrying <crl-verify>, refuses a
#    stock server whose certificate is revoked and connects to one whose
#    certificate is not.
# Skips (77) without root, openvpn or openssl.
. "$SRC/tests/interop/lib.sh"
command -v openssl > /dev/null || { echo "skip: openssl is not installed"; exit 77; }
crosh() { "$ROSH" --db "$T/cdb/config.db" --socket "$T/croshd.sock" "$@"; }

make_net
base_config
rosh > "$T/crl-setup.log" 2>&1 <<-'EOF' || { cat "$T/crl-setup.log"; exit 1; }
/certificate
add name=gone common-name=gone key-usage=digital-signature,tls-client key-type=ec key-size=prime256v1
add name=badsrv common-name=badsrv subject-alt-name=IP:10.231.0.1 key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1
add name=goodsrv common-name=goodsrv subject-alt-name=IP:10.231.0.1 key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1
sign gone ca=ca
sign badsrv ca=ca
sign goodsrv ca=ca
add name=ca2 common-name=other-ca key-usage=key-cert-sign,crl-sign key-type=ec key-size=prime256v1
add name=other common-name=other key-usage=digital-signature,tls-client key-type=ec key-size=prime256v1
sign ca2
sign other ca=ca2
export-certificate ca
export-certificate badsrv export-passphrase=crlpass123
export-certificate goodsrv export-passphrase=crlpass123
/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm auth=sha1 keepalive-timeout=5 disabled=no
EOF
start_roshd || exit 1

# profile NAME CERT: a client profile for the server srv with CERT's key
profile() {
	rosh -c "/interface ovpn-server server export-client-configuration server=srv server-address=$SRV_IP ca-certificate=ca client-certificate=$2 file-name=$1" > /dev/null ||
		{ fail "export $1"; return 1; }
	cp "$T/db/files/$1.ovpn" "$T/$1.ovpn"
}
active() { rosh -c '/ppp active print count-only' 2> /dev/null; }

# 1. roshd as the server. Connected before the revocation, then dropped at
# the commit that revokes it, and refused from then on.
profile gone gone && profile ok1 client1
if start_client gone client1 123; then
	ns_c ping -c 2 -W 2 192.168.77.1 > /dev/null 2>&1 && ok "gone connects before its revocation" ||
		fail "gone: no ping before the revocation"
else
	fail "gone does not connect before its revocation: $(grep -iE 'error|fail' "$T/gone.log" | tail -3)"
fi
GONE_PID=$CLIENT_PID
rosh -c '/certificate revoke gone' > "$T/revoke.log" 2>&1 || fail "revoke: $(cat "$T/revoke.log")"
# the server restarts with the new CRL; the client keeps trying and is refused
for _ in $(seq 100); do [ "$(active)" = 0 ] && break; sleep 0.1; done
[ "$(active)" = 0 ] || fail "the revoked client is still connected after the commit"
if wait_for "$T/roshd.log" "TLS.*\(revoked\|CRL\|-361\)" 30; then
	ok "the revoked client is refused: $(grep -o 'TLS.*\(revoked\|CRL\|-361\).*' "$T/roshd.log" | tail -1)"
else
	fail "no refusal of the revoked certificate in the log: $(grep TLS "$T/roshd.log" | tail -3)"
fi
sleep 2
[ "$(active)" = 0 ] || fail "the revoked client came back: $(rosh -c '/ppp active print')"
stop_client "$GONE_PID"
if start_client ok1 client1 123; then
	through_tunnel "a certificate that is not revoked, after the revocation"
else
	fail "client1 does not connect after gone's revocation: $(grep -iE 'error|fail' "$T/ok1.log" | tail -3)"
fi
stop_client "$CLIENT_PID"
# an authority without a CRL has revoked nothing: its certificates still pass
profile other other
if start_client other client1 123; then
	ns_c ping -c 2 -W 2 192.168.77.1 > /dev/null 2>&1 &&
		ok "a certificate of another CA, which has no CRL, connects" || fail "other: no ping"
else
	fail "a certificate whose CA has no CRL is refused: $(grep -iE 'error|fail' "$T/other.log" | tail -3)"
fi
stop_client "$CLIENT_PID"

# 2. A stock OpenVPN server with crl-verify on the CRL we publish.
rosh -c '/certificate revoke badsrv' > /dev/null || fail "revoke badsrv"
rosh -c '/interface ovpn-server server disable srv'
sleep 0.5
f=$T/db/files
openssl crl -in "$f/ca.crl" -CAfile "$f/cert_export_ca.crt" -noout 2> /dev/null ||
	fail "openssl does not verify the published ca.crl"
echo crlpass123 > "$T/pass.txt"
stock_server() {
	{ stock_server_head 1194 udp; cat; } > "$T/stock-$1.conf" <<-EOF
	ca $f/cert_export_ca.crt
	cert $f/cert_export_$1.crt
	key $f/cert_export_$1.key
	askpass $T/pass.txt
	dh none
	keepalive 2 10
	crl-verify $f/ca.crl
	verb 4
	EOF
	ip netns exec "$NS_S" openvpn --config "$T/stock-$1.conf" > "$T/stock-$1.log" 2>&1 &
	SRV_PID=$!
	PIDS="$PIDS $SRV_PID"
	wait_for "$T/stock-$1.log" "Initialization Sequence Completed" 15 ||
		{ fail "stock server $1 did not start: $(tail -3 "$T/stock-$1.log")"; return 1; }
}
if stock_server goodsrv; then
	sed -i 's/^verify-x509-name.*//' "$T/gone.ovpn" "$T/ok1.ovpn"
	ns_c timeout 20 openvpn --config "$T/gone.ovpn" --auth-user-pass "$T/gone.creds" --verb 3 \
		--dev tun-gone2 --connect-retry-max 1 --auth-retry none > "$T/gone2.log" 2>&1
	grep -q "Initialization Sequence Completed" "$T/gone2.log" &&
		fail "the stock server with our CRL let the revoked client in"
	grep -qi "revoked" "$T/stock-goodsrv.log" && ok "the stock server with our CRL refuses the revoked client" ||
		fail "the stock server does not say revoked: $(grep -i 'verify' "$T/stock-goodsrv.log" | tail -3)"
	if start_client ok1 client1 123; then
		ns_c ping -c 3 -W 2 -i 0.2 192.168.77.1 > /dev/null 2>&1 &&
			ok "the stock server with our CRL accepts a certificate that is not revoked" ||
			fail "no ping through the stock server"
	else
		fail "client1 refused by the stock server: $(grep -iE 'error|fail' "$T/ok1.log" | tail -3)"
	fi
	stop_client "$CLIENT_PID"
	stop_client "$SRV_PID"
fi

# 3. roshd as a client, from a profile with <crl-verify>: the stock server
# with the revoked badsrv certificate is refused, goodsrv is not.
mkdir -p "$T/cdb/files"
{ grep -v '^verify-x509-name' "$T/ok1.ovpn"; printf '<crl-verify>\n'; cat "$f/ca.crl"; printf '</crl-verify>\n'; } \
	> "$T/cdb/files/crl.ovpn"
ip netns exec "$NS_C" "$ROSHD" --db "$T/cdb/config.db" --socket "$T/croshd.sock" --log-level debug \
	>> "$T/croshd.log" 2>&1 &
PIDS="$PIDS $!"
for _ in $(seq 50); do [ -S "$T/croshd.sock" ] && break; sleep 0.1; done
crosh -c '/interface ovpn-client import-ovpn-configuration file-name=crl.ovpn name=c1 ovpn-user=client1 ovpn-password=123' \
	> "$T/cimport.log" 2>&1 || fail "import of the profile with <crl-verify>: $(cat "$T/cimport.log")"
[ "$(crosh -c '/certificate crl print count-only')" = 1 ] || fail "the profile's CRL is not in /certificate crl"
# the profile names no server check but its CA: verify the chain, as stock OpenVPN always does
crosh -c '/interface ovpn-client set c1 verify-server-certificate=yes disabled=yes' || fail "set c1"
cstatus() { crosh -c ':put [/interface ovpn-client get c1 status]' 2> /dev/null; }
if stock_server badsrv; then
	crosh -c '/interface ovpn-client enable c1'
	for _ in $(seq 100); do [ "$(cstatus)" = connected ] && break; sleep 0.1; done
	[ "$(cstatus)" = connected ] && fail "our client connected to a server whose certificate is revoked"
	crosh -c '/log print' | grep -q "TLS.*\(revoked\|CRL\|-361\)" &&
		ok "our client refuses the revoked server" ||
		fail "our client does not say why: $(crosh -c '/log print' | grep -i 'c1' | tail -3)"
	crosh -c '/interface ovpn-client disable c1'
	stop_client "$SRV_PID"
	sleep 0.5
fi
if stock_server goodsrv; then
	crosh -c '/interface ovpn-client enable c1'
	for _ in $(seq 300); do [ "$(cstatus)" = connected ] && break; sleep 0.1; done
	if [ "$(cstatus)" = connected ]; then
		ns_c ping -c 3 -W 2 -i 0.2 192.168.77.1 > /dev/null 2>&1 &&
			ok "our client with the CRL connects to a server that is not revoked" ||
			fail "no ping from our client through goodsrv"
	else
		fail "our client does not connect to goodsrv ($(cstatus)): $(crosh -c '/log print' | tail -3)"
	fi
	crosh -c '/interface ovpn-client disable c1'
	stop_client "$SRV_PID"
fi
[ "$FAILS" = 0 ]
