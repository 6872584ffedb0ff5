# lib.sh: network namespaces, roshd and stock OpenVPN for the interop tests.
# Sourced by tests/interop/test-*.sh. Everything made here (namespaces,
# veth pair, processes) is removed on exit, processes by the PIDs we started.
# Traffic stays inside the namespaces: 10.231.0.0/24 on the veth link, the
# tunnel addresses the test configures, nothing else.

set -u
[ "$(id -u)" = 0 ] || { echo "skip: needs root for network namespaces and tun"; exit 77; }
command -v openvpn > /dev/null || { echo "skip: openvpn is not installed"; exit 77; }
command -v ping > /dev/null || { echo "skip: ping is not installed (iputils-ping)"; exit 77; }
[ -c /dev/net/tun ] || { echo "skip: no /dev/net/tun"; exit 77; }

ROSHD=${BUILD}/roshd
XFER=${BUILD}/tests/interop/xfer
T=$WORK/interop.$$
NS_S=rsrv$$
NS_C=rcli$$
NS_D=rclb$$		# a second client host, for client-to-client traffic
SRV_IP=10.231.0.1
CLI_IP=10.231.0.2
CLI2_IP=10.231.1.2
PIDS=""
FAILS=0
mkdir -p "$T"

cleanup() {
	for p in $PIDS; do kill "$p" 2> /dev/null; done
	sleep 0.3
	for p in $PIDS; do kill -9 "$p" 2> /dev/null; done
	ip netns del "$NS_S" 2> /dev/null
	ip netns del "$NS_C" 2> /dev/null
	ip netns del "$NS_D" 2> /dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
ns_s() { ip netns exec "$NS_S" "$@"; }
ns_c() { ip netns exec "$NS_C" "$@"; }
rosh() { "$ROSH" --db "$T/db/config.db" --socket "$T/roshd.sock" "$@"; }

# Two namespaces joined by a veth pair; loopback up in both.
make_net() {
	ip netns add "$NS_S" && ip netns add "$NS_C" || { echo "can not make namespaces"; exit 1; }
	ip link add "vs$$" type veth peer name "vc$$"
	ip link set "vs$$" netns "$NS_S"
	ip link set "vc$$" netns "$NS_C"
	ns_s ip addr add "$SRV_IP/24" dev "vs$$"
	ns_c ip addr add "$CLI_IP/24" dev "vc$$"
	ns_s ip link set "vs$$" up
	ns_c ip link set "vc$$" up
	ns_s ip link set lo up
	ns_c ip link set lo up
	ns_s sysctl -qw net.ipv4.ip_forward=1
	ip netns add "$NS_D"
	ip link add "vt$$" type veth peer name "vd$$"
	ip link set "vt$$" netns "$NS_S"
	ip link set "vd$$" netns "$NS_D"
	ns_s ip addr add 10.231.1.1/24 dev "vt$$"
	ip netns exec "$NS_D" ip addr add "$CLI2_IP/24" dev "vd$$"
	ns_s ip link set "vt$$" up
	ip netns exec "$NS_D" ip link set "vd$$" up
	ip netns exec "$NS_D" ip link set lo up
}

start_roshd() {
	# ip netns exec execs the program: $! is its PID, which cleanup kills
	# ROSHD_ARGS: more options (test-workers.sh: --workers N)
	# shellcheck disable=SC2086
	ip netns exec "$NS_S" "$ROSHD" --db "$T/db/config.db" --socket "$T/roshd.sock" --log-level debug \
		${ROSHD_ARGS:-} >> "$T/roshd.log" 2>&1 &
	ROSHD_PID=$!
	PIDS="$PIDS $ROSHD_PID"
	for _ in $(seq 50); do [ -S "$T/roshd.sock" ] && return 0; sleep 0.1; done
	echo "roshd did not start: $(tail -5 "$T/roshd.log")"
	return 1
}

stop_roshd() {
	kill "$ROSHD_PID" 2> /dev/null
	for _ in $(seq 50); do kill -0 "$ROSHD_PID" 2> /dev/null || return 0; sleep 0.1; done
	kill -9 "$ROSHD_PID" 2> /dev/null
}

# wait_for FILE PATTERN SECONDS
wait_for() {
	for _ in $(seq $(($3 * 10))); do
		grep -q "$2" "$1" 2> /dev/null && return 0
		sleep 0.1
	done
	return 1
}

# A CA, a server and a client certificate signed on the "router", the pool,
# profile and users of the RouterOS manual's example.
base_config() {
	mkdir -p "$T/db"
	rosh > "$T/setup.log" 2>&1 <<-'EOF' || { cat "$T/setup.log"; exit 1; }
	/certificate
	add name=ca common-name=test-ca key-usage=key-cert-sign,crl-sign
	add name=server common-name=vpn.test key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1
	add name=client1 common-name=client1 key-usage=digital-signature,tls-client key-type=ec key-size=prime256v1
	sign ca
	sign server ca=ca
	sign client1 ca=ca
	/ip pool add name=ovpn-pool ranges=192.168.77.2-192.168.77.254
	/ppp profile add name=ovpn local-address=192.168.77.1 remote-address=ovpn-pool
	/ppp secret
	add name=client1 password=123 profile=ovpn
	add name=client2 password=234 profile=ovpn
	EOF
}

# client_profile NAME: export a profile for the server named srv to $T/NAME.ovpn
client_profile() {
	rosh -c "/interface ovpn-server server export-client-configuration server=srv server-address=$SRV_IP ca-certificate=ca client-certificate=client1 file-name=$1" > /dev/null ||
		{ echo "export failed"; return 1; }
	cp "$T/db/files/$1.ovpn" "$T/$1.ovpn"
}

# start_client NAME USER PASS [extra openvpn options...]: stock openvpn in
# the client namespace ($CNS when set); sets CLIENT_PID; waits for the
# tunnel (30 s).
start_client() {
	local name=$1 user=$2 pass=$3
	shift 3
	printf '%s\n%s\n' "$user" "$pass" > "$T/$name.creds"
	chmod 600 "$T/$name.creds"
	ip netns exec "${CNS:-$NS_C}" openvpn --config "$T/$name.ovpn" --auth-user-pass "$T/$name.creds" --verb 4 \
		--dev "tun-$name" --connect-retry-max 3 --auth-retry none "$@" > "$T/$name.log" 2>&1 &
	CLIENT_PID=$!
	PIDS="$PIDS $CLIENT_PID"
	wait_for "$T/$name.log" "Initialization Sequence Completed" 30
}

# stock_server_head PORT PROTO: the lines every stock OpenVPN server of
# the tests starts with: on $SRV_IP, tunnel address 192.168.77.1 (what
# through_tunnel reaches), clients from the rest of the /24
stock_server_head() {
	printf 'mode server\ntls-server\ndev tun-srv\ntopology subnet\n'
	printf 'server 192.168.77.0 255.255.255.0\nlocal %s\nport %s\nproto %s\n' "$SRV_IP" "$1" "$2"
}

stop_client() {
	kill "$1" 2> /dev/null
	for _ in $(seq 50); do kill -0 "$1" 2> /dev/null || return 0; sleep 0.1; done
	kill -9 "$1" 2> /dev/null
}

# through_tunnel: a ping and a 10 MB TCP transfer from the client namespace
# to the server's tunnel address, the bytes checked on arrival.
through_tunnel() {
	local what=$1 bytes=${2:-10485760}
	ns_c ping -c 3 -W 2 -i 0.2 192.168.77.1 > "$T/ping.log" 2>&1 ||
		{ fail "$what: ping: $(tail -2 "$T/ping.log")"; return 1; }
	ip netns exec "$NS_S" "$XFER" -l 5001 "$bytes" > "$T/xfer.out" 2>&1 &
	local rx=$!
	PIDS="$PIDS $rx"
	sleep 0.3
	ns_c "$XFER" -c 192.168.77.1 5001 "$bytes" > "$T/xfer.send" 2>&1
	wait "$rx"
	grep -q "^ok $bytes" "$T/xfer.out" ||
		{ fail "$what: transfer: $(cat "$T/xfer.out" "$T/xfer.send")"; return 1; }
	ok "$what"
}
