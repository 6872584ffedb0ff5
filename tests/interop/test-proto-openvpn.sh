#!/bin/bash
# test-proto-openvpn.sh: the protocol core (engine/ovpn, driven by
# tests/interop/ovpn_peer.c) as a server for a stock Debian OpenVPN 2.6
# client. Two network namespaces made here, joined by a veth pair; the
# client gets its tunnel address pushed and pings the server's fake tun
# through our session. Cases: UDP and TCP; AES-256-GCM, AES-128-CBC+SHA1,
# CHACHA20-POLY1305; tls-auth; tls-crypt; username/password checked;
# AUTH_FAILED; renegotiation every 5 s with pings flowing; exit
# notification; a server without EKM and peer-id (TLS 1.0 PRF keys,
# P_DATA_V1); compression framing; and our side as the client of a stock
# OpenVPN server (tls-crypt-v2, tls-auth, TCP with renegotiations either
# way). Certificates are made here with openssl (test only).
# Exit 77 (skip) without root or without openvpn.
# Usage: test-proto-openvpn.sh [CASE...]. ovpn_peer is $OVPN_PEER, else
# $BUILD/tests/interop/ovpn_peer, else built here with cc. KEEP_LOGS=1 keeps
# the logs.
set -u

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: test-proto-openvpn needs root (network namespaces, tun)"
	exit 77
fi
for tool in openvpn openssl ip ping; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: test-proto-openvpn needs $tool"
		exit 77
	fi
done

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/rosh-proto.XXXXXX)
ns_s=rosh-ps$$
ns_c=rosh-pc$$
veth_s=rps$$
veth_c=rpc$$
addr_s=192.168.77.1
addr_c=192.168.77.2
port=1194
pids=()
passed=0
failed=0

cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null
	done
	ip netns del "$ns_s" 2>/dev/null
	ip netns del "$ns_c" 2>/dev/null
	ip link del "$veth_s" 2>/dev/null
	if [ -n "${KEEP_LOGS:-}" ]; then
		echo "logs kept in $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

pass() { passed=$((passed + 1)); echo "PASS: proto/$1"; }
fail() {
	failed=$((failed + 1))
	echo "FAIL: proto/$1: $2"
	for f in "$work/peer-$1.log" "$work/ovpn-$1.log"; do
		[ -f "$f" ] && { echo "--- $(basename "$f")"; tail -25 "$f" | sed 's/^/    /'; }
	done
}

# ---- the program under test ----
peer=${OVPN_PEER:-}
if [ -z "$peer" ] && [ -x "${BUILD:-/nonexistent}/tests/interop/ovpn_peer" ]; then
	peer=$BUILD/tests/interop/ovpn_peer
fi
if [ -z "$peer" ]; then
	peer=$work/ovpn_peer
	if ! cc -std=c11 -D_GNU_SOURCE -O1 -I"$top/engine/ovpn" "$top"/engine/ovpn/*.c \
		"$here/ovpn_peer.c" $(pkg-config --cflags --libs wolfssl) -o "$peer" 2>"$work/cc.log"; then
		echo "FAIL: proto/build"
		cat "$work/cc.log"
		exit 1
	fi
fi

# ---- certificates and keys (test only) ----
make_pki() {
	local d=$work/pki
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 \
			-subj "/CN=Proto Test CA" -addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign"
		openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=server.test"
		printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:vpn.example.com\n' >server.ext
		openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
			-extfile server.ext -out server.crt
		openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=client1"
		printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' >client.ext
		openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
			-extfile client.ext -out client.crt
		openvpn --genkey secret ta.key
		openvpn --genkey tls-crypt-v2-server v2-server.key
		openvpn --genkey tls-crypt-v2-client v2-client.key --tls-crypt-v2 v2-server.key
	) >"$work/pki.log" 2>&1
}

make_net() {
	ip netns add "$ns_s" && ip netns add "$ns_c" &&
		ip link add "$veth_s" type veth peer name "$veth_c" &&
		ip link set "$veth_s" netns "$ns_s" && ip link set "$veth_c" netns "$ns_c" &&
		ip -n "$ns_s" addr add "$addr_s/24" dev "$veth_s" &&
		ip -n "$ns_c" addr add "$addr_c/24" dev "$veth_c" &&
		ip -n "$ns_s" link set "$veth_s" up && ip -n "$ns_c" link set "$veth_c" up &&
		ip -n "$ns_s" link set lo up && ip -n "$ns_c" link set lo up
}

if ! make_pki; then
	echo "FAIL: proto/pki"
	cat "$work/pki.log"
	exit 1
fi
if ! make_net; then
	echo "FAIL: proto/netns: could not create the namespaces"
	exit 1
fi
printf 'alice\nwonderland\n' >"$work/creds"
printf 'alice\nnot-the-password\n' >"$work/badcreds"

pki=$work/pki
push="route-gateway 10.99.0.1,topology subnet,ping 5,ping-restart 30,ifconfig 10.99.0.2 255.255.255.0"

# start_peer NAME ARGS...: our side, in the server namespace
start_peer() {
	local name=$1
	shift
	ip netns exec "$ns_s" "$peer" -l "$addr_s" -p "$port" --ca "$pki/ca.crt" \
		--cert "$pki/server.crt" --key "$pki/server.key" --verify-client \
		--user alice --pass wonderland --keepalive 5 30 --push "$push" "$@" \
		>"$work/peer-$name.log" 2>&1 &
	peer_pid=$!
	pids+=("$peer_pid")
	sleep 0.3
}

# start_client NAME PROTO EXTRA-CONFIG-LINES: stock OpenVPN, in the client namespace
start_client() {
	local name=$1 proto=$2 extra=$3 conf=$work/client-$1.conf
	cat >"$conf" <<-EOF
		client
		dev tun
		proto $proto
		remote $addr_s $port
		nobind
		connect-retry 1
		ca $pki/ca.crt
		cert $pki/client.crt
		key $pki/client.key
		remote-cert-tls server
		verify-x509-name server.test name
		auth-user-pass $work/creds
		verb 4
		$extra
	EOF
	ip netns exec "$ns_c" openvpn --config "$conf" >"$work/ovpn-$name.log" 2>&1 &
	client_pid=$!
	pids+=("$client_pid")
}

# Both processes of a case are our children: once reaped, their PIDs are
# forgotten, so cleanup never signals a PID the system has reused.
stop_all() {
	kill "$client_pid" "$peer_pid" 2>/dev/null
	wait "$client_pid" "$peer_pid" 2>/dev/null
	pids=()
	sleep 0.2
}

# wait_for FILE PATTERN SECONDS
wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		grep -q "$3" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

wanted() {
	[ ${#only[@]} -eq 0 ] && return 0
	local o
	for o in "${only[@]}"; do [[ "$1" == *$o* ]] && return 0; done
	return 1
}

# ping_case NAME PROTO CLIENT-EXTRA PEER-ARGS...: handshake, push, 3 pings
ping_case() {
	local name=$1 proto=$2 extra=$3
	shift 3
	wanted "$name" || return
	start_peer "$name" "$@"
	start_client "$name" "$proto" "$extra"
	if ! wait_for "$work/ovpn-$name.log" 30 "Initialization Sequence Completed"; then
		fail "$name" "the client did not complete its initialization"
	elif ! ip netns exec "$ns_c" ping -c 3 -W 3 10.99.0.1 >"$work/ping-$name.log" 2>&1; then
		fail "$name" "no ping replies through the tunnel: $(tail -2 "$work/ping-$name.log")"
	elif ! grep -q "AUTH user=alice pass=wonderland cn=client1 ok" "$work/peer-$name.log"; then
		fail "$name" "credentials did not reach the auth callback"
	else
		pass "$name"
	fi
	stop_all
}

only=("$@")

ping_case udp-aes256gcm udp "data-ciphers AES-256-GCM" --ciphers AES-256-GCM:AES-128-GCM
ping_case udp-aes128cbc-sha1 udp "data-ciphers AES-128-CBC
auth SHA1" --ciphers AES-256-GCM:AES-128-CBC --auth SHA1
ping_case udp-chacha20 udp "data-ciphers CHACHA20-POLY1305" \
	--ciphers AES-256-GCM:CHACHA20-POLY1305
ping_case tcp-aes256gcm tcp-client "data-ciphers AES-256-GCM" --ciphers AES-256-GCM -t
ping_case tcp-aes128cbc-sha1 tcp-client "data-ciphers AES-128-CBC
auth SHA1" --ciphers AES-128-CBC --auth SHA1 -t
ping_case tcp-chacha20 tcp-client "data-ciphers CHACHA20-POLY1305" \
	--ciphers CHACHA20-POLY1305 -t
ping_case udp-tls-auth udp "tls-auth $pki/ta.key 1" --tls-auth "$pki/ta.key" 0
ping_case tcp-tls-auth-sha256 tcp-client "tls-auth $pki/ta.key 1
auth SHA256
data-ciphers AES-128-CBC" --tls-auth "$pki/ta.key" 0 --auth SHA1:SHA256 --ciphers AES-128-CBC -t
ping_case udp-tls-crypt udp "tls-crypt $pki/ta.key" --tls-crypt "$pki/ta.key"
ping_case tcp-tls-crypt tcp-client "tls-crypt $pki/ta.key" --tls-crypt "$pki/ta.key" -t
ping_case udp-tls12 udp "tls-version-max 1.2" --tls12
ping_case udp-comp-lzo udp "comp-lzo" --ciphers AES-256-GCM
# a server that offers neither EKM nor peer-id (as RouterOS): TLS 1.0 PRF keys, P_DATA_V1
ping_case udp-prf-data-v1 udp "data-ciphers AES-256-CBC
auth SHA256" --ciphers AES-256-CBC --auth SHA256 --no-ekm --no-peer-id
ping_case tcp-prf-gcm tcp-client "data-ciphers AES-128-GCM" --ciphers AES-128-GCM --no-ekm -t

# auth-failed: a wrong password ends in AUTH_FAILED on the client
if wanted auth-failed; then
	start_peer auth-failed
	start_client auth-failed udp "auth-user-pass $work/badcreds
auth-retry none"
	if ! wait_for "$work/ovpn-auth-failed.log" 30 "AUTH_FAILED"; then
		fail auth-failed "the client did not see AUTH_FAILED"
	elif ! grep -q "pass=not-the-password cn=client1 refused" "$work/peer-auth-failed.log"; then
		fail auth-failed "the auth callback did not refuse"
	else
		pass auth-failed
	fi
	stop_all
fi

# reneg: our side renegotiates every 5 s while pings flow; none may be lost
if wanted reneg; then
	for proto in udp tcp-client; do
		name=reneg-$proto
		targs=()
		[ "$proto" = tcp-client ] && targs=(-t)
		start_peer "$name" --reneg 5 "${targs[@]}"
		start_client "$name" "$proto" "data-ciphers AES-256-GCM"
		if ! wait_for "$work/ovpn-$name.log" 30 "Initialization Sequence Completed"; then
			fail "$name" "the client did not complete its initialization"
		else
			ip netns exec "$ns_c" ping -c 40 -i 0.5 -W 2 10.99.0.1 >"$work/ping-$name.log" 2>&1
			got=$(grep -o '[0-9]* received' "$work/ping-$name.log" | cut -d' ' -f1)
			renegs=$(grep -c "renegotiating: key id" "$work/peer-$name.log")
			ups=$(grep -c "^UP " "$work/peer-$name.log")
			if [ "${got:-0}" -lt 39 ] || [ "$renegs" -lt 3 ] || [ "$ups" -lt 4 ]; then
				fail "$name" "replies ${got:-0}/40, renegotiations $renegs, keys up $ups"
			else
				pass "$name"
			fi
		fi
		stop_all
	done
fi

# exit: the client leaves with an exit notification (cc-exit: the EXIT message)
if wanted exit-notify; then
	start_peer exit-notify
	start_client exit-notify udp "explicit-exit-notify 1"
	if ! wait_for "$work/ovpn-exit-notify.log" 30 "Initialization Sequence Completed"; then
		fail exit-notify "the client did not complete its initialization"
	else
		kill -TERM "$client_pid"
		if ! wait_for "$work/peer-exit-notify.log" 10 "DOWN remote-exit"; then
			fail exit-notify "no exit notification reached the session"
		else
			pass exit-notify
		fi
	fi
	stop_all
fi

# client_case NAME PROTO SERVER-EXTRA PEER-ARGS...: our side as the client of a
# stock OpenVPN server; the server pings our fake tun, then we leave (EXIT).
# With --reneg our client starts the renegotiations.
client_case() {
	local name=$1 proto=$2 extra=$3 conf=$work/server-$1.conf
	shift 3
	wanted "$name" || return
	cat >"$conf" <<-EOF
		server 10.98.0.0 255.255.255.0
		topology subnet
		dev tun
		proto $proto
		local $addr_s
		port $port
		ca $pki/ca.crt
		cert $pki/server.crt
		key $pki/server.key
		dh none
		verify-client-cert none
		script-security 2
		auth-user-pass-verify /bin/true via-env
		keepalive 5 30
		verb 4
		$extra
	EOF
	ip netns exec "$ns_s" openvpn --config "$conf" >"$work/ovpn-$name.log" 2>&1 &
	client_pid=$!
	pids+=("$client_pid")
	wait_for "$work/ovpn-$name.log" 10 "Initialization Sequence Completed"
	ip netns exec "$ns_c" "$peer" -C -l "$addr_s" -p "$port" --ca "$pki/ca.crt" \
		--verify-name vpn.example.com --user alice --pass wonderland --addr 10.98.0.2 \
		--exit-after 14 "$@" >"$work/peer-$name.log" 2>&1 &
	peer_pid=$!
	pids+=("$peer_pid")
	if ! wait_for "$work/peer-$name.log" 20 "^UP "; then
		fail "$name" "no data channel keys"
	elif ! ip netns exec "$ns_s" ping -c 8 -i 0.5 -W 3 10.98.0.2 >"$work/ping-$name.log" 2>&1; then
		fail "$name" "the server cannot ping our client: $(tail -2 "$work/ping-$name.log")"
	elif ! wait_for "$work/peer-$name.log" 20 "^DOWN exit-after"; then
		fail "$name" "our client did not leave: $(grep DOWN "$work/peer-$name.log")"
	elif ! wait_for "$work/ovpn-$name.log" 10 "exit message received\|client-instance exiting"; then
		fail "$name" "the server did not see our exit notification"
	else
		pass "$name"
	fi
	stop_all
}

client_case client-tls-crypt-v2 udp "tls-crypt-v2 $pki/v2-server.key" \
	--tls-crypt-v2 "$pki/v2-client.key"
client_case client-tls-auth-cbc udp "tls-auth $pki/ta.key 0
data-ciphers AES-128-CBC
auth SHA1" --tls-auth "$pki/ta.key" 1 --ciphers AES-128-CBC --auth SHA1 --reneg 3
# the server renegotiates every 4 s: our client answers its soft resets
client_case client-tcp-reneg tcp-server "reneg-sec 4" -t --ciphers AES-256-GCM:CHACHA20-POLY1305

echo "proto: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
