#!/bin/bash
# flood.sh: roshd and a stock OpenVPN 2.6 server under the same flood, side
# by side. From one namespace: forged P_CONTROL_HARD_RESET_CLIENT_V2 at the
# UDP server from many source ports, and at the TCP server held connections
# (some of them slowloris) and connections that come, send a forged reset
# and go. From another namespace a stock OpenVPN client connects, over UDP
# and then over TCP. Printed for each server: the client's connect time
# without and with the flood, the server's CPU and RSS over the flood, and
# what the flooder got back. Figures only: it never asserts a timing.
#   sudo bash bench/flood.sh [BUILD_DIR]       (see bench/README.md)
# It exits 77 without root, openvpn or /dev/net/tun, 1 when something
# broke (a server died or would not start, the flooder would not build).
# Traffic stays in the three namespaces it makes (tests/interop/lib.sh:
# 10.231.0.0/24 flooder, 10.231.1.0/24 client); everything it starts is
# stopped by its PID, the namespaces and its folder removed on exit.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC}" && pwd)
ROSH=$BUILD/rosh
WORK=$(mktemp -d /tmp/rosh-flood.XXXXXX)
export SRC BUILD ROSH WORK
RATE=${RATE:-3000}		# forged resets a second
PORTS=${PORTS:-1000}		# their source ports
SECS=${SECS:-20}		# how long the flood lasts
HELD=${HELD:-200}		# TCP connections held, of which
SLOW=${SLOW:-50}		# ... trickle a byte a second
CHURN=${CHURN:-100}		# TCP connections a second that come and go
SERVERS=${SERVERS:-roshd openvpn}
[ -x "$ROSH" ] && [ -x "$BUILD/roshd" ] || { echo "flood.sh: build rosh and roshd in $BUILD first"; exit 1; }
. "$SRC/tests/interop/lib.sh"
trap 'cleanup; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
FLOOD=$T/reset_flood
gcc -O2 -std=c11 -D_GNU_SOURCE -o "$FLOOD" "$SRC/tests/interop/reset_flood.c" ||
	{ echo "flood.sh: reset_flood does not build"; exit 1; }

make_net
base_config
rosh > /dev/null <<-EOF || { echo "flood.sh: configuration failed"; exit 1; }
	/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp port=1194 cipher=aes256-gcm auth=sha1 disabled=yes
	/interface ovpn-server server add name=tsrv certificate=server require-client-certificate=yes protocol=tcp port=1195 cipher=aes256-gcm auth=sha1 disabled=yes
	/interface ovpn-server server export-client-configuration server=srv server-address=10.231.1.1 ca-certificate=ca client-certificate=client1 file-name=udp
	/interface ovpn-server server export-client-configuration server=tsrv server-address=10.231.1.1 ca-certificate=ca client-certificate=client1 file-name=tcp
	/interface ovpn-server server export-client-configuration server=srv server-address=10.231.1.1 ca-certificate=ca client-certificate=server client-cert-key=server file-name=srvpki
EOF
pem_of() { awk -v t="$2" '$0 == "</" t ">" {p = 0} p {print} $0 == "<" t ">" {p = 1}' "$1" > "$3"; }
pem_of "$T/db/files/udp.ovpn" ca "$T/ca.crt"
pem_of "$T/db/files/srvpki.ovpn" cert "$T/server.crt"
pem_of "$T/db/files/srvpki.ovpn" key "$T/server.key"
chmod 600 "$T/server.key"
printf 'client1\n123\n' > "$T/creds"
chmod 600 "$T/creds"

SRV_PIDS=""
# the servers under test: roshd with both, or two stock processes
start_servers() {
	if [ "$1" = roshd ]; then
		ip netns exec "$NS_S" "$BUILD/roshd" --db "$T/db/config.db" --socket "$T/roshd.sock" \
			>> "$T/roshd.log" 2>&1 &
		SRV_PIDS=$!
		PIDS="$PIDS $SRV_PIDS"
		for _ in $(seq 50); do [ -S "$T/roshd.sock" ] && break; sleep 0.1; done
		rosh -c '/interface ovpn-server server set srv disabled=no' > /dev/null &&
			rosh -c '/interface ovpn-server server set tsrv disabled=no' > /dev/null || return 1
		for _ in $(seq 50); do
			[ "$(grep -c "listening on" "$T/roshd.log")" -ge 2 ] && return 0
			sleep 0.1
		done
		return 1
	fi
	SRV_PIDS=""
	for proto in udp tcp; do
		stock_conf "$proto" > "$T/stock-$proto.conf"
		ip netns exec "$NS_S" openvpn --config "$T/stock-$proto.conf" > "$T/stock-$proto.log" 2>&1 &
		SRV_PIDS="$SRV_PIDS $!"
		PIDS="$PIDS $!"
		wait_for "$T/stock-$proto.log" "Initialization Sequence Completed" 10 || return 1
	done
}

# The stock server as it comes (2.6's default first-reply limit, no
# tls-auth, like roshd here), with roshd's certificates and ports; it does
# not check the password (no auth-user-pass-verify script).
stock_conf() {
	cat <<-EOF
		server 10.$([ "$1" = udp ] && echo 78 || echo 79).0.0 255.255.255.0
		topology subnet
		dev tun-st$1
		proto $([ "$1" = tcp ] && echo tcp-server || echo udp)
		port $([ "$1" = tcp ] && echo 1195 || echo 1194)
		ca $T/ca.crt
		cert $T/server.crt
		key $T/server.key
		dh none
		data-ciphers AES-256-GCM
		verify-client-cert require
		duplicate-cn
		keepalive 10 60
		verb 3
	EOF
}

stop_servers() {
	local p
	for p in $SRV_PIDS; do
		kill -0 "$p" 2> /dev/null || { echo "flood.sh: server $p died"; BROKEN=1; }
		kill "$p" 2> /dev/null
	done
	for p in $SRV_PIDS; do
		for _ in $(seq 50); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
		kill -9 "$p" 2> /dev/null
	done
	rm -f "$T/roshd.sock"
	sleep 1
}

cpu_ms() {	# utime + stime of the server processes, in ms
	local t=0 p
	for p in $SRV_PIDS; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done
	echo $((t * 1000 / $(getconf CLK_TCK)))
}
rss_kb() {
	local t=0 p
	for p in $SRV_PIDS; do t=$((t + $(awk '/^VmRSS/ { print $2 }' "/proc/$p/status"))); done
	echo "$t"
}

# connect PROFILE LIMIT: a stock client from the client namespace; CONNECT
# is the seconds to its tunnel, or "none in LIMIT s"; then it is stopped
connect() {
	local t0 pid n=$(($2 * 20))
	CONNECT="none in $2 s"
	t0=$(date +%s%N)
	ip netns exec "$NS_D" openvpn --config "$T/db/files/$1.ovpn" --auth-user-pass "$T/creds" \
		--verb 3 --dev tun-legit --auth-retry none > "$T/client-$1.log" 2>&1 &
	pid=$!
	PIDS="$PIDS $pid"
	for _ in $(seq "$n"); do
		if grep -q "Initialization Sequence Completed" "$T/client-$1.log"; then
			CONNECT=$(awk "BEGIN { printf \"%.2f s\", ($(date +%s%N) - $t0) / 1e9 }")
			break
		fi
		sleep 0.05
	done
	stop_client "$pid"
}

BROKEN=0
declare -A R
run_server() {
	local s=$1 c0 r0 half=$((SECS / 2 - 3))
	start_servers "$s" || { echo "flood.sh: $s did not start"; BROKEN=1; stop_servers; return; }
	connect udp 10; R[$s,quiet-udp]=$CONNECT
	connect tcp 10; R[$s,quiet-tcp]=$CONNECT
	c0=$(cpu_ms) r0=$(rss_kb)
	ns_c "$FLOOD" "$SRV_IP" 1194 "$RATE" "$SECS" "$PORTS" > "$T/$s-udp.out" 2>&1 &
	local f1=$!
	ns_c "$FLOOD" -t "$SRV_IP" 1195 "$HELD" "$SECS" "$SLOW" "$CHURN" > "$T/$s-tcp.out" 2>&1 &
	local f2=$!
	PIDS="$PIDS $f1 $f2"
	sleep 3	# the flood is in full swing
	connect udp "$half"; R[$s,flood-udp]=$CONNECT
	connect tcp "$half"; R[$s,flood-tcp]=$CONNECT
	wait "$f1" "$f2"
	R[$s,cpu]=$(( $(cpu_ms) - c0 ))
	R[$s,rss]="$r0 -> $(rss_kb)"
	local sent replies opened held churned
	read -r _ sent _ replies < "$T/$s-udp.out"
	read -r _ opened _ held _ churned < "$T/$s-tcp.out"
	R[$s,sent]=$sent R[$s,replies]=$replies R[$s,opened]=$opened R[$s,held]=$held
	R[$s,churned]=$churned
	stop_servers
}

echo "== flood: $(nproc) cores, $(uname -r), $(openvpn --version | head -1 | cut -d' ' -f1-2)"
echo "   from 10.231.0.2: $RATE forged resets/s from $PORTS ports at udp 1194; at tcp 1195 $HELD held"
echo "   connections ($SLOW slowloris) and $CHURN/s that come and go; for $SECS s"
echo "   a stock client from 10.231.1.2 connects over udp, then over tcp, 3 s into the flood"
for s in $SERVERS; do run_server "$s"; done
printf '\n%-34s' ""
for s in $SERVERS; do printf '%-22s' "$s"; done
echo
row() {
	printf '%-34s' "$1"
	for s in $SERVERS; do printf '%-22s' "${R[$s,$2]:-n/a}"; done
	echo
}
row "connect udp, no flood" quiet-udp
row "connect tcp, no flood" quiet-tcp
row "connect udp, under flood" flood-udp
row "connect tcp, under flood" flood-tcp
row "server CPU over the flood (ms)" cpu
row "server RSS before -> after (KB)" rss
row "forged resets sent" sent
row "first replies to the flooder" replies
row "tcp connections opened / held" opened
row "  ... still held by the server" held
row "tcp connections came and went" churned
[ "$BROKEN" = 0 ] || { echo "flood.sh: something broke; logs in $T"; KEEP=1; exit 1; }
