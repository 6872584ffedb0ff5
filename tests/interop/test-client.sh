#!/bin/bash
# test-client.sh: roshd as an OpenVPN client (/interface ovpn-client),
# configured with rosh commands only, against a stock OpenVPN 2.6 server
# (plain options written here, certificates made with openssl) and against
# another roshd as the server. Each in its own network namespace; every
# tunnel case pings across and moves 10 MB through it, checking the bytes.
# Also: pushed routes, DNS, default route, server certificate checks, an
# imported profile, a provider-style profile (<connection> blocks, files
# beside it, pull-filter, its own route), an HTTP CONNECT proxy (tests/interop/connect_proxy),
# and faults: server restart mid-transfer, unreachable server, a server
# that hangs up in the handshake, AUTH_FAILED (no reconnect storm).
# Skips (77) without root or openvpn. Usage: test-client.sh [CASE-SUBSTRING]
. "$SRC/tests/interop/lib.sh"
command -v openssl > /dev/null || { echo "skip: openssl is not installed"; exit 77; }
command -v tc > /dev/null || { echo "skip: tc (iproute2) is not installed"; exit 77; }

PROXY=${BUILD}/tests/interop/connect_proxy
ONLY=${1:-}
want() { [ -z "$ONLY" ] || [[ "$1" == *$ONLY* ]]; }
crosh() { "$ROSH" --db "$T/cdb/config.db" --socket "$T/croshd.sock" "$@"; }

# our client's roshd, in the client namespace, with a database of its own
start_croshd() {
	mkdir -p "$T/cdb"
	ip netns exec "$NS_C" "$ROSHD" --db "$T/cdb/config.db" --socket "$T/croshd.sock" \
		--log-level debug >> "$T/croshd.log" 2>&1 &
	CROSHD_PID=$!
	PIDS="$PIDS $CROSHD_PID"
	for _ in $(seq 50); do [ -S "$T/croshd.sock" ] && return 0; sleep 0.1; done
	echo "client roshd did not start: $(tail -5 "$T/croshd.log")"
	exit 1
}

status() { crosh -c ':put [/interface ovpn-client get c1 status]' 2> /dev/null; }

# wait_status STATUS SECONDS
wait_status() {
	for _ in $(seq $(($2 * 10))); do
		[ "$(status)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

clog() { crosh -c '/log print' 2> /dev/null; }

make_pki() {
	local d=$T/pki
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
			-out ca.crt -days 2 -subj "/CN=Client Test CA" \
			-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
		for n in server:10.231.0.1:serverAuth wrong:vpn.wrong.example:serverAuth client:client1:clientAuth \
			ipsan:vpn.ipsan.example:serverAuth; do
			IFS=: read -r f cn eku <<< "$n"
			openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$f.key" \
				-out "$f.csr" -subj "/CN=$cn"
			printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n' \
				"$eku" > "$f.ext"
			[ "$f" = ipsan ] && echo "subjectAltName=DNS:other.example,IP:10.231.0.1" >> "$f.ext"
			openssl x509 -req -in "$f.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
				-extfile "$f.ext" -out "$f.crt"
		done
		cat client.crt client.key > client-both.pem
		openvpn --genkey secret ta.key
		openvpn --genkey tls-crypt-v2-server v2-server.key
		openvpn --genkey tls-crypt-v2-client v2-client.key --tls-crypt-v2 v2-server.key
	) > "$T/pki.log" 2>&1 || { echo "pki failed: $(tail -5 "$T/pki.log")"; exit 1; }
	# the credentials the stock server accepts, checked by a script (via-file)
	cat > "$T/check-user.sh" <<-'EOF'
	#!/bin/sh
	[ "$(sed -n 1p "$1")" = alice ] && [ "$(sed -n 2p "$1")" = wonderland ]
	EOF
	chmod 755 "$T/check-user.sh"
}

# srv_start NAME PROTO EXTRA-LINES: a stock OpenVPN server on 10.231.0.1;
# its tunnel address is 192.168.77.1 (what through_tunnel reaches)
srv_start() {
	local name=$1 proto=$2 extra=$3 conf=$T/srv-$1.conf
	{ stock_server_head 1194 "$proto"; cat; } > "$conf" <<-EOF
	ca $T/pki/ca.crt
	cert $T/pki/server.crt
	key $T/pki/server.key
	dh none
	keepalive 2 10
	script-security 2
	auth-user-pass-verify $T/check-user.sh via-file
	username-as-common-name
	verify-client-cert none
	push "route 10.77.0.0 255.255.255.0"
	push "dhcp-option DNS 10.8.0.53"
	verb 4
	$extra
	EOF
	[ "$proto" = udp ] && echo "explicit-exit-notify 1" >> "$conf"
	ip netns exec "$NS_S" openvpn --config "$conf" > "$T/srv-$name.log" 2>&1 &
	SRV_PID=$!
	PIDS="$PIDS $SRV_PID"
	wait_for "$T/srv-$name.log" "Initialization Sequence Completed" 15 ||
		{ fail "$name: stock server did not start: $(tail -3 "$T/srv-$name.log")"; return 1; }
}

srv_stop() { stop_client "$SRV_PID"; }

# client_case NAME SERVER-PROTO SERVER-LINES CLIENT-SETTINGS [ENCODING]
client_case() {
	local name=$1 proto=$2 lines=$3 set=$4 enc=${5:-}
	want "$name" || return 0
	srv_start "$name" "$proto" "$lines" || return
	crosh -c "/interface ovpn-client set c1 $set disabled=no" || { fail "$name: set $set"; srv_stop; return; }
	if ! wait_status connected 30; then
		fail "$name: not connected ($(status)): $(clog | grep -i 'client c1' | tail -3)"
	else
		through_tunnel "$name"
		if [ -n "$enc" ]; then
			got=$(crosh -c ':put [/interface ovpn-client get c1 encoding]')
			[ "$got" = "$enc" ] || fail "$name: encoding $got, expected $enc"
		fi
	fi
	crosh -c '/interface ovpn-client disable c1'
	srv_stop
	sleep 0.3
}

make_net
make_pki
start_croshd
cp "$T/pki/ca.crt" "$T/pki/client-both.pem" "$T/cdb/files/" 2> /dev/null ||
	{ mkdir -p "$T/cdb/files" && cp "$T/pki/ca.crt" "$T/pki/client-both.pem" "$T/cdb/files/"; }
crosh > "$T/csetup.log" 2>&1 <<-EOF || { cat "$T/csetup.log"; exit 1; }
/certificate import file-name=ca.crt name=ca
/certificate import file-name=client-both.pem name=client1
/interface ovpn-client add name=c1 connect-to=10.231.0.1 user=alice password=wonderland
EOF
ta=$(awk '{printf "%s\\n", $0}' "$T/pki/ta.key")
v2=$(awk '{printf "%s\\n", $0}' "$T/pki/v2-client.key")

# ---- ciphers, transports, control channel protection ----
client_case udp-aes256gcm udp "data-ciphers AES-256-GCM" "protocol=udp cipher=aes256-gcm" AES-256-GCM
client_case tcp-aes256gcm tcp-server "data-ciphers AES-256-GCM" "protocol=tcp cipher=aes256-gcm" AES-256-GCM
client_case udp-aes128cbc-sha1 udp "data-ciphers AES-128-CBC
auth SHA1" "protocol=udp cipher=aes128-cbc auth=sha1" "AES-128-CBC SHA1"
client_case tcp-chacha20 tcp-server "data-ciphers CHACHA20-POLY1305" "protocol=tcp cipher=chacha20-poly1305" CHACHA20-POLY1305
client_case udp-tls-auth udp "tls-auth $T/pki/ta.key 0" "protocol=udp cipher=aes256-gcm tls-auth-key=\"$ta\" key-direction=1"
client_case tcp-tls-crypt tcp-server "tls-crypt $T/pki/ta.key" "protocol=tcp tls-auth-key=\"\" key-direction=none tls-crypt-key=\"$ta\""
client_case udp-tls-crypt-v2 udp "tls-crypt-v2 $T/pki/v2-server.key" "protocol=udp tls-crypt-key=\"\" tls-crypt-v2-key=\"$v2\""
crosh -c '/interface ovpn-client set c1 tls-crypt-v2-key=""'
client_case udp-client-cert udp "verify-client-cert require" "protocol=udp certificate=client1"
crosh -c '/interface ovpn-client set c1 certificate=none'

# mode=ethernet: a tap interface with the configured MAC address
if want udp-tap; then
	srv_start udp-tap udp "dev tap-srv"
	crosh -c '/interface ovpn-client set c1 protocol=udp mode=ethernet mac-address=02:00:00:aa:bb:cc disabled=no'
	if wait_status connected 30; then
		ns_c ip link show c1 | grep -q "link/ether 02:00:00:aa:bb:cc" && through_tunnel "udp-tap (mode=ethernet)" ||
			fail "tap: $(ns_c ip link show c1)"
	else
		fail "tap: not connected: $(clog | grep c1 | tail -3)"
	fi
	crosh -c '/interface ovpn-client set c1 mode=ip disabled=yes'
	crosh -c '/interface ovpn-client unset c1 mac-address'
	srv_stop
fi

# ---- compression: a stock server that compresses what it sends ----
# comp_case NAME SERVER-LINES COMPRESSION ALGORITHM: the server has
# allow-compression yes, so it really compresses; zeros (ping -p 00,
# xfer with XFER_ZEROS) from it to us must arrive expanded, and our log
# must say the peer compresses and nothing was dropped.
comp_case() {
	local name=$1 lines=$2 set=$3 alg=$4 addr n
	want "$name" || return 0
	srv_start "$name" udp "$lines
allow-compression yes" || return
	local from=$(($(wc -l < "$T/croshd.log") + 1))
	crosh -c "/interface ovpn-client set c1 protocol=udp compression=$set disabled=no"
	if ! wait_status connected 30; then
		fail "$name: not connected ($(status)): $(clog | grep -i 'client c1' | tail -3)"
	else
		through_tunnel "$name: client to server"
		ns_c ping -c 3 -W 2 -i 0.2 -s 1200 -p 00 192.168.77.1 > "$T/ping.log" 2>&1 ||
			fail "$name: ping with zeros: $(tail -2 "$T/ping.log")"
		addr=$(crosh -c ':put [/interface ovpn-client get c1 local-address]')
		XFER_ZEROS=1 ns_c "$XFER" -l 5011 4194304 > "$T/xfer.out" 2>&1 &
		local rx=$!
		PIDS="$PIDS $rx"
		sleep 0.3
		XFER_ZEROS=1 ns_s "$XFER" -c "$addr" 5011 4194304 > "$T/xfer.send" 2>&1
		wait "$rx"
		grep -q "^ok 4194304" "$T/xfer.out" && ok "$name: 4 MB of zeros from the server" ||
			fail "$name: transfer to the client: $(cat "$T/xfer.out" "$T/xfer.send")"
		tail -n +"$from" "$T/croshd.log" | grep -q "client c1: the peer compresses ($alg)" &&
			ok "$name: the server's packets arrived $alg-compressed and were expanded" ||
			fail "$name: no $alg expansion in the log"
	fi
	crosh -c '/interface ovpn-client set c1 disabled=yes compression=no'
	for n in $(seq 50); do
		tail -n +"$from" "$T/croshd.log" | grep -q "compression: [0-9]* packets expanded" && break
		sleep 0.1
	done
	tail -n +"$from" "$T/croshd.log" | grep -q "compression: [1-9][0-9]* packets expanded, 0 dropped" ||
		fail "$name: counts at the end: $(tail -n +"$from" "$T/croshd.log" | grep 'compression:')"
	srv_stop
	sleep 0.3
}

comp_case comp-lzo "comp-lzo yes" lzo LZO
# a comp-lzo profile whose server pushes lz4-v2: the push wins, as in 2.6
comp_case compress-lz4-v2 "compress lz4-v2
push \"compress lz4-v2\"" lzo LZ4
comp_case compress-lz4 "compress lz4" lz4 LZ4

# an imported comp-lzo profile: compression=lzo, and the stock server's
# LZO packets arrive expanded
if want import-comp-lzo; then
	{
		printf 'client\ndev tun\nproto udp\nremote 10.231.0.1 1194\nnobind\ncomp-lzo\n'
		printf 'auth-user-pass\n<ca>\n'
		cat "$T/pki/ca.crt"
		printf '</ca>\n'
	} > "$T/cdb/files/lzo.ovpn"
	srv_start import-comp-lzo udp "comp-lzo yes
allow-compression yes" && {
		from=$(($(wc -l < "$T/croshd.log") + 1))
		out=$(crosh -c '/interface ovpn-client import-ovpn-configuration file-name=lzo.ovpn ovpn-user=alice ovpn-password=wonderland name=imp2' 2>&1) ||
			fail "import comp-lzo: $out"
		[ "$(crosh -c ':put [/interface ovpn-client get imp2 compression]')" = lzo ] ||
			fail "import comp-lzo: compression=$(crosh -c ':put [/interface ovpn-client get imp2 compression]')"
		for _ in $(seq 300); do
			[ "$(crosh -c ':put [/interface ovpn-client get imp2 status]')" = connected ] && break
			sleep 0.1
		done
		ns_c ping -c 3 -W 2 -i 0.2 -s 1200 -p 00 192.168.77.1 > /dev/null 2>&1 ||
			fail "import comp-lzo: no ping through imp2"
		tail -n +"$from" "$T/croshd.log" | grep -q "client imp2: the peer compresses (LZO)" &&
			ok "imported comp-lzo profile: LZO from the server expanded" ||
			fail "import comp-lzo: $(clog | grep imp2 | tail -3)"
		crosh -c '/interface ovpn-client remove imp2'
		srv_stop
	}
fi

# a server that drops everything (its tls-auth key is one we lack): a
# timeout, said in /log, then back-off
if want timeout; then
	srv_start timeout udp "tls-auth $T/pki/ta.key 0"
	crosh -c '/interface ovpn-client set c1 protocol=udp disabled=no'
	sleep 17
	crosh -c ":put [/interface ovpn-client get c1 last-error]" | grep -q "timeout: no reply from the server" &&
		ok "silent server: timeout in /log" || fail "silent server: $(status), $(clog | grep c1 | tail -2)"
	crosh -c '/interface ovpn-client disable c1'
	srv_stop
fi

# the client's PPP profile: on-up when the tunnel is up, on-down when it goes
if want profile-scripts; then
	srv_start profile-scripts udp ""
	crosh -c '/ppp profile add name=cprof on-up=":log info (\"up \" . \$user . \" \" . \$\"local-address\" . \" to \" . \$\"caller-id\" . \" on \" . \$interface)" on-down=":log info (\"down \" . \$\"called-id\")"'
	crosh -c '/interface ovpn-client set c1 protocol=udp profile=cprof disabled=no'
	if wait_status connected 30; then
		wait_for_log() { for _ in $(seq 40); do clog | grep -q "$1" && return 0; sleep 0.25; done; return 1; }
		wait_for_log "up alice 192.168.77.[0-9]* to 10.231.0.1 on c1" && ok "client profile on-up" ||
			fail "client on-up: $(clog | tail -3)"
		crosh -c '/interface ovpn-client disable c1'
		wait_for_log "down c1" && ok "client profile on-down" || fail "client on-down: $(clog | tail -3)"
	else
		fail "profile-scripts: not connected: $(clog | grep c1 | tail -3)"
	fi
	crosh -c '/interface ovpn-client set c1 profile=default disabled=yes'
	crosh -c '/ppp profile remove cprof'
	srv_stop
fi

# ---- what the push changes: routes, DNS, the default route ----
if want push; then
	srv_start push udp "push \"redirect-gateway def1\"
push \"route-ipv6 fd00:99::/64\""
	crosh -c '/interface ovpn-client set c1 protocol=udp use-peer-dns=yes disabled=no'
	if wait_status connected 30; then
		ns_c ip route | grep -q "10.77.0.0/24 via 192.168.77.1 dev c1" && ok "push-routes arrive as routes" ||
			fail "pushed route missing: $(ns_c ip route)"
		# the pushed route is a dynamic /ip route item: shown (D, A), never exported,
		# not the admin's to remove
		rt=$(crosh -c '/ip route print where dynamic')
		echo "$rt" | grep -qE "^ *[0-9]+ +DA +10\.77\.0\.0/24 +192\.168\.77\.1" &&
			ok "pushed route in /ip route as dynamic" || fail "/ip route: $rt"
		crosh -c '/ip route export' | grep -q 10.77.0.0 && fail "a dynamic route exported"
		crosh -c '/ip route remove [find dst-address=10.77.0.0/24]' 2>&1 |
			grep -q "can not remove dynamic item" || fail "a dynamic route could be removed"
		ns_c ip -6 route | grep -q "fd00:99::/64 dev c1" && ok "route-ipv6 arrives" ||
			fail "route-ipv6 missing: $(ns_c ip -6 route)"
		ns_c ip route | grep -q "^0.0.0.0/1" && fail "redirect-gateway followed with add-default-route=no"
		dns=$(crosh -c ':put [/ip dns get dynamic-servers]')
		[ "$dns" = 10.8.0.53 ] && ok "pushed DNS in /ip dns dynamic-servers" || fail "dynamic-servers: '$dns'"
		mon=$(crosh -c '/interface ovpn-client monitor c1 once')
		echo "$mon" | grep -q "status: connected" && echo "$mon" | grep -q "local-address: 192.168.77.2" &&
			echo "$mon" | grep -q "remote-address: 192.168.77.1" && echo "$mon" | grep -q "uptime:" &&
			echo "$mon" | grep -q "actual-mtu: 1500" && ok "monitor once" || fail "monitor: $mon"
		crosh -c '/interface print where name=c1' | grep -q "R.*c1" || fail "/interface: c1 not running"
		# the default route, only when asked for; the server stays reachable
		ip netns exec "$NS_C" ping -c 1 -W 1 10.231.1.1 > /dev/null 2>&1 && fail "10.231.1.1 reachable without a default route"
		crosh -c '/interface ovpn-client set c1 add-default-route=yes'
		sleep 1
		wait_status connected 30
		r=$(ns_c ip route)
		echo "$r" | grep -q "^0.0.0.0/1 via 192.168.77.1 dev c1" && echo "$r" | grep -q "^128.0.0.0/1 via 192.168.77.1 dev c1" &&
			echo "$r" | grep -q "^10.231.0.1 dev vc$$" && ok "add-default-route: def1 pair and host route to the server" ||
			fail "default route: $r"
		ns_c ping -c 2 -W 2 10.231.1.1 > /dev/null 2>&1 && ok "traffic beyond the server goes through the tunnel" ||
			fail "no way to 10.231.1.1 through the tunnel"
		crosh -c '/interface ovpn-client set c1 add-default-route=no route-nopull=yes'
		sleep 1
		wait_status connected 30
		r=$(ns_c ip route)
		echo "$r" | grep -q "10.77.0.0" && fail "route-nopull=yes still took the pushed route"
		crosh -c '/ip route print' | grep -q "10.77.0.0" && fail "/ip route keeps a route gone"
		echo "$r" | grep -q "0.0.0.0/1" && fail "default route left after add-default-route=no"
		echo "$r" | grep -q "^10.231.0.1 dev" && fail "host route to the server left behind"
		crosh -c '/interface ovpn-client disable c1'
		sleep 0.5
		dns=$(crosh -c ':put [/ip dns get dynamic-servers]')
		[ -z "$dns" ] && ok "DNS removed with the tunnel" || fail "dynamic-servers after disable: '$dns'"
		ns_c ip link show c1 > /dev/null 2>&1 && fail "interface c1 left after disable"
		wait_for "$T/srv-push.log" "CC-EEN exit message received\|remote-exit" 5 && ok "exit notification on disable" ||
			fail "server saw no exit notification"
	else
		fail "push: not connected: $(clog | tail -3)"
	fi
	crosh -c '/interface ovpn-client set c1 use-peer-dns=no route-nopull=no disabled=yes'
	srv_stop
fi

# ---- the server's certificate ----
if want verify; then
	srv_start verify udp ""
	crosh -c '/interface ovpn-client set c1 protocol=udp verify-server-certificate=yes disabled=no'
	wait_status connected 30 && ok "verify-server-certificate=yes: CN names connect-to" ||
		fail "verify: not connected: $(clog | tail -3)"
	crosh -c '/interface ovpn-client disable c1'
	srv_stop
	srv_start verify-ipsan udp "cert $T/pki/ipsan.crt
key $T/pki/ipsan.key"
	crosh -c '/interface ovpn-client enable c1'
	wait_status connected 30 && ok "verify-server-certificate=yes: an IP SAN names connect-to" ||
		fail "verify: IP SAN not accepted: $(clog | grep 'c1' | tail -2)"
	crosh -c '/interface ovpn-client disable c1'
	srv_stop
	srv_start verify-wrong udp "cert $T/pki/wrong.crt
key $T/pki/wrong.key"
	crosh -c '/interface ovpn-client enable c1'
	sleep 4
	[ "$(status)" != connected ] && clog | grep -q "does not name '10.231.0.1'" &&
		ok "verify-server-certificate=yes refuses a server not named connect-to" ||
		fail "wrong server name: status $(status), log: $(clog | tail -2)"
	crosh -c '/interface ovpn-client set c1 verify-server-certificate=no disabled=yes'
	srv_stop
fi

# ---- a profile as a stock server's admin writes it, imported as is ----
if want import; then
	{
		printf 'client\ndev tun\nproto udp\nremote 10.231.0.1 1194\nresolv-retry infinite\nnobind\n'
		printf 'persist-key\npersist-tun\nremote-cert-tls server\ncipher AES-256-GCM\nauth SHA256\n'
		printf 'auth-user-pass\nkey-direction 1\nverb 3\n<ca>\n'
		cat "$T/pki/ca.crt"
		printf '</ca>\n<tls-auth>\n'
		cat "$T/pki/ta.key"
		printf '</tls-auth>\n'
	} > "$T/cdb/files/branch.ovpn"
	srv_start import udp "tls-auth $T/pki/ta.key 0
auth SHA256"
	out=$(crosh -c '/interface ovpn-client import-ovpn-configuration file-name=branch.ovpn ovpn-user=alice ovpn-password=wonderland name=imp1' 2>&1) ||
		fail "import: $out"
	for _ in $(seq 300); do
		[ "$(crosh -c ':put [/interface ovpn-client get imp1 status]')" = connected ] && break
		sleep 0.1
	done
	[ "$(crosh -c ':put [/interface ovpn-client get imp1 status]')" = connected ] &&
		ok "imported profile connects as is" ||
		fail "imported profile: $(clog | grep imp1 | tail -3)"
	ns_c ping -c 2 -W 2 192.168.77.1 > /dev/null 2>&1 || fail "import: no ping through imp1"
	crosh -c '/interface ovpn-client remove imp1'
	srv_stop
fi

# ---- a provider-style profile: <connection> blocks, credentials and the
# tls-auth key in files beside it (named by paths of another machine),
# pull-filter, a route of its own, keepalive ----
if want import-options; then
	mkdir -p "$T/cdb/files/prov"
	printf 'alice\nwonderland\n' > "$T/cdb/files/prov/creds.txt"
	cp "$T/pki/ta.key" "$T/cdb/files/prov/ta.key"
	{
		printf 'client\ndev tun\nnobind\npersist-key\nverb 3\n'
		# the first server refuses (nothing listens on tcp 1199): the
		# second block is tried next
		printf '<connection>\nremote 10.231.0.1 1199\nproto tcp-client\n</connection>\n'
		printf '<connection>\nremote 10.231.0.1\nport 1194\nproto udp4\n</connection>\n'
		printf 'auth-user-pass /etc/openvpn/creds.txt\ntls-auth "C:\\\\vpn\\\\ta.key" 1\n'
		printf 'data-ciphers CHACHA20-POLY1305:AES-256-GCM\nauth SHA256\n'
		printf 'pull-filter ignore "route"\nroute 10.99.0.0 255.255.255.0\nkeepalive 5 30\n'
		printf 'dhcp-option DNS 10.99.0.53\nroute-ipv6 fd99:1::/64\n'
		printf 'remote-cert-tls server\n<ca>\n'
		cat "$T/pki/ca.crt"
		printf '</ca>\n'
	} > "$T/cdb/files/prov/provider.ovpn"
	srv_start import-options udp "tls-auth $T/pki/ta.key 0
auth SHA256
data-ciphers AES-256-GCM:CHACHA20-POLY1305"
	out=$(crosh -c '/interface ovpn-client import-ovpn-configuration file-name=prov/provider.ovpn name=imp2' 2>&1) ||
		fail "import-options: $out"
	grep -q "ignored: line 3: nobind" <<< "$out" && grep -q "ignored: line 5: verb" <<< "$out" &&
		ok "import-options: ignored lines listed with their line" ||
		fail "import-options: ignored lines not listed: $out"
	for _ in $(seq 300); do
		[ "$(crosh -c ':put [/interface ovpn-client get imp2 status]')" = connected ] && break
		sleep 0.1
	done
	if [ "$(crosh -c ':put [/interface ovpn-client get imp2 status]')" = connected ]; then
		ok "import-options: connected through the second <connection>"
		ns_c ping -c 2 -W 2 192.168.77.1 > /dev/null 2>&1 && ok "import-options: ping through imp2" ||
			fail "import-options: no ping through imp2"
		# the server did push it; the filter kept it out
		grep -q "PUSH_REPLY.*route 10.77.0.0" "$T/srv-import-options.log" &&
			[ -z "$(ns_c ip route show 10.77.0.0/24)" ] &&
			ok "import-options: pull-filter ignored the pushed route" ||
			fail "import-options: pushed route installed: $(ns_c ip route show 10.77.0.0/24)"
		ns_c ip route show 10.99.0.0/24 | grep -q "dev imp2" &&
			ok "import-options: the profile's own route is through the tunnel" ||
			fail "import-options: no route 10.99.0.0/24: $(ns_c ip route)"
		ns_c ip -6 route show fd99:1::/64 | grep -q "dev imp2" &&
			ok "import-options: the profile's route-ipv6 is through the tunnel" ||
			fail "import-options: no route fd99:1::/64: $(ns_c ip -6 route)"
		crosh -c ':put [/ip dns get dynamic-servers]' | grep -q "10.99.0.53" &&
			ok "import-options: the profile's DNS server is in /ip dns" ||
			fail "import-options: dynamic-servers: $(crosh -c ':put [/ip dns get dynamic-servers]')"
		grep -q "IV_CIPHERS=CHACHA20-POLY1305:AES-256-GCM$" "$T/srv-import-options.log" &&
			ok "import-options: data-ciphers offered in the profile's order" ||
			fail "import-options: offer: $(grep IV_CIPHERS "$T/srv-import-options.log")"
	else
		fail "import-options: not connected: $(clog | grep imp2 | tail -3)"
	fi
	crosh -c '/interface ovpn-client remove imp2'
	srv_stop
fi

# ---- through an HTTP CONNECT proxy ----
if want proxy; then
	srv_start proxy tcp-server ""
	ip netns exec "$NS_S" "$PROXY" -a pu:pp 10.231.0.1 8080 > "$T/proxy.log" 2>&1 &
	PROXY_PID=$!
	PIDS="$PIDS $PROXY_PID"
	sleep 0.3
	crosh -c '/interface ovpn-client set c1 protocol=udp http-proxy=10.231.0.1 http-proxy-port=8080 disabled=no'
	sleep 1.5
	clog | grep -q "http-proxy needs protocol=tcp" && ok "http-proxy with udp refused in /log" ||
		fail "http-proxy+udp: $(clog | tail -2)"
	crosh -c '/interface ovpn-client set c1 protocol=tcp http-proxy-user=pu http-proxy-password=wrong'
	sleep 3
	clog | grep -q "proxy refused the connection: 407" && ok "proxy 407 reported" || fail "proxy 407: $(clog | tail -2)"
	crosh -c '/interface ovpn-client set c1 http-proxy-password=pp'
	if wait_status connected 30; then
		grep -q "CONNECT 10.231.0.1:1194" "$T/proxy.log" && through_tunnel "tcp through an HTTP CONNECT proxy" ||
			fail "proxy: tunnel up but not through the proxy: $(cat "$T/proxy.log")"
	else
		fail "proxy: not connected: $(clog | tail -3)"
	fi
	crosh -c '/interface ovpn-client disable c1'
	stop_client "$PROXY_PID"
	ip netns exec "$NS_S" "$PROXY" -g 10.231.0.1 8080 > "$T/proxy-g.log" 2>&1 &
	PROXY_PID=$!
	PIDS="$PIDS $PROXY_PID"
	sleep 0.3
	crosh -c '/interface ovpn-client enable c1'
	sleep 2
	clog | grep -q "malformed reply from the proxy" && ok "malformed proxy reply refused" ||
		fail "garbage proxy: $(clog | tail -2)"
	crosh -c '/interface ovpn-client set c1 disabled=yes' || fail "proxy: disable"
	for p in http-proxy http-proxy-port http-proxy-user http-proxy-password; do
		crosh -c "/interface ovpn-client unset c1 $p" || fail "proxy: unset $p"
	done
	stop_client "$PROXY_PID"
	srv_stop
fi

# ---- faults ----
# the server restarts in the middle of a transfer: the client comes back
# by itself and the transfer completes (the link is slowed so it spans it)
if want restart; then
	srv_start restart udp ""
	crosh -c '/interface ovpn-client set c1 protocol=udp disabled=no'
	if wait_status connected 30; then
		ns_c tc qdisc add dev "vc$$" root tbf rate 24mbit burst 32kb latency 400ms
		ip netns exec "$NS_S" "$XFER" -l 5002 10485760 > "$T/xfer-r.out" 2>&1 &
		rx=$!
		PIDS="$PIDS $rx"
		sleep 0.3
		ns_c "$XFER" -c 192.168.77.1 5002 10485760 > "$T/xfer-r.send" 2>&1 &
		tx=$!
		PIDS="$PIDS $tx"
		sleep 1
		srv_stop
		srv_start restart2 udp ""
		wait_status connected 30 || fail "restart: client did not come back: $(clog | tail -3)"
		wait "$tx"
		wait "$rx"
		grep -q "^ok 10485760" "$T/xfer-r.out" && ok "server restarted mid-transfer: reconnected, transfer complete" ||
			fail "restart: transfer: $(cat "$T/xfer-r.out" "$T/xfer-r.send")"
		ns_c tc qdisc del dev "vc$$" root
	else
		fail "restart: not connected"
	fi
	crosh -c '/interface ovpn-client disable c1'
	srv_stop
fi

# nothing listens: backing off, near idle
if want unreachable; then
	crosh -c '/interface ovpn-client set c1 protocol=udp port=1999 disabled=no'
	sleep 1
	t0=$(awk '{print $14 + $15}' "/proc/$CROSHD_PID/stat")
	n0=$(grep -c "client c1: connecting to" "$T/croshd.log")
	sleep 8
	t1=$(awk '{print $14 + $15}' "/proc/$CROSHD_PID/stat")
	n1=$(grep -c "client c1: connecting to" "$T/croshd.log")
	n=$((n1 - n0))
	[ "$n" -ge 2 ] && [ "$n" -le 5 ] && ok "unreachable server: $n attempts in 8 s (backing off)" ||
		fail "unreachable server: $n attempts in 8 s"
	[ $((t1 - t0)) -le 20 ] && ok "unreachable server: $((t1 - t0)) ticks of CPU in 8 s" ||
		fail "unreachable server: roshd used $((t1 - t0)) ticks of CPU in 8 s"
	clog | grep -q "connection refused" || fail "no 'connection refused' in /log"
	crosh -c '/interface ovpn-client set c1 port=1194 disabled=yes'
fi

# backup-remotes: the first server refuses, the next one is tried
if want backup; then
	srv_start backup udp ""
	crosh -c '/interface ovpn-client set c1 protocol=udp port=1999 backup-remotes="10.231.0.1:1194:udp" disabled=no'
	wait_status connected 20 && clog | grep -q "10.231.0.1:1999/udp: connection refused" &&
		ok "backup-remotes: the next server after a refusal" ||
		fail "backup-remotes: $(status), $(clog | grep c1 | tail -2)"
	crosh -c '/interface ovpn-client set c1 port=1194 disabled=yes'
	crosh -c '/interface ovpn-client unset c1 backup-remotes'
	srv_stop
fi

# a server that reads the first packet and hangs up
if want hangup; then
	ip netns exec "$NS_S" "$PROXY" -x 10.231.0.1 1195 > "$T/hangup.log" 2>&1 &
	HPID=$!
	PIDS="$PIDS $HPID"
	sleep 0.3
	crosh -c '/interface ovpn-client set c1 protocol=tcp port=1195 disabled=no'
	sleep 4
	grep -q "CLOSED after" "$T/hangup.log" && clog | grep -q "connection closed by the server" &&
		[ "$(status)" != connected ] && ok "server hanging up in the handshake: reason in /log" ||
		fail "hangup: $(clog | tail -2)"
	crosh -c '/interface ovpn-client set c1 port=1194 disabled=yes'
	stop_client "$HPID"
fi

# AUTH_FAILED: one attempt, then the longest back-off
if want auth-failed; then
	srv_start authfail udp ""
	crosh -c '/interface ovpn-client set c1 protocol=udp password=wrong disabled=no'
	sleep 10
	n=$(grep -c "peer info: IV_PROTO=" "$T/srv-authfail.log")
	clog | grep -q "AUTH_FAILED" && [ "$n" -ge 1 ] && [ "$n" -le 2 ] && ok "AUTH_FAILED: $n attempt(s) in 10 s" ||
		fail "AUTH_FAILED: $n attempts in 10 s; $(clog | grep c1 | tail -2)"
	crosh -c '/interface ovpn-client set c1 password=wonderland disabled=yes'
	srv_stop
fi

# a missing password is refused with a reason, never half-tried
if want missing; then
	crosh -c '/interface ovpn-client add name=c2 connect-to=10.231.0.1 user=bob disabled=no'
	sleep 1
	clog | grep -q "client c2 not started: user and password must be set" && ok "missing password refused in /log" ||
		fail "missing password: $(clog | tail -2)"
	crosh -c '/interface ovpn-client remove c2'
fi

# ---- our client against our own server (two roshd, two databases) ----
if want ours; then
	base_config
	rosh -c '/interface ovpn-server server add name=srv certificate=server protocol=udp cipher=aes256-gcm keepalive-timeout=5 disabled=no push-routes="10.66.0.0/24"' ||
		fail "ours: server setup"
	rosh -c '/ppp profile set ovpn dns-server=192.168.77.1'
	start_roshd || exit 1
	crosh -c '/interface ovpn-client set c1 user=client1 password=123 protocol=udp cipher=aes256-gcm use-peer-dns=yes disabled=no'
	if wait_status connected 30; then
		through_tunnel "ours: udp aes256-gcm"
		ns_c ip route | grep -q "10.66.0.0/24 via 192.168.77.1 dev c1" || fail "ours: push-routes: $(ns_c ip route)"
		[ "$(crosh -c ':put [/ip dns get dynamic-servers]')" = 192.168.77.1 ] || fail "ours: DNS"
		# both ends count the 10 MB (the counters are written once a second)
		sleep 1.5
		ctx=$(crosh -c ':put [/interface get c1 tx-byte]')
		srx=$(rosh -c ':put [/interface get [find type=ovpn-in] rx-byte]')
		[ "${ctx:-0}" -ge 10485760 ] 2> /dev/null && [ "${srx:-0}" -ge 10485760 ] 2> /dev/null &&
			ok "ours: counters at both ends" || fail "ours: client tx-byte '$ctx', server rx-byte '$srx'"
		# the client's profile rate-limit: 1 MB at 2 Mbit/s takes about 4 s (more is fine)
		crosh -c '/ppp profile set default rate-limit=2M/2M'
		sleep 1
		if wait_status connected 30; then
			ip netns exec "$NS_S" "$XFER" -l 5003 1048576 > "$T/rate.out" 2>&1 &
			rx=$!
			PIDS="$PIDS $rx"
			sleep 0.3
			t0=$(date +%s.%N)
			ns_c timeout 60 "$XFER" -c 192.168.77.1 5003 1048576 > /dev/null 2>&1
			wait "$rx" 2> /dev/null
			t1=$(date +%s.%N)
			grep -q '^ok 1048576' "$T/rate.out" && awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 3) }' &&
				ok "ours: the client's rate-limit=2M/2M holds 1 MB to at least 3 s" ||
				fail "ours: client rate-limit: $(cat "$T/rate.out"), $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s"
		else
			fail "ours: not connected after the profile change: $(clog | tail -3)"
		fi
		crosh -c '/ppp profile set default rate-limit=""'
		sleep 1
	else
		fail "ours: udp not connected: $(clog | tail -3)"
	fi
	rosh -c '/interface ovpn-server server set srv protocol=tcp cipher=aes128-cbc auth=sha1'
	crosh -c '/interface ovpn-client set c1 protocol=tcp cipher=aes128-cbc auth=sha1'
	sleep 1
	if wait_status connected 30; then
		through_tunnel "ours: tcp aes128-cbc sha1"
	else
		fail "ours: tcp not connected: $(clog | tail -3)"
	fi
	rosh -c '/interface ovpn-server server set srv protocol=udp enable-tun-ipv6=yes tun-server-ipv6=fd00:77::1 ipv6-prefix-len=64'
	crosh -c '/interface ovpn-client set c1 protocol=udp'
	sleep 1
	if wait_status connected 30; then
		ns_c ip -6 addr show dev c1 | grep -q "fd00:77::c0a8:4d02/64" &&
			ns_c ping -6 -c 2 -W 2 fd00:77::1 > /dev/null 2>&1 && ok "ours: IPv6 inside the tunnel" ||
			fail "ours: IPv6: $(ns_c ip -6 addr show dev c1)"
	else
		fail "ours: IPv6 server: not connected: $(clog | tail -3)"
	fi
	crosh -c '/interface ovpn-client disable c1'
	sleep 0.5
	rosh -c '/log print' | grep -q "client1 from .* disconnected" && ok "ours: our server saw the client leave" ||
		fail "ours: no disconnect on our server"
fi

[ "$FAILS" = 0 ] || { echo "$FAILS failures; client roshd log tail:"; tail -20 "$T/croshd.log"; }
exit "$FAILS"
