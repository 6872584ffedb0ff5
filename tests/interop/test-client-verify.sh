#!/bin/bash
# test-client-verify.sh: an imported profile verifies its server at least as
# strictly as stock OpenVPN 2.6 would with the same file. A provider-style
# profile (tls-crypt, a dead first remote, the remote given as an address,
# verify-x509-name name-prefix, remote-cert-tls server, the provider's CA)
# is imported with import-ovpn-configuration into roshd, which connects to a
# stock server in a namespace; a ping and a 10 MB transfer cross. Then the
# same client meets servers it must refuse: a wrong name, a certificate
# without the TLS server EKU, one from another CA that is also trusted in
# /certificate (the profile's CA is pinned); a fingerprint-pinned profile
# with a wrong fingerprint is refused and one with the right fingerprint
# connects; the subject form of verify-x509-name connects as stock openvpn
# does with the same profile. Certificates are made here with openssl.
# Skips (77) without root, openvpn or openssl. Usage: test-client-verify.sh
. "$SRC/tests/interop/lib.sh"
command -v openssl > /dev/null || { echo "skip: openssl is not installed"; exit 77; }

crosh() { "$ROSH" --db "$T/cdb/config.db" --socket "$T/croshd.sock" "$@"; }
get() { crosh -c ":put [/interface ovpn-client get $1 $2]" 2> /dev/null; }
clog() { crosh -c '/log print' 2> /dev/null; }

start_croshd() {
	mkdir -p "$T/cdb/files"
	ip netns exec "$NS_C" "$ROSHD" --db "$T/cdb/config.db" --socket "$T/croshd.sock" \
		--log-level debug >> "$T/croshd.log" 2>&1 &
	PIDS="$PIDS $!"
	for _ in $(seq 50); do [ -S "$T/croshd.sock" ] && return 0; sleep 0.1; done
	echo "client roshd did not start: $(tail -5 "$T/croshd.log")"
	exit 1
}

# cert NAME CA SUBJECT EKU: a server certificate signed by CA (EKU none:
# without the extension, which wolfSSL lets pass and remote-cert-tls not)
cert() {
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$1.key" \
		-out "$1.csr" -subj "$3" &&
		printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n' > "$1.ext" &&
		{ [ "$4" = none ] || echo "extendedKeyUsage=$4" >> "$1.ext"; } &&
		openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 2 \
			-extfile "$1.ext" -out "$1.crt"
}

make_pki() {
	mkdir -p "$T/pki"
	(
		cd "$T/pki" || exit 1
		for ca in provider:"Provider Root CA" other:"Other Trusted CA"; do
			openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
				-keyout "${ca%%:*}.key" -out "${ca%%:*}.crt" -days 2 -subj "/CN=${ca#*:}" \
				-addext "basicConstraints=critical,CA:TRUE" \
				-addext "keyUsage=critical,keyCertSign,cRLSign" || exit 1
		done
		cert good provider "/C=NL/O=Example VPN/CN=nl-ams-001.vpn.example" serverAuth &&
			cert wrongname provider "/C=NL/O=Example VPN/CN=attacker.example" serverAuth &&
			cert noeku provider "/C=NL/O=Example VPN/CN=nl-ams-002.vpn.example" none &&
			cert otherca other "/C=NL/O=Example VPN/CN=nl-ams-001.vpn.example" serverAuth &&
			openvpn --genkey secret tc.key
	) > "$T/pki.log" 2>&1 || { echo "pki failed: $(tail -5 "$T/pki.log")"; exit 1; }
	cat > "$T/check-user.sh" <<-'EOF'
	#!/bin/sh
	[ "$(sed -n 1p "$1")" = alice ] && [ "$(sed -n 2p "$1")" = wonderland ]
	EOF
	chmod 755 "$T/check-user.sh"
}

# srv_start CERT: a stock server on 10.231.0.1:1194/udp presenting CERT
srv_start() {
	local conf=$T/srv-$1.conf
	{ stock_server_head 1194 udp; cat; } > "$conf" <<-EOF
	ca $T/pki/provider.crt
	cert $T/pki/$1.crt
	key $T/pki/$1.key
	dh none
	tls-crypt $T/pki/tc.key
	data-ciphers AES-256-GCM
	keepalive 2 10
	script-security 2
	auth-user-pass-verify $T/check-user.sh via-file
	username-as-common-name
	verify-client-cert none
	verb 4
	EOF
	ip netns exec "$NS_S" openvpn --config "$conf" > "$T/srv-$1.log" 2>&1 &
	SRV_PID=$!
	PIDS="$PIDS $SRV_PID"
	wait_for "$T/srv-$1.log" "Initialization Sequence Completed" 15 ||
		{ fail "$1: stock server did not start: $(tail -3 "$T/srv-$1.log")"; return 1; }
}

# profile FILE VERIFY-LINES [ca]: a provider-style profile, the first
# remote dead (nothing listens on 1199), the remote an address
profile() {
	{
		printf 'client\ndev tun\nproto udp\nremote %s 1199\nremote %s 1194\n' "$SRV_IP" "$SRV_IP"
		printf 'resolv-retry infinite\nnobind\npersist-key\npersist-tun\nauth-user-pass\n'
		printf 'cipher AES-256-GCM\ndata-ciphers AES-256-GCM\nverb 3\n%s\n' "$2"
		if [ "${3:-}" = ca ]; then
			printf '<ca>\n'
			cat "$T/pki/provider.crt"
			printf '</ca>\n'
		fi
		printf '<tls-crypt>\n'
		cat "$T/pki/tc.key"
		printf '</tls-crypt>\n'
	} > "$T/cdb/files/$1"
}

# connects NAME WHAT: the client reaches connected within 40 s
connects() {
	for _ in $(seq 400); do
		[ "$(get "$1" status)" = connected ] && return 0
		sleep 0.1
	done
	fail "$2: not connected: $(get "$1" last-error); $(clog | grep "client $1" | tail -3)"
	return 1
}

# refused NAME WHAT REASON: for 12 s the client never connects, and its
# last-error says REASON at some point (the dead remote's refusal alternates
# with it)
refused() {
	local seen=0 err
	for _ in $(seq 60); do
		[ "$(get "$1" status)" = connected ] && { fail "$2: connected to a server it must refuse"; return 1; }
		err=$(get "$1" last-error)
		[[ "$err" == *"$3"* ]] && seen=1
		sleep 0.2
	done
	[ $seen = 1 ] && clog | grep "client $1" | grep -qF "$3" && ok "$2: refused ($3)" ||
		fail "$2: last-error never said '$3': $(get "$1" last-error); $(clog | grep "client $1" | tail -2)"
}

# restart NAME: a fresh start, without the back-off of earlier failures
restart() {
	crosh -c "/interface ovpn-client disable $1"
	sleep 0.3
	crosh -c "/interface ovpn-client enable $1"
}

make_net
make_pki
start_croshd
cp "$T/pki/other.crt" "$T/cdb/files/"
crosh -c '/certificate import file-name=other.crt name=other' > /dev/null || fail "import of the other CA"
crosh -c ':put [/certificate get other trusted]' | grep -qx true || crosh -c ':put [/certificate get other trusted]' | grep -qx yes ||
	fail "the other CA is not trusted: $(crosh -c '/certificate print detail where name=other')"

# ---- the provider-style profile, imported as is ----
profile provider.ovpn "remote-cert-tls server
verify-x509-name nl-ams- name-prefix
tls-version-min 1.2" ca
out=$(crosh -c '/interface ovpn-client import-ovpn-configuration file-name=provider.ovpn ovpn-user=alice ovpn-password=wonderland name=c1' 2>&1) ||
	fail "import: $out"
d=$(crosh -c '/interface ovpn-client print detail where name=c1')
for want in "verify-server-certificate=yes" 'verify-server-name="nl-ams-"' "verify-server-name-type=name-prefix" \
	"verify-server-usage=tls-server" "server-ca=c1-ca" "tls-crypt-key" "backup-remotes=\"$SRV_IP:1194:udp\""; do
	grep -qF "$want" <<< "$(crosh -c '/interface ovpn-client print detail show-sensitive where name=c1')" ||
		fail "imported client lacks $want: $d"
done
crosh -c '/interface ovpn-client disable c1'
srv_start good && {
	crosh -c '/interface ovpn-client enable c1'
	connects c1 "provider profile" && through_tunnel "provider profile: dead first remote, name-prefix, tls-crypt"
	clog | grep -q "client c1: $SRV_IP:1199/udp: connection refused" || fail "the dead first remote was not tried"
	crosh -c '/interface ovpn-client disable c1'
	stop_client "$SRV_PID"
}

# ---- servers it must refuse ----
srv_start wrongname && {
	restart c1
	refused c1 "wrong name" "does not match verify-server-name 'nl-ams-' (name-prefix)"
	crosh -c '/interface ovpn-client disable c1'
	stop_client "$SRV_PID"
}
srv_start noeku && {
	restart c1
	refused c1 "no server EKU" "lacks TLS Web Server Authentication"
	# the control: without the usage check the same server is taken
	crosh -c '/interface ovpn-client set c1 verify-server-usage=none'
	restart c1
	connects c1 "no EKU, no usage check" && ok "without verify-server-usage the EKU-less server is taken (the check matters)"
	crosh -c '/interface ovpn-client set c1 verify-server-usage=tls-server disabled=yes'
	stop_client "$SRV_PID"
}
srv_start otherca && {
	restart c1
	refused c1 "another trusted CA" "TLS handshake failed"
	# the control: without the pin the other trusted CA vouches, so the
	# refusal above is the pin's doing
	crosh -c '/interface ovpn-client set c1 server-ca=none'
	restart c1
	connects c1 "another trusted CA, unpinned" && ok "without server-ca another trusted CA vouches (the pin matters)"
	crosh -c '/interface ovpn-client set c1 server-ca=c1-ca disabled=yes'
	stop_client "$SRV_PID"
}

# ---- fingerprints instead of a CA, and the subject form ----
fp=$(openssl x509 -in "$T/pki/good.crt" -noout -fingerprint -sha256 | cut -d= -f2)
wrong=$(openssl x509 -in "$T/pki/wrongname.crt" -noout -fingerprint -sha256 | cut -d= -f2)
profile pinned-wrong.ovpn "<peer-fingerprint>
$wrong
</peer-fingerprint>
tls-version-min 1.3"
profile pinned.ovpn "peer-fingerprint $fp
remote-cert-tls server
tls-version-min 1.3"
subject="C=NL, O=Example VPN, CN=nl-ams-001.vpn.example"
profile subject.ovpn "remote-cert-tls server
verify-x509-name '$subject'" ca
for n in pinned-wrong pinned subject; do
	out=$(crosh -c "/interface ovpn-client import-ovpn-configuration file-name=$n.ovpn ovpn-user=alice ovpn-password=wonderland name=$n" 2>&1) ||
		fail "import $n: $out"
	crosh -c "/interface ovpn-client disable $n"
done
crosh -c '/interface ovpn-client print detail where name=pinned-wrong' | grep -q "tls-version=only-1.3" ||
	fail "tls-version-min 1.3 not kept: $(crosh -c '/interface ovpn-client print detail where name=pinned-wrong')"
srv_start good && {
	restart pinned-wrong
	refused pinned-wrong "wrong fingerprint" "is not in server-fingerprint"
	crosh -c '/interface ovpn-client disable pinned-wrong'
	restart pinned
	connects pinned "right fingerprint" && ok "peer-fingerprint without ca: the right fingerprint connects (TLS 1.3 only)"
	crosh -c '/interface ovpn-client disable pinned'
	restart subject
	connects subject "subject form" && ok "verify-x509-name subject form: '$subject' matches"
	crosh -c '/interface ovpn-client disable subject'
	# stock openvpn reads the same subject profile the same way
	grep -v " 1199$" "$T/cdb/files/subject.ovpn" > "$T/stock.ovpn"
	start_client stock alice wonderland && ok "stock openvpn accepts the same subject profile" ||
		fail "stock openvpn with the subject profile: $(tail -3 "$T/stock.log")"
	stop_client "$CLIENT_PID"
	stop_client "$SRV_PID"
}

# ---- settings that can not work together are refused before any attempt ----
for bad in "verify-server-name-type=name|verify-server-name-type=name needs verify-server-name" \
	"verify-server-usage=tls-server|need verify-server-certificate=yes or server-fingerprint" \
	"verify-server-certificate=yes server-fingerprint=12:34|is not a SHA-256 fingerprint" \
	"server-ca=c1-ca|server-ca needs verify-server-certificate=yes"; do
	crosh -c "/interface ovpn-client add name=bad connect-to=$SRV_IP user=alice password=wonderland ${bad%%|*} disabled=no" ||
		fail "add ${bad%%|*}"
	for _ in $(seq 30); do [ "$(get bad status)" = error ] && break; sleep 0.1; done
	[ "$(get bad status)" = error ] && [[ "$(get bad last-error)" == *"${bad#*|}"* ]] &&
		ok "${bad%%|*}: refused (${bad#*|})" || fail "${bad%%|*}: $(get bad status): $(get bad last-error)"
	crosh -c '/interface ovpn-client remove bad'
done

[ "$FAILS" = 0 ] || { echo "$FAILS failures; client roshd log tail:"; tail -20 "$T/croshd.log"; }
exit "$FAILS"
