#!/bin/bash
# client.sh: the client side of the tunnel, in the same run on this machine:
# roshd client to roshd server, against stock OpenVPN 2.6 client to stock
# OpenVPN server, both UDP with AES-256-GCM and username/password, one TCP
# stream of iperf3 through each tunnel (client to server, and with DIRS
# "up down" also back). Printed side by side with the ratio and each
# end's CPU. Figures only, never asserted: exit 0 unless something broke,
# 77 when a prerequisite is missing. Two network namespaces made here
# (10.233.0.0/24), removed on exit with every process started (by PID).
#
# Usage: bash bench/client.sh [BUILD_DIR]   (DUR=10 seconds per run)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
BUILD=$(cd "${1:-$top}" && pwd) || exit 2
DUR=${DUR:-10}
DIRS=${DIRS:-"up"}

if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root (namespaces, tun)"; exit 77; fi
for t in openvpn iperf3 ip openssl awk; do
	command -v "$t" > /dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
for f in "$BUILD/rosh" "$BUILD/roshd"; do
	[ -x "$f" ] || { echo "FAIL: $f is not built (make -j2)"; exit 1; }
done

W=$(mktemp -d /tmp/rosh-client-bench.XXXXXX)
NS_S=rcbs$$
NS_C=rcbc$$
SRV_IP=10.233.0.1
CLI_IP=10.233.0.2
PIDS=""
HZ=$(getconf CLK_TCK)

cleanup() {
	for p in $PIDS; do kill "$p" 2> /dev/null; done
	sleep 0.5
	for p in $PIDS; do kill -9 "$p" 2> /dev/null; done
	ip netns del "$NS_S" 2> /dev/null
	ip netns del "$NS_C" 2> /dev/null
	if [ -n "${KEEP:-}" ]; then echo "files kept in $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ns_s() { ip netns exec "$NS_S" "$@"; }
ns_c() { ip netns exec "$NS_C" "$@"; }
srosh() { "$BUILD/rosh" --db "$W/sdb/config.db" --socket "$W/s.sock" "$@"; }
crosh() { "$BUILD/rosh" --db "$W/cdb/config.db" --socket "$W/c.sock" "$@"; }
ticks() { sed 's/^.*) //' "/proc/$1/stat" 2> /dev/null | awk '{print $12 + $13}'; }
stop_pid() {
	kill "$1" 2> /dev/null
	for _ in $(seq 50); do kill -0 "$1" 2> /dev/null || return 0; sleep 0.1; done
	kill -9 "$1" 2> /dev/null
}
wait_for() {	# wait_for FILE PATTERN SECONDS
	for _ in $(seq $(($3 * 10))); do
		grep -q "$2" "$1" 2> /dev/null && return 0
		sleep 0.1
	done
	return 1
}

ip netns add "$NS_S" && ip netns add "$NS_C" || { echo "FAIL: namespaces"; exit 1; }
ip link add "cbs$$" type veth peer name "cbc$$" && ip link set "cbs$$" netns "$NS_S" &&
	ip link set "cbc$$" netns "$NS_C" && ns_s ip addr add "$SRV_IP/24" dev "cbs$$" &&
	ns_c ip addr add "$CLI_IP/24" dev "cbc$$" && ns_s ip link set "cbs$$" up &&
	ns_c ip link set "cbc$$" up && ns_s ip link set lo up && ns_c ip link set lo up ||
	{ echo "FAIL: veth"; exit 1; }

# one PKI (openssl) for both servers
(
	cd "$W" || exit 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
		-out ca.crt -days 2 -subj "/CN=bench-ca" -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key \
		-out server.csr -subj "/CN=$SRV_IP"
	printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' > server.ext
	openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
		-extfile server.ext -out server.crt
	cat server.crt server.key > server-both.pem
) > "$W/pki.log" 2>&1 || { echo "FAIL: pki"; cat "$W/pki.log"; exit 1; }
printf '#!/bin/sh\n[ "$(sed -n 1p "$1")" = bench ] && [ "$(sed -n 2p "$1")" = benchpw ]\n' > "$W/auth.sh"
chmod 755 "$W/auth.sh"
printf 'bench\nbenchpw\n' > "$W/creds"
chmod 600 "$W/creds" "$W"/*.key

# iperf LABEL ADDR DIR SRVPID CLIPID: sets MBPS, SCPU, CCPU
iperf() {
	local out=$W/iperf-$1-$3.out s0 s1 c0 c1 t0 t1
	s0=$(ticks "$4"); c0=$(ticks "$5"); t0=$(date +%s.%N)
	timeout $((DUR + 30)) ip netns exec "$NS_C" iperf3 -c "$2" -t "$DUR" -f m --connect-timeout 5000 \
		$([ "$3" = down ] && echo -R) > "$out" 2>&1
	s1=$(ticks "$4"); c1=$(ticks "$5"); t1=$(date +%s.%N)
	MBPS=$(awk '/receiver/ {for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") v = $(i - 1)} END {print v == "" ? "n/a" : v}' "$out")
	SCPU=$(awk -v a="$s0" -v b="$s1" -v t0="$t0" -v t1="$t1" -v hz="$HZ" 'BEGIN {printf "%.0f%%", (b - a) / hz / (t1 - t0) * 100}')
	CCPU=$(awk -v a="$c0" -v b="$c1" -v t0="$t0" -v t1="$t1" -v hz="$HZ" 'BEGIN {printf "%.0f%%", (b - a) / hz / (t1 - t0) * 100}')
}

ip netns exec "$NS_S" iperf3 -s > "$W/iperf-server.log" 2>&1 &
PIDS="$PIDS $!"
declare -A R

# ---- roshd to roshd ----
mkdir -p "$W/sdb/files" "$W/cdb/files"
cp "$W/ca.crt" "$W/server-both.pem" "$W/sdb/files/"
cp "$W/ca.crt" "$W/cdb/files/"
srosh > "$W/ssetup.log" 2>&1 <<-EOF || { cat "$W/ssetup.log"; exit 1; }
	/certificate import file-name=ca.crt name=ca
	/certificate import file-name=server-both.pem name=server
	/ip pool add name=p ranges=10.77.0.2-10.77.0.254
	/ppp profile add name=b local-address=10.77.0.1 remote-address=p
	/ppp secret add name=bench password=benchpw profile=b
	/interface ovpn-server server add name=srv certificate=server protocol=udp cipher=aes256-gcm disabled=no
EOF
ip netns exec "$NS_S" "$BUILD/roshd" --db "$W/sdb/config.db" --socket "$W/s.sock" ${ROSHD_ARGS:-} > "$W/sroshd.log" 2>&1 &
SPID=$!
PIDS="$PIDS $SPID"
ip netns exec "$NS_C" "$BUILD/roshd" --db "$W/cdb/config.db" --socket "$W/c.sock" ${ROSHD_ARGS:-} > "$W/croshd.log" 2>&1 &
CPID=$!
PIDS="$PIDS $CPID"
sleep 1
crosh -c "/interface ovpn-client add name=bench connect-to=$SRV_IP protocol=udp cipher=aes256-gcm user=bench password=benchpw disabled=no" ||
	{ echo "FAIL: client setup"; exit 1; }
for _ in $(seq 100); do
	[ "$(crosh -c ':put [/interface ovpn-client get bench status]')" = connected ] && break
	sleep 0.1
done
[ "$(crosh -c ':put [/interface ovpn-client get bench status]')" = connected ] ||
	{ echo "FAIL: roshd client did not connect: $(tail -3 "$W/croshd.log")"; exit 1; }
for d in $DIRS; do
	iperf roshd 10.77.0.1 "$d" "$SPID" "$CPID"
	R[roshd-$d]=$MBPS R[roshd-$d-s]=$SCPU R[roshd-$d-c]=$CCPU
done
stop_pid "$CPID"
stop_pid "$SPID"

# ---- stock client to stock server ----
cat > "$W/server.conf" <<-EOF
	server 10.78.0.0 255.255.255.0
	topology subnet
	dev tun
	proto udp
	port 1194
	local $SRV_IP
	ca $W/ca.crt
	cert $W/server.crt
	key $W/server.key
	dh none
	data-ciphers AES-256-GCM
	verify-client-cert none
	script-security 2
	auth-user-pass-verify $W/auth.sh via-file
	username-as-common-name
	keepalive 10 60
	verb 3
EOF
ip netns exec "$NS_S" openvpn --config "$W/server.conf" > "$W/ovpn-server.log" 2>&1 &
OSPID=$!
PIDS="$PIDS $OSPID"
wait_for "$W/ovpn-server.log" "Initialization Sequence Completed" 10 || { echo "FAIL: stock server"; exit 1; }
ip netns exec "$NS_C" openvpn --client --dev tun --proto udp --remote "$SRV_IP" 1194 --ca "$W/ca.crt" --nobind \
	--auth-user-pass "$W/creds" --data-ciphers AES-256-GCM --verb 3 > "$W/ovpn-client.log" 2>&1 &
OCPID=$!
PIDS="$PIDS $OCPID"
wait_for "$W/ovpn-client.log" "Initialization Sequence Completed" 30 || { echo "FAIL: stock client"; exit 1; }
for d in $DIRS; do
	iperf openvpn 10.78.0.1 "$d" "$OSPID" "$OCPID"
	R[ovpn-$d]=$MBPS R[ovpn-$d-s]=$SCPU R[ovpn-$d-c]=$CCPU
done

echo "== client benchmark: $(nproc) cores, $(openvpn --version | head -1 | cut -d' ' -f1-2), UDP, AES-256-GCM, ${DUR}s iperf3, one TCP stream"
printf '  %-5s  %-34s  %-34s  %s\n' dir "roshd client -> roshd server" "openvpn client -> openvpn server" ratio
for d in $DIRS; do
	printf '  %-5s  %8s Mbit/s (cli %4s, srv %4s)  %8s Mbit/s (cli %4s, srv %4s)  %s\n' "$d" \
		"${R[roshd-$d]}" "${R[roshd-$d-c]}" "${R[roshd-$d-s]}" "${R[ovpn-$d]}" "${R[ovpn-$d-c]}" \
		"${R[ovpn-$d-s]}" "$(awk -v a="${R[roshd-$d]}" -v b="${R[ovpn-$d]}" \
		'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "n/a" }')"
done
for d in $DIRS; do
	awk -v d="$d" -v a="${R[roshd-$d]}" -v b="${R[ovpn-$d]}" 'BEGIN {
		if (a + 0 > 0 && b + 0 > 0)
			printf "  target (DESIGN.md 7): roshd pair >= 3x the OpenVPN pair, %s: %s\n", d,
				(a / b >= 3 ? "MET" : "MISSED") }'
done
